//! Bot walls: is this response a bot-protection service's challenge or block page, served in
//! place of the carrier's page?
//!
//! Carrier sites sit behind CDNs and web firewalls (Cloudflare, Akamai, Imperva, Alibaba
//! Cloud…). When one of them takes a request for a bot it answers with a small page of its own: a
//! check that wants a browser or a CAPTCHA, or a refusal, with an error status or with 200. Read
//! as the carrier's page it would be a false change (its few words in place of the terms,
//! confirmed by the second fetch, which meets the same wall) or a selector reported lost. It is a
//! failed fetch instead, named after the service: `extract::document` asks about a page that gave
//! little text (so pages with content never pay for the look), the static fetch about the body of
//! an error status (to name who refused). Pure: text in, a wall or none out.
//!
//! A wall is known by markers its service puts only on such pages (a challenge script's
//! variable, the block page's reference line) and by having almost no text of its own. Markers
//! that a service also puts on the pages it lets through (Imperva's resource script) count only
//! on an empty stub.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

/// Pages larger than this are never walls: the largest of these pages are a few tens of KiB,
/// and only the first this many bytes of a page are looked at.
pub const MAX_WALL_BYTES: usize = 128 << 10;

/// A page whose selection gave this many characters or more is content, and is not looked at.
/// Each rule has its own, smaller bound on the page's visible text (what the wall's own page
/// holds, with room to spare): the wordiest wall, Cloudflare's block page, has about 600
/// non-space characters.
pub const MAX_WALL_TEXT: usize = 2_000;

/// A marker that also appears on pages a service lets through counts only on a page this small
/// with no visible text at all: the service's stub, not an app shell's bundles or a short page.
const STUB_BYTES: usize = 4 << 10;

/// What the wall asks of the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallKind {
    /// A check for a browser or a human (a JavaScript challenge, a CAPTCHA, a slider).
    Challenge,
    /// A refusal of this client or address.
    Block,
}

/// A bot-protection page: which service served it, and what kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wall {
    pub service: &'static str,
    pub kind: WallKind,
}

impl std::fmt::Display for Wall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            WallKind::Challenge => "a bot check (challenge page)",
            WallKind::Block => "a bot-protection block page",
        };
        write!(
            f,
            "{} answered with {what} instead of the page",
            self.service
        )
    }
}

/// One way to recognise a wall: every marker (ASCII, matched without regard to case) is on the
/// page, the page is at most `max_bytes` long and its visible text at most `max_text`
/// non-space characters (`app_shell`'s count).
struct Rule {
    service: &'static str,
    kind: WallKind,
    all: &'static [&'static str],
    max_bytes: usize,
    max_text: usize,
}

/// A rule whose markers are on walls only, on a page of at most `max_text` characters: a page
/// that quotes a wall's words ("if you see 'Access Denied' and a reference number, call us")
/// says more than the wall does.
const fn rule(
    service: &'static str,
    kind: WallKind,
    all: &'static [&'static str],
    max_text: usize,
) -> Rule {
    Rule {
        service,
        kind,
        all,
        max_bytes: MAX_WALL_BYTES,
        max_text,
    }
}

