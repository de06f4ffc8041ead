//! One page in the browser: a fresh browser context, every request the page makes answered by
//! `request`, and the rendered DOM once the page settles, all within one deadline.
//!
//! Settled means: the `wait_for` selector matches, or (without one) the document has loaded and
//! no request has been in flight for [`QUIET`], counted from the later of the last request and
//! the moment the document was seen complete. Requests are counted as they pass through our
//! interception, which sees all of them, so "in flight" is exact rather than guessed from events.

use std::collections::HashSet;
use std::time::Duration;

use base64::Engine;
use chromiumoxide::Browser;
use chromiumoxide::cdp::browser_protocol::browser::{
    SetDownloadBehaviorBehavior, SetDownloadBehaviorParams,
};
use chromiumoxide::cdp::browser_protocol::fetch::{
    EnableParams, EventRequestPaused, FailRequestParams, FulfillRequestParams, RequestId,
    RequestPattern, RequestStage,
};
use chromiumoxide::cdp::browser_protocol::network::{
    ErrorReason, ResourceType, SetBypassServiceWorkerParams,
};
use chromiumoxide::cdp::browser_protocol::page::{
    AddScriptToEvaluateOnNewDocumentParams, NavigateParams,
};
use chromiumoxide::cdp::browser_protocol::target::{
    CreateBrowserContextParams, CreateTargetParams,
};
use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::time::Instant;
use url::Url;

use super::BrowserError;
use super::request::{self, Answer, Policy};
use crate::fetch::FetchError;
use crate::fetch::guard::AddressGuard;

/// How long the network must be quiet before a page counts as settled.
pub const QUIET: Duration = Duration::from_millis(500);
/// How long opening a tab (context, page, interception) may take, before the page's deadline.
pub const SETUP_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one DevTools command inside the page's loop may take; a command that hangs (a script
/// evaluated while the page's renderer is being swapped) must not hold the loop past its deadline.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(2);
/// How often the page is looked at while waiting.
const POLL: Duration = Duration::from_millis(100);
/// Requests one page may make; a page that makes more is cut off (they fail).
const MAX_REQUESTS: usize = 2000;
/// Requests of one page answered at once; more wait, paused, in Chromium.
const MAX_IN_FLIGHT: usize = 16;
/// Run before any script of the page: no service worker can be registered, and no WebRTC
/// connection made (its UDP would leave past the interception and the proxy sink; the launch
/// switches forbid it too, this is the second lock).
const BEFORE_PAGE_SCRIPTS: &str = "try { Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined }); } catch (e) {} \
for (const n of ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCDataChannel']) { try { delete window[n]; } catch (e) {} }";

/// What a page gives once rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Where the page ended up (after redirects and script navigation).
    pub url: Url,
    /// `document.documentElement.outerHTML`.
    pub html: String,
    /// The HTTP status of the top-level document.
    pub status: u16,
}

/// What one render needs besides the browser.
pub struct Job<'a> {
    pub url: &'a Url,
    pub wait_for: Option<&'a str>,
    pub timeout: Duration,
    pub max_body: u64,
    pub client: &'a reqwest::Client,
    pub guard: AddressGuard,
    pub policy: &'a dyn Policy,
}

/// Renders one page in its own browser context, which is disposed of afterwards whatever happens.
pub async fn render(browser: &Browser, job: &Job<'_>) -> Result<Rendered, BrowserError> {
    let context = browser
        .create_browser_context(CreateBrowserContextParams::default())
        .await
        .map_err(protocol)?;
    let result = render_in(browser, &context, job).await;
    if let Err(e) = browser.dispose_browser_context(context).await {
        tracing::debug!(error = %e, "disposing of a browser context failed");
    }
    result
}

