//! What a stored run says about each measurable claim: a sentence with the numbers, and which
//! language the measurement favours (none when it is within noise or not measured). The article's
//! table and `versus advise` both read from here.

pub use super::inputs::{Evidence, Inputs};

use super::costs::CostLine;
use super::inputs::not_measured;
use super::regime::{Figure, Regime};
use super::units::{
    format_bytes, format_count, format_excluded, format_rate, format_ratio, format_seconds,
    three_digits,
};
use super::view::CaseView;
use crate::case::{CaseKind, CaseVerdict};
use crate::language::Language;
use crate::stats::{self, NOISE_THRESHOLD};
use crate::suite::Metric;

/// The evidence for a measure named in reference/article.toml or reference/advice.toml
/// (`cited:KEY` for the cited figures of a factor).
pub fn evidence(measure: &str, inputs: &Inputs) -> Evidence {
    if let Some(key) = measure.strip_prefix("cited:") {
        return cited(key);
    }
    match measure {
        "runtime-speed" => runtime_speed(inputs),
        "startup" => startup(inputs),
        "typing" => typing(inputs),
        "code-size" => code_size(inputs),
        "data" => data(inputs),
        "memory" => memory(inputs),
        "concurrency" => concurrency(inputs),
        "backend" => super::backend::evidence(inputs.backend, inputs.run_id),
        "interop" => super::interop::evidence(inputs),
        "cited" => Evidence {
            measured: false,
            text: "one machine cannot measure this".into(),
            favours: None,
            nuance: None,
        },
        suite => Evidence {
            measured: false,
            text: format!(
                "no workload measures this yet: the {suite} suite is still to be written"
            ),
            favours: None,
            nuance: None,
        },
    }
}

/// Cited figures, never measured: the first two of a factor, briefly.
pub fn cited(key: &str) -> Evidence {
    let figures: Vec<String> = super::cited::cited_for(key)
        .take(2)
        .map(|c| format!("{}: {} ({})", c.figures(), c.counts_briefly(), c.year))
        .collect();
    Evidence {
        measured: false,
        text: if figures.is_empty() {
            "cited, no figure".into()
        } else {
            format!("cited, not measured: {}", figures.join("; "))
        },
        favours: None,
        nuance: None,
    }
}

/// Which language a time ratio (Python ÷ Go) favours, when its interval clears the noise.
fn favoured_by_ratio(ci_low: f64, ci_high: f64) -> Option<Language> {
    if ci_low > 1.0 + NOISE_THRESHOLD {
        Some(Language::Go)
    } else if ci_high < 1.0 / (1.0 + NOISE_THRESHOLD) {
        Some(Language::Python)
    } else {
        None
    }
}

/// CPython's summary when there is one (the article speaks of CPython), else the first.
fn runtime_speed(inputs: &Inputs) -> Evidence {
    let Some(summary) = inputs
        .runtime_speed
        .iter()
        .find(|s| s.contender.starts_with("cpython"))
        .or(inputs.runtime_speed.first())
    else {
        return not_measured("runtime-speed workload", "versus run cpu");
    };
    let g = &summary.geometric_mean;
    Evidence {
        measured: true,
        text: format!(
            "{} takes {} Go's time (geometric mean over {} workload{}, run #{}; {}; from {}× on {} to {}× on {})",
            summary.contender,
            format_ratio(g.value, g.ci_low, g.ci_high),
            summary.workloads,
            if summary.workloads == 1 { "" } else { "s" },
            inputs.run_id,
            regimes_used(&summary.figures),
            three_digits(summary.fastest.ratio),
            summary.fastest.workload,
            three_digits(summary.slowest.ratio),
            summary.slowest.workload,
        ) + &summary
            .without_backed
            .as_ref()
            .map_or(String::new(), |own| format!("; {}", own.text())),
        favours: favoured_by_ratio(g.ci_low, g.ci_high),
        nuance: (!summary.as_fast_or_faster.is_empty()).then(|| {
            format!(
                "as fast as Go or faster on {}",
                summary.as_fast_or_faster.join(", ")
            )
        }),
    }
}

