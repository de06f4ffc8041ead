//! Bound: how much of a change, or of a digest, one email shows.
//!
//! A 1 MB page whose 50,000 paragraphs all changed once made a 21.6 MB alert, stored in the
//! outbox and uploaded again on every retry. So every rendered alert is bounded: the first
//! [`MAX_BLOCKS_PER_KIND`] removed and added blocks of each section (cancellation wording, other
//! wording), each block cut at [`MAX_BLOCK_CHARS`], within a byte budget for all changed blocks,
//! then one line saying how many more there are and which command shows them all. Evidence
//! quotes are cut at [`MAX_EVIDENCE_CHARS`] but never dropped: the verdict box stays whole. The
//! digest has its own budget. Pure functions; `report` and `digest` do the rendering.

use std::borrow::Cow;

use crate::diff::Hunk;

/// Removed (or added) blocks shown per section of an alert.
pub const MAX_BLOCKS_PER_KIND: usize = 40;
/// A longer block is cut here, with "…".
pub const MAX_BLOCK_CHARS: usize = 1_000;
/// An evidence sentence in the verdict box is cut here, with "…".
pub const MAX_EVIDENCE_CHARS: usize = 600;
/// Deciding sentences quoted per side of the verdict box; the rest are counted, not quoted.
pub const MAX_EVIDENCE_LINES: usize = 3;
/// Per-product answers shown in the verdict box, and the characters kept of each name.
pub const MAX_PRODUCTS: usize = 8;
pub const MAX_PRODUCT_CHARS: usize = 60;
/// Bytes of changed blocks in the plain-text part of one alert.
pub const CHANGED_TEXT_BYTES: usize = 96 * 1024;
/// Bytes of changed blocks in the HTML part (markup and escaping make it larger than the text).
pub const CHANGED_HTML_BYTES: usize = 192 * 1024;
/// Text and HTML together, for any alert or digest: what the tests hold rendering to. The parts
/// outside the changed blocks (headline, verdict box, footer) are bounded by the counts and cuts
/// above, and this leaves room for them.
pub const MAX_ALERT_BYTES: usize = 384 * 1024;
/// A digest item (one held change, already bounded) is cut to this many bytes of text.
pub const DIGEST_ITEM_BYTES: usize = 16 * 1024;
/// Bytes of items in the plain-text part of a digest; the HTML part gets twice this.
pub const DIGEST_TEXT_BYTES: usize = 96 * 1024;
/// Later items beyond the budget are still named, up to this many.
pub const DIGEST_MORE_NAMED: usize = 50;

/// `s` cut to at most `max` characters, "…" marking the cut.
pub fn cut(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((end, _)) => {
            let keep = s[..end]
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(end, |(i, _)| i);
            Cow::Owned(format!("{}…", &s[..keep]))
        }
    }
}

/// `s` cut to at most `max` bytes at the end of a line (or of a character when one line is
/// longer), "…" on its own line marking the cut.
pub fn cut_bytes(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max {
        return Cow::Borrowed(s);
    }
    let end = s.floor_char_boundary(max);
    let end = s[..end].rfind('\n').map_or(end, |i| i + 1);
    let mut out = s[..end].to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("…\n");
    Cow::Owned(out)
}

/// 49200 → "49,200".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// The line that ends a bounded alert.
pub fn more_blocks_line(omitted: usize, target: &str) -> String {
    format!(
        "… and {} more changed block{}: run `policywatch diff {target}`",
        thousands(omitted),
        if omitted == 1 { "" } else { "s" }
    )
}

/// What one section of an alert may still show: a count per kind, and the shared byte budget.
pub struct Allowance {
    removed: usize,
    added: usize,
}

impl Allowance {
    pub fn new() -> Allowance {
        Allowance {
            removed: MAX_BLOCKS_PER_KIND,
            added: MAX_BLOCKS_PER_KIND,
        }
    }

