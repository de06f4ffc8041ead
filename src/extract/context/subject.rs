//! Subject: where a sentence that names a channel but not what it is for ("Visit 3Shop", "Web
//! chat: use the button on our website") takes its subject from. The sentence before when this
//! one refers back, answers or continues it; a list's lead-in, its sibling steps or the heading
//! above; a cell's row and column headers; a sentence a little way back that points forward; what
//! the same section says to ask for further on; the page's topic for a neutral "how" heading. A
//! question asking why or when, a long clause of terms and a sentence about something else lend
//! nothing. Every look is bounded (a few lead-ins, two headings, a window of siblings or blocks).
//! Part of [`Page`]'s reading; pure.

use super::labels::numbered_section;
use super::{HEADINGS, LEAD_INS, Page, SIBLING_WINDOW, Sentence, at_most_chars};
use crate::extract::lexicon::Concept;
use crate::extract::normalise::CJK_NUMERALS;
use crate::extract::reading::Object;
use crate::extract::reading::after_speaker;
use crate::extract::reading::other_errand;
use crate::extract::structure::{Role, introduces};

/// A list item longer than this is a clause, not a step: it lends no subject to its siblings.
const STEP_CHARS: usize = 120;
const STEP_SENTENCES: usize = 2;
/// How many blocks from the top of the page its topic is looked for.
const TOPIC_BLOCKS: usize = 8;
/// How many blocks back a sentence pointing forward ("the number below") is looked for, and how
/// many ahead what to ask for is.
const FORWARD_WINDOW: usize = 8;
/// How many sentences of a block what to ask for is looked for in.
const FORWARD_SENTENCES: usize = 8;
/// How many blocks back from a section about handing in forms the form for ending is looked for.
const FORM_WINDOW: usize = 40;
impl Page<'_> {
    /// The block before `b` when both are turns of one exchange: paragraphs, or items of one
    /// list, under the same headings, `b` opening with a speaker's label ("Amir (Thistle): …").
    fn turn_before(&self, b: usize) -> Option<usize> {
        let t = b.checked_sub(1)?;
        let (c, ct) = (self.ctx(b), self.ctx(t));
        let same_flow = match (c.role, ct.role) {
            (Role::Text, Role::Text) => true,
            (Role::Item, Role::Item) => c.list == ct.list,
            _ => false,
        };
        let labelled = self
            .blocks
            .get(b)
            .is_some_and(|t| after_speaker(t).is_some());
        (same_flow && labelled && c.headings == ct.headings).then_some(t)
    }

    /// Does sentence `x` name its ending only after a word that lists errands by example
    /// ("您提交的业务申请（包括…号码销户等）")? "To close your account, including your email
    /// address, follow these steps" ends before it (the read-through of round 37).
    fn ends_among_errands(&self, x: &Sentence) -> bool {
        let t =
            crate::extract::block::first_chars(&x.folded, crate::extract::block::MAX_CONTEXT_CHARS);
        let Some(listed) = ERRANDS_NAMED.iter().filter_map(|w| t.find(w)).min() else {
            return false;
        };
        self.lexicon
            .scan(t)
            .first_at(Concept::Terminate)
            .is_some_and(|end| end > listed)
    }
}

/// Headings of a list of notes, after the fold: each item is a remark of its own.
const NOTES: [&str; 14] = [
    "注",
    "注意",
    "注意事项",
    "说明",
    "备注",
    "附注",
    "编者注",
    "提示",
    "温馨提示",
    "重要提示",
    "note",
    "notes",
    "please note",
    "remarks",
];

/// Words that name errands by example, after the fold: an ending among them is one errand of
/// many that a trapped lead-in is for.
const ERRANDS_NAMED: [&str; 4] = ["包括", "including", "such as", "例如"];
/// How many blocks back the list a sentence about "all of the above" means is looked for.
const ABOVE_WINDOW: usize = 24;
/// Words for every option listed above, after the fold.
const THE_ABOVE: [&str; 12] = [
    "以上三项",
    "以上两项",
    "以上各项",
    "以上所有",
    "上述各项",
    "上述三项",
    "以上选项",
    "all of the above",
    "any of the above",
    "all of these options",
    "any of these options",
    "all three options",
];

/// Where a sentence's subject came from.
pub(super) struct Subject {
    pub(super) block: usize,
    pub(super) object: Option<Object>,
}

