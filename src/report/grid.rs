//! A grid of already formatted cells, rendered as aligned text or as a Markdown table.

use std::io::{self, Write};

pub struct Grid {
    pub headers: Vec<String>,
    pub right_aligned: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    pub fn new(headers: &[&str], rows: Vec<Vec<String>>) -> Grid {
        Grid {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            right_aligned: vec![false; headers.len()],
            rows,
        }
    }

    /// Drops the columns no row fills (an `exec` run has no claim, size or toolchain).
    pub fn without_empty_columns(mut self) -> Grid {
        let keep: Vec<bool> = (0..self.headers.len())
            .map(|col| self.rows.iter().any(|row| !row[col].is_empty()))
            .collect();
        self.headers = kept(self.headers, &keep);
        self.right_aligned = kept(self.right_aligned, &keep);
        self.rows = self.rows.into_iter().map(|row| kept(row, &keep)).collect();
        self
    }

    fn widths(&self) -> Vec<usize> {
        (0..self.headers.len())
            .map(|col| {
                self.rows
                    .iter()
                    .map(|row| row[col].chars().count())
                    .chain([self.headers[col].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let widths = self.widths();
        let line = |cells: Vec<&str>| -> String {
            let padded: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(col, cell)| {
                    let pad = widths[col] - cell.chars().count();
                    if self.right_aligned[col] {
                        format!("{}{cell}", " ".repeat(pad))
                    } else {
                        format!("{cell}{}", " ".repeat(pad))
                    }
                })
                .collect();
            padded.join("  ").trim_end().to_string()
        };
        writeln!(
            out,
            "{}",
            line(self.headers.iter().map(String::as_str).collect())
        )?;
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        writeln!(out, "{}", line(rule.iter().map(String::as_str).collect()))?;
        for row in &self.rows {
            writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
        }
        Ok(())
    }

    pub fn write_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        let escape = |cell: &str| cell.replace('|', "\\|");
        writeln!(out, "| {} |", self.headers.join(" | "))?;
        let align: Vec<&str> = self
            .right_aligned
            .iter()
            .map(|r| if *r { "---:" } else { ":---" })
            .collect();
        writeln!(out, "| {} |", align.join(" | "))?;
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
        Ok(())
    }
}

fn kept<T>(values: Vec<T>, keep: &[bool]) -> Vec<T> {
    values
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(v, _)| v)
        .collect()
}
