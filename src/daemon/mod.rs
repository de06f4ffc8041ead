//! Daemon: `policywatch run`: every target on its own cron schedule until asked to stop.
//!
//! [`run`] takes its stop and reload requests as channels, so a test can drive it in-process;
//! `main` turns SIGTERM/SIGINT into stop requests and SIGHUP into reload requests. The schedule
//! arithmetic (jitter, periods, missed slots) is `schedule`'s, the check itself `check`'s.
//!
//! The checks themselves run in a short-lived worker process (`policywatch worker`, see
//! [`crate::worker`] and `worker`): the daemon never fetches or parses a page, so between bursts
//! it holds a scheduler's memory, not a parser's.
//!
//! One tokio-cron-scheduler job per distinct schedule, which starts each of its targets after a
//! small per-target jitter so targets on one host don't fire together (one job per target cost
//! ~3.5 KiB of scheduler state each and a scan of every job on every scheduler tick); a target is
//! never checked twice at once (a tick that finds the previous check still running is skipped and
//! logged); a target whose last check is older than its last scheduled slot is checked once soon
//! after start (catch-up, not a storm), and no slot is checked twice (a job remade within its
//! targets' jitter, or in an autumn change's repeated hour, skips the slots already taken). The
//! outbox is drained after every check and on its own timer; old check records are pruned daily.
//!
//! A reload request (SIGHUP) reloads the config: the new file is validated, and everything that can fail (lexicon,
//! TLS roots, email settings, the metrics listener) is built before anything is swapped, so a bad
//! config is logged ("reload refused") and the old one keeps running. Otherwise only the jobs of
//! schedules whose targets were added, removed or changed are remade (a check in progress is never
//! interrupted); the other jobs keep running untouched and pick up new global settings (fetch,
//! email) at their next tick.
//!
//! A stop request (SIGTERM/SIGINT) stops scheduling, lets checks in flight finish (at most
//! [`SHUTDOWN_GRACE`]), tries the outbox once more, and returns. A second request stops waiting.
//!
//! systemd is told READY, STATUS, RELOADING and STOPPING through `$NOTIFY_SOCKET`; with
//! `WatchdogSec=` the WATCHDOG ping is sent from the main loop, so a loop that stops turning
//! stops it.
//! With `[metrics]`, `/healthz` and `/metrics` are served on a loopback address (see `metrics`).

mod reload;
mod shared;
mod worker;

pub use worker::{HELLO_WAIT, LINGER, STALL_WAIT, WorkerCommand};

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{Timelike, Utc};
use sd_notify::NotifyState;
use tokio::sync::{RwLock, mpsc};
use tokio::task::JoinHandle;
use tokio_cron_scheduler::{Job, JobScheduler};
use uuid::Uuid;

use crate::config::{Config, ConfigError, Digest, Heartbeat, Target};
use crate::extract::lexicon::LexiconError;
use crate::metrics::{Endpoint, Metrics};
use crate::notify::digest::{queue_digest, queue_heartbeat};
use crate::notify::{NotifyError, lock, now_unix};
use crate::schedule::{
    catch_up_delay, fired_slot, jitter, last_slot, next_firing, parse_cron, period, summary_owed,
    utc_offset,
};
use crate::store::{CheckStatus, Store, StoreError};
use crate::zone::Zone;

use shared::{Generation, Shared, trim_when_quiet};

/// How long SIGTERM waits for checks in flight before exiting anyway.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);
/// How long the last outbox drain at shutdown may take.
pub const SHUTDOWN_DRAIN: Duration = Duration::from_secs(5);
/// How often the outbox is retried on its own.
pub const OUTBOX_INTERVAL: Duration = Duration::from_secs(60);
/// How often old check records are pruned.
pub const PRUNE_INTERVAL: Duration = Duration::from_secs(24 * 3600);
/// The least time between two trims of freed memory (see [`crate::trim`]).
pub const TRIM_INTERVAL: Duration = Duration::from_secs(5);
/// How often STATUS= is refreshed.
pub const STATUS_INTERVAL: Duration = Duration::from_secs(30);
/// When the daily digest goes out (in the configured time zone).
pub const DIGEST_SCHEDULE: &str = "0 0 9 * * *";
/// When the weekly heartbeat goes out: Monday morning.
pub const HEARTBEAT_SCHEDULE: &str = "0 5 9 * * Mon";

