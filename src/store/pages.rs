//! Raw pages: the page each current version was extracted from, compressed, kept so that a
//! selector or lexicon edit can re-derive the baseline without fetching again. One row per
//! target (the current version's page only), so the table grows with the targets, not the
//! checks. HTML is kept decoded (UTF-8), a PDF as its bytes; `kind` says which.
//!
//! Compression is zstd level 1 (issue 16: several times less CPU than zlib's default level on a
//! cold pass, and smaller). Rows written before it are zlib; each format starts with its own
//! magic bytes (zstd `28 B5 2F FD`, zlib `78 ..`), so a row says what it is and no migration
//! rewrites the table: an old row is read as zlib and replaced by zstd at its next change.

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
        let bytes = decompress(&compressed)?;
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
    let compressed = compress(raw.body.bytes())?;
    tx.prepare_cached(
        "INSERT INTO raw_pages (target, fetched_at, url, html, kind) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(target) DO UPDATE SET fetched_at = excluded.fetched_at,
             url = excluded.url, html = excluded.html, kind = excluded.kind",
    )?
    .execute(params![
        target,
        raw.fetched_at,
        raw.url,
        compressed,
        raw.body.kind()
    ])?;
    Ok(())
}

/// zstd's level 1: on the benchmark's carrier page (93 KB) it writes 19.4 KB where level 3 writes
/// 19.3 KB, at 740 against 630 MB/s, and compressing the kept page was ~9 % of a first check's
/// CPU at level 3 (issue 16). Frames of every level read the same.
const ZSTD_LEVEL: i32 = 1;
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];
/// A stored page is at most the fetch limit; a frame claiming more is corrupt.
const MAX_RAW: u64 = 256 * 1024 * 1024;

thread_local! {
    /// One compression context per thread, made on first use: a fresh context per page costs
    /// its allocation and a clear of its tables on every first version (issue 16's cold pass).
    static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

fn compress(bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
    let raw = |e: std::io::Error| StoreError::Raw(e.to_string());
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let compressor = match &mut *slot {
            Some(c) => c,
            None => slot.insert(zstd::bulk::Compressor::new(ZSTD_LEVEL).map_err(raw)?),
        };
        compressor.compress(bytes).map_err(raw)
    })
}

fn decompress(stored: &[u8]) -> Result<Vec<u8>, StoreError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    if stored.starts_with(&ZSTD_MAGIC) {
        zstd::stream::read::Decoder::new(stored)
            .map_err(|e| StoreError::Raw(e.to_string()))?
            .take(MAX_RAW)
            .read_to_end(&mut bytes)
    } else {
        flate2::read::ZlibDecoder::new(stored)
            .take(MAX_RAW)
            .read_to_end(&mut bytes)
    }
    .map_err(|e| StoreError::Raw(e.to_string()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zstd_round_trips_and_old_zlib_rows_still_read() {
        let page =
            "<html><body><p>To terminate, visit a shop. 終止服務</p></body></html>".repeat(50);
        let z = compress(page.as_bytes()).unwrap();
        assert!(z.starts_with(&ZSTD_MAGIC));
        assert!(z.len() < page.len() / 5);
        assert_eq!(decompress(&z).unwrap(), page.as_bytes());

        use std::io::Write;
        let mut old = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        old.write_all(page.as_bytes()).unwrap();
        let old = old.finish().unwrap();
        assert_eq!(decompress(&old).unwrap(), page.as_bytes());
        assert!(decompress(b"\x28\xb5\x2f\xfdgarbage").is_err());
    }
}
