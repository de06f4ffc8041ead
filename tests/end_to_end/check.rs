//! End to end: the real binary, a real HTTP server, a real SMTP server, a SQLite file.

use crate::common;

use common::*;
use mail_parser::MimeHeaders;

const POLICY_EN: &str = "<h1>Termination</h1><p>To terminate the service, please visit any 3Shop in person.</p><p>Termination requires not less than thirty (30) days' notice.</p>";
const POLICY_EN_CHANGED: &str = "<h1>Termination</h1><p>To terminate the service, please visit any 3Shop in person.</p><p>Termination requires not less than seven (7) days' notice.</p>";

fn one_target(server: &HttpServer, email: Option<&str>) -> Env {
    let env = Env::new();
    env.write_config(&[TestTarget::new("t1", &server.url("/terms"))], email, "");
    env
}

#[test]
fn first_new_then_unchanged_and_noise_ignored() {
    let server = HttpServer::start();
    let smtp = start_smtp();
    server.page("/terms", &carrier_page(POLICY_EN, "token-1"));
    let env = one_target(&server, Some(&smtp_section(smtp.port)));

    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["NEW t1"]);

    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED t1"]);

    // Tokens, timestamps and ads outside the selection change: still unchanged.
    server.page(
        "/terms",
        &carrier_page(POLICY_EN, "token-2 2026-11-25T10:00"),
    );
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED t1"]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(
        smtp.mailbox.count(),
        0,
        "no email for a first version or noise"
    );

    let store = policywatch::store::Store::open(&env.db()).unwrap();
    assert_eq!(
        store.counts("t1").unwrap(),
        (3, 1),
        "three checks, one version"
    );
}

#[test]
fn english_change_sends_one_email_quoting_old_and_new() {
    let server = HttpServer::start();
    let smtp = start_smtp();
    server.page("/terms", &carrier_page(POLICY_EN, "a"));
    let env = one_target(&server, Some(&smtp_section(smtp.port)));
    env.run(&["check"]).expect_code(0);

    server.page("/terms", &carrier_page(POLICY_EN_CHANGED, "b"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines().len(), 1);
    assert!(
        r.lines()[0].starts_with("CHANGED t1 cancellation"),
        "{}",
        r.stdout()
    );

    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(mails.len(), 1);
    let m = parse_mail(&mails[0]);
    let subject = m.subject().unwrap();
    assert!(
        subject.starts_with("[policywatch] Test Carrier: t1"),
        "{subject}"
    );
    let text = m.body_text(0).unwrap();
    assert!(
        text.contains("- Termination requires not less than thirty (30) days' notice."),
        "{text}"
    );
    assert!(
        text.contains("+ Termination requires not less than seven (7) days' notice."),
        "{text}"
    );
    assert!(text.contains(&server.url("/terms")));
    assert!(text.contains("HKT"), "time in Asia/Hong_Kong: {text}");
    let html = m.body_html(0).unwrap();
    assert!(
        strip_tags(&html)
            .contains("Termination requires not less than seven (7) days&#39; notice."),
        "{html}"
    );
    assert_eq!(
        m.header_raw("Auto-Submitted").map(str::trim),
        Some("auto-generated")
    );
    assert!(m.message_id().unwrap().ends_with("@example.org"));

    // Nothing more on the next unchanged check: the alert was sent once.
    env.run(&["check"]).expect_code(0);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(smtp.mailbox.count(), 1);
}

#[test]
fn chinese_only_change_arrives_intact() {
    let server = HttpServer::start();
    let smtp = start_smtp();
    let before = "<p>如需終止服務，客戶須給予不少於三十天通知，並親臨門市辦理。</p>";
    let after = "<p>如需終止服務，客戶須給予不少於七天通知，並親臨門市辦理。</p>";
    server.page("/terms", &carrier_page(before, "x"));
    let env = one_target(&server, Some(&smtp_section(smtp.port)));
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &carrier_page(after, "y"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert!(r.stdout().starts_with("CHANGED t1"));

    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(mails.len(), 1, "{}", r.stderr());
    let m = parse_mail(&mails[0]);
    let text = m.body_text(0).unwrap();
    assert!(
        text.contains("- 如需終止服務，客戶須給予不少於三十天通知，並親臨門市辦理。"),
        "{text}"
    );
    assert!(
        text.contains("+ 如需終止服務，客戶須給予不少於七天通知，並親臨門市辦理。"),
        "{text}"
    );
    let html = m.body_html(0).unwrap();
    assert!(
        html.contains(">三十</del>"),
        "the changed characters are marked: {html}"
    );
    assert!(html.contains(">七</ins>"), "{html}");
    let parts: Vec<String> = m
        .parts
        .iter()
        .filter_map(|p| {
            p.content_type()
                .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or("")))
        })
        .collect();
    assert!(
        parts.contains(&"multipart/alternative".to_string()),
        "{parts:?}"
    );
}

