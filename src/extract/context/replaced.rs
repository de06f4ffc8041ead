//! Replaced sections: text a page keeps but marks as no longer in force ("原說明（2023/06/01
//! 公告，已停止適用）", "以下为旧版说明（仅供查阅）", "How to end your plan (previous process)", or
//! a note in the section: "※ 本則說明已由 114 年 2 月 14 日公告更新"). What such a section says
//! is history; the rest of the page answers (round 47's waves: seven held-out pages kept their
//! old refusal or old offer below a dated change and were read as conflicting). Part of
//! [`Page`]'s reading; pure. Worked out once per page, over headings and short notes only.

use super::{Page, at_most_chars};
use crate::extract::normalise::CJK_NUMERALS;
use crate::extract::structure::Role;

/// Words of a heading over text no longer in force, after the fold.
const REPLACED_HEADS: [&str; 23] = [
    "已停止适用",
    "停止适用",
    "不再适用",
    "仅供查阅",
    "旧版",
    "原公告",
    "原说明",
    "旧说明",
    "已失效",
    "已废止",
    "历史版本",
    // Round 52's second wave: 原文（2023年5月10日发布） under an update.
    "原文(",
    "previous process",
    "old process",
    "no longer applies",
    "archived",
    "superseded",
    "outdated",
    // Round 53's waves: "How to close your account (before 1 July 2025)", "Previous
    // arrangement" and 以往安排 under a dated update.
    "(before ",
    "previous arrangement",
    "以往安排",
    // Round 54's third wave: 方式二：APP线上办理（已停用）.
    "(已停用)",
    "(discontinued)",
];

/// Words of a note that what follows it is older text, after the fold (with 以下, "below"…).
const OLDER_BELOW: [&str; 6] = [
    "原公告内容",
    "旧版内容",
    "仅供参考",
    "仅供查阅",
    "previous version",
    "for reference only",
];

/// How a table's column of the arrangement before a change is headed, as written.
const OLD_COLUMNS: [&str; 16] = [
    "調整前",
    "调整前",
    "變更前",
    "变更前",
    "修訂前",
    "修订前",
    "修改前",
    "異動前",
    "异动前",
    "原規定",
    "原规定",
    "Before",
    "before",
    "Previous",
    "previous",
    "Old ",
];

/// How many sentences that withdraw a part by its number or name are read on one page, and how
/// many names or numbers in each: a hostile page of thousands gets no more looks.
const MAX_WITHDRAWALS: usize = 16;

/// How long a note that marks its own section may be, in characters.
const NOTE_CHARS: usize = 80;

/// Words of a note that says its own section was replaced, after the fold ("本則說明已由…公告
/// 更新", "This section has been replaced by the notice above").
const REPLACED_NOTES: [&str; 4] = [
    "has been replaced by",
    "has been superseded by",
    "was replaced by",
    "was superseded by",
];

/// Words by which a bracketed note speaks of its own clause, after the fold.
const CLAUSE_SELF: [&str; 6] = [
    "this clause",
    "this paragraph",
    "this term",
    "本条",
    "本款",
    "此条",
];
/// The longest clause read for a withdrawal of its own ([`withdraws_itself`]).
const CLAUSE_CHARS: usize = 600;

/// Words by which a note speaks of its own section (so that "原說明不再適用" in the new
/// section does not mark the new section).
const SELF: [&str; 9] = [
    "本则",
    // Round 54's first wave: （本節已不再適用，線上渠道現僅可查詢帳單。）
    "本节",
    "本说明",
    "本段",
    "此说明",
    "this section",
    "this information",
    "this notice",
    "this answer",
];

/// Words of a sentence that withdraws an earlier rule, quoting it ("原公告中“仅限营业厅办理”的
/// 规定同时废止"), after the fold: the rule it quotes is not said again.
const WITHDRAWS: [&str; 8] = [
    // "下方原說明中「僅限門市辦理」之規定自同日起不再適用" (round 47's fourth wave).
    "之规定自同日起不再适用",
    "规定不再适用",
    "同时废止",
    "即行废止",
    "规定废止",
    "说明同时废止",
    "no longer applies",
    "is withdrawn",
];