#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Notify(#[from] NotifyError),
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
    #[error("scheduler: {0}")]
    Scheduler(String),
    #[error("check worker: {0}")]
    Worker(String),
    #[error("metrics endpoint: cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

pub(super) fn sched_err(e: impl std::fmt::Display) -> DaemonError {
    DaemonError::Scheduler(e.to_string())
}

/// The targets of one job, each with its jitter.
pub(super) type Planned = Arc<[(Arc<Target>, Duration)]>;

/// The targets grouped by their cron expression, in config order within each group.
pub(super) fn by_schedule(targets: &[Arc<Target>]) -> HashMap<&str, Vec<&Arc<Target>>> {
    let mut groups: HashMap<&str, Vec<&Arc<Target>>> = HashMap::new();
    for t in targets {
        groups.entry(t.schedule.as_str()).or_default().push(t);
    }
    groups
}

/// A running metrics endpoint.
pub(super) struct MetricsServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for MetricsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(super) struct Daemon {
    shared: Arc<Shared>,
    sched: JobScheduler,
    config: Config,
    /// The time zone's UTC offset when the cron jobs were made: tokio-cron-scheduler fixes it
    /// per job, so the jobs are remade when daylight saving time changes it.
    utc_offset: i32,
    /// The scheduled job per cron expression, with the targets (and their jitter) it fires.
    jobs: HashMap<String, (Uuid, Planned)>,
    /// The digest and heartbeat jobs (they depend on `[alerts]` and the time zone).
    summary_jobs: Vec<Uuid>,
    metrics_server: Option<MetricsServer>,
    /// The outbox timer and the daily prune ([`Daemon::start_timers`]).
    timers: Timers,
}

/// Queues the digest (`is_digest`) or the weekly heartbeat from the current generation's
/// config; whether there is something to send (an error is logged).
fn summarise(shared: &Shared, is_digest: bool) -> bool {
    let generation = shared.generation();
    let mut store = lock(&shared.store);
    let ctx = generation.context();
    let queued = if is_digest {
        queue_digest(&mut store, now_unix(), &ctx)
    } else {
        // Every reload makes a new generation: its config has the targets now.
        let names = generation.config.target_names();
        queue_heartbeat(&mut store, &names, now_unix(), &ctx).map(|()| true)
    };
    queued.unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot queue a summary email");
        false
    })
}

/// Tasks that run every so often on tokio's monotonic clock, stopped when dropped.
#[derive(Default)]
pub(super) struct Timers(Vec<JoinHandle<()>>);

impl Timers {
    /// Runs `tick` every `period`, the first time one period from now. Not a cron job:
    /// tokio-cron-scheduler works out a repeated job's next run from the wall clock when it
    /// runs, so after the clock jumped forward by more than the period (a resume from suspend,
    /// an NTP step) such a job never ran again (the review of round 12 of issue 16: the outbox
    /// timer, the prune and the watchdog's ping stopped, and systemd killed the service).
    fn every<F, Fut>(&mut self, period: Duration, mut tick: F)
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        self.0.push(tokio::spawn(async move {
            let mut timer = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
            timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                timer.tick().await;
                tick().await;
            }
        }));
    }
}

impl Drop for Timers {
    fn drop(&mut self) {
        for t in &self.0 {
            t.abort();
        }
    }
}

impl Daemon {
    fn timezone(&self) -> Zone {
        self.config.schedule.timezone.clone()
    }

    async fn start_metrics(&self, addr: SocketAddr) -> Result<MetricsServer, DaemonError> {
        let listener = crate::metrics::bind(addr)
            .await
            .map_err(|source| DaemonError::Listen { addr, source })?;
        let bound = listener.local_addr().unwrap_or(addr);
        let endpoint = Arc::new(Endpoint {
            metrics: self.shared.metrics.clone(),
            store: self.shared.store.clone(),
            config: self.shared.generation().config.clone(),
        });
        tracing::info!(address = %bound, "metrics endpoint listening: /healthz, /metrics and /feed.atom");
        Ok(MetricsServer {
            addr,
            task: tokio::spawn(crate::metrics::serve(listener, endpoint)),
        })
    }

