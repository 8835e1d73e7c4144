//! The terminal table and Markdown: one grid of already formatted cells, two renderings
//! (hyperfine's markup exporters share one skeleton the same way).

use std::io::{self, Write};

use super::claims;
use super::grid::Grid;

use super::model::{CaseFlag, CaseView, Report};
use super::units::{
    format_bytes, format_count, format_excluded, format_rate, format_ratio, format_seconds,
    three_digits,
};
use crate::case::CaseVerdict;
use crate::toolchain::Toolchain;

/// Every case but the backend ones, whose wall time is only the length of the load phase:
/// their own tables (`backend::table`) show what they measured.
fn cases_grid(report: &Report) -> Grid {
    let mut rows = Vec::new();
    let mut last_group = None;
    for case in report
        .cases
        .iter()
        .filter(|c| !super::backend::is_backend(c))
    {
        let first_of_group = last_group != Some(&case.group);
        last_group = Some(&case.group);
        let wall = case.wall_s.as_ref();
        rows.push(vec![
            if first_of_group {
                case.group.clone()
            } else {
                String::new()
            },
            if first_of_group {
                case.claim.clone().unwrap_or_default()
            } else {
                String::new()
            },
            case.label(),
            if case.runs > 0 {
                case.runs.to_string()
            } else {
                String::new()
            },
            wall.map(|w| format_seconds(w.median)).unwrap_or_default(),
            wall.map(|w| format!("± {}", format_seconds(w.mad)))
                .unwrap_or_default(),
            case.tree_peak_bytes
                .or(case.peak_rss_bytes)
                .map(format_bytes)
                .unwrap_or_default(),
            ratio_cell(report, case),
            result_cell(report, case),
        ]);
    }
    Grid {
        headers: [
            "workload",
            "claim",
            "toolchain",
            "runs",
            "median",
            "±MAD",
            "peak mem",
            "ratio (95% CI)",
            "result",
        ]
        .map(String::from)
        .to_vec(),
        right_aligned: vec![false, false, false, true, true, true, true, false, false],
        rows,
    }
    .without_empty_columns()
}

fn ratio_cell(report: &Report, case: &CaseView) -> String {
    if case.baseline
        && case.verdict == CaseVerdict::Ok
        && report
            .cases
            .iter()
            .any(|c| c.group == case.group && !c.baseline)
    {
        return "baseline".into();
    }
    report
        .comparison_of(case)
        .filter(|_| !case.baseline)
        .map(|c| format_ratio(c.ratio, c.ci_low, c.ci_high))
        .unwrap_or_default()
}

fn result_cell(report: &Report, case: &CaseView) -> String {
    let result = if case.verdict != CaseVerdict::Ok {
        case.verdict.to_string()
    } else {
        match report.comparison_of(case).filter(|_| !case.baseline) {
            Some(c) => c.verdict.as_str().to_string(),
            None => "ok".into(),
        }
    };
    // Outliers are listed under the table; machine conditions are marked on the row.
    let marks: Vec<&str> = case
        .flags
        .iter()
        .filter(|f| **f != CaseFlag::Outliers)
        .map(|f| f.as_str())
        .collect();
    if marks.is_empty() {
        result
    } else {
        format!("{result} ({})", marks.join(", "))
    }
}

fn toolchain_line(t: &Toolchain) -> String {
    let mut line = format!(
        "{} — {} ({})",
        t.label(),
        t.executable.display(),
        t.found_by
    );
    if t.shim.is_some() {
        line.push_str(&format!(", found as shim {}", t.found_as.display()));
    }
    let keys = ["GOOS", "GOARCH", "GOAMD64", "gil", "pgo"];
    let facts: Vec<String> = keys
        .iter()
        .filter_map(|k| t.details.get(*k).map(|v| format!("{k}={v}")))
        .collect();
    if !facts.is_empty() {
        line.push_str(&format!("; {}", facts.join(" ")));
    }
    line
}

