//! The article's comparison table, regenerated: one row per factor, the article's words for
//! each language, what this run measured (with its interval), and whether the measurement
//! agrees, contradicts or adds nuance. Factors one machine cannot measure show cited, dated
//! figures (reference/cited.toml) and say so.

use serde::{Deserialize, Serialize};

use super::findings::RuntimeSpeed;
use super::model::{CaseView, ComparisonView};
use super::typing::TypingView;
use super::units::{format_bytes, format_ratio, format_seconds};
use crate::case::{CaseKind, CaseVerdict};
use crate::names::named_enum;
use crate::stats;
use crate::toolchain::Toolchain;

const ARTICLE: &str = include_str!("../../reference/article.toml");
const CITED: &str = include_str!("../../reference/cited.toml");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Factor {
    key: String,
    name: String,
    python: String,
    go: String,
    measure: String,
    cited: Option<String>,
}

#[derive(Deserialize)]
struct ArticleFile {
    factor: Vec<Factor>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cited {
    pub factor: String,
    pub python: String,
    pub go: String,
    pub counts: String,
    pub source: String,
    pub url: String,
    pub year: u32,
    pub quote: String,
}

#[derive(Deserialize)]
struct CitedFile {
    figure: Vec<Cited>,
}

named_enum! {
    /// How a measurement stands to the article's words.
    pub enum Stance {
        Agrees => "agrees",
        Contradicts => "contradicts",
        Nuance => "adds nuance",
        NotMeasured => "not measured",
        Cited => "cited, not measured",
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ArticleRow {
    pub key: String,
    pub factor: String,
    pub python_says: String,
    pub go_says: String,
    /// What this run measured, in words and numbers; or what to run to measure it.
    pub measured: String,
    pub stance: Stance,
    pub cited: Vec<Cited>,
}

/// What the rows are computed from.
pub struct Inputs<'a> {
    pub cases: &'a [CaseView],
    pub comparisons: &'a [ComparisonView],
    pub runtime_speed: &'a [RuntimeSpeed],
    pub typing: &'a TypingView,
    pub toolchains: &'a [Toolchain],
}

pub fn rows(inputs: &Inputs) -> Vec<ArticleRow> {
    // Both files are part of the build and checked by tests.
    let factors = toml::from_str::<ArticleFile>(ARTICLE).map_or_else(|_| Vec::new(), |f| f.factor);
    let cited = cited();
    factors
        .into_iter()
        .map(|factor| {
            let (measured, stance) = match factor.measure.as_str() {
                "runtime-speed" => runtime_speed(inputs),
                "startup" => startup(inputs),
                "typing" => typing(inputs),
                "code-size" => code_size(inputs),
                "data" => data(inputs),
                "cited" => ("one machine cannot measure this".to_string(), Stance::Cited),
                suite => (
                    format!("no {suite} workload in this run: `versus run {suite}` measures it once that suite exists"),
                    Stance::NotMeasured,
                ),
            };
            ArticleRow {
                cited: cited
                    .iter()
                    .filter(|c| Some(&c.factor) == factor.cited.as_ref())
                    .cloned()
                    .collect(),
                key: factor.key,
                factor: factor.name,
                python_says: factor.python,
                go_says: factor.go,
                measured,
                stance,
            }
        })
        .collect()
}

pub fn cited() -> Vec<Cited> {
    toml::from_str::<CitedFile>(CITED).map_or_else(|_| Vec::new(), |f| f.figure)
}

fn not_measured(what: &str, command: &str) -> (String, Stance) {
    (
        format!("this run has no {what}: `{command}` measures it"),
        Stance::NotMeasured,
    )
}

/// CPython's summary when there is one (the article speaks of CPython), else the first.
fn runtime_speed(inputs: &Inputs) -> (String, Stance) {
    let Some(summary) = inputs
        .runtime_speed
        .iter()
        .find(|s| s.contender.starts_with("cpython"))
        .or(inputs.runtime_speed.first())
    else {
        return not_measured("runtime-speed workload", "versus run cpu");
    };
    let g = &summary.geometric_mean;
    let mut text = format!(
        "{} takes {} Go's time (geometric mean over {} workload{}; from {}× on {} to {}× on {})",
        summary.contender,
        format_ratio(g.value, g.ci_low, g.ci_high),
        summary.workloads,
        if summary.workloads == 1 { "" } else { "s" },
        super::units::three_digits(summary.fastest.ratio),
        summary.fastest.workload,
        super::units::three_digits(summary.slowest.ratio),
        summary.slowest.workload,
    );
    let stance = if g.ci_high < 1.0 {
        Stance::Contradicts
    } else if g.ci_low > 1.0 + stats::NOISE_THRESHOLD && summary.as_fast_or_faster.is_empty() {
        Stance::Agrees
    } else {
        if !summary.as_fast_or_faster.is_empty() {
            text.push_str(&format!(
                "; as fast as Go or faster on {}",
                summary.as_fast_or_faster.join(", ")
            ));
        }
        Stance::Nuance
    };
    (text, stance)
}

/// The empty program's start against Go's, and what each needs installed.
fn startup(inputs: &Inputs) -> (String, Stance) {
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
        "an empty program starts in {} on CPython, {} on Go ({})",
        median(&floor.contender).map_or("?".into(), format_seconds),
        median(&floor.baseline).map_or("?".into(), format_seconds),
        format_ratio(floor.ratio, floor.ci_low, floor.ci_high)
    );
    if let (Some(binary), Some(runtime)) = (go_binary, runtime) {
        text.push_str(&format!(
            "; Go ships a {} binary and nothing else, Python needs {} of interpreter and standard library",
            format_bytes(binary),
            format_bytes(runtime)
        ));
    }
    let stance = if floor.ci_low > 1.0 + stats::NOISE_THRESHOLD && runtime.unwrap_or(0) > 0 {
        Stance::Agrees
    } else {
        Stance::Nuance
    };
    (text, stance)
}

/// Planted mistakes reported before the program runs, per column.
fn typing(inputs: &Inputs) -> (String, Stance) {
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
    let text = format!(
        "planted mistakes reported before the program runs: {}",
        parts.join(", ")
    );
    let stance = match (go, python, checked) {
        (Some(go), Some(py), Some(checked)) if go > py && checked + 1 >= go => Stance::Nuance,
        (Some(go), Some(py), _) if go > py => Stance::Agrees,
        (Some(_), Some(_), _) => Stance::Contradicts,
        _ => Stance::Nuance,
    };
    (text, stance)
}

/// Median Python/Go ratio of gzip-compressed source over workloads with both idiomatic
/// programs.
fn code_size(inputs: &Inputs) -> (String, Stance) {
    let idiomatic = |c: &&CaseView, language: &str| {
        c.kind == CaseKind::Workload
            && c.language.as_deref() == Some(language)
            && c.variant.as_deref() == Some("idiomatic")
            && c.label.is_none()
            && c.code_gzip_bytes.is_some()
    };
    let mut ratios = Vec::new();
    let mut workloads: Vec<&str> = inputs.cases.iter().map(|c| c.workload.as_str()).collect();
    workloads.dedup();
    for workload in workloads {
        let size = |language| {
            inputs
                .cases
                .iter()
                .filter(|c| c.workload == workload)
                .find(|c| idiomatic(c, language))
                .and_then(|c| c.code_gzip_bytes)
        };
        if let (Some(py), Some(go)) = (size("python"), size("go")) {
            ratios.push(py as f64 / go as f64);
        }
    }
    if ratios.is_empty() {
        return not_measured("workload with programs in both languages", "versus run");
    }
    let median = stats::median(&ratios);
    let text = format!(
        "Python source is {}× the size of Go's (median over {} workloads, gzip-compressed as the \
         Benchmarks Game measures it); size is a proxy for the effort of writing, not a measure \
         of how easy a language is to learn",
        super::units::three_digits(median),
        ratios.len()
    );
    let stance = if median < 0.9 {
        Stance::Agrees
    } else if median > 1.1 {
        Stance::Contradicts
    } else {
        Stance::Nuance
    };
    (text, stance)
}

/// The data suite: Python's libraries (NumPy, pandas) against Go.
fn data(inputs: &Inputs) -> (String, Stance) {
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
    let faster = library_rows.iter().any(|c| c.ci_high < 1.0);
    let text = format!(
        "{}; the domains themselves are cited below",
        parts.join("; ")
    );
    (
        text,
        if faster {
            Stance::Agrees
        } else {
            Stance::Nuance
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_and_cited_files_parse() {
        let article: ArticleFile = toml::from_str(ARTICLE).expect("reference/article.toml parses");
        assert_eq!(article.factor.len(), 9);
        let cited: CitedFile = toml::from_str(CITED).expect("reference/cited.toml parses");
        for factor in &article.factor {
            if let Some(key) = &factor.cited {
                assert!(
                    cited.figure.iter().any(|f| &f.factor == key),
                    "no cited figure for {key}"
                );
            }
        }
        assert!(
            cited
                .figure
                .iter()
                .all(|f| !f.source.is_empty() && f.year > 2000)
        );
    }
}
