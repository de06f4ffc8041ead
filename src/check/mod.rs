//! Check: one pass of the pipeline for one target, as the shell around the alert rules: take the
//! target's lease, re-derive the baseline after a config edit (`rederive`), fetch and extract
//! (`observe`), ask [`crate::alerts::decide`] what that means (fetching again when it wants a
//! change confirmed), render the alerts it asks for (`notify::report`) and commit everything in
//! one transaction (see `store`). Every check ends in one [`Outcome`], whose [`Outcome::line`] is
//! what `policywatch check` prints. Delivering alerts is `notify`'s job.

mod observe;
mod rederive;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::alerts::{Commit, Decision};
use crate::config::{AlertSettings, Config, Target};
use crate::diff::Severity;
use crate::extract::document::PdfLimits;
use crate::extract::lexicon::{Lexicon, LexiconError, Shared};
use crate::fetch::{FetchError, Fetcher, Validators};
use crate::notify::report::{ChangeReport, Context, Subject, render_change, render_state};
use crate::store::{
    CheckRecord, Lease, NewAlert, RawPage, RecordOutcome, Recorded, Store, StoreError, TargetState,
    Version, lock, now_unix,
};

pub use observe::page_hash;
pub use rederive::fingerprint;

use observe::{Observation, Reuse};

/// The result of checking one target, as `check` prints it.
///
/// Not a second description of [`Commit`]: it is derived from one (`Status::of`), then
/// narrowed by what the store found when it committed (a change whose text turned out to be the
/// current version's is `Unchanged`), and it has outcomes no decision has (`Skipped`: the rules
/// never ran). `Commit` stays the richer type the rules return and the transaction consumes
/// (the report, the kind of hold); `Status` keeps only what a line of output needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    New,
    Unchanged,
    Changed(Severity),
    /// A change seen but not accepted: flapping, or wording missing for too few checks yet.
    Held(String),
    /// The first fetch after a configuration change became the baseline, without an alert.
    Rebaselined,
    Error(String),
    /// Not checked: another process held the target's lease for as long as this one waits. Its
    /// line is an `ERROR` (the target was not checked), but it is no failure of the page.
    Skipped(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub target: String,
    pub status: Status,
    pub verdict: Option<crate::extract::verdict::Verdict>,
}

impl Status {
    /// The status a decision of the alert rules commits, before the store has its say.
    fn of(commit: &Commit) -> Status {
        match commit {
            Commit::Failed(cause) => Status::Error(cause.clone()),
            Commit::Seen => Status::Unchanged,
            Commit::Held { note, .. } => Status::Held(note.clone()),
            Commit::First => Status::New,
            Commit::Changed(r) => Status::Changed(r.change.severity),
            Commit::Rebaseline => Status::Rebaselined,
        }
    }
}

