//! Two stored runs side by side (two machines, two Python versions, before and after a change):
//! per case, the change of the median with its bootstrap interval, called only when the whole
//! interval lies outside the noise floor of what is compared (criterion.rs's rule, with a floor
//! calibrated by A/A runs instead of a fixed 1%: the drift between two runs of the same programs
//! on a shared machine, which the noise inside one run does not show).
//!
//! Each case is compared on what it measures: its headline metric (CPU time for single-threaded
//! work, wall time otherwise); a server by its throughput and, at a fixed rate, its p99 latency,
//! never by the length of its load phase, which the runner fixes.

use std::io::Write;

use serde::Serialize;

use super::Format;
use super::concurrency::TASKS;
use super::grid::Grid;
use super::units::{format_bytes, format_rate, format_ratio, format_seconds};
use crate::backend::{RATE_POINT, metric};
use crate::case::CaseKind;
use crate::stats::{self, Verdict};
use crate::store::{StoredCase, StoredRun};
use crate::suite::{Claim, Metric, Point, ReportedTime};
use crate::toolchain::Toolchain;

#[derive(Clone, Debug, Serialize)]
pub struct RunComparison {
    pub schema_version: u32,
    pub run_a: i64,
    pub run_b: i64,
    /// Each run's machine (`host · CPU · cores · memory · kernel · OS`): two runs of one
    /// machine name it twice, two machines' runs tell them apart.
    pub machine_a: String,
    pub machine_b: String,
    /// Where each run was read from, when they come from two databases (`--db-b`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub databases: Option<[String; 2]>,
    /// The band a change of a time must clear (`--noise-floor`).
    pub time_floor: f64,
    pub rows: Vec<ChangeRow>,
    /// Cases of one run with no counterpart in the other.
    pub unmatched: Vec<String>,
    /// Cases present in both runs whose samples are too few to compare.
    pub not_compared: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChangeRow {
    pub workload: String,
    pub size: Option<String>,
    /// The point of a sweep or ladder (`tasks=1000`).
    pub point: Option<Point>,
    pub case: String,
    pub toolchain_a: String,
    pub toolchain_b: String,
    /// What was compared: `cpu` or `wall` time, `throughput`, `p99 latency`.
    pub measure: Measure,
    /// The medians of that measure (seconds, requests per second or milliseconds).
    pub median_a: f64,
    pub median_b: f64,
    /// median(B) / median(A).
    pub change: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The band a change must clear: the measure's noise floor.
    pub noise_floor: f64,
    /// For memory: the difference of the medians a change must also reach, in bytes.
    pub noise_floor_bytes: Option<f64>,
    /// In what the measure means: a higher throughput is `faster`, a lower peak `smaller`.
    pub verdict: Change,
    /// Either run's case saw a load average above the machine's cores.
    pub overloaded: bool,
}

/// A row's verdict, in the words of what it compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    Faster,
    Slower,
    /// Less memory.
    Smaller,
    /// More memory.
    Larger,
    WithinNoise,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Faster => "faster",
            Change::Slower => "slower",
            Change::Smaller => "smaller",
            Change::Larger => "larger",
            Change::WithinNoise => "within noise",
        }
    }
}

/// What a row compares. JSON names it `cpu`, `wall`, `reported:NAME`, `throughput`,
/// `p99-latency` or `memory`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub enum Measure {
    Cpu,
    Wall,
    /// A time the program reported of itself, the case's headline (`batch_s`).
    Reported(ReportedTime),
    /// Requests per second at the server's maximum (higher is better).
    Throughput,
    /// p99 latency at a fixed rate, in milliseconds (lower is better).
    P99Latency,
    /// Peak memory of the process tree, for a sweep over idle tasks (what it measures).
    Memory,
}

