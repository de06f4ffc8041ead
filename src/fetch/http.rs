//! The static backend: one HTTP GET (with its redirects) through reqwest, read into a typed
//! [`Body`].
//!
//! Redirects are followed by hand so every hop passes the address guard (literal addresses here,
//! names in `guard::GuardedResolver`) and robots.txt; at most [`MAX_REDIRECTS`], loops detected. The body
//! is read as a stream and cut at `max_body` decompressed bytes, so neither a huge page nor a
//! compression bomb is ever held in memory; the whole request has one deadline, which also cuts a
//! server that trickles bytes. What the body is, [`crate::fetch::sniff`] decides (a `%PDF-`
//! signature wins over a wrong Content-Type); HTML is decoded to text here.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Client, StatusCode};
use url::Url;

use crate::config::FetchSettings;
use crate::fetch::decode::{Decoded, decode};
use crate::fetch::error::{FetchError, classify, refusal_error};
use crate::fetch::guard::{self, AddressGuard};
use crate::fetch::politeness::{Politeness, retry_after};
use crate::fetch::robots::Robots;
use crate::fetch::sniff::{Kind, body_kind, refuse_by_type};
use crate::fetch::wall;
use crate::fetch::{Body, Fetched, Page, Request, Validators};

pub const MAX_REDIRECTS: usize = 10;
/// How long an idle connection is kept for the next request to its host.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The HTTP client with its settings and guard. Also used for robots.txt.
pub struct Http {
    client: Client,
    settings: FetchSettings,
    guard: AddressGuard,
}

/// A failed attempt, with the wait a `Retry-After` asked for.
pub type Attempt = Result<Fetched, (FetchError, Option<Duration>)>;

impl Http {
    pub fn new(settings: &FetchSettings) -> Result<Http, FetchError> {
        let guard = AddressGuard {
            allow_private: settings.allow_private_addresses,
        };
        let client = guard::client_builder(settings)
            .map_err(|e| FetchError::Other(e.to_string()))?
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            // As many idle connections as a host may have requests in flight: a smaller pool
            // closes and reopens connections on every pass (a TCP handshake per page).
            .pool_max_idle_per_host(settings.per_host_concurrency.max(1))
            .build()
            .map_err(|e| FetchError::Other(format!("cannot build the HTTP client: {e}")))?;
        Ok(Http {
            client,
            settings: settings.clone(),
            guard,
        })
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn guard(&self) -> AddressGuard {
        self.guard
    }

    /// One attempt: follows redirects by hand so every hop is guarded. On failure, also returns
    /// the wait a `Retry-After` asked for.
    pub async fn fetch_once(
        &self,
        req: &Request<'_>,
        politeness: &Politeness,
        robots: &Robots,
    ) -> Attempt {
        let mut url = req.url.clone();
        let mut seen: HashSet<Url> = HashSet::new();
        let mut moved_to: Option<Url> = None;
        let mut permanent_so_far = true;
        for hop in 0..=MAX_REDIRECTS {
            let what = if hop == 0 { "refused" } else { "redirect to" };
            self.check_literal(&url, what).map_err(|e| (e, None))?;
            if !seen.insert(url.clone()) {
                return Err((
                    FetchError::RedirectLoop {
                        url: url.to_string(),
                    },
                    None,
                ));
            }
            // A redirect must not lead around robots.txt: each new address is checked too (the
            // rules are cached per origin, so a same-host hop costs nothing).
            if hop > 0 && !req.ignore_robots {
                robots
                    .check(self, politeness, &url)
                    .await
                    .map_err(|e| (e, None))?;
            }
            let crawl_delay = robots.crawl_delay(&url).await;
            let _permits = politeness.permits(&url, crawl_delay).await;
            let started = Instant::now();
            let resp = self
                .client
                .get(url.clone())
                .headers(request_headers(hop, req.validators))
                .send()
                .await
                .map_err(|e| (self.classify(&e, &url, what), None))?;
            let status = resp.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let next = self
                    .redirect_target(&url, resp.headers().get(header::LOCATION))
                    .map_err(|e| (e, None))?;
                let permanent = matches!(
                    status,
                    StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
                );
                permanent_so_far &= permanent;
                if permanent_so_far {
                    moved_to = Some(next.clone());
                }
                url = next;
                continue;
            }
            if status == StatusCode::NOT_MODIFIED {
                return Ok(Fetched::NotModified { url });
            }
            if !status.is_success() {
                let retry_after = retry_after(resp.headers());
                let wall = if WALL_STATUSES.contains(&status.as_u16()) {
                    peek_wall(resp, self.settings.max_body).await
                } else {
                    None
                };
                return Err((
                    FetchError::Status {
                        status: status.as_u16(),
                        url: url.to_string(),
                        wall,
                    },
                    retry_after,
                ));
            }
            let page = self
                .read_page(resp, &url, started)
                .await
                .map_err(|e| (e, None))?;
            return Ok(Fetched::Page(Box::new(Page { moved_to, ..page })));
        }
        Err((FetchError::TooManyRedirects, None))
    }

