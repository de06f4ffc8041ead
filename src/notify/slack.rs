//! Slack: an alert as a Slack-compatible incoming-webhook message (`format = "slack"`).
//!
//! `text` carries the whole message in short (Slack uses it for notifications; Mattermost and
//! Rocket.Chat show it), and `blocks` lay it out for Slack: the headline, where and when, the
//! verdict with its evidence, and the changed blocks. Page text is escaped for Slack's mrkdwn
//! (`&`, `<`, `>`), so a page cannot make links or mentions, and every field stays within
//! Slack's limits (150 characters for a header, 3,000 for a section, 50 blocks).

use serde_json::{Value, json};

use super::payload::Payload;
use crate::extract::verdict::Stance;

const HEADER_MAX: usize = 150;
const SECTION_MAX: usize = 3000;
/// The most changed blocks shown; the rest are counted.
const SHOWN_BLOCKS: usize = 20;

/// The message for an alert.
pub fn message(p: &Payload) -> String {
    let mut blocks = vec![json!({
        "type": "header",
        "text": {"type": "plain_text", "text": cut(&p.headline, HEADER_MAX)}
    })];
    let mut text = escape(&p.headline);
    if let (Some(carrier), Some(url)) = (&p.carrier, &p.url) {
        blocks.push(section(&format!(
            "*Carrier:* {}\n*Page:* <{}|{}>\n*Seen:* {}",
            escape(carrier),
            escape(url),
            escape(url),
            p.seen_at
        )));
        text.push_str(&format!(" ({})", escape(url)));
    }
    if let Some(v) = &p.verdict {
        let mut s = format!("*Online cancellation:* {}", v.after);
        if v.before != v.after {
            s.push_str(&format!(" (was {})", v.before));
            text.push_str(&format!("\nonline cancellation {} → {}", v.before, v.after));
        }
        for (label, quotes) in [("Before", &v.evidence_before), ("After", &v.evidence_after)] {
            if v.before == v.after && label == "Before" {
                continue;
            }
            for q in quotes {
                s.push_str(&format!(
                    "\n>{label}: \"{}\" _({})_",
                    escape(&q.sentence),
                    Stance::parse(&q.stance).map_or(q.stance.as_str(), |s| s.shown())
                ));
            }
        }
        blocks.push(section(&s));
    }
    if !p.removed.is_empty() || !p.added.is_empty() {
        let mut diff = String::new();
        for (mark, list) in [("-", &p.removed), ("+", &p.added)] {
            for b in list.iter().take(SHOWN_BLOCKS) {
                diff.push_str(&format!("{mark} {}\n", escape(b)));
            }
        }
        let hidden = p.removed.len().saturating_sub(SHOWN_BLOCKS)
            + p.added.len().saturating_sub(SHOWN_BLOCKS)
            + p.blocks_omitted;
        let mut s = format!("```{}```", cut(&diff, SECTION_MAX - 100));
        if hidden > 0 {
            s.push_str(&format!("\n… and {hidden} more changed blocks"));
        }
        blocks.push(section(&s));
    } else if p.verdict.is_none() && !p.text.is_empty() {
        // A notice, digest or heartbeat: its report is the message.
        blocks.push(section(&escape(&p.text)));
    }
    blocks.push(json!({
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": format!("policywatch · {} · {}", p.event, escape(&p.alert_id))}]
    }));
    json!({"text": cut(&text, SECTION_MAX), "blocks": blocks}).to_string()
}

/// A message with only a line of text (for an alert whose payload cannot be read).
pub fn plain(line: &str) -> String {
    json!({"text": escape(line)}).to_string()
}

fn section(text: &str) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": cut(text, SECTION_MAX)}})
}

/// Slack's mrkdwn escaping: the three characters that start links, mentions and entities.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// At most `max` characters (with "…" when cut).
fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max.saturating_sub(1)) {
        Some((i, _)) if s.chars().count() > max => format!("{}…", &s[..i]),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_page_text_and_keeps_limits() {
        let mut p = Payload::plain("change", &"x".repeat(400), 0).about(
            "t",
            "C",
            "https://example.org/?a=1&b=<2>",
        );
        p.added = vec!["<!channel> click <https://evil.example|here>".into()];
        let v: Value = serde_json::from_str(&message(&p)).unwrap();
        let header = v["blocks"][0]["text"]["text"].as_str().unwrap();
        assert_eq!(header.chars().count(), HEADER_MAX);
        let all = v.to_string();
        assert!(!all.contains("<!channel>"), "{all}");
        assert!(all.contains("&lt;!channel&gt;"));
        assert!(v["text"].as_str().unwrap().starts_with("xxx"));
        assert!(v["blocks"].as_array().unwrap().len() <= 50);
    }

    /// The payload keeps the stance's name ("offline only", a contract); the message shows it
    /// as the email does ("offline"), and a name it does not know as it came.
    #[test]
    fn stances_are_shown_as_in_the_email() {
        let mut p = Payload::plain("change", "t changed", 0).about("t", "C", "https://x.example/");
        let quote = |stance: &str| super::super::payload::Quote {
            sentence: "Customers may also visit a shop.".into(),
            stance: stance.into(),
        };
        p.verdict = Some(super::super::payload::VerdictChange {
            before: "supported".into(),
            after: "not-supported".into(),
            evidence_before: vec![quote("online")],
            evidence_after: vec![quote("offline only"), quote("something new")],
        });
        let all = message(&p);
        assert!(all.contains("_(offline)_"), "{all}");
        assert!(!all.contains("offline only"), "{all}");
        assert!(all.contains("_(online)_"), "{all}");
        assert!(all.contains("_(something new)_"), "{all}");
    }
}
