//! What the daemon's jobs share: the current [`Generation`] of everything built from the config
//! (its check workers, the channels), and the [`Shared`] state that outlives reloads (store,
//! per-target locks, the in-flight guard shutdown waits on, metrics). A scheduled check goes
//! through [`Shared::check`], which hands it to a worker process; memory is given back after
//! bursts by [`trim_when_quiet`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::RwLock;

use crate::config::{Config, Digest, Target};
use crate::extract::lexicon::Lexicon;
use crate::metrics::{Metrics, known_label};
use crate::notify::report::Context;
use crate::notify::{Channels, drain, lock, now_unix};
use crate::store::Store;
use crate::worker::Header;

use super::worker::{LINGER, STALL_WAIT, Timing, WorkerCommand, Workers};
use super::{DaemonError, TRIM_INTERVAL};

/// What the checks of one configuration share; replaced as a whole by a reload.
pub(super) struct Generation {
    pub(super) workers: Workers,
    pub(super) channels: Arc<Channels>,
    /// Check records older than this are pruned.
    pub(super) keep_checks: Duration,
    /// For the Atom feed, rewritten after a check that changed something.
    pub(super) config: Arc<Config>,
    /// Domain for Message-IDs of digests and heartbeats.
    domain: String,
}

impl Generation {
    /// Everything `config` (read from the text `source`) needs; its first check worker must be
    /// ready, so a config or lexicon no checker can be built from is refused here.
    pub(super) async fn new(
        config: &Config,
        source: String,
        command: WorkerCommand,
        store: Arc<Mutex<Store>>,
    ) -> Result<Generation, DaemonError> {
        // Read now (a reload re-reads it); workers get this text.
        let lexicon = config
            .lexicon
            .as_deref()
            .map(Lexicon::read_source)
            .transpose()?;
        let header = Header {
            config_path: config.path.clone(),
            config: source,
            database: config.database.clone(),
            lexicon,
        };
        let timing = worker_timing(config);
        let workers = Workers::start(command, &header, timing)
            .await
            .map_err(DaemonError::Worker)?;
        if config.alerts.digest == Digest::Off {
            // Alerts held for a digest that will no longer come go out on their own.
            let released = lock(&store).release_digest_items()?;
            if released > 0 {
                tracing::info!(alerts = released, "digest is off: held alerts released");
            }
        }
        Ok(Generation {
            workers,
            channels: Arc::new(Channels::from_config(config, Box::new(std::io::stdout()))),
            keep_checks: config.storage.keep_checks,
            config: Arc::new(config.clone()),
            domain: config.message_domain(),
        })
    }

    pub(super) fn context(&self) -> Context<'_> {
        Context {
            domain: &self.domain,
            timezone: self.config.schedule.timezone.clone(),
        }
    }
}

/// How long a worker with checks in flight may report none before it is taken for stuck: the
/// slowest check the settings allow (a fetch and its confirming fetch, every attempt timing
/// out after its politeness waits, and the confirmation delay between them), plus
/// [`STALL_WAIT`] of slack.
fn stall_wait(config: &Config) -> Duration {
    use crate::fetch::{MAX_CRAWL_DELAY, MAX_RETRY_WAIT};
    let f = &config.fetch;
    let attempt = f.timeout + MAX_RETRY_WAIT + f.per_host_delay.max(MAX_CRAWL_DELAY);
    let fetch = attempt.saturating_mul(f.retries.saturating_add(1));
    fetch
        .saturating_mul(2)
        .saturating_add(config.alerts.confirm_delay)
        .saturating_add(STALL_WAIT)
}

/// State that outlives reloads. Jobs hold an `Arc<Shared>` and read the current generation when
/// they fire, so a reload that changes only global settings needs no rescheduling.
pub(super) struct Shared {
    /// Starts check workers; each generation's [`Workers`] gets a copy.
    pub(super) worker: WorkerCommand,
    pub(super) store: Arc<Mutex<Store>>,
    pub(super) generation: Mutex<Arc<Generation>>,
    /// One lock per target name: a check holds it, a tick that finds it held is skipped. A reload
    /// drops the entries of removed targets unless a check holds them, so a target re-added
    /// while its old check runs still waits for it.
    pub(super) running: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// How far each target's slots are covered by a check started or on its way.
    pub(super) slots: Mutex<Slots>,
    /// Every check holds a read guard; shutdown takes the write guard to wait for them.
    pub(super) in_flight: Arc<RwLock<()>>,
    pub(super) stopping: AtomicBool,
    /// Serialises outbox drains so one alert is never sent by two drains at once.
    pub(super) draining: tokio::sync::Mutex<()>,
    pub(super) metrics: Arc<Metrics>,
    /// Checks running now, and whether any finished since memory was last given back: the
    /// trimmer gives it back once a burst is over (see [`trim_when_quiet`]).
    pub(super) active: AtomicUsize,
    pub(super) dirty: AtomicBool,
}

