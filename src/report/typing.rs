//! The typing suite in the report: for each planted mistake, when each toolchain (and Python
//! with its type checker) reported it.

use serde::Serialize;

use crate::store::{StoredFinding, StoredRun};
use crate::toolchain::Toolchain;
use crate::typecheck::Stage;

#[derive(Clone, Debug, Default, Serialize)]
pub struct TypingView {
    /// Column names: `go 1.26.8`, `cpython 3.11.7`, `cpython 3.11.7 + mypy` …
    pub columns: Vec<String>,
    pub rows: Vec<TypingRow>,
    /// Per column: how many of the mistakes (controls left out) were reported before the run.
    pub before_run: Vec<usize>,
    /// Mistakes counted in `before_run` (the controls are not).
    pub mistakes: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct TypingRow {
    pub workload: String,
    pub mistake: String,
    pub control: bool,
    /// One per column; `None` when that column has no finding for this workload.
    pub cells: Vec<Option<TypingCell>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TypingCell {
    pub stage: Stage,
    pub tool: String,
    pub line: u32,
    pub detail: String,
}

fn column_of(finding: &StoredFinding, toolchains: &[Toolchain]) -> String {
    let label = toolchains
        .iter()
        .find(|t| t.id == finding.toolchain_id)
        .map_or_else(|| finding.toolchain_id.clone(), Toolchain::label);
    if finding.with_checker {
        format!("{label} + type checker")
    } else {
        label
    }
}

pub fn view(run: &StoredRun) -> TypingView {
    let mut view = TypingView::default();
    // Go first, then Python alone, then Python with its type checker.
    let mut ordered: Vec<&StoredFinding> = run.typing.iter().collect();
    ordered.sort_by_key(|f| (f.language != "go", f.with_checker));
    for finding in ordered {
        let column = column_of(finding, &run.toolchains);
        if !view.columns.contains(&column) {
            view.columns.push(column);
        }
    }
    for finding in &run.typing {
        let column = view
            .columns
            .iter()
            .position(|c| *c == column_of(finding, &run.toolchains));
        let index = match view
            .rows
            .iter()
            .position(|r| r.workload == finding.workload)
        {
            Some(index) => index,
            None => {
                view.rows.push(TypingRow {
                    workload: finding.workload.clone(),
                    mistake: finding.mistake.clone(),
                    control: finding.expect_never,
                    cells: vec![None; view.columns.len()],
                });
                view.rows.len() - 1
            }
        };
        if let Some(column) = column {
            view.rows[index].cells[column] = Some(TypingCell {
                stage: finding.stage,
                tool: finding.tool.clone(),
                line: finding.mistake_line,
                detail: finding.detail.clone(),
            });
        }
    }
    let mistakes: Vec<&TypingRow> = view.rows.iter().filter(|r| !r.control).collect();
    view.mistakes = mistakes.len();
    view.before_run = (0..view.columns.len())
        .map(|c| {
            mistakes
                .iter()
                .filter(|r| matches!(&r.cells[c], Some(cell) if cell.stage == Stage::BeforeRun))
                .count()
        })
        .collect();
    view
}
