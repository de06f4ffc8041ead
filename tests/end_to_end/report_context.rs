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
    let places: Vec<_> = new.iter().map(|b| b.context.clone()).collect();
    let change = diff(
        &Side {
            blocks: &ot,
            cancellation: &a.cancellation_blocks,
            contexts: &[],
            verdict: a.verdict,
        },
        &Side {
            blocks: &nt,
            cancellation: &b.cancellation_blocks,
            contexts: &places,
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
            "\"Mobile Disconnection Request › by fax, by post, or in person at any 3Shop.\" [offline]"
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

/// Found in round 21's walk-through: a table that a lead-in of two sentences introduces showed
/// the lead-in's first words ("We are sorry to see you go. To end your mobile plan, please use
/// one of the chann…"); the context is the sentence that names the ending. The table's rows are
/// cancellation wording, so their diff lines go with it, not with "other changed wording".
#[test]
fn a_lead_in_of_several_sentences_shows_the_one_that_names_ending() {
    use policywatch::extract::Extractor;
    use policywatch::extract::verdict::{Verdict, assess_structured};
    let html = "<main><h2>Plan changes</h2><p>We are sorry to see you go. To end your mobile \
                plan, please use one of the channels below:</p><table><tr><th>Channel</th>\
                <th>What to do</th></tr><tr><td>Online form</td><td>Fill in the form at \
                https://www.demo.example/leave</td></tr></table></main>";
    let ex = Extractor::new(&["main".into()], &[]).unwrap();
    let blocks = ex
        .extract(html, &url::Url::parse("https://x.example/").unwrap())
        .unwrap();
    let a = assess_structured(Lexicon::builtin(), &blocks);
    assert_eq!(a.verdict, Verdict::Supported);
    let form = a
        .deciding()
        .find(|e| e.sentence.contains("Fill in the form"))
        .expect("the form's row decides");
    assert_eq!(
        form.context.first().map(String::as_str),
        Some("To end your mobile plan, please use one of the channels below:")
    );
    let row = blocks
        .iter()
        .position(|b| b.text.contains("Fill in the form"))
        .unwrap();
    assert!(a.cancellation_blocks[row]);
}
