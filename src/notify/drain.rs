//! Drain: routes new alerts to their channels and sends what is due, each channel on its own.
//!
//! Channels are drained concurrently, so a webhook that times out never delays email. Within a
//! channel, deliveries go in the order their alerts were queued, and a delivery that must wait
//! holds back the later ones of the same target only (a "recovered" never overtakes its
//! "failing"); other targets go on. A refusal (an SMTP 5xx, an HTTP 4xx) is kept and retried with
//! backoff, like an outage: a refusal every alert gets is about the setup (a relay that refuses
//! the client, a revoked token, a quota), not the message. It becomes final only when the
//! alert, refused before, is refused again after the channel has taken another alert in the
//! same drain. When the channel itself cannot be used (no connection, a timeout, two refusals
//! with no alert taken between them), it rests until the next drain: an attempt or two per
//! drain, with backoff, rather than one per alert.

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
    /// Failed or refused, and kept pending for a retry.
    pub failed: usize,
    /// Failed for good: refused again after the channel took another alert in the same drain,
    /// or on a channel no longer configured.
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
    // Whether the channel has taken an alert in this drain: a refusal that comes again after
    // that is about the alert, and final.
    let mut accepted = false;
    // Each delivery is tried at most once per drain, and a refused one once more after the first
    // alert goes through (the queue is read again then, once): this loop is bounded by twice the
    // pending deliveries.
    let mut tried: HashSet<i64> = HashSet::new();
    // Targets (None: alerts about no target) with a delivery tried in this drain and kept for a
    // retry: their later alerts wait for it, also when the queue is read again.
    let mut waiting: HashSet<Option<String>> = HashSet::new();
    // Refused in this drain and kept: tried again once an alert goes through.
    let mut refused_here: Vec<(i64, Option<String>)> = Vec::new();
    let mut refusals_in_a_row = 0;
    let mut restarted = false;
    'queue: loop {
        // Targets whose earlier delivery must be waited for.
        let mut held = waiting.clone();
        for d in &queue {
            let thread = d.alert.target.clone();
            if held.contains(&thread) || tried.contains(&d.id) {
                continue;
            }
            let now = now_unix();
            let refused = d.refused_at.is_some();
            if !clear && d.next_attempt_at > now {
                if !(refused && probed(d.attempts)) {
                    held.insert(thread);
                }
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
                    refusals_in_a_row = 0;
                    let first = !accepted;
                    accepted = true;
                    if first && !restarted {
                        // The way is clear: what waited for its backoff, and what was refused
                        // before, is tried now, in queue order.
                        clear = true;
                        restarted = true;
                        for (id, thread) in refused_here.drain(..) {
                            tried.remove(&id);
                            waiting.remove(&thread);
                        }
                        queue = lock(store).pending_deliveries(Some(name))?;
                        continue 'queue;
                    }
                }
                // Refused before, and again now that the channel has taken another alert: it is
                // this alert that is refused.
                Err(e) if e.kind == Failure::Permanent && refused && accepted => {
                    lock(store).delivery_failed_for_good(d.id, &e.message, now_unix())?;
                    tracing::error!(alert = d.alert.id, channel = %d.channel, error = %e.message, subject = %d.alert.message.subject, "alert refused for good (again, while the channel takes other alerts); it will not be retried");
                    done.refused += 1;
                }
                Err(e) => {
                    failed(store, d, &e, &mut done)?;
                    match e.kind {
                        Failure::Permanent => {
                            refused_here.push((d.id, thread.clone()));
                            if !probed(d.attempts + 1) {
                                waiting.insert(thread.clone());
                                held.insert(thread);
                            }
                            // Two new refusals with no alert taken between them: most likely
                            // the setup (or a quota), which refuses every alert alike. The
                            // channel rests until the next drain. A refusal that comes again
                            // does not count: two of them at the head of the queue would rest
                            // the channel at every `check` before the alert that shows them
                            // to be about themselves.
                            if !refused {
                                refusals_in_a_row += 1;
                                if refusals_in_a_row >= 2 {
                                    break 'queue;
                                }
                            }
                        }
                        Failure::Transient => {
                            waiting.insert(thread.clone());
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

/// Refusals after which a kept refusal stops holding back its target's later alerts: one of
/// them may then go first and, if taken, show the refusal to be about that one alert (else a
/// target with no other traffic would wait for ever behind a message too large to send).
const PROBE_AFTER: i64 = 3;

fn probed(attempts: i64) -> bool {
    attempts >= PROBE_AFTER
}

/// Records a failed or refused delivery, with its next attempt after the backoff.
fn failed(
    store: &Mutex<Store>,
    d: &Delivery,
    e: &DeliveryError,
    done: &mut Drained,
) -> Result<(), NotifyError> {
    let now = now_unix();
    let wait = retry_delay(d.attempts);
    let next = now + i64::try_from(wait.as_secs()).unwrap_or(3600);
    let refusal = e.kind == Failure::Permanent;
    lock(store).delivery_failed(d.id, &e.message, next, refusal.then_some(now))?;
    if refusal {
        tracing::error!(alert = d.alert.id, channel = %d.channel, error = %e.message, subject = %d.alert.message.subject, retry_in = ?wait, "alert refused; kept and retried (final only if refused again after another alert goes through)");
    } else {
        tracing::warn!(alert = d.alert.id, channel = %d.channel, error = %e.message, retry_in = ?wait, "alert not delivered; kept pending");
    }
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::config::{WebhookFormat, WebhookSettings, WebhookUrl};
    use crate::store::{AlertMessage, NewAlert};

    /// A webhook receiver on 127.0.0.1 that answers each POST by its body, and keeps the bodies
    /// in the order they came.
    fn receiver(answer: fn(&str) -> u16) -> (u16, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let bodies: Arc<Mutex<Vec<String>>> = Arc::default();
        let kept = bodies.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                let body = String::from_utf8(body).unwrap();
                let code = answer(&body);
                kept.lock().unwrap().push(body);
                let _ = write!(
                    conn,
                    "HTTP/1.1 {code} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        (port, bodies)
    }

    fn channels(port: u16) -> Channels {
        Channels {
            channels: vec![Channel::Webhook(Box::new(WebhookSettings {
                name: "ops".into(),
                url: WebhookUrl::Given(format!("http://127.0.0.1:{port}/hook").parse().unwrap()),
                format: WebhookFormat::Json,
                secret_env: None,
            }))],
            routes: HashMap::new(),
            fetch: FetchSettings {
                allow_private_addresses: true,
                ..FetchSettings::default()
            },
        }
    }

    /// Queues an alert about `target` whose payload is `marker`.
    fn queue(store: &Mutex<Store>, target: &str, marker: &str) -> i64 {
        let alert = NewAlert {
            message: AlertMessage {
                kind: "change".into(),
                message_id: format!("<{marker}@x>"),
                thread_id: None,
                subject: marker.into(),
                body_text: marker.into(),
                body_html: None,
            },
            payload: format!("{{\"marker\":\"{marker}\"}}"),
            digest: false,
        };
        lock(store)
            .enqueue(Some(target), &alert, now_unix())
            .unwrap()
    }

    fn pending(store: &Mutex<Store>) -> Vec<String> {
        lock(store)
            .pending_deliveries(None)
            .unwrap()
            .into_iter()
            .map(|d| d.alert.message.subject)
            .collect()
    }

    fn store() -> (tempfile::TempDir, Mutex<Store>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        (dir, Mutex::new(store))
    }

    #[tokio::test]
    async fn a_refusal_is_final_once_the_channel_takes_another_alert() {
        let (port, bodies) = receiver(|b| if b.contains("too-big") { 413 } else { 200 });
        let (_dir, store) = store();
        queue(&store, "a", "too-big");
        queue(&store, "b", "fine");
        let done = drain(&store, &channels(port), true).await.unwrap();
        // Refused, kept; "fine" goes through; "too-big" is tried again and refused for good.
        assert_eq!((done.sent, done.failed, done.refused), (1, 1, 1));
        assert!(pending(&store).is_empty());
        assert_eq!(bodies.lock().unwrap().len(), 3);
        let failed = lock(&store).failed_deliveries_since(0).unwrap();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].alert.message.subject, "too-big");
        assert!(failed[0].last_error.as_deref().unwrap().contains("413"));
        // Final: the next drain does not try it again.
        drain(&store, &channels(port), true).await.unwrap();
        assert_eq!(bodies.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn a_channel_that_refuses_every_alert_loses_none() {
        let (port, bodies) = receiver(|_| 403);
        let (_dir, store) = store();
        for (target, marker) in [("a", "one"), ("b", "two"), ("c", "three")] {
            queue(&store, target, marker);
        }
        let done = drain(&store, &channels(port), true).await.unwrap();
        // Two refusals in a row rest the channel: the third is not tried in this drain.
        assert_eq!((done.sent, done.failed, done.refused), (0, 2, 0));
        assert_eq!(bodies.lock().unwrap().len(), 2);
        assert_eq!(pending(&store), ["one", "two", "three"]);
        assert!(lock(&store).failed_deliveries_since(0).unwrap().is_empty());
        // The receiver's setup is mended: every alert goes out, in order.
        let (port, bodies) = receiver(|_| 200);
        let done = drain(&store, &channels(port), true).await.unwrap();
        assert_eq!((done.sent, done.refused), (3, 0));
        assert!(pending(&store).is_empty());
        let sent: Vec<String> = bodies.lock().unwrap().clone();
        assert!(sent[0].contains("one") && sent[1].contains("two") && sent[2].contains("three"));
    }

    #[tokio::test]
    async fn a_later_alert_waits_for_its_targets_retry_also_after_the_way_clears() {
        // x's "failing" is deferred (503); y's alert goes through, which clears the way and
        // reads the queue again; x's "recovered" must still wait for its "failing".
        let (port, bodies) = receiver(|b| if b.contains("x-failing") { 503 } else { 200 });
        let (_dir, store) = store();
        queue(&store, "x", "x-failing");
        queue(&store, "y", "y-change");
        queue(&store, "x", "x-recovered");
        let done = drain(&store, &channels(port), false).await.unwrap();
        assert_eq!((done.sent, done.failed), (1, 1));
        assert_eq!(pending(&store), ["x-failing", "x-recovered"]);
        let sent = bodies.lock().unwrap().clone();
        assert_eq!(sent.len(), 2, "{sent:?}");
        assert!(sent[0].contains("x-failing") && sent[1].contains("y-change"));
    }

    #[tokio::test]
    async fn refusals_at_the_head_of_the_queue_never_block_it() {
        // `check` from cron tries everything at every run: two alerts refused for what they are
        // must not rest the channel before the third at every run (the review of round 12).
        let (port, bodies) = receiver(|b| if b.contains("too-big") { 413 } else { 200 });
        let (_dir, store) = store();
        queue(&store, "a", "too-big-a");
        queue(&store, "b", "too-big-b");
        queue(&store, "c", "fine");
        let done = drain(&store, &channels(port), true).await.unwrap();
        assert_eq!(
            (done.sent, done.failed),
            (0, 2),
            "two refusals rest the channel"
        );
        let done = drain(&store, &channels(port), true).await.unwrap();
        // Refused again, they do not rest the channel; "fine" goes; they are tried once more,
        // refused again, and final.
        assert_eq!((done.sent, done.refused), (1, 2));
        assert!(pending(&store).is_empty());
        assert_eq!(bodies.lock().unwrap().len(), 7);
    }

    #[tokio::test]
    async fn a_fresh_refusal_after_an_alert_went_through_is_kept() {
        // A quota that runs out in the middle of a drain: what it refuses is kept, not final.
        let (port, bodies) = receiver(|b| if b.contains("first") { 200 } else { 403 });
        let (_dir, store) = store();
        queue(&store, "a", "first");
        queue(&store, "b", "second");
        queue(&store, "c", "third");
        queue(&store, "d", "fourth");
        let done = drain(&store, &channels(port), true).await.unwrap();
        assert_eq!((done.sent, done.failed, done.refused), (1, 2, 0));
        assert_eq!(pending(&store), ["second", "third", "fourth"]);
        assert_eq!(
            bodies.lock().unwrap().len(),
            3,
            "two in a row rest the channel"
        );
    }

    #[tokio::test]
    async fn a_target_alone_gets_past_an_alert_refused_three_times() {
        // One target, its first alert too large for ever: after three refusals its next alert
        // may go first; taken, it shows the first refused for what it is.
        let (port, bodies) = receiver(|b| if b.contains("x-big") { 413 } else { 200 });
        let (_dir, store) = store();
        queue(&store, "x", "x-big");
        queue(&store, "x", "x-next");
        // Every retry due at once: the backoff the store keeps, moved to now.
        let due_now = || {
            lock(&store)
                .conn_for_tests()
                .execute("UPDATE deliveries SET next_attempt_at = 0", [])
                .unwrap();
        };
        for _ in 0..2 {
            due_now();
            drain(&store, &channels(port), false).await.unwrap();
        }
        assert_eq!(
            pending(&store),
            ["x-big", "x-next"],
            "held while it may be the setup"
        );
        due_now();
        let done = drain(&store, &channels(port), false).await.unwrap();
        assert_eq!(
            (done.sent, done.refused),
            (1, 1),
            "{:?}",
            bodies.lock().unwrap()
        );
        assert!(pending(&store).is_empty());
        assert_eq!(bodies.lock().unwrap().len(), 5);
    }

    #[tokio::test]
    async fn a_refused_alert_keeps_its_place_until_another_alert_shows_it_is_the_alert() {
        // x's first alert is refused; x's second waits behind it (order is kept), and y's alert
        // goes through, so x's first is tried again, refused for good, and x's second follows.
        let (port, bodies) = receiver(|b| if b.contains("x-first") { 422 } else { 200 });
        let (_dir, store) = store();
        queue(&store, "x", "x-first");
        queue(&store, "x", "x-second");
        queue(&store, "y", "y-only");
        let done = drain(&store, &channels(port), false).await.unwrap();
        assert_eq!((done.sent, done.failed, done.refused), (2, 1, 1));
        assert!(pending(&store).is_empty());
        let sent = bodies.lock().unwrap().clone();
        let order: Vec<&str> = sent
            .iter()
            .map(|b| {
                ["x-first", "x-second", "y-only"]
                    .into_iter()
                    .find(|m| b.contains(m))
                    .unwrap()
            })
            .collect();
        assert_eq!(order, ["x-first", "y-only", "x-first", "x-second"]);
    }
}