/// How far apart two runs of the same programs lie on this kind of machine: A/A runs (two tours
/// back to back, `scripts/bench-aa.sh`) on a shared 2-core VM put a case's times up to ~19% apart
/// in 95% of rows, interval included, CPU time hardly less than wall time: the neighbours change
/// between runs in ways the noise inside one run does not show, and a calibration loop timed
/// beside each run did not track it (BENCHMARKS.md, "A/A"). A dedicated quiet machine does far
/// better: measure yours with that script and pass `--noise-floor`.
pub const BETWEEN_RUNS_FLOOR: f64 = 0.20;
/// Peak memory repeats within ~1.5% between runs (the same A/A runs).
pub const MEMORY_FLOOR: f64 = 0.05;
/// ... except for processes of a few MiB: the cgroup's peak of Go's 1.3 MiB idle-tasks program
/// read 2.3–3.7 MiB in one round of a case (page cache charged to the run that first touches
/// it), which two runs a point cannot outvote. A memory change is called only beyond this too.
pub const MEMORY_ABS_FLOOR: f64 = 2.0 * 1024.0 * 1024.0;

impl From<Measure> for String {
    fn from(measure: Measure) -> String {
        match measure {
            Measure::Cpu => "cpu".into(),
            Measure::Wall => "wall".into(),
            Measure::Reported(name) => Metric::Reported(name).to_string(),
            Measure::Throughput => "throughput".into(),
            Measure::P99Latency => "p99-latency".into(),
            Measure::Memory => "memory".into(),
        }
    }
}

impl Measure {
    pub fn as_str(&self) -> &str {
        match self {
            Measure::Cpu => "cpu time",
            Measure::Wall => "wall time",
            Measure::Reported(name) => name.as_str(),
            Measure::Throughput => "throughput",
            Measure::P99Latency => "p99 latency",
            Measure::Memory => "tree peak memory",
        }
    }

    /// The band a change between two runs must clear: `time_floor` for anything timed (times,
    /// throughputs, latencies), the memory floor for memory.
    fn noise_floor(&self, time_floor: f64) -> f64 {
        match self {
            Measure::Memory => MEMORY_FLOOR,
            _ => time_floor,
        }
    }

    pub(super) fn format(&self, value: f64) -> String {
        match self {
            Measure::Cpu | Measure::Wall | Measure::Reported(_) => format_seconds(value),
            Measure::Throughput => format_rate(value),
            Measure::P99Latency => format!("{} ms", super::units::three_digits(value)),
            Measure::Memory => format_bytes(value.max(0.0).round() as u64),
        }
    }
}

/// What makes two cases of different runs the same program: workload, size, point, kind,
/// variant and label. Which toolchain ran it is matched separately (see `pair_cases`).
type ProgramKey<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a Point>,
    CaseKind,
    Option<&'a str>,
    Option<&'a str>,
);

fn program_key(case: &StoredCase) -> ProgramKey<'_> {
    (
        &case.workload,
        case.size.as_deref(),
        case.point.as_ref(),
        case.kind,
        case.variant.as_deref(),
        case.label.as_deref(),
    )
}

/// What a case is compared on.
fn measure_of(case: &StoredCase) -> Measure {
    if case.claim.as_deref() == Some(Claim::Backend.as_str()) {
        if case.point.as_ref().is_some_and(|p| p.name == RATE_POINT) {
            return Measure::P99Latency;
        }
        return Measure::Throughput;
    }
    // A sweep over idle tasks measures their memory; its wall time is mostly the wait.
    if case.point.as_ref().is_some_and(|p| p.name == TASKS) {
        return Measure::Memory;
    }
    match &case.metric {
        Metric::Cpu => Measure::Cpu,
        Metric::Wall => Measure::Wall,
        Metric::Reported(name) => Measure::Reported(name.clone()),
    }
}

/// A case's values of `measure` over its runs.
fn values(case: &StoredCase, measure: &Measure) -> Vec<f64> {
    match measure {
        Measure::P99Latency => case.metric(metric::P99),
        Measure::Throughput => case.metric(metric::THROUGHPUT),
        // The tree's peak; a run too short to sample has its process's peak RSS instead.
        Measure::Memory => case
            .samples
            .iter()
            .map(|s| s.tree_peak_bytes.unwrap_or(s.peak_rss_bytes) as f64)
            .collect(),
        Measure::Cpu => case.samples.iter().map(|s| s.cpu_s()).collect(),
        Measure::Wall => case.walls(),
        Measure::Reported(name) => case.metric(name.as_str()),
    }
}

