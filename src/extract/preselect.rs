//! Pre-selection: cuts the selected regions out of a page with a streaming pass (lol_html), so
//! that the DOM is built for the regions only instead of the whole page (issue 16: the parse of
//! a ~92 KiB page was 74 % of a check, for an ~11 KiB selection).
//!
//! The output is a small document, `<!DOCTYPE html><html><head>{<base>s}</head><body>{regions}
//! </body></html>`, in which every element the target's `select` matched carries
//! [`SELECTED_ATTR`] and every element its `remove` matched carries [`REMOVED_ATTR`]; the
//! extractor then runs its usual walk on it with those two attribute selectors. Matching is done
//! here, on the whole page, so a region never needs its ancestors again. Nothing is rewritten:
//! lol_html only reports where the regions' tags are, the regions are copied from the page by
//! those positions and each mark is written right after its element's tag name (so the pass
//! allocates little per element and never copies the page outside its regions).
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
use std::ops::Range;
use std::rc::Rc;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use lol_html::html_content::{Element, EndTag};
use lol_html::{ElementContentHandlers, EndTagHandler, HtmlRewriter, Selector, Settings};

mod written;

use written::{TagName, has_duplicate_attribute, source_name};

/// Marks, in the cut document, the elements the target's `select` matched.
pub const SELECTED_ATTR: &str = "data-pwcut-s";
/// Marks, in the cut document, the elements the target's `remove` matched.
pub const REMOVED_ATTR: &str = "data-pwcut-r";
/// A page holding this text, in any case, could forge the marks: it is never cut.
const TOKEN: &str = "pwcut";
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
        if holds_token(html) {
            return Err("the page holds the mark");
        }
        let state = Rc::new(RefCell::new(State {
            hits: vec![false; self.select.len()],
            html: html.into(),
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
                on_element(&st, el, html);
                Ok(())
            }),
        ));
        let settings = handlers
            .into_iter()
            .fold(Settings::new(), |s, h| s.append_element_content_handler(h));
        // Nothing is rewritten: the regions and the marks are taken from the page by their
        // source positions, so the output is dropped instead of copying the whole page.
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
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
        if s.regions.is_empty() || s.hits.iter().any(|h| !h) {
            return Err("a selector matched nothing");
        }
        let len: usize = s.regions.iter().map(|r| r.len()).sum();
        let mut doc = String::with_capacity(64 + len + s.marks.len() * (SELECTED_ATTR.len() + 1));
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
        // Marks and regions are both in document order, every mark inside a region.
        let mut marks = s.marks.iter().peekable();
        for region in &s.regions {
            let mut at = region.start;
            while let Some((pos, mark)) = marks.next_if(|(pos, _)| *pos < region.end) {
                doc.push_str(html.get(at..*pos).ok_or("mark out of place")?);
                doc.push(' ');
                doc.push_str(mark);
                at = *pos;
            }
            doc.push_str(html.get(at..region.end).ok_or("region out of place")?);
        }
        if marks.next().is_some() {
            return Err("mark outside a region");
        }
        doc.push_str("</body></html>");
        Ok(doc)
    }
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
    let t = html.trim_start_matches(['\u{feff}', ' ', '\t', '\n', '\r', '\x0c']);
    t.get(..15)
        .is_some_and(|p| p.eq_ignore_ascii_case("<!doctype html>"))
}

