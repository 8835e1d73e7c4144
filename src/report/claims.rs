//! The article's comparison table and the typing suite's table, as terminal text and Markdown.

use std::io::{self, Write};

use super::article::{ArticleRow, Cited};
use super::grid::Grid;
use super::model::Report;

/// `before-run (go build)`, per column; `—` where a column has no finding.
pub fn typing_grid(report: &Report) -> Option<Grid> {
    let view = &report.typing;
    if view.rows.is_empty() {
        return None;
    }
    let mut headers = vec!["workload", "mistake"];
    headers.extend(view.columns.iter().map(String::as_str));
    let rows = view
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                row.workload.clone(),
                if row.control {
                    format!("{} (control)", row.mistake)
                } else {
                    row.mistake.clone()
                },
            ];
            cells.extend(row.cells.iter().map(|cell| match cell {
                Some(cell) if cell.tool.is_empty() => cell.stage.to_string(),
                Some(cell) => format!("{} ({})", cell.stage, cell.tool),
                None => "—".to_string(),
            }));
            cells
        })
        .collect();
    Some(Grid::new(&headers, rows))
}

/// The line under the typing table: how many mistakes each column caught before the run.
pub fn typing_summary(report: &Report) -> Option<String> {
    let view = &report.typing;
    if view.rows.is_empty() {
        return None;
    }
    let parts: Vec<String> = view
        .columns
        .iter()
        .zip(&view.before_run)
        .map(|(column, n)| format!("{column} {n}/{}", view.mistakes))
        .collect();
    Some(format!(
        "reported before the program runs (controls left out): {}; a report counts only when it \
         names the mistake's own line",
        parts.join(", ")
    ))
}

pub fn cited_line(c: &Cited) -> String {
    format!(
        "{} — {} ({}, {})",
        c.figures(),
        c.counts_briefly(),
        c.year,
        c.url
    )
}

/// The article's table, measured, as a table: within `width`, long cells wrap.
pub fn write_article_text(
    report: &Report,
    out: &mut dyn Write,
    width: Option<usize>,
) -> io::Result<()> {
    if report.article.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\nthe article, measured on this machine (run #{}):",
        report.run_id
    )?;
    article_grid(&report.article, "\n").write_text(out, width)
}

pub fn write_article_markdown(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.article.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n### The article, measured on this machine\n")?;
    article_grid(&report.article, "<br>").write_markdown(out)
}

/// One row per factor; a cited figure goes under the measurement, after `line_break`.
pub fn article_grid(article: &[ArticleRow], line_break: &str) -> Grid {
    let rows = article
        .iter()
        .map(|row| {
            let mut measured = row.measured.clone();
            for cited in &row.cited {
                measured.push_str(&format!("{line_break}cited: {}", cited_line(cited)));
            }
            vec![
                row.factor.clone(),
                row.python_says.clone(),
                row.go_says.clone(),
                measured,
                row.stance.as_str().to_string(),
            ]
        })
        .collect();
    Grid::new(
        &[
            "Factor",
            "Python (article)",
            "Go (article)",
            "On this machine",
            "Verdict",
        ],
        rows,
    )
}
