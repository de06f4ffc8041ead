//! The frame around every alert: its headline, where and when, the footer saying why the reader
//! gets it, the HTML head, and the markers a digest uses to lift an alert's own content out. It
//! also makes the stored `NewAlert`, with every part neutralised for people last.

use crate::extract::normalise::for_people;
use crate::notify::payload::Payload;
use crate::store::{AlertMessage, NewAlert};

use super::format::{escape_html, format_time, header_safe, new_message_id, thread_id};
use super::{Context, Subject, bound};

/// Around an alert's own content in its HTML part (after the head, before the footer), so that a
/// digest can show held alerts as sections styled as they are alone.
const SECTION_START: &str = "<!-- policywatch:section -->";
const SECTION_END: &str = "<!-- /policywatch:section -->";

/// The content of an alert's HTML part without its head and footer; `None` for HTML made
/// before the markers existed.
pub fn html_section(html: &str) -> Option<&str> {
    let start = html.find(SECTION_START)? + SECTION_START.len();
    let end = start + html[start..].find(SECTION_END)?;
    Some(&html[start..end])
}

/// The parts every alert shares: headline, where and when, and the footer saying why the reader
/// gets it; both bodies are built side by side.
pub(super) struct Body {
    pub(super) text: String,
    pub(super) html: String,
}

impl Body {
    pub(super) fn open(s: &Subject<'_>, headline: &str, seen_at: i64, ctx: &Context<'_>) -> Body {
        // A headline can carry a server's error message: bounded like a block.
        let headline = bound::cut(headline, bound::MAX_BLOCK_CHARS);
        let seen = format_time(seen_at, &ctx.timezone);
        let text = format!(
            "{headline}\n\nCarrier: {}\nPage:    {}\nSeen:    {seen}\n\n",
            s.carrier, s.url
        );
        let html = format!(
            "{HTML_HEAD}{SECTION_START}<h2 style=\"margin:0 0 8px\">{}</h2>\n<p style=\"margin:0 0 16px;color:#555\">{} · seen {} · <a href=\"{}\">{}</a></p>\n",
            escape_html(&headline),
            escape_html(s.carrier),
            escape_html(&seen),
            escape_html(s.url),
            escape_html(s.url)
        );
        Body { text, html }
    }

    pub(super) fn close(
        mut self,
        kind: &str,
        s: &Subject<'_>,
        headline: &str,
        digest: bool,
        payload: Payload,
        ctx: &Context<'_>,
    ) -> NewAlert {
        let footer = footer_text(s, ctx);
        self.text.push_str(&format!("-- \n{footer}\n"));
        self.html.push_str(&format!(
            "{SECTION_END}<p style=\"margin-top:24px;color:#777;font-size:12px\">{}</p>\n</body></html>\n",
            escape_html(&footer)
        ));
        let message_id = new_message_id(s.target, ctx.domain);
        NewAlert {
            // The payload can reach a person too (a Slack message): neutralised the same way.
            payload: for_people(&payload.finish(&message_id, &self.text)).into_owned(),
            message: AlertMessage {
                kind: kind.into(),
                message_id,
                thread_id: Some(thread_id(s.target, ctx.domain)),
                subject: header_safe(&format!("[policywatch] {}: {headline}", s.carrier)),
                body_text: for_people(&self.text).into_owned(),
                body_html: Some(for_people(&self.html).into_owned()),
            },
            digest,
        }
    }
}

fn footer_text(s: &Subject<'_>, ctx: &Context<'_>) -> String {
    format!(
        "You get this because your policywatch watches {} ({}) for changes in what it says about \
         cancelling a service. Times are {}.",
        s.target,
        s.carrier,
        ctx.timezone.name()
    )
}

pub const HTML_HEAD: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width\"></head>\n\
<body style=\"font-family:-apple-system,'Segoe UI',Roboto,'Noto Sans TC','PingFang HK',sans-serif;\
font-size:15px;line-height:1.5;color:#222;max-width:720px\">\n";
