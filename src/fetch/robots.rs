//! robots.txt: read once per origin, cached for a day, obeyed at every hop.
//!
//! The cache outlives the process through [`Robots::remember`] and [`Robots::read_here`]: the
//! checker hands in what the store kept and gives back what it read, so the daemon's short-lived
//! check workers (and `policywatch check` from cron) ask a host once a day, not once a burst.
//!
//! A robots.txt is fetched through the same HTTP client, address guard and politeness gates as
//! pages. Its redirects are followed (RFC 9309 §2.3.1.2), up to [`MAX_ROBOTS_REDIRECTS`], each hop
//! guarded; the rules found apply to the original origin. 404 and the like mean no rules; a 5xx or
//! 429 means "unavailable": nothing is fetched from that host until it answers (a transient
//! failure, retried like one of the page). The crawl-delay is honoured up to [`MAX_CRAWL_DELAY`].

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header;
use url::Url;

use crate::fetch::error::FetchError;
use crate::fetch::http::Http;
use crate::fetch::politeness::{Politeness, origin};

/// The longest a robots.txt `Crawl-delay` spaces two requests to one host. Smaller than
/// `MAX_RETRY_WAIT` because it is paid on every request, not once per failure: the requests of a
/// pass queue behind one another per host, so with several targets on one host a larger value
/// would stretch a pass (and the `check` command) into minutes.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(10);
/// How many redirects of robots.txt are followed (RFC 9309 §2.3.1.2: at least five).
pub const MAX_ROBOTS_REDIRECTS: usize = 5;
pub const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);
const ROBOTS_MAX: u64 = 512 * 1024;

struct RobotsEntry {
    fetched: Instant,
    rules: Option<Arc<texting_robots::Robot>>,
    /// The body this process read, when its origin is kept beyond it ([`Robots::keep_for`]);
    /// `None` for an entry handed in or not kept.
    kept: Option<Kept>,
}

/// A body read here, to be remembered: `None` for no rules (a 404 and the like).
struct Kept(Option<Vec<u8>>);

/// A robots.txt as read from an origin, kept beyond one process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remembered {
    pub origin: String,
    /// When it was read (Unix seconds).
    pub read_at: i64,
    /// `None`: no rules (a 404 and the like).
    pub body: Option<Vec<u8>>,
}

/// The rules of a robots.txt body (`None`: no rules).
fn rules_of(body: Option<&[u8]>) -> Option<Arc<texting_robots::Robot>> {
    texting_robots::Robot::new("policywatch", body?)
        .ok()
        .map(Arc::new)
}

type Slot = Arc<tokio::sync::Mutex<Option<RobotsEntry>>>;

/// The robots.txt rules of every origin seen, each behind its own lock.
#[derive(Default)]
pub struct Robots {
    /// Per origin, so that a slow robots.txt on one host never holds up another host.
    cache: Mutex<HashMap<String, Slot>>,
    /// The origins whose robots.txt is kept for [`Robots::read_here`] (the targets' own: not
    /// every host a redirect or a rendered page's sub-request reaches, which would make the
    /// store grow with what pages link to).
    kept: Mutex<HashSet<String>>,
}

impl Robots {
    /// Uses robots.txt files read elsewhere (`now` in Unix seconds) for origins this process has
    /// not read itself, each for what is left of its day. Bounded by the caller's list.
    pub fn remember(&self, entries: impl IntoIterator<Item = Remembered>, now: i64) {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        for e in entries {
            let Some(age) = u64::try_from(now.saturating_sub(e.read_at))
                .ok()
                .map(Duration::from_secs)
                .filter(|age| *age < ROBOTS_TTL)
            else {
                continue;
            };
            let Some(fetched) = Instant::now().checked_sub(age) else {
                continue;
            };
            let slot = cache.entry(e.origin).or_default();
            // A slot being read right now is this process's own: left alone.
            if let Ok(mut entry) = slot.try_lock()
                && entry.is_none()
            {
                *entry = Some(RobotsEntry {
                    fetched,
                    rules: rules_of(e.body.as_deref()),
                    kept: None,
                });
            }
        }
    }

