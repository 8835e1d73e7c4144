//! The backend finding as two grids, for the terminal, Markdown and HTML alike: each server at
//! its maximum throughput, and every server's latency at each equal rate.

use super::{BackendFinding, Endpoint, Estimate};
use crate::case::CaseVerdict;
use crate::report::grid::Grid;
use crate::units::{
    format_bytes, format_count, format_rate, format_ratio, format_seconds, three_digits,
};

/// What the grids measure, said once under them.
const NOTE: &str = "closed loop: each server answering as fast as it can; open loop: requests \
                        sent at a fixed rate, the same for every server of an endpoint, latency \
                        measured from when each request was due (raw: from when it was sent, \
                        which hides queueing); intervals are bootstrap intervals of the median \
                        over the runs, none from a single run; from two runs (the quick suite) an \
                        interval is little more than the two values, and `--size large` runs \
                        five.";

/// `backend/json (default)`, as groups are named.
fn scope(endpoint: &Endpoint) -> String {
    match &endpoint.size {
        Some(size) => format!("{} ({size})", endpoint.workload),
        None => endpoint.workload.clone(),
    }
}

/// `[40.1k/s, 42.0k/s]`, or nothing without an interval.
fn interval(estimate: Option<&Estimate>, say: fn(f64) -> String) -> String {
    estimate
        .and_then(Estimate::interval)
        .map(|(low, high)| format!("[{}, {}]", say(low), say(high)))
        .unwrap_or_default()
}

fn median(estimate: Option<&Estimate>, say: fn(f64) -> String) -> String {
    estimate.map(|e| say(e.median)).unwrap_or_default()
}

fn milliseconds(ms: f64) -> String {
    format_seconds(ms / 1e3)
}

fn per_cpu_second(requests: f64) -> String {
    format_rate(requests).trim_end_matches("/s").to_string()
}

fn errors(count: u64) -> String {
    if count == 0 {
        String::new()
    } else {
        format_count(count)
    }
}

fn result(verdict: Option<CaseVerdict>) -> String {
    verdict.map_or("no closed-loop run".into(), |v| v.to_string())
}

/// One row per server of each endpoint: its maximum throughput and what it cost.
fn throughput_grid(found: &BackendFinding) -> Option<Grid> {
    let mut rows = Vec::new();
    for endpoint in &found.endpoints {
        for (i, server) in endpoint.servers.iter().enumerate() {
            let max = server.throughput_per_s.as_ref();
            rows.push(vec![
                if i == 0 {
                    scope(endpoint)
                } else {
                    String::new()
                },
                server.server.clone(),
                if server.runs > 0 {
                    server.runs.to_string()
                } else {
                    String::new()
                },
                median(max, format_rate),
                interval(max, format_rate),
                server
                    .against_go
                    .as_ref()
                    .map(|a| match a.interval() {
                        Some((low, high)) => format_ratio(a.value, low, high),
                        None => format!("{}×", three_digits(a.value)),
                    })
                    .unwrap_or_default(),
                median(server.requests_per_server_cpu_s.as_ref(), per_cpu_second),
                server
                    .connections
                    .map(|c| format_count(c.round() as u64))
                    .unwrap_or_default(),
                median(server.cold_start_s.as_ref(), format_seconds),
                server.tree_peak_bytes.map(format_bytes).unwrap_or_default(),
                server.artifact_bytes.map(format_bytes).unwrap_or_default(),
                errors(server.errors),
                result(server.verdict),
            ]);
        }
    }
    if rows.is_empty() {
        return None;
    }
    Some(
        Grid {
            headers: [
                "endpoint",
                "server",
                "runs",
                "max req/s",
                "95% CI",
                "÷ fastest Go",
                "req per CPU-s",
                "conns",
                "cold start",
                "peak mem",
                "deploy",
                "errors",
                "result",
            ]
            .map(String::from)
            .to_vec(),
            right_aligned: vec![
                false, false, true, true, false, false, true, true, true, true, true, true, false,
            ],
            rows,
            lifted: vec![0],
        }
        .without_empty_columns(),
    )
}

