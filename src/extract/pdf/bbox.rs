//! `pdftotext -bbox` output → the words of each page, laid out by [`super::layout_page`] as
//! the page ends. Metadata in the output's `<head>` is skipped, so it never reaches the text.

use super::PdfError;
use super::layout::layout_page;

/// One word as pdftotext placed it: its box (points, y grows downwards) and its text, as a range
/// of the page's text buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// Streams `pdftotext -bbox` output line by line: `<page …>` opens a page, `<word xMin=… yMin=…
/// xMax=… yMax=…>text</word>` adds a word, `</page>` lays the page out. Everything else (the
/// `<head>` with its metadata) is ignored, so metadata never reaches the text.
pub(super) struct BboxParser {
    pages: Vec<String>,
    words: Vec<(WordBox, std::ops::Range<usize>)>,
    text: String,
    in_page: bool,
    used: usize,
    limit: usize,
}

impl BboxParser {
    pub(super) fn new(limit: usize) -> Self {
        BboxParser {
            pages: Vec::new(),
            words: Vec::new(),
            text: String::new(),
            in_page: false,
            used: 0,
            limit,
        }
    }

    fn charge(&mut self, bytes: usize) -> Result<(), PdfError> {
        self.used = self.used.saturating_add(bytes);
        if self.used > self.limit {
            return Err(PdfError::TooMuchText { limit: self.limit });
        }
        Ok(())
    }

    pub(super) fn push_line(&mut self, line: &str) -> Result<(), PdfError> {
        let line = line.trim();
        if line.starts_with("<page") {
            self.end_page();
            self.in_page = true;
            // An empty page still costs a String: count it, so a million blank pages are capped too.
            self.charge(16)?;
        } else if line.starts_with("</page") {
            self.end_page();
        } else if self.in_page
            && line.starts_with("<word")
            && let Some((b, raw)) = parse_word(line)
        {
            let start = self.text.len();
            unescape_into(raw, &mut self.text);
            let end = self.text.len();
            self.charge(end - start + 1)?;
            if end > start {
                self.words.push((b, start..end));
            } else {
                self.text.truncate(start);
            }
        }
        Ok(())
    }

    fn end_page(&mut self) {
        if self.in_page {
            let words: Vec<(WordBox, &str)> = self
                .words
                .iter()
                .map(|(b, r)| (*b, &self.text[r.clone()]))
                .collect();
            self.pages.push(layout_page(&words));
            self.words.clear();
            self.text.clear();
            self.in_page = false;
        }
    }

    pub(super) fn finish(mut self) -> Vec<String> {
        self.end_page();
        self.pages
    }
}

/// `<word xMin="1" yMin="2" xMax="3" yMax="4">text</word>` → the box and the escaped text.
fn parse_word(line: &str) -> Option<(WordBox, &str)> {
    let open_end = line.find('>')?;
    let attrs = &line[..open_end];
    let rest = &line[open_end + 1..];
    let text = rest.strip_suffix("</word>")?;
    let attr = |name: &str| -> Option<f32> {
        let key = format!("{name}=\"");
        let at = attrs.find(&key)? + key.len();
        let len = attrs[at..].find('"')?;
        let v: f32 = attrs[at..at + len].parse().ok()?;
        v.is_finite().then_some(v)
    };
    let b = WordBox {
        x0: attr("xMin")?,
        y0: attr("yMin")?,
        x1: attr("xMax")?,
        y1: attr("yMax")?,
    };
    Some((b, text))
}

/// Undoes the XML escaping pdftotext applies to word text.
fn unescape_into(raw: &str, out: &mut String) {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let entity = &after[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
}
