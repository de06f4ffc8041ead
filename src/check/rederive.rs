//! Rederive: after a selector or lexicon edit, the baseline is re-derived from the stored raw
//! page, so that the edit itself is never reported as a change of the page. When that is
//! impossible (no page kept, or the new selector does not match it), the next successful
//! extraction becomes the baseline silently instead (the alert rules' `rebaseline_pending`).

use crate::config::{Render, Target};
use crate::hash::stable_hash;
use crate::store::{TargetState, lock, now_unix};

use url::Url;

use super::{CheckError, Checker};

/// What extraction of a target depends on: when it changes, the baseline is re-derived. Two
/// hashes, `selection.engine`: what is selected from the page (selectors, removals, rendering,
/// the PDF's range) and how the selection is read (lexicon, normalisation, the extraction and
/// verdict code), so that a re-derivation knows which one changed.
pub fn fingerprint(target: &Target, lexicon_id: u64) -> String {
    let sel = target.select.join("\u{1}");
    let rem = target.remove.join("\u{1}");
    // Appended only when set, so that targets without them keep their fingerprint.
    let render = match &target.render {
        Render::Static => None,
        Render::Browser { wait_for } => {
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
    let mut selection: Vec<&[u8]> = vec![sel.as_bytes(), rem.as_bytes()];
    selection.extend(render.iter().chain(&narrow).map(|p| p.as_bytes()));
    let lexicon_id = lexicon_id.to_le_bytes();
    let form = crate::extract::normalise::FORM_VERSION.to_le_bytes();
    let extraction = crate::extract::EXTRACTION_VERSION.to_le_bytes();
    let engine: [&[u8]; 5] = [
        &lexicon_id,
        env!("CARGO_PKG_VERSION").as_bytes(),
        // Text normalisation: a new form re-derives stored versions once, without alerts.
        &form,
        // What extraction writes into blocks (link targets since 2): the same, once.
        &extraction,
        // The extraction and verdict code itself (build.rs): a new release that reads pages
        // differently re-derives once, without alerts, even where no version number was bumped.
        env!("POLICYWATCH_EXTRACT_DIGEST").as_bytes(),
    ];
    format!(
        "{:016x}.{:016x}",
        stable_hash(&selection),
        stable_hash(&engine)
    )
}

/// Did only the reading change between two fingerprints, the selection staying the same? A
/// fingerprint stored before the two were split (one hash) says nothing: `false`.
fn same_selection(old: &str, new: &str) -> bool {
    match (old.split_once('.'), new.split_once('.')) {
        (Some((a, _)), Some((b, _))) => a == b,
        _ => false,
    }
}

impl Checker {
    /// Re-derives the baseline when the target's fingerprint changed. Extraction runs outside
    /// the store lock.
    pub(super) async fn rederive(
        &self,
        target: &Target,
        state: &mut TargetState,
    ) -> Result<(), CheckError> {
        let fp = fingerprint(target, self.lexicon_id);
        if state.fingerprint.as_deref() == Some(fp.as_str()) {
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
        // Only the reading changed (a lexicon edit, a new release): the stored page selects the
        // same region the live one does, so the baseline re-derived from it is the one the next
        // fetch is compared with, and a change of the page in between is reported, not adopted.
        let reading_only = state
            .fingerprint
            .as_deref()
            .is_some_and(|old| same_selection(old, &fp));
        if has_version && let Some(raw) = raw {
            // Links resolve against the page's final URL, as they did when it was fetched.
            let url = Url::parse(&raw.url).unwrap_or_else(|_| target.url.clone());
            match self.extract(target, raw.body, &url).await {
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
                    // With other selectors the stored page may have changed since in what they
                    // now select, long before the edit: the next fetch settles it, silently. A
                    // selector edit still waiting for that fetch keeps waiting.
                    pending = state.rebaseline_pending || !reading_only;
                }
                _ => {
                    tracing::info!(target = %target.name, "selectors or lexicon changed: the next fetch becomes the baseline, no alert")
                }
            }
        }
        lock(&self.store).set_fingerprint(&target.name, &fp, pending)?;
        // Validators and the page hash belong to the old extraction: fetch and parse in full.
        state.etag = None;
        state.last_modified = None;
        state.page_hash = None;
        state.cut_hash = None;
        state.fingerprint = Some(fp);
        state.rebaseline_pending = pending;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::same_selection;

    #[test]
    fn only_a_changed_reading_keeps_the_selection() {
        assert!(same_selection("00aa.0011", "00aa.0022"));
        assert!(!same_selection("00aa.0011", "00bb.0011"));
        // A fingerprint stored before the split tells nothing.
        assert!(!same_selection("00aa0011deadbeef", "00aa.0022"));
    }
}
