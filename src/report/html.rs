//! A self-contained HTML report: one file, no scripts, fonts or stylesheets from anywhere, charts
//! as inline SVG (criterion.rs's approach: a view model of formatted strings, then markup).
//! Every text that comes from a manifest or a command line is escaped.

mod axis;
mod backend;
mod bars;
mod choices;
mod line_chart;
mod sweeps;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;
use std::io::{self, Write};

use super::article::Stance;
use super::claims;
use super::grid::Grid;
use super::model::Report;
use super::units::{format_bytes, format_ratio, format_seconds};
use crate::case::CaseVerdict;
use bars::{memory_chart, ratio_chart};
use sweeps::sweep_charts;

pub(crate) const STYLE: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#1d2329}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccd;padding-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0;font-size:13px}th,td{border:1px solid #dde;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f2f4f7}td.num{text-align:right;white-space:nowrap}.muted{color:#667}
.agrees{color:#1a7f37}.contradicts{color:#c0392b;font-weight:600}.nuance{color:#9a6700}
svg text{font:12px system-ui,sans-serif;fill:#1d2329}svg text.tick{fill:#57606a}ul{padding-left:1.2em}code{background:#f2f4f7;padding:0 .2em}
";

/// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut page = String::new();
    let title = format!("versus {} #{}", report.run.command, report.run_id);
    let _ = write!(
        page,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>",
        escape(&title)
    );
    let _ = write!(
        page,
        "<h1>{}</h1><p class=\"muted\">{} · profile {} · {} · {} · {} cores · {} · Linux {}</p>",
        escape(&title),
        escape(&report.run.started_at),
        escape(&report.run.profile),
        escape(&report.run.status),
        escape(&report.environment.cpu_model),
        report.environment.cores,
        escape(&format_bytes(report.environment.memory_bytes)),
        escape(&report.environment.kernel),
    );
    if let Some(origin) = super::table::origin_line(report) {
        let _ = write!(page, "<p class=\"muted\">{}</p>", escape(&origin));
    }
    toolchains(report, &mut page);
    article(report, &mut page);
    choices::choices(report, &mut page);
    ratio_chart(report, &mut page);
    memory_chart(report, &mut page);
    // A backend rate is a sweep whose wall time is the fixed length of a load phase: its
    // chart is latency against the rate, drawn with the backend services.
    let sweeps: Vec<_> = report
        .series
        .iter()
        .filter(|s| {
            !s.points
                .iter()
                .any(|p| super::backend::is_backend(&report.cases[p.case_index]))
        })
        .cloned()
        .collect();
    sweep_charts(&sweeps, report.environment.cores, &mut page);
    backend::section(&report.findings.backend, &mut page);
    if let Some(grid) = super::load_tests::grid(report) {
        page.push_str("<h2>Load tests</h2>");
        grid_table("load-tests", &grid, &mut page);
    }
    cases_table(report, &mut page);
    typing(report, &mut page);
    notes(report, &mut page);
    page.push_str("</body></html>\n");
    out.write_all(page.as_bytes())
}

fn toolchains(report: &Report, page: &mut String) {
    // A load test ran no program: no toolchain, and no conditions programs ran under.
    if super::load_tests::load_only(report) {
        return;
    }
    page.push_str("<h2>Toolchains</h2><ul>");
    for t in &report.toolchains {
        let _ = write!(
            page,
            "<li><b>{}</b> — <code>{}</code> ({}){}</li>",
            escape(&t.label()),
            escape(&t.executable.display().to_string()),
            escape(&t.found_by),
            t.shim
                .as_ref()
                .map(|s| format!(", found as {}", escape(s)))
                .unwrap_or_default()
        );
    }
    page.push_str("</ul><h2>Conditions</h2><ul id=\"conditions\">");
    for line in super::table::conditions(report) {
        let _ = write!(page, "<li>{}</li>", escape(&line));
    }
    page.push_str("</ul>");
}

fn article(report: &Report, page: &mut String) {
    if report.article.is_empty() {
        return;
    }
    page.push_str(
        "<h2>The article, measured on this machine</h2><table id=\"article\"><tr><th>Factor</th>\
         <th>Python (article)</th><th>Go (article)</th><th>On this machine</th><th>Verdict</th></tr>",
    );
    for row in &report.article {
        let class = match row.stance {
            Stance::Agrees => "agrees",
            Stance::Contradicts => "contradicts",
            Stance::Nuance => "nuance",
            Stance::NotMeasured | Stance::Cited => "muted",
        };
        let mut measured = escape(&row.measured);
        for cited in &row.cited {
            let _ = write!(
                measured,
                "<br><span class=\"muted\">cited: {} — {} ({}, <a href=\"{}\">{}</a>)</span>",
                escape(&cited.figures()),
                escape(&cited.counts),
                cited.year,
                escape(&cited.url),
                escape(&cited.source),
            );
        }
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{measured}</td><td class=\"{class}\">{}</td></tr>",
            escape(&row.factor),
            escape(&row.python_says),
            escape(&row.go_says),
            escape(row.stance.as_str()),
        );
    }
    page.push_str("</table>");
}

