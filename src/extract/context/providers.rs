//! Pages that compare providers or are a chat with one: the sections per provider, a chat's
//! turns, and an agent who ends the service in the chat itself. Pure.

use super::labels::{
    DIALOGUE_LOOK, SPEAKERS, aspect_label, clause_label, customer_label, faq_marker, label_split,
    named_speakers, step_label,
};
use super::{PRODUCT_CHARS, Page};
use crate::extract::block::{MAX_CONTEXT_CHARS, at_most_chars, cut_chars};
use crate::extract::lexicon::Concept;
use std::collections::{BTreeMap, BTreeSet};

/// What an agent says when the ending is done in the chat itself, after the fold: a verb that
/// completes it. Not 已为您查询 (looked it up) nor "has been disconnected" (a port-out, an unpaid
/// bill: the read-through of round 41).
pub(super) const DONE_IN_CHAT: [&str; 26] = [
    "done –",
    "done -",
    "done!",
    "i've lodged",
    "i have lodged",
    "i've cancelled",
    "i have cancelled",
    "i've disconnected",
    "i have disconnected",
    "i've processed",
    "right here in the chat",
    "in this chat",
    "已为您办理",
    "已为您送出",
    "已为您提交",
    "已为您终止",
    "已为您注销",
    "已为您销户",
    "已为您退租",
    "已帮您办理",
    "已帮您提交",
    "已帮您注销",
    "已帮您销户",
    "本对话",
    "这个对话",
    "此对话",
];

/// Words near a page's top that make its dialogue a chat with the provider, after the fold.
pub(super) const CHATS: [&str; 9] = [
    "chat",
    "whatsapp",
    "messenger",
    "线上客服",
    "在线客服",
    "网上客服",
    "网络客服",
    "对话记录",
    "聊天",
];

/// How many sibling headings of plain names make a page's sections one per provider.
pub(super) const MIN_PROVIDERS: usize = 3;

/// How many blocks at a page's top are read for what the page is: a comparison of providers
/// ([`compares_providers`]) or a chat ([`CHATS`]).
pub(super) const TOP_LOOK: usize = 8;

/// Does `text` say that the page compares providers ("how each telco handles a cancellation",
/// 三大電信的對照)? Both a word of comparing and a word for providers are needed, or "each"
/// right before the providers: "Compare the options below" or "each plan … network" compare no
/// providers (the read-through of round 41). `text` is after the fold.
pub(super) fn compares_providers(text: &str) -> bool {
    const COMPARES: [&str; 11] = [
        "compare",
        "comparison",
        " vs",
        "比较",
        "对照",
        "对比",
        "各家",
        "三家",
        "四家",
        "五家",
        "各大",
    ];
    const PROVIDERS: [&str; 16] = [
        "telco",
        "carrier",
        "provider",
        "network",
        "operator",
        "mvno",
        "电信",
        "电讯",
        "运营商",
        "营运商",
        "业者",
        "移动",
        "三家",
        "四家",
        "五家",
        "各家",
    ];
    let names = |t: &str| PROVIDERS.iter().any(|p| t.contains(p));
    // "each telco", "every big carrier": the providers right after the word.
    let each = |w: &str| {
        text.match_indices(w).any(|(at, _)| {
            let next: String = text[at..].chars().take(EACH_REACH).collect();
            names(&next)
        })
    };
    COMPARES.iter().any(|w| text.contains(w)) && names(text) || each("each ") || each("every ")
}

/// How many characters from "each" or "every" the providers are looked for.
pub(super) const EACH_REACH: usize = 20;

/// Names of a page's sections that no provider goes by, after the fold.
pub(super) const SECTION_NAMES: [&str; 24] = [
    "overview",
    "eligibility",
    "things to know",
    "before you start",
    "good to know",
    "important",
    "notes",
    "note",
    "summary",
    "details",
    "faq",
    "faqs",
    "help",
    "contact us",
    "the bottom line",
    "our verdict",
    "概览",
    "须知",
    "注意事项",
    "说明",
    "常见问题",
    "总结",
    "备注",
    "小结",
];

impl<'a> Page<'a> {
    /// Is the page a dialogue: does some block open with a speaker's role as its label ("You:",
    /// "Customer:", "客服：")? Then every label is a speaker's ("Maya (Demo):"), not a product's
    /// (round 39's walk-through). Looked for once per page, in a bounded head of each block.
    pub(super) fn dialogue(&self) -> bool {
        *self.dialogue.get_or_init(|| {
            self.blocks.iter().any(|b| {
                label_split(b).is_some_and(|(label, _)| {
                    let folded = crate::extract::normalise::for_matching(label.trim());
                    SPEAKERS.contains(&folded.as_str())
                })
            }) || named_speakers(self.blocks)
        })
    }

