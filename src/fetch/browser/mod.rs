//! The browser backend: pages with `render = "browser"` loaded in headless Chromium over the
//! DevTools protocol, returned as their rendered DOM for the same extraction as a static page.
//!
//! One Chromium process is shared by all targets. It starts when the first page needs it and is
//! stopped after [`DEFAULT_IDLE_CLOSE`] without pages (`POLICYWATCH_BROWSER_IDLE` overrides it),
//! so its memory goes back to the system between passes. Pages at once are limited by
//! `fetch.concurrency`; each page gets a fresh browser context (no cookies, cache or storage from
//! another page) and one deadline, `fetch.timeout`.
//!
//! The parts: [`process`] starts and stops Chromium and keeps it off the network; [`page`]
//! renders one page; [`request`] answers each request a page makes, under the address guard and
//! robots.txt. Nothing here knows about selectors or storage.

pub mod page;
pub mod process;
pub mod request;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, Semaphore};
use url::Url;

use crate::config::FetchSettings;
use crate::fetch::guard::AddressGuard;
use crate::fetch::{
    Body, FetchError, Fetched, Page, Renderer, Rendering, Request, Shared, Validators,
};

pub use page::Rendered;
pub use request::{GuardOnly, Policy};

/// How long Chromium stays up without pages before it is stopped.
pub const DEFAULT_IDLE_CLOSE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BrowserError {
    #[error(
        "chromium not found ({looked_for}): install Debian's chromium (scripts/install-test-deps.sh) or set POLICYWATCH_CHROMIUM"
    )]
    NotFound { looked_for: String },
    #[error("cannot start chromium: {0}")]
    Launch(String),
    #[error(
        "chromium exited while rendering the page (crashed or killed); it is restarted for the next page"
    )]
    Crashed,
    #[error("DevTools protocol error: {0}")]
    Protocol(String),
    #[error("page did not settle within {secs} s ({})", settle_detail(*in_flight, *loaded))]
    NotSettled {
        secs: u64,
        in_flight: usize,
        loaded: bool,
    },
    #[error("wait_for selector `{selector}` never appeared within {secs} s")]
    WaitFor { selector: String, secs: u64 },
    #[error("navigation failed: {0}")]
    Navigation(String),
    /// The top-level document itself: refused, not found, not HTML, too large.
    #[error("{0}")]
    Fetch(FetchError),
}

fn settle_detail(in_flight: usize, loaded: bool) -> String {
    match (in_flight, loaded) {
        (0, false) => "the page never started loading".into(),
        (0, true) => "the page kept making requests".into(),
        (1, _) => "1 request still in flight".into(),
        (n, _) => format!("{n} requests still in flight"),
    }
}

/// The shared, lazily started Chromium.
pub struct Chromium {
    settings: FetchSettings,
    guard: AddressGuard,
    /// Built at the first render: most configs render nothing, and building a client (its TLS
    /// roots) was ~1.5 % of a pass that reads no page (issue 16). The HTTP fetcher builds one
    /// from the same settings at start, so their errors still show then.
    client: std::sync::OnceLock<reqwest::Client>,
    executable: std::sync::OnceLock<Result<PathBuf, BrowserError>>,
    idle_close: Duration,
    pages: Arc<Semaphore>,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    process: Option<process::Process>,
    /// Pages being rendered now.
    active: usize,
    /// Bumped whenever a page starts, so that an idle timer armed earlier knows it is stale.
    generation: u64,
}

impl Chromium {
    /// Starts nothing and cannot fail: Chromium and the client its requests go through are both
    /// made when the first page is rendered.
    pub fn new(settings: &FetchSettings) -> Chromium {
        let idle_close = std::env::var("POLICYWATCH_BROWSER_IDLE")
            .ok()
            .and_then(|v| humantime::parse_duration(v.trim()).ok())
            .unwrap_or(DEFAULT_IDLE_CLOSE);
        Chromium {
            settings: settings.clone(),
            guard: AddressGuard {
                allow_private: settings.allow_private_addresses,
            },
            client: std::sync::OnceLock::new(),
            executable: std::sync::OnceLock::new(),
            idle_close,
            pages: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            state: Arc::new(Mutex::new(State::default())),
        }
    }

    /// Renders `url`. `policy` adds robots.txt to the address guard for every request the page
    /// makes.
    pub async fn render(
        &self,
        url: &Url,
        wait_for: Option<&str>,
        policy: &dyn Policy,
    ) -> Result<Rendered, BrowserError> {
        let _page = self
            .pages
            .acquire()
            .await
            .map_err(|_| BrowserError::Protocol("the browser is shutting down".into()))?;
        let client = match self.client.get() {
            Some(client) => client,
            None => {
                let built = request::client(&self.settings).map_err(BrowserError::Fetch)?;
                self.client.get_or_init(|| built)
            }
        };
        let browser = self.checkout().await?;
        let job = page::Job {
            url,
            wait_for,
            timeout: self.settings.timeout,
            max_body: self.settings.max_body,
            client,
            guard: self.guard,
            policy,
        };
        // A hard stop after the tab's setup and the page's own deadline, in case the protocol
        // itself hangs.
        let hard = page::SETUP_TIMEOUT + self.settings.timeout + Duration::from_secs(10);
        let result = match tokio::time::timeout(hard, page::render(&browser, &job)).await {
            Ok(r) => r,
            Err(_) => Err(BrowserError::Protocol(format!(
                "no answer from chromium within {} s",
                hard.as_secs()
            ))),
        };
        self.checkin(result).await
    }

