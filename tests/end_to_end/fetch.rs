//! Fetch faults, end to end: the real binary's `check` against a raw HTTP server that misbehaves
//! on purpose (issue 4). For each case: the pass ends, the `ERROR` line names the cause, memory
//! stays bounded (peak RSS of the process, by GNU time or /proc), and a good target in the same
//! pass is unaffected. What needs a public address (the private-address guard on a redirect hop)
//! or a closer look (the validators a conditional GET sends) is also tested on
//! `policywatch::fetch::Fetcher` directly.

use crate::common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use policywatch::config::FetchSettings;
use policywatch::config::Render;
use policywatch::fetch::{
    Body, FetchError, Fetched, Fetcher, MAX_CRAWL_DELAY, Request, Validators,
};

const POLICY: &str =
    "<h1>Termination</h1><p>To terminate the service, please visit any 3Shop in person.</p>";

/// The `[fetch]` section most cases use: a short whole-request timeout and one retry, so that a
/// case that times out twice still ends in a few seconds.
const FAST: &str =
    "timeout = \"2s\"\nallow_private_addresses = true\nper_host_delay = \"0s\"\nretries = 1\n";

/// Peak memory a pass may use. The 100 MB body and the gzip bomb would each need more than this
/// if they were buffered.
const MAX_RSS_KIB: u64 = 100 * 1024;

/// A pass that did not end by then is a failure (nothing in a case should take more than ~10 s).
const PASS_DEADLINE: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// Helpers

fn write_config(env: &Env, fetch: &str, targets: &[TestTarget], email: Option<&str>) {
    let mut s = format!("database = \"policywatch.sqlite3\"\n\n[fetch]\n{fetch}");
    if let Some(e) = email {
        s.push_str(e);
    }
    s.push_str(&targets_toml(targets));
    std::fs::write(&env.config, s).unwrap();
}

/// A server with a good page at /good, for the target that must be unaffected.
fn server_with_good_page() -> HttpServer {
    let server = HttpServer::start();
    server.page("/good", &carrier_page(POLICY, "good"));
    server
}

/// The faulty target first, then the good one.
fn bad_and_good(server: &HttpServer, bad_url: &str) -> Vec<TestTarget> {
    vec![
        TestTarget::new("bad", bad_url),
        TestTarget::new("good", &server.url("/good")),
    ]
}

struct Pass {
    run: Run,
    elapsed: Duration,
    /// Peak resident set of the policywatch process, in KiB, when it could be measured.
    peak_kib: Option<u64>,
}

impl Pass {
    /// Exactly `ERROR bad: <cause…>` then `NEW good`, exit code 1, memory bounded.
    fn expect_bad_then_good(&self, cause: &str) -> String {
        self.run.expect_code(1);
        let lines = self.run.lines();
        assert_eq!(
            lines.len(),
            2,
            "{}\n{}",
            self.run.stdout(),
            self.run.stderr()
        );
        assert!(
            lines[0].starts_with(&format!("ERROR bad: {cause}")),
            "expected the cause `{cause}`, got: {}\n--- stderr\n{}",
            lines[0],
            self.run.stderr()
        );
        assert_eq!(lines[1], "NEW good", "the good target is unaffected");
        self.expect_bounded_memory();
        lines[0]["ERROR bad: ".len()..].to_string()
    }

    fn expect_bounded_memory(&self) {
        if let Some(kib) = self.peak_kib {
            eprintln!("peak RSS {kib} KiB, pass took {:?}", self.elapsed);
        }
        match self.peak_kib {
            Some(kib) => assert!(
                kib < MAX_RSS_KIB,
                "peak RSS {kib} KiB is over {MAX_RSS_KIB} KiB"
            ),
            None => eprintln!("peak RSS not measurable here; memory bound not checked"),
        }
    }
}

