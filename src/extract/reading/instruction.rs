//! Instruction: does a sentence tell the reader what to do or what they can do ("Log in to My
//! Account", "You can do this by email", 可以通过在线渠道完成, 请登录网上营业厅), rather than
//! tell of something ("NBN called an emergency online meeting", "On its website, Acme proclaims
//! …", 虽然线上预约显示成功)? Asked only of an online word that names no ending under a heading
//! about ending (an online mention "in passing"): a way told to the reader there is a way to
//! end, a story is not. Pure; reads the normalised sentence a bounded number of times (one per
//! marker).

use super::whole_word;

/// Words that open an English instruction, after an optional softener; also what opens a step's
/// label rather than a product's ("Call us: …", "Email: …", [`opens_with_imperative`]).
const IMPERATIVES: [&str; 37] = [
    "log", "sign", "go", "visit", "call", "ring", "phone", "click", "tap", "select", "choose",
    "open", "contact", "email", "e-mail", "send", "submit", "fill", "complete", "use", "head",
    "navigate", "give", "reach", "chat", "message", "text", "write", "request", "ask", "tell",
    "let", "drop", "find", "run", "enter", "execute",
];

/// Words that open a phrase of place or means before the imperative ("From the command line,
/// run:", "In My Account, select …").
const PLACE_OPENERS: [&str; 7] = ["from", "in", "on", "via", "through", "using", "inside"];

/// Words a phrase of place may have before its comma.
const PLACE_WORDS: usize = 6;

/// Words that may stand before the imperative ("Just call us", "Then log in"). "Please" and
/// "simply" instruct anywhere in the sentence ([`MODAL_EN`]).
const SOFTENERS: [&str; 4] = ["just", "then", "first", "now"];

/// English words that offer the reader a way or tell them what they must do, anywhere in the
/// sentence.
const MODAL_EN: [&str; 12] = [
    "you can",
    "you may",
    "you could",
    "you'll need to",
    "you will need to",
    "you need to",
    "you must",
    "you should",
    "you have to",
    "can do this",
    "please",
    "simply",
];

/// What a way offered in the passive says is done ("can be done", "may be sent").
const PASSIVES: [&str; 6] = [
    "be done",
    "be made",
    "be sent",
    "be submitted",
    "be requested",
    "be arranged",
];

/// The modals that make such a passive an offer.
const MODALS: [&str; 5] = ["can", "could", "may", "must", "should"];

/// Chinese words that offer a way or tell the reader to do something (after the fold to
/// Simplified).
const MODAL_ZH: [&str; 17] = [
    "可以",
    "可通过",
    "可于",
    "可在",
    "可到",
    "可致电",
    "可拨打",
    "需要",
    "需",
    "须",
    "登录",
    "进入",
    "点击",
    "拨打",
    "致电",
    "前往",
    "您可",
];

/// Does normalised `sentence` instruct the reader (see the module's doc)?
pub(crate) fn instructs(sentence: &str) -> bool {
    if MODAL_ZH.iter().any(|w| sentence.contains(w)) {
        return true;
    }
    // 请 asks the reader ("请登录"), but not inside 申请 (an application) or 邀请.
    if sentence
        .match_indices('请')
        .any(|(at, _)| !sentence[..at].ends_with(['申', '邀']))
    {
        return true;
    }
    // "PUT /v1/sims/{iccid} { "status": "RETIRED" }": a request line is the call to make
    // (round 35's reviews, an IoT API page).
    if let Some(route) = super::api_route::route(sentence)
        && sentence.starts_with(route.method)
        && route.method != "get"
    {
        return true;
    }
    if MODAL_EN.iter().any(|w| {
        sentence
            .match_indices(w)
            .any(|(at, _)| whole_word(sentence, at, w.len()))
    }) {
        return true;
    }
    // "This can usually be done through their website": a way offered in the passive, with a
    // modal up to two words before it.
    for passive in PASSIVES {
        for (at, _) in sentence.match_indices(passive) {
            let before: Vec<&str> = sentence[..at].split_whitespace().rev().take(3).collect();
            if before.iter().any(|w| MODALS.contains(w)) {
                return true;
            }
        }
    }
    // "From the command line, run:": the imperative after a short phrase of place.
    if PLACE_OPENERS
        .iter()
        .any(|p| sentence.starts_with(p) && whole_word(sentence, 0, p.len()))
        && let Some(comma) = sentence.find(',')
        && sentence[..comma].split_whitespace().count() <= PLACE_WORDS
        // "From 1 July, call charges will rise": a date, not a place.
        && !sentence[..comma].bytes().any(|b| b.is_ascii_digit())
        && sentence[comma + 1..]
            .split_whitespace()
            .next()
            .is_some_and(|w| {
                IMPERATIVES.contains(&w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()))
            })
    {
        return true;
    }
    if opens_with_order(sentence) {
        return true;
    }
    // "Online: log in to My Account", "In the app: My lines › Manage › End this line": a short
    // label (a way's, as a rule), then what to do there or the menu to follow (round 48).
    if let Some(rest) = after_label(sentence)
        && (opens_with_order(rest)
            || super::menu_path::names_a_menu(rest)
            || after_condition(rest).is_some_and(opens_with_order))
    {
        return true;
    }
    // "If you no longer have the phone, write to …": an order after its condition.
    after_condition(sentence).is_some_and(opens_with_order)
}