/// Words of a sentence that sets an earlier text aside by quoting it, after the fold ("此安排取代
/// 下文「辦理方法」中只可親臨門市辦理的規定", "本页下方原有“…不支持线上办理”的说明自即日起不再
/// 适用", round 52's first wave). Unlike [`WITHDRAWS`], said in the same sentence as a new offer
/// ("即日起…可透過 App…線上辦理,本頁以下舊有「須臨櫃辦理」之說明不再適用"), the offer stands.
const SETS_ASIDE: [&str; 12] = [
    "取代下文",
    "取代下方",
    "说明自即日起不再适用",
    "说明不再适用",
    // 本说明原文中“号码注销暂不开放线上办理”的表述已不再适用 (its second wave).
    "表述已不再适用",
    // Round 53's third wave: 下方「終止租用」段落之網站申請方式已不再適用, 此通知取代本網站
    // 「常見問題」內有關…的舊有說明.
    "方式已不再适用",
    "取代本网站",
    "的旧有说明",
    // Round 54's first wave: 下方原「僅限門市」之說明自本日起不再適用; its second: 本頁下文有關網上
    // 表格之內容不再適用.
    "说明自本日起不再适用",
    "之内容不再适用",
    // Its third wave: 本頁下文「辦理方法」中只可親臨門市的安排已不再適用.
    "安排已不再适用",
    // Round 55's second wave: 下方原「線上申請」說明即日起停用.
    "说明即日起停用",
];

