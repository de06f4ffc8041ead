//! Report: a [`Change`] → an email a person can read in ten seconds (subject, plain text, HTML).
//!
//! A verdict flip leads, with the evidence before and after; then changed cancellation wording;
//! then other changed wording. Inside a changed block the characters that differ are marked, so a
//! 三十 → 七 stands out in a long Chinese sentence. Everything taken from a page is HTML-escaped,
//! and nothing from a page reaches a header without its line breaks removed. Every part is passed
//! through [`for_people`] last, so no bidi control (from a page, the config or text stored by an
//! older version) can make the email show its text in another order than it is. Its size is bounded
//! (see [`bound`]): a page whose every paragraph changed still gives a short email. Rendering is pure:
//! the result is stored in the outbox and sent later, unchanged.

pub mod bound;
mod inline;

pub use inline::inline_diff;

use chrono::{DateTime, TimeZone, Utc};

use crate::alerts::Notice;
use crate::diff::{Change, Hunk, Severity};
use crate::extract::normalise::{for_people, is_invisible};
use crate::extract::verdict::{Assessment, Evidence};
use crate::notify::payload::Payload;
use crate::store::NewAlert;

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
    pub timezone: chrono_tz::Tz,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Makes text safe for a header: no CR, LF or other control characters, no invisible (bidi)
/// characters, bounded length.
pub fn header_safe(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(200).collect()
}

pub fn format_time(ts: i64, tz: chrono_tz::Tz) -> String {
    match Utc.timestamp_opt(ts, 0).single() {
        Some(t) => {
            let local: DateTime<chrono_tz::Tz> = t.with_timezone(&tz);
            format!("{} ({})", local.format("%Y-%m-%d %H:%M"), tz_abbrev(tz))
        }
        None => ts.to_string(),
    }
}

fn tz_abbrev(tz: chrono_tz::Tz) -> String {
    if tz == chrono_tz::Asia::Hong_Kong {
        "HKT".to_string()
    } else {
        tz.name().to_string()
    }
}

/// A Message-ID that is unique and stable once stored.
pub fn new_message_id(target: &str, domain: &str) -> String {
    format!(
        "<{}.{}@{}>",
        uuid::Uuid::new_v4().simple(),
        header_safe(target).replace(' ', "-"),
        domain
    )
}

