//! Pages of text → the document's blocks: running headers, footers and page numbers dropped,
//! wrapped lines and hyphenated words joined, paragraphs cut at list markers. Pure.

use std::collections::HashSet;

use crate::extract::normalise::{display, is_cjk};

/// How many lines at the top and at the bottom of a page may be running headers, footers or
/// page numbers.
const FURNITURE_LINES: usize = 3;

/// The text blocks of a document from the text of its pages (as [`super::extract_text_pages`] gives
/// them: one line per printed line, a blank line between paragraphs), in order, each in
/// [`display`] form. Pure and linear in the input.
///
/// - Running headers and footers are dropped: a line standing alone (blank lines around it)
///   among the first or last three of a page whose text, digits ignored, stands alone among the
///   first or last three lines of more than half the pages (and of at least two). So are page
///   numbers standing alone there ("3", "- 3 -", "Page 3 of 9",
///   "3/9", "第3頁", "第 3 頁，共 9 頁").
/// - A block ends at a blank line, before a line that starts a list item ("•", "-", "1.",
///   "1.2", "(a)", "a)", "iv.", "一、", "（一）", "第三條", "①"), and where the indentation
///   changes other than as a first-line indent or a hanging list item.
/// - Wrapped lines are joined: with a space between Latin words, without one between CJK
///   characters (as [`display`] does for HTML). A word broken by a soft hyphen is joined again;
///   one broken by a hyphen is joined without it ("termi-" + "nation" → "termination") unless
///   the hyphen is real: the document spells the word with a hyphen elsewhere, the next part
///   starts with a capital or digit ("Pre-" + "Activation"), or the first part is a single letter
///   or "non"/"self" ("e-" + "mail" → "e-mail"). The joined form written elsewhere in the
///   document wins over all of these.
/// - A paragraph that runs over a page break is joined again when the page ended mid-sentence
///   (the last block ends in a letter or a comma and the next page starts in lower case, or, for
///   CJK, a long block ends without closing punctuation and the next page does not start a list
///   item).
///
/// No cap on the number of blocks: checks use [`blocks_within`].
pub fn blocks_from_pages(pages: &[String]) -> Vec<String> {
    blocks_within(pages, usize::MAX).unwrap_or_default()
}

/// [`blocks_from_pages`], stopping at the block after the `max_blocks`th: `None`, and no more
/// blocks are made (a hostile PDF of tiny paragraphs, see [`crate::extract::block::MAX_BLOCKS`]).
pub fn blocks_within(pages: &[String], max_blocks: usize) -> Option<Vec<String>> {
    let page_lines: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| p.lines().map(str::trim_end).collect())
        .collect();
    let kept = drop_furniture(&page_lines);
    let vocab = Vocabulary::from_lines(kept.iter().flatten().copied());

    let mut blocks: Vec<String> = Vec::new();
    let mut cur = String::new();
    // Indentation of the block's last line, in characters.
    let mut last_indent = 0usize;
    let mut lines_in_block = 0usize;
    let mut cur_is_marker = false;

    // False when the block would be one too many.
    let flush = |cur: &mut String, blocks: &mut Vec<String>, lines_in_block: &mut usize| {
        let text = display(cur);
        cur.clear();
        *lines_in_block = 0;
        if text.is_empty() {
            return true;
        }
        if blocks.len() >= max_blocks {
            return false;
        }
        blocks.push(text);
        true
    };

    for lines in &kept {
        // At a page break the block goes on only if the page ended mid-sentence.
        if lines_in_block > 0 {
            let next = lines
                .iter()
                .find(|l| !l.trim().is_empty())
                .map(|l| l.trim());
            let goes_on = next.is_some_and(|n| continues_sentence(&cur, n));
            if !goes_on && !flush(&mut cur, &mut blocks, &mut lines_in_block) {
                return None;
            }
        }
        for raw in lines {
            let line = raw.trim();
            if line.is_empty() {
                if !flush(&mut cur, &mut blocks, &mut lines_in_block) {
                    return None;
                }
                continue;
            }
            let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
            let marker = starts_with_list_marker(line);
            let new_block = lines_in_block == 0
                || marker
                || (indent > last_indent + 1 && !(lines_in_block == 1 && cur_is_marker))
                || (indent + 1 < last_indent && (lines_in_block != 1 || cur_is_marker));
            if new_block {
                if !flush(&mut cur, &mut blocks, &mut lines_in_block) {
                    return None;
                }
                cur_is_marker = marker;
                cur.push_str(line);
            } else {
                join_line(&mut cur, line, &vocab);
            }
            last_indent = indent;
            lines_in_block += 1;
        }
    }
    flush(&mut cur, &mut blocks, &mut lines_in_block).then_some(blocks)
}

