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

use std::cell::{Cell, RefCell};
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::time::timeout_at;

use super::connection::Connection;
use super::pacer::{self, Pacer, Schedule};
use super::recorder::{ErrorKind, Recorder, Timing};
use super::request;
use super::spec::{LoadSpec, Mode};
use super::usage::CpuTime;
use super::watchdog::Watchdog;
use crate::machine::{Busy, BusyMeter};

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
    /// Length of the measured phase.
    pub measured: Duration,
    /// Open loop: due-but-unsent requests, sampled every 10 ms over the measured phase.
    pub backlog: Vec<u64>,
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

/// Runs `spec` to the end and returns what it measured.
pub fn run(spec: &LoadSpec) -> anyhow::Result<Measurement> {
    let request: Arc<[u8]> = request::serialise(spec).into();
    let t0 = Instant::now() + STARTUP_LEAD;
    let timeline = Timeline {
        measure_start: t0 + spec.warmup,
        end: t0 + spec.warmup + spec.duration,
    };
    let plans = plan_threads(spec, t0);
    let schedules: Vec<Schedule> = plans.iter().filter_map(|p| p.schedule).collect();
    let taken: Vec<Arc<AtomicU64>> = plans.iter().map(|p| Arc::clone(&p.taken)).collect();
    let mut handles = Vec::with_capacity(plans.len());
    for (i, plan) in plans.into_iter().enumerate() {
        let thread = ThreadContext::new(spec, Arc::clone(&request), timeline, plan);
        let handle = std::thread::Builder::new()
            .name(format!("versus-load-{i}"))
            .spawn(move || thread.run())
            .context("cannot start a load generator thread")?;
        handles.push(handle);
    }
    let clock = keep_clock(timeline, &schedules, &taken);
    let mut merged = Recorder::new(matches!(spec.mode, Mode::Open { .. }));
    for handle in handles {
        let recorder = handle
            .join()
            .map_err(|_| anyhow::anyhow!("a load generator thread panicked"))??;
        merged.merge(&recorder);
    }
    Ok(Measurement {
        recorder: merged,
        measured: spec.duration,
        backlog: clock.backlog,
        cpu: clock.cpu,
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
    busy: Busy,
}

/// Waits out the run; over the measured phase, samples the backlog and the CPU counters.
fn keep_clock(timeline: Timeline, schedules: &[Schedule], taken: &[Arc<AtomicU64>]) -> Clock {
    sleep_until(timeline.measure_start);
    let cpu_start = CpuTime::of_process();
    let meter = BusyMeter::start();
    let mut backlog = Vec::new();
    let mut counts = vec![0; taken.len()];
    loop {
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
        sleep_until((now + SAMPLE_EVERY).min(timeline.end));
    }
    Clock {
        backlog,
        cpu: CpuTime::of_process().since(cpu_start),
        busy: meter.finish(),
    }
}

fn sleep_until(at: Instant) {
    std::thread::sleep(at.saturating_duration_since(Instant::now()));
}

/// One generator thread: its runtime's shared state, used by all its connection tasks.
struct ThreadContext {
    request: Arc<[u8]>,
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
    fn new(spec: &LoadSpec, request: Arc<[u8]>, timeline: Timeline, plan: ThreadPlan) -> Self {
        ThreadContext {
            request,
            addr: spec.target.addr,
            head_request: spec.method == "HEAD",
            expected_body: spec.expected_body.clone(),
            timeout: spec.timeout,
            timeline,
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
            let mut panicked = false;
            for task in tasks {
                panicked |= task.await.is_err();
            }
            panicked
        });
        anyhow::ensure!(
            !panicked,
            "a connection task of the load generator panicked"
        );
        let open_loop = context.schedule.is_some();
        Ok(context.recorder.replace(Recorder::new(open_loop)))
    }

    /// One connection: (re)open when needed, pace (open loop), exchange, record; until the end.
    async fn connection_task(self: Rc<Self>) {
        let mut conn = Connection::new();
        let mut pacer = Pacer::new();
        let mut watchdog = Watchdog::new();
        while Instant::now() < self.timeline.end {
            if !conn.is_open() && !self.open(&mut conn).await {
                continue;
            }
            let intended = match &self.schedule {
                None => None,
                Some(schedule) => {
                    let n = self.next.get();
                    self.next.set(n + 1);
                    self.taken.store(n + 1, Ordering::Relaxed);
                    let due = schedule.due(n);
                    if due >= self.timeline.end {
                        return;
                    }
                    pacer.wait_until(due).await;
                    Some(due)
                }
            };
            self.request(&mut conn, &mut watchdog, intended).await;
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
            if Instant::now() >= self.timeline.measure_start {
                self.recorder.borrow_mut().error(kind);
            }
            let pause = (Instant::now() + CONNECT_BACKOFF).min(self.timeline.end);
            tokio::time::sleep_until(pause.into()).await;
        }
        false
    }

    /// Sends one request and records its outcome. Answers and errors count when they happen
    /// in the measured phase; latencies when the request also started there.
    async fn request(
        &self,
        conn: &mut Connection,
        watchdog: &mut Watchdog,
        intended: Option<Instant>,
    ) {
        let sent = Instant::now();
        let deadline = (sent + self.timeout).min(self.timeline.end);
        let expected = self.expected_body.as_deref();
        let exchange = conn.exchange(&self.request, self.head_request, expected);
        let result = watchdog.run(deadline, exchange).await;
        let done = Instant::now();
        let outcome = match result {
            Some(Ok(answer)) => {
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
            Some(Err(kind)) => {
                conn.close();
                Err(kind)
            }
            None => {
                conn.close();
                Err(ErrorKind::Timeout)
            }
        };
        let start = intended.unwrap_or(sent);
        let measure_start = self.timeline.measure_start;
        let mut recorder = self.recorder.borrow_mut();
        if sent >= measure_start {
            recorder.sent += 1;
        }
        match outcome {
            // Cut off by the end of the run, not by --timeout.
            Err(ErrorKind::Timeout) if deadline == self.timeline.end => {
                recorder.in_flight_at_end += 1;
            }
            _ if done < measure_start => {}
            Ok(()) => recorder.success((start >= measure_start).then(|| Timing {
                latency: done - start,
                raw: done - sent,
                send_lag: sent.saturating_duration_since(start),
            })),
            Err(kind) => recorder.error(kind),
        }
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
