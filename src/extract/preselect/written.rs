//! How a tag is written in the page: its name read from the source (so the pre-selection need not
//! allocate one per element), a short lowercase name kept inline, and duplicate attribute names
//! compared as written. Only reading; what the pass decides stays in the parent module.

use std::borrow::Cow;

use lol_html::html_content::Element;

/// The tag name of the tag written at `tag` (`<name` or `</name`), when it is ASCII letters,
/// digits and hyphens ended by white space, `/` or `>`: then it is exactly the name lol_html
/// reports, read without allocating it. `None` for anything unusual, where lol_html is asked.
pub(super) fn source_name<'a>(html: &'a str, tag: usize, prefix: &str) -> Option<&'a str> {
    let at = tag + prefix.len();
    if html.get(tag..at) != Some(prefix) {
        return None;
    }
    let b = html.as_bytes().get(at..)?;
    let n = b
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-'))?;
    (n > 0 && matches!(b[n], b' ' | b'\t' | b'\n' | b'\x0c' | b'/' | b'>'))
        .then(|| &html[at..at + n])
}

/// A lowercase tag name, kept without a heap allocation when short (every standard tag is).
pub(super) enum TagName {
    Short { bytes: [u8; 15], len: u8 },
    Long(Box<str>),
}

impl TagName {
    pub(super) fn new(name: &str) -> TagName {
        if name.len() <= 15 && name.is_ascii() {
            let mut bytes = [0; 15];
            bytes[..name.len()].copy_from_slice(name.as_bytes());
            bytes[..name.len()].make_ascii_lowercase();
            TagName::Short {
                bytes,
                // At most 15.
                len: name.len() as u8,
            }
        } else {
            TagName::Long(name.to_ascii_lowercase().into())
        }
    }

    pub(super) fn as_str(&self) -> &str {
        match self {
            // Built from an ASCII str, lowercased: still UTF-8.
            TagName::Short { bytes, len } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            TagName::Long(s) => s,
        }
    }
}

/// Whether two attributes of the element have the same name (compared as written, ASCII case
/// folded, which is how lol_html names them).
pub(super) fn has_duplicate_attribute(el: &Element, html: &str) -> bool {
    let attrs = el.attributes();
    if attrs.len() < 2 {
        return false;
    }
    let written = |i: usize| -> Cow<'_, str> {
        let a = &attrs[i];
        match a.name_source_location().and_then(|l| html.get(l.bytes())) {
            Some(n) => Cow::Borrowed(n),
            None => Cow::Owned(a.name()),
        }
    };
    (1..attrs.len()).any(|i| {
        let n = written(i);
        (0..i).any(|j| written(j).eq_ignore_ascii_case(&n))
    })
}
