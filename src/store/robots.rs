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

    /// Keeps `read` (each replacing its origin's copy: this process read it just now) and
    /// forgets every copy read before `before` or dated after `now` (a clock set back would
    /// otherwise keep it fresh for ever), in one transaction.
    pub fn keep_robots(
        &mut self,
        read: &[Remembered],
        before: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut put = tx.prepare_cached(
                "INSERT INTO robots (origin, read_at, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (origin) DO UPDATE SET read_at = excluded.read_at, body = excluded.body",
            )?;
            for r in read {
                put.execute(params![r.origin, r.read_at, r.body])?;
            }
        }
        tx.execute(
            "DELETE FROM robots WHERE read_at < ?1 OR read_at > ?2",
            [before, now],
        )?;
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
    fn robots_are_kept_replaced_and_forgotten_when_old_or_from_the_future() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now = 1_000_000;
        let a1 = read(
            "https://a.example",
            now - 100,
            Some("User-agent: *\nDisallow: /x\n"),
        );
        let b = read("https://b.example", now - 50, None);
        store.keep_robots(&[a1.clone(), b.clone()], 0, now).unwrap();
        assert_eq!(store.robots_since(0).unwrap(), vec![b.clone(), a1]);
        // A copy read now replaces the origin's, and copies read before `before` go.
        let a2 = read("https://a.example", now, Some("User-agent: *\nAllow: /\n"));
        store
            .keep_robots(std::slice::from_ref(&a2), now - 60, now)
            .unwrap();
        assert_eq!(store.robots_since(0).unwrap(), vec![a2.clone(), b]);
        store.keep_robots(&[], now - 10, now).unwrap();
        assert_eq!(store.robots_since(0).unwrap(), vec![a2.clone()]);
        // After the clock was set back a day: the copy "from the future" is forgotten, and
        // today's read replaces it.
        let earlier = now - 86_400;
        store.keep_robots(&[], earlier - 86_400, earlier).unwrap();
        assert!(store.robots_since(0).unwrap().is_empty());
        let a3 = read("https://a.example", now + 86_400, None);
        store
            .keep_robots(std::slice::from_ref(&a3), 0, now + 86_400)
            .unwrap();
        let today = read(
            "https://a.example",
            now,
            Some("User-agent: *\nDisallow: /\n"),
        );
        store
            .keep_robots(std::slice::from_ref(&today), 0, now)
            .unwrap();
        assert_eq!(store.robots_since(0).unwrap(), vec![today]);
    }
}
