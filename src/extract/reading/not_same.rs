//! Not the same: an act said not to end the line ("Deleting your account in the app does not
//! close your number", "Removing the eSIM from your phone doesn't cancel your plan", 卸载APP不等于
//! 注销号码). The way named belongs to the act, and the negation denies that the act ends the
//! line: the clause offers no way to end it and refuses none (round 33, from round 32's second
//! review). Pure; reads at most [`MAX_MARKERS`] matches of each marker, and a bounded number of
//! words or characters after each.

use crate::extract::lexicon::Concept;

/// What such a clause names that belongs to the act, not to ending the line: its way, and the
/// denial that it ends the line.
pub(super) const WAYS_AND_DENIALS: [Concept; 4] = [
    Concept::Online,
    Concept::Offline,
    Concept::Negation,
    Concept::Rejection,
];

/// What an English clause says after its act: the act does not do the ending named next.
const EN_DENIALS: [&str; 9] = [
    " does not ",
    " doesn't ",
    " will not ",
    " won't ",
    " is not the same as ",
    " isn't the same as ",
    " does not automatically ",
    " doesn't automatically ",
    " won't automatically ",
];

/// Matches of one marker read in a clause: a hostile paragraph may repeat it thousands of times.
const MAX_MARKERS: usize = 4;

/// Words that make the denial one of time, not of the act ("Requesting a cancellation online
/// does not end your service immediately": the way is offered, the ending comes later).
const EN_NOT_YET: [&str; 5] = [
    "immediately",
    "right away",
    "at once",
    "straight away",
    "instantly",
];
const ZH_NOT_YET: [&str; 5] = ["立即", "马上", "即时", "立刻", "当即"];

/// Verbs (and the start of the gerund or past form) of the ending the act is said not to be.
const EN_ENDINGS: [&str; 8] = [
    "cancel",
    "close",
    "terminat",
    "end ",
    "ends ",
    "disconnect",
    "deactivat",
    "the same as ",
];

/// Words that may stand between the denial and the ending ("does not mean your line is
/// closed", "is not the same as cancelling").
const EN_BETWEEN: usize = 4;

/// Chinese markers of an act that is not the ending (after the fold to Simplified).
/// 不等同 with or without 于 (「暫停使用」並不等同退租, round 35's reviews).
/// 不会 alone too, right before the ending: "注销账号只清除您在本APP中的个人资料，不会注销您的手机号码"
/// (round 36's reviews); 并不会 with words between ("卸载APP并不会自动注销您的号码").
/// 不影响 after an app's login closed ("注销APP账号不影响手机号码及套餐的正常使用", round 55's
/// first wave): the number goes on, whatever words follow.
const ZH_DENIALS: [&str; 7] = [
    "不等于",
    "不等同",
    "不代表",
    "不意味着",
    "并不会",
    "不会",
    "不影响",
];

/// Ending words the Chinese marker may be followed by.
const ZH_ENDINGS: [&str; 8] = [
    "注销", "销户", "销号", "终止", "取消", "拆机", "退租", "解约",
];

/// Characters that may stand between the Chinese marker and the ending (您的号码已…).
const ZH_BETWEEN: usize = 8;

/// What a Chinese act may close that is no line: an app's or a developer's login (注销App帐户);
/// not a bare "app", which is the way itself in "在APP上申请销户并不会立即注销".
const APP_ACCOUNTS: [&str; 5] = ["开发者", "账号", "帐号", "账户", "帐户"];

/// Stems of the gerunds that are the ending itself.
const ENDING_GERUNDS: [&str; 6] = [
    "cancel",
    "clos",
    "terminat",
    "end",
    "disconnect",
    "deactivat",
];

/// Words ending in "ing" that are no act ("Nothing", "Billing does not end …"), or a verb
/// ("Bring your ID").
const NOT_ACTS: [&str; 15] = [
    "bring",
    "nothing",
    "something",
    "anything",
    "everything",
    "during",
    "according",
    "billing",
    "pending",
    "following",
    "remaining",
    "existing",
    "incoming",
    "outgoing",
    "roaming",
];

/// The first word of a normalised clause when it is a gerund of at least `min` bytes ("using",
/// "changing"), not a word ending in "ing" that is no act ([`NOT_ACTS`]).
pub(crate) fn first_gerund(clause: &str, min: usize) -> Option<&str> {
    let first = clause.split_whitespace().next()?;
    (first.len() >= min
        && first.ends_with("ing")
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !NOT_ACTS.contains(&first))
    .then_some(first)
}

/// Does the normalised clause say that an act (told first, as a gerund in English) does not end
/// the line, rather than deny a way to end it?
pub(super) fn act_is_not_ending(clause: &str) -> bool {
    english(clause) || chinese(clause)
}

