//! End-to-end tests of `policywatch run`: the real binary as a subprocess, on 1- and 2-second
//! schedules, against the harness's HTTP server; systemd notifications through a real
//! `$NOTIFY_SOCKET`; signals sent with `kill`.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::*;

const EVERY_SECOND: &str = "schedule = \"*/1 * * * * *\"";

fn policy(n: usize) -> String {
    carrier_page(
        &format!(
            "<h1>Terms, edition {n}</h1><p>To terminate the service, please visit our Customer Service Centre. Online cancellation is not available.</p>"
        ),
        "x",
    )
}

fn target(name: &str, server: &HttpServer, path: &str, extra: &str) -> TestTarget {
    let mut t = TestTarget::new(name, &server.url(path));
    t.extra = extra.to_string();
    t
}

/// Polls `cond` every 20 ms until it holds or `timeout` passes.
fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// `policywatch run` as a child process, its stderr collected as it comes.
struct Daemon {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Daemon {
    fn start(env: &Env) -> Daemon {
        Daemon::start_with(env, &[])
    }

    fn start_with(env: &Env, vars: &[(&str, &str)]) -> Daemon {
        Daemon::start_program(env, Path::new(env!("CARGO_BIN_EXE_policywatch")), vars)
    }

    /// [`Daemon::start_with`], running `program` (a copy of the binary, say).
    fn start_program(env: &Env, program: &Path, vars: &[(&str, &str)]) -> Daemon {
        let mut cmd = Command::new(program);
        cmd.arg("--config").arg(&env.config).arg("run");
        for var in [
            "POLICYWATCH_CONFIG",
            "POLICYWATCH_DATABASE",
            "NOTIFY_SOCKET",
            "WATCHDOG_USEC",
            "WATCHDOG_PID",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("POLICYWATCH_LOG", "info");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        // Reports (no [email]) go to stdout; nobody reads them here.
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start policywatch run");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Daemon { child, log }
    }

    fn signal(&self, sig: &str) {
        kill(sig, self.child.id());
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
    /// The daemon's check workers now: its children running `policywatch … worker`.
    fn workers(&self) -> Vec<u32> {
        children(self.child.id())
            .into_iter()
            .filter(|pid| {
                std::fs::read(format!("/proc/{pid}/cmdline"))
                    .is_ok_and(|c| c.split(|b| *b == 0).any(|arg| arg == b"worker"))
            })
            .collect()
    }

    fn count(&self, needle: &str) -> usize {
        self.log().matches(needle).count()
    }

    /// Waits until the log holds `needle` at least `n` times.
    fn wait_log_n(&self, needle: &str, n: usize, timeout: Duration) {
        assert!(
            wait_until(timeout, || self.count(needle) >= n),
            "no {n}× {needle:?} in the log within {timeout:?}:\n{}",
            self.log()
        );
    }

    fn wait_log(&self, needle: &str, timeout: Duration) {
        self.wait_log_n(needle, 1, timeout);
    }

    fn wait_running(&self) {
        self.wait_log("policywatch running", Duration::from_secs(10));
    }

    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, then the exit status (which must come within `timeout`) and how long it took.
    fn terminate(&mut self, timeout: Duration) -> (ExitStatus, Duration) {
        let t0 = Instant::now();
        self.signal("TERM");
        let status = self.wait_exit(timeout);
        let took = t0.elapsed();
        let Some(status) = status else {
            panic!("still running {took:?} after SIGTERM:\n{}", self.log());
        };
        // Let the reader thread take the last lines.
        thread::sleep(Duration::from_millis(50));
        (status, took)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if self.running() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Whether process `pid` runs (a zombie is gone but for its exit status).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z'))
    })
}

/// The living children of process `pid` (every thread's list: tokio spawns from any of them).
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    let mut out: Vec<u32> = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|c| {
            c.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .filter(|child| alive(*child))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// One GET (or other method) over a fresh connection: (status, headers, body).
fn http(addr: &str, method: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect to the metrics endpoint");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("read the response");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a complete response");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("a status code");
    (status, head.to_string(), body.to_string())
}

/// A page and a config with one target `p` on it, scheduled once a year: a daemon started on it
/// checks it at once (a new target is caught up) and then stays idle.
fn one_target_checked_yearly() -> (HttpServer, Env) {
    let server = HttpServer::start();
    server.page("/p", &policy(1));
    let env = Env::new();
    env.write_config(
        &[target("p", &server, "/p", "schedule = \"0 0 0 1 1 *\"")],
        None,
        "",
    );
    (server, env)
}

fn open_db(env: &Env) -> rusqlite::Connection {
    rusqlite::Connection::open(env.db()).expect("open the database")
}

/// The status of `target`'s last check.
fn last_status(env: &Env, target: &str) -> String {
    open_db(env)
        .query_row(
            "SELECT status FROM checks WHERE target = ?1 ORDER BY id DESC",
            [target],
            |r| r.get(0),
        )
        .expect("a check was recorded")
}

/// Sends `sig` (e.g. "TERM") to process `pid`.
fn kill(sig: &str, pid: u32) {
    let status = Command::new("kill")
        .args([format!("-{sig}"), pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{sig} {pid} failed");
}

/// A daemon with one target, `slow`, on `schedule` and never checked (so caught up at once),
/// whose page answers `replies` (the first one slow); returned once the page has been asked for,
/// that is with the check in flight.
fn daemon_checking_a_slow_page(replies: Vec<Reply>, schedule: &str) -> (HttpServer, Env, Daemon) {
    let server = HttpServer::start();
    server.route("/slow", replies);
    let env = Env::new();
    env.write_config(
        &[target(
            "slow",
            &server,
            "/slow",
            &format!("schedule = \"{schedule}\""),
        )],
        None,
        "",
    );
    let d = Daemon::start(&env);
    d.wait_running();
    assert!(
        wait_until(Duration::from_secs(10), || server.hits("/slow") >= 1),
        "{}",
        d.log()
    );
    (server, env, d)
}

// One module per theme; the constants and helpers above are theirs.
#[path = "daemon/crashes.rs"]
mod crashes;
#[path = "daemon/memory.rs"]
mod memory;
#[path = "daemon/metrics.rs"]
mod metrics;
#[path = "daemon/scheduling.rs"]
mod scheduling;
#[path = "daemon/signals.rs"]
mod signals;
#[path = "daemon/systemd.rs"]
mod systemd;
#[path = "daemon/workers.rs"]
mod workers;
