//! Finds the date a notice is dated with, in a short line of page text ("Posted 12 September
//! 2023", "2024年5月10日", "公告日：2024/06/14", "【113/09/02】" in Taiwan's Minguo years). Pure:
//! the verdict uses it to tell which of a page's dated notices is the latest (round 40). Text
//! only; it knows nothing of the page.

use chrono::NaiveDate;

/// How many characters of a line are read for its date: a notice's date opens it or its
/// heading, and a bounded look keeps a huge line cheap.
pub const DATE_LOOK_CHARS: usize = 80;

/// The date a line opens with, if it has one: after at most [`LABEL_CHARS`] of a label
/// ("Posted ", 公告日：, 【) and not a date that starts a span or a condition
/// ("2024年1月1日或之後簽約", "1 May 2025 to 30 June"). Only the opening
/// [`DATE_LOOK_CHARS`] are read.
pub fn first_date(text: &str) -> Option<NaiveDate> {
    opening_date(text, true)
}

/// [`first_date`] of a line that says it is a notice ("【更新】2026/03/02 起開放線上退租",
/// round 42): a date that starts a span is the notice's own there.
pub fn notice_date(text: &str) -> Option<NaiveDate> {
    opening_date(text, false)
}

/// The first date of a short line wherever it stands in it, unless it starts a span: a post's
/// date after its author ("回覆 #2 sunnyday0917 2026/02/21", round 42).
pub fn line_date(text: &str) -> Option<NaiveDate> {
    let head = crate::extract::block::first_chars(text, DATE_LOOK_CHARS);
    let (date, _, end) = find_date(head)?;
    (!starts_a_span(&head[end..])).then_some(date)
}

/// Does the text after a date make it a span's start or a condition ([`SPANS`])?
fn starts_a_span(after: &str) -> bool {
    let after = after.trim_start_matches(|c: char| c.is_whitespace() || c == '日');
    SPANS.iter().any(|w| after.starts_with(w))
}

fn opening_date(text: &str, spans_excluded: bool) -> Option<NaiveDate> {
    let head = crate::extract::block::first_chars(text, DATE_LOOK_CHARS);
    let (date, start, end) = find_date(head)?;
    let label = head[..start].trim_end_matches(|c: char| c.is_whitespace() || "【[(（".contains(c));
    let labelled = label.chars().count() <= LABEL_CHARS || {
        let l = label.to_ascii_lowercase();
        DATED.iter().any(|w| l.ends_with(w))
    };
    (labelled && !(spans_excluded && starts_a_span(&head[end..]))).then_some(date)
}

/// The first date in `text`'s first [`DATE_LOOK_CHARS`] characters, wherever it stands (an
/// edit stamp's: "Article last updated: June 4, 2025").
pub fn any_date(text: &str) -> Option<NaiveDate> {
    find_date(crate::extract::block::first_chars(text, DATE_LOOK_CHARS)).map(|(d, _, _)| d)
}

/// The first date of `head` and where it stands (byte offsets): a whole date, or else a
/// Chinese year and month ("【2025年3月更新】", round 42), read as the month's first day.
fn find_date(head: &str) -> Option<(NaiveDate, usize, usize)> {
    let tokens = tokens(head);
    tokens
        .windows(3)
        .find_map(|w| date_of(head, w[0], w[1], w[2]).map(|d| (d, w[0].start, w[2].end)))
        .or_else(|| {
            tokens
                .windows(2)
                .find_map(|w| match (w[0].kind, w[1].kind) {
                    (Kind::Number(y, 4), Kind::Number(m, _))
                        if YEARS.contains(&y)
                            && &head[w[0].end..w[1].start] == "年"
                            && head[w[1].end..].starts_with('月') =>
                    {
                        let d = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, 1)?;
                        Some((d, w[0].start, w[1].end + '月'.len_utf8()))
                    }
                    _ => None,
                })
        })
}

/// Words after which a date is the line's own wherever it stands ("Online termination now
/// available (posted 1 March 2024)").
const DATED: [&str; 10] = [
    "as of",
    "effective from",
    "effective",
    "posted",
    "updated",
    "published",
    "posted on",
    "發布",
    "发布",
    "公告日",
];

/// The years a notice's four-digit year may be.
const YEARS: std::ops::RangeInclusive<u32> = 1990..=2100;

/// The longest label a notice's date may follow.
const LABEL_CHARS: usize = 16;
/// Words after a date that make it a span's start or a condition, not a notice's date.
const SPANS: [&str; 16] = [
    "或", "起", "之", "前", "后", "後", "至", "到", "以", "-", "–", "to ", "until", "onward",
    "and ", "or ",
];

/// A number (its value and how many digits it has) or an English month's name, with where it
/// stands in the text (byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number(u32, usize),
    Month(u32),
}

/// The numbers and month names of `text`, in order. A run of more than 4 digits is no part of
/// a date (a phone number) and is skipped whole.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let alike = |d: char| {
            if c.is_ascii_digit() {
                d.is_ascii_digit()
            } else {
                d.is_ascii_alphabetic()
            }
        };
        if !c.is_ascii_alphanumeric() {
            continue;
        }
        let mut end = at + 1;
        while let Some(&(i, d)) = chars.peek() {
            if !alike(d) {
                break;
            }
            end = i + 1;
            chars.next();
        }
        let word = &text[at..end];
        let kind = if c.is_ascii_digit() {
            if word.len() > 4 {
                None
            } else {
                word.parse().ok().map(|v| Kind::Number(v, word.len()))
            }
        } else {
            month(word).map(Kind::Month)
        };
        if let Some(kind) = kind {
            out.push(Token {
                kind,
                start: at,
                end,
            });
        }
    }
    out
}

