//! Payload: the structured, channel-neutral form of an alert (the webhook JSON schema).
//!
//! report.rs builds it from the same data as the email and it is stored beside the email in the
//! outbox, so a webhook sent later (or again) says exactly what the email said. The schema is
//! documented in README ("Webhooks"); `schema` changes only when a field changes meaning.
//! Everything from a page is plain text here: the receiver escapes it for wherever it shows it.

use chrono::{TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::diff::{Change, Severity};
use crate::extract::verdict::{Assessment, Evidence};

/// The version of the JSON schema.
pub const SCHEMA: u32 = 1;
/// At most this many removed (and as many added) blocks go in a payload; the rest are counted.
/// With `MAX_BLOCK_CHARS`, as in the email: a payload stays within a few hundred KB.
pub const MAX_BLOCKS: usize = 40;
/// A block longer than this (in characters) is cut, with "…".
pub const MAX_BLOCK_CHARS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    pub schema: u32,
    /// change, evidence-lost, evidence-back, failing, recovered, moved, digest, heartbeat, test…
    pub event: String,
    /// Stable: the alert's Message-ID without its angle brackets.
    pub alert_id: String,
    pub target: Option<String>,
    pub carrier: Option<String>,
    pub url: Option<String>,
    /// verdict, cancellation or wording, for a change of wording; otherwise null.
    pub severity: Option<String>,
    /// One line, as in the email's subject (without the `[policywatch] carrier:` prefix).
    pub headline: String,
    /// The verdict before and after, with the sentences that decide it; null when the alert is
    /// not about the page's wording.
    pub verdict: Option<VerdictChange>,
    pub removed: Vec<String>,
    pub added: Vec<String>,
    /// Changed blocks left out of `removed` and `added` (over `MAX_BLOCKS` each).
    pub blocks_omitted: usize,
    /// RFC 3339, UTC.
    pub seen_at: String,
    /// The plain-text report, as in the email.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictChange {
    pub before: String,
    pub after: String,
    pub evidence_before: Vec<Quote>,
    pub evidence_after: Vec<Quote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub sentence: String,
    /// How the sentence bears on online cancellation (supports, rejects, …).
    pub stance: String,
}

/// Unix seconds as RFC 3339 UTC.
pub fn rfc3339(ts: i64) -> String {
    Utc.timestamp_opt(ts, 0)
        .single()
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// A Message-ID without its angle brackets.
pub fn alert_id(message_id: &str) -> String {
    message_id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

impl Payload {
    /// An alert without a page change: a notice, a digest, a heartbeat, a test.
    pub fn plain(event: &str, headline: &str, seen_at: i64) -> Payload {
        Payload {
            schema: SCHEMA,
            event: event.to_string(),
            alert_id: String::new(),
            target: None,
            carrier: None,
            url: None,
            severity: None,
            headline: headline.to_string(),
            verdict: None,
            removed: Vec::new(),
            added: Vec::new(),
            blocks_omitted: 0,
            seen_at: rfc3339(seen_at),
            text: String::new(),
        }
    }

    /// Sets where the alert is about.
    pub fn about(mut self, target: &str, carrier: &str, url: &str) -> Payload {
        self.target = Some(target.to_string());
        self.carrier = Some(carrier.to_string());
        self.url = Some(url.to_string());
        self
    }

    /// Adds a change of wording: severity, the verdict with its evidence, and the blocks.
    pub fn with_change(mut self, c: &Change, before: &Assessment, after: &Assessment) -> Payload {
        self.severity = Some(
            match c.severity {
                Severity::Verdict => "verdict",
                Severity::Cancellation => "cancellation",
                Severity::Wording => "wording",
            }
            .to_string(),
        );
        self.verdict = Some(VerdictChange {
            before: c.verdict_before.as_str().to_string(),
            after: c.verdict_after.as_str().to_string(),
            evidence_before: quotes(before),
            evidence_after: quotes(after),
        });
        for h in c.ordered_hunks() {
            for (list, blocks) in [(&mut self.removed, &h.removed), (&mut self.added, &h.added)] {
                for b in blocks {
                    if list.len() < MAX_BLOCKS {
                        list.push(cut(b));
                    } else {
                        self.blocks_omitted += 1;
                    }
                }
            }
        }
        self
    }

    /// Fills in the parts known only when the alert is closed, and serialises it.
    pub fn finish(mut self, message_id: &str, text: &str) -> String {
        self.alert_id = alert_id(message_id);
        self.text = text.to_string();
        serde_json::to_string(&self).expect("a payload of strings and numbers always serialises")
    }
}

fn quotes(a: &Assessment) -> Vec<Quote> {
    a.shown(crate::notify::report::bound::MAX_EVIDENCE_LINES)
        .0
        .into_iter()
        .map(|e: &Evidence| Quote {
            sentence: cut(&e.sentence),
            stance: e.stance.as_str().to_string(),
        })
        .collect()
}

fn cut(s: &str) -> String {
    match s.char_indices().nth(MAX_BLOCK_CHARS) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_ids_and_cuts() {
        assert_eq!(rfc3339(1_764_000_000), "2025-11-24T16:00:00Z");
        assert_eq!(alert_id("<abc.t@example.org>"), "abc.t@example.org");
        let long = "長".repeat(MAX_BLOCK_CHARS + 5);
        let c = cut(&long);
        assert_eq!(c.chars().count(), MAX_BLOCK_CHARS + 1);
        assert!(c.ends_with('…'));
        let json = Payload::plain("test", "hello", 0).finish("<m@x>", "body");
        let back: Payload = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (back.alert_id.as_str(), back.text.as_str()),
            ("m@x", "body")
        );
    }
}
