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
    CREATE INDEX cases_by_run ON cases(run_id);
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
];

pub fn migrate(conn: &Connection) -> anyhow::Result<()> {
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
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)
            .with_context(|| format!("migration {} failed", index + 1))?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
