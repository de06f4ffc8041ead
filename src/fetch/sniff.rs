//! What a response body is: a PDF, HTML (or text), or something policywatch does not read. The
//! one place that decides "is this a PDF": the static fetch, `inspect --file` and the PDF reader
//! all ask here.
//!
//! The bytes are more honest than the label, so the `%PDF-` signature wins over the Content-Type:
//! - a body that starts with the signature (after ASCII whitespace and a UTF-8 BOM, which
//!   editors and some servers add) is a PDF whatever its label: a `.pdf` served as
//!   `application/octet-stream`, `text/plain` or even `text/html` is common, while an HTML page
//!   that begins with the text `%PDF-` is not;
//! - a body labelled `application/pdf` (or `application/x-pdf`) may carry its signature anywhere in
//!   its first [`PDF_SIGNATURE_WINDOW`] bytes, as PDF readers allow; without a label the
//!   signature must come first, so a zip or an image that merely contains `%PDF-` is not taken
//!   for a PDF;
//! - a body that starts with markup is never a PDF, whatever it says further in or is labelled
//!   (an HTML error page served as `application/pdf`).
//!
//! Boundary: bytes and a Content-Type in, a verdict out; no I/O.

use crate::fetch::FetchError;

/// How far into a body its `%PDF-` signature may sit (as PDF readers accept).
pub const PDF_SIGNATURE_WINDOW: usize = 1024;

const SIGNATURE: &[u8] = b"%PDF-";
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// True when a response is a PDF (see the module comment for the rule). `content_type` is the
/// response's Content-Type, if any.
pub fn is_pdf(content_type: Option<&str>, body: &[u8]) -> bool {
    let start = after_padding(body);
    if start.starts_with(SIGNATURE) {
        return true;
    }
    content_type.is_some_and(|ct| is_pdf_label(&mime_of(ct))) && has_pdf_signature(body)
}

/// True when a PDF reader would find a header: the signature within the first
/// [`PDF_SIGNATURE_WINDOW`] bytes of a body that does not start with markup. For bytes already
/// taken for a PDF (a stored version, a labelled response).
pub fn has_pdf_signature(body: &[u8]) -> bool {
    if after_padding(body).starts_with(b"<") {
        return false;
    }
    let window = &body[..body.len().min(PDF_SIGNATURE_WINDOW)];
    window.windows(SIGNATURE.len()).any(|w| w == SIGNATURE)
}

/// `body` without its leading ASCII whitespace and UTF-8 BOMs, in any order.
fn after_padding(mut body: &[u8]) -> &[u8] {
    loop {
        if let Some(rest) = body.strip_prefix(BOM) {
            body = rest;
        } else if let Some((first, rest)) = body.split_first()
            && first.is_ascii_whitespace()
        {
            body = rest;
        } else {
            return body;
        }
    }
}

fn is_pdf_label(mime: &str) -> bool {
    matches!(mime, "application/pdf" | "application/x-pdf")
}

/// What policywatch reads a body as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Html,
    Pdf,
}

/// What a body is: a PDF by [`is_pdf`]; then HTML and text by label, and unlabelled or
/// octet-stream bodies that look like markup. Anything else is refused by its type.
pub(crate) fn body_kind(content_type: &str, body: &[u8]) -> Result<Kind, FetchError> {
    if is_pdf(Some(content_type), body) {
        return Ok(Kind::Pdf);
    }
    let mime = mime_of(content_type);
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" | "text/plain" => Ok(Kind::Html),
        "" | "application/octet-stream" | "binary/octet-stream" if looks_like_markup(body) => {
            Ok(Kind::Html)
        }
        m if m.starts_with("text/") && m != "text/css" && m != "text/javascript" => Ok(Kind::Html),
        m if is_pdf_label(m) => Err(FetchError::Other(format!(
            "not a PDF: labelled {mime} but without a %PDF- signature"
        ))),
        _ => Err(not_html(&mime)),
    }
}

/// Types that are never a document, refused before their body is read.
pub(crate) fn refuse_by_type(content_type: &str) -> Result<(), FetchError> {
    let mime = mime_of(content_type);
    let never = ["image/", "audio/", "video/", "font/"]
        .iter()
        .any(|p| mime.starts_with(p))
        || matches!(
            mime.as_str(),
            "text/css" | "text/javascript" | "application/javascript"
        );
    if never { Err(not_html(&mime)) } else { Ok(()) }
}

fn looks_like_markup(body: &[u8]) -> bool {
    after_padding(body).starts_with(b"<") && !body.iter().take(4096).any(|b| *b == 0)
}