    /// Keeps what is read from `origins` (as [`origin`] writes them) for [`Robots::read_here`].
    pub fn keep_for(&self, origins: impl IntoIterator<Item = String>) {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(origins);
    }

    /// The robots.txt files this process read itself from the origins it keeps (to be
    /// remembered by the next), dated from `now` in Unix seconds.
    pub fn read_here(&self, now: i64) -> Vec<Remembered> {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .iter()
            .filter_map(|(origin, slot)| {
                let entry = slot.try_lock().ok()?;
                let entry = entry.as_ref()?;
                let Kept(body) = entry.kept.as_ref()?;
                let age = i64::try_from(entry.fetched.elapsed().as_secs()).unwrap_or(i64::MAX);
                Some(Remembered {
                    origin: origin.clone(),
                    read_at: now.saturating_sub(age),
                    body: body.clone(),
                })
            })
            .collect()
    }

    fn slot(&self, url: &Url) -> Slot {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.entry(origin(url)).or_default().clone()
    }

    /// The origin's crawl-delay as a wait (zero when its rules are not known yet or set none).
    pub async fn crawl_delay(&self, url: &Url) -> Duration {
        let slot = self.slot(url);
        let entry = slot.lock().await;
        entry
            .as_ref()
            .and_then(|e| e.rules.as_ref())
            .and_then(|r| r.delay)
            .map(crawl_delay_wait)
            .unwrap_or_default()
    }

    /// `Ok` when robots.txt allows `url` (reading it first when not cached or stale).
    pub async fn check(
        &self,
        http: &Http,
        politeness: &Politeness,
        url: &Url,
    ) -> Result<(), FetchError> {
        let robots_url = match url.join("/robots.txt") {
            Ok(u) => u,
            Err(_) => return Ok(()),
        };
        let slot = self.slot(url);
        let mut entry = slot.lock().await;
        let fresh = entry
            .as_ref()
            .is_some_and(|e| e.fetched.elapsed() < ROBOTS_TTL);
        if !fresh {
            // The slot stays locked across the fetch so that a pass over many pages of one host
            // asks for robots.txt once.
            let body = fetch_robots(http, politeness, &robots_url).await?;
            let kept = self
                .kept
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .contains(&origin(url));
            *entry = Some(RobotsEntry {
                fetched: Instant::now(),
                rules: rules_of(body.as_deref()),
                kept: kept.then_some(Kept(body)),
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
}

/// The body read (at most [`ROBOTS_MAX`] bytes); `None` means no rules (404 and the like:
/// everything allowed, as RFC 9309 says).
///
/// A chain that finds no robots.txt (a loop, more than five redirects, a redirect without a
/// usable Location) counts as unavailable, like a 404: no rules.
async fn fetch_robots(
    http: &Http,
    politeness: &Politeness,
    robots_url: &Url,
) -> Result<Option<Vec<u8>>, FetchError> {
    http.check_literal(robots_url, "refused")?;
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
        let permits = politeness.permits(&url, Duration::ZERO).await;
        let resp = match http.client().get(url.clone()).send().await {
            Ok(r) => r,
            Err(e) => return Err(failed(http.classify(&e, &url, "refused"), &url)),
        };
        let status = resp.status();
        if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
            break (resp, permits);
        }
        drop(permits);
        let next = match http.redirect_target(&url, resp.headers().get(header::LOCATION)) {
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
        .map_err(|e| failed(http.classify(&e, &url, "refused"), &url))?
    {
        body.extend_from_slice(&chunk);
        if body.len() as u64 > ROBOTS_MAX {
            // RFC 9309: parse at least 500 KiB; ignore the rest.
            body.truncate(ROBOTS_MAX as usize);
            break;
        }
    }
    Ok(Some(body))
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
