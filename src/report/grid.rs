//! A grid of already formatted cells, rendered as aligned text or as a Markdown table.

use std::io::{self, Write};

use textwrap::core::display_width;

/// Between two columns.
const GAP: &str = "  ";
/// The longest a column's floor is: a longer word (a path, a URL) is broken to fit.
const LONGEST_FLOOR: usize = 16;
/// The narrowest a value of a record is wrapped to, however narrow the width.
const MIN_VALUE: usize = 16;

pub struct Grid {
    pub headers: Vec<String>,
    pub right_aligned: Vec<bool>,
    pub rows: Vec<Vec<String>>,
    /// Columns that name a group of rows (filled on its first row only): when the table must
    /// narrow to fit a width, they leave the table and head their group on a line of its own.
    pub lifted: Vec<usize>,
}

impl Grid {
    pub fn new(headers: &[&str], rows: Vec<Vec<String>>) -> Grid {
        Grid {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            right_aligned: vec![false; headers.len()],
            rows,
            lifted: Vec::new(),
        }
    }

    /// Drops the columns no row fills (an `exec` run has no claim, size or toolchain).
    pub fn without_empty_columns(mut self) -> Grid {
        let keep: Vec<bool> = (0..self.headers.len())
            .map(|col| self.rows.iter().any(|row| !row[col].is_empty()))
            .collect();
        let mut new_index = keep.iter().scan(0, |next, k| {
            let index = *next;
            *next += usize::from(*k);
            Some(k.then_some(index))
        });
        let new_index: Vec<Option<usize>> = new_index.by_ref().collect();
        self.lifted = self.lifted.iter().filter_map(|c| new_index[*c]).collect();
        self.headers = kept(self.headers, &keep);
        self.right_aligned = kept(self.right_aligned, &keep);
        self.rows = self.rows.into_iter().map(|row| kept(row, &keep)).collect();
        self
    }

