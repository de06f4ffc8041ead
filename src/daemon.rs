//! Daemon: `policywatch run`: every target on its own cron schedule until SIGTERM or SIGINT.
//!
//! One tokio-cron-scheduler job per distinct schedule, which starts each of its targets after a
//! small per-target jitter so targets on one host don't fire together (one job per target cost
//! ~3.5 KiB of scheduler state each and a scan of every job on every scheduler tick); a target is
//! never checked twice at once (a tick that finds the previous check still running is skipped and
//! logged); a target whose last check is older than its last scheduled slot is checked once soon
//! after start (catch-up, not a storm). The outbox is drained after every check and on its own
//! timer; old check records are pruned daily.
//!
//! SIGHUP reloads the config: the new file is validated, and everything that can fail (lexicon,
//! TLS roots, email settings, the metrics listener) is built before anything is swapped, so a bad
//! config is logged ("reload refused") and the old one keeps running. Otherwise only the jobs of
//! schedules whose targets were added, removed or changed are remade (a check in progress is never
//! interrupted); the other jobs keep running untouched and pick up new global settings (fetch,
//! email) at their next tick.
//!
//! SIGTERM/SIGINT stop scheduling, let checks in flight finish (at most [`SHUTDOWN_GRACE`]), try
//! the outbox once more, and return. A second signal stops waiting.
//!
//! systemd is told READY, STATUS, RELOADING and STOPPING through `$NOTIFY_SOCKET`; with
//! `WatchdogSec=` the WATCHDOG ping is itself a scheduler job, so a hung scheduler stops it.
//! With `[metrics]`, `/healthz` and `/metrics` are served on a loopback address (see `metrics`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Timelike, Utc};
use sd_notify::NotifyState;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::RwLock;
use tokio::task::JoinHandle;
use tokio_cron_scheduler::{Job, JobScheduler};
use uuid::Uuid;

use crate::check::{CheckError, Checker, Status};
use crate::config::{Config, ConfigError, Digest, Heartbeat, Target};
use crate::metrics::{Endpoint, Metrics, status_label};
use crate::notify::digest::{queue_digest, queue_heartbeat};
use crate::notify::{Channels, NotifyError, drain, lock, now_unix};
use crate::schedule::{next_after, parse_cron};
use crate::store::{CheckStatus, Store, StoreError};

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
/// The most a target's start is shifted to spread load.
pub const MAX_JITTER: Duration = Duration::from_secs(60);
/// Catch-up checks at start are spread over at most this long.
pub const CATCH_UP_SPREAD: Duration = Duration::from_secs(3);

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
    #[error("metrics endpoint: cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

fn sched_err(e: impl std::fmt::Display) -> DaemonError {
    DaemonError::Scheduler(e.to_string())
}

/// What the checks of one configuration share; replaced as a whole by a reload.
struct Generation {
    checker: Arc<Checker>,
    channels: Arc<Channels>,
    /// Check records older than this are pruned.
    keep_checks: Duration,
}

impl Generation {
    fn new(config: &Config, store: Arc<Mutex<Store>>) -> Result<Generation, DaemonError> {
        if config.alerts.digest == Digest::Off {
            // Alerts held for a digest that will no longer come go out on their own.
            let released = lock(&store).release_digest_items()?;
            if released > 0 {
                tracing::info!(alerts = released, "digest is off: held alerts released");
            }
        }
        Ok(Generation {
            checker: Arc::new(Checker::from_config(config, store)?),
            channels: Arc::new(Channels::from_config(config, Box::new(std::io::stdout()))),
            keep_checks: config.storage.keep_checks,
        })
    }
}

/// State that outlives reloads. Jobs hold an `Arc<Shared>` and read the current generation when
/// they fire, so a reload that changes only global settings needs no rescheduling.
struct Shared {
    store: Arc<Mutex<Store>>,
    generation: Mutex<Arc<Generation>>,
    /// One lock per target name: a check holds it, a tick that finds it held is skipped. Entries
    /// are never removed, so a target re-added by a reload still waits for its old check.
    running: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Every check holds a read guard; shutdown takes the write guard to wait for them.
    in_flight: Arc<RwLock<()>>,
    stopping: AtomicBool,
    /// Serialises outbox drains so one alert is never sent by two drains at once.
    draining: tokio::sync::Mutex<()>,
    metrics: Arc<Metrics>,
    /// The configured target names (for the weekly heartbeat).
    names: Mutex<Vec<String>>,
    /// Checks running now, and whether any finished since memory was last given back: the
    /// trimmer gives it back once a burst is over (see [`trim_when_quiet`]).
    active: AtomicUsize,
    dirty: AtomicBool,
}

