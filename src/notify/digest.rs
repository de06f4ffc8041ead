//! Digest and heartbeat: the two scheduled summary emails.
//!
//! The daily digest gathers low-severity changes (wording outside cancellation) that were held
//! back from individual alerts, and names targets that flapped since the last digest, once each.
//! The weekly heartbeat says how much was checked, so that silence means health. Both are queued
//! in the outbox like every other alert; nothing here sends mail.

use std::fmt::Write as _;

use crate::extract::normalise::for_people;
use crate::notify::payload::Payload;
use crate::notify::report::{
    Context, HTML_HEAD, bound, escape_html, format_time, header_safe, html_section, new_message_id,
};
use crate::store::{AlertMessage, CheckStatus, Delivery, NewAlert, Store, StoreError};

const DAY: i64 = 24 * 3600;
const WEEK: i64 = 7 * DAY;

/// Queues a digest if there is anything to say. Returns whether one was queued.
pub fn queue_digest(store: &mut Store, now: i64, ctx: &Context<'_>) -> Result<bool, StoreError> {
    let items = store.digest_items()?;
    let since = store.last_alert_of_kind("digest")?.unwrap_or(now - DAY);
    let flapping = store.status_counts_since(CheckStatus::Flapping, since)?;
    let failed = store.failed_deliveries_since(since)?;
    if items.is_empty() && flapping.is_empty() && failed.is_empty() {
        return Ok(false);
    }
    let title = format!(
        "daily digest: {} minor change{}{}{}",
        items.len(),
        if items.len() == 1 { "" } else { "s" },
        if flapping.is_empty() {
            String::new()
        } else {
            format!(", {} flapping", flapping.len())
        },
        if failed.is_empty() {
            String::new()
        } else {
            format!(", {} undeliverable", failed.len())
        }
    );
    let mut text = format!("{title}\n\n");
    let mut html = format!("{HTML_HEAD}<h2>{}</h2>\n", escape_html(&title));
    if !items.is_empty() {
        text.push_str("Changes outside the cancellation wording:\n\n");
        html.push_str("<h3>Changes outside the cancellation wording</h3>\n");
        // Each held change is bounded already; many of them together are bounded here, and the
        // ones past the budget are still named.
        let (mut text_left, mut html_left) =
            (bound::DIGEST_TEXT_BYTES, 2 * bound::DIGEST_TEXT_BYTES);
        let mut later = Vec::new();
        for item in &items {
            let body = bound::cut_bytes(&item.message.body_text, bound::DIGEST_ITEM_BYTES);
            let t = format!("=== {} ===\n{body}\n", item.message.subject);
            // Each target's section looks as its alert would alone; held alerts stored
            // before sections were marked fall back to their text.
            let h = match item.message.body_html.as_deref().and_then(html_section) {
                Some(section) => format!(
                    "<div style=\"border-top:1px solid #ddd;margin-top:20px;padding-top:12px\">{section}</div>\n"
                ),
                None => format!(
                    "<h4>{}</h4>\n<pre style=\"white-space:pre-wrap\">{}</pre>\n",
                    escape_html(&item.message.subject),
                    escape_html(&body)
                ),
            };
            if later.is_empty() && t.len() <= text_left && h.len() <= html_left {
                text_left -= t.len();
                html_left -= h.len();
                text.push_str(&t);
                html.push_str(&h);
            } else {
                later.push(item.message.subject.as_str());
            }
        }
        if !later.is_empty() {
            let more = format!(
                "… and {} more change{}, not shown here (`policywatch status` and `policywatch diff <target>` show them):",
                bound::thousands(later.len()),
                if later.len() == 1 { "" } else { "s" }
            );
            let _ = writeln!(text, "{more}");
            html.push_str(&format!("<p><b>{}</b></p>\n<ul>\n", escape_html(&more)));
            for subject in later.iter().take(bound::DIGEST_MORE_NAMED) {
                let _ = writeln!(text, "  {subject}");
                html.push_str(&format!("<li>{}</li>\n", escape_html(subject)));
            }
            if later.len() > bound::DIGEST_MORE_NAMED {
                let _ = writeln!(text, "  …");
                html.push_str("<li>…</li>\n");
            }
            text.push('\n');
            html.push_str("</ul>\n");
        }
    }
    if !flapping.is_empty() {
        text.push_str(
            "Flapping (a change seen once but not confirmed by a second fetch; not alerted):\n",
        );
        html.push_str("<h3>Flapping (seen once, not confirmed; not alerted)</h3>\n<ul>\n");
        for (target, n) in &flapping {
            let _ = writeln!(
                text,
                "  {target}: {n} time(s) since {}",
                format_time(since, &ctx.timezone)
            );
            html.push_str(&format!("<li>{}: {n} time(s)</li>\n", escape_html(target)));
        }
        html.push_str("</ul>\n");
    }
    push_failed(&mut text, &mut html, &failed);
    text.push_str("-- \nYou get this daily digest because [alerts] digest = \"daily\" in your policywatch config.\n");
    html.push_str("<p style=\"color:#777;font-size:12px\">You get this daily digest because [alerts] digest = \"daily\" in your policywatch config.</p></body></html>\n");
    let message_id = new_message_id("digest", ctx.domain);
    let alert = NewAlert {
        payload: for_people(&Payload::plain("digest", &title, now).finish(&message_id, &text))
            .into_owned(),
        message: AlertMessage {
            kind: "digest".into(),
            message_id,
            thread_id: None,
            subject: header_safe(&format!("[policywatch] {title}")),
            body_text: for_people(&text).into_owned(),
            body_html: Some(for_people(&html).into_owned()),
        },
        digest: false,
    };
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    store.commit_digest(&alert, &ids, now)?;
    Ok(true)
}