impl Page<'_> {
    /// Block `b` as a subject, when it is about ending something ([`Page::ending`]).
    fn ending_subject(&self, b: usize) -> Option<Subject> {
        self.ending(b).map(|object| Subject { block: b, object })
    }

    /// The subject of sentence `k`, which names no ending itself.
    pub(super) fn subject(&self, k: usize) -> Option<Subject> {
        let s = &self.sentences[k];
        let b = s.block;
        let from = |block: usize| self.ending_subject(block);
        // "Change of Service Details & Termination" › "Changes made through the website take
        // effect immediately": a sentence about another errand, by its first words, takes no
        // ending from above (round 35's reviews).
        // Nor one that names a change of owner or an unbinding ("直系亲属之间过户可在APP中办理"
        // under "过户与销户", round 64's first wave): the number stays.
        if opens_with_other_errand(&s.folded)
            || s.reading.online() && pays(&s.folded)
            || opens_with_errand_topic(&s.folded)
        {
            return None;
        }
        // "預付卡客戶之差額退費，須持發票至服務中心申辦" under a heading about ending: a refund
        // applied for with its own way, naming no ending, is that errand's (round 50's first
        // wave). Not a refund that follows the request ("客戶可於網上申請，剩餘儲值額將於30日內
        // 退還", the read-back of round 50).
        if s.reading.all.has(Concept::Refund)
            && !s.reading.all.has(Concept::Terminate)
            && applies_for_refund(&s.folded)
        {
            return None;
        }
        // Under "Things you can manage online" (a menu of other errands), what is said is
        // that menu's, whatever the heading above it ends (round 35's held-out review); but a
        // cell whose own row header ends the line is that row's ("其他服務" › "門號過戶、退租" ›
        // "請本人攜帶雙證件至服務中心辦理", round 43).
        // So too under a heading that opens with another errand, names the way for it and
        // ends nothing ("How to change or end your service" › "Changing your plan in the app"
        // › "Open the app.", round 59's review). Not a heading of a step that names no way
        // ("How to cancel" › "Check your plan first" › "Open the app", round 60's review).
        if self.ctx(b).headings.last().is_some_and(|&h| {
            self.of_block(h).first().is_some_and(|x| {
                other_errands_heading(&x.folded)
                    || (other_errand(&x.folded) || names_errand_topic(&x.folded)) && {
                        // The heading's own words, its trap clauses included: a plan change's
                        // "in the app" is read as a trap of the ending, but it is the way the
                        // heading names. Scanned only for a heading of another errand.
                        let named = self.lexicon.concepts(&x.folded);
                        !named.has(Concept::Terminate)
                            && (named.has(Concept::Online) || named.has(Concept::Offline))
                    }
            })
        }) {
            return self.ctx(b).row_header.and_then(from);
        }
        // A list introduced for an add-on or a SIM replacement, ending nothing, under no heading
        // that ends anything ("二、跨省补卡条件" › "须满足以下条件方可办理补卡业务:") holds that
        // errand's conditions and steps: an item lends none of them an ending, not even one
        // naming the line's state ("非停机/销户"). Under a heading about ending ("Cancel your
        // plan" › "Settle any payments, then contact us:") the list is the ending's. A sentence
        // after another in its own item still goes on with it.
        let errand_list = self.errand_list(b);
        if errand_list
            && k.checked_sub(1)
                .is_none_or(|j| self.sentences[j].block != b)
        {
            return None;
        }
        // The sentence before, when this one refers back, answers a question or continues after
        // a semicolon; within the same section.
        // Only the sentence just before: a trap or an aside in between breaks the link. Not a
        // courtesy of the same paragraph that names nothing ("Want to leave us? We'd be sorry
        // to see you go. Give our team a call on 150."): the link is read past it.
        let before = k.checked_sub(1).map(|j| {
            let courtesy = |x: &Sentence| {
                x.block == b
                    && x.reading.all.is_empty()
                    && !x.reading.question
                    && !x.reading.refers_back
                    && courteous(&x.text)
            };
            // A chat's turn that opens with a greeting goes on with the turn before it
            // ("You: I'd like to cancel my contract." › "Amir: Hi! I can do that for you here.").
            let turn_before = |i: usize| {
                let pb = self.sentences[i].block;
                pb == b || self.sentences[j].block == b && self.turn_before(b) == Some(pb)
            };
            match j.checked_sub(1) {
                Some(i) if courtesy(&self.sentences[j]) && turn_before(i) => i,
                _ => j,
            }
        });
        if let Some(p) = before.map(|j| &self.sentences[j])
            && (p.block == b || self.ctx(p.block).headings == self.ctx(b).headings)
        {
            // A question standing alone as a paragraph is answered by the paragraph after it, as
            // a question in a heading is ("Q: How do I end my contract?" / "A: Visit a store").
            let asked = p.reading.question
                && p.block + 1 == b
                && self.of_block(p.block).len() == 1
                && matches!(self.ctx(p.block).role, Role::Text)
                && matches!(self.ctx(b).role, Role::Text);
            // "Please visit the nearest shop" goes on with an ending the reader asks for, not
            // one that befalls them ("your service may be disconnected. Please call …").
            // An item of a list of ways goes on with its lead-in, not with the item before.
            let sent_on = s.reading.sent_on
                && (p.block == b || !matches!(self.ctx(b).role, Role::Item))
                && !crate::extract::reading::befalls(&crate::extract::normalise::for_matching(
                    &p.text,
                ));
            // Another way offered after a refusal ("… cannot be sent online. Or by email.") is
            // refused too, not offered: it takes no subject from it.
            let alternative = s.reading.alternative
                && !(p.reading.negated || p.reading.cannot_end || p.reading.refuses_ways);
            let linked = s.reading.refers_back
                || alternative
                || sent_on
                || asked
                || (p.block == b && (p.reading.question || p.text.ends_with([';', '；'])));
            // A reference back to what ending costs ("Leaving early costs a fee. The easiest way
            // is to pay online.") is to the payment, not to the ending.
            // Not one whose fee is waived ("you may end your contract early without the early
            // termination charge. To arrange this, please call …", round 36's reviews): that
            // sentence is about ending.
            let to_money = (s.reading.refers_back || s.reading.alternative)
                && p.reading.about_money()
                && !waives_fee(&p.folded);
            if linked && !to_money && p.reading.ends_anything() && p.reading.ending_named {
                return Some(Subject {
                    block: p.block,
                    object: p.reading.object(),
                });
            }
            // A chat's turn that refers back answers the whole turn before it, whose ending may
            // not be its last sentence ("You: I'd like to cancel my contract. I don't need the
            // PAC." › "Amir: I can do that for you here", round 39). Read only a few sentences.
            // The turn's last request is what is answered: "I want to cancel my contract. Also,
            // can you update my billing address?" asks last about the address (the read-through).
            if s.reading.refers_back
                && let Some(asked) = self.turn_before(b).and_then(|t| {
                    let turn = self.of_block(t);
                    let from = turn.len().saturating_sub(TURN_SENTENCES);
                    turn[from..]
                        .iter()
                        .rev()
                        .find(|x| {
                            x.reading.question && !x.reading.refers_back || x.reading.ends_service()
                        })
                        .filter(|x| x.reading.ends_service() && x.reading.ending_named)
                })
            {
                return Some(Subject {
                    block: asked.block,
                    object: asked.reading.object(),
                });
            }
            // A sentence right after a question in its own block answers that question ("Have
            // more questions? Submit a request"), and one after a sentence about something else
            // (reconnection, an add-on, a trap) goes on about that: neither takes its subject
            // from a heading or a sibling further away.
            let r = &p.reading;
            let about_else = r.any_trap
                || r.all.has(Concept::Addon)
                || r.all.has(Concept::AutoRenewal)
                || r.all.has(Concept::Consequence);
            if p.block == b && !r.ends_anything() && (r.question || about_else) {
                return None;
            }
        }
        // The sentence right after, when it ends the service and names no way of its own:
        // - "You can do this by calling us. Explain that you want to cancel your contract.": a
        //   reference whose sentence before ends nothing takes the ending step after it;
        // - "Web chat: open the website and press the chat bubble. It is the easiest way to
        //   cancel your plan.": the sentence after calls this one a way to end.
        if let Some(n) = self.sentences.get(k + 1)
            && n.block == b
            && ((s.reading.refers_back && n.reading.is_step()) || n.reading.way_back)
            && n.reading.ends_service()
            && n.reading.ending_named
            && !n.reading.question
            && !n.reading.online()
            && !n.reading.offline()
        {
            return Some(Subject {
                block: n.block,
                object: n.reading.object(),
            });
        }
        let c = self.ctx(b);
        match c.role {
            Role::Item => {
                // A list introduced for something else ("您可透過以下方式查詢:", checking the
                // contract) is about that, whatever the heading above it is about.
                // Not a form got first ("You may download the form below and complete it
                // before your visit", round 35's reviews): its steps are the ending's.
                // Nor one that names ending only among the errands it is for ("您提交的业务申请
                // （包括补换卡、…、号码销户等），均可查询处理进度：", round 37's reviews).
                if let Some(l) = c.lead_in.filter(|&l| l < b)
                    && self.of_block(l).iter().any(|x| {
                        x.reading.any_trap
                            && !x.reading.trap_turned
                            && (!x.reading.ends_anything() || self.ends_among_errands(x))
                    })
                    && !self.of_block(l).iter().any(|x| gets_a_form(&x.folded))
                {
                    return None;
                }
                if errand_list {
                    return None;
                }
                let mut lead = c.lead_in;
                for _ in 0..LEAD_INS {
                    let Some(l) = lead else { break };
                    if l >= b {
                        break;
                    }
                    if let Some(found) = from(l) {
                        return Some(found);
                    }
                    lead = self.ctx(l).lead_in;
                }
                if let Some(found) = self.handed_form(b) {
                    return Some(found);
                }
                // A clause of terms is not a step and borrows from no sibling, nor is an item
                // of a list of notes: each is a remark of its own ("注" › "1. 线上办理需输入验证码"
                // beside "2. 销号须到营业厅办理", round 61's first wave).
                if self.step_sized(b) && !self.under_notes(b) {
                    for sib in self.siblings(b) {
                        // A sibling step that ends the service through a channel, or an
                        // earlier item that introduces the rest ("You can reach them through:").
                        // Not a statement of terms about ending ("if the customer does not
                        // ask in writing a month before expiry, the service goes on"): a notice
                        // period marks a clause, not a step.
                        let steps = |x: &Sentence| {
                            x.reading.ends_service()
                                && x.reading.ending_named
                                && !x.reading.question
                                && !x.reading.all.has(Concept::Notice)
                                && (x.reading.online()
                                    || x.reading.offline()
                                    || sib < b && introduces(self.blocks[sib].as_str())
                                    || x.reading.is_step() && !opens_with_gerund(&x.folded))
                        };
                        if self.step_sized(sib) && self.of_block(sib).iter().any(steps) {
                            return from(sib);
                        }
                    }
                }
                c.headings
                    .iter()
                    .rev()
                    .take(HEADINGS)
                    .filter(|&&h| self.short(h))
                    .find_map(|&h| from(h))
                    .or_else(|| self.through_contact(&c.headings))
                    .or_else(|| self.pointed_from(b))
                    .or_else(|| self.procedure(c.headings.last().copied()))
                    .or_else(|| self.step_of(c.headings.last().copied()))
                    .or_else(|| self.topic(c.lead_in.into_iter().chain(c.headings.last().copied())))
            }
            // A table that a sentence about ending introduces ("通过以下渠道提交解约申请：",
            // round 20) is how, as a list it introduces is; not one introduced for something
            // else done first ("如需拆机，请先按下列方式归还设备：", the review of round 20).
            // A cell under an add-on's or a suspension's header ("停机保号" beside "销户",
            // round 35's reviews) is that errand's, whatever the heading above the table says.
            Role::Cell { header: false } => c
                .row_header
                .into_iter()
                .chain(c.column_header)
                .chain(
                    c.headings
                        .last()
                        .copied()
                        .filter(|&h| self.short(h))
                        .filter(|_| {
                            !c.row_header.into_iter().chain(c.column_header).any(|x| {
                                self.of_block(x).iter().any(|s| {
                                    s.reading.all.has(Concept::Addon) && !s.reading.ends_anything()
                                })
                            })
                        }),
                )
                .find_map(from)
                .or_else(|| {
                    self.pointed_from(b).filter(|p| {
                        self.of_block(p.block)
                            .iter()
                            .any(|x| x.reading.forward_ending)
                    })
                }),
            Role::Text => c
                .headings
                .last()
                .copied()
                .filter(|&h| self.short(h))
                .and_then(from)
                .or_else(|| {
                    // "Fibre broadband termination" › "Submitting the form" › "Bring the
                    // completed form to any M1 Shop": a sub-heading about handing in the form
                    // goes on with the ending above it (round 35's reviews).
                    let [.., outer, inner] = c.headings.as_slice() else {
                        return None;
                    };
                    // So does one about giving notice ("Cancelling your service" › "How to give
                    // notice" › "send 60 days' written notice by email", round 62's third wave).
                    (self.short(*inner)
                        && self.of_block(*inner).iter().any(|x| {
                            hands_in_form(&x.folded)
                                || GIVING_NOTICE.iter().any(|w| x.folded.contains(w))
                                    && !x.reading.about_money()
                                    && !x.reading.any_trap
                                    && !x.reading.ends_anything()
                                || neutral_how(&x.folded)
                        })
                        && self.short(*outer))
                    .then(|| from(*outer))
                    .flatten()
                })
                .or_else(|| self.handed_form(b))
                .or_else(|| self.the_above(k))
                .or_else(|| self.through_contact(&c.headings))
                .or_else(|| self.pointed_from(b))
                .or_else(|| self.asked_after(k))
                .or_else(|| self.procedure(c.headings.last().copied()))
                .or_else(|| self.step_of(c.headings.last().copied()))
                .or_else(|| self.topic(c.headings.iter().rev().take(HEADINGS).copied())),
            // A sub-heading naming a route ("途径1：运营商官网") under a heading about ending;
            // not one under a heading about paying ("Paying your early termination fee" ›
            // "Step 1: Log in"), which is that payment's.
            Role::Heading => {
                for &h in c.headings.iter().rev().take(HEADINGS) {
                    if !self.short(h) {
                        continue;
                    }
                    if let Some(found) = from(h) {
                        return Some(found);
                    }
                    if self.about_money(h) {
                        return None;
                    }
                }
                // "(二)线上自助办理" under "二、两种办理方式对比": a route under a neutral heading
                // about how takes the page's topic.
                self.topic(
                    std::iter::once(b).chain(c.headings.iter().rev().take(HEADINGS).copied()),
                )
            }
            Role::Cell { header: true } => None,
        }
    }

    /// A forms page's one section on handing forms in ("How to submit", 遞交方法, a lead-in
    /// "Completed forms can be returned in one of the following ways:") serves every form listed
    /// above it: when one of them ends the service ("Mobile Disconnection Form (PDF)",
    /// 終止服務申請表), the ways given are how that ending is handed in (round 36; round 35's
    /// reviews found three such pages read `unknown`). The form is looked for a bounded way back.
    fn handed_form(&self, b: usize) -> Option<Subject> {
        let c = self.ctx(b);
        // A lead-in's sentences are read only when short: a list of thousands reads it again.
        let lead = c.lead_in.filter(|&l| {
            l < b
                && self.of_block(l).iter().any(|x| {
                    at_most_chars(&x.folded, crate::extract::block::MAX_CONTEXT_CHARS)
                        && hands_in_form(&x.folded)
                })
        });
        let heading = c.headings.last().copied().filter(|&h| {
            self.short(h)
                && self
                    .of_block(h)
                    .iter()
                    .any(|x| hands_in_form(&x.folded) || hand_in_heading(&x.folded))
        });
        let start = lead.into_iter().chain(heading).min()?;
        (start.saturating_sub(FORM_WINDOW)..start)
            .rev()
            .filter(|&f| {
                self.short(f)
                    && self.of_block(f).iter().any(|x| {
                        names_a_form(&x.folded)
                            && x.reading.ends_service()
                            && x.reading.ending_named
                            && !x.reading.question
                    })
            })
            .find_map(|f| self.ending_subject(f))
    }

    /// A sentence about every option listed above ("以上三項申請均可於 My3Macau App 內自行完成",
    /// "All of the above can be done in the app", round 36's reviews) takes the ending one of
    /// those items names ("終止服務：於合約屆滿日結束月費計劃"). The list is looked for a bounded
    /// way back.
    fn the_above(&self, k: usize) -> Option<Subject> {
        let s = &self.sentences[k];
        // Not help offered with them ("For help with any of the above, chat with us").
        if !THE_ABOVE.iter().any(|w| s.folded.contains(w))
            || ["help", "question", "enquir", "疑问", "查询", "咨询"]
                .iter()
                .any(|w| s.folded.contains(w))
        {
            return None;
        }
        let b = s.block;
        // The list that ends nearest above, only.
        let last = (b.saturating_sub(ABOVE_WINDOW)..b)
            .rev()
            .find(|&i| matches!(self.ctx(i).role, Role::Item))?;
        let list = self.ctx(last).list;
        (b.saturating_sub(ABOVE_WINDOW)..=last)
            .rev()
            .filter(|&i| matches!(self.ctx(i).role, Role::Item) && self.ctx(i).list == list)
            .find(|&i| {
                self.of_block(i)
                    .iter()
                    .take(FORWARD_SENTENCES)
                    .any(|x| x.reading.ends_service() && x.reading.ending_named)
            })
            .and_then(|i| self.ending_subject(i))
    }

    /// Is block `b` an item of a list introduced for an add-on or another errand (补卡), whose
    /// lead-in ends nothing and whose headings end nothing either?
    fn errand_list(&self, b: usize) -> bool {
        let c = self.ctx(b);
        if !matches!(c.role, Role::Item) {
            return false;
        }
        let Some(l) = c.lead_in.filter(|&l| l < b) else {
            return false;
        };
        let lead = self.of_block(l);
        lead.iter().any(|x| x.reading.all.has(Concept::Addon))
            && !lead.iter().any(|x| x.reading.ends_anything())
            && !c
                .headings
                .iter()
                .rev()
                .take(HEADINGS)
                .any(|&h| self.ending(h).is_some())
    }

    /// A sub-heading that only says how to reach the provider ("Contact us", "Get in touch",
    /// 联系我们) under a heading about ending ("How to cancel" › "Contact us" › "Call us on
    /// …"): what is under it is how that ending is asked for. Only the heading right above it
    /// is read, and only one that ends the service and is not about its fee.
    /// So is a label that names one way ("How to cancel" › "Web chat" › "Hotline: 2888 0101",
    /// round 32): the label heads the next way as a plain heading would.
    fn through_contact(&self, headings: &[usize]) -> Option<Subject> {
        let (&last, above) = headings.split_last()?;
        let &parent = above.last()?;
        if !(contact_heading(&self.blocks[last]) || self.names_a_way(last)) || !self.short(parent) {
            return None;
        }
        self.ending_subject(parent)
    }

    /// Is heading `h` only a way's name ("Live chat", "By phone", 網上客服): short, and its
    /// words name a way and nothing ended, trapped or asked?
    pub(super) fn names_a_way(&self, h: usize) -> bool {
        self.short(h)
            && self.of_block(h).iter().all(|x| {
                let r = &x.reading;
                (r.online() || r.offline()) && !r.ends_anything() && !r.any_trap && !r.question
            })
    }

    /// A neutral heading or lead-in about how ("办理渠道", "可选择以下方式办理:", "Channels")
    /// that ends nothing itself inherits the page's topic: the first block near the top of the
    /// page that says what is ended ("申请宽带拆机需满足以下条件").
    fn topic(&self, neutral: impl Iterator<Item = usize>) -> Option<Subject> {
        let mut neutral = neutral.peekable();
        neutral.peek()?;
        let how = |h: usize| {
            self.of_block(h)
                .iter()
                .any(|x| x.reading.refers_back && !x.reading.ends_anything() && !x.reading.any_trap)
        };
        let first = neutral.filter(|&h| how(h)).min()?;
        // Under a heading about something else ("套餐变更指南" › "办理方式", "Join us" › "Ways
        // to do this") the ways are that thing's, whatever the page opened with.
        if !self
            .ctx(first)
            .headings
            .iter()
            .all(|&h| self.ending(h).is_some())
        {
            return None;
        }
        // Only a heading or a lead-in states a topic; a paragraph may be an aside.
        let states = |t: usize| {
            t == 0
                || matches!(self.ctx(t).role, Role::Heading)
                || self.blocks.get(t).is_some_and(|x| introduces(x))
        };
        // Not a block that asks (its answer may be no), unless it goes on to point at what
        // follows ("打算退订家里的有线宽带?下面整理了完整的办理流程。", "Thinking of cancelling?
        // Here is the whole process below."): the question then names the page's task.
        let asks = |t: usize| {
            let of = self.of_block(t);
            of.iter().any(|x| x.reading.question)
                && !of
                    .iter()
                    .skip_while(|x| !x.reading.question)
                    .any(|x| x.reading.points_forward)
        };
        (0..TOPIC_BLOCKS.min(first))
            .filter(|&t| states(t))
            .find_map(|t| {
                self.ending(t)
                    .filter(|_| !asks(t))
                    .map(|object| Subject { block: t, object })
            })
    }

    /// A sentence a little way back that ends the service and points forward ("contact us on
    /// the number below", "follow the steps below"): the section after it, across at most one
    /// heading, is how. The look-back stops at the first block that names ending otherwise.
    fn pointed_from(&self, b: usize) -> Option<Subject> {
        let mut headings = 0;
        for p in (b.saturating_sub(FORWARD_WINDOW)..b).rev() {
            if matches!(self.ctx(p).role, Role::Heading) {
                headings += 1;
                if headings > 1 {
                    return None;
                }
            }
            let ss = self.of_block(p);
            // A paragraph ending in a colon right before introduces this one, as a lead-in
            // introduces its list ("To cease your service, get in touch:").
            let introduces_next = p + 1 == b && introduces(self.blocks[p].as_str());
            if let Some(x) = ss.iter().rev().find(|x| {
                x.reading.ends_service()
                    && x.reading.ending_named
                    && (x.reading.points_forward || introduces_next)
                    && !x.reading.question
            }) {
                return Some(Subject {
                    block: p,
                    object: x.reading.object(),
                });
            }
            if ss
                .iter()
                .any(|x| x.reading.ends_anything() && x.reading.ending_named)
            {
                return None;
            }
        }
        None
    }

    /// Ways to reach the provider ("Call, email, live chat or visit a store.") followed, a
    /// little further on in the same section, by what to ask for there ("Explain that you want
    /// to cancel"): that request is what they are for. The rest of sentence `k`'s own paragraph
    /// is read first, then the blocks after it; the look-ahead stops at the section's end and at
    /// the first sentence that names ending otherwise.
    fn asked_after(&self, k: usize) -> Option<Subject> {
        let b = self.sentences[k].block;
        let section = &self.ctx(b).headings;
        let end = (b + 1 + FORWARD_WINDOW).min(self.blocks.len());
        // A few sentences of each block: one long paragraph of channel sentences must not make
        // every sentence read all the others.
        let same_block = self.sentences[k + 1..]
            .iter()
            .take_while(|x| x.block == b)
            .take(FORWARD_SENTENCES);
        let later = (b + 1..end)
            .take_while(|&j| self.ctx(j).headings == *section)
            .flat_map(|j| self.of_block(j).iter().take(FORWARD_SENTENCES));
        let x = same_block
            .chain(later)
            .find(|x| x.reading.ends_anything() && x.reading.ending_named)?;
        let asks = x.reading.ends_service()
            && x.reading.is_step()
            && !x.reading.question
            && !x.reading.online()
            && !x.reading.offline()
            && asks_for(&x.text);
        asks.then(|| Subject {
            block: x.block,
            object: x.reading.object(),
        })
    }

    /// Numbered step headings of one sequence ("第二步：联系客服渠道" … "第三步：提交退订申请",
    /// "Step 2: Contact us") are one procedure, as the steps of one list are: the channels under
    /// one step are for what another step of the same sequence ends. Only step headings under the
    /// same parent headings count, nearest first, within a window of blocks.
    ///
    /// Plainly numbered headings ("2. Contact Customer Service", "三、") number the sections of
    /// terms as often as steps ("12. Termination", "13. Contact us"): such a heading joins a
    /// procedure only with a neighbour that asks for the ending in so many words ("3. Request
    /// Disconnection").
    fn procedure(&self, heading: Option<usize>) -> Option<Subject> {
        let h = heading?;
        let stepped = numbered_step(&self.blocks[h]);
        if !stepped && !numbered_section(&self.blocks[h]) {
            return None;
        }
        let parent = &self.ctx(h).headings;
        // Nearest first, without collecting: h-1, h+1, h-2, h+2, …
        let near = (1..=SIBLING_WINDOW)
            .flat_map(|d| [h.checked_sub(d), Some(h + d)])
            .flatten()
            .filter(|&j| j < self.blocks.len());
        near.filter(|&j| {
            matches!(self.ctx(j).role, Role::Heading)
                && self.ctx(j).headings == *parent
                && self.short(j)
                && (numbered_step(&self.blocks[j])
                    || numbered_section(&self.blocks[j]) && asks_to_end(&self.blocks[j]))
                && (stepped || asks_to_end(&self.blocks[j]))
        })
        .find_map(|j| {
            let ss = self.of_block(j);
            // A step that ends the service by doing it ("提交退订申请"), not one that talks
            // about its terms or asks.
            ss.iter()
                .any(|x| x.reading.ends_service() && x.reading.is_step() && !x.reading.question)
                .then(|| self.ending_subject(j))
                .flatten()
        })
    }

    /// A step heading ("Step 3: Give notice", "第二步") belongs to the procedure it is a step of:
    /// the heading above it ("How to cancel your contract: a step-by-step guide") or, where the
    /// steps sit at the same level as their title, the nearest heading before it that is not a
    /// step ("How to close your account" / "Step 1" / "Step 2"). Only a heading that ends the
    /// service and is not about its fee lends it ([`Page::ending`]).
    fn step_of(&self, heading: Option<usize>) -> Option<Subject> {
        let h = heading?;
        if !numbered_step(&self.blocks[h]) || !step_reaches_out(&self.blocks[h]) {
            return None;
        }
        let parent = &self.ctx(h).headings;
        let title = (h.saturating_sub(SIBLING_WINDOW)..h).rev().find(|&j| {
            matches!(self.ctx(j).role, Role::Heading)
                && self.ctx(j).headings == *parent
                && !numbered_step(&self.blocks[j])
        });
        // The nearest only: past a heading about something else ("Paying your early
        // termination fee" › "Step 1: Log in") the steps are that thing's.
        let j = title.or_else(|| parent.last().copied())?;
        if !self.short(j) {
            return None;
        }
        self.ending_subject(j)
    }

    /// Is `b` under a heading that labels notes ([`NOTES`], after the fold)? Not a summary's
    /// ("In short", "At a glance"): its items may be the steps.
    fn under_notes(&self, b: usize) -> bool {
        // The heading's sentence is folded already.
        self.ctx(b).headings.last().is_some_and(|&h| {
            self.short(h)
                && self
                    .of_block(h)
                    .first()
                    .is_some_and(|x| NOTES.contains(&x.folded.trim().trim_end_matches([':', '：'])))
        })
    }

    /// Does the block speak of fees or refunds ("Paying your early termination fee")?
    fn about_money(&self, b: usize) -> bool {
        self.of_block(b).iter().any(|x| x.reading.about_money())
    }

    /// A list item short enough to be a step: a sentence or two. The numbered clauses of terms
    /// and conditions are list items too, but each is about its own matter: one clause's channel
    /// ("以書面要求終止服務") is not another's.
    /// A step's own short title before its instruction ("**End it.** Tap End plan. Your line
    /// closes at the end of the cycle.") is not one of its sentences: it names the step.
    fn step_sized(&self, b: usize) -> bool {
        let ss = self.of_block(b);
        let title = match ss {
            [first, _, ..] if step_title(&first.text) => first.text.chars().count() + 1,
            _ => 0,
        };
        ss.len() - usize::from(title > 0) <= STEP_SENTENCES
            && self
                .blocks
                .get(b)
                .is_some_and(|t| at_most_chars(t, STEP_CHARS + title))
    }
}

