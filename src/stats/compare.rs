//! A contender against a baseline: the ratio of medians, its interval, and a verdict that calls
//! a difference only when the whole interval lies outside the noise band (criterion.rs's rule).

use serde::{Deserialize, Serialize};

use super::bootstrap::{self, symmetric_ends};
use super::paired::{Pair, bootstrap_log_medians, log_ratios};
use super::summary::median;

/// Differences within ±2% are called noise whatever the interval says: on a shared machine,
/// drift of that size between two runs of the same program is common.
pub const NOISE_THRESHOLD: f64 = 0.02;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The contender takes less time (the ratio's whole interval is below the noise band).
    Faster,
    /// The contender takes more time.
    Slower,
    WithinNoise,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Faster => "faster",
            Verdict::Slower => "slower",
            Verdict::WithinNoise => "within noise",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// median(contender) / median(baseline).
    pub ratio: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub verdict: Verdict,
}

impl Comparison {
    /// Half the interval's width relative to the ratio: the precision the runner aims for.
    pub fn relative_half_width(&self) -> f64 {
        (self.ci_high - self.ci_low) / 2.0 / self.ratio
    }
}

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

/// The fewest values on each side that give an interval: a single value resamples to itself,
/// so its "interval" would be a point and any difference would be called.
pub const MIN_SAMPLES: usize = 2;

/// Compares two samples of positive values. `None` when either has fewer than `MIN_SAMPLES`
/// values or a value that is not positive.
pub fn compare(baseline: &[f64], contender: &[f64], resamples: usize) -> Option<Comparison> {
    let valid = |s: &[f64]| s.len() >= MIN_SAMPLES && s.iter().all(|v| v.is_finite() && *v > 0.0);
    if !valid(baseline) || !valid(contender) {
        return None;
    }
    let ratio = median(contender) / median(baseline);
    let (ci_low, ci_high) = bootstrap::ratio_interval(baseline, contender, resamples);
    Some(Comparison {
        ratio,
        ci_low,
        ci_high,
        verdict: verdict_of(ci_low, ci_high),
    })
}

/// `faster` or `slower` only when the whole interval lies outside the default noise band.
pub fn verdict_of(ci_low: f64, ci_high: f64) -> Verdict {
    verdict_beyond(ci_low, ci_high, NOISE_THRESHOLD)
}

/// `faster` or `slower` only when the whole interval lies outside ±`floor` (a relative band,
/// symmetric on a log scale: 1 + floor above, 1 / (1 + floor) below).
pub fn verdict_beyond(ci_low: f64, ci_high: f64, floor: f64) -> Verdict {
    if ci_low > 1.0 + floor {
        Verdict::Slower
    } else if ci_high < 1.0 / (1.0 + floor) {
        Verdict::Faster
    } else {
        Verdict::WithinNoise
    }
}
