//! Labels before a colon: a FAQ's Q/A marker, an aspect of the procedure ("Note", 办理时效), a
//! step, a way's name, a note's number, a clause reference, a speaker's name. None of them names a
//! product. Pure.

use super::{CJK_NUMERALS, PRODUCT_CHARS};
use crate::extract::block::at_most_chars;

/// A customer's label in a chat, after the fold: the start of it.
pub(super) const CUSTOMERS: [&str; 9] = [
    "you", "customer", "me", "user", "client", "用户", "客户", "顾客", "我",
];

/// Is a chat's label a customer's ("You", "Customer", 用戶)?
pub(super) fn customer_label(label: &str) -> bool {
    let label = crate::extract::normalise::for_matching(label.trim());
    CUSTOMERS.iter().any(|c| label.starts_with(c))
}

/// Longest sentence read as a bare answer ("答：暫時不可以。" is 9 characters).
pub(super) const BARE_ANSWER_CHARS: usize = 24;

/// A bare yes or no that opens an answer ("Yes.", "Not yet.", 答：可以。, "A: No"): the whole
/// sentence, after a FAQ marker. `folded` is the sentence after the fold.
pub(super) fn bare_answer(folded: &str) -> Option<bool> {
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
pub(super) fn faq_marker(label: &str) -> bool {
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

/// Situations a label may name, after the fold: see [`aspect_label`].
const SITUATIONS: [&str; 16] = [
    "不再使用",
    "不再需要",
    "转换手机",
    "更换手机",
    "换手机",
    "换机",
    "遗失",
    "丢失",
    "出国",
    "移居",
    "no longer need it",
    "no longer needed",
    "changing phone",
    "new phone",
    "lost or stolen",
    "moving abroad",
];

/// "1. 办理时效", "操作流程", "Note", "Step 2": a label naming an aspect of the procedure (its
/// time, steps, papers, fees, conditions) or a note, not a product (round 19: zhs-4470's
/// "1. 办理时效" was shown as a product). After the fold.
pub(super) fn aspect_label(label: &str) -> bool {
    const ASPECTS_ZH: [&str; 29] = [
        // Round 51: "路徑：「我的 › 門號設定 › 結束租用」" labels where to tap.
        "路径",
        "入口",
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
        // Round 55: "※ 本段不再適用：…" sets a passage aside (55d/13); 辦理手續, 終止安排.
        "适用",
        "手续",
        "安排",
        // Its third wave: "2. 接受終止服務要求的途徑" (a regulator's table row), "投诉要求：…".
        "途径",
        "要求",
        // Round 65's fourth wave: 請留意 (please note), as 注意.
        "留意",
    ];
    // "New: you can also end your plan yourself", "Update:", "Reminder:": an announcement.
    const ASPECTS_EN: [&str; 45] = [
        "path",
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
        // Round 55 (round 54's opened probes and its own first wave): a table's "Channels" and
        // "Termination channel" rows, "Procedure:", "Equipment return".
        "channel",
        "channels",
        "procedure",
        "procedures",
        "process",
        "arrangement",
        "arrangements",
        "return",
        // A news page's "Related: …" link (its third wave).
        "related",
    ];
    // A salutation ("尊敬的客户：…", "Dear customers: …") opens a notice; it names no product
    // (round 55's first wave).
    if ["尊敬的", "亲爱的", "dear "]
        .iter()
        .any(|w| label.starts_with(w))
    {
        return true;
    }
    // The reader's situation ("不再使用：可於 App 自行終止", "轉換手機：重新下載", "Lost or
    // stolen: …", round 61's fifth wave) labels what to do in it, for the same product.
    // The whole label: "出国流量包" and "New phone plans" are products.
    if SITUATIONS.contains(&label.trim()) {
        return true;
    }
    // The head of the phrase comes last, in both languages: 長時間通話卡 is a card, "Talk Time
    // Plan" a plan, "Processing time" and 办理时效 an aspect.
    let head = label.trim_end_matches(|c: char| {
        c.is_ascii_digit() || c.is_whitespace() || c == '.' || CJK_NUMERALS.contains(c)
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
pub(super) fn step_label(label: &str) -> bool {
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
            || CJK_NUMERALS.contains(c)
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
pub(super) fn names_the_way(sentence: &str, heading: &str) -> bool {
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
pub(super) fn way_label(text: &str) -> bool {
    let text = text.trim();
    let head = text.split([':', '：']).next().unwrap_or(text);
    at_most_chars(text, WAY_LABEL_CHARS)
        && at_most_chars(head, WAY_LABEL_HEAD_CHARS)
        && head.split_whitespace().count() <= 3
        && !text.ends_with(['.', '。', '!', '！', '?', '？'])
}

/// Longer than this, a paragraph is more than a way's label and what to dial after it.
pub(super) const WAY_LABEL_CHARS: usize = 48;

/// Longer than this, the words before a label's colon are more than a way's name.
pub(super) const WAY_LABEL_HEAD_CHARS: usize = 20;

/// Labels of a note, after the fold ("註：…", "Please note: …"): they mark a remark, not a
/// product (round 38's reviews).
/// Is a label a numbered note ("注 1", "註1", "Note 2", "*1", "※1", after the fold)? It points to
/// a footnote; it names no product (round 40).
pub(super) fn numbered_note(label: &str) -> bool {
    ["注", "note", "*", "※", "#"].iter().any(|w| {
        label.strip_prefix(w).is_some_and(|n| {
            let n = n.trim();
            !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
        })
    })
}

pub(super) const NOTE_LABELS: [&str; 33] = [
    "注",
    // Round 55's third wave: （编者注：以上线上办理方式已取消…）
    "编者注",
    "编辑注", // round 63: （編輯註：App 及電郵退台申請渠道已停止…）
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
    // Round 54's second wave: "Good to know: you can't end your plan in the app".
    "good to know",
    "need to know",
    "heads up",
    "tip",
    "reminder",
    "please remember",
    "小贴士",
    "特别提醒",
];

/// Words of a label that says how things stand now ("補充一下最新狀況：", round 42): a note, not
/// a product.
pub(super) const LATEST_WORDS: [&str; 3] = ["最新", "补充", "latest"];

/// Speakers of a chat or a forum thread, after the fold: whole labels ("客服：", "Agent:") and
/// words within one ("微光客服 Amy", "1楼 楼主", "Tidewater_Moderator").
pub(super) const SPEAKERS: [&str; 16] = [
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

pub(super) const SPEAKER_WORDS: [&str; 11] = [
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
pub(super) fn speaker_label(label: &str) -> bool {
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

/// "2. Contact us", "3) Return the router", "三、提交申请": a heading that starts with a number
/// of one or two digits (or a Chinese numeral) and a stop. Not "2.1 Fees" (a sub-clause).
pub(super) fn numbered_section(heading: &str) -> bool {
    let mut t = heading.trim_start().chars().take(4).peekable();
    let Some(first) = t.next() else {
        return false;
    };
    if CJK_NUMERALS.contains(first) {
        t.next_if(|&c| CJK_NUMERALS.contains(c));
        return matches!(t.next(), Some('、' | '.' | '．'));
    }
    if !first.is_ascii_digit() {
        return false;
    }
    t.next_if(char::is_ascii_digit);
    matches!(t.next(), Some('.' | ')' | '、')) && t.next().is_some_and(|c| !c.is_ascii_digit())
}

/// Is a (folded) label a remark rather than a name ("This one is easy:", "Here's how:", round
/// 62's first wave)? It opens with a pronoun or has a verb of being: a product is a noun.
pub(super) fn says_something(label: &str) -> bool {
    const OPENERS: [&str; 9] = [
        "this", "that", "it", "it's", "here", "here's", "there", "we", "i",
    ];
    const BEING: [&str; 6] = ["is", "are", "was", "were", "isn't", "aren't"];
    let mut words = label.split_whitespace();
    words.next().is_some_and(|w| OPENERS.contains(&w)) || words.any(|w| BEING.contains(&w))
}

/// Is a label a reference to a clause of the terms ("第12.3條", "Clause 14.2", "Section 5",
/// "14.2")? It numbers a clause; it names no product (round 38's reviews).
pub(super) fn clause_label(label: &str) -> bool {
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
pub(super) fn named_speakers<S: AsRef<str>>(blocks: &[S]) -> bool {
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
pub(super) const DIALOGUE_LOOK: usize = 200;

pub(super) const DIALOGUE_LABELS: usize = 16;

pub(super) const SPEAKER_NAME_CHARS: usize = 24;

/// How a speaker opens or goes on in the first person, after the fold.
pub(super) const FIRST_PERSON: [&str; 15] = [
    "i ", "i'm", "i'd", "i've", " i ", "hi ", "hi,", "hello", "我想", "我要", "我有", "请问",
    "你好", "您好", "唔该",
];

/// A block's label and the rest after its colon ("eSIM：…"), a label of at most
/// [`PRODUCT_CHARS`] ([`crate::extract::block::split_label`]).
pub(super) fn label_split(block: &str) -> Option<(&str, &str)> {
    crate::extract::block::split_label(block, PRODUCT_CHARS)
}
