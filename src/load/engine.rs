//! The engine: generator threads, each with its own `current_thread` tokio runtime and its share
//! of the connections (oha's fast path and wrk's thread model), so the hot path takes no lock and
//! crosses no thread. Each connection is one task that loops: (open loop: take the thread's next
//! index and wait until it is due), send, read the answer, record. The calling thread only keeps
//! the clock: it samples the open-loop backlog, the process's CPU time and /proc/stat.
//!
//! Timeline: t0 (a few ms after start, so every runtime is up) ─ warm-up ─ measure_start ─
//! duration ─ end. Answers and errors count when they happen in the measured phase (that is the
//! throughput); latencies count for requests that also started in it (sent, in a closed loop;
//! due, in an open loop). A request still unanswered at the end is in flight, not an error.
//!
//! A stop (the spec's flag, or Ctrl-C) ends the run early: the clock sees it at its next sample
//! (every 10 ms, warm-up included), and the measured phase ends there. Each generator thread then
//! aborts its connection tasks; their requests, and answers that arrive after the stop, are in
//! flight, like those cut off by the planned end.
//!
//! **Every request due counts** (open loop). "The end" is the end of the measured phase: its
//! planned end, or the stop. A request due before it and unanswered by then is either in flight
//! (sent, no answer yet) or unsent (queued for a free connection: every connection was waiting on
//! a slow server). Both are counted in the corrected histogram at the wait they had reached at the
//! end, end − due time: a lower bound of their latency, so every corrected percentile is a lower
//! bound of the true one, where leaving them out would bias the tail low by exactly the requests
//! a stall holds back (475 of them in one run of the stall). The report gives their
//! number (`still_due_at_end`). The alternative, waiting for them up to `--timeout` after the
//! end, was not taken: it would send the queued ones in a burst after the measured phase (another
//! load than the one asked for, against a server that has meanwhile recovered), stretch every
//! backend start by up to the timeout when a server hangs, and break the length of the phase that
//! throughput and the server's CPU time are divided by. wrk2 and oha end at the deadline too
//! (wrk2 drops unfinished requests silently; oha counts those in flight as "aborted due to
//! deadline", and waits for them only with `-w`); we keep their deadline and count what is known
//! of each request instead of dropping it. Raw latencies and send lags need an answer (and a
//! send), so they hold answered requests only. The closed loop is left as it was: its service
//! times are not due times, at most one request per connection is cut off, and they are counted
//! as `in_flight_at_end`.

use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::net::SocketAddr;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::task::JoinHandle;
use tokio::time::timeout_at;

use super::connection::{Answer, Connection};
use super::pacer::{self, Pacer, Schedule};
use super::recorder::{ErrorKind, Recorder, Timing};
use super::request;
use super::spec::{LoadSpec, Mode};
use super::usage::CpuTime;
use super::watchdog::Watchdog;
use crate::machine::{Busy, BusyMeter};
use crate::proctable::TreeCpu;

/// Time for the threads to start their runtimes before the schedule's t0.
const STARTUP_LEAD: Duration = Duration::from_millis(20);
/// Pause after a failed connect, so a closed port is counted, not spun on.
const CONNECT_BACKOFF: Duration = Duration::from_millis(10);
/// How often the open-loop backlog is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(10);

/// Everything one run measured, before any statistics.
#[derive(Debug)]
pub struct Measurement {
    /// All threads' histograms and counters, merged.
    pub recorder: Recorder,
    /// Length of the measured phase: the planned duration, or less when stopped early.
    pub measured: Duration,
    /// A stop (the spec's flag, or Ctrl-C) ended the run before its planned end.
    pub stopped_early: bool,
    /// Open loop: due-but-unsent requests, sampled every 10 ms over the measured phase.
    pub backlog: Vec<u64>,
    /// The server tree's CPU time over the measured phase, when its pid was known.
    pub server_cpu: Option<TreeCpu>,
    /// The whole process's CPU time over the measured phase.
    pub cpu: CpuTime,
    /// Steal and busy shares of the machine over the measured phase (/proc/stat).
    pub busy: Busy,
}

#[derive(Clone, Copy, Debug)]
struct Timeline {
    measure_start: Instant,
    end: Instant,
}