/// The empty program's start against Go's, and what each needs installed.
fn startup(inputs: &Inputs) -> Evidence {
    let floor = inputs
        .comparisons
        .iter()
        .find(|c| c.kind == CaseKind::Floor && c.contender.starts_with("cpython"));
    let Some(floor) = floor else {
        return not_measured("startup floor of CPython and Go", "versus run startup");
    };
    let median = |id: &str| {
        inputs
            .cases
            .iter()
            .find(|c| c.kind == CaseKind::Floor && c.toolchain.as_deref() == Some(id))
            .and_then(|c| c.wall_s.as_ref().map(|w| w.median))
    };
    let python = inputs.toolchains.iter().find(|t| t.id == floor.contender);
    let runtime = python.and_then(|t| t.runtime_bytes);
    let go_binary = inputs
        .cases
        .iter()
        .find(|c| c.claim.as_deref() == Some("startup") && c.language.as_deref() == Some("go"))
        .and_then(|c| c.artifact_bytes);
    let mut text = format!(
        "an empty program starts in {} on CPython, {} on Go ({}, run #{})",
        median(&floor.contender).map_or("?".into(), format_seconds),
        median(&floor.baseline).map_or("?".into(), format_seconds),
        format_ratio(floor.ratio, floor.ci_low, floor.ci_high),
        inputs.run_id
    );
    if let (Some(binary), Some(runtime)) = (go_binary, runtime) {
        text.push_str(&format!(
            "; Go ships a {} binary (stripped) and nothing else, Python needs {} of interpreter and standard library{}",
            format_bytes(binary),
            format_bytes(runtime),
            python.map_or(String::new(), format_excluded)
        ));
    }
    Evidence {
        measured: true,
        text,
        favours: favoured_by_ratio(floor.ci_low, floor.ci_high),
        nuance: None,
    }
}

/// Planted mistakes reported before the program runs, per column.
fn typing(inputs: &Inputs) -> Evidence {
    let view = inputs.typing;
    if view.rows.is_empty() {
        return not_measured("typing workload", "versus run typing");
    }
    let count = |prefix: &str, checker: bool| {
        view.columns
            .iter()
            .position(|c| c.starts_with(prefix) && c.ends_with("+ type checker") == checker)
            .map(|i| view.before_run[i])
    };
    let (go, python, checked) = (
        count("go", false),
        count("cpython", false),
        count("cpython", true),
    );
    let part = |name: &str, n: Option<usize>| n.map(|n| format!("{name} {n}/{}", view.mistakes));
    let parts: Vec<String> = [
        part("Go", go),
        part("Python", python),
        part("Python + type checker", checked),
    ]
    .into_iter()
    .flatten()
    .collect();
    let favours = match (go, python) {
        (Some(go), Some(py)) if go > py => Some(Language::Go),
        (Some(go), Some(py)) if py > go => Some(Language::Python),
        _ => None,
    };
    Evidence {
        measured: true,
        text: format!(
            "planted mistakes reported before the program runs (run #{}): {}",
            inputs.run_id,
            parts.join(", ")
        ),
        favours,
        nuance: match (go, checked) {
            (Some(go), Some(checked)) if checked >= go => {
                Some("a type checker lets Python catch as many before the run".into())
            }
            _ => None,
        },
    }
}

/// Per workload, its idiomatic Python and Go programs (first toolchain of each) when both have a
/// measured source size.
pub fn idiomatic_pairs(cases: &[CaseView]) -> Vec<(&CaseView, &CaseView)> {
    let idiomatic = |c: &&CaseView, language: &str| {
        c.kind == CaseKind::Workload
            && c.language.as_deref() == Some(language)
            && c.variant.as_deref() == Some("idiomatic")
            && c.label.is_none()
            && c.code_gzip_bytes.is_some()
    };
    let mut workloads: Vec<&str> = Vec::new();
    for case in cases {
        if !workloads.contains(&case.workload.as_str()) {
            workloads.push(&case.workload);
        }
    }
    workloads
        .into_iter()
        .filter_map(|workload| {
            let find = |language| {
                cases
                    .iter()
                    .filter(|c| c.workload == workload)
                    .find(|c| idiomatic(c, language))
            };
            Some((find("python")?, find("go")?))
        })
        .collect()
}

