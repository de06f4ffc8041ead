//! Walk: a parsed page and its selection → blocks with their context, in one pass.
//!
//! The document is walked once in order (ego_tree's traversal: no recursion, so no stack to
//! overflow at any depth), and every element is entered and left once, so the walk is linear in
//! the page. Block-level elements start and end blocks; `script`, `style`… and `remove`d elements
//! are skipped. Beside the text, small stacks follow what a reader follows: the headings above,
//! the list an item is in and the sentence that introduced it, the table a cell is in with its
//! row and column headers (kept by the `table` submodule), the term a `<dd>` describes, and the
//! link a text is in (written into the text, see [`super::links`]). Each stack holds only open
//! elements of its kind, so every look-up is at its top. Menus, sidebars and footers stand
//! outside the page's headings: nothing above them heads their text, and theirs heads nothing
//! after them.

use std::collections::HashSet;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{Html, Node};
use url::Url;

use crate::extract::block::{
    Block, BlockKind, Context, FormMark, ListPosition, MAX_HEADINGS, STRUCK, at_most_chars, bounded,
};
use crate::extract::links;
use crate::extract::normalise::display;

mod table;

use table::Tables;

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

/// The page's furniture: menus and footers, and sidebars. Their text is not under the heading
/// above them (a footer's "Live Chat" after "How to terminate your service" is no channel
/// for terminating), and their own headings head nothing outside them. Every list in a menu
/// or footer is links; a sidebar's own list can have a lead-in.
const MENUS: &[&str] = &["nav", "footer"];
const SIDEBARS: &[&str] = &["aside"];
/// The same by ARIA landmark role, for pages built of `<div>`s.
const MENU_ROLES: &[&str] = &["navigation", "contentinfo"];
const SIDEBAR_ROLES: &[&str] = &["complementary"];

/// A bold-only line longer than this is emphasis, not a heading.
const MAX_BOLD_HEADING_CHARS: usize = 80;
/// Heading levels below `<h6>`: a `<summary>` over its `<details>`, then a bold-only line.
const SUMMARY_LEVEL: u8 = 7;
const BOLD_LEVEL: u8 = 8;
/// A short plain line standing alone ("Cancellation procedure", 取消程序): excerpts and
/// plainly styled pages set their headings so.
const PLAIN_LEVEL: u8 = 9;
/// A plain line longer than this, or with any punctuation, is a sentence, not a heading.
const MAX_PLAIN_HEADING_CHARS: usize = 40;

/// The selection and the page's addresses, for one walk.
pub struct Input<'a> {
    pub doc: &'a Html,
    pub selected: &'a HashSet<NodeId>,
    pub removed: &'a HashSet<NodeId>,
    /// The page's final URL, and its base URL for links (they differ with `<base href>`).
    pub page: &'a Url,
    pub base: &'a Url,
    /// Most blocks the walk makes ([`crate::extract::block::MAX_BLOCKS`] in production): at
    /// the next one it stops.
    pub max_blocks: usize,
}

/// What a walk gave.
#[derive(Debug)]
pub enum Walked {
    /// The selection's blocks, and the number of node visits.
    Done { blocks: Vec<Block>, visits: usize },
    /// The selection gives more than `limit` blocks: the walk stopped after `visits` node
    /// visits, at the block after the `limit`th, and its blocks were dropped.
    Full { limit: usize, visits: usize },
}

struct Heading {
    level: u8,
    text: String,
    /// A `<summary>` heads its `<details>` only.
    scope: Option<NodeId>,
}

struct List {
    id: NodeId,
    ordered: bool,
    lead_in: Option<String>,
    items: usize,
}

struct Item {
    id: NodeId,
    position: ListPosition,
    /// The item's own first text: the lead-in of a list nested in it.
    text: Option<String>,
}

/// An open `<form>`: where its blocks start, and what its controls showed so far.
struct Form {
    id: NodeId,
    first_block: usize,
    /// The label of the last submit control seen in it.
    submit: Option<String>,
    /// A field to fill: a text box, a choice, a date, a file.
    field: bool,
    /// A search field or role: not a form to send a request with. (A password field is not
    /// enough to tell a sign-in: a request form asks for the service password too, 服务密码.)
    excluded: bool,
}

