//! Opening the database: read-write with migrations (`check`, `run`), or read-only (`status`,
//! `history`, `diff`), which must work where the database's folder cannot be written.
//!
//! A WAL database is normally read through its `-shm` index, which SQLite creates beside the
//! file. In a folder this process cannot write, a read-only open falls back to SQLite's
//! `immutable` mode, which needs no index; that is safe only when no write-ahead log holds
//! changes, so with a non-empty `-wal` it says that the log must be replayed first.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{SCHEMA_VERSION, Store, StoreError, migrations};

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        let open_err = |source| StoreError::Open {
            path: name.clone(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A missing folder would otherwise surface as SQLite's terse "unable to open".
            if !dir.is_dir() {
                return Err(open_err(rusqlite::Error::InvalidPath(dir.to_path_buf())));
            }
        }
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(open_err)?;
        // Switching a new database to WAL takes an exclusive lock that SQLite's busy handler does
        // not wait for: a second process opening the same new file at that moment gets
        // SQLITE_BUSY at once, so it waits and tries again, as for the migrations below.
        let mut attempt = 0;
        while let Err(e) = conn.pragma_update(None, "journal_mode", "WAL") {
            if attempt >= 10 || !is_busy(&e) {
                return Err(open_err(e));
            }
            attempt += 1;
            std::thread::sleep(Duration::from_millis(50 * attempt));
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        // A check runs about a dozen statements: they are prepared once and kept.
        conn.set_prepared_statement_cache_capacity(32);
        // A newer schema is not a race to wait out: say so at once.
        newer_schema(&conn, &name)?;
        // Two processes opening a new database at once race on the first migration: the loser
        // sees SQLITE_BUSY, waits and finds the schema up to date.
        let mut attempt = 0;
        loop {
            match migrations().to_latest(&mut conn) {
                Ok(()) => break,
                Err(_) if attempt < 10 => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(100 * attempt));
                    newer_schema(&conn, &name)?;
                }
                Err(source) => {
                    return Err(StoreError::Migrate {
                        path: name.clone(),
                        source,
                    });
                }
            }
        }
        Ok(Store { conn })
    }

    /// Opens an existing database for reading only (`status`, `history`, `diff`): it never
    /// creates the file, never migrates and writes nothing beside it. A missing file, or a
    /// schema other than this binary's, is an error that says what to do.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        if matches!(std::fs::metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound) {
            return Err(StoreError::Unavailable(format!(
                "no database at {name} yet: run `policywatch check` first, or pass --database / \
                 $POLICYWATCH_DATABASE (the systemd unit keeps it in /var/lib/policywatch)"
            )));
        }
        let conn = match open_ro(path, false).and_then(|c| schema_of(&c).map(|v| (c, v))) {
            Ok((conn, have)) => check_schema(conn, have, &name)?,
            // The index beside the file could not be made or opened: read the file as it is,
            // which is exact only without a write-ahead log still holding changes.
            Err(e) if cannot_index(&e) => {
                let wal = path.with_file_name(format!(
                    "{}-wal",
                    path.file_name()
                        .map(|f| f.to_string_lossy())
                        .unwrap_or_default()
                ));
                if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                    return Err(StoreError::Unavailable(format!(
                        "{name}: its write-ahead log {} holds changes that must be \
                         replayed first, which needs write access to its folder: run \
                         `policywatch check` (or `status`) once as a user who can write there",
                        wal.display()
                    )));
                }
                let conn = open_ro(path, true).map_err(|source| StoreError::Open {
                    path: name.clone(),
                    source,
                })?;
                let have = schema_of(&conn).map_err(|source| StoreError::Open {
                    path: name.clone(),
                    source,
                })?;
                check_schema(conn, have, &name)?
            }
            Err(source) => {
                return Err(StoreError::Open {
                    path: name.clone(),
                    source,
                });
            }
        };
        Ok(Store { conn })
    }
}

fn open_ro(path: &Path, immutable: bool) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if immutable {
        let abs = std::path::absolute(path)
            .map_err(|_| rusqlite::Error::InvalidPath(path.to_path_buf()))?;
        let url = url::Url::from_file_path(&abs)
            .map_err(|_| rusqlite::Error::InvalidPath(path.to_path_buf()))?;
        Connection::open_with_flags(
            format!("{url}?immutable=1"),
            flags | OpenFlags::SQLITE_OPEN_URI,
        )?
    } else {
        Connection::open_with_flags(path, flags)?
    };
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(conn)
}

fn schema_of(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// The errors of a read-only open of a WAL database whose `-shm` cannot be made or opened.
fn cannot_index(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
    )
}

fn check_schema(conn: Connection, have: i64, name: &str) -> Result<Connection, StoreError> {
    if have > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: name.to_string(),
            have,
            known: SCHEMA_VERSION,
        });
    }
    if have < SCHEMA_VERSION {
        return Err(StoreError::Unavailable(format!(
            "{name} has schema version {have}, but this policywatch needs version \
             {SCHEMA_VERSION}: run `policywatch check` once to upgrade it"
        )));
    }
    Ok(conn)
}

fn newer_schema(conn: &Connection, name: &str) -> Result<(), StoreError> {
    let have = schema_of(conn).map_err(|source| StoreError::Open {
        path: name.to_string(),
        source,
    })?;
    if have > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: name.to_string(),
            have,
            known: SCHEMA_VERSION,
        });
    }
    Ok(())
}

pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
