//! Fetch errors: what went wrong, as a short phrase a user can act on, and whether another try
//! within the same check is worth it.
//!
//! `classify` turns a reqwest error into one of these by walking its chain of causes (our own
//! resolver's refusals, I/O error kinds, rustls's certificate complaints); it never reads the
//! URL reqwest puts in its own text, so a URL cannot make a failure read as something else.

use std::time::Duration;

use url::Url;

use crate::fetch::guard::{Refusal, ResolveError, resolve_error};
use crate::fetch::http::connect_timeout;
use crate::fetch::wall::Wall;

pub use crate::fetch::http::MAX_REDIRECTS;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("timeout after {0} s")]
    Timeout(u64),
    #[error("DNS failure for {host}")]
    Dns { host: String },
    #[error("connection refused by {host}")]
    Refused { host: String },
    #[error("cannot connect to {host}: {detail}")]
    Connect { host: String, detail: String },
    #[error("connection reset while reading from {host}")]
    Reset { host: String },
    #[error("TLS certificate invalid for {host}: {detail}")]
    Tls { host: String, detail: String },
    /// An error status; `wall` names the bot-protection service whose page came with it.
    #[error("HTTP {status} from {url}{}", .wall.map(|w| format!(": {w}")).unwrap_or_default())]
    Status {
        status: u16,
        url: String,
        wall: Option<Wall>,
    },
    #[error("body over {limit}")]
    TooLarge { limit: String },
    /// Neither HTML nor a PDF (an image, a script, a zip).
    #[error("not HTML ({content_type})")]
    NotHtml { content_type: String },
    #[error("blocked by robots.txt at {robots}")]
    Robots { robots: String },
    #[error("robots.txt at {robots} unavailable (HTTP {status}); not fetching until it answers")]
    RobotsUnavailable { robots: String, status: u16 },
    #[error("cannot read robots.txt at {robots}: {cause}")]
    RobotsFailed {
        robots: String,
        cause: Box<FetchError>,
    },
    #[error("redirect loop at {url}")]
    RedirectLoop { url: String },
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("redirect without a valid Location from {url}")]
    BadRedirect { url: String },
    #[error("{what} a private address ({addr}); set allow_private_addresses = true to allow")]
    PrivateAddress { what: &'static str, addr: String },
    #[error("{what} a forbidden address ({addr})")]
    ForbiddenAddress { what: &'static str, addr: String },
    #[error("unsupported URL scheme in {url}")]
    Scheme { url: String },
    /// `render = "browser"` in a build (or on a machine) without a browser backend.
    #[error("browser rendering not available in this build")]
    BrowserUnavailable,
    /// The browser backend failed (it could not start, the page never settled, …).
    #[error("{0}")]
    Browser(String),
    #[error("{0}")]
    Other(String),
}

impl FetchError {
    /// Worth another try within the same check.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout(_)
            | FetchError::Refused { .. }
            | FetchError::Connect { .. }
            | FetchError::Reset { .. } => true,
            FetchError::Status { status, .. } | FetchError::RobotsUnavailable { status, .. } => {
                matches!(status, 429 | 502 | 503 | 504)
            }
            FetchError::RobotsFailed { cause, .. } => cause.is_transient(),
            _ => false,
        }
    }
}

/// The error for an address the guard refused; `what` says how it was reached ("refused",
/// "redirect to").
pub(crate) fn refusal_error(r: Refusal, what: &'static str, addr: String) -> FetchError {
    match r {
        Refusal::Private => FetchError::PrivateAddress { what, addr },
        Refusal::Forbidden => FetchError::ForbiddenAddress { what, addr },
    }
}

/// A reqwest failure as a [`FetchError`]. `timeout` is the whole-request limit, named when a
/// timeout fires (or the shorter connect limit, when connecting timed out).
pub(crate) fn classify(
    e: &reqwest::Error,
    url: &Url,
    what: &'static str,
    timeout: Duration,
) -> FetchError {
    let host = url.host_str().unwrap_or("").to_string();
    if let Some(r) = resolve_error(e) {
        return match r {
            ResolveError::Dns(h) => FetchError::Dns { host: h.clone() },
            ResolveError::Refused { addr, refusal, .. } => {
                refusal_error(*refusal, what, addr.to_string())
            }
        };
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    // The text of the error's causes, outermost first. Not of `e` itself: reqwest's own text
    // names the URL, and a URL such as https://example.org/tls-terms must not make an
    // unrelated failure read as a TLS one.
    let mut causes: Vec<String> = Vec::new();
    let mut outermost = true;
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return FetchError::Refused { host },
                std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::ConnectionAborted
                | std::io::ErrorKind::UnexpectedEof
                | std::io::ErrorKind::BrokenPipe => return FetchError::Reset { host },
                _ => {}
            }
        }
        if !outermost {
            causes.push(s.to_string());
        }
        outermost = false;
        source = s.source();
    }
    if e.is_timeout() {
        // Name the limit that fired: connecting has its own, shorter one.
        let limit = if e.is_connect() {
            connect_timeout(timeout)
        } else {
            timeout
        };
        return FetchError::Timeout(limit.as_secs().max(1));
    }
    let lower = causes.join(": ").to_ascii_lowercase();
    // The innermost cause is the most specific; without causes, reqwest's own words.
    let innermost = causes.last().cloned().unwrap_or_else(|| e.to_string());
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        return FetchError::Tls {
            host,
            detail: tls_detail(&lower).map(str::to_string).unwrap_or(innermost),
        };
    }
    if e.is_connect() {
        return FetchError::Connect {
            host,
            detail: innermost,
        };
    }
    if e.is_body() || e.is_decode() || lower.contains("connection closed") {
        return FetchError::Reset { host };
    }
    FetchError::Other(
        std::iter::once(e.to_string())
            .chain(causes)
            .collect::<Vec<_>>()
            .join(": "),
    )
}

/// The usual certificate problems in words, from rustls's error chain (lower case). rustls names
/// them in CamelCase (`UnknownIssuer`), newer versions in words.
fn tls_detail(chain: &str) -> Option<&'static str> {
    let squashed: String = chain.chars().filter(|c| *c != ' ' && *c != '_').collect();
    [
        (
            "unknownissuer",
            "unknown issuer (a private CA can be added with fetch.ca_file)",
        ),
        ("notvalidforname", "not issued for this host name"),
        ("notvalidyet", "not valid yet"),
        ("expired", "expired"),
        ("revoked", "revoked"),
        ("badsignature", "bad signature"),
    ]
    .into_iter()
    .find(|(key, _)| squashed.contains(key))
    .map(|(_, words)| words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_problems_in_words() {
        assert_eq!(
            tls_detail("invalid peer certificate: unknownissuer"),
            Some("unknown issuer (a private CA can be added with fetch.ca_file)")
        );
        assert_eq!(
            tls_detail("invalid peer certificate: certificate not valid for name \"x\""),
            Some("not issued for this host name")
        );
        assert_eq!(
            tls_detail("invalid peer certificate: expired"),
            Some("expired")
        );
        assert_eq!(tls_detail("tls handshake eof"), None);
    }

    #[test]
    fn transient_classification() {
        assert!(FetchError::Timeout(30).is_transient());
        assert!(
            FetchError::Status {
                status: 503,
                url: String::new(),
                wall: None,
            }
            .is_transient()
        );
        assert!(
            !FetchError::Status {
                status: 404,
                url: String::new(),
                wall: None,
            }
            .is_transient()
        );
        assert!(
            !FetchError::Robots {
                robots: String::new()
            }
            .is_transient()
        );
        assert!(!FetchError::BrowserUnavailable.is_transient());
    }
}
