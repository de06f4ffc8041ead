//! How a statement words its ways: a refusal of every way or of the ways it lists, a sole way,
//! a narrow route (email alone, one form), and the runs of blocks a list of steps makes. Pure.

use crate::extract::reading::ONESELF;
use std::collections::{BTreeMap, BTreeSet};

/// Does a denial of the online way refuse every one ("Requests through any other channel are
/// invalid", 本公司概不接受任何經網上途徑提出之終止服務要求)? Beside an online offer it is a
/// contradiction however often the offer is repeated.
pub(super) fn universal(sentence: &str) -> bool {
    let t = crate::extract::block::bounded(sentence).to_lowercase();
    UNIVERSAL.iter().any(|w| t.contains(w))
}

/// Does a denial of the online way list two ways or more ("Cancellation requests can't be
/// processed online or in the app", 本公司不會接受透過應用程式、網站或電話提出之終止要求)?
/// A refusal that names the ways one by one is the page's rule for everyone, not an exception
/// for some: beside steps in the app it is a contradiction however often they are repeated
/// (round 45's reviews). Reads the first [`crate::extract::block::bounded`] part.
pub(super) fn refuses_ways(sentence: &str) -> bool {
    lists_two_ways(&crate::extract::normalise::for_matching(
        &crate::extract::block::bounded(sentence),
    ))
}

/// Does folded text name two of [`WAYS_LISTED`] or more?
pub(super) fn lists_two_ways(t: &str) -> bool {
    WAYS_LISTED
        .iter()
        .filter(|w| crate::extract::context::names_word(t, w))
        .take(2)
        .count()
        == 2
}

/// Does a sentence refuse two listed ways or more with a word of refusal ("…; requests by
/// phone, fax or online are not accepted", 本公司不受理以網路、電話或傳真方式提出之申請)?
pub(super) fn refuses_listed_ways(sentence: &str) -> bool {
    // Folded: the words of refusal are listed in Simplified (不予處理, 不獲受理 are read too).
    let t = crate::extract::normalise::for_matching(&crate::extract::block::bounded(sentence));
    REFUSED.iter().any(|w| t.contains(w)) && lists_two_ways(&t)
}

/// Does a demand of an offline way say it is the only way ("Termination is only accepted in
/// person", "requests are accepted by telephone only", 只接受由登記客戶親臨門市遞交)? Such a
/// demand beside an online offer is a contradiction, not a majority vote (round 38's reviews:
/// steps in the app against a footnote or a clause of the terms).
pub(super) fn sole_way(sentence: &str) -> bool {
    let t = crate::extract::block::bounded(sentence).to_lowercase();
    // "A request to terminate is only effective when made by telephone": the case is the way
    // itself (round 39).
    let valid_only = crate::extract::reading::ONLY_VALID
        .iter()
        .any(|w| t.contains(w))
        && MADE_THAT_WAY.iter().any(|w| t.contains(w));
    (SOLE.iter().any(|w| t.contains(w)) || refuses_other_ways(&t))
        && !NOT_SOLE.iter().any(|w| t.contains(w))
        && (valid_only || !names_a_case(&t))
}

/// Does the text (lower-cased) name a case the way is for ([`ONLY_A_CASE`])? The fee of ending
/// early names none: "…致電熱線辦理，以便職員講解提前終止費用" is the only way for every ending
/// (round 62's first wave).
fn names_a_case(t: &str) -> bool {
    ONLY_A_CASE.iter().any(|w| {
        t.match_indices(w).any(|(at, _)| {
            let after = &t[at + w.len()..];
            !EARLY_FEES.iter().any(|f| after.starts_with(f))
        })
    })
}

/// What follows "early" or 提前 in the name of ending early's fee, lower-cased.
const EARLY_FEES: [&str; 6] = [
    " termination fee",
    " termination charge",
    " cancellation fee",
    "終止費",
    "终止费",
    "解約金",
];

