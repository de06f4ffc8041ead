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
use std::time::{Duration, Instant};

use crate::config::{AlertSettings, Config, Digest, Target};
use crate::diff::{Change, Severity, Side, diff};
use crate::extract::document::{self, DocumentError, PdfLimits};
use crate::extract::extracted::{Extracted, assess_blocks};
use crate::extract::lexicon::{Lexicon, LexiconError};
use crate::fetch::{Body, FetchError, Fetched, Fetcher, Page, Request, Validators};
use crate::notify::report::{ChangeReport, Context, Subject, render_change, render_notice};
use crate::store::{
    CheckRecord, CheckStatus, Lease, NewAlert, RawPage, RecordOutcome, Recorded, Store, StoreError,
    TargetState, Version,
};
use crate::store::{Lost, lock, now_unix};

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
    /// The first fetch after a configuration change became the baseline, without an alert.
    Rebaselined,
    Error(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub target: String,
    pub status: Status,
    pub verdict: Option<crate::extract::verdict::Verdict>,
}

impl Outcome {
    /// The one stdout line of `policywatch check` for this target.
    pub fn line(&self) -> String {
        match &self.status {
            Status::New => format!("NEW {}", self.target),
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
    /// Bounds on reading a PDF's text.
    pub pdf_limits: PdfLimits,
    /// Shared with the blocking tasks that assess pages (cloning its terms per check was
    /// measurable).
    pub lexicon: Arc<Lexicon>,
    /// Identifies the lexicon in fingerprints (its source text hash).
    pub lexicon_id: u64,
    pub store: Arc<Mutex<Store>>,
    /// Domain for Message-IDs.
    pub domain: String,
    pub timezone: chrono_tz::Tz,
    pub alerts: AlertSettings,
    /// How long a check waits for another process checking the same target (0: give up at
    /// once, as the daemon does; its next tick comes soon enough).
    pub lease_wait: Duration,
}

/// Identifies a fetched page for [`TargetState::page_hash`]: its final URL and body (decoded
/// HTML, or a PDF's bytes), everything extraction reads besides the target's own settings (which
/// the fingerprint covers).
pub fn page_hash(page: &Page) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(page.url.as_str().as_bytes());
    h.update(&[0]);
    // HTML hashes as it did before bodies had kinds, so stored hashes stay valid.
    if let Body::Pdf(_) = page.body {
        h.update(b"pdf\0");
    }
    h.update(page.body.bytes());
    *h.finalize().as_bytes()
}

/// What extraction of a target depends on: when it changes, the baseline is re-derived.
pub fn fingerprint(target: &Target, lexicon_id: u64) -> String {
    let sel = target.select.join("\u{1}");
    let rem = target.remove.join("\u{1}");
    let lexicon_id = lexicon_id.to_le_bytes();
    let form = crate::extract::normalise::FORM_VERSION.to_le_bytes();
    let mut parts: Vec<&[u8]> = vec![
        sel.as_bytes(),
        rem.as_bytes(),
        &lexicon_id,
        env!("CARGO_PKG_VERSION").as_bytes(),
        // Text normalisation: a new form re-derives stored versions once, without alerts.
        &form,
    ];
    // Appended only when set, so that targets without them keep their fingerprint.
    let render = match &target.render {
        crate::config::Render::Static => None,
        crate::config::Render::Browser { wait_for } => {
            Some(format!("browser\u{1}{}", wait_for.as_deref().unwrap_or("")))
        }
    };
    let narrow = (target.pdf_from.is_some() || target.pdf_to.is_some()).then(|| {
        format!(
            "pdf\u{1}{}\u{1}{}",
            target.pdf_from.as_deref().unwrap_or(""),
            target.pdf_to.as_deref().unwrap_or("")
        )
    });
    parts.extend(render.iter().chain(&narrow).map(|p| p.as_bytes()));
    format!("{:016x}", crate::hash::stable_hash(&parts))
}

/// What the fetch and extraction of one check found.
enum Observation {
    Failed(FetchError),
    NotModified,
    /// The page loaded but the selection is missing (selector matches nothing, no text, or
    /// `pdf_from` not found).
    Missing(Box<Page>, DocumentError),
    /// The page, its text and verdict, and its [`page_hash`].
    Content(Box<Page>, Extracted, [u8; 32]),
}

/// How much a fetch may lean on what is stored.
#[derive(Debug, Clone, Copy)]
enum Reuse {
    /// Nothing: extract and assess from scratch (confirmation, a pending re-baseline).
    Nothing,
    /// The current version: its assessment when the text is unchanged, and the version itself,
    /// without parsing, when the page is byte-identical to the one `page` hashes.
    Current { page: Option<[u8; 32]> },
}

/// How long a check waits for another process that holds the target's lease.
pub const LEASE_POLL: Duration = Duration::from_millis(250);
/// A lease outlives any check (timeouts × retries + confirmation); a crashed holder's lease is
/// also released as soon as its process is seen gone.
const LEASE_SECONDS: i64 = 15 * 60;

impl Checker {
    pub fn from_config(config: &Config, store: Arc<Mutex<Store>>) -> Result<Checker, CheckError> {
        let (lexicon, lexicon_id) = Lexicon::load_identified(config.lexicon.as_deref())?;
        Ok(Checker {
            fetcher: Fetcher::new(&config.fetch)?,
            pdf_limits: PdfLimits::from_settings(&config.fetch),
            lexicon: Arc::new(lexicon),
            lexicon_id,
            store,
            domain: config.message_domain(),
            timezone: config.schedule.timezone,
            alerts: config.alerts.clone(),
            lease_wait: Duration::ZERO,
        })
    }

