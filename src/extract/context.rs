//! Context: a sentence read in the place it stands on the page.
//!
//! A sentence that names a channel but not what it is for takes its subject from its context: a
//! list item from the sentence that introduces the list, its sibling steps or the heading above;
//! a table cell from its row and column headers; a sentence that refers back ("do so", 辦理方式)
//! or follows a question or a semicolon from the sentence before it, within the same section
//! (or, when that one ends nothing, from the ending step right after it); a section after a
//! sentence that points forward ("contact us on the number below") from that sentence. A block
//! about what ending costs (a fee heading) gives no subject, and a sentence that names ending only
//! as a time ("counting from after termination") offers no channel for it. The other way round,
//! a list item that names the ending but no channel takes the channel its lead-in names for
//! everything listed ("以下業務只能在營業廳辦理：" › "號碼銷戶").
//! What is being ended (the service or an add-on) comes from the sentence itself, else from that
//! same context, nearest first. Every look-up is bounded: a few lead-ins, two headings, a few
//! sentences back, siblings within a window. Where the subject comes from is `subject`'s job;
//! this module reads the page, resolves what is ended and makes the evidence. Pure.

use std::collections::BTreeSet;

use crate::extract::block::{MAX_CONTEXT_CHARS, at_most_chars, cut_chars};
use crate::extract::lexicon::Concept;
use crate::extract::lexicon::Lexicon;
use crate::extract::normalise::{CJK_NUMERALS, sentences};
use crate::extract::reading::{Object, Reading, names_own_line};
use crate::extract::structure::{Place as Context, Role, introduces};
use crate::extract::verdict::{Ending, Evidence, Stance, is_cancellation_wording};
use footnotes::note_mark;
pub use kinds::names_every_line;
pub(crate) use kinds::names_word;
use kinds::{TITLE_BLOCKS, kinds_named, names_broadband, row_kind};
use labels::{bare_answer, names_the_way, way_label};

mod account_page;
mod flat_table;
mod footnotes;
mod form;
mod kinds;
mod labels;
mod notices;
mod providers;
pub(crate) mod replaced;
mod subject;
mod word_sets;
mod wrapped;

/// How far context is followed.
/// Most sentences of one block the verdict reads. Rules about a statement look at the other
/// sentences of its block, so a block costs time quadratic in its sentences: a hostile page of
/// one paragraph holding 64,000 short sentences took 35 s to assess. Real blocks hold tens (the
/// longest paragraph of a PDF, a few hundred); the block's text is kept and diffed whole.
pub const MAX_SENTENCES_PER_BLOCK: usize = 1000;
const LEAD_INS: usize = 3;
const HEADINGS: usize = 2;
/// A heading longer than this is a paragraph marked up as one: it gives no subject. English
/// spends more characters on the same heading ("Scenario 2: Canceling Your Service Without
/// Porting Your Number" is 62) than Chinese does.
const HEADING_CHARS: usize = 60;
/// The same limit for a heading with no Chinese character in it (curly quotes, dashes and
/// accents do not make it Chinese).
const LATIN_HEADING_CHARS: usize = 80;
/// How many blocks of a heading's section are read for a refusal of the way it names.
const ANSWER_LOOK: usize = 3;
/// Longest heading read as an announcement ("Coming soon", 即將推出，敬請期待).
const ANNOUNCEMENT_CHARS: usize = 24;
/// How many blocks either side of a table cell are read for the other cells of its row.
const ROW_CELLS: usize = 12;
/// How many blocks after a refusal of the ending are read for a way to reach the carrier.
const CONTACT_LOOK: usize = 3;
/// How many blocks of a heading's section are read to tell a list of other errands.
const SECTION_LOOK: usize = 20;
const SIBLING_WINDOW: usize = 30;
/// How many sentences back in the same block what is ended is looked for.
const SENTENCES_BACK: usize = 2;
/// A label longer than this before a colon is a sentence, not a product's name.
const PRODUCT_CHARS: usize = 16;
/// How many sentences of a row header are read for the ending it names.
const HEADER_SENTENCES: usize = 4;
/// A row header longer than this is a sentence, not the name of what its row ends.
const ROW_PRODUCT_CHARS: usize = 48;
/// Words that open a sentence about the time before a way is launched, after the fold, read
/// within the first [`UNTIL_THEN_CHARS`] characters.
const UNTIL_THEN: [&str; 11] = [
    "until then",
    "until that date",
    "before then",
    "in the meantime",
    "在此之前",
    "在此以前",
    "上线前",
    "开通前",
    "上线以前",
    "开通以前",
    "推出前",
];
const UNTIL_THEN_CHARS: usize = 16;
/// Words of an offer told for later, after the fold: what [`UNTIL_THEN`] must follow.
const LATER_CUES: [&str; 12] = [
    "will be able",
    "will be available",
    "will soon",
    "from 1",
    "starting ",
    "起",
    "将",
    "届时",
    "计划",
    "规划",
    "预计",
    "即将",
];
const UNTIL_THEN_BLOCKS: usize = 2;
/// Words of an offer that holds from today, after the fold.
const FROM_TODAY: [&str; 4] = ["即日起", "即日开始", "from today", "starting today"];
/// Words that put an offer from today still to come ("即日起，App将陆续开放在线销户", the
/// read-through of round 39).
const STILL_TO_COME: [&str; 5] = ["将", "陆续", "逐步", "will ", "gradually"];
/// How far above a flattened table's row its header line is looked for, in blocks.
const FLAT_HEADER_BLOCKS: usize = 16;

/// Longest header line of a flattened table, in characters: a longer block between a row and
/// its header ends the search (a paragraph is no header, and the table ended above it).
const FLAT_HEADER_CHARS: usize = 300;

/// Context shown with a piece of evidence is cut to this many characters.
const SHOWN_CHARS: usize = 80;

/// `t`, cut to [`SHOWN_CHARS`] characters with an ellipsis.
fn bounded_shown(t: &str) -> String {
    cut_chars(t, SHOWN_CHARS)
}

/// One sentence of the page with its reading.
pub struct Sentence {
    pub block: usize,
    pub text: String,
    /// The text as it was read (after the fold), for look-ups in context.
    pub folded: String,
    pub reading: Reading,
}

/// The page's sentences, readable in context.
pub struct Page<'a> {
    lexicon: &'a Lexicon,
    blocks: &'a [String],
    context: &'a [Context],
    pub sentences: Vec<Sentence>,
    /// Index of each block's first sentence (one more entry at the end).
    starts: Vec<usize>,
    /// The page names add-ons as what is ended and never the service (a page on unsubscribing
    /// data packs, 流量包退订): an ending that names nothing is about the add-ons.
    about_addons: bool,
    /// Whether each block's words put what is under it in a section about porting, worked out
    /// the first time a block below asks: one heading is asked by every sentence under it.
    porting: Vec<std::cell::OnceCell<bool>>,
    /// Whether an offline contact follows each block in its section ([`Page::contact_near`]).
    contact: Vec<std::cell::OnceCell<bool>>,
    /// The block that places the page in an account area, worked out the first time an action
    /// label asks ([`Page::acts_here`]).
    area: std::cell::OnceCell<Option<usize>>,
    /// For each sendable form (by its index), whether it asks for nothing but the ending,
    /// worked out for all forms at once the first time a statement near one asks
    /// ([`Page::form_here`]).
    forms: std::cell::OnceCell<Vec<bool>>,
    /// Whether the page is a dialogue (a chat or a thread: some block is labelled by a
    /// speaker's role, "You:", "客服："), worked out the first time a label asks.
    dialogue: std::cell::OnceCell<bool>,
    /// The headings of a comparison's sections, one provider each ([`Page::provider_heading`]),
    /// worked out the first time a statement asks.
    providers: std::cell::OnceCell<BTreeSet<usize>>,
    /// Whether the page is a chat with the provider ([`Page::chat`]), worked out the first time
    /// an agent's sentence asks.
    chat: std::cell::OnceCell<bool>,
    /// Whether some sentence says the page's trial is over ([`reading::trial_over`]), worked
    /// out the first time an offer that names a trial asks.
    trial_over: std::cell::OnceCell<bool>,
    /// The headings of sections the page marks as replaced ([`Page::replaced`]), worked out the
    /// first time a verdict asks.
    replaced: std::cell::OnceCell<Vec<(usize, bool)>>,
    /// The block of a note after which the page keeps only older text ("以下為原公告內容…，僅供
    /// 參考：", [`Page::replaced`]), worked out the first time a verdict asks.
    replaced_from: std::cell::OnceCell<Option<usize>>,
}

impl<'a> Page<'a> {
    pub fn read(lexicon: &'a Lexicon, blocks: &'a [String], context: &'a [Context]) -> Page<'a> {
        let mut sentences_out = Vec::new();
        let mut starts = Vec::with_capacity(blocks.len() + 1);
        // Lines of a wrapped sentence (terms pasted from a PDF) are read with the line they
        // start on; the lines taken in read as nothing of their own.
        let mut taken_until = 0;
        for (i, block) in blocks.iter().enumerate() {
            starts.push(sentences_out.len());
            if i < taken_until {
                continue;
            }
            // Link targets are addresses, not wording: a URL holding "online-cancel" says nothing.
            let (taken, readable) = Self::wrapped_run(blocks, context, i, block);
            taken_until = i + 1 + taken;
            let read = sentences(&readable);
            if read.len() > MAX_SENTENCES_PER_BLOCK {
                tracing::warn!(
                    block = i,
                    sentences = read.len(),
                    "a block with more sentences than the verdict reads; it reads the first {MAX_SENTENCES_PER_BLOCK}"
                );
            }
            for &s in read.iter().take(MAX_SENTENCES_PER_BLOCK) {
                let (reading, folded) = crate::extract::reading::read_folded(lexicon, s);
                sentences_out.push(Sentence {
                    block: i,
                    text: s.to_string(),
                    folded,
                    reading,
                });
            }
        }
        starts.push(sentences_out.len());
        // Not when an ending that names nothing says how in its own words ("如欲終止服務，須
        // 親臨門市辦理" beside auto-renewal cancelled online): that is the service's ending. Nor
        // for one side note ("any add-ons are removed when you cancel"): the add-ons must be
        // named at least twice, and at least as often as endings that name nothing.
        let mut says_how = false;
        let (mut addons, mut bare, mut service) = (0usize, 0usize, false);
        for r in sentences_out.iter().map(|s| &s.reading) {
            match r.object() {
                Some(Object::Service) => service = true,
                Some(Object::Addon) if !r.all.has(Concept::Consequence) => addons += 1,
                Some(Object::Addon) => {}
                None if r.ends_service() => {
                    bare += 1;
                    says_how |= r.online() || r.offline();
                }
                None => {}
            }
        }
        let about_addons = !says_how && !service && addons >= 2 && addons >= bare;
        Page {
            about_addons,
            porting: vec![std::cell::OnceCell::new(); blocks.len()],
            contact: vec![std::cell::OnceCell::new(); blocks.len()],
            area: std::cell::OnceCell::new(),
            forms: std::cell::OnceCell::new(),
            dialogue: std::cell::OnceCell::new(),
            providers: std::cell::OnceCell::new(),
            chat: std::cell::OnceCell::new(),
            trial_over: std::cell::OnceCell::new(),
            replaced: std::cell::OnceCell::new(),
            replaced_from: std::cell::OnceCell::new(),
            lexicon,
            blocks,
            context,
            sentences: sentences_out,
            starts,
        }
    }

    fn of_block(&self, b: usize) -> &[Sentence] {
        match (self.starts.get(b), self.starts.get(b + 1)) {
            (Some(&s), Some(&e)) => &self.sentences[s..e],
            _ => &[],
        }
    }

    /// Block `b`'s place, borrowed: it is asked for many times per sentence, and a copy would
    /// allocate its headings each time.
    /// The section a statement of block `b` belongs to: `b` itself when it is a heading, else
    /// the nearest heading above it.
    pub(crate) fn section_head(&self, b: usize) -> Option<usize> {
        match self.ctx(b).role {
            Role::Heading => Some(b),
            _ => self.ctx(b).headings.last().copied(),
        }
    }

    /// Does heading `h` name a kind of product or broadband ("Home broadband", "Prepaid SIM
    /// changes")? What its section says holds for that kind only.
    /// A date line can stand as a heading of its own ("Updated 2024-03-05" under "Home
    /// broadband"): the headings above it are read too.
    pub(crate) fn heads_a_kind(&self, h: usize) -> bool {
        // A post's or a paragraph's notice is read alone: the heading above a thread is its
        // title ("月費計劃點樣退台？"), not the kind its replies speak for (round 42).
        let above = match self.ctx(h).role {
            Role::Heading => self.ctx(h).headings.as_slice(),
            _ => &[],
        };
        std::iter::once(h)
            .chain(above.iter().rev().copied())
            .filter_map(|x| self.blocks.get(x))
            .any(|t| {
                let t = cut_chars(t, MAX_CONTEXT_CHARS);
                kinds_named(&t).particular().is_some() || names_broadband(&t)
            })
    }

    /// Is block `b` in the section headed by `h` (`h` itself, or under it at any depth)?
    pub(crate) fn in_section(&self, b: usize, h: usize) -> bool {
        b == h || self.ctx(b).headings.contains(&h)
    }

    /// Block `i` (`block`) as read, without its link targets, and how many lines after it its
    /// wrapped sentence runs over ([`wrapped`]), joined to it, each line without its own targets
    /// so that no link is made across two lines. Only plain paragraphs of one section; at most
    /// [`wrapped::MAX_LINES`] lines and [`wrapped::MAX_CHARS`] characters.
    fn wrapped_run<'b>(
        blocks: &'b [String],
        context: &[Context],
        i: usize,
        block: &'b str,
    ) -> (usize, std::borrow::Cow<'b, str>) {
        let place = |b: usize| context.get(b).unwrap_or(&PARAGRAPH);
        let plain =
            |b: usize| place(b).role == Role::Text && place(b).list.is_none() && !place(b).struck;
        let mut text = crate::extract::links::without_targets(block);
        // Words the page strikes through are withdrawn: they say nothing now.
        if place(i).struck {
            text = crate::extract::block::without_struck(&text)
                .into_owned()
                .into();
        }
        if !plain(i) {
            return (0, text);
        }
        let mut n = 0;
        while n < wrapped::MAX_LINES {
            let j = i + n + 1;
            let Some(next) = blocks.get(j) else { break };
            if !plain(j) || place(j).headings != place(i).headings {
                break;
            }
            let next = crate::extract::links::without_targets(next);
            if !wrapped::wraps_into(&text, &next) || text.len() + next.len() > wrapped::MAX_CHARS {
                break;
            }
            let joined = text.to_mut();
            if joined.ends_with(|c: char| c.is_ascii()) {
                joined.push(' ');
            }
            joined.push_str(next.trim());
            n += 1;
        }
        (n, text)
    }

