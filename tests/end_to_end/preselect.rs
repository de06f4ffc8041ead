//! Differential test of the streaming pre-selection (src/extract/preselect.rs): whenever it cuts
//! a page, the extraction from the cut must equal the extraction from the whole page's DOM: the
//! same blocks (so the same verdicts and diffs) or the same error. Checked on every fixture page
//! under tests/fixtures with several selector sets, on the benchmark's sample page, and on
//! generated pages full of the markup the tree builder treats specially (implied end tags,
//! misnested formatting, tables, `<select>`, `<template>`, `<noscript>`, foreign content,
//! comments, CDATA, unclosed tags).

use std::path::{Path, PathBuf};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use crate::common;

use common::preselect::{config, same, same_cut, strings, url};
use policywatch::extract::Extractor;
use policywatch::extract::parse::Audit;
use policywatch::extract::preselect::Preselector;

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            html_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|e| e == "html" || e == "htm" || e == "xhtml")
        {
            out.push(p);
        }
    }
}

const SELECTOR_SETS: &[(&[&str], &[&str])] = &[
    (&["main"], &[]),
    (&["main"], &["nav"]),
    (&["#policy"], &[]),
    (&["article"], &[]),
    (&["p"], &[]),
    (&["div"], &[]),
    (&["section", "main"], &[".share"]),
    (&["li", "h2"], &[]),
    (&["td"], &[]),
];

#[test]
fn fixtures_extract_the_same_through_the_cut() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    html_files(&root.join("tests/fixtures"), &mut files);
    files.push(root.join("bench/sample-page.html"));
    assert!(files.len() >= 30, "{files:?}");
    let (mut cut, mut scanned) = (0, 0);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let html = policywatch::fetch::decode::decode(bytes, None).text;
        for (sel, rm) in SELECTOR_SETS {
            let x = Extractor::new(&strings(sel), &strings(rm)).unwrap();
            let what = format!("{} {sel:?} {rm:?}", f.display());
            if same(&x, &html, &what) {
                cut += 1;
            }
            if same_cut(sel, rm, &html, &what) {
                scanned += 1;
            }
        }
    }
    // The fast tokenizer must be sure of most fixture pages, or its agreement proves little.
    let cases = files.len() * SELECTOR_SETS.len();
    assert!(
        scanned * 10 >= cases * 8,
        "the fast tokenizer was sure of only {scanned} of {cases} cases"
    );
    // The cut must actually be taken on well-formed pages, or this test proves nothing.
    assert!(
        cut >= files.len(),
        "cut on only {cut} of {} cases",
        files.len() * 9
    );
}

#[test]
fn the_benchmark_page_is_cut() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let html = std::fs::read_to_string(root.join("bench/sample-page.html")).unwrap();
    let x = Extractor::new(&strings(&["#policy"]), &[]).unwrap();
    assert!(same(&x, &html, "sample page"));
    // By the fast tokenizer, with lol_html's cut.
    assert!(same_cut(&["#policy"], &[], &html, "sample page"));
    let p = Preselector::new(&strings(&["#policy"]), &[]).unwrap();
    assert!(p.cut_by_scan(&html).unwrap().is_ok());
}

#[test]
fn unsafe_pages_and_selectors_are_parsed_whole() {
    let x = Extractor::new(&strings(&["#policy"]), &[]).unwrap();
    let page = |body: &str| format!("<!DOCTYPE html><html><head></head><body>{body}</body></html>");
    let ok = page("<div id=policy><p>To terminate, visit a shop.</p></div>");
    assert!(x.preselected(&ok, &url(), Audit::Cheap).is_some());
    for unsafe_body in [
        // An open <p> around an inline region: a <p> inside would close the region.
        "<p><span id=policy>a<p>b</p></span></p>",
        // An <li> region whose own <li> closes its ancestor.
        "<ul><li><div id=policy><li>x</li></div></li></ul>",
        // A misnested formatting element before the region is reconstructed inside it.
        "<p><a href=x>link</p><div id=policy>more</div>",
        // A region inside a table row, outside any cell.
        "<table><tr><div id=policy>x</div></tr></table>",
        // Implied end tag inside the region.
        "<div id=policy><p>a<div>b</div></span>c</div>",
    ] {
        assert!(
            x.preselected(&page(unsafe_body), &url(), Audit::Cheap)
                .is_none(),
            "{unsafe_body}"
        );
        same(&x, &page(unsafe_body), unsafe_body);
    }
    // No doctype: quirks mode, parsed whole.
    assert!(
        x.preselected("<div id=policy>x</div>", &url(), Audit::Cheap)
            .is_none()
    );
    // Combinators, attributes and pseudo-classes are not cut.
    for sel in ["main p", "div > p", "p + p", "[id=policy]", "p:first-child"] {
        let x = Extractor::new(&strings(&[sel]), &[]).unwrap();
        assert!(x.preselected(&ok, &url(), Audit::Cheap).is_none(), "{sel}");
    }
}

