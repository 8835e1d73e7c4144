//! From a [`Measurement`] to the report: throughput, percentiles, Little's law, the open-loop
//! health checks and the warnings. Pure functions of what was measured; nothing here measures or
//! renders. This struct is also the JSON output (`schema` is bumped on any incompatible change).

use hdrhistogram::Histogram;
use serde::Serialize;

use super::engine::Measurement;
use super::recorder::ErrorCounts;
use super::spec::{LoadSpec, Mode};

pub const SCHEMA: u32 = 1;

/// Percentiles every summary lists, whatever the run.
pub const PERCENTILES: [f64; 9] = [0.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0];
/// Steps per halving of the distance to 100% in the spectrum (HdrHistogram's percentile output,
/// as wrk2 prints it).
const SPECTRUM_TICKS_PER_HALF: u32 = 5;
/// Steal above this share of the machine's CPU time makes the figures suspect.
const HIGH_STEAL_PERCENT: f64 = 5.0;
/// Little's law is an identity for a closed loop; a larger gap means connections sat idle.
const LITTLE_TOLERANCE: f64 = 0.25;

#[derive(Clone, Debug, Serialize)]
pub struct LoadReport {
    pub schema_version: u32,
    pub url: String,
    pub method: String,
    /// `closed-loop` or `open-loop`.
    pub mode: &'static str,
    /// Open loop: the intended request rate, per second.
    pub rate: Option<f64>,
    pub connections: usize,
    pub threads: usize,
    /// The measured phase: as planned, or up to the stop when `stopped_early`.
    pub duration_s: f64,
    /// A stop (Ctrl-C, or the caller's flag) ended the run before its planned end: the figures
    /// cover `duration_s` only (zero when it came during the warm-up).
    pub stopped_early: bool,
    pub warmup_s: f64,
    pub timeout_s: f64,
    /// Successful (2xx) answers that arrived in the measured phase. The latency histograms hold
    /// those of them that also started there (sent, closed loop; due, open loop).
    pub requests: u64,
    /// Successful answers per second of the measured phase.
    pub throughput_per_s: f64,
    pub errors: ErrorCounts,
    pub errors_total: u64,
    /// Requests sent and still unanswered when the measured phase ended. Closed loop: counted
    /// nowhere else. Open loop: those due in the phase are also in `still_due_at_end`.
    pub in_flight_at_end: u64,
    /// Open loop only: the requests due in the measured phase and unanswered at its end, which
    /// `latency.corrected` counts at the latency they had reached by then (lower bounds).
    pub still_due_at_end: Option<StillDueAtEnd>,
    pub latency: Latency,
    /// Closed loop only.
    pub littles_law: Option<LittlesLaw>,
    /// Open loop only.
    pub schedule: Option<ScheduleHealth>,
    pub generator: GeneratorCost,
    /// The server's whole process tree, when it runs on this machine and was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerCost>,
    pub machine: MachineDuringRun,
    pub warnings: Vec<Warning>,
}

/// The latency histograms of the run; which are present depends on the mode.
#[derive(Clone, Debug, Serialize)]
pub struct Latency {
    /// Closed loop: send to end of answer, as limited by the loop itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_loop_service_time: Option<Summary>,
    /// Open loop: from the intended send time (coordinated omission corrected, as wrk2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected: Option<Summary>,
    /// Open loop: from the actual send. Requests held back while every connection was busy are
    /// sent late and then answered quickly, so this hides a stall; it is what the socket saw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<Summary>,
    /// Open loop: actual send − intended send time (queueing for a connection, and the pacer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_lag: Option<Summary>,
}

/// Requests still due when the measured phase ended (its planned end, or the stop). Each is in
/// the corrected histogram at end − due time, the latency it had reached: a lower bound of its
/// true latency, so the corrected percentiles are lower bounds too whenever `count` > 0.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct StillDueAtEnd {
    /// `in_flight` + `unsent`.
    pub count: u64,
    /// Sent, waiting for an answer.
    pub in_flight: u64,
    /// Never sent: queued for a free connection.
    pub unsent: u64,
    /// The latency the oldest of them had reached; 0 when there are none.
    pub longest_ms: f64,
}

/// One histogram, in milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub count: u64,
    pub mean_ms: f64,
    pub stdev_ms: f64,
    pub min_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub p99_9_ms: f64,
    pub max_ms: f64,
    /// The fixed list [`PERCENTILES`].
    pub percentiles: Vec<Percentile>,
    /// The full spectrum, HdrHistogram style.
    pub spectrum: Vec<SpectrumPoint>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Percentile {
    pub percentile: f64,
    pub ms: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SpectrumPoint {
    pub percentile: f64,
    pub ms: f64,
    /// Values recorded since the previous point.
    pub count: u64,
}

/// Little's law for a closed loop: mean latency = connections ÷ throughput.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LittlesLaw {
    pub mean_latency_ms: f64,
    pub predicted_ms: f64,
    /// (mean − predicted) ÷ predicted.
    pub relative_difference: f64,
}

