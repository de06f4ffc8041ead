//! Clauses: where one sentence splits into clauses (negation reaches across its own clause only)
//! and where a comma or 、 only goes on with a list of ways. Pure; reads normalised text.

use super::dialling;
use crate::extract::lexicon::Concept;

/// The longest bare item of an enumeration, in characters ("网上营业厅", "the app").
const BARE_ITEM_CHARS: usize = 10;

/// Is the clause short enough to be a bare item of an enumeration ([`BARE_ITEM_CHARS`])?
pub(super) fn bare_item(clause: &str) -> bool {
    clause.chars().nth(BARE_ITEM_CHARS).is_none()
}

/// Words that make a refusal closing an enumeration cover all its items: "APP、网厅、10000号
/// 均不受理", "the app, email and phone all cannot …".
pub(super) const ALL_OF_THEM: [&str; 7] = ["均", "都", "皆", "一律", "一概", "全部", " all "];

/// Does the refusal closing an enumeration cover every item of it: a word for all of them
/// before its negation (the first negation or rejection the lexicon found in `hits`)?
pub(super) fn refuses_all_listed(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let end = [Concept::Negation, Concept::Rejection]
        .into_iter()
        .filter_map(|c| hits.first_at(c))
        .min()
        .unwrap_or(0);
    clause
        .get(..end)
        .is_some_and(|before| ALL_OF_THEM.iter().any(|w| before.contains(w)))
}

/// Is `clause` (a slice of `normalised`) the next item of an enumeration: after 、 (not a new
/// request, 请…), opening with "or"/"nor", or a short item after a comma ([`item_words`]) with
/// no verb of its own?
pub(super) fn enumerated(normalised: &str, clause: &str) -> bool {
    let Some(at) = (clause.as_ptr() as usize).checked_sub(normalised.as_ptr() as usize) else {
        return false;
    };
    let before = normalised.get(..at).unwrap_or("").trim_end();
    let sep = before.chars().next_back();
    // A clause that says something of its own ("…, use My Account", "…, and can be made in the
    // app") starts a new statement: only a bare name or an "or …" continues the list.
    let verb = |c: &str| {
        let first = c.split(' ').next().unwrap_or("");
        STATEMENT_STARTS.contains(&first)
            || [" can ", " may ", " must ", " will ", " is ", " are "]
                .iter()
                .any(|v| c.contains(v))
    };
    (sep == Some('、') && !clause.starts_with('请'))
        || ((clause.starts_with("or ") || clause.starts_with("nor ")) && !verb(clause))
        || (sep == Some(',')
            && clause.is_ascii()
            && clause.split_whitespace().count()
                <= item_words(clause, item_follows(normalised, at, clause))
            && !verb(clause))
}

/// How many words an English item of a list may have: a bare name is short ("fax", "the
/// app"); one that repeats the list's preposition ("…by fax, by email or by registered mail")
/// may be longer ("…not accepted by phone, in the app or online", round 55's second wave), and
/// so may a bare name followed by the closing item ("…, email or on
/// consumer review sites").
pub(super) fn item_words(clause: &str, middle: bool) -> usize {
    // Only an item that closes the list ("… or by registered mail"), not an alternative offered
    // after it ("not accepted by phone, through My Account only", "…, through your online
    // account please").
    let offered = ALTERNATIVE_WORDS.iter().any(|w| clause.contains(w));
    let closes = [" or ", " nor "].iter().any(|w| clause.contains(w)) && !offered;
    let prepositional = LIST_PREPOSITIONS.iter().any(|p| clause.starts_with(p));
    if !closes {
        // An item in the middle of the list, another after it, that repeats its preposition
        // ("…by phone, through the Business Portal, by email or …", round 58): a name with its
        // determiner.
        if middle && prepositional && !offered {
            5
        } else {
            3
        }
    } else if prepositional {
        8
    } else if clause.split_whitespace().nth(1) == Some("or") {
        // A bare name, then the last item ("…via phone, email or on consumer review sites",
        // round 22, en-5509; "…by phone, email or through the Harbour website or app", round
        // 39); not an alternative offered ("…, try My Account or the app").
        8
    } else if clause.starts_with("the ") && clause.contains(" or the ") {
        // Names with their determiners, the last after "or the": "…not accepted through the
        // hotline, the Online Business Hall or the app" (round 55's third wave).
        8
    } else if clause.split_whitespace().nth(2) == Some("or")
        && clause.split_whitespace().count() <= 5
    {
        // A name of two words, then the last item: "…through My eir, live chat or email" (round
        // 41's tuning probes), or a name with its determiner, "…through the call centre, the app
        // or the website" (round 33's review; not "…, the app or My Account works").
        5
    } else {
        3
    }
}

