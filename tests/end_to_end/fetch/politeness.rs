//! Fetch faults, end to end: politeness (per-host gates and spacing; robots.txt behind a redirect or
//! silent).

use super::*;

#[test]
fn per_host_concurrency_is_respected_and_other_hosts_do_not_wait() {
    let slow = HttpServer::start();
    let slow_page = |path: &str| {
        slow.route(
            path,
            vec![Reply::Delayed {
                delay: Duration::from_millis(400),
                reply: Box::new(Reply::html(&carrier_page(POLICY, path))),
            }],
        );
    };
    for p in ["/s1", "/s2", "/s3"] {
        slow_page(p);
    }
    let other = server_with_good_page();
    let targets = vec![
        TestTarget::new("s1", &slow.url("/s1")),
        TestTarget::new("s2", &slow.url("/s2")),
        TestTarget::new("s3", &slow.url("/s3")),
        TestTarget::new("good", &other.url("/good")),
    ];
    let env = Env::new();
    write_config(
        &env,
        &format!("{FAST}per_host_concurrency = 1\n"),
        &targets,
        None,
    );
    let pass = check(&env);
    pass.run.expect_code(0);
    assert_eq!(
        pass.run.lines(),
        vec!["NEW s1", "NEW s2", "NEW s3", "NEW good"]
    );
    assert_eq!(
        slow.max_busy.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "one request at a time to the slow host"
    );
    assert!(
        pass.elapsed >= Duration::from_millis(1200),
        "{:?}",
        pass.elapsed
    );
    // The other host was served while the slow one was still on its first page.
    let first_slow_reply = slow.requests("/s1")[0]
        .at
        .min(slow.requests("/s2")[0].at)
        .min(slow.requests("/s3")[0].at)
        + Duration::from_millis(400);
    assert!(other.requests("/good")[0].at < first_slow_reply);
    pass.expect_bounded_memory();

    // The same host and pages with per_host_concurrency = 3: the server does see overlap, so
    // the assertion above can fail.
    let slow2 = HttpServer::start();
    for p in ["/s1", "/s2", "/s3"] {
        slow2.route(
            p,
            vec![Reply::Delayed {
                delay: Duration::from_millis(400),
                reply: Box::new(Reply::html(&carrier_page(POLICY, p))),
            }],
        );
    }
    let env = Env::new();
    write_config(
        &env,
        &format!("{FAST}per_host_concurrency = 3\n"),
        &[
            TestTarget::new("s1", &slow2.url("/s1")),
            TestTarget::new("s2", &slow2.url("/s2")),
            TestTarget::new("s3", &slow2.url("/s3")),
        ],
        None,
    );
    check(&env).run.expect_code(0);
    assert!(slow2.max_busy.load(std::sync::atomic::Ordering::SeqCst) > 1);
}

#[test]
fn per_host_delay_spaces_requests() {
    let server = HttpServer::start();
    for p in ["/a", "/b", "/c"] {
        server.page(p, &carrier_page(POLICY, p));
    }
    let env = Env::new();
    write_config(
        &env,
        "timeout = \"2s\"\nallow_private_addresses = true\nper_host_delay = \"400ms\"\nretries = 0\n",
        &[
            TestTarget::new("a", &server.url("/a")),
            TestTarget::new("b", &server.url("/b")),
            TestTarget::new("c", &server.url("/c")),
        ],
        None,
    );
    let pass = check(&env);
    pass.run.expect_code(0);
    assert_eq!(pass.run.lines(), vec!["NEW a", "NEW b", "NEW c"]);
    for p in ["/robots.txt", "/a", "/b", "/c"] {
        assert_eq!(server.hits(p), 1, "{p}");
    }
    // Four requests to one host start on slots 400 ms apart (the spacing itself is unit-tested
    // in fetch::politeness), so the pass takes at least three delays. A lower bound only: a
    // loaded machine makes the pass longer, never shorter; without the delay it takes a few
    // milliseconds.
    assert!(
        pass.elapsed >= Duration::from_millis(3 * 400),
        "four requests in {:?}",
        pass.elapsed
    );
    pass.expect_bounded_memory();
}

#[test]
fn a_redirect_does_not_lead_around_robots_txt() {
    let server = server_with_good_page();
    server.route(
        "/robots.txt",
        vec![Reply::robots("User-agent: *\nDisallow: /private/\n")],
    );
    let private = server.url("/private/terms");
    server.route(
        "/public/terms",
        vec![Reply::redirect(302, private.as_str())],
    );
    server.page("/private/terms", &carrier_page(POLICY, "private"));
    let pass = check_fast(&[
        TestTarget::new("hop", &server.url("/public/terms")),
        TestTarget::new("good", &server.url("/good")),
    ]);
    pass.run.expect_code(1);
    assert_eq!(
        pass.run.lines(),
        vec![
            format!(
                "ERROR hop: blocked by robots.txt at {}",
                server.url("/robots.txt")
            ),
            "NEW good".to_string(),
        ]
    );
    assert_eq!(server.hits("/private/terms"), 0);
}

#[test]
fn a_silent_robots_txt_is_named_as_the_cause() {
    let good = server_with_good_page();
    let silent = HttpServer::start();
    silent.route("/robots.txt", vec![Reply::NoAnswer]);
    silent.page("/terms", &carrier_page(POLICY, "x"));
    let pass = check_fast(&[
        TestTarget::new("bad", &silent.url("/terms")),
        TestTarget::new("good", &good.url("/good")),
    ]);
    pass.expect_bad_then_good(&format!(
        "cannot read robots.txt at {}: timeout after 2 s",
        silent.url("/robots.txt")
    ));
    assert_eq!(silent.hits("/terms"), 0);
}
