//! The status of a check as `checks.status` keeps it: one typed value instead of bare strings,
//! read and written through rusqlite's `FromSql`/`ToSql`.

/// What a check found, as kept in `checks.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckStatus {
    /// The target's first version.
    New,
    Unchanged,
    Changed,
    /// The fetch or the extraction failed.
    Error,
    /// A change not accepted yet: its wording missing for fewer checks than `lost_after`.
    Held,
    /// A change that a second fetch did not confirm.
    Flapping,
    /// A new baseline after a configuration change, without an alert.
    Rebaseline,
}

impl CheckStatus {
    pub const ALL: [CheckStatus; 7] = [
        CheckStatus::New,
        CheckStatus::Unchanged,
        CheckStatus::Changed,
        CheckStatus::Error,
        CheckStatus::Held,
        CheckStatus::Flapping,
        CheckStatus::Rebaseline,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::New => "new",
            CheckStatus::Unchanged => "unchanged",
            CheckStatus::Changed => "changed",
            CheckStatus::Error => "error",
            CheckStatus::Held => "held",
            CheckStatus::Flapping => "flapping",
            CheckStatus::Rebaseline => "rebaseline",
        }
    }
}

impl std::fmt::Display for CheckStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown check status `{0}`")]
pub struct UnknownCheckStatus(pub String);

impl std::str::FromStr for CheckStatus {
    type Err = UnknownCheckStatus;
    fn from_str(s: &str) -> Result<CheckStatus, UnknownCheckStatus> {
        CheckStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCheckStatus(s.to_string()))
    }
}

impl rusqlite::types::ToSql for CheckStatus {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for CheckStatus {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        v.as_str()?
            .parse()
            .map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
    }
}
