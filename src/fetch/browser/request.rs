//! One request a page makes, paused by the DevTools Fetch domain: admitted or refused, and if
//! admitted, made by policywatch itself and handed back to Chromium (`Fetch.fulfillRequest`).
//!
//! Making the request here rather than letting Chromium continue it means the address guard
//! decides on the very address that is connected to (the client is the one every outgoing request
//! uses, [`guard::client_builder`]: its resolver hands the connector only allowed addresses, so a
//! name cannot resolve to a public address for the check and a private one for the connection),
//! TLS is verified by the same rustls setup as static fetches, and the body is cut at `max_body`.
//! The rules: HTTP(S) only; a literal address must pass the guard, and a name is connected to on
//! the addresses the guard allows; robots.txt must allow the URL (unless the target ignores it). Redirects are handed
//! back to Chromium as they are, so each hop comes back here as a request of its own.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use base64::Engine;
use chromiumoxide::cdp::browser_protocol::fetch::{EventRequestPaused, HeaderEntry};
use chromiumoxide::cdp::browser_protocol::network::ErrorReason;
use reqwest::header::{HeaderName, HeaderValue};
use url::Url;

use crate::config::FetchSettings;
use crate::fetch::FetchError;
use crate::fetch::guard::{self, AddressGuard, Refusal, ResolveError, resolve_error};

/// robots.txt (and anything else besides the address guard) for the requests of one page.
pub trait Policy: Send + Sync {
    /// `Ok` if the URL may be requested; else the reason, e.g. [`FetchError::Robots`].
    fn admit<'a>(
        &'a self,
        url: &'a Url,
    ) -> Pin<Box<dyn Future<Output = Result<(), FetchError>> + Send + 'a>>;
}

/// Admits everything the address guard admits: for targets with `ignore_robots`, and tests.
pub struct GuardOnly;

impl Policy for GuardOnly {
    fn admit<'a>(
        &'a self,
        _url: &'a Url,
    ) -> Pin<Box<dyn Future<Output = Result<(), FetchError>> + Send + 'a>> {
        Box::pin(async { Ok(()) })
    }
}

/// What Chromium is told about one paused request.
pub enum Answer {
    /// The response, made by us.
    Fulfil {
        status: u16,
        content_type: String,
        headers: Vec<HeaderEntry>,
        body: Vec<u8>,
    },
    /// Refused by the guard or robots.txt: failed as `BlockedByClient`, and logged.
    Refused(FetchError),
    /// Allowed, but the request itself failed (DNS, connection, timeout, too large).
    Failed(FetchError),
}

/// The guarded HTTP client (see [`guard::client_builder`]) for a page's requests.
pub fn client(settings: &FetchSettings) -> Result<reqwest::Client, FetchError> {
    guard::client_builder(settings)
        .map_err(|e| FetchError::Other(e.to_string()))?
        .build()
        .map_err(|e| FetchError::Other(format!("cannot build the HTTP client: {e}")))
}

/// Decides on and, if allowed, makes one paused request.
pub async fn answer(
    client: &reqwest::Client,
    guard: AddressGuard,
    policy: &dyn Policy,
    paused: &EventRequestPaused,
    max_body: u64,
    timeout: std::time::Duration,
) -> Answer {
    let url = match Url::parse(&paused.request.url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u,
        _ => {
            return Answer::Refused(FetchError::Scheme {
                url: paused.request.url.clone(),
            });
        }
    };
    if let Err((ip, r)) = guard.check_url(&url) {
        return Answer::Refused(refusal(r, ip));
    }
    if let Err(e) = policy.admit(&url).await {
        return Answer::Refused(e);
    }
    let method = reqwest::Method::from_bytes(paused.request.method.as_bytes())
        .unwrap_or(reqwest::Method::GET);
    let mut req = client.request(method, url.clone());
    if let Some(headers) = paused.request.headers.inner().as_object() {
        for (name, value) in headers {
            let Some(value) = value.as_str() else {
                continue;
            };
            if skip_request_header(name) {
                continue;
            }
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                req = req.header(n, v);
            }
        }
    }
    if let Some(entries) = &paused.request.post_data_entries {
        let mut body = Vec::new();
        for entry in entries.iter().filter_map(|e| e.bytes.as_ref()) {
            let text: &str = entry.as_ref();
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(text) {
                body.extend_from_slice(&bytes);
            }
        }
        req = req.body(body);
    }
    let mut resp = match req.send().await {
        Ok(r) => r,
        Err(e) => return classify(&e, &url, timeout),
    };
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let headers: Vec<HeaderEntry> = resp
        .headers()
        .iter()
        .filter(|(n, _)| !skip_response_header(n.as_str()))
        .filter_map(|(n, v)| {
            Some(HeaderEntry {
                name: n.as_str().to_string(),
                value: v.to_str().ok()?.to_string(),
            })
        })
        .collect();
    if resp.content_length().is_some_and(|n| n > max_body) {
        return Answer::Failed(too_large(max_body));
    }
    let mut body = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() as u64 + chunk.len() as u64 > max_body {
                    return Answer::Failed(too_large(max_body));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => return classify(&e, &url, timeout),
        }
    }
    Answer::Fulfil {
        status,
        content_type,
        headers,
        body,
    }
}

