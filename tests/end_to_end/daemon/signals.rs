//! The daemon end to end: signals (stop, reload).

use super::*;

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
    let (_server, env, mut d) = daemon_checking_a_slow_page(
        vec![Reply::slow(Duration::from_secs(3), &policy(1))],
        "0 0 * * * *",
    );
    thread::sleep(Duration::from_millis(300));
    let (status, took) = d.terminate(Duration::from_secs(25));
    assert_eq!(status.code(), Some(0), "{}", d.log());
    assert!(took < Duration::from_secs(5), "took {took:?}:\n{}", d.log());
    let log = d.log();
    assert!(log.contains("all checks finished"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    // The check in flight was committed.
    assert_eq!(last_status(&env, "slow"), "new");
}

#[test]
fn a_stop_signalled_to_the_whole_service_still_lets_the_check_finish() {
    let (_server, env, mut d) = daemon_checking_a_slow_page(
        vec![Reply::slow(Duration::from_secs(3), &policy(1))],
        "0 0 * * * *",
    );
    // systemd's stop (KillMode=control-group) and a terminal's Ctrl-C reach every process of
    // the service at once, the worker checking the page included.
    let workers = d.workers();
    assert_eq!(workers.len(), 1, "{}", d.log());
    kill("INT", workers[0]);
    kill("TERM", workers[0]);
    let (status, took) = d.terminate(Duration::from_secs(25));
    assert_eq!(status.code(), Some(0), "{}", d.log());
    assert!(took < Duration::from_secs(5), "took {took:?}:\n{}", d.log());
    assert!(d.log().contains("all checks finished"), "{}", d.log());
    assert_eq!(last_status(&env, "slow"), "new");
    assert!(
        wait_until(Duration::from_secs(5), || !alive(workers[0])),
        "the worker outlived the daemon"
    );
}

#[test]
fn sigint_stops_an_idle_daemon_at_once() {
    let (_server, env) = one_target_checked_yearly();
    env.run(&["check"]).expect_code(0);
    let mut d = Daemon::start(&env);
    d.wait_running();
    d.signal("INT");
    // At once: before SHUTDOWN_DRAIN (5 s), the first timer an idle stop could wait for.
    let status = d.wait_exit(Duration::from_secs(5)).expect("exited");
    assert_eq!(status.code(), Some(0), "{}", d.log());
}