#[test]
fn server_error_is_reported_and_keeps_the_version() {
    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY_EN, "a"));
    let env = one_target(&server, None);
    env.run(&["check"]).expect_code(0);

    server.route("/terms", vec![Reply::status(500)]);
    let r = env.run(&["check"]);
    r.expect_code(1);
    assert_eq!(r.lines().len(), 1);
    let line = &r.lines()[0];
    assert!(line.starts_with("ERROR t1: HTTP 500"), "{line}");
    assert!(line.contains(&server.url("/terms")), "{line}");

    server.page("/terms", &carrier_page(POLICY_EN, "b"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED t1"]);
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    assert_eq!(store.counts("t1").unwrap(), (3, 1));
}

#[test]
fn selector_that_matches_nothing_is_an_error_not_an_empty_version() {
    let server = HttpServer::start();
    server.page(
        "/terms",
        "<html><body><div>redesigned page</div></body></html>",
    );
    let env = one_target(&server, None);
    let r = env.run(&["check"]);
    r.expect_code(1);
    assert_eq!(
        r.lines(),
        vec!["ERROR t1: selector `main` matched nothing on the page"]
    );
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    assert_eq!(store.counts("t1").unwrap(), (1, 0));
}

#[test]
fn without_email_reports_go_to_stderr_and_stdout_keeps_one_line_per_target() {
    let server = HttpServer::start();
    server.page("/a", &carrier_page(POLICY_EN, "1"));
    server.page("/b", &carrier_page("<p>Data is charged per MB.</p>", "1"));
    let env = Env::new();
    env.write_config(
        &[
            TestTarget::new("a", &server.url("/a")),
            TestTarget::new("b", &server.url("/b")),
        ],
        None,
        "",
    );
    assert_eq!(env.run(&["check"]).lines(), vec!["NEW a", "NEW b"]);
    server.page("/a", &carrier_page(POLICY_EN_CHANGED, "2"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines().len(), 2);
    assert!(r.lines()[0].starts_with("CHANGED a"));
    assert_eq!(r.lines()[1], "UNCHANGED b");
    assert!(
        r.stderr()
            .contains("+ Termination requires not less than seven (7) days' notice.")
    );
}

#[test]
fn bad_key_exits_2_naming_key_and_line() {
    let env = Env::new();
    std::fs::write(
        &env.config,
        "[[target]]\nname = \"a\"\ncarrier = \"C\"\nurl = \"https://example.org/\"\nshedule = \"0 0 * * * *\"\n",
    )
    .unwrap();
    for cmd in ["check", "check-config"] {
        let r = env.run(&[cmd]);
        r.expect_code(2);
        let err = r.stderr();
        assert!(err.contains("policywatch.toml:5:1"), "{err}");
        assert!(err.contains("target[0].shedule"), "{err}");
        assert!(err.contains("unknown field `shedule`"), "{err}");
    }
}

#[test]
fn shipped_config_is_valid() {
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/config/policywatch.toml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_policywatch"))
        .args(["--config", shipped, "check-config"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("is valid"));
    let config = policywatch::config::Config::load(std::path::Path::new(shipped)).unwrap();
    assert!(config.targets.len() >= 6);
    let carriers: std::collections::HashSet<_> =
        config.targets.iter().map(|t| &t.carrier).collect();
    assert!(carriers.len() >= 4, "{carriers:?}");
    assert!(!config.fetch.allow_private_addresses);
}

#[test]
fn usage_errors_exit_2_and_version_works() {
    let env = Env::new();
    env.run(&["no-such-command"]).expect_code(2);
    let r = env.run(&["--version"]);
    r.expect_code(0);
    assert!(r.stdout().starts_with("policywatch "));
    let r = env.run(&["--help"]);
    r.expect_code(0);
    for cmd in ["check", "run", "check-config", "inspect", "status"] {
        assert!(r.stdout().contains(cmd), "help lists {cmd}");
    }
}

#[test]
fn starttls_delivers_with_a_private_ca() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = test_ca(dir.path());
    let smtp = start_smtp_on(0, Some((&cert, &key)));
    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY_EN, "a"));
    let email = format!(
        "\n[email]\nfrom = \"policywatch <policywatch@example.org>\"\nto = [\"me@example.org\"]\n[email.smtp]\nhost = \"localhost\"\nport = {}\nsecurity = \"starttls\"\nusername = \"policywatch\"\npassword_env = \"PW_TEST_SMTP_PASSWORD\"\nca_file = \"{}\"\ntimeout = \"5s\"\n",
        smtp.port,
        ca.display()
    );
    let env = one_target(&server, Some(&email));
    let pw = [("PW_TEST_SMTP_PASSWORD", "s3cret")];
    env.run_env(&["check"], &pw).expect_code(0);
    server.page("/terms", &carrier_page(POLICY_EN_CHANGED, "b"));
    let r = env.run_env(&["check"], &pw);
    r.expect_code(0);
    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(mails.len(), 1, "stderr: {}", r.stderr());
    assert!(
        !r.stderr().contains("s3cret"),
        "the password is never logged"
    );

    // Without the CA the certificate is refused and the alert stays pending.
    let server2 = HttpServer::start();
    server2.page("/terms", &carrier_page(POLICY_EN, "a"));
    let env2 = one_target(
        &server2,
        Some(&email.replace(&format!("ca_file = \"{}\"\n", ca.display()), "")),
    );
    env2.run_env(&["check"], &pw).expect_code(0);
    server2.page("/terms", &carrier_page(POLICY_EN_CHANGED, "b"));
    let r = env2.run_env(&["check"], &pw);
    r.expect_code(3);
    assert!(
        r.stderr().to_ascii_lowercase().contains("tls"),
        "{}",
        r.stderr()
    );
    let store = policywatch::store::Store::open(&env2.db()).unwrap();
    assert_eq!(store.pending_alerts().unwrap().len(), 1);
    assert_eq!(smtp.mailbox.count(), 1);
}

