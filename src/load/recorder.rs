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

/// Open loop: the requests due in the measured phase and still unanswered when it ended, which
/// the latency histogram counts at the wait they had reached by then (see the engine).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StillDue {
    /// Sent, and waiting for their answer.
    pub in_flight: u64,
    /// Due, and never sent: queued for a free connection.
    pub unsent: u64,
    /// The longest wait among them: that of the oldest.
    pub longest: Duration,
}

impl StillDue {
    pub fn count(&self) -> u64 {
        self.in_flight + self.unsent
    }
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
    /// Requests sent and still unanswered when the run ended (in either loop).
    pub in_flight_at_end: u64,
    /// Open loop: requests due in the measured phase and unanswered at its end, sent or not;
    /// each is in `latency` at the wait it had reached (a lower bound of its latency).
    pub still_due: StillDue,
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
            still_due: StillDue::default(),
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

    /// Open loop: a request due in the measured phase and unanswered at its end, after waiting
    /// `waited` since its due time; `sent` when it was waiting for its answer.
    pub fn still_due(&mut self, waited: Duration, sent: bool) {
        self.latency.saturating_record(nanos(waited).max(1));
        if sent {
            self.still_due.in_flight += 1;
        } else {
            self.still_due.unsent += 1;
        }
        self.still_due.longest = self.still_due.longest.max(waited);
    }

    /// Open loop: requests due and never sent, given as their waits at the end of the run in
    /// *decreasing* order (`waits` has `count` of them, `waits(i)` the i-th). Each counts as
    /// [`Recorder::still_due`] would count it, but the histogram is filled with one
    /// `record_n` per bucket of equivalent values, found by bisection: an overloaded run can
    /// leave millions of requests queued, and this costs O(buckets × log count) instead.
    pub fn still_due_unsent(&mut self, count: u64, waits: impl Fn(u64) -> Duration) {
        if count == 0 {
            return;
        }
        let value = |i: u64| nanos(waits(i)).max(1);
        let mut i = 0;
        while i < count {
            let v = value(i);
            // Values from `low` up record into v's bucket; the waits decrease, so the requests
            // in it are i..end, with `end` the first whose wait is below `low`.
            let low = self.latency.lowest_equivalent(v.min(HIGHEST_NS));
            let (mut lo, mut hi) = (i + 1, count);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if value(mid) >= low {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            self.latency.saturating_record_n(v, lo - i);
            i = lo;
        }
        self.still_due.unsent += count;
        self.still_due.longest = self.still_due.longest.max(waits(0));
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
        self.still_due.in_flight += other.still_due.in_flight;
        self.still_due.unsent += other.still_due.unsent;
        self.still_due.longest = self.still_due.longest.max(other.still_due.longest);
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
    fn requests_still_due_count_in_the_latency_histogram_only() {
        let mut r = Recorder::new(true);
        r.success(Some(timing(2)));
        r.still_due(Duration::from_millis(300), true);
        r.still_due(Duration::from_millis(100), false);
        assert_eq!(r.latency.len(), 3);
        assert_eq!(r.raw.as_ref().unwrap().len(), 1);
        assert_eq!(r.send_lag.as_ref().unwrap().len(), 1);
        assert_eq!((r.ok, r.still_due.in_flight, r.still_due.unsent), (1, 1, 1));
        assert_eq!(r.still_due.longest, Duration::from_millis(300));
        let mut other = Recorder::new(true);
        other.still_due_unsent(2, |i| Duration::from_millis(500 - i));
        r.merge(&other);
        assert_eq!(r.still_due.count(), 4);
        assert_eq!(r.still_due.longest, Duration::from_millis(500));
        assert_eq!(r.latency.len(), 5);
    }

    proptest::proptest! {
        /// Recording the unsent requests one record_n per bucket gives exactly the histogram of
        /// one record per request.
        #[test]
        fn unsent_requests_recorded_in_bulk_as_one_by_one(
            count in 0u64..3000,
            oldest_ns in 1u64..20_000_000_000,
            spacing_ns in 0u64..5_000_000,
        ) {
            let wait = |i: u64| {
                Duration::from_nanos(oldest_ns.saturating_sub(i.saturating_mul(spacing_ns)))
            };
            let mut bulk = Recorder::new(true);
            bulk.still_due_unsent(count, wait);
            let mut one = Recorder::new(true);
            for i in 0..count {
                one.still_due(wait(i), false);
            }
            proptest::prop_assert_eq!(&bulk.latency, &one.latency);
            proptest::prop_assert_eq!(bulk.still_due, one.still_due);
        }
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
