//! A stored run as a file, to move it between machines (`versus export`, `versus import`):
//! versioned JSON of the [`StoredRun`] itself, every value in the type the store reads it as,
//! so nothing the store holds is lost on the way. Importing stores it as a new run (the
//! database gives it an id of its own) whose origin is kept beside it.

use std::io::Write;
use std::path::Path;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Imported, Store, StoredCase, StoredRun};
use crate::error::UserError;

/// The version of the export format: bumped on any change that is not a pure addition.
pub const EXPORT_SCHEMA: u32 = 1;

/// The largest time a sample may hold: what fits in the store's nanoseconds (an i64).
const MAX_SECONDS: f64 = i64::MAX as f64 / 1e9;

#[derive(Serialize, Deserialize)]
struct Exported<Run> {
    schema_version: u32,
    run: Run,
}

/// Writes `run` as the export format.
pub fn write_export(run: &StoredRun, out: &mut dyn Write) -> anyhow::Result<()> {
    let exported = Exported {
        schema_version: EXPORT_SCHEMA,
        run,
    };
    serde_json::to_writer_pretty(&mut *out, &exported)?;
    writeln!(out)?;
    Ok(())
}

/// The run in the export file at `path` (`text` is its content). A newer format, a file that is
/// not an export or a value out of range is an error naming the file and what is wrong.
pub fn read_export(path: &Path, text: &str) -> Result<StoredRun, UserError> {
    let bad = |what: String, hint: &str| {
        UserError::usage(format!("{}: {what}", path.display()), hint.to_string())
    };
    let not_export = "give a file written by `versus export`";
    // The version first, so that a newer file is named as such rather than as malformed.
    let head: serde_json::Value =
        serde_json::from_str(text).map_err(|e| bad(format!("not JSON ({e})"), not_export))?;
    let version = head.get("schema_version").ok_or_else(|| {
        bad(
            "no `schema_version`: not a versus export".into(),
            not_export,
        )
    })?;
    match version.as_u64() {
        Some(v) if v > u64::from(EXPORT_SCHEMA) => {
            return Err(bad(
                format!(
                    "export format {v} was written by a newer versus (this one reads up to \
                     {EXPORT_SCHEMA})"
                ),
                "import it with a versus at least as new as the one that exported it",
            ));
        }
        Some(v) if v >= 1 => {}
        _ => {
            return Err(bad(
                format!("`schema_version` {version} is not one"),
                not_export,
            ));
        }
    }
    // Parsed again from the text, so that an error has its line and column.
    let exported: Exported<StoredRun> = serde_json::from_str(text)
        .map_err(|e| bad(format!("not a valid export: {e}"), not_export))?;
    check(&exported.run).map_err(|what| bad(what, not_export))?;
    Ok(exported.run)
}

/// What the store cannot hold: a time that is negative, infinite or too long for nanoseconds.
fn check(run: &StoredRun) -> Result<(), String> {
    for case in &run.cases {
        let times = case
            .samples
            .iter()
            .flat_map(|s| [s.wall_s, s.user_s, s.sys_s])
            .chain(case.in_process_s.iter().copied());
        if let Some(bad) = times
            .into_iter()
            .find(|t| !(t.is_finite() && (0.0..MAX_SECONDS).contains(t)))
        {
            return Err(format!(
                "case `{}` of group `{}` has a time of {bad} s, which no run can take",
                case.workload, case.group_label
            ));
        }
    }
    Ok(())
}

/// Seconds as the store's nanoseconds; exact for anything under ~26 days (2^51 ns), as the
/// store's own nanoseconds, read as seconds, come back to the same integer.
fn nanos(seconds: f64) -> i64 {
    (seconds * 1e9).round() as i64
}

impl Store {
    /// Stores a whole run (an imported one, or a load test's), with its toolchains, cases,
    /// samples and findings, in one transaction, as a new run: its id and its cases' ids are
    /// this database's. Returns the new id.
    pub fn add_run(&self, run: &StoredRun) -> anyhow::Result<i64> {
        self.guard(self.insert_whole(run))
    }

