//! Demand: a clause that makes an offline channel the only way ("can only be cancelled in
//! store", "must be made in writing", "須親臨門市辦理", 只能到营业厅办理) says more than one that
//! merely names it ("you can visit a store"): online is not a way for what it speaks of. Such a
//! clause weighs against an online way named elsewhere on the page (see `verdict::decide`).
//! Pure; reads the normalised clause a bounded number of times (one per marker).

use super::whole_word;

/// Chinese words that demand the channel after them (须亲临…, 只能到…). A Chinese clause is short:
/// they are looked for anywhere before the channel word.
const BEFORE_ZH: [&str; 14] = [
    // Round 39: a clause of terms (用戶申請終止租用，應由本人…親至本公司直營門市辦理), a note
    // for several errands (过户、销户、宽带拆机均需机主本人…到自有营业厅办理).
    "应由",
    "应亲",
    "均需",
    "需由",
    "只能",
    "只可",
    "只接受",
    "仅能",
    "仅可",
    "仅限",
    "仅接受",
    "必须",
    "务必",
    "须",
];

/// Words that make a request valid only when made a certain way, after lower-casing.
pub(crate) const ONLY_VALID: [&str; 12] = [
    "only be accepted",
    "only accepted",
    "accepted only",
    "only when made",
    "only effective",
    "only be effective",
    "only valid",
    "only be valid",
    "only be processed",
    "only processed",
    "only be actioned",
    "only recognised",
];

/// English words that demand the channel after them ("you must visit…"). They count only among
/// the few words right before the channel word: "bring ID, which you must show at the counter"
/// demands the ID, not the counter.
const BEFORE_EN: [&str; 6] = [
    "must",
    "have to",
    "has to",
    "required to",
    "is required",
    "are required",
];

/// How many words before the channel word an English demand may stand, and after it an "only"
/// ("by phone only").
const NEAR_WORDS: usize = 5;
const ONLY_AFTER_WORDS: usize = 2;

/// Words that lift a demand ("you don't have to visit a shop", 无需到营业厅), forbid the way, or
/// make it a condition (如需到营业厅办理: "if you want to do it at a hall").
const RELIEVED: [&str; 17] = [
    "not have to",
    "don't have to",
    "not need to",
    "don't need to",
    "no need to",
    "must not ",
    "if you must",
    "无需",
    "无须",
    "毋须",
    "毋需",
    "不须",
    "不必",
    "不用",
    "如需",
    "若需",
    "倘需",
];

/// Who "only" names when it restricts the person, not the way ("only the account holder can
/// cancel, at a shop"): such an "only" demands no channel.
const WHO: [&str; 6] = [
    "only the account holder",
    "only account holders",
    "only the subscriber",
    "only the registered",
    "only the owner",
    "only you",
];

/// Does the clause (normalised) demand the offline channel that starts at byte `offline_at`?
/// The caller has checked that the clause names no online channel and is not negated.
pub(super) fn demands_offline(clause: &str, offline_at: usize) -> bool {
    let head = clause.get(..offline_at).unwrap_or(clause);
    let tail = clause.get(offline_at..).unwrap_or("");
    // "需携带以下材料": what to bring, not where to go.
    if tail.starts_with("携带") || RELIEVED.iter().any(|w| head.contains(w)) {
        return false;
    }
    // "We can take requests by phone only by exception, where …": the way is the exception,
    // not the rule (round 50's first wave).
    if ["by exception", "in exceptional", "exceptionally"]
        .iter()
        .any(|w| clause.contains(w))
    {
        return false;
    }
    // 需 alone is too common (需要, 所需): only 需 right before the channel word ("需线下办理",
    // 需到营业厅) demands it.
    let near = head.trim_end();
    let near = near
        .strip_suffix("前往")
        .or_else(|| near.strip_suffix('到'))
        .unwrap_or(near);
    if near.ends_with('需') || BEFORE_ZH.iter().any(|w| head.contains(w)) {
        return true;
    }
    // "A notice of termination will only be accepted if made telephonically to …": the only
    // valid request is the one made that way, however many words stand between (round 39).
    if ONLY_VALID.iter().any(|w| head.contains(w)) {
        return true;
    }
    let last_words = span(head, head.split_whitespace().rev().take(NEAR_WORDS));
    if BEFORE_EN.iter().any(|w| {
        last_words
            .match_indices(w)
            .any(|(at, _)| at == 0 || last_words.as_bytes()[at - 1] == b' ')
    }) && !["which ", "that ", "if "].iter().any(|w| head.contains(w))
    {
        return true;
    }
    // "by phone only": an "only" right after the channel, not "a store only if …".
    let after = tail.split_whitespace().skip(1);
    let only_after = after
        .clone()
        .take(ONLY_AFTER_WORDS)
        .any(|w| w.trim_end_matches(|c: char| c.is_ascii_punctuation()) == "only")
        && only_restricts_the_way(span(tail, after.take(ONLY_AFTER_WORDS + 1)));
    only_after || only_restricts_the_way(last_words)
}

