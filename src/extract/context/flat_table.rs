//! A table flattened into lines of text, as a PDF's text or a copied table gives it: a header
//! line naming the ways ("申請項目 直營門市 特約門市 客服188 官網 APP", "Service Item Online
//! Self-service Portal Peak App Retail Shop Hotline 1833 Remarks") and, below it, one line per
//! request with a mark per way ("門號退租 ✓ ✗ ✗ ✗ ✗", "Cancel prepaid SIM service Y N Y N …").
//! This module only splits such lines; which way a column is, and what the row says, is the
//! context's reading (`Page::flat_row`).

/// What a column of ways is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    Online,
    Offline,
}

/// Most marks read from one line: a wider run is no table of ways.
const MAX_MARKS: usize = 12;

/// Most gaps between ways that may be closed: a header naming more ways side by side is no
/// table of a row's few marks.
const MAX_JOINABLE: usize = 8;

/// Most words of a header line split into columns a word each.
const MAX_HEADER_WORDS: usize = 40;

/// A row's marks: the byte length of its label (the text before the first mark) and each
/// mark's yes or no, when the line has a run of at least two marks after a label.
pub fn row_marks(line: &str) -> Option<(usize, Vec<bool>)> {
    // Every sentence of a page is asked; nearly none has a mark, so look for one first.
    if !may_have_marks(line) {
        return None;
    }
    let mut label = false;
    let mut start = 0;
    let mut marks = Vec::new();
    for (at, word) in words(line) {
        // A copied table's cell rule ("Close account | — | — | ✓ | ✓") parts cells only.
        if word == "|" {
            continue;
        }
        match mark(word) {
            Some(yes) if label => {
                if marks.is_empty() {
                    start = at;
                }
                marks.push(yes);
                if marks.len() > MAX_MARKS {
                    return None;
                }
            }
            Some(_) => {}
            None if marks.len() >= 2 => break,
            None => {
                label = true;
                marks.clear();
            }
        }
    }
    if marks.len() >= 2 {
        return Some((start, marks));
    }
    glued_marks(line)
}

/// Does `line` hold a character a mark is written with, or a word opening with Y or N (after a
/// space)? A cheap test before the line is split into words.
fn may_have_marks(line: &str) -> bool {
    let bytes = line.as_bytes();
    line.char_indices().any(|(i, c)| match c {
        'Y' | 'N' => i > 0 && bytes[i - 1] == b' ',
        '✓' | '✔' | '√' | '☑' | '○' | '●' | '◎' | '✗' | '✘' | '×' | '☒' | '❌' | '—' | '－'
        | '是' | '否' => true,
        _ => false,
    })
}

/// A row whose marks the extraction glued to its label, as it spaces Chinese text
/// ("号码销户是否是是(仅限个人"): a run of at least two marks closing a word, before a note in
/// brackets, after a label in the same word. Not "是否可以" (whether), which goes on.
fn glued_marks(line: &str) -> Option<(usize, Vec<bool>)> {
    for (at, word) in words(line).take(MAX_HEADER_WORDS) {
        let core = word.find(['(', '（']).map_or(word, |b| &word[..b]);
        let mut run = Vec::new();
        let mut start = core.len();
        for (i, c) in core.char_indices().rev() {
            match c {
                '是' | '✓' | '○' => run.push(true),
                '否' | '✗' | '×' => run.push(false),
                _ => break,
            }
            start = i;
            if run.len() > MAX_MARKS {
                return None;
            }
        }
        if run.len() >= 2 && start > 0 {
            run.reverse();
            return Some((at + start, run));
        }
    }
    None
}

