//! Unit tests of the page layout: words → lines → paragraphs (headings, columns, lists, tables,
//! line spacing).

use super::*;

fn w(x0: f32, y0: f32, x1: f32, y1: f32) -> WordBox {
    WordBox { x0, y0, x1, y1 }
}

/// Words of one line of 12-point text, 6 points per character and a 3-point space.
fn line_words(x: f32, y: f32, text: &'static str) -> Vec<(WordBox, &'static str)> {
    let mut out = Vec::new();
    let mut at = x;
    for word in text.split(' ') {
        let width = 6.0 * word.chars().count() as f32;
        out.push((w(at, y, at + width, y + 12.0), word));
        at += width + 3.0;
    }
    out
}

#[test]
fn layout_finds_paragraphs_headings_and_columns() {
    let mut words = Vec::new();
    // A 20-point heading.
    words.push((w(50.0, 40.0, 170.0, 60.0), "Termination"));
    // A wrapped paragraph: full lines up to x≈350, then a short last line.
    words.extend(line_words(
        50.0,
        80.0,
        "You may end the service by giving us",
    ));
    words.extend(line_words(
        50.0,
        95.0,
        "thirty days notice at any shop or by",
    ));
    words.extend(line_words(50.0, 110.0, "post."));
    // A list whose items fit on one line each: each stops short.
    words.extend(line_words(50.0, 125.0, "in person at a shop;"));
    words.extend(line_words(50.0, 140.0, "by post."));
    // A new paragraph after a larger gap.
    words.extend(line_words(
        50.0,
        175.0,
        "Prepaid value is forfeited when the",
    ));
    // A hyphenated break on a short line continues.
    words.extend(line_words(50.0, 190.0, "card ends and termi-"));
    words.extend(line_words(50.0, 205.0, "nation is final."));
    // Second column, painted after the first: jumps up.
    words.extend(line_words(400.0, 80.0, "Second column text."));
    let text = layout_page(&words);
    assert_eq!(
        text,
        "Termination\n\nYou may end the service by giving us\nthirty days notice at any shop or by\npost.\n\nin person at a shop;\n\nby post.\n\nPrepaid value is forfeited when the\ncard ends and termi-\nnation is final.\n\nSecond column text."
    );
}

#[test]
fn layout_narrow_boxes_lists_and_tables() {
    let mut words = Vec::new();
    // A full-width paragraph (edge x≈350), then a narrow box whose lines all end near 180.
    words.extend(line_words(
        50.0,
        80.0,
        "Wide text runs on to the right margin of",
    ));
    words.extend(line_words(50.0, 95.0, "the page."));
    words.extend(line_words(50.0, 125.0, "A narrow box of"));
    words.extend(line_words(50.0, 140.0, "text wraps early"));
    words.extend(line_words(50.0, 155.0, "but is one block."));
    // An indented list without bullet glyphs (drawn as shapes): short items.
    words.extend(line_words(80.0, 185.0, "in person at a shop;"));
    words.extend(line_words(80.0, 200.0, "by post."));
    // A table: cells line up across rows.
    let mut row = |y: f32, cells: [&'static str; 3]| {
        for (x, c) in [50.0, 200.0, 300.0].into_iter().zip(cells) {
            words.extend(line_words(x, y, c));
        }
    };
    row(230.0, ["Early termination", "HK$100", "None"]);
    row(245.0, ["Replacement", "HK$50", "No refund"]);
    let text = layout_page(&words);
    assert_eq!(
        text,
        "Wide text runs on to the right margin of\nthe page.\n\nA narrow box of\ntext wraps early\nbut is one block.\n\nin person at a shop;\n\nby post.\n\nEarly termination HK$100 None\n\nReplacement HK$50 No refund"
    );
}

#[test]
fn layout_keeps_superscripts_and_split_words_on_their_line() {
    let words = vec![
        (w(50.0, 100.0, 80.0, 112.0), "Fees"),
        (w(80.5, 97.0, 84.0, 104.0), "1"),
        (w(87.0, 100.0, 110.0, 112.0), "apply"),
        (w(110.0, 100.0, 130.0, 112.0), "ing"),
    ];
    assert_eq!(layout_page(&words), "Fees1 applying");
}

#[test]
fn one_line_paragraphs_stay_apart_when_their_margin_is_the_usual_gap() {
    // Every gap between lines of body text is a paragraph margin (11 points, 0.9 of the line
    // height), so the median gap is the margin. Each paragraph is one line long enough that the
    // next one's first word would not have fitted after it: only the spacing tells them apart.
    let mut words = Vec::new();
    words.push((w(50.0, 40.0, 200.0, 60.0), "5. Termination"));
    words.extend(line_words(
        50.0,
        80.0,
        "The Customer may terminate the Service by giving thirty days prior written notice.",
    ));
    words.extend(line_words(
        50.0,
        103.0,
        "Termination requests may be made online in My Account or at any of our shops.",
    ));
    words.extend(line_words(
        50.0,
        126.0,
        "Refunds of prepaid fees are given in proportion to the days left.",
    ));
    assert_eq!(
        layout_page(&words),
        "5. Termination\n\nThe Customer may terminate the Service by giving thirty days prior written notice.\n\nTermination requests may be made online in My Account or at any of our shops.\n\nRefunds of prepaid fees are given in proportion to the days left."
    );
}

#[test]
fn a_double_spaced_paragraph_stays_whole() {
    // Double spacing: 10 points (0.83 of the line height) between the lines of a paragraph, each
    // wrapped mid-sentence; 20 points before the next paragraph.
    let mut words = Vec::new();
    for (y, text) in [
        (80.0, "Customers may end the service at any time by"),
        (102.0, "giving written notice to the company at its"),
        (124.0, "office or at any shop, and it ends thirty"),
        (146.0, "days later."),
        (178.0, "Prepaid value is forfeited when the card"),
        (200.0, "ends."),
    ] {
        words.extend(line_words(50.0, y, text));
    }
    assert_eq!(
        layout_page(&words),
        "Customers may end the service at any time by\ngiving written notice to the company at its\noffice or at any shop, and it ends thirty\ndays later.\n\nPrepaid value is forfeited when the card\nends."
    );
}
