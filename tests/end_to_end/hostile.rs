//! Pages written against the reader: invisible format characters that hide wording from the
//! lexicon or reorder what a person reads, and changes big enough to make an email unreadable.
//! Real binary, real HTTP and SMTP servers on 127.0.0.1, a SQLite file in a temp dir.

use crate::common;

use common::*;

use policywatch::extract::Extractor;
use policywatch::extract::lexicon::Lexicon;
use policywatch::extract::verdict::{Verdict, assess};

/// Bidi embeddings, overrides, isolates and marks, and a few other invisible characters.
const BIDI: &[char] = &[
    '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

fn has_bidi(s: &str) -> bool {
    s.chars().any(|c| BIDI.contains(&c))
}

fn verdict_of(html: &str) -> Verdict {
    let blocks = Extractor::new(&["body".to_string()], &[])
        .unwrap()
        .texts(html, &"https://www.example.com/".parse().unwrap())
        .unwrap();
    assess(Lexicon::builtin(), &blocks).verdict
}

/// Ways to reach the provider take their subject from what the paragraph says to ask for a
/// little further on: eight sentences at most, so that one long paragraph of channel sentences
/// is not read once per sentence.
#[test]
fn what_to_ask_for_is_looked_for_a_bounded_number_of_sentences_ahead() {
    let page = |fillers: usize| {
        format!(
            "<html><body><p>Visit a store. {}Tell us you want to cancel your plan.</p></body></html>",
            "Opening hours vary. ".repeat(fillers)
        )
    };
    assert_eq!(verdict_of(&page(7)), Verdict::NotSupported);
    assert_eq!(verdict_of(&page(8)), Verdict::Unknown);
}

#[test]
fn format_characters_inside_words_do_not_hide_them_from_the_lexicon() {
    let plain = "<p>You can cancel the service online through My Account.</p>";
    assert_eq!(verdict_of(plain), Verdict::Supported);
    for hidden in [
        "<p>You can can\u{202A}cel the service on\u{2066}line through My Account.</p>",
        "<p>You can can\u{202E}cel\u{202C} the service on\u{200F}li\u{2069}ne through My Account.</p>",
        "<p>You can c\u{00AD}an\u{034F}cel the service o\u{FE0F}nl\u{E0041}ine through My\u{200B} Account.</p>",
        "<p>You can can&#x202A;cel the service on&#x2066;line through My Account.</p>",
    ] {
        assert_eq!(verdict_of(hidden), Verdict::Supported, "{hidden:?}");
    }
    // Chinese too: 網上 split by an isolate still names the online channel.
    assert_eq!(
        verdict_of("<p>客戶可透過網\u{2067}上申請終\u{202B}止服務。</p>"),
        verdict_of("<p>客戶可透過網上申請終止服務。</p>"),
    );
}

/// A page whose wording flips the verdict and carries bidi overrides in every block.
const BEFORE: &str =
    "<h1>Termination</h1><p>To terminate the service, please visit any 3Shop in person.</p>";
const AFTER: &str = "<h1>Termi\u{202E}nation</h1><p>\u{202E}You may terminate the service online via My Account.\u{202C}</p><p>Fees \u{2066}are\u{2069} non-refundable \u{061C}\u{200F}.</p>";

#[test]
fn no_email_part_carries_a_bidi_control_from_the_page_or_the_config() {
    let server = HttpServer::start();
    let smtp = start_smtp();
    server.page("/terms", &carrier_page(BEFORE, "a"));
    let env = Env::new();
    let mut target = TestTarget::new("t1", &server.url("/terms"));
    // TOML escapes: the config itself may carry them too.
    target.carrier = "Evil\\u202Ecorp".into();
    env.write_config(&[target], Some(&smtp_section(smtp.port)), "");
    env.run(&["check"]).expect_code(0);

    server.page("/terms", &carrier_page(AFTER, "b"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert!(
        r.stdout().starts_with("CHANGED t1 verdict"),
        "{}",
        r.stdout()
    );

    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(mails.len(), 1);
    let raw = String::from_utf8_lossy(&mails[0]).into_owned();
    assert!(!has_bidi(&raw), "raw message");
    let m = parse_mail(&mails[0]);
    let subject = m.subject().unwrap();
    let text = m.body_text(0).unwrap();
    let html = m.body_html(0).unwrap();
    for (part, s) in [("subject", subject), ("text", &text), ("html", &html)] {
        assert!(!has_bidi(s), "{part}: {s:?}");
        assert!(
            !s.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r'),
            "{part}: {s:?}"
        );
    }
    assert!(subject.contains("Evilcorp"), "{subject}");
    assert!(
        text.contains("You may terminate the service online via My Account."),
        "{text}"
    );
    assert!(text.contains("Fees are non-refundable ."), "{text}");
    assert!(
        strip_tags(&html).contains("You may terminate the service online"),
        "{html}"
    );

    for cmd in [&["status"][..], &["history", "t1"], &["diff", "t1"]] {
        let r = env.run(cmd);
        r.expect_code(0);
        assert!(!has_bidi(&r.stdout()), "{cmd:?}: {:?}", r.stdout());
    }
    assert!(env.run(&["status"]).stdout().contains("Evilcorp"));
}

#[test]
fn inspect_shows_no_bidi_control() {
    let env = Env::new();
    let page = env.dir.path().join("page.html");
    std::fs::write(
        &page,
        format!("<main>{AFTER}<p>odd \u{1}control\u{7F} \u{85}chars</p></main>",),
    )
    .unwrap();
    let r = env.run(&[
        "inspect",
        "--file",
        page.to_str().unwrap(),
        "--select",
        "main",
    ]);
    r.expect_code(0);
    let out = r.stdout();
    assert!(!has_bidi(&out), "{out:?}");
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(
        out.contains("You may terminate the service online via My Account."),
        "{out}"
    );
    assert!(out.contains("odd control chars"), "{out}");
    assert!(
        out.ends_with("VERDICT online-cancellation: supported\n"),
        "{out}"
    );
}

// ---- email size ------------------------------------------------------------------------------

use policywatch::diff::{Side, diff};
use policywatch::extract::verdict::Assessment;
use policywatch::notify::report::bound::{self, MAX_ALERT_BYTES};
use policywatch::notify::report::{ChangeReport, Context, Subject, render_change};
use policywatch::store::{AlertMessage, NewAlert};

fn ctx() -> Context<'static> {
    Context {
        domain: "example.org",
        timezone: policywatch::zone::Zone::hong_kong(),
    }
}

/// Renders the alert for `old` → `new` as `check` would.
fn alert_for(old: &[String], new: &[String]) -> (NewAlert, usize) {
    let lex = Lexicon::builtin();
    let (a, b) = (assess(lex, old), assess(lex, new));
    fn side<'a>(blocks: &'a [String], a: &'a Assessment) -> Side<'a> {
        Side {
            blocks,
            cancellation: &a.cancellation_blocks,
            contexts: &[],
            verdict: a.verdict,
        }
    }
    let change = diff(&side(old, &a), &side(new, &b)).expect("a change");
    let total = change.removed_count() + change.added_count();
    let alert = render_change(
        &ChangeReport {
            subject: Subject {
                target: "big",
                carrier: "C",
                url: "https://example.org/terms",
            },
            change: &change,
            before: &a,
            after: &b,
            seen_at: 1_764_000_000,
            reverted_to: None,
            kind: "change",
            digest: false,
        },
        &ctx(),
    );
    (alert, total)
}

fn size(a: &NewAlert) -> usize {
    a.message.subject.len()
        + a.message.body_text.len()
        + a.message.body_html.as_deref().map_or(0, str::len)
}

/// The number in "… and 49,200 more changed blocks", if the line is there.
fn more_blocks(text: &str) -> Option<usize> {
    let line = text.lines().find(|l| l.starts_with("… and "))?;
    assert!(
        line.ends_with("more changed blocks: run `policywatch diff big`"),
        "{line}"
    );
    line["… and ".len()..]
        .split(' ')
        .next()?
        .replace(',', "")
        .parse()
        .ok()
}

#[test]
fn a_page_whose_50000_paragraphs_all_changed_gives_a_bounded_email() {
    // A verdict flip in the first block, then 50,000 paragraphs (about 1 MB) that all change,
    // some of them cancellation wording.
    let paragraph = |i: usize, v: &str| {
        if i.is_multiple_of(10) {
            format!("Termination of plan {i} needs {v} days' notice and a fee.")
        } else {
            format!("Plan {i} includes {v} GB of local data and roaming in Macau.")
        }
    };
    let mut old = vec!["To terminate the service, please visit any 3Shop in person.".to_string()];
    let mut new = vec!["You may terminate the service online via My Account.".to_string()];
    old.extend((0..50_000).map(|i| paragraph(i, "thirty")));
    new.extend((0..50_000).map(|i| paragraph(i, "seven")));
    assert!(old.iter().map(String::len).sum::<usize>() > 1_000_000);

    let (alert, total) = alert_for(&old, &new);
    assert!(size(&alert) <= MAX_ALERT_BYTES, "{} bytes", size(&alert));
    let text = &alert.message.body_text;
    let html = alert.message.body_html.as_deref().unwrap();

    // The verdict box is whole: the flip and the evidence on both sides.
    assert!(
        text.contains("ONLINE CANCELLATION: supported (was not-supported)"),
        "{text}"
    );
    assert!(text.contains(
        "\nBefore:\n  \"To terminate the service, please visit any 3Shop in person.\" [offline]"
    ));
    assert!(
        text.contains(
            "After:\n  \"You may terminate the service online via My Account.\" [online]"
        )
    );
    assert!(html.contains("Online cancellation: supported"));
    assert!(html.contains("You may terminate the service online via My Account."));

    // The first blocks of each kind, then how many more and where to see them.
    let shown = text
        .lines()
        .filter(|l| l.starts_with("- ") || l.starts_with("+ "))
        .count();
    assert!(
        shown > 0 && shown <= 4 * bound::MAX_BLOCKS_PER_KIND,
        "{shown}"
    );
    assert_eq!(more_blocks(text), Some(total - shown), "{text}");
    assert!(total - shown > 99_000);
    let more = format!(
        "… and {} more changed blocks: run `policywatch diff big`",
        bound::thousands(total - shown)
    );
    assert!(html.contains(&more), "the HTML part says it too");
}

#[test]
fn a_mass_change_arrives_as_one_bounded_email() {
    let server = HttpServer::start();
    let smtp = start_smtp();
    let page = |v: &str| {
        let ps: String = (0..3_000)
            .map(|i| format!("<p>Plan {i} includes {v} GB of local data.</p>"))
            .collect();
        carrier_page(&format!("{BEFORE}{ps}"), "x")
    };
    server.page("/terms", &page("thirty"));
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", &server.url("/terms"))],
        Some(&smtp_section(smtp.port)),
        "",
    );
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &page("seven"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert!(
        r.stdout().starts_with("CHANGED t1 wording"),
        "{}",
        r.stdout()
    );

    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].len() <= MAX_ALERT_BYTES,
        "{} bytes on the wire",
        mails[0].len()
    );
    let m = parse_mail(&mails[0]);
    let text = m.body_text(0).unwrap();
    let shown = text
        .lines()
        .filter(|l| l.starts_with("- ") || l.starts_with("+ "))
        .count();
    assert_eq!(shown, 2 * bound::MAX_BLOCKS_PER_KIND);
    assert!(
        text.contains(&format!(
            "… and {} more changed blocks: run `policywatch diff t1`",
            bound::thousands(6_000 - shown)
        )),
        "{text}"
    );
    assert!(
        text.contains("ONLINE CANCELLATION: not-supported"),
        "{text}"
    );
    assert!(m.body_html(0).unwrap().contains("more changed blocks"));
}

