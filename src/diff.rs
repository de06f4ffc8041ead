//! Diff: the latest stored blocks vs the new ones → a [`Change`]: what left, what came, how much it
//! matters.
//!
//! The diff is block-level (a block is a paragraph, list item or cell), so a reworded sentence
//! shows as one removed and one added block, quoted whole. Severity says whether the online
//! cancellation verdict flipped, whether cancellation wording changed, or only other wording did.
//! Character-level highlighting inside a changed block is a rendering concern (see `report`).

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::extract::Context;
use crate::extract::block::{BlockKind, cut_chars};
use crate::extract::links::links_in;
use crate::extract::verdict::Verdict;

/// How much a change matters to someone asking "can I cancel online?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Other wording in the watched region.
    Wording,
    /// Cancellation wording (ending, fees, refunds) changed.
    Cancellation,
    /// The online cancellation verdict itself changed.
    Verdict,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Wording => "wording",
            Severity::Cancellation => "cancellation",
            Severity::Verdict => "verdict",
        }
    }
}

/// One run of removed and/or added blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hunk {
    pub removed: Vec<String>,
    pub added: Vec<String>,
    /// Any block on either side carries cancellation wording.
    pub cancellation: bool,
    /// Where each added block stands on the new page ("Mobile Disconnection Request › column:
    /// Online"), for a block that does not stand on its own: a table cell, a list item, a short
    /// line. Empty strings elsewhere; an empty list when the new side's places are not known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added_context: Vec<String>,
}

/// A link whose words stayed while its target moved: "Disconnection Form → https://…".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkChange {
    pub text: String,
    pub from: String,
    pub to: String,
}

/// A block shorter than this reads as a label, not a statement: its place is shown with it.
const SHORT_BLOCK_CHARS: usize = 40;
/// The place shown with a block is cut to this many characters.
const PLACE_CHARS: usize = 160;

/// The place worth showing with `block`, or an empty string: a cell "Y" means nothing without
/// its row and column, an item "By fax" nothing without its lead-in.
pub fn shown_place(block: &str, context: &Context) -> String {
    if context.is_empty() {
        return String::new();
    }
    let needs = matches!(
        context.kind,
        BlockKind::Cell | BlockKind::HeaderCell | BlockKind::ListItem | BlockKind::Definition
    ) || block.chars().nth(SHORT_BLOCK_CHARS).is_none();
    if needs {
        cut_chars(&context.to_string(), PLACE_CHARS)
    } else {
        String::new()
    }
}

/// Links looked at per side of a hunk, so a huge hunk costs a bounded pairing.
const MAX_LINKS: usize = 200;

impl Hunk {
    /// The place shown with added block `i`, if any.
    pub fn added_place(&self, i: usize) -> Option<&str> {
        self.added_context
            .get(i)
            .map(String::as_str)
            .filter(|c| !c.is_empty())
    }

