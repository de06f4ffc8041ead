//! Demand: a clause that makes an offline channel the only way ("can only be cancelled in
//! store", "must be made in writing", "須親臨門市辦理", 只能到营业厅办理) says more than one that
//! merely names it ("you can visit a store"): online is not a way for what it speaks of. Such a
//! clause weighs against an online way named elsewhere on the page (see `verdict::decide`).
//! Pure; reads the normalised clause a bounded number of times (one per marker).

/// Words that demand the channel after them ("you must visit…", 须亲临…). Searched in the part of
/// the clause before its first offline channel word.
const BEFORE: [&str; 16] = [
    "must ",
    "have to ",
    "has to ",
    "required to ",
    "is required",
    "are required",
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

/// Words that lift a demand ("you don't have to visit a shop", 无需到营业厅) or forbid the way.
const RELIEVED: [&str; 13] = [
    "not have to",
    "don't have to",
    "not need to",
    "don't need to",
    "no need to",
    "must not ",
    "无需",
    "无须",
    "毋须",
    "毋需",
    "不须",
    "不必",
    "不用",
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
    // "需携带以下材料": what to bring, not where to go.
    if clause
        .get(offline_at..)
        .is_some_and(|c| c.starts_with("携带"))
    {
        return false;
    }
    // 需 alone is too common (需要, 所需): only 需 right before the channel word ("需线下办理",
    // 需到营业厅) or with 亲 ("需亲临") demands it.
    let near = head.trim_end();
    if near.ends_with('需') || near.ends_with("需到") || near.ends_with("需前往") {
        return true;
    }
    if RELIEVED.iter().any(|w| head.contains(w)) {
        return false;
    }
    if BEFORE.iter().any(|w| head.contains(w)) {
        return true;
    }
    only_restricts_the_way(clause)
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
        let word_start = before
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        let word_end = after
            .chars()
            .next()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        let from_only = &rest[at..];
        let excluded = before.ends_with("not ")
            || before.ends_with("if ")
            || after.starts_with(" if")
            || after.starts_with(" when")
            || after.starts_with(" for ")
            || after.starts_with(" after")
            || after.starts_with(" once")
            || WHO.iter().any(|w| from_only.starts_with(w));
        if word_start && word_end && !excluded {
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
            "shop"
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
    }

    #[test]
    fn a_clause_of_many_onlys_is_read_a_bounded_number_of_times() {
        let hostile = "onlyx ".repeat(10_000) + " only at a shop";
        let i = hostile.find("shop").expect("shop");
        // Past the bound the clause is not taken for a demand: a miss, never a hang.
        assert!(!demands_offline(&hostile, i));
    }
}