    async fn read_page(
        &self,
        mut resp: reqwest::Response,
        url: &Url,
        started: Instant,
    ) -> Result<Page, FetchError> {
        let limit = self.settings.max_body;
        let too_large = || FetchError::TooLarge {
            limit: size_text(limit),
        };
        let content_type = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .trim()
            .to_string();
        refuse_by_type(&content_type)?;
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let validators = Validators {
            etag: header_string(resp.headers(), header::ETAG),
            last_modified: strong_last_modified(resp.headers()),
        };
        let status = resp.status().as_u16();
        // Sized once when the length is announced (and within the limit); compressed or chunked
        // bodies grow as they come.
        let announced = resp.content_length().unwrap_or(0).min(limit);
        let mut body: Vec<u8> = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
        // Chunks arrive decompressed, so this bounds the decompressed size: a gzip bomb stops here.
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| self.classify(&e, url, "refused"))?
        {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let bytes = body.len();
        let (body, encoding) = match body_kind(&content_type, &body)? {
            Kind::Pdf => (Body::Pdf(body), BINARY),
            Kind::Html => {
                let Decoded { text, encoding, .. } = decode(body, Some(&content_type));
                (Body::Html(text), encoding.name())
            }
        };
        tracing::trace!(%url, bytes, kind = body.kind(), elapsed = ?started.elapsed(), "page read");
        Ok(Page {
            url: url.clone(),
            status,
            content_type,
            body,
            encoding,
            validators,
            moved_to: None,
        })
    }

    /// Where a redirect points, refused before anything connects to it when the scheme is not
    /// HTTP(S) or the host is a literal address the guard refuses (names are guarded again when
    /// they resolve).
    pub fn redirect_target(
        &self,
        from: &Url,
        location: Option<&HeaderValue>,
    ) -> Result<Url, FetchError> {
        let next = location
            .and_then(|l| l.to_str().ok())
            .and_then(|l| from.join(l.trim()).ok())
            .ok_or_else(|| FetchError::BadRedirect {
                url: from.to_string(),
            })?;
        self.check_literal(&next, "redirect to")?;
        Ok(next)
    }

    /// Refuses schemes other than HTTP(S) and literal addresses the guard refuses.
    pub fn check_literal(&self, url: &Url, what: &'static str) -> Result<(), FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::Scheme {
                url: url.to_string(),
            });
        }
        if url.host().is_none() {
            return Err(FetchError::Scheme {
                url: url.to_string(),
            });
        }
        self.guard
            .check_url(url)
            .map_err(|(ip, r)| refusal_error(r, what, ip.to_string()))
    }

    pub fn classify(&self, e: &reqwest::Error, url: &Url, what: &'static str) -> FetchError {
        classify(e, url, what, self.settings.timeout)
    }
}

/// What [`Page::encoding`] says for a body that is not text.
pub const BINARY: &str = "binary";

fn request_headers(hop: usize, validators: Option<&Validators>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::ACCEPT,
        HeaderValue::from_static(
            "text/html,application/xhtml+xml;q=0.9,application/pdf;q=0.8,*/*;q=0.5",
        ),
    );
    // Validators belong to the address asked for, not to where it redirects.
    if hop == 0
        && let Some(v) = validators
    {
        if let Some(etag) = v
            .etag
            .as_deref()
            .and_then(|e| HeaderValue::from_str(e).ok())
        {
            headers.insert(header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = v
            .last_modified
            .as_deref()
            .and_then(|e| HeaderValue::from_str(e).ok())
        {
            headers.insert(header::IF_MODIFIED_SINCE, lm);
        }
    }
    headers
}

/// The statuses bot-protection services answer with (Cloudflare's challenges come with 403 or
/// 503, Alibaba Cloud's refusal with 405, rate limits with 429): their bodies are read to name
/// the service.
const WALL_STATUSES: [u16; 4] = [403, 405, 429, 503];

/// How long an error response's body is waited for, to name its wall: the status is the answer
/// already, so a server that trickles its error page costs this much, not the whole timeout.
const WALL_PEEK: Duration = Duration::from_secs(2);

/// The bot wall an error response's body is, if any ([`wall::wall`]). At most
/// [`wall::MAX_WALL_BYTES`] (or `max_body`, if smaller) are read, for at most [`WALL_PEEK`]; a
/// body announced or found longer, or that does not arrive in time, names none. The status is
/// the failure either way, so the text is not counted: the markers alone name who sent the page.
async fn peek_wall(mut resp: reqwest::Response, max_body: u64) -> Option<wall::Wall> {
    let limit =
        usize::try_from(max_body).map_or(wall::MAX_WALL_BYTES, |m| m.min(wall::MAX_WALL_BYTES));
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return None;
    }
    let read = async {
        let mut body: Vec<u8> = Vec::new();
        while let Ok(Some(chunk)) = resp.chunk().await {
            if body.len() + chunk.len() > limit {
                return None;
            }
            body.extend_from_slice(&chunk);
        }
        Some(body)
    };
    let body = tokio::time::timeout(WALL_PEEK, read).await.ok()??;
    wall::wall(&String::from_utf8_lossy(&body), || 0)
}

