//! Judging one start of a server: its verdict, from what the executor and the driver saw, and
//! its figures as metrics (names in docs/workloads.md).

use std::time::Duration;

use super::metric::*;
use super::{Driven, Loaded, Served, Stopped};
use crate::case::{CaseVerdict, Rate, Serve};
use crate::interrupt;
use crate::load::{ErrorCounts, ErrorKind, LoadReport};
use crate::measure::{Exit, RunOutcome};
use crate::text::last_lines;

/// The verdict and figures of one start.
pub(super) fn conclude(serve: &Serve, mut outcome: RunOutcome, driven: Driven) -> Served {
    let ready = matches!(driven, Driven::Loaded(_));
    let judged = if outcome.exit == Exit::Interrupted || interrupt::is_interrupted() {
        Err((CaseVerdict::Interrupted, String::new()))
    } else {
        judge(serve, &outcome, driven)
    };
    let stderr = String::from_utf8_lossy(&outcome.stderr_tail)
        .trim()
        .to_string();
    match judged {
        Err((verdict, detail)) => {
            let detail = match verdict {
                CaseVerdict::Interrupted | CaseVerdict::WrongOutput => detail,
                _ if stderr.is_empty() => detail,
                _ => format!("{detail}; stderr ends: {}", last_lines(&stderr, 5)),
            };
            Served {
                outcome,
                metrics: Vec::new(),
                verdict: Err((verdict, detail)),
                ready,
            }
        }
        Ok(loaded) => {
            outcome.wall = Duration::from_secs_f64(loaded.report.duration_s);
            outcome.user = loaded.server_cpu.user;
            outcome.sys = loaded.server_cpu.sys;
            Served {
                metrics: metrics(serve, &loaded),
                outcome,
                verdict: Ok(()),
                ready,
            }
        }
    }
}

/// What was measured, only for a server that was loaded, answered right every request it
/// answered, and exited when asked.
fn judge(
    serve: &Serve,
    outcome: &RunOutcome,
    driven: Driven,
) -> Result<Box<Loaded>, (CaseVerdict, String)> {
    let loaded = match driven {
        Driven::Loaded(loaded) => loaded,
        Driven::NotStarted => {
            return Err((CaseVerdict::Crashed, "the server did not start".into()));
        }
        Driven::ExitedBeforeReady => {
            return Err((
                CaseVerdict::Crashed,
                format!(
                    "the server exited ({}) before answering GET {}",
                    outcome.exit, serve.ready_path
                ),
            ));
        }
        Driven::NeverReady => {
            return Err((
                CaseVerdict::Timeout,
                format!(
                    "the server did not answer GET {} with 200 within {:.1} s",
                    serve.ready_path,
                    serve.ready_timeout.as_secs_f64()
                ),
            ));
        }
        Driven::Interrupted | Driven::Failed(_) => {
            return Err((CaseVerdict::Interrupted, String::new()));
        }
    };
    judge_loaded(serve, outcome, &loaded)?;
    Ok(loaded)
}

fn judge_loaded(
    serve: &Serve,
    outcome: &RunOutcome,
    loaded: &Loaded,
) -> Result<(), (CaseVerdict, String)> {
    how_it_ended(serve, outcome, loaded)?;
    what_it_answered(serve, &loaded.report)
}

/// The server's own end: killed at its limit, stopped at the memory limit, exited on its own.
fn how_it_ended(
    serve: &Serve,
    outcome: &RunOutcome,
    loaded: &Loaded,
) -> Result<(), (CaseVerdict, String)> {
    let report = &loaded.report;
    let exit = outcome.exit.to_string();
    if outcome.exit == Exit::TimedOut {
        return Err((
            CaseVerdict::Timeout,
            format!(
                "the server was killed at its time limit of {:.0} s",
                serve.run_limit().as_secs_f64()
            ),
        ));
    }
    if let Exit::MemoryLimit(_) = outcome.exit {
        return Err((
            CaseVerdict::OutOfMemory,
            format!(
                "the server was {exit}: {} answers before it was",
                report.requests
            ),
        ));
    }
    match loaded.stopped {
        Stopped::UnderLoad => Err((
            CaseVerdict::Crashed,
            format!(
                "the server exited ({exit}) under load: {} answers at {:.0}/s before it did, {} errors ({})",
                report.requests,
                report.throughput_per_s,
                report.errors_total,
                describe_errors(report)
            ),
        )),
        Stopped::BeforeAsked => Err((
            CaseVerdict::Crashed,
            format!("the server exited ({exit}) after the load, before it was asked to stop"),
        )),
        Stopped::Terminated | Stopped::Killed => Ok(()),
    }
}

