//! Check: one pass of the pipeline for one target: fetch → extract → verdict → diff → store.
//!
//! Besides comparing wording, a check keeps the target's alert state: a change is fetched again
//! after `confirm_delay` and reported only if it persists (otherwise it is recorded as flapping);
//! a selector that stops matching, or cancellation wording that vanishes, raises one "evidence
//! lost" alert after `lost_after` checks and one alert when it is back; failures stay silent until
//! `failures_before_alert` in a row, then one "failing" alert, at most a daily reminder, and one
//! "recovered"; a permanent redirect is reported once. Every check ends in exactly one committed
//! transaction (see `store`) and one [`Outcome`], whose [`Outcome::line`] is what `policywatch
//! check` prints. Delivering alerts is `notify`'s job. Parsing runs on the blocking pool.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::config::{AlertSettings, Config, Digest, Target};
use crate::diff::{Change, Severity, Side, diff};
use crate::extract::{ExtractError, Extractor};
use crate::fetch::{FetchError, Fetched, Fetcher, Page, Request, Validators};
use crate::lexicon::{Lexicon, LexiconError};
use crate::notify::{lock, now_unix};
use crate::report::{ChangeReport, Context, Subject, render_change, render_notice};
use crate::store::{
    CheckRecord, NewAlert, RawPage, RecordOutcome, Recorded, Store, StoreError, TargetState,
    Version,
};
use crate::verdict::{Assessment, assess};

/// How often a target that stays failing is mentioned again.
pub const REMINDER_INTERVAL: i64 = 24 * 3600;

/// The result of checking one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    New,
    Unchanged,
    Changed(Severity),
    /// A change seen but not accepted: flapping, or wording missing for too few checks yet.
    Held(String),
    Error(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub target: String,
    pub status: Status,
    pub verdict: Option<crate::verdict::Verdict>,
}