#[test]
fn smtp_down_keeps_the_alert_until_it_is_back() {
    let server = HttpServer::start();
    let port = free_port();
    server.page("/terms", &carrier_page(POLICY_EN, "a"));
    let env = one_target(&server, Some(&smtp_section(port)));
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &carrier_page(POLICY_EN_CHANGED, "b"));
    let r = env.run(&["check"]);
    r.expect_code(3);
    assert!(r.stdout().starts_with("CHANGED t1"));
    assert!(r.stderr().contains("not delivered"), "{}", r.stderr());
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    let pending = store.pending_alerts().unwrap();
    assert_eq!(pending.len(), 1);
    let message_id = pending[0].message.message_id.clone();
    drop(store);

    let smtp = start_smtp_on(port, None);
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED t1"]);
    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(mails.len(), 1);
    let m = parse_mail(&mails[0]);
    assert_eq!(format!("<{}>", m.message_id().unwrap()), message_id);
    env.run(&["check"]).expect_code(0);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(smtp.mailbox.count(), 1, "delivered exactly once");
}

#[test]
fn check_config_warns_about_ignore_robots() {
    let env = Env::new();
    let mut t = TestTarget::new("own-site", "https://example.org/");
    t.extra = "ignore_robots = true".into();
    env.write_config(&[t], None, "");
    let r = env.run(&["check-config"]);
    r.expect_code(0);
    assert!(
        r.stdout()
            .contains("warning: target own-site ignores robots.txt"),
        "{}",
        r.stdout()
    );
}