#[test]
fn huge_blocks_are_cut_and_the_budget_holds_for_the_worst_text() {
    // Few blocks, each enormous, in the characters that cost most: three UTF-8 bytes each, or
    // six bytes once HTML-escaped.
    for unit in ["終止服務", "\"<>&'"] {
        let old: Vec<String> = (0..45)
            .map(|i| format!("{i} {}", unit.repeat(2_000)))
            .collect();
        let new: Vec<String> = (0..45)
            .map(|i| format!("{i}{}", unit.repeat(2_000)))
            .collect();
        let (alert, total) = alert_for(&old, &new);
        assert!(
            size(&alert) <= MAX_ALERT_BYTES,
            "{unit}: {} bytes",
            size(&alert)
        );
        let longest = alert
            .message
            .body_text
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap();
        assert!(longest <= bound::MAX_BLOCK_CHARS + 2, "{longest}");
        assert!(
            alert.message.body_text.contains("…\n"),
            "cut blocks are marked"
        );
        let shown = alert
            .message
            .body_text
            .lines()
            .filter(|l| l.starts_with("- ") || l.starts_with("+ "))
            .count();
        assert_eq!(more_blocks(&alert.message.body_text), Some(total - shown));
    }
}

#[test]
fn a_small_change_is_shown_whole_without_a_more_line() {
    let old = vec![
        "Plans from $98.".to_string(),
        "Roaming in Macau.".to_string(),
    ];
    let new = vec![
        "Plans from $88.".to_string(),
        "Roaming in Macau.".to_string(),
    ];
    let (alert, _) = alert_for(&old, &new);
    assert!(
        alert
            .message
            .body_text
            .contains("- Plans from $98.\n+ Plans from $88.\n")
    );
    assert_eq!(more_blocks(&alert.message.body_text), None);
}

