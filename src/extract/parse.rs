//! Parse: decoded HTML → a scraper document, in time linear in the page for any shape of HTML.
//!
//! html5ever follows the HTML standard, and the standard's tree builder looks through the stack
//! of open elements on many start tags (is there a `<p>` in button scope?). On a page of 200,000
//! nested `<div>`s that stack is 200,000 deep, so the parse is quadratic (152 s of CPU for one
//! check). Browsers cap the depth for the same reason (Chromium at 512). So does this module: a
//! filter between html5ever's tokenizer and its tree builder drops the start tags that would make
//! the open elements (plus the list of active formatting elements, which the builder also walks)
//! deeper than [`MAX_DEPTH`], and the end tags that close them. Their text is kept: it lands in
//! the element at the cap, so nothing a reader would see is lost, only structure deeper than any
//! real page uses. Void elements (`<br>`) and raw-text elements (`<script>`, `<style>`,
//! `<textarea>`…) always pass, so the tokenizer never reads a script as markup.
//!
//! The depth is learned from the tree builder itself (`trace_handles`) only when a cheap upper
//! bound (the last measured depth plus twice the elements created since) reaches the cap, so a
//! normal page is measured about once per [`MAX_DEPTH`] elements, and a page at the cap costs at
//! most [`MAX_DEPTH`] per start tag. [`Work`] counts it all for tests.

use std::cell::{Cell, Ref, RefCell};
use std::collections::HashMap;

use ego_tree::NodeId;
use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{
    ElementFlags, NodeOrText, QuirksMode, Tracer, TreeBuilder, TreeBuilderOpts, TreeSink,
};
use html5ever::{Attribute, LocalName, QualName, local_name};
use scraper::{Html, HtmlTreeSink};

/// The deepest nesting of open elements the parser builds. Real pages stay far below it (a
/// heavy page nests some 30–60 levels); content deeper than this is kept as text of the element
/// at this depth.
pub const MAX_DEPTH: usize = 256;

/// What a parse cost, in units that bound its time (for tests; cheap to keep).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Tokens the tokenizer produced.
    pub tokens: usize,
    /// Start tags passed to the tree builder.
    pub start_tags: usize,
    /// Start tags dropped at the depth cap.
    pub dropped: usize,
    /// Handles visited measuring the depth.
    pub measured: usize,
    /// With [`Audit::Exact`]: the sum over start tags of the open depth the tree builder may walk.
    pub depth_sum: usize,
    /// The deepest open stack measured.
    pub max_depth: usize,
}

/// How closely the parse watches the depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audit {
    /// Measure only when the cap may be near (production).
    Cheap,
    /// Measure before every start tag, filling [`Work::depth_sum`] (tests: the html5ever cost).
    Exact,
}

/// Parses a whole document with the depth cap.
pub fn parse(html: &str) -> Html {
    parse_counted(html, Audit::Cheap).0
}

/// Parses a whole document with the depth cap, and says what it cost.
pub fn parse_counted(html: &str, audit: Audit) -> (Html, Work) {
    let builder = TreeBuilder::new(
        Counting {
            inner: HtmlTreeSink::new(Html::new_document()),
            created: Cell::new(0),
        },
        TreeBuilderOpts::default(),
    );
    let filter = Capped {
        builder,
        audit,
        bound_base: Cell::new(0),
        created_at_measure: Cell::new(0),
        saturated: Cell::new(false),
        dropped: RefCell::new(HashMap::new()),
        work: Cell::new(Work::default()),
    };
    let tokenizer = Tokenizer::new(filter, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // `Script` results only pause the tokenizer for a script engine; there is none.
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    let work = tokenizer.sink.work.get();
    (tokenizer.sink.builder.sink.inner.finish(), work)
}

/// scraper's tree sink, counting the elements it creates (the only way the open stack grows).
struct Counting {
    inner: HtmlTreeSink,
    created: Cell<usize>,
}

/// The filter between the tokenizer and the tree builder.
struct Capped {
    builder: TreeBuilder<NodeId, Counting>,
    audit: Audit,
    /// Handles counted at the last measure.
    bound_base: Cell<usize>,
    /// `Counting::created` at the last measure.
    created_at_measure: Cell<usize>,
    /// The last measure found the cap reached, and only dropped tags and text came since: the
    /// stack cannot have shrunk, so the next start tag is dropped without measuring again.
    saturated: Cell<bool>,
    /// Start tags dropped per name, whose end tags are dropped too.
    dropped: RefCell<HashMap<LocalName, usize>>,
    work: Cell<Work>,
}

struct CountHandles<'a>(&'a Cell<usize>);

impl Tracer for CountHandles<'_> {
    type Handle = NodeId;
    fn trace_handle(&self, _node: &NodeId) {
        self.0.set(self.0.get() + 1);
    }
}

/// Elements that never nest (void) or whose content the tokenizer reads as text (raw text and
/// RCDATA): they always pass, so no script or style is ever read as markup.
fn always_passes(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
            | local_name!("script")
            | local_name!("style")
            | local_name!("textarea")
            | local_name!("title")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("noscript")
            | local_name!("plaintext")
    )
}

impl Capped {
    fn update(&self, f: impl FnOnce(&mut Work)) {
        let mut w = self.work.get();
        f(&mut w);
        self.work.set(w);
    }

