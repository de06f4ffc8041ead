//! Fetch: a URL → a decoded HTML page, politely and within limits.
//!
//! Every hop of a redirect chain is re-checked against the address guard; the body is read as a
//! stream and cut at `max_body` decompressed bytes, so neither a huge page nor a compression bomb
//! is ever held in memory; the whole request (connect, headers, body) has one deadline, which also
//! cuts a server that trickles bytes. Transient failures (connection refused, timeouts, 429 and
//! 502/503/504) are retried inside the same check with backoff and jitter, honouring
//! `Retry-After` up to a cap. robots.txt is read per host (following up to five redirects, each
//! hop guarded too), cached for a day, and obeyed, with its crawl-delay (up to a cap). Requests to
//! one host are limited in number and spaced out; other hosts don't wait.
//! Errors are short phrases a user can act on. Nothing here knows about selectors or storage.

pub mod decode;
pub mod guard;

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Client, StatusCode};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

use crate::config::FetchSettings;
use crate::fetch::decode::{Decoded, decode};
use crate::fetch::guard::{AddressGuard, Refusal};

pub const MAX_REDIRECTS: usize = 10;
/// The longest a `Retry-After` is honoured within one check.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
/// The longest a robots.txt `Crawl-delay` spaces two requests to one host. Smaller than
/// `MAX_RETRY_WAIT` because it is paid on every request, not once per failure: the requests of a
/// pass queue behind one another per host, so with several targets on one host a larger value
/// would stretch a pass (and the `check` command) into minutes.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(10);
/// How many redirects of robots.txt are followed (RFC 9309 §2.3.1.2: at least five).
pub const MAX_ROBOTS_REDIRECTS: usize = 5;
const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);
const ROBOTS_MAX: u64 = 512 * 1024;
const BACKOFF_BASE: Duration = Duration::from_millis(500);

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
    #[error("HTTP {status} from {url}")]
    Status { status: u16, url: String },
    #[error("body over {limit}")]
    TooLarge { limit: String },
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

/// Validators from the previous fetch, for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub url: &'a Url,
    pub validators: Option<&'a Validators>,
    pub ignore_robots: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Where the page was finally found, after redirects.
    pub url: Url,
    pub status: u16,
    pub content_type: String,
    pub html: String,
    pub encoding: &'static str,
    pub validators: Validators,
    /// Set when the chain started with a permanent redirect (301/308): the page moved.
    pub moved_to: Option<Url>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    Page(Box<Page>),
    /// 304: the page is as it was at the last fetch.
    NotModified {
        url: Url,
    },
}

struct HostGate {
    permits: Arc<Semaphore>,
    next_slot: tokio::sync::Mutex<Instant>,
}

struct RobotsEntry {
    fetched: Instant,
    rules: Option<Arc<texting_robots::Robot>>,
}

/// A shared HTTP client with per-host politeness state. Cheap to share behind an `Arc`.
pub struct Fetcher {
    client: Client,
    settings: FetchSettings,
    guard: AddressGuard,
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
    /// Per origin, so that a slow robots.txt on one host never holds up another host.
    robots: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<RobotsEntry>>>>>,
}

/// An error from our DNS resolver, found again in reqwest's error chain.
#[derive(Debug, thiserror::Error)]
enum ResolveError {
    #[error("DNS failure for {0}")]
    Dns(String),
    #[error("address {addr} refused for {host}")]
    Refused {
        host: String,
        addr: IpAddr,
        refusal: Refusal,
    },
}

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
                // Not `Box::new(..)?`: `?` would box the box, and `classify` could no longer
                // find the `ResolveError` in the chain.
                .map_err(|_| ResolveError::Dns(host.clone()))?
                .collect();
            let mut first_refusal = None;
            let allowed: Vec<SocketAddr> = addrs
                .into_iter()
                .filter(|a| match guard.check(a.ip()) {
                    Ok(()) => true,
                    Err(r) => {
                        first_refusal.get_or_insert((a.ip(), r));
                        false
                    }
                })
                .collect();
            match (allowed.is_empty(), first_refusal) {
                (false, _) => Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs),
                (true, Some((addr, refusal))) => Err(Box::new(ResolveError::Refused {
                    host,
                    addr,
                    refusal,
                }) as _),
                (true, None) => Err(Box::new(ResolveError::Dns(host)) as _),
            }
        })
    }
}