impl Page<'_> {
    /// The headings of sections the page marks as replaced, worked out once, each with whether
    /// the heading says so in its own words ([`Page::heads_replaced`]).
    fn replaced_sections(&self) -> &[(usize, bool)] {
        self.replaced.get_or_init(|| {
            let mut out = Vec::new();
            for (b, t) in self.blocks.iter().enumerate() {
                let role = self.ctx(b).role;
                if withdraws_itself(t) {
                    // A bracket standing alone just after its clause ("14.3 You may give
                    // notice in MyKiwa…" then "[This clause no longer applies from 1 July
                    // 2023.]", round 63's second wave) withdraws that clause.
                    if let Some(clause) = b.checked_sub(1)
                        && stands_alone(t)
                        && self.ctx(clause).role == Role::Text
                        && !out.contains(&(clause, false))
                    {
                        out.push((clause, false));
                    }
                    out.push((b, false));
                    continue;
                }
                if !matches!(role, Role::Heading | Role::Text)
                    || !at_most_chars(t, NOTE_CHARS)
                    || !may_mark(t)
                {
                    continue;
                }
                let folded = crate::extract::normalise::for_matching(t);
                if role == Role::Heading {
                    if heads_replaced_text(&folded) {
                        out.push((b, true));
                    }
                } else if notes_replaced(&folded)
                    && let Some(h) = self.section_head(b)
                    // Not the page's title: the whole page is not history.
                    && !self.ctx(h).headings.is_empty()
                {
                    let own = self.ctx(h).role == Role::Heading
                        && self.blocks.get(h).is_some_and(|t| {
                            heads_replaced_text(&crate::extract::normalise::for_matching(t))
                        });
                    out.push((h, own));
                }
            }
            self.sections_withdrawn_by_number(&mut out);
            self.items_withdrawn_by_number(&mut out);
            out
        })
    }

    /// Sections a sentence withdraws by their number ("上述第一部分內容不再適用", "本页第三部分
    /// “办理渠道”中…的表述同时废止", round 54's first wave): the heading that opens with that
    /// number ("一、線上辦理方式", "三、办理渠道") heads text no longer in force.
    fn sections_withdrawn_by_number(&self, out: &mut Vec<(usize, bool)>) {
        let withdrawals: Vec<String> = self
            .blocks
            .iter()
            .filter(|t| {
                (t.contains("部分")
                    || t.contains('节')
                    || t.contains('節')
                    || t.contains('「')
                    || t.contains('“'))
                    && (withdraws(t) || sets_aside(t) || says_no_longer(t))
            })
            .take(MAX_WITHDRAWALS)
            .map(|t| crate::extract::normalise::for_matching(t))
            .collect();
        if withdrawals.is_empty() {
            return;
        }
        // The page's short headings, folded once.
        let headings: Vec<(usize, String)> = (0..self.blocks.len())
            .filter(|&h| {
                self.ctx(h).role == Role::Heading && at_most_chars(&self.blocks[h], NOTE_CHARS)
            })
            .map(|h| (h, crate::extract::normalise::for_matching(&self.blocks[h])))
            .collect();
        let mut mark = |opens: &dyn Fn(&str) -> bool| {
            if let Some(&(h, _)) = headings.iter().find(|(_, t)| opens(t))
                && !out.iter().any(|&(x, _)| x == h)
            {
                out.push((h, true));
            }
        };
        for folded in &withdrawals {
            // "本頁下文「辦理方法」中只可親臨門市的安排已不再適用": the section of that name.
            for name in quoted(folded).into_iter().take(MAX_WITHDRAWALS) {
                mark(&|h: &str| {
                    h.strip_prefix(name)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('('))
                });
            }
            for n in part_numbers(folded).into_iter().take(MAX_WITHDRAWALS) {
                mark(&|h: &str| {
                    h.strip_prefix(n)
                        .is_some_and(|r| r.starts_with(['、', '.', ',', ' ']))
                });
            }
        }
    }

    /// Items of a list above that a sentence withdraws by their number ("上述第1項途徑不再接受
    /// 申請", round 55's third wave): the item is history, as a withdrawn section is. The list is
    /// the nearest one within [`ITEM_LOOK`] blocks before the sentence.
    fn items_withdrawn_by_number(&self, out: &mut Vec<(usize, bool)>) {
        let withdrawals = self
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                (t.contains('項') || t.contains('项'))
                    && ["上述", "上列", "以上"].iter().any(|w| t.contains(w))
                    && (says_no_longer(t) || t.contains("不再接受") || t.contains("停止"))
            })
            .take(MAX_WITHDRAWALS);
        for (b, t) in withdrawals {
            let folded = crate::extract::normalise::for_matching(t);
            let look = b.saturating_sub(ITEM_LOOK)..b;
            let Some(list) = look
                .clone()
                .rev()
                .find_map(|x| self.ctx(x).list.filter(|_| self.ctx(x).role == Role::Item))
            else {
                continue;
            };
            let items: Vec<usize> = look
                .filter(|&x| self.ctx(x).role == Role::Item && self.ctx(x).list == Some(list))
                .collect();
            for n in item_numbers(&folded).into_iter().take(MAX_WITHDRAWALS) {
                if let Some(&item) = n.checked_sub(1).and_then(|i| items.get(i))
                    && !out.iter().any(|&(x, _)| x == item)
                {
                    out.push((item, false));
                }
            }
        }
    }

    /// Is block `h` a heading that says its own section is no longer in force ("原公告內容
    /// (2022/03/15，已停止適用)")? Such a notice is no word of today, whatever its date.
    pub(crate) fn heads_replaced(&self, h: usize) -> bool {
        self.replaced_sections()
            .iter()
            .any(|&(x, own)| x == h && own)
    }

    /// Does the page mark any section or table column as replaced?
    pub(crate) fn replaces_any(&self) -> bool {
        !self.replaced_sections().is_empty()
            || self.older_text_from().is_some()
            || (0..self.blocks.len()).any(|b| self.in_old_column(b))
    }

    /// Does a statement of block `b` stand in a section the page marks as replaced, or in a
    /// table column headed as the arrangement before a change ("調整前（113年3月1日公告）" beside
    /// "調整後（114年6月1日起）", round 54's first wave)?
    pub(crate) fn replaced(&self, b: usize) -> bool {
        self.replaced_sections()
            .iter()
            .any(|&(h, _)| self.in_section(b, h))
            // Not the note that marks its section: what it goes on to say is today's word
            // ("※ 本段不再適用：「線上申請拆機」已於…停止受理。自該日起，拆機請…至服務中心辦理",
            // round 55's first wave).
            && !self.marks_its_section(b)
            || self.in_old_column(b)
            || self.older_text_from().is_some_and(|n| b > n)
    }

    /// Is block `b` a short note that marks its own section replaced ([`notes_replaced`])?
    fn marks_its_section(&self, b: usize) -> bool {
        self.ctx(b).role == Role::Text
            && self.blocks.get(b).is_some_and(|t| {
                at_most_chars(t, NOTE_CHARS)
                    && may_mark(t)
                    && notes_replaced(&crate::extract::normalise::for_matching(t))
            })
    }

    /// The block of a short note that says what follows it is older text kept for reference
    /// ("以下為原公告內容（2022/06/15 發布），僅供參考：", round 54's third wave).
    fn older_text_from(&self) -> Option<usize> {
        *self.replaced_from.get_or_init(|| {
            self.blocks.iter().enumerate().find_map(|(b, t)| {
                (at_most_chars(t, NOTE_CHARS)
                    && ["以下", "下列", "below", "following"]
                        .iter()
                        .any(|w| t.contains(w))
                    && {
                        let folded = crate::extract::normalise::for_matching(t);
                        OLDER_BELOW.iter().any(|w| folded.contains(w))
                    })
                .then_some(b)
            })
        })
    }

    /// Does block `b` stand in a table column headed as the arrangement before a change?
    fn in_old_column(&self, b: usize) -> bool {
        self.ctx(b).column_header.is_some_and(|h| {
            self.blocks.get(h).is_some_and(|t| {
                at_most_chars(t, NOTE_CHARS) && OLD_COLUMNS.iter().any(|w| t.starts_with(w))
            })
        })
    }
}