/// Does `text` open with an imperative, perhaps after a softener ("Just call us")?
fn opens_with_order(text: &str) -> bool {
    let mut words = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty());
    let first = words.next().unwrap_or("");
    let verb = if SOFTENERS.contains(&first) {
        words.next().unwrap_or("")
    } else {
        first
    };
    IMPERATIVES.contains(&verb.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()))
}

/// Longest label read before its colon or dash, in characters.
const LABEL_CHARS: usize = 32;

/// What follows a short label before a colon or a spaced dash ("online: …", "by e-mail: …",
/// "in the app - …"): a few words, no digits (not a time or a date), not an address's colon.
/// The dash is why [`crate::extract::block::split_label`] (colons only) is not enough.
fn after_label(sentence: &str) -> Option<&str> {
    let head = crate::extract::block::first_chars(sentence, LABEL_CHARS);
    let (at, len) = [":", " - ", " – ", " — "]
        .iter()
        .filter_map(|m| head.find(m).map(|at| (at, m.len())))
        .min()?;
    let (label, rest) = (&sentence[..at], &sentence[at + len..]);
    (!rest.starts_with("//")
        && !label.trim().is_empty()
        && label.split_whitespace().count() <= PLACE_WORDS
        && !label.bytes().any(|b| b.is_ascii_digit()))
    .then(|| rest.trim_start())
}

/// What follows the comma of an opening condition ("if you no longer have the phone, …"), when
/// the condition is short. The comma is looked for in the first [`CONDITION_CHARS`] characters.
fn after_condition(sentence: &str) -> Option<&str> {
    const CONDITIONS: [&str; 2] = ["if ", "when "];
    if !CONDITIONS.iter().any(|c| sentence.starts_with(c)) {
        return None;
    }
    let comma = crate::extract::block::first_chars(sentence, CONDITION_CHARS).find(',')?;
    (sentence[..comma].split_whitespace().count() <= CONDITION_WORDS)
        .then(|| sentence[comma + 1..].trim_start())
}

/// Words an opening condition may have before its comma.
const CONDITION_WORDS: usize = 12;
/// How far into the sentence the condition's comma is looked for.
const CONDITION_CHARS: usize = 120;

/// Is `word` (lower-case ASCII) one of the verbs an English instruction opens with?
pub(crate) fn opens_with_imperative(word: &str) -> bool {
    IMPERATIVES.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::instructs;
    use crate::extract::normalise::for_matching;

    #[test]
    fn a_way_told_to_the_reader_instructs() {
        for s in [
            "Log into your account either via the website or the app.",
            "You can do this via phone or email.",
            "This can usually be done through their website, by phone, or in a store.",
            "In order to do this, please log in to My Account.",
            "Then chat with us online.",
            "这通常可以通过客服电话、邮件或在线渠道来完成。",
            "請登入網上客戶中心。",
            "From the command line, run:",
            "In My Account, select Close line.",
            "Online: log in to My Account.",
            "In the app: My lines › Manage › End this line.",
            "By e-mail: if you no longer have the phone, write to close@example.com.",
            "In the app - tap End plan.",
            "If you are moving abroad, call us on 1234.",
            "In the Gaillimh app: Manage › Plan › Stop plan.",
            "When you're ready, call us: 0800 555 0100.",
        ] {
            assert!(instructs(&for_matching(s)), "{s}");
        }
    }

    #[test]
    fn a_date_before_the_comma_is_no_place() {
        assert!(!instructs(&for_matching(
            "From 1 July, call charges to 1234 will rise."
        )));
    }

    #[test]
    fn a_story_or_a_remark_does_not() {
        for s in [
            "NBN called an emergency online meeting with the retailers on Monday.",
            "On its website, Acme proudly proclaims it was named the best provider.",
            "Before you make any calls or click any buttons, grab your service agreement.",
            "To modify anything on your account, you need your login credentials.",
            "With the rise of internet-based services like WhatsApp, the need for a landline has diminished.",
            "虽然线上预约显示成功,但随后一天内又接到四个电话。",
            "Logging is enabled on the website.",
            "线上申请显示已经受理。",
            "Online: the new store opens at 10:00.",
            "If you call us, we will confirm by email.",
            "Online: speeds > 100 Mbps in most areas.",
            // A label looked for across multi-byte characters.
            "線上服務說明：本公司提供多種線上服務，包括帳單查詢與繳費等項目。",
        ] {
            assert!(!instructs(&for_matching(s)), "{s}");
        }
    }
}