async fn render_in(
    browser: &Browser,
    context: &chromiumoxide::cdp::browser_protocol::browser::BrowserContextId,
    job: &Job<'_>,
) -> Result<Rendered, BrowserError> {
    let setup = async {
        browser
            .execute(
                SetDownloadBehaviorParams::builder()
                    .behavior(SetDownloadBehaviorBehavior::Deny)
                    .browser_context_id(context.clone())
                    .build()
                    .map_err(BrowserError::Protocol)?,
            )
            .await
            .map_err(protocol)?;
        let page = browser
            .new_page(
                CreateTargetParams::builder()
                    .url("about:blank")
                    .browser_context_id(context.clone())
                    .build()
                    .map_err(BrowserError::Protocol)?,
            )
            .await
            .map_err(protocol)?;
        let paused = page
            .event_listener::<EventRequestPaused>()
            .await
            .map_err(protocol)?;
        page.execute(AddScriptToEvaluateOnNewDocumentParams::new(
            BEFORE_PAGE_SCRIPTS,
        ))
        .await
        .map_err(protocol)?;
        page.execute(SetBypassServiceWorkerParams::new(true))
            .await
            .map_err(protocol)?;
        // Every request, at the request stage: nothing reaches the network unanswered by us.
        page.execute(
            EnableParams::builder()
                .pattern(
                    RequestPattern::builder()
                        .url_pattern("*")
                        .request_stage(RequestStage::Request)
                        .build(),
                )
                .build(),
        )
        .await
        .map_err(protocol)?;
        Ok::<_, BrowserError>((page, paused))
    };
    let (page, paused) = match tokio::time::timeout(SETUP_TIMEOUT, setup).await {
        Ok(r) => r?,
        Err(_) => {
            return Err(BrowserError::Protocol(format!(
                "opening a page took over {} s",
                SETUP_TIMEOUT.as_secs()
            )));
        }
    };
    // The page's own deadline starts at navigation: a busy machine's slow tab is not the page's.
    let deadline = Instant::now() + job.timeout;
    let result = drive(&page, paused, job, deadline).await;
    if let Err(e) = page.close().await {
        tracing::debug!(error = %e, "closing a page failed");
    }
    result
}

/// The state of the page's top-level document.
#[derive(Default)]
struct Document {
    status: Option<u16>,
    content_type: String,
}

/// Renders the page, then fails every request still paused: a request left paused when the
/// page closes would be continued by Chromium on its own (and dropped by the proxy sink).
async fn drive(
    page: &chromiumoxide::Page,
    paused: chromiumoxide::listeners::EventStream<EventRequestPaused>,
    job: &Job<'_>,
    deadline: Instant,
) -> Result<Rendered, BrowserError> {
    let mut unanswered = HashSet::new();
    let result = drive_until_settled(page, paused, job, deadline, &mut unanswered).await;
    for id in unanswered {
        let params = FailRequestParams::new(id, ErrorReason::Aborted);
        if let Err(e) = page.execute(params).await {
            tracing::debug!(error = %e, "aborting a request failed");
        }
    }
    result
}

