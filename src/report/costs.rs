//! Cost as a line, not a point: each program of a ladder (a workload measured at several work
//! sizes, interleaved in one group) fitted as `time = fixed + marginal × work`, and each
//! contender's line set against its baseline's: the ratio of marginal costs, each side's fixed
//! cost, and where the lines cross. A whole process that imports NumPy is mostly start-up at a
//! small size; its marginal cost is what "Python for data" speaks of.

use serde::Serialize;

use super::view::{CaseView, ComparisonView};
use crate::case::CaseVerdict;
use crate::stats::{self, Estimate, LadderFit, Observation};
use crate::suite::Metric;

/// One contender against its baseline on a ladder.
#[derive(Clone, Debug, Serialize)]
pub struct CostLine {
    pub group: String,
    pub workload: String,
    pub size: Option<String>,
    /// The ladder's parameter (`n`) and its values, in order.
    pub parameter: String,
    pub points: Vec<u64>,
    /// How the work grows with the parameter, read from the stored work of each point:
    /// `Some(3.0)` for n³.
    pub work_power: Option<f64>,
    /// What both lines are lines of.
    pub metric: Metric,
    /// As tables name them (`go 1.26.8`, `cpython 3.11.7 (library-backed: numpy)`).
    pub baseline: String,
    pub contender: String,
    pub contender_language: Option<String>,
    pub contender_variant: Option<String>,
    pub contender_label: Option<String>,
    pub baseline_variant: Option<String>,
    pub fit: LadderFit,
    /// The parameter's value where the lines cross (from the work there), when they cross.
    pub crossover_at: Option<Estimate>,
    /// Whether the contender is the cheaper one beyond the crossover (its marginal is lower).
    pub contender_cheaper_beyond: bool,
    /// Whether the crossover lies inside the measured range, or within a factor of two of it.
    pub crossover_near: bool,
    /// The whole-process ratio at the largest point, beside the marginal one.
    pub whole_process: Option<WholeProcess>,
}

