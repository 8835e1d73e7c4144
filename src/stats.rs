//! Statistics: pure functions over samples of positive, finite values (seconds, bytes). Nothing
//! here measures or renders.
//!
//! Every estimate is reproducible: the bootstrap is seeded from the data itself, so the same
//! stored samples always give the same interval, and a report of an old run is stable.

mod bootstrap;
mod compare;
mod fit;
mod geomean;
mod order;
mod outliers;
mod paired;
mod summary;

pub use bootstrap::{RESAMPLES_FINAL, RESAMPLES_QUICK};
pub use compare::{
    Comparison, MIN_SAMPLES, NOISE_THRESHOLD, Verdict, compare, verdict_beyond, verdict_of,
};
pub use fit::{
    Crossover, Estimate, LadderFit, Line, LineFit, Observation, compare_lines, fit_by_point,
    theil_sen,
};
pub use geomean::{GeometricMean, RatioSample, geometric_mean_ratio};
pub use order::median;
pub use outliers::{OUTLIER_THRESHOLD, outlier_flags};
pub use paired::{Pair, compare_paired, log_ratios, pair_by_round};
pub use summary::{Summary, summarize};

#[cfg(test)]
mod tests;
