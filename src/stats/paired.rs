//! Ratios from interleaved pairs. The runner runs every case of a group once per round, in
//! shuffled order, so the contender's and the baseline's runs of one round saw the same machine:
//! a neighbour that slows the machine down for a while slows both. The ratio of each round's
//! pair cancels that common drift, where a ratio of the two medians (each side resampled on its
//! own) carries it into the interval.
//!
//! The estimate is the median of the per-pair log ratios, exponentiated; its 95% interval is a
//! percentile bootstrap over the pairs (Efron & Tibshirani 1993, ch. 13, resampling the pair as
//! the unit, as for any paired design). Working on logs makes the ratio invert exactly: B/A is
//! 1/(A/B), interval included, whichever side is the baseline.

use super::bootstrap::{seed_of, symmetric_ends};
use super::compare::{Comparison, MIN_SAMPLES, verdict_of};
use super::order::median_in_place;

/// One round's run of each side (seconds, or any positive measure).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    pub baseline: f64,
    pub contender: f64,
}

/// Pairs the runs of two cases by the round they ran in: `(round, value)` on each side. A round
/// that only one side has (a case that stopped early) pairs with nothing.
pub fn pair_by_round(baseline: &[(usize, f64)], contender: &[(usize, f64)]) -> Vec<Pair> {
    baseline
        .iter()
        .filter_map(|&(round, b)| {
            let &(_, c) = contender.iter().find(|(r, _)| *r == round)?;
            Some(Pair {
                baseline: b,
                contender: c,
            })
        })
        .collect()
}

/// The log of each pair's ratio contender / baseline; `None` when a value is not positive and
/// finite (a ratio of it means nothing). A difference of logs, not the log of a quotient: the
/// mirrored pair then gives exactly the negated value, which the exact inversion needs.
pub fn log_ratios(pairs: &[Pair]) -> Option<Vec<f64>> {
    let valid = |v: f64| v.is_finite() && v > 0.0;
    pairs
        .iter()
        .map(|p| {
            (valid(p.baseline) && valid(p.contender)).then(|| p.contender.ln() - p.baseline.ln())
        })
        .collect()
}

/// The paired ratio and its interval. `None` with fewer than [`MIN_SAMPLES`] pairs or a value
/// that is not positive.
pub fn compare_paired(pairs: &[Pair], resamples: usize) -> Option<Comparison> {
    let logs = log_ratios(pairs)?;
    if logs.len() < MIN_SAMPLES {
        return None;
    }
    let (low, high) = median_log_interval(&logs, resamples);
    let ratio = median_in_place(&mut logs.clone()).exp();
    let (ci_low, ci_high) = (low.exp(), high.exp());
    Some(Comparison {
        ratio,
        ci_low,
        ci_high,
        verdict: verdict_of(ci_low, ci_high),
    })
}

/// The percentile-bootstrap interval of the median of `logs`, resampling values (pairs).
pub(crate) fn median_log_interval(logs: &[f64], resamples: usize) -> (f64, f64) {
    let mut medians = bootstrap_log_medians(logs, resamples);
    medians.sort_unstable_by(f64::total_cmp);
    symmetric_ends(&medians)
}

/// Medians of `resamples` resamples of `logs`. The stream is seeded from the magnitudes of the
/// logs, so the mirrored sample (baseline and contender swapped: every log negated) draws the
/// same indices and its medians are exactly the negated ones.
pub(crate) fn bootstrap_log_medians(logs: &[f64], resamples: usize) -> Vec<f64> {
    let magnitudes: Vec<f64> = logs.iter().map(|l| l.abs()).collect();
    let mut rng = fastrand::Rng::with_seed(seed_of(&magnitudes));
    let mut buf = vec![0.0; logs.len()];
    (0..resamples.max(1))
        .map(|_| {
            for slot in buf.iter_mut() {
                *slot = logs[rng.usize(..logs.len())];
            }
            median_in_place(&mut buf)
        })
        .collect()
}