    fn ctx(&self, b: usize) -> &Context {
        self.context.get(b).unwrap_or(&PARAGRAPH)
    }

    /// A block about ending something: what it says is ended, if it says. A block about what
    /// ending costs ("Pay early termination fee", a refund) gives no subject: a channel under it
    /// is for paying, not for ending.
    fn ending(&self, b: usize) -> Option<Option<Object>> {
        let ss = self.of_block(b);
        if !ss.iter().any(|s| {
            s.reading.ends_anything() && s.reading.ending_named && !s.reading.about_money()
        }) {
            return None;
        }
        // "Why can't my second line be ended?" is answered with reasons: a shop named under it
        // is part of the story, not a channel.
        if ss.iter().any(|s| s.reading.asks_why) {
            return None;
        }
        Some(ss.iter().find_map(|s| s.reading.object()))
    }

    /// What a block says is ended, or which add-on it is about, for resolving an object.
    fn object_hint(&self, b: usize) -> Option<Object> {
        let ss = self.of_block(b);
        // "第四部分 暫停及終止", "Suspension and termination": a heading that names the ending
        // as a topic of its own beside another answers each under it; what is ended is read
        // from the statements (round 47's first wave).
        if self.ctx(b).role == Role::Heading
            && let [s] = ss
            && s.reading.object() == Some(Object::Addon)
            && self.names_ending_apart(&s.folded)
        {
            return None;
        }
        // The sentence nearest what follows first: "許多用戶透過網路門市申辦新門號或攜碼，…。不
        // 過，申辦管道與退租管道並不相同：" leads in ways of ending, not of porting (round 40).
        // A question that ends a product and names no add-on is about the service: "轉台、遺失及
        // 暫停" › "問7：我想終止月費計劃，可以點辦理？" (round 40).
        ss.iter()
            .rev()
            .find_map(|s| {
                let r = &s.reading;
                r.object().or((r.question
                    && r.ends_service()
                    && r.all.has(Concept::Product)
                    && !r.all.has(Concept::Addon))
                .then_some(Object::Service))
            })
            .or_else(|| {
                // "…开通了自动续费功能，想要取消续费，可以按照以下步骤操作：" names what its steps end.
                ss.iter()
                    .any(|s| {
                        // Auto-renewal only where it is ended ("想要取消续费"), not where it is
                        // told ("合约期满后会自动延续。如不再需要，请按以下步骤操作：").
                        // Nor a payment owed, settled first ("Please settle any outstanding
                        // payments, then reach us through one of the options below:"): a
                        // precondition of the ending its heading names, not an add-on ended.
                        (s.reading.addon.has(Concept::Addon)
                            || (s.reading.addon.has(Concept::AutoRenewal)
                                && s.reading.addon.has(Concept::Terminate)))
                            && !s.reading.service.has(Concept::Service)
                            && (!s.reading.all.has(Concept::Unpaid)
                                || s.reading.all.has(Concept::Terminate))
                    })
                    .then_some(Object::Addon)
            })
            .or_else(|| {
                // "Can I cancel my order?" › "Cancel online", "增值业务查询与退订" › "APP退订": a
                // block that cancels an order, or an add-on in a clause a trap took (查询), ends
                // that, and so do the steps under it (round 36's reviews). Not any trap: "客戶投訴
                // 難以終止服務" (a complaint) is still about ending the service. Scanned again only
                // for a block whose trap ends nothing.
                // Only a short block: a huge heading is asked for by every item under it.
                (self.short(b)
                    && ss.iter().any(|s| {
                        if !s.reading.any_trap || s.reading.ends_anything() {
                            return false;
                        }
                        let c = self.lexicon.concepts(&s.folded);
                        c.has(Concept::Terminate)
                            && (c.has(Concept::Addon)
                                || names_word(&s.folded, "order")
                                    && !s.folded.contains("in order to")
                                || s.folded.contains("订单"))
                    }))
                .then_some(Object::Addon)
            })
    }

    /// Does a short heading (folded) name the ending as a topic of its own beside another one
    /// ("暂停及终止", "suspending, porting and terminating")? One of its parts, cut at "and",
    /// 及, 與, 、 or a comma, ends something and names no add-on, and another names one.
    fn names_ending_apart(&self, folded: &str) -> bool {
        if !at_most_chars(folded, HEADING_CHARS) {
            return false;
        }
        // The ending part is the service's when it says so ("终止服务", a bare "终止"), or when
        // the other topics are errands of the line itself ("暫停及取消"); a bare "取消" beside
        // an add-on is the add-on's ("加值服務訂閱與取消").
        let (mut named, mut bare, mut other, mut errand) = (false, false, false, false);
        for part in topic_parts(folded) {
            let c = self.lexicon.concepts(part);
            if c.has(Concept::Addon) || c.has(Concept::AutoRenewal) {
                other = true;
                errand |= LINE_ERRANDS.iter().any(|w| part.contains(w));
            } else if c.has(Concept::Terminate) {
                if c.has(Concept::Service) || ENDING_TOPICS.iter().any(|w| part.starts_with(w)) {
                    named = true;
                } else {
                    bare = true;
                }
            }
        }
        other && (named || bare && errand)
    }

    /// Is heading `h` a way's label followed by where to reach it ("WhatsApp: +852 5100 0000",
    /// "Email: help@example.hk"), not a way's bare name ("The app", 網上客戶中心) that the review
    /// of round 63 found leading lists of what still needs a person?
    fn contact_label(&self, h: usize) -> bool {
        let text = crate::extract::links::without_targets(&self.blocks[h]);
        way_label(&text)
            && text.split_once([':', '：']).is_some_and(|(_, reach)| {
                reach.contains('@') || reach.chars().filter(char::is_ascii_digit).count() >= 3
            })
    }

    /// Does a heading (folded) name an ending as a topic of its own beside porting ("五、注销与
    /// 转网", round 63's third wave)? Its sections answer each; the ending is not porting's step.
    fn ending_beside_porting(&self, folded: &str) -> bool {
        if !at_most_chars(folded, HEADING_CHARS) {
            return false;
        }
        // A bracket remarks on the topic before it ("四、转网（资格查询与注销）" lists porting's
        // steps), and "四、" numbers the heading: neither is a topic of its own.
        let head = folded.split('(').next().unwrap_or(folded);
        let parts = || {
            topic_parts(head).filter(|p| {
                !p.chars()
                    .all(|c| c.is_ascii_digit() || CJK_NUMERALS.contains(c))
            })
        };
        parts().count() > 1
            && parts().any(|p| {
                !PORTING.iter().any(|w| p.contains(w))
                    && self.lexicon.concepts(p).has(Concept::Terminate)
            })
    }

    /// Context blocks nearest first: lead-ins, row and column header, headings.
    fn chain(&self, b: usize) -> Vec<usize> {
        let c = self.ctx(b);
        let mut out = Vec::new();
        let mut lead = c.lead_in;
        for _ in 0..LEAD_INS {
            let Some(l) = lead else { break };
            if l >= b || out.contains(&l) {
                break;
            }
            out.push(l);
            lead = self.ctx(l).lead_in;
        }
        out.extend(c.row_header);
        out.extend(c.column_header);
        out.extend(c.headings.iter().rev().take(HEADINGS));
        out
    }

    fn short(&self, b: usize) -> bool {
        self.blocks.get(b).is_some_and(|t| {
            // Bounded: the script is looked at only once the heading is known to be short.
            at_most_chars(t, HEADING_CHARS)
                || (at_most_chars(t, LATIN_HEADING_CHARS)
                    && !t.chars().any(crate::extract::normalise::is_cjk))
        })
    }

    /// Block `b` as context for another block's evidence: of a paragraph of several sentences,
    /// the last one that names ending ("We are sorry to see you go. To end your plan, use one
    /// of the channels below:" shows the second); else the whole block.
    fn shown(&self, b: usize) -> String {
        let ss = self.of_block(b);
        let naming = if ss.len() > 1 {
            ss.iter()
                .rev()
                .find(|x| x.reading.ending_named && !x.reading.question)
        } else {
            None
        };
        match naming {
            Some(x) => bounded_shown(&x.text),
            None => bounded_shown(self.blocks.get(b).map(String::as_str).unwrap_or("")),
        }
    }

    /// The sentence of `k`'s own block, nearest first (the one before, then after), that names
    /// ending: what a same-block subject came from.
    fn ending_near(&self, k: usize) -> Option<usize> {
        let b = self.sentences[k].block;
        let ends = |j: usize| {
            self.sentences.get(j).is_some_and(|x| {
                x.block == b && x.reading.ends_anything() && x.reading.ending_named
            })
        };
        (1..=SENTENCES_BACK)
            .flat_map(|d| [k.checked_sub(d), Some(k + d)])
            .flatten()
            .find(|&j| ends(j))
    }

    /// What a denial just before in the same block says is ended, for the alternative that
    /// follows it: "部分業務暫不支持自助註銷。您可撥打10086退訂。" ends the 業務 of the denial.
    /// An offer before does not carry ("可於網上取消自動續期。如欲終止服務，須親臨門市。" starts
    /// a new subject).
    fn object_before(&self, k: usize) -> Option<Object> {
        let b = self.sentences[k].block;
        (k.saturating_sub(SENTENCES_BACK)..k)
            .rev()
            .map(|j| &self.sentences[j])
            .take_while(|x| x.block == b)
            .find(|x| x.reading.object().is_some())
            .filter(|x| x.reading.all.has(Concept::Negation))
            .and_then(|x| x.reading.object())
    }

