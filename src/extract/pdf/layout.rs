//! One page's words → lines → paragraphs: the text of a page as it was printed, one line per
//! printed line and a blank line between paragraphs. Pure.

use super::bbox::WordBox;
use super::blocks::{continues_sentence, ends_with_break_hyphen, starts_with_list_marker};
use crate::extract::normalise::is_cjk;

/// A printed line: the words that share a baseline, in stream order.
#[derive(Debug)]
struct Line {
    x0: f32,
    x1: f32,
    /// Top and bottom of the tallest word (superscripts do not widen the line).
    y0: f32,
    y1: f32,
    /// Height of the tallest word: the font size, near enough.
    h: f32,
    text: String,
    /// Width of what would have had to fit at the end of the line before for it to be taken up
    /// there: the first word, or one character of a CJK run.
    first_unit: f32,
    /// Where words start after a gap wider than a space: table cells, tab stops.
    cells: Vec<f32>,
}

/// Lays one page's words (in content-stream order, the order the producer painted them, which
/// keeps columns whole) out as text: one line per printed line, a blank line between paragraphs.
///
/// A new paragraph starts where the font size changes (a heading), where the gap between lines is
/// larger than the page's line spacing (see `line_spacing`), where the text jumps up or sideways
/// (a new column, a running header or footer), at each row of a table (lines whose cells line up
/// with the next or previous line's), where the indentation changes (except a first-line indent
/// or a hanging list item), before a list marker, and after a line that stopped short: when the
/// next line's first word would have fitted at its end, the break was meant (the end of a
/// paragraph or list item), since text only wraps when the next word does not fit. "Fitted" is
/// measured against the right edge of the lines set without extra space around them (the box the
/// text wrapped in), or of the enclosing text for an indented list. A line ending in a hyphen
/// before a letter continues.
/// Linear in the number of words, except the medians of the line gaps (linear on average).
pub fn layout_page(words: &[(WordBox, &str)]) -> String {
    let lines = group_lines(words);
    if lines.is_empty() {
        return String::new();
    }
    let tabular = tabular_lines(&lines);
    let (hard, edges) = line_spacing(&lines, &tabular);

    let mut out = String::new();
    let mut first_of_para = 0usize;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            let first = first_of_para == i - 1;
            if hard[i] || soft_break(&lines[i - 1], line, first, edges[i - 1]) {
                out.push_str("\n\n");
                first_of_para = i;
            } else {
                out.push('\n');
            }
        }
        out.push_str(&line.text);
    }
    out
}

fn group_lines(words: &[(WordBox, &str)]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut prev: Option<WordBox> = None;
    for &(b, text) in words {
        let h = (b.y1 - b.y0).max(0.1);
        let same_line = prev.is_some_and(|p| {
            let ph = (p.y1 - p.y0).max(0.1);
            let overlap = p.y1.min(b.y1) - p.y0.max(b.y0);
            let small = h.min(ph);
            overlap >= 0.5 * small && b.x0 >= p.x1 - 0.5 * small
        });
        match (same_line, lines.last_mut(), prev) {
            (true, Some(line), Some(p)) => {
                let small = h.min((p.y1 - p.y0).max(0.1));
                let gap = b.x0 - p.x1;
                if gap > 0.1 * small {
                    line.text.push(' ');
                }
                if gap > 0.8 * small {
                    line.cells.push(b.x0);
                }
                line.text.push_str(text);
                line.x0 = line.x0.min(b.x0);
                line.x1 = line.x1.max(b.x1);
                if h > line.h {
                    line.h = h;
                    line.y0 = b.y0;
                    line.y1 = b.y1;
                }
            }
            _ => {
                let chars = text.chars().count().max(1) as f32;
                let width = (b.x1 - b.x0).max(0.0);
                let first_unit = if text.chars().next().is_some_and(is_cjk) {
                    width / chars
                } else {
                    width
                };
                lines.push(Line {
                    x0: b.x0,
                    x1: b.x1,
                    y0: b.y0,
                    y1: b.y1,
                    h,
                    text: text.to_string(),
                    first_unit,
                    cells: Vec::new(),
                });
            }
        }
        prev = Some(b);
    }
    lines
}

