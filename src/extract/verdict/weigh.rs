//! Weighs the rules' reading of a page into its headline. The rules read each statement and
//! settle the page by fixed precedences; what they leave is how much each kind of statement
//! counts against the others on a whole page (a refusal beside an offer for something else, a
//! qualified refusal beside an unmarked one). A linear score per answer over counts of the
//! statements the rules found (by stance and mark, by the concepts they name, by their order
//! among the statements, and the rules' own answer) and over the words of those statements
//! (each word and each pair of neighbouring words, with the statement's stance: "book" or
//! 预约 in an online way says it is for something else) decides that, with weights learnt from
//! labelled pages (`corpus/verdicts/train.py` writes [`weights`]). Pure: the assessment in,
//! the weighing out; no I/O.
//!
//! The weighing only ever picks an answer the evidence shown can back (`supported` needs an
//! online way, `not-supported` a refusal or an offline way, `conflicting` both), and moves
//! off the rules' answer only when it is clearly more likely ([`weights::MARGIN`]), so every
//! headline still has its sentences. It reads the rules' statements and answers and nothing
//! else: not the page's length, not where on the page they stand, not the sentences that name
//! no way to end the service (fees, notice periods). So the weighing adds no dependence on
//! blocks without statements: an edit made of such blocks can move the headline only where it
//! changes the rules' own reading (a group named more often, a correction, a dated notice).

use std::collections::BTreeMap;

use super::{Assessment, Ending, Stance, Verdict};
use crate::extract::normalise::for_matching;

// Generated; a learnt weight may land near a named constant (0.69314 is not ln 2).
#[rustfmt::skip]
#[allow(clippy::approx_constant)]
mod weights;

/// What the weighing saw and said: the features of the rules' reading, each answer with its
/// probability (likeliest first), the rules' answer and the answer given.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighing {
    pub features: Vec<(String, f32)>,
    pub scores: Vec<(Verdict, f32)>,
    pub rules: Verdict,
    pub verdict: Verdict,
    /// When the weighing moved the headline: the features that moved it most, each with how
    /// much it scored the answer given above the rules' one; at most [`TELLING`]. Empty
    /// otherwise.
    pub telling: Vec<(String, f32)>,
}

/// How many of the features that moved a headline are named ([`Weighing::telling`]).
pub const TELLING: usize = 3;

/// The features of an assessment as the rules left it: named counts and shares. Only the
/// statements (evidence with a stance on the channel) count, so blocks without one, wherever
/// they are, change nothing.
pub fn features(a: &Assessment) -> Vec<(String, f32)> {
    let mut f: BTreeMap<String, f32> = BTreeMap::new();
    let mut add = |k: String, v: f32| *f.entry(k).or_insert(0.0) += v;
    add(format!("v={}", a.verdict), 1.0);
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    let mut last: BTreeMap<&str, usize> = BTreeMap::new();
    // The blocks that hold statements, one entry per statement.
    let mut held: Vec<usize> = Vec::new();
    for e in &a.evidence {
        if e.stance == Stance::Related {
            continue;
        }
        held.push(e.block);
        let base = e.stance.as_str();
        add(format!("ev:{base}"), 1.0);
        let marks = [
            (e.ending == Ending::Addon, ADD_ON),
            (e.qualified, "qualified"),
            (e.weak, "in passing"),
            (e.replaced, "replaced"),
            (!e.products.is_empty(), "for"),
        ];
        let mut plain = true;
        for (on, mark) in marks {
            if on {
                add(format!("ev:{base}+{mark}"), 1.0);
                plain = false;
            }
        }
        if plain {
            add(format!("ev:{base}+plain"), 1.0);
        }
        // An add-on's concepts are its own too: the negation in "passes can't be cancelled
        // online" is no word on the service.
        let side = word_side(e);
        for c in &e.concepts {
            add(format!("evtag:{side}:{c}"), 1.0);
        }
        let at = e.block;
        first
            .entry(base)
            .and_modify(|b| *b = (*b).min(at))
            .or_insert(at);
        last.entry(base)
            .and_modify(|b| *b = (*b).max(at))
            .or_insert(at);
    }
    if let Some(v) = a.addon {
        add("line:ADD-ON".into(), 1.0);
        add(format!("line:ADD-ON={v}"), 1.0);
    }
    if a.answered_by.is_some() {
        add("line:LATER".into(), 1.0);
    }
    if a.answers_for.is_some() {
        add("line:FOR".into(), 1.0);
    }
    for (_, v) in &a.products {
        add("line:PRODUCT".into(), 1.0);
        add(format!("line:PRODUCT={v}"), 1.0);
    }
    if let Some(v) = a.qualified {
        add("line:QUALIFIED".into(), 1.0);
        add(format!("line:QUALIFIED={v}"), 1.0);
    }
    if !held.is_empty() {
        add("nev".into(), held.len() as f32);
        // Where a stance first and last stands, as a share of the blocks that hold statements:
        // the order of the statements, whatever stands between them.
        held.sort_unstable();
        held.dedup();
        let share =
            |block: usize| (held.partition_point(|b| *b < block) + 1) as f32 / held.len() as f32;
        for (base, b) in &first {
            add(format!("first:{base}"), share(*b));
        }
        for (base, b) in &last {
            add(format!("last:{base}"), share(*b));
        }
    }
    // The words of the statements: present or not, whatever their count, so a statement said
    // twice weighs as once. An add-on's words are kept apart from the service's: "can't be
    // cancelled online once started" said of a roaming pass is no word against an offer.
    for e in a.evidence.iter().filter(|e| e.stance != Stance::Related) {
        let side = word_side(e);
        for w in words(&for_matching(&e.sentence)) {
            f.insert(format!("ng:{side}:{w}"), 1.0);
        }
    }
    f.into_iter().filter(|(_, v)| *v != 0.0).collect()
}

