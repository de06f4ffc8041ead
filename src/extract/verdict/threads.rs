//! Notices and threads: the latest dated notice or update, which answers over older text; a
//! thread's official reply and the post it sits in; a correction of what was said before. Pure.

use super::{Evidence, Stance, Verdict, answer};
use crate::extract::context::Page;
use std::collections::{BTreeMap, BTreeSet};

/// The heading of the latest of two or more dated notices that every statement of the page
/// stands in, when one is later than all the others. At most [`NOTICES`] notices are read.
/// Statements under no date count as older than the latest notice when it is headed as an
/// update ([`crate::extract::context::Page::heads_an_update`]): "Update – 15 September 2026: the
/// online form has been withdrawn" below the undated steps of that form (round 42).
pub(super) fn latest_notice(
    page: &crate::extract::context::Page,
    service: &[&Evidence],
) -> Option<usize> {
    let mut dated: BTreeMap<usize, chrono::NaiveDate> = BTreeMap::new();
    let mut undated: BTreeSet<Option<usize>> = BTreeSet::new();
    for e in service.iter().filter(|e| e.stance != Stance::Related) {
        let h = page.notice_of(e.block);
        // A notice whose heading says it is no longer in force is no word of today, whatever
        // its date (原公告內容(2022/03/15，已停止適用) under a 公告 page, round 52's first wave).
        if h.is_some_and(|h| page.heads_replaced(h)) {
            continue;
        }
        if h.is_some_and(|h| dated.contains_key(&h)) || undated.contains(&h) {
            continue;
        }
        if dated.len() == NOTICES || undated.len() == NOTICES {
            return None;
        }
        match h.and_then(|h| page.notice_date(h).map(|d| (h, d))) {
            Some((h, d)) => {
                dated.insert(h, d);
            }
            None => {
                undated.insert(h);
            }
        }
    }
    let mut by_date: Vec<(chrono::NaiveDate, usize)> =
        dated.into_iter().map(|(h, d)| (d, h)).collect();
    by_date.sort_unstable();
    // Notices of the latest date that answer alike stand as one ("回覆 #2 2026/02/21: the option
    // is gone", "回覆 #3 2026/02/21: only in person now", round 42): the last that answers is
    // read. Two that answer otherwise leave the page as it is.
    let (&(last, _), older) = by_date.split_last()?;
    let tied: Vec<usize> = by_date
        .iter()
        .filter(|&&(d, _)| d == last)
        .map(|&(_, h)| h)
        .collect();
    let latest = if tied.len() > 1 {
        let says = |h: usize| answer(&in_notice(page, service, h)).0;
        let decisive: Vec<(usize, Verdict)> = tied
            .iter()
            .map(|&h| (h, says(h)))
            .filter(|(_, v)| matches!(v, Verdict::Supported | Verdict::NotSupported))
            .collect();
        match decisive.as_slice() {
            [.., (h, v)] if decisive.iter().all(|(_, w)| w == v) => *h,
            _ => return None,
        }
    } else {
        tied.first().copied()?
    };
    let in_latest = |b: usize| tied.iter().any(|&t| page.in_notice(b, t));
    let earlier = older.iter().any(|&(d, _)| d < last);
    let h = if undated.is_empty() && earlier || !undated.is_empty() && page.heads_an_update(latest)
    {
        latest
    } else {
        return None;
    };
    // Not over undated text when the page says it was edited after the notice ("Article last
    // updated: June 4, 2025" below a February notice): its undated text may be the newer word
    // (round 39's reviews).
    if !undated.is_empty() && page.edited_after(last) {
        return None;
    }
    // A later refusal answers for the page only when it speaks for every line and for good: not
    // for one product ("Prepaid plans can no longer be cancelled online", a notice headed "Home
    // broadband"), nor for the hours of a maintenance (the read-through of round 40); a notice
    // that the maintenance is over and the way is back does answer.
    // A later offer for some lines answers as an offer does anywhere ("即日起月租型用戶可再次於
    // App 線上申請退租" after a withdrawal, round 40's walk-through).
    let denials: Vec<&&Evidence> = service
        .iter()
        .filter(|e| in_latest(e.block))
        .filter(|e| !matches!(e.stance, Stance::Online | Stance::Related))
        .collect();
    // Unless it withdraws the online way from the products the earlier offers were for, and
    // from no fewer: "預付卡線上終止功能停止受理" after "預付卡用戶可登入官網…申請終止門號"
    // (round 41). A shop merely named for them later is no withdrawal (a prepaid FAQ beside a
    // notice, round 39's reviews).
    let refused: BTreeSet<&str> = denials
        .iter()
        .flat_map(|e| e.products.iter().map(String::as_str))
        .collect();
    let mut offers = service
        .iter()
        .filter(|e| e.stance == Stance::Online && !in_latest(e.block))
        .peekable();
    let withdrawn = denials.iter().any(|e| e.stance == Stance::NegatedOnline);
    let covered = withdrawn
        && offers.peek().is_some()
        && offers.all(|e| {
            !e.products.is_empty() && e.products.iter().all(|p| refused.contains(p.as_str()))
        });
    let partial = !denials.is_empty() && page.heads_a_kind(h) && !covered
        || denials.iter().any(|e| {
            let t = crate::extract::block::bounded(&e.sentence).to_lowercase();
            !e.products.is_empty() && !covered
                || e.qualified
                || PAUSE_WORDS.iter().any(|w| t.contains(w))
        });
    (!partial).then_some(h)
}