/// How long an idle connection is kept for the next request to its host.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

impl Fetcher {
    pub fn new(settings: &FetchSettings) -> Result<Fetcher, FetchError> {
        let guard = AddressGuard {
            allow_private: settings.allow_private_addresses,
        };
        let mut builder = Client::builder()
            .user_agent(settings.user_agent.clone())
            .timeout(settings.timeout)
            .connect_timeout(connect_timeout(settings.timeout))
            .redirect(reqwest::redirect::Policy::none())
            // Proxies would hide the real destination from the address guard.
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver { guard }))
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            // As many idle connections as a host may have requests in flight: a smaller pool
            // closes and reopens connections on every pass (a TCP handshake per page).
            .pool_max_idle_per_host(settings.per_host_concurrency.max(1));
        if let Some(ca) = &settings.ca_file {
            let pem = std::fs::read(ca).map_err(|e| {
                FetchError::Other(format!("cannot read fetch.ca_file {}: {e}", ca.display()))
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                FetchError::Other(format!("fetch.ca_file {} is not PEM: {e}", ca.display()))
            })?;
            builder = builder.tls_certs_merge(certs);
        }
        let client = builder
            .build()
            .map_err(|e| FetchError::Other(format!("cannot build the HTTP client: {e}")))?;
        Ok(Fetcher {
            client,
            settings: settings.clone(),
            guard,
            global: Arc::new(Semaphore::new(settings.concurrency)),
            hosts: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
        })
    }

    /// Fetches a page, with retries for transient failures.
    pub async fn fetch(&self, req: &Request<'_>) -> Result<Fetched, FetchError> {
        let mut attempt = 0;
        loop {
            // robots.txt is inside the loop: a transient failure to read it (a timeout, a 503) is
            // retried like one of the page itself. Only a successful read is cached.
            let robots = if req.ignore_robots {
                Ok(())
            } else {
                self.check_robots(req.url).await.map_err(|e| (e, None))
            };
            let result = match robots {
                Ok(()) => self.fetch_once(req).await,
                Err(e) => Err(e),
            };
            match result {
                Err(ref e) if e.0.is_transient() && attempt < self.settings.retries => {
                    let wait = e.1.unwrap_or_else(|| backoff(attempt));
                    tracing::debug!(url = %req.url, error = %e.0, ?wait, "transient failure, retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                other => return other.map_err(|(e, _)| e),
            }
        }
    }

    /// One attempt: follows redirects by hand so every hop is guarded. On failure, also returns
    /// the wait a `Retry-After` asked for.
    async fn fetch_once(
        &self,
        req: &Request<'_>,
    ) -> Result<Fetched, (FetchError, Option<Duration>)> {
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
                self.check_robots(&url).await.map_err(|e| (e, None))?;
            }
            let crawl_delay = self.crawl_delay(&url).await;
            let _permits = self.permits(&url, crawl_delay).await;
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT,
                HeaderValue::from_static("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"),
            );
            if hop == 0
                && let Some(v) = req.validators
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
            let started = Instant::now();
            let resp = self
                .client
                .get(url.clone())
                .headers(headers)
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
                return Err((
                    FetchError::Status {
                        status: status.as_u16(),
                        url: url.to_string(),
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
        check_content_type(&content_type, None)?;
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
        check_content_type(&content_type, Some(&body))?;
        let bytes = body.len();
        let Decoded { text, encoding, .. } = decode(body, Some(&content_type));
        tracing::trace!(%url, bytes, elapsed = ?started.elapsed(), "page read");
        Ok(Page {
            url: url.clone(),
            status,
            content_type,
            html: text,
            encoding: encoding.name(),
            validators,
            moved_to: None,
        })
    }

    /// Where a redirect points, refused before anything connects to it when the scheme is not
    /// HTTP(S) or the host is a literal address the guard refuses (names are guarded again when
    /// they resolve).
    fn redirect_target(
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

    fn check_literal(&self, url: &Url, what: &'static str) -> Result<(), FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::Scheme {
                url: url.to_string(),
            });
        }
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
            Some(url::Host::Domain(_)) => return Ok(()),
            None => {
                return Err(FetchError::Scheme {
                    url: url.to_string(),
                });
            }
        };
        self.guard
            .check(ip)
            .map_err(|r| refusal_error(r, what, ip.to_string()))
    }

    fn classify(&self, e: &reqwest::Error, url: &Url, what: &'static str) -> FetchError {
        let host = url.host_str().unwrap_or("").to_string();
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
        // The text of the error's causes, outermost first. Not of `e` itself: reqwest's own text
        // names the URL, and a URL such as https://example.org/tls-terms must not make an
        // unrelated failure read as a TLS one.
        let mut causes: Vec<String> = Vec::new();
        let mut outermost = true;
        while let Some(s) = source {
            if let Some(r) = s.downcast_ref::<ResolveError>() {
                return match r {
                    ResolveError::Dns(h) => FetchError::Dns { host: h.clone() },
                    ResolveError::Refused { addr, refusal, .. } => {
                        refusal_error(*refusal, what, addr.to_string())
                    }
                };
            }
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
                connect_timeout(self.settings.timeout)
            } else {
                self.settings.timeout
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

    /// Waits for a slot at this host (number and spacing), then for a global slot.
    async fn permits(
        &self,
        url: &Url,
        crawl_delay: Duration,
    ) -> (OwnedSemaphorePermit, OwnedSemaphorePermit) {
        let gate = self.gate(url);
        let host_permit = gate
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("host semaphores are never closed");
        let delay = self.settings.per_host_delay.max(crawl_delay);
        {
            let mut next = gate.next_slot.lock().await;
            let now = Instant::now();
            let start = (*next).max(now);
            *next = start + delay;
            drop(next);
            tokio::time::sleep_until(start.into()).await;
        }
        let global = self
            .global
            .clone()
            .acquire_owned()
            .await
            .expect("the global semaphore is never closed");
        (host_permit, global)
    }

    fn gate(&self, url: &Url) -> Arc<HostGate> {
        let key = origin(url);
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(HostGate {
                    permits: Arc::new(Semaphore::new(self.settings.per_host_concurrency)),
                    next_slot: tokio::sync::Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    fn robots_slot(&self, url: &Url) -> Arc<tokio::sync::Mutex<Option<RobotsEntry>>> {
        let mut robots = self.robots.lock().unwrap_or_else(|p| p.into_inner());
        robots.entry(origin(url)).or_default().clone()
    }

    async fn crawl_delay(&self, url: &Url) -> Duration {
        let slot = self.robots_slot(url);
        let entry = slot.lock().await;
        entry
            .as_ref()
            .and_then(|e| e.rules.as_ref())
            .and_then(|r| r.delay)
            .map(crawl_delay_wait)
            .unwrap_or_default()
    }

    async fn check_robots(&self, url: &Url) -> Result<(), FetchError> {
        let robots_url = match url.join("/robots.txt") {
            Ok(u) => u,
            Err(_) => return Ok(()),
        };
        let slot = self.robots_slot(url);
        let mut entry = slot.lock().await;
        let fresh = entry
            .as_ref()
            .is_some_and(|e| e.fetched.elapsed() < ROBOTS_TTL);
        if !fresh {
            // The slot stays locked across the fetch so that a pass over many pages of one host
            // asks for robots.txt once.
            let rules = self.fetch_robots(&robots_url).await?;
            *entry = Some(RobotsEntry {
                fetched: Instant::now(),
                rules,
            });
        }
        let allowed = entry
            .as_ref()
            .and_then(|e| e.rules.as_ref())
            .is_none_or(|r| r.allowed(url.as_str()));
        if allowed {
            Ok(())
        } else {
            Err(FetchError::Robots {
                robots: robots_url.to_string(),
            })
        }
    }

    /// `None` means no rules (404 and the like: everything allowed, as RFC 9309 says).
    ///
    /// Redirects are followed (RFC 9309 §2.3.1.2), up to `MAX_ROBOTS_REDIRECTS`, even to another
    /// host; every hop passes the address guard as a page's hops do, and the rules found apply to
    /// the original host. A chain that finds no robots.txt (a loop, more than five redirects, a
    /// redirect without a usable Location) counts as unavailable, like a 404: no rules.
    async fn fetch_robots(
        &self,
        robots_url: &Url,
    ) -> Result<Option<Arc<texting_robots::Robot>>, FetchError> {
        self.check_literal(robots_url, "refused")?;
        // A failure here must say it was robots.txt, not the page, that failed; `at` is the
        // robots.txt address that was being fetched.
        let failed = |e: FetchError, at: &Url| match e {
            // Failures of the page's own host read the same whatever the path.
            FetchError::PrivateAddress {
                what: "refused", ..
            }
            | FetchError::ForbiddenAddress {
                what: "refused", ..
            }
            | FetchError::Dns { .. }
            | FetchError::Tls { .. }
            | FetchError::Refused { .. }
            | FetchError::Connect { .. }
                if origin(at) == origin(robots_url) =>
            {
                e
            }
            other => FetchError::RobotsFailed {
                robots: at.to_string(),
                cause: Box::new(other),
            },
        };
        let mut url = robots_url.clone();
        let mut seen: HashSet<Url> = HashSet::new();
        let mut redirects = 0;
        let (mut resp, _permits) = loop {
            seen.insert(url.clone());
            // Held until this response is done with; a redirect lets go of them before the next
            // hop asks, so a same-host hop cannot wait on its own permit.
            let permits = self.permits(&url, Duration::ZERO).await;
            let resp = match self.client.get(url.clone()).send().await {
                Ok(r) => r,
                Err(e) => return Err(failed(self.classify(&e, &url, "refused"), &url)),
            };
            let status = resp.status();
            if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
                break (resp, permits);
            }
            drop(permits);
            let next = match self.redirect_target(&url, resp.headers().get(header::LOCATION)) {
                Ok(next) => next,
                Err(FetchError::BadRedirect { .. } | FetchError::Scheme { .. }) => {
                    tracing::debug!(
                        robots = %robots_url,
                        at = %url,
                        "robots.txt redirect leads nowhere; no rules"
                    );
                    return Ok(None);
                }
                Err(e) => return Err(failed(e, &url)),
            };
            if redirects == MAX_ROBOTS_REDIRECTS || seen.contains(&next) {
                tracing::debug!(
                    robots = %robots_url,
                    at = %url,
                    "robots.txt redirect loop or chain too long; no rules"
                );
                return Ok(None);
            }
            redirects += 1;
            url = next;
        };
        let status = resp.status();
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Err(FetchError::RobotsUnavailable {
                robots: url.to_string(),
                status: status.as_u16(),
            });
        }
        if !status.is_success() {
            return Ok(None);
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| failed(self.classify(&e, &url, "refused"), &url))?
        {
            body.extend_from_slice(&chunk);
            if body.len() as u64 > ROBOTS_MAX {
                // RFC 9309: parse at least 500 KiB; ignore the rest.
                body.truncate(ROBOTS_MAX as usize);
                break;
            }
        }
        Ok(texting_robots::Robot::new("policywatch", &body)
            .ok()
            .map(Arc::new))
    }
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

/// A robots.txt `Crawl-delay` (seconds, as parsed) as a wait, capped at `MAX_CRAWL_DELAY`. The cap
/// is applied before converting: `Duration::from_secs_f32` panics on values past `u64::MAX`
/// seconds (`Crawl-delay: 1e20`). NaN, zero and negative values mean no delay; `inf` is the cap.
fn crawl_delay_wait(seconds: f32) -> Duration {
    if seconds.is_nan() || seconds <= 0.0 {
        return Duration::ZERO;
    }
    Duration::try_from_secs_f32(seconds.min(MAX_CRAWL_DELAY.as_secs_f32()))
        .unwrap_or(MAX_CRAWL_DELAY)
        .min(MAX_CRAWL_DELAY)
}

/// Connecting gets at most 10 s of the whole-request timeout.
fn connect_timeout(timeout: Duration) -> Duration {
    timeout.min(Duration::from_secs(10))
}

fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

fn refusal_error(r: Refusal, what: &'static str, addr: String) -> FetchError {
    match r {
        Refusal::Private => FetchError::PrivateAddress { what, addr },
        Refusal::Forbidden => FetchError::ForbiddenAddress { what, addr },
    }
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

/// Accepts HTML and text; with the body in hand, also an unlabelled body that looks like markup.
/// PDFs are refused by name: extracting their text would plug in here.
fn check_content_type(content_type: &str, body: Option<&[u8]>) -> Result<(), FetchError> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let not_html = || FetchError::NotHtml {
        content_type: if mime.is_empty() {
            "no content type, binary body".to_string()
        } else {
            mime.clone()
        },
    };
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" | "text/plain" => Ok(()),
        "" | "application/octet-stream" | "binary/octet-stream" => match body {
            None => Ok(()),
            Some(b) if looks_like_markup(b) => Ok(()),
            Some(_) => Err(not_html()),
        },
        m if m.starts_with("text/") && m != "text/css" && m != "text/javascript" => Ok(()),
        _ => Err(not_html()),
    }
}

fn looks_like_markup(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    start.is_some_and(|i| body[i] == b'<') && !body.iter().take(4096).any(|b| *b == 0)
}

/// A byte count as people write it: "10 MiB", "512 KiB"; uneven sizes as bytesize does ("1.4 MiB").
fn size_text(n: u64) -> String {
    for (unit, size) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {unit}", n / size);
        }
    }
    bytesize::ByteSize(n).display().iec().to_string()
}

