//! Extract: decoded HTML + a target's selectors + the page's URL → the blocks that are watched.
//!
//! The page is parsed with a depth cap ([`parse`]: linear time for any shape of HTML), the
//! selected elements, minus `remove` and minus elements that never carry readable text (script,
//! style, noscript, template…), are walked once in document order ([`walk`]); block-level
//! elements (headings, paragraphs, list items, table cells…) start a new block. Block text is in
//! [`crate::extract::normalise::display`] form, with link targets written in ([`links`]); each
//! block carries its context ([`block`]: headings, list lead-in, table headers) for the verdict.
//! A selector that matches nothing is an error, never an empty version: a page that moved or was
//! redesigned must be noticed. No I/O here.

pub mod app_shell;
pub mod block;
pub mod context;
pub mod dates;
pub mod document;
pub mod extracted;
pub mod lexicon;
pub mod links;
pub mod normalise;
pub mod parse;
pub mod pdf;
pub mod preselect;
pub mod reading;
pub mod selector_error;
pub mod structure;
pub mod verdict;
pub mod walk;

use std::collections::HashSet;

use ego_tree::NodeId;
use scraper::{Html, Selector};
use url::Url;

pub use crate::extract::block::{Block, BlockKind, Context};

/// Default CSS selector when a target names none: the whole body.
pub const DEFAULT_SELECT: &str = "body";

/// The version of what extraction makes of a page, part of every target's fingerprint: when it
/// changes (2: link targets are written into the text; 3: one-line PDF paragraphs whose margin is
/// the page's usual gap are kept apart; 4: struck-through text is marked), the first check after an upgrade re-derives the baseline
/// without an alert instead of reporting every page as changed.
pub const EXTRACTION_VERSION: u32 = 4;

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ExtractError {
    #[error("invalid CSS selector `{selector}`: {message}")]
    BadSelector { selector: String, message: String },
    #[error("selector `{selector}` matched nothing on the page")]
    NothingSelected { selector: String },
    #[error("the selection holds no text")]
    NoText,
    /// The walk stopped at the cap ([`block::MAX_BLOCKS`]): a hostile page, or a selector
    /// that takes in far more of the page than the terms.
    #[error(
        "the selection gives more than {limit} text blocks (the limit per page): a hostile page \
         made of tiny elements, or a selector that is too wide; narrow `select`"
    )]
    TooManyBlocks { limit: usize },
}

/// Parses one CSS selector, with an error that names it.
pub fn parse_selector(selector: &str) -> Result<Selector, ExtractError> {
    Selector::parse(selector).map_err(|e| ExtractError::BadSelector {
        selector: selector.to_string(),
        message: selector_error::describe(&e),
    })
}

/// A target's compiled selectors.
#[derive(Debug, Clone)]
pub struct Extractor {
    select: Vec<(String, Selector)>,
    remove: Vec<Selector>,
    /// The streaming cut, when the selectors allow it (issue 16).
    pre: Option<preselect::Preselector>,
}

