//! Two stored runs side by side (two machines, two Python versions, before and after a change):
//! per case, the change of the median with its bootstrap interval, called only when the whole
//! interval lies outside the noise band (criterion.rs's rule).

use std::io::Write;

use serde::Serialize;

use super::grid::Grid;
use super::units::{format_ratio, format_seconds};
use crate::case::CaseKind;
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
    /// Cases present in both runs whose samples are too few to compare.
    pub not_compared: Vec<String>,
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

/// What makes two cases of different runs the same program: workload, size, kind, variant and
/// label. Which toolchain ran it is matched separately (see `pair_cases`).
type ProgramKey<'a> = (
    &'a str,
    Option<&'a str>,
    CaseKind,
    Option<&'a str>,
    Option<&'a str>,
);

fn program_key(case: &StoredCase) -> ProgramKey<'_> {
    (
        &case.workload,
        case.size.as_deref(),
        case.kind,
        case.variant.as_deref(),
        case.label.as_deref(),
    )
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

pub fn compare_runs(a: &StoredRun, b: &StoredRun) -> RunComparison {
    let pairs = pair_cases(a, b);
    let mut rows = Vec::new();
    let mut not_compared = Vec::new();
    for (case_a, case_b) in &pairs {
        let (walls_a, walls_b) = (case_a.walls(), case_b.walls());
        let name = format!("{} on {}", case_a.workload, toolchain_label(a, case_a));
        let Some(c) = stats::compare(&walls_a, &walls_b, stats::RESAMPLES_FINAL) else {
            not_compared.push(format!(
                "{name} ({} and {} timed runs: too few for an interval)",
                walls_a.len(),
                walls_b.len()
            ));
            continue;
        };
        rows.push(ChangeRow {
            workload: case_a.workload.clone(),
            size: case_a.size.clone(),
            case: crate::case::label(
                Some(implementation(a, case_a)),
                case_a.variant.as_deref(),
                case_a.label.as_deref(),
                &case_a.workload,
            ),
            toolchain_a: toolchain_label(a, case_a),
            toolchain_b: toolchain_label(b, case_b),
            median_a_s: stats::median(&walls_a),
            median_b_s: stats::median(&walls_b),
            change: c.ratio,
            ci_low: c.ci_low,
            ci_high: c.ci_high,
            verdict: c.verdict,
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
        run_a: a.id,
        run_b: b.id,
        rows,
        unmatched,
        not_compared,
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
                &[
                    "workload",
                    "size",
                    "program",
                    "toolchain_a",
                    "toolchain_b",
                    "median_a_s",
                    "median_b_s",
                    "change",
                    "ci_low",
                    "ci_high",
                    "verdict",
                ],
                comparison.rows.iter().map(|r| {
                    vec![
                        r.workload.clone(),
                        r.size.clone().unwrap_or_default(),
                        r.case.clone(),
                        r.toolchain_a.clone(),
                        r.toolchain_b.clone(),
                        r.median_a_s.to_string(),
                        r.median_b_s.to_string(),
                        r.change.to_string(),
                        r.ci_low.to_string(),
                        r.ci_high.to_string(),
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
    if !comparison.not_compared.is_empty() {
        writeln!(
            out,
            "\nin both runs, not compared: {}",
            comparison.not_compared.join("; ")
        )?;
    }
    writeln!(
        out,
        "\nchange: median of run B ÷ median of run A, 95% bootstrap interval; `faster`/`slower` only \
         when the whole interval lies outside ±2%."
    )?;
    Ok(())
}