/// Is a block (as written) a clause that carries its own withdrawal in brackets ("11.2 Online
/// disconnection requests. [This clause no longer applies from 1 August 2023.] You may also
/// give notice …", "（本條自2024年起不再適用）", round 61's sixth wave)? The whole clause is
/// history, as a withdrawn section is. Only a block of at most [`CLAUSE_CHARS`] characters that
/// holds a piece of the marker as written is folded and read.
fn withdraws_itself(t: &str) -> bool {
    ["ppl", "PPL", "適用", "适用"].iter().any(|w| t.contains(w))
        && at_most_chars(t, CLAUSE_CHARS)
        && {
            let folded = crate::extract::normalise::for_matching(t);
            CLAUSE_SELF.iter().any(|w| {
                folded.match_indices(w).take(4).any(|(at, _)| {
                    folded[..at].ends_with(['[', '(', '【', '〔'])
                        && withdrawn_inside(&folded[at + w.len()..])
                })
            })
        }
}

/// Is a block (as written) only a bracket, perhaps followed by a full stop ("[This clause no
/// longer applies from 1 July 2023. See clause 14.4.]")? Not an item that opens with its letter
/// and withdraws itself inside ("(a) Notices by fax … (this paragraph no longer applies)", the
/// review of round 63).
fn stands_alone(t: &str) -> bool {
    let t = t.trim().trim_end_matches(['.', '。']);
    (t.starts_with('[') && t.ends_with(']')
        || t.starts_with(['(', '（']) && t.ends_with([')', '）']))
        && t.chars().filter(|c| matches!(c, '[' | '(' | '（')).count() == 1
}