/// What a statement's words are filed under: its stance, marked when it ends an add-on.
fn word_side(e: &super::Evidence) -> String {
    side(e, e.stance.as_str(), "+")
}

/// [`word_side`] as a report's reader is shown it ("offline, add-on").
fn shown_side(e: &super::Evidence) -> String {
    side(e, e.stance.shown(), ", ")
}

fn side(e: &super::Evidence, stance: &str, mark: &str) -> String {
    if e.ending == Ending::Addon {
        format!("{stance}{mark}{ADD_ON}")
    } else {
        stance.to_string()
    }
}

/// What [`telling`] calls the regression's intercepts (the score of a page with no features)
/// when they moved a headline more than the page's features did: not a feature of the page,
/// so `inspect --weighing` lists no `FEATURE` line for it.
pub const BASE_RATE: &str = "(base rate)";

/// The mark of a statement that ends an add-on, in its count features (`ev:online+add-on`) and
/// in the names its words and concepts are filed under.
const ADD_ON: &str = "add-on";

/// At most this many words of one statement are read: a statement is a sentence, and a
/// "sentence" of a page with no stops is cut here.
const MAX_WORDS: usize = 200;

/// The words of a folded statement ([`for_matching`]: Simplified, lower case) as the weights
/// name them: each Latin word ("account", "don't"), and each pair of neighbouring words or Han
/// characters ("my account", "网 上", "app 销"). A single Han character says little alone, so
/// it counts only in pairs. Digits and punctuation are skipped: "3 working days" and "30 days"
/// give the same pair.
fn words(folded: &str) -> Vec<String> {
    let mut units: Vec<&str> = Vec::new();
    let mut rest = folded;
    while let Some(c) = rest.chars().next() {
        if units.len() == MAX_WORDS {
            break;
        }
        if c.is_ascii_lowercase() {
            let mut end = latin_run(rest);
            // One apostrophe inside a word ("don't", "customer's"), as the lexicon writes it.
            if let Some(after) = rest[end..].strip_prefix('\'') {
                let more = latin_run(after);
                if more > 0 {
                    end += 1 + more;
                }
            }
            units.push(&rest[..end]);
            rest = &rest[end..];
        } else {
            if is_han(c) {
                units.push(&rest[..c.len_utf8()]);
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    let mut out: Vec<String> = units
        .iter()
        .filter(|u| u.is_ascii() && !is_function_word(u))
        .map(|u| u.to_string())
        .collect();
    out.extend(
        units
            .windows(2)
            .filter(|p| !(is_function_word(p[0]) && is_function_word(p[1])))
            .map(|p| format!("{} {}", p[0], p[1])),
    );
    out
}

/// English words that carry the grammar, not the meaning ("the", "your", "of", "we're"):
/// alone or in a pair of two they are not weighed. Learnt on the probes, they stood for how
/// long and how polite a sentence was, a habit of the writers rather than of what a page says,
/// and they told a reader nothing about why the headline moved (round 59: held out wave by
/// wave, 90.99 % without them, 91.08 % with). Kept: the negations ("not", "can't", "won't"),
/// "only", and the verbs that say whether a thing is allowed or required ("can", "may",
/// "must", "will"); "could", "might", "should" and "would" go with the grammar.
const FUNCTION_WORDS: [&str; 69] = [
    "a", "an", "and", "are", "as", "at", "be", "been", "by", "could", "did", "do", "does", "for",
    "from", "had", "has", "have", "he", "her", "here", "his", "i", "i'm", "if", "in", "is", "it",
    "it's", "its", "let's", "me", "might", "my", "of", "on", "or", "our", "she", "should", "so",
    "than", "that", "that's", "the", "their", "them", "then", "there", "there's", "these", "they",
    "they're", "this", "those", "to", "us", "was", "we", "we'll", "we're", "we've", "with",
    "would", "you", "you'll", "you're", "you've", "your",
];

fn is_function_word(w: &str) -> bool {
    FUNCTION_WORDS.binary_search(&w).is_ok()
}

/// The length of the run of ASCII lower-case letters `s` starts with.
fn latin_run(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_lowercase).count()
}

/// A Han character (the unified ideographs and extension A), as the folded text writes words.
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// A feature's learnt weights, one per answer in [`weights::CLASSES`] order; none for a feature
/// the labelled pages did not show often enough to learn.
fn weights_of(name: &str) -> Option<&'static [f32; 4]> {
    weights::WEIGHTS
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .map(|i| &weights::WEIGHTS[i].1)
}

/// The position of an answer in [`weights::CLASSES`].
fn class(v: Verdict) -> usize {
    weights::CLASSES.iter().position(|c| *c == v).unwrap_or(0)
}

/// The probability of each answer, in [`weights::CLASSES`] order.
fn probabilities(features: &[(String, f32)]) -> [f32; 4] {
    let mut score = weights::INTERCEPT;
    for (name, value) in features {
        if let Some(ws) = weights_of(name) {
            for (s, w) in score.iter_mut().zip(ws) {
                *s += w * value;
            }
        }
    }
    let top = score.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut p = score.map(|s| (s - top).exp());
    let sum: f32 = p.iter().sum();
    for x in &mut p {
        *x /= sum;
    }
    p
}

/// Can the evidence of the assessment back this answer? A page whose products the rules
/// found answered differently (eSIM online, postpaid in a shop) says so per product, and its
/// offer and refusal are no contradiction: the weighing never moves it to conflicting (where
/// the rules themselves read a contradiction beside the split, their answer stands).
fn backed(a: &Assessment, v: Verdict) -> bool {
    let deciding = || a.deciding();
    let offer = deciding().any(|e| e.stance == Stance::Online);
    let refusal = deciding().any(|e| e.stance != Stance::Online);
    let answered = |v: Verdict| a.products.iter().any(|(_, p)| *p == v);
    let split = answered(Verdict::Supported) && answered(Verdict::NotSupported);
    match v {
        Verdict::Supported => offer,
        Verdict::NotSupported => refusal,
        Verdict::Conflicting => offer && refusal && !split,
        Verdict::Unknown => true,
    }
}

/// The answer the weighing gives: the likeliest answer the evidence can back, where it is more
/// likely than the rules' own by [`weights::MARGIN`]; else the rules' answer. The rules' own
/// answer may rest on more than the lines shown (an offer "for other customers" on a page for
/// one group is a no for that group), so it is kept when the weighing is not clearly against
/// it.
pub fn decide(a: &Assessment) -> Weighing {
    // An assessment already weighed is weighed as the rules left it.
    let restored;
    let a = if a.rules_read.is_some() {
        restored = a.as_the_rules_read();
        &restored
    } else {
        a
    };
    let features = features(a);
    let p = probabilities(&features);
    let of = |v: Verdict| p[class(v)];
    let mut ranked: Vec<(Verdict, f32)> = weights::CLASSES.iter().copied().zip(p).collect();
    ranked.sort_by(|x, y| y.1.total_cmp(&x.1));
    let best = ranked
        .iter()
        .find(|(v, _)| backed(a, *v))
        .map_or(a.verdict, |(v, _)| *v);
    let verdict = if of(best) - of(a.verdict) > weights::MARGIN {
        best
    } else {
        a.verdict
    };
    let mut telling = telling(&features, a.verdict, verdict);
    telling.truncate(TELLING);
    Weighing {
        features,
        scores: ranked,
        rules: a.verdict,
        verdict,
        telling,
    }
}

/// What moved a weighed assessment's headline off the rules' answer, most first, every feature
/// that did ([`Weighing::telling`] names the first few), for the headline it carries,
/// whichever weights gave it; empty when nothing did.
pub fn moved_by(a: &Assessment) -> Vec<(String, f32)> {
    match a.rules_read {
        Some(rules) => telling(&features(&a.as_the_rules_read()), rules, a.verdict),
        None => Vec::new(),
    }
}

/// The words among the features that moved a headline, as the page writes them (not folded:
/// "必須", "My Account"), each with the stance it was read with as a reader is shown it
/// ("online, add-on", [`Stance::shown`]), most telling first, at most [`TELLING`]. A word the
/// statements do not hold as written (a pair across punctuation, "account 请") is left out:
/// only text from the page is quoted.
pub fn moved_by_words(a: &Assessment) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, _) in moved_by(a) {
        if out.len() == TELLING {
            break;
        }
        let Some((side, word)) = name.strip_prefix("ng:").and_then(|n| n.rsplit_once(':')) else {
            continue;
        };
        let Some((written, shown)) = a
            .evidence
            .iter()
            .filter(|e| e.stance != Stance::Related && word_side(e) == side)
            .find_map(|e| as_written(&e.sentence, word).map(|w| (w, shown_side(e))))
        else {
            continue;
        };
        if out.iter().all(|(w, _)| *w != written) {
            out.push((written, shown));
        }
    }
    out
}

