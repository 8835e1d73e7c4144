//! One report over runs from several databases — several machines, as `versus import` or a
//! copied `versus.db` brings them together: the same workloads side by side, each machine
//! named by its fingerprint. Two views: each run's own ratios (Python ÷ Go on each machine,
//! the article's question asked of every machine), and each program's figure on each machine
//! against the first, paired by `compare`'s matching so that a CPython 3.11 on one machine
//! lines up with a CPython 3.12 on another.

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use super::compare::{self, Change, Measure};
use super::grid::{Grid, write_paragraph};
use super::model::Report;
use super::units::{fingerprint, format_ratio};
use super::view::ComparisonView;
use crate::machine::Environment;
use crate::store::{Imported, StoredRun};

/// A run and the database it was read from.
pub struct Source {
    pub database: PathBuf,
    pub run: StoredRun,
}

#[derive(Debug, Serialize)]
pub struct MachinesReport {
    pub schema_version: u32,
    /// The band a change between machines must clear (as `versus compare`'s).
    pub time_floor: f64,
    pub machines: Vec<Machine>,
    /// Each run's own headline ratios (contender ÷ its baseline), one cell per machine.
    pub ratios: Vec<RatioRow>,
    /// Each program's median on each machine, and against the first machine's.
    pub rows: Vec<ProgramRow>,
    /// What is in some runs only, or could not be compared.
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Machine {
    /// `A`, `B`, … as the tables' columns are headed.
    pub name: String,
    pub database: String,
    pub run_id: i64,
    pub started_at: String,
    pub profile: String,
    /// `host · CPU · cores · memory · Linux kernel · OS`.
    pub fingerprint: String,
    pub environment: Environment,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<Imported>,
}

#[derive(Debug, Serialize)]
pub struct RatioRow {
    pub workload: String,
    pub contender: String,
    pub baseline: String,
    /// One per machine, in the machines' order; `None` where that run lacks the pair.
    pub cells: Vec<Option<RatioCell>>,
}

#[derive(Debug, Serialize)]
pub struct RatioCell {
    pub contender_toolchain: String,
    pub baseline_toolchain: String,
    /// What the ratio is a ratio of (`cpu`, `wall`, a reported time).
    pub metric: String,
    #[serde(skip)]
    metric_label: String,
    pub ratio: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub verdict: String,
}

#[derive(Debug, Serialize)]
pub struct ProgramRow {
    pub workload: String,
    pub size: Option<String>,
    pub point: Option<String>,
    pub program: String,
    pub measure: Measure,
    pub cells: Vec<Option<ProgramCell>>,
}

#[derive(Debug, Serialize)]
pub struct ProgramCell {
    pub toolchain: String,
    /// The median of the measure (seconds, requests per second, milliseconds or bytes).
    pub median: f64,
    /// Against the first machine's median (none in the first machine's own cell).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub against_first: Option<Against>,
}

#[derive(Debug, Serialize)]
pub struct Against {
    /// This machine's median ÷ the first machine's, with its 95% interval.
    pub ratio: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub verdict: Change,
}

/// The report over `sources`, the first the one the others are set against.
pub fn collect(sources: &[Source], time_floor: f64) -> MachinesReport {
    let machines = sources
        .iter()
        .enumerate()
        .map(|(index, source)| Machine {
            name: column_name(index),
            database: source.database.display().to_string(),
            run_id: source.run.id,
            started_at: source.run.started_at.clone(),
            profile: source.run.profile.clone(),
            fingerprint: fingerprint(&source.run.environment),
            environment: source.run.environment.clone(),
            imported_from: source.run.imported_from.clone(),
        })
        .collect();
    let mut notes = Vec::new();
    let rows = match sources.split_first() {
        Some((first, others)) => program_rows(first, others, time_floor, &mut notes),
        None => Vec::new(),
    };
    MachinesReport {
        schema_version: super::SCHEMA_VERSION,
        time_floor,
        machines,
        ratios: ratio_rows(sources),
        rows,
        notes,
    }
}

/// `A` … `Z`, then `M27`, `M28` …: a short name for a column.
fn column_name(index: usize) -> String {
    match u8::try_from(index).ok().filter(|i| *i < 26) {
        Some(i) => char::from(b'A' + i).to_string(),
        None => format!("M{}", index + 1),
    }
}

/// The pair a ratio compares, as it is named on every machine: implementations and variants,
/// not versions, so that one machine's CPython 3.11 ÷ Go 1.26 lines up with another's
/// CPython 3.12 ÷ Go 1.25.
fn pair_name(report: &Report, c: &ComparisonView) -> (String, String, String) {
    let name = |id: &str, variant: Option<&str>, label: Option<&str>| {
        let implementation = report
            .toolchains
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| id.to_string(), |t| t.implementation.clone());
        crate::case::label(Some(implementation), variant, label, &c.workload)
    };
    let workload = match &c.size {
        Some(size) => format!("{} ({size})", c.group),
        None => c.group.clone(),
    };
    (
        workload,
        name(
            &c.contender,
            c.contender_variant.as_deref(),
            c.contender_label.as_deref(),
        ),
        name(
            &c.baseline,
            c.baseline_variant.as_deref(),
            c.baseline_label.as_deref(),
        ),
    )
}