fn retry_after(h: &HeaderMap) -> Option<Duration> {
    let v = h.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match v.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => {
            let when = httpdate_to_system(v)?;
            when.duration_since(std::time::SystemTime::now())
                .unwrap_or_default()
        }
    };
    Some(wait.min(MAX_RETRY_WAIT))
}

fn httpdate_to_system(v: &str) -> Option<std::time::SystemTime> {
    let dt = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    Some(std::time::SystemTime::from(dt))
}

/// Exponential backoff with full jitter: 0.5 s, 1 s, 2 s… each scaled by a random 50–150 %.
fn backoff(attempt: u32) -> Duration {
    let base = BACKOFF_BASE.saturating_mul(1 << attempt.min(6));
    base.mul_f64(0.5 + fastrand::f64()).min(MAX_RETRY_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert!(check_content_type("text/html; charset=big5", None).is_ok());
        assert_eq!(
            check_content_type("image/png", None),
            Err(FetchError::NotHtml {
                content_type: "image/png".into()
            })
        );
        assert!(check_content_type("application/pdf", None).is_err());
        assert!(check_content_type("", Some(b"  <!doctype html><p>x")).is_ok());
        assert!(
            check_content_type("application/octet-stream", Some(b"\x89PNG\r\n\x1a\n\0\0")).is_err()
        );
    }

    #[test]
    fn retry_after_forms_and_cap() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("86400"));
        assert_eq!(retry_after(&h), Some(MAX_RETRY_WAIT));
        h.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
    }

    #[test]
    fn crawl_delay_is_capped_before_it_becomes_a_duration() {
        assert_eq!(crawl_delay_wait(1e20), MAX_CRAWL_DELAY);
        assert_eq!(crawl_delay_wait(f32::MAX), MAX_CRAWL_DELAY);
        assert_eq!(crawl_delay_wait(f32::INFINITY), MAX_CRAWL_DELAY);
        assert_eq!(crawl_delay_wait(3600.0), MAX_CRAWL_DELAY);
        assert_eq!(crawl_delay_wait(f32::NAN), Duration::ZERO);
        assert_eq!(crawl_delay_wait(f32::NEG_INFINITY), Duration::ZERO);
        assert_eq!(crawl_delay_wait(-5.0), Duration::ZERO);
        assert_eq!(crawl_delay_wait(0.0), Duration::ZERO);
        assert_eq!(crawl_delay_wait(2.0), Duration::from_secs(2));
        assert_eq!(crawl_delay_wait(0.5), Duration::from_millis(500));
    }

    #[test]
    fn crawl_delay_spellings_in_robots_txt() {
        for (line, wait) in [
            ("Crawl-delay: 1e20", MAX_CRAWL_DELAY),
            ("Crawl-delay: inf", MAX_CRAWL_DELAY),
            ("Crawl-delay: NaN", Duration::ZERO),
            ("Crawl-delay: -3", Duration::ZERO),
            ("Crawl-delay: soon", Duration::ZERO),
            ("Crawl-delay: 1.5", Duration::from_millis(1500)),
        ] {
            let body = format!("User-agent: *\n{line}\nDisallow: /private/\n");
            let robot = texting_robots::Robot::new("policywatch", body.as_bytes()).unwrap();
            assert_eq!(
                robot.delay.map(crawl_delay_wait).unwrap_or_default(),
                wait,
                "{line}"
            );
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        for a in 0..20 {
            let b = backoff(a);
            assert!(b <= MAX_RETRY_WAIT);
            if a == 0 {
                assert!(b >= Duration::from_millis(250) && b <= Duration::from_millis(750));
            }
        }
    }

    #[test]
    fn limits_read_as_people_write_them() {
        assert_eq!(size_text(10 * 1024 * 1024), "10 MiB");
        assert_eq!(size_text(512 * 1024), "512 KiB");
        assert_eq!(size_text(3 << 30), "3 GiB");
        assert_eq!(size_text(1536 * 1024), "1536 KiB");
        assert_eq!(size_text(1_500_000), "1.4 MiB");
    }

    fn fetcher(allow_private: bool) -> Fetcher {
        Fetcher::new(&FetchSettings {
            allow_private_addresses: allow_private,
            ..FetchSettings::default()
        })
        .unwrap()
    }

    fn hop(f: &Fetcher, from: &str, location: &'static str) -> Result<Url, FetchError> {
        f.redirect_target(
            &Url::parse(from).unwrap(),
            Some(&HeaderValue::from_static(location)),
        )
    }

    #[test]
    fn every_redirect_hop_is_guarded() {
        let public = "https://www.example.com/terms";
        let strict = fetcher(false);
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
        let lenient = fetcher(true);
        for (location, addr) in [
            (
                "http://169.254.169.254/latest/meta-data/",
                "169.254.169.254",
            ),
            ("http://0.0.0.0:8080/", "0.0.0.0"),
            ("http://[fe80::1]/", "fe80::1"),
        ] {
            for f in [&strict, &lenient] {
                let err = hop(f, public, location).unwrap_err();
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
                url: String::new()
            }
            .is_transient()
        );
        assert!(
            !FetchError::Status {
                status: 404,
                url: String::new()
            }
            .is_transient()
        );
        assert!(
            !FetchError::Robots {
                robots: String::new()
            }
            .is_transient()
        );
    }
}
