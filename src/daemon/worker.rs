//! The daemon's side of its check workers ([`crate::worker`] has the protocol and the reasons).
//! A [`Workers`] belongs to one config generation and keeps at most one worker alive: it starts
//! one when a check falls due and none is running, hands it every check of the burst, and lets
//! it go once it has been idle for [`LINGER`] (nothing in flight, nothing handed or finished):
//! its input closes, it finishes and exits, and the burst's memory goes with it.
//!
//! Every wait is bounded: the worker's greeting ([`HELLO_WAIT`]), handing it an order
//! ([`SEND_WAIT`]), progress (a worker with checks in flight that reports none for the stall
//! bound, at least [`STALL_WAIT`] and more for slow settings, is stopped) and its exit. A worker
//! that cannot start is not retried for [`SPAWN_BACKOFF`], so a burst fails fast instead of
//! waiting out one greeting per check, and stopping never queues behind a start.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;

use crate::fetch::browser::process::for_chromium;
use crate::text::cut;
use crate::worker::{Header, Hello, MAX_CAUSE, MAX_REPORT_LINE, Order, Report, read_line};

/// How long a worker is kept after it last was handed or finished a check, for the rest of a
/// burst (the targets of one schedule start over their jitter, seconds apart). Never less than
/// the longest crawl-delay obeyed, nor than `per_host_delay` (see `Generation`): the next worker
/// knows nothing of this one's last request to a host.
pub const LINGER: Duration = Duration::from_secs(10);
/// How long a new worker may take to load the config and build its checker.
pub const HELLO_WAIT: Duration = Duration::from_secs(60);
/// How long handing an order to a worker may block (its input pipe full: a stuck worker).
pub const SEND_WAIT: Duration = Duration::from_secs(30);
/// The least time a worker with checks in flight may go without reporting one before it is
/// taken for stuck and stopped; `Generation` raises it to cover the slowest check the config
/// allows (every retry timing out, twice, and the confirmation delay).
pub const STALL_WAIT: Duration = Duration::from_secs(15 * 60);
/// After a worker failed to start, how long checks fail at once with the same cause.
pub const SPAWN_BACKOFF: Duration = Duration::from_secs(10);
/// How long a worker whose output ended may take to exit before it is killed; also how long a
/// stop waits for a retired worker to exit.
const EXIT_WAIT: Duration = Duration::from_secs(5);

/// The bounds above, as one value (tests shorten them).
#[derive(Debug, Clone, Copy)]
pub(super) struct Timing {
    pub(super) linger: Duration,
    pub(super) hello_wait: Duration,
    pub(super) send_wait: Duration,
    pub(super) stall_wait: Duration,
}

impl Timing {
    /// How often a worker is looked at: a quarter of the shorter bound, so that neither is
    /// overshot by more than a quarter.
    pub(super) fn watch_tick(&self) -> Duration {
        self.linger.min(self.stall_wait) / 4
    }

    /// The latest an idle worker is let go after its last use: its linger, then the next look.
    pub(super) fn let_go_within(&self) -> Duration {
        self.linger + self.watch_tick()
    }
}

impl Default for Timing {
    fn default() -> Timing {
        Timing {
            linger: LINGER,
            hello_wait: HELLO_WAIT,
            send_wait: SEND_WAIT,
            stall_wait: STALL_WAIT,
        }
    }
}

/// The program and arguments that start a worker (`policywatch … worker`).
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<OsString>,
}

impl WorkerCommand {
    /// The running binary itself with `args`: `/proc/self/exe` is the file this process was
    /// started from even after an upgrade replaced it, so daemon and worker always match.
    pub fn this_binary(args: Vec<OsString>) -> WorkerCommand {
        WorkerCommand {
            program: PathBuf::from("/proc/self/exe"),
            args,
        }
    }
}

/// An order's answer: its report, or why none came.
type Answer = Result<Report, String>;

const GONE: &str = "the check worker ended before it finished this check";

/// The orders a worker has in flight, when it was last handed or finished one, and when it last
/// reported one.
struct Waiting {
    orders: HashMap<String, oneshot::Sender<Answer>>,
    last_used: Instant,
    last_report: Instant,
}

/// `None` once the worker is gone.
type Pending = Arc<Mutex<Option<Waiting>>>;

