//! The verdict box at the top of a change report: the verdict now (and before, if it flipped)
//! with the sentences that decide it, in the text part and as a coloured box in the HTML part.

use crate::diff::Severity;
use crate::extract::verdict::Assessment;

use super::format::escape_html;
use super::{ChangeReport, bound};

/// Writes the verdict box of `r` into both parts.
pub(super) fn push(r: &ChangeReport<'_>, text: &mut String, html: &mut String) {
    let c = r.change;
    text.push_str(&format!(
        "ONLINE CANCELLATION: {}{}\n",
        c.verdict_after,
        if c.verdict_before != c.verdict_after {
            format!(" (was {})", c.verdict_before)
        } else {
            String::new()
        }
    ));
    let by_product = products_line(r.after);
    if let Some(line) = &by_product {
        text.push_str(&format!("By product: {line}\n"));
    }
    let notes: Vec<String> = [
        r.after.answered_by.as_deref().map(later_line),
        weighed_line(r.after),
    ]
    .into_iter()
    .flatten()
    .collect();
    for line in &notes {
        text.push_str(&format!("{line}\n"));
    }
    html.push_str(&verdict_box_html(r, by_product.as_deref(), &notes));
    if c.severity == Severity::Verdict {
        text.push_str("\nBefore:\n");
        push_evidence_text(text, r.before, r.subject.target);
        text.push_str("After:\n");
        push_evidence_text(text, r.after, r.subject.target);
    } else if let Some(e) = r.after.key_sentence() {
        text.push_str(&format!(
            "  \"{}\"\n",
            bound::cut(&e.in_context(), bound::MAX_EVIDENCE_CHARS)
        ));
    }
    text.push('\n');
}

fn verdict_colour(v: crate::extract::verdict::Verdict) -> &'static str {
    match v {
        crate::extract::verdict::Verdict::Supported => "#1a7f37",
        crate::extract::verdict::Verdict::NotSupported => "#b42318",
        crate::extract::verdict::Verdict::Conflicting => "#b54708",
        crate::extract::verdict::Verdict::Unknown => "#555",
    }
}

/// The answers per product when the page answers products differently ("eSIM: supported;
/// prepaid: not-supported"), at most [`bound::MAX_PRODUCTS`] of them, each name cut: those
/// whose answer differs from the headline first, so the exceptions are never among the ones
/// left out. Product names come from the page.
fn products_line(a: &Assessment) -> Option<String> {
    if a.products.is_empty() {
        return None;
    }
    let mut ordered: Vec<&(String, crate::extract::verdict::Verdict)> = a.products.iter().collect();
    ordered.sort_by_key(|(_, v)| *v == a.verdict);
    let mut parts: Vec<String> = ordered
        .into_iter()
        .take(bound::MAX_PRODUCTS)
        .map(|(p, v)| format!("{}: {v}", bound::cut(p, bound::MAX_PRODUCT_CHARS)))
        .collect();
    let more = a.products.len().saturating_sub(bound::MAX_PRODUCTS);
    if more > 0 {
        parts.push(format!("{more} more"));
    }
    let mut line = parts.join("; ");
    // Whom the headline answers for, when the page is one group's: beside "personal: supported"
    // on a page for business lines, the reader sees why the headline is the other answer.
    if let Some(group) = a.group_answered() {
        line.push_str(&format!(
            " (the page is for {}: the headline answers for them)",
            bound::cut(group, bound::MAX_PRODUCT_CHARS)
        ));
    }
    Some(line)
}

/// Says which later word answers the page ("Update – 3 March 2026: …", a thread's latest
/// reply), so a reader sees why earlier offers no longer count. The text comes from the page.
fn later_line(later: &str) -> String {
    format!(
        "Answered by the latest word on the page: \"{}\" (earlier statements set aside)",
        bound::cut(later, bound::MAX_EVIDENCE_CHARS)
    )
}