    pub fn context(&self) -> Context<'_> {
        Context {
            domain: &self.domain,
            timezone: self.timezone,
        }
    }

    /// Extracts the body's blocks (see `extract::document`) and assesses them on the blocking
    /// pool; `previous` is the current version, whose assessment is reused when the text is
    /// unchanged (see [`assess_blocks`]). The body is handed back rather than copied.
    async fn extract(
        &self,
        target: &Target,
        body: Body,
        previous: Option<Arc<Version>>,
    ) -> (Body, Result<Extracted, DocumentError>) {
        let (body, blocks) = document::blocks(target, body, &self.pdf_limits).await;
        let blocks = match blocks {
            Ok(blocks) => blocks,
            Err(e) => return (body, Err(e)),
        };
        if let Some(v) = previous.as_deref()
            && v.blocks == blocks
        {
            return (
                body,
                Ok(assess_blocks(
                    blocks,
                    &self.lexicon,
                    Some((&v.blocks, &v.assessment)),
                )),
            );
        }
        let lexicon = Arc::clone(&self.lexicon);
        match tokio::task::spawn_blocking(move || assess_blocks(blocks, &lexicon, None)).await {
            Ok(ex) => (body, Ok(ex)),
            Err(e) => (body, Err(DocumentError::Task(e.to_string()))),
        }
    }

    /// Fetches and extracts. With [`Reuse::Current`], the current version is loaded once the
    /// page is in (not before: a check waiting for its turn to fetch holds no version, so memory
    /// does not grow with the number of targets) and returned for the rest of the check; a page
    /// identical to the one whose hash is known is not parsed at all, and an unchanged text
    /// keeps its stored assessment.
    async fn observe(
        &self,
        target: &Target,
        validators: Option<&Validators>,
        reuse: Reuse,
    ) -> (Observation, Option<Arc<Version>>) {
        let fetched = self
            .fetcher
            .fetch(&Request {
                url: &target.url,
                validators,
                ignore_robots: target.ignore_robots,
                render: &target.render,
            })
            .await;
        let mut page = match fetched {
            Ok(Fetched::Page(p)) => p,
            Ok(Fetched::NotModified { .. }) => return (Observation::NotModified, None),
            Err(e) => return (Observation::Failed(e), None),
        };
        let hash = page_hash(&page);
        let previous = match reuse {
            Reuse::Current { .. } => lock(&self.store)
                .current(&target.name)
                .ok()
                .flatten()
                .map(Arc::new),
            Reuse::Nothing => None,
        };
        if let (Reuse::Current { page: Some(known) }, Some(current)) = (reuse, &previous)
            && known == hash
        {
            // Extraction is a pure function of these bytes and the fingerprinted settings, and
            // these bytes gave the current version: parsing them again would give it again.
            let ex = Extracted {
                blocks: current.blocks.clone(),
                assessment: current.assessment.clone(),
            };
            return (Observation::Content(page, ex, hash), previous);
        }
        let body = std::mem::replace(&mut page.body, Body::Html(String::new()));
        let (body, extracted) = self.extract(target, body, previous.clone()).await;
        page.body = body;
        let observation = match extracted {
            Ok(ex) => Observation::Content(page, ex, hash),
            Err(e) if e.is_missing() => Observation::Missing(page, e),
            // A document that cannot be read at all fails like a page that cannot be fetched.
            Err(e) => Observation::Failed(FetchError::Other(e.to_string())),
        };
        (observation, previous)
    }