#[test]
fn a_digest_of_many_large_changes_is_bounded_and_names_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = policywatch::store::Store::open(&dir.path().join("db.sqlite3")).unwrap();
    let now = 1_800_000_000;
    for i in 0..300 {
        // Each over the per-item cut, and all together far over the digest's budget.
        let body = format!(
            "- {}\n+ {}\n",
            "old wording ".repeat(1_000),
            "新".repeat(3_000)
        );
        store
            .enqueue(
                Some("t"),
                &NewAlert {
                    message: AlertMessage {
                        kind: "change".into(),
                        message_id: format!("<m{i}@example.org>"),
                        thread_id: None,
                        subject: format!("[policywatch] C: t{i}: wording changed"),
                        body_text: body,
                        body_html: None,
                    },
                    payload: "{}".into(),
                    digest: true,
                },
                now - 100,
            )
            .unwrap();
    }
    assert!(policywatch::notify::digest::queue_digest(&mut store, now, &ctx()).unwrap());
    let due = store.pending_alerts().unwrap();
    assert_eq!(due.len(), 1);
    let digest = &due[0];
    assert_eq!(
        digest.message.subject,
        "[policywatch] daily digest: 300 minor changes"
    );
    let total =
        digest.message.body_text.len() + digest.message.body_html.as_deref().map_or(0, str::len);
    assert!(total <= MAX_ALERT_BYTES, "{total} bytes");
    assert!(
        digest
            .message
            .body_text
            .contains("=== [policywatch] C: t0: wording changed ===")
    );
    assert!(
        digest
            .message
            .body_text
            .contains("more changes, not shown here"),
        "{}",
        &digest.message.body_text[digest.message.body_text.len().saturating_sub(3000)..]
    );
    assert!(
        digest
            .message
            .body_text
            .contains("  [policywatch] C: t20: wording changed\n")
    );
    assert!(
        digest.message.body_text.contains("  …\n"),
        "past the named ones"
    );
}