impl Extractor {
    pub fn new(select: &[String], remove: &[String]) -> Result<Extractor, ExtractError> {
        let select = if select.is_empty() {
            vec![DEFAULT_SELECT.to_string()]
        } else {
            select.to_vec()
        };
        Ok(Extractor {
            pre: preselect::Preselector::new(&select, remove),
            select: select
                .iter()
                .map(|s| parse_selector(s).map(|sel| (s.clone(), sel)))
                .collect::<Result<_, _>>()?,
            remove: remove
                .iter()
                .map(|s| parse_selector(s))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The blocks of the selection, in document order. `url` is the page's final URL: relative
    /// links resolve against it (or against the page's `<base href>`).
    pub fn extract(&self, html: &str, url: &Url) -> Result<Vec<Block>, ExtractError> {
        self.extract_counted(html, url, parse::Audit::Cheap)
            .map(|(b, _)| b)
    }

    /// Only the blocks' text (what is stored and diffed).
    pub fn texts(&self, html: &str, url: &Url) -> Result<Vec<String>, ExtractError> {
        Ok(block::split(self.extract(html, url)?).0)
    }

    /// [`Extractor::extract`], with what the parse and the walk cost (for tests).
    pub fn extract_counted(
        &self,
        html: &str,
        url: &Url,
        audit: parse::Audit,
    ) -> Result<(Vec<Block>, Work), ExtractError> {
        self.extract_given_cut(html, self.cut(html).as_deref(), url, audit)
    }

    /// Extraction from the streaming cut of the page, or `None` when the page must be parsed
    /// whole ([`preselect`] says when).
    pub fn preselected(
        &self,
        html: &str,
        url: &Url,
        audit: parse::Audit,
    ) -> Option<Result<(Vec<Block>, Work), ExtractError>> {
        let cut = self.cut(html)?;
        self.extract_cut_counted(&cut, url, audit)
    }

    /// The pre-selection's cut of the page ([`preselect`]), or `None` when it must be parsed
    /// whole. Extraction of a page that is cut depends on its URL and the cut alone.
    pub fn cut(&self, html: &str) -> Option<String> {
        self.pre.as_ref()?.cut(html)
    }

    /// Extraction of `html` given its cut ([`Extractor::cut`], made once by the caller, who
    /// may also hash it): from the cut when there is one, else from the whole page.
    pub fn extract_given_cut(
        &self,
        html: &str,
        cut: Option<&str>,
        url: &Url,
        audit: parse::Audit,
    ) -> Result<(Vec<Block>, Work), ExtractError> {
        match cut.and_then(|c| self.extract_cut_counted(c, url, audit)) {
            Some(done) => done,
            None => self.extract_full(html, url, audit),
        }
    }

    fn extract_cut_counted(
        &self,
        cut: &str,
        url: &Url,
        audit: parse::Audit,
    ) -> Option<Result<(Vec<Block>, Work), ExtractError>> {
        let marks = preselect::marks()?;
        Some(extract_from(
            cut,
            url,
            &marks.0,
            std::slice::from_ref(&marks.1),
            audit,
        ))
    }

    /// Extraction from the whole page's DOM (no pre-selection).
    pub fn extract_full(
        &self,
        html: &str,
        url: &Url,
        audit: parse::Audit,
    ) -> Result<(Vec<Block>, Work), ExtractError> {
        extract_from(html, url, &self.select, &self.remove, audit)
    }
}

/// Parses `html`, finds `select` minus `remove` and walks it.
fn extract_from(
    html: &str,
    url: &Url,
    select: &[(String, Selector)],
    remove: &[Selector],
    audit: parse::Audit,
) -> Result<(Vec<Block>, Work), ExtractError> {
    let (doc, parse) = parse::parse_counted(html, audit);
    let removed: HashSet<NodeId> = remove
        .iter()
        .flat_map(|sel| doc.select(sel).map(|e| e.id()))
        .collect();
    let mut selected: HashSet<NodeId> = HashSet::new();
    for (text, sel) in select {
        let before = selected.len();
        selected.extend(doc.select(sel).map(|e| e.id()));
        if selected.len() == before && !doc.select(sel).any(|_| true) {
            return Err(ExtractError::NothingSelected {
                selector: text.clone(),
            });
        }
    }
    let base = base_url(&doc, url);
    let walked = walk::walk(&walk::Input {
        doc: &doc,
        selected: &selected,
        removed: &removed,
        page: url,
        base: &base,
        max_blocks: block::MAX_BLOCKS,
    });
    let (blocks, visits) = match walked {
        walk::Walked::Done { blocks, visits } => (blocks, visits),
        walk::Walked::Full { limit, .. } => return Err(ExtractError::TooManyBlocks { limit }),
    };
    if blocks.is_empty() {
        return Err(ExtractError::NoText);
    }
    Ok((blocks, Work { parse, visits }))
}

/// The document's base URL: its first `<base href>` (looked for in the head only, where it
/// belongs), resolved against the page's URL, else the page's URL.
fn base_url(doc: &Html, url: &Url) -> Url {
    let head = doc
        .root_element()
        .children()
        .find(|n| n.value().as_element().is_some_and(|e| e.name() == "head"));
    head.into_iter()
        .flat_map(|h| h.children())
        .filter_map(|n| n.value().as_element())
        .filter(|e| e.name() == "base")
        .find_map(|e| e.attr("href"))
        .and_then(|href| url.join(href.trim()).ok())
        .unwrap_or_else(|| url.clone())
}

/// What one extraction cost: bounds its time, for tests that count work instead of timing it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    pub parse: parse::Work,
    /// Node visits of the walk (each node is entered and left once).
    pub visits: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://www.example.com/support/page.html").unwrap()
    }

    fn ex(select: &[&str], remove: &[&str], html: &str) -> Result<Vec<String>, ExtractError> {
        let s: Vec<String> = select.iter().map(|s| s.to_string()).collect();
        let r: Vec<String> = remove.iter().map(|s| s.to_string()).collect();
        let blocks = Extractor::new(&s, &r).unwrap().extract(html, &url())?;
        Ok(blocks.into_iter().map(|b| b.text).collect())
    }

    const PAGE: &str = r#"<html><head><title>T</title><script>var x = 1;</script></head>
        <body><nav><a href="/">Online Cancellation</a></nav>
        <main><h1>Terms</h1><p>To  terminate, <b>visit</b>
        a shop.</p><ul><li>One</li><li>終 止 服 務</li></ul>
        <table><tr><td>Fee</td><td>$100</td></tr></table>
        <div class="share">Share this</div><script>track()</script></main>
        <footer>© 2026 generated 12:00</footer></body></html>"#;

    #[test]
    fn blocks_follow_structure() {
        let blocks = ex(&["main"], &[".share"], PAGE).unwrap();
        assert_eq!(
            blocks,
            vec![
                "Terms",
                "To terminate, visit a shop.",
                "One",
                "終止服務",
                "Fee",
                "$100"
            ]
        );
    }

    #[test]
    fn body_default_and_remove() {
        let blocks = ex(&[], &["nav", "footer"], PAGE).unwrap();
        assert!(!blocks.iter().any(|b| b.contains("Online Cancellation")));
        assert!(blocks.iter().any(|b| b == "Share this"));
        assert!(
            !blocks
                .iter()
                .any(|b| b.contains("track") || b.contains("var x"))
        );
    }

    #[test]
    fn nested_selection_is_walked_once() {
        let blocks = ex(&["main", "main p"], &[], PAGE).unwrap();
        assert_eq!(blocks.iter().filter(|b| b.contains("terminate")).count(), 1);
    }

    #[test]
    fn selector_matching_nothing_is_an_error() {
        assert_eq!(
            ex(&["#policy"], &[], PAGE),
            Err(ExtractError::NothingSelected {
                selector: "#policy".into()
            })
        );
        assert_eq!(ex(&["main"], &["main"], PAGE), Err(ExtractError::NoText));
    }

    fn nested_divs(depth: usize) -> String {
        format!(
            "<html><body><main>{}To terminate, visit a shop.{}</main></body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        )
    }

    /// Issue 14: 10k/20k/40k nested divs took 0.38/1.33/4.87 s, the square of the depth, in the
    /// tree builder's scope walks. The work is counted, not timed: every start tag may walk the
    /// open stack (`depth_sum` sums it), and the walk enters and leaves each node once.
    #[test]
    fn work_is_linear_in_the_depth_of_nested_divs() {
        let main = vec!["main".to_string()];
        let x = Extractor::new(&main, &[]).unwrap();
        let mut per_node = Vec::new();
        for depth in [10_000, 40_000] {
            let (blocks, work) = x
                .extract_counted(&nested_divs(depth), &url(), parse::Audit::Exact)
                .unwrap();
            assert_eq!(blocks[0].text, "To terminate, visit a shop.");
            let nodes = depth + 4;
            let steps = work.parse.depth_sum + work.visits;
            assert!(steps <= (parse::MAX_DEPTH + 8) * nodes, "{depth}: {work:?}");
            assert!(work.parse.max_depth <= parse::MAX_DEPTH + 4, "{work:?}");
            per_node.push(steps as f64 / nodes as f64);
        }
        // Quadratic work would grow fourfold per node from 10k to 40k; linear stays flat.
        assert!(per_node[1] <= per_node[0] * 1.1, "{per_node:?}");
    }

    /// The production path measures the depth rarely: on a page at the cap once per dropped
    /// start tag at most, on a normal page about once per cap's worth of elements.
    #[test]
    fn measuring_the_depth_is_cheap() {
        let x = Extractor::new(&[], &[]).unwrap();
        let (_, deep) = x
            .extract_counted(&nested_divs(40_000), &url(), parse::Audit::Cheap)
            .unwrap();
        assert!(deep.parse.measured <= 2 * parse::MAX_DEPTH * 4, "{deep:?}");
        let (_, normal) = x
            .extract_counted(PAGE, &url(), parse::Audit::Cheap)
            .unwrap();
        assert_eq!(normal.parse.measured, 0, "{normal:?}");
    }

    #[test]
    fn a_million_levels_do_not_overflow_the_stack() {
        let blocks = ex(&[], &[], &nested_divs(1_000_000)).unwrap();
        assert_eq!(blocks, vec!["To terminate, visit a shop."]);
    }

    #[test]
    fn bad_selector_is_named() {
        let e = Extractor::new(&["div[".into()], &[]).unwrap_err();
        assert!(matches!(e, ExtractError::BadSelector { selector, .. } if selector == "div["));
    }
}
