//! Which of several groups of words a folded text names, found in one pass over the text
//! rather than one substring search per word ([`names_word`]'s rule for every word). Pure.
//!
//! Built for the tables of kinds and groups of customers ([`super::kinds`]): a page's
//! commonest group was found by searching each of its first blocks for each of ~150 words, one
//! searcher built per word and block, which cost about 9 % of a first check's CPU (issue 16).

use aho_corasick::AhoCorasick;

use super::kinds::names_word;

/// Groups of words, each group named by its position (at most 64 groups).
pub(crate) struct WordSets {
    finder: Option<AhoCorasick>,
    /// For each pattern: its group, and whether it must stand as an ASCII word.
    patterns: Vec<(u8, bool)>,
    words: Vec<&'static str>,
}

/// The groups a text names, as bits by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Named(u64);

impl Named {
    pub fn has(self, group: usize) -> bool {
        group < 64 && self.0 & (1 << group) != 0
    }

    pub fn any(self) -> bool {
        self.0 != 0
    }
}

impl WordSets {
    /// The groups, in order; an empty word is never named.
    pub fn new<'g>(groups: impl IntoIterator<Item = &'g [&'static str]>) -> WordSets {
        let mut patterns = Vec::new();
        let mut words = Vec::new();
        for (g, group) in groups.into_iter().enumerate().take(64) {
            for w in group.iter().filter(|w| !w.is_empty()) {
                // `take(64)` keeps the index within a u8.
                patterns.push((g as u8, w.is_ascii()));
                words.push(*w);
            }
        }
        // The words are the program's own constants: a build error here would be a bug, and
        // falling back to searching word by word keeps the answers the same.
        let finder = AhoCorasick::new(&words).ok();
        WordSets {
            finder,
            patterns,
            words,
        }
    }

    /// The groups `text` names: a group is named when any of its words is in `text`, an ASCII
    /// word only where no ASCII letter or digit touches it on either side.
    pub fn named(&self, text: &str) -> Named {
        let Some(finder) = &self.finder else {
            return self.named_word_by_word(text);
        };
        let mut named = 0u64;
        let bytes = text.as_bytes();
        let alnum = |i: Option<&u8>| i.is_some_and(|b| b.is_ascii_alphanumeric());
        // Overlapping, so that a word inside a longer one of another group is seen as well.
        for m in finder.find_overlapping_iter(text) {
            let (group, ascii) = self.patterns[m.pattern().as_usize()];
            if named & (1 << group) != 0 {
                continue;
            }
            // Bytes, not chars: a non-ASCII char's bytes are never ASCII letters or digits.
            let touched = ascii
                && (alnum(m.start().checked_sub(1).and_then(|i| bytes.get(i)))
                    || alnum(bytes.get(m.end())));
            if !touched {
                named |= 1 << group;
            }
        }
        Named(named)
    }

    fn named_word_by_word(&self, text: &str) -> Named {
        let mut named = 0u64;
        for (w, (group, _)) in self.words.iter().zip(&self.patterns) {
            if named & (1 << group) == 0 && names_word(text, w) {
                named |= 1 << group;
            }
        }
        Named(named)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GROUPS: [&[&str]; 3] = [&["esim", "e-sim"], &["prepaid", "储值卡"], &["sim", "卡"]];

    fn sets() -> WordSets {
        WordSets::new(GROUPS)
    }

    #[test]
    fn the_one_pass_agrees_with_searching_word_by_word() {
        let s = sets();
        for text in [
            "esim customers",
            "my esims",
            "e-sim, prepaid",
            "prepaidsim",
            "储值卡客户",
            "esim卡",
            "resim",
            "sim",
            "",
            "é-sim esim2 (esim)",
            "預付esim",
        ] {
            assert_eq!(s.named(text), s.named_word_by_word(text), "{text}");
        }
    }

    #[test]
    fn ascii_words_stand_alone_and_cjk_words_anywhere() {
        let s = sets();
        assert!(s.named("esim customers").has(0));
        assert!(!s.named("esims").has(0));
        assert!(!s.named("resim").has(0));
        assert!(s.named("(esim)").has(0));
        assert!(s.named("用esim卡").has(0));
        assert!(s.named("用esim卡").has(2));
        assert!(s.named("储值卡客户").has(1));
        assert!(!s.named("prepaidsim").any());
    }

    #[test]
    fn a_word_inside_another_groups_word_is_seen() {
        // "sim" ends inside "e-sim", after a hyphen: overlapping matches see both groups.
        let s = sets();
        let n = s.named("e-sim");
        assert!(n.has(0) && n.has(2), "{n:?}");
        assert!(!s.named("esim").has(2), "sim touches the e");
        let n = s.named("prepaid 储值卡");
        assert!(n.has(1) && n.has(2));
    }

    #[test]
    fn more_than_64_groups_are_cut_at_64() {
        let words: Vec<[&'static str; 1]> = (0..70).map(|_| ["x"]).collect();
        let s = WordSets::new(words.iter().map(|w| &w[..]));
        let n = s.named("x");
        assert!(n.has(63));
        assert!(!n.has(64));
    }
}
