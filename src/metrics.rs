//! Metrics: counters kept by the daemon and an optional HTTP endpoint on a loopback address.
//!
//! `[metrics] listen = "127.0.0.1:9464"` turns it on (off by default; the config refuses any
//! address that is not loopback). Two routes, both `GET` (or `HEAD`):
//!
//! - `/healthz`: `200 ok` while the daemon runs.
//! - `/feed.atom`: the Atom feed of the latest alerts (see `notify::feed`).
//! - `/metrics`: the Prometheus text format (version 0.0.4):
//!   - `policywatch_checks_total{status}`: checks by result (`new`, `unchanged`, `changed`,
//!     `held`, `error`, and `not_recorded` when the database refused the result);
//!   - `policywatch_last_success_timestamp_seconds{target}`: when each target last loaded;
//!   - `policywatch_outbox_pending`: alerts not yet sent;
//!   - `policywatch_check_duration_seconds`: a histogram of how long a whole check took (fetch,
//!     extraction, confirmation re-fetch and the database commit);
//!   - `policywatch_targets`: targets scheduled.
//!
//! The daemon records every check here; the endpoint only reads.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::body::Incoming;
use hyper::header::{ALLOW, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::check::{Outcome, Status};
use crate::notify::lock;
use crate::store::Store;

/// Upper bounds (seconds) of the check-duration histogram buckets; `+Inf` is implied.
pub const DURATION_BUCKETS: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0];
/// Every value of the `status` label, so each counter exists (at 0) from the start.
pub const STATUSES: [&str; 6] = ["new", "unchanged", "changed", "held", "rebaseline", "error"];
/// Connections served at once; more are closed at once.
const MAX_CONNECTIONS: usize = 16;
/// The longest one connection may take, from accept to the last byte of the response.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(10);
/// The Content-Type of the Prometheus text format.
pub const PROMETHEUS_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The `status` label value of an outcome.
pub fn status_label(outcome: &Outcome) -> &'static str {
    match outcome.status {
        Status::New => "new",
        Status::Unchanged => "unchanged",
        Status::Changed(_) => "changed",
        Status::Held(_) => "held",
        Status::Rebaselined => "rebaseline",
        Status::Error(_) | Status::Skipped(_) => "error",
    }
}

/// The label `s` names, as [`status_label`] gives it (a check worker reports it as text);
/// anything else is an error.
pub fn known_label(s: &str) -> &'static str {
    ["new", "unchanged", "changed", "held", "rebaseline"]
        .into_iter()
        .find(|l| *l == s)
        .unwrap_or("error")
}

#[derive(Default)]
struct Inner {
    checks: BTreeMap<&'static str, u64>,
    last_success: BTreeMap<String, i64>,
    /// Per bucket of [`DURATION_BUCKETS`], the observations at most that long (not cumulative).
    buckets: [u64; DURATION_BUCKETS.len()],
    count: u64,
    sum: f64,
    targets: usize,
}

/// What the daemon has done since it started.
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut inner = Inner::default();
        for s in STATUSES {
            inner.checks.insert(s, 0);
        }
        Metrics {
            inner: Mutex::new(inner),
        }
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records one check: its result label, how long it took, and (for a page that loaded) when.
    pub fn record(&self, target: &str, status: &'static str, took: Duration, finished_at: i64) {
        let mut m = self.inner();
        *m.checks.entry(status).or_insert(0) += 1;
        let secs = took.as_secs_f64();
        if let Some(i) = DURATION_BUCKETS.iter().position(|b| secs <= *b) {
            m.buckets[i] += 1;
        }
        m.count += 1;
        m.sum += secs;
        if status != "error" {
            // Updated in place: no key allocated per check, none left among a burst's freed memory.
            match m.last_success.get_mut(target) {
                Some(at) => *at = finished_at,
                None => {
                    m.last_success.insert(target.to_string(), finished_at);
                }
            }
        }
    }

    /// Seeds a target's last success (from the database, at start), unless one is known.
    pub fn seed_last_success(&self, target: &str, at: i64) {
        self.inner()
            .last_success
            .entry(target.to_string())
            .or_insert(at);
    }

    /// Keeps per-target series only for `names` (after a reload removed targets).
    pub fn set_targets<'a>(&self, names: impl IntoIterator<Item = &'a str>) {
        let names: std::collections::HashSet<&str> = names.into_iter().collect();
        let mut m = self.inner();
        m.last_success.retain(|t, _| names.contains(t.as_str()));
        m.targets = names.len();
    }

    /// The Prometheus text exposition; `outbox_pending` is `None` when the database failed.
    pub fn render(&self, outbox_pending: Option<usize>) -> String {
        let m = self.inner();
        let mut s = String::new();
        s.push_str("# HELP policywatch_checks_total Checks finished, by result.\n");
        s.push_str("# TYPE policywatch_checks_total counter\n");
        for (status, n) in &m.checks {
            let _ = writeln!(
                s,
                "policywatch_checks_total{{status=\"{}\"}} {n}",
                escape(status)
            );
        }
        s.push_str(
            "# HELP policywatch_last_success_timestamp_seconds When the target's page last loaded and was checked (Unix time).\n",
        );
        s.push_str("# TYPE policywatch_last_success_timestamp_seconds gauge\n");
        for (target, at) in &m.last_success {
            let _ = writeln!(
                s,
                "policywatch_last_success_timestamp_seconds{{target=\"{}\"}} {at}",
                escape(target)
            );
        }
        if let Some(n) = outbox_pending {
            s.push_str("# HELP policywatch_outbox_pending Alerts waiting to be sent.\n");
            s.push_str("# TYPE policywatch_outbox_pending gauge\n");
            let _ = writeln!(s, "policywatch_outbox_pending {n}");
        }
        s.push_str(
            "# HELP policywatch_check_duration_seconds Time one check took: fetch, extraction and database commit.\n",
        );
        s.push_str("# TYPE policywatch_check_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (bound, n) in DURATION_BUCKETS.iter().zip(m.buckets.iter()) {
            cumulative += n;
            let _ = writeln!(
                s,
                "policywatch_check_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            s,
            "policywatch_check_duration_seconds_bucket{{le=\"+Inf\"}} {}",
            m.count
        );
        let _ = writeln!(s, "policywatch_check_duration_seconds_sum {}", m.sum);
        let _ = writeln!(s, "policywatch_check_duration_seconds_count {}", m.count);
        s.push_str("# HELP policywatch_targets Targets scheduled.\n");
        s.push_str("# TYPE policywatch_targets gauge\n");
        let _ = writeln!(s, "policywatch_targets {}", m.targets);
        s
    }
}

