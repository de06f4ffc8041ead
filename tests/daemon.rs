//! End-to-end tests of `policywatch run`: the real binary as a subprocess, on 1- and 2-second
//! schedules, against the harness's HTTP server; systemd notifications through a real
//! `$NOTIFY_SOCKET`; signals sent with `kill`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixDatagram;
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
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_policywatch"));
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

    fn pid(&self) -> String {
        self.child.id().to_string()
    }

    fn signal(&self, sig: &str) {
        let status = Command::new("kill")
            .args([format!("-{sig}"), self.pid()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{sig} failed");
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
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

fn open_db(env: &Env) -> rusqlite::Connection {
    rusqlite::Connection::open(env.db()).expect("open the database")
}

// ---------------------------------------------------------------------------------------------
// systemd

#[test]
fn notify_socket_gets_ready_status_watchdog_reloading_and_stopping() {
    let server = HttpServer::start();
    server.page("/p", &policy(1));
    let env = Env::new();
    env.write_config(&[target("p", &server, "/p", EVERY_SECOND)], None, "");
    let sock_path = env.dir.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).expect("bind the notify socket");
    sock.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let messages: Arc<Mutex<Vec<String>>> = Arc::default();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let messages = messages.clone();
        let done = done.clone();
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                match sock.recv(&mut buf) {
                    Ok(n) => messages
                        .lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&buf[..n]).into_owned()),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                    Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
                    Err(_) => break,
                }
            }
        });
    }
    let lines = || -> Vec<String> {
        messages
            .lock()
            .unwrap()
            .iter()
            .flat_map(|m| m.lines().map(str::to_string).collect::<Vec<_>>())
            .collect()
    };
    let count = |line: &str| lines().iter().filter(|l| *l == line).count();

    let mut d = Daemon::start_with(
        &env,
        &[
            ("NOTIFY_SOCKET", sock_path.to_str().unwrap()),
            ("WATCHDOG_USEC", "2000000"),
        ],
    );
    assert!(
        wait_until(Duration::from_secs(10), || count("READY=1") >= 1),
        "no READY=1: {:?}\n{}",
        lines(),
        d.log()
    );
    // READY comes with the first STATUS.
    let first = messages.lock().unwrap().clone();
    let ready = first
        .iter()
        .find(|m| m.lines().any(|l| l == "READY=1"))
        .unwrap();
    let status = ready
        .lines()
        .find_map(|l| l.strip_prefix("STATUS="))
        .unwrap_or_else(|| panic!("no STATUS= with READY=1: {ready:?}"));
    assert!(
        status.starts_with("1 target, next check ") && status.ends_with(", 0 failing"),
        "{status}"
    );
    assert!(status.contains("HKT"), "{status}");
    // Pings every second (half of WATCHDOG_USEC), from the scheduler.
    assert!(
        wait_until(Duration::from_secs(6), || count("WATCHDOG=1") >= 3),
        "fewer than 3 WATCHDOG=1: {:?}",
        lines()
    );

    // A reload is announced with RELOADING=1 and its MONOTONIC_USEC, and ends with READY=1.
    d.signal("HUP");
    d.wait_log("config reloaded", Duration::from_secs(5));
    assert!(
        wait_until(Duration::from_secs(3), || count("READY=1") >= 2),
        "{:?}",
        lines()
    );
    let all = messages.lock().unwrap().clone();
    let reloading = all
        .iter()
        .find(|m| m.lines().any(|l| l == "RELOADING=1"))
        .unwrap_or_else(|| panic!("no RELOADING=1: {all:?}"));
    assert!(
        reloading.lines().any(|l| l.starts_with("MONOTONIC_USEC=")),
        "{reloading:?}"
    );

    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "{}", d.log());
    assert!(
        wait_until(Duration::from_secs(2), || count("STOPPING=1") == 1),
        "{:?}",
        lines()
    );
    done.store(true, std::sync::atomic::Ordering::SeqCst);
}