impl Answer {
    /// The network error Chromium reports to the page for a request we did not fulfil.
    pub fn error_reason(&self) -> ErrorReason {
        match self {
            Answer::Refused(_) => ErrorReason::BlockedByClient,
            Answer::Failed(FetchError::Dns { .. }) => ErrorReason::NameNotResolved,
            Answer::Failed(FetchError::Timeout(_)) => ErrorReason::TimedOut,
            Answer::Failed(FetchError::Refused { .. }) => ErrorReason::ConnectionRefused,
            Answer::Failed(_) | Answer::Fulfil { .. } => ErrorReason::Failed,
        }
    }
}

fn too_large(max_body: u64) -> FetchError {
    FetchError::TooLarge {
        limit: bytesize::ByteSize(max_body).display().iec().to_string(),
    }
}

fn refusal(r: Refusal, ip: IpAddr) -> FetchError {
    let addr = ip.to_string();
    match r {
        Refusal::Private => FetchError::PrivateAddress {
            what: "refused",
            addr,
        },
        Refusal::Forbidden => FetchError::ForbiddenAddress {
            what: "refused",
            addr,
        },
    }
}

/// Headers reqwest sets itself, or that describe the connection rather than the request.
fn skip_request_header(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "host"
            | "content-length"
            | "connection"
            | "keep-alive"
            | "proxy-connection"
            | "transfer-encoding"
            | "accept-encoding"
            | "user-agent"
            | "upgrade"
    )
}

/// The body is handed over decoded and whole, so its framing headers no longer apply.
fn skip_response_header(name: &str) -> bool {
    matches!(
        name,
        "content-length" | "content-encoding" | "transfer-encoding" | "connection" | "keep-alive"
    )
}

/// A reqwest failure in the words static fetches use; a refusal by our resolver is a refusal.
fn classify(e: &reqwest::Error, url: &Url, timeout: std::time::Duration) -> Answer {
    let host = url.host_str().unwrap_or("").to_string();
    if let Some(r) = resolve_error(e) {
        return match r {
            ResolveError::Dns(h) => Answer::Failed(FetchError::Dns { host: h.clone() }),
            ResolveError::Refused {
                addr, refusal: r, ..
            } => Answer::Refused(refusal(*r, *addr)),
        };
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return Answer::Failed(FetchError::Refused { host });
        }
        source = s.source();
    }
    if e.is_timeout() {
        return Answer::Failed(FetchError::Timeout(timeout.as_secs().max(1)));
    }
    Answer::Failed(FetchError::Connect {
        host,
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_headers_are_not_forwarded() {
        assert!(skip_request_header("Host"));
        assert!(skip_request_header("Accept-Encoding"));
        assert!(!skip_request_header("Accept-Language"));
        assert!(skip_response_header("content-encoding"));
        assert!(!skip_response_header("content-type"));
    }

    #[test]
    fn refusals_fail_as_blocked_by_client() {
        let a = Answer::Refused(refusal(
            Refusal::Forbidden,
            "169.254.169.254".parse().unwrap(),
        ));
        assert!(matches!(a.error_reason(), ErrorReason::BlockedByClient));
        assert!(
            matches!(a, Answer::Refused(ref e) if e.to_string() == "refused a forbidden address (169.254.169.254)")
        );
    }
}
