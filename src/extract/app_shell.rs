//! App-shell detection: does a static page build its text with JavaScript?
//!
//! A page built by a script framework arrives as a shell: a `<body>` with almost no text, an empty
//! element the script mounts into (`<div id="root"></div>`, `<div id="app">`, `<app-root>`…) and
//! script bundles. Fetched without a browser, such a page extracts nothing (or only its
//! `<noscript>` apology), and the user should be told to try `render = "browser"`. This is a pure
//! function of the HTML; callers decide when it is worth asking (it parses the page again, so
//! only for pages that gave little or no text).
//!
//! A page that gives little text may be hostile (200,000 nested `<div>`s), so it is parsed with
//! the same depth cap as extraction, and its text is counted in one walk of the tree: linear in
//! the page for any shape.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Node};

use crate::extract::parse;

/// What to tell the user, word for word.
pub const HINT: &str = "this page builds its text with JavaScript: try render = \"browser\"";

/// Less visible text than this in `<body>` is "almost no text".
pub const MAX_SHELL_TEXT: usize = 200;
/// Inline script larger than this counts as a bundle.
const INLINE_BUNDLE: usize = 2048;

/// Ids that script frameworks mount into (React, Vue, Next.js, Nuxt, Gatsby, Quasar, Svelte…).
const MOUNT_IDS: &[&str] = &[
    "root",
    "app",
    "__next",
    "__nuxt",
    "___gatsby",
    "q-app",
    "svelte",
    "main-app",
    "react-root",
];
/// Elements whose text is not page text (a `<noscript>` apology is not content).
const SILENT: &[&str] = &["script", "style", "noscript", "template", "head"];

/// The signals found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signals {
    /// Visible characters in `<body>`, whitespace not counted.
    pub text_chars: usize,
    /// An empty element a framework mounts into.
    pub empty_mount: bool,
    /// `<script src>` elements.
    pub external_scripts: usize,
    /// Bytes of inline script.
    pub inline_script_bytes: usize,
}

impl Signals {
    /// Almost no text, and a sign that a script is meant to write it.
    pub fn is_app_shell(&self) -> bool {
        self.text_chars < MAX_SHELL_TEXT
            && (self.empty_mount
                || self.external_scripts > 0
                || self.inline_script_bytes > INLINE_BUNDLE)
    }
}

/// True when the page looks like an app shell (see [`Signals::is_app_shell`]).
pub fn looks_like_app_shell(html: &str) -> bool {
    signals(html).is_app_shell()
}

pub fn signals(html: &str) -> Signals {
    signals_counted(html).0
}

