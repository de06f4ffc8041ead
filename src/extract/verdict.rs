//! Verdict: extracted blocks (with their place on the page) + lexicon → "can this service be
//! cancelled online?" with the sentences that prove it.
//!
//! Each sentence is read on its own (`reading`: clauses, traps, add-on clauses, negation scope),
//! then in its context (`context`: headings, list lead-ins, sibling steps, table headers, the
//! sentence before). The statements about the service decide the headline; statements about an
//! add-on, auto-renewal or paper bill are kept and shown but never decide; statements that hold
//! for some products or places only decide only when nothing holds for all, and products named
//! on the page (a row header, a "eSIM：" label) are answered apart, so a yes for one product and
//! a no for another is not a contradiction. Pure and cheap: no I/O.

mod threads;
mod ways;
pub mod weigh;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::extract::block::{Block, Context, cut_chars};
use crate::extract::context::{Page, names_every_line, stance_of};
use crate::extract::lexicon::{Concept, Concepts, Lexicon};
use crate::extract::reading::read;
use crate::extract::structure::{Place, places};
use threads::{corrects, in_notice, latest_notice, official_reply, relays, sole_update};
pub(crate) use ways::narrow_route;
pub(crate) use ways::refuses_other_ways;
use ways::{refuses_listed_ways, refuses_ways, runs, sole_way, universal};

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
    /// Ending the service through an offline channel that the page makes the only way ("can
    /// only be cancelled in store", 须亲临门市办理).
    OfflineDemanded,
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
            Stance::OfflineDemanded => "offline required",
            Stance::NotCancellable => "cannot be cancelled",
            Stance::Related => "related",
        }
    }

    /// Every stance, in the order of the type.
    pub const ALL: [Stance; 6] = [
        Stance::Online,
        Stance::NegatedOnline,
        Stance::OfflineOnly,
        Stance::OfflineDemanded,
        Stance::NotCancellable,
        Stance::Related,
    ];

    /// The stance [`Stance::as_str`] names ("offline only"), as the webhooks' JSON carries it.
    pub fn parse(s: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The stance as a report's reader is shown it. The same as [`Stance::as_str`] (the name in
    /// `inspect`, the JSON payload and the learnt weights) except for [`Stance::OfflineOnly`]:
    /// that sentence names offline ways and no online one, which may be one way among others
    /// ("客戶亦可親臨門市辦理", customers may also visit a shop), so the reader sees "offline"
    /// and not "offline only", which reads as the page saying a shop is the only way (that is
    /// [`Stance::OfflineDemanded`], "offline required").
    pub fn shown(self) -> &'static str {
        match self {
            Stance::OfflineOnly => "offline",
            other => other.as_str(),
        }
    }
}

/// What a piece of evidence is about: the service, or something else that is ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ending {
    #[default]
    Service,
    /// An add-on, auto-renewal, paper bill, order, suspension: shown, never deciding.
    Addon,
}

impl Ending {
    pub fn as_str(self) -> &'static str {
        match self {
            Ending::Service => "service",
            Ending::Addon => "add-on",
        }
    }
}

/// Between the products of one statement, where they are shown ("for eSIM / prepaid"); also how
/// versions stored before products were a list joined them.
const PRODUCTS_APART: &str = " / ";

/// Characters of a product's name shown in an evidence line's label.
pub const MAX_LABEL_PRODUCT_CHARS: usize = 40;

/// A sentence quoted as evidence, in the page's own wording, with the context it was read in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub block: usize,
    pub sentence: String,
    pub concepts: Vec<String>,
    pub stance: Stance,
    /// The heading, lead-in, row or column header (or earlier sentence) that gave the sentence
    /// its subject, outermost first; empty when the sentence says it all.
    #[serde(default)]
    pub context: Vec<String>,
    #[serde(default)]
    pub ending: Ending,
    /// Holds for some products, places or cases only ("some services", 部分地区).
    #[serde(default)]
    pub qualified: bool,
    /// The products, carriers or plans the statement is about, when the page names them for it
    /// (a table row's header, an item's label: "eSIM：…", the kinds a sentence names: "eSIM and
    /// prepaid customers…"); each gets the statement. Empty: it holds for every line.
    #[serde(
        default,
        alias = "product",
        deserialize_with = "stored_products",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub products: Vec<String>,
    /// An online way named in a paragraph that names no ending and takes its subject from a
    /// heading ("How to cancel" › "Scroll down for details", "… your online connection"): it
    /// counts as an offer only where the page names no offline way with its own ending word.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weak: bool,
    /// A refusal of the ending beside a number or a place to reach the carrier ("Prepaid SIM
    /// cards cannot be terminated once activated. For enquiries, call 178 178."): it answers
    /// the reader's question with a no and where to turn, as an offline way would (round 34's
    /// reviews).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reachable: bool,
    /// For a step of a list, the block that stands for its whole list (its lead-in, else its
    /// first item): the steps of one procedure are one run of blocks when statements are
    /// weighed against each other, though a step with no way may stand between two that name
    /// one (round 37's reviews). Not stored: a stored statement counts by its own block.
    #[serde(skip)]
    pub procedure: Option<usize>,
    /// The sentence right after refuses every other way ("… must be made in person at a
    /// Straits Hub. Requests made through any other channel will not be processed.", round
    /// 40): the way demanded is the only one. Not stored, as `procedure` is not.
    #[serde(skip)]
    pub others_refused: bool,
    /// The statement stands in a section the page marks as no longer in force ("原說明（…，已
    /// 停止適用）", "(previous process)", round 47): shown as such, so that the evidence says why
    /// it does not answer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replaced: bool,
}

/// The products of a stored statement: a list, or one string from before they were a list
/// ("eSIM / prepaid", joined by [`PRODUCTS_APART`]), or nothing.
fn stored_products<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Joined(String),
        List(Vec<String>),
    }
    Ok(match Option::<Stored>::deserialize(d)? {
        None => Vec::new(),
        Some(Stored::Joined(p)) => p.split(PRODUCTS_APART).map(str::to_string).collect(),
        Some(Stored::List(l)) => l,
    })
}

impl Evidence {
    /// The sentence with its context: `Mobile Disconnection Request › Visit 3Shop / Fax …`.
    pub fn in_context(&self) -> String {
        let mut out = String::new();
        for c in &self.context {
            out.push_str(c);
            out.push_str(" › ");
        }
        out.push_str(&self.sentence);
        out
    }

