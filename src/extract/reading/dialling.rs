//! Dialling: a clause that tells the reader to call a number ("Call Consolidated at 1.844…",
//! "ring us on 0800…", "call 611 from your phone", "contact us on 1300…") names the phone as
//! its channel, though no hotline word is in it. Bare "call", "ring" and "phone" are not in the
//! lexicon ("call charges", "ring tones", "mobile phone service"): here such a verb counts only
//! when a number of at least three digits follows it in the same clause and the word after it
//! is not a noun it modifies, or when "call" / "ring" opens the clause as an imperative ("Call
//! CenturyLink's customer service department"), or when the reader is told to call their
//! provider, named in a few words ("ring your fibre broadband provider"). Pure; reads the
//! clause once per verb, bounded by its length.

use super::{after_whole_word, whole_word};
use crate::extract::lexicon::{Concept, Lexicon};

/// Words after "call" or "contact" that make it a modifier ("call charges", "call barring",
/// "contact details"), not a verb.
const MODIFIED: [&str; 23] = [
    "charg", "rate", "barr", "forward", "wait", "divert", "record", "minute", "cost", "time",
    "durat", "volume", "log", "plan", "tone", "number", "model", "bill", "detail", "info", "form",
    "page", "list",
];

/// Fewest digits in a row that make a number one dials (611, 1.844…, 2945 8888).
const DIGITS: usize = 3;

/// Verbs of dialling; each also in its -ing form ("by contacting BigPond on 133 933", "begin by
/// dialing 1-877…", "dialling").
const VERBS: [&str; 6] = ["call", "ring", "phone", "telephone", "contact", "dial"];

/// Does the normalised (lower-case) clause tell the reader to call a number?
pub(super) fn calls_a_number(clause: &str) -> bool {
    // Most clauses hold no number at all: one pass rules them out before any verb is looked for.
    has_number(clause)
        && (VERBS.iter().any(|v| dials(clause, v))
            || reaches(clause)
            || texts_a_keyword(clause)
            || labelled(clause)
            || on_hand(clause))
}

/// Labels a number is set out under ("Phone: 1300 000 000", "Tel: 2888 1111", 电话：10086,
/// "Fax: …"), after the fold and lower-casing. Not WhatsApp or "SMS": those labels name another
/// way. Bare 电话 is the line itself ("电话号码"), so it counts only as a label, with its colon
/// and a number right after.
const LABELS: [&str; 9] = [
    "phone",
    "telephone",
    "tel",
    "call",
    "hotline",
    "helpline",
    "fax",
    "电话",
    "传真",
];

/// Does the clause set a number out under a phone label ("phone: 1300 000 000")? The label
/// must open the clause or follow a space, and the number must come right after its colon.
fn labelled(clause: &str) -> bool {
    clause
        .match_indices(':')
        .take(MAX_LABELS)
        .any(|(at, _)| label_colon(clause, at))
}

/// Is the colon at byte `at` of `text` a phone label's, with the number right after it? The
/// clause splitter keeps such a colon inside its clause.
pub(super) fn label_colon(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    let after = text[at + 1..].trim_start();
    after.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '(')
        && has_number(after.get(..LABEL_LOOK).unwrap_or(after))
        && LABELS.iter().any(|l| {
            before.strip_suffix(l).is_some_and(|head| {
                !l.is_ascii() || head.is_empty() || head.ends_with(|c: char| !c.is_alphanumeric())
            })
        })
}

/// Most digits an area code in brackets has ("(02)", "(0345)", "(+852)").
const AREA_DIGITS: usize = 5;

/// Is the bracket at byte `at` of `text` one of an area code's ("(02) 2345 6789")? Only
/// digits (and a leading "+") stand between it and its partner, and a digit follows the closing
/// one after a space. The clause splitter keeps such brackets inside the number.
pub(super) fn area_code(text: &str, at: usize) -> bool {
    // Each look is within a few bytes of the bracket: a page of brackets costs no rescans.
    let near = |from: usize, to: usize| text.get(from..to.min(text.len()));
    let (open, close) = match text.as_bytes().get(at) {
        Some(b'(') => {
            let Some(after) = near(at + 1, at + 3 + AREA_DIGITS) else {
                return false;
            };
            match after.find(')') {
                Some(c) => (at, at + 1 + c),
                None => return false,
            }
        }
        Some(b')') => {
            let from = at.saturating_sub(2 + AREA_DIGITS);
            let Some(before) = (from..at).find_map(|f| text.get(f..at)) else {
                return false;
            };
            match before.rfind('(') {
                Some(o) => (at - before.len() + o, at),
                None => return false,
            }
        }
        _ => return false,
    };
    let digits = text[open + 1..close].trim_start_matches('+');
    !digits.is_empty()
        && digits.len() <= AREA_DIGITS
        && digits.bytes().all(|b| b.is_ascii_digit())
        && near(close + 1, close + 3)
            .is_some_and(|t| t.trim_start().starts_with(|c: char| c.is_ascii_digit()))
}