/// For each target, the time up to which its slots are covered by a check started or waiting
/// to start (out its jitter or catch-up delay), so that no slot is checked twice: a job remade
/// within its targets' jitter (a SIGHUP, a change of UTC offset) leaves the old job's tasks
/// waiting, and a job remade in the repeated hour of an autumn change fires at once for a slot
/// its predecessor already took. Unix seconds.
#[derive(Debug, Default)]
pub(super) struct Slots(HashMap<String, i64>);

impl Slots {
    /// Takes `slot` for a check of `name` that starts no earlier than `now`: false when a check
    /// already covers it (one started or due at or after it).
    pub(super) fn take(&mut self, name: &str, slot: i64, now: i64) -> bool {
        let covered = self.0.entry(name.to_string()).or_insert(i64::MIN);
        // Covered past now: the wall clock went back (an NTP step), and nothing is known of the
        // slots since; kept, it would hold every check off until the clock caught up.
        if *covered > now {
            *covered = i64::MIN;
        }
        if *covered >= slot {
            return false;
        }
        *covered = Self::covering(slot, now);
        true
    }

    /// What taking `slot` at `now` covers: the check starts after both.
    fn covering(slot: i64, now: i64) -> i64 {
        slot.max(now)
    }

    /// A check of `name` recorded at `at`: every slot up to then is done (unless `at` is past
    /// `now`, recorded before the wall clock went back).
    pub(super) fn seen(&mut self, name: &str, at: i64, now: i64) {
        if at > now {
            return;
        }
        let covered = self.0.entry(name.to_string()).or_insert(at);
        *covered = (*covered).max(at);
    }

    /// Whether `name`, last checked at `last` (never: `None`), missed its last `slot` with no
    /// check on its way; if so, a catch-up that starts after `now` takes it. A target never
    /// checked is due even without a slot, as in [`crate::schedule::missed_slot`].
    pub(super) fn missed(
        &mut self,
        name: &str,
        slot: Option<i64>,
        last: Option<i64>,
        now: i64,
    ) -> bool {
        if let Some(at) = last {
            self.seen(name, at, now);
        }
        match slot {
            Some(slot) => self.take(name, slot, now),
            None => last.is_none(),
        }
    }

    /// Gives back `slot`, taken at `now`, whose check was skipped, unless a later slot was taken
    /// since: the slots before it stay covered.
    pub(super) fn give_back(&mut self, name: &str, slot: i64, now: i64) {
        if let Some(covered) = self.0.get_mut(name)
            && *covered == Self::covering(slot, now)
        {
            *covered = slot - 1;
        }
    }

    /// Forgets the targets `keep` says no to (removed by a reload).
    pub(super) fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.0.retain(|name, _| keep(name));
    }
}