/// The stretch of `sentence` that folds to `word` (one word or a pair of neighbouring words or
/// Han characters, as [`words`] gives them), as the sentence writes it.
fn as_written(sentence: &str, word: &str) -> Option<String> {
    let want: Vec<&str> = word.split(' ').collect();
    // The sentence's own units: runs of Latin letters (with one apostrophe) and Han characters,
    // each with where it stands, folded one by one.
    let mut units: Vec<(usize, usize, String)> = Vec::new();
    let mut chars = sentence.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if units.len() > 4 * MAX_WORDS {
            break;
        }
        let folded = for_matching(&c.to_string());
        let first = folded.chars().next();
        if first.is_some_and(|f| f.is_ascii_lowercase()) {
            let mut end = at + c.len_utf8();
            while let Some(&(next_at, next)) = chars.peek() {
                let f = for_matching(&next.to_string());
                let letter = f.chars().all(|x| x.is_ascii_lowercase()) && !f.is_empty();
                let apostrophe = f == "'";
                if !(letter || apostrophe) {
                    break;
                }
                end = next_at + next.len_utf8();
                chars.next();
            }
            units.push((at, end, for_matching(&sentence[at..end])));
        } else if first.is_some_and(is_han) {
            units.push((at, at + c.len_utf8(), folded));
        }
    }
    units.windows(want.len()).find_map(|w| {
        let same = w.iter().zip(&want).all(|(u, x)| u.2 == *x);
        // A pair of Han characters is quoted only where they stand side by side.
        let together =
            w.len() < 2 || w[0].1 == w[1].0 || sentence[w[0].1..w[1].0].trim().is_empty();
        (same && together).then(|| sentence[w[0].0..w[w.len() - 1].1].to_string())
    })
}

