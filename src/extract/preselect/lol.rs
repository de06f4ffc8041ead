//! The pre-selection read by lol_html: the general path, for pages [`super::scan`] is not sure
//! of. lol_html tokenizes and matches the selectors; its element and end-tag handlers feed
//! [`Tracker`]. Nothing is rewritten: the rewriter's output is dropped.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use lol_html::html_content::{Comment, Element, EndTag, TextChunk, TextType};
use lol_html::{
    DocumentContentHandlers, ElementContentHandlers, EndTagHandler, HtmlRewriter, Selector,
    Settings,
};

use super::tracker::{Start, State as Tracker};
use super::written::{TagName, has_duplicate_attribute, source_name};

const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// What the handlers share.
struct Shared {
    tracker: Tracker,
    /// The page, for the end-tag handlers (which lol_html requires to be `'static`).
    html: Box<str>,
    pending_select: bool,
    pending_remove: bool,
    hits: Vec<bool>,
}

/// The cut document of `html` for these selectors, or why there is none.
pub(super) fn cut(
    html: &str,
    select: &[Selector],
    remove: &[Selector],
) -> Result<String, &'static str> {
    let shared = Rc::new(RefCell::new(Shared {
        tracker: Tracker::new(),
        html: html.into(),
        pending_select: false,
        pending_remove: false,
        hits: vec![false; select.len()],
    }));
    let mut handlers: Vec<(Cow<'_, Selector>, ElementContentHandlers<'_>)> = Vec::new();
    // Handlers run in the order they are given for the same element: the marks first, then the
    // bookkeeping that reads them.
    for (i, sel) in select.iter().enumerate() {
        let sh = shared.clone();
        handlers.push((
            Cow::Borrowed(sel),
            ElementContentHandlers::default().element(move |_: &mut Element| {
                let mut s = sh.borrow_mut();
                s.pending_select = true;
                s.hits[i] = true;
                Ok(())
            }),
        ));
    }
    for sel in remove {
        let sh = shared.clone();
        handlers.push((
            Cow::Borrowed(sel),
            ElementContentHandlers::default().element(move |_: &mut Element| {
                sh.borrow_mut().pending_remove = true;
                Ok(())
            }),
        ));
    }
    let any: Selector = "*".parse().map_err(|_| "selector")?;
    let sh = shared.clone();
    handlers.push((
        Cow::Owned(any),
        ElementContentHandlers::default().element(move |el: &mut Element| {
            on_element(&sh, el, html);
            Ok(())
        }),
    ));
    let sh = shared.clone();
    // Text outside raw text ends the tree builder's head (a later `<base>` is then in the body).
    let text = DocumentContentHandlers::default().text(move |t: &mut TextChunk| {
        let mut s = sh.borrow_mut();
        if t.text_type() == TextType::Data
            && s.tracker.in_head_so_far()
            && !t
                .as_str()
                .bytes()
                .all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
        {
            s.tracker.saw_text();
        }
        Ok(())
    });
    let sh = shared.clone();
    // Inside an SVG or MathML integration point lol_html reads CDATA as a bogus comment; the tree
    // builder reads it as CDATA (its current node is still foreign there).
    let text = text.comments(move |c: &mut Comment| {
        let mut s = sh.borrow_mut();
        if c.text().starts_with("[CDATA[") && s.tracker.in_foreign() {
            s.tracker.refuse("CDATA inside foreign content");
        }
        Ok(())
    });
    let settings = handlers
        .into_iter()
        .fold(Settings::new(), |s, h| s.append_element_content_handler(h))
        .append_document_content_handler(text);
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // An error is lol_html refusing an ambiguous page (strict mode): parse it whole.
    rewriter
        .write(html.as_bytes())
        .map_err(|_| "lol_html refused the page")?;
    rewriter.end().map_err(|_| "lol_html refused the page")?;
    let s = shared.borrow();
    s.tracker.finish(html, s.hits.iter().all(|h| *h))
}

fn on_element(shared: &Rc<RefCell<Shared>>, el: &mut Element, html: &str) {
    let mut guard = shared.borrow_mut();
    let s: &mut Shared = &mut guard;
    let selected = std::mem::take(&mut s.pending_select);
    let removed = std::mem::take(&mut s.pending_remove);
    if s.tracker.is_unsound() {
        return;
    }
    if entity_in_id_or_class(el, html) {
        // lol_html matches the raw value, the tree builder the decoded one.
        s.tracker.refuse("an entity in an id or class");
        return;
    }
    let at = el.source_location().bytes().start;
    let written = source_name(html, at, "<");
    let name = match written {
        Some(n) => TagName::new(n),
        None => TagName::new(&el.tag_name()),
    };
    if matches!(name.as_str(), "svg" | "math") && el.is_self_closing() {
        // lol_html enters the namespace anyway and reads what follows as foreign content (a
        // `<textarea>`'s text as markup); the tree builder does not.
        s.tracker.refuse("a self-closing <svg> or <math>");
        return;
    }
    let start = Start {
        at,
        written,
        name: name.as_str(),
        html_ns: el.namespace_uri() == XHTML,
        content: el.can_have_content(),
        duplicate: has_duplicate_attribute(el, html),
        selected,
        removed,
    };
    let Some(id) = s.tracker.start(start, || el.get_attribute("href")) else {
        return;
    };
    drop(guard);
    let sh = shared.clone();
    let handler: EndTagHandler<'static> = Box::new(move |end| {
        on_end_tag(&sh, id, end);
        Ok(())
    });
    // Only refused for elements without content, which the tracker does not follow.
    if el.on_end_tag(handler).is_err() {
        shared
            .borrow_mut()
            .tracker
            .refuse("end tag handler refused");
    }
}

/// Whether the element's `id` or `class` is written with a `&`.
fn entity_in_id_or_class(el: &Element, html: &str) -> bool {
    el.attributes().iter().any(|a| {
        let name = a.name_source_location().and_then(|l| html.get(l.bytes()));
        let named = |n: &str| name.is_some_and(|w| w.eq_ignore_ascii_case(n));
        (named("id") || named("class"))
            && a.value_source_location()
                .and_then(|l| html.get(l.bytes()))
                .is_some_and(|v| v.contains('&'))
    })
}

/// lol_html runs the end-tag handlers of elements it closes implicitly too, with the end tag
/// that closed them; the tracker tells those apart.
fn on_end_tag(shared: &Rc<RefCell<Shared>>, id: u64, end: &mut EndTag) {
    let mut guard = shared.borrow_mut();
    let s: &mut Shared = &mut guard;
    let range = end.source_location().bytes();
    s.tracker.end(id, &s.html, range, || end.name());
}
