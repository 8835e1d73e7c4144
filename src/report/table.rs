//! The terminal table and Markdown: one grid of already formatted cells, two renderings
//! (hyperfine's markup exporters share one skeleton the same way).

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::claims;
use super::grid::{Grid, write_paragraph};

use super::model::Report;
use super::units::{
    format_bytes, format_count, format_excluded, format_rate, format_ratio, format_seconds,
    three_digits,
};
use super::view::{CaseFlag, CaseView};
use crate::case::{CaseVerdict, Packages};
use crate::toolchain::Toolchain;

/// Every case but the backend ones and load tests, whose wall time is only the length of the
/// load phase: their own tables (`backend::table`, `load_tests`) show what they measured.
fn cases_grid(report: &Report) -> Grid {
    let mut rows = Vec::new();
    let mut last_group = None;
    for case in report
        .cases
        .iter()
        .filter(|c| !super::backend::is_backend(c) && !super::load_tests::is_load(c))
    {
        // A ladder's group holds every point: each point's rows are headed like a group's.
        let heading = match (&case.work, &case.point) {
            (Some(_), Some(point)) => format!(
                "{} ({}, {point})",
                case.workload,
                case.size.as_deref().unwrap_or("default")
            ),
            _ => case.group.clone(),
        };
        let first_of_group = last_group.as_ref() != Some(&heading);
        last_group = Some(heading.clone());
        let wall = case.wall_s.as_ref();
        rows.push(vec![
            if first_of_group {
                heading
            } else {
                String::new()
            },
            if first_of_group {
                case.claim.clone().unwrap_or_default()
            } else {
                String::new()
            },
            case.label_with_backing(),
            if case.runs > 0 {
                case.runs.to_string()
            } else {
                String::new()
            },
            wall.map(|w| format_seconds(w.median)).unwrap_or_default(),
            wall.map(|w| format!("± {}", format_seconds(w.mad)))
                .unwrap_or_default(),
            case.cpu_s
                .as_ref()
                .map(|c| format_seconds(c.median))
                .unwrap_or_default(),
            case.tree_peak_bytes
                .or(case.peak_rss_bytes)
                .map(format_bytes)
                .unwrap_or_default(),
            ratio_cell(report, case),
            other_cell(report, case),
            result_cell(report, case),
        ]);
    }
    Grid {
        headers: [
            "workload",
            "claim",
            "toolchain",
            "runs",
            "wall",
            "±MAD",
            "cpu",
            "peak mem",
            "ratio (95% CI)",
            "other",
            "result",
        ]
        .map(String::from)
        .to_vec(),
        right_aligned: vec![
            false, false, false, true, true, true, true, true, false, false, false,
        ],
        rows,
        lifted: vec![0, 1],
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
        .map(|c| {
            format!(
                "{} {}",
                format_ratio(c.ratio, c.ci_low, c.ci_high),
                c.metric.label()
            )
        })
        .unwrap_or_default()
}

/// The ratio on the metric that is not the headline, beside it.
fn other_cell(report: &Report, case: &CaseView) -> String {
    report
        .comparison_of(case)
        .filter(|_| !case.baseline)
        .and_then(|c| c.other.as_ref())
        .map(|o| format!("{} {}×", o.metric.label(), three_digits(o.ratio)))
        .unwrap_or_default()
}

fn result_cell(report: &Report, case: &CaseView) -> String {
    let result = if case.verdict != CaseVerdict::Ok {
        case.verdict.to_string()
    } else {
        match report.comparison_of(case).filter(|_| !case.baseline) {
            Some(c) if c.precision.budget_spent => format!(
                "{}, ±{:.0}%: budget spent",
                c.verdict.as_str(),
                c.precision.half_width * 100.0
            ),
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

/// Where an imported run was measured: its id in that database and the file it came in.
pub(super) fn origin_line(report: &Report) -> Option<String> {
    let origin = report.run.imported_from.as_ref()?;
    Some(format!(
        "imported: run {} of {} on {}, imported {} from {}",
        origin.run_id,
        report.environment.hostname,
        report.run.started_at,
        origin.imported_at,
        origin.file
    ))
}

fn machine_line(report: &Report) -> String {
    let env = &report.environment;
    let line = format!(
        "{} · {} cores · {} · Linux {} · {}",
        env.cpu_model,
        env.cores,
        format_bytes(env.memory_bytes),
        env.kernel,
        env.os,
    );
    // A load test measures no program's memory.
    if env.tree_memory_method.is_empty() {
        line
    } else {
        format!("{line} · tree memory: {}", env.tree_memory_method)
    }
}

/// The conditions every program ran under: what versus removed from its own environment, what
/// was set on purpose and for which cases, and which site-packages the Python programs saw.
pub fn conditions(report: &Report) -> Vec<String> {
    let mut lines = vec![match &report.environment.removed_env {
        None => "environment: not recorded (a run from before versus removed the variables \
                 that change a runtime's behaviour: its programs had versus's whole environment)"
            .to_string(),
        Some(removed) if removed.is_empty() => "environment: versus's own, which set none of the \
             variables that change a runtime's behaviour (PYTHON*, GOGC, GOMAXPROCS, GODEBUG, OMP_* …)"
            .to_string(),
        Some(removed) => format!(
            "environment: versus's own without {} (they change a runtime's behaviour; \
             --env KEY=VALUE sets one on purpose)",
            crate::childenv::describe(removed)
        ),
    }];
    if let Some(bytes) = report.environment.memory_limit_bytes {
        lines.push(format!(
            "memory limit: {} for each program's whole process tree (--memory-limit)",
            crate::measure::memory_limit_text(bytes)
        ));
    }
    let mut set: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for case in report.cases.iter().filter(|c| !c.env.is_empty()) {
        set.entry(crate::childenv::describe(&case.env))
            .or_default()
            .push(format!("{} on {}", case.workload, case.label()));
    }
    for (vars, mut names) in set {
        names.sort();
        names.dedup();
        lines.push(format!("set on purpose: {vars} for {}", names.join(", ")));
    }
    let count = |p: Packages| {
        report
            .cases
            .iter()
            .filter(|c| c.packages == Some(p))
            .count()
    };
    let (clean, pinned, own) = (
        count(Packages::CleanVenv),
        count(Packages::RequirementsVenv),
        count(Packages::Interpreter),
    );
    if clean + pinned + own > 0 {
        let mut parts = Vec::new();
        if clean > 0 {
            parts.push(format!("a clean venv (standard library only) for {clean}"));
        }
        if pinned > 0 {
            parts.push(format!("a venv of their pinned requirements for {pinned}"));
        }
        if own > 0 {
            parts.push(format!(
                "the interpreter's own site-packages (a clean venv could not be made) for {own}"
            ));
        }
        lines.push(format!(
            "python site-packages: {} of the Python cases; none saw the host's packages{}",
            parts.join(", "),
            if own > 0 { " except those" } else { "" }
        ));
    }
    lines
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
                    "{} on {}: a {artifact} binary (stripped, -ldflags=-s -w), nothing else to install",
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
        (
            "CPython versions",
            super::versions::lines(&report.findings.cpython_versions),
        ),
        ("Cost per unit of work", costs(report)),
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
        if let Some(own) = &s.without_backed {
            lines.push(format!("  {}", own.text()));
        }
    }
    lines
}

/// Each ladder's lines: per program its fixed and marginal cost, per contender the ratio of
/// marginal costs, the whole process beside it, and where the lines cross.
fn costs(report: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    // A group's lines by metric (each pair is fitted on the metric both programs declare), so
    // that each header names the time its lines are of, with the baseline fitted on it.
    let mut ordered: Vec<&super::costs::CostLine> = report.findings.costs.iter().collect();
    let first_seen = |group: &str| {
        report
            .findings
            .costs
            .iter()
            .position(|l| l.group == group)
            .unwrap_or(usize::MAX)
    };
    let metric_seen = |group: &str, metric: &crate::suite::Metric| {
        report
            .findings
            .costs
            .iter()
            .position(|l| l.group == group && l.metric == *metric)
            .unwrap_or(usize::MAX)
    };
    ordered.sort_by_key(|l| (first_seen(&l.group), metric_seen(&l.group, &l.metric)));
    let mut last_group = None;
    for line in ordered {
        let fit = &line.fit;
        if last_group != Some((&line.group, &line.metric)) {
            last_group = Some((&line.group, &line.metric));
            lines.push(format!(
                "{} ({}; {} time = fixed + marginal × work):",
                line.workload,
                super::costs::work_text(line),
                line.metric.label()
            ));
            lines.push(format!(
                "  {}: {}",
                line.baseline,
                line_text(&fit.baseline, line)
            ));
        }
        let r = &fit.marginal_ratio;
        let mut text = format!(
            "  {}: {}; marginal {} the baseline's",
            line.contender,
            line_text(&fit.contender, line),
            format_ratio(r.value, r.ci_low, r.ci_high)
        );
        if let Some(whole) = &line.whole_process {
            text.push_str(&format!(
                " (whole process at {}={}: {})",
                line.parameter,
                whole.at,
                format_ratio(whole.ratio, whole.ci_low, whole.ci_high)
            ));
        }
        if let Some(crossing) = super::costs::crossover_text(line) {
            text.push_str(&format!("; {crossing}"));
        }
        lines.push(text);
    }
    lines
}

/// `fixed 212 ms [190, 230], marginal 0.031 ns [0.029, 0.033] per unit`, and a note when the
/// points stray from the line.
fn line_text(fit: &crate::stats::LineFit, line: &super::costs::CostLine) -> String {
    let seconds = |e: &crate::stats::Estimate| {
        format!(
            "{} [{}, {}]",
            format_seconds_signed(e.value),
            format_seconds_signed(e.ci_low),
            format_seconds_signed(e.ci_high)
        )
    };
    let mut text = format!(
        "fixed {}, marginal {} per unit",
        seconds(&fit.fixed),
        seconds(&fit.marginal)
    );
    if fit.worst_residual > 0.10 {
        text.push_str(&format!(
            " (a point lies {:.0}% off the line: the cost is not linear in {})",
            fit.worst_residual * 100.0,
            line.parameter
        ));
    }
    text
}

/// A duration that may be negative (an intercept within noise of zero): `-1.20 ms`.
fn format_seconds_signed(seconds: f64) -> String {
    if seconds < 0.0 {
        format!("-{}", format_seconds(-seconds))
    } else {
        format_seconds(seconds)
    }
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
        if let (Some(per_task), Some(base)) = (t.per_task, t.base_bytes) {
            let bytes = |v: f64| format_bytes(v.max(0.0).round() as u64);
            let interval = if t.runs_per_point > 1 {
                format!(" [{}, {}]", bytes(per_task.ci_low), bytes(per_task.ci_high))
            } else {
                " (one run per point: no interval)".to_string()
            };
            line.push_str(&format!(
                ", {}{interval} per task over a base of {} (slope of the tree peak, {} at the largest)",
                bytes(per_task.value),
                bytes(base.value),
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
    report
        .findings
        .published
        .iter()
        .map(|row| {
            let published: Vec<String> = row
                .published
                .iter()
                .map(|p| format!("{} ({}, {})", three_digits_ratio(p.ratio), p.source, p.year))
                .collect();
            let mut line = format!(
                "{} on {}: measured {} ({}); published {}",
                row.workload,
                row.contender,
                format_ratio(row.ratio, row.ci_low, row.ci_high),
                row.regime.as_str(),
                published.join("; ")
            );
            if let Some(why) = &row.explanation {
                line.push_str(&format!(" — {why}"));
            }
            line
        })
        .collect()
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

const RATIO_NOTE: &str = "ratio: the median over the rounds of the row's time ÷ its group's \
                          baseline's time in the same round (the runs of a round are interleaved), \
                          with a 95% bootstrap interval over the rounds; of CPU time (user + \
                          system, the whole process tree) where both programs are single-threaded \
                          work, of a time both programs report of the phase the workload is about \
                          where it says so (named beside the ratio: `batch_s`), else of wall time; \
                          `other` is the same ratio of the other time (wall time, the whole \
                          process, beside a reported one). A difference is called only when the \
                          whole interval lies outside the noise floor: ±3% on CPU time, ±5% on \
                          wall time and reported times (A/A runs inside one run: \
                          the two runs of a pair share the machine's state; between two runs it \
                          drifts further, see `versus compare`).";

/// Under the table, when some interval is wider than the profile aimed at because the budget
/// ran out first.
fn budget_note(report: &Report) -> Option<String> {
    let spent: Vec<&super::view::ComparisonView> = report
        .comparisons
        .iter()
        .filter(|c| c.precision.budget_spent)
        .collect();
    let target = spent.iter().find_map(|c| c.precision.target)?;
    let next = match report.run.profile.as_str() {
        "quick" => "`--profile standard` measures longer",
        "standard" => "`--profile thorough` measures longer",
        _ => "a quieter machine narrows them",
    };
    Some(format!(
        "budget spent: {} of {} intervals are wider than the {} profile's ±{:.0}% because its time \
         budget ran out first; {next}.",
        spent.len(),
        report.comparisons.len(),
        report.run.profile,
        target * 100.0
    ))
}

/// The report for a terminal: tables within `width` (the terminal's; `None` when piped, every
/// cell on one line), prose wrapped to it.
pub fn write_terminal(
    report: &Report,
    out: &mut dyn Write,
    width: Option<usize>,
) -> io::Result<()> {
    write_paragraph(out, "", &title(report), width)?;
    write_paragraph(
        out,
        "",
        &format!("machine: {}", machine_line(report)),
        width,
    )?;
    if let Some(origin) = origin_line(report) {
        write_paragraph(out, "", &origin, width)?;
    }
    for toolchain in &report.toolchains {
        let line = format!("toolchain: {}", toolchain_line(toolchain));
        write_paragraph(out, "", &line, width)?;
    }
    let load_only = super::load_tests::load_only(report);
    for line in conditions(report).into_iter().filter(|_| !load_only) {
        write_paragraph(out, "", &line, width)?;
    }
    writeln!(out)?;
    let cases = cases_grid(report);
    if !cases.rows.is_empty() {
        cases.write_text(out, width)?;
    }
    if let Some(grid) = claims::typing_grid(report) {
        writeln!(out, "\ntyping: when is a planted mistake reported?")?;
        grid.write_text(out, width)?;
        if let Some(summary) = claims::typing_summary(report) {
            write_paragraph(out, "", &summary, width)?;
        }
    }
    for titled in super::backend::grids(&report.findings.backend) {
        writeln!(out, "\n{}:", titled.title.to_lowercase())?;
        titled.grid.write_text(out, width)?;
    }
    for note in super::backend::notes(&report.findings.backend) {
        write_paragraph(out, "", &note, width)?;
    }
    if let Some(grid) = super::load_tests::grid(report) {
        writeln!(out, "\nload tests:")?;
        grid.write_text(out, width)?;
    }
    for (title, lines) in sections(report) {
        writeln!(out, "\n{}:", title.to_lowercase())?;
        for line in lines {
            write_paragraph(out, "  ", &line, width)?;
        }
    }
    claims::write_article_text(report, out, width)?;
    if load_only {
        return Ok(());
    }
    writeln!(out)?;
    write_paragraph(out, "", RATIO_NOTE, width)?;
    if let Some(note) = budget_note(report) {
        write_paragraph(out, "", &note, width)?;
    }
    Ok(())
}

pub fn write_markdown(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## {}\n", title(report))?;
    writeln!(out, "- machine: {}", machine_line(report))?;
    if let Some(origin) = origin_line(report) {
        writeln!(out, "- {origin}")?;
    }
    for toolchain in &report.toolchains {
        writeln!(out, "- toolchain: {}", toolchain_line(toolchain))?;
    }
    let load_only = super::load_tests::load_only(report);
    for line in conditions(report).into_iter().filter(|_| !load_only) {
        writeln!(out, "- {line}")?;
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
    if let Some(grid) = super::load_tests::grid(report) {
        writeln!(out, "\n### Load tests\n")?;
        grid.write_markdown(out)?;
    }
    claims::write_article_markdown(report, out)?;
    for (title, lines) in sections(report) {
        writeln!(out, "\n### {title}\n")?;
        for line in lines {
            writeln!(out, "- {line}")?;
        }
    }
    if load_only {
        return Ok(());
    }
    let mut note = RATIO_NOTE.to_string();
    note[..1].make_ascii_uppercase();
    writeln!(out, "\n{note}")?;
    if let Some(note) = budget_note(report) {
        writeln!(out, "\n{note}")?;
    }
    Ok(())
}
