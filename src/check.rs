//! Check: one pass of the pipeline for one target: fetch → extract → verdict → diff → store.
//!
//! A check ends in exactly one committed transaction (see `store`) and one [`Outcome`], whose
//! [`Outcome::line`] is what `policywatch check` prints. Delivering alerts is not part of a check:
//! they are committed to the outbox and drained by `notify`. Parsing runs on the blocking pool so
//! a large page never stalls the scheduler.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::config::{Config, Target};
use crate::diff::{Severity, Side, diff};
use crate::extract::{ExtractError, Extractor};
use crate::fetch::{Fetched, Fetcher, Request};
use crate::lexicon::Lexicon;
use crate::notify::{lock, now_unix};
use crate::report::{ChangeReport, Context, Subject, render_change};
use crate::store::{CheckRecord, RecordOutcome, Recorded, Store, StoreError};
use crate::verdict::{Assessment, assess};

/// The result of checking one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    New,
    Unchanged,
    Changed(Severity),
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
    Fetch(#[from] crate::fetch::FetchError),
    #[error("extraction task failed: {0}")]
    Task(String),
}

/// Everything a check needs, shared by all checks of a pass or of the daemon.
pub struct Checker {
    pub fetcher: Fetcher,
    pub lexicon: Lexicon,
    pub store: Arc<Mutex<Store>>,
    /// Domain for Message-IDs.
    pub domain: String,
    pub timezone: chrono_tz::Tz,
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

impl Checker {
    pub fn from_config(config: &Config, store: Arc<Mutex<Store>>) -> Result<Checker, CheckError> {
        Ok(Checker {
            fetcher: Fetcher::new(&config.fetch)?,
            lexicon: Lexicon::builtin().clone(),
            store,
            domain: config
                .email
                .as_ref()
                .map(|e| e.from.email.domain().to_string())
                .unwrap_or_else(|| "policywatch.invalid".to_string()),
            timezone: config.schedule.timezone,
        })
    }

    /// Checks one target and commits the result. Only a database failure is an `Err`; every
    /// failure of the page itself is an `Ok` outcome with an error status, recorded as a check.
    pub async fn check(&self, target: &Target) -> Result<Outcome, CheckError> {
        let started_at = now_unix();
        let clock = Instant::now();
        let fetched = self
            .fetcher
            .fetch(&Request {
                url: &target.url,
                validators: None,
                ignore_robots: false,
            })
            .await;
        let (page, http_status) = match fetched {
            Ok(Fetched::Page(p)) => {
                let status = p.status;
                (Ok(p), Some(status))
            }
            Ok(Fetched::NotModified { .. }) => {
                (Err("unexpected 304 Not Modified".to_string()), Some(304))
            }
            Err(e) => (Err(e.to_string()), None),
        };
        let extracted = match page {
            Ok(page) => {
                if let Some(moved) = &page.moved_to {
                    tracing::warn!(target = %target.name, to = %moved, "page moved permanently");
                }
                let t = target.clone();
                let lexicon = self.lexicon.clone();
                tokio::task::spawn_blocking(move || extract_and_assess(&t, &page.html, &lexicon))
                    .await
                    .map_err(|e| CheckError::Task(e.to_string()))?
                    .map_err(|e| e.to_string())
            }
            Err(e) => Err(e),
        };
        let duration = clock.elapsed();
        let base = CheckRecord {
            target: &target.name,
            carrier: &target.carrier,
            url: target.url.as_str(),
            started_at,
            duration,
            http_status,
            outcome: RecordOutcome::Failed { error: "" },
        };
        let outcome = match extracted {
            Err(cause) => {
                lock(&self.store).record(&CheckRecord {
                    outcome: RecordOutcome::Failed { error: &cause },
                    ..base
                })?;
                Outcome {
                    target: target.name.clone(),
                    status: Status::Error(cause),
                    verdict: None,
                }
            }
            Ok(ex) => self.commit_content(target, base, &ex)?,
        };
        tracing::info!(
            target = %target.name,
            url = %target.url,
            status = %outcome.line(),
            duration_ms = duration.as_millis() as u64,
            "checked"
        );
        Ok(outcome)
    }

    fn commit_content(
        &self,
        target: &Target,
        base: CheckRecord<'_>,
        ex: &Extracted,
    ) -> Result<Outcome, CheckError> {
        let mut store = lock(&self.store);
        let current = store.current(&target.name)?;
        // Render before committing so the alert commits in the same transaction as the version.
        let change = current.as_ref().and_then(|cur| {
            diff(
                &Side {
                    blocks: &cur.blocks,
                    cancellation: &cur.assessment.cancellation_blocks,
                    verdict: cur.assessment.verdict,
                },
                &Side {
                    blocks: &ex.blocks,
                    cancellation: &ex.assessment.cancellation_blocks,
                    verdict: ex.assessment.verdict,
                },
            )
            .map(|c| (c, cur))
        });
        let reverted_to = match &change {
            Some(_) => store.first_seen_of(&target.name, &ex.blocks)?,
            None => None,
        };
        let alert = change.as_ref().map(|(c, cur)| {
            render_change(
                &ChangeReport {
                    subject: Subject {
                        target: &target.name,
                        carrier: &target.carrier,
                        url: target.url.as_str(),
                    },
                    change: c,
                    before: &cur.assessment,
                    after: &ex.assessment,
                    seen_at: base.started_at,
                    reverted_to,
                },
                &Context {
                    domain: &self.domain,
                    timezone: self.timezone,
                },
            )
        });
        let recorded = store.record(&CheckRecord {
            outcome: RecordOutcome::Content {
                blocks: &ex.blocks,
                assessment: &ex.assessment,
                alert,
            },
            ..base
        })?;
        let status = match (recorded, &change) {
            (Recorded::New { .. }, _) => Status::New,
            (Recorded::Changed { .. }, Some((c, _))) => Status::Changed(c.severity),
            (Recorded::Changed { .. }, None) => Status::Changed(Severity::Wording),
            _ => Status::Unchanged,
        };
        Ok(Outcome {
            target: target.name.clone(),
            status,
            verdict: Some(ex.assessment.verdict),
        })
    }

    /// Checks every target concurrently (politeness is enforced by the fetcher) and returns the
    /// outcomes in the order of `targets`.
    pub async fn check_all(
        self: &Arc<Self>,
        targets: &[Target],
    ) -> Result<Vec<Outcome>, CheckError> {
        let mut set = tokio::task::JoinSet::new();
        for (i, t) in targets.iter().cloned().enumerate() {
            let me = Arc::clone(self);
            set.spawn(async move { (i, me.check(&t).await) });
        }
        let mut out: Vec<Option<Outcome>> = vec![None; targets.len()];
        while let Some(joined) = set.join_next().await {
            let (i, result) = joined.map_err(|e| CheckError::Task(e.to_string()))?;
            out[i] = Some(result?);
        }
        Ok(out.into_iter().flatten().collect())
    }
}
