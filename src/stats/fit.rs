//! Cost as a line: `time = fixed + marginal × work`, fitted to a ladder of work sizes.
//!
//! The fit is Theil–Sen (Theil 1950, Sen 1968): the slope is the median of the slopes between
//! every two observations at different work sizes, the intercept the median of what each
//! observation leaves once the slope is taken away. Half the observations can be wild before
//! the estimate moves, where least squares follows a single slow run.
//!
//! Intervals are percentile bootstraps over rounds (Efron & Tibshirani 1993, ch. 13): a ladder
//! runs every point of every program once per round, interleaved, so a round is the unit that
//! saw one state of the machine. Resampling rounds keeps each round's runs together, on both
//! programs, so a ratio of their slopes and the work where their lines cross get intervals that
//! carry what the two fits share. Sweeps whose points ran in separate groups have no common
//! rounds; they are resampled within each point ([`fit_by_point`]).

use serde::Serialize;

use super::bootstrap::{seed_of, symmetric_ends};
use super::order::median_in_place;

/// One timed run at one point of a ladder.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    pub round: usize,
    pub work: f64,
    pub value: f64,
}

/// A point estimate with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// `value = fixed + marginal × work`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    pub fixed: f64,
    pub marginal: f64,
}

impl Line {
    pub fn at(&self, work: f64) -> f64 {
        self.fixed + self.marginal * work
    }
}

/// One program's line, with intervals, and how far its points lie from it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineFit {
    /// The intercept: what a run costs before any work (start-up, imports, set-up).
    pub fixed: Estimate,
    /// The slope: the cost of one unit of work.
    pub marginal: Estimate,
    /// The largest distance of a point's median from the line, relative to the line there: a
    /// cost that is not linear in the work (caches, a different algorithm at large sizes)
    /// shows here.
    pub worst_residual: f64,
    /// Distinct work sizes the line was fitted to.
    pub points: usize,
}

/// Two programs on the same ladder.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LadderFit {
    pub baseline: LineFit,
    pub contender: LineFit,
    /// contender's marginal ÷ baseline's: the ratio of the costs per unit of work.
    pub marginal_ratio: Estimate,
    /// Where the two lines cross (in units of work), when they cross at a positive work.
    pub crossover: Option<Crossover>,
    /// The bootstrap draws of `marginal_ratio`, for estimates across workloads.
    #[serde(skip)]
    pub ratio_draws: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Crossover {
    pub work: Estimate,
    /// Share of bootstrap resamples in which the lines cross at a positive work at all.
    pub share: f64,
}

/// The Theil–Sen line through `(work, value)` points; `None` without two different works.
pub fn theil_sen(points: &[(f64, f64)]) -> Option<Line> {
    let mut slopes = Vec::with_capacity(points.len() * points.len() / 2);
    for (i, &(w1, v1)) in points.iter().enumerate() {
        for &(w2, v2) in &points[i + 1..] {
            if w1 != w2 {
                slopes.push((v2 - v1) / (w2 - w1));
            }
        }
    }
    if slopes.is_empty() {
        return None;
    }
    let marginal = median_in_place(&mut slopes);
    let mut intercepts: Vec<f64> = points.iter().map(|(w, v)| v - marginal * w).collect();
    Some(Line {
        fixed: median_in_place(&mut intercepts),
        marginal,
    })
}

fn pairs(observations: &[Observation]) -> Vec<(f64, f64)> {
    observations.iter().map(|o| (o.work, o.value)).collect()
}

/// The largest relative distance of a point's median value from `line`.
fn worst_residual(observations: &[Observation], line: &Line) -> f64 {
    let mut works: Vec<f64> = observations.iter().map(|o| o.work).collect();
    works.sort_unstable_by(f64::total_cmp);
    works.dedup();
    works
        .iter()
        .map(|&w| {
            let mut at: Vec<f64> = observations
                .iter()
                .filter(|o| o.work == w)
                .map(|o| o.value)
                .collect();
            let median = median_in_place(&mut at);
            let fitted = line.at(w);
            (median - fitted).abs() / fitted.abs().max(f64::MIN_POSITIVE)
        })
        .fold(0.0, f64::max)
}

fn distinct_works(observations: &[Observation]) -> usize {
    let mut works: Vec<f64> = observations.iter().map(|o| o.work).collect();
    works.sort_unstable_by(f64::total_cmp);
    works.dedup();
    works.len()
}

fn is_valid(observations: &[Observation]) -> bool {
    observations
        .iter()
        .all(|o| o.work.is_finite() && o.work > 0.0 && o.value.is_finite())
        && distinct_works(observations) >= 2
}

/// Where `a` and `b` cross, when at a positive work.
fn crossing(a: &Line, b: &Line) -> Option<f64> {
    let work = (b.fixed - a.fixed) / (a.marginal - b.marginal);
    (work.is_finite() && work > 0.0).then_some(work)
}

fn estimate(value: f64, mut resampled: Vec<f64>) -> Estimate {
    resampled.retain(|v| v.is_finite());
    if resampled.is_empty() {
        return Estimate {
            value,
            ci_low: value,
            ci_high: value,
        };
    }
    resampled.sort_unstable_by(f64::total_cmp);
    let (ci_low, ci_high) = symmetric_ends(&resampled);
    Estimate {
        value,
        // The point estimate of a median-based fit can sit outside a percentile interval of
        // few resamples; the interval is widened to hold it rather than contradict it.
        ci_low: ci_low.min(value),
        ci_high: ci_high.max(value),
    }
}

