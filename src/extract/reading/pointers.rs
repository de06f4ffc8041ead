//! Sentences that point back: "call us to do this", "it is the easiest way to cancel", a bare
//! imperative or another way offered for what the sentence before said, and endings that befall
//! the reader. The caller lends them the subject of the sentence before. Pure.

use super::addresses::has_web_path;
use super::{dialling, is_day};

/// "It is the easiest way to cancel your plan", "It is the quickest option for closing your
/// account", 这是最快的销户方式: a sentence that opens on what was said before and calls it a way.
/// Or one that opens on the people of the place just named, who do the ending there ("Bring the
/// letter to the shop; staff there process the cancellation", "Visit a store. There you can end
/// your contract", 营业厅工作人员会为您办理销户 after the shop). Text is normalised.
pub(super) fn names_way_back(normalised: &str) -> bool {
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
pub(super) const SENT_THERE: [&str; 5] = [
    "please visit ",
    "please go to ",
    "please call ",
    "please contact ",
    "please come to ",
];

/// Round 30: the bare imperative does the same ("Our team can close the account for you. Call
/// 0800 123 456."), when it sends the reader to a place or a line, not to the web: "Visit
/// www.example.com/deals" after a call to cancel is the site's address, not a second way.
pub(super) const SENT_BARE: [&str; 16] = [
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
pub(super) const WEB_WORDS: [&str; 10] = [
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
pub(super) const MUST_DO: [&str; 7] = [
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
pub(super) const CHANNEL_VERBS: [&str; 12] = [
    "visit", "call", "contact", "go", "come", "ring", "phone", "write", "send", "speak", "talk",
    "hand",
];

/// The sentence sends the reader to a place or a line, or says what they must do, for what was
/// said before, not with a question of their own ("Please contact us if you have any
/// questions"). Text is normalised.
pub(super) fn sent_there(normalised: &str) -> bool {
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
pub(super) fn own_purpose(normalised: &str) -> bool {
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

/// How a sentence starts when it goes on with the one before it ("Just…", "Simply…", 只需…).
/// Not "Alternatively, …" (round 27, tried for en-6707 and dropped after the review: "…call us
/// to cancel. Alternatively, you can pause your service in the app" offers another errand as
/// often as another way).
pub(super) const GOING_ON: [&str; 4] = ["just ", "simply ", "只需", "直接"];

/// How a sentence opens that offers another way for what the sentence before said ("Call us to
/// cancel. Alternatively, you can use the online form.", "拨打10086办理销户。也可以登录APP办理。").
pub(super) const ALTERNATIVES: [&str; 22] = [
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
pub(super) const ALTERNATIVE_FILLERS: [&str; 8] = [
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
pub(super) const LOOK_UP: [&str; 25] = [
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
pub(super) const WAY_WORDS: [&str; 25] = [
    "use", "try", "do", "go", "visit", "log", "sign", "submit", "send", "email", "e-mail", "fill",
    "complete", "contact", "chat", "call", "write", "message", "request", "apply", "through",
    "via", "by", "online", "in",
];

/// How the way itself opens after the alternative's opening, in Chinese. Not bare 以: after
/// 也可 it is mostly 可以's second half ("您也可以吃完饭再去"), which the fillers strip.
pub(super) const WAY_OPENERS: [&str; 33] = [
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
pub(super) fn offers_alternative(normalised: &str) -> bool {
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
pub(super) const TURNS: [&str; 3] = [" but ", " however ", "但"];
