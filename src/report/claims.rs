//! The article's comparison table and the typing suite's table, as terminal text and Markdown.

use std::io::{self, Write};

use super::article::ArticleRow;
use super::cited::Cited;
use super::grid::Grid;
use super::model::Report;
use super::sentences::{Check, verdict};

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

/// A cited figure in a line: its figures, year and source.
fn cited_brief(c: &Cited) -> String {
    format!("{} ({}, {})", c.figures(), c.year, c.url)
}

/// The article's choices and warnings, each with its verdict and the evidence behind it, as
/// `(indent, text)` lines: a quoted sentence, its verdict, its checks.
fn choice_lines(report: &Report) -> Vec<(usize, String)> {
    let id = report.run_id;
    let mut lines = Vec::new();
    let check_lines = |checks: &[Check], lines: &mut Vec<(usize, String)>, depth: usize| {
        for check in checks {
            let mut text = format!("{} — {}", verdict(check.stance), check.text(id));
            if !check.cited.is_empty() {
                let cited: Vec<String> = check.cited.iter().map(cited_brief).collect();
                text = format!("{text} {}", cited.join("; "));
            }
            lines.push((depth, text));
        }
    };
    for choice in &report.choices.choices {
        lines.push((0, format!("“{}”", choice.quote)));
        lines.push((
            1,
            format!("{} — {}", verdict(choice.stance), choice.summary()),
        ));
        check_lines(&choice.checks, &mut lines, 2);
    }
    lines
}

fn skip_lines(report: &Report) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    for claim in &report.choices.skip.claims {
        lines.push((0, format!("“{}”", claim.quote)));
        if claim.checks.is_empty() {
            lines.push((1, "nothing measured or cited bears on it".into()));
        }
        for check in &claim.checks {
            let mut text = format!("{} — {}", verdict(check.stance), check.text(report.run_id));
            if !check.cited.is_empty() {
                let cited: Vec<String> = check.cited.iter().map(cited_brief).collect();
                text = format!("{text} {}", cited.join("; "));
            }
            lines.push((1, text));
        }
    }
    lines
}

/// The article's six choices and four warnings, weighed with this run, within `width`.
pub fn write_choices_text(
    report: &Report,
    out: &mut dyn Write,
    width: Option<usize>,
) -> io::Result<()> {
    if report.choices.choices.is_empty() {
        return Ok(());
    }
    let fill = |depth: usize, text: &str| {
        let first = "  ".repeat(depth + 1);
        let rest = format!("{first}  ");
        match width {
            Some(w) => textwrap::fill(
                text,
                textwrap::Options::new(w)
                    .initial_indent(&first)
                    .subsequent_indent(&rest),
            ),
            None => format!("{first}{text}"),
        }
    };
    let sections = [
        (&report.choices.heading, "weighed", choice_lines(report)),
        (&report.choices.skip.heading, "checked", skip_lines(report)),
    ];
    for (heading, how, lines) in sections {
        writeln!(
            out,
            "\n{} (the article, {how} with run #{}):",
            heading.to_lowercase().trim_end_matches('?'),
            report.run_id
        )?;
        for (depth, text) in lines {
            writeln!(out, "{}", fill(depth, &text))?;
        }
    }
    Ok(())
}

pub fn write_choices_markdown(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.choices.choices.is_empty() {
        return Ok(());
    }
    let sections = [
        (&report.choices.heading, "weighed", choice_lines(report)),
        (&report.choices.skip.heading, "checked", skip_lines(report)),
    ];
    for (heading, how, lines) in sections {
        writeln!(out, "\n### {heading} (the article, {how} with this run)")?;
        for (depth, text) in lines {
            match depth {
                0 => writeln!(out, "\n> {text}\n")?,
                d => writeln!(out, "{}- {text}", "  ".repeat(d - 1))?,
            }
        }
    }
    Ok(())
}
