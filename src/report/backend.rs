//! The backend finding, from the `backend` suite's cases: per endpoint, each server's maximum
//! throughput (closed loop) with what it cost in CPU, memory, start-up and deployment; and every
//! server's latency at the same request rates (open loop), so that servers are compared at equal
//! load rather than each at its own limit.

mod evidence;
mod table;
#[cfg(test)]
mod tests;

pub use evidence::evidence;
pub use table::{grids, notes};

use serde::Serialize;

use super::view::CaseView;
use crate::case::{CaseKind, CaseVerdict};
use crate::language::Language;
use crate::stats::{self, Summary, Verdict};
use crate::suite::Claim;

/// The swept parameter of the open-loop runs: requests sent per second.
pub use crate::backend::RATE_POINT as RATE;
/// What the backend runner stores of each timed run.
pub use crate::backend::metric;

#[derive(Clone, Debug, Default, Serialize)]
pub struct BackendFinding {
    pub endpoints: Vec<Endpoint>,
}

impl BackendFinding {
    pub fn is_empty(&self) -> bool {
        self.endpoints.is_empty()
    }
}

/// One endpoint (`backend/json`) at one size: every server that answered it.
#[derive(Clone, Debug, Serialize)]
pub struct Endpoint {
    /// The workload's last part: `json`, `db`.
    pub endpoint: String,
    pub workload: String,
    pub size: Option<String>,
    pub servers: Vec<Server>,
    /// The server whose maximum throughput the rates were taken from (the slowest).
    pub rates_from: Option<String>,
    /// Every rate at which servers were run, in increasing order.
    pub rates: Vec<AtRate>,
    /// The fastest Go server against the fastest Python server (without a maximum, the first
    /// of each that answered at a rate), when both languages have one.
    pub go_against_python: Option<Matchup>,
}

impl Server {
    /// Briefly, for a chart's narrow label column: the toolchain and the server's label
    /// (`cpython 3.11.7 FastAPI on uvicorn, a worker per core`), without the variant.
    pub fn brief(&self) -> String {
        match (&self.toolchain_label, &self.label) {
            (Some(toolchain), Some(label)) => format!("{toolchain} {label}"),
            _ => self.server.clone(),
        }
    }
}

impl Endpoint {
    /// A server of this endpoint by its name.
    pub fn server(&self, name: &str) -> Option<&Server> {
        self.servers.iter().find(|s| s.server == name)
    }
}

/// A server (toolchain, variant and label) at its maximum throughput, in a closed loop.
#[derive(Clone, Debug, Serialize)]
pub struct Server {
    /// As tables name it: `go 1.26.8 (net/http)`.
    pub server: String,
    pub language: Option<Language>,
    pub toolchain: Option<String>,
    pub toolchain_label: Option<String>,
    pub variant: Option<String>,
    pub label: Option<String>,
    /// The closed-loop case's verdict and reason; none when the server has no such case.
    pub verdict: Option<CaseVerdict>,
    pub detail: Option<String>,
    /// Timed closed-loop runs.
    pub runs: usize,
    pub throughput_per_s: Option<Estimate>,
    pub requests_per_server_cpu_s: Option<Estimate>,
    pub connections: Option<f64>,
    /// From spawn to the first successful answer, over every run of the server at any load.
    pub cold_start_s: Option<Estimate>,
    /// Largest peak of the server's process tree over its life, in any of its cases.
    pub tree_peak_bytes: Option<u64>,
    /// What must be deployed: the Go binary; the interpreter and the venv's packages.
    pub artifact_bytes: Option<u64>,
    /// Wrong or failed answers in the closed-loop runs, summed.
    pub errors: u64,
    /// Maximum throughput ÷ that of the endpoint's fastest Go server (not for that server).
    pub against_go: Option<Against>,
}

/// Every server's latency at one rate.
#[derive(Clone, Debug, Serialize)]
pub struct AtRate {
    pub rate_per_s: u64,
    /// The rate as a percentage of the maximum it was taken from (`rates_from`'s), as the
    /// runner stored it.
    pub percent: Option<f64>,
    /// The servers that ran at this rate, in the endpoint's order.
    pub servers: Vec<Latency>,
}