    /// What the line is: the stance, what is ended when it is not the service, and the
    /// product it answers for (its first [`MAX_LABEL_PRODUCT_CHARS`] characters: a row header
    /// can be a long cell).
    pub fn label(&self) -> String {
        self.label_from(self.stance.as_str())
    }

    /// [`Evidence::label`] with the stance as a report's reader is shown it ([`Stance::shown`]).
    pub fn shown_label(&self) -> String {
        self.label_from(self.stance.shown())
    }

    fn label_from(&self, stance: &str) -> String {
        let mut l = stance.to_string();
        if self.ending == Ending::Addon {
            l.push_str(", add-on");
        }
        if self.qualified {
            l.push_str(", qualified");
        }
        if self.weak {
            l.push_str(", in passing");
        }
        if self.replaced {
            l.push_str(", replaced");
        }
        if !self.products.is_empty() {
            l.push_str(", for ");
            l.push_str(&cut_chars(
                &self.products.join(PRODUCTS_APART),
                MAX_LABEL_PRODUCT_CHARS,
            ));
        }
        l
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub verdict: Verdict,
    /// Sentences that decided the verdict, then related cancellation wording.
    pub evidence: Vec<Evidence>,
    /// For each block: does it carry cancellation wording?
    pub cancellation_blocks: Vec<bool>,
    /// The answer of statements that hold for some products or places only, when it differs
    /// from the headline.
    #[serde(default)]
    pub qualified: Option<Verdict>,
    /// The answer for add-ons (auto-renewal, data packs…), which never decides the headline.
    #[serde(default)]
    pub addon: Option<Verdict>,
    /// Per-product answers, when products named on the page are answered differently.
    #[serde(default)]
    pub products: Vec<(String, Verdict)>,
    /// The later word that answers the page when it sets earlier statements aside: the latest
    /// dated notice, update or reply, or a correction (its text, cut to [`LATER_WORD_CHARS`]).
    #[serde(default)]
    pub answered_by: Option<String>,
    /// The kind of customer or product the page is written for, when the headline answers for
    /// it and not for the others the page names apart ("corporate" on a page about business
    /// lines that says personal plans can be ended in the app): its title or most of its
    /// blocks name it.
    #[serde(default)]
    pub answers_for: Option<String>,
    /// The rules' own answer, when weighing the statements together gave another headline
    /// ([`weigh`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules_read: Option<Verdict>,
}

/// How much of a later word's text [`Assessment::answered_by`] keeps.
pub const LATER_WORD_CHARS: usize = 160;

/// The text of the later word at block `b`: a short heading or a post's date line ("公告
/// 2026/02/01", "tony88 2026-11-18") with the block after it, which says what it says.
fn later_word(blocks: &[String], b: usize) -> Option<String> {
    let t = blocks.get(b)?;
    let text = match blocks.get(b + 1) {
        Some(next) if t.chars().nth(LATER_LINE_CHARS).is_none() => format!(
            "{} › {}",
            t.trim(),
            crate::extract::block::first_chars(next, LATER_WORD_CHARS)
        ),
        _ => t.clone(),
    };
    Some(crate::extract::block::cut_chars(&text, LATER_WORD_CHARS))
}

/// The longest heading or date line [`later_word`] joins to the block after it.
const LATER_LINE_CHARS: usize = 60;

impl Assessment {
    /// The assessment as the rules left it, before [`weigh`] weighed it.
    pub fn as_the_rules_read(&self) -> Assessment {
        Assessment {
            verdict: self.rules_read.unwrap_or(self.verdict),
            rules_read: None,
            ..self.clone()
        }
    }

    /// The group the headline answers for ([`Assessment::answers_for`]), while the headline is
    /// the rules' own: one the weighing moved is not the answer the rules found for the group.
    pub fn group_answered(&self) -> Option<&str> {
        self.answers_for
            .as_deref()
            .filter(|_| self.rules_read.is_none())
    }

    /// The answer of statements that hold for some products or places only, when it differs
    /// from the headline.
    pub fn qualified_apart(&self) -> Option<Verdict> {
        self.qualified.filter(|q| *q != self.verdict)
    }

    /// The sentence that best sums the verdict up, for one-line summaries.
    pub fn key_sentence(&self) -> Option<&Evidence> {
        let wanted: &[Stance] = match self.verdict {
            Verdict::Supported => &[Stance::Online],
            // A refusal of the ending decides only beside a way refused or named (round 18),
            // so that way sums the page up first.
            Verdict::NotSupported => &[
                Stance::NegatedOnline,
                Stance::OfflineDemanded,
                Stance::OfflineOnly,
                Stance::NotCancellable,
            ],
            // An offline way said to be the only one contradicts an offer too (round 38). A
            // headline the weighing made conflicting may rest on offline ways named beside the
            // offer: the first of them then sums it up, last, so the rules' pages are unchanged.
            Verdict::Conflicting => &[
                Stance::NegatedOnline,
                Stance::NotCancellable,
                Stance::OfflineDemanded,
                Stance::OfflineOnly,
            ],
            // A refusal alone is still what the page says about ending.
            Verdict::Unknown => &[Stance::NotCancellable, Stance::Related],
        };
        // A refusal of one narrow route ("Our virtual assistant can't cancel your service") sums
        // a not-supported page up only when no wider denial and no offline way is said (round
        // 19): it ranks after every wanted stance.
        let rank = |e: &Evidence| {
            let at = wanted.iter().position(|w| *w == e.stance)?;
            let narrow = self.verdict == Verdict::NotSupported
                && e.stance == Stance::NegatedOnline
                && narrow_route(&e.sentence);
            Some(if narrow { wanted.len() } else { at })
        };
        // The first of the best rank: `min_by_key` keeps the first of equal keys.
        self.evidence
            .iter()
            .filter(|e| e.ending == Ending::Service)
            .filter_map(|e| rank(e).map(|r| (r, e)))
            .min_by_key(|(r, _)| *r)
            .map(|(_, e)| e)
    }

    /// The evidence that decided the verdict (not merely related wording, not add-ons).
    pub fn deciding(&self) -> impl Iterator<Item = &Evidence> {
        self.evidence
            .iter()
            .filter(|e| e.stance != Stance::Related && e.ending == Ending::Service)
    }