fn title(report: &Report) -> String {
    let run = &report.run;
    let mut parts = vec![
        format!("versus {} #{}", run.command, report.run_id),
        run.started_at.clone(),
    ];
    parts.push(format!("profile {}", run.profile));
    if let Some(size) = &run.size {
        parts.push(format!("size {size}"));
    }
    parts.push(run.status.clone());
    parts.join(" · ")
}

fn machine_line(report: &Report) -> String {
    let env = &report.environment;
    format!(
        "{} · {} cores · {} · Linux {} · {} · tree memory: {}",
        env.cpu_model,
        env.cores,
        format_bytes(env.memory_bytes),
        env.kernel,
        env.os,
        env.tree_memory_method
    )
}

/// What each language ships, for the startup workloads: the Go binary (self-contained) against
/// the Python source plus the interpreter and standard library it needs.
fn artifacts(report: &Report) -> Vec<String> {
    report
        .cases
        .iter()
        .filter(|c| c.claim.as_deref() == Some("startup") && c.verdict == CaseVerdict::Ok)
        .filter_map(|c| {
            let toolchain = report
                .toolchains
                .iter()
                .find(|t| Some(&t.id) == c.toolchain.as_ref())?;
            let artifact = format_bytes(c.artifact_bytes?);
            Some(match toolchain.runtime_bytes.filter(|b| *b > 0) {
                Some(runtime) => format!(
                    "{} on {}: {artifact} of source + {} of interpreter and standard library{}",
                    c.workload,
                    c.label(),
                    format_bytes(runtime),
                    format_excluded(toolchain)
                ),
                None => format!(
                    "{} on {}: a {artifact} binary, nothing else to install",
                    c.workload,
                    c.label()
                ),
            })
        })
        .collect()
}

/// Cases whose verdict matches, with the reason; cases of one program with the same verdict
/// and reason (a package that installs nowhere on PyPy) share a line naming every workload.
fn cases_with(report: &Report, verdict: impl Fn(CaseVerdict) -> bool) -> Vec<String> {
    let mut lines: Vec<(String, CaseVerdict, &str, Vec<String>)> = Vec::new();
    for c in report.cases.iter().filter(|c| verdict(c.verdict)) {
        let at = c
            .point
            .as_ref()
            .map_or(String::new(), |p| format!(" ({p})"));
        let place = format!("{}{at}", c.workload);
        let (label, detail) = (c.label(), c.detail.as_deref().unwrap_or("no detail"));
        match lines
            .iter_mut()
            .find(|(l, v, d, _)| *l == label && *v == c.verdict && *d == detail)
        {
            Some((.., places)) => places.push(place),
            None => lines.push((label, c.verdict, detail, vec![place])),
        }
    }
    lines
        .into_iter()
        .map(|(label, verdict, detail, places)| {
            format!("{} on {label}: {verdict} — {detail}", places.join(", "))
        })
        .collect()
}

/// The notes under the table, in order: (title, lines). Empty sections are left out.
pub(super) fn sections(report: &Report) -> Vec<(&'static str, Vec<String>)> {
    let sections = vec![
        ("What must be deployed", artifacts(report)),
        ("Runtime speed", runtime_speed(report)),
        ("Concurrency", concurrency(report)),
        ("JIT warm-up", jit_warm_up(report)),
        ("Code size", code_size(report)),
        ("Against published figures", against_published(report)),
        ("Failures", cases_with(report, CaseVerdict::is_failure)),
        (
            "Limits reached (findings, not failures)",
            cases_with(report, |v| v == CaseVerdict::LimitReached),
        ),
        (
            "Skipped",
            cases_with(report, |v| v == CaseVerdict::MissingDependency),
        ),
        ("Warnings", report.warnings.clone()),
    ];
    sections
        .into_iter()
        .filter(|(_, lines)| !lines.is_empty())
        .collect()
}

