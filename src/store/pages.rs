//! Raw pages: the page each current version was extracted from, zlib-compressed, kept so that a
//! selector or lexicon edit can re-derive the baseline without fetching again. HTML is kept
//! decoded (UTF-8), a PDF as its bytes; `kind` says which.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Store, StoreError};
use crate::fetch::Body;

/// The page a version was extracted from, kept so a config edit can re-derive the baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPage {
    pub fetched_at: i64,
    pub url: String,
    /// Kept as fetched, so re-extraction sees what a fetch saw.
    pub body: Body,
}

impl Store {
    /// The raw page the current version came from.
    pub fn raw_page(&self, target: &str) -> Result<Option<RawPage>, StoreError> {
        let row: Option<(i64, String, Vec<u8>, String)> = self
            .conn
            .query_row(
                "SELECT fetched_at, url, html, kind FROM raw_pages WHERE target = ?1",
                [target],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((fetched_at, url, compressed, kind)) = row else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        use std::io::Read;
        flate2::read::ZlibDecoder::new(compressed.as_slice())
            .read_to_end(&mut bytes)
            .map_err(|e| StoreError::Raw(e.to_string()))?;
        let body = match kind.as_str() {
            "pdf" => Body::Pdf(bytes),
            _ => Body::Html(String::from_utf8(bytes).map_err(|e| StoreError::Raw(e.to_string()))?),
        };
        Ok(Some(RawPage {
            fetched_at,
            url,
            body,
        }))
    }
}

pub(super) fn save_raw(
    tx: &Transaction<'_>,
    target: &str,
    raw: &RawPage,
) -> Result<(), StoreError> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(raw.body.bytes())
        .and_then(|_| z.flush())
        .map_err(|e| StoreError::Raw(e.to_string()))?;
    let compressed = z.finish().map_err(|e| StoreError::Raw(e.to_string()))?;
    tx.execute(
        "INSERT INTO raw_pages (target, fetched_at, url, html, kind) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(target) DO UPDATE SET fetched_at = excluded.fetched_at,
             url = excluded.url, html = excluded.html, kind = excluded.kind",
        params![target, raw.fetched_at, raw.url, compressed, raw.body.kind()],
    )?;
    Ok(())
}
