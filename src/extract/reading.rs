//! Reading: what one sentence says, clause by clause, before its context is consulted.
//!
//! A sentence is split into clauses; trap clauses (checking a status, finding a shop, an order)
//! are dropped; clauses about an add-on (auto-renewal, paper bill, data pack) are kept apart, so
//! that "cancel the auto-renewal online, end the service in a shop" gives the app to the add-on
//! and the shop to the service. Negation is bound to what it negates: a negation next to an
//! offline channel denies that channel only, one about what happens after ending ("cannot be
//! restored") or a precondition ("otherwise") denies nothing, one about money ("no partial
//! refunds for cancellation") denies the money, and "cannot" only denies ending when it comes
//! before the first ending word ("a terminated SIM cannot connect", "cancelling the service
//! doesn't cancel the payments" are not denials). In Chinese the head noun comes last: in
//! 門號搭贈的加值服務 the add-on is what is ended. A negation reaches the items of its own
//! enumeration ("not through the app, Google Play, or online"); what follows "without" is not
//! done; ending told as done already ("customers who have cancelled") offers nothing for it; a
//! verb of dialling before a number is the phone (`dialling`). Pure.

use crate::extract::lexicon::{Concept, Concepts, Lexicon};
use crate::extract::normalise::{CJK_NUMERALS, for_matching};

mod addon;
mod addresses;
mod answers;
mod api_route;
mod audience;
mod clauses;
mod cues;
mod demand;
mod dialling;
mod ending_phrase;
mod errands;
mod instruction;
mod left_out;
mod menu_path;
mod not_same;
mod pointers;
mod questions;
mod sentence;
mod when;

pub(crate) use addon::{ONESELF, names_own_line};
use addon::{
    addon_beside_ending, addon_is_head, by_oneself, ending_is_fee, ending_survives_consequence,
    generic_business, service_endings, stops_use_only, suspends,
};
use addresses::{bare_address, ends_with_label, has_mail_address, has_web_path, portal_named};
pub(crate) use answers::{FOOTNOTE_MARKS, yes_no_folded};
pub use answers::{cell_answer, is_dash, opens_with_no, opens_with_sorry, yes_no};
pub(crate) use audience::{Audience, audience_of, kept_for_some, reader_shut_out};
use clauses::{
    ASKING_HOW, CLAUSE_WORDS, bare_item, clauses, ends_before_trap, enumerated, refuses_all_listed,
};
use cues::Cues;
pub(crate) use demand::ONLY_VALID;
pub(crate) use errands::other_errand;
use errands::{
    LOOKS, ONLY_HANDLES, OTHER_ERRANDS, changes_plan, handled_there, own_task, purpose_of_ending,
    purpose_of_other,
};
pub(crate) use instruction::{instructs, opens_with_imperative};
use left_out::{
    WHERE_FOUND, before_where_found, trap_modifies, without_login, without_pointers, without_what,
};
pub(crate) use menu_path::ARROWS;
pub(crate) use not_same::first_gerund;
pub use pointers::befalls;
use pointers::{GOING_ON, TURNS, names_way_back, offers_alternative, sent_there};
use questions::{BELIEVING, CITING, REFUTING, WHY, is_question, wishes};
pub(crate) use questions::{after_speaker, speaker_split};
use when::{
    AFTER_ENDING_CHARS, AGENT_TAKES_IT, CORRECTING, FUTURE_OPENERS, MISBELIEF, NOT_HERE_YET,
    NOTICE_VERBS, NOW_WORDS, OFFERING, PAST, PAST_FIRST, PAST_OPENERS, PAST_WORDS, PILOT_OVER,
    RETRACTED, announced_before, announced_far_on, announcing_words, before_a_date, ended_already,
    ended_before, from_a_year, held_until_term_end, opens_with, pilot_over, points_back_to_place,
    replaced_by_new, told_of_the_past, until_launch,
};
pub(crate) use when::{ANNOUNCED, announces};
pub(crate) use when::{names_a_trial, trial_over};

/// What is being ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    /// The service, line, number, SIM, contract or account.
    Service,
    /// An add-on, auto-renewal, paper bill, order, suspension…
    Addon,
}

/// One sentence, read on its own.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reading {
    /// Every concept outside trap clauses (add-on clauses included): for "cancellation wording".
    pub all: Concepts,
    /// Concepts of the clauses about the service (neither trap nor add-on).
    pub service: Concepts,
    /// Concepts of the add-on clauses.
    pub addon: Concepts,
    /// A negation bound to an online channel or to ending (not to an offline channel).
    pub negated: bool,
    /// A negation before an ending word, in a clause that names no channel: "cannot be cancelled".
    pub cannot_end: bool,
    /// A refusal to end "in the following ways" that names no way itself: it refuses the ways
    /// listed after it, not ending ("ACD does not accept cancellation in the following manner:").
    pub refuses_ways: bool,
    /// A negation bound to an offline channel only: "cannot be closed offline".
    pub negated_offline: bool,
    pub qualified: bool,
    pub refers_back: bool,
    /// Points forward ("the number below", 如下): the section after takes its subject.
    pub points_forward: bool,
    /// One clause both ends and points forward ("通过以下渠道提交解约申请：", "cancel through
    /// any of the channels below"): what follows is how to end, not what else to do first
    /// ("如需拆机，请先按下列方式归还设备").
    pub forward_ending: bool,
    /// The customer's notice goes by an online way ("Notice may be given by email", "notify us
    /// via the portal"): under a heading about ending, that notice is the request.
    pub request_notice: bool,
    pub question: bool,
    /// A question asking why or when something happens ("Why can't I…?", 為何…?, "When will
    /// my service be terminated?"): what follows gives reasons or dates, not a way.
    pub asks_why: bool,
    /// Some clause was a trap ("to check the balance, visit a shop"): a sentence that borrows
    /// its subject from context is then about something else.
    pub any_trap: bool,
    /// Every trap clause comes before a "but" that turns from it ("Check your contract for
    /// the details, but providers typically accept:"): what the sentence goes on to is not
    /// the trap's.
    pub trap_turned: bool,
    /// Some clause names ending as what is done, not as what happened before ("after you
    /// cancel, you can check your bills" names ending only as a time).
    pub ending_named: bool,
    /// A negation for some products or places only, beside a plain offer in the same sentence.
    pub partial_denial: bool,
    /// The sentence sends the reader somewhere for what the sentence before said ("Please visit
    /// the nearest shop", "You will have to write to us"): it refers back only to a sentence in
    /// which the reader ends the service, not one in which it befalls them.
    pub sent_on: bool,
    /// An offline channel demanded, not merely named ("can only be cancelled in store", 须亲临
    /// 门市办理), and no online channel offered in the sentence.
    pub offline_demanded: bool,
    /// The sentence calls what was said just before a way ("It is the easiest way to cancel
    /// your plan", 这是最快的销户方式): the way named there is for its ending.
    pub way_back: bool,
    /// An add-on clause comes before every clause about the service ("To go back to paper
    /// bills, cancel it in the app"): the sentence is about the add-on.
    pub addon_leads: bool,
    /// A clause names the service's own ending with a way ("終止服務須親臨門市辦理") beside an
    /// add-on clause with a way of its own ("網上只可取消增值服務"): two errands, two ways, and
    /// the ending is the service's.
    pub ends_itself: bool,
    /// A clause outside add-ons names ending the line or number itself in words no add-on
    /// is ended with (销户, 退租, "終止服務本身"): the sentence is about the service, whatever the
    /// heading above it ends ("終止服務後的最後賬單" › "終止服務本身不能在網上辦理", round 65's
    /// fourth wave).
    pub own_line: bool,
    /// The sentence opens with another way for what was said before ("Or you can use the
    /// form", 也可以登录APP办理): it goes on with an ending offered, not with one refused ("We
    /// cannot accept requests online. Or by email.").
    pub alternative: bool,
}

