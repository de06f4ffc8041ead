//! Status: per carrier and target, the current verdict with its key sentence, the last check, and
//! the alerts still waiting to be sent. Reads the store; changes nothing.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::Config;
use crate::report::format_time;
use crate::store::{Store, StoreError};
use crate::verdict::Verdict;

pub fn render(config: &Config, store: &Store) -> Result<String, StoreError> {
    let tz = config.schedule.timezone;
    let mut by_carrier: BTreeMap<&str, Vec<&crate::config::Target>> = BTreeMap::new();
    for t in &config.targets {
        by_carrier.entry(t.carrier.as_str()).or_default().push(t);
    }
    let mut out = String::new();
    for (carrier, targets) in by_carrier {
        let mut lines = String::new();
        let mut verdicts = Vec::new();
        for t in targets {
            let current = store.current(&t.name)?;
            let last = store.last_check(&t.name)?;
            let verdict = current.as_ref().map(|v| v.assessment.verdict);
            verdicts.extend(verdict);
            let _ = writeln!(
                lines,
                "  {:<32} {:<14} last check: {}",
                t.name,
                verdict.map_or("-", |v| v.as_str()),
                match &last {
                    Some(l) => format!(
                        "{} {}{}",
                        format_time(l.started_at, tz),
                        l.status,
                        l.error
                            .as_deref()
                            .map(|e| format!(" ({e})"))
                            .unwrap_or_default()
                    ),
                    None => "never".to_string(),
                }
            );
            if let Some(e) = current.as_ref().and_then(|v| v.assessment.key_sentence()) {
                let _ = writeln!(lines, "      \"{}\"", e.sentence);
            }
        }
        let combined = Verdict::combine(verdicts.iter().copied());
        let disagreement = verdicts.iter().any(|v| *v != combined);
        let _ = writeln!(
            out,
            "{carrier}: online cancellation {combined}{}",
            if disagreement && verdicts.len() > 1 {
                " (its pages disagree)"
            } else {
                ""
            }
        );
        out.push_str(&lines);
    }
    let pending = store.pending_alerts()?;
    let _ = writeln!(out, "pending alerts: {}", pending.len());
    for a in pending {
        let _ = writeln!(
            out,
            "  {} {} (queued {}, {} attempts{})",
            a.message_id,
            a.subject,
            format_time(a.created_at, tz),
            a.attempts,
            a.last_error
                .map(|e| format!(", last error: {e}"))
                .unwrap_or_default()
        );
    }
    Ok(out)
}