/// A gap between lines of one size wider than this (as a fraction of the line height: the word
/// boxes' height, about 1.1–1.2 times the font size) is not the leading of single, 1.15 or 1.5
/// line spacing, which leave gaps of about 0, 0.05 and 0.35; double spacing leaves about 0.8, and
/// a paragraph margin of one line about 0.9.
const WIDE_GAP: f32 = 0.6;

/// How far beyond the line spacing a gap may be and still be the same spacing.
const GAP_SLACK: f32 = 0.35;

/// The line spacing assumed when a page shows none: single spacing's gap, with room to spare.
const DEFAULT_GAP: f32 = 0.2;

/// Decides the page's line spacing, and from it the hard breaks (`hard[i]`: lines i-1 and i
/// belong to different boxes: size, spacing, position, table rows) and the right edge each line
/// wrapped at ([`box_edges`]).
///
/// The spacing is the median gap between consecutive lines of one size, so double-spaced text is
/// not cut into one block per line. But where most paragraphs are one line long, the median gap
/// is the paragraph margin, and taking it as the spacing would join those paragraphs. So a median
/// gap wider than [`WIDE_GAP`] is believed only when the page shows it inside paragraphs: at
/// least a third of the wide gaps (and at least one) follow a line that wrapped mid-sentence (the
/// next line's first word would not have fitted at its end, and the sentence runs on into it), or
/// that broke a word at a hyphen. Otherwise the wide gaps are paragraph margins, every one a
/// break, and the spacing is the median of the narrower gaps (or [`DEFAULT_GAP`]).
fn line_spacing(lines: &[Line], tabular: &[bool]) -> (Vec<bool>, Vec<f32>) {
    let ratios: Vec<Option<f32>> = (0..lines.len())
        .map(|i| {
            i.checked_sub(1)
                .and_then(|p| gap_ratio(&lines[p], &lines[i]))
        })
        .collect();
    let mut all: Vec<f32> = ratios.iter().flatten().copied().collect();
    let usual = median(&mut all).unwrap_or(DEFAULT_GAP);
    let hard = hard_breaks(lines, tabular, (usual + GAP_SLACK).max(0.5));
    let edges = box_edges(lines, &hard);
    if usual <= WIDE_GAP {
        return (hard, edges);
    }
    let (mut wide, mut wrapped) = (0usize, 0usize);
    for (i, r) in ratios.iter().enumerate() {
        if hard[i] || !r.is_some_and(|r| r > WIDE_GAP) {
            continue;
        }
        wide += 1;
        let (a, b) = (&lines[i - 1], &lines[i]);
        let broken_word = ends_with_break_hyphen(&a.text)
            && b.text.chars().next().is_some_and(char::is_alphabetic);
        if broken_word
            || (!next_word_fits(a, b, edges[i - 1]) && continues_sentence(&a.text, &b.text))
        {
            wrapped += 1;
        }
    }
    if wrapped > 0 && 3 * wrapped >= wide {
        return (hard, edges);
    }
    let mut narrow: Vec<f32> = ratios
        .iter()
        .flatten()
        .copied()
        .filter(|&r| r <= WIDE_GAP)
        .collect();
    let spacing = median(&mut narrow).unwrap_or(DEFAULT_GAP);
    let hard = hard_breaks(lines, tabular, (spacing + GAP_SLACK).clamp(0.5, WIDE_GAP));
    let edges = box_edges(lines, &hard);
    (hard, edges)
}

/// The gap between two consecutive lines of one size as a fraction of the smaller's height; none
/// for lines of different sizes or far apart (another column, a jump).
fn gap_ratio(a: &Line, b: &Line) -> Option<f32> {
    let r = (b.y0 - a.y1) / a.h.min(b.h);
    (same_size(a, b) && (-0.5..=1.5).contains(&r)).then_some(r)
}

fn median(values: &mut [f32]) -> Option<f32> {
    if values.is_empty() {
        return None;
    }
    let mid = values.len() / 2;
    let (_, m, _) = values.select_nth_unstable_by(mid, f32::total_cmp);
    Some(*m)
}

