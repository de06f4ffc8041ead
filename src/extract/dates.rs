//! Finds the date a notice is dated with, in a short line of page text ("Posted 12 September
//! 2023", "2024年5月10日", "公告日：2024/06/14", "【113/09/02】" in Taiwan's Minguo years). Pure:
//! the verdict uses it to tell which of a page's dated notices is the latest (round 40). Text
//! only; it knows nothing of the page.

use chrono::NaiveDate;

/// How many characters of a line are read for its date: a notice's date opens it or its
/// heading, and a bounded look keeps a huge line cheap.
pub const DATE_LOOK_CHARS: usize = 80;

/// The first date in the opening [`DATE_LOOK_CHARS`] of `text`, if it has one.
pub fn first_date(text: &str) -> Option<NaiveDate> {
    let head = crate::extract::block::first_chars(text, DATE_LOOK_CHARS);
    let tokens = tokens(head);
    tokens.windows(3).find_map(|w| date_of(w[0], w[1], w[2]))
}

/// A number (its value and how many digits it has) or an English month's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Number(u32, usize),
    Month(u32),
}

/// The numbers and month names of `text`, in order. A run of more than 4 digits is no part of
/// a date (a phone number) and is skipped whole.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_ascii_digit() {
            let mut end = at + 1;
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = i + 1;
                chars.next();
            }
            let digits = &text[at..end];
            if digits.len() <= 4
                && let Ok(v) = digits.parse()
            {
                out.push(Token::Number(v, digits.len()));
            }
        } else if c.is_ascii_alphabetic() {
            let mut end = at + 1;
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_ascii_alphabetic() {
                    break;
                }
                end = i + 1;
                chars.next();
            }
            if let Some(m) = month(&text[at..end]) {
                out.push(Token::Month(m));
            }
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

/// Three tokens in a row as a date: year, month, day (2024/06/14, 2024年5月10日, Minguo
/// 113/09/02); day, month's name, year; or month's name, day, year.
fn date_of(a: Token, b: Token, c: Token) -> Option<NaiveDate> {
    let year = |v: u32, digits: usize| match digits {
        4 if (1990..=2100).contains(&v) => i32::try_from(v).ok(),
        // Taiwan's Minguo calendar: year 1 is 1912.
        3 if (80..=189).contains(&v) => i32::try_from(v + 1911).ok(),
        _ => None,
    };
    match (a, b, c) {
        (Token::Number(y, yd), Token::Number(m, _), Token::Number(d, _)) => {
            NaiveDate::from_ymd_opt(year(y, yd)?, m, d)
        }
        (Token::Number(d, _), Token::Month(m), Token::Number(y, 4)) => {
            NaiveDate::from_ymd_opt(year(y, 4)?, m, d)
        }
        (Token::Month(m), Token::Number(d, _), Token::Number(y, 4)) => {
            NaiveDate::from_ymd_opt(year(y, 4)?, m, d)
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
