//! Opening the database: for a run (read-write, created and migrated as needed), or for a
//! command that only reads (`report`, `compare`, `advise`), which must work on a file or a
//! folder the user cannot write and must never write itself.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::fault::database_error;
use super::{Store, schema};
use crate::error::{StorageFault, UserError};

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, UserError> {
        let fail = |err: anyhow::Error| database_error(path, err);
        if path.is_dir() {
            return Err(fail(anyhow::anyhow!("it is a folder")));
        }
        // Before SQLite opens it: opened read-only (as SQLite does, silently, with a file it
        // cannot write), it would make a WAL and index beside it that stop later writers.
        if let Some(cause) = cannot_write(path) {
            return Err(UserError::Storage {
                path: path.to_path_buf(),
                fault: StorageFault::ReadOnly,
                cause,
            });
        }
        let conn = Connection::open(path).map_err(|e| fail(e.into()))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| fail(e.into()))?;
        // WAL lets `versus report` read while a run writes; not every filesystem has it.
        let _ = conn.pragma_update(None, "journal_mode", "WAL");
        schema::migrate(&conn).map_err(fail)?;
        // Say so now, before a run has discovered, built and measured what it cannot store.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(UserError::Storage {
                path: path.to_path_buf(),
                fault: StorageFault::ReadOnly,
                cause: "SQLite opened it read-only".into(),
            });
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens the database at `path` to read it, writing nothing: not the file, and not a
    /// migration, unless its schema is older than this versus's, which is upgraded as before
    /// where the file can be written and named as the problem where it cannot. A file that
    /// does not exist reads as a database without runs (and is not created).
    pub fn open_read_only(path: &Path) -> Result<Store, UserError> {
        let fail = |err: anyhow::Error| database_error(path, err);
        if path.is_dir() {
            return Err(fail(anyhow::anyhow!("it is a folder")));
        }
        if !path.exists() {
            return match path.parent().filter(|p| !p.as_os_str().is_empty()) {
                Some(folder) if !folder.is_dir() => Err(fail(anyhow::anyhow!(
                    "its folder {} does not exist",
                    folder.display()
                ))),
                _ => Store::empty_at(path),
            };
        }
        let (conn, version) = connect_read_only(path).map_err(|e| fail(e.into()))?;
        if version == 0 && !has_runs_table(&conn).map_err(|e| fail(e.into()))? {
            // An empty file (`touch versus.db`): nothing stored yet.
            return Store::empty_at(path);
        }
        if version < schema::CURRENT {
            drop(conn);
            return Store::open(path).map_err(|err| older_schema(err, version));
        }
        if version > schema::CURRENT {
            // Says which versus wrote it.
            schema::schema_version(&conn).map_err(fail)?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// A database without runs that names `path` ("no run `latest` in PATH"), kept in memory:
    /// what reading a file that does not exist yet finds.
    pub fn empty_at(path: &Path) -> Result<Store, UserError> {
        let mut store = Store::in_memory().map_err(|err| database_error(path, err))?;
        store.path = path.to_path_buf();
        Ok(store)
    }
}

/// A read-only connection and the schema version it read.
///
/// A WAL database is read through its `-shm` index, which SQLite makes beside the file if it
/// is missing, with the file's mode: reading a chmod 444 file that way would leave a 444
/// index that stops the next writer even once the file is writable again. So a file versus
/// cannot write is opened `immutable` (nothing beside it is made or read), unless a WAL with
/// content lies beside it (a writer is at work, or crashed before it checkpointed), whose
/// changes `immutable` would not see. And where SQLite cannot make the index (a read-only
/// folder), the file is opened `immutable` too: nobody can be writing it then, as nobody can
/// make the WAL a writer needs.
fn connect_read_only(path: &Path) -> rusqlite::Result<(Connection, usize)> {
    if !writable(path) && !has_wal(path) {
        return connect(path, true);
    }
    match connect(path, false) {
        Err(err) if needs_immutable(&err) => connect(path, true),
        other => other,
    }
}

/// Why a database at `path` cannot be written, if it cannot: the file, or the folder SQLite
/// makes its WAL (or journal) in. A file that does not exist yet is made there too.
fn cannot_write(path: &Path) -> Option<String> {
    if path.exists() && !writable(path) {
        return Some("permission denied, or a read-only filesystem".into());
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    let folder = folder.unwrap_or(Path::new("."));
    (folder.is_dir() && !writable(folder))
        .then(|| format!("its folder {} cannot be written", folder.display()))
}

/// Whether this process may write `path` (access(2), which also answers for a read-only
/// mount).
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: access(2) reads the NUL-terminated path, which outlives the call.
    unsafe { libc::access(name.as_ptr(), libc::W_OK) == 0 }
}

fn has_wal(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() > 0)
}

fn connect(path: &Path, immutable: bool) -> rusqlite::Result<(Connection, usize)> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(uri(path, immutable), flags)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // The first read, which is when SQLite opens the file for real.
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    Ok((conn, usize::try_from(version).unwrap_or(usize::MAX)))
}

fn needs_immutable(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
    )
}

/// `file:` URI of `path` (RFC 3986 percent-encoding, as SQLite's URI filenames take it), so
/// that `?`, `#` or `%` in a file name are not read as URI syntax.
fn uri(path: &Path, immutable: bool) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut text = String::from("file:");
    for &byte in absolute.as_os_str().as_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            text.push(byte as char);
        } else {
            text.push_str(&format!("%{byte:02X}"));
        }
    }
    if immutable {
        text.push_str("?immutable=1");
    }
    PathBuf::from(text)
}

fn has_runs_table(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs'",
        [],
        |row| row.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// A database that needed an upgrade it could not be given: say that, not "read-only".
fn older_schema(err: UserError, found: usize) -> UserError {
    match err {
        UserError::Storage {
            path,
            fault: StorageFault::ReadOnly,
            cause,
        } => UserError::Storage {
            path,
            fault: StorageFault::OlderSchema {
                found,
                known: schema::CURRENT,
            },
            cause,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests;
