//! Observe: the I/O half of a check, fetch and extraction, turned into one [`Observation`]; and
//! the second fetch that confirms a change. What an observation means is `alerts`' decision.
//! Parsing runs on the blocking pool; the page goes to it and comes back rather than being copied.

use std::sync::Arc;

use tracing::Instrument;

use crate::alerts::{self, Confirmation, Content, Decision, Observed, Seen, Step, Text};
use crate::config::Target;
use crate::extract::Block;
use crate::extract::document::{self, DocumentError};
use crate::extract::extracted::{Extracted, assess_blocks};
use crate::extract::verdict::Verdict;
use crate::fetch::{Body, FetchError, Fetched, Page, Request, Validators};
use crate::hash::digest;
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
    /// A page that gives the current version's text, known without reading it or the version:
    /// its bytes, or its pre-selection cut, hash as those of the page that gave that version
    /// ([`Reuse::Current`]). Its hashes are the ones to keep.
    Same(Box<Page>, Hashes),
}

/// What identifies a page that gave text, for the next check's reuse ([`Reuse::Current`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Hashes {
    /// [`page_hash`].
    pub page: [u8; 32],
    /// [`document::cut_hash`] of the page's pre-selection cut, when it was cut.
    pub cut: Option<[u8; 32]>,
}

/// How `page` was fetched, for the alert rules.
fn seen<'a>(target: &'a Target, page: &'a Page, hashes: Hashes) -> Seen<'a> {
    Seen {
        requested: target.url.as_str(),
        validators: &page.validators,
        page_hash: hashes.page,
        cut_hash: hashes.cut,
        moved_to: page.moved_to.as_ref(),
    }
}

impl Observation {
    /// The verdict of the page's text, when it gave text that was read (a [`Observation::Same`]
    /// page's verdict is the current version's, which only a change or a first version prints).
    pub(super) fn verdict(&self) -> Option<Verdict> {
        match self {
            Observation::Content(_, ex, _) => Some(ex.assessment.verdict),
            _ => None,
        }
    }

