//! Errands other than ending: paying, topping up, changing the plan, looking something up, and
//! clauses of purpose ("to update your address") that give a way to another task. Pure.

use super::whole_word;
use crate::extract::lexicon::{Concept, Concepts};

/// Verbs of errands other than ending that a clause may open with ("Pay online", "Top up in
/// the app"), after an optional softener.
pub(super) const ERRANDS: [&str; 34] = [
    // Round 60 (60z-60ad, opened): a help page's side menu under "Cancel a plan or service":
    // "Change your plan online". Not "view your" or "check your": its review found them
    // opening steps of the ending ("How to cancel" › "1. View your plan in the app.").
    "change your plan",
    "changing your plan",
    "change plan",
    // Round 51 (its first wave): "Update your address in the app" under "Moving & disconnecting".
    "update your",
    "updating your",
    "book a relocation",
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
    // Round 63's fourth wave: a line installed or moved ("新裝機、移機：可於網路門市線上申請"
    // beside 用戶申拆 at the counter).
    "新装机",
    "装机",
    "移机",
    "开卡",
    "办卡",
    "入网",
];

/// Does the normalised clause open with the verb of another errand ([`ERRANDS`])?
pub(crate) fn other_errand(clause: &str) -> bool {
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
pub(super) const ONLY_HANDLES: [&str; 8] = [
    "仅受理",
    "只受理",
    "仅提供",
    "只提供",
    "仅办理",
    "只办理",
    "仅支持",
    "只支持",
];

/// Errands other than ending, after the fold. Round 49: a balance's refund and a reconnection
/// (网站/APP仅受理预付卡余额退费之申请；…退租均须…临柜办理); not a SIM replaced or a change of
/// owner, which also say which lines a way serves (仅支持已过户至本人名下的号码).
pub(super) const OTHER_ERRANDS: [&str; 19] = [
    "充值", "缴费", "缴纳", "查询", "查阅", "账单", "新办", "新装", "续约", "申办", "购买", "报装",
    "报修", "套餐", "流量", "增值", "漫游", "退费", "复机",
];

/// Looking something up on a website.
pub(super) const LOOKS: [&str; 5] = [
    "look on their website",
    "look at their website",
    "look on the website",
    "look at the website",
    "look on its website",
];

/// What a plan is changed to: the words that may follow "change your" (within three words).
pub(super) const PLAN_WORDS: [&str; 6] = [
    "plan",
    "plans",
    "package",
    "tariff",
    "bundle",
    "subscription",
];

/// Words before a verb that say it is what one may or wants to do.
pub(super) const MAY_DO: [&str; 11] = [
    "to", "can", "may", "could", "will", "easily", "also", "want", "wish", "you", "simply",
];

/// Chinese for changing a plan (after the fold): 变更套餐, 套餐变更, 改套餐…
pub(super) const PLAN_CHANGES: [&str; 18] = [
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
pub(super) fn changes_plan(clause: &str) -> bool {
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
pub(super) fn handled_there(clause: &str) -> bool {
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

/// How a clause opens that only says what the sentence is for: "to cancel", "if you wish to
/// end", 如需销户. Text is normalised.
pub(super) const PURPOSE: [&str; 17] = [
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
pub(super) fn purpose_of_ending(clause: &str, c: Concepts) -> bool {
    c.has(Concept::Terminate)
        && !c.has(Concept::Online)
        && !c.has(Concept::Offline)
        && !c.has(Concept::Forward)
        && PURPOSE.iter().any(|w| clause.trim_start().starts_with(w))
        && !own_task(clause)
}

/// Words by which the main clause after a purpose names a task of its own, done on the way to
/// ending: returning equipment, paying, anything done "first".
pub(super) const OWN_TASKS: [&str; 12] = [
    "first", "before", "return", "pay ", "settle", "先", "之前", "归还", "交还", "退还", "缴",
    "结清",
];

pub(super) fn own_task(clause: &str) -> bool {
    OWN_TASKS.iter().any(|w| clause.contains(w))
}

/// Tasks other than ending, as a clause of purpose opens with them ("To update your mailing
/// address, …", 如需查询话费，…). Normalised text; an English one is a whole word.
pub(super) const OTHER_TASKS: [&str; 22] = [
    "update", "change", "check", "view", "pay", "top up", "recharge", "upgrade", "buy", "track",
    "activate", "register", "report", "查询", "查看", "变更", "更改", "修改", "缴费", "充值",
    "开通", "购买",
];

/// Does the clause open as a purpose naming another task right after its opening ("to update
/// …", "if you want to check …", 如需查询…)? Then what the clause after it does is for that task,
/// when it names no ending or way itself.
pub(super) fn purpose_of_other(clause: &str) -> bool {
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
