//! When a way is told of: announced for later, a launch still to come, a trial that is over,
//! a way in the past or replaced, an ending already done, a belief the page corrects. A way told
//! of at such a time is no way offered now. Pure; reads folded or normalised text.

use super::{ANNOUNCE_LOOK, BRACKET_CHARS, whole_word};
use crate::extract::lexicon::Concept;

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
pub(super) const LATER: [&str; 97] = [
    "working on",
    // Round 52's first wave: news of a launch ("to add in-app cancellation next quarter",
    // "plans to let postpaid subscribers close their lines through its app", 线上销户功能将于
    // 下季度上线, 最快明年第一季上路, 正在推进功能建设).
    "next quarter",
    "plans to add",
    "plans to let",
    "expected to launch",
    "will include the option",
    // 下季 covers 下季度 and Hong Kong's 計劃於下季在 App 加入 (its third wave).
    "下季",
    "明年初推",
    "季度上线",
    "正在推进",
    // Round 52's second wave: 相關規劃已向 NCC 報備 (a plan filed, not a way).
    "相关规划",
    // Round 52's third wave: 擬推 App 自助退台, 規劃明年第二季起試辦, 客戶屆時可…, 屆時用戶只需….
    "拟推",
    "拟开放",
    "明年第",
    "明年起",
    "规划明年",
    "届时用户",
    "用户届时",
    "客户届时",
    // Round 53's first wave: "it plans to launch an online cancellation service … in the third
    // quarter", "there is no date for the app feature", 我省将推出手机号码线上销户服务, 正在开发
    // 手机号码线上销户功能, 预计于今年第三季度…上线.
    "plans to launch",
    "plans to introduce",
    "no date for",
    "将推出",
    "正在开发",
    "今年第",
    "季度在",
    // Round 53's second wave: "it is testing a feature that would let subscribers close their
    // numbers … with a public launch expected in the third quarter", 擬明年開放線上退租,
    // 線上銷戶功能目前正在內部測試，上線時間以正式公告為準.
    "is testing a feature",
    "would let",
    "launch expected",
    "拟明年",
    "内部测试",
    "上线时间以",
    // Round 53's third wave: "…terminate their mobile lines in the app from the third quarter",
    // "starting in the third quarter", "Until the app feature launches", 明年首季將開放線上退租,
    // 線上銷戶將有效解決這一痛點. Not "will let": "Otterline will let customers end their plan in
    // its app" is news of a way there today (46bj/12).
    "second quarter",
    "third quarter",
    "fourth quarter",
    "feature launches",
    "明年首季",
    "首季将",
    "将有效",
    "将开放",
    "将提供",
    // Round 53's fourth wave: "it will add an End my plan option to its app in the first quarter
    // of next year", "A second phase … is planned to include … the ability to end a monthly plan
    // in the app", 「退租一定要跑門市」也可望鬆綁, 據介紹，上線後客戶通過人臉識別….
    "will add an",
    "of next year",
    "is planned to",
    "planned to include",
    "可望",
    "上线后客户",
    "上线后用户",
    // Round 54's first wave: "to let customers cancel online – from next year", "…from early
    // 2025", "in a change it expects to make in the second half of the year".
    "from next year",
    "from early 20",
    "from mid-20",
    "from late 20",
    "second half of",
    "first half of",
    "expects to make",
    "expects to launch",
    // Its second wave: "carriers are to roll out in-app cancellation … in stages during 2025",
    // 第三階段（規劃中）：月租型門號線上退租.
    "to roll out",
    "in stages",
    "规划中",
    // Its third wave: "to allow line termination via app from Q3", 正在規劃讓用戶透過 App 自行辦理
    // 退租, and a launch shelved ("would appear in its app…", "That button never went live",
    // "the project has been paused", "shelves its online cancel button").
    "from q1",
    "from q2",
    "from q3",
    "from q4",
    "正在规划",
    "never went live",
    "has been paused",
    "would appear",
    "shelves its",
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
pub(super) const PAST: [&str; 15] = [
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
    // 113年8月31日（含）前已於網路門市送出之退租申請 (round 53's third wave).
    "前已于",
    "used to be able",
    "until last year",
    "we trialled",
    "we trialed",
    "was trialled",
    "was trialed",
];

/// Words that put a whole sentence in the time after a launch announced before it, when they
/// open it ("届时，个人实名用户将可以在App中提交销户申请", round 52's second wave), after the
/// fold. Not 新功能上線後: news of a launch made today says it too ("即日起…可透過 App…";
/// "新功能上線後，用戶只要在APP點選…", 45l/27).
// 上線後 opening the sentence ("上线后，实名客户可以…在线提交销户申请", round 53's third wave);
// not 新功能上線後 (above).
pub(super) const FUTURE_OPENERS: [&str; 2] = ["届时", "上线后"];

/// Does the clause open with "until" and wait for a way's launch ("Until Cancel Online is
/// available, customers … can continue to call", "until the self-service option goes live",
/// round 61's waves)? The way it names is not there yet. Not "until 31 March you can still
/// cancel online" (a way there now, to a date). After the fold.
pub(super) fn until_launch(clause: &str) -> bool {
    const ARRIVES: [&str; 7] = [
        " is available",
        " becomes available",
        " goes live",
        " is live",
        " launches",
        " is launched",
        " is ready",
    ];
    let Some(rest) = clause.trim_start().strip_prefix("until ") else {
        return false;
    };
    // The wait ends the clause (the sentence's clauses are cut at commas): "Until the new app
    // is ready you can cancel online in My Account" goes on, and may offer a way there today.
    let head = rest.split([',', ';']).next().unwrap_or(rest).trim_end();
    ARRIVES.iter().any(|w| head.ends_with(w))
}

/// Words that put a whole clause in the past when they open it ("Years ago I cancelled a line
/// by just emailing", "An old guide I found says there's a Cancel button"), after the fold;
/// not "…introduced it years ago" (the read-through of round 39).
pub(super) const PAST_OPENERS: [&str; 4] = ["years ago", "an old guide", "几年前", "多年前"];

/// An opener of a launch to come and the launch verbs it may govern a few characters on, after
/// the fold: 「線上退租」功能即將於網路門市推出, 暂未对本省用户开放.
// 未在 and a plan (round 37): 销户业务未在网上营业厅上线, App 規劃於下一版本更新後開放.
pub(super) const LAUNCH_OPENERS: [&str; 11] = [
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
    // 新功能預計在 2025 年第二季、App 改版後推出 (round 54's third wave).
    "预计在",
];

// Not 开通: 尚未开通网上营业厅账号 is an account not opened yet (the read-through); 尚未开通 as
// a word is the lexicon's.
pub(super) const LAUNCH_VERBS: [&str; 3] = ["推出", "上线", "开放"];

/// How many characters may stand between the opener and the verb (对本省用户, 於網路門市).
pub(super) const LAUNCH_GAP: usize = 8;

/// Does `text` (folded) announce a way for later or say it is not open yet?
pub(crate) fn announces(text: &str) -> bool {
    announcing_words(text) || launch_to_come(text)
}

/// The same reach in a Latin-script sentence, whose words are longer in characters ("…through
/// its app once a new billing system goes live, which the company expects in the third
/// quarter", round 58). Only [`FAR_LATER`] words are read that far: a date word there is as
/// often a fee's or a report's ("…, and any discount you received in the first half of your
/// contract may need to be repaid", the review of round 58).
const ANNOUNCE_LOOK_LATIN: usize = 100;

/// Words of [`LATER`]'s kind, the launch words alone, that put a way in the future wherever they
/// stand in the next [`ANNOUNCE_LOOK_LATIN`] characters of a Latin-script sentence, after the
/// fold.
const FAR_LATER: [&str; 13] = [
    "company expects",
    "it expects",
    "expected to launch",
    "plans to",
    "is planned",
    "goes live",
    "go live",
    "to roll out",
    "later this year",
    "targeted",
    "once an upgrade",
    "once the upgrade",
    "end of next year",
];

/// Does the rest of a Latin-script sentence, beyond the reach of [`ANNOUNCE_LOOK`], put the
/// way named before it in the future?
pub(super) fn announced_far_on(after: &str) -> bool {
    let head = crate::extract::block::first_chars(after, ANNOUNCE_LOOK);
    let latin = head.chars().filter(|c| c.is_ascii()).count() * 4 >= head.chars().count() * 3;
    latin && {
        let far = crate::extract::block::first_chars(after, ANNOUNCE_LOOK_LATIN);
        FAR_LATER.iter().any(|w| far.contains(w))
    }
}

/// The words of [`ANNOUNCED`] and [`LATER`] alone: what the rest of a sentence after a way is
/// read for (an opener and a verb there may be another thing's: 人工客服将于每日8时开放).
pub(super) fn announcing_words(text: &str) -> bool {
    ANNOUNCED.iter().chain(&LATER).any(|w| text.contains(w))
}

/// Words that offer a way, after the fold: a sentence holding one is no list of refused ways.
pub(super) const OFFERING: [&str; 8] = [
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
pub(super) const AGENT_TAKES_IT: [&str; 4] = [
    "do that for you",
    "help with that here",
    "look after that",
    "process that here",
];

/// Does a clause point back to a place named before it ("…isn't available there", 在那里)?
pub(super) fn points_back_to_place(clause: &str) -> bool {
    clause
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "there" || w == "here")
        || ["那里", "该处", "那边"].iter().any(|w| clause.contains(w))
}

/// Does the sentence open with a short announcement and a colon before the clause ("Coming
/// soon: cancel online", "即將推出：網上終止服務")? Only the last [`BRACKET_CHARS`] characters
/// before the colon are read (round 39).
pub(super) fn announced_before(before: &str) -> bool {
    let Some(head) = before.trim_end().strip_suffix(':') else {
        return false;
    };
    let head = head.trim();
    head.chars().nth(BRACKET_CHARS).is_none() && ANNOUNCED.iter().any(|w| head.contains(w))
}

/// An opener and a launch verb a few characters on (即將於網路門市推出).
pub(super) fn launch_to_come(text: &str) -> bool {
    LAUNCH_OPENERS.iter().any(|o| {
        text.match_indices(o).any(|(at, _)| {
            let near = crate::extract::block::first_chars(&text[at + o.len()..], LAUNCH_GAP + 2);
            LAUNCH_VERBS.iter().any(|v| near.contains(v))
        })
    })
}

/// How far after an ending word 后 ("after") makes it a time: 退租生效后 is 5 characters.
pub(super) const AFTER_ENDING_CHARS: usize = 6;

/// Verbs of asking or telling ahead of an ending: a time counted back from the ending after one
/// of them is a notice period, and the request is the ending.
pub(super) const NOTICE_VERBS: [&str; 9] = [
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
pub(super) fn ended_before(head: &str, tail: &str, channel: bool) -> bool {
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

/// Words that take back an earlier statement, after the fold.
pub(super) const RETRACTED: [&str; 4] = ["不再适用", "no longer appl", "不再有效", "作废"];

/// Words for a trial of a way, and for its end having come: "「月租門號線上退租」試辦已於 2025 年
/// 1 月 31 日結束", "the online cancellation pilot ended on 31 March" (a date between them).
pub(super) const TRIALS: [&str; 5] = ["试办", "试点", "试行", "pilot", "trial"];

/// Does `folded` (after the fold) name a trial of a way ([`TRIALS`])?
pub(crate) fn names_a_trial(folded: &str) -> bool {
    TRIALS.iter().any(|w| folded.contains(w))
}

pub(super) const TRIAL_ENDED: [&str; 16] = [
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
pub(super) fn pilot_over(clause: &str) -> bool {
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
pub(super) const NOT_EXTENDED: [&str; 8] = [
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
pub(super) fn replaced_by_new(sentence: &str) -> bool {
    REPLACED_BY.iter().any(|w| sentence.contains(w))
}

/// Words of what replaces an ended way, after the fold.
pub(super) const REPLACED_BY: [&str; 9] = [
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
pub(super) const STOPPED_WITHIN: usize = 24;

/// Verbs of a way stopped, after the fold (not 取消, what a customer does: 已于3月1日取消自动续费).
pub(super) const STOPPED: [&str; 5] = ["停止", "下线", "关闭", "停用", "结束"];

/// Words that open what held before a change, after folding ("Previously, you could cancel in
/// the app", 此前…须到营业厅办理): the clauses they open are history, not a way offered or denied
/// now. Not 之前 (销户之前 is "before ending") nor "before" ("before you call").
pub(super) const PAST_WORDS: [&str; 21] = [
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
pub(super) fn opens_with(clause: &str, word: &str) -> bool {
    clause.strip_prefix(word).is_some()
        || PAST_SUBJECTS.iter().any(|s| {
            clause
                .strip_prefix(s)
                .is_some_and(|rest| rest.trim_start().starts_with(word))
        })
}

/// The first letters of [`PAST_WORDS`], [`PAST_SUBJECTS`] and [`before_a_date`]'s words.
pub(super) const PAST_FIRST: &str = "pifueatywcbu此以过原早从昔感客用我本您";

/// Is the word for the past really about it? "In the past" only as the clause itself ("In the
/// past, …") or in a sentence told in the past ("In the past 12 months you can …" is not); a
/// Chinese one not as a modifier (原先办理的合约: the contract signed then), the read-through of
/// round 43.
pub(super) fn told_of_the_past(clause: &str, word: &str, sentence: &str) -> bool {
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
pub(super) const MODIFIER_CHARS: usize = 4;

/// Does the clause open with a year that starts what holds now (由2024年起, 从2025年1月1日起)?
pub(super) fn from_a_year(clause: &str) -> bool {
    ["由", "从"].iter().any(|w| {
        clause
            .strip_prefix(w)
            .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// Who is told of in the past ([`opens_with`]), after the fold.
pub(super) const PAST_SUBJECTS: [&str; 9] = [
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
pub(super) fn before_a_date(clause: &str, sentence: &str) -> bool {
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
pub(super) fn told_in_the_past(sentence: &str) -> bool {
    PAST_MODALS.iter().any(|m| sentence.contains(m))
}

/// Verbs of a sentence told in the past, lower-cased.
pub(super) const PAST_MODALS: [&str; 6] = [
    " could ",
    " were able",
    " was ",
    " were ",
    " used to ",
    " had to ",
];

/// How long the date after "before" may be, up to its comma, in characters.
pub(super) const BEFORE_DATE_CHARS: usize = 24;

/// Words that turn from what held before to what holds now ("Now, please call", 现在可在APP办理).
pub(super) const NOW_WORDS: [&str; 19] = [
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
pub(super) const MISBELIEF: [&str; 6] = [
    "误以为",
    "误认为",
    "mistakenly believ",
    "mistakenly think",
    "wrongly assum",
    "wrongly believ",
];

/// The clause that corrects a belief: what follows it is the page's own word again.
pub(super) const CORRECTING: [&str; 6] = [
    "其实",
    "实际上",
    "事实上",
    "in fact",
    "actually",
    "in reality",
];

/// A denial for the reader's own province, after the fold (round 38's reviews).
pub(super) const NOT_HERE_YET: [&str; 6] = [
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
pub(super) const PILOT_OVER: [&str; 10] = [
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

/// Is the clause's ending told as done already, in the passive ("has been cancelled", 已被注销,
/// 被销号)? The passive word stands right before the ending word. Text is normalised.
pub(super) fn ended_already(clause: &str, hits: &crate::extract::lexicon::Hits) -> bool {
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
pub(super) const UNTIL_TERM_END: [&str; 31] = [
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
pub(super) fn held_until_term_end(normalised: &str) -> bool {
    // "early" as a word of its own ("cannot cancel early"): not "yearly", "clearly", "nearly",
    // nor the name "Early Bird".
    let early = normalised.match_indices("early").any(|(i, w)| {
        whole_word(normalised, i, w.len())
            && !normalised[i..].starts_with("early bird")
            && !normalised[i..].starts_with("early termination fee")
    });
    UNTIL_TERM_END.iter().any(|w| normalised.contains(w)) || early
}