    /// The heading or lead-in, if any, that puts block `b` in a section about number porting:
    /// there the old card or account is closed as a step of moving the number, which is kept.
    fn porting_section(&self, b: usize) -> Option<usize> {
        // A heading's words are at its start: a look at a bounded prefix keeps a page with a
        // huge heading above thousands of items linear.
        let folded = |c: usize| {
            let head = crate::extract::block::bounded_cow(self.blocks.get(c).map_or("", |t| t));
            crate::extract::normalise::for_matching(&head)
        };
        let chain = self.chain(b);
        let at = chain.iter().position(|&c| {
            // A paragraph that leads in a list speaks for it in its last sentence: "不少用戶透過
            // 網路門市申辦新門號或攜碼…。不過，申辦管道與退租管道並不相同：" leads in ways of
            // ending (round 40).
            // Not a heading that names closing the line beside porting ("停机、转网与销户办理
            // 指引", "暂停、转网还是销户？", round 42): its sections answer each.
            let about_porting = || match self.ctx(c).role {
                Role::Text => self
                    .of_block(c)
                    .last()
                    .is_some_and(|x| PORTING.iter().any(|w| x.folded.contains(w))),
                _ => {
                    let t = folded(c);
                    PORTING.iter().any(|w| t.contains(w))
                        && !names_own_line(&t)
                        && !self.names_ending_apart(&t)
                        && !self.ending_beside_porting(&t)
                }
            };
            match self.porting.get(c) {
                Some(known) => *known.get_or_init(about_porting),
                None => about_porting(),
            }
        })?;
        // "携号转网常见问题" › "我不是要转网，只是想把号码注销掉，在哪里办？": a question nearer
        // than the porting heading that sets porting aside asks about ending (round 36's
        // reviews). Looked for only once a porting heading is found.
        // Nor under a question nearer than the porting heading that asks to end the line and
        // names no porting ("四、号码变更与转网" › "不再使用号码了,怎么注销?", round 47's first
        // wave).
        let declined = chain[..=at].iter().any(|&c| {
            let t = folded(c);
            NOT_PORTING.iter().any(|w| t.contains(w))
        }) || chain[..at].iter().any(|&c| {
            self.of_block(c).iter().any(|x| {
                x.reading.question
                    && x.reading.ends_service()
                    && x.reading.object() != Some(Object::Addon)
            })
        });
        (!declined).then(|| chain[at])
    }

    /// The lead-in of list item `b` (or, for a list with none, the heading it follows at once)
    /// and the channel it names, when it names one for whatever the items are ("The following
    /// must be done in a shop:", 以下業務暫不支持網上辦理：) and is not itself about ending,
    /// auto-renewal, a trap or a question. With it, the heading that stood for the lead-in's way,
    /// when one did (shown as context, round 63).
    fn channel_of_lead_in(&self, b: usize) -> Option<(usize, Option<usize>, Stance)> {
        // The heading of a list with no lead-in leads it in too: "以下业务不在网上营业厅受理" ›
        // "手机号码销户", "須親臨營業廳辦理" › "終止流動電話服務" (round 34's reviews). An online
        // heading names the way for its items only when it introduces them ("以下业务可在网上营
        // 业厅办理"), as a lead-in does.
        let (l, heading) = match self.ctx(b).lead_in.filter(|&l| l < b) {
            Some(l) => (l, false),
            None => {
                // Only a heading the list follows at once, within a bounded look: not one far
                // above a menu or a footer's list (the read-through of round 34).
                let h = self.ctx(b).list.and(self.ctx(b).headings.last().copied())?;
                if b > h + SECTION_LOOK || !(h + 1..b).all(|x| self.ctx(x).list.is_some()) {
                    return None;
                }
                (h, true)
            }
        };
        let ss = self.of_block(l);
        // An add-on word is allowed: the item says what is ended, and 以下業務 is any business.
        let aside = |x: &Sentence| {
            let r = &x.reading;
            r.ends_anything() || r.question || r.any_trap || r.all.has(Concept::AutoRenewal)
        };
        if ss.iter().any(aside) {
            return None;
        }
        // An online word names a channel for all that is listed only in a lead-in that
        // introduces it, not in a note above the list ("(click either product for
        // instructions)"); a shop or a refusal does in either ("These can only be done in one
        // of our stores").
        let introducing = introduces(self.blocks[l].as_str())
            || ss.iter().any(|x| x.reading.points_forward)
            || heading && {
                let t = self.blocks[l].trim_start();
                ["以下", "下列", "the following", "The following"]
                    .iter()
                    .any(|w| t.starts_with(w))
                    // "可在网上营业厅全程办理" over the errands done there (round 36's reviews):
                    // a heading that names where its list is done, read only when it names an
                    // online way and nothing ended, asked or trapped (`aside` above). So does
                    // one that names what it can handle ("WhatsApp 客服可處理的服務", round 49;
                    // not "網站如何處理你的個人資料").
                    || ["办理", "辦理", "可处理", "可處理", "可受理"]
                        .iter()
                        .any(|w| t.contains(w))
            };
        let channel = |x: &Sentence| {
            // 以下業務仍需到營業廳辦理 is read as an add-on clause: its channel counts here, and
            // so does its negation (以下业务无法在网上营业厅办理), which an add-on clause is not
            // read for.
            let r = &x.reading;
            let stance = stance_of(r, r.service.union(r.addon));
            if stance == Stance::Online
                && !r.service.has(Concept::Online)
                && r.addon.has(Concept::Negation)
            {
                return Stance::NegatedOnline;
            }
            stance
        };
        // The sentence nearest the list introduces it: "無需輪候熱線！你可透過 WhatsApp …辦理以下
        // 服務：" lists what WhatsApp does, not the hotline (round 39). One that ends with a colon
        // is the only one read: "大部分嘢你都可以喺 app 自己搞…不過有幾樣嘢一定要真人幫你處理："
        // lists what the app does not do (round 40). When it names no way ("可辦理：", "We can
        // help with:"), under a heading that names only one ("WhatsApp 客戶服務", round 57), the
        // sentence before it that names that same way stands for it: the list is what that way
        // handles. No other sentence is read: "Bill payment is not available online. We can
        // help with:" is about bills, and "What you can do in the app" › "Some things still
        // need a chat with our team:" names no way for its list (the review of round 57).
        // Round 63: when no sentence before it names that way either, a heading that is only
        // the way's label and where to reach it ("WhatsApp: +852 5100 0000" › "Message us 9am–
        // 10pm. Our team can help with:") stands for it itself; not a heading that says
        // something of the way ("What you can do in the app").
        let mut by_heading = None;
        let ss = match ss.split_last() {
            Some((last, before)) if last.text.trim_end().ends_with([':', '：']) => {
                let heading = self
                    .ctx(b)
                    .headings
                    .last()
                    .copied()
                    .filter(|&h| h < l && self.names_a_way(h))
                    .and_then(|h| {
                        self.of_block(h).iter().find_map(|x| {
                            let way = channel(x);
                            (way != Stance::Related).then_some((h, x, way))
                        })
                    });
                let unnamed = channel(last) == Stance::Related;
                let same_way = heading
                    .filter(|_| unnamed)
                    .and_then(|(_, _, way)| before.iter().rev().find(|x| channel(x) == way));
                let label = heading
                    .filter(|&(h, _, _)| {
                        same_way.is_none()
                            && unnamed
                            && (self.contact_label(h) || lists_what_it_handles(&last.folded))
                    })
                    .map(|(h, way, _)| (way, h));
                by_heading = label.map(|(_, h)| h);
                std::slice::from_ref(same_way.or(label.map(|(way, _)| way)).unwrap_or(last))
            }
            _ => ss,
        };
        ss.iter().rev().find_map(|x| {
            let stance = channel(x);
            let named = match stance {
                Stance::OfflineDemanded | Stance::NegatedOnline | Stance::OfflineOnly => true,
                Stance::Online => introducing,
                _ => false,
            };
            named.then_some((l, by_heading, stance))
        })
    }

    /// The lead-in of list item `b`, when its last sentence introduces the list with a colon and
    /// withdraws or refuses what follows without naming an offline way or an ending of its own
    /// ("官網會員專區下列功能將停止提供：", "The following features are no longer available:").
    fn withdraws_what_follows(&self, b: usize) -> Option<usize> {
        let l = self
            .ctx(b)
            .list
            .and(self.ctx(b).lead_in)
            .filter(|&l| l < b)?;
        let x = self.of_block(l).last()?;
        let r = &x.reading;
        (x.text.trim_end().ends_with([':', '：'])
            && (r.all.has(Concept::Negation) || r.all.has(Concept::Rejection))
            && !r.all.has(Concept::Offline)
            && !r.ends_anything()
            && !r.question
            && !r.any_trap
            && !PAUSED.iter().any(|w| x.folded.contains(w))
            // Not a condition that offers what follows instead ("If you are unable to use the
            // app, you can also:", 如未能登入 App，您亦可以：, the read-through of round 40).
            && !OFFERS_INSTEAD.iter().any(|w| x.folded.contains(w)))
        .then_some(l)
    }

    /// The nearest heading above block `b`, when it names an online channel and nothing else: no
    /// ending, question, trap, negation, add-on, auto-renewal or help ("What the app does",
    /// "Your online account"; not "Online help", "Chat with us online" › "Questions about…").
    /// Round 27 (en-6737: "add or remove lines" among the app's features). Online only: an
    /// offline heading under a heading about ending is evidence itself ("How to cancel" › "By
    /// phone").
    fn online_heading(&self, b: usize) -> Option<usize> {
        const HELP: [&str; 6] = ["help", "faq", "support", "question", "chat", "coming soon"];
        let h = *self.ctx(b).headings.last()?;
        let ss = self.of_block(h);
        let aside = |x: &Sentence| {
            let r = &x.reading;
            r.ends_anything()
                || r.question
                || r.any_trap
                || r.negated
                || r.all.has(Concept::Addon)
                || r.all.has(Concept::AutoRenewal)
        };
        let heading = self.blocks[h].to_lowercase();
        let online = ss
            .iter()
            .any(|x| stance_of(&x.reading, x.reading.service) == Stance::Online);
        (online && !ss.iter().any(aside) && !HELP.iter().any(|w| heading.contains(w))).then_some(h)
    }