/// How many bytes after a label's colon the number must start within ("(02) 2345").
const LABEL_LOOK: usize = 12;

/// How many colons of one clause are looked at for a label.
const MAX_LABELS: usize = 8;

/// Words saying someone is there to take a call ("our team is available on 1300 000 000", "on
/// hand at …"), before "on" or "at" and a number.
const ON_HAND: [&str; 4] = ["available", "on hand", "reachable", "contactable"];
/// How many words may stand between those words and "on" / "at" ("available 8am to 8pm, seven
/// days a week, on").
const ON_HAND_WORDS: usize = 9;
/// A number those words point to has at least this many digits: a phone number, not "available
/// at 1000 stores" or "on 150 plans".
const PHONE_DIGITS: usize = 6;

pub(super) fn on_hand(clause: &str) -> bool {
    ON_HAND.iter().any(|w| {
        after_whole_word(clause, w).any(|rest| {
            // "available 8am to 8pm, seven days a week, on 0800 …": words of hours may come
            // first.
            let mut words = rest.split_whitespace();
            words
                .by_ref()
                .take(ON_HAND_WORDS + 1)
                .any(|x| matches!(x, "on" | "at"))
                && phone_digits(words)
        })
    })
}

/// Do the words start with a phone number: a run of number-like words holding at least
/// [`PHONE_DIGITS`] digits?
fn phone_digits<'a>(words: impl Iterator<Item = &'a str>) -> bool {
    words
        .take_while(|x| {
            x.chars()
                .all(|c| c.is_ascii_digit() || "+-.(),".contains(c))
        })
        .flat_map(str::chars)
        .filter(char::is_ascii_digit)
        .count()
        >= PHONE_DIGITS
}

/// Is the clause only "on" / "at" and a phone number ("on 0800 123 4567" after "available 8am
/// to 8pm, seven days a week,")? Its sentence says who is on that line: the reader checks
/// [`on_hand`] on the whole sentence, since the commas of the hours split it into clauses.
pub(super) fn number_clause(clause: &str) -> bool {
    let mut words = clause.split_whitespace();
    matches!(words.next(), Some("on" | "at")) && phone_digits(words)
}

/// Verbs of sending a keyword by text message ("send DEACT to 1234", "SMS CANCEL to 55555").
const TEXT_VERBS: [&str; 4] = ["send", "sms", "text", "reply"];
/// Words after such a verb that are what is sent, not a keyword ("send a letter to 2/F …",
/// "send your form to 12 Queen's Road"), or keywords that stop marketing, not the line
/// ("text STOP to 8080").
const NOT_KEYWORDS: [&str; 16] = [
    "a",
    "an",
    "the",
    "your",
    "us",
    "it",
    "them",
    "this",
    "that",
    "our",
    "stop",
    "unsubscribe",
    "unsub",
    "td",
    "help",
    "info",
];

/// Does the normalised clause tell the reader to text a keyword to a short code: a verb, one
/// word, "to", then a number?
fn texts_a_keyword(clause: &str) -> bool {
    let words: Vec<&str> = clause.split_whitespace().take(MAX_WORDS).collect();
    words.windows(4).any(|w| {
        TEXT_VERBS.contains(&w[0])
            && !NOT_KEYWORDS.contains(&w[1])
            && w[1].chars().all(|c| c.is_ascii_alphanumeric())
            && !has_number(w[1])
            && w[2] == "to"
            && has_number(w[3])
            && w[3]
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ')'))
    })
}

