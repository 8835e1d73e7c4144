//! Writing a run: its record and toolchains first, then each case in its own transaction as the
//! runner finishes it, then the final status.

use anyhow::Context;
use rusqlite::params;

use super::Store;
use crate::case::Group;
use crate::case::{CaseResult, CaseSpec};
use crate::interrupt;
use crate::machine::Environment;
use crate::runner::CaseSink;
use crate::toolchain::Toolchain;
use crate::typecheck::{Check, Finding};

/// The row of `cases` both a run being measured and an imported one insert.
pub(super) const INSERT_CASE: &str = concat!(
    "INSERT INTO cases (run_id, group_label, position, is_baseline, kind, workload, ",
    "claim, language, toolchain_id, variant, size, verdict, detail, command, ",
    "artifact_bytes, build_seconds, build_cached, warmup_runs, load_avg, steal_percent, ",
    "busy_percent, label, stdin, code_lines, code_gzip_bytes, sweep_name, sweep_value, ",
    "metric, stopped_by, precision_target, work, env, packages, backed_by) VALUES (?1, ",
    "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ",
    "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)",
);
/// The row of `samples` both a run being measured and an imported one insert.
pub(super) const INSERT_SAMPLE: &str = concat!(
    "INSERT INTO samples (case_id, round, wall_ns, user_ns, sys_ns, peak_rss_bytes, ",
    "tree_peak_bytes, tree_method) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
);
/// The row of `metrics` both a run being measured and an imported one insert.
pub(super) const INSERT_METRIC: &str =
    "INSERT INTO metrics (case_id, round, name, value) VALUES (?1, ?2, ?3, ?4)";
/// The row of `iterations` both a run being measured and an imported one insert.
pub(super) const INSERT_ITERATION: &str =
    "INSERT INTO iterations (case_id, iteration, wall_ns) VALUES (?1, ?2, ?3)";
/// The row of `toolchains` both a run being measured and an imported one insert.
pub(super) const INSERT_TOOLCHAIN: &str =
    "INSERT INTO toolchains (run_id, id, data) VALUES (?1, ?2, ?3)";
/// The row of `typing_findings` both a run being measured and an imported one insert.
pub(super) const INSERT_FINDING: &str = concat!(
    "INSERT INTO typing_findings (run_id, workload, mistake, expect_never, language, ",
    "toolchain_id, with_checker, source, mistake_line, stage, tool, detail) VALUES (?1, ",
    "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
);

/// What is known about a run before it starts.
#[derive(Clone, Debug)]
pub struct RunMeta {
    /// `run` or `exec`.
    pub command: String,
    pub profile: String,
    pub size: Option<String>,
    pub arguments: Vec<String>,
    pub environment: Environment,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    Running,
    Complete,
    Interrupted,
    Failed,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Complete => "complete",
            RunStatus::Interrupted => "interrupted",
            RunStatus::Failed => "failed",
        }
    }
}

pub struct RunWriter<'a> {
    store: &'a Store,
    pub run_id: i64,
    /// Marks the run `interrupted` if a signal ends versus at once while it is written.
    _marked_if_killed: interrupt::BeforeExit,
}

impl Store {
    pub fn begin_run(
        &self,
        meta: &RunMeta,
        toolchains: &[Toolchain],
    ) -> anyhow::Result<RunWriter<'_>> {
        self.guard(self.insert_run(meta, toolchains))
    }

    fn insert_run(
        &self,
        meta: &RunMeta,
        toolchains: &[Toolchain],
    ) -> anyhow::Result<RunWriter<'_>> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO runs (started_at, status, command, profile, size, arguments, environment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                utc_now(),
                RunStatus::Running.as_str(),
                meta.command,
                meta.profile,
                meta.size,
                serde_json::to_string(&meta.arguments)?,
                serde_json::to_string(&meta.environment)?,
            ],
        )?;
        let run_id = tx.last_insert_rowid();
        // Set before the commit: a handler that runs first waits for it (or, if versus exits
        // before it, there is no run to mark).
        let marked_if_killed = interrupt::before_exit(interrupter(&self.path, run_id));
        for toolchain in toolchains {
            tx.execute(
                INSERT_TOOLCHAIN,
                params![run_id, toolchain.id, serde_json::to_string(toolchain)?],
            )?;
        }
        tx.commit().context("cannot store the run")?;
        Ok(RunWriter {
            store: self,
            run_id,
            _marked_if_killed: marked_if_killed,
        })
    }
}