    /// The other items of block `b`'s list within the sibling window, in page order (none when
    /// `b` is not a list item).
    fn siblings(&self, b: usize) -> impl Iterator<Item = usize> + Clone + '_ {
        let list = self.ctx(b).list;
        let lo = b.saturating_sub(SIBLING_WINDOW);
        let hi = (b + SIBLING_WINDOW).min(self.blocks.len());
        (lo..hi).filter(move |&sib| list.is_some() && sib != b && self.ctx(sib).list == list)
    }

    /// What is being ended when the sentence does not say: the nearest context that does.
    fn resolve(&self, b: usize, skip: Option<usize>) -> (Object, Option<usize>) {
        // The nearest context first; then the page's title, where the chain stopped short of it:
        // "Add-ons for postpaid plans" › "Entertainment" › "StreamPass" › "Cancel in the app any
        // time" stops an add-on (round 45's reviews).
        let headings = &self.ctx(b).headings;
        let title = headings.first().filter(|_| headings.len() > HEADINGS);
        for c in self.chain(b).into_iter().chain(title.copied()) {
            if Some(c) == skip {
                continue;
            }
            if let Some(o) = self.object_hint(c) {
                return (o, Some(c));
            }
        }
        // Steps of one list are one procedure: when a step says it stops an add-on or an
        // auto-renewal ("Turn off auto-recur") and none names the service, the others are
        // steps of that too.
        {
            let siblings = self.siblings(b);
            let ends_service = |sib: usize| {
                self.of_block(sib)
                    .iter()
                    .any(|x| x.reading.ends_service() && x.reading.object() != Some(Object::Addon))
            };
            // A step that ends an add-on, not one that only names one ("退还租赁设备：包括光猫、
            // 机顶盒等" beside "办理正式注销：…" returns equipment after the ending).
            let about_addon = |sib: usize| {
                (self.object_hint(sib) == Some(Object::Addon)
                    && self.of_block(sib).iter().any(|x| x.reading.ends_anything()))
                    || self
                        .of_block(sib)
                        .iter()
                        .any(|x| x.reading.all.has(Concept::AutoRenewal))
            };
            // Not items that answer for one product each ("中国移动：副卡解绑需…" /
            // "中国联通：支持线上注销"): they are not steps of one procedure (round 20).
            // Nor a block that itself talks about ending the service, not a step of doing it
            // ("To end your plan you must give us 30 days' notice in writing" among key terms
            // beside "Plans run for 30 days and renew automatically", round 54's opened probes).
            let talks_of_ending = self
                .of_block(b)
                .iter()
                .any(|x| x.reading.ends_service() && !x.reading.is_step());
            if !siblings.clone().any(ends_service)
                && !talks_of_ending
                && self.block_product(b).is_none()
                && let Some(sib) = siblings.clone().find(|&sib| about_addon(sib))
            {
                return (Object::Addon, Some(sib));
            }
        }
        if self.about_addons {
            return (Object::Addon, None);
        }
        (Object::Service, None)
    }

    /// Does block `b` refuse ending in the ways it points forward to ("ACD does not accept
    /// cancellation in the following manner:", 以下方式不受理銷戶)?
    fn refuses_what_follows(&self, b: usize) -> bool {
        // Its last sentence leads into what follows; a bounded look keeps a page of long
        // paragraphs linear.
        self.of_block(b)
            .last()
            .is_some_and(|x| x.reading.refuses_ways)
    }

    /// Does block `b` deny the online way of ending for everyone ("Online cancellation is not
    /// available", 暫未開放網上銷戶)? Not a denial for some ("Prepaid plans cannot be cancelled
    /// online, …", a denial qualified by a term), nor one that points on to ways of ending
    /// ("…, but you can cancel a postpaid plan as follows:"), nor a refusal of email alone.
    fn denies_online(&self, b: usize) -> bool {
        self.denies_route(b, false)
    }

    /// Does a heading above block `b` book a visit, or the ending for a visit ("退租快速通關：線上預
    /// 約，到店不用等")? Read in each heading's first sentences, nearest first, up to one that
    /// names an online way of its own: "销户办理指南(支持线上预约)" › "方式一:App在线办理" heads
    /// that way, not the booking (the read-back of round 50).
    fn under_a_booking(&self, b: usize) -> bool {
        for &h in self.ctx(b).headings.iter().rev() {
            let first = || self.of_block(h).iter().take(HEADER_SENTENCES);
            if first().any(|x| crate::extract::reading::books_a_visit(&x.folded)) {
                return true;
            }
            if first().any(|x| x.reading.online()) {
                return false;
            }
        }
        false
    }

    /// Is list item `b` a step of booking a call back or the ending's visit, by the last sentence
    /// of its lead-in ("To skip the queue, book a callback online:", 可先於網上預約銷戶：), which
    /// ends nothing itself?
    fn books_what_follows(&self, b: usize) -> bool {
        const WAIVED: [&str; 6] = [
            "no need",
            "don't need",
            "do not need",
            "无需",
            "无须",
            "不必",
        ];
        const CALLBACK: [&str; 7] = [
            "book a callback",
            "request a callback",
            "schedule a callback",
            "arrange a callback",
            "book a call back",
            "request a call back",
            "schedule a call back",
        ];
        self.ctx(b).list.is_some()
            && self.ctx(b).lead_in.filter(|&l| l < b).is_some_and(|l| {
                // A booking the lead-in makes, not one it waives ("No need to book a callback:")
                // nor a motive (为减少等候时间，可选择以下方式：, the review of round 64).
                self.of_block(l).last().is_some_and(|x| {
                    !x.reading.ends_anything()
                        && !x.reading.all.has(Concept::Negation)
                        && !WAIVED.iter().any(|w| x.folded.contains(w))
                        && (CALLBACK.iter().any(|w| x.folded.contains(w))
                            || crate::extract::reading::books_the_ending(&x.folded))
                })
            })
    }

    /// As [`Self::denies_online`]; with `narrow`, a refusal of one narrow route (email alone,
    /// a bot) counts too.
    fn denies_route(&self, b: usize, narrow: bool) -> bool {
        self.of_block(b).iter().any(|x| {
            let r = &x.reading;
            r.ends_anything()
                && r.ending_named
                && !r.qualified
                && !r.partial_denial
                && !r.forward_ending
                && stance_of(r, r.all) == Stance::NegatedOnline
                && (narrow || !crate::extract::verdict::narrow_route(&x.text))
        })
    }

    /// Is heading `b` answered by a denial of the online way in the first block under it? A
    /// heading that names one narrow route ("Cancelling by email") is answered by a refusal of
    /// that route ("We don't accept cancellations by email", the review of round 23).
    /// A denial in one of the first [`ANSWER_LOOK`] blocks answers it too: "关于线上销户功能的说
    /// 明" › "近期不少用户咨询…现说明如下:" › "线上销户功能…目前暂未开放" (round 34's reviews).
    fn answered_no(&self, b: usize) -> bool {
        self.first_under(b).is_some_and(|f| {
            let narrow = self
                .blocks
                .get(b)
                .is_some_and(|h| crate::extract::verdict::narrow_route(h));
            (f..self.blocks.len().min(f + ANSWER_LOOK))
                .take_while(|&x| self.ctx(x).headings.last() == Some(&b))
                .any(|x| self.denies_route(x, narrow))
                || self.refuses_its_way(b, f)
        })
    }

    /// The heading above block `b` when it announces what is not there yet ("Coming soon",
    /// 即將推出, 敬請期待): an online way listed under it is not offered today (round 34's
    /// reviews: "Coming soon" › "Online termination of mobile services").
    fn announced_heading(&self, b: usize) -> Option<usize> {
        // An item listed under it, and a heading that is the announcement alone: not
        // "Online cancellation not yet available for business accounts" › "Personal customers
        // can cancel online" (the read-through of round 34).
        self.ctx(b).list?;
        let &h = self.ctx(b).headings.last()?;
        let text = self.blocks.get(h)?;
        if text.chars().nth(ANNOUNCEMENT_CHARS).is_some() {
            return None;
        }
        // Its sentences as they were read, not folded again.
        self.of_block(h)
            .iter()
            .any(|x| {
                crate::extract::reading::ANNOUNCED
                    .iter()
                    .any(|a| x.folded.contains(a))
            })
            .then_some(h)
    }

    /// The sentence just after `k` (the next one, or the first of the next block) when it
    /// opens with "until then" (在此之前, 在新功能上線前) and names an offline way: the online way
    /// `k` offered is still to come ("From 1 March you will be able to… in MyLink." "Until then,
    /// … in person", round 37's reviews).
    /// On a page in two languages the sentence may stand after the offer's twin: the first
    /// sentence of each of the next [`UNTIL_THEN_BLOCKS`] blocks is read too.
    fn until_then(&self, k: usize) -> Option<usize> {
        // The offer must itself be for later ("will be able", 起, 届时, 计划): "To cancel, log in
        // to My Account. Until then, call us if you travel" is no launch (the read-through).
        let offer = &self.sentences[k].folded;
        // Not an offer from today (即日起): its "until then" is said of the places still waiting
        // (其余省份将分批开通，开通前仍请到当地营业厅办理, round 39).
        if !LATER_CUES.iter().any(|w| offer.contains(w))
            || FROM_TODAY.iter().any(|w| offer.contains(w))
                && !STILL_TO_COME.iter().any(|w| offer.contains(w))
        {
            return None;
        }
        let b = self.sentences[k].block;
        let next_blocks = (b + 1..=b + UNTIL_THEN_BLOCKS).filter_map(|x| self.of_block(x).first());
        self.sentences
            .get(k + 1)
            .filter(|n| n.block == b)
            .into_iter()
            .chain(next_blocks)
            .find(|n| {
                let head =
                    crate::extract::block::first_chars(n.folded.trim_start(), UNTIL_THEN_CHARS);
                UNTIL_THEN.iter().any(|w| head.contains(w)) && n.reading.offline()
            })
            .map(|n| n.block)
    }

    /// The question about the online way that sentence `k`, of `stance`, refuses, if
    /// any: under "Can I cancel my plan online?", a refusal of the ending ("No, plans cannot be
    /// cancelled this way", the review of round 18) or an answer that opens with a plain no and
    /// goes on with an offline way ("No, cancellations can only be made by calling 1234",
    /// round 32's second review). Only the nearest heading is read.
    fn refuses_asked_way(&self, k: usize, stance: Stance) -> Option<usize> {
        let s = &self.sentences[k];
        let &h = self.ctx(s.block).headings.last()?;
        // An apology opens the answer only as the first sentence of the first block under it.
        let opens_answer = h + 1 == s.block && self.starts.get(s.block) == Some(&k);
        // A bare no of its own opening the answer before it ("唔可以。為保障你嘅號碼，退台要致電
        // …", "No. The app lets you change your plan only. To close your number, please visit
        // …", round 54's opened probes and round 55's second wave).
        let after_no = self.starts.get(s.block).is_some_and(|&first| {
            let opening = &self.sentences[first].folded;
            first < k
                && (crate::extract::reading::yes_no_folded(opening) == Some(false)
                    || crate::extract::reading::opens_with_no(opening))
        });
        let refuses = stance == Stance::NotCancellable
            || matches!(stance, Stance::OfflineOnly | Stance::OfflineDemanded)
                && (crate::extract::reading::opens_with_no(&s.folded)
                    || after_no
                    || opens_answer && crate::extract::reading::opens_with_sorry(&s.folded));
        (refuses
            && self.of_block(h).iter().any(|x| {
                x.reading.question
                    && x.reading.all.has(Concept::Online)
                    && x.reading.ends_anything()
                    && !x.reading.negated
            }))
        .then_some(h)
    }

    /// The lead-in or heading over block `b` that refuses what it heads: short, a refusal
    /// ("What we can't accept", 以下申請恕不受理：), naming no way of its own. An online way
    /// listed under it is refused there, not offered (round 38's reviews).
    fn refusal_header(&self, b: usize) -> Option<usize> {
        let c = self.ctx(b);
        // Only the items of a list: a paragraph after the list ("Otherwise, you can cancel
        // online") is not what the header refuses (the read-through of round 38).
        c.list?;
        let h = c
            .lead_in
            .filter(|&l| l < b)
            .or_else(|| c.headings.last().copied())?;
        let rejects = self
            .of_block(h)
            .iter()
            .any(|x| x.reading.all.has(Concept::Rejection));
        // "恕不接受電話銷戶，請透過以下方式辦理：" refuses one way and points on to the ways
        // offered: its list offers them.
        let own_way = self.of_block(h).iter().any(|x| {
            x.reading.all.has(Concept::Online)
                || x.reading.all.has(Concept::Offline)
                || x.reading.points_forward
        });
        // Not a question ("Request not accepted?") nor a condition ("We cannot accept
        // cancellation if:"): they refuse nothing listed.
        let asks = self
            .of_block(h)
            .iter()
            .any(|x| x.reading.question || CONDITIONS.iter().any(|w| x.folded.contains(w)));
        (self.short(h) && rejects && !own_way && !asks).then_some(h)
    }

    /// Does block `h` (a header, if any) name `concept` about the service?
    fn says(&self, h: Option<usize>, concept: Concept) -> bool {
        h.is_some_and(|h| {
            self.of_block(h)
                .iter()
                .any(|x| x.reading.service.has(concept))
        })
    }

    /// Does another cell of block `b`'s row (row header `row`), under a column that names an
    /// online way, answer yes? Only the cells within [`ROW_CELLS`] blocks either side are read.
    fn row_says_yes_online(&self, b: usize, row: Option<usize>) -> bool {
        (b.saturating_sub(ROW_CELLS)..self.blocks.len().min(b + ROW_CELLS + 1))
            .filter(|&x| x != b && self.ctx(x).row_header == row)
            .any(|x| {
                self.says(self.ctx(x).column_header, Concept::Online)
                    && self.of_block(x).first().is_some_and(|y| {
                        crate::extract::reading::cell_answer(&y.folded) == Some(true)
                    })
            })
    }

    /// Is block `b` the first cell of a table row whose next cell answers yes or no, under a
    /// column that asks about ending ("Can you cancel here?") or names a way ("Website")? Not
    /// under "ID needed" (the read-through): the row's way is then offered by its label.
    fn labels_an_answer(&self, b: usize) -> bool {
        // A row's key: another cell names it as its row header (a key under a group cell
        // spanning rows has that group as its own header).
        matches!(self.ctx(b).role, Role::Cell { header: false })
            && (self.ctx(b + 1).row_header == Some(b)
                && self.answers_under(b + 1, |h| {
                    self.of_block(h).iter().any(|y| {
                        [Concept::Terminate, Concept::Online, Concept::Offline]
                            .iter()
                            .any(|&c| y.reading.all.has(c))
                    })
                    // Or a kind of product, in a table of ways by kind (round 40's
                    // walk-through).
                    || self.column_kind(b + 1).is_some()
                })
                || self.answered_in_row(b, b))
    }

    /// Does cell `x` open with a yes or a no under a column header `column` accepts?
    fn answers_under(&self, x: usize, column: impl Fn(usize) -> bool) -> bool {
        self.of_block(x)
            .first()
            .is_some_and(|y| crate::extract::reading::cell_answer(&y.folded).is_some())
            && self.ctx(x).column_header.is_some_and(column)
    }

    /// Does a cell of row `row` (its header's block), other than `b`, answer yes or no under a
    /// column that asks whether the row's way ends the service ("Live chat" | "In the app,
    /// 24/7" | "No – for bills only" under "Can it end my agreement?", round 61's first wave)?
    /// The cells up to [`ROW_CELLS`] blocks after the row's header are read. Not a row that
    /// names an ending itself: its cells answer for ways.
    fn answered_in_row(&self, row: usize, b: usize) -> bool {
        !self.of_block(row).iter().any(|y| y.reading.ends_anything())
            && (row + 1..self.blocks.len().min(row + 1 + ROW_CELLS))
                .filter(|&x| x != b && self.ctx(x).row_header == Some(row))
                .any(|x| {
                    // Not a fee's column ("Cancellation fee?" › No): no fee, not no way.
                    self.answers_under(x, |h| {
                        let hs = self.of_block(h);
                        hs.iter().any(|y| y.reading.all.has(Concept::Terminate))
                            && !hs.iter().any(|y| y.reading.all.has(Concept::Fee))
                    })
                })
    }

    /// Is block `b` a cell that tells more of its row's label ("In the Thistle app, 24/7" beside
    /// "Live chat"), in a row another cell of which answers whether the label's way ends the
    /// service? Then the answer says what the way can do, and the detail, which ends nothing
    /// and answers nothing of its own, offers nothing.
    fn details_an_answer(&self, b: usize) -> bool {
        matches!(self.ctx(b).role, Role::Cell { header: false })
            && self.ctx(b).row_header.is_some_and(|row| {
                !self.of_block(b).iter().any(|x| {
                    x.reading.ends_anything()
                        || crate::extract::reading::cell_answer(&x.folded).is_some()
                }) && self.answered_in_row(row, b)
            })
    }

    /// The question heading sentence `k` answers first, when it asks whether the service can be
    /// ended online: `k` opens the first block under it.
    fn asked_online_way(&self, k: usize) -> Option<usize> {
        let b = self.sentences[k].block;
        if self.starts.get(b) != Some(&k) {
            return None;
        }
        // The block right under it; a bold line that stands as a heading counts (its role is
        // a paragraph's).
        let &h = self.ctx(b).headings.last()?;
        // A question about the way alone: "Can I cancel online and get a refund for this
        // month?" › "No." may refuse the refund (the read-through).
        (h + 1 == b
            && self.of_block(h).iter().any(|x| {
                x.reading.question
                    && x.reading.all.has(Concept::Online)
                    && x.reading.ends_service()
                    && !x.reading.negated
                    && ![Concept::Refund, Concept::Fee, Concept::Notice]
                        .iter()
                        .any(|&m| x.reading.all.has(m))
                    && !x.folded.contains(" and ")
            }))
        .then_some(h)
    }

    /// Does a block of heading `b`'s section, from `f` on (at most [`ANSWER_LOOK`] blocks), say
    /// that the way the heading names cannot end the service ("Chat with Aroha, our virtual
    /// assistant" › "Aroha can't cancel a service for you", round 33's review)? The refusal's
    /// subject is the heading's own name or a pronoun for it.
    fn refuses_its_way(&self, b: usize, f: usize) -> bool {
        let Some(heading) = self.blocks.get(b) else {
            return false;
        };
        // The heading names a way online (a chat, an assistant) that the section refuses.
        if !self
            .of_block(b)
            .iter()
            .any(|x| x.reading.all.has(Concept::Online))
        {
            return false;
        }
        (f..self.blocks.len().min(f + ANSWER_LOOK))
            .take_while(|&x| self.ctx(x).headings.last() == Some(&b))
            .any(|x| {
                self.of_block(x).iter().any(|s| {
                    stance_of(&s.reading, s.reading.all) == Stance::NotCancellable
                        && names_the_way(&s.text, heading)
                })
            })
    }

    /// Is heading `b` answered by an offer of the online way for the service in the first
    /// block under it?
    fn answered_yes(&self, b: usize) -> bool {
        self.first_under(b).is_some_and(|f| {
            self.of_block(f).iter().any(|x| {
                let r = &x.reading;
                r.ends_service() && r.ending_named && stance_of(r, r.service) == Stance::Online
            })
        })
    }

    /// Heading `b` (one that names an online channel and has been given the subject of a heading
    /// about ending above it) heads a list none of whose items names an ending or a channel
    /// ("See your usage", "Pay your bill"), on a page that denies the online way elsewhere ("we
    /// will not let you end your plan on the website"): what the app or site is for, not a way
    /// that would contradict that denial. Without a denial on the page such a list is more often
    /// the way's own steps ("Online" › "Choose your plan" / "Press Confirm", the review of round
    /// 27), which name no channel either. A section longer than [`SECTION_LOOK`] blocks is not
    /// judged.
    fn lists_other_errands(&self, b: usize) -> bool {
        let Some(first) = self.first_under(b) else {
            return false;
        };
        let under = |x: &usize| self.ctx(*x).headings.last() == Some(&b);
        let end = first + SECTION_LOOK;
        if end < self.blocks.len() && under(&end) {
            return false;
        }
        let names_a_way = |x: &Sentence| {
            let r = &x.reading;
            r.ends_anything() || r.online() || r.offline()
        };
        // The list right under it; a paragraph after the list ("商業客戶服務熱線：10088" under
        // "Biz Portal 可辦理的事項", round 55's first wave) is no errand of the heading's way.
        let mut items = (first..self.blocks.len().min(end))
            .take_while(|x| under(x) && self.ctx(*x).list.is_some())
            .peekable();
        let errands =
            items.peek().is_some() && items.all(|x| !self.of_block(x).iter().any(names_a_way));
        errands && (0..self.blocks.len()).any(|x| x != b && self.denies_online(x))
    }

    /// The first block of heading `b`'s section, when `b` is a heading and one follows under it.
    fn first_under(&self, b: usize) -> Option<usize> {
        (matches!(self.ctx(b).role, Role::Heading) && self.ctx(b + 1).headings.last() == Some(&b))
            .then_some(b + 1)
    }

    /// The evidence sentence `k` gives, if any.
    pub fn evidence(&self, k: usize) -> Option<Evidence> {
        let s = &self.sentences[k];
        let r = &s.reading;
        let c = self.ctx(s.block);
        let header = matches!(c.role, Role::Cell { header: true });
        let wording = is_cancellation_wording(r.all);
        let related =
            || wording.then(|| self.make(k, Stance::Related, Object::Service, Vec::new()));
        // "門號退租 ✓ ✗ ✗ ✗ ✗" under "申請項目 直營門市 特約門市 客服188 官網 APP": a table
        // flattened into lines answers by its columns (round 44's reviews), though its marks
        // (是否是是) read as a question.
        if !matches!(c.role, Role::Cell { .. })
            && let Some(e) = self.flat_row(k)
        {
            return Some(e);
        }
        // "Koala app" | "No – the app shows usage only": a row's label whose row answers yes or
        // no is what the answer is about, no evidence of its own (round 35's reviews).
        if header
            || r.question
            || self.labels_an_answer(s.block)
            || self.details_an_answer(s.block)
            || self.breadcrumb(s.block)
        {
            return related();
        }
        // "Online disconnection pilot", 預付卡線上退租試辦計畫: a heading that names a trial is
        // its title; what it offered, and whether it still runs, is said under it (round 44's
        // reviews).
        if matches!(c.role, Role::Heading) && crate::extract::reading::names_a_trial(&s.folded) {
            return related();
        }
        if self.done_in_chat(k) {
            return Some(self.make(k, Stance::Online, Object::Service, Vec::new()));
        }
        // A cell under a column of how the request is acknowledged ("確認方式 Acknowledgement" ›
        // "電郵 email", round 40) names no way of making it.
        // So does a cell in a row of it ("4. 確認收妥要求" › "5個工作天內以電郵或短訊確認", round
        // 55's third wave).
        if let Role::Cell { header: false } = c.role
            && [c.column_header, c.row_header]
                .into_iter()
                .flatten()
                .any(|h| {
                    self.of_block(h).iter().take(HEADER_SENTENCES).any(|x| {
                        !x.reading.ends_anything()
                            && ACKNOWLEDGED.iter().any(|w| x.folded.contains(w))
                    })
                })
        {
            return related();
        }
        // A yes/no cell answers its header's question: 是否支持线上注销 › 不支持.
        if let Role::Cell { header: false } = c.role
            && let Some(yes) = crate::extract::reading::cell_answer(&s.folded)
        {
            // The question is the column header's, or the row's and the column's together
            // ("Cancel a line" × "Online").
            let said = |h: Option<usize>, concept: Concept| self.says(h, concept);
            let (col, row) = (c.column_header, c.row_header);
            // A column that asks a question of its own answers that, not whether ("手机APP取消"
            // × "是否需要账号" › 是, round 20); a plain column ("Answer", 答复, a plan's or a
            // carrier's name) answers the row's (the review of round 20).
            // Not one that asks whether the row can be done (是否可辦理, round 36's reviews):
            // that is the row's question.
            // Not "是否需要到营业厅办理" (a shop needed?), which asks its own (the read-through).
            let own_question = col.is_some_and(|h| {
                self.of_block(h).iter().any(|x| {
                    x.reading.question
                        && (!asks_if_doable(&x.folded) || x.reading.all.has(Concept::Offline))
                })
            }) && !said(col, Concept::Terminate)
                && !said(col, Concept::Online);
            // "我可以透過線上客服辦哪些事？" above the table: every row is asked of that online
            // way (round 36's reviews). Only a question right above, naming no offline way, and
            // not of a fee's column ("Manage your plan online" › "Fee" › No).
            // Nor a cell that answers with its own offline way ("Needs our team" › "✔ 0800 555
            // 246 or store", round 62's second wave); not one that names a shop as an extra or
            // denies it ("✔ (or in store if you prefer)", "✔ no store visit needed", its review).
            let heading = c.headings.last().copied().filter(|&h| {
                !answers_offline(&s.reading, &s.folded)
                    && !said(col, Concept::Online)
                    && !said(row, Concept::Online)
                    && !said(col, Concept::Fee)
                    && self.short(h)
                    && self.of_block(h).iter().any(|x| x.reading.question)
                    && said(Some(h), Concept::Online)
                    && !said(Some(h), Concept::Offline)
            });
            // A dash says no only under a way's column: under "Fee" it is no fee (the
            // read-through of round 34).
            let dash = crate::extract::reading::is_dash(s.folded.trim());
            // A table whose rows are ways and whose columns are kinds of product, under a heading
            // about ending ("销户办理方式" › "网上营业厅" × "月费计划" › ✗, round 40's walk-through):
            // each cell answers for its column's kind.
            let transposed = || {
                (said(row, Concept::Online) || said(row, Concept::Offline))
                    && c.headings.last().is_some_and(|&h| self.heading_ends(h))
                    && self.column_kind(s.block).is_some()
            };
            let ends =
                said(col, Concept::Terminate) || said(row, Concept::Terminate) || transposed();
            let asks = !own_question
                && ends
                && (said(col, Concept::Online)
                    || said(row, Concept::Online)
                    || heading.is_some() && !said(col, Concept::Offline))
                && (!dash || said(col, Concept::Online));
            // "門號退租" × "直營門市" › ✓: a way offered offline, the row's or the column's
            // (round 34's reviews). A no there says nothing of the online way.
            let offline_yes = !asks
                && yes
                && !own_question
                && ends
                && (said(col, Concept::Offline) || said(row, Concept::Offline))
                && !said(col, Concept::Online)
                && !said(row, Concept::Online);
            if offline_yes {
                let shown: Vec<usize> = row.into_iter().chain(col).collect();
                return Some(self.make(k, Stance::OfflineOnly, Object::Service, shown));
            }
            // "門號退租" × "網路門市" › "✓※" with "※ 網路門市僅提供「退租預約」功能…": the
            // footnote makes the tick a booking, a check or an offline errand (round 38).
            if asks && yes && self.footnote_takes_back(s.block) {
                return related();
            }
            if asks {
                // "Website" › N beside "App" › Y in the ending's row: the no is that way's only,
                // and the row offers the other (round 35's walk-through).
                if !yes && row.is_some() && self.row_says_yes_online(s.block, row) {
                    return related();
                }
                let shown: Vec<usize> = heading.into_iter().chain(row).chain(col).collect();
                // What the table ends is its context's: "自助取消增值服務" over rows of
                // value-added services and a column "網上取消" (round 40).
                let (mut object, _) = self.resolve(s.block, None);
                // Not a row that names the service or a product of its own ("Cancel add-ons or
                // your plan" › "Mobile plan" × "Cancel online" › Yes, the read-through).
                if object == Object::Addon
                    && row.is_some_and(|h| {
                        self.of_block(h).iter().take(HEADER_SENTENCES).any(|x| {
                            let r = &x.reading;
                            (r.all.has(Concept::Product) || r.all.has(Concept::Service))
                                && !r.all.has(Concept::Addon)
                        })
                    })
                {
                    object = Object::Service;
                }
                return Some(self.make(k, answered(yes), object, shown));
            }
        }
        // "Can I cancel online?" › "Not yet. …", 「可否網上辦理終止服務？」 › 「答：可以。…」: a
        // bare yes or no that opens the answer answers the question's way (round 35's reviews).
        if let Some(yes) = bare_answer(&s.folded)
            && let Some(h) = self.asked_online_way(k)
        {
            return Some(self.make(k, answered(yes), Object::Service, vec![h]));
        }
        // Ending named only as a time ("counting from after termination", 終止後起計): the
        // channel in the sentence is for something done then, not for ending.
        if r.ends_anything() && !r.ending_named {
            return related();
        }
        if r.ends_service() {
            let mut stance = stance_of(r, r.service);
            // "以下業務仍需到營業廳辦理：" › "號碼銷戶：…": an item that names the ending but no
            // channel is done the way its lead-in says.
            let mut lead = None;
            let mut lead_heading = None;
            if stance == Stance::Related
                && let Some((l, heading, by_lead)) = self.channel_of_lead_in(s.block)
            {
                stance = by_lead;
                lead = Some(l);
                lead_heading = heading;
            }
            // "下列功能將停止提供：" › "「預付卡線上終止」": an online way listed under a lead-in
            // that withdraws what it lists is withdrawn (round 40).
            if stance == Stance::Online
                && let Some(l) = self.withdraws_what_follows(s.block)
            {
                stance = Stance::NegatedOnline;
                lead = Some(l);
            }
            // "To skip the hold queue, book a callback online:" › "Choose Cancel my service.":
            // the steps of booking a call are done online; the ending is done on the call
            // (round 64's first wave).
            if stance == Stance::Online && self.books_what_follows(s.block) {
                return related();
            }
            // "My Account › Services" … "Request disconnection ›": the page is the way. Only
            // where the page names no offline way for the ending: a label is a weaker word than
            // "must be done in store" (the read-through of round 37).
            let mut on_page = false;
            if stance == Stance::Related
                && lead.is_none()
                && let Some(area) = self.acts_here(s.block)
            {
                stance = Stance::Online;
                lead = Some(area);
                on_page = true;
            }
            // "Ending your service" › a form with its "Submit request" button: the page takes
            // the request itself. A weak offer, as a label is.
            let mut form = None;
            if stance == Stance::Related
                && lead.is_none()
                && let Some(f) = self.form_here(s.block)
            {
                stance = Stance::Online;
                form = Some(f);
                on_page = true;
            }
            // "App features" › "Add or remove lines on your account": under a heading that names
            // only an online channel, a list item that opens with ending is done there.
            if stance == Stance::Related
                && r.is_step()
                && self.ctx(s.block).list.is_some()
                && self.ctx(s.block).lead_in.is_none()
                && (opens_with_ending(self.lexicon, &s.text)
                    || taps_the_ending(self.lexicon, &s.folded))
                && let Some(h) = self.online_heading(s.block)
            {
                stance = Stance::Online;
                lead = Some(h);
            }
            if stance == Stance::Online
                && let Some(h) = self
                    .announced_heading(s.block)
                    .or_else(|| self.until_then(k))
                    .or_else(|| self.refusal_header(s.block))
            {
                stance = Stance::NegatedOnline;
                lead = Some(h);
            }
            // "Can I cancel my plan online?" › "No, plans cannot be cancelled this way.".
            if let Some(h) = self.refuses_asked_way(k, stance) {
                stance = Stance::NegatedOnline;
                lead = Some(h);
            }
            // "二、線上註銷嘗試" › "目前暫未開放線上註銷通道": a heading names the topic, and
            // the section's first words answer it.
            if stance == Stance::Online && self.answered_no(s.block) {
                return related();
            }
            // "Cancel online" › "You can cancel your contract online in My Account.": the
            // section says it again; the heading is no second offer of its own, which would
            // outweigh a denial elsewhere on the page (the review of round 23, G-09).
            if stance == Stance::Online && self.answered_yes(s.block) {
                return related();
            }
            let (object, from) = match self.porting_section(s.block) {
                // "…工作人员将现场办理入网并注销原卡" as a step of porting: the number stays.
                Some(h) => (Object::Addon, Some(h)),
                None => match r.object().or_else(|| self.object_before(k)) {
                    Some(o) => (o, None),
                    None => self.resolve(s.block, None),
                },
            };
            let (object, then) = self.renewal_ends_line(k, object, stance);
            let mut shown: Vec<usize> = if object == Object::Addon {
                from.into_iter().collect()
            } else {
                Vec::new()
            };
            shown.extend(lead_heading);
            shown.extend(lead);
            let mut evidence = self.make(k, stance, object, shown);
            evidence.weak = on_page;
            evidence.context.extend(form);
            evidence.context.extend(then);
            return Some(evidence);
        }
        if r.ends_anything() {
            let stance = stance_of(r, r.addon);
            let (object, then) = self.renewal_ends_line(k, Object::Addon, stance);
            let mut evidence = self.make(k, stance, object, Vec::new());
            evidence.context.extend(then);
            return Some(evidence);
        }
        let elsewhere = r.any_trap || r.all.has(Concept::Addon) || r.all.has(Concept::AutoRenewal);
        if (r.service.has(Concept::Online) || r.service.has(Concept::Offline)) && !elsewhere {
            let subject = self.subject(k)?;
            let mut stance = stance_of(r, r.service);
            // "Can I close my SIM online?" › "No, a SIM can only be closed by calling …".
            if self.refuses_asked_way(k, stance).is_some() {
                stance = Stance::NegatedOnline;
            }
            // "We do not accept cancellation in the following manner:" / "Via email.": the
            // refusal of the lead-in or heading binds to the ways listed under it.
            if subject.block != s.block && self.refuses_what_follows(subject.block)
                || stance == Stance::Online && self.refusal_header(s.block).is_some()
            {
                stance = match stance {
                    Stance::Online => Stance::NegatedOnline,
                    _ => Stance::Related,
                };
            }
            // "暫未開放網上銷戶，但可透過以下方式簡化流程：" › "在 App 預先上傳文件": under a
            // subject that denies the online way, an online step is not that way (it would
            // contradict the sentence it hangs from); it prepares for, or follows, another.
            if stance == Stance::Online
                && subject.block != s.block
                && self.denies_online(subject.block)
            {
                return related();
            }
            // "线上预约销户，到厅不用排队" › "打开小程序，点击「预约办理」": under a heading that
            // books the visit the ending is made on, an online step is the booking's (round 50's
            // first wave).
            if stance == Stance::Online && !r.ends_service() && self.under_a_booking(s.block) {
                return related();
            }
            // "Chat with Aroha" › "Aroha can't cancel a service for you": the way the heading
            // names is refused under it.
            if stance == Stance::Related
                || stance == Stance::Online
                    && matches!(self.ctx(s.block).role, Role::Heading)
                    && self.answered_no(s.block)
            {
                return related();
            }
            // "Ending your plan" › "Your app" › "See your usage" / "Pay your bill": a heading
            // that names an online channel heads a list of other errands there, not a way to
            // end (found by the walk-through of round 27).
            if stance == Stance::Online && self.lists_other_errands(s.block) {
                return related();
            }
            let (object, from) = match subject.object {
                Some(o) => (o, None),
                None => self.resolve(s.block, Some(subject.block)),
            };
            let mut shown: Vec<usize> = from.into_iter().collect();
            shown.push(subject.block);
            let mut evidence = self.make(k, stance, object, shown);
            // A paragraph under a heading, not a step of a list or a cell: an online word in it
            // that names no ending may be about something else ("your online connection").
            // A notice sent online under a heading about ending ("A notice can be sent via
            // email") is the request itself.
            // A way's bare label ("Live chat" under "How to cancel") is listed, not mentioned in
            // passing: it stands beside a phone or a postal address named for the ending as an
            // item would (round 32's second review, en23).
            let label = self.of_block(s.block).len() == 1 && way_label(&s.text);
            evidence.weak = stance == Stance::Online
                && !r.request_notice
                && !label
                && matches!(self.ctx(subject.block).role, Role::Heading)
                && matches!(self.ctx(s.block).role, Role::Text)
                && self.ctx(s.block).list.is_none();
            // Of such a mention, only a way told to the reader ("You can do this by email",
            // 请登录…) or one of the ways listed beside an offline one is one; a story or a
            // remark ("NBN called an emergency online meeting", "On its website, Acme
            // proclaims…") is not (round 23).
            if evidence.weak
                && !r.offline()
                && !crate::extract::reading::instructs(&crate::extract::normalise::for_matching(
                    &s.text,
                ))
            {
                return related();
            }
            // "二、網上辦理(部分省份)" above the steps: what holds under a qualified heading or
            // lead-in holds for some.
            evidence.qualified |= self
                .chain(s.block)
                .iter()
                .any(|&c| self.of_block(c).iter().any(|x| x.reading.qualified));
            // A subject in the sentence's own block ("You do not need to visit a shop to end
            // your plan. Just log in…") is shown too: the block itself is not.
            if subject.block == s.block
                && let Some(near) = self.ending_near(k)
            {
                evidence
                    .context
                    .push(bounded_shown(&self.sentences[near].text));
            }
            return Some(evidence);
        }
        related()
    }

    /// "To stop your plan renewing, choose Cancel at period end in your online account. Your
    /// plan and your phone line will then end…": stopping the renewal there is how the line is
    /// ended (round 48). What sentence `k`, an online way (`stance`) to end `object`, ends: the
    /// service, with the sentence after it in its block shown as context, when `k` stops an
    /// auto-renewal and that sentence says the line then ends ([`line_ends_then`]); else
    /// `object`, with nothing more to show.
    fn renewal_ends_line(
        &self,
        k: usize,
        object: Object,
        stance: Stance,
    ) -> (Object, Option<String>) {
        let s = &self.sentences[k];
        if object != Object::Addon
            || stance != Stance::Online
            || !s.reading.addon.has(Concept::AutoRenewal)
        {
            return (object, None);
        }
        match self
            .sentences
            .get(k + 1)
            .filter(|n| n.block == s.block && line_ends_then(n))
        {
            Some(n) => (Object::Service, Some(bounded_shown(&n.text))),
            None => (object, None),
        }
    }

    /// For a list item, the block that stands for its list: the lead-in, else the first of
    /// its siblings in the window; for a table cell, its row header (see
    /// [`Evidence::procedure`]).
    fn list_stands_for(&self, b: usize) -> Option<usize> {
        let c = self.ctx(b);
        // The cells of one row are one answer: "号码销户 › APP ✔ · 热线 — · 网上营业厅 ✔" offers
        // once (round 39).
        if let Some(h) = c.row_header {
            return Some(h);
        }
        c.list?;
        Some(
            c.lead_in
                .unwrap_or_else(|| self.siblings(b).next().map_or(b, |f| f.min(b))),
        )
    }

    /// The evidence of a line of a flattened table of ways ([`flat_table`]): a row about ending
    /// the service, whose header line some blocks above names a way for each of its marks.
    /// Any online way marked yes offers it; else online ways all marked no refuse it; else a
    /// way marked yes offline is the only one.
    fn flat_row(&self, k: usize) -> Option<Evidence> {
        let s = &self.sentences[k];
        let (label_end, marks) = flat_table::row_marks(&s.text)?;
        let label = crate::extract::reading::read(self.lexicon, &s.text[..label_end]);
        if !label.ends_anything() {
            return None;
        }
        let (header, splits) = (s.block.saturating_sub(FLAT_HEADER_BLOCKS)..s.block)
            .rev()
            .map(|b| (b, &self.blocks[b]))
            .take_while(|(_, t)| t.chars().count() <= FLAT_HEADER_CHARS)
            .filter(|(_, t)| flat_table::row_marks(t).is_none())
            .find_map(|(b, t)| {
                let folded = crate::extract::normalise::for_matching(t);
                let spans = self.lexicon.ways(&folded);
                let splits = flat_table::columns(&folded, marks.len(), &spans);
                (!splits.is_empty()).then_some((b, splits))
            })?;
        // Every way of splitting the header must give the row one answer.
        let stance = |ways: &[Option<flat_table::Way>]| {
            let marked = |kind: flat_table::Way| {
                ways.iter()
                    .zip(&marks)
                    .filter(move |(w, _)| **w == Some(kind))
                    .map(|(_, &m)| m)
            };
            let mut online = marked(flat_table::Way::Online).peekable();
            if online.peek().is_none() {
                marked(flat_table::Way::Offline)
                    .any(|m| m)
                    .then_some(Stance::OfflineOnly)
            } else if online.any(|m| m) {
                Some(Stance::Online)
            } else {
                Some(Stance::NegatedOnline)
            }
        };
        let first = stance(&splits[0])?;
        if splits[1..].iter().any(|w| stance(w) != Some(first)) {
            return None;
        }
        let stance = first;
        let object = match label.object() {
            Some(Object::Addon) => Object::Addon,
            _ => Object::Service,
        };
        let mut e = self.make(k, stance, object, vec![header]);
        // A row about ending one kind of product is that kind's, as in a table
        // ([`Page::row_product`]): "宽带拆机 是 是 否 否" beside "号码销户 是 否 是 是".
        let row = &s.text[..label_end];
        if let Some(kind) = row_kind(&kinds_named(row), row) {
            e.products = vec![kind];
        }
        Some(e)
    }

    fn make(&self, k: usize, stance: Stance, object: Object, shown: Vec<usize>) -> Evidence {
        let s = &self.sentences[k];
        // A way refused for the hours of a maintenance ("系統維護期間，App 暫停受理門號退租",
        // "during the maintenance window") is paused, not refused (the read-through of round 40).
        let stance = match stance {
            Stance::NegatedOnline if MAINTENANCE.iter().any(|w| s.folded.contains(w)) => {
                Stance::Related
            }
            // What a trial offered, on a page that says the trial is over and not extended
            // ("…推出「網上終止服務試行計劃」，讓…透過 App 遞交終止服務申請" above "試行計劃將於…
            // 結束，並不會延長"), is history (round 44's reviews).
            Stance::Online
                if crate::extract::reading::names_a_trial(&s.folded)
                    && *self.trial_over.get_or_init(|| {
                        self.sentences
                            .iter()
                            .any(|x| crate::extract::reading::trial_over(&x.folded))
                    }) =>
            {
                Stance::Related
            }
            // A badge ("網上辦理 ✓*", a cell's "在线 ✓²") whose footnote makes the way a booking
            // or refuses it (round 45's probes): as for a marked tick.
            Stance::Online
                if self
                    .blocks
                    .get(s.block)
                    .is_some_and(|t| !note_mark(t).is_empty())
                    && self.footnote_takes_back(s.block) =>
            {
                Stance::Related
            }
            // A way's row header ("網路門市" in a table of ways under 退租服務管道) whose tick
            // carries a mark the footnote takes back ("✓*" with "* 網路門市及APP僅提供退租
            // 預約…", 46bd/11): the row offers no more than its tick.
            Stance::Online if self.row_tick_taken_back(s.block) => Stance::Related,
            _ => stance,
        };
        Evidence {
            block: s.block,
            sentence: s.text.clone(),
            concepts: s
                .reading
                .all
                .iter()
                .filter(|c| {
                    !matches!(
                        c,
                        Concept::Trap
                            | Concept::Rejection
                            | Concept::Refer
                            | Concept::Forward
                            | Concept::Consequence
                    )
                })
                .map(|c| c.as_str().to_string())
                .collect(),
            stance,
            context: shown
                .into_iter()
                .filter(|&b| b != s.block)
                .map(|b| self.shown(b))
                .collect(),
            ending: match object {
                Object::Service => Ending::Service,
                Object::Addon => Ending::Addon,
            },
            qualified: s.reading.qualified,
            products: self.products(k, stance),
            weak: false,
            reachable: stance == Stance::NotCancellable && self.contact_near(s.block),
            procedure: self.list_stands_for(s.block),
            others_refused: matches!(stance, Stance::OfflineDemanded | Stance::NegatedOnline)
                && self.others_refused_after(k),
            replaced: false,
        }
    }

    /// Does the sentence after sentence `k`, in its block or opening the next, refuse every
    /// other way and end nothing of its own ("Requests made through any other channel will not
    /// be processed.")?
    fn others_refused_after(&self, k: usize) -> bool {
        self.sentences.get(k + 1).is_some_and(|x| {
            x.block <= self.sentences[k].block + 1
                && !x.reading.ends_anything()
                && crate::extract::verdict::refuses_other_ways(&x.folded)
        })
    }

    /// Does block `b`, or one of the next [`CONTACT_LOOK`] blocks of its section, name only an
    /// offline way to reach the carrier (a hotline, a shop)? "For enquiries, please call our
    /// prepaid hotline" after "Prepaid SIM cards cannot be terminated".
    fn contact_near(&self, b: usize) -> bool {
        // Asked by every refusal of the block: worked out once.
        *self.contact[b].get_or_init(|| self.find_contact(b))
    }

    fn find_contact(&self, b: usize) -> bool {
        let heading = self.ctx(b).headings.last();
        (b..self.blocks.len().min(b + 1 + CONTACT_LOOK))
            .take_while(|&x| x == b || self.ctx(x).headings.last() == heading)
            .any(|x| {
                self.of_block(x).iter().any(|s| {
                    // A contact of its own: not the refusal ("恕不接受電話銷戶") nor a list of
                    // ways that names an online one.
                    let r = &s.reading;
                    // Also one asked of for enquiries ("如有任何疑問，請致電服務熱線 1000 或親臨
                    // 門市查詢", round 36's reviews): a trap's clause, but how to reach them.
                    let offline = r.offline()
                        || r.any_trap && {
                            let c = self.lexicon.concepts(&s.folded);
                            c.has(Concept::Offline) && !c.has(Concept::Online)
                        };
                    offline && !r.online() && !r.ends_anything() && !r.negated_offline
                })
            })
    }

    /// Is block `b` a heading under no other?
    fn top_heading(&self, b: usize) -> bool {
        self.ctx(b).role == Role::Heading
            && self.ctx(b).headings.is_empty()
            && !self.menu_heading(b)
    }

    /// Is block `b` the heading of a menu at the top of the page ("Help topics" over a sidebar's
    /// list of links, before the article's own title, round 47's waves): a heading under no
    /// other among the first [`TITLE_BLOCKS`], followed only by list items up to the next such
    /// heading, within [`MENU_ITEMS`] blocks?
    fn menu_heading(&self, b: usize) -> bool {
        if self.related_links(b) {
            return true;
        }
        if b >= TITLE_BLOCKS {
            return false;
        }
        let end = self.blocks.len().min(b + 1 + MENU_ITEMS);
        let next = (b + 1..end)
            .find(|&x| self.ctx(x).role == Role::Heading && self.ctx(x).headings.is_empty());
        next.is_some_and(|n| n > b + 2 && (b + 1..n).all(|x| self.ctx(x).role == Role::Item))
    }

    /// Is block `b` the heading of a list of related links that closes the page ("相關主題" over
    /// links to other FAQ pages, in a sidebar after the article, round 52's first wave): at
    /// least two and at most [`MENU_ITEMS`] list items after it, to the page's end, each one
    /// link alone?
    fn related_links(&self, b: usize) -> bool {
        let rest = b + 1..self.blocks.len();
        rest.len() >= 2
            && rest.len() <= MENU_ITEMS
            && rest.clone().all(|x| {
                self.ctx(x).role == Role::Item
                    && self.blocks.get(x).is_some_and(|t| {
                        let t = t.trim();
                        t.starts_with('[')
                            && t.ends_with(')')
                            && crate::extract::links::links_in(t).len() == 1
                    })
            })
    }

    /// Is block `b` the page's breadcrumb trail ("Support > My account > Cancelling your
    /// service", round 36's reviews)? One of the first [`BREADCRUMB_BLOCKS`], not a list item,
    /// cut into at least three short parts by a trail's separator, the first a home or help
    /// page's name. Its "My account" is where the page sits, not a way.
    fn breadcrumb(&self, b: usize) -> bool {
        b < BREADCRUMB_BLOCKS
            && !matches!(self.ctx(b).role, Role::Item)
            && self.blocks.get(b).is_some_and(|t| is_trail(t, b == 0))
    }

    /// How many row headers of the table holding row header `h` name an ending of the service,
    /// looked for among the cells next to it, at most [`ROW_CELLS`] × 4 blocks either side. A
    /// row that cancels an add-on ("加值服務申請／取消" under 退租, round 54's first wave) is
    /// another errand, not another product's ending.
    fn ending_rows(&self, h: usize) -> usize {
        let cell = |x: &usize| matches!(self.ctx(*x).role, Role::Cell { .. });
        let reach = ROW_CELLS * 4;
        let before = (h.saturating_sub(reach)..h).rev().take_while(cell);
        let after = (h..(h + reach).min(self.blocks.len())).take_while(cell);
        let headers: std::collections::BTreeSet<usize> = before
            .chain(after)
            .filter_map(|x| self.ctx(x).row_header)
            .collect();
        headers
            .into_iter()
            // A header's first sentences name what its row ends; a header of thousands of
            // sentences is read no further (the read-through of round 39).
            .filter(|&r| {
                self.of_block(r)
                    .iter()
                    .take(HEADER_SENTENCES)
                    .any(|x| x.reading.ends_service())
            })
            .count()
    }

    /// Is heading `h` short and about ending the service, asking nothing and trapping nothing
    /// ("销户办理方式")?
    fn heading_ends(&self, h: usize) -> bool {
        self.short(h)
            && self.of_block(h).iter().any(|x| x.reading.ends_service())
            && !self
                .of_block(h)
                .iter()
                .any(|x| x.reading.question || x.reading.any_trap)
    }
}