impl Reading {
    /// Ending wording about the service (or about nothing named).
    pub fn ends_service(&self) -> bool {
        self.service.has(Concept::Terminate)
    }

    /// Ending wording at all, add-ons included.
    pub fn ends_anything(&self) -> bool {
        self.all.has(Concept::Terminate)
    }

    /// What the sentence itself says is being ended, when it says so.
    pub fn object(&self) -> Option<Object> {
        if self.service.has(Concept::Terminate) {
            if self.service.has(Concept::Service)
                || self.own_line
                || self.ends_itself && self.addon_way()
            {
                Some(Object::Service)
            } else if self.addon.has(Concept::Terminate)
                || self.addon_leads && self.addon.has(Concept::Addon)
            {
                // "取消流量包，点击终止服务": the add-on clause names what the ending is about;
                // so does one before it that only names the add-on ("To go back to paper bills,
                // cancel it in the app", round 33's review).
                Some(Object::Addon)
            } else {
                None
            }
        } else if self.all.has(Concept::Terminate) && !self.addon.is_empty() {
            Some(Object::Addon)
        } else {
            None
        }
    }

    /// An add-on clause names a way of its own ("網上只可取消增值服務").
    fn addon_way(&self) -> bool {
        self.addon.has(Concept::Online) || self.addon.has(Concept::Offline)
    }

    /// A step that only ends ("Select 「宽带拆机」"): no fees, refunds, notice or conditions,
    /// which mark a sentence that talks about ending rather than doing it.
    pub fn is_step(&self) -> bool {
        [
            Concept::Fee,
            Concept::Refund,
            Concept::Notice,
            Concept::Unpaid,
            Concept::Consequence,
            Concept::Negation,
        ]
        .iter()
        .all(|c| !self.all.has(*c))
    }

    /// An online channel for the service, outside trap and add-on clauses.
    pub fn online(&self) -> bool {
        self.service.has(Concept::Online)
    }

    /// An offline channel for the service, outside trap and add-on clauses.
    pub fn offline(&self) -> bool {
        self.service.has(Concept::Offline)
    }

    /// The sentence speaks of what ending costs or returns (a fee, a refund): a way named in it
    /// is for paying, and a heading of it lends no ending.
    pub fn about_money(&self) -> bool {
        self.all.has(Concept::Fee) || self.all.has(Concept::Refund)
    }
}

/// How many characters a menu's name may have before its last word.
const MENU_CHARS: usize = 6;

/// Words that send the reader on to a place after something done first (再到门市, 然后前往营业厅).
const THEN_VISIT: [&str; 9] = [
    "再到",
    "再前往",
    "再去",
    "然后到",
    "然后前往",
    "然后去",
    "之后到",
    "之后前往",
    "后到营业厅",
];

/// Words of choosing the shop or the time of a visit, normalised (Simplified): a sentence that
/// holds one books the visit, and its online steps are the booking's.
const BOOKED_VISIT: [&str; 22] = [
    // Round 49: a badge's button "在线办理 ✓ 立即预约" (book now) is the booking itself; 销户的
    // “线上办”仅指在APP中预约办理时间 chooses the time.
    "立即预约",
    "预约办理时间",
    // Round 45's reviews: App/網站僅受理退租「預約登記」, 小程序仅提供注销预约.
    "预约登记",
    "注销预约",
    "销户预约",
    // Round 35's reviews: 透過網上預約系統預約門市辦理時段, 建議先於官網預約以減少等候時間,
    // 在APP里点“营业厅预约”.
    "营业厅预约",
    "门店预约",
    "预约门市",
    "预约时段",
    "减少等候",
    "减少轮候",
    "到店时间",
    // Round 33's review: "可先透過 MyLink 預約到店時段".
    "到店时段",
    "预约到店",
    "选择门店",
    "选好门店",
    "选择营业厅",
    "选好营业厅",
    "预约门店",
    "预约营业厅",
    // Round 36's reviews: "线上预约仅用于排号，并不代表拆机申请已受理".
    "仅用于排号",
    "排号",
];

/// A booking made online ("预约销户", 線上預約), after the fold: a visit to a shop booked
/// ("在首页搜索“预约销户”", the shop chosen in the next step; "網路預約櫃台時段", round 36's
/// held-out review), unless the visit is home ("在APP预约销户，工作人员会上门拆机" is the ending
/// booked online).
const BOOKING: [&str; 6] = [
    "预约销户",
    "销户预约",
    "线上预约",
    "网上预约",
    "网路预约",
    // Round 51 (its second wave): 现推出销户在线预约服务.
    "在线预约",
];