    /// At most `n` of the deciding statements, in page order, and how many were left out. The
    /// key sentence is always among them, and on a conflicting page the first offer too, so a
    /// cap never hides what the verdict rests on (three shop lines before the one online way).
    pub fn shown(&self, n: usize) -> (Vec<&Evidence>, usize) {
        let all: Vec<&Evidence> = self.deciding().collect();
        let key = self
            .key_sentence()
            .and_then(|k| all.iter().position(|e| std::ptr::eq(*e, k)));
        let offer = (self.verdict == Verdict::Conflicting)
            .then(|| all.iter().position(|e| e.stance == Stance::Online))
            .flatten();
        let mut picked: Vec<usize> = key.into_iter().chain(offer).take(n).collect();
        picked.dedup();
        for i in 0..all.len() {
            if picked.len() >= n {
                break;
            }
            if !picked.contains(&i) {
                picked.push(i);
            }
        }
        picked.sort_unstable();
        let left = all.len() - picked.len();
        (picked.into_iter().map(|i| all[i]).collect(), left)
    }
}

/// Concepts that make a block "cancellation wording" for diffs and email ordering, and a
/// sentence worth showing as related wording.
pub(crate) fn is_cancellation_wording(c: Concepts) -> bool {
    c.has(Concept::Terminate)
        || c.has(Concept::Fee)
        || c.has(Concept::Refund)
        || c.has(Concept::AutoRenewal)
}

/// Assesses one sentence on its own. `None` when it is not cancellation wording at all. An
/// add-on sentence ("cancel the auto-renewal via My Account") takes its stance from its add-on
/// clauses; [`assess`] then keeps it from deciding.
pub fn sentence_stance(lexicon: &Lexicon, sentence: &str) -> Option<(Stance, Concepts)> {
    let r = read(lexicon, sentence);
    if !is_cancellation_wording(r.all) {
        return None;
    }
    let channels = if r.ends_service() || !r.addon.has(Concept::Terminate) {
        r.service
    } else {
        r.addon
    };
    let stance = if r.question || !r.ends_anything() {
        Stance::Related
    } else {
        stance_of(&r, channels)
    };
    Some((stance, r.all))
}

/// Assesses a page from its blocks' text with no structure: every block is a paragraph.
pub fn assess(lexicon: &Lexicon, blocks: &[String]) -> Assessment {
    assess_in_context(lexicon, blocks, &vec![Place::default(); blocks.len()])
}

/// Assesses a page from its blocks' text and their extracted contexts.
pub fn assess_with(lexicon: &Lexicon, blocks: &[String], contexts: &[Context]) -> Assessment {
    assess_in_context(lexicon, blocks, &places(blocks, contexts))
}

/// Assesses a page from its extracted blocks.
pub fn assess_structured(lexicon: &Lexicon, blocks: &[Block]) -> Assessment {
    let texts: Vec<String> = blocks.iter().map(|b| b.text.clone()).collect();
    let contexts: Vec<Context> = blocks.iter().map(|b| b.context.clone()).collect();
    assess_with(lexicon, &texts, &contexts)
}

/// The verdict of a set of statements. A yes and a no contradict each other only when they are
/// about the same product (or neither names one): "eSIM: online; prepaid card: shop only" is an
/// answer per product, and the page is `supported` for the products it names online. Nor do
/// they when the page offers the online way for that product in more blocks than it denies it:
/// a guide that walks through closing a number in the app and says once that numbers roaming
/// abroad, or some kinds of card, cannot be closed so (zhs-2209, zhs-2207) is giving an
/// exception, not contradicting itself.
fn decide<'a>(evidence: impl Iterator<Item = &'a Evidence>) -> Verdict {
    // Per product, the blocks that offer, deny and demand an offline way: two sentences of one
    // block count once. One pass, so a hostile page of many sentences stays linear.
    #[derive(Default)]
    struct Blocks {
        offer: BTreeSet<usize>,
        weak: BTreeSet<usize>,
        deny: BTreeSet<usize>,
        /// Denials of one narrow online route alone ("Requests by email are not accepted",
        /// "Our virtual assistant cannot cancel", "You cannot cancel it yourself").
        deny_narrow: BTreeSet<usize>,
        /// Refusals of the ending itself ("cannot be cancelled once activated").
        refuse: BTreeSet<usize>,
        demand: BTreeSet<usize>,
        /// Demands that make the offline way the only one ("accepted in person only",
        /// 只接受親臨門市遞交): against an online offer they contradict it.
        sole: BTreeSet<usize>,
    }
    let mut blocks: BTreeMap<Option<&str>, Blocks> = BTreeMap::new();
    // For a step of a list, the block its list's run may start from.
    let mut run_starts: BTreeMap<usize, usize> = BTreeMap::new();
    let mut offline = false;
    // An online way refused ("cannot be cancelled online", 恕不接受電郵申請), not merely the
    // ending refused ("cannot be cancelled once activated").
    let mut online_refused = false;
    // An offline way in a sentence that names the ending itself ("The primary method of
    // cancellation is via phone").
    let mut offline_said = false;
    // An online way offered that is not one narrow route alone: a refusal of email, of a bot or
    // of doing it yourself does not take it back.
    let mut offered_beside_narrow = false;
    // A refusal of the ending with a contact beside it (see [`Evidence::reachable`]).
    let mut reachable = false;
    for e in evidence {
        // Read once per statement: only an online way offered or refused can be a narrow route.
        let narrow =
            matches!(e.stance, Stance::Online | Stance::NegatedOnline) && narrow_route(&e.sentence);
        offered_beside_narrow |= e.stance == Stance::Online && !e.weak && !narrow;
        offline_said |= matches!(e.stance, Stance::OfflineOnly | Stance::OfflineDemanded)
            && e.concepts.iter().any(|c| c == "terminate");
        let set: fn(&mut Blocks) -> &mut BTreeSet<usize> = match e.stance {
            Stance::Online if e.weak => |b| &mut b.weak,
            Stance::Online => |b| &mut b.offer,
            // "非试点地区号码暂不支持线上销户" beside the pilot's offer: a denial for some places or
            // products only denies where nothing else is offered (round 39).
            Stance::NegatedOnline if narrow || e.qualified => |b| &mut b.deny_narrow,
            Stance::NegatedOnline => |b| &mut b.deny,
            Stance::NotCancellable => |b| &mut b.refuse,
            Stance::OfflineDemanded => |b| &mut b.demand,
            Stance::OfflineOnly => {
                offline = true;
                continue;
            }
            Stance::Related => continue,
        };
        offline |= e.stance == Stance::OfflineDemanded;
        reachable |= e.stance == Stance::NotCancellable && e.reachable;
        online_refused |= e.stance == Stance::NegatedOnline && !narrow;
        // A step's run reaches back to the block that stands for its list: a step with no way
        // between two with one does not cut the procedure in two runs. Only the runs: the
        // blocks counted stay the statements' own (the read-through of round 37).
        if let Some(p) = e.procedure {
            let start = run_starts.entry(e.block).or_insert(e.block);
            *start = (*start).min(p);
        }
        let sole = match e.stance {
            // "…應親至服務中心辦理;本公司不受理以網路、電話或傳真方式提出之終止申請": a demand
            // that refuses the ways it lists is the only way (round 48).
            Stance::OfflineDemanded => {
                e.others_refused || sole_way(&e.sentence) || refuses_listed_ways(&e.sentence)
            }
            // "宽带拆机业务仅限营业厅柜台办理，线上渠道不受理": a denial that names the only way
            // is as strong as the demand (round 39).
            // Only one that names the offline way: "线上销户只面向普通手机卡" restricts a product.
            Stance::NegatedOnline => {
                !narrow
                    && (universal(&e.sentence)
                        || !e.qualified && e.products.is_empty() && refuses_ways(&e.sentence)
                        || e.concepts.iter().any(|c| c == "offline")
                            && (e.others_refused || sole_way(&e.sentence)))
            }
            _ => false,
        };
        let note = |b: &mut Blocks| {
            set(b).insert(e.block);
            if sole {
                b.sole.insert(e.block);
            }
        };
        // A statement for eSIM and prepaid answers for each of them.
        if e.products.is_empty() {
            note(blocks.entry(None).or_default());
        }
        for kind in &e.products {
            note(blocks.entry(Some(kind.as_str())).or_default());
        }
    }
    // "We do not accept cancellation by email" beside a portal offered: one way refused, not
    // online. Where that route is all that is offered, its refusal denies it.
    for b in blocks.values_mut() {
        let narrow = std::mem::take(&mut b.deny_narrow);
        if !offered_beside_narrow {
            online_refused |= !narrow.is_empty();
            b.deny.extend(narrow);
        }
    }
    // Online refused for no product in particular, before refusals of the ending join it: it
    // counts against each product offered ("月費計劃客戶現可在應用程式終止" against
    // "本公司不接受透過應用程式…之終止服務要求", round 33's review); "contracts cannot be
    // cancelled during the minimum term" does not.
    let general: BTreeSet<usize> = blocks
        .get(&None)
        .map(|b| b.deny.clone())
        .unwrap_or_default();
    // So does a sole way said for no product ("本公司只接受經郵寄或於門市遞交的書面通知" against
    // the postpaid plans' online way, round 39).
    let general_sole = blocks.get(&None).is_some_and(|b| !b.sole.is_empty());
    // A refusal of the ending with no way named anywhere ("prepaid cards cannot be
    // cancelled", 合約卡無法銷戶) says whether, not how: readers label such pages `unknown`
    // (all 13 of sources.toml's reasons that cite a refusal with no channel), and on the pages
    // measured the refusal alone mostly came from a sentence about something else (an add-on,
    // a disconnection for non-payment, a charge after cancelling). Nor does it contradict an
    // online way then. Where the page refuses an online way or names an offline one, or the
    // refusal's own section gives only an offline contact ([`Evidence::reachable`], round 34),
    // the refusal denies with them.
    for b in blocks.values_mut() {
        let refuse = std::mem::take(&mut b.refuse);
        if online_refused || offline || reachable {
            b.deny.extend(refuse);
        }
    }
    // A weak online mention is an offer only where no offline way is said for the ending, and
    // no online way is refused for it ("线上 ✓*" over "*…线上无法完成销户", round 45's probes).
    if !offline_said && !online_refused {
        for b in blocks.values_mut() {
            let weak = std::mem::take(&mut b.weak);
            b.offer.extend(weak);
        }
    }
    // A contradiction with an explicit denial stays one.
    // Blocks next to each other count once: the steps of one procedure, or a call and its code
    // sample, are one offer (round 33's reviews).
    let contradiction = blocks.iter().any(|(kind, b)| {
        let deny = match kind {
            Some(_) if !general.is_empty() => &b.deny | &general,
            _ => b.deny.clone(),
        };
        // A sole way said against an offer that would otherwise answer (offered at least as
        // often as an offline way is demanded) contradicts it; demanded more often, the demand
        // answers below.
        let sole = !b.sole.is_empty() || kind.is_some() && general_sole;
        !b.offer.is_empty()
            && (sole && b.offer.len() >= b.demand.len()
                || !deny.is_empty() && runs(&b.offer, &run_starts) <= runs(&deny, &run_starts))
    });
    // An online way named less often than an offline one is demanded ("cancellation must be
    // made in person", said in the heading and the steps, beside "you may submit your wish to
    // cancel online") is not the page's answer: the demand stands, as a shop merely named
    // beside an online way would not. A tie keeps the offer.
    let supports = blocks
        .values()
        .any(|b| !b.offer.is_empty() && b.offer.len() >= b.demand.len());
    let denied = blocks.values().any(|b| !b.deny.is_empty());
    // Naming a shop does not deny an online channel named elsewhere; an explicit negation does.
    match (supports, denied, offline) {
        _ if contradiction => Verdict::Conflicting,
        (true, true, _) => Verdict::Supported,
        (true, false, _) => Verdict::Supported,
        (false, true, _) | (false, false, true) => Verdict::NotSupported,
        (false, false, false) => Verdict::Unknown,
    }
}

