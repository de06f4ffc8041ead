//! Verdict: extracted blocks + lexicon → "can this be cancelled online?" with the sentences that
//! prove it.
//!
//! Every sentence is split into clauses; clauses that are traps (the carrier cancelling an order,
//! unsubscribing from marketing) are dropped. A sentence about ending the service then takes a
//! stance from the channels it names and from negation in the clauses that hold the channel or the
//! ending. The page verdict combines the stances. This module does no I/O; it is pure and cheap.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::extract::lexicon::{Concept, Concepts, Lexicon};
use crate::extract::normalise::{for_matching, sentences};

/// The answer to "can this service be cancelled online?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Supported,
    NotSupported,
    Unknown,
    Conflicting,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::NotSupported => "not-supported",
            Verdict::Unknown => "unknown",
            Verdict::Conflicting => "conflicting",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        [
            Verdict::Supported,
            Verdict::NotSupported,
            Verdict::Unknown,
            Verdict::Conflicting,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }

    /// Combines the verdicts of several pages (the targets of one carrier).
    pub fn combine(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let (mut yes, mut no) = (false, false);
        for v in verdicts {
            match v {
                Verdict::Supported => yes = true,
                Verdict::NotSupported => no = true,
                Verdict::Conflicting => (yes, no) = (true, true),
                Verdict::Unknown => {}
            }
        }
        match (yes, no) {
            (true, true) => Verdict::Conflicting,
            (true, false) => Verdict::Supported,
            (false, true) => Verdict::NotSupported,
            (false, false) => Verdict::Unknown,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one sentence says about cancelling online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    /// Ending the service through an online channel, not negated.
    Online,
    /// An online channel for ending the service, negated ("cannot be cancelled online").
    NegatedOnline,
    /// Ending the service through offline channels only.
    OfflineOnly,
    /// The service cannot be ended at all ("cannot be cancelled once activated").
    NotCancellable,
    /// Cancellation wording (fees, refunds, notice) that says nothing about the channel.
    Related,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Online => "online",
            Stance::NegatedOnline => "online, negated",
            Stance::OfflineOnly => "offline only",
            Stance::NotCancellable => "cannot be cancelled",
            Stance::Related => "related",
        }
    }
}

/// A sentence quoted as evidence, in the page's own wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub block: usize,
    pub sentence: String,
    pub concepts: Vec<String>,
    pub stance: Stance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub verdict: Verdict,
    /// Sentences that decided the verdict, then related cancellation wording.
    pub evidence: Vec<Evidence>,
    /// For each block: does it carry cancellation wording?
    pub cancellation_blocks: Vec<bool>,
}

impl Assessment {
    /// The sentence that best sums the verdict up, for one-line summaries.
    pub fn key_sentence(&self) -> Option<&Evidence> {
        let wanted: &[Stance] = match self.verdict {
            Verdict::Supported => &[Stance::Online],
            Verdict::NotSupported => &[
                Stance::NegatedOnline,
                Stance::NotCancellable,
                Stance::OfflineOnly,
            ],
            Verdict::Conflicting => &[Stance::NegatedOnline, Stance::NotCancellable],
            Verdict::Unknown => &[Stance::Related],
        };
        wanted
            .iter()
            .find_map(|w| self.evidence.iter().find(|e| e.stance == *w))
    }

    /// The evidence that decided the verdict (not merely related wording).
    pub fn deciding(&self) -> impl Iterator<Item = &Evidence> {
        self.evidence.iter().filter(|e| e.stance != Stance::Related)
    }
}

/// Concepts that make a block "cancellation wording" for diffs and email ordering.
fn is_cancellation_wording(c: Concepts) -> bool {
    c.has(Concept::Terminate)
        || c.has(Concept::Fee)
        || c.has(Concept::Refund)
        || c.has(Concept::AutoRenewal)
}

/// Splits a normalised sentence into clauses: negation only reaches across its own clause.
fn clauses(normalised: &str) -> impl Iterator<Item = &str> {
    normalised
        .split([',', '、', ':', '(', ')'])
        .flat_map(|c| c.split(" but "))
        .flat_map(|c| c.split('但'))
        .map(str::trim)
        .filter(|c| !c.is_empty())
}

/// Assesses one sentence. `None` when it is not cancellation wording at all.
pub fn sentence_stance(lexicon: &Lexicon, sentence: &str) -> Option<(Stance, Concepts)> {
    let normalised = for_matching(sentence);
    let mut all = Concepts::default();
    let mut negated_scope = false;
    for clause in clauses(&normalised) {
        let c = lexicon.concepts(clause);
        if c.has(Concept::Trap) {
            continue;
        }
        if c.has(Concept::Negation) && (c.has(Concept::Online) || c.has(Concept::Terminate)) {
            negated_scope = true;
        }
        // "…submitted online, however, will not be accepted": a refusal in a clause of its own.
        if c.has(Concept::Rejection) {
            negated_scope = true;
        }
        all = all.union(c);
    }
    if !is_cancellation_wording(all) {
        return None;
    }
    let stance = if !all.has(Concept::Terminate) {
        Stance::Related
    } else if all.has(Concept::Online) {
        if negated_scope {
            Stance::NegatedOnline
        } else {
            Stance::Online
        }
    } else if all.has(Concept::Offline) {
        Stance::OfflineOnly
    } else if negated_scope {
        Stance::NotCancellable
    } else {
        Stance::Related
    };
    Some((stance, all))
}