async fn drive_until_settled(
    page: &chromiumoxide::Page,
    mut paused: chromiumoxide::listeners::EventStream<EventRequestPaused>,
    job: &Job<'_>,
    deadline: Instant,
    unanswered: &mut HashSet<RequestId>,
) -> Result<Rendered, BrowserError> {
    let main_frame = page.target_id().inner().clone();
    let navigate = page.execute(NavigateParams::new(job.url.as_str()));
    tokio::pin!(navigate);
    // chromiumoxide answers Page.navigate only after the load event, which a page with a request
    // that never ends never fires; the page's progress is read from its requests instead.
    let mut navigated = false;
    let mut in_flight = FuturesUnordered::new();
    let mut waiting: Vec<std::sync::Arc<EventRequestPaused>> = Vec::new();
    let mut requests = 0usize;
    let mut last_activity = Instant::now();
    let mut complete_since: Option<Instant> = None;
    let mut document = Document::default();
    let mut poll = tokio::time::interval(POLL);
    let deadline_sleep = tokio::time::sleep_until(deadline);
    tokio::pin!(deadline_sleep);
    loop {
        tokio::select! {
            _ = &mut deadline_sleep => {
                let secs = job.timeout.as_secs().max(1);
                return Err(match job.wait_for {
                    Some(selector) => BrowserError::WaitFor { selector: selector.to_string(), secs },
                    None => BrowserError::NotSettled {
                        secs,
                        in_flight: in_flight.len() + waiting.len(),
                        loaded: document.status.is_some(),
                    },
                });
            }
            nav = &mut navigate, if !navigated => {
                navigated = true;
                let nav = nav.map_err(protocol)?;
                // (A refused or failed top-level document has returned already, with our cause.)
                if let Some(text) = nav.result.error_text.as_deref().filter(|t| !t.is_empty()) {
                    return Err(BrowserError::Navigation(text.to_string()));
                }
            }
            Some(event) = paused.next() => {
                last_activity = Instant::now();
                complete_since = None;
                unanswered.insert(event.request_id.clone());
                requests += 1;
                if requests > MAX_REQUESTS {
                    unanswered.remove(&event.request_id);
                    fail(page, &event, Answer::Failed(FetchError::Other("too many requests".into()))).await;
                    continue;
                }
                waiting.push(event);
            }
            Some((event, answer)) = in_flight.next() => {
                last_activity = Instant::now();
                let event: std::sync::Arc<EventRequestPaused> = event;
                unanswered.remove(&event.request_id);
                let top = event.resource_type == ResourceType::Document
                    && event.frame_id.inner() == &main_frame;
                match &answer {
                    Answer::Refused(cause) => {
                        tracing::warn!(page = %job.url, request = %event.request.url, %cause,
                            "browser request refused");
                        if top {
                            fail(page, &event, Answer::Refused(cause.clone())).await;
                            return Err(BrowserError::Fetch(cause.clone()));
                        }
                    }
                    Answer::Failed(cause) => {
                        // At WARN: when a script's API call fails, the page renders without its
                        // text, and the check can only say the selection is missing; the log
                        // names the request that failed.
                        tracing::warn!(page = %job.url, request = %event.request.url, %cause,
                            "browser request failed");
                        if top {
                            fail(page, &event, Answer::Failed(cause.clone())).await;
                            return Err(BrowserError::Fetch(cause.clone()));
                        }
                    }
                    Answer::Fulfil { status, content_type, .. } => {
                        if top {
                            document.status = Some(*status);
                            document.content_type = content_type.clone();
                        } else if *status >= 400
                            && matches!(event.resource_type, ResourceType::Xhr | ResourceType::Fetch)
                        {
                            tracing::warn!(page = %job.url, request = %event.request.url, status,
                                "a script's request of the page was answered with an error status");
                        }
                    }
                }
                match answer {
                    Answer::Fulfil { status, headers, body, .. } => {
                        let body = base64::engine::general_purpose::STANDARD.encode(body);
                        let mut params = FulfillRequestParams::new(event.request_id.clone(), i64::from(status));
                        params.response_headers = Some(headers);
                        params.body = Some(body.into());
                        match tokio::time::timeout(COMMAND_TIMEOUT, page.execute(params)).await {
                            Ok(Ok(_)) => {}
                            Ok(Err(e)) => tracing::debug!(error = %e, "fulfilling a request failed"),
                            Err(_) => tracing::debug!("fulfilling a request timed out"),
                        }
                    }
                    other => fail(page, &event, other).await,
                }
            }
            _ = poll.tick() => {
                if let Some(selector) = job.wait_for {
                    if document.status.is_some() && matches_selector(page, selector).await {
                        return finish(page, job, &document).await;
                    }
                } else if document.status.is_some()
                    && in_flight.is_empty()
                    && waiting.is_empty()
                    && last_activity.elapsed() >= QUIET
                {
                    // A script's fetch() can still be on its way to our interception when the
                    // document completes, so the quiet period counts from the completion we saw.
                    match complete_since {
                        Some(since) if since.elapsed() >= QUIET => {
                            return finish(page, job, &document).await;
                        }
                        Some(_) => {}
                        None if loaded(page).await => complete_since = Some(Instant::now()),
                        None => {}
                    }
                }
            }
        }
        while in_flight.len() < MAX_IN_FLIGHT && !waiting.is_empty() {
            let event = waiting.remove(0);
            in_flight.push(async move {
                let answer = request::answer(
                    job.client,
                    job.guard,
                    job.policy,
                    &event,
                    job.max_body,
                    job.timeout,
                )
                .await;
                (event, answer)
            });
        }
    }
}

