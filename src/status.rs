//! Status: per carrier and target, the current verdict with its key sentence, the last check, and
//! the alerts still waiting to be sent. Reads the store; changes nothing.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::Config;
use crate::diff::{Side, diff};
use crate::extract::normalise::for_people;
use crate::extract::verdict::Verdict;
use crate::notify::report::format_time;
use crate::store::{Delivery, Store, StoreError, Version};
use crate::table::Table;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no target named `{0}` in the config")]
    UnknownTarget(String),
    #[error("target `{0}` has no stored versions yet")]
    NoVersions(String),
    #[error("target `{target}` has no version {id} (see `policywatch history {target}`)")]
    NoSuchVersion { target: String, id: i64 },
}

fn known(config: &Config, target: &str) -> Result<(), QueryError> {
    config
        .target(target)
        .map(|_| ())
        .ok_or_else(|| QueryError::UnknownTarget(target.to_string()))
}

/// `history <target>`: every stored version, oldest first, the current one marked. Versions are
/// numbered per target (1, 2, 3…), the numbers `diff --from/--to` take.
pub fn history(config: &Config, store: &Store, target: &str) -> Result<String, QueryError> {
    known(config, target)?;
    let tz = &config.schedule.timezone;
    let versions = store.versions(target)?;
    let current = store.current(target)?.map(|v| v.id);
    let mut out = String::new();
    if versions.is_empty() {
        let _ = writeln!(out, "{target}: no versions stored yet");
    }
    for (number, v) in (1..).zip(&versions) {
        let _ = writeln!(
            out,
            "{} {:>5}  first seen {}  last seen {}  {:<14} {} blocks{}",
            if Some(v.id) == current { "*" } else { " " },
            number,
            format_time(v.first_seen, tz),
            format_time(v.last_seen, tz),
            v.verdict.as_str(),
            v.blocks.len(),
            v.assessment
                .key_sentence()
                .map(|e| format!("  \"{}\"", e.in_context()))
                .unwrap_or_default()
        );
    }
    Ok(for_people(&out).into_owned())
}

/// `diff <target> [--from ID] [--to ID]`: removed (-) and added (+) blocks between two versions.
pub fn diff_versions(
    config: &Config,
    store: &Store,
    target: &str,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<String, QueryError> {
    known(config, target)?;
    let versions = store.versions(target)?;
    // `from` and `to` are the per-target numbers `history` shows.
    let pick = |number: i64| -> Result<&Version, QueryError> {
        usize::try_from(number)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| versions.get(i))
            .ok_or_else(|| QueryError::NoSuchVersion {
                target: target.to_string(),
                id: number,
            })
    };
    let number_of = |v: &Version| {
        versions
            .iter()
            .position(|x| x.id == v.id)
            .map_or(0, |i| i + 1)
    };
    let current = store.current(target)?.map(|v| v.id);
    let to = match (to, current) {
        (Some(n), _) => pick(n)?,
        (None, Some(id)) => match versions.iter().find(|v| v.id == id) {
            Some(v) => v,
            None => return Err(QueryError::NoVersions(target.to_string())),
        },
        (None, None) => return Err(QueryError::NoVersions(target.to_string())),
    };
    let from = match from {
        Some(n) => pick(n)?,
        // The version seen before `to` took over: the latest-seen other version.
        None => match versions
            .iter()
            .filter(|v| v.id != to.id)
            .max_by_key(|v| (v.last_seen, v.id))
        {
            Some(v) => v,
            None => {
                return Ok(format!(
                    "{target}: only one version stored ({})\n",
                    number_of(to)
                ));
            }
        },
    };
    let tz = &config.schedule.timezone;
    let mut out = format!(
        "--- version {} (first seen {}) online cancellation: {}\n+++ version {} (first seen {}) online cancellation: {}\n",
        number_of(from),
        format_time(from.first_seen, tz),
        from.verdict,
        number_of(to),
        format_time(to.first_seen, tz),
        to.verdict
    );
    let side = |v: &Version| {
        (
            v.blocks.clone(),
            v.assessment.cancellation_blocks.clone(),
            v.verdict,
        )
    };
    let (fb, fc, fv) = side(from);
    let (tb, tc, tv) = side(to);
    match diff(
        &Side {
            blocks: &fb,
            cancellation: &fc,
            contexts: &[],
            verdict: fv,
        },
        &Side {
            blocks: &tb,
            cancellation: &tc,
            contexts: &[],
            verdict: tv,
        },
    ) {
        None => out.push_str("(identical)\n"),
        Some(change) => {
            for h in change.ordered_hunks() {
                let _ = writeln!(
                    out,
                    "@@ {}",
                    if h.cancellation {
                        "cancellation wording"
                    } else {
                        "other wording"
                    }
                );
                for r in &h.removed {
                    let _ = writeln!(out, "- {r}");
                }
                for a in &h.added {
                    let _ = writeln!(out, "+ {a}");
                }
            }
        }
    }
    Ok(for_people(&out).into_owned())
}