/// Does the bracket (folded, from after its "this clause" to its close) withdraw the clause as
/// a whole? "[This clause no longer applies from 1 August 2023.]", （本條自2024年起不再適用）;
/// not "(This clause replaces 11.2, which no longer applies)" nor "(… no longer applies to
/// prepaid services)".
fn withdrawn_inside(rest: &str) -> bool {
    let inside = rest.split([']', ')', '】', '〕']).next().unwrap_or(rest);
    inside.trim_start().starts_with("no longer appl")
        && !inside.contains(" to ")
        && !inside.contains(" for ")
        || ["不再适用", "停止适用"].iter().any(|m| {
            inside.match_indices(m).any(|(at, _)| {
                // Not for some customers only (不再适用于预付卡客户), nor a part of the clause
                // (本条第二段…不再适用): the rest still holds (the review of round 64).
                !inside[at + m.len()..].starts_with(['于', '在']) && !names_a_part(&inside[..at])
            })
        })
}

/// Does the text before a withdrawal name a part of the clause (第二段, 第3款, 第(1)项)?
fn names_a_part(before: &str) -> bool {
    before.match_indices('第').any(|(at, _)| {
        before[at..]
            .chars()
            .skip(1)
            .take(PART_MARK_CHARS)
            .any(|c| matches!(c, '段' | '款' | '项'))
    })
}

/// How far after 第 a part's mark may stand (第(12)款 is five characters on).
const PART_MARK_CHARS: usize = 5;

/// The names a sentence (folded) quotes in 「」 or “”, up to a heading's length.
fn quoted(folded: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (open, close) in [('「', '」'), ('“', '”')] {
        let mut rest = folded;
        while let Some(a) = rest.find(open) {
            let after = &rest[a + open.len_utf8()..];
            let Some(z) = after.find(close) else { break };
            let name = after[..z].trim();
            if !name.is_empty() && at_most_chars(name, NOTE_CHARS) {
                out.push(name);
            }
            rest = &after[z + close.len_utf8()..];
        }
    }
    out
}

/// The numbers of the parts a sentence (folded) names as 第…部分 or 第…节: 第一部分 → "一"
/// ("本页第一节不再适用", round 63's third wave).
fn part_numbers(folded: &str) -> Vec<&str> {
    let mut out = numbered(folded, "部分");
    out.extend(numbered(folded, "节"));
    out
}

/// The numbers a sentence (folded) writes as 第…`marker` (第一部分, 第1项): at most three
/// numerals between 第 and the marker.
fn numbered<'a>(folded: &'a str, marker: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for (at, _) in folded.match_indices(marker) {
        let before = &folded[..at];
        // 第 is at most three numerals back: a bounded look, so a paragraph of many markers is
        // read in linear time (the review of round 63). Not a part of another document named
        // just before it (《服务协议》第一节).
        let near = before.char_indices().rev().nth(3).map_or(0, |(i, _)| i);
        if let Some(open) = before[near..].rfind('第').map(|i| near + i)
            && !before[..open].ends_with('》')
        {
            let n = &before[open + '第'.len_utf8()..];
            if !n.is_empty() && n.chars().count() <= 3 && n.chars().all(is_numeral) {
                out.push(n);
            }
        }
    }
    out
}

/// How far above a withdrawal by number its list is looked for.
const ITEM_LOOK: usize = 40;

/// The numbers of the items a sentence (folded) names as 第…项: 第1项 → 1, 第二项 → 2.
pub(super) fn item_numbers(folded: &str) -> Vec<usize> {
    numbered(folded, "项")
        .into_iter()
        .filter_map(|n| {
            n.parse::<usize>().ok().or_else(|| {
                let mut cs = n.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => CJK_NUMERALS.chars().position(|x| x == c).map(|i| i + 1),
                    _ => None,
                }
            })
        })
        .filter(|&v| v > 0 && v <= ITEM_LOOK)
        .collect()
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || CJK_NUMERALS.contains(c)
}

/// Does a sentence, as written, say some text no longer applies (不再適用, 已失效)?
fn says_no_longer(text: &str) -> bool {
    ["不再適用", "不再适用", "已失效", "停止適用", "停止适用"]
        .iter()
        .any(|w| text.contains(w))
}