/// What the load found: wrong bodies, a hang, no answer at all.
fn what_it_answered(serve: &Serve, report: &LoadReport) -> Result<(), (CaseVerdict, String)> {
    if report.errors.wrong_body > 0 {
        return Err((
            CaseVerdict::WrongOutput,
            format!(
                "{} of {} answers to {} {} had another body than expected (wrong-body)",
                report.errors.wrong_body,
                report.errors.wrong_body + report.requests,
                serve.method,
                serve.path
            ),
        ));
    }
    if hung(report.requests, &report.errors, unanswered(report).0) {
        return Err((CaseVerdict::Hung, describe_hang(serve, report)));
    }
    if report.requests == 0 {
        return Err((
            CaseVerdict::Crashed,
            format!(
                "no request of {} {} succeeded: {} errors ({}){}",
                serve.method,
                serve.path,
                report.errors_total,
                describe_errors(report),
                describe_unanswered(report)
            ),
        ));
    }
    Ok(())
}

/// Whether a server that answered its readiness probe then hung: no request succeeded, none
/// failed in another way than by getting no answer, and some got none (timed out, or still
/// waiting when the measured phase ended). A server that refuses or resets is not hung.
fn hung(requests: u64, errors: &ErrorCounts, unanswered: u64) -> bool {
    let timed_out = errors.get(ErrorKind::Timeout);
    requests == 0 && errors.total() == timed_out && timed_out + unanswered > 0
}

fn describe_hang(serve: &Serve, report: &LoadReport) -> String {
    let (still, _) = unanswered(report);
    format!(
        "the server answered GET {} when it started, then no request of {} {}: {} timed out \
         (no answer within {:.0} s), {still} still unanswered when the {:.1} s measured phase ended",
        serve.ready_path,
        serve.method,
        serve.path,
        report.errors.timeout,
        report.timeout_s,
        report.duration_s,
    )
}

/// The requests unanswered when the measured phase ended, and (open loop) how long the oldest
/// of them had been due, in ms.
fn unanswered(report: &LoadReport) -> (u64, Option<f64>) {
    match &report.still_due_at_end {
        Some(still) => (still.count, Some(still.longest_ms)),
        None => (report.in_flight_at_end, None),
    }
}

/// The requests a server left unanswered when the measured phase ended: how a server that
/// stopped answering (rather than failing) shows.
fn describe_unanswered(report: &LoadReport) -> String {
    let (count, longest) = unanswered(report);
    if count == 0 {
        return String::new();
    }
    let oldest = longest.map_or(String::new(), |ms| {
        format!(", the oldest due {:.0} ms before it", ms)
    });
    format!(
        "; {count} requests still unanswered when the {:.1} s measured phase ended{oldest}",
        report.duration_s
    )
}

pub fn describe_errors(report: &LoadReport) -> String {
    let kinds: Vec<String> = ErrorKind::ALL
        .iter()
        .map(|kind| (kind.as_str(), report.errors.get(*kind)))
        .filter(|(_, n)| *n > 0)
        .map(|(name, n)| format!("{n} {name}"))
        .collect();
    if kinds.is_empty() {
        "none".into()
    } else {
        kinds.join(", ")
    }
}

