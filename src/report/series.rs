//! Sweeps as data: the cases of one program on one toolchain at every point of a swept
//! parameter (tasks, workers), in order, so that JSON readers and charts get a curve rather than
//! scattered rows.

use std::collections::BTreeMap;

use serde::Serialize;

use super::view::CaseView;
use crate::case::CaseVerdict;
use crate::stats::{self, Summary};

/// The parameter of a sweep over worker counts (threads, goroutines, processes).
pub const WORKERS: &str = "workers";

#[derive(Clone, Debug, Serialize)]
pub struct Series {
    pub workload: String,
    pub size: Option<String>,
    /// The swept parameter (`tasks`, `workers`).
    pub parameter: String,
    pub language: Option<String>,
    pub toolchain: Option<String>,
    pub toolchain_label: Option<String>,
    pub variant: Option<String>,
    pub label: Option<String>,
    /// How the programs of this series do concurrency (`goroutines`, `asyncio`, `threads`).
    pub form: String,
    pub points: Vec<SeriesPoint>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SeriesPoint {
    /// The parameter's value.
    pub x: u64,
    pub verdict: CaseVerdict,
    pub detail: Option<String>,
    pub wall_s: Option<Summary>,
    pub tree_peak_bytes: Option<u64>,
    /// Median of each metric the program reported.
    pub metrics: BTreeMap<String, f64>,
    /// For a sweep over workers from 1: wall time at 1 worker ÷ wall time here, with its 95%
    /// interval.
    pub speedup: Option<Ratio>,
    /// Index of the case in `Report::cases`.
    #[serde(skip)]
    pub case_index: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Ratio {
    pub value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Series {
    /// The points whose case passed verification.
    pub fn ok_points(&self) -> impl Iterator<Item = &SeriesPoint> {
        self.points.iter().filter(|p| p.verdict == CaseVerdict::Ok)
    }

    /// How tables name the series: `cpython 3.11.7 (threads)`.
    pub fn name(&self) -> String {
        crate::case::label(
            self.toolchain_label.clone(),
            self.variant.as_deref(),
            self.label.as_deref(),
            &self.workload,
        )
    }
}

/// How a case does concurrency: its label, or for a Go program without one, goroutines (Go has
/// one form).
pub fn form_of(case: &CaseView) -> String {
    match (&case.label, case.language.as_deref()) {
        (Some(label), _) => label.clone(),
        (None, Some("go")) => "goroutines".into(),
        (None, language) => language.unwrap_or("program").to_string(),
    }
}

/// Every series of the run, in the order their first case ran.
pub fn collect(cases: &[CaseView]) -> Vec<Series> {
    let mut series: Vec<Series> = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let Some(point) = &case.point else { continue };
        let key = |s: &Series| {
            s.workload == case.workload
                && s.size == case.size
                && s.parameter == point.name
                && s.toolchain == case.toolchain
                && s.variant == case.variant
                && s.label == case.label
        };
        let position = match series.iter().position(key) {
            Some(position) => position,
            None => {
                series.push(Series {
                    workload: case.workload.clone(),
                    size: case.size.clone(),
                    parameter: point.name.clone(),
                    language: case.language.clone(),
                    toolchain: case.toolchain.clone(),
                    toolchain_label: case.toolchain_label.clone(),
                    variant: case.variant.clone(),
                    label: case.label.clone(),
                    form: form_of(case),
                    points: Vec::new(),
                });
                series.len() - 1
            }
        };
        series[position].points.push(SeriesPoint {
            x: point.value,
            verdict: case.verdict,
            detail: case.detail.clone(),
            wall_s: case.wall_s.clone(),
            tree_peak_bytes: case.tree_peak_bytes,
            metrics: case
                .metrics
                .iter()
                .map(|(name, summary)| (name.clone(), summary.median))
                .collect(),
            speedup: None,
            case_index: index,
        });
    }
    for s in &mut series {
        s.points.sort_by_key(|p| p.x);
        add_speedups(s, cases);
    }
    series
}

/// For a sweep over workers that starts at one worker (verified): the speedup of every
/// verified point over it. Other sweeps, or one that starts elsewhere (`--workers 2,4`), have
/// no speedup: "over 1 worker" would be untrue.
fn add_speedups(series: &mut Series, cases: &[CaseView]) {
    let walls =
        |index: usize| -> Vec<f64> { cases[index].samples.iter().map(|s| s.wall_s).collect() };
    if series.parameter != WORKERS {
        return;
    }
    let Some(first) = series
        .points
        .first()
        .filter(|p| p.verdict == CaseVerdict::Ok && p.x == 1)
    else {
        return;
    };
    let base = walls(first.case_index);
    for point in series.points.iter_mut() {
        if point.verdict != CaseVerdict::Ok {
            continue;
        }
        // The ratio of medians, here versus first: first ÷ here is the speedup.
        point.speedup = stats::compare(&walls(point.case_index), &base, stats::RESAMPLES_QUICK)
            .map(|c| Ratio {
                value: c.ratio,
                ci_low: c.ci_low,
                ci_high: c.ci_high,
            });
    }
}
