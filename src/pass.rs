//! Pass: `policywatch check` as a library call: every target once, concurrently, then what a pass
//! owes when no daemon runs: old check records pruned, a due digest queued, the outbox sent.
//! The daemon checks targets on their own schedules instead, but prunes with [`prune`] too.
//! Printing and progress are the caller's (`main`).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::check::{CheckError, Checker, Outcome, Status};
use crate::config::{Config, Target};
use crate::notify::{self, Channels};
use crate::store::{Store, lock, now_unix};

/// How long a manual check waits for a daemon that is checking the same target right now.
pub const LEASE_WAIT: Duration = Duration::from_secs(60);

/// At most this many checks of one pass are in progress at once, waiting for a fetch permit
/// included: many more than the fetcher's concurrency, so it always has work from every host, but
/// bounded, so the memory of a pass does not grow with the number of targets.
const IN_FLIGHT: usize = 128;

/// Checks every target of `config` once and does the pass's housekeeping; returns one outcome per
/// target, in config order. `done` is called as each check finishes. Failures of housekeeping
/// (pruning, the digest, sending) are logged, not returned: alerts not sent stay pending.
pub async fn run(
    config: &Config,
    store: Arc<Mutex<Store>>,
    channels: &Channels,
    done: impl Fn(&Outcome),
) -> Result<Ran, CheckError> {
    let mut checker = Checker::from_config(config, store.clone())?;
    checker.lease_wait = LEASE_WAIT;
    let checker = Arc::new(checker);
    let outcomes = check_all(&checker, &config.targets, done).await;
    // No Chromium outlives the pass; robots.txt files read are kept for the next.
    checker.finish().await;
    let now = now_unix();
    prune(&store, config.storage.keep_checks, now);
    {
        let mut store = lock(&store);
        // Without the daemon's 09:00 job, a pass queues the digest when a day has gone by.
        if let Err(e) =
            notify::digest::settle(&mut store, config.alerts.digest, now, &checker.context())
        {
            tracing::warn!(error = %e, "cannot queue the daily digest");
        }
    }
    if let Err(e) = notify::feed::write(config, &lock(&store)) {
        tracing::warn!(error = %e, "cannot write the feed");
    }
    let undelivered = match notify::drain(&store, channels, true).await {
        Ok(d) => {
            // Counted in the store: a channel that rests after its first failure leaves the
            // rest of its queue untried, a refusal waits for its backoff, and a delivery that
            // failed once may have gone on its retry.
            let pending = lock(&store).pending_deliveries(None).unwrap_or_default();
            undelivered(&pending, d.refused)
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot drain the outbox; alerts stay pending");
            Some(format!("cannot send alerts: {e}; they stay pending"))
        }
    };
    Ok(Ran {
        outcomes,
        undelivered,
    })
}

/// What `check` says on exit 3: the deliveries still pending after its drain, and those it
/// found refused for good; `None` when every alert went out.
fn undelivered(pending: &[crate::store::Delivery], refused: usize) -> Option<String> {
    if pending.is_empty() && refused == 0 {
        return None;
    }
    tracing::error!(
        pending = pending.len(),
        refused,
        "some alerts could not be delivered; see `policywatch status`"
    );
    let latest = pending
        .iter()
        .find_map(|d| d.last_error.as_deref())
        .map(|e| format!("; latest error: {e}"))
        .unwrap_or_default();
    Some(format!(
        "{} not delivered ({} kept for a retry by the next check or run, {} refused for good; `policywatch status` lists them){latest}",
        plural(
            pending.len() + refused,
            "alert delivery",
            "alert deliveries"
        ),
        pending.len(),
        refused
    ))
}

/// What a pass did: one outcome per target, and why alerts were not all delivered, if so.
pub struct Ran {
    pub outcomes: Vec<Outcome>,
    pub undelivered: Option<String>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Deletes check records and sent alerts older than `keep`, logging what happened.
pub fn prune(store: &Mutex<Store>, keep: Duration, now: i64) {
    match lock(store).prune(now, keep) {
        Ok(n) if n > 0 => tracing::info!(rows = n, "pruned old check records"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "cannot prune old check records"),
    }
}

/// Checks every target concurrently (politeness is enforced by the fetcher) and returns one
/// outcome per target, in the order of `targets`. `done` is called as each finishes.
pub async fn check_all(
    checker: &Arc<Checker>,
    targets: &[Arc<Target>],
    done: impl Fn(&Outcome),
) -> Vec<Outcome> {
    let mut set = tokio::task::JoinSet::new();
    let mut queue = interleave_by_origin(targets).into_iter();
    let mut out: Vec<Option<Outcome>> = vec![None; targets.len()];
    loop {
        while set.len() < IN_FLIGHT
            && let Some(i) = queue.next()
        {
            let checker = Arc::clone(checker);
            let t = Arc::clone(&targets[i]);
            set.spawn(async move { (i, checker.check_isolated(&t).await) });
        }
        let Some(joined) = set.join_next().await else {
            break;
        };
        // check_isolated never panics itself; a join error could only be a cancellation.
        if let Ok((i, outcome)) = joined {
            done(&outcome);
            out[i] = Some(outcome);
        }
    }
    out.into_iter()
        .zip(targets)
        .map(|(o, t)| {
            o.unwrap_or_else(|| Outcome {
                target: t.name.clone(),
                status: Status::Error("internal error: the check was cancelled".into()),
                verdict: None,
            })
        })
        .collect()
}

/// Target indices, taking one target of each origin in turn, so that the checks in progress mix
/// hosts even when the config lists one host's pages together.
fn interleave_by_origin(targets: &[Arc<Target>]) -> Vec<usize> {
    let mut index = HashMap::new();
    let mut groups: Vec<VecDeque<usize>> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let g = *index
            .entry(t.url.origin().ascii_serialization())
            .or_insert_with(|| {
                groups.push(VecDeque::new());
                groups.len() - 1
            });
        groups[g].push_back(i);
    }
    let mut order = Vec::with_capacity(targets.len());
    while order.len() < targets.len() {
        for g in &mut groups {
            order.extend(g.pop_front());
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str) -> Target {
        Target {
            name: url.into(),
            carrier: "C".into(),
            url: url.parse().unwrap(),
            select: vec![],
            remove: vec![],
            schedule: "0 0 * * * *".into(),
            ignore_robots: false,
            render: Default::default(),
            pdf_from: None,
            pdf_to: None,
            notify: None,
        }
    }

    #[test]
    fn passes_take_hosts_in_turn() {
        let targets: Vec<Arc<Target>> = [
            "https://a.example/1",
            "https://a.example/2",
            "https://a.example/3",
            "https://b.example/1",
            "http://a.example/4",
        ]
        .iter()
        .map(|u| Arc::new(target(u)))
        .collect();
        assert_eq!(interleave_by_origin(&targets), vec![0, 3, 4, 1, 2]);
        assert!(interleave_by_origin(&[]).is_empty());
    }
}
