//! Versions and checks: the distinct texts of each target, every check made of it, and the
//! per-target state the alert rules keep, all written in one transaction per check.

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};

use super::CheckStatus;
use super::outbox::{NewAlert, insert_alert};
use super::pages::{RawPage, save_raw};
use super::{Store, StoreError};
use crate::extract::verdict::{Assessment, Verdict};

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

impl Version {
    /// Read `FROM` [`Version::FROM`]: the current version's last sighting is kept in its
    /// target's row (`targets.current_seen`, see [`see_current`]).
    pub(super) const COLUMNS: &'static str = "v.id, v.text, v.verdict, v.assessment, v.first_seen, \
        CASE WHEN t.current_version = v.id THEN max(v.last_seen, coalesce(t.current_seen, 0)) \
        ELSE v.last_seen END";
    pub(super) const FROM: &'static str = "versions v LEFT JOIN targets t ON t.name = v.target";

    pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Version> {
        let json: String = r.get(3)?;
        let assessment: Assessment = serde_json::from_str(&json).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e))
        })?;
        let verdict: String = r.get(2)?;
        Ok(Version {
            id: r.get(0)?,
            blocks: split_blocks(&r.get::<_, String>(1)?),
            verdict: Verdict::parse(&verdict).unwrap_or(assessment.verdict),
            assessment,
            first_seen: r.get(4)?,
            last_seen: r.get(5)?,
        })
    }
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
    /// The hash of the final URL and the pre-selection's cut of such a page (see
    /// `extract::document::cut_hash`): a page that differs only outside its selection needs no
    /// parse either.
    pub cut_hash: Option<[u8; 32]>,
}

impl TargetState {
    const COLUMNS: &'static str = "etag, last_modified, moved_to, failure_streak, \
        failing_alerted_at, failing_reminded_at, lost_streak, evidence_lost, fingerprint, \
        rebaseline_pending, page_hash, cut_hash";

    /// From the row's columns `at..at + 12`, in the order of `COLUMNS`.
    fn from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<TargetState> {
        Ok(TargetState {
            etag: r.get(at)?,
            last_modified: r.get(at + 1)?,
            moved_to: r.get(at + 2)?,
            failure_streak: r.get(at + 3)?,
            failing_alerted_at: r.get(at + 4)?,
            failing_reminded_at: r.get(at + 5)?,
            lost_streak: r.get(at + 6)?,
            evidence_lost: Lost::from_db(r.get(at + 7)?),
            fingerprint: r.get(at + 8)?,
            rebaseline_pending: r.get::<_, i64>(at + 9)? != 0,
            // Anything but 32 bytes is not a hash this version wrote: parse again.
            page_hash: r
                .get::<_, Option<Vec<u8>>>(at + 10)?
                .and_then(|h| <[u8; 32]>::try_from(h.as_slice()).ok()),
            cut_hash: r
                .get::<_, Option<Vec<u8>>>(at + 11)?
                .and_then(|h| <[u8; 32]>::try_from(h.as_slice()).ok()),
        })
    }
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
        status: CheckStatus,
        note: &'a str,
    },
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

