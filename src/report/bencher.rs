//! Bencher Metric Format (BMF, <https://bencher.dev/docs/reference/bencher-metric-format>), for
//! `bencher run --adapter json` and the continuous-benchmarking setups that keep history and
//! thresholds: one benchmark per verified case, each with its measures, and the 95% interval of
//! a median as `lower_value`/`upper_value` where the case ran enough times for one.
//!
//! Measures: `latency` (Bencher's built-in, in nanoseconds: the median wall time of a run, or a
//! server's median request latency at the closed loop), `throughput` (built-in, operations per
//! second: a server's requests per second), and three of versus's own, created by Bencher on
//! first use: `cpu-time` (ns of user + system CPU per run), `latency-p99` (ns) and `peak-memory`
//! (bytes of the whole process tree's largest peak; a maximum, so a value without interval).

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::model::Report;
use super::view::CaseView;
use crate::backend::metric;
use crate::case::{CaseKind, CaseVerdict};
use crate::stats::{MIN_SAMPLES, Summary};

#[derive(Debug, PartialEq, Serialize)]
struct Metric {
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    lower_value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upper_value: Option<f64>,
}

impl Metric {
    /// The median, scaled, with its interval when the sample is large enough to have one.
    fn of(summary: &Summary, scale: f64) -> Metric {
        let interval = summary.n >= MIN_SAMPLES;
        Metric {
            value: summary.median * scale,
            lower_value: interval.then_some(summary.ci_low * scale),
            upper_value: interval.then_some(summary.ci_high * scale),
        }
    }
}

type Measures = BTreeMap<&'static str, Metric>;

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut benchmarks: BTreeMap<String, Measures> = BTreeMap::new();
    for case in report.cases.iter().filter(|c| c.verdict == CaseVerdict::Ok) {
        let measures = measures(case);
        if measures.is_empty() {
            continue;
        }
        let name = name(case);
        let mut unique = name.clone();
        let mut n = 2;
        while benchmarks.contains_key(&unique) {
            unique = format!("{name} #{n}");
            n += 1;
        }
        benchmarks.insert(unique, measures);
    }
    serde_json::to_writer_pretty(&mut *out, &benchmarks)?;
    writeln!(out)?;
    Ok(())
}

/// `cpu/nbody (default) cpython 3.11.7`: the case's group (workload, size and sweep point) and
/// its program, so a history is kept per workload and toolchain from run to run; a command of
/// `versus exec` is named by its command line.
fn name(case: &CaseView) -> String {
    match case.kind {
        CaseKind::Command => case.label(),
        _ => format!("{} {}", case.group, case.label()),
    }
}

fn measures(case: &CaseView) -> Measures {
    const NS_PER_S: f64 = 1e9;
    const NS_PER_MS: f64 = 1e6;
    let mut measures = Measures::new();
    if let Some(throughput) = case.metrics.get(metric::THROUGHPUT) {
        // A server at its maximum throughput: the run's wall time is the load's duration, not a
        // figure of the server, so the latency is the requests'.
        measures.insert("throughput", Metric::of(throughput, 1.0));
        if let Some(p50) = case.metrics.get(metric::P50) {
            measures.insert("latency", Metric::of(p50, NS_PER_MS));
        }
        if let Some(p99) = case.metrics.get(metric::P99) {
            measures.insert("latency-p99", Metric::of(p99, NS_PER_MS));
        }
    } else if case.metrics.contains_key(metric::P50) {
        // An open-loop run at a set rate: latency only (the rate is the point, not a result).
        if let Some(p50) = case.metrics.get(metric::P50) {
            measures.insert("latency", Metric::of(p50, NS_PER_MS));
        }
        if let Some(p99) = case.metrics.get(metric::P99) {
            measures.insert("latency-p99", Metric::of(p99, NS_PER_MS));
        }
    } else {
        if let Some(wall) = &case.wall_s {
            measures.insert("latency", Metric::of(wall, NS_PER_S));
        }
        if let Some(cpu) = &case.cpu_s {
            measures.insert("cpu-time", Metric::of(cpu, NS_PER_S));
        }
    }
    if let Some(peak) = case.tree_peak_bytes {
        measures.insert(
            "peak-memory",
            Metric {
                value: peak as f64,
                lower_value: None,
                upper_value: None,
            },
        );
    }
    measures
}