/// The first sentence that says it replaces an earlier notice ([`SUPERSEDES`]).
fn superseding<'p>(page: &'p Page) -> Option<&'p crate::extract::context::Sentence> {
    page.sentences
        .iter()
        .find(|s| SUPERSEDES.iter().any(|w| s.folded.contains(w)))
}

/// Words of a notice that replaces an earlier one, after the fold.
const SUPERSEDES: [&str; 16] = [
    "之公告内容不再适用",
    "之公告不再适用",
    "公告同时作废",
    // 《关于开展线上销户试点的公告》同时废止 (round 43).
    "同时废止",
    "即行废止",
    "以本公告为准",
    "本公告取代",
    "this notice supersedes",
    "this notice replaces",
    "supersedes our",
    "supersedes the notice",
    "replaces our earlier notice",
    // Round 62's first wave: 以下「辦理途徑」一節所述只接受門市辦理的安排，已由本更新取代.
    "本更新取代",
    "this update replaces",
    "replaced by this update",
    "superseded by this update",
];

/// A news item about a launch still to come ("Carrier to add in-app cancellation next quarter",
/// 我省将推出手机号码线上销户服务): what its later sentences say the feature will let customers
/// do is the launch's, not a way there today, unless a sentence says it is there now (round
/// 53's waves: five or six such pages in each, every one worded its own way). A news item is
/// told by its title announcing the launch, or by an announcement anywhere beside a sentence
/// about the time before the launch ("在新功能推出前，客戶…仍須致電", "Until the upgrade is
/// finished, the phone team remains the way to cancel", round 54's first wave).
fn launch_told(page: &Page, evidence: &mut [Evidence]) {
    let announcement = |e: &Evidence| {
        e.stance == Stance::NegatedOnline
            && crate::extract::reading::announces(&crate::extract::normalise::for_matching(
                &e.sentence,
            ))
    };
    let title = page.title_block();
    // Each statement is folded once: a title that announces, else any announcement of the
    // service's ending beside the time before the launch.
    let announced: Vec<(usize, Ending)> = evidence
        .iter()
        .filter(|e| announcement(e))
        .map(|e| (e.block, e.ending))
        .collect();
    let told = announced.iter().any(|&(b, _)| Some(b) == title)
        || announced
            .iter()
            .any(|&(_, ending)| ending == Ending::Service)
            && page
                .sentences
                .iter()
                .any(|s| UNTIL_LAUNCH.iter().any(|w| s.folded.contains(w)));
    if !told {
        return;
    }
    for e in evidence
        .iter_mut()
        .filter(|e| e.stance == Stance::Online && e.ending == Ending::Service)
    {
        let folded = crate::extract::normalise::for_matching(&e.sentence);
        if !NOW_THERE.iter().any(|w| folded.contains(w)) {
            e.stance = Stance::NegatedOnline;
        }
    }
}

