//! Lexicon: the words carriers use about cancelling, grouped by concept, as data.
//!
//! The built-in lexicon is `src/extract/lexicon.toml`, compiled into the binary; a config can point at a
//! replacement file. Terms and text are both put through [`crate::extract::normalise::for_matching`], so a
//! term written in Traditional Chinese matches Simplified and spaced text too. This module only
//! answers "which concepts does this piece of text mention"; what that means for the verdict is
//! decided in `verdict`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use serde::Deserialize;

use crate::extract::normalise::for_matching;

pub const BUILTIN: &str = include_str!("lexicon.toml");

/// What a term is evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concept {
    Terminate,
    Online,
    Offline,
    Refund,
    Notice,
    Fee,
    AutoRenewal,
    Unpaid,
    Product,
    Negation,
    /// A request refused: negates the sentence's online channel even from its own clause.
    Rejection,
    Trap,
    /// What is ended is the service itself (line, number, SIM, contract, account).
    Service,
    /// Something other than the service is ended (add-on, auto-renewal, paper bill, order…).
    Addon,
    /// A negation about something else: what happens after ending, a precondition.
    Consequence,
    /// The statement holds for some products, places or cases only.
    Qualifier,
    /// Refers back to the sentence before ("do so", 辦理方式).
    Refer,
    /// Points forward to what follows ("the number below", 如下).
    Forward,
    /// A longer word that holds another concept's term without meaning it (業務辦理, a menu, is
    /// not an add-on): terms found inside it are dropped. It is never a concept of a text.
    Shadow,
}