/// How many nodes inside a `<button>` are read for its label.
const BUTTON_NODES: usize = 32;

struct Anchor {
    id: NodeId,
    target: String,
    /// Where its text starts in the buffer, and the flush count when it opened: a flush in
    /// between means a block-level link.
    start: usize,
    flushes: usize,
    blocks: usize,
}

/// The walk's state: the blocks so far, the text of the current one, and the open elements
/// that give context.
struct Walker<'a> {
    input: &'a Input<'a>,
    blocks: Vec<Block>,
    buf: String,
    flushes: usize,
    /// Open `<b>`/`<strong>`, and whether the current text has words outside and inside them.
    bold: usize,
    plain_words: bool,
    bold_words: bool,
    /// Open block-level elements: their kind, and how many blocks there were when they opened.
    kinds: Vec<(NodeId, BlockKind, usize)>,
    headings: Vec<Heading>,
    lists: Vec<List>,
    items: Vec<Item>,
    tables: Tables,
    terms: Vec<(NodeId, Option<String>)>,
    anchors: Vec<Anchor>,
    /// Open furniture, each with the headings that were open outside it and whether it is a
    /// menu or footer (not a sidebar): every list in those is links.
    furniture: Vec<(NodeId, Vec<Heading>, bool)>,
    /// Open `<header>`s and banners: their headings stay (a page's title often sits in one),
    /// but a list in a list there is a menu's submenu.
    banners: Vec<NodeId>,
    /// Open `<form>`s, and how many sendable ones were closed before.
    forms: Vec<Form>,
    sendable: u32,
    /// Open elements that strike their text through, where the current run of struck text
    /// starts in the buffer, and whether the current block has such a run.
    struck: Vec<NodeId>,
    struck_from: usize,
    struck_words: bool,
    /// A block past `max_blocks` was due: the walk ends.
    full: bool,
}

/// Walks the selection, up to `max_blocks` blocks.
pub fn walk(input: &Input<'_>) -> Walked {
    let mut w = Walker {
        input,
        blocks: Vec::new(),
        buf: String::new(),
        flushes: 0,
        bold: 0,
        plain_words: false,
        bold_words: false,
        kinds: Vec::new(),
        headings: Vec::new(),
        lists: Vec::new(),
        items: Vec::new(),
        tables: Tables::default(),
        terms: Vec::new(),
        anchors: Vec::new(),
        furniture: Vec::new(),
        banners: Vec::new(),
        forms: Vec::new(),
        sendable: 0,
        struck: Vec::new(),
        struck_from: 0,
        struck_words: false,
        full: false,
    };
    let mut visits = 0;
    // How many selected elements are open around the current node.
    let mut inside = 0usize;
    let mut skipping: Option<NodeId> = None;
    // One selected element (the usual case) needs no walk of the rest of the document.
    let doc = input.doc;
    let start = match input.selected.iter().next() {
        Some(only) if input.selected.len() == 1 => doc.tree.get(*only),
        _ => None,
    }
    .unwrap_or_else(|| doc.tree.root());
    for edge in start.traverse() {
        if w.full {
            break;
        }
        visits += 1;
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                if input.selected.contains(&node.id()) {
                    inside += 1;
                }
                if inside == 0 {
                    continue;
                }
                // Skipping starts only inside the selection, so a selected element under a
                // removed one (with no selected ancestor) is still walked.
                match node.value() {
                    Node::Text(t) => w.text(t),
                    Node::Element(e) => {
                        let name = e.name();
                        if !w.forms.is_empty() {
                            w.control(node, e);
                        }
                        if (SKIPPED.contains(&name) && !disclosure(node, e))
                            || input.removed.contains(&node.id())
                        {
                            skipping = Some(node.id());
                        } else {
                            w.open(node.id(), e);
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                    // A selected element that is itself removed or skipped was counted open.
                    if input.selected.contains(&node.id()) {
                        inside = inside.saturating_sub(1);
                        if inside == 0 {
                            w.flush();
                        }
                    }
                } else if skipping.is_none() && inside > 0 {
                    if let Node::Element(e) = node.value() {
                        w.close(node.id(), e);
                    }
                    if input.selected.contains(&node.id()) {
                        inside -= 1;
                        if inside == 0 {
                            w.flush();
                        }
                    }
                }
            }
        }
    }
    if w.full {
        return Walked::Full {
            limit: input.max_blocks,
            visits,
        };
    }
    Walked::Done {
        blocks: w.blocks,
        visits,
    }
}