/// Does a heading (folded) say its section is no longer in force ([`REPLACED_HEADS`])?
fn heads_replaced_text(folded: &str) -> bool {
    REPLACED_HEADS.iter().any(|w| folded.contains(w))
}

/// Could a short block, as written, mark a section replaced? A look for a piece of each
/// marker in both scripts and either case before the block is folded: most blocks have none.
fn may_mark(text: &str) -> bool {
    const EN: [&str; 8] = [
        "iscontinued",
        "revious",
        "ld process",
        "longer appl",
        "rchived",
        "upersede",
        "utdated",
        "eplaced",
    ];
    const ZH: [&str; 17] = [
        "停用",
        "原文",
        "適用",
        "适用",
        "查閱",
        "查阅",
        "舊",
        "旧",
        "原公告",
        "原說明",
        "原说明",
        "失效",
        "廢止",
        "废止",
        "歷史",
        "历史",
        "已由",
    ];
    EN.iter().any(|w| text.contains(w)) || !text.is_ascii() && ZH.iter().any(|w| text.contains(w))
}

/// Does a short note (folded) say that its own section was replaced ("本則說明已由 114 年 2 月
/// 14 日公告更新", "This section has been replaced by …")?
fn notes_replaced(folded: &str) -> bool {
    folded.contains("已由") && (folded.contains("更新") || folded.contains("取代"))
        || REPLACED_NOTES.iter().any(|w| folded.contains(w))
        || SELF.iter().any(|w| folded.contains(w))
            && ["不再适用", "停止适用", "no longer applies"]
                .iter()
                .any(|w| folded.contains(w))
}

/// Does a sentence, as written, withdraw an earlier rule that it quotes ([`WITHDRAWS`])? A look
/// for a piece of the words in both scripts comes first: most sentences have none, and only
/// those are folded.
pub(crate) fn withdraws(text: &str) -> bool {
    says(
        text,
        &[
            "废止",
            "廢止",
            "不再適用",
            "不再适用",
            "no longer appl",
            "withdrawn",
        ],
        &WITHDRAWS,
    )
}

/// Does a sentence, as written, set aside an earlier text that it quotes ([`SETS_ASIDE`])?
pub(crate) fn sets_aside(text: &str) -> bool {
    says(text, &["取代", "不再適用", "不再适用"], &SETS_ASIDE)
}

/// Does a sentence, as written, set aside what the page says further down ("本頁下文有關網上表格
/// 之內容不再適用", "the steps further down this page no longer apply")?
pub(crate) fn sets_aside_below(sentence: &str) -> bool {
    let below = ["下文", "下方", "below", "further down"]
        .iter()
        .any(|w| sentence.contains(w));
    below
        && ["不再適用", "不再适用", "no longer appl"]
            .iter()
            .any(|w| sentence.contains(w))
}

/// Does `text` hold one of `words` after the fold? Only a text that holds one of `pieces` as
/// written is folded.
fn says(text: &str, pieces: &[&str], words: &[&str]) -> bool {
    pieces.iter().any(|w| text.contains(w)) && {
        let folded = crate::extract::normalise::for_matching(text);
        words.iter().any(|w| folded.contains(w))
    }
}

#[cfg(test)]
mod tests {
    use super::{notes_replaced, part_numbers, sets_aside, withdraws};
    use crate::extract::normalise::for_matching;

