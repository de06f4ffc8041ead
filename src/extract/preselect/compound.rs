//! The pre-selection's selectors for [`super::scan`]: a list of compounds of a type, `#id`s and
//! `.class`es, matched against a start tag's name and its raw `id` and `class` values. Only
//! selectors lol_html has already parsed and [`super::element_only`] accepted come here.

/// One compound, e.g. `div#policy.terms`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Compound {
    /// Lowercase; `None` for any element.
    tag: Option<Box<str>>,
    ids: Vec<Box<str>>,
    classes: Vec<Box<str>>,
}

/// What a start tag offers a selector.
pub(super) struct Subject<'a> {
    pub name: &'a str,
    pub id: Option<&'a [u8]>,
    pub class: Option<&'a [u8]>,
}

/// A compound's answer: the scan gives up on `Unsure` (an entity in the value could change it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Match {
    Yes,
    No,
    Unsure,
}

/// A selector list (`section, main`), or `None` when a part is not a plain compound.
pub(super) fn parse_list(list: &str) -> Option<Vec<Compound>> {
    list.split(',').map(|part| parse(part.trim())).collect()
}

fn parse(s: &str) -> Option<Compound> {
    let mut out = Compound {
        tag: None,
        ids: Vec::new(),
        classes: Vec::new(),
    };
    // Each piece starts at a `#` or `.`, except a leading type.
    let mut rest = s;
    let type_end = rest.find(['#', '.']).unwrap_or(rest.len());
    if type_end > 0 {
        out.tag = Some(rest[..type_end].to_ascii_lowercase().into());
    }
    rest = &rest[type_end..];
    while let Some(kind) = rest.chars().next() {
        let body = &rest[1..];
        let end = body.find(['#', '.']).unwrap_or(body.len());
        let word = &body[..end];
        if word.is_empty() {
            return None;
        }
        match kind {
            '#' => out.ids.push(word.into()),
            _ => out.classes.push(word.into()),
        }
        rest = &body[end..];
    }
    (out.tag.is_some() || !out.ids.is_empty() || !out.classes.is_empty()).then_some(out)
}

/// CSS white space, which separates classes.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

impl Compound {
    pub(super) fn matches(&self, el: &Subject<'_>) -> Match {
        if self
            .tag
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case(el.name))
        {
            return Match::No;
        }
        let mut unsure = false;
        if !self.ids.is_empty() {
            let Some(id) = el.id else {
                return Match::No;
            };
            unsure |= id.contains(&b'&');
            if !unsure && self.ids.iter().any(|want| want.as_bytes() != id) {
                return Match::No;
            }
        }
        if !self.classes.is_empty() {
            let Some(class) = el.class else {
                return Match::No;
            };
            // A carriage return becomes a line feed in the tree; how lol_html splits it is not
            // worth knowing.
            unsure |= class.contains(&b'&') || class.contains(&b'\r');
            if !unsure
                && !self
                    .classes
                    .iter()
                    .all(|want| class.split(|b| is_space(*b)).any(|c| c == want.as_bytes()))
            {
                return Match::No;
            }
        }
        if unsure { Match::Unsure } else { Match::Yes }
    }
}

/// Whether any compound of the list matches.
pub(super) fn any(list: &[Compound], el: &Subject<'_>) -> Match {
    let mut out = Match::No;
    for c in list {
        match c.matches(el) {
            Match::Yes => return Match::Yes,
            Match::Unsure => out = Match::Unsure,
            Match::No => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject<'a>(name: &'a str, id: Option<&'a str>, class: Option<&'a str>) -> Subject<'a> {
        Subject {
            name,
            id: id.map(str::as_bytes),
            class: class.map(str::as_bytes),
        }
    }

    #[test]
    fn compounds_parse_into_type_ids_and_classes() {
        let list = parse_list("DIV#policy.a.b, .x").unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].tag.as_deref(), Some("div"));
        assert_eq!(list[0].ids, vec!["policy".into()]);
        assert_eq!(list[0].classes.len(), 2);
        assert_eq!(list[1].tag, None);
        assert!(parse_list("div.").is_none());
        assert!(parse_list("a,,b").is_none());
    }

    #[test]
    fn matching_is_exact_for_ids_and_by_word_for_classes() {
        let list = parse_list("section#policy.terms").unwrap();
        let m = |id, class| any(&list, &subject("SECTION", id, class));
        assert_eq!(m(Some("policy"), Some("x terms\ty")), Match::Yes);
        assert_eq!(m(Some("Policy"), Some("terms")), Match::No);
        assert_eq!(m(Some("policy"), Some("termsx")), Match::No);
        assert_eq!(m(None, Some("terms")), Match::No);
        assert_eq!(m(Some("pol&#105;cy"), Some("terms")), Match::Unsure);
        let other = any(&list, &subject("div", Some("policy"), Some("terms")));
        assert_eq!(other, Match::No);
    }
}