/// Does the text (lower-cased) refuse every way but the one named ("Requests made by other
/// means will not be processed", 通过其他渠道提交的销户申请，我司不予受理)?
pub(crate) fn refuses_other_ways(t: &str) -> bool {
    OTHER_WAYS.iter().any(|w| t.contains(w)) && REFUSED.iter().any(|w| t.contains(w))
}

/// How many runs of neighbouring block numbers the set holds ({3, 4, 9} holds two). A step
/// whose list starts at or before the block after the last one (`starts`) goes on its run
/// ({4, 5, 7} with 7 a step of the list led in by 4 holds one).
pub(super) fn runs(blocks: &BTreeSet<usize>, starts: &BTreeMap<usize, usize>) -> usize {
    let mut last = None;
    let mut n = 0;
    for &b in blocks {
        let from = starts.get(&b).copied().unwrap_or(b);
        if last.is_none_or(|l: usize| l + 1 != b && from > l + 1) {
            n += 1;
        }
        last = Some(b);
    }
    n
}

/// Does the sentence name one narrow online route and no other online way? Email alone ("Via
/// Email.", 恕不接受電郵申請), a bot ("Our virtual assistant can't terminate your service") or the
/// reader doing it alone ("You cannot cancel your service yourself"): refusing it leaves another
/// online way offered. An address's own words ("cancel@happymobile.co.uk") and longer words
/// ("information", "apply") are no other way.
pub(crate) fn narrow_route(sentence: &str) -> bool {
    const BOTS: [&str; 6] = [
        "virtual assistant",
        "digital assistant",
        "chatbot",
        "chat bot",
        "虛擬助理",
        "虚拟助理",
    ];
    let t = crate::extract::block::bounded(sentence).to_lowercase();
    if BOTS.iter().any(|w| t.contains(w)) {
        return true;
    }
    let other_word = t
        .split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '@'))
        .filter(|w| !w.contains('@'))
        .any(|w| OTHER_ONLINE_WORDS.contains(&w));
    // In Chinese "APP" stands between marks that are no word breaks ("恕不受理APP、官網、電話或
    // 電子郵件申請", round 54's second wave).
    let cjk_app = !t.is_ascii() && t.contains("app");
    !other_word
        && !cjk_app
        && !OTHER_ONLINE_TEXT.iter().any(|w| t.contains(w))
        && (EMAIL.iter().any(|w| t.contains(w)) || ONESELF.iter().any(|w| t.contains(w)))
}

/// Words that make a demanded way the only one, after lower-casing; and words that say it is
/// not ("not only", 並非只能, 唔一定) or only in a case ("when a device is owed").
pub(super) const SOLE: [&str; 28] = [
    " only",
    // Every request the one way: 所有終止服務申請須由登記客戶親身到門市辦理, "all termination
    // requests … must be made in person" (round 40); not 攜同所有相關證件 (the documents).
    "所有終止",
    "所有终止",
    "所有申請",
    "所有申请",
    "所有退租",
    "所有銷戶",
    "所有销户",
    "all termination",
    "all cancellation",
    "all requests",
    "solely",
    "exclusively",
    "仅",
    "僅",
    "只",
    "概不",
    "一律",
    "no other",
    "不接受其他",
    // Round 55's third wave: …親臨門市辦理，不設其他途徑; 本公司不接受任何其他途徑提出之取消申請.
    "不設其他",
    "不设其他",
    "不接受任何其他",
    "任何其他途徑",
    "任何其他途径",
    "唯一",
    "sole way",
    "the sole",
];

pub(super) const NOT_SOLE: [&str; 20] = [
    "not only",
    "not just",
    "並非只",
    "并非只",
    "不是只",
    "唔一定",
    "不一定",
    "不限",
    "唔係只",
    // Who or when, not which way: "by the account owner only", 仅限工作日, "only on weekdays";
    // and a group of customers (the read-through of round 38).
    "owner only",
    "holder only",
    "only on ",
    "only during",
    "only between",
    "工作日",
    "business",
    "corporate",
    "政企",
    "企业",
    "集团",
];