/// Does the normalised sentence book a visit ([`BOOKED_VISIT`]), or book the ending for one
/// ([`BOOKING`])? Not one done with a face check (联通APP…有个“预约销户”，拍身份证、刷脸, round
/// 40): the booking is the request itself.
pub(crate) fn books_a_visit(normalised: &str) -> bool {
    BOOKED_VISIT.iter().any(|w| normalised.contains(w))
        || BOOKING.iter().any(|w| normalised.contains(w))
            && !["上门", "无需到", "无需前往", "远程", "刷脸", "人脸"]
                .iter()
                .any(|w| normalised.contains(w))
}

/// Does the normalised sentence book the ending for a visit ([`BOOKING`]: 预约销户, 线上预约),
/// as words of its own, not a motive such as 减少等候?
pub(crate) fn books_the_ending(normalised: &str) -> bool {
    BOOKING.iter().any(|w| normalised.contains(w))
}

/// Does the clause name a provider's chat by its name ("via Sunrise Chat", "through the Acme
/// chat")? The lexicon holds "via chat" and "live chat"; a name between the preposition and
/// "chat" would need every name. Text is normalised.
fn names_a_chat(clause: &str) -> bool {
    const BY: [&str; 4] = ["via", "through", "using", "on"];
    // Words since the last preposition, counted; none seen yet is `None`.
    let mut since_by: Option<usize> = None;
    for w in clause
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        if w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()) == "chat"
            && since_by.is_some_and(|n| n < CHAT_NAME_WORDS)
        {
            return true;
        }
        since_by = if BY.contains(&w) {
            Some(0)
        } else {
            since_by.map(|n| n + 1)
        };
    }
    false
}

/// How many words may stand between the preposition and "chat", plus one ("through the acme
/// web chat" has three).
const CHAT_NAME_WORDS: usize = 4;

/// Does the clause say where something was bought or signed up for: an online word, then a word
/// of buying (在网上营业厅购买的, 通过APP办理的号卡), or a word of buying, then the online word
/// ("bought your SIM through our website", "signed up in the app"), with no ending between them?
/// Text is normalised.
fn bought_there(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    const AFTER_ZH: [&str; 4] = ["购买", "买的", "开通的", "订购的"];
    // 办理的 and 申请的 say bought only of a card, a number, a line or a plan (通过APP办理的号卡);
    // "选择要办理的业务" is a step.
    const APPLIED_ZH: [&str; 2] = ["办理的", "申请的"];
    const APPLIED_FOR: [&str; 5] = ["卡", "号", "手机卡", "宽带", "套餐"];
    const BEFORE_EN: [&str; 6] = [
        "bought ",
        "purchased ",
        "ordered ",
        "signed up ",
        "joined ",
        "got your ",
    ];
    let Some(online) = hits.first_at(Concept::Online) else {
        return false;
    };
    let (head, tail) = (&clause[..online], &clause[online..]);
    // An ending in the clause is of what was bought when it comes after the purchase and its
    // channel (在网上营业厅购买的宽带如何销户), or before the purchase that the channel ends ("I
    // tried to cancel a TV service I'd signed up for through an app"); then the channel is the
    // purchase's too.
    let end = hits.first_at(Concept::Terminate);
    let zh_before_end = |at: usize| end.is_none_or(|e| e > online + at);
    let applied = || {
        APPLIED_ZH.iter().any(|w| {
            tail.match_indices(w).any(|(at, _)| {
                zh_before_end(at)
                    && APPLIED_FOR
                        .iter()
                        .any(|n| tail[at + w.len()..].starts_with(n))
            })
        })
    };
    AFTER_ZH
        .iter()
        .any(|w| tail.find(w).is_some_and(zh_before_end))
        || applied()
        || BEFORE_EN
            .iter()
            .any(|w| head.rfind(w).is_some_and(|at| end.is_none_or(|e| e < at)))
}

/// "We will not cancel your plan if you have any outstanding payments": payments owed are the
/// unpaid charges, not a payment arrangement being cancelled (round 19: en-4435). The only add-on
/// word is "payment(s)", right after a word of owing. Text is normalised.
fn owed_payments(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    const OWING: [&str; 5] = ["outstanding ", "overdue ", "unpaid ", "missed ", "late "];
    let Some((head, rest)) = around_sole(clause, hits, Concept::Addon) else {
        return false;
    };
    // Only as the case ("if you have …"): "cancel a missed payment retry" cancels the payment.
    head.contains("if ") && rest.starts_with("payment") && OWING.iter().any(|w| head.ends_with(w))
}

/// The clause before and from the place where every match of `concept` starts, when they all
/// start at one place (one word of it, or words nested in one another).
fn around_sole<'c>(
    clause: &'c str,
    hits: &crate::extract::lexicon::Hits,
    concept: Concept,
) -> Option<(&'c str, &'c str)> {
    let at = hits.first_at(concept)?;
    if hits.last_at(concept) != Some(at) {
        return None;
    }
    Some((clause.get(..at)?, clause.get(at..)?))
}

/// Is the clause's one consequence word 欠費 before the lines it describes ([`arrears_group`])?
/// A refusal of an online way there is the lines' ("欠費號碼無法在APP提交銷戶申請"); with no way
/// named, "有欠費的號碼無法辦理銷戶" still holds ending up until the bill is paid.
fn arrears_lines(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    around_sole(clause, hits, Concept::Consequence).is_some_and(|(_, rest)| arrears_group(rest))
}

/// 欠費 before the lines it describes (欠費號碼無法在APP提交銷戶申請, 欠費停機的號碼): numbers in
/// arrears as a group, not a debt to settle first (round 48). `rest` opens with the word.
fn arrears_group(rest: &str) -> bool {
    const GROUP: [&str; 9] = [
        "号码",
        "用户",
        "客户",
        "账户",
        "状态",
        "停机",
        "的号码",
        "的用户",
        "门号",
    ];
    rest.strip_prefix("欠费")
        .is_some_and(|after| GROUP.iter().any(|g| after.starts_with(g)))
}