impl Concept {
    pub const ALL: [Concept; 19] = [
        Concept::Terminate,
        Concept::Online,
        Concept::Offline,
        Concept::Refund,
        Concept::Notice,
        Concept::Fee,
        Concept::AutoRenewal,
        Concept::Unpaid,
        Concept::Product,
        Concept::Negation,
        Concept::Rejection,
        Concept::Trap,
        Concept::Service,
        Concept::Addon,
        Concept::Consequence,
        Concept::Qualifier,
        Concept::Refer,
        Concept::Forward,
        Concept::Shadow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Concept::Terminate => "terminate",
            Concept::Online => "online",
            Concept::Offline => "offline",
            Concept::Refund => "refund",
            Concept::Notice => "notice",
            Concept::Fee => "fee",
            Concept::AutoRenewal => "auto-renewal",
            Concept::Unpaid => "unpaid",
            Concept::Product => "product",
            Concept::Negation => "negation",
            Concept::Rejection => "rejection",
            Concept::Trap => "trap",
            Concept::Service => "service",
            Concept::Addon => "add-on",
            Concept::Consequence => "consequence",
            Concept::Qualifier => "qualifier",
            Concept::Refer => "refer",
            Concept::Forward => "forward",
            Concept::Shadow => "shadow",
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

impl fmt::Display for Concept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A small set of concepts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Concepts(u32);

impl Concepts {
    pub fn has(self, c: Concept) -> bool {
        self.0 & c.bit() != 0
    }
    pub fn insert(&mut self, c: Concept) {
        self.0 |= c.bit();
    }
    pub fn remove(&mut self, c: Concept) {
        self.0 &= !c.bit();
    }
    pub fn union(self, other: Concepts) -> Concepts {
        Concepts(self.0 | other.0)
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = Concept> {
        Concept::ALL.into_iter().filter(move |c| self.has(*c))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("cannot read lexicon {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("lexicon {path}: {message}")]
    Invalid { path: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    concepts: BTreeMap<Concept, RawConcept>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    #[allow(dead_code)]
    label: Option<String>,
    terms: Vec<String>,
}

#[derive(Debug, Clone)]
struct Term {
    concept: Concept,
    /// The term is ASCII: it must start at a word boundary.
    word: bool,
    /// Written with a trailing `*`: any continuation is allowed.
    prefix: bool,
}

/// A compiled lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    matcher: AhoCorasick,
    terms: Vec<Term>,
}

static BUILTIN_LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::parse("built-in lexicon", BUILTIN).expect("the built-in lexicon is tested to compile")
});

/// A lexicon shared by a checker and the tasks that read its pages: the built-in one, compiled
/// on first use, or one compiled from a file when it was loaded (so that its errors show then).
#[derive(Debug, Clone)]
pub enum Shared {
    Builtin,
    Loaded(std::sync::Arc<Lexicon>),
}

impl std::ops::Deref for Shared {
    type Target = Lexicon;

    fn deref(&self) -> &Lexicon {
        match self {
            Shared::Builtin => Lexicon::builtin(),
            Shared::Loaded(lexicon) => lexicon,
        }
    }
}

impl Lexicon {
    /// The lexicon shipped in the binary.
    pub fn builtin() -> &'static Lexicon {
        &BUILTIN_LEXICON
    }

    pub fn load(path: &Path) -> Result<Lexicon, LexiconError> {
        Lexicon::parse(&path.display().to_string(), &Lexicon::read_source(path)?)
    }

    /// The lexicon at `path` (the built-in one for `None`), with its identity for extraction
    /// fingerprints: a hash of its source text, so an edit to the file re-derives baselines.
    /// The built-in one is compiled on first use, not here: a pass whose pages all give the
    /// current version's text never reads a word (issue 16).
    pub fn load_identified(path: Option<&Path>) -> Result<(Shared, u64), LexiconError> {
        let Some(path) = path else {
            return Ok((
                Shared::Builtin,
                crate::hash::stable_hash(&[BUILTIN.as_bytes()]),
            ));
        };
        Lexicon::parse_identified(&path.display().to_string(), &Lexicon::read_source(path)?)
    }

    /// The text of the lexicon file at `path`.
    pub fn read_source(path: &Path) -> Result<String, LexiconError> {
        crate::local_file::read_to_string(path, crate::local_file::MAX_LEXICON).map_err(|source| {
            LexiconError::Read {
                path: path.display().to_string(),
                source,
            }
        })
    }

    /// [`Lexicon::parse`], with the identity [`Lexicon::load_identified`] gives the same text.
    pub fn parse_identified(name: &str, src: &str) -> Result<(Shared, u64), LexiconError> {
        let lexicon = Shared::Loaded(std::sync::Arc::new(Lexicon::parse(name, src)?));
        Ok((lexicon, crate::hash::stable_hash(&[src.as_bytes()])))
    }

    pub fn parse(name: &str, src: &str) -> Result<Lexicon, LexiconError> {
        let invalid = |message: String| LexiconError::Invalid {
            path: name.to_string(),
            message,
        };
        let raw: RawLexicon = toml::from_str(src).map_err(|e| invalid(e.to_string()))?;
        for needed in [
            Concept::Terminate,
            Concept::Online,
            Concept::Offline,
            Concept::Negation,
        ] {
            if !raw.concepts.contains_key(&needed) {
                return Err(invalid(format!("concept `{needed}` is missing")));
            }
        }
        let mut patterns = Vec::new();
        let mut terms = Vec::new();
        for (concept, c) in raw.concepts {
            for t in c.terms {
                let (text, prefix) = match t.strip_suffix('*') {
                    Some(stem) => (stem, true),
                    None => (t.as_str(), false),
                };
                let norm = for_matching(text);
                if norm.is_empty() {
                    return Err(invalid(format!("concept `{concept}` has an empty term")));
                }
                let word = norm.starts_with(|c: char| c.is_ascii_alphanumeric());
                patterns.push(norm);
                terms.push(Term {
                    concept,
                    word,
                    prefix,
                });
            }
        }
        let matcher = AhoCorasick::new(&patterns).map_err(|e| invalid(e.to_string()))?;
        Ok(Lexicon { matcher, terms })
    }

    /// The concepts mentioned in `normalised` (text already passed through `for_matching`).
    pub fn concepts(&self, normalised: &str) -> Concepts {
        self.scan(normalised).concepts
    }

    /// The concepts mentioned in `normalised`, with where each is first and last found, so that
    /// a rule can ask what comes before what ("cannot be cancelled" vs "a cancelled SIM cannot").
    pub fn scan(&self, normalised: &str) -> Hits {
        let (hits, shadows) = self.scan_outside(normalised, &[]);
        if shadows.n == 0 {
            return hits;
        }
        // Rare (a shadow word was found): a second pass, outside the shadows' spans. Past
        // MAX_SHADOWS spans the rest are read as if unshadowed.
        self.scan_outside(normalised, shadows.spans()).0
    }

    /// The hits outside the `outside` spans, and the shadow words found (their first
    /// [`MAX_SHADOWS`] spans).
    fn scan_outside(&self, normalised: &str, outside: &[(usize, usize)]) -> (Hits, Shadows) {
        let mut hits = Hits {
            concepts: Concepts::default(),
            first: [usize::MAX; Concept::ALL.len()],
            last: [0; Concept::ALL.len()],
        };
        let mut shadows = Shadows {
            spans: [(0, 0); MAX_SHADOWS],
            n: 0,
        };
        for m in self.matches(normalised) {
            let concept = self.terms[m.pattern().as_usize()].concept;
            if concept == Concept::Shadow {
                if shadows.n < MAX_SHADOWS {
                    shadows.spans[shadows.n] = (m.start(), m.end());
                    shadows.n += 1;
                }
                continue;
            }
            if outside
                .iter()
                .any(|&(start, end)| start <= m.start() && m.end() <= end)
            {
                continue;
            }
            let i = concept as usize;
            hits.concepts.insert(concept);
            hits.first[i] = hits.first[i].min(m.start());
            hits.last[i] = hits.last[i].max(m.start());
        }
        (hits, shadows)
    }

    /// The online and offline ways named in `normalised`, in order, as the byte spans of their
    /// terms (overlapping terms as one span) and whether each is online; shadowed terms left
    /// out. For reading a flattened table's header line.
    pub fn ways(&self, normalised: &str) -> Vec<(usize, usize, bool)> {
        let shadows = self.scan_outside(normalised, &[]).1;
        let mut ways: Vec<(usize, usize, bool)> = Vec::new();
        for m in self.matches(normalised) {
            let online = match self.terms[m.pattern().as_usize()].concept {
                Concept::Online => true,
                Concept::Offline => false,
                _ => continue,
            };
            if shadows
                .spans()
                .iter()
                .any(|&(start, end)| start <= m.start() && m.end() <= end)
            {
                continue;
            }
            match ways.last_mut() {
                Some(last) if m.start() < last.1 => {
                    last.1 = last.1.max(m.end());
                    last.2 |= online;
                }
                _ => ways.push((m.start(), m.end(), online)),
            }
        }
        ways
    }

    /// The terms found in `normalised`, overlapping, where an ASCII term stands as a word.
    fn matches<'a>(
        &'a self,
        normalised: &'a str,
    ) -> impl Iterator<Item = aho_corasick::Match> + 'a {
        let bytes = normalised.as_bytes();
        self.matcher
            .find_overlapping_iter(normalised)
            .filter(move |m| {
                let term = &self.terms[m.pattern().as_usize()];
                !term.word
                    || ((m.start() == 0 || !is_word_byte(bytes[m.start() - 1]))
                        && (term.prefix || m.end() == bytes.len() || !is_word_byte(bytes[m.end()])))
            })
    }
}

