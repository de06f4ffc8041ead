//! Fetch faults, end to end: redirects and the address guard on every hop.

use super::*;

#[test]
fn redirect_loop() {
    let server = server_with_good_page();
    server.route("/loop-a", vec![Reply::redirect(302, "/loop-b")]);
    server.route("/loop-b", vec![Reply::redirect(301, "/loop-a")]);
    let pass = check_fault(&server, &server.url("/loop-a"));
    let cause = pass.expect_bad_then_good("redirect loop");
    assert_eq!(cause, format!("redirect loop at {}", server.url("/loop-a")));
    assert_eq!(server.hits("/loop-a"), 1, "a loop is not retried");
    assert_eq!(server.hits("/loop-b"), 1);
}

#[test]
fn redirect_to_link_local_or_unspecified_is_refused_even_with_private_allowed() {
    let server = server_with_good_page();
    server.route(
        "/to-metadata",
        vec![Reply::redirect(
            302,
            "http://169.254.169.254/latest/meta-data/",
        )],
    );
    // 0.0.0.0 would reach this very server (it connects to the local host): proof by absence.
    let secret = format!("http://0.0.0.0:{}/secret", server.addr.port());
    server.page("/secret", &carrier_page(POLICY, "secret"));
    server.route("/to-zero", vec![Reply::redirect(307, secret.as_str())]);
    // FAST has allow_private_addresses = true.
    let pass = check_fast(&[
        TestTarget::new("metadata", &server.url("/to-metadata")),
        TestTarget::new("zero", &server.url("/to-zero")),
        TestTarget::new("good", &server.url("/good")),
    ]);
    pass.run.expect_code(1);
    assert_eq!(
        pass.run.lines(),
        vec![
            "ERROR metadata: redirect to a forbidden address (169.254.169.254)",
            "ERROR zero: redirect to a forbidden address (0.0.0.0)",
            "NEW good",
        ],
        "{}",
        pass.run.stderr()
    );
    assert_eq!(server.hits("/secret"), 0, "nothing connected to 0.0.0.0");
    assert_eq!(server.hits("/to-metadata"), 1, "a refusal is not retried");
    // Refused before connecting: the error is the refusal, which is only ever decided before a
    // connection (a connect attempt to 169.254.169.254 would end as a timeout instead).
    pass.expect_bounded_memory();
}

#[tokio::test]
async fn private_address_refused_unless_allowed() {
    let server = HttpServer::start();
    server.page("/page", &carrier_page(POLICY, "private"));
    let strict = Fetcher::new(&settings(false)).unwrap();

    // A literal address: refused before connecting.
    let url = url::Url::parse(&server.url("/page")).unwrap();
    let err = get(&strict, &url, None, false).await.unwrap_err();
    assert_eq!(
        err,
        FetchError::PrivateAddress {
            what: "refused",
            addr: "127.0.0.1".into()
        }
    );
    assert!(
        err.to_string()
            .contains("a private address (127.0.0.1); set allow_private_addresses = true"),
        "{err}"
    );
    // A name that resolves to loopback: refused by the resolver, so nothing connects either.
    let by_name =
        url::Url::parse(&format!("http://localhost:{}/page", server.addr.port())).unwrap();
    let err = get(&strict, &by_name, None, true).await.unwrap_err();
    assert!(
        matches!(&err, FetchError::PrivateAddress { addr, .. } if addr == "127.0.0.1" || addr == "::1"),
        "{err:?}"
    );
    assert_eq!(server.hits("/robots.txt") + server.hits("/page"), 0);

    // Allowed, the same page is fetched.
    let lenient = Fetcher::new(&settings(true)).unwrap();
    let fetched = get(&lenient, &url, None, false).await.unwrap();
    assert!(
        matches!(fetched, Fetched::Page(p) if matches!(&p.body, Body::Html(h) if h.contains("3Shop")))
    );
}

/// A redirect hop to a private address while private addresses are refused: the first hop must be
/// public, which a test cannot serve, so `fetch::tests::every_redirect_hop_is_guarded` covers it
/// at the unit level. Here: the hop guard holds end to end in the other direction, a redirect
/// from a private (allowed) address to a link-local one, through `Fetcher` itself.
#[tokio::test]
async fn redirect_hop_is_guarded_through_the_fetcher() {
    let server = HttpServer::start();
    server.route(
        "/hop",
        vec![Reply::redirect(301, "http://[::ffff:169.254.169.254]/")],
    );
    let url = url::Url::parse(&server.url("/hop")).unwrap();
    let lenient = Fetcher::new(&settings(true)).unwrap();
    let err = get(&lenient, &url, None, true).await.unwrap_err();
    assert_eq!(
        err,
        FetchError::ForbiddenAddress {
            what: "redirect to",
            addr: "::ffff:169.254.169.254".into()
        }
    );
}