    /// One job for every target on `schedule`: when it fires, each target's check starts after
    /// its own jitter, on its own task.
    async fn add_group(
        &mut self,
        schedule: &str,
        targets: Vec<&Arc<Target>>,
    ) -> Result<(), DaemonError> {
        let tz = self.timezone();
        let every = period(schedule, &tz, Utc::now());
        let planned: Planned = targets
            .iter()
            .map(|t| {
                let delay = every.map(|p| jitter(&t.name, p)).unwrap_or_default();
                (Arc::clone(t), delay)
            })
            .collect();
        let shared = self.shared.clone();
        let group = planned.clone();
        // As tokio-cron-scheduler fixes it in the job made below.
        let offset = utc_offset(&tz, Utc::now());
        // Shared by every firing, not copied into each.
        let cron = Arc::new(parse_cron(schedule).map_err(sched_err)?);
        let job = Job::new_async_tz(schedule, tz, move |_id, _sched| {
            let shared = shared.clone();
            let planned = group.clone();
            let cron = cron.clone();
            Box::pin(async move {
                let mut slots = shared.slots();
                // The clock is read under the lock: takes then come in the order of their
                // `now`, and none finds a later one's slot covered "in the future" (which
                // `Slots::take` reads as the wall clock gone back).
                let fired = Utc::now();
                let (slot, now) = (fired_slot(&cron, offset, fired), fired.timestamp());
                // A slot already taken: this job was remade while the old one's checks waited
                // out their jitter, or in an autumn change's repeated hour. Without a slot (none
                // at or before now, which a firing job has) the check goes ahead.
                let due: Vec<(Arc<Target>, Duration)> = planned
                    .iter()
                    .filter(|(t, _)| slot.is_none_or(|slot| slots.take(&t.name, slot, now)))
                    .cloned()
                    .collect();
                drop(slots);
                if due.len() < planned.len() {
                    let slot = slot.and_then(|s| chrono::DateTime::from_timestamp(s, 0));
                    tracing::info!(
                        skipped = planned.len() - due.len(),
                        slot = %slot.map_or_else(String::new, |s| s.to_rfc3339()),
                        "this slot was already checked; those targets are not checked again"
                    );
                }
                let taken = slot.map(|slot| (slot, now));
                for (target, delay) in due {
                    let shared = shared.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(delay).await;
                        // Boxed: a task waiting out its jitter is then a few bytes, not the
                        // size of a whole check (thousands of them wait at once).
                        Box::pin(shared.check_slot(&target, taken)).await;
                    });
                }
            })
        })
        .map_err(sched_err)?;
        let id = self.sched.add(job).await.map_err(sched_err)?;
        self.jobs.insert(schedule.to_string(), (id, planned));
        Ok(())
    }

    /// The outbox timer and the daily prune: they read everything they need when they fire, so
    /// they are never remade. (The watchdog is pinged from the main loop, so that its pings say
    /// the loop that stops and reloads the daemon still turns.)
    fn start_timers(&mut self) {
        let shared = self.shared.clone();
        self.timers.every(OUTBOX_INTERVAL, move || {
            let shared = shared.clone();
            async move { shared.drain().await }
        });
        let shared = self.shared.clone();
        self.timers.every(PRUNE_INTERVAL, move || {
            let shared = shared.clone();
            async move { shared.prune().await }
        });
    }

    /// The daily digest and the weekly heartbeat, when enabled.
    async fn add_summary_jobs(&mut self) -> Result<(), DaemonError> {
        let tz = self.timezone();
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
            let job = Job::new_async_tz(schedule, tz.clone(), move |_id, _s| {
                let shared = shared.clone();
                Box::pin(async move {
                    if summarise(&shared, is_digest) {
                        shared.drain().await;
                    }
                })
            })
            .map_err(sched_err)?;
            self.summary_jobs
                .push(self.sched.add(job).await.map_err(sched_err)?);
        }
        Ok(())
    }

    /// The summaries (true: the digest; false: the heartbeat) whose slot passed while the daemon
    /// was down (a deploy, a reboot, a restart by the watchdog): queued at start, once each.
    fn summaries_owed(&self) -> Result<Vec<bool>, StoreError> {
        let (tz, now) = (self.timezone(), Utc::now());
        let store = lock(&self.shared.store);
        let mut owed = Vec::new();
        if self.config.alerts.digest == Digest::Daily {
            // Since the last digest, or the oldest change it holds if none went out yet.
            let since = match store.last_alert_of_kind("digest")? {
                Some(t) => Some(t),
                None => store.digest_items()?.first().map(|a| a.created_at),
            };
            if summary_owed(DIGEST_SCHEDULE, &tz, since, now) {
                owed.push(true);
            }
        }
        if self.config.alerts.heartbeat == Heartbeat::Weekly {
            let since = store.last_alert_of_kind("heartbeat")?;
            if summary_owed(HEARTBEAT_SCHEDULE, &tz, since, now) {
                owed.push(false);
            }
        }
        Ok(owed)
    }

    /// Checks `target` once soon if its last scheduled slot passed without a check, and no job
    /// took that slot already (an old job's task may still be waiting out its jitter).
    fn catch_up(&self, target: &Arc<Target>) -> Result<(), DaemonError> {
        let tz = self.timezone();
        let last = lock(&self.shared.store)
            .last_check(&target.name)?
            .map(|c| c.started_at);
        let cron = parse_cron(&target.schedule).ok();
        let (taken, due) = {
            let mut slots = self.shared.slots();
            // The clock is read under the lock, as a firing job reads it.
            let now = Utc::now();
            let slot = cron
                .as_ref()
                .and_then(|cron| last_slot(cron, &now.with_timezone(&tz)));
            let now = now.timestamp();
            let due = slots.missed(&target.name, slot, last, now);
            (slot.map(|slot| (slot, now)), due)
        };
        if !due {
            return Ok(());
        }
        let delay = catch_up_delay(&target.name, period(&target.schedule, &tz, Utc::now()));
        tracing::info!(target = %target.name, in_ms = u64::try_from(delay.as_millis()).unwrap_or(0), "catching up a missed check");
        let shared = self.shared.clone();
        let t = Arc::clone(target);
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            Box::pin(shared.check_slot(&t, taken)).await;
        });
        Ok(())
    }

    fn status_line(&self) -> String {
        let now = Utc::now();
        let next = next_firing(
            self.jobs.keys().map(String::as_str),
            &self.config.schedule.timezone,
            now,
        );
        let failing = {
            let store = lock(&self.shared.store);
            self.config
                .targets
                .iter()
                .filter(|t| {
                    store
                        .last_check(&t.name)
                        .ok()
                        .flatten()
                        .is_some_and(|c| c.status == CheckStatus::Error)
                })
                .count()
        };
        let n = self.config.targets.len();
        format!(
            "{n} {}, next check {}, {failing} failing",
            if n == 1 { "target" } else { "targets" },
            next.map_or_else(|| "-".into(), |at| when(&at, now)),
        )
    }
}