#[test]
fn no_watchdog_pings_for_another_process() {
    // WATCHDOG_PID names someone else: the watchdog is not ours to feed.
    let server = HttpServer::start();
    server.page("/p", &policy(1));
    let env = Env::new();
    env.write_config(&[target("p", &server, "/p", "")], None, "");
    let sock_path = env.dir.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut d = Daemon::start_with(
        &env,
        &[
            ("NOTIFY_SOCKET", sock_path.to_str().unwrap()),
            ("WATCHDOG_USEC", "2000000"),
            ("WATCHDOG_PID", "1"),
        ],
    );
    d.wait_running();
    let deadline = Instant::now() + Duration::from_millis(2500);
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        if let Ok(n) = sock.recv(&mut buf) {
            got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
    }
    assert!(got.iter().any(|m| m.contains("READY=1")), "{got:?}");
    assert!(!got.iter().any(|m| m.contains("WATCHDOG=1")), "{got:?}");
    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0));
}

// ---------------------------------------------------------------------------------------------
// Scheduling

#[test]
fn slow_target_is_never_checked_twice_at_once() {
    let server = HttpServer::start();
    // Only this route is slow, so `max_busy` counts requests for it alone (robots.txt is a
    // quick 404).
    server.route(
        "/slow",
        vec![Reply::slow(Duration::from_secs(3), &policy(1))],
    );
    let env = Env::new();
    env.write_config(&[target("slow", &server, "/slow", EVERY_SECOND)], None, "");
    let mut d = Daemon::start(&env);
    d.wait_running();
    assert!(
        wait_until(Duration::from_secs(12), || server.hits("/slow") >= 2),
        "the slow page was not fetched twice:\n{}",
        d.log()
    );
    assert_eq!(
        server.max_busy.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "two checks of one target ran at once:\n{}",
        d.log()
    );
    d.wait_log(
        "previous check still running; this tick is skipped",
        Duration::from_secs(1),
    );
    assert!(d.log().contains("target=slow"), "{}", d.log());
    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "{}", d.log());
    assert_eq!(server.max_busy.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[test]
fn catch_up_checks_once_soon_only_targets_that_missed_a_slot() {
    let server = HttpServer::start();
    server.page("/hourly", &policy(1));
    server.page("/yearly", &policy(1));
    let env = Env::new();
    env.write_config(
        &[
            // Its last check is made two hours old below: it missed the top of the hour.
            target("hourly", &server, "/hourly", "schedule = \"0 0 * * * *\""),
            // Checked just now, and its last slot (1 January) is long past: nothing missed.
            target("yearly", &server, "/yearly", "schedule = \"0 0 0 1 1 *\""),
        ],
        None,
        "",
    );
    env.run(&["check"]).expect_code(0);
    let changed = open_db(&env)
        .execute(
            "UPDATE checks SET started_at = started_at - 7200 WHERE target = 'hourly'",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    let (hourly, yearly) = (server.hits("/hourly"), server.hits("/yearly"));

    let mut d = Daemon::start(&env);
    assert!(
        wait_until(Duration::from_secs(6), || server.hits("/hourly") > hourly),
        "the missed hourly check was not caught up:\n{}",
        d.log()
    );
    d.wait_log("target=hourly", Duration::from_secs(2));
    assert!(
        d.log().contains("catching up a missed check"),
        "{}",
        d.log()
    );
    // Give a wrongly caught-up `yearly`, or a second catch-up of `hourly`, time to show.
    thread::sleep(Duration::from_secs(4));
    assert_eq!(server.hits("/yearly"), yearly, "{}", d.log());
    let minute = chrono::Utc::now().format("%M").to_string();
    if minute != "00" && minute != "59" {
        // Once, not once per missed slot (unless a real slot came by during the test).
        assert_eq!(server.hits("/hourly"), hourly + 1, "{}", d.log());
    }
    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0));
}

