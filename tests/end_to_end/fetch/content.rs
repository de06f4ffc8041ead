//! Fetch faults, end to end: content types and charsets.

use super::*;

#[test]
fn image_is_not_html() {
    let server = server_with_good_page();
    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    server.route(
        "/logo",
        vec![Reply::bytes(200, &[("Content-Type", "image/png")], png)],
    );
    let pass = check_fault(&server, &server.url("/logo"));
    assert_eq!(
        pass.expect_bad_then_good("not HTML (image/png)"),
        "not HTML (image/png)"
    );
}

/// Big5 bytes for text that plain Big5 can encode.
fn big5(s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(s);
    assert!(!unmappable, "{s} is not plain Big5");
    bytes.into_owned()
}

/// HKSCS characters, as Big5-HKSCS bytes (the encoder refuses to produce them; pages have them).
const HKSCS_ZO: [u8; 2] = [0x9D, 0xF7]; // 咗
const HKSCS_LIFT: [u8; 2] = [0x9D, 0xF2]; // 𨋢 (outside the BMP)

fn big5_page(policy: &[u8]) -> Vec<u8> {
    let mut page = big5(
        "<!DOCTYPE html><html><head><meta charset=\"big5\"><title>服務條款</title></head><body><nav>網上銷戶</nav><main><h1>終止服務</h1>",
    );
    page.extend_from_slice(policy);
    page.extend_from_slice(&big5("</main></body></html>"));
    page
}

#[test]
fn big5_with_only_a_meta_charset_reaches_the_email_as_chinese() {
    let server = server_with_good_page();
    let smtp = start_smtp();
    let before = big5_page(&big5(
        "<p>如需終止服務，請親臨門市辦理，恕不接受網上申請。</p>",
    ));
    let mut changed = big5("<p>如需終止服務，請乘");
    changed.extend_from_slice(&HKSCS_LIFT);
    changed.extend_from_slice(&big5("到三樓門市辦理，恕不接受網上申請。門市已搬"));
    changed.extend_from_slice(&HKSCS_ZO);
    changed.extend_from_slice(&big5("。</p>"));
    let after = big5_page(&changed);
    // No charset in the header: only the meta element says Big5.
    let serve = |body: Vec<u8>| Reply::bytes(200, &[("Content-Type", "text/html")], body);
    server.route("/big5", vec![serve(before)]);
    let env = Env::new();
    write_config(
        &env,
        &format!("{FAST}\n[alerts]\nconfirm_delay = \"0s\"\n"),
        &bad_and_good(&server, &server.url("/big5")),
        Some(&smtp_section(smtp.port)),
    );
    let pass = check(&env);
    pass.run.expect_code(0);
    assert_eq!(pass.run.lines(), vec!["NEW bad", "NEW good"]);

    server.route("/big5", vec![serve(after)]);
    let pass = check(&env);
    pass.run.expect_code(0);
    let lines = pass.run.lines();
    assert!(lines[0].starts_with("CHANGED bad "), "{lines:?}");
    assert_eq!(lines[1], "UNCHANGED good");
    pass.expect_bounded_memory();

    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(mails.len(), 1, "{}", pass.run.stderr());
    let mail = parse_mail(&mails[0]);
    let text = mail.body_text(0).unwrap();
    assert!(
        text.contains("- 如需終止服務，請親臨門市辦理，恕不接受網上申請。"),
        "{text}"
    );
    assert!(
        text.contains("+ 如需終止服務，請乘𨋢到三樓門市辦理，恕不接受網上申請。門市已搬咗。"),
        "{text}"
    );
    assert!(
        !text.contains('\u{FFFD}'),
        "no replacement characters: {text}"
    );
    let html = mail.body_html(0).unwrap();
    assert!(html.contains("終止服務"), "{html}");
}

#[test]
fn gb18030_text_labelled_gbk_is_decoded() {
    let server = HttpServer::start();
    // 㐀 and 𠀀 exist only in GB18030 (four-byte sequences), not in GBK proper.
    let text = "如需销户，请致电客户服务热线。㐀𠀀";
    let (encoded, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    assert!(
        encoded
            .windows(2)
            .any(|w| (0x81..=0xFE).contains(&w[0]) && w[1].is_ascii_digit()),
        "the page has four-byte sequences"
    );
    let mut body = b"<!DOCTYPE html><html><body><main><p>".to_vec();
    body.extend_from_slice(&encoded);
    body.extend_from_slice(b"</p></main></body></html>");
    server.route(
        "/gbk",
        vec![Reply::bytes(
            200,
            &[("Content-Type", "text/html; charset=gbk")],
            body,
        )],
    );
    let env = Env::new(); // no config file: inspect needs none for a URL
    let pass = run_measured(
        &env,
        &[
            "inspect",
            &server.url("/gbk"),
            "--allow-private-addresses",
            "--select",
            "main",
        ],
    );
    pass.run.expect_code(0);
    let out = pass.run.stdout();
    assert!(out.contains(text), "{out}");
    assert!(!out.contains('\u{FFFD}'), "{out}");
    pass.expect_bounded_memory();
}
