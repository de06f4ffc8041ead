//! Alerts users can trust: confirmation, flapping, reverts, lost evidence, failure streaks, page
//! moves, the outbox across crashes, and emails that parse. Real binary, real servers.

use crate::common;

use std::io::Read;
use std::net::TcpListener;
use std::process::Stdio;
use std::time::Duration;

use common::*;
use mail_parser::{HeaderValue, MimeHeaders};

const A: &str =
    "<h2>Termination</h2><p>To terminate the service, please visit any 3Shop in person.</p>";
const B: &str =
    "<h2>Termination</h2><p>You may terminate the service online through My Account.</p>";

fn setup(extra: &str) -> (HttpServer, SmtpServer, Env) {
    let server = HttpServer::start();
    let smtp = start_smtp();
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", &server.url("/terms"))],
        Some(&smtp_section(smtp.port)),
        extra,
    );
    (server, smtp, env)
}

fn settle() {
    std::thread::sleep(Duration::from_millis(200));
}

fn subjects(smtp: &SmtpServer) -> Vec<String> {
    smtp.mailbox
        .raw()
        .iter()
        .map(|m| parse_mail(m).subject().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn flapping_page_never_alerts_and_is_mentioned_once_in_the_digest() {
    let (server, smtp, env) = setup("");
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    // A/B alternating: every change is contradicted by the confirming fetch.
    let mut alternating = Vec::new();
    for i in 0..20 {
        alternating.push(Reply::html(&carrier_page(
            if i % 2 == 0 { B } else { A },
            "n",
        )));
    }
    server.route("/terms", alternating);
    for _ in 0..4 {
        let r = env.run(&["check"]);
        r.expect_code(0);
        assert!(
            r.stdout().starts_with("UNCHANGED t1 (flapping"),
            "{}",
            r.stdout()
        );
    }
    settle();
    // No change alert; the first pass that flapped queued the day's digest, which names it.
    let s = subjects(&smtp);
    assert_eq!(
        s,
        vec!["[policywatch] daily digest: 0 minor changes, 1 flapping"]
    );
    let digest = parse_mail(&smtp.mailbox.raw()[0])
        .body_text(0)
        .unwrap()
        .to_string();
    assert!(digest.contains("t1: 1 time(s)"), "{digest}");
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    assert_eq!(
        store.counts("t1").unwrap().1,
        1,
        "no version stored for a flap"
    );
}

#[test]
fn change_and_revert_give_two_alerts_the_second_labelled_revert_and_threaded() {
    let (server, smtp, env) = setup("");
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &carrier_page(B, "1"));
    let r = env.run(&["check"]);
    assert!(
        r.stdout()
            .starts_with("CHANGED t1 verdict online-cancellation=supported"),
        "{}",
        r.stdout()
    );
    server.page("/terms", &carrier_page(A, "2"));
    let r = env.run(&["check"]);
    assert!(
        r.stdout().starts_with("CHANGED t1 verdict"),
        "{}",
        r.stdout()
    );

    let mails = smtp.mailbox.wait_for(2);
    assert_eq!(mails.len(), 2);
    let first = parse_mail(&mails[0]);
    let second = parse_mail(&mails[1]);
    let s1 = first.subject().unwrap();
    let s2 = second.subject().unwrap();
    assert_eq!(
        s1,
        "[policywatch] Test Carrier: t1: online cancellation not-supported → supported"
    );
    assert!(
        s2.starts_with("[policywatch] Test Carrier: t1: reverted to the wording of "),
        "{s2}"
    );
    assert!(
        s2.ends_with("(online cancellation supported → not-supported)"),
        "{s2}"
    );
    // The flip leads the body, with evidence before and after.
    let body = first.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(
        body.starts_with("t1: online cancellation not-supported → supported"),
        "{body}"
    );
    assert!(
        body.contains(
            "Before:\n  \"To terminate the service, please visit any 3Shop in person.\" [offline]"
        ),
        "{body}"
    );
    assert!(
        body.contains(
            "After:\n  \"You may terminate the service online through My Account.\" [online]"
        ),
        "{body}"
    );
    // Threading: both refer to the same per-target thread; Message-IDs differ.
    let thread = |m: &mail_parser::Message| match m.in_reply_to() {
        HeaderValue::Text(t) => t.to_string(),
        HeaderValue::TextList(l) => l[0].to_string(),
        other => panic!("no In-Reply-To: {other:?}"),
    };
    assert_eq!(thread(&first), thread(&second));
    assert_eq!(thread(&first), "thread.t1@example.org");
    assert!(matches!(
        first.references(),
        HeaderValue::Text(_) | HeaderValue::TextList(_)
    ));
    assert_ne!(first.message_id(), second.message_id());
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    assert_eq!(
        store.counts("t1").unwrap().1,
        2,
        "the reverted wording reuses its version"
    );
}

#[test]
fn selector_lost_twice_alerts_once_and_recovery_once() {
    let (server, smtp, env) = setup("");
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    server.page(
        "/terms",
        "<html><body><div class=new>Redesigned. Terminate online now!</div></body></html>",
    );
    for _ in 0..3 {
        let r = env.run(&["check"]);
        r.expect_code(1);
        assert_eq!(
            r.lines(),
            vec!["ERROR t1: selector `main` matched nothing on the page"]
        );
    }
    settle();
    assert_eq!(
        subjects(&smtp),
        vec!["[policywatch] Test Carrier: t1: cancellation evidence lost"]
    );
    server.page("/terms", &carrier_page(A, "1"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED t1"]);
    env.run(&["check"]).expect_code(0);
    smtp.mailbox.wait_for(2);
    settle();
    assert_eq!(
        subjects(&smtp),
        vec![
            "[policywatch] Test Carrier: t1: cancellation evidence lost",
            "[policywatch] Test Carrier: t1: cancellation wording found again"
        ]
    );
}

#[test]
fn vanished_cancellation_wording_waits_lost_after_checks() {
    let (server, smtp, env) = setup("");
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    server.page(
        "/terms",
        &carrier_page("<h2>Plans</h2><p>Data is charged at $1 per MB.</p>", "1"),
    );
    let r = env.run(&["check"]);
    assert!(
        r.stdout()
            .starts_with("UNCHANGED t1 (cancellation wording missing, 1 of 2"),
        "{}",
        r.stdout()
    );
    settle();
    assert_eq!(smtp.mailbox.count(), 0);
    let r = env.run(&["check"]);
    assert!(r.stdout().starts_with("CHANGED t1"), "{}", r.stdout());
    smtp.mailbox.wait_for(1);
    assert_eq!(
        subjects(&smtp),
        vec![
            "[policywatch] Test Carrier: t1: cancellation wording no longer found (online cancellation not-supported → unknown)"
        ]
    );
    // Back: one "is back" alert, not a generic change.
    server.page("/terms", &carrier_page(A, "2"));
    env.run(&["check"]).expect_code(0);
    smtp.mailbox.wait_for(2);
    let s = subjects(&smtp);
    assert_eq!(s.len(), 2);
    assert!(s[1].contains("cancellation wording is back"), "{s:?}");
    // The wording that came back is the first version's: the alert says it is a revert.
    assert!(s[1].contains("reverted to the wording of"), "{s:?}");
}

#[test]
fn three_failures_one_failing_alert_then_one_recovered() {
    let (server, smtp, env) = setup("");
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    server.route("/terms", vec![Reply::status(404)]);
    for _ in 0..5 {
        let r = env.run(&["check"]);
        r.expect_code(1);
        assert!(
            r.stdout().starts_with("ERROR t1: HTTP 404"),
            "{}",
            r.stdout()
        );
    }
    settle();
    let s = subjects(&smtp);
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(
        s[0].starts_with("[policywatch] Test Carrier: t1: failing: HTTP 404 from"),
        "{s:?}"
    );
    server.page("/terms", &carrier_page(A, "1"));
    env.run(&["check"]).expect_code(0);
    env.run(&["check"]).expect_code(0);
    smtp.mailbox.wait_for(2);
    settle();
    let s = subjects(&smtp);
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[1], "[policywatch] Test Carrier: t1: recovered");
}

fn wall(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/walls/{name}.html",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A bot-protection page served with status 200 in place of the page is a failure named after
/// its service: never a change (a target watching the whole body would store its few words, and
/// the confirming fetch meets the same wall) and never "evidence lost" (a selector matches
/// nothing on it). Nothing is stored; a streak is one "failing" alert; the page's return is one
/// "recovered" alert and no change.
#[test]
fn a_bot_wall_is_a_failure_never_a_change() {
    let server = HttpServer::start();
    let smtp = start_smtp();
    let env = Env::new();
    let mut whole = TestTarget::new("whole", &server.url("/whole"));
    whole.select = vec!["body".into()];
    env.write_config(
        &[TestTarget::new("t1", &server.url("/terms")), whole],
        Some(&smtp_section(smtp.port)),
        "",
    );
    server.page("/terms", &carrier_page(A, "0"));
    server.page("/whole", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    let versions = || {
        rusqlite::Connection::open(env.db())
            .unwrap()
            .query_row("SELECT count(*) FROM versions", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    assert_eq!(versions(), 2);
    server.page("/terms", &wall("akamai-block"));
    server.page("/whole", &wall("cloudflare-challenge"));
    for _ in 0..3 {
        let r = env.run(&["check"]);
        r.expect_code(1);
        let mut lines = r.lines();
        lines.sort();
        assert_eq!(
            lines,
            vec![
                "ERROR t1: Akamai answered with a bot-protection block page instead of the page",
                "ERROR whole: Cloudflare answered with a bot check (challenge page) instead of the page",
            ]
        );
    }
    assert_eq!(versions(), 2, "nothing of the walls is stored");
    smtp.mailbox.wait_for(2);
    settle();
    let mut s = subjects(&smtp);
    s.sort();
    assert_eq!(
        s,
        vec![
            "[policywatch] Test Carrier: t1: failing: Akamai answered with a bot-protection block page instead of the page",
            "[policywatch] Test Carrier: whole: failing: Cloudflare answered with a bot check (challenge page) instead of the page",
        ]
    );
    // The same page as before the walls (the whole body holds the page's tokens).
    server.page("/terms", &carrier_page(A, "1"));
    server.page("/whole", &carrier_page(A, "0"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    let mut lines = r.lines();
    lines.sort();
    assert_eq!(lines, vec!["UNCHANGED t1", "UNCHANGED whole"]);
    env.run(&["check"]).expect_code(0);
    smtp.mailbox.wait_for(4);
    settle();
    let s = subjects(&smtp);
    assert_eq!(s.len(), 4, "{s:?}");
    assert!(s[2..].iter().all(|s| s.ends_with(": recovered")), "{s:?}");
    assert_eq!(versions(), 2);
}

/// A wall that comes with an error status is that status, and the status's cause names the
/// service; an error page that is no wall names none.
#[test]
fn an_error_status_names_the_bot_wall_that_came_with_it() {
    let (server, _smtp, env) = setup("");
    let html = [("content-type", "text/html; charset=utf-8")];
    server.route(
        "/terms",
        vec![Reply::bytes(
            403,
            &html,
            wall("cloudflare-challenge").into_bytes(),
        )],
    );
    let r = env.run(&["check"]);
    r.expect_code(1);
    assert_eq!(
        r.lines(),
        vec![format!(
            "ERROR t1: HTTP 403 from {}: Cloudflare answered with a bot check (challenge page) instead of the page",
            server.url("/terms")
        )]
    );
    server.route(
        "/terms",
        vec![Reply::bytes(
            403,
            &html,
            b"<html><body><h1>Forbidden</h1><p>Access denied.</p></body></html>".to_vec(),
        )],
    );
    let r = env.run(&["check"]);
    assert_eq!(
        r.lines(),
        vec![format!("ERROR t1: HTTP 403 from {}", server.url("/terms"))]
    );
    // An error body past the bound is not read on: it names no wall, whatever it starts with.
    let mut long = wall("cloudflare-challenge");
    long.push_str(&" ".repeat(200 << 10));
    server.route("/terms", vec![Reply::bytes(403, &html, long.into_bytes())]);
    let r = env.run(&["check"]);
    assert_eq!(
        r.lines(),
        vec![format!("ERROR t1: HTTP 403 from {}", server.url("/terms"))]
    );
}

#[test]
fn transient_errors_below_the_threshold_stay_silent() {
    let (server, smtp, env) = setup("");
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    server.route("/terms", vec![Reply::status(404)]);
    env.run(&["check"]).expect_code(1);
    env.run(&["check"]).expect_code(1);
    server.page("/terms", &carrier_page(A, "1"));
    env.run(&["check"]).expect_code(0);
    settle();
    assert_eq!(smtp.mailbox.count(), 0, "{:?}", subjects(&smtp));
}

#[test]
fn permanent_redirect_is_reported_once() {
    let (server, smtp, env) = setup("");
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    let new_url = server.url("/new-terms");
    server.route("/terms", vec![Reply::redirect(301, new_url.as_str())]);
    server.page("/new-terms", &carrier_page(A, "1"));
    for _ in 0..3 {
        assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);
    }
    smtp.mailbox.wait_for(1);
    settle();
    assert_eq!(
        subjects(&smtp),
        vec![format!(
            "[policywatch] Test Carrier: t1: page moved to {new_url}"
        )]
    );
}

#[test]
fn a_redirect_seen_on_the_first_check_is_not_news() {
    let (server, smtp, env) = setup("");
    let new_url = server.url("/new-terms");
    server.route("/terms", vec![Reply::redirect(301, new_url.as_str())]);
    server.page("/new-terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    env.run(&["check"]).expect_code(0);
    settle();
    assert_eq!(smtp.mailbox.count(), 0, "{:?}", subjects(&smtp));
}

#[test]
fn not_modified_is_unchanged_without_a_new_version() {
    let (server, smtp, env) = setup("");
    server.route(
        "/terms",
        vec![
            Reply::html(&carrier_page(A, "0")).with_header("ETag", "\"v1\""),
            Reply::bytes(304, &[("ETag", "\"v1\"")], Vec::new()),
        ],
    );
    env.run(&["check"]).expect_code(0);
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED t1"]);
    let reqs = server.requests("/terms");
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[1].headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    settle();
    assert_eq!(smtp.mailbox.count(), 0);
}

#[test]
fn selector_edit_rebaselines_without_alert() {
    let (server, smtp, env) = setup("");
    let page = carrier_page(A, "0").replace("<main>", "<main><aside class=promo>Promo 1</aside>");
    server.page("/terms", &page);
    env.run(&["check"]).expect_code(0);
    // The user narrows the selection; the page itself did not change.
    let mut t = TestTarget::new("t1", &server.url("/terms"));
    t.remove = vec![".promo".into()];
    env.write_config(&[t], Some(&smtp_section(smtp.port)), "");
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED t1"]);
    settle();
    assert_eq!(smtp.mailbox.count(), 0);
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    let current = store.current("t1").unwrap().unwrap();
    assert!(!current.blocks.iter().any(|b| b.contains("Promo")));
}

#[test]
fn page_script_is_escaped_and_headers_are_clean() {
    let (server, smtp, env) = setup("");
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    let evil = "<h2>Termination</h2><p>To terminate, visit a shop. &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;</p>";
    server.page("/terms", &carrier_page(evil, "1"));
    env.run(&["check"]).expect_code(0);
    let mails = smtp.mailbox.wait_for(1);
    let m = parse_mail(&mails[0]);
    let html = m.body_html(0).unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(
        html.contains("&lt;script&gt;") || html.contains("&lt;</ins>"),
        "{html}"
    );
    let text = m.body_text(0).unwrap();
    assert!(
        text.contains("<script>alert(1)</script>"),
        "plain text keeps the words: {text}"
    );
    assert_eq!(
        m.header_raw("Auto-Submitted").map(str::trim),
        Some("auto-generated")
    );
    let ct = m.content_type().unwrap();
    assert_eq!(
        (ct.ctype(), ct.subtype()),
        ("multipart", Some("alternative"))
    );
    assert_eq!(m.text_body.len(), 1);
    assert_eq!(m.html_body.len(), 1);
}

/// An SMTP server that accepts and never answers: a check that found a change hangs in the send,
/// after the commit, so it can be killed exactly there.
fn silent_smtp() -> (TcpListener, u16) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    (l, port)
}

#[test]
fn killed_between_commit_and_send_delivers_after_restart_with_the_same_message_id() {
    let server = HttpServer::start();
    let (listener, port) = silent_smtp();
    let accept = std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming().take(1) {
            held.push(c);
        }
        std::thread::sleep(Duration::from_secs(30));
        drop(held);
    });
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", &server.url("/terms"))],
        Some(&smtp_section_with_timeout(port, "60s")),
        "",
    );
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &carrier_page(B, "1"));

    let mut child = env
        .command(&["check"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // stdout is written after the commit and before the send.
    let mut stdout = child.stdout.take().unwrap();
    let mut line = [0u8; 7];
    stdout.read_exact(&mut line).unwrap();
    assert_eq!(&line, b"CHANGED");
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    drop(accept);

    let store = policywatch::store::Store::open(&env.db()).unwrap();
    let pending = store.pending_alerts().unwrap();
    assert_eq!(pending.len(), 1, "the alert survived the kill");
    let id = pending[0].message.message_id.clone();
    drop(store);

    let smtp = start_smtp();
    env.write_config(
        &[TestTarget::new("t1", &server.url("/terms"))],
        Some(&smtp_section(smtp.port)),
        "",
    );
    env.run(&["check"]).expect_code(0);
    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(mails.len(), 1);
    assert_eq!(
        format!("<{}>", parse_mail(&mails[0]).message_id().unwrap()),
        id
    );
}

#[test]
fn history_diff_and_status() {
    let (server, _smtp, env) = setup("");
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &carrier_page(B, "1"));
    env.run(&["check"]).expect_code(0);

    let h = env.run(&["history", "t1"]);
    h.expect_code(0);
    let lines = h.lines();
    assert_eq!(lines.len(), 2, "{}", h.stdout());
    assert!(
        lines[0].starts_with("      1") && lines[0].contains("not-supported"),
        "{}",
        h.stdout()
    );
    assert!(
        lines[1].starts_with("*     2") && lines[1].contains(" supported"),
        "{}",
        h.stdout()
    );

    let d = env.run(&["diff", "t1"]);
    d.expect_code(0);
    let out = d.stdout();
    assert!(
        out.contains("- To terminate the service, please visit any 3Shop in person."),
        "{out}"
    );
    assert!(
        out.contains("+ You may terminate the service online through My Account."),
        "{out}"
    );
    let d = env.run(&["diff", "t1", "--from", "2", "--to", "1"]);
    assert!(
        d.stdout()
            .contains("+ To terminate the service, please visit any 3Shop in person.")
    );
    env.run(&["diff", "t1", "--from", "99"]).expect_code(1);
    env.run(&["history", "nope"]).expect_code(1);

    let s = env.run(&["status"]);
    s.expect_code(0);
    let out = s.stdout();
    assert!(
        out.contains("Test Carrier: online cancellation supported"),
        "{out}"
    );
    assert!(
        out.contains("\"You may terminate the service online through My Account.\""),
        "{out}"
    );
    assert!(out.contains("pending alerts: 0"), "{out}");
}

#[test]
fn send_test_email_reports_success_and_the_failure_cause() {
    let smtp = start_smtp();
    let env = Env::new();
    env.write_config(&[], Some(&smtp_section(smtp.port)), "");
    let r = env.run(&["send-test-email"]);
    r.expect_code(0);
    assert!(r.stdout().contains("sent a test email to me@example.org"));
    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(
        parse_mail(&mails[0]).subject(),
        Some("[policywatch] test email")
    );

    env.write_config(&[], Some(&smtp_section(free_port())), "");
    let r = env.run(&["send-test-email"]);
    r.expect_code(1);
    assert!(r.stderr().contains("connection refused"), "{}", r.stderr());
}

#[test]
fn minor_changes_wait_for_the_digest_unless_it_is_off() {
    let minor = |price: u32| format!("{A}<p>Plans from ${price} a month.</p>");
    // Digest on (the default): the first minor change of the day goes out as the day's digest,
    // the next one waits for tomorrow's.
    let (server, smtp, env) = setup("");
    server.page("/terms", &carrier_page(&minor(98), "0"));
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &carrier_page(&minor(88), "1"));
    let r = env.run(&["check"]);
    assert!(
        r.stdout().starts_with("CHANGED t1 wording"),
        "{}",
        r.stdout()
    );
    smtp.mailbox.wait_for(1);
    server.page("/terms", &carrier_page(&minor(78), "2"));
    env.run(&["check"]).expect_code(0);
    settle();
    assert_eq!(
        subjects(&smtp),
        vec!["[policywatch] daily digest: 1 minor change"]
    );
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    assert_eq!(
        store.digest_items().unwrap().len(),
        1,
        "the second change waits"
    );
    // `status` shows what waits for the digest, not "nothing pending".
    let r = env.run(&["status"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("held for the daily digest: 1"),
        "{}",
        r.stdout()
    );

    // Digest off: each change goes out on its own, and held ones are released.
    let (server, smtp, env) = setup("\n[alerts]\nconfirm_delay = \"0s\"\ndigest = \"off\"\n");
    server.page("/terms", &carrier_page(&minor(98), "0"));
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &carrier_page(&minor(88), "1"));
    env.run(&["check"]).expect_code(0);
    smtp.mailbox.wait_for(1);
    settle();
    assert_eq!(
        subjects(&smtp),
        vec!["[policywatch] Test Carrier: t1: wording changed"]
    );
}

fn tagged(html: &str, etag: &str) -> Reply {
    Reply::Conditional {
        etag: etag.into(),
        last_modified: None,
        reply: Box::new(Reply::html(html)),
    }
}

#[test]
fn a_flap_never_leaves_validators_that_hide_the_next_change() {
    let (server, smtp, env) = setup("");
    server.route("/terms", vec![tagged(&carrier_page(A, "0"), "\"a\"")]);
    env.run(&["check"]).expect_code(0);
    // B shows once, the confirming fetch sees A again: a flap.
    server.route(
        "/terms",
        vec![
            tagged(&carrier_page(B, "1"), "\"b\""),
            tagged(&carrier_page(A, "0"), "\"a\""),
            tagged(&carrier_page(B, "1"), "\"b\""),
        ],
    );
    let r = env.run(&["check"]);
    assert!(
        r.stdout().starts_with("UNCHANGED t1 (flapping"),
        "{}",
        r.stdout()
    );
    // B is now there for good: it must be seen, not hidden behind a 304 for B's ETag.
    let r = env.run(&["check"]);
    assert!(
        r.stdout().starts_with("CHANGED t1 verdict"),
        "{}",
        r.stdout()
    );
    let mails = smtp.mailbox.wait_for(2);
    let subjects: Vec<String> = mails
        .iter()
        .map(|m| parse_mail(m).subject().unwrap_or_default().to_string())
        .collect();
    assert!(
        subjects
            .iter()
            .any(|s| s.ends_with("online cancellation not-supported → supported")),
        "{subjects:?}"
    );
}

#[test]
fn lost_selection_is_noticed_even_when_the_server_sends_etags() {
    let (server, smtp, env) = setup("");
    server.route("/terms", vec![tagged(&carrier_page(A, "0"), "\"a\"")]);
    env.run(&["check"]).expect_code(0);
    server.route(
        "/terms",
        vec![tagged(
            "<html><body><div>Redesigned</div></body></html>",
            "\"r\"",
        )],
    );
    env.run(&["check"]).expect_code(1);
    let r = env.run(&["check"]);
    r.expect_code(1);
    assert_eq!(
        r.lines(),
        vec!["ERROR t1: selector `main` matched nothing on the page"]
    );
    smtp.mailbox.wait_for(1);
    settle();
    assert_eq!(
        subjects(&smtp),
        vec!["[policywatch] Test Carrier: t1: cancellation evidence lost"]
    );
}

#[test]
fn fixing_a_selector_after_a_redesign_adopts_the_page_without_a_false_change() {
    let (server, smtp, env) = setup("");
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    let redesigned =
        format!("<html><body><nav>Online Cancellation</nav><div id=terms>{B}</div></body></html>");
    server.page("/terms", &redesigned);
    env.run(&["check"]).expect_code(1);
    env.run(&["check"]).expect_code(1);
    // The user points the target at the new element.
    let mut t = TestTarget::new("t1", &server.url("/terms"));
    t.select = vec!["#terms".into()];
    env.write_config(&[t], Some(&smtp_section(smtp.port)), "");
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(
        r.lines(),
        vec!["UNCHANGED t1 (configuration changed: new baseline, no alert)"]
    );
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);
    smtp.mailbox.wait_for(2);
    settle();
    assert_eq!(
        subjects(&smtp),
        vec![
            "[policywatch] Test Carrier: t1: cancellation evidence lost",
            "[policywatch] Test Carrier: t1: cancellation wording found again",
        ]
    );
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    for v in store.versions("t1").unwrap() {
        assert!(!v.blocks.is_empty(), "no empty version is ever stored");
    }
    assert_eq!(current_verdict(&env, "t1"), "supported");
}

/// The verdict of `target`'s current version, read from the database.
fn current_verdict(env: &Env, target: &str) -> String {
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    let current = store.current(target).unwrap().expect("a current version");
    current.verdict.as_str().to_string()
}

/// Points the config at a copy of the built-in lexicon that knows "quit" as an ending word and
/// `online` as online words.
fn teach_quit(env: &Env, online: &[&str]) {
    let mut lexicon = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/extract/lexicon.toml"
    ))
    .unwrap()
    // The first "terminat*" is the terminate concept's (an online phrase quotes it too).
    .replacen("\"terminat*\",", "\"terminat*\",\n  \"quit\",", 1);
    for word in online {
        lexicon = lexicon.replacen("\"網上\",", &format!("\"網上\",\n  \"{word}\","), 1);
    }
    std::fs::write(env.dir.path().join("lexicon.toml"), lexicon).unwrap();
    let config = std::fs::read_to_string(&env.config).unwrap();
    std::fs::write(&env.config, format!("lexicon = \"lexicon.toml\"\n{config}")).unwrap();
}