// ---- generated pages ------------------------------------------------------------------------

/// Markup pieces, balanced and not, that the tree builder treats specially.
fn piece() -> impl Strategy<Value = String> {
    const TAGS: &[&str] = &[
        "div",
        "p",
        "span",
        "b",
        "i",
        "a href=\"/x\"",
        "em",
        "strong",
        "ul",
        "ol",
        "li",
        "dl",
        "dd",
        "dt",
        "table",
        "tbody",
        "tr",
        "td",
        "th",
        "caption",
        "h1",
        "h2",
        "section",
        "main",
        "article",
        "nav",
        "form",
        "button",
        "select",
        "option",
        "template",
        "noscript",
        "svg",
        "math",
        "pre",
        "textarea",
        "script",
        "style",
        "title",
        "blockquote",
        "font",
        "nobr",
        "center",
        "object",
        "ruby",
        "rt",
        "footer",
    ];
    const ATTRS: &[&str] = &[
        "",
        "",
        "",
        " id=policy",
        " class=x",
        " class=\"x r\"",
        " class=r",
        " id=other",
    ];
    const TEXT: &[&str] = &[
        "To terminate, visit a shop.",
        "終止服務 ",
        "online",
        " ",
        "\n",
        "a&amp;b &lt;c&gt;",
        "x < y",
        "&nbsp;",
    ];
    const ODD: &[&str] = &[
        "<br>",
        "<hr>",
        "<img src=a>",
        "<!-- c -->",
        "<!-- <div id=policy> -->",
        "<![CDATA[x]]>",
        "</p>",
        "</div>",
        "</li>",
        "</td>",
        "</table>",
        "</b>",
        "</body>",
        "<body class=x>",
        "<div/>",
        "<p>",
        "<li>",
        "<td>",
        "<tr>",
        "<base href=\"/b/\">",
        "<input>",
        "<wbr>",
        "<div id=policy id=x>",
    ];
    prop_oneof![
        4 => (select(TAGS), select(ATTRS), vec(select(TEXT), 0..3), any::<u8>()).prop_map(
            |(tag, attr, text, close)| {
                let name = tag.split(' ').next().unwrap_or(tag);
                let inner = text.concat();
                // Mostly balanced, sometimes open, sometimes closed twice.
                match close % 8 {
                    0 => format!("<{tag}{attr}>{inner}"),
                    1 => format!("<{tag}{attr}>{inner}</{name}></{name}>"),
                    _ => format!("<{tag}{attr}>{inner}</{name}>"),
                }
            }
        ),
        2 => select(TEXT).prop_map(str::to_string),
        1 => select(ODD).prop_map(str::to_string),
        // Nested open/close pairs around a region, in order.
        2 => (select(TAGS), select(ATTRS)).prop_map(|(tag, attr)| format!("<{tag}{attr}>")),
        2 => select(TAGS).prop_map(|tag| format!("</{}>", tag.split(' ').next().unwrap_or(tag))),
    ]
}

