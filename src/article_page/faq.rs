//! The FAQ answered by numbers: the article's answer, checked as every sentence is, then what
//! the run measured that answers the question beyond those checks (how many workloads Go wins,
//! where Python keeps up and why; cold start, memory and deploy size of the servers). Every
//! figure is read from the report's findings; a question whose measurement the run lacks says
//! so and names the command.

use serde::Serialize;

use crate::report::Report;
use crate::report::regime::Regime;
use crate::report::sentences::{ARTICLE_TEXT, Claim, Evidences, QuestionSpec};
use crate::report::{Endpoint, RuntimeSpeed};
use crate::stats::Verdict;
use crate::units::{format_bytes, format_ratio, format_seconds, three_digits};

#[derive(Clone, Debug, Serialize)]
pub struct Question {
    pub key: String,
    pub question: String,
    /// The article's answer, sentence by sentence, each checked.
    pub answer: Vec<Claim>,
    /// What the run measured that answers the question, beyond the checks.
    pub numbers: Vec<Number>,
    /// Said plainly when the answer is a judgement the numbers only inform.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judgement: Option<String>,
    /// What no reference file has a source for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
}

/// One figure of an answer, in words; or, unmeasured, the command that would measure it.
#[derive(Clone, Debug, Serialize)]
pub struct Number {
    pub what: String,
    pub text: String,
    pub measured: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

impl Number {
    fn measured(what: &str, text: String) -> Number {
        Number {
            what: what.into(),
            text,
            measured: true,
            command: None,
        }
    }

    fn missing(what: &str, measure: &str) -> Number {
        let command = ARTICLE_TEXT
            .measure
            .get(measure)
            .map(|m| m.command.clone())
            .unwrap_or_else(|| "versus run".into());
        Number {
            what: what.into(),
            text: format!("not measured here: `{command}` measures it"),
            measured: false,
            command: Some(command),
        }
    }
}

pub(super) fn answer(spec: &QuestionSpec, evidences: &Evidences, report: &Report) -> Question {
    // The beginner's cited surveys and the interop workload's figures are their checks'.
    let numbers = match spec.key.as_str() {
        "faster" => faster(report),
        "backend" => backend(report),
        _ => Vec::new(),
    };
    Question {
        key: spec.key.clone(),
        question: spec.question.clone(),
        answer: evidences.claims(&spec.answer),
        numbers,
        judgement: spec.judgement.clone(),
        missing: spec.missing.clone(),
    }
}

/// Per Python measured on the runtime-speed workloads: how many Go wins, the geometric mean
/// with its interval and the spread, and each workload where Python is as fast and why.
fn faster(report: &Report) -> Vec<Number> {
    let summaries = &report.findings.runtime_speed;
    if summaries.is_empty() {
        return vec![Number::missing("runtime speed", "runtime-speed")];
    }
    summaries.iter().flat_map(summary_numbers).collect()
}

fn summary_numbers(s: &RuntimeSpeed) -> Vec<Number> {
    let go_wins = s
        .figures
        .iter()
        .filter(|f| f.verdict() == Verdict::Slower)
        .count();
    let g = &s.geometric_mean;
    let mut numbers = vec![
        Number::measured(
            "wins",
            format!(
                "Go is faster than {} on {go_wins} of {} runtime-speed workload{}",
                s.contender,
                s.workloads,
                if s.workloads == 1 { "" } else { "s" }
            ),
        ),
        Number::measured(
            "geometric mean",
            format!(
                "{} takes {} Go's time, geometric mean with its 95% interval",
                s.contender,
                format_ratio(g.value, g.ci_low, g.ci_high)
            ),
        ),
        Number::measured(
            "spread",
            format!(
                "from {}× on {} to {}× on {}",
                three_digits(s.fastest.ratio),
                s.fastest.workload,
                three_digits(s.slowest.ratio),
                s.slowest.workload
            ),
        ),
    ];
    for figure in s.figures.iter().filter(|f| f.verdict() != Verdict::Slower) {
        let mut why = Vec::new();
        if let Some(backed_by) = &figure.backed_by {
            why.push(format!(
                "its work is done by {backed_by}, not by the interpreter"
            ));
        }
        why.push(match figure.regime {
            Regime::Marginal => "judged on the marginal cost per unit of work".to_string(),
            Regime::WholeProcess => format!(
                "judged on the whole process at one size, start-up included (`versus run \
                 --ladder {}` separates start-up from the marginal cost)",
                figure.workload
            ),
        });
        numbers.push(Number::measured(
            "as fast or faster",
            format!(
                "{} on {}: {}; {}",
                s.contender,
                figure.workload,
                figure.describe(),
                why.join("; ")
            ),
        ));
    }
    if s.figures.iter().all(|f| f.verdict() == Verdict::Slower) {
        numbers.push(Number::measured(
            "as fast or faster",
            format!("{} is as fast as Go on none of them", s.contender),
        ));
    }
    if let Some(own) = &s.without_backed {
        numbers.push(Number::measured("interpreter alone", own.text()));
    }
    numbers
}

/// Cold start, memory and deploy size of the Go and Python servers each endpoint's matchup
/// compares (throughput, requests per CPU-second and p99 are the backend check's).
fn backend(report: &Report) -> Vec<Number> {
    let found = &report.findings.backend;
    if found.is_empty() {
        return vec![Number::missing("backend", "backend")];
    }
    found.endpoints.iter().filter_map(server_facts).collect()
}

fn server_facts(endpoint: &Endpoint) -> Option<Number> {
    let matchup = endpoint.go_against_python.as_ref()?;
    let facts: Vec<String> = [&matchup.go, &matchup.python]
        .into_iter()
        .filter_map(|name| endpoint.server(name))
        .map(|server| {
            let mut parts = Vec::new();
            if let Some(cold) = &server.cold_start_s {
                parts.push(format!("cold start {}", format_seconds(cold.median)));
            }
            if let Some(peak) = server.tree_peak_bytes {
                parts.push(format!("peak memory {}", format_bytes(peak)));
            }
            if let Some(artifact) = server.artifact_bytes {
                parts.push(format!("deploys {}", format_bytes(artifact)));
            }
            if parts.is_empty() {
                parts.push("no cold start, memory or deploy size stored".into());
            }
            format!("{}: {}", server.brief(), parts.join(", "))
        })
        .collect();
    Some(Number::measured(
        "cold start, memory, deploy size",
        format!("{}: {}", endpoint.workload, facts.join("; ")),
    ))
}
