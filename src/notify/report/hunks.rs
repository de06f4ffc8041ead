//! The changed blocks of a change report: cancellation wording first, then other wording, each
//! hunk as `-`/`+` lines in the text part and as marked blocks in the HTML part, within the
//! email's size bounds (a line says how many blocks were left out).

use std::collections::HashSet;

use crate::diff::{Change, Hunk};

use super::format::{escape_html, page_html};
use super::{bound, inline_diff};

/// Writes the changed blocks of `c` into both parts, bounded; `target` names the target in the
/// line about blocks left out.
pub(super) fn push_changed(c: &Change, target: &str, text: &mut String, html: &mut String) {
    let (cancel, other): (Vec<&Hunk>, Vec<&Hunk>) = c.hunks.iter().partition(|h| h.cancellation);
    let moved = moved_blocks(c);
    let mut budget = bound::Budget::new();
    let mut omitted = 0;
    for (title, hunks) in [
        ("Changed cancellation wording", &cancel),
        ("Other changed wording", &other),
    ] {
        if hunks.is_empty() {
            continue;
        }
        text.push_str(&format!("== {title} ==\n"));
        html.push_str(&format!(
            "<h3 style=\"margin:20px 0 8px\">{}</h3>\n",
            escape_html(title)
        ));
        let mut allowance = bound::Allowance::new();
        for h in hunks.iter() {
            let (shown, left_out) = allowance.take(h);
            omitted += left_out;
            if shown.removed.is_empty() && shown.added.is_empty() {
                continue;
            }
            let (t, m, left_out) = render_within(&shown, &moved, &mut budget);
            text.push_str(&t);
            html.push_str(&m);
            omitted += left_out;
        }
        text.push('\n');
    }
    if omitted > 0 {
        let more = bound::more_blocks_line(omitted, target);
        text.push_str(&format!("{more}\n\n"));
        html.push_str(&format!(
            "<p style=\"margin:16px 0;font-weight:bold\">{}</p>\n",
            escape_html(&more)
        ));
    }
}

/// Renders as much of `h` as `budget` allows: the whole hunk, or else its longest prefix (the
/// first k removed and first k added blocks) that fits. Returns the text, the HTML and how many
/// blocks were left out.
fn render_within(
    h: &Hunk,
    moved: &HashSet<&str>,
    budget: &mut bound::Budget,
) -> (String, String, usize) {
    let render = |k: usize| {
        let part = Hunk {
            removed: h.removed[..k.min(h.removed.len())].to_vec(),
            added: h.added[..k.min(h.added.len())].to_vec(),
            cancellation: h.cancellation,
            added_context: h.added_context.iter().take(k).cloned().collect(),
        };
        let (mut t, mut m) = (String::new(), String::new());
        push_hunk_text(&mut t, &part, moved);
        push_hunk_html(&mut m, &part, moved);
        (t, m, part.removed.len() + part.added.len())
    };
    let total = h.removed.len() + h.added.len();
    let whole = render(h.removed.len().max(h.added.len()));
    if budget.room_for(whole.0.len(), whole.1.len()) {
        budget.take(whole.0.len(), whole.1.len());
        return (whole.0, whole.1, 0);
    }
    // Binary search for the largest prefix that fits; a prefix only grows with k.
    let (mut lo, mut hi) = (0, h.removed.len().max(h.added.len()));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let (t, m, _) = render(mid);
        if budget.room_for(t.len(), m.len()) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    budget.close();
    if lo == 0 {
        return (String::new(), String::new(), total);
    }
    let (t, m, shown) = render(lo);
    budget.take(t.len(), m.len());
    (t, m, total - shown)
}

/// Blocks whose very text is removed in one place and added in another: the same words moved to
/// another part of the page (under another heading or lead-in), which reads as a contradiction
/// ("+ X", "− X") unless it is said.
fn moved_blocks(c: &Change) -> HashSet<&str> {
    let removed: HashSet<&str> = c
        .hunks
        .iter()
        .flat_map(|h| h.removed.iter().map(String::as_str))
        .collect();
    c.hunks
        .iter()
        .flat_map(|h| h.added.iter().map(String::as_str))
        .filter(|a| removed.contains(a))
        .collect()
}

const MOVED: &str = "(moved on the page)";

fn moved_note(moved: &HashSet<&str>, block: &str) -> &'static str {
    if moved.contains(block) { MOVED } else { "" }
}

fn push_hunk_text(text: &mut String, h: &Hunk, moved: &HashSet<&str>) {
    for l in h.link_changes() {
        text.push_str(&format!(
            "link changed: {} → {} (was {})\n",
            l.text, l.to, l.from
        ));
    }
    for (sign, blocks) in [('-', &h.removed), ('+', &h.added)] {
        for (i, b) in blocks.iter().enumerate() {
            if sign == '+'
                && let Some(place) = h.added_place(i)
            {
                text.push_str(&format!("  in {place}\n"));
            }
            let note = moved_note(moved, b);
            let sep = if note.is_empty() { "" } else { "  " };
            text.push_str(&format!("{sign} {b}{sep}{note}\n"));
        }
    }
    text.push('\n');
}

const DEL_STYLE: &str =
    "background:#ffebe9;color:#82071e;padding:4px 8px;margin:2px 0;border-left:3px solid #cf222e";
const INS_STYLE: &str =
    "background:#dafbe1;color:#116329;padding:4px 8px;margin:2px 0;border-left:3px solid #1a7f37";

const PLACE_STYLE: &str = "color:#555;font-size:12px;padding:6px 8px 0";

fn push_hunk_html(html: &mut String, h: &Hunk, moved: &HashSet<&str>) {
    let note = |b: &str| match moved_note(moved, b) {
        "" => String::new(),
        n => format!(" <span style=\"color:#555;font-size:12px\">{n}</span>"),
    };
    for l in h.link_changes() {
        html.push_str(&format!(
            "<div style=\"padding:4px 8px;margin:2px 0\"><b>link changed:</b> {} → {} <span style=\"color:#555\">(was {})</span></div>\n",
            escape_html(&l.text),
            escape_html(&l.to),
            escape_html(&l.from)
        ));
    }
    // One line of the diff: its style, sign and (already escaped) words, and the block it
    // shows, for the "moved" note.
    let line = |html: &mut String, style: &str, sign: char, words: &str, block: &str| {
        html.push_str(&format!(
            "<div style=\"{style}\">{sign} {words}{}</div>\n",
            note(block)
        ));
    };
    // Pair removed and added blocks one to one so the characters that differ can be marked.
    let pairs = h.removed.len().min(h.added.len());
    for i in 0..h.removed.len().max(h.added.len()) {
        // Where the added block stands, above it and the block it replaced.
        if let Some(place) = h.added_place(i) {
            html.push_str(&format!(
                "<div style=\"{PLACE_STYLE}\">{}</div>\n",
                escape_html(place)
            ));
        }
        match (h.removed.get(i), h.added.get(i)) {
            (Some(old), Some(new)) if i < pairs => {
                let (o, n) = inline_diff(old, new);
                line(html, DEL_STYLE, '−', &o, old);
                line(html, INS_STYLE, '+', &n, new);
            }
            (old, new) => {
                if let Some(o) = old {
                    line(html, DEL_STYLE, '−', &page_html(o), o);
                }
                if let Some(n) = new {
                    line(html, INS_STYLE, '+', &page_html(n), n);
                }
            }
        }
    }
    html.push_str("<div style=\"height:8px\"></div>\n");
}