/// One hash column (`page_hash` or `cut_hash`) of a target's row.
fn stored_hash(env: &Env, target: &str, column: &str) -> Option<Vec<u8>> {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.query_row(
        &format!("SELECT {column} FROM targets WHERE name = ?1"),
        [target],
        |r| r.get(0),
    )
    .unwrap()
}

/// The target's stored page hash.
fn stored_page_hash(env: &Env, target: &str) -> Option<Vec<u8>> {
    stored_hash(env, target, "page_hash")
}

fn hash_of(url: &str, html: &str) -> Vec<u8> {
    let mut h = blake3::Hasher::new();
    h.update(url.as_bytes());
    h.update(&[0]);
    h.update(html.as_bytes());
    h.finalize().as_bytes().to_vec()
}

#[test]
fn identical_page_skips_the_parse_but_a_revert_is_still_reported() {
    let server = HttpServer::start();
    let url = server.url("/terms");
    let p1 = carrier_page(POLICY_EN, "a");
    let p2 = carrier_page(POLICY_EN_CHANGED, "a");
    server.page("/terms", &p1);
    let env = one_target(&server, None);

    assert_eq!(env.run(&["check"]).lines(), vec!["NEW t1"]);
    assert_eq!(stored_page_hash(&env, "t1"), Some(hash_of(&url, &p1)));
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);

    // Noise: a different page with the same text becomes the known page.
    let p1_noise = carrier_page(POLICY_EN, "b");
    server.page("/terms", &p1_noise);
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);
    assert_eq!(stored_page_hash(&env, "t1"), Some(hash_of(&url, &p1_noise)));

    // A real change, then the old bytes again: the old page's hash no longer names the
    // current version, so the revert is parsed and reported.
    server.page("/terms", &p2);
    let r = env.run(&["check"]);
    assert!(r.lines()[0].starts_with("CHANGED t1"), "{}", r.stdout());
    assert_eq!(stored_page_hash(&env, "t1"), Some(hash_of(&url, &p2)));
    server.page("/terms", &p1_noise);
    let r = env.run(&["check"]);
    assert!(r.lines()[0].starts_with("CHANGED t1"), "{}", r.stdout());

    // The skip is real: a known hash is trusted without parsing. Pointing it at p2 while the
    // current version is p1's text makes p2 look unchanged (which a parse would not).
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE targets SET page_hash = ?1 WHERE name = 't1'",
        [hash_of(&url, &p2)],
    )
    .unwrap();
    server.page("/terms", &p2);
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);
}

#[test]
fn held_change_keeps_the_known_page_and_a_selector_edit_applies_to_the_same_bytes() {
    let server = HttpServer::start();
    let url = server.url("/terms");
    let p1 = carrier_page(POLICY_EN, "a");
    server.page("/terms", &p1);
    let env = one_target(&server, None);
    assert_eq!(env.run(&["check"]).lines(), vec!["NEW t1"]);

    // Wording that vanishes is held for `lost_after` checks: not the current version, so the
    // known page stays p1.
    server.page(
        "/terms",
        &carrier_page("<h1>Plans</h1><p>Enjoy 5G data.</p>", "a"),
    );
    let r = env.run(&["check"]);
    assert!(
        r.lines()[0].starts_with("UNCHANGED t1 (cancellation wording missing"),
        "{}",
        r.stdout()
    );
    assert_eq!(stored_page_hash(&env, "t1"), Some(hash_of(&url, &p1)));
    server.page("/terms", &p1);
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);

    // Another selector over the same bytes: the new selector applies (the hash belonged to the
    // old extraction), and the page becomes the known one again under the new settings.
    let mut target = TestTarget::new("t1", &url);
    target.select = vec!["main h1".into()];
    env.write_config(&[target], None, "");
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    assert_eq!(
        store.current("t1").unwrap().unwrap().blocks,
        vec!["Termination"]
    );
    assert_eq!(stored_page_hash(&env, "t1"), Some(hash_of(&url, &p1)));
}

