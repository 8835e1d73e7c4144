//! What one generator thread keeps: HDR histograms (fixed memory, 3 significant digits, values in
//! nanoseconds) and counters. Never a record per request: the histograms are merged across
//! threads at the end (HdrHistogram's `add`), whatever the length of the run.

use std::time::Duration;

use hdrhistogram::Histogram;
use serde::Serialize;

/// Highest latency a histogram holds (larger values are clamped to it): an hour, in ns.
const HIGHEST_NS: u64 = 3_600_000_000_000;
const SIGNIFICANT_DIGITS: u8 = 3;

/// Why a request did not produce a successful answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The TCP connection could not be opened (refused, unreachable, connect timeout).
    Connect,
    /// No complete answer within `--timeout`.
    Timeout,
    /// A well-formed answer whose status is not 2xx.
    Status,
    /// A 2xx answer whose body is not byte for byte the `--expect-body` file.
    WrongBody,
    /// An answer that could not be parsed or framed.
    BadResponse,
    /// The connection failed while sending or receiving (reset, closed by the server).
    Io,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 6] = [
        ErrorKind::Connect,
        ErrorKind::Timeout,
        ErrorKind::Status,
        ErrorKind::WrongBody,
        ErrorKind::BadResponse,
        ErrorKind::Io,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Connect => "connect",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Status => "status",
            ErrorKind::WrongBody => "wrong-body",
            ErrorKind::BadResponse => "bad-response",
            ErrorKind::Io => "io",
        }
    }
}

/// Errors by kind, over the measured phase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ErrorCounts {
    pub connect: u64,
    pub timeout: u64,
    /// Non-2xx answers.
    pub status: u64,
    /// 2xx answers whose body differs from the expected one (`--expect-body`).
    pub wrong_body: u64,
    pub bad_response: u64,
    pub io: u64,
}

impl ErrorCounts {
    pub fn get(&self, kind: ErrorKind) -> u64 {
        match kind {
            ErrorKind::Connect => self.connect,
            ErrorKind::Timeout => self.timeout,
            ErrorKind::Status => self.status,
            ErrorKind::WrongBody => self.wrong_body,
            ErrorKind::BadResponse => self.bad_response,
            ErrorKind::Io => self.io,
        }
    }

    fn slot(&mut self, kind: ErrorKind) -> &mut u64 {
        match kind {
            ErrorKind::Connect => &mut self.connect,
            ErrorKind::Timeout => &mut self.timeout,
            ErrorKind::Status => &mut self.status,
            ErrorKind::WrongBody => &mut self.wrong_body,
            ErrorKind::BadResponse => &mut self.bad_response,
            ErrorKind::Io => &mut self.io,
        }
    }

    pub fn total(&self) -> u64 {
        ErrorKind::ALL.iter().map(|&k| self.get(k)).sum()
    }

    fn add(&mut self, other: &ErrorCounts) {
        for kind in ErrorKind::ALL {
            *self.slot(kind) += other.get(kind);
        }
    }
}

/// The timings of one successful request.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Closed loop: from the send. Open loop: from the intended send time (CO corrected).
    pub latency: Duration,
    /// Open loop only: from the actual send to the end of the answer.
    pub raw: Duration,
    /// Open loop only: actual send − intended send time.
    pub send_lag: Duration,
}

/// One thread's histograms and counters; merged into one at the end.
#[derive(Debug)]
pub struct Recorder {
    /// Closed loop: service time. Open loop: latency from the intended time.
    pub latency: Histogram<u64>,
    /// Open loop only.
    pub raw: Option<Histogram<u64>>,
    /// Open loop only.
    pub send_lag: Option<Histogram<u64>>,
    /// Successful answers that arrived in the measured phase (the throughput).
    pub ok: u64,
    /// Errors that happened in the measured phase.
    pub errors: ErrorCounts,
    /// Requests sent in the measured phase.
    pub sent: u64,
    /// Requests still unanswered when the run ended (not counted otherwise).
    pub in_flight_at_end: u64,
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, HIGHEST_NS, SIGNIFICANT_DIGITS)
        .expect("constant bounds are valid")
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

