//! What a clause ends: the service, or an add-on, a fee, a suspension or a renewal beside it.
//! In Chinese the head noun comes last (門號搭贈的加值服務 ends the add-on); in English the object
//! follows the verb. Pure; reads normalised text and the lexicon's hits.

use super::{MENU_CHARS, around_sole, arrears_group, no_longer_needed, whole_word};
use crate::extract::lexicon::Concept;

/// Words of suspending the service, normalised (Simplified). Not bare 暂停: a shop's 暂停营业 is
/// no suspension of the line.
pub(super) const SUSPENDING: [&str; 8] = [
    "暂停服务",
    "暂停使用",
    "暂停号码",
    "暂时停用",
    "停机保号",
    "suspend your",
    "suspend the",
    "suspension",
];

/// Does the sentence speak of suspending the service, not as what it is not (而非暂停使用,
/// （非暫停）, "not a suspension")?
pub(super) fn suspends(normalised: &str) -> bool {
    SUSPENDING.iter().any(|w| {
        normalised.match_indices(w).any(|(at, _)| {
            let head = normalised[..at].trim_end_matches([' ', '(', '（']);
            !(head.ends_with('非') || head.ends_with("不是") || head.ends_with("not a"))
        })
    })
}

/// Fee nouns an English ending word may qualify ("early termination fee").
pub(super) const FEE_NOUNS: [&str; 4] = ["fee", "charge", "penalt", "cost"];

/// Chinese ending words that name a fee (提前終止費), after the fold.
pub(super) const ZH_ENDING_FEES: [&str; 7] = [
    "提前终止费",
    "终止费",
    "取消费",
    "解约金",
    "解约费",
    "退租费",
    "销户费",
];

/// Every ending word of the clause names a fee ("Pay your early termination fee online",
/// "see whether an early cancellation charge applies", round 34's reviews): the clause pays
/// or checks a charge, it ends nothing. The first and the last ending words are read.
pub(super) fn ending_is_fee(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    every_ending(clause, hits, |rest| {
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return ZH_ENDING_FEES.iter().any(|f| rest.starts_with(f));
        }
        let word_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        let after = rest[word_end..].trim_start();
        // "cancel penalty-free online" ends without a fee (the read-through).
        FEE_NOUNS.iter().any(|f| {
            after.starts_with(f) && !crate::extract::block::first_chars(after, 16).contains("free")
        })
    })
}

/// Does `opens` hold of the clause from its first ending word and from its last (read as
/// standing for all of them)?
pub(super) fn every_ending(
    clause: &str,
    hits: &crate::extract::lexicon::Hits,
    opens: impl Fn(&str) -> bool,
) -> bool {
    let at = |a: Option<usize>| a.and_then(|a| clause.get(a..)).is_some_and(&opens);
    at(hits.first_at(Concept::Terminate)) && at(hits.last_at(Concept::Terminate))
}

/// Every ending word of the clause is 停用 (stop using), which suspends as often as it ends.
pub(super) fn stops_use_only(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    every_ending(clause, hits, |rest| rest.starts_with("停用"))
}

/// "yourself", "by yourself" or "on your own" after the clause's first ending word: the reader
/// doing it without the carrier's staff.
pub(super) fn by_oneself(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let Some(rest) = hits
        .first_at(Concept::Terminate)
        .and_then(|at| clause.get(at..))
    else {
        return false;
    };
    ONESELF.iter().any(|w| {
        rest.match_indices(w)
            .any(|(at, _)| whole_word(rest, at, w.len()))
    })
}

/// The reader doing it alone, after lower-casing; also read by the verdict (a refusal of it
/// is one narrow online route).
pub(crate) const ONESELF: [&str; 5] = [
    "yourself",
    "yourselves",
    "on your own",
    "self-serve",
    "self-service",
];

