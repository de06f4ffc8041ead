//! Fetch faults, end to end: robots.txt and DNS failures.

use super::*;

#[test]
fn robots_disallow_names_robots_txt_and_never_requests_the_page() {
    let server = server_with_good_page();
    server.route(
        "/robots.txt",
        vec![Reply::robots("User-agent: *\nDisallow: /private/\n")],
    );
    server.page("/private/terms", &carrier_page(POLICY, "private"));
    server.page("/private/own", &carrier_page(POLICY, "own"));
    let mut own = TestTarget::new("own", &server.url("/private/own"));
    own.extra = "ignore_robots = true".into();
    let pass = check_fast(&[
        TestTarget::new("bad", &server.url("/private/terms")),
        own,
        TestTarget::new("good", &server.url("/good")),
    ]);
    pass.run.expect_code(1);
    assert_eq!(
        pass.run.lines(),
        vec![
            format!(
                "ERROR bad: blocked by robots.txt at {}",
                server.url("/robots.txt")
            ),
            "NEW own".to_string(),
            "NEW good".to_string(),
        ],
        "{}",
        pass.run.stderr()
    );
    assert_eq!(
        server.hits("/private/terms"),
        0,
        "the page is never requested"
    );
    assert_eq!(
        server.hits("/private/own"),
        1,
        "ignore_robots = true fetches it"
    );
    assert_eq!(server.hits("/robots.txt"), 1, "read once per host and pass");
    pass.expect_bounded_memory();
}

#[test]
fn robots_txt_is_read_once_a_day_across_processes() {
    let server = server_with_good_page();
    server.route(
        "/robots.txt",
        vec![Reply::robots("User-agent: *\nDisallow: /private/\n")],
    );
    server.page("/private/terms", &carrier_page(POLICY, "private"));
    let env = Env::new();
    write_config(
        &env,
        FAST,
        &bad_and_good(&server, &server.url("/private/terms")),
        None,
    );
    let blocked = format!(
        "ERROR bad: blocked by robots.txt at {}",
        server.url("/robots.txt")
    );
    for pass in 1..=2 {
        let run = env.run(&["check"]);
        run.expect_code(1);
        assert_eq!(run.lines()[0], blocked, "pass {pass}: {}", run.stderr());
    }
    // The second process used the first one's copy: the rules still held, unasked.
    assert_eq!(server.hits("/robots.txt"), 1);
    assert_eq!(server.hits("/private/terms"), 0);
    // A copy older than a day is not trusted: asked again.
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute("UPDATE robots SET read_at = read_at - 86401", [])
        .unwrap();
    assert_eq!(env.run(&["check"]).lines()[0], blocked);
    assert_eq!(server.hits("/robots.txt"), 2);
    assert_eq!(server.hits("/private/terms"), 0);
}

#[test]
fn robots_txt_unavailable_is_retried_within_the_pass() {
    let server = server_with_good_page();
    // 503 for robots.txt means "not now" (RFC 9309: assume all is disallowed); the next try
    // finds none, so everything is allowed.
    server.route("/robots.txt", vec![Reply::status(503), Reply::status(404)]);
    server.page("/terms", &carrier_page(POLICY, "terms"));
    let pass = check_fast(&[
        TestTarget::new("terms", &server.url("/terms")),
        TestTarget::new("good", &server.url("/good")),
    ]);
    pass.run.expect_code(0);
    assert_eq!(pass.run.lines(), vec!["NEW terms", "NEW good"]);
    assert_eq!(server.hits("/robots.txt"), 2);

    // Still unavailable after the retries: an error naming robots.txt, and the page is not asked.
    // (The good target is on another host: this host's pages all wait for its robots.txt.)
    let down = HttpServer::start();
    down.route("/robots.txt", vec![Reply::status(503)]);
    let pass = check_fault(&server, &down.url("/terms"));
    pass.expect_bad_then_good(&format!(
        "robots.txt at {} unavailable (HTTP 503)",
        down.url("/robots.txt")
    ));
    assert_eq!(down.hits("/robots.txt"), 2);
    assert_eq!(down.hits("/terms"), 0);
}

#[test]
fn dns_failure_is_named() {
    let server = server_with_good_page();
    let pass = check_fault(&server, "http://no-such-host.invalid/terms");
    assert_eq!(
        pass.expect_bad_then_good("DNS failure for no-such-host.invalid"),
        "DNS failure for no-such-host.invalid"
    );
}
