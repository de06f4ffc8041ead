//! PDF extraction against real PDFs: headless Chromium prints the HTML fixtures in
//! tests/fixtures/pdf/ (English; Traditional Chinese in WenQuanYi Zen Hei, embedded as a CID
//! font; two columns and a table) into a temp dir, and Poppler's pdftotext reads them back.
//! Chromium, pdftotext and the font are Debian packages: scripts/install-test-deps.sh installs
//! them. Without them these tests fail, naming that script; they never skip.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use policywatch::extract::pdf::{
    PdfError, PdfLimits, blocks_from_pages, extract_blocks, extract_text_pages, narrow,
};
use policywatch::fetch::sniff::is_pdf;

const INSTALL: &str = "run scripts/install-test-deps.sh (as root) to install chromium, poppler-utils and fonts-wqy-zenhei";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pdf")
        .join(name)
}

/// Prints an HTML file to PDF with headless Chromium and returns the PDF's bytes.
async fn print_pdf(html: &Path, dir: &Path, name: &str) -> Vec<u8> {
    let out = dir.join(name);
    let profile = tempfile::tempdir().expect("temp dir");
    let child = tokio::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run chromium ({e}): {INSTALL}"));
    let output = tokio::time::timeout(Duration::from_secs(90), child.wait_with_output())
        .await
        .expect("chromium did not finish printing within 90 s")
        .expect("chromium");
    assert!(
        output.status.success() && out.exists(),
        "chromium failed to print {}: {}\n{}",
        html.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(&out).expect("printed PDF")
}

/// The blocks of a PDF; a missing pdftotext fails the test with the install hint.
async fn blocks_of(pdf: &[u8]) -> Vec<String> {
    match extract_blocks(pdf, &PdfLimits::default()).await {
        Ok(blocks) => blocks,
        Err(PdfError::NotInstalled) => panic!("pdftotext is missing: {INSTALL}"),
        Err(e) => panic!("extraction failed: {e}"),
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn english_blocks() -> Vec<String> {
    strings(&[
        "Mobile Service Terms and Conditions",
        "1. Definitions",
        "In these terms, \"we\" means Harbour Mobile Limited and \"you\" means the customer named on the application form. The service means the mobile telephone and data service that we supply to you under a service plan.",
        "A customer who wishes to end the service must request termination of the plan in writing, and the request takes effect at the end of the billing cycle.",
        "Some printers break words with a real hyphen: the termination charge, a non-refundable deposit, an e-mail address and a Pre-Activation fee.",
        "2. Ending the Service",
        "You may terminate the service by giving us not less than thirty (30) days' notice. Notice may be given:",
        "in person at any Harbour Mobile shop, with your identity document;",
        "by sending the Disconnection Form to us by post; or",
        "by calling the customer service hotline on 2000 1234.",
        "Requests by e-mail are not accepted. The service cannot be cancelled online through the website or the mobile app.",
        "3. Early Termination",
        "If you terminate the service before the end of the minimum commitment period, an early termination charge equal to the remaining monthly fees is payable. All outstanding charges must be settled before the termination takes effect.",
        "1. Prepaid value is non-refundable and is forfeited on termination.",
        "2. Deposits are refunded within sixty (60) days after the final bill is settled, by cheque or to the credit card used for the last payment.",
        "4. Changes to These Terms",
        "We may change these terms from time to time by giving you not less than thirty (30) days' notice on our website. If you do not accept a change that is to your material disadvantage, you may terminate the service without paying an early termination charge by notifying us before the change takes effect.",
        "Any notice we give you may be sent by SMS, by e-mail or by post to the address on our records, and is treated as received two working days after it is sent.",
        "5. Suspension",
        "We may suspend the service without notice if you fail to pay any charge when it is due, if the service is used for any unlawful purpose, or if we are required to do so by a regulator. A suspended service may be restored when the reason for the suspension has been removed and a reconnection fee has been paid.",
        "While the service is suspended, the monthly fee remains payable and the minimum commitment period continues to run.",
        "6. Lost or Stolen SIM Cards",
        "You must tell us at once if your SIM card is lost or stolen, by calling the customer service hotline. You remain liable for all charges incurred before we receive your report. A replacement SIM card may be collected at any Harbour Mobile shop on payment of a replacement fee.",
        "7. Auto-Renewal",
        "Unless you tell us otherwise, your service plan renews automatically for successive periods of one month at the end of the minimum commitment period. You may terminate the auto-renewal function at any time by calling the hotline or through the Harbour Mobile app, and the change takes effect at the end of the current billing cycle.",
        "8. Data Usage",
        "Local data usage beyond the allowance of your plan is charged at the rate set out in your plan summary. Roaming data is charged separately, and you are responsible for switching off data roaming when you travel if you do not wish to use it.",
        "We may manage network traffic at busy times to protect the service for all customers. Such management does not reduce the data allowance you have paid for.",
        "9. Liability",
        "Except as required by law, we are not liable for any indirect or consequential loss arising from the use of the service, or from any interruption of it that is beyond our reasonable control. Nothing in these terms limits any right that you have under the laws of Hong Kong.",
        "10. Governing Law",
        "These terms are governed by the laws of the Hong Kong Special Administrative Region, and the courts of Hong Kong have jurisdiction over any dispute about them.",
    ])
}

#[tokio::test]
async fn english_terms_come_out_as_blocks_in_reading_order() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = print_pdf(&fixture("en-terms.html"), dir.path(), "en.pdf").await;
    assert!(is_pdf(Some("application/octet-stream"), &pdf));

    let pages = extract_text_pages(&pdf, &PdfLimits::default())
        .await
        .unwrap_or_else(|e| panic!("{e} ({INSTALL})"));
    // Several pages, each with the running header and a "Page N of M" footer.
    assert!(
        pages.len() >= 3,
        "expected a multi-page PDF, got {} pages",
        pages.len()
    );
    assert!(
        pages
            .iter()
            .all(|p| p.contains("Harbour Mobile Limited - Mobile Service Terms"))
    );
    assert!(pages[1].contains(&format!("Page 2 of {}", pages.len())));

    // Header, footer and page numbers gone; hyphenation undone (soft and hard); list items,
    // headings and paragraphs (also those split by a page break) one block each.
    assert_eq!(blocks_from_pages(&pages), english_blocks());
}

#[tokio::test]
async fn traditional_chinese_terms_come_out_as_the_right_characters() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = print_pdf(&fixture("zh-terms.html"), dir.path(), "zh.pdf").await;
    let pages = extract_text_pages(&pdf, &PdfLimits::default())
        .await
        .unwrap_or_else(|e| panic!("{e} ({INSTALL})"));
    assert!(
        pages.len() >= 2,
        "expected a multi-page PDF, got {} pages",
        pages.len()
    );
    assert!(pages[0].contains("海港流動通訊有限公司 流動電話服務條款"));
    assert!(pages[1].contains("第2頁"));
    assert_eq!(
        blocks_from_pages(&pages),
        strings(&[
            "流動電話服務條款及細則",
            "一、終止服務",
            "客戶如欲終止服務，須給予本公司不少於三十天通知，並須親臨門市或致電客戶服務熱線辦理。本公司恕不接受網上申請終止服務。",
            "（一）客戶須於終止服務前繳清所有未繳清之費用及欠款。",
            "（二）預付儲值額於終止服務後作廢，恕不退費。",
            "二、提前終止",
            "如客戶於最短合約期完結前終止合約，須繳付提前終止費，金額相等於餘下合約期之月費總額。啓動前取消費用為港幣一百元，不予退還。",
            "三、修改條款",
            "本公司可不時修改本條款，並會於網站上給予客戶不少於三十天通知。如客戶不接受對其有重大不利之修改，客戶可於修改生效前通知本公司終止服務，而毋須繳付提前終止費。",
            "四、自動續期",
            "除非客戶另行通知，服務計劃於最短合約期完結後按月自動續期。客戶可隨時透過手機應用程式或客戶服務中心取消自動續期功能，有關更改於當期賬單週期完結時生效。",
            "五、暫停服務",
            "如客戶未能於到期日繳付任何費用，或服務被用作任何非法用途，本公司可無須通知而暫停服務。暫停期間月費仍須照常繳付，而最短合約期亦繼續計算。恢復服務時須繳付重新接駁費用。",
            "六、遺失或被盜的用戶識別卡",
            "如用戶識別卡遺失或被盜，客戶須立即致電客戶服務熱線通知本公司。客戶須負責本公司接獲通知前所產生之一切費用。客戶可親臨任何門市繳付補領費用後領取新卡。",
            "七、數據用量",
            "超出服務計劃用量之本地數據將按計劃摘要所列收費率收費。漫遊數據另行收費，客戶如不欲使用漫遊數據，須於外遊時自行關閉數據漫遊功能。本公司或會於網絡繁忙時段管理網絡流量，以保障所有客戶之服務質素。",
            "八、通知",
            "本公司向客戶發出之通知可以短訊、電郵或郵寄方式送達客戶於本公司紀錄之地址，並於發出後兩個工作天視為已收妥。",
            "九、責任",
            "除法律規定外，本公司毋須就使用服務或因本公司合理控制範圍以外之原因而令服務中斷所引致之任何間接或相應損失承擔責任。本條款並不限制客戶根據香港法律享有之任何權利。",
            "十、管轄法律",
            "本條款受香港特別行政區法律管轄，香港法院對任何有關本條款之爭議具有司法管轄權。",
            "本條款之中英文版本如有歧義，概以中文版本為準。",
        ])
    );
}

#[tokio::test]
async fn two_columns_read_column_by_column_and_table_rows_stay_whole() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = print_pdf(&fixture("en-columns.html"), dir.path(), "columns.pdf").await;
    assert_eq!(
        blocks_of(&pdf).await,
        strings(&[
            "Prepaid SIM Terms",
            "Left one. The prepaid SIM card is valid for the period printed on the card pack and cannot be extended after it has expired.",
            "Left two. Stored value that has not been used when the card expires is forfeited and no refund will be given in any circumstances.",
            "Left three. The card cannot be cancelled online; to end the service you must visit a Customer Centre in person with the card.",
            "Right one. Lost or stolen cards may be replaced at a Customer Centre for a fee, and the remaining value is transferred to the new card.",
            "Right two. We may suspend the service without notice if the card is used for any unlawful purpose or for bulk messaging.",
            "Right three. These terms are governed by the laws of the Hong Kong Special Administrative Region.",
            "Charges",
            "Item Charge Refund",
            "Early termination charge Remaining monthly fees Not applicable",
            "Pre-activation Cancellation Charge HK$100 Non-refundable",
            "SIM replacement HK$50 No refund",
            "All charges are payable before the disconnection takes effect.",
        ])
    );
}

#[tokio::test]
async fn regenerating_the_same_pdf_changes_bytes_but_not_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let html = fixture("zh-terms.html");
    let first = print_pdf(&html, dir.path(), "first.pdf").await;
    // CreationDate has one-second resolution: make sure the second print gets another one.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = print_pdf(&html, dir.path(), "second.pdf").await;
    assert_ne!(
        first, second,
        "the two prints must differ (metadata) for this test to count"
    );
    assert_eq!(blocks_of(&first).await, blocks_of(&second).await);
}

#[tokio::test]
async fn a_long_pdf_is_narrowed_to_one_section() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = print_pdf(&fixture("en-terms.html"), dir.path(), "en.pdf").await;
    let blocks = blocks_of(&pdf).await;
    let section = narrow(
        blocks,
        Some("2. Ending the Service"),
        Some("3. Early Termination"),
    )
    .unwrap();
    assert_eq!(section, english_blocks()[5..11].to_vec());
    assert_eq!(
        section.first().map(String::as_str),
        Some("2. Ending the Service")
    );
}