/// "…the lines you no longer need", "numbers you no longer use can be released": a relative
/// clause after a noun, not the subject's own state ("you no longer need to call").
fn no_longer_needed(head: &str, rest: &str) -> bool {
    NO_LONGER_NEEDED.iter().any(|w| rest.starts_with(w))
        && !rest.starts_with("no longer need to ")
        && ["you ", "we ", "they "].iter().any(|w| {
            head.strip_suffix(w)
                .is_some_and(|noun| noun.trim_end().ends_with(|c: char| c.is_alphabetic()))
        })
}

/// A relative clause after the thing ended: "…the number you no longer need".
const NO_LONGER_NEEDED: [&str; 2] = ["no longer need", "no longer use"];

/// A span of days or months and nothing else ("30天内", "七个工作日内"), as counted from a time.
fn span_after(rest: &str) -> bool {
    let units = rest.trim_start_matches(|c: char| {
        c.is_ascii_digit() || CJK_NUMERALS.contains(c) || COUNT_WORDS.contains(c)
    });
    units.len() < rest.len()
        && ["天内", "日内", "个工作日内", "个月内", "天", "日"].contains(&units.trim_end())
}

/// Words of a count beside the numerals one to ten: 两 (two, before a measure word) and 百.
const COUNT_WORDS: &str = "两百";

/// Ending named as a time, not as what is done: "before you cancel, back up your contacts",
/// 在終止使用號碼前應自行更新資料. What the clause asks for is done before ending, so its
/// channel is not one for ending. "在线" (online) is not the frame 在…前, and a length of time
/// after 前 makes it a notice period. Text is normalised.
fn ending_is_time(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let Some(at) = hits.first_at(Concept::Terminate) else {
        return false;
    };
    let (Some(head), Some(tail)) = (clause.get(..at), clause.get(at..)) else {
        return false;
    };
    // "After you click Confirm in the app your plan is cancelled", "your service is cancelled by
    // tapping Cancel in the app": a clause that names a channel says how, not in which case.
    let channel = [Concept::Online, Concept::Offline]
        .iter()
        .any(|&c| hits.first_at(c).is_some());
    // "Prior to making a phone call to your provider and cancelling, …", "Before you call us to
    // cancel, …": an offline way right before the ending word is how it is done; only the time
    // is ahead (round 19: en-4420). Not "before signing up online, cancel …" or "go online to
    // order … call to cancel", which stay a time.
    let channel_first = hits.first_at(Concept::Offline).is_some_and(|x| x < at)
        && hits.first_at(Concept::Online).is_none_or(|x| x > at)
        && {
            let near = head.trim_end();
            near.ends_with(" to") || near.ends_with(" and")
        };
    if (head.starts_with("before ") || head.starts_with("prior to ")) && !channel_first
        || ended_before(head, tail, channel)
    {
        return true;
    }
    // "…logged into your account 90 days before the cancellation": a time counted back from it.
    // Not a notice period: "submit your request … 30 days before cancellation" is the ending.
    let near = head.trim_end();
    if [
        "days before",
        "days before the",
        "days before your",
        "days prior to",
        "days prior to the",
    ]
    .iter()
    .any(|w| near.ends_with(w))
        && !NOTICE_VERBS.iter().any(|v| head.contains(v))
    {
        return true;
    }
    let opens = head
        .char_indices()
        .any(|(i, c)| matches!(c, '在' | '于') && !head[i + c.len_utf8()..].starts_with('线'));
    // "於終止服務前最少30日遞交申請" is a notice period: the request made then is the ending.
    let notice = |after: &str| {
        let after = after.trim_start();
        after.starts_with(|c: char| c.is_ascii_digit())
            || ["最少", "至少", "提前", "一个月", "一個月"]
                .iter()
                .any(|w| after.starts_with(w))
    };
    // "門號於退租生效後將收回": a time after the ending, in a clause that names no way of
    // making it (round 34's reviews; "在APP申请销户后" says how).
    // Not 后付费 (postpaid), a kind of plan.
    let after = || {
        let near: Vec<char> = tail.chars().take(AFTER_ENDING_CHARS + 1).collect();
        !channel
            && near
                .iter()
                .take(AFTER_ENDING_CHARS)
                .enumerate()
                .any(|(i, &c)| c == '后' && near.get(i + 1) != Some(&'付'))
    };
    // "销户受理后，…可以在线申请退还": a clause that is only the time after the ending (round
    // 35's reviews: the balance refunded in the app once the line is closed at a shop).
    // Not "点击'申请销户'后" (a step of the ending, the read-through): the ending word or what
    // is done to it comes right before 后.
    let only_after = || {
        let t = tail.trim_end();
        // "销户完成后30天内，可在APP申请余额退费" (round 65's fourth wave): a span counted from
        // the ending is a time too; it is read without the span.
        let t = t
            .char_indices()
            .find(|&(i, c)| c == '后' && span_after(&t[i + c.len_utf8()..]))
            .map_or(t, |(i, c)| &t[..i + c.len_utf8()]);
        t.chars().count() <= AFTER_ENDING_CHARS + 2
            && [
                "受理后",
                "生效后",
                "办理后",
                "完成后",
                "办妥后",
                "提交后",
                "销户后",
                "退租后",
                "终止后",
                "拆机后",
                "注销后",
            ]
            .iter()
            .any(|w| t.ends_with(w))
    };
    // "在双向停机或预销户期间，" (while the number awaits closing, round 36's reviews): a time
    // during the ending, in a clause that names no way.
    let during = || {
        let near = crate::extract::block::first_chars(tail, AFTER_ENDING_CHARS + 2);
        near.contains("期间")
    };
    opens
        && (tail
            .split_once('前')
            .is_some_and(|(_, after)| !notice(after))
            || after())
        || !channel && (only_after() || during())
}

/// How many characters after 不在 the verb that handles the request is looked for.
const NOT_AT_GAP: usize = 30;