/// Words of a heading about giving notice, after the fold: not every word of notice ("Notifications"
/// is how the provider writes to the reader, the review of round 62).
const GIVING_NOTICE: [&str; 7] = [
    "give notice",
    "giving notice",
    "written notice",
    "notice period",
    "书面通知",
    "通知期",
    "提前通知",
];

/// A sub-heading that only asks how, naming nothing ("Ending your home phone line" › "How to
/// ask" › "Call our hotline …", round 65's third wave): it goes on with the heading above it.
/// Read whole, after the fold, without its closing colon or question mark.
fn neutral_how(folded: &str) -> bool {
    let t = folded
        .trim()
        .trim_end_matches([':', '：', '?', '？', '.', '。'])
        .trim_end();
    NEUTRAL_HOW.contains(&t)
}

/// Sub-headings that ask how and name nothing, after the fold.
const NEUTRAL_HOW: [&str; 20] = [
    "how to apply",
    "how to ask",
    "how to request",
    "how to request it",
    "how to make a request",
    "how to make your request",
    "how to submit",
    "how to submit a request",
    "how to submit your request",
    "how to do it",
    "how to do this",
    "what to do",
    "how it works",
    "如何申请",
    "如何办理",
    "怎样办理",
    "怎么办理",
    "申请流程",
    "办理流程",
    "办理步骤",
];

