//! Marks and footnotes: the marks a cell or badge ends with ("✓※", "Yes*") and whether the
//! footnote they point to takes the tick back, for everyone or for some customers. Pure.

use super::{Page, ROW_CELLS, Sentence, stance_of};
use crate::extract::lexicon::Concept;
use crate::extract::normalise::half_width;
use crate::extract::reading::Object;
use crate::extract::structure::Role;
use crate::extract::verdict::Stance;

pub(super) use crate::extract::reading::FOOTNOTE_MARKS;

/// `t` after the footnote mark `mark`, when it opens with it. A mark may be written full-width
/// on one side and half-width on the other ("✓#" over "＃ 網上只提供預約…", round 49): ＃ is #,
/// ＊ is *.
fn after_mark<'t>(t: &'t str, mark: &str) -> Option<&'t str> {
    let mut rest = t;
    for m in mark.chars() {
        let c = rest.chars().next()?;
        if half_width(c) != half_width(m) {
            return None;
        }
        rest = &rest[c.len_utf8()..];
    }
    Some(rest)
}

/// The marks at the end of a cell's or header's text ("✓**" gives "**"), at most three.
pub(super) fn trailing_marks(text: &str) -> &str {
    let t = text.trim_end();
    // A tick with a note's number or label ("✓¹" as a page's `<sup>1</sup>` gives it: "✓1";
    // "✓<sup>註</sup>"), also after the way it ticks in a badge ("線上 ✓1", round 51).
    if let Some((_, rest)) = t.rsplit_once(['✓', '✔', '√'])
        && ((1..=2).contains(&rest.len()) && rest.bytes().all(|c| c.is_ascii_digit())
            || rest == "註"
            || rest == "注")
    {
        return rest;
    }
    // A mark with its note's number ("✓※1", "Yes*2", round 47's first wave): the number
    // belongs to the mark, as "※1" opens the note.
    let body = t.trim_end_matches(|c: char| c.is_ascii_digit());
    let body = if t.len() - body.len() <= NOTE_NUMBER_DIGITS {
        body
    } else {
        t
    };
    let start = body
        .char_indices()
        .rev()
        .take(3)
        .take_while(|(_, c)| FOOTNOTE_MARKS.contains(c))
        .last()
        .map_or(t.len(), |(i, _)| i);
    &t[start..]
}

/// Longest text read for a mark inside it ("取消服務* 網上 ✓"): a badge, not a sentence.
pub(super) const BADGE_CHARS: usize = 40;

/// The mark a cell, header or badge points to its footnote with: the marks at its end
/// ([`trailing_marks`]), or in a badge of at most [`BADGE_CHARS`] characters a run of marks
/// right after a word ("取消服務* 網上 ✓", round 45's probes).
pub(super) fn note_mark(text: &str) -> &str {
    let end = trailing_marks(text);
    if !end.is_empty() || text.chars().nth(BADGE_CHARS).is_some() {
        return end;
    }
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        if FOOTNOTE_MARKS.contains(&c) && !prev.is_whitespace() && !FOOTNOTE_MARKS.contains(&prev) {
            let len: usize = text[i..]
                .chars()
                .take(3)
                .take_while(|c| FOOTNOTE_MARKS.contains(c))
                .map(char::len_utf8)
                .sum();
            // With its note's number, as at the end ([`trailing_marks`]).
            let digits = text[i + len..]
                .bytes()
                .take(NOTE_NUMBER_DIGITS + 1)
                .take_while(u8::is_ascii_digit)
                .count();
            let len = if digits <= NOTE_NUMBER_DIGITS {
                len + digits
            } else {
                len
            };
            return &text[i..i + len];
        }
        prev = c;
    }
    ""
}

/// Words of a footnote that narrows its tick to some customers, after the fold ("* 只適用於以香港
/// 身份證登記之個人客戶", "* Prepaid lines excepted"): the tick stands for the others.
pub(super) const NARROWS: [&str; 9] = [
    "只适用",
    "仅适用",
    "除外",
    "不适用于",
    "except",
    "excluding",
    "not applicable to",
    "only available to",
    "only available for",
];