fn hard_breaks(lines: &[Line], tabular: &[bool], threshold: f32) -> Vec<bool> {
    (0..lines.len())
        .map(|i| {
            i == 0
                || tabular[i]
                || tabular[i - 1]
                || hard_break(&lines[i - 1], &lines[i], threshold)
        })
        .collect()
}

fn same_size(a: &Line, b: &Line) -> bool {
    (a.h - b.h).abs() <= 0.15 * a.h.max(b.h)
}

/// Lines whose cell starts line up with a neighbour's: table rows (or tab-aligned text).
fn tabular_lines(lines: &[Line]) -> Vec<bool> {
    let aligned = |a: &Line, b: &Line| {
        let tol = 0.5 * a.h.min(b.h);
        a.cells
            .iter()
            .any(|&x| b.cells.iter().any(|&y| (x - y).abs() <= tol))
    };
    (0..lines.len())
        .map(|i| {
            let prev = i > 0 && aligned(&lines[i - 1], &lines[i]);
            let next = i + 1 < lines.len() && aligned(&lines[i], &lines[i + 1]);
            prev || next
        })
        .collect()
}

/// True when `b` cannot continue `a`'s paragraph: another size, extra space between them, a jump
/// up or to another column.
fn hard_break(a: &Line, b: &Line, threshold: f32) -> bool {
    if !same_size(a, b) {
        return true;
    }
    let small = a.h.min(b.h);
    let gap = b.y0 - a.y1;
    gap < -0.5 * small || gap > threshold * small || b.x0 > a.x1 || b.x1 < a.x0
}

/// The right edge each line wrapped at, estimated from below: the furthest reach of the lines in
/// its box (the run of lines between hard breaks). A box indented against the box before or after
/// it (a list inside the text) wraps at the enclosing text's edge, so that edge counts too.
fn box_edges(lines: &[Line], hard: &[bool]) -> Vec<f32> {
    // (first line, end, left, right) of each box.
    let mut boxes: Vec<(usize, usize, f32, f32)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match boxes.last_mut() {
            Some(b) if !hard[i] => {
                b.1 = i + 1;
                b.2 = b.2.min(line.x0);
                b.3 = b.3.max(line.x1);
            }
            _ => boxes.push((i, i + 1, line.x0, line.x1)),
        }
    }
    let mut edges = vec![0.0; lines.len()];
    for (k, &(start, end, left, right)) in boxes.iter().enumerate() {
        let tol = 0.5 * lines[start].h;
        let mut edge = right;
        let neighbours = [k.checked_sub(1), Some(k + 1)];
        for &(_, _, l, r) in neighbours
            .into_iter()
            .flatten()
            .filter_map(|j| boxes.get(j))
        {
            if left > l + tol && left < r {
                edge = edge.max(r);
            }
        }
        edges[start..end].fill(edge);
    }
    edges
}

/// Within one box: whether `b` starts a new paragraph after `a`. `first`: `a` is the first line
/// of its paragraph; `edge`: the right edge `a` wrapped at.
fn soft_break(a: &Line, b: &Line, first: bool, edge: f32) -> bool {
    let small = a.h.min(b.h);
    let continues_word =
        ends_with_break_hyphen(&a.text) && b.text.chars().next().is_some_and(char::is_alphabetic);
    let a_marker = starts_with_list_marker(&a.text);
    let dx = b.x0 - a.x0;
    let tol = 0.5 * small;
    if dx > tol && !(first && a_marker) {
        return true;
    }
    // Outdented: only a first-line indent (not a list item's first line) goes on.
    if dx < -tol && (!first || a_marker) {
        return true;
    }
    if !continues_word && next_word_fits(a, b, edge) {
        return true;
    }
    starts_with_list_marker(&b.text)
}

/// Whether `b`'s first word would have fitted at the end of `a`, which wrapped at `edge`.
fn next_word_fits(a: &Line, b: &Line, edge: f32) -> bool {
    let small = a.h.min(b.h);
    a.x1 + 0.25 * small + b.first_unit <= edge - 0.1 * small
}
