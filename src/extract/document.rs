//! Document: a fetched [`Body`] → the text blocks that are watched, whatever kind of body it is.
//!
//! HTML goes through the target's `select`/`remove` ([`super::Extractor`], on the blocking pool).
//! A PDF has no elements to select: its text is extracted (a subprocess with a size and a time
//! limit, see `extract::pdf`), split into blocks, and optionally narrowed with the target's
//! `pdf_from` / `pdf_to`. Both give blocks in [`super::normalise::display`] form, so versions,
//! diff, verdict and email treat them alike. This is the one place that knows which bodies
//! exist: a new kind of body is added here and in `fetch::Body`, not in the check shell.

use std::convert::Infallible;

use url::Url;

use crate::extract::app_shell::{self, MAX_SHELL_TEXT};
use crate::extract::pdf::{self, NarrowError, PdfError};
use crate::extract::{Block, ExtractError, Extractor};
use crate::fetch::Body;
use crate::fetch::wall::{self, MAX_WALL_TEXT, Wall};
use crate::hash::digest;

/// What extraction needs to know about a target: where its watched text is. Built from the
/// config's target (`config::Target::selection`), so that extraction does not depend on config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The target's name, for log lines.
    pub name: String,
    pub select: Vec<String>,
    pub remove: Vec<String>,
    pub pdf_from: Option<String>,
    pub pdf_to: Option<String>,
    /// The body is a browser's rendering, not the HTML as served.
    pub rendered: bool,
}

pub use crate::extract::pdf::PdfLimits;

/// Why a body gave no blocks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// The HTML selection is missing or empty (or a selector is invalid).
    #[error(transparent)]
    Html(#[from] ExtractError),
    /// As `Html`, on a static page that looks like an app shell: says to try a browser.
    #[error("{0}; {hint}", hint = app_shell::HINT)]
    AppShell(ExtractError),
    /// A bot-protection service's challenge or block page came instead of the page: the page
    /// was not obtained, so this is a failure, not a missing part.
    #[error("{0}")]
    Walled(Wall),
    /// `pdf_from` is in no block of the PDF: like a selector that matches nothing.
    #[error("pdf_from text not found: \"{0}\"")]
    PdfFromNotFound(String),
    /// `pdf_to` is in no block after `pdf_from`.
    #[error("pdf_to text not found after pdf_from: \"{0}\"")]
    PdfToNotFound(String),
    /// The PDF has no extractable text (a scan without a text layer, say).
    #[error("the PDF holds no text")]
    PdfNoText,
    /// The PDF could not be read: damaged, too large, too slow, or the extractor is missing.
    #[error("{0}")]
    Pdf(String),
    /// The extraction task itself failed (it panicked).
    #[error("extraction failed: {0}")]
    Task(String),
}

impl DocumentError {
    /// The page loaded but the watched part is not in it (as opposed to a document that could
    /// not be read at all): it counts towards "evidence lost".
    pub fn is_missing(&self) -> bool {
        matches!(
            self,
            DocumentError::Html(ExtractError::NothingSelected { .. } | ExtractError::NoText)
                | DocumentError::AppShell(_)
                | DocumentError::PdfFromNotFound(_)
                | DocumentError::PdfToNotFound(_)
                | DocumentError::PdfNoText
        )
    }
}

/// The limits on reading a PDF's text when bodies are at most `max_body` bytes (`fetch.max_body`,
/// which already bounds what is read): no larger PDF is parsed; time, memory and the text read
/// back are bounded by the pdf module's defaults.
pub fn pdf_limits(max_body: u64) -> PdfLimits {
    PdfLimits {
        max_bytes: max_body,
        ..PdfLimits::default()
    }
}

/// The blocks of a body for a target's selection. The body is handed back (it moves to the blocking pool
/// and returns rather than being copied); `Err` carries why there are no blocks.
/// `url` is the page's final URL (links in it resolve against it).
pub async fn blocks(
    target: &Selection,
    body: Body,
    url: &Url,
    limits: &PdfLimits,
) -> (Body, Result<Vec<Block>, DocumentError>) {
    // No cut is known, so no cut can be the known one: the error type has no value.
    let (body, Ok(read)) = read_unless(target, body, url, limits, |_| None::<Infallible>).await;
    (body, read.blocks)
}