/// Does `clause` (as cut, a prefix of `rest`) open a list of ways with 不在 ("not at") whose
/// verb (受理, 办理) follows within [`NOT_AT_GAP`] characters of `rest` (the sentence from the
/// clause on)? Not a condition (如不在合约期内: 如/若 right before), nor where the customer or the
/// line is (人不在归属地, 不在有效期), nor an offer between (人不在归属地的用户可直接通过App办理:
/// 可 or 能 before the verb) (the read-through of round 37).
fn not_handled_at(clause: &str, rest: &str) -> bool {
    let Some(at) = clause.find("不在") else {
        return false;
    };
    let before = clause[..at].trim_end();
    if before.ends_with('如') || before.ends_with('若') || before.ends_with("如果") {
        return false;
    }
    let Some(tail) = rest.get(at + "不在".len()..) else {
        return false;
    };
    if NOT_AT_PLACES.iter().any(|p| tail.starts_with(p)) {
        return false;
    }
    let look = crate::extract::block::first_chars(tail, NOT_AT_GAP);
    ["受理", "办理"].iter().any(|v| {
        look.find(v)
            .is_some_and(|end| !look[..end].contains('可') && !look[..end].contains('能'))
    })
}

/// Words that say a thing is missing, after the fold, and how far after one the function it
/// lacks is looked for (亦未开通APP销户功能: 8 characters between; 未有網上或App終止月費計劃的功能:
/// 14, round 50's first wave).
const LACKING: [&str; 11] = [
    "没有",
    "暂无",
    "未开通",
    "未设",
    "未提供",
    "未有",
    "并无",
    "冇",
    "缺少",
    "不具备",
    "无",
];
/// What a lack word opens that is no lack of a function: 无需, 无法 (a negation of its own),
/// 无论, 无线, 无限, 无纸化, 无欠款 / 没有欠费, 没有违约金, 无效 (the read-through of round 39).
const NOT_LACKING: [&str; 10] = ["需", "须", "法", "论", "线", "限", "纸", "欠", "违约", "效"];
const LACK_GAP: usize = 16;
/// What a way lacks when it cannot end (功能, an option, an entry, a button: 掣 in Cantonese).
const FUNCTIONS: [&str; 5] = ["功能", "选项", "入口", "按钮", "掣"];

/// Does a Chinese clause say that a way lacks the function it names ("公众号暂无销卡功能",
/// "App 没有退租的入口")? The function must follow within [`LACK_GAP`] characters, with no
/// clause mark between.
fn lacks_function(clause: &str) -> bool {
    // Most clauses name no function: one look for it first (issue 16's budget).
    if clause.is_ascii() || !FUNCTIONS.iter().any(|f| clause.contains(f)) {
        return false;
    }
    LACKING.iter().any(|w| {
        clause.match_indices(w).any(|(at, _)| {
            let rest = &clause[at + w.len()..];
            let near = crate::extract::block::first_chars(rest, LACK_GAP);
            !NOT_LACKING.iter().any(|n| rest.starts_with(n))
                && FUNCTIONS.iter().any(|f| near.contains(f))
        })
    })
}

/// Openings of a clause that grants something before a refusal ("While you can manage most
/// things in My Account, …"), after the fold.
const CONCESSIONS: [&str; 6] = [
    "while you can",
    "whilst you can",
    "although you can",
    "though you can",
    "no. while you can",
    "no, while you can",
];

/// Words that withhold what follows them in the clause, after the fold: 不提供官網或電話申請.
const WITHHOLDING: [&str; 2] = ["不提供", "不设"];
/// How many characters after a withholding word are read for the way or the ending it withholds.
const WITHHOLD_LOOK: usize = 24;

/// Does a Chinese clause withhold a way or the ending that follows 不提供 / 不設 in it ("不提供
/// 官網、網路門市或 APP 辦理", "不提供号码销户功能")? Only the words after it are read, so "网上
/// 营业厅不提供发票打印" withholds nothing of the ending.
fn withholds_what_follows(lexicon: &Lexicon, clause: &str) -> bool {
    if clause.is_ascii() {
        return false;
    }
    WITHHOLDING.iter().any(|w| {
        clause.match_indices(w).any(|(at, _)| {
            let rest = crate::extract::block::first_chars(&clause[at + w.len()..], WITHHOLD_LOOK);
            let c = lexicon.concepts(rest);
            c.has(Concept::Online) || c.has(Concept::Terminate)
        })
    })
}

/// What 不在 says of the customer, the line or a time, not of a way, after the fold.
const NOT_AT_PLACES: [&str; 10] = [
    "归属地",
    "本地",
    "本省",
    "本市",
    "当地",
    "国内",
    "境内",
    "服务区",
    "合约期",
    "有效期",
];

/// How many characters of the rest of the sentence are read for an announcement of the way a
/// clause names ("对于读者关心的线上销户，该公司工作人员表示，相关功能仍在测试，…").
const ANNOUNCE_LOOK: usize = 40;

/// Words that say a notice or request given some way counts for nothing, after the fold: the
/// way named before them is refused, not the notice period. The lexicon's negations of round
/// 58 that say so ("not a valid", "have no effect for", 不生效力); not "no effect on" (on
/// something else).
const NOT_VALID: [&str; 7] = [
    "not a valid",
    "no effect for",
    "no effect as",
    "of no effect",
    "have no effect",
    "not constitute",
    "不生效",
];

/// Longest remark in a bracket after a clause that is read as denying it.
const BRACKET_CHARS: usize = 30;

/// A clause that states a condition ("if you cannot cancel online", 当常规渠道无法注销时): a
/// negation in it is what may happen, not what the page denies. Text is normalised.
fn conditional(clause: &str) -> bool {
    // Not a bare 当: 当前 (currently) and 当地 (local) open statements; 当…时 ends with 时.
    [
        "if ",
        "when ",
        "in case ",
        "若",
        "如果",
        "假如",
        "如有",
        "如仍有",
        // "如你未能登入 App，可透過 WhatsApp 客服提出終止要求" (round 62's first wave): 如 opens
        // a condition before a lack; not bare (例如, 如下 list), nor before the reader's act
        // ("如您通过网上营业厅申请销户将不予受理" refuses, its review).
        "如你未",
        "如您未",
        "如你无",
        "如您无",
        "如你不能",
        "如您不能",
        "如你没有",
        "如您没有",
        "如未",
        "如无",
        "如不能",
        "倘若",
    ]
    .iter()
    .any(|w| clause.starts_with(w))
        || clause.ends_with('时')
        || clause.ends_with("时候")
        // "所在省份尚未开放线上销户的，…请到营业厅办理", "无法通过APP注销的，可拨打…": the cases
        // it holds for, a condition (round 62's third wave; its review read "线上无法办理注销的，
        // 须到营业厅" as a flat denial, but 61aa/22's "无法通过APP注销的" beside the app's steps is
        // the fallback); not "是…的", which asserts ("网上销户是不可以的").
        || clause.ends_with('的') && !clause.contains('是')
}