/// Words about the time before a launch, after the fold: beside an announcement they make the
/// page news of the launch.
const UNTIL_LAUNCH: [&str; 16] = [
    "功能推出前",
    "功能上线前",
    "功能正式上线前",
    // Round 54's second wave: "For now, nothing changes: … still have to call", 目前門號退租
    // 仍須本人…臨櫃辦理.
    "for now",
    "still have to",
    "still need to",
    "目前",
    "现阶段",
    "现行",
    "仍须本人",
    "until the upgrade",
    "until the feature",
    "until the new",
    "until it launches",
    "at present",
    "in the meantime",
];

/// Words that say a way is there now, after the fold: a news item about a launch may report
/// one already made ("…is now live in the app", 即日起可於 App 辦理).
const NOW_THERE: [&str; 12] = [
    "now live",
    // Said of an online way beside an announcement: it is there besides the one to come.
    "at present",
    "目前可",
    "now available",
    "is live",
    "from today",
    "already",
    "即日起",
    "现已",
    "已上线",
    "已开通",
    "已正式",
];

/// What an evidence line kept for other customers than the page's says it is for.
const OTHER_CUSTOMERS: &str = "other customers";

/// What statement `e` says of the customers a page is written for, named by the folded words of
/// `audience` (`group`: a group of customers is among them, [`Page::title_audience`]): only an
/// online way can be kept from them or shut them out. With no audience named, a way is kept for
/// others only in its own words ([`crate::extract::reading::kept_for_some`]) and where it names
/// no product ("eSIM only" answers per product). One reading for the rules that set such ways
/// apart and for the label that shows them.
fn statement_audience(
    e: &Evidence,
    audience: &[&str],
    group: bool,
) -> crate::extract::reading::Audience {
    use crate::extract::reading::{Audience, audience_of, kept_for_some, reader_shut_out};
    if e.stance != Stance::Online {
        return Audience::Theirs;
    }
    let folded = crate::extract::normalise::for_matching(&e.sentence);
    if !audience.is_empty() {
        audience_of(&folded, audience, group)
    } else if reader_shut_out(&folded) {
        Audience::ShutOut
    } else if e.products.is_empty() && kept_for_some(&folded) {
        Audience::KeptForOthers
    } else {
        Audience::Theirs
    }
}

/// An explicit denial: online refused, or no ending at all.
fn denies(e: &Evidence) -> bool {
    matches!(e.stance, Stance::NegatedOnline | Stance::NotCancellable)
}

/// The answer of statements about the service, and that of the qualified ones among them: the
/// blanket statements decide, and the qualified ones when the blanket ones say nothing. Only
/// shops and hotlines for everyone, and an online route for some ("部分运营商提供线上注销"):
/// naming a shop denies nothing, so the online route answers, as it would beside the shop in
/// one sentence. An explicit denial for everyone still wins.
fn answer(service: &[&Evidence]) -> (Verdict, Verdict) {
    let of = |q: bool| service.iter().copied().filter(move |e| e.qualified == q);
    let blanket = decide(of(false));
    let qualified = decide(of(true));
    let denied = of(false).any(denies);
    let verdict = if blanket == Verdict::Unknown
        || (blanket == Verdict::NotSupported && qualified == Verdict::Supported && !denied)
    {
        qualified
    } else {
        blanket
    };
    (verdict, qualified)
}

