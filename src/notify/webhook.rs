//! Webhook: POSTs an alert as JSON (policywatch's schema, or Slack-compatible) to a URL.
//!
//! The receiver is reached like a page is: through the address guard (private addresses only
//! with `fetch.allow_private_addresses`; metadata and link-local never), without proxies and
//! without following redirects, within `fetch.timeout`, reading at most a few KiB of the answer.
//! With `secret_env`, the exact body bytes are signed with HMAC-SHA256
//! (`X-Policywatch-Signature: sha256=<hex>`); `X-Policywatch-Delivery` carries the delivery's
//! stable id so that a receiver can drop a resend. The secret is read at send time and never
//! logged. 2xx is delivered; 408, 429 and 5xx are retried; any other answer is a refusal for good.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hmac::{KeyInit, Mac};
use reqwest::StatusCode;

use super::payload::Payload;
use super::{DeliveryError, Failure, slack};
use crate::config::{FetchSettings, WebhookFormat, WebhookSettings};
use crate::fetch::guard::{AddressGuard, Refusal};
use crate::store::Alert;

/// The most of a receiver's answer that is read (for the error message).
const MAX_RESPONSE: usize = 4096;

/// A webhook with its HTTP client, made once per drain.
pub struct WebhookClient<'a> {
    settings: &'a WebhookSettings,
    client: reqwest::Client,
    guard: AddressGuard,
}

impl<'a> WebhookClient<'a> {
    pub fn new(
        settings: &'a WebhookSettings,
        fetch: &FetchSettings,
    ) -> Result<WebhookClient<'a>, DeliveryError> {
        let guard = AddressGuard {
            allow_private: fetch.allow_private_addresses,
        };
        let mut builder = reqwest::Client::builder()
            .user_agent(fetch.user_agent.clone())
            .timeout(fetch.timeout)
            .connect_timeout(fetch.timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            // A proxy would hide the real destination from the address guard.
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver { guard }));
        if let Some(ca) = &fetch.ca_file {
            let certs = std::fs::read(ca)
                .ok()
                .and_then(|pem| reqwest::Certificate::from_pem_bundle(&pem).ok())
                .ok_or_else(|| {
                    unreachable(format!("cannot read fetch.ca_file {}", ca.display()))
                })?;
            builder = builder.tls_certs_merge(certs);
        }
        let client = builder
            .build()
            .map_err(|e| unreachable(format!("cannot build the HTTP client: {e}")))?;
        Ok(WebhookClient {
            settings,
            client,
            guard,
        })
    }

    /// POSTs one alert under its delivery id.
    pub async fn send(&self, alert: &Alert, delivery_id: &str) -> Result<(), DeliveryError> {
        let url = &self.settings.url;
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            _ => None,
        };
        // A literal address is never resolved, so the resolver's guard would not see it.
        if let Some(ip) = ip
            && let Err(r) = self.guard.check(ip)
        {
            return Err(unreachable(refused(ip, r)));
        }
        let body = body(self.settings.format, alert);
        let mut req = self
            .client
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Policywatch-Delivery", delivery_id)
            .header(
                "X-Policywatch-Event",
                super::report::header_safe(&alert.kind),
            );
        if let Some(var) = &self.settings.secret_env {
            let secret = std::env::var(var).map_err(|_| {
                unreachable(format!(
                    "webhook {}: secret_env names {var}, which is not set",
                    self.settings.name
                ))
            })?;
            req = req.header(
                "X-Policywatch-Signature",
                signature(secret.as_bytes(), &body),
            );
        }
        let resp = req.body(body).send().await.map_err(|e| self.cause(&e))?;
        let status = resp.status();
        if status.is_success() {
            return Ok(());
        }
        let answer = read_capped(resp).await;
        let message = format!(
            "webhook {}: HTTP {}{}{}",
            self.settings.name,
            status.as_u16(),
            if status.is_redirection() {
                " (redirects are not followed: put the final URL in webhook.url)"
            } else {
                ""
            },
            if answer.is_empty() {
                String::new()
            } else {
                format!(": {answer}")
            }
        );
        let kind = if status.is_server_error()
            || status == StatusCode::REQUEST_TIMEOUT
            || status == StatusCode::TOO_MANY_REQUESTS
        {
            Failure::Transient
        } else {
            Failure::Permanent
        };
        Err(DeliveryError { kind, message })
    }

    /// A failure before any answer: the receiver cannot be reached now.
    fn cause(&self, e: &reqwest::Error) -> DeliveryError {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(s) = source {
            if let Some(r) = s.downcast_ref::<ResolveError>() {
                return unreachable(format!("webhook {}: {r}", self.settings.name));
            }
            source = s.source();
        }
        let host = self.settings.url.host_str().unwrap_or("");
        let what = if e.is_timeout() {
            "timed out".to_string()
        } else if e.is_connect() {
            format!("cannot connect to {host}")
        } else {
            // The chain's text, not reqwest's own (which names the full URL and its query).
            let mut chain = Vec::new();
            let mut s = std::error::Error::source(e);
            while let Some(x) = s {
                chain.push(x.to_string());
                s = x.source();
            }
            format!("request to {host} failed: {}", chain.join(": "))
        };
        unreachable(format!("webhook {}: {what}", self.settings.name))
    }
}