    /// Links (see `extract::links`) whose words are on both sides of the hunk with different
    /// targets: a form that moved, said plainly.
    pub fn link_changes(&self) -> Vec<LinkChange> {
        let side = |blocks: &[String]| -> Vec<(String, String)> {
            blocks
                .iter()
                .flat_map(|b| links_in(b))
                .take(MAX_LINKS)
                .map(|l| (l.text.to_string(), l.target.to_string()))
                .collect()
        };
        let (old, new) = (side(&self.removed), side(&self.added));
        let mut out: Vec<LinkChange> = Vec::new();
        for (text, from) in &old {
            if new.iter().any(|(t, to)| t == text && to == from) {
                continue;
            }
            let moved = new
                .iter()
                .find(|(t, to)| t == text && !old.iter().any(|(ot, of)| ot == t && of == to));
            if let Some((_, to)) = moved
                && !out.iter().any(|c| &c.text == text && &c.to == to)
            {
                out.push(LinkChange {
                    text: text.clone(),
                    from: from.clone(),
                    to: to.clone(),
                });
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub hunks: Vec<Hunk>,
    pub severity: Severity,
    pub verdict_before: Verdict,
    pub verdict_after: Verdict,
}

impl Change {
    pub fn removed_count(&self) -> usize {
        self.hunks.iter().map(|h| h.removed.len()).sum()
    }
    pub fn added_count(&self) -> usize {
        self.hunks.iter().map(|h| h.added.len()).sum()
    }
    /// Cancellation hunks first, each group in page order.
    pub fn ordered_hunks(&self) -> impl Iterator<Item = &Hunk> {
        let (c, o): (Vec<&Hunk>, Vec<&Hunk>) = self.hunks.iter().partition(|h| h.cancellation);
        c.into_iter().chain(o)
    }
}

/// One side of a diff: blocks, which of them are cancellation wording, and the page's verdict.
pub struct Side<'a> {
    pub blocks: &'a [String],
    pub cancellation: &'a [bool],
    /// Each block's place, when known (a fresh extraction); empty for a stored version.
    pub contexts: &'a [Context],
    pub verdict: Verdict,
}

/// Does the range `from..to` of `blocks` hold one block repeated (and at least one)?
fn one_block(blocks: &[String], from: usize, to: usize) -> bool {
    match (blocks.get(from), blocks.get(from..to)) {
        (Some(first), Some(range)) => range.iter().all(|b| b == first),
        _ => false,
    }
}

/// A removal and an addition that an equal run of one repeated block separates, the added (or
/// removed) blocks being that same block, become one replacement in place: in a table row of
/// `N | N | Y` that became `N | Y | Y`, the diff's "N removed here, Y added there" is the same
/// edit as "the second cell went from N to Y", which is what the reader sees and what the cell's
/// place (column and row) says (round 35's walk-through). Pure: the ops still turn `old` into
/// `new`.
fn slide(ops: Vec<DiffOp>, old: &[String], new: &[String]) -> Vec<DiffOp> {
    let mut out: Vec<DiffOp> = Vec::with_capacity(ops.len());
    let mut i = 0;
    while i < ops.len() {
        if let Some(pair) = slid(&ops[i..], old, new) {
            out.extend(pair);
            i += 3;
        } else {
            out.push(ops[i]);
            i += 1;
        }
    }
    out
}

/// The replacement and equal run that the first three of `ops` slide to, if they are a
/// removal, an equal run and an addition (or the other way round) over one repeated block.
fn slid(ops: &[DiffOp], old: &[String], new: &[String]) -> Option<[DiffOp; 2]> {
    match *ops {
        [
            DiffOp::Delete {
                old_index, old_len, ..
            },
            DiffOp::Equal {
                old_index: eq_old,
                new_index: eq_new,
                len,
            },
            DiffOp::Insert {
                new_index: ins,
                new_len,
                ..
            },
            ..,
        ] if one_block(new, eq_new, ins + new_len) => Some([
            DiffOp::Replace {
                old_index,
                old_len,
                new_index: eq_new,
                new_len,
            },
            DiffOp::Equal {
                old_index: eq_old,
                new_index: eq_new + new_len,
                len,
            },
        ]),
        [
            DiffOp::Insert {
                new_index, new_len, ..
            },
            DiffOp::Equal {
                old_index: eq_old,
                new_index: eq_new,
                len,
            },
            DiffOp::Delete {
                old_index: del,
                old_len,
                ..
            },
            ..,
        ] if one_block(old, eq_old, del + old_len) => Some([
            DiffOp::Replace {
                old_index: eq_old,
                old_len,
                new_index,
                new_len,
            },
            DiffOp::Equal {
                old_index: eq_old + old_len,
                new_index: eq_new,
                len,
            },
        ]),
        _ => None,
    }
}

/// Compares two versions. `None` when the blocks are identical.
pub fn diff(old: &Side<'_>, new: &Side<'_>) -> Option<Change> {
    // The common case, the same text again, needs no diff: equal blocks give no hunk.
    if old.blocks == new.blocks && old.verdict == new.verdict {
        return None;
    }
    let ops = slide(
        capture_diff_slices(Algorithm::Patience, old.blocks, new.blocks),
        old.blocks,
        new.blocks,
    );
    let mut hunks: Vec<Hunk> = Vec::new();
    let mut open: Option<Hunk> = None;
    let marked = |side: &Side<'_>, i: usize| side.cancellation.get(i).copied().unwrap_or(false);
    for op in ops {
        let (old_range, new_range) = match op {
            DiffOp::Equal { .. } => {
                hunks.extend(open.take());
                continue;
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => (old_index..old_index + old_len, 0..0),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (0..0, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        let h = open.get_or_insert_with(|| Hunk {
            removed: Vec::new(),
            added: Vec::new(),
            cancellation: false,
            added_context: Vec::new(),
        });
        for i in old_range {
            h.cancellation |= marked(old, i);
            h.removed.push(old.blocks[i].clone());
        }
        for i in new_range {
            h.cancellation |= marked(new, i);
            h.added.push(new.blocks[i].clone());
            if new.contexts.len() == new.blocks.len() {
                h.added_context
                    .push(shown_place(&new.blocks[i], &new.contexts[i]));
            }
        }
    }
    hunks.extend(open);
    for h in &mut hunks {
        if h.added_context.iter().all(String::is_empty) {
            h.added_context = Vec::new();
        }
    }
    if hunks.is_empty() && old.verdict == new.verdict {
        return None;
    }
    let severity = if old.verdict != new.verdict {
        Severity::Verdict
    } else if hunks.iter().any(|h| h.cancellation) {
        Severity::Cancellation
    } else {
        Severity::Wording
    };
    Some(Change {
        hunks,
        severity,
        verdict_before: old.verdict,
        verdict_after: new.verdict,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn identical_is_none() {
        let b = v(&["a", "b"]);
        let s = Side {
            blocks: &b,
            cancellation: &[false, false],
            contexts: &[],
            verdict: Verdict::Unknown,
        };
        assert!(diff(&s, &s).is_none());
    }

    #[test]
    fn replaced_block_is_one_hunk_with_severity() {
        let old = v(&["Intro", "Terminate at a shop.", "Footer"]);
        let new = v(&["Intro", "Terminate online.", "Footer", "New tail"]);
        let c = diff(
            &Side {
                blocks: &old,
                cancellation: &[false, true, false],
                contexts: &[],
                verdict: Verdict::NotSupported,
            },
            &Side {
                blocks: &new,
                cancellation: &[false, true, false, false],
                contexts: &[],
                verdict: Verdict::Supported,
            },
        )
        .unwrap();
        assert_eq!(c.severity, Severity::Verdict);
        assert_eq!(c.hunks.len(), 2);
        assert_eq!(c.hunks[0].removed, v(&["Terminate at a shop."]));
        assert_eq!(c.hunks[0].added, v(&["Terminate online."]));
        assert!(c.hunks[0].cancellation);
        assert!(!c.hunks[1].cancellation);
        assert_eq!((c.removed_count(), c.added_count()), (1, 2));
        let order: Vec<bool> = c.ordered_hunks().map(|h| h.cancellation).collect();
        assert_eq!(order, vec![true, false]);
    }

    #[test]
    fn a_moved_link_is_named() {
        let h = Hunk {
            removed: v(&[
                "Send the [Disconnection Form](https://x.example/d.pdf) by fax or [mail](mailto:a@x.example).",
            ]),
            added: v(&[
                "Send the [Disconnection Form](https://x.example/online) by fax or [mail](mailto:a@x.example).",
            ]),
            cancellation: true,
            added_context: Vec::new(),
        };
        assert_eq!(
            h.link_changes(),
            vec![LinkChange {
                text: "Disconnection Form".into(),
                from: "https://x.example/d.pdf".into(),
                to: "https://x.example/online".into(),
            }]
        );
        let reworded = Hunk {
            removed: v(&["[Form](https://x.example/a)"]),
            added: v(&["[New form](https://x.example/b)"]),
            cancellation: false,
            added_context: Vec::new(),
        };
        assert!(reworded.link_changes().is_empty());
    }

    #[test]
    fn wording_only() {
        let old = v(&["a"]);
        let new = v(&["b"]);
        let side = |b| Side {
            blocks: b,
            cancellation: &[false],
            contexts: &[],
            verdict: Verdict::Unknown,
        };
        assert_eq!(
            diff(&side(&old), &side(&new)).unwrap().severity,
            Severity::Wording
        );
    }

    #[test]
    fn a_place_is_shown_only_where_the_block_needs_it() {
        let mut cell = Context::new(BlockKind::Cell);
        cell.row_header = Some("Prepaid SIM".into());
        cell.col_header = Some("Online".into());
        assert_eq!(shown_place("Y", &cell), "column: Online › row: Prepaid SIM");
        let mut para = Context::new(BlockKind::Paragraph);
        para.headings = vec!["Terms".into()];
        let long = "You may end this agreement by giving us thirty days' notice in writing.";
        assert_eq!(shown_place(long, &para), "");
        assert_eq!(shown_place("By fax only.", &para), "Terms");
        assert_eq!(shown_place("Y", &Context::new(BlockKind::Cell)), "");
        para.headings = vec!["x".repeat(500)];
        let cut = shown_place("Y", &para);
        assert!(
            cut.ends_with('…') && cut.chars().count() <= PLACE_CHARS + 1,
            "{cut}"
        );
    }

    /// Round 35's walk-through: a cell of a row that went from N to Y is one replacement at
    /// that cell, whichever of the equal cells the diff aligned.
    #[test]
    fn a_changed_cell_among_equal_cells_is_replaced_in_place() {
        for (old, new, at) in [
            (v(&["row", "N", "N", "Y"]), v(&["row", "N", "Y", "Y"]), 2),
            (v(&["row", "Y", "N", "N"]), v(&["row", "Y", "Y", "N"]), 2),
            (v(&["row", "N", "Y", "Y"]), v(&["row", "N", "N", "Y"]), 2),
        ] {
            let side = |b| Side {
                blocks: b,
                cancellation: &[],
                contexts: &[],
                verdict: Verdict::Unknown,
            };
            let ops = slide(
                capture_diff_slices(Algorithm::Patience, &old, &new),
                &old,
                &new,
            );
            // The ops still turn old into new: equal ranges match, and the new ranges tile.
            let (mut rebuilt, mut consumed) = (Vec::new(), Vec::new());
            for op in &ops {
                if let DiffOp::Equal { .. } = op {
                    assert_eq!(old[op.old_range()], new[op.new_range()]);
                }
                rebuilt.extend(new[op.new_range()].iter().cloned());
                consumed.extend(old[op.old_range()].iter().cloned());
            }
            assert_eq!(consumed, old);
            assert_eq!(rebuilt, new);
            let c = diff(&side(&old), &side(&new)).unwrap();
            assert_eq!(c.hunks.len(), 1, "{old:?} → {new:?}: {:?}", c.hunks);
            assert_eq!(c.hunks[0].removed, vec![old[at].clone()]);
            assert_eq!(c.hunks[0].added, vec![new[at].clone()]);
        }
        // Not across an equal run of other blocks.
        let old = v(&["a", "N", "b", "c"]);
        let new = v(&["a", "b", "c", "Y"]);
        let side = |b| Side {
            blocks: b,
            cancellation: &[],
            contexts: &[],
            verdict: Verdict::Unknown,
        };
        assert_eq!(diff(&side(&old), &side(&new)).unwrap().hunks.len(), 2);
    }
}
