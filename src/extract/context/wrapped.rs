//! Lines wrapped in the middle of a sentence: terms pasted from a PDF into a page, one line per
//! paragraph or per `<br>` ("…given if sent by e-mail, SMS, webchat or through the" / "Online
//! Account."). The verdict reads such a run of lines as the sentences they hold; the blocks
//! themselves (what is stored and diffed) stay as the page has them.

use super::CJK_NUMERALS;

/// How many lines one wrapped sentence may run over, and how long the joined text may grow
/// (a hostile page of ten thousand unterminated lines is read line by line past these).
pub(super) const MAX_LINES: usize = 8;
pub(super) const MAX_CHARS: usize = 2_000;

/// The shortest line that can have been wrapped, in characters: a label ("適用：月租型門號"),
/// a heading-like line ("How to cancel") or a clause number ("7.1") is not.
const WRAPPED_CHARS_EN: usize = 30;
const WRAPPED_CHARS_CJK: usize = 18;
/// How far into a line a label's colon is looked for, in characters.
const LABEL_CHARS: usize = 8;

/// Words that cannot end an English sentence: a line ending in one goes on.
const OPEN_WORDS: [&str; 34] = [
    "the", "a", "an", "of", "to", "by", "or", "and", "in", "on", "at", "for", "with", "from",
    "between", "through", "via", "than", "that", "which", "be", "been", "is", "are", "will",
    "shall", "may", "must", "not", "your", "our", "its", "their", "any",
];

/// Does line `prev` stop mid-sentence and `next` go on with it?
pub(super) fn wraps_into(prev: &str, next: &str) -> bool {
    let (prev, next) = (prev.trim_end(), next.trim_start());
    let (Some(last), Some(first)) = (prev.chars().next_back(), next.chars().next()) else {
        return false;
    };
    // "…not less than thirty" / "(30) days' notice": a number restated, not an item (b).
    let restated = last.is_ascii_alphabetic()
        && next.strip_prefix('(').is_some_and(|r| {
            let d = r.chars().take_while(char::is_ascii_digit).count();
            d > 0 && r[d..].starts_with(')')
        });
    if starts_a_clause(next) && !restated {
        return false;
    }
    if is_cjk(last) || last == '，' || last == '、' {
        // A label's line ("发布日期：2025年5月8日") is whole.
        let labelled = prev
            .chars()
            .take(LABEL_CHARS)
            .any(|c| c == '：' || c == ':');
        return !labelled
            && prev.chars().nth(WRAPPED_CHARS_CJK).is_some()
            && (is_cjk(first) || first.is_ascii_alphanumeric() || "「（“".contains(first))
            && !"（(".contains(first);
    }
    if !(last.is_ascii_alphanumeric() || last == ',')
        || prev.chars().nth(WRAPPED_CHARS_EN).is_none()
    {
        return false;
    }
    let last_word = prev
        .rsplit(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    first.is_ascii_lowercase()
        || last == ','
        || OPEN_WORDS.contains(&last_word.as_str())
        || restated
}

/// Is `line` a clause or item of its own: a number ("7.2 …", "12.", "(b)"), 第十條, (一), 一、?
fn starts_a_clause(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = &line[digits..];
        return rest.starts_with('.') || rest.starts_with('、') || rest.starts_with(')');
    }
    let mut chars = line.chars();
    match chars.next() {
        Some('第') => true,
        Some('(' | '（') => {
            let inner: String = chars
                .take_while(|&c| c != ')' && c != '）')
                .take(4)
                .collect();
            inner.chars().count() <= 3
                && inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || CJK_NUMERALS.contains(c))
        }
        Some(c) if CJK_NUMERALS.contains(c) => line[c.len_utf8()..].starts_with('、'),
        _ => false,
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_cut_mid_sentence_goes_on() {
        // Round 43's tuning reviews (43c-40, 43g-23): terms pasted from a PDF.
        assert!(wraps_into(
            "Notice shall not be deemed to have been given if sent by e-mail, SMS, webchat or through the",
            "Online Account."
        ));
        assert!(wraps_into(
            "Save as provided in clause 7.4, you may terminate this Agreement by giving us not less than thirty",
            "(30) days' notice, provided that such notice is given by telephone"
        ));
        assert!(wraps_into(
            "You may cancel a Service at any time by calling us on 13 44 90 between",
            "8am and 8pm, or by visiting a store."
        ));
        assert!(wraps_into(
            "12.2 客戶如欲終止本服務,須於預定終止日最少三十日",
            "前,親臨澳門電訊門市以書面方式提出,並出示登記"
        ));
    }

    #[test]
    fn a_finished_line_a_label_or_a_new_clause_does_not() {
        assert!(!wraps_into(
            "You can cancel in the app.",
            "call us if you prefer"
        ));
        assert!(!wraps_into(
            "How to cancel",
            "call us on 13 44 90 between 8am and 8pm"
        ));
        assert!(!wraps_into("適用：月租型門號", "操作步驟"));
        assert!(!wraps_into(
            "发布日期：2025年5月8日星期四上午十时正公布",
            "此前，个人客户注销号码须到营业厅办理。"
        ));
        assert!(!wraps_into(
            "You may cancel a Service at any time by calling us on 13 44 90 between",
            "7.2 Notices sent by email are not effective."
        ));
        assert!(!wraps_into(
            "客戶可隨時終止本服務,惟須受第十二條之約束",
            "第十三條 費用"
        ));
        assert!(!wraps_into(
            "客戶可隨時終止本服務,惟須受第十二條之約束",
            "(一) 月費"
        ));
        assert!(!wraps_into(
            "Our team can help you with billing, roaming and anything else at all",
            "Manage your plan in the app."
        ));
    }
}