/// A rule whose markers are also on pages let through: only an empty stub is a wall.
const fn stub(service: &'static str, kind: WallKind, all: &'static [&'static str]) -> Rule {
    Rule {
        service,
        kind,
        all,
        max_bytes: STUB_BYTES,
        max_text: 0,
    }
}

use WallKind::{Block, Challenge};

const CLOUDFLARE: &str = "Cloudflare";
const AKAMAI: &str = "Akamai";
const IMPERVA: &str = "Imperva (Incapsula)";
const ALIBABA: &str = "Alibaba Cloud";

/// The walls known. Cloudflare's managed challenge sets `_cf_chl_opt`, its older one posts
/// `jschl-answer`; its block page says "you have been blocked" in its error template (which its
/// configuration errors share, without those words). Akamai's refusal names a reference number
/// written with character references, its Bot Manager challenge loads from `/_sec/cp_challenge/`.
/// Both refusals are known by their own `<title>` too: a page that quotes their words has
/// another. Imperva's refusal gives an incident ID; its challenge is a stub that only loads
/// `_Incapsula_Resource` (which pages it lets through load too). F5's refusal gives a support ID;
/// Alibaba Cloud's challenge sets the `acw_sc__v2` cookie from a script, its slider lives under
/// `/_____tmd_____/punish`; DataDome's and HUMAN's challenges load their CAPTCHA (over a page
/// that loaded, in a browser, too: so only on a page of a sentence or two). The bounds on text
/// are each wall's own page with room to spare (non-space characters).
const RULES: &[Rule] = &[
    rule(CLOUDFLARE, Challenge, &["_cf_chl_opt"], 600),
    rule(CLOUDFLARE, Challenge, &["jschl-answer"], 600),
    rule(CLOUDFLARE, Challenge, &["cf-browser-verification"], 600),
    rule(
        CLOUDFLARE,
        Block,
        &["cf-error-details", "you have been blocked"],
        1200,
    ),
    rule(
        AKAMAI,
        Block,
        &["<title>access denied</title>", "reference&#32;&#35;"],
        300,
    ),
    rule(AKAMAI, Challenge, &["/_sec/cp_challenge/"], 600),
    rule(IMPERVA, Block, &["incapsula incident id"], 200),
    stub(IMPERVA, Challenge, &["_incapsula_resource"]),
    rule(
        "F5 BIG-IP",
        Block,
        &[
            "<title>request rejected</title>",
            "the requested url was rejected",
            "support id",
        ],
        200,
    ),
    rule(ALIBABA, Challenge, &["acw_sc__v2"], 200),
    rule(ALIBABA, Challenge, &["/_____tmd_____/punish"], 600),
    rule("DataDome", Challenge, &["captcha-delivery.com"], 200),
    rule("HUMAN (PerimeterX)", Challenge, &["px-captcha"], 400),
    rule("AWS WAF", Challenge, &["gokuprops", "awswaf"], 400),
];

/// Every rule's markers, once each, and for each rule the indexes of its markers.
struct Markers {
    finder: AhoCorasick,
    of_rule: Vec<Vec<usize>>,
}

static MARKERS: LazyLock<Option<Markers>> = LazyLock::new(|| {
    let mut words: Vec<&str> = Vec::new();
    let of_rule = RULES
        .iter()
        .map(|r| {
            r.all
                .iter()
                .map(|m| {
                    words.iter().position(|w| w == m).unwrap_or_else(|| {
                        words.push(m);
                        words.len() - 1
                    })
                })
                .collect()
        })
        .collect();
    let finder = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&words)
        .ok()?;
    Some(Markers { finder, of_rule })
});

