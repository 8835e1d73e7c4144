//! Percentile bootstrap (Efron & Tibshirani, *An Introduction to the Bootstrap*, 1993, ch. 13)
//! for the median and for the ratio of two medians.
//!
//! The interval's ends are order statistics picked symmetrically (no interpolation), and each
//! sample's resampling stream is seeded from its own values. Together these make the ratio's
//! interval invert exactly: the interval of B/A is 1/(interval of A/B), whichever role each
//! sample plays.

use super::order::median_in_place;

/// Resamples for intervals that are stored and reported.
pub const RESAMPLES_FINAL: usize = 10_000;
/// Resamples for the runner's "precise enough yet?" check after each round.
pub const RESAMPLES_QUICK: usize = 1_000;
const ALPHA: f64 = 0.05;

/// 95% interval of the median.
pub fn median_interval(values: &[f64], resamples: usize) -> (f64, f64) {
    let mut medians = bootstrap_medians(values, resamples);
    medians.sort_unstable_by(f64::total_cmp);
    symmetric_ends(&medians)
}

/// 95% interval of median(contender) / median(baseline), resampling each independently.
pub fn ratio_interval(baseline: &[f64], contender: &[f64], resamples: usize) -> (f64, f64) {
    let base = bootstrap_medians(baseline, resamples);
    let cont = bootstrap_medians(contender, resamples);
    let mut ratios: Vec<f64> = cont.iter().zip(&base).map(|(c, b)| c / b).collect();
    ratios.sort_unstable_by(f64::total_cmp);
    symmetric_ends(&ratios)
}

pub(super) fn symmetric_ends(sorted: &[f64]) -> (f64, f64) {
    let k = ((sorted.len() as f64) * ALPHA / 2.0).floor() as usize;
    (sorted[k], sorted[sorted.len() - 1 - k])
}

fn bootstrap_medians(values: &[f64], resamples: usize) -> Vec<f64> {
    let mut rng = fastrand::Rng::with_seed(seed_of(values));
    let mut buf = vec![0.0; values.len()];
    (0..resamples.max(1))
        .map(|_| {
            for slot in buf.iter_mut() {
                *slot = values[rng.usize(..values.len())];
            }
            median_in_place(&mut buf)
        })
        .collect()
}

/// FNV-1a over the values' bits: the same data always gets the same stream.
pub(super) fn seed_of(values: &[f64]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for value in values {
        for byte in value.to_bits().to_le_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}