    /// The provider whose section of a comparison block `b` stands in ("Telstra" › "Cancel in
    /// the My Telstra app"; 雲鵲行動 › 官網會員中心有「申請退租」按鈕, round 41): each provider's
    /// way is an answer of its own, not a contradiction of the next one's.
    pub(super) fn provider_heading(&self, b: usize) -> Option<String> {
        let &h = self.ctx(b).headings.last().filter(|&&h| h != b)?;
        let name = self.blocks.get(h)?;
        self.providers
            .get_or_init(|| self.find_providers())
            .contains(&h)
            .then(|| cut_chars(name, PRODUCT_CHARS).trim().to_string())
    }

    /// The headings of a page that compares providers: one that says so near its top ("here's
    /// how each telco handles it", 三大電信對照, 比較) and has, below that, at least
    /// [`MIN_PROVIDERS`] sibling headings that are short plain names (no word the lexicon knows,
    /// no question, no step, clause or section label). One pass over the blocks, each heading
    /// read once.
    pub(super) fn find_providers(&self) -> BTreeSet<usize> {
        // Most pages compare nothing: the cue is looked for first, near the page's top.
        let Some(cue) = self.near_top(compares_providers) else {
            return BTreeSet::new();
        };
        // Each heading once, with the chain above it.
        let mut parents: BTreeMap<usize, &[usize]> = BTreeMap::new();
        for c in self.context {
            if let Some((&h, parent)) = c.headings.split_last() {
                parents.entry(h).or_insert(parent);
            }
        }
        let mut siblings: BTreeMap<&[usize], BTreeSet<usize>> = BTreeMap::new();
        for (h, parent) in parents {
            // The names come after the words that say the page compares.
            if h > cue && self.plain_name(h) {
                siblings.entry(parent).or_default().insert(h);
            }
        }
        siblings
            .into_values()
            .filter(|names| names.len() >= MIN_PROVIDERS)
            .flatten()
            .collect()
    }

    /// Does sentence `k` report, in a chat with the provider, that its agent ended the service
    /// there and then ("Done – I've lodged the disconnection for 14 June", 已為您送出退租申請,
    /// round 41)? The chat is the online way, though no sentence names it. Said by a speaker who
    /// is not the customer, on a page that is a dialogue and says near its top that it is a
    /// chat.
    pub(super) fn done_in_chat(&self, k: usize) -> bool {
        let s = &self.sentences[k];
        let r = &s.reading;
        // Not an add-on stopped in the chat (已为您退订以上两项业务, round 39's reviews), nor the
        // way to a shop told in it (已为您登记，请到门市办理).
        if !r.all.has(Concept::Terminate)
            || r.all.has(Concept::Addon)
            || r.all.has(Concept::Offline)
            || r.negated
            || r.cannot_end
            || !DONE_IN_CHAT.iter().any(|w| s.folded.contains(w))
        {
            return false;
        }
        let Some((label, _)) = self
            .blocks
            .get(s.block)
            .and_then(|b| crate::extract::reading::speaker_split(b))
        else {
            return false;
        };
        !label.trim().is_empty() && !customer_label(label) && self.chat()
    }

    /// Is the page a chat with the provider: a dialogue, one of whose first [`DIALOGUE_LOOK`]
    /// blocks is labelled by a customer ("You:", 用戶：), that says near its top that it is a
    /// chat ([`CHATS`])? The agent is told apart from that customer: one who goes by a name
    /// ("Sam: Done – I've cancelled by phone") is not. Worked out once per page.
    pub(super) fn chat(&self) -> bool {
        *self.chat.get_or_init(|| {
            self.blocks.iter().take(DIALOGUE_LOOK).any(|b| {
                crate::extract::reading::speaker_split(b).is_some_and(|(l, _)| customer_label(l))
            }) && self.dialogue()
                && self
                    .near_top(|head| CHATS.iter().any(|w| head.contains(w)))
                    .is_some()
        })
    }

    /// The first of the page's first [`TOP_LOOK`] blocks that `says` something of the page,
    /// each read in its first [`MAX_CONTEXT_CHARS`] characters, after the fold.
    pub(super) fn near_top(&self, says: impl Fn(&str) -> bool) -> Option<usize> {
        self.blocks.iter().take(TOP_LOOK).position(|t| {
            says(&crate::extract::normalise::for_matching(&cut_chars(
                t,
                MAX_CONTEXT_CHARS,
            )))
        })
    }

    /// Is block `h` a short plain name: a heading that could name a provider?
    pub(super) fn plain_name(&self, h: usize) -> bool {
        let Some(text) = self.blocks.get(h) else {
            return false;
        };
        if !at_most_chars(text, PRODUCT_CHARS) {
            return false;
        }
        let folded = crate::extract::normalise::for_matching(text.trim());
        self.of_block(h)
            .iter()
            .all(|x| x.reading.all.is_empty() && !x.reading.question)
            && !folded.is_empty()
            && !SECTION_NAMES.contains(&folded.as_str())
            && !faq_marker(&folded)
            && !step_label(&folded)
            && !clause_label(&folded)
            && !aspect_label(&folded)
    }
}
