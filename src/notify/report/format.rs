//! The small pieces every report and digest shares: HTML escaping, header-safe text, times in
//! the config's time zone, and Message-IDs. Anything from a page passes through here before it
//! reaches a part or a header.

use chrono::{DateTime, TimeZone, Utc};

use crate::extract::normalise::is_invisible;
use crate::zone::Zone;

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A block's text as escaped HTML, its struck runs (`~~…~~`, [`crate::extract::block::STRUCK`])
/// drawn struck through, as the page draws them, instead of showing the marks. A mark without
/// its pair is shown as it is.
pub fn page_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for (struck, piece) in crate::extract::block::struck_pieces(s) {
        if struck {
            out.push_str(STRUCK_OPEN);
            out.push_str(&escape_html(piece));
            out.push_str("</s>");
        } else {
            out.push_str(&escape_html(piece));
        }
    }
    out
}

const STRUCK_OPEN: &str = "<s style=\"text-decoration:line-through;opacity:0.75\">";

/// Makes text safe for a header: no CR, LF or other control characters, no invisible (bidi)
/// characters, bounded length.
pub fn header_safe(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(200).collect()
}

pub fn format_time(ts: i64, tz: &Zone) -> String {
    match Utc.timestamp_opt(ts, 0).single() {
        Some(t) => {
            let local: DateTime<Zone> = t.with_timezone(tz);
            format!("{} ({})", local.format("%Y-%m-%d %H:%M"), tz_abbrev(tz))
        }
        None => ts.to_string(),
    }
}

fn tz_abbrev(tz: &Zone) -> &str {
    match tz.name() {
        crate::zone::HONG_KONG => "HKT",
        name => name,
    }
}

/// A Message-ID that is unique and stable once stored.
pub fn new_message_id(target: &str, domain: &str) -> String {
    format!(
        "<{}.{}@{}>",
        uuid::Uuid::new_v4().simple(),
        header_safe(target).replace(' ', "-"),
        domain
    )
}

/// The Message-ID every alert of a target refers to, so mail clients thread them.
pub fn thread_id(target: &str, domain: &str) -> String {
    format!(
        "<thread.{}@{}>",
        header_safe(target).replace(' ', "-"),
        domain
    )
}