fn toolchain_label(run: &StoredRun, case: &StoredCase) -> String {
    run.toolchain_of(case)
        .map_or_else(|| case.workload.clone(), Toolchain::label)
}

fn implementation(run: &StoredRun, case: &StoredCase) -> String {
    run.toolchain_of(case)
        .map_or_else(|| case.workload.clone(), |t| t.implementation.clone())
}

/// Pairs each usable case of A with at most one of B running the same program: first on the
/// very same toolchain (cpython 3.11.7 with cpython 3.11.7), then on the same implementation
/// (cpython 3.11 with cpython 3.12), so two Python versions line up but no case is used twice.
fn pair_cases<'r>(a: &'r StoredRun, b: &'r StoredRun) -> Vec<(&'r StoredCase, &'r StoredCase)> {
    let usable_a: Vec<&StoredCase> = a.cases.iter().filter(|c| c.is_usable()).collect();
    let usable_b: Vec<&StoredCase> = b.cases.iter().filter(|c| c.is_usable()).collect();
    let mut taken_a = vec![false; usable_a.len()];
    let mut taken_b = vec![false; usable_b.len()];
    let mut pairs = Vec::new();
    let matches = |exact: bool, x: &StoredCase, y: &StoredCase| {
        if exact {
            toolchain_label(a, x) == toolchain_label(b, y)
        } else {
            implementation(a, x) == implementation(b, y)
        }
    };
    for exact in [true, false] {
        for (i, case_a) in usable_a.iter().enumerate() {
            if taken_a[i] {
                continue;
            }
            let found = usable_b.iter().enumerate().find(|(j, case_b)| {
                !taken_b[*j]
                    && program_key(case_a) == program_key(case_b)
                    && matches(exact, case_a, case_b)
            });
            if let Some((j, case_b)) = found {
                taken_a[i] = true;
                taken_b[j] = true;
                pairs.push((*case_a, *case_b));
            }
        }
    }
    // In A's order, as A's report shows them.
    pairs.sort_by_key(|(case_a, _)| usable_a.iter().position(|c| std::ptr::eq(*c, *case_a)));
    pairs
}

