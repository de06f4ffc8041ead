//! Odd markup for the pre-selection (src/extract/preselect.rs), from an adversarial review of
//! its fast tokenizer: each case is a page on which a tokenizer once gave a wrong cut (a carriage
//! return before a raw-text end tag, CDATA in an SVG or MathML integration point, annotation-xml,
//! a `<base>` after the head had ended, a BOM after white space, `<svg>` inside `<math>`), and
//! generated pages built from those triggers and from fuzzed attribute syntax. Every case must
//! give the same cut by both tokenizers and the same blocks as the whole page.

use crate::common;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use common::preselect::{config, same, same_cut, strings, url};
use policywatch::extract::Extractor;
use policywatch::extract::parse::Audit;
use policywatch::extract::preselect::Preselector;

/// Prints what each path gives, for diagnosis (shown on failure with --nocapture).
fn explain(sel: &[&str], rm: &[&str], html: &str) {
    let p = Preselector::new(&strings(sel), &strings(rm)).unwrap();
    let x = Extractor::new(&strings(sel), &strings(rm)).unwrap();
    eprintln!("page: {html:?}");
    eprintln!("scan: {:?}", p.cut_by_scan(html));
    eprintln!("lol:  {:?}", p.cut_by_lol_html(html));
    eprintln!(
        "full: {:?}",
        x.extract_full(html, &url(), Audit::Cheap)
            .map(|(b, _)| b.into_iter().map(|b| b.text).collect::<Vec<_>>())
    );
    eprintln!(
        "cut:  {:?}",
        x.preselected(html, &url(), Audit::Cheap)
            .map(|r| r.map(|(b, _)| b.into_iter().map(|b| b.text).collect::<Vec<_>>()))
    );
}

/// Both differential checks on one page.
fn odd_case(sel: &[&str], rm: &[&str], html: &str) {
    explain(sel, rm, html);
    let x = Extractor::new(&strings(sel), &strings(rm)).unwrap();
    same_cut(sel, rm, html, html);
    same(&x, html, html);
}

fn body(b: &str) -> String {
    format!("<!DOCTYPE html><html><head></head><body>{b}</body></html>")
}

#[test]
fn cr_before_raw_text_end_tag_ends_the_script() {
    odd_case(
        &["#policy"],
        &[],
        &body(
            "<div id=policy>a<script>x</script\r></div><div id=policy>hidden</div><script>y</script></div>",
        ),
    );
}

#[test]
fn cdata_in_svg_html_integration_point() {
    odd_case(
        &["#policy"],
        &[],
        &body(
            "<svg><title><![CDATA[></title></svg><div id=policy>hidden in CDATA</div><svg><title>]]></title></svg><div id=policy>real</div>",
        ),
    );
}

#[test]
fn annotation_xml_without_encoding_is_no_integration_point() {
    odd_case(
        &["#policy"],
        &[],
        &body(
            "<math><annotation-xml><![CDATA[></annotation-xml></math><div id=policy>hidden in CDATA</div><math><annotation-xml>]]></annotation-xml></math><div id=policy>real</div>",
        ),
    );
}

#[test]
fn base_after_the_head_was_left() {
    odd_case(
        &["#policy"],
        &[],
        "<!DOCTYPE html><p>x</p><head><base href=\"https://other.example/b/\"></head><body><div id=policy><p>Cancel at <a href=\"shop\">our shop</a>.</p></div></body>",
    );
}

#[test]
fn bom_after_white_space_is_quirks() {
    odd_case(
        &["#policy"],
        &[],
        "\n\u{feff}<!DOCTYPE html><html><head></head><body><div id=policy><p>a<table><tr><td>b</td></tr></table>c</p></div></body></html>",
    );
}

#[test]
fn cr_before_rcdata_end_tag_ends_the_textarea() {
    odd_case(
        &["#policy"],
        &[],
        &body(
            "<div id=policy><p>a</p><textarea>x</textarea\r\n></div><div id=policy>hidden</div><textarea>y</textarea></div>",
        ),
    );
}