/// The features that scored `given` above `rules`, furthest first, and the base rate when the
/// intercepts did more than the page's features: what a reader needs to see why the weighing
/// moved the headline. None when it did not.
fn telling(features: &[(String, f32)], rules: Verdict, given: Verdict) -> Vec<(String, f32)> {
    if rules == given {
        return Vec::new();
    }
    let (g, r) = (class(given), class(rules));
    let mut moved: Vec<(String, f32)> = Vec::new();
    // The page's own push: every feature's, for the answer given and against it.
    let mut page = 0.0;
    for (name, by) in pushes(features, g, r) {
        page += by;
        if by > 0.0 {
            moved.push((name.to_string(), by));
        }
    }
    // The intercepts' share of the move, named only when it is larger than the page's own: on
    // a page with little to weigh, naming only features would credit the page's words with a
    // move they did not make; on a page with much to weigh, the intercept is no reason (round
    // 60's review).
    let base = base_push(g, r);
    if base > 0.0 && base > page {
        moved.push((BASE_RATE.to_string(), base));
    }
    moved.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    moved
}

/// How much the intercepts alone score answer `g` above answer `r`.
fn base_push(g: usize, r: usize) -> f32 {
    weights::INTERCEPT[g] - weights::INTERCEPT[r]
}

/// How much each feature with learnt weights scores answer `g` above answer `r` (negative when
/// it pushes against `g`).
fn pushes(features: &[(String, f32)], g: usize, r: usize) -> impl Iterator<Item = (&str, f32)> {
    features.iter().filter_map(move |(name, value)| {
        weights_of(name).map(|ws| (name.as_str(), (ws[g] - ws[r]) * value))
    })
}

/// Weighs the assessment: its headline becomes the weighing's answer, and the rules' answer is
/// kept when it differs, so that [`Assessment::as_the_rules_read`] gives back what was weighed.
pub fn apply(a: &mut Assessment) {
    // Back to the rules' reading in place, so that `decide` weighs it without a copy.
    if let Some(rules) = a.rules_read.take() {
        a.verdict = rules;
    }
    let verdict = decide(a).verdict;
    settle(a, verdict);
}