/// The observations of the rounds drawn, each as often as it was drawn.
fn of_rounds(observations: &[Observation], rounds: &[usize]) -> Vec<Observation> {
    rounds
        .iter()
        .flat_map(|r| observations.iter().filter(move |o| o.round == *r))
        .copied()
        .collect()
}

/// Fits both programs' lines and compares them, bootstrapping over the rounds they share.
/// `None` when either has fewer than two work sizes, a value that is not finite, or the
/// baseline's cost does not grow with the work (no ratio of slopes then means anything).
pub fn compare_lines(
    baseline: &[Observation],
    contender: &[Observation],
    resamples: usize,
) -> Option<LadderFit> {
    if !is_valid(baseline) || !is_valid(contender) {
        return None;
    }
    let base_line = theil_sen(&pairs(baseline))?;
    let cont_line = theil_sen(&pairs(contender))?;
    if base_line.marginal <= 0.0 {
        return None;
    }
    let mut rounds: Vec<usize> = baseline.iter().map(|o| o.round).collect();
    rounds.sort_unstable();
    rounds.dedup();
    let values: Vec<f64> = baseline.iter().chain(contender).map(|o| o.value).collect();
    let mut rng = fastrand::Rng::with_seed(seed_of(&values));
    let mut draws = Draws::default();
    let mut drawn = vec![0; rounds.len()];
    for _ in 0..resamples.max(1) {
        for slot in drawn.iter_mut() {
            *slot = rounds[rng.usize(..rounds.len())];
        }
        let (b, c) = (of_rounds(baseline, &drawn), of_rounds(contender, &drawn));
        if let (Some(b), Some(c)) = (theil_sen(&pairs(&b)), theil_sen(&pairs(&c))) {
            draws.add(&b, &c);
        }
    }
    let crossover = crossing(&cont_line, &base_line).map(|work| Crossover {
        share: draws.crossings.len() as f64 / draws.total.max(1) as f64,
        work: estimate(work, draws.crossings.clone()),
    });
    Some(LadderFit {
        baseline: line_fit(baseline, &base_line, draws.base_fixed, draws.base_marginal),
        contender: line_fit(contender, &cont_line, draws.cont_fixed, draws.cont_marginal),
        marginal_ratio: estimate(
            cont_line.marginal / base_line.marginal,
            draws.ratios.clone(),
        ),
        ratio_draws: draws.ratios,
        crossover,
    })
}

/// What each bootstrap resample gave.
#[derive(Default)]
struct Draws {
    total: usize,
    base_fixed: Vec<f64>,
    base_marginal: Vec<f64>,
    cont_fixed: Vec<f64>,
    cont_marginal: Vec<f64>,
    ratios: Vec<f64>,
    crossings: Vec<f64>,
}

impl Draws {
    fn add(&mut self, b: &Line, c: &Line) {
        self.total += 1;
        self.base_fixed.push(b.fixed);
        self.base_marginal.push(b.marginal);
        self.cont_fixed.push(c.fixed);
        self.cont_marginal.push(c.marginal);
        if b.marginal > 0.0 {
            self.ratios.push(c.marginal / b.marginal);
        }
        if let Some(work) = crossing(c, b) {
            self.crossings.push(work);
        }
    }
}

fn line_fit(
    observations: &[Observation],
    line: &Line,
    fixed: Vec<f64>,
    marginal: Vec<f64>,
) -> LineFit {
    LineFit {
        fixed: estimate(line.fixed, fixed),
        marginal: estimate(line.marginal, marginal),
        worst_residual: worst_residual(observations, line),
        points: distinct_works(observations),
    }
}

/// One program's line through points measured in separate groups (a sweep over tasks, for
/// memory): the bootstrap resamples the runs of each point among themselves. `None` without
/// two work sizes; a point with a single run contributes no spread, so with one run per point
/// the interval is the point itself and says nothing (the caller says so).
pub fn fit_by_point(observations: &[Observation], resamples: usize) -> Option<LineFit> {
    if !is_valid(observations) {
        return None;
    }
    let line = theil_sen(&pairs(observations))?;
    let mut works: Vec<f64> = observations.iter().map(|o| o.work).collect();
    works.sort_unstable_by(f64::total_cmp);
    works.dedup();
    let strata: Vec<Vec<(f64, f64)>> = works
        .iter()
        .map(|w| {
            observations
                .iter()
                .filter(|o| o.work == *w)
                .map(|o| (o.work, o.value))
                .collect()
        })
        .collect();
    let values: Vec<f64> = observations.iter().map(|o| o.value).collect();
    let mut rng = fastrand::Rng::with_seed(seed_of(&values));
    let (mut fixed, mut marginal) = (Vec::new(), Vec::new());
    for _ in 0..resamples.max(1) {
        let mut drawn = Vec::with_capacity(observations.len());
        for stratum in &strata {
            for _ in 0..stratum.len() {
                drawn.push(stratum[rng.usize(..stratum.len())]);
            }
        }
        if let Some(l) = theil_sen(&drawn) {
            fixed.push(l.fixed);
            marginal.push(l.marginal);
        }
    }
    Some(line_fit(observations, &line, fixed, marginal))
}
