//! Store: SQLite holds targets, every distinct version, every check and the outbox of alerts.
//!
//! One transaction per check: the check record, a new version (when the text differs) and the
//! alert that reports it commit together or not at all, so a crash can never leave a version
//! without its alert or an alert without its version. Schema changes are the plain SQL files in
//! `migrations/`, applied in order when the database is opened. This module knows nothing about
//! HTTP or email. It opens the database and owns the schema; the table families live in
//! their own files: `versions` (versions, checks, target state), `pages` (raw pages),
//! `outbox` (alerts and their deliveries) and `leases`.

mod check_status;
mod history;
mod leases;
mod open;
mod outbox;
mod pages;
mod robots;
mod versions;

use std::time::Duration;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

pub use check_status::{CheckStatus, UnknownCheckStatus};
pub use history::LastCheck;
pub use leases::{Lease, lease_holder};
pub use outbox::{Alert, AlertMessage, Delivery, DeliveryState, NewAlert, delivery_id};
pub use pages::RawPage;
pub use versions::{CheckRecord, Lost, RecordOutcome, Recorded, TargetState, Version};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database {path}: cannot apply migrations: {source}")]
    Migrate {
        path: String,
        #[source]
        source: rusqlite_migration::Error,
    },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database: stored evidence is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("database: raw page: {0}")]
    Raw(String),
    #[error(
        "database {path}: this database was written by a newer policywatch (schema {have}; this binary knows up to {known})"
    )]
    NewerSchema { path: String, have: i64, known: i64 },
    /// A database that cannot be read as it is, with what to do about it.
    #[error("database: {0}")]
    Unavailable(String),
}

/// The migrations, in order. Adding a file to `migrations/` means adding it here (a test checks).
fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

const MIGRATIONS: [&str; 10] = [
    include_str!("../../migrations/0001_initial.sql"),
    include_str!("../../migrations/0002_alert_state.sql"),
    include_str!("../../migrations/0003_leases_and_claims.sql"),
    include_str!("../../migrations/0004_page_hash.sql"),
    include_str!("../../migrations/0005_raw_page_kind.sql"),
    include_str!("../../migrations/0006_deliveries.sql"),
    include_str!("../../migrations/0007_cut_hash.sql"),
    include_str!("../../migrations/0008_robots.sql"),
    include_str!("../../migrations/0009_current_seen.sql"),
    include_str!("../../migrations/0010_refusals.sql"),
];

/// The schema version this binary brings a database to (SQLite's `user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Frees SQLite's page cache (it refills from the file as needed): worth it between bursts
    /// of checks that are an hour apart.
    pub fn release_memory(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("PRAGMA shrink_memory")?;
        Ok(())
    }

    /// Deletes check records and sent alerts older than `keep`, keeping each target's latest
    /// check and every version. Returns the number of rows deleted.
    ///
    /// In transactions of at most [`PRUNE_BATCH`] rows: the daemon prunes while its check
    /// workers commit to the same file, and one long delete (after months away) would hold the
    /// write lock past their busy timeout.
    pub fn prune(&mut self, now: i64, keep: Duration) -> Result<usize, StoreError> {
        let cutoff = now - i64::try_from(keep.as_secs()).unwrap_or(i64::MAX / 2);
        let batch = i64::try_from(PRUNE_BATCH).unwrap_or(i64::MAX);
        let mut deleted = 0;
        // Bounded: every round but the last deletes a whole batch, and there are finitely many
        // rows; the cap only guards against a delete that keeps finding rows (a clock gone mad).
        for _ in 0..MAX_PRUNE_ROUNDS {
            let tx = self.conn.transaction()?;
            let checks = tx.execute(
                "DELETE FROM checks WHERE id IN (
                   SELECT id FROM checks WHERE started_at < ?1
                     AND id NOT IN (SELECT max(id) FROM checks GROUP BY target)
                   LIMIT ?2)",
                [cutoff, batch],
            )?;
            // The same batch of sent alerts (by id) loses its deliveries, then goes itself.
            let sent = "SELECT id FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?1
                        ORDER BY id LIMIT ?2";
            tx.execute(
                &format!("DELETE FROM deliveries WHERE alert_id IN ({sent})"),
                [cutoff, batch],
            )?;
            let alerts = tx.execute(
                &format!("DELETE FROM outbox WHERE id IN ({sent})"),
                [cutoff, batch],
            )?;
            tx.commit()?;
            deleted += checks + alerts;
            if checks < PRUNE_BATCH && alerts < PRUNE_BATCH {
                break;
            }
        }
        Ok(deleted)
    }
}

