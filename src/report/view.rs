//! What a report shows of each stored case and of each comparison in its group: summaries and
//! paired ratios computed from the stored samples. The findings and evidence are computed from
//! these views; the views know nothing of them. Part of the JSON schema (see `model`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::case::{CaseKind, CaseVerdict, StopReason};
use crate::machine::{HIGH_STEAL_PERCENT, overloaded};
use crate::stats::{self, Pair, Summary, Verdict};
use crate::store::{StoredCase, StoredSample};
use crate::suite::{Metric, Point};
use crate::toolchain::Toolchain;

#[derive(Clone, Debug, Serialize)]
pub struct RunInfo {
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: String,
    pub command: String,
    pub profile: String,
    pub size: Option<String>,
    pub arguments: Vec<String>,
    /// Where the run was measured, when `versus import` brought it here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<crate::store::Imported>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CaseView {
    pub group: String,
    pub kind: CaseKind,
    pub workload: String,
    pub claim: Option<String>,
    pub language: Option<String>,
    pub toolchain: Option<String>,
    pub toolchain_label: Option<String>,
    pub variant: Option<String>,
    pub label: Option<String>,
    /// What does the program's work when not its own language (`C (re module)`): the
    /// runtime-speed mean is also given without such programs.
    pub backed_by: Option<String>,
    pub size: Option<String>,
    /// The point of a sweep the case ran at (`tasks=1000`).
    pub point: Option<Point>,
    /// At a ladder's point: the units of work it does.
    pub work: Option<f64>,
    pub baseline: bool,
    pub verdict: CaseVerdict,
    pub detail: Option<String>,
    /// Timed runs that passed verification.
    pub runs: usize,
    pub warmup_runs: usize,
    pub wall_s: Option<Summary>,
    pub user_s: Option<Summary>,
    pub sys_s: Option<Summary>,
    /// User + system CPU time of the process tree, per run.
    pub cpu_s: Option<Summary>,
    /// What the case's ratio against its baseline is a ratio of, when both are of this metric
    /// (a comparison uses CPU time only when both sides do).
    pub metric: Metric,
    /// Why its group stopped measuring (`precise`, `budget`, `rounds`), and the precision (the
    /// relative half-width of a ratio's 95% interval) the profile aimed at.
    pub stopped_by: Option<StopReason>,
    pub precision_target: Option<f64>,
    /// Largest `ru_maxrss` of any run (one process).
    pub peak_rss_bytes: Option<u64>,
    /// Largest peak of the whole process tree of any run.
    pub tree_peak_bytes: Option<u64>,
    pub tree_method: Option<String>,
    /// Runs flagged by the modified z-score (kept in every statistic).
    pub outliers: usize,
    pub artifact_bytes: Option<u64>,
    /// Source lines with code, and gzip size of the source (the Benchmarks Game's measure).
    pub code_lines: Option<u64>,
    pub code_gzip_bytes: Option<u64>,
    pub build_s: Option<f64>,
    pub build_cached: Option<bool>,
    pub load_avg: Option<f64>,
    pub steal_percent: Option<f64>,
    pub command: Option<Vec<String>>,
    /// The file fed on stdin, if any.
    pub stdin: Option<String>,
    /// The variables the program was given on purpose (its manifest's `env`, `--env`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<(String, String)>,
    /// Python: which site-packages the program could see.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packages: Option<crate::case::Packages>,
    /// What may spoil this case's figures.
    pub flags: Vec<CaseFlag>,
    /// What the program reported of itself (`spawn_s`, `round_trips_per_s`), summarized over
    /// the runs that reported it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<String, Summary>,
    /// Every timed run, in the order they ran.
    pub samples: Vec<StoredSample>,
    /// A JIT's warm-up: the program run several times in one process.
    pub in_process: Option<InProcess>,
}

/// Iterations of one process (the steady-state harness): how long the first took against the
/// steady state after the JIT has warmed up.
#[derive(Clone, Debug, Serialize)]
pub struct InProcess {
    pub iterations_s: Vec<f64>,
    pub first_s: f64,
    /// Median of the iterations after the first third.
    pub steady_s: f64,
    /// 1-based number of the first iteration counted as steady.
    pub steady_from: usize,
}

impl InProcess {
    fn of(iterations: &[f64]) -> Option<InProcess> {
        let first_s = *iterations.first()?;
        let skip = iterations.len() / 3;
        let steady = &iterations[skip.max(1).min(iterations.len() - 1)..];
        Some(InProcess {
            iterations_s: iterations.to_vec(),
            first_s,
            steady_s: stats::median(if steady.is_empty() {
                iterations
            } else {
                steady
            }),
            steady_from: skip.max(1).min(iterations.len() - 1) + 1,
        })
    }
}

/// A condition under which a case was measured that makes its figures less trustworthy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseFlag {
    /// The hypervisor stole more than 10% of CPU time while the case ran.
    HighSteal,
    /// The load average exceeded the number of cores.
    Overloaded,
    /// Some runs are outliers (kept in every statistic).
    Outliers,
}