// ---------------------------------------------------------------------------------------------
// Signals

#[test]
fn sighup_adds_and_removes_targets_without_touching_the_others() {
    let server = HttpServer::start();
    server.page("/a", &policy(1));
    server.page("/b", &policy(2));
    let env = Env::new();
    env.write_config(&[target("a", &server, "/a", EVERY_SECOND)], None, "");
    let mut d = Daemon::start(&env);
    d.wait_running();
    assert!(wait_until(Duration::from_secs(5), || server.hits("/a") >= 1));

    // Add b.
    env.write_config(
        &[
            target("a", &server, "/a", EVERY_SECOND),
            target("b", &server, "/b", EVERY_SECOND),
        ],
        None,
        "",
    );
    d.signal("HUP");
    d.wait_log("config reloaded", Duration::from_secs(5));
    let log = d.log();
    assert!(
        log.contains("targets=2 rescheduled=1 removed=0"),
        "only b is scheduled:\n{log}"
    );
    assert!(
        wait_until(Duration::from_secs(5), || server.hits("/b") >= 1),
        "the added target was not checked:\n{}",
        d.log()
    );
    let a = server.hits("/a");
    assert!(
        wait_until(Duration::from_secs(5), || server.hits("/a") >= a + 2),
        "a stopped:\n{}",
        d.log()
    );

    // Remove a.
    env.write_config(&[target("b", &server, "/b", EVERY_SECOND)], None, "");
    d.signal("HUP");
    d.wait_log_n("config reloaded", 2, Duration::from_secs(5));
    assert!(
        d.log().contains("targets=1 rescheduled=0 removed=1"),
        "{}",
        d.log()
    );
    thread::sleep(Duration::from_millis(1500)); // a tick already fired may still fetch
    let (a, b) = (server.hits("/a"), server.hits("/b"));
    thread::sleep(Duration::from_millis(2500));
    assert_eq!(server.hits("/a"), a, "a removed target is still checked");
    assert!(server.hits("/b") > b, "b stopped:\n{}", d.log());

    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "{}", d.log());
}

#[test]
fn sighup_with_a_broken_config_keeps_the_old_one_running() {
    let server = HttpServer::start();
    server.page("/a", &policy(1));
    let env = Env::new();
    env.write_config(&[target("a", &server, "/a", EVERY_SECOND)], None, "");
    let mut d = Daemon::start(&env);
    d.wait_running();
    assert!(wait_until(Duration::from_secs(5), || server.hits("/a") >= 1));

    env.write_config(
        &[target("a", &server, "/a", "shedule = \"*/1 * * * * *\"")],
        None,
        "",
    );
    d.signal("HUP");
    d.wait_log("reload refused", Duration::from_secs(5));
    let log = d.log();
    let refused = log.lines().find(|l| l.contains("reload refused")).unwrap();
    assert!(
        refused.contains("policywatch.toml:") && refused.contains("target[0].shedule"),
        "the error names the file, line and key: {refused}"
    );
    assert!(!log.contains("config reloaded"), "{log}");

    let a = server.hits("/a");
    assert!(
        wait_until(Duration::from_secs(5), || server.hits("/a") >= a + 2),
        "the old config stopped running:\n{}",
        d.log()
    );
    assert!(d.running());

    // A metrics address that is not loopback is refused the same way.
    env.write_config(
        &[target("a", &server, "/a", EVERY_SECOND)],
        None,
        "\n[metrics]\nlisten = \"0.0.0.0:9464\"\n",
    );
    d.signal("HUP");
    d.wait_log_n("reload refused", 2, Duration::from_secs(5));
    assert!(d.log().contains("metrics.listen"), "{}", d.log());
    let a = server.hits("/a");
    assert!(wait_until(Duration::from_secs(5), || server.hits("/a") >= a + 2));

    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "{}", d.log());
}