/// The ways a header line's columns may stand for, `count` of them (one per mark of the row
/// under it). `ways` are the spans of the ways the line names (byte offsets, online or not), in
/// order. Each way is a column ("直營門市特約門市客服熱線 官網 APP"), save that ways of one kind
/// apart by a space only may be one ("Online Self-service", but "Retail Shop Hotline" is two):
/// every such grouping into `count` columns is given, for the caller to read them all. Failing
/// those, every word after the first (the rows' own column) is one, when each word names one
/// kind of way or none.
pub fn columns(header: &str, count: usize, ways: &[(usize, usize, bool)]) -> Vec<Vec<Option<Way>>> {
    let mut splits = Vec::new();
    if words(header).any(|(_, w)| mark(w).is_some()) || ways.len() < 2 || count == 0 {
        return splits;
    }
    let way = |online: bool| Some(if online { Way::Online } else { Way::Offline });
    // The gaps between neighbours that may be closed, as bits of a mask.
    let joinable: Vec<usize> = (1..ways.len())
        .filter(|&i| {
            let (a, b) = (ways[i - 1], ways[i]);
            a.2 == b.2
                && b.0 > a.1
                && header
                    .get(a.1..b.0)
                    .is_some_and(|gap| gap.trim().is_empty())
        })
        .collect();
    let joins = ways.len().saturating_sub(count);
    if ways.len() >= count && joinable.len() <= MAX_JOINABLE {
        for mask in 0u32..(1 << joinable.len()) {
            if mask.count_ones() as usize != joins {
                continue;
            }
            let joined = |i: usize| {
                joinable
                    .iter()
                    .position(|&j| j == i)
                    .is_some_and(|bit| mask & (1 << bit) != 0)
            };
            splits.push(
                (0..ways.len())
                    .filter(|&i| !joined(i))
                    .map(|i| way(ways[i].2))
                    .collect(),
            );
        }
    }
    if !splits.is_empty() {
        return splits;
    }
    // A copied table's cell rules part the header's cells ("Request | Online (My Aurora) | App
    // | Phone 1-877-555-0190 | Store").
    if header.contains('|') {
        let mut at = 0;
        let cells: Vec<(usize, &str)> = header
            .split('|')
            .map(|cell| {
                let start = at;
                at += cell.len() + 1;
                (start, cell)
            })
            .collect();
        if cells.len() == count + 1 {
            splits.extend(cell_ways(&cells[1..], ways));
        }
        return splits;
    }
    let words: Vec<(usize, &str)> = words(header).take(MAX_HEADER_WORDS + 1).collect();
    if words.len() != count + 1 {
        return splits;
    }
    splits.extend(cell_ways(&words[1..], ways));
    splits
}

/// The way each of `cells` (its offset in the line and its text) names, when each names one
/// kind of way or none.
fn cell_ways(cells: &[(usize, &str)], ways: &[(usize, usize, bool)]) -> Option<Vec<Option<Way>>> {
    let way = |online: bool| Some(if online { Way::Online } else { Way::Offline });
    cells
        .iter()
        .map(|&(at, w)| {
            let mut inside = ways.iter().filter(|x| x.0 >= at && x.1 <= at + w.len());
            match inside.next() {
                None => Some(None),
                Some(first) if inside.all(|x| x.2 == first.2) => Some(way(first.2)),
                Some(_) => None,
            }
        })
        .collect()
}

/// The words of a line with their byte offsets.
fn words(line: &str) -> impl Iterator<Item = (usize, &str)> {
    line.split_whitespace().map(move |w| {
        // Offsets of the slices split_whitespace gives, from the line's own start.
        (w.as_ptr() as usize - line.as_ptr() as usize, w)
    })
}

