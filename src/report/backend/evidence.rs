//! The evidence for the article's "Backend services" row (and `versus advise`'s backend and
//! latency reasons): per endpoint, the fastest Go server against the fastest Python server on
//! maximum throughput, requests per server CPU-second and p99 latency at an equal rate. A
//! measure counts for a language only when the interval of its ratio clears the ±2% noise
//! band; one run or overlapping intervals decide nothing, and the text says so.

use super::{Against, BackendFinding, Endpoint, Matchup, Outcome};
use crate::case::CaseVerdict;
use crate::language::Language;
use crate::report::inputs::{Evidence, not_measured};
use crate::units::{format_count, format_rate, format_ratio, format_seconds, three_digits};

/// One measure of a matchup: how a reader names it, its ratio, and the two medians behind it
/// (Go's, then Python's) when a reader wants them.
struct Measure {
    title: &'static str,
    ratio: fn(&Matchup) -> Option<&Against>,
    values: fn(&Endpoint, &Matchup) -> Option<String>,
}

const MEASURES: [Measure; 3] = [
    Measure {
        title: "throughput",
        ratio: |m| m.throughput.as_ref(),
        values: |e, m| {
            let max = |name: &str| e.server(name)?.throughput_per_s.as_ref().map(|t| t.median);
            Some(format!(
                "at most {} against {}",
                format_rate(max(&m.go)?),
                format_rate(max(&m.python)?)
            ))
        },
    },
    Measure {
        title: "requests per server CPU-second",
        ratio: |m| m.per_cpu.as_ref(),
        values: |_, _| None,
    },
    Measure {
        title: "p99",
        ratio: |m| m.p99.as_ref(),
        values: |e, m| {
            let rate = m.rate_per_s?;
            let p99 = |name: &str| {
                e.rates
                    .iter()
                    .find(|r| r.rate_per_s == rate)?
                    .servers
                    .iter()
                    .find(|l| l.server == name)?
                    .p99_ms
                    .as_ref()
                    .map(|p| format_seconds(p.median / 1e3))
            };
            Some(format!(
                "at {} {} against {}{}",
                format_rate(rate as f64),
                p99(&m.go)?,
                p99(&m.python)?,
                if m.fell_behind {
                    " (a server fell behind this rate: its latency measures the queue)"
                } else {
                    ""
                }
            ))
        },
    },
];

/// `Go ahead 2.90× [2.71, 3.10]`: who leads and by how much, or why nothing is decided.
fn ratio_text(against: &Against) -> String {
    let ratio = |value: f64, interval: Option<(f64, f64)>| match interval {
        Some((low, high)) => format_ratio(value, low, high),
        None => format!("{}×", three_digits(value)),
    };
    let interval = against.interval();
    match against.outcome {
        Outcome::Better => format!("Go ahead {}", ratio(against.value, interval)),
        Outcome::Worse => format!(
            "Python ahead {}",
            ratio(
                1.0 / against.value,
                interval.map(|(low, high)| (1.0 / high, 1.0 / low))
            )
        ),
        Outcome::WithinNoise => format!(
            "within noise ({}), decides nothing",
            ratio(against.value, interval)
        ),
        Outcome::OneRun => format!(
            "{} in a single run, no interval: decides nothing",
            if against.value >= 1.0 {
                format!("Go ahead {}", ratio(against.value, None))
            } else {
                format!("Python ahead {}", ratio(1.0 / against.value, None))
            }
        ),
    }
}

/// Where each endpoint's servers failed, and the answers that were wrong: what happened, and
/// on which endpoint.
fn troubles(endpoint: &Endpoint) -> Vec<(String, String)> {
    let name = format!("/{}", endpoint.endpoint);
    let mut out = Vec::new();
    for server in &endpoint.servers {
        match server.verdict {
            Some(verdict) if verdict != CaseVerdict::Ok => out.push((
                format!(
                    "{} {}",
                    server.server,
                    match verdict {
                        CaseVerdict::Timeout => "never became ready",
                        CaseVerdict::Crashed => "crashed under load",
                        CaseVerdict::Hung => "hung under load",
                        other => other.as_str(),
                    }
                ),
                name.clone(),
            )),
            _ => {}
        }
        let errors = server.errors
            + endpoint
                .rates
                .iter()
                .flat_map(|r| &r.servers)
                .filter(|l| l.server == server.server)
                .map(|l| l.errors)
                .sum::<u64>();
        if errors > 0 {
            out.push((
                format!(
                    "{} gave {} wrong or failed answer{}",
                    server.server,
                    format_count(errors),
                    if errors == 1 { "" } else { "s" }
                ),
                name.clone(),
            ));
        }
    }
    out
}

