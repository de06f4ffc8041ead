//! End to end: what kind of document a target serves. A static page that is an app shell is
//! named as one in `check` and `inspect`; a `render = "browser"` page whose `wait_for` selector
//! never appears fails clearly (tests/browser.rs has the rest of the browser backend).
//! PDF targets (made by Chromium at test time) go through the same check as HTML.

use crate::common;

use common::*;

const SHELL: &str = r#"<!doctype html><html><head><title>Account</title>
<script defer src="/static/js/main.4f2a9c.js"></script></head>
<body><noscript>You need to enable JavaScript to run this app.</noscript><main><div id="root"></div></main></body></html>"#;

const HINT: &str = "this page builds its text with JavaScript: try render = \"browser\"";

#[test]
fn an_app_shell_is_named_in_check_and_inspect() {
    let server = HttpServer::start();
    server.page("/app", SHELL);
    let env = Env::new();
    env.write_config(&[TestTarget::new("shell", &server.url("/app"))], None, "");

    let r = env.run(&["check"]);
    r.expect_code(1);
    assert_eq!(
        r.lines(),
        vec![format!("ERROR shell: the selection holds no text; {HINT}")]
    );

    let r = env.run(&["inspect", "shell"]);
    r.expect_code(1);
    let out = r.stdout();
    assert!(
        out.contains(&format!("# error: the selection holds no text; {HINT}")),
        "{out}"
    );
    assert!(
        out.ends_with("VERDICT online-cancellation: unknown\n"),
        "{out}"
    );

    // A page with text is not an app shell, whatever scripts it loads.
    server.page(
        "/app",
        &format!(
            "<html><body><main><div id=\"root\">{}</div></main><script src=\"/a.js\"></script></body></html>",
            "<p>To terminate the service, please visit any 3Shop in person with your ID card.</p>"
                .repeat(4)
        ),
    );
    let r = env.run(&["inspect", "shell"]);
    r.expect_code(0);
    assert!(!r.stdout().contains("# hint"), "{}", r.stdout());
    assert!(!r.stdout().contains("JavaScript"), "{}", r.stdout());
}

#[test]
fn a_browser_target_whose_selector_never_appears_says_so() {
    let server = HttpServer::start();
    server.page("/app", SHELL);
    let env = Env::new();
    let mut t = TestTarget::new("js", &server.url("/app"));
    t.extra = "render = \"browser\"\nwait_for = \"#root p\"\n".into();
    env.write_config(&[t], None, "");
    let r = env.run(&["check-config"]);
    r.expect_code(0);
    assert!(
        r.stdout()
            .contains("/app render = browser, wait_for \"#root p\"\n"),
        "{}",
        r.stdout()
    );
    let r = env.run(&["check"]);
    r.expect_code(1);
    assert_eq!(
        r.lines(),
        vec!["ERROR js: wait_for selector `#root p` never appeared within 5 s"]
    );
    // The hint is for static pages only.
    assert!(!r.stderr().contains(HINT), "{}", r.stderr());
}

// ---------------------------------------------------------------------------------------------
// PDF targets

const EN_V1: &str = "<h1>Prepaid SIM Service Terms</h1><h2>5. Termination</h2><p>To terminate the service, please visit any 3Shop in person with your identity document.</p><h2>6. Fees</h2><p>All fees are payable in advance.</p>";
const EN_V2: &str = "<h1>Prepaid SIM Service Terms</h1><h2>5. Termination</h2><p>You may terminate the service online through My Account at any time.</p><h2>6. Fees</h2><p>All fees are payable in advance.</p>";
const ZH_V1: &str = "<h1>預付SIM卡服務條款</h1><h2>第五條 終止服務</h2><p>如需終止服務，客戶須給予不少於三十天通知，並親臨門市辦理。</p><h2>第六條 收費</h2><p>所有費用須預先繳付。</p>";
const ZH_V2: &str = "<h1>預付SIM卡服務條款</h1><h2>第五條 終止服務</h2><p>客戶可透過網上客戶服務平台或應用程式終止服務，毋須親臨門市。</p><h2>第六條 收費</h2><p>所有費用須預先繳付。</p>";

fn pdf_reply(content_type: &str, body: &str) -> Reply {
    Reply::bytes(
        200,
        &[("Content-Type", content_type)],
        pdf::html_to_pdf(&pdf::document(body)),
    )
}

fn pdf_target(name: &str, url: &str, extra: &str) -> TestTarget {
    let mut t = TestTarget::new(name, url);
    // select/remove do not apply to a PDF; the default is kept to show they are ignored.
    t.select = vec!["main".into()];
    t.extra = extra.into();
    t
}

