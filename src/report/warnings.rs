//! Warnings as data (hyperfine's `warnings.rs`): each says what was seen and what to do next.

use std::fmt;

use super::view::{CaseView, ComparisonView, RunInfo};
use crate::case::{CaseKind, CaseVerdict};
use crate::machine::{Environment, HIGH_STEAL_PERCENT};
use crate::suite::Metric;
use crate::toolchain::Toolchain;

/// Without a start-up floor of its toolchain in the run, below this median a run is mostly
/// process start-up, whatever the program does.
const SHORT_RUN_S: f64 = 0.005;
/// The most of the shorter side's time that may be its toolchain's start-up floor: a share s
/// of it that is start-up pulls the ratio of the work toward 1 by up to s (when the longer
/// side's own share is small). 10% is twice the wall time's noise floor
/// (±5%) and over three times CPU time's (±3%): a bias that alone could make or unmake a
/// verdict. Go at 13 ms (n-body and spectral-norm at `default`) on a 1.9 ms floor is 14%.
const STARTUP_SHARE: f64 = 0.10;
/// A program declared single-threaded (`metric = "cpu"`) that spends more CPU time than this
/// per second of wall time ran on more than one core: a garbage collector's threads, a BLAS.
const MORE_THAN_ONE_CORE: f64 = 1.10;

#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    Interrupted,
    HighSteal {
        group: String,
        percent: f64,
    },
    Busy {
        group: String,
        load: f64,
        cores: usize,
    },
    Outliers {
        cases: Vec<String>,
    },
    ShortRuns {
        case: String,
        median_s: f64,
    },
    /// The toolchain's start-up floor (its empty program) is a large share of the shorter
    /// side of a ratio.
    StartupShare {
        case: String,
        metric: String,
        floor_s: f64,
        median_s: f64,
    },
    Shim {
        toolchain: String,
        found_as: String,
        shim: String,
        runs: String,
    },
    NoPgo {
        toolchain: String,
    },
    SampledTreeMemory,
    NotSingleThreaded {
        case: String,
        cores: f64,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Interrupted => write!(
                f,
                "the run was interrupted: cases not finished are marked `interrupted` and left out of every ratio"
            ),
            Warning::HighSteal { group, percent } => write!(
                f,
                "{group}: the hypervisor stole {percent:.0}% of CPU time while it ran; its times are \
                 inflated and noisy, run it again when the machine is quieter"
            ),
            Warning::Busy { group, load, cores } => write!(
                f,
                "{group}: load average {load:.1} on {cores} cores while it ran, the cores saturated; \
                 other processes competed for the CPU (interleaving keeps the ratio fair, absolute times are inflated)"
            ),
            Warning::Outliers { cases } => write!(
                f,
                "outlier runs (modified z-score > 3.5), kept in every statistic: {}; a longer \
                 profile (--profile standard) dilutes them",
                cases.join(", ")
            ),
            Warning::ShortRuns { case, median_s } => write!(
                f,
                "{case}: median {:.2} ms is mostly process start-up; use a larger --size to measure the work",
                median_s * 1e3
            ),
            Warning::StartupShare {
                case,
                metric,
                floor_s,
                median_s,
            } => write!(
                f,
                "{case}: its toolchain's start-up floor (the empty program, {} {metric}) is {:.0}% \
                 of its median {} {metric}, more than the {:.0}% a ratio's shorter side may hold: \
                 start-up pulls the ratio toward 1 by up to that share; `--ladder` reads the fixed \
                 and marginal cost apart, or use a larger --size",
                format_ms(*floor_s),
                floor_s / median_s * 100.0,
                format_ms(*median_s),
                STARTUP_SHARE * 100.0,
            ),
            Warning::Shim {
                toolchain,
                found_as,
                shim,
                runs,
            } => write!(
                f,
                "{toolchain}: {found_as} is a {shim}; versus runs the real interpreter {runs} \
                 directly, so the shim's cost is not counted"
            ),
            Warning::NoPgo { toolchain } => write!(
                f,
                "{toolchain} was built without --enable-optimizations (PGO); distribution builds \
                 usually have it, so its times may be slower than another machine's CPython"
            ),
            Warning::NotSingleThreaded { case, cores } => write!(
                f,
                "{case}: declared single-threaded work (metric = \"cpu\") but it kept {cores:.2} \
                 cores busy on median, so its CPU time is more than its time; set metric = \"wall\" \
                 for it in the manifest"
            ),
            Warning::SampledTreeMemory => write!(
                f,
                "no cgroup could be made, so process-tree memory was sampled from /proc: a lower \
                 bound (run as root or with a delegated cgroup for exact figures)"
            ),
        }
    }
}

/// Steal and load per group: the worst any of its cases saw (a case that failed early
/// recorded the machine up to its failure).
fn group_warnings(report: &Measured<'_>) -> Vec<Warning> {
    let mut groups: Vec<&str> = report.cases.iter().map(|c| c.group.as_str()).collect();
    groups.dedup();
    let cores = report.environment.cores;
    let mut warnings = Vec::new();
    for group in groups {
        let cases = || report.cases.iter().filter(move |c| c.group == group);
        let worst = |f: fn(&super::view::CaseView) -> Option<f64>| {
            cases().filter_map(f).fold(None, |acc: Option<f64>, v| {
                Some(acc.map_or(v, |a| a.max(v)))
            })
        };
        if let Some(percent) = worst(|c| c.steal_percent).filter(|p| *p > HIGH_STEAL_PERCENT) {
            warnings.push(Warning::HighSteal {
                group: group.to_string(),
                percent,
            });
        }
        let flagged = cases().any(|c| c.flags.contains(&super::view::CaseFlag::Overloaded));
        if let Some(load) = worst(|c| c.load_avg).filter(|_| flagged) {
            warnings.push(Warning::Busy {
                group: group.to_string(),
                load,
                cores,
            });
        }
    }
    warnings
}