/// Connecting gets at most 10 s of the whole-request timeout.
pub(crate) fn connect_timeout(timeout: Duration) -> Duration {
    timeout.min(Duration::from_secs(10))
}

fn header_string(h: &HeaderMap, name: header::HeaderName) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.to_string())
}

/// The response's Last-Modified, if it can serve as a validator. Dates have one-second
/// resolution, so a page changed again within the second it was served keeps its date, and
/// `If-Modified-Since` with that date would get a 304 for the changed page, every time after.
/// As RFC 9110 §8.8.2.2 says, the date is trusted only when it is at least a second older than
/// the response's `Date` (or, without one, our clock); an unparseable date is not used either.
fn strong_last_modified(h: &HeaderMap) -> Option<String> {
    let value = header_string(h, header::LAST_MODIFIED)?;
    let modified = httpdate::parse_http_date(&value).ok()?;
    let served = h
        .get(header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .unwrap_or_else(std::time::SystemTime::now);
    served
        .duration_since(modified)
        .is_ok_and(|age| age >= Duration::from_secs(1))
        .then_some(value)
}

/// A byte count as people write it: "10 MiB", "512 KiB"; uneven sizes as bytesize does ("1.4 MiB").
pub fn size_text(n: u64) -> String {
    for (unit, size) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {unit}", n / size);
        }
    }
    bytesize::ByteSize(n).display().iec().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_people_write_them() {
        assert_eq!(size_text(10 * 1024 * 1024), "10 MiB");
        assert_eq!(size_text(512 * 1024), "512 KiB");
        assert_eq!(size_text(3 << 30), "3 GiB");
        assert_eq!(size_text(1536 * 1024), "1536 KiB");
        assert_eq!(size_text(1_500_000), "1.4 MiB");
    }

    fn http(allow_private: bool) -> Http {
        Http::new(&FetchSettings {
            allow_private_addresses: allow_private,
            ..FetchSettings::default()
        })
        .unwrap()
    }

    fn hop(h: &Http, from: &str, location: &'static str) -> Result<Url, FetchError> {
        h.redirect_target(
            &Url::parse(from).unwrap(),
            Some(&HeaderValue::from_static(location)),
        )
    }

    #[test]
    fn every_redirect_hop_is_guarded() {
        let public = "https://www.example.com/terms";
        let strict = http(false);
        for (location, addr) in [
            ("http://10.1.2.3/admin", "10.1.2.3"),
            ("http://127.0.0.1:8080/", "127.0.0.1"),
            ("http://192.168.0.1/", "192.168.0.1"),
            // Spellings the URL parser turns into loopback.
            ("http://0x7f.1/", "127.0.0.1"),
            ("http://2130706433/", "127.0.0.1"),
            ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
            ("http://[::1]/", "::1"),
        ] {
            let err = hop(&strict, public, location).unwrap_err();
            assert!(
                matches!(&err, FetchError::PrivateAddress { what: "redirect to", addr: a } if a == addr),
                "{location}: {err:?}"
            );
            assert!(
                err.to_string().starts_with("redirect to a private address"),
                "{err}"
            );
        }
        // Link-local and unspecified: refused even when private addresses are allowed.
        let lenient = http(true);
        for (location, addr) in [
            (
                "http://169.254.169.254/latest/meta-data/",
                "169.254.169.254",
            ),
            ("http://0.0.0.0:8080/", "0.0.0.0"),
            ("http://[fe80::1]/", "fe80::1"),
        ] {
            for h in [&strict, &lenient] {
                let err = hop(h, public, location).unwrap_err();
                assert!(
                    matches!(&err, FetchError::ForbiddenAddress { what: "redirect to", addr: a } if a == addr),
                    "{location}: {err:?}"
                );
            }
        }
        // Private allowed when configured; public and relative always; other schemes never.
        assert!(hop(&lenient, public, "http://10.1.2.3/").is_ok());
        assert_eq!(
            hop(&strict, public, "/other").unwrap().as_str(),
            "https://www.example.com/other"
        );
        assert!(matches!(
            hop(&strict, public, "file:///etc/passwd"),
            Err(FetchError::Scheme { .. })
        ));
        assert!(matches!(
            strict.redirect_target(&Url::parse(public).unwrap(), None),
            Err(FetchError::BadRedirect { .. })
        ));
    }
}
