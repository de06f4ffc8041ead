//! Pages written against the reader: invisible format characters that hide wording from the
//! lexicon or reorder what a person reads, and changes big enough to make an email unreadable.
//! Real binary, real HTTP and SMTP servers on 127.0.0.1, a SQLite file in a temp dir.

mod common;

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
        .extract(html)
        .unwrap();
    assess(Lexicon::builtin(), &blocks).verdict
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