/// One server's latency at one rate (open loop), measured from when each request was due.
#[derive(Clone, Debug, Serialize)]
pub struct Latency {
    pub server: String,
    pub verdict: CaseVerdict,
    pub detail: Option<String>,
    pub runs: usize,
    pub p50_ms: Option<Estimate>,
    pub p99_ms: Option<Estimate>,
    /// From when each request was actually sent (coordinated omission left in).
    pub raw_p50_ms: Option<Estimate>,
    pub raw_p99_ms: Option<Estimate>,
    /// Answers per second the server gave at this rate.
    pub throughput_per_s: Option<Estimate>,
    pub errors: u64,
    /// Runs in which the server fell behind the rate (its latency then measures the queue).
    pub overloaded_runs: usize,
}

/// A median over the timed runs, with its 95% bootstrap interval when there were two runs or
/// more: one run's interval would be a point, and would make any difference look certain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub median: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub runs: usize,
}

impl Estimate {
    fn of(summary: &Summary) -> Estimate {
        let interval = summary.n >= stats::MIN_SAMPLES;
        Estimate {
            median: summary.median,
            ci_low: interval.then_some(summary.ci_low),
            ci_high: interval.then_some(summary.ci_high),
            runs: summary.n,
        }
    }

    pub fn interval(&self) -> Option<(f64, f64)> {
        self.ci_low.zip(self.ci_high)
    }
}

/// One server against another on one measure, oriented so that above 1 the first does better:
/// its throughput ÷ the other's, or the other's latency ÷ its.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Against {
    pub value: f64,
    /// The 95% bootstrap interval of the ratio of medians; none when either side ran once.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub outcome: Outcome,
}

/// What a ratio decides: only a whole interval outside the ±2% noise band decides anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Better,
    Worse,
    WithinNoise,
    /// A side ran once: there is no interval, so nothing is decided.
    OneRun,
}

impl Against {
    /// `first` against `other` (their values over the timed runs); none unless both have
    /// positive values.
    fn of(first: &[f64], other: &[f64], higher_is_better: bool) -> Option<Against> {
        let valid = |s: &[f64]| !s.is_empty() && s.iter().all(|v| v.is_finite() && *v > 0.0);
        if !valid(first) || !valid(other) {
            return None;
        }
        // compare() gives median(contender) ÷ median(baseline): the first's throughput over
        // the other's, or the other's latency over the first's.
        let (baseline, contender) = if higher_is_better {
            (other, first)
        } else {
            (first, other)
        };
        Some(
            match stats::compare(baseline, contender, stats::RESAMPLES_FINAL) {
                Some(c) => Against {
                    value: c.ratio,
                    ci_low: Some(c.ci_low),
                    ci_high: Some(c.ci_high),
                    outcome: match c.verdict {
                        Verdict::Slower => Outcome::Better,
                        Verdict::Faster => Outcome::Worse,
                        Verdict::WithinNoise => Outcome::WithinNoise,
                    },
                },
                None => Against {
                    value: stats::median(contender) / stats::median(baseline),
                    ci_low: None,
                    ci_high: None,
                    outcome: Outcome::OneRun,
                },
            },
        )
    }

    pub fn interval(&self) -> Option<(f64, f64)> {
        self.ci_low.zip(self.ci_high)
    }
}

/// The fastest Go server against the fastest Python server of one endpoint; above 1, Go does
/// better.
#[derive(Clone, Debug, Serialize)]
pub struct Matchup {
    pub go: String,
    pub python: String,
    /// Go's maximum throughput ÷ Python's.
    pub throughput: Option<Against>,
    /// Go's requests per server CPU-second ÷ Python's, at maximum throughput.
    pub per_cpu: Option<Against>,
    /// The highest rate at which both answered with verified runs without falling behind it
    /// (or, when one fell behind at every rate, the highest rate both answered).
    pub rate_per_s: Option<u64>,
    /// A server fell behind that rate in some run: its latency there measures the queue.
    pub fell_behind: bool,
    /// Python's p99 latency ÷ Go's at that rate.
    pub p99: Option<Against>,
}

