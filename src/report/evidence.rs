//! What a stored run says about each measurable claim: a sentence with the numbers, and which
//! language the measurement favours (none when it is within noise or not measured). The article's
//! table and `versus advise` both read from here.

use serde::Serialize;

use super::findings::RuntimeSpeed;
use super::model::{CaseView, ComparisonView};
use super::typing::TypingView;
use super::units::{format_bytes, format_ratio, format_seconds, three_digits};
use crate::case::{CaseKind, CaseVerdict};
use crate::language::Language;
use crate::stats::{self, NOISE_THRESHOLD};
use crate::toolchain::Toolchain;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    /// False when the run has no data for it (the text then says what to run).
    pub measured: bool,
    pub text: String,
    pub favours: Option<Language>,
    /// A qualification of the favoured side (e.g. where Python is as fast anyway).
    pub nuance: Option<String>,
}

/// What the evidence is computed from: one report's parts.
pub struct Inputs<'a> {
    pub run_id: i64,
    pub cases: &'a [CaseView],
    pub comparisons: &'a [ComparisonView],
    pub runtime_speed: &'a [RuntimeSpeed],
    pub typing: &'a TypingView,
    pub toolchains: &'a [Toolchain],
}

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
        "cited" => Evidence {
            measured: false,
            text: "one machine cannot measure this".into(),
            favours: None,
            nuance: None,
        },
        suite => Evidence {
            measured: false,
            text: format!(
                "this run has no {suite} workload: `versus run {suite}` measures it once that suite exists"
            ),
            favours: None,
            nuance: None,
        },
    }
}

/// Cited figures, never measured: the first two of a factor, briefly.
fn cited(key: &str) -> Evidence {
    let figures: Vec<String> = super::article::cited()
        .into_iter()
        .filter(|c| c.factor == key)
        .take(2)
        .map(|c| {
            let values = [("Python", &c.python), ("Go", &c.go)]
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(l, v)| format!("{l} {v}"))
                .collect::<Vec<_>>()
                .join(", ");
            let counts = c
                .counts
                .split(';')
                .next()
                .unwrap_or(&c.counts)
                .trim()
                .to_string();
            format!("{values}: {counts} ({})", c.year)
        })
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

fn not_measured(what: &str, command: &str) -> Evidence {
    Evidence {
        measured: false,
        text: format!("this run has no {what}: `{command}` measures it"),
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
            "{} takes {} Go's time (geometric mean over {} workload{}, run #{}; from {}× on {} to {}× on {})",
            summary.contender,
            format_ratio(g.value, g.ci_low, g.ci_high),
            summary.workloads,
            if summary.workloads == 1 { "" } else { "s" },
            inputs.run_id,
            three_digits(summary.fastest.ratio),
            summary.fastest.workload,
            three_digits(summary.slowest.ratio),
            summary.slowest.workload,
        ),
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
    let runtime = inputs
        .toolchains
        .iter()
        .find(|t| t.id == floor.contender)
        .and_then(|t| t.runtime_bytes);
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
            "; Go ships a {} binary and nothing else, Python needs {} of interpreter and standard library",
            format_bytes(binary),
            format_bytes(runtime)
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
        return not_measured("workload with programs in both languages", "versus run");
    }
    let median = stats::median(&ratios);
    Evidence {
        measured: true,
        text: format!(
            "Python source is {}× the size of Go's (median over {} workloads, gzip-compressed as the \
             Benchmarks Game measures it, run #{}); size is a proxy for the effort of writing, not a \
             measure of how easy a language is to learn",
            three_digits(median),
            ratios.len(),
            inputs.run_id
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

/// The data suite: Python's libraries (NumPy, pandas) against Go.
fn data(inputs: &Inputs) -> Evidence {
    let library_rows: Vec<&ComparisonView> = inputs
        .comparisons
        .iter()
        .filter(|c| c.kind == CaseKind::Workload && c.contender.starts_with("cpython"))
        .filter(|c| c.contender_variant.as_deref() == Some("library-backed"))
        .filter(|c| {
            inputs.cases.iter().any(|case| {
                case.group == c.group
                    && case.claim.as_deref() == Some("data")
                    && case.verdict == CaseVerdict::Ok
            })
        })
        .collect();
    if library_rows.is_empty() {
        return not_measured("data workload with a Python library", "versus run data");
    }
    let parts: Vec<String> = library_rows
        .iter()
        .map(|c| {
            format!(
                "{} ({}) takes {} Go's time",
                c.workload,
                c.contender_label.as_deref().unwrap_or("library"),
                format_ratio(c.ratio, c.ci_low, c.ci_high)
            )
        })
        .collect();
    let favours: Vec<Option<Language>> = library_rows
        .iter()
        .map(|c| favoured_by_ratio(c.ci_low, c.ci_high))
        .collect();
    Evidence {
        measured: true,
        text: format!("{} (run #{})", parts.join("; "), inputs.run_id),
        favours: if favours.contains(&Some(Language::Python)) {
            Some(Language::Python)
        } else if favours.iter().all(|f| *f == Some(Language::Go)) {
            Some(Language::Go)
        } else {
            None
        },
        nuance: None,
    }
}

/// Peak memory of the process tree, CPython against Go, over the idiomatic runtime-speed
/// programs: the median of the per-workload ratios.
fn memory(inputs: &Inputs) -> Evidence {
    let peak = |c: &ComparisonView, contender: bool| {
        let (name, variant) = if contender {
            (&c.contender, &c.contender_variant)
        } else {
            (&c.baseline, &c.baseline_variant)
        };
        inputs
            .cases
            .iter()
            .find(|case| {
                case.group == c.group
                    && case.toolchain.as_ref() == Some(name)
                    && &case.variant == variant
            })
            .and_then(|case| case.tree_peak_bytes.or(case.peak_rss_bytes))
    };
    let ratios: Vec<f64> = inputs
        .comparisons
        .iter()
        .filter(|c| c.kind == CaseKind::Workload && c.contender.starts_with("cpython"))
        .filter(|c| {
            c.contender_variant.as_deref() == Some("idiomatic") && c.contender_label.is_none()
        })
        .filter_map(|c| Some(peak(c, true)? as f64 / peak(c, false)? as f64))
        .collect();
    if ratios.is_empty() {
        return not_measured("workload with programs in both languages", "versus run cpu");
    }
    let median = stats::median(&ratios);
    Evidence {
        measured: true,
        text: format!(
            "CPython's peak memory is {}× Go's (median over {} workloads, whole process tree, run #{})",
            three_digits(median),
            ratios.len(),
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