#[test]
fn cdata_in_mathml_text_integration_point() {
    odd_case(
        &["#policy"],
        &[],
        &body(
            "<math><mi><![CDATA[></mi></math><div id=policy>hidden in CDATA</div><math><mi>]]></mi></math><div id=policy>real</div>",
        ),
    );
}

#[test]
fn base_after_an_image_in_head() {
    odd_case(
        &["#policy"],
        &[],
        "<!DOCTYPE html><html><head><img src=pixel.gif><base href=\"https://other.example/b/\"></head><body><div id=policy><p>Cancel at <a href=\"shop\">our shop</a>.</p></div></body></html>",
    );
}

/// Both paths refuse an entity in any element's id or class (it could decode to what a selector
/// reads), so they agree.
#[test]
fn entity_in_an_unrelated_class() {
    odd_case(
        &["#policy"],
        &[],
        &body("<span class=\"a&amp;b\">x</span><div id=policy><p>Visit a shop.</p></div>"),
    );
}

/// Lexemes around the places where the fast tokenizer's state could part from html5ever's.
fn lexeme() -> impl Strategy<Value = String> {
    lexeme_from(PIECES)
}

/// [`PIECES`] without the triggers of the bugs this file was written for (CR before a raw-text
/// end tag, CDATA and annotation-xml, `<base>`), so that other causes show on their own.
fn lexeme_known_excluded() -> impl Strategy<Value = String> {
    let known = |p: &&str| {
        p.contains('\r')
            || p.contains("CDATA")
            || p.contains("annotation")
            || p.contains("<base")
            || p.contains("<math>")
            || p.contains("&amp;")
    };
    let rest: Vec<&'static str> = PIECES.iter().copied().filter(|p| !known(p)).collect();
    select(rest).prop_map(str::to_string)
}

fn lexeme_from(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    select(pieces).prop_map(str::to_string)
}

const PIECES: &[&str] = &[
    "<script>a</script\r>",
    "<script>a</script\r\n>",
    "<script>a</script\x0c>",
    "<style>a</style\r>",
    "<title>a</title\r>",
    "<textarea>a</textarea\t>",
    "<script>",
    "</script>",
    "<textarea>",
    "</textarea>",
    "<svg><title>",
    "</title></svg>",
    "<svg><desc>",
    "</desc></svg>",
    "<svg><foreignObject>",
    "</foreignObject></svg>",
    "<math><mi>",
    "</mi></math>",
    "<math><annotation-xml>",
    "<math><annotation-xml encoding=\"text/html\">",
    "</annotation-xml></math>",
    "<math><svg><title>",
    "</title></svg></math>",
    "<![CDATA[",
    "]]>",
    "<![CDATA[x]]>",
    ">",
    "<!--",
    "-->",
    "--!>",
    "<!-- a -->",
    "<svg>",
    "</svg>",
    "<math>",
    "</math>",
    "<svg><path/></svg>",
    "<svg><p></svg>",
    "<svg></p></svg>",
    "<svg><font color=red></svg>",
    "<svg><font></font></svg>",
    "<div class=\"a&amp;b\">e</div>",
    "<DIV ID=policy>up</DIV>",
    "<div id=policy>",
    "</div>",
    "<p>",
    "</p>",
    "<span>",
    "</span>",
    "x",
    " ",
    "\r\n",
    "\u{feff}",
    "<head>",
    "</head>",
    "<body>",
    "</body>",
    "<base href=\"https://other.example/b/\">",
    "<a href=\"l\">link</a>",
    "<img src=i>",
    "<noscript>",
    "</noscript>",
    "<iframe>",
    "</iframe>",
    "<xmp>",
    "</xmp>",
];

/// At least 2000 cases: at 512 the divergences this file was written for showed only now and
/// then.
fn many_cases() -> ProptestConfig {
    let c = config();
    let cases = c.cases.max(2000);
    ProptestConfig { cases, ..c }
}

/// A page of `lead`, a doctype and the pieces around a region, checked with selector set `set`.
fn odd_page(lead: &str, before: &[String], inside: &[String], after: &[String], set: usize) {
    let (sel, rm): (&[&str], &[&str]) = [
        (&["#policy"][..], &[][..]),
        (&["#policy"][..], &[".r"][..]),
        (&["div"][..], &[][..]),
    ][set];
    let html = format!(
        "{lead}<!DOCTYPE html>{}<div id=policy><p>Visit a <a href=\"shop\">shop</a>.</p>{}</div>{}",
        before.concat(),
        inside.concat(),
        after.concat()
    );
    same_cut(sel, rm, &html, &html);
    let x = Extractor::new(&strings(sel), &strings(rm)).unwrap();
    same(&x, &html, &html);
}