fn held<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The live worker.
struct Live {
    id: u64,
    stdin: ChildStdin,
    pending: Pending,
    kill: Arc<Notify>,
}

struct Inner {
    command: WorkerCommand,
    /// The header line every worker of this generation is started with.
    header: Vec<u8>,
    timing: Timing,
    live: tokio::sync::Mutex<Option<Live>>,
    /// The live worker's kill switch, reachable without `live` (a start holds that for up to
    /// the greeting's wait).
    kill_switch: Mutex<Option<Arc<Notify>>>,
    /// Set by [`Workers::stop`]: no worker is started any more.
    closed: AtomicBool,
    /// The last failure to start a worker, and when.
    spawn_failed: Mutex<Option<(Instant, String)>>,
    /// The tasks that reap this generation's workers (a stop waits for them).
    reapers: Mutex<Vec<JoinHandle<()>>>,
    started: AtomicU64,
}

/// The check workers of one config generation.
pub(super) struct Workers {
    inner: Arc<Inner>,
}

impl Workers {
    /// Starts a first worker with `header` and waits for it to be ready: a config or lexicon it
    /// cannot build a checker from is refused here, before anything is swapped. The worker then
    /// serves the first checks, or exits once idle.
    pub(super) async fn start(
        command: WorkerCommand,
        header: &Header,
        timing: Timing,
    ) -> Result<Workers, String> {
        let mut line = serde_json::to_vec(header).map_err(|e| e.to_string())?;
        line.push(b'\n');
        let inner = Arc::new(Inner {
            command,
            header: line,
            timing,
            live: tokio::sync::Mutex::new(None),
            kill_switch: Mutex::new(None),
            closed: AtomicBool::new(false),
            spawn_failed: Mutex::new(None),
            reapers: Mutex::new(Vec::new()),
            started: AtomicU64::new(0),
        });
        let first = spawn(&inner).await?;
        *inner.live.lock().await = Some(first);
        Ok(Workers { inner })
    }

    /// Has a worker check `name`; `Err` says why no report came (then nothing was recorded).
    pub(super) async fn check(&self, name: &str) -> Answer {
        self.order(name, &Order::Check(name.to_string())).await
    }

    /// Has a worker record a check of `name` that was lost (`cause`: its worker ended or was
    /// stopped), through the alert rules like any failed check.
    pub(super) async fn fail(&self, name: &str, cause: &str) -> Answer {
        let order = Order::Failed {
            failed: name.to_string(),
            cause: cut(cause.to_string(), MAX_CAUSE),
        };
        self.order(name, &order).await
    }

    async fn order(&self, name: &str, order: &Order) -> Answer {
        let (answer, kill, failed) = {
            let mut live = self.inner.live.lock().await;
            if self.inner.closed.load(Ordering::SeqCst) {
                return Err("the daemon is stopping".into());
            }
            if !live.as_ref().is_some_and(|l| held(&l.pending).is_some()) {
                *live = Some(start_or_back_off(&self.inner).await?);
            }
            let Some(l) = live.as_mut() else {
                return Err("no check worker".into());
            };
            let (tx, rx) = oneshot::channel();
            match held(&l.pending).as_mut() {
                Some(w) => {
                    w.orders.insert(name.to_string(), tx);
                    w.last_used = Instant::now();
                }
                None => return Err(GONE.into()),
            };
            let mut line = serde_json::to_vec(order).map_err(|e| e.to_string())?;
            line.push(b'\n');
            let sent = tokio::time::timeout(self.inner.timing.send_wait, async {
                l.stdin.write_all(&line).await?;
                l.stdin.flush().await
            })
            .await;
            let failed = match sent {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(format!("cannot hand the check to its worker: {e}")),
                Err(_) => Some(format!(
                    "the check worker took no input for {} s; it was stopped",
                    self.inner.timing.send_wait.as_secs()
                )),
            };
            let kill = l.kill.clone();
            if failed.is_some() {
                *live = None;
            }
            (rx, kill, failed)
        };
        let Some(why) = failed else {
            // No time limit here: the worker's progress is watched as a whole (see `watch`).
            return answer.await.unwrap_or_else(|_| Err(GONE.into()));
        };
        // Stopped, and answered only once it is gone (its reaper waits for its exit), so that
        // nothing it might still commit races with the failure the caller has recorded.
        kill.notify_one();
        match answer.await {
            Ok(Ok(report)) => Ok(report),
            Ok(Err(_)) | Err(_) => Err(why),
        }
    }