fn page() -> impl Strategy<Value = String> {
    (vec(piece(), 0..40), any::<bool>(), vec(piece(), 0..10)).prop_map(|(pieces, head, tail)| {
        let head = if head {
            "<html><head><title>t</title><base href=\"https://example.com/a/\"></head><body>"
        } else {
            ""
        };
        format!(
            "<!DOCTYPE html>{head}{}<div id=policy><p>Region</p>{}</div>",
            pieces.concat(),
            tail.concat()
        )
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_pages_extract_the_same_through_the_cut(
        html in page(),
        set in 0usize..5,
    ) {
        let (sel, rm): (&[&str], &[&str]) = [
            (&["#policy"][..], &[][..]),
            (&[".x"][..], &[".r"][..]),
            (&["div", "p"][..], &[][..]),
            (&["#policy", "li"][..], &["nav"][..]),
            (&["td", "span.x"][..], &[".r"][..]),
        ][set];
        let x = Extractor::new(&strings(sel), &strings(rm)).unwrap();
        same(&x, &html, &html);
        same_cut(sel, rm, &html, &html);
    }

    #[test]
    fn generated_pages_cut_alike_by_both_tokenizers(
        html in lexical_page(),
        set in 0usize..4,
    ) {
        let (sel, rm): (&[&str], &[&str]) = [
            (&["#policy"][..], &[][..]),
            (&["#policy"][..], &[".r"][..]),
            (&["div.x", "#policy"][..], &[][..]),
            (&["section, #policy"][..], &["nav"][..]),
        ][set];
        same_cut(sel, rm, &html, &html);
        let x = Extractor::new(&strings(sel), &strings(rm)).unwrap();
        same(&x, &html, &html);
    }
}

/// Lexical pieces: how tags, attributes, comments and raw text may be written, well and badly.
fn lexeme() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "<div class=x>a</div>",
        "<DIV CLASS=\"x r\">b</DIV>",
        "<span title='a > b'>c</span>",
        "<a href=\"/x?a=1&amp;b=2\" data-x=\"<div id=policy>\">d</a>",
        "<img src=a.png alt=\"\"/>",
        "<br/>",
        "<input disabled>",
        "<!-- <div id=policy> -->",
        "<!---->",
        "<!-->",
        "<!--->",
        "<!-- a -- b --->",
        "<!-- x --!>",
        "<!-- <!-- nested --> -->",
        "<?php echo 1 ?>",
        "<!x bogus>",
        "<![CDATA[ <div id=policy> ]]>",
        "</ >",
        "</>",
        "< div>",
        "a < b",
        "<script>var s = '<div id=policy>' + '</scr' + 'ipt>';</script>",
        "<script>if (a<b) { x('<!--'); }</script>",
        "<script><!-- <script> </script> --></script>",
        "<script type=module>let t = `</div>`;</script >",
        "<style>p::before { content: '</p>'; }</style>",
        "<style>a{}</STYLE>",
        "<textarea><div id=policy>not a tag</div></textarea>",
        "<title>A <b>title</b></title>",
        "<noscript><iframe src=x></iframe></noscript>",
        "<iframe><div id=policy></div></iframe>",
        "<svg viewBox=\"0 0 1 1\"><title>Close</title><path d=\"M0 0\"/></svg>",
        "<svg><desc><div>breaks out</div></desc></svg>",
        "<svg><style>.a{}</style><p>out</p></svg>",
        "<svg/>",
        "<math><mi>x</mi><mo>+</mo></math>",
        "<math><annotation-xml encoding=\"text/html\"><div>x</div></annotation-xml></math>",
        "<svg><![CDATA[ x ]]></svg>",
        "<select><option>a</option></select>",
        "<template><div id=policy>t</div></template>",
        "<div id=policy id=other>dup</div>",
        "<div id=\"pol&#105;cy\">entity</div>",
        "<div\r\nclass=x>cr</div>",
        "<div class=\"x\"id=y>no space</div>",
        "<div class=x/>slash</div>",
        "<div a=b=c>eq</div>",
        "<o:p>word</o:p>",
        "<custom-el class=x>custom</custom-el>",
        "<p>para",
        "</div>",
        "<li>item",
        "<table><tr><td>cell</td></tr></table>",
        "<plaintext>",
        "<xmp><b></xmp>",
        "<div id=policy>",
        "<base href=\"/b/\">",
    ];
    select(PIECES).prop_map(str::to_string)
}

/// A page of mostly well-formed markup with lexical oddities in it, around a region.
fn lexical_page() -> impl Strategy<Value = String> {
    (
        vec(lexeme(), 0..12),
        vec(lexeme(), 0..8),
        vec(lexeme(), 0..6),
        any::<bool>(),
    )
        .prop_map(|(before, inside, after, head)| {
            let head = if head {
                "<html><head><title>t</title><base href=\"https://example.com/a/\"></head><body>"
            } else {
                ""
            };
            format!(
                "<!DOCTYPE html>{head}{}<section id=policy><h2>Ending the service</h2><p>Visit a shop.</p>{}</section>{}",
                before.concat(),
                inside.concat(),
                after.concat()
            )
        })
}

#[test]
fn marks_go_into_the_cut_however_the_tags_are_written() {
    let x = Extractor::new(&strings(&["#policy", ".s"]), &strings(&[".r"])).unwrap();
    let page = |body: &str| format!("<!DOCTYPE html><html><head></head><body>{body}</body></html>");
    for body in [
        "<DIV ID=policy><P CLASS=s>To terminate, visit a shop.</P><p class=r>Share</p></DIV>",
        "<div\tid=policy\n><p class=\"s r2\">Cancel online.</p><img class=r src=x><br/></div>",
        "<main><div id=policy><custom-notice-element class=s>Call 1000.</custom-notice-element></div></main>",
        "<div id=policy><p class=s>One.</p></div><div class=s><p>Two, a second region.</p></div>",
    ] {
        assert!(same(&x, &page(body), body), "not cut: {body}");
    }
    // Cut or not, the same blocks.
    for body in [
        "<section id=policy/><p>Self-closing slash ignored.</p><nav class=r>x</nav></section>",
        "<div\r\nid=policy><p>A carriage return after the name.</p></div>",
        "<div id=policy><p\rclass=r>Removed?</p><p>Kept.</p></div>",
    ] {
        same(&x, &page(body), body);
    }
    // The mark's text in any case could be an attribute the cut's selectors would match.
    let forged = page("<div id=policy><p DATA-PWCUT-S>Forged.</p><p>Real.</p></div>");
    assert!(x.preselected(&forged, &url(), Audit::Cheap).is_none());
    same(&x, &forged, "forged mark");
}
