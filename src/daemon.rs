//! Daemon: `policywatch run`: every target on its own cron schedule until SIGTERM or SIGINT.
//!
//! One tokio-cron-scheduler job per target, started with a small per-target jitter so targets on
//! one host don't fire together; a target is never checked twice at once; a target whose last
//! check is older than its last scheduled slot is checked once soon after start (catch-up, not a
//! storm). The outbox is drained after every check and on its own timer. SIGHUP reloads the config:
//! a bad new config is logged and the old one keeps running; otherwise only added, removed or
//! changed targets are rescheduled. systemd is told READY, STATUS and WATCHDOG through
//! `$NOTIFY_SOCKET`; the watchdog ping is itself a scheduler job, so a hung scheduler stops it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use sd_notify::NotifyState;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::RwLock;
use tokio_cron_scheduler::{Job, JobScheduler};
use uuid::Uuid;

use crate::check::{CheckError, Checker};
use crate::config::{Config, ConfigError, Digest, Heartbeat, Target};
use crate::digest::{queue_digest, queue_heartbeat};
use crate::notify::{NotifyError, Sink, drain, lock, now_unix};
use crate::schedule::parse_cron;
use crate::store::{Store, StoreError};

/// How long SIGTERM waits for checks in flight before exiting anyway.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);
/// How often the outbox is retried on its own.
pub const OUTBOX_INTERVAL: Duration = Duration::from_secs(60);
/// When the daily digest goes out (in the configured time zone).
pub const DIGEST_SCHEDULE: &str = "0 0 9 * * *";
/// When the weekly heartbeat goes out: Monday morning.
pub const HEARTBEAT_SCHEDULE: &str = "0 5 9 * * Mon";
/// The most a target's start is shifted to spread load.
pub const MAX_JITTER: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Check(#[from] CheckError),
    #[error(transparent)]
    Notify(#[from] NotifyError),
    #[error("scheduler: {0}")]
    Scheduler(String),
    #[error("cannot listen for signals: {0}")]
    Signal(#[from] std::io::Error),
}

fn sched_err(e: impl std::fmt::Display) -> DaemonError {
    DaemonError::Scheduler(e.to_string())
}

/// What the jobs of one configuration share.
struct Generation {
    checker: Arc<Checker>,
    sink: Arc<Sink>,
    timezone: chrono_tz::Tz,
}

/// State that outlives reloads.
struct Shared {
    store: Arc<Mutex<Store>>,
    /// One lock per target name: a check holds it, a tick that finds it held is skipped.
    running: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Every check holds a read guard; shutdown takes the write guard to wait for them.
    in_flight: Arc<RwLock<()>>,
    stopping: AtomicBool,
    /// Serialises outbox drains so one alert is never sent by two drains at once.
    draining: tokio::sync::Mutex<()>,
}

impl Shared {
    fn target_lock(&self, name: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.running.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(name.to_string()).or_default().clone()
    }

    async fn drain(&self, sink: &Sink) {
        let _one = self.draining.lock().await;
        match drain(&self.store, sink, false).await {
            Ok(d) if d.sent + d.failed > 0 => {
                tracing::info!(sent = d.sent, failed = d.failed, "outbox drained")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "cannot drain the outbox"),
        }
    }

    /// Runs one check of `target` unless one is already running or we are stopping.
    async fn check(&self, generation: &Generation, target: &Target) {
        if self.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(_flight) = self.in_flight.clone().try_read_owned() else {
            return;
        };
        let lock = self.target_lock(&target.name);
        let Ok(_running) = lock.try_lock() else {
            tracing::warn!(target = %target.name, "previous check still running; this tick is skipped");
            return;
        };
        if let Err(e) = generation.checker.check(target).await {
            tracing::error!(target = %target.name, error = %e, "check could not be recorded");
        }
        self.drain(&generation.sink).await;
    }
}

/// A stable per-target delay within 10 % of the period, at most [`MAX_JITTER`].
pub fn jitter(name: &str, period: Duration) -> Duration {
    let cap = (period / 10).min(MAX_JITTER);
    if cap.is_zero() {
        return Duration::ZERO;
    }
    // FNV-1a: stable across runs and platforms, unlike the std hasher.
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX).max(1);
    Duration::from_millis(h % millis)
}

/// The time between two consecutive firings of a cron expression (its period, roughly).
pub fn period(expr: &str, tz: chrono_tz::Tz) -> Option<Duration> {
    let cron = parse_cron(expr).ok()?;
    let now = Utc::now().with_timezone(&tz);
    let a = cron.find_next_occurrence(&now, false).ok()?;
    let b = cron.find_next_occurrence(&a, false).ok()?;
    (b - a).to_std().ok()
}

/// True when the last scheduled slot before now passed without a check.
fn missed_slot(expr: &str, tz: chrono_tz::Tz, last_check: Option<i64>) -> bool {
    let Some(last) = last_check else { return true };
    let Ok(cron) = parse_cron(expr) else {
        return false;
    };
    let now = Utc::now().with_timezone(&tz);
    cron.find_previous_occurrence(&now, false)
        .map(|prev| prev.timestamp() > last)
        .unwrap_or(false)
}

struct Daemon {
    shared: Arc<Shared>,
    sched: JobScheduler,
    generation: Arc<Generation>,
    config: Config,
    /// Scheduled job per target name, with the target it was created for.
    jobs: HashMap<String, (Uuid, Target)>,
    fixed_jobs: Vec<Uuid>,
}

impl Daemon {
    fn generation(config: &Config, store: Arc<Mutex<Store>>) -> Result<Generation, DaemonError> {
        Ok(Generation {
            checker: Arc::new(Checker::from_config(config, store)?),
            sink: Arc::new(Sink::from_config(config, Box::new(std::io::stdout()))?),
            timezone: config.schedule.timezone,
        })
    }

    async fn add_target(&mut self, target: &Target) -> Result<(), DaemonError> {
        let tz = self.generation.timezone;
        let delay = period(&target.schedule, tz)
            .map(|p| jitter(&target.name, p))
            .unwrap_or_default();
        let shared = self.shared.clone();
        let generation = self.generation.clone();
        let t = target.clone();
        let job = Job::new_async_tz(target.schedule.as_str(), tz, move |_id, _sched| {
            let shared = shared.clone();
            let generation = generation.clone();
            let t = t.clone();
            Box::pin(async move {
                tokio::time::sleep(delay).await;
                shared.check(&generation, &t).await;
            })
        })
        .map_err(sched_err)?;
        let id = self.sched.add(job).await.map_err(sched_err)?;
        self.jobs.insert(target.name.clone(), (id, target.clone()));
        Ok(())
    }

    async fn add_fixed_jobs(&mut self) -> Result<(), DaemonError> {
        let shared = self.shared.clone();
        let generation = self.generation.clone();
        let outbox = Job::new_repeated_async(OUTBOX_INTERVAL, move |_id, _s| {
            let shared = shared.clone();
            let generation = generation.clone();
            Box::pin(async move { shared.drain(&generation.sink).await })
        })
        .map_err(sched_err)?;
        self.fixed_jobs
            .push(self.sched.add(outbox).await.map_err(sched_err)?);
        self.add_summary_jobs().await?;
        if let Some(wd) = sd_notify::watchdog_enabled() {
            let ping = Job::new_repeated_async(wd / 2, |_id, _s| {
                Box::pin(async {
                    let _ = sd_notify::notify(&[NotifyState::Watchdog]);
                })
            })
            .map_err(sched_err)?;
            self.fixed_jobs
                .push(self.sched.add(ping).await.map_err(sched_err)?);
        }
        Ok(())
    }

    /// The daily digest and the weekly heartbeat, when enabled.
    async fn add_summary_jobs(&mut self) -> Result<(), DaemonError> {
        let tz = self.generation.timezone;
        let names: Vec<String> = self.config.targets.iter().map(|t| t.name.clone()).collect();
        let wanted = [
            (
                self.config.alerts.digest == Digest::Daily,
                DIGEST_SCHEDULE,
                true,
            ),
            (
                self.config.alerts.heartbeat == Heartbeat::Weekly,
                HEARTBEAT_SCHEDULE,
                false,
            ),
        ];
        for (enabled, schedule, is_digest) in wanted {
            if !enabled {
                continue;
            }
            let shared = self.shared.clone();
            let generation = self.generation.clone();
            let names = names.clone();
            let job = Job::new_async_tz(schedule, tz, move |_id, _s| {
                let shared = shared.clone();
                let generation = generation.clone();
                let names = names.clone();
                Box::pin(async move {
                    let queued = {
                        let mut store = lock(&shared.store);
                        let ctx = generation.checker.context();
                        if is_digest {
                            queue_digest(&mut store, now_unix(), &ctx).map(|_| ())
                        } else {
                            queue_heartbeat(&mut store, &names, now_unix(), &ctx)
                        }
                    };
                    match queued {
                        Ok(()) => shared.drain(&generation.sink).await,
                        Err(e) => tracing::error!(error = %e, "cannot queue a summary email"),
                    }
                })
            })
            .map_err(sched_err)?;
            self.fixed_jobs
                .push(self.sched.add(job).await.map_err(sched_err)?);
        }
        Ok(())
    }

    /// Checks soon, once, every target whose last scheduled slot passed without a check.
    fn catch_up(&self) -> Result<(), DaemonError> {
        for (_, t) in self.jobs.values() {
            let last = lock(&self.shared.store)
                .last_check(&t.name)?
                .map(|c| c.started_at);
            if missed_slot(&t.schedule, self.generation.timezone, last) {
                let shared = self.shared.clone();
                let generation = self.generation.clone();
                let t = t.clone();
                let delay = jitter(&t.name, Duration::from_secs(50));
                tracing::info!(target = %t.name, in_ms = delay.as_millis() as u64, "catching up a missed check");
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    shared.check(&generation, &t).await;
                });
            }
        }
        Ok(())
    }

    fn status_line(&self) -> String {
        let now = Utc::now().with_timezone(&self.generation.timezone);
        let next = self
            .jobs
            .values()
            .filter_map(|(_, t)| {
                parse_cron(&t.schedule)
                    .ok()?
                    .find_next_occurrence(&now, false)
                    .ok()
            })
            .min();
        let failing = self
            .jobs
            .keys()
            .filter(|name| {
                lock(&self.shared.store)
                    .last_check(name)
                    .ok()
                    .flatten()
                    .is_some_and(|c| c.status == "error")
            })
            .count();
        format!(
            "{} targets, next check {}, {} failing",
            self.jobs.len(),
            next.map(|n| n.format("%H:%M:%S %Z").to_string())
                .unwrap_or_else(|| "-".into()),
            failing
        )
    }

    /// SIGHUP: validate the new config; keep the old one running if it is bad.
    async fn reload(&mut self, path: &std::path::Path, database: Option<&PathBuf>) {
        let _ = sd_notify::notify(&[NotifyState::Reloading]);
        let new = match Config::load(path) {
            Ok(mut c) => {
                if let Some(db) = database {
                    c.database = db.clone();
                }
                c
            }
            Err(e) => {
                tracing::error!(error = %e, "reload refused: the new config is invalid; the old one keeps running");
                let _ = sd_notify::notify(&[NotifyState::Ready]);
                return;
            }
        };
        if let Err(e) = self.apply(new).await {
            tracing::error!(error = %e, "reload failed part-way; restart the service");
        }
        let _ = sd_notify::notify(&[NotifyState::Ready, NotifyState::Status(&self.status_line())]);
    }

    async fn apply(&mut self, new: Config) -> Result<(), DaemonError> {
        if new.database != self.config.database {
            tracing::warn!("a changed database path takes effect at the next restart");
        }
        let global_changed = new.fetch != self.config.fetch
            || new.email != self.config.email
            || new.schedule != self.config.schedule
            || new.alerts != self.config.alerts
            || new.lexicon != self.config.lexicon
            || new.targets.len() != self.config.targets.len();
        let old = std::mem::replace(&mut self.config, new.clone());
        if global_changed {
            self.generation = Arc::new(Daemon::generation(&new, self.shared.store.clone())?);
            for id in self.fixed_jobs.drain(..) {
                self.sched.remove(&id).await.map_err(sched_err)?;
            }
            self.add_fixed_jobs().await?;
        }
        let _ = old;
        let wanted: HashMap<&str, &Target> =
            new.targets.iter().map(|t| (t.name.as_str(), t)).collect();
        let stale: Vec<String> = self
            .jobs
            .iter()
            .filter(|(name, (_, t))| global_changed || wanted.get(name.as_str()) != Some(&t))
            .map(|(name, _)| name.clone())
            .collect();
        for name in &stale {
            if let Some((id, _)) = self.jobs.remove(name) {
                self.sched.remove(&id).await.map_err(sched_err)?;
            }
        }
        let (mut added, removed) = (
            0,
            stale
                .iter()
                .filter(|n| !wanted.contains_key(n.as_str()))
                .count(),
        );
        for t in &new.targets {
            if !self.jobs.contains_key(&t.name) {
                self.add_target(t).await?;
                added += 1;
            }
        }
        tracing::info!(
            targets = new.targets.len(),
            rescheduled = added,
            removed,
            "config reloaded"
        );
        Ok(())
    }
}