/// The target's stored hash of its page's pre-selection cut.
fn stored_cut_hash(env: &Env, target: &str) -> Option<Vec<u8>> {
    stored_hash(env, target, "cut_hash")
}

/// The cut hash of `html` at `url` for the default test target (`select = ["main"]`).
fn cut_hash_of(url: &str, html: &str) -> Vec<u8> {
    let x = policywatch::extract::Extractor::new(&["main".into()], &[]).unwrap();
    let cut = x.cut(html).expect("the test page is cut");
    policywatch::extract::document::cut_hash(&url.parse().unwrap(), &cut).to_vec()
}

#[test]
fn noise_outside_the_selection_skips_the_parse_but_changes_are_reported() {
    let server = HttpServer::start();
    let url = server.url("/terms");
    let p1 = carrier_page(POLICY_EN, "a");
    let p2 = carrier_page(POLICY_EN_CHANGED, "a");
    server.page("/terms", &p1);
    let env = one_target(&server, None);

    assert_eq!(env.run(&["check"]).lines(), vec!["NEW t1"]);
    assert_eq!(stored_cut_hash(&env, "t1"), Some(cut_hash_of(&url, &p1)));

    // Noise outside `main`: another page, the same cut; it becomes the known page.
    let p1_noise = carrier_page(POLICY_EN, "b");
    assert_eq!(cut_hash_of(&url, &p1), cut_hash_of(&url, &p1_noise));
    server.page("/terms", &p1_noise);
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);
    assert_eq!(stored_page_hash(&env, "t1"), Some(hash_of(&url, &p1_noise)));
    assert_eq!(stored_cut_hash(&env, "t1"), Some(cut_hash_of(&url, &p1)));

    // A change inside the selection is another cut: parsed, reported, and then the known cut.
    server.page("/terms", &p2);
    let r = env.run(&["check"]);
    assert!(r.lines()[0].starts_with("CHANGED t1"), "{}", r.stdout());
    assert_eq!(stored_cut_hash(&env, "t1"), Some(cut_hash_of(&url, &p2)));

    // The skip is real: a known cut is trusted without parsing. Pointing it at p1's cut while
    // the current version is p2's text makes p1 (with new noise) look unchanged, which a parse
    // would not.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE targets SET cut_hash = ?1 WHERE name = 't1'",
        [cut_hash_of(&url, &p1)],
    )
    .unwrap();
    server.page("/terms", &carrier_page(POLICY_EN, "c"));
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);

    // A selector edit forgets the known cut.
    let mut target = TestTarget::new("t1", &url);
    target.select = vec!["main h1".into()];
    env.write_config(&[target], None, "");
    env.run(&["check"]).expect_code(0);
    assert_eq!(stored_cut_hash(&env, "t1"), None, "`main h1` is not cut");
}