/// Names the alerts a channel refused for good (they are never retried), so that a bounced
/// alert is not lost in silence.
fn push_failed(text: &mut String, html: &mut String, failed: &[Delivery]) {
    if failed.is_empty() {
        return;
    }
    text.push_str("Alerts refused for good (not retried; see `policywatch status`):\n");
    html.push_str("<h3>Alerts refused for good (not retried)</h3>\n<ul>\n");
    for d in failed {
        let error = d.last_error.as_deref().unwrap_or("refused");
        let _ = writeln!(
            text,
            "  {} via {}: {error}",
            d.alert.message.subject, d.channel
        );
        html.push_str(&format!(
            "<li>{} via {}: {}</li>\n",
            escape_html(&d.alert.message.subject),
            escape_html(&d.channel),
            escape_html(error)
        ));
    }
    text.push('\n');
    html.push_str("</ul>\n");
}

/// For passes run without the daemon (`policywatch check` from cron): with the digest on,
/// queues one when none went out in the last day; with it off, releases held alerts so they
/// go out on their own. Returns whether a digest was queued.
pub fn settle(
    store: &mut Store,
    digest: crate::config::Digest,
    now: i64,
    ctx: &Context<'_>,
) -> Result<bool, StoreError> {
    match digest {
        crate::config::Digest::Off => {
            store.release_digest_items()?;
            Ok(false)
        }
        crate::config::Digest::Daily => {
            let last = store.last_alert_of_kind("digest")?;
            if last.is_some_and(|t| now - t < DAY) {
                return Ok(false);
            }
            queue_digest(store, now, ctx)
        }
    }
}