/// Whom one reaches by phone ("reach us on 1234", "reach our team at 0800 000 000"): only
/// before "on" or "at" and a number, since "speeds reach 100 mbps" and "reach the 300-minute
/// cap" name no call.
/// Round 34's reviews: "our Retentions team, who you can reach on 0800 …", "who can be
/// reached on …".
const REACHED: [&str; 5] = [
    "reach us",
    "reach our",
    "reach them",
    "you can reach",
    "be reached",
];
/// How many words may stand between the one reached and "on" / "at" ("our customer care team").
const REACHED_WORDS: usize = 4;

fn reaches(clause: &str) -> bool {
    REACHED.iter().any(|r| {
        after_whole_word(clause, r).any(|rest| {
            let mut previous = "";
            rest.split_whitespace().take(REACHED_WORDS + 2).any(|w| {
                let dialled = matches!(previous, "on" | "at") && has_number(w);
                previous = w;
                dialled
            })
        })
    })
}

fn dials(clause: &str, verb: &str) -> bool {
    let mut rest = clause;
    while let Some(at) = rest.find(verb) {
        let after = &rest[at + verb.len()..];
        // "keep your phone for 180 days": after a determiner the word is the handset, a noun.
        let noun = rest[..at]
            .split_whitespace()
            .next_back()
            .is_some_and(|w| DETERMINERS.contains(&w));
        // The -ing form: one search per verb finds both. Only as a verb ("by contacting us on",
        // "begin by dialing 1-877…"), not a noun in a plan's name ("Unlimited Calling 300").
        let as_verb = rest[..at]
            .split_whitespace()
            .next_back()
            .is_some_and(|w| ING_AFTER.contains(&w));
        let len = ["ing", "ling"]
            .iter()
            .find(|ing| as_verb && after.starts_with(*ing))
            .map_or(verb.len(), |ing| verb.len() + ing.len());
        let after = &rest[at + len..];
        if (whole_word(rest, at, verb.len()) || whole_word(rest, at, len)) && !noun {
            let next = after.trim_start();
            let modifier = MODIFIED.iter().any(|m| next.starts_with(m));
            if !modifier && number_follows(after) {
                return true;
            }
        }
        rest = after;
    }
    false
}

/// Words that may come before an imperative "call" at a clause's start ("please call …").
const SOFTENERS: [&str; 6] = ["please", "simply", "just", "then", "first", "so"];

/// Words after an opening "call" or "ring" that make it a call to someone: a pronoun, an
/// article or a company's possessive ("Call CenturyLink's …"). Anything else may be a noun the
/// word modifies ("call credit", "ring back tones", "call blocking").
const CALLED: [&str; 9] = [
    "us", "our", "your", "the", "a", "an", "them", "customer", "their",
];

/// Does the normalised clause open by telling the reader to call someone ("Call CenturyLink's
/// customer service department", "please ring the cancellations team")?
pub(super) fn told_to_call(lexicon: &Lexicon, clause: &str) -> bool {
    let mut words = clause.split_whitespace();
    let mut first = words.next();
    if first.is_some_and(|w| SOFTENERS.contains(&w)) {
        first = words.next();
    }
    let verb = first.is_some_and(|w| matches!(w, "call" | "ring"));
    if !verb {
        return false;
    }
    let Some(next) = words.next() else {
        return false;
    };
    // A name the verb takes ("Call Acme and ask them to end your plan", "ring Acme to cancel"):
    // one word, then what the call is for: a word of asking, or "to" and words the lexicon
    // reads as ending, right there.
    let mut named = || match (words.next(), words.next()) {
        (Some("and"), Some(then)) => CALL_FOR.contains(&then),
        (Some("to"), Some(then)) => {
            let at = then.as_ptr() as usize - clause.as_ptr() as usize;
            // Only the words right after "to" are read, so a long clause is not scanned again.
            clause.get(at..).is_some_and(|rest| {
                let near = rest
                    .char_indices()
                    .nth(TO_WINDOW)
                    .map_or(rest, |(i, _)| &rest[..i]);
                lexicon.scan(near).first_at(Concept::Terminate) == Some(0)
            })
        }
        _ => false,
    };
    CALLED.contains(&next) || without_possessive(next).is_some() || named()
}

/// Who "gives a call" when the reader does not: the provider calling back ("we'll give you a
/// call to confirm") or the reader's own handset.
const GIVEN_BY_THEM: [&str; 6] = ["you", "yourself", "it", "me", "him", "her"];
/// How many words may name whom the reader gives a call ("give our retentions team a call").
const GIVEN_WORDS: usize = 5;