impl Shared {
    fn generation(&self) -> Arc<Generation> {
        self.generation
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn target_lock(&self, name: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.running.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(name.to_string()).or_default().clone()
    }

    async fn drain(&self) {
        let _one = self.draining.lock().await;
        let generation = self.generation();
        match drain(&self.store, &generation.channels, false).await {
            Ok(d) if d.sent + d.failed > 0 => {
                tracing::info!(sent = d.sent, failed = d.failed, "outbox drained")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "cannot drain the outbox"),
        }
    }

    /// Runs one check of `target` unless one is already running or we are stopping.
    async fn check(&self, target: &Target) {
        if self.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(_flight) = self.in_flight.clone().try_read_owned() else {
            return; // shutdown is waiting for the checks in flight
        };
        let lock = self.target_lock(&target.name);
        let Ok(running) = lock.try_lock() else {
            tracing::warn!(target = %target.name, "previous check still running; this tick is skipped");
            return;
        };
        let generation = self.generation();
        let clock = Instant::now();
        self.active.fetch_add(1, Ordering::SeqCst);
        let outcome = generation.checker.check_isolated(target).await;
        let took = clock.elapsed();
        let took_ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
        self.metrics
            .record(&target.name, status_label(&outcome), took, now_unix());
        // `Checker::check` logs every outcome at info; a failure is also a warning here.
        match &outcome.status {
            Status::Error(cause) => {
                tracing::warn!(target = %target.name, %cause, took_ms, "check failed");
            }
            _ => tracing::debug!(target = %target.name, took_ms, "scheduled check done"),
        }
        // Sending may take a while (SMTP timeouts): the target's next tick need not wait.
        drop(running);
        self.active.fetch_sub(1, Ordering::SeqCst);
        self.dirty.store(true, Ordering::SeqCst);
        self.drain().await;
    }

    /// Returns the memory that pages and SQLite's cache used to the system.
    fn release_memory(&self) {
        if let Err(e) = lock(&self.store).release_memory() {
            tracing::debug!(error = %e, "cannot shrink SQLite's cache");
        }
        crate::trim::release_free_memory();
    }

    /// Deletes old check records, on the blocking pool (a large delete takes a while).
    async fn prune(self: Arc<Self>) {
        let me = self.clone();
        if let Err(e) = tokio::task::spawn_blocking(move || me.prune_now()).await {
            tracing::warn!(error = %e, "pruning old check records failed");
        }
    }

    fn prune_now(&self) {
        let keep = self.generation().keep_checks;
        match lock(&self.store).prune(now_unix(), keep) {
            Ok(n) if n > 0 => tracing::info!(rows = n, "pruned old check records"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot prune old check records"),
        }
    }
}

/// The targets of one job, each with its jitter.
type Planned = Arc<[(Arc<Target>, Duration)]>;

/// The targets grouped by their cron expression, in config order within each group.
fn by_schedule(targets: &[Target]) -> HashMap<&str, Vec<&Target>> {
    let mut groups: HashMap<&str, Vec<&Target>> = HashMap::new();
    for t in targets {
        groups.entry(t.schedule.as_str()).or_default().push(t);
    }
    groups
}

/// Every [`TRIM_INTERVAL`]: when checks finished since the last look and none is running now,
/// the burst is over and its memory goes back to the system. At most one trim per interval,
/// and always one after a burst (a trim on the last check's return could be skipped by a rate
/// limit and leave a whole pass's memory resident until the next one). One more follows once
/// the HTTP pool has closed the pass's idle connections and freed their buffers.
async fn trim_when_quiet(shared: Arc<Shared>) {
    let mut tick = tokio::time::interval(TRIM_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut follow_up: Option<Instant> = None;
    loop {
        tick.tick().await;
        if shared.active.load(Ordering::SeqCst) != 0 {
            continue;
        }
        let due = if shared.dirty.swap(false, Ordering::SeqCst) {
            follow_up = Some(Instant::now() + crate::fetch::POOL_IDLE_TIMEOUT + TRIM_INTERVAL);
            true
        } else if follow_up.is_some_and(|at| Instant::now() >= at) {
            follow_up = None;
            true
        } else {
            false
        };
        if due {
            // It may wait for the store (a long prune) and walks the heap: not on a worker.
            let shared = shared.clone();
            let _ = tokio::task::spawn_blocking(move || shared.release_memory()).await;
        }
    }
}

/// A stable per-target delay within 10 % of the period, at most [`MAX_JITTER`].
pub fn jitter(name: &str, period: Duration) -> Duration {
    let cap = (period / 10).min(MAX_JITTER);
    if cap.is_zero() {
        return Duration::ZERO;
    }
    // Stable across runs, so a target keeps its place in the period after a restart.
    let h = crate::hash::stable_hash(&[name.as_bytes()]);
    let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX).max(1);
    Duration::from_millis(h % millis)
}

/// The time between two consecutive firings of a cron expression (its period, roughly).
pub fn period(expr: &str, tz: chrono_tz::Tz) -> Option<Duration> {
    let cron = parse_cron(expr).ok()?;
    let now = Utc::now().with_timezone(&tz);
    let a = next_after(&cron, &now)?;
    let b = next_after(&cron, &a)?;
    (b - a).to_std().ok()
}

/// How long after start (or after a reload added it) a target that missed its slot is checked:
/// its own jitter, spread over at most [`CATCH_UP_SPREAD`].
fn catch_up_delay(name: &str, period: Option<Duration>) -> Duration {
    let spread = CATCH_UP_SPREAD * 10;
    jitter(name, period.unwrap_or(spread).min(spread))
}

/// True when the last scheduled slot before now passed without a check.
fn missed_slot(expr: &str, tz: chrono_tz::Tz, last_check: Option<i64>) -> bool {
    let Some(last) = last_check else { return true };
    let Ok(cron) = parse_cron(expr) else {
        return false;
    };
    let now = Utc::now().with_timezone(&tz);
    // Inclusive: croner's exclusive search starts a whole second back, which would skip a slot
    // in the current second (a restart at 10:00:00.4 would miss both that slot and its job).
    cron.find_previous_occurrence(&now, true)
        .is_ok_and(|prev| prev.timestamp() > last)
}

/// The UTC offset of `tz` now, in seconds, as tokio-cron-scheduler fixes it when a job is made.
fn utc_offset(tz: chrono_tz::Tz) -> i32 {
    use chrono::{Offset, TimeZone};
    tz.offset_from_utc_datetime(&Utc::now().naive_utc())
        .fix()
        .local_minus_utc()
}

/// The systemd notification sent before a reload: RELOADING=1 with the MONOTONIC_USEC= that
/// systemd 253 and later require with it.
fn notify_reloading() {
    let mut states = vec![NotifyState::Reloading];
    if let Ok(now) = NotifyState::monotonic_usec_now() {
        states.push(now);
    }
    let _ = sd_notify::notify(&states);
}

/// A running metrics endpoint.
struct MetricsServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for MetricsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What a reload has to swap in, all of it built before anything changes.
struct Prepared {
    config: Config,
    generation: Option<Arc<Generation>>,
    /// `Some(new)` when the endpoint changes: the new server (or none).
    metrics: Option<Option<MetricsServer>>,
}

struct Daemon {
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
}

impl Daemon {
    fn timezone(&self) -> chrono_tz::Tz {
        self.config.schedule.timezone
    }

    async fn start_metrics(&self, addr: SocketAddr) -> Result<MetricsServer, DaemonError> {
        let listener = crate::metrics::bind(addr)
            .await
            .map_err(|source| DaemonError::Listen { addr, source })?;
        let bound = listener.local_addr().unwrap_or(addr);
        let endpoint = Arc::new(Endpoint {
            metrics: self.shared.metrics.clone(),
            store: self.shared.store.clone(),
        });
        tracing::info!(address = %bound, "metrics endpoint listening: /healthz and /metrics");
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
        targets: Vec<&Target>,
    ) -> Result<(), DaemonError> {
        let tz = self.timezone();
        let every = period(schedule, tz);
        let planned: Planned = targets
            .iter()
            .map(|t| {
                let delay = every.map(|p| jitter(&t.name, p)).unwrap_or_default();
                (Arc::new((*t).clone()), delay)
            })
            .collect();
        let shared = self.shared.clone();
        let fired = planned.clone();
        let job = Job::new_async_tz(schedule, tz, move |_id, _sched| {
            let shared = shared.clone();
            let planned = fired.clone();
            Box::pin(async move {
                for (target, delay) in planned.iter() {
                    let (shared, target, delay) = (shared.clone(), target.clone(), *delay);
                    tokio::spawn(async move {
                        tokio::time::sleep(delay).await;
                        shared.check(&target).await;
                    });
                }
            })
        })
        .map_err(sched_err)?;
        let id = self.sched.add(job).await.map_err(sched_err)?;
        self.jobs.insert(schedule.to_string(), (id, planned));
        Ok(())
    }

    /// The outbox timer, the daily prune and the watchdog: they read everything they need when
    /// they fire, so they are never rescheduled.
    async fn add_fixed_jobs(&mut self) -> Result<(), DaemonError> {
        let shared = self.shared.clone();
        let outbox = Job::new_repeated_async(OUTBOX_INTERVAL, move |_id, _s| {
            let shared = shared.clone();
            Box::pin(async move { shared.drain().await })
        })
        .map_err(sched_err)?;
        self.sched.add(outbox).await.map_err(sched_err)?;
        let shared = self.shared.clone();
        let prune = Job::new_repeated_async(PRUNE_INTERVAL, move |_id, _s| {
            let shared = shared.clone();
            Box::pin(async move { shared.prune().await })
        })
        .map_err(sched_err)?;
        self.sched.add(prune).await.map_err(sched_err)?;
        if let Some(wd) = sd_notify::watchdog_enabled() {
            // The scheduler counts repeats in whole seconds: below 1 s it fires on every tick
            // of its loop (500 ms), which is still in time.
            let every = wd / 2;
            tracing::info!(watchdog = ?wd, ping_every = ?every, "systemd watchdog enabled");
            let ping = Job::new_repeated_async(every, |_id, _s| {
                Box::pin(async {
                    let _ = sd_notify::notify(&[NotifyState::Watchdog]);
                })
            })
            .map_err(sched_err)?;
            self.sched.add(ping).await.map_err(sched_err)?;
        }
        Ok(())
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
            let job = Job::new_async_tz(schedule, tz, move |_id, _s| {
                let shared = shared.clone();
                Box::pin(async move {
                    let generation = shared.generation();
                    let names = shared
                        .names
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .clone();
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
                        Ok(()) => shared.drain().await,
                        Err(e) => tracing::error!(error = %e, "cannot queue a summary email"),
                    }
                })
            })
            .map_err(sched_err)?;
            self.summary_jobs
                .push(self.sched.add(job).await.map_err(sched_err)?);
        }
        Ok(())
    }