fn cases_table(report: &Report, page: &mut String) {
    if super::load_tests::load_only(report) {
        return;
    }
    page.push_str(
        "<h2>Every case</h2><table id=\"cases\"><tr><th>Group</th><th>Toolchain</th><th>Runs</th>\
         <th>Median</th><th>±MAD</th><th>Peak memory</th><th>Ratio (95% CI)</th><th>Result</th><th>Command</th></tr>",
    );
    // Backend cases and load tests have their own tables: their wall time is only the load
    // phase's length.
    for case in report
        .cases
        .iter()
        .filter(|c| !super::backend::is_backend(c) && !super::load_tests::is_load(c))
    {
        let wall = case.wall_s.as_ref();
        let comparison = report.comparison_of(case).filter(|_| !case.baseline);
        let result = if case.verdict != CaseVerdict::Ok {
            case.verdict.to_string()
        } else {
            comparison.map_or(
                if case.baseline { "baseline" } else { "ok" }.to_string(),
                |c| c.verdict.as_str().to_string(),
            )
        };
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td><code>{}</code></td></tr>",
            escape(&case.group),
            escape(&case.label_with_backing()),
            case.runs,
            wall.map(|w| format_seconds(w.median)).unwrap_or_default(),
            wall.map(|w| format_seconds(w.mad)).unwrap_or_default(),
            case.tree_peak_bytes
                .or(case.peak_rss_bytes)
                .map(format_bytes)
                .unwrap_or_default(),
            comparison
                .map(|c| format!(
                    "{} {}",
                    format_ratio(c.ratio, c.ci_low, c.ci_high),
                    escape(c.metric.label())
                ))
                .unwrap_or_default(),
            escape(&result),
            escape(
                &case
                    .command
                    .as_ref()
                    .map(|c| c.join(" "))
                    .unwrap_or_default()
            ),
        );
    }
    page.push_str("</table>");
}

/// A grid as a table: every cell escaped, numbers right-aligned as the grid says.
fn grid_table(id: &str, grid: &Grid, page: &mut String) {
    let _ = write!(page, "<table id=\"{}\"><tr>", escape(id));
    for header in &grid.headers {
        let _ = write!(page, "<th>{}</th>", escape(header));
    }
    page.push_str("</tr>");
    for row in &grid.rows {
        page.push_str("<tr>");
        for (cell, right) in row.iter().zip(&grid.right_aligned) {
            let class = if *right { " class=\"num\"" } else { "" };
            let _ = write!(page, "<td{class}>{}</td>", escape(cell));
        }
        page.push_str("</tr>");
    }
    page.push_str("</table>");
}

fn typing(report: &Report, page: &mut String) {
    let Some(grid) = claims::typing_grid(report) else {
        return;
    };
    page.push_str("<h2>Typing: when is a planted mistake reported?</h2>");
    grid_table("typing", &grid, page);
    if let Some(summary) = claims::typing_summary(report) {
        let _ = write!(page, "<p class=\"muted\">{}</p>", escape(&summary));
    }
}

fn notes(report: &Report, page: &mut String) {
    for (title, lines) in super::table::sections(report) {
        let _ = write!(page, "<h2>{}</h2><ul>", escape(title));
        for line in lines {
            let _ = write!(page, "<li>{}</li>", escape(&line));
        }
        page.push_str("</ul>");
    }
}
