//! Schema migrations, tracked in `PRAGMA user_version`. A migration is appended, never edited.

use anyhow::{Context, bail};
use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    // 1: runs, their toolchains, cases and every timed run.
    r#"
    CREATE TABLE runs (
        id            INTEGER PRIMARY KEY,
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        status        TEXT NOT NULL,
        command       TEXT NOT NULL,
        profile       TEXT NOT NULL,
        size          TEXT,
        arguments     TEXT NOT NULL,
        environment   TEXT NOT NULL
    );
    CREATE TABLE toolchains (
        run_id  INTEGER NOT NULL REFERENCES runs(id),
        id      TEXT NOT NULL,
        data    TEXT NOT NULL,
        PRIMARY KEY (run_id, id)
    );
    CREATE TABLE cases (
        id              INTEGER PRIMARY KEY,
        run_id          INTEGER NOT NULL REFERENCES runs(id),
        group_label     TEXT NOT NULL,
        position        INTEGER NOT NULL,
        is_baseline     INTEGER NOT NULL,
        kind            TEXT NOT NULL,
        workload        TEXT NOT NULL,
        claim           TEXT,
        language        TEXT,
        toolchain_id    TEXT,
        variant         TEXT,
        size            TEXT,
        verdict         TEXT NOT NULL,
        detail          TEXT,
        command         TEXT,
        artifact_bytes  INTEGER,
        build_seconds   REAL,
        build_cached    INTEGER,
        warmup_runs     INTEGER NOT NULL,
        load_avg        REAL,
        steal_percent   REAL,
        busy_percent    REAL
    );
    CREATE UNIQUE INDEX cases_by_run ON cases(run_id, group_label, position);
    CREATE TABLE samples (
        case_id          INTEGER NOT NULL REFERENCES cases(id),
        round            INTEGER NOT NULL,
        wall_ns          INTEGER NOT NULL,
        user_ns          INTEGER NOT NULL,
        sys_ns           INTEGER NOT NULL,
        peak_rss_bytes   INTEGER NOT NULL,
        tree_peak_bytes  INTEGER,
        tree_method      TEXT NOT NULL
    );
    CREATE INDEX samples_by_case ON samples(case_id);
    "#,
    // 2: a label naming an implementation's library or flavour (`numpy`, `multi-core`).
    r#"
    ALTER TABLE cases ADD COLUMN label TEXT;
    "#,
    // 3: iteration times of a program run many times in one process (a JIT's warm-up).
    r#"
    CREATE TABLE iterations (
        case_id    INTEGER NOT NULL REFERENCES cases(id),
        iteration  INTEGER NOT NULL,
        wall_ns    INTEGER NOT NULL
    );
    CREATE INDEX iterations_by_case ON iterations(case_id);
    "#,
    // 4: the file fed on stdin, so a stored command can be run again exactly.
    r#"
    ALTER TABLE cases ADD COLUMN stdin TEXT;
    "#,
    // 5: the typing suite: when each planted mistake was reported.
    r#"
    CREATE TABLE typing_findings (
        id            INTEGER PRIMARY KEY,
        run_id        INTEGER NOT NULL REFERENCES runs(id),
        workload      TEXT NOT NULL,
        mistake       TEXT NOT NULL,
        expect_never  INTEGER NOT NULL,
        language      TEXT NOT NULL,
        toolchain_id  TEXT NOT NULL,
        with_checker  INTEGER NOT NULL,
        source        TEXT NOT NULL,
        mistake_line  INTEGER NOT NULL,
        stage         TEXT NOT NULL,
        tool          TEXT NOT NULL,
        detail        TEXT NOT NULL
    );
    CREATE INDEX typing_findings_by_run ON typing_findings(run_id);
    "#,
    // 6: the program's source size, as the Benchmarks Game measures it.
    r#"
    ALTER TABLE cases ADD COLUMN code_lines INTEGER;
    ALTER TABLE cases ADD COLUMN code_gzip_bytes INTEGER;
    "#,
    // 7: sweeps (one case per point of a parameter) and what a program reports of itself.
    r#"
    ALTER TABLE cases ADD COLUMN sweep_name TEXT;
    ALTER TABLE cases ADD COLUMN sweep_value INTEGER;
    CREATE TABLE metrics (
        case_id  INTEGER NOT NULL REFERENCES cases(id),
        round    INTEGER NOT NULL,
        name     TEXT NOT NULL,
        value    REAL NOT NULL
    );
    CREATE INDEX metrics_by_case ON metrics(case_id);
    "#,
    // 8: what a case's ratio is a ratio of (NULL: wall time, as before), and why its group
    // stopped measuring against the precision it aimed at.
    r#"
    ALTER TABLE cases ADD COLUMN metric TEXT;
    ALTER TABLE cases ADD COLUMN stopped_by TEXT;
    ALTER TABLE cases ADD COLUMN precision_target REAL;
    "#,
    // 9: the units of work a ladder's point does (its case's point is the ladder's parameter).
    r#"
    ALTER TABLE cases ADD COLUMN work REAL;
    "#,
    // 10: what a program ran with: the variables set for it on purpose (JSON [[name, value]]),
    // and which site-packages a Python program could see.
    r#"
    ALTER TABLE cases ADD COLUMN env TEXT;
    ALTER TABLE cases ADD COLUMN packages TEXT;
    "#,
    // 11: what does a program's work when not its own language (`C (re module)`).
    r#"
    ALTER TABLE cases ADD COLUMN backed_by TEXT;
    "#,
    // 12: where a run stored by `versus import` came from (JSON: its id in the database it was
    // measured into, the file, when it was imported); NULL for a run measured here.
    r#"
    ALTER TABLE runs ADD COLUMN imported_from TEXT;
    "#,
];