/// A clause that opens a precondition for what follows in the sentence: an unpaid balance ("if
/// you have an outstanding balance", 如有欠費), "without proper verification", "unless …". Not
/// the wish to end ("if you want to cancel"), and not any condition: "若您是…用戶，並透過網路門市
/// 訂閱…" says who the rule is for. Text is normalised.
fn opens_condition(clause: &str, c: Concepts) -> bool {
    !c.has(Concept::Terminate)
        && ((conditional(clause) && c.has(Concept::Unpaid))
            || ["without ", "unless "]
                .iter()
                .any(|w| clause.starts_with(w)))
}

/// In Chinese a modifier before the service noun restricts it: in 特殊证件办理入网的号码暂不支持
/// 线上销户 only numbers opened with special IDs are denied. "您的号码" (your number) restricts
/// nothing. Text is normalised.
fn restricted(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let Some(at) = hits.first_at(Concept::Service) else {
        return false;
    };
    let Some(head) = clause.get(..at) else {
        return false;
    };
    let Some((modifier, _)) = head.rsplit_once('的') else {
        return false;
    };
    let cjk: String = modifier
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect();
    let plain = [
        "您",
        "你",
        "我",
        "您们",
        "你们",
        "我们",
        "用户",
        "客户",
        "个人用户",
    ];
    cjk.chars().count() >= 2 && !plain.iter().any(|p| cjk.ends_with(p))
}

/// A refusal that opens a list of ways: each way listed after it is refused (the lexicon holds
/// them as rejections too).
const VOIDS_EVERY_WAY: [&str; 13] = [
    // Round 47 (47ac/03): "We do not accept notice of termination given by telephone, email,
    // online chat or through My Account."
    "not accept notice of termination",
    "not accept notice given by",
    "not accept notices of termination",
    "not accept termination notices",
    "n't accept notice of termination",
    "n't accept notice given by",
    "no notice of termination given by",
    "no notice given by",
    "no termination notice given by",
    "no notice of termination sent by",
    "no request made by",
    "no request for termination made by",
    "no application made by",
];

/// Are the requests refused named bare, with no errand of their own ("恕不接受网上或电话申请";
/// not "Online applications for replacement SIM cards", 申请补领发票)?
fn bare_requests(clause: &str) -> bool {
    if clause.is_ascii() {
        return !clause.contains(" for ");
    }
    let t = clause
        .trim_end_matches(|c: char| c.is_ascii_punctuation() || c == '。' || c.is_whitespace());
    ["申请", "要求", "通知"].iter().any(|w| t.ends_with(w)) || !t.contains("申请")
}

/// Unpaid bills named as the case in which ending is held up: after if/until/while/unless/with
/// within a few words ("cannot be cancelled if there are any outstanding balances"), or before
/// the refusal in Chinese (有欠費的號碼無法銷戶). Not "cannot be cancelled and any outstanding
/// credit will expire". Text is normalised.
fn unpaid_condition(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let Some(at) = hits.first_at(Concept::Unpaid) else {
        return false;
    };
    let Some(head) = clause.get(..at) else {
        return false;
    };
    let refused_after = [Concept::Negation, Concept::Rejection]
        .iter()
        .filter_map(|&c| hits.first_at(c))
        .min()
        .is_some_and(|n| at < n);
    // In Chinese the unpaid state comes first (有欠費的號碼無法銷戶, 未繳清前不能…); "售價已包括
    // 所有費用並不可取消" names charges, not a debt.
    if refused_after && head.chars().any(crate::extract::normalise::is_cjk) {
        return ["欠", "未缴", "未结清", "拖欠", "未付"]
            .iter()
            .any(|w| clause.contains(w));
    }
    head.split_whitespace()
        .rev()
        .take(5)
        .any(|w| matches!(w, "if" | "until" | "while" | "unless" | "with" | "when"))
}

/// "This article does not apply to fibre cancellation": the page speaks of itself, not of
/// ending the service. Text is normalised.
fn about_the_text(clause: &str) -> bool {
    [
        "this article",
        "this page",
        "this guide",
        "this section",
        "this faq",
        "this help",
        "本文",
        "本页",
        "本篇",
    ]
    .iter()
    .any(|w| clause.trim_start().starts_with(w))
        && [
            "not apply",
            "doesn't apply",
            "not cover",
            "doesn't cover",
            "not relevant",
            "不适用",
            "不涉及",
        ]
        .iter()
        .any(|w| clause.contains(w))
}

/// "Cannot be ended on its own" (副卡不支持单独销户: the main card's holder applies) says who
/// ends it, not that it cannot be ended or through which channel: its negation denies nothing.
/// Text is normalised.
fn alone(clause: &str) -> bool {
    ["单独", "separately", "on its own", "by itself"]
        .iter()
        .any(|w| clause.contains(w))
}

/// Does the `len` bytes at `at` in `text` stand as a whole ASCII word, no letter or digit touching
/// it on either side ("call" in "call us", not in "recall" or "calls")?
/// What follows each whole-word `phrase` in `text` ("end your plan" after "end"; not after the
/// "end" of "weekend").
fn after_whole_word<'a>(text: &'a str, phrase: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    text.match_indices(phrase)
        .filter(move |&(at, _)| whole_word(text, at, phrase.len()))
        .map(move |(at, _)| &text[at + phrase.len()..])
}

