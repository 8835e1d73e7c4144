//! What a run says about the article's claims, beyond single rows: the runtime-speed summary
//! (the geometric mean of the Python/Go ratios over the idiomatic programs, with its interval)
//! and published figures beside the measured ratios they correspond to.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::costs::CostLine;
use super::model::{CaseView, ComparisonView};
use super::regime::Figure;
use crate::case::CaseKind;
use crate::stats::{self, GeometricMean, Verdict};
use crate::toolchain::Toolchain;

/// Published Python/Go ratios, with sources: `reference/published.toml`, built into the binary.
const PUBLISHED: &str = include_str!("../../reference/published.toml");

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Published {
    pub workload: String,
    /// Python time / Go time.
    pub ratio: f64,
    pub source: String,
    pub detail: String,
    pub year: u32,
}

#[derive(Deserialize)]
struct PublishedFile {
    figure: Vec<Published>,
}

// The file is part of the build and checked by a test, so a parse error cannot reach users.
static PUBLISHED_FIGURES: LazyLock<Vec<Published>> = LazyLock::new(|| {
    toml::from_str::<PublishedFile>(PUBLISHED)
        .map(|f| f.figure)
        .unwrap_or_default()
});

pub fn published() -> &'static [Published] {
    &PUBLISHED_FIGURES
}

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

#[derive(Clone, Debug, Serialize)]
pub struct AgainstPublished {
    pub workload: String,
    /// Who was measured, as tables name it (`cpython 3.11.7`, `cpython 3.11.7 (library-backed: numpy)`).
    pub contender: String,
    pub ratio: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub published: Vec<Published>,
}

pub fn collect(
    cases: &[CaseView],
    comparisons: &[ComparisonView],
    toolchains: &[Toolchain],
) -> Findings {
    let costs = super::costs::collect(cases, comparisons);
    Findings {
        runtime_speed: runtime_speed(cases, comparisons, &costs),
        published: against_published(cases, comparisons, toolchains, published()),
        concurrency: Default::default(),
        backend: super::backend::collect(cases),
        costs,
    }
}

/// The case a comparison names as contender (or baseline).
fn case_of<'a>(cases: &'a [CaseView], c: &ComparisonView, contender: bool) -> Option<&'a CaseView> {
    cases.get(if contender {
        c.contender_index
    } else {
        c.baseline_index
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
        });
    }
    summaries
}

/// The published figures are CPython's, so only CPython rows are set beside them.
fn against_published(
    cases: &[CaseView],
    comparisons: &[ComparisonView],
    toolchains: &[Toolchain],
    published: &[Published],
) -> Vec<AgainstPublished> {
    let is_cpython = |id: &str| {
        toolchains
            .iter()
            .any(|t| t.id == id && t.implementation == "cpython")
    };
    comparisons
        .iter()
        .filter(|c| c.kind == CaseKind::Workload && is_cpython(&c.contender))
        .filter_map(|c| {
            let contender = case_of(cases, c, true)?;
            let figures: Vec<Published> = published
                .iter()
                .filter(|p| p.workload == c.workload)
                .cloned()
                .collect();
            (!figures.is_empty()).then(|| AgainstPublished {
                workload: c.workload.clone(),
                contender: contender.label(),
                ratio: c.ratio,
                ci_low: c.ci_low,
                ci_high: c.ci_high,
                published: figures,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_figures_file_parses_and_names_known_workloads() {
        let parsed: PublishedFile =
            toml::from_str(PUBLISHED).expect("reference/published.toml parses");
        assert!(parsed.figure.len() >= 10);
        let workloads = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads");
        for figure in &parsed.figure {
            assert!(figure.ratio > 0.0, "{figure:?}");
            assert!(
                workloads
                    .join(&figure.workload)
                    .join("workload.toml")
                    .is_file(),
                "{} names no workload of the suite",
                figure.workload
            );
        }
    }
}
