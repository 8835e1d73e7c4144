//! What `versus load --db` stored: one case per load test, its figures the metrics a backend
//! case stores under the same names. Their wall time is only the length of the test, so they
//! leave the main table for a grid of their own.

use super::grid::Grid;
use super::model::Report;
use super::units::{format_count, format_rate, format_seconds, three_digits};
use super::view::CaseView;
use crate::backend::metric;
use crate::case::{CaseKind, CaseVerdict};

pub fn is_load(case: &CaseView) -> bool {
    case.kind == CaseKind::Load
}

/// A run of `versus load`: no program of a language ran, so neither the article's table nor
/// the conditions programs ran under say anything about it.
pub fn load_only(report: &Report) -> bool {
    !report.cases.is_empty() && report.cases.iter().all(is_load)
}

/// The grid of the run's load tests; none when it has none.
pub fn grid(report: &Report) -> Option<Grid> {
    let rows: Vec<Vec<String>> = report
        .cases
        .iter()
        .filter(|c| is_load(c))
        .map(row)
        .collect();
    if rows.is_empty() {
        return None;
    }
    let headers = [
        "request",
        "load",
        "duration",
        "answers/s",
        "errors",
        "p50",
        "p99",
        "p99.9",
        "max",
        "server cpu",
        "answers per cpu-s",
        "result",
    ];
    let mut grid = Grid::new(&headers, rows);
    grid.right_aligned = headers
        .iter()
        .map(|h| !matches!(*h, "request" | "load" | "result"))
        .collect();
    Some(grid.without_empty_columns())
}

fn row(case: &CaseView) -> Vec<String> {
    let value = |name: &str| case.metrics.get(name).map(|s| s.median);
    let ms = |name: &str| {
        value(name)
            .map(|v| format_seconds(v / 1000.0))
            .unwrap_or_default()
    };
    let result = match (&case.detail, case.verdict) {
        (_, CaseVerdict::Ok) if value(metric::OVERLOADED) == Some(1.0) => {
            "ok (generator overloaded: rate not held)".to_string()
        }
        (Some(detail), verdict) if verdict != CaseVerdict::Ok => format!("{verdict}: {detail}"),
        (_, verdict) => verdict.to_string(),
    };
    vec![
        case.workload.clone(),
        case.label.clone().unwrap_or_default(),
        case.wall_s
            .as_ref()
            .map(|w| format_seconds(w.median))
            .unwrap_or_default(),
        value(metric::THROUGHPUT)
            .map(format_rate)
            .unwrap_or_default(),
        value(metric::ERRORS)
            .map(|e| format_count(e as u64))
            .unwrap_or_default(),
        ms(metric::P50),
        ms(metric::P99),
        ms(metric::P999),
        ms(metric::MAX),
        value(metric::SERVER_CPU)
            .map(format_seconds)
            .unwrap_or_default(),
        value(metric::PER_CPU).map(three_digits).unwrap_or_default(),
        result,
    ]
}
