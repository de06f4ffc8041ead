//! Feed: the latest alerts as an Atom feed, for feed readers.
//!
//! Built from the outbox (what was stored is what the feed says, whether or not a channel has
//! delivered it yet), written to `[feed] path` after every pass that stored an alert, and served
//! at `/feed.atom` on the `[metrics]` listener. Every text from a page goes through the Atom
//! writer's escaping; an entry's HTML content is the alert's own, already escaped, section.

use std::path::Path;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{TimeZone, Utc};

use crate::config::Config;
use crate::notify::payload::Payload;
use crate::notify::report::html_section;
use crate::store::{Alert, Store, StoreError};

/// An entry's HTML content at most; a longer alert is given as the start of its text.
const MAX_ENTRY_HTML: usize = 64 * 1024;
const MAX_ENTRY_TEXT: usize = 16 * 1024;

/// Feed ids are URNs made from the config's message domain, so two installations differ.
fn urn(domain: &str, what: &str) -> String {
    format!("urn:policywatch:{domain}:{what}")
}

fn time(ts: i64) -> FixedDateTime {
    Utc.timestamp_opt(ts, 0)
        .single()
        .unwrap_or_default()
        .fixed_offset()
}

/// The feed of `alerts` (newest first). Pure: the caller reads the store.
pub fn render(alerts: &[Alert], domain: &str) -> String {
    let entries: Vec<Entry> = alerts.iter().map(|a| entry(a, domain)).collect();
    let updated = alerts.first().map_or(0, |a| a.created_at);
    let feed = Feed {
        title: Text::plain("policywatch: changes in carriers' cancellation terms"),
        id: urn(domain, "feed"),
        updated: time(updated),
        authors: vec![Person {
            name: "policywatch".into(),
            ..Person::default()
        }],
        entries,
        ..Feed::default()
    };
    feed.to_string()
}

fn entry(a: &Alert, domain: &str) -> Entry {
    let payload: Option<Payload> = a
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok());
    let url = payload.as_ref().and_then(|p| p.url.clone());
    let title = a
        .message
        .subject
        .strip_prefix("[policywatch] ")
        .unwrap_or(&a.message.subject)
        .to_string();
    let id = a.message.message_id.trim_matches(['<', '>']);
    // Alerts are bounded already; the feed holds many of them, so a long one is given as the
    // start of its text (HTML cannot be cut safely).
    let content = match a
        .message
        .body_html
        .as_deref()
        .and_then(html_section)
        .filter(|h| h.len() <= MAX_ENTRY_HTML)
    {
        Some(html) => Content {
            value: Some(html.to_string()),
            content_type: Some("html".into()),
            ..Content::default()
        },
        None => Content {
            value: Some(
                crate::notify::report::bound::cut_bytes(&a.message.body_text, MAX_ENTRY_TEXT)
                    .into_owned(),
            ),
            content_type: Some("text".into()),
            ..Content::default()
        },
    };
    Entry {
        title: Text::plain(title),
        id: urn(domain, id),
        updated: time(a.created_at),
        links: url
            .map(|href| Link {
                href,
                rel: "alternate".into(),
                ..Link::default()
            })
            .into_iter()
            .collect(),
        content: Some(content),
        ..Entry::default()
    }
}

/// The feed for `config` from `store`, whether or not `[feed]` is on (the metrics listener
/// serves it too).
pub fn current(config: &Config, store: &Store) -> Result<String, StoreError> {
    let entries = config
        .feed
        .as_ref()
        .map_or(crate::config::DEFAULT_FEED_ENTRIES, |f| f.entries);
    let alerts = store.recent_target_alerts(entries)?;
    Ok(render(&alerts, &config.message_domain()))
}

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the feed {}: {source}", path.display())]
    Write {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Rewrites `[feed] path` (atomically: a reader never sees half a feed). Nothing without `[feed]`.
pub fn write(config: &Config, store: &Store) -> Result<(), FeedError> {
    let Some(feed) = &config.feed else {
        return Ok(());
    };
    let xml = current(config, store)?;
    write_file(&feed.path, &xml).map_err(|source| FeedError::Write {
        path: feed.path.clone(),
        source,
    })
}

fn write_file(path: &Path, xml: &str) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, xml)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::AlertMessage;

    fn alert(id: i64, subject: &str, html: Option<&str>) -> Alert {
        Alert {
            id,
            target: Some("t1".into()),
            message: AlertMessage {
                kind: "change".into(),
                message_id: format!("<{id}.t1@example.org>"),
                thread_id: None,
                subject: subject.into(),
                body_text: "- old <b>\n+ new\n".into(),
                body_html: html.map(str::to_string),
            },
            payload: Some(
                Payload::plain("change", "h", 1_800_000_000)
                    .about("t1", "C", "https://example.org/terms?a=1&b=2")
                    .finish("<x@example.org>", "text"),
            ),
            created_at: 1_800_000_000 + id,
        }
    }

    #[test]
    fn entries_are_escaped_and_linked() {
        let html = "<html><!-- policywatch:section --><h2>t1: &lt;script&gt;</h2><!-- /policywatch:section --><p>footer</p>";
        let xml = render(
            &[
                alert(
                    2,
                    "[policywatch] C: t1: <script>alert(1)</script>",
                    Some(html),
                ),
                alert(1, "[policywatch] C: t1: wording changed", None),
            ],
            "example.org",
        );
        let feed: Feed = xml.parse().expect("valid Atom");
        assert_eq!(feed.entries.len(), 2);
        assert_eq!(
            feed.entries[0].title.value,
            "C: t1: <script>alert(1)</script>"
        );
        assert!(!xml.contains("<script>"), "escaped: {xml}");
        assert_eq!(
            feed.entries[0].links[0].href,
            "https://example.org/terms?a=1&b=2"
        );
        let content = feed.entries[0].content.as_ref().unwrap();
        assert_eq!(content.content_type.as_deref(), Some("html"));
        assert!(!content.value.as_deref().unwrap().contains("footer"));
        assert_eq!(
            feed.entries[1].content.as_ref().unwrap().value.as_deref(),
            Some("- old <b>\n+ new\n")
        );
        assert_eq!(
            feed.entries[0].id,
            "urn:policywatch:example.org:2.t1@example.org"
        );
    }

    #[test]
    fn an_empty_feed_is_valid() {
        let feed: Feed = render(&[], "example.org").parse().unwrap();
        assert!(feed.entries.is_empty());
    }
}
