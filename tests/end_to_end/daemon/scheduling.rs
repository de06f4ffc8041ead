//! The daemon end to end: scheduling.

use super::*;

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

#[test]
fn a_heartbeat_missed_while_down_is_sent_at_start_once() {
    let server = HttpServer::start();
    server.page("/yearly", &policy(1));
    let smtp = start_smtp();
    let env = Env::new();
    env.write_config(
        &[target(
            "yearly",
            &server,
            "/yearly",
            "schedule = \"0 0 0 1 1 *\"",
        )],
        Some(&smtp_section(smtp.port)),
        "",
    );
    env.run(&["check"]).expect_code(0);
    // The last heartbeat went out eight days ago: this Monday's slot passed while the daemon
    // was down.
    let week_ago = chrono::Utc::now().timestamp() - 8 * 24 * 3600;
    open_db(&env)
        .execute(
            "INSERT INTO outbox (target, kind, message_id, subject, body_text, created_at,
                                 next_attempt_at, sent_at, routed_at, digest)
             VALUES (NULL, 'heartbeat', '<old-heartbeat@test>', 'old', 'b', ?1, ?1, ?1, ?1, 0)",
            [week_ago],
        )
        .unwrap();
    let heartbeats = || {
        smtp.mailbox
            .raw()
            .iter()
            .filter(|m| String::from_utf8_lossy(m).contains("weekly heartbeat"))
            .count()
    };
    let mut d = Daemon::start(&env);
    assert!(
        wait_until(Duration::from_secs(10), || heartbeats() == 1),
        "no heartbeat:\n{}",
        d.log()
    );
    assert!(d.log().contains("queued now"), "{}", d.log());
    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0));
    // A restart owes nothing more: the heartbeat just went out.
    let mut d = Daemon::start(&env);
    d.wait_running();
    thread::sleep(Duration::from_secs(2));
    assert_eq!(heartbeats(), 1, "{}", d.log());
    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0));
}
