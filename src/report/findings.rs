//! What a run says about the article's claims, beyond single rows: the runtime-speed summary
//! (the geometric mean of the Python/Go ratios over the idiomatic programs, with its interval),
//! the ladders' lines, and published figures beside the measured ratios they correspond to.

use serde::Serialize;

use super::costs::CostLine;
use super::model::{CaseView, ComparisonView};
use super::published::AgainstPublished;
use super::regime::Figure;
use crate::case::CaseKind;
use crate::stats::{self, GeometricMean, Verdict};
use crate::toolchain::Toolchain;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Findings {
    /// One per Python toolchain measured on the idiomatic runtime-speed workloads.
    pub runtime_speed: Vec<RuntimeSpeed>,
    /// Measured ratios that have published counterparts.
    pub published: Vec<AgainstPublished>,
    /// Idle tasks, parallel scaling and message rates of the concurrency suite.
    pub concurrency: super::concurrency::Concurrency,
    /// Each server's maximum throughput and its latency at equal rates, per endpoint.
    pub backend: super::backend::BackendFinding,
    /// Every ladder's programs as lines (fixed + marginal cost), contender against baseline.
    pub costs: Vec<CostLine>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RuntimeSpeed {
    pub contender: String,
    pub workloads: usize,
    /// Geometric mean of (contender time / Go time) over those workloads.
    pub geometric_mean: GeometricMean,
    pub fastest: Extreme,
    pub slowest: Extreme,
    /// Workloads where the contender was as fast as Go (within noise) or faster.
    pub as_fast_or_faster: Vec<String>,
    /// Each workload's figure and the regime it was read in: the marginal cost where a ladder
    /// was measured, else the whole process at the size run.
    pub figures: Vec<Figure>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Extreme {
    pub workload: String,
    pub ratio: f64,
}

pub fn collect(
    cases: &[CaseView],
    comparisons: &[ComparisonView],
    toolchains: &[Toolchain],
) -> Findings {
    let costs = super::costs::collect(cases, comparisons);
    Findings {
        runtime_speed: runtime_speed(cases, comparisons, &costs),
        published: super::published::against(cases, comparisons, &costs, toolchains),
        concurrency: Default::default(),
        backend: super::backend::collect(cases),
        costs,
    }
}

fn is_plain_idiomatic(case: &CaseView) -> bool {
    case.variant.as_deref() == Some("idiomatic") && case.label.is_none()
}

fn runtime_speed(
    cases: &[CaseView],
    comparisons: &[ComparisonView],
    costs: &[CostLine],
) -> Vec<RuntimeSpeed> {
    let judged = super::regime::judge(cases, comparisons, costs, |base, cont| {
        cont.kind == CaseKind::Workload
            && cont.claim.as_deref() == Some("runtime-speed")
            && cont.language.as_deref() == Some("python")
            && is_plain_idiomatic(base)
            && is_plain_idiomatic(cont)
    });
    let mut contenders: Vec<&str> = Vec::new();
    for j in &judged {
        if !contenders.contains(&j.figure.contender.as_str()) {
            contenders.push(&j.figure.contender);
        }
    }
    let mut summaries = Vec::new();
    for contender in contenders {
        let rows: Vec<_> = judged
            .iter()
            .filter(|j| j.figure.contender == contender)
            .collect();
        let samples: Vec<stats::RatioSample> = rows.iter().map(|j| j.sample).collect();
        let Some(geometric_mean) = stats::geometric_mean_ratio(&samples, stats::RESAMPLES_FINAL)
        else {
            continue;
        };
        let extreme = |pick: fn(f64, f64) -> bool| {
            let j = rows
                .iter()
                .copied()
                .reduce(|a, b| {
                    if pick(b.figure.ratio.value, a.figure.ratio.value) {
                        b
                    } else {
                        a
                    }
                })
                .expect("rows is not empty");
            Extreme {
                workload: j.figure.workload.clone(),
                ratio: j.figure.ratio.value,
            }
        };
        summaries.push(RuntimeSpeed {
            contender: contender.to_string(),
            workloads: rows.len(),
            geometric_mean,
            fastest: extreme(|a, b| a < b),
            slowest: extreme(|a, b| a > b),
            as_fast_or_faster: rows
                .iter()
                .filter(|j| j.figure.verdict() != Verdict::Slower)
                .map(|j| j.figure.workload.clone())
                .collect(),
            figures: rows.iter().map(|j| j.figure.clone()).collect(),
        });
    }
    summaries
}