/// Does `e` strike its text through? `<del>`, `<s>`, `<strike>`, or a line-through style or
/// class (`text-decoration: line-through`, Tailwind's `line-through`).
fn strikes(e: &Element) -> bool {
    matches!(e.name(), "del" | "s" | "strike")
        || e.attr("style")
            .is_some_and(|s| s.to_ascii_lowercase().contains("line-through"))
        || e.classes().any(|c| {
            c.eq_ignore_ascii_case("line-through") || c.eq_ignore_ascii_case("strikethrough")
        })
}

/// A button that opens a panel (an FAQ accordion's question: `aria-expanded`, `aria-controls`,
/// a collapse toggle) or stands in a heading carries the page's words; other buttons are the
/// page's controls ("Search", "Add to cart").
fn disclosure(node: NodeRef<'_, Node>, e: &Element) -> bool {
    e.name() == "button"
        && (["aria-expanded", "aria-controls"]
            .iter()
            .any(|a| e.attr(a).is_some())
            || ["data-toggle", "data-bs-toggle"]
                .iter()
                .any(|a| e.attr(a) == Some("collapse"))
            || node
                .parent()
                .and_then(|p| p.value().as_element().map(|p| heading_level(p.name())))
                .flatten()
                .is_some())
}

/// Whether `role` is one of `roles` (ARIA roles are compared without case).
fn role_is(role: Option<&str>, roles: &[&str]) -> bool {
    role.is_some_and(|r| roles.iter().any(|f| r.eq_ignore_ascii_case(f)))
}

