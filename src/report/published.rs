//! Published Python/Go ratios beside the measured ones, and, where a measured figure lies outside
//! the published range, why, from what the run and the figures themselves record: a published
//! figure that leaves start-up out against a whole process measured here, each language's
//! fastest (often multi-core) program against the idiomatic one, another CPython, another size.
//! When none of these applies, the report says "not explained" rather than guess.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::costs::CostLine;
use super::regime::{Figure, Regime};
use super::units::{format_ratio, three_digits};
use super::view::{CaseView, ComparisonView};
use crate::case::CaseKind;
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
    /// Which programs were timed: `fastest` (each language's fastest, as the Benchmarks Game
    /// publishes them) or `idiomatic`.
    #[serde(default)]
    pub programs: Option<String>,
    /// The fastest Python program used several cores or a C library (GMP, PCRE2).
    #[serde(default)]
    pub python_helped: Option<String>,
    /// The CPython version timed, `3.10`.
    #[serde(default)]
    pub python: Option<String>,
    /// The size timed, as the source gives it (`n = 50,000,000`).
    #[serde(default)]
    pub size: Option<String>,
    /// The source times only the work, between notifications sent by the program once it has
    /// started and loaded its input (kostya/benchmarks).
    #[serde(default)]
    pub excludes_startup: bool,
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

#[derive(Clone, Debug, Serialize)]
pub struct AgainstPublished {
    pub workload: String,
    /// Who was measured, as tables name it (`cpython 3.11.7`, `cpython 3.11.7 (library-backed: numpy)`).
    pub contender: String,
    pub ratio: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The measured figure's regime: the marginal cost of a ladder, or the whole process.
    pub regime: Regime,
    pub published: Vec<Published>,
    /// Whether the measured interval meets the published range (lowest to highest figure).
    pub within_published: bool,
    /// Why it does not, from the data at hand; `not explained` when nothing does.
    pub explanation: Option<String>,
}

/// The published figures are CPython's, so only CPython rows are set beside them; each
/// workload's figure is read in its regime, as the findings read it.
pub fn against(
    cases: &[CaseView],
    comparisons: &[ComparisonView],
    costs: &[CostLine],
    toolchains: &[Toolchain],
) -> Vec<AgainstPublished> {
    let cpython = |id: Option<&str>| {
        toolchains
            .iter()
            .find(|t| Some(t.id.as_str()) == id && t.implementation == "cpython")
    };
    let judged = super::regime::judge(cases, comparisons, costs, |_, cont| {
        cont.kind == CaseKind::Workload && cpython(cont.toolchain.as_deref()).is_some()
    });
    judged
        .iter()
        .filter_map(|j| {
            let figure = &j.figure;
            let case = cases
                .iter()
                .find(|c| c.workload == figure.workload && c.label() == figure.contender)?;
            let version = cpython(case.toolchain.as_deref()).map(|t| t.version.clone());
            let figures: Vec<Published> = published()
                .iter()
                .filter(|p| p.workload == figure.workload)
                .cloned()
                .collect();
            if figures.is_empty() {
                return None;
            }
            let line = costs
                .iter()
                .find(|l| l.workload == figure.workload && l.contender == figure.contender);
            let (low, high) = range(&figures);
            let within = figure.ratio.ci_low <= high && figure.ratio.ci_high >= low;
            Some(AgainstPublished {
                workload: figure.workload.clone(),
                contender: figure.contender.clone(),
                ratio: figure.ratio.value,
                ci_low: figure.ratio.ci_low,
                ci_high: figure.ratio.ci_high,
                regime: figure.regime,
                within_published: within,
                explanation: (!within)
                    .then(|| explain(figure, case, &figures, line, version.as_deref())),
                published: figures,
            })
        })
        .collect()
}

fn range(figures: &[Published]) -> (f64, f64) {
    figures.iter().fold((f64::INFINITY, 0.0), |(low, high), p| {
        (low.min(p.ratio), high.max(p.ratio))
    })
}