/// The answer for each product the statements name, or none when every product gets the
/// page's own answer. A product is answered as the page is, from its own statements; one with
/// only a shop or hotline named for it ("prepaid cards can also be cancelled at our shops")
/// still has the online way the page offers everyone.
fn per_product(service: &[&Evidence], verdict: Verdict) -> Vec<(String, Verdict)> {
    // Each named product's statements, gathered in one pass (a table may name thousands).
    let mut by_product: BTreeMap<&str, Vec<&Evidence>> = BTreeMap::new();
    for e in service {
        for kind in &e.products {
            by_product.entry(kind.as_str()).or_default().push(e);
        }
    }
    // The online way the page offers everyone, when its statements for everyone say so.
    let everyone_online = decide(
        service
            .iter()
            .copied()
            .filter(|e| e.products.is_empty() && !e.qualified),
    ) == Verdict::Supported;
    let products: Vec<(String, Verdict)> = by_product
        .into_iter()
        .filter(|(_, mine)| mine.iter().any(|e| e.stance != Stance::Related))
        .map(|(n, mine)| {
            let (mut v, _) = answer(&mine);
            if v == Verdict::NotSupported && everyone_online && !mine.iter().any(|e| denies(e)) {
                v = Verdict::Supported;
            }
            (n.to_string(), v)
        })
        // A product only refused ("prepaid services cannot be cancelled") has no answer of its
        // own about how (round 18): the page's answer stands for it.
        .filter(|(_, v)| *v != Verdict::Unknown)
        .collect();
    if products.iter().all(|p| p.1 == verdict) {
        return Vec::new();
    }
    products
}

/// Does `e` answer for another kind of product than the page's title names? Not a speaker's or
/// a provider's label read as a product (a thread's "1F（路人甲）").
fn of_another_kind(e: &Evidence, title: &[String]) -> bool {
    // A statement for the title's kind and another ("eSIM 門號(個人戶)") answers for the
    // title's kind too (round 45's reviews).
    !title.iter().all(|t| e.products.contains(t)) && e.products.iter().any(|p| Page::is_kind(p))
}

/// Gives a list item that names no product the kinds its lead-in names ("To cancel a postpaid
/// plan, use one of these ways:" › "At any of our stores"), or a statement the kinds its
/// section's heading names ("If your number is on a physical SIM" › "Visit a store"), on a page
/// whose statements already answer for another product: there the lead-in sets its list apart.
/// On a page that names no other, a kind in a lead-in is more often how the page calls every
/// line ("手機卡及流量卡注銷方式如下：": 手機卡 is no kind), and the items stay for everyone. An answer under a question
/// that names a kind takes that kind where a statement of another block names a product
/// (round 36).
fn lend_lead_in_products(page: &Page<'_>, evidence: &mut [Evidence]) {
    // A statement that names only the product the page's title names speaks of the page's
    // subject, as the statements that name none do: "終止月費計劃之申請恕不接受網上…提交" under
    // "Terminate your monthly plan / 終止月費計劃" contradicts the English half's app steps
    // instead of answering for monthly plans apart (round 43).
    // Only on a page that names no other product: beside "postpaid lines can be ended in the
    // app" on a page titled for prepaid cards, the prepaid refusal answers for prepaid (the
    // read-through of round 43).
    let others = |title: &Vec<String>| evidence.iter().any(|e| of_another_kind(e, title));
    if let Some(title) = page.title_kind().filter(|t| !others(t)) {
        for e in evidence.iter_mut().filter(|e| e.products == title) {
            e.products.clear();
        }
    }
    let named: BTreeSet<Vec<String>> = evidence
        .iter()
        .filter(|e| !e.products.is_empty())
        .map(|e| e.products.clone())
        .collect();
    if named.is_empty() {
        return;
    }
    let elsewhere: BTreeSet<usize> = evidence
        .iter()
        .filter(|e| !e.products.is_empty() && e.stance != Stance::Related)
        .map(|e| e.block)
        .collect();
    for e in evidence.iter_mut() {
        if !e.products.is_empty() || e.stance == Stance::Related {
            continue;
        }
        if names_every_line(&e.sentence) {
            continue;
        }
        // An answer to a question about one kind ("Can I close my data card online?" › "Yes,
        // in the app") is that kind's, on a page that names kinds at all: beside "data cards
        // cannot be closed online" further down, the two contradict (round 35's held-out
        // review) instead of the answer standing for everyone.
        // Only where a statement of another block names a product: a question about "monthly plans" on a page of
        // monthly plans, answered "no" beside "end your plan in My Account", sets nothing apart
        // (round 34's reviews) and the two still contradict.
        if let Some(kinds) = page.question_kinds(e.block) {
            if elsewhere.iter().any(|&b| b != e.block) {
                e.products = kinds;
            }
            continue;
        }
        // A scope line under its heading ("適用:個人戶月租型門號") says whom every statement of
        // the section is for: a refusal for those numbers further down then contradicts the
        // steps instead of answering apart (round 43).
        if let Some(kinds) = page.scope_kinds(e.block) {
            e.products = kinds;
            continue;
        }
        // Or the heading of its section, under the page's title ("Business accounts" ›
        // "Cancellation requests must be made by calling Business Care", round 41).
        let Some(kinds) = page
            .lead_in_kinds(e.block)
            .or_else(|| page.heading_kinds(e.block))
        else {
            continue;
        };
        // The item itself names every line ("prepaid and postpaid alike"): not the lead-in's.
        if named.iter().any(|n| *n != kinds) {
            e.products = kinds;
        }
    }
}