/// Takes `conn`'s file back to the schema of the versus before the newest migration: every
/// migration adds columns, so dropping what the newest added undoes it. For tests of an older
/// file (`user_version` one less), whichever migration is the newest.
#[doc(hidden)]
pub fn undo_newest_migration(conn: &Connection) -> anyhow::Result<()> {
    let newest = MIGRATIONS.last().context("no migration")?;
    let mut undone = 0;
    for line in newest.lines().map(str::trim) {
        let Some((table, column)) = line
            .strip_prefix("ALTER TABLE ")
            .and_then(|rest| rest.split_once(" ADD COLUMN "))
        else {
            continue;
        };
        let column = column.split_whitespace().next().unwrap_or_default();
        conn.execute_batch(&format!("ALTER TABLE {table} DROP COLUMN {column};"))?;
        undone += 1;
    }
    anyhow::ensure!(undone > 0, "the newest migration adds no column: {newest}");
    conn.pragma_update(None, "user_version", CURRENT as i64 - 1)?;
    Ok(())
}

/// The schema version this versus writes and reads.
pub const CURRENT: usize = MIGRATIONS.len();

pub fn migrate(conn: &Connection) -> anyhow::Result<()> {
    conn.pragma_update(None, "foreign_keys", true)?;
    let version = schema_version(conn)?;
    if version == MIGRATIONS.len() {
        return Ok(());
    }
    // IMMEDIATE takes the write lock first, so two versus opening a new database at once
    // migrate it one after the other; the version is read again under the lock.
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        let version = schema_version(conn)?;
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            conn.execute_batch(sql)
                .with_context(|| format!("migration {} failed", index + 1))?;
            conn.pragma_update(None, "user_version", (index + 1) as i64)?;
        }
        Ok(())
    })();
    conn.execute_batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
    result
}

pub fn schema_version(conn: &Connection) -> anyhow::Result<usize> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .context("cannot read the schema version (is this a versus database?)")?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > MIGRATIONS.len() {
        bail!(
            "schema version {version} was written by a newer versus (this one knows {})",
            MIGRATIONS.len()
        );
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_harmless_and_a_newer_schema_is_refused() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn).unwrap();
        migrate(&conn).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), MIGRATIONS.len());
        conn.pragma_update(None, "user_version", 99).unwrap();
        let err = migrate(&conn).unwrap_err().to_string();
        assert!(err.contains("newer versus"), "{err}");
    }

    #[test]
    fn a_case_is_stored_once() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn).unwrap();
        conn.execute_batch(
            "INSERT INTO runs (id, started_at, status, command, profile, arguments, environment)
             VALUES (1, 't', 'running', 'run', 'quick', '[]', '{}');",
        )
        .unwrap();
        let insert =
            "INSERT INTO cases (run_id, group_label, position, is_baseline, kind, workload,
                      verdict, warmup_runs) VALUES (1, 'g', 0, 1, 'workload', 'w', 'ok', 0)";
        conn.execute_batch(insert).unwrap();
        assert!(conn.execute_batch(insert).is_err());
        // Foreign keys are enforced: no case of a run that does not exist.
        let orphan = insert.replace("VALUES (1,", "VALUES (7,");
        assert!(conn.execute_batch(&orphan).is_err());
    }
}
