//! Observe: the I/O half of a check, fetch and extraction, turned into one [`Observation`]; and
//! the second fetch that confirms a change. What an observation means is `alerts`' decision.
//! Parsing runs on the blocking pool; the page goes to it and comes back rather than being copied.

use std::sync::Arc;

use tracing::Instrument;

use crate::alerts::{self, Confirmation, Content, Decision, Observed, Step, Text};
use crate::config::Target;
use crate::extract::document::{self, DocumentError};
use crate::extract::extracted::{Extracted, assess_blocks};
use crate::extract::verdict::Verdict;
use crate::fetch::{Body, FetchError, Fetched, Page, Request, Validators};
use crate::store::{TargetState, Version, lock};

use url::Url;

use super::{CheckError, Checker};

/// What the fetch and extraction of one check found.
pub(super) enum Observation {
    Failed(FetchError),
    NotModified,
    /// The page loaded but the selection is missing (selector matches nothing, no text, or
    /// `pdf_from` not found).
    Missing(Box<Page>, DocumentError),
    /// The page, its text and verdict, and its hashes.
    Content(Box<Page>, Extracted, Hashes),
}

/// What identifies a page that gave text, for the next check's reuse ([`Reuse::Current`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Hashes {
    /// [`page_hash`].
    pub page: [u8; 32],
    /// [`document::cut_hash`] of the page's pre-selection cut, when it was cut.
    pub cut: Option<[u8; 32]>,
}

impl Observation {
    /// The verdict of the page's text, when it gave text.
    pub(super) fn verdict(&self) -> Option<Verdict> {
        match self {
            Observation::Content(_, ex, _) => Some(ex.assessment.verdict),
            _ => None,
        }
    }

    /// The HTTP status recorded with the check.
    pub(super) fn http_status(&self) -> Option<u16> {
        match self {
            Observation::Content(p, ..) | Observation::Missing(p, _) => Some(p.status),
            Observation::NotModified => Some(304),
            Observation::Failed(FetchError::Status { status, .. }) => Some(*status),
            Observation::Failed(_) => None,
        }
    }
}

/// How much a fetch may lean on what is stored.
#[derive(Debug, Clone, Copy)]
pub(super) enum Reuse {
    /// Nothing: extract and assess from scratch (confirmation, a pending re-baseline).
    Nothing,
    /// The current version: its assessment when the text is unchanged, and the version itself,
    /// without parsing, when the page is byte-identical to the one `page` hashes, or its
    /// pre-selection cut is the one `cut` hashes.
    Current {
        page: Option<[u8; 32]>,
        cut: Option<[u8; 32]>,
    },
}

impl Reuse {
    fn known_cut(self) -> Option<[u8; 32]> {
        match self {
            Reuse::Current { cut, .. } => cut,
            Reuse::Nothing => None,
        }
    }
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

impl Checker {
    /// Asks the alert rules what `observation` means, fetching again when they want a change
    /// confirmed. `current` is the current version, if any.
    pub(super) async fn decide(
        &self,
        target: &Target,
        state: &TargetState,
        observation: &Observation,
        current: Option<&Version>,
        now: i64,
    ) -> Result<Decision, CheckError> {
        let cause;
        let observed = match observation {
            Observation::Failed(e) => {
                cause = e.to_string();
                Observed::Failed { cause: &cause }
            }
            Observation::NotModified => Observed::NotModified,
            Observation::Missing(page, e) => {
                cause = e.to_string();
                Observed::Missing {
                    url: page.url.as_str(),
                    cause: &cause,
                }
            }
            Observation::Content(page, ex, hashes) => {
                // New text that was current before is a revert, reported as one.
                let earlier = match current {
                    Some(v) if v.blocks != ex.blocks => {
                        lock(&self.store).first_seen_of(&target.name, &ex.blocks)?
                    }
                    _ => None,
                };
                Observed::Content(Content {
                    requested: target.url.as_str(),
                    extracted: ex,
                    current: current.map(|v| Text {
                        blocks: &v.blocks,
                        assessment: &v.assessment,
                    }),
                    validators: &page.validators,
                    page_hash: hashes.page,
                    cut_hash: hashes.cut,
                    moved_to: page.moved_to.as_ref(),
                    earlier,
                })
            }
        };
        let mut confirmation = None;
        // Two rounds at most: with a confirmation in hand the rules never ask for another.
        for _ in 0..2 {
            match alerts::decide(state, &observed, confirmation.as_ref(), now, &self.alerts) {
                Step::Decided(decision) => return Ok(*decision),
                Step::Confirm => match observation {
                    Observation::Content(_, ex, _) if confirmation.is_none() => {
                        confirmation = Some(self.confirm(target, ex).await);
                    }
                    _ => break,
                },
            }
        }
        Err(CheckError::Rules(
            "the alert rules asked for a confirmation they cannot use".into(),
        ))
    }