/// Words for every other way, and words that refuse them: together they make the way named
/// the only one (通过其他渠道提交的销户申请，我司不予受理; "Requests made through any other channel
/// will not be processed", round 39). Not "any other channel must be made in person", which
/// names a second way beside the first (the read-through).
pub(super) const OTHER_WAYS: [&str; 9] = [
    // Every way but being there: 不受理通过电话、网络等非现场渠道提出的销户申请 (round 48).
    "非现场",
    "非現場",
    "other channel",
    "other means",
    "any other way",
    "其他渠道",
    "其它渠道",
    "其他途径",
    "其他方式",
];

pub(super) const REFUSED: [&str; 12] = [
    "not be processed",
    "not be accepted",
    "not accepted",
    "not processed",
    "invalid",
    "不予受理",
    "不受理",
    "不予处理",
    "无效",
    "不接受",
    "不予接纳",
    "不获受理",
];

/// Words after "only … when/if" that name the way as the case ("only effective when made by
/// telephone"), not another condition ("only effective when you return the router").
pub(super) const MADE_THAT_WAY: [&str; 6] = [
    "when made",
    "if made",
    "when submitted",
    "if submitted",
    "when given",
    "if given",
];

/// Words that make "only" a case, not every line: "Lines can only be cancelled at a shop when
/// a device is owed", 只有以下情况仍需线下 (round 39).
pub(super) const ONLY_A_CASE: [&str; 13] = [
    // Ending early, during the contract: a case of its own (the read-through of round 39).
    " early",
    "提前",
    "合约期内",
    "within the contract",
    " when ",
    " while ",
    "unless",
    "除非",
    "情况",
    "情形",
    " cases",
    "following case",
    "these case",
];

/// Words that deny every online way at once ("any other channel", 任何經網上途徑, 一概不獲接納),
/// after lower-casing.
pub(super) const UNIVERSAL: [&str; 6] = [
    "any ",
    "任何",
    "一概",
    "概不",
    "whatsoever",
    "under no circumstances",
];

/// Ways a refusal may list, after the fold; ASCII ones as whole words
/// ([`crate::extract::context::names_word`]).
pub(super) const WAYS_LISTED: [&str; 23] = [
    // 網路 / 網絡 after the fold (round 48: 本公司不受理以網路、電話或傳真方式提出之終止申請).
    "网络",
    "网路",
    "online",
    "app",
    "website",
    "email",
    "e-mail",
    "telephone",
    "by phone",
    "over the phone",
    "hotline",
    "chat",
    "portal",
    "应用程式",
    "应用程序",
    "网站",
    "网上",
    "线上",
    "电话",
    "热线",
    "电邮",
    "短信",
    "官网",
];

/// Words for email, after lower-casing (Chinese as written and folded).
pub(super) const EMAIL: [&str; 7] = ["email", "e-mail", "電郵", "电邮", "郵件", "邮件", "e mail"];

/// Other online ways, as whole English words or as Chinese text; a sentence naming one of them
/// is not about one narrow route alone. Not a bare "form": "Forms sent by email cannot be
/// processed" refuses email for a paper form (round 36's walk-through); an online form says
/// "online" or "web".
pub(super) const OTHER_ONLINE_WORDS: [&str; 9] = [
    "online", "website", "web", "app", "apps", "portal", "chat", "webchat", "livechat",
];

pub(super) const OTHER_ONLINE_TEXT: [&str; 22] = [
    "my account",
    // "cannot be ended from the member centre or by email" refuses more than email (round 43).
    "member centre",
    "member center",
    "會員中心",
    "会员中心",
    "網路門市",
    "网络门市",
    "掌上營業廳",
    "掌上营业厅",
    "小程序",
    "公眾號",
    "公众号",
    "網上",
    "网上",
    "網站",
    "网站",
    "線上",
    "线上",
    "應用程式",
    "客戶端",
    "官網",
    "官网",
];
