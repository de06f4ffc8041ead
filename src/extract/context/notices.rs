//! Dated notices and updates: the date a section, a paragraph or a post is dated with, an
//! update's label ("Update – June 2:"), a page's edit stamp, and which notice a block stands in.
//! The verdict lets the latest notice answer. Pure; reads the page's blocks.

use super::Page;
use crate::extract::block::{MAX_CONTEXT_CHARS, cut_chars};
use crate::extract::structure::Role;

/// Does a line (its first [`MAX_CONTEXT_CHARS`]) announce a change ([`UPDATE_HEADS`])?
pub(super) fn updates(line: &str) -> bool {
    let t = cut_chars(line, MAX_CONTEXT_CHARS).to_lowercase();
    UPDATE_HEADS.iter().any(|w| t.contains(w))
}

/// Where a line's edit-stamp word stands ([`EDIT_STAMPS`]), in the line lower-cased.
pub(super) fn edit_stamp(line: &str) -> Option<usize> {
    let lower = line.to_lowercase();
    EDIT_STAMPS.iter().find_map(|w| lower.find(w))
}

/// Does a paragraph open with an update's label, dated or not ("Update – June 2:", "Update:",
/// 【更新】)? Its first [`UPDATE_LABEL_CHARS`] characters are read.
pub(super) fn update_label(text: &str) -> bool {
    let head = crate::extract::normalise::for_matching(crate::extract::block::first_chars(
        text.trim_start(),
        UPDATE_LABEL_CHARS,
    ));
    // 更新(2024 年 7 月 2 日): a date in brackets after the label (round 52's first wave);
    // 重要通知(2025年1月1日起生效):, "New from 1 July:" (its second wave).
    [
        "update",
        "【更新",
        "[update",
        "更新:",
        "更新(",
        "最新消息:",
        "重要通知",
        "重要更新",
        "new from",
        // Round 53's first wave: 請注意：由 2024 年 11 月 1 日起，…「終止服務」功能已停止提供.
        "请注意:由",
        "请注意:自",
        "please note: from",
        "please note: as of",
        // Round 53's second wave: 【最新安排｜2025年3月1日起生效】, "Change from 1 July 2025:".
        "【最新安排",
        "最新安排:",
        "change from",
        // Round 53's third wave: 【公告更新 2024/08/01】.
        "【公告更新",
    ]
    .iter()
    .any(|w| head.starts_with(w))
        // "Update your address in the app - then call us" asks; it labels nothing (the review
        // of round 62, when the window grew to 32).
        && !["update your", "update the", "update my"]
            .iter()
            .any(|w| head.starts_with(w))
        && [':', '】', ']', '–', '-'].iter().any(|c| head.contains(*c))
}

/// How many characters of a paragraph are read for an update's label.
/// "Change from 12 January 2025:" is 28 (round 62's first wave).
pub(super) const UPDATE_LABEL_CHARS: usize = 32;

/// Words of a heading that announces a change, lower-cased, in both scripts.
pub(super) const UPDATE_HEADS: [&str; 16] = [
    "update",
    "notice",
    "announcement",
    "important",
    "what's new",
    "effective",
    "as of",
    "生效",
    "公告",
    "更新",
    "通知",
    "通告",
    "最新",
    "異動",
    "异动",
    "重要",
];

/// How many blocks under a heading are looked at for the notice's date, and the longest such
/// line ([`Page::section_date`]).
pub(super) const DATE_LINES: usize = 2;

pub(super) const DATE_LINE_CHARS: usize = 60;

/// Words of a page's edit stamp, lower-cased, in both scripts.
pub(super) const EDIT_STAMPS: [&str; 6] = [
    "last updated",
    "last update",
    "最後更新",
    "最后更新",
    "更新日期",
    "updated on",
];

/// How many blocks of a page are looked at for an edit stamp ([`Page::edited_after`]).
pub(super) const STAMP_BLOCKS: usize = 4096;

/// How many blocks above a statement are looked at for its post's date line.
pub(super) const POST_LINES: usize = 8;

impl<'a> Page<'a> {
    /// The date section `h` is dated with: in its heading ("【113/09/02】…公告"), or on a short
    /// line among the first [`DATE_LINES`] blocks under it ("Posted 12 September 2023",
    /// 公告日：2024/06/14). A date inside the notice's text ("From 15 September 2023, …") is
    /// when something happens, not when the notice was made, and is not read.
    pub(crate) fn section_date(&self, h: usize) -> Option<chrono::NaiveDate> {
        let short = |t: &str| t.chars().nth(DATE_LINE_CHARS).is_none();
        std::iter::once(h)
            .chain((h + 1..self.blocks.len()).take(DATE_LINES))
            // A sub-heading's date is its own notice's, not this section's (round 42).
            .filter(|&b| b == h || self.section_head(b) == Some(h))
            .filter_map(|b| self.blocks.get(b))
            .filter(|t| short(t))
            .find_map(|t| {
                if updates(t) {
                    crate::extract::dates::notice_date(t)
                } else {
                    crate::extract::dates::first_date(t)
                }
            })
    }

