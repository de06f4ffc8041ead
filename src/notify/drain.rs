//! Drain: routes new alerts to their channels and sends what is due, each channel on its own.
//!
//! Channels are drained concurrently, so a webhook that times out never delays email. Within a
//! channel, deliveries go in the order their alerts were queued, and a delivery that must wait
//! holds back the later ones of the same target only (a "recovered" never overtakes its
//! "failing"); other targets go on. A refusal for good is recorded and skipped, never blocking
//! anything. When the channel itself cannot be used (no connection, a timeout), it rests until
//! the next drain: one failed attempt per drain, with backoff, rather than one per alert.

use std::collections::HashSet;
use std::io::Write;
use std::sync::Mutex;

use super::email::{self, Mailer};
use super::webhook::WebhookClient;
use super::{Channel, Channels, DeliveryError, Failure, NotifyError, retry_delay};
use crate::config::FetchSettings;
use crate::store::{Alert, Delivery, Store, lock, now_unix};

/// How long a drain holds a delivery it is sending; after a crash, another drain may resend it
/// (under the same delivery id) once this has passed. Longer than any send's timeout.
const CLAIM_SECONDS: i64 = 900;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Drained {
    pub sent: usize,
    /// Failed and kept pending for a retry.
    pub failed: usize,
    /// Refused for good.
    pub refused: usize,
}

impl Drained {
    fn add(&mut self, o: Drained) {
        self.sent += o.sent;
        self.failed += o.failed;
        self.refused += o.refused;
    }
}

/// Routes alerts not yet routed, then sends due deliveries (with `all`, every pending one: a
/// manual `check` tries them all). In a channel, once one delivery goes through, the rest
/// follow in queue order whatever their backoff: the way is clear.
pub async fn drain(
    store: &Mutex<Store>,
    channels: &Channels,
    all: bool,
) -> Result<Drained, NotifyError> {
    lock(store).route(now_unix(), channels.builtin(), |t| channels.route(t))?;
    let results = futures_util::future::join_all(
        channels
            .iter()
            .map(|c| drain_channel(store, c, &channels.fetch, all)),
    )
    .await;
    let mut done = Drained::default();
    for r in results {
        done.add(r?);
    }
    // Deliveries on a channel no longer configured would wait for ever: say so, once each.
    for d in lock(store).pending_deliveries(None)? {
        if channels.get(&d.channel).is_none() {
            let why = format!("channel `{}` is no longer configured", d.channel);
            lock(store).delivery_failed_for_good(d.id, &why, now_unix())?;
            tracing::error!(alert = d.alert.id, channel = %d.channel, "alert not delivered: {why}");
            done.refused += 1;
        }
    }
    Ok(done)
}

async fn drain_channel(
    store: &Mutex<Store>,
    channel: &Channel,
    fetch: &FetchSettings,
    all: bool,
) -> Result<Drained, NotifyError> {
    let mut done = Drained::default();
    let name = channel.name();
    let mut queue = lock(store).pending_deliveries(Some(name))?;
    let now = now_unix();
    let Some(first_due) = queue.iter().find(|d| all || d.next_attempt_at <= now) else {
        return Ok(done);
    };
    let live = match Live::open(channel, fetch) {
        Ok(l) => l,
        Err(e) => {
            failed(store, first_due, &e, &mut done)?;
            return Ok(done);
        }
    };
    let holder = crate::store::lease_holder();
    let mut clear = all;
    // Each delivery is tried at most once per drain; the queue is read again (once) when the
    // way clears, so this loop is bounded by twice the pending deliveries.
    let mut tried: HashSet<i64> = HashSet::new();
    let mut restarted = false;
    'queue: loop {
        // Targets (None: alerts about no target) whose earlier delivery must be waited for.
        let mut held: HashSet<Option<String>> = HashSet::new();
        for d in &queue {
            let thread = d.alert.target.clone();
            if held.contains(&thread) || tried.contains(&d.id) {
                continue;
            }
            let now = now_unix();
            if !clear && d.next_attempt_at > now {
                held.insert(thread);
                continue;
            }
            if !lock(store).claim_delivery(d.id, &holder, now, now + CLAIM_SECONDS)? {
                // Sent meanwhile, or another process is sending it: keep the order.
                held.insert(thread);
                continue;
            }
            tried.insert(d.id);
            match live.deliver(&d.alert, &d.delivery_id).await {
                Ok(()) => {
                    lock(store).delivery_sent(d.id, now_unix())?;
                    tracing::info!(alert = d.alert.id, channel = name, delivery = %d.delivery_id, subject = %d.alert.message.subject, "alert delivered");
                    done.sent += 1;
                    if !clear {
                        clear = true;
                        if !restarted {
                            restarted = true;
                            queue = lock(store).pending_deliveries(Some(name))?;
                            continue 'queue;
                        }
                    }
                }
                Err(e) => {
                    failed(store, d, &e, &mut done)?;
                    match e.kind {
                        Failure::Permanent => {}
                        Failure::Transient => {
                            held.insert(thread);
                        }
                        Failure::Unreachable => break 'queue,
                    }
                }
            }
        }
        break;
    }
    Ok(done)
}

/// Records a failed delivery: for good, or with its next attempt after the backoff.
fn failed(
    store: &Mutex<Store>,
    d: &Delivery,
    e: &DeliveryError,
    done: &mut Drained,
) -> Result<(), NotifyError> {
    let now = now_unix();
    if e.kind == Failure::Permanent {
        lock(store).delivery_failed_for_good(d.id, &e.message, now)?;
        tracing::error!(alert = d.alert.id, channel = %d.channel, error = %e.message, subject = %d.alert.message.subject, "alert refused for good; it will not be retried");
        done.refused += 1;
        return Ok(());
    }
    let wait = retry_delay(d.attempts);
    let next = now + i64::try_from(wait.as_secs()).unwrap_or(3600);
    lock(store).delivery_failed(d.id, &e.message, next)?;
    tracing::warn!(alert = d.alert.id, channel = %d.channel, error = %e.message, retry_in = ?wait, "alert not delivered; kept pending");
    done.failed += 1;
    Ok(())
}

/// A channel ready to send, made once per drain.
pub(super) enum Live<'a> {
    Email(Mailer),
    Console(&'a Mutex<Box<dyn Write + Send>>),
    Webhook(WebhookClient<'a>),
}

impl<'a> Live<'a> {
    pub(super) fn open(
        channel: &'a Channel,
        fetch: &FetchSettings,
    ) -> Result<Live<'a>, DeliveryError> {
        Ok(match channel {
            Channel::Email(settings) => {
                Live::Email(Mailer::new(settings).map_err(email::delivery_error)?)
            }
            Channel::Console(w) => Live::Console(w),
            Channel::Webhook(settings) => Live::Webhook(WebhookClient::new(settings, fetch)?),
        })
    }

    pub(super) async fn deliver(
        &self,
        alert: &Alert,
        delivery_id: &str,
    ) -> Result<(), DeliveryError> {
        match self {
            Live::Email(m) => m.send(alert).await.map_err(email::delivery_error),
            Live::Console(w) => {
                let mut w = w.lock().unwrap_or_else(|p| p.into_inner());
                let text = format!(
                    "----- {} -----\n{}\n",
                    super::report::header_safe(&alert.message.subject),
                    alert.message.body_text
                );
                w.write_all(text.as_bytes())
                    .and_then(|_| w.flush())
                    .map_err(|e| DeliveryError {
                        kind: Failure::Unreachable,
                        message: format!("cannot write the report: {e}"),
                    })
            }
            Live::Webhook(c) => c.send(alert, delivery_id).await,
        }
    }
}