#[cfg(test)]
impl Store {
    /// The connection, for tests that set up a state no public call makes (a backoff elapsed).
    pub fn conn_for_tests(&self) -> &Connection {
        &self.conn
    }
}

/// The most rows of each kind one transaction of [`Store::prune`] deletes.
pub const PRUNE_BATCH: usize = 5_000;
/// The most transactions one prune makes (50 million check records).
const MAX_PRUNE_ROUNDS: usize = 10_000;

/// The store behind its mutex: a panic elsewhere must not make the store (and alerts) unusable.
pub fn lock(store: &std::sync::Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

/// Now, as the Unix seconds the store keeps.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::verdict::Assessment;
    use crate::extract::verdict::assess;
    use std::path::Path;

    const MIGRATION_FILES: &[&str] = &[
        "0001_initial.sql",
        "0002_alert_state.sql",
        "0003_leases_and_claims.sql",
        "0004_page_hash.sql",
        "0005_raw_page_kind.sql",
        "0006_deliveries.sql",
        "0007_cut_hash.sql",
        "0008_robots.sql",
        "0009_current_seen.sql",
        "0010_refusals.sql",
    ];

    fn content_record<'a>(
        blocks: &'a [String],
        assessment: &'a Assessment,
        at: i64,
        alert: Option<NewAlert>,
    ) -> CheckRecord<'a> {
        CheckRecord {
            target: "t",
            carrier: "C",
            url: "https://example.org/",
            started_at: at,
            duration: Duration::from_millis(5),
            http_status: Some(200),
            outcome: RecordOutcome::Content {
                blocks,
                assessment,
                alert,
                rebaseline: false,
            },
            state: &NO_STATE,
            alerts: &[],
            raw: None,
            lease: None,
        }
    }

    static NO_STATE: TargetState = TargetState {
        etag: None,
        last_modified: None,
        moved_to: None,
        failure_streak: 0,
        failing_alerted_at: None,
        failing_reminded_at: None,
        lost_streak: 0,
        evidence_lost: Lost::No,
        fingerprint: None,
        rebaseline_pending: false,
        page_hash: None,
        cut_hash: None,
    };

    fn alert(id: &str) -> NewAlert {
        NewAlert {
            message: AlertMessage {
                kind: "change".into(),
                message_id: id.into(),
                thread_id: None,
                subject: "s".into(),
                body_text: "b".into(),
                body_html: None,
            },
            payload: "{}".into(),
            digest: false,
        }
    }

    #[test]
    fn every_migration_file_is_applied() {
        let mut files: Vec<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".sql"))
                .collect();
        files.sort();
        assert_eq!(files, MIGRATION_FILES);
        assert!(migrations().validate().is_ok());
    }

    /// A text with its assessment.
    type Text = (Vec<String>, Assessment);

    /// A new store, and two texts of one target with their assessments: a shop, then online.
    fn two_texts() -> (tempfile::TempDir, Store, Text, Text) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let lex = crate::extract::lexicon::Lexicon::builtin();
        let a: Vec<String> = vec!["Terminate at a shop.".into()];
        let b: Vec<String> = vec!["Terminate online.".into()];
        let (aa, ab) = (assess(lex, &a), assess(lex, &b));
        (dir, s, (a, aa), (b, ab))
    }

    #[test]
    fn the_current_version_is_seen_without_rewriting_its_row() {
        let (_dir, mut s, (a, aa), (b, ab)) = two_texts();
        let seen_again = |at: i64| CheckRecord {
            outcome: RecordOutcome::NotModified,
            ..content_record(&a, &aa, at, None)
        };
        let last_seen = |s: &Store| -> Vec<(i64, i64)> {
            s.versions("t")
                .unwrap()
                .iter()
                .map(|v| (v.id, v.last_seen))
                .collect()
        };
        let row_last_seen = |s: &Store, id: i64| -> i64 {
            s.conn
                .query_row("SELECT last_seen FROM versions WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap()
        };

        s.record(&content_record(&a, &aa, 10, None)).unwrap();
        assert_eq!(
            s.record(&seen_again(20)).unwrap(),
            Recorded::Unchanged { version: 1 }
        );
        // Text read again and found the same is a sighting too.
        s.record(&content_record(&a, &aa, 30, None)).unwrap();
        assert_eq!(
            row_last_seen(&s, 1),
            10,
            "the version's row is not rewritten"
        );
        assert_eq!(last_seen(&s), [(1, 30)]);
        assert_eq!(s.current("t").unwrap().unwrap().last_seen, 30);
        assert_eq!(s.version(1).unwrap().unwrap().last_seen, 30);
        // A check recorded late (a slow check finishing after a quicker one) never moves it back.
        s.record(&seen_again(25)).unwrap();
        assert_eq!(last_seen(&s), [(1, 30)]);

        // Replaced, the version keeps its last sighting in its own row.
        s.record(&content_record(&b, &ab, 40, None)).unwrap();
        assert_eq!(row_last_seen(&s, 1), 30);
        assert_eq!(last_seen(&s), [(1, 30), (2, 40)]);
        s.record(&seen_again(50)).unwrap();
        assert_eq!(last_seen(&s), [(1, 30), (2, 50)]);
        // And back: the earlier text is current again, the other keeps 50.
        s.record(&content_record(&a, &aa, 60, None)).unwrap();
        s.record(&seen_again(70)).unwrap();
        assert_eq!(last_seen(&s), [(1, 70), (2, 50)]);
        // A re-baseline after a config edit switches versions the same way.
        assert!(s.rebaseline("t", &b, &ab, 80).unwrap());
        assert_eq!(last_seen(&s), [(1, 70), (2, 80)]);
        // A revert recorded late (its check started at 65) does not move a sighting back.
        s.record(&content_record(&a, &aa, 65, None)).unwrap();
        assert_eq!(last_seen(&s), [(1, 70), (2, 80)]);
    }

    #[test]
    fn versions_checks_and_reverts() {
        let (_dir, mut s, (a, aa), (b, ab)) = two_texts();

        assert_eq!(
            s.record(&content_record(&a, &aa, 10, None)).unwrap(),
            Recorded::New { version: 1 }
        );
        assert_eq!(
            s.record(&content_record(&a, &aa, 20, Some(alert("<x1>"))))
                .unwrap(),
            Recorded::Unchanged { version: 1 }
        );
        assert!(
            s.pending_alerts().unwrap().is_empty(),
            "no alert without a change"
        );
        assert_eq!(
            s.record(&content_record(&b, &ab, 30, Some(alert("<x2>"))))
                .unwrap(),
            Recorded::Changed {
                version: 2,
                previous: 1,
                reverted_to_first_seen: None
            }
        );
        assert_eq!(
            s.record(&content_record(&a, &aa, 40, Some(alert("<x3>"))))
                .unwrap(),
            Recorded::Changed {
                version: 1,
                previous: 2,
                reverted_to_first_seen: Some(10)
            }
        );
        let cur = s.current("t").unwrap().unwrap();
        assert_eq!(
            (cur.id, cur.last_seen, cur.blocks.clone()),
            (1, 40, a.clone())
        );
        assert_eq!(s.counts("t").unwrap(), (4, 2));
        let pending = s.pending_alerts().unwrap();
        assert_eq!(
            pending
                .iter()
                .map(|p| p.message.message_id.as_str())
                .collect::<Vec<_>>(),
            ["<x2>", "<x3>"]
        );
    }

    #[test]
    fn lease_comes_with_the_state_and_goes_with_the_record() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let lex = crate::extract::lexicon::Lexicon::builtin();
        let blocks = vec!["Call 1234 to terminate.".to_string()];
        let a = assess(lex, &blocks);
        store
            .record(&content_record(&blocks, &a, 100, None))
            .unwrap();

        let me = lease_holder();
        // The other holder must look alive: a holder on another host always does.
        let other = "1@another-host";
        let Lease::Taken(mut state) = store.take_lease("t", &me, 200, 300).unwrap() else {
            panic!("a free lease is taken");
        };
        assert_eq!(state, TargetState::default());
        assert_eq!(
            store.take_lease("t", other, 201, 301).unwrap(),
            Lease::Busy(me.clone())
        );

        state.failure_streak = 2;
        state.page_hash = Some([7; 32]);
        state.etag = Some("\"v1\"".into());
        let rec = CheckRecord {
            outcome: RecordOutcome::NotModified,
            state: &state,
            lease: Some(&me),
            ..content_record(&blocks, &a, 202, None)
        };
        store.record(&rec).unwrap();
        let Lease::Taken(read) = store.take_lease("t", other, 203, 303).unwrap() else {
            panic!("the record released the lease");
        };
        assert_eq!(
            read, state,
            "the state comes back as written, hash included"
        );
        // A selector or lexicon edit forgets the page hash with the validators.
        store.set_fingerprint("t", "new", false).unwrap();
        let forgotten = store.state("t").unwrap();
        assert_eq!((forgotten.page_hash, forgotten.etag), (None, None));
        // A release by someone who does not hold the lease changes nothing.
        store.release_lease("t", &me).unwrap();
        assert_eq!(
            store.take_lease("t", &me, 204, 304).unwrap(),
            Lease::Busy(other.to_string())
        );
    }

    #[test]
    fn failed_check_keeps_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let a: Vec<String> = vec!["x".into()];
        let aa = assess(crate::extract::lexicon::Lexicon::builtin(), &a);
        s.record(&content_record(&a, &aa, 10, None)).unwrap();
        let mut failed = content_record(&a, &aa, 20, None);
        failed.outcome = RecordOutcome::Failed { error: "HTTP 500" };
        assert_eq!(s.record(&failed).unwrap(), Recorded::Nothing);
        assert_eq!(s.current("t").unwrap().unwrap().id, 1);
        let last = s.last_check("t").unwrap().unwrap();
        assert_eq!(
            (last.status.as_str(), last.error.as_deref()),
            ("error", Some("HTTP 500"))
        );
    }

    #[test]
    fn prune_keeps_versions_and_latest_checks() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let lex = crate::extract::lexicon::Lexicon::builtin();
        let a: Vec<String> = vec!["old".into()];
        let b: Vec<String> = vec!["new".into()];
        let (aa, ab) = (assess(lex, &a), assess(lex, &b));
        let day = 24 * 3600;
        s.record(&content_record(&a, &aa, 0, None)).unwrap();
        s.record(&content_record(&a, &aa, day, None)).unwrap();
        s.record(&content_record(&b, &ab, 2 * day, Some(alert("<p1>"))))
            .unwrap();
        s.route(2 * day, "email", |_| vec!["email".into()]).unwrap();
        let d = s.pending_deliveries(None).unwrap();
        s.delivery_sent(d[0].id, 2 * day).unwrap();
        let deleted = s
            .prune(100 * day, Duration::from_secs(90 * day as u64))
            .unwrap();
        assert_eq!(deleted, 3, "two old checks and the sent alert");
        assert_eq!(
            s.counts("t").unwrap(),
            (1, 2),
            "latest check and both versions kept"
        );
    }

    #[test]
    fn prune_deletes_more_than_a_batch_in_several_transactions() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let day = 24 * 3600;
        let n = PRUNE_BATCH * 2 + 7;
        {
            let tx = s.conn.transaction().unwrap();
            for i in 0..n {
                let i = i64::try_from(i).unwrap();
                tx.execute(
                    "INSERT INTO checks (target, started_at, status, duration_ms)
                     VALUES ('t', ?1, 'unchanged', 1)",
                    [i],
                )
                .unwrap();
            }
            tx.commit().unwrap();
        }
        let deleted = s
            .prune(100 * day, Duration::from_secs(90 * day as u64))
            .unwrap();
        // All but the target's latest check.
        assert_eq!(deleted, n - 1);
        let left: i64 = s
            .conn
            .query_row("SELECT COUNT(*) FROM checks", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 1);
    }

    #[test]
    fn missing_folder_is_a_clear_error() {
        let e = Store::open(Path::new("/nonexistent/dir/db.sqlite3"))
            .err()
            .unwrap();
        assert!(e.to_string().contains("/nonexistent/dir"), "{e}");
    }
}
