//! The backend services on the page: each server's maximum throughput against Go's as bars,
//! its grids as tables, and per endpoint a chart of latency against the request rate, where
//! every server was loaded alike.

use std::fmt::Write as _;

use super::axis::{Axis, PALETTE, count_tick, positive, seconds_tick};
use super::bars::{Bar, log_bar_chart};
use super::escape;
use super::grid_table;
use super::line_chart::{Curve, LineChart, Mark, Stop, draw_line_chart, xs_of, ys_of};
use super::sweeps::id_part;
use crate::case::CaseVerdict;
use crate::report::backend::{self, BackendFinding, Endpoint, Estimate, Outcome};
use crate::units::{format_count, format_rate, format_seconds};

/// Line patterns: p99 solid, p50 dashed, in the server's colour.
const P99_DASH: &str = "";
const P50_DASH: &str = "7,4";

pub(super) fn section(found: &BackendFinding, page: &mut String) {
    if found.is_empty() {
        return;
    }
    for (i, grid) in backend::grids(found).into_iter().enumerate() {
        let _ = write!(page, "<h2>{}</h2>", escape(grid.title));
        grid_table(grid.id, &grid.grid, page);
        if i == 0 {
            throughput_chart(found, page);
        }
    }
    for endpoint in &found.endpoints {
        latency_chart(endpoint, page);
    }
    page.push_str("<ul class=\"muted\">");
    for note in backend::notes(found) {
        let _ = write!(page, "<li>{}</li>", escape(&note));
    }
    page.push_str("</ul>");
}

/// Every server's maximum ÷ its endpoint's fastest Go server's, one bar each.
fn throughput_chart(found: &BackendFinding, page: &mut String) {
    let bars: Vec<Bar> = found
        .endpoints
        .iter()
        .flat_map(|e| {
            e.servers.iter().filter_map(move |s| {
                let against = s.against_go.as_ref()?;
                Some(Bar {
                    label: format!("/{}: {}", e.endpoint, s.brief()),
                    value: against.value,
                    interval: against.interval(),
                    color: match against.outcome {
                        Outcome::Better => "#2da44e",
                        Outcome::Worse => "#d1242f",
                        Outcome::WithinNoise | Outcome::OneRun => "#8c959f",
                    },
                })
            })
        })
        .collect();
    log_bar_chart(
        "backend-throughput-chart",
        "maximum throughput (closed loop) ÷ that of the endpoint's fastest Go server, log scale, with the 95% bootstrap interval; green more than Go, red less, grey within ±2% noise or from a single run",
        &bars,
        page,
    );
}

/// A curve of one server's latency: its verified rates with `pick`'s value, in seconds, with
/// whiskers for its intervals if `whiskers` (the tooltips give them in any case).
fn curve(
    endpoint: &Endpoint,
    server: &str,
    which: &str,
    pick: fn(&backend::Latency) -> Option<&Estimate>,
    whiskers: bool,
) -> Curve {
    let label = format!("{server} {which}");
    let mut marks = Vec::new();
    let mut stop = None;
    for at in &endpoint.rates {
        let Some(latency) = at.servers.iter().find(|l| l.server == server) else {
            continue;
        };
        let x = at.rate_per_s as f64;
        if latency.verdict != CaseVerdict::Ok {
            stop.get_or_insert_with(|| Stop {
                x,
                tip: format!(
                    "{server} at {}: {}{}",
                    format_rate(x),
                    latency.verdict,
                    latency
                        .detail
                        .as_deref()
                        .map(|d| format!(" — {}", d.trim()))
                        .unwrap_or_default()
                ),
                note: format!("{} at {}", latency.verdict, format_rate(x)),
            });
            continue;
        }
        let Some(estimate) = pick(latency).filter(|e| positive(e.median)) else {
            continue;
        };
        let seconds = |ms: f64| ms / 1e3;
        let interval = estimate
            .interval()
            .filter(|(low, high)| positive(*low) && positive(*high) && low <= high)
            .map(|(low, high)| (seconds(low), seconds(high)));
        let mut tip = format!(
            "{label} at {}: {}",
            format_rate(x),
            format_seconds(seconds(estimate.median))
        );
        if let Some((low, high)) = interval {
            let _ = write!(tip, " [{}, {}]", format_seconds(low), format_seconds(high));
        }
        if latency.errors > 0 {
            let _ = write!(tip, "; {} errors", format_count(latency.errors));
        }
        if latency.overloaded_runs > 0 {
            let _ = write!(
                tip,
                "; fell behind the rate in {} of {} runs",
                latency.overloaded_runs, latency.runs
            );
        }
        marks.push(Mark {
            x,
            y: seconds(estimate.median),
            whisker: interval.filter(|_| whiskers),
            tip,
        });
    }
    Curve {
        label,
        color: PALETTE[0],
        dash: P99_DASH,
        marks,
        stop,
    }
}

/// p99 (solid, with its interval) and p50 (dashed) of every server against the rate.
fn latency_chart(endpoint: &Endpoint, page: &mut String) {
    let servers: Vec<&str> = endpoint
        .servers
        .iter()
        .map(|s| s.server.as_str())
        // A server that could not be installed never ran: it has no curve to end with a ✕.
        .filter(|name| {
            endpoint.rates.iter().any(|r| {
                r.servers
                    .iter()
                    .any(|l| l.server == *name && l.verdict != CaseVerdict::MissingDependency)
            })
        })
        .collect();
    let curves: Vec<Curve> = servers
        .iter()
        .enumerate()
        .flat_map(|(i, server)| {
            let color = PALETTE[i % PALETTE.len()];
            let p99 = Curve {
                color,
                ..curve(endpoint, server, "p99", |l| l.p99_ms.as_ref(), true)
            };
            // The stop is marked once, on the p99 curve.
            let p50 = Curve {
                color,
                dash: P50_DASH,
                stop: None,
                ..curve(endpoint, server, "p50", |l| l.p50_ms.as_ref(), false)
            };
            [p99, p50]
        })
        .filter(|c| !c.marks.is_empty() || c.stop.is_some())
        .collect();
    if curves.iter().all(|c| c.marks.is_empty()) {
        return;
    }
    let xs = xs_of(&curves);
    let ys = ys_of(&curves);
    let (Some(x), Some(y)) = (
        Axis::linear(
            xs,
            true,
            count_tick,
            "requests per second (the same for every server)".into(),
        ),
        Axis::log(ys, false, false, seconds_tick, "latency (log scale)".into()),
    ) else {
        return;
    };
    let _ = write!(
        page,
        "<h2>Latency against request rate: /{}</h2>",
        escape(&endpoint.endpoint)
    );
    let from = endpoint
        .rates_from
        .as_ref()
        .map(|s| format!("; the rates are fractions of the maximum of {s}"))
        .unwrap_or_default();
    draw_line_chart(
        &LineChart {
            id: format!("backend-latency-{}-chart", id_part(&endpoint.endpoint)),
            caption: format!(
                "{}{}: p99 (solid, with the 95% bootstrap interval of the median over the runs) and p50 (dashed) latency at each rate, measured from when each request was due, log scale{from}",
                endpoint.workload,
                endpoint
                    .size
                    .as_ref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default(),
            ),
            x,
            y,
            curves,
            ideal: false,
            rule: None,
        },
        page,
    );
}
