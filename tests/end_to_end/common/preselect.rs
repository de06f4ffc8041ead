//! The differential checks of the pre-selection (src/extract/preselect.rs), shared by
//! tests/end_to_end/preselect.rs and tests/end_to_end/preselect_odd.rs.

use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};

use policywatch::extract::Extractor;
use policywatch::extract::parse::Audit;
use policywatch::extract::preselect::Preselector;

pub fn url() -> url::Url {
    url::Url::parse("https://www.example.com/support/terms.html").unwrap()
}

pub fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Both paths; `true` when the cut was used.
pub fn same(x: &Extractor, html: &str, what: &str) -> bool {
    let url = url();
    let full = x.extract_full(html, &url, Audit::Cheap).map(|(b, _)| b);
    match x.preselected(html, &url, Audit::Cheap) {
        Some(cut) => {
            assert_eq!(cut.map(|(b, _)| b), full, "{what}");
            true
        }
        None => false,
    }
}

/// The fast tokenizer's answer, where it is sure, is lol_html's: the same cut, or a refusal too
/// (its reason may differ: the fast one stops at the first, lol_html reads on and may refuse the
/// page for another). `true` when it was sure.
pub fn same_cut(sel: &[&str], rm: &[&str], html: &str, what: &str) -> bool {
    let Some(p) = Preselector::new(&strings(sel), &strings(rm)) else {
        return false;
    };
    match p.cut_by_scan(html) {
        Some(fast) => {
            assert_eq!(fast.ok(), p.cut_by_lol_html(html).ok(), "{what}");
            true
        }
        None => false,
    }
}

/// Proptest's settings: `PROPTEST_CASES` cases (512 by default), failures kept beside the tests.
pub fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512);
    ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::with_cases(cases)
    }
}