    /// Lets the live worker go: it finishes the checks it has and exits.
    pub(super) async fn retire(&self) {
        self.inner.live.lock().await.take();
    }

    /// For the daemon's stop: no worker is started any more; the live one finishes its checks
    /// and exits (or, unless `finished`, is killed at once), and its exit is waited for (at most
    /// [`EXIT_WAIT`] more), so that it keeps what it read and stops its Chromium itself.
    pub(super) async fn stop(&self, finished: bool) {
        self.inner.closed.store(true, Ordering::SeqCst);
        if !finished && let Some(kill) = held(&self.inner.kill_switch).as_ref() {
            kill.notify_one();
        }
        self.retire().await;
        let reapers = std::mem::take(&mut *held(&self.inner.reapers));
        let all = futures_util::future::join_all(reapers);
        if tokio::time::timeout(EXIT_WAIT, all).await.is_err() {
            tracing::warn!("a check worker did not exit in time; it is killed");
        }
    }
}

/// Starts a worker, unless one failed to start less than [`SPAWN_BACKOFF`] ago (then its
/// failure is the answer at once).
async fn start_or_back_off(inner: &Arc<Inner>) -> Result<Live, String> {
    if let Some((at, why)) = held(&inner.spawn_failed).as_ref()
        && at.elapsed() < SPAWN_BACKOFF
    {
        return Err(why.clone());
    }
    let started = spawn(inner).await;
    *held(&inner.spawn_failed) = started.as_ref().err().map(|e| (Instant::now(), e.clone()));
    started
}

/// Starts a worker, sends it the header and waits for its greeting.
async fn spawn(inner: &Arc<Inner>) -> Result<Live, String> {
    let program = &inner.command.program;
    let mut command = Command::new(program);
    command.args(&inner.command.args);
    // Only what a check needs: the worker never sends mail, so no credential reaches it (nor
    // the Chromium it starts), and only the daemon speaks to systemd (NotifyAccess=main).
    command.env_clear();
    for (key, value) in std::env::vars_os() {
        if passed_on(&key.to_string_lossy()) {
            command.env(key, value);
        }
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start a check worker ({}): {e}", program.display()))?;
    let id = inner.started.fetch_add(1, Ordering::SeqCst) + 1;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err("a check worker without pipes".into());
    };
    let mut stdout = BufReader::new(stdout);
    let greeted = tokio::time::timeout(inner.timing.hello_wait, async {
        stdin.write_all(&inner.header).await?;
        stdin.flush().await?;
        let mut buf = Vec::new();
        let line = read_line(&mut stdout, MAX_REPORT_LINE, &mut buf)
            .await
            .map_err(std::io::Error::other)?;
        Ok::<_, std::io::Error>(line.then_some(buf))
    })
    .await;
    let refused = match greeted {
        Ok(Ok(Some(line))) => match serde_json::from_slice::<Hello>(&line) {
            Ok(Hello::Ready) => None,
            Ok(Hello::Refused(why)) => Some(why),
            Err(e) => Some(format!("the check worker's greeting is not valid: {e}")),
        },
        Ok(Ok(None)) => Some(format!(
            "the check worker exited before it was ready ({})",
            exit_of(&mut child).await
        )),
        Ok(Err(e)) => Some(format!("cannot talk to the check worker: {e}")),
        Err(_) => Some(format!(
            "the check worker was not ready within {} s",
            inner.timing.hello_wait.as_secs()
        )),
    };
    if let Some(why) = refused {
        let _ = child.start_kill();
        return Err(why);
    }
    let now = Instant::now();
    let pending: Pending = Arc::new(Mutex::new(Some(Waiting {
        orders: HashMap::new(),
        last_used: now,
        last_report: now,
    })));
    let kill = Arc::new(Notify::new());
    *held(&inner.kill_switch) = Some(kill.clone());
    tracing::debug!(worker = id, pid = child.id(), "check worker started");
    let reaper = tokio::spawn(read_reports(child, stdout, pending.clone(), kill.clone()));
    {
        let mut reapers = held(&inner.reapers);
        reapers.retain(|r| !r.is_finished());
        reapers.push(reaper);
    }
    tokio::spawn(watch(Arc::downgrade(inner), id));
    Ok(Live {
        id,
        stdin,
        pending,
        kill,
    })
}

