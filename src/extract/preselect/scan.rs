//! The pre-selection's fast tokenizer: reads a well-formed page's tags with `memchr` and a few
//! byte comparisons, matches the selectors itself and feeds [`Tracker`] the same calls lol_html's
//! handlers would (issue 16: lol_html's pass cost ~0.6 ms of a 92 KiB page, most of a noise
//! check).
//!
//! It reads only the part of HTML's syntax that it can read exactly as lol_html does, and gives
//! up (`None`: the caller asks lol_html) at anything else: an end tag that does not close the
//! element on top, an unusual tag or attribute name, duplicate attributes, a `\r` or NUL inside a
//! tag, `<select>` or `<template>` or `<frameset>`, a script holding `<!--`, a comment with an
//! odd end, entities where a selector reads, foreign content that breaks out or has an
//! integration point with markup in it, and depth beyond [`MAX_OPEN`]. Where it is sure, the
//! tracker's answer (a cut, or why not) is final. `tests/end_to_end/preselect.rs` checks that it agrees with
//! lol_html on every fixture and on generated pages.

use memchr::{memchr, memmem};

use super::compound::{self, Compound, Match, Subject};
use super::tracker::{Start, State as Tracker};

/// Deeper than this, lol_html follows the page (the tracker stops at 100 anyway).
const MAX_OPEN: usize = 512;

/// lol_html's void elements in the HTML namespace.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Start tags after which lol_html's tokenizer depends on a guess of the tree builder's mode.
fn is_ambiguous(name: &str) -> bool {
    matches!(
        name,
        "select" | "template" | "frameset" | "frame" | "plaintext"
    )
}
/// HTML start tags that end foreign content.
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
    "font",
];
const SVG_INTEGRATION: &[&str] = &["desc", "title", "foreignobject"];
const MATH_INTEGRATION: &[&str] = &["mi", "mo", "mn", "ms", "mtext"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    Math,
}

/// An open element.
struct Open {
    /// Where its name is in the page.
    name: (usize, usize),
    /// The namespace to return to when it closes, if it entered one.
    restores: Option<Ns>,
    /// Markup inside it would be read by the HTML rules within foreign content.
    integration: bool,
    /// The tracker follows it under this id.
    id: Option<u64>,
}

/// A start tag's attributes that matter here, as byte ranges of the page.
#[derive(Default)]
struct Attrs {
    id: Option<(usize, usize)>,
    class: Option<(usize, usize)>,
    href: Option<(usize, usize)>,
}

struct Tag {
    name: (usize, usize),
    attrs: Attrs,
    self_closing: bool,
    /// Just after its `>`.
    end: usize,
}