/// The differences between the measurement and the published figures that the data records,
/// each said as a fact; `not explained` when there is none.
fn explain(
    figure: &Figure,
    case: &CaseView,
    figures: &[Published],
    line: Option<&CostLine>,
    python: Option<&str>,
) -> String {
    let (low, high) = range(figures);
    // Each difference is named only where it pushes the ratio the way it lies: Python's longer
    // start-up, or a faster published Python, put the measured ratio above; a newer CPython
    // here puts it below. A difference of size goes either way and is always named.
    let above = figure.ratio.ci_low > high;
    let mut reasons = Vec::new();
    if above && figure.regime == Regime::WholeProcess && figures.iter().any(|p| p.excludes_startup)
    {
        reasons.push(
            "the published figure times only the work, after start-up and loading; this one is \
             the whole process"
                .to_string(),
        );
    }
    if let Some(line) = line.filter(|_| figure.regime == Regime::Marginal) {
        let whole = line.whole_process.as_ref();
        if let Some(whole) = whole.filter(|w| w.ci_low <= high && w.ci_high >= low) {
            reasons.push(format!(
                "the whole process at {}={} ({}) does meet it: the two differ in what start-up weighs",
                line.parameter,
                whole.at,
                format_ratio(whole.ratio, whole.ci_low, whole.ci_high)
            ));
        }
    }
    let fastest: Vec<&Published> = figures
        .iter()
        .filter(|p| p.programs.as_deref() == Some("fastest"))
        .collect();
    let idiomatic = case.variant.as_deref() == Some("idiomatic");
    if above && idiomatic && !fastest.is_empty() {
        let helped: Vec<&str> = fastest
            .iter()
            .filter_map(|p| p.python_helped.as_deref())
            .collect();
        reasons.push(if helped.is_empty() {
            "the published figure compares each language's fastest program; this row is the \
             idiomatic one"
                .to_string()
        } else {
            format!(
                "the published figure compares each language's fastest program ({}); this row \
                 is the idiomatic single-threaded one",
                helped.join("; ")
            )
        });
    }
    if let Some(ours) = python.and_then(minor) {
        let mut theirs: Vec<(u32, u32)> = figures
            .iter()
            .filter_map(|p| p.python.as_deref().and_then(minor))
            .filter(|v| *v != ours)
            .collect();
        theirs.sort_unstable();
        theirs.dedup();
        // A newer CPython here lowers the ratio; an older one raises it.
        let explains = |t: &(u32, u32)| if above { *t > ours } else { *t < ours };
        theirs.retain(explains);
        if !theirs.is_empty() {
            let named: Vec<String> = theirs.iter().map(|(a, b)| format!("{a}.{b}")).collect();
            reasons.push(format!(
                "CPython {} ran here, {} there{}",
                python.unwrap_or("?"),
                named.join(" and "),
                if ours >= (3, 11) && theirs.iter().any(|t| *t < (3, 11)) {
                    " (3.11 made pure-Python code 1.25× faster on average, by the \
                     pyperformance suite: docs.python.org/3/whatsnew/3.11.html)"
                } else {
                    ""
                }
            ));
        }
    }
    let sizes: Vec<&str> = figures.iter().filter_map(|p| p.size.as_deref()).collect();
    if !sizes.is_empty() {
        reasons.push(format!(
            "published at {}, measured at the `{}` size{}",
            sizes.join(" and "),
            case.size.as_deref().unwrap_or("default"),
            figure
                .at
                .as_ref()
                .map_or(String::new(), |at| format!(" ({at})"))
        ));
    }
    let side = if above { "above" } else { "below" };
    let range = if (high - low).abs() < 1e-12 {
        format!("{}×", three_digits(low))
    } else {
        format!("{}×–{}×", three_digits(low), three_digits(high))
    };
    if reasons.is_empty() {
        format!("{side} the published {range}: not explained")
    } else {
        format!("{side} the published {range}: {}", reasons.join("; "))
    }
}

/// `3.11.7` → (3, 11).
fn minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.split('.');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
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
            assert!(
                figure.python.as_deref().and_then(minor).is_some(),
                "{figure:?} names the CPython it timed"
            );
        }
    }

    #[test]
    fn versions_are_read_to_their_minor() {
        assert_eq!(minor("3.11.7"), Some((3, 11)));
        assert_eq!(minor("3.13"), Some((3, 13)));
        assert_eq!(minor("pypy"), None);
    }
}