/// The environment variables a worker gets, by name: what the Chromium it starts gets
/// ([`for_chromium`]: programs, the locale, fonts, the time zone, temporary files), and what
/// fetching and policywatch's own settings need (a home, TLS roots, proxies, logging, Chromium's
/// settings). A secret may be in any other variable, `POLICYWATCH_SMTP_PASSWORD` (the README's
/// example) included, and the worker never sends an alert.
fn passed_on(key: &str) -> bool {
    const KEEP: &[&str] = &[
        "HOME",
        "USER",
        "LOGNAME",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "RUST_BACKTRACE",
        "POLICYWATCH_LOG",
        "POLICYWATCH_CHROMIUM",
        "POLICYWATCH_CHROMIUM_NO_SANDBOX",
        "POLICYWATCH_BROWSER_IDLE",
    ];
    for_chromium(key) || KEEP.contains(&key)
}

/// How `child` ended, waiting at most [`EXIT_WAIT`] (then it is killed).
async fn exit_of(child: &mut Child) -> String {
    match tokio::time::timeout(EXIT_WAIT, child.wait()).await {
        Ok(Ok(status)) => status.to_string(),
        Ok(Err(e)) => format!("status unknown: {e}"),
        Err(_) => {
            let _ = child.start_kill();
            "still running after its output ended; killed".into()
        }
    }
}