/// Says when weighing the statements together gave another headline than the rules' own
/// answer, so a reader who counts the lines below sees why they read as they do.
/// The words that moved it most (of the features that did) are named with the stance of the
/// statement they stand in.
fn weighed_line(a: &Assessment) -> Option<String> {
    a.rules_read.map(|rules| {
        let words: Vec<String> = crate::extract::verdict::weigh::moved_by_words(a)
            .into_iter()
            .map(|(word, side)| format!("\"{word}\" ({side})"))
            .collect();
        let words = if words.is_empty() {
            String::new()
        } else {
            format!("; the words that weighed most: {}", words.join(", "))
        };
        format!(
            "Weighed together, the statements read {}; the rules alone read {rules}{words} \
             (`policywatch inspect --weighing` shows the weighing)",
            a.verdict
        )
    })
}

fn verdict_box_html(r: &ChangeReport<'_>, by_product: Option<&str>, notes: &[String]) -> String {
    let c = r.change;
    let mut h = format!(
        "<div style=\"border:2px solid {col};border-radius:6px;padding:10px 14px;margin:0 0 12px\">\
         <div style=\"font-weight:bold;color:{col}\">Online cancellation: {after}{was}</div>\n",
        col = verdict_colour(c.verdict_after),
        after = escape_html(c.verdict_after.as_str()),
        was = if c.verdict_before != c.verdict_after {
            format!(
                " <span style=\"color:#555;font-weight:normal\">(was {})</span>",
                c.verdict_before
            )
        } else {
            String::new()
        }
    );
    if let Some(line) = by_product {
        h.push_str(&format!(
            "<div style=\"margin:4px 0\">By product: {}</div>\n",
            escape_html(line)
        ));
    }
    for line in notes {
        h.push_str(&format!(
            "<div style=\"margin:4px 0;color:#333\">{}</div>\n",
            escape_html(line)
        ));
    }
    let quote = |h: &mut String, label: &str, a: &Assessment| {
        let (items, left) = a.shown(bound::MAX_EVIDENCE_LINES);
        if items.is_empty() {
            // `label` ("Before: ") is empty when the verdict did not change.
            h.push_str(&format!(
                "<div style=\"color:#555\">{label}no sentence about how to end the service</div>\n"
            ));
        }
        for e in items {
            h.push_str(&format!(
                "<div style=\"margin:4px 0\">{label}<q>{}</q> <span style=\"color:#777;font-size:12px\">({})</span></div>\n",
                escape_html(&bound::cut(&e.in_context(), bound::MAX_EVIDENCE_CHARS)),
                escape_html(&e.shown_label())
            ));
        }
        if left > 0 {
            h.push_str(&format!(
                "<div style=\"color:#555;font-size:12px\">{}</div>\n",
                escape_html(&more_line(left, r.subject.target))
            ));
        }
    };
    if c.severity == Severity::Verdict {
        quote(&mut h, "Before: ", r.before);
        quote(&mut h, "After: ", r.after);
    } else {
        quote(&mut h, "", r.after);
    }
    h.push_str("</div>\n");
    h
}

fn push_evidence_text(text: &mut String, a: &Assessment, target: &str) {
    let (items, left) = a.shown(bound::MAX_EVIDENCE_LINES);
    if items.is_empty() {
        text.push_str("  (no sentence about how to end the service)\n");
    }
    for e in items {
        text.push_str(&format!(
            "  \"{}\" [{}]\n",
            bound::cut(&e.in_context(), bound::MAX_EVIDENCE_CHARS),
            e.shown_label()
        ));
    }
    if left > 0 {
        text.push_str(&format!("  {}\n", more_line(left, target)));
    }
}

/// What the box says of the deciding sentences it leaves out, and where to read them all (a
/// target's name is the config's, letters, digits and `._-` only).
fn more_line(left: usize, target: &str) -> String {
    format!(
        "… and {left} more sentence{}: `policywatch inspect {target}` shows them all",
        if left == 1 { "" } else { "s" }
    )
}
