//! Pre-selection: cuts the selected regions out of a page with a streaming pass (lol_html), so
//! that the DOM is built for the regions only instead of the whole page (issue 16: the parse of
//! a ~92 KiB page was 74 % of a check, for an ~11 KiB selection).
//!
//! The output is a small document, `<!DOCTYPE html><html><head>{<base>s}</head><body>{regions}
//! </body></html>`, in which every element the target's `select` matched carries
//! [`SELECTED_ATTR`] and every element its `remove` matched carries [`REMOVED_ATTR`]; the
//! extractor then runs its usual walk on it with those two attribute selectors. Matching is done
//! here, on the whole page, so a region never needs its ancestors again.
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
//! `tests/preselect.rs` checks that both paths give the same blocks on every fixture and on
//! generated malformed pages.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use lol_html::html_content::{ContentType, Element};
use lol_html::{ElementContentHandlers, EndTagHandler, HtmlRewriter, Selector, Settings};

/// Marks, in the cut document, the elements the target's `select` matched.
pub const SELECTED_ATTR: &str = "data-pwcut-s";
/// Marks, in the cut document, the elements the target's `remove` matched.
pub const REMOVED_ATTR: &str = "data-pwcut-r";
/// A page holding this text could forge the marks: it is never cut.
const TOKEN: &str = "pwcut";
const START: &str = "<!--pwcut-start-->";
const END: &str = "<!--pwcut-end-->";
/// Deeper nesting is left to the full parse (its depth cap is 256, counting formatting elements
/// twice; this stays well under half of it).
const MAX_DEPTH: usize = 100;

/// Ancestors under which a region parses as it would in `<body>`.
const PLAIN_ANCESTORS: &[&str] = &[
    "html",
    "body",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "figure",
    "center",
    "details",
    "form",
    "span",
    "ul",
    "ol",
    "dl",
    "li",
    "dd",
    "dt",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
];

/// Never inside a region: their tree-builder rules reach outside it, or change the mode.
const BANNED_IN_REGION: &[&str] = &[
    "html",
    "head",
    "body",
    "frameset",
    "frame",
    "image",
    "isindex",
    "form",
    "select",
    "option",
    "optgroup",
    "plaintext",
    "nobr",
];

/// What the walk skips (`SKIPPED` in the extractor, and more): selecting one of these is left to
/// the whole page, whose walk has its own rule for it.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "head", "select",
    "button", "textarea", "title",
];

/// Table parts: only inside a table that is itself in the region.
const TABLE_PARTS: &[&str] = &[
    "caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr",
];
const LIST_ITEMS: &[&str] = &["li", "dd", "dt"];
const LISTS: &[&str] = &["ul", "ol", "dl", "menu"];

/// A target's selectors in the form lol_html matches, when they are in the safe subset.
#[derive(Debug, Clone)]
pub struct Preselector {
    select: Vec<Selector>,
    remove: Vec<Selector>,
}

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
        let select = parse(select)?;
        if select.is_empty() {
            return None;
        }
        Some(Preselector {
            select,
            remove: parse(remove)?,
        })
    }

    /// The cut document, or `None` when this page must be parsed whole.
    pub fn cut(&self, html: &str) -> Option<String> {
        self.cut_or_why(html).ok()
    }

    /// The cut document, or why this page must be parsed whole.
    pub fn cut_or_why(&self, html: &str) -> Result<String, &'static str> {
        if !starts_with_html5_doctype(html) {
            return Err("no <!DOCTYPE html>");
        }
        if html.contains(TOKEN) {
            return Err("the page holds the mark");
        }
        let state = Rc::new(RefCell::new(State {
            hits: vec![false; self.select.len()],
            ..State::default()
        }));
        let mut handlers: Vec<(Cow<'_, Selector>, ElementContentHandlers<'_>)> = Vec::new();
        // Handlers run in the order they are given for the same element: the marks first, then
        // the bookkeeping that reads them.
        for (i, sel) in self.select.iter().enumerate() {
            let st = state.clone();
            handlers.push((
                Cow::Borrowed(sel),
                ElementContentHandlers::default().element(move |_: &mut Element| {
                    let mut s = st.borrow_mut();
                    s.pending_select = true;
                    s.hits[i] = true;
                    Ok(())
                }),
            ));
        }
        for sel in &self.remove {
            let st = state.clone();
            handlers.push((
                Cow::Borrowed(sel),
                ElementContentHandlers::default().element(move |_: &mut Element| {
                    st.borrow_mut().pending_remove = true;
                    Ok(())
                }),
            ));
        }
        let any: Selector = "*".parse().map_err(|_| "selector")?;
        let st = state.clone();
        handlers.push((
            Cow::Owned(any),
            ElementContentHandlers::default().element(move |el: &mut Element| {
                on_element(&st, el);
                Ok(())
            }),
        ));
        let mut out: Vec<u8> = Vec::with_capacity(html.len() + 64);
        let settings = handlers
            .into_iter()
            .fold(Settings::new(), |s, h| s.append_element_content_handler(h));
        let mut rewriter = HtmlRewriter::new(settings, |c: &[u8]| out.extend_from_slice(c));
        // An error is lol_html refusing an ambiguous page (strict mode): parse it whole.
        rewriter
            .write(html.as_bytes())
            .map_err(|_| "lol_html refused the page")?;
        rewriter.end().map_err(|_| "lol_html refused the page")?;
        let s = state.borrow();
        if let Some(why) = s.unsound {
            return Err(why);
        }
        if s.region.is_some() {
            return Err("a region is not closed");
        }
        if s.regions == 0 || s.hits.iter().any(|h| !h) {
            return Err("a selector matched nothing");
        }
        let out = String::from_utf8(out).map_err(|_| "not UTF-8")?;
        let mut doc = String::with_capacity(256 + out.len() / 4);
        doc.push_str("<!DOCTYPE html><html><head>");
        for href in &s.bases {
            match href {
                Some(h) => {
                    doc.push_str("<base href=\"");
                    doc.push_str(h);
                    doc.push_str("\">");
                }
                None => doc.push_str("<base>"),
            }
        }
        doc.push_str("</head><body>");
        let mut rest = out.as_str();
        while let Some(a) = rest.find(START) {
            let after = &rest[a + START.len()..];
            let b = after.find(END).ok_or("unpaired marks")?;
            doc.push_str(&after[..b]);
            rest = &after[b + END.len()..];
        }
        doc.push_str("</body></html>");
        Ok(doc)
    }
}