/// How many shadow spans one scan honours (a clause is short; a hostile one is bounded).
const MAX_SHADOWS: usize = 8;

/// The spans of the shadow words one pass found, at most [`MAX_SHADOWS`].
struct Shadows {
    spans: [(usize, usize); MAX_SHADOWS],
    n: usize,
}

impl Shadows {
    fn spans(&self) -> &[(usize, usize)] {
        &self.spans[..self.n]
    }
}

/// The concepts of a piece of text and where each was found (byte offsets of match starts).
#[derive(Debug, Clone, Copy)]
pub struct Hits {
    pub concepts: Concepts,
    first: [usize; Concept::ALL.len()],
    last: [usize; Concept::ALL.len()],
}

impl Hits {
    /// Some match of `a` starts before some match of `b` (both present).
    pub fn before(&self, a: Concept, b: Concept) -> bool {
        self.concepts.has(a)
            && self.concepts.has(b)
            && self.first[a as usize] < self.last[b as usize]
    }

    /// The first match of `a` starts before every match of `b` (both present).
    pub fn before_all(&self, a: Concept, b: Concept) -> bool {
        self.concepts.has(a)
            && self.concepts.has(b)
            && self.first[a as usize] < self.first[b as usize]
    }

    /// Where the first match of `c` starts, if any.
    pub fn first_at(&self, c: Concept) -> Option<usize> {
        self.concepts.has(c).then_some(self.first[c as usize])
    }

