//! Report: a [`Change`] → an email a person can read in ten seconds (subject, plain text, HTML).
//!
//! A verdict flip leads, with the evidence before and after; then changed cancellation wording;
//! then other changed wording. Inside a changed block the characters that differ are marked, so a
//! 三十 → 七 stands out in a long Chinese sentence. Everything taken from a page is HTML-escaped,
//! and nothing from a page reaches a header without its line breaks removed. Every part is passed
//! through [`for_people`](crate::extract::normalise::for_people) last, so no bidi control (from a page, the config or text stored by an
//! older version) can make the email show its text in another order than it is. Its size is bounded
//! (see [`bound`]): a page whose every paragraph changed still gives a short email. Rendering is pure:
//! the result is stored in the outbox and sent later, unchanged.
//!
//! This file words each kind of alert; the parts are built elsewhere: `frame` (headline, footer,
//! the stored alert), `verdict_box`, `hunks` (the changed blocks), `format` (escaping, times,
//! Message-IDs), `inline` (the marked characters) and `bound` (the size limits).

pub mod bound;
mod inline;

pub use inline::inline_diff;

mod format;
mod frame;
mod hunks;
mod verdict_box;

pub use format::{escape_html, format_time, header_safe, new_message_id, page_html, thread_id};
pub use frame::{HTML_HEAD, html_section};

use crate::alerts::Notice;
use crate::diff::{Change, Severity};
use crate::extract::verdict::Assessment;
use crate::notify::payload::Payload;
use crate::store::NewAlert;

use frame::Body;

/// Where the alert is about.
pub struct Subject<'a> {
    pub target: &'a str,
    pub carrier: &'a str,
    pub url: &'a str,
}

/// Context shared by every alert.
pub struct Context<'a> {
    /// Domain for Message-IDs (the sender's).
    pub domain: &'a str,
    pub timezone: crate::zone::Zone,
}

/// What one changed check is about.
pub struct ChangeReport<'a> {
    pub subject: Subject<'a>,
    pub change: &'a Change,
    pub before: &'a Assessment,
    pub after: &'a Assessment,
    pub seen_at: i64,
    /// Set when the new wording is an earlier one coming back: when it was first seen.
    pub reverted_to: Option<i64>,
    /// The outbox kind: "change", or "evidence-lost"/"evidence-back" when the change is that.
    pub kind: &'a str,
    /// Goes to the daily digest instead of out on its own.
    pub digest: bool,
}

pub fn render_change(r: &ChangeReport<'_>, ctx: &Context<'_>) -> NewAlert {
    let s = &r.subject;
    let c = r.change;
    let flip = format!(
        "online cancellation {} → {}",
        c.verdict_before, c.verdict_after
    );
    let what = match r.kind {
        "evidence-lost" => "cancellation wording no longer found".to_string(),
        "evidence-back" => match r.reverted_to {
            // A revert is news of its own (README: "reverted to the wording of <date>").
            Some(first) => format!(
                "cancellation wording is back, reverted to the wording of {}",
                format_time(first, &ctx.timezone)
            ),
            None => "cancellation wording is back".to_string(),
        },
        _ => match (c.severity, r.reverted_to) {
            (_, Some(first)) => {
                format!(
                    "reverted to the wording of {}",
                    format_time(first, &ctx.timezone)
                )
            }
            (Severity::Verdict, None) => flip.clone(),
            (Severity::Cancellation, None) => "cancellation wording changed".to_string(),
            (Severity::Wording, None) => "wording changed".to_string(),
        },
    };
    let headline = if c.severity == Severity::Verdict && !what.starts_with("online") {
        format!("{}: {what} ({flip})", s.target)
    } else {
        format!("{}: {what}", s.target)
    };
    let mut body = Body::open(s, &headline, r.seen_at, ctx);
    let (text, html) = (&mut body.text, &mut body.html);

    verdict_box::push(r, text, html);
    hunks::push_changed(c, s.target, text, html);

    let payload = Payload::plain(r.kind, &headline, r.seen_at)
        .about(s.target, s.carrier, s.url)
        .with_change(c, r.before, r.after);
    body.close(r.kind, s, &headline, r.digest, payload, ctx)
}

/// An alert about a target's state rather than its wording: failing, recovered, page moved,
/// selector no longer matching. `lines` are shown as paragraphs.
pub fn render_notice(
    kind: &str,
    s: &Subject<'_>,
    what: &str,
    lines: &[String],
    seen_at: i64,
    ctx: &Context<'_>,
) -> NewAlert {
    let headline = format!("{}: {what}", s.target);
    let mut body = Body::open(s, &headline, seen_at, ctx);
    // The lines carry causes from servers (an error message, a redirect target): bounded too.
    for l in lines.iter().take(bound::MAX_BLOCKS_PER_KIND) {
        let l = bound::cut(l, bound::MAX_BLOCK_CHARS);
        body.text.push_str(&l);
        body.text.push_str("\n\n");
        body.html.push_str(&format!("<p>{}</p>\n", escape_html(&l)));
    }
    let payload = Payload::plain(kind, &headline, seen_at).about(s.target, s.carrier, s.url);
    body.close(kind, s, &headline, false, payload, ctx)
}

/// The wording of an alert about a target's state (see [`Notice`]).
pub fn render_state(n: &Notice, s: &Subject<'_>, seen_at: i64, ctx: &Context<'_>) -> NewAlert {
    let (what, lines) = match n {
        Notice::Failing { streak, cause } => (
            format!("failing: {cause}"),
            vec![
                format!("The last {streak} checks failed. The latest cause: {cause}."),
                "Until it recovers, changes on this page cannot be seen. You get one more email when it recovers, and at most a daily reminder until then.".to_string(),
            ],
        ),
        Notice::StillFailing { streak, cause } => (
            format!("still failing: {cause}"),
            vec![format!(
                "{streak} checks in a row have failed. The latest cause: {cause}."
            )],
        ),
        Notice::Recovered { streak } => (
            "recovered".to_string(),
            vec![format!(
                "The page loads again after {streak} failed checks."
            )],
        ),
        Notice::Moved { to } => (
            format!("page moved to {to}"),
            vec![
                format!("{} now answers with a permanent redirect to {to}.", s.url),
                "policywatch follows the redirect and keeps watching; update the target's url to the new address to silence the redirect. This is reported once.".to_string(),
            ],
        ),
        Notice::SelectionLost { url, cause, streak } => (
            "cancellation evidence lost".to_string(),
            vec![
                format!("{url} loads, but {cause} (for {streak} checks in a row)."),
                "The page may have been redesigned or moved: check the target's selectors with `policywatch inspect`. You get one more email when the wording is found again.".to_string(),
            ],
        ),
        Notice::EvidenceBack => (
            "cancellation wording found again".to_string(),
            vec!["The watched region and its cancellation wording are back.".to_string()],
        ),
    };
    render_notice(n.kind(), s, &what, &lines, seen_at, ctx)
}

#[cfg(test)]
mod tests;