/// The kinds of the alerts queued for a target, oldest first.
fn queued_kinds(env: &Env, target: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let mut q = conn
        .prepare("SELECT kind FROM outbox WHERE target = ?1 ORDER BY id")
        .unwrap();
    q.query_map([target], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_page_known_to_give_the_current_text_is_unchanged_without_loading_the_version() {
    let server = HttpServer::start();
    let p1 = carrier_page(POLICY_EN, "a");
    let p2 = carrier_page(POLICY_EN_CHANGED, "a");
    server.page("/terms", &p1);
    let env = one_target(&server, None);
    assert_eq!(env.run(&["check"]).lines(), vec!["NEW t1"]);

    // The skip is real: with the stored assessment unreadable, a load would fail the check, yet
    // the same bytes and a page differing only outside `main` are both unchanged.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let assessment: String = conn
        .query_row("SELECT assessment FROM versions", [], |r| r.get(0))
        .unwrap();
    conn.execute("UPDATE versions SET assessment = 'not json'", [])
        .unwrap();
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);
    server.page("/terms", &carrier_page(POLICY_EN, "b"));
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);
    // The sighting is kept in the target's row (the version's row is not rewritten).
    let (seen, statuses): (Option<i64>, String) = conn
        .query_row(
            "SELECT (SELECT current_seen FROM targets), group_concat(status) FROM checks",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(statuses, "new,unchanged,unchanged");
    assert!(seen.is_some_and(|t| t > 0), "the version is seen again");
    conn.execute("UPDATE versions SET assessment = ?1", [&assessment])
        .unwrap();

    // A real change is still read and reported.
    server.page("/terms", &p2);
    let r = env.run(&["check"]);
    assert!(r.lines()[0].starts_with("CHANGED t1"), "{}", r.stdout());

    // While evidence is lost the rules read the text: the selection gone for `lost_after`
    // checks, then the very bytes of the current version again bring it back, with a notice.
    server.page("/terms", "<html><body><p>Maintenance</p></body></html>");
    for _ in 0..3 {
        env.run(&["check"]);
    }
    assert_eq!(queued_kinds(&env, "t1").last().unwrap(), "evidence-lost");
    server.page("/terms", &p2);
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);
    assert_eq!(queued_kinds(&env, "t1").last().unwrap(), "evidence-back");
}

/// A database whose target keeps its page hash but lost its current version (a hand repair, a
/// partial restore) reports the inconsistency once, then reads the page in full and takes it as
/// the baseline, rather than reporting an error on every check until the page changes.
#[test]
fn hashes_without_a_current_version_are_forgotten_after_one_error() {
    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY_EN, "a"));
    let env = one_target(&server, None);
    assert_eq!(env.run(&["check"]).lines(), vec!["NEW t1"]);
    assert!(stored_page_hash(&env, "t1").is_some());

    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute("UPDATE targets SET current_version = NULL", [])
        .unwrap();
    drop(conn);
    forgotten_after_one_error(&env);

    // The same with a current version that names no stored row (a hand-edited database).
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; DELETE FROM checks; DELETE FROM versions;
         UPDATE targets SET current_version = 4242;",
    )
    .unwrap();
    drop(conn);
    assert!(stored_page_hash(&env, "t1").is_some());
    forgotten_after_one_error(&env);
}

/// One check of `t1` fails and forgets the page's hashes; the next one reads it in full as new.
fn forgotten_after_one_error(env: &Env) {
    let first = env.run(&["check"]);
    assert!(
        first.lines().iter().any(|l| l.starts_with("ERROR t1")),
        "{:?}",
        first.lines()
    );
    assert_eq!(stored_page_hash(env, "t1"), None);
    assert_eq!(env.run(&["check"]).lines(), vec!["NEW t1"]);
}

// One module per theme; the constants and helpers above are theirs.
#[path = "check/baseline.rs"]
mod baseline;
mod removed;

