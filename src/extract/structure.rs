//! Structure: a block's context (see [`crate::extract::block::Context`], as text) turned into
//! indices of the blocks that give it, for the verdict.
//!
//! Extraction records the headings above a block, the lead-in of its list and its table headers
//! as text. The verdict needs the *readings* of those blocks and which items belong to one list,
//! so each context string is looked up among the blocks before it (a bounded look-back: a
//! heading or lead-in is a block of its own, cut to the same length), and list items are grouped
//! by their position (a new list starts at index 1 at its depth). Nothing here reads words.

use std::borrow::Cow;

use crate::extract::block::{self, BlockKind, Context};

/// How many blocks back a heading, lead-in or header is looked for.
const LOOK_BACK: usize = 400;

/// What kind of element a block is the text of, as the verdict sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    #[default]
    Text,
    Heading,
    Item,
    /// A table cell; `header` for a cell of the table's header row (a question, a label).
    Cell {
        header: bool,
    },
}

/// The blocks that give a block its context, by index into the same block list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub role: Role,
    /// Headings above the block, outermost first.
    pub headings: Vec<usize>,
    /// The block that introduces the list the item is in.
    pub lead_in: Option<usize>,
    /// Items of one list share this id; steps are read together.
    pub list: Option<u32>,
    pub row_header: Option<usize>,
    pub column_header: Option<usize>,
    /// The sendable form the block stands in, if any.
    pub form: Option<block::FormMark>,
    /// The block holds struck-through text ([`block::STRUCK`]), which the verdict does not read.
    pub struck: bool,
}

/// A paragraph that announces a list: "You can cancel your contract:" / 可以通过以下方式：
pub fn introduces(text: &str) -> bool {
    text.ends_with([':', '：']) || text.ends_with("如下") || text.ends_with("以下")
}

/// The places of `texts` from their extracted contexts (missing contexts: plain paragraphs).
pub fn places(texts: &[String], contexts: &[Context]) -> Vec<Place> {
    // Each block cut as its context text is, borrowed unless it is over the cap (an allocation
    // per block was most of this function's cost, issue 16).
    let cut: Vec<Cow<'_, str>> = texts.iter().map(|t| block::bounded_cow(t)).collect();
    // A heading or lead-in is mostly a few blocks back: the look-back stops at the first match.
    let find = |i: usize, wanted: &str| -> Option<usize> {
        (i.saturating_sub(LOOK_BACK)..i)
            .rev()
            .find(|&j| cut[j] == wanted)
    };
    // The current list id at each depth.
    let mut lists: Vec<u32> = Vec::new();
    let mut next = 0u32;
    let mut out = Vec::with_capacity(texts.len());
    for i in 0..texts.len() {
        let Some(c) = contexts.get(i) else {
            out.push(Place::default());
            continue;
        };
        let role = match c.kind {
            BlockKind::Heading(_) | BlockKind::Term | BlockKind::Caption => Role::Heading,
            BlockKind::ListItem => Role::Item,
            BlockKind::Cell => Role::Cell { header: false },
            // A <th> with a row header is a row's label; without one, a column's header.
            BlockKind::HeaderCell => Role::Cell {
                header: c.row_header.is_none() && c.col_header.is_none(),
            },
            BlockKind::Paragraph | BlockKind::Definition | BlockKind::Other => Role::Text,
        };
        let list = c.list.map(|p| {
            let depth = p.depth.max(1);
            lists.truncate(depth);
            if p.index <= 1 || lists.len() < depth {
                next += 1;
                lists.resize(depth - 1, 0);
                lists.push(next);
            }
            lists[depth - 1]
        });
        out.push(Place {
            role,
            headings: c.headings.iter().filter_map(|h| find(i, h)).collect(),
            lead_in: c.lead_in.as_deref().and_then(|l| find(i, l)),
            list,
            row_header: c.row_header.as_deref().and_then(|r| find(i, r)),
            column_header: c.col_header.as_deref().and_then(|h| find(i, h)),
            form: c.form.clone(),
            struck: c.struck,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{LOOK_BACK, places};
    use crate::extract::block::{self, BlockKind, Context};

    fn under(heading: &str) -> Context {
        let mut c = Context::new(BlockKind::Paragraph);
        c.headings.push(block::bounded(heading));
        c
    }

    #[test]
    fn a_context_is_the_nearest_block_before_with_its_text() {
        let texts: Vec<String> = ["Cancel", "a", "Cancel", "b"].map(String::from).into();
        let contexts = vec![
            Context::new(BlockKind::Heading(2)),
            under("Cancel"),
            Context::new(BlockKind::Heading(2)),
            under("Cancel"),
        ];
        let p = places(&texts, &contexts);
        assert_eq!(p[1].headings, vec![0]);
        assert_eq!(p[3].headings, vec![2]);
        // Not a block after it, nor one that is not there.
        assert_eq!(
            places(&texts[..2], &[under("Cancel"), under("x")])[0].headings,
            Vec::<usize>::new()
        );
    }

    #[test]
    fn a_long_heading_is_found_by_its_cut_and_only_within_the_look_back() {
        let long = "終止服務".repeat(100);
        let mut texts = vec![long.clone()];
        let mut contexts = vec![Context::new(BlockKind::Heading(2))];
        for i in 0..LOOK_BACK + 1 {
            texts.push(format!("item {i}"));
            contexts.push(under(&long));
        }
        let p = places(&texts, &contexts);
        assert_eq!(p[1].headings, vec![0]);
        assert_eq!(p[LOOK_BACK].headings, vec![0]);
        assert!(p[LOOK_BACK + 1].headings.is_empty());
    }
}