impl Outcome {
    /// The one stdout line of `policywatch check` for this target.
    pub fn line(&self) -> String {
        match &self.status {
            Status::New => format!("NEW {}", self.target),
            Status::Unchanged => format!("UNCHANGED {}", self.target),
            Status::Held(why) => format!("UNCHANGED {} ({why})", self.target),
            Status::Changed(sev) => format!(
                "CHANGED {} {}{}",
                self.target,
                sev.as_str(),
                self.verdict
                    .map(|v| format!(" online-cancellation={v}"))
                    .unwrap_or_default()
            ),
            Status::Error(cause) => format!("ERROR {}: {}", self.target, cause),
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(self.status, Status::Error(_))
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
}

/// Everything a check needs, shared by all checks of a pass or of the daemon.
pub struct Checker {
    pub fetcher: Fetcher,
    pub lexicon: Lexicon,
    /// Identifies the lexicon in fingerprints (its source text hash).
    pub lexicon_id: u64,
    pub store: Arc<Mutex<Store>>,
    /// Domain for Message-IDs.
    pub domain: String,
    pub timezone: chrono_tz::Tz,
    pub alerts: AlertSettings,
}

/// Extracted text with its verdict.
pub struct Extracted {
    pub blocks: Vec<String>,
    pub assessment: Assessment,
}

/// Extracts and assesses a page (CPU work; call from a blocking context).
pub fn extract_and_assess(
    target: &Target,
    html: &str,
    lexicon: &Lexicon,
) -> Result<Extracted, ExtractError> {
    let blocks = Extractor::new(&target.select, &target.remove)?.extract(html)?;
    let assessment = assess(lexicon, &blocks);
    Ok(Extracted { blocks, assessment })
}

/// FNV-1a, 64 bits: stable across runs, platforms and Rust versions (unlike the std hasher).
pub fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325_u64;
    for part in parts {
        for b in part.iter().chain(&[0xff]) {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// What extraction of a target depends on: when it changes, the baseline is re-derived.
pub fn fingerprint(target: &Target, lexicon_id: u64) -> String {
    let sel = target.select.join("\u{1}");
    let rem = target.remove.join("\u{1}");
    format!(
        "{:016x}",
        stable_hash(&[
            sel.as_bytes(),
            rem.as_bytes(),
            &lexicon_id.to_le_bytes(),
            env!("CARGO_PKG_VERSION").as_bytes()
        ])
    )
}

/// The lexicon a config asks for, with its identity for fingerprints.
pub fn load_lexicon(config: &Config) -> Result<(Lexicon, u64), LexiconError> {
    match &config.lexicon {
        Some(path) => {
            let src = std::fs::read_to_string(path).map_err(|source| LexiconError::Read {
                path: path.display().to_string(),
                source,
            })?;
            let lex = Lexicon::parse(&path.display().to_string(), &src)?;
            Ok((lex, stable_hash(&[src.as_bytes()])))
        }
        None => Ok((
            Lexicon::builtin().clone(),
            stable_hash(&[crate::lexicon::BUILTIN.as_bytes()]),
        )),
    }
}

/// What the fetch and extraction of one check found.
enum Observation {
    Failed(FetchError),
    NotModified,
    /// The page loaded but the selection is missing (selector matches nothing, or no text).
    Missing(Box<Page>, ExtractError),
    Content(Box<Page>, Extracted),
}

impl Checker {
    pub fn from_config(config: &Config, store: Arc<Mutex<Store>>) -> Result<Checker, CheckError> {
        let (lexicon, lexicon_id) = load_lexicon(config)?;
        Ok(Checker {
            fetcher: Fetcher::new(&config.fetch)?,
            lexicon,
            lexicon_id,
            store,
            domain: config
                .email
                .as_ref()
                .map(|e| e.from.email.domain().to_string())
                .unwrap_or_else(|| "policywatch.invalid".to_string()),
            timezone: config.schedule.timezone,
            alerts: config.alerts.clone(),
        })
    }

    pub fn context(&self) -> Context<'_> {
        Context {
            domain: &self.domain,
            timezone: self.timezone,
        }
    }

    async fn observe(&self, target: &Target, validators: Option<&Validators>) -> Observation {
        let fetched = self
            .fetcher
            .fetch(&Request {
                url: &target.url,
                validators,
                ignore_robots: target.ignore_robots,
            })
            .await;
        let page = match fetched {
            Ok(Fetched::Page(p)) => p,
            Ok(Fetched::NotModified { .. }) => return Observation::NotModified,
            Err(e) => return Observation::Failed(e),
        };
        let t = target.clone();
        let lexicon = self.lexicon.clone();
        let html = page.html.clone();
        match tokio::task::spawn_blocking(move || extract_and_assess(&t, &html, &lexicon)).await {
            Ok(Ok(ex)) => Observation::Content(page, ex),
            Ok(Err(e)) => Observation::Missing(page, e),
            Err(e) => Observation::Failed(FetchError::Other(format!("extraction failed: {e}"))),
        }
    }

    /// Re-derives the baseline from the stored raw page after a selector or lexicon edit, so
    /// the edit itself is never reported as a change of the page.
    fn rederive(
        &self,
        target: &Target,
        state: &mut TargetState,
        fp: &str,
    ) -> Result<(), CheckError> {
        if state.fingerprint.as_deref() == Some(fp) {
            return Ok(());
        }
        let mut store = lock(&self.store);
        if state.fingerprint.is_some()
            && let Some(raw) = store.raw_page(&target.name)?
            && let Ok(ex) = extract_and_assess(target, &raw.html, &self.lexicon)
        {
            if store.rebaseline(&target.name, &ex.blocks, &ex.assessment, fp, now_unix())? {
                tracing::info!(target = %target.name, "selectors or lexicon changed: baseline re-derived from the stored page, no alert");
            }
        } else {
            store.rebaseline(
                &target.name,
                &[],
                &assess(&self.lexicon, &[]),
                fp,
                now_unix(),
            )?;
        }
        // Validators belong to the old extraction: fetch the page in full once.
        state.etag = None;
        state.last_modified = None;
        state.fingerprint = Some(fp.to_string());
        Ok(())
    }

    /// Checks one target and commits the result. Only a database failure is an `Err`; every
    /// failure of the page itself is an `Ok` outcome with an error status, recorded as a check.
    pub async fn check(&self, target: &Target) -> Result<Outcome, CheckError> {
        let started_at = now_unix();
        let clock = Instant::now();
        let fp = fingerprint(target, self.lexicon_id);
        let mut state = lock(&self.store).state(&target.name)?;
        self.rederive(target, &mut state, &fp)?;
        let validators = Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        };
        let has_validators = validators.etag.is_some() || validators.last_modified.is_some();
        let mut observation = self
            .observe(target, has_validators.then_some(&validators))
            .await;
        if matches!(observation, Observation::NotModified)
            && lock(&self.store).current(&target.name)?.is_none()
        {
            observation = self.observe(target, None).await;
        }
        let subject = Subject {
            target: &target.name,
            carrier: &target.carrier,
            url: target.url.as_str(),
        };
        let mut alerts: Vec<NewAlert> = Vec::new();
        let http_status = match &observation {
            Observation::Content(p, _) | Observation::Missing(p, _) => Some(p.status),
            Observation::NotModified => Some(304),
            Observation::Failed(FetchError::Status { status, .. }) => Some(*status),
            Observation::Failed(_) => None,
        };

        // Failure streaks and recovery, page moves.
        match &observation {
            Observation::Failed(e) => {
                self.on_failure(&subject, &mut state, e, started_at, &mut alerts)
            }
            Observation::NotModified => {
                self.on_success(&subject, &mut state, None, started_at, &mut alerts)
            }
            Observation::Content(p, _) | Observation::Missing(p, _) => {
                self.on_success(&subject, &mut state, Some(p), started_at, &mut alerts)
            }
        }

        let (status, verdict, outcome_kind) = match observation {
            Observation::Failed(e) => {
                let cause = e.to_string();
                (Status::Error(cause.clone()), None, Pending::Failed(cause))
            }
            Observation::NotModified => (Status::Unchanged, None, Pending::NotModified),
            Observation::Missing(_, e) => {
                let cause = e.to_string();
                state.lost_streak += 1;
                if state.lost_streak >= i64::from(self.alerts.lost_after) && !state.evidence_lost {
                    state.evidence_lost = true;
                    alerts.push(render_notice(
                        "evidence-lost",
                        &subject,
                        "cancellation evidence lost",
                        &[
                            format!("The page loads, but {cause} (for {} checks in a row).", state.lost_streak),
                            "The page may have been redesigned or moved: check the target's selectors with `policywatch inspect`. You get one more email when the wording is found again.".to_string(),
                        ],
                        started_at,
                        &self.context(),
                    ));
                }
                (Status::Error(cause.clone()), None, Pending::Failed(cause))
            }
            Observation::Content(page, ex) => {
                let verdict = Some(ex.assessment.verdict);
                let (status, pending) = self
                    .on_content(
                        target,
                        &subject,
                        &mut state,
                        *page,
                        ex,
                        started_at,
                        &mut alerts,
                    )
                    .await?;
                (status, verdict, pending)
            }
        };

        let duration = clock.elapsed();
        let mut store = lock(&self.store);
        let base = CheckRecord {
            target: &target.name,
            carrier: &target.carrier,
            url: target.url.as_str(),
            started_at,
            duration,
            http_status,
            outcome: RecordOutcome::NotModified,
            state: &state,
            alerts: &alerts,
            raw: None,
        };
        match &outcome_kind {
            Pending::Failed(cause) => {
                store.record(&CheckRecord {
                    outcome: RecordOutcome::Failed { error: cause },
                    ..base
                })?;
            }
            Pending::NotModified => {
                store.record(&base)?;
            }
            Pending::Held(kind, note) => {
                store.record(&CheckRecord {
                    outcome: RecordOutcome::Held { status: kind, note },
                    ..base
                })?;
            }
            Pending::Store { ex, alert, raw } => {
                let recorded = store.record(&CheckRecord {
                    outcome: RecordOutcome::Content {
                        blocks: &ex.blocks,
                        assessment: &ex.assessment,
                        alert: alert.clone(),
                    },
                    raw: Some(raw),
                    ..base
                })?;
                debug_assert!(!matches!(recorded, Recorded::Nothing));
            }
        }
        drop(store);
        let outcome = Outcome {
            target: target.name.clone(),
            status,
            verdict,
        };
        tracing::info!(
            target = %target.name,
            url = %target.url,
            status = %outcome.line(),
            duration_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
            "checked"
        );
        Ok(outcome)
    }

    fn on_failure(
        &self,
        subject: &Subject<'_>,
        state: &mut TargetState,
        e: &FetchError,
        now: i64,
        alerts: &mut Vec<NewAlert>,
    ) {
        state.failure_streak += 1;
        let threshold = i64::from(self.alerts.failures_before_alert);
        match state.failing_alerted_at {
            None if state.failure_streak >= threshold => {
                state.failing_alerted_at = Some(now);
                alerts.push(render_notice(
                    "failing",
                    subject,
                    &format!("failing: {e}"),
                    &[
                        format!("The last {} checks failed. The latest cause: {e}.", state.failure_streak),
                        "Until it recovers, changes on this page cannot be seen. You get one more email when it recovers, and at most a daily reminder until then.".to_string(),
                    ],
                    now,
                    &self.context(),
                ));
            }
            Some(alerted) => {
                let last = state.failing_reminded_at.unwrap_or(alerted);
                if now - last >= REMINDER_INTERVAL {
                    state.failing_reminded_at = Some(now);
                    alerts.push(render_notice(
                        "failing-reminder",
                        subject,
                        &format!("still failing: {e}"),
                        &[format!(
                            "{} checks in a row have failed. The latest cause: {e}.",
                            state.failure_streak
                        )],
                        now,
                        &self.context(),
                    ));
                }
            }
            None => {}
        }
    }

    fn on_success(
        &self,
        subject: &Subject<'_>,
        state: &mut TargetState,
        page: Option<&Page>,
        now: i64,
        alerts: &mut Vec<NewAlert>,
    ) {
        if state.failing_alerted_at.is_some() {
            alerts.push(render_notice(
                "recovered",
                subject,
                "recovered",
                &[format!(
                    "The page loads again after {} failed checks.",
                    state.failure_streak
                )],
                now,
                &self.context(),
            ));
        }
        state.failure_streak = 0;
        state.failing_alerted_at = None;
        state.failing_reminded_at = None;
        let Some(page) = page else { return };
        state.etag = page.validators.etag.clone();
        state.last_modified = page.validators.last_modified.clone();
        let moved = page.moved_to.as_ref().map(|u| u.to_string());
        if moved.is_some() && moved != state.moved_to {
            let to = moved.clone().unwrap_or_default();
            alerts.push(render_notice(
                "moved",
                subject,
                &format!("page moved to {to}"),
                &[
                    format!("{} now answers with a permanent redirect to {to}.", subject.url),
                    "policywatch follows the redirect and keeps watching; update the target's url to the new address to silence the redirect. This is reported once.".to_string(),
                ],
                now,
                &self.context(),
            ));
        }
        state.moved_to = moved;
    }

    /// A page with content: new, unchanged, changed (confirmed), flapping, or wording missing.
    #[allow(clippy::too_many_arguments)]
    async fn on_content(
        &self,
        target: &Target,
        subject: &Subject<'_>,
        state: &mut TargetState,
        page: Page,
        ex: Extracted,
        now: i64,
        alerts: &mut Vec<NewAlert>,
    ) -> Result<(Status, Pending), CheckError> {
        let current = lock(&self.store).current(&target.name)?;
        let raw = RawPage {
            fetched_at: now,
            url: page.url.to_string(),
            html: page.html,
        };
        let has_wording = ex.assessment.cancellation_blocks.iter().any(|b| *b);
        let Some(current) = current else {
            state.lost_streak = 0;
            return Ok((Status::New, Pending::store(ex, None, raw)));
        };
        let Some(change) = changed(&current, &ex) else {
            // A selector that matches again on unchanged wording: one "found again" alert.
            if state.evidence_lost && has_wording {
                alerts.push(self.evidence_back(subject, state, now));
            }
            state.lost_streak = 0;
            return Ok((Status::Unchanged, Pending::NotModified));
        };
        let had_wording = current.assessment.cancellation_blocks.iter().any(|b| *b);
        if had_wording && !has_wording && !state.evidence_lost {
            state.lost_streak += 1;
            if state.lost_streak < i64::from(self.alerts.lost_after) {
                let why = format!(
                    "cancellation wording missing, {} of {} checks before an alert",
                    state.lost_streak, self.alerts.lost_after
                );
                return Ok((Status::Held(why.clone()), Pending::Held("held", why)));
            }
            state.evidence_lost = true;
            let alert = self.change_alert(
                subject,
                &change,
                &current,
                &ex,
                None,
                now,
                "evidence-lost",
                false,
            );
            return Ok((
                Status::Changed(change.severity),
                Pending::store(ex, Some(alert), raw),
            ));
        }

        // Confirm: fetch again and accept only what two fetches agree on.
        if let Some(why) = self.confirm(target, &ex).await {
            return Ok((Status::Held(why.clone()), Pending::Held("flapping", why)));
        }
        let reverted_to = lock(&self.store).first_seen_of(&target.name, &ex.blocks)?;
        let (kind, digest) = if state.evidence_lost && has_wording {
            state.evidence_lost = false;
            ("evidence-back", false)
        } else {
            (
                "change",
                change.severity == Severity::Wording && self.alerts.digest == Digest::Daily,
            )
        };
        if has_wording {
            state.lost_streak = 0;
        }
        let alert = self.change_alert(
            subject,
            &change,
            &current,
            &ex,
            reverted_to,
            now,
            kind,
            digest,
        );
        Ok((
            Status::Changed(change.severity),
            Pending::store(ex, Some(alert), raw),
        ))
    }

    /// Fetches again after `confirm_delay`. `None` when the second fetch shows the same text.
    async fn confirm(&self, target: &Target, first: &Extracted) -> Option<String> {
        tokio::time::sleep(self.alerts.confirm_delay).await;
        match self.observe(target, None).await {
            Observation::Content(_, second) if second.blocks == first.blocks => None,
            Observation::Content(..) | Observation::Missing(..) => {
                tracing::info!(target = %target.name, "change not confirmed by a second fetch: flapping");
                Some("flapping: a second fetch disagreed".to_string())
            }
            Observation::NotModified => None,
            Observation::Failed(e) => Some(format!("change not confirmed: {e}")),
        }
    }

    fn evidence_back(&self, subject: &Subject<'_>, state: &mut TargetState, now: i64) -> NewAlert {
        state.evidence_lost = false;
        render_notice(
            "evidence-back",
            subject,
            "cancellation wording found again",
            &["The watched region and its cancellation wording are back, unchanged.".to_string()],
            now,
            &self.context(),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn change_alert(
        &self,
        subject: &Subject<'_>,
        change: &Change,
        current: &Version,
        ex: &Extracted,
        reverted_to: Option<i64>,
        now: i64,
        kind: &str,
        digest: bool,
    ) -> NewAlert {
        render_change(
            &ChangeReport {
                subject: Subject { ..*subject },
                change,
                before: &current.assessment,
                after: &ex.assessment,
                seen_at: now,
                reverted_to,
                kind,
                digest,
            },
            &self.context(),
        )
    }

    /// Checks every target concurrently (politeness is enforced by the fetcher) and returns the
    /// outcomes in the order of `targets`. `done` is called as each target finishes.
    pub async fn check_all(
        self: &Arc<Self>,
        targets: &[Target],
        done: impl Fn(&Outcome),
    ) -> Result<Vec<Outcome>, CheckError> {
        let mut set = tokio::task::JoinSet::new();
        for (i, t) in targets.iter().cloned().enumerate() {
            let me = Arc::clone(self);
            set.spawn(async move { (i, me.check(&t).await) });
        }
        let mut out: Vec<Option<Outcome>> = vec![None; targets.len()];
        while let Some(joined) = set.join_next().await {
            let (i, result) = joined.map_err(|e| CheckError::Task(e.to_string()))?;
            let outcome = result?;
            done(&outcome);
            out[i] = Some(outcome);
        }
        Ok(out.into_iter().flatten().collect())
    }
}

/// What to commit at the end of a check.
enum Pending {
    Failed(String),
    NotModified,
    Held(&'static str, String),
    Store {
        ex: Box<Extracted>,
        alert: Option<NewAlert>,
        raw: RawPage,
    },
}

impl Pending {
    fn store(ex: Extracted, alert: Option<NewAlert>, raw: RawPage) -> Pending {
        Pending::Store {
            ex: Box::new(ex),
            alert,
            raw,
        }
    }
}

/// The change from the current version to a new extraction, if any.
fn changed(current: &Version, ex: &Extracted) -> Option<Change> {
    diff(
        &Side {
            blocks: &current.blocks,
            cancellation: &current.assessment.cancellation_blocks,
            verdict: current.assessment.verdict,
        },
        &Side {
            blocks: &ex.blocks,
            cancellation: &ex.assessment.cancellation_blocks,
            verdict: ex.assessment.verdict,
        },
    )
}
