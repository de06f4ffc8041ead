//! The command line end to end: the read-only `status`, `history` and `diff`.

use super::*;

#[test]
fn status_history_and_diff_need_an_existing_database_and_create_none() {
    let env = env_with("");
    let before = files(&env);
    for args in [&["status"][..], &["history", "t1"][..], &["diff", "t1"][..]] {
        let r = env.run(args);
        r.expect_code(1);
        let want = format!(
            "policywatch: database: no database at {} yet: run `policywatch check` first, or pass --database / $POLICYWATCH_DATABASE (the systemd unit keeps it in /var/lib/policywatch)",
            env.db().display()
        );
        assert!(r.stderr().contains(&want), "{args:?}: {}", r.stderr());
        assert!(r.stdout().is_empty(), "{args:?}: {}", r.stdout());
        assert_eq!(files(&env), before, "{args:?} created a file");
    }
    // --database names the file the message is about.
    let elsewhere = env.dir.path().join("elsewhere.sqlite3");
    let r = env.run(&["--database", elsewhere.to_str().unwrap(), "status"]);
    r.expect_code(1);
    assert!(
        r.stderr()
            .contains(&format!("no database at {} yet", elsewhere.display())),
        "{}",
        r.stderr()
    );
    assert!(!elsewhere.exists());
}

#[test]
fn status_reads_a_database_made_by_check_without_changing_it() {
    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(&[TestTarget::new("t1", &server.url("/terms"))], None, "");
    env.run(&["check"]).expect_code(0);

    let r = env.run(&["status"]);
    r.expect_code(0);
    assert!(r.stdout().contains("t1"), "{}", r.stdout());
    let r = env.run(&["history", "t1"]);
    r.expect_code(0);
    assert!(r.stdout().contains('*'), "{}", r.stdout());
    env.run(&["diff", "t1"]).expect_code(0);
}

#[test]
fn status_refuses_a_database_older_than_the_binary_and_does_not_migrate_it() {
    let env = env_with("");
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
    }
    let r = env.run(&["status"]);
    r.expect_code(1);
    assert!(
        r.stderr()
            .contains("has schema version 1, but this policywatch needs version"),
        "{}",
        r.stderr()
    );
    assert!(
        r.stderr()
            .contains("run `policywatch check` once to upgrade it"),
        "{}",
        r.stderr()
    );
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "status must not migrate");
}