#[test]
fn a_lexicon_edit_updates_the_verdict_without_an_alert() {
    let (server, smtp, env) = setup("");
    let page = carrier_page("<p>Subscribers may quit the plan via the portal.</p>", "0");
    server.page("/terms", &page);
    env.run(&["check"]).expect_code(0);
    assert_eq!(current_verdict(&env, "t1"), "unknown");
    // The user teaches the lexicon "quit" and "portal".
    env.write_config(
        &[TestTarget::new("t1", &server.url("/terms"))],
        Some(&smtp_section(smtp.port)),
        "",
    );
    teach_quit(&env, &["portal"]);
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED t1"]);
    assert_eq!(current_verdict(&env, "t1"), "supported");
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);
    settle();
    assert_eq!(smtp.mailbox.count(), 0, "{:?}", subjects(&smtp));
}

/// A lexicon edit (or a new release) and a change of the page before the next check: the
/// baseline is re-derived from the stored page, and the page's change is reported against it,
/// not adopted silently (round 19's walk-through: an upgrade swallowed the carrier's change).
#[test]
fn a_page_change_that_arrives_with_a_lexicon_edit_is_reported() {
    let (server, smtp, env) = setup("\n[alerts]\nconfirm_delay = \"0s\"\n");
    let before = carrier_page("<p>To cancel your plan, visit any of our shops.</p>", "0");
    server.page("/terms", &before);
    env.run(&["check"]).expect_code(0);
    // The user teaches the lexicon "quit"; the carrier adds an online way the same day.
    teach_quit(&env, &[]);
    let after = carrier_page(
        "<p>To cancel your plan, visit any of our shops.</p>\
         <p>Subscribers may also quit the plan online in My Account.</p>",
        "0",
    );
    server.page("/terms", &after);
    let r = env.run(&["check"]);
    let out = r.stdout();
    assert!(
        out.starts_with("CHANGED t1") && out.contains("online-cancellation=supported"),
        "{out}"
    );
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    let verdicts: Vec<&str> = store
        .versions("t1")
        .unwrap()
        .iter()
        .map(|v| v.verdict.as_str())
        .collect();
    assert_eq!(verdicts, ["not-supported", "supported"]);
    smtp.mailbox.wait_for(1);
    settle();
    let s = subjects(&smtp);
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(s[0].contains("not-supported → supported"), "{s:?}");
}

