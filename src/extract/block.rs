//! Block: one unit of watched text (a paragraph, list item, cell…) with the context a reader
//! uses to understand it: the headings above it, the sentence that introduces its list, its
//! table headers.
//!
//! Only [`Block::text`] is stored, diffed and emailed; the context is for the verdict (a list item
//! under "Mobile Disconnection Request" is about ending the service) and for `inspect`. Context is
//! bounded: at most [`MAX_HEADINGS`] headings, each context string at most [`MAX_CONTEXT_CHARS`].

use std::borrow::Cow;
use std::fmt;

/// Headings kept in a block's chain (the innermost ones).
pub const MAX_HEADINGS: usize = 8;
/// Characters kept of a heading, lead-in or header (then "…").
pub const MAX_CONTEXT_CHARS: usize = 200;
/// Most blocks one page's selection (or one PDF) may give; more is an error, never a cut
/// version. The largest real page or PDF we watch gives a few thousand blocks (see BENCHMARKS.md),
/// while a hostile 10 MiB page of tiny elements gives ~500,000 and would take ~500 MB to assess
/// and ~50 MB per stored version. Enforced while the blocks are made, so no more are ever built.
pub const MAX_BLOCKS: usize = 20_000;

/// Written before and after a run of struck-through text in a block's text: the page keeps the
/// words but withdraws them, and a reader of the diff sees it ("~~Cancel online in My Account~~
/// Call us to cancel"). Striking a sentence through is a change of the text, so it is reported.
pub const STRUCK: &str = "~~";

/// A block's text cut at its struck runs (see [`STRUCK`]), in order: each piece with whether the
/// page strikes it through, the marks left out. A mark without its pair stays in the text.
pub fn struck_pieces(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(STRUCK) {
        let after = &rest[open + STRUCK.len()..];
        let Some(close) = after.find(STRUCK) else {
            break;
        };
        out.push((false, &rest[..open]));
        out.push((true, &after[..close]));
        rest = &after[close + STRUCK.len()..];
    }
    out.push((false, rest));
    out
}

/// A block's text without its struck runs (see [`STRUCK`]): what the page still says. A mark
/// without its pair is left as it is.
pub fn without_struck(text: &str) -> Cow<'_, str> {
    if !text.contains(STRUCK) {
        return Cow::Borrowed(text);
    }
    let kept: String = struck_pieces(text)
        .into_iter()
        .filter(|(struck, _)| !struck)
        .map(|(_, piece)| piece)
        .collect();
    Cow::Owned(kept.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// What kind of element holds a block's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// `<h1>`…`<h6>`: the level.
    Heading(u8),
    Paragraph,
    ListItem,
    /// `<dt>`: a term of a definition list.
    Term,
    /// `<dd>`: the description of the term before it.
    Definition,
    /// `<td>`.
    Cell,
    /// `<th>`.
    HeaderCell,
    /// A table's `<caption>`.
    Caption,
    /// Anything else: text directly in a `<div>`, `<section>`, `<summary>`…
    Other,
}

/// Where a list item sits in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListPosition {
    /// 1-based, among the items of its own list.
    pub index: usize,
    /// `<ol>`: steps, in order.
    pub ordered: bool,
    /// 1 for a top-level list, 2 for a list inside a list item…
    pub depth: usize,
}

/// The context a reader uses to understand a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub kind: BlockKind,
    /// The headings above the block, outermost first: `<h1>`–`<h6>`, a bold-only line that
    /// stands as a heading, a `<summary>` over its `<details>`; for a `<dd>` its `<dt>`, for a
    /// table cell the table's `<caption>`.
    pub headings: Vec<String>,
    /// For a list item: the block just before its list ("You can cancel by:"), or for a nested
    /// list the item it sits in.
    pub lead_in: Option<String>,
    pub list: Option<ListPosition>,
    /// For a table cell: the first cell of its row, when it is not that cell.
    pub row_header: Option<String>,
    /// For a table cell: the header (`<th>`) of its column.
    pub col_header: Option<String>,
    /// For a block inside a `<form>` that can be sent: the form's mark.
    pub form: Option<FormMark>,
    /// The block holds text the page strikes through (`<del>`, `<s>`, `<strike>`, a
    /// line-through style), written into [`Block::text`] between [`STRUCK`] marks.
    pub struck: bool,
}