/// Median Python/Go ratio of gzip-compressed source over workloads with both idiomatic
/// programs.
fn code_size(inputs: &Inputs) -> Evidence {
    let ratios: Vec<f64> = idiomatic_pairs(inputs.cases)
        .iter()
        .filter_map(|(py, go)| Some(py.code_gzip_bytes? as f64 / go.code_gzip_bytes?.max(1) as f64))
        .collect();
    if ratios.is_empty() {
        return not_measured(
            "measured workload with programs in both languages",
            "versus run",
        );
    }
    code_size_evidence(&ratios, &format!("run #{}", inputs.run_id))
}

/// The code-size evidence from per-workload Python/Go gzip ratios; `source` says where the sizes
/// come from (a run, or the workloads' sources themselves: code size needs no run).
pub fn code_size_evidence(ratios: &[f64], source: &str) -> Evidence {
    let median = stats::median(ratios);
    Evidence {
        measured: true,
        text: format!(
            "Python source is {}× the size of Go's (median over {} workload{}, gzip-compressed as \
             the Benchmarks Game measures it, {source}); size is a proxy for the effort of writing, \
             not a measure of how easy a language is to learn",
            three_digits(median),
            ratios.len(),
            if ratios.len() == 1 { "" } else { "s" },
        ),
        favours: if median < 0.9 {
            Some(Language::Python)
        } else if median > 1.1 {
            Some(Language::Go)
        } else {
            None
        },
        nuance: None,
    }
}

/// Which regime each figure of a summary was read in: `marginal cost on cpu/nbody, whole
/// process on cpu/regex-redux`.
fn regimes_used(figures: &[Figure]) -> String {
    let on = |regime: Regime| -> Vec<&str> {
        figures
            .iter()
            .filter(|f| f.regime == regime)
            .map(|f| f.workload.as_str())
            .collect()
    };
    let parts: Vec<String> = [Regime::Marginal, Regime::WholeProcess]
        .into_iter()
        .filter_map(|regime| {
            let workloads = on(regime);
            (!workloads.is_empty())
                .then(|| format!("{} on {}", regime.as_str(), workloads.join(", ")))
        })
        .collect();
    parts.join("; ")
}

/// The data suite: Python's libraries (NumPy, pandas) against Go's plain loops. "Python for data"
/// is about the cost of the work, so each workload is read as its ladder's ratio of marginal
/// costs where one was measured (start-up and imports are the fixed cost, reported beside it);
/// a whole-process ratio at one size is shown as such and says what would measure the other.
/// The claim is judged on NumPy when a NumPy program ran, else on every library row.
fn data(inputs: &Inputs) -> Evidence {
    let judged = super::regime::judge(
        inputs.cases,
        inputs.comparisons,
        inputs.costs,
        |base, cont| {
            cont.kind == CaseKind::Workload
                && cont
                    .toolchain
                    .as_deref()
                    .is_some_and(|t| t.starts_with("cpython"))
                && cont.variant.as_deref() == Some("library-backed")
                && cont.claim.as_deref() == Some("data")
                && base.variant.as_deref() == Some("idiomatic")
                && cont.verdict == CaseVerdict::Ok
        },
    );
    if judged.is_empty() {
        return not_measured("data workload with a Python library", "versus run data");
    }
    let parts: Vec<String> = judged
        .iter()
        .map(|j| data_part(&j.figure, inputs.costs))
        .collect();
    let is_numpy = |j: &&super::regime::Judged| {
        j.figure
            .contender_label
            .as_deref()
            .is_some_and(|l| l.contains("numpy"))
    };
    let numpy: Vec<&super::regime::Judged> = judged.iter().filter(is_numpy).collect();
    let candidates: Vec<&super::regime::Judged> = if numpy.is_empty() {
        judged.iter().collect()
    } else {
        numpy
    };
    // One figure per workload, or a workload with two library programs would count twice. The
    // one compared on CPU time is preferred: both programs declared single-threaded, the same
    // cores on each side (NumPy on one BLAS thread against the one-threaded loop).
    let mut counted: Vec<&super::regime::Judged> = Vec::new();
    let shown = candidates.len();
    for j in candidates {
        match counted
            .iter_mut()
            .find(|c| c.figure.workload == j.figure.workload)
        {
            None => counted.push(j),
            Some(kept) => {
                if kept.figure.metric != Metric::Cpu && j.figure.metric == Metric::Cpu {
                    *kept = j;
                }
            }
        }
    }
    let samples: Vec<stats::RatioSample> = counted.iter().map(|j| j.sample).collect();
    let favours = stats::geometric_mean_ratio(&samples, stats::RESAMPLES_QUICK)
        .and_then(|g| favoured_by_ratio(g.ci_low, g.ci_high));
    let whole_only = counted
        .iter()
        .all(|j| j.figure.regime == Regime::WholeProcess);
    let judged_on = if counted.len() < shown {
        let names: Vec<String> = counted
            .iter()
            .map(|j| {
                let label = j.figure.contender_label.as_deref().unwrap_or("library");
                format!("{} ({label})", j.figure.workload)
            })
            .collect();
        format!("; judged on {}, one figure a workload", names.join(", "))
    } else {
        String::new()
    };
    Evidence {
        measured: true,
        text: format!("{}{judged_on} (run #{})", parts.join("; "), inputs.run_id),
        favours,
        nuance: whole_only.then(|| {
            "judged on whole processes at one size, start-up and imports included; \
             `versus run data --ladder` measures the cost per unit of work"
                .to_string()
        }),
    }
}