/// A cell's mark: yes (✓, Y, Yes, ○, ●, 是) or no (✗, N, No, ×, —, 否), as tables of ways write
/// them; a note in brackets may follow it ("是(仅限个人").
fn mark(word: &str) -> Option<bool> {
    let word = word.trim_end_matches('|');
    let word = match word.find(['(', '（']) {
        Some(at) if at > 0 => &word[..at],
        _ => word,
    };
    match word {
        "✓" | "✔" | "√" | "☑" | "○" | "●" | "◎" | "Y" | "Yes" | "YES" | "是" => {
            Some(true)
        }
        // Not lower-case "no" or a dash alone: "Fee: no - none" is no row of ways.
        "✗" | "✘" | "×" | "☒" | "❌" | "N" | "No" | "NO" | "—" | "－" | "否" => {
            Some(false)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spans of the listed words in `header`, as the lexicon would give them.
    fn spans(header: &str, online: &[&str], offline: &[&str]) -> Vec<(usize, usize, bool)> {
        let mut v: Vec<(usize, usize, bool)> = online
            .iter()
            .map(|w| (w, true))
            .chain(offline.iter().map(|w| (w, false)))
            .flat_map(|(w, o)| {
                header
                    .match_indices(w)
                    .map(move |(at, _)| (at, at + w.len(), o))
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_row_is_a_label_and_a_run_of_marks() {
        let (end, marks) = row_marks("門號退租 ✓ ✗ ✗ ✗ ✗").unwrap();
        assert_eq!(end, "門號退租 ".len());
        assert_eq!(marks, [true, false, false, false, false]);
        let line = "Cancel prepaid SIM service Y N Y N Only applicable to cards registered.";
        let (end, marks) = row_marks(line).unwrap();
        assert_eq!(&line[..end], "Cancel prepaid SIM service ");
        assert_eq!(marks, [true, false, true, false]);
        // One mark is a word ("Plan N"), marks with no label are no row.
        assert_eq!(row_marks("Choose plan N to continue"), None);
        assert_eq!(row_marks("✓ ✓ ✗"), None);
        assert_eq!(row_marks("A B C"), None);
        assert!(!may_have_marks("Cancel your plan online in My Account."));
        assert!(may_have_marks("Cancel plan Y N"));
        // Cell rules part cells; a note in brackets may follow a mark.
        let (end, marks) = row_marks("Close account | — | — | ✓ | ✓").unwrap();
        assert_eq!(end, "Close account | ".len());
        assert_eq!(marks, [false, false, true, true]);
        let (_, marks) = row_marks("号码销户 是 否 是 是(仅限个人").unwrap();
        assert_eq!(marks, [true, false, true, true]);
        // Marks glued to a label by the spacing of Chinese; not a word that goes on after them.
        let (end, marks) = row_marks("号码销户是否是是(仅限个人").unwrap();
        assert_eq!(end, "号码销户".len());
        assert_eq!(marks, [true, false, true, true]);
        assert_eq!(row_marks("请问是否可以网上销户"), None);
        assert_eq!(row_marks("是否"), None);
        // A run wider than any table of ways is no row.
        assert_eq!(
            row_marks(&format!("Row{}", " Y".repeat(MAX_MARKS + 1))),
            None
        );
    }

    #[test]
    fn header_lines_are_split_into_as_many_columns_as_marks() {
        use Way::{Offline as Off, Online as On};
        // Words glued by the extraction's spacing of Chinese: each way its own column.
        let h = "申請項目直營門市特約門市客服熱線 官網 APP";
        let w = spans(h, &["官網", "APP"], &["門市", "客服熱線"]);
        assert_eq!(
            columns(h, 5, &w),
            [[Some(Off), Some(Off), Some(Off), Some(On), Some(On)]]
        );
        // Ways of one kind a space apart may be one column: each way of reading them is given.
        let h = "Service Item Online Self-service Portal Peak App Retail Shop Hotline 1833 Remarks";
        let w = spans(h, &["Online", "Self-service", "App"], &["Shop", "Hotline"]);
        assert_eq!(
            columns(h, 4, &w),
            [
                [Some(On), Some(On), Some(Off), Some(Off)],
                [Some(On), Some(On), Some(On), Some(Off)]
            ]
        );
        // Every word after the rows' own column, when not every way is named.
        let h = "項目 門市 網站 其他";
        assert_eq!(
            columns(h, 3, &spans(h, &["網站"], &["門市"])),
            [[Some(Off), Some(On), None]]
        );
        // Cell rules part the header's cells.
        let h = "Request | Online (My Aurora) | App | Phone 1-877-555-0190 | Store";
        let w = spans(h, &["Online", "App"], &["Phone", "Store"]);
        assert_eq!(
            columns(h, 4, &w),
            [[Some(On), Some(On), Some(Off), Some(Off)]]
        );
        // No split into the row's count, or one way named: no columns.
        let h = "申請項目 直營門市 官網";
        assert!(columns(h, 4, &spans(h, &["官網"], &["門市"])).is_empty());
        let h = "Item Shop Fee";
        assert!(columns(h, 2, &spans(h, &[], &["Shop"])).is_empty());
        // A line of marks is a row, not a header.
        let h = "門號退租 ✓ 官網 APP";
        assert!(columns(h, 2, &spans(h, &["官網", "APP"], &[])).is_empty());
    }
}
