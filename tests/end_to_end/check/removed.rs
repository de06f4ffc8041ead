//! A target removed from the config keeps its history by name: its versions, its kept page and
//! its last check record outlive `storage.keep_checks`. Put back (after an upgrade, say), it
//! carries on from its last version, and a change of its page while it was away is reported.
//! (Round 13 of issue 16 tried deleting a long-removed target's kept page; a review found that a
//! target put back after a new release then adopted such a change as its new baseline, without
//! an alert, because the baseline could no longer be re-derived.)

use super::*;

use policywatch::store::Store;

#[test]
fn a_target_put_back_after_months_and_an_upgrade_reports_what_changed_meanwhile() {
    let server = HttpServer::start();
    let smtp = start_smtp();
    let call = "<h1>Termination</h1><p>To terminate the service, please call our hotline.</p>";
    server.page("/a", &carrier_page(call, "a"));
    server.page("/b", &carrier_page(call, "b"));
    let target = |name: &str, path: &str| TestTarget::new(name, &server.url(path));
    let email = smtp_section(smtp.port);
    let env = Env::new();
    env.write_config(&[target("a", "/a"), target("b", "/b")], Some(&email), "");
    env.run(&["check"]).expect_code(0);

    // `b` leaves the file; its last check is 100 days old, past the default `keep_checks` (90
    // days), when the next pass prunes.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE checks SET started_at = started_at - ?1",
        [100 * 24 * 3600],
    )
    .unwrap();
    env.write_config(&[target("a", "/a")], Some(&email), "");
    env.run(&["check"]).expect_code(0);
    let store = Store::open_read_only(&env.db()).unwrap();
    assert!(store.raw_page("b").unwrap().is_some(), "b's page is kept");
    assert_eq!(store.counts("b").unwrap(), (1, 1), "and its last check");
    drop(store);

    // Meanwhile its page changes, and a new release reads pages differently (its fingerprint's
    // reading half changes).
    let online = "<h1>Termination</h1><p>You can terminate the service online in My Account.</p>";
    server.page("/b", &carrier_page(online, "b"));
    conn.execute(
        "UPDATE targets SET fingerprint = substr(fingerprint, 1, 17) || '0000000000000000'
         WHERE name = 'b'",
        [],
    )
    .unwrap();
    drop(conn);

    env.write_config(&[target("a", "/a"), target("b", "/b")], Some(&email), "");
    let r = env.run(&["check", "b"]);
    r.expect_code(0);
    assert_eq!(
        r.lines(),
        vec!["CHANGED b verdict online-cancellation=supported"],
        "{}",
        r.stderr()
    );
    let mail = smtp.mailbox.wait_for(1);
    let parsed = parse_mail(&mail[0]);
    let subject = parsed.subject().unwrap_or_default().to_string();
    assert!(
        subject.contains(": b: online cancellation") && subject.ends_with("→ supported"),
        "{subject}"
    );
}
