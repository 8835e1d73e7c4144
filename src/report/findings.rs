//! What a run says about the article's claims, beyond single rows: the runtime-speed summary
//! (the geometric mean of the Python/Go ratios over the idiomatic programs, with its interval),
//! the ladders' lines, and published figures beside the measured ratios they correspond to.

use serde::Serialize;

use super::costs::CostLine;
use super::published::AgainstPublished;
use super::regime::{Figure, Judged};
use super::units::format_ratio;
use super::view::{CaseView, ComparisonView};
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
    /// CPython's versions against each other and Go, when the run measured more than one.
    pub cpython_versions: super::versions::CpythonVersions,
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
    /// The same mean without the workloads whose contender's work is done by code in another
    /// language (`backed_by`: the C of Python's `re`), so the interpreter's own speed shows
    /// apart. `None` when no figure is backed (the mean above is that one) or every one is.
    pub without_backed: Option<WithoutBacked>,
}

/// The runtime-speed mean over the programs whose work is their own language's.
#[derive(Clone, Debug, Serialize)]
pub struct WithoutBacked {
    pub workloads: usize,
    pub geometric_mean: GeometricMean,
    /// The workloads left out, and what does their work.
    pub left_out: Vec<BackedWorkload>,
}

impl WithoutBacked {
    /// `without the 1 whose work is done by code in another language (cpu/regex-redux, backed
    /// by C (re module)): geometric mean 41.0× [38.2, 44.1] over 9 workloads`
    pub fn text(&self) -> String {
        let g = &self.geometric_mean;
        let left_out: Vec<String> = self
            .left_out
            .iter()
            .map(|b| format!("{}, backed by {}", b.workload, b.backed_by))
            .collect();
        format!(
            "without the {} whose work is done by code in another language ({}): geometric mean {} over {} workload{}",
            self.left_out.len(),
            left_out.join("; "),
            format_ratio(g.value, g.ci_low, g.ci_high),
            self.workloads,
            if self.workloads == 1 { "" } else { "s" }
        )
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct BackedWorkload {
    pub workload: String,
    pub backed_by: String,
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
        cpython_versions: Default::default(),
    }
}

/// The geometric mean over the rows whose work is not backed by another language's code.
fn without_backed(rows: &[&Judged]) -> Option<WithoutBacked> {
    let left_out: Vec<BackedWorkload> = rows
        .iter()
        .filter_map(|j| {
            Some(BackedWorkload {
                workload: j.figure.workload.clone(),
                backed_by: j.figure.backed_by.clone()?,
            })
        })
        .collect();
    if left_out.is_empty() {
        return None;
    }
    let own: Vec<stats::RatioSample> = rows
        .iter()
        .filter(|j| j.figure.backed_by.is_none())
        .map(|j| j.sample)
        .collect();
    Some(WithoutBacked {
        workloads: own.len(),
        geometric_mean: stats::geometric_mean_ratio(&own, stats::RESAMPLES_FINAL)?,
        left_out,
    })
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
            without_backed: without_backed(&rows),
        });
    }
    summaries
}
