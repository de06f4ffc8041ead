//! A target removed from the config: once it has not been checked for `storage.keep_checks`, the
//! prune deletes its kept page and its last check record, and keeps its versions as history by
//! name. Targets still in the file are never touched, named on the command line or not.

use super::*;

use policywatch::store::Store;

/// Every check record now looks `days` older.
fn age_checks(env: &Env, days: i64) {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE checks SET started_at = started_at - ?1",
        [days * 24 * 3600],
    )
    .unwrap();
}

#[test]
fn a_removed_target_loses_its_page_and_last_check_but_keeps_its_history() {
    let server = HttpServer::start();
    for path in ["/a", "/b", "/c"] {
        server.page(path, &carrier_page(POLICY_EN, path));
    }
    let target = |name: &str, path: &str| TestTarget::new(name, &server.url(path));
    let env = Env::new();
    env.write_config(&[target("a", "/a"), target("b", "/b")], None, "");
    env.run(&["check"]).expect_code(0);
    age_checks(&env, 100);

    // `b` is gone from the file; `a` stays but is not named, `c` is new.
    env.write_config(&[target("a", "/a"), target("c", "/c")], None, "");
    let r = env.run(&["check", "c"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["NEW c"]);
    assert!(
        r.stderr()
            .contains("deleted the kept pages and last checks of targets removed from the config"),
        "{}",
        r.stderr()
    );

    let store = Store::open_read_only(&env.db()).unwrap();
    assert!(
        store.raw_page("b").unwrap().is_none(),
        "b's page is deleted"
    );
    assert_eq!(store.counts("b").unwrap(), (0, 1), "b's version is kept");
    assert!(
        store.raw_page("a").unwrap().is_some(),
        "a is still configured"
    );
    assert_eq!(store.counts("a").unwrap(), (1, 1));
    drop(store);

    // Put back, `b` carries on from its last version: no "new", no alert.
    env.write_config(&[target("a", "/a"), target("b", "/b")], None, "");
    let r = env.run(&["check", "b"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED b"]);
}