/// A label value escaped for the text format.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// What the endpoint reads.
pub struct Endpoint {
    pub metrics: Arc<Metrics>,
    pub store: Arc<Mutex<Store>>,
    /// For `/feed.atom`: its size and the domain of its ids.
    pub config: Arc<crate::config::Config>,
}

impl Endpoint {
    fn outbox_pending(&self) -> Option<usize> {
        match lock(&self.store).pending_alerts() {
            Ok(a) => Some(a.len()),
            Err(e) => {
                tracing::warn!(error = %e, "metrics: cannot count pending alerts");
                None
            }
        }
    }

    /// The response to one request.
    pub fn respond(&self, method: &Method, path: &str) -> Response<String> {
        let (status, content_type, body) = match (method, path) {
            (&Method::GET | &Method::HEAD, "/healthz") => {
                (StatusCode::OK, "text/plain", "ok\n".into())
            }
            (&Method::GET | &Method::HEAD, "/metrics") => (
                StatusCode::OK,
                PROMETHEUS_CONTENT_TYPE,
                self.metrics.render(self.outbox_pending()),
            ),
            (&Method::GET | &Method::HEAD, "/feed.atom") => {
                match crate::notify::feed::current(&self.config, &lock(&self.store)) {
                    Ok(xml) => (StatusCode::OK, "application/atom+xml; charset=utf-8", xml),
                    Err(e) => {
                        tracing::warn!(error = %e, "metrics: cannot build the feed");
                        (
                            StatusCode::SERVICE_UNAVAILABLE,
                            "text/plain",
                            "the feed cannot be read from the database right now\n".into(),
                        )
                    }
                }
            }
            (_, "/healthz" | "/metrics" | "/feed.atom") => (
                StatusCode::METHOD_NOT_ALLOWED,
                "text/plain",
                "method not allowed\n".into(),
            ),
            _ => (
                StatusCode::NOT_FOUND,
                "text/plain",
                "not found: try /healthz, /metrics or /feed.atom\n".into(),
            ),
        };
        let body = if method == Method::HEAD {
            String::new()
        } else {
            body
        };
        let mut r = Response::new(body);
        *r.status_mut() = status;
        r.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        if status == StatusCode::METHOD_NOT_ALLOWED {
            r.headers_mut()
                .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        }
        r
    }
}

/// Binds the endpoint's listener.
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// Serves `/healthz` and `/metrics` on `listener` until the task is dropped or aborted.
pub async fn serve(listener: TcpListener, endpoint: Arc<Endpoint>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // E.g. out of file descriptors: wait a little instead of spinning.
                tracing::warn!(error = %e, "metrics: cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            continue; // too many at once: dropping the stream closes it
        };
        let endpoint = endpoint.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let endpoint = endpoint.clone();
                async move { Ok::<_, Infallible>(endpoint.respond(req.method(), req.uri().path())) }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(false)
                .serve_connection(TokioIo::new(stream), service);
            match tokio::time::timeout(CONNECTION_TIMEOUT, conn).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::debug!(error = %e, "metrics: connection failed"),
                Err(_) => tracing::debug!("metrics: connection timed out"),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::new();
        m.set_targets(["a", "b"]);
        m.record("a", "new", Duration::from_millis(300), 1_700_000_000);
        m.record("b", "error", Duration::from_secs(3), 1_700_000_001);
        m.record("a", "unchanged", Duration::from_secs(500), 1_700_000_002);
        let text = m.render(Some(2));
        assert!(
            text.contains("policywatch_checks_total{status=\"new\"} 1\n"),
            "{text}"
        );
        assert!(text.contains("policywatch_checks_total{status=\"changed\"} 0\n"));
        assert!(text.contains("policywatch_checks_total{status=\"error\"} 1\n"));
        assert!(
            text.contains("policywatch_last_success_timestamp_seconds{target=\"a\"} 1700000002\n")
        );
        assert!(!text.contains("target=\"b\""), "b never succeeded");
        assert!(text.contains("policywatch_outbox_pending 2\n"));
        assert!(text.contains("policywatch_check_duration_seconds_bucket{le=\"0.25\"} 0\n"));
        assert!(text.contains("policywatch_check_duration_seconds_bucket{le=\"0.5\"} 1\n"));
        assert!(text.contains("policywatch_check_duration_seconds_bucket{le=\"5\"} 2\n"));
        assert!(text.contains("policywatch_check_duration_seconds_bucket{le=\"120\"} 2\n"));
        assert!(text.contains("policywatch_check_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("policywatch_check_duration_seconds_count 3\n"));
        assert!(text.contains("policywatch_targets 2\n"));
        // Every sample line is `name{labels} value` or `name value`.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (_, value) = line.rsplit_once(' ').expect(line);
            assert!(value.parse::<f64>().is_ok(), "{line}");
        }
        m.set_targets(["b"]);
        assert!(!m.render(None).contains("target=\"a\""));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