/// Which server a case is of: its toolchain, variant and label.
#[derive(Clone, PartialEq)]
struct Key {
    toolchain: Option<String>,
    variant: Option<String>,
    label: Option<String>,
}

impl Key {
    fn of(case: &CaseView) -> Key {
        Key {
            toolchain: case.toolchain.clone(),
            variant: case.variant.clone(),
            label: case.label.clone(),
        }
    }
}

pub(super) fn is_backend(case: &CaseView) -> bool {
    case.kind == CaseKind::Workload && case.claim.as_deref() == Some(Claim::Backend.as_str())
}

/// The rate a case ran at: none for the closed-loop case, and for a point of another name.
fn rate_of(case: &CaseView) -> Option<u64> {
    case.point
        .as_ref()
        .filter(|p| p.name == RATE)
        .map(|p| p.value)
}

fn is_closed_loop(case: &CaseView) -> bool {
    case.point.is_none()
}

/// The values a metric took over a case's timed runs.
fn values(case: &CaseView, metric: &str) -> Vec<f64> {
    case.samples
        .iter()
        .filter_map(|s| s.metrics.get(metric).copied())
        .collect()
}

fn estimate(case: &CaseView, metric: &str) -> Option<Estimate> {
    case.metrics.get(metric).map(Estimate::of)
}

/// A count metric summed over the runs (a run reports the errors it saw).
fn total(case: &CaseView, metric: &str) -> u64 {
    values(case, metric).iter().sum::<f64>().max(0.0).round() as u64
}

/// Every endpoint of the run's backend cases, in the order they ran.
pub fn collect(cases: &[CaseView]) -> BackendFinding {
    let mut scopes: Vec<(&str, Option<&str>, Vec<&CaseView>)> = Vec::new();
    for case in cases.iter().filter(|c| is_backend(c)) {
        if case.point.is_some() && rate_of(case).is_none() {
            continue;
        }
        let scope = (case.workload.as_str(), case.size.as_deref());
        match scopes.iter_mut().find(|(w, s, _)| (*w, *s) == scope) {
            Some((_, _, members)) => members.push(case),
            None => scopes.push((scope.0, scope.1, vec![case])),
        }
    }
    BackendFinding {
        endpoints: scopes
            .into_iter()
            .map(|(workload, size, members)| endpoint(workload, size, &members))
            .collect(),
    }
}

/// One server's cases, and its summary.
struct Member<'a> {
    cases: Vec<&'a CaseView>,
    server: Server,
}

impl Member<'_> {
    fn closed(&self) -> Option<&CaseView> {
        self.cases.iter().copied().find(|c| is_closed_loop(c))
    }

    fn answered_at_a_rate(&self) -> bool {
        self.cases
            .iter()
            .any(|c| rate_of(c).is_some() && c.verdict == CaseVerdict::Ok)
    }
}

/// The cases of each server, in the order the servers first ran.
fn members<'a>(cases: &[&'a CaseView]) -> Vec<Member<'a>> {
    let mut keys: Vec<Key> = Vec::new();
    for case in cases {
        if !keys.contains(&Key::of(case)) {
            keys.push(Key::of(case));
        }
    }
    keys.iter()
        .map(|key| {
            let own: Vec<&CaseView> = cases
                .iter()
                .copied()
                .filter(|c| Key::of(c) == *key)
                .collect();
            Member {
                server: server(&own),
                cases: own,
            }
        })
        .collect()
}

