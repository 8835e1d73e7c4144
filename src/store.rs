//! The store: SQLite (bundled), a versioned schema with migrations, one transaction per finished
//! case so that Ctrl-C or a crash loses nothing already measured. Reports read only from here.

mod fault;
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
        let fail = |err: anyhow::Error| fault::database_error(path, err);
        if path.is_dir() {
            return Err(fail(anyhow::anyhow!("it is a folder")));
        }
        let conn = Connection::open(path).map_err(|e| fail(e.into()))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| fail(e.into()))?;
        // WAL lets `versus report` read while a run writes; not every filesystem has it.
        let _ = conn.pragma_update(None, "journal_mode", "WAL");
        schema::migrate(&conn).map_err(fail)?;
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
