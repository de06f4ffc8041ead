//! Raw pages: the page each current version was extracted from, zlib-compressed, kept so that a
//! selector or lexicon edit can re-derive the baseline without fetching again.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Store, StoreError};

/// The page a version was extracted from, kept so a config edit can re-derive the baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPage {
    pub fetched_at: i64,
    pub url: String,
    pub html: String,
}

impl Store {
    /// The raw page the current version came from.
    pub fn raw_page(&self, target: &str) -> Result<Option<RawPage>, StoreError> {
        let row: Option<(i64, String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT fetched_at, url, html FROM raw_pages WHERE target = ?1",
                [target],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((fetched_at, url, compressed)) = row else {
            return Ok(None);
        };
        let mut html = String::new();
        use std::io::Read;
        flate2::read::ZlibDecoder::new(compressed.as_slice())
            .read_to_string(&mut html)
            .map_err(|e| StoreError::Raw(e.to_string()))?;
        Ok(Some(RawPage {
            fetched_at,
            url,
            html,
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
    z.write_all(raw.html.as_bytes())
        .and_then(|_| z.flush())
        .map_err(|e| StoreError::Raw(e.to_string()))?;
    let compressed = z.finish().map_err(|e| StoreError::Raw(e.to_string()))?;
    tx.execute(
        "INSERT INTO raw_pages (target, fetched_at, url, html) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(target) DO UPDATE SET fetched_at = excluded.fetched_at,
             url = excluded.url, html = excluded.html",
        params![target, raw.fetched_at, raw.url, compressed],
    )?;
    Ok(())
}