/// What one thread runs: its connections, and its share of the schedule.
struct ThreadPlan {
    connections: usize,
    schedule: Option<Schedule>,
    taken: Arc<AtomicU64>,
}

/// The early stop: requested by the spec's flag or by Ctrl-C, raised once by the clock thread,
/// seen by every generator thread.
struct Stop {
    flag: Option<Arc<AtomicBool>>,
    /// When the clock raised it: answers after this are in flight, not counted.
    at: OnceLock<Instant>,
    /// The generator threads' runtimes, woken to abort their connection tasks.
    wakers: Mutex<Vec<Waker>>,
}

impl Stop {
    fn new(flag: Option<Arc<AtomicBool>>) -> Stop {
        Stop {
            flag,
            at: OnceLock::new(),
            wakers: Mutex::new(Vec::new()),
        }
    }

    fn requested(&self) -> bool {
        self.flag.as_ref().is_some_and(|f| f.load(Ordering::SeqCst))
            || crate::interrupt::is_interrupted()
    }

    fn raise(&self, at: Instant) {
        let _ = self.at.set(at);
        let wakers =
            std::mem::take(&mut *self.wakers.lock().unwrap_or_else(PoisonError::into_inner));
        wakers.into_iter().for_each(Waker::wake);
    }

    /// Whether the stop was raised by `time` (one atomic load: cheap enough per request).
    #[inline]
    fn cuts(&self, time: Instant) -> bool {
        self.at.get().is_some_and(|&at| time >= at)
    }