/// The month an English name (or its three-letter short form) names.
fn month(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == w || w.len() == 3 && m.starts_with(w.as_str()))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Three tokens in a row of `text` as a date: year, month, day joined by a date's separators
/// (2024/06/14, 2024-06-14, 2024年5月10日, Minguo 113/09/02); day, month's name, year; or
/// month's name, day, year, apart by spaces or a comma.
fn date_of(text: &str, a: Token, b: Token, c: Token) -> Option<NaiveDate> {
    let gap = |x: Token, y: Token| text[x.end..y.start].trim();
    match (a.kind, b.kind, c.kind) {
        (Kind::Number(y, 4), Kind::Number(m, _), Kind::Number(d, _))
            if YEARS.contains(&y)
                && [gap(a, b), gap(b, c)]
                    .iter()
                    .all(|g| matches!(*g, "/" | "-" | "." | "年" | "月")) =>
        {
            NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
        }
        // Taiwan's Minguo calendar (year 1 is 1912), written tight: 113/09/02, 113.09.02.
        (Kind::Number(y, 3), Kind::Number(m, _), Kind::Number(d, _))
            if (80..=189).contains(&y)
                && [(a, b), (b, c)]
                    .iter()
                    .all(|&(x, z)| matches!(&text[x.end..z.start], "/" | ".")) =>
        {
            NaiveDate::from_ymd_opt(i32::try_from(y + 1911).ok()?, m, d)
        }
        (Kind::Number(d, _), Kind::Month(m), Kind::Number(y, 4))
            if YEARS.contains(&y) && gap(a, b).is_empty() && gap(b, c).is_empty() =>
        {
            NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
        }
        (Kind::Month(m), Kind::Number(d, _), Kind::Number(y, 4))
            if YEARS.contains(&y) && gap(a, b).is_empty() && matches!(gap(b, c), "" | ",") =>
        {
            NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn a_notice_line_keeps_a_date_that_starts_its_change() {
        // Round 42: "起" after the date starts a span, but in an update's own line the date is
        // the update's.
        assert_eq!(first_date("【更新】2026/03/02 起開放線上退租"), None);
        assert_eq!(
            notice_date("【更新】2026/03/02 起開放線上退租"),
            ymd(2026, 3, 2)
        );
        // A Chinese year and month alone is the month's first day.
        assert_eq!(first_date("【2025年3月更新】"), ymd(2025, 3, 1));
        // A post's date after a long author name; not a span's start.
        assert_eq!(
            line_date("回覆 #2 sunnyday0917 2026/02/21"),
            ymd(2026, 2, 21)
        );
        assert_eq!(line_date("2024年1月1日起簽約的客戶"), None);
    }

    #[test]
    fn an_edit_stamp_date_is_found_after_any_label() {
        // Round 42: the label is too long for `first_date`, which reads a notice's own date.
        assert_eq!(first_date("Article last updated: June 4, 2025"), None);
        assert_eq!(
            any_date("Article last updated: June 4, 2025"),
            ymd(2025, 6, 4)
        );
        assert_eq!(any_date("本页最后更新：2024-09-02"), ymd(2024, 9, 2));
        assert_eq!(any_date("no date here"), None);
    }

    #[test]
    fn a_notice_date_in_the_forms_pages_write_it() {
        assert_eq!(first_date("Posted 12 September 2023"), ymd(2023, 9, 12));
        assert_eq!(
            first_date("Posted 3 Jan 2023 — superseded"),
            ymd(2023, 1, 3)
        );
        assert_eq!(first_date("September 12, 2023"), ymd(2023, 9, 12));
        assert_eq!(first_date("2024年5月10日"), ymd(2024, 5, 10));
        assert_eq!(first_date("公告日：2024/06/14"), ymd(2024, 6, 14));
        assert_eq!(
            first_date("【113/09/02】線上退租服務停止受理公告"),
            ymd(2024, 9, 2)
        );
        assert_eq!(first_date("2023-11-20 系統公告"), ymd(2023, 11, 20));
        assert_eq!(
            first_date("Online termination now available (posted 1 March 2024)"),
            ymd(2024, 3, 1)
        );
    }

    #[test]
    fn a_date_that_starts_a_span_or_stands_late_is_no_notice_date() {
        // The read-through of round 40: a plan's name, a contract's condition, a span.
        assert_eq!(first_date("Kite Max 168 (4 GB, 12 months)"), None);
        assert_eq!(first_date("2024年1月1日或之後簽約的客戶"), None);
        assert_eq!(
            first_date("1 May 2025 to 30 June 2025: online cancellation paused"),
            None
        );
        assert_eq!(
            first_date("Customers who signed up before 1 May 2025 can cancel online"),
            None
        );
        assert_eq!(first_date("113 年 9 月 2 日"), None);
    }

    #[test]
    fn no_date_where_there_is_none() {
        assert_eq!(first_date("Call 2888 0000 from 9am"), None);
        assert_eq!(first_date("Version 8.2 released"), None);
        assert_eq!(first_date("Mayday: 12 may 99"), None);
        // Impossible dates are none.
        assert_eq!(first_date("2024/13/40"), None);
        // A phone number's long run of digits is skipped, not read as a year.
        assert_eq!(first_date("Call 21234567 / 12 / 2024"), None);
    }

    #[test]
    fn only_the_opening_of_a_line_is_read() {
        let late = format!("{} 2024年5月10日", "x".repeat(DATE_LOOK_CHARS));
        assert_eq!(first_date(&late), None);
        // A huge line is read in its bounded head only.
        let huge = format!("2024/06/14 {}", "九".repeat(1_000_000));
        assert_eq!(first_date(&huge), ymd(2024, 6, 14));
    }
}
