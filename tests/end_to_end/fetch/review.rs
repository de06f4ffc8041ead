//! Fetch faults, end to end: crawl-delay bounds, robots.txt redirects and TLS classification (fixes from a review).

use super::*;

/// `Crawl-delay: 1e20` once panicked converting to a `Duration` (the cap was applied after the
/// conversion). The delay spaces requests to one host, so a single page is fetched at once.
#[test]
fn absurd_crawl_delay_neither_panics_nor_stalls() {
    let good = server_with_good_page();
    let host = HttpServer::start();
    host.route(
        "/robots.txt",
        vec![Reply::robots("User-agent: *\nCrawl-delay: 1e20\n")],
    );
    host.page("/terms", &carrier_page(POLICY, "delay"));
    let pass = check_fast(&[
        TestTarget::new("terms", &host.url("/terms")),
        TestTarget::new("good", &good.url("/good")),
    ]);
    pass.run.expect_code(0);
    assert_eq!(
        pass.run.lines(),
        vec!["NEW terms", "NEW good"],
        "{}",
        pass.run.stderr()
    );
    assert!(
        !pass.run.stderr().contains("panicked"),
        "{}",
        pass.run.stderr()
    );
    assert!(pass.elapsed < Duration::from_secs(5), "{:?}", pass.elapsed);
    pass.expect_bounded_memory();
}

/// Between two requests to one host, an absurd crawl-delay is honoured only up to
/// `MAX_CRAWL_DELAY` (other spellings, such as `inf`, are covered by the unit tests).
#[tokio::test]
async fn absurd_crawl_delay_is_capped_between_requests() {
    let server = HttpServer::start();
    server.route(
        "/robots.txt",
        vec![Reply::robots("User-agent: *\nCrawl-delay: 1e20\n")],
    );
    server.page("/a", &carrier_page(POLICY, "a"));
    server.page("/b", &carrier_page(POLICY, "b"));
    let fetcher = Fetcher::new(&settings(true)).unwrap();
    for path in ["/a", "/b"] {
        let url = url::Url::parse(&server.url(path)).unwrap();
        let fetched = tokio::time::timeout(
            MAX_CRAWL_DELAY + Duration::from_secs(5),
            get(&fetcher, &url, None, false),
        )
        .await
        .expect("the crawl-delay is capped")
        .unwrap();
        assert!(matches!(fetched, Fetched::Page(_)), "{fetched:?}");
    }
    let gap = server.requests("/b")[0].at - server.requests("/a")[0].at;
    assert!(
        gap >= MAX_CRAWL_DELAY - Duration::from_millis(100),
        "{gap:?} apart: the crawl-delay is honoured up to the cap"
    );
}

/// RFC 9309 §2.3.1.2: redirects of robots.txt are followed (at least five), and the rules found
/// apply to the original host.
#[test]
fn robots_txt_redirects_are_followed() {
    let server = server_with_good_page();
    server.route(
        "/robots.txt",
        vec![Reply::redirect(301, "/real-robots.txt")],
    );
    server.route(
        "/real-robots.txt",
        vec![Reply::robots("User-agent: *\nDisallow: /private/\n")],
    );
    server.page("/private/terms", &carrier_page(POLICY, "private"));
    let pass = check_fault(&server, &server.url("/private/terms"));
    assert_eq!(
        pass.expect_bad_then_good("blocked by robots.txt"),
        format!("blocked by robots.txt at {}", server.url("/robots.txt"))
    );
    assert_eq!(
        server.hits("/private/terms"),
        0,
        "the page is never requested"
    );
    assert_eq!(server.hits("/robots.txt"), 1);
    assert_eq!(server.hits("/real-robots.txt"), 1);

    // Five redirects, across hosts: still followed.
    let rules = HttpServer::start();
    rules.route(
        "/robots.txt",
        vec![Reply::robots("User-agent: *\nDisallow: /private/\n")],
    );
    let far = HttpServer::start();
    far.route("/robots.txt", vec![Reply::redirect(302, "/r1")]);
    far.route("/r1", vec![Reply::redirect(307, "/r2")]);
    far.route("/r2", vec![Reply::redirect(308, "/r3")]);
    far.route("/r3", vec![Reply::redirect(301, "/r4")]);
    far.route("/r4", vec![Reply::redirect(302, &rules.url("/robots.txt"))]);
    far.page("/private/terms", &carrier_page(POLICY, "far"));
    far.page("/public/terms", &carrier_page(POLICY, "public"));
    let pass = check_fast(&[
        TestTarget::new("private", &far.url("/private/terms")),
        TestTarget::new("public", &far.url("/public/terms")),
        TestTarget::new("good", &server.url("/good")),
    ]);
    pass.run.expect_code(1);
    assert_eq!(
        pass.run.lines(),
        vec![
            format!(
                "ERROR private: blocked by robots.txt at {}",
                far.url("/robots.txt")
            ),
            "NEW public".to_string(),
            "NEW good".to_string(),
        ],
        "{}",
        pass.run.stderr()
    );
    assert_eq!(far.hits("/private/terms"), 0);
    assert_eq!(
        rules.hits("/robots.txt"),
        1,
        "read once, cached for the host"
    );
}

