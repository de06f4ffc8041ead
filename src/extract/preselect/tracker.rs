//! The pre-selection's decisions, whichever tokenizer reads the page: it follows the open
//! elements as tags arrive, says where regions start and end and where marks go, and refuses
//! (with a reason) every page on which the cut could differ from the whole page's tree. It reads
//! tags, never bytes: [`super::lol`] and [`super::scan`] turn the page into the calls here.

use std::ops::Range;

use super::written::{TagName, source_name};
use super::{REMOVED_ATTR, SELECTED_ATTR};

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

/// A start tag, as a tokenizer read it.
pub(super) struct Start<'a> {
    /// Where its `<` is in the page.
    pub at: usize,
    /// Its name as written, when [`source_name`] can read it from the page.
    pub written: Option<&'a str>,
    /// Lowercase.
    pub name: &'a str,
    pub html_ns: bool,
    /// Not void (an end tag or the end of its parent closes it).
    pub content: bool,
    /// Two of its attributes have the same name.
    pub duplicate: bool,
    /// The target's `select` or `remove` matched it.
    pub selected: bool,
    pub removed: bool,
}

#[derive(Default)]
pub(super) struct State {
    /// The open elements, as far as this module follows them.
    stack: Vec<Frame>,
    next_id: u64,
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
    bases: Vec<Option<String>>,
    seen_html: bool,
    seen_head: bool,
    seen_body: bool,
    /// Nothing so far has ended the tree builder's head: only head elements and white space
    /// (a `<base>` after anything else goes to the body, where links do not resolve against it).
    head_so_far: bool,
}

struct Frame {
    id: u64,
    name: TagName,
    html_ns: bool,
    list: bool,
    table: bool,
}

/// Start tags that keep the tree builder in (or before) the head.
fn keeps_head(name: &str) -> bool {
    matches!(
        name,
        "html" | "head" | "meta" | "link" | "title" | "style" | "script" | "noscript" | "base"
    )
}

impl State {
    /// Before the page: both tokenizers report text that could end the head
    /// ([`State::saw_text`]).
    pub(super) fn new() -> State {
        State {
            head_so_far: true,
            ..State::default()
        }
    }

    /// Whether text now would still matter ([`State::saw_text`]).
    pub(super) fn in_head_so_far(&self) -> bool {
        self.head_so_far
    }

    /// Whether an SVG or MathML element is open.
    pub(super) fn in_foreign(&self) -> bool {
        self.stack.iter().any(|f| !f.html_ns)
    }

    /// Text other than white space, outside any element's raw text.
    pub(super) fn saw_text(&mut self) {
        self.head_so_far = false;
    }

    fn stack_is(&self, names: &[&str]) -> bool {
        self.stack.len() == names.len()
            && self
                .stack
                .iter()
                .zip(names)
                .all(|(f, n)| f.name.as_str() == *n)
    }

    /// Whether the cut is already known to be unsound (the caller may stop reading).
    pub(super) fn is_unsound(&self) -> bool {
        self.unsound.is_some()
    }

    /// The cut is unsound for a reason the tokenizer found.
    pub(super) fn refuse(&mut self, why: &'static str) {
        self.unsound.get_or_insert(why);
    }

