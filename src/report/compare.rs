//! Two stored runs side by side (two machines, two Python versions, before and after a change):
//! per case, the change of the median with its bootstrap interval, called only when the whole
//! interval lies outside the noise band (criterion.rs's rule).

use std::io::Write;

use serde::Serialize;

use super::grid::Grid;
use super::units::{format_ratio, format_seconds};
use crate::case::{CaseKind, CaseVerdict};
use crate::cli::Format;
use crate::stats::{self, Verdict};
use crate::store::{StoredCase, StoredRun};
use crate::toolchain::Toolchain;

#[derive(Clone, Debug, Serialize)]
pub struct RunComparison {
    pub schema_version: u32,
    pub run_a: i64,
    pub run_b: i64,
    pub rows: Vec<ChangeRow>,
    /// Cases of one run with no counterpart in the other.
    pub unmatched: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChangeRow {
    pub workload: String,
    pub size: Option<String>,
    pub case: String,
    pub toolchain_a: String,
    pub toolchain_b: String,
    pub median_a_s: f64,
    pub median_b_s: f64,
    /// median(B) / median(A).
    pub change: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub verdict: Verdict,
}

/// What makes two cases of different runs the same case: the program and the kind of
/// toolchain, not its version (so two Python versions line up).
fn key(
    case: &StoredCase,
    toolchains: &[Toolchain],
) -> (
    String,
    Option<String>,
    CaseKind,
    String,
    Option<String>,
    Option<String>,
) {
    let implementation = case
        .toolchain_id
        .as_ref()
        .and_then(|id| toolchains.iter().find(|t| &t.id == id))
        .map_or_else(|| case.workload.clone(), |t| t.implementation.clone());
    (
        case.workload.clone(),
        case.size.clone(),
        case.kind,
        implementation,
        case.variant.clone(),
        case.label.clone(),
    )
}

fn toolchain_label(case: &StoredCase, toolchains: &[Toolchain]) -> String {
    case.toolchain_id
        .as_ref()
        .and_then(|id| toolchains.iter().find(|t| &t.id == id))
        .map_or_else(|| case.workload.clone(), Toolchain::label)
}

pub fn compare_runs(a: &StoredRun, b: &StoredRun) -> RunComparison {
    let usable = |c: &&StoredCase| c.verdict == CaseVerdict::Ok && !c.samples.is_empty();
    let walls = |c: &StoredCase| c.samples.iter().map(|s| s.wall_s).collect::<Vec<_>>();
    let mut rows = Vec::new();
    let mut unmatched = Vec::new();
    for case_a in a.cases.iter().filter(usable) {
        let wanted = key(case_a, &a.toolchains);
        let Some(case_b) = b
            .cases
            .iter()
            .filter(usable)
            .find(|c| key(c, &b.toolchains) == wanted)
        else {
            unmatched.push(format!(
                "{} on {} (run {} only)",
                case_a.workload,
                toolchain_label(case_a, &a.toolchains),
                a.id
            ));
            continue;
        };
        let (walls_a, walls_b) = (walls(case_a), walls(case_b));
        let Some(c) = stats::compare(&walls_a, &walls_b, stats::RESAMPLES_FINAL) else {
            continue;
        };
        rows.push(ChangeRow {
            workload: case_a.workload.clone(),
            size: case_a.size.clone(),
            case: crate::case::label(
                Some(wanted.3.clone()),
                case_a.variant.as_deref(),
                case_a.label.as_deref(),
                &case_a.workload,
            ),
            toolchain_a: toolchain_label(case_a, &a.toolchains),
            toolchain_b: toolchain_label(case_b, &b.toolchains),
            median_a_s: stats::median(&walls_a),
            median_b_s: stats::median(&walls_b),
            change: c.ratio,
            ci_low: c.ci_low,
            ci_high: c.ci_high,
            verdict: c.verdict,
        });
    }
    for case_b in b.cases.iter().filter(usable) {
        let wanted = key(case_b, &b.toolchains);
        if !a
            .cases
            .iter()
            .filter(usable)
            .any(|c| key(c, &a.toolchains) == wanted)
        {
            unmatched.push(format!(
                "{} on {} (run {} only)",
                case_b.workload,
                toolchain_label(case_b, &b.toolchains),
                b.id
            ));
        }
    }
    RunComparison {
        schema_version: super::SCHEMA_VERSION,
        run_a: a.id,
        run_b: b.id,
        rows,
        unmatched,
    }
}

pub fn render(
    comparison: &RunComparison,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, comparison)?;
        writeln!(out)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = comparison
        .rows
        .iter()
        .map(|r| {
            vec![
                r.workload.clone(),
                r.size.clone().unwrap_or_default(),
                r.case.clone(),
                format!("{} → {}", r.toolchain_a, r.toolchain_b),
                format_seconds(r.median_a_s),
                format_seconds(r.median_b_s),
                format_ratio(r.change, r.ci_low, r.ci_high),
                r.verdict.as_str().to_string(),
            ]
        })
        .collect();
    let headers = [
        "workload",
        "size",
        "program",
        "toolchains",
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
            grid.write_markdown(out)?;
        }
        Format::Csv => {
            super::csv::write_rows(
                &headers,
                comparison.rows.iter().map(|r| {
                    vec![
                        r.workload.clone(),
                        r.size.clone().unwrap_or_default(),
                        r.case.clone(),
                        format!("{} -> {}", r.toolchain_a, r.toolchain_b),
                        r.median_a_s.to_string(),
                        r.median_b_s.to_string(),
                        r.change.to_string(),
                        r.verdict.as_str().to_string(),
                    ]
                }),
                out,
            )?;
            return Ok(());
        }
        _ => {
            writeln!(
                out,
                "run {} against run {} (B = run {}, A = run {})\n",
                comparison.run_b, comparison.run_a, comparison.run_b, comparison.run_a
            )?;
            grid.write_text(out)?;
        }
    }
    if !comparison.unmatched.is_empty() {
        writeln!(
            out,
            "\nin one run only: {}",
            comparison.unmatched.join("; ")
        )?;
    }
    writeln!(
        out,
        "\nchange: median of run B ÷ median of run A, 95% bootstrap interval; `faster`/`slower` only \
         when the whole interval lies outside ±2%."
    )?;
    Ok(())
}