/// The troubles of every endpoint, each told once with the endpoints it happened on
/// ("… missing-dependency on /db, /json"): a server that cannot be installed fails alike
/// everywhere.
fn troubles_text(found: &BackendFinding) -> Option<String> {
    let mut grouped: Vec<(String, Vec<String>)> = Vec::new();
    for (what, endpoint) in found.endpoints.iter().flat_map(troubles) {
        match grouped.iter_mut().find(|(w, _)| *w == what) {
            Some((_, endpoints)) => endpoints.push(endpoint),
            None => grouped.push((what, vec![endpoint])),
        }
    }
    let parts: Vec<String> = grouped
        .into_iter()
        .map(|(what, endpoints)| format!("{what} on {}", endpoints.join(", ")))
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The pair most endpoints set against each other, named once.
fn usual_pair(found: &BackendFinding) -> Option<(&str, &str)> {
    let pairs: Vec<(&str, &str)> = found
        .endpoints
        .iter()
        .filter_map(|e| e.go_against_python.as_ref())
        .map(|m| (m.go.as_str(), m.python.as_str()))
        .collect();
    pairs
        .iter()
        .copied()
        .max_by_key(|pair| pairs.iter().filter(|p| *p == pair).count())
}

/// Each decided measure's leader, as +1 for Go and -1 for Python; and the measures where each
/// language is not behind (the nuance for the other's lead).
#[derive(Default)]
struct Tally {
    score: i32,
    python_holds: Vec<String>,
    go_holds: Vec<String>,
}

impl Tally {
    fn count(&mut self, what: String, outcome: Outcome) {
        match outcome {
            Outcome::Better => {
                self.score += 1;
                self.go_holds.push(format!("{what} (ahead)"));
            }
            Outcome::Worse => {
                self.score -= 1;
                self.python_holds.push(format!("{what} (ahead)"));
            }
            Outcome::WithinNoise => {
                self.python_holds.push(format!("{what} (within noise)"));
                self.go_holds.push(format!("{what} (within noise)"));
            }
            Outcome::OneRun => {}
        }
    }
}

/// `/json: throughput at most 41.2k/s against 21.5k/s, Go ahead 1.92× [1.85, 1.98]; …`.
fn endpoint_text(
    endpoint: &Endpoint,
    usual: Option<(&str, &str)>,
    tally: &mut Tally,
) -> Option<String> {
    let matchup = endpoint.go_against_python.as_ref()?;
    let mut clauses = Vec::new();
    for measure in &MEASURES {
        let Some(against) = (measure.ratio)(matchup) else {
            continue;
        };
        tally.count(
            format!("/{} {}", endpoint.endpoint, measure.title),
            against.outcome,
        );
        let values = (measure.values)(endpoint, matchup)
            .map(|v| format!(" {v}"))
            .unwrap_or_default();
        clauses.push(format!(
            "{}{values}, {}",
            measure.title,
            ratio_text(against)
        ));
    }
    let pair = (matchup.go.as_str(), matchup.python.as_str());
    let named = if usual == Some(pair) {
        String::new()
    } else {
        format!(", {} against {}", pair.0, pair.1)
    };
    Some(format!(
        "/{}{named}: {}",
        endpoint.endpoint,
        if clauses.is_empty() {
            "no measure with both servers' figures".to_string()
        } else {
            clauses.join("; ")
        }
    ))
}

/// `go 1.26.8 (net/http) against cpython 3.11.7 (…), the fastest of each language`.
fn preface(found: &BackendFinding, usual: Option<(&str, &str)>) -> Option<String> {
    let (go, python) = usual?;
    let by_maximum = found
        .endpoints
        .iter()
        .filter_map(|e| e.go_against_python.as_ref())
        .all(|m| m.throughput.is_some());
    Some(format!(
        "{go} against {python}{}",
        if by_maximum {
            ", the fastest of each language"
        } else {
            ""
        }
    ))
}

impl Tally {
    /// The language the decided measures favour on balance, and where the other is not
    /// behind (the nuance the article's row needs).
    fn verdict(self) -> (Option<Language>, Option<String>) {
        let (favours, other, holds) = match self.score.signum() {
            1 => (Some(Language::Go), "Python", self.python_holds),
            -1 => (Some(Language::Python), "Go", self.go_holds),
            _ => (None, "", Vec::new()),
        };
        let nuance =
            (!holds.is_empty()).then(|| format!("{other} holds its own on {}", holds.join(", ")));
        (favours, nuance)
    }
}

pub fn evidence(found: &BackendFinding, run_id: i64) -> Evidence {
    if found.is_empty() {
        return not_measured("backend workload", "versus run backend");
    }
    let usual = usual_pair(found);
    let mut tally = Tally::default();
    let mut sentences: Vec<String> = preface(found, usual).into_iter().collect();
    sentences.extend(
        found
            .endpoints
            .iter()
            .filter_map(|e| endpoint_text(e, usual, &mut tally)),
    );
    if usual.is_none() {
        sentences.push(
            "no endpoint has both a Go and a Python server that answered with verified runs".into(),
        );
    }
    sentences.extend(troubles_text(found));
    let (favours, nuance) = tally.verdict();
    if favours.is_none() {
        sentences.push(
            "no measure separates the languages (a single run, or an interval within noise, \
             decides nothing)"
                .into(),
        );
    }
    Evidence {
        measured: true,
        text: format!("{} (run #{run_id})", sentences.join(". ")),
        favours,
        nuance,
    }
}