#[test]
fn sigterm_lets_the_check_in_flight_finish_and_exits_0() {
    let server = HttpServer::start();
    server.route(
        "/slow",
        vec![Reply::slow(Duration::from_secs(3), &policy(1))],
    );
    let env = Env::new();
    // Hourly, but never checked: caught up at once.
    env.write_config(
        &[target(
            "slow",
            &server,
            "/slow",
            "schedule = \"0 0 * * * *\"",
        )],
        None,
        "",
    );
    let mut d = Daemon::start(&env);
    d.wait_running();
    assert!(
        wait_until(Duration::from_secs(6), || server.hits("/slow") >= 1),
        "{}",
        d.log()
    );
    thread::sleep(Duration::from_millis(300));
    let (status, took) = d.terminate(Duration::from_secs(25));
    assert_eq!(status.code(), Some(0), "{}", d.log());
    assert!(took < Duration::from_secs(5), "took {took:?}:\n{}", d.log());
    let log = d.log();
    assert!(log.contains("all checks finished"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    // The check in flight was committed.
    let status: String = open_db(&env)
        .query_row(
            "SELECT status FROM checks WHERE target = 'slow' ORDER BY id DESC",
            [],
            |r| r.get(0),
        )
        .expect("the check in flight was recorded");
    assert_eq!(status, "new");
}

#[test]
fn sigint_stops_an_idle_daemon_at_once() {
    let server = HttpServer::start();
    server.page("/p", &policy(1));
    let env = Env::new();
    env.write_config(
        &[target("p", &server, "/p", "schedule = \"0 0 0 1 1 *\"")],
        None,
        "",
    );
    env.run(&["check"]).expect_code(0);
    let mut d = Daemon::start(&env);
    d.wait_running();
    d.signal("INT");
    // At once: before SHUTDOWN_DRAIN (5 s), the first timer an idle stop could wait for.
    let status = d.wait_exit(Duration::from_secs(5)).expect("exited");
    assert_eq!(status.code(), Some(0), "{}", d.log());
}

// ---------------------------------------------------------------------------------------------
// Crashes

/// Checks the invariants of the database after a crash; returns the stored version texts.
/// The editions of target `p` stored so far; none while the daemon has not made the database
/// yet (read-only, so that polling never creates or locks it).
fn editions(env: &Env) -> Vec<usize> {
    let read = || -> rusqlite::Result<Vec<String>> {
        let db = rusqlite::Connection::open_with_flags(
            env.db(),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        let mut stmt = db.prepare("SELECT text FROM versions WHERE target = 'p'")?;
        stmt.query_map([], |r| r.get(0))?.collect()
    };
    read()
        .unwrap_or_default()
        .iter()
        .filter_map(|t| edition(t))
        .collect()
}

/// The edition number a version's text names ("Terms, edition 7").
fn edition(text: &str) -> Option<usize> {
    text.split("edition ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse::<usize>().ok())
}

fn assert_consistent(env: &Env, previous: &[String], cycle: usize) -> Vec<String> {
    let db = open_db(env);
    let integrity: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "cycle {cycle}");
    let broken_refs: i64 = db
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken_refs, 0, "cycle {cycle}: dangling references");
    let texts: Vec<String> = db
        .prepare("SELECT text FROM versions WHERE target = 'p' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        texts.len() >= previous.len(),
        "cycle {cycle}: versions lost"
    );
    for t in previous {
        assert!(texts.contains(t), "cycle {cycle}: lost version {t:?}");
    }
    for t in &texts {
        assert!(
            edition(t).is_some_and(|e| e <= cycle),
            "cycle {cycle}: a version never served: {t:?}"
        );
    }
    // A change and its alert commit together: no alert without its check and version, no
    // changed check without its alert.
    let orphans: i64 = db
        .query_row(
            "SELECT count(*) FROM outbox o WHERE o.kind = 'change' AND NOT EXISTS (
                 SELECT 1 FROM checks c JOIN versions v ON v.id = c.version_id
                 WHERE c.target = o.target AND c.started_at = o.created_at
                   AND c.status = 'changed')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "cycle {cycle}: alert without its version");
    let silent: i64 = db
        .query_row(
            "SELECT count(*) FROM checks c WHERE c.status = 'changed' AND NOT EXISTS (
                 SELECT 1 FROM outbox o WHERE o.target = c.target
                   AND o.created_at = c.started_at)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(silent, 0, "cycle {cycle}: change without its alert");
    let no_current: i64 = db
        .query_row(
            "SELECT count(*) FROM targets WHERE current_version IS NOT NULL
               AND current_version NOT IN (SELECT id FROM versions)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(no_current, 0, "cycle {cycle}");
    texts
}

#[test]
fn kill_9_during_checks_never_corrupts_or_loses_a_version() {
    const CYCLES: usize = 15;
    let server = HttpServer::start();
    let env = Env::new();
    env.write_config(&[target("p", &server, "/p", EVERY_SECOND)], None, "");
    // A large page, so extraction and the commit take long enough to be interrupted.
    let filler: String = (0..1000)
        .map(|i| {
            format!(
                "<p>Clause {i}: the subscriber may request termination subject to the terms.</p>"
            )
        })
        .collect();
    let mut versions: Vec<String> = Vec::new();
    for cycle in 1..=CYCLES {
        server.page(
            "/p",
            &carrier_page(
                &format!("<h1>Terms, edition {cycle}</h1><p>To terminate the service, visit a shop.</p>{filler}"),
                "x",
            ),
        );
        let hits = server.hits("/p");
        let mut d = Daemon::start(&env);
        if cycle % 3 == 1 {
            // Every third cycle lets its check commit before the kill, so that there are always
            // stored versions for the other kills to threaten (however slow the machine is).
            assert!(
                wait_until(Duration::from_secs(30), || editions(&env).contains(&cycle)),
                "cycle {cycle}: the edition was never stored"
            );
        } else if cycle % 3 == 2 {
            // Aim at a check: once the page is requested, it is being fetched, confirmed,
            // extracted or committed for the next few hundred milliseconds.
            wait_until(Duration::from_secs(3), || server.hits("/p") > hits);
            thread::sleep(Duration::from_millis(fastrand::u64(0..=200)));
        } else {
            thread::sleep(Duration::from_millis(fastrand::u64(50..=900)));
        }
        d.child.kill().expect("kill -9");
        d.child.wait().unwrap();
        versions = assert_consistent(&env, &versions, cycle);
    }
    // The database still works: the last edition is stored by a normal check...
    env.run(&["check"]).expect_code(0);
    let versions = assert_consistent(&env, &versions, CYCLES);
    // ...beside the editions the committing cycles stored (1, 4, 7, 10, 13).
    assert!(versions.len() >= 5, "only {} versions", versions.len());
    assert!(
        versions
            .last()
            .is_some_and(|t| t.contains(&format!("edition {CYCLES}"))),
        "{versions:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Metrics endpoint

#[test]
fn metrics_endpoint_serves_healthz_and_metrics() {
    let server = HttpServer::start();
    server.page("/m", &policy(1));
    let env = Env::new();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    env.write_config(
        &[target("m", &server, "/m", "schedule = \"*/2 * * * * *\"")],
        None,
        &format!("\n[metrics]\nlisten = \"{addr}\"\n"),
    );
    let mut d = Daemon::start(&env);
    d.wait_running();
    assert!(
        d.log().contains("metrics endpoint listening"),
        "{}",
        d.log()
    );
    let (status, _, body) = http(&addr, "GET", "/healthz");
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    // The first check (caught up at once: the target is new) shows in the counters.
    let mut scraped = (0, String::new(), String::new());
    assert!(
        wait_until(Duration::from_secs(6), || {
            scraped = http(&addr, "GET", "/metrics");
            scraped
                .2
                .contains("policywatch_checks_total{status=\"new\"} 1\n")
        }),
        "{}\n{}",
        scraped.2,
        d.log()
    );
    let (status, head, text) = scraped;
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/plain; version=0.0.4"),
        "{head}"
    );
    for name in [
        "# TYPE policywatch_checks_total counter",
        "policywatch_checks_total{status=\"new\"} 1\n",
        "policywatch_checks_total{status=\"error\"} 0\n",
        "# TYPE policywatch_last_success_timestamp_seconds gauge",
        "policywatch_last_success_timestamp_seconds{target=\"m\"} ",
        "# TYPE policywatch_outbox_pending gauge",
        "policywatch_outbox_pending 0\n",
        "# TYPE policywatch_check_duration_seconds histogram",
        "policywatch_check_duration_seconds_bucket{le=\"+Inf\"} ",
        "policywatch_check_duration_seconds_sum ",
        "policywatch_check_duration_seconds_count ",
        "policywatch_targets 1\n",
    ] {
        assert!(text.contains(name), "no {name:?} in:\n{text}");
    }
    let success: i64 = text
        .lines()
        .find_map(|l| l.strip_prefix("policywatch_last_success_timestamp_seconds{target=\"m\"} "))
        .and_then(|v| v.parse().ok())
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((now - 60..=now).contains(&success), "{success} vs {now}");

    assert_eq!(http(&addr, "GET", "/nope").0, 404);
    assert_eq!(http(&addr, "POST", "/metrics").0, 405);
    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "{}", d.log());
}

#[test]
fn metrics_endpoint_is_off_without_a_metrics_table() {
    let server = HttpServer::start();
    server.page("/m", &policy(1));
    let env = Env::new();
    env.write_config(&[target("m", &server, "/m", EVERY_SECOND)], None, "");
    let default_taken = TcpStream::connect("127.0.0.1:9464").is_ok();
    let mut d = Daemon::start(&env);
    d.wait_running();
    assert!(wait_until(Duration::from_secs(6), || server.hits("/m") >= 1));
    thread::sleep(Duration::from_millis(300));
    assert!(!d.log().contains("metrics endpoint"), "{}", d.log());
    if !default_taken {
        assert!(TcpStream::connect("127.0.0.1:9464").is_err());
    }
    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0));
}