/// Assesses a page from its extracted blocks (display text).
pub fn assess(lexicon: &Lexicon, blocks: &[String]) -> Assessment {
    let mut evidence = Vec::new();
    let mut cancellation_blocks = vec![false; blocks.len()];
    for (i, block) in blocks.iter().enumerate() {
        // Link targets are addresses, not wording: a URL holding "online-cancel" says nothing.
        let readable = crate::extract::links::without_targets(block);
        for s in sentences(&readable) {
            let Some((stance, concepts)) = sentence_stance(lexicon, s) else {
                continue;
            };
            cancellation_blocks[i] = true;
            evidence.push(Evidence {
                block: i,
                sentence: s.to_string(),
                concepts: concepts
                    .iter()
                    .filter(|c| !matches!(c, Concept::Trap | Concept::Rejection))
                    .map(|c| c.as_str().to_string())
                    .collect(),
                stance,
            });
        }
    }
    let any = |st: &[Stance]| evidence.iter().any(|e| st.contains(&e.stance));
    let supports = any(&[Stance::Online]);
    // Naming a shop does not deny an online channel named elsewhere; an explicit negation does.
    let denies = any(&[Stance::NegatedOnline, Stance::NotCancellable]);
    let offline = any(&[Stance::OfflineOnly]);
    let verdict = match (supports, denies, offline) {
        (true, true, _) => Verdict::Conflicting,
        (true, false, _) => Verdict::Supported,
        (false, true, _) | (false, false, true) => Verdict::NotSupported,
        (false, false, false) => Verdict::Unknown,
    };
    // Deciding sentences first, in page order; related wording after.
    evidence.sort_by_key(|e| (e.stance == Stance::Related, e.block));
    Assessment {
        verdict,
        evidence,
        cancellation_blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(blocks: &[&str]) -> Verdict {
        let blocks: Vec<String> = blocks.iter().map(|s| s.to_string()).collect();
        assess(Lexicon::builtin(), &blocks).verdict
    }

    #[test]
    fn english_stances() {
        assert_eq!(
            verdict(&["You may terminate your eSIM service online through My Account."]),
            Verdict::Supported
        );
        assert_eq!(
            verdict(&["To terminate the service, please visit any 3Shop in person."]),
            Verdict::NotSupported
        );
        assert_eq!(
            verdict(&["The service cannot be cancelled online. Please call our hotline."]),
            Verdict::NotSupported
        );
        assert_eq!(
            verdict(&["Data is charged at $1 per MB."]),
            Verdict::Unknown
        );
        assert_eq!(
            verdict(&[
                "You may terminate the service via our website.",
                "Termination requests submitted online will not be accepted."
            ]),
            Verdict::Conflicting
        );
    }

    #[test]
    fn notice_is_not_negation() {
        assert_eq!(
            verdict(&[
                "Either party may terminate by giving not less than thirty (30) days' notice via our website."
            ]),
            Verdict::Supported
        );
    }

    #[test]
    fn chinese_stances() {
        assert_eq!(
            verdict(&["客戶可透過網上或手機應用程式終止服務。"]),
            Verdict::Supported
        );
        assert_eq!(
            verdict(&["如需終止服務，請親臨門市辦理。"]),
            Verdict::NotSupported
        );
        assert_eq!(
            verdict(&["本公司恕不接受網上終止服務申請，請親臨客戶服務中心辦理。"]),
            Verdict::NotSupported
        );
        assert_eq!(
            verdict(&["终止服务可于网上办理，已缴费用恕不退还。"]),
            Verdict::Supported
        );
        assert_eq!(
            verdict(&["暂不支持在线销户，请前往营业厅办理。"]),
            Verdict::NotSupported
        );
    }

    #[test]
    fn a_refusal_in_its_own_clause_negates_the_channel() {
        assert_eq!(
            verdict(&["Termination requests submitted online, however, will not be accepted."]),
            Verdict::NotSupported
        );
        assert_eq!(
            verdict(&["透過電子表格提交的終止服務申請，恕不受理。"]),
            Verdict::NotSupported
        );
        // A bare 不可 in another clause does not reach the channel.
        assert_eq!(
            verdict(&["客戶可於網上終止服務，本優惠不可轉讓。"]),
            Verdict::Supported
        );
        assert_eq!(
            verdict(&["用户可通过应用程序办理销号。"]),
            Verdict::Supported
        );
    }

    #[test]
    fn traps_are_not_cancellation() {
        assert_eq!(
            verdict(&["CMHK is entitled to cancel the order if the information is incomplete."]),
            Verdict::Unknown
        );
    }

    #[test]
    fn combine_shows_disagreement() {
        use Verdict::*;
        assert_eq!(Verdict::combine([Supported, Unknown]), Supported);
        assert_eq!(Verdict::combine([Supported, NotSupported]), Conflicting);
        assert_eq!(Verdict::combine([]), Unknown);
    }
}