/// The Message-ID every alert of a target refers to, so mail clients thread them.
pub fn thread_id(target: &str, domain: &str) -> String {
    format!(
        "<thread.{}@{}>",
        header_safe(target).replace(' ', "-"),
        domain
    )
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
        "evidence-back" => "cancellation wording is back".to_string(),
        _ => match (c.severity, r.reverted_to) {
            (_, Some(first)) => {
                format!(
                    "reverted to the wording of {}",
                    format_time(first, ctx.timezone)
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

    // The verdict box.
    text.push_str(&format!(
        "ONLINE CANCELLATION: {}{}\n",
        c.verdict_after,
        if c.verdict_before != c.verdict_after {
            format!(" (was {})", c.verdict_before)
        } else {
            String::new()
        }
    ));
    html.push_str(&verdict_box_html(r));
    if c.severity == Severity::Verdict {
        text.push_str("\nBefore:\n");
        push_evidence_text(text, r.before);
        text.push_str("After:\n");
        push_evidence_text(text, r.after);
    } else if let Some(e) = r.after.key_sentence() {
        text.push_str(&format!(
            "  \"{}\"\n",
            bound::cut(&e.in_context(), bound::MAX_EVIDENCE_CHARS)
        ));
    }
    text.push('\n');

    let (cancel, other): (Vec<&Hunk>, Vec<&Hunk>) = c.hunks.iter().partition(|h| h.cancellation);
    let mut budget = bound::Budget::new();
    let mut omitted = 0;
    for (title, hunks) in [
        ("Changed cancellation wording", &cancel),
        ("Other changed wording", &other),
    ] {
        if hunks.is_empty() {
            continue;
        }
        text.push_str(&format!("== {title} ==\n"));
        html.push_str(&format!(
            "<h3 style=\"margin:20px 0 8px\">{}</h3>\n",
            escape_html(title)
        ));
        let mut allowance = bound::Allowance::new();
        for h in hunks.iter() {
            let (shown, left_out) = allowance.take(h);
            omitted += left_out;
            if shown.removed.is_empty() && shown.added.is_empty() {
                continue;
            }
            let (t, m, left_out) = render_within(&shown, &mut budget);
            text.push_str(&t);
            html.push_str(&m);
            omitted += left_out;
        }
        text.push('\n');
    }
    if omitted > 0 {
        let more = bound::more_blocks_line(omitted, s.target);
        text.push_str(&format!("{more}\n\n"));
        html.push_str(&format!(
            "<p style=\"margin:16px 0;font-weight:bold\">{}</p>\n",
            escape_html(&more)
        ));
    }

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

/// Around an alert's own content in its HTML part (after the head, before the footer), so that a
/// digest can show held alerts as sections styled as they are alone.
const SECTION_START: &str = "<!-- policywatch:section -->";
const SECTION_END: &str = "<!-- /policywatch:section -->";

/// The content of an alert's HTML part without its head and footer; `None` for HTML made
/// before the markers existed.
pub fn html_section(html: &str) -> Option<&str> {
    let start = html.find(SECTION_START)? + SECTION_START.len();
    let end = start + html[start..].find(SECTION_END)?;
    Some(&html[start..end])
}

/// The parts every alert shares: headline, where and when, and the footer saying why the reader
/// gets it; both bodies are built side by side.
struct Body {
    text: String,
    html: String,
}

impl Body {
    fn open(s: &Subject<'_>, headline: &str, seen_at: i64, ctx: &Context<'_>) -> Body {
        // A headline can carry a server's error message: bounded like a block.
        let headline = bound::cut(headline, bound::MAX_BLOCK_CHARS);
        let seen = format_time(seen_at, ctx.timezone);
        let text = format!(
            "{headline}\n\nCarrier: {}\nPage:    {}\nSeen:    {seen}\n\n",
            s.carrier, s.url
        );
        let html = format!(
            "{HTML_HEAD}{SECTION_START}<h2 style=\"margin:0 0 8px\">{}</h2>\n<p style=\"margin:0 0 16px;color:#555\">{} · seen {} · <a href=\"{}\">{}</a></p>\n",
            escape_html(&headline),
            escape_html(s.carrier),
            escape_html(&seen),
            escape_html(s.url),
            escape_html(s.url)
        );
        Body { text, html }
    }

    fn close(
        mut self,
        kind: &str,
        s: &Subject<'_>,
        headline: &str,
        digest: bool,
        payload: Payload,
        ctx: &Context<'_>,
    ) -> NewAlert {
        let footer = footer_text(s, ctx);
        self.text.push_str(&format!("-- \n{footer}\n"));
        self.html.push_str(&format!(
            "{SECTION_END}<p style=\"margin-top:24px;color:#777;font-size:12px\">{}</p>\n</body></html>\n",
            escape_html(&footer)
        ));
        let message_id = new_message_id(s.target, ctx.domain);
        NewAlert {
            kind: kind.into(),
            // The payload can reach a person too (a Slack message): neutralised the same way.
            payload: for_people(&payload.finish(&message_id, &self.text)).into_owned(),
            message_id,
            thread_id: Some(thread_id(s.target, ctx.domain)),
            subject: header_safe(&format!("[policywatch] {}: {headline}", s.carrier)),
            body_text: for_people(&self.text).into_owned(),
            body_html: Some(for_people(&self.html).into_owned()),
            digest,
        }
    }
}

fn footer_text(s: &Subject<'_>, ctx: &Context<'_>) -> String {
    format!(
        "You get this because your policywatch watches {} ({}) for changes in what it says about \
         cancelling a service. Times are {}.",
        s.target,
        s.carrier,
        ctx.timezone.name()
    )
}

pub const HTML_HEAD: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width\"></head>\n\
<body style=\"font-family:-apple-system,'Segoe UI',Roboto,'Noto Sans TC','PingFang HK',sans-serif;\
font-size:15px;line-height:1.5;color:#222;max-width:720px\">\n";

fn verdict_colour(v: crate::extract::verdict::Verdict) -> &'static str {
    match v {
        crate::extract::verdict::Verdict::Supported => "#1a7f37",
        crate::extract::verdict::Verdict::NotSupported => "#b42318",
        crate::extract::verdict::Verdict::Conflicting => "#b54708",
        crate::extract::verdict::Verdict::Unknown => "#555",
    }
}

fn verdict_box_html(r: &ChangeReport<'_>) -> String {
    let c = r.change;
    let mut h = format!(
        "<div style=\"border:2px solid {col};border-radius:6px;padding:10px 14px;margin:0 0 12px\">\
         <div style=\"font-weight:bold;color:{col}\">Online cancellation: {after}{was}</div>\n",
        col = verdict_colour(c.verdict_after),
        after = escape_html(c.verdict_after.as_str()),
        was = if c.verdict_before != c.verdict_after {
            format!(
                " <span style=\"color:#555;font-weight:normal\">(was {})</span>",
                c.verdict_before
            )
        } else {
            String::new()
        }
    );
    let quote = |h: &mut String, label: &str, a: &Assessment| {
        let items: Vec<&Evidence> = a.deciding().take(3).collect();
        if items.is_empty() {
            // `label` is empty when the verdict did not change: then no "before"/"now" prefix.
            let prefix = if label.is_empty() {
                String::new()
            } else {
                format!("{label}: ")
            };
            h.push_str(&format!(
                "<div style=\"color:#555\">{prefix}no sentence about how to end the service</div>\n"
            ));
        }
        for e in items {
            h.push_str(&format!(
                "<div style=\"margin:4px 0\">{label}<q>{}</q> <span style=\"color:#777;font-size:12px\">({})</span></div>\n",
                escape_html(&bound::cut(&e.in_context(), bound::MAX_EVIDENCE_CHARS)),
                escape_html(&e.label())
            ));
        }
    };
    if c.severity == Severity::Verdict {
        quote(&mut h, "Before: ", r.before);
        quote(&mut h, "After: ", r.after);
    } else {
        quote(&mut h, "", r.after);
    }
    h.push_str("</div>\n");
    h
}

fn push_evidence_text(text: &mut String, a: &Assessment) {
    let items: Vec<&Evidence> = a.deciding().take(3).collect();
    if items.is_empty() {
        text.push_str("  (no sentence about how to end the service)\n");
    }
    for e in items {
        text.push_str(&format!(
            "  \"{}\" [{}]\n",
            bound::cut(&e.in_context(), bound::MAX_EVIDENCE_CHARS),
            e.label()
        ));
    }
}

/// Renders as much of `h` as `budget` allows: the whole hunk, or else its longest prefix (the
/// first k removed and first k added blocks) that fits. Returns the text, the HTML and how many
/// blocks were left out.
fn render_within(h: &Hunk, budget: &mut bound::Budget) -> (String, String, usize) {
    let render = |k: usize| {
        let part = Hunk {
            removed: h.removed[..k.min(h.removed.len())].to_vec(),
            added: h.added[..k.min(h.added.len())].to_vec(),
            cancellation: h.cancellation,
        };
        let (mut t, mut m) = (String::new(), String::new());
        push_hunk_text(&mut t, &part);
        push_hunk_html(&mut m, &part);
        (t, m, part.removed.len() + part.added.len())
    };
    let total = h.removed.len() + h.added.len();
    let whole = render(h.removed.len().max(h.added.len()));
    if budget.room_for(whole.0.len(), whole.1.len()) {
        budget.take(whole.0.len(), whole.1.len());
        return (whole.0, whole.1, 0);
    }
    // Binary search for the largest prefix that fits; a prefix only grows with k.
    let (mut lo, mut hi) = (0, h.removed.len().max(h.added.len()));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let (t, m, _) = render(mid);
        if budget.room_for(t.len(), m.len()) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    budget.close();
    if lo == 0 {
        return (String::new(), String::new(), total);
    }
    let (t, m, shown) = render(lo);
    budget.take(t.len(), m.len());
    (t, m, total - shown)
}

fn push_hunk_text(text: &mut String, h: &Hunk) {
    for l in h.link_changes() {
        text.push_str(&format!(
            "link changed: {} → {} (was {})\n",
            l.text, l.to, l.from
        ));
    }
    for r in &h.removed {
        text.push_str(&format!("- {r}\n"));
    }
    for a in &h.added {
        text.push_str(&format!("+ {a}\n"));
    }
    text.push('\n');
}

const DEL_STYLE: &str =
    "background:#ffebe9;color:#82071e;padding:4px 8px;margin:2px 0;border-left:3px solid #cf222e";
const INS_STYLE: &str =
    "background:#dafbe1;color:#116329;padding:4px 8px;margin:2px 0;border-left:3px solid #1a7f37";

fn push_hunk_html(html: &mut String, h: &Hunk) {
    for l in h.link_changes() {
        html.push_str(&format!(
            "<div style=\"padding:4px 8px;margin:2px 0\"><b>link changed:</b> {} → {} <span style=\"color:#555\">(was {})</span></div>\n",
            escape_html(&l.text),
            escape_html(&l.to),
            escape_html(&l.from)
        ));
    }
    // Pair removed and added blocks one to one so the characters that differ can be marked.
    let pairs = h.removed.len().min(h.added.len());
    for i in 0..h.removed.len().max(h.added.len()) {
        match (h.removed.get(i), h.added.get(i)) {
            (Some(old), Some(new)) if i < pairs => {
                let (o, n) = inline_diff(old, new);
                html.push_str(&format!("<div style=\"{DEL_STYLE}\">− {o}</div>\n"));
                html.push_str(&format!("<div style=\"{INS_STYLE}\">+ {n}</div>\n"));
            }
            (old, new) => {
                if let Some(o) = old {
                    html.push_str(&format!(
                        "<div style=\"{DEL_STYLE}\">− {}</div>\n",
                        escape_html(o)
                    ));
                }
                if let Some(n) = new {
                    html.push_str(&format!(
                        "<div style=\"{INS_STYLE}\">+ {}</div>\n",
                        escape_html(n)
                    ));
                }
            }
        }
    }
    html.push_str("<div style=\"height:8px\"></div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Side, diff};
    use crate::extract::lexicon::Lexicon;
    use crate::extract::verdict::assess;

    #[test]
    fn escaping_and_headers() {
        assert_eq!(
            escape_html("<script>alert('x')</script>&"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
        assert_eq!(
            header_safe("a\r\nBcc: evil@example.org"),
            "a Bcc: evil@example.org"
        );
    }

    #[test]
    fn a_notice_with_huge_server_text_is_bounded() {
        let cause = "x".repeat(100_000);
        let lines: Vec<String> = (0..100).map(|i| format!("{i} {cause}")).collect();
        let alert = render_notice(
            "failing",
            &Subject {
                target: "t",
                carrier: "C",
                url: "https://x.example/",
            },
            &format!("failing: {cause}"),
            &lines,
            0,
            &Context {
                domain: "example.org",
                timezone: chrono_tz::Asia::Hong_Kong,
            },
        );
        let size = alert.body_text.len() + alert.body_html.as_deref().map_or(0, str::len);
        assert!(size <= bound::MAX_ALERT_BYTES, "{size}");
        assert!(alert.subject.chars().count() <= 200);
        assert!(alert.body_text.starts_with("t: failing: xxx"));
    }

    #[test]
    fn text_stored_by_an_older_version_loses_its_bidi_controls() {
        let lex = Lexicon::builtin();
        // Blocks as stored before invisible characters were dropped at extraction.
        let old: Vec<String> = vec!["Visit a 3Shop \u{202E}in person.".into()];
        let new: Vec<String> = vec!["Terminate \u{2066}online\u{2069} \u{1}now.".into()];
        let (a, b) = (assess(lex, &old), assess(lex, &new));
        fn side<'a>(blocks: &'a [String], a: &'a Assessment) -> Side<'a> {
            Side {
                blocks,
                cancellation: &a.cancellation_blocks,
                verdict: a.verdict,
            }
        }
        let change = diff(&side(&old, &a), &side(&new, &b)).unwrap();
        let alert = render_change(
            &ChangeReport {
                subject: Subject {
                    target: "t",
                    carrier: "C\u{202E}",
                    url: "https://x.example/",
                },
                change: &change,
                before: &a,
                after: &b,
                seen_at: 0,
                reverted_to: None,
                kind: "change",
                digest: false,
            },
            &Context {
                domain: "example.org",
                timezone: chrono_tz::Asia::Hong_Kong,
            },
        );
        let html = alert.body_html.unwrap();
        for part in [&alert.subject, &alert.body_text, &html, &alert.payload] {
            assert!(
                !part.contains(['\u{202E}', '\u{2066}', '\u{2069}', '\u{1}']),
                "{part:?}"
            );
        }
        assert!(alert.body_text.contains("+ Terminate online \u{FFFD}now."));
    }

    #[test]
    fn verdict_flip_leads_the_email() {
        let lex = Lexicon::builtin();
        let old: Vec<String> = vec!["To terminate the service, please visit a 3Shop.".into()];
        let new: Vec<String> = vec!["You may terminate the service online via My Account.".into()];
        let (a, b) = (assess(lex, &old), assess(lex, &new));
        let change = diff(
            &Side {
                blocks: &old,
                cancellation: &a.cancellation_blocks,
                verdict: a.verdict,
            },
            &Side {
                blocks: &new,
                cancellation: &b.cancellation_blocks,
                verdict: b.verdict,
            },
        )
        .unwrap();
        let alert = render_change(
            &ChangeReport {
                subject: Subject {
                    target: "3hk-x",
                    carrier: "3HK\r\nBcc: x",
                    url: "https://x.example/<a>",
                },
                change: &change,
                before: &a,
                after: &b,
                seen_at: 1_764_000_000,
                reverted_to: None,
                kind: "change",
                digest: false,
            },
            &Context {
                domain: "example.org",
                timezone: chrono_tz::Asia::Hong_Kong,
            },
        );
        assert_eq!(
            alert.subject,
            "[policywatch] 3HK Bcc: x: 3hk-x: online cancellation not-supported → supported"
        );
        assert!(
            alert
                .body_text
                .starts_with("3hk-x: online cancellation not-supported → supported")
        );
        assert!(
            alert
                .body_text
                .contains("- To terminate the service, please visit a 3Shop.")
        );
        assert!(
            alert
                .body_text
                .contains("+ You may terminate the service online via My Account.")
        );
        assert!(alert.body_text.contains("(HKT)"));
        let html = alert.body_html.unwrap();
        assert!(html.contains("https://x.example/&lt;a&gt;"));
        assert!(!html.contains("<a>"));
        assert!(alert.message_id.ends_with("@example.org>"));
    }
}