/// Longest title of a step ("Log in.", "End it.", "確認。"), in characters.
const STEP_TITLE_CHARS: usize = 16;

/// A step's title: a few words and a stop, asking nothing ("Log in.", "Open your plan."). In
/// Latin script two words at least, the first no noun or gerund: a run-in heading of terms
/// ("Billing.", "Termination.") names a clause, whose sentences each count (the review of round
/// 62).
fn step_title(text: &str) -> bool {
    let t = text.trim();
    let mut words = t.split_whitespace();
    let first = words.next().unwrap_or_default();
    let latin = t.is_ascii();
    at_most_chars(t, STEP_TITLE_CHARS)
        && t.split_whitespace().nth(3).is_none()
        && t.ends_with(['.', '。', ':', '：'])
        && (!latin
            || words.next().is_some()
                && !first.to_lowercase().ends_with("ing")
                && !first.to_lowercase().ends_with("ion"))
}

/// Words of telling the provider what one wants ("Explain that you want to cancel", 告知注销需求),
/// or of picking the ending in a menu after the channel was opened ("Log in to the web hall." /
/// "選擇「寬帶退訂」"), after the Traditional → Simplified fold and lower-casing.
/// Not 要求 or 提出: in terms they are what a clause requires ("以書面要求終止服務").
const ASKING: [&str; 19] = [
    "select",
    "choose",
    "click",
    "tap ",
    "选择",
    "点击",
    "explain",
    "tell ",
    "let them know",
    "let us know",
    "let the ",
    "ask ",
    "mention",
    "say ",
    "inform",
    "request",
    "告知",
    "说明",
    "表明",
];