#[derive(Clone, Debug, Serialize)]
pub struct WholeProcess {
    pub at: u64,
    pub ratio: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// A program of a group: what tells its cases apart from another program's.
fn program(case: &CaseView) -> (Option<&str>, Option<&str>, Option<&str>) {
    (
        case.toolchain.as_deref(),
        case.variant.as_deref(),
        case.label.as_deref(),
    )
}

/// Every ladder's contender against its baseline.
pub fn collect(cases: &[CaseView], comparisons: &[ComparisonView]) -> Vec<CostLine> {
    let mut groups: Vec<&str> = cases
        .iter()
        .filter(|c| c.work.is_some())
        .map(|c| c.group.as_str())
        .collect();
    groups.dedup();
    let mut lines = Vec::new();
    for group in groups {
        let members: Vec<&CaseView> = cases.iter().filter(|c| c.group == group).collect();
        let Some(base) = members.iter().find(|c| c.baseline) else {
            continue;
        };
        let mut contenders: Vec<&CaseView> = Vec::new();
        for case in members.iter().filter(|c| !c.baseline) {
            if !contenders.iter().any(|c| program(c) == program(case)) {
                contenders.push(case);
            }
        }
        for contender in contenders {
            let of = |p: &CaseView| -> Vec<&CaseView> {
                members
                    .iter()
                    .copied()
                    .filter(|c| program(c) == program(p))
                    .collect()
            };
            if let Some(line) = cost_line(&of(base), &of(contender), cases, comparisons) {
                lines.push(line);
            }
        }
    }
    lines
}

/// The runs of a program's verified points, as observations of `metric`.
fn observations(cases: &[&CaseView], metric: &Metric) -> Vec<Observation> {
    cases
        .iter()
        .filter(|c| c.verdict == CaseVerdict::Ok)
        .filter_map(|c| Some((c.work?, c)))
        .flat_map(|(work, c)| {
            c.samples.iter().filter_map(move |s| {
                Some(Observation {
                    round: s.round,
                    work,
                    value: s.seconds(metric)?,
                })
            })
        })
        .collect()
}

fn cost_line(
    base: &[&CaseView],
    cont: &[&CaseView],
    cases: &[CaseView],
    comparisons: &[ComparisonView],
) -> Option<CostLine> {
    let (first_base, first_cont) = (base.first()?, cont.first()?);
    let metric = Metric::common(&first_base.metric, &first_cont.metric);
    let fit = stats::compare_lines(
        &observations(base, &metric),
        &observations(cont, &metric),
        stats::RESAMPLES_QUICK,
    )?;
    let mut points: Vec<(u64, f64)> = base
        .iter()
        .filter_map(|c| Some((c.point.as_ref()?.value, c.work?)))
        .collect();
    points.sort_by_key(|(value, _)| *value);
    points.dedup_by_key(|(value, _)| *value);
    let work_power = power_of(&points);
    let to_value = |work: f64| value_at(&points, work_power, work);
    let crossover_at = fit.crossover.as_ref().and_then(|c| {
        Some(Estimate {
            value: to_value(c.work.value)?,
            ci_low: to_value(c.work.ci_low)?,
            ci_high: to_value(c.work.ci_high)?,
        })
    });
    let (low, high) = (points.first()?.0 as f64, points.last()?.0 as f64);
    let largest = points.last()?.0;
    Some(CostLine {
        group: first_base.group.clone(),
        workload: first_base.workload.clone(),
        size: first_base.size.clone(),
        parameter: first_base.point.as_ref()?.name.clone(),
        points: points.iter().map(|(v, _)| *v).collect(),
        work_power,
        metric,
        baseline: first_base.label(),
        contender: first_cont.label(),
        contender_language: first_cont.language.clone(),
        contender_variant: first_cont.variant.clone(),
        contender_label: first_cont.label.clone(),
        baseline_variant: first_base.variant.clone(),
        contender_cheaper_beyond: fit.contender.marginal.value < fit.baseline.marginal.value,
        crossover_near: crossover_at
            .as_ref()
            .is_some_and(|c| c.value >= low / 2.0 && c.value <= high * 2.0),
        crossover_at,
        whole_process: whole_process(cont, cases, comparisons, largest),
        fit,
    })
}

/// The comparison of the contender's case at the largest point.
fn whole_process(
    cont: &[&CaseView],
    cases: &[CaseView],
    comparisons: &[ComparisonView],
    largest: u64,
) -> Option<WholeProcess> {
    let case = cont
        .iter()
        .find(|c| c.point.as_ref().is_some_and(|p| p.value == largest))?;
    let c = comparisons
        .iter()
        .find(|c| std::ptr::eq(&cases[c.contender_index], *case))?;
    Some(WholeProcess {
        at: largest,
        ratio: c.ratio,
        ci_low: c.ci_low,
        ci_high: c.ci_high,
    })
}

/// The power k of work = c·valueᵏ, when every step of the ladder agrees on it (within 1%).
fn power_of(points: &[(u64, f64)]) -> Option<f64> {
    let powers: Vec<f64> = points
        .windows(2)
        .map(|w| (w[1].1 / w[0].1).ln() / (w[1].0 as f64 / w[0].0 as f64).ln())
        .collect();
    let first = *powers.first()?;
    (first.is_finite()
        && powers
            .iter()
            .all(|p| (p - first).abs() <= 0.01 * first.abs()))
    .then_some(first)
}

/// The parameter's value doing `work` units: from the power law through the first point, or
/// without one, interpolated between the two points around it on log scales.
fn value_at(points: &[(u64, f64)], power: Option<f64>, work: f64) -> Option<f64> {
    let &(v0, w0) = points.first()?;
    if !(work.is_finite() && work > 0.0) {
        return None;
    }
    if let Some(k) = power {
        return Some(v0 as f64 * (work / w0).powf(1.0 / k));
    }
    let &(v1, w1) = points.last()?;
    let k = (w1 / w0).ln() / (v1 as f64 / v0 as f64).ln();
    (k.is_finite() && k > 0.0).then(|| v0 as f64 * (work / w0).powf(1.0 / k))
}

/// `n^3, n = 256, 512, 1024`.
pub fn work_text(line: &CostLine) -> String {
    let values: Vec<String> = line.points.iter().map(u64::to_string).collect();
    let power = match line.work_power {
        Some(k) if (k - 1.0).abs() < 1e-9 => format!("work ∝ {}", line.parameter),
        Some(k) if (k - k.round()).abs() < 1e-6 => {
            format!("work ∝ {}^{}", line.parameter, k.round())
        }
        Some(k) => format!(
            "work ∝ {}^{}",
            line.parameter,
            super::units::three_digits(k)
        ),
        None => "work as listed".to_string(),
    };
    format!("{power}, {} = {}", line.parameter, values.join(", "))
}

/// Where the lines cross, read for people: who is faster beyond which size, when it is inside
/// the measured range or near it; `None` when the lines do not cross there.
pub fn crossover_text(line: &CostLine) -> Option<String> {
    let at = line.crossover_at.as_ref()?;
    let round = |v: f64| super::units::three_digits(v.round());
    let (beyond, below) = if line.contender_cheaper_beyond {
        (&line.contender, &line.baseline)
    } else {
        (&line.baseline, &line.contender)
    };
    let place = format!(
        "{} ≈ {} [{}, {}]",
        line.parameter,
        round(at.value),
        round(at.ci_low),
        round(at.ci_high)
    );
    Some(if line.crossover_near {
        format!("{beyond} is faster beyond {place}, {below} below it")
    } else {
        format!("the lines cross at {place}, far outside the sizes measured")
    })
}