/// `<!DOCTYPE html>` first (after white space): the only doctype this module accepts, so the
/// page is in no-quirks mode like the cut document.
fn starts_with_html5_doctype(html: &str) -> bool {
    let t = html.trim_start_matches(['\u{feff}', ' ', '\t', '\n', '\r', '\x0c']);
    t.get(..15)
        .is_some_and(|p| p.eq_ignore_ascii_case("<!doctype html>"))
}

#[derive(Default)]
struct State {
    /// lol_html's open elements, as far as this module follows them.
    stack: Vec<Frame>,
    next_id: u64,
    pending_select: bool,
    pending_remove: bool,
    /// Stack index of the open region's root.
    region: Option<usize>,
    /// Lists and tables open inside the region.
    lists: usize,
    tables: usize,
    /// An end tag closed something other than the top, or a tag was out of place: a region that
    /// starts later cannot be trusted.
    dirty: bool,
    /// Why the cut is unsound, when it is.
    unsound: Option<&'static str>,
    regions: usize,
    hits: Vec<bool>,
    bases: Vec<Option<String>>,
    seen_html: bool,
    seen_head: bool,
    seen_body: bool,
}

impl State {
    fn stack_is(&self, names: &[&str]) -> bool {
        self.stack.len() == names.len() && self.stack.iter().zip(names).all(|(f, n)| f.name == *n)
    }
}

struct Frame {
    id: u64,
    name: String,
    list: bool,
    table: bool,
}

