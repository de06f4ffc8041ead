//! Kinds of product and groups of customers: the kinds a sentence, a heading, a lead-in, a row
//! header or the page's title names, and whom the page is written for. Pure.

use super::labels::{
    LATEST_WORDS, NOTE_LABELS, aspect_label, clause_label, faq_marker, label_split, numbered_note,
    numbered_section, says_something, speaker_label, step_label,
};
use super::notices::updates;
use super::{CHANNEL_LABELS, HEADER_SENTENCES, PRODUCT_CHARS, Page, ROW_PRODUCT_CHARS};
use crate::extract::block::{MAX_CONTEXT_CHARS, cut_chars};
use crate::extract::lexicon::Concept;
use crate::extract::reading::Object;
use crate::extract::structure::{Role, introduces};
use crate::extract::verdict::Stance;

use super::word_sets::WordSets;
use std::sync::LazyLock;

/// Kinds of product a page may answer differently for, by the words that name them (after the
/// fold and lower-casing). Broader words (SIM, plan, service) name no kind.
pub(super) const KINDS: [(&str, &[&str]); 8] = [
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
            // Round 55's waves: pages for business accounts that name them only by what they
            // use ("corporate-liable line", "company letterhead", the "Business Portal",
            // 公司信箋, 公司帳戶, 商務客戶).
            "corporate-liable",
            // Its sixth wave: a business fleet's page ("The Fleet Portal shows each line's
            // status…").
            "fleet portal",
            "fleet line",
            "fleet lines",
            "fleet account",
            "company letterhead",
            "business portal",
            "公司信笺",
            "公司信头",
            "公司账户",
            "公司帐户",
            "商务客户",
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
            // Round 55's second wave: "Personal plans can be ended in the Kestrel app" on a
            // page for corporate lines.
            "personal plan",
            "personal plans",
            "individual customer",
            "individual customers",
            "个人客户",
            "个人用户",
            "个人户",
        ],
    ),
    // Round 51 (its first wave): home broadband beside a mobile line (宽带拆机暂不支持在APP办理
    // beside a watch's eSIM number closed in the app) answers for its own product. Not a bare
    // 宽带: 校园卡套餐含…校园宽带绑定 names what the card's plan holds.
    (
        "broadband",
        &[
            "宽带拆机",
            "家庭宽带",
            "宽带业务",
            "home broadband",
            "home internet",
            "fibre broadband",
        ],
    ),
];

/// Groups of customers a page may be written for, beside the kinds of [`KINDS`], after the fold:
/// read in the page's title only ([`Page::title_audience`]), since in a sentence their words
/// mostly name a document ("bring your passport") or a fee, not whom it speaks of (round 45's
/// reviews: pages for passport holders, 副卡, accounts in arrears, numbers in their term).
pub(super) const AUDIENCES: [(&str, &[&str]); 7] = [
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
            // Round 51 (its second wave): "Leaving China? Your Moving-Out Checklist for Expats".
            "expat",
            "expats",
            // Round 52's first wave: 非香港身份證持有人服務指南, "Services for visitors and
            // non-permanent residents".
            "非香港身份证",
            "non-hkid",
            "visitors",
            "non-permanent resident",
            "non-permanent residents",
            // Round 52's third wave: 以旅行證件登記之客戶服務指南, 非香港居民申請月費計劃.
            "旅行证件",
            "非香港居民",
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
            // Round 52's second wave: 闔家歡共享方案 附屬門號.
            "附属门号",
            // Round 53's first wave: 全家共享計劃：附屬號碼使用者指南.
            "附属号码",
            // Round 52's third wave: 加購門號說明, "DataShare Add-a-Line".
            "加购门号",
            "add-a-line",
            "added line",
            "added lines",
            "成员号码",
            // Round 53's first wave: 家庭共享方案成員門號 Q&A.
            "成员门号",
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
            // Round 51 (its second wave): "Together plans: questions from members".
            "members",
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
            // Round 52's third wave: "5G Device Bundle Plans – FAQ", "Phone + Plan Bundles FAQ".
            "device bundle",
            "plan bundle",
            "plan bundles",
            "device balance",
            // Round 48: 存費送機、合約套餐用戶須知; "Leaving with a phone still on repayments".
            "合约套餐",
            "有效合约",
            "repayments",
            // Round 51 (its second wave): 合约活动用户提前退网说明.
            "合约活动",
            "提前退网",
        ],
    ),
    // Round 51 (its second wave): campus cards (毕业季校园卡办理指南: 线上注销对校园卡不开放).
    ("campus card", &["校园卡", "校园套餐"]),
    // Round 52's second wave: pages for minors' lines (未成年人申辦門號須知, 學生安心方案 家長須知).
    ("minor", &["未成年", "未满18岁", "未满 18 岁", "家长须知"]),
];

