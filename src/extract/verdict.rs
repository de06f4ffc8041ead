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
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::extract::block::{Block, Context, cut_chars};
use crate::extract::context::{Page, names_every_line, stance_of};
use crate::extract::lexicon::{Concept, Concepts, Lexicon};
use crate::extract::reading::{ONESELF, read};
use crate::extract::structure::{Place, places};

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
        let mut l = self.stance.as_str().to_string();
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
            // An offline way said to be the only one contradicts an offer too (round 38).
            Verdict::Conflicting => &[
                Stance::NegatedOnline,
                Stance::NotCancellable,
                Stance::OfflineDemanded,
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

/// Words that make a demanded way the only one, after lower-casing; and words that say it is
/// not ("not only", 並非只能, 唔一定) or only in a case ("when a device is owed").
const SOLE: [&str; 23] = [
    " only",
    // Every request the one way: 所有終止服務申請須由登記客戶親身到門市辦理, "all termination
    // requests … must be made in person" (round 40); not 攜同所有相關證件 (the documents).
    "所有終止",
    "所有终止",
    "所有申請",
    "所有申请",
    "所有退租",
    "所有銷戶",
    "所有销户",
    "all termination",
    "all cancellation",
    "all requests",
    "solely",
    "exclusively",
    "仅",
    "僅",
    "只",
    "概不",
    "一律",
    "no other",
    "不接受其他",
    "唯一",
    "sole way",
    "the sole",
];
const NOT_SOLE: [&str; 20] = [
    "not only",
    "not just",
    "並非只",
    "并非只",
    "不是只",
    "唔一定",
    "不一定",
    "不限",
    "唔係只",
    // Who or when, not which way: "by the account owner only", 仅限工作日, "only on weekdays";
    // and a group of customers (the read-through of round 38).
    "owner only",
    "holder only",
    "only on ",
    "only during",
    "only between",
    "工作日",
    "business",
    "corporate",
    "政企",
    "企业",
    "集团",
];
/// Words for every other way, and words that refuse them: together they make the way named
/// the only one (通过其他渠道提交的销户申请，我司不予受理; "Requests made through any other channel
/// will not be processed", round 39). Not "any other channel must be made in person", which
/// names a second way beside the first (the read-through).
const OTHER_WAYS: [&str; 9] = [
    // Every way but being there: 不受理通过电话、网络等非现场渠道提出的销户申请 (round 48).
    "非现场",
    "非現場",
    "other channel",
    "other means",
    "any other way",
    "其他渠道",
    "其它渠道",
    "其他途径",
    "其他方式",
];
const REFUSED: [&str; 12] = [
    "not be processed",
    "not be accepted",
    "not accepted",
    "not processed",
    "invalid",
    "不予受理",
    "不受理",
    "不予处理",
    "无效",
    "不接受",
    "不予接纳",
    "不获受理",
];
/// Words after "only … when/if" that name the way as the case ("only effective when made by
/// telephone"), not another condition ("only effective when you return the router").
const MADE_THAT_WAY: [&str; 6] = [
    "when made",
    "if made",
    "when submitted",
    "if submitted",
    "when given",
    "if given",
];

/// Words that make "only" a case, not every line: "Lines can only be cancelled at a shop when
/// a device is owed", 只有以下情况仍需线下 (round 39).
const ONLY_A_CASE: [&str; 13] = [
    // Ending early, during the contract: a case of its own (the read-through of round 39).
    " early",
    "提前",
    "合约期内",
    "within the contract",
    " when ",
    " while ",
    "unless",
    "除非",
    "情况",
    "情形",
    " cases",
    "following case",
    "these case",
];

/// Words that deny every online way at once ("any other channel", 任何經網上途徑, 一概不獲接納),
/// after lower-casing.
const UNIVERSAL: [&str; 6] = [
    "any ",
    "任何",
    "一概",
    "概不",
    "whatsoever",
    "under no circumstances",
];

/// Does a denial of the online way refuse every one ("Requests through any other channel are
/// invalid", 本公司概不接受任何經網上途徑提出之終止服務要求)? Beside an online offer it is a
/// contradiction however often the offer is repeated.
fn universal(sentence: &str) -> bool {
    let t = crate::extract::block::bounded(sentence).to_lowercase();
    UNIVERSAL.iter().any(|w| t.contains(w))
}

/// Ways a refusal may list, after the fold; ASCII ones as whole words
/// ([`crate::extract::context::names_word`]).
const WAYS_LISTED: [&str; 23] = [
    // 網路 / 網絡 after the fold (round 48: 本公司不受理以網路、電話或傳真方式提出之終止申請).
    "网络",
    "网路",
    "online",
    "app",
    "website",
    "email",
    "e-mail",
    "telephone",
    "by phone",
    "over the phone",
    "hotline",
    "chat",
    "portal",
    "应用程式",
    "应用程序",
    "网站",
    "网上",
    "线上",
    "电话",
    "热线",
    "电邮",
    "短信",
    "官网",
];

/// Does a denial of the online way list two ways or more ("Cancellation requests can't be
/// processed online or in the app", 本公司不會接受透過應用程式、網站或電話提出之終止要求)?
/// A refusal that names the ways one by one is the page's rule for everyone, not an exception
/// for some: beside steps in the app it is a contradiction however often they are repeated
/// (round 45's reviews). Reads the first [`crate::extract::block::bounded`] part.
fn refuses_ways(sentence: &str) -> bool {
    lists_two_ways(&crate::extract::normalise::for_matching(
        &crate::extract::block::bounded(sentence),
    ))
}

/// Does folded text name two of [`WAYS_LISTED`] or more?
fn lists_two_ways(t: &str) -> bool {
    WAYS_LISTED
        .iter()
        .filter(|w| crate::extract::context::names_word(t, w))
        .take(2)
        .count()
        == 2
}

/// Does a sentence refuse two listed ways or more with a word of refusal ("…; requests by
/// phone, fax or online are not accepted", 本公司不受理以網路、電話或傳真方式提出之申請)?
fn refuses_listed_ways(sentence: &str) -> bool {
    // Folded: the words of refusal are listed in Simplified (不予處理, 不獲受理 are read too).
    let t = crate::extract::normalise::for_matching(&crate::extract::block::bounded(sentence));
    REFUSED.iter().any(|w| t.contains(w)) && lists_two_ways(&t)
}

/// Does a demand of an offline way say it is the only way ("Termination is only accepted in
/// person", "requests are accepted by telephone only", 只接受由登記客戶親臨門市遞交)? Such a
/// demand beside an online offer is a contradiction, not a majority vote (round 38's reviews:
/// steps in the app against a footnote or a clause of the terms).
fn sole_way(sentence: &str) -> bool {
    let t = crate::extract::block::bounded(sentence).to_lowercase();
    // "A request to terminate is only effective when made by telephone": the case is the way
    // itself (round 39).
    let valid_only = crate::extract::reading::ONLY_VALID
        .iter()
        .any(|w| t.contains(w))
        && MADE_THAT_WAY.iter().any(|w| t.contains(w));
    (SOLE.iter().any(|w| t.contains(w)) || refuses_other_ways(&t))
        && !NOT_SOLE.iter().any(|w| t.contains(w))
        && (valid_only || !ONLY_A_CASE.iter().any(|w| t.contains(w)))
}

/// Does the text (lower-cased) refuse every way but the one named ("Requests made by other
/// means will not be processed", 通过其他渠道提交的销户申请，我司不予受理)?
pub(crate) fn refuses_other_ways(t: &str) -> bool {
    OTHER_WAYS.iter().any(|w| t.contains(w)) && REFUSED.iter().any(|w| t.contains(w))
}

/// How many runs of neighbouring block numbers the set holds ({3, 4, 9} holds two). A step
/// whose list starts at or before the block after the last one (`starts`) goes on its run
/// ({4, 5, 7} with 7 a step of the list led in by 4 holds one).
fn runs(blocks: &BTreeSet<usize>, starts: &BTreeMap<usize, usize>) -> usize {
    let mut last = None;
    let mut n = 0;
    for &b in blocks {
        let from = starts.get(&b).copied().unwrap_or(b);
        if last.is_none_or(|l: usize| l + 1 != b && from > l + 1) {
            n += 1;
        }
        last = Some(b);
    }
    n
}

/// Words for email, after lower-casing (Chinese as written and folded).
const EMAIL: [&str; 7] = ["email", "e-mail", "電郵", "电邮", "郵件", "邮件", "e mail"];
/// Other online ways, as whole English words or as Chinese text; a sentence naming one of them
/// is not about one narrow route alone. Not a bare "form": "Forms sent by email cannot be
/// processed" refuses email for a paper form (round 36's walk-through); an online form says
/// "online" or "web".
const OTHER_ONLINE_WORDS: [&str; 9] = [
    "online", "website", "web", "app", "apps", "portal", "chat", "webchat", "livechat",
];
const OTHER_ONLINE_TEXT: [&str; 20] = [
    "my account",
    // "cannot be ended from the member centre or by email" refuses more than email (round 43).
    "member centre",
    "member center",
    "會員中心",
    "会员中心",
    "網路門市",
    "网络门市",
    "掌上營業廳",
    "掌上营业厅",
    "小程序",
    "公眾號",
    "公众号",
    "網上",
    "网上",
    "網站",
    "网站",
    "線上",
    "线上",
    "應用程式",
    "客戶端",
];

/// Does the sentence name one narrow online route and no other online way? Email alone ("Via
/// Email.", 恕不接受電郵申請), a bot ("Our virtual assistant can't terminate your service") or the
/// reader doing it alone ("You cannot cancel your service yourself"): refusing it leaves another
/// online way offered. An address's own words ("cancel@happymobile.co.uk") and longer words
/// ("information", "apply") are no other way.
pub(crate) fn narrow_route(sentence: &str) -> bool {
    const BOTS: [&str; 6] = [
        "virtual assistant",
        "digital assistant",
        "chatbot",
        "chat bot",
        "虛擬助理",
        "虚拟助理",
    ];
    let t = crate::extract::block::bounded(sentence).to_lowercase();
    if BOTS.iter().any(|w| t.contains(w)) {
        return true;
    }
    let other_word = t
        .split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '@'))
        .filter(|w| !w.contains('@'))
        .any(|w| OTHER_ONLINE_WORDS.contains(&w));
    !other_word
        && !OTHER_ONLINE_TEXT.iter().any(|w| t.contains(w))
        && (EMAIL.iter().any(|w| t.contains(w)) || ONESELF.iter().any(|w| t.contains(w)))
}