fn on_element(state: &Rc<RefCell<State>>, el: &mut Element) {
    let mut s = state.borrow_mut();
    let selected = std::mem::take(&mut s.pending_select);
    let removed = std::mem::take(&mut s.pending_remove);
    if s.unsound.is_some() {
        return;
    }
    let name = el.tag_name().to_ascii_lowercase();
    if selected && (removed || SKIPPED.contains(&name.as_str())) {
        // The walk never leaves such an element's selection (it keeps the text after it until
        // an enclosing selection closes): only the whole page reproduces that.
        s.unsound = Some("an element both selected and removed or skipped");
        return;
    }
    let html_ns = el.namespace_uri() == "http://www.w3.org/1999/xhtml";
    // The tree builder keeps the first of duplicate attributes; lol_html may match another.
    let attrs = el.attributes();
    for (i, a) in attrs.iter().enumerate() {
        let n = a.name();
        if attrs[..i].iter().any(|b| b.name() == n) {
            s.dirty = true;
            if selected || s.region.is_some() {
                s.unsound = Some("duplicate attribute");
                return;
            }
        }
    }
    let at_top = s.stack.is_empty() || s.stack_is(&["html"]);
    let in_head = s.stack_is(&["html", "head"]) || s.stack_is(&["head"]);
    if html_ns {
        match name.as_str() {
            "html" => {
                if s.seen_html || !s.stack.is_empty() {
                    s.dirty = true;
                }
                s.seen_html = true;
            }
            "head" => {
                if s.seen_head || !at_top {
                    s.dirty = true;
                }
                s.seen_head = true;
            }
            "body" => {
                if s.seen_body || !at_top {
                    s.dirty = true;
                }
                s.seen_body = true;
            }
            "base" => {
                // Only a base in an explicit head is where the tree builder puts it, and an
                // entity could be decoded twice: anything else is parsed whole.
                let href = el.get_attribute("href");
                if in_head && href.as_deref().is_none_or(|h| !h.contains(['&', '"', '<'])) {
                    s.bases.push(href);
                } else {
                    s.unsound = Some("base outside an explicit head");
                    return;
                }
            }
            _ => {}
        }
    }
    let in_region = s.region.is_some();
    if in_region {
        let ok = html_ns
            && !BANNED_IN_REGION.contains(&name.as_str())
            && (!TABLE_PARTS.contains(&name.as_str()) || s.tables > 0)
            && (!LIST_ITEMS.contains(&name.as_str()) || s.lists > 0);
        if !html_ns {
            // Foreign content inside a region parses alike anywhere; only its HTML break-outs
            // are checked, by the end tags.
        } else if !ok {
            s.unsound = Some("element that reaches outside a region");
            return;
        }
    } else if selected {
        let names: Vec<&str> = s.stack.iter().map(|f| f.name.as_str()).collect();
        let parent = names.last().copied().unwrap_or("");
        let root_ok = html_ns
            && el.can_have_content()
            && !BANNED_IN_REGION.contains(&name.as_str())
            && !TABLE_PARTS.contains(&name.as_str())
            // The walk scopes a summary's heading to its parent, outside the region.
            && name != "summary"
            && (!LIST_ITEMS.contains(&name.as_str()) || LISTS.contains(&parent));
        let last_table_part = names.iter().rev().find(|n| {
            matches!(
                **n,
                "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th"
            )
        });
        let context_ok = names.iter().all(|n| PLAIN_ANCESTORS.contains(n))
            && last_table_part.is_none_or(|n| matches!(*n, "td" | "th"));
        drop(names);
        if s.dirty {
            s.unsound = Some("a region after a misnested or implied end tag");
            return;
        }
        if !root_ok || !context_ok {
            s.unsound = Some("region in an unsafe context");
            return;
        }
        el.before(START, ContentType::Html);
        s.region = Some(s.stack.len());
        s.regions += 1;
        s.lists = 0;
        s.tables = 0;
    }
    if s.region.is_some() {
        let marked = (!selected || el.set_attribute(SELECTED_ATTR, "").is_ok())
            && (!removed || el.set_attribute(REMOVED_ATTR, "").is_ok());
        if !marked {
            s.unsound = Some("mark refused");
            return;
        }
    }
    if !el.can_have_content() {
        return;
    }
    if s.stack.len() >= MAX_DEPTH {
        s.dirty = true;
        if s.region.is_some() {
            s.unsound = Some("too deep inside a region");
        }
        return;
    }
    let id = s.next_id;
    s.next_id += 1;
    let region_open = s.region.is_some();
    let frame = Frame {
        id,
        list: region_open && html_ns && LISTS.contains(&name.as_str()),
        table: region_open && html_ns && name == "table",
        name,
    };
    if frame.list {
        s.lists += 1;
    }
    if frame.table {
        s.tables += 1;
    }
    s.stack.push(frame);
    drop(s);
    let st = state.clone();
    let handler: EndTagHandler<'static> = Box::new(move |end| {
        let mut s = st.borrow_mut();
        let Some(pos) = s.stack.iter().rposition(|f| f.id == id) else {
            // Closed already by a mismatch (and marked then).
            return Ok(());
        };
        // lol_html runs the end-tag handlers of elements it closes implicitly too, with the end
        // tag that closed them: a different name, or an element above, is an implied close.
        let named = s.stack[pos].name.eq_ignore_ascii_case(&end.name());
        if pos + 1 != s.stack.len() || !named {
            // Something was closed implicitly: inside a region (or of it) the cut is unsound.
            s.dirty = true;
            if s.region.is_some() {
                s.unsound = Some("end tag closing more than the top inside a region");
            }
        }
        for f in s.stack.drain(pos..).collect::<Vec<_>>() {
            if f.list {
                s.lists -= 1;
            }
            if f.table {
                s.tables -= 1;
            }
        }
        if s.region == Some(pos) {
            s.region = None;
            end.after(END, ContentType::Html);
        }
        Ok(())
    });
    // Only refused for elements without content, which returned above.
    if el.on_end_tag(handler).is_err() {
        state.borrow_mut().unsound = Some("end tag handler refused");
    }
}

/// The scraper selectors of the two marks, as the extractor's `select` and `remove`.
pub(crate) fn marks() -> Option<(Vec<(String, scraper::Selector)>, scraper::Selector)> {
    let s = format!("[{SELECTED_ATTR}]");
    let sel = scraper::Selector::parse(&s).ok()?;
    let rm = scraper::Selector::parse(&format!("[{REMOVED_ATTR}]")).ok()?;
    Some((vec![(s, sel)], rm))
}