/// The figures of one start, as `name value` metrics.
fn metrics(serve: &Serve, loaded: &Loaded) -> Vec<(String, f64)> {
    let report = &loaded.report;
    let server_cpu_s = loaded.server_cpu.total().as_secs_f64();
    let mut metrics = vec![
        (SERVER_CPU, server_cpu_s),
        (COLD_START, loaded.cold_start.as_secs_f64()),
    ];
    if server_cpu_s > 0.0 {
        metrics.push((PER_CPU, report.requests as f64 / server_cpu_s));
    }
    if loaded.stopped == Stopped::Killed {
        metrics.push((KILLED_AFTER_GRACE, 1.0));
    }
    match serve.rate {
        Rate::Maximum => metrics.push((CONNECTIONS, serve.connections as f64)),
        Rate::Fixed { per_s, percent } => {
            metrics.push((RATE_PER_S, per_s as f64));
            metrics.push((RATE_PERCENT, f64::from(percent)));
        }
        Rate::ShareOfSlowest { .. } => {}
    }
    finite(load_figures(report).into_iter().chain(metrics))
}

/// What a load test measured, as the metrics a server's start stores (`versus load --db`
/// stores them under the same names): throughput, errors, the generator's CPU time, the
/// latency percentiles, and in an open loop the health of the schedule.
pub fn load_metrics(report: &LoadReport) -> Vec<(String, f64)> {
    let mut metrics = load_figures(report);
    if let Some(server) = &report.server {
        metrics.push((SERVER_CPU, server.cost.cpu_s));
        metrics.push((PER_CPU, server.cost.requests_per_cpu_s));
    }
    match report.rate {
        Some(per_s) => metrics.push((RATE_PER_S, per_s)),
        None => metrics.push((CONNECTIONS, report.connections as f64)),
    }
    finite(metrics)
}

fn load_figures(report: &LoadReport) -> Vec<(&'static str, f64)> {
    let mut metrics = vec![
        (THROUGHPUT, report.throughput_per_s),
        (ERRORS, report.errors_total as f64),
        (GENERATOR_CPU, report.generator.cpu_s),
    ];
    metrics.extend(latency_metrics(report));
    if let Some(schedule) = &report.schedule {
        metrics.push((OVERLOADED, f64::from(u8::from(schedule.overloaded))));
    }
    if let Some(still) = &report.still_due_at_end {
        metrics.push((STILL_DUE, still.count as f64));
    }
    metrics
}

fn finite(metrics: impl IntoIterator<Item = (&'static str, f64)>) -> Vec<(String, f64)> {
    metrics
        .into_iter()
        .filter(|(_, value)| value.is_finite())
        .map(|(name, value)| (name.to_string(), value))
        .collect()
}

/// Closed loop: service times; open loop: from the intended send time, and raw.
fn latency_metrics(report: &LoadReport) -> Vec<(&'static str, f64)> {
    let mut metrics = Vec::new();
    let latency = report
        .latency
        .closed_loop_service_time
        .as_ref()
        .or(report.latency.corrected.as_ref());
    if let Some(latency) = latency {
        metrics.extend([
            (P50, latency.p50_ms),
            (P90, latency.p90_ms),
            (P99, latency.p99_ms),
            (P999, latency.p99_9_ms),
            (MAX, latency.max_ms),
        ]);
    }
    if let Some(raw) = &report.latency.raw {
        metrics.extend([(RAW_P50, raw.p50_ms), (RAW_P99, raw.p99_ms)]);
    }
    metrics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_that_answers_nothing_and_fails_nothing_is_hung() {
        let none = ErrorCounts::default();
        let timed_out = ErrorCounts {
            timeout: 3,
            ..ErrorCounts::default()
        };
        // Requests that timed out, or were still waiting at the end, or both.
        assert!(hung(0, &timed_out, 0));
        assert!(hung(0, &none, 4));
        assert!(hung(0, &timed_out, 4));
        // Answers, refusals, resets or nothing sent at all are something else.
        assert!(!hung(5, &timed_out, 4));
        assert!(!hung(0, &none, 0));
        let refused = ErrorCounts {
            connect: 2,
            ..timed_out
        };
        assert!(!hung(0, &refused, 4));
        let reset = ErrorCounts {
            io: 1,
            ..ErrorCounts::default()
        };
        assert!(!hung(0, &reset, 0));
    }
}
