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
        let doc = Html::parse_document(html);
        let removed: HashSet<NodeId> = self
            .remove
            .iter()
            .flat_map(|sel| doc.select(sel).map(|e| e.id()))
            .collect();

        let mut roots: Vec<NodeId> = Vec::new();
        for (text, sel) in &self.select {
            let before = roots.len();
            roots.extend(doc.select(sel).map(|e| e.id()));
            if roots.len() == before {
                return Err(ExtractError::NothingSelected {
                    selector: text.clone(),
                });
            }
        }
        // Document order, and an element inside another selected one is walked only once.
        let selected: HashSet<NodeId> = roots.iter().copied().collect();
        // One selected element (the usual case) needs no walk of the whole document to order.
        let order: Vec<NodeId> = if roots.len() == 1 {
            roots.clone()
        } else {
            doc.tree.root().descendants().map(|n| n.id()).collect()
        };
        let mut blocks = Vec::new();
        let mut buf = String::new();
        for id in order.into_iter().filter(|id| selected.contains(id)) {
            let Some(root) = doc.tree.get(id) else {
                continue;
            };
            if root.ancestors().any(|a| selected.contains(&a.id())) {
                continue;
            }
            let mut skipping: Option<NodeId> = None;
            for edge in root.traverse() {
                match edge {
                    Edge::Open(node) => {
                        if skipping.is_some() {
                            continue;
                        }
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
                        } else if skipping.is_none()
                            && let Node::Element(e) = node.value()
                            && BLOCKS.contains(&e.name())
                        {
                            flush(&mut buf, &mut blocks);
                        }
                    }
                }
            }
            flush(&mut buf, &mut blocks);
        }
        if blocks.is_empty() {
            return Err(ExtractError::NoText);
        }
        Ok(blocks)
    }
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

    #[test]
    fn bad_selector_is_named() {
        let e = Extractor::new(&["div[".into()], &[]).unwrap_err();
        assert!(matches!(e, ExtractError::BadSelector { selector, .. } if selector == "div["));
    }
}