fn whole_word(text: &str, at: usize, len: usize) -> bool {
    let before = text.get(..at).and_then(|t| t.chars().next_back());
    let after = text.get(at + len..).and_then(|t| t.chars().next());
    before.is_none_or(|c| !c.is_ascii_alphanumeric())
        && after.is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// A day of the week, whole or cut short and with its punctuation ("friday,", "fri"): "Monday
/// to Friday" is opening hours, not what a call is for.
fn is_day(word: &str) -> bool {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    DAYS.iter().any(|d| {
        w.strip_prefix(d).is_some_and(|rest| {
            [
                "", "day", "s", "sday", "nesday", "rsday", "urday", "r", "rs",
            ]
            .contains(&rest)
        })
    })
}

/// How many of [`REQUEST_NOTICES`], at its start, name a notice told of elsewhere.
const NOTICE_REFERENCES: usize = 5;

/// How the customer's own notice is worded, normalised: given, sent or owed to the carrier, or
/// a notice of ending. Not "notice of a billing dispute", and not the carrier's notice to the
/// customer ("we will give you notice by email" is a trap).
const REQUEST_NOTICES: [&str; 29] = [
    // Round 41: the notice of the clause before, given by email ("Written notice under clause 9.1
    // may be given (a) by email to …", 「書面通知」包括…由登記電郵地址發送之電郵).
    "notice under clause",
    "notice under this clause",
    "notice referred to in",
    "书面通知包括",
    "书面通知」包括",
    "notice may be",
    "notice may also be",
    "notice can be",
    "notice can also be",
    "notice must be",
    "notice should be",
    "notice is to be",
    "notices may be",
    "notices can be",
    "notices must be",
    "give notice",
    "giving notice",
    "give us notice",
    "send notice",
    "send us notice",
    "provide notice",
    "notify us",
    "notifying us",
    "notice of termination",
    "notice of cancellation",
    "notice of disconnection",
    "notice to terminate",
    "notice to cancel",
    "通知我们",
];

/// How a line naming the source of a copied text starts (after the fold and lower-casing).
const CITATIONS: [&str; 5] = ["出处", "来源:", "资料来源", "source:", "sources:"];

/// Words of commentary in a news item, after the fold: an analyst's or the trade's view
/// ("業內人士認為，隨着…普遍提供線上銷戶…", "有業界人士認為，網上自助退台可減少爭拗", round 52's
/// waves) is no carrier's way, nor what they point out ("業界人士指出，…退租多要求臨櫃辦理", round
/// 53's first wave). Read in a sentence's first [`OPINION_CHARS`] characters: a speaker of
/// [`OPINION_SPEAKERS`] and a verb of [`OPINION_VERBS`].
// 業者指出 (round 53's second wave): the trade, in Taiwan's news.
const OPINION_SPEAKERS: [&str; 5] = ["业内人士", "业界人士", "分析员", "分析人士", "业者"];

/// The verbs of commentary ([`OPINION_SPEAKERS`]), after the fold.
// 業內人士提醒 (round 53's third wave), 業界人士分析 (its fourth). Not 表示: 三家業者均表示…仍須
// 本人…至門市辦理 is the carriers' own word (48an/37).
const OPINION_VERBS: [&str; 4] = ["认为", "指出", "提醒", "分析"];

/// How far into a sentence commentary's words are looked for ("有業界人士認為").
const OPINION_CHARS: usize = 10;

/// Reads one sentence (display text).
pub fn read(lexicon: &Lexicon, sentence: &str) -> Reading {
    read_folded(lexicon, sentence).0
}

/// [`read`], with the sentence as it was read (after the fold), for the look-ups in context
/// that would fold it again.
pub fn read_folded(lexicon: &Lexicon, sentence: &str) -> (Reading, String) {
    let normalised = for_matching(&portal_named(sentence));
    let r = sentence::read_normalised(lexicon, &normalised);
    (r, normalised)
}

/// Longest bare name a trap reaches over an enumeration (微信, 支付宝, 网银等账户); a longer item
/// says something of its own ("再登录APP提交申请").
const TRAP_ITEM_CHARS: usize = 8;

/// Words that point forward to ways, not to things ("the following services cannot be
/// cancelled" lists what; "in the following ways" lists how). After the fold.
const WAYS_FORWARD: [&str; 10] = [
    "following manner",
    "following ways",
    "following way",
    "following methods",
    "following channels",
    "ways below",
    "methods below",
    "以下方式",
    "以下途径",
    "以下渠道",
];

/// Words that set what follows against what came before.
const CONTRASTS: [&str; 3] = [" but ", " however ", "但"];

/// "The online account manager gives you control over many things, but a full cancellation
/// requires a phone call", 网上营业厅可以查询账单，但销户须到营业厅办理: the online way comes
/// before the contrast and ends nothing; after it, the ending has its own offline way and no
/// online one. The online way is for the other things. Text is normalised.
fn online_set_aside(lexicon: &Lexicon, normalised: &str) -> bool {
    let Some(at) = CONTRASTS.iter().filter_map(|w| normalised.find(w)).min() else {
        return false;
    };
    let (before, after) = normalised.split_at(at);
    // "…online in My Account, but you can also call us": an alternative, not a contrast; and
    // an online way that stands for the ending ("you can do this online") is for it.
    const ALSO: [&str; 6] = ["also", "as well", "也", "亦", "还可以", "同样"];
    const STANDS_FOR: [&str; 2] = ["do this", "do so"];
    if ALSO.iter().any(|w| after.contains(w)) || STANDS_FOR.iter().any(|w| before.contains(w)) {
        return false;
    }
    let (b, a) = (lexicon.scan(before).concepts, lexicon.scan(after).concepts);
    b.has(Concept::Online)
        && !b.has(Concept::Terminate)
        && a.has(Concept::Terminate)
        && a.has(Concept::Offline)
        && !a.has(Concept::Online)
}

/// The way a clause that names both goes by: the one named first ("到营业厅查询APP中显示的号码"
/// goes to the shop; "登录网上营业厅查询" logs in, though 网上营业厅 holds the shop word 营业厅).
/// A way found without a word (a number dialled) comes last.
fn way_gone_to(c: Concepts, hits: &crate::extract::lexicon::Hits) -> Option<Concept> {
    let at = |w: Concept| c.has(w).then(|| hits.first_at(w).unwrap_or(usize::MAX));
    match (at(Concept::Online), at(Concept::Offline)) {
        (Some(online), Some(offline)) if offline < online => Some(Concept::Offline),
        (Some(_), _) => Some(Concept::Online),
        (None, Some(_)) => Some(Concept::Offline),
        (None, None) => None,
    }
}

/// "Call your carrier to cancel your plan and find out what it costs", "visit a store to end
/// the contract and we will send you a confirmation": the channel comes first, then the ending
/// it is for, then, after "and", the trap, which is a second errand on the way out. Not "find
/// out online how to cancel" (the trap comes before the ending, with no 并 between them) nor
/// "cancel your order" (the trap is the ending word itself).
fn second_purpose(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let channel = [Concept::Online, Concept::Offline]
        .into_iter()
        .filter_map(|c| hits.first_at(c))
        .min();
    let (Some(channel), Some(end), Some(trap)) = (
        channel,
        hits.first_at(Concept::Terminate),
        hits.first_at(Concept::Trap),
    ) else {
        return false;
    };
    // "Log in to My Account before you cancel and check whether you owe anything": the ending
    // is a time there, and the channel is for the check.
    const TIME: [&str; 5] = [" before ", " once ", " after ", " when ", " until "];
    let after = channel < end
        && end < trap
        && clause.get(end..trap).is_some_and(|t| t.contains(" and "))
        && clause
            .get(channel..end)
            .is_some_and(|t| !TIME.iter().any(|w| t.contains(w)));
    // "持身份证到营业厅查询并办理销号": the way, the check, then 并 and the ending it is also
    // made for.
    let before =
        channel < trap && trap < end && clause.get(trap..end).is_some_and(|t| t.contains('并'));
    // "Online forms are for general enquiries only and cannot be used to disconnect a number"
    // (round 65's second wave): the way is the other errand's, and the clause goes on to deny
    // it for ending.
    let denied = channel < trap
        && trap < end
        && clause
            .get(trap..end)
            .is_some_and(|t| DENIED_AFTER_PURPOSE.iter().any(|w| t.contains(w)));
    after || before || denied
}

/// Words that go on from a way's other purpose to deny it for ending ("… for general enquiries
/// only and cannot be used to disconnect").
const DENIED_AFTER_PURPOSE: [&str; 6] = [
    " and cannot ",
    " and can't ",
    " and can not ",
    " and may not ",
    " but cannot ",
    " and are not ",
];

/// Does the sentence tell the reader to download a form ("Download the Broadband Termination
/// Form (PDF) from …") and not to send it in the same breath? Every clause of it is the
/// getting: the bracket splits "(PDF) from our website" off the form's name.
fn downloads_a_form(sentence: &str) -> bool {
    let t = sentence.trim_start();
    (t.starts_with("download ") || t.starts_with("please download "))
        && t.split_whitespace()
            .take(FORM_WORDS)
            .any(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == "form")
        && !then_sent(sentence)
}

/// How many words into a download the form is named ("download the broadband termination
/// form (pdf)" names it at the fifth).
const FORM_WORDS: usize = 8;

/// "Download the form from our website and email it to cancel@…", 網上下載申請表並電郵至…: the
/// form got is then sent, and the clause names that way (a form only got is a trap).
fn then_sent(clause: &str) -> bool {
    [
        " and email",
        " and e-mail",
        " and send",
        " and submit",
        " then email",
        " then send",
        "并电邮",
        "并发送",
        "并提交",
        "然后电邮",
        "后电邮",
    ]
    .iter()
    .any(|w| clause.contains(w))
}

/// "Email support@… with your ICCID and we will terminate the plan for you": the carrier ends
/// the line on the request the clause sends first, not by a right of its own ("we will terminate
/// your service if …", a trap). Round 33's review.
fn ends_on_request(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let Some(way) = [Concept::Online, Concept::Offline]
        .into_iter()
        .filter_map(|c| hits.first_at(c))
        .min()
    else {
        return false;
    };
    // The reader sends it: the clause opens with the imperative ("Email …", "Call …"), not
    // "Unpaid accounts are reminded by email and we will terminate the service".
    let first = clause.split_whitespace().next().unwrap_or("");
    instruction::opens_with_imperative(first.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()))
        && [" and we will ", " and we'll "]
            .iter()
            .filter_map(|w| clause.find(w))
            .any(|at| way < at)
}

