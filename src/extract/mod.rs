//! Extract: decoded HTML + a target's selectors → the text blocks that are watched.
//!
//! The selected elements, minus `remove` and minus elements that never carry readable text
//! (script, style, noscript, template…), are walked in document order; block-level elements
//! (headings, paragraphs, list items, table cells…) start a new block. Block text is in
//! [`crate::extract::normalise::display`] form. A selector that matches nothing is an error, never an empty
//! version: a page that moved or was redesigned must be noticed. No I/O here.

pub mod app_shell;
pub mod document;
pub mod extracted;
pub mod lexicon;
pub mod normalise;
pub mod parse;
pub mod pdf;
pub mod verdict;

use std::collections::HashSet;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{Html, Node, Selector};

use crate::extract::normalise::display;

/// Default CSS selector when a target names none: the whole body.
pub const DEFAULT_SELECT: &str = "body";

/// Elements whose content is never page text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object", "head", "select",
    "button",
];

/// Elements that start and end a block of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ExtractError {
    #[error("invalid CSS selector `{selector}`: {message}")]
    BadSelector { selector: String, message: String },
    #[error("selector `{selector}` matched nothing on the page")]
    NothingSelected { selector: String },
    #[error("the selection holds no text")]
    NoText,
}

/// Parses one CSS selector, with an error that names it.
pub fn parse_selector(selector: &str) -> Result<Selector, ExtractError> {
    Selector::parse(selector).map_err(|e| ExtractError::BadSelector {
        selector: selector.to_string(),
        message: e.to_string(),
    })
}

/// A target's compiled selectors.
#[derive(Debug, Clone)]
pub struct Extractor {
    select: Vec<(String, Selector)>,
    remove: Vec<Selector>,
}

impl Extractor {
    pub fn new(select: &[String], remove: &[String]) -> Result<Extractor, ExtractError> {
        let select = if select.is_empty() {
            vec![DEFAULT_SELECT.to_string()]
        } else {
            select.to_vec()
        };
        Ok(Extractor {
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

    /// The text blocks of the selection, in document order.
    pub fn extract(&self, html: &str) -> Result<Vec<String>, ExtractError> {
        self.extract_counted(html, parse::Audit::Cheap)
            .map(|(b, _)| b)
    }

    /// [`Extractor::extract`], with what the parse and the walk cost (for tests).
    pub fn extract_counted(
        &self,
        html: &str,
        audit: parse::Audit,
    ) -> Result<(Vec<String>, Work), ExtractError> {
        let (doc, parse) = parse::parse_counted(html, audit);
        let removed: HashSet<NodeId> = self
            .remove
            .iter()
            .flat_map(|sel| doc.select(sel).map(|e| e.id()))
            .collect();
        let mut selected: HashSet<NodeId> = HashSet::new();
        for (text, sel) in &self.select {
            let before = selected.len();
            selected.extend(doc.select(sel).map(|e| e.id()));
            if selected.len() == before && !doc.select(sel).any(|_| true) {
                return Err(ExtractError::NothingSelected {
                    selector: text.clone(),
                });
            }
        }
        let (blocks, visits) = walk(&doc, &selected, &removed);
        if blocks.is_empty() {
            return Err(ExtractError::NoText);
        }
        Ok((blocks, Work { parse, visits }))
    }
}

/// What one extraction cost: bounds its time, for tests that count work instead of timing it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    pub parse: parse::Work,
    /// Node visits of the walk (each node is entered and left once).
    pub visits: usize,
}

/// One pass over the document in order, with an explicit state instead of recursion (no stack
/// to overflow, whatever the depth). Text counts only inside a selected element; an element
/// inside another selected one is walked once, as part of the outer one.
fn walk(doc: &Html, selected: &HashSet<NodeId>, removed: &HashSet<NodeId>) -> (Vec<String>, usize) {
    let mut blocks = Vec::new();
    let mut buf = String::new();
    let mut visits = 0;
    // How many selected elements are open around the current node.
    let mut inside = 0usize;
    let mut skipping: Option<NodeId> = None;
    // One selected element (the usual case) needs no walk of the rest of the document.
    let start = match selected.iter().next() {
        Some(only) if selected.len() == 1 => doc.tree.get(*only),
        _ => None,
    }
    .unwrap_or_else(|| doc.tree.root());
    for edge in start.traverse() {
        visits += 1;
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                if selected.contains(&node.id()) {
                    inside += 1;
                }
                if inside == 0 {
                    continue;
                }
                // Skipping starts only inside the selection, so a selected element under a
                // removed one (with no selected ancestor) is still walked, as it always was.
                match node.value() {
                    Node::Text(t) => buf.push_str(t),
                    Node::Element(e) => {
                        let name = e.name();
                        if SKIPPED.contains(&name) || removed.contains(&node.id()) {
                            skipping = Some(node.id());
                        } else if BLOCKS.contains(&name) {
                            flush(&mut buf, &mut blocks);
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                } else if skipping.is_none() && inside > 0 {
                    if let Node::Element(e) = node.value()
                        && BLOCKS.contains(&e.name())
                    {
                        flush(&mut buf, &mut blocks);
                    }
                    if selected.contains(&node.id()) {
                        inside -= 1;
                        if inside == 0 {
                            flush(&mut buf, &mut blocks);
                        }
                    }
                }
            }
        }
    }
    (blocks, visits)
}

fn flush(buf: &mut String, blocks: &mut Vec<String>) {
    if !buf.is_empty() {
        let text = display(buf);
        if !text.is_empty() {
            blocks.push(text);
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(select: &[&str], remove: &[&str], html: &str) -> Result<Vec<String>, ExtractError> {
        let s: Vec<String> = select.iter().map(|s| s.to_string()).collect();
        let r: Vec<String> = remove.iter().map(|s| s.to_string()).collect();
        Extractor::new(&s, &r).unwrap().extract(html)
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
                .extract_counted(&nested_divs(depth), parse::Audit::Exact)
                .unwrap();
            assert_eq!(blocks, vec!["To terminate, visit a shop."]);
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
            .extract_counted(&nested_divs(40_000), parse::Audit::Cheap)
            .unwrap();
        assert!(deep.parse.measured <= 2 * parse::MAX_DEPTH * 4, "{deep:?}");
        let (_, normal) = x.extract_counted(PAGE, parse::Audit::Cheap).unwrap();
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