    /// After a selector or lexicon edit, re-derives the baseline from the stored raw page so the
    /// edit itself is never reported as a change of the page. When that is impossible (no page
    /// kept, or the new selector does not match it), the next successful extraction becomes the
    /// baseline silently instead. Extraction runs outside the store lock.
    async fn rederive(
        &self,
        target: &Target,
        state: &mut TargetState,
        fp: &str,
    ) -> Result<(), CheckError> {
        if state.fingerprint.as_deref() == Some(fp) {
            return Ok(());
        }
        let (has_version, raw) = {
            let store = lock(&self.store);
            (
                store.has_version(&target.name)?,
                store.raw_page(&target.name)?,
            )
        };
        let mut pending = has_version;
        if has_version && let Some(raw) = raw {
            match self.extract(target, raw.body, None).await {
                (_, Ok(ex)) => {
                    let changed = lock(&self.store).rebaseline(
                        &target.name,
                        &ex.blocks,
                        &ex.assessment,
                        now_unix(),
                    )?;
                    if changed {
                        tracing::info!(target = %target.name, "selectors or lexicon changed: baseline re-derived from the stored page, no alert");
                    }
                    // The stored page may be older than the live one: the next fetch settles it.
                    pending = true;
                }
                _ => {
                    tracing::info!(target = %target.name, "selectors or lexicon changed: the next fetch becomes the baseline, no alert")
                }
            }
        }
        lock(&self.store).set_fingerprint(&target.name, fp, pending)?;
        // Validators and the page hash belong to the old extraction: fetch and parse in full.
        state.etag = None;
        state.last_modified = None;
        state.page_hash = None;
        state.fingerprint = Some(fp.to_string());
        state.rebaseline_pending = pending;
        Ok(())
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
            Err(busy) => {
                return Ok(Outcome {
                    target: target.name.clone(),
                    status: Status::Error(busy),
                    verdict: None,
                });
            }
        };
        let result = self.check_leased(target, state, &holder).await;
        // A committed check has released the lease in its own transaction.
        if result.is_err()
            && let Err(e) = lock(&self.store).release_lease(&target.name, &holder)
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
        let fp = fingerprint(target, self.lexicon_id);
        self.rederive(target, &mut state, &fp).await?;
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
            }
        };
        let (mut observation, loaded) = self
            .observe(target, has_validators.then_some(&validators), reuse)
            .await;
        let has_version = match &loaded {
            Some(_) => true,
            None => lock(&self.store).has_version(&target.name)?,
        };
        if matches!(observation, Observation::NotModified) && !has_version {
            observation = self.observe(target, None, Reuse::Nothing).await.0;
        }
        let subject = Subject {
            target: &target.name,
            carrier: &target.carrier,
            url: target.url.as_str(),
        };
        let mut alerts: Vec<NewAlert> = Vec::new();
        let http_status = match &observation {
            Observation::Content(p, ..) | Observation::Missing(p, _) => Some(p.status),
            Observation::NotModified => Some(304),
            Observation::Failed(FetchError::Status { status, .. }) => Some(*status),
            Observation::Failed(_) => None,
        };
        let first_check = !has_version;

        let (status, verdict, pending) = match observation {
            Observation::Failed(e) => {
                self.on_failure(&subject, &mut state, &e, started_at, &mut alerts);
                let cause = e.to_string();
                (Status::Error(cause.clone()), None, Pending::Failed(cause))
            }
            Observation::NotModified => {
                self.on_reachable(
                    &subject,
                    &mut state,
                    None,
                    first_check,
                    started_at,
                    &mut alerts,
                );
                (Status::Unchanged, None, Pending::NotModified)
            }
            Observation::Missing(page, e) => {
                // The page loads, so the host is fine, but "recovered" would be misleading:
                // failure streaks are left as they are and the selection is reported lost.
                let cause = e.to_string();
                state.etag = None;
                state.last_modified = None;
                state.lost_streak += 1;
                if state.lost_streak >= i64::from(self.alerts.lost_after)
                    && state.evidence_lost == Lost::No
                {
                    state.evidence_lost = Lost::Selection;
                    alerts.push(render_notice(
                        "evidence-lost",
                        &subject,
                        "cancellation evidence lost",
                        &[
                            format!("{} loads, but {cause} (for {} checks in a row).", page.url, state.lost_streak),
                            "The page may have been redesigned or moved: check the target's selectors with `policywatch inspect`. You get one more email when the wording is found again.".to_string(),
                        ],
                        started_at,
                        &self.context(),
                    ));
                }
                (Status::Error(cause.clone()), None, Pending::Failed(cause))
            }
            Observation::Content(page, ex, hash) => {
                // Loaded only now: a 304 or a failure needs no version.
                let current = match loaded {
                    Some(v) => Some(v),
                    None => lock(&self.store).current(&target.name)?.map(Arc::new),
                };
                self.on_reachable(
                    &subject,
                    &mut state,
                    Some(&page),
                    first_check,
                    started_at,
                    &mut alerts,
                );
                let verdict = Some(ex.assessment.verdict);
                let (status, pending) = self
                    .on_content(
                        target,
                        &subject,
                        &mut state,
                        *page,
                        ex,
                        hash,
                        current,
                        started_at,
                        &mut alerts,
                    )
                    .await?;
                (status, verdict, pending)
            }
        };

        let duration = clock.elapsed();
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
            lease: Some(holder),
        };
        let recorded = {
            let mut store = lock(&self.store);
            match &pending {
                Pending::Failed(cause) => store.record(&CheckRecord {
                    outcome: RecordOutcome::Failed { error: cause },
                    ..base
                })?,
                Pending::NotModified => store.record(&base)?,
                Pending::Held(kind, note) => store.record(&CheckRecord {
                    outcome: RecordOutcome::Held {
                        status: *kind,
                        note,
                    },
                    ..base
                })?,
                Pending::Store {
                    ex,
                    alert,
                    raw,
                    rebaseline,
                } => store.record(&CheckRecord {
                    outcome: RecordOutcome::Content {
                        blocks: &ex.blocks,
                        assessment: &ex.assessment,
                        alert: alert.clone(),
                        rebaseline: *rebaseline,
                    },
                    raw: Some(raw),
                    ..base
                })?,
            }
        };
        // What was committed is what is printed.
        let status = match (status, recorded) {
            (Status::Changed(_), Recorded::Unchanged { .. }) => Status::Unchanged,
            (s, _) => s,
        };
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

    /// The page answered with content (or 304): failure streaks end; a permanent redirect is
    /// reported once, never on a target's first check and never for a mere http → https move.
    fn on_reachable(
        &self,
        subject: &Subject<'_>,
        state: &mut TargetState,
        page: Option<&Page>,
        first_check: bool,
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
        let moved = page.moved_to.as_ref().map(|u| u.to_string());
        let worth_telling = page
            .moved_to
            .as_ref()
            .is_some_and(|to| !first_check && !only_upgraded_to_https(subject.url, to));
        if worth_telling && moved != state.moved_to {
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

    /// A page with content: new, unchanged, changed (confirmed), flapping, wording missing, or
    /// the new baseline after a configuration change.
    #[allow(clippy::too_many_arguments)]
    async fn on_content(
        &self,
        target: &Target,
        subject: &Subject<'_>,
        state: &mut TargetState,
        page: Page,
        ex: Extracted,
        hash: [u8; 32],
        current: Option<Arc<Version>>,
        now: i64,
        alerts: &mut Vec<NewAlert>,
    ) -> Result<(Status, Pending), CheckError> {
        // Validators are kept only for content that is accepted below; a held or flapping
        // page must be fetched in full next time, or a 304 would hide it for good. The page
        // hash is not cleared: it still names a page that gives the current version.
        let validators = page.validators.clone();
        state.etag = None;
        state.last_modified = None;
        let raw = RawPage {
            fetched_at: now,
            url: page.url.to_string(),
            body: page.body,
        };
        let has_wording = ex.assessment.cancellation_blocks.iter().any(|b| *b);
        // This page's text is (or becomes) the current version.
        let accept = |state: &mut TargetState| {
            state.etag = validators.etag.clone();
            state.last_modified = validators.last_modified.clone();
            state.page_hash = Some(hash);
        };
        let Some(current) = current else {
            state.lost_streak = 0;
            state.rebaseline_pending = false;
            accept(state);
            return Ok((Status::New, Pending::store(ex, None, raw, false)));
        };
        if state.evidence_lost == Lost::Selection {
            // The selection is back (changed or not): one "found again" alert.
            alerts.push(self.evidence_back(subject, state, now));
        }
        let Some(change) = changed(&current, &ex) else {
            if state.evidence_lost == Lost::Wording && has_wording {
                alerts.push(self.evidence_back(subject, state, now));
            }
            state.lost_streak = 0;
            state.rebaseline_pending = false;
            accept(state);
            return Ok((Status::Unchanged, Pending::NotModified));
        };
        if state.rebaseline_pending {
            state.rebaseline_pending = false;
            state.lost_streak = 0;
            accept(state);
            tracing::info!(target = %target.name, "configuration changed: this fetch is the new baseline, no alert");
            return Ok((Status::Rebaselined, Pending::store(ex, None, raw, true)));
        }
        let had_wording = current.assessment.cancellation_blocks.iter().any(|b| *b);
        if had_wording && !has_wording && state.evidence_lost == Lost::No {
            state.lost_streak += 1;
            if state.lost_streak < i64::from(self.alerts.lost_after) {
                let why = format!(
                    "cancellation wording missing, {} of {} checks before an alert",
                    state.lost_streak, self.alerts.lost_after
                );
                return Ok((
                    Status::Held(why.clone()),
                    Pending::Held(CheckStatus::Held, why),
                ));
            }
            if let Some(why) = self.confirm(target, &ex).await {
                return Ok((
                    Status::Held(why.clone()),
                    Pending::Held(CheckStatus::Flapping, why),
                ));
            }
            state.evidence_lost = Lost::Wording;
            accept(state);
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
                Pending::store(ex, Some(alert), raw, false),
            ));
        }

        // Confirm: fetch again and accept only what two fetches agree on.
        if let Some(why) = self.confirm(target, &ex).await {
            return Ok((
                Status::Held(why.clone()),
                Pending::Held(CheckStatus::Flapping, why),
            ));
        }
        accept(state);
        let reverted_to = lock(&self.store).first_seen_of(&target.name, &ex.blocks)?;
        let (kind, digest) = if state.evidence_lost == Lost::Wording && has_wording {
            state.evidence_lost = Lost::No;
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
            Pending::store(ex, Some(alert), raw, false),
        ))
    }

    /// Fetches again after `confirm_delay`. `None` when the second fetch shows the same text.
    async fn confirm(&self, target: &Target, first: &Extracted) -> Option<String> {
        tokio::time::sleep(self.alerts.confirm_delay).await;
        match self.observe(target, None, Reuse::Nothing).await.0 {
            Observation::Content(_, second, _) if second.blocks == first.blocks => None,
            Observation::Content(..) | Observation::Missing(..) => {
                tracing::info!(target = %target.name, "change not confirmed by a second fetch: flapping");
                Some("flapping: a second fetch disagreed".to_string())
            }
            Observation::NotModified => None,
            Observation::Failed(e) => Some(format!("change not confirmed: {e}")),
        }
    }

    fn evidence_back(&self, subject: &Subject<'_>, state: &mut TargetState, now: i64) -> NewAlert {
        state.evidence_lost = Lost::No;
        state.lost_streak = 0;
        render_notice(
            "evidence-back",
            subject,
            "cancellation wording found again",
            &["The watched region and its cancellation wording are back.".to_string()],
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

    /// Checks one target on its own task, so that even a panic becomes an `ERROR` outcome
    /// (recorded when the database allows) instead of taking the pass or the daemon down.
    pub async fn check_isolated(self: &Arc<Self>, target: &Target) -> Outcome {
        let me = Arc::clone(self);
        let t = target.clone();
        let error = match tokio::spawn(async move { me.check(&t).await }).await {
            Ok(Ok(outcome)) => return outcome,
            Ok(Err(e)) => e.to_string(),
            Err(e) => format!("internal error: {e}"),
        };
        tracing::error!(target = %target.name, error = %error, "check failed");
        // A panic skipped the release: this process's lease goes with the failed check's record.
        let holder = crate::store::lease_holder();
        let state = lock(&self.store).state(&target.name).unwrap_or_default();
        let recorded = lock(&self.store).record(&CheckRecord {
            target: &target.name,
            carrier: &target.carrier,
            url: target.url.as_str(),
            started_at: now_unix(),
            duration: Duration::ZERO,
            http_status: None,
            outcome: RecordOutcome::Failed { error: &error },
            state: &state,
            alerts: &[],
            raw: None,
            lease: Some(&holder),
        });
        if let Err(e) = recorded {
            tracing::error!(target = %target.name, error = %e, "cannot record the failed check");
        }
        Outcome {
            target: target.name.clone(),
            status: Status::Error(error),
            verdict: None,
        }
    }

    /// Checks every target concurrently (politeness is enforced by the fetcher) and returns one
    /// outcome per target, in the order of `targets`. `done` is called as each finishes.
    pub async fn check_all(
        self: &Arc<Self>,
        targets: &[Target],
        done: impl Fn(&Outcome),
    ) -> Vec<Outcome> {
        let mut set = tokio::task::JoinSet::new();
        let mut queue = interleave_by_origin(targets).into_iter();
        let mut out: Vec<Option<Outcome>> = vec![None; targets.len()];
        loop {
            while set.len() < IN_FLIGHT
                && let Some(i) = queue.next()
            {
                let me = Arc::clone(self);
                let t = targets[i].clone();
                set.spawn(async move { (i, me.check_isolated(&t).await) });
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
}

/// A move from http:// to https:// of the same address is housekeeping, not news.
fn only_upgraded_to_https(from: &str, to: &url::Url) -> bool {
    url::Url::parse(from).is_ok_and(|f| {
        f.scheme() == "http"
            && to.scheme() == "https"
            && f.host_str() == to.host_str()
            && f.path() == to.path()
            && f.query() == to.query()
    })
}

/// At most this many checks of one pass are in progress at once, waiting for a fetch permit
/// included: many more than the fetcher's concurrency, so it always has work from every host, but
/// bounded, so the memory of a pass does not grow with the number of targets.
const IN_FLIGHT: usize = 128;

/// Target indices, taking one target of each origin in turn, so that the checks in progress mix
/// hosts even when the config lists one host's pages together.
fn interleave_by_origin(targets: &[Target]) -> Vec<usize> {
    let mut index = std::collections::HashMap::new();
    let mut groups: Vec<std::collections::VecDeque<usize>> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let g = *index
            .entry(t.url.origin().ascii_serialization())
            .or_insert_with(|| {
                groups.push(std::collections::VecDeque::new());
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

/// What to commit at the end of a check.
enum Pending {
    Failed(String),
    NotModified,
    Held(CheckStatus, String),
    Store {
        ex: Box<Extracted>,
        alert: Option<NewAlert>,
        raw: RawPage,
        rebaseline: bool,
    },
}

impl Pending {
    fn store(ex: Extracted, alert: Option<NewAlert>, raw: RawPage, rebaseline: bool) -> Pending {
        Pending::Store {
            ex: Box::new(ex),
            alert,
            raw,
            rebaseline,
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
        }
    }

    #[test]
    fn passes_take_hosts_in_turn() {
        let targets: Vec<Target> = [
            "https://a.example/1",
            "https://a.example/2",
            "https://a.example/3",
            "https://b.example/1",
            "http://a.example/4",
        ]
        .iter()
        .map(|u| target(u))
        .collect();
        assert_eq!(interleave_by_origin(&targets), vec![0, 3, 4, 1, 2]);
        assert!(interleave_by_origin(&[]).is_empty());
    }
}