fn runtime_speed(report: &Report) -> Vec<String> {
    let summaries = &report.findings.runtime_speed;
    let Some(first) = summaries.first() else {
        return Vec::new();
    };
    let mut lines = vec![format!(
        "Python time ÷ Go time over the idiomatic programs of {} runtime-speed workload{}:",
        first.workloads,
        if first.workloads == 1 { "" } else { "s" }
    )];
    for s in summaries {
        let g = &s.geometric_mean;
        lines.push(format!(
            "{}: geometric mean {}; from {} ({}) to {} ({}); as fast as Go or faster: {}",
            s.contender,
            format_ratio(g.value, g.ci_low, g.ci_high),
            three_digits_ratio(s.fastest.ratio),
            s.fastest.workload,
            three_digits_ratio(s.slowest.ratio),
            s.slowest.workload,
            if s.as_fast_or_faster.is_empty() {
                "none".to_string()
            } else {
                s.as_fast_or_faster.join(", ")
            }
        ));
    }
    lines
}

/// Idle tasks (memory per task, how far each form got), speedup with workers, message rates.
fn concurrency(report: &Report) -> Vec<String> {
    let found = &report.findings.concurrency;
    let mut lines = Vec::new();
    for t in &found.idle_tasks {
        let mut line = match t.largest_ok {
            Some(n) => format!(
                "{} on {}: up to {} task{}",
                t.workload,
                t.series,
                format_count(n),
                if n == 1 { "" } else { "s" }
            ),
            None => format!("{} on {}: completed no point", t.workload, t.series),
        };
        if let Some(per_task) = t.bytes_per_task {
            line.push_str(&format!(
                ", {} per task (tree peak {})",
                format_bytes(per_task.round() as u64),
                t.tree_peak_bytes.map_or("?".into(), format_bytes)
            ));
        }
        if let Some(spawn) = t.spawn_s {
            line.push_str(&format!(", all started in {}", format_seconds(spawn)));
        }
        if let Some(stopped) = &t.stopped_at {
            line.push_str(&format!(
                "; stopped at {} ({})",
                format_count(stopped.at),
                stopped.verdict
            ));
        }
        lines.push(line);
    }
    for s in &found.scaling {
        let curve: Vec<String> = s
            .curve
            .iter()
            .map(|(w, speedup)| format!("{w}: {}", three_digits_ratio(*speedup)))
            .collect();
        lines.push(format!(
            "{} on {}: speedup over 1 worker {} at {} workers ({}% efficient); curve {}{}",
            s.workload,
            s.series,
            format_ratio(s.speedup.value, s.speedup.ci_low, s.speedup.ci_high),
            s.workers,
            (s.efficiency * 100.0).round(),
            curve.join(", "),
            if s.busy {
                " (machine overloaded: no idle cores to scale onto)"
            } else {
                ""
            }
        ));
    }
    for r in &found.rates {
        let rate = format_rate(r.median);
        lines.push(format!(
            "{} on {}: {} {}/s",
            r.workload,
            r.case,
            rate.trim_end_matches("/s"),
            r.metric.trim_end_matches("_per_s").replace('_', " ")
        ));
    }
    lines
}

fn against_published(report: &Report) -> Vec<String> {
    let rows = &report.findings.published;
    if rows.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![
        "published figures mostly compare each language's fastest program (often multi-core or \
         calling a C library); the measured rows are the programs named"
            .to_string(),
    ];
    for row in rows {
        let published: Vec<String> = row
            .published
            .iter()
            .map(|p| format!("{} ({}, {})", three_digits_ratio(p.ratio), p.source, p.year))
            .collect();
        lines.push(format!(
            "{} on {}: measured {}; published {}",
            row.workload,
            row.contender,
            format_ratio(row.ratio, row.ci_low, row.ci_high),
            published.join("; ")
        ));
    }
    lines
}

/// A JIT's first iteration against its steady state, in one process; and what a fresh process
/// per run (the table's median) costs.
fn jit_warm_up(report: &Report) -> Vec<String> {
    report
        .cases
        .iter()
        .filter_map(|case| {
            let warm = case.in_process.as_ref()?;
            let fresh = case.wall_s.as_ref()?;
            Some(format!(
                "{} on {}: in one process, the first of {} iterations took {}, the steady state \
                 (median from iteration {}) {}; a fresh process per run: {}",
                case.workload,
                case.label(),
                warm.iterations_s.len(),
                format_seconds(warm.first_s),
                warm.steady_from,
                format_seconds(warm.steady_s),
                format_seconds(fresh.median)
            ))
        })
        .collect()
}

