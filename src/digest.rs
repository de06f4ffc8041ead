//! Digest and heartbeat: the two scheduled summary emails.
//!
//! The daily digest gathers low-severity changes (wording outside cancellation) that were held
//! back from individual alerts, and names targets that flapped since the last digest, once each.
//! The weekly heartbeat says how much was checked, so that silence means health. Both are queued
//! in the outbox like every other alert; nothing here sends mail.

use std::fmt::Write as _;

use crate::report::{Context, HTML_HEAD, escape_html, format_time, header_safe, new_message_id};
use crate::store::{NewAlert, Store, StoreError};

const DAY: i64 = 24 * 3600;
const WEEK: i64 = 7 * DAY;

/// Queues a digest if there is anything to say. Returns whether one was queued.
pub fn queue_digest(store: &mut Store, now: i64, ctx: &Context<'_>) -> Result<bool, StoreError> {
    let items = store.digest_items()?;
    let since = store.last_alert_of_kind("digest")?.unwrap_or(now - DAY);
    let flapping = store.status_counts_since("flapping", since)?;
    if items.is_empty() && flapping.is_empty() {
        return Ok(false);
    }
    let title = format!(
        "daily digest: {} minor change{}{}",
        items.len(),
        if items.len() == 1 { "" } else { "s" },
        if flapping.is_empty() {
            String::new()
        } else {
            format!(", {} flapping", flapping.len())
        }
    );
    let mut text = format!("{title}\n\n");
    let mut html = format!("{HTML_HEAD}<h2>{}</h2>\n", escape_html(&title));
    if !items.is_empty() {
        text.push_str("Changes outside the cancellation wording:\n\n");
        html.push_str("<h3>Changes outside the cancellation wording</h3>\n");
        for item in &items {
            let _ = writeln!(text, "=== {} ===\n{}", item.subject, item.body_text);
            html.push_str(&format!(
                "<h4>{}</h4>\n<pre style=\"white-space:pre-wrap\">{}</pre>\n",
                escape_html(&item.subject),
                escape_html(&item.body_text)
            ));
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
                format_time(since, ctx.timezone)
            );
            html.push_str(&format!("<li>{}: {n} time(s)</li>\n", escape_html(target)));
        }
        html.push_str("</ul>\n");
    }
    text.push_str("-- \nYou get this daily digest because [alerts] digest = \"daily\" in your policywatch config.\n");
    html.push_str("<p style=\"color:#777;font-size:12px\">You get this daily digest because [alerts] digest = \"daily\" in your policywatch config.</p></body></html>\n");
    let alert = NewAlert {
        kind: "digest".into(),
        message_id: new_message_id("digest", ctx.domain),
        thread_id: None,
        subject: header_safe(&format!("[policywatch] {title}")),
        body_text: text,
        body_html: Some(html),
        digest: false,
    };
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    store.commit_digest(&alert, &ids, now)?;
    Ok(true)
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
        if store.last_check(t)?.is_some_and(|c| c.status == "error") {
            failing.push(t.as_str());
        }
    }
    let summary = format!(
        "{} targets checked {checks} times, {changes} change{}, {} failing",
        targets.len(),
        if changes == 1 { "" } else { "s" },
        failing.len()
    );
    let mut text = format!("Weekly heartbeat: {summary} in the last 7 days.\n\n");
    if !failing.is_empty() {
        let _ = writeln!(text, "Failing now: {}\n", failing.join(", "));
    }
    text.push_str("-- \nYou get this weekly so that silence means policywatch is healthy. Turn it off with [alerts] heartbeat = \"off\".\n");
    let html = format!(
        "{HTML_HEAD}<p>Weekly heartbeat: <b>{}</b> in the last 7 days.</p>{}<p style=\"color:#777;font-size:12px\">You get this weekly so that silence means policywatch is healthy.</p></body></html>\n",
        escape_html(&summary),
        if failing.is_empty() {
            String::new()
        } else {
            format!("<p>Failing now: {}</p>", escape_html(&failing.join(", ")))
        }
    );
    let alert = NewAlert {
        kind: "heartbeat".into(),
        message_id: new_message_id("heartbeat", ctx.domain),
        thread_id: None,
        subject: header_safe(&format!("[policywatch] weekly heartbeat: {summary}")),
        body_text: text,
        body_html: Some(html),
        digest: false,
    };
    store.enqueue(None, &alert, now)?;
    Ok(())
}