/// Does the sentence apply for a refund ("…至服務中心申請退費", "差額退費，須…申辦", "request a
/// refund")? `t` is after the fold.
fn applies_for_refund(t: &str) -> bool {
    const APPLYING: [&str; 9] = [
        "申请退",
        "办理退",
        "退费申请",
        "退款申请",
        "申办",
        "apply for a refund",
        "request a refund",
        "refund request",
        "claim a refund",
    ];
    APPLYING.iter().any(|w| t.contains(w))
}

/// Does the sentence open with a change or update as its subject ("Changes made through …",
/// 資料更改…)? `t` is after the fold.
fn opens_with_other_errand(t: &str) -> bool {
    const OPENERS: [&str; 13] = [
        // Joining a plan: "加入本方案：撥打188、於網路門市線上申請" (round 35's reviews).
        "加入",
        "申办",
        "sign up",
        "join ",
        "changes ",
        "any changes ",
        "all changes ",
        "change requests ",
        "updates ",
        "更改",
        "变更",
        "修改",
        "资料更改",
    ];
    OPENERS.iter().any(|o| t.trim_start().starts_with(o)) || other_errands_heading(t)
}

/// Another errand of the line as a topic, after the fold: a change of owner or an unbinding.
/// The number stays.
const ERRAND_TOPICS: [&str; 4] = [
    "过户",
    "解绑",
    "change of ownership",
    "transfer of ownership",
];

