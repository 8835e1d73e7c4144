//! Outliers by the modified z-score of Iglewicz & Hoaglin (1993): M = 0.6745 (x − median) / MAD,
//! flagged when |M| > 3.5. Flagged, never dropped: a slow run is data about the machine.

use super::order::median;

pub const OUTLIER_THRESHOLD: f64 = 3.5;

/// One flag per value.
pub fn outlier_flags(values: &[f64]) -> Vec<bool> {
    if values.len() < 3 {
        return vec![false; values.len()];
    }
    let center = median(values);
    let deviations: Vec<f64> = values.iter().map(|v| (v - center).abs()).collect();
    let mad = median(&deviations);
    if mad == 0.0 {
        // Most values are identical: anything different is far out, but with a zero MAD the
        // score is undefined; flag nothing rather than everything.
        return vec![false; values.len()];
    }
    values
        .iter()
        .map(|v| (0.6745 * (v - center) / mad).abs() > OUTLIER_THRESHOLD)
        .collect()
}