/// Words that set porting aside, after the fold: the question is about something else.
const NOT_PORTING: [&str; 12] = [
    // Round 37's reviews: "What if I want to end my line without porting?"
    "without porting",
    "without transferring",
    "without keeping your number",
    "not porting",
    "不携号",
    "不保留号码",
    "不是要转网",
    "不是转网",
    "不转网",
    "不要转网",
    "不是携号",
    "并非携号",
];

/// How many blocks from the top of a page its breadcrumb trail is looked for in.
const BREADCRUMB_BLOCKS: usize = 3;
/// How many characters a trail's part may have.
const TRAIL_PART_CHARS: usize = 40;
/// The names of a trail's first part, after lower-casing.
const TRAIL_HOMES: [&str; 16] = [
    "home",
    "support",
    "help",
    "help centre",
    "help center",
    "customer support",
    "personal",
    "首頁",
    "主頁",
    "首页",
    "主页",
    "支援",
    "支持",
    "幫助",
    "帮助",
    "客戶服務",
];

/// Is `text` a breadcrumb trail: parts split by " > ", " › ", " » " or " / ", at least three, each
/// short, the first a home or help page's name unless the trail `opens` the page ("中国移动APP ›
/// 设置 › 账号与安全 › 注销账号")? A part may be a link ("[Home](https://…)").
fn is_trail(text: &str, opens: bool) -> bool {
    if !at_most_chars(text, 4 * TRAIL_PART_CHARS) {
        return false;
    }
    // Spaced separators only: markup kept as text ("<i>Plan 0</i>: …") holds bare ones.
    let parts: Vec<&str> = text
        .split(" > ")
        .flat_map(|p| p.split(" › "))
        .flat_map(|p| p.split(" » "))
        .flat_map(|p| p.split(" / "))
        .map(str::trim)
        .collect();
    let name = |p: &str| {
        let p = p.strip_prefix('[').map_or(p, |inner| {
            inner.split_once("](").map_or(inner, |(name, _)| name)
        });
        p.trim().to_lowercase()
    };
    // A trail names pages; a part that quotes a menu's name or ends a sentence is a step's
    // text around a menu path ("打开“中国广电”微信小程序,点击“我的 › 号卡管理 › 号码注销”,完成
    // 身份核验后提交即可。", round 50's first wave). Not a comma: menus have them ("Plans, SIMs
    // and eSIMs", 号卡,套餐; the read-back of round 50).
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && at_most_chars(p, TRAIL_PART_CHARS)
                && !p.contains(['“', '”', '「', '」', '。', ';', '；'])
        })
        && (opens || TRAIL_HOMES.contains(&name(parts[0]).as_str()))
}