    fn insert_whole(&self, run: &StoredRun) -> anyhow::Result<i64> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO runs (started_at, finished_at, status, command, profile, size, arguments,
                 environment, imported_from)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                run.started_at,
                run.finished_at,
                run.status,
                run.command,
                run.profile,
                run.size,
                serde_json::to_string(&run.arguments)?,
                serde_json::to_string(&run.environment)?,
                run.imported_from
                    .as_ref()
                    .map(serde_json::to_string)
                    .transpose()?,
            ],
        )?;
        let run_id = tx.last_insert_rowid();
        for toolchain in &run.toolchains {
            tx.execute(
                super::write::INSERT_TOOLCHAIN,
                params![run_id, toolchain.id, serde_json::to_string(toolchain)?],
            )?;
        }
        for case in &run.cases {
            insert_case(&tx, run_id, case)?;
        }
        for f in &run.typing {
            tx.execute(
                super::write::INSERT_FINDING,
                params![
                    run_id,
                    f.workload,
                    f.mistake,
                    f.expect_never,
                    f.language,
                    f.toolchain_id,
                    f.with_checker,
                    f.source,
                    f.mistake_line,
                    f.stage.as_str(),
                    f.tool,
                    f.detail,
                ],
            )?;
        }
        tx.commit()?;
        Ok(run_id)
    }
}

fn insert_case(
    tx: &rusqlite::Transaction<'_>,
    run_id: i64,
    case: &StoredCase,
) -> anyhow::Result<()> {
    tx.execute(
        super::write::INSERT_CASE,
        params![
            run_id,
            case.group_label,
            case.position as i64,
            case.is_baseline,
            case.kind.as_str(),
            case.workload,
            case.claim,
            case.language,
            case.toolchain_id,
            case.variant,
            case.size,
            case.verdict.as_str(),
            case.detail,
            case.command
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?,
            case.artifact_bytes.map(|b| b as i64),
            case.build_seconds,
            case.build_cached,
            case.warmup_runs as i64,
            case.load_avg,
            case.steal_percent,
            case.busy_percent,
            case.label,
            case.stdin,
            case.code_lines.map(|v| v as i64),
            case.code_gzip_bytes.map(|v| v as i64),
            case.point.as_ref().map(|p| p.name.clone()),
            case.point.as_ref().map(|p| p.value as i64),
            case.metric.to_string(),
            case.stopped_by.map(|s| s.as_str()),
            case.precision_target,
            case.work,
            // As the runner stores them: an empty list is stored as one, not as NULL.
            serde_json::to_string(&case.env)?,
            case.packages.map(|p| p.as_str()),
            case.backed_by,
        ],
    )?;
    let case_id = tx.last_insert_rowid();
    let mut sample = tx.prepare_cached(super::write::INSERT_SAMPLE)?;
    let mut metric = tx.prepare_cached(super::write::INSERT_METRIC)?;
    for s in &case.samples {
        sample.execute(params![
            case_id,
            s.round as i64,
            nanos(s.wall_s),
            nanos(s.user_s),
            nanos(s.sys_s),
            s.peak_rss_bytes as i64,
            s.tree_peak_bytes.map(|b| b as i64),
            s.tree_method,
        ])?;
        for (name, value) in &s.metrics {
            metric.execute(params![case_id, s.round as i64, name, value])?;
        }
    }
    let mut iteration = tx.prepare_cached(super::write::INSERT_ITERATION)?;
    for (i, wall_s) in case.in_process_s.iter().enumerate() {
        iteration.execute(params![case_id, i as i64 + 1, nanos(*wall_s)])?;
    }
    Ok(())
}

/// The origin an import records for `run`, read from `file`: the run's own id there, unless it
/// was imported itself (then its first origin stays).
pub fn origin(run: &StoredRun, file: &Path) -> Imported {
    run.imported_from.clone().unwrap_or_else(|| Imported {
        run_id: run.id,
        file: file.display().to_string(),
        imported_at: super::write::utc_now(),
    })
}