/// More than five redirects, or a loop: no robots.txt can be found, which RFC 9309 treats as
/// "unavailable" (like a 404): everything is allowed.
#[test]
fn robots_txt_redirect_loop_or_chain_too_long_allows_all() {
    let server = server_with_good_page();
    let looping = HttpServer::start();
    looping.route("/robots.txt", vec![Reply::redirect(302, "/a")]);
    looping.route("/a", vec![Reply::redirect(302, "/robots.txt")]);
    looping.page("/private/terms", &carrier_page(POLICY, "loop"));
    let long = HttpServer::start();
    long.route("/robots.txt", vec![Reply::redirect(302, "/r1")]);
    for i in 1..=6 {
        long.route(
            &format!("/r{i}"),
            vec![Reply::redirect(302, &format!("/r{}", i + 1))],
        );
    }
    long.route("/r7", vec![Reply::robots("User-agent: *\nDisallow: /\n")]);
    long.page("/private/terms", &carrier_page(POLICY, "long"));
    let pass = check_fast(&[
        TestTarget::new("loop", &looping.url("/private/terms")),
        TestTarget::new("long", &long.url("/private/terms")),
        TestTarget::new("good", &server.url("/good")),
    ]);
    pass.run.expect_code(0);
    assert_eq!(
        pass.run.lines(),
        vec!["NEW loop", "NEW long", "NEW good"],
        "{}",
        pass.run.stderr()
    );
    assert_eq!(
        looping.hits("/robots.txt"),
        1,
        "a loop is not followed round"
    );
    assert_eq!(looping.hits("/a"), 1);
    assert_eq!(long.hits("/r5"), 1, "five redirects are followed");
    assert_eq!(long.hits("/r6"), 0, "the sixth is not");
    assert_eq!(long.hits("/r7"), 0);
}

/// Every robots.txt redirect hop goes through the address guard: 0.0.0.0 would reach this very
/// server, so its never being asked proves nothing connected.
#[test]
fn robots_txt_redirect_hop_is_guarded() {
    let server = server_with_good_page();
    let zero = format!("http://0.0.0.0:{}/zero-robots.txt", server.addr.port());
    let host = HttpServer::start();
    host.route("/robots.txt", vec![Reply::redirect(302, &zero)]);
    host.page("/terms", &carrier_page(POLICY, "guarded"));
    server.route(
        "/zero-robots.txt",
        vec![Reply::robots("User-agent: *\nAllow: /\n")],
    );
    let pass = check_fault(&server, &host.url("/terms"));
    assert_eq!(
        pass.expect_bad_then_good("cannot read robots.txt"),
        format!(
            "cannot read robots.txt at {}: redirect to a forbidden address (0.0.0.0)",
            host.url("/robots.txt")
        )
    );
    assert_eq!(
        server.hits("/zero-robots.txt"),
        0,
        "nothing connected to 0.0.0.0"
    );
    assert_eq!(host.hits("/terms"), 0, "the page waits for its robots.txt");
    assert_eq!(host.hits("/robots.txt"), 1, "a refusal is not retried");
}

/// A URL that happens to contain "tls", "certificate" or "handshake" must not turn an unrelated
/// failure into a TLS one: the error's own text (which includes the URL) is not searched.
#[test]
fn a_url_naming_certificates_does_not_make_a_failure_tls() {
    let server = server_with_good_page();
    let path = "/tls-certificate-handshake/terms";
    server.route(path, vec![Reply::CloseWithoutAnswer]);
    let pass = check_fault(&server, &server.url(path));
    let cause = pass.expect_bad_then_good("connection reset while reading from 127.0.0.1");
    assert!(!cause.contains("TLS"), "{cause}");
}

/// The same through the `Fetcher`, for failures that carry no I/O error of their own: a server that
/// closes without answering, and one whose body stops short of its Content-Length.
#[tokio::test]
async fn failures_at_a_tls_sounding_path_are_not_tls() {
    let server = HttpServer::start();
    server.route("/tls/certificate/closed", vec![Reply::CloseWithoutAnswer]);
    server.route(
        "/tls/certificate/short",
        vec![Reply::bytes(
            200,
            &[("Content-Type", "text/html"), ("Content-Length", "5000")],
            b"<html><body><main>cut".to_vec(),
        )],
    );
    let fetcher = Fetcher::new(&settings(true)).unwrap();
    for path in ["/tls/certificate/closed", "/tls/certificate/short"] {
        let url = url::Url::parse(&server.url(path)).unwrap();
        let err = get(&fetcher, &url, None, true).await.unwrap_err();
        assert_eq!(
            err,
            FetchError::Reset {
                host: "127.0.0.1".into()
            },
            "{path}: {err}"
        );
    }
}