/// The statements of `service` that stand in notice `h` ([`Page::in_notice`]).
pub(super) fn in_notice<'e>(page: &Page, service: &[&'e Evidence], h: usize) -> Vec<&'e Evidence> {
    service
        .iter()
        .copied()
        .filter(|e| page.in_notice(e.block, h))
        .collect()
}

/// The one paragraph among the statements that opens with an update's label and date ("Update
/// – June 2: Postpaid customers can now cancel a wireless line themselves in MyMaple."), when
/// there is only one: on a page that contradicts itself, the update banner answers over the
/// undated text it changed (round 47's fourth wave; the brief's readers label it so).
pub(super) fn sole_update(
    page: &crate::extract::context::Page,
    service: &[&Evidence],
) -> Option<usize> {
    let mut found = None;
    for e in service.iter().filter(|e| e.stance != Stance::Related) {
        if found != Some(e.block)
            && (page.opens_update(e.block) || page.follows_update_line(e.block))
        {
            if found.is_some() {
                return None;
            }
            found = Some(e.block);
        }
    }
    found
}

/// Does a sentence (folded) correct what was said before it?
pub(super) fn corrects(folded: &str) -> bool {
    // Whole words: "i was wrongly billed" corrects nothing.
    let said = |w: &str| {
        folded.match_indices(w).any(|(at, _)| {
            !w.is_ascii()
                || !folded[at + w.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
        })
    };
    // "以 #3 為準": the post named by its number is the answer; not a phone menu's "以#号键结束".
    let post_named = folded.contains("为准")
        && ["以#", "以 #"].iter().any(|w| {
            folded
                .split(w)
                .nth(1)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        });
    // "Update：今年三月開始…", "Edit: Mod is right" open a later word; "Last update: …",
    // 最后更新：… are a page's edit stamp (round 42).
    let later_word = LATER_WORDS.iter().any(|w| {
        folded.match_indices(w).any(|(at, _)| {
            let before = folded[..at].trim_end();
            !["last", "最后", "本页"].iter().any(|s| before.ends_with(s))
        })
    });
    post_named || later_word || CORRECTIONS.iter().any(|w| said(w))
}

/// Is block text `t` a post's line (who posted, when): a short line with a separator, a post's
/// number or a time?
pub(super) fn post_line(t: &str) -> bool {
    // Only a short line is read further (a page's long blocks are not scanned here).
    if t.chars().nth(POST_LINE_CHARS).is_some() {
        return false;
    }
    let time = t
        .as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
    t.contains('·') || t.contains('#') || t.contains('楼') || t.contains('樓') || time
}

/// Is block text `t` a poster's name with their role in brackets, on a line of its own
/// ("Wattle_Jess (Wattle Moderator)", round 47)?
pub(super) fn role_label(t: &str) -> bool {
    let t = t.trim();
    t.chars().nth(POST_LINE_CHARS).is_none()
        && (t.ends_with(')') && t.contains('(') || t.ends_with('）') && t.contains('（'))
}

/// The statements of the latest reply in a thread by the carrier's own account: the blocks
/// after a post line that names it ([`OFFICIAL`]), up to the next post line or
/// [`REPLY_BLOCKS`] blocks. None when no such reply holds a statement.
pub(super) fn official_reply<'e>(
    blocks: &[String],
    service: &[&'e Evidence],
) -> Option<Vec<&'e Evidence>> {
    // Not an article's byline ("By the PlanCompare team · Updated 3 February 2025", 45ak/21).
    let names_official = |t: &str| {
        let f = crate::extract::normalise::for_matching(t);
        OFFICIAL.iter().any(|w| f.contains(w))
            && !["by ", "written by", "作者"]
                .iter()
                .any(|w| f.trim_start().starts_with(w))
    };
    // The reply starts under its post line, or in the block itself where a speaker's label
    // names the carrier: "4楼（中国电信客服官方账号）：您好，2楼的说法是以前的规则…" (46bk/16).
    // A speaker's label is read first: "3楼(星河通信官方账号):您好,…" is short enough to be a
    // post line, but the reply is in the block itself.
    let reply_start = |b: usize, t: &str| match crate::extract::reading::speaker_split(t) {
        Some((label, _)) if names_official(label) => Some(b),
        _ => ((post_line(t) || role_label(t)) && names_official(t)).then_some(b + 1),
    };
    blocks
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(b, t)| reply_start(b, t).map(|start| (b, start)))
        .take(OFFICIAL_REPLIES)
        .find_map(|(b, start)| {
            let end = (b + 1..blocks.len().min(b + 1 + REPLY_BLOCKS))
                // An inline reply ends where the next speaker's does.
                .find(|&x| {
                    blocks.get(x).is_some_and(|t| {
                        post_line(t)
                            || start == b && crate::extract::reading::speaker_split(t).is_some()
                    })
                })
                .unwrap_or_else(|| blocks.len().min(b + 1 + REPLY_BLOCKS));
            let own: Vec<&Evidence> = service
                .iter()
                .copied()
                .filter(|e| (start..end).contains(&e.block) && e.stance != Stance::Related)
                .collect();
            (!own.is_empty()).then_some(own)
        })
}