    /// Checks `target` once soon if its last scheduled slot passed without a check.
    fn catch_up(&self, target: &Target) -> Result<(), DaemonError> {
        let tz = self.timezone();
        let last = lock(&self.shared.store)
            .last_check(&target.name)?
            .map(|c| c.started_at);
        if !missed_slot(&target.schedule, tz, last) {
            return Ok(());
        }
        let delay = catch_up_delay(&target.name, period(&target.schedule, tz));
        tracing::info!(target = %target.name, in_ms = u64::try_from(delay.as_millis()).unwrap_or(0), "catching up a missed check");
        let shared = self.shared.clone();
        let t = target.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            shared.check(&t).await;
        });
        Ok(())
    }

    fn status_line(&self) -> String {
        let now = Utc::now().with_timezone(&self.timezone());
        let next = self
            .jobs
            .keys()
            .filter_map(|schedule| next_after(&parse_cron(schedule).ok()?, &now))
            .min();
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
            next.map(|at| at
                .format(if at.second() == 0 {
                    "%H:%M %Z"
                } else {
                    "%H:%M:%S %Z"
                })
                .to_string())
                .unwrap_or_else(|| "-".into()),
        )
    }

    /// Remakes every cron job when the time zone's UTC offset changed (daylight saving time).
    async fn follow_utc_offset(&mut self) {
        let tz = self.timezone();
        if utc_offset(tz) == self.utc_offset {
            return;
        }
        tracing::info!(
            timezone = tz.name(),
            "UTC offset changed (daylight saving time): rescheduling"
        );
        let config = self.config.clone();
        if let Err(e) = self
            .apply(Prepared {
                config,
                generation: None,
                metrics: None,
            })
            .await
        {
            tracing::error!(error = %e, "cannot reschedule after a UTC offset change; restart the service");
        }
    }

    /// SIGHUP: validate the new config; keep the old one running if it is bad.
    async fn reload(&mut self, path: &Path, database: Option<&PathBuf>) {
        notify_reloading();
        match self.prepare(path, database).await {
            Ok(prepared) => {
                if let Err(e) = self.apply(prepared).await {
                    tracing::error!(error = %e, "reload failed part-way; restart the service");
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "reload refused: the new config is invalid; the old one keeps running")
            }
        }
        let _ = sd_notify::notify(&[NotifyState::Ready, NotifyState::Status(&self.status_line())]);
    }

    /// Loads the new config and builds whatever it needs that can fail.
    async fn prepare(
        &self,
        path: &Path,
        database: Option<&PathBuf>,
    ) -> Result<Prepared, DaemonError> {
        let mut config = Config::load(path)?;
        if let Some(db) = database {
            config.database = db.clone();
        }
        let old = &self.config;
        let global_changed = config.fetch != old.fetch
            || config.email != old.email
            || config.schedule != old.schedule
            || config.alerts != old.alerts
            || config.lexicon != old.lexicon
            || config.storage != old.storage;
        // A lexicon file is re-read on every reload: its content may have changed.
        let generation = if global_changed || config.lexicon.is_some() {
            Some(Arc::new(Generation::new(
                &config,
                self.shared.store.clone(),
            )?))
        } else {
            None
        };
        let old_addr = self.metrics_server.as_ref().map(|s| s.addr);
        let new_addr = config.metrics.map(|m| m.listen);
        let metrics = if new_addr == old_addr {
            None
        } else {
            Some(match new_addr {
                Some(addr) => Some(self.start_metrics(addr).await?),
                None => None,
            })
        };
        Ok(Prepared {
            config,
            generation,
            metrics,
        })
    }

    async fn apply(&mut self, prepared: Prepared) -> Result<(), DaemonError> {
        let Prepared {
            config: new,
            generation,
            metrics,
        } = prepared;
        if new.database != self.config.database {
            tracing::warn!("a changed database path takes effect at the next restart");
        }
        if let Some(server) = metrics {
            if server.is_none() {
                tracing::info!("metrics endpoint stopped");
            }
            self.metrics_server = server;
        }
        if let Some(g) = generation {
            *self
                .shared
                .generation
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = g;
        }
        let tz_changed = new.schedule.timezone != self.config.schedule.timezone
            || utc_offset(new.schedule.timezone) != self.utc_offset;
        let summaries_changed = tz_changed || new.alerts != self.config.alerts;
        self.config = new.clone();
        if tz_changed {
            self.utc_offset = utc_offset(new.schedule.timezone);
        }
        *self.shared.names.lock().unwrap_or_else(|p| p.into_inner()) =
            new.targets.iter().map(|t| t.name.clone()).collect();
        self.shared
            .metrics
            .set_targets(new.targets.iter().map(|t| t.name.as_str()));

        if summaries_changed {
            for id in std::mem::take(&mut self.summary_jobs) {
                self.sched.remove(&id).await.map_err(sched_err)?;
            }
            self.add_summary_jobs().await?;
        }
        // Targets as the current jobs know them, to tell which ones this reload changes.
        let old: HashMap<String, Arc<Target>> = self
            .jobs
            .values()
            .flat_map(|(_, planned)| planned.iter().map(|(t, _)| (t.name.clone(), t.clone())))
            .collect();
        let groups = by_schedule(&new.targets);
        let same = |planned: &Planned, targets: &[&Target]| {
            planned.len() == targets.len()
                && planned.iter().zip(targets).all(|((a, _), b)| **a == **b)
        };
        let stale: Vec<String> = self
            .jobs
            .iter()
            .filter(|(schedule, (_, planned))| {
                tz_changed
                    || !groups
                        .get(schedule.as_str())
                        .is_some_and(|targets| same(planned, targets))
            })
            .map(|(schedule, _)| schedule.clone())
            .collect();
        for schedule in &stale {
            if let Some((id, _)) = self.jobs.remove(schedule) {
                self.sched.remove(&id).await.map_err(sched_err)?;
            }
        }
        let mut remade: Vec<&str> = Vec::new();
        for (schedule, targets) in groups {
            if !self.jobs.contains_key(schedule) {
                self.add_group(schedule, targets).await?;
                remade.push(schedule);
            }
        }
        let kept: std::collections::HashSet<&str> =
            new.targets.iter().map(|t| t.name.as_str()).collect();
        let removed = old
            .keys()
            .filter(|name| !kept.contains(name.as_str()))
            .count();
        let mut scheduled = 0;
        for t in &new.targets {
            if tz_changed || old.get(&t.name).is_none_or(|o| **o != *t) {
                scheduled += 1;
            }
            // A remade job may have been away at its tick: every target of it whose slot passed
            // unchecked is caught up (the others are left alone).
            if remade.contains(&t.schedule.as_str())
                && let Err(e) = self.catch_up(t)
            {
                tracing::error!(target = %t.name, error = %e, "cannot decide whether to catch up");
            }
        }
        tracing::info!(
            targets = new.targets.len(),
            rescheduled = scheduled,
            removed,
            "config reloaded"
        );
        Ok(())
    }
}