/// Prepositions an item of a list of ways may repeat ("by phone, by email or by post").
const LIST_PREPOSITIONS: [&str; 6] = ["by ", "via ", "through ", "in ", "on ", "over "];

/// Words that make a clause after a list an alternative offered, not its last item.
const ALTERNATIVE_WORDS: [&str; 3] = ["only", "instead", "please"];

/// Does another item of the list follow `clause` (a slice of `normalised` at byte `at`)?
fn item_follows(normalised: &str, at: usize, clause: &str) -> bool {
    normalised
        .get(at + clause.len()..)
        .is_some_and(|rest| rest.trim_start().starts_with([',', '、']))
}

/// First words that open a statement, not an item of a list.
pub(super) const STATEMENT_STARTS: [&str; 16] = [
    "use", "visit", "call", "go", "log", "sign", "click", "contact", "please", "you", "we", "they",
    "it", "this", "simply", "just",
];

/// Does a trapped clause that names no way name the ending first, and the trap after "and"
/// ("to end the line and settle your final bill")? Then the ending is an errand of its own.
pub(super) fn ends_before_trap(
    clause: &str,
    c: crate::extract::lexicon::Concepts,
    hits: &crate::extract::lexicon::Hits,
) -> bool {
    if !c.has(Concept::Trap)
        || !c.has(Concept::Terminate)
        || c.has(Concept::Online)
        || c.has(Concept::Offline)
    {
        return false;
    }
    let (Some(end), Some(trap)) = (
        hits.first_at(Concept::Terminate),
        hits.first_at(Concept::Trap),
    ) else {
        return false;
    };
    end < trap
        && clause
            .get(end..trap)
            .is_some_and(|between| between.contains(" and "))
}

/// Splits a normalised sentence into clauses: negation only reaches across its own clause.
pub(super) fn clauses(normalised: &str) -> impl Iterator<Item = &str> {
    // Not the colon of an address ("https://example.com/cancel"): split there, the address
    // would lose its scheme and no longer read as the web. Nor a phone label's ("phone: 1300
    // 000 000"): the label is what makes the number a call; nor the brackets of an area code
    // ("(02) 2345 6789").
    // A bracket of examples ("增值服务(如国际漫游配套)可在…取消", round 42) is not cut out: its
    // clause runs on through it, so the thing exemplified keeps its predicate.
    let mut in_example = false;
    let mut bounds = normalised
        .char_indices()
        .filter(move |&(i, c)| {
            if in_example {
                in_example = c != ')';
                return false;
            }
            if c == '('
                && (EXAMPLES.iter().any(|w| normalised[i + 1..].starts_with(w))
                    || enumerates(&normalised[..i], &normalised[i + 1..]))
            {
                in_example = true;
                return false;
            }
            (matches!(c, ',' | '、' | ';' | '(' | ')')
                && !dialling::area_code(normalised, i)
                && !(c == ',' && list_goes_on(normalised, i)))
                || (c == ':'
                    && !normalised[i + 1..].starts_with("//")
                    && !dialling::label_colon(normalised, i))
                // A chat's "~" ends a clause ("申请号码销户哦~ 系统会先检测是否欠费", round
                // 37's reviews); a range's ("8~10 days") does not.
                || (c == '~' && !normalised[..i].ends_with(|p: char| p.is_ascii_digit()))
        })
        .map(|(i, c)| (i, i + c.len_utf8()))
        .chain(std::iter::once((normalised.len(), normalised.len())));
    let mut start = 0;
    // A spaced dash sets off a clause ("from your online account - support does not
    // cancel"); "3-5 days" keeps its hyphen. Only the words the sentence holds are split at,
    // in this order: most sentences hold none (a search per clause and word was a tenth of
    // reading a page, issue 16).
    let words: Vec<&str> = CLAUSE_WORDS
        .iter()
        .copied()
        .filter(|w| normalised.contains(w))
        .collect();
    std::iter::from_fn(move || {
        let (end, next) = bounds.next()?;
        let clause = &normalised[start..end];
        start = next;
        Some(clause)
    })
    .flat_map(move |c| {
        let split = (!words.is_empty()).then(|| split_at_words(c, &words));
        let whole = split.is_none().then_some(c);
        whole.into_iter().chain(split.into_iter().flatten())
    })
    .map(str::trim)
    .filter(|c| !c.is_empty())
}