/// In a Chinese noun phrase the head comes last: in 門號搭贈的加值服務 ("the add-on given with
/// the line") what is ended is the add-on. A service word, then an add-on word with no
/// coordination between them (及, 和, 、: "終止服務及增值服務" ends both), names the add-on.
pub(super) fn addon_is_head(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let (Some(service), Some(addon)) = (
        hits.last_at(Concept::Service),
        hits.last_at(Concept::Addon)
            .or_else(|| hits.last_at(Concept::AutoRenewal)),
    ) else {
        return false;
    };
    if !clause
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    {
        return english_addon_is_object(clause, hits);
    }
    // 增值服务可在「我的账户」内自行取消 (round 42): the account in a portal's name is where the
    // add-on is ended, not a service ended beside it.
    if addon < service
        && hits.first_at(Concept::Service) == Some(service)
        && clause.get(..service).is_some_and(|b| {
            let b = b.trim_end_matches(['「', '“', '"', '\'']);
            ["我的", "网上", "个人"].iter().any(|p| b.ends_with(p))
        })
    {
        return true;
    }
    if addon <= service {
        return false;
    }
    let between = clause.get(service..addon).unwrap_or("");
    // 办理销户业务, 注销宽带业务: 业务 right after the service's own word is the transaction of
    // ending it, not a business of its own (流量包业务 still names an add-on).
    if clause.get(addon..).is_some_and(|a| a.starts_with("业务")) && between.chars().count() <= 4
    {
        return false;
    }
    let cjk = between
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    cjk && !between.contains(['及', '和', '与', '與', '或', '、', '并', '並'])
}

/// 业务 (business) as the only add-on word, right before or after an ending word (业务注销,
/// 获取业务注销回执单, 办理销户业务): the transaction of ending, whatever is ended, not an add-on
/// of its own. 流量包业务 or 增值业务注销 name an add-on with their other word. Text is normalised.
pub(super) fn generic_business(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    const ENDINGS: [&str; 8] = [
        "注销", "销户", "销号", "终止", "拆机", "退网", "解约", "退租",
    ];
    let Some((before, after)) = around_sole(clause, hits, Concept::Addon) else {
        return false;
    };
    let rest = after.get("业务".len()..);
    // The errands a list closes with 等 ("补卡、过户、销户等涉及号码使用权变更的业务", round
    // 65's first wave): 业务 names the kind of them, one of which is the ending.
    let listed = || {
        ENDINGS.iter().any(|e| {
            before
                .match_indices(e)
                .any(|(i, _)| before[i + e.len()..].starts_with('等'))
        })
    };
    after.starts_with("业务")
        && (ENDINGS.iter().any(|e| before.ends_with(e))
            || listed()
            || rest.is_some_and(|rest| ENDINGS.iter().any(|e| rest.starts_with(e)))
            // A menu's name in quotes that ends in 业务 (点击“我的业务”，选择“申请销户”, the review
            // of round 23): where to tap, not what is ended.
            || (rest.is_some_and(|rest| rest.starts_with(['”', '」', '』', '"']))
                && before
                    .chars()
                    .rev()
                    .take(MENU_CHARS)
                    .any(|c| matches!(c, '“' | '「' | '『' | '"'))))
}

/// Where the clause's first ending word and its first add-on word stand, when it has both.
pub(super) fn ending_and_addon(hits: &crate::extract::lexicon::Hits) -> Option<(usize, usize)> {
    Some((
        hits.first_at(Concept::Terminate)?,
        hits.first_at(Concept::Addon)?,
    ))
}

/// In English the object follows the verb: in "the line you want to cancel the payment for"
/// the payment is ended, the line only says whose. The add-on is the object when it is the
/// first of the two nouns after the ending word and is not coordinated with the service after
/// it ("cancel the add-ons and the line" ends both).
pub(super) fn english_addon_is_object(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let Some((end, addon)) = ending_and_addon(hits) else {
        return false;
    };
    if addon < end {
        return false;
    }
    // No service word after the ending word: the add-on is all that is ended.
    let Some(service) = hits.last_at(Concept::Service).filter(|&s| s > end) else {
        return true;
    };
    // A service word between the ending word and the add-on is named first: it is the object.
    let first = hits.first_at(Concept::Service).unwrap_or(service);
    if service < addon || (end < first && first < addon) {
        return false;
    }
    // "cancel the add-ons and the line" ends both.
    clause
        .get(addon..service)
        .is_some_and(|between| !between.contains(" and ") && !between.contains(" or "))
}

