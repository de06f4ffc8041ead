//! The command line end to end: `inspect` when things go wrong.

use super::*;

/// `inspect --file` on a carrier page, with `extra` arguments.
fn inspect_file(env: &Env, extra: &[&str]) -> Run {
    let page = env.dir.path().join("page.html");
    std::fs::write(&page, carrier_page(POLICY, "x")).unwrap();
    let mut args = vec!["inspect", "--file", page.to_str().unwrap()];
    args.extend_from_slice(extra);
    env.run(&args)
}

#[test]
fn inspect_ends_with_an_unknown_verdict_when_the_selector_matches_nothing() {
    let env = Env::new();
    let r = inspect_file(&env, &["--select", "#no-such-element"]);
    r.expect_code(1);
    let lines = r.lines();
    assert_eq!(
        lines.last().map(String::as_str),
        Some("VERDICT online-cancellation: unknown"),
        "{}",
        r.stdout()
    );
    let error = &lines[lines.len() - 2];
    assert!(error.starts_with("# error: "), "{}", r.stdout());
    assert!(error.contains("#no-such-element"), "{}", r.stdout());
    assert!(lines[0].starts_with("# page: "), "{}", r.stdout());

    // The same selection that matches: exit 0 and a real verdict.
    let r = inspect_file(&env, &["--select", "main"]);
    r.expect_code(0);
    assert_eq!(
        r.lines().last().map(String::as_str),
        Some("VERDICT online-cancellation: not-supported"),
        "{}",
        r.stdout()
    );
}

#[test]
fn inspect_ends_with_an_unknown_verdict_when_the_page_cannot_be_fetched() {
    let server = HttpServer::start();
    server.route("/gone", vec![Reply::status(404)]);
    let env = Env::new();
    let r = env.run(&["inspect", &server.url("/gone"), "--allow-private-addresses"]);
    r.expect_code(1);
    let lines = r.lines();
    assert_eq!(
        lines.last().map(String::as_str),
        Some("VERDICT online-cancellation: unknown"),
        "{}",
        r.stdout()
    );
    assert!(
        lines[lines.len() - 2].starts_with("# error: "),
        "{}",
        r.stdout()
    );
}

#[test]
fn inspect_of_a_file_or_url_sets_an_invalid_config_aside() {
    let env = Env::new();
    std::fs::write(&env.config, "[[target]]\nname = \"a\"\nshedule = \"x\"\n").unwrap();
    let r = inspect_file(&env, &["--select", "main"]);
    r.expect_code(0);
    assert_eq!(
        r.lines().last().map(String::as_str),
        Some("VERDICT online-cancellation: not-supported"),
        "{}",
        r.stdout()
    );
    assert!(r.stderr().contains("ignoring the config"), "{}", r.stderr());
    assert!(r.stderr().contains("policywatch.toml:"), "{}", r.stderr());

    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY, "a"));
    let r = env.run(&[
        "inspect",
        &server.url("/terms"),
        "--allow-private-addresses",
        "--select",
        "main",
    ]);
    r.expect_code(0);
    assert!(r.stderr().contains("ignoring the config"), "{}", r.stderr());

    // A target name does need the config: its error stands.
    let r = env.run(&["inspect", "a"]);
    r.expect_code(2);
    assert!(r.stderr().contains("shedule"), "{}", r.stderr());
}

#[test]
fn inspect_of_a_target_honours_its_ignore_robots() {
    let server = HttpServer::start();
    server.route(
        "/robots.txt",
        vec![Reply::robots("User-agent: *\nDisallow: /private/\n")],
    );
    server.page("/private/terms", &carrier_page(POLICY, "own"));
    let mut own = TestTarget::new("own", &server.url("/private/terms"));
    own.extra = "ignore_robots = true".into();
    let env = Env::new();
    env.write_config(
        &[
            own,
            TestTarget::new("theirs", &server.url("/private/terms")),
        ],
        None,
        "",
    );

    let r = env.run(&["inspect", "own"]);
    r.expect_code(0);
    assert_eq!(
        r.lines().last().map(String::as_str),
        Some("VERDICT online-cancellation: not-supported"),
        "{}\n{}",
        r.stdout(),
        r.stderr()
    );

    let r = env.run(&["inspect", "theirs"]);
    r.expect_code(1);
    assert!(r.stdout().contains("robots.txt"), "{}", r.stdout());
    assert_eq!(
        server.hits("/private/terms"),
        1,
        "only `own` fetched the page"
    );
}