fn mime_of(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn not_html(mime: &str) -> FetchError {
    FetchError::NotHtml {
        content_type: if mime.is_empty() {
            "no content type, binary body".to_string()
        } else {
            mime.to_string()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj";

    fn padded(prefix: &[u8]) -> Vec<u8> {
        [prefix, PDF].concat()
    }

    #[test]
    fn a_signature_first_is_a_pdf_whatever_the_label() {
        for label in [
            None,
            Some(""),
            Some("application/pdf"),
            Some("Application/PDF; charset=binary"),
            Some("application/octet-stream"),
            Some("application/x-download"),
            Some("text/plain"),
            Some("text/html; charset=utf-8"),
        ] {
            assert!(is_pdf(label, PDF), "{label:?}");
            // Leading whitespace and a BOM (in either order) are padding, not content.
            for prefix in [
                b"\r\n".as_slice(),
                b"  \t\n",
                b"\xEF\xBB\xBF",
                b"\xEF\xBB\xBF\r\n",
                b"\n\xEF\xBB\xBF",
            ] {
                assert!(is_pdf(label, &padded(prefix)), "{label:?} {prefix:?}");
            }
        }
    }

    #[test]
    fn a_signature_further_in_counts_only_under_a_pdf_label() {
        let junk = padded(b"junk before the header\n");
        assert!(is_pdf(Some("application/pdf"), &junk));
        assert!(is_pdf(Some("application/x-pdf"), &junk));
        assert!(!is_pdf(Some("application/octet-stream"), &junk));
        assert!(!is_pdf(None, &junk));
        // Within the first KiB, as PDF readers allow, and no further.
        let mut late = vec![b'x'; PDF_SIGNATURE_WINDOW - SIGNATURE.len()];
        late.extend_from_slice(PDF);
        assert!(is_pdf(Some("application/pdf"), &late));
        let mut too_late = vec![b'x'; PDF_SIGNATURE_WINDOW - SIGNATURE.len() + 1];
        too_late.extend_from_slice(PDF);
        assert!(!is_pdf(Some("application/pdf"), &too_late));
    }

    #[test]
    fn markup_and_other_binaries_are_not_pdfs() {
        let page = b"<html><body>%PDF-1.4 explained</body></html>".as_slice();
        for label in [None, Some("text/html"), Some("application/pdf")] {
            assert!(!is_pdf(label, page), "{label:?}");
        }
        assert!(!is_pdf(Some("application/pdf"), b""));
        assert!(!is_pdf(Some("application/octet-stream"), b"PK\x03\x04"));
        // A zip that stores a PDF uncompressed: the signature is inside, not first.
        let zip = [b"PK\x03\x04\x14\0\0\0\0\0terms.pdf".as_slice(), PDF].concat();
        assert!(!is_pdf(Some("application/zip"), &zip));
        assert!(!is_pdf(None, &zip));
        // `%PDF` without the dash is not the signature.
        assert!(!is_pdf(None, b"%PDF1.7"));
    }

    #[test]
    fn a_reader_finds_a_header_in_the_first_kib_of_a_non_markup_body() {
        assert!(has_pdf_signature(PDF));
        assert!(has_pdf_signature(&padded(b"junk\n")));
        assert!(!has_pdf_signature(b"<p>%PDF-1.4</p>"));
        assert!(!has_pdf_signature(b"plain text"));
    }

    #[test]
    fn bodies_by_signature_then_type() {
        let html = b"<!doctype html><p>x".as_slice();
        assert_eq!(body_kind("text/html; charset=big5", html), Ok(Kind::Html));
        assert_eq!(body_kind("application/pdf", PDF), Ok(Kind::Pdf));
        assert_eq!(body_kind("application/octet-stream", PDF), Ok(Kind::Pdf));
        assert_eq!(body_kind("", PDF), Ok(Kind::Pdf));
        // A wrong label: the signature decides.
        assert_eq!(body_kind("text/html", PDF), Ok(Kind::Pdf));
        assert_eq!(body_kind("application/x-download", PDF), Ok(Kind::Pdf));
        // Padding before the signature is still a PDF; other text before it only when labelled.
        let late = b"\r\n\r\n%PDF-1.4 ...".as_slice();
        assert_eq!(body_kind("application/pdf", late), Ok(Kind::Pdf));
        assert_eq!(body_kind("text/plain", late), Ok(Kind::Pdf));
        let prose = b"See %PDF-1.4 for details".as_slice();
        assert_eq!(body_kind("text/plain", prose), Ok(Kind::Html));
        assert_eq!(body_kind("", b"  <!doctype html><p>x"), Ok(Kind::Html));
        assert_eq!(
            body_kind("", b"\xEF\xBB\xBF<!doctype html><p>x"),
            Ok(Kind::Html)
        );
        assert_eq!(
            body_kind("application/octet-stream", b"\x89PNG\r\n\x1a\n\0\0"),
            Err(FetchError::NotHtml {
                content_type: "application/octet-stream".into()
            })
        );
        assert_eq!(
            body_kind("", b"\0\0\0"),
            Err(FetchError::NotHtml {
                content_type: "no content type, binary body".into()
            })
        );
        assert!(
            body_kind("application/pdf", html)
                .unwrap_err()
                .to_string()
                .contains("without a %PDF- signature")
        );
        assert!(body_kind("application/zip", b"PK\x03\x04").is_err());
    }

    #[test]
    fn images_are_refused_before_their_body_is_read() {
        assert_eq!(
            refuse_by_type("image/png"),
            Err(FetchError::NotHtml {
                content_type: "image/png".into()
            })
        );
        assert!(refuse_by_type("text/css").is_err());
        for ok in [
            "text/html",
            "application/pdf",
            "application/octet-stream",
            "",
        ] {
            assert!(refuse_by_type(ok).is_ok(), "{ok}");
        }
    }
}