/// Compares two runs; a change is called only outside ±`time_floor` (see [`BETWEEN_RUNS_FLOOR`]).
pub fn compare_runs(a: &StoredRun, b: &StoredRun, time_floor: f64) -> RunComparison {
    let pairs = pair_cases(a, b);
    let mut rows = Vec::new();
    let mut not_compared = Vec::new();
    let overloaded = |run: &StoredRun, case: &StoredCase| {
        case.load_avg.is_some_and(|l| {
            crate::machine::overloaded(l, case.busy_percent, run.environment.cores)
        })
    };
    for (case_a, case_b) in &pairs {
        // Both on run A's measure: a manifest that changed its metric between the runs (wall
        // to cpu) still compares one quantity with itself.
        let measure = measure_of(case_a);
        let (values_a, values_b) = (values(case_a, &measure), values(case_b, &measure));
        let at = case_a
            .point
            .as_ref()
            .map_or(String::new(), |p| format!(" ({p})"));
        let name = format!("{}{at} on {}", case_a.workload, toolchain_label(a, case_a));
        let Some(c) = stats::compare(&values_a, &values_b, stats::RESAMPLES_FINAL) else {
            not_compared.push(format!(
                "{name} ({} and {} runs with a {}: too few for an interval)",
                values_a.len(),
                values_b.len(),
                measure.as_str()
            ));
            continue;
        };
        let floor = measure.noise_floor(time_floor);
        // A throughput that rose is faster: its ratio reads the other way round.
        let (median_a, median_b) = (stats::median(&values_a), stats::median(&values_b));
        let verdict = match (&measure, stats::verdict_beyond(c.ci_low, c.ci_high, floor)) {
            (_, Verdict::WithinNoise) => Change::WithinNoise,
            (Measure::Memory, _) if (median_b - median_a).abs() <= MEMORY_ABS_FLOOR => {
                Change::WithinNoise
            }
            (Measure::Memory, Verdict::Faster) => Change::Smaller,
            (Measure::Memory, Verdict::Slower) => Change::Larger,
            (Measure::Throughput, Verdict::Slower) => Change::Faster,
            (Measure::Throughput, Verdict::Faster) => Change::Slower,
            (_, Verdict::Faster) => Change::Faster,
            (_, Verdict::Slower) => Change::Slower,
        };
        rows.push(ChangeRow {
            workload: case_a.workload.clone(),
            size: case_a.size.clone(),
            point: case_a.point.clone(),
            case: crate::case::label(
                Some(implementation(a, case_a)),
                case_a.variant.as_deref(),
                case_a.label.as_deref(),
                &case_a.workload,
            ),
            toolchain_a: toolchain_label(a, case_a),
            toolchain_b: toolchain_label(b, case_b),
            median_a,
            median_b,
            change: c.ratio,
            ci_low: c.ci_low,
            ci_high: c.ci_high,
            noise_floor: floor,
            noise_floor_bytes: (measure == Measure::Memory).then_some(MEMORY_ABS_FLOOR),
            measure,
            verdict,
            overloaded: overloaded(a, case_a) || overloaded(b, case_b),
        });
    }
    let paired = |case: &StoredCase, side: usize| {
        pairs.iter().any(|pair| {
            let other = if side == 0 { pair.0 } else { pair.1 };
            std::ptr::eq(other, case)
        })
    };
    let mut unmatched = Vec::new();
    for (side, run) in [a, b].into_iter().enumerate() {
        for case in run
            .cases
            .iter()
            .filter(|c| c.is_usable() && !paired(c, side))
        {
            unmatched.push(format!(
                "{} on {} (run {} only)",
                case.workload,
                toolchain_label(run, case),
                run.id
            ));
        }
    }
    RunComparison {
        schema_version: super::SCHEMA_VERSION,
        time_floor,
        run_a: a.id,
        run_b: b.id,
        machine_a: super::units::fingerprint(&a.environment),
        machine_b: super::units::fingerprint(&b.environment),
        databases: None,
        rows,
        unmatched,
        not_compared,
    }
}

