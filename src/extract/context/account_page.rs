//! Account page: a page that is itself the online way. A logged-in account page or an online
//! service hall ("My Account › Services", 會員專區, 网上营业厅) that carries an action for ending
//! the service ("Request disconnection ›", 申請終止租用 ›, a form headed 销户申请 with its
//! 下一步 button) offers that ending online, though no sentence says "online" (round 37's
//! reviews). Only the page's first blocks say where it sits, and only a short action (a label
//! with an arrow, or a block that is one link, opening with asking or with the ending) or a
//! form's heading acts; a help article's "How to cancel ›" link is neither. Part of [`Page`]'s
//! reading; pure.

use super::{Page, at_most_chars};
use crate::extract::lexicon::Concept;
use crate::extract::reading::ARROWS;
use crate::extract::structure::Role;

/// How many blocks from the top of the page say where it sits.
const AREA_BLOCKS: usize = 5;
/// Longest action label, in characters ("Request disconnection of this line ›").
const ACTION_CHARS: usize = 40;
/// How many blocks after a form's heading its button is looked for.
const FORM_LOOK: usize = 16;

/// Words of a signed-in account area or an online service hall, after the fold.
const AREAS: [&str; 18] = [
    "my account",
    "我的账户",
    "我的帐户",
    "账户管理",
    "帐户管理",
    "会员专区",
    "会员中心",
    "网上营业厅",
    "掌上营业厅",
    "网上客户服务中心",
    "网上服务中心",
    "member centre",
    "member center",
    "member area",
    "welcome back",
    "欢迎回来",
    "sign out",
    "登出",
];

/// Verbs that open an action label, after the fold ("Request disconnection ›", 遞交終止申請 ›).
const ACTIONS: [&str; 8] = [
    "request ", "submit ", "apply ", "start ", "申请", "递交", "提交", "立即",
];

/// How many characters of a sentence of the page's first blocks are read for where it sits,
/// and how many sentences of each.
const AREA_CHARS: usize = 200;
const AREA_SENTENCES: usize = 8;
/// A Chinese label says more than its ending word with at least this many characters (申請終止).
const LABEL_CJK: usize = 4;

/// Words of a page for visitors not signed in, after the fold.
const SIGN_IN: [&str; 6] = ["sign in", "log in", "login", "登入", "登录", "注册"];

/// Words of a label that acts on something else than the ending, after the fold.
pub(super) const NOT_ACTIONS: [&str; 9] = [
    "status",
    "progress",
    "track",
    "进度",
    "状态",
    "查询",
    "预约",
    "appointment",
    "book ",
];

/// A form's submit button, the whole block after the fold.
const BUTTONS: [&str; 8] = [
    "提交",
    "提交申请",
    "确认提交",
    "下一步",
    "submit",
    "submit request",
    "next",
    "continue",
];