/// Per workload with both idiomatic programs: lines of code and gzip size of each, the
/// Benchmarks Game's measure of source size.
fn code_size(report: &Report) -> Vec<String> {
    super::evidence::idiomatic_pairs(&report.cases)
        .into_iter()
        .map(|(py, go)| {
            let (py_gz, go_gz) = (
                py.code_gzip_bytes.unwrap_or(0),
                go.code_gzip_bytes.unwrap_or(0),
            );
            format!(
                "{}: Python {} lines, {} gzipped; Go {} lines, {} gzipped ({}×)",
                py.workload,
                py.code_lines.unwrap_or(0),
                format_bytes(py_gz),
                go.code_lines.unwrap_or(0),
                format_bytes(go_gz),
                three_digits(py_gz as f64 / go_gz.max(1) as f64)
            )
        })
        .collect()
}

fn three_digits_ratio(ratio: f64) -> String {
    format!("{}×", three_digits(ratio))
}

const RATIO_NOTE: &str = "ratio: median time of the row ÷ median time of its group's baseline, \
                          with a 95% bootstrap interval; a difference is called only when the \
                          whole interval lies outside ±2%.";

pub fn write_terminal(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", title(report))?;
    writeln!(out, "machine: {}", machine_line(report))?;
    for toolchain in &report.toolchains {
        writeln!(out, "toolchain: {}", toolchain_line(toolchain))?;
    }
    writeln!(out)?;
    let cases = cases_grid(report);
    if !cases.rows.is_empty() {
        cases.write_text(out)?;
    }
    if let Some(grid) = claims::typing_grid(report) {
        writeln!(out, "\ntyping: when is a planted mistake reported?")?;
        grid.write_text(out)?;
        if let Some(summary) = claims::typing_summary(report) {
            writeln!(out, "{summary}")?;
        }
    }
    for titled in super::backend::grids(&report.findings.backend) {
        writeln!(out, "\n{}:", titled.title.to_lowercase())?;
        titled.grid.write_text(out)?;
    }
    for note in super::backend::notes(&report.findings.backend) {
        writeln!(out, "{note}")?;
    }
    for (title, lines) in sections(report) {
        writeln!(out, "\n{}:", title.to_lowercase())?;
        for line in lines {
            writeln!(out, "  {line}")?;
        }
    }
    claims::write_article_text(report, out)?;
    writeln!(out, "\n{RATIO_NOTE}")?;
    Ok(())
}

pub fn write_markdown(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## {}\n", title(report))?;
    writeln!(out, "- machine: {}", machine_line(report))?;
    for toolchain in &report.toolchains {
        writeln!(out, "- toolchain: {}", toolchain_line(toolchain))?;
    }
    writeln!(out)?;
    let cases = cases_grid(report);
    if !cases.rows.is_empty() {
        cases.write_markdown(out)?;
    }
    if let Some(grid) = claims::typing_grid(report) {
        writeln!(out, "\n### Typing: when is a planted mistake reported?\n")?;
        grid.write_markdown(out)?;
        if let Some(summary) = claims::typing_summary(report) {
            writeln!(out, "\n{summary}")?;
        }
    }
    for titled in super::backend::grids(&report.findings.backend) {
        writeln!(out, "\n### {}\n", titled.title)?;
        titled.grid.write_markdown(out)?;
    }
    let notes = super::backend::notes(&report.findings.backend);
    if !notes.is_empty() {
        writeln!(out)?;
        for note in notes {
            writeln!(out, "- {note}")?;
        }
    }
    claims::write_article_markdown(report, out)?;
    for (title, lines) in sections(report) {
        writeln!(out, "\n### {title}\n")?;
        for line in lines {
            writeln!(out, "- {line}")?;
        }
    }
    let mut note = RATIO_NOTE.to_string();
    note[..1].make_ascii_uppercase();
    writeln!(out, "\n{note}")?;
    Ok(())
}
