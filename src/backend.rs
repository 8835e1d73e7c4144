//! The backend step: a server under test (a workload with `[backend]`) is started on a free
//! port of 127.0.0.1, polled until it answers (its cold start), loaded by versus's own
//! generator ([`crate::load`]) and stopped: SIGTERM to its process group, SIGKILL after a grace
//! period. The server runs under the ordinary [`Executor`], so its whole process tree is
//! measured (peak memory), supervised (timeout, Ctrl-C) and killed like any run's; a driver
//! thread does the rest while the executor waits for the server to exit.
//!
//! One run of a backend case is one start of the server: the rounds of the runner interleave
//! the servers, and every start is a sample of the cold start too.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::case::CaseVerdict;
use crate::interrupt;
use crate::load::{self, LoadReport, LoadSpec, Mode, Target};
use crate::manifest::PORT_PLACEHOLDER;
use crate::measure::proctable;
use crate::measure::{Executor, Exit, RunOutcome, RunSpec, Spawned};

/// After SIGTERM, how long a server has to exit before its group is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);
/// One request of the load (and one readiness probe) may take this long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// Between two readiness probes.
const PROBE_EVERY: Duration = Duration::from_millis(5);
/// Starts on another port after "address already in use" (another program took the free
/// port between the check and the server's bind).
const PORT_ATTEMPTS: usize = 3;
/// The metric the maximum is read from.
pub const THROUGHPUT: &str = "throughput_per_s";
/// The name of the point a rate case runs at (`rate=2250`).
pub const RATE_POINT: &str = "rate";
/// The environment variable holding the database file of the suite (`[backend] database`).
pub const DATABASE_VAR: &str = "VERSUS_BACKEND_DB";

/// How a backend case loads its server: the request, and the phase.
#[derive(Clone, Debug)]
pub struct Serve {
    pub method: String,
    pub path: String,
    pub body: Arc<[u8]>,
    /// Every successful answer must carry exactly this body; another is a `wrong-body` error.
    pub expected_body: Arc<[u8]>,
    pub ready_path: String,
    pub ready_timeout: Duration,
    pub connections: usize,
    pub duration: Duration,
    pub warmup: Duration,
    pub rate: Rate,
}

/// The load of one backend case.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rate {
    /// Closed loop: as fast as the server answers (its maximum throughput).
    Maximum,
    /// Open loop at a share of the slowest server's maximum, known once the maximum cases of
    /// the same workload have run (see [`slowest_maximum`]).
    ShareOfSlowest { percent: u32 },
    /// Open loop at this many requests per second.
    Fixed { per_s: u64, percent: u32 },
}

impl Serve {
    /// The time a run may take at most, for the executor's timeout: start, load, stop.
    pub fn run_limit(&self) -> Duration {
        self.ready_timeout + self.warmup + self.duration + STOP_GRACE * 2 + Duration::from_secs(10)
    }
}

/// One start of a server: its outcome as the executor saw it, with the measured phase in
/// place of the wall time and the server tree's CPU time in the phase in place of its
/// lifetime's; the metrics of the load; the verdict.
pub struct Served {
    pub outcome: RunOutcome,
    pub metrics: Vec<(String, f64)>,
    pub verdict: Result<(), (CaseVerdict, String)>,
}

/// Starts the server of `spec` (whose arguments hold `{port}`), loads it as `serve` says,
/// stops it. `Err` only when versus itself cannot go on.
pub fn serve(executor: &mut dyn Executor, spec: &RunSpec, serve: &Serve) -> anyhow::Result<Served> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let port = free_port()?;
        let (outcome, driven) = start_and_drive(executor, spec, serve, port)?;
        let port_taken = matches!(driven, Driven::ExitedBeforeReady)
            && String::from_utf8_lossy(&outcome.stderr_tail)
                .to_lowercase()
                .contains("address already in use");
        if port_taken && attempt < PORT_ATTEMPTS {
            continue;
        }
        return Ok(conclude(serve, outcome, driven));
    }
}

/// A port nobody listens on now (the kernel's choice for port 0).
fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| anyhow::anyhow!("cannot find a free port on 127.0.0.1: {e}"))?;
    Ok(listener.local_addr()?.port())
}