/// The index of the language's server with the highest maximum throughput.
fn fastest(members: &[Member], language: Language) -> Option<usize> {
    members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.server.language == Some(language))
        .filter_map(|(i, m)| Some((i, m.server.throughput_per_s.as_ref()?.median)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// The language's server to set against the other language: its fastest, or without a
/// maximum (no verified closed loop) the first that answered at some rate, which can still be
/// compared at equal rates.
fn contender(members: &[Member], language: Language) -> Option<usize> {
    fastest(members, language).or_else(|| {
        members
            .iter()
            .position(|m| m.server.language == Some(language) && m.answered_at_a_rate())
    })
}

/// Each verified server's maximum against that of the fastest Go server.
fn set_against_go(members: &mut [Member]) {
    let Some(go) = fastest(members, Language::Go) else {
        return;
    };
    let Some(go_values) = members[go].closed().map(|c| values(c, metric::THROUGHPUT)) else {
        return;
    };
    for (i, member) in members.iter_mut().enumerate() {
        if i == go {
            continue;
        }
        member.server.against_go = member
            .closed()
            .filter(|c| c.verdict == CaseVerdict::Ok)
            .and_then(|c| Against::of(&values(c, metric::THROUGHPUT), &go_values, true));
    }
}

fn endpoint(workload: &str, size: Option<&str>, cases: &[&CaseView]) -> Endpoint {
    let mut members = members(cases);
    set_against_go(&mut members);
    let rates = at_rates(&members, cases);
    let go_against_python = contender(&members, Language::Go)
        .zip(contender(&members, Language::Python))
        .map(|(go, python)| matchup(&members[go].cases, &members[python].cases));
    let servers: Vec<Server> = members.into_iter().map(|m| m.server).collect();
    Endpoint {
        endpoint: workload.rsplit('/').next().unwrap_or(workload).to_string(),
        workload: workload.to_string(),
        size: size.map(String::from),
        rates_from: rates_from(&servers, &rates),
        go_against_python,
        servers,
        rates,
    }
}

fn server(cases: &[&CaseView]) -> Server {
    let first = cases[0];
    let closed = cases.iter().copied().find(|c| is_closed_loop(c));
    let verified = closed.filter(|c| c.verdict == CaseVerdict::Ok);
    let cold: Vec<f64> = cases
        .iter()
        .flat_map(|c| values(c, metric::COLD_START))
        .collect();
    Server {
        server: first.label(),
        language: first.language.as_deref().and_then(Language::parse),
        toolchain: first.toolchain.clone(),
        toolchain_label: first.toolchain_label.clone(),
        variant: first.variant.clone(),
        label: first.label.clone(),
        verdict: closed.map(|c| c.verdict),
        detail: closed.and_then(|c| c.detail.clone()),
        runs: closed.map_or(0, |c| c.runs),
        throughput_per_s: verified.and_then(|c| estimate(c, metric::THROUGHPUT)),
        requests_per_server_cpu_s: verified.and_then(|c| estimate(c, metric::PER_CPU)),
        connections: verified.and_then(|c| c.metrics.get(metric::CONNECTIONS).map(|s| s.median)),
        cold_start_s: stats::summarize(&cold, stats::RESAMPLES_QUICK)
            .as_ref()
            .map(Estimate::of),
        tree_peak_bytes: cases.iter().filter_map(|c| c.tree_peak_bytes).max(),
        artifact_bytes: cases.iter().find_map(|c| c.artifact_bytes),
        errors: closed.map_or(0, |c| total(c, metric::ERRORS)),
        against_go: None,
    }
}

fn at_rates(members: &[Member], cases: &[&CaseView]) -> Vec<AtRate> {
    let mut rates: Vec<u64> = cases.iter().filter_map(|c| rate_of(c)).collect();
    rates.sort_unstable();
    rates.dedup();
    rates
        .into_iter()
        .map(|rate| {
            let here: Vec<&CaseView> = cases
                .iter()
                .copied()
                .filter(|c| rate_of(c) == Some(rate))
                .collect();
            let percents: Vec<f64> = here
                .iter()
                .flat_map(|c| values(c, metric::RATE_PERCENT))
                .collect();
            AtRate {
                rate_per_s: rate,
                percent: (!percents.is_empty()).then(|| stats::median(&percents)),
                servers: members
                    .iter()
                    .filter_map(|m| {
                        here.iter()
                            .find(|c| m.cases.iter().any(|own| std::ptr::eq(*own, **c)))
                    })
                    .map(|c| latency(c))
                    .collect(),
            }
        })
        .collect()
}

fn latency(case: &CaseView) -> Latency {
    let ok = case.verdict == CaseVerdict::Ok;
    let of = |metric| estimate(case, metric).filter(|_| ok);
    Latency {
        server: case.label(),
        verdict: case.verdict,
        detail: case.detail.clone(),
        runs: case.runs,
        p50_ms: of(metric::P50),
        p99_ms: of(metric::P99),
        raw_p50_ms: of(metric::RAW_P50),
        raw_p99_ms: of(metric::RAW_P99),
        throughput_per_s: of(metric::THROUGHPUT),
        errors: total(case, metric::ERRORS),
        overloaded_runs: overloaded_runs(case),
    }
}

fn overloaded_runs(case: &CaseView) -> usize {
    values(case, metric::OVERLOADED)
        .iter()
        .filter(|v| **v >= 0.5)
        .count()
}

/// The server whose maximum, times each rate's percentage, comes nearest the rates used: the
/// runner takes them from the slowest server, and this finds it from the data rather than
/// assuming which one that was. Without percentages, the slowest server.
fn rates_from(servers: &[Server], rates: &[AtRate]) -> Option<String> {
    let maxima: Vec<(&Server, f64)> = servers
        .iter()
        .filter_map(|s| Some((s, s.throughput_per_s.as_ref()?.median)))
        .filter(|(_, max)| *max > 0.0)
        .collect();
    let implied: Vec<f64> = rates
        .iter()
        .filter_map(|r| Some(r.rate_per_s as f64 / (r.percent? / 100.0)))
        .filter(|m| m.is_finite() && *m > 0.0)
        .collect();
    let chosen = if implied.is_empty() {
        maxima
            .iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(s, _)| *s)?
    } else {
        let distance = |max: f64| -> f64 { implied.iter().map(|m| (max / m).ln().abs()).sum() };
        maxima
            .iter()
            .min_by(|a, b| distance(a.1).total_cmp(&distance(b.1)))
            .map(|(s, _)| *s)?
    };
    Some(chosen.server.clone())
}

fn matchup(go: &[&CaseView], python: &[&CaseView]) -> Matchup {
    let (go_closed, py_closed) = (verified_closed(go), verified_closed(python));
    let on = |metric: &str, higher_is_better: bool| {
        Against::of(
            &values(go_closed?, metric),
            &values(py_closed?, metric),
            higher_is_better,
        )
    };
    let shared: Vec<u64> = go
        .iter()
        .filter_map(|c| rate_of(c))
        .filter(|rate| verified_at(go, *rate).is_some() && verified_at(python, *rate).is_some())
        .collect();
    let behind = |rate: &u64| {
        [go, python]
            .iter()
            .filter_map(|cases| verified_at(cases, *rate))
            .any(|c| overloaded_runs(c) > 0)
    };
    // The highest rate both carried; if either fell behind at every shared rate, the highest
    // of them, said to be so.
    let carried = shared.iter().copied().filter(|r| !behind(r)).max();
    let shared = carried.or(shared.iter().copied().max());
    Matchup {
        go: go[0].label(),
        python: python[0].label(),
        throughput: on(metric::THROUGHPUT, true),
        per_cpu: on(metric::PER_CPU, true),
        rate_per_s: shared,
        fell_behind: shared.as_ref().is_some_and(behind),
        p99: shared.and_then(|rate| {
            Against::of(
                &values(verified_at(go, rate)?, metric::P99),
                &values(verified_at(python, rate)?, metric::P99),
                false,
            )
        }),
    }
}

fn verified_closed<'a>(cases: &[&'a CaseView]) -> Option<&'a CaseView> {
    cases
        .iter()
        .copied()
        .find(|c| is_closed_loop(c) && c.verdict == CaseVerdict::Ok)
}

/// A server's verified case at `rate` that reported its p99.
fn verified_at<'a>(cases: &[&'a CaseView], rate: u64) -> Option<&'a CaseView> {
    cases
        .iter()
        .copied()
        .find(|c| rate_of(c) == Some(rate) && c.verdict == CaseVerdict::Ok)
        .filter(|c| !values(c, metric::P99).is_empty())
}