/// "Service Cancellations or Suspension", 销户或停机: the add-on word is another thing done
/// beside ending, joined to the ending word by "or" or "and", not what is ended. Text is
/// normalised.
pub(super) fn addon_beside_ending(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let Some((end, addon)) = ending_and_addon(hits) else {
        return false;
    };
    // The add-on first, then the service's own ending after a joining word ("取消增值服務及終止
    // 服務，均可於網上客戶中心自助辦理", round 64's third wave): the service is ended too.
    if let Some(own) = hits.last_at(Concept::Terminate).filter(|&e| e > addon)
        && hits.last_at(Concept::Addon).is_some_and(|a| a < own)
        && clause
            .get(own..)
            .is_some_and(|rest| service_endings().any(|w| rest.starts_with(w)))
        && let Some(between) = clause.get(addon..own)
    {
        let t = between.trim_end();
        if t.chars().count() <= ADDON_THEN_ENDING_CHARS && t.ends_with(JOINING) {
            return true;
        }
    }
    // One add-on word only: in "cancel or suspend add-ons" the add-ons are what is ended.
    if hits.last_at(Concept::Addon) != Some(addon) {
        return false;
    }
    let Some(between) = clause.get(end..addon) else {
        return false;
    };
    // The ending word itself ("cancellations", 销户), then only the joining word.
    let t = between.trim_end();
    if t.ends_with(JOINING) {
        return t.chars().count() <= 5;
    }
    let joint = t.split_once(' ').map_or("", |(_, rest)| rest.trim());
    matches!(joint, "or" | "and" | "&" | "/")
}

/// Words that join an add-on and an ending in Chinese (增值服務及終止服務, 销户或增值业务).
const JOINING: [char; 5] = ['或', '及', '、', '和', '与'];

/// Words that end the line or number itself, after the fold, and never an add-on: not 终止服务
/// alone, which a value-added service's page says of that service. Also what a heading names
/// when it sets closing the line beside porting (context's `about_porting`).
const LINE_OWN_ENDINGS: [&str; 9] = [
    "销户",
    "销号",
    "注销号码",
    "退租",
    "退台",
    "拆机",
    "退网",
    "终止服务本身",
    "终止流动电话服务",
];

/// Does the folded text name ending the line or number itself ([`LINE_OWN_ENDINGS`])?
pub(crate) fn names_own_line(folded: &str) -> bool {
    LINE_OWN_ENDINGS.iter().any(|w| folded.contains(w))
}

/// Words that end the service itself beside [`LINE_OWN_ENDINGS`], after the fold: as the second
/// of an add-on and an ending ([`addon_beside_ending`]), 终止服务 is the service's. Not 退订 or
/// 取消, which end the add-on named before them ("增值业务订购与退订").
const SERVICE_OWN_ENDINGS: [&str; 3] = ["终止服务", "终止流动", "终止月费"];

/// The words that end the service itself: [`SERVICE_OWN_ENDINGS`] and [`LINE_OWN_ENDINGS`].
pub(super) fn service_endings() -> impl Iterator<Item = &'static str> {
    SERVICE_OWN_ENDINGS.into_iter().chain(LINE_OWN_ENDINGS)
}

/// How long an add-on word and its joining word may be before the service's own ending
/// ([`addon_beside_ending`]): 增值服務及 is five characters.
const ADDON_THEN_ENDING_CHARS: usize = 8;

/// "The plan renews unless you cancel in writing", "…unless I hand the company a written
/// request to cancel": the ending after "unless" is the way out, and what follows it is how.
/// Only when "unless" is the clause's one consequence word and the ending comes after it
/// ("cannot be cancelled unless…" stays a precondition). "Use the website to cancel a number
/// you no longer need": the need is the object's, said after the ending (round 32). Text is
/// normalised.
pub(super) fn ending_survives_consequence(
    clause: &str,
    hits: &crate::extract::lexicon::Hits,
) -> bool {
    let Some((head, rest)) = around_sole(clause, hits, Concept::Consequence) else {
        return false;
    };
    no_longer_needed(head, rest)
        || arrears_group(rest)
        || rest.starts_with("unless ")
            && hits
                .first_at(Concept::Terminate)
                .is_some_and(|end| head.len() < end)
}