/// Runs until SIGTERM or SIGINT.
pub async fn run(config: Config, database_override: Option<PathBuf>) -> Result<(), DaemonError> {
    let store = Arc::new(Mutex::new(Store::open(&config.database)?));
    let shared = Arc::new(Shared {
        store: store.clone(),
        running: Mutex::new(HashMap::new()),
        in_flight: Arc::new(RwLock::new(())),
        stopping: AtomicBool::new(false),
        draining: tokio::sync::Mutex::new(()),
    });
    let generation = Arc::new(Daemon::generation(&config, store)?);
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let sched = JobScheduler::new().await.map_err(sched_err)?;
    let mut d = Daemon {
        shared: shared.clone(),
        sched,
        generation,
        config: config.clone(),
        jobs: HashMap::new(),
        fixed_jobs: Vec::new(),
    };
    for t in &config.targets {
        d.add_target(t).await?;
    }
    d.add_fixed_jobs().await?;
    d.sched.start().await.map_err(sched_err)?;
    d.catch_up()?;
    // Alerts left pending by a previous run go out now, not at the first timer tick.
    {
        let shared = shared.clone();
        let generation = d.generation.clone();
        tokio::spawn(async move { shared.drain(&generation.sink).await });
    }
    let status = d.status_line();
    tracing::info!(config = %config.path.display(), %status, "policywatch running");
    let _ = sd_notify::notify(&[NotifyState::Ready, NotifyState::Status(&status)]);

    let mut status_tick = tokio::time::interval(Duration::from_secs(30));
    loop {
        tokio::select! {
            _ = sigterm.recv() => break,
            _ = sigint.recv() => break,
            _ = sighup.recv() => {
                tracing::info!("SIGHUP: reloading the config");
                d.reload(&config.path, database_override.as_ref()).await;
            }
            _ = status_tick.tick() => {
                let _ = sd_notify::notify(&[NotifyState::Status(&d.status_line())]);
            }
        }
    }

    tracing::info!("stopping: no new checks; waiting for checks in flight");
    let _ = sd_notify::notify(&[NotifyState::Stopping]);
    shared.stopping.store(true, Ordering::SeqCst);
    if let Err(e) = d.sched.shutdown().await {
        tracing::warn!(error = %e, "scheduler did not shut down cleanly");
    }
    match tokio::time::timeout(SHUTDOWN_GRACE, shared.in_flight.write()).await {
        Ok(_) => tracing::info!("all checks finished"),
        Err(_) => {
            tracing::warn!(grace = ?SHUTDOWN_GRACE, "checks still running at the deadline; their work is not committed")
        }
    }
    // Flush what can be flushed; anything not sent stays pending for the next start.
    let _ = tokio::time::timeout(Duration::from_secs(5), shared.drain(&d.generation.sink)).await;
    tracing::info!("stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_is_stable_and_bounded() {
        let p = Duration::from_secs(3600);
        assert_eq!(jitter("a", p), jitter("a", p));
        assert!(jitter("cmhk-prepaid-en", p) < MAX_JITTER);
        assert!(jitter("x", Duration::from_secs(1)) < Duration::from_millis(100));
        assert_eq!(jitter("x", Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn periods() {
        let tz = chrono_tz::Asia::Hong_Kong;
        assert_eq!(
            period("0 0 */6 * * *", tz),
            Some(Duration::from_secs(6 * 3600))
        );
        assert_eq!(period("*/2 * * * * *", tz), Some(Duration::from_secs(2)));
    }

    #[test]
    fn missed_slots() {
        let tz = chrono_tz::Asia::Hong_Kong;
        assert!(missed_slot("* * * * * *", tz, None));
        assert!(missed_slot("0 0 * * * *", tz, Some(0)));
        assert!(!missed_slot(
            "0 0 0 1 1 *",
            tz,
            Some(Utc::now().timestamp())
        ));
    }
}
