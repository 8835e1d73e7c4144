//! hyperfine's JSON export (`hyperfine --export-json`), so the scripts and dashboards made for
//! hyperfine (its `scripts/plot_*.py`, CI comparisons) read versus's results: one entry per
//! case that has timed runs, with every run's wall time in `times`, in seconds.

use std::io::Write;

use serde::Serialize;

use super::model::Report;
use super::view::CaseView;

#[derive(Serialize)]
struct Export {
    results: Vec<Entry>,
}

/// hyperfine's `BenchmarkResult`: the same names and meanings.
#[derive(Serialize)]
struct Entry {
    command: String,
    mean: f64,
    /// `null` for a single run, as hyperfine writes it.
    stddev: Option<f64>,
    median: f64,
    /// Mean user and system CPU time per run.
    user: f64,
    system: f64,
    min: f64,
    max: f64,
    times: Vec<f64>,
    /// Only verified runs are stored, and a verified run exited 0.
    exit_codes: Vec<i32>,
}

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let results = report.cases.iter().filter_map(entry).collect();
    serde_json::to_writer_pretty(&mut *out, &Export { results })?;
    writeln!(out)?;
    Ok(())
}

fn entry(case: &CaseView) -> Option<Entry> {
    let times: Vec<f64> = case.samples.iter().map(|s| s.wall_s).collect();
    if times.is_empty() {
        return None;
    }
    let n = times.len() as f64;
    let mean = times.iter().sum::<f64>() / n;
    // The sample standard deviation (n − 1), as hyperfine's `statistical::standard_deviation`.
    let stddev = (times.len() > 1).then(|| {
        let squares: f64 = times.iter().map(|t| (t - mean).powi(2)).sum();
        (squares / (n - 1.0)).sqrt()
    });
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    let median = if sorted.len() % 2 == 0 {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    };
    let mean_of =
        |f: fn(&crate::store::StoredSample) -> f64| case.samples.iter().map(f).sum::<f64>() / n;
    Some(Entry {
        command: match &case.command {
            Some(argv) => argv.join(" "),
            None => format!("{} ({})", case.workload, case.label()),
        },
        mean,
        stddev,
        median,
        user: mean_of(|s| s.user_s),
        system: mean_of(|s| s.sys_s),
        min: sorted[0],
        max: sorted[sorted.len() - 1],
        exit_codes: vec![0; times.len()],
        times,
    })
}