impl CaseFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseFlag::HighSteal => "high steal",
            CaseFlag::Overloaded => "overloaded",
            CaseFlag::Outliers => "outliers",
        }
    }
}

impl CaseView {
    /// How the case is named in tables: `cpython 3.11.7`, `go 1.26.8 (optimized)`, a command.
    pub fn label(&self) -> String {
        crate::case::label(
            self.toolchain_label.clone(),
            self.variant.as_deref(),
            self.label.as_deref(),
            &self.workload,
        )
    }

    /// The label and what does the program's work when not its own language, as a table's
    /// toolchain cell shows it: `cpython 3.11.7, backed by C (re module)`. Not an identity:
    /// findings match cases by [`CaseView::label`].
    pub fn label_with_backing(&self) -> String {
        match &self.backed_by {
            Some(backed_by) => format!("{}, backed by {backed_by}", self.label()),
            None => self.label(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ComparisonView {
    pub group: String,
    pub kind: CaseKind,
    pub workload: String,
    pub size: Option<String>,
    /// Toolchain id (or command) of the baseline and the contender.
    pub baseline: String,
    pub contender: String,
    pub baseline_variant: Option<String>,
    pub contender_variant: Option<String>,
    pub baseline_label: Option<String>,
    pub contender_label: Option<String>,
    /// What the headline ratio is a ratio of: CPU time when both programs are single-threaded
    /// work, else wall time.
    pub metric: Metric,
    /// The headline: the median over the rounds of contender ÷ baseline, each round's pair of
    /// runs interleaved (see [`crate::stats::compare_paired`]), with its 95% interval.
    pub ratio: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub verdict: Verdict,
    /// Rounds in which both ran: the pairs the ratio is the median of.
    pub pairs: usize,
    /// The same paired ratio on the other metric, shown beside the headline.
    pub other: Option<OtherRatio>,
    /// How precise the headline is against what the profile aimed at.
    pub precision: Precision,
    /// The headline metric's pairs, for estimates across comparisons (geometric means).
    #[serde(skip)]
    pub paired: Vec<Pair>,
    /// Indices of the two cases in `Report::cases`.
    #[serde(skip)]
    pub baseline_index: usize,
    #[serde(skip)]
    pub contender_index: usize,
}

/// A paired ratio on the metric that is not the headline.
#[derive(Clone, Debug, Serialize)]
pub struct OtherRatio {
    pub metric: Metric,
    pub ratio: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The headline interval's relative half-width against the profile's target.
#[derive(Clone, Debug, Serialize)]
pub struct Precision {
    pub half_width: f64,
    pub target: Option<f64>,
    pub stopped_by: Option<StopReason>,
    /// The time budget ran out before the interval reached the target: the table says so.
    pub budget_spent: bool,
}

pub(super) fn case_view(case: &StoredCase, toolchains: &[Toolchain], cores: usize) -> CaseView {
    let column = |f: fn(&crate::store::StoredSample) -> f64| -> Vec<f64> {
        case.samples.iter().map(f).collect()
    };
    let walls = column(|s| s.wall_s);
    // Wall time is what is compared, so its interval gets the full bootstrap; CPU times are
    // only shown, so a lighter one does (the report is recomputed on every render).
    let summarize = |values: &[f64], resamples| stats::summarize(values, resamples);
    let toolchain = case
        .toolchain_id
        .as_ref()
        .and_then(|id| toolchains.iter().find(|t| &t.id == id));
    let outliers = stats::outlier_flags(&walls).iter().filter(|f| **f).count();
    let mut flags = Vec::new();
    if case.steal_percent.is_some_and(|s| s > HIGH_STEAL_PERCENT) {
        flags.push(CaseFlag::HighSteal);
    }
    if case
        .load_avg
        .is_some_and(|l| overloaded(l, case.busy_percent, cores))
    {
        flags.push(CaseFlag::Overloaded);
    }
    if outliers > 0 {
        flags.push(CaseFlag::Outliers);
    }
    CaseView {
        group: case.group_label.clone(),
        kind: case.kind,
        workload: case.workload.clone(),
        claim: case.claim.clone(),
        language: case.language.clone(),
        toolchain: case.toolchain_id.clone(),
        toolchain_label: toolchain.map(Toolchain::label),
        variant: case.variant.clone(),
        label: case.label.clone(),
        backed_by: case.backed_by.clone(),
        size: case.size.clone(),
        point: case.point.clone(),
        work: case.work,
        baseline: case.is_baseline && compared_on_wall_time(case),
        verdict: case.verdict,
        detail: case.detail.clone(),
        runs: case.samples.len(),
        warmup_runs: case.warmup_runs,
        wall_s: summarize(&walls, stats::RESAMPLES_FINAL),
        user_s: summarize(&column(|s| s.user_s), stats::RESAMPLES_QUICK),
        sys_s: summarize(&column(|s| s.sys_s), stats::RESAMPLES_QUICK),
        cpu_s: summarize(&column(StoredSample::cpu_s), stats::RESAMPLES_QUICK),
        metric: case.metric.clone(),
        stopped_by: case.stopped_by,
        precision_target: case.precision_target,
        peak_rss_bytes: case.samples.iter().map(|s| s.peak_rss_bytes).max(),
        tree_peak_bytes: case.samples.iter().filter_map(|s| s.tree_peak_bytes).max(),
        tree_method: case.samples.first().map(|s| s.tree_method.clone()),
        outliers,
        flags,
        metrics: metric_names(case)
            .into_iter()
            .filter_map(|name| {
                let summary = stats::summarize(&case.metric(&name), stats::RESAMPLES_QUICK)?;
                Some((name, summary))
            })
            .collect(),
        samples: case.samples.clone(),
        in_process: InProcess::of(&case.in_process_s),
        artifact_bytes: case.artifact_bytes,
        code_lines: case.code_lines,
        code_gzip_bytes: case.code_gzip_bytes,
        build_s: case.build_seconds,
        build_cached: case.build_cached,
        load_avg: case.load_avg,
        steal_percent: case.steal_percent,
        command: case.command.clone(),
        stdin: case.stdin.clone(),
        env: case.env.clone(),
        packages: case.packages,
    }
}

/// Whether a case's wall time says something about its program. A backend case's does not:
/// it is the length of the load phase, which the runner fixes, so its group has no baseline
/// and no ratio (its figures are in `findings.backend`).
fn compared_on_wall_time(case: &StoredCase) -> bool {
    case.claim.as_deref() != Some(crate::suite::Claim::Backend.as_str())
}

/// Every verified case against its group's verified baseline at the same point, paired by
/// round.
pub(super) fn comparisons(stored: &[StoredCase], views: &[CaseView]) -> Vec<ComparisonView> {
    let mut out = Vec::new();
    for (bi, base) in stored.iter().enumerate() {
        if !base.is_baseline || !base.is_usable() || !compared_on_wall_time(base) {
            continue;
        }
        for (ci, cont) in stored.iter().enumerate() {
            let counterpart = ci != bi && cont.group_label == base.group_label;
            if !counterpart || cont.point != base.point || !cont.is_usable() {
                continue;
            }
            out.extend(compare(stored, views, bi, ci));
        }
    }
    out
}

/// Case `ci` against case `bi` (both usable, of one group and point), paired by round on the
/// metric both declare, with the other metric beside it. The one path every ratio of one
/// program against another takes: against the group's baseline, and CPython against CPython.
pub(super) fn compare(
    stored: &[StoredCase],
    views: &[CaseView],
    bi: usize,
    ci: usize,
) -> Option<ComparisonView> {
    let (base, cont) = (&stored[bi], &stored[ci]);
    let metric = Metric::common(&base.metric, &cont.metric);
    let paired = |metric| stats::pair_by_round(&base.by_round(metric), &cont.by_round(metric));
    let headline = paired(&metric);
    let c = stats::compare_paired(&headline, stats::RESAMPLES_FINAL)?;
    let other = stats::compare_paired(&paired(&metric.other()), stats::RESAMPLES_QUICK).map(|o| {
        OtherRatio {
            metric: metric.other(),
            ratio: o.ratio,
            ci_low: o.ci_low,
            ci_high: o.ci_high,
        }
    });
    let half_width = c.relative_half_width();
    let noise_floor = metric.noise_floor();
    let target = cont.precision_target;
    Some(ComparisonView {
        group: base.group_label.clone(),
        kind: base.kind,
        workload: base.workload.clone(),
        size: base.size.clone(),
        baseline: name_of(&views[bi]),
        contender: name_of(&views[ci]),
        baseline_variant: base.variant.clone(),
        contender_variant: cont.variant.clone(),
        baseline_label: base.label.clone(),
        contender_label: cont.label.clone(),
        metric,
        ratio: c.ratio,
        ci_low: c.ci_low,
        ci_high: c.ci_high,
        verdict: stats::verdict_beyond(c.ci_low, c.ci_high, noise_floor),
        pairs: headline.len(),
        other,
        precision: Precision {
            half_width,
            target,
            stopped_by: cont.stopped_by,
            budget_spent: cont.stopped_by == Some(StopReason::Budget)
                && target.is_some_and(|t| half_width > t),
        },
        paired: headline,
        baseline_index: bi,
        contender_index: ci,
    })
}

fn metric_names(case: &StoredCase) -> BTreeSet<String> {
    case.samples
        .iter()
        .flat_map(|s| s.metrics.keys().cloned())
        .collect()
}

fn name_of(view: &CaseView) -> String {
    view.toolchain
        .clone()
        .unwrap_or_else(|| view.workload.clone())
}
