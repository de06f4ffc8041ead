//! Fetch faults, end to end: conditional GET (the validators sent, 304 answers).

use super::*;

#[tokio::test]
async fn last_modified_in_the_second_it_was_served_is_not_a_validator() {
    // A page changed twice within one second keeps its Last-Modified date: revalidating with it
    // would get a 304 for the changed page, every time after.
    let server = HttpServer::start();
    let now = httpdate::fmt_http_date(std::time::SystemTime::now());
    // Without a Date header our clock is the reference: a date after it is never a validator,
    // however slowly this test runs.
    let soon = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
    let old = "Wed, 21 Oct 2026 07:28:00 GMT";
    let page = carrier_page(POLICY, "x");
    let cases = [
        (
            "/fresh",
            Reply::html(&page)
                .with_header("Last-Modified", &now)
                .with_header("Date", &now),
            None,
        ),
        (
            "/no-date",
            Reply::html(&page).with_header("Last-Modified", &soon),
            None,
        ),
        (
            "/garbled",
            Reply::html(&page).with_header("Last-Modified", "yesterday"),
            None,
        ),
        (
            "/old",
            Reply::html(&page)
                .with_header("Last-Modified", old)
                .with_header("Date", &now),
            Some(old),
        ),
    ];
    let fetcher = Fetcher::new(&settings(true)).unwrap();
    for (path, reply, expected) in cases {
        server.route(path, vec![reply]);
        let url = url::Url::parse(&server.url(path)).unwrap();
        let page = fetch_unconditionally(&fetcher, &url).await;
        assert_eq!(page.validators.last_modified.as_deref(), expected, "{path}");
    }
}

/// A plain GET (no validators) that must give a page.
async fn fetch_unconditionally(fetcher: &Fetcher, url: &url::Url) -> Box<policywatch::fetch::Page> {
    let fetched = get(fetcher, url, None, false).await.unwrap();
    let Fetched::Page(page) = fetched else {
        panic!("{url}: expected the page, got {fetched:?}")
    };
    page
}

#[tokio::test]
async fn not_modified_on_revalidation() {
    let server = HttpServer::start();
    let last_modified = "Wed, 21 Oct 2026 07:28:00 GMT";
    server.route(
        "/terms",
        vec![Reply::Conditional {
            etag: "\"v1\"".into(),
            last_modified: Some(last_modified.into()),
            reply: Box::new(Reply::html(&carrier_page(POLICY, "v1"))),
        }],
    );
    let url = url::Url::parse(&server.url("/terms")).unwrap();
    let fetcher = Fetcher::new(&settings(true)).unwrap();

    // First fetch: the page, with its validators.
    let page = fetch_unconditionally(&fetcher, &url).await;
    assert_eq!(
        page.validators,
        Validators {
            etag: Some("\"v1\"".into()),
            last_modified: Some(last_modified.into()),
        }
    );
    let plain = &server.requests("/terms")[0];
    assert!(!plain.headers.contains_key("if-none-match"));
    assert!(!plain.headers.contains_key("if-modified-since"));

    // Revalidation: both validators are sent, and 304 is NotModified.
    let again = get(&fetcher, &url, Some(&page.validators), false)
        .await
        .unwrap();
    assert_eq!(again, Fetched::NotModified { url: url.clone() });
    let seen = server.requests("/terms");
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[1].headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    assert_eq!(
        seen[1].headers.get("if-modified-since").map(String::as_str),
        Some(last_modified)
    );

    // A stale ETag: the page again.
    let stale = Validators {
        etag: Some("\"v0\"".into()),
        last_modified: None,
    };
    let third = get(&fetcher, &url, Some(&stale), false).await.unwrap();
    assert!(matches!(third, Fetched::Page(_)), "{third:?}");
    assert_eq!(server.hits("/robots.txt"), 1, "robots.txt is cached");
}

#[test]
fn not_modified_end_to_end_is_unchanged() {
    let server = server_with_good_page();
    server.route(
        "/cond",
        vec![Reply::Conditional {
            etag: "W/\"42\"".into(),
            last_modified: None,
            reply: Box::new(Reply::html(&carrier_page(POLICY, "cond"))),
        }],
    );
    let env = Env::new();
    write_config(
        &env,
        FAST,
        &[
            TestTarget::new("cond", &server.url("/cond")),
            TestTarget::new("good", &server.url("/good")),
        ],
        None,
    );
    let first = check(&env);
    first.run.expect_code(0);
    assert_eq!(first.run.lines(), vec!["NEW cond", "NEW good"]);
    let pass = check(&env);
    pass.run.expect_code(0);
    assert_eq!(pass.run.lines(), vec!["UNCHANGED cond", "UNCHANGED good"]);
    let seen = server.requests("/cond");
    assert_eq!(
        seen.len(),
        2,
        "one request per check: the 304 is the answer"
    );
    assert_eq!(
        seen[1].headers.get("if-none-match").map(String::as_str),
        Some("W/\"42\"")
    );
    pass.expect_bounded_memory();
}
