//! Ratios of several workloads summed up: their geometric mean, with an interval that draws
//! every workload's ratio anew in each bootstrap resample.

use super::bootstrap::symmetric_ends;
use super::compare::MIN_SAMPLES;
use super::order::median;
use super::paired::{Pair, bootstrap_log_medians, log_ratios};

/// The geometric mean of several ratios, with its 95% bootstrap interval.
pub type GeometricMean = super::fit::Estimate;

/// One workload's ratio as a geometric mean takes it: its paired runs, or a ratio estimated
/// elsewhere (a ladder's ratio of slopes) with the bootstrap draws of it.
#[derive(Clone, Copy, Debug)]
pub enum RatioSample<'a> {
    Paired(&'a [Pair]),
    Drawn { value: f64, draws: &'a [f64] },
}

impl RatioSample<'_> {
    /// The point estimate's log, and `resamples` bootstrap draws of it; `None` when there is
    /// nothing to draw from or a value is not positive.
    fn logs(&self, resamples: usize) -> Option<(f64, Vec<f64>)> {
        match *self {
            RatioSample::Paired(pairs) => {
                let logs = log_ratios(pairs).filter(|l| l.len() >= MIN_SAMPLES)?;
                Some((median(&logs), bootstrap_log_medians(&logs, resamples)))
            }
            RatioSample::Drawn { value, draws } => {
                let valid = |v: f64| v.is_finite() && v > 0.0;
                if !valid(value) || draws.is_empty() || !draws.iter().all(|d| valid(*d)) {
                    return None;
                }
                let cycled = draws.iter().cycle().take(resamples.max(1));
                Some((value.ln(), cycled.map(|d| d.ln()).collect()))
            }
        }
    }
}

/// The geometric mean of several ratios (one per workload), the mean of their logs. `None`
/// when there is no workload or one has nothing to draw from. Each bootstrap resample draws
/// every workload's ratio anew (independently: the workloads ran in separate groups).
pub fn geometric_mean_ratio(
    workloads: &[RatioSample<'_>],
    resamples: usize,
) -> Option<GeometricMean> {
    let logs: Vec<(f64, Vec<f64>)> = workloads
        .iter()
        .map(|w| w.logs(resamples))
        .collect::<Option<_>>()?;
    if logs.is_empty() {
        return None;
    }
    let n = logs.len() as f64;
    let value = (logs.iter().map(|(point, _)| point).sum::<f64>() / n).exp();
    let mut sums = vec![0.0; resamples.max(1)];
    for (_, draws) in &logs {
        for (sum, d) in sums.iter_mut().zip(draws) {
            *sum += d;
        }
    }
    let mut geomeans: Vec<f64> = sums.iter().map(|s| (s / n).exp()).collect();
    geomeans.sort_unstable_by(f64::total_cmp);
    let (ci_low, ci_high) = symmetric_ends(&geomeans);
    Some(GeometricMean {
        value,
        ci_low: ci_low.min(value),
        ci_high: ci_high.max(value),
    })
}