/// Does the normalised clause tell the reader to give someone a call or a ring ("Give our
/// retentions team a call on 150", "give Acme a ring")? The lexicon holds the common "give us a
/// call"; this reads whoever is named in between, within a few words.
pub(super) fn gives_a_call(clause: &str) -> bool {
    let mut words = clause.split_whitespace().take(MAX_WORDS);
    while let Some(w) = words.next() {
        if !matches!(w, "give" | "giving") {
            continue;
        }
        let mut ahead = words.clone().take(GIVEN_WORDS + 2);
        if ahead.next().is_none_or(|x| GIVEN_BY_THEM.contains(&x)) {
            continue;
        }
        let mut previous = "";
        if ahead.any(|x| {
            let x = x.trim_end_matches(|c: char| !c.is_alphanumeric());
            let called = previous == "a" && matches!(x, "call" | "ring" | "bell");
            previous = x;
            called
        }) {
            return true;
        }
    }
    false
}

/// A word without its possessive ending ("centurylink’s" → "centurylink"), if it has one.
fn without_possessive(word: &str) -> Option<&str> {
    word.strip_suffix("'s").or_else(|| word.strip_suffix("’s"))
}

/// Verbs of calling that [`told_to_call`] and [`calls_a_provider`] read; the reader's call cue
/// is given by exactly these words (and "give", for [`gives_a_call`]), so that a clause without
/// one costs none of the three checks.
pub(super) const CALL_VERBS: [&str; 3] = ["call", "calling", "ring"];

/// How many characters after "to" may hold the ending ("end your contract").
const TO_WINDOW: usize = 40;

/// What a caller goes on to do after the name they call ("… and ask").
const CALL_FOR: [&str; 6] = ["ask", "tell", "say", "request", "explain", "let"];

/// Whom a reader calls, named after "your"/"the" and a few words ("call your cable or
/// satellite TV service provider").
const PROVIDERS: [&str; 7] = [
    "provider", "company", "carrier", "operator", "isp", "telco", "supplier",
];
/// How many words may stand between "call your" and the provider.
const PROVIDER_WORDS: usize = 6;

/// Does the normalised clause tell the reader to call their provider, however it is named?
pub(super) fn calls_a_provider(clause: &str) -> bool {
    // Most clauses name no provider: one look rules them out before any word is split.
    if !PROVIDERS.iter().any(|p| clause.contains(p)) {
        return false;
    }
    let mut words = clause.split_whitespace().take(MAX_WORDS);
    while let Some(w) = words.next() {
        // Not "phone": before "the"/"your" it is mostly the handset ("the phone the company
        // gave you").
        if !CALL_VERBS.contains(&w) {
            continue;
        }
        let mut ahead = words.clone();
        if ahead.next().is_some_and(|d| matches!(d, "your" | "the"))
            && ahead.take(PROVIDER_WORDS).any(|x| {
                let x = x.trim_end_matches(|c: char| !c.is_alphanumeric());
                let x = without_possessive(x).unwrap_or(x);
                PROVIDERS.iter().any(|p| x.trim_end_matches('s') == *p)
            })
        {
            return true;
        }
    }
    false
}

/// A clause is read for a call to a provider only within its first words.
const MAX_WORDS: usize = 64;

/// Words after which an -ing form is a verb of dialling.
const ING_AFTER: [&str; 8] = [
    "by", "when", "try", "start", "begin", "keep", "before", "after",
];

/// Words before "phone" or "call" that make it a noun.
const DETERMINERS: [&str; 9] = [
    "your", "the", "a", "my", "old", "new", "our", "their", "his",
];
/// How many words after the verb the number may come ("call Consolidated at 1.844…"), unless a
/// word that introduces a number leads to it ("call the team on 2945 8888").
const NEAR_WORDS: usize = 3;
const LEADS: [&str; 4] = ["on", "at", "to", "number"];

/// Does a number follow the verb closely: within a few words, or right after on/at/to?
fn number_follows(after: &str) -> bool {
    let mut previous = "";
    for (i, w) in after
        .split_whitespace()
        .take(2 * NEAR_WORDS + 2)
        .enumerate()
    {
        if has_number(w) && (i < NEAR_WORDS || LEADS.contains(&previous)) {
            return true;
        }
        previous = w;
    }
    false
}