fn format_ms(seconds: f64) -> String {
    format!("{:.2} ms", seconds * 1e3)
}

/// The median of `metric` of a case, where start-up is part of it (not a reported phase).
fn startup_bearing_median(case: &CaseView, metric: &Metric) -> Option<f64> {
    match metric {
        Metric::Wall => case.wall_s.as_ref().map(|s| s.median),
        Metric::Cpu => case.cpu_s.as_ref().map(|s| s.median),
        Metric::Reported(_) => None,
    }
}

/// The verified start-up floor (empty program) of a case's toolchain in the same run.
fn floor_of<'r>(report: &Measured<'r>, case: &CaseView) -> Option<&'r CaseView> {
    report.cases.iter().find(|f| {
        f.kind == CaseKind::Floor
            && f.verdict == CaseVerdict::Ok
            && f.toolchain.is_some()
            && f.toolchain == case.toolchain
    })
}

/// Per comparison, the shorter side against its toolchain's start-up floor measured in the
/// same run. A ladder's points are left out: its fit already reads start-up apart, and a
/// reported time leaves start-up out by itself. Each case is named once.
fn startup_shares(report: &Measured<'_>) -> Vec<Warning> {
    let mut warned: Vec<usize> = Vec::new();
    let mut warnings = Vec::new();
    for c in report.comparisons {
        let sides = [c.baseline_index, c.contender_index];
        let medians = sides.map(|i| startup_bearing_median(&report.cases[i], &c.metric));
        let [Some(base), Some(cont)] = medians else {
            continue;
        };
        let (shorter, median_s) = if base <= cont {
            (sides[0], base)
        } else {
            (sides[1], cont)
        };
        let case = &report.cases[shorter];
        let measures_startup = case.claim.as_deref() == Some("startup");
        if case.kind != CaseKind::Workload
            || measures_startup
            || case.work.is_some()
            || warned.contains(&shorter)
        {
            continue;
        }
        let floor = floor_of(report, case);
        let Some(floor_s) = floor.and_then(|f| startup_bearing_median(f, &c.metric)) else {
            continue;
        };
        if median_s > 0.0 && floor_s / median_s > STARTUP_SHARE {
            warned.push(shorter);
            warnings.push(Warning::StartupShare {
                case: format!("{} on {}", case.workload, case.label()),
                metric: c.metric.label().to_string(),
                floor_s,
                median_s,
            });
        }
    }
    warnings
}

/// For a case compared on CPU time: its median CPU time per second of wall time. On a busy
/// machine this only falls (waiting is not CPU time), so a figure above one is parallelism.
fn cores_busy(case: &CaseView) -> Option<f64> {
    if case.metric != Metric::Cpu {
        return None;
    }
    let per_run: Vec<f64> = case
        .samples
        .iter()
        .filter(|s| s.wall_s > 0.0)
        .map(|s| s.cpu_s() / s.wall_s)
        .collect();
    (!per_run.is_empty()).then(|| crate::stats::median(&per_run))
}

/// What the warnings are read from: the run's views, before the findings.
pub struct Measured<'r> {
    pub run: &'r RunInfo,
    pub environment: &'r Environment,
    pub cases: &'r [CaseView],
    pub comparisons: &'r [ComparisonView],
    pub toolchains: &'r [Toolchain],
}

pub fn collect(report: &Measured<'_>) -> Vec<String> {
    let mut warnings = Vec::new();
    if report.run.status == "interrupted" {
        warnings.push(Warning::Interrupted);
    }
    warnings.extend(group_warnings(report));
    let startup = startup_shares(report);
    let mut outliers = Vec::new();
    for case in report.cases {
        if case.verdict != CaseVerdict::Ok {
            continue;
        }
        let name = format!("{} on {}", case.workload, case.label());
        if case.outliers > 0 {
            outliers.push(format!("{name} {}/{}", case.outliers, case.runs));
        }
        if let Some(cores) = cores_busy(case).filter(|c| *c > MORE_THAN_ONE_CORE) {
            warnings.push(Warning::NotSingleThreaded {
                case: name.clone(),
                cores,
            });
        }
        let measures_startup = case.claim.as_deref() == Some("startup");
        if let Some(wall) = &case.wall_s {
            // Where the run measured the toolchain's floor, the share above says more.
            if wall.median < SHORT_RUN_S
                && case.kind == CaseKind::Workload
                && !measures_startup
                && floor_of(report, case).is_none()
            {
                warnings.push(Warning::ShortRuns {
                    case: name,
                    median_s: wall.median,
                });
            }
        }
    }
    warnings.extend(startup);
    if !outliers.is_empty() {
        warnings.push(Warning::Outliers { cases: outliers });
    }
    for toolchain in report.toolchains {
        if let Some(shim) = &toolchain.shim {
            warnings.push(Warning::Shim {
                toolchain: toolchain.label(),
                found_as: toolchain.found_as.display().to_string(),
                shim: shim.clone(),
                runs: toolchain.executable.display().to_string(),
            });
        }
        if toolchain.details.get("pgo").map(String::as_str) == Some("no") {
            warnings.push(Warning::NoPgo {
                toolchain: toolchain.label(),
            });
        }
    }
    if report.environment.tree_memory_method == "proc-sampling" {
        warnings.push(Warning::SampledTreeMemory);
    }
    warnings.iter().map(ToString::to_string).collect()
}