    /// Counts the handles the tree builder holds: open elements, active formatting elements and
    /// a few singletons (document, head, form).
    fn measure(&self) -> usize {
        let n = Cell::new(0);
        self.builder.trace_handles(&CountHandles(&n));
        let n = n.get();
        self.bound_base.set(n);
        self.created_at_measure.set(self.builder.sink.created.get());
        self.update(|w| {
            w.measured += n;
            w.max_depth = w.max_depth.max(n);
        });
        n
    }

    /// Would one more element go past the cap?
    fn at_cap(&self) -> bool {
        if self.saturated.get() {
            return true;
        }
        let n = if self.audit == Audit::Exact {
            let n = self.measure();
            self.update(|w| w.depth_sum += n);
            n
        } else {
            let since = self.builder.sink.created.get() - self.created_at_measure.get();
            // An element created since the last measure is at most on both lists.
            if self.bound_base.get() + 2 * since < MAX_DEPTH {
                return false;
            }
            self.measure()
        };
        let full = n >= MAX_DEPTH;
        self.saturated.set(full);
        full
    }
}

impl TokenSink for Capped {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<NodeId> {
        self.update(|w| w.tokens += 1);
        match &token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                if !always_passes(&tag.name) && self.at_cap() {
                    *self
                        .dropped
                        .borrow_mut()
                        .entry(tag.name.clone())
                        .or_insert(0) += 1;
                    self.update(|w| w.dropped += 1);
                    return TokenSinkResult::Continue;
                }
                self.saturated.set(false);
                self.update(|w| w.start_tags += 1);
            }
            Token::TagToken(tag) => {
                let mut dropped = self.dropped.borrow_mut();
                if let Some(n) = dropped.get_mut(&tag.name).filter(|n| **n > 0) {
                    *n -= 1;
                    return TokenSinkResult::Continue;
                }
                self.saturated.set(false);
            }
            // Text and comments never pop an element; everything else might.
            Token::CharacterTokens(_) | Token::CommentToken(_) | Token::NullCharacterToken => {}
            _ => self.saturated.set(false),
        }
        self.builder.process_token(token, line_number)
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Plain delegation to scraper's sink, counting created elements.
impl TreeSink for Counting {
    type Handle = NodeId;
    type Output = Html;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Html {
        self.inner.finish()
    }
    fn parse_error(&self, msg: std::borrow::Cow<'static, str>) {
        self.inner.parse_error(msg)
    }
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.created.set(self.created.get() + 1);
        self.inner.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(tag: &str, depth: usize, text: &str) -> String {
        format!(
            "<html><body>{}{text}{}<p>after</p></body></html>",
            format!("<{tag}>").repeat(depth),
            format!("</{tag}>").repeat(depth)
        )
    }

    fn depth_of_text(doc: &Html, needle: &str) -> usize {
        let node = doc
            .tree
            .nodes()
            .find(|n| n.value().as_text().is_some_and(|t| t.contains(needle)))
            .expect("text present");
        node.ancestors().count()
    }

    #[test]
    fn a_normal_page_parses_as_html5ever_does() {
        let page = r#"<!doctype html><html><head><title>T</title><script>if (a < b) { x("<div>") }</script></head>
            <body><div><p>One<p>Two<ul><li>a<li>b</ul><table><tr><td>c</table></div>
            <b>bold<i>both</b>italic</i><svg><title>s</title></svg></body></html>"#;
        let ours = parse(page);
        let theirs = Html::parse_document(page);
        assert_eq!(ours.html(), theirs.html());
    }

    #[test]
    fn nesting_below_the_cap_is_untouched() {
        let page = nested("div", MAX_DEPTH - 10, "deep text");
        let (doc, work) = parse_counted(&page, Audit::Cheap);
        assert_eq!(doc.html(), Html::parse_document(&page).html());
        assert_eq!(work.dropped, 0);
    }

    #[test]
    fn deeper_content_lands_at_the_cap_and_keeps_its_text() {
        let page = nested("div", 5_000, "deep text");
        let (doc, work) = parse_counted(&page, Audit::Cheap);
        assert!(work.dropped > 4_000, "{work:?}");
        assert!(work.max_depth <= MAX_DEPTH + 2, "{work:?}");
        // html, body and the divs up to the cap.
        assert!(depth_of_text(&doc, "deep text") <= MAX_DEPTH + 1);
        // The end tags of dropped elements were dropped too: what follows is back in the body.
        assert_eq!(depth_of_text(&doc, "after"), 4);
    }

    #[test]
    fn scripts_at_the_cap_stay_scripts() {
        let page = format!(
            "<html><body>{}<script>var s = '<div>no markup</div>';</script>visible</body></html>",
            "<div>".repeat(2 * MAX_DEPTH)
        );
        let doc = parse(&page);
        let script = scraper::Selector::parse("script").unwrap();
        let text: String = doc.select(&script).flat_map(|e| e.text()).collect();
        assert!(text.contains("no markup"), "{text}");
    }

    #[test]
    fn unclosed_formatting_elements_are_bounded_too() {
        // Each <p> closes the last, but the <b>s stay in the list of active formatting elements
        // and are reopened: the list, not the stack, grows.
        let page: String = (0..5_000).map(|i| format!("<p><b class=c{i}>x")).collect();
        let (_, work) = parse_counted(&page, Audit::Exact);
        assert!(work.max_depth <= MAX_DEPTH + 4, "{work:?}");
    }
}
