//! Store: SQLite holds targets, every distinct version, every check and the outbox of alerts.
//!
//! One transaction per check: the check record, a new version (when the text differs) and the
//! alert that reports it commit together or not at all, so a crash can never leave a version
//! without its alert or an alert without its version. Schema changes are the plain SQL files in
//! `migrations/`, applied in order when the database is opened. This module knows nothing about
//! HTTP or email.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use rusqlite_migration::{M, Migrations};

use crate::extract::verdict::{Assessment, Verdict};

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
    ])
}

/// A stored version of a target's extracted text.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub id: i64,
    pub blocks: Vec<String>,
    pub verdict: Verdict,
    pub assessment: Assessment,
    pub first_seen: i64,
    pub last_seen: i64,
}

/// Why a target's evidence is reported lost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lost {
    #[default]
    No,
    /// The selection itself is missing (selector matches nothing, or no text).
    Selection,
    /// The page and selection load, but the cancellation wording is gone.
    Wording,
}

impl Lost {
    fn to_db(self) -> i64 {
        match self {
            Lost::No => 0,
            Lost::Selection => 1,
            Lost::Wording => 2,
        }
    }
    fn from_db(v: i64) -> Lost {
        match v {
            0 => Lost::No,
            2 => Lost::Wording,
            _ => Lost::Selection,
        }
    }
}

/// Per-target state that alerts depend on; written in the same transaction as each check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub moved_to: Option<String>,
    pub failure_streak: i64,
    pub failing_alerted_at: Option<i64>,
    pub failing_reminded_at: Option<i64>,
    pub lost_streak: i64,
    pub evidence_lost: Lost,
    pub fingerprint: Option<String>,
    /// After a config edit that could not be re-derived from the stored page: the next
    /// successful extraction becomes the baseline without an alert.
    pub rebaseline_pending: bool,
    /// The hash of a page (URL and decoded HTML) whose extraction is the current version: the
    /// same bytes again need no parse. See `check::page_hash`.
    pub page_hash: Option<[u8; 32]>,
}

/// The outcome of asking for a target's lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lease {
    /// Taken; the target's state, read in the same transaction.
    Taken(TargetState),
    /// Another live process holds it.
    Busy(String),
}

/// The page a version was extracted from, kept so a config edit can re-derive the baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPage {
    pub fetched_at: i64,
    pub url: String,
    pub html: String,
}

/// What happened in one check, ready to be committed.
#[derive(Debug, Clone)]
pub struct CheckRecord<'a> {
    pub target: &'a str,
    pub carrier: &'a str,
    pub url: &'a str,
    pub started_at: i64,
    pub duration: Duration,
    pub http_status: Option<u16>,
    pub outcome: RecordOutcome<'a>,
    /// The target's state after this check.
    pub state: &'a TargetState,
    /// Alerts about the target's state (failing, recovered, moved, evidence lost).
    pub alerts: &'a [NewAlert],
    /// Saved when a new version is stored.
    pub raw: Option<&'a RawPage>,
    /// The lease this check holds, released in the same transaction.
    pub lease: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub enum RecordOutcome<'a> {
    Failed {
        error: &'a str,
    },
    Content {
        blocks: &'a [String],
        assessment: &'a Assessment,
        /// Set when the content differs from the current version and should be reported.
        alert: Option<NewAlert>,
        /// A new baseline after a configuration change: recorded as `rebaseline`, no alert.
        rebaseline: bool,
    },
    /// 304 Not Modified: the current version was seen again.
    NotModified,
    /// A change that is not accepted (yet): flapping, or wording missing for fewer checks than
    /// `lost_after`. Recorded as a check with this status; no version.
    Held {
        status: &'static str,
        note: &'a str,
    },
}

/// An alert to put in the outbox, already rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAlert {
    pub kind: String,
    pub message_id: String,
    pub thread_id: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// Waits for the daily digest instead of going out on its own.
    pub digest: bool,
}

/// What a committed check did to the stored state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The first version of this target.
    New { version: i64 },
    /// Same text as the current version.
    Unchanged { version: i64 },
    /// A different text became current; `reverted_to_first_seen` is set when it is an earlier
    /// wording coming back.
    Changed {
        version: i64,
        previous: i64,
        reverted_to_first_seen: Option<i64>,
    },
    /// No new content: a failure, a held change, or a 304 without a stored version.
    Nothing,
}

