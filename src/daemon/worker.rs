//! The daemon's side of its check workers ([`crate::worker`] has the protocol and the reasons).
//! A [`Workers`] belongs to one config generation and keeps at most one worker alive: it starts
//! one when a check falls due and none is running, hands it every check of the burst, and lets
//! it go once it has been idle for [`LINGER`] (nothing in flight, nothing handed or finished): its input
//! closes, it finishes and exits, and the burst's memory goes with it.
//!
//! Every wait is bounded: the worker's greeting ([`HELLO_WAIT`]), handing it a name
//! ([`SEND_WAIT`]), an answer ([`ANSWER_WAIT`], then the worker is stopped) and its exit.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{Notify, oneshot};

use crate::worker::{Header, Hello, MAX_REPORT_LINE, Report, read_line};

/// How long a worker is kept after it last was handed or finished a check, for the rest of a
/// burst (the targets of one schedule start over their jitter, seconds apart). Never less than
/// the longest crawl-delay obeyed, nor than `per_host_delay` (see `Generation`): the next worker
/// knows nothing of this one's last request to a host.
pub const LINGER: Duration = Duration::from_secs(10);
/// How long a new worker may take to load the config and build its checker.
pub const HELLO_WAIT: Duration = Duration::from_secs(60);
/// How long handing a name to a worker may block (its input pipe full: a stuck worker).
pub const SEND_WAIT: Duration = Duration::from_secs(30);
/// The longest check (the store's lease outlives any check: timeouts × retries + confirmation).
pub const ANSWER_WAIT: Duration = Duration::from_secs(15 * 60);
/// How long a worker whose output ended may take to exit before it is killed.
const EXIT_WAIT: Duration = Duration::from_secs(5);

/// The bounds above, as one value (tests shorten them).
#[derive(Debug, Clone, Copy)]
pub(super) struct Timing {
    pub(super) linger: Duration,
    pub(super) hello_wait: Duration,
    pub(super) send_wait: Duration,
    pub(super) answer_wait: Duration,
}