/// How many blocks after a marked cell its footnote is looked for.
pub(super) const FOOTNOTE_LOOK: usize = 40;

/// Most digits of a note's number after its mark ("✓※1", "*12"): more are a figure, not a note.
pub(super) const NOTE_NUMBER_DIGITS: usize = 2;

impl<'a> Page<'a> {
    /// Does the footnote a marked cell points to ("✓※", "Yes*", "✓△") take its tick back?
    /// The footnote is the first block after the cell, within [`FOOTNOTE_LOOK`] blocks and
    /// outside the table, that opens with the mark. It takes the tick back when it speaks of
    /// the online way and makes it a booking, a check or an add-on's. A footnote that narrows
    /// the tick ("* Not available for business accounts") or denies the online way leaves it:
    /// for the others, or to contradict.
    pub(super) fn footnote_takes_back(&self, b: usize) -> bool {
        // The mark may stand on the cell ("✓※") or on its row's or column's header
        // ("取消服務 #"); a run of marks ("✓**") is matched whole.
        let c = self.ctx(b);
        let Some(mark) = [Some(b), c.row_header, c.column_header]
            .into_iter()
            .flatten()
            .filter_map(|x| self.blocks.get(x))
            .map(|t| note_mark(t))
            .find(|m| !m.is_empty())
        else {
            return false;
        };
        let Some(f) = (b + 1..self.blocks.len().min(b + 1 + FOOTNOTE_LOOK))
            .find(|&x| {
                !matches!(self.ctx(x).role, Role::Cell { .. })
                    && self.blocks.get(x).is_some_and(|t| {
                        after_mark(t.trim_start(), mark).is_some_and(|rest| {
                            !rest.starts_with(FOOTNOTE_MARKS)
                                && !rest.starts_with(|c: char| c.is_ascii_digit())
                        })
                    })
            })
            .or_else(|| self.numbered_note(b, mark))
        else {
            return false;
        };
        // It speaks of the online way (網路門市, APP, 我的賬戶) and makes it a booking, a check
        // or an add-on's: "※ 網路門市只提供退租預約…仍須本人…到該門市". A note about a shop's
        // hours, a group of customers sent to the shop, or what follows an online request
        // ("you will receive a confirmation email") leaves the tick (the second read-through).
        let ss = self.of_block(f);
        // Read in its own words: the trap's clause, which names the way, is dropped from the
        // reading.
        // It names the ending too: "* You will receive a confirmation email" follows an online
        // request, it does not take it back.
        let (mut online, mut ends) = (false, false);
        for x in ss {
            let c = self.lexicon.concepts(&x.folded);
            online |= c.has(Concept::Online);
            ends |= c.has(Concept::Terminate);
        }
        let other = ss
            .iter()
            .any(|x| x.reading.any_trap || x.reading.object() == Some(Object::Addon));
        // Or it refuses the online ending for everyone ("* …終止服務申請必須由登記用戶親臨門市
        // 遞交，網上恕不受理", "¹ …we can't end a contract from a web request alone"): the mark
        // ties the refusal to the tick, which is taken back, not contradicted (round 45's
        // reviews). A refusal for some customers only narrows the tick and leaves it.
        // So does one that sends the ending itself offline ("The cancellation itself can only
        // be done by phone", 終止服務手續須由登記客戶本人…親臨客戶服務中心辦理, "…is completed by
        // the Leaving team during that call, or in a store"), where the note offers no online
        // way of its own and narrows nothing ("* 只適用於個人客戶", "* Prepaid lines excepted").
        let stance = |x: &Sentence| stance_of(&x.reading, x.reading.service);
        let refused = ss.iter().any(|x| {
            !x.reading.qualified
                && match stance(x) {
                    Stance::NegatedOnline | Stance::OfflineDemanded => true,
                    Stance::OfflineOnly => x.reading.service.has(Concept::Terminate),
                    _ => false,
                }
        });
        // Not a charge looked up online ("* In My Heron you can see any cancellation charges").
        let offers = ss.iter().any(|x| {
            stance(x) == Stance::Online
                && !x.reading.any_trap
                && x.reading.service.has(Concept::Terminate)
                && !x.reading.all.has(Concept::Fee)
                && !x.reading.all.has(Concept::Refund)
        });
        // So does a refusal for a kind of customers ("¹ Online termination is not available for
        // corporate accounts", round 51), unless it names all of them ("for all postpaid
        // accounts") or the kind the marked cell is for (its column "Corporate accounts").
        // The cell's own kind is looked up only for such a refusal.
        // Or for a group of customers other than the page's own ("* 副卡、政企號碼及物聯網卡不支持
        // 通過APP銷戶", round 52's first wave).
        let narrows =
            ss.iter().any(|x| {
                NARROWS.iter().any(|w| x.folded.contains(w))
                    || stance(x) == Stance::NegatedOnline
                        && !["all ", "所有", "全部", "一律"]
                            .iter()
                            .any(|w| x.folded.contains(w))
                        && (super::kinds::names_group(&x.folded)
                            && !self.title_audience().is_some_and(|(words, _)| {
                                words.iter().any(|w| super::kinds::names_word(&x.folded, w))
                            })
                            || super::kinds::kinds_named(&x.text).particular().is_some_and(
                                |kinds| self.block_product(b).is_none_or(|k| !kinds.contains(&k)),
                            ))
            });
        // A booking that sends the steps themselves to the shop speaks of the ending without
        // its word ("* 網上只可預約…;有關手續須於預約時段親臨門市完成", round 52's first wave).
        let ends = ends || other && ss.iter().any(|x| stance(x) == Stance::OfflineDemanded);
        // A note that sends the ending to one offline way alone takes the tick back without naming
        // the online one ("¹ You can book a call back online… Contracts can only be ended over
        // the phone", round 52's second wave), for every line.
        let only_offline = || {
            ss.iter().any(|x| {
                stance(x) == Stance::OfflineDemanded
                    && x.reading.service.has(Concept::Terminate)
                    && ["only", "只", "仅", "一律"]
                        .iter()
                        .any(|w| x.folded.contains(w))
                    // Not for some lines ("* Prepaid SIM cards can only be terminated at a shop").
                    && super::kinds::kinds_named(&x.text).particular().is_none()
                    && !super::kinds::names_group(&x.folded)
            })
        };
        (online || refused && !narrows && only_offline())
            && ends
            && (other || refused && !offers && !narrows)
    }