/// `status`: plain lines (for a pipe, a log or a test), or with `width`, tables with column
/// headers for a terminal that wide.
pub fn render_for(
    config: &Config,
    store: &Store,
    width: Option<usize>,
) -> Result<String, StoreError> {
    match width {
        None => render(config, store),
        Some(w) => render_tables(config, store, w),
    }
}

fn render_tables(config: &Config, store: &Store, width: usize) -> Result<String, StoreError> {
    let tz = &config.schedule.timezone;
    let mut carriers = Table::new(vec!["CARRIER", "ONLINE CANCELLATION", "PAGES"]);
    let mut targets = Table::new(vec!["TARGET", "VERDICT", "LAST CHECK", "KEY SENTENCE"]);
    let mut by_carrier: BTreeMap<&str, Vec<Verdict>> = BTreeMap::new();
    for t in &config.targets {
        let current = store.current(&t.name)?;
        let last = store.last_check(&t.name)?;
        let verdict = current.as_ref().map(|v| v.assessment.verdict);
        let entry = by_carrier.entry(t.carrier.as_str()).or_default();
        entry.extend(verdict);
        targets.push(vec![
            t.name.clone(),
            verdict.map_or("-", |v| v.as_str()).to_string(),
            match &last {
                Some(l) => format!("{} {}", format_time(l.started_at, tz), l.status),
                None => "never".to_string(),
            },
            match (
                &last,
                current.as_ref().and_then(|v| v.assessment.key_sentence()),
            ) {
                (Some(l), _) if l.error.is_some() => {
                    format!("error: {}", l.error.as_deref().unwrap_or_default())
                }
                (_, Some(e)) => format!("\"{}\"", e.sentence),
                _ => String::new(),
            },
        ]);
    }
    for (carrier, verdicts) in &by_carrier {
        let combined = Verdict::combine(verdicts.iter().copied());
        let disagree = verdicts.len() > 1 && verdicts.iter().any(|v| *v != combined);
        carriers.push(vec![
            carrier.to_string(),
            format!(
                "{combined}{}",
                if disagree {
                    " (its pages disagree)"
                } else {
                    ""
                }
            ),
            verdicts.len().to_string(),
        ]);
    }
    let mut out = carriers.render(Some(width));
    out.push('\n');
    out.push_str(&targets.render(Some(width)));
    out.push('\n');
    render_deliveries(&mut out, store, tz)?;
    Ok(for_people(&out).into_owned())
}

/// `list`: the configured targets, as a table on a terminal or tab-separated when piped.
pub fn target_list(config: &Config, width: Option<usize>) -> String {
    let mut t = Table::new(vec!["NAME", "CARRIER", "RENDER", "SCHEDULE", "URL"]);
    for target in &config.targets {
        t.push(vec![
            target.name.clone(),
            target.carrier.clone(),
            target.render.as_str().to_string(),
            target.schedule.clone(),
            target.url.to_string(),
        ]);
    }
    for_people(&t.render(width)).into_owned()
}