    /// Ready once raised. A LocalSet polls its outer future on every scheduler tick, so the
    /// waker is registered only when it is new (`registered` remembers it): the other polls cost
    /// one atomic load, not a lock.
    fn poll_raised(
        &self,
        cx: &mut std::task::Context<'_>,
        registered: &mut Option<Waker>,
    ) -> Poll<()> {
        if self.at.get().is_some() {
            return Poll::Ready(());
        }
        if registered.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            return Poll::Pending;
        }
        // Checked again under the lock that `raise` takes after setting `at`: no wake-up is lost.
        let mut wakers = self.wakers.lock().unwrap_or_else(PoisonError::into_inner);
        if self.at.get().is_some() {
            return Poll::Ready(());
        }
        wakers.push(cx.waker().clone());
        *registered = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// Runs `spec` to its end, or to an early stop, and returns what it measured.
pub fn run(spec: &LoadSpec) -> anyhow::Result<Measurement> {
    let request: Arc<[u8]> = request::serialise(spec).into();
    let t0 = Instant::now() + STARTUP_LEAD;
    let timeline = Timeline {
        measure_start: t0 + spec.warmup,
        end: t0 + spec.warmup + spec.duration,
    };
    let plans = plan_threads(spec, t0);
    let stop = Arc::new(Stop::new(spec.stop.clone()));
    let schedules: Vec<Schedule> = plans.iter().filter_map(|p| p.schedule).collect();
    let taken: Vec<Arc<AtomicU64>> = plans.iter().map(|p| Arc::clone(&p.taken)).collect();
    let mut handles = Vec::with_capacity(plans.len());
    for (i, plan) in plans.into_iter().enumerate() {
        let shared = Shared {
            request: Arc::clone(&request),
            timeline,
            stop: Arc::clone(&stop),
        };
        let thread = ThreadContext::new(spec, shared, plan);
        let handle = std::thread::Builder::new()
            .name(format!("versus-load-{i}"))
            .spawn(move || thread.run())
            .context("cannot start a load generator thread")?;
        handles.push(handle);
    }
    let clock = keep_clock(timeline, &schedules, &taken, &stop, spec.server_pid);
    let mut merged = Recorder::new(matches!(spec.mode, Mode::Open { .. }));
    for handle in handles {
        let recorder = handle
            .join()
            .map_err(|_| anyhow::anyhow!("a load generator thread panicked"))??;
        merged.merge(&recorder);
    }
    Ok(Measurement {
        recorder: merged,
        measured: clock.stopped_at.map_or(spec.duration, |at| {
            at.saturating_duration_since(timeline.measure_start)
        }),
        stopped_early: clock.stopped_at.is_some(),
        backlog: clock.backlog,
        cpu: clock.cpu,
        server_cpu: clock.server_cpu,
        busy: clock.busy,
    })
}

/// Splits the connections evenly over the threads, in contiguous ranges.
fn plan_threads(spec: &LoadSpec, t0: Instant) -> Vec<ThreadPlan> {
    let threads = spec.threads.clamp(1, spec.connections);
    let mut first = 0;
    (0..threads)
        .map(|i| {
            let connections =
                spec.connections / threads + usize::from(i < spec.connections % threads);
            let schedule = match spec.mode {
                Mode::Closed => None,
                Mode::Open { rate_per_s } => Some(Schedule::new(
                    t0,
                    rate_per_s,
                    spec.connections,
                    first,
                    connections,
                )),
            };
            first += connections;
            ThreadPlan {
                connections,
                schedule,
                taken: Arc::new(AtomicU64::new(0)),
            }
        })
        .collect()
}

/// What the calling thread saw while the generator threads ran.
struct Clock {
    backlog: Vec<u64>,
    cpu: CpuTime,
    server_cpu: Option<TreeCpu>,
    busy: Busy,
    /// When a stop ended the run early.
    stopped_at: Option<Instant>,
}

/// Waits out the run, or until a stop is requested (which it then raises); over the measured
/// phase, samples the backlog and the CPU counters.
fn keep_clock(
    timeline: Timeline,
    schedules: &[Schedule],
    taken: &[Arc<AtomicU64>],
    stop: &Stop,
    server_pid: Option<i32>,
) -> Clock {
    let mut stopped_at = warm_up(timeline.measure_start, stop);
    let cpu_start = CpuTime::of_process();
    let server_start = server_pid.map(TreeCpu::of);
    let meter = BusyMeter::start();
    let mut backlog = Vec::new();
    let mut counts = vec![0; taken.len()];
    while stopped_at.is_none() {
        let now = Instant::now();
        if !schedules.is_empty() {
            for (count, taken) in counts.iter_mut().zip(taken) {
                *count = taken.load(Ordering::Relaxed);
            }
            backlog.push(pacer::backlog(schedules, &counts, now));
        }
        if now >= timeline.end {
            break;
        }
        if stop.requested() {
            stopped_at = Some(now);
            break;
        }
        sleep_until((now + SAMPLE_EVERY).min(timeline.end));
    }
    if let Some(at) = stopped_at {
        stop.raise(at);
    }
    let cpu = CpuTime::of_process().since(cpu_start);
    let server_cpu = server_pid
        .zip(server_start)
        .map(|(pid, start)| TreeCpu::of(pid).since(start));
    Clock {
        backlog,
        cpu,
        server_cpu,
        busy: meter.finish(),
        stopped_at,
    }
}

/// Sleeps until the measured phase starts, looking for a stop every sample; when one is
/// requested, returns when.
fn warm_up(measure_start: Instant, stop: &Stop) -> Option<Instant> {
    loop {
        let now = Instant::now();
        if now >= measure_start {
            return None;
        }
        if stop.requested() {
            return Some(now);
        }
        sleep_until((now + SAMPLE_EVERY).min(measure_start));
    }
}

fn sleep_until(at: Instant) {
    std::thread::sleep(at.saturating_duration_since(Instant::now()));
}

/// What every generator thread shares with the others.
struct Shared {
    request: Arc<[u8]>,
    timeline: Timeline,
    stop: Arc<Stop>,
}

/// Awaits every connection task; once the stop is raised, aborts those still running first.
/// Returns whether any panicked.
async fn join_or_abort(mut tasks: Vec<JoinHandle<()>>, stop: &Stop) -> bool {
    let mut panicked = false;
    let mut aborted = false;
    let mut next = 0;
    let mut registered = None;
    poll_fn(|cx| {
        if !aborted && stop.poll_raised(cx, &mut registered).is_ready() {
            tasks.iter().for_each(JoinHandle::abort);
            aborted = true;
        }
        // In order, each once: O(tasks) over the whole run, however many connections.
        while let Some(task) = tasks.get_mut(next) {
            match Pin::new(task).poll(cx) {
                Poll::Ready(result) => {
                    panicked |= result.is_err_and(|err| err.is_panic());
                    next += 1;
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(())
    })
    .await;
    panicked
}

/// One generator thread: its runtime's shared state, used by all its connection tasks.
struct ThreadContext {
    request: Arc<[u8]>,
    stop: Arc<Stop>,
    addr: SocketAddr,
    head_request: bool,
    /// `--expect-body`: what every 2xx answer's body must be.
    expected_body: Option<Arc<[u8]>>,
    timeout: Duration,
    timeline: Timeline,
    connections: usize,
    schedule: Option<Schedule>,
    /// The thread's next schedule index (open loop), and its published copy for the sampler.
    next: Cell<u64>,
    taken: Arc<AtomicU64>,
    recorder: RefCell<Recorder>,
}

impl ThreadContext {
    fn new(spec: &LoadSpec, shared: Shared, plan: ThreadPlan) -> Self {
        ThreadContext {
            request: shared.request,
            stop: shared.stop,
            addr: spec.target.addr,
            head_request: spec.method == "HEAD",
            expected_body: spec.expected_body.clone(),
            timeout: spec.timeout,
            timeline: shared.timeline,
            connections: plan.connections,
            schedule: plan.schedule,
            next: Cell::new(0),
            taken: plan.taken,
            recorder: RefCell::new(Recorder::new(plan.schedule.is_some())),
        }
    }

    /// Runs this thread's connections to the end of the run; returns its recorder.
    fn run(self) -> anyhow::Result<Recorder> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .context("cannot start a tokio runtime")?;
        let local = tokio::task::LocalSet::new();
        let context = Rc::new(self);
        let panicked = local.block_on(&runtime, async {
            let tasks: Vec<_> = (0..context.connections)
                .map(|_| tokio::task::spawn_local(Rc::clone(&context).connection_task()))
                .collect();
            join_or_abort(tasks, &context.stop).await
        });
        anyhow::ensure!(
            !panicked,
            "a connection task of the load generator panicked"
        );
        // Every task has ended (an aborted one counted its request when it was dropped).
        context.count_never_taken();
        let open_loop = context.schedule.is_some();
        Ok(context.recorder.replace(Recorder::new(open_loop)))
    }

    /// The run is over for new work at `time`: its planned end, or the stop.
    fn over(&self, time: Instant) -> bool {
        time >= self.timeline.end || self.stop.cuts(time)
    }

    /// The end of the measured phase: the planned end, or the stop when it came first.
    fn end(&self) -> Instant {
        self.stop
            .at
            .get()
            .map_or(self.timeline.end, |&at| at.min(self.timeline.end))
    }

    /// A request that got no answer before the end of the run (see [`Pending`]).
    fn count_unanswered(&self, start: Instant, sent: bool) {
        let mut recorder = self.recorder.borrow_mut();
        if sent {
            recorder.in_flight_at_end += 1;
        }
        let end = self.end();
        if self.schedule.is_some() && start >= self.timeline.measure_start && start < end {
            recorder.still_due(end - start, sent);
        }
    }

    /// Open loop: the thread's requests due in the measured phase that no connection ever took
    /// from the schedule (every one was busy), counted at their waits at the end.
    fn count_never_taken(&self) {
        let Some(schedule) = self.schedule else {
            return;
        };
        let end = self.end();
        let measure_start = self.timeline.measure_start;
        // Indexes due in [measure_start, end), from the first not taken: due(n) increases with n.
        let first = first_index(self.next.get(), |n| schedule.due(n) >= measure_start);
        let past = first_index(first, |n| schedule.due(n) >= end);
        self.recorder
            .borrow_mut()
            .still_due_unsent(past - first, |i| end - schedule.due(first + i));
    }

    /// One connection: (re)open when needed, pace (open loop), exchange, record; until the end.
    async fn connection_task(self: Rc<Self>) {
        let mut conn = Connection::new(self.expected_body.clone());
        let mut pacer = Pacer::new();
        let mut watchdog = Watchdog::new();
        while !self.over(Instant::now()) {
            if !conn.is_open() && !self.open(&mut conn).await {
                continue;
            }
            let due = match &self.schedule {
                None => None,
                Some(schedule) => {
                    let n = self.next.get();
                    self.next.set(n + 1);
                    self.taken.store(n + 1, Ordering::Relaxed);
                    let due = schedule.due(n);
                    if due >= self.timeline.end {
                        return;
                    }
                    // Taken: from here on this request counts, whatever happens to the task.
                    let pending = Pending::new(&self, due);
                    pacer.wait_until(due).await;
                    Some(pending)
                }
            };
            self.request(&mut conn, &mut watchdog, due).await;
        }
    }

    /// Opens the connection; on failure counts a connect error and backs off.
    async fn open(&self, conn: &mut Connection) -> bool {
        let started = Instant::now();
        let deadline = (started + self.timeout).min(self.timeline.end);
        let failure = match timeout_at(deadline.into(), conn.connect(self.addr)).await {
            Ok(Ok(())) => return true,
            Ok(Err(kind)) => Some(kind),
            // The run ended while connecting: not the server's fault.
            Err(_) if deadline == self.timeline.end => None,
            Err(_) => Some(ErrorKind::Connect),
        };
        if let Some(kind) = failure {
            let now = Instant::now();
            if now >= self.timeline.measure_start && !self.stop.cuts(now) {
                self.recorder.borrow_mut().error(kind);
            }
            let pause = (Instant::now() + CONNECT_BACKOFF).min(self.timeline.end);
            tokio::time::sleep_until(pause.into()).await;
        }
        false
    }

    /// Sends one request (`due`: its place in the open-loop schedule) and records its outcome.
    /// Answers and errors count when they happen in the measured phase; latencies when the
    /// request also started there.
    async fn request(
        &self,
        conn: &mut Connection,
        watchdog: &mut Watchdog,
        due: Option<Pending<'_>>,
    ) {
        let sent = Instant::now();
        // The run ended, or the stop came, while this connection waited for its due time: the
        // request is never sent (dropping `due` counts it as still due).
        if self.over(sent) {
            return;
        }
        let mut pending = due.unwrap_or_else(|| Pending::new(self, sent));
        pending.sent = true;
        let deadline = (sent + self.timeout).min(self.timeline.end);
        if sent >= self.timeline.measure_start {
            self.recorder.borrow_mut().sent += 1;
        }
        let exchange = conn.exchange(&self.request, self.head_request);
        let result = watchdog.run(deadline, exchange).await;
        let done = Instant::now();
        let outcome = outcome(conn, result);
        let measure_start = self.timeline.measure_start;
        match outcome {
            // Cut off by the end of the run, not by --timeout.
            Err(ErrorKind::Timeout) if deadline == self.timeline.end => pending.unanswered(),
            // Done after a stop, before this task was aborted: as if cut off.
            _ if self.stop.cuts(done) => pending.unanswered(),
            _ if done < measure_start => {
                pending.settle();
            }
            Ok(()) => {
                let start = pending.settle();
                self.recorder
                    .borrow_mut()
                    .success((start >= measure_start).then(|| Timing {
                        latency: done - start,
                        raw: done - sent,
                        send_lag: sent.saturating_duration_since(start),
                    }));
            }
            Err(kind) => {
                pending.settle();
                self.recorder.borrow_mut().error(kind);
            }
        }
    }
}

/// A request of a thread that must be counted exactly once: from when it was taken from the
/// open-loop schedule (or, in a closed loop, sent) until its outcome is recorded. Settled with
/// its outcome, or unanswered at the end of the run; dropped unsettled (its task aborted by a
/// stop, or the run over before it could be sent), it counts as unanswered then. Drop is the one
/// place that sees an aborted task's request: a stop aborts the task wherever it waits.
struct Pending<'a> {
    thread: &'a ThreadContext,
    /// When it was due (open loop) or sent (closed loop).
    start: Instant,
    sent: bool,
    settled: bool,
}

impl<'a> Pending<'a> {
    fn new(thread: &'a ThreadContext, start: Instant) -> Pending<'a> {
        Pending {
            thread,
            start,
            sent: false,
            settled: false,
        }
    }

    /// Its outcome is being recorded by the caller; returns its start.
    #[inline(always)]
    fn settle(&mut self) -> Instant {
        self.settled = true;
        self.start
    }

    /// No answer before the end of the run.
    fn unanswered(&mut self) {
        self.settled = true;
        self.thread.count_unanswered(self.start, self.sent);
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.unanswered();
        }
    }
}

/// The first index from `from` on for which `reached` holds, `reached` being false and then
/// true as the index grows (a due time against a fixed instant): exponential search, then
/// bisection, so a backlog of millions costs a few dozen calls.
fn first_index(from: u64, reached: impl Fn(u64) -> bool) -> u64 {
    if reached(from) {
        return from;
    }
    // reached(lo) is false; find hi with reached(hi) true.
    let (mut lo, mut step) = (from, 1u64);
    let mut hi = loop {
        let candidate = from.saturating_add(step);
        if reached(candidate) || candidate == u64::MAX {
            break candidate;
        }
        lo = candidate;
        step = step.saturating_mul(2);
    };
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reached(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// What an exchange's result counts as; closes the connection when it cannot be reused.
/// Inlined: a call here measured ~30 instructions per request.
#[inline(always)]
fn outcome(
    conn: &mut Connection,
    result: Option<Result<Answer, ErrorKind>>,
) -> Result<(), ErrorKind> {
    let answer = match result {
        Some(Ok(answer)) => answer,
        Some(Err(kind)) => {
            conn.close();
            return Err(kind);
        }
        None => {
            conn.close();
            return Err(ErrorKind::Timeout);
        }
    };
    if answer.close {
        conn.close();
    }
    if !(200..300).contains(&answer.status) {
        Err(ErrorKind::Status)
    } else if !answer.body_matches {
        Err(ErrorKind::WrongBody)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::spec::Target;

    fn spec(connections: usize, threads: usize, mode: Mode) -> LoadSpec {
        LoadSpec {
            target: Target::resolve("http://127.0.0.1:9/").unwrap(),
            method: "GET".into(),
            body: Vec::new(),
            connections,
            threads,
            duration: Duration::from_millis(200),
            warmup: Duration::ZERO,
            timeout: Duration::from_secs(1),
            mode,
            expected_body: None,
            stop: None,
            server_pid: None,
        }
    }

    #[test]
    fn connections_are_split_evenly_and_contiguously() {
        let plans = plan_threads(
            &spec(5, 2, Mode::Open { rate_per_s: 100.0 }),
            Instant::now(),
        );
        let sizes: Vec<usize> = plans.iter().map(|p| p.connections).collect();
        assert_eq!(sizes, [3, 2]);
        let firsts: Vec<u64> = plans.iter().map(|p| p.schedule.unwrap().index(0)).collect();
        assert_eq!(firsts, [0, 3]);
        assert!(plan_threads(&spec(2, 8, Mode::Closed), Instant::now()).len() == 2);
    }

    #[test]
    fn first_index_finds_where_a_monotone_condition_starts_to_hold() {
        assert_eq!(first_index(5, |n| n >= 3), 5);
        assert_eq!(first_index(0, |n| n >= 1), 1);
        assert_eq!(first_index(0, |n| n >= 1_000_003), 1_000_003);
        assert_eq!(first_index(17, |n| n >= 18), 18);
        assert_eq!(first_index(0, |_| false), u64::MAX);
        // Over a schedule: the first request due at or after an instant.
        let t0 = Instant::now();
        let schedule = Schedule::new(t0, 1000.0, 4, 1, 2);
        let at = t0 + Duration::from_millis(250);
        let n = first_index(0, |n| schedule.due(n) >= at);
        assert!(schedule.due(n) >= at && schedule.due(n - 1) < at);
    }

    #[test]
    fn a_closed_port_gives_connect_errors_not_a_hang() {
        // Port 9 (discard) is not listened on here; bind and drop a port to be sure.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut spec = spec(2, 1, Mode::Closed);
        spec.target = Target::resolve(&format!("http://127.0.0.1:{port}/")).unwrap();
        let measured = run(&spec).unwrap();
        assert_eq!(measured.recorder.ok, 0);
        assert!(measured.recorder.errors.connect > 0);
        assert!(measured.backlog.is_empty());
    }
}
