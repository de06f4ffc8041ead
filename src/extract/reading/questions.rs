//! Questions and speakers: a question asks and states no way (FAQ headings, 是否 that asks), a
//! speaker's label and what follows it, a wish ("I want to cancel"), a clause that cites or refutes.
//! Pure.

/// Words that report a question ("People often ask if the service can be stopped over the
/// internet", en-7102): the sentence asks, as a question does, and the next one may answer it
/// ("You can, through My Account"). Not bare "ask if": "call us and ask if you can cancel" is
/// the phone.
pub(super) const ASKED: [&str; 12] = [
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
pub(super) const SHORT_QUESTION_CHARS: usize = 24;

/// A question asks; it is not a statement of how to end the service (FAQ headings, table
/// headers such as 是否支持线上注销, a question reported: [`ASKED`]).
pub(super) fn is_question(normalised: &str) -> bool {
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
pub(super) fn wishes(normalised: &str) -> bool {
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
pub(super) const TELLING: [&str; 8] = [
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
pub(super) const SPEAKER_LABEL_CHARS: usize = 24;

pub(super) const WISHES: [&str; 6] = [
    "i want to",
    "i'd like to",
    "i would like to",
    "我想",
    "我要",
    "本人想",
];

/// Tags that ask the reader to agree to what the sentence offers, after the fold.
pub(super) const AGREE_TAGS: [&str; 5] = [
    // Not 可以吗 / "is that ok": "我想在网上营业厅办理销户，可以吗？" asks (the read-through).
    "是否确认",
    "是否同意",
    "确认吗",
    "shall i go ahead",
    "shall i proceed",
];

/// Verbs after which 是否 is a check, not a question: 系统会先帮您检测是否存在欠费 (round 37's
/// reviews), 请确认是否已结清.
pub(super) const CHECKS: [&str; 9] = [
    "检测", "检查", "查询", "确认", "核实", "核对", "判断", "查看", "留意",
];

/// Does `t` hold a 是否 that asks, one not right after a verb of checking? At most
/// [`WHETHER_LOOKS`] are looked at.
pub(super) fn asks_whether(t: &str) -> bool {
    t.match_indices("是否")
        .take(WHETHER_LOOKS)
        .any(|(at, _)| !CHECKS.iter().any(|v| t[..at].ends_with(v)))
}

/// How many 是否 of one sentence are looked at.
pub(super) const WHETHER_LOOKS: usize = 8;

/// Words that ask for a reason, for when something happens or for what happens then (after the
/// Traditional → Simplified fold and lower-casing). "When can I cancel?" asks for a way and is
/// not here.
pub(super) const WHY: [&str; 13] = [
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
pub(super) const CITING: [&str; 3] = ["according to ", "as stated on ", "as stated in "];

/// How a clause saying what the reader may think starts, and how one refuting it starts.
pub(super) const BELIEVING: [&str; 3] = ["if you think ", "if you believe ", "if you assume "];

pub(super) const REFUTING: [&str; 3] = ["you're wrong", "you are wrong", "think again"];