/// How well the open-loop schedule was kept.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ScheduleHealth {
    /// Requests sent per second in the measured phase (answered, failed or in flight).
    pub sent_per_s: f64,
    /// Due-but-unsent requests: the largest sample and the last one.
    pub backlog_max: u64,
    pub backlog_end: u64,
    /// The backlog was still growing over the last half of the run.
    pub overloaded: bool,
}

/// The server's CPU time over the measured phase (its process group and descendants, read from
/// /proc at the start and the end of the phase).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ServerCost {
    pub pid: i32,
    #[serde(flatten)]
    pub cost: GeneratorCost,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GeneratorCost {
    pub cpu_user_s: f64,
    pub cpu_system_s: f64,
    pub cpu_s: f64,
    /// Successful requests per second of the generator's own CPU time.
    pub requests_per_cpu_s: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MachineDuringRun {
    pub cores: usize,
    /// Share of all CPU time the hypervisor stole during the measured phase.
    pub steal_percent: f64,
    pub busy_percent: f64,
}

/// What to know before trusting the figures, with what to do about it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Warning {
    NothingSucceeded,
    Overloaded {
        backlog_end: u64,
    },
    SentLate {
        send_lag_p99_ms: f64,
        raw_p50_ms: f64,
    },
    LittlesLaw {
        relative_difference: f64,
    },
    Steal {
        percent: f64,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::NothingSucceeded => f.write_str(
                "no request succeeded in the measured phase: check that the server is up at this \
                 URL and answers 2xx (with exactly the --expect-body file's bytes, if given)",
            ),
            Warning::Overloaded { backlog_end } => write!(
                f,
                "overloaded: the backlog of due-but-unsent requests kept growing ({backlog_end} at \
                 the end), so latencies measure the queue; lower --rate, or find the capacity with \
                 a closed-loop run (no --rate)"
            ),
            Warning::SentLate {
                send_lag_p99_ms,
                raw_p50_ms,
            } => write!(
                f,
                "requests were sent late (send lag p99 {send_lag_p99_ms:.3} ms, above the raw \
                 p50 of {raw_p50_ms:.3} ms): every connection was busy (raise --connections) or \
                 the generator lacked CPU; the corrected latencies include this wait"
            ),
            Warning::LittlesLaw {
                relative_difference,
            } => write!(
                f,
                "mean latency is {:+.0}% off connections ÷ throughput: connections sat idle \
                 (errors, reconnects) or the generator could not keep them busy",
                relative_difference * 100.0
            ),
            Warning::Steal { percent } => write!(
                f,
                "the hypervisor stole {percent:.1}% of the CPU time during the run: figures are \
                 noisy; repeat the run, or use a quieter machine"
            ),
        }
    }
}

impl LoadReport {
    pub fn new(spec: &LoadSpec, measured: &Measurement) -> LoadReport {
        let recorder = &measured.recorder;
        let seconds = measured.measured.as_secs_f64();
        let throughput = per_second(recorder.ok, seconds);
        let open = matches!(spec.mode, Mode::Open { .. });
        let main = summarize(&recorder.latency);
        let latency = Latency {
            closed_loop_service_time: if open { None } else { main.clone() },
            corrected: if open { main.clone() } else { None },
            raw: recorder.raw.as_ref().and_then(summarize),
            send_lag: recorder.send_lag.as_ref().and_then(summarize),
        };
        let littles_law = match (&main, open) {
            (Some(main), false) => Some(littles_law(main.mean_ms, spec.connections, throughput)),
            _ => None,
        };
        let schedule = open
            .then(|| schedule_health(&measured.backlog, per_second(recorder.sent, seconds), spec));
        let mut report = LoadReport {
            schema_version: SCHEMA,
            url: spec.target.url.clone(),
            method: spec.method.clone(),
            mode: if open { "open-loop" } else { "closed-loop" },
            rate: match spec.mode {
                Mode::Open { rate_per_s } => Some(rate_per_s),
                Mode::Closed => None,
            },
            connections: spec.connections,
            threads: spec.threads,
            duration_s: seconds,
            stopped_early: measured.stopped_early,
            warmup_s: spec.warmup.as_secs_f64(),
            timeout_s: spec.timeout.as_secs_f64(),
            requests: recorder.ok,
            throughput_per_s: throughput,
            errors: recorder.errors,
            errors_total: recorder.errors.total(),
            in_flight_at_end: recorder.in_flight_at_end,
            still_due_at_end: open.then(|| {
                let still = recorder.still_due;
                StillDueAtEnd {
                    count: still.count(),
                    in_flight: still.in_flight,
                    unsent: still.unsent,
                    longest_ms: still.longest.as_secs_f64() * 1e3,
                }
            }),
            latency,
            littles_law,
            schedule,
            generator: cost(measured.cpu.user, measured.cpu.system, recorder.ok),
            server: spec
                .server_pid
                .zip(measured.server_cpu)
                .map(|(pid, cpu)| ServerCost {
                    pid,
                    cost: cost(cpu.user, cpu.sys, recorder.ok),
                }),
            machine: MachineDuringRun {
                cores: std::thread::available_parallelism().map_or(1, usize::from),
                steal_percent: measured.busy.steal_percent,
                busy_percent: measured.busy.busy_percent,
            },
            warnings: Vec::new(),
        };
        report.warnings = warnings(&report);
        report
    }
}