impl Store {
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
        let sql = format!(
            "SELECT {} FROM {} WHERE v.id = ?1",
            Version::COLUMNS,
            Version::FROM
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], Version::from_row)
            .optional()?)
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
        // The target's row, its new state and the lease's release in one statement (the row
        // exists once a lease was taken); a row still missing is made first.
        if !write_state(&tx, rec)? {
            upsert_target(&tx, rec.target, rec.carrier, rec.url, rec.started_at)?;
            write_state(&tx, rec)?;
        }
        let duration_ms = i64::try_from(rec.duration.as_millis()).unwrap_or(i64::MAX);
        let (recorded, status, version_id, error): (
            Recorded,
            CheckStatus,
            Option<i64>,
            Option<&str>,
        ) = match &rec.outcome {
            RecordOutcome::Failed { error } => {
                (Recorded::Nothing, CheckStatus::Error, None, Some(*error))
            }
            RecordOutcome::Held { status, note } => (Recorded::Nothing, *status, None, Some(*note)),
            RecordOutcome::NotModified => match see_current(&tx, rec.target, rec.started_at)? {
                Some(id) => (
                    Recorded::Unchanged { version: id },
                    CheckStatus::Unchanged,
                    Some(id),
                    None,
                ),
                None => {
                    // Validators or hashes that promise a version nobody stored (a damaged or
                    // hand-edited database) would give this error on every check: forget them,
                    // so the next fetch is read in full and becomes the baseline.
                    tx.prepare_cached(&format!(
                        "UPDATE targets SET {FORGET_READ_PAGE} WHERE name = ?1"
                    ))?
                    .execute([rec.target])?;
                    (
                        Recorded::Nothing,
                        CheckStatus::Error,
                        None,
                        Some("304 without a stored version"),
                    )
                }
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
                    Recorded::New { .. } => CheckStatus::New,
                    Recorded::Changed { .. } if *rebaseline => CheckStatus::Rebaseline,
                    Recorded::Changed { .. } => CheckStatus::Changed,
                    _ => CheckStatus::Unchanged,
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
        let row = VersionRow::of(blocks, assessment)?;
        let changed = text != row.text;
        let version = find_or_insert_version(&tx, target, &row, now)?.0;
        if changed {
            make_current(&tx, target, version)?;
            tx.execute(
                "INSERT INTO checks (target, started_at, status, duration_ms, error, version_id)
                 VALUES (?1, ?2, ?3, 0, 'configuration changed', ?4)",
                params![target, now, CheckStatus::Rebaseline, version],
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
            &format!(
                "UPDATE targets SET fingerprint = ?2, rebaseline_pending = ?3, {FORGET_READ_PAGE}
                 WHERE name = ?1"
            ),
            params![target, fingerprint, i64::from(rebaseline_pending)],
        )?;
        Ok(())
    }

    /// The target's alert state (all defaults for a target never checked).
    pub fn state(&self, target: &str) -> Result<TargetState, StoreError> {
        read_state(&self.conn, target)
    }
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

/// Forgets what identifies the page the current version was read from (validators for a
/// conditional GET, the page and cut hashes that let a check skip reading it), so that the next
/// fetch is fetched and read in full.
const FORGET_READ_PAGE: &str =
    "etag = NULL, last_modified = NULL, page_hash = NULL, cut_hash = NULL";

/// Marks the target's current version seen at `now`; its id, or `None` without one. Written to
/// the target's row: the version's own row holds its text and evidence, which an update of it
/// would read back and compare, on every unchanged check.
fn see_current(tx: &Transaction<'_>, target: &str, now: i64) -> Result<Option<i64>, StoreError> {
    Ok(tx
        .prepare_cached(
            "UPDATE targets SET current_seen = max(coalesce(current_seen, 0), ?2)
             WHERE name = ?1
               AND EXISTS (SELECT 1 FROM versions WHERE id = targets.current_version)
             RETURNING current_version",
        )?
        .query_row(params![target, now], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Makes `version` the target's current version, first giving the one it replaces its last
/// sighting (kept in the target's row while it was current).
fn make_current(tx: &Transaction<'_>, target: &str, version: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE versions SET last_seen = max(last_seen, (SELECT current_seen FROM targets WHERE name = ?1))
         WHERE id = (SELECT current_version FROM targets WHERE name = ?1 AND current_seen IS NOT NULL)
           AND id != ?2",
    )?
    .execute(params![target, version])?;
    tx.prepare_cached(
        "UPDATE targets SET current_version = ?2,
             current_seen = CASE WHEN current_version = ?2 THEN current_seen END
         WHERE name = ?1",
    )?
    .execute(params![target, version])?;
    Ok(())
}

/// A version's text and assessment as they are stored, made once per record: compared with the
/// current version, then written.
struct VersionRow {
    text: String,
    verdict: &'static str,
    assessment: String,
}

impl VersionRow {
    fn of(blocks: &[String], assessment: &Assessment) -> Result<VersionRow, StoreError> {
        Ok(VersionRow {
            text: join_blocks(blocks),
            verdict: assessment.verdict.as_str(),
            assessment: serde_json::to_string(assessment)?,
        })
    }
}

/// Marks a version seen at `now` with `row`'s assessment, its text's freshest: the lexicon or
/// the verdict code may have changed since it was stored.
fn refresh(
    tx: &Transaction<'_>,
    version: i64,
    row: &VersionRow,
    now: i64,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE versions SET last_seen = max(last_seen, ?2), verdict = ?3, assessment = ?4
         WHERE id = ?1",
    )?
    .execute(params![version, now, row.verdict, row.assessment])?;
    Ok(())
}

/// The row holding exactly `blocks` for this target, created if new. Returns (id, first_seen of
/// an earlier row when it existed): identical versions are never stored twice.
fn find_or_insert_version(
    tx: &Transaction<'_>,
    target: &str,
    row: &VersionRow,
    now: i64,
) -> Result<(i64, Option<i64>), StoreError> {
    let earlier: Option<(i64, i64)> = tx
        .prepare_cached("SELECT id, first_seen FROM versions WHERE target = ?1 AND text = ?2")?
        .query_row(params![target, row.text], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((id, first_seen)) = earlier {
        refresh(tx, id, row, now)?;
        return Ok((id, Some(first_seen)));
    }
    tx.prepare_cached(
        "INSERT INTO versions (target, text, verdict, assessment, first_seen, last_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?
    .execute(params![target, row.text, row.verdict, row.assessment, now])?;
    Ok((tx.last_insert_rowid(), None))
}

fn record_content(
    tx: &Transaction<'_>,
    rec: &CheckRecord<'_>,
    blocks: &[String],
    assessment: &Assessment,
) -> Result<(Recorded, i64), StoreError> {
    let current: Option<(i64, String, String)> = tx
        .prepare_cached(
            "SELECT v.id, v.text, v.assessment FROM targets t
             JOIN versions v ON v.id = t.current_version WHERE t.name = ?1",
        )?
        .query_row([rec.target], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let row = VersionRow::of(blocks, assessment)?;
    if let Some((id, current_text, stored)) = &current
        && *current_text == row.text
    {
        // The text is the same, so no alert; but its assessment is this check's, which is
        // fresher than the stored one after a baseline the stored page could not re-derive.
        // Rewritten only when it differs: most such checks would rewrite the same ~20 KiB.
        if *stored == row.assessment {
            see_current(tx, rec.target, rec.started_at)?;
        } else {
            refresh(tx, *id, &row, rec.started_at)?;
        }
        return Ok((Recorded::Unchanged { version: *id }, *id));
    }
    let (version, reverted) = find_or_insert_version(tx, rec.target, &row, rec.started_at)?;
    make_current(tx, rec.target, version)?;
    let recorded = match current {
        None => Recorded::New { version },
        Some((previous, _, _)) => Recorded::Changed {
            version,
            previous,
            reverted_to_first_seen: reverted,
        },
    };
    Ok((recorded, version))
}

pub(super) fn read_state(conn: &Connection, target: &str) -> Result<TargetState, StoreError> {
    let sql = format!(
        "SELECT {} FROM targets WHERE name = ?1",
        TargetState::COLUMNS
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([target], |r| TargetState::from_row(r, 0))
        .optional()?
        .unwrap_or_default())
}

/// A target's lease holder, the lease's expiry, and the target's state.
pub(super) type LeaseAndState = (Option<String>, Option<i64>, TargetState);

/// The target's lease and state in one read; `None` without a row.
pub(super) fn read_lease_and_state(
    conn: &Connection,
    target: &str,
) -> Result<Option<LeaseAndState>, StoreError> {
    let sql = format!(
        "SELECT lease_holder, lease_until, {} FROM targets WHERE name = ?1",
        TargetState::COLUMNS
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([target], |r| {
            Ok((r.get(0)?, r.get(1)?, TargetState::from_row(r, 2)?))
        })
        .optional()?)
}

/// Writes the check's carrier, URL and target state, and releases its lease, if it holds one.
/// `false` when the target has no row yet.
fn write_state(tx: &Transaction<'_>, rec: &CheckRecord<'_>) -> Result<bool, StoreError> {
    let s = rec.state;
    let changed = tx
        .prepare_cached(
            "UPDATE targets SET etag = ?2, last_modified = ?3, moved_to = ?4, failure_streak = ?5,
                failing_alerted_at = ?6, failing_reminded_at = ?7, lost_streak = ?8,
                evidence_lost = ?9, fingerprint = ?10, rebaseline_pending = ?11, page_hash = ?12,
                cut_hash = ?13, carrier = ?14, url = ?15,
                lease_holder = CASE WHEN lease_holder = ?16 THEN NULL ELSE lease_holder END,
                lease_until = CASE WHEN lease_holder = ?16 THEN NULL ELSE lease_until END
         WHERE name = ?1",
        )?
        .execute(params![
            rec.target,
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
            s.page_hash.as_ref().map(|h| h.as_slice()),
            s.cut_hash.as_ref().map(|h| h.as_slice()),
            rec.carrier,
            rec.url,
            rec.lease
        ])?;
    Ok(changed > 0)
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
