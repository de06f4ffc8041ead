//! Short answers: a table cell or a reply that only says yes or no (是, ✓, 不可以, "No."), a
//! dash, and answers that open with "Sorry" or "No". Pure.

use super::for_matching;

/// Marks a cell or answer may carry to point to its footnote ("Y*", "✓※", "Y^" with its note
/// under the table). One list for reading the answer and for finding its note, so a note can
/// qualify or take back every answer it is marked on.
/// Circled numbers ("✓①", round 46's tuning on round 45's probes) are marks too.
pub(crate) const FOOTNOTE_MARKS: [char; 18] = [
    '※', '*', '＊', '△', '#', '＃', '†', '‡', '^', '＾', '¹', '²', '³', '①', '②', '③', '④', '⑤',
];

/// A table cell that only says yes or no answers its header's question.
pub fn yes_no(cell: &str) -> Option<bool> {
    yes_no_folded(&for_matching(cell))
}

/// [`yes_no`] of a cell already folded.
pub(crate) fn yes_no_folded(t: &str) -> Option<bool> {
    let t = t.trim_matches(|c: char| c.is_whitespace() || c == '.' || c == '。');
    // A footnote's mark after the answer ("Y*", "Yes※", round 45's reviews; "Y^" with its
    // note below the table, round 64's first wave).
    let t = t.trim_end_matches(FOOTNOTE_MARKS).trim_end();
    // A tick before where to find it ("✓ Settings › My services › Cancel", round 34's
    // held-out review) or a cross before a note.
    // A filled circle marks a way in a table of ways ("● 表示可經該途徑辦理", round 55's first
    // wave). Not a hollow one: beside ● it says no (○ 不可辦理, round 54's probes), elsewhere it
    // may say yes.
    // Its footnote's number after a filled circle ("●¹", folded to "● 1", round 62's first
    // wave) is a mark too; not a number of its own ("● 10086").
    let circle = t.strip_prefix('●').is_some_and(|r| {
        let r = r.trim_start();
        r.len() <= 3 && r.chars().all(|c| c.is_ascii_digit())
    });
    if t.starts_with(['✓', '✔', '√']) || circle {
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
        // Cantonese (round 54's opened probes: "Q19 可以經 App 退台嗎？" › "唔可以。…").
        "唔可以" | "唔得" | "唔能够" | "冇得" | "不行" => Some(false),
        // Hong Kong's 支援 and "for now" (round 62's fourth wave: "問：可唔可以用 App 終止計劃？"
        // › "答：暫時未支援。").
        "未支援" | "不支援" | "暂未支援" | "暂不支援" | "暂时未支援" | "暂时不支援"
        | "暂时未支持" | "暂时不支持" | "暂时不可以" | "暂时未能" | "暂时唔得" | "暂时唔可以" => {
            Some(false)
        }
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
pub(super) const YES_NO_BYTES: usize = 48;

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