    /// The running browser (started if needed), counted as in use.
    async fn checkout(&self) -> Result<Arc<chromiumoxide::Browser>, BrowserError> {
        let executable = self
            .executable
            .get_or_init(process::find_executable)
            .clone()?;
        let mut state = self.state.lock().await;
        if let Some(p) = state.process.as_mut()
            && p.exited()
        {
            tracing::warn!("chromium had exited; starting it again");
            if let Some(p) = state.process.take() {
                p.stop().await;
            }
        }
        if state.process.is_none() {
            state.process = Some(process::Process::start(&executable).await?);
        }
        state.active += 1;
        state.generation += 1;
        let browser = state
            .process
            .as_ref()
            .map(|p| p.browser.clone())
            .ok_or(BrowserError::Crashed)?;
        Ok(browser)
    }

    /// Counts a page as done, turns a protocol error from a dead browser into `Crashed`, and arms
    /// the idle timer when no page is left.
    async fn checkin(
        &self,
        result: Result<Rendered, BrowserError>,
    ) -> Result<Rendered, BrowserError> {
        let mut state = self.state.lock().await;
        state.active = state.active.saturating_sub(1);
        let crashed = state.process.as_mut().is_some_and(|p| p.exited());
        if state.active == 0 {
            let generation = state.generation;
            let shared = self.state.clone();
            let idle = self.idle_close;
            tokio::spawn(async move {
                tokio::time::sleep(idle).await;
                let mut state = shared.lock().await;
                if state.active == 0
                    && state.generation == generation
                    && let Some(p) = state.process.take()
                {
                    tracing::info!(idle = ?idle, "no pages for a while; stopping chromium");
                    p.stop().await;
                }
            });
        }
        drop(state);
        match result {
            Err(BrowserError::Protocol(_) | BrowserError::NotSettled { .. }) if crashed => {
                Err(BrowserError::Crashed)
            }
            other => other,
        }
    }

    /// Whether Chromium is running now.
    pub async fn is_running(&self) -> bool {
        self.state.lock().await.process.is_some()
    }

    /// Requests that escaped interception and were dropped by the proxy sink since the browser
    /// started (none, unless something is wrong).
    pub async fn escaped_requests(&self) -> usize {
        self.state
            .lock()
            .await
            .process
            .as_ref()
            .map_or(0, |p| p.sink.connections())
    }

    /// Stops Chromium now (at the end of `check`, or on shutdown).
    pub async fn shutdown(&self) {
        if let Some(p) = self.state.lock().await.process.take() {
            p.stop().await;
        }
    }
}

impl From<BrowserError> for FetchError {
    fn from(e: BrowserError) -> FetchError {
        match e {
            BrowserError::Fetch(e) => e,
            other => FetchError::Browser(other.to_string()),
        }
    }
}

/// The page's own requests pass the same checks as a static fetch: scheme, literal address and
/// robots.txt (names are guarded by the resolver of [`request::client`]).
struct SharedPolicy<'a> {
    shared: Shared<'a>,
    ignore_robots: bool,
}

impl Policy for SharedPolicy<'_> {
    fn admit<'a>(
        &'a self,
        url: &'a Url,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), FetchError>> + Send + 'a>>
    {
        Box::pin(self.shared.admit(url, self.ignore_robots))
    }
}

impl Renderer for Chromium {
    fn render<'a>(
        &'a self,
        req: &'a Request<'a>,
        wait_for: Option<&'a str>,
        shared: Shared<'a>,
    ) -> Rendering<'a> {
        Box::pin(async move {
            // The page's host is spaced and limited as for a static fetch, once per page: its
            // own requests (scripts, styles, an API) come in bursts that a per-request delay
            // would stretch past any deadline.
            let _permits = shared.permits(req.url).await;
            let policy = SharedPolicy {
                shared,
                ignore_robots: req.ignore_robots,
            };
            let rendered = Chromium::render(self, req.url, wait_for, &policy).await?;
            Ok(Fetched::Page(Box::new(Page {
                url: rendered.url,
                status: rendered.status,
                content_type: "text/html; charset=utf-8".into(),
                body: Body::Html(rendered.html),
                encoding: "UTF-8",
                validators: Validators::default(),
                moved_to: None,
            })))
        })
    }

    fn shutdown(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        Box::pin(Chromium::shutdown(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_their_cause() {
        let e = BrowserError::NotSettled {
            secs: 30,
            in_flight: 3,
            loaded: true,
        };
        assert_eq!(
            e.to_string(),
            "page did not settle within 30 s (3 requests still in flight)"
        );
        let e = BrowserError::WaitFor {
            selector: "#terms".into(),
            secs: 30,
        };
        assert_eq!(
            e.to_string(),
            "wait_for selector `#terms` never appeared within 30 s"
        );
        let e = BrowserError::NotFound {
            looked_for: "chromium on PATH".into(),
        };
        assert!(e.to_string().contains("scripts/install-test-deps.sh"));
    }
}