/// A next check's time as the status line says it: the time of day, with the date when it is
/// not within a day (a yearly schedule's "00:00" alone reads as tonight).
fn when(at: &chrono::DateTime<Zone>, now: chrono::DateTime<Utc>) -> String {
    let time = if at.second() == 0 {
        "%H:%M %Z"
    } else {
        "%H:%M:%S %Z"
    };
    let soon = at.timestamp() - now.timestamp() < 24 * 3600;
    let format = if soon {
        time.to_string()
    } else {
        format!("%Y-%m-%d {time}")
    };
    at.format(&format).to_string()
}

/// A request to re-read the config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reload {
    /// Replaces the file's `database`, as `--database` did at start.
    pub database: Option<PathBuf>,
}

/// Runs until a stop request arrives on `shutdown` (or its sender is dropped); a second request
/// stops waiting for checks in flight. Each message on `reload` re-reads the config file.
/// `source` is the text `config` was read from; `worker` starts a check worker (the binary's
/// `policywatch worker`).
pub async fn run(
    config: Config,
    source: String,
    worker: WorkerCommand,
    mut shutdown: mpsc::Receiver<()>,
    mut reload: mpsc::Receiver<Reload>,
) -> Result<(), DaemonError> {
    let store = Arc::new(Mutex::new(Store::open(&config.database)?));
    let generation =
        Arc::new(Generation::new(&config, source, worker.clone(), store.clone()).await?);
    let metrics = Arc::new(Metrics::new());
    metrics.set_targets(config.targets.iter().map(|t| t.name.as_str()));
    {
        let store = lock(&store);
        for t in &config.targets {
            if let Some(c) = store.last_check(&t.name)?
                && c.status != CheckStatus::Error
            {
                metrics.seed_last_success(&t.name, c.started_at);
            }
        }
    }
    let shared = Arc::new(Shared {
        worker,
        store,
        generation: Mutex::new(generation),
        // Made now, together, rather than one by one amid the first burst's short-lived memory,
        // where each would keep a page of it from going back to the system.
        running: Mutex::new(
            config
                .targets
                .iter()
                .map(|t| (t.name.clone(), Arc::default()))
                .collect(),
        ),
        slots: Mutex::default(),
        in_flight: Arc::new(RwLock::new(())),
        stopping: AtomicBool::new(false),
        draining: tokio::sync::Mutex::new(()),
        metrics,
        active: AtomicUsize::new(0),
        dirty: AtomicBool::new(false),
    });
    let sched = JobScheduler::new().await.map_err(sched_err)?;
    let mut d = Daemon {
        shared: shared.clone(),
        sched,
        utc_offset: utc_offset(&config.schedule.timezone, Utc::now()),
        // The daemon keeps the only copy: with thousands of targets, copies cost.
        config,
        jobs: HashMap::new(),
        summary_jobs: Vec::new(),
        metrics_server: None,
        timers: Timers::default(),
    };
    if let Some(m) = d.config.metrics {
        d.metrics_server = Some(d.start_metrics(m.listen).await?);
    }
    // Taken out while the jobs are made from them (that needs the daemon mutably).
    let targets = std::mem::take(&mut d.config.targets);
    for (schedule, group) in by_schedule(&targets) {
        d.add_group(schedule, group).await?;
    }
    d.start_timers();
    d.add_summary_jobs().await?;
    d.sched.start().await.map_err(sched_err)?;
    for t in &targets {
        d.catch_up(t)?;
    }
    d.config.targets = targets;
    let owed = d.summaries_owed()?;
    // Alerts left pending by a previous run go out now, not at the first timer tick, with the
    // summaries missed while the daemon was down; old check records are pruned now too (the
    // daily timer's first run is a day away).
    {
        let shared = shared.clone();
        tokio::spawn(async move {
            for is_digest in owed {
                tracing::info!(
                    summary = if is_digest { "digest" } else { "heartbeat" },
                    "its time passed while policywatch was not running: queued now"
                );
                summarise(&shared, is_digest);
            }
            shared.drain().await;
            shared.clone().prune().await;
            // Start-up read every target's last check and pruned: that cache and heap need not
            // stay resident until the first pass.
            shared.dirty.store(true, Ordering::SeqCst);
        });
    }
    let trimmer = tokio::spawn(trim_when_quiet(shared.clone()));
    let status = d.status_line();
    let path = d.config.path.clone();
    tracing::info!(config = %path.display(), %status, "policywatch running");
    let _ = sd_notify::notify(&[NotifyState::Ready, NotifyState::Status(&status)]);

    let mut status_tick = tokio::time::interval(STATUS_INTERVAL);
    status_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // On tokio's monotonic clock, as the timers: a wall clock that jumps must not stop it.
    let mut watchdog = sd_notify::watchdog_enabled().map(|wd| {
        tracing::info!(watchdog = ?wd, ping_every = ?(wd / 2), "systemd watchdog enabled");
        let mut tick = tokio::time::interval(wd / 2);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick
    });
    loop {
        tokio::select! {
            _ = shutdown.recv() => break,
            Some(_) = async {
                match watchdog.as_mut() {
                    Some(tick) => Some(tick.tick().await),
                    None => None,
                }
            } => {
                let _ = sd_notify::notify(&[NotifyState::Watchdog]);
            }
            Some(request) = reload.recv() => {
                tracing::info!("reload requested: reloading the config");
                d.reload(&path, request.database.as_ref()).await;
            }
            _ = status_tick.tick() => {
                d.follow_utc_offset().await;
                let _ = sd_notify::notify(&[NotifyState::Status(&d.status_line())]);
            }
        }
    }

    tracing::info!("stopping: no new checks; waiting for checks in flight");
    let _ = sd_notify::notify(&[
        NotifyState::Stopping,
        NotifyState::Status("stopping: waiting for checks in flight"),
    ]);
    shared.stopping.store(true, Ordering::SeqCst);
    trimmer.abort();
    // The outbox and prune timers stop now.
    d.timers = Timers::default();
    if let Err(e) = d.sched.shutdown().await {
        tracing::warn!(error = %e, "scheduler did not shut down cleanly");
    }
    let finished = tokio::select! {
        r = tokio::time::timeout(SHUTDOWN_GRACE, shared.in_flight.write()) => r.is_ok(),
        // A closed channel is no second request: that branch is then disabled.
        Some(()) = shutdown.recv() => false,
    };
    if finished {
        tracing::info!("all checks finished");
        // Flush what can be flushed; anything not sent stays pending for the next start.
        if tokio::time::timeout(SHUTDOWN_DRAIN, shared.drain())
            .await
            .is_err()
        {
            tracing::warn!("outbox not drained in time; pending alerts go out at the next start");
        }
    } else {
        tracing::warn!(grace = ?SHUTDOWN_GRACE, "checks still running; stopping without them (nothing of theirs is committed; pending alerts go out at the next start)");
    }
    // The worker exits by itself (keeping the robots.txt files it read and stopping its
    // Chromium), killed only if its checks did not finish in the grace.
    shared.generation().workers.stop(finished).await;
    drop(d);
    tracing::info!("stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::{Timers, when};

    #[test]
    fn a_next_check_beyond_a_day_gives_its_date() {
        use chrono::TimeZone;
        let hk = crate::zone::Zone::hong_kong();
        // 2026-12-08 08:15 HKT.
        let now = chrono::Utc.with_ymd_and_hms(2026, 12, 8, 0, 15, 0).unwrap();
        let tonight = hk.with_ymd_and_hms(2026, 12, 8, 23, 0, 0).unwrap();
        assert_eq!(when(&tonight, now), "23:00 HKT");
        let tomorrow = hk.with_ymd_and_hms(2026, 12, 9, 8, 0, 30).unwrap();
        assert_eq!(when(&tomorrow, now), "08:00:30 HKT");
        let new_year = hk.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(when(&new_year, now), "2027-01-01 00:00 HKT");
    }

    #[tokio::test(start_paused = true)]
    async fn a_timer_ticks_every_period_and_stops_when_dropped() {
        let ticks = Arc::new(AtomicUsize::new(0));
        let mut timers = Timers::default();
        let counted = ticks.clone();
        timers.every(Duration::from_secs(60), move || {
            let counted = counted.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
            }
        });
        // Not at once: one period from now, then every period, for as long as it runs (a cron
        // job of the scheduler stopped after one run once the wall clock jumped).
        tokio::time::sleep(Duration::from_secs(30)).await;
        assert_eq!(ticks.load(Ordering::SeqCst), 0);
        tokio::time::sleep(Duration::from_secs(60 * 10)).await;
        assert_eq!(ticks.load(Ordering::SeqCst), 10);
        drop(timers);
        tokio::time::sleep(Duration::from_secs(60 * 10)).await;
        assert_eq!(ticks.load(Ordering::SeqCst), 10);
    }
}