/// Words that correct what was said before, after the fold (forum threads, chats, notices):
/// a speaker taking back their own word, or a formal correction.
const CORRECTIONS: [&str; 24] = [
    // Said of oneself, or set right formally: not another user's "楼上说的不对" (a thread left
    // open, which its readers call conflicting).
    "我讲错",
    "我说错",
    "我记错",
    "说错了",
    "记错咗",
    "讲错咗",
    "更正一下",
    "更正说明",
    "纠正一下",
    "correction:",
    "i was wrong",
    "my mistake",
    "i stand corrected",
    "let me correct",
    "i need to correct",
    // A later word on how things stand now ("補充一下最新狀況：App 改版之後那個選項已經拿掉了",
    // round 42).
    "最新状况",
    "最新情况",
    "最新进展",
    "【更新】",
    // Round 45's reviews: an official reply that calls an earlier word out of date ("2楼的说法
    // 已经过时了。现在…可以直接在App办理").
    // A thread's author updating their own post ("更新一下:剛剛打188問客服…").
    "更新一下",
    "说法已经过时",
    "说法已过时",
    "is out of date",
    "is now out of date",
];

/// The heading of the latest of two or more dated notices that every statement of the page
/// stands in, when one is later than all the others. At most [`NOTICES`] notices are read.
/// Statements under no date count as older than the latest notice when it is headed as an
/// update ([`crate::extract::context::Page::heads_an_update`]): "Update – 15 September 2026: the
/// online form has been withdrawn" below the undated steps of that form (round 42).
fn latest_notice(page: &crate::extract::context::Page, service: &[&Evidence]) -> Option<usize> {
    let mut dated: BTreeMap<usize, chrono::NaiveDate> = BTreeMap::new();
    let mut undated: BTreeSet<Option<usize>> = BTreeSet::new();
    for e in service.iter().filter(|e| e.stance != Stance::Related) {
        let h = page.notice_of(e.block);
        if h.is_some_and(|h| dated.contains_key(&h)) || undated.contains(&h) {
            continue;
        }
        if dated.len() == NOTICES || undated.len() == NOTICES {
            return None;
        }
        match h.and_then(|h| page.notice_date(h).map(|d| (h, d))) {
            Some((h, d)) => {
                dated.insert(h, d);
            }
            None => {
                undated.insert(h);
            }
        }
    }
    let mut by_date: Vec<(chrono::NaiveDate, usize)> =
        dated.into_iter().map(|(h, d)| (d, h)).collect();
    by_date.sort_unstable();
    // Notices of the latest date that answer alike stand as one ("回覆 #2 2026/02/21: the option
    // is gone", "回覆 #3 2026/02/21: only in person now", round 42): the last that answers is
    // read. Two that answer otherwise leave the page as it is.
    let (&(last, _), older) = by_date.split_last()?;
    let tied: Vec<usize> = by_date
        .iter()
        .filter(|&&(d, _)| d == last)
        .map(|&(_, h)| h)
        .collect();
    let latest = if tied.len() > 1 {
        let says = |h: usize| answer(&in_notice(page, service, h)).0;
        let decisive: Vec<(usize, Verdict)> = tied
            .iter()
            .map(|&h| (h, says(h)))
            .filter(|(_, v)| matches!(v, Verdict::Supported | Verdict::NotSupported))
            .collect();
        match decisive.as_slice() {
            [.., (h, v)] if decisive.iter().all(|(_, w)| w == v) => *h,
            _ => return None,
        }
    } else {
        tied.first().copied()?
    };
    let in_latest = |b: usize| tied.iter().any(|&t| page.in_notice(b, t));
    let earlier = older.iter().any(|&(d, _)| d < last);
    let h = if undated.is_empty() && earlier || !undated.is_empty() && page.heads_an_update(latest)
    {
        latest
    } else {
        return None;
    };
    // Not over undated text when the page says it was edited after the notice ("Article last
    // updated: June 4, 2025" below a February notice): its undated text may be the newer word
    // (round 39's reviews).
    if !undated.is_empty() && page.edited_after(last) {
        return None;
    }
    // A later refusal answers for the page only when it speaks for every line and for good: not
    // for one product ("Prepaid plans can no longer be cancelled online", a notice headed "Home
    // broadband"), nor for the hours of a maintenance (the read-through of round 40); a notice
    // that the maintenance is over and the way is back does answer.
    // A later offer for some lines answers as an offer does anywhere ("即日起月租型用戶可再次於
    // App 線上申請退租" after a withdrawal, round 40's walk-through).
    let denials: Vec<&&Evidence> = service
        .iter()
        .filter(|e| in_latest(e.block))
        .filter(|e| !matches!(e.stance, Stance::Online | Stance::Related))
        .collect();
    // Unless it withdraws the online way from the products the earlier offers were for, and
    // from no fewer: "預付卡線上終止功能停止受理" after "預付卡用戶可登入官網…申請終止門號"
    // (round 41). A shop merely named for them later is no withdrawal (a prepaid FAQ beside a
    // notice, round 39's reviews).
    let refused: BTreeSet<&str> = denials
        .iter()
        .flat_map(|e| e.products.iter().map(String::as_str))
        .collect();
    let mut offers = service
        .iter()
        .filter(|e| e.stance == Stance::Online && !in_latest(e.block))
        .peekable();
    let withdrawn = denials.iter().any(|e| e.stance == Stance::NegatedOnline);
    let covered = withdrawn
        && offers.peek().is_some()
        && offers.all(|e| {
            !e.products.is_empty() && e.products.iter().all(|p| refused.contains(p.as_str()))
        });
    let partial = !denials.is_empty() && page.heads_a_kind(h) && !covered
        || denials.iter().any(|e| {
            let t = crate::extract::block::bounded(&e.sentence).to_lowercase();
            !e.products.is_empty() && !covered
                || e.qualified
                || PAUSE_WORDS.iter().any(|w| t.contains(w))
        });
    (!partial).then_some(h)
}

/// The statements of `service` that stand in notice `h` ([`Page::in_notice`]).
fn in_notice<'e>(page: &Page, service: &[&'e Evidence], h: usize) -> Vec<&'e Evidence> {
    service
        .iter()
        .copied()
        .filter(|e| page.in_notice(e.block, h))
        .collect()
}

/// The one paragraph among the statements that opens with an update's label and date ("Update
/// – June 2: Postpaid customers can now cancel a wireless line themselves in MyMaple."), when
/// there is only one: on a page that contradicts itself, the update banner answers over the
/// undated text it changed (round 47's fourth wave; the brief's readers label it so).
fn sole_update(page: &crate::extract::context::Page, service: &[&Evidence]) -> Option<usize> {
    let mut found = None;
    for e in service.iter().filter(|e| e.stance != Stance::Related) {
        if found != Some(e.block) && page.opens_update(e.block) {
            if found.is_some() {
                return None;
            }
            found = Some(e.block);
        }
    }
    found
}

/// How many dated notices one page is read for.
const NOTICES: usize = 16;
/// Words of a pause, lower-cased, in both scripts: a notice of a maintenance window says when a
/// way is back, not that it is gone.
const PAUSE_WORDS: [&str; 8] = [
    "temporar",
    "maintenance",
    "維護",
    "维护",
    "期間",
    "期间",
    "升級",
    "升级",
];

/// Words of a notice that replaces an earlier one, after the fold.
const SUPERSEDES: [&str; 12] = [
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
];