/// A selector edit whose next fetch failed, then a lexicon edit: the selector edit still adopts
/// the next successful fetch silently (the lexicon edit alone would report a change).
#[test]
fn a_lexicon_edit_keeps_a_selector_edit_waiting_for_its_fetch() {
    let (server, smtp, env) = setup("\n[alerts]\nconfirm_delay = \"0s\"\n");
    let page = |extra: &str| {
        format!(
            "<html><body><main><p>To cancel your plan, visit any of our shops.</p></main>\
             <aside id=more><p>Help</p>{extra}</aside></body></html>"
        )
    };
    server.page("/terms", &page(""));
    env.run(&["check"]).expect_code(0);
    // The user widens the selection; the carrier's server is down for that check.
    let mut t = TestTarget::new("t1", &server.url("/terms"));
    t.select = vec!["main".into(), "#more".into()];
    env.write_config(&[t], Some(&smtp_section(smtp.port)), "");
    server.route("/terms", vec![Reply::status(500)]);
    env.run(&["check"]);
    // Then the lexicon is edited, and the page comes back with more in the newly selected part.
    teach_quit(&env, &[]);
    server.page(
        "/terms",
        &page("<p>Subscribers may also quit the plan online in My Account.</p>"),
    );
    let r = env.run(&["check"]);
    assert_eq!(
        r.lines(),
        vec!["UNCHANGED t1 (configuration changed: new baseline, no alert)"]
    );
    settle();
    let s = subjects(&smtp);
    assert!(s.iter().all(|s| !s.contains("→ supported")), "{s:?}");
}

