//! The outbox: alerts committed with the check that raised them, and their deliveries.
//!
//! An alert is channel-neutral: the rendered email and a structured JSON payload. The first
//! drain after it is committed routes it, making one delivery per channel it goes to; from then
//! on each delivery is retried, claimed and finished on its own, so one channel's outage never
//! holds up another. A delivery's id is fixed when it is made (the Message-ID for email), so a
//! resend is recognisably the same message.

use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior, params};

use super::leases::holder_alive;
use super::{Store, StoreError};

/// What an alert says, rendered: the same whether it is about to be stored ([`NewAlert`]) or
/// read back from the outbox ([`Alert`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AlertMessage {
    pub kind: String,
    pub message_id: String,
    pub thread_id: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
}

/// An alert to put in the outbox, already rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAlert {
    pub message: AlertMessage,
    /// The structured form of the same alert (JSON), for channels other than email.
    pub payload: String,
    /// Waits for the daily digest instead of going out on its own.
    pub digest: bool,
}

/// An alert waiting in (or sent from) the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub id: i64,
    pub target: Option<String>,
    pub message: AlertMessage,
    /// `None` for alerts stored before payloads existed.
    pub payload: Option<String>,
    pub created_at: i64,
}

impl Alert {
    const COLUMNS: &'static str = "o.id, o.target, o.kind, o.message_id, o.thread_id, o.subject, \
        o.body_text, o.body_html, o.payload, o.created_at";

    /// From the row's columns `at..at + 10`, in the order of `COLUMNS`.
    fn from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<Alert> {
        Ok(Alert {
            id: r.get(at)?,
            target: r.get(at + 1)?,
            message: AlertMessage {
                kind: r.get(at + 2)?,
                message_id: r.get(at + 3)?,
                thread_id: r.get(at + 4)?,
                subject: r.get(at + 5)?,
                body_text: r.get(at + 6)?,
                body_html: r.get(at + 7)?,
            },
            payload: r.get(at + 8)?,
            created_at: r.get(at + 9)?,
        })
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    Pending,
    Sent,
    /// Failed for good: refused (an SMTP 5xx, an HTTP 4xx) and the refusal shown final, or its
    /// channel no longer configured. Never retried.
    FailedPermanent,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sent => "sent",
            DeliveryState::FailedPermanent => "failed-permanent",
        }
    }
}

impl rusqlite::types::FromSql for DeliveryState {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        match v.as_str()? {
            "pending" => Ok(DeliveryState::Pending),
            "sent" => Ok(DeliveryState::Sent),
            "failed-permanent" => Ok(DeliveryState::FailedPermanent),
            _ => Err(rusqlite::types::FromSqlError::InvalidType),
        }
    }
}

/// One alert on its way through one channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: i64,
    pub channel: String,
    /// Stable across retries: the Message-ID for email, `X-Policywatch-Delivery` for webhooks.
    pub delivery_id: String,
    pub state: DeliveryState,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    /// When its last attempt was refused (an SMTP 5xx, an HTTP 4xx), while that refusal may
    /// still be about the setup ([`Store::delivery_failed`]).
    pub refused_at: Option<i64>,
    pub alert: Alert,
}

impl Delivery {
    const COLUMNS: &'static str = "d.id, d.channel, d.delivery_id, d.state, d.attempts, \
         d.next_attempt_at, d.last_error, d.refused_at";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Delivery> {
        Ok(Delivery {
            id: r.get(0)?,
            channel: r.get(1)?,
            delivery_id: r.get(2)?,
            state: r.get(3)?,
            attempts: r.get(4)?,
            next_attempt_at: r.get(5)?,
            last_error: r.get(6)?,
            refused_at: r.get(7)?,
            alert: Alert::from_row(r, 8)?,
        })
    }
}

/// The delivery id of `message_id` on `channel`: the Message-ID itself for the built-in channel
/// (it is what the mail carries), a digest of both for a webhook, so each (alert, channel) has
/// one identity that never changes.
pub fn delivery_id(message_id: &str, channel: &str, builtin: bool) -> String {
    if builtin {
        return message_id.to_string();
    }
    let h = crate::hash::digest(&[message_id.as_bytes(), &[0], channel.as_bytes()]);
    blake3::Hash::from(h).to_hex()[..32].to_string()
}