    /// The part of `h` this section may still show, blocks cut to length, and how many blocks
    /// were left out.
    pub fn take(&mut self, h: &Hunk) -> (Hunk, usize) {
        let take = |blocks: &[String], left: &mut usize| -> Vec<String> {
            let n = blocks.len().min(*left);
            *left -= n;
            blocks[..n]
                .iter()
                .map(|b| cut(b, MAX_BLOCK_CHARS).into_owned())
                .collect()
        };
        let removed = take(&h.removed, &mut self.removed);
        let added = take(&h.added, &mut self.added);
        let added_context = h.added_context.iter().take(added.len()).cloned().collect();
        let omitted = h.removed.len() + h.added.len() - removed.len() - added.len();
        (
            Hunk {
                removed,
                added,
                cancellation: h.cancellation,
                added_context,
            },
            omitted,
        )
    }
}

impl Default for Allowance {
    fn default() -> Self {
        Allowance::new()
    }
}

/// Bytes of changed blocks still allowed in an alert's two parts.
pub struct Budget {
    text: usize,
    html: usize,
    exhausted: bool,
}

impl Budget {
    pub fn new() -> Budget {
        Budget {
            text: CHANGED_TEXT_BYTES,
            html: CHANGED_HTML_BYTES,
            exhausted: false,
        }
    }

    /// Whether this much more still fits (never once the budget is closed).
    pub fn room_for(&self, text: usize, html: usize) -> bool {
        !self.exhausted && text <= self.text && html <= self.html
    }

    /// Uses up room that [`Budget::room_for`] said is there.
    pub fn take(&mut self, text: usize, html: usize) {
        self.text = self.text.saturating_sub(text);
        self.html = self.html.saturating_sub(html);
    }

    /// Nothing more is shown after the first part that did not fit whole, so an alert shows a
    /// prefix of the change in page order, not a scattering.
    pub fn close(&mut self) {
        self.exhausted = true;
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_counts_characters_and_marks_the_cut() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "ab…");
        assert_eq!(cut("終止服務申請", 4), "終止服…");
        assert_eq!(cut("終止服務申請", 4).chars().count(), 4);
        assert_eq!(cut("", 0), "");
    }

    #[test]
    fn cut_bytes_ends_on_a_line() {
        assert_eq!(cut_bytes("ab\ncd\n", 10), "ab\ncd\n");
        assert_eq!(cut_bytes("ab\ncd\nef\n", 7), "ab\ncd\n…\n");
        assert_eq!(cut_bytes("終止服務", 7), "終止\n…\n");
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(49_200), "49,200");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn allowance_takes_a_prefix_of_each_kind() {
        let h = Hunk {
            removed: vec!["x".repeat(MAX_BLOCK_CHARS + 5); MAX_BLOCKS_PER_KIND + 2],
            added: vec!["y".into(); 3],
            cancellation: false,
            added_context: vec!["a › column: b".into(); 3],
        };
        let mut a = Allowance::new();
        let (kept, omitted) = a.take(&h);
        assert_eq!((kept.removed.len(), kept.added.len(), omitted), (40, 3, 2));
        assert_eq!(kept.added_context.len(), 3);
        assert_eq!(kept.removed[0].chars().count(), MAX_BLOCK_CHARS);
        assert!(kept.removed[0].ends_with('…'));
        let (kept, omitted) = a.take(&h);
        assert_eq!((kept.removed.len(), kept.added.len(), omitted), (0, 3, 42));
    }

    #[test]
    fn a_closed_budget_has_no_room() {
        let mut b = Budget::new();
        assert!(b.room_for(CHANGED_TEXT_BYTES, CHANGED_HTML_BYTES));
        assert!(!b.room_for(CHANGED_TEXT_BYTES + 1, 0));
        b.take(CHANGED_TEXT_BYTES - 10, 10);
        assert!(b.room_for(10, 10) && !b.room_for(11, 10));
        b.close();
        assert!(!b.room_for(0, 0));
    }
}
