//! The daemon end to end: crashes and what survives them.

use super::*;

/// Checks the invariants of the database after a crash; returns the stored version texts.
/// The editions of target `p` stored so far; none while the daemon has not made the database
/// yet (read-only, so that polling never creates or locks it).
fn editions(env: &Env) -> Vec<usize> {
    let read = || -> rusqlite::Result<Vec<String>> {
        let db = rusqlite::Connection::open_with_flags(
            env.db(),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        let mut stmt = db.prepare("SELECT text FROM versions WHERE target = 'p'")?;
        stmt.query_map([], |r| r.get(0))?.collect()
    };
    read()
        .unwrap_or_default()
        .iter()
        .filter_map(|t| edition(t))
        .collect()
}

/// The edition number a version's text names ("Terms, edition 7").
fn edition(text: &str) -> Option<usize> {
    text.split("edition ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse::<usize>().ok())
}

fn assert_consistent(env: &Env, previous: &[String], cycle: usize) -> Vec<String> {
    let db = open_db(env);
    let integrity: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "cycle {cycle}");
    let broken_refs: i64 = db
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken_refs, 0, "cycle {cycle}: dangling references");
    let texts: Vec<String> = db
        .prepare("SELECT text FROM versions WHERE target = 'p' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        texts.len() >= previous.len(),
        "cycle {cycle}: versions lost"
    );
    for t in previous {
        assert!(texts.contains(t), "cycle {cycle}: lost version {t:?}");
    }
    for t in &texts {
        assert!(
            edition(t).is_some_and(|e| e <= cycle),
            "cycle {cycle}: a version never served: {t:?}"
        );
    }
    // A change and its alert commit together: no alert without its check and version, no
    // changed check without its alert.
    let orphans: i64 = db
        .query_row(
            "SELECT count(*) FROM outbox o WHERE o.kind = 'change' AND NOT EXISTS (
                 SELECT 1 FROM checks c JOIN versions v ON v.id = c.version_id
                 WHERE c.target = o.target AND c.started_at = o.created_at
                   AND c.status = 'changed')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "cycle {cycle}: alert without its version");
    let silent: i64 = db
        .query_row(
            "SELECT count(*) FROM checks c WHERE c.status = 'changed' AND NOT EXISTS (
                 SELECT 1 FROM outbox o WHERE o.target = c.target
                   AND o.created_at = c.started_at)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(silent, 0, "cycle {cycle}: change without its alert");
    let no_current: i64 = db
        .query_row(
            "SELECT count(*) FROM targets WHERE current_version IS NOT NULL
               AND current_version NOT IN (SELECT id FROM versions)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(no_current, 0, "cycle {cycle}");
    texts
}

#[test]
fn kill_9_during_checks_never_corrupts_or_loses_a_version() {
    const CYCLES: usize = 15;
    let server = HttpServer::start();
    let env = Env::new();
    env.write_config(&[target("p", &server, "/p", EVERY_SECOND)], None, "");
    // A large page, so extraction and the commit take long enough to be interrupted.
    let filler: String = (0..1000)
        .map(|i| {
            format!(
                "<p>Clause {i}: the subscriber may request termination subject to the terms.</p>"
            )
        })
        .collect();
    let mut versions: Vec<String> = Vec::new();
    for cycle in 1..=CYCLES {
        server.page(
            "/p",
            &carrier_page(
                &format!("<h1>Terms, edition {cycle}</h1><p>To terminate the service, visit a shop.</p>{filler}"),
                "x",
            ),
        );
        let hits = server.hits("/p");
        let mut d = Daemon::start(&env);
        if cycle % 3 == 1 {
            // Every third cycle lets its check commit before the kill, so that there are always
            // stored versions for the other kills to threaten (however slow the machine is).
            assert!(
                wait_until(Duration::from_secs(30), || editions(&env).contains(&cycle)),
                "cycle {cycle}: the edition was never stored"
            );
        } else if cycle % 3 == 2 {
            // Aim at a check: once the page is requested, it is being fetched, confirmed,
            // extracted or committed for the next few hundred milliseconds.
            wait_until(Duration::from_secs(3), || server.hits("/p") > hits);
            thread::sleep(Duration::from_millis(fastrand::u64(0..=200)));
        } else {
            thread::sleep(Duration::from_millis(fastrand::u64(50..=900)));
        }
        // As systemd kills a unit: every process of it, the check worker included (it is the
        // one committing).
        let workers = d.workers();
        d.child.kill().expect("kill -9");
        for pid in workers {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        d.child.wait().unwrap();
        versions = assert_consistent(&env, &versions, cycle);
    }
    // The database still works: the last edition is stored by a normal check...
    env.run(&["check"]).expect_code(0);
    let versions = assert_consistent(&env, &versions, CYCLES);
    // ...beside the editions the committing cycles stored (1, 4, 7, 10, 13).
    assert!(versions.len() >= 5, "only {} versions", versions.len());
    assert!(
        versions
            .last()
            .is_some_and(|t| t.contains(&format!("edition {CYCLES}"))),
        "{versions:?}"
    );
}
