//! Reading a stored run back, exactly as the report needs it.

use std::collections::BTreeMap;

use anyhow::Context;
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::case::{CaseKind, CaseVerdict, Packages, StopReason};
use crate::error::UserError;
use crate::machine::Environment;
use crate::suite::{Metric, Point};
use crate::toolchain::Toolchain;
use crate::typecheck::Stage;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredRun {
    pub id: i64,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: String,
    pub command: String,
    pub profile: String,
    pub size: Option<String>,
    pub arguments: Vec<String>,
    pub environment: Environment,
    pub toolchains: Vec<Toolchain>,
    pub cases: Vec<StoredCase>,
    /// The typing suite's findings.
    pub typing: Vec<StoredFinding>,
    /// Where the run came from when `versus import` stored it (`None`: measured here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<Imported>,
}

/// The origin of an imported run: its id in the database it was measured into, and the file it
/// was imported from. A run imported again keeps the origin of its first import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    pub run_id: i64,
    pub file: String,
    pub imported_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredFinding {
    pub workload: String,
    pub mistake: String,
    pub expect_never: bool,
    pub language: String,
    pub toolchain_id: String,
    pub with_checker: bool,
    pub source: String,
    pub mistake_line: u32,
    pub stage: Stage,
    pub tool: String,
    pub detail: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredCase {
    /// The row's id in this database: not part of an export, which a database of another
    /// machine gives ids of its own.
    #[serde(skip)]
    pub id: i64,
    pub group_label: String,
    pub position: usize,
    pub is_baseline: bool,
    pub kind: CaseKind,
    pub workload: String,
    pub claim: Option<String>,
    pub language: Option<String>,
    pub toolchain_id: Option<String>,
    pub variant: Option<String>,
    pub label: Option<String>,
    pub size: Option<String>,
    /// The point of a sweep the case ran at (`tasks=1000`).
    pub point: Option<Point>,
    pub verdict: CaseVerdict,
    pub detail: Option<String>,
    pub command: Option<Vec<String>>,
    /// The file fed on stdin, if any.
    pub stdin: Option<String>,
    pub code_lines: Option<u64>,
    pub code_gzip_bytes: Option<u64>,
    pub artifact_bytes: Option<u64>,
    pub build_seconds: Option<f64>,
    pub build_cached: Option<bool>,
    pub warmup_runs: usize,
    pub load_avg: Option<f64>,
    pub steal_percent: Option<f64>,
    pub busy_percent: Option<f64>,
    /// What its ratio is a ratio of (wall time in runs stored before it was recorded).
    pub metric: Metric,
    /// Why its group stopped measuring, and the precision it aimed at.
    pub stopped_by: Option<StopReason>,
    pub precision_target: Option<f64>,
    /// At a ladder's point: the units of work it does.
    pub work: Option<f64>,
    /// The variables the program was given on purpose (its manifest's `env`, `--env`), over
    /// the environment of [`crate::childenv`]; empty in runs stored before they were recorded.
    pub env: Vec<(String, String)>,
    /// Python: which site-packages the program could see (`None` in older runs).
    pub packages: Option<Packages>,
    /// What does the program's work when not its own language (`C (re module)`).
    pub backed_by: Option<String>,
    pub samples: Vec<StoredSample>,
    /// Iteration times in one process (the steady-state harness), seconds.
    pub in_process_s: Vec<f64>,
}

impl StoredCase {
    /// Verified, with timed runs: it can be compared.
    pub fn is_usable(&self) -> bool {
        self.verdict == CaseVerdict::Ok && !self.samples.is_empty()
    }

    /// Wall times of its timed runs, in seconds.
    pub fn walls(&self) -> Vec<f64> {
        self.samples.iter().map(|s| s.wall_s).collect()
    }

    /// `metric` of each timed run with the round it ran in, for pairing; a run without it (a
    /// reported time it did not report, which the runner fails) is left out.
    pub fn by_round(&self, metric: &Metric) -> Vec<(usize, f64)> {
        self.samples
            .iter()
            .filter_map(|s| Some((s.round, s.seconds(metric)?)))
            .collect()
    }

    /// The values a metric took over the timed runs that reported it.
    pub fn metric(&self, name: &str) -> Vec<f64> {
        self.samples
            .iter()
            .filter_map(|s| s.metrics.get(name).copied())
            .collect()
    }
}

impl StoredRun {
    /// The toolchain a case ran on, if it ran on one (not `versus exec`).
    pub fn toolchain_of(&self, case: &StoredCase) -> Option<&Toolchain> {
        let id = case.toolchain_id.as_ref()?;
        self.toolchains.iter().find(|t| &t.id == id)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredSample {
    pub round: usize,
    pub wall_s: f64,
    pub user_s: f64,
    pub sys_s: f64,
    pub peak_rss_bytes: u64,
    pub tree_peak_bytes: Option<u64>,
    pub tree_method: String,
    /// What the program reported of itself in this run (`spawn_s`, `round_trips_per_s`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<String, f64>,
}

impl StoredSample {
    /// User + system CPU time of the run's process tree.
    pub fn cpu_s(&self) -> f64 {
        self.user_s + self.sys_s
    }

    /// The run's value of `metric`, in seconds.
    pub fn seconds(&self, metric: &Metric) -> Option<f64> {
        metric.pick(self.wall_s, self.cpu_s(), |name| {
            self.metrics.get(name).copied()
        })
    }
}

impl Store {
    /// `latest` or a run id, as given to `versus report`.
    pub fn resolve_run(&self, which: &str) -> anyhow::Result<i64> {
        self.guard(self.find_run(which))
    }

    fn find_run(&self, which: &str) -> anyhow::Result<i64> {
        let id = if which == "latest" {
            self.conn.query_row("SELECT max(id) FROM runs", [], |row| {
                row.get::<_, Option<i64>>(0)
            })?
        } else {
            let wanted: i64 = which.parse().map_err(|_| {
                UserError::usage(
                    format!("`{which}` is not a run id"),
                    "give a number printed by `versus run`, or `latest`",
                )
            })?;
            self.conn
                .query_row("SELECT id FROM runs WHERE id = ?1", [wanted], |row| {
                    row.get(0)
                })
                .optional()?
        };
        id.ok_or_else(|| {
            UserError::usage(
                format!("no run `{which}` in {}", self.path().display()),
                "run `versus run` first, or pass the --db that holds the run",
            )
            .into()
        })
    }

    /// The newest runs made by `command` (`run` or `exec`), newest first.
    pub fn recent_run_ids(&self, command: &str, limit: usize) -> anyhow::Result<Vec<i64>> {
        self.guard(self.recent_runs(command, limit))
    }

    fn recent_runs(&self, command: &str, limit: usize) -> anyhow::Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM runs WHERE command = ?1 ORDER BY id DESC LIMIT ?2")?;
        let ids = stmt.query_map(params![command, limit as i64], |row| row.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    pub fn load_run(&self, id: i64) -> anyhow::Result<StoredRun> {
        self.guard(self.read_run(id))
    }

    fn read_run(&self, id: i64) -> anyhow::Result<StoredRun> {
        let mut run = self
            .conn
            .query_row(
                "SELECT id, started_at, finished_at, status, command, profile, size, arguments,
                        environment, imported_from FROM runs WHERE id = ?1",
                [id],
                run_from_row,
            )
            .with_context(|| format!("cannot read run {id}"))??;
        let mut stmt = self
            .conn
            .prepare("SELECT data FROM toolchains WHERE run_id = ?1 ORDER BY rowid")?;
        for data in stmt.query_map([id], |row| row.get::<_, String>(0))? {
            run.toolchains.push(serde_json::from_str(&data?)?);
        }
        run.cases = self.load_cases(id)?;
        run.typing = self.load_findings(id)?;
        Ok(run)
    }

    fn load_findings(&self, run_id: i64) -> anyhow::Result<Vec<StoredFinding>> {
        let mut stmt = self.conn.prepare(
            "SELECT workload, mistake, expect_never, language, toolchain_id, with_checker, source,
                    mistake_line, stage, tool, detail
             FROM typing_findings WHERE run_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([run_id], |row| {
            let stage: String = row.get(8)?;
            Ok((
                StoredFinding {
                    workload: row.get(0)?,
                    mistake: row.get(1)?,
                    expect_never: row.get(2)?,
                    language: row.get(3)?,
                    toolchain_id: row.get(4)?,
                    with_checker: row.get(5)?,
                    source: row.get(6)?,
                    mistake_line: row.get(7)?,
                    stage: Stage::Never,
                    tool: row.get(9)?,
                    detail: row.get(10)?,
                },
                stage,
            ))
        })?;
        rows.map(|row| {
            let (finding, stage) = row?;
            let stage = Stage::parse(&stage).with_context(|| format!("unknown stage `{stage}`"))?;
            Ok(StoredFinding { stage, ..finding })
        })
        .collect()
    }

    fn load_cases(&self, run_id: i64) -> anyhow::Result<Vec<StoredCase>> {
        // Groups run one after the other, so a group's first case id orders the groups; within
        // a group the baseline comes first (a ladder's group: each point in order, its baseline
        // first).
        let mut stmt = self.conn.prepare(
            "SELECT c.id, group_label, position, is_baseline, kind, workload, claim, language,
                    toolchain_id, variant, size, verdict, detail, command, artifact_bytes,
                    build_seconds, build_cached, warmup_runs, load_avg, steal_percent, busy_percent,
                    label, stdin, code_lines, code_gzip_bytes, sweep_name, sweep_value, metric,
                    stopped_by, precision_target, work, env, packages, backed_by
             FROM cases c
             JOIN (SELECT group_label AS g, min(id) AS first FROM cases WHERE run_id = ?1
                   GROUP BY group_label) ON g = c.group_label
             WHERE c.run_id = ?1 ORDER BY first, sweep_value, is_baseline DESC, position",
        )?;
        let rows = stmt.query_map([run_id], case_from_row)?;
        let mut cases = Vec::new();
        for row in rows {
            let mut case = row??;
            case.samples = self.load_samples(case.id)?;
            case.in_process_s = self.load_iterations(case.id)?;
            cases.push(case);
        }
        Ok(cases)
    }

    fn load_iterations(&self, case_id: i64) -> anyhow::Result<Vec<f64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT wall_ns FROM iterations WHERE case_id = ?1 ORDER BY iteration",
        )?;
        let rows = stmt.query_map(params![case_id], |row| {
            Ok(row.get::<_, i64>(0)? as f64 / 1e9)
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn load_samples(&self, case_id: i64) -> anyhow::Result<Vec<StoredSample>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT round, wall_ns, user_ns, sys_ns, peak_rss_bytes, tree_peak_bytes, tree_method
             FROM samples WHERE case_id = ?1 ORDER BY rowid",
        )?;
        let rows = stmt.query_map(params![case_id], |row| {
            Ok(StoredSample {
                round: row.get::<_, i64>(0)? as usize,
                wall_s: row.get::<_, i64>(1)? as f64 / 1e9,
                user_s: row.get::<_, i64>(2)? as f64 / 1e9,
                sys_s: row.get::<_, i64>(3)? as f64 / 1e9,
                peak_rss_bytes: row.get::<_, i64>(4)? as u64,
                tree_peak_bytes: row.get::<_, Option<i64>>(5)?.map(|b| b as u64),
                tree_method: row.get(6)?,
                metrics: BTreeMap::new(),
            })
        })?;
        let mut samples: Vec<StoredSample> = rows.collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT round, name, value FROM metrics WHERE case_id = ?1 ORDER BY rowid",
        )?;
        let metrics = stmt.query_map(params![case_id], |row| {
            Ok((
                row.get::<_, i64>(0)? as usize,
                row.get::<_, String>(1)?,
                row.get::<_, f64>(2)?,
            ))
        })?;
        for metric in metrics {
            let (round, name, value) = metric?;
            if let Some(sample) = samples.iter_mut().find(|s| s.round == round) {
                sample.metrics.insert(name, value);
            }
        }
        Ok(samples)
    }
}

fn run_from_row(row: &Row<'_>) -> rusqlite::Result<anyhow::Result<StoredRun>> {
    let arguments: String = row.get(7)?;
    let environment: String = row.get(8)?;
    let imported_from: Option<String> = row.get(9)?;
    let parsed = || -> anyhow::Result<(Vec<String>, Environment, Option<Imported>)> {
        Ok((
            serde_json::from_str(&arguments)?,
            serde_json::from_str(&environment)?,
            imported_from
                .map(|text| serde_json::from_str(&text))
                .transpose()?,
        ))
    };
    let (id, started_at, finished_at, status, command, profile, size) = (
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    );
    Ok(
        parsed().map(|(arguments, environment, imported_from)| StoredRun {
            id,
            started_at,
            finished_at,
            status,
            command,
            profile,
            size,
            arguments,
            environment,
            toolchains: Vec::new(),
            cases: Vec::new(),
            typing: Vec::new(),
            imported_from,
        }),
    )
}

fn case_from_row(row: &Row<'_>) -> rusqlite::Result<anyhow::Result<StoredCase>> {
    let kind: String = row.get(4)?;
    let verdict: String = row.get(11)?;
    let command: Option<String> = row.get(13)?;
    let metric: Option<String> = row.get(27)?;
    let stopped_by: Option<String> = row.get(28)?;
    let env: Option<String> = row.get(31)?;
    let packages: Option<String> = row.get(32)?;
    let case = StoredCase {
        id: row.get(0)?,
        group_label: row.get(1)?,
        position: row.get::<_, i64>(2)? as usize,
        is_baseline: row.get(3)?,
        kind: CaseKind::Workload,
        workload: row.get(5)?,
        claim: row.get(6)?,
        language: row.get(7)?,
        toolchain_id: row.get(8)?,
        variant: row.get(9)?,
        size: row.get(10)?,
        verdict: CaseVerdict::Ok,
        detail: row.get(12)?,
        command: None,
        artifact_bytes: row.get::<_, Option<i64>>(14)?.map(|b| b as u64),
        build_seconds: row.get(15)?,
        build_cached: row.get(16)?,
        warmup_runs: row.get::<_, i64>(17)? as usize,
        load_avg: row.get(18)?,
        steal_percent: row.get(19)?,
        busy_percent: row.get(20)?,
        label: row.get(21)?,
        stdin: row.get(22)?,
        code_lines: row.get::<_, Option<i64>>(23)?.map(|v| v as u64),
        code_gzip_bytes: row.get::<_, Option<i64>>(24)?.map(|v| v as u64),
        point: match (
            row.get::<_, Option<String>>(25)?,
            row.get::<_, Option<i64>>(26)?,
        ) {
            (Some(name), Some(value)) => Some(Point {
                name,
                value: value as u64,
            }),
            _ => None,
        },
        metric: Metric::Wall,
        stopped_by: None,
        precision_target: row.get(29)?,
        work: row.get(30)?,
        env: Vec::new(),
        packages: None,
        backed_by: row.get(33)?,
        samples: Vec::new(),
        in_process_s: Vec::new(),
    };
    Ok((|| {
        Ok(StoredCase {
            kind: CaseKind::parse(&kind).with_context(|| format!("unknown case kind `{kind}`"))?,
            verdict: CaseVerdict::parse(&verdict)
                .with_context(|| format!("unknown verdict `{verdict}`"))?,
            command: command.map(|c| serde_json::from_str(&c)).transpose()?,
            metric: match metric {
                Some(m) => Metric::parse(&m).with_context(|| format!("unknown metric `{m}`"))?,
                None => Metric::Wall,
            },
            stopped_by: stopped_by
                .map(|s| StopReason::parse(&s).with_context(|| format!("unknown stop `{s}`")))
                .transpose()?,
            env: env
                .map(|e| serde_json::from_str(&e))
                .transpose()?
                .unwrap_or_default(),
            packages: packages
                .map(|p| Packages::parse(&p).with_context(|| format!("unknown packages `{p}`")))
                .transpose()?,
            ..case
        })
    })())
}