    #[test]
    fn a_clause_withdraws_itself_only_in_brackets() {
        assert!(super::withdraws_itself(
            "11.2 Online requests. [This clause no longer applies from 1 August 2023.] You may give notice in MyKea."
        ));
        assert!(super::withdraws_itself(
            "（本條自2024年起不再適用）客戶可於網上申請終止。"
        ));
        // Not a clause that says another clause no longer applies, nor one without brackets.
        assert!(!super::withdraws_itself(
            "Clause 11.2 no longer applies; give notice by post."
        ));
        assert!(!super::withdraws_itself(
            "This clause no longer applies to prepaid services."
        ));
        assert!(!super::withdraws_itself(
            "11.2 You may end online. [This clause replaces clause 11.2, which no longer applies.]"
        ));
        assert!(!super::withdraws_itself(
            "11.2 You may cancel online. (This clause no longer applies to prepaid services.)"
        ));
        assert!(super::withdraws_itself(
            "11.2 Online requests. [This Clause No Longer Applies from 1 May 2024.]"
        ));
        // A lenticular bracket ("9. 【本條已不再適用，由第 9A 條取代】客戶如欲終止…", round 54's
        // probes, read again in round 64).
        assert!(super::withdraws_itself(
            "9. 【本條已不再適用，由第 9A 條取代】客戶如欲終止本服務，須親身交回門市；"
        ));
        // Not for some customers only, nor one part of the clause (the review of round 64).
        assert!(!super::withdraws_itself(
            "9. 【本條不再適用於預付卡客戶】月費計劃客戶可透過網上客戶中心終止本服務。"
        ));
        assert!(!super::withdraws_itself(
            "9. 【本條第二段自2024年1月起不再適用】客戶可透過網上客戶中心終止本服務。"
        ));
        let long = format!("[This clause no longer applies.] {}", "x ".repeat(400));
        assert!(!super::withdraws_itself(&long));
    }

    #[test]
    fn a_note_marks_its_own_section_replaced() {
        assert!(notes_replaced(&for_matching(
            "※ 本則說明已由 114 年 2 月 14 日公告更新。"
        )));
        assert!(notes_replaced(&for_matching(
            "This section has been replaced by the notice above."
        )));
        assert!(notes_replaced(&for_matching(
            "本說明自 2025 年 3 月 1 日起不再適用。"
        )));
        // A note in the new section about the old one marks nothing here.
        assert!(!notes_replaced(&for_matching("原說明不再適用。")));
        assert!(!notes_replaced(&for_matching(
            "Call us on 1000 to end your plan."
        )));
    }

    #[test]
    fn a_sentence_that_withdraws_a_rule_quotes_it() {
        assert!(withdraws("原公告中“仅限营业厅办理”的规定同时废止。"));
        assert!(withdraws(
            "下方原說明中「僅限門市辦理」之規定自同日起不再適用。"
        ));
        assert!(!withdraws("销户须到营业厅办理。"));
    }

    #[test]
    fn a_sentence_that_quotes_the_old_text_sets_it_aside() {
        assert!(sets_aside(
            "此安排取代下文「辦理方法」中只可親臨門市辦理的規定。"
        ));
        assert!(sets_aside(
            "本页下方原有“销户须本人到营业厅办理”的说明自即日起不再适用。"
        ));
        assert!(!sets_aside("本優惠不再適用於新客戶。"));
    }

    #[test]
    fn parts_are_named_by_their_number() {
        assert_eq!(
            part_numbers(&for_matching("上述第一部分內容不再適用。")),
            ["一"]
        );
        assert_eq!(
            part_numbers(&for_matching(
                "本页第三部分“办理渠道”与第12部分的表述同时废止"
            )),
            ["三", "12"]
        );
        assert_eq!(
            part_numbers(&for_matching("“拆机申请”功能已下线，本页第一节不再适用。")),
            ["一"]
        );
        // Not a part of another document (the review of round 63), and a paragraph of many
        // markers is read with a bounded look back for 第.
        assert!(part_numbers(&for_matching("根据《服务协议》第一节，该规定不再适用。")).is_empty());
        let many = format!("第{}不再适用", "节".repeat(100_000));
        assert!(part_numbers(&many).is_empty());
        // Not a part without its number, nor 部分 meaning "some".
        assert!(part_numbers(&for_matching("部分业务暂不支持线上办理")).is_empty());
        assert!(part_numbers(&for_matching("第一批部分用户")).is_empty());
    }
}
