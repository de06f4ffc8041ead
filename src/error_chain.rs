//! Error chains in one line, each cause said once.
//!
//! Library errors often carry their source both in their own text (`…: {source}`) and as
//! `source()`, and io errors repeat themselves through wrappers ("No such file or directory (os
//! error 2): No such file or directory (os error 2)"). Joining a chain here drops every cause
//! whose text is already contained in what was said before it.

use std::error::Error;

/// `parts` (outermost first) joined with ": ", leaving out a part already said.
pub fn join(parts: impl IntoIterator<Item = String>) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() || out.contains(part) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(part);
    }
    out
}

/// `e` and its sources, each said once.
pub fn chain(e: &(dyn Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut next = Some(e);
    // Bounded: a source chain is short, but a cyclic one must not loop for ever.
    while let Some(err) = next.filter(|_| parts.len() < 16) {
        parts.push(err.to_string());
        next = err.source();
    }
    join(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot open database x.sqlite3: {source}")]
    struct Open {
        #[source]
        source: std::io::Error,
    }

    #[test]
    fn each_cause_once() {
        let io = std::io::Error::from_raw_os_error(2);
        let text = io.to_string();
        let e = Open { source: io };
        let said = chain(&e);
        assert_eq!(said.matches(&text).count(), 1, "{said}");
        assert!(
            said.starts_with("cannot open database x.sqlite3: "),
            "{said}"
        );
        assert_eq!(
            join(["a: b".into(), "b".into(), "c".into(), String::new()]),
            "a: b: c"
        );
    }
}