/// Does a sentence (folded) correct what was said before it?
fn corrects(folded: &str) -> bool {
    // Whole words: "i was wrongly billed" corrects nothing.
    let said = |w: &str| {
        folded.match_indices(w).any(|(at, _)| {
            !w.is_ascii()
                || !folded[at + w.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
        })
    };
    // "以 #3 為準": the post named by its number is the answer; not a phone menu's "以#号键结束".
    let post_named = folded.contains("为准")
        && ["以#", "以 #"].iter().any(|w| {
            folded
                .split(w)
                .nth(1)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        });
    // "Update：今年三月開始…", "Edit: Mod is right" open a later word; "Last update: …",
    // 最后更新：… are a page's edit stamp (round 42).
    let later_word = LATER_WORDS.iter().any(|w| {
        folded.match_indices(w).any(|(at, _)| {
            let before = folded[..at].trim_end();
            !["last", "最后", "本页"].iter().any(|s| before.ends_with(s))
        })
    });
    post_named || later_word || CORRECTIONS.iter().any(|w| said(w))
}

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
    use crate::extract::reading::{Audience, audience_of, kept_for_some};
    if e.stance != Stance::Online {
        return Audience::Theirs;
    }
    let folded = crate::extract::normalise::for_matching(&e.sentence);
    if !audience.is_empty() {
        audience_of(&folded, audience, group)
    } else if e.products.is_empty() && kept_for_some(&folded) {
        Audience::KeptForOthers
    } else {
        Audience::Theirs
    }
}

/// Words of a post's line that name the carrier's own account, after the fold ("Clover_Ciara ·
/// Clover Team", "#4 csl. 客戶服務團隊官方 · 2025-01-09", "5楼 中国移动客服(官方认证)").
const OFFICIAL: [&str; 9] = [
    " team",
    "staff",
    "moderator",
    "official",
    "官方",
    "客服团队",
    "客户服务团队",
    "客服代表",
    "版主",
];

/// Longest line (in characters) read as a post's line: who wrote it and when ("SkyLink_Moderator
/// (SkyLink staff) · 4 March · Accepted solution", round 47).
const POST_LINE_CHARS: usize = 80;

/// How many of the carrier's replies, latest first, are looked at for one that answers: each
/// is matched against the page's statements.
const OFFICIAL_REPLIES: usize = 8;

/// How many blocks after its post line a reply may run.
const REPLY_BLOCKS: usize = 6;

/// Is block text `t` a post's line (who posted, when): a short line with a separator, a post's
/// number or a time?
fn post_line(t: &str) -> bool {
    // Only a short line is read further (a page's long blocks are not scanned here).
    if t.chars().nth(POST_LINE_CHARS).is_some() {
        return false;
    }
    let time = t
        .as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
    t.contains('·') || t.contains('#') || t.contains('楼') || t.contains('樓') || time
}

/// Is block text `t` a poster's name with their role in brackets, on a line of its own
/// ("Wattle_Jess (Wattle Moderator)", round 47)?
fn role_label(t: &str) -> bool {
    let t = t.trim();
    t.chars().nth(POST_LINE_CHARS).is_none()
        && (t.ends_with(')') && t.contains('(') || t.ends_with('）') && t.contains('（'))
}

/// The statements of the latest reply in a thread by the carrier's own account: the blocks
/// after a post line that names it ([`OFFICIAL`]), up to the next post line or
/// [`REPLY_BLOCKS`] blocks. None when no such reply holds a statement.
fn official_reply<'e>(blocks: &[String], service: &[&'e Evidence]) -> Option<Vec<&'e Evidence>> {
    // Not an article's byline ("By the PlanCompare team · Updated 3 February 2025", 45ak/21).
    let names_official = |t: &str| {
        let f = crate::extract::normalise::for_matching(t);
        OFFICIAL.iter().any(|w| f.contains(w))
            && !["by ", "written by", "作者"]
                .iter()
                .any(|w| f.trim_start().starts_with(w))
    };
    // The reply starts under its post line, or in the block itself where a speaker's label
    // names the carrier: "4楼（中国电信客服官方账号）：您好，2楼的说法是以前的规则…" (46bk/16).
    // A speaker's label is read first: "3楼(星河通信官方账号):您好,…" is short enough to be a
    // post line, but the reply is in the block itself.
    let reply_start = |b: usize, t: &str| match crate::extract::reading::speaker_split(t) {
        Some((label, _)) if names_official(label) => Some(b),
        _ => ((post_line(t) || role_label(t)) && names_official(t)).then_some(b + 1),
    };
    blocks
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(b, t)| reply_start(b, t).map(|start| (b, start)))
        .take(OFFICIAL_REPLIES)
        .find_map(|(b, start)| {
            let end = (b + 1..blocks.len().min(b + 1 + REPLY_BLOCKS))
                // An inline reply ends where the next speaker's does.
                .find(|&x| {
                    blocks.get(x).is_some_and(|t| {
                        post_line(t)
                            || start == b && crate::extract::reading::speaker_split(t).is_some()
                    })
                })
                .unwrap_or_else(|| blocks.len().min(b + 1 + REPLY_BLOCKS));
            let own: Vec<&Evidence> = service
                .iter()
                .copied()
                .filter(|e| (start..end).contains(&e.block) && e.stance != Stance::Related)
                .collect();
            (!own.is_empty()).then_some(own)
        })
}