/// Hands each report to the order waiting for it; when the worker's output ends (or it is
/// stopped), reaps it and answers every order still waiting with how it ended.
async fn read_reports(
    mut child: Child,
    mut stdout: BufReader<ChildStdout>,
    pending: Pending,
    kill: Arc<Notify>,
) {
    let mut buf = Vec::new();
    let stopped = loop {
        tokio::select! {
            line = read_line(&mut stdout, MAX_REPORT_LINE, &mut buf) => match line {
                Ok(true) => match serde_json::from_slice::<Report>(&buf) {
                    Ok(report) => {
                        let waiting = held(&pending).as_mut().and_then(|w| {
                            w.last_used = Instant::now();
                            w.last_report = w.last_used;
                            w.orders.remove(&report.target)
                        });
                        if let Some(tx) = waiting {
                            let _ = tx.send(Ok(report));
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "a check worker's report is not valid; ignored"),
                },
                Ok(false) => break false,
                Err(e) => {
                    tracing::error!(error = %e, "a check worker's output is not readable; stopping it");
                    break true;
                }
            },
            () = kill.notified() => break true,
        }
    };
    if stopped {
        let _ = child.start_kill();
    }
    let exit = exit_of(&mut child).await;
    let orphans = held(&pending).take().map(|w| w.orders).unwrap_or_default();
    if orphans.is_empty() {
        tracing::debug!(exit = %exit, "check worker exited");
    }
    for (_, tx) in orphans {
        let _ = tx.send(Err(format!(
            "the check worker ended ({exit}) before it finished this check"
        )));
    }
}

/// What [`watch`] does with a worker at a tick.
enum Watch {
    Keep,
    /// Gone, or idle for the linger time.
    LetGo,
    /// Orders in flight (this many) and no report for the stall bound.
    Stalled(usize),
}

/// Watches worker `id`: lets it go once idle for the linger time, and stops it when it has
/// orders in flight but has reported none for the stall bound.
async fn watch(inner: Weak<Inner>, id: u64) {
    loop {
        let tick = {
            let Some(inner) = inner.upgrade() else { return };
            inner.timing.watch_tick()
        };
        tokio::time::sleep(tick).await;
        let Some(inner) = inner.upgrade() else { return };
        let mut live = inner.live.lock().await;
        let Some(l) = live.as_ref().filter(|l| l.id == id) else {
            return;
        };
        let verdict = match held(&l.pending).as_ref() {
            None => Watch::LetGo,
            Some(w) if w.orders.is_empty() && w.last_used.elapsed() >= inner.timing.linger => {
                Watch::LetGo
            }
            Some(w)
                if !w.orders.is_empty() && w.last_report.elapsed() >= inner.timing.stall_wait =>
            {
                Watch::Stalled(w.orders.len())
            }
            Some(_) => Watch::Keep,
        };
        match verdict {
            Watch::Keep => continue,
            // Gone, or idle: its input closes and it finishes and exits.
            Watch::LetGo => {}
            Watch::Stalled(in_flight) => {
                tracing::error!(
                    in_flight,
                    stalled_s = inner.timing.stall_wait.as_secs(),
                    "a check worker reported nothing for too long; it is stopped"
                );
                l.kill.notify_one();
            }
        }
        *live = None;
        return;
    }
}

#[cfg(test)]
mod tests {
    //! The daemon's side against real processes: small shell scripts that speak the protocol,
    //! or break it in one way each.

    use super::*;

    #[test]
    fn an_idle_worker_is_let_go_within_its_linger_and_one_look() {
        let timing = |linger, stall_wait| Timing {
            linger: Duration::from_secs(linger),
            stall_wait: Duration::from_secs(stall_wait),
            ..Timing::default()
        };
        let t = timing(10, 900);
        assert_eq!(t.watch_tick(), Duration::from_millis(2500));
        assert_eq!(t.let_go_within(), Duration::from_millis(12_500));
        // A stall bound shorter than the linger sets the pace of the looks.
        let t = timing(60, 20);
        assert_eq!(t.watch_tick(), Duration::from_secs(5));
        assert_eq!(t.let_go_within(), Duration::from_secs(65));
    }

    const READY: &str = r#"read -r h; echo '"ready"'; echo x >> "$1/started"; "#;
    const ANSWER: &str =
        r#"echo "{\"target\":$n,\"status\":\"unchanged\",\"line\":\"UNCHANGED\"}""#;

    fn quick() -> Timing {
        Timing {
            linger: Duration::from_millis(300),
            hello_wait: Duration::from_secs(5),
            send_wait: Duration::from_secs(5),
            stall_wait: Duration::from_secs(5),
        }
    }

    fn header() -> Header {
        Header {
            config_path: "/etc/pw/policywatch.toml".into(),
            config: String::new(),
            database: "/var/lib/pw/db".into(),
            lexicon: None,
        }
    }

    async fn workers(
        script: &str,
        dir: &tempfile::TempDir,
        timing: Timing,
    ) -> Result<Workers, String> {
        let command = WorkerCommand {
            program: "/bin/sh".into(),
            args: vec!["-c".into(), script.into(), "sh".into(), dir.path().into()],
        };
        Workers::start(command, &header(), timing).await
    }

    fn started(dir: &tempfile::TempDir) -> usize {
        std::fs::read_to_string(dir.path().join("started"))
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }

    async fn eventually(mut cond: impl FnMut() -> bool) -> bool {
        for _ in 0..200 {
            if cond() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        false
    }

    #[tokio::test]
    async fn answers_go_to_their_checks_and_an_idle_worker_is_let_go() {
        let dir = tempfile::tempdir().unwrap();
        // Reads two names, answers the second first; then one by one until its input ends.
        let script = format!(
            r#"{READY} read -r a; read -r b; n=$b; {ANSWER}; n=$a; {ANSWER}; while read -r n; do {ANSWER}; done; touch "$1/ended""#
        );
        let w = workers(&script, &dir, quick()).await.unwrap();
        let (a, b) = tokio::join!(w.check("a"), w.check("b"));
        assert_eq!(a.unwrap().target, "a");
        assert_eq!(b.unwrap().target, "b");
        assert_eq!(w.check("c").await.unwrap().target, "c");
        assert_eq!(started(&dir), 1, "one worker for the burst");
        assert!(
            eventually(|| dir.path().join("ended").exists()).await,
            "the idle worker's input was never closed"
        );
        // The next burst gets a new worker.
        std::fs::remove_file(dir.path().join("ended")).unwrap();
        let (d, e) = tokio::join!(w.check("d"), w.check("e"));
        assert_eq!(
            (d.unwrap().target, e.unwrap().target),
            ("d".into(), "e".into())
        );
        assert_eq!(started(&dir), 2);
        w.retire().await;
        assert!(eventually(|| dir.path().join("ended").exists()).await);
    }

    #[tokio::test]
    async fn a_worker_that_cannot_start_is_refused_with_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        let refused = r#"read -r h; echo '{"refused":"lexicon /etc/pw/l.toml: concept `online` is missing"}'"#;
        let e = workers(refused, &dir, quick()).await.err().unwrap();
        assert_eq!(e, "lexicon /etc/pw/l.toml: concept `online` is missing");
        let e = workers("read -r h; exit 3", &dir, quick())
            .await
            .err()
            .unwrap();
        assert!(
            e.contains("exited before it was ready") && e.contains("exit status: 3"),
            "{e}"
        );
        let timing = Timing {
            hello_wait: Duration::from_millis(200),
            ..quick()
        };
        let e = workers("read -r h; exec sleep 30", &dir, timing)
            .await
            .err()
            .unwrap();
        assert!(e.contains("not ready within"), "{e}");
        let e = workers(r#"read -r h; echo '{"ready":1}'"#, &dir, quick())
            .await
            .err()
            .unwrap();
        assert!(e.contains("greeting is not valid"), "{e}");
        let missing = WorkerCommand {
            program: dir.path().join("nothing-here"),
            args: vec![],
        };
        let e = Workers::start(missing, &header(), quick())
            .await
            .err()
            .unwrap();
        assert!(e.starts_with("cannot start a check worker"), "{e}");
    }

    #[tokio::test]
    async fn a_worker_that_dies_mid_check_answers_with_how_it_ended() {
        let dir = tempfile::tempdir().unwrap();
        let w = workers(&format!("{READY} read -r n; exit 7"), &dir, quick())
            .await
            .unwrap();
        let e = w.check("a").await.unwrap_err();
        assert!(
            e.contains("ended (exit status: 7) before it finished"),
            "{e}"
        );
        // The next check starts a new worker instead of writing to the dead one.
        let e = w.check("b").await.unwrap_err();
        assert!(e.contains("exit status: 7"), "{e}");
        assert_eq!(started(&dir), 2);
    }

    #[tokio::test]
    async fn a_worker_that_reports_nothing_for_too_long_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let script = format!(r#"{READY} read -r n; echo $$ > "$1/pid"; exec sleep 30"#);
        let timing = Timing {
            stall_wait: Duration::from_millis(400),
            ..quick()
        };
        let w = workers(&script, &dir, timing).await.unwrap();
        let e = w.check("a").await.unwrap_err();
        assert!(e.contains("ended (signal: 9 (SIGKILL))"), "{e}");
        let pid = std::fs::read_to_string(dir.path().join("pid")).unwrap();
        // Answered only once the worker is gone (killed and reaped).
        assert!(!PathBuf::from(format!("/proc/{}", pid.trim())).exists());
    }

    #[tokio::test]
    async fn a_slow_check_does_not_stop_a_worker_that_reports_others() {
        let dir = tempfile::tempdir().unwrap();
        // `b` is answered after 0.7 s; `a` never. With a stall bound of 1 s, `b` is a report
        // in time, and the worker is stopped only once `a` alone has stalled it.
        let script =
            format!(r#"{READY} read -r a; read -r b; sleep 0.7; n=$b; {ANSWER}; exec sleep 30"#);
        let timing = Timing {
            stall_wait: Duration::from_millis(1000),
            ..quick()
        };
        let w = workers(&script, &dir, timing).await.unwrap();
        let b = async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            w.check("b").await
        };
        let clock = Instant::now();
        let (a, b) = tokio::join!(w.check("a"), b);
        assert_eq!(b.map(|r| r.target), Ok("b".to_string()));
        assert!(a.unwrap_err().contains("SIGKILL"));
        // Stopped a stall bound after the last report (0.7 s), not after `a` was handed over.
        assert!(
            clock.elapsed() >= Duration::from_millis(1600),
            "{:?}",
            clock.elapsed()
        );
    }

    #[tokio::test]
    async fn a_worker_that_cannot_start_fails_the_next_checks_at_once_and_stop_does_not_wait() {
        let dir = tempfile::tempdir().unwrap();
        // The first worker greets and exits; every later one never greets.
        let script = format!(
            r#"if [ -e "$1/first" ]; then exec sleep 30; fi; touch "$1/first"; {READY} exit 0"#
        );
        let timing = Timing {
            hello_wait: Duration::from_millis(300),
            ..quick()
        };
        let w = Arc::new(workers(&script, &dir, timing).await.unwrap());
        tokio::time::sleep(Duration::from_millis(200)).await;
        let clock = Instant::now();
        let mut checks = Vec::new();
        for i in 0..10 {
            let w = w.clone();
            checks.push(tokio::spawn(async move { w.check(&format!("t{i}")).await }));
        }
        for c in checks {
            let e = c.await.unwrap().unwrap_err();
            assert!(e.contains("not ready within"), "{e}");
        }
        // One greeting waited for, not ten.
        assert!(
            clock.elapsed() < Duration::from_secs(2),
            "{:?}",
            clock.elapsed()
        );
        let clock = Instant::now();
        w.stop(false).await;
        assert!(
            clock.elapsed() < Duration::from_secs(1),
            "{:?}",
            clock.elapsed()
        );
        assert_eq!(w.check("late").await.unwrap_err(), "the daemon is stopping");
    }

    #[test]
    fn a_worker_gets_no_credentials_nor_the_notify_socket() {
        for key in [
            "PATH",
            "HOME",
            "LANG",
            "LC_ALL",
            "TZ",
            "SSL_CERT_FILE",
            "HTTPS_PROXY",
        ] {
            assert!(passed_on(key), "{key}");
        }
        for key in [
            "POLICYWATCH_LOG",
            "POLICYWATCH_CHROMIUM",
            "POLICYWATCH_CHROMIUM_NO_SANDBOX",
            "POLICYWATCH_BROWSER_IDLE",
        ] {
            assert!(passed_on(key), "{key}");
        }
        for key in [
            "CREDENTIALS_DIRECTORY",
            "SMTP_PASSWORD",
            "NOTIFY_SOCKET",
            "WATCHDOG_USEC",
            "WATCHDOG_PID",
            "POLICYWATCH_CONFIG",
            "POLICYWATCH_SMTP_PASSWORD",
            "POLICYWATCH_WEBHOOK_SECRET",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert!(!passed_on(key), "{key}");
        }
    }

    #[tokio::test]
    async fn a_worker_that_takes_no_input_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let script = format!(r#"{READY} echo $$ > "$1/pid"; exec sleep 30"#);
        let timing = Timing {
            send_wait: Duration::from_millis(300),
            ..quick()
        };
        let w = workers(&script, &dir, timing).await.unwrap();
        // More than a pipe holds, never read.
        let e = w.check(&"n".repeat(1 << 20)).await.unwrap_err();
        assert!(e.contains("took no input"), "{e}");
        let pid = std::fs::read_to_string(dir.path().join("pid")).unwrap();
        // Answered only once the worker is gone.
        assert!(!PathBuf::from(format!("/proc/{}", pid.trim())).exists());
    }

    #[tokio::test]
    async fn a_report_over_its_bound_stops_the_worker() {
        let dir = tempfile::tempdir().unwrap();
        let script = format!(
            r#"{READY} read -r n; head -c {} /dev/zero | tr '\0' a; echo; exec sleep 30"#,
            MAX_REPORT_LINE + 1
        );
        let w = workers(&script, &dir, quick()).await.unwrap();
        let e = w.check("a").await.unwrap_err();
        assert!(e.contains("ended") && e.contains("signal: 9"), "{e}");
    }

    #[test]
    fn a_worker_let_go_at_stop_exits_by_itself_before_the_daemon_does() {
        let dir = tempfile::tempdir().unwrap();
        let script = format!(r#"{READY} while read -r n; do :; done; sleep 0.5; touch "$1/ended""#);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let w = workers(&script, &dir, quick()).await.unwrap();
            w.stop(true).await;
        });
        // As main.rs does: dropping the runtime would kill a worker still running.
        rt.shutdown_timeout(Duration::from_secs(2));
        assert!(
            dir.path().join("ended").exists(),
            "the worker was killed at exit"
        );
    }

    #[tokio::test]
    async fn a_retired_worker_finishes_its_checks() {
        let dir = tempfile::tempdir().unwrap();
        let script =
            format!(r#"{READY} read -r n; sleep 0.3; {ANSWER}; read -r rest || touch "$1/ended""#);
        let w = workers(&script, &dir, quick()).await.unwrap();
        let check = w.check("a");
        let retire = async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            w.retire().await;
        };
        let (answer, ()) = tokio::join!(check, retire);
        assert_eq!(answer.unwrap().target, "a");
        assert!(eventually(|| dir.path().join("ended").exists()).await);
    }
}
