//! The daemon end to end: the metrics endpoint.

use super::*;

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