/// CPU time, and the successful requests per second of it (zero without CPU time).
fn cost(user: std::time::Duration, system: std::time::Duration, requests: u64) -> GeneratorCost {
    let cpu_s = (user + system).as_secs_f64();
    GeneratorCost {
        cpu_user_s: user.as_secs_f64(),
        cpu_system_s: system.as_secs_f64(),
        cpu_s,
        requests_per_cpu_s: if cpu_s > 0.0 {
            requests as f64 / cpu_s
        } else {
            0.0
        },
    }
}

/// `count` per second of `seconds`; zero for a measured phase that never began (a stop during the
/// warm-up), rather than NaN, which JSON cannot carry.
fn per_second(count: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        count as f64 / seconds
    } else {
        0.0
    }
}

fn ms(ns: u64) -> f64 {
    ns as f64 / 1e6
}

/// The summary of one histogram of nanoseconds; `None` when it is empty.
pub fn summarize(histogram: &Histogram<u64>) -> Option<Summary> {
    if histogram.is_empty() {
        return None;
    }
    let at = |p: f64| ms(histogram.value_at_quantile(p / 100.0));
    Some(Summary {
        count: histogram.len(),
        mean_ms: histogram.mean() / 1e6,
        stdev_ms: histogram.stdev() / 1e6,
        min_ms: ms(histogram.min()),
        p50_ms: at(50.0),
        p90_ms: at(90.0),
        p99_ms: at(99.0),
        p99_9_ms: at(99.9),
        max_ms: ms(histogram.max()),
        percentiles: PERCENTILES
            .iter()
            .map(|&percentile| Percentile {
                percentile,
                ms: at(percentile),
            })
            .collect(),
        spectrum: histogram
            .iter_quantiles(SPECTRUM_TICKS_PER_HALF)
            .map(|v| SpectrumPoint {
                percentile: v.quantile_iterated_to() * 100.0,
                ms: ms(v.value_iterated_to()),
                count: v.count_since_last_iteration(),
            })
            .collect(),
    })
}

/// Little's law (L = λW) with L = connections, always busy in a closed loop.
pub fn littles_law(mean_latency_ms: f64, connections: usize, throughput_per_s: f64) -> LittlesLaw {
    let predicted_ms = if throughput_per_s > 0.0 {
        connections as f64 / throughput_per_s * 1e3
    } else {
        f64::INFINITY
    };
    LittlesLaw {
        mean_latency_ms,
        predicted_ms,
        relative_difference: mean_latency_ms / predicted_ms - 1.0,
    }
}

fn schedule_health(backlog: &[u64], sent_per_s: f64, spec: &LoadSpec) -> ScheduleHealth {
    let rate = match spec.mode {
        Mode::Open { rate_per_s } => rate_per_s,
        Mode::Closed => 0.0,
    };
    ScheduleHealth {
        sent_per_s,
        backlog_max: backlog.iter().copied().max().unwrap_or(0),
        backlog_end: backlog.last().copied().unwrap_or(0),
        overloaded: still_growing(backlog, (rate * 0.01).max(1.0)),
    }
}

