//! Menu path: "Go to Manage › Plan › End plan", 依次点击“服务”›“号卡服务”›“线上销户”. A path of
//! menus told as a step is walked in the provider's app or account, so it names an online way
//! though no word says "app" or "online" (round 47's first wave: four held-out pages gave such a
//! path as the only way and were read as silent). Not a breadcrumb trail ("Help › Account ›
//! Cancelling"), which tells where a page sits and has no verb, and not a path of the phone's
//! own settings ("Settings › Cellular › Delete eSIM"), which removes a profile from the device.
//! Pure; reads the folded clause a bounded number of times.

/// Marks between the steps of a path, and after a link's or button's label ("Request
/// disconnection ›", the account page's actions).
pub(crate) const ARROWS: [char; 4] = ['›', '»', '→', '>'];

/// How many marks a path has at least: three menus or more.
const MIN_ARROWS: usize = 2;

/// Words that tell the reader to walk the path, after the fold.
const WALK: [&str; 27] = [
    // Round 51 (its first wave): a path given as such ("路徑:「我的門號 › 方案 › 結束租用」").
    "path:",
    "路径:",
    "go to ",
    "tap ",
    "select ",
    "choose ",
    "open ",
    "click ",
    "navigate to",
    "head to",
    "find ",
    "进入",
    "点击",
    "点选",
    "选择",
    "打开",
    "前往",
    "依次",
    "点按",
    "按下",
    "登入",
    "登录",
    "选取",
    // Round 55 (its first wave): a path from the home screen with its steps as verbs ("主頁 >
    // 「我的計劃」>「結束計劃」> 揀選最後服務日 > 輸入一次性密碼 >「確認」"), or one where a form
    // is filled in ("於「賬戶」>「服務申請」>「終止流動電話服務」填寫表格"). A breadcrumb does
    // neither.
    "拣选",
    "输入",
    "确认",
    "填写",
];

/// The phone's own settings, after the fold: a path there acts on the device, not the line.
const DEVICE: [&str; 8] = [
    "cellular",
    "mobile data",
    "mobile network",
    "蜂窝",
    "行动数据",
    "流动数据",
    "移动数据",
    "行动网络",
];

/// Does a folded clause walk the reader down a path of menus ("go to manage › plan › end
/// plan")?
pub(super) fn walks_a_menu(clause: &str) -> bool {
    names_a_menu(clause) && WALK.iter().any(|w| clause.contains(w))
}

/// Does the text before a clause end with a word that walks a path, under a colon ("依序点选:",
/// "路径:", "Path:")? The clause cut at the colon holds the path alone. Text is normalised.
pub(super) fn walked_before(before: &str) -> bool {
    let Some(head) = before
        .trim_end_matches([' ', '"', '\'', '「', '“'])
        .strip_suffix(':')
    else {
        return false;
    };
    let head = head.trim_end();
    WALK.iter()
        .any(|w| head.ends_with(w.trim_end_matches([' ', ':'])))
}

/// Does the text name a path of menus ([`MIN_ARROWS`] marks or more), not the phone's own
/// settings? Without the verb that walks it, as after a way's label ("in the app: my lines ›
/// manage › end this line"). Text is normalised.
pub(super) fn names_a_menu(text: &str) -> bool {
    (text
        .chars()
        .filter(|c| ARROWS.contains(c))
        .take(MIN_ARROWS)
        .count()
        == MIN_ARROWS
        || quoted_path(text))
        && !DEVICE.iter().any(|w| text.contains(w))
}

/// A path of two menus quoted as one name ("可於「服務申請 › 取消服務」選擇號碼…提交", round 65's
/// sixth wave): the quotes make it a label on the screen, not a breadcrumb. Read within
/// [`QUOTED_PATH_CHARS`] characters of the opening quote.
fn quoted_path(text: &str) -> bool {
    text.match_indices(['「', '“']).any(|(at, open)| {
        let close = if open == "「" { '」' } else { '”' };
        let inside: String = text[at + open.len()..]
            .chars()
            .take(QUOTED_PATH_CHARS)
            .take_while(|&c| c != close)
            .collect();
        inside.chars().count() < QUOTED_PATH_CHARS
            && inside.chars().any(|c| ARROWS.contains(&c))
            && !inside.contains(['「', '“'])
    })
}

/// Longest quoted path read ([`quoted_path`]), in characters.
const QUOTED_PATH_CHARS: usize = 30;

#[cfg(test)]
mod tests {
    use super::walks_a_menu;
    use crate::extract::normalise::for_matching;

    fn walks(s: &str) -> bool {
        walks_a_menu(&for_matching(s))
    }

    #[test]
    fn a_path_of_menus_told_as_a_step_is_walked() {
        assert!(walks(
            "Go to Manage › Plan › End plan, pick a reason and tap Confirm."
        ));
        assert!(walks("依次点击“服务”›“号卡服务”›“线上销户”"));
        assert!(walks(
            "主頁 >「我的計劃」>「結束計劃」> 揀選最後服務日 > 輸入一次性密碼 >「確認」。"
        ));
        assert!(walks(
            "於「賬戶」>「服務申請」>「終止流動電話服務」填寫表格"
        ));
        assert!(walks(
            "Open Line > Plan > End plan and confirm with the code we text you."
        ));
        // Two menus quoted as one label, with the verb that walks them.
        assert!(walks(
            "可於「服務申請 › 取消服務」選擇號碼及最後服務日期後提交"
        ));
        assert!(!walks("選擇「服務申請」後提交"));
    }

    #[test]
    fn a_trail_a_single_step_or_the_phones_settings_are_not() {
        assert!(!walks("Help › My account › Cancelling your service"));
        assert!(!walks("Go to Plan › Change plan."));
        assert!(!walks("Go to Settings › Cellular › Delete eSIM."));
        assert!(!walks("Prices > $30 > per month"));
    }
}