    /// Where the last match of `c` starts, if any.
    pub fn last_at(&self, c: Concept) -> Option<usize> {
        self.concepts.has(c).then_some(self.last[c as usize])
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(text: &str, c: Concept) -> bool {
        Lexicon::builtin().concepts(&for_matching(text)).has(c)
    }

    #[test]
    fn builtin_compiles_and_covers_every_concept() {
        let raw: RawLexicon = toml::from_str(BUILTIN).unwrap();
        for c in Concept::ALL {
            assert!(raw.concepts.contains_key(&c), "missing concept {c}");
        }
    }

    #[test]
    fn no_term_is_listed_twice_in_one_concept() {
        let raw: RawLexicon = toml::from_str(BUILTIN).unwrap();
        let mut twice = Vec::new();
        for (c, concept) in &raw.concepts {
            let mut seen = std::collections::BTreeSet::new();
            for t in &concept.terms {
                if !seen.insert(for_matching(t)) {
                    twice.push(format!("{c}: {t}"));
                }
            }
        }
        assert!(twice.is_empty(), "listed twice (after the fold): {twice:?}");
    }

    #[test]
    fn uk_notice_to_leave_is_ending_and_the_providers_notice_is_not() {
        // Round 42 and its read-through.
        assert!(has("give notice in my o2", Concept::Terminate));
        assert!(has("giving notice", Concept::Terminate));
        assert!(has(
            "our chat colleagues can't take notice on any account",
            Concept::Terminate
        ));
        assert!(!has(
            "please take notice of our new prices",
            Concept::Terminate
        ));
        assert!(!has(
            "we are giving notice of our annual price rise",
            Concept::Terminate
        ));
        assert!(!has(
            "we may change these terms and will give notice via email",
            Concept::Terminate
        ));
    }

    #[test]
    fn a_shadow_word_hides_the_terms_inside_it() {
        // 業務 alone is an add-on (已辦業務); inside 業務辦理 it is the name of a menu.
        assert!(has("查看已辦業務", Concept::Addon));
        assert!(!has("进入业务办理页面", Concept::Addon));
        assert!(has("进入业务办理页面,再取消增值业务", Concept::Addon));
        assert!(!has("进入业务办理页面", Concept::Shadow));
        // Only MAX_SHADOWS spans are honoured: the word after them is read as if unshadowed.
        let many = "业务办理,".repeat(MAX_SHADOWS);
        assert!(!has(&many, Concept::Addon));
        assert!(has(&format!("{many}业务办理"), Concept::Addon));
    }

    #[test]
    fn words_respect_boundaries() {
        assert!(has("Terminated by the customer", Concept::Terminate));
        assert!(has("use the app", Concept::Online));
        assert!(!has("apply now", Concept::Online));
        assert!(!has("postpaid plans", Concept::Offline));
    }

    #[test]
    fn chinese_matches_across_scripts_and_spacing() {
        assert!(has("終止服務", Concept::Terminate));
        assert!(has("终止服务", Concept::Terminate));
        assert!(has("終 止 服 務", Concept::Terminate));
        assert!(has("請親臨門市", Concept::Offline));
        assert!(has("網上", Concept::Online));
        assert!(has("在线销户", Concept::Online));
    }

    #[test]
    fn custom_lexicon_is_validated() {
        assert!(Lexicon::parse("x", "[concepts.terminate]\nterms=[\"end\"]\n").is_err());
        let l = Lexicon::parse(
            "x",
            "[concepts.terminate]\nterms=[\"end*\"]\n[concepts.online]\nterms=[\"web\"]\n\
             [concepts.offline]\nterms=[\"shop\"]\n[concepts.negation]\nterms=[\"never\"]\n",
        )
        .unwrap();
        assert!(l.concepts("ending").has(Concept::Terminate));
        assert!(!l.concepts("webshop").has(Concept::Online));
    }
}