/// The part of `text` that runs from the first to the last of `words`, which are slices of it
/// (the normalised text has single spaces, so this is the words joined by spaces).
fn span<'t>(text: &'t str, words: impl Iterator<Item = &'t str>) -> &'t str {
    let offset = |w: &str| w.as_ptr() as usize - text.as_ptr() as usize;
    let (start, end) = words.fold((usize::MAX, 0), |(s, e), w| {
        (s.min(offset(w)), e.max(offset(w) + w.len()))
    });
    text.get(start..end).unwrap_or("")
}

/// "only" as a word, not in "not only", "only if/when" (a condition) or about who may act.
fn only_restricts_the_way(clause: &str) -> bool {
    let mut rest = clause;
    let mut guard = 0;
    while let Some(at) = rest.find("only") {
        guard += 1;
        if guard > 8 {
            return false;
        }
        let before = &rest[..at];
        let after = &rest[at + 4..];
        let from_only = &rest[at..];
        let excluded = before.ends_with("not ")
            || before.ends_with("if ")
            || after.starts_with(" if")
            || after.starts_with(" when")
            || after.starts_with(" for ")
            || after.starts_with(" after")
            || after.starts_with(" once")
            || WHO.iter().any(|w| from_only.starts_with(w));
        if whole_word(rest, at, 4) && !excluded {
            return true;
        }
        rest = after;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::demands_offline;

    fn at(clause: &str, word: &str) -> bool {
        let i = clause
            .find(word)
            .expect("the channel word is in the clause");
        demands_offline(clause, i)
    }

    #[test]
    fn a_demanded_channel_is_told_from_one_merely_named() {
        assert!(at(
            "the service can only be terminated in person at a shop",
            "in person"
        ));
        assert!(at("requests must be made in writing", "writing"));
        assert!(at("cancellation is by phone only", "phone"));
        assert!(at("须亲临门市办理", "门市"));
        assert!(at("销户需到营业厅办理", "营业厅"));
        assert!(at("只能前往营业厅办理", "营业厅"));
        assert!(!at("you can visit any shop to cancel", "shop"));
        assert!(!at("请致电热线或前往门市", "门市"));
        assert!(!at("所需资料请带到营业厅", "营业厅"));
        assert!(!at("办理销号时需携带以下材料", "携带"));
        // "only" about who, or in a condition, demands no way.
        assert!(!at("only the account holder can cancel, at a shop", "shop"));
        assert!(!at("not only at our shops but also by phone", "shops"));
        assert!(!at(
            "visit a store only if you have a device to return",
            "store"
        ));
        assert!(!at(
            "requests by phone are taken only for accounts billed by post",
            "phone"
        ));
        assert!(!at("you must not visit a shop", "shop"));
        assert!(!at("毋须亲临门市", "门市"));
        // Round 15's review: a condition, a demand of something else, "only" about time.
        assert!(!at("如需到营业厅办理销户", "营业厅"));
        assert!(!at("如需前往门市办理终止服务", "门市"));
        assert!(!at(
            "just bring photo id, which you must show at the counter",
            "counter"
        ));
        assert!(!at(
            "if you must cancel in person, visit any store",
            "person"
        ));
        assert!(!at(
            "you can also visit one of our stores to cancel in only five minutes",
            "visit"
        ));
        assert!(at("you must visit one of our stores", "visit"));
        assert!(at("requests are accepted by phone only", "phone"));
    }

    /// Round 39's reviews: only the request made that way is valid, however many words stand
    /// between "only" and the channel.
    #[test]
    fn only_valid_when_made_that_way_demands_it() {
        assert!(at(
            "a notice of termination will only be accepted if made by telephone to our cancellations centre",
            "telephone"
        ));
        assert!(at(
            "requests to terminate are accepted only when made in person at a customer service centre",
            "in person"
        ));
        assert!(at("用户申请终止租用,应由本人亲至直营门市办理", "门市"));
    }

    #[test]
    fn a_huge_clause_is_read_only_near_its_channel() {
        // Only the few words before the channel word are read for a demand: a page of "only"
        // far before it demands nothing, and the reading does not grow with what is far away.
        let far = "only ".repeat(10_000) + &"x ".repeat(10) + "you can visit a shop";
        assert!(!demands_offline(&far, far.find("visit").expect("visit")));
        let near = "x ".repeat(10_000) + "only at a shop";
        assert!(demands_offline(&near, near.find("shop").expect("shop")));
    }
}
