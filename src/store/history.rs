//! History: read-only queries over a target's past checks and versions, for `status`, the daily
//! digest and tests. Nothing here writes; a check's writes are `versions`' job.

use rusqlite::{OptionalExtension, Row, params};

use super::versions::Version;
use super::{CheckStatus, Store, StoreError};

impl Store {
    /// The last check of a target: (started_at, status, error).
    pub fn last_check(&self, target: &str) -> Result<Option<LastCheck>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT started_at, status, error, http_status FROM checks
                 WHERE target = ?1 ORDER BY id DESC LIMIT 1",
                [target],
                LastCheck::from_row,
            )
            .optional()?)
    }

    /// Every stored version of a target, oldest first.
    pub fn versions(&self, target: &str) -> Result<Vec<Version>, StoreError> {
        let sql = format!(
            "SELECT {} FROM {} WHERE v.target = ?1 ORDER BY v.first_seen, v.id",
            Version::COLUMNS,
            Version::FROM
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([target], Version::from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Per target, the number of checks with `status` since `since`.
    pub fn status_counts_since(
        &self,
        status: CheckStatus,
        since: i64,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT target, count(*) FROM checks WHERE status = ?1 AND started_at >= ?2
             GROUP BY target ORDER BY target",
        )?;
        let rows = stmt.query_map(params![status, since], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// (checks, changes) since `since`, over all targets.
    pub fn activity_since(&self, since: i64) -> Result<(i64, i64), StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(status = ?2), 0) FROM checks WHERE started_at >= ?1",
            params![since, CheckStatus::Changed],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Number of checks and versions stored for a target (for tests and `status`).
    pub fn counts(&self, target: &str) -> Result<(i64, i64), StoreError> {
        let checks = self.conn.query_row(
            "SELECT count(*) FROM checks WHERE target = ?1",
            [target],
            |r| r.get(0),
        )?;
        let versions = self.conn.query_row(
            "SELECT count(*) FROM versions WHERE target = ?1",
            [target],
            |r| r.get(0),
        )?;
        Ok((checks, versions))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LastCheck {
    pub started_at: i64,
    pub status: CheckStatus,
    pub error: Option<String>,
    pub http_status: Option<u16>,
}

impl LastCheck {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<LastCheck> {
        Ok(LastCheck {
            started_at: r.get(0)?,
            status: r.get(1)?,
            error: r.get(2)?,
            http_status: r.get(3)?,
        })
    }
}