/// Most words a pointer's own verb takes ("please visit our website").
const POINTER_VERB_WORDS: usize = 4;

/// What "without" says is the price of doing the sentence's thing.
const AT_A_PRICE: [&str; 7] = [
    "without paying",
    "without having to pay",
    "without a fee",
    "without incurring",
    "without being charged",
    "without penalty",
    "without a penalty",
];

/// How a clause opens that says what not doing the sentence's thing costs.
const OTHERWISE: [&str; 3] = ["否则", "otherwise", "or else"];

/// The sentence names an add-on or auto-renewal, and its other clauses name neither the
/// service nor a channel: what they end is the add-on.
fn about_addon_only(r: Reading) -> bool {
    let named = |c: Concepts| c.has(Concept::Addon) || c.has(Concept::AutoRenewal);
    named(r.addon)
        && ![Concept::Service, Concept::Online, Concept::Offline]
            .into_iter()
            .any(|c| r.service.has(c))
}

/// "销户、补换卡、变更套餐等业务只能到营业厅办理": the last item of a list that holds the ending
/// names the way for every item, the ending among them, when it closes the list with 等 (and so
/// on). The item keeps its own reading (an add-on, a plan change) too. Round 27 (heldout69 after
/// its run, zhs-6955).
fn lend_ways(r: &mut Reading, c: Concepts) {
    for way in [Concept::Online, Concept::Offline] {
        if c.has(way) {
            r.service.insert(way);
        }
    }
    // And a refusal of the online way with it: "拆机、过户等业务不在网上受理范围内" (round 40).
    if c.has(Concept::Online) && (c.has(Concept::Negation) || c.has(Concept::Rejection)) {
        r.negated = true;
    }
}

#[cfg(test)]
mod tests;