impl Default for Timing {
    fn default() -> Timing {
        Timing {
            linger: LINGER,
            hello_wait: HELLO_WAIT,
            send_wait: SEND_WAIT,
            answer_wait: ANSWER_WAIT,
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

/// A check's answer: its report, or why none came.
type Answer = Result<Report, String>;

const GONE: &str = "the check worker ended before it finished this check";

/// The checks a worker has, and when it was last handed one or last answered one.
struct Waiting {
    checks: HashMap<String, oneshot::Sender<Answer>>,
    last_used: Instant,
}

/// `None` once the worker is gone.
type Pending = Arc<Mutex<Option<Waiting>>>;

fn pending(p: &Pending) -> std::sync::MutexGuard<'_, Option<Waiting>> {
    p.lock().unwrap_or_else(|e| e.into_inner())
}

/// The live worker.
struct Live {
    id: u64,
    stdin: ChildStdin,
    pending: Pending,
    /// Stops the worker (an answer overdue).
    kill: Arc<Notify>,
}

struct Inner {
    command: WorkerCommand,
    /// The header line every worker of this generation is started with.
    header: Vec<u8>,
    timing: Timing,
    live: tokio::sync::Mutex<Option<Live>>,
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
            started: AtomicU64::new(0),
        });
        let first = spawn(&inner).await?;
        *inner.live.lock().await = Some(first);
        Ok(Workers { inner })
    }

    /// Has a worker check `name`; `Err` says why no report came (then nothing was recorded).
    pub(super) async fn check(&self, name: &str) -> Answer {
        let (mut answer, kill, failed) = {
            let mut live = self.inner.live.lock().await;
            if !live.as_ref().is_some_and(|l| pending(&l.pending).is_some()) {
                *live = Some(spawn(&self.inner).await?);
            }
            let Some(l) = live.as_mut() else {
                return Err("no check worker".into());
            };
            let (tx, rx) = oneshot::channel();
            match pending(&l.pending).as_mut() {
                Some(w) => {
                    w.checks.insert(name.to_string(), tx);
                    w.last_used = Instant::now();
                }
                None => return Err(GONE.into()),
            };
            let mut line = serde_json::to_vec(name).map_err(|e| e.to_string())?;
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
        let why = match failed {
            Some(why) => why,
            None => match tokio::time::timeout(self.inner.timing.answer_wait, &mut answer).await {
                Ok(answered) => return answered.unwrap_or_else(|_| Err(GONE.into())),
                Err(_) => format!(
                    "no answer from the check worker within {} s; it was stopped",
                    self.inner.timing.answer_wait.as_secs()
                ),
            },
        };
        // Stopped, and answered only once it is gone (the reader waits for its exit), so that
        // nothing it might still commit races with the failure the caller records.
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

    /// Stops the live worker now; its checks in flight are not committed.
    pub(super) async fn kill(&self) {
        if let Some(l) = self.inner.live.lock().await.take() {
            l.kill.notify_one();
        }
    }
}

/// Starts a worker, sends it the header and waits for its greeting.
async fn spawn(inner: &Arc<Inner>) -> Result<Live, String> {
    let program = &inner.command.program;
    let mut child = Command::new(program)
        .args(&inner.command.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        // Only the daemon speaks to systemd (NotifyAccess=main).
        .env_remove("NOTIFY_SOCKET")
        .env_remove("WATCHDOG_USEC")
        .env_remove("WATCHDOG_PID")
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
    let pending: Pending = Arc::new(Mutex::new(Some(Waiting {
        checks: HashMap::new(),
        last_used: Instant::now(),
    })));
    let kill = Arc::new(Notify::new());
    tracing::debug!(worker = id, pid = child.id(), "check worker started");
    tokio::spawn(read_reports(child, stdout, pending.clone(), kill.clone()));
    tokio::spawn(let_go_when_idle(
        Arc::downgrade(inner),
        id,
        inner.timing.linger,
    ));
    Ok(Live {
        id,
        stdin,
        pending,
        kill,
    })
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

/// Hands each report to the check waiting for it; when the worker's output ends (or it is
/// stopped), answers every check still waiting with why none will come.
async fn read_reports(
    mut child: Child,
    mut stdout: BufReader<ChildStdout>,
    pending_checks: Pending,
    kill: Arc<Notify>,
) {
    let mut buf = Vec::new();
    let stopped = loop {
        tokio::select! {
            line = read_line(&mut stdout, MAX_REPORT_LINE, &mut buf) => match line {
                Ok(true) => match serde_json::from_slice::<Report>(&buf) {
                    Ok(report) => {
                        let waiting = pending(&pending_checks).as_mut().and_then(|w| {
                            w.last_used = Instant::now();
                            w.checks.remove(&report.target)
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
    let orphans = pending(&pending_checks)
        .take()
        .map(|w| w.checks)
        .unwrap_or_default();
    if orphans.is_empty() {
        tracing::debug!(exit = %exit, "check worker exited");
    }
    for (_, tx) in orphans {
        let _ = tx.send(Err(format!(
            "the check worker ended ({exit}) before it finished this check"
        )));
    }
}

/// Lets worker `id` go once it has been idle for `linger`.
async fn let_go_when_idle(inner: Weak<Inner>, id: u64, linger: Duration) {
    loop {
        tokio::time::sleep(linger / 4).await;
        let Some(inner) = inner.upgrade() else { return };
        let mut live = inner.live.lock().await;
        let Some(l) = live.as_ref().filter(|l| l.id == id) else {
            return;
        };
        let idle = pending(&l.pending)
            .as_ref()
            .is_none_or(|w| w.checks.is_empty() && w.last_used.elapsed() >= linger);
        if idle {
            // Its input closes: it finishes and exits.
            *live = None;
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    //! The daemon's side against real processes: small shell scripts that speak the protocol,
    //! or break it in one way each.

    use super::*;

    const READY: &str = r#"read -r h; echo '"ready"'; echo x >> "$1/started"; "#;
    const ANSWER: &str =
        r#"echo "{\"target\":$n,\"status\":\"unchanged\",\"line\":\"UNCHANGED\"}""#;

    fn quick() -> Timing {
        Timing {
            linger: Duration::from_millis(300),
            hello_wait: Duration::from_secs(5),
            send_wait: Duration::from_secs(5),
            answer_wait: Duration::from_secs(5),
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
    async fn an_overdue_answer_stops_the_worker() {
        let dir = tempfile::tempdir().unwrap();
        let script = format!(r#"{READY} read -r n; echo $$ > "$1/pid"; exec sleep 30"#);
        let timing = Timing {
            answer_wait: Duration::from_millis(400),
            ..quick()
        };
        let w = workers(&script, &dir, timing).await.unwrap();
        let e = w.check("a").await.unwrap_err();
        assert!(e.contains("no answer from the check worker"), "{e}");
        let pid = std::fs::read_to_string(dir.path().join("pid")).unwrap();
        // Answered only once the worker is gone (killed and reaped).
        assert!(!PathBuf::from(format!("/proc/{}", pid.trim())).exists());
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
