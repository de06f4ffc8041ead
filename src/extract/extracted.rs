//! Extracted: a page's watched text blocks with their assessment, the unit that is compared,
//! stored and reported. CPU work only (no I/O): callers on an async runtime run it on the
//! blocking pool.

use url::Url;

use crate::extract::lexicon::Lexicon;
use crate::extract::verdict::{Assessment, assess_with};
use crate::extract::{Block, Context, ExtractError, Extractor, block};

/// Extracted text with its verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// The blocks' text: what is stored, compared and reported.
    pub blocks: Vec<String>,
    /// Each block's context (headings, list lead-in, table headers), for the verdict and
    /// `inspect`. Not stored: empty when the text and assessment come from a stored version.
    pub contexts: Vec<Context>,
    pub assessment: Assessment,
}

/// Extracts the `select` minus `remove` regions of `html` and assesses them.
pub fn extract_and_assess(
    select: &[String],
    remove: &[String],
    html: &str,
    url: &Url,
    lexicon: &Lexicon,
) -> Result<Extracted, ExtractError> {
    extract_and_reassess(select, remove, html, url, lexicon, None)
}

/// Like [`extract_and_assess`], but when the blocks are those of `previous` (the current
/// version), its stored assessment is reused instead of assessing every sentence again. This is
/// the common case, and equivalent: the assessment is a pure function of the blocks and the
/// lexicon, and a lexicon or selector edit re-derives the stored assessment first (see
/// `check::rederive`).
pub fn extract_and_reassess(
    select: &[String],
    remove: &[String],
    html: &str,
    url: &Url,
    lexicon: &Lexicon,
    previous: Option<(&[String], &Assessment)>,
) -> Result<Extracted, ExtractError> {
    let blocks = Extractor::new(select, remove)?.extract(html, url)?;
    Ok(assess_blocks(blocks, lexicon, previous))
}

/// Assesses blocks however they were extracted (HTML or PDF); `previous`'s assessment when they
/// are its blocks.
pub fn assess_blocks(
    blocks: Vec<Block>,
    lexicon: &Lexicon,
    previous: Option<(&[String], &Assessment)>,
) -> Extracted {
    let (blocks, contexts) = block::split(blocks);
    let assessment = match previous {
        Some((b, a)) if b == blocks.as_slice() => a.clone(),
        _ => assess_with(lexicon, &blocks, &contexts),
    };
    Extracted {
        blocks,
        contexts,
        assessment,
    }
}
