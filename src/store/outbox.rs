//! The outbox: alerts committed with the check that raised them, waiting to be sent.

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::leases::holder_alive;
use super::{Store, StoreError};

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

impl Store {
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
}

pub(super) fn insert_alert(
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