/// Assesses a page: every sentence read in its context, then the statements about the service
/// combined; qualified and add-on statements are answered apart.
fn assess_in_context(lexicon: &Lexicon, blocks: &[String], context: &[Place]) -> Assessment {
    let page = Page::read(lexicon, blocks, context);
    let mut evidence = Vec::new();
    let mut cancellation_blocks = vec![false; blocks.len()];
    for (k, s) in page.sentences.iter().enumerate() {
        if is_cancellation_wording(s.reading.all) {
            cancellation_blocks[s.block] = true;
        }
        if let Some(e) = page.evidence(k) {
            // A channel that takes its ending from context ("Online form" under "To end your
            // plan, use one of the channels below:") is cancellation wording as much as the
            // lead-in: its diff lines go with the cancellation wording.
            if e.stance != Stance::Related && e.ending == Ending::Service {
                cancellation_blocks[s.block] = true;
            }
            // "…可在网上营业厅注销号码，部分业务暂不支持": an offer, and a denial for some.
            if s.reading.partial_denial && e.stance == Stance::Online {
                evidence.push(Evidence {
                    stance: Stance::NotCancellable,
                    qualified: true,
                    ..e.clone()
                });
            }
            evidence.push(e);
        }
    }
    lend_lead_in_products(&page, &mut evidence);
    launch_told(&page, &mut evidence);
    // Statements of a section the page marks as replaced, marked once: the rule below sets
    // them aside, and their label says so.
    if page.replaces_any() {
        for e in evidence.iter_mut() {
            e.replaced = page.replaced(e.block);
        }
    }
    // A withdrawal of an online way that sets aside what the page says of it further down ("由
    // 2023年8月15日起，網上表格已停止運作，本頁下文有關網上表格之內容不再適用", round 54's second
    // wave): the online ways said below it are history. Not a sentence that sets aside an older
    // refusal below: the offer it makes may be spelt out below.
    let withdrawn_below = evidence
        .iter()
        .find(|e| {
            e.stance == Stance::NegatedOnline
                && crate::extract::context::replaced::sets_aside_below(&e.sentence)
        })
        .map(|e| e.block);
    if let Some(from) = withdrawn_below {
        for e in evidence
            .iter_mut()
            .filter(|e| e.block > from && e.stance == Stance::Online)
        {
            e.replaced = true;
        }
    }
    // A sentence that withdraws an old rule by quoting it ("原公告中“仅限营业厅办理”的规定同时
    // 废止", "下方原說明中「僅限門市辦理」之規定…不再適用") says nothing of today (round 47).
    let service: Vec<&Evidence> = evidence
        .iter()
        .filter(|e| {
            e.ending == Ending::Service
                && !crate::extract::context::replaced::withdraws(&e.sentence)
                && (e.stance == Stance::Online
                    || !crate::extract::context::replaced::sets_aside(&e.sentence))
        })
        .collect();
    let (mut verdict, qualified) = answer(&service);
    // The statements that answer: all of them, or those a correction or a later notice leaves
    // standing. Products are answered from these too.
    let mut answering: Vec<&Evidence> = service.clone();
    let mut answered_by: Option<usize> = None;
    // Text the page keeps but marks as replaced ("原說明（…，已停止適用）", "(previous process)",
    // "※ 本則說明已由…公告更新") says nothing of today: the rest answers, when it answers
    // alone (round 47's waves).
    if verdict != Verdict::Unknown && (page.replaces_any() || withdrawn_below.is_some()) {
        let current: Vec<&Evidence> = answering.iter().copied().filter(|e| !e.replaced).collect();
        if current.len() < answering.len()
            && let (v @ (Verdict::Supported | Verdict::NotSupported), _) = answer(&current)
        {
            verdict = v;
            answering = current;
        }
    }
    // A thread or a chat that corrects itself ("樓上講錯喎", "我剛剛說錯了", "Correction: …")
    // answers with what is said from the correction on, when that alone is no contradiction
    // (round 39).
    if verdict == Verdict::Conflicting
        && let Some(c) = page
            .sentences
            .iter()
            .find(|s| corrects(&s.folded) || !s.reading.question && relays(&s.folded))
            .map(|s| s.block)
    {
        let said = |e: &&Evidence| e.stance != Stance::Related;
        let mut later: Vec<&Evidence> = service.iter().copied().filter(|e| e.block >= c).collect();
        // A retraction after every statement ("Sorry 我記錯咗…以 #3 為準" closing a thread) takes
        // back the first word of the contradiction: the page answers without it.
        if !later.iter().any(said)
            && let Some(first) = service.iter().copied().find(said).map(|e| e.block)
        {
            later = service
                .iter()
                .copied()
                .filter(|e| e.block != first)
                .collect();
        }
        let (after, _) = answer(&later);
        if matches!(after, Verdict::Supported | Verdict::NotSupported)
            && service.iter().any(|e| e.block < c && said(e))
        {
            verdict = after;
            answering = later;
            answered_by = Some(c);
        }
    }
    // A notice that says it replaces an earlier one ("本公告發布後，2022/03/01 之公告內容不再
    // 適用", "This notice supersedes …") answers with its own section, when that alone is no
    // contradiction (round 40). The paragraph that says so answers alone first, when it says yes
    // or no: its section may hold the text it replaces ("…可於網上客戶中心提交終止通知。下文「辦理
    // 方法」一節為舊有安排，現已由本更新取代。" under the page's one heading, round 62's first
    // wave). Looked for once, and only on a page that contradicts itself.
    let superseded = (verdict == Verdict::Conflicting)
        .then(|| superseding(&page))
        .flatten();
    let mut replaced_here = false;
    if let Some(s) = superseded {
        let own: Vec<&Evidence> = service
            .iter()
            .copied()
            .filter(|e| e.block == s.block)
            .collect();
        if let (v @ (Verdict::Supported | Verdict::NotSupported), _) = answer(&own) {
            verdict = v;
            answering = own;
            answered_by = Some(s.block);
            replaced_here = true;
        }
    }
    // Dated notices ("Posted 3 January 2023": cancel in the app; "Posted 12 September 2023":
    // only at our counter): the latest answers, when every statement stands in a dated notice
    // and that one alone says yes or no (round 40). Counted against each other, an older offer
    // repeated could outnumber the newer refusal.
    let section = match verdict {
        _ if replaced_here => None,
        Verdict::Conflicting => superseded
            .and_then(|s| page.section_head(s.block))
            .or_else(|| latest_notice(&page, &service)),
        Verdict::Unknown => None,
        _ => latest_notice(&page, &service),
    };
    if let Some(h) = section {
        let own = in_notice(&page, &service, h);
        let (after, _) = answer(&own);
        if matches!(after, Verdict::Supported | Verdict::NotSupported) {
            verdict = after;
            answering = own;
            answered_by = Some(h);
        }
    }
    // One update banner among contradicting statements answers with its own paragraph.
    if verdict == Verdict::Conflicting
        && let Some(u) = sole_update(&page, &service)
    {
        let own: Vec<&Evidence> = service.iter().copied().filter(|e| e.block == u).collect();
        if let (v @ (Verdict::Supported | Verdict::NotSupported), _) = answer(&own) {
            verdict = v;
            answering = own;
            answered_by = Some(u);
        }
    }
    // A page about one kind of customer or product (its title, its only top-level heading,
    // names it: 商業客戶服務指南, "Business accounts: ending a connection") answers for that
    // kind: an online way kept for other kinds ("僅適用於以香港身份證登記之個人客戶") is not the
    // page's own (round 44's reviews). Only where statements for other kinds are set apart, and
    // the page's own statements answer alone.
    // So does a page whose blocks name one kind far more often than any other, though its title
    // names none (a page for business accounts: 商業賬戶, 公司信頭紙, "personal plans can be ended
    // in the app" said of others, round 55's waves).
    // Looked for only where some statement answers for a kind: the count reads the page.
    let page_kind = answering
        .iter()
        .any(|e| e.stance != Stance::Related && e.products.iter().any(|p| Page::is_kind(p)))
        .then(|| {
            page.title_kind()
                .filter(|_| page.title_is_sole())
                .or_else(|| page.dominant_kind().map(|k| vec![k]))
        })
        .flatten();
    let mut answers_for = None;
    if let Some(title) = page_kind
        && answering
            .iter()
            .any(|e| of_another_kind(e, &title) && e.stance != Stance::Related)
    {
        let own: Vec<&Evidence> = answering
            .iter()
            .copied()
            .filter(|e| !of_another_kind(e, &title))
            .collect();
        let (v, _) = answer(&own);
        if matches!(v, Verdict::Supported | Verdict::NotSupported) && v != verdict {
            verdict = v;
            answers_for = Some(title.join(" / "));
        }
    }
    // A thread where the carrier's own account replies: its latest reply that answers is the
    // carrier's word, over its customers' guesses before and after it (round 45's reviews:
    // "Clover_Ciara · Clover Team" › "bill pay contracts can't be cancelled in the app").
    if let Some(own) = official_reply(blocks, &answering)
        && let (v @ (Verdict::Supported | Verdict::NotSupported), _) = answer(&own)
    {
        verdict = v;
        answering = own;
        answers_for = None;
    }
    // A page written for one group of customers (its title names them: passport holders, 副卡,
    // accounts in arrears, data cards) answers for them: an online way kept for others ("only
    // available to subscribers registered with a National ID") is not theirs, and no
    // contradiction of the refusal they get; one they are shut out of ("not available for
    // passport-registered accounts", 欠费停机状态的号码无法使用APP线上销户) refuses them, where the
    // rest of the page gives no way (round 45's reviews).
    let mut set_apart = None;
    if matches!(verdict, Verdict::Conflicting | Verdict::Supported)
        && let Some((audience, group)) = page
            .title_audience()
            .filter(|_| page.title_is_sole())
            .or_else(|| page.dominant_audience())
    {
        use crate::extract::reading::Audience;
        let (mut others, mut shut_out, mut sent_offline) = (false, false, false);
        let own: Vec<&Evidence> = answering
            .iter()
            .copied()
            .filter(|e| match statement_audience(e, &audience, group) {
                Audience::Theirs => true,
                Audience::KeptForOthers => {
                    others = true;
                    // "APP 線上退租僅適用於一般門號…;副門號終止租用須…至直營服務中心": the
                    // sentence that keeps the way for others sends the page's own customers
                    // offline (round 47's waves).
                    sent_offline |= e.concepts.iter().any(|c| c == "offline");
                    false
                }
                Audience::ShutOut => {
                    shut_out = true;
                    false
                }
            })
            .collect();
        let rest = answer(&own).0;
        if (others || shut_out)
            && (rest == Verdict::NotSupported
                || (shut_out || sent_offline) && rest == Verdict::Unknown)
        {
            verdict = Verdict::NotSupported;
            answering = own;
            answers_for = None;
            set_apart = Some((audience, group));
        }
    }
    // Without a group named by the page, an online way the page itself keeps for some customers
    // ("App的「終止計劃」只開放給合約期已屆滿的客戶", "is shown only to the account holder",
    // "仅适用于个人手机号码") beside a refusal does not contradict it: the page says why its
    // reader cannot use the way (round 46's waves). Only where that leaves a plain refusal,
    // and not a way kept for a product ("eSIM only"), which answers per product. A way that
    // shuts the reader's own line out ("…so it won't show for your number") is no offer to them
    // either, even beside no refusal (round 53's first wave).
    if matches!(verdict, Verdict::Conflicting | Verdict::Supported) && set_apart.is_none() {
        use crate::extract::reading::Audience;
        let mut shut_out = false;
        let own: Vec<&Evidence> = answering
            .iter()
            .copied()
            .filter(|e| match statement_audience(e, &[], false) {
                Audience::Theirs => true,
                Audience::KeptForOthers => verdict != Verdict::Conflicting,
                Audience::ShutOut => {
                    shut_out = true;
                    false
                }
            })
            .collect();
        let rest = answer(&own).0;
        if own.len() < answering.len()
            && (rest == Verdict::NotSupported || shut_out && rest == Verdict::Unknown)
        {
            verdict = Verdict::NotSupported;
            answering = own;
            answers_for = None;
            set_apart = Some((Vec::new(), false));
        }
    }
    let products = per_product(&answering, verdict);
    let addon = decide(evidence.iter().filter(|e| e.ending == Ending::Addon));
    // The ways the page keeps for others are shown as theirs ("online, for other customers"),
    // so that the evidence says why an offer does not answer. One that shuts the page's own
    // customers out refuses them the way, and is shown so: it is what sums such a page up
    // ("月租型門號雖已開放App線上退租，但預付卡門號須…到直營門市辦理" on a prepaid FAQ, the
    // walk-through of round 48), not a refusal of something else beside it.
    if let Some((audience, group)) = set_apart {
        use crate::extract::reading::Audience;
        for e in evidence.iter_mut() {
            match statement_audience(e, &audience, group) {
                Audience::Theirs => {}
                Audience::KeptForOthers => e.products = vec![OTHER_CUSTOMERS.to_string()],
                Audience::ShutOut => {
                    e.stance = Stance::NegatedOnline;
                    e.products.clear();
                }
            }
        }
    }
    // Deciding sentences first, in page order; add-ons and related wording after.
    evidence.sort_by_key(|e| {
        (
            e.stance == Stance::Related || e.ending == Ending::Addon,
            e.block,
        )
    });
    let mut assessment = Assessment {
        verdict,
        evidence,
        cancellation_blocks,
        qualified: (qualified != Verdict::Unknown && qualified != verdict).then_some(qualified),
        addon: (addon != Verdict::Unknown).then_some(addon),
        products,
        answered_by: answered_by.and_then(|b| later_word(blocks, b)),
        answers_for,
        rules_read: None,
    };
    weigh::apply(&mut assessment);
    assessment
}

#[cfg(test)]
mod tests;