/// The cut of `html`, or why there is none; `None` when this tokenizer is not sure.
pub(super) fn cut(
    html: &str,
    select: &[Vec<Compound>],
    remove: &[Vec<Compound>],
) -> Option<Result<String, &'static str>> {
    let b = html.as_bytes();
    let mut tracker = Tracker::new();
    let mut hits = vec![false; select.len()];
    let mut open: Vec<Open> = Vec::new();
    let mut ns = Ns::Html;
    let mut integration = 0usize;
    let mut names: Vec<&[u8]> = Vec::new();
    let mut i = 0;
    while let Some(n) = memchr(b'<', &b[i..]) {
        let at = i + n;
        if tracker.in_head_so_far() && !b[i..at].iter().all(|c| is_space(*c)) {
            tracker.saw_text();
        }
        match b.get(at + 1).copied() {
            Some(c) if c.is_ascii_alphabetic() => {
                let tag = start_tag(b, at, &mut names)?;
                let value = |r: Option<(usize, usize)>| r.map(|(s, e)| &b[s..e]);
                if [tag.attrs.id, tag.attrs.class]
                    .into_iter()
                    .any(|v| value(v).is_some_and(|v| v.contains(&b'&')))
                {
                    // As lol_html's path does (an entity may decode to what a selector reads).
                    return None;
                }
                let name = &html[tag.name.0..tag.name.1];
                let lowered;
                let lname = if name.bytes().any(|c| c.is_ascii_uppercase()) {
                    lowered = name.to_ascii_lowercase();
                    lowered.as_str()
                } else {
                    name
                };
                if integration > 0 || is_ambiguous(lname) {
                    return None;
                }
                // The element's namespace, as lol_html's tree-builder simulator gives it.
                let (el_ns, enters, is_integration) = match (lname, ns) {
                    // In each other's content the tree builder does not switch, lol_html does.
                    ("svg" | "math", Ns::Svg | Ns::Math) => return None,
                    ("svg", _) => (Ns::Svg, true, false),
                    ("math", _) => (Ns::Math, true, false),
                    (_, Ns::Html) => (Ns::Html, false, false),
                    // An integration point only with some encodings, in lol_html and not in the
                    // tree builder.
                    ("annotation-xml", _) => return None,
                    (n, _) if BREAKOUT.contains(&n) => return None,
                    (n, Ns::Svg) if SVG_INTEGRATION.contains(&n) => {
                        (Ns::Html, !tag.self_closing, true)
                    }
                    (n, Ns::Math) if MATH_INTEGRATION.contains(&n) => {
                        (Ns::Html, !tag.self_closing, true)
                    }
                    (_, other) => (other, false, false),
                };
                if enters && tag.self_closing && !is_integration {
                    // `<svg/>`: lol_html enters the namespace anyway, the tree builder does not.
                    return None;
                }
                let el_ns = if is_integration && tag.self_closing {
                    ns
                } else {
                    el_ns
                };
                let content = match el_ns {
                    Ns::Html => !is_void(lname),
                    _ => !tag.self_closing,
                };
                let subject = Subject {
                    name: lname,
                    id: value(tag.attrs.id),
                    class: value(tag.attrs.class),
                };
                let mut selected = false;
                for (list, hit) in select.iter().zip(hits.iter_mut()) {
                    match compound::any(list, &subject) {
                        Match::Yes => {
                            selected = true;
                            *hit = true;
                        }
                        Match::Unsure => return None,
                        Match::No => {}
                    }
                }
                let mut removed = false;
                for list in remove {
                    match compound::any(list, &subject) {
                        Match::Yes => removed = true,
                        Match::Unsure => return None,
                        Match::No => {}
                    }
                }
                if (selected || removed) && el_ns != Ns::Html {
                    // Whether lol_html matches foreign elements by these names is not asked.
                    return None;
                }
                let href = tag.attrs.href;
                let id = tracker.start(
                    Start {
                        at,
                        written: Some(name),
                        name: lname,
                        html_ns: el_ns == Ns::Html,
                        content,
                        duplicate: false,
                        selected,
                        removed,
                    },
                    || href.map(|(s, e)| html[s..e].to_string()),
                );
                if tracker.is_unsound() {
                    return Some(tracker.finish(html, false));
                }
                i = tag.end;
                if !content {
                    continue;
                }
                if open.len() >= MAX_OPEN {
                    return None;
                }
                let text = if ns == Ns::Html {
                    text_kind(lname)
                } else {
                    None
                };
                open.push(Open {
                    restores: (enters || is_integration).then_some(ns),
                    integration: is_integration,
                    id,
                    name: tag.name,
                });
                if enters || is_integration {
                    ns = el_ns;
                }
                integration += usize::from(is_integration);
                if let Some((kind, name)) = text {
                    i = raw_text_end(b, i, name, kind)?;
                }
            }
            Some(b'/') => {
                let (name, end) = end_tag(b, at)?;
                let top = open.pop()?;
                if !b[top.name.0..top.name.1].eq_ignore_ascii_case(&b[name.0..name.1]) {
                    return None;
                }
                if let Some(back) = top.restores {
                    ns = back;
                }
                integration -= usize::from(top.integration);
                if let Some(id) = top.id {
                    tracker.end(id, html, at..end, String::new);
                    if tracker.is_unsound() {
                        return Some(tracker.finish(html, false));
                    }
                }
                i = end;
            }
            // CDATA is markup in foreign content, and also inside its integration points for
            // the tree builder (its current node is still foreign there).
            Some(b'!') => i = markup_declaration(b, at, ns != Ns::Html || integration > 0)?,
            Some(b'?') => i = bogus_comment(b, at + 2)?,
            // `<` as text.
            _ => {
                tracker.saw_text();
                i = at + 1;
            }
        }
    }
    Some(tracker.finish(html, hits.iter().all(|h| *h)))
}

#[derive(Clone, Copy)]
enum Text {
    Script,
    Raw,
}

