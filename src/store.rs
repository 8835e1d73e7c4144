//! The store: SQLite (bundled), a versioned schema with migrations, one transaction per finished
//! case so that Ctrl-C or a crash loses nothing already measured. Reports read only from here.

mod read;
mod schema;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::UserError;

pub use read::{StoredCase, StoredFinding, StoredRun, StoredSample};
pub use write::{RunMeta, RunStatus, RunWriter};

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, UserError> {
        let fail = |message: String| UserError::Database {
            path: path.to_path_buf(),
            message,
        };
        if path.is_dir() {
            return Err(fail("it is a folder".into()));
        }
        let conn = Connection::open(path).map_err(|e| fail(e.to_string()))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| fail(e.to_string()))?;
        // WAL lets `versus report` read while a run writes; not every filesystem has it.
        let _ = conn.pragma_update(None, "journal_mode", "WAL");
        schema::migrate(&conn).map_err(|e| fail(format!("{e:#}")))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// A throwaway database, for tests.
    pub fn in_memory() -> anyhow::Result<Store> {
        let conn = Connection::open_in_memory()?;
        schema::migrate(&conn)?;
        Ok(Store {
            conn,
            path: PathBuf::from(":memory:"),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
