//! The store: SQLite (bundled), a versioned schema with migrations, one transaction per finished
//! case so that Ctrl-C or a crash loses nothing already measured. Reports read only from here.

mod exchange;
mod fault;
mod open;
mod read;
mod schema;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use exchange::{EXPORT_SCHEMA, origin, read_export, write_export};
pub use read::{Imported, StoredCase, StoredFinding, StoredRun, StoredSample};
#[doc(hidden)]
pub use schema::undo_newest_migration;
pub use write::{RunMeta, RunStatus, RunWriter, utc_now};

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// A throwaway database: for tests, and to read a file that does not exist yet.
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
