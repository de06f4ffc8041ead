//! The daemon in-process, through its test seam: `daemon::run` with a config pointing at the
//! harness's HTTP server, driven by its reload and stop channels instead of signals.
//!
//! Both targets have yearly schedules, so each is checked exactly once: by the catch-up at start
//! (never checked before), and, for the target a reload adds, by the catch-up of its new job.

use crate::common;

use std::time::Duration;

use common::*;
use policywatch::config::Config;
use policywatch::daemon::{self, Reload};
use policywatch::store::Store;
use tokio::sync::mpsc;

const YEARLY: &str = "schedule = \"0 0 0 1 1 *\"";
const YEARLY_TOO: &str = "schedule = \"0 0 0 2 1 *\"";

fn target(name: &str, server: &HttpServer, path: &str, schedule: &str) -> TestTarget {
    let mut t = TestTarget::new(name, &server.url(path));
    t.extra = schedule.to_string();
    t
}

/// (checks, versions) stored for `target`, read as `status` reads them.
fn counts(env: &Env, target: &str) -> (i64, i64) {
    match Store::open_read_only(&env.db()) {
        Ok(store) => store.counts(target).unwrap_or((0, 0)),
        Err(_) => (0, 0),
    }
}

/// Polls until `target` has a stored version; at most `tries` polls, 50 ms apart.
async fn wait_for_version(env: &Env, target: &str, tries: usize) -> bool {
    for _ in 0..tries {
        if counts(env, target).1 > 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// A daemon on a config with one target, `t1` at `/a`, once that target has been checked (the
/// catch-up of a never-checked target, within the 3 s catch-up spread). `/b` is served too.
struct Running {
    server: HttpServer,
    env: Env,
    stop: mpsc::Sender<()>,
    reload: mpsc::Sender<Reload>,
    daemon: tokio::task::JoinHandle<Result<(), daemon::DaemonError>>,
}

/// The test binary is not `policywatch`: checks run in the real binary's worker.
fn worker() -> daemon::WorkerCommand {
    daemon::WorkerCommand {
        program: env!("CARGO_BIN_EXE_policywatch").into(),
        args: vec!["worker".into()],
    }
}

async fn start() -> Running {
    let server = HttpServer::start();
    server.page(
        "/a",
        &carrier_page("<p>Cancel online via My Account.</p>", "a"),
    );
    server.page("/b", &carrier_page("<p>Cancel at our shops only.</p>", "b"));
    let env = Env::new();
    env.write_config(&[target("t1", &server, "/a", YEARLY)], None, "");
    let (config, source) = Config::load_with_source(&env.config).unwrap();
    let (stop, shutdown) = mpsc::channel(2);
    let (reload, reloads) = mpsc::channel(1);
    let daemon = tokio::spawn(daemon::run(config, source, worker(), shutdown, reloads));
    assert!(wait_for_version(&env, "t1", 200).await, "t1 never checked");
    Running {
        server,
        env,
        stop,
        reload,
        daemon,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_checks_reloads_and_stops_through_its_channels() {
    let Running {
        server,
        env,
        stop,
        reload,
        daemon,
    } = start().await;

    // A reload adds a target on another schedule: its new job catches it up.
    env.write_config(
        &[
            target("t1", &server, "/a", YEARLY),
            target("t2", &server, "/b", YEARLY_TOO),
        ],
        None,
        "",
    );
    reload.send(Reload::default()).await.unwrap();
    assert!(wait_for_version(&env, "t2", 200).await, "t2 never checked");

    stop.send(()).await.unwrap();
    let stopped = tokio::time::timeout(Duration::from_secs(30), daemon)
        .await
        .expect("the daemon stops after a stop request");
    stopped.unwrap().unwrap();

    // Exactly one check each: t1's job was not remade by the reload, so it was not caught up
    // again.
    assert_eq!(counts(&env, "t1"), (1, 1));
    assert_eq!(counts(&env, "t2"), (1, 1));
    assert_eq!(server.hits("/a"), 1);
    assert_eq!(server.hits("/b"), 1);
    let store = Store::open_read_only(&env.db()).unwrap();
    assert_eq!(
        store.current("t2").unwrap().unwrap().verdict.as_str(),
        "not-supported"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_stop_sender_stops_the_daemon() {
    let Running { stop, daemon, .. } = start().await;
    drop(stop);
    let stopped = tokio::time::timeout(Duration::from_secs(30), daemon)
        .await
        .expect("the daemon stops when nobody can ask it to stop any more");
    stopped.unwrap().unwrap();
}

/// A reload that remakes a target's job while that target's check is on its way catches it up
/// only if no check took its slot: one check, not two. (The review of round 12 of issue 16 found
/// that a reload, or a change of UTC offset, within a group's jitter after its slot checked every
/// target of the group twice.) Here the check on its way is the start's catch-up, held up by a
/// slow page; the reload moves the target to a schedule whose last slot is later still.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_while_a_check_is_on_its_way_does_not_check_it_again() {
    // A name whose catch-up waits long: a second catch-up would find the first check done
    // (its page takes 0.3 s), so only the slot it took stops the second.
    let year = Some(Duration::from_secs(365 * 24 * 3600));
    let name = (0..1000)
        .map(|i| format!("t{i}"))
        .find(|n| policywatch::schedule::catch_up_delay(n, year) >= Duration::from_millis(2000))
        .expect("a name with a long catch-up delay");
    let server = HttpServer::start();
    let page = carrier_page("<p>Cancel online via My Account.</p>", "a");
    server.route("/a", vec![Reply::slow(Duration::from_millis(300), &page)]);
    let env = Env::new();
    env.write_config(&[target(&name, &server, "/a", YEARLY)], None, "");
    let (config, source) = Config::load_with_source(&env.config).unwrap();
    let (stop, shutdown) = mpsc::channel(2);
    let (reload, reloads) = mpsc::channel(1);
    let daemon = tokio::spawn(daemon::run(config, source, worker(), shutdown, reloads));

    // The reload comes while the catch-up at start fetches: nothing is recorded yet.
    for _ in 0..200 {
        if server.hits("/a") > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(server.hits("/a"), 1, "the catch-up at start never fetched");
    env.write_config(&[target(&name, &server, "/a", YEARLY_TOO)], None, "");
    reload.send(Reload::default()).await.unwrap();
    assert!(wait_for_version(&env, &name, 200).await, "never checked");
    // Long enough for a second catch-up (at most 3 s after the reload) and its check.
    tokio::time::sleep(Duration::from_secs(4)).await;
    stop.send(()).await.unwrap();
    let stopped = tokio::time::timeout(Duration::from_secs(30), daemon)
        .await
        .expect("the daemon stops after a stop request");
    stopped.unwrap().unwrap();

    assert_eq!(server.hits("/a"), 1, "the page was fetched twice");
    assert_eq!(counts(&env, &name), (1, 1));
}