/// What reading a body gave.
#[derive(Debug)]
pub struct Read {
    pub blocks: Result<Vec<Block>, DocumentError>,
    /// The hash of the page's cut, when it could be cut ([`cut_hash`]).
    pub cut: Option<[u8; 32]>,
}

/// The page's pre-selection cut is the known one ([`read`]): its blocks are the ones that cut
/// gave, and the page was not parsed.
#[derive(Debug)]
pub struct SameCut;

/// [`blocks`], with the hash of the page's cut, unless that cut hashes to `known_cut`: a page
/// that differs from a known one only outside its selection (tokens, timestamps) is then not
/// parsed. Sound because extraction of a page that is cut is a function of its URL and its cut
/// alone (`extract::preselect`; `tests/end_to_end/preselect.rs` checks both paths agree).
pub async fn read(
    target: &Selection,
    body: Body,
    url: &Url,
    limits: &PdfLimits,
    known_cut: Option<[u8; 32]>,
) -> (Body, Result<Read, SameCut>) {
    let same = move |cut: &[u8; 32]| (Some(*cut) == known_cut).then_some(SameCut);
    read_unless(target, body, url, limits, same).await
}

/// Reads a body, unless `same` says its cut's hash is a known one (its answer is the `Err`).
async fn read_unless<S: Send + 'static>(
    target: &Selection,
    body: Body,
    url: &Url,
    limits: &PdfLimits,
    same: impl FnOnce(&[u8; 32]) -> Option<S> + Send + 'static,
) -> (Body, Result<Read, S>) {
    match body {
        Body::Html(html) => {
            let t = target.clone();
            let url = url.clone();
            // A page of ordinary size is cut here: deciding one known by its cut (the noise
            // pass) costs less than the hop to the blocking pool and back (BENCHMARKS.md,
            // "Round 5 of issue 16"). A bigger one is cut on the pool with the rest of its read.
            let pending = if html.len() <= INLINE_CUT_MAX {
                match cut_unless(&t, &html, &url, same) {
                    Ok(cut) => Ok(cut),
                    Err(same) => return (Body::Html(html), Err(same)),
                }
            } else {
                Err(same)
            };
            let task = tokio::task::spawn_blocking(move || {
                let read = match pending {
                    Ok(cut) => Ok(read_cut(&t, &html, &url, cut)),
                    Err(same) => read_html(&t, &html, &url, same),
                };
                (html, read)
            });
            match task.await {
                Ok((html, read)) => (Body::Html(html), read),
                // The body went down with the task; the caller reports the error.
                Err(e) => (
                    Body::Html(String::new()),
                    Ok(Read {
                        blocks: Err(DocumentError::Task(e.to_string())),
                        cut: None,
                    }),
                ),
            }
        }
        Body::Pdf(bytes) => {
            let blocks = pdf_blocks(target, &bytes, limits).await;
            let blocks = blocks.map(|b| b.into_iter().map(Block::plain).collect());
            (Body::Pdf(bytes), Ok(Read { blocks, cut: None }))
        }
    }
}

/// Identifies a pre-selection cut for [`read`]: the page's final URL (links resolve against
/// it) and the cut document, the only inputs of its extraction besides the target's settings
/// (which the fingerprint covers).
pub fn cut_hash(url: &Url, cut: &str) -> [u8; 32] {
    digest(&[b"cut\0", url.as_str().as_bytes(), &[0], cut.as_bytes()])
}

/// Pages up to this size are cut on the async thread: a typical page of ~90 KiB takes ~0.09 ms,
/// one this size ~0.25 ms by the fast tokenizer and ~1.5 ms where lol_html reads it, the longest
/// the one async thread is kept from other checks' I/O.
const INLINE_CUT_MAX: usize = 256 << 10;

/// A page's extractor, its pre-selection cut and the cut's hash (when it could be cut).
struct Cut {
    extractor: Extractor,
    cut: Option<String>,
    hash: Option<[u8; 32]>,
}

/// The page's [`Cut`], unless `same` says its hash is a known one (its answer is the `Err`).
fn cut_unless<S>(
    t: &Selection,
    html: &str,
    url: &Url,
    same: impl FnOnce(&[u8; 32]) -> Option<S>,
) -> Result<Result<Cut, ExtractError>, S> {
    let extractor = match Extractor::new(&t.select, &t.remove) {
        Ok(x) => x,
        Err(e) => return Ok(Err(e)),
    };
    let cut = extractor.cut(html);
    let hash = cut.as_deref().map(|c| cut_hash(url, c));
    if let Some(same) = hash.as_ref().and_then(same) {
        return Err(same);
    }
    Ok(Ok(Cut {
        extractor,
        cut,
        hash,
    }))
}