/// The wall `html` is, if it is one. `text_chars` counts the page's visible text; it is called
/// only when a rule's markers are all on the page (it parses the page).
pub fn wall(html: &str, text_chars: impl FnOnce() -> usize) -> Option<Wall> {
    if html.len() > MAX_WALL_BYTES {
        return None;
    }
    let markers = MARKERS.as_ref()?;
    // At most 64 distinct markers (checked by a test), so a bit set holds those found.
    let mut found = 0u64;
    for m in markers.finder.find_overlapping_iter(html) {
        found |= 1 << m.pattern().as_usize();
    }
    if found == 0 {
        return None;
    }
    let text = std::cell::LazyCell::new(text_chars);
    for (r, ids) in RULES.iter().zip(&markers.of_rule) {
        if html.len() > r.max_bytes || !ids.iter().all(|&i| found & (1 << i) != 0) {
            continue;
        }
        if *text <= r.max_text {
            return Some(Wall {
                service: r.service,
                kind: r.kind,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::app_shell;

    fn check(html: &str) -> Option<Wall> {
        wall(html, || app_shell::signals(html).text_chars)
    }

    fn walls() -> Vec<(&'static str, String)> {
        [
            "cloudflare-challenge",
            "cloudflare-block",
            "akamai-block",
            "imperva-block",
            "imperva-challenge",
            "f5-block",
            "alibaba-challenge",
            "datadome-challenge",
        ]
        .into_iter()
        .map(|name| {
            let path = format!(
                "{}/tests/fixtures/walls/{name}.html",
                env!("CARGO_MANIFEST_DIR")
            );
            let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            (name, html)
        })
        .collect()
    }

    #[test]
    fn the_markers_fit_the_bit_set() {
        let m = MARKERS.as_ref().expect("the markers build");
        assert!(m.finder.patterns_len() <= 64);
        assert_eq!(m.of_rule.len(), RULES.len());
    }

    #[test]
    fn each_wall_is_named_after_its_service() {
        let expected = [
            ("cloudflare-challenge", CLOUDFLARE, Challenge),
            ("cloudflare-block", CLOUDFLARE, Block),
            ("akamai-block", AKAMAI, Block),
            ("imperva-block", IMPERVA, Block),
            ("imperva-challenge", IMPERVA, Challenge),
            ("f5-block", "F5 BIG-IP", Block),
            ("alibaba-challenge", ALIBABA, Challenge),
            ("datadome-challenge", "DataDome", Challenge),
        ];
        for ((name, html), (want, service, kind)) in walls().into_iter().zip(expected) {
            assert_eq!(name, want);
            assert_eq!(check(&html), Some(Wall { service, kind }), "{name}");
        }
    }

    #[test]
    fn the_message_names_the_service_and_what_it_did() {
        let w = Wall {
            service: CLOUDFLARE,
            kind: Challenge,
        };
        assert_eq!(
            w.to_string(),
            "Cloudflare answered with a bot check (challenge page) instead of the page"
        );
        let w = Wall {
            service: AKAMAI,
            kind: Block,
        };
        assert_eq!(
            w.to_string(),
            "Akamai answered with a bot-protection block page instead of the page"
        );
    }

    #[test]
    fn a_page_that_a_service_let_through_is_not_a_wall() {
        // Pages a service serves carry its scripts: Cloudflare's bot-management script, Imperva's
        // resource, a page that talks about access being denied. With their text they are
        // content.
        let words = "Termination of service. ".repeat(100);
        let through = format!(
            "<html><head><script src=\"/_Incapsula_Resource?SWJIYLWA=5074a744\"></script>\
             <script src=\"/cdn-cgi/challenge-platform/scripts/jsd/main.js\"></script></head>\
             <body><main><p>{words}</p><p>Access denied to former customers.</p></main></body></html>"
        );
        assert_eq!(check(&through), None);
        // A challenge marker on a page with its content is content too.
        let wordy = format!("<html><body><p>{words}</p><script>_cf_chl_opt</script></body></html>");
        assert_eq!(check(&wordy), None);
        // Pages that quote a wall's words, to tell the reader what to do about one.
        let help = "<html><body><main><h1>Cannot open My Account?</h1><p>If you see \"The \
            requested URL was rejected. Please consult with your administrator.\" and a support \
            ID, call 1000 and quote the support ID. To end your plan, call 1000.</p></main></body></html>";
        assert_eq!(check(help), None);
        let faq = "<html><body><main><h2>常見問題</h2><p>如網頁顯示「Access Denied」及「Reference \
            &#35;18&#46;4a2b」，請清除瀏覽器快取後再試，或致電客戶服務熱線查詢。</p><p>\
            Reference&#32;&#35;18&#46;4a2b3c17：請把此編號告訴客戶服務員。如需終止服務，請親臨門市辦理。\
            </p></main></body></html>";
        assert_eq!(check(faq), None);
        // Imperva's resource script on a short page that has text of its own: not a wall.
        let short = "<html><head><script src=\"/_Incapsula_Resource?x=1\"></script></head>\
                     <body><p>Call 1000 to end your plan.</p></body></html>";
        assert_eq!(check(short), None);
    }

    #[test]
    fn a_large_page_is_never_read_for_markers() {
        let mut html = String::from("<html><body><script>_cf_chl_opt</script>");
        html.push_str(&" ".repeat(MAX_WALL_BYTES));
        html.push_str("</body></html>");
        let mut asked = false;
        assert_eq!(
            wall(&html, || {
                asked = true;
                0
            }),
            None
        );
        assert!(!asked, "the text is not counted");
    }

    #[test]
    fn the_text_is_counted_only_when_every_marker_of_a_rule_is_there() {
        let mut asked = 0;
        // One of Akamai's two markers only.
        let html = "<html><body><h1>Access Denied</h1></body></html>";
        assert_eq!(
            wall(html, || {
                asked += 1;
                0
            }),
            None
        );
        assert_eq!(asked, 0);
    }

    #[test]
    fn no_fixture_page_is_a_wall() {
        // Every realistic page of the verdict fixtures (modelled on carrier pages) and the
        // benchmark's sample page: none is taken for a wall.
        let root = env!("CARGO_MANIFEST_DIR");
        let mut pages = vec![format!("{root}/bench/sample-page.html")];
        for dir in ["tests/fixtures", "tests/fixtures/structure"] {
            let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}")) else {
                panic!("{dir} is readable");
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "html") {
                    pages.push(p.display().to_string());
                }
            }
        }
        assert!(pages.len() > 1000, "{} pages", pages.len());
        for p in &pages {
            let html = std::fs::read_to_string(p).unwrap_or_default();
            assert_eq!(check(&html), None, "{p}");
        }
    }
}