/// Gives the assessment the weighed headline, keeping the rules' answer when it differs.
fn settle(a: &mut Assessment, verdict: Verdict) {
    if verdict != a.verdict {
        a.rules_read = Some(a.verdict);
        a.verdict = verdict;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::verdict::Evidence;

    fn statement(block: usize, stance: Stance, concepts: &[&str]) -> Evidence {
        Evidence {
            concepts: concepts.iter().map(|c| c.to_string()).collect(),
            ..crate::extract::verdict::tests::statement(block, "", stance)
        }
    }

    fn assessment(verdict: Verdict, evidence: Vec<Evidence>) -> Assessment {
        Assessment {
            verdict,
            evidence,
            cancellation_blocks: Vec::new(),
            qualified: None,
            addon: None,
            products: Vec::new(),
            answered_by: None,
            answers_for: None,
            rules_read: None,
        }
    }

    fn value(f: &[(String, f32)], name: &str) -> f32 {
        f.iter().find(|(n, _)| n == name).map_or(0.0, |(_, v)| *v)
    }

    #[test]
    fn features_count_statements_by_stance_mark_and_place() {
        let mut addon = statement(9, Stance::Online, &["terminate", "online", "add-on"]);
        addon.ending = Ending::Addon;
        let a = assessment(
            Verdict::NotSupported,
            vec![
                statement(1, Stance::OfflineOnly, &["terminate", "offline"]),
                statement(3, Stance::OfflineOnly, &["terminate", "offline"]),
                addon,
                statement(4, Stance::Related, &["fee"]),
            ],
        );
        let mut a = a;
        a.cancellation_blocks = vec![false; 10];
        let f = features(&a);
        assert_eq!(value(&f, "v=not-supported"), 1.0);
        assert_eq!(value(&f, "ev:offline only"), 2.0);
        assert_eq!(value(&f, "ev:offline only+plain"), 2.0);
        assert_eq!(value(&f, "ev:online+add-on"), 1.0);
        assert_eq!(value(&f, "ev:online+plain"), 0.0);
        assert_eq!(value(&f, "evtag:offline only:offline"), 2.0);
        assert_eq!(value(&f, "nev"), 3.0);
        // Statements stand in blocks 1, 3 and 9: shares of those three.
        assert_eq!(value(&f, "first:offline only"), 1.0 / 3.0);
        assert_eq!(value(&f, "last:offline only"), 2.0 / 3.0);
        assert_eq!(value(&f, "last:online"), 1.0);
        // A sentence that names no way to end the service is not a feature.
        assert!(f.iter().all(|(n, _)| !n.contains("fee")), "{f:?}");
        // Names are sorted, as the weights are, and each is given once.
        assert!(f.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// An edit that adds, removes or moves blocks without statements (a fee table, a longer
    /// menu, a notice period) must not move a weighed headline: it would send a verdict alert
    /// for a change that says nothing about ending the service.
    #[test]
    fn blocks_without_statements_change_no_feature() {
        let page = |offset: usize, stride: usize, related: usize, blocks: usize| {
            let mut evidence = vec![
                statement(offset, Stance::NegatedOnline, &["terminate", "online"]),
                statement(offset + stride, Stance::OfflineDemanded, &["terminate"]),
                statement(
                    offset + 3 * stride,
                    Stance::Online,
                    &["terminate", "online"],
                ),
                statement(offset + 3 * stride, Stance::OfflineOnly, &["terminate"]),
            ];
            for r in 0..related {
                evidence.push(statement(r * 2, Stance::Related, &["fee", "notice"]));
            }
            let mut a = assessment(Verdict::Conflicting, evidence);
            a.cancellation_blocks = vec![false; blocks];
            a
        };
        let plain = features(&page(0, 1, 0, 4));
        for (offset, stride, related, blocks) in [(5, 1, 0, 9), (0, 7, 3, 40), (30, 2, 12, 500)] {
            let edited = page(offset, stride, related, blocks);
            assert_eq!(
                features(&edited),
                plain,
                "{offset} {stride} {related} {blocks}"
            );
            assert_eq!(decide(&edited).verdict, decide(&page(0, 1, 0, 4)).verdict);
        }
    }

    #[test]
    fn words_are_latin_words_and_neighbouring_pairs_of_words_or_han_characters() {
        let w = words(&for_matching(
            "You can't cancel in My Account (24/7): 請於網上辦理。",
        ));
        for want in ["cancel", "can't", "my account", "account 请", "网 上", "理"] {
            assert_eq!(w.iter().any(|x| x == want), want != "理", "{want}: {w:?}");
        }
        // Function words are not weighed, alone or paired with another one.
        for stopped in ["the", "your", "in my", "my account", "can't"] {
            let kept = w.iter().any(|x| x == stopped);
            assert_eq!(
                kept,
                stopped == "my account" || stopped == "can't",
                "{stopped}: {w:?}"
            );
        }
        // Digits and punctuation are skipped, not words.
        assert!(w.iter().all(|x| !x.contains(['2', '4', '(', ':'])), "{w:?}");
        // Traditional and Simplified give the same words.
        assert_eq!(
            words(&for_matching("終止服務")),
            words(&for_matching("终止服务"))
        );
        assert!(words("").is_empty());
    }

    #[test]
    fn an_add_on_s_words_are_filed_apart_from_the_service_s() {
        let mut pass = statement(3, Stance::Online, &["terminate", "online", "add-on"]);
        pass.ending = Ending::Addon;
        pass.sentence = "Roaming passes can't be cancelled online once started.".into();
        let mut offer = statement(1, Stance::Online, &["terminate", "online"]);
        offer.sentence = "You can cancel online at any time.".into();
        let f = features(&assessment(Verdict::Supported, vec![offer, pass]));
        assert_eq!(value(&f, "ng:online+add-on:roaming"), 1.0);
        assert_eq!(value(&f, "ng:online+add-on:can't"), 1.0);
        assert_eq!(value(&f, "ng:online:can't"), 0.0);
        assert_eq!(value(&f, "ng:online:any time"), 1.0);
    }

    #[test]
    fn words_are_quoted_as_the_page_writes_them_or_not_at_all() {
        let zh = "終止服務申請必須由登記客戶親臨門市辦理。";
        assert_eq!(as_written(zh, "必 须").as_deref(), Some("必須"));
        assert_eq!(as_written("不可取消", "可 取").as_deref(), Some("可取"));
        assert_eq!(
            as_written("Sign in to My Account today.", "my account").as_deref(),
            Some("My Account")
        );
        assert_eq!(
            as_written("We can’t do that", "can't").as_deref(),
            Some("can’t")
        );
        // A pair the folding joined across punctuation is no text of the page.
        assert_eq!(as_written("My account. 請致電", "account 请"), None);
        assert_eq!(as_written("nothing here", "my account"), None);
    }

    #[test]
    fn function_words_are_sorted_for_the_lookup() {
        assert!(FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(FUNCTION_WORDS.iter().all(|w| is_function_word(w)));
    }

    /// A statement with no stops is read up to [`MAX_WORDS`] words, however long.
    #[test]
    fn words_of_one_statement_are_bounded() {
        let long = "cancel ".repeat(10_000) + &"取消".repeat(10_000);
        let w = words(&long);
        assert_eq!(w.len(), MAX_WORDS + MAX_WORDS - 1);
        assert!(w.iter().all(|x| x == "cancel" || x == "cancel cancel"));
    }

    #[test]
    fn the_words_of_statements_are_features_and_other_sentences_are_not() {
        let mut offer = statement(2, Stance::Online, &["terminate", "online"]);
        offer.sentence = "Book a store visit in the app.".into();
        let mut fee = statement(4, Stance::Related, &["fee"]);
        fee.sentence = "An early termination fee applies.".into();
        let f = features(&assessment(
            Verdict::Supported,
            vec![offer.clone(), offer, fee],
        ));
        // Present once, however many statements say it.
        assert_eq!(value(&f, "ng:online:book"), 1.0);
        assert_eq!(value(&f, "ng:online:store visit"), 1.0);
        assert!(f.iter().all(|(n, _)| !n.contains("fee")), "{f:?}");
    }

    #[test]
    fn probabilities_sum_to_one_and_are_bounded_on_extreme_counts() {
        for n in [0.0, 1.0, 1e6, f32::MAX] {
            let f = vec![("ev:online".to_string(), n), ("nev".to_string(), n)];
            let p = probabilities(&f);
            assert!(p.iter().all(|x| (0.0..=1.0).contains(x)), "{n}: {p:?}");
            assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-3, "{n}: {p:?}");
        }
    }

    const _: () = assert!(weights::MARGIN >= 0.0 && weights::MARGIN < 1.0);

    /// The table is sorted for the lookup, and every name in it is one [`features`] can give:
    /// a feature renamed in the code and not relearnt would silently weigh nothing.
    #[test]
    fn the_weights_are_sorted_and_name_features_the_code_gives() {
        assert!(weights::WEIGHTS.windows(2).all(|w| w[0].0 < w[1].0));
        let stances = [
            Stance::Online,
            Stance::NegatedOnline,
            Stance::OfflineOnly,
            Stance::OfflineDemanded,
            Stance::NotCancellable,
        ]
        .map(Stance::as_str);
        let marks = [
            "plain",
            "add-on",
            "qualified",
            "in passing",
            "replaced",
            "for",
        ];
        let verdicts = ["supported", "not-supported", "unknown", "conflicting"];
        let known = |name: &str| {
            let after = |p: &str| name.strip_prefix(p);
            if let Some(v) = after("v=") {
                return verdicts.contains(&v);
            }
            if let Some(rest) = after("ev:") {
                return stances.iter().any(|s| {
                    rest == *s
                        || rest
                            .strip_prefix(s)
                            .and_then(|m| m.strip_prefix('+'))
                            .is_some_and(|m| marks.contains(&m))
                });
            }
            if let Some(rest) = after("evtag:") {
                return stances.iter().any(|s| {
                    rest.strip_prefix(s)
                        .map(|c| c.strip_prefix("+add-on").unwrap_or(c))
                        .is_some_and(|c| c.starts_with(':') && c.len() > 1)
                });
            }
            if let Some(rest) = after("ng:") {
                // A stance (marked when it ends an add-on), then one word or a pair of them.
                return stances.iter().any(|s| {
                    rest.strip_prefix(s)
                        .map(|w| w.strip_prefix("+add-on").unwrap_or(w))
                        .and_then(|w| w.strip_prefix(':'))
                        .is_some_and(|w| {
                            let n = w.split(' ').count();
                            !w.is_empty() && n <= 2 && w.split(' ').all(|u| !u.is_empty())
                        })
                });
            }
            if let Some(rest) = after("first:").or_else(|| after("last:")) {
                return stances.contains(&rest);
            }
            if let Some(rest) = after("line:") {
                let (line, v) = rest.split_once('=').unwrap_or((rest, "supported"));
                return ["ADD-ON", "LATER", "FOR", "PRODUCT", "QUALIFIED"].contains(&line)
                    && verdicts.contains(&v);
            }
            name == "nev"
        };
        let unknown: Vec<&str> = weights::WEIGHTS
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| !known(n))
            .collect();
        assert!(unknown.is_empty(), "{unknown:?}");
    }

    #[test]
    fn telling_names_what_moved_the_headline_most_and_only_when_it_moved() {
        let f = vec![
            ("v=supported".to_string(), 1.0),
            ("ev:online".to_string(), 1.0),
            ("ev:online, negated".to_string(), 1.0),
            ("nev".to_string(), 2.0),
            ("no such feature".to_string(), 1.0),
        ];
        assert!(telling(&f, Verdict::Supported, Verdict::Supported).is_empty());
        let t = telling(&f, Verdict::Supported, Verdict::Conflicting);
        let (g, r) = (class(Verdict::Conflicting), class(Verdict::Supported));
        let base = base_push(g, r);
        for (name, by) in &t {
            let want = if name == BASE_RATE {
                base
            } else {
                let ws = weights_of(name).expect("a telling feature has weights");
                (ws[g] - ws[r]) * value(&f, name)
            };
            assert!(*by > 0.0 && (by - want).abs() < 1e-6, "{name}: {by} {want}");
        }
        assert!(t.windows(2).all(|w| w[0].1 >= w[1].1), "{t:?}");
        // The base rate is named when the intercepts pushed towards the answer given more than
        // the page's features did, and only then.
        let page: f32 = pushes(&f, g, r).map(|(_, by)| by).sum();
        assert_eq!(
            t.iter().any(|(n, _)| n == BASE_RATE),
            base > 0.0 && base > page,
            "{t:?}"
        );
        // The largest of all the pushes towards the answer given is named first.
        let best = pushes(&f, g, r)
            .map(|(_, by)| by)
            .fold(if base > page { base } else { 0.0 }, f32::max);
        if best > 0.0 {
            assert_eq!(t[0].1, best);
        }
    }

    #[test]
    fn the_base_rate_is_named_only_when_the_page_gave_less() {
        let (c, s) = (class(Verdict::Conflicting), class(Verdict::Supported));
        // The intercepts favour one of the two answers; with nothing else on the page they are
        // the whole move towards it, and they are named.
        let (to, from) = if base_push(s, c) > 0.0 {
            (Verdict::Supported, Verdict::Conflicting)
        } else {
            (Verdict::Conflicting, Verdict::Supported)
        };
        let bare = vec![("nev".to_string(), 0.0)];
        assert_eq!(
            telling(&bare, from, to).first().map(|(n, _)| n.as_str()),
            Some(BASE_RATE)
        );
        // A page whose own statements push towards that answer harder than the intercepts do
        // is moved by them, and the base rate is not named.
        let (g, r) = (class(to), class(from));
        let strongest = weights::WEIGHTS
            .iter()
            .max_by(|a, b| (a.1[g] - a.1[r]).total_cmp(&(b.1[g] - b.1[r])))
            .map(|(n, _)| n.to_string())
            .expect("weights");
        let push = pushes(&[(strongest.clone(), 1.0)], g, r)
            .map(|(_, by)| by)
            .sum::<f32>();
        assert!(push > 0.0);
        let times = (base_push(g, r) / push).ceil() + 1.0;
        let full = vec![(strongest.clone(), times)];
        let named = telling(&full, from, to);
        assert_eq!(
            named.first().map(|(n, _)| n.as_str()),
            Some(strongest.as_str())
        );
        assert!(named.iter().all(|(n, _)| n != BASE_RATE), "{named:?}");
    }

    #[test]
    fn products_answered_differently_are_no_contradiction() {
        let mut a = assessment(
            Verdict::Supported,
            vec![
                statement(1, Stance::OfflineDemanded, &["terminate", "offline"]),
                statement(2, Stance::NegatedOnline, &["terminate", "online"]),
                statement(3, Stance::Online, &["terminate", "online"]),
            ],
        );
        assert!(backed(&a, Verdict::Conflicting));
        a.products = vec![
            ("eSIM".into(), Verdict::Supported),
            ("postpaid".into(), Verdict::NotSupported),
        ];
        assert!(!backed(&a, Verdict::Conflicting));
        assert_ne!(decide(&a).verdict, Verdict::Conflicting);
        // One product's answer alone splits nothing.
        a.products.pop();
        assert!(backed(&a, Verdict::Conflicting));
    }

    #[test]
    fn an_answer_the_evidence_cannot_back_is_never_given() {
        // Only an offer: whatever the scores, the page can be supported or unknown.
        let only_offer = assessment(
            Verdict::Supported,
            vec![statement(2, Stance::Online, &["terminate", "online"])],
        );
        assert!(!backed(&only_offer, Verdict::NotSupported));
        assert!(!backed(&only_offer, Verdict::Conflicting));
        let w = decide(&only_offer);
        assert!(
            matches!(w.verdict, Verdict::Supported | Verdict::Unknown),
            "{w:?}"
        );
        assert_eq!(w.rules, Verdict::Supported);
        // No statement at all: unknown, as the rules say.
        let nothing = assessment(Verdict::Unknown, Vec::new());
        assert_eq!(decide(&nothing).verdict, Verdict::Unknown);
    }

    #[test]
    fn apply_keeps_the_rules_answer_when_it_moves_the_headline() {
        let mut a = assessment(
            Verdict::Conflicting,
            vec![
                statement(
                    1,
                    Stance::NegatedOnline,
                    &["terminate", "online", "negation"],
                ),
                statement(2, Stance::OfflineDemanded, &["terminate", "offline"]),
                statement(3, Stance::OfflineDemanded, &["terminate", "offline"]),
                statement(4, Stance::OfflineOnly, &["terminate", "offline"]),
            ],
        );
        a.cancellation_blocks = vec![false; 8];
        let before = a.clone();
        // Whatever the learnt weights say, the weighing is of the rules' reading, and what it
        // gives is what `apply` settles on.
        let w = decide(&a);
        let mut applied = a.clone();
        apply(&mut applied);
        assert_eq!(applied.verdict, w.verdict);
        assert_eq!(applied.as_the_rules_read(), before);
        assert_eq!(decide(&applied.as_the_rules_read()), w);
        // Weighing again changes nothing, and a weighed assessment is weighed as the rules
        // left it.
        let mut twice = applied.clone();
        apply(&mut twice);
        assert_eq!(twice, applied);
        assert_eq!(decide(&applied), w);
        // Moved: the rules' answer is kept beside the new headline, and given back.
        settle(&mut a, Verdict::NotSupported);
        assert_eq!(a.verdict, Verdict::NotSupported);
        assert_eq!(a.rules_read, Some(Verdict::Conflicting));
        assert_eq!(a.as_the_rules_read(), before);
        // What moved it is named for the headline the assessment carries.
        assert_eq!(
            moved_by(&a),
            telling(
                &features(&before),
                Verdict::Conflicting,
                Verdict::NotSupported
            )
        );
        let mut first = moved_by(&applied);
        first.truncate(TELLING);
        assert_eq!(first, w.telling);
        assert!(w.telling.len() <= TELLING);
        // Not moved: nothing is kept, and nothing is named.
        let mut same = before.clone();
        settle(&mut same, Verdict::Conflicting);
        assert_eq!(same, before);
        assert!(moved_by(&same).is_empty());
    }
}
