//! Audience: whether an online way's sentence keeps that way for customers other than the ones a
//! page is written for ("The Close my line option is only available to subscribers registered
//! with a National ID" on a page for passport holders; 上网卡号码不在受理范围 on a page about data
//! cards). Round 45's reviews: such a page offers its own readers nothing online, and the offer
//! it names for others is no contradiction of its refusal. Pure; reads folded text
//! ([`crate::extract::normalise::for_matching`]) with a fixed number of substring searches.

/// Words that keep what the sentence offers for some customers only, after the fold.
const ONLY_FOR: [&str; 20] = [
    "only available to",
    "only available for",
    "available only to",
    "available only for",
    "only open to",
    "open only to",
    "only for customers",
    "only for subscribers",
    "only to customers",
    "only to subscribers",
    "restricted to",
    "exclusively for",
    "只适用于",
    "只适用",
    "仅适用于",
    "只对",
    "仅对",
    "仅限",
    "只限",
    "仅供",
];

/// Words that shut a group out of what the sentence offers ("but this option is not available for
/// passport-registered accounts", 欠费停机的号码无法登录办理), after the fold. Only words of a way
/// or an option not open: a refund refused beside the offer ("unused credit cannot be refunded")
/// is no such word.
const SHUT_OUT: [&str; 24] = [
    "not available for",
    "not available to",
    "isn't available for",
    "isn't available to",
    "is unavailable",
    "switched off",
    "turned off",
    "is disabled",
    "are disabled",
    "not eligible",
    "ineligible",
    "are excluded",
    "is excluded",
    "不设此",
    "不适用",
    "不在受理",
    "不受理",
    "无法提交",
    "无法登录",
    "无法办理",
    "无法线上",
    "无法在线",
    "不能线上",
    "不能在线",
];

/// Does `sentence` (folded) keep its online way for customers other than `audience` (the folded
/// words naming the page's own customers)? Either it keeps the way for some customers and names
/// none of the page's, or it names the page's customers where it shuts someone out.
pub(crate) fn offered_to_others(sentence: &str, audience: &[&str]) -> bool {
    let names_audience = audience.iter().any(|w| sentence.contains(w));
    if names_audience {
        SHUT_OUT.iter().any(|w| sentence.contains(w))
    } else {
        ONLY_FOR.iter().any(|w| sentence.contains(w))
    }
}

#[cfg(test)]
mod tests {
    use super::offered_to_others;
    use crate::extract::normalise::for_matching;

    fn others(sentence: &str, audience: &[&str]) -> bool {
        offered_to_others(&for_matching(sentence), audience)
    }

    #[test]
    fn a_way_kept_for_other_customers_is_theirs() {
        let passport = ["passport", "护照"];
        assert!(others(
            "The Close my line option in My Kite is only available to subscribers registered with a National ID.",
            &passport
        ));
        assert!(others(
            "Customers with an HKID can end their plan in the app, but this option is not available for passport-registered accounts.",
            &passport
        ));
        assert!(others(
            "以香港身份證登記之客戶可於App終止計劃，惟以護照登記之賬戶不設此功能。",
            &passport
        ));
        assert!(others(
            "App的销号功能只对手机号码开放，上网卡号码不在受理范围。",
            &["上网卡"]
        ));
        assert!(others(
            "线上销户要求号码处于正常在用状态，欠费停机的号码无法登录办理。",
            &["欠费"]
        ));
    }

    #[test]
    fn a_way_offered_to_the_pages_own_customers_stays_theirs() {
        let passport = ["passport", "护照"];
        assert!(!others(
            "Passport holders can close their line in the app.",
            &passport
        ));
        assert!(!others(
            "Online cancellation is only available to customers registered with a passport.",
            &passport
        ));
        // A refund refused beside the offer shuts nobody out of the way.
        assert!(!others(
            "Prepaid customers can cancel in the app; unused credit cannot be refunded.",
            &["prepaid"]
        ));
        assert!(!others(
            "You can cancel your plan in the app at any time.",
            &passport
        ));
    }
}