/// GNU time, if installed, reports a process's exact peak RSS (`%M`, KiB).
fn gnu_time() -> Option<&'static Path> {
    let time = Path::new("/usr/bin/time");
    let out = Command::new(time).arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    version.contains("GNU").then_some(time)
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The process GNU time started (its only child).
fn only_child(pid: u32) -> Option<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Runs the binary as `Env::run` does, but: it must end within `PASS_DEADLINE` (else it is
/// killed and the test fails), and its peak RSS is measured, by GNU time when installed, else by
/// polling VmHWM in /proc while it runs.
fn run_measured(env: &Env, args: &[&str]) -> Pass {
    let bin = env!("CARGO_BIN_EXE_policywatch");
    let rss_file = env.dir.path().join("peak-rss");
    let time = gnu_time();
    let mut cmd = match time {
        Some(time) => {
            let mut c = Command::new(time);
            c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    cmd.arg("--config").arg(&env.config).args(args);
    cmd.env_remove("POLICYWATCH_CONFIG")
        .env_remove("POLICYWATCH_DATABASE")
        .env("POLICYWATCH_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd.spawn().expect("start policywatch");
    let pipe = |mut r: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let stdout = pipe(Box::new(child.stdout.take().unwrap()));
    let stderr = pipe(Box::new(child.stderr.take().unwrap()));
    let mut polled: Option<u64> = None;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if time.is_none()
            && let Some(kib) = vm_hwm_kib(child.id())
        {
            polled = Some(polled.unwrap_or(0).max(kib));
        }
        if started.elapsed() > PASS_DEADLINE {
            if time.is_some()
                && let Some(pid) = only_child(child.id())
            {
                let _ = Command::new("kill")
                    .arg("-KILL")
                    .arg(pid.to_string())
                    .status();
            }
            let _ = child.kill();
            let _ = child.wait();
            panic!("the pass did not end within {PASS_DEADLINE:?}");
        }
        thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    let peak_kib = match time {
        Some(_) => std::fs::read_to_string(&rss_file)
            .ok()
            .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok())),
        None => polled,
    };
    let output = std::process::Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    Pass {
        run: Run(output),
        elapsed,
        peak_kib,
    }
}

fn check(env: &Env) -> Pass {
    run_measured(env, &["check"])
}

/// Runs the faulty target beside a good one with the `FAST` settings.
fn check_fault(server: &HttpServer, bad_url: &str) -> Pass {
    check_fast(&bad_and_good(server, bad_url))
}

/// `check` of `targets` with the [`FAST`] fetch settings and no email.
fn check_fast(targets: &[TestTarget]) -> Pass {
    let env = Env::new();
    write_config(&env, FAST, targets, None);
    check(&env)
}

fn settings(allow_private: bool) -> FetchSettings {
    FetchSettings {
        timeout: Duration::from_secs(5),
        allow_private_addresses: allow_private,
        per_host_delay: Duration::ZERO,
        retries: 0,
        ..FetchSettings::default()
    }
}

/// A static GET of `url`, as a check makes it.
async fn get(
    fetcher: &Fetcher,
    url: &url::Url,
    validators: Option<&Validators>,
    ignore_robots: bool,
) -> Result<Fetched, FetchError> {
    fetcher
        .fetch(&Request {
            url,
            validators,
            ignore_robots,
            render: &Render::Static,
        })
        .await
}

// One module per kind of fault; the constants and helpers above are theirs.
#[path = "fetch/conditional.rs"]
mod conditional;
#[path = "fetch/content.rs"]
mod content;
#[path = "fetch/limits.rs"]
mod limits;
#[path = "fetch/politeness.rs"]
mod politeness;
#[path = "fetch/redirects.rs"]
mod redirects;
#[path = "fetch/review.rs"]
mod review;
#[path = "fetch/robots_dns.rs"]
mod robots_dns;
#[path = "fetch/slow.rs"]
mod slow;
#[path = "fetch/tls.rs"]
mod tls;