    /// The HTTP status recorded with the check.
    pub(super) fn http_status(&self) -> Option<u16> {
        match self {
            Observation::Content(p, ..) | Observation::Same(p, _) | Observation::Missing(p, _) => {
                Some(p.status)
            }
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
    /// without parsing or loading it ([`Observation::Same`]), when the page is byte-identical
    /// to the one `page` hashes, or its pre-selection cut is the one `cut` hashes.
    Current {
        page: Option<[u8; 32]>,
        cut: Option<[u8; 32]>,
    },
}

/// Identifies a fetched page for [`TargetState::page_hash`]: its final URL and body (decoded
/// HTML, or a PDF's bytes), everything extraction reads besides the target's own settings (which
/// the fingerprint covers).
pub fn page_hash(page: &Page) -> [u8; 32] {
    // HTML hashes as it did before bodies had kinds, so stored hashes stay valid.
    let kind: &[u8] = match page.body {
        Body::Html(_) => b"",
        Body::Pdf(_) => b"pdf\0",
    };
    digest(&[page.url.as_str().as_bytes(), &[0], kind, page.body.bytes()])
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
        if let Observation::Same(page, hashes) = observation {
            return self.decide_same(target, state, page, *hashes, now);
        }
        let cause;
        let observed = match observation {
            Observation::Failed(e) => {
                cause = e.to_string();
                Observed::Failed { cause: &cause }
            }
            Observation::NotModified | Observation::Same(..) => Observed::NotModified,
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
                    seen: seen(target, page, *hashes),
                    extracted: ex,
                    current: current.map(|v| Text {
                        blocks: &v.blocks,
                        assessment: &v.assessment,
                    }),
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

    /// The decision for a page that gives the current version's text: made without the
    /// version when the rules need none of it (the common case: nothing lost, nothing pending),
    /// else with the version loaded, as if the page had been read and found unchanged.
    fn decide_same(
        &self,
        target: &Target,
        state: &TargetState,
        page: &Page,
        hashes: Hashes,
        now: i64,
    ) -> Result<Decision, CheckError> {
        let seen = seen(target, page, hashes);
        if let Some(decision) = alerts::decide_same(state, &seen, now, &self.alerts) {
            return Ok(decision);
        }
        let Some(current) = lock(&self.store).current(&target.name)? else {
            return Err(CheckError::Rules(
                "a page known to give the current version, without a current version".into(),
            ));
        };
        let text = Text {
            blocks: &current.blocks,
            assessment: &current.assessment,
        };
        let ex = Extracted {
            blocks: current.blocks.clone(),
            contexts: Vec::new(),
            assessment: current.assessment.clone(),
        };
        let read = Observed::Content(Content {
            seen,
            extracted: &ex,
            current: Some(text),
            earlier: None,
        });
        // The same text is no change, so the rules never ask for a confirmation here.
        match alerts::decide(state, &read, None, now, &self.alerts) {
            Step::Decided(decision) => Ok(*decision),
            Step::Confirm => Err(CheckError::Rules(
                "the alert rules asked to confirm the current version's own text".into(),
            )),
        }
    }

    /// Extracts the body's blocks (see `extract::document`) and assesses them from scratch, as a
    /// re-derivation of a stored page does. The body is handed back rather than copied.
    pub(super) async fn extract(
        &self,
        target: &Target,
        body: Body,
        url: &Url,
    ) -> (Body, Result<Extracted, DocumentError>) {
        let (body, blocks) =
            document::blocks(&target.selection(), body, url, &self.pdf_limits).await;
        match blocks {
            Ok(b) => (body, self.assess(b, None).await),
            Err(e) => (body, Err(e)),
        }
    }

    /// Assesses extracted blocks on the blocking pool; `previous` is the current version, whose
    /// assessment is reused when the text is unchanged (see [`assess_blocks`]).
    async fn assess(
        &self,
        blocks: Vec<Block>,
        previous: Option<&Version>,
    ) -> Result<Extracted, DocumentError> {
        if let Some(v) = previous
            && v.blocks.iter().eq(blocks.iter().map(|b| &b.text))
        {
            return Ok(assess_blocks(
                blocks,
                &self.lexicon,
                Some((&v.blocks, &v.assessment)),
            ));
        }
        let lexicon = self.lexicon.clone();
        tokio::task::spawn_blocking(move || assess_blocks(blocks, &lexicon, None))
            .await
            .map_err(|e| DocumentError::Task(e.to_string()))
    }

    /// Fetches and extracts. A page identical to the one whose hash is known, or whose cut is
    /// the known cut, is [`Observation::Same`]: neither parsed nor compared with the version,
    /// which is not even loaded. Otherwise, with [`Reuse::Current`], the current version is
    /// loaded once the page is read (not before: a check waiting for its turn to fetch holds no
    /// version, so memory does not grow with the number of targets) and returned for the rest
    /// of the check; an unchanged text keeps its stored assessment.
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
        let (known_page, known_cut) = match reuse {
            Reuse::Current { page, cut } => (page, cut),
            Reuse::Nothing => (None, None),
        };
        let same = Hashes {
            page: hash,
            cut: known_cut,
        };
        if known_page == Some(hash) {
            // Extraction is a pure function of these bytes and the fingerprinted settings, and
            // these bytes gave the current version: parsing them again would give it again.
            return (Observation::Same(page, same), None);
        }
        let body = std::mem::replace(&mut page.body, Body::Html(String::new()));
        let url = page.url.clone();
        let (body, read) =
            document::read(&target.selection(), body, &url, &self.pdf_limits, known_cut).await;
        page.body = body;
        let document::Read { blocks, cut } = match read {
            Ok(read) => read,
            // The cut that gave the current version: extraction would give it again.
            Err(document::SameCut) => return (Observation::Same(page, same), None),
        };
        let previous = match reuse {
            Reuse::Current { .. } => lock(&self.store)
                .current(&target.name)
                .ok()
                .flatten()
                .map(Arc::new),
            Reuse::Nothing => None,
        };
        let extracted = match blocks {
            Ok(b) => self.assess(b, previous.as_deref()).await,
            Err(e) => Err(e),
        };
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
            // A `Same` page gives the current text, which the change being confirmed is not.
            Observation::Content(..) | Observation::Missing(..) | Observation::Same(..) => {
                Confirmation::Disagrees
            }
            Observation::NotModified => Confirmation::Agrees,
            Observation::Failed(e) => Confirmation::Failed(e.to_string()),
        };
        if confirmation != Confirmation::Agrees {
            tracing::info!(target = %target.name, "change not confirmed by a second fetch: flapping");
        }
        confirmation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: Body) -> Page {
        Page {
            url: "https://example.org/terms".parse().unwrap(),
            status: 200,
            content_type: String::new(),
            body,
            encoding: "utf-8",
            validators: Validators::default(),
            moved_to: None,
        }
    }

    #[test]
    fn page_hash_values_are_pinned() {
        // Stored in every target's row: a new value would make every known page unknown once.
        let html = page_hash(&page(Body::Html("<p>Cancel online.</p>".into())));
        let pdf = page_hash(&page(Body::Pdf(b"%PDF-1.7".to_vec())));
        assert_eq!(
            blake3::Hash::from(html).to_hex().as_str(),
            "849b82df64f05f58fd06712b685823dca02568876bc76f36af15e2c0ead5417b"
        );
        assert_eq!(
            blake3::Hash::from(pdf).to_hex().as_str(),
            "3bdc9166527a72476735d7bba8e86e3b39c48733ebfdffd05566191b8e08af79"
        );
    }
}
