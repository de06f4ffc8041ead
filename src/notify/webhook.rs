//! Webhook: POSTs an alert as JSON (policywatch's schema, or Slack-compatible) to a URL.
//!
//! The receiver is reached like a page is, with the client every outgoing request uses
//! ([`guard::client_builder`]: the address guard, private addresses only with
//! `fetch.allow_private_addresses`, metadata and link-local never; no proxy; no redirects),
//! within `fetch.timeout`, reading at most a few KiB of the answer. With `secret_env`, the exact body bytes are signed with HMAC-SHA256
//! (`X-Policywatch-Signature: sha256=<hex>`); `X-Policywatch-Delivery` carries the delivery's
//! stable id so that a receiver can drop a resend. The secret is read at send time and never
//! logged. 2xx is delivered; 408, 429 and 5xx are retried; any other answer is a refusal, which
//! the drain keeps, and makes final only if it comes again after the receiver took another alert.

use std::net::IpAddr;

use hmac::{KeyInit, Mac};
use reqwest::StatusCode;

use super::payload::Payload;
use super::{DeliveryError, Failure, slack};
use crate::config::{FetchSettings, WebhookFormat, WebhookSettings};
use crate::fetch::guard::{self, AddressGuard, Refusal, ResolveError, resolve_error};
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
        let client = guard::client_builder(fetch)
            .map_err(|e| unreachable(e.to_string()))?
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
        let url = &self
            .settings
            .url
            .resolve()
            .map_err(|why| unreachable(format!("webhook {}: {why}", self.settings.name)))?;
        if let Err((ip, r)) = self.guard.check_url(url) {
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
                super::report::header_safe(&alert.message.kind),
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
        let resp = req
            .body(body)
            .send()
            .await
            .map_err(|e| self.cause(&e, url))?;
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
    fn cause(&self, e: &reqwest::Error, url: &url::Url) -> DeliveryError {
        if let Some(r) = resolve_error(e) {
            let what = match r {
                ResolveError::Dns(host) => format!("DNS failure for {host}"),
                ResolveError::Refused {
                    host,
                    addr,
                    refusal,
                } => format!("{host}: {}", refused(*addr, *refusal)),
            };
            return unreachable(format!("webhook {}: {what}", self.settings.name));
        }
        let host = url.host_str().unwrap_or("");
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
        None => Payload::plain(
            &alert.message.kind,
            &alert.message.subject,
            alert.created_at,
        )
        .finish(&alert.message.message_id, &alert.message.body_text),
    };
    match format {
        WebhookFormat::Json => json.into_bytes(),
        WebhookFormat::Slack => match serde_json::from_str::<Payload>(&json) {
            Ok(p) => slack::message(&p).into_bytes(),
            Err(_) => slack::plain(&alert.message.subject).into_bytes(),
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