#[test]
fn an_answer_per_product_reaches_the_email() {
    const POSTPAID: &str = "<h2>Postpaid plans</h2><p>Postpaid customers who wish to terminate their service must visit one of our shops. Termination requests for postpaid plans are not accepted online.</p>";
    const ESIM: &str = "<h2>eSIM</h2><p>eSIM customers can end their plan online in the app.</p>";
    let server = HttpServer::start();
    let smtp = start_smtp();
    server.page("/terms", &carrier_page(POSTPAID, "a"));
    let env = one_target(&server, Some(&smtp_section(smtp.port)));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("online-cancellation=not-supported"),
        "{}",
        r.stdout()
    );

    server.page("/terms", &carrier_page(&format!("{POSTPAID}{ESIM}"), "b"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert!(
        r.lines()[0].starts_with("CHANGED t1 verdict online-cancellation=supported"),
        "{}",
        r.stdout()
    );
    let mails = smtp.mailbox.wait_for(1);
    let m = parse_mail(&mails[0]);
    let text = m.body_text(0).unwrap();
    // The exception to the headline first, then the rest; each quoted line says its product.
    let line = "By product: postpaid: not-supported; eSIM: supported";
    assert!(text.contains(line), "{text}");
    assert!(
        text.contains(
            "\"eSIM customers can end their plan online in the app.\" [online, for eSIM]"
        ),
        "{text}"
    );
    assert!(text.contains("[online, negated, for postpaid]"), "{text}");
    let html = m.body_html(0).unwrap();
    assert!(html.contains(line), "{html}");
    assert!(html.contains("(online, for eSIM)"), "{html}");
}

/// Checks a page that offers the online way, then its `after` version: the first check answers
/// `supported`, the second reports the verdict turned to `not-supported`, and its one email is
/// returned as (text part, HTML part). The real binary, HTTP and SMTP servers.
fn turned_to_not_supported(before: &str, after: &str) -> (String, String) {
    let server = HttpServer::start();
    let smtp = start_smtp();
    server.page("/terms", &carrier_page(before, "a"));
    let env = one_target(&server, Some(&smtp_section(smtp.port)));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("NEW t1 online-cancellation=supported"),
        "{}",
        r.stdout()
    );

    server.page("/terms", &carrier_page(after, "b"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert!(
        r.lines()[0].starts_with("CHANGED t1 verdict online-cancellation=not-supported"),
        "{}",
        r.stdout()
    );
    let mails = smtp.mailbox.wait_for(1);
    let m = parse_mail(&mails[0]);
    (
        m.body_text(0).unwrap().to_string(),
        m.body_html(0).unwrap().to_string(),
    )
}

/// Round 15: a shop made the only way outweighs an online step named once, and the email says
/// so ("offline required") in both parts.
#[test]
fn a_demanded_shop_turns_the_verdict_and_says_so_in_the_email() {
    const ONLINE: &str = "<h2>終止流動電話服務</h2><p>客戶可於網上「My Account」遞交終止服務申請，毋須親臨門市。</p>";
    const DEMANDED: &str = "<h2>終止服務須親臨門市辦理</h2><p>客戶可先於網上「My Account」登記終止意向。</p><p>終止服務只能於門市辦理，並須攜帶身份證明文件正本。</p>";
    let (text, html) = turned_to_not_supported(ONLINE, DEMANDED);
    assert!(
        text.contains("\"終止服務只能於門市辦理，並須攜帶身份證明文件正本。\" [offline required]"),
        "{text}"
    );
    assert!(text.contains("[online]"), "{text}");
    assert!(html.contains("(offline required)"), "{html}");
}

/// Round 16, as in the walk-through: portal steps beside an unpaid-balance precondition are an
/// online way; the page then sends the reader to a branch for the ending before it, and its plan
/// change online and "click here for more information" are no way to end. One email says so.
#[test]
fn a_branch_after_the_ending_turns_the_verdict_and_pointers_do_not() {
    const ONLINE: &str = "<h2>Ending your plan</h2><p>Here is how to end your plan in the Customer Hub:</p><ol><li>Log into the Customer Hub.</li><li>Open the plan you would like to end.</li><li>Press \"End this service\" and confirm.</li></ol><p>A plan cannot be cancelled while there is an unpaid balance on the account; please settle it first.</p>";
    const BRANCH: &str = "<h2>Ending your plan</h2><p>You need to end your contract before you move abroad.</p><p>Please visit the nearest branch or ring our customer care line on 1800 555 0199.</p><p>You can change your monthly plan online through My Page at any time.</p><p>Click here for more information on our disconnection process.</p>";
    let (text, _) = turned_to_not_supported(ONLINE, BRANCH);
    assert!(
        text.contains("\"You need to end your contract before you move abroad. › Please visit the nearest branch or ring our customer care line on 1800 555 0199.\" [offline]"),
        "{text}"
    );
    assert!(!text.contains("My Page at any time.\" [online]"), "{text}");
    assert!(
        !text.contains("disconnection process.\" [online]"),
        "{text}"
    );
}