/// A `<form>` a reader can fill in and send on the page itself: it has a submit control and a
/// field to fill (text, a choice, a date, a file), and is no search. Its blocks (legends, labels, headings inside it) share the mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormMark {
    /// 0-based, among the page's sendable forms.
    pub index: u32,
    /// The label of its last submit control ("Submit request", 提交申請), bounded; the value
    /// "submit" when the control has none.
    pub submit: String,
}

impl Context {
    pub fn new(kind: BlockKind) -> Context {
        Context {
            kind,
            headings: Vec::new(),
            lead_in: None,
            list: None,
            row_header: None,
            col_header: None,
            form: None,
            struck: false,
        }
    }

    /// True when the block has nothing around it worth showing.
    pub fn is_empty(&self) -> bool {
        self.headings.is_empty()
            && self.lead_in.is_none()
            && self.row_header.is_none()
            && self.col_header.is_none()
    }
}

/// Shown before a block: `Mobile Disconnection Request › You can cancel by: ›` — the path a
/// reader follows to it, most general first.
impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = self.headings.clone();
        if let Some(l) = &self.lead_in {
            parts.push(l.clone());
        }
        if let Some(c) = &self.col_header {
            parts.push(format!("column: {c}"));
        }
        if let Some(r) = &self.row_header {
            parts.push(format!("row: {r}"));
        }
        f.write_str(&parts.join(" › "))
    }
}

/// A block of watched text with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub text: String,
    pub context: Context,
}

impl Block {
    /// A block with no context (text from a PDF, or from a test).
    pub fn plain(text: impl Into<String>) -> Block {
        Block {
            text: text.into(),
            context: Context::new(BlockKind::Paragraph),
        }
    }
}

/// Splits blocks into their texts (what is stored and diffed) and their contexts.
pub fn split(blocks: Vec<Block>) -> (Vec<String>, Vec<Context>) {
    blocks.into_iter().map(|b| (b.text, b.context)).unzip()
}

/// Whether `text` has at most `n` characters, looking at no more than `n + 1` of them.
pub fn at_most_chars(text: &str, n: usize) -> bool {
    text.chars().nth(n).is_none()
}

/// The first `n` characters of `text`, borrowed (all of it when shorter).
pub fn first_chars(text: &str, n: usize) -> &str {
    text.char_indices().nth(n).map_or(text, |(i, _)| &text[..i])
}

/// The last `n` characters of `text`, borrowed (all of it when shorter).
pub fn last_chars(text: &str, n: usize) -> &str {
    if n == 0 {
        return &text[text.len()..];
    }
    text.char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(text, |(i, _)| &text[i..])
}

/// Cuts context text to [`MAX_CONTEXT_CHARS`].
pub fn bounded(text: &str) -> String {
    cut_chars(text, MAX_CONTEXT_CHARS)
}

/// [`bounded`], borrowed when the text is within the cap (most blocks are).
pub fn bounded_cow(text: &str) -> Cow<'_, str> {
    cut_chars_cow(text, MAX_CONTEXT_CHARS)
}

/// A label of at most `max` characters and the text after its colon ("eSIM：…", "Amir
/// (Thistle): …"). The colon is looked for in the first `max` + 1 characters only, so each
/// sentence of a huge paragraph does not scan the whole paragraph again (one paragraph of 40,000
/// sentences took 25 s before, 0.2 s after).
pub fn split_label(text: &str, max: usize) -> Option<(&str, &str)> {
    let head = first_chars(text, max + 1);
    let at = head.find([':', '：'])?;
    let (label, rest) = text.split_at(at);
    let colon = rest.chars().next().map_or(0, char::len_utf8);
    Some((label, &rest[colon..]))
}

/// `text`'s first `max` characters, with "…" after them when it had more.
pub fn cut_chars(text: &str, max: usize) -> String {
    cut_chars_cow(text, max).into_owned()
}

/// [`cut_chars`], borrowed when nothing is cut. No more bytes than `max` means no more
/// characters either, so a short text is not walked.
fn cut_chars_cow(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
    }
}

#[cfg(test)]
mod tests {
    use super::without_struck;

    #[test]
    fn struck_runs_are_left_out_and_a_lone_mark_stays() {
        assert_eq!(without_struck("Keep ~~old words~~ new"), "Keep new");
        assert_eq!(without_struck("~~all gone~~"), "");
        assert_eq!(without_struck("~~a~~ b ~~c~~ d"), "b d");
        assert_eq!(without_struck("a ~~ b"), "a ~~ b");
        assert!(matches!(
            without_struck("nothing struck"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