/// Drops running headers, footers and page numbers from the top and bottom of each page. Only a
/// line that stands alone (a blank line or the page edge above and below it, as the layout sets
/// off a header or footer from the text) can be one, so that a paragraph line repeated on many
/// pages with other numbers in it stays.
fn drop_furniture<'a>(pages: &[Vec<&'a str>]) -> Vec<Vec<&'a str>> {
    let blank = |lines: &[&str], i: usize| lines[i].trim().is_empty();
    let alone = |lines: &[&str], i: usize| {
        !blank(lines, i)
            && (i == 0 || blank(lines, i - 1))
            && (i + 1 == lines.len() || blank(lines, i + 1))
    };
    // Candidates: the lines standing alone among the first and last FURNITURE_LINES non-blank
    // lines of each page.
    let candidates: Vec<Vec<usize>> = pages
        .iter()
        .map(|lines| {
            let non_blank: Vec<usize> = (0..lines.len()).filter(|&i| !blank(lines, i)).collect();
            let n = non_blank.len();
            let head = non_blank.iter().take(FURNITURE_LINES);
            let tail = non_blank
                .iter()
                .skip(n.saturating_sub(FURNITURE_LINES).max(FURNITURE_LINES));
            head.chain(tail)
                .copied()
                .filter(|&i| alone(lines, i))
                .collect()
        })
        .collect();
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (lines, cand) in pages.iter().zip(&candidates) {
        let keys: HashSet<String> = cand
            .iter()
            .map(|&i| furniture_key(lines[i]))
            .filter(|k| !k.is_empty())
            .collect();
        for k in keys {
            *counts.entry(k).or_insert(0) += 1;
        }
    }
    let n_pages = pages.len();
    let repeated = |key: &str| counts.get(key).is_some_and(|&c| c >= 2 && c * 2 > n_pages);

    pages
        .iter()
        .map(|lines| {
            let is_furniture = |i: usize| {
                let t = lines[i].trim();
                t.is_empty()
                    || (alone(lines, i) && (is_page_number(t) || repeated(&furniture_key(t))))
            };
            // Peel from the top and from the bottom, FURNITURE_LINES non-blank lines at most.
            let mut start = 0;
            let mut peeled = 0;
            while start < lines.len() && peeled < FURNITURE_LINES && is_furniture(start) {
                if !blank(lines, start) {
                    peeled += 1;
                }
                start += 1;
            }
            let mut end = lines.len();
            let mut peeled = 0;
            while end > start && peeled < FURNITURE_LINES && is_furniture(end - 1) {
                if !blank(lines, end - 1) {
                    peeled += 1;
                }
                end -= 1;
            }
            lines[start..end].to_vec()
        })
        .collect()
}

/// A line's identity as a running header or footer: digits dropped, whitespace collapsed, so
/// "Terms v3 – page 2" and "Terms v3 – page 7" meet.
fn furniture_key(line: &str) -> String {
    let mut key = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        let w: String = word.chars().filter(|c| !c.is_ascii_digit()).collect();
        if !w.is_empty() {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(&w);
        }
    }
    if line.len() > 200 { String::new() } else { key }
}

