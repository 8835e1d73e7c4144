//! Location and spread of one case's runs.

use serde::{Deserialize, Serialize};

use super::bootstrap;
use super::order::median;

/// A sample's summary. Invariants (checked in tests): `min <= ci_low <= median <= ci_high <= max`,
/// `mad >= 0`, `n >= 1`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub n: usize,
    pub median: f64,
    /// Median absolute deviation from the median (unscaled).
    pub mad: f64,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    /// 95% percentile-bootstrap interval of the median.
    pub ci_low: f64,
    pub ci_high: f64,
}

/// Summarises a sample; `None` when it is empty or holds a non-finite value.
pub fn summarize(values: &[f64], resamples: usize) -> Option<Summary> {
    if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let median = median(values);
    let deviations: Vec<f64> = values.iter().map(|v| (v - median).abs()).collect();
    let (ci_low, ci_high) = bootstrap::median_interval(values, resamples);
    Some(Summary {
        n: values.len(),
        median,
        mad: self::median(&deviations),
        min: values.iter().copied().fold(f64::INFINITY, f64::min),
        max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        mean: values.iter().sum::<f64>() / values.len() as f64,
        ci_low,
        ci_high,
    })
}