/// The words of [`KINDS`], group by group, for one pass over a text.
static KIND_WORDS: LazyLock<WordSets> = LazyLock::new(|| WordSets::new(KINDS.map(|(_, w)| w)));

/// The words of [`AUDIENCES`], group by group, for one pass over a text.
static AUDIENCE_WORDS: LazyLock<WordSets> =
    LazyLock::new(|| WordSets::new(AUDIENCES.map(|(_, w)| w)));

/// The kinds of [`KINDS`] that are a SIM's form.
pub(super) const SIM_FORMS: [&str; 2] = ["eSIM", "physical SIM"];

/// Words for broadband, after the fold: a kind of product only as a table row's subject
/// ([`Page::block_product`]). In a sentence it names what a page about broadband is about.
pub(super) const BROADBAND: [&str; 3] = ["broadband", "宽带", "宽频"];

/// The product a row's label names for its cells or marks, given the kinds it names: its one
/// kind, or broadband (宽带拆机 beside 手机号码销户, round 34's reviews).
pub(super) fn row_kind(kinds: &Kinds, label: &str) -> Option<String> {
    match kinds {
        Kinds::Some(kinds) if kinds.len() == 1 => kinds.first().cloned(),
        Kinds::None if names_broadband(label) => Some("broadband".to_string()),
        _ => None,
    }
}

/// Does `text` name broadband as a word ("Home broadband", 宽带拆机)?
pub(super) fn names_broadband(text: &str) -> bool {
    let folded = crate::extract::normalise::for_matching(text);
    BROADBAND.iter().any(|w| names_word(&folded, w))
}

/// How many blocks must name a kind for it to be the page's own ([`Page::dominant_kind`]).
const DOMINANT_BLOCKS: usize = 3;

/// How many blocks are read for the page's own kind ([`Page::dominant_kind`]).
const DOMINANT_LOOK: usize = 400;

/// Which of the counts of blocks is the page's own: at least [`DOMINANT_BLOCKS`] and at least
/// twice each other count.
fn dominant(counts: &[usize]) -> Option<usize> {
    let (top, &n) = counts.iter().enumerate().max_by_key(|&(_, n)| *n)?;
    let next = counts
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != top)
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0);
    (n >= DOMINANT_BLOCKS && n >= 2 * next.max(1)).then_some(top)
}

/// How far down the page its title is looked for ([`Page::title_kind`]).
pub(super) const TITLE_BLOCKS: usize = 8;

/// How many blocks after the title the paragraph that opens the page is looked for, and how
/// many of its characters are read for whom the page is for.
pub(super) const INTRO_LOOK: usize = 2;

pub(super) const INTRO_CHARS: usize = 200;

/// Words that open a paragraph saying whom the page is for, after the fold, looked for in its
/// first [`SCOPE_OPENER_CHARS`] characters.
pub(super) const SCOPE_OPENERS: [&str; 14] = [
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

pub(super) const SCOPE_OPENER_CHARS: usize = 40;

/// How many blocks under a heading may hold its scope line ([`Page::scope_kinds`]).
pub(super) const SCOPE_LINES: usize = 3;

/// Labels of a scope line, after the fold, read at the start of a line (适用 covers 适用对象).
pub(super) const SCOPE_LABELS: [&str; 6] = [
    "适用",
    "applies to",
    "applicable to",
    "eligible",
    "who can",
    "适合",
];

/// How much of a line is folded to look for a scope label, in characters.
pub(super) const SCOPE_LABEL_CHARS: usize = 16;

/// What kinds of product a sentence names.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Kinds {
    None,
    /// One kind ("eSIM"), or several that are not every line (prepaid and eSIM).
    Some(Vec<String>),
    /// Prepaid and postpaid together: every line, so no product in particular.
    Everyone,
}

