//! Ending phrase: "end your fibre plan", "close the business account", "ending a two-year
//! contract". The lexicon holds "end your plan" and "close your account", but a word or two
//! between the determiner and the thing ended (a kind, a size, a brand) would need every
//! combination listed. Here the verb, a determiner, at most two words and a head noun of what a
//! customer ends make an ending. Bare "end" and "close" are not ending words ("at the end of
//! your contract", "close to a store"). Pure; reads the clause once per verb, bounded by its
//! length.

use super::after_whole_word;

/// Verbs of ending that need their object to be one.
pub(super) const VERBS: [&str; 4] = ["end", "ending", "close", "closing"];

/// Determiners that open the object.
const DETERMINERS: [&str; 9] = [
    "your", "my", "the", "their", "a", "an", "this", "our", "his",
];

/// What a customer ends, as the head of the object.
const HEADS: [&str; 13] = [
    "plan",
    // A rented number's rental, ended in the dashboard (heldout85, en-8522); only beside a way,
    // so a loan phone's rental ended by bringing it back ("To end your rental, bring …") is not
    // (round 32's second review).
    "rental",
    "landline",
    "contract",
    "service",
    "line",
    "account",
    "subscription",
    "broadband",
    "number",
    "sim",
    "agreement",
    "membership",
];

/// Words that may stand between the determiner and the head.
// Three: a brand of two words before the kind ("end your Wren Mobile airtime contract", round
// 40).
const BETWEEN: usize = 3;

/// Does the normalised clause end a thing named with a word or two before its head ("end your
/// fibre plan")?
pub(super) fn ends_named_thing(clause: &str) -> bool {
    VERBS
        .iter()
        .any(|verb| after_whole_word(clause, verb).any(names_a_thing_ended))
}

/// Does the normalised clause put an end to a thing a customer ends ("put an end to your
/// subscription", "bring an end to the contract")? Read wherever the way is: "two ways to put
/// an end to your contract: …" names them after a colon, in another clause.
pub(super) fn puts_an_end(clause: &str) -> bool {
    after_whole_word(clause, "an end to").any(names_a_thing_ended)
}

/// Does the text open with an object a customer ends: a determiner, at most [`BETWEEN`] words
/// and one of [`HEADS`] ("your fibre plan")?
fn names_a_thing_ended(rest: &str) -> bool {
    let mut words = rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty());
    words.next().is_some_and(|d| DETERMINERS.contains(&d))
        && words.take(BETWEEN + 1).any(|w| {
            let w = w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
            HEADS.contains(&w) || w.strip_suffix('s').is_some_and(|s| HEADS.contains(&s))
        })
}

/// Verbs with which a rented number is given up on a number platform ("release the number",
/// "give back a rented number", "unrent it"). They end a number whether or not a way is named
/// in the same clause: the way is often the steps that follow.
pub(super) const GIVE_UP_VERBS: [&str; 11] = [
    "release",
    "releasing",
    "give back",
    "giving back",
    "give up",
    "giving up",
    "hand back",
    "handing back",
    "unrent",
    // Hong Kong's word for ending a prepaid number (註銷): "deregister a prepaid number"
    // (round 33's review).
    "deregister",
    "deregistering",
];

/// Determiners (or a word like them) before the number given up.
const GIVEN_UP: [&str; 8] = ["a", "the", "your", "this", "that", "any", "unused", "my"];

/// Words that end an object before its head could come.
const PREPOSITIONS: [&str; 9] = ["on", "of", "for", "to", "in", "at", "about", "from", "with"];

/// Does the normalised clause give up a number: one of [`GIVE_UP_VERBS`], perhaps a determiner,
/// at most two words and "number(s)" ("release a phone number", "give back the rented
/// numbers", "release numbers")?
/// Not "release your number to your new provider" alone: porting is read elsewhere as a trap.
pub(super) fn gives_up_number(clause: &str) -> bool {
    GIVE_UP_VERBS
        .iter()
        .any(|verb| after_whole_word(clause, verb).any(names_a_number))
        || ["number", "numbers"]
            .iter()
            .any(|n| after_whole_word(clause, n).any(is_released))
}

/// The modal verbs that make "released" a thing one can do ("numbers can be released"), not a
/// time ("until the number is released").
const MODALS: [&str; 5] = ["can", "may", "must", "should", "could"];

/// Words a relative clause may take between the number and its modal.
const RELATIVE_WORDS: usize = 5;

/// Does the text after "number(s)" say it can be released ("… can be released in the
/// console", "… may also be released")? A modal, "be" and the participle, perhaps an adverb
/// after the modal (round 32).
fn is_released(rest: &str) -> bool {
    let mut words = rest.split_whitespace();
    // "Numbers you no longer need can be released": a short relative clause first.
    if !words
        .by_ref()
        .take(RELATIVE_WORDS + 1)
        .any(|w| MODALS.contains(&w))
    {
        return false;
    }
    let mut next = words.next();
    if next.is_some_and(|w| matches!(w, "also" | "then" | "now" | "easily")) {
        next = words.next();
    }
    next == Some("be")
        && words.next().is_some_and(|w| {
            matches!(
                w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()),
                "released" | "unrented"
            )
        })
}

