//! A contender against a baseline: the ratio of medians, its interval, and a verdict that calls
//! a difference only when the whole interval lies outside the noise band (criterion.rs's rule).

use serde::{Deserialize, Serialize};

use super::bootstrap;
use super::order::median;

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