/// `width` bounds the lines of the terminal table (`None`: every cell on one line).
pub fn render(
    comparison: &RunComparison,
    format: Format,
    width: Option<usize>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if format == Format::Json {
        return Ok(crate::text::write_json(out, comparison)?);
    }
    let rows: Vec<Vec<String>> = comparison
        .rows
        .iter()
        .map(|r| {
            vec![
                r.workload.clone(),
                r.size.clone().unwrap_or_default(),
                r.point
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                r.case.clone(),
                format!("{} → {}", r.toolchain_a, r.toolchain_b),
                r.measure.as_str().to_string(),
                r.measure.format(r.median_a),
                r.measure.format(r.median_b),
                format_ratio(r.change, r.ci_low, r.ci_high),
                if r.overloaded {
                    format!("{} (overloaded)", r.verdict.as_str())
                } else {
                    r.verdict.as_str().to_string()
                },
            ]
        })
        .collect();
    let headers = [
        "workload",
        "size",
        "point",
        "program",
        "toolchains",
        "compared on",
        "run A",
        "run B",
        "B ÷ A (95% CI)",
        "change",
    ];
    let grid = Grid::new(&headers, rows).without_empty_columns();
    match format {
        Format::Markdown => {
            writeln!(
                out,
                "## Run {} against run {}\n",
                comparison.run_b, comparison.run_a
            )?;
            for line in sides(comparison) {
                writeln!(out, "- {line}")?;
            }
            writeln!(out)?;
            grid.write_markdown(out)?;
        }
        Format::Csv => {
            super::csv::write_rows(
                &[
                    "workload",
                    "size",
                    "point",
                    "program",
                    "toolchain_a",
                    "toolchain_b",
                    "measure",
                    "median_a",
                    "median_b",
                    "change",
                    "ci_low",
                    "ci_high",
                    "noise_floor",
                    "verdict",
                    "overloaded",
                ],
                comparison.rows.iter().map(|r| {
                    vec![
                        r.workload.clone(),
                        r.size.clone().unwrap_or_default(),
                        r.point
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        r.case.clone(),
                        r.toolchain_a.clone(),
                        r.toolchain_b.clone(),
                        r.measure.as_str().to_string(),
                        r.median_a.to_string(),
                        r.median_b.to_string(),
                        r.change.to_string(),
                        r.ci_low.to_string(),
                        r.ci_high.to_string(),
                        r.noise_floor.to_string(),
                        r.verdict.as_str().to_string(),
                        r.overloaded.to_string(),
                    ]
                }),
                out,
            )?;
            return Ok(());
        }
        _ => {
            writeln!(
                out,
                "run {} against run {} (B = run {}, A = run {})",
                comparison.run_b, comparison.run_a, comparison.run_b, comparison.run_a
            )?;
            for line in sides(comparison) {
                super::grid::write_paragraph(out, "  ", &line, width)?;
            }
            writeln!(out)?;
            grid.write_text(out, width)?;
        }
    }
    for line in notes(comparison) {
        writeln!(out)?;
        super::grid::write_paragraph(out, "", &line, width)?;
    }
    Ok(())
}

/// `A: run 3 of a.db on HOST · CPU …`, `B: …`: which machine each side was measured on.
fn sides(comparison: &RunComparison) -> [String; 2] {
    let side = |name: &str, run: i64, machine: &str, database: Option<&String>| match database {
        Some(database) => format!("{name}: run {run} of {database} on {machine}"),
        None => format!("{name}: run {run} on {machine}"),
    };
    let databases = comparison.databases.as_ref();
    [
        side(
            "A",
            comparison.run_a,
            &comparison.machine_a,
            databases.map(|d| &d[0]),
        ),
        side(
            "B",
            comparison.run_b,
            &comparison.machine_b,
            databases.map(|d| &d[1]),
        ),
    ]
}

/// The lines under the table: what is in one run only or could not be compared, the rows
/// measured on an overloaded machine, and how a change is called.
fn notes(comparison: &RunComparison) -> Vec<String> {
    let mut lines = Vec::new();
    if !comparison.unmatched.is_empty() {
        lines.push(format!(
            "in one run only: {}",
            comparison.unmatched.join("; ")
        ));
    }
    if !comparison.not_compared.is_empty() {
        lines.push(format!(
            "in both runs, not compared: {}",
            comparison.not_compared.join("; ")
        ));
    }
    let overloaded = comparison.rows.iter().filter(|r| r.overloaded).count();
    if overloaded > 0 {
        lines.push(format!(
            "warning: {overloaded} of {} rows were measured while the machine was overloaded \
             (load average above its cores) in at least one run: their changes may be the \
             machine's, not the programs'; compare runs made on a quiet machine",
            comparison.rows.len()
        ));
    }
    let percent = |fraction: f64| super::units::three_digits(fraction * 100.0);
    lines.push(format!(
        "change: median of run B ÷ median of run A, 95% bootstrap interval; `faster`/`slower` \
         only when the whole interval lies outside the noise floor, ±{}% for times, \
         throughputs and latencies (the drift between two runs of the same programs on a shared \
         machine, measured by A/A runs: `--noise-floor` for a quieter one) and ±{}% and {} for \
         memory (`smaller`/`larger`); servers are compared by throughput at their maximum and p99 latency at a fixed \
         rate, idle tasks by their memory.",
        percent(comparison.time_floor),
        percent(MEMORY_FLOOR),
        format_bytes(MEMORY_ABS_FLOOR as u64)
    ));
    lines
}