    /// The notice a statement of block `b` stands in: `b` itself when it is a paragraph that
    /// opens with an update's label and date ("Update – 14 April 2025: we no longer take
    /// cancellations over Chat", round 42), else its section ([`Page::section_head`]).
    /// Below a section's own date, a statement stands in the post that the nearest short dated
    /// line above it opens ("kwok2046 2026-08-20", "回答3 2025-05-09": a thread's
    /// replies, round 42).
    pub(crate) fn notice_of(&self, b: usize) -> Option<usize> {
        if self.ctx(b).role != Role::Heading && self.opening_notice_date(b).is_some() {
            return Some(b);
        }
        let head = self.section_head(b);
        let post = (b.saturating_sub(POST_LINES)..b)
            .rev()
            .take_while(|&x| self.ctx(x).role != Role::Heading)
            .find(|&x| self.post_date(x).is_some());
        match (post, head) {
            // The line that dates the section itself ("Posted 12 September 2023" under its
            // heading): the section is the notice.
            (Some(p), Some(h)) if p <= h + DATE_LINES && self.section_date(h).is_some() => head,
            (Some(p), _) => Some(p),
            (None, _) => head,
        }
    }

    /// Does block `b` stand in notice `h` ([`Page::notice_of`])? A heading's notice holds its
    /// whole section.
    pub(crate) fn in_notice(&self, b: usize, h: usize) -> bool {
        match self.ctx(h).role {
            // Not a statement of a dated notice nested in it ("历史公告" with its own dates under
            // the newest notice's heading, round 43).
            Role::Heading => {
                self.in_section(b, h)
                    && self
                        .notice_of(b)
                        .is_none_or(|n| n == h || self.notice_date(n).is_none())
            }
            _ => self.notice_of(b) == Some(h),
        }
    }

    /// The date of notice `h` ([`Page::notice_of`]): a section's, a paragraph's opening date,
    /// or a post's date line.
    pub(crate) fn notice_date(&self, h: usize) -> Option<chrono::NaiveDate> {
        match self.ctx(h).role {
            Role::Heading => self.section_date(h),
            _ => self.opening_notice_date(h).or_else(|| self.post_date(h)),
        }
    }

    /// Does a short edit stamp of the page ("Article last updated: June 4, 2025", 本页最后更新：
    /// 2024-09-02) date it after `date`? Read only over undated text beside a notice; at most
    /// [`STAMP_BLOCKS`] blocks are looked at.
    pub(crate) fn edited_after(&self, date: chrono::NaiveDate) -> bool {
        self.blocks.iter().take(STAMP_BLOCKS).any(|t| {
            t.chars().nth(DATE_LINE_CHARS).is_none()
                && edit_stamp(t).is_some_and(|at| {
                    t.get(at..)
                        .and_then(crate::extract::dates::any_date)
                        .is_some_and(|d| d > date)
                })
        })
    }

    /// The date of a short line that holds one ("soso_hk 2024-05-11", "作者 lazyrabbit ‧
    /// 2024/08/02").
    pub(super) fn post_date(&self, b: usize) -> Option<chrono::NaiveDate> {
        let t = self.blocks.get(b)?;
        if t.chars().nth(DATE_LINE_CHARS).is_some() {
            return None;
        }
        // "Article last updated: June 4, 2025", 本页最后更新: the page's edit, not a post.
        if edit_stamp(t).is_some() {
            return None;
        }
        crate::extract::dates::line_date(t)
    }

    /// The date a paragraph opens with after an update's label, within its first
    /// [`DATE_LINE_CHARS`] characters.
    pub(super) fn opening_notice_date(&self, b: usize) -> Option<chrono::NaiveDate> {
        let lead = crate::extract::block::first_chars(self.blocks.get(b)?, DATE_LINE_CHARS);
        updates(lead)
            .then(|| crate::extract::dates::first_date(lead))
            .flatten()
    }

    /// Does block `b`, a paragraph, open with an update's label and date ("Update – June 2:
    /// …", 【更新 2024/03/01】…)?
    pub(crate) fn opens_update(&self, b: usize) -> bool {
        self.ctx(b).role != Role::Heading
            && (self.opening_notice_date(b).is_some()
                || self.blocks.get(b).is_some_and(|t| update_label(t)))
    }

    /// Does block `b` follow a short line that is an update's label and date alone ("Service
    /// update, 12 January 2025" above its paragraph, round 52's first wave)? Not a page's edit
    /// stamp (更新日期：2025/03/18 under the title).
    pub(crate) fn follows_update_line(&self, b: usize) -> bool {
        b.checked_sub(1).is_some_and(|l| {
            self.blocks.get(l).is_some_and(|t| {
                t.chars().nth(DATE_LINE_CHARS).is_none() && edit_stamp(t).is_none()
            }) && self.opens_update(l)
        })
    }

    /// Is heading `h` (or the date line that stands as its heading, or a paragraph opening a
    /// notice) an update or notice
    /// ("Update – 15 September 2026", 公告：合併後服務異動, 【更新】)?
    pub(crate) fn heads_an_update(&self, h: usize) -> bool {
        self.blocks.get(h).is_some_and(|t| updates(t))
    }
}