#[test]
fn metrics_on_a_public_address_is_a_config_error() {
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("m", "http://127.0.0.1:1/")],
        None,
        "\n[metrics]\nlisten = \"0.0.0.0:9464\"\n",
    );
    let run = env.run(&["check-config"]);
    run.expect_code(2);
    let err = run.stderr();
    assert!(
        err.contains("policywatch.toml:") && err.contains("key `metrics.listen`"),
        "{err}"
    );
    assert!(err.contains("not a loopback address"), "{err}");
    let mut d = Daemon::start(&env);
    let status = d
        .wait_exit(Duration::from_secs(10))
        .expect("run refuses to start");
    assert_eq!(status.code(), Some(2));
    thread::sleep(Duration::from_millis(50));
    assert!(d.log().contains("key `metrics.listen`"), "{}", d.log());
}

#[test]
fn metrics_port_in_use_fails_the_start_clearly() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("m", "http://127.0.0.1:1/")],
        None,
        &format!("\n[metrics]\nlisten = \"{addr}\"\n"),
    );
    let mut d = Daemon::start(&env);
    let status = d
        .wait_exit(Duration::from_secs(10))
        .expect("run refuses to start");
    assert_eq!(status.code(), Some(1));
    thread::sleep(Duration::from_millis(50));
    assert!(
        d.log()
            .contains(&format!("metrics endpoint: cannot listen on {addr}")),
        "{}",
        d.log()
    );
    drop(taken);
}
