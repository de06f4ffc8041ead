//! Fetch: a target's URL → a [`Page`] with a typed [`Body`] (decoded HTML or PDF bytes), politely
//! and within limits. Nothing here knows about selectors or storage.
//!
//! The parts, each in its own module:
//! - [`http`]: the static backend, one GET with its redirects, read into a typed body;
//! - [`politeness`]: per-host gates and spacing, the global limit, retry backoff;
//! - [`robots`]: robots.txt, cached per origin and obeyed at every hop;
//! - [`guard`]: which addresses may be reached, and the guarded DNS resolver;
//! - [`error`]: [`FetchError`] and the reqwest → cause mapping;
//! - [`sniff`]: what a body is (PDF, HTML or refused), from its bytes, then its Content-Type;
//! - [`decode`]: bytes → text (BOM, Content-Type, `<meta charset>`, a guess).
//!
//! [`Fetcher`] picks the backend per request ([`Render`]): `Static` is [`http`]; `Browser` is a
//! [`Renderer`] plugged in with [`Fetcher::with_renderer`], which returns the rendered DOM as
//! [`Body::Html`], so everything after fetching treats both the same. Retries of transient
//! failures happen here, around either backend.

pub mod browser;
pub mod decode;
pub mod error;
pub mod guard;
pub mod http;
pub mod politeness;
pub mod robots;
pub mod sniff;
pub mod wall;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::config::{FetchSettings, Render};

pub use error::FetchError;
pub use http::{MAX_REDIRECTS, POOL_IDLE_TIMEOUT};
pub use politeness::{MAX_RETRY_WAIT, origin};
pub use robots::{MAX_CRAWL_DELAY, MAX_ROBOTS_REDIRECTS};

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
    /// Which backend loads the page.
    pub render: &'a Render,
}

/// What a page is, as extraction needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// HTML (or plain text), decoded; also what a browser backend returns after rendering.
    Html(String),
    /// A PDF document, as served: its text is extracted later (`extract::document`).
    Pdf(Vec<u8>),
}

impl Body {
    /// A short name for logs and the store: "html" or "pdf".
    pub fn kind(&self) -> &'static str {
        match self {
            Body::Html(_) => "html",
            Body::Pdf(_) => "pdf",
        }
    }

    /// The bytes as served (HTML as decoded UTF-8).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Body::Html(text) => text.as_bytes(),
            Body::Pdf(bytes) => bytes,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Where the page was finally found, after redirects.
    pub url: Url,
    pub status: u16,
    pub content_type: String,
    pub body: Body,
    /// The charset HTML was decoded from; [`http::BINARY`] for a PDF.
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

/// The parts every backend shares: the HTTP client (for robots.txt), the address guard,
/// robots.txt and politeness. A backend that makes requests of its own (a browser loading a
/// page's scripts) runs each of them past [`Shared::admit`] and holds [`Shared::permits`] while a
/// page loads.
pub struct Shared<'a> {
    pub http: &'a http::Http,
    pub politeness: &'a politeness::Politeness,
    pub robots: &'a robots::Robots,
    pub settings: &'a FetchSettings,
}

impl Shared<'_> {
    /// Whether a request to `url` may be made: an HTTP(S) scheme, a literal address the guard
    /// allows (names: check their addresses with [`guard::AddressGuard::check`] once resolved),
    /// and robots.txt, unless the target ignores it.
    pub async fn admit(&self, url: &Url, ignore_robots: bool) -> Result<(), FetchError> {
        self.http.check_literal(url, "refused")?;
        if ignore_robots {
            return Ok(());
        }
        self.robots.check(self.http, self.politeness, url).await
    }

    /// The address guard, for addresses a backend resolves itself.
    pub fn guard(&self) -> guard::AddressGuard {
        self.http.guard()
    }

    /// A slot at the URL's host and a global one, spaced by the host's delays.
    pub async fn permits(&self, url: &Url) -> politeness::Permits {
        let delay = self.robots.crawl_delay(url).await;
        self.politeness.permits(url, delay).await
    }
}

