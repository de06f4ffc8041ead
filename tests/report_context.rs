//! The email shows each evidence line with the context it was read in (issue 17): the row
//! header of a table cell before the cell's sentence, escaped like all page text.

use policywatch::diff::{Side, diff};
use policywatch::extract::lexicon::Lexicon;
use policywatch::notify::report::{ChangeReport, Context, Subject, render_change};

#[test]
fn verdict_box_shows_the_context_of_each_evidence_line() {
    use policywatch::extract::Extractor;
    use policywatch::extract::verdict::assess_structured;
    let lex = Lexicon::builtin();
    let page = |cell: &str| {
        format!(
            "<main><table><tr><th>Mobile Disconnection Request</th><td>{cell}</td></tr></table></main>"
        )
    };
    let ex = Extractor::new(&["main".into()], &[]).unwrap();
    let url = url::Url::parse("https://x.example/").unwrap();
    let old = ex
        .extract(&page("online via My3 <b>&amp;</b> email"), &url)
        .unwrap();
    let new = ex
        .extract(
            &page(
                "by fax, by post, or in person at any 3Shop. Requests submitted by email will not be accepted.",
            ),
            &url,
        )
        .unwrap();
    let (a, b) = (assess_structured(lex, &old), assess_structured(lex, &new));
    assert_eq!(
        b.verdict,
        policywatch::extract::verdict::Verdict::NotSupported
    );
    let texts = |v: &[policywatch::extract::Block]| -> Vec<String> {
        v.iter().map(|b| b.text.clone()).collect()
    };
    let (ot, nt) = (texts(&old), texts(&new));
    let change = diff(
        &Side {
            blocks: &ot,
            cancellation: &a.cancellation_blocks,
            verdict: a.verdict,
        },
        &Side {
            blocks: &nt,
            cancellation: &b.cancellation_blocks,
            verdict: b.verdict,
        },
    )
    .unwrap();
    let alert = render_change(
        &ChangeReport {
            subject: Subject {
                target: "3hk",
                carrier: "3HK",
                url: "https://x.example/",
            },
            change: &change,
            before: &a,
            after: &b,
            seen_at: 1_764_000_000,
            reverted_to: None,
            kind: "change",
            digest: false,
        },
        &Context {
            domain: "example.org",
            timezone: policywatch::zone::Zone::hong_kong(),
        },
    );
    assert!(
        alert.message.body_text.contains(
            "\"Mobile Disconnection Request › by fax, by post, or in person at any 3Shop.\" [offline only]"
        ),
        "{}",
        alert.message.body_text
    );
    let html = alert.message.body_html.unwrap();
    assert!(
        html.contains(
            "Mobile Disconnection Request › Requests submitted by email will not be accepted."
        ),
        "{html}"
    );
    assert!(html.contains("online via My3 &amp; email"), "{html}");
}
