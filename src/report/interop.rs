//! The evidence for "Can I use Python and Go together?": the interop workloads, where Python
//! drives work done in Go (through ctypes), against the same work in pure Python and pure Go.
//! Each Python program's ratio to Go is the run's own comparison; what crossing the boundary
//! costs is the gap between two library-backed programs doing the same work with more or fewer
//! calls into Go (the workload's manifest says how many each makes).

use super::inputs::{Evidence, Inputs, not_measured};
use super::units::{format_ratio, format_seconds};
use super::view::{CaseView, ComparisonView};
use crate::case::CaseKind;
use crate::suite::Metric;

/// One Python program of an interop workload against Go.
struct Program<'a> {
    label: String,
    library_backed: bool,
    comparison: &'a ComparisonView,
    case: &'a CaseView,
}

pub fn evidence(inputs: &Inputs) -> Evidence {
    let programs: Vec<Program> = inputs
        .comparisons
        .iter()
        .filter(|c| c.kind == CaseKind::Workload)
        .filter_map(|c| {
            let case = &inputs.cases[c.contender_index];
            let base = &inputs.cases[c.baseline_index];
            let python = case.language.as_deref() == Some("python");
            let go = base.language.as_deref() == Some("go");
            (case.claim.as_deref() == Some("interop") && python && go).then(|| Program {
                label: case.label.clone().unwrap_or_else(|| "pure Python".into()),
                library_backed: case.variant.as_deref() == Some("library-backed"),
                comparison: c,
                case,
            })
        })
        .collect();
    if programs.is_empty() {
        return not_measured("interop workload", "versus run interop/nbody-go-kernel");
    }
    let mut workloads: Vec<&str> = Vec::new();
    for p in &programs {
        if !workloads.contains(&p.comparison.workload.as_str()) {
            workloads.push(&p.comparison.workload);
        }
    }
    let parts: Vec<String> = workloads
        .iter()
        .map(|w| {
            let of: Vec<&Program> = programs
                .iter()
                .filter(|p| p.comparison.workload == *w)
                .collect();
            workload_text(w, &of)
        })
        .collect();
    Evidence {
        measured: true,
        text: format!("{} (run #{})", parts.join("; "), inputs.run_id),
        favours: None,
        nuance: None,
    }
}

/// `interop/nbody-go-kernel: as a share of Go's cpu time, pure Python 55.0× [..], ctypes+go,
/// one call 3.70× [..]; …`, and the boundary's cost.
fn workload_text(workload: &str, programs: &[&Program]) -> String {
    let ratios: Vec<String> = programs
        .iter()
        .map(|p| {
            let c = p.comparison;
            format!(
                "{} takes {} Go's {} time",
                p.label,
                format_ratio(c.ratio, c.ci_low, c.ci_high),
                c.metric.label()
            )
        })
        .collect();
    // No ladder separates start-up here: each ratio is of whole processes at the size run.
    let size = programs
        .first()
        .and_then(|p| p.comparison.size.as_deref())
        .map_or(String::new(), |s| format!(" at the {s} size"));
    let mut text = format!(
        "{workload} (whole process{size}, start-up included): {}",
        ratios.join(", ")
    );
    if let Some(gap) = boundary(programs) {
        text.push_str(&format!("; {gap}"));
    }
    text
}

/// The gap between the quickest and the slowest library-backed program: the same work, more
/// crossings into Go.
fn boundary(programs: &[&Program]) -> Option<String> {
    let timed: Vec<(&Program, f64)> = programs
        .iter()
        .filter(|p| p.library_backed)
        .filter_map(|p| Some((*p, median(p.case, &p.comparison.metric)?)))
        .collect();
    let fast = timed.iter().min_by(|a, b| a.1.total_cmp(&b.1))?;
    let slow = timed.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    if std::ptr::eq(fast.0, slow.0) {
        return None;
    }
    Some(format!(
        "{} takes {} more than {} ({} against {} median): what its extra calls across the \
         boundary into Go cost",
        slow.0.label,
        format_seconds(slow.1 - fast.1),
        fast.0.label,
        format_seconds(slow.1),
        format_seconds(fast.1)
    ))
}

fn median(case: &CaseView, metric: &Metric) -> Option<f64> {
    match metric {
        Metric::Wall => case.wall_s.as_ref().map(|s| s.median),
        Metric::Cpu => case.cpu_s.as_ref().map(|s| s.median),
        Metric::Reported(name) => case.metrics.get(name.as_str()).map(|s| s.median),
    }
}