/// [`read_unless`] of an HTML page (CPU work: call from a blocking context).
fn read_html<S>(
    t: &Selection,
    html: &str,
    url: &Url,
    same: impl FnOnce(&[u8; 32]) -> Option<S>,
) -> Result<Read, S> {
    cut_unless(t, html, url, same).map(|cut| read_cut(t, html, url, cut))
}

/// The rest of [`read_html`], once the page was cut and is not a known cut (CPU work).
fn read_cut(t: &Selection, html: &str, url: &Url, cut: Result<Cut, ExtractError>) -> Read {
    let c = match cut {
        Ok(c) => c,
        Err(e) => {
            return Read {
                blocks: Err(e.into()),
                cut: None,
            };
        }
    };
    let blocks = c
        .extractor
        .extract_given_cut(
            html,
            c.cut.as_deref(),
            url,
            crate::extract::parse::Audit::Cheap,
        )
        .map(|(b, _)| b);
    // An app shell first: a service's script on a shell it let through (Imperva's) must not hide
    // the hint that fixes the target.
    let blocks = match blocks.map_err(DocumentError::from) {
        Err(DocumentError::Html(
            e @ (ExtractError::NothingSelected { .. } | ExtractError::NoText),
        )) if is_app_shell(t, html, None) => Err(DocumentError::AppShell(e)),
        Err(DocumentError::Html(ExtractError::NothingSelected { .. } | ExtractError::NoText))
            if let Some(w) = walled(html, None) =>
        {
            Err(DocumentError::Walled(w))
        }
        Ok(blocks) if let Some(w) = walled(html, Some(&blocks)) => Err(DocumentError::Walled(w)),
        Ok(blocks) if is_app_shell(t, html, Some(&blocks)) => {
            tracing::warn!(target = %t.name, "{}", app_shell::HINT);
            Ok(blocks)
        }
        other => other,
    };
    Read {
        blocks,
        cut: c.hash,
    }
}

/// The bot wall a page that gave these blocks (`None`: none) is, if it is one. Only a page whose
/// blocks hold little text is looked at (a marker scan of a few microseconds; the text of the
/// whole page is counted only when a wall's markers are all there).
pub fn walled(html: &str, blocks: Option<&[Block]>) -> Option<Wall> {
    if !fewer_chars(blocks, MAX_WALL_TEXT) {
        return None;
    }
    wall::wall(html, || app_shell::signals(html).text_chars)
}

/// Whether these blocks (`None`: none) hold fewer than `limit` characters in all. Counted until
/// they do not: a page with content stops within its first blocks.
fn fewer_chars(blocks: Option<&[Block]>, limit: usize) -> bool {
    let mut chars = 0usize;
    blocks.is_none_or(|b| {
        b.iter().all(|b| {
            chars += b.text.chars().count();
            chars < limit
        })
    })
}

/// Whether a static page that gave these blocks (`None`: none) looks like an app shell. Only
/// pages with little text are parsed again to look.
pub fn is_app_shell(target: &Selection, html: &str, blocks: Option<&[Block]>) -> bool {
    !target.rendered && fewer_chars(blocks, MAX_SHELL_TEXT) && app_shell::looks_like_app_shell(html)
}

/// The blocks of an HTML page (CPU work: call from a blocking context).
pub fn html_blocks(
    select: &[String],
    remove: &[String],
    html: &str,
    url: &Url,
) -> Result<Vec<Block>, DocumentError> {
    Ok(Extractor::new(select, remove)?.extract(html, url)?)
}