/// An alert waiting in (or sent from) the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub id: i64,
    pub target: Option<String>,
    pub kind: String,
    pub message_id: String,
    pub thread_id: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub created_at: i64,
    pub attempts: i64,
    pub last_error: Option<String>,
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

    /// Whether the target has a current version, without loading it.
    pub fn has_version(&self, target: &str) -> Result<bool, StoreError> {
        Ok(current_id(&self.conn, target)?.is_some())
    }

    /// The current version of a target, if it has one.
    pub fn current(&self, target: &str) -> Result<Option<Version>, StoreError> {
        match current_id(&self.conn, target)? {
            Some(id) => self.version(id),
            None => Ok(None),
        }
    }

    pub fn version(&self, id: i64) -> Result<Option<Version>, StoreError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT id, text, verdict, assessment, first_seen, last_seen
                 FROM versions WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            })
            .optional()?;
        let Some((id, text, verdict, assessment, first_seen, last_seen)) = row else {
            return Ok(None);
        };
        let assessment: Assessment = serde_json::from_str(&assessment)?;
        Ok(Some(Version {
            id,
            blocks: split_blocks(&text),
            verdict: Verdict::parse(&verdict).unwrap_or(assessment.verdict),
            assessment,
            first_seen,
            last_seen,
        }))
    }

    /// When `blocks` is an earlier wording of the target, when that wording was first seen.
    pub fn first_seen_of(
        &self,
        target: &str,
        blocks: &[String],
    ) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT first_seen FROM versions WHERE target = ?1 AND text = ?2",
                params![target, join_blocks(blocks)],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Commits one check: the check row, the version it saw, its alerts, the target's state and
    /// raw page, atomically.
    pub fn record(&mut self, rec: &CheckRecord<'_>) -> Result<Recorded, StoreError> {
        let tx = self.conn.transaction()?;
        upsert_target(&tx, rec.target, rec.carrier, rec.url, rec.started_at)?;
        let duration_ms = i64::try_from(rec.duration.as_millis()).unwrap_or(i64::MAX);
        let (recorded, status, version_id, error): (Recorded, &str, Option<i64>, Option<&str>) =
            match &rec.outcome {
                RecordOutcome::Failed { error } => (Recorded::Nothing, "error", None, Some(*error)),
                RecordOutcome::Held { status, note } => {
                    (Recorded::Nothing, *status, None, Some(*note))
                }
                RecordOutcome::NotModified => match current_id(&tx, rec.target)? {
                    Some(id) => {
                        touch(&tx, id, rec.started_at)?;
                        (
                            Recorded::Unchanged { version: id },
                            "unchanged",
                            Some(id),
                            None,
                        )
                    }
                    None => (
                        Recorded::Nothing,
                        "error",
                        None,
                        Some("304 without a stored version"),
                    ),
                },
                RecordOutcome::Content {
                    blocks,
                    assessment,
                    alert,
                    rebaseline,
                } => {
                    let (recorded, version) = record_content(&tx, rec, blocks, assessment)?;
                    if let (Recorded::Changed { .. }, Some(alert), false) =
                        (recorded, alert, rebaseline)
                    {
                        insert_alert(&tx, Some(rec.target), alert, rec.started_at)?;
                    }
                    let status = match recorded {
                        Recorded::New { .. } => "new",
                        Recorded::Changed { .. } if *rebaseline => "rebaseline",
                        Recorded::Changed { .. } => "changed",
                        _ => "unchanged",
                    };
                    if !matches!(recorded, Recorded::Unchanged { .. })
                        && let Some(raw) = rec.raw
                    {
                        save_raw(&tx, rec.target, raw)?;
                    }
                    (recorded, status, Some(version), None)
                }
            };
        for alert in rec.alerts {
            insert_alert(&tx, Some(rec.target), alert, rec.started_at)?;
        }
        write_state(&tx, rec.target, rec.state)?;
        if let Some(holder) = rec.lease {
            release_lease(&tx, rec.target, holder)?;
        }
        tx.prepare_cached(
            "INSERT INTO checks (target, started_at, status, http_status, duration_ms, error, version_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?.execute(
            params![
                rec.target,
                rec.started_at,
                status,
                rec.http_status,
                duration_ms,
                error,
                version_id
            ],
        )?;
        tx.commit()?;
        Ok(recorded)
    }

    /// After a lexicon or selector edit: makes `blocks` (re-extracted from the stored raw page)
    /// the current version without an alert, refreshing the verdict of unchanged text too.
    /// Returns whether the text changed.
    pub fn rebaseline(
        &mut self,
        target: &str,
        blocks: &[String],
        assessment: &Assessment,
        now: i64,
    ) -> Result<bool, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(current) = current_id(&tx, target)? else {
            return Ok(false);
        };
        let text: String =
            tx.query_row("SELECT text FROM versions WHERE id = ?1", [current], |r| {
                r.get(0)
            })?;
        let changed = text != join_blocks(blocks);
        let version = find_or_insert_version(&tx, target, blocks, assessment, now)?.0;
        if changed {
            tx.execute(
                "UPDATE targets SET current_version = ?2 WHERE name = ?1",
                params![target, version],
            )?;
            tx.execute(
                "INSERT INTO checks (target, started_at, status, duration_ms, error, version_id)
                 VALUES (?1, ?2, 'rebaseline', 0, 'configuration changed', ?3)",
                params![target, now, version],
            )?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Records how the current version was extracted, and whether the next fetch should be
    /// adopted as the baseline silently.
    pub fn set_fingerprint(
        &self,
        target: &str,
        fingerprint: &str,
        rebaseline_pending: bool,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE targets SET fingerprint = ?2, rebaseline_pending = ?3, etag = NULL,
                    last_modified = NULL, page_hash = NULL
             WHERE name = ?1",
            params![target, fingerprint, i64::from(rebaseline_pending)],
        )?;
        Ok(())
    }

    /// Takes the per-target lease for `holder` until `until`, unless another live holder has
    /// it, and reads the target's state in the same transaction.
    pub fn take_lease(
        &mut self,
        target: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> Result<Lease, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<(Option<String>, Option<i64>)> = tx
            .prepare_cached("SELECT lease_holder, lease_until FROM targets WHERE name = ?1")?
            .query_row([target], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((Some(other), Some(other_until))) = &existing
            && other != holder
            && *other_until > now
            && holder_alive(other)
        {
            return Ok(Lease::Busy(other.clone()));
        }
        // A target never checked gets its row here, lease included: two processes that both
        // found no row would otherwise both check it and both alert. Its first check fills in
        // the carrier and URL.
        tx.prepare_cached(
            "INSERT INTO targets (name, carrier, url, created_at, lease_holder, lease_until)
             VALUES (?1, '', '', ?4, ?2, ?3)
             ON CONFLICT(name) DO UPDATE SET lease_holder = ?2, lease_until = ?3",
        )?
        .execute(params![target, holder, until, now])?;
        let state = read_state(&tx, target)?;
        tx.commit()?;
        Ok(Lease::Taken(state))
    }

    pub fn release_lease(&self, target: &str, holder: &str) -> Result<(), StoreError> {
        release_lease(&self.conn, target, holder)
    }

    /// Claims an alert for sending by `holder` until `until`; false when it was sent or another
    /// live drain holds it. A claim of a process that is gone (killed mid-send) is void.
    pub fn claim(
        &mut self,
        id: i64,
        holder: &str,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row: Option<(Option<i64>, Option<String>, Option<i64>)> = tx
            .query_row(
                "SELECT sent_at, claimed_by, claimed_until FROM outbox WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let free = match &row {
            None | Some((Some(_), _, _)) => false,
            Some((None, Some(by), Some(until))) => {
                by == holder || *until < now || !holder_alive(by)
            }
            Some((None, _, _)) => true,
        };
        if free {
            tx.execute(
                "UPDATE outbox SET claimed_by = ?2, claimed_until = ?3 WHERE id = ?1",
                params![id, holder, until],
            )?;
        }
        tx.commit()?;
        Ok(free)
    }

    /// With the digest turned off, alerts held for it go out on their own.
    pub fn release_digest_items(&self) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE outbox SET digest = 0 WHERE digest = 1 AND sent_at IS NULL",
            [],
        )?)
    }

    /// The target's alert state (all defaults for a target never checked).
    pub fn state(&self, target: &str) -> Result<TargetState, StoreError> {
        read_state(&self.conn, target)
    }

    /// The raw page the current version came from.
    pub fn raw_page(&self, target: &str) -> Result<Option<RawPage>, StoreError> {
        let row: Option<(i64, String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT fetched_at, url, html FROM raw_pages WHERE target = ?1",
                [target],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((fetched_at, url, compressed)) = row else {
            return Ok(None);
        };
        let mut html = String::new();
        use std::io::Read;
        flate2::read::ZlibDecoder::new(compressed.as_slice())
            .read_to_string(&mut html)
            .map_err(|e| StoreError::Raw(e.to_string()))?;
        Ok(Some(RawPage {
            fetched_at,
            url,
            html,
        }))
    }

    /// Alerts not yet sent whose next attempt is due at `now`.
    pub fn due_alerts(&self, now: i64) -> Result<Vec<Alert>, StoreError> {
        self.alerts_where(
            "sent_at IS NULL AND digest = 0 AND next_attempt_at <= ?1 ORDER BY id",
            [now],
        )
    }

    /// Every alert not yet sent, due or not (not counting those held for the digest).
    pub fn pending_alerts(&self) -> Result<Vec<Alert>, StoreError> {
        self.alerts_where("sent_at IS NULL AND digest = 0 ORDER BY id", [])
    }

    fn alerts_where(
        &self,
        clause: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Alert>, StoreError> {
        let sql = format!(
            "SELECT id, target, kind, message_id, thread_id, subject, body_text, body_html,
                    created_at, attempts, last_error
             FROM outbox WHERE {clause}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok(Alert {
                id: r.get(0)?,
                target: r.get(1)?,
                kind: r.get(2)?,
                message_id: r.get(3)?,
                thread_id: r.get(4)?,
                subject: r.get(5)?,
                body_text: r.get(6)?,
                body_html: r.get(7)?,
                created_at: r.get(8)?,
                attempts: r.get(9)?,
                last_error: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Puts an alert that belongs to no check (e.g. a test email) in the outbox.
    pub fn enqueue(
        &mut self,
        target: Option<&str>,
        alert: &NewAlert,
        now: i64,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let id = insert_alert(&tx, target, alert, now)?;
        tx.commit()?;
        Ok(id)
    }

    pub fn mark_sent(&self, id: i64, now: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1, last_error = NULL,
                    claimed_by = NULL, claimed_until = NULL
             WHERE id = ?1",
            params![id, now],
        )?;
        Ok(())
    }

    pub fn mark_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: i64,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3,
                    claimed_by = NULL, claimed_until = NULL
             WHERE id = ?1",
            params![id, error, next_attempt_at],
        )?;
        Ok(())
    }

    /// The last check of a target: (started_at, status, error).
    pub fn last_check(&self, target: &str) -> Result<Option<LastCheck>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT started_at, status, error, http_status FROM checks
                 WHERE target = ?1 ORDER BY id DESC LIMIT 1",
                [target],
                |r| {
                    Ok(LastCheck {
                        started_at: r.get(0)?,
                        status: r.get(1)?,
                        error: r.get(2)?,
                        http_status: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// Every stored version of a target, oldest first.
    pub fn versions(&self, target: &str) -> Result<Vec<Version>, StoreError> {
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM versions WHERE target = ?1 ORDER BY first_seen, id")?;
            stmt.query_map([target], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.version(id)?);
        }
        Ok(out)
    }

    /// Alerts held for the digest, not yet sent.
    pub fn digest_items(&self) -> Result<Vec<Alert>, StoreError> {
        self.alerts_where("sent_at IS NULL AND digest = 1 ORDER BY id", [])
    }

    /// Queues `digest` and marks the items it summarises as done, atomically.
    pub fn commit_digest(
        &mut self,
        digest: &NewAlert,
        items: &[i64],
        now: i64,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        insert_alert(&tx, None, digest, now)?;
        for id in items {
            tx.execute(
                "UPDATE outbox SET sent_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// When the last alert of `kind` was queued.
    pub fn last_alert_of_kind(&self, kind: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.conn.query_row(
            "SELECT max(created_at) FROM outbox WHERE kind = ?1",
            [kind],
            |r| r.get(0),
        )?)
    }

    /// Per target, the number of checks with `status` since `since`.
    pub fn status_counts_since(
        &self,
        status: &str,
        since: i64,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT target, count(*) FROM checks WHERE status = ?1 AND started_at >= ?2
             GROUP BY target ORDER BY target",
        )?;
        let rows = stmt.query_map(params![status, since], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// (checks, changes) since `since`, over all targets.
    pub fn activity_since(&self, since: i64) -> Result<(i64, i64), StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(status = 'changed'), 0) FROM checks WHERE started_at >= ?1",
            [since],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
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

    /// Number of checks and versions stored for a target (for tests and `status`).
    pub fn counts(&self, target: &str) -> Result<(i64, i64), StoreError> {
        let checks = self.conn.query_row(
            "SELECT count(*) FROM checks WHERE target = ?1",
            [target],
            |r| r.get(0),
        )?;
        let versions = self.conn.query_row(
            "SELECT count(*) FROM versions WHERE target = ?1",
            [target],
            |r| r.get(0),
        )?;
        Ok((checks, versions))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LastCheck {
    pub started_at: i64,
    pub status: String,
    pub error: Option<String>,
    pub http_status: Option<u16>,
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

/// A lease holder is `<pid>@<host>`; on this host a holder whose process is gone holds nothing
/// (a `kill -9` must not block the next check for the lease's lifetime).
fn holder_alive(holder: &str) -> bool {
    let Some((pid, host)) = holder.split_once('@') else {
        return true;
    };
    if host != lease_host() {
        return true;
    }
    Path::new("/proc").join(pid).exists()
}

/// Read once per process: it is asked on every check, and a host renamed while the daemon runs
/// only makes its own stale leases look foreign until they expire.
fn lease_host() -> &'static str {
    static HOST: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HOST.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_default()
    })
}

/// This process as a lease holder.
pub fn lease_holder() -> String {
    format!("{}@{}", std::process::id(), lease_host())
}

fn upsert_target(
    tx: &Transaction<'_>,
    name: &str,
    carrier: &str,
    url: &str,
    now: i64,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO targets (name, carrier, url, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(name) DO UPDATE SET carrier = excluded.carrier, url = excluded.url",
    )?
    .execute(params![name, carrier, url, now])?;
    Ok(())
}

fn current_id(conn: &Connection, target: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT current_version FROM targets WHERE name = ?1")?
        .query_row([target], |r| r.get(0))
        .optional()?
        .flatten())
}

fn touch(tx: &Transaction<'_>, version: i64, now: i64) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE versions SET last_seen = ?2 WHERE id = ?1")?
        .execute(params![version, now])?;
    Ok(())
}

/// The row holding exactly `blocks` for this target, created if new. Returns (id, first_seen of
/// an earlier row when it existed): identical versions are never stored twice.
fn find_or_insert_version(
    tx: &Transaction<'_>,
    target: &str,
    blocks: &[String],
    assessment: &Assessment,
    now: i64,
) -> Result<(i64, Option<i64>), StoreError> {
    let text = join_blocks(blocks);
    let earlier: Option<(i64, i64)> = tx
        .query_row(
            "SELECT id, first_seen FROM versions WHERE target = ?1 AND text = ?2",
            params![target, text],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, first_seen)) = earlier {
        // Same text, but the lexicon may have changed since it was first stored.
        tx.execute(
            "UPDATE versions SET last_seen = ?2, verdict = ?3, assessment = ?4 WHERE id = ?1",
            params![
                id,
                now,
                assessment.verdict.as_str(),
                serde_json::to_string(assessment)?
            ],
        )?;
        return Ok((id, Some(first_seen)));
    }
    tx.execute(
        "INSERT INTO versions (target, text, verdict, assessment, first_seen, last_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![
            target,
            text,
            assessment.verdict.as_str(),
            serde_json::to_string(assessment)?,
            now
        ],
    )?;
    Ok((tx.last_insert_rowid(), None))
}

fn record_content(
    tx: &Transaction<'_>,
    rec: &CheckRecord<'_>,
    blocks: &[String],
    assessment: &Assessment,
) -> Result<(Recorded, i64), StoreError> {
    let current: Option<(i64, String)> = tx
        .prepare_cached(
            "SELECT v.id, v.text FROM targets t JOIN versions v ON v.id = t.current_version
             WHERE t.name = ?1",
        )?
        .query_row([rec.target], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((id, current_text)) = &current
        && *current_text == join_blocks(blocks)
    {
        touch(tx, *id, rec.started_at)?;
        return Ok((Recorded::Unchanged { version: *id }, *id));
    }
    let (version, reverted) =
        find_or_insert_version(tx, rec.target, blocks, assessment, rec.started_at)?;
    tx.prepare_cached("UPDATE targets SET current_version = ?2 WHERE name = ?1")?
        .execute(params![rec.target, version])?;
    let recorded = match current {
        None => Recorded::New { version },
        Some((previous, _)) => Recorded::Changed {
            version,
            previous,
            reverted_to_first_seen: reverted,
        },
    };
    Ok((recorded, version))
}

fn read_state(conn: &Connection, target: &str) -> Result<TargetState, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT etag, last_modified, moved_to, failure_streak, failing_alerted_at,
                    failing_reminded_at, lost_streak, evidence_lost, fingerprint,
                    rebaseline_pending, page_hash
             FROM targets WHERE name = ?1",
        )?
        .query_row([target], |r| {
            Ok(TargetState {
                etag: r.get(0)?,
                last_modified: r.get(1)?,
                moved_to: r.get(2)?,
                failure_streak: r.get(3)?,
                failing_alerted_at: r.get(4)?,
                failing_reminded_at: r.get(5)?,
                lost_streak: r.get(6)?,
                evidence_lost: Lost::from_db(r.get(7)?),
                fingerprint: r.get(8)?,
                rebaseline_pending: r.get::<_, i64>(9)? != 0,
                // Anything but 32 bytes is not a hash this version wrote: parse again.
                page_hash: r
                    .get::<_, Option<Vec<u8>>>(10)?
                    .and_then(|h| <[u8; 32]>::try_from(h.as_slice()).ok()),
            })
        })
        .optional()?
        .unwrap_or_default())
}

fn release_lease(conn: &Connection, target: &str, holder: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE targets SET lease_holder = NULL, lease_until = NULL
         WHERE name = ?1 AND lease_holder = ?2",
    )?
    .execute(params![target, holder])?;
    Ok(())
}

