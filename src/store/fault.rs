//! Telling a fault of the database file (damaged, disk full, read-only) from a fault of versus:
//! the first is the user's to fix, so it becomes a [`UserError::Storage`] naming the file and
//! what to do (exit code 2); anything else stays an internal error.

use std::path::Path;

use rusqlite::ErrorCode;

use super::Store;
use crate::error::{StorageFault, UserError};

impl Store {
    /// `result`, with a fault of this store's file turned into a [`UserError::Storage`].
    pub(super) fn guard<T>(&self, result: anyhow::Result<T>) -> anyhow::Result<T> {
        result.map_err(|err| classify(&self.path, err))
    }
}

#[cfg(test)]
impl Store {
    /// A disk that fills once the file has grown by `pages` more pages (SQLite's
    /// `max_page_count`, which fails a write with `SQLITE_FULL` as a full disk does).
    pub(crate) fn disk_fills_after(&self, pages: i64) {
        let count: i64 = self
            .conn
            .pragma_query_value(None, "page_count", |row| row.get(0))
            .unwrap();
        self.conn
            .pragma_update(None, "max_page_count", count + pages)
            .unwrap();
    }
}

/// `err` as a [`UserError::Storage`] when SQLite blames the file at `path`; else unchanged.
pub(super) fn classify(path: &Path, err: anyhow::Error) -> anyhow::Error {
    if err.downcast_ref::<UserError>().is_some() {
        return err;
    }
    let Some((fault, cause)) = err
        .chain()
        .filter_map(|cause| cause.downcast_ref::<rusqlite::Error>())
        .find_map(|e| Some((fault_of(e)?, e.to_string())))
    else {
        return err;
    };
    UserError::Storage {
        path: path.to_path_buf(),
        fault,
        cause,
    }
    .into()
}

pub(super) fn fault_of(err: &rusqlite::Error) -> Option<StorageFault> {
    match err.sqlite_error_code()? {
        ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => Some(StorageFault::Damaged),
        ErrorCode::DiskFull => Some(StorageFault::Full),
        ErrorCode::SystemIoFailure => Some(StorageFault::Io),
        ErrorCode::ReadOnly => Some(StorageFault::ReadOnly),
        _ => None,
    }
}

/// A fault of the file as [`UserError::Storage`], anything else as [`UserError::Database`].
pub(super) fn database_error(path: &Path, err: anyhow::Error) -> UserError {
    match classify(path, err).downcast::<UserError>() {
        Ok(user) => user,
        Err(err) => UserError::Database {
            path: path.to_path_buf(),
            message: format!("{err:#}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    fn sqlite_error(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some("said sqlite".into()))
    }

    fn storage(err: &anyhow::Error) -> Option<(&Path, StorageFault)> {
        match err.downcast_ref::<UserError>()? {
            UserError::Storage { path, fault, .. } => Some((path.as_path(), *fault)),
            _ => None,
        }
    }

    #[test]
    fn faults_of_the_file_name_it_through_any_context() {
        let path = Path::new("/data/versus.db");
        for (code, fault) in [
            (rusqlite::ffi::SQLITE_CORRUPT, StorageFault::Damaged),
            (rusqlite::ffi::SQLITE_NOTADB, StorageFault::Damaged),
            (rusqlite::ffi::SQLITE_FULL, StorageFault::Full),
            (rusqlite::ffi::SQLITE_IOERR, StorageFault::Io),
            (rusqlite::ffi::SQLITE_READONLY, StorageFault::ReadOnly),
        ] {
            let err = Err::<(), _>(sqlite_error(code))
                .context("cannot store a finished case")
                .unwrap_err();
            let err = classify(path, err);
            assert_eq!(storage(&err), Some((path, fault)), "{err:#}");
            let text = err.to_string();
            assert!(
                text.contains("/data/versus.db") && text.contains("said sqlite"),
                "{text}"
            );
        }
    }

    #[test]
    fn other_errors_stay_internal() {
        let path = Path::new("v.db");
        let err = classify(path, sqlite_error(rusqlite::ffi::SQLITE_CONSTRAINT).into());
        assert!(storage(&err).is_none(), "{err:#}");
        let err = classify(path, anyhow::anyhow!("a bug"));
        assert_eq!(err.to_string(), "a bug");
    }

    #[test]
    fn every_fault_has_a_hint_naming_the_file() {
        for fault in [
            StorageFault::Damaged,
            StorageFault::Full,
            StorageFault::Io,
            StorageFault::ReadOnly,
            StorageFault::OlderSchema {
                found: 3,
                known: 11,
            },
        ] {
            let err = UserError::Storage {
                path: "/data/versus.db".into(),
                fault,
                cause: "x".into(),
            };
            let hint = err.hint().to_string();
            assert!(hint.contains("/data/versus.db"), "{fault:?}: {hint}");
        }
    }
}