fn english(clause: &str) -> bool {
    // The act is the clause's subject, told as a gerund ("Deleting…", "Turning off…"); "Our app
    // does not cancel services" refuses a way, which stays a denial.
    // An act that is itself the ending ("Cancelling online doesn't close the account at once")
    // offers that way.
    // A footnote's mark before it ("† Requesting a PAC online doesn't end your contract",
    // round 55's third wave).
    let clause = clause.trim_start_matches(|c: char| !c.is_alphanumeric());
    let Some(first) = first_gerund(clause, 6) else {
        return false;
    };
    if ENDING_GERUNDS.iter().any(|e| first.starts_with(e)) {
        return false;
    }
    if EN_NOT_YET.iter().any(|w| clause.contains(w)) {
        return false;
    }
    EN_DENIALS.iter().any(|d| {
        clause.match_indices(d).take(MAX_MARKERS).any(|(at, _)| {
            let rest = &clause[at + d.len()..];
            // "… is not the same as cancelling": the marker names the comparison itself.
            if d.ends_with("the same as ") {
                return true;
            }
            let mut start = 0;
            for _ in 0..=EN_BETWEEN {
                let word = &rest[start..];
                if EN_ENDINGS.iter().any(|e| word.starts_with(e)) {
                    return true;
                }
                match word.find(' ') {
                    Some(space) => start += space + 1,
                    None => return false,
                }
            }
            false
        })
    })
}

fn chinese(clause: &str) -> bool {
    if ZH_NOT_YET.iter().any(|w| clause.contains(w)) {
        return false;
    }
    ZH_DENIALS.iter().any(|d| {
        clause.match_indices(d).take(MAX_MARKERS).any(|(at, _)| {
            // The act comes first: a marker that opens the clause has none, and an act that is
            // itself the ending ("网上申请销户并不会立即注销") offers its way.
            let act = &clause[..at];
            let ends_itself = ZH_ENDINGS.iter().any(|e| act.contains(e))
                && !APP_ACCOUNTS.iter().any(|a| act.contains(a));
            !act.is_empty() && !ends_itself && {
                let rest = &clause[at + d.len()..];
                // Bare 不会 only right before the ending ("不会注销您的手机号码"): "本公司不会考虑
                // 取消合约的要求" refuses.
                if *d == "不会" {
                    return ZH_ENDINGS.iter().any(|e| rest.starts_with(e));
                }
                if *d == "不影响" {
                    return ZH_ENDINGS.iter().any(|e| act.contains(e))
                        && APP_ACCOUNTS.iter().any(|a| act.contains(a));
                }
                let near: String = rest.chars().take(ZH_BETWEEN + 2).collect();
                ZH_ENDINGS.iter().any(|e| near.contains(e))
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::act_is_not_ending;
    use crate::extract::normalise::for_matching;

    #[test]
    fn an_act_said_not_to_end_the_line() {
        for s in [
            "Deleting your account in the app does not close your mobile number",
            "Removing the eSIM from your phone doesn't cancel your plan",
            "Uninstalling the app will not automatically terminate your service",
            "Turning off auto-renewal is not the same as cancelling your line",
            "Logging out of My Account doesn't mean your line is closed",
            "卸载APP并不会注销您的号码",
            "注銷App帳戶不等於終止流動電話服務",
            "删除eSIM不代表已销户",
            "注销开发者账号并不会注销您的号码",
            "注销APP账号不影响手机号码及套餐的正常使用",
            "† Requesting a PAC online doesn't end your contract",
        ] {
            assert!(act_is_not_ending(&for_matching(s)), "{s}");
        }
    }

    #[test]
    fn a_refused_way_or_a_plain_statement_is_not_one() {
        for s in [
            // A way refused: the subject is the channel, not an act.
            "Our app does not cancel services",
            "The website doesn't let you cancel",
            // A gerund whose denial is about something else.
            "Cancelling online is not possible",
            "Nothing does not cancel",
            "Calling us doesn't cost anything",
            // The act is the ending itself: its way is offered.
            "Cancelling online doesn't close the account at once",
            "Closing your line online will not end the contract early",
            "网上申请销户并不会立即注销号码",
            "在APP上申请销户并不会注销其他号码",
            "Requesting a cancellation online does not end your service immediately",
            "Visiting a store isn't needed to cancel your plan online",
            // The marker opens the clause: no act before it.
            "不等于注销",
            "网上无法注销号码",
        ] {
            assert!(!act_is_not_ending(&for_matching(s)), "{s}");
        }
    }

    #[test]
    fn the_ending_must_follow_the_denial_closely() {
        let far = "deleting the app does not mean that after many months of no use at all your \
                   line will be closed";
        assert!(!act_is_not_ending(far));
    }
}