/// NEW, then a wording change that flips the verdict (CHANGED, with the new wording in the
/// email), then the same document printed again (new CreationDate and ID): UNCHANGED.
fn new_changed_regenerated(content_type: &str, v1: &str, v2: &str, removed: &str, added: &str) {
    let server = HttpServer::start();
    let smtp = start_smtp();
    server.route("/terms.pdf", vec![pdf_reply(content_type, v1)]);
    let env = Env::new();
    env.write_config(
        &[pdf_target("terms", &server.url("/terms.pdf"), "")],
        Some(&smtp_section(smtp.port)),
        "",
    );
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["NEW terms"], "{}", r.stderr());

    let served = pdf::html_to_pdf(&pdf::document(v2));
    server.route(
        "/terms.pdf",
        vec![Reply::bytes(
            200,
            &[("Content-Type", content_type)],
            served.clone(),
        )],
    );
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(
        r.lines(),
        vec!["CHANGED terms verdict online-cancellation=supported"],
        "{}",
        r.stderr()
    );
    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(mails.len(), 1);
    let m = parse_mail(&mails[0]);
    let text = m.body_text(0).unwrap();
    assert!(text.contains(&format!("- {removed}")), "{text}");
    assert!(text.contains(&format!("+ {added}")), "{text}");
    assert!(text.contains("supported"), "{text}");

    // The same text printed again: other bytes, same blocks.
    let again = pdf::reprint(&pdf::document(v2), &served);
    server.route(
        "/terms.pdf",
        vec![Reply::bytes(200, &[("Content-Type", content_type)], again)],
    );
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED terms"], "{}", r.stderr());
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(smtp.mailbox.count(), 1, "no email for a regenerated PDF");

    // inspect reads the PDF at its URL, and prints the verdict.
    let r = env.run(&["inspect", &server.url("/terms.pdf")]);
    r.expect_code(0);
    let out = r.stdout();
    assert!(out.contains("(HTTP 200, PDF)"), "{out}");
    assert!(out.contains(added), "{out}");
    assert!(
        out.ends_with("VERDICT online-cancellation: supported\n"),
        "{out}"
    );
}

#[test]
fn english_pdf_served_as_pdf() {
    new_changed_regenerated(
        "application/pdf",
        EN_V1,
        EN_V2,
        "To terminate the service, please visit any 3Shop in person with your identity document.",
        "You may terminate the service online through My Account at any time.",
    );
}

#[test]
fn traditional_chinese_pdf_served_as_octet_stream() {
    new_changed_regenerated(
        "application/octet-stream",
        ZH_V1,
        ZH_V2,
        "如需終止服務，客戶須給予不少於三十天通知，並親臨門市辦理。",
        "客戶可透過網上客戶服務平台或應用程式終止服務，毋須親臨門市。",
    );
}