/// How the text after a start tag is read (scripts; RCDATA and RAWTEXT alike), with the
/// element's name as a static string.
fn text_kind(name: &str) -> Option<(Text, &'static str)> {
    let raw = |n| Some((Text::Raw, n));
    match name {
        "script" => Some((Text::Script, "script")),
        "textarea" => raw("textarea"),
        "title" => raw("title"),
        "style" => raw("style"),
        "iframe" => raw("iframe"),
        "xmp" => raw("xmp"),
        "noembed" => raw("noembed"),
        "noframes" => raw("noframes"),
        "noscript" => raw("noscript"),
        _ => None,
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0c')
}

/// A tag or attribute name byte this tokenizer accepts (the tokenizer accepts more).
fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// The start tag whose `<` is at `at`, or `None` for anything unusual. `names` is scratch space
/// for its attribute names.
fn start_tag<'a>(b: &'a [u8], at: usize, names: &mut Vec<&'a [u8]>) -> Option<Tag> {
    let name_start = at + 1;
    let mut i = name_start;
    while b.get(i).copied().is_some_and(is_name) {
        i += 1;
    }
    let name = (name_start, i);
    let mut attrs = Attrs::default();
    names.clear();
    loop {
        while b.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        match *b.get(i)? {
            b'>' => {
                return Some(Tag {
                    name,
                    attrs,
                    self_closing: false,
                    end: i + 1,
                });
            }
            b'/' => {
                return (b.get(i + 1) == Some(&b'>')).then_some(Tag {
                    name,
                    attrs,
                    self_closing: true,
                    end: i + 2,
                });
            }
            _ => {}
        }
        // An attribute follows white space only (the name must have ended on one, too).
        if !b.get(i - 1).copied().is_some_and(is_space) {
            return None;
        }
        let n0 = i;
        while b
            .get(i)
            .is_some_and(|c| !is_space(*c) && !matches!(c, b'/' | b'>' | b'='))
        {
            if matches!(b[i], b'"' | b'\'' | b'<' | b'\0' | b'\r') {
                return None;
            }
            i += 1;
        }
        let attr = &b[n0..i];
        if attr.is_empty() || names.iter().any(|n| n.eq_ignore_ascii_case(attr)) {
            return None;
        }
        names.push(attr);
        while b.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            // No value; `i` is at the next attribute, `/` or `>`, with white space before it.
            continue;
        }
        i += 1;
        while b.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        let value = match *b.get(i)? {
            q @ (b'"' | b'\'') => {
                let len = memchr(q, b.get(i + 1..)?)?;
                let v = (i + 1, i + 1 + len);
                i = v.1 + 1;
                // After a quoted value: white space, `/` or `>` (else the tokenizer's recovery).
                if !b
                    .get(i)
                    .is_some_and(|c| is_space(*c) || matches!(c, b'/' | b'>'))
                {
                    return None;
                }
                v
            }
            b'>' => return None,
            _ => {
                let v0 = i;
                while b.get(i).is_some_and(|c| !is_space(*c) && *c != b'>') {
                    if matches!(b[i], b'"' | b'\'' | b'<' | b'=' | b'`' | b'\0' | b'\r') {
                        return None;
                    }
                    i += 1;
                }
                (v0, i)
            }
        };
        if b[value.0..value.1].contains(&b'\0') {
            return None;
        }
        let slot = if attr.eq_ignore_ascii_case(b"id") {
            &mut attrs.id
        } else if attr.eq_ignore_ascii_case(b"class") {
            &mut attrs.class
        } else if attr.eq_ignore_ascii_case(b"href") {
            &mut attrs.href
        } else {
            continue;
        };
        *slot = Some(value);
    }
}

/// The end tag whose `<` is at `at`: its name and where it ends, or `None` when it is unusual
/// (attributes, a slash, no name).
fn end_tag(b: &[u8], at: usize) -> Option<((usize, usize), usize)> {
    let s = at + 2;
    let mut i = s;
    while b.get(i).copied().is_some_and(is_name) {
        i += 1;
    }
    if i == s || !b[s].is_ascii_alphabetic() {
        return None;
    }
    let name = (s, i);
    while b.get(i).copied().is_some_and(is_space) {
        i += 1;
    }
    (b.get(i) == Some(&b'>')).then_some((name, i + 1))
}

