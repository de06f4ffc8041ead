//! Pre-selection: cuts the selected regions out of a page with a streaming pass, so that the DOM is built for the regions only instead of the whole page (issue 16: the parse of
//! a ~92 KiB page was 74 % of a check, for an ~11 KiB selection).
//!
//! The output is a small document, `<!DOCTYPE html><html><head>{<base>s}</head><body>{regions}
//! </body></html>`, in which every element the target's `select` matched carries
//! [`SELECTED_ATTR`] and every element its `remove` matched carries [`REMOVED_ATTR`]; the
//! extractor then runs its usual walk on it with those two attribute selectors. Matching is done
//! here, on the whole page, so a region never needs its ancestors again. Nothing is rewritten:
//! the tokenizer only reports where the regions' tags are, the regions are copied from the page
//! by those positions and each mark is written right after its element's tag name (so the pass
//! allocates little per element and never copies the page outside its regions).
//!
//! Two tokenizers read the page: [`scan`], a fast one for well-formed markup that gives up at
//! anything unusual, and lol_html ([`lol`]) where it gives up. Both feed the same decisions
//! ([`tracker`]); [`compound`] matches the selectors for the fast one.
//!
//! The cut is only sound when html5ever's tree builder would build the same subtree for a region
//! inside the page as for the region alone in `<body>`. That is not true in general (implied end
//! tags, the adoption agency, foster parenting, `<table>`/`<select>` contexts, formatting elements
//! reconstructed from earlier markup, quirks mode, the depth cap). This module does not try to
//! model the tree builder; it accepts only pages where those rules cannot apply and returns
//! `None` for everything else, and the caller parses the whole page as before:
//! - selectors are compounds of type, `#id` and `.class` only (their match depends on the
//!   element alone, so lol_html and scraper agree, whatever the tree builder does around it);
//! - the page starts with `<!DOCTYPE html>` (no quirks mode);
//! - every end tag closes the element that lol_html has open on top (no implied or misnested end
//!   tags) before and inside each region, the nesting stays far below the parser's depth cap;
//! - a region's ancestors are plain containers (no `<p>`, formatting element, `<select>`,
//!   `<template>`, foreign content…; inside a table only within a cell);
//! - inside a region, no element whose tree-builder rule looks outside the region (`<li>` or
//!   table parts without their list or table in the region, `<form>`, `<button>`, `<select>`…).
//!
//! `tests/end_to_end/preselect.rs` checks that the cut and the whole page give the same blocks, and that the
//! two tokenizers give the same cut, on every fixture and on generated malformed pages.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use lol_html::Selector;

mod compound;
mod lol;
mod scan;
mod tracker;
mod written;

use compound::Compound;

/// Marks, in the cut document, the elements the target's `select` matched.
pub const SELECTED_ATTR: &str = "data-pwcut-s";
/// Marks, in the cut document, the elements the target's `remove` matched.
pub const REMOVED_ATTR: &str = "data-pwcut-r";
/// A page holding this text, in any case, could forge the marks: it is never cut.
const TOKEN: &str = "pwcut";

/// A target's selectors in the forms the two tokenizers match, when they are in the safe subset.
#[derive(Debug, Clone)]
pub struct Preselector {
    select: Vec<Selector>,
    remove: Vec<Selector>,
    /// The same selectors for [`scan`]; `None` when one is not a list of plain compounds.
    compounds: Option<(Lists, Lists)>,
}

/// One list of compounds per selector string of `select` or `remove`.
type Lists = Vec<Vec<Compound>>;

/// Whether a selector's match depends on the element alone: a list of compounds of a type,
/// `#id` and `.class` (no combinators, attributes, pseudo-classes or escapes).
fn element_only(selector: &str) -> bool {
    selector.split(',').all(|part| {
        let part = part.trim();
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '#' | '.'))
    })
}

impl Preselector {
    /// `None` when a selector is outside the subset this module handles (the full parse is used).
    pub fn new(select: &[String], remove: &[String]) -> Option<Preselector> {
        let parse = |list: &[String]| -> Option<Vec<Selector>> {
            list.iter()
                .map(|s| {
                    if element_only(s) {
                        s.parse::<Selector>().ok()
                    } else {
                        None
                    }
                })
                .collect()
        };
        let compounds = |list: &[String]| -> Option<Lists> {
            list.iter().map(|s| compound::parse_list(s)).collect()
        };
        let lol_select = parse(select)?;
        if lol_select.is_empty() {
            return None;
        }
        Some(Preselector {
            select: lol_select,
            remove: parse(remove)?,
            compounds: compounds(select).zip(compounds(remove)),
        })
    }

    /// The cut document, or `None` when this page must be parsed whole.
    pub fn cut(&self, html: &str) -> Option<String> {
        self.cut_or_why(html).ok()
    }

    /// The cut document, or why this page must be parsed whole: by the fast tokenizer where it
    /// is sure of the page, else by lol_html.
    pub fn cut_or_why(&self, html: &str) -> Result<String, &'static str> {
        precheck(html)?;
        match self.scanned(html) {
            Some(done) => done,
            None => lol::cut(html, &self.select, &self.remove),
        }
    }

    /// The cut by lol_html alone (for the differential test of the fast tokenizer).
    pub fn cut_by_lol_html(&self, html: &str) -> Result<String, &'static str> {
        precheck(html)?;
        lol::cut(html, &self.select, &self.remove)
    }

    /// The cut by the fast tokenizer alone, or `None` where it is not sure of the page.
    pub fn cut_by_scan(&self, html: &str) -> Option<Result<String, &'static str>> {
        if let Err(why) = precheck(html) {
            return Some(Err(why));
        }
        self.scanned(html)
    }

    fn scanned(&self, html: &str) -> Option<Result<String, &'static str>> {
        let (select, remove) = self.compounds.as_ref()?;
        scan::cut(html, select, remove)
    }
}

/// What either tokenizer needs of a page before it reads it.
fn precheck(html: &str) -> Result<(), &'static str> {
    if !starts_with_html5_doctype(html) {
        return Err("no <!DOCTYPE html>");
    }
    if holds_token(html) {
        return Err("the page holds the mark");
    }
    Ok(())
}

/// Whether the page holds [`TOKEN`] in any case: html5ever lowercases attribute names, so
/// `DATA-PWCUT-S` in the page would be a mark too.
fn holds_token(html: &str) -> bool {
    static FINDER: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([TOKEN])
            .ok()
    });
    match &*FINDER {
        Some(f) => f.is_match(html),
        // Cannot happen for a fixed five-letter pattern; refusing every page is the safe side.
        None => true,
    }
}

/// `<!DOCTYPE html>` first (after white space): the only doctype this module accepts, so the
/// page is in no-quirks mode like the cut document.
fn starts_with_html5_doctype(html: &str) -> bool {
    // Only a BOM that starts the page is dropped by the parser; one after white space is text,
    // which puts the page in quirks mode.
    let t = html.strip_prefix('\u{feff}').unwrap_or(html);
    let t = t.trim_start_matches([' ', '\t', '\n', '\r', '\x0c']);
    t.get(..15)
        .is_some_and(|p| p.eq_ignore_ascii_case("<!doctype html>"))
}

/// The scraper selectors of the two marks, as the extractor's `select` and `remove`.
pub(crate) fn marks() -> Option<(Vec<(String, scraper::Selector)>, scraper::Selector)> {
    let s = format!("[{SELECTED_ATTR}]");
    let sel = scraper::Selector::parse(&s).ok()?;
    let rm = scraper::Selector::parse(&format!("[{REMOVED_ATTR}]")).ok()?;
    Some((vec![(s, sel)], rm))
}