fn write_state(tx: &Transaction<'_>, target: &str, s: &TargetState) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE targets SET etag = ?2, last_modified = ?3, moved_to = ?4, failure_streak = ?5,
                failing_alerted_at = ?6, failing_reminded_at = ?7, lost_streak = ?8,
                evidence_lost = ?9, fingerprint = ?10, rebaseline_pending = ?11, page_hash = ?12
         WHERE name = ?1",
    )?
    .execute(params![
        target,
        s.etag,
        s.last_modified,
        s.moved_to,
        s.failure_streak,
        s.failing_alerted_at,
        s.failing_reminded_at,
        s.lost_streak,
        s.evidence_lost.to_db(),
        s.fingerprint,
        i64::from(s.rebaseline_pending),
        s.page_hash.as_ref().map(|h| h.as_slice())
    ])?;
    Ok(())
}

fn save_raw(tx: &Transaction<'_>, target: &str, raw: &RawPage) -> Result<(), StoreError> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(raw.html.as_bytes())
        .and_then(|_| z.flush())
        .map_err(|e| StoreError::Raw(e.to_string()))?;
    let compressed = z.finish().map_err(|e| StoreError::Raw(e.to_string()))?;
    tx.execute(
        "INSERT INTO raw_pages (target, fetched_at, url, html) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(target) DO UPDATE SET fetched_at = excluded.fetched_at,
             url = excluded.url, html = excluded.html",
        params![target, raw.fetched_at, raw.url, compressed],
    )?;
    Ok(())
}

fn insert_alert(
    tx: &Transaction<'_>,
    target: Option<&str>,
    a: &NewAlert,
    now: i64,
) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO outbox (target, kind, message_id, thread_id, subject, body_text, body_html,
                             created_at, next_attempt_at, digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
        params![
            target,
            a.kind,
            a.message_id,
            a.thread_id,
            a.subject,
            a.body_text,
            a.body_html,
            now,
            i64::from(a.digest)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Blocks never contain a newline (extraction collapses whitespace), so one per line is lossless.
fn join_blocks(blocks: &[String]) -> String {
    blocks.join("\n")
}

fn split_blocks(text: &str) -> Vec<String> {
    if text.is_empty() {
        Vec::new()
    } else {
        text.split('\n').map(str::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::verdict::assess;

    const MIGRATION_FILES: &[&str] = &[
        "0001_initial.sql",
        "0002_alert_state.sql",
        "0003_leases_and_claims.sql",
        "0004_page_hash.sql",
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