/// [`signals`], and the nodes its walk visited (for tests: the work is bounded by counting it).
///
/// One walk of the tree finds it all: it counts how many silent elements (`<script>`,
/// `<noscript>`…) it is inside rather than looking at each text's ancestors, and a mount point is
/// empty when the count of visible characters did not move between its start and its end.
pub fn signals_counted(html: &str) -> (Signals, usize) {
    let doc = parse::parse(html);
    let mut visited = 0usize;
    let mut silent_depth = 0usize;
    let mut body_depth = 0usize;
    // Visible characters seen so far anywhere, and those inside `<body>`.
    let mut seen = 0usize;
    let mut text_chars = 0usize;
    // Visible characters seen when each open mount point started (no deeper than the parse's
    // depth cap).
    let mut mounts: Vec<usize> = Vec::new();
    let mut empty_mount = false;
    let mut external_scripts = 0;
    let mut inline_script_bytes = 0;
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(n) => {
                visited += 1;
                match n.value() {
                    Node::Text(t) if silent_depth == 0 => {
                        let c = t.chars().filter(|c| !c.is_whitespace()).count();
                        seen += c;
                        if body_depth > 0 {
                            text_chars += c;
                        }
                    }
                    Node::Element(e) => {
                        if SILENT.contains(&e.name()) {
                            silent_depth += 1;
                        }
                        if e.name() == "body" {
                            body_depth += 1;
                        }
                        if is_mount(e) {
                            mounts.push(seen);
                        }
                        if e.name() == "script" {
                            if e.attr("src").is_some() {
                                external_scripts += 1;
                            } else if let Some(script) = ElementRef::wrap(n)
                                && !is_data_script(script)
                            {
                                inline_script_bytes += script.text().map(str::len).sum::<usize>();
                            }
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if let Node::Element(e) = n.value() {
                    if SILENT.contains(&e.name()) {
                        silent_depth -= 1;
                    }
                    if e.name() == "body" {
                        body_depth -= 1;
                    }
                    if is_mount(e) && mounts.pop() == Some(seen) {
                        empty_mount = true;
                    }
                }
            }
        }
    }
    (
        Signals {
            text_chars,
            empty_mount,
            external_scripts,
            inline_script_bytes,
        },
        visited,
    )
}

/// An element a script framework mounts into.
fn is_mount(e: &scraper::node::Element) -> bool {
    e.name() == "app-root"
        || e.id()
            .is_some_and(|id| MOUNT_IDS.contains(&id.to_ascii_lowercase().as_str()))
}

/// JSON and other data blocks are not code (`<script type="application/json">`, ld+json).
fn is_data_script(script: ElementRef<'_>) -> bool {
    script
        .value()
        .attr("type")
        .is_some_and(|t| t.to_ascii_lowercase().contains("json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REACT_SHELL: &str = r#"<!doctype html><html><head><title>My Account</title>
        <script defer src="/static/js/main.4f2a9c.js"></script></head>
        <body><noscript>You need to enable JavaScript to run this app.</noscript>
        <div id="root"></div></body></html>"#;

    #[test]
    fn react_vue_angular_shells() {
        let s = signals(REACT_SHELL);
        assert_eq!(s.text_chars, 0);
        assert!(s.empty_mount);
        assert_eq!(s.external_scripts, 1);
        assert!(s.is_app_shell());
        assert!(looks_like_app_shell(
            r#"<html><body><div id="app"></div><script src="/js/chunk-vendors.js"></script></body></html>"#
        ));
        assert!(looks_like_app_shell(
            r#"<html><body><app-root></app-root><script src="main.js" type="module"></script></body></html>"#
        ));
        // An empty mount point alone, the bundle loaded some other way.
        assert!(looks_like_app_shell(
            r#"<html><body><div id="__next">  </div></body></html>"#
        ));
        // A large inline bundle and a loading message.
        let inline = format!(
            "<html><body><p>Loading…</p><script>{}</script></body></html>",
            "var a=1;".repeat(400)
        );
        assert!(looks_like_app_shell(&inline));
    }

    #[test]
    fn pages_with_text_are_not_shells() {
        let terms = format!(
            r#"<html><body><div id="root"><h1>Terms</h1><p>{}</p></div>
            <script src="/analytics.js"></script></body></html>"#,
            "To terminate the service, please visit any shop in person. ".repeat(5)
        );
        let s = signals(&terms);
        assert!(s.text_chars >= MAX_SHELL_TEXT, "{s:?}");
        assert!(!s.empty_mount);
        assert!(!s.is_app_shell());
        // Server-rendered into the mount point: text, so not a shell, even with bundles.
        let ssr = format!(
            r#"<html><body><div id="app"><p>{}</p></div><script src="/app.js"></script></body></html>"#,
            "服務計劃於合約期內不可提前終止，如需終止服務，請親臨門市辦理。".repeat(8)
        );
        assert!(!looks_like_app_shell(&ssr));
    }

    #[test]
    fn a_short_static_page_without_scripts_is_not_a_shell() {
        // Little text, but nothing suggests a script would add more.
        let s = signals("<html><body><p>Page moved.</p></body></html>");
        assert!(s.text_chars < MAX_SHELL_TEXT);
        assert!(!s.is_app_shell());
        // Data blocks are not code.
        let data = format!(
            r#"<html><body><p>Hi</p><script type="application/ld+json">{}</script></body></html>"#,
            "{\"a\":1},".repeat(1000)
        );
        assert!(!looks_like_app_shell(&data));
        assert!(!looks_like_app_shell(""));
    }

    #[test]
    fn hostile_shapes_cost_work_linear_in_the_page() {
        // Issue 14's deep page reaches this check because it gives little text: 200,000 nested
        // `<div>`s, some of them mount points, with a few characters at the bottom.
        let levels = 200_000;
        let deep = format!(
            "<html><body>{}x</body></html>",
            r#"<div id="root"><div>"#.repeat(levels / 2)
        );
        let (s, visited) = signals_counted(&deep);
        assert_eq!(s.text_chars, 1);
        assert!(!s.empty_mount);
        // The parse keeps at most MAX_DEPTH open elements, and the walk sees each node once.
        assert!(visited <= 2 * parse::MAX_DEPTH, "{visited} nodes visited");
        // Many sibling mount points, each empty.
        let wide = format!(
            "<html><body><p>x</p>{}</body></html>",
            r#"<div id="app"></div>"#.repeat(levels)
        );
        let (s, visited) = signals_counted(&wide);
        assert!(s.empty_mount);
        assert!(visited <= 2 * levels + 16, "{visited} nodes visited");
        // Silent elements nested deep do not make text visible again when they close.
        let (s, _) = signals_counted(&format!(
            "<html><body>{}hidden{}<p>shown</p></body></html>",
            "<noscript><span>".repeat(300),
            "</span></noscript>".repeat(300)
        ));
        assert_eq!(s.text_chars, "shown".len());
        // An empty mount point inside one that has text is still found.
        assert!(
            signals(r#"<html><body><div id="app"><p>Loading</p><div id="root"> </div></div></body></html>"#)
                .empty_mount
        );
    }

    #[test]
    fn noscript_text_is_not_content() {
        let s = signals(
            r#"<html><body><noscript>This site needs JavaScript. Please enable it in your browser settings to continue to the terms and conditions page.</noscript><div id="root"></div></body></html>"#,
        );
        assert_eq!(s.text_chars, 0);
        assert!(s.is_app_shell());
    }
}