/// What the driver thread saw.
enum Driven {
    /// The executor returned without the server ever starting (it could not be spawned).
    NotStarted,
    ExitedBeforeReady,
    NeverReady,
    Interrupted,
    Loaded(Box<Loaded>),
    /// The load generator itself failed: versus cannot go on.
    Failed(anyhow::Error),
}

struct Loaded {
    cold_start: Duration,
    report: LoadReport,
    server_cpu: TreeCpu,
    /// The server exited on its own before the load ended.
    exited_under_load: bool,
}

fn start_and_drive(
    executor: &mut dyn Executor,
    spec: &RunSpec,
    serve: &Serve,
    port: u16,
) -> anyhow::Result<(RunOutcome, Driven)> {
    let mut spec = spec.clone();
    let port_text = port.to_string();
    for arg in &mut spec.args {
        if let Some(text) = arg.to_str().filter(|a| a.contains(PORT_PLACEHOLDER)) {
            *arg = text.replace(PORT_PLACEHOLDER, &port_text).into();
        }
    }
    spec.timeout = spec.timeout.max(serve.run_limit());
    let (spawned_tx, spawned_rx) = std::sync::mpsc::channel();
    spec.on_spawn = Some(spawned_tx);
    let exited = Arc::new(AtomicBool::new(false));
    std::thread::scope(|scope| {
        let driver = {
            let exited = Arc::clone(&exited);
            std::thread::Builder::new()
                .name("versus-backend".into())
                .spawn_scoped(scope, move || drive(port, serve, &spawned_rx, &exited))?
        };
        let executed = executor.execute(&spec);
        exited.store(true, Ordering::SeqCst);
        let driven = driver
            .join()
            .map_err(|_| anyhow::anyhow!("the backend driver thread panicked"))?;
        Ok((executed?, driven))
    })
}

/// Waits for the server, loads it, stops it.
fn drive(
    port: u16,
    serve: &Serve,
    spawned: &Receiver<Spawned>,
    exited: &Arc<AtomicBool>,
) -> Driven {
    let Some(spawned) = wait_for_spawn(spawned, exited) else {
        return Driven::NotStarted;
    };
    let addr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port));
    let ready = wait_until_ready(addr, serve, spawned, exited);
    let driven = match ready {
        Ready::Yes(cold_start) => match load_server(addr, serve, spawned.pid, exited) {
            Ok((report, server_cpu, exited_under_load)) => Driven::Loaded(Box::new(Loaded {
                cold_start,
                report,
                server_cpu,
                exited_under_load,
            })),
            Err(err) => Driven::Failed(err),
        },
        Ready::Exited => return Driven::ExitedBeforeReady,
        Ready::TimedOut => Driven::NeverReady,
        Ready::Interrupted => Driven::Interrupted,
    };
    stop(spawned.pid, exited);
    driven
}

fn wait_for_spawn(spawned: &Receiver<Spawned>, exited: &AtomicBool) -> Option<Spawned> {
    loop {
        match spawned.recv_timeout(Duration::from_millis(20)) {
            Ok(spawned) => return Some(spawned),
            Err(RecvTimeoutError::Timeout) if !exited.load(Ordering::SeqCst) => continue,
            Err(_) => return None,
        }
    }
}

enum Ready {
    /// The first successful answer came this long after the spawn.
    Yes(Duration),
    Exited,
    TimedOut,
    Interrupted,
}

/// Polls `GET ready_path` until it answers 200.
fn wait_until_ready(
    addr: SocketAddr,
    serve: &Serve,
    spawned: Spawned,
    exited: &AtomicBool,
) -> Ready {
    let deadline = spawned.at + serve.ready_timeout;
    loop {
        if exited.load(Ordering::SeqCst) {
            return Ready::Exited;
        }
        if interrupt::is_interrupted() {
            return Ready::Interrupted;
        }
        if probe(addr, &serve.ready_path) == Some(200) {
            return Ready::Yes(spawned.at.elapsed());
        }
        if Instant::now() >= deadline {
            return Ready::TimedOut;
        }
        std::thread::sleep(PROBE_EVERY);
    }
}

