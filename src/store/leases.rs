//! Leases: one process checks a target at a time. A holder is `<pid>@<host>`, and a holder on
//! this host whose process is gone holds nothing, so a `kill -9` never blocks the next check.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior, params};

use super::versions::{TargetState, read_lease_and_state};
use super::{Store, StoreError};

/// The outcome of asking for a target's lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lease {
    /// Taken; the target's state, read in the same transaction.
    Taken(TargetState),
    /// Another live process holds it.
    Busy(String),
}

impl Store {
    /// Takes the per-target lease for `holder` until `until`, unless another live holder has
    /// it, and reads the target's state in the same transaction.
    pub fn take_lease(
        &mut self,
        target: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> Result<Lease, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing = read_lease_and_state(&tx, target)?;
        if let Some((Some(other), Some(other_until), _)) = &existing
            && other != holder
            && *other_until > now
            && holder_alive(other)
        {
            return Ok(Lease::Busy(other.clone()));
        }
        // A target never checked gets its row here, lease included: two processes that both
        // found no row would otherwise both check it and both alert. Its first check fills in
        // the carrier and URL.
        tx.prepare_cached(
            "INSERT INTO targets (name, carrier, url, created_at, lease_holder, lease_until)
             VALUES (?1, '', '', ?4, ?2, ?3)
             ON CONFLICT(name) DO UPDATE SET lease_holder = ?2, lease_until = ?3",
        )?
        .execute(params![target, holder, until, now])?;
        // Read before the lease was written, which changes no state; a new row has none.
        let state = existing.map(|(_, _, state)| state).unwrap_or_default();
        tx.commit()?;
        Ok(Lease::Taken(state))
    }

    pub fn release_lease(&self, target: &str, holder: &str) -> Result<(), StoreError> {
        release_lease(&self.conn, target, holder)
    }
}

/// A lease holder is `<pid>@<host>`; on this host a holder whose process is gone holds nothing
/// (a `kill -9` must not block the next check for the lease's lifetime).
pub(super) fn holder_alive(holder: &str) -> bool {
    let Some((pid, host)) = holder.split_once('@') else {
        return true;
    };
    if host != lease_host() {
        return true;
    }
    Path::new("/proc").join(pid).exists()
}

/// Read once per process: it is asked on every check, and a host renamed while the daemon runs
/// only makes its own stale leases look foreign until they expire.
fn lease_host() -> &'static str {
    static HOST: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HOST.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_default()
    })
}

/// This process as a lease holder.
pub fn lease_holder() -> String {
    format!("{}@{}", std::process::id(), lease_host())
}

fn release_lease(conn: &Connection, target: &str, holder: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE targets SET lease_holder = NULL, lease_until = NULL
         WHERE name = ?1 AND lease_holder = ?2",
    )?
    .execute(params![target, holder])?;
    Ok(())
}