/// Queues the weekly heartbeat: "12 targets checked 336 times, 1 change, 0 failing".
pub fn queue_heartbeat(
    store: &mut Store,
    targets: &[String],
    now: i64,
    ctx: &Context<'_>,
) -> Result<(), StoreError> {
    let (checks, changes) = store.activity_since(now - WEEK)?;
    let mut failing = Vec::new();
    for t in targets {
        if store
            .last_check(t)?
            .is_some_and(|c| c.status == CheckStatus::Error)
        {
            failing.push(t.as_str());
        }
    }
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let summary = format!(
        "{} checked {}, {}, {} failing",
        plural(
            i64::try_from(targets.len()).unwrap_or(i64::MAX),
            "target",
            "targets"
        ),
        plural(checks, "time", "times"),
        plural(changes, "change", "changes"),
        failing.len()
    );
    let mut text = format!("Weekly heartbeat: {summary} in the last 7 days.\n\n");
    if !failing.is_empty() {
        let _ = writeln!(text, "Failing now: {}\n", failing.join(", "));
    }
    let failed = store.failed_deliveries_since(now - WEEK)?;
    let mut failed_html = String::new();
    push_failed(&mut text, &mut failed_html, &failed);
    text.push_str("-- \nYou get this weekly so that silence means policywatch is healthy. Turn it off with [alerts] heartbeat = \"off\".\n");
    let html = format!(
        "{HTML_HEAD}<p>Weekly heartbeat: <b>{}</b> in the last 7 days.</p>{}<p style=\"color:#777;font-size:12px\">You get this weekly so that silence means policywatch is healthy.</p></body></html>\n",
        escape_html(&summary),
        if failing.is_empty() {
            String::new()
        } else {
            format!("<p>Failing now: {}</p>", escape_html(&failing.join(", ")))
        } + &failed_html
    );
    let message_id = new_message_id("heartbeat", ctx.domain);
    let headline = format!("weekly heartbeat: {summary}");
    let alert = NewAlert {
        payload: Payload::plain("heartbeat", &headline, now).finish(&message_id, &text),
        message: AlertMessage {
            kind: "heartbeat".into(),
            message_id,
            thread_id: None,
            subject: header_safe(&format!("[policywatch] weekly heartbeat: {summary}")),
            body_text: text,
            body_html: Some(html),
        },
        digest: false,
    };
    store.enqueue(None, &alert, now)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::verdict::assess;
    use crate::store::{CheckRecord, RecordOutcome, TargetState};
    use std::time::Duration;

    fn ctx() -> Context<'static> {
        Context {
            domain: "example.org",
            timezone: crate::zone::Zone::hong_kong(),
        }
    }

    fn record(
        store: &mut Store,
        target: &str,
        blocks: &[String],
        at: i64,
        alert: Option<NewAlert>,
        status: Option<CheckStatus>,
    ) {
        let lex = crate::extract::lexicon::Lexicon::builtin();
        let a = assess(lex, blocks);
        let state = TargetState::default();
        let outcome = match status {
            Some(s) => RecordOutcome::Held {
                status: s,
                note: "x",
            },
            None => RecordOutcome::Content {
                blocks,
                assessment: &a,
                alert,
                rebaseline: false,
            },
        };
        store
            .record(&CheckRecord {
                target,
                carrier: "C",
                url: "https://example.org/",
                started_at: at,
                duration: Duration::from_millis(1),
                http_status: Some(200),
                outcome,
                state: &state,
                alerts: &[],
                raw: None,
                lease: None,
            })
            .unwrap();
    }

    fn minor(id: &str) -> NewAlert {
        NewAlert {
            payload: "{}".into(),
            message: AlertMessage {
                kind: "change".into(),
                message_id: id.into(),
                thread_id: None,
                subject: "[policywatch] C: t: wording changed".into(),
                body_text: "- Plans from $98\n+ Plans from $88\n".into(),
                body_html: None,
            },
            digest: true,
        }
    }

    #[test]
    fn digest_gathers_minor_changes_and_flapping_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now = 1_800_000_000;
        assert!(
            !queue_digest(&mut store, now, &ctx()).unwrap(),
            "nothing to say"
        );
        record(
            &mut store,
            "t",
            &["Plans from $98".into()],
            now - 100,
            None,
            None,
        );
        record(
            &mut store,
            "t",
            &["Plans from $88".into()],
            now - 50,
            Some(minor("<m1>")),
            None,
        );
        record(
            &mut store,
            "u",
            &["x".into()],
            now - 40,
            None,
            Some(CheckStatus::Flapping),
        );
        assert!(
            store.pending_alerts().unwrap().is_empty(),
            "minor changes wait for the digest"
        );
        assert!(queue_digest(&mut store, now, &ctx()).unwrap());
        let due = store.pending_alerts().unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(
            due[0].message.subject,
            "[policywatch] daily digest: 1 minor change, 1 flapping"
        );
        assert!(due[0].message.body_text.contains("+ Plans from $88"));
        assert!(due[0].message.body_text.contains("u: 1 time(s)"));
        assert!(store.digest_items().unwrap().is_empty());
        // The next day: the flap was mentioned already and nothing new happened.
        assert!(!queue_digest(&mut store, now + 86_400, &ctx()).unwrap());
    }

    #[test]
    fn digest_html_has_one_section_per_change_and_one_footer() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now = 1_800_000_000;
        for (i, target) in ["t", "u"].iter().enumerate() {
            record(
                &mut store,
                target,
                &["Plans from $98".into()],
                now - 100,
                None,
                None,
            );
            let subject = crate::notify::report::Subject {
                target,
                carrier: "C",
                url: "https://example.org/<x>",
            };
            let mut alert = crate::notify::report::render_notice(
                "change",
                &subject,
                "wording changed",
                &[format!("Plans from $8{i} <b>")],
                now - 50,
                &ctx(),
            );
            alert.digest = true;
            let blocks = [format!("Plans from $8{i}")];
            record(&mut store, target, &blocks, now - 50, Some(alert), None);
        }
        assert!(queue_digest(&mut store, now, &ctx()).unwrap());
        let html = store.pending_alerts().unwrap()[0]
            .message
            .body_html
            .clone()
            .unwrap();
        assert_eq!(html.matches("<html>").count(), 1, "{html}");
        assert_eq!(html.matches("</body>").count(), 1, "no nested documents");
        assert_eq!(
            html.matches("font-size:12px").count(),
            1,
            "one footer: {html}"
        );
        for target in ["t: wording changed", "u: wording changed"] {
            assert!(
                html.contains(&format!("<h2 style=\"margin:0 0 8px\">{target}</h2>")),
                "{html}"
            );
        }
        assert!(
            html.contains("Plans from $80 &lt;b&gt;"),
            "escaped as alone: {html}"
        );
        assert!(!html.contains("<pre"), "{html}");
    }

    #[test]
    fn heartbeat_counts_the_week() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now = 1_800_000_000;
        record(&mut store, "t", &["a".into()], now - 3000, None, None);
        record(&mut store, "t", &["a".into()], now - 2000, None, None);
        record(
            &mut store,
            "t",
            &["b".into()],
            now - 1000,
            Some(minor("<m2>")),
            None,
        );
        queue_heartbeat(&mut store, &["t".into(), "u".into()], now, &ctx()).unwrap();
        let due = store.pending_alerts().unwrap();
        assert_eq!(
            due[0].message.subject,
            "[policywatch] weekly heartbeat: 2 targets checked 3 times, 1 change, 0 failing"
        );
    }

    #[test]
    fn a_refused_alert_is_named_by_the_next_heartbeat() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now = 1_800_000_000;
        let mut bounced = minor("<b1>");
        bounced.digest = false;
        store.enqueue(Some("t"), &bounced, now - 500).unwrap();
        store
            .route(now - 400, "email", |_| vec!["email".into()])
            .unwrap();
        let d = store.pending_deliveries(None).unwrap();
        store
            .delivery_failed_for_good(d[0].id, "SMTP: 552 message too big", now - 300)
            .unwrap();
        queue_heartbeat(&mut store, &["t".into()], now, &ctx()).unwrap();
        let beat = store.pending_alerts().unwrap();
        assert_eq!(beat.len(), 1);
        assert!(
            beat[0].message.body_text.contains("refused for good")
                && beat[0].message.body_text.contains("552 message too big"),
            "{}",
            beat[0].message.body_text
        );
        assert!(
            beat[0]
                .message
                .body_html
                .as_deref()
                .unwrap()
                .contains("552 message too big")
        );
    }
}
