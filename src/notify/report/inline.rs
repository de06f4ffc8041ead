//! Inline diff: two versions of one block → escaped HTML with the words (or CJK characters) that
//! differ marked, so that a 三十 → 七 inside a long Chinese sentence stands out. Pure.

use super::{escape_html, page_html};

/// Splits text for an inline diff: each CJK character is a token (Chinese has no spaces, so a
/// changed 三十 → 七 must show as those characters), other text splits into words and spaces.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut kind = 0u8; // 0 none, 1 word, 2 space
    for (i, c) in s.char_indices() {
        let k = if crate::extract::normalise::is_cjk(c) {
            3
        } else if c.is_whitespace() {
            2
        } else if c.is_alphanumeric() {
            1
        } else {
            4
        };
        // CJK characters and punctuation stand alone; words and spaces run together.
        if i > start && (k != kind || k >= 3) {
            out.push(&s[start..i]);
            start = i;
        }
        kind = k;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

const DEL_MARK: &str = "<del style=\"background:#ffcecb;text-decoration:line-through\">";
const INS_MARK: &str = "<ins style=\"background:#aceebb;text-decoration:none;font-weight:bold\">";

/// Inline diff of two versions of a block, as escaped HTML with the differing words (or CJK
/// characters) wrapped in `<del>`/`<ins>`. When the two share little, marking pieces would be
/// noise: the blocks are returned whole and the red/green rows say enough.
pub fn inline_diff(old: &str, new: &str) -> (String, String) {
    // A run struck through on either side is drawn as the page draws it, so the lines are shown
    // whole: marks of a word diff inside a struck run would not nest.
    let struck = crate::extract::block::STRUCK;
    if old.contains(struck) || new.contains(struck) {
        return (page_html(old), page_html(new));
    }
    let (a, b) = (tokens(old), tokens(new));
    let ops = similar::capture_diff_slices(similar::Algorithm::Patience, &a, &b);
    let same: usize = ops
        .iter()
        .filter_map(|op| match op {
            similar::DiffOp::Equal { old_index, len, .. } => Some(
                a[*old_index..old_index + len]
                    .iter()
                    .map(|t| t.len())
                    .sum::<usize>(),
            ),
            _ => None,
        })
        .sum();
    if same * 2 < old.len().max(new.len()) {
        return (escape_html(old), escape_html(new));
    }
    let (mut o, mut n) = (String::new(), String::new());
    let mark = |out: &mut String, open: &str, close: &str, toks: &[&str]| {
        if !toks.is_empty() {
            out.push_str(open);
            out.push_str(&escape_html(&toks.concat()));
            out.push_str(close);
        }
    };
    for op in ops {
        let (ot, nt) = match op {
            similar::DiffOp::Equal { old_index, len, .. } => {
                let text = escape_html(&a[old_index..old_index + len].concat());
                o.push_str(&text);
                n.push_str(&text);
                continue;
            }
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => (&a[old_index..old_index + old_len], &b[0..0]),
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => (&a[0..0], &b[new_index..new_index + new_len]),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                &a[old_index..old_index + old_len],
                &b[new_index..new_index + new_len],
            ),
        };
        mark(&mut o, DEL_MARK, "</del>", ot);
        mark(&mut n, INS_MARK, "</ins>", nt);
    }
    (o, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_diff_marks_words_and_skips_rewrites() {
        let (o, n) = inline_diff(
            "Termination requires not less than thirty (30) days' notice.",
            "Termination requires not less than seven (7) days' notice.",
        );
        assert!(o.contains(">thirty</del>"), "{o}");
        assert!(n.contains(">seven</ins>"), "{n}");
        assert!(n.contains(">7</ins>"), "{n}");
        let (o, n) = inline_diff(
            "To terminate the service, visit a shop in person.",
            "Customers may end it online through the MyLink app.",
        );
        assert!(
            !o.contains("<del") && !n.contains("<ins"),
            "a rewrite is shown whole: {o} / {n}"
        );
    }

    #[test]
    fn inline_diff_marks_changed_chinese() {
        let (o, n) = inline_diff("須給予不少於三十天通知", "須給予不少於七天通知");
        assert!(o.contains(">三十</del>"), "{o}");
        assert!(n.contains(">七</ins>"), "{n}");
        assert!(n.starts_with("須給予不少於"));
    }

    #[test]
    fn struck_runs_are_drawn_struck_through_and_escaped() {
        let (o, n) = inline_diff(
            "End it online in My <Kestrel>.",
            "~~End it online in My <Kestrel>.~~ Call 0300.",
        );
        assert_eq!(o, "End it online in My &lt;Kestrel&gt;.");
        assert!(
            n.starts_with("<s style=")
                && n.ends_with(">End it online in My &lt;Kestrel&gt;.</s> Call 0300."),
            "{n}"
        );
        assert!(!n.contains("~~"), "{n}");
        // A lone mark is the page's own text.
        assert_eq!(page_html("a ~~ b"), "a ~~ b");
    }
}