#[test]
fn pdf_from_and_pdf_to_narrow_the_document() {
    let server = HttpServer::start();
    let smtp = start_smtp();
    let part = |termination: &str, fees: &str| {
        format!(
            "<h1>Prepaid SIM Service Terms</h1><h2>5. Termination</h2><p>{termination}</p><h2>6. Fees</h2><p>{fees}</p>"
        )
    };
    let visit = "To terminate the service, please visit any 3Shop in person.";
    server.route(
        "/t.pdf",
        vec![pdf_reply(
            "application/pdf",
            &part(visit, "Fees are payable monthly."),
        )],
    );
    let env = Env::new();
    let narrowed = "pdf_from = \"5. Termination\"\npdf_to = \"6. Fees\"\n";
    env.write_config(
        &[pdf_target("t", &server.url("/t.pdf"), narrowed)],
        Some(&smtp_section(smtp.port)),
        "",
    );
    assert_eq!(env.run(&["check"]).lines(), vec!["NEW t"]);

    // Outside the narrowed part: not a change.
    server.route(
        "/t.pdf",
        vec![pdf_reply(
            "application/pdf",
            &part(visit, "Fees are payable yearly."),
        )],
    );
    let r = env.run(&["check"]);
    assert_eq!(r.lines(), vec!["UNCHANGED t"], "{}", r.stderr());

    // Inside it: a change.
    let seven =
        "To terminate the service, please visit any 3Shop in person with seven days' notice.";
    server.route(
        "/t.pdf",
        vec![pdf_reply(
            "application/pdf",
            &part(seven, "Fees are payable yearly."),
        )],
    );
    let r = env.run(&["check"]);
    assert_eq!(
        r.lines(),
        vec!["CHANGED t cancellation online-cancellation=not-supported"],
        "{}",
        r.stderr()
    );
    let mails = smtp.mailbox.wait_for(1);
    let m = parse_mail(&mails[0]);
    let text = m.body_text(0).unwrap();
    assert!(text.contains(&format!("+ {seven}")), "{text}");
    assert!(!text.contains("yearly"), "outside pdf_from..pdf_to: {text}");

    // Editing the narrowing re-extracts the stored PDF: a new baseline, no alert.
    env.write_config(
        &[pdf_target(
            "t",
            &server.url("/t.pdf"),
            "pdf_from = \"5. Termination\"\n",
        )],
        Some(&smtp_section(smtp.port)),
        "",
    );
    let r = env.run(&["check"]);
    assert_eq!(r.lines(), vec!["UNCHANGED t"], "{}", r.stderr());
    assert!(
        r.stderr()
            .contains("baseline re-derived from the stored page, no alert"),
        "{}",
        r.stderr()
    );
    let r = env.run(&["diff", "t"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("+ Fees are payable yearly."),
        "the re-derived baseline reaches the end of the document: {}",
        r.stdout()
    );

    // A heading that is gone is reported like a selector that matches nothing.
    env.write_config(
        &[pdf_target(
            "t",
            &server.url("/t.pdf"),
            "pdf_from = \"7. Governing Law\"\n",
        )],
        Some(&smtp_section(smtp.port)),
        "",
    );
    let r = env.run(&["check"]);
    r.expect_code(1);
    assert_eq!(
        r.lines(),
        vec!["ERROR t: pdf_from text not found: \"7. Governing Law\""]
    );
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(smtp.mailbox.count(), 1, "only the one change was emailed");
}

#[test]
fn inspect_a_pdf_file_by_its_signature() {
    let env = Env::new();
    // Named .bin: the signature, not the name, says it is a PDF.
    let file = env.dir.path().join("terms.bin");
    pdf::write_pdf(&file, ZH_V1);
    let r = env.run(&[
        "inspect",
        "--file",
        file.to_str().unwrap(),
        "--pdf-from",
        "第五條",
        "--pdf-to",
        "第六條",
    ]);
    r.expect_code(0);
    let out = r.stdout();
    assert!(out.contains("terms.bin (PDF)"), "{out}");
    assert!(out.contains("# pdf_from: 第五條  pdf_to: 第六條"), "{out}");
    assert!(out.contains("# 2 blocks"), "{out}");
    assert!(
        out.contains("* [  2] 如需終止服務，客戶須給予不少於三十天通知，並親臨門市辦理。"),
        "{out}"
    );
    assert!(!out.contains("所有費用"), "{out}");
    assert!(
        out.ends_with("VERDICT online-cancellation: not-supported\n"),
        "{out}"
    );

    let r = env.run(&[
        "inspect",
        "--file",
        file.to_str().unwrap(),
        "--pdf-from",
        "第九條",
    ]);
    r.expect_code(1);
    let out = r.stdout();
    assert!(
        out.contains("# error: pdf_from text not found: \"第九條\""),
        "{out}"
    );
    assert!(
        out.ends_with("VERDICT online-cancellation: unknown\n"),
        "{out}"
    );
}

/// Every paragraph of section 5 is one line, so the gap between its lines is always a paragraph
/// margin; they stay separate blocks, with or without a longer paragraph elsewhere on the page
/// (removing the last paragraph of several lines must not change the blocks around it).
#[test]
fn one_line_paragraphs_stay_separate_blocks() {
    let env = Env::new();
    let section5 = "<h1>Mobile Service Agreement</h1><h2>5. Termination</h2><p>The Customer may terminate the Service by written notice.</p><p>Termination requests may be made online in My Account.</p><p>Refunds are given for the days of service not used.</p><h2>6. Fees</h2>";
    let long_fees = "<p>Monthly fees are payable in advance on the first day of each billing month, and a late payment charge applies to any amount that remains unpaid after the due date shown on the bill.</p>";
    let one_line = [
        "The Customer may terminate the Service by written notice.",
        "Termination requests may be made online in My Account.",
        "Refunds are given for the days of service not used.",
    ];
    for (name, fees) in [
        ("with-long.pdf", long_fees),
        (
            "one-line.pdf",
            "<p>Monthly fees are payable in advance.</p>",
        ),
    ] {
        let file = env.dir.path().join(name);
        pdf::write_pdf(&file, &format!("{section5}{fees}"));
        let r = env.run(&["inspect", "--file", file.to_str().unwrap()]);
        r.expect_code(0);
        let out = r.stdout();
        // Each paragraph is a whole block of its own: "[  N] text" ends the line.
        for (n, text) in one_line.iter().enumerate() {
            assert!(
                out.contains(&format!("[  {}] {text}\n", n + 3)),
                "{name}: {out}"
            );
        }
    }
}