/// Whether the backlog kept growing over the last half of the run: its mean over the last
/// quarter exceeds its mean over the quarter before by more than `floor` requests (10 ms worth
/// at the target rate). A stall that the server recovers from drains before the end and is not
/// flagged; a server slower than the rate grows the backlog linearly and is.
pub fn still_growing(backlog: &[u64], floor: f64) -> bool {
    let n = backlog.len();
    if n < 4 {
        return false;
    }
    let mean = |s: &[u64]| s.iter().sum::<u64>() as f64 / s.len() as f64;
    let third = mean(&backlog[n / 2..n * 3 / 4]);
    let fourth = mean(&backlog[n * 3 / 4..]);
    fourth > third + floor
}

fn warnings(report: &LoadReport) -> Vec<Warning> {
    let mut warnings = Vec::new();
    // A stop before the measured phase leaves nothing to succeed: not the server's fault.
    if report.requests == 0 && report.duration_s > 0.0 {
        warnings.push(Warning::NothingSucceeded);
    }
    if let Some(schedule) = report.schedule.filter(|s| s.overloaded) {
        warnings.push(Warning::Overloaded {
            backlog_end: schedule.backlog_end,
        });
    }
    if let (Some(lag), Some(raw)) = (&report.latency.send_lag, &report.latency.raw) {
        // The reference's health check: the pacer's error must be well below the server's time.
        if lag.p99_ms > raw.p50_ms.max(1.0) {
            warnings.push(Warning::SentLate {
                send_lag_p99_ms: lag.p99_ms,
                raw_p50_ms: raw.p50_ms,
            });
        }
    }
    if let Some(law) = report.littles_law {
        if law.relative_difference.abs() > LITTLE_TOLERANCE && report.requests > 0 {
            warnings.push(Warning::LittlesLaw {
                relative_difference: law.relative_difference,
            });
        }
    }
    if report.machine.steal_percent > HIGH_STEAL_PERCENT {
        warnings.push(Warning::Steal {
            percent: report.machine.steal_percent,
        });
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_a_known_histogram() {
        let mut h = Histogram::<u64>::new_with_bounds(1, 3_600_000_000_000, 3).unwrap();
        for ms in 1..=1000u64 {
            h.record(ms * 1_000_000).unwrap();
        }
        let s = summarize(&h).unwrap();
        assert_eq!(s.count, 1000);
        let close = |a: f64, b: f64| (a - b).abs() <= b * 0.002;
        assert!(close(s.p50_ms, 500.0), "{}", s.p50_ms);
        assert!(close(s.p99_ms, 990.0), "{}", s.p99_ms);
        assert!(close(s.max_ms, 1000.0) && close(s.min_ms, 1.0));
        assert!(close(s.mean_ms, 500.5));
        assert_eq!(s.percentiles.len(), PERCENTILES.len());
        assert_eq!(s.percentiles[1].percentile, 50.0);
        let last = s.spectrum.last().unwrap();
        assert_eq!(last.percentile, 100.0);
        assert_eq!(s.spectrum.iter().map(|p| p.count).sum::<u64>(), 1000);
        assert!(s.spectrum.windows(2).all(|w| w[0].ms <= w[1].ms));
        assert!(summarize(&Histogram::<u64>::new(3).unwrap()).is_none());
    }

    #[test]
    fn littles_law_difference() {
        // 16 connections at 16,000 req/s: 1 ms each.
        let exact = littles_law(1.0, 16, 16_000.0);
        assert!((exact.predicted_ms - 1.0).abs() < 1e-12);
        assert!(exact.relative_difference.abs() < 1e-12);
        assert!((littles_law(1.2, 16, 16_000.0).relative_difference - 0.2).abs() < 1e-9);
        assert!(littles_law(1.0, 16, 0.0).predicted_ms.is_infinite());
    }

    #[test]
    fn growth_over_the_last_half_is_overload_and_a_drained_stall_is_not() {
        let linear: Vec<u64> = (0..200).map(|i| i * 3).collect();
        assert!(still_growing(&linear, 10.0));
        let mut stall = vec![0u64; 200];
        for (i, v) in stall.iter_mut().enumerate().take(130).skip(80) {
            *v = ((i - 80) * 6) as u64;
        }
        assert!(!still_growing(&stall, 10.0));
        assert!(!still_growing(&[0; 200], 1.0));
        let noisy: Vec<u64> = (0..200).map(|i| (i % 3) as u64).collect();
        assert!(!still_growing(&noisy, 1.0));
        assert!(!still_growing(&[1, 2, 3], 0.0));
    }

    #[test]
    fn warnings_tell_what_to_do() {
        let overloaded = Warning::Overloaded { backlog_end: 500 }.to_string();
        assert!(overloaded.contains("lower --rate"));
        let value = serde_json::to_value(Warning::Steal { percent: 12.0 }).unwrap();
        assert_eq!(value["kind"], "steal");
    }
}
