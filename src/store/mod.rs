//! Store: SQLite holds targets, every distinct version, every check and the outbox of alerts.
//!
//! One transaction per check: the check record, a new version (when the text differs) and the
//! alert that reports it commit together or not at all, so a crash can never leave a version
//! without its alert or an alert without its version. Schema changes are the plain SQL files in
//! `migrations/`, applied in order when the database is opened. This module knows nothing about
//! HTTP or email. It opens the database and owns the schema; the table families live in
//! their own files: `versions` (versions, checks, target state), `pages` (raw pages),
//! `outbox` (alerts and their deliveries) and `leases`.

mod leases;
mod outbox;
mod pages;
mod versions;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

pub use leases::{Lease, lease_holder};
pub use outbox::{Alert, NewAlert};
pub use pages::RawPage;
pub use versions::{
    CheckRecord, CheckStatus, LastCheck, Lost, RecordOutcome, Recorded, TargetState, Version,
};

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
}

/// The migrations, in order. Adding a file to `migrations/` means adding it here (a test checks).
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/0001_initial.sql")),
        M::up(include_str!("../../migrations/0002_alert_state.sql")),
        M::up(include_str!("../../migrations/0003_leases_and_claims.sql")),
        M::up(include_str!("../../migrations/0004_page_hash.sql")),
        M::up(include_str!("../../migrations/0005_raw_page_kind.sql")),
    ])
}
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        let open_err = |source| StoreError::Open {
            path: name.clone(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A missing folder would otherwise surface as SQLite's terse "unable to open".
            if !dir.is_dir() {
                return Err(open_err(rusqlite::Error::InvalidPath(dir.to_path_buf())));
            }
        }
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(open_err)?;
        // Switching a new database to WAL takes an exclusive lock that SQLite's busy handler does
        // not wait for: a second process opening the same new file at that moment gets
        // SQLITE_BUSY at once, so it waits and tries again, as for the migrations below.
        let mut attempt = 0;
        while let Err(e) = conn.pragma_update(None, "journal_mode", "WAL") {
            if attempt >= 10 || !is_busy(&e) {
                return Err(open_err(e));
            }
            attempt += 1;
            std::thread::sleep(Duration::from_millis(50 * attempt));
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        // A check runs about a dozen statements: they are prepared once and kept.
        conn.set_prepared_statement_cache_capacity(32);
        // Two processes opening a new database at once race on the first migration: the loser
        // sees SQLITE_BUSY, waits and finds the schema up to date.
        let mut attempt = 0;
        loop {
            match migrations().to_latest(&mut conn) {
                Ok(()) => break,
                Err(_) if attempt < 10 => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(100 * attempt));
                }
                Err(source) => {
                    return Err(StoreError::Migrate {
                        path: name.clone(),
                        source,
                    });
                }
            }
        }
        Ok(Store { conn })
    }

    /// Opens an existing database for reading only (`status`, `history`, `diff`): it never
    /// creates the file and never migrates. A missing file, or a schema other than this binary's,
    /// is an error that says what to do.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        use rusqlite::OpenFlags;
        // A message of our own, carried as an SQLite failure so the error type stays the same.
        let failure = |code, message: String| {
            StoreError::Sql(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                Some(message),
            ))
        };
        let name = path.display().to_string();
        let open_err = |source| StoreError::Open {
            path: name.clone(),
            source,
        };
        if matches!(std::fs::metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound) {
            return Err(failure(
                rusqlite::ffi::SQLITE_CANTOPEN,
                format!(
                    "no database at {name} yet: run `policywatch check` first, or pass --database / \
                     $POLICYWATCH_DATABASE (the systemd unit keeps it in /var/lib/policywatch)"
                ),
            ));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(open_err)?;
        let have: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(open_err)?;
        let migrate_err = |source| StoreError::Migrate {
            path: name.clone(),
            source,
        };
        let pending = migrations()
            .pending_migrations(&conn)
            .map_err(migrate_err)?;
        let want = have + i64::from(pending);
        if pending > 0 {
            return Err(failure(
                rusqlite::ffi::SQLITE_ERROR,
                format!(
                    "database {name} has schema version {have}, but this policywatch needs \
                     version {want}: run `policywatch check` once to upgrade it"
                ),
            ));
        }
        if pending < 0 {
            return Err(failure(
                rusqlite::ffi::SQLITE_ERROR,
                format!(
                    "database {name} has schema version {have}, but this policywatch knows only \
                     up to version {want}: it was written by a newer policywatch"
                ),
            ));
        }
        Ok(Store { conn })
    }

    /// Frees SQLite's page cache (it refills from the file as needed): worth it between bursts
    /// of checks that are an hour apart.
    pub fn release_memory(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("PRAGMA shrink_memory")?;
        Ok(())
    }

    /// Deletes check records and sent alerts older than `keep`, keeping each target's latest
    /// check and every version. Returns the number of rows deleted.
    pub fn prune(&mut self, now: i64, keep: Duration) -> Result<usize, StoreError> {
        let cutoff = now - i64::try_from(keep.as_secs()).unwrap_or(i64::MAX / 2);
        let tx = self.conn.transaction()?;
        let checks = tx.execute(
            "DELETE FROM checks WHERE started_at < ?1
               AND id NOT IN (SELECT max(id) FROM checks GROUP BY target)",
            [cutoff],
        )?;
        let alerts = tx.execute(
            "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?1",
            [cutoff],
        )?;
        tx.commit()?;
        Ok(checks + alerts)
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

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

    const MIGRATION_FILES: &[&str] = &[
        "0001_initial.sql",
        "0002_alert_state.sql",
        "0003_leases_and_claims.sql",
        "0004_page_hash.sql",
        "0005_raw_page_kind.sql",
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
    };

    fn alert(id: &str) -> NewAlert {
        NewAlert {
            kind: "change".into(),
            message_id: id.into(),
            thread_id: None,
            subject: "s".into(),
            body_text: "b".into(),
            body_html: None,
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

    #[test]
    fn versions_checks_and_reverts() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let lex = crate::extract::lexicon::Lexicon::builtin();
        let a: Vec<String> = vec!["Terminate at a shop.".into()];
        let b: Vec<String> = vec!["Terminate online.".into()];
        let (aa, ab) = (assess(lex, &a), assess(lex, &b));

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
                .map(|p| p.message_id.as_str())
                .collect::<Vec<_>>(),
            ["<x2>", "<x3>"]
        );

        s.mark_failed(pending[0].id, "down", 100).unwrap();
        assert_eq!(s.due_alerts(50).unwrap().len(), 1);
        s.mark_sent(pending[1].id, 60).unwrap();
        assert!(s.due_alerts(60).unwrap().is_empty());
        assert_eq!(s.due_alerts(100).unwrap()[0].attempts, 1);
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
        let id = s.pending_alerts().unwrap()[0].id;
        s.mark_sent(id, 2 * day).unwrap();
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
    fn missing_folder_is_a_clear_error() {
        let e = Store::open(Path::new("/nonexistent/dir/db.sqlite3"))
            .err()
            .unwrap();
        assert!(e.to_string().contains("/nonexistent/dir"), "{e}");
    }
}