impl RunWriter<'_> {
    pub fn finish(&self, status: RunStatus) -> anyhow::Result<()> {
        let updated = self.store.conn.execute(
            "UPDATE runs SET status = ?1, finished_at = ?2 WHERE id = ?3",
            params![status.as_str(), utc_now(), self.run_id],
        );
        self.store.guard(updated.map(drop).map_err(Into::into))
    }
}

/// Marks the run `run_id` `interrupted` (if it is still `running`) on a connection of its
/// own, so that it can run on another thread: the signal handler's, as it ends versus at
/// once. It waits at most 2 s for a transaction in flight, and fails silently: versus is
/// exiting.
fn interrupter(path: &std::path::Path, run_id: i64) -> impl FnOnce() + Send + 'static {
    let path = path.to_path_buf();
    move || {
        let _ = mark_interrupted(&path, run_id);
    }
}

fn mark_interrupted(path: &std::path::Path, run_id: i64) -> rusqlite::Result<()> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.busy_timeout(std::time::Duration::from_secs(2))?;
    conn.execute(
        "UPDATE runs SET status = ?1, finished_at = ?2 WHERE id = ?3 AND status = ?4",
        params![
            RunStatus::Interrupted.as_str(),
            utc_now(),
            run_id,
            RunStatus::Running.as_str()
        ],
    )?;
    Ok(())
}

impl RunWriter<'_> {
    /// A typing check's finding, in its own transaction.
    pub fn store_finding(&self, check: &Check, finding: &Finding) -> anyhow::Result<()> {
        self.store.guard(self.insert_finding(check, finding))
    }

    fn insert_finding(&self, check: &Check, finding: &Finding) -> anyhow::Result<()> {
        let typing = check.workload.typing.as_ref();
        self.store.conn.execute(
            INSERT_FINDING,
            params![
                self.run_id,
                check.workload.id(),
                typing.map(|t| t.mistake.clone()).unwrap_or_default(),
                typing.is_some_and(|t| t.expect_never),
                check.toolchain.language.name(),
                check.toolchain.id,
                check.with_checker,
                check.implementation.source.to_string_lossy(),
                check.implementation.mistake_line.unwrap_or(0),
                finding.stage.as_str(),
                finding.tool,
                finding.detail,
            ],
        )?;
        Ok(())
    }
}

impl CaseSink for RunWriter<'_> {
    fn finished(&mut self, group: &Group, index: usize, result: &CaseResult) -> anyhow::Result<()> {
        self.store.guard(self.insert_case(group, index, result))
    }
}

impl RunWriter<'_> {
    fn insert_case(&self, group: &Group, index: usize, result: &CaseResult) -> anyhow::Result<()> {
        let case: &CaseSpec = &group.cases[index];
        let tx = self.store.conn.unchecked_transaction()?;
        let command = case.run.as_ref().ok().map(|spec| {
            let argv: Vec<String> = std::iter::once(spec.program.as_os_str())
                .chain(spec.args.iter().map(|a| a.as_os_str()))
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            serde_json::to_string(&argv).unwrap_or_default()
        });
        let env = case
            .run
            .as_ref()
            .ok()
            .map(|spec| serde_json::to_string(&set_on_purpose(&spec.env)).unwrap_or_default());
        tx.execute(
            INSERT_CASE,
            params![
                self.run_id,
                group.label,
                index as i64,
                group.baselines.contains(&index),
                case.kind.as_str(),
                case.workload,
                case.claim.map(|c| c.to_string()),
                case.language.map(|l| l.name()),
                case.toolchain.as_ref().map(|t| t.id.clone()),
                case.variant.map(|v| v.to_string()),
                case.size.map(|s| s.to_string()),
                result.verdict.as_str(),
                result.detail,
                command,
                case.artifact_bytes.map(|b| b as i64),
                case.build.map(|b| b.seconds),
                case.build.map(|b| b.cached),
                result.warmup_runs as i64,
                result.busy.map(|b| b.load_avg),
                result.busy.map(|b| b.steal_percent),
                result.busy.map(|b| b.busy_percent),
                case.label,
                case.run
                    .as_ref()
                    .ok()
                    .and_then(|spec| spec.stdin.as_ref())
                    .map(|p| p.to_string_lossy().into_owned()),
                case.code_size.map(|c| c.lines as i64),
                case.code_size.map(|c| c.gzip_bytes as i64),
                case.point.as_ref().map(|p| p.name.clone()),
                case.point.as_ref().map(|p| p.value as i64),
                case.metric.to_string(),
                result.stopped_by.map(|s| s.as_str()),
                result.precision_target,
                case.work,
                env,
                case.packages.map(|p| p.as_str()),
                case.backed_by,
            ],
        )?;
        let case_id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(INSERT_SAMPLE)?;
            for run in &result.runs {
                insert.execute(params![
                    case_id,
                    run.round as i64,
                    run.wall.as_nanos() as i64,
                    run.user.as_nanos() as i64,
                    run.sys.as_nanos() as i64,
                    run.peak_rss_bytes as i64,
                    run.tree_peak_bytes.map(|b| b as i64),
                    run.tree_method.as_str(),
                ])?;
            }
            let mut insert = tx.prepare(INSERT_METRIC)?;
            for run in &result.runs {
                for (name, value) in &run.metrics {
                    insert.execute(params![case_id, run.round as i64, name, value])?;
                }
            }
        }
        for (iteration, wall) in result.in_process.iter().enumerate() {
            tx.execute(
                INSERT_ITERATION,
                params![case_id, iteration as i64 + 1, wall.as_nanos() as i64],
            )?;
        }
        tx.commit().context("cannot store a finished case")?;
        Ok(())
    }
}