#[derive(Default)]
struct State {
    /// The page, for the end-tag handlers (which lol_html requires to be `'static`) to read end
    /// tag names without allocating them.
    html: Box<str>,
    /// lol_html's open elements, as far as this module follows them.
    stack: Vec<Frame>,
    next_id: u64,
    pending_select: bool,
    pending_remove: bool,
    /// Stack index of the open region's root, and where its start tag begins in the page.
    region: Option<(usize, usize)>,
    /// Lists and tables open inside the region.
    lists: usize,
    tables: usize,
    /// An end tag closed something other than the top, or a tag was out of place: a region that
    /// starts later cannot be trusted.
    dirty: bool,
    /// Why the cut is unsound, when it is.
    unsound: Option<&'static str>,
    /// The closed regions, as byte ranges of the page, in document order.
    regions: Vec<Range<usize>>,
    /// Where a mark goes (just after a tag name in a region), in document order.
    marks: Vec<(usize, &'static str)>,
    hits: Vec<bool>,
    bases: Vec<Option<String>>,
    seen_html: bool,
    seen_head: bool,
    seen_body: bool,
}

impl State {
    fn stack_is(&self, names: &[&str]) -> bool {
        self.stack.len() == names.len()
            && self
                .stack
                .iter()
                .zip(names)
                .all(|(f, n)| f.name.as_str() == *n)
    }
}

struct Frame {
    id: u64,
    name: TagName,
    list: bool,
    table: bool,
}

fn on_element(state: &Rc<RefCell<State>>, el: &mut Element, html: &str) {
    let mut guard = state.borrow_mut();
    let s: &mut State = &mut guard;
    let selected = std::mem::take(&mut s.pending_select);
    let removed = std::mem::take(&mut s.pending_remove);
    if s.unsound.is_some() {
        return;
    }
    let tag_start = el.source_location().bytes().start;
    let written = source_name(html, tag_start, "<");
    let tag = match written {
        Some(n) => TagName::new(n),
        None => TagName::new(&el.tag_name()),
    };
    let name = tag.as_str();
    if selected && (removed || SKIPPED.contains(&name)) {
        // The walk never leaves such an element's selection (it keeps the text after it until
        // an enclosing selection closes): only the whole page reproduces that.
        s.unsound = Some("an element both selected and removed or skipped");
        return;
    }
    let html_ns = el.namespace_uri() == "http://www.w3.org/1999/xhtml";
    // The tree builder keeps the first of duplicate attributes; lol_html may match another.
    if has_duplicate_attribute(el, html) {
        s.dirty = true;
        if selected || s.region.is_some() {
            s.unsound = Some("duplicate attribute");
            return;
        }
    }
    let at_top = s.stack.is_empty() || s.stack_is(&["html"]);
    let in_head = s.stack_is(&["html", "head"]) || s.stack_is(&["head"]);
    if html_ns {
        match name {
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
            && !BANNED_IN_REGION.contains(&name)
            && (!TABLE_PARTS.contains(&name) || s.tables > 0)
            && (!LIST_ITEMS.contains(&name) || s.lists > 0);
        if !html_ns {
            // Foreign content inside a region parses alike anywhere; only its HTML break-outs
            // are checked, by the end tags.
        } else if !ok {
            s.unsound = Some("element that reaches outside a region");
            return;
        }
    } else if selected {
        let parent = s.stack.last().map_or("", |f| f.name.as_str());
        let root_ok = html_ns
            && el.can_have_content()
            && !BANNED_IN_REGION.contains(&name)
            && !TABLE_PARTS.contains(&name)
            // The walk scopes a summary's heading to its parent, outside the region.
            && name != "summary"
            && (!LIST_ITEMS.contains(&name) || LISTS.contains(&parent));
        let last_table_part = s.stack.iter().rev().map(|f| f.name.as_str()).find(|n| {
            matches!(
                *n,
                "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th"
            )
        });
        let context_ok = s
            .stack
            .iter()
            .all(|f| PLAIN_ANCESTORS.contains(&f.name.as_str()))
            && last_table_part.is_none_or(|n| matches!(n, "td" | "th"));
        if s.dirty {
            s.unsound = Some("a region after a misnested or implied end tag");
            return;
        }
        if !root_ok || !context_ok {
            s.unsound = Some("region in an unsafe context");
            return;
        }
        s.region = Some((s.stack.len(), tag_start));
        s.lists = 0;
        s.tables = 0;
    }
    if s.region.is_some() && (selected || removed) {
        // The mark goes right after the name as written, so it is the element's first
        // attribute; a name that cannot be found in the page is left to the whole parse.
        let Some(written) = written else {
            s.unsound = Some("unusual tag name on a marked element");
            return;
        };
        let at = tag_start + 1 + written.len();
        if selected {
            s.marks.push((at, SELECTED_ATTR));
        }
        if removed {
            s.marks.push((at, REMOVED_ATTR));
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
        list: region_open && html_ns && LISTS.contains(&name),
        table: region_open && html_ns && name == "table",
        name: tag,
    };
    if frame.list {
        s.lists += 1;
    }
    if frame.table {
        s.tables += 1;
    }
    s.stack.push(frame);
    drop(guard);
    let st = state.clone();
    let handler: EndTagHandler<'static> = Box::new(move |end| {
        on_end_tag(&st, id, end);
        Ok(())
    });
    // Only refused for elements without content, which returned above.
    if el.on_end_tag(handler).is_err() {
        state.borrow_mut().unsound = Some("end tag handler refused");
    }
}

fn on_end_tag(state: &Rc<RefCell<State>>, id: u64, end: &mut EndTag) {
    let mut guard = state.borrow_mut();
    let s: &mut State = &mut guard;
    let Some(pos) = s.stack.iter().rposition(|f| f.id == id) else {
        // Closed already by a mismatch (and marked then).
        return;
    };
    // lol_html runs the end-tag handlers of elements it closes implicitly too, with the end
    // tag that closed them: a different name, or an element above, is an implied close.
    let range = end.source_location().bytes();
    let frame_name = s.stack[pos].name.as_str();
    let named = match source_name(&s.html, range.start, "</") {
        Some(n) => n.eq_ignore_ascii_case(frame_name),
        None => frame_name.eq_ignore_ascii_case(&end.name()),
    };
    if pos + 1 != s.stack.len() || !named {
        // Something was closed implicitly: inside a region (or of it) the cut is unsound.
        s.dirty = true;
        if s.region.is_some() {
            s.unsound = Some("end tag closing more than the top inside a region");
        }
    }
    for f in s.stack.drain(pos..) {
        if f.list {
            s.lists -= 1;
        }
        if f.table {
            s.tables -= 1;
        }
    }
    if let Some((root, start)) = s.region
        && root == pos
    {
        s.region = None;
        // The region ends with this end tag as written; one lol_html made up is not in the page.
        if s.html
            .get(range.clone())
            .is_some_and(|t| t.starts_with("</") && t.ends_with('>'))
        {
            s.regions.push(start..range.end);
        } else {
            s.unsound = Some("a region closed without its end tag");
        }
    }
}

/// The scraper selectors of the two marks, as the extractor's `select` and `remove`.
pub(crate) fn marks() -> Option<(Vec<(String, scraper::Selector)>, scraper::Selector)> {
    let s = format!("[{SELECTED_ATTR}]");
    let sel = scraper::Selector::parse(&s).ok()?;
    let rm = scraper::Selector::parse(&format!("[{REMOVED_ATTR}]")).ok()?;
    Some((vec![(s, sel)], rm))
}