pub fn render(config: &Config, store: &Store) -> Result<String, StoreError> {
    let tz = &config.schedule.timezone;
    let mut by_carrier: BTreeMap<&str, Vec<&crate::config::Target>> = BTreeMap::new();
    for t in &config.targets {
        by_carrier.entry(t.carrier.as_str()).or_default().push(t);
    }
    // One name column for every carrier, as wide as the longest name, so the columns line up.
    let name_width = config
        .targets
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(0);
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
                "  {:<name_width$} {:<14} last check: {}",
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
                let _ = writeln!(lines, "      \"{}\"", e.in_context());
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
    render_deliveries(&mut out, store, tz)?;
    Ok(for_people(&out).into_owned())
}

/// Alerts not yet sent, and per channel the deliveries still pending (with their attempts and
/// last error) and those refused for good in the last week.
fn render_deliveries(
    out: &mut String,
    store: &Store,
    tz: &crate::zone::Zone,
) -> Result<(), StoreError> {
    let pending_alerts = store.pending_alerts()?;
    let _ = writeln!(out, "pending alerts: {}", pending_alerts.len());
    let held = store.digest_items()?;
    if !held.is_empty() {
        let _ = writeln!(out, "held for the daily digest: {}", held.len());
        for a in held.iter().take(HELD_SHOWN) {
            let _ = writeln!(
                out,
                "  {} (queued {})",
                shown(&a.message.subject),
                format_time(a.created_at, tz)
            );
        }
        if held.len() > HELD_SHOWN {
            let _ = writeln!(out, "  … and {} more", held.len() - HELD_SHOWN);
        }
    }
    let pending = store.pending_deliveries(None)?;
    let mut by_channel: BTreeMap<&str, Vec<&Delivery>> = BTreeMap::new();
    for d in &pending {
        by_channel.entry(d.channel.as_str()).or_default().push(d);
    }
    let routed: std::collections::HashSet<i64> = pending.iter().map(|d| d.alert.id).collect();
    let unrouted = pending_alerts.iter().filter(|a| !routed.contains(&a.id));
    for a in unrouted {
        let _ = writeln!(
            out,
            "  {} {} (queued {}, not yet given to a channel)",
            a.message.message_id,
            shown(&a.message.subject),
            format_time(a.created_at, tz)
        );
    }
    for (channel, list) in by_channel {
        let _ = writeln!(out, "  {channel}: {} pending", list.len());
        for d in list {
            let _ = writeln!(
                out,
                "    {} {} (queued {}, {} attempt{}{}{})",
                d.delivery_id,
                shown(&d.alert.message.subject),
                format_time(d.alert.created_at, tz),
                d.attempts,
                if d.attempts == 1 { "" } else { "s" },
                if d.attempts > 0 {
                    format!(", next try {}", format_time(d.next_attempt_at, tz))
                } else {
                    String::new()
                },
                d.last_error
                    .as_deref()
                    .map(|e| format!(
                        ", last error: {}{}",
                        shown(e),
                        if d.refused_at.is_some() {
                            " (a refusal: kept, and final only if refused again after another alert goes through)"
                        } else {
                            ""
                        }
                    ))
                    .unwrap_or_default()
            );
        }
    }
    let failed = store.failed_deliveries_since(crate::store::now_unix() - WEEK)?;
    if !failed.is_empty() {
        let _ = writeln!(out, "refused for good in the last 7 days: {}", failed.len());
        for d in failed {
            let _ = writeln!(
                out,
                "  {}: {} {} ({} attempt{}): {}",
                d.channel,
                d.delivery_id,
                shown(&d.alert.message.subject),
                d.attempts,
                if d.attempts == 1 { "" } else { "s" },
                shown(d.last_error.as_deref().unwrap_or("refused"))
            );
        }
    }
    Ok(())
}

const WEEK: i64 = 7 * 24 * 3600;

/// The alerts held for the digest that `status` names one by one; the digest itself has them all.
const HELD_SHOWN: usize = 20;

/// One line, whatever a server or a page put in it.
fn shown(s: &str) -> String {
    crate::notify::report::header_safe(s)
}
