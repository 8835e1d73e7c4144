//! CPython's versions against each other, for a run that measured more than one (`--python
//! all`): per program, each CPython's time against the oldest CPython measured on it and
//! against Go, and per CPython the geometric mean against the oldest over the idiomatic
//! runtime-speed workloads. Every ratio goes through [`super::view::compare`], the path of the
//! table's ratios, so its interval means what theirs does.

use serde::Serialize;

use super::units::format_ratio;
use super::view::{CaseView, ComparisonView};
use crate::stats::{self, GeometricMean, RatioSample, Verdict};
use crate::store::StoredCase;
use crate::suite::{Metric, Point};
use crate::toolchain::Toolchain;

/// The claim these ratios check, named, never used as a figure.
pub const CLAIM: &str = "the Faster CPython project's claim that CPython 3.11 runs 1.25× as fast \
                         as 3.10 (Python 3.11's What's New, on the pyperformance suite)";

#[derive(Clone, Debug, Default, Serialize)]
pub struct CpythonVersions {
    /// The CPythons the run measured, oldest first, as tables name them (`cpython 3.10.13`).
    pub versions: Vec<String>,
    /// Per program measured on two CPythons or more, each CPython's row.
    pub rows: Vec<VersionRow>,
    /// Per CPython but the oldest: its geometric mean against the oldest.
    pub summaries: Vec<VersionSummary>,
    /// Each CPython 3.11 against each CPython 3.10 measured: the pair [`CLAIM`] is about.
    pub claim_check: Vec<VersionSummary>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VersionRow {
    pub group: String,
    pub workload: String,
    pub claim: Option<String>,
    pub point: Option<Point>,
    pub variant: Option<String>,
    pub label: Option<String>,
    /// The CPython of this row and the oldest one measured on this program, as tables name them.
    pub toolchain: String,
    pub oldest: String,
    /// This CPython's time ÷ the oldest's; null on the oldest's own row.
    pub against_oldest: Option<VersionRatio>,
    /// This CPython's time ÷ Go's (the group's baseline); null when Go is not the baseline.
    pub against_go: Option<VersionRatio>,
}

/// A paired ratio, as `comparisons[]` gives it.
#[derive(Clone, Debug, Serialize)]
pub struct VersionRatio {
    pub metric: Metric,
    pub ratio: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub verdict: Verdict,
    pub pairs: usize,
}

impl From<&ComparisonView> for VersionRatio {
    fn from(c: &ComparisonView) -> VersionRatio {
        VersionRatio {
            metric: c.metric.clone(),
            ratio: c.ratio,
            ci_low: c.ci_low,
            ci_high: c.ci_high,
            verdict: c.verdict,
            pairs: c.pairs,
        }
    }
}

impl VersionRatio {
    /// `0.812× [0.801, 0.824] cpu`, as the table's ratio cell.
    pub fn text(&self) -> String {
        format!(
            "{} {}",
            format_ratio(self.ratio, self.ci_low, self.ci_high),
            self.metric.label()
        )
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct VersionSummary {
    pub toolchain: String,
    /// What it is compared with: the oldest CPython (in `claim_check`, a 3.10).
    pub oldest: String,
    /// The idiomatic runtime-speed workloads both ran (verified).
    pub workloads: usize,
    /// Of this CPython's time ÷ that one's over those workloads.
    pub geometric_mean: GeometricMean,
}

impl VersionSummary {
    /// `cpython 3.11.7 ÷ cpython 3.10.13: geometric mean 0.8× [0.7, 0.9] over 2 … workloads`
    fn text(&self) -> String {
        let g = &self.geometric_mean;
        format!(
            "{} ÷ {}: geometric mean {} over {} idiomatic runtime-speed workload{}",
            self.toolchain,
            self.oldest,
            format_ratio(g.value, g.ci_low, g.ci_high),
            self.workloads,
            if self.workloads == 1 { "" } else { "s" }
        )
    }
}

/// Empty unless the run holds two CPythons or more.
pub fn collect(
    stored: &[StoredCase],
    views: &[CaseView],
    comparisons: &[ComparisonView],
    toolchains: &[Toolchain],
) -> CpythonVersions {
    let mut cpythons: Vec<&Toolchain> = toolchains
        .iter()
        .filter(|t| t.implementation == "cpython")
        .collect();
    if cpythons.len() < 2 {
        return CpythonVersions::default();
    }
    cpythons.sort_by_cached_key(|t| (t.version_components(), t.version.clone(), t.id.clone()));
    let rank = |view: &CaseView| {
        let id = view.toolchain.as_deref()?;
        cpythons.iter().position(|t| t.id == id)
    };
    let programs = programs(stored, views, &rank);
    let mut rows = Vec::new();
    for program in &programs {
        let oldest = program[0];
        for &index in program {
            let view = &views[index];
            let against_oldest = (index != oldest)
                .then(|| super::view::compare(stored, views, oldest, index))
                .flatten();
            rows.push(VersionRow {
                group: view.group.clone(),
                workload: view.workload.clone(),
                claim: view.claim.clone(),
                point: view.point.clone(),
                variant: view.variant.clone(),
                label: view.label.clone(),
                toolchain: view.toolchain_label.clone().unwrap_or_default(),
                oldest: views[oldest].toolchain_label.clone().unwrap_or_default(),
                against_oldest: against_oldest.as_ref().map(VersionRatio::from),
                against_go: against_go(views, comparisons, index),
            });
        }
    }
    let mean = |base: &Toolchain, contender: &Toolchain| {
        geometric_mean(stored, views, &programs, base, contender)
    };
    let summaries = cpythons[1..]
        .iter()
        .filter_map(|t| mean(cpythons[0], t))
        .collect();
    let of_minor = |minor: u32| {
        cpythons
            .iter()
            .filter(move |t| t.version_components().starts_with(&[3, minor]))
    };
    let claim_check = of_minor(10)
        .flat_map(|old| of_minor(11).filter_map(|new| mean(old, new)))
        .collect();
    CpythonVersions {
        versions: cpythons.iter().map(|t| t.label()).collect(),
        rows,
        summaries,
        claim_check,
    }
}

/// The verified CPython cases of each program (group, point, variant and label) measured on
/// two CPythons or more, oldest CPython first, in the order the programs were run.
fn programs(
    stored: &[StoredCase],
    views: &[CaseView],
    rank: &dyn Fn(&CaseView) -> Option<usize>,
) -> Vec<Vec<usize>> {
    let key = |v: &CaseView| {
        (
            v.group.clone(),
            v.point.clone(),
            v.variant.clone(),
            v.label.clone(),
        )
    };
    let mut programs: Vec<Vec<usize>> = Vec::new();
    for (index, view) in views.iter().enumerate() {
        if rank(view).is_none() || !stored[index].is_usable() || super::backend::is_backend(view) {
            continue;
        }
        match programs.iter_mut().find(|p| key(&views[p[0]]) == key(view)) {
            Some(program) => program.push(index),
            None => programs.push(vec![index]),
        }
    }
    programs.retain(|p| p.len() > 1);
    for program in &mut programs {
        program.sort_by_key(|&i| rank(&views[i]));
    }
    programs
}

fn against_go(
    views: &[CaseView],
    comparisons: &[ComparisonView],
    index: usize,
) -> Option<VersionRatio> {
    comparisons
        .iter()
        .find(|c| {
            c.contender_index == index && views[c.baseline_index].language.as_deref() == Some("go")
        })
        .map(VersionRatio::from)
}

/// `contender` ÷ `base` over the plain idiomatic runtime-speed programs both ran, each paired
/// by round (whole process at the size run); `None` when there is none.
fn geometric_mean(
    stored: &[StoredCase],
    views: &[CaseView],
    programs: &[Vec<usize>],
    base: &Toolchain,
    contender: &Toolchain,
) -> Option<VersionSummary> {
    let runtime_speed = |v: &CaseView| {
        v.claim.as_deref() == Some("runtime-speed")
            && v.variant.as_deref() == Some("idiomatic")
            && v.label.is_none()
            && v.point.is_none()
    };
    let compared: Vec<ComparisonView> = programs
        .iter()
        .filter(|p| runtime_speed(&views[p[0]]))
        .filter_map(|p| {
            let of = |t: &Toolchain| {
                p.iter()
                    .copied()
                    .find(|&i| views[i].toolchain.as_deref() == Some(t.id.as_str()))
            };
            super::view::compare(stored, views, of(base)?, of(contender)?)
        })
        .collect();
    let samples: Vec<RatioSample> = compared
        .iter()
        .map(|c| RatioSample::Paired(&c.paired))
        .collect();
    Some(VersionSummary {
        toolchain: contender.label(),
        oldest: base.label(),
        workloads: samples.len(),
        geometric_mean: stats::geometric_mean_ratio(&samples, stats::RESAMPLES_FINAL)?,
    })
}

/// The lines of the report's "CPython versions" section: empty when the run holds one CPython.
pub fn lines(found: &CpythonVersions) -> Vec<String> {
    let Some(oldest) = found.versions.first() else {
        return Vec::new();
    };
    let mut lines = vec![format!(
        "{} measured; each one's time ÷ the oldest's on the same program ({oldest} unless it \
         did not run it), then ÷ Go's; below 1 is faster. They check {CLAIM}.",
        found.versions.join(", ")
    )];
    for s in &found.summaries {
        lines.push(s.text());
    }
    for s in &found.claim_check {
        lines.push(format!("the claim's pair, {}", s.text()));
    }
    let mut last_program = None;
    for row in &found.rows {
        let program = (&row.group, &row.point, &row.variant, &row.label);
        if last_program != Some(program) {
            last_program = Some(program);
            lines.push(format!("{}:", program_name(row)));
        }
        let oldest = match &row.against_oldest {
            Some(ratio) => format!("against the oldest {}", ratio.text()),
            None if row.toolchain == row.oldest => "the oldest".to_string(),
            None => "too few rounds to compare with the oldest".to_string(),
        };
        let go = row
            .against_go
            .as_ref()
            .map_or(String::new(), |r| format!("; against Go {}", r.text()));
        lines.push(format!("  {}: {oldest}{go}", row.toolchain));
    }
    lines
}

/// `cpu/nbody (default)`, `concurrency/idle-tasks (default, tasks=1) asyncio`.
fn program_name(row: &VersionRow) -> String {
    let program = crate::case::label(
        None,
        row.variant.as_deref(),
        row.label.as_deref(),
        &row.group,
    );
    match &row.point {
        Some(point) if !row.group.contains(&point.to_string()) => format!("{program} at {point}"),
        _ => program,
    }
}

#[cfg(test)]
mod tests;
