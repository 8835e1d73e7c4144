//! Opening for reading. Tests run as root here, and root may write any file whatever its mode,
//! so these check what versus asks of SQLite (a read-only connection; no file created or
//! changed); tests/faults.rs reads a chmod 444 file and a file in a chmod 555 folder as a user
//! the permissions hold for.

use std::path::Path;

use super::*;
use crate::store::RunStatus;

fn stored_run(path: &Path) -> i64 {
    let store = Store::open(path).unwrap();
    let writer = store.begin_run(&crate::testing::run_meta(), &[]).unwrap();
    writer.finish(RunStatus::Complete).unwrap();
    writer.run_id
}

fn storage_fault(err: &UserError) -> Option<StorageFault> {
    match err {
        UserError::Storage { fault, .. } => Some(*fault),
        _ => None,
    }
}

/// The files in `dir` but SQLite's `-shm` index, with their sizes and digests.
fn files_in(dir: &Path) -> Vec<(String, u64, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (
                name,
                bytes.len() as u64,
                crate::digest::Digest::of(&bytes).hex(),
            )
        })
        .filter(|(name, ..)| !name.ends_with("-shm"))
        .collect();
    files.sort();
    files
}

#[test]
fn reading_asks_for_a_read_only_connection_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("versus.db");
    let id = stored_run(&path);
    let before = files_in(dir.path());
    let store = Store::open_read_only(&path).unwrap();
    assert!(store.conn.is_readonly(rusqlite::MAIN_DB).unwrap());
    assert_eq!(
        store
            .load_run(store.resolve_run("latest").unwrap())
            .unwrap()
            .id,
        id
    );
    // It cannot store a run, and says which file and why.
    let err = store
        .begin_run(&crate::testing::run_meta(), &[])
        .err()
        .unwrap();
    let err = err.downcast::<UserError>().unwrap();
    assert_eq!(storage_fault(&err), Some(StorageFault::ReadOnly), "{err}");
    drop(store);
    // The database is as it was. (In a folder it may write, SQLite leaves an empty WAL and
    // its `-shm` index for the next reader; in a read-only folder it makes neither.)
    let wal = (
        "versus.db-wal".to_string(),
        0,
        crate::digest::Digest::of(b"").hex(),
    );
    let after: Vec<_> = files_in(dir.path())
        .into_iter()
        .filter(|f| *f != wal)
        .collect();
    assert_eq!(after, before);
}

#[test]
fn a_missing_file_reads_as_no_runs_and_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("versus.db");
    let store = Store::open_read_only(&path).unwrap();
    let err = store.resolve_run("latest").unwrap_err().to_string();
    assert!(
        err.contains("no run `latest`") && err.contains("versus.db"),
        "{err}"
    );
    assert!(!path.exists());
    let err = Store::open_read_only(&dir.path().join("gone/versus.db"))
        .err()
        .unwrap();
    assert!(err.to_string().contains("does not exist"), "{err}");
    // An empty file (`touch`) holds no runs either, and stays empty.
    std::fs::write(&path, b"").unwrap();
    let store = Store::open_read_only(&path).unwrap();
    assert!(store.resolve_run("latest").is_err());
    assert_eq!(std::fs::read(&path).unwrap(), b"");
}

#[test]
fn an_older_schema_is_upgraded_where_it_can_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("versus.db");
    let id = stored_run(&path);
    // Undo the newest migration: the file as the versus before it left it.
    let conn = Connection::open(&path).unwrap();
    schema::undo_newest_migration(&conn).unwrap();
    drop(conn);
    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(
        schema::schema_version(&store.conn).unwrap(),
        schema::CURRENT
    );
    assert_eq!(store.load_run(id).unwrap().id, id);
}

#[test]
fn an_upgrade_refused_as_read_only_is_named_an_older_schema() {
    let err = UserError::Storage {
        path: "v.db".into(),
        fault: StorageFault::ReadOnly,
        cause: "attempt to write a readonly database".into(),
    };
    let err = older_schema(err, 9);
    assert_eq!(
        storage_fault(&err),
        Some(StorageFault::OlderSchema {
            found: 9,
            known: schema::CURRENT
        })
    );
    let text = err.to_string();
    assert!(
        text.contains("version 9") && text.contains("v.db"),
        "{text}"
    );
    assert!(
        err.hint().to_string().contains("writable"),
        "{}",
        err.hint()
    );
}

#[test]
fn a_file_name_with_uri_characters_opens_plain_and_immutable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs?mode=rw#1 100%.db");
    stored_run(&path);
    for immutable in [false, true] {
        let (conn, version) = connect(&path, immutable).unwrap();
        assert_eq!(version, schema::CURRENT);
        assert!(conn.is_readonly(rusqlite::MAIN_DB).unwrap());
    }
    assert!(
        uri(&path, true)
            .to_string_lossy()
            .ends_with("%20100%25.db?immutable=1")
    );
}

#[test]
fn a_damaged_file_is_named_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![b'x'; 4096]).unwrap();
    for err in [
        Store::open(&garbage).err().unwrap(),
        Store::open_read_only(&garbage).err().unwrap(),
    ] {
        assert_eq!(storage_fault(&err), Some(StorageFault::Damaged), "{err}");
        assert!(err.to_string().contains("garbage.db"), "{err}");
    }
    // A good header over damaged pages opens, and fails as it is read.
    let path = dir.path().join("versus.db");
    stored_run(&path);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[4096..].fill(0xff);
    std::fs::write(&path, bytes).unwrap();
    let store = Store::open_read_only(&path).unwrap();
    let err = store.resolve_run("latest").unwrap_err();
    let err = err.downcast::<UserError>().unwrap();
    assert_eq!(storage_fault(&err), Some(StorageFault::Damaged), "{err}");
    assert!(err.hint().to_string().contains("mv "), "{}", err.hint());
}