/// A PDF's blocks, narrowed to `pdf_from`..`pdf_to`. `select`/`remove` do not apply: a PDF has
/// no elements.
async fn pdf_blocks(
    target: &Selection,
    bytes: &[u8],
    limits: &PdfLimits,
) -> Result<Vec<String>, DocumentError> {
    let blocks = pdf::extract_blocks(bytes, limits)
        .await
        .map_err(|e| match e {
            PdfError::NoText => DocumentError::PdfNoText,
            other => DocumentError::Pdf(other.to_string()),
        })?;
    pdf::narrow(blocks, target.pdf_from.as_deref(), target.pdf_to.as_deref())
        .map_err(|e| match e {
            NarrowError::FromNotFound(t) => DocumentError::PdfFromNotFound(t),
            NarrowError::ToNotFound(t) => DocumentError::PdfToNotFound(t),
        })
        .and_then(|blocks| {
            // `pdf_to` in the very first block leaves nothing: never an empty version.
            if blocks.is_empty() {
                Err(DocumentError::PdfNoText)
            } else {
                Ok(blocks)
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(select: &str, rendered: bool) -> Selection {
        Selection {
            name: "t".into(),
            select: vec![select.into()],
            rendered,
            ..Selection::default()
        }
    }

    fn url() -> Url {
        "https://example.org/".parse().unwrap()
    }

    #[test]
    fn cut_hash_value_is_pinned() {
        // Stored in every target's row: a new value would make every known cut unknown once.
        let h = cut_hash(&url(), "<main><p>Cancel online.</p></main>");
        assert_eq!(
            blake3::Hash::from(h).to_hex().as_str(),
            "be92871b3e322bb67f88e9c3b146a83e426913e24258d64a33c32c9a1762fde7"
        );
    }

    const SHELL: &str = r#"<html><body><main><div id="root"></div></main><script src="/main.js"></script></body></html>"#;

    #[tokio::test]
    async fn an_empty_app_shell_says_to_try_a_browser() {
        let limits = PdfLimits::default();
        let (body, got) = blocks(
            &target("main", false),
            Body::Html(SHELL.into()),
            &url(),
            &limits,
        )
        .await;
        assert_eq!(body, Body::Html(SHELL.into()), "the body comes back");
        let e = got.unwrap_err();
        assert!(
            matches!(e, DocumentError::AppShell(ExtractError::NoText)),
            "{e:?}"
        );
        assert!(e.is_missing());
        assert_eq!(
            e.to_string(),
            format!("the selection holds no text; {}", app_shell::HINT)
        );
        // Already rendered by a browser: no hint, the plain error.
        let (_, got) = blocks(
            &target("main", true),
            Body::Html(SHELL.into()),
            &url(),
            &limits,
        )
        .await;
        assert_eq!(got, Err(DocumentError::Html(ExtractError::NoText)));
    }

    #[tokio::test]
    async fn a_bot_wall_is_a_failure_whether_the_selector_matches_or_not() {
        const WALL: &str = "<html><head><title>Just a moment...</title></head><body><main>\
            <h1>Checking your connection</h1></main><script>window._cf_chl_opt={cType:'managed'};\
            </script></body></html>";
        for select in ["body", "main", "#policy"] {
            let (_, got) = blocks(
                &target(select, false),
                Body::Html(WALL.into()),
                &url(),
                &PdfLimits::default(),
            )
            .await;
            let e = got.unwrap_err();
            assert!(matches!(e, DocumentError::Walled(_)), "{select}: {e:?}");
            assert!(
                !e.is_missing(),
                "a wall is not the page: no evidence is lost"
            );
        }
        // Rendered by a browser that stayed on the challenge: the same.
        let (_, got) = blocks(
            &target("body", true),
            Body::Html(WALL.into()),
            &url(),
            &PdfLimits::default(),
        )
        .await;
        assert!(matches!(got, Err(DocumentError::Walled(_))), "{got:?}");
        // An app shell behind Imperva (its script on the shell it let through) keeps the hint.
        let shell = SHELL.replace(
            "<main>",
            "<script src=\"/_Incapsula_Resource?SWJIYLWA=5074a744\"></script><main>",
        );
        let (_, got) = blocks(
            &target("main", false),
            Body::Html(shell),
            &url(),
            &PdfLimits::default(),
        )
        .await;
        assert!(matches!(got, Err(DocumentError::AppShell(_))), "{got:?}");
    }

    #[tokio::test]
    async fn a_document_that_cannot_be_read_is_a_failure_not_a_missing_part() {
        let (_, got) = blocks(
            &target("body", false),
            Body::Pdf(b"%PDF-1.7\nthis is not really a PDF".to_vec()),
            &url(),
            &PdfLimits::default(),
        )
        .await;
        let e = got.unwrap_err();
        assert!(matches!(e, DocumentError::Pdf(_)), "{e:?}");
        assert!(!e.is_missing());
        assert!(DocumentError::PdfFromNotFound("x".into()).is_missing());
        assert!(DocumentError::PdfNoText.is_missing());
    }
}