/// The future a [`Renderer`] returns.
pub type Rendering<'a> = Pin<Box<dyn Future<Output = Result<Fetched, FetchError>> + Send + 'a>>;

/// A backend that loads a page in a browser and returns its rendered DOM as [`Body::Html`].
/// `wait_for` is the target's CSS selector to wait for (else: network idle). One attempt; the
/// [`Fetcher`] retries transient errors.
pub trait Renderer: Send + Sync {
    fn render<'a>(
        &'a self,
        req: &'a Request<'a>,
        wait_for: Option<&'a str>,
        shared: Shared<'a>,
    ) -> Rendering<'a>;

    /// Stops whatever the backend keeps running (a browser process); it starts again on demand.
    fn shutdown(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async {})
    }
}

/// Fetches pages with the backend each target asks for. Cheap to share behind an `Arc`.
pub struct Fetcher {
    http: http::Http,
    politeness: politeness::Politeness,
    robots: robots::Robots,
    settings: FetchSettings,
    browser: Option<Arc<dyn Renderer>>,
}

impl Fetcher {
    /// A fetcher with both backends. The browser costs nothing until a target needs it: Chromium
    /// starts on the first `render = "browser"` page (see [`browser`]).
    pub fn new(settings: &FetchSettings) -> Result<Fetcher, FetchError> {
        Ok(Fetcher {
            http: http::Http::new(settings)?,
            politeness: politeness::Politeness::new(settings),
            robots: robots::Robots::default(),
            settings: settings.clone(),
            browser: Some(Arc::new(browser::Chromium::new(settings))),
        })
    }

    /// The robots.txt cache, to hand in what was read before and take out what was read now.
    pub fn robots(&self) -> &robots::Robots {
        &self.robots
    }

    /// Stops the browser if it runs (at the end of `check` and `inspect`, and on shutdown), so
    /// that no Chromium process outlives the command.
    pub async fn shutdown(&self) {
        if let Some(browser) = &self.browser {
            browser.shutdown().await;
        }
    }

    /// Adds the backend for `render = "browser"` targets; without one they fail with
    /// [`FetchError::BrowserUnavailable`].
    pub fn with_renderer(mut self, browser: Arc<dyn Renderer>) -> Fetcher {
        self.browser = Some(browser);
        self
    }

    /// The parts a backend shares with the others.
    pub fn shared(&self) -> Shared<'_> {
        Shared {
            http: &self.http,
            politeness: &self.politeness,
            robots: &self.robots,
            settings: &self.settings,
        }
    }

    /// Fetches a page with the request's backend, with retries for transient failures.
    pub async fn fetch(&self, req: &Request<'_>) -> Result<Fetched, FetchError> {
        let mut attempt = 0;
        loop {
            // robots.txt is inside the loop: a transient failure to read it (a timeout, a 503) is
            // retried like one of the page itself. Only a successful read is cached.
            let robots = if req.ignore_robots {
                Ok(())
            } else {
                self.robots
                    .check(&self.http, &self.politeness, req.url)
                    .await
                    .map_err(|e| (e, None))
            };
            let result = match robots {
                Ok(()) => self.fetch_once(req).await,
                Err(e) => Err(e),
            };
            match result {
                Err(ref e) if e.0.is_transient() && attempt < self.settings.retries => {
                    let wait = e.1.unwrap_or_else(|| politeness::backoff(attempt));
                    tracing::debug!(url = %req.url, error = %e.0, ?wait, "transient failure, retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                other => return other.map_err(|(e, _)| e),
            }
        }
    }

    async fn fetch_once(&self, req: &Request<'_>) -> http::Attempt {
        match req.render {
            Render::Static => {
                self.http
                    .fetch_once(req, &self.politeness, &self.robots)
                    .await
            }
            Render::Browser { wait_for } => match &self.browser {
                Some(browser) => browser
                    .render(req, wait_for.as_deref(), self.shared())
                    .await
                    .map_err(|e| (e, None::<Duration>)),
                None => Err((FetchError::BrowserUnavailable, None)),
            },
        }
    }
}
