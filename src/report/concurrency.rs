//! The concurrency finding, from the `concurrency` suite's series and rates: what idle tasks cost
//! in memory and how far each form got, how parallel CPU work scales with workers, and how many
//! messages each form passes per second.

use serde::Serialize;

use super::series::{Ratio, Series, WORKERS, form_of};
use super::view::{CaseFlag, CaseView};
use crate::case::{CaseKind, CaseVerdict};
use crate::stats::{self, Estimate, Observation};

/// The swept parameter of the idle-tasks workloads.
pub const TASKS: &str = "tasks";

#[derive(Clone, Debug, Default, Serialize)]
pub struct Concurrency {
    pub idle_tasks: Vec<IdleTasks>,
    pub scaling: Vec<Scaling>,
    pub rates: Vec<Rate>,
}

impl Concurrency {
    pub fn is_empty(&self) -> bool {
        self.idle_tasks.is_empty() && self.scaling.is_empty() && self.rates.is_empty()
    }
}

/// One form (goroutines, asyncio, threads) over a sweep of idle tasks.
#[derive(Clone, Debug, Serialize)]
pub struct IdleTasks {
    pub workload: String,
    pub language: Option<String>,
    pub series: String,
    pub form: String,
    /// The form with its Python (`cpython asyncio`, `pypy threads`), or `goroutines`.
    pub who: String,
    /// The largest number of tasks that completed with verified output.
    pub largest_ok: Option<u64>,
    /// The first point that did not complete, with its verdict and reason.
    pub stopped_at: Option<Stopped>,
    /// Memory per idle task: the slope of the tree's peak over the number of tasks, fitted
    /// through every run of every completed point (Theil–Sen).
    pub bytes_per_task: Option<f64>,
    /// The same slope with its 95% interval, and the intercept (the base memory of the
    /// program with no task), when at least two points completed. The interval resamples the
    /// runs of each point: with one run per point it is the point itself and `runs_per_point`
    /// says so.
    pub per_task: Option<Estimate>,
    pub base_bytes: Option<Estimate>,
    pub runs_per_point: usize,
    pub tree_peak_bytes: Option<u64>,
    pub wall_s: Option<f64>,
    /// Time to start all tasks at `largest_ok`, as the program measured it.
    pub spawn_s: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Stopped {
    pub at: u64,
    pub verdict: CaseVerdict,
    pub detail: Option<String>,
}

/// One form over a sweep of workers: its speedup at as many workers as the machine has cores.
#[derive(Clone, Debug, Serialize)]
pub struct Scaling {
    pub workload: String,
    pub language: Option<String>,
    pub series: String,
    pub form: String,
    pub who: String,
    /// The point the speedup is read at: the cores, or the largest point below them.
    pub workers: u64,
    pub speedup: Ratio,
    /// Speedup ÷ workers (1 is perfect scaling).
    pub efficiency: f64,
    /// Every verified point: (workers, speedup).
    pub curve: Vec<(u64, f64)>,
    /// The machine was overloaded (load average above the cores) while it was measured.
    pub busy: bool,
}

/// A rate a program reported (`round_trips_per_s`, `messages_per_s`): median over its runs.
#[derive(Clone, Debug, Serialize)]
pub struct Rate {
    pub workload: String,
    pub language: Option<String>,
    pub case: String,
    pub form: String,
    pub who: String,
    pub metric: String,
    pub median: f64,
}

pub fn collect(series: &[Series], cases: &[CaseView], cores: usize) -> Concurrency {
    Concurrency {
        idle_tasks: series
            .iter()
            .filter(|s| s.parameter == TASKS)
            .map(|s| idle_tasks(s, cases))
            .collect(),
        scaling: series
            .iter()
            .filter(|s| s.parameter == WORKERS)
            .filter_map(|s| scaling(s, cases, cores))
            .collect(),
        rates: rates(cases),
    }
}

fn idle_tasks(series: &Series, cases: &[CaseView]) -> IdleTasks {
    let largest = series.ok_points().last();
    let observations: Vec<Observation> = series
        .ok_points()
        .flat_map(|p| {
            cases[p.case_index].samples.iter().filter_map(move |s| {
                Some(Observation {
                    round: s.round,
                    work: p.x as f64,
                    value: s.tree_peak_bytes? as f64,
                })
            })
        })
        .collect();
    let fit = stats::fit_by_point(&observations, stats::RESAMPLES_QUICK);
    let runs_per_point = series
        .ok_points()
        .map(|p| cases[p.case_index].samples.len())
        .min()
        .unwrap_or(0);
    let stopped_at = series
        .points
        .iter()
        .find(|p| p.verdict != CaseVerdict::Ok)
        .map(|p| Stopped {
            at: p.x,
            verdict: p.verdict,
            detail: p.detail.clone(),
        });
    IdleTasks {
        workload: series.workload.clone(),
        language: series.language.clone(),
        series: series.name(),
        form: series.form.clone(),
        who: who(&series.form, series.toolchain_label.as_deref()),
        largest_ok: largest.map(|p| p.x),
        stopped_at,
        bytes_per_task: fit.as_ref().map(|f| f.marginal.value),
        per_task: fit.as_ref().map(|f| f.marginal),
        base_bytes: fit.as_ref().map(|f| f.fixed),
        runs_per_point,
        tree_peak_bytes: largest.and_then(|p| p.tree_peak_bytes),
        wall_s: largest.and_then(|p| p.wall_s.as_ref().map(|w| w.median)),
        spawn_s: largest.and_then(|p| p.metrics.get("spawn_s").copied()),
    }
}

fn scaling(series: &Series, cases: &[CaseView], cores: usize) -> Option<Scaling> {
    let curve: Vec<(u64, f64)> = series
        .ok_points()
        .filter_map(|p| Some((p.x, p.speedup?.value)))
        .collect();
    let at = series
        .ok_points()
        .filter(|p| p.x <= cores.max(1) as u64 && p.x > 1)
        .last()?;
    let speedup = at.speedup?;
    Some(Scaling {
        workload: series.workload.clone(),
        language: series.language.clone(),
        series: series.name(),
        form: series.form.clone(),
        who: who(&series.form, series.toolchain_label.as_deref()),
        workers: at.x,
        speedup,
        efficiency: speedup.value / at.x as f64,
        curve,
        // Workers need idle cores: a load average above the cores while the first point or
        // this one ran leaves nothing to scale onto.
        busy: [series.points.first(), Some(at)]
            .into_iter()
            .flatten()
            .any(|p| cases[p.case_index].flags.contains(&CaseFlag::Overloaded)),
    })
}

/// Every `…_per_s` metric of a verified concurrency case outside a sweep.
fn rates(cases: &[CaseView]) -> Vec<Rate> {
    let mut rates = Vec::new();
    for case in cases.iter().filter(|c| {
        c.kind == CaseKind::Workload
            && c.claim.as_deref() == Some("concurrency")
            && c.point.is_none()
            && c.verdict == CaseVerdict::Ok
    }) {
        for (metric, summary) in case.metrics.iter().filter(|(m, _)| m.ends_with("_per_s")) {
            let form = form_of(case);
            rates.push(Rate {
                workload: case.workload.clone(),
                language: case.language.clone(),
                case: case.label(),
                who: who(&form, case.toolchain_label.as_deref()),
                form,
                metric: metric.clone(),
                median: summary.median,
            });
        }
    }
    rates
}

/// `goroutines` for Go (one form), else the form with the Python it ran on
/// (`cpython 3.11.7 asyncio`, `cpython 3.13.1t threads`): CPython and PyPy, and a build without
/// the GIL and one with it, are told apart.
fn who(form: &str, toolchain_label: Option<&str>) -> String {
    match toolchain_label {
        Some(toolchain) if form != "goroutines" => format!("{toolchain} {form}"),
        _ => form.to_string(),
    }
}
