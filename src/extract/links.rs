//! Links: where a link in the watched region points is part of what the page says.
//!
//! A "Disconnection Form" that moves from a PDF to an online form is a change of policy, so a
//! link's target is written into its block's text, Markdown-style:
//! `[Disconnection Form](https://www.example.com/forms/disconnect.pdf)`. Open Terms Archive
//! keeps links the same way, and the form is readable in an email and can be read back from
//! stored text ([`links_in`]) to say "link changed".
//!
//! Only what a reader could follow is kept, in one stable spelling: relative targets are resolved
//! against the page's base URL; tracking parameters (utm_*, fbclid, gclid…), session ids (in the
//! query or as `;jsessionid=` path parameters) and fragments are dropped, so noise is never a
//! change. Same-page anchors, `javascript:` and other schemes a reader cannot follow are not
//! links; `mailto:` and `tel:` are (cancelling by email or phone is a channel). No I/O.

use std::borrow::Cow;

use url::Url;

/// A link target longer than this is cut (with "…"): no real form or document URL comes close.
pub const MAX_URL: usize = 500;

/// Query parameters that say who sent the reader, not where to: dropped.
const TRACKING: &[&str] = &[
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "igshid",
    "srsltid",
    "mc_eid",
    "mc_cid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "li_fat_id",
];

/// Session ids, in the query or as path parameters (`/page;jsessionid=…`): dropped.
const SESSION: &[&str] = &[
    "jsessionid",
    "phpsessid",
    "sid",
    "sessionid",
    "session_id",
    "cfid",
    "cftoken",
];

fn is_noise(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("utm_")
        || key.starts_with("aspsessionid")
        || TRACKING.contains(&key.as_str())
        || SESSION.contains(&key.as_str())
}

/// The target of `href` on a page at `page` whose base URL is `base` (they differ only with a
/// `<base href>`), in its stable spelling; `None` when it is not a link a reader would follow
/// elsewhere.
pub fn target(href: &str, base: &Url, page: &Url) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let mut url = base.join(href).ok()?;
    match url.scheme() {
        "mailto" | "tel" => {}
        "http" | "https" => {}
        // `inspect --file` pages link to their neighbours on disk.
        s if s == page.scheme() && s == "file" => {}
        _ => return None,
    }
    url.set_fragment(None);
    if url.has_host() {
        // Credentials in a link would be stored and emailed.
        let _ = url.set_username("");
        let _ = url.set_password(None);
        clean_path(&mut url);
        clean_query(&mut url);
        let mut here = page.clone();
        here.set_fragment(None);
        if url == here {
            return None;
        }
    }
    let mut s = url.to_string();
    if s.len() > MAX_URL {
        s.truncate(s.floor_char_boundary(MAX_URL));
        s.push('…');
    }
    Some(s)
}

/// Drops session path parameters: `/a;jsessionid=12/b` → `/a/b`.
fn clean_path(url: &mut Url) {
    if !url.path().contains(';') {
        return;
    }
    let path: Vec<String> = url
        .path()
        .split('/')
        .map(|segment| {
            let mut parts = segment.split(';');
            let mut kept = parts.next().unwrap_or_default().to_string();
            for p in parts {
                let key = p.split('=').next().unwrap_or_default();
                if !is_noise(key) {
                    kept.push(';');
                    kept.push_str(p);
                }
            }
            kept
        })
        .collect();
    url.set_path(&path.join("/"));
}

/// Drops tracking and session parameters, keeping the others exactly as written.
fn clean_query(url: &mut Url) {
    let Some(query) = url.query() else { return };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && !is_noise(key)
        })
        .collect();
    let kept = kept.join("&");
    url.set_query((!kept.is_empty()).then_some(kept.as_str()));
}

/// How a link is written into block text.
pub fn markdown(text: &str, target: &str) -> String {
    format!("[{text}]({target})")
}

/// A link read back from block text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link<'a> {
    pub text: &'a str,
    pub target: &'a str,
}