impl Page<'_> {
    /// The block that puts the page in an account area, if one of its first blocks does: worked
    /// out once per page, over a bounded head of each sentence. A block that asks the reader to
    /// sign in ("Sign in to My Account") is a page for those not signed in.
    fn account_area(&self) -> Option<usize> {
        *self.area.get_or_init(|| {
            (0..AREA_BLOCKS.min(self.blocks.len())).find(|&b| {
                let heads = || {
                    self.of_block(b)
                        .iter()
                        .take(AREA_SENTENCES)
                        .map(|s| crate::extract::block::first_chars(&s.folded, AREA_CHARS))
                };
                !heads().any(|t| SIGN_IN.iter().any(|w| t.contains(w)))
                    && heads().any(|t| AREAS.iter().any(|w| t.contains(w)))
            })
        })
    }

    /// Does block `b`, naming the ending and no way, act on this page: an action label, or a
    /// form's heading with its button below, on a page in an account area? Then the page is
    /// the way; the area's block is returned as the context shown.
    pub(super) fn acts_here(&self, b: usize) -> Option<usize> {
        let raw = self.blocks.get(b)?.trim();
        let [s] = self.of_block(b) else {
            return None;
        };
        let text = s.text.trim();
        if !at_most_chars(text, ACTION_CHARS) || s.reading.offline() || s.reading.any_trap {
            return None;
        }
        let folded = s.folded.trim();
        // A booking, a status or a progress link acts on something else ("Request
        // disconnection status ›", 预约销户申请).
        if NOT_ACTIONS.iter().any(|w| folded.contains(w)) {
            return None;
        }
        // A label: an arrow after it, or a block that is one link ("[Terminate this
        // number](…)"); it acts when it opens with asking or with the ending itself, and says
        // more than the bare word (a form's "Cancel" leaves the form).
        let link = raw.starts_with('[') && raw.ends_with(')') && raw.matches("](").count() == 1;
        let words = folded.trim_end_matches(ARROWS).split_whitespace().count();
        let cjk = folded
            .chars()
            .filter(|&c| crate::extract::normalise::is_cjk(c))
            .count();
        let says_more = words >= 2 || cjk >= LABEL_CJK;
        let acts = || {
            ACTIONS.iter().any(|a| folded.starts_with(a))
                || self.lexicon.scan(folded).first_at(Concept::Terminate) == Some(0)
        };
        let action = (text.ends_with(ARROWS) || link) && says_more && acts();
        let form = matches!(self.ctx(b).role, Role::Heading)
            && ["申请", "application", "request"]
                .iter()
                .any(|w| folded.contains(w))
            && self.submits_below(b);
        if !(action || form) {
            return None;
        }
        self.account_area().filter(|&a| a != b)
    }
    /// Does a form's submit button stand within [`FORM_LOOK`] blocks after `b`?
    fn submits_below(&self, b: usize) -> bool {
        (b + 1..self.blocks.len().min(b + 1 + FORM_LOOK)).any(|x| {
            self.of_block(x).iter().any(|s| {
                let t = s.folded.trim().trim_end_matches(ARROWS).trim();
                BUTTONS.contains(&t)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::lexicon::Lexicon;
    use crate::extract::verdict::{Verdict, assess_structured};

    fn verdict(html: &str) -> Verdict {
        let url = "https://example.com/".parse().unwrap();
        let extractor = crate::extract::Extractor::new(&["main".to_string()], &[]).unwrap();
        let blocks = extractor.extract(html, &url).unwrap();
        assess_structured(Lexicon::builtin(), &blocks).verdict
    }

    /// The rule needs all three: an account area at the top, a short label, and a label that
    /// asks or ends.
    #[test]
    fn an_action_label_on_an_account_page_is_the_online_way() {
        let page = |top: &str, label: &str| {
            verdict(&format!(
                "<main><p>{top}</p><h1>Your services</h1><h2>Mobile 5550 1234</h2>\
                 <ul><li>Change plan ›</li><li>{label}</li></ul></main>"
            ))
        };
        assert_eq!(
            page("My Account › Services", "Request disconnection ›"),
            Verdict::Supported
        );
        assert_eq!(
            page(
                "My Account › Services",
                "[Terminate this line](https://example.com/end)"
            ),
            Verdict::Supported
        );
        // Not a help page's trail, not an unmarked line, not a link that only tells how.
        assert_eq!(
            page("Help › Billing", "Request disconnection ›"),
            Verdict::Unknown
        );
        assert_eq!(
            page("My Account › Services", "Request disconnection"),
            Verdict::Unknown
        );
        assert_eq!(
            page("My Account › Services", "How to request disconnection ›"),
            Verdict::Unknown
        );
        // Nor a form's bare "Cancel", a status link, or a page for visitors not signed in
        // (the read-through of round 37).
        assert_eq!(page("My Account › Services", "Cancel ›"), Verdict::Unknown);
        assert_eq!(
            page("My Account › Services", "Request disconnection status ›"),
            Verdict::Unknown
        );
        assert_eq!(
            page("Sign in to My Account", "Request disconnection ›"),
            Verdict::Unknown
        );
        // Nor a label too long to be one.
        assert_eq!(
            page(
                "My Account › Services",
                "Request disconnection of any of the lines on this account, mobile or fixed ›"
            ),
            Verdict::Unknown
        );
    }

    #[test]
    fn a_form_headed_for_ending_with_its_button_is_the_online_way() {
        let form = |button: &str| {
            verdict(&format!(
                "<main><p>网上营业厅 › 办业务</p><h1>销户申请</h1><p>手机号码</p><p>服务密码</p>\
                 <p>{button}</p></main>"
            ))
        };
        assert_eq!(form("下一步"), Verdict::Supported);
        assert_eq!(form("温馨提示：请核对号码"), Verdict::Unknown);
    }
}