/// Does a heading (folded) name another errand as its topic wherever the word stands?
/// "线上过户（家庭成员之间）" over the app's steps of a change of owner, under "过户与销户"
/// (round 64's first wave); "线上解绑" over unbinding a secondary card.
fn names_errand_topic(t: &str) -> bool {
    ERRAND_TOPICS.iter().any(|w| t.contains(w))
}

/// Does a sentence (folded) open with another errand as its subject, perhaps after its way
/// ("线上过户须双方人脸识别")? Not one that names it in passing ("與過戶一樣，可於網上客戶中心
/// 自助辦理" answers how to end, the review of round 64).
fn opens_with_errand_topic(t: &str) -> bool {
    const WAYS: [&str; 5] = ["", "线上", "网上", "在线", "online "];
    let t = t.trim_start();
    WAYS.iter().any(|w| {
        t.strip_prefix(w)
            .is_some_and(|rest| ERRAND_TOPICS.iter().any(|e| rest.starts_with(e)))
    })
}

/// Does an item open with a gerund ("changing or closing your number", "using our app")? Then
/// it names a topic, as a page's contents list does, not a step to take (round 48: "Using our
/// app" beside "Changing or closing your number"). After the fold.
fn opens_with_gerund(t: &str) -> bool {
    crate::extract::reading::first_gerund(t.trim_start(), 5).is_some()
}

/// A heading over a menu of other errands ("Things you can manage online", 其他網上服務).
fn other_errands_heading(t: &str) -> bool {
    const MENUS: [&str; 8] = [
        "things you can",
        "what else you can",
        "other online services",
        // Round 54's first wave: "Managing your account online" › "You can view and pay bills,
        // check your minimum term end date…" under a page about cancelling.
        "manage your account",
        "managing your account",
        "其他网上服务",
        "其他线上服务",
        "其他服务",
    ];
    // Round 61's third wave: "What Live Chat can still do" under "Cancelling your service",
    // after an update that took the ending away from chat: the way's other errands.
    // Not what the reader can still do ("What you can still do" › "Call 13 22 00").
    const STILL: [&str; 2] = [" can still do", " can still help"];
    const PEOPLE: [&str; 4] = ["you ", "customers ", "we ", "members "];
    let t = t.trim_start();
    MENUS.iter().any(|m| t.starts_with(m))
        || t.strip_prefix("what ").is_some_and(|rest| {
            !PEOPLE.iter().any(|p| rest.starts_with(p)) && STILL.iter().any(|w| rest.contains(w))
        })
}

/// Does the sentence waive the fee it names ("without the early termination charge", 免收)?
/// `t` is after the fold.
fn waives_fee(t: &str) -> bool {
    // A fee noun right after "without": "without paying the charge" (you must pay it) and "we
    // do not waive the fee" say the opposite (the read-through of round 36).
    const WITHOUT: [&str; 4] = ["without the ", "without any ", "without an ", "without a "];
    const WAIVED: [&str; 4] = ["waived", "free of charge", "免收", "豁免"];
    WAIVED.iter().any(|w| t.contains(w))
        || WITHOUT.iter().any(|w| {
            t.match_indices(w).take(4).any(|(at, _)| {
                let rest = &t[at + w.len()..];
                let rest = rest.strip_prefix("early ").unwrap_or(rest);
                [
                    "termination",
                    "cancellation",
                    "exit",
                    "fee",
                    "charge",
                    "penalt",
                ]
                .iter()
                .any(|f| rest.starts_with(f))
            })
        })
}

/// Does the sentence pay or top up ("如有欠费，请先通过APP或微信缴清话费")? Its online way is
/// the payment's. `t` is after the fold.
fn pays(t: &str) -> bool {
    const PAYING: [&str; 7] = ["缴清", "缴费", "交清", "结清", "充值", "pay off", "top up"];
    PAYING.iter().any(|w| t.contains(w))
}

/// Does a heading name handing in the form ("Submitting the form", 遞交表格, 提交方式)? `t`
/// is after the fold.
fn hands_in_form(t: &str) -> bool {
    let form = names_a_form(t);
    let hand_in = ["submit", "return", "send", "递交", "提交", "交回", "送交"]
        .iter()
        .any(|w| t.contains(w));
    form && hand_in
        || ["递交方式", "提交方式", "递交途径"]
            .iter()
            .any(|w| t.contains(w))
}

