//! Politeness: how many requests run at once and how they are spaced.
//!
//! Each origin has a gate: at most `per_host_concurrency` requests at once, started at least
//! `per_host_delay` (or the robots.txt crawl-delay, whichever is longer) apart; a global semaphore
//! bounds all requests to `concurrency`. A slow host only queues its own requests. Retries of
//! transient failures back off exponentially with jitter and honour `Retry-After` up to a cap.
//! Every backend (HTTP, browser) takes its permits here, so the limits hold across backends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

use crate::config::FetchSettings;

/// The longest a `Retry-After` is honoured within one check.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
const BACKOFF_BASE: Duration = Duration::from_millis(500);

/// A request's right to run: one slot at its host and one of the global ones, given back on drop.
pub struct Permits {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

struct HostGate {
    permits: Arc<Semaphore>,
    next_slot: tokio::sync::Mutex<Instant>,
}

/// Per-host gates and the global limit, shared by every request of a [`super::Fetcher`].
pub struct Politeness {
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
    per_host: usize,
    delay: Duration,
}

impl Politeness {
    pub fn new(settings: &FetchSettings) -> Politeness {
        Politeness {
            global: Arc::new(Semaphore::new(settings.concurrency)),
            hosts: Mutex::new(HashMap::new()),
            per_host: settings.per_host_concurrency,
            delay: settings.per_host_delay,
        }
    }

    /// Waits for a slot at this host (number and spacing), then for a global slot.
    /// `crawl_delay` is the host's robots.txt delay, if longer than `per_host_delay`.
    pub async fn permits(&self, url: &Url, crawl_delay: Duration) -> Permits {
        let gate = self.gate(url);
        let host = gate
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("host semaphores are never closed");
        let delay = self.delay.max(crawl_delay);
        {
            let mut next = gate.next_slot.lock().await;
            let start = take_slot(&mut next, Instant::now(), delay);
            drop(next);
            tokio::time::sleep_until(start.into()).await;
        }
        let global = self
            .global
            .clone()
            .acquire_owned()
            .await
            .expect("the global semaphore is never closed");
        Permits {
            _host: host,
            _global: global,
        }
    }

    fn gate(&self, url: &Url) -> Arc<HostGate> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(origin(url))
            .or_insert_with(|| {
                Arc::new(HostGate {
                    permits: Arc::new(Semaphore::new(self.per_host)),
                    next_slot: tokio::sync::Mutex::new(Instant::now()),
                })
            })
            .clone()
    }
}

/// When a request that asks at `now` may start: at the host's next free slot, or now if that has
/// passed. The slot after it is `delay` later than this start, so starts are spaced by the
/// schedule, whatever the time the gate is asked at.
fn take_slot(next: &mut Instant, now: Instant, delay: Duration) -> Instant {
    let start = (*next).max(now);
    *next = start + delay;
    start
}

/// The key of per-host state: scheme, host and port.
pub fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// How long a `Retry-After` header asks to wait, capped at [`MAX_RETRY_WAIT`].
pub fn retry_after(h: &HeaderMap) -> Option<Duration> {
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
pub fn backoff(attempt: u32) -> Duration {
    let base = BACKOFF_BASE.saturating_mul(1 << attempt.min(6));
    base.mul_f64(0.5 + fastrand::f64()).min(MAX_RETRY_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

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
    fn requests_to_a_host_start_a_delay_apart() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let delay = ms(400);
        let mut next = t0;
        // Three requests asking at once start 0, 400 and 800 ms in.
        let starts: Vec<Instant> = (0..3).map(|_| take_slot(&mut next, t0, delay)).collect();
        assert_eq!(starts, vec![t0, t0 + ms(400), t0 + ms(800)]);
        // One asking later than its slot starts when it asks; the next is spaced from it.
        assert_eq!(take_slot(&mut next, t0 + ms(2000), delay), t0 + ms(2000));
        assert_eq!(take_slot(&mut next, t0 + ms(2100), delay), t0 + ms(2400));
        // Without a delay, every request starts when it asks.
        let mut next = t0;
        assert_eq!(take_slot(&mut next, t0, Duration::ZERO), t0);
        assert_eq!(take_slot(&mut next, t0, Duration::ZERO), t0);
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
}