async fn fail(page: &chromiumoxide::Page, event: &EventRequestPaused, answer: Answer) {
    let params = FailRequestParams::new(event.request_id.clone(), answer.error_reason());
    match tokio::time::timeout(COMMAND_TIMEOUT, page.execute(params)).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::debug!(error = %e, "failing a request failed"),
        Err(_) => tracing::debug!("failing a request timed out"),
    }
}

/// Evaluates an expression in the page's main frame. Plain `Runtime.evaluate`, not
/// chromiumoxide's `evaluate`, which first waits for the frame's load event: a page whose images
/// never arrive never fires it, and `wait_for` must still see its text.
async fn eval<T: serde::de::DeserializeOwned>(
    page: &chromiumoxide::Page,
    expression: &str,
) -> Result<T, BrowserError> {
    let mut params = EvaluateParams::new(expression);
    params.return_by_value = Some(true);
    let resp = tokio::time::timeout(COMMAND_TIMEOUT, page.execute(params))
        .await
        .map_err(|_| BrowserError::Protocol("the page did not answer a script in time".into()))?
        .map_err(protocol)?
        .result;
    if let Some(e) = resp.exception_details {
        return Err(BrowserError::Protocol(format!("script error: {}", e.text)));
    }
    serde_json::from_value(resp.result.value.unwrap_or_default())
        .map_err(|e| BrowserError::Protocol(format!("unexpected value from the page: {e}")))
}

async fn loaded(page: &chromiumoxide::Page) -> bool {
    // about:blank, the tab's first document, is complete too: the page's own must be.
    eval::<bool>(
        page,
        "document.readyState === 'complete' && location.href !== 'about:blank'",
    )
    .await
    .unwrap_or(false)
}

async fn matches_selector(page: &chromiumoxide::Page, selector: &str) -> bool {
    // The selector goes in as a JSON string literal, so it cannot break out of the expression.
    let Ok(literal) = serde_json::to_string(selector) else {
        return false;
    };
    eval::<bool>(page, &format!("document.querySelector({literal}) !== null"))
        .await
        .unwrap_or(false)
}

/// The rendered DOM and where the page ended up; the top-level document must have been HTML
/// with a success status, as for a static fetch.
async fn finish(
    page: &chromiumoxide::Page,
    job: &Job<'_>,
    document: &Document,
) -> Result<Rendered, BrowserError> {
    // The DOM is measured in the page and comes over the DevTools socket only when it fits
    // (in UTF-16 units; bytes are checked below): a page that builds a huge DOM must not cost
    // us its size in memory.
    let (href, html): (String, Option<String>) = eval(
        page,
        &format!(
            "(() => {{ const h = document.documentElement ? document.documentElement.outerHTML : ''; \
             return [String(location.href), typeof h === 'string' && h.length <= {} ? h : null]; }})()",
            job.max_body
        ),
    )
    .await?;
    let too_large = || {
        BrowserError::Fetch(FetchError::TooLarge {
            limit: bytesize::ByteSize(job.max_body).display().iec().to_string(),
        })
    };
    let url = Url::parse(&href).unwrap_or_else(|_| job.url.clone());
    let status = document.status.unwrap_or(200);
    if !(200..300).contains(&status) {
        return Err(BrowserError::Fetch(FetchError::Status {
            status,
            url: url.to_string(),
            wall: None,
        }));
    }
    let mime = document.content_type.split(';').next().unwrap_or("").trim();
    if !mime.is_empty()
        && !matches!(
            mime.to_ascii_lowercase().as_str(),
            "text/html" | "application/xhtml+xml" | "text/plain"
        )
    {
        return Err(BrowserError::Fetch(FetchError::NotHtml {
            content_type: mime.to_string(),
        }));
    }
    let html = html.ok_or_else(too_large)?;
    if html.len() as u64 > job.max_body {
        return Err(too_large());
    }
    Ok(Rendered { url, html, status })
}

fn protocol(e: chromiumoxide::error::CdpError) -> BrowserError {
    BrowserError::Protocol(e.to_string())
}