    /// A start tag. `href` gives a `<base>`'s href (asked only for one). Returns the id of the
    /// element when it is followed to its end: [`State::end`] is then called with that id.
    pub(super) fn start(
        &mut self,
        tag: Start<'_>,
        href: impl FnOnce() -> Option<String>,
    ) -> Option<u64> {
        if self.unsound.is_some() {
            return None;
        }
        let name = tag.name;
        let (selected, removed, html_ns) = (tag.selected, tag.removed, tag.html_ns);
        if selected && (removed || SKIPPED.contains(&name)) {
            // The walk never leaves such an element's selection (it keeps the text after it until
            // an enclosing selection closes): only the whole page reproduces that.
            self.unsound = Some("an element both selected and removed or skipped");
            return None;
        }
        // The tree builder keeps the first of duplicate attributes; lol_html may match another.
        if tag.duplicate {
            self.dirty = true;
            if selected || self.region.is_some() {
                self.unsound = Some("duplicate attribute");
                return None;
            }
        }
        if name == "annotation-xml"
            || (matches!(name, "svg" | "math") && self.stack.iter().any(|f| !f.html_ns))
        {
            // lol_html's namespaces part from the tree builder's here.
            self.unsound = Some("foreign content lol_html may misread");
            return None;
        }
        let head_so_far = self.head_so_far && keeps_head(name);
        self.head_so_far = head_so_far;
        let at_top = self.stack.is_empty() || self.stack_is(&["html"]);
        let in_head = self.stack_is(&["html", "head"]) || self.stack_is(&["head"]);
        if html_ns {
            match name {
                "html" => {
                    if self.seen_html || !self.stack.is_empty() {
                        self.dirty = true;
                    }
                    self.seen_html = true;
                }
                "head" => {
                    if self.seen_head || !at_top {
                        self.dirty = true;
                    }
                    self.seen_head = true;
                }
                "body" => {
                    if self.seen_body || !at_top {
                        self.dirty = true;
                    }
                    self.seen_body = true;
                }
                "base" => {
                    // Only a base in an explicit head is where the tree builder puts it, and an
                    // entity could be decoded twice: anything else is parsed whole.
                    let href = href();
                    if in_head
                        && head_so_far
                        && href.as_deref().is_none_or(|h| !h.contains(['&', '"', '<']))
                    {
                        self.bases.push(href);
                    } else {
                        self.unsound =
                            Some("base outside an explicit head, or after the head ended");
                        return None;
                    }
                }
                _ => {}
            }
        }
        if self.region.is_some() {
            let ok = !BANNED_IN_REGION.contains(&name)
                && (!TABLE_PARTS.contains(&name) || self.tables > 0)
                && (!LIST_ITEMS.contains(&name) || self.lists > 0);
            // Foreign content inside a region parses alike anywhere; only its HTML break-outs
            // are checked, by the end tags.
            if html_ns && !ok {
                self.unsound = Some("element that reaches outside a region");
                return None;
            }
        } else if selected {
            let parent = self.stack.last().map_or("", |f| f.name.as_str());
            let root_ok = html_ns
                && tag.content
                && !BANNED_IN_REGION.contains(&name)
                && !TABLE_PARTS.contains(&name)
                // The walk scopes a summary's heading to its parent, outside the region.
                && name != "summary"
                && (!LIST_ITEMS.contains(&name) || LISTS.contains(&parent));
            let last_table_part = self.stack.iter().rev().map(|f| f.name.as_str()).find(|n| {
                matches!(
                    *n,
                    "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th"
                )
            });
            let context_ok = self
                .stack
                .iter()
                .all(|f| PLAIN_ANCESTORS.contains(&f.name.as_str()))
                && last_table_part.is_none_or(|n| matches!(n, "td" | "th"));
            if self.dirty {
                self.unsound = Some("a region after a misnested or implied end tag");
                return None;
            }
            if !root_ok || !context_ok {
                self.unsound = Some("region in an unsafe context");
                return None;
            }
            self.region = Some((self.stack.len(), tag.at));
            self.lists = 0;
            self.tables = 0;
        }
        if self.region.is_some() && (selected || removed) {
            // The mark goes right after the name as written, so it is the element's first
            // attribute; a name that cannot be found in the page is left to the whole parse.
            let Some(written) = tag.written else {
                self.unsound = Some("unusual tag name on a marked element");
                return None;
            };
            let at = tag.at + 1 + written.len();
            if selected {
                self.marks.push((at, SELECTED_ATTR));
            }
            if removed {
                self.marks.push((at, REMOVED_ATTR));
            }
        }
        if !tag.content {
            return None;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.dirty = true;
            if self.region.is_some() {
                self.unsound = Some("too deep inside a region");
            }
            return None;
        }
        let id = self.next_id;
        self.next_id += 1;
        let region_open = self.region.is_some();
        let frame = Frame {
            id,
            list: region_open && html_ns && LISTS.contains(&name),
            table: region_open && html_ns && name == "table",
            name: TagName::new(name),
            html_ns,
        };
        self.lists += usize::from(frame.list);
        self.tables += usize::from(frame.table);
        self.stack.push(frame);
        Some(id)
    }

    /// The element `id` was closed by the end tag at `range` of `html` (`name` gives that end
    /// tag's name when it cannot be read from the page). The tokenizer may close several
    /// elements with one end tag, each with its own call, innermost first.
    pub(super) fn end(
        &mut self,
        id: u64,
        html: &str,
        range: Range<usize>,
        name: impl FnOnce() -> String,
    ) {
        let Some(pos) = self.stack.iter().rposition(|f| f.id == id) else {
            // Closed already by a mismatch (and marked then).
            return;
        };
        // An end tag with a different name, or an element above, is an implied close.
        let frame_name = self.stack[pos].name.as_str();
        let named = match source_name(html, range.start, "</") {
            Some(n) => n.eq_ignore_ascii_case(frame_name),
            None => frame_name.eq_ignore_ascii_case(&name()),
        };
        if pos + 1 != self.stack.len() || !named {
            // Something was closed implicitly: inside a region (or of it) the cut is unsound.
            self.dirty = true;
            if self.region.is_some() {
                self.refuse("end tag closing more than the top inside a region");
            }
        }
        for f in self.stack.drain(pos..) {
            self.lists -= usize::from(f.list);
            self.tables -= usize::from(f.table);
        }
        if let Some((root, start)) = self.region
            && root == pos
        {
            self.region = None;
            // The region ends with this end tag as written; one lol_html made up is not in the
            // page.
            if html
                .get(range.clone())
                .is_some_and(|t| t.starts_with("</") && t.ends_with('>'))
            {
                self.regions.push(start..range.end);
            } else {
                self.refuse("a region closed without its end tag");
            }
        }
    }

    /// The cut document, once the whole page was read. `all_hit`: every `select` selector
    /// matched an element.
    pub(super) fn finish(&self, html: &str, all_hit: bool) -> Result<String, &'static str> {
        if let Some(why) = self.unsound {
            return Err(why);
        }
        if self.region.is_some() {
            return Err("a region is not closed");
        }
        if self.regions.is_empty() || !all_hit {
            return Err("a selector matched nothing");
        }
        let len: usize = self.regions.iter().map(|r| r.len()).sum();
        let mut doc =
            String::with_capacity(64 + len + self.marks.len() * (SELECTED_ATTR.len() + 4));
        doc.push_str("<!DOCTYPE html><html><head>");
        for href in &self.bases {
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
        let mut marks = self.marks.iter().peekable();
        for region in &self.regions {
            let mut at = region.start;
            while let Some((pos, mark)) = marks.next_if(|(pos, _)| *pos < region.end) {
                doc.push_str(html.get(at..*pos).ok_or("mark out of place")?);
                doc.push(' ');
                doc.push_str(mark);
                // With a value of its own: a bare name would take an `=` that follows it in the
                // page (`<div =">`) as its value and read the rest of the tag differently.
                doc.push_str("=\"\"");
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