impl Kinds {
    /// The kinds named, when they set some lines apart (not none, not every line).
    pub(super) fn particular(self) -> Option<Vec<String>> {
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
pub(super) fn kinds_named(sentence: &str) -> Kinds {
    let text = crate::extract::normalise::for_matching(sentence);
    let found = KIND_WORDS.named(&text);
    let named: Vec<&str> = KINDS
        .iter()
        .enumerate()
        .filter(|(i, _)| found.has(*i))
        .map(|(_, (kind, _))| *kind)
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

/// Does `folded` name a group of customers ([`AUDIENCES`]: 副卡, passport holders, accounts
/// in arrears)?
pub(super) fn names_group(folded: &str) -> bool {
    AUDIENCE_WORDS.named(folded).any()
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

impl<'a> Page<'a> {
    /// The product a statement is about when the page names it: the row header of a cell, a
    /// short label before a colon ("中国移动：…", "eSIM: …") that is not itself wording, or else
    /// the kinds of product the sentence names ("eSIM customers can end their plan in the app",
    /// 儲值卡…須親臨門市, "Prepaid and eSIM customers…"). The kinds are looked for only in a
    /// statement that decides (related wording is answered for no product), as it folds the
    /// sentence once more. A list item's lead-in may name them too ([`Page::lead_in_kinds`]).
    pub(super) fn products(&self, k: usize, stance: Stance) -> Vec<String> {
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

    /// The page's title: its first heading under no other, among the first [`TITLE_BLOCKS`].
    pub(crate) fn title_block(&self) -> Option<usize> {
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
    pub(super) fn intro_block(&self, t: usize) -> Option<usize> {
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
        let (groups, in_intro) = (AUDIENCE_WORDS.named(&title), AUDIENCE_WORDS.named(&intro));
        let kinds = KIND_WORDS.named(&title);
        let named: Vec<(&'static [&'static str], bool)> = AUDIENCES
            .iter()
            .enumerate()
            .filter(|(i, _)| groups.has(*i) || in_intro.has(*i))
            .map(|(_, (_, words))| (*words, true))
            .chain(
                KINDS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| kinds.has(*i))
                    .map(|(_, (_, words))| (*words, false)),
            )
            .collect();
        let group = named.iter().any(|(_, group)| *group);
        let words: Vec<&'static str> = named
            .iter()
            .flat_map(|(words, _)| words.iter().copied())
            .collect();
        (!words.is_empty()).then_some((words, group))
    }

    /// The kind of customer, corporate or personal, that the page's blocks name far more often
    /// than the other ("商業賬戶…" down a page for business accounts whose title names none,
    /// beside one line on what personal customers may do, round 55's waves): named in at least
    /// [`DOMINANT_BLOCKS`] blocks and in at least twice as many as the other. Only these two:
    /// how a line is paid or held (postpaid, eSIM) is another question, and a page about
    /// postpaid lines says nothing by that of its personal or corporate customers. Each of the
    /// first [`DOMINANT_LOOK`] blocks is read in its first [`MAX_CONTEXT_CHARS`] characters.
    pub fn dominant_kind(&self) -> Option<String> {
        const CUSTOMERS: [&str; 2] = ["corporate", "personal"];
        let mut counts = [0usize; 2];
        for t in self.blocks.iter().take(DOMINANT_LOOK) {
            if let Some(kinds) = kinds_named(&cut_chars(t, MAX_CONTEXT_CHARS)).particular() {
                for (i, kind) in CUSTOMERS.iter().enumerate() {
                    counts[i] += usize::from(kinds.iter().any(|k| k == kind));
                }
            }
        }
        dominant(&counts).map(|i| CUSTOMERS[i].to_string())
    }

    /// The group of customers ([`AUDIENCES`]) the page's blocks name far more often than any
    /// other, though its title names none (a page for passport holders or for the members of a
    /// shared plan, round 55's waves): as [`Page::title_audience`] gives it, for a group.
    /// Named in at least [`DOMINANT_BLOCKS`] blocks and twice as many as the next group; each
    /// of the first [`DOMINANT_LOOK`] blocks is read in its first [`MAX_CONTEXT_CHARS`]
    /// characters.
    pub fn dominant_audience(&self) -> Option<(Vec<&'static str>, bool)> {
        let mut counts = [0usize; AUDIENCES.len()];
        for t in self.blocks.iter().take(DOMINANT_LOOK) {
            let folded = crate::extract::normalise::for_matching(&cut_chars(t, MAX_CONTEXT_CHARS));
            let named = AUDIENCE_WORDS.named(&folded);
            for (i, count) in counts.iter_mut().enumerate() {
                *count += usize::from(named.has(i));
            }
        }
        dominant(&counts).map(|i| (AUDIENCES[i].1.to_vec(), true))
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

    pub(super) fn labelled_product(&self, k: usize) -> Option<String> {
        self.block_product(self.sentences[k].block)
    }

    /// The product a row header names for its cells: a header that names nothing the lexicon
    /// knows, one kind of product, broadband, or a row that ends something of its own.
    pub(super) fn row_product(&self, h: usize) -> Option<String> {
        // A step's number ("1", "2", "3" down a table of steps, round 40) names no product;
        // nor does an aspect ("How", "Who can cancel" beside a column per account type, round
        // 42): the column's kind is the cell's.
        // Nor a way of reaching the provider ("Chat" › "Our chat team can't process
        // cancellations", round 54's opened probes).
        if self.blocks.get(h).is_some_and(|t| {
            let head = crate::extract::block::first_chars(t, PRODUCT_CHARS).trim();
            let folded = crate::extract::normalise::for_matching(head);
            clause_label(head)
                || aspect_label(&folded)
                || CHANNEL_LABELS.contains(&folded.as_str())
                // Nor a numbered section of an arrangement ("3. Documents and information
                // required" › "All termination requests must be submitted in person", round
                // 61's fourth wave).
                || numbered_section(head)
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
        // A row that buys or stops an add-on and names no kind of product ("購買／取消附加組合"
        // › App › ✔ beside "終止月費服務" › App › ✘, round 64's third wave) is no product of its
        // own: its cells answer for the add-on and decide nothing for the service. A kind it
        // names still is one ("Prepaid plans with Auto-Refill", the review of round 64).
        if hs.iter().take(HEADER_SENTENCES).any(|x| {
            let r = &x.reading;
            r.object() == Some(Object::Addon)
                || (r.all.has(Concept::Addon) || r.all.has(Concept::AutoRenewal))
                    && !r.all.has(Concept::Service)
        }) {
            return None;
        }
        if kinds != Kinds::None {
            return None;
        }
        // A row that ends something of its own ("Terminate SIM-only plan" beside "Terminate
        // handset plan") answers for that row: a tick in one and a dash in the other are two
        // answers, not a contradiction (round 39).
        // Nor does a row that ends the line or number itself (手机号码注销, "Cancel a line",
        // 销户) beside rows for broadband or an add-on: it answers for the page's own service,
        // so a tick there and a refusal of the same ending in the text are one question
        // answered twice (round 58's opened waves, 58aa/16).
        if ends_the_service_itself(&crate::extract::normalise::for_matching(&header)) {
            return None;
        }
        let rows = self.ending_rows(h);
        (rows > 1 && header.chars().nth(ROW_PRODUCT_CHARS).is_none())
            .then(|| header.trim().to_string())
    }

    /// The one kind of product a cell's column header names, for a table whose rows are ways
    /// and whose columns are products ("網上客戶服務中心" × "儲值卡／預繳卡" › ✗, round 40).
    pub(super) fn column_kind(&self, b: usize) -> Option<String> {
        let h = self.ctx(b).column_header?;
        match kinds_named(&cut_chars(self.blocks.get(h)?, MAX_CONTEXT_CHARS)) {
            Kinds::Some(mut kinds) if kinds.len() == 1 => kinds.pop(),
            _ => None,
        }
    }

    /// The product block `b` is labelled with: its row header, or a short label before a colon.
    pub(super) fn block_product(&self, b: usize) -> Option<String> {
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
        // Nor a clause ("會上，各企業匯報了工作計劃：…", round 55's fifth wave): a label has no
        // comma of its own.
        let link = label.contains('[') || label.contains(['，', ',']);
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
            && !NOTE_LABELS.contains(&matching.trim_matches(['*', '※', ' ', '(', '[']))
            && !LATEST_WORDS.iter().any(|w| matching.contains(w))
            // "2025年3月31日：试点已按计划结束" dates a statement; it names no product (round 42).
            && crate::extract::dates::line_date(label).is_none()
            // "Update 3 March: our online trial has ended" labels an update (round 43).
            && !updates(label)
            && !numbered_note(&matching)
            && !says_something(&matching))
        .then(|| label.to_string())
        .or_else(|| self.provider_heading(b))
    }
}

/// Words of a row header, after the fold, that name the line or number itself, or the ending
/// with nothing after it: such a row is the page's own service, not a product of its own. Not
/// "Cancel a line", which beside "Cancel your account" is one line of several (the review of
/// round 58).
const THE_SERVICE_ITSELF: [&str; 24] = [
    // Round 64's third wave: Hong Kong's rows (終止流動電話服務, 終止月費服務 › 網上客戶中心 › -
    // beside rows of add-ons and other errands).
    "终止流动电话服务",
    "终止流动服务",
    "终止月费服务",
    "终止月费计划",
    "终止服务计划",
    "终止服务",
    "cancel your service",
    "cancel service",
    "terminate service",
    "手机号码注销",
    "手机号码销户",
    "号码注销",
    "号码销户",
    // Round 61's first wave: the verb first (销号 › ✘ in a list of self-service errands).
    "注销号码",
    "注销手机号码",
    "销号",
    "门号退租",
    "门号终止",
    "销户",
    "退租",
    "cancel your line",
    "close your number",
    "close number",
    "close my number",
];

/// How many characters a row header may run on after such words ("销户 ¹", "退租*"): marks,
/// never words or a bracket (销户（副卡）, 退租(預付) are rows of their own).
const THE_SERVICE_ITSELF_TAIL: usize = 4;

/// Does a (folded) row header name ending the line or number itself and no other kind?
fn ends_the_service_itself(folded: &str) -> bool {
    let head = folded.trim();
    THE_SERVICE_ITSELF.iter().any(|w| {
        head.strip_prefix(w).is_some_and(|tail| {
            tail.chars().count() <= THE_SERVICE_ITSELF_TAIL
                && !tail
                    .chars()
                    .any(|c| c.is_alphanumeric() || "(（[【".contains(c))
        })
    })
}
