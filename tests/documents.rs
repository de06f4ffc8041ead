//! End to end: what kind of document a target serves. A static page that is an app shell is
//! named as one in `check` and `inspect`; a `render = "browser"` page whose `wait_for` selector
//! never appears fails clearly (tests/browser.rs has the rest of the browser backend).

mod common;

use common::*;

const SHELL: &str = r#"<!doctype html><html><head><title>Account</title>
<script defer src="/static/js/main.4f2a9c.js"></script></head>
<body><noscript>You need to enable JavaScript to run this app.</noscript><main><div id="root"></div></main></body></html>"#;

const HINT: &str = "this page builds its text with JavaScript: try render = \"browser\"";

#[test]
fn an_app_shell_is_named_in_check_and_inspect() {
    let server = HttpServer::start();
    server.page("/app", SHELL);
    let env = Env::new();
    env.write_config(&[TestTarget::new("shell", &server.url("/app"))], None, "");

    let r = env.run(&["check"]);
    r.expect_code(1);
    assert_eq!(
        r.lines(),
        vec![format!("ERROR shell: the selection holds no text; {HINT}")]
    );

    let r = env.run(&["inspect", "shell"]);
    r.expect_code(1);
    let out = r.stdout();
    assert!(
        out.contains(&format!("# error: the selection holds no text; {HINT}")),
        "{out}"
    );
    assert!(
        out.ends_with("VERDICT online-cancellation: unknown\n"),
        "{out}"
    );

    // A page with text is not an app shell, whatever scripts it loads.
    server.page(
        "/app",
        &format!(
            "<html><body><main><div id=\"root\">{}</div></main><script src=\"/a.js\"></script></body></html>",
            "<p>To terminate the service, please visit any 3Shop in person with your ID card.</p>"
                .repeat(4)
        ),
    );
    let r = env.run(&["inspect", "shell"]);
    r.expect_code(0);
    assert!(!r.stdout().contains("# hint"), "{}", r.stdout());
    assert!(!r.stdout().contains("JavaScript"), "{}", r.stdout());
}

#[test]
fn a_browser_target_whose_selector_never_appears_says_so() {
    let server = HttpServer::start();
    server.page("/app", SHELL);
    let env = Env::new();
    let mut t = TestTarget::new("js", &server.url("/app"));
    t.extra = "render = \"browser\"\nwait_for = \"#root p\"\n".into();
    env.write_config(&[t], None, "");
    let r = env.run(&["check-config"]);
    r.expect_code(0);
    let r = env.run(&["check"]);
    r.expect_code(1);
    assert_eq!(
        r.lines(),
        vec!["ERROR js: wait_for selector `#root p` never appeared within 5 s"]
    );
    // The hint is for static pages only.
    assert!(!r.stderr().contains(HINT), "{}", r.stderr());
}