/// `data/matmul (numpy) costs 0.05× [0.04, 0.06] Go's time per unit of work (n^3, n =
/// 256–1024); fixed cost 210 ms against 2 ms; faster beyond n ≈ 180; the whole process at
/// n = 1024: 0.30×`.
fn data_part(figure: &Figure, costs: &[CostLine]) -> String {
    let library = figure.contender_label.as_deref().unwrap_or("library");
    let line = costs
        .iter()
        .find(|l| l.workload == figure.workload && l.contender == figure.contender);
    match (figure.regime, line) {
        (Regime::Marginal, Some(line)) => {
            let r = &line.fit.marginal_ratio;
            let mut text = format!(
                "{} ({library}) costs {} Go's time per unit of work ({}, {})",
                figure.workload,
                format_ratio(r.value, r.ci_low, r.ci_high),
                super::costs::work_text(line),
                line.metric,
            );
            text.push_str(&format!(
                "; fixed cost {} against {}",
                format_seconds(line.fit.contender.fixed.value.max(0.0)),
                format_seconds(line.fit.baseline.fixed.value.max(0.0)),
            ));
            if let Some(crossing) = super::costs::crossover_text(line) {
                text.push_str(&format!("; {crossing}"));
            }
            if let Some(whole) = &line.whole_process {
                text.push_str(&format!(
                    "; the whole process at {}={}: {}",
                    line.parameter,
                    whole.at,
                    format_ratio(whole.ratio, whole.ci_low, whole.ci_high)
                ));
            }
            text
        }
        _ => format!(
            "{} ({library}) takes {} Go's time",
            figure.workload,
            figure.describe()
        ),
    }
}

/// Peak memory of the process tree, CPython against Go, over the idiomatic runtime-speed
/// programs: the median of the per-workload ratios.
fn memory(inputs: &Inputs) -> Evidence {
    let peak = |case: &CaseView| {
        case.tree_peak_bytes
            .or(case.peak_rss_bytes)
            .filter(|p| *p > 0)
    };
    let ratios: Vec<f64> = inputs
        .comparisons
        .iter()
        .filter(|c| c.kind == CaseKind::Workload && c.contender.starts_with("cpython"))
        .filter_map(|c| {
            let (base, cont) = (
                &inputs.cases[c.baseline_index],
                &inputs.cases[c.contender_index],
            );
            let plain = |case: &CaseView| {
                case.variant.as_deref() == Some("idiomatic") && case.label.is_none()
            };
            if cont.claim.as_deref() != Some("runtime-speed") || !plain(base) || !plain(cont) {
                return None;
            }
            Some(peak(cont)? as f64 / peak(base)? as f64)
        })
        .collect();
    if ratios.is_empty() {
        return not_measured(
            "runtime-speed workload with programs in both languages",
            "versus run cpu",
        );
    }
    let median = stats::median(&ratios);
    Evidence {
        measured: true,
        text: format!(
            "CPython's peak memory is {}× Go's (median over {} workload{}, whole process tree, run #{})",
            three_digits(median),
            ratios.len(),
            if ratios.len() == 1 { "" } else { "s" },
            inputs.run_id
        ),
        favours: if median > 1.1 {
            Some(Language::Go)
        } else if median < 0.9 {
            Some(Language::Python)
        } else {
            None
        },
        nuance: None,
    }
}