/// "3", "- 3 -", "— 3 —", "Page 3", "Page 3 of 9", "p. 3", "3 / 9", "3 of 9", "第3頁", "第 3 頁，共 9 頁",
/// "第三页", "頁 3".
pub(super) fn is_page_number(line: &str) -> bool {
    let t: String = line
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let t = t.trim_matches(|c| matches!(c, '-' | '–' | '—' | '|' | '[' | ']' | '(' | ')'));
    if t.is_empty() {
        return false;
    }
    let is_num = |s: &str| !s.is_empty() && s.len() <= 5 && s.chars().all(|c| c.is_ascii_digit());
    let is_cjk_num = |s: &str| {
        !s.is_empty()
            && s.chars().count() <= 6
            && s.chars().all(|c| c.is_ascii_digit() || is_cjk_numeral(c))
    };
    let num_or_of = |s: &str| match s.split_once("of").or_else(|| s.split_once('/')) {
        Some((a, b)) => is_num(a) && is_num(b),
        None => is_num(s),
    };
    if num_or_of(t) {
        return true;
    }
    for prefix in ["page", "pg.", "p."] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return num_or_of(rest);
        }
    }
    // 第3頁 / 第3页 / 第3頁，共9頁 / 頁3 / 3頁
    let t = t.replace('页', "頁");
    if let Some(rest) = t.strip_prefix('第') {
        let (first, tail) = match rest.split_once('頁') {
            Some(x) => x,
            None => return false,
        };
        if !is_cjk_num(first) {
            return false;
        }
        let tail = tail.trim_start_matches(['，', ',', '、', '/']);
        return tail.is_empty()
            || tail
                .strip_prefix('共')
                .and_then(|r| r.strip_suffix('頁'))
                .is_some_and(is_cjk_num);
    }
    if let Some(rest) = t.strip_prefix('頁') {
        return is_cjk_num(rest);
    }
    t.strip_suffix('頁').is_some_and(is_cjk_num)
}

/// True when `line` starts a list item or a numbered clause.
pub(super) fn starts_with_list_marker(line: &str) -> bool {
    let line = line.trim_start();
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    let space_after = |s: &str| s.chars().next().is_some_and(char::is_whitespace);
    // Bullets.
    // U+F0B7 and U+F0A7: the Symbol and Wingdings bullets of word-processor PDFs.
    if "•·▪◦●○■□‣⁃►▶✓※◆◇\u{F0B7}\u{F0A7}".contains(first) {
        return true;
    }
    if matches!(first, '-' | '–' | '—' | '*') {
        return space_after(rest);
    }
    // Circled numbers ① to ⑳.
    if ('\u{2460}'..='\u{2473}').contains(&first) {
        return true;
    }
    // (a) (1) (iv) (一) and full-width （一）.
    if matches!(first, '(' | '（') {
        let Some(close) = rest.find([')', '）']) else {
            return false;
        };
        let inner = &rest[..close];
        let after = &rest[close + rest[close..].chars().next().map_or(1, char::len_utf8)..];
        let cjk_inner = !inner.is_empty() && inner.chars().all(is_cjk_numeral);
        let latin_inner = !inner.is_empty()
            && inner.len() <= 4
            && (inner.chars().all(|c| c.is_ascii_digit())
                || inner.chars().all(|c| c.is_ascii_lowercase())
                || inner.chars().all(|c| c.is_ascii_uppercase()));
        return cjk_inner
            || (latin_inner
                && (after.is_empty() || space_after(after) || after.starts_with(is_cjk)));
    }
    // 一、 十二、 第三條 第3條
    if is_cjk_numeral(first) || first == '第' {
        let body: &str = if first == '第' { rest } else { line };
        let n = body
            .chars()
            .take_while(|&c| is_cjk_numeral(c) || c.is_ascii_digit())
            .count();
        if n == 0 {
            return false;
        }
        let after: &str = &body[body.char_indices().nth(n).map_or(body.len(), |(i, _)| i)..];
        let next = after.chars().next();
        return if first == '第' {
            next.is_some_and(|c| "條条章節节款項项部".contains(c))
        } else {
            next.is_some_and(|c| matches!(c, '、' | '.' | '．'))
        };
    }
    // 1. 1) 1、 1.2 1.2.3 and a. b) iv.
    let token: &str = line.split_whitespace().next().unwrap_or("");
    if first.is_ascii_digit() {
        let digits_dots = token.trim_end_matches(['.', ')', '、']);
        let parts: Vec<&str> = digits_dots.split('.').collect();
        let numeric = parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()));
        if !numeric {
            // "1、" directly followed by CJK text.
            let n = line.chars().take_while(char::is_ascii_digit).count();
            return n <= 3 && line[n..].starts_with('、');
        }
        let ends_marker = token.ends_with(['.', ')', '、']);
        return (ends_marker || parts.len() > 1) && token.len() < line.len();
    }
    if first.is_ascii_alphabetic() && token.len() < line.len() {
        let Some(body) = token.strip_suffix(['.', ')']) else {
            return false;
        };
        let single = body.len() == 1;
        let roman = body.len() <= 4 && body.chars().all(|c| "ivxlIVXL".contains(c));
        return single || roman;
    }
    false
}