#[test]
fn two_processes_on_one_database_send_one_failing_alert() {
    let (server, smtp, env) =
        setup("\n[alerts]\nconfirm_delay = \"0s\"\nfailures_before_alert = 1\n");
    server.route("/terms", vec![Reply::status(404)]);
    let spawn = || {
        env.command(&["check"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    for out in [&a, &b] {
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.starts_with("ERROR t1: HTTP 404"),
            "stdout: {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    smtp.mailbox.wait_for(1);
    settle();
    let s = subjects(&smtp);
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(s[0].contains("failing"), "{s:?}");
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    assert_eq!(store.counts("t1").unwrap().0, 2, "both checks recorded");
}

#[test]
fn a_target_that_stays_failing_gets_at_most_a_daily_reminder() {
    let (server, smtp, env) = setup("");
    server.page("/terms", &carrier_page(A, "0"));
    env.run(&["check"]).expect_code(0);
    server.route("/terms", vec![Reply::status(404)]);
    for _ in 0..4 {
        env.run(&["check"]).expect_code(1);
    }
    smtp.mailbox.wait_for(1);
    // A day passes (the failing alert is moved back 25 hours): one reminder, not one per check.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE targets SET failing_alerted_at = failing_alerted_at - 90000 WHERE name = 't1'",
        [],
    )
    .unwrap();
    drop(conn);
    for _ in 0..3 {
        env.run(&["check"]).expect_code(1);
    }
    smtp.mailbox.wait_for(2);
    settle();
    let s = subjects(&smtp);
    assert_eq!(s.len(), 2, "{s:?}");
    assert!(s[0].contains(": t1: failing: HTTP 404"), "{s:?}");
    assert!(s[1].contains(": t1: still failing: HTTP 404"), "{s:?}");
}
