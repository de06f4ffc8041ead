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
use crate::extract::normalise::for_matching;

mod api_route;
mod audience;
mod cues;
mod demand;
mod dialling;
mod ending_phrase;
mod instruction;
mod left_out;
mod menu_path;
mod not_same;

pub(crate) use audience::{Audience, audience_of, kept_for_some};
use cues::Cues;
pub(crate) use demand::ONLY_VALID;
pub(crate) use instruction::{instructs, opens_with_imperative};
use left_out::{
    WHERE_FOUND, before_where_found, trap_modifies, without_login, without_pointers, without_what,
};
pub(crate) use menu_path::ARROWS;
pub(crate) use not_same::first_gerund;

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
            if self.service.has(Concept::Service) {
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

/// The longest bare item of an enumeration, in characters ("网上营业厅", "the app").
const BARE_ITEM_CHARS: usize = 10;

/// Words that make a refusal closing an enumeration cover all its items: "APP、网厅、10000号
/// 均不受理", "the app, email and phone all cannot …".
const ALL_OF_THEM: [&str; 7] = ["均", "都", "皆", "一律", "一概", "全部", " all "];

/// Does the refusal closing an enumeration cover every item of it: a word for all of them
/// before its negation (the first negation or rejection the lexicon found in `hits`)?
fn refuses_all_listed(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
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
fn enumerated(normalised: &str, clause: &str) -> bool {
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
            && clause.split_whitespace().count() <= item_words(clause)
            && !verb(clause))
}

/// How many words an English item of a list may have: a bare name is short ("fax", "the
/// app"); one that repeats the list's preposition ("…by fax, by email or by registered mail")
/// may be longer, and so may a bare name followed by the closing item ("…, email or on
/// consumer review sites").
fn item_words(clause: &str) -> usize {
    // Only an item that closes the list ("… or by registered mail"), not an alternative offered
    // after it ("not accepted by phone, through My Account only").
    let closes = [" or ", " nor "].iter().any(|w| clause.contains(w))
        && !["only", "instead"].iter().any(|w| clause.contains(w));
    if !closes {
        3
    } else if ["by ", "via ", "through "]
        .iter()
        .any(|p| clause.starts_with(p))
    {
        8
    } else if clause.split_whitespace().nth(1) == Some("or") {
        // A bare name, then the last item ("…via phone, email or on consumer review sites",
        // round 22, en-5509; "…by phone, email or through the Harbour website or app", round
        // 39); not an alternative offered ("…, try My Account or the app").
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

/// First words that open a statement, not an item of a list.
const STATEMENT_STARTS: [&str; 16] = [
    "use", "visit", "call", "go", "log", "sign", "click", "contact", "please", "you", "we", "they",
    "it", "this", "simply", "just",
];

/// Does a trapped clause that names no way name the ending first, and the trap after "and"
/// ("to end the line and settle your final bill")? Then the ending is an errand of its own.
fn ends_before_trap(
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
fn clauses(normalised: &str) -> impl Iterator<Item = &str> {
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
            if c == '(' && EXAMPLES.iter().any(|w| normalised[i + 1..].starts_with(w)) {
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

/// How a bracket of examples opens, normalised.
const EXAMPLES: [&str; 5] = ["如", "例如", "e.g.", "eg ", "such as "];

/// How many words of a list's middle item are read before its closing "or".
const LIST_ITEM_WORDS: usize = 3;

/// Is the comma at `at` inside a list of ways whose predicate comes after its last item ("sent
/// to us by email, social media message or post are not accepted", round 36's reviews)? The
/// clause before ends in "by/via/through <way>", and the one after is a short bare item, then
/// "or": split there, the first way would lose the predicate that denies it. Not an item that
/// opens a statement ("…, use the app or call us").
fn list_goes_on(normalised: &str, at: usize) -> bool {
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
const ASKING_HOW: [&str; 5] = [
    "how do i ",
    "how can i ",
    "how to ",
    "how do you ",
    "can i ",
];

/// Words and dashes that set off a clause, split at in this order.
const CLAUSE_WORDS: [&str; 6] = [" - ", " – ", " — ", " but ", " however ", "但"];

/// `clause` split at each of `words` in turn, as `split` after `split` would.
fn split_at_words<'a>(clause: &'a str, words: &[&str]) -> Vec<&'a str> {
    let mut parts = vec![clause];
    for w in words {
        if parts.iter().any(|p| p.contains(w)) {
            parts = parts.iter().flat_map(|p| p.split(w)).collect();
        }
    }
    parts
}

/// Words of suspending the service, normalised (Simplified). Not bare 暂停: a shop's 暂停营业 is
/// no suspension of the line.
const SUSPENDING: [&str; 8] = [
    "暂停服务",
    "暂停使用",
    "暂停号码",
    "暂时停用",
    "停机保号",
    "suspend your",
    "suspend the",
    "suspension",
];

/// Does the sentence speak of suspending the service, not as what it is not (而非暂停使用,
/// （非暫停）, "not a suspension")?
fn suspends(normalised: &str) -> bool {
    SUSPENDING.iter().any(|w| {
        normalised.match_indices(w).any(|(at, _)| {
            let head = normalised[..at].trim_end_matches([' ', '(', '（']);
            !(head.ends_with('非') || head.ends_with("不是") || head.ends_with("not a"))
        })
    })
}

/// Fee nouns an English ending word may qualify ("early termination fee").
const FEE_NOUNS: [&str; 4] = ["fee", "charge", "penalt", "cost"];
/// Chinese ending words that name a fee (提前終止費), after the fold.
const ZH_ENDING_FEES: [&str; 7] = [
    "提前终止费",
    "终止费",
    "取消费",
    "解约金",
    "解约费",
    "退租费",
    "销户费",
];

/// Every ending word of the clause names a fee ("Pay your early termination fee online",
/// "see whether an early cancellation charge applies", round 34's reviews): the clause pays
/// or checks a charge, it ends nothing. The first and the last ending words are read.
fn ending_is_fee(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    every_ending(clause, hits, |rest| {
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return ZH_ENDING_FEES.iter().any(|f| rest.starts_with(f));
        }
        let word_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        let after = rest[word_end..].trim_start();
        // "cancel penalty-free online" ends without a fee (the read-through).
        FEE_NOUNS.iter().any(|f| {
            after.starts_with(f) && !crate::extract::block::first_chars(after, 16).contains("free")
        })
    })
}

/// Does `opens` hold of the clause from its first ending word and from its last (read as
/// standing for all of them)?
fn every_ending(
    clause: &str,
    hits: &crate::extract::lexicon::Hits,
    opens: impl Fn(&str) -> bool,
) -> bool {
    let at = |a: Option<usize>| a.and_then(|a| clause.get(a..)).is_some_and(&opens);
    at(hits.first_at(Concept::Terminate)) && at(hits.last_at(Concept::Terminate))
}

/// Every ending word of the clause is 停用 (stop using), which suspends as often as it ends.
fn stops_use_only(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    every_ending(clause, hits, |rest| rest.starts_with("停用"))
}

/// "yourself", "by yourself" or "on your own" after the clause's first ending word: the reader
/// doing it without the carrier's staff.
fn by_oneself(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let Some(rest) = hits
        .first_at(Concept::Terminate)
        .and_then(|at| clause.get(at..))
    else {
        return false;
    };
    ONESELF.iter().any(|w| {
        rest.match_indices(w)
            .any(|(at, _)| whole_word(rest, at, w.len()))
    })
}

/// The reader doing it alone, after lower-casing; also read by the verdict (a refusal of it
/// is one narrow online route).
pub(crate) const ONESELF: [&str; 5] = [
    "yourself",
    "yourselves",
    "on your own",
    "self-serve",
    "self-service",
];

/// In a Chinese noun phrase the head comes last: in 門號搭贈的加值服務 ("the add-on given with
/// the line") what is ended is the add-on. A service word, then an add-on word with no
/// coordination between them (及, 和, 、: "終止服務及增值服務" ends both), names the add-on.
fn addon_is_head(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let (Some(service), Some(addon)) = (
        hits.last_at(Concept::Service),
        hits.last_at(Concept::Addon)
            .or_else(|| hits.last_at(Concept::AutoRenewal)),
    ) else {
        return false;
    };
    if !clause
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    {
        return english_addon_is_object(clause, hits);
    }
    // 增值服务可在「我的账户」内自行取消 (round 42): the account in a portal's name is where the
    // add-on is ended, not a service ended beside it.
    if addon < service
        && hits.first_at(Concept::Service) == Some(service)
        && clause.get(..service).is_some_and(|b| {
            let b = b.trim_end_matches(['「', '“', '"', '\'']);
            ["我的", "网上", "个人"].iter().any(|p| b.ends_with(p))
        })
    {
        return true;
    }
    if addon <= service {
        return false;
    }
    let between = clause.get(service..addon).unwrap_or("");
    // 办理销户业务, 注销宽带业务: 业务 right after the service's own word is the transaction of
    // ending it, not a business of its own (流量包业务 still names an add-on).
    if clause.get(addon..).is_some_and(|a| a.starts_with("业务")) && between.chars().count() <= 4
    {
        return false;
    }
    let cjk = between
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    cjk && !between.contains(['及', '和', '与', '與', '或', '、', '并', '並'])
}

/// 业务 (business) as the only add-on word, right before or after an ending word (业务注销,
/// 获取业务注销回执单, 办理销户业务): the transaction of ending, whatever is ended, not an add-on
/// of its own. 流量包业务 or 增值业务注销 name an add-on with their other word. Text is normalised.
fn generic_business(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    const ENDINGS: [&str; 8] = [
        "注销", "销户", "销号", "终止", "拆机", "退网", "解约", "退租",
    ];
    let Some((before, after)) = around_sole(clause, hits, Concept::Addon) else {
        return false;
    };
    let rest = after.get("业务".len()..);
    after.starts_with("业务")
        && (ENDINGS.iter().any(|e| before.ends_with(e))
            || rest.is_some_and(|rest| ENDINGS.iter().any(|e| rest.starts_with(e)))
            // A menu's name in quotes that ends in 业务 (点击“我的业务”，选择“申请销户”, the review
            // of round 23): where to tap, not what is ended.
            || (rest.is_some_and(|rest| rest.starts_with(['”', '」', '』', '"']))
                && before
                    .chars()
                    .rev()
                    .take(MENU_CHARS)
                    .any(|c| matches!(c, '“' | '「' | '『' | '"'))))
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
const BOOKED_VISIT: [&str; 20] = [
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
const BOOKING: [&str; 5] = ["预约销户", "销户预约", "线上预约", "网上预约", "网路预约"];

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

/// Where the clause's first ending word and its first add-on word stand, when it has both.
fn ending_and_addon(hits: &crate::extract::lexicon::Hits) -> Option<(usize, usize)> {
    Some((
        hits.first_at(Concept::Terminate)?,
        hits.first_at(Concept::Addon)?,
    ))
}

/// In English the object follows the verb: in "the line you want to cancel the payment for"
/// the payment is ended, the line only says whose. The add-on is the object when it is the
/// first of the two nouns after the ending word and is not coordinated with the service after
/// it ("cancel the add-ons and the line" ends both).
fn english_addon_is_object(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let Some((end, addon)) = ending_and_addon(hits) else {
        return false;
    };
    if addon < end {
        return false;
    }
    // No service word after the ending word: the add-on is all that is ended.
    let Some(service) = hits.last_at(Concept::Service).filter(|&s| s > end) else {
        return true;
    };
    // A service word between the ending word and the add-on is named first: it is the object.
    let first = hits.first_at(Concept::Service).unwrap_or(service);
    if service < addon || (end < first && first < addon) {
        return false;
    }
    // "cancel the add-ons and the line" ends both.
    clause
        .get(addon..service)
        .is_some_and(|between| !between.contains(" and ") && !between.contains(" or "))
}

/// "Service Cancellations or Suspension", 销户或停机: the add-on word is another thing done
/// beside ending, joined to the ending word by "or" or "and", not what is ended. Text is
/// normalised.
fn addon_beside_ending(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let Some((end, addon)) = ending_and_addon(hits) else {
        return false;
    };
    // One add-on word only: in "cancel or suspend add-ons" the add-ons are what is ended.
    if hits.last_at(Concept::Addon) != Some(addon) {
        return false;
    }
    let Some(between) = clause.get(end..addon) else {
        return false;
    };
    // The ending word itself ("cancellations", 销户), then only the joining word.
    let t = between.trim_end();
    if let Some(last) = t.chars().last()
        && matches!(last, '或' | '及' | '、' | '和' | '与')
    {
        return t.chars().count() <= 5;
    }
    let joint = t.split_once(' ').map_or("", |(_, rest)| rest.trim());
    matches!(joint, "or" | "and" | "&" | "/")
}

/// "The plan renews unless you cancel in writing", "…unless I hand the company a written
/// request to cancel": the ending after "unless" is the way out, and what follows it is how.
/// Only when "unless" is the clause's one consequence word and the ending comes after it
/// ("cannot be cancelled unless…" stays a precondition). "Use the website to cancel a number
/// you no longer need": the need is the object's, said after the ending (round 32). Text is
/// normalised.
fn ending_survives_consequence(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    let Some((head, rest)) = around_sole(clause, hits, Concept::Consequence) else {
        return false;
    };
    no_longer_needed(head, rest)
        || arrears_group(rest)
        || rest.starts_with("unless ")
            && hits
                .first_at(Concept::Terminate)
                .is_some_and(|end| head.len() < end)
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

/// Words that announce a way for later, not there yet, after the fold: a remark after a clause
/// and a heading above a list ([`crate::extract::context`]) read the same list.
pub(crate) const ANNOUNCED: [&str; 15] = [
    "coming soon",
    "coming later",
    "not yet available",
    "not available yet",
    "即将推出",
    "即将上线",
    "敬请期待",
    "暂未推出",
    "尚未推出",
    "暂未开放",
    "尚未开放",
    "推出前",
    "半年推出",
    // Round 36's reviews: "在线上功能开放前，需要销户的用户请…前往营业厅办理". Not 上线前: "新系统
    // 上线前亦可使用旧版页面" (the read-through).
    "功能开放前",
    // Round 37's reviews: 关于开通手机号码线上销户服务的预告 (an advance notice).
    "预告",
];

/// Words of a launch still to come (or of a try that got no answer), after the fold: with a way
/// named before them in the clause or the sentence, the way is not there ("We're working on letting you cancel in the
/// app later this year", "相关功能仍在测试", round 35's reviews).
const LATER: [&str; 30] = [
    "working on",
    // Round 39: "a way to end your bundle from your online account, but it isn't ready yet".
    "isn't ready yet",
    "not ready yet",
    "not available at the moment",
    "isn't available at the moment",
    "later this year",
    "in the coming months",
    "will soon be able",
    "仍在测试",
    "测试阶段",
    "上线日期",
    "开放之前",
    // Round 36's reviews: 寬頻線上退租功能尚在建置中，預計於系統升級後開放.
    "建置中",
    "建设中",
    "升级后开放",
    // Or a try that came to nothing: 写了销户申请…到现在都没回音.
    // Round 37: a way switched off for now ("Online termination has been suspended during the
    // upgrade", 網上終止服務申請暫停受理).
    "has been suspended",
    "been temporarily suspended",
    "is temporarily suspended",
    // A way used before a change that ended it (已於調整前經網路櫃台送出之退租申請, round 37).
    "调整前经",
    "变更前经",
    "temporarily switched off",
    "正在测试",
    "暂停接收",
    "temporarily disabled",
    "暂停受理",
    "暂停办理",
    "没回音",
    "没有回音",
    "石沉大海",
    "never heard back",
];

/// Words before a way that put it in the past (以前：網上表格, 在2025年或之前可以在官網填寫網上
/// 表格, round 35's reviews), after the fold. A year before 或之前: 於合約屆滿日或之前 is a
/// deadline (the read-through).
// Round 39: a way tried once and taken away ("Earlier this year we trialled a Cancel my plan
// button in the app", "Used to be able to end my plan in the app"), said in the clause itself.
const PAST: [&str; 14] = [
    // Requests already sent, still handled after a way was withdrawn (已于9月5日前成功提交的线上
    // 销户申请不受影响, 於試行期內已遞交的申請將如常處理, round 40). Not "submitted before
    // 6pm", a cut-off of every day (round 39's read-through).
    "前成功提交",
    "已提交的",
    "已递交的",
    "以前:",
    "年或之前",
    // 於2024年9月30日或之前經 App 提交之終止申請 (round 39): sent before the change.
    "或之前经",
    // 已于2024年6月30日前在线提交、尚未完成的拆机工单 (round 39).
    "日前在线",
    "日前通过",
    "used to be able",
    "until last year",
    "we trialled",
    "we trialed",
    "was trialled",
    "was trialed",
];
/// Words that put a whole clause in the past when they open it ("Years ago I cancelled a line
/// by just emailing", "An old guide I found says there's a Cancel button"), after the fold;
/// not "…introduced it years ago" (the read-through of round 39).
const PAST_OPENERS: [&str; 4] = ["years ago", "an old guide", "几年前", "多年前"];

/// An opener of a launch to come and the launch verbs it may govern a few characters on, after
/// the fold: 「線上退租」功能即將於網路門市推出, 暂未对本省用户开放.
// 未在 and a plan (round 37): 销户业务未在网上营业厅上线, App 規劃於下一版本更新後開放.
const LAUNCH_OPENERS: [&str; 10] = [
    "即将",
    "将于",
    "暂未",
    "尚未",
    "仍未",
    "未在",
    "规划于",
    "计划于",
    "计划自",
    "预计于",
];
// Not 开通: 尚未开通网上营业厅账号 is an account not opened yet (the read-through); 尚未开通 as
// a word is the lexicon's.
const LAUNCH_VERBS: [&str; 3] = ["推出", "上线", "开放"];
/// How many characters may stand between the opener and the verb (对本省用户, 於網路門市).
const LAUNCH_GAP: usize = 8;

/// Does `text` (folded) announce a way for later or say it is not open yet?
pub(crate) fn announces(text: &str) -> bool {
    announcing_words(text) || launch_to_come(text)
}

/// The words of [`ANNOUNCED`] and [`LATER`] alone: what the rest of a sentence after a way is
/// read for (an opener and a verb there may be another thing's: 人工客服将于每日8时开放).
fn announcing_words(text: &str) -> bool {
    ANNOUNCED.iter().chain(&LATER).any(|w| text.contains(w))
}

/// Words that offer a way, after the fold: a sentence holding one is no list of refused ways.
const OFFERING: [&str; 8] = [
    "you can",
    "you may",
    "can be",
    "may be",
    "please",
    "可以",
    "可通过",
    "请",
];

/// What a chat agent says when taking on the request the turn before asked for.
const AGENT_TAKES_IT: [&str; 4] = [
    "do that for you",
    "help with that here",
    "look after that",
    "process that here",
];

/// Does a clause point back to a place named before it ("…isn't available there", 在那里)?
fn points_back_to_place(clause: &str) -> bool {
    clause
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "there" || w == "here")
        || ["那里", "该处", "那边"].iter().any(|w| clause.contains(w))
}

/// Does the sentence open with a short announcement and a colon before the clause ("Coming
/// soon: cancel online", "即將推出：網上終止服務")? Only the last [`BRACKET_CHARS`] characters
/// before the colon are read (round 39).
fn announced_before(before: &str) -> bool {
    let Some(head) = before.trim_end().strip_suffix(':') else {
        return false;
    };
    let head = head.trim();
    head.chars().nth(BRACKET_CHARS).is_none() && ANNOUNCED.iter().any(|w| head.contains(w))
}

/// An opener and a launch verb a few characters on (即將於網路門市推出).
fn launch_to_come(text: &str) -> bool {
    LAUNCH_OPENERS.iter().any(|o| {
        text.match_indices(o).any(|(at, _)| {
            let near = crate::extract::block::first_chars(&text[at + o.len()..], LAUNCH_GAP + 2);
            LAUNCH_VERBS.iter().any(|v| near.contains(v))
        })
    })
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
/// lacks is looked for (亦未开通APP销户功能: 8 characters between).
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
const LACK_GAP: usize = 12;
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

/// Longest remark in a bracket after a clause that is read as denying it.
const BRACKET_CHARS: usize = 30;

/// How far after an ending word 后 ("after") makes it a time: 退租生效后 is 5 characters.
const AFTER_ENDING_CHARS: usize = 6;

/// Verbs of asking or telling ahead of an ending: a time counted back from the ending after one
/// of them is a notice period, and the request is the ending.
const NOTICE_VERBS: [&str; 9] = [
    "submit",
    "request",
    "notice",
    "notify",
    "let us know",
    "tell us",
    "inform",
    "give us",
    "apply",
];

/// Ending told as done already: "customers who have cancelled their accounts can still see
/// their bills", "if you cancelled your account…", 已经销号的号码. What the clause offers is for
/// after the ending. `head` is the clause before the first ending word, `tail` from it on.
fn ended_before(head: &str, tail: &str, channel: bool) -> bool {
    let head = head.trim_end();
    if head.ends_with('已') || head.ends_with("已经") {
        return true;
    }
    let past = tail
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .is_some_and(|w| w.ends_with("ed"));
    // An adverb between says nothing of the time: "has been fully terminated".
    let mut words = head
        .rsplit(' ')
        .filter(|w| !(w.len() > 3 && w.ends_with("ly")));
    let last = words.next().unwrap_or("");
    let before = words.next().unwrap_or("");
    // "Your credit if your service is cancelled", "once the contract has been terminated": the
    // ending is the case the sentence is about. The condition opens on its subject ("if your
    // service", "once the contract"), as a whole word: "after two weeks of waiting my service
    // was cancelled online" and "thereafter" are no case.
    let opens_case = || {
        let mut ahead = head.split_whitespace().peekable();
        while let Some(w) = ahead.next() {
            if matches!(w, "if" | "once" | "after")
                && ahead.peek().is_some_and(|n| {
                    matches!(
                        *n,
                        "your" | "the" | "my" | "our" | "their" | "this" | "a" | "an" | "it"
                    )
                })
            {
                return true;
            }
        }
        false
    };
    let case = !channel
        && opens_case()
        && (matches!(last, "is" | "was" | "are" | "were" | "gets" | "got")
            || (last == "been" && matches!(before, "has" | "have" | "had")));
    past && ([
        "have", "has", "had", "already", "who", "you've", "i've", "we've",
    ]
    .contains(&last)
        || head.ends_with("if you")
        || case)
}

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
    ]
    .iter()
    .any(|w| clause.starts_with(w))
        || clause.ends_with('时')
        || clause.ends_with("时候")
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

/// Words that report a question ("People often ask if the service can be stopped over the
/// internet", en-7102): the sentence asks, as a question does, and the next one may answer it
/// ("You can, through My Account"). Not bare "ask if": "call us and ask if you can cancel" is
/// the phone.
const ASKED: [&str; 12] = [
    // Round 40: "Many of you asked whether you can end your mobile service in the app." Not
    // "asked if": "where you will be asked if you want to leave feedback" is a step.
    "asked whether",
    "asking whether",
    "wonder if",
    "wonder whether",
    "wondering if",
    "wondering whether",
    "often ask if",
    "often ask whether",
    "people ask if",
    "people ask whether",
    "customers ask if",
    "customers ask whether",
];

/// Longest title read as a question by 能否 / 可否 alone.
const SHORT_QUESTION_CHARS: usize = 24;

/// A question asks; it is not a statement of how to end the service (FAQ headings, table
/// headers such as 是否支持线上注销, a question reported: [`ASKED`]).
fn is_question(normalised: &str) -> bool {
    // A quoted question ends with its closing quote: "…非得客户又寄又跑的?”".
    let t = normalised.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '」' | '』' | ')' | '）')
    });
    // An offer closed by a tag asking the reader to agree ("副号注销可由我在线为您提交销户工单，
    // 是否确认？", "I can cancel it for you now, shall I go ahead?") states the offer (round 39).
    // Only one tag is taken off: the sentence is read once more at most.
    let t = match t.rsplit_once([',', '，']) {
        Some((head, tag))
            if !head.is_empty() && AGREE_TAGS.iter().any(|w| tag.trim().starts_with(w)) =>
        {
            head.trim_end()
        }
        _ => t,
    };
    t.ends_with('?')
        || t.ends_with('？')
        || t.ends_with('吗')
        // A heading that asks without a mark: 三、物联网管理平台能做什么 (round 39).
        || t.ends_with("什么")
        || t.ends_with("哪些")
        || asks_whether(t)
        || t.starts_with("how ")
        || t.starts_with("can i ")
        || t.starts_with("can you ")
        || t.starts_with("如何")
        || t.starts_with("怎么")
        || t.starts_with("怎样")
        // A question reported: 有用户询问能否在掌上营业厅注销号码 (round 34's fixtures).
        || ["询问能否", "咨询能否", "询问可否", "咨询可否"]
            .iter()
            .any(|w| t.contains(w))
        // A short title that asks without a mark: 宽带拆机能否网上办理 (round 35's reviews).
        || (t.contains("能否") || t.contains("可否"))
            && t.chars().nth(SHORT_QUESTION_CHARS).is_none()
        // Every reported question wonders or asks: two looks rule out most sentences.
        || (t.contains("wonder") || t.contains("ask"))
            && ASKED.iter().any(|w| {
            // Not when the sentence goes on to answer: "If you are wondering whether you can
            // cancel online: yes, log in to My Account".
            t.find(w)
                .is_some_and(|at| !t[at..].contains(':') && !t[at..].contains("yes"))
        })
}

/// Does the sentence (normalised) open with what its speaker wants ("Priya: I want to cancel the
/// extra line on my account.", 用户：我想退租): a request, like a question, offers no way (round
/// 40). Read after a speaker's label ([`after_speaker`]).
fn wishes(normalised: &str) -> bool {
    // Only a speaker's turn: a page's own "我要銷戶，可以直接在App線上辦理" answers itself, and
    // "我想提醒大家" / "I would like to remind customers" tell (the read-through of round 40).
    let Some(said) = after_speaker(normalised) else {
        return false;
    };
    let said = said.trim_start_matches([':', '：']).trim_start();
    WISHES.iter().any(|w| {
        said.strip_prefix(w)
            .is_some_and(|rest| !TELLING.iter().any(|t| rest.trim_start().starts_with(t)))
    })
}
/// Verbs after "I would like to" / 我想 that tell, not ask.
const TELLING: [&str; 8] = [
    "remind", "let you", "tell", "提醒", "说", "讲", "告诉", "分享",
];

/// What follows a speaker's label ("Amir (Thistle): …", "客服：…") of at most
/// [`SPEAKER_LABEL_CHARS`]. Read for a chat's turns (`context::subject`) and for a speaker's
/// wish ([`wishes`]).
pub(crate) fn after_speaker(text: &str) -> Option<&str> {
    speaker_split(text).map(|(_, said)| said)
}

/// A speaker's label and what follows it ([`after_speaker`]); a chat's agent is told by it
/// (`context`).
pub(crate) fn speaker_split(text: &str) -> Option<(&str, &str)> {
    crate::extract::block::split_label(text, SPEAKER_LABEL_CHARS)
}

/// Longest speaker's label read.
const SPEAKER_LABEL_CHARS: usize = 24;
const WISHES: [&str; 6] = [
    "i want to",
    "i'd like to",
    "i would like to",
    "我想",
    "我要",
    "本人想",
];

/// Tags that ask the reader to agree to what the sentence offers, after the fold.
const AGREE_TAGS: [&str; 5] = [
    // Not 可以吗 / "is that ok": "我想在网上营业厅办理销户，可以吗？" asks (the read-through).
    "是否确认",
    "是否同意",
    "确认吗",
    "shall i go ahead",
    "shall i proceed",
];

/// Verbs after which 是否 is a check, not a question: 系统会先帮您检测是否存在欠费 (round 37's
/// reviews), 请确认是否已结清.
const CHECKS: [&str; 9] = [
    "检测", "检查", "查询", "确认", "核实", "核对", "判断", "查看", "留意",
];

/// Does `t` hold a 是否 that asks, one not right after a verb of checking? At most
/// [`WHETHER_LOOKS`] are looked at.
fn asks_whether(t: &str) -> bool {
    t.match_indices("是否")
        .take(WHETHER_LOOKS)
        .any(|(at, _)| !CHECKS.iter().any(|v| t[..at].ends_with(v)))
}
/// How many 是否 of one sentence are looked at.
const WHETHER_LOOKS: usize = 8;

/// Words that ask for a reason, for when something happens or for what happens then (after the
/// Traditional → Simplified fold and lower-casing). "When can I cancel?" asks for a way and is
/// not here.
const WHY: [&str; 13] = [
    "why",
    "为何",
    "为什么",
    "何以",
    "when will",
    "when does",
    "when is",
    "how long",
    "何时会",
    "多久",
    // What follows ending: "What happens to my watch if I cancel my primary contract?"
    "what happens",
    "what will happen",
    "会怎样",
];

/// How a clause citing a source starts.
const CITING: [&str; 3] = ["according to ", "as stated on ", "as stated in "];
/// How a clause saying what the reader may think starts, and how one refuting it starts.
const BELIEVING: [&str; 3] = ["if you think ", "if you believe ", "if you assume "];
const REFUTING: [&str; 3] = ["you're wrong", "you are wrong", "think again"];
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

/// Words that take back an earlier statement, after the fold.
const RETRACTED: [&str; 4] = ["不再适用", "no longer appl", "不再有效", "作废"];

/// Words for a trial of a way, and for its end having come: "「月租門號線上退租」試辦已於 2025 年
/// 1 月 31 日結束", "the online cancellation pilot ended on 31 March" (a date between them).
const TRIALS: [&str; 5] = ["试办", "试点", "试行", "pilot", "trial"];

/// Does `folded` (after the fold) name a trial of a way ([`TRIALS`])?
pub(crate) fn names_a_trial(folded: &str) -> bool {
    TRIALS.iter().any(|w| folded.contains(w))
}
const TRIAL_ENDED: [&str; 16] = [
    // "The pilot … ran from 1 June 2024 to 31 December 2024", "we trialled … in the app"
    // (round 44's reviews): told in the past, the trial is over.
    "ran from",
    "ran until",
    "ran between",
    "trialled",
    "trialed",
    "could take part",
    "took part",
    "结束了",
    "已经结束",
    "ended on",
    "has ended",
    "had ended",
    "was ended",
    "is over",
    "has closed",
    "concluded",
];

/// Does `clause` say that a trial of the way it names is over, or that the way stopped on a
/// date? 已…结束 with a date between, a trial's 结束 closing the clause ("App 線上退租試辦服務結束"),
/// 已于<date>停止服务 ("原「網路門市線上退租」功能已於 2023/12/31 停止服務", round 43), or an
/// English past; not "after the pilot ends" (试点结束后) nor a period's end (试办期至…结束).
fn pilot_over(clause: &str) -> bool {
    if let Some(y) = clause.find("已于") {
        let after: String = clause[y..].chars().take(STOPPED_WITHIN).collect();
        if STOPPED.iter().any(|w| after.contains(w)) {
            return true;
        }
    }
    let Some(at) = TRIALS.iter().filter_map(|w| clause.find(w)).min() else {
        return false;
    };
    let rest = &clause[at..];
    let zh = rest.find("结束").is_some_and(|e| {
        let (before, end) = (&rest[..e], &rest[e + "结束".len()..]);
        !["后", "时", "前"].iter().any(|w| end.starts_with(w))
            && (before.contains('已')
                || !before.contains('至') && !before.contains('到') && end.trim().is_empty())
    });
    zh || TRIAL_ENDED.iter().any(|w| rest.contains(w))
}

/// Does the sentence say that the page's trial is over and not extended ("The pilot ended on 30
/// June 2024 and will not be extended", 試行計劃將於…結束，並不會延長), with nothing said to
/// replace it? Then what the page says the trial offered is history (round 44's reviews).
pub(crate) fn trial_over(sentence: &str) -> bool {
    names_a_trial(sentence)
        && (pilot_over(sentence) || NOT_EXTENDED.iter().any(|w| sentence.contains(w)))
        && !replaced_by_new(sentence)
}

/// Words of a trial not carried on, after the fold.
const NOT_EXTENDED: [&str; 8] = [
    "不会延长",
    "不再延长",
    "不予延长",
    "will not be extended",
    "won't be extended",
    "not been extended",
    "now closed",
    "has ended",
];

/// Does the sentence say what replaces the way that ended ("The pilot ended on 31 January and
/// online cancellation is now available to all customers", 舊版網上門市已於…停止服務，請改用新版
/// App 辦理, the read-through of round 43)? Then the end denies nothing.
fn replaced_by_new(sentence: &str) -> bool {
    REPLACED_BY.iter().any(|w| sentence.contains(w))
}

/// Words of what replaces an ended way, after the fold.
const REPLACED_BY: [&str; 9] = [
    "改用",
    "新版",
    "现已",
    "全面",
    "now available",
    "now open",
    "all customers",
    "instead",
    "new version",
];

/// How far after 已于 a way's stop is looked for (a date between), in characters.
const STOPPED_WITHIN: usize = 24;
/// Verbs of a way stopped, after the fold (not 取消, what a customer does: 已于3月1日取消自动续费).
const STOPPED: [&str; 5] = ["停止", "下线", "关闭", "停用", "结束"];

/// Words that open what held before a change, after folding ("Previously, you could cancel in
/// the app", 此前…须到营业厅办理): the clauses they open are history, not a way offered or denied
/// now. Not 之前 (销户之前 is "before ending") nor "before" ("before you call").
const PAST_WORDS: [&str; 21] = [
    // "Earlier versions of this page described cancelling in My Banksia" (round 43).
    "earlier versions",
    "an earlier version",
    // Thanks for having taken part (感謝您參與本公司試辦之「App 線上退租」服務): the pilot is over.
    "感谢您参与",
    "感谢参与",
    "thank you for taking part",
    "previously",
    "in the past",
    "formerly",
    "until recently",
    "it used to",
    "you used to",
    "we used to",
    "此前",
    "以前",
    "过去",
    "以往",
    "原先",
    "原本",
    "早前",
    "从前",
    "昔日",
];
/// Does `clause` open with `word`, or with a subject and then `word` ("客戶以往可透過 MyLink…",
/// "Customers previously could…", round 43)?
fn opens_with(clause: &str, word: &str) -> bool {
    clause.strip_prefix(word).is_some()
        || PAST_SUBJECTS.iter().any(|s| {
            clause
                .strip_prefix(s)
                .is_some_and(|rest| rest.trim_start().starts_with(word))
        })
}

/// The first letters of [`PAST_WORDS`], [`PAST_SUBJECTS`] and [`before_a_date`]'s words.
const PAST_FIRST: &str = "pifueatywcbu此以过原早从昔感客用我本您";

/// Is the word for the past really about it? "In the past" only as the clause itself ("In the
/// past, …") or in a sentence told in the past ("In the past 12 months you can …" is not); a
/// Chinese one not as a modifier (原先办理的合约: the contract signed then), the read-through of
/// round 43.
fn told_of_the_past(clause: &str, word: &str, sentence: &str) -> bool {
    if word == "in the past" {
        return clause.trim() == word || told_in_the_past(sentence);
    }
    if word.is_ascii() {
        return true;
    }
    let after: String = clause
        .split_once(word)
        .map_or("", |(_, rest)| rest)
        .chars()
        .take(MODIFIER_CHARS)
        .collect();
    !after.contains('的')
}

/// How far after a Chinese word for the past a 的 makes it a modifier, in characters.
const MODIFIER_CHARS: usize = 4;

/// Does the clause open with a year that starts what holds now (由2024年起, 从2025年1月1日起)?
fn from_a_year(clause: &str) -> bool {
    ["由", "从"].iter().any(|w| {
        clause
            .strip_prefix(w)
            .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// Who is told of in the past ([`opens_with`]), after the fold.
const PAST_SUBJECTS: [&str; 9] = [
    "客户",
    "用户",
    "我们",
    "我公司",
    "本公司",
    "您",
    "customers ",
    "you ",
    "we ",
];

/// Does `clause` open with a time before a date, or until one, in a sentence told in the past
/// ("Before 1 July 2024, cancellation was only available by phone", "Until 31 January 2025,
/// customers could cancel in the app", round 43)? Not "before you call" (no date) nor "Before
/// 1 July 2026, you can cancel online" (not the past: the read-through of round 43).
fn before_a_date(clause: &str, sentence: &str) -> bool {
    ["before ", "prior to ", "until ", "up to "]
        .iter()
        .find_map(|w| {
            clause
                .strip_prefix(w)
                .filter(|_| told_in_the_past(sentence))
        })
        .is_some_and(|rest| {
            crate::extract::dates::any_date(rest).is_some_and(|_| {
                rest.split(',')
                    .next()
                    .is_some_and(|d| d.chars().count() <= BEFORE_DATE_CHARS)
            })
        })
}

/// Is the sentence told in the past ([`PAST_MODALS`])?
fn told_in_the_past(sentence: &str) -> bool {
    PAST_MODALS.iter().any(|m| sentence.contains(m))
}

/// Verbs of a sentence told in the past, lower-cased.
const PAST_MODALS: [&str; 6] = [
    " could ",
    " were able",
    " was ",
    " were ",
    " used to ",
    " had to ",
];

/// How long the date after "before" may be, up to its comma, in characters.
const BEFORE_DATE_CHARS: usize = 24;

/// Words that turn from what held before to what holds now ("Now, please call", 现在可在APP办理).
const NOW_WORDS: [&str; 19] = [
    "now",
    "later",
    // 原本以为要跑门市，结果…: what turned out.
    "结果",
    "后来",
    "today",
    "currently",
    "as of",
    "from ",
    "since",
    "starting",
    "effective",
    "现在",
    "现时",
    "目前",
    "如今",
    "现已",
    "自",
    "即日起",
    "由即日起",
];
/// A belief the page goes on to correct ("部分消費者誤以為在網上商店購買，亦可在網上終止服務"):
/// what follows it in the sentence is what was wrongly believed, up to a clause that corrects it.
const MISBELIEF: [&str; 6] = [
    "误以为",
    "误认为",
    "mistakenly believ",
    "mistakenly think",
    "wrongly assum",
    "wrongly believ",
];
/// The clause that corrects a belief: what follows it is the page's own word again.
const CORRECTING: [&str; 6] = [
    "其实",
    "实际上",
    "事实上",
    "in fact",
    "actually",
    "in reality",
];

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

/// Verbs of errands other than ending that a clause may open with ("Pay online", "Top up in
/// the app"), after an optional softener.
const ERRANDS: [&str; 25] = [
    "pay",
    "paying",
    "upgrade",
    "upgrading",
    "top up",
    "topping up",
    "recharge",
    "recharging",
    "reload",
    "reloading",
    "track",
    "tracking",
    "buy",
    "buying",
    "shop",
    "order",
    "ordering",
    // Signing up ("上台時全程網上搞掂，退台卻要傳真", round 42): the way joined by.
    "sign up",
    "signing up",
    "signed up",
    "上台",
    "开户时",
    "开卡",
    "办卡",
    "入网",
];

/// Does the normalised clause open with the verb of another errand ([`ERRANDS`])?
fn other_errand(clause: &str) -> bool {
    let clause = ["just ", "then ", "you can "]
        .iter()
        .find_map(|s| clause.strip_prefix(s))
        .unwrap_or(clause);
    ERRANDS
        .iter()
        .any(|e| clause.starts_with(e) && whole_word(clause, 0, e.len()))
}

/// Words that limit a way to what follows them, after the fold: in a clause that names no
/// ending, the way is for those errands alone when [`OTHER_ERRANDS`] follow, and denied for
/// ending ("網路門市目前僅受理新辦及續約；門號退租仍須…至服務中心辦理", round 40). Not a limit of
/// who or how (线上渠道仅支持本人实名登记的号码, the read-through of round 40).
const ONLY_HANDLES: [&str; 8] = [
    "仅受理",
    "只受理",
    "仅提供",
    "只提供",
    "仅办理",
    "只办理",
    "仅支持",
    "只支持",
];
/// Errands other than ending, after the fold.
const OTHER_ERRANDS: [&str; 17] = [
    "充值", "缴费", "缴纳", "查询", "查阅", "账单", "新办", "新装", "续约", "申办", "购买", "报装",
    "报修", "套餐", "流量", "增值", "漫游",
];

/// Looking something up on a website.
const LOOKS: [&str; 5] = [
    "look on their website",
    "look at their website",
    "look on the website",
    "look at the website",
    "look on its website",
];

/// What a plan is changed to: the words that may follow "change your" (within three words).
const PLAN_WORDS: [&str; 6] = [
    "plan",
    "plans",
    "package",
    "tariff",
    "bundle",
    "subscription",
];
/// Words before a verb that say it is what one may or wants to do.
const MAY_DO: [&str; 11] = [
    "to", "can", "may", "could", "will", "easily", "also", "want", "wish", "you", "simply",
];
/// Chinese for changing a plan (after the fold): 变更套餐, 套餐变更, 改套餐…
const PLAN_CHANGES: [&str; 18] = [
    // Hong Kong says 服務計劃 (a service plan) where the mainland says 套餐 (round 31's probes:
    // "更改服務計劃：可透過 My Account 辦理" beside "終止服務：須親臨門市").
    "更改服务计划",
    "变更服务计划",
    "转换服务计划",
    "更换服务计划",
    "更改计划",
    "转换计划",
    "变更套餐",
    "更改套餐",
    "套餐变更",
    "转换套餐",
    "更换套餐",
    "改套餐",
    "升级套餐",
    "变更方案",
    "转换方案",
    "资费变更",
    // Round 39: Cantonese (app改plan、買漫遊、換eSIM就得).
    "改plan",
    "改 plan",
];

/// A clause about changing the plan, not ending it: "change your monthly plan", "upgrade or
/// downgrade your package", "switch plans", 变更套餐. Text is normalised.
fn changes_plan(clause: &str) -> bool {
    if PLAN_CHANGES.iter().any(|w| clause.contains(w))
        || [
            "upgrade or downgrade",
            "switch plans",
            "change plans",
            // round 34's reviews: "If you'd rather switch to a cheaper plan, you can do that in
            // My Account"
            "cheaper plan",
            "smaller plan",
            "different plan",
            "plan change",
        ]
        .iter()
        .any(|w| clause.contains(w))
    {
        return true;
    }
    let words: Vec<&str> = clause
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).enumerate().any(|(i, w)| {
        // "Rate plans can be changed by visiting…"
        if PLAN_WORDS.contains(&w[0]) {
            return words[i + 1..]
                .iter()
                .take(3)
                .any(|x| matches!(*x, "changed" | "upgraded" | "downgraded"));
        }
        // Said as what one may do ("you can change your plan", "to change the package"), not a
        // menu label in a step ("tap Change your plan", then "tap Cancel plan").
        if !matches!(w[0], "change" | "upgrade" | "downgrade")
            || !matches!(w[1], "your" | "my" | "the" | "a")
            || !i.checked_sub(1).is_some_and(|p| MAY_DO.contains(&words[p]))
        {
            return false;
        }
        // "change your plan status to Do not renew" sets how the plan ends, not which plan.
        words[i + 2..]
            .iter()
            .take(3)
            .position(|x| PLAN_WORDS.contains(x))
            .is_some_and(|p| {
                !words
                    .get(i + 3 + p)
                    .is_some_and(|n| matches!(*n, "status" | "settings" | "setting" | "renewal"))
            })
    })
}

/// "需携带身份证到营业厅办理": in Chinese a clause that names where and ends on 办理 (handle) with
/// no object handles what the sentence before was about, as "do this" does. Text is normalised.
fn handled_there(clause: &str) -> bool {
    // The clause opens on the reader's part (请, 需, 须, 可…) or on the place itself: one that
    // opens on its own topic ("余额转出可在手机营业厅办理") handles that topic.
    const OPENS: [&str; 14] = [
        "请", "需", "须", "可", "必须", "应", "到", "至", "前往", "亲临", "携带", "带上", "本人",
        "凭",
    ];
    let t = clause.trim_end_matches(|c: char| {
        c.is_whitespace() || c.is_ascii_punctuation() || "。，；！".contains(c)
    });
    OPENS.iter().any(|w| t.trim_start().starts_with(w))
        && ["办理", "办理手续", "办理相关手续"]
            .iter()
            .any(|w| t.ends_with(w))
}

/// "It is the easiest way to cancel your plan", "It is the quickest option for closing your
/// account", 这是最快的销户方式: a sentence that opens on what was said before and calls it a way.
/// Or one that opens on the people of the place just named, who do the ending there ("Bring the
/// letter to the shop; staff there process the cancellation", "Visit a store. There you can end
/// your contract", 营业厅工作人员会为您办理销户 after the shop). Text is normalised.
fn names_way_back(normalised: &str) -> bool {
    // Not bare "there you can": "…open the app. There you can see when your line is
    // disconnected" looks the ending up (the review of round 29).
    const DONE_THERE: [&str; 14] = [
        "there you can cancel",
        "there you can end",
        "there you can close",
        "there you can terminate",
        "there, you can cancel",
        "there, you can end",
        "there, you can close",
        "staff there ",
        "the staff there ",
        "our staff will ",
        "staff will ",
        "an agent will ",
        "the agent will ",
        "工作人员",
    ];
    if DONE_THERE.iter().any(|o| normalised.starts_with(o)) {
        return true;
    }
    const OPENS: [&str; 8] = [
        "this ",
        "that ",
        "it ",
        "it's ",
        "这是",
        "这也是",
        "这种方式",
        "此方式",
    ];
    const WAYS: [&str; 13] = [
        " way to ",
        " way of ",
        " option to ",
        " option for ",
        " method to ",
        " method of ",
        " means of ",
        " route to ",
        "方式",
        "途径",
        "方法",
        "渠道",
        "办法",
    ];
    // "It is not a way to cancel", 这不是销户的方式: no way, and so no way back.
    // Not bare 不 or 非: 这是非常方便、不用出门的销户方式 is a way.
    const NOT: [&str; 6] = [" not ", "n't ", " never ", "不是", "并非", "没有"];
    OPENS.iter().any(|o| normalised.starts_with(o))
        && WAYS.iter().any(|w| {
            normalised
                .find(w)
                .is_some_and(|at| !NOT.iter().any(|n| normalised[..at].contains(n)))
        })
}

/// How a sentence starts that sends the reader somewhere to do what the sentence before said
/// ("Cancellation is required before you leave. Please visit the nearest shop.").
const SENT_THERE: [&str; 5] = [
    "please visit ",
    "please go to ",
    "please call ",
    "please contact ",
    "please come to ",
];

/// Round 30: the bare imperative does the same ("Our team can close the account for you. Call
/// 0800 123 456."), when it sends the reader to a place or a line, not to the web: "Visit
/// www.example.com/deals" after a call to cancel is the site's address, not a second way.
const SENT_BARE: [&str; 16] = [
    "call ",
    "visit ",
    "contact ",
    "ring ",
    "phone us",
    "give us a call",
    "give us a ring",
    "pop into ",
    "drop into ",
    "head to ",
    "just call ",
    "simply call ",
    "just visit ",
    "simply visit ",
    "just contact ",
    "simply contact ",
];

/// Words that name the web or an app in a normalised sentence.
const WEB_WORDS: [&str; 10] = [
    "www.",
    "http",
    ".com",
    "website",
    "site",
    "online",
    " app",
    "web",
    "portal",
    "my account",
];

/// How a sentence starts that says what the reader must do for what the sentence before said
/// ("It is necessary to terminate the contract. You will have to write a statement…").
const MUST_DO: [&str; 7] = [
    "you will have to ",
    "you'll have to ",
    "you will need to ",
    "you'll need to ",
    "you need to ",
    "you must ",
    "you have to ",
];

/// An ending that befalls the reader rather than one they ask for: the carrier disconnects, a
/// network closes, a SIM is replaced, a provider switches it off ("will be disconnected", "may
/// be deactivated", "automatically", "if you don't recharge"). Text is normalised.
pub fn befalls(normalised: &str) -> bool {
    [
        " will be ",
        " may be ",
        " might be ",
        " could be ",
        "automatically",
        "if you don't",
        "if you do not",
        "unpaid",
        "replacement",
        "将被",
        "会被",
        "自动",
    ]
    .iter()
    .any(|w| normalised.contains(w))
}

/// Verbs of going somewhere, calling or writing, after "you must" / "you will have to".
const CHANNEL_VERBS: [&str; 12] = [
    "visit", "call", "contact", "go", "come", "ring", "phone", "write", "send", "speak", "talk",
    "hand",
];

/// The sentence sends the reader to a place or a line, or says what they must do, for what was
/// said before, not with a question of their own ("Please contact us if you have any
/// questions"). Text is normalised.
fn sent_there(normalised: &str) -> bool {
    // "You need to recharge online", "you must return the modem to a store", "you must update
    // your address in My Account" do their own thing: only going, calling or writing goes on
    // with the ending before.
    let must_go = MUST_DO.iter().any(|w| {
        normalised.strip_prefix(w).is_some_and(|rest| {
            CHANNEL_VERBS.contains(&rest.split_whitespace().next().unwrap_or(""))
        })
    });
    let bare = SENT_BARE.iter().any(|w| normalised.starts_with(w))
        && !WEB_WORDS.iter().any(|w| normalised.contains(w))
        && !has_web_path(normalised);
    // "Our loyalty team is available 7 days a week on 0800 …": a team said to be on a line is
    // a line one is sent to, as "Call our team on …" is.
    let team_on_a_line =
        ["our ", "the "].iter().any(|w| normalised.starts_with(w)) && dialling::on_hand(normalised);
    (must_go || bare || team_on_a_line || SENT_THERE.iter().any(|w| normalised.starts_with(w)))
        && ![
            "question",
            "help",
            "information",
            "assist",
            "enquir",
            "inquir",
            "detail",
            "learn",
            "find out",
            "more about",
        ]
        .iter()
        .any(|w| normalised.contains(w))
        && !own_purpose(normalised)
}

/// The sentence says what its channel is for ("Please visit our website to choose a new phone",
/// "log in to our app to activate your SIM", "… so we can send your final bill"): "to" before a
/// verb, not before a place or a person ("a statement to the operator", "go to any shop").
fn own_purpose(normalised: &str) -> bool {
    const NOT_A_VERB: [&str; 16] = [
        "the", "a", "an", "our", "your", "us", "any", "them", "their", "my", "it", "one", "this",
        "that", "these", "those",
    ];
    if [" so we ", " so that ", " in order to "]
        .iter()
        .any(|w| normalised.contains(w))
    {
        return true;
    }
    let words: Vec<&str> = normalised.split_whitespace().collect();
    // The opener's own "to" ("you will need to log in", "please go to") is no purpose.
    words.windows(2).enumerate().any(|(i, w)| {
        w[0] == "to"
            && i > 0
            && !matches!(
                words[i - 1],
                "need" | "have" | "go" | "come" | "want" | "able"
            )
            && !NOT_A_VERB.contains(&w[1].trim_matches(|c: char| !c.is_alphanumeric()))
            && !w[1].starts_with(|c: char| c.is_ascii_digit())
            && !is_day(w[1])
    })
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

/// Does the text hold a web address without its scheme, with a path ("example.com/cancel")?
fn has_web_path(text: &str) -> bool {
    // Most clauses hold no slash: one pass rules them out.
    text.contains('/')
        && text.split_whitespace().any(|w| {
            let Some((host, path)) = w.split_once('/') else {
                return false;
            };
            // A store finder's address ("find one at example.com/stores") leads to a shop.
            !STORE_FINDER.iter().any(|f| path.contains(f))
                && host.rsplit_once('.').is_some_and(|(name, tld)| {
                    name.chars()
                        .next_back()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                        && (2..=6).contains(&tld.len())
                        && tld.chars().all(|c| c.is_ascii_lowercase())
                })
        })
}

/// Words in an address's path that make it a store finder (round 30): "stores", "locations",
/// "store-locator", "find-a-shop", "outlets"; not "store" alone ("play.google.com/store/apps").
const STORE_FINDER: [&str; 7] = [
    "stores",
    "locat",
    "find-a-",
    "findastore",
    "shops",
    "outlet",
    "retail",
];

/// Labels that an address follows, normalised: a page, a link, a source.
const ADDRESS_LABELS: [&str; 10] = [
    "page", "link", "url", "source", "website", "site", "网址", "链接", "网页", "来源",
];

fn ends_with_label(clause: &str) -> bool {
    let c = clause.trim_end_matches([' ', '\'', '"']);
    ADDRESS_LABELS.iter().any(|l| c.ends_with(l))
}

/// The web address a clause is, when it is that and nothing else (quotes and brackets aside).
fn bare_address(clause: &str) -> Option<&str> {
    let c = clause.trim_matches([' ', '\'', '"', '<', '>', '{', '}', '[', ']']);
    (!c.contains(' ') && (c.starts_with("//") || c.starts_with("www.") || c.starts_with("http")))
        .then_some(c)
}

/// Does the text hold an email address (`name@host.tld`)? One pass over its `@`s.
fn has_mail_address(text: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
    text.match_indices('@').any(|(at, _)| {
        let before = text[..at].chars().next_back().is_some_and(word);
        let rest = &text[at + 1..];
        let end = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
        let host = rest[..end].trim_end_matches('.');
        before
            && host
                .rsplit_once('.')
                .is_some_and(|(name, tld)| !name.is_empty() && tld.len() >= 2)
    })
}

/// How a clause opens that only says what the sentence is for: "to cancel", "if you wish to
/// end", 如需销户. Text is normalised.
const PURPOSE: [&str; 17] = [
    "to ",
    "in order to ",
    "if you want",
    "if you wish",
    "if you would like",
    "if you'd like",
    "should you wish",
    "should you want",
    "如需",
    "如欲",
    "如要",
    "如想",
    "若需",
    "若要",
    "若想",
    "欲",
    "为了",
];

/// A clause of purpose about ending, naming no way and no task of its own: what the clause
/// after it does is for ending ("To settle your balance before cancelling, …" is for paying).
fn purpose_of_ending(clause: &str, c: Concepts) -> bool {
    c.has(Concept::Terminate)
        && !c.has(Concept::Online)
        && !c.has(Concept::Offline)
        && !c.has(Concept::Forward)
        && PURPOSE.iter().any(|w| clause.trim_start().starts_with(w))
        && !own_task(clause)
}

/// Words by which the main clause after a purpose names a task of its own, done on the way to
/// ending: returning equipment, paying, anything done "first".
const OWN_TASKS: [&str; 12] = [
    "first", "before", "return", "pay ", "settle", "先", "之前", "归还", "交还", "退还", "缴",
    "结清",
];

fn own_task(clause: &str) -> bool {
    OWN_TASKS.iter().any(|w| clause.contains(w))
}

/// Tasks other than ending, as a clause of purpose opens with them ("To update your mailing
/// address, …", 如需查询话费，…). Normalised text; an English one is a whole word.
const OTHER_TASKS: [&str; 22] = [
    "update", "change", "check", "view", "pay", "top up", "recharge", "upgrade", "buy", "track",
    "activate", "register", "report", "查询", "查看", "变更", "更改", "修改", "缴费", "充值",
    "开通", "购买",
];

/// Does the clause open as a purpose naming another task right after its opening ("to update
/// …", "if you want to check …", 如需查询…)? Then what the clause after it does is for that task,
/// when it names no ending or way itself.
fn purpose_of_other(clause: &str) -> bool {
    let opening = clause.trim_start().trim_start_matches(['(', '（']);
    let Some(rest) = PURPOSE.iter().find_map(|w| opening.strip_prefix(w)) else {
        return false;
    };
    // "if you want to check …": the verb follows "to".
    let rest = rest.trim_start();
    let rest = rest.strip_prefix("to ").unwrap_or(rest);
    OTHER_TASKS.iter().any(|w| {
        rest.strip_prefix(w).is_some_and(|after| {
            !w.is_ascii() || !after.starts_with(|ch: char| ch.is_ascii_alphanumeric())
        })
    })
}

/// How a line naming the source of a copied text starts (after the fold and lower-casing).
const CITATIONS: [&str; 5] = ["出处", "来源:", "资料来源", "source:", "sources:"];

/// A denial for the reader's own province, after the fold (round 38's reviews).
const NOT_HERE_YET: [&str; 6] = [
    "本省暂未",
    "本省尚未",
    "本省暂不",
    "本市暂未",
    "本市尚未",
    "本地区暂未",
];

/// Words that end a pilot or a limit and speak for everyone ("线上销户试点已于6月30日结束",
/// "包括原试点省份在内的全部用户均须到营业厅办理", round 42): the pilot named is over, so its
/// qualifier limits nothing.
const PILOT_OVER: [&str; 10] = [
    "试点已",
    "试点结束",
    "试办已",
    "试办结束",
    "全部用户",
    "所有用户",
    "pilot has ended",
    "pilot ended",
    "trial has ended",
    "all customers",
];

/// Reads one sentence (display text).
pub fn read(lexicon: &Lexicon, sentence: &str) -> Reading {
    read_folded(lexicon, sentence).0
}

/// [`read`], with the sentence as it was read (after the fold), for the look-ups in context
/// that would fold it again.
pub fn read_folded(lexicon: &Lexicon, sentence: &str) -> (Reading, String) {
    let normalised = for_matching(&portal_named(sentence));
    let r = read_normalised(lexicon, &normalised);
    (r, normalised)
}

/// Words after which "My" and a capitalised name is a carrier's self-service portal ("through
/// My Kestrel", "in My Verizon", "log in to My Telstra"), not the reader's own thing ("My phone").
/// Not "the": "the My Kestrel Plus plan", "the My Phone Store" name a plan and a shop (the
/// read-through of round 38).
const BEFORE_PORTAL: [&str; 12] = [
    "in", "into", "through", "via", "to", "on", "using", "from", "with", "open", "your", "our",
];

/// `sentence` with each portal named "My" and a brand written "my account", which the lexicon
/// knows as an online way (round 38's reviews: "We're unable to take notice through My
/// Kestrel", "end the plan online in My Thistle"; round 39's: "through MyMaplecell"). One
/// pass; a sentence without "My" is borrowed as it is.
fn portal_named(sentence: &str) -> std::borrow::Cow<'_, str> {
    if !sentence.contains("My") {
        return std::borrow::Cow::Borrowed(sentence);
    }
    let mut out = String::with_capacity(sentence.len());
    let mut last = 0;
    for (at, _) in sentence.match_indices("My") {
        if at < last
            || sentence[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        let before = sentence[..at].trim_end();
        let word = before
            .rsplit(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        // "My Kestrel" or "MyMaplecell": the brand after a space or joined on.
        let name_at = if sentence[at + 2..].starts_with(' ') {
            at + 3
        } else {
            at + 2
        };
        let name_len = sentence[name_at..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(sentence.len() - name_at);
        // A brand written small ("My csl", round 42) unless it is the reader's own thing.
        let capital = sentence[name_at..].chars().next().is_some_and(|c| {
            c.is_ascii_uppercase()
                || c.is_ascii_lowercase() && {
                    let name = sentence[name_at..name_at + name_len].to_ascii_lowercase();
                    !MY_OWN.contains(&name.as_str())
                }
        });
        let joined = &sentence[at..name_at + name_len];
        if capital
            && name_len > 0
            && BEFORE_PORTAL.contains(&word.as_str())
            && !NOT_PORTALS.contains(&joined)
        {
            out.push_str(&sentence[last..at]);
            out.push_str("my account");
            last = name_at + name_len;
        }
    }
    if last == 0 {
        return std::borrow::Cow::Borrowed(sentence);
    }
    out.push_str(&sentence[last..]);
    std::borrow::Cow::Owned(out)
}

/// Names that open with "My" and are no carrier's portal: identity cards and a state's data
/// service ("bring your MyKad").
const NOT_PORTALS: [&str; 5] = ["MyKad", "MyKid", "MyPR", "MyTentera", "MyInfo"];

/// Words after "My " that name the reader's own things, not a portal written small.
const MY_OWN: [&str; 55] = [
    "account",
    "accounts",
    "plan",
    "plans",
    "number",
    "numbers",
    "phone",
    "mobile",
    "contract",
    "line",
    "lines",
    "sim",
    "bill",
    "bills",
    "service",
    "services",
    "details",
    "data",
    "device",
    "home",
    "name",
    "own",
    "family",
    "order",
    "last",
    "current",
    "old",
    "new",
    "provider",
    "carrier",
    "network",
    "broadband",
    "internet",
    "email",
    "address",
    "card",
    "balance",
    "bank",
    "payment",
    "request",
    "notice",
    "behalf",
    "opinion",
    "experience",
    "case",
    "area",
    "country",
    "computer",
    "laptop",
    "tablet",
    "friend",
    "self",
    "way",
    "time",
    "life",
];

fn read_normalised(lexicon: &Lexicon, normalised: &str) -> Reading {
    let question = is_question(normalised) || wishes(normalised);
    let mut r = Reading {
        question,
        asks_why: question && WHY.iter().any(|w| normalised.contains(w)),
        // "You don't need to call us to cancel. Just log in to My Account.": the sentence goes
        // on with how.
        refers_back: GOING_ON.iter().any(|w| normalised.starts_with(w))
            // A chat agent's "I can do that for you here": the way named holds the reference
            // (the lexicon finds the longer term, not "do that" inside it; round 39).
            || normalised.contains("that") && AGENT_TAKES_IT.iter().any(|w| normalised.contains(w)),
        alternative: offers_alternative(normalised),
        sent_on: sent_there(normalised),
        way_back: names_way_back(normalised),
        ..Reading::default()
    };
    // "出处：https://…", "Source: …": where the text was copied from, with its address; or the
    // address alone, closing a paragraph as its source.
    if CITATIONS.iter().any(|c| normalised.starts_with(c))
        || bare_address(normalised).is_some_and(|a| a.starts_with("http"))
    {
        r.any_trap = true;
        return r;
    }
    let (mut partial_denial, mut plain_online, mut plain_offline) = (false, false, false);
    let mut demanded = false;
    // A negation reaches the items of its own enumeration: "does not support cancellations
    // through the app, Google Play, or an online self-serve cancellation", 不支持网上、APP销户.
    let mut carried = false;
    // A trap reaches the bare names enumerated after it: 绑定了微博、微信、支付宝 names accounts.
    let mut trap_carried = false;
    // Whether an online way was offered before the enumeration now read began: "APP、网厅、
    // 10000号均不受理销户申请" takes back the bare items before its collective refusal.
    let mut online_before_list = false;
    // Whether the enumeration now read has named only bare items so far ("网上营业厅、…").
    let mut list_bare = false;
    // "销户、补换卡、变更套餐等业务只能到营业厅办理": an ending named bare in an enumeration of
    // errands takes the way named for all of them (…等业务 …办理) by the item that closes it.
    let mut ending_listed = false;
    // "If you think you can simply click a button online…, you're wrong.": the clause after
    // refutes what the reader was said to think.
    let mut believed_online = false;
    // A clause before held a belief the page corrects (误以为): the clauses after it are the
    // belief's, until one corrects it.
    let mut misbelief = false;
    // A clause before opened the state that held before a change ([`PAST_WORDS`]).
    let mut was_before = false;
    let mut last_trap = None;
    // A refusal to end in a clause that points forward to ways ("… in the following manner").
    let mut refusal_points = false;
    // The clause last read holds a refusal.
    let mut last_rejects = false;
    let mut at_a_cost = false;
    // A way to end was denied (online, or refused), apart from "cannot end" itself: a fee
    // "otherwise" undoes only the latter.
    let mut way_denied = false;
    // The clause before only said the sentence is for ending ("To cancel your service, …").
    let mut for_ending = false;
    // The clause before said the sentence is for another task ("To update your mailing
    // address, sign in to My Account").
    let mut for_other = false;
    // The clause before ends with a label for an address ("… page", 网址).
    let mut label_before = false;
    // A clause before opened a condition other than the wish to end ("If you have an
    // outstanding balance, …").
    let mut precondition = false;
    // The way of a clause dropped as a check (查询) the sentence goes on from with 并.
    let mut way_of_check: Option<Concept> = None;
    // The clause before named an online way it did not deny (网上客服可处理账单查询、…).
    let mut online_before = false;
    let form_downloaded = downloads_a_form(normalised);
    let booked_visit = std::cell::OnceCell::new();
    // Where the first word of the past stands: read once, not again for every clause (a
    // sentence of thousands of clauses, the read-through of round 39), and only when a clause
    // naming an online way asks.
    let past_at = std::cell::OnceCell::new();
    let past_at = || *past_at.get_or_init(|| PAST.iter().filter_map(|w| normalised.find(w)).min());
    let mut ahead = clauses(normalised).peekable();
    while let Some(clause) = ahead.next() {
        // Only the clause right after a check takes its way.
        let check_way = way_of_check.take();
        let way_before = std::mem::take(&mut online_before);
        // "…call the customer service number, which is listed on your bill or the website":
        // where the number is found, said of it; the sentence is not about finding things.
        if WHERE_FOUND.iter().any(|w| clause.starts_with(w)) {
            continue;
        }
        let at = clause.as_ptr() as usize - normalised.as_ptr() as usize;
        // The clause as cut, before any rewriting below: offsets into `normalised` are taken
        // from it alone.
        let as_cut = clause;
        // A bracket right after the clause (the splitter cut there): a call's arguments.
        let after = &normalised[at + clause.len()..];
        let paren_follows = after.starts_with('(') && !after.starts_with("(s)");
        // "網上終止服務申請（預計於 2027 年上半年推出）", "Online cancellation (coming soon)": a
        // short remark in the bracket after the clause that announces it for later denies it now
        // (round 34's held-out review). Only a bracket of at most BRACKET_CHARS is read.
        // So does such a remark as the clause after: "Online cancellation: coming soon".
        // Only an announcement: "…, it cannot be undone" denies nothing of the way.
        // Read only for a clause that names an online way (most do not).
        let mut announced_after = || {
            ahead.peek().is_some_and(|next| {
                next.chars().nth(BRACKET_CHARS).is_none()
                    && ANNOUNCED.iter().any(|w| next.contains(w))
            }) || paren_follows && {
                let inner: String = after
                    .chars()
                    .skip(1)
                    .take_while(|&c| c != ')')
                    .take(BRACKET_CHARS + 1)
                    .collect();
                inner.chars().count() <= BRACKET_CHARS
                    && ANNOUNCED.iter().any(|w| inner.contains(w))
            }
        };

        let after_purpose = std::mem::take(&mut for_ending);
        let after_other = std::mem::take(&mut for_other);
        // "Official cancellation page: https://…", "Source: …": an address under a label is
        // where something is published, not a way to send a request.
        let labelled = std::mem::replace(&mut label_before, ends_with_label(clause));
        if labelled && bare_address(clause).is_some() {
            continue;
        }
        let in_list = enumerated(normalised, clause);
        if !in_list {
            online_before_list = plain_online;
            list_bare = clause.chars().nth(BARE_ITEM_CHARS).is_none();
        }
        let continues = std::mem::take(&mut carried) && in_list;
        let trap_continues = std::mem::take(&mut trap_carried) && in_list;
        ending_listed &= in_list;
        // "Cancel your service without porting your number", "…without calling us": what
        // follows "without" is not what the clause does; it names neither add-on nor channel.
        let clause = before_where_found(clause);
        // "You can't cancel the contract without having to pay a fee": ending is allowed at a
        // price (read before "without …" is cut).
        // One pass over the clause says which phrase checks below can match at all.
        let cues = Cues::of(clause);
        at_a_cost |= cues.has(Cues::PRICE) && AT_A_PRICE.iter().any(|w| clause.contains(w));
        let cut = without_what(lexicon, cues.has(Cues::NOT_TAKEN), clause);
        let login = without_login(&cut);
        let pointed = if cues.has(Cues::POINTER) {
            without_pointers(&login)
        } else {
            std::borrow::Cow::Borrowed(login.as_ref())
        };
        // A pointer was cut out ("Click here for more information on our disconnection process"):
        // a few words left are the pointer's own verb ("click here", "please visit our website"),
        // unless they name ending ("… or to cancel"); more are a clause of their own ("Log in to
        // the customer portal and click on the section My Services").
        let pointer_only = matches!(pointed, std::borrow::Cow::Owned(_))
            && pointed.split_whitespace().nth(POINTER_VERB_WORDS).is_none();
        let clause: &str = &pointed;
        let mut hits = lexicon.scan(clause);
        // "於網上商店購買的eSIM計劃可於網上取消": a trap that is only a modifier (…的) of what
        // the clause is about leaves the head to be read on its own.
        let clause = match trap_modifies(clause, &hits) {
            Some(head) => {
                hits = lexicon.scan(head);
                head
            }
            None => clause,
        };
        // The item that closes a list holding the ending (…等业务…办理) names the way for it too.
        let closes_errands = ending_listed && clause.contains('等');
        let mut c = hits.concepts;
        last_rejects = c.has(Concept::Rejection);
        let announced = c.has(Concept::Online)
            && (announced_after()
                || announced_before(&normalised[..at])
                || announces(clause)
                || announcing_words(crate::extract::block::first_chars(after, ANNOUNCE_LOOK))
                || past_at().is_some_and(|p: usize| p < at + clause.len())
                || PAST_OPENERS.iter().any(|w| clause.starts_with(w)));
        if announced {
            c.insert(Concept::Negation);
        }
        // "销户业务目前不在中国移动APP、网上营业厅及10086热线受理": 不在 opens the ways, and the
        // verb that refuses them comes after the list (round 37's reviews).
        if c.has(Concept::Online) && not_handled_at(as_cut, &normalised[at..]) {
            c.insert(Concept::Negation);
        }
        // "公众号暂无销卡功能", "亦未开通APP销户功能": the way lacks the function (round 39); in a
        // clause after the way ("csl app 只可以改 plan…,無終止服務呢個掣") it is the way's too.
        let lacks = (c.has(Concept::Online) || plain_online || c.has(Concept::Terminate))
            && lacks_function(clause);
        if lacks {
            c.insert(Concept::Negation);
        }
        // "副門號不提供 App 或網路門市退租功能", "退租不提供官網或電話申請", "本公司不設任何網上
        // 終止服務途徑": 不提供 / 不設 withholds the way or the ending its clause goes on to name
        // (round 47's first wave). Not "网上营业厅不提供发票打印", which goes on to neither.
        if (c.has(Concept::Online) || c.has(Concept::Terminate))
            && !c.has(Concept::Negation)
            && withholds_what_follows(lexicon, clause)
        {
            c.insert(Concept::Negation);
        }
        // A clause that opens with "otherwise" (否则) and names a fee: what the sentence denied
        // is allowed at that price.
        at_a_cost |= c.has(Concept::Fee) && OTHERWISE.iter().any(|w| clause.starts_with(w));
        // "網上客服可處理賬單查詢、更改服務計劃，以及終止流動電話服務申請": the clause that goes
        // on with the list (以及) is handled by the way named before (round 34's reviews).
        if way_before
            && c.has(Concept::Terminate)
            && !c.has(Concept::Online)
            && !c.has(Concept::Offline)
            && clause.starts_with("以及")
        {
            c.insert(Concept::Online);
        }
        // Items of the list between (、) keep it: "…可處理賬單查詢、更改服務計劃，以及終止…".
        online_before = c.has(Concept::Online) && !c.has(Concept::Negation)
            || way_before && in_list && !c.has(Concept::Online) && !c.has(Concept::Offline);
        if !c.has(Concept::Offline)
            && (dialling::calls_a_number(clause)
                || dialling::number_clause(clause) && dialling::on_hand(normalised)
                || cues.has(Cues::CALL)
                    && (dialling::told_to_call(lexicon, clause)
                        || dialling::calls_a_provider(clause)
                        || dialling::gives_a_call(clause)))
        {
            c.insert(Concept::Offline);
        }
        // "DELETE /v1/numbers/{id}": a request sent to the provider's API is a way online; a
        // DELETE of a line, number or SIM ends it (round 32, from round 31's API pages).
        // A GET only reads ("GET /v1/lines/{id}/early-termination-fee" quotes a fee: round 32's
        // review, en08).
        if cues.has(Cues::API)
            && let Some(route) = api_route::route(clause)
            && route.method != "get"
        {
            c.insert(Concept::Online);
            if route.deletes_a_line() {
                c.insert(Concept::Terminate);
            }
        }
        // "call release_number()", "client.sims.terminate(iccid)", `#terminate`: an SDK's
        // method or an agent's tool is a way online, as an API route is; its name may end a
        // line (round 33, from heldout85's SDK pages and the round's review).
        // Only a clause with a character of code is read for a method's name.
        if (paren_follows || cues.has(Cues::CODE))
            && let Some(call) = api_route::method_call(clause, paren_follows)
        {
            c.insert(Concept::Online);
            if call.ends {
                c.insert(Concept::Terminate);
            } else if hits
                .first_at(Concept::Terminate)
                .zip(hits.last_at(Concept::Terminate))
                .is_some_and(|(f, l)| call.within(f) && call.within(l))
            {
                // "client.session.terminate()" ends a session: the ending word is the
                // method's, and names nothing of the line (round 33's review).
                c.remove(Concept::Terminate);
            }
        }
        if let Some(ends) = api_route::command_line(clause) {
            c.insert(Concept::Online);
            if ends {
                c.insert(Concept::Terminate);
            }
        }
        // "End your fibre plan in the app": an ending whose object has a word or two before its
        // head, beside a way. Not without one: as a heading ("Closing your Mobal account",
        // "Ending our Agreement") it would lend its subject to what is under it, which on the
        // cached pages is mostly something else (round 23: four pages lost, none gained).
        // But as the purpose that opens a sentence with more after it, where the way follows
        // ("To close the number, please call 1000", round 33).
        // Not a rental: a loan phone's is ended by bringing it back (round 32's second review).
        let opens_purpose = at == 0
            && clause.starts_with("to ")
            && normalised.len() > clause.len() + 1
            && !clause.contains("rental");
        // Or as a question of how ("How do I close my SIM-only account?", round 34's reviews):
        // the reader asks to end it.
        let asks_how = at == 0 && ASKING_HOW.iter().any(|w| clause.starts_with(w));
        if !c.has(Concept::Terminate)
            && (c.has(Concept::Online) || c.has(Concept::Offline) || opens_purpose || asks_how)
            && cues.has(Cues::END)
            && ending_phrase::ends_named_thing(clause)
        {
            c.insert(Concept::Terminate);
        }
        // "Releasing a phone number" (a heading over the console's steps): a rented number
        // given up is ended, with or without a way in the clause; so is a contract put an end
        // to.
        if !c.has(Concept::Terminate)
            && cues.has(Cues::END)
            && (ending_phrase::gives_up_number(clause)
                || ending_phrase::puts_an_end(clause)
                || ending_phrase::releases_number_zh(clause, normalised, c.has(Concept::Online)))
        {
            c.insert(Concept::Terminate);
        }
        // "可以透過網站預約，再到門市辦理": the clause that books a visit the sentence then makes,
        // ending nothing itself, names no way to end. Nor does one that books the ending
        // itself for the visit made after it ("宽带拆机可以在线上预约，预约后需携带光猫到营业厅办理",
        // round 30's second review).
        // "登录营业厅网站，填写光猫归还单，选好门店和到店时间": choosing the shop and the time
        // of the visit is booking it (round 31, zhs-8145 of heldout81).
        // Read only for a clause that names the web: the sentence's words are looked at then.
        // Read once per sentence: a sentence of thousands of clauses that each name the app
        // would read the whole sentence again for each (the read-through of round 39: 5.9 s for
        // one of 20,000 clauses).
        let books_visit = || {
            *booked_visit.get_or_init(|| {
                BOOKED_VISIT.iter().any(|w| normalised.contains(w))
                    || BOOKING.iter().any(|w| normalised.contains(w))
                        // Nor one done with a face check (联通APP…有个“预约销户”，拍身份证、刷
                        // 脸, round 40): the booking is the request itself.
                        && !["上门", "无需到", "无需前往", "远程", "刷脸", "人脸"]
                            .iter()
                            .any(|w| normalised.contains(w))
            })
        };
        let then_visit = || THEN_VISIT.iter().any(|w| normalised.contains(w));
        let visit_after = || {
            normalised.contains("预约后")
                && ["营业厅", "门市", "门店"]
                    .iter()
                    .any(|w| normalised.contains(w))
        };
        if c.has(Concept::Online)
            && (clause.contains("预约")
                && (then_visit() && !c.has(Concept::Terminate) || visit_after())
                || books_visit())
        {
            c.remove(Concept::Online);
        }
        // "Book an appointment online, then bring your ID to the shop", "Book an appointment on
        // our website to cancel in store": the visit booked online is not the ending made
        // online, unless the clause ends something there itself ("book your disconnection
        // online").
        if c.has(Concept::Online)
            && (!c.has(Concept::Terminate) || c.has(Concept::Offline))
            && clause.contains("appointment")
        {
            c.remove(Concept::Online);
        }
        // "If you bought your SIM through our website, …", 在网上营业厅购买的宽带，…: the channel
        // of a clause that says where the thing was bought is the purchase's, not a way to end it.
        if c.has(Concept::Online) && cues.has(Cues::BUY) && bought_there(clause, &hits) {
            c.remove(Concept::Online);
        }
        // "While you can manage most things in My Account, cancellations are only handled by
        // our team over the phone": the way a concession grants names no ending; it is the
        // ground the refusal that follows stands on (round 47's sixth wave).
        if c.has(Concept::Online)
            && !c.has(Concept::Terminate)
            && CONCESSIONS.iter().any(|w| clause.starts_with(w))
        {
            c.remove(Concept::Online);
        }
        // "Write to help@example.org … to end service": an email address is the email way, as a
        // number is the phone.
        // "Go to Manage › Plan › End plan": a path of menus told as a step is walked in the
        // provider's app or account (round 47's first wave).
        if !c.has(Concept::Online)
            && (has_mail_address(clause)
                || has_web_path(clause)
                || cues.has(Cues::MENU)
                    && !c.has(Concept::Offline)
                    && menu_path::walks_a_menu(clause)
                || cues.has(Cues::CHAT) && names_a_chat(clause)
                || cues.has(Cues::API) && api_route::calls_an_api_zh(clause))
        {
            c.insert(Concept::Online);
        }
        // "Deleting your account in the app does not close your number": the app is the
        // deletion's, and the sentence denies that deleting ends the line, not a way to end it.
        if c.has(Concept::Terminate)
            && not_same::WAYS_AND_DENIALS.iter().any(|&x| c.has(x))
            && not_same::act_is_not_ending(clause)
        {
            for x in not_same::WAYS_AND_DENIALS {
                c.remove(x);
            }
        }
        // Carried over an item of what the task is about ("To view your usage, data allowance
        // and call history, log in …"): a clause that names no ending and no way.
        let names_way = c.has(Concept::Online) || c.has(Concept::Offline);
        for_other =
            !c.has(Concept::Terminate) && !names_way && (after_other || purpose_of_other(clause));
        // "You cannot cancel your service yourself": ending it oneself is the self-service way,
        // which is online; counted only when denied, since a shop is also visited "yourself",
        // and not at a price ("… yourself without paying a fee" allows it).
        if !at_a_cost
            && c.has(Concept::Terminate)
            && c.has(Concept::Negation)
            && !c.has(Concept::Online)
            && !c.has(Concept::Offline)
            && by_oneself(clause, &hits)
        {
            c.insert(Concept::Online);
        }
        // "If you have an outstanding balance, we can't cancel your service": a refusal after
        // such a condition says when ending is held up, not that the service cannot be ended. A
        // denial of the online channel itself stays one ("if you have unpaid bills, you cannot
        // cancel online"), and "If you want to cancel, we cannot do it online" conditions on
        // the wish to end, which is no precondition. Read before the trap check: in
        // 如有未繳費用 the trap 繳費 sits inside the unpaid charges.
        let preconditioned = precondition && !c.has(Concept::Online);
        precondition |= opens_condition(clause, c);
        // "According to the OFCA web page, consumers may…": the page cited is where a rule is
        // read, not a channel ("cancel online according to the steps below" is a channel).
        let cited = CITING.iter().any(|w| clause.starts_with(w)) && c.has(Concept::Online);
        // "You can change your monthly plan online through My Page", under a heading about
        // termination: the way named is for changing the plan. Not when the clause names ending
        // too ("change your plan or cancel online").
        let plan_change =
            cues.has(Cues::PLAN) && !c.has(Concept::Terminate) && changes_plan(clause);
        // "Your first instinct might be to look on their website" (en-2937): reading, not a
        // request; but "look on the website … where there is a Cancel Service button" is one.
        let looks = cues.has(Cues::LOOK)
            && !c.has(Concept::Terminate)
            && LOOKS.iter().any(|w| clause.contains(w));
        // "Pay online", "Upgrade online", "Reload in the app": a way named for another
        // errand, under a heading about ending (round 33's review).
        let errand = c.has(Concept::Online) && !c.has(Concept::Terminate) && other_errand(clause);
        // "Download the Broadband Termination Form (PDF) from our website": a form got online
        // and sent no way in the clause (round 34's reviews; "download the form and email it"
        // sends it).
        // Dropped without marking a trap: the sentence's other clauses may still take the
        // heading's subject ("如需了解更多关于网上销户的信息，请登录网上营业厅").
        if pointer_only && !c.has(Concept::Terminate) {
            continue;
        }
        if c.has(Concept::Trap)
            && (second_purpose(clause, &hits)
                || ends_on_request(clause, &hits)
                || then_sent(clause))
        {
            c.remove(Concept::Trap);
        }
        // "可前往营业网点查询名下号码，并对非本人办理的号码进行销号处理": the visit that the
        // check was made on is where the clause joined by 并 ends the line.
        if let Some(way) = check_way
            && clause.starts_with('并')
            && c.has(Concept::Terminate)
            && !c.has(Concept::Online)
            && !c.has(Concept::Offline)
        {
            c.insert(way);
        }
        // An item that names ending ("缴费、销户可在APP办理") is a statement of its own.
        let trap_item = trap_continues
            && !c.has(Concept::Terminate)
            && clause.chars().nth(TRAP_ITEM_CHARS).is_none();
        // Cut at "but" / 但 (the splitter drops the word), or a correcting word: the page turns
        // from the belief. Read only while a belief runs (most sentences hold none).
        let turned = || {
            let before = normalised[..at].trim_end();
            CLAUSE_WORDS[3..].iter().any(|w| before.ends_with(w.trim()))
                || CORRECTING.iter().any(|w| clause.starts_with(w))
        };
        misbelief = if misbelief {
            !turned()
        } else {
            c.has(Concept::Trap) && MISBELIEF.iter().any(|w| clause.contains(w))
        };
        let believed = misbelief && !c.has(Concept::Trap);
        // "Previously, you could close your account online", "此前，销户须到营业厅办理": what held
        // before a change, up to a clause that turns to now. Read only while such a run goes on
        // or a clause opens with a word for the past (most open with neither).
        was_before = if was_before {
            !turned() && !NOW_WORDS.iter().any(|w| clause.starts_with(w)) && !from_a_year(clause)
        } else {
            // Looked for only in a clause whose first letter can open one (most cannot).
            clause
                .chars()
                .next()
                .is_some_and(|f| PAST_FIRST.contains(f))
                && (PAST_WORDS
                    .iter()
                    .any(|w| opens_with(clause, w) && told_of_the_past(clause, w, normalised))
                    || before_a_date(clause, normalised))
        };
        // "如果您的號碼已被註銷，請補交欠費並到營業廳辦理", "if your line has been disconnected,
        // call us": the ending has already befallen the line; the way named after it is for what
        // follows (restoring it, paying), and the sentence lends no channel to ending.
        let befell = conditional(clause) && ended_already(clause, &hits);
        let for_else = after_other && !c.has(Concept::Terminate) && names_way;
        // Whatever the closing item is read as (a trap, an add-on, the service), its way is the
        // listed ending's too.
        if closes_errands {
            lend_ways(&mut r, c);
        }
        if c.has(Concept::Trap)
            || cited
            || plan_change
            || looks
            || form_downloaded
            || errand
            || trap_item
            || befell
            || for_else
            || believed
            || was_before
        {
            if c.has(Concept::Trap) && !c.has(Concept::Terminate) {
                way_of_check = way_gone_to(c, &hits);
            }
            // What held before still names what is ended ("客户以往可在APP销户，现在须到营业厅
            // 办理"): the way said now is for it.
            // "…, to end the line and settle your final bill": an ending named before the trap,
            // joined to it and naming no way, is an errand of its own (round 48).
            if was_before && c.has(Concept::Terminate) || ends_before_trap(clause, c, &hits) {
                r.all.insert(Concept::Terminate);
                r.service.insert(Concept::Terminate);
                r.ending_named = true;
            }
            r.any_trap = true;
            last_trap = Some(at);
            trap_carried = true;
            continue;
        }
        if REFUTING.iter().any(|w| clause.starts_with(w)) && believed_online {
            r.negated = true;
            way_denied = true;
        }
        believed_online = BELIEVING.iter().any(|w| clause.starts_with(w)) && c.has(Concept::Online);
        r.all = r.all.union(c);
        r.ending_named |= c.has(Concept::Terminate)
            && (!c.has(Concept::Consequence) || ending_survives_consequence(clause, &hits))
            && !ending_is_time(clause, &hits)
            && !(c.has(Concept::Fee) && ending_is_fee(clause, &hits));
        if generic_business(clause, &hits) || owed_payments(clause, &hits) {
            c.remove(Concept::Addon);
        }
        // "如需出國期間暫停服務，請於網上提交停用申請": in a sentence about suspending, 停用 (stop
        // using) is the suspension, not an ending. The sentence is read for it only then.
        let about_addon = (stops_use_only(clause, &hits) && suspends(normalised))
            || ((c.has(Concept::Addon) || c.has(Concept::AutoRenewal))
                && (!c.has(Concept::Service) || addon_is_head(clause, &hits))
                && !addon_beside_ending(clause, &hits));
        if about_addon {
            r.addon_leads |= r.service.is_empty();
            r.addon = r.addon.union(c);
            continue;
        }
        r.service = r.service.union(c);
        ending_listed |=
            c.has(Concept::Terminate) && !c.has(Concept::Online) && !c.has(Concept::Offline);
        r.refers_back |= c.has(Concept::Refer)
            || ((c.has(Concept::Offline) || c.has(Concept::Online))
                && !c.has(Concept::Terminate)
                && (handled_there(clause)
                    // "恕不接受网上或电话申请" after the way to end: the requests refused are
                    // that ending's (round 43).
                    // Not a refusal quoted to take it back (上文"线上渠道暂不受理"的说明不再适用).
                    || c.has(Concept::Rejection)
                        && !c.has(Concept::Fee)
                        && bare_requests(clause)
                        && !RETRACTED.iter().any(|w| normalised.contains(w))));
        r.points_forward |= c.has(Concept::Forward);
        r.request_notice |=
            c.has(Concept::Online) && REQUEST_NOTICES.iter().any(|w| clause.contains(w));
        // "To cancel your service, use one of the channels below:" points to ways of ending as
        // much as one clause naming both does; "如需拆机，请先按下列方式归还设备" points to a task
        // done first, which is not.
        r.forward_ending |= c.has(Concept::Forward)
            && (c.has(Concept::Terminate) || after_purpose && !own_task(clause));
        for_ending = purpose_of_ending(clause, c);
        // A negation about money ("we cannot offer partial refunds for cancellation", 恕不退還)
        // or notice ("no longer allowed to require a month's notice of cancellation") denies
        // the refund or the notice, not ending the service or a channel for it; the money or
        // notice comes before the ending word, or is a compound that starts with it ("cannot
        // charge you a cancellation fee"; "cannot be cancelled or refunded" still denies
        // ending).
        // A notice refused through a way ("Notices given by email … shall not be accepted as
        // notice of termination", round 33's review) refuses that way.
        let refuses_way = c.has(Concept::Rejection) && (c.has(Concept::Online) || plain_online);
        // "【通知】线上销户功能即将上线": an announced way is no notice period denied.
        let about_terms = !refuses_way
            && !announced
            && [Concept::Refund, Concept::Fee, Concept::Notice]
                .into_iter()
                .any(|m| {
                    c.has(m)
                        && (!c.has(Concept::Terminate) || !hits.before_all(Concept::Terminate, m))
                });
        // A way for other errands only is no qualifier of the ending: its "only" (僅, 只) limits
        // the way.
        let only_other = c.has(Concept::Online)
            && !c.has(Concept::Terminate)
            && ONLY_HANDLES
                .iter()
                .filter_map(|w| clause.find(w).map(|at| &clause[at + w.len()..]))
                .any(|rest| OTHER_ERRANDS.iter().any(|e| rest.contains(e)));
        let negation = ((c.has(Concept::Negation)
            || c.has(Concept::Rejection)
            || c.has(Concept::Online) && pilot_over(clause) && !replaced_by_new(normalised))
            && (!c.has(Concept::Consequence)
                || c.has(Concept::Online) && arrears_lines(clause, &hits))
            && !about_terms
            && !conditional(clause)
            && !preconditioned
            && !alone(clause))
            || (continues && !c.has(Concept::Consequence) && !about_terms)
            || only_other;
        carried = negation;
        // Only where a bare item before it named an online way: "营业厅、10086热线不受理" refuses
        // no online way.
        if negation
            && in_list
            && plain_online
            && !online_before_list
            && (list_bare || refuses_all_listed(clause, &hits))
        {
            // The items named bare before it are refused with it ("网上营业厅、手机营业厅的线上
            // 销户功能停止受理"; 均, 都, 一律: all of them).
            plain_online = false;
            if !c.has(Concept::Online) {
                r.negated = true;
                way_denied = true;
                continue;
            }
        }
        if !only_other && (c.has(Concept::Qualifier) || (negation && restricted(clause, &hits))) {
            // "部分业务暂不支持自助注销": a negation for some services only qualifies; a
            // qualified offer ("部分地区支持线上注销") is an offer for some.
            if negation {
                partial_denial = true;
            } else {
                r.qualified = true;
            }
            continue;
        }
        plain_online |= c.has(Concept::Online) && !negation;
        plain_offline |= c.has(Concept::Offline) && !negation;
        demanded |= !negation
            && !c.has(Concept::Online)
            && hits
                .first_at(Concept::Offline)
                .is_some_and(|at| demand::demands_offline(clause, at));
        if !negation {
            list_bare &= !in_list || clause.chars().nth(BARE_ITEM_CHARS).is_none();
            continue;
        }
        if c.has(Concept::Online) {
            r.negated = true;
            way_denied = true;
        } else if c.has(Concept::Offline) {
            r.negated_offline = true;
        } else if unpaid_condition(clause, &hits) || about_the_text(clause) {
            // "Services cannot be cancelled if there are outstanding balances": unpaid bills
            // hold ending up, they do not deny it; "this article does not apply to fibre
            // cancellation" speaks of the page.
        } else if hits.before_all(Concept::Negation, Concept::Terminate)
            || hits.before_all(Concept::Rejection, Concept::Terminate)
        {
            // Only a negation before the first ending word denies ending: in "cancelling the
            // service doesn't cancel these payments" the ending is what the sentence is about.
            r.negated = true;
            r.cannot_end = true;
            // In the same clause as the refusal: "請透過以下方式辦理" after a refusal points to
            // the ways offered instead.
            refusal_points |= WAYS_FORWARD.iter().any(|w| clause.contains(w));
        } else if plain_online && (lacks || points_back_to_place(clause)) {
            // "The app is great for paying bills, but line termination isn't available there":
            // the place named before is the way denied (round 39).
            r.negated = true;
            way_denied = true;
        } else if c.has(Concept::Terminate) && lacks {
            // "無終止服務呢個掣" with no way named: the function to end is missing, as "cannot be
            // cancelled" says (round 39).
            r.negated = true;
            r.cannot_end = true;
        } else if c.has(Concept::Rejection) {
            // "…submitted online, however, will not be accepted": a refusal in a clause of its own.
            r.negated = true;
            way_denied = true;
        }
    }
    // The notice named in an earlier clause of the sentence, its ways listed after ("Written
    // notice under clause 9.1 may be given (a) by email …", round 41); not where the sentence
    // refuses one ("A Written Notice under Clause 11.1 … sent by electronic mail … shall not be
    // effective").
    r.request_notice |= r.all.has(Concept::Online)
        && !r.all.has(Concept::Negation)
        && !r.all.has(Concept::Rejection)
        && REQUEST_NOTICES[..NOTICE_REFERENCES]
            .iter()
            .any(|w| normalised.contains(w));
    // "Communications sent by email, SMS, through the website or app, or made orally to the
    // hotline shall not constitute a Termination Notice": a refusal that closes a sentence
    // listing ways, none of them offered, refuses them all (round 39).
    if last_rejects
        && plain_online
        && !r.negated
        && !OFFERING.iter().any(|w| normalised.contains(w))
    {
        r.negated = true;
        way_denied = true;
    }
    // "No notice of termination given by telephone, facsimile, …, the Company's website or any
    // other electronic means shall be effective": a refusal that opens the list of ways refuses
    // every way in it, however long the list (round 43).
    if plain_online && !r.negated && VOIDS_EVERY_WAY.iter().any(|w| normalised.contains(w)) {
        r.negated = true;
        way_denied = true;
    }
    // "流量用完自動續費，當月無法退訂": a bare "cannot be cancelled" with nothing named to end
    // takes its object from the sentence, and the sentence is about an add-on.
    if r.cannot_end && about_addon_only(r) {
        r.addon = r.addon.union(r.service);
        r.service = Concepts::default();
        (r.negated, r.cannot_end) = (false, false);
    }
    // "須到自有營業廳辦理，代理營業廳無法辦理": a channel offered in one clause is not taken
    // back by denying another offline channel in the next.
    r.negated_offline &= !plain_offline;
    r.offline_demanded = demanded && !plain_online;
    // "合约期内不能销号，否则要交违约金", "you can't leave early, otherwise a fee applies": what
    // cannot be done without paying can be done, at a cost. A way denied in another clause
    // ("you cannot cancel online, and …") stays denied.
    if at_a_cost && r.cannot_end {
        (r.negated, r.cannot_end) = (way_denied, false);
    }
    // Only a qualified denial: the statement is a denial for some products or places.
    if partial_denial && !r.negated && !plain_online && !at_a_cost {
        r.negated = true;
        r.cannot_end = true;
        r.qualified = true;
    } else if partial_denial && !at_a_cost {
        r.partial_denial = true;
    }
    // "一份手機契約通常不可能在到期前解約", "during this period you are unable to terminate
    // your line": ending is held off until a term is over. That says when, not whether or
    // through which channel; readers of real pages label it so (round 17: 110 such pages
    // unknown, 6 not-supported). A term window is no qualification by product either.
    if r.cannot_end
        && !way_denied
        && !r.service.has(Concept::Online)
        && held_until_term_end(normalised)
    {
        (r.negated, r.cannot_end, r.qualified) = (false, false, false);
    }
    r.refuses_ways = r.cannot_end && refusal_points && !r.online() && !r.offline();
    // "线上销户目前仅在部分省份试点，本省暂未开通": a pilot elsewhere, denied here. The page is the
    // reader's province's, so the denial is theirs, not one for some places only.
    // Read only when there is a qualification to drop (most sentences have none).
    if (r.qualified || r.partial_denial)
        && (r.negated && NOT_HERE_YET.iter().any(|w| normalised.contains(w))
            || PILOT_OVER.iter().any(|w| normalised.contains(w)))
    {
        (r.qualified, r.partial_denial) = (false, false);
    }
    if r.service.has(Concept::Online)
        && r.service.has(Concept::Offline)
        && online_set_aside(lexicon, normalised)
    {
        r.service.remove(Concept::Online);
    }
    // Looked for only after a trap: most sentences have none.
    r.trap_turned = last_trap.is_some_and(|t| {
        TURNS
            .iter()
            .filter_map(|w| normalised.rfind(w))
            .max()
            .is_some_and(|u| t < u)
    });
    r
}

/// Is the clause's ending told as done already, in the passive ("has been cancelled", 已被注销,
/// 被销号)? The passive word stands right before the ending word. Text is normalised.
fn ended_already(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
    const PASSIVE: [&str; 6] = [
        "has been ",
        "have been ",
        "had been ",
        "was ",
        "were ",
        "is already ",
    ];
    let Some(head) = hits
        .first_at(Concept::Terminate)
        .and_then(|at| clause.get(..at))
    else {
        return false;
    };
    // A word of manner may stand between ("has been permanently disconnected"): the last 24
    // characters are read.
    let near = head
        .char_indices()
        .rev()
        .nth(23)
        .map_or(head, |(i, _)| &head[i..]);
    // 被 a few characters before (被强制注销), 已 right before (已注销): not 已决定销户 ("have
    // decided to cancel").
    let passive_cjk = head.chars().rev().take(3).any(|c| c == '被') || head.ends_with('已');
    // "If you were to cancel" is a supposition, not a passive.
    PASSIVE.iter().any(|w| {
        near.rfind(w).is_some_and(|i| {
            let mut between = near[i + w.len()..].split_whitespace();
            let first = between.next();
            between.next().is_none() && first != Some("to")
        })
    }) || passive_cjk
}

/// Words that bound a refusal to end by a term still running (after the fold and lower-casing).
const UNTIL_TERM_END: [&str; 31] = [
    "before the end of",
    "before the expiry",
    "before expiry",
    "before it expires",
    "before the contract",
    "before the term",
    "during the minimum",
    "during the contract",
    "during the term",
    "during the initial",
    "during this period",
    "within the minimum",
    "lock-in",
    "到期前",
    "未到期",
    "期满前",
    "合约期内",
    "合同期内",
    "协议期内",
    "承诺期内",
    "在网期内",
    // 提前 before an ending word is "early"; alone it is also "in advance" (提前30天, 提前查阅).
    "提前解约",
    "提前终止",
    "提前退租",
    "提前销户",
    "提前注销",
    "提前拆机",
    "提前取消",
    "提前退网",
    "提前销号",
    "提前解除",
];

/// Is a refusal to end bound by a term still running? Text is normalised.
fn held_until_term_end(normalised: &str) -> bool {
    // "early" as a word of its own ("cannot cancel early"): not "yearly", "clearly", "nearly",
    // nor the name "Early Bird".
    let early = normalised.match_indices("early").any(|(i, w)| {
        whole_word(normalised, i, w.len())
            && !normalised[i..].starts_with("early bird")
            && !normalised[i..].starts_with("early termination fee")
    });
    UNTIL_TERM_END.iter().any(|w| normalised.contains(w)) || early
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
    after || before
}

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

/// How a sentence starts when it goes on with the one before it ("Just…", "Simply…", 只需…).
/// Not "Alternatively, …" (round 27, tried for en-6707 and dropped after the review: "…call us
/// to cancel. Alternatively, you can pause your service in the app" offers another errand as
/// often as another way).
const GOING_ON: [&str; 4] = ["just ", "simply ", "只需", "直接"];

/// How a sentence opens that offers another way for what the sentence before said ("Call us to
/// cancel. Alternatively, you can use the online form.", "拨打10086办理销户。也可以登录APP办理。").
const ALTERNATIVES: [&str; 22] = [
    "or ",
    "alternatively",
    "you can also ",
    "you may also ",
    "you could also ",
    "customers can also ",
    "customers may also ",
    "also, ",
    "也可以",
    "也可",
    "亦可",
    "或者",
    "或可",
    "另可",
    "您也可",
    "你也可",
    "您亦可",
    "你亦可",
    "客户也可",
    "客户亦可",
    "用户也可",
    "用户亦可",
];

/// What may stand between a Chinese opening and the way ("或者，您也可以登录APP", "亦可以透過").
const ALTERNATIVE_FILLERS: [&str; 8] = [
    "您也可以",
    "你也可以",
    "您亦可以",
    "你亦可以",
    "以",
    "您",
    "你",
    "也",
];

/// Words of a task of its own after such an opening: looking something up, reading it, booking
/// a visit, topping up or buying ("You can also view your bill online", 也可以先在APP上预约,
/// 也可以使用APP充值) is not another way to do what was said before.
const LOOK_UP: [&str; 25] = [
    "view",
    "check",
    " see ",
    "track",
    "learn",
    "read ",
    "find ",
    "查看",
    "查询",
    "了解",
    "查詢",
    "下載",
    "预约",
    "查阅",
    "充值",
    "缴费",
    "交费",
    "购买",
    "订购",
    "升级",
    "变更",
    "换卡",
    "补卡",
    "挂失",
    "流量包",
];

/// How the way itself opens after the alternative's opening, in English: a verb of using a
/// channel or a word for the channel ("Or you can use the online form", "Alternatively, log in
/// to My Account", "You can also do this by email"). Anything else ("You can also pay online",
/// "… upgrade online") is a task of its own.
const WAY_WORDS: [&str; 25] = [
    "use", "try", "do", "go", "visit", "log", "sign", "submit", "send", "email", "e-mail", "fill",
    "complete", "contact", "chat", "call", "write", "message", "request", "apply", "through",
    "via", "by", "online", "in",
];

/// How the way itself opens after the alternative's opening, in Chinese. Not bare 以: after
/// 也可 it is mostly 可以's second half ("您也可以吃完饭再去"), which the fillers strip.
const WAY_OPENERS: [&str; 33] = [
    "登录",
    "通过",
    "使用",
    "前往",
    "到",
    "致电",
    "拨打",
    "发送",
    "在线",
    "线上",
    "网上",
    "于",
    "在",
    "用",
    "经",
    "填写",
    "提交",
    "递交",
    "办理",
    "电邮",
    "联系",
    "自助",
    "以书面",
    "直接",
    "透过",
    "上网",
    "登入",
    "去",
    "亲临",
    "携带",
    "致函",
    "书面",
    "喺",
];

/// Does the normalised sentence open with another way for what was said before, with no task
/// of its own?
fn offers_alternative(normalised: &str) -> bool {
    let Some(rest) = ALTERNATIVES.iter().find_map(|w| normalised.strip_prefix(w)) else {
        return false;
    };
    if own_purpose(normalised) || LOOK_UP.iter().any(|w| normalised.contains(w)) {
        return false;
    }
    let mut rest = rest.trim_start_matches([',', ' ', '，']);
    for w in [
        "you can ",
        "you may ",
        "you could ",
        "customers can ",
        "customers may ",
        "also ",
        "simply ",
        "just ",
    ] {
        rest = rest.strip_prefix(w).unwrap_or(rest);
    }
    for w in ALTERNATIVE_FILLERS {
        if let Some(r) = rest.strip_prefix(w)
            && !WAY_OPENERS.iter().any(|o| rest.starts_with(o))
        {
            rest = r;
        }
    }
    // Folded text: Traditional 透過 / 登錄 / 親臨 read as their Simplified forms.
    let word = rest
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .next()
        .unwrap_or("");
    WAY_WORDS.contains(&word) || WAY_OPENERS.iter().any(|w| rest.starts_with(w))
}

/// Where a sentence turns from what it said before (after the fold and lower-casing).
const TURNS: [&str; 3] = [" but ", " however ", "但"];

/// A table cell that only says yes or no answers its header's question.
pub fn yes_no(cell: &str) -> Option<bool> {
    yes_no_folded(&for_matching(cell))
}

/// [`yes_no`] of a cell already folded.
pub(crate) fn yes_no_folded(t: &str) -> Option<bool> {
    let t = t.trim_matches(|c: char| c.is_whitespace() || c == '.' || c == '。');
    // A footnote's mark after the answer ("Y*", "Yes※", round 45's reviews).
    let t = t.trim_end_matches(['*', '＊', '※', '†', '#']).trim_end();
    // A tick before where to find it ("✓ Settings › My services › Cancel", round 34's
    // held-out review) or a cross before a note.
    if t.starts_with(['✓', '✔', '√']) {
        return Some(true);
    }
    if t.starts_with(['✗', '✘', '×']) {
        return Some(false);
    }
    // Else a yes or no is a word or two: a long cell is read no further.
    if t.len() > YES_NO_BYTES {
        return None;
    }
    match t {
        "支持" | "是" | "可以" | "可" | "有" | "开通" | "已开通" | "全国开通" | "yes" | "y"
        | "可供使用" | "提供" | "available" | "✓" | "✔" | "√" | "可办理" | "受理" => {
            Some(true)
        }
        "不支持" | "暂不支持" | "否" | "不可以" | "不可" | "不能" | "无" | "没有" | "未开通"
        | "暂未开通" | "不适用" | "不提供" | "no" | "n" | "not available" | "unavailable" | "✗"
        | "✘" | "×" | "x" | "不受理" | "不可办理" => Some(false),
        // Round 39: a way not open yet, or not for this row (表內網上途徑「暫不適用」).
        "暂不适用" | "暂不提供" | "暂未开放" | "暂不受理" | "not yet available"
        | "not applicable" | "n/a" | "coming soon" | "即将推出" | "❌" => Some(false),
        // A dash in a cell of a table of ways ("✓ 可辦理；— 不受理", round 34's reviews); read
        // only under a way's column ([`is_dash`]).
        _ if is_dash(t) => Some(false),
        _ => None,
    }
}

/// Longest folded cell (in bytes) that can be a yes or no ("not available", 暂未开通 with a
/// tick's spaces).
const YES_NO_BYTES: usize = 48;

/// The answer a table cell opens with before a dash or a comma ("No – the app shows usage
/// only", "Yes, with photo ID": round 35's reviews), when it does not answer whole.
/// `folded` is the cell after the fold.
pub fn cell_answer(folded: &str) -> Option<bool> {
    yes_no_folded(folded).or_else(|| {
        let (head, rest) = folded.split_once(['–', '—', '-', ',', '，', ':', '：', '('])?;
        (!rest.trim().is_empty())
            .then(|| yes_no_folded(head.trim()))
            .flatten()
    })
}

/// Is the cell, after the fold, only a dash ("—", "-", a full-width "－" folded)?
pub fn is_dash(cell: &str) -> bool {
    matches!(cell, "—" | "–" | "-" | "--")
}

/// Does the answer open with an apology (很抱歉，…)? Under a question about the online way, the
/// first sentence of the answer that apologises refuses it ("Q2. 我可以在網路門市辦理退租嗎？" ›
/// "很抱歉，網路門市目前僅受理新辦及續約；…", round 40); later in an answer that said yes it
/// brings an exception (the read-through). `folded` is the sentence after the fold.
pub fn opens_with_sorry(folded: &str) -> bool {
    ["很抱歉", "非常抱歉", "抱歉"]
        .iter()
        .any(|w| folded.trim_start().starts_with(w))
}

/// Does the answer open with a plain no ("No.", "No, …", "Unfortunately not.", 不可以。)? Read
/// under a question about the online way, it refuses that way whatever it goes on to say.
/// `folded` is the answer after the fold.
pub fn opens_with_no(folded: &str) -> bool {
    const NO_OPENERS: [&str; 6] = [
        "unfortunately not",
        "unfortunately, no",
        "sorry, no",
        "i'm afraid not",
        "we're sorry, no",
        "no -",
    ];
    let t = folded.trim_start();
    // A whole answer, not "Unfortunately not all plans can be …": the opener ends at
    // punctuation, its own ("no -") or the text's.
    if NO_OPENERS.iter().any(|o| {
        t.strip_prefix(o).is_some_and(|rest| {
            o.ends_with(|c: char| c.is_ascii_punctuation())
                || rest.is_empty()
                || rest.starts_with(|c: char| c.is_ascii_punctuation() || "。，！".contains(c))
        })
    }) {
        return true;
    }
    let head = t
        .split(['.', ',', '。', '，', '!', '！', ';', '；', '—'])
        .next()
        .unwrap_or("");
    head.len() < t.len() && yes_no(head) == Some(false)
}

#[cfg(test)]
mod tests;