/// Labels of a later word in a thread, after the fold ([`corrects`]).
const LATER_WORDS: [&str; 3] = ["update:", "edit:", "更新:"];

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
    // Statements of a section the page marks as replaced, marked once: the rule below sets
    // them aside, and their label says so.
    if page.replaces_any() {
        for e in evidence.iter_mut() {
            e.replaced = page.replaced(e.block);
        }
    }
    // A sentence that withdraws an old rule by quoting it ("原公告中“仅限营业厅办理”的规定同时
    // 废止", "下方原說明中「僅限門市辦理」之規定…不再適用") says nothing of today (round 47).
    let service: Vec<&Evidence> = evidence
        .iter()
        .filter(|e| {
            e.ending == Ending::Service
                && !crate::extract::context::replaced::withdraws(&e.sentence)
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
    if verdict != Verdict::Unknown && page.replaces_any() {
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
            .find(|s| corrects(&s.folded))
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
    // contradiction (round 40).
    let replacing = || {
        page.sentences
            .iter()
            .find(|s| SUPERSEDES.iter().any(|w| s.folded.contains(w)))
            .and_then(|s| page.section_head(s.block))
    };
    // Dated notices ("Posted 3 January 2023": cancel in the app; "Posted 12 September 2023":
    // only at our counter): the latest answers, when every statement stands in a dated notice
    // and that one alone says yes or no (round 40). Counted against each other, an older offer
    // repeated could outnumber the newer refusal.
    let section = match verdict {
        Verdict::Conflicting => replacing().or_else(|| latest_notice(&page, &service)),
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
    if let Some(title) = page.title_kind()
        && answering
            .iter()
            .any(|e| of_another_kind(e, &title) && e.stance != Stance::Related)
        && page.title_is_sole()
    {
        let own: Vec<&Evidence> = answering
            .iter()
            .copied()
            .filter(|e| !of_another_kind(e, &title))
            .collect();
        let (v, _) = answer(&own);
        if matches!(v, Verdict::Supported | Verdict::NotSupported) && v != verdict {
            verdict = v;
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
    }
    // A page written for one group of customers (its title names them: passport holders, 副卡,
    // accounts in arrears, data cards) answers for them: an online way kept for others ("only
    // available to subscribers registered with a National ID") is not theirs, and no
    // contradiction of the refusal they get; one they are shut out of ("not available for
    // passport-registered accounts", 欠费停机状态的号码无法使用APP线上销户) refuses them, where the
    // rest of the page gives no way (round 45's reviews).
    let mut set_apart = None;
    if matches!(verdict, Verdict::Conflicting | Verdict::Supported)
        && page.title_is_sole()
        && let Some((audience, group)) = page.title_audience()
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
            set_apart = Some((audience, group));
        }
    }
    // Without a group named by the page, an online way the page itself keeps for some customers
    // ("App的「終止計劃」只開放給合約期已屆滿的客戶", "is shown only to the account holder",
    // "仅适用于个人手机号码") beside a refusal does not contradict it: the page says why its
    // reader cannot use the way (round 46's waves). Only where that leaves a plain refusal,
    // and not a way kept for a product ("eSIM only"), which answers per product.
    if verdict == Verdict::Conflicting && set_apart.is_none() {
        let own: Vec<&Evidence> = answering
            .iter()
            .copied()
            .filter(|e| {
                statement_audience(e, &[], false)
                    != crate::extract::reading::Audience::KeptForOthers
            })
            .collect();
        if own.len() < answering.len() && answer(&own).0 == Verdict::NotSupported {
            verdict = Verdict::NotSupported;
            answering = own;
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
    Assessment {
        verdict,
        evidence,
        cancellation_blocks,
        qualified: (qualified != Verdict::Unknown && qualified != verdict).then_some(qualified),
        addon: (addon != Verdict::Unknown).then_some(addon),
        products,
        answered_by: answered_by.and_then(|b| later_word(blocks, b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assessed(blocks: &[&str]) -> Assessment {
        let blocks: Vec<String> = blocks.iter().map(|s| s.to_string()).collect();
        assess(Lexicon::builtin(), &blocks)
    }

    fn verdict(blocks: &[&str]) -> Verdict {
        assessed(blocks).verdict
    }

    #[test]
    fn a_later_word_that_answers_is_named() {
        // Round 42: an update over undated steps; a page without one names none.
        let a = assessed(&[
            "You can cancel the service online in My Account.",
            "Update – 3 March 2026: online cancellation has been withdrawn. Please visit a shop.",
        ]);
        assert_eq!(a.verdict, Verdict::NotSupported);
        assert!(
            a.answered_by
                .as_deref()
                .is_some_and(|t| t.starts_with("Update – 3 March 2026")),
            "{:?}",
            a.answered_by
        );
        let plain = assessed(&["You can cancel the service online in My Account."]);
        assert_eq!(plain.answered_by, None);
    }

    /// Round 39's walk-through: on a page where "You:" speaks, "Maya (Demo):" is a speaker too,
    /// not a product; two agents who disagree contradict each other.
    #[test]
    fn speakers_of_a_dialogue_are_no_products() {
        let chat = assessed(&[
            "You: I'd like to cancel my SIM-only plan. I don't need a PAC.",
            "Maya (Demo): Hi! I can do that for you here.",
        ]);
        assert_eq!(chat.verdict, Verdict::Supported);
        assert!(chat.products.is_empty());
        let thread = assessed(&[
            "You: Can I cancel online?",
            "Ann (Demo): Yes, you can cancel your plan in the app.",
            "Bob (Demo): No, plans cannot be cancelled in the app, please call 150.",
        ]);
        assert_eq!(thread.verdict, Verdict::Conflicting);
    }

    /// Plain statements one sentence long, in the three scripts, in the wording carriers and
    /// help pages use (round 21's probes, written for this test): each gets the verdict any
    /// reader gives. Three of them failed until the terms they needed were added ("by logging
    /// in to your account", "post it to us", 以書面形式通知本公司).
    #[test]
    fn plain_statements_get_the_plain_verdict() {
        let supported = [
            "Visit https://example.com/cancel to cancel your plan.",
            "Complete the form at example.com/cancel to end your plan.",
            "You may terminate your service via the My3 app.",
            "閣下可透過MyCSL網上提交終止服務申請。",
            "Customers may submit termination requests through our online customer portal at least 30 days in advance.",
            "Cancel anytime in the app.",
            "You can cancel at any time by logging in to your account.",
            "Simply log in and click Cancel plan.",
            "你可以在App内一键注销。",
            "可登录网上营业厅申请销户。",
            "You can end your contract online via My Vodafone.",
            "Send us an email to cancel your subscription.",
            "To cancel, fill in the online form.",
            "可於網路門市線上申請退租。",
            "You can request a disconnection through live chat.",
            "eSIM plans can be cancelled online in the app.",
            "Cancellation can be requested through WhatsApp.",
            "客戶可透過電郵向本公司提出終止服務。",
        ];
        let not_supported = [
            // From a second helper's 150 probes: a way withdrawn, the reader told not to use
            // it, a call to have it done (咨询办理).
            "網上退租服務已停止提供，請親臨門市辦理。",
            "线上销户功能已下线，请到线下营业厅办理。",
            "Please do not email us to cancel. All cancellations must be made by phone.",
            "如需注销号码，请拨打10086咨询办理。",
            "Online cancellation is not available for prepaid SIM cards.",
            "Termination requests must be submitted in person at any of our shops.",
            "如欲終止服務，請親臨本公司任何一間門市辦理。",
            "恕不接受網上終止服務申請。",
            "客戶可致電客戶服務熱線1000要求終止服務。",
            "To terminate your mobile service, please complete the Disconnection Request Form and return it by fax or by post.",
            "You can't cancel your plan through the app; please contact us on 1234 5678.",
            "Cancellation isn't possible online.",
            "Online cancellation is unavailable.",
            "There is no online option to cancel.",
            "You'll need to call us to cancel.",
            "You have to visit a store to cancel.",
            "我们不支持在线注销，请携带身份证到营业厅。",
            "目前仅支持线下营业厅办理销户。",
            "Please note that we are unable to process cancellations via email. Please call 1234 5678 to cancel.",
            "Cancellation requests by email will not be accepted; please visit a store to cancel.",
            "We're sorry, but cancellations can't be made online.",
            "Unfortunately, it's not possible to cancel online.",
            "It is not possible to cancel your contract online; you must call us.",
            "Contracts can only be cancelled by phone.",
            "To cancel, fill in the form and post it to us.",
            "退租需本人攜帶證件至門市辦理。",
            "門號退租無法於線上辦理，請洽各直營門市。",
            "網上不能辦理銷戶，須到營業廳。",
            "Disconnection requests are handled by our hotline only.",
            "The cancellation must be done in store.",
            "Online termination is not supported at this time.",
            "We do not currently offer online cancellation.",
            "Cancelling online isn't an option.",
            "如需取消服務，客戶須於30日前以書面形式通知本公司。",
        ];
        // Cancelling something else, even online, says nothing about the line.
        for s in [
            "You can cancel your Netflix subscription in the app; this won't affect your mobile plan.",
            "You can cancel a scheduled plan change online before it takes effect.",
            "Official cancellation page: https://example.com/terms",
        ] {
            assert_eq!(verdict(&[s]), Verdict::Unknown, "{s}");
        }
        let wrong: Vec<String> = supported
            .iter()
            .map(|s| (s, Verdict::Supported))
            .chain(not_supported.iter().map(|s| (s, Verdict::NotSupported)))
            .filter_map(|(s, want)| {
                let got = verdict(&[s]);
                (got != want).then(|| format!("{s}: wanted {want:?}, got {got:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn a_threads_official_reply_is_looked_for_among_the_latest_few() {
        let reply = statement(
            1,
            "Plans can't be cancelled in the app.",
            Stance::NegatedOnline,
        );
        let mut blocks = vec!["Ana · Kestrel Team".to_string(), reply.sentence.clone()];
        let service = [&reply];
        assert_eq!(official_reply(&blocks, &service).map(|v| v.len()), Some(1));
        // A long line is no post's line, whoever it names.
        blocks[0] = format!("Ana · Kestrel Team {}", "x".repeat(POST_LINE_CHARS));
        assert!(official_reply(&blocks, &service).is_none());
        // Later replies of the team that say nothing: only the latest few are read.
        blocks[0] = "Ana · Kestrel Team".to_string();
        for _ in 0..OFFICIAL_REPLIES {
            blocks.push("Ben · Kestrel Team".to_string());
            blocks.push("Thanks for your patience!".to_string());
        }
        assert!(official_reply(&blocks, &service).is_none());
        blocks.truncate(2 + 2 * (OFFICIAL_REPLIES - 1));
        assert_eq!(official_reply(&blocks, &service).map(|v| v.len()), Some(1));
    }

    #[test]
    fn a_refusal_that_lists_the_ways_contradicts_however_often_they_are_offered() {
        assert!(refuses_ways(
            "Cancellation requests can't be processed online or in the app."
        ));
        assert!(refuses_ways(
            "本公司不會接受透過應用程式、網站或電話提出之終止要求。"
        ));
        assert!(!refuses_ways("Business lines cannot be cancelled online."));
        // Whole words: an application is no app.
        assert!(!refuses_ways("Online applications cannot be withdrawn."));
        assert_eq!(
            verdict(&[
                "Close your number in the app",
                "Open the app and tap Me.",
                "Tap Close my number and confirm.",
                "The app, website and hotline do not accept closure requests.",
            ]),
            Verdict::Conflicting
        );
    }

    #[test]
    fn an_online_way_offered_in_more_blocks_than_it_is_denied_is_an_exception() {
        let guide = [
            "You can cancel your line online in the app.",
            "Lines on a business plan cannot be cancelled online.",
            "Open the app and choose Cancel my line to end the service.",
        ];
        assert_eq!(verdict(&guide), Verdict::Supported);
        // Neighbouring blocks are one offer (the steps of one procedure, round 33's reviews):
        // against one denial, a contradiction.
        assert_eq!(
            verdict(&[guide[0], guide[2], guide[1]]),
            Verdict::Conflicting
        );
        // One yes and one no, in as many blocks: a contradiction.
        assert_eq!(verdict(&[guide[0], guide[1]]), Verdict::Conflicting);
        // Two sentences of one block count once.
        assert_eq!(
            verdict(&[&format!("{} {}", guide[0], guide[2]), guide[1]]),
            Verdict::Conflicting
        );
        // Offers for another product do not outweigh a contradiction about this one.
        assert_eq!(
            verdict(&[
                "You can cancel your plan online.",
                "Plans cannot be cancelled online.",
                "eSIM customers can also cancel in the app.",
            ]),
            Verdict::Conflicting
        );
    }

    #[test]
    fn an_offline_way_demanded_more_often_than_an_online_one_is_offered_answers() {
        // Modelled on zhs-2773: the heading and the body say closing must be done offline; one
        // step mentions sending the wish to close online first.
        let demanded = [
            "Cancelling broadband must be done in person at a service hall.",
            "The line can only be cancelled at the counter, because the modem is checked there.",
            "You may tell us online that you wish to cancel.",
        ];
        assert_eq!(verdict(&demanded), Verdict::NotSupported);
        // Offered more often than demanded: the online way is the answer.
        let offered = [
            "You can cancel your account online in My Account.",
            "Cancelling online takes a minute in the app.",
            "Lines can only be cancelled at a shop when a device is owed.",
        ];
        assert_eq!(verdict(&offered), Verdict::Supported);
        // As often offered as demanded: the demand may be for some customers only ("Business
        // customers must cancel in store"); the online way stands.
        let tie = [
            "You can cancel your plan online in My Account.",
            "Business customers must cancel in store.",
        ];
        assert_eq!(verdict(&tie), Verdict::Supported);
        // A shop merely named beside the online way denies nothing, however often.
        let named = [
            "You can cancel your account online in My Account.",
            "You can also cancel at a shop.",
            "Our shops can cancel accounts too.",
        ];
        assert_eq!(verdict(&named), Verdict::Supported);
    }

    #[test]
    fn a_sole_offline_way_or_a_denial_of_every_online_way_contradicts_an_offer() {
        // Round 38's reviews: app steps against a footnote that makes the shop the only way.
        let steps = [
            "Open the app and choose End service.",
            "Confirm with the code we text you to end the service.",
            "Ending a service is only accepted in person at one of our stores.",
        ];
        assert_eq!(verdict(&steps), Verdict::Conflicting);
        // The demand is the key sentence, so the email shows what the offer is against.
        let a = assessed(&steps);
        assert_eq!(
            a.key_sentence().map(|e| e.sentence.as_str()),
            Some(steps[2])
        );
        // The same demand without "only" is outnumbered by the offer, as before.
        let plain = [
            steps[0],
            steps[1],
            "Ending a service must be done in person at a store.",
        ];
        assert_eq!(verdict(&plain), Verdict::Supported);
        // "Only … when": a case, not the only way.
        let case = [
            steps[0],
            steps[1],
            "Ending a service is only accepted in person when a device payment is owed.",
        ];
        assert_eq!(verdict(&case), Verdict::Supported);
        // Every online way refused, against an offer named twice.
        let any = [
            "You can end your service online in My Account.",
            "Use the online form below to end your service.",
            "We do not accept requests to end a service through any online channel.",
        ];
        assert_eq!(verdict(&any), Verdict::Conflicting);
        assert!(sole_way("Termination is accepted by telephone only."));
        // Round 39: the case that names the way itself, other channels refused; a case that
        // restricts stays none.
        assert!(sole_way(
            "A request to terminate is only effective when made by telephone."
        ));
        assert!(sole_way("通过其他渠道提交的销户申请，我司不予受理。"));
        assert!(!sole_way("只有以下情况仍需线下："));
        // The read-through of round 39: other channels with a demand, a condition that is no
        // way, an early exit.
        assert!(!sole_way(
            "Cancellations through any other channel must be made in person at a store."
        ));
        assert!(!sole_way(
            "A cancellation made in a store is only effective when you return the router."
        ));
        assert!(!sole_way(
            "Cancelling a contract early can only be done in store."
        ));
        assert!(corrects("sorry 我记错咗,以 #3 为准"));
        assert!(!corrects("楼上说的不对"));
        assert!(!corrects("输入服务密码并以#号键结束"));
        assert!(!corrects("i was wrongly billed last month"));
        assert!(corrects("sorry, i was wrong, you do have to call"));
        // Round 42: a thread's later word, not a page's edit stamp.
        assert!(corrects(
            "推 mobilecat: 更新:刚打给客服确认,app 现在已经没有退租功能了"
        ));
        assert!(corrects("edit: mod is right, ignore my post above"));
        assert!(!corrects("last update: 12 aug 2025"));
        assert!(!corrects("最后更新:2025年8月12日"));
        assert!(!sole_way("Termination is not only accepted in store."));
        // Round 40: every request the one way; every other means refused in the next sentence.
        assert!(sole_way(
            "All termination requests must be made in person at a Kite Hub."
        ));
        assert!(sole_way("現時所有終止服務申請須由登記客戶親身到門市辦理。"));
        let footnote = [
            "You can end your line in the Kite app.",
            "Termination requests must be made in person at a Kite Hub. Requests made by other \
             means will not be processed.",
        ];
        assert_eq!(verdict(&footnote), Verdict::Conflicting);
        let alone = [
            "You can end your line in the Kite app.",
            "Termination requests must be made in person at a Kite Hub. Bring your ID.",
        ];
        assert_eq!(verdict(&alone), Verdict::Supported);
        assert!(universal("概不接受任何經網上途徑提出的要求"));
        assert!(!universal("網上途徑不受理"));
    }

    #[test]
    fn an_evidence_line_names_the_product_it_answers_for() {
        let blocks = [
            "eSIM customers can cancel their plan online in the app.".to_string(),
            "Prepaid customers must visit a shop to cancel their plan.".to_string(),
        ];
        let a = assess(Lexicon::builtin(), &blocks);
        let labels: Vec<String> = a.deciding().map(Evidence::label).collect();
        assert_eq!(
            labels,
            ["online, for eSIM", "offline required, for prepaid"]
        );
        let long = Evidence {
            products: vec!["x".repeat(MAX_LABEL_PRODUCT_CHARS + 5)],
            ..a.evidence[0].clone()
        };
        assert_eq!(
            long.label(),
            format!("online, for {}…", "x".repeat(MAX_LABEL_PRODUCT_CHARS))
        );
    }

    /// Versions stored before products were a list kept them joined in one string under
    /// `product`; they still read as the products, and a statement for every line as none.
    #[test]
    fn stored_products_read_from_either_form() {
        let e = Evidence {
            products: vec!["eSIM".into(), "prepaid".into()],
            ..assess(
                Lexicon::builtin(),
                &["Cancel your plan online.".to_string()],
            )
            .evidence[0]
                .clone()
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["products"], serde_json::json!(["eSIM", "prepaid"]));
        assert_eq!(serde_json::from_value::<Evidence>(json.clone()).unwrap(), e);
        let mut old = json.clone();
        let obj = old.as_object_mut().unwrap();
        obj.remove("products");
        obj.insert("product".into(), "eSIM / prepaid".into());
        assert_eq!(serde_json::from_value::<Evidence>(old).unwrap(), e);
        let mut none = json;
        none.as_object_mut().unwrap().remove("products");
        let every = serde_json::from_value::<Evidence>(none).unwrap();
        assert!(every.products.is_empty());
        assert_eq!(serde_json::to_value(&every).unwrap().get("products"), None);
    }

    /// The review of round 16: pages where round 15 was right and round 16's first rules were
    /// not. Pointers drop only what they govern, words that are places as well as pages stay
    /// out, a sentence with its own purpose takes no subject, and conditions stay conditions.
    #[test]
    fn round_16_review_pages_keep_their_answers() {
        use Verdict::*;
        let cases: [(&[&str], Verdict); 19] = [
            (
                &[
                    "Ending your plan",
                    "Click here for more information on our disconnection process.",
                ],
                Unknown,
            ),
            (
                &[
                    "How do I cancel my broadband?",
                    "Submit your cancellation request online through My Account and you'll receive an email confirming the date your service will end.",
                ],
                Supported,
            ),
            (
                &[
                    "Cancelling your mobile plan",
                    "Visit our website for more details and to cancel your plan online.",
                ],
                Supported,
            ),
            (
                &[
                    "Cancelling your home phone",
                    "Call us on 1300 000 000 for more information or to cancel your service.",
                ],
                NotSupported,
            ),
            (
                &[
                    "Cancel your service",
                    "Log in to My Account to see if you're still in contract and cancel your plan from the Services tab.",
                ],
                Supported,
            ),
            (
                &[
                    "Cancelling your NBN service",
                    "Cancel online in My Account and print your return label for the modem.",
                ],
                Supported,
            ),
            (
                &[
                    "How to cancel your contract",
                    "Log in to the customer portal and click on the section My Services, then choose Cancel contract.",
                ],
                Supported,
            ),
            (
                &[
                    "Re: how do I cancel?",
                    "You can look on the website under Account Settings where there is a Cancel Service button.",
                ],
                Supported,
            ),
            (
                &[
                    "終止流動電話服務",
                    "如欲了解更多詳情或於網上終止服務，請瀏覽 My Account。",
                ],
                Supported,
            ),
            (
                &[
                    "Cancelling your mobile service",
                    "Mobile services can only be cancelled in person. Please visit the customer area at any of our stores with photo ID.",
                ],
                NotSupported,
            ),
            (
                &[
                    "How to cancel",
                    "To cancel, browse to the Contact Us page and call our retentions team on 1300 000 000.",
                ],
                NotSupported,
            ),
            (
                &[
                    "流量卡常见问题",
                    "本店铺售出的流量卡如需注销，请联系运营商办理。",
                ],
                Unknown,
            ),
            (
                &[
                    "3G network closure",
                    "Our 3G network will be discontinued on 30 June 2024. Please visit our website to choose a new 4G phone.",
                ],
                Unknown,
            ),
            (
                &[
                    "Moving home",
                    "If you are moving abroad you may cancel your contract without an early termination fee. You will need to log in to My Account and update your address so we can send your final bill.",
                ],
                Unknown,
            ),
            (
                &[
                    "Porting your number to us",
                    "When you switch, your old provider will cancel your previous service automatically. You need to log in to our app to activate your new SIM.",
                ],
                Unknown,
            ),
            (
                &[
                    "Can I cancel online?",
                    "After you click Confirm in the app your plan is cancelled at the end of the billing month.",
                ],
                Supported,
            ),
            (
                &[
                    "Prepaid SIM",
                    "Prepaid SIM cards cannot be cancelled and any outstanding credit will expire after 180 days.",
                ],
                Unknown, // round 18: a refusal alone says whether, not how
            ),
            // Round 17: a refusal within the contract term says when, not how (REPORT, "Round
            // 17"); this review had it as a denial.
            (
                &["提前解約", "在合約期內，本公司不會考慮取消合約的要求。"],
                Unknown,
            ),
            (
                &[
                    "Cancellation confirmation",
                    "We will send you a written statement confirming your cancellation and the date your service ends.",
                ],
                Unknown,
            ),
        ];
        for (blocks, want) in cases {
            assert_eq!(verdict(blocks), want, "{blocks:?}");
        }
    }

    /// The second review of round 16: its pages, where round 15 was right and the first mends
    /// were not (an ending that befalls the reader, a verb of one's own after "you need to", a
    /// time after "after", a pointer's reach, a plan's name, charges or a text named beside a
    /// refusal).
    #[test]
    fn round_16_second_review_pages_keep_their_answers() {
        use Verdict::*;
        let cases: [(&[&str], Verdict); 21] = [
            (
                &[
                    "Prepaid expiry",
                    "Your prepaid service will be deactivated if you don't recharge within 120 days. You need to recharge online or at any of our stores.",
                ],
                Unknown,
            ),
            (
                &[
                    "Porting your number to us",
                    "When you switch, your old provider will cancel your previous service automatically. You need to activate your new SIM online in the app.",
                ],
                Unknown,
            ),
            (
                &[
                    "Overdue accounts",
                    "If your bill remains unpaid your service may be disconnected. Please call 1300 000 000 today.",
                ],
                Unknown,
            ),
            (
                &[
                    "3G network closure",
                    "Our 3G network will be switched off on 30 June and 3G-only services will be disconnected. Please contact us on 13 22 00 or visit a store.",
                ],
                Unknown,
            ),
            (
                &[
                    "Contract end",
                    "Your contract is cancelled automatically when you move to a new provider. You must return the modem to any of our stores.",
                ],
                Unknown,
            ),
            (
                &[
                    "Replacing a lost SIM",
                    "Your old SIM will be deactivated as soon as the replacement is ready. Please visit any of our stores with photo ID.",
                ],
                Unknown,
            ),
            (
                &[
                    "Moving overseas",
                    "If you move overseas your plan will be cancelled at the end of the month. You must update your address in My Account.",
                ],
                Unknown,
            ),
            (
                &[
                    "Re: Cancelling Telstra",
                    "After two weeks of waiting my service was cancelled online without any problem.",
                ],
                Supported,
            ),
            (
                &[
                    "Re: How long does cancellation take?",
                    "I did it last night and after a few minutes my account was cancelled through the app.",
                ],
                Supported,
            ),
            (
                &[
                    "Re: Cancelling Optus",
                    "Once I filled in the form my account was cancelled online the same day.",
                ],
                Supported,
            ),
            (
                &[
                    "Prepaid FAQ",
                    "If you are on a prepaid plan your service is cancelled by tapping Cancel service in the app.",
                ],
                Supported,
            ),
            (
                &[
                    "Terminating your contract",
                    "You may give notice at any time. Thereafter the contract is terminated by submitting the online form.",
                ],
                Supported,
            ),
            (
                &[
                    "How do I cancel my plan?",
                    "To cancel your plan, simply change your plan status to Do not renew in the My Vodafone app.",
                ],
                Supported,
            ),
            (
                &[
                    "Cancelling your service",
                    "You'll receive an email with a link to cancel your service online within 24 hours.",
                ],
                Supported,
            ),
            (
                &[
                    "Cancelling your mobile plan",
                    "Enter the PUK code printed on your SIM card when you cancel online via My Account.",
                ],
                Supported,
            ),
            (
                &[
                    "No lock-in contracts",
                    "You can cancel your Unlimited Calling 300 plan at any time with no exit fees.",
                ],
                Unknown,
            ),
            (
                &["預付卡條款", "預付卡售價已包括所有費用並不可取消或退款。"],
                Unknown, // round 18: a refusal alone says whether, not how
            ),
            (
                &["預付卡條款", "本文所述的預付卡不可取消或退款。"],
                Unknown, // round 18: a refusal alone says whether, not how
            ),
            (
                &[
                    "Terms for prepaid services",
                    "This section applies to prepaid mobile services that cannot be cancelled or refunded.",
                ],
                Unknown, // round 18: a refusal alone says whether, not how
            ),
            (
                &[
                    "Cancelling your plan",
                    "Open the app to see if you are still in contract then tap Cancel plan.",
                ],
                Supported,
            ),
            (
                &["终止服务", "登录APP了解更多后即可在线申请销户。"],
                Supported,
            ),
        ];
        for (blocks, want) in cases {
            assert_eq!(verdict(blocks), want, "{blocks:?}");
        }
    }

    /// Round 18: a refusal of the ending with no way named anywhere says whether, not how. It
    /// is still shown as evidence; a way named beside it, or an online way refused, answers.
    #[test]
    fn a_refusal_alone_is_shown_but_does_not_answer_how() {
        use Verdict::*;
        for refusal in [
            "Prepaid SIM cards cannot be cancelled once activated.",
            "預付卡一經啟用不可取消。",
            "合约期满前无法销户。",
        ] {
            let a = assessed(&[refusal]);
            assert_eq!(a.verdict, Unknown, "{refusal}");
            if !refusal.contains("合约期") {
                assert!(
                    a.evidence
                        .iter()
                        .any(|e| e.stance == Stance::NotCancellable),
                    "{refusal}: {:?}",
                    a.evidence
                );
            }
        }
        let cases: &[(&[&str], Verdict)] = &[
            (
                &[
                    "Prepaid SIM cards cannot be cancelled once activated.",
                    "To cancel a monthly plan, call our hotline on 1000.",
                ],
                NotSupported,
            ),
            (
                &["Prepaid SIM cards cannot be cancelled online."],
                NotSupported,
            ),
            (
                &[
                    "Prepaid SIM cards cannot be cancelled once activated.",
                    "Cancellation requests by email are not accepted.",
                ],
                NotSupported,
            ),
            (
                &[
                    "Prepaid SIM cards cannot be cancelled once activated.",
                    "Monthly plans can be cancelled in the app.",
                ],
                Supported,
            ),
        ];
        for (blocks, want) in cases {
            assert_eq!(verdict(blocks), *want, "{blocks:?}");
        }
    }

    /// The review of round 18: a refusal alone neither contradicts an online way, nor answers
    /// for a product, nor sums a page up ahead of the way that decides it.
    #[test]
    fn a_refusal_alone_stays_out_of_contradictions_products_and_the_key_sentence() {
        use Verdict::*;
        let a = assessed(&[
            "You can cancel your plan online in My Account.",
            "Bundles cannot be cancelled or refunded once bought.",
        ]);
        assert_eq!(a.verdict, Supported);
        let a = assessed(&[
            "Cancellation is not available in the app or in My Account.",
            "Prepaid services cannot be cancelled.",
        ]);
        assert_eq!(a.verdict, NotSupported);
        assert!(
            a.products.iter().all(|(_, v)| *v != Unknown),
            "{:?}",
            a.products
        );
        let a = assessed(&[
            "Prepaid SIM cards cannot be cancelled once activated.",
            "To cancel a monthly plan, please visit one of our stores.",
        ]);
        assert_eq!(a.verdict, NotSupported);
        assert_eq!(
            a.key_sentence().map(|e| e.stance),
            Some(Stance::OfflineOnly)
        );
        let a = assessed(&["Prepaid SIM cards cannot be cancelled once activated."]);
        assert_eq!(a.verdict, Unknown);
        assert_eq!(
            a.key_sentence().map(|e| e.stance),
            Some(Stance::NotCancellable)
        );
    }

    #[test]
    fn a_step_goes_on_the_run_its_list_started() {
        let set: BTreeSet<usize> = [4, 5, 7].into_iter().collect();
        assert_eq!(runs(&set, &BTreeMap::new()), 2);
        let starts: BTreeMap<usize, usize> = [(5, 4), (7, 4)].into_iter().collect();
        assert_eq!(runs(&set, &starts), 1);
        // A list that starts after the gap does not join the run before it.
        let starts: BTreeMap<usize, usize> = [(7, 7)].into_iter().collect();
        assert_eq!(runs(&set, &starts), 2);
    }

    #[test]
    fn a_weak_online_mention_yields_to_an_offline_way_said_for_the_ending() {
        let weak = Evidence {
            block: 1,
            sentence: "You can also send us a transfer form by email.".into(),
            concepts: vec!["online".into()],
            stance: Stance::Online,
            context: Vec::new(),
            ending: Ending::Service,
            qualified: false,
            products: Vec::new(),
            weak: true,
            reachable: false,
            procedure: None,
            others_refused: false,
            replaced: false,
        };
        let phone = Evidence {
            block: 0,
            sentence: "Cancel by calling us.".into(),
            concepts: vec!["terminate".into(), "offline".into()],
            stance: Stance::OfflineOnly,
            weak: false,
            ..weak.clone()
        };
        assert_eq!(decide([&weak, &phone].into_iter()), Verdict::NotSupported);
        // Alone, or beside an offline way that does not name the ending, it is still an offer.
        assert_eq!(decide([&weak].into_iter()), Verdict::Supported);
        let shop = Evidence {
            concepts: vec!["offline".into()],
            ..phone.clone()
        };
        assert_eq!(decide([&weak, &shop].into_iter()), Verdict::Supported);
        // A strong offer is not touched.
        let strong = Evidence {
            weak: false,
            ..weak.clone()
        };
        assert_eq!(decide([&strong, &phone].into_iter()), Verdict::Supported);
        // It says so where it is shown.
        assert_eq!(weak.label(), "online, in passing");
    }

    /// The review of round 17: pages where round 16 was right and round 17's first rules were
    /// not ("but also", words inside "yearly"/"nearly", 提前 as "in advance", 已决定, "were to",
    /// a time before "and check", a verb clause after 、, 绑定合约, payments, "found on our
    /// website", an email address's own words).
    #[test]
    fn round_17_review_pages_keep_their_answers() {
        use Verdict::*;
        let cases: [(&[&str], Verdict); 21] = [
            // p02
            (
                &[
                    "Cancelling your mobile plan",
                    "You can do this online in My Account, but you can also call us on 0800 123 456 to cancel.",
                ],
                Supported,
            ),
            // p04
            (
                &[
                    "宽带销户",
                    "您可以登录网上营业厅办理，但也可以携带身份证到营业厅办理销户。",
                ],
                Supported,
            ),
            // r07
            (
                &[
                    "終止服務",
                    "您可於網上客戶服務中心辦理，但亦可親臨門市申請終止服務。",
                ],
                Supported,
            ),
            // r08
            (
                &[
                    "Ending your broadband",
                    "The quickest way is our online form, however you can also end your contract at any of our stores.",
                ],
                Supported,
            ),
            // p05
            (
                &["Cancellation policy", "Yearly plans cannot be cancelled."],
                Unknown, // round 18: a refusal alone says whether, not how
            ),
            // p06
            (
                &[
                    "Cancellation policy",
                    "As clearly stated in our terms, prepaid mobile services cannot be cancelled.",
                ],
                Unknown, // round 18: a refusal alone says whether, not how
            ),
            // q09
            (
                &[
                    "Cancellation",
                    "Nearly all of our prepaid bundles cannot be cancelled once bought.",
                ],
                Unknown, // round 18: a refusal alone says whether, not how
            ),
            // q10
            (
                &[
                    "Cancellation",
                    "Early Bird plans cannot be cancelled or refunded.",
                ],
                Unknown, // round 18: a refusal alone says whether, not how
            ),
            // q13
            (
                &[
                    "退訂須知",
                    "儲值卡一經售出不能取消，請於購買前提前查閱條款。",
                ],
                Unknown, // round 18: a refusal alone says whether, not how
            ),
            // p08
            (
                &["销户办理", "如果您已决定销户，请登录中国移动APP提交申请。"],
                Supported,
            ),
            // p08d
            (
                &["終止服務", "若閣下已決定解約，可於網路門市線上申請。"],
                Supported,
            ),
            // p07
            (
                &[
                    "Cancelling your contract",
                    "If you were to cancel your contract, you can do so online via My Account.",
                ],
                Supported,
            ),
            // r09
            (
                &[
                    "Cancelling your contract",
                    "Log in to My Account before you cancel your contract and check whether you still owe anything.",
                    "To cancel, call us on 0800 123 456.",
                ],
                NotSupported,
            ),
            // r10
            (
                &[
                    "Cancelling your contract",
                    "Visit our website once you have decided to cancel your plan and find out your early exit fee.",
                    "Cancellations are handled by phone on 0800 123 456.",
                ],
                NotSupported,
            ),
            // r11
            (
                &[
                    "手机号码销户",
                    "办理销户前，请先解除第三方账号绑定、再登录中国移动APP提交申请。",
                ],
                Supported,
            ),
            // r14
            (
                &["宽带销户", "合约绑定期满后可登录APP办理销户。"],
                Supported,
            ),
            // r15b
            (
                &["終止服務", "綁定合約期滿後可於網路門市申請終止服務。"],
                Supported,
            ),
            // r13
            (
                &[
                    "Cancel your plan",
                    "Cancel online in My Account so that no further charges need to be paid.",
                ],
                Supported,
            ),
            // r16
            (
                &[
                    "Cancel your plan",
                    "Cancel online in My Account if you do not want to pay any more monthly charges.",
                ],
                Supported,
            ),
            // p12c
            (
                &[
                    "How to cancel",
                    "To cancel, submit the request form, found on our website.",
                ],
                Supported,
            ),
            // q06b
            (
                &[
                    "Cancelling your plan",
                    "To cancel, email us at cancel@happymobile.co.uk.",
                    "Important",
                    "Cancellation requests sent by email are not accepted.",
                ],
                Conflicting,
            ),
        ];
        for (blocks, want) in cases {
            assert_eq!(verdict(blocks), want, "{blocks:?}");
        }
    }

    #[test]
    fn a_refusal_of_email_alone_leaves_another_online_way_offered() {
        let portal =
            "You can cancel your service online by opening a ticket in the customer portal.";
        let no_email = "Cancellation requests sent by email are not accepted.";
        assert_eq!(verdict(&[portal, no_email]), Verdict::Supported);
        // Email is all that is offered: its refusal contradicts it.
        assert_eq!(
            verdict(&["You can cancel your service by email.", no_email]),
            Verdict::Conflicting
        );
        assert_eq!(
            verdict(&[no_email, "Please call us to cancel your service."]),
            Verdict::NotSupported
        );
        // A refusal of online ways in general still contradicts the portal.
        assert_eq!(
            verdict(&[
                portal,
                "Cancellation requests made online are not accepted."
            ]),
            Verdict::Conflicting
        );
    }

    #[test]
    fn round_14_traps_leave_a_channel_named_beside_them() {
        for s in [
            "In My Account you can view your billing history and cancel your plan online.",
            "Open the app, where you can find Cancel my plan under Settings, to end your plan online.",
        ] {
            assert_eq!(verdict(&[s]), Verdict::Supported, "{s}");
        }
        assert_eq!(
            verdict(&["Your billing history is available in the app after you cancel your plan."]),
            Verdict::Unknown
        );
    }

    /// A plain statement about the service, for tests that build evidence by hand.
    fn statement(block: usize, sentence: &str, stance: Stance) -> Evidence {
        Evidence {
            block,
            sentence: sentence.into(),
            concepts: Vec::new(),
            stance,
            context: Vec::new(),
            ending: Ending::Service,
            qualified: false,
            products: Vec::new(),
            weak: false,
            reachable: false,
            procedure: None,
            others_refused: false,
            replaced: false,
        }
    }

    #[test]
    fn many_offers_against_one_denial_are_counted_in_one_pass() {
        let offer = statement(0, "Cancel online in the app.", Stance::Online);
        let mut all: Vec<Evidence> = (0..50_000)
            .map(|i| Evidence {
                block: i % 2 * 2,
                ..offer.clone()
            })
            .collect();
        // A denial of one way: one that lists the ways refuses them for everyone (see
        // `refuses_ways`).
        all.push(Evidence {
            block: 4,
            sentence: "Business lines cannot be cancelled online.".into(),
            stance: Stance::NegatedOnline,
            ..offer.clone()
        });
        // Two blocks apart offer, one denies: an exception, however many sentences repeat the
        // offer.
        assert_eq!(decide(all.iter()), Verdict::Supported);
        all.push(Evidence {
            block: 6,
            stance: Stance::NotCancellable,
            ..offer
        });
        assert_eq!(decide(all.iter()), Verdict::Conflicting);
    }

    #[test]
    fn thousands_of_named_products_are_answered_each_once() {
        let blocks: Vec<String> = (0..3000)
            .map(|i| format!("Plan {i:04}: you can terminate the service online."))
            .chain(["Plan X: the service cannot be terminated online.".to_string()])
            .collect();
        let a = assess(Lexicon::builtin(), &blocks);
        assert_eq!(a.verdict, Verdict::Supported);
        assert_eq!(a.products.len(), 3001);
        assert_eq!(a.products[0], ("Plan 0000".to_string(), Verdict::Supported));
        assert_eq!(
            a.products.last(),
            Some(&("Plan X".to_string(), Verdict::NotSupported))
        );
    }

    fn products(blocks: &[&str]) -> Vec<(String, Verdict)> {
        let blocks: Vec<String> = blocks.iter().map(|b| b.to_string()).collect();
        assess(Lexicon::builtin(), &blocks).products
    }

    #[test]
    fn each_product_is_answered_as_the_page_is() {
        let v = |s: &str| (s.to_string(), Verdict::Supported);
        let n = |s: &str| (s.to_string(), Verdict::NotSupported);
        assert_eq!(
            products(&[
                "eSIM customers can cancel their plan online in the app.",
                "Prepaid customers must visit a shop to cancel their plan.",
            ]),
            [v("eSIM"), n("prepaid")]
        );
        // The third person of "end your plan", as help pages write of customers.
        assert_eq!(
            products(&[
                "eSIM customers can end their plan online in the app.",
                "Prepaid customers must visit a shop to end their plan.",
            ]),
            [v("eSIM"), n("prepaid")]
        );
        // A denial for some of one product's services qualifies its answer, as it does the
        // page's: eSIM is answered `supported`, like the page, so no line is needed.
        assert_eq!(
            products(&["eSIM用户可在网上营业厅注销号码，部分业务暂不支持"]),
            []
        );
        // A shop named for one product does not take away the online way offered to all.
        assert_eq!(
            products(&[
                "You can cancel your plan online in My Account.",
                "Prepaid SIM cards can also be cancelled at any of our shops.",
            ]),
            []
        );
        // An address's colon labels no product.
        assert_eq!(
            products(&[
                "Go to https://my.example.com/cancel to end your plan online.",
                "Plans cannot be cancelled online.",
            ]),
            []
        );
        // Not when the statements for everyone contradict each other.
        assert_eq!(
            products(&[
                "You can cancel your plan online.",
                "Plans cannot be cancelled online.",
                "Prepaid SIM cards can also be cancelled at any of our shops.",
            ]),
            [n("prepaid")]
        );
        // An explicit denial for one product does.
        assert_eq!(
            products(&[
                "You can cancel your plan online in My Account.",
                "Prepaid SIM cards cannot be cancelled online.",
            ]),
            [n("prepaid")]
        );
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
    fn a_subject_in_the_same_block_is_shown_as_context() {
        let blocks = vec![
            "You do not need to visit a shop to end your plan. Just log in to My Account."
                .to_string(),
        ];
        let a = assess(Lexicon::builtin(), &blocks);
        assert_eq!(a.verdict, Verdict::Supported);
        let online = a
            .evidence
            .iter()
            .find(|e| e.stance == Stance::Online)
            .expect("an online line");
        assert_eq!(online.sentence, "Just log in to My Account.");
        assert_eq!(
            online.context,
            ["You do not need to visit a shop to end your plan."]
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
    fn a_channel_label_is_not_a_product() {
        let blocks = [
            "Phone: call us on 1000 to cancel your plan.".to_string(),
            "Web chat: cancel your plan in the live chat on our website.".to_string(),
            "Plan A: cancel the plan online in My Account.".to_string(),
        ];
        let a = assess(Lexicon::builtin(), &blocks);
        assert_eq!(a.verdict, Verdict::Supported);
        let named: Vec<&[String]> = a.evidence.iter().map(|e| e.products.as_slice()).collect();
        assert!(named.contains(&&["Plan A".to_string()][..]), "{named:?}");
        assert!(
            !named.iter().any(|p| p.contains(&"Phone".to_string())),
            "{named:?}"
        );
    }

    /// Steps under a heading that qualifies ("部分省份", "in some regions") hold for some: their
    /// line says so, and the shop for everyone does not take the online route away.
    #[test]
    fn a_qualified_heading_qualifies_the_steps_under_it() {
        let online_line = |heading: &str| {
            let html = format!(
                "<main><h2>到营业厅办理</h2><p>可用下面的方式申请关停号码:</p>\
                 <ul><li>带上身份证到营业厅办理</li></ul>\
                 <h2>{heading}</h2><ul><li>打开手机营业厅,进入\"业务办理\"</li>\
                 <li>选择\"销户\",按提示提交</li></ul></main>"
            );
            let url = "https://example.com/".parse().unwrap();
            let extractor = crate::extract::Extractor::new(&["main".to_string()], &[]).unwrap();
            let blocks = extractor.extract(&html, &url).unwrap();
            let a = assess_structured(Lexicon::builtin(), &blocks);
            assert_eq!(a.verdict, Verdict::Supported, "{heading}");
            let e = a.evidence.into_iter().find(|e| e.stance == Stance::Online);
            e.expect("an online line").qualified
        };
        assert!(online_line("网上办理(部分省份)"));
        assert!(!online_line("网上办理"));
    }

    /// Round 48 (a walk-through): on a page for a group, a sentence that turns from others'
    /// online way and sends the group to a shop is shown as the refusal it is for them, and
    /// sums the page up; a way only kept for others is shown as theirs.
    #[test]
    fn a_group_shut_out_is_shown_as_refused() {
        let html = "<main><h1>預付卡常見問題</h1>\
             <h3>我不想用預付卡了，可以在App上停用嗎？</h3>\
             <p>月租型門號雖然已開放在App線上退租，但預付卡門號須由本人到直營門市辦理停用。</p>\
             <h3>上網日租方案可以中途取消嗎？</h3><p>上網方案一經開通即無法取消。</p></main>";
        let url = "https://example.com/".parse().unwrap();
        let extractor = crate::extract::Extractor::new(&["main".to_string()], &[]).unwrap();
        let blocks = extractor.extract(html, &url).unwrap();
        let a = assess_structured(Lexicon::builtin(), &blocks);
        assert_eq!(a.verdict, Verdict::NotSupported);
        let key = a.key_sentence().expect("a key sentence");
        assert!(key.sentence.contains("但預付卡門號"), "{}", key.sentence);
        assert_eq!(key.label(), "online, negated");
    }

    /// Context look-ups made for every item read a bounded prefix of a heading (a page with a
    /// huge heading over thousands of items stays linear): a porting word at the start of a long
    /// heading is seen, the same word 300 characters in is not.
    #[test]
    fn a_heading_is_read_by_its_prefix() {
        let verdict_under = |heading: &str| {
            let html = format!(
                "<main><h2>{heading}</h2><ul><li>到新运营商营业厅办理入网并注销原SIM卡。</li></ul></main>"
            );
            let url = "https://example.com/".parse().unwrap();
            let extractor = crate::extract::Extractor::new(&["main".to_string()], &[]).unwrap();
            let blocks = extractor.extract(&html, &url).unwrap();
            assess_structured(Lexicon::builtin(), &blocks).verdict
        };
        let filler = "说明".repeat(150);
        assert_eq!(
            verdict_under(&format!("携号转网{filler}")),
            Verdict::Unknown
        );
        assert_eq!(
            verdict_under(&format!("{filler}携号转网")),
            Verdict::NotSupported
        );
    }

    /// Round 30 (a walk-through): the verdict box quotes three deciding sentences; the one the
    /// verdict rests on is among them however many come before it, and the rest are counted.
    #[test]
    fn the_sentences_shown_always_hold_the_one_the_verdict_rests_on() {
        let a = assessed(&[
            "To end your plan, call us on 1800 555 010.",
            "To end your broadband, visit any of our shops.",
            "To end your contract, please call 2888 0000.",
            "To end your mobile plan, you can also log in to My Account and choose Cancel plan.",
        ]);
        assert_eq!(a.verdict, Verdict::Supported);
        let (shown, left) = a.shown(3);
        assert_eq!((shown.len(), left), (3, 1));
        assert!(
            shown.iter().any(|e| e.stance == Stance::Online),
            "{shown:?}"
        );
        // In page order.
        assert!(
            shown[0].sentence.starts_with("To end your plan"),
            "{shown:?}"
        );
        assert!(shown[2].sentence.contains("My Account"), "{shown:?}");
        // A conflicting page shows the denial and the offer.
        let a = assessed(&[
            "To end your plan, call us on 1800 555 010.",
            "To end your broadband, visit any of our shops.",
            "Termination requests submitted online will not be accepted.",
            "You may terminate the service via our website.",
        ]);
        assert_eq!(a.verdict, Verdict::Conflicting);
        let (shown, left) = a.shown(2);
        assert_eq!(left, 2);
        let stances: Vec<Stance> = shown.iter().map(|e| e.stance).collect();
        assert_eq!(stances, [Stance::NegatedOnline, Stance::Online]);
        // Fewer than the cap: all of them, none left.
        let (shown, left) = a.shown(10);
        assert_eq!((shown.len(), left), (4, 0));
        assert_eq!(a.shown(0), (Vec::new(), 4));
    }

    /// Round 19: a narrow route refused is the key sentence only when nothing wider is said.
    #[test]
    fn a_narrow_refusal_yields_the_key_sentence_to_an_offline_way() {
        let a = assessed(&[
            "Our virtual assistant can't terminate your mobile service.",
            "To end your plan, call us on 1800 555 010.",
        ]);
        assert_eq!(a.verdict, Verdict::NotSupported);
        let key = a.key_sentence().expect("a key sentence");
        assert!(key.sentence.starts_with("To end your plan"), "{key:?}");
        let a = assessed(&[
            "Our virtual assistant can't terminate your mobile service.",
            "Plans cannot be cancelled online.",
            "To end your plan, call us on 1800 555 010.",
        ]);
        let key = a.key_sentence().expect("a key sentence");
        assert!(key.sentence.starts_with("Plans cannot"), "{key:?}");
        let a = assessed(&["Our virtual assistant can't terminate your mobile service."]);
        let key = a.key_sentence().expect("a key sentence");
        assert!(key.sentence.starts_with("Our virtual"), "{key:?}");
    }

    /// Round 19: the three cases the review of round 18 left open.
    #[test]
    fn the_review_of_round_18s_open_cases() {
        use Verdict::*;
        // Self-service refused: the online way is denied, and "contact us" is what is left.
        assert_eq!(
            verdict(&["You cannot cancel your service yourself. Please contact us."]),
            NotSupported
        );
        // A virtual assistant is an online channel; refusing it refuses that way.
        assert_eq!(
            verdict(&["Our Virtual Assistant cannot cancel your service."]),
            NotSupported
        );
        // A stop for a trip abroad is a suspension: shown as such, it decides nothing.
        let a = assessed(&[
            "出國停用申請",
            "如需出國期間暫停服務，請於網上提交停用申請。",
        ]);
        assert_eq!(a.verdict, Unknown, "{a:?}");
    }

    #[test]
    fn combine_shows_disagreement() {
        use Verdict::*;
        assert_eq!(Verdict::combine([Supported, Unknown]), Supported);
        assert_eq!(Verdict::combine([Supported, NotSupported]), Conflicting);
        assert_eq!(Verdict::combine([]), Unknown);
    }
}