/// A page of `n` one-word headings cycling `<h1>`..`<h6>`: ~20 bytes a block, so a 10 MiB page
/// gives ~500,000 blocks.
fn heading_flood(n: usize) -> String {
    let hs: String = (0..n)
        .map(|i| {
            let level = i % 6 + 1;
            format!("<h{level}>Terminate {i}</h{level}>")
        })
        .collect();
    carrier_page(&hs, "x")
}

#[test]
fn a_page_over_the_block_cap_is_an_error_and_the_pass_goes_on() {
    use policywatch::extract::block::MAX_BLOCKS;

    let server = HttpServer::start();
    server.page("/terms", &carrier_page(BEFORE, "a"));
    server.page("/flood", &carrier_page(BEFORE, "a"));
    let env = Env::new();
    env.write_config(
        &[
            TestTarget::new("t1", &server.url("/terms")),
            TestTarget::new("flood", &server.url("/flood")),
        ],
        None,
        "",
    );
    env.run(&["check"]).expect_code(0);

    // One block over the cap; the other target in the same pass is checked as usual.
    server.page("/flood", &heading_flood(MAX_BLOCKS + 1));
    server.page("/terms", &carrier_page(BEFORE, "b"));
    let r = env.run(&["check"]);
    r.expect_code(1);
    let mut lines = r.lines();
    lines.sort();
    assert_eq!(
        lines,
        vec![
            format!(
                "ERROR flood: the selection gives more than {MAX_BLOCKS} text blocks (the limit \
                 per page): a hostile page made of tiny elements, or a selector that is too \
                 wide; narrow `select`"
            ),
            "UNCHANGED t1".to_string(),
        ]
    );

    // Nothing new stored for the flood: its version is the one before.
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    assert_eq!(store.counts("flood").unwrap().1, 1);
    assert_eq!(store.counts("t1").unwrap(), (2, 1));
    let current = store.current("flood").unwrap().unwrap();
    assert!(
        current.blocks.iter().any(|b| b.contains("3Shop")),
        "{:?}",
        current.blocks
    );
    drop(store);

    // At the cap the page is read: one version more, of exactly the cap's blocks.
    server.page("/flood", &heading_flood(MAX_BLOCKS));
    env.run(&["check"]);
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    assert_eq!(store.counts("flood").unwrap().1, 2);
    assert_eq!(
        store.current("flood").unwrap().unwrap().blocks.len(),
        MAX_BLOCKS
    );
}