/// Is a short heading only about handing in ("How to submit", "Submission", 遞交方法)? `t`
/// is after the fold.
fn hand_in_heading(t: &str) -> bool {
    // Not "how to return": a modem is returned too (the read-through of round 36).
    const HAND_IN: [&str; 10] = [
        "how to submit",
        "where to submit",
        "where to send",
        "submission",
        "submitting",
        "递交方法",
        "交回方法",
        "交回方式",
        "提交方法",
        "送交方式",
    ];
    HAND_IN.iter().any(|w| t.trim_start().starts_with(w))
}

/// Does a lead-in get a form ("download the form below", 下載表格)? `t` is after the fold.
fn gets_a_form(t: &str) -> bool {
    (t.contains("download") || t.contains("下载") || t.contains("索取")) && names_a_form(t)
}

/// Does `t` (after the fold) name a form: the word "form", 表格, 申请表, 申请书?
fn names_a_form(t: &str) -> bool {
    t.split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "form" || w == "forms")
        || ["表格", "申请表", "申请书"].iter().any(|w| t.contains(w))
}

/// Does the sentence tell the reader what to ask for? The request is at its start: a bounded
/// prefix is read.
fn asks_for(text: &str) -> bool {
    let t = folded_opening(text);
    ASKING.iter().any(|w| t.contains(w))
}

/// The sentence's opening (a bounded prefix), folded for matching.
fn folded_opening(text: &str) -> String {
    crate::extract::normalise::for_matching(&crate::extract::block::bounded_cow(text))
}

/// How a courtesy or an aside opens ("We're sorry to see you go", "Thanks for being with us",
/// 很遗憾, "You'll find it on your bill"), after the fold and lower-casing: thanks, regret, or a
/// statement about the reader or the thing just named. Not any sentence that names nothing: an
/// imperative ("Take a look at what's new first") sends the reader elsewhere (round 31's second
/// review).
const COURTESIES: [&str; 28] = [
    "you'll ",
    "you will ",
    "you can find",
    "it's ",
    "it is ",
    "this is ",
    "that's ",
    "we're sorry",
    "we are sorry",
    "we'd be sorry",
    "we would be sorry",
    "sorry to see",
    "we'll be sorry",
    "we hate to see",
    "we'd hate to",
    "we'll miss you",
    "thank you",
    "thanks for",
    "很遗憾",
    "感谢",
    "谢谢",
    // A chat agent's greeting (round 39).
    "hi!",
    "hi,",
    "hi there",
    "hello!",
    "hello,",
    "你好",
    "您好",
];

/// Does the sentence open with a courtesy? A bounded prefix is read.
fn courteous(text: &str) -> bool {
    let t = folded_opening(text);
    // After a chat speaker's label ("Amir (Thistle): Hi!"): the words said (round 39).
    let said = after_speaker(&t).map_or(t.as_str(), str::trim_start);
    COURTESIES.iter().any(|w| said.starts_with(w))
}

/// How many sentences of the turn before a chat's reply are read for the ending it answers.
const TURN_SENTENCES: usize = 4;

/// Headings that only say how to reach the provider, whole, after the fold and lower-casing and
/// without closing punctuation.
const CONTACT_HEADINGS: [&str; 14] = [
    "contact us",
    "contact",
    "get in touch",
    "how to contact us",
    "how to reach us",
    "ways to contact us",
    "ways to get in touch",
    "contact details",
    "contact information",
    "联系我们",
    "联络我们",
    "联系方式",
    "联络方式",
    "如何联系我们",
];

/// Is the heading one of [`CONTACT_HEADINGS`]? Read only when short.
fn contact_heading(heading: &str) -> bool {
    if !at_most_chars(heading, CONTACT_CHARS) {
        return false;
    }
    let t = crate::extract::normalise::for_matching(heading);
    let t = t.trim_matches(|c: char| c.is_whitespace() || ":：.!?".contains(c));
    CONTACT_HEADINGS.contains(&t)
}

/// Longer than this, a heading is more than a way to reach the provider.
const CONTACT_CHARS: usize = 24;

/// A heading that numbers a step: 第二步, 步骤2, "Step 2" at its start. A bare "2." is not one:
/// numbered sections of terms are numbered that way too.
fn numbered_step(heading: &str) -> bool {
    // Read on the raw text, a few characters in: this runs for each heading near a step, and a
    // hostile page may have thousands of them (or one of 5 MB).
    const LOOK: usize = 16;
    let numeral = |c: char| c.is_numeric() || CJK_NUMERALS.contains(c);
    let mut t = heading.trim_start().chars().take(LOOK).peekable();
    match t.next() {
        Some('第') => {
            let mut digits = 0;
            while t.next_if(|&c| numeral(c)).is_some() {
                digits += 1;
            }
            digits > 0 && t.next() == Some('步')
        }
        Some('步') => {
            matches!(t.next(), Some('骤' | '驟'))
                && t.find(|c| !c.is_whitespace()).is_some_and(numeral)
        }
        Some(c) if c.eq_ignore_ascii_case(&'s') => {
            t.by_ref()
                .take(3)
                .map(|c| c.to_ascii_lowercase())
                .eq("tep".chars())
                && t.find(|c| !c.is_whitespace())
                    .is_some_and(|c| c.is_numeric())
        }
        _ => false,
    }
}

/// What a step heading asks the reader to do when it reaches out to the provider ("Step 2: Give
/// notice", "Step 3: Write to us", 第二步：提交申请), after the fold and lower-casing. A step that
/// checks a date, pays or returns equipment is a step of its own.
const REACHES_OUT: [&str; 30] = [
    "give notice",
    "give your notice",
    "notify",
    "inform",
    "tell",
    "request",
    "submit",
    "apply",
    "contact",
    "call",
    "phone",
    "ring",
    "write",
    "send",
    "visit",
    "go to",
    "speak",
    "talk",
    "email",
    "cancel",
    "terminate",
    "end ",
    "close",
    "提交",
    "申请",
    "办理",
    "联系",
    "致电",
    "拨打",
    "前往",
];

/// Does a numbered step heading reach out to the provider, or name nothing but its number
/// ("Step 1")? The words after the number are read, bounded.
fn step_reaches_out(heading: &str) -> bool {
    let t = crate::extract::normalise::for_matching(&crate::extract::block::bounded(heading));
    let rest = after_number(&t);
    rest.is_empty() || REACHES_OUT.iter().any(|w| rest.starts_with(w))
}

/// A folded heading's words after its number: "step 2: give notice", "第二步：提交申请",
/// "3) return the router" and "四、提交销户申请" give "give notice", "提交申请", "return the
/// router" and "提交销户申请". One way of stripping the number, for every reader of headings.
fn after_number(folded: &str) -> &str {
    folded
        .trim_start_matches("step")
        .trim_start_matches('第')
        .trim_start_matches("步骤")
        .trim_start()
        .trim_start_matches(|c: char| c.is_numeric() || CJK_NUMERALS.contains(c))
        .trim_start_matches('步')
        .trim_start_matches(|c: char| c.is_whitespace() || ":：.．、-–—)".contains(c))
}