    /// Extracts the body's blocks (see `extract::document`) and assesses them on the blocking
    /// pool; `previous` is the current version, whose assessment is reused when the text is
    /// unchanged (see [`assess_blocks`]), and which is the result, unparsed, when the page's cut
    /// hashes to `known_cut` (the cut of a page that gave it). The body is handed back rather
    /// than copied, with the hash of its cut.
    pub(super) async fn extract(
        &self,
        target: &Target,
        body: Body,
        url: &Url,
        previous: Option<Arc<Version>>,
        known_cut: Option<[u8; 32]>,
    ) -> (Body, Result<Extracted, DocumentError>, Option<[u8; 32]>) {
        let known_cut = known_cut.filter(|_| previous.is_some());
        let (body, read) =
            document::read(&target.selection(), body, url, &self.pdf_limits, known_cut).await;
        let (blocks, cut) = match (read, previous.as_deref()) {
            (document::Read::Blocks { blocks: Ok(b), cut }, _) => (b, cut),
            (
                document::Read::Blocks {
                    blocks: Err(e),
                    cut,
                },
                _,
            ) => return (body, Err(e), cut),
            (document::Read::SameCut, Some(current)) => {
                // The cut that gave the current version: extraction would give it again.
                let ex = Extracted {
                    blocks: current.blocks.clone(),
                    contexts: Vec::new(),
                    assessment: current.assessment.clone(),
                };
                return (body, Ok(ex), known_cut);
            }
            (document::Read::SameCut, None) => {
                let e = DocumentError::Task("a known cut without a current version".into());
                return (body, Err(e), None);
            }
        };
        if let Some(v) = previous.as_deref()
            && v.blocks.iter().eq(blocks.iter().map(|b| &b.text))
        {
            return (
                body,
                Ok(assess_blocks(
                    blocks,
                    &self.lexicon,
                    Some((&v.blocks, &v.assessment)),
                )),
                cut,
            );
        }
        let lexicon = Arc::clone(&self.lexicon);
        match tokio::task::spawn_blocking(move || assess_blocks(blocks, &lexicon, None)).await {
            Ok(ex) => (body, Ok(ex), cut),
            Err(e) => (body, Err(DocumentError::Task(e.to_string())), cut),
        }
    }

    /// Fetches and extracts. With [`Reuse::Current`], the current version is loaded once the
    /// page is in (not before: a check waiting for its turn to fetch holds no version, so memory
    /// does not grow with the number of targets) and returned for the rest of the check; a page
    /// identical to the one whose hash is known is not parsed at all, and an unchanged text
    /// keeps its stored assessment.
    pub(super) async fn observe(
        &self,
        target: &Target,
        validators: Option<&Validators>,
        reuse: Reuse,
    ) -> (Observation, Option<Arc<Version>>) {
        // The span names the target in what the fetch logs (a browser's refused requests).
        let fetched = self
            .fetcher
            .fetch(&Request {
                url: &target.url,
                validators,
                ignore_robots: target.ignore_robots,
                render: &target.render,
            })
            .instrument(tracing::info_span!("fetch", target = %target.name))
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
        if let (
            Reuse::Current {
                page: Some(known), ..
            },
            Some(current),
        ) = (reuse, &previous)
            && known == hash
        {
            // Extraction is a pure function of these bytes and the fingerprinted settings, and
            // these bytes gave the current version: parsing them again would give it again.
            let ex = Extracted {
                blocks: current.blocks.clone(),
                contexts: Vec::new(),
                assessment: current.assessment.clone(),
            };
            let hashes = Hashes {
                page: hash,
                cut: reuse.known_cut(),
            };
            return (Observation::Content(page, ex, hashes), previous);
        }
        let body = std::mem::replace(&mut page.body, Body::Html(String::new()));
        let url = page.url.clone();
        let (body, extracted, cut) = self
            .extract(target, body, &url, previous.clone(), reuse.known_cut())
            .await;
        page.body = body;
        let observation = match extracted {
            Ok(ex) => Observation::Content(page, ex, Hashes { page: hash, cut }),
            Err(e) if e.is_missing() => Observation::Missing(page, e),
            // A document that cannot be read at all fails like a page that cannot be fetched.
            Err(e) => Observation::Failed(FetchError::Other(e.to_string())),
        };
        (observation, previous)
    }

    /// Fetches again after `confirm_delay`, for the alert rules.
    pub(super) async fn confirm(&self, target: &Target, first: &Extracted) -> Confirmation {
        tokio::time::sleep(self.alerts.confirm_delay).await;
        let confirmation = match self.observe(target, None, Reuse::Nothing).await.0 {
            Observation::Content(_, second, _) if second.blocks == first.blocks => {
                Confirmation::Agrees
            }
            Observation::Content(..) | Observation::Missing(..) => Confirmation::Disagrees,
            Observation::NotModified => Confirmation::Agrees,
            Observation::Failed(e) => Confirmation::Failed(e.to_string()),
        };
        if confirmation != Confirmation::Agrees {
            tracing::info!(target = %target.name, "change not confirmed by a second fetch: flapping");
        }
        confirmation
    }
}