/// The `[text](target)` links in block text, in order. Targets never hold spaces or `)` unescaped
/// (they are serialised URLs), which is what makes this reading unambiguous enough.
pub fn links_in(block: &str) -> Vec<Link<'_>> {
    let mut out = Vec::new();
    let mut rest = block;
    let mut offset = 0;
    while let Some(mid) = rest.find("](") {
        let open = rest[..mid].rfind('[');
        let after = &rest[mid + 2..];
        let close = after.find(|c: char| c == ')' || c.is_whitespace());
        match (open, close) {
            (Some(open), Some(close)) if after[close..].starts_with(')') => {
                out.push(Link {
                    text: &block[offset + open + 1..offset + mid],
                    target: &after[..close],
                });
                let used = mid + 2 + close + 1;
                offset += used;
                rest = &rest[used..];
            }
            _ => {
                offset += mid + 2;
                rest = &rest[mid + 2..];
            }
        }
    }
    out
}

/// Block text with each link's target taken out (`[Form](…)` → `Form`): what a reader reads.
pub fn without_targets(block: &str) -> Cow<'_, str> {
    if !block.contains("](") {
        return Cow::Borrowed(block);
    }
    let mut out = String::with_capacity(block.len());
    let mut rest = block;
    for link in links_in(block) {
        let Some(at) = rest.find(&format!("[{}]({})", link.text, link.target)) else {
            continue;
        };
        out.push_str(&rest[..at]);
        out.push_str(link.text);
        rest = &rest[at + link.text.len() + link.target.len() + 4..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(href: &str) -> Option<String> {
        let page = Url::parse("https://www.example.com/support/forms.html?lang=en").unwrap();
        target(href, &page, &page)
    }

    #[test]
    fn relative_targets_resolve_against_the_page() {
        assert_eq!(
            t("/forms/disconnect.pdf").as_deref(),
            Some("https://www.example.com/forms/disconnect.pdf")
        );
        assert_eq!(
            t("disc-en.pdf").as_deref(),
            Some("https://www.example.com/support/disc-en.pdf")
        );
        assert_eq!(
            t("//cdn.example.com/a.pdf").as_deref(),
            Some("https://cdn.example.com/a.pdf")
        );
    }

    #[test]
    fn noise_is_dropped_and_meaning_kept() {
        assert_eq!(
            t("/f.pdf?utm_source=x&id=7&UTM_Medium=y&fbclid=abc&gclid=1#page=2").as_deref(),
            Some("https://www.example.com/f.pdf?id=7")
        );
        assert_eq!(
            t("/f;jsessionid=ABC123/x?PHPSESSID=9&sid=2&_ga=1&mc_eid=3&msclkid=4&yclid=5")
                .as_deref(),
            Some("https://www.example.com/f/x")
        );
        assert_eq!(
            t("/f?a=1&b=%20x").as_deref(),
            Some("https://www.example.com/f?a=1&b=%20x")
        );
    }

    #[test]
    fn credentials_never_reach_the_text() {
        assert_eq!(
            t("https://user:secret@forms.example.com/a").as_deref(),
            Some("https://forms.example.com/a")
        );
    }

    #[test]
    fn only_links_a_reader_follows_elsewhere() {
        assert_eq!(t("#section-2"), None);
        assert_eq!(t("forms.html?lang=en#top"), None);
        assert_eq!(t("javascript:void(0)"), None);
        assert_eq!(t("data:text/html,hi"), None);
        assert_eq!(t("  "), None);
        assert_eq!(
            t("mailto:cancel@example.com").as_deref(),
            Some("mailto:cancel@example.com")
        );
        assert_eq!(
            t("tel:+852-1234-5678").as_deref(),
            Some("tel:+852-1234-5678")
        );
        // Another language of the same page is another page.
        assert!(t("forms.html?lang=zh").is_some());
    }

    #[test]
    fn long_targets_are_cut() {
        let long = format!("/f?q={}", "a".repeat(2000));
        let got = t(&long).unwrap();
        assert!(got.chars().count() <= MAX_URL + 1 && got.ends_with('…'));
    }

    #[test]
    fn links_read_back_from_text() {
        let block = "Send the [Disconnection Form](https://x.example/d.pdf) or write to [us](mailto:a@b.example). [not a link] (x)";
        assert_eq!(
            links_in(block),
            vec![
                Link {
                    text: "Disconnection Form",
                    target: "https://x.example/d.pdf"
                },
                Link {
                    text: "us",
                    target: "mailto:a@b.example"
                }
            ]
        );
        assert_eq!(
            without_targets(block),
            "Send the Disconnection Form or write to us. [not a link] (x)"
        );
    }
}