/// Where the text of a script, RCDATA or RAWTEXT element `name` ends: the `<` of its end tag.
fn raw_text_end(b: &[u8], from: usize, name: &str, kind: Text) -> Option<usize> {
    let mut i = from;
    loop {
        let at = i + memmem::find(b.get(i..)?, b"</")?;
        let after = at + 2 + name.len();
        if b.get(at + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && b.get(after)
                .is_some_and(|c| is_space(*c) || matches!(c, b'/' | b'>' | b'\r'))
        {
            // A script's escaped states start at `<!--`; they are left to lol_html.
            if matches!(kind, Text::Script) && memmem::find(&b[from..at], b"<!--").is_some() {
                return None;
            }
            return Some(at);
        }
        i = at + 2;
    }
}

/// `<!…` at `at`: a comment, a doctype or a bogus comment; where it ends.
fn markup_declaration(b: &[u8], at: usize, foreign: bool) -> Option<usize> {
    let rest = b.get(at + 2..)?;
    if rest.starts_with(b"--") {
        let s = at + 4;
        // `<!-->` and `<!--->` end at once.
        if matches!(b.get(s), Some(b'>')) || b.get(s..s + 2) == Some(b"->") {
            return None;
        }
        let mut i = s;
        loop {
            let d = i + memmem::find(b.get(i..)?, b"--")?;
            match b.get(d + 2)? {
                b'>' => return Some(d + 3),
                b'!' => return None,
                _ => i = d + 1,
            }
        }
    }
    if rest
        .get(..7)
        .is_some_and(|d| d.eq_ignore_ascii_case(b"doctype"))
    {
        return bogus_comment(b, at + 2);
    }
    if rest.starts_with(b"[CDATA[") && foreign {
        return None;
    }
    bogus_comment(b, at + 2)
}

/// A doctype or bogus comment ends at the first `>`.
fn bogus_comment(b: &[u8], from: usize) -> Option<usize> {
    Some(from + memchr(b'>', b.get(from..)?)? + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Option<Result<String, &'static str>> {
        let select = vec![compound::parse_list("#policy").unwrap()];
        let remove = vec![compound::parse_list(".r").unwrap()];
        cut(
            &format!("<!DOCTYPE html><html><head></head><body>{body}</body></html>"),
            &select,
            &remove,
        )
    }

    #[test]
    fn well_formed_markup_is_read_to_the_end() {
        let body = concat!(
            "<!-- a -- comment --><!--x--->",
            "<script>if (a < b && c) { s = '<div id=policy>' + '</scr' + 'ipt>'; }</script>",
            "<style>p::before { content: '</p>' }</STYLE >",
            "<textarea><div id=policy>text</div></textarea>",
            "<svg viewBox=\"0 0 1 1\"><title>Close</title><path d=\"M0 0\"/></svg>",
            "<a href=\"/x?a=1&amp;b=2\" title='a > b' data-x=\"<p>\">link</a><br/><img src=a alt=\"\">",
            "<DIV ID=\"policy\" hidden><h2>Ending</h2><p class=\"x r\">Visit a shop.</p></DIV>",
            "<?bogus><!x bogus>",
        );
        let doc = run(body).unwrap().unwrap();
        assert_eq!(
            doc,
            "<!DOCTYPE html><html><head></head><body>\
             <DIV data-pwcut-s=\"\" ID=\"policy\" hidden><h2>Ending</h2>\
             <p data-pwcut-r=\"\" class=\"x r\">Visit a shop.</p></DIV></body></html>"
        );
    }

    #[test]
    fn the_tracker_refuses_for_the_scan_too() {
        let refused = run("<p><span id=policy>x</span></p>").unwrap();
        assert_eq!(refused, Err("region in an unsafe context"));
        let none = run("<div class=x>no region</div>").unwrap();
        assert_eq!(none, Err("a selector matched nothing"));
    }

    #[test]
    fn anything_unusual_is_left_to_lol_html() {
        for body in [
            "<div id=policy>x</div><p>open",
            "<div id=policy><p>implied</div>",
            "<div id=policy>x</div></span>",
            "<div id=policy id=x>dup</div>",
            "<div id=\"pol&#105;cy\">entity</div>",
            "<div\r\nid=policy>cr</div>",
            "<div class=\"x\"id=policy>no space</div>",
            "<div/ id=policy>slash</div>",
            "<div id=>empty</div>",
            "<o:p>word</o:p><div id=policy>x</div>",
            "<select><option>a</option></select><div id=policy>x</div>",
            "<template>t</template><div id=policy>x</div>",
            "<script><!-- <script></script> --></script><div id=policy>x</div>",
            "<!-->x--><div id=policy>x</div>",
            "<!-- x --!><div id=policy>x</div>",
            "<svg/><div id=policy>x</div>",
            "<svg><desc><b>x</b></desc></svg><div id=policy>x</div>",
            "<svg><p>breaks out</p></svg><div id=policy>x</div>",
            "<div id=policy>x</div></>",
            "<div id=policy>x</div><div",
            "<div id=policy>x</div><!-- unclosed",
        ] {
            assert_eq!(run(body), None, "{body}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("{}<div id=policy>x</div>", "<div>".repeat(MAX_OPEN + 1));
        assert_eq!(run(&deep), None);
        let deep_but_under = format!(
            "{}<div id=policy>x</div>{}",
            "<span>".repeat(MAX_OPEN - 3),
            "</span>".repeat(MAX_OPEN - 3)
        );
        // Read to the end; the tracker refuses (a region under spans, too deep to follow).
        assert!(run(&deep_but_under).unwrap().is_err());
    }
}