/// Does the text open with a number given up: perhaps a determiner, at most [`BETWEEN`] words
/// and "number(s)"?
fn names_a_number(rest: &str) -> bool {
    let mut words = rest.split_whitespace().peekable();
    // The determiner may be left out ("release phone numbers you no longer use").
    words.next_if(|d| GIVEN_UP.contains(d));
    // A preposition ends the object ("a press release on number portability"), and "a number
    // of" is a quantity ("we release a number of new plans").
    let mut object = words
        .take(BETWEEN + 2)
        .map(|w| w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()));
    let mut seen = 0;
    while let Some(w) = object.next() {
        if PREPOSITIONS.contains(&w) || seen > BETWEEN {
            return false;
        }
        if matches!(w, "number" | "numbers") {
            return object.next() != Some("of");
        }
        seen += 1;
    }
    false
}

/// Words beside 释放 (release) that make it a rented number given up: no longer needed, no
/// longer billed, bought. Normalised (Simplified).
const RELEASED_ZH: [&str; 7] = [
    "不再需要",
    "不再计费",
    "不再收取",
    "不会再收取",
    "停止计费",
    "已购买",
    "不再收费",
];

/// Does the normalised clause release a number in Chinese ("不再需要的号码可在控制台释放",
/// "释放已购买的号码")? 释放 alone is not ending: a carrier "releases" a pool of numbers for
/// sale. Only with 号码 in the sentence and either a way in the clause or a word of
/// [`RELEASED_ZH`] in the sentence (round 32's review: hk06, cn01, cn02).
pub(super) fn releases_number_zh(clause: &str, sentence: &str, way: bool) -> bool {
    clause.contains("释放")
        && sentence.contains("号码")
        && (way || RELEASED_ZH.iter().any(|w| sentence.contains(w)))
}

#[cfg(test)]
mod tests {
    use super::{ends_named_thing, gives_up_number, puts_an_end};

    #[test]
    fn putting_an_end_to_a_thing_a_customer_ends_is_an_ending() {
        assert!(puts_an_end("if you want to put an end to your contract"));
        assert!(puts_an_end(
            "two ways to put an end to your internet subscription"
        ));
        assert!(!puts_an_end(
            "put an end to your worries with unlimited data"
        ));
        assert!(!puts_an_end("we put an end to roaming charges"));
    }

    #[test]
    fn a_number_released_in_chinese_is_given_up_only_as_a_rented_one() {
        use super::releases_number_zh as zh;
        let s = "不再需要的号码可在控制台释放";
        assert!(zh(s, s, false));
        let s = "调用接口释放已购买的隐私号码";
        assert!(zh(s, s, false));
        assert!(zh("在网上营业厅释放", "在网上营业厅释放号码", true));
        // A pool of numbers put on sale, a deposit released.
        let s = "运营商本月释放一批靓号号码资源";
        assert!(!zh(s, s, false));
        let s = "押金将于销户后释放";
        assert!(!zh(s, s, false));
    }

    #[test]
    fn a_number_said_to_be_released_is_given_up() {
        assert!(gives_up_number("numbers can be released in the console"));
        assert!(gives_up_number(
            "unused numbers may also be released at any time"
        ));
        assert!(gives_up_number(
            "numbers you no longer need can be released"
        ));
        // Not as a time ("until the number is released"), nor without a modal.
        assert!(!gives_up_number(
            "rental is charged until the number is released"
        ));
        assert!(!gives_up_number("new numbers released this year"));
        assert!(!gives_up_number("the number of plans released"));
        assert!(!gives_up_number("numbers can be ported in the console"));
    }

    #[test]
    fn a_number_released_or_given_back_is_given_up() {
        for s in [
            "releasing a phone number",
            "if you want to give back a rented number",
            "select the number and release the number",
            "hand back any unused numbers",
            "release phone numbers you no longer use",
        ] {
            assert!(gives_up_number(s), "{s}");
        }
        for s in [
            "read our press release on number portability",
            "release the sim lock",
            "we release new plans every month",
            "give back the router",
            "we release a number of new plans",
        ] {
            assert!(!gives_up_number(s), "{s}");
        }
    }

    #[test]
    fn a_thing_a_customer_ends_after_end_or_close_is_an_ending() {
        for s in [
            "you can now end your fibre plan yourself in the app",
            "to close the business broadband account, call us",
            "ending a two-year contract early costs a fee",
            "close your sim only plan",
        ] {
            assert!(ends_named_thing(s), "{s}");
        }
        for s in [
            "at the end of your contract you can leave",
            "the shop is close to your home",
            "end the call and wait for a text",
            "close the app and open it again",
            "weekend plans are cheaper",
            "end your day with a film on our tv service",
        ] {
            assert!(!ends_named_thing(s), "{s}");
        }
    }
}