/// Does a bracket list the channels the word before it names ("电子渠道(app、网上营业厅、微信公众
/// 号)及10000号均不受理", round 62's fourth wave)? Its members are joined by 、 before it closes,
/// near. The clause runs on through it, as through a bracket of examples. Not a bracket of
/// conditions after a number ("个人实名号码(无合约、无欠费、非主卡)现可在app…办理"): its
/// negations would reach the way.
fn enumerates(before: &str, after_open: &str) -> bool {
    if !CHANNEL_NOUNS.iter().any(|w| before.trim_end().ends_with(w)) {
        return false;
    }
    let inside = after_open
        .char_indices()
        .take(ENUMERATION_CHARS)
        .find(|&(_, c)| c == ')' || c == '(')
        .and_then(|(at, c)| (c == ')').then(|| &after_open[..at]));
    // A bracket of conditions ("线上渠道(限无欠费、无合约的个人用户)") limits, it lists no ways.
    inside.is_some_and(|t| t.contains('、') && !t.contains(['无', '不', '非', '未', '限', '需']))
}

/// Words for a kind of channel, which a bracket may list, normalised.
/// English lists channels with commas, not 、: only Chinese nouns.
const CHANNEL_NOUNS: [&str; 3] = ["渠道", "途径", "方式"];

/// How far a bracket that enumerates is looked into, in characters.
const ENUMERATION_CHARS: usize = 40;

/// How a bracket of examples opens, normalised.
pub(super) const EXAMPLES: [&str; 5] = ["如", "例如", "e.g.", "eg ", "such as "];

/// How many words of a list's middle item are read before its closing "or".
pub(super) const LIST_ITEM_WORDS: usize = 3;

/// Is the comma at `at` inside a list of ways whose predicate comes after its last item ("sent
/// to us by email, social media message or post are not accepted", round 36's reviews)? The
/// clause before ends in "by/via/through <way>", and the one after is a short bare item, then
/// "or": split there, the first way would lose the predicate that denies it. Not an item that
/// opens a statement ("…, use the app or call us").
pub(super) fn list_goes_on(normalised: &str, at: usize) -> bool {
    let before = crate::extract::block::last_chars(&normalised[..at], 24);
    let by_way = [" by ", " via ", " through "].iter().any(|w| {
        before
            .rsplit_once(w)
            .is_some_and(|(_, way)| way.split_whitespace().count() <= 2)
    });
    if !by_way {
        return false;
    }
    let after = normalised[at + 1..].trim_start();
    let mut words = after.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    if STATEMENT_STARTS.contains(&first) || ["by", "via", "through", "or"].contains(&first) {
        return false;
    }
    let item = after.split(',').next().unwrap_or(after);
    words.take(LIST_ITEM_WORDS).any(|w| w == "or")
        && [" are ", " is ", " will ", " cannot ", " can't ", " won't "]
            .iter()
            .any(|v| item.contains(v))
}

/// Openers of a question asking how to do something, after the fold.
pub(super) const ASKING_HOW: [&str; 5] = [
    "how do i ",
    "how can i ",
    "how to ",
    "how do you ",
    "can i ",
];

/// Words and dashes that set off a clause, split at in this order.
pub(super) const CLAUSE_WORDS: [&str; 6] = [" - ", " – ", " — ", " but ", " however ", "但"];

/// `clause` split at each of `words` in turn, as `split` after `split` would.
pub(super) fn split_at_words<'a>(clause: &'a str, words: &[&str]) -> Vec<&'a str> {
    let mut parts = vec![clause];
    for w in words {
        if parts.iter().any(|p| p.contains(w)) {
            parts = parts.iter().flat_map(|p| p.split(w)).collect();
        }
    }
    parts
}
