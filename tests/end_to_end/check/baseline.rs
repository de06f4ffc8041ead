//! A new baseline after a change of how pages are read (a new release, a selector or lexicon
//! edit) that the stored page could not re-derive: the next fetch's text is assessed afresh, and
//! when it is the current version's text, that fresh assessment is what is kept, without an alert.

use super::*;

/// Makes the stored version look as an older release read it (`stale` rewrites its assessment),
/// with its page gone, so that re-deriving the baseline from the stored page fails.
fn read_by_an_older_release(env: &Env, stale: impl Fn(&mut serde_json::Value)) {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let json: String = conn
        .query_row("SELECT assessment FROM versions", [], |r| r.get(0))
        .unwrap();
    let mut assessment: serde_json::Value = serde_json::from_str(&json).unwrap();
    stale(&mut assessment);
    let verdict = assessment["verdict"].as_str().unwrap().to_string();
    conn.execute(
        "UPDATE versions SET verdict = ?1, assessment = ?2",
        [verdict, assessment.to_string()],
    )
    .unwrap();
    conn.execute(
        "UPDATE targets SET fingerprint = 'from-an-older-release'",
        [],
    )
    .unwrap();
    assert_eq!(conn.execute("DELETE FROM raw_pages", []).unwrap(), 1);
}

/// The target's only version, as stored.
fn current(env: &Env) -> policywatch::store::Version {
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    assert_eq!(
        store.versions("t1").unwrap().len(),
        1,
        "one text, one version"
    );
    store.current("t1").unwrap().unwrap()
}

/// A target checked once; its server, and its version as read by this release.
fn checked_once() -> (HttpServer, Env, policywatch::store::Version) {
    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY_EN, "a"));
    let env = one_target(&server, None);
    assert_eq!(env.run(&["check"]).lines(), vec!["NEW t1"]);
    let fresh = current(&env);
    (server, env, fresh)
}

#[test]
fn the_same_text_keeps_its_fresh_verdict_when_the_stored_page_could_not_rederive_it() {
    let (_server, env, fresh) = checked_once();
    assert_ne!(fresh.verdict.as_str(), "conflicting");

    read_by_an_older_release(&env, |a| {
        a["verdict"] = "conflicting".into();
        a["evidence"] = serde_json::json!([]);
    });
    assert_eq!(current(&env).verdict.as_str(), "conflicting");
    assert_eq!(
        env.run(&["check"]).lines(),
        vec!["UNCHANGED t1 (configuration changed: new baseline, no alert)"]
    );
    let kept = current(&env);
    assert_eq!(kept.verdict, fresh.verdict);
    assert_eq!(kept.assessment, fresh.assessment);
    assert_eq!(queued_kinds(&env, "t1"), Vec::<String>::new());
}

#[test]
fn the_same_text_and_verdict_keep_their_fresh_evidence_when_the_stored_page_could_not_rederive_it()
{
    let (_server, env, fresh) = checked_once();
    assert!(!fresh.assessment.evidence.is_empty());

    read_by_an_older_release(&env, |a| a["evidence"] = serde_json::json!([]));
    assert!(current(&env).assessment.evidence.is_empty());
    assert_eq!(env.run(&["check"]).lines(), vec!["UNCHANGED t1"]);
    assert_eq!(current(&env).assessment, fresh.assessment);
    assert_eq!(queued_kinds(&env, "t1"), Vec::<String>::new());
}
