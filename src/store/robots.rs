//! robots.txt as last read per origin ([`crate::fetch::robots`] keeps it in memory): the next
//! process that checks, a daemon's new worker or the next `policywatch check`, starts from it.

use rusqlite::params;

use super::{Store, StoreError};
use crate::fetch::robots::Remembered;

/// The most origins read back: far more than any config's hosts (what is not read back is only
/// asked again).
pub const MAX_ROBOTS: usize = 10_000;

impl Store {
    /// The robots.txt files read at or after `since` (Unix seconds), newest first, at most
    /// [`MAX_ROBOTS`].
    pub fn robots_since(&self, since: i64) -> Result<Vec<Remembered>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT origin, read_at, body FROM robots WHERE read_at >= ?1
             ORDER BY read_at DESC LIMIT ?2",
        )?;
        let limit = i64::try_from(MAX_ROBOTS).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![since, limit], |r| {
            Ok(Remembered {
                origin: r.get(0)?,
                read_at: r.get(1)?,
                body: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Keeps `read` (each replacing its origin's older copy) and forgets every copy read before
    /// `before`, in one transaction.
    pub fn keep_robots(&mut self, read: &[Remembered], before: i64) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut put = tx.prepare_cached(
                "INSERT INTO robots (origin, read_at, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (origin) DO UPDATE SET read_at = excluded.read_at, body = excluded.body
                 WHERE excluded.read_at >= robots.read_at",
            )?;
            for r in read {
                put.execute(params![r.origin, r.read_at, r.body])?;
            }
        }
        tx.execute("DELETE FROM robots WHERE read_at < ?1", [before])?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(origin: &str, at: i64, body: Option<&str>) -> Remembered {
        Remembered {
            origin: origin.into(),
            read_at: at,
            body: body.map(|b| b.as_bytes().to_vec()),
        }
    }

    #[test]
    fn robots_are_kept_replaced_by_newer_and_forgotten_when_old() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let a1 = read(
            "https://a.example",
            100,
            Some("User-agent: *\nDisallow: /x\n"),
        );
        let b = read("https://b.example", 150, None);
        store.keep_robots(&[a1.clone(), b.clone()], 0).unwrap();
        assert_eq!(store.robots_since(0).unwrap(), vec![b.clone(), a1.clone()]);
        // An older copy never replaces a newer one; a newer one does.
        store
            .keep_robots(&[read("https://a.example", 50, None)], 0)
            .unwrap();
        assert_eq!(store.robots_since(100).unwrap(), vec![b.clone(), a1]);
        let a2 = read("https://a.example", 200, Some("User-agent: *\nAllow: /\n"));
        store.keep_robots(std::slice::from_ref(&a2), 120).unwrap();
        // b (150) stays; a is the new copy; nothing before 120 is left.
        assert_eq!(store.robots_since(0).unwrap(), vec![a2.clone(), b]);
        store.keep_robots(&[], 160).unwrap();
        assert_eq!(store.robots_since(0).unwrap(), vec![a2]);
    }
}
