//! Selector errors in words: scraper's parse error → one line a user can act on.
//!
//! scraper's own `Display` prints "Unexpected error occurred. Please report this to the
//! developer" and a multi-line debug dump for most real mistakes, and it does not re-export the
//! `selectors` error type, so the detail is read from its variant name here.

use scraper::error::SelectorErrorKind;

/// What is wrong with a selector, in one line without Rust names.
pub fn describe(e: &SelectorErrorKind) -> String {
    match e {
        SelectorErrorKind::UnexpectedToken => "unexpected character or word".into(),
        SelectorErrorKind::EndOfLine => {
            "it ends too early (an unclosed bracket or a dangling combinator?)".into()
        }
        SelectorErrorKind::InvalidAtRule | SelectorErrorKind::InvalidAtRuleBody => {
            "@-rules are not selectors".into()
        }
        SelectorErrorKind::QualRuleInvalid => "invalid qualified name".into(),
        SelectorErrorKind::TooManyNestedBlocks => "too many nested brackets".into(),
        SelectorErrorKind::ExpectedColonOnPseudoElement => "a pseudo-element needs `::`".into(),
        SelectorErrorKind::ExpectedIdentityOnPseudoElement => {
            "a pseudo-element needs a name after `::`".into()
        }
        SelectorErrorKind::UnexpectedSelectorParseError(kind) => words(&format!("{kind:?}")),
    }
}

/// `UnsupportedPseudoClassOrElement` → `unsupported pseudo class or element`; a payload, where a
/// variant has one, follows without its token name.
fn words(debug: &str) -> String {
    let (name, detail) = match debug.find('(') {
        Some(i) => (
            &debug[..i],
            debug[i..].trim_start_matches('(').trim_end_matches(')'),
        ),
        None => (debug, ""),
    };
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    // Token names (`Ident("x")`, `Delim('[')`) say less than the value inside them.
    let value = detail
        .split_once('(')
        .map_or(detail, |(_, v)| v.trim_end_matches(')'));
    let value: String = value.chars().take(60).collect();
    if value.is_empty() {
        out
    } else {
        format!("{out} {value}")
    }
}

#[cfg(test)]
mod tests {
    use scraper::Selector;

    use super::*;

    fn message(selector: &str) -> String {
        describe(&Selector::parse(selector).expect_err("invalid"))
    }

    #[test]
    fn one_line_without_developer_talk() {
        for bad in [
            "div[",
            "div:hovr",
            "::",
            "#",
            "p >",
            "a[href=",
            ".",
            "div:nth-child(x)",
        ] {
            let m = message(bad);
            assert!(!m.contains('\n'), "{bad}: {m}");
            assert!(!m.to_lowercase().contains("report this"), "{bad}: {m}");
            assert!(!m.is_empty(), "{bad}");
        }
        assert_eq!(message("div:hovr"), "unsupported pseudo class or element");
        assert_eq!(message("p >"), "dangling combinator");
    }
}
