//! Table: rows of text → a table for a terminal (column headers, columns sized to their content,
//! the last column wrapped to the terminal's width) or plain tab-separated lines for a pipe.
//!
//! Widths are display widths (a CJK character takes two columns). Pure: the caller says whether
//! and how wide the terminal is.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The narrowest the last column gets, however many columns come before it.
const MIN_LAST: usize = 20;
/// No column but the last is wider than this; longer cells are cut with "…".
const MAX_COLUMN: usize = 40;

pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: Vec<&'static str>) -> Table {
        Table {
            headers,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// For a terminal of `width` columns, or tab-separated (with a header line) for `None`.
    pub fn render(&self, width: Option<usize>) -> String {
        match width {
            None => self.plain(),
            Some(w) => self.boxed(w),
        }
    }

    fn plain(&self) -> String {
        let mut out = self.headers.join("\t");
        out.push('\n');
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| c.replace(['\t', '\n'], " ")).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
        out
    }

    fn boxed(&self, width: usize) -> String {
        let n = self.headers.len();
        if n == 0 {
            return String::new();
        }
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(n) {
                // The last column takes what the terminal leaves; the others are capped.
                let w = if i + 1 == n {
                    cell.width()
                } else {
                    cell.width().min(MAX_COLUMN)
                };
                widths[i] = widths[i].max(w);
            }
        }
        let before: usize = widths[..n - 1].iter().map(|w| w + 2).sum();
        let last = width.saturating_sub(before).max(MIN_LAST);
        widths[n - 1] = widths[n - 1].min(last);
        let mut out = String::new();
        let header: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        self.line(&mut out, &header, &widths);
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        self.line(&mut out, &rule, &widths);
        for row in &self.rows {
            self.line(&mut out, row, &widths);
        }
        out
    }

    fn line(&self, out: &mut String, row: &[String], widths: &[usize]) {
        let n = widths.len();
        let mut prefix = String::new();
        for (i, w) in widths[..n - 1].iter().enumerate() {
            let cell = cut(row.get(i).map_or("", |s| s.as_str()), *w);
            prefix.push_str(&cell);
            prefix.push_str(&" ".repeat(w - cell.width() + 2));
        }
        let indent = " ".repeat(prefix.width());
        let wrapped = wrap(row.get(n - 1).map_or("", |s| s.as_str()), widths[n - 1]);
        for (k, part) in wrapped.iter().enumerate() {
            out.push_str(if k == 0 { &prefix } else { &indent });
            out.push_str(part);
            // No trailing spaces on a line.
            while out.ends_with(' ') {
                out.pop();
            }
            out.push('\n');
        }
    }
}

/// `s` cut to `width` display columns, with "…" where it was cut.
fn cut(s: &str, width: usize) -> String {
    let s = s.replace(['\t', '\n'], " ");
    if s.width() <= width {
        return s;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` in lines of at most `width` columns: broken at spaces, or anywhere in a long word and
/// between CJK characters (which have no spaces).
fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in s.replace(['\t', '\n'], " ").split(' ') {
        let ww = word.width();
        if used > 0 && used + 1 + ww <= width {
            line.push(' ');
            line.push_str(word);
            used += 1 + ww;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        for c in word.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(vec!["TARGET", "VERDICT", "KEY SENTENCE"]);
        t.push(vec![
            "3hk-terms".into(),
            "not-supported".into(),
            "Requests to terminate the service must be made in person at any 3Shop; requests by email will not be accepted.".into(),
        ]);
        t.push(vec![
            "smartone-zh".into(),
            "unknown".into(),
            "客戶如欲終止服務，須親臨門市辦理，並須提前三十日通知。".into(),
        ]);
        t
    }

    #[test]
    fn piped_is_tab_separated_with_a_header() {
        let out = table().render(None);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "TARGET\tVERDICT\tKEY SENTENCE");
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with("3hk-terms\tnot-supported\tRequests"));
    }

    #[test]
    fn a_terminal_table_fits_its_width_and_wraps_the_last_column() {
        for width in [40, 60, 100] {
            let out = table().render(Some(width));
            for line in out.lines() {
                assert!(
                    line.width() <= width.max(13 + 15 + MIN_LAST),
                    "{width}: {line:?}"
                );
            }
            assert!(out.starts_with("TARGET"), "{out}");
            // Every word of the long sentence survives the wrapping.
            let joined: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(joined.contains("will not be accepted."), "{out}");
            assert!(out.contains("終止服務") || out.contains("終止"), "{out}");
        }
        let narrow = table().render(Some(60));
        assert!(narrow.lines().count() > 4, "long quotes wrap: {narrow}");
        let wide = table().render(Some(400));
        assert_eq!(wide.lines().count(), 4, "{wide}");
    }

    #[test]
    fn wrapping_is_bounded_and_keeps_cjk_whole() {
        let lines = wrap(&"終".repeat(50), 10);
        assert!(lines.iter().all(|l| l.width() <= 10));
        assert_eq!(lines.concat(), "終".repeat(50));
        assert_eq!(wrap("", 10), vec![String::new()]);
        assert_eq!(cut("abcdefghij", 5), "abcd…");
    }
}