    /// The note a number mark points to ("✓<sup>1</sup>") when the notes are a numbered list
    /// whose items do not repeat their numbers (`<ol><li>網上只供預約…</li>`, round 51's first
    /// wave): the item of that number in the first list after block `b`, outside the table,
    /// within [`FOOTNOTE_LOOK`] blocks.
    fn numbered_note(&self, b: usize, mark: &str) -> Option<usize> {
        // Digits only: `parse` alone would take a sign ("+1").
        if !mark.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let n: usize = mark.parse().ok()?;
        let end = self.blocks.len().min(b + 1 + FOOTNOTE_LOOK);
        let first = (b + 1..end).find(|&x| self.ctx(x).role == Role::Item)?;
        let list = self.ctx(first).list?;
        (first..end)
            .filter(|&x| self.ctx(x).role == Role::Item && self.ctx(x).list == Some(list))
            .nth(n.checked_sub(1)?)
    }

    /// Is block `b` the cell that heads a table's row (a `<th>` or its first cell) whose row
    /// answers yes with a marked tick ("✓*") that its footnote takes back
    /// ([`Page::footnote_takes_back`])? Only the cells within [`ROW_CELLS`] blocks after it are
    /// read.
    pub(super) fn row_tick_taken_back(&self, b: usize) -> bool {
        matches!(self.ctx(b).role, Role::Cell { .. })
            && (b + 1..self.blocks.len().min(b + ROW_CELLS + 1))
                .filter(|&x| self.ctx(x).row_header == Some(b))
                .any(|x| {
                    self.blocks.get(x).is_some_and(|t| {
                        !note_mark(t).is_empty() && crate::extract::reading::yes_no(t) == Some(true)
                    }) && self.footnote_takes_back(x)
                })
    }
}