impl Recorder {
    pub fn new(open_loop: bool) -> Recorder {
        Recorder {
            latency: histogram(),
            raw: open_loop.then(histogram),
            send_lag: open_loop.then(histogram),
            ok: 0,
            errors: ErrorCounts::default(),
            sent: 0,
            in_flight_at_end: 0,
        }
    }

    /// A successful answer in the measured phase; its latencies count only when the request
    /// started there too (sent in a closed loop, due in an open one), which `timing` says.
    pub fn success(&mut self, timing: Option<Timing>) {
        self.ok += 1;
        let Some(timing) = timing else {
            return;
        };
        // saturating_record clamps to the histogram's range instead of failing.
        self.latency.saturating_record(nanos(timing.latency).max(1));
        if let Some(raw) = &mut self.raw {
            raw.saturating_record(nanos(timing.raw).max(1));
        }
        if let Some(lag) = &mut self.send_lag {
            lag.saturating_record(nanos(timing.send_lag).max(1));
        }
    }

    pub fn error(&mut self, kind: ErrorKind) {
        *self.errors.slot(kind) += 1;
    }

    /// Adds `other` (another thread's) into this one.
    pub fn merge(&mut self, other: &Recorder) {
        let add = |into: &mut Histogram<u64>, from: &Histogram<u64>| {
            into.add(from).expect("histograms share their bounds");
        };
        add(&mut self.latency, &other.latency);
        if let (Some(into), Some(from)) = (&mut self.raw, &other.raw) {
            add(into, from);
        }
        if let (Some(into), Some(from)) = (&mut self.send_lag, &other.send_lag) {
            add(into, from);
        }
        self.ok += other.ok;
        self.sent += other.sent;
        self.errors.add(&other.errors);
        self.in_flight_at_end += other.in_flight_at_end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(ms: u64) -> Timing {
        Timing {
            latency: Duration::from_millis(ms),
            raw: Duration::from_millis(ms / 2),
            send_lag: Duration::from_micros(ms),
        }
    }

    #[test]
    fn records_and_merges_across_threads() {
        let mut a = Recorder::new(true);
        let mut b = Recorder::new(true);
        for ms in 1..=100 {
            a.success(Some(timing(ms)));
            b.success(Some(timing(ms + 100)));
        }
        b.success(None);
        a.error(ErrorKind::Connect);
        b.error(ErrorKind::Status);
        b.error(ErrorKind::Status);
        a.merge(&b);
        assert_eq!(a.ok, 201);
        assert_eq!(a.latency.len(), 200);
        assert_eq!(a.raw.as_ref().unwrap().len(), 200);
        assert_eq!(a.send_lag.as_ref().unwrap().len(), 200);
        let p50_ms = a.latency.value_at_quantile(0.5) as f64 / 1e6;
        assert!((p50_ms - 100.0).abs() < 0.2, "{p50_ms}");
        assert_eq!(a.errors.connect, 1);
        assert_eq!(a.errors.status, 2);
        assert_eq!(a.errors.total(), 3);
    }

    #[test]
    fn closed_loop_keeps_one_histogram_and_clamps_huge_values() {
        let mut r = Recorder::new(false);
        assert!(r.raw.is_none() && r.send_lag.is_none());
        r.success(Some(Timing {
            latency: Duration::from_secs(10 * 3600),
            raw: Duration::ZERO,
            send_lag: Duration::ZERO,
        }));
        assert_eq!(r.latency.len(), 1);
        assert!(r.latency.max() >= HIGHEST_NS / 2);
    }

    #[test]
    fn every_kind_is_counted_under_its_json_name() {
        let mut r = Recorder::new(false);
        for (n, kind) in ErrorKind::ALL.into_iter().enumerate() {
            for _ in 0..=n {
                r.error(kind);
            }
        }
        let json = serde_json::to_value(r.errors).unwrap();
        for (n, kind) in ErrorKind::ALL.into_iter().enumerate() {
            let field = kind.as_str().replace('-', "_");
            assert_eq!(json[&field], n as u64 + 1, "{field}");
            assert_eq!(r.errors.get(kind), n as u64 + 1);
        }
        assert_eq!(json.as_object().unwrap().len(), ErrorKind::ALL.len());
    }
}