proptest! {
    #![proptest_config(many_cases())]

    #[test]
    fn generated_odd_pages(
        lead in select(&["", "\u{feff}", " ", "\n\u{feff}", "\u{feff}\u{feff}"][..]),
        before in vec(lexeme(), 0..14),
        inside in vec(lexeme(), 0..8),
        after in vec(lexeme(), 0..8),
        set in 0usize..3,
    ) {
        odd_page(lead, &before, &inside, &after, set);
    }
}

proptest! {
    #![proptest_config(many_cases())]

    #[test]
    fn generated_odd_pages_known_excluded(
        lead in select(&["", "\u{feff}", " "][..]),
        before in vec(lexeme_known_excluded(), 0..14),
        inside in vec(lexeme_known_excluded(), 0..8),
        after in vec(lexeme_known_excluded(), 0..8),
        set in 0usize..3,
    ) {
        odd_page(lead, &before, &inside, &after, set);
    }
}

/// The lol_html path (the scan is not sure of these): lol_html honours annotation-xml's
/// encoding, the full parse (scraper's sink never says "integration point") does not.
#[test]
fn lol_annotation_xml_with_encoding_hides_a_region_in_script() {
    let page = body(
        "<div id=policy>a</div><math><annotation-xml encoding=\"text/html\"><script><div id=policy>b</div></script></annotation-xml></math>",
    );
    explain(&["#policy"], &[], &page);
    let x = Extractor::new(&strings(&["#policy"]), &[]).unwrap();
    same(&x, &page, &page);
}

/// The lol_html path: `<svg>` inside `<math>` is a MathML element in the tree builder, so its
/// `<title>` is no integration point; lol_html enters SVG and HTML and reads an iframe's text.
#[test]
fn lol_svg_inside_math_is_not_svg() {
    let page = body(
        "<div id=policy>a</div><math><svg><title><iframe><div id=policy>b</div></iframe></title></svg></math>",
    );
    explain(&["#policy"], &[], &page);
    let x = Extractor::new(&strings(&["#policy"]), &[]).unwrap();
    same(&x, &page, &page);
}

/// Start tags written from an alphabet of the bytes the attribute states care about.
fn fuzzed_tag() -> impl Strategy<Value = String> {
    const BITS: &[&str] = &[
        " ",
        "\t",
        "\n",
        "\x0c",
        "\r",
        "/",
        "=",
        "\"",
        "'",
        ">",
        "<",
        "`",
        "&",
        "&#112;",
        "id",
        "ID",
        "class",
        "policy",
        "p",
        "x",
        "r",
        " id=policy",
        " class=r",
        " class=\"x r\"",
        "é",
        "\0",
    ];
    (
        select(
            &[
                "div", "DIV", "span", "p", "section", "svg", "math", "title", "script",
            ][..],
        ),
        vec(select(BITS), 0..10),
    )
        .prop_map(|(name, bits)| format!("<{name}{}>t</{name}>", bits.concat()))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_attribute_syntax(
        before in vec(fuzzed_tag(), 0..6),
        inside in vec(fuzzed_tag(), 0..4),
        set in 0usize..4,
    ) {
        let (sel, rm): (&[&str], &[&str]) = [
            (&["#policy"][..], &[][..]),
            (&["#policy"][..], &[".r"][..]),
            (&["div"][..], &[".x"][..]),
            (&["section, #policy"][..], &["p.r"][..]),
        ][set];
        let html = format!(
            "<!DOCTYPE html><main>{}<div id=policy><p>Visit a shop.</p>{}</div></main>",
            before.concat(),
            inside.concat(),
        );
        same_cut(sel, rm, &html, &html);
        let x = Extractor::new(&strings(sel), &strings(rm)).unwrap();
        same(&x, &html, &html);
    }
}