/// The current time as RFC 3339 UTC, e.g. `2026-11-27T17:26:15Z`.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format_utc(secs)
}

/// Civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date
/// Algorithms", `civil_from_days`).
pub fn format_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The variables a program was given on purpose (by its manifest or `--env`), without versus's
/// own plumbing (`VERSUS_*`: URLs, paths of the run), which says nothing about conditions.
fn set_on_purpose(env: &[(std::ffi::OsString, std::ffi::OsString)]) -> Vec<(String, String)> {
    env.iter()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .filter(|(k, _)| !k.starts_with("VERSUS_"))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::case::{CaseVerdict, RunRecord};
    use crate::error::{StorageFault, UserError};
    use crate::language::Language;
    use crate::measure::TreeMethod;
    use crate::testing::{case, group, run_meta};

    /// A finished case with `runs` timed runs: about 40 bytes of the file each.
    fn result(runs: usize) -> CaseResult {
        let record = |round| RunRecord {
            round,
            wall: Duration::from_millis(10),
            user: Duration::from_millis(9),
            sys: Duration::from_millis(1),
            peak_rss_bytes: 10 << 20,
            tree_peak_bytes: None,
            tree_method: TreeMethod::None,
            metrics: Vec::new(),
        };
        CaseResult {
            verdict: CaseVerdict::Ok,
            detail: None,
            runs: (1..=runs).map(record).collect(),
            warmup_runs: 0,
            busy: None,
            in_process: Vec::new(),
            stopped_by: None,
            precision_target: None,
        }
    }

    fn status(store: &Store, run_id: i64) -> String {
        store.load_run(run_id).unwrap().status
    }

    #[test]
    fn a_disk_that_fills_mid_run_is_named_and_the_run_can_still_be_marked_failed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("versus.db")).unwrap();
        let mut writer = store.begin_run(&run_meta(), &[]).unwrap();
        let group = group("g", vec![case("w", Language::Go, "go", b"")], Some(0));
        store.disk_fills_after(4);
        let err = writer.finished(&group, 0, &result(5000)).unwrap_err();
        match err.downcast_ref::<UserError>() {
            Some(UserError::Storage { path, fault, .. }) => {
                assert_eq!(*fault, StorageFault::Full);
                assert_eq!(path, &dir.path().join("versus.db"));
            }
            _ => panic!("not a storage fault: {err:#}"),
        }
        // The failed case took nothing with it: its status still fits in the file.
        writer.finish(RunStatus::Failed).unwrap();
        assert_eq!(status(&store, writer.run_id), "failed");
        assert!(store.load_run(writer.run_id).unwrap().cases.is_empty());
    }

    #[test]
    fn the_interrupter_marks_a_running_run_from_another_thread_and_only_a_running_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("versus.db")).unwrap();
        let running = store.begin_run(&run_meta(), &[]).unwrap();
        std::thread::spawn(interrupter(store.path(), running.run_id))
            .join()
            .unwrap();
        assert_eq!(status(&store, running.run_id), "interrupted");
        let complete = store.begin_run(&run_meta(), &[]).unwrap();
        complete.finish(RunStatus::Complete).unwrap();
        std::thread::spawn(interrupter(store.path(), complete.run_id))
            .join()
            .unwrap();
        assert_eq!(status(&store, complete.run_id), "complete");
    }

    #[test]
    fn formats_utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_795_800_375), "2026-11-27T17:26:15Z");
    }
}