fn is_cjk_numeral(c: char) -> bool {
    "〇零一二三四五六七八九十百".contains(c)
}

/// Words of the document, to decide whether a hyphen at a line end is real.
struct Vocabulary {
    /// Lower-cased words without hyphens.
    plain: HashSet<String>,
    /// Lower-cased words written with an inner hyphen ("non-refundable").
    hyphenated: HashSet<String>,
}

impl Vocabulary {
    fn from_lines<'a>(lines: impl Iterator<Item = &'a str>) -> Self {
        let mut plain = HashSet::new();
        let mut hyphenated = HashSet::new();
        for line in lines {
            for w in line.split_whitespace() {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
                let w = w.trim_matches('-');
                if w.is_empty() || !w.chars().any(char::is_alphabetic) {
                    continue;
                }
                let lower = w.to_lowercase();
                if lower.contains('-') {
                    hyphenated.insert(lower);
                } else {
                    plain.insert(lower);
                }
            }
        }
        Vocabulary { plain, hyphenated }
    }
}

/// Ends in a hyphen that may have broken a word: a letter then "-", "‐" or a soft hyphen.
pub(super) fn ends_with_break_hyphen(text: &str) -> bool {
    let mut rev = text.chars().rev();
    matches!(rev.next(), Some('-' | '\u{2010}' | '\u{00AD}'))
        && rev.next().is_some_and(char::is_alphabetic)
}

/// Appends a wrapped line to a block.
fn join_line(cur: &mut String, line: &str, vocab: &Vocabulary) {
    let next_first = line.chars().next();
    if cur.ends_with('\u{00AD}') {
        cur.pop();
        cur.push_str(line);
        return;
    }
    if ends_with_break_hyphen(cur) && next_first.is_some_and(char::is_alphabetic) {
        let hyphen_len = cur.chars().next_back().map_or(1, char::len_utf8);
        let stem_start = cur[..cur.len() - hyphen_len]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '-'))
            .map_or(0, |i| i + cur[i..].chars().next().map_or(1, char::len_utf8));
        let stem = &cur[stem_start..cur.len() - hyphen_len];
        let tail: &str = line
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .next()
            .unwrap_or("");
        let joined = format!("{stem}{tail}").to_lowercase();
        let with_hyphen = format!("{stem}-{tail}").to_lowercase();
        let last_part = stem.rsplit('-').next().unwrap_or(stem).to_lowercase();
        let keep = if vocab.plain.contains(&joined) {
            false
        } else if vocab.hyphenated.contains(&with_hyphen) {
            true
        } else {
            next_first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || last_part.chars().count() == 1
                || matches!(last_part.as_str(), "non" | "self")
        };
        if !keep {
            cur.truncate(cur.len() - hyphen_len);
        } else if !cur.ends_with('-') {
            // U+2010 becomes a plain hyphen so both spellings meet.
            cur.truncate(cur.len() - hyphen_len);
            cur.push('-');
        }
        cur.push_str(line);
        return;
    }
    // A dash glued to the word before it joins the next line directly ("2020–" + "2021").
    let last = cur.chars().next_back();
    if matches!(last, Some('–' | '—'))
        && cur.chars().rev().nth(1).is_some_and(|c| !c.is_whitespace())
    {
        cur.push_str(line);
        return;
    }
    // A space; display() removes it again between two CJK characters.
    cur.push(' ');
    cur.push_str(line);
}

/// Whether the sentence at the end of `cur` goes on in `next`: for the block ending a page and the
/// first line of the next page, or for a line and the line below it.
pub(super) fn continues_sentence(cur: &str, next: &str) -> bool {
    if starts_with_list_marker(next) {
        return false;
    }
    let Some(last) = cur.trim_end().chars().next_back() else {
        return false;
    };
    let Some(first) = next.chars().next() else {
        return false;
    };
    if is_cjk(last) || is_cjk(first) {
        let closing = "。！？：；」』）】》…";
        if closing.contains(last) {
            return false;
        }
        if matches!(last, '，' | '、') {
            return true;
        }
        return is_cjk(last) && is_cjk(first) && cur.chars().count() >= 20;
    }
    (last.is_alphabetic() || matches!(last, ',' | '-' | '\u{00AD}'))
        && (first.is_lowercase() || last == ',')
}