/// The status of `GET path` on a fresh connection, if an answer came.
fn probe(addr: SocketAddr, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, PROBE_TIMEOUT).ok()?;
    stream.set_read_timeout(Some(PROBE_TIMEOUT)).ok()?;
    stream.set_write_timeout(Some(PROBE_TIMEOUT)).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut head = [0u8; 64];
    let mut filled = 0;
    while filled < 12 {
        match stream.read(&mut head[filled..]) {
            Ok(0) | Err(_) => return None,
            Ok(n) => filled += n,
        }
    }
    // "HTTP/1.1 200 …"
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// The warm-up (not counted), then the measured phase, with the server tree's CPU time read
/// just before and just after it.
fn load_server(
    addr: SocketAddr,
    serve: &Serve,
    pid: i32,
    exited: &Arc<AtomicBool>,
) -> anyhow::Result<(LoadReport, TreeCpu, bool)> {
    let target = Target {
        url: format!("http://{addr}{}", serve.path),
        host: addr.ip().to_string(),
        port: addr.port(),
        path: serve.path.clone(),
        addr,
    };
    let mode = match serve.rate {
        Rate::Maximum => Mode::Closed,
        Rate::Fixed { per_s, .. } => Mode::Open {
            rate_per_s: per_s as f64,
        },
        Rate::ShareOfSlowest { .. } => {
            anyhow::bail!("a backend case was run before its rate was known")
        }
    };
    let mut spec = LoadSpec {
        target,
        method: serve.method.clone(),
        body: serve.body.to_vec(),
        connections: serve.connections,
        threads: load::threads(None, serve.connections, &addr)?,
        duration: serve.warmup,
        warmup: Duration::ZERO,
        timeout: REQUEST_TIMEOUT,
        mode,
        expected_body: Some(Arc::clone(&serve.expected_body)),
        stop: Some(Arc::clone(exited)),
    };
    // A separate run, so the server's CPU counters bracket the measured phase alone.
    if !serve.warmup.is_zero() {
        load::run(&spec)?;
    }
    spec.duration = serve.duration;
    let before = TreeCpu::of(pid);
    let measured = load::run(&spec)?;
    let after = TreeCpu::of(pid);
    let exited_under_load = exited.load(Ordering::SeqCst);
    Ok((
        LoadReport::new(&spec, &measured),
        after.since(before),
        exited_under_load,
    ))
}