fn ratio_rows(sources: &[Source]) -> Vec<RatioRow> {
    let mut rows: Vec<RatioRow> = Vec::new();
    for (index, source) in sources.iter().enumerate() {
        let report = Report::from_run(&source.run);
        for c in &report.comparisons {
            let (workload, contender, baseline) = pair_name(&report, c);
            let cell = RatioCell {
                contender_toolchain: toolchain_label(&report, &c.contender),
                baseline_toolchain: toolchain_label(&report, &c.baseline),
                metric: c.metric.to_string(),
                metric_label: c.metric.label().to_string(),
                ratio: c.ratio,
                ci_low: c.ci_low,
                ci_high: c.ci_high,
                verdict: c.verdict.as_str().to_string(),
            };
            let at = rows.iter().position(|r| {
                r.workload == workload
                    && r.contender == contender
                    && r.baseline == baseline
                    && r.cells[index].is_none()
            });
            let at = at.unwrap_or_else(|| {
                rows.push(RatioRow {
                    workload,
                    contender,
                    baseline,
                    cells: (0..sources.len()).map(|_| None).collect(),
                });
                rows.len() - 1
            });
            rows[at].cells[index] = Some(cell);
        }
    }
    rows
}

fn toolchain_label(report: &Report, id: &str) -> String {
    report
        .toolchains
        .iter()
        .find(|t| t.id == id)
        .map_or_else(|| id.to_string(), |t| t.label())
}

fn program_rows(
    first: &Source,
    others: &[Source],
    time_floor: f64,
    notes: &mut Vec<String>,
) -> Vec<ProgramRow> {
    let columns = others.len() + 1;
    let mut rows: Vec<ProgramRow> = Vec::new();
    for (offset, other) in others.iter().enumerate() {
        let index = offset + 1;
        let comparison = compare::compare_runs(&first.run, &other.run, time_floor);
        let pair = format!("A against {}", column_name(index));
        for line in comparison.unmatched.iter().chain(&comparison.not_compared) {
            notes.push(format!("{pair}: {line}"));
        }
        for r in comparison.rows {
            let point = r.point.as_ref().map(ToString::to_string);
            let at = rows.iter().position(|row| {
                row.workload == r.workload
                    && row.size == r.size
                    && row.point == point
                    && row.program == r.case
                    && row.measure == r.measure
            });
            let at = at.unwrap_or_else(|| {
                let mut cells: Vec<Option<ProgramCell>> = (0..columns).map(|_| None).collect();
                cells[0] = Some(ProgramCell {
                    toolchain: r.toolchain_a.clone(),
                    median: r.median_a,
                    against_first: None,
                });
                rows.push(ProgramRow {
                    workload: r.workload.clone(),
                    size: r.size.clone(),
                    point: point.clone(),
                    program: r.case.clone(),
                    measure: r.measure.clone(),
                    cells,
                });
                rows.len() - 1
            });
            rows[at].cells[index] = Some(ProgramCell {
                toolchain: r.toolchain_b,
                median: r.median_b,
                against_first: Some(Against {
                    ratio: r.change,
                    ci_low: r.ci_low,
                    ci_high: r.ci_high,
                    verdict: r.verdict,
                }),
            });
        }
    }
    rows
}

fn ratio_grid(report: &MachinesReport) -> Grid {
    let mut headers = vec!["workload".to_string(), "contender ÷ baseline".to_string()];
    headers.extend(report.machines.iter().map(|m| m.name.clone()));
    let rows = report
        .ratios
        .iter()
        .map(|r| {
            let mut row = vec![
                r.workload.clone(),
                format!("{} ÷ {}", r.contender, r.baseline),
            ];
            row.extend(r.cells.iter().map(|cell| match cell {
                Some(c) => format!(
                    "{} {}, {}",
                    format_ratio(c.ratio, c.ci_low, c.ci_high),
                    c.metric_label,
                    c.verdict
                ),
                None => "not in this run".into(),
            }));
            row
        })
        .collect();
    Grid {
        right_aligned: vec![false; headers.len()],
        headers,
        rows,
        lifted: vec![0],
    }
}

