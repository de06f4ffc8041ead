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

use std::collections::{BTreeMap, BTreeSet};

use crate::extract::block::{MAX_CONTEXT_CHARS, at_most_chars, cut_chars};
use crate::extract::lexicon::Concept;
use crate::extract::lexicon::Lexicon;
use crate::extract::normalise::sentences;
use crate::extract::reading::{Object, Reading};
use crate::extract::structure::{Place as Context, Role, introduces};
use crate::extract::verdict::{Ending, Evidence, Stance, is_cancellation_wording};

mod account_page;
mod flat_table;
mod form;
pub(crate) mod replaced;
mod subject;
mod wrapped;

/// How far context is followed.
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
    replaced: std::cell::OnceCell<Vec<usize>>,
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
            for s in sentences(&readable) {
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

    /// The date section `h` is dated with: in its heading ("【113/09/02】…公告"), or on a short
    /// line among the first [`DATE_LINES`] blocks under it ("Posted 12 September 2023",
    /// 公告日：2024/06/14). A date inside the notice's text ("From 15 September 2023, …") is
    /// when something happens, not when the notice was made, and is not read.
    pub(crate) fn section_date(&self, h: usize) -> Option<chrono::NaiveDate> {
        let short = |t: &str| t.chars().nth(DATE_LINE_CHARS).is_none();
        std::iter::once(h)
            .chain((h + 1..self.blocks.len()).take(DATE_LINES))
            // A sub-heading's date is its own notice's, not this section's (round 42).
            .filter(|&b| b == h || self.section_head(b) == Some(h))
            .filter_map(|b| self.blocks.get(b))
            .filter(|t| short(t))
            .find_map(|t| {
                if updates(t) {
                    crate::extract::dates::notice_date(t)
                } else {
                    crate::extract::dates::first_date(t)
                }
            })
    }

    /// The notice a statement of block `b` stands in: `b` itself when it is a paragraph that
    /// opens with an update's label and date ("Update – 14 April 2025: we no longer take
    /// cancellations over Chat", round 42), else its section ([`Page::section_head`]).
    /// Below a section's own date, a statement stands in the post that the nearest short dated
    /// line above it opens ("kwok2046 2026-08-20", "回答3 2025-05-09": a thread's
    /// replies, round 42).
    pub(crate) fn notice_of(&self, b: usize) -> Option<usize> {
        if self.ctx(b).role != Role::Heading && self.opening_notice_date(b).is_some() {
            return Some(b);
        }
        let head = self.section_head(b);
        let post = (b.saturating_sub(POST_LINES)..b)
            .rev()
            .take_while(|&x| self.ctx(x).role != Role::Heading)
            .find(|&x| self.post_date(x).is_some());
        match (post, head) {
            // The line that dates the section itself ("Posted 12 September 2023" under its
            // heading): the section is the notice.
            (Some(p), Some(h)) if p <= h + DATE_LINES && self.section_date(h).is_some() => head,
            (Some(p), _) => Some(p),
            (None, _) => head,
        }
    }

    /// Does block `b` stand in notice `h` ([`Page::notice_of`])? A heading's notice holds its
    /// whole section.
    pub(crate) fn in_notice(&self, b: usize, h: usize) -> bool {
        match self.ctx(h).role {
            // Not a statement of a dated notice nested in it ("历史公告" with its own dates under
            // the newest notice's heading, round 43).
            Role::Heading => {
                self.in_section(b, h)
                    && self
                        .notice_of(b)
                        .is_none_or(|n| n == h || self.notice_date(n).is_none())
            }
            _ => self.notice_of(b) == Some(h),
        }
    }

    /// The date of notice `h` ([`Page::notice_of`]): a section's, a paragraph's opening date,
    /// or a post's date line.
    pub(crate) fn notice_date(&self, h: usize) -> Option<chrono::NaiveDate> {
        match self.ctx(h).role {
            Role::Heading => self.section_date(h),
            _ => self.opening_notice_date(h).or_else(|| self.post_date(h)),
        }
    }

    /// Does a short edit stamp of the page ("Article last updated: June 4, 2025", 本页最后更新：
    /// 2024-09-02) date it after `date`? Read only over undated text beside a notice; at most
    /// [`STAMP_BLOCKS`] blocks are looked at.
    pub(crate) fn edited_after(&self, date: chrono::NaiveDate) -> bool {
        self.blocks.iter().take(STAMP_BLOCKS).any(|t| {
            t.chars().nth(DATE_LINE_CHARS).is_none()
                && edit_stamp(t).is_some_and(|at| {
                    t.get(at..)
                        .and_then(crate::extract::dates::any_date)
                        .is_some_and(|d| d > date)
                })
        })
    }

    /// The date of a short line that holds one ("soso_hk 2024-05-11", "作者 lazyrabbit ‧
    /// 2024/08/02").
    fn post_date(&self, b: usize) -> Option<chrono::NaiveDate> {
        let t = self.blocks.get(b)?;
        if t.chars().nth(DATE_LINE_CHARS).is_some() {
            return None;
        }
        // "Article last updated: June 4, 2025", 本页最后更新: the page's edit, not a post.
        if edit_stamp(t).is_some() {
            return None;
        }
        crate::extract::dates::line_date(t)
    }

    /// The date a paragraph opens with after an update's label, within its first
    /// [`DATE_LINE_CHARS`] characters.
    fn opening_notice_date(&self, b: usize) -> Option<chrono::NaiveDate> {
        let lead = crate::extract::block::first_chars(self.blocks.get(b)?, DATE_LINE_CHARS);
        updates(lead)
            .then(|| crate::extract::dates::first_date(lead))
            .flatten()
    }

    /// Does block `b`, a paragraph, open with an update's label and date ("Update – June 2:
    /// …", 【更新 2024/03/01】…)?
    pub(crate) fn opens_update(&self, b: usize) -> bool {
        self.ctx(b).role != Role::Heading
            && (self.opening_notice_date(b).is_some()
                || self.blocks.get(b).is_some_and(|t| update_label(t)))
    }

    /// Is heading `h` (or the date line that stands as its heading, or a paragraph opening a
    /// notice) an update or notice
    /// ("Update – 15 September 2026", 公告：合併後服務異動, 【更新】)?
    pub(crate) fn heads_an_update(&self, h: usize) -> bool {
        self.blocks.get(h).is_some_and(|t| updates(t))
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
        let plain = |b: usize| place(b).role == Role::Text && place(b).list.is_none();
        let mut text = crate::extract::links::without_targets(block);
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
        for part in folded
            .split(" and ")
            .flat_map(|p| p.split(TOPIC_JOINS))
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
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
                        && !LINE_ENDINGS.iter().any(|w| t.contains(w))
                        && !self.names_ending_apart(&t)
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
    /// auto-renewal, a trap or a question.
    fn channel_of_lead_in(&self, b: usize) -> Option<(usize, Stance)> {
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
                    // online way and nothing ended, asked or trapped (`aside` above).
                    || ["办理", "辦理"].iter().any(|w| t.contains(w))
            };
        // The sentence nearest the list introduces it: "無需輪候熱線！你可透過 WhatsApp …辦理以下
        // 服務：" lists what WhatsApp does, not the hotline (round 39). One that ends with a colon
        // is the only one read: "大部分嘢你都可以喺 app 自己搞…不過有幾樣嘢一定要真人幫你處理："
        // lists what the app does not do (round 40).
        let ss = match ss.split_last() {
            Some((last, _)) if last.text.trim_end().ends_with([':', '：']) => {
                std::slice::from_ref(last)
            }
            _ => ss,
        };
        ss.iter().rev().find_map(|x| {
            // 以下業務仍需到營業廳辦理 is read as an add-on clause: its channel counts here, and
            // so does its negation (以下业务无法在网上营业厅办理), which an add-on clause is not
            // read for.
            let r = &x.reading;
            let mut stance = stance_of(r, r.service.union(r.addon));
            if stance == Stance::Online
                && !r.service.has(Concept::Online)
                && r.addon.has(Concept::Negation)
            {
                stance = Stance::NegatedOnline;
            }
            let named = match stance {
                Stance::OfflineDemanded | Stance::NegatedOnline | Stance::OfflineOnly => true,
                Stance::Online => introducing,
                _ => false,
            };
            named.then_some((l, stance))
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
            if !siblings.clone().any(ends_service)
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
        let refuses = stance == Stance::NotCancellable
            || matches!(stance, Stance::OfflineOnly | Stance::OfflineDemanded)
                && (crate::extract::reading::opens_with_no(&s.folded)
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

    /// Does the footnote a marked cell points to ("✓※", "Yes*", "✓△") take its tick back?
    /// The footnote is the first block after the cell, within [`FOOTNOTE_LOOK`] blocks and
    /// outside the table, that opens with the mark. It takes the tick back when it speaks of
    /// the online way and makes it a booking, a check or an add-on's. A footnote that narrows
    /// the tick ("* Not available for business accounts") or denies the online way leaves it:
    /// for the others, or to contradict.
    fn footnote_takes_back(&self, b: usize) -> bool {
        // The mark may stand on the cell ("✓※") or on its row's or column's header
        // ("取消服務 #"); a run of marks ("✓**") is matched whole.
        let c = self.ctx(b);
        let Some(mark) = [Some(b), c.row_header, c.column_header]
            .into_iter()
            .flatten()
            .filter_map(|x| self.blocks.get(x))
            .map(|t| note_mark(t))
            .find(|m| !m.is_empty())
        else {
            return false;
        };
        let Some(f) = (b + 1..self.blocks.len().min(b + 1 + FOOTNOTE_LOOK)).find(|&x| {
            !matches!(self.ctx(x).role, Role::Cell { .. })
                && self.blocks.get(x).is_some_and(|t| {
                    t.trim_start().strip_prefix(mark).is_some_and(|rest| {
                        !rest.starts_with(FOOTNOTE_MARKS)
                            && !rest.starts_with(|c: char| c.is_ascii_digit())
                    })
                })
        }) else {
            return false;
        };
        // It speaks of the online way (網路門市, APP, 我的賬戶) and makes it a booking, a check
        // or an add-on's: "※ 網路門市只提供退租預約…仍須本人…到該門市". A note about a shop's
        // hours, a group of customers sent to the shop, or what follows an online request
        // ("you will receive a confirmation email") leaves the tick (the second read-through).
        let ss = self.of_block(f);
        // Read in its own words: the trap's clause, which names the way, is dropped from the
        // reading.
        // It names the ending too: "* You will receive a confirmation email" follows an online
        // request, it does not take it back.
        let (mut online, mut ends) = (false, false);
        for x in ss {
            let c = self.lexicon.concepts(&x.folded);
            online |= c.has(Concept::Online);
            ends |= c.has(Concept::Terminate);
        }
        let other = ss
            .iter()
            .any(|x| x.reading.any_trap || x.reading.object() == Some(Object::Addon));
        // Or it refuses the online ending for everyone ("* …終止服務申請必須由登記用戶親臨門市
        // 遞交，網上恕不受理", "¹ …we can't end a contract from a web request alone"): the mark
        // ties the refusal to the tick, which is taken back, not contradicted (round 45's
        // reviews). A refusal for some customers only narrows the tick and leaves it.
        // So does one that sends the ending itself offline ("The cancellation itself can only
        // be done by phone", 終止服務手續須由登記客戶本人…親臨客戶服務中心辦理, "…is completed by
        // the Leaving team during that call, or in a store"), where the note offers no online
        // way of its own and narrows nothing ("* 只適用於個人客戶", "* Prepaid lines excepted").
        let stance = |x: &Sentence| stance_of(&x.reading, x.reading.service);
        let refused = ss.iter().any(|x| {
            !x.reading.qualified
                && match stance(x) {
                    Stance::NegatedOnline | Stance::OfflineDemanded => true,
                    Stance::OfflineOnly => x.reading.service.has(Concept::Terminate),
                    _ => false,
                }
        });
        // Not a charge looked up online ("* In My Heron you can see any cancellation charges").
        let offers = ss.iter().any(|x| {
            stance(x) == Stance::Online
                && !x.reading.any_trap
                && x.reading.service.has(Concept::Terminate)
                && !x.reading.all.has(Concept::Fee)
                && !x.reading.all.has(Concept::Refund)
        });
        let narrows = ss
            .iter()
            .any(|x| NARROWS.iter().any(|w| x.folded.contains(w)));
        online && ends && (other || refused && !offers && !narrows)
    }

    /// Is block `b` the cell that heads a table's row (a `<th>` or its first cell) whose row
    /// answers yes with a marked tick ("✓*") that its footnote takes back
    /// ([`Page::footnote_takes_back`])? Only the cells within [`ROW_CELLS`] blocks after it are
    /// read.
    fn row_tick_taken_back(&self, b: usize) -> bool {
        matches!(self.ctx(b).role, Role::Cell { .. })
            && (b + 1..self.blocks.len().min(b + ROW_CELLS + 1))
                .filter(|&x| self.ctx(x).row_header == Some(b))
                .any(|x| {
                    self.blocks.get(x).is_some_and(|t| {
                        !note_mark(t).is_empty() && crate::extract::reading::yes_no(t) == Some(true)
                    }) && self.footnote_takes_back(x)
                })
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
        matches!(self.ctx(b).role, Role::Cell { header: false })
            && self.ctx(b).row_header.is_none()
            && self.ctx(b + 1).row_header == Some(b)
            && self
                .of_block(b + 1)
                .first()
                .is_some_and(|x| crate::extract::reading::cell_answer(&x.folded).is_some())
            && self.ctx(b + 1).column_header.is_some_and(|h| {
                self.of_block(h).iter().any(|x| {
                    [Concept::Terminate, Concept::Online, Concept::Offline]
                        .iter()
                        .any(|&c| x.reading.all.has(c))
                })
                // Or a kind of product, in a table of ways by kind (round 40's walk-through).
                || self.column_kind(b + 1).is_some()
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
        let errands = (first..self.blocks.len().min(end))
            .take_while(under)
            .all(|x| self.ctx(x).list.is_some() && !self.of_block(x).iter().any(names_a_way));
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
        if header || r.question || self.labels_an_answer(s.block) || self.breadcrumb(s.block) {
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
        if let Role::Cell { header: false } = c.role
            && c.column_header.is_some_and(|h| {
                self.of_block(h).iter().take(HEADER_SENTENCES).any(|x| {
                    !x.reading.ends_anything() && ACKNOWLEDGED.iter().any(|w| x.folded.contains(w))
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
            let heading = c.headings.last().copied().filter(|&h| {
                !said(col, Concept::Online)
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
            if stance == Stance::Related
                && let Some((l, by_lead)) = self.channel_of_lead_in(s.block)
            {
                stance = by_lead;
                lead = Some(l);
            }
            // "下列功能將停止提供：" › "「預付卡線上終止」": an online way listed under a lead-in
            // that withdraws what it lists is withdrawn (round 40).
            if stance == Stance::Online
                && let Some(l) = self.withdraws_what_follows(s.block)
            {
                stance = Stance::NegatedOnline;
                lead = Some(l);
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
                && opens_with_ending(self.lexicon, &s.text)
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

    /// The product a statement is about when the page names it: the row header of a cell, a
    /// short label before a colon ("中国移动：…", "eSIM: …") that is not itself wording, or else
    /// the kinds of product the sentence names ("eSIM customers can end their plan in the app",
    /// 儲值卡…須親臨門市, "Prepaid and eSIM customers…"). The kinds are looked for only in a
    /// statement that decides (related wording is answered for no product), as it folds the
    /// sentence once more. A list item's lead-in may name them too ([`Page::lead_in_kinds`]).
    fn products(&self, k: usize, stance: Stance) -> Vec<String> {
        if let Some(label) = self.labelled_product(k) {
            return vec![label];
        }
        if stance == Stance::Related {
            return Vec::new();
        }
        kinds_named(&self.sentences[k].text)
            .particular()
            .unwrap_or_default()
    }

    /// The kinds of product named by the lead-in of list item `b` ("To end your postpaid line,
    /// use one of these channels:" › "Visit a shop"), read in the lead-in's last sentence, in its
    /// first [`MAX_CONTEXT_CHARS`] characters (every item of a long list reads it again). Only a
    /// lead-in that introduces the list (a colon, 如下) and sets no kind apart: one that denies
    /// something ("Prepaid SIMs cannot be closed online, but you can cancel a monthly plan as
    /// follows:") or makes an exception ("Except for prepaid SIMs, you can cancel by:", 除儲值卡
    /// 以外…) names the kind its list is not for.
    pub fn lead_in_kinds(&self, b: usize) -> Option<Vec<String>> {
        const EXCEPT: [&str; 10] = [
            "except",
            "other than",
            "apart from",
            "excluding",
            "not including",
            "除了",
            "以外",
            "之外",
            "除外",
            "不包括",
        ];
        let l = self.ctx(b).lead_in.filter(|&l| l < b)?;
        let last = self.of_block(l).last()?;
        let r = &last.reading;
        let introducing = introduces(self.blocks.get(l)?.as_str()) || r.points_forward;
        if !introducing || r.negated || r.cannot_end || r.negated_offline {
            return None;
        }
        let head: String = last.text.chars().take(MAX_CONTEXT_CHARS).collect();
        let folded = crate::extract::normalise::for_matching(&head);
        if EXCEPT.iter().any(|w| folded.contains(w)) {
            return None;
        }
        kinds_named(&folded).particular()
    }

    /// The kinds of product named by the question block `b` answers: the paragraph right before
    /// it when that is one question ("流量卡不用了，能在線上銷戶嗎？" › "可以。"), or the heading
    /// above it when that asks. Read in its first [`MAX_CONTEXT_CHARS`] characters.
    pub fn question_kinds(&self, b: usize) -> Option<Vec<String>> {
        let c = self.ctx(b);
        let before = b.checked_sub(1).filter(|&p| {
            let ss = self.of_block(p);
            ss.len() == 1
                && ss[0].reading.question
                && !matches!(self.ctx(p).role, Role::Item | Role::Cell { .. })
                && (c.headings.last() == Some(&p) || self.ctx(p).headings == c.headings)
        });
        let q = before.or_else(|| {
            c.headings
                .last()
                .copied()
                .filter(|&h| self.of_block(h).iter().any(|x| x.reading.question))
        })?;
        kinds_named(&cut_chars(self.blocks.get(q)?, MAX_CONTEXT_CHARS)).particular()
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
        if b >= TITLE_BLOCKS {
            return false;
        }
        let end = self.blocks.len().min(b + 1 + MENU_ITEMS);
        let next = (b + 1..end)
            .find(|&x| self.ctx(x).role == Role::Heading && self.ctx(x).headings.is_empty());
        next.is_some_and(|n| n > b + 2 && (b + 1..n).all(|x| self.ctx(x).role == Role::Item))
    }

    /// The page's title: its first heading under no other, among the first [`TITLE_BLOCKS`].
    fn title_block(&self) -> Option<usize> {
        (0..self.blocks.len().min(TITLE_BLOCKS)).find(|&b| self.top_heading(b))
    }

    /// The one kind of product the page's title names ("Terminate your monthly plan / 終止月費
    /// 計劃"): the page's own subject. Only among the first [`TITLE_BLOCKS`] blocks.
    /// A title that names none takes the kind its opening paragraph says the page is for
    /// ("This page is for customers whose account is registered to an ABN or ACN", round 46).
    pub fn title_kind(&self) -> Option<Vec<String>> {
        let t = self.title_block()?;
        let one = |text: &str| {
            kinds_named(&cut_chars(text, MAX_CONTEXT_CHARS))
                .particular()
                .filter(|k| k.len() == 1)
        };
        one(self.blocks.get(t)?).or_else(|| {
            let intro = self.blocks.get(self.intro_block(t)?)?;
            let folded = crate::extract::normalise::for_matching(&cut_chars(intro, INTRO_CHARS));
            let head = cut_chars(&folded, SCOPE_OPENER_CHARS);
            SCOPE_OPENERS
                .iter()
                .any(|w| head.contains(w))
                .then(|| one(intro))
                .flatten()
        })
    }

    /// The paragraph that opens the page, right after its title `t`: within [`INTRO_LOOK`]
    /// blocks, not a breadcrumb.
    fn intro_block(&self, t: usize) -> Option<usize> {
        (t + 1..self.blocks.len().min(t + 1 + INTRO_LOOK))
            .find(|&x| self.ctx(x).role == Role::Text && !self.breadcrumb(x))
    }

    /// The folded words of every group of customers ([`AUDIENCES`]) and kind of product
    /// ([`KINDS`]) the page's title names (a page "For customers registered with a passport",
    /// 副卡业务常见问题, 欠费停机号码如何销户?): whom the page is written for (round 45). With it,
    /// whether a group of customers is among them: a condition of a line (無欠費, 無合約) sets
    /// apart other customers from a group, not from a kind of product (46x/12: an eSIM page
    /// whose official reply names the conditions of the way).
    pub fn title_audience(&self) -> Option<(Vec<&'static str>, bool)> {
        let t = self.title_block()?;
        // With its second line, if it has one ([`Page::title_is_sole`]).
        let mut title = crate::extract::normalise::for_matching(&cut_chars(
            self.blocks.get(t)?,
            MAX_CONTEXT_CHARS,
        ));
        if let Some(next) = self.blocks.get(t + 1).filter(|_| self.top_heading(t + 1)) {
            title.push(' ');
            title.push_str(&crate::extract::normalise::for_matching(&cut_chars(
                next,
                MAX_CONTEXT_CHARS,
            )));
        }
        // And the paragraph that opens the page, for groups of customers only: "This FAQ is for
        // customers who registered their line with a foreign passport", 本頁說明副號的權益與限制
        // under a title that names none (round 45's and 46's probes). Products it names are
        // what the page sells, not whom it is for.
        let intro = self
            .intro_block(t)
            .and_then(|x| self.blocks.get(x))
            .map(|x| crate::extract::normalise::for_matching(&cut_chars(x, INTRO_CHARS)))
            .unwrap_or_default();
        let named: Vec<(&'static [&'static str], bool)> = AUDIENCES
            .iter()
            .map(|(_, words)| (*words, true))
            .chain(KINDS.iter().map(|(_, words)| (*words, false)))
            .filter(|(words, group)| {
                words
                    .iter()
                    .any(|w| names_word(&title, w) || *group && names_word(&intro, w))
            })
            .collect();
        let group = named.iter().any(|(_, group)| *group);
        let words: Vec<&'static str> = named
            .iter()
            .flat_map(|(words, _)| words.iter().copied())
            .collect();
        (!words.is_empty()).then_some((words, group))
    }

    /// Is the page's title ([`Page::title_kind`]) its only top-level heading, not the first of
    /// several sections side by side ("Postpaid plans", then "eSIM")?
    pub fn title_is_sole(&self) -> bool {
        let top = |b: usize| self.top_heading(b);
        // A title in two lines (an English one, `<br>`, its Chinese twin) is one title: a top-level
        // heading right after another continues it (round 45's reviews).
        (0..self.blocks.len())
            .filter(|&b| top(b) && !(b > 0 && top(b - 1)))
            .nth(1)
            .is_none()
    }

    /// Is `name` one of the kinds of product ("prepaid", "eSIM"), not a label read as a
    /// product (a speaker's name, a provider's)?
    pub fn is_kind(name: &str) -> bool {
        KINDS.iter().any(|(kind, _)| *kind == name)
    }

    /// The kinds of product a scope line names for the section of block `b` ("適用:個人戶月租型
    /// 門號", "Applies to: prepaid SIMs" right under a heading of its section or atop the page,
    /// round 43): every statement of the section is said of them. At most [`SCOPE_LINES`]
    /// blocks under each heading are looked at, each read in its first [`MAX_CONTEXT_CHARS`]
    /// characters.
    pub fn scope_kinds(&self, b: usize) -> Option<Vec<String>> {
        let chain = &self.ctx(b).headings;
        std::iter::once(0)
            .chain(chain.iter().map(|&h| h + 1))
            .flat_map(|start| start..b.min(start + SCOPE_LINES))
            .filter_map(|x| self.blocks.get(x))
            .find(|t| {
                let head = crate::extract::normalise::for_matching(
                    crate::extract::block::first_chars(t, SCOPE_LABEL_CHARS),
                );
                SCOPE_LABELS.iter().any(|w| head.starts_with(w))
            })
            .and_then(|t| kinds_named(&cut_chars(t, MAX_CONTEXT_CHARS)).particular())
    }

    /// The kinds of product named by the heading right above block `b` ("If your number is on a
    /// physical SIM" › "Visit your nearest store"), read in its first [`MAX_CONTEXT_CHARS`]
    /// characters. Only a heading under another: the outermost one is the page's title, and
    /// names what the whole page is about ("Deactivating your SIM or eSIM").
    pub fn heading_kinds(&self, b: usize) -> Option<Vec<String>> {
        let chain = &self.ctx(b).headings;
        let &h = chain.last().filter(|_| chain.len() >= 2)?;
        kinds_named(&cut_chars(self.blocks.get(h)?, MAX_CONTEXT_CHARS)).particular()
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

    /// How many row headers of the table holding row header `h` name an ending, looked for
    /// among the cells next to it, at most [`ROW_CELLS`] × 4 blocks either side.
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
                    .any(|x| x.reading.ends_anything())
            })
            .count()
    }

    /// Is the page a dialogue: does some block open with a speaker's role as its label ("You:",
    /// "Customer:", "客服：")? Then every label is a speaker's ("Maya (Demo):"), not a product's
    /// (round 39's walk-through). Looked for once per page, in a bounded head of each block.
    fn dialogue(&self) -> bool {
        *self.dialogue.get_or_init(|| {
            self.blocks.iter().any(|b| {
                label_split(b).is_some_and(|(label, _)| {
                    let folded = crate::extract::normalise::for_matching(label.trim());
                    SPEAKERS.contains(&folded.as_str())
                })
            }) || named_speakers(self.blocks)
        })
    }

    fn labelled_product(&self, k: usize) -> Option<String> {
        self.block_product(self.sentences[k].block)
    }

    /// The product a row header names for its cells: a header that names nothing the lexicon
    /// knows, one kind of product, broadband, or a row that ends something of its own.
    fn row_product(&self, h: usize) -> Option<String> {
        // A step's number ("1", "2", "3" down a table of steps, round 40) names no product;
        // nor does an aspect ("How", "Who can cancel" beside a column per account type, round
        // 42): the column's kind is the cell's.
        if self.blocks.get(h).is_some_and(|t| {
            let head = crate::extract::block::first_chars(t, PRODUCT_CHARS).trim();
            clause_label(head) || aspect_label(&crate::extract::normalise::for_matching(head))
        }) {
            return None;
        }
        let hs = self.of_block(h);
        // Read and named within bounds: every sentence of a cell asks, and a hostile header
        // may hold thousands of sentences (the read-through of round 39: 9 s for a header of
        // 40,000 sentences over a cell of 10,000, copied whole each time).
        if hs
            .iter()
            .take(HEADER_SENTENCES)
            .all(|x| x.reading.all.is_empty())
        {
            return Some(cut_chars(self.blocks.get(h)?, MAX_CONTEXT_CHARS));
        }
        // A row about ending one kind of product is that kind's: in a table of ways, the
        // broadband row (宽带拆机 › —) stands beside the mobile number's (手机号码销户 ›
        // 中国移动APP), round 34's reviews.
        let header = cut_chars(self.blocks.get(h)?, MAX_CONTEXT_CHARS);
        let kinds = kinds_named(&header);
        if let Some(kind) = row_kind(&kinds, &header) {
            return Some(kind);
        }
        if kinds != Kinds::None {
            return None;
        }
        // A row that ends something of its own ("Terminate SIM-only plan" beside "Terminate
        // handset plan") answers for that row: a tick in one and a dash in the other are two
        // answers, not a contradiction (round 39).
        let rows = self.ending_rows(h);
        (rows > 1 && header.chars().nth(ROW_PRODUCT_CHARS).is_none())
            .then(|| header.trim().to_string())
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

    /// The one kind of product a cell's column header names, for a table whose rows are ways
    /// and whose columns are products ("網上客戶服務中心" × "儲值卡／預繳卡" › ✗, round 40).
    fn column_kind(&self, b: usize) -> Option<String> {
        let h = self.ctx(b).column_header?;
        match kinds_named(&cut_chars(self.blocks.get(h)?, MAX_CONTEXT_CHARS)) {
            Kinds::Some(mut kinds) if kinds.len() == 1 => kinds.pop(),
            _ => None,
        }
    }

    /// The product block `b` is labelled with: its row header, or a short label before a colon.
    fn block_product(&self, b: usize) -> Option<String> {
        let c = self.ctx(b);
        if let Some(h) = c.row_header {
            return self.row_product(h).or_else(|| self.column_kind(b));
        }
        let Some((label, rest)) = label_split(self.blocks.get(b)?) else {
            return self.provider_heading(b);
        };
        // "Go to https://…": the colon is an address's.
        if rest.starts_with("//") {
            return None;
        }
        let label = label.trim();
        let words = label.chars().count();
        let matching = crate::extract::normalise::for_matching(label);
        let plain = self.lexicon.concepts(&matching).is_empty();
        // "Phone: our hotline is open daily" labels a way to reach the provider, not a product.
        let channel = CHANNEL_LABELS.contains(&matching.as_str());
        // "[Here](https://…) you can end your plan": the colon is a link target's, not a label's.
        let link = label.contains('[');
        (words > 0
            && words <= PRODUCT_CHARS
            && plain
            && !channel
            && !link
            && !faq_marker(&matching)
            && !aspect_label(&matching)
            && !step_label(&matching)
            && !clause_label(&matching)
            && !speaker_label(&matching)
            && !self.dialogue()
            && !NOTE_LABELS.contains(&matching.trim_matches(['*', '※', ' ']))
            && !LATEST_WORDS.iter().any(|w| matching.contains(w))
            // "2025年3月31日：试点已按计划结束" dates a statement; it names no product (round 42).
            && crate::extract::dates::line_date(label).is_none()
            // "Update 3 March: our online trial has ended" labels an update (round 43).
            && !updates(label)
            && !numbered_note(&matching))
        .then(|| label.to_string())
        .or_else(|| self.provider_heading(b))
    }

    /// The provider whose section of a comparison block `b` stands in ("Telstra" › "Cancel in
    /// the My Telstra app"; 雲鵲行動 › 官網會員中心有「申請退租」按鈕, round 41): each provider's
    /// way is an answer of its own, not a contradiction of the next one's.
    fn provider_heading(&self, b: usize) -> Option<String> {
        let &h = self.ctx(b).headings.last().filter(|&&h| h != b)?;
        let name = self.blocks.get(h)?;
        self.providers
            .get_or_init(|| self.find_providers())
            .contains(&h)
            .then(|| cut_chars(name, PRODUCT_CHARS).trim().to_string())
    }

    /// The headings of a page that compares providers: one that says so near its top ("here's
    /// how each telco handles it", 三大電信對照, 比較) and has, below that, at least
    /// [`MIN_PROVIDERS`] sibling headings that are short plain names (no word the lexicon knows,
    /// no question, no step, clause or section label). One pass over the blocks, each heading
    /// read once.
    fn find_providers(&self) -> BTreeSet<usize> {
        // Most pages compare nothing: the cue is looked for first, near the page's top.
        let Some(cue) = self.near_top(compares_providers) else {
            return BTreeSet::new();
        };
        // Each heading once, with the chain above it.
        let mut parents: BTreeMap<usize, &[usize]> = BTreeMap::new();
        for c in self.context {
            if let Some((&h, parent)) = c.headings.split_last() {
                parents.entry(h).or_insert(parent);
            }
        }
        let mut siblings: BTreeMap<&[usize], BTreeSet<usize>> = BTreeMap::new();
        for (h, parent) in parents {
            // The names come after the words that say the page compares.
            if h > cue && self.plain_name(h) {
                siblings.entry(parent).or_default().insert(h);
            }
        }
        siblings
            .into_values()
            .filter(|names| names.len() >= MIN_PROVIDERS)
            .flatten()
            .collect()
    }

    /// Does sentence `k` report, in a chat with the provider, that its agent ended the service
    /// there and then ("Done – I've lodged the disconnection for 14 June", 已為您送出退租申請,
    /// round 41)? The chat is the online way, though no sentence names it. Said by a speaker who
    /// is not the customer, on a page that is a dialogue and says near its top that it is a
    /// chat.
    fn done_in_chat(&self, k: usize) -> bool {
        let s = &self.sentences[k];
        let r = &s.reading;
        // Not an add-on stopped in the chat (已为您退订以上两项业务, round 39's reviews), nor the
        // way to a shop told in it (已为您登记，请到门市办理).
        if !r.all.has(Concept::Terminate)
            || r.all.has(Concept::Addon)
            || r.all.has(Concept::Offline)
            || r.negated
            || r.cannot_end
            || !DONE_IN_CHAT.iter().any(|w| s.folded.contains(w))
        {
            return false;
        }
        let Some((label, _)) = self
            .blocks
            .get(s.block)
            .and_then(|b| crate::extract::reading::speaker_split(b))
        else {
            return false;
        };
        !label.trim().is_empty() && !customer_label(label) && self.chat()
    }

    /// Is the page a chat with the provider: a dialogue, one of whose first [`DIALOGUE_LOOK`]
    /// blocks is labelled by a customer ("You:", 用戶：), that says near its top that it is a
    /// chat ([`CHATS`])? The agent is told apart from that customer: one who goes by a name
    /// ("Sam: Done – I've cancelled by phone") is not. Worked out once per page.
    fn chat(&self) -> bool {
        *self.chat.get_or_init(|| {
            self.blocks.iter().take(DIALOGUE_LOOK).any(|b| {
                crate::extract::reading::speaker_split(b).is_some_and(|(l, _)| customer_label(l))
            }) && self.dialogue()
                && self
                    .near_top(|head| CHATS.iter().any(|w| head.contains(w)))
                    .is_some()
        })
    }

    /// The first of the page's first [`TOP_LOOK`] blocks that `says` something of the page,
    /// each read in its first [`MAX_CONTEXT_CHARS`] characters, after the fold.
    fn near_top(&self, says: impl Fn(&str) -> bool) -> Option<usize> {
        self.blocks.iter().take(TOP_LOOK).position(|t| {
            says(&crate::extract::normalise::for_matching(&cut_chars(
                t,
                MAX_CONTEXT_CHARS,
            )))
        })
    }

    /// Is block `h` a short plain name: a heading that could name a provider?
    fn plain_name(&self, h: usize) -> bool {
        let Some(text) = self.blocks.get(h) else {
            return false;
        };
        if !at_most_chars(text, PRODUCT_CHARS) {
            return false;
        }
        let folded = crate::extract::normalise::for_matching(text.trim());
        self.of_block(h)
            .iter()
            .all(|x| x.reading.all.is_empty() && !x.reading.question)
            && !folded.is_empty()
            && !SECTION_NAMES.contains(&folded.as_str())
            && !faq_marker(&folded)
            && !step_label(&folded)
            && !clause_label(&folded)
            && !aspect_label(&folded)
    }
}

/// What an agent says when the ending is done in the chat itself, after the fold: a verb that
/// completes it. Not 已为您查询 (looked it up) nor "has been disconnected" (a port-out, an unpaid
/// bill: the read-through of round 41).
const DONE_IN_CHAT: [&str; 26] = [
    "done –",
    "done -",
    "done!",
    "i've lodged",
    "i have lodged",
    "i've cancelled",
    "i have cancelled",
    "i've disconnected",
    "i have disconnected",
    "i've processed",
    "right here in the chat",
    "in this chat",
    "已为您办理",
    "已为您送出",
    "已为您提交",
    "已为您终止",
    "已为您注销",
    "已为您销户",
    "已为您退租",
    "已帮您办理",
    "已帮您提交",
    "已帮您注销",
    "已帮您销户",
    "本对话",
    "这个对话",
    "此对话",
];

/// A customer's label in a chat, after the fold: the start of it.
const CUSTOMERS: [&str; 9] = [
    "you", "customer", "me", "user", "client", "用户", "客户", "顾客", "我",
];

/// Words near a page's top that make its dialogue a chat with the provider, after the fold.
const CHATS: [&str; 9] = [
    "chat",
    "whatsapp",
    "messenger",
    "线上客服",
    "在线客服",
    "网上客服",
    "网络客服",
    "对话记录",
    "聊天",
];

/// How many sibling headings of plain names make a page's sections one per provider.
const MIN_PROVIDERS: usize = 3;

/// How many blocks at a page's top are read for what the page is: a comparison of providers
/// ([`compares_providers`]) or a chat ([`CHATS`]).
const TOP_LOOK: usize = 8;

/// Is a chat's label a customer's ("You", "Customer", 用戶)?
fn customer_label(label: &str) -> bool {
    let label = crate::extract::normalise::for_matching(label.trim());
    CUSTOMERS.iter().any(|c| label.starts_with(c))
}

/// Does `text` say that the page compares providers ("how each telco handles a cancellation",
/// 三大電信的對照)? Both a word of comparing and a word for providers are needed, or "each"
/// right before the providers: "Compare the options below" or "each plan … network" compare no
/// providers (the read-through of round 41). `text` is after the fold.
fn compares_providers(text: &str) -> bool {
    const COMPARES: [&str; 11] = [
        "compare",
        "comparison",
        " vs",
        "比较",
        "对照",
        "对比",
        "各家",
        "三家",
        "四家",
        "五家",
        "各大",
    ];
    const PROVIDERS: [&str; 16] = [
        "telco",
        "carrier",
        "provider",
        "network",
        "operator",
        "mvno",
        "电信",
        "电讯",
        "运营商",
        "营运商",
        "业者",
        "移动",
        "三家",
        "四家",
        "五家",
        "各家",
    ];
    let names = |t: &str| PROVIDERS.iter().any(|p| t.contains(p));
    // "each telco", "every big carrier": the providers right after the word.
    let each = |w: &str| {
        text.match_indices(w).any(|(at, _)| {
            let next: String = text[at..].chars().take(EACH_REACH).collect();
            names(&next)
        })
    };
    COMPARES.iter().any(|w| text.contains(w)) && names(text) || each("each ") || each("every ")
}

/// How many characters from "each" or "every" the providers are looked for.
const EACH_REACH: usize = 20;

/// Names of a page's sections that no provider goes by, after the fold.
const SECTION_NAMES: [&str; 24] = [
    "overview",
    "eligibility",
    "things to know",
    "before you start",
    "good to know",
    "important",
    "notes",
    "note",
    "summary",
    "details",
    "faq",
    "faqs",
    "help",
    "contact us",
    "the bottom line",
    "our verdict",
    "概览",
    "须知",
    "注意事项",
    "说明",
    "常见问题",
    "总结",
    "备注",
    "小结",
];

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
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && at_most_chars(p, TRAIL_PART_CHARS))
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

/// Longest sentence read as a bare answer ("答：暫時不可以。" is 9 characters).
const BARE_ANSWER_CHARS: usize = 24;

/// A bare yes or no that opens an answer ("Yes.", "Not yet.", 答：可以。, "A: No"): the whole
/// sentence, after a FAQ marker. `folded` is the sentence after the fold.
fn bare_answer(folded: &str) -> Option<bool> {
    if folded.chars().nth(BARE_ANSWER_CHARS).is_some() {
        return None;
    }
    let t = folded.trim();
    let t = match label_split(t) {
        Some((label, rest)) if faq_marker(label.trim()) => rest.trim(),
        _ => t,
    };
    // The whole sentence: "No, there isn't a cancel button on the website" answers a narrower
    // question than its heading's (round 33's review, en27).
    let head = t.trim_end_matches(['.', '。', '!', '！', ' ']).trim();
    match head {
        "not yet" | "not at the moment" | "not currently" | "暂时不可以" | "暂时不行"
        | "还不可以" | "暂未" | "尚未" | "暂不" => Some(false),
        // "答：目前不支持。" (round 40): the answer for now.
        _ => crate::extract::reading::yes_no_folded(head).or_else(|| {
            ["目前", "现时", "现在", "暂时"]
                .iter()
                .find_map(|w| head.strip_prefix(w))
                .and_then(crate::extract::reading::yes_no_folded)
        }),
    }
}

/// "A: Yes, you can…", "Q2:", 答：: a FAQ's question or answer marker, not a product's label
/// (the review of round 18: en-3401's answer was read as product "A"). After the fold.
fn faq_marker(label: &str) -> bool {
    let numbered = |p: char| {
        label
            .strip_prefix(p)
            .is_some_and(|n| n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit()))
    };
    numbered('q')
        || numbered('a')
        || matches!(
            label,
            "question" | "answer" | "问" | "答" | "问题" | "回答" | "解答"
        )
        // Who speaks in a thread: 网友提问, 官方回复, "Staff reply" (round 34's held-out review).
        // A message board's fields: 留言标题, 回复内容 (round 35's reviews).
        || ["提问", "回复", "回覆", "reply", "asked", "asks", "标题", "内容", "留言"]
            .iter()
            .any(|w| label.ends_with(w))
}

/// "1. 办理时效", "操作流程", "Note", "Step 2": a label naming an aspect of the procedure (its
/// time, steps, papers, fees, conditions) or a note, not a product (round 19: zhs-4470's
/// "1. 办理时效" was shown as a product). After the fold.
fn aspect_label(label: &str) -> bool {
    const ASPECTS_ZH: [&str; 21] = [
        "时效",
        "时间",
        "流程",
        "步骤",
        "材料",
        "费用",
        "条件",
        "注意",
        "说明",
        "提示",
        "方式",
        "渠道",
        "最新",
        "更新",
        "重要",
        "方法",
        "办法",
        "新功能",
        "公告",
        "附注",
        "备注",
    ];
    // "New: you can also end your plan yourself", "Update:", "Reminder:": an announcement.
    const ASPECTS_EN: [&str; 35] = [
        "note",
        "notes",
        "tip",
        "tips",
        "step",
        "steps",
        "time",
        "fee",
        "fees",
        "document",
        "documents",
        "requirement",
        "requirements",
        "condition",
        "conditions",
        "important",
        "new",
        "update",
        "updated",
        "reminder",
        "notice",
        "news",
        // "Option 2:", "Method 1:", "Way 3:" number the ways, not products (the review of
        // round 20).
        "option",
        "options",
        "method",
        "methods",
        "way",
        "ways",
        // Round 42: a thread's "Edit:", a table's "How" and "Who" columns.
        "edit",
        "how",
        "who",
        "where",
        "when",
        "what",
        "why",
    ];
    // The head of the phrase comes last, in both languages: 長時間通話卡 is a card, "Talk Time
    // Plan" a plan, "Processing time" and 办理时效 an aspect.
    let head = label.trim_end_matches(|c: char| {
        c.is_ascii_digit() || c.is_whitespace() || c == '.' || "一二三四五六七八九十".contains(c)
    });
    if ASPECTS_ZH.iter().any(|w| head.ends_with(w)) {
        return true;
    }
    head.rsplit(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| !w.is_empty())
        .is_some_and(|w| ASPECTS_EN.contains(&w))
}

/// "进入个人中心", "2. 联系运营商客服", "Call T-Mobile": a label that opens with what to do names a
/// step, not a product (round 23: 14 such labels on 11 cached pages were shown as products; a
/// product is named by a noun). "直接…" (directly …) opens a step too. After the fold.
fn step_label(label: &str) -> bool {
    const VERBS_ZH: [&str; 33] = [
        "进入", "登录", "选择", "点击", "提交", "填写", "联系", "拨打", "致电", "携带", "前往",
        "确认", "等待", "打开", "下载", "输入", "上传", "归还", "退还", "结清", "缴清", "申请",
        "准备", "查询", "发送", "预约", "咨询", "提供", "理解", "了解", "阅读", "直接", "核对",
    ];
    // Steps that are no instruction to reach a way (the instruction's verbs are shared with
    // `reading::instructs`).
    const STEPS_EN: [&str; 7] = [
        "enter", "return", "check", "confirm", "wait", "dial", "download",
    ];
    // The number of a step goes first: "2. ", "3、", "①", "(一)".
    let rest = label.trim_start_matches(|c: char| {
        c.is_ascii_digit()
            || c.is_whitespace()
            || ".、)）(（".contains(c)
            || ('①'..='⑳').contains(&c)
            || "一二三四五六七八九十".contains(c)
    });
    VERBS_ZH.iter().any(|v| rest.starts_with(v))
        || rest
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .is_some_and(|w| {
                STEPS_EN.contains(&w) || crate::extract::reading::opens_with_imperative(w)
            })
}

/// Does `sentence` open with a pronoun or with a name the heading holds ("Aroha can't …" under
/// "Chat with Aroha, our virtual assistant")? A name is capitalised and not a determiner.
fn names_the_way(sentence: &str, heading: &str) -> bool {
    const PRONOUNS: [&str; 2] = ["she", "he"];
    const NOT_NAMES: [&str; 8] = ["The", "Our", "Your", "You", "We", "This", "These", "A"];
    let first = sentence
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if PRONOUNS.contains(&first.to_ascii_lowercase().as_str()) {
        return true;
    }
    first.chars().count() >= 3
        && first.chars().next().is_some_and(char::is_uppercase)
        && !NOT_NAMES.contains(&first)
        && heading
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == first)
}

/// A way named as a label: a few words, perhaps a colon and what to dial or write to after
/// it, no sentence ("Live chat", "WhatsApp: +852 5555 1234", "網上客服").
fn way_label(text: &str) -> bool {
    let text = text.trim();
    let head = text.split([':', '：']).next().unwrap_or(text);
    at_most_chars(text, WAY_LABEL_CHARS)
        && at_most_chars(head, WAY_LABEL_HEAD_CHARS)
        && head.split_whitespace().count() <= 3
        && !text.ends_with(['.', '。', '!', '！', '?', '？'])
}

/// Longer than this, a paragraph is more than a way's label and what to dial after it.
const WAY_LABEL_CHARS: usize = 48;
/// Longer than this, the words before a label's colon are more than a way's name.
const WAY_LABEL_HEAD_CHARS: usize = 20;

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

/// Kinds of product a page may answer differently for, by the words that name them (after the
/// fold and lower-casing). Broader words (SIM, plan, service) name no kind.
const KINDS: [(&str, &[&str]); 7] = [
    ("eSIM", &["esim", "e-sim"]),
    // Round 41: the counterpart of an eSIM, set apart in its own section ("If your number is on
    // a physical SIM" › "Visit your nearest store").
    (
        "physical SIM",
        &[
            "physical sim",
            "physical sims",
            "physical sim card",
            "physical sim cards",
            "实体卡",
            "实体sim",
            "实体sim卡",
        ],
    ),
    (
        "prepaid",
        &[
            "prepaid",
            "pre-paid",
            "储值卡",
            "储值咭",
            "预付卡",
            "预付咭",
            // Round 37's reviews: 预付费卡(含旅游卡…), 预付卡 as mainland pages say it.
            "预付费",
            // Round 39: 預繳卡 (CUniq's word for a prepaid card).
            "预缴卡",
            "预缴咭",
        ],
    ),
    (
        "postpaid",
        &[
            "postpaid",
            "post-paid",
            "contract customer",
            "contract customers",
            "contract plan",
            "contract plans",
            "月费计划",
            // Round 39: 月費客戶 (HK pages' word for postpaid customers).
            "月费客户",
            "月费合约",
            "合约客户",
            "后付费",
            "月租型",
        ],
    ),
    (
        "data card",
        &["data card", "data sim", "数据卡", "上网卡", "流量卡"],
    ),
    // Round 39: corporate lines set apart from personal ones ("企業戶門號恕不適用線上退租"
    // beside the personal lines' online way).
    (
        "corporate",
        &[
            "corporate line",
            "corporate lines",
            "corporate account",
            "corporate accounts",
            "corporate customers",
            "business accounts",
            // Round 40: 商業客戶之終止申請…恕不接受經 My HKT 應用程式辦理.
            "business account",
            "business customer",
            "business customers",
            // Round 46: "Business Mobile – Frequently Asked Questions", "registered to an ABN".
            "business mobile",
            "abn",
            // Round 41: "Business lines can't be cancelled in My Cascade Business."
            "business line",
            "business lines",
            "商业客户",
            "商业账户",
            "企业户",
            "公司户",
            "企业客户",
            "政企客户",
            "集团客户",
            // Round 47's first wave: 企業行動服務 常見問題, 企業門號, 公司門號.
            "企业行动",
            "企业门号",
            "企业用户",
            "公司门号",
        ],
    ),
    // Round 41: personal lines, the counterpart of corporate ones, in their own section
    // ("個人客戶" › "個人客戶的網上賬戶並不設取消號碼功能" beside the ECSP platform's way for
    // companies). Not bare "personal": personal data and details are no kind of line.
    (
        "personal",
        &[
            "personal account",
            "personal accounts",
            "personal customer",
            "personal customers",
            "personal line",
            "personal lines",
            "individual customer",
            "individual customers",
            "个人客户",
            "个人用户",
            "个人户",
        ],
    ),
];

/// Groups of customers a page may be written for, beside the kinds of [`KINDS`], after the fold:
/// read in the page's title only ([`Page::title_audience`]), since in a sentence their words
/// mostly name a document ("bring your passport") or a fee, not whom it speaks of (round 45's
/// reviews: pages for passport holders, 副卡, accounts in arrears, numbers in their term).
const AUDIENCES: [(&str, &[&str]); 5] = [
    // Round 45's fourth wave: lines for data alone under other names than a data card's
    // (行動網卡與平板上網門號).
    (
        "data line",
        &[
            "上网门号",
            "上网专用",
            "行动网卡",
            "mobile broadband",
            "data-only",
        ],
    ),
    (
        "passport",
        &[
            "passport",
            "护照",
            "travel permit",
            "通行证",
            "foreign resident",
            "foreign residents",
            "international visitor",
            "international visitors",
            "international customer",
            "international customers",
            "tourist",
            "tourists",
            "外籍",
            // Round 46: "Mobile Phone Services for Foreign Nationals", 外國人, 境外人員
            "foreign national",
            "foreign nationals",
            "foreigners",
            "外国人",
            "境外人员",
            "境外人士",
            "境外客户",
            // Round 47: "Visitor SIM – Important Information" (passport-registered visitors),
            // "Information for foreign subscribers", work pass holders.
            "visitor sim",
            "visitor sims",
            "foreign subscriber",
            "foreign subscribers",
            "work pass",
        ],
    ),
    (
        "secondary line",
        &[
            "副卡",
            "副号",
            "secondary line",
            "secondary lines",
            "secondary-line",
            "supplementary line",
            "supplementary lines",
            "副门号",
            "成员号码",
            "附属卡",
            "附属 sim",
            "附属sim",
            // Round 47's first wave: lines in a family-share group (闔家共享群組內的門號無法使用),
            // a plan's sharers.
            "共享群组",
            "家庭共享",
            "一家共享",
            "阖家共享",
            "sharer",
            "sharers",
        ],
    ),
    (
        "overdue",
        &[
            "overdue",
            "past due",
            "past-due",
            "arrears",
            "逾期",
            "unpaid bill",
            "unpaid bills",
            "欠费",
        ],
    ),
    (
        "in contract",
        &[
            "合约期内",
            "未到期",
            "在网约定",
            "靓号",
            "minimum term",
            "commitment period",
            "contract period",
            // A page on ending early is written for customers in their term.
            "early termination",
            "提前终止",
            "合约购机",
            "购机合约",
            "承诺期内",
            "合约用户",
            "提早终止",
            // Round 47: 合約期間內提前解約說明, 合約期間提前解約說明.
            "合约期间",
            "提前解约",
            "in-contract",
            "device contract",
            // Round 46: "Paying off a phone", "customers who are still paying off a phone on a
            // Device Plan".
            "paying off",
            "device plan",
            "device balance",
            // Round 48: 存費送機、合約套餐用戶須知; "Leaving with a phone still on repayments".
            "合约套餐",
            "有效合约",
            "repayments",
        ],
    ),
];

/// The kinds of [`KINDS`] that are a SIM's form.
const SIM_FORMS: [&str; 2] = ["eSIM", "physical SIM"];

/// Words for broadband, after the fold: a kind of product only as a table row's subject
/// ([`Page::block_product`]). In a sentence it names what a page about broadband is about.
const BROADBAND: [&str; 3] = ["broadband", "宽带", "宽频"];

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
const ACKNOWLEDGED: [&str; 5] = [
    "acknowledg",
    "confirmation",
    "确认方式",
    "确认通知",
    "回复方式",
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

/// Does a line (its first [`MAX_CONTEXT_CHARS`]) announce a change ([`UPDATE_HEADS`])?
fn updates(line: &str) -> bool {
    let t = cut_chars(line, MAX_CONTEXT_CHARS).to_lowercase();
    UPDATE_HEADS.iter().any(|w| t.contains(w))
}

/// Where a line's edit-stamp word stands ([`EDIT_STAMPS`]), in the line lower-cased.
fn edit_stamp(line: &str) -> Option<usize> {
    let lower = line.to_lowercase();
    EDIT_STAMPS.iter().find_map(|w| lower.find(w))
}

/// Words that close the line itself, after the fold.
const LINE_ENDINGS: [&str; 5] = ["销户", "销号", "退租", "拆机", "退网"];

/// What joins the topics a heading names side by side ("暂停及终止", "Suspending, porting and
/// terminating"), beside " and ".
const TOPIC_JOINS: [char; 5] = ['及', '和', '与', '、', '&'];

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

/// Does a paragraph open with an update's label, dated or not ("Update – June 2:", "Update:",
/// 【更新】)? Its first [`UPDATE_LABEL_CHARS`] characters are read.
fn update_label(text: &str) -> bool {
    let head = crate::extract::normalise::for_matching(crate::extract::block::first_chars(
        text.trim_start(),
        UPDATE_LABEL_CHARS,
    ));
    ["update", "【更新", "[update", "更新:", "最新消息:"]
        .iter()
        .any(|w| head.starts_with(w))
        && [':', '】', ']', '–', '-'].iter().any(|c| head.contains(*c))
}

/// How many characters of a paragraph are read for an update's label.
const UPDATE_LABEL_CHARS: usize = 24;

/// Words of a heading that announces a change, lower-cased, in both scripts.
const UPDATE_HEADS: [&str; 16] = [
    "update",
    "notice",
    "announcement",
    "important",
    "what's new",
    "effective",
    "as of",
    "生效",
    "公告",
    "更新",
    "通知",
    "通告",
    "最新",
    "異動",
    "异动",
    "重要",
];

/// How many blocks under a heading are looked at for the notice's date, and the longest such
/// line ([`Page::section_date`]).
const DATE_LINES: usize = 2;
const DATE_LINE_CHARS: usize = 60;
/// Words of a page's edit stamp, lower-cased, in both scripts.
const EDIT_STAMPS: [&str; 6] = [
    "last updated",
    "last update",
    "最後更新",
    "最后更新",
    "更新日期",
    "updated on",
];
/// How many blocks of a page are looked at for an edit stamp ([`Page::edited_after`]).
const STAMP_BLOCKS: usize = 4096;
/// How many blocks above a statement are looked at for its post's date line.
const POST_LINES: usize = 8;

/// The product a row's label names for its cells or marks, given the kinds it names: its one
/// kind, or broadband (宽带拆机 beside 手机号码销户, round 34's reviews).
fn row_kind(kinds: &Kinds, label: &str) -> Option<String> {
    match kinds {
        Kinds::Some(kinds) if kinds.len() == 1 => kinds.first().cloned(),
        Kinds::None if names_broadband(label) => Some("broadband".to_string()),
        _ => None,
    }
}

/// Does `text` name broadband as a word ("Home broadband", 宽带拆机)?
fn names_broadband(text: &str) -> bool {
    let folded = crate::extract::normalise::for_matching(text);
    BROADBAND.iter().any(|w| names_word(&folded, w))
}

/// Marks a table's cell may carry to point to its footnote.
/// Circled numbers ("✓①", round 46's tuning on round 45's probes) are marks too.
const FOOTNOTE_MARKS: [char; 14] = [
    '※', '*', '＊', '△', '#', '†', '¹', '²', '³', '①', '②', '③', '④', '⑤',
];
/// The marks at the end of a cell's or header's text ("✓**" gives "**"), at most three.
fn trailing_marks(text: &str) -> &str {
    let t = text.trim_end();
    // A tick with a note's number or label ("✓¹" as a page's `<sup>1</sup>` gives it: "✓1";
    // "✓<sup>註</sup>").
    if let Some(rest) = t.strip_prefix(['✓', '✔', '√'])
        && ((1..=2).contains(&rest.len()) && rest.bytes().all(|c| c.is_ascii_digit())
            || rest == "註"
            || rest == "注")
    {
        return rest;
    }
    // A mark with its note's number ("✓※1", "Yes*2", round 47's first wave): the number
    // belongs to the mark, as "※1" opens the note.
    let body = t.trim_end_matches(|c: char| c.is_ascii_digit());
    let body = if t.len() - body.len() <= NOTE_NUMBER_DIGITS {
        body
    } else {
        t
    };
    let start = body
        .char_indices()
        .rev()
        .take(3)
        .take_while(|(_, c)| FOOTNOTE_MARKS.contains(c))
        .last()
        .map_or(t.len(), |(i, _)| i);
    &t[start..]
}

/// Longest text read for a mark inside it ("取消服務* 網上 ✓"): a badge, not a sentence.
const BADGE_CHARS: usize = 40;

/// The mark a cell, header or badge points to its footnote with: the marks at its end
/// ([`trailing_marks`]), or in a badge of at most [`BADGE_CHARS`] characters a run of marks
/// right after a word ("取消服務* 網上 ✓", round 45's probes).
fn note_mark(text: &str) -> &str {
    let end = trailing_marks(text);
    if !end.is_empty() || text.chars().nth(BADGE_CHARS).is_some() {
        return end;
    }
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        if FOOTNOTE_MARKS.contains(&c) && !prev.is_whitespace() && !FOOTNOTE_MARKS.contains(&prev) {
            let len: usize = text[i..]
                .chars()
                .take(3)
                .take_while(|c| FOOTNOTE_MARKS.contains(c))
                .map(char::len_utf8)
                .sum();
            // With its note's number, as at the end ([`trailing_marks`]).
            let digits = text[i + len..]
                .bytes()
                .take(NOTE_NUMBER_DIGITS + 1)
                .take_while(u8::is_ascii_digit)
                .count();
            let len = if digits <= NOTE_NUMBER_DIGITS {
                len + digits
            } else {
                len
            };
            return &text[i..i + len];
        }
        prev = c;
    }
    ""
}

/// Words of a footnote that narrows its tick to some customers, after the fold ("* 只適用於以香港
/// 身份證登記之個人客戶", "* Prepaid lines excepted"): the tick stands for the others.
const NARROWS: [&str; 9] = [
    "只适用",
    "仅适用",
    "除外",
    "不适用于",
    "except",
    "excluding",
    "not applicable to",
    "only available to",
    "only available for",
];

/// How many blocks after a marked cell its footnote is looked for.
const FOOTNOTE_LOOK: usize = 40;

/// Words that make a header a condition, after the fold.
const CONDITIONS: [&str; 6] = [" if", " when", " unless", "如果", "若", "除非"];

/// Labels of a note, after the fold ("註：…", "Please note: …"): they mark a remark, not a
/// product (round 38's reviews).
/// Is a label a numbered note ("注 1", "註1", "Note 2", "*1", "※1", after the fold)? It points to
/// a footnote; it names no product (round 40).
fn numbered_note(label: &str) -> bool {
    ["注", "note", "*", "※", "#"].iter().any(|w| {
        label.strip_prefix(w).is_some_and(|n| {
            let n = n.trim();
            !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
        })
    })
}

const NOTE_LABELS: [&str; 23] = [
    "注",
    "备注",
    "附注",
    "注意",
    "注意事项",
    "提示",
    "温馨提示",
    "重要提示",
    "说明",
    "note",
    "notes",
    "please note",
    "remark",
    "remarks",
    "important",
    "nb",
    // Round 39: a summary's label ("At a glance: Cancellation is by phone only").
    "at a glance",
    "summary",
    "in short",
    "in brief",
    "overview",
    "摘要",
    "重点",
];

/// Most digits of a note's number after its mark ("✓※1", "*12"): more are a figure, not a note.
const NOTE_NUMBER_DIGITS: usize = 2;
/// How far down the page its title is looked for ([`Page::title_kind`]).
const TITLE_BLOCKS: usize = 8;
/// How many blocks a menu at the top of a page may hold ([`Page::menu_heading`]).
const MENU_ITEMS: usize = 24;
/// How many blocks after the title the paragraph that opens the page is looked for, and how
/// many of its characters are read for whom the page is for.
const INTRO_LOOK: usize = 2;
const INTRO_CHARS: usize = 200;
/// Words that open a paragraph saying whom the page is for, after the fold, looked for in its
/// first [`SCOPE_OPENER_CHARS`] characters.
const SCOPE_OPENERS: [&str; 14] = [
    "this page is for",
    "this page applies to",
    "this faq is for",
    "these faqs are for",
    "this guide is for",
    "this article is for",
    "this article applies to",
    "this section is for",
    "本页适用于",
    "本页面适用于",
    "本页说明",
    "本文适用于",
    "本须知适用于",
    "以下内容适用于",
];
const SCOPE_OPENER_CHARS: usize = 40;

/// How many blocks under a heading may hold its scope line ([`Page::scope_kinds`]).
const SCOPE_LINES: usize = 3;
/// Labels of a scope line, after the fold, read at the start of a line (适用 covers 适用对象).
const SCOPE_LABELS: [&str; 6] = [
    "适用",
    "applies to",
    "applicable to",
    "eligible",
    "who can",
    "适合",
];
/// How much of a line is folded to look for a scope label, in characters.
const SCOPE_LABEL_CHARS: usize = 16;

/// Words of a label that says how things stand now ("補充一下最新狀況：", round 42): a note, not
/// a product.
const LATEST_WORDS: [&str; 3] = ["最新", "补充", "latest"];

/// Speakers of a chat or a forum thread, after the fold: whole labels ("客服：", "Agent:") and
/// words within one ("微光客服 Amy", "1楼 楼主", "Tidewater_Moderator").
const SPEAKERS: [&str; 16] = [
    "agent",
    "customer",
    "you",
    "me",
    "user",
    "staff",
    "advisor",
    "adviser",
    "bot",
    "assistant",
    "用户",
    "客户",
    "顾客",
    "我",
    "你",
    "网友",
];
const SPEAKER_WORDS: [&str; 11] = [
    "客服",
    "楼主",
    "层主",
    "moderator",
    "community",
    "support",
    "@",
    "_",
    "专员",
    "小编",
    "管理员",
];

/// Is a label a speaker's name in a chat transcript or a forum thread? What a speaker says is
/// one voice of a dialogue, not the answer for a product: an agent's offer and a user's doubt
/// meet as one page's statements (round 39, from round 38's held-out chat and thread pages).
fn speaker_label(label: &str) -> bool {
    let floor = |t: &str| {
        let t = t.trim();
        let digits = t.trim_start_matches('#').trim_end_matches(['楼', 'f', '#']);
        digits != t && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    };
    SPEAKERS.contains(&label.trim())
        || SPEAKER_WORDS.iter().any(|w| label.contains(w))
        || label.split_whitespace().any(floor)
        || label.starts_with(|c: char| c.is_ascii_digit()) && label.contains('楼')
        // A PTT thread's push, arrow and boo ("推 tomato77:", round 42).
        || ["推 ", "→", "嘘 "].iter().any(|w| label.starts_with(w))
}

/// Is a label a reference to a clause of the terms ("第12.3條", "Clause 14.2", "Section 5",
/// "14.2")? It numbers a clause; it names no product (round 38's reviews).
fn clause_label(label: &str) -> bool {
    let numbered = |t: &str| {
        let t = t.trim();
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '(' | ')' | ' '))
    };
    let chinese = label.starts_with('第')
        && label.ends_with(['條', '条', '款', '章', '節', '节', '項', '项']);
    let english = ["clause", "section", "article", "term", "cl."]
        .iter()
        .any(|w| label.strip_prefix(w).is_some_and(numbered));
    chinese || english || numbered(label)
}

/// Do the blocks read as a transcript between people named by their labels ("Dana: I want to
/// cancel…", "Marcus (Liberty): I'm sorry, …", round 40)? At least two labels each open two
/// blocks or more, and one labelled block speaks in the first person or greets. Product labels
/// repeated in a bilingual page ("eSIM:" in each half) speak of the product, not as "I". The
/// first [`DIALOGUE_LOOK`] blocks and [`DIALOGUE_LABELS`] labels are read.
fn named_speakers<S: AsRef<str>>(blocks: &[S]) -> bool {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    let mut spoken = false;
    for b in blocks.iter().take(DIALOGUE_LOOK) {
        let Some((label, rest)) = label_split(b.as_ref()) else {
            continue;
        };
        let label = label.trim();
        // An FAQ's "Q:" / "A:" / 問：/ 答： mark questions and answers, not speakers (the
        // read-through of round 40).
        if label.is_empty()
            || label.chars().count() > SPEAKER_NAME_CHARS
            || faq_marker(&crate::extract::normalise::for_matching(label))
        {
            continue;
        }
        if !spoken {
            let said = crate::extract::normalise::for_matching(crate::extract::block::first_chars(
                rest.trim_start(),
                SPEAKER_NAME_CHARS,
            ));
            spoken = FIRST_PERSON
                .iter()
                .any(|w| said.starts_with(w) || w.starts_with(' ') && said.contains(w));
        }
        if let Some((_, n)) = seen.iter_mut().find(|(l, _)| *l == label) {
            *n += 1;
        } else if seen.len() < DIALOGUE_LABELS {
            seen.push((label, 1));
        }
    }
    spoken && seen.iter().filter(|&&(_, n)| n >= 2).count() >= 2
}
/// How many blocks, and distinct labels, [`named_speakers`] reads; and the longest name.
const DIALOGUE_LOOK: usize = 200;
const DIALOGUE_LABELS: usize = 16;
const SPEAKER_NAME_CHARS: usize = 24;
/// How a speaker opens or goes on in the first person, after the fold.
const FIRST_PERSON: [&str; 15] = [
    "i ", "i'm", "i'd", "i've", " i ", "hi ", "hi,", "hello", "我想", "我要", "我有", "请问",
    "你好", "您好", "唔该",
];

/// A block's label and the rest after its colon ("eSIM：…"), a label of at most
/// [`PRODUCT_CHARS`] ([`crate::extract::block::split_label`]).
fn label_split(block: &str) -> Option<(&str, &str)> {
    crate::extract::block::split_label(block, PRODUCT_CHARS)
}

/// What kinds of product a sentence names.
#[derive(Debug, PartialEq, Eq)]
enum Kinds {
    None,
    /// One kind ("eSIM"), or several that are not every line (prepaid and eSIM).
    Some(Vec<String>),
    /// Prepaid and postpaid together: every line, so no product in particular.
    Everyone,
}

impl Kinds {
    /// The kinds named, when they set some lines apart (not none, not every line).
    fn particular(self) -> Option<Vec<String>> {
        match self {
            Kinds::Some(kinds) => Some(kinds),
            Kinds::None | Kinds::Everyone => None,
        }
    }
}

/// Whether `sentence` names prepaid and postpaid lines together: every line.
pub fn names_every_line(sentence: &str) -> bool {
    kinds_named(sentence) == Kinds::Everyone
}

/// The kinds of product `sentence` names, in the order of [`KINDS`].
fn kinds_named(sentence: &str) -> Kinds {
    let text = crate::extract::normalise::for_matching(sentence);
    let named: Vec<&str> = KINDS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| names_word(&text, w)))
        .map(|(kind, _)| *kind)
        .collect();
    // A SIM's form sets lines apart more finely than how they are paid: "實體SIM卡月費計劃" beside
    // "eSIM 月費計劃客戶" answers for physical SIMs and eSIMs, not twice for monthly plans
    // (round 41). Not where the sentence joins kinds: "Prepaid and eSIM users" are both.
    const JOINS: [&str; 8] = [" and ", " or ", "及", "和", "与", "或", "、", "/"];
    let joined = || JOINS.iter().any(|j| text.contains(j));
    let named = if named.iter().any(|k| SIM_FORMS.contains(k)) && !joined() {
        named
            .into_iter()
            .filter(|k| *k != "prepaid" && *k != "postpaid")
            .collect()
    } else {
        named
    };
    if named.contains(&"prepaid") && named.contains(&"postpaid") {
        Kinds::Everyone
    } else if named.is_empty() {
        Kinds::None
    } else {
        Kinds::Some(named.into_iter().map(str::to_string).collect())
    }
}

/// `word` in `text` where an ASCII word starts and ends there (CJK words anywhere).
pub(crate) fn names_word(text: &str, word: &str) -> bool {
    if !word.is_ascii() {
        return text.contains(word);
    }
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// Labels of a way to reach the provider that the lexicon leaves out on purpose (bare "phone" and
/// 电话 are in "phone number" and 电话卡), after the fold and lower-casing.
const CHANNEL_LABELS: [&str; 8] = [
    "phone",
    "telephone",
    "by phone",
    "call",
    "post",
    "mail",
    "电话",
    "电话客服",
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
mod tests {
    use crate::extract::normalise::for_matching;

    use super::{
        Kinds, aspect_label, bare_answer, clause_label, compares_providers, kinds_named,
        label_split, speaker_label, step_label,
    };

    /// Round 40: names that open the turns of a transcript are speakers; product labels
    /// repeated in a bilingual page are not.
    #[test]
    fn named_turns_make_a_dialogue() {
        let chat = [
            "Gannet Assistant: Hi! How can I help?",
            "Priya: I want to cancel my extra line.",
            "Gannet Assistant: Let me pass you on.",
            "Priya: Thanks.",
        ];
        assert!(super::named_speakers(&chat));
        let bilingual = [
            "eSIM: cancel in the app.",
            "Prepaid: visit a shop.",
            "eSIM：可於應用程式取消。",
            "Prepaid：請親臨門市。",
            "eSIM: the profile is deleted.",
            "Prepaid: credit is not refunded.",
        ];
        assert!(!super::named_speakers(&bilingual));
        // An FAQ's markers are no speakers (the read-through of round 40).
        let faq = [
            "Q: I want to cancel my plan. Can I do it online?",
            "A: Yes, in My Account.",
            "Q: I'd like to keep my number.",
            "A: Port it first.",
        ];
        assert!(!super::named_speakers(&faq));
        // Bounded: a page of 100,000 labelled blocks is read in its first 200.
        let many: Vec<String> = (0..100_000).map(|i| format!("L{}: x", i % 50)).collect();
        assert!(!super::named_speakers(&many));
    }

    #[test]
    fn a_numbered_note_is_no_product() {
        for l in ["注1", "注 1", "note 2", "*1", "※3"] {
            assert!(super::numbered_note(l), "{l}");
        }
        for l in ["注意", "note", "esim", "1"] {
            assert!(!super::numbered_note(l), "{l}");
        }
    }

    /// Round 39's reviews: a chat's or a thread's speaker is no product; a plan's name is.
    #[test]
    fn speakers_are_no_products() {
        for label in [
            "客服",
            "agent",
            "you",
            "1楼 楼主",
            "#3",
            "tidewater_moderator",
            "微光客服 amy",
        ] {
            assert!(speaker_label(label), "{label}");
        }
        for label in ["esim", "prepaid sim", "月费计划", "sim-only plans"] {
            assert!(!speaker_label(label), "{label}");
        }
    }

    /// Round 35's reviews: the whole sentence is the bare answer, after a FAQ marker.
    #[test]
    fn a_cells_marks_are_read_whole_from_its_end() {
        assert_eq!(super::trailing_marks("✓**"), "**");
        assert_eq!(super::trailing_marks("✓※ "), "※");
        assert_eq!(super::trailing_marks("取消服務 #"), "#");
        assert_eq!(super::trailing_marks("✓"), "");
        assert_eq!(super::trailing_marks("✓1"), "1");
        assert_eq!(super::trailing_marks("✓123"), "");
        assert_eq!(super::trailing_marks("✓①"), "①");
        // A mark with its note's number (round 47).
        assert_eq!(super::trailing_marks("✓※1"), "※1");
        assert_eq!(super::trailing_marks("✓*12"), "*12");
        assert_eq!(super::trailing_marks("✓*123"), "");
        assert_eq!(super::note_mark("取消服務※2 網上"), "※2");
        // A badge's mark may stand after its first word.
        assert_eq!(super::note_mark("取消服務* 網上 ✓"), "*");
        assert_eq!(super::note_mark("網上辦理 ✓*"), "*");
        assert_eq!(super::note_mark("* 只適用於個人客戶"), "");
        assert_eq!(super::note_mark("Call *#06# to see it"), "#");
        // At most three: a row of stars is no mark.
        assert_eq!(super::trailing_marks("*****"), "***");
    }

    #[test]
    fn a_clause_number_is_no_product() {
        for label in [
            "第12.3条",
            "第五條",
            "clause 14.2",
            "section 5",
            "14.2",
            "(3)",
        ] {
            assert!(clause_label(label), "{label}");
        }
        for label in ["esim", "预付卡", "月費計劃", "business plans", "第一步", ""] {
            assert!(!clause_label(label), "{label}");
        }
    }

    #[test]
    fn a_bare_answer_is_the_whole_sentence() {
        let bare = |t: &str| bare_answer(&crate::extract::normalise::for_matching(t));
        assert_eq!(bare("Not yet."), Some(false));
        assert_eq!(bare("答：可以。"), Some(true));
        assert_eq!(bare("A: No"), Some(false));
        assert_eq!(bare("Yes"), Some(true));
        assert_eq!(
            bare_answer("No, there isn't a cancel button on the website."),
            None
        );
        assert_eq!(bare("終止服務申請須於三十日前提出。"), None);
    }

    #[test]
    fn an_aspect_of_the_procedure_is_no_product() {
        for label in [
            "1. 办理时效",
            "操作流程",
            "note",
            "step 2",
            "processing time",
            "new",
            "update",
            "option 2",
            "方法二",
            "way 3",
        ] {
            assert!(aspect_label(label), "{label}");
        }
        for label in ["esim", "预付卡", "home broadband", "月费计划", "资费方案"] {
            assert!(!aspect_label(label), "{label}");
        }
    }

    #[test]
    fn a_label_that_opens_with_what_to_do_is_a_step() {
        for step in [
            "进入个人中心",
            "2. 联系运营商客服",
            "③ 提交申请",
            "call t-mobile",
            "log in",
        ] {
            assert!(step_label(step), "{step}");
        }
        for product in [
            "中国移动",
            "esim",
            "prepaid sim",
            "数据卡",
            "1.个人用户",
            "callback plan",
        ] {
            assert!(!step_label(product), "{product}");
        }
    }

    #[test]
    fn a_label_is_looked_for_in_a_short_prefix_only() {
        assert_eq!(
            label_split("eSIM：可於網上終止"),
            Some(("eSIM", "可於網上終止"))
        );
        assert_eq!(
            label_split("Prepaid: call us"),
            Some(("Prepaid", " call us"))
        );
        assert_eq!(label_split("No label here."), None);
        for m in ["a", "q", "q12", "answer", "答", "问题"] {
            assert!(super::faq_marker(m), "{m}");
        }
        for m in ["esim", "prepaid", "aaa", "q123x", "a plan"] {
            assert!(!super::faq_marker(m), "{m}");
        }
        let long = format!("{} Plan: call us", "word ".repeat(200_000));
        assert_eq!(label_split(&long), None);
    }

    #[test]
    fn a_sentence_names_kinds_of_product_or_everyone() {
        let some = |k: &str| Kinds::Some(k.split(" / ").map(str::to_string).collect());
        assert_eq!(
            kinds_named("eSIM customers can end their plan in the app."),
            some("eSIM")
        );
        assert_eq!(kinds_named("儲值卡客戶須親臨門市辦理。"), some("prepaid"));
        assert_eq!(
            kinds_named("Post-paid lines need a month's notice."),
            some("postpaid")
        );
        // Two kinds that are not every line answer for both, in the order of KINDS.
        assert_eq!(
            kinds_named("Prepaid and eSIM users can cancel online."),
            some("eSIM / prepaid")
        );
        // A word inside another is no kind.
        assert_eq!(kinds_named("Resimulate the prepaidx plan."), Kinds::None);
        assert_eq!(kinds_named("Cancel your SIM online."), Kinds::None);
        // "contract customers" are postpaid: with prepaid beside them the sentence is about
        // every line, and stays a statement for everyone.
        assert_eq!(
            kinds_named("Prepaid and contract customers cannot cancel online."),
            Kinds::Everyone
        );
        assert_eq!(
            kinds_named("eSIM, prepaid and postpaid lines alike."),
            Kinds::Everyone
        );
    }

    /// Round 41: a SIM's form and personal lines are kinds; the form sets a line apart more
    /// finely than how it is paid, unless the sentence joins the kinds.
    #[test]
    fn a_sims_form_and_personal_lines_are_kinds() {
        let some = |k: &str| Kinds::Some(k.split(" / ").map(str::to_string).collect());
        assert_eq!(
            kinds_named("實體SIM卡月費計劃的終止申請暫未能經應用程式辦理"),
            some("physical SIM")
        );
        assert_eq!(kinds_named("eSIM 月費計劃客戶"), some("eSIM"));
        assert_eq!(
            kinds_named("Prepaid and eSIM users can cancel online."),
            some("eSIM / prepaid")
        );
        assert_eq!(
            kinds_named("Deactivation of physical SIMs is not available in the app."),
            some("physical SIM")
        );
        assert_eq!(kinds_named("個人客戶請親臨門市"), some("personal"));
        assert_eq!(
            kinds_named("Business lines can't be cancelled online."),
            some("corporate")
        );
        // Personal data is no kind of line.
        assert_eq!(
            kinds_named("We delete your personal data after you cancel."),
            Kinds::None
        );
    }

    /// Round 41: a page that says it compares providers, near its top.
    #[test]
    fn a_comparison_says_so() {
        for yes in [
            "Here's how each telco handles a straight cancellation.",
            "虛擬電信（MVNO）比較：退租好不好退？",
            "以下是筆者實際辦過的三家",
            "A comparison of the carriers' cancellation policies",
        ] {
            assert!(compares_providers(&for_matching(yes)), "{yes}");
        }
        for no in [
            "Cancel your plan online in My Account.",
            "Each month we bill you in advance.",
            "終止服務須親臨門市辦理",
            // The read-through of round 41: comparing, but not providers.
            "Compare the options below before you cancel.",
            "Each plan runs on our 5G network.",
        ] {
            assert!(!compares_providers(&for_matching(no)), "{no}");
        }
    }
}