/// Words that correct what was said before, after the fold (forum threads, chats, notices):
/// a speaker taking back their own word, or a formal correction.
pub(super) const CORRECTIONS: [&str; 24] = [
    // Said of oneself, or set right formally: not another user's "楼上说的不对" (a thread left
    // open, which its readers call conflicting).
    "我讲错",
    "我说错",
    "我记错",
    "说错了",
    "记错咗",
    "讲错咗",
    "更正一下",
    "更正说明",
    "纠正一下",
    "correction:",
    "i was wrong",
    "my mistake",
    "i stand corrected",
    "let me correct",
    "i need to correct",
    // A later word on how things stand now ("補充一下最新狀況：App 改版之後那個選項已經拿掉了",
    // round 42).
    "最新状况",
    "最新情况",
    "最新进展",
    "【更新】",
    // Round 45's reviews: an official reply that calls an earlier word out of date ("2楼的说法
    // 已经过时了。现在…可以直接在App办理").
    // A thread's author updating their own post ("更新一下:剛剛打188問客服…").
    "更新一下",
    "说法已经过时",
    "说法已过时",
    "is out of date",
    "is now out of date",
];

/// Words of a user who asked the carrier and reports its word, after the fold ("打去客服問了，
/// 客服說門號退租要本人…去直營門市辦", round 50's first wave): a later word, as a correction
/// is, in a statement; not in a question ("客服说可以在App注销号码,但我找不到入口,有人知道吗?",
/// the read-back of round 50).
pub(super) const RELAYED: [&str; 7] = [
    "客服说",
    "客服回复说",
    "问了客服",
    "问过客服",
    "customer service told me",
    "customer service said",
    "support told me",
];

/// Does a statement (folded) report the carrier's word, as a user relays it ([`RELAYED`])?
pub(super) fn relays(folded: &str) -> bool {
    RELAYED.iter().any(|w| folded.contains(w))
}

/// How many dated notices one page is read for.
pub(super) const NOTICES: usize = 16;

/// Words of a pause, lower-cased, in both scripts: a notice of a maintenance window says when a
/// way is back, not that it is gone.
pub(super) const PAUSE_WORDS: [&str; 8] = [
    "temporar",
    "maintenance",
    "維護",
    "维护",
    "期間",
    "期间",
    "升級",
    "升级",
];

/// Words of a post's line that name the carrier's own account, after the fold ("Clover_Ciara ·
/// Clover Team", "#4 csl. 客戶服務團隊官方 · 2025-01-09", "5楼 中国移动客服(官方认证)").
pub(super) const OFFICIAL: [&str; 9] = [
    " team",
    "staff",
    "moderator",
    "official",
    "官方",
    "客服团队",
    "客户服务团队",
    "客服代表",
    "版主",
];

/// Longest line (in characters) read as a post's line: who wrote it and when ("SkyLink_Moderator
/// (SkyLink staff) · 4 March · Accepted solution", round 47).
pub(super) const POST_LINE_CHARS: usize = 80;

/// How many of the carrier's replies, latest first, are looked at for one that answers: each
/// is matched against the page's statements.
pub(super) const OFFICIAL_REPLIES: usize = 8;

/// How many blocks after its post line a reply may run.
pub(super) const REPLY_BLOCKS: usize = 6;

/// Labels of a later word in a thread, after the fold ([`corrects`]).
pub(super) const LATER_WORDS: [&str; 3] = ["update:", "edit:", "更新:"];