/// Words a numbered heading starts with (after its number) when it is a step that asks for the
/// ending ("3. Request disconnection", "四、提交销户申请"), not a section that names it
/// ("12. Termination"). After the fold and lower-casing.
const ASKS_TO_END: [&str; 11] = [
    "request",
    "cancel ",
    "terminate ",
    "disconnect ",
    "close your",
    "end your",
    "ask for",
    "submit",
    "提交",
    "申请",
    "办理",
];

/// Does the numbered heading ask for ending, by one of [`ASKS_TO_END`] right after its number?
/// (The heading also has to end the service: the caller reads that.)
fn asks_to_end(heading: &str) -> bool {
    let t = crate::extract::normalise::for_matching(&crate::extract::block::bounded(heading));
    ASKS_TO_END.iter().any(|w| after_number(&t).starts_with(w))
}

#[cfg(test)]
mod tests {
    use super::{
        after_number, after_speaker, asks_to_end, contact_heading, numbered_step, step_reaches_out,
        step_title,
    };

    /// A speaker's label is short: the colon is looked for only near the start, so a huge block
    /// is not read again for each of its sentences (round 39's read-back: 7.8 s for 20,000
    /// sentences that each referred back, 0.08 s bounded).
    #[test]
    fn a_speakers_label_is_looked_for_near_the_start_only() {
        assert_eq!(after_speaker("Amir (Thistle): Hi!"), Some(" Hi!"));
        assert_eq!(after_speaker("客服：您好"), Some("您好"));
        let far = "x ".repeat(20_000) + "label: text";
        assert_eq!(after_speaker(&far), None);
        assert_eq!(after_speaker("no label here"), None);
    }

    #[test]
    fn a_sub_heading_that_only_asks_how_is_neutral() {
        let f = crate::extract::normalise::for_matching;
        assert!(super::neutral_how(&f("How to ask")));
        assert!(super::neutral_how(&f("How to submit your request:")));
        assert!(super::neutral_how(&f("如何辦理？")));
        assert!(!super::neutral_how(&f("How to change your plan")));
        assert!(!super::neutral_how(&f("How to ask for a refund")));
    }

    #[test]
    fn a_change_of_owner_or_an_unbinding_is_an_errand_topic() {
        let f = crate::extract::normalise::for_matching;
        assert!(super::names_errand_topic(&f("線上過戶（家庭成員之間）")));
        assert!(super::names_errand_topic(&f("线上解绑")));
        assert!(super::names_errand_topic(&f(
            "Online transfer of ownership"
        )));
        assert!(!super::names_errand_topic(&f("线上销户")));
        // A sentence only when it opens with the errand.
        assert!(super::opens_with_errand_topic(&f(
            "線上過戶須雙方完成人臉識別。"
        )));
        assert!(!super::opens_with_errand_topic(&f(
            "與過戶一樣，可於網上客戶中心自助辦理。"
        )));
        assert!(!super::opens_with_errand_topic(&f(
            "Unlike a transfer of ownership, you can do this online."
        )));
    }

    #[test]
    fn a_way_that_can_still_do_things_heads_other_errands() {
        assert!(super::other_errands_heading("what live chat can still do"));
        assert!(super::other_errands_heading(
            "what the app can still help with"
        ));
        assert!(super::other_errands_heading("things you can manage online"));
        // Not a heading that asks what can be done to end the service.
        assert!(!super::other_errands_heading("what you can do to cancel"));
        assert!(!super::other_errands_heading("we can still do it for you"));
        assert!(!super::other_errands_heading("what you can still do"));
    }

    #[test]
    fn a_courtesy_opens_with_its_words() {
        assert!(super::courteous("We'd be sorry to see you go."));
        assert!(super::courteous("Thanks for being with us."));
        assert!(super::courteous("很遺憾您要離開。"));
        assert!(super::courteous("You'll find it on your bill."));
        assert!(!super::courteous("Take a look at what's new first."));
    }

    #[test]
    fn contact_headings_are_whole_and_short() {
        for h in [
            "Contact us",
            "Get in touch:",
            "聯絡我們",
            "联系方式",
            "How to contact us?",
        ] {
            assert!(contact_heading(h), "{h}");
        }
        for h in [
            "Contact us to cancel",
            "Contact preferences",
            "聯絡我們以終止服務",
            "Cancel",
        ] {
            assert!(!contact_heading(h), "{h}");
        }
    }

    #[test]
    fn a_steps_title_is_not_one_of_its_sentences() {
        for t in [
            "Log in.",
            "End it.",
            "Open your plan.",
            "確認。",
            "Step two:",
        ] {
            assert!(step_title(t), "{t}");
        }
        for t in [
            "Billing.",
            "Termination.",
            "Ending your plan.",
            "Tap End plan in the app.",
            "Are you sure?",
            "Your line is deactivated at the end of the current cycle.",
            "Visit us",
        ] {
            assert!(!step_title(t), "{t}");
        }
    }

    #[test]
    fn steps_among_numbered_sections() {
        assert!(asks_to_end("3. Request Disconnection"));
        assert!(asks_to_end("四、提交销户申请"));
        assert!(!asks_to_end("12. Termination"));
        assert!(!asks_to_end("3. Cancellation fees"));
        // One way of stripping the number for both readers.
        assert_eq!(after_number("step 2: give notice"), "give notice");
        assert_eq!(after_number("第二步：提交申请"), "提交申请");
        assert_eq!(after_number("3) return the router"), "return the router");
        assert_eq!(after_number("四、提交销户申请"), "提交销户申请");
        assert_eq!(after_number("12. termination"), "termination");
    }

    #[test]
    fn a_step_heading_reaches_out_or_names_only_its_number() {
        for h in [
            "Step 1",
            "Step 3: Give Notice",
            "Step 2 - Write to us",
            "第二步：提交申请",
            "步骤3 联系客服",
        ] {
            assert!(step_reaches_out(h), "{h}");
        }
        for h in [
            "Step 1: Check your contract end date",
            "Step 5: Pay Any Outstanding Fees",
            "第二步：归还设备",
            "第一步：查询账单",
        ] {
            assert!(!step_reaches_out(h), "{h}");
        }
    }

    #[test]
    fn step_headings_are_numbered() {
        for h in [
            "第二步：联系客服",
            "第3步 提交申请",
            "步骤 2：登录",
            "Step 3: Submit",
            "STEP 1 — Call us",
        ] {
            assert!(numbered_step(h), "{h}");
        }
        for h in [
            "第二章 終止服務",
            "Steps to cancel",
            "步骤说明",
            "Stepping stones",
            "2. Fees",
        ] {
            assert!(!numbered_step(h), "{h}");
        }
        assert!(numbered_step("第３步：撥打熱線"), "full-width digits");
        // Only a few characters are read: a numeral run longer than that is no step number.
        assert!(!numbered_step(&format!("第{}步", "1".repeat(100_000))));
    }
}