    fn widths(&self, cols: &[usize]) -> Vec<usize> {
        cols.iter()
            .map(|&col| {
                self.rows
                    .iter()
                    .map(|row| &row[col])
                    .chain([&self.headers[col]])
                    .flat_map(|cell| cell.lines())
                    .map(display_width)
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    /// The narrowest each column is made to fit a width: its longest word (so a number or a
    /// name is never broken), up to [`LONGEST_FLOOR`].
    fn floors(&self, cols: &[usize]) -> Vec<usize> {
        cols.iter()
            .map(|&col| {
                self.rows
                    .iter()
                    .map(|row| &row[col])
                    .chain([&self.headers[col]])
                    .flat_map(|cell| cell.split_whitespace())
                    .map(display_width)
                    .max()
                    .unwrap_or(0)
                    .min(LONGEST_FLOOR)
            })
            .collect()
    }

    /// Aligned columns two spaces apart under a rule. Within `width` (the terminal's), the
    /// [`Grid::lifted`] columns become headings first, then the widest columns are narrowed,
    /// as little as will do, and their cells wrapped at spaces; a table that cannot fit so is
    /// written a record per row, `header: value` (as psql's expanded display). `None` lays
    /// every cell out on one line. A `\n` in a cell starts a new line.
    pub fn write_text(&self, out: &mut dyn Write, width: Option<usize>) -> io::Result<()> {
        let all: Vec<usize> = (0..self.headers.len()).collect();
        if let Some(widths) = fit(&self.widths(&all), &self.floors(&all), width) {
            return self.write_columns(out, &all, &widths, &[], width);
        }
        let kept: Vec<usize> = all
            .iter()
            .copied()
            .filter(|c| !self.lifted.contains(c))
            .collect();
        if !self.lifted.is_empty() && !kept.is_empty() {
            if let Some(widths) = fit(&self.widths(&kept), &self.floors(&kept), width) {
                return self.write_columns(out, &kept, &widths, &self.lifted, width);
            }
        }
        self.write_records(out, width.unwrap_or(usize::MAX))
    }

    /// The columns `cols` at `widths`; a row whose `headings` cells are filled is preceded by
    /// them on a line of their own.
    fn write_columns(
        &self,
        out: &mut dyn Write,
        cols: &[usize],
        widths: &[usize],
        headings: &[usize],
        width: Option<usize>,
    ) -> io::Result<()> {
        let write_row = |out: &mut dyn Write, cells: &[String]| -> io::Result<()> {
            let wrapped: Vec<Vec<String>> = cols
                .iter()
                .zip(widths)
                .map(|(&col, w)| wrap_cell(&cells[col], *w))
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            for line in 0..height {
                let padded: Vec<String> = wrapped
                    .iter()
                    .zip(cols.iter().zip(widths))
                    .map(|(lines, (&col, &w))| {
                        let cell = lines.get(line).map_or("", String::as_str);
                        let pad = " ".repeat(w.saturating_sub(display_width(cell)));
                        if self.right_aligned[col] {
                            format!("{pad}{cell}")
                        } else {
                            format!("{cell}{pad}")
                        }
                    })
                    .collect();
                writeln!(out, "{}", padded.join(GAP).trim_end())?;
            }
            Ok(())
        };
        write_row(out, &self.headers)?;
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        writeln!(out, "{}", rule.join(GAP))?;
        for row in &self.rows {
            let heading: Vec<&str> = headings
                .iter()
                .map(|&c| row[c].as_str())
                .filter(|cell| !cell.is_empty())
                .collect();
            if !heading.is_empty() {
                write_paragraph(out, "", &heading.join(" · "), width)?;
            }
            write_row(out, row)?;
        }
        Ok(())
    }

    /// Each row as `header: value` lines, values wrapped within `width`, rows apart.
    fn write_records(&self, out: &mut dyn Write, width: usize) -> io::Result<()> {
        let label_w = self
            .headers
            .iter()
            .map(|h| display_width(h))
            .max()
            .unwrap_or(0)
            + 2;
        let value_w = width.saturating_sub(label_w).max(MIN_VALUE);
        for (i, row) in self.rows.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            for (header, cell) in self.headers.iter().zip(row).filter(|(_, c)| !c.is_empty()) {
                let label = format!("{header}:");
                for (j, line) in wrap_cell(cell, value_w).iter().enumerate() {
                    let label = if j == 0 { label.as_str() } else { "" };
                    writeln!(out, "{label:<label_w$}{line}")?;
                }
            }
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

/// Column widths that fit `width`: the natural ones when they do (or no width is given); else
/// each column at least its floor, and the rest water-filled: columns narrower than an even
/// share of what is left keep their width, the wider ones share the rest (the widest give up
/// the most). `None` when even the floors do not fit.
fn fit(natural: &[usize], floors: &[usize], width: Option<usize>) -> Option<Vec<usize>> {
    let gaps = GAP.len() * natural.len().saturating_sub(1);
    let Some(width) = width else {
        return Some(natural.to_vec());
    };
    if natural.iter().sum::<usize>() + gaps <= width {
        return Some(natural.to_vec());
    }
    let floors: Vec<usize> = floors.iter().zip(natural).map(|(f, n)| *f.min(n)).collect();
    width.checked_sub(gaps + floors.iter().sum::<usize>())?;
    // Columns held at their floor; the others are water-filled in what the held ones leave.
    let mut held = vec![false; natural.len()];
    loop {
        let left = width
            - gaps
            - (0..natural.len())
                .filter(|&c| held[c])
                .map(|c| floors[c])
                .sum::<usize>();
        let free: Vec<usize> = (0..natural.len()).filter(|&c| !held[c]).collect();
        let filled = water_fill(&free.iter().map(|&c| natural[c]).collect::<Vec<_>>(), left);
        let mut fitted = floors.clone();
        let mut below = false;
        for (&col, w) in free.iter().zip(filled) {
            if w < floors[col] {
                held[col] = true;
                below = true;
            } else {
                fitted[col] = w;
            }
        }
        if !below {
            return Some(fitted);
        }
    }
}

/// `natural` widths within `room`: a column narrower than an even share of what the narrower
/// ones leave keeps its width; the wider ones share the rest in proportion to their widths (a
/// long prose column takes more of it than a short one, so neither wraps much more).
fn water_fill(natural: &[usize], room: usize) -> Vec<usize> {
    let mut left = room;
    let mut order: Vec<usize> = (0..natural.len()).collect();
    order.sort_by_key(|&col| natural[col]);
    let mut filled = natural.to_vec();
    for (done, &col) in order.iter().enumerate() {
        if natural[col] <= left / (natural.len() - done) {
            left -= natural[col];
            continue;
        }
        let rest = &order[done..];
        let total: usize = rest.iter().map(|&c| natural[c]).sum();
        let mut given = 0;
        for &wide in rest {
            filled[wide] = left * natural[wide] / total;
            given += filled[wide];
        }
        // What rounding down left over goes to the widest.
        if let Some(&widest) = rest.last() {
            filled[widest] += left - given;
        }
        break;
    }
    filled
}

/// Lines broken at spaces only (a version such as `6.18.44-fc-v1252` or a flag is not split at
/// its hyphens); a word longer than a line is broken where the line ends.
fn options(width: usize) -> textwrap::Options<'static> {
    textwrap::Options::new(width).word_splitter(textwrap::WordSplitter::NoHyphenation)
}

/// `cell` in lines no wider than `width`, broken at its own newlines and then at spaces.
fn wrap_cell(cell: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for line in cell.split('\n') {
        if display_width(line) <= width {
            lines.push(line.to_string());
        } else {
            lines.extend(
                textwrap::wrap(line, options(width.max(1)))
                    .into_iter()
                    .map(|l| l.into_owned()),
            );
        }
    }
    lines
}

/// A paragraph of prose wrapped within `width` (on one line without one), every line after
/// the first indented by `indent` more than the first.
pub fn write_paragraph(
    out: &mut dyn Write,
    first_indent: &str,
    text: &str,
    width: Option<usize>,
) -> io::Result<()> {
    let Some(width) = width else {
        return writeln!(out, "{first_indent}{text}");
    };
    let rest = format!("{first_indent}  ");
    let options = options(width.max(first_indent.len() + MIN_VALUE))
        .initial_indent(first_indent)
        .subsequent_indent(&rest);
    for line in textwrap::wrap(text, options) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Grid {
        let mut grid = Grid::new(
            &["workload", "what", "ratio"],
            vec![
                vec![
                    "cpu/nbody".into(),
                    "a long explanation of what was measured and why it matters here".into(),
                    "1.23×".into(),
                ],
                vec!["io/read".into(), "short".into(), "0.9×".into()],
            ],
        );
        grid.right_aligned[2] = true;
        grid
    }

    fn text(grid: &Grid, width: Option<usize>) -> String {
        let mut out = Vec::new();
        grid.write_text(&mut out, width).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn without_a_width_every_cell_is_on_one_line() {
        let all = text(&grid(), None);
        assert_eq!(all.lines().count(), 4, "{all}");
        assert!(all.contains("a long explanation of what was measured and why it matters here"));
    }

    #[test]
    fn within_a_width_no_line_is_wider_and_every_word_is_kept_in_order() {
        for width in [32, 40, 52, 80, 200] {
            let all = text(&grid(), Some(width));
            for line in all.lines() {
                assert!(display_width(line) <= width, "{width}: {line:?}\n{all}");
            }
            let words: Vec<&str> = all.split_whitespace().collect();
            let position = |w: &str| words.iter().position(|x| *x == w).unwrap();
            assert!(position("explanation") < position("matters"), "{all}");
            // The narrow columns keep their width: the ratio stays whole and right-aligned.
            assert!(all.lines().any(|l| l.ends_with("1.23×")), "{all}");
            assert!(all.lines().any(|l| l.ends_with(" 0.9×")), "{all}");
        }
        assert_eq!(text(&grid(), Some(200)), text(&grid(), None));
    }

    #[test]
    fn water_filling_narrows_only_the_widest_columns_and_none_below_its_floor() {
        let fit = |natural: &[usize], floors: &[usize], width| fit(natural, floors, width);
        assert_eq!(
            fit(&[10, 50, 5], &[1, 1, 1], Some(45)),
            Some(vec![10, 26, 5])
        );
        assert_eq!(
            fit(&[40, 40, 5], &[1, 1, 1], Some(49)),
            Some(vec![20, 20, 5])
        );
        assert_eq!(fit(&[10, 50, 5], &[1, 1, 1], None), Some(vec![10, 50, 5]));
        // The second column's floor holds it at 30; the first takes what is left.
        assert_eq!(
            fit(&[40, 40, 5], &[1, 30, 1], Some(49)),
            Some(vec![10, 30, 5])
        );
        // Floors that do not fit: no widths (the grid is written as records).
        assert_eq!(fit(&[30, 30], &[10, 10], Some(21)), None);
    }

    #[test]
    fn a_table_too_wide_for_its_floors_is_written_as_records() {
        let all = text(&grid(), Some(20));
        assert_eq!(
            all,
            "workload: cpu/nbody\nwhat:     a long\n          explanation of\n          what was\n          measured and why\n          it matters here\nratio:    1.23×\n\nworkload: io/read\nwhat:     short\nratio:    0.9×\n"
        );
    }

    #[test]
    fn group_columns_become_headings_before_the_table_turns_to_records() {
        let mut grid = Grid::new(
            &["workload", "toolchain", "ratio"],
            vec![
                vec![
                    "concurrency/idle-tasks".into(),
                    "go".into(),
                    "baseline".into(),
                ],
                vec![String::new(), "cpython 3.11.7".into(), "1.33×".into()],
            ],
        );
        grid.lifted = vec![0];
        let narrow = text(&grid, Some(30));
        assert_eq!(
            narrow,
            "toolchain       ratio\n──────────────  ────────\nconcurrency/idle-tasks\ngo              baseline\ncpython 3.11.7  1.33×\n"
        );
        // Wide enough: the group stays a column.
        assert!(text(&grid, Some(60)).starts_with("workload  "));
    }

    #[test]
    fn a_newline_in_a_cell_starts_a_line_of_its_own() {
        let grid = Grid::new(&["a", "b"], vec![vec!["x\ny".into(), "z".into()]]);
        assert_eq!(text(&grid, None), "a  b\n─  ─\nx  z\ny\n");
    }

    #[test]
    fn a_paragraph_wraps_with_a_hanging_indent() {
        let mut out = Vec::new();
        write_paragraph(&mut out, "  ", "one two three four five six", Some(18)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "  one two three\n    four five six\n"
        );
    }
}