impl Shared {
    pub(super) fn generation(&self) -> Arc<Generation> {
        self.generation
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(super) fn target_lock(&self, name: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.running.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(name.to_string()).or_default().clone()
    }

    pub(super) fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) async fn drain(&self) {
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

    /// Runs one check of `target` unless one is already running or we are stopping; false when
    /// it was skipped because the previous check of `target` still ran.
    pub(super) async fn check(&self, target: &Target) -> bool {
        if self.stopping.load(Ordering::SeqCst) {
            return true;
        }
        let Ok(_flight) = self.in_flight.clone().try_read_owned() else {
            return true; // shutdown is waiting for the checks in flight
        };
        let generation = self.generation();
        if generation.config.target(&target.name).is_none() {
            // Removed by a reload while its tick waited out its jitter (before taking its lock,
            // which would put the name back in the map the reload cleared).
            tracing::debug!(target = %target.name, "no longer configured; not checked");
            return true;
        }
        let lock = self.target_lock(&target.name);
        let Ok(running) = lock.try_lock() else {
            tracing::info!(target = %target.name, "previous check still running; this tick is skipped");
            return false;
        };
        let clock = Instant::now();
        self.active.fetch_add(1, Ordering::SeqCst);
        let status = match generation.workers.check(&target.name).await {
            // The worker logged the outcome (a failure at warn, a skip at info).
            Ok(report) => known_label(&report.status),
            Err(why) if self.stopping.load(Ordering::SeqCst) => {
                tracing::warn!(target = %target.name, error = %why, "check stopped by the shutdown; nothing of it is committed");
                "error"
            }
            Err(why) => {
                // No report, and the worker is gone: it recorded nothing (unless it died between
                // its commit and its report; the failure is one more row then). A worker records
                // the loss through the alert rules, so a failing streak counts it; only when no
                // worker can is it recorded here, leaving the target's state as it was.
                tracing::error!(target = %target.name, error = %why, "check failed");
                if let Err(e) = generation.workers.fail(&target.name, &why).await {
                    tracing::error!(target = %target.name, error = %e, "cannot record the lost check through a worker");
                    crate::check::record_failure(&self.store, target, &why, None);
                }
                "error"
            }
        };
        let took = clock.elapsed();
        let took_ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
        self.metrics.record(&target.name, status, took, now_unix());
        tracing::debug!(target = %target.name, took_ms, "scheduled check done");
        if status != "unchanged" && generation.config.feed.is_some() {
            let (config, store) = (generation.config.clone(), self.store.clone());
            let written = tokio::task::spawn_blocking(move || {
                crate::notify::feed::write(&config, &crate::store::lock(&store))
            })
            .await;
            if let Ok(Err(e)) = written {
                tracing::warn!(error = %e, "cannot write the feed");
            }
        }
        // Sending may take a while (SMTP timeouts): the target's next tick need not wait.
        drop(running);
        self.active.fetch_sub(1, Ordering::SeqCst);
        self.dirty.store(true, Ordering::SeqCst);
        self.drain().await;
        true
    }

    /// Checks `target` for the slot `taken` says (the slot, and when it was taken), and gives
    /// the slot back when the check was skipped because the previous one still ran: that one
    /// started before the slot, so a catch-up (after a reload) may still check for it.
    pub(super) async fn check_slot(&self, target: &Target, taken: Option<(i64, i64)>) {
        if !Box::pin(self.check(target)).await
            && let Some((slot, at)) = taken
        {
            self.slots().give_back(&target.name, slot, at);
        }
    }

    /// Returns the memory that pages and SQLite's cache used to the system, and with `code`
    /// the program's own pages ([`crate::trim::release_code_pages`]).
    pub(super) fn release_memory(&self, code: bool) {
        if let Err(e) = lock(&self.store).release_memory() {
            tracing::debug!(error = %e, "cannot shrink SQLite's cache");
        }
        crate::trim::release_free_memory();
        if code {
            let n = crate::trim::release_code_pages();
            if n > 0 {
                let resident_kib =
                    crate::trim::program_resident_kib(std::path::Path::new("/proc/self"));
                tracing::debug!(mappings = n, ?resident_kib, "gave back the program's pages");
            }
        }
    }

    /// Deletes old check records, on the blocking pool (a large delete takes a while).
    pub(super) async fn prune(self: Arc<Self>) {
        let me = self.clone();
        if let Err(e) = tokio::task::spawn_blocking(move || me.prune_now()).await {
            tracing::warn!(error = %e, "pruning old check records failed");
        }
    }

    pub(super) fn prune_now(&self) {
        crate::pass::prune(&self.store, self.generation().keep_checks, now_unix());
    }
}

/// The check workers' bounds for `config`: the ones [`Workers`] keeps to, and the one the
/// daemon waits out before giving back the program's pages.
fn worker_timing(config: &Config) -> Timing {
    Timing {
        linger: worker_linger(config),
        stall_wait: stall_wait(config),
        ..Timing::default()
    }
}

/// How long an idle check worker is kept for the next burst: long enough to keep a host's
/// spacing (`per_host_delay`, a robots.txt crawl delay) between the checks it makes.
fn worker_linger(config: &Config) -> Duration {
    LINGER
        .max(crate::fetch::MAX_CRAWL_DELAY)
        .max(config.fetch.per_host_delay)
}

/// The least time between two releases of the program's own pages: each costs the next burst
/// a read of the code it runs (from the file, when the kernel reclaimed it), so a daemon
/// checking every minute does it a few times an hour, not after every check.
pub(super) const CODE_RELEASE_INTERVAL: Duration = Duration::from_secs(15 * 60);

/// Every [`TRIM_INTERVAL`]: when checks finished since the last look and none is running now,
/// the burst is over and its memory goes back to the system. At most one trim per interval,
/// and always one after a burst (a trim on the last check's return could be skipped by a rate
/// limit and leave a whole pass's memory resident until the next one). One more follows once
/// the HTTP pool has closed the pass's idle connections and freed their buffers. The program's
/// own pages go back once the burst's check worker has been let go too (the kernel keeps the
/// pages another process maps), at most every [`CODE_RELEASE_INTERVAL`]: a release not yet due
/// is put off, not dropped.
pub(super) async fn trim_when_quiet(shared: Arc<Shared>) {
    let mut tick = tokio::time::interval(TRIM_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut follow_up: Option<Instant> = None;
    // When the program's pages may go back, once the last burst is over.
    let mut code_after: Option<Instant> = None;
    let mut code_released: Option<Instant> = None;
    loop {
        tick.tick().await;
        if shared.active.load(Ordering::SeqCst) != 0 {
            continue;
        }
        let now = Instant::now();
        let mut due = false;
        if shared.dirty.swap(false, Ordering::SeqCst) {
            follow_up = Some(now + crate::fetch::POOL_IDLE_TIMEOUT + TRIM_INTERVAL);
            // Both must be gone: the worker (let go by its own watch) and the HTTP pool's
            // connections (closed after their idle timeout).
            let worker_gone = worker_timing(&shared.generation().config).let_go_within();
            code_after =
                Some(now + worker_gone.max(crate::fetch::POOL_IDLE_TIMEOUT) + TRIM_INTERVAL);
            due = true;
        } else if follow_up.is_some_and(|at| now >= at) {
            follow_up = None;
            due = true;
        }
        let code = release_code_now(code_after, code_released, now);
        if code {
            code_after = None;
            code_released = Some(now);
        }
        if due || code {
            // It may wait for the store (a long prune) and walks the heap: not on a worker.
            let shared = shared.clone();
            let _ = tokio::task::spawn_blocking(move || shared.release_memory(code)).await;
        }
    }
}

/// Whether the program's own pages go back at `now`: a release is pending from `after` on (the
/// last burst's worker and HTTP connections gone), and the last one, at `last`, was at least
/// [`CODE_RELEASE_INTERVAL`] ago.
pub(super) fn release_code_now(
    after: Option<Instant>,
    last: Option<Instant>,
    now: Instant,
) -> bool {
    after.is_some_and(|at| now >= at)
        && last.is_none_or(|at| now.saturating_duration_since(at) >= CODE_RELEASE_INTERVAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> Config {
        let src = format!(
            "{extra}\n[[target]]\nname = \"a\"\ncarrier = \"C\"\nurl = \"https://example.org/\"\n"
        );
        Config::parse(std::path::Path::new("/etc/pw/policywatch.toml"), &src).unwrap()
    }

    #[test]
    fn the_programs_pages_go_back_when_quiet_at_most_every_interval_and_late_not_never() {
        let t0 = Instant::now();
        let s = |n: u64| t0 + Duration::from_secs(n);
        // Nothing pending: nothing to give back.
        assert!(!release_code_now(None, None, s(100)));
        // Pending, but the burst's worker may still be there.
        assert!(!release_code_now(Some(s(40)), None, s(39)));
        assert!(release_code_now(Some(s(40)), None, s(40)));
        // Given back 5 minutes ago: put off until the interval has passed, then done.
        let last = Some(s(40));
        let pending = Some(s(340));
        assert!(!release_code_now(pending, last, s(340)));
        assert!(!release_code_now(
            pending,
            last,
            s(40) + CODE_RELEASE_INTERVAL - Duration::from_secs(1)
        ));
        assert!(release_code_now(
            pending,
            last,
            s(40) + CODE_RELEASE_INTERVAL
        ));
    }

    #[test]
    fn a_slot_is_taken_once() {
        let mut slots = Slots::default();
        assert!(slots.take("a", 100, 100));
        assert!(!slots.take("a", 100, 101), "the same slot again");
        assert!(
            !slots.take("a", 40, 101),
            "an earlier slot (a job remade in a repeated hour)"
        );
        assert!(slots.take("b", 100, 100), "targets are apart");
        assert!(slots.take("a", 160, 160));
        // A check recorded after a slot covers it; a later slot is still due.
        slots.seen("c", 205, 209);
        assert!(!slots.take("c", 200, 210));
        assert!(slots.take("c", 260, 260));
        slots.seen("c", 10, 261);
        assert!(
            !slots.take("c", 250, 270),
            "an old record moves nothing back"
        );
        // A check taken late (a catch-up) covers every slot up to when it was taken.
        assert!(slots.take("d", 100, 500));
        assert!(!slots.take("d", 400, 510));
        assert!(slots.take("d", 600, 600));
        slots.retain(|name| name != "a");
        assert!(slots.take("a", 40, 40), "forgotten with its target");
    }

    #[test]
    fn a_skipped_check_gives_its_slot_back() {
        let mut slots = Slots::default();
        assert!(slots.take("a", 100, 100));
        // Its check was skipped (the previous one still ran): a catch-up may take it again.
        slots.give_back("a", 100, 100);
        assert!(
            !slots.missed("a", Some(100), Some(160), 170),
            "checked since"
        );
        assert!(slots.take("a", 200, 203));
        slots.give_back("a", 200, 203);
        assert!(slots.missed("a", Some(200), Some(160), 210));
        // Not once a later slot was taken: that one's check is on its way.
        assert!(slots.take("b", 100, 100));
        assert!(slots.take("b", 160, 160));
        slots.give_back("b", 100, 100);
        assert!(!slots.take("b", 160, 161));
    }

    #[test]
    fn a_clock_gone_back_holds_no_check_off() {
        let mut slots = Slots::default();
        // Taken at 10_000; the clock then steps back an hour.
        assert!(slots.take("a", 10_000, 10_000));
        assert!(
            slots.take("a", 6_400, 6_400),
            "the next slot after the step"
        );
        assert!(!slots.take("a", 6_400, 6_401), "and still once");
        // A check recorded before the step (a restart with the clock back a day): no slot
        // counts as done by it, so the catch-up checks.
        assert!(slots.missed("b", Some(1_000), Some(90_000), 1_010));
        assert!(!slots.missed("b", Some(1_000), Some(90_000), 1_011));
    }

    #[test]
    fn a_catch_up_needs_a_slot_missed_and_no_check_on_its_way() {
        let mut slots = Slots::default();
        // Checked at 90, slot at 100 passed unchecked: due, once.
        assert!(slots.missed("a", Some(100), Some(90), 130));
        assert!(
            !slots.missed("a", Some(100), Some(90), 131),
            "taken by the first"
        );
        // Its schedule changed before that catch-up checked: the new schedule's slot is
        // covered by the check on its way.
        assert!(!slots.missed("a", Some(120), Some(90), 132));
        // The slot's job fired (its task still waits out its jitter): a remade job's catch-up
        // finds the slot taken.
        assert!(slots.take("b", 100, 100));
        assert!(!slots.missed("b", Some(100), Some(40), 103));
        // Checked after the slot.
        assert!(!slots.missed("c", Some(100), Some(101), 130));
        // Never checked: due even without a slot; checked, and no slot: not due.
        assert!(slots.missed("d", None, None, 130));
        assert!(!slots.missed("e", None, Some(5), 130));
        assert!(slots.missed("f", Some(100), None, 130));
    }

    #[test]
    fn the_stall_bound_covers_the_slowest_check_the_settings_allow() {
        let defaults = stall_wait(&config(""));
        assert!(defaults > STALL_WAIT, "{defaults:?}");
        // An hour's confirmation delay and ten slow retries: a worker doing that is not stuck.
        let slow = stall_wait(&config(
            "[fetch]\ntimeout = \"2m\"\nretries = 10\n[alerts]\nconfirm_delay = \"1h\"",
        ));
        let slowest_check = Duration::from_secs(3600) + 2 * 11 * Duration::from_secs(120);
        assert!(slow > slowest_check + STALL_WAIT, "{slow:?}");
        assert!(slow > defaults);
    }
}
