//! Ending phrase: "end your fibre plan", "close the business account", "ending a two-year
//! contract". The lexicon holds "end your plan" and "close your account", but a word or two
//! between the determiner and the thing ended (a kind, a size, a brand) would need every
//! combination listed. Here the verb, a determiner, at most two words and a head noun of what a
//! customer ends make an ending. Bare "end" and "close" are not ending words ("at the end of
//! your contract", "close to a store"). Pure; reads the clause once per verb, bounded by its
//! length.

use super::whole_word;

/// Verbs of ending that need their object to be one.
pub(super) const VERBS: [&str; 4] = ["end", "ending", "close", "closing"];

/// Determiners that open the object.
const DETERMINERS: [&str; 9] = [
    "your", "my", "the", "their", "a", "an", "this", "our", "his",
];

/// What a customer ends, as the head of the object.
const HEADS: [&str; 12] = [
    "plan",
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
const BETWEEN: usize = 2;

/// Does the normalised clause end a thing named with a word or two before its head ("end your
/// fibre plan")?
pub(super) fn ends_named_thing(clause: &str) -> bool {
    VERBS.iter().any(|verb| {
        clause
            .match_indices(verb)
            .filter(|&(at, _)| whole_word(clause, at, verb.len()))
            .any(|(at, _)| {
                let mut words = clause[at + verb.len()..]
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|w| !w.is_empty());
                if !words.next().is_some_and(|d| DETERMINERS.contains(&d)) {
                    return false;
                }
                words.take(BETWEEN + 1).any(|w| {
                    let w = w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
                    HEADS.contains(&w) || w.strip_suffix('s').is_some_and(|s| HEADS.contains(&s))
                })
            })
    })
}

#[cfg(test)]
mod tests {
    use super::ends_named_thing;

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