/// Does sentence `n` say that the line, number or service will end ("Your plan and your phone
/// line will then end…", "…your number will end on the last day")? Without a negation, a
/// question or a trap; read in its first [`MAX_CONTEXT_CHARS`] characters.
fn line_ends_then(n: &Sentence) -> bool {
    const THEN_ENDS: [&str; 5] = [
        " will then end",
        " will end ",
        " will end.",
        " will then be closed",
        " will then close",
    ];
    let r = &n.reading;
    let t = crate::extract::block::first_chars(&n.folded, MAX_CONTEXT_CHARS);
    r.service.has(Concept::Service)
        && !r.negated
        && !r.question
        && !r.any_trap
        && ["line", "number", "service"]
            .iter()
            .any(|w| names_word(t, w))
        && THEN_ENDS.iter().any(|w| t.contains(w))
}

/// Does a column's question ask whether the row can be done (是否可辦理, 可否辦理), after the
/// fold? Then it is the row's question.
fn asks_if_doable(t: &str) -> bool {
    ["是否可", "可否", "能否", "是否支持"]
        .iter()
        .any(|w| t.contains(w))
        && ["办理", "受理"].iter().any(|w| t.contains(w))
}

/// What a yes or a no to the question of the online way says of it.
fn answered(yes: bool) -> Stance {
    if yes {
        Stance::Online
    } else {
        Stance::NegatedOnline
    }
}

