//! Cues: one pass over a clause's characters says which of the reader's costlier phrase checks
//! (pointers to more reading, a price for ending, looking something up, a plan change, a call,
//! a way not taken, an API route)
//! can match at all, so that a clause with none of their words costs no substring search. Pure.

/// Which phrase checks a clause can match.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(super) struct Cues(u16);

impl Cues {
    /// A pointer to more reading or something checked, found or received (left_out's POINTERS).
    pub(super) const POINTER: u16 = 1;
    /// "without paying …".
    pub(super) const PRICE: u16 = 2;
    /// "look on the website".
    pub(super) const LOOK: u16 = 4;
    /// A plan changed, upgraded, switched (变更套餐).
    pub(super) const PLAN: u16 = 8;
    /// A verb of calling ("call your provider", "ring the team").
    pub(super) const CALL: u16 = 16;
    /// A verb of ending whose object must say what is ended ("end your fibre plan").
    pub(super) const END: u16 = 32;
    /// A chat that may be named by its brand ("via Sunrise Chat").
    pub(super) const CHAT: u16 = 64;
    /// A purchase or sign-up ("bought your SIM through our website", 在网上营业厅购买的).
    pub(super) const BUY: u16 = 128;
    /// A way not taken ("instead of", "rather than", 而不是, 而非: left_out's NOT_TAKEN).
    pub(super) const NOT_TAKEN: u16 = 256;
    /// An HTTP method that may open an API route ("delete /v1/numbers/{id}"), or 调用 (calling
    /// an API, in Chinese docs).
    pub(super) const API: u16 = 512;
    /// A character of code: `_`, `#`, or a dot between letters (`client.sims.terminate`).
    pub(super) const CODE: u16 = 1024;
    /// A mark between the steps of a menu path ("manage › plan › end plan": menu_path).
    pub(super) const MENU: u16 = 2048;

    /// The cues of a normalised (lower-case, Simplified) clause.
    pub(super) fn of(clause: &str) -> Cues {
        let mut cues = 0;
        let (mut prev, mut before) = ('\0', '\0');
        let mut word: Option<usize> = None;
        for (i, ch) in clause.char_indices() {
            if ch.is_ascii_alphanumeric() {
                word.get_or_insert(i);
                // "client.sims": a dot between letters joins a code name's parts.
                if prev == '.' && before.is_ascii_alphabetic() && ch.is_ascii_alphabetic() {
                    cues |= Cues::CODE;
                }
            } else {
                if let Some(start) = word.take() {
                    cues |= word_cue(&clause[start..i]);
                }
                cues |= match (prev, ch) {
                    ('更', '多') => Cues::POINTER,
                    ('而', '不') | ('而', '非') => Cues::NOT_TAKEN,
                    ('套', '餐') | ('方', '案') | ('资', '费') | ('计', '划') => Cues::PLAN,
                    ('释', '放') => Cues::END,
                    ('调', '用') => Cues::API,
                    ('购', '买')
                    | ('买', '的')
                    | ('开', '通')
                    | ('订', '购')
                    | ('办', '理')
                    | ('申', '请') => Cues::BUY,
                    (_, '_' | '#') => Cues::CODE,
                    (_, c) if super::menu_path::ARROWS.contains(&c) => Cues::MENU,
                    _ => 0,
                };
            }
            before = prev;
            prev = ch;
        }
        if let Some(start) = word {
            cues |= word_cue(&clause[start..]);
        }
        Cues(cues)
    }

    pub(super) fn has(self, cue: u16) -> bool {
        self.0 & cue != 0
    }
}

/// The cue an ASCII word gives: a word that every phrase of that check holds.
fn word_cue(word: &str) -> u16 {
    match word {
        "more" | "further" | "additional" | "click" | "see" | "receive" | "label" | "found"
        | "printed" | "scroll" => Cues::POINTER,
        "without" => Cues::PRICE,
        "instead" | "rather" => Cues::NOT_TAKEN,
        "chat" => Cues::CHAT,
        "bought" | "purchased" | "ordered" | "signed" | "joined" | "got" => Cues::BUY,
        "look" => Cues::LOOK,
        "change" | "changed" | "changes" | "upgrade" | "upgraded" | "downgrade" | "downgraded"
        | "switch" => Cues::PLAN,
        // "give" opens both "give us a call" and "give back the number".
        "give" | "giving" => Cues::CALL | Cues::END,
        "release" | "releasing" | "released" | "hand" | "handing" | "unrent" | "unrented"
        | "deregister" | "deregistering" => Cues::END,
        _ if super::dialling::CALL_VERBS.contains(&word) => Cues::CALL,
        _ if super::api_route::METHODS.contains(&word) => Cues::API,
        _ if super::ending_phrase::VERBS.contains(&word) => Cues::END,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::Cues;

    #[test]
    fn a_clause_cues_only_the_checks_its_words_can_match() {
        let c = Cues::of("click here for more information on the process");
        assert!(c.has(Cues::POINTER) && !c.has(Cues::PRICE) && !c.has(Cues::PLAN));
        assert!(Cues::of("you can't cancel without paying a fee").has(Cues::PRICE));
        assert!(Cues::of("look on their website").has(Cues::LOOK));
        assert!(Cues::of("ring your provider").has(Cues::CALL));
        assert!(Cues::of("end your fibre plan").has(Cues::END));
        assert!(Cues::of("or via sunrise chat.").has(Cues::CHAT));
        assert!(Cues::of("if you bought your sim online").has(Cues::BUY));
        assert!(Cues::of("在网上营业厅购买的宽带").has(Cues::BUY));
        assert!(Cues::of("call us instead of cancelling online").has(Cues::NOT_TAKEN));
        assert!(Cues::of("rather than online").has(Cues::NOT_TAKEN));
        assert!(Cues::of("go to manage › plan › end plan").has(Cues::MENU));
        assert!(!Cues::of("go to manage, then plan").has(Cues::MENU));
        assert!(Cues::of("而不是在网上办理").has(Cues::NOT_TAKEN));
        assert!(!Cues::of("recall the offering during roaming").has(Cues::CALL));
        assert!(Cues::of("rate plans can be changed").has(Cues::PLAN));
        assert!(Cues::of("delete /v1/numbers/{id}").has(Cues::API));
        assert!(Cues::of("可在控制台释放").has(Cues::END));
        assert!(Cues::of("call client.sims.terminate").has(Cues::CODE));
        assert!(Cues::of("release_number").has(Cues::CODE));
        assert!(Cues::of("#terminate").has(Cues::CODE));
        assert!(!Cues::of("e. g. 3.5 gb. then").has(Cues::CODE));
        assert!(Cues::of("调用 releasesecretno 接口").has(Cues::API));
        assert!(Cues::of("可在网上营业厅变更套餐").has(Cues::PLAN));
        assert!(Cues::of("如欲了解更多详情").has(Cues::POINTER));
        assert_eq!(Cues::of("cancel your service in the app"), Cues::default());
        assert_eq!(Cues::of("在网上营业厅注销号码"), Cues::default());
    }
}