/// An alert not yet routed: id, target, Message-ID, and the next attempt, attempts and last
/// error an older version recorded on it.
type Unrouted = (i64, Option<String>, String, i64, i64, Option<String>);

impl Store {
    /// Gives every alert not yet routed (and not held for the digest) one delivery per channel
    /// `channels_for(target)` names. `builtin` is the name of the email or console channel.
    /// Returns the number of alerts routed.
    pub fn route(
        &mut self,
        now: i64,
        builtin: &str,
        channels_for: impl Fn(Option<&str>) -> Vec<String>,
    ) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let todo: Vec<Unrouted> = {
            let mut stmt = tx.prepare(
                "SELECT id, target, message_id, next_attempt_at, attempts, last_error FROM outbox
                 WHERE routed_at IS NULL AND sent_at IS NULL AND digest = 0 ORDER BY id",
            )?;
            stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<Result<_, _>>()?
        };
        for (id, target, message_id, next, attempts, last_error) in &todo {
            let channels = channels_for(target.as_deref());
            for channel in &channels {
                let builtin = channel == builtin;
                // Only the built-in channel inherits what an older version recorded.
                let (attempts, last_error) = if builtin {
                    (*attempts, last_error.as_deref())
                } else {
                    (0, None)
                };
                tx.execute(
                    "INSERT INTO deliveries (alert_id, channel, delivery_id, attempts,
                                             next_attempt_at, last_error)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                    params![
                        id,
                        channel,
                        delivery_id(message_id, channel, builtin),
                        attempts,
                        next,
                        last_error
                    ],
                )?;
            }
            let done = if channels.is_empty() { Some(now) } else { None };
            tx.execute(
                "UPDATE outbox SET routed_at = ?2, sent_at = ?3 WHERE id = ?1",
                params![id, now, done],
            )?;
        }
        tx.commit()?;
        Ok(todo.len())
    }

    /// Pending deliveries, of one channel or of all, in the order their alerts were queued.
    pub fn pending_deliveries(&self, channel: Option<&str>) -> Result<Vec<Delivery>, StoreError> {
        self.deliveries_where(
            "d.state = 'pending' AND (?1 IS NULL OR d.channel = ?1) ORDER BY d.alert_id, d.id",
            params![channel],
        )
    }

    /// Deliveries that failed for good since `since`, oldest first.
    pub fn failed_deliveries_since(&self, since: i64) -> Result<Vec<Delivery>, StoreError> {
        self.deliveries_where(
            "d.state = 'failed-permanent' AND d.failed_at >= ?1 ORDER BY d.failed_at, d.id",
            params![since],
        )
    }

    /// Every delivery of an alert (for tests and `status`).
    pub fn deliveries_of(&self, alert: i64) -> Result<Vec<Delivery>, StoreError> {
        self.deliveries_where("d.alert_id = ?1 ORDER BY d.id", params![alert])
    }

    fn deliveries_where(
        &self,
        clause: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "SELECT {}, {} FROM deliveries d JOIN outbox o ON o.id = d.alert_id WHERE {clause}",
            Delivery::COLUMNS,
            Alert::COLUMNS
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, Delivery::from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Claims a delivery for sending by `holder` until `until`; false when it is no longer
    /// pending or another live drain holds it. A claim of a process that is gone (killed
    /// mid-send) is void.
    pub fn claim_delivery(
        &mut self,
        id: i64,
        holder: &str,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row: Option<(DeliveryState, Option<String>, Option<i64>)> = tx
            .query_row(
                "SELECT state, claimed_by, claimed_until FROM deliveries WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let free = match &row {
            Some((DeliveryState::Pending, Some(by), Some(until))) => {
                by == holder || *until < now || !holder_alive(by)
            }
            Some((DeliveryState::Pending, _, _)) => true,
            _ => false,
        };
        if free {
            tx.execute(
                "UPDATE deliveries SET claimed_by = ?2, claimed_until = ?3 WHERE id = ?1",
                params![id, holder, until],
            )?;
        }
        tx.commit()?;
        Ok(free)
    }

    pub fn delivery_sent(&mut self, id: i64, now: i64) -> Result<(), StoreError> {
        self.finish_delivery(
            id,
            "UPDATE deliveries SET state = 'sent', sent_at = ?2, attempts = attempts + 1,
                    last_error = NULL, refused_at = NULL, claimed_by = NULL, claimed_until = NULL
             WHERE id = ?1",
            params![id, now],
        )
    }

    /// Failed for good: never retried, reported by `status` and the next digest or heartbeat.
    pub fn delivery_failed_for_good(
        &mut self,
        id: i64,
        error: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.finish_delivery(
            id,
            "UPDATE deliveries SET state = 'failed-permanent', failed_at = ?3,
                    attempts = attempts + 1, last_error = ?2, claimed_by = NULL,
                    claimed_until = NULL
             WHERE id = ?1",
            params![id, error, now],
        )
    }

    /// A failure worth retrying at `next_attempt_at`. `refused_at` is when it was a refusal (an
    /// SMTP 5xx, an HTTP 4xx): such a refusal may be about the setup rather than the message (a
    /// relay that refuses the client, a revoked webhook token), which refuses every alert alike,
    /// so it is kept too; the drain makes it final when it comes again after another alert went
    /// through.
    pub fn delivery_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: i64,
        refused_at: Option<i64>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE deliveries SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3,
                    refused_at = ?4, claimed_by = NULL, claimed_until = NULL
             WHERE id = ?1",
            params![id, error, next_attempt_at, refused_at],
        )?;
        Ok(())
    }

    /// Applies `update` to a delivery, and marks its alert done once none of its deliveries is
    /// pending, in one transaction.
    fn finish_delivery(
        &mut self,
        id: i64,
        update: &str,
        args: impl rusqlite::Params,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(update, args)?;
        tx.execute(
            "UPDATE outbox SET sent_at = (SELECT max(coalesce(sent_at, failed_at)) FROM deliveries
                                          WHERE alert_id = outbox.id)
             WHERE id = (SELECT alert_id FROM deliveries WHERE id = ?1)
               AND NOT EXISTS (SELECT 1 FROM deliveries
                               WHERE alert_id = outbox.id AND state = 'pending')",
            [id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// With the digest turned off, alerts held for it go out on their own.
    pub fn release_digest_items(&self) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE outbox SET digest = 0 WHERE digest = 1 AND sent_at IS NULL",
            [],
        )?)
    }

    /// Every alert not yet done (not counting those held for the digest).
    pub fn pending_alerts(&self) -> Result<Vec<Alert>, StoreError> {
        self.alerts_where("o.sent_at IS NULL AND o.digest = 0 ORDER BY o.id", [])
    }

    /// The latest `limit` alerts about a target (changes and notices, not digests or
    /// heartbeats), newest first: the Atom feed's entries.
    pub fn recent_target_alerts(&self, limit: usize) -> Result<Vec<Alert>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.alerts_where("o.target IS NOT NULL ORDER BY o.id DESC LIMIT ?1", [limit])
    }

    fn alerts_where(
        &self,
        clause: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Alert>, StoreError> {
        let sql = format!("SELECT {} FROM outbox o WHERE {clause}", Alert::COLUMNS);
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(args, |r| Alert::from_row(r, 0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Puts an alert that belongs to no check (e.g. a heartbeat) in the outbox.
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

    /// Alerts held for the digest, not yet sent.
    pub fn digest_items(&self) -> Result<Vec<Alert>, StoreError> {
        self.alerts_where("o.sent_at IS NULL AND o.digest = 1 ORDER BY o.id", [])
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
                             payload, created_at, next_attempt_at, digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
        params![
            target,
            a.message.kind,
            a.message.message_id,
            a.message.thread_id,
            a.message.subject,
            a.message.body_text,
            a.message.body_html,
            a.payload,
            now,
            i64::from(a.digest)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

#[cfg(test)]
mod tests;