/// An English list item that opens with the verb that ends ("Remove a line from your account",
/// "Add or remove lines", "Cancel your plan"), in its plain form: not a topic ("Cancelling your
/// contract: what you need to know"), a state ("Cancelled lines stay visible"), a noun or a
/// label of one word. Chinese items are left out: a menu's 網上服務 › 終止服務 is a link to a page that
/// may name a shop, and nothing tells it from a list of what the site does.
fn opens_with_ending(lexicon: &Lexicon, item: &str) -> bool {
    // Verbs only: "Disconnection requests take 5 days" and "Cancellation forms are available"
    // open with the ending's noun (the review of round 27).
    const VERBS: [&str; 11] = [
        "cancel",
        "terminate",
        "end",
        "close",
        "remove",
        "disconnect",
        "discontinue",
        "delete",
        "release",
        "deactivate",
        "cease",
    ];
    let text = crate::extract::normalise::for_matching(item);
    let text = text.strip_prefix("add or ").unwrap_or(&text);
    let mut words = text.split(' ');
    words.next().is_some_and(|first| VERBS.contains(&first))
        && words.next().is_some()
        && lexicon.scan(text).first_at(Concept::Terminate) == Some(0)
}

/// Does a cell (after the fold) answer with an offline way of its own: a yes mark, then the way
/// itself ("✔ 0800 555 246 or store"), not an extra ("✔ (or in store if you prefer)") nor a
/// denied one ("✔ no store visit needed")?
fn answers_offline(r: &crate::extract::reading::Reading, folded: &str) -> bool {
    let after = folded
        .trim_start()
        .trim_start_matches(['✓', '✔', '√', '●', '☑'])
        .trim_start();
    r.offline()
        && !r.negated_offline
        && !r.all.has(Concept::Negation)
        && !after.starts_with(['(', '（'])
        && ![
            "or ", "also", "even", "no ", "without", "也", "或", "不", "无需", "毋须", "免",
        ]
        .iter()
        .any(|w| after.starts_with(w))
}