/// Whether a form holds an idle task in clearly less memory than `than`: the two intervals of
/// the slope apart, when both were measured more than once per point; else by more than 10%
/// (a single run per point has no interval to read).
fn lighter(form: &super::concurrency::IdleTasks, than: &super::concurrency::IdleTasks) -> bool {
    match (form.per_task, than.per_task) {
        (Some(a), Some(b)) if form.runs_per_point > 1 && than.runs_per_point > 1 => {
            a.ci_high < b.ci_low
        }
        _ => {
            matches!((form.bytes_per_task, than.bytes_per_task), (Some(p), Some(g)) if p < g / 1.1)
        }
    }
}

/// The concurrency suite: memory per idle task and how far each form got, parallel speedup at
/// the machine's cores, and message rates. Go is favoured by the measures it leads, Python by
/// those it leads; where asyncio holds an idle task in less memory than a goroutine, or Python's
/// processes scale as goroutines do, the nuance says so.
fn concurrency(inputs: &Inputs) -> Evidence {
    let found = inputs.concurrency;
    if found.is_empty() {
        return not_measured("concurrency workload", "versus run concurrency");
    }
    let is_go = |language: &Option<String>| language.as_deref() == Some("go");
    let mut parts = Vec::new();
    // Each measure's leader: +1 Go, -1 Python.
    let mut score = 0i32;
    let mut nuances = Vec::new();

    if !found.idle_tasks.is_empty() {
        let forms: Vec<String> = found
            .idle_tasks
            .iter()
            .map(|t| {
                let mut text = match (t.largest_ok, t.bytes_per_task) {
                    (Some(n), Some(per_task)) => format!(
                        "{} {} each up to {} tasks",
                        t.who,
                        format_bytes(per_task.round() as u64),
                        format_count(n)
                    ),
                    (Some(1), None) => format!("{} 1 task only", t.who),
                    (Some(n), None) => format!("{} up to {} tasks", t.who, format_count(n)),
                    (None, _) => format!("{} completed no point", t.who),
                };
                if let Some(stopped) = &t.stopped_at {
                    text.push_str(&format!(
                        " (stopped at {}: {})",
                        format_count(stopped.at),
                        stopped
                            .detail
                            .as_deref()
                            .unwrap_or(stopped.verdict.as_str())
                    ));
                }
                text
            })
            .collect();
        parts.push(format!("idle tasks: {}", forms.join(", ")));
        let go = found.idle_tasks.iter().find(|t| is_go(&t.language));
        // Less by more than 10%, as the peak-memory evidence asks: one run per point.
        let lighter_python = found
            .idle_tasks
            .iter()
            .filter(|t| !is_go(&t.language))
            .filter(|t| go.is_some_and(|go| t.largest_ok >= go.largest_ok && lighter(t, go)))
            .map(|t| t.who.clone())
            .collect::<Vec<_>>();
        // Memory per idle task is a nuance, not a verdict: the article speaks of how well each
        // runs many tasks, and a form that needs less memory per task still has to reach them.
        if !lighter_python.is_empty() {
            nuances.push(format!(
                "{} {} an idle task in less memory than a goroutine",
                lighter_python.join(" and "),
                if lighter_python.len() == 1 {
                    "holds"
                } else {
                    "hold"
                }
            ));
        }
        // Reach counts: goroutines lead when they completed more tasks than every Python form;
        // a Python form that completed more leads for Python.
        if let Some(go) = go {
            let python_best = found
                .idle_tasks
                .iter()
                .filter(|t| !is_go(&t.language))
                .map(|t| t.largest_ok)
                .max();
            match python_best {
                Some(best) if go.largest_ok > best => score += 1,
                Some(best) if best > go.largest_ok => score -= 1,
                _ => {}
            }
        }
    }

    if !found.scaling.is_empty() {
        let forms: Vec<String> = found
            .scaling
            .iter()
            .map(|s| {
                format!(
                    "{} {}",
                    s.who,
                    format_ratio(s.speedup.value, s.speedup.ci_low, s.speedup.ci_high)
                )
            })
            .collect();
        let workers = found.scaling.iter().map(|s| s.workers).max().unwrap_or(1);
        let busy = found.scaling.iter().any(|s| s.busy);
        parts.push(format!(
            "speedup of CPU work at {workers} workers over 1: {}{}",
            forms.join(", "),
            if busy {
                " (measured while the machine was overloaded: workers had no idle cores to use, \
                 so these speedups say little; run `versus run concurrency/cpu-scaling` on a quiet machine)"
            } else {
                ""
            }
        ));
        let go = found.scaling.iter().find(|s| is_go(&s.language));
        let python_best = found
            .scaling
            .iter()
            .filter(|s| !is_go(&s.language))
            .max_by(|a, b| a.speedup.value.total_cmp(&b.speedup.value));
        if let (false, Some(go), Some(py)) = (busy, go, python_best) {
            // Three outcomes, read from the intervals so noise decides nothing: Go leads when
            // the best Python form's interval lies below Go's; they scale alike when the Python
            // form clearly gains (its whole interval above 1) and reaches 90% of Go's speedup;
            // otherwise the measure favours neither.
            if py.speedup.ci_high < go.speedup.ci_low {
                score += 1;
            } else if py.speedup.ci_low > 1.0 + NOISE_THRESHOLD
                && py.speedup.value >= 0.9 * go.speedup.value
            {
                nuances.push(format!(
                    "{} scale as goroutines do, at the cost of starting them",
                    py.who
                ));
            }
        }
    }

    if !found.rates.is_empty() {
        let mut workloads: Vec<&str> = Vec::new();
        for rate in &found.rates {
            if !workloads.contains(&rate.workload.as_str()) {
                workloads.push(&rate.workload);
            }
        }
        for workload in workloads {
            let rates: Vec<_> = found
                .rates
                .iter()
                .filter(|r| r.workload == workload)
                .collect();
            let name = workload.rsplit('/').next().unwrap_or(workload);
            let what = rates[0].metric.trim_end_matches("_per_s").replace('_', " ");
            parts.push(format!(
                "{name} ({what}): {}",
                rates
                    .iter()
                    .map(|r| format!("{} {}", r.who, format_rate(r.median)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            let go = rates.iter().find(|r| is_go(&r.language)).map(|r| r.median);
            let python = rates
                .iter()
                .filter(|r| !is_go(&r.language))
                .map(|r| r.median)
                .max_by(f64::total_cmp);
            match (go, python) {
                (Some(go), Some(py)) if go > py => score += 1,
                (Some(go), Some(py)) if py > go => score -= 1,
                _ => {}
            }
        }
    }

    Evidence {
        measured: true,
        text: format!("{} (run #{})", parts.join("; "), inputs.run_id),
        favours: match score.signum() {
            1 => Some(Language::Go),
            -1 => Some(Language::Python),
            _ => None,
        },
        nuance: (!nuances.is_empty()).then(|| nuances.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::concurrency::{Concurrency, IdleTasks, Scaling};
    use super::super::series::Ratio;
    use super::*;
    use crate::report::backend::BackendFinding;
    use crate::report::typing::TypingView;

    fn idle(language: &str, who: &str, largest: u64, per_task: f64) -> IdleTasks {
        IdleTasks {
            workload: "concurrency/idle-tasks".into(),
            language: Some(language.into()),
            series: who.into(),
            form: who.into(),
            who: who.into(),
            largest_ok: Some(largest),
            stopped_at: None,
            bytes_per_task: Some(per_task),
            per_task: None,
            base_bytes: None,
            runs_per_point: 1,
            tree_peak_bytes: None,
            wall_s: None,
            spawn_s: None,
        }
    }

    fn scaling(language: &str, who: &str, value: f64, low: f64, high: f64) -> Scaling {
        Scaling {
            workload: "concurrency/cpu-scaling".into(),
            language: Some(language.into()),
            series: who.into(),
            form: who.into(),
            who: who.into(),
            workers: 2,
            speedup: Ratio {
                value,
                ci_low: low,
                ci_high: high,
            },
            efficiency: value / 2.0,
            curve: Vec::new(),
            busy: false,
        }
    }

    fn judge(found: &Concurrency) -> Evidence {
        let typing = TypingView::default();
        let backend = BackendFinding::default();
        concurrency(&Inputs {
            run_id: 1,
            cases: &[],
            comparisons: &[],
            runtime_speed: &[],
            typing: &typing,
            toolchains: &[],
            concurrency: found,
            backend: &backend,
            costs: &[],
        })
    }

    #[test]
    fn concurrency_evidence_reads_intervals_and_margins_not_noise() {
        let go_idle = idle("go", "goroutines", 1_000_000, 2750.0);
        // asyncio needs half the memory per task, and both reach a million: a nuance.
        let lighter = Concurrency {
            idle_tasks: vec![
                go_idle.clone(),
                idle("python", "cpython asyncio", 1_000_000, 1450.0),
            ],
            ..Default::default()
        };
        let evidence = judge(&lighter);
        assert_eq!(evidence.favours, None, "memory alone is a nuance");
        assert!(evidence.nuance.unwrap().contains("cpython asyncio holds"));
        // 5% less is within the margin: not even a nuance.
        let close = Concurrency {
            idle_tasks: vec![
                go_idle.clone(),
                idle("python", "cpython asyncio", 1_000_000, 2620.0),
            ],
            ..Default::default()
        };
        let evidence = judge(&close);
        assert_eq!(evidence.favours, None);
        assert!(evidence.nuance.is_none());
        // Goroutines reached a million, threads stopped at 10,000: Go's point.
        let threads = Concurrency {
            idle_tasks: vec![go_idle, idle("python", "cpython threads", 10_000, 44000.0)],
            ..Default::default()
        };
        assert_eq!(judge(&threads).favours, Some(Language::Go));

        let go = scaling("go", "goroutines", 1.8, 1.7, 1.9);
        // GIL threads: the interval lies below Go's, Go's point.
        let gil = Concurrency {
            scaling: vec![
                go.clone(),
                scaling("python", "cpython threads", 0.8, 0.75, 0.9),
            ],
            ..Default::default()
        };
        assert_eq!(judge(&gil).favours, Some(Language::Go));
        // A wide, noisy interval that overlaps Go's: no point, and no claim of scaling alike.
        let noisy = Concurrency {
            scaling: vec![
                go.clone(),
                scaling("python", "cpython processes", 1.57, 0.9, 2.0),
            ],
            ..Default::default()
        };
        let evidence = judge(&noisy);
        assert_eq!(evidence.favours, None);
        assert!(evidence.nuance.is_none(), "{:?}", evidence.nuance);
        // Processes that clearly gain and reach 90% of Go's speedup scale alike.
        let alike = Concurrency {
            scaling: vec![go, scaling("python", "cpython processes", 1.7, 1.6, 1.85)],
            ..Default::default()
        };
        let evidence = judge(&alike);
        assert_eq!(evidence.favours, None);
        assert!(
            evidence
                .nuance
                .unwrap()
                .contains("cpython processes scale as goroutines do")
        );
        // On an overloaded machine, speedups decide nothing and the text says why.
        let mut busy_go = scaling("go", "goroutines", 1.8, 1.7, 1.9);
        busy_go.busy = true;
        let busy = Concurrency {
            scaling: vec![
                busy_go,
                scaling("python", "cpython threads", 0.8, 0.75, 0.9),
            ],
            ..Default::default()
        };
        let evidence = judge(&busy);
        assert_eq!(evidence.favours, None);
        assert!(evidence.text.contains("overloaded"), "{}", evidence.text);
        // A Go program with a label is still Go.
        let labelled = Concurrency {
            idle_tasks: vec![
                idle("go", "worker pool", 1_000_000, 2750.0),
                idle("python", "cpython asyncio", 100_000, 1450.0),
            ],
            ..Default::default()
        };
        assert_eq!(judge(&labelled).favours, Some(Language::Go));
    }
}