/// Runs until SIGTERM or SIGINT.
pub async fn run(config: Config, database_override: Option<PathBuf>) -> Result<(), DaemonError> {
    // Signals first: a SIGHUP or SIGTERM during start-up must not kill the process outright.
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sighup = signal(SignalKind::hangup())?;

    let store = Arc::new(Mutex::new(Store::open(&config.database)?));
    let generation = Arc::new(Generation::new(&config, store.clone())?);
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
        store,
        generation: Mutex::new(generation),
        running: Mutex::new(HashMap::new()),
        in_flight: Arc::new(RwLock::new(())),
        stopping: AtomicBool::new(false),
        draining: tokio::sync::Mutex::new(()),
        metrics,
        names: Mutex::new(config.targets.iter().map(|t| t.name.clone()).collect()),
        active: AtomicUsize::new(0),
        dirty: AtomicBool::new(false),
    });
    let sched = JobScheduler::new().await.map_err(sched_err)?;
    let mut d = Daemon {
        shared: shared.clone(),
        sched,
        utc_offset: utc_offset(config.schedule.timezone),
        // The daemon keeps the only copy: with thousands of targets, copies cost.
        config,
        jobs: HashMap::new(),
        summary_jobs: Vec::new(),
        metrics_server: None,
    };
    if let Some(m) = d.config.metrics {
        d.metrics_server = Some(d.start_metrics(m.listen).await?);
    }
    // Taken out while the jobs are made from them (that needs the daemon mutably).
    let targets = std::mem::take(&mut d.config.targets);
    for (schedule, group) in by_schedule(&targets) {
        d.add_group(schedule, group).await?;
    }
    d.add_fixed_jobs().await?;
    d.add_summary_jobs().await?;
    d.sched.start().await.map_err(sched_err)?;
    for t in &targets {
        d.catch_up(t)?;
    }
    d.config.targets = targets;
    // Alerts left pending by a previous run go out now, not at the first timer tick; old check
    // records are pruned now too (the daily job's first run is a day away).
    {
        let shared = shared.clone();
        tokio::spawn(async move {
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
    loop {
        tokio::select! {
            _ = sigterm.recv() => break,
            _ = sigint.recv() => break,
            _ = sighup.recv() => {
                tracing::info!("SIGHUP: reloading the config");
                d.reload(&path, database_override.as_ref()).await;
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
    if let Err(e) = d.sched.shutdown().await {
        tracing::warn!(error = %e, "scheduler did not shut down cleanly");
    }
    let finished = tokio::select! {
        r = tokio::time::timeout(SHUTDOWN_GRACE, shared.in_flight.write()) => r.is_ok(),
        _ = sigterm.recv() => false,
        _ = sigint.recv() => false,
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
    drop(d);
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
    fn catch_up_is_soon() {
        for name in ["a", "cmhk-prepaid-en", "smartone-zh"] {
            let hourly = catch_up_delay(name, Some(Duration::from_secs(3600)));
            assert!(hourly < CATCH_UP_SPREAD, "{name}: {hourly:?}");
            assert!(catch_up_delay(name, None) < CATCH_UP_SPREAD);
            let fast = catch_up_delay(name, Some(Duration::from_secs(1)));
            assert!(fast < Duration::from_millis(100), "{name}: {fast:?}");
        }
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
        // The slot of the current second counts.
        let now = Utc::now().timestamp();
        assert!(missed_slot("* * * * * *", tz, Some(now - 1)));
        assert!(!missed_slot("* * * * * *", tz, Some(now + 5)));
    }
}