/// `Some(true)` for a menu or footer, `Some(false)` for a sidebar, `None` for the page itself.
fn furniture(name: &str, role: Option<&str>) -> Option<bool> {
    if MENUS.contains(&name) || role_is(role, MENU_ROLES) {
        Some(true)
    } else if SIDEBARS.contains(&name) || role_is(role, SIDEBAR_ROLES) {
        Some(false)
    } else {
        None
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

fn kind_of(name: &str) -> BlockKind {
    match name {
        "p" => BlockKind::Paragraph,
        "li" => BlockKind::ListItem,
        "dt" => BlockKind::Term,
        "dd" => BlockKind::Definition,
        "td" => BlockKind::Cell,
        "th" => BlockKind::HeaderCell,
        "caption" => BlockKind::Caption,
        _ => heading_level(name).map_or(BlockKind::Other, BlockKind::Heading),
    }
}

/// A link whose words are its address says nothing more with the address written out.
fn self_describing(text: &str, target: &str) -> bool {
    fn bare(s: &str) -> &str {
        let s = s.trim_end_matches('/');
        let s = ["mailto:", "tel:", "https://", "http://"]
            .iter()
            .find_map(|p| s.strip_prefix(p))
            .unwrap_or(s);
        s.strip_prefix("www.").unwrap_or(s)
    }
    bare(text).eq_ignore_ascii_case(bare(target))
}

impl Walker<'_> {
    fn text(&mut self, t: &str) {
        if t.chars().any(|c| !c.is_whitespace()) {
            if self.bold > 0 {
                self.bold_words = true;
            } else {
                self.plain_words = true;
            }
        }
        self.buf.push_str(t);
    }

    fn open(&mut self, id: NodeId, e: &Element) {
        let name = e.name();
        let role = e.attr("role");
        let furniture = furniture(name, role);
        if self.is_block(name) || furniture.is_some() {
            self.flush();
        }
        if let Some(menu) = furniture {
            let outside = std::mem::take(&mut self.headings);
            self.furniture.push((id, outside, menu));
        }
        if name == "header" || role_is(role, &["banner"]) {
            self.banners.push(id);
        }
        if strikes(e) {
            if self.struck.is_empty() {
                self.struck_from = self.buf.len();
            }
            self.struck.push(id);
        }
        match name {
            "b" | "strong" => self.bold += 1,
            "a" => {
                let target = e
                    .attr("href")
                    .and_then(|h| links::target(h, self.input.base, self.input.page));
                if let Some(target) = target {
                    self.anchors.push(Anchor {
                        id,
                        target,
                        start: self.buf.len(),
                        flushes: self.flushes,
                        blocks: self.blocks.len(),
                    });
                }
            }
            "ul" | "ol" => {
                let lead_in = match self.items.last() {
                    // A menu or footer's lists, and a submenu in a sidebar or header, are
                    // links, not a sentence and what it introduces: "Online Services" ›
                    // "Service Termination" says nothing about how to terminate. A list of its
                    // own in a sidebar or an article's header ("To cancel, you can:") keeps
                    // its lead-in.
                    _ if self.furniture.iter().any(|(.., menu)| *menu) => None,
                    Some(_) if !self.furniture.is_empty() || !self.banners.is_empty() => None,
                    // A list inside an item is introduced by the item.
                    Some(item) => item.text.clone(),
                    // Else the block just before it, when it sits in the same container
                    // (`<p>You can cancel by:</p><ul>`) or ends with a colon; a logo in the
                    // header is no lead-in for the menu in the nav beside it.
                    None => {
                        let container_start = self.kinds.last().map_or(0, |(.., n)| *n);
                        self.blocks
                            .last()
                            .filter(|b| {
                                !matches!(
                                    b.context.kind,
                                    BlockKind::Heading(_) | BlockKind::ListItem
                                ) && !self.is_heading(&b.text)
                                    && (self.blocks.len() > container_start
                                        || b.text.ends_with([':', '：']))
                            })
                            .map(|b| bounded(&b.text))
                    }
                };
                self.lists.push(List {
                    id,
                    ordered: name == "ol",
                    lead_in,
                    items: 0,
                });
            }
            "li" => {
                let depth = self.lists.len();
                if let Some(list) = self.lists.last_mut() {
                    list.items += 1;
                    let position = ListPosition {
                        index: list.items,
                        ordered: list.ordered,
                        depth,
                    };
                    self.items.push(Item {
                        id,
                        position,
                        text: None,
                    });
                }
            }
            "table" | "tr" | "td" | "th" => self.tables.open(id, e),
            "dl" => self.terms.push((id, None)),
            "form" => self.forms.push(Form {
                id,
                first_block: self.blocks.len(),
                submit: None,
                field: false,
                excluded: role_is(role, &["search"]),
            }),
            _ => {}
        }
        if self.is_block(name) {
            self.kinds.push((id, kind_of(name), self.blocks.len()));
        }
    }

    fn close(&mut self, id: NodeId, e: &Element) {
        let name = e.name();
        if matches!(name, "b" | "strong") {
            self.bold = self.bold.saturating_sub(1);
        }
        if self.anchors.last().is_some_and(|a| a.id == id) {
            self.close_anchor();
        }
        if self.struck.last() == Some(&id) {
            self.struck.pop();
            if self.struck.is_empty() {
                self.mark_struck();
            }
        }
        if self.is_block(name) {
            self.flush();
        }
        if self.kinds.last().is_some_and(|(k, ..)| *k == id) {
            self.kinds.pop();
        }
        if self.lists.last().is_some_and(|l| l.id == id) {
            self.lists.pop();
        }
        if self.items.last().is_some_and(|i| i.id == id) {
            self.items.pop();
        }
        for i in self.tables.close(id, name) {
            if let Some(b) = self.blocks.get_mut(i) {
                b.context.kind = BlockKind::HeaderCell;
                b.context.row_header = None;
            }
        }
        if self.terms.last().is_some_and(|(t, _)| *t == id) {
            self.terms.pop();
        }
        if self.forms.last().is_some_and(|f| f.id == id) {
            self.close_form();
        }
        if name == "details" {
            self.headings.retain(|h| h.scope != Some(id));
        }
        if self.banners.last() == Some(&id) {
            self.banners.pop();
        }
        if self.furniture.last().is_some_and(|(f, ..)| *f == id) {
            self.flush();
            if let Some((_, outside, _)) = self.furniture.pop() {
                self.headings = outside;
            }
        }
    }

    /// Does `name` start and end a block here? A form's `<label>` does: its field stands
    /// between it and the next label, which would otherwise run on ("手机号码服务密码销户原因").
    fn is_block(&self, name: &str) -> bool {
        BLOCKS.contains(&name) || name == "label" && !self.forms.is_empty()
    }

    /// Notes what a control inside the open form offers: a submit control's label, a field to
    /// fill, a search.
    fn control(&mut self, node: NodeRef<'_, Node>, e: &Element) {
        let Some(form) = self.forms.last_mut() else {
            return;
        };
        let kind = e.attr("type").map(str::to_ascii_lowercase);
        match (e.name(), kind.as_deref()) {
            // A button submits unless it says it does something else.
            ("button", None | Some("submit")) => {
                let mut label = String::new();
                for t in node.descendants().take(BUTTON_NODES) {
                    if let Node::Text(t) = t.value() {
                        label.push_str(t);
                        label.push(' ');
                    }
                }
                form.submit = Some(bounded(&display(&label)));
            }
            ("input", Some("submit" | "image")) => {
                let label = e.attr("value").or_else(|| e.attr("alt")).unwrap_or("");
                form.submit = Some(bounded(&display(label)));
            }
            ("input", Some("search")) => form.excluded = true,
            ("input", Some("hidden" | "button" | "reset")) => {}
            ("input" | "select" | "textarea", _) => form.field = true,
            _ => {}
        }
    }

    /// Closes the innermost form: when it can be sent, its blocks get its mark.
    fn close_form(&mut self) {
        let Some(form) = self.forms.pop() else { return };
        let Some(submit) = form.submit.filter(|_| form.field && !form.excluded) else {
            return;
        };
        let mark = FormMark {
            index: self.sendable,
            submit: if submit.is_empty() {
                "submit".to_string()
            } else {
                submit
            },
        };
        self.sendable += 1;
        for b in self.blocks.iter_mut().skip(form.first_block) {
            b.context.form = Some(mark.clone());
        }
    }

    /// Writes a link's target into the text: `[words](target)` around the words when they are
    /// all in the current block, else around the block the link ends in.
    fn close_anchor(&mut self) {
        let Some(a) = self.anchors.pop() else { return };
        let start = if a.flushes == self.flushes {
            a.start
        } else {
            0
        };
        let Some(raw) = self.buf.get(start..) else {
            return;
        };
        let words = display(raw);
        if words.is_empty() {
            // The words went out in a block of their own inside the link (a card link).
            if self.blocks.len() > a.blocks
                && let Some(last) = self.blocks.last_mut()
                && !self_describing(&last.text, &a.target)
                && !last.text.contains("](")
            {
                last.text = links::markdown(&last.text, &a.target);
            }
            return;
        }
        if self_describing(&words, &a.target) {
            return;
        }
        let lead = raw.starts_with(char::is_whitespace);
        let trail = raw.ends_with(char::is_whitespace);
        self.buf.truncate(start);
        if lead {
            self.buf.push(' ');
        }
        self.buf.push_str(&links::markdown(&words, &a.target));
        if trail {
            self.buf.push(' ');
        }
    }

    /// Writes the struck run that started at `struck_from` between [`STRUCK`] marks, its
    /// surrounding spaces outside them.
    fn mark_struck(&mut self) {
        let Some(run) = self.buf.get(self.struck_from..) else {
            return;
        };
        let words = run.trim();
        if words.is_empty() {
            return;
        }
        let start = self.struck_from + (run.len() - run.trim_start().len());
        let end = start + words.len();
        self.buf.insert_str(end, STRUCK);
        self.buf.insert_str(start, STRUCK);
        self.struck_words = true;
    }

    fn is_heading(&self, text: &str) -> bool {
        self.headings.last().is_some_and(|h| h.text == text)
    }

    /// Ends the current block: its text, kind and context become a [`Block`].
    fn flush(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        // A struck element that holds blocks strikes each of them through.
        if !self.struck.is_empty() {
            self.mark_struck();
        }
        let text = display(&self.buf);
        self.buf.clear();
        self.struck_from = 0;
        self.flushes += 1;
        let (plain, bold, struck) = (self.plain_words, self.bold_words, self.struck_words);
        self.plain_words = false;
        self.bold_words = false;
        self.struck_words = false;
        if text.is_empty() {
            return;
        }
        if self.blocks.len() >= self.input.max_blocks {
            self.full = true;
            return;
        }
        let kind = self.kinds.last().map_or(BlockKind::Other, |(_, k, _)| *k);
        let mut context = Context::new(kind);
        context.struck = struck;
        let level = match kind {
            BlockKind::Heading(n) => Some(n),
            _ => None,
        };
        context.headings = self
            .headings
            .iter()
            .filter(|h| level.is_none_or(|n| h.level < n))
            .map(|h| h.text.clone())
            .collect();

        // Cells and descriptions: their table's caption and their term head them too.
        if let Some(item) = self.items.last_mut() {
            context.list = Some(item.position);
            context.lead_in = self.lists.last().and_then(|l| l.lead_in.clone());
            if item.text.is_none() {
                item.text = Some(bounded(&text));
            }
        }
        if let Some((_, term)) = self.terms.last_mut() {
            match kind {
                BlockKind::Term => *term = Some(bounded(&text)),
                BlockKind::Definition => context.headings.extend(term.clone()),
                _ => {}
            }
        }
        self.tables
            .describe(kind, &text, self.blocks.len(), &mut context);
        let excess = context.headings.len().saturating_sub(MAX_HEADINGS);
        context.headings.drain(..excess);

        // What heads the blocks after this one.
        let heading = match kind {
            BlockKind::Heading(n) => Some((n, None)),
            BlockKind::Other
                if self
                    .kinds
                    .last()
                    .is_some_and(|(id, ..)| self.is_summary(*id)) =>
            {
                let details = self
                    .kinds
                    .last()
                    .and_then(|(id, ..)| self.input.doc.tree.get(*id))
                    .and_then(|n| n.parent())
                    .map(|p| p.id());
                Some((SUMMARY_LEVEL, details))
            }
            BlockKind::Paragraph | BlockKind::Other
                if bold && !plain && !self.tables.in_cell() && self.items.is_empty() =>
            {
                let short = at_most_chars(&text, MAX_BOLD_HEADING_CHARS);
                let sentence_end = text.ends_with(['.', '。', ':', '：', ',', '，', ';', '；']);
                (short && !sentence_end).then_some((BOLD_LEVEL, None))
            }
            BlockKind::Paragraph | BlockKind::Other
                // In a form, a short plain line is a field's label, not a heading over the
                // next field's.
                if !bold
                    && !self.tables.in_cell()
                    && self.items.is_empty()
                    && self.forms.is_empty()
                    && plain_heading(&text) =>
            {
                Some((PLAIN_LEVEL, None))
            }
            _ => None,
        };
        if let Some((level, scope)) = heading {
            // A summary heads its details inside whatever heads them; other headings end the
            // sections at their level and below.
            if scope.is_none() {
                self.headings.retain(|h| h.level < level);
            }
            self.headings.push(Heading {
                level,
                text: bounded(&text),
                scope,
            });
        }
        self.blocks.push(Block { text, context });
    }

    fn is_summary(&self, id: NodeId) -> bool {
        self.input
            .doc
            .tree
            .get(id)
            .and_then(|n| n.value().as_element().map(|e| e.name() == "summary"))
            .unwrap_or(false)
    }
}

/// A short line with no punctuation at all: a label over what follows, not a sentence.
fn plain_heading(text: &str) -> bool {
    at_most_chars(text, MAX_PLAIN_HEADING_CHARS)
        && text.chars().any(char::is_alphabetic)
        && !text.contains([
            '.', '。', ':', '：', ',', '，', ';', '；', '!', '！', '?', '？', '、',
        ])
}

#[cfg(test)]
#[path = "walk_tests.rs"]
mod tests;
