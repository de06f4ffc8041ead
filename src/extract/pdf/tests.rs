//! Unit tests of the PDF reader: blocks, furniture, hyphenation, narrowing and limits.

use super::blocks::{is_page_number, starts_with_list_marker};
use super::*;

fn pages(p: &[&str]) -> Vec<String> {
    p.iter().map(|s| s.to_string()).collect()
}

/// A one-page PDF in Helvetica with one line of text per entry, made by hand.
fn tiny_pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 10 Tf 12 TL 72 760 Td\n");
    for l in lines {
        let esc = l
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        content.push_str(&format!("({esc}) Tj T*\n"));
    }
    content.push_str("ET");
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A shell script standing in for pdftotext.
fn fake_program(dir: &std::path::Path, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("fake-pdftotext");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn page_numbers() {
    for t in [
        "3",
        "- 3 -",
        "— 12 —",
        "Page 3",
        "Page 3 of 9",
        "PAGE 3 OF 9",
        "p. 4",
        "3 / 9",
        "3 of 9",
        "第3頁",
        "第 3 頁，共 9 頁",
        "第三页",
        "頁 3",
        "3頁",
    ] {
        assert!(is_page_number(t), "{t}");
    }
    for t in [
        "30 days",
        "Page",
        "3.5",
        "Clause 3",
        "第三條",
        "2026-11-29",
        "page three",
    ] {
        assert!(!is_page_number(t), "{t}");
    }
}

#[test]
fn list_markers() {
    for t in [
        "• Visit a shop",
        "- by post",
        "1. Definitions",
        "12) Notice",
        "2.3 Termination",
        "2.3.1. Early termination",
        "(a) in person",
        "(iv) by fax",
        "a. in person",
        "iv) by fax",
        "一、終止服務",
        "（一）客戶須",
        "(二)客戶須",
        "第三條 終止",
        "1、客戶須",
        "① 親臨門市",
    ] {
        assert!(starts_with_list_marker(t), "{t}");
    }
    for t in [
        "30 days' notice",
        "3.5% interest",
        "e-mail is not accepted",
        "e.g. a shop",
        "-5 degrees",
        "(see above) and",
        "客戶須繳付",
        "第三方服務",
        "A customer",
        "1.",
    ] {
        assert!(!starts_with_list_marker(t), "{t}");
    }
}

#[test]
fn running_headers_footers_and_page_numbers_are_dropped() {
    let p = pages(&[
        "Harbour Mobile – Terms v2\n\nFirst paragraph of the terms.\n\nPage 1 of 3",
        "Harbour Mobile – Terms v2\n\nSecond paragraph.\n\nPage 2 of 3",
        "Harbour Mobile – Terms v2\n\nThird paragraph.\n\nPage 3 of 3",
    ]);
    assert_eq!(
        blocks_from_pages(&p),
        vec![
            "First paragraph of the terms.",
            "Second paragraph.",
            "Third paragraph."
        ]
    );
    // Chinese footer with the page number in it, at the top as a stream-order PDF has it.
    let p = pages(&[
        "海港流動 服務條款 第1頁\n\n一、終止服務\n\n客戶須親臨門市。",
        "海港流動 服務條款 第2頁\n\n二、退款\n\n恕不退費。",
    ]);
    assert_eq!(
        blocks_from_pages(&p),
        vec!["一、終止服務", "客戶須親臨門市。", "二、退款", "恕不退費。"]
    );
    // A bare page number even on a single page; a line repeated on only one of three pages stays.
    let p = pages(&[
        "Notice\n\nA line.\n\n- 1 -",
        "Other\n\nB line.\n\n2",
        "Other\n\nC line.\n\n3",
    ]);
    assert_eq!(
        blocks_from_pages(&p),
        vec!["Notice", "A line.", "B line.", "C line."]
    );
}

#[test]
fn content_that_repeats_mid_page_is_kept() {
    let p = pages(&[
        "Header\n\nOne.\n\nSee the shop.\n\nTwo.\n\nThree.\n\nFour.",
        "Header\n\nFive.\n\nSee the shop.\n\nSix.\n\nSeven.\n\nEight.",
    ]);
    let blocks = blocks_from_pages(&p);
    assert_eq!(blocks.iter().filter(|b| *b == "See the shop.").count(), 2);
    assert!(!blocks.contains(&"Header".to_string()));
}

#[test]
fn repeated_paragraph_lines_with_other_numbers_are_not_footers() {
    let p = pages(&[
        "Header\n\nOne.\n\nAuto-renewal (1): cancel it in the app or at a\nshop.",
        "Header\n\nTwo.\n\nAuto-renewal (2): cancel it in the app or at a\nshop.",
        "Header\n\nThree.\n\nAuto-renewal (3): cancel it in the app or at a\nshop.",
    ]);
    assert_eq!(
        blocks_from_pages(&p),
        vec![
            "One.",
            "Auto-renewal (1): cancel it in the app or at a shop.",
            "Two.",
            "Auto-renewal (2): cancel it in the app or at a shop.",
            "Three.",
            "Auto-renewal (3): cancel it in the app or at a shop.",
        ]
    );
}

#[test]
fn hyphenated_words_are_joined() {
    let p = pages(&[
        "You may request termi-\nnation in writing. An e-\nmail is not accepted. The Pre-\nActivation fee of HK$100 is non-\nrefundable, and a non-refundable deposit too. A termi\u{AD}\nnation form. Cancel-\nlation by phone.",
    ]);
    assert_eq!(
        blocks_from_pages(&p),
        vec![
            "You may request termination in writing. An e-mail is not accepted. The Pre-Activation fee of HK$100 is non-refundable, and a non-refundable deposit too. A termination form. Cancellation by phone."
        ]
    );
    // The document's own spelling decides: "prepaid" is written without a hyphen elsewhere.
    let p = pages(&["Our pre-\npaid cards. All prepaid value is forfeited."]);
    assert_eq!(
        blocks_from_pages(&p),
        vec!["Our prepaid cards. All prepaid value is forfeited."]
    );
    // A dash between words keeps its space; a soft hyphen mid-line disappears.
    let p = pages(&["from 2020–\n2021 and the shop —\nor the hotline; termi\u{AD}nation"]);
    assert_eq!(
        blocks_from_pages(&p),
        vec!["from 2020–2021 and the shop — or the hotline; termination"]
    );
}

#[test]
fn wrapped_lines_join_with_a_space_or_none_for_cjk() {
    let p = pages(&[
        "客戶如欲終止服務，須給予本公司不少於三十天通知，並須親臨門市或致電客戶服務熱線\n辦理。本公司恕不接受網上申請。\n\nYou may terminate the\nservice by giving notice.\n\n可透過 MyLink\n應用程式辦理。",
    ]);
    assert_eq!(
        blocks_from_pages(&p),
        vec![
            "客戶如欲終止服務，須給予本公司不少於三十天通知，並須親臨門市或致電客戶服務熱線辦理。本公司恕不接受網上申請。",
            "You may terminate the service by giving notice.",
            "可透過 MyLink 應用程式辦理。",
        ]
    );
}

#[test]
fn list_items_are_blocks() {
    let p = pages(&[
        "Notice may be given:\n• in person at a shop;\n• by post; or\n• by calling the hotline on\n2000 1234.\n(a) a first item\nwrapped\n(b) a second\n1. Prepaid value is\nforfeited.\n2. Deposits\n一、終止服務\n（一）客戶須繳清\n欠款。\n（二）恕不退費。",
    ]);
    assert_eq!(
        blocks_from_pages(&p),
        vec![
            "Notice may be given:",
            "• in person at a shop;",
            "• by post; or",
            "• by calling the hotline on 2000 1234.",
            "(a) a first item wrapped",
            "(b) a second",
            "1. Prepaid value is forfeited.",
            "2. Deposits",
            "一、終止服務",
            "（一）客戶須繳清欠款。",
            "（二）恕不退費。",
        ]
    );
}

#[test]
fn indentation_starts_a_block_except_first_line_and_hanging_indents() {
    let p = pages(&[
        "  First-line indented\nparagraph goes on.\n  Next paragraph\nhere.\n1. Hanging item\n   continues here.\nBack at the margin.",
    ]);
    assert_eq!(
        blocks_from_pages(&p),
        vec![
            "First-line indented paragraph goes on.",
            "Next paragraph here.",
            "1. Hanging item continues here.",
            "Back at the margin.",
        ]
    );
}

#[test]
fn paragraphs_run_over_page_breaks() {
    let p = pages(&[
        "Header\n\nAn early termination charge equal to the remaining fees is\n\n1",
        "Header\n\npayable before the termination takes effect.\n\nNew paragraph.\n\n2",
        "Header\n\n本公司可不時修改本條款，並會於網站上給予客戶不少於三十天\n\n3",
        "Header\n\n通知。\n\n四、一般條款\n\n4",
        "Header\n\nA heading\n\n5",
        "Header\n\nThe next paragraph.\n\n6",
    ]);
    assert_eq!(
        blocks_from_pages(&p),
        vec![
            "An early termination charge equal to the remaining fees is payable before the termination takes effect.",
            "New paragraph.",
            "本公司可不時修改本條款，並會於網站上給予客戶不少於三十天通知。",
            "四、一般條款",
            "A heading",
            "The next paragraph.",
        ]
    );
}

#[test]
fn no_pages_no_blocks() {
    assert!(blocks_from_pages(&[]).is_empty());
    assert!(blocks_from_pages(&pages(&["", "\n\n"])).is_empty());
}

#[test]
fn bbox_output_is_parsed_and_metadata_ignored() {
    let out = "<!DOCTYPE html>\n<html><head>\n<title>T</title>\n<meta name=\"CreationDate\" content=\"2026-11-29T17:30:57Z\"/>\n</head><body><doc>\n  <page width=\"595\" height=\"842\">\n    <word xMin=\"63\" yMin=\"88\" xMax=\"100\" yMax=\"100\">&quot;We&quot;</word>\n    <word xMin=\"103\" yMin=\"88\" xMax=\"130\" yMax=\"100\">&amp;</word>\n    <word xMin=\"133\" yMin=\"88\" xMax=\"160\" yMax=\"100\">you&apos;re&#x21;</word>\n  </page>\n  <page width=\"595\" height=\"842\">\n  </page>\n  <page width=\"595\" height=\"842\">\n    <word xMin=\"63\" yMin=\"88\" xMax=\"200\" yMax=\"100\">終止服務</word>\n  </page>\n</doc></body></html>\n";
    let mut p = BboxParser::new(1000);
    for line in out.split_inclusive('\n') {
        p.push_line(line).unwrap();
    }
    assert_eq!(p.finish(), vec!["\"We\" & you're!", "", "終止服務"]);
}

#[test]
fn text_cap_counts_words_and_pages() {
    let mut p = BboxParser::new(20);
    p.push_line("<page width=\"1\" height=\"1\">").unwrap();
    let word = "<word xMin=\"0\" yMin=\"0\" xMax=\"1\" yMax=\"1\">abc</word>";
    // 16 for the page, 4 for the word: at the cap, then over it.
    p.push_line(word).unwrap();
    assert_eq!(p.push_line(word), Err(PdfError::TooMuchText { limit: 20 }));
}

#[test]
fn failures_are_explained() {
    let l = PdfLimits::default();
    assert_eq!(
        classify_failure(Some(1), "Command Line Error: Incorrect password\n", &l),
        PdfError::Encrypted
    );
    assert_eq!(
        classify_failure(None, "Out of memory\n", &l),
        PdfError::OutOfMemory { limit_mib: 1024 }
    );
    assert_eq!(
        classify_failure(
            Some(1),
            "Syntax Warning: May not be a PDF file\nSyntax Error: Couldn't read xref table\n",
            &l
        ),
        PdfError::Unreadable("Syntax Error: Couldn't read xref table".into())
    );
    assert!(matches!(
        classify_failure(None, "", &l),
        PdfError::Failed(_)
    ));
    assert_eq!(
        PdfError::Timeout(Duration::from_secs(20)).to_string(),
        "PDF text extraction timed out after 20 s"
    );
}

#[test]
fn narrow_keeps_from_heading_to_next() {
    let blocks: Vec<String> = [
        "Contents",
        "1. Fees",
        "HK$100",
        "2. Termination",
        "親臨門市",
        "終止 by post",
        "3. Governing law",
        "HK law",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(
        narrow(blocks.clone(), Some("termination"), Some("Governing Law")).unwrap(),
        vec!["2. Termination", "親臨門市", "終止 by post"]
    );
    assert_eq!(
        narrow(blocks.clone(), Some("亲临门市"), None).unwrap(),
        vec!["親臨門市", "終止 by post", "3. Governing law", "HK law"]
    );
    assert_eq!(
        narrow(blocks.clone(), None, Some("1. Fees")).unwrap(),
        vec!["Contents"]
    );
    assert_eq!(narrow(blocks.clone(), None, None).unwrap(), blocks);
    assert_eq!(
        narrow(blocks.clone(), Some("Refunds"), None),
        Err(NarrowError::FromNotFound("Refunds".into()))
    );
    assert_eq!(
        narrow(blocks.clone(), Some("Termination"), Some("Fees")),
        Err(NarrowError::ToNotFound("Fees".into()))
    );
    // The from block itself is not the end even when it holds the `to` text.
    assert_eq!(
        narrow(blocks, Some("2. Termination"), Some("Termination")),
        Err(NarrowError::ToNotFound("Termination".into()))
    );
}

#[tokio::test]
async fn oversized_and_non_pdf_inputs_are_refused_before_running_anything() {
    let limits = PdfLimits {
        max_bytes: 100,
        ..PdfLimits::default()
    };
    let big = tiny_pdf(&["x"; 50]);
    assert_eq!(
        run_extractor(OsStr::new("/nonexistent/never-run"), &big, &limits, |_| {}).await,
        Err(PdfError::TooLarge {
            size: big.len() as u64,
            limit: 100
        })
    );
    assert_eq!(
        run_extractor(
            OsStr::new("/nonexistent/never-run"),
            b"<html>",
            &limits,
            |_| {}
        )
        .await,
        Err(PdfError::NotPdf)
    );
    assert_eq!(
        run_extractor(
            OsStr::new("/nonexistent/pdftotext"),
            b"%PDF-1.4",
            &limits,
            |_| {}
        )
        .await,
        Err(PdfError::NotInstalled)
    );
}

#[tokio::test]
async fn pdftotext_reads_a_pdf() {
    let pdf = tiny_pdf(&["Termination of service", "requires thirty days notice."]);
    let pages = extract_text_pages(&pdf, &PdfLimits::default())
        .await
        .expect("pdftotext (scripts/install-test-deps.sh)");
    assert_eq!(
        blocks_from_pages(&pages),
        vec!["Termination of service requires thirty days notice."]
    );
}

#[tokio::test]
async fn huge_text_is_cut_with_an_error() {
    let line = "No refund will be given for prepaid value that is forfeited.";
    let pdf = tiny_pdf(&[line; 60]);
    let limits = PdfLimits {
        max_text_bytes: 1000,
        ..PdfLimits::default()
    };
    assert_eq!(
        extract_text_pages(&pdf, &limits).await,
        Err(PdfError::TooMuchText { limit: 1000 })
    );
    // The same document within the cap is read whole.
    let pages = extract_text_pages(&pdf, &PdfLimits::default())
        .await
        .expect("pdftotext (scripts/install-test-deps.sh)");
    assert_eq!(pages[0].matches("forfeited").count(), 60);
}

#[tokio::test]
async fn a_stalled_extractor_times_out_and_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    // Never reads its input, never writes, never exits.
    let prog = fake_program(dir.path(), "exec sleep 600");
    let limits = PdfLimits {
        timeout: Duration::from_millis(300),
        ..PdfLimits::default()
    };
    // Larger than a pipe buffer, so the writer stalls too.
    let mut input = b"%PDF-1.4\n".to_vec();
    input.resize(1 << 20, b' ');
    let mut pid = None;
    let result = run_extractor(prog.as_os_str(), &input, &limits, |p| pid = p).await;
    assert_eq!(result, Err(PdfError::Timeout(Duration::from_millis(300))));
    let pid = pid.expect("child pid");
    let alive = std::path::Path::new(&format!("/proc/{pid}")).exists();
    assert!(!alive, "the stalled child {pid} was not killed and reaped");
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[tokio::test]
async fn the_child_runs_under_rlimits() {
    let dir = tempfile::tempdir().unwrap();
    let prog = fake_program(
        dir.path(),
        "cat > /dev/null\necho \"Error: as=$(ulimit -v) cpu=$(ulimit -t) core=$(ulimit -c)\" >&2\nexit 1",
    );
    let limits = PdfLimits {
        max_memory: 256 * 1024 * 1024,
        timeout: Duration::from_secs(7),
        ..PdfLimits::default()
    };
    assert_eq!(
        run_extractor(prog.as_os_str(), b"%PDF-1.4", &limits, |_| {}).await,
        Err(PdfError::Unreadable("Error: as=262144 cpu=8 core=0".into()))
    );
}

#[test]
fn blocks_stop_at_the_cap() {
    // One page of one-line paragraphs, as the layout writes them: a blank line between.
    let page = |n: usize| -> Vec<String> {
        vec![
            (0..n)
                .map(|i| format!("Terminate {i}.\n\n"))
                .collect::<String>(),
        ]
    };
    assert_eq!(blocks_within(&page(10), 10).map(|b| b.len()), Some(10));
    assert_eq!(blocks_within(&page(11), 10), None);
    let cap = crate::extract::block::MAX_BLOCKS;
    assert_eq!(blocks_within(&page(cap + 1), cap), None);
    assert_eq!(blocks_from_pages(&page(cap + 1)).len(), cap + 1, "uncapped");
    let e = PdfError::TooManyBlocks { limit: cap }.to_string();
    assert!(
        e.contains("more than 20000 text blocks") && e.contains("hostile"),
        "{e}"
    );
}