/// Does a step (after the fold) press the ending's button ("Scroll to the bottom and tap End
/// plan.", 点击“注销号码”)? Under a heading that names only the app (round 62's fifth wave:
/// "In the NomaData app" › the steps) it is done there.
/// The button is what is pressed: the ending follows the word within a few characters ("tap End
/// plan", 点击“注销号码”), not later in the step ("Tap Usage to download your statements before
/// you cancel", the review of round 62).
fn taps_the_ending(lexicon: &Lexicon, folded: &str) -> bool {
    const PRESS: [&str; 7] = [
        "tap ", "select ", "click ", "press ", "点击", "点选", "按「",
    ];
    /// How far after the word the button's ending may start, in bytes (a quote and an article).
    const NEAR: usize = 8;
    PRESS.iter().any(|w| {
        // Scanned from the word itself: "tap end plan" is the term, not bare "end plan".
        folded.match_indices(w).any(|(at, _)| {
            lexicon
                .scan(&folded[at..])
                .first_at(Concept::Terminate)
                .is_some_and(|p| p <= w.len() + NEAR)
        })
    })
}

/// Words of a maintenance window, after the fold.
const MAINTENANCE: [&str; 8] = [
    "维护期间",
    "系统维护",
    "维护时段",
    "maintenance window",
    "during maintenance",
    "during the maintenance",
    // The days a bill is drawn up (每月1日…为出账期,线上销户入口暂不开放, 45c/01).
    "出账期",
    "出帐期",
];

/// A column header's words for how a request is acknowledged, after the fold.
const ACKNOWLEDGED: [&str; 6] = [
    "acknowledg",
    "confirmation",
    "确认方式",
    "确认通知",
    "回复方式",
    "确认收妥",
];

/// Words of a lead-in that offers what it lists, after the fold: a condition ("if", 如, 若) and
/// a way offered instead ("you can also", 亦可, 还可以).
const OFFERS_INSTEAD: [&str; 12] = [
    "if ",
    "you can",
    "you may",
    "can also",
    "亦可",
    "也可",
    "还可",
    "可以",
    "如未能",
    "如无法",
    "如不能",
    "若",
];

/// Words of a pause, after the fold: a way paused for maintenance ("During this window the
/// following will be temporarily unavailable:", 升级期间…以下功能暂停使用：) comes back; it is
/// not withdrawn ([`Page::withdraws_what_follows`]).
const PAUSED: [&str; 8] = [
    "temporar",
    "during",
    "maintenance",
    "暂停",
    "暂时",
    "期间",
    "维护",
    "升级",
];

/// What joins the topics a heading names side by side ("暂停及终止", "Suspending, porting and
/// terminating"), beside " and ".
const TOPIC_JOINS: [char; 5] = ['及', '和', '与', '、', '&'];

/// The topics a heading (folded) names side by side, split at " and " and [`TOPIC_JOINS`].
fn topic_parts(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(" and ")
        .flat_map(|p| p.split(TOPIC_JOINS))
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// Does a lead-in (folded) say that what follows is what its way handles ("可處理事項：", "適用於：",
/// "Our team can help with:"), not what still needs someone else ("These still need a person:",
/// the review of round 63)?
fn lists_what_it_handles(folded: &str) -> bool {
    const HANDLES: [&str; 7] = [
        "可处理",
        "处理事项",
        "适用于",
        "可办理",
        "help with",
        "help you with",
        "sort out",
    ];
    const ELSEWHERE: [&str; 5] = ["still", "need", "仍", "需要", "必须"];
    HANDLES.iter().any(|w| folded.contains(w)) && !ELSEWHERE.iter().any(|w| folded.contains(w))
}

/// Errands of the line itself that a heading may name beside its ending, after the fold
/// ("暫停及取消", "Suspending, porting and cancelling").
const LINE_ERRANDS: [&str; 10] = [
    "暂停",
    "停机",
    "转网",
    "携号",
    "携码",
    "转台",
    "suspen",
    "porting",
    "pausing",
    "号码变更",
];

/// A heading's topic of ending the service, as its part opens, after the fold ("暂停及终止",
/// "退订与终止说明"); not a bare "cancel" / 取消, which is as often an add-on's.
const ENDING_TOPICS: [&str; 8] = [
    // Also 终止服务 and 终止租用, which open with it.
    "终止",
    "terminating",
    "termination",
    "disconnection",
    "销户",
    "销号",
    "退租",
    "拆机",
];

/// Words that make a header a condition, after the fold.
const CONDITIONS: [&str; 6] = [" if", " when", " unless", "如果", "若", "除非"];

/// How many blocks a menu at the top of a page may hold ([`Page::menu_heading`]).
const MENU_ITEMS: usize = 24;

/// Labels of a way to reach the provider that the lexicon leaves out on purpose (bare "phone" and
/// 电话 are in "phone number" and 电话卡), after the fold and lower-casing.
const CHANNEL_LABELS: [&str; 14] = [
    "phone",
    "telephone",
    "by phone",
    "call",
    "post",
    "mail",
    "电话",
    "电话客服",
    // Round 55 (round 54's opened probes): a contact table's rows "Chat" and "Email" name ways
    // of reaching the provider, not products.
    "chat",
    "web chat",
    "live chat",
    "email",
    "e-mail",
    "在线客服",
];

/// The place of a block given no context: a plain paragraph.
static PARAGRAPH: Context = Context {
    role: Role::Text,
    headings: Vec::new(),
    lead_in: None,
    list: None,
    row_header: None,
    column_header: None,
    form: None,
    struck: false,
};

/// Number porting, after the Traditional → Simplified fold and lower-casing.
const PORTING: [&str; 7] = [
    "携号转网",
    "携码",
    "转网",
    "porting",
    "port your number",
    "port-out",
    "pac code",
];

/// The stance of a statement about ending something, from the channels it names.
pub fn stance_of(r: &Reading, channels: crate::extract::lexicon::Concepts) -> Stance {
    if channels.has(Concept::Online) {
        if r.negated {
            Stance::NegatedOnline
        } else {
            Stance::Online
        }
    } else if channels.has(Concept::Offline) && !r.negated_offline {
        if r.offline_demanded {
            Stance::OfflineDemanded
        } else {
            Stance::OfflineOnly
        }
    } else if r.cannot_end && !r.refuses_ways {
        // "We do not accept cancellation in the following manner:" refuses the ways it lists,
        // not ending itself ([`Page::refuses_what_follows`]).
        Stance::NotCancellable
    } else {
        Stance::Related
    }
}

#[cfg(test)]
mod tests;