impl Outcome {
    /// The one stdout line of `policywatch check` for this target.
    pub fn line(&self) -> String {
        match &self.status {
            Status::New => format!(
                "NEW {}{}",
                self.target,
                self.verdict
                    .map(|v| format!(" online-cancellation={v}"))
                    .unwrap_or_default()
            ),
            Status::Unchanged => format!("UNCHANGED {}", self.target),
            Status::Held(why) => format!("UNCHANGED {} ({why})", self.target),
            Status::Rebaselined => format!(
                "UNCHANGED {} (configuration changed: new baseline, no alert)",
                self.target
            ),
            Status::Changed(sev) => format!(
                "CHANGED {} {}{}",
                self.target,
                sev.as_str(),
                self.verdict
                    .map(|v| format!(" online-cancellation={v}"))
                    .unwrap_or_default()
            ),
            Status::Error(cause) | Status::Skipped(cause) => {
                format!("ERROR {}: {}", self.target, cause)
            }
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(self.status, Status::Error(_) | Status::Skipped(_))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
    #[error("extraction task failed: {0}")]
    Task(String),
    #[error("internal error: {0}")]
    Rules(String),
}

/// Everything a check needs, shared by all checks of a pass or of the daemon.
pub struct Checker {
    pub fetcher: Fetcher,
    /// Bounds on reading a PDF's text.
    pub pdf_limits: PdfLimits,
    /// Shared with the blocking tasks that assess pages (cloning its terms per check was
    /// measurable).
    pub lexicon: Shared,
    /// Identifies the lexicon in fingerprints (its source text hash).
    pub lexicon_id: u64,
    pub store: Arc<Mutex<Store>>,
    /// Domain for Message-IDs.
    pub domain: String,
    pub timezone: crate::zone::Zone,
    pub alerts: AlertSettings,
    /// How long a check waits for another process checking the same target (0: give up at
    /// once, as the daemon does; its next tick comes soon enough).
    pub lease_wait: Duration,
}

/// How long a check waits for another process that holds the target's lease.
pub const LEASE_POLL: Duration = Duration::from_millis(250);
/// A lease outlives any check (timeouts × retries + confirmation); a crashed holder's lease is
/// also released as soon as its process is seen gone.
const LEASE_SECONDS: i64 = 15 * 60;

impl Checker {
    pub fn from_config(config: &Config, store: Arc<Mutex<Store>>) -> Result<Checker, CheckError> {
        let lexicon = Lexicon::load_identified(config.lexicon.as_deref())?;
        Checker::with_lexicon(config, store, lexicon)
    }

    /// [`Checker::from_config`] with the lexicon (and its identity) already loaded.
    pub fn with_lexicon(
        config: &Config,
        store: Arc<Mutex<Store>>,
        (lexicon, lexicon_id): (Shared, u64),
    ) -> Result<Checker, CheckError> {
        let fetcher = Fetcher::new(&config.fetch)?;
        // robots.txt read by an earlier process, for what is left of its day.
        let now = now_unix();
        let remembered = lock(&store).robots_since(now - robots_ttl())?;
        fetcher.robots().remember(remembered, now);
        fetcher
            .robots()
            .keep_for(config.targets.iter().map(|t| crate::fetch::origin(&t.url)));
        Ok(Checker {
            fetcher,
            pdf_limits: crate::extract::document::pdf_limits(config.fetch.max_body),
            lexicon,
            lexicon_id,
            store,
            domain: config.message_domain(),
            timezone: config.schedule.timezone.clone(),
            alerts: config.alerts.clone(),
            lease_wait: Duration::ZERO,
        })
    }

    /// What a checking process does before it exits: keeps the robots.txt files it read for
    /// the next one, and stops Chromium.
    pub async fn finish(&self) {
        let now = now_unix();
        let read = self.fetcher.robots().read_here(now);
        if let Err(e) = lock(&self.store).keep_robots(&read, now - robots_ttl(), now) {
            tracing::warn!(error = %e, "cannot keep the robots.txt files read for the next check");
        }
        self.fetcher.shutdown().await;
    }

    pub fn context(&self) -> Context<'_> {
        Context {
            domain: &self.domain,
            timezone: self.timezone.clone(),
        }
    }

    /// Waits (up to `lease_wait`) for the target's lease: two processes sharing a database must
    /// never check one target at once. Returns the target's state, read with the lease; `Err`
    /// names the holder when it stays busy.
    async fn lease(&self, target: &Target, holder: &str) -> Result<TargetState, String> {
        let deadline = Instant::now() + self.lease_wait;
        loop {
            let now = now_unix();
            let taken =
                lock(&self.store).take_lease(&target.name, holder, now, now + LEASE_SECONDS);
            match taken {
                Ok(Lease::Taken(state)) => return Ok(state),
                Ok(Lease::Busy(other)) if Instant::now() >= deadline => {
                    return Err(format!(
                        "another policywatch process ({other}) is checking this target right now"
                    ));
                }
                Ok(Lease::Busy(_)) => tokio::time::sleep(LEASE_POLL).await,
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    /// Checks one target and commits the result. Only a database failure is an `Err`; every
    /// failure of the page itself is an `Ok` outcome with an error status, recorded as a check.
    pub async fn check(&self, target: &Target) -> Result<Outcome, CheckError> {
        let holder = crate::store::lease_holder();
        let state = match self.lease(target, &holder).await {
            Ok(state) => state,
            Err(busy) => return Ok(skipped(target, busy)),
        };
        let result = self.check_leased(target, state, &holder).await;
        self.released_unless_committed(target, &holder, result)
    }

    /// Records a check of `target` that was lost (`cause`: the process that had it ended) as a
    /// failed check, through the alert rules like a fetch that failed, so that a failing streak
    /// counts it and its alert goes out.
    async fn lost(&self, target: &Target, cause: &str) -> Result<Outcome, CheckError> {
        let holder = crate::store::lease_holder();
        let state = match self.lease(target, &holder).await {
            Ok(state) => state,
            Err(busy) => return Ok(skipped(target, busy)),
        };
        let (started_at, clock) = (now_unix(), Instant::now());
        let observation = Observation::Failed(FetchError::Other(cause.to_string()));
        let result = match self
            .decide(target, &state, &observation, None, started_at)
            .await
        {
            Ok(decision) => self.commit(
                target,
                &holder,
                started_at,
                clock,
                observation,
                None,
                decision,
            ),
            Err(e) => Err(e),
        };
        if let Ok(outcome) = &result {
            tracing::warn!(target = %target.name, url = %target.url, status = %outcome.line(), "lost check recorded");
        }
        self.released_unless_committed(target, &holder, result)
    }

    /// A committed check has released the lease in its own transaction; one that failed before
    /// it could commit releases it here.
    fn released_unless_committed(
        &self,
        target: &Target,
        holder: &str,
        result: Result<Outcome, CheckError>,
    ) -> Result<Outcome, CheckError> {
        if result.is_err()
            && let Err(e) = lock(&self.store).release_lease(&target.name, holder)
        {
            tracing::warn!(target = %target.name, error = %e, "cannot release the target's lease");
        }
        result
    }

    async fn check_leased(
        &self,
        target: &Target,
        mut state: TargetState,
        holder: &str,
    ) -> Result<Outcome, CheckError> {
        let started_at = now_unix();
        let clock = Instant::now();
        self.rederive(target, &mut state).await?;
        let (observation, current) = self.observe_for_check(target, &state).await?;
        let decision = self
            .decide(target, &state, &observation, current.as_deref(), started_at)
            .await?;
        if decision.commit == Commit::Rebaseline {
            tracing::info!(target = %target.name, "configuration changed: this fetch is the new baseline, no alert");
        }
        let outcome = self.commit(
            target,
            holder,
            started_at,
            clock,
            observation,
            current.as_deref(),
            decision,
        )?;
        let duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
        // A failed check is a warning, so that `journalctl -p warning` shows it.
        if outcome.is_error() {
            tracing::warn!(target = %target.name, url = %target.url, status = %outcome.line(), duration_ms, "checked");
        } else {
            tracing::info!(target = %target.name, url = %target.url, status = %outcome.line(), duration_ms, "checked");
        }
        Ok(outcome)
    }

    /// This check's fetch and extraction, with the current version when the page gave text.
    async fn observe_for_check(
        &self,
        target: &Target,
        state: &TargetState,
    ) -> Result<(Observation, Option<Arc<Version>>), CheckError> {
        let validators = Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        };
        let has_validators = validators.etag.is_some() || validators.last_modified.is_some();
        // The current version is reused, except while a configuration change waits for its
        // new baseline.
        let reuse = if state.rebaseline_pending {
            Reuse::Nothing
        } else {
            Reuse::Current {
                page: state.page_hash,
                cut: state.cut_hash,
            }
        };
        let (mut observation, loaded) = self
            .observe(target, has_validators.then_some(&validators), reuse)
            .await;
        if matches!(observation, Observation::NotModified)
            && loaded.is_none()
            && !lock(&self.store).has_version(&target.name)?
        {
            // A 304 says nothing without a version to be the same as.
            observation = self.observe(target, None, Reuse::Nothing).await.0;
        }
        // Loaded only for text: a 304 or a failure needs no version.
        let current = match (&observation, loaded) {
            (Observation::Content(..), Some(v)) => Some(v),
            (Observation::Content(..), None) => {
                lock(&self.store).current(&target.name)?.map(Arc::new)
            }
            _ => None,
        };
        Ok((observation, current))
    }

    /// Renders what the rules decided and commits it, with the check record and the target's
    /// new state, in one transaction that also releases the lease.
    #[allow(clippy::too_many_arguments)]
    fn commit(
        &self,
        target: &Target,
        holder: &str,
        started_at: i64,
        clock: Instant,
        observation: Observation,
        current: Option<&Version>,
        decision: Decision,
    ) -> Result<Outcome, CheckError> {
        let subject = Subject {
            target: &target.name,
            carrier: &target.carrier,
            url: target.url.as_str(),
        };
        let ctx = self.context();
        let alerts: Vec<NewAlert> = decision
            .notices
            .iter()
            .map(|n| render_state(n, &subject, started_at, &ctx))
            .collect();
        let change_alert = match (&decision.commit, &observation, current) {
            (Commit::Changed(r), Observation::Content(_, ex, _), Some(current)) => {
                Some(render_change(
                    &ChangeReport {
                        subject: Subject { ..subject },
                        change: &r.change,
                        before: &current.assessment,
                        after: &ex.assessment,
                        seen_at: started_at,
                        reverted_to: r.reverted_to,
                        kind: r.kind.as_str(),
                        digest: r.digest,
                    },
                    &ctx,
                ))
            }
            _ => None,
        };
        let verdict = observation.verdict();
        let base = CheckRecord {
            target: &target.name,
            carrier: &target.carrier,
            url: target.url.as_str(),
            started_at,
            duration: clock.elapsed(),
            http_status: observation.http_status(),
            outcome: RecordOutcome::NotModified,
            state: &decision.state,
            alerts: &alerts,
            raw: None,
            lease: Some(holder),
        };
        let record = |rec: &CheckRecord<'_>| lock(&self.store).record(rec);
        let recorded = match (&decision.commit, observation) {
            (Commit::Failed(cause), _) => record(&CheckRecord {
                outcome: RecordOutcome::Failed { error: cause },
                ..base
            })?,
            (Commit::Held { kind, note }, _) => record(&CheckRecord {
                outcome: RecordOutcome::Held {
                    status: kind.status(),
                    note,
                },
                ..base
            })?,
            // Text is recorded even when it is the current version's (`Commit::Seen`): its
            // assessment may be fresher than the stored one, which the store then replaces.
            (commit, Observation::Content(page, ex, _)) => record(&CheckRecord {
                outcome: RecordOutcome::Content {
                    blocks: &ex.blocks,
                    assessment: &ex.assessment,
                    alert: change_alert,
                    rebaseline: matches!(commit, Commit::Rebaseline),
                },
                raw: Some(&RawPage {
                    fetched_at: started_at,
                    url: page.url.to_string(),
                    body: page.body,
                }),
                ..base
            })?,
            // The current version seen again without its text being read: a 304, or a page
            // known to give it.
            (Commit::Seen, _) => record(&base)?,
            (commit, _) => {
                return Err(CheckError::Rules(format!(
                    "the alert rules decided {commit:?} without a page"
                )));
            }
        };
        // What was committed is what is printed.
        let status = match (Status::of(&decision.commit), recorded) {
            (Status::Changed(_), Recorded::Unchanged { .. }) => Status::Unchanged,
            // The current version seen again, but there is none: the store recorded an error.
            (Status::Unchanged, Recorded::Nothing) => {
                Status::Error("no stored version to be the same as".into())
            }
            (s, _) => s,
        };
        Ok(Outcome {
            target: target.name.clone(),
            status,
            verdict,
        })
    }

    /// Checks one target on its own task, so that even a panic becomes an `ERROR` outcome
    /// (recorded when the database allows) instead of taking the pass or the daemon down.
    pub async fn check_isolated(self: &Arc<Self>, target: &Target) -> Outcome {
        let me = Arc::clone(self);
        let t = target.clone();
        self.isolated(target, async move { me.check(&t).await })
            .await
    }

    /// [`Checker::lost`] on its own task, as [`Checker::check_isolated`] does a check.
    pub async fn record_lost(self: &Arc<Self>, target: &Target, cause: &str) -> Outcome {
        let me = Arc::clone(self);
        let (t, cause) = (target.clone(), cause.to_string());
        self.isolated(target, async move { me.lost(&t, &cause).await })
            .await
    }

    async fn isolated(
        &self,
        target: &Target,
        work: impl Future<Output = Result<Outcome, CheckError>> + Send + 'static,
    ) -> Outcome {
        let error = match tokio::spawn(work).await {
            Ok(Ok(outcome)) => return outcome,
            Ok(Err(e)) => e.to_string(),
            Err(e) => format!("internal error: {e}"),
        };
        tracing::error!(target = %target.name, error = %error, "check failed");
        // A panic skipped the release: this process's lease goes with the failed check's record.
        let holder = crate::store::lease_holder();
        record_failure(&self.store, target, &error, Some(&holder));
        Outcome {
            target: target.name.clone(),
            status: Status::Error(error),
            verdict: None,
        }
    }
}

/// Records a check of `target` that failed with `error` before it could record itself (a
/// panic, a check worker that ended), releasing `lease` if this process holds it. The target's
/// state is kept as it was.
pub fn record_failure(store: &Mutex<Store>, target: &Target, error: &str, lease: Option<&str>) {
    let state = lock(store).state(&target.name).unwrap_or_default();
    let recorded = lock(store).record(&CheckRecord {
        target: &target.name,
        carrier: &target.carrier,
        url: target.url.as_str(),
        started_at: now_unix(),
        duration: Duration::ZERO,
        http_status: None,
        outcome: RecordOutcome::Failed { error },
        state: &state,
        alerts: &[],
        raw: None,
        lease,
    });
    if let Err(e) = recorded {
        tracing::error!(target = %target.name, error = %e, "cannot record the failed check");
    }
}

/// How long a robots.txt is trusted, in the store's seconds.
fn robots_ttl() -> i64 {
    i64::try_from(crate::fetch::robots::ROBOTS_TTL.as_secs()).unwrap_or(i64::MAX)
}

/// The outcome of a check not made: another process holds the target's lease.
fn skipped(target: &Target, busy: String) -> Outcome {
    tracing::info!(target = %target.name, reason = %busy, "check skipped");
    Outcome {
        target: target.name.clone(),
        status: Status::Skipped(busy),
        verdict: None,
    }
}