/// One row per server at each rate of each endpoint: its latency there.
fn latency_grid(found: &BackendFinding) -> Option<Grid> {
    let mut rows = Vec::new();
    for endpoint in &found.endpoints {
        let mut first_of_endpoint = true;
        for at in &endpoint.rates {
            for (i, latency) in at.servers.iter().enumerate() {
                let rate = match at.percent {
                    Some(p) => format!("{} ({})", format_rate(at.rate_per_s as f64), percent(p)),
                    None => format_rate(at.rate_per_s as f64),
                };
                rows.push(vec![
                    if first_of_endpoint {
                        scope(endpoint)
                    } else {
                        String::new()
                    },
                    if i == 0 { rate } else { String::new() },
                    latency.server.clone(),
                    if latency.runs > 0 {
                        latency.runs.to_string()
                    } else {
                        String::new()
                    },
                    median(latency.p50_ms.as_ref(), milliseconds),
                    median(latency.p99_ms.as_ref(), milliseconds),
                    interval(latency.p99_ms.as_ref(), milliseconds),
                    median(latency.raw_p50_ms.as_ref(), milliseconds),
                    median(latency.raw_p99_ms.as_ref(), milliseconds),
                    median(latency.throughput_per_s.as_ref(), format_rate),
                    errors(latency.errors),
                    if latency.overloaded_runs > 0 {
                        format!(
                            "{} (fell behind in {} of {} runs)",
                            latency.verdict, latency.overloaded_runs, latency.runs
                        )
                    } else {
                        latency.verdict.to_string()
                    },
                ]);
                first_of_endpoint = false;
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    Some(
        Grid {
            headers: [
                "endpoint",
                "rate",
                "server",
                "runs",
                "p50",
                "p99",
                "p99 95% CI",
                "raw p50",
                "raw p99",
                "answered",
                "errors",
                "result",
            ]
            .map(String::from)
            .to_vec(),
            right_aligned: vec![
                false, false, false, true, true, true, false, true, true, true, true, false,
            ],
            rows,
            lifted: vec![0, 1],
        }
        .without_empty_columns(),
    )
}

/// A grid with its title, and the id a page gives its table.
pub struct Titled {
    pub id: &'static str,
    pub title: &'static str,
    pub grid: Grid,
}

/// The backend grids; none when the run has no backend case.
pub fn grids(found: &BackendFinding) -> Vec<Titled> {
    [
        (
            "backend-maxima",
            "Backend services: each server at its maximum (closed loop)",
            throughput_grid(found),
        ),
        (
            "backend-latency",
            "Backend services: latency at equal rates (open loop)",
            latency_grid(found),
        ),
    ]
    .into_iter()
    .filter_map(|(id, title, grid)| {
        Some(Titled {
            id,
            title,
            grid: grid?,
        })
    })
    .collect()
}

/// The lines under the grids: where each endpoint's rates came from, and what the grids
/// measure. A failed server's reason is listed with the other failures.
pub fn notes(found: &BackendFinding) -> Vec<String> {
    if found.is_empty() {
        return Vec::new();
    }
    let mut notes = rates_notes(found);
    notes.push(NOTE.to_string());
    notes
}

fn rates_notes(found: &BackendFinding) -> Vec<String> {
    found
        .endpoints
        .iter()
        .filter(|e| !e.rates.is_empty())
        .filter_map(|endpoint| {
            let from = endpoint.rates_from.as_ref()?;
            let percents: Vec<String> = endpoint
                .rates
                .iter()
                .filter_map(|r| r.percent)
                .map(percent)
                .collect();
            Some(format!(
                "{}: rates {}of the maximum of {from}",
                scope(endpoint),
                if percents.is_empty() {
                    String::new()
                } else {
                    format!("{} ", percents.join(", "))
                }
            ))
        })
        .collect()
}

/// `75%`, `12.5%`.
fn percent(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}%")
    } else {
        format!("{}%", three_digits(value))
    }
}