fn has_number(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            run += 1;
            if run >= DIGITS {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{area_code, calls_a_number, calls_a_provider, gives_a_call};
    use crate::extract::lexicon::Lexicon;

    fn told_to_call(clause: &str) -> bool {
        super::told_to_call(Lexicon::builtin(), clause)
    }

    #[test]
    fn a_call_to_the_provider_however_named_is_a_call() {
        assert!(calls_a_provider(
            "you will need to ring your broadband provider to cancel"
        ));
        assert!(calls_a_provider(
            "before you call your cable or satellite tv service provider to cancel"
        ));
        assert!(calls_a_provider("try calling the phone company first"));
        assert!(!calls_a_provider("call your friends before you cancel"));
        assert!(!calls_a_provider(
            "the phone the company gave you is yours to keep when you cancel"
        ));
        assert!(calls_a_provider("call your provider’s retention line"));
        // Too far from the verb to be whom it calls.
        assert!(!calls_a_provider(
            "call the number printed on the back of the bill from the provider"
        ));
    }

    #[test]
    fn a_clause_opening_with_call_tells_the_reader_to_call() {
        // Round 22 (en-5423): a step that names whom to call, with no number.
        assert!(told_to_call(
            "call centurylink’s customer service department at the cancellation number"
        ));
        assert!(told_to_call("please ring the cancellations team"));
        assert!(told_to_call("then call your provider and ask to cancel"));
        assert!(!told_to_call("call forwarding can be cancelled in the app"));
        assert!(!told_to_call("call history is deleted when you cancel"));
        assert!(!told_to_call("call it a day and cancel"));
        // Found by round 22's review: nouns the verb's spelling opens.
        assert!(!told_to_call("call credit left on your account is lost"));
        assert!(!told_to_call("ring back tones are removed"));
        assert!(!told_to_call("call blocking and caller id stop"));
        // A company's name, then what the call is for.
        assert!(told_to_call("call acme and ask them to end your plan"));
        assert!(told_to_call("ring harbourtel to cancel"));
        assert!(!told_to_call("call credit and data are lost"));
        // A noun at a clause's start, not an imperative.
        assert!(!told_to_call("telephone lines will remain deactivated"));
        assert!(!told_to_call("phone disconnect"));
        assert!(!told_to_call(
            "we will call you to confirm the cancellation"
        ));
    }

    #[test]
    fn a_number_after_call_is_dialled() {
        assert!(calls_a_number("call consolidated at 1.844.your.cci"));
        assert!(calls_a_number("call 611 from your phone"));
        assert!(calls_a_number("by contacting bigpond on 133 933"));
        assert!(calls_a_number("begin by dialing 1-877-697-2926"));
        assert!(calls_a_number("try dialling 611"));
        assert!(!calls_a_number("callings of 2024"));
        assert!(!calls_a_number(
            "cancel your unlimited calling 300 plan at any time"
        ));
        assert!(calls_a_number("please call the team on 2945 8888"));
        assert!(calls_a_number("ring harbourline on 0800 555 0147"));
        assert!(calls_a_number("phone us on 1033"));
        // Round 15 (en-2805): "please contact us directly on 1300 023 354".
        assert!(calls_a_number("please contact us directly on 1300 023 354"));
        assert!(!calls_a_number("contact details for 2025"));
        // Whom one reaches on a number is called (a walk-through of carrier phrasing, round 30).
        assert!(calls_a_number("reach us on 1234 from your mobile"));
        assert!(calls_a_number("who you can reach on 0800 046 7718"));
        assert!(calls_a_number("who can be reached on 0800 046 7718"));
        assert!(calls_a_number(
            "reach our customer care team at 0800 000 000"
        ));
        assert!(!calls_a_number("speeds reach 1000 mbps"));
        assert!(!calls_a_number("reach our 100 stores"));
        assert!(!calls_a_number("once you reach the 300 minute cap"));
        assert!(!calls_a_number("breach us on 1234"));
        // A keyword texted to a short code (round 30).
        assert!(calls_a_number(
            "to deactivate your sim, send deact to 1234."
        ));
        assert!(calls_a_number(
            "sms cancel to 55555 from your registered number"
        ));
        assert!(!calls_a_number("text stop to 8080 to stop promos"));
        assert!(!calls_a_number("send your form to 12 queen's road"));
        assert!(!calls_a_number("send a letter to 1234"));
        assert!(!calls_a_number("send 100 to 1234"));
        assert!(!calls_a_number("send it to 2/f, 12 main street"));
    }

    #[test]
    fn call_as_a_modifier_or_without_a_number_is_not() {
        assert!(!calls_a_number("call charges of 0.5p apply"));
        assert!(!calls_a_number("call barring for 1000 minutes"));
        assert!(!calls_a_number("call the shop"));
        assert!(!calls_a_number("recall the 2024 order"));
        assert!(!calls_a_number("calls to 0800 are free"));
        assert!(!calls_a_number("a local call costs 20 cents"));
        assert!(!calls_a_number("ring tones from 300 points"));
        assert!(!calls_a_number("your phone number 9123 4567"));
        assert!(!calls_a_number("the 5g phone model 2025"));
        assert!(!calls_a_number("string 123"));
        assert!(!calls_a_number(
            "cancel your plan now and keep your phone for 180 days"
        ));
        assert!(!calls_a_number(
            "trade in your old phone for up to $200 credit"
        ));
        assert!(!calls_a_number("call us about your 2024 bill"));
    }

    #[test]
    fn a_number_under_a_phone_label_is_a_call() {
        assert!(calls_a_number("phone: 1300 000 000"));
        assert!(calls_a_number("tel: +852 2888 1111"));
        assert!(calls_a_number("customer hotline: 1000"));
        assert!(calls_a_number("电话:10086"));
        assert!(calls_a_number("客服电话: 10010"));
        assert!(calls_a_number("fax: 2123 4567"));
        // A label of another way, a word that only ends in a label, no number after the colon.
        assert!(!calls_a_number("whatsapp: +852 9000 0000"));
        assert!(!calls_a_number("hotel: 1200 rooms"));
        assert!(!calls_a_number("phone: see the number on your bill 2024"));
        // An area code in brackets.
        assert!(calls_a_number("电话:(02) 2345-6789"));
        assert!(calls_a_number("phone: (+852) 2888 1111"));
    }

    #[test]
    fn an_area_codes_brackets_are_part_of_the_number() {
        let t = "phone: (02) 9555 0101 (weekdays) or (2) above";
        let at = |c: char, n: usize| t.match_indices(c).nth(n).map(|(i, _)| i).unwrap_or(0);
        assert!(area_code(t, at('(', 0)) && area_code(t, at(')', 0)));
        assert!(!area_code(t, at('(', 1)) && !area_code(t, at(')', 1)));
        // "(2) above": digits inside, but no number after.
        assert!(!area_code(t, at('(', 2)) && !area_code(t, at(')', 2)));
        assert!(!area_code(")(", 0) && !area_code("(", 0) && !area_code("(123456) 7", 0));
        assert!(!area_code("电话)", "电话".len()));
    }

    #[test]
    fn a_team_on_hand_at_a_phone_number_is_a_call() {
        assert!(calls_a_number(
            "our customer care team is available on 1300 000 000"
        ));
        assert!(calls_a_number("our agents are on hand at 0800 123 456"));
        assert!(calls_a_number(
            "our loyalty team is available 7 days a week on 0800 555 0123"
        ));
        assert!(super::on_hand(
            "our team is available 8am to 8pm, seven days a week, on 0800 123 4567."
        ));
        assert!(super::number_clause("on 0800 123 4567."));
        assert!(!super::number_clause("on 1 march 2026"));
        // A count, a speed or a short figure is no phone number.
        assert!(!calls_a_number("5g is available at 1000 stores"));
        assert!(!calls_a_number("speeds available at 1000 mbps"));
        assert!(!calls_a_number("the plan is available on 1 march 2026"));
    }

    #[test]
    fn giving_someone_a_call_is_a_call() {
        assert!(gives_a_call(
            "give our retentions team a call on 150 from your mobile"
        ));
        assert!(gives_a_call("give acme a ring"));
        assert!(gives_a_call("giving the cancellations line a call"));
        // The provider calling the reader back, or something else given.
        assert!(!gives_a_call("we'll give you a call to confirm"));
        assert!(!gives_a_call("give your provider 30 days notice"));
        assert!(!gives_a_call("give it a go"));
    }
}
