//! PDF fixtures made at test time: HTML printed to PDF by headless Chromium (Debian's
//! `chromium`; Traditional Chinese needs a CJK font such as `fonts-wqy-zenhei`, which Chromium
//! embeds). Each print has a new CreationDate, so printing the same HTML twice gives the same text
//! in different bytes: a regenerated document. The tools are installed by
//! `scripts/install-test-deps.sh`; a missing tool fails the test, it never skips it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The longest one print may take (polled in steps, so the wait is bounded by a count).
const PRINT_POLLS: u32 = 1200;
const POLL: Duration = Duration::from_millis(50);

/// The page Chromium prints: `body` in a plain A4 document with a CJK-capable font list.
pub fn document(body: &str) -> String {
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><style>
body {{ font-family: "DejaVu Sans", "WenQuanYi Zen Hei", sans-serif; font-size: 12pt; margin: 2cm; }}
</style></head><body>{body}</body></html>"#
    )
}

/// Prints `html` to PDF with headless Chromium and returns the PDF's bytes.
pub fn html_to_pdf(html: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("page.html");
    let out = dir.path().join("page.pdf");
    std::fs::write(&page, html).expect("write the page");
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        // Its own profile: tests print in parallel, and profiles are locked.
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium must be installed: run scripts/install-test-deps.sh");
    let mut status = None;
    for _ in 0..PRINT_POLLS {
        if let Some(s) = child.try_wait().expect("wait for chromium") {
            status = Some(s);
            break;
        }
        std::thread::sleep(POLL);
    }
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("chromium did not print the PDF in time");
    };
    assert!(status.success(), "chromium failed: {status}");
    let pdf = std::fs::read(&out).expect("chromium wrote the PDF");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    pdf
}

/// Prints `html` again, as a publisher regenerating a document would: the same text with a new
/// CreationDate. Chromium stamps the date to the second, so two prints within one second are
/// byte-identical; this waits for the clock to move on (a bounded number of times) rather than
/// let a fast machine turn the test into a comparison of identical files.
pub fn reprint(html: &str, earlier: &[u8]) -> Vec<u8> {
    for _ in 0..3 {
        let again = html_to_pdf(html);
        if again != earlier {
            return again;
        }
        std::thread::sleep(Duration::from_millis(1100));
    }
    panic!("three prints of the same page a second apart gave identical bytes");
}

/// Writes a PDF of `body` to `path` (for `inspect --file`).
pub fn write_pdf(path: &Path, body: &str) {
    std::fs::write(path, html_to_pdf(&document(body))).expect("write the PDF");
}