/// The body to POST: the stored payload as it is (`json`), or made into a Slack message.
pub fn body(format: WebhookFormat, alert: &Alert) -> Vec<u8> {
    let json = match &alert.payload {
        Some(p) => p.clone(),
        // An alert stored before payloads existed: what the email said.
        None => Payload::plain(&alert.kind, &alert.subject, alert.created_at)
            .finish(&alert.message_id, &alert.body_text),
    };
    match format {
        WebhookFormat::Json => json.into_bytes(),
        WebhookFormat::Slack => match serde_json::from_str::<Payload>(&json) {
            Ok(p) => slack::message(&p).into_bytes(),
            Err(_) => slack::plain(&alert.subject).into_bytes(),
        },
    }
}

/// `sha256=<hex>` of HMAC-SHA256 over exactly `body`.
pub fn signature(key: &[u8], body: &[u8]) -> String {
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts a key of any length");
    mac.update(body);
    let tag = mac.finalize().into_bytes();
    let mut hex = String::with_capacity(7 + tag.len() * 2);
    hex.push_str("sha256=");
    for b in tag.iter() {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// At most `MAX_RESPONSE` bytes of the answer, as one safe line.
async fn read_capped(mut resp: reqwest::Response) -> String {
    let mut buf = Vec::new();
    while buf.len() < MAX_RESPONSE {
        match resp.chunk().await {
            Ok(Some(c)) => buf.extend_from_slice(&c),
            _ => break,
        }
    }
    buf.truncate(MAX_RESPONSE);
    super::report::header_safe(&String::from_utf8_lossy(&buf))
}

fn unreachable(message: String) -> DeliveryError {
    DeliveryError {
        kind: Failure::Unreachable,
        message,
    }
}

fn refused(ip: IpAddr, r: Refusal) -> String {
    match r {
        Refusal::Private => format!(
            "address {ip} refused: private and loopback addresses need fetch.allow_private_addresses = true"
        ),
        Refusal::Forbidden => format!("address {ip} refused: not a public address"),
    }
}

#[derive(Debug, thiserror::Error)]
enum ResolveError {
    #[error("DNS failure for {0}")]
    Dns(String),
    #[error("{host}: {message}")]
    Refused { host: String, message: String },
}

/// Resolves names through the address guard, as fetches do.
struct GuardedResolver {
    guard: AddressGuard,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let guard = self.guard;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|_| ResolveError::Dns(host.clone()))?
                .collect();
            let mut refusal = None;
            let allowed: Vec<SocketAddr> = addrs
                .into_iter()
                .filter(|a| match guard.check(a.ip()) {
                    Ok(()) => true,
                    Err(r) => {
                        refusal.get_or_insert((a.ip(), r));
                        false
                    }
                })
                .collect();
            match (allowed.is_empty(), refusal) {
                (false, _) => Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs),
                (true, Some((ip, r))) => Err(Box::new(ResolveError::Refused {
                    host,
                    message: refused(ip, r),
                }) as _),
                (true, None) => Err(Box::new(ResolveError::Dns(host)) as _),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