/// SIGTERM to the server's process group; SIGKILL after [`STOP_GRACE`] if it is still there.
/// (The executor kills whatever is left of the run when the server has exited.)
fn stop(pid: i32, exited: &AtomicBool) {
    if exited.load(Ordering::SeqCst) {
        return;
    }
    // SAFETY: kill on a process group versus made; the executor has not reaped the leader
    // yet (`exited` is false), so the group id cannot have been reused.
    unsafe {
        libc::kill(-pid, libc::SIGTERM);
    }
    let deadline = Instant::now() + STOP_GRACE;
    while Instant::now() < deadline {
        if exited.load(Ordering::SeqCst) {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // SAFETY: as above.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
}

/// CPU time of a server's whole process tree (its group and the leader's descendants).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct TreeCpu {
    user: Duration,
    sys: Duration,
}

impl TreeCpu {
    fn of(leader: i32) -> TreeCpu {
        let table = proctable::snapshot();
        let members = proctable::run_members(&table, leader, None);
        let ticks_per_s = clock_ticks_per_s();
        let to_time = |ticks: u64| Duration::from_secs_f64(ticks as f64 / ticks_per_s);
        TreeCpu {
            user: to_time(members.iter().map(|p| p.user_ticks).sum()),
            sys: to_time(members.iter().map(|p| p.sys_ticks).sum()),
        }
    }

    /// The time spent since `earlier`; a process that exited in between takes its time away,
    /// so a difference below zero counts as zero.
    fn since(self, earlier: TreeCpu) -> TreeCpu {
        TreeCpu {
            user: self.user.saturating_sub(earlier.user),
            sys: self.sys.saturating_sub(earlier.sys),
        }
    }

    fn total(self) -> Duration {
        self.user + self.sys
    }
}

fn clock_ticks_per_s() -> f64 {
    // SAFETY: sysconf only reads a configuration value.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as f64 } else { 100.0 }
}

/// The verdict and figures of one start, from what the executor and the driver saw.
fn conclude(serve: &Serve, mut outcome: RunOutcome, driven: Driven) -> Served {
    let stderr = String::from_utf8_lossy(&outcome.stderr_tail)
        .trim()
        .to_string();
    let with_stderr = |what: String| {
        if stderr.is_empty() {
            what
        } else {
            format!("{what}; stderr ends: {}", last_lines(&stderr, 5))
        }
    };
    let failed = |verdict, detail| Served {
        outcome: outcome.clone(),
        metrics: Vec::new(),
        verdict: Err((verdict, detail)),
    };
    if outcome.exit == Exit::Interrupted || interrupt::is_interrupted() {
        return failed(CaseVerdict::Interrupted, String::new());
    }
    let loaded = match driven {
        Driven::NotStarted => {
            return failed(
                CaseVerdict::Crashed,
                with_stderr("the server did not start".into()),
            );
        }
        Driven::ExitedBeforeReady => {
            return failed(
                CaseVerdict::Crashed,
                with_stderr(format!(
                    "the server exited ({}) before answering GET {}",
                    describe_exit(outcome.exit),
                    serve.ready_path
                )),
            );
        }
        Driven::NeverReady => {
            return failed(
                CaseVerdict::Timeout,
                with_stderr(format!(
                    "the server did not answer GET {} with 200 within {:.1} s",
                    serve.ready_path,
                    serve.ready_timeout.as_secs_f64()
                )),
            );
        }
        Driven::Interrupted => return failed(CaseVerdict::Interrupted, String::new()),
        Driven::Failed(err) => {
            return failed(
                CaseVerdict::Interrupted,
                format!("versus's load generator failed: {err:#}"),
            );
        }
        Driven::Loaded(loaded) => loaded,
    };
    let report = &loaded.report;
    if outcome.exit == Exit::TimedOut {
        return failed(
            CaseVerdict::Timeout,
            format!(
                "the server was still running {:.1} s after it was asked to stop",
                STOP_GRACE.as_secs_f64()
            ),
        );
    }
    if loaded.exited_under_load {
        return failed(
            CaseVerdict::Crashed,
            with_stderr(format!(
                "the server exited ({}) under load: {} answers at {:.0}/s before it did, {} errors ({})",
                describe_exit(outcome.exit),
                report.requests,
                report.throughput_per_s,
                report.errors_total,
                describe_errors(report)
            )),
        );
    }
    if report.requests == 0 {
        let verdict = if report.errors.wrong_body > 0 {
            CaseVerdict::WrongOutput
        } else {
            CaseVerdict::Crashed
        };
        return failed(
            verdict,
            with_stderr(format!(
                "no request of {} {} succeeded: {} errors ({})",
                serve.method,
                serve.path,
                report.errors_total,
                describe_errors(report)
            )),
        );
    }
    outcome.wall = Duration::from_secs_f64(report.duration_s);
    outcome.user = loaded.server_cpu.user;
    outcome.sys = loaded.server_cpu.sys;
    Served {
        metrics: metrics(serve, &loaded),
        outcome,
        verdict: Ok(()),
    }
}

fn describe_exit(exit: Exit) -> String {
    match exit {
        Exit::Code(code) => format!("exit status {code}"),
        Exit::Signal(signal) => format!("signal {signal}"),
        Exit::TimedOut => "killed after its time limit".into(),
        Exit::Interrupted => "interrupted".into(),
    }
}

fn describe_errors(report: &LoadReport) -> String {
    let kinds: Vec<String> = load::ErrorKind::ALL
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

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

/// The figures of one start, as `name value` metrics (names in docs/json-schema.md).
fn metrics(serve: &Serve, loaded: &Loaded) -> Vec<(String, f64)> {
    let report = &loaded.report;
    let server_cpu_s = loaded.server_cpu.total().as_secs_f64();
    let mut metrics = vec![
        (THROUGHPUT, report.throughput_per_s),
        ("errors", report.errors_total as f64),
        ("server_cpu_s", server_cpu_s),
        ("cold_start_s", loaded.cold_start.as_secs_f64()),
        ("generator_cpu_s", report.generator.cpu_s),
    ];
    if server_cpu_s > 0.0 {
        metrics.push((
            "requests_per_server_cpu_s",
            report.requests as f64 / server_cpu_s,
        ));
    }
    let latency = report
        .latency
        .closed_loop_service_time
        .as_ref()
        .or(report.latency.corrected.as_ref());
    if let Some(latency) = latency {
        metrics.extend([
            ("latency_p50_ms", latency.p50_ms),
            ("latency_p90_ms", latency.p90_ms),
            ("latency_p99_ms", latency.p99_ms),
            ("latency_p999_ms", latency.p99_9_ms),
            ("latency_max_ms", latency.max_ms),
        ]);
    }
    if let Some(raw) = &report.latency.raw {
        metrics.extend([("raw_p50_ms", raw.p50_ms), ("raw_p99_ms", raw.p99_ms)]);
    }
    match serve.rate {
        Rate::Maximum => metrics.push(("connections", serve.connections as f64)),
        Rate::Fixed { per_s, percent } => {
            metrics.push(("rate_per_s", per_s as f64));
            metrics.push(("rate_percent", f64::from(percent)));
        }
        Rate::ShareOfSlowest { .. } => {}
    }
    if let Some(schedule) = &report.schedule {
        metrics.push(("overloaded", f64::from(u8::from(schedule.overloaded))));
    }
    metrics
        .into_iter()
        .filter(|(_, value)| value.is_finite())
        .map(|(name, value)| (name.to_string(), value))
        .collect()
}

/// The slowest server's maximum throughput: the smallest median `throughput_per_s` among the
/// cases that measured one. Rates are set from it, so every server is compared at a load the
/// slowest can carry.
pub fn slowest_maximum<'a>(cases: impl IntoIterator<Item = &'a [f64]>) -> Option<f64> {
    cases
        .into_iter()
        .filter(|throughputs| !throughputs.is_empty())
        .map(crate::stats::median)
        .filter(|m| m.is_finite() && *m > 0.0)
        .min_by(f64::total_cmp)
}

/// The rate at `percent` of `maximum`, in whole requests per second (at least 1).
pub fn rate_at(maximum: f64, percent: u32) -> u64 {
    ((maximum * f64::from(percent) / 100.0).round() as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slowest_maximum_is_the_smallest_median() {
        let go = [30_000.0, 29_000.0, 31_000.0];
        let fastapi = [9_000.0, 8_800.0, 9_100.0];
        let failed: [f64; 0] = [];
        let cases: [&[f64]; 3] = [&go, &fastapi, &failed];
        assert_eq!(slowest_maximum(cases), Some(9_000.0));
        let none: [&[f64]; 1] = [&failed];
        assert_eq!(slowest_maximum(none), None);
    }

    #[test]
    fn rates_are_whole_and_positive() {
        assert_eq!(rate_at(9_000.0, 25), 2_250);
        assert_eq!(rate_at(9_001.0, 50), 4_501);
        assert_eq!(rate_at(1.0, 1), 1);
    }

    #[test]
    fn a_closed_port_answers_no_probe() {
        let port = free_port().unwrap();
        let addr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port));
        assert_eq!(probe(addr, "/"), None);
    }

    #[test]
    fn a_probe_reads_the_status() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf).unwrap();
            stream
                .write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
                .unwrap();
        });
        assert_eq!(probe(addr, "/json"), Some(503));
        server.join().unwrap();
    }

    #[test]
    fn tree_cpu_of_this_process_grows_and_never_goes_below_zero() {
        let pid = std::process::id() as i32;
        let before = TreeCpu::of(pid);
        let mut x = 0u64;
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(60) {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
        std::hint::black_box(x);
        let after = TreeCpu::of(pid);
        assert!(after.since(before).total() > Duration::ZERO);
        assert_eq!(before.since(after).total(), Duration::ZERO);
    }
}