fn program_grid(report: &MachinesReport) -> Grid {
    let mut headers: Vec<String> = ["workload", "size", "point", "program", "compared on"]
        .map(String::from)
        .to_vec();
    let mut right_aligned = vec![false; headers.len()];
    for machine in &report.machines {
        headers.push(machine.name.clone());
        right_aligned.push(true);
        if machine.name != "A" {
            headers.push(format!("{} ÷ A (95% CI)", machine.name));
            right_aligned.push(false);
        }
    }
    let rows = report
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![
                r.workload.clone(),
                r.size.clone().unwrap_or_default(),
                r.point.clone().unwrap_or_default(),
                r.program.clone(),
                r.measure.as_str().to_string(),
            ];
            for (index, cell) in r.cells.iter().enumerate() {
                row.push(cell.as_ref().map_or_else(
                    || "not in this run".to_string(),
                    |c| format!("{} ({})", r.measure.format(c.median), c.toolchain),
                ));
                if index > 0 {
                    row.push(
                        cell.as_ref()
                            .and_then(|c| c.against_first.as_ref())
                            .map(|a| {
                                format!(
                                    "{} {}",
                                    format_ratio(a.ratio, a.ci_low, a.ci_high),
                                    a.verdict.as_str()
                                )
                            })
                            .unwrap_or_default(),
                    );
                }
            }
            row
        })
        .collect();
    Grid {
        headers,
        right_aligned,
        rows,
        lifted: vec![0],
    }
    .without_empty_columns()
}

fn machine_line(machine: &Machine) -> String {
    let mut line = format!(
        "{}: run {} of {} — {} · started {} · profile {}",
        machine.name,
        machine.run_id,
        machine.database,
        machine.fingerprint,
        machine.started_at,
        machine.profile
    );
    if let Some(origin) = &machine.imported_from {
        line.push_str(&format!(
            " · imported from {} (run {} where it was measured)",
            origin.file, origin.run_id
        ));
    }
    line
}

const RATIO_NOTE: &str = "Each machine's ratios are its own run's: the median over its rounds of \
    the contender's time ÷ its baseline's in the same round, with a 95% bootstrap interval. A \
    figure against A's is the ratio of two runs' medians, with a bootstrap interval over both \
    runs' samples, and a change is called only beyond the noise floor between runs (as `versus \
    compare`): machines differ in more than their CPUs — toolchain versions, load, steal — and \
    the toolchain of each figure is named beside it.";

pub fn write_terminal(
    report: &MachinesReport,
    out: &mut dyn Write,
    width: Option<usize>,
) -> io::Result<()> {
    write_paragraph(
        out,
        "",
        &format!("versus report over {} runs", report.machines.len()),
        width,
    )?;
    for machine in &report.machines {
        write_paragraph(out, "  ", &machine_line(machine), width)?;
    }
    if !report.ratios.is_empty() {
        writeln!(out, "\neach run's ratios (95% CI), machine by machine:")?;
        ratio_grid(report).write_text(out, width)?;
    }
    if !report.rows.is_empty() {
        writeln!(out, "\neach program on each machine, against A:")?;
        program_grid(report).write_text(out, width)?;
    }
    if !report.notes.is_empty() {
        writeln!(out, "\nnot compared:")?;
        for note in &report.notes {
            write_paragraph(out, "  ", note, width)?;
        }
    }
    writeln!(out)?;
    write_paragraph(out, "", RATIO_NOTE, width)
}

pub fn write_markdown(report: &MachinesReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "## versus report over {} runs\n",
        report.machines.len()
    )?;
    for machine in &report.machines {
        writeln!(out, "- {}", machine_line(machine))?;
    }
    if !report.ratios.is_empty() {
        writeln!(
            out,
            "\n### Each run's ratios (95% CI), machine by machine\n"
        )?;
        ratio_grid(report).write_markdown(out)?;
    }
    if !report.rows.is_empty() {
        writeln!(out, "\n### Each program on each machine, against A\n")?;
        program_grid(report).write_markdown(out)?;
    }
    if !report.notes.is_empty() {
        writeln!(out, "\n### Not compared\n")?;
        for note in &report.notes {
            writeln!(out, "- {note}")?;
        }
    }
    writeln!(out, "\n{RATIO_NOTE}")
}

pub fn write_json(report: &MachinesReport, out: &mut dyn Write) -> anyhow::Result<()> {
    Ok(crate::text::write_json(out, report)?)
}
