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

use std::os::fd::{AsRawFd, OwnedFd};

use crate::case::{CaseVerdict, Rate, Serve};
use crate::interrupt;
use crate::load::{self, LoadReport, LoadSpec, Mode, Target};
use crate::manifest::PORT_PLACEHOLDER;
use crate::measure::{Executor, RunOutcome, RunSpec, Spawned};
use crate::proctable::TreeCpu;

pub mod metric;
mod rates;
mod verdict;

pub use verdict::{describe_errors, load_metrics};

pub use rates::{Maxima, RATE_POINT, Unstarted, rate_at, slowest_maximum};

/// After SIGTERM, how long a server has to exit before its group is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);
/// One request of the load (and one readiness probe) may take this long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// Between two readiness probes: 1 ms for the first second (a refused connect costs next to
/// nothing, and Go starts in about 6 ms, which a coarser poll would round up), then 10 ms.
const PROBE_EVERY_FIRST: Duration = Duration::from_millis(1);
const PROBE_EVERY_LATER: Duration = Duration::from_millis(10);
const PROBE_FINE_FOR: Duration = Duration::from_secs(1);
/// Starts on another port after "address already in use" (another program took the free
/// port between the check and the server's bind).
const PORT_ATTEMPTS: usize = 3;
/// The environment variable holding the database file of the suite (`[backend] database`).
pub const DATABASE_VAR: &str = "VERSUS_BACKEND_DB";

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
    /// The server answered its readiness probe: it started.
    pub ready: bool,
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
        if let Driven::Failed(err) = driven {
            // The server is stopped; what failed is versus's own generator.
            return Err(err.context("versus's load generator failed"));
        }
        return Ok(verdict::conclude(serve, outcome, driven));
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
    /// How the server ended: on its own during the load or before it was asked to stop (a
    /// crash), or when asked.
    stopped: Stopped,
}

/// How a loaded server ended.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stopped {
    /// It exited before the load ended.
    UnderLoad,
    /// It exited after the load, before versus asked it to stop.
    BeforeAsked,
    /// It exited on SIGTERM.
    Terminated,
    /// It ignored SIGTERM for [`STOP_GRACE`] and was killed.
    Killed,
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
    let gone = Arc::new(AtomicBool::new(false));
    std::thread::scope(|scope| {
        let driver = {
            let gone = Arc::clone(&gone);
            std::thread::Builder::new()
                .name("versus-backend".into())
                .spawn_scoped(scope, move || drive(port, serve, &spawned_rx, &gone))?
        };
        // Set however `execute` ends, even by a panic, so the driver never waits forever.
        let executed = {
            let _returned = SetOnDrop(&gone);
            executor.execute(&spec)
        };
        let driven = driver
            .join()
            .map_err(|_| anyhow::anyhow!("the backend driver thread panicked"))?;
        Ok((executed?, driven))
    })
}

/// Raises its flag when dropped.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// The server as the driver knows it: its pid (and process group), and whether it is gone.
struct Server<'a> {
    spawned: Spawned,
    /// Raised when the server exits (by the watcher of its pidfd) or when the executor
    /// returns; also the load's stop flag.
    gone: &'a Arc<AtomicBool>,
}

impl Server<'_> {
    fn is_gone(&self) -> bool {
        self.gone.load(Ordering::SeqCst) || self.exited_by_pidfd()
    }

    /// The pidfd is readable once the leader has exited. While it is not, the leader is not
    /// reaped, so its pid, and the process group it leads, are still this server's.
    fn exited_by_pidfd(&self) -> bool {
        self.spawned
            .exit_fd
            .as_deref()
            .is_some_and(|fd| readable(fd, Duration::ZERO))
    }

    /// SIGTERM to the server's process group; SIGKILL after [`STOP_GRACE`] if it is still
    /// there. Never signals a group whose leader has exited. (The executor kills whatever is
    /// left of the run, in its cgroup or group, once the leader has exited.)
    fn stop(&self) -> Stopped {
        if self.is_gone() {
            return Stopped::BeforeAsked;
        }
        signal_group(self.spawned.pid, libc::SIGTERM);
        let deadline = Instant::now() + STOP_GRACE;
        while Instant::now() < deadline {
            if self.is_gone() {
                return Stopped::Terminated;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if !self.is_gone() {
            signal_group(self.spawned.pid, libc::SIGKILL);
        }
        Stopped::Killed
    }
}

fn signal_group(pid: i32, signal: i32) {
    // SAFETY: kill on the process group of a leader that has not exited (checked just before
    // by the caller through its pidfd), so the group id is still this server's.
    unsafe {
        libc::kill(-pid, signal);
    }
}

/// Whether `fd` becomes readable within `timeout`.
fn readable(fd: &OwnedFd, timeout: Duration) -> bool {
    let mut poll = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = timeout.as_millis().min(i32::MAX as u128) as i32;
    // SAFETY: one valid pollfd.
    unsafe { libc::poll(&mut poll, 1, millis) > 0 }
}

/// Waits for the server, loads it, stops it.
fn drive(port: u16, serve: &Serve, spawned: &Receiver<Spawned>, gone: &Arc<AtomicBool>) -> Driven {
    let Some(spawned) = wait_for_spawn(spawned, gone) else {
        return Driven::NotStarted;
    };
    let server = Server { spawned, gone };
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        // Raises `gone` the moment the server exits, so a load against a dead server ends at
        // once instead of counting refused connections until its end.
        if let Some(fd) = server.spawned.exit_fd.as_deref() {
            let (done, gone) = (&done, server.gone);
            scope.spawn(move || {
                while !done.load(Ordering::SeqCst) && !gone.load(Ordering::SeqCst) {
                    if readable(fd, Duration::from_millis(20)) {
                        gone.store(true, Ordering::SeqCst);
                    }
                }
            });
        }
        let driven = load_when_ready(port, serve, &server);
        done.store(true, Ordering::SeqCst);
        driven
    })
}

fn load_when_ready(port: u16, serve: &Serve, server: &Server) -> Driven {
    let addr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port));
    let cold_start = match wait_until_ready(addr, serve, server) {
        Ready::Yes(cold_start) => cold_start,
        Ready::Exited => return Driven::ExitedBeforeReady,
        Ready::TimedOut => {
            server.stop();
            return Driven::NeverReady;
        }
        Ready::Interrupted => {
            server.stop();
            return Driven::Interrupted;
        }
    };
    let loaded = load_server(addr, serve, server);
    let under_load = server.is_gone();
    let stopped = server.stop();
    match loaded {
        Ok((report, server_cpu)) => Driven::Loaded(Box::new(Loaded {
            cold_start,
            report,
            server_cpu,
            stopped: if under_load {
                Stopped::UnderLoad
            } else {
                stopped
            },
        })),
        Err(err) => Driven::Failed(err),
    }
}

fn wait_for_spawn(spawned: &Receiver<Spawned>, gone: &AtomicBool) -> Option<Spawned> {
    loop {
        match spawned.recv_timeout(Duration::from_millis(20)) {
            Ok(spawned) => return Some(spawned),
            Err(RecvTimeoutError::Timeout) if !gone.load(Ordering::SeqCst) => continue,
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
fn wait_until_ready(addr: SocketAddr, serve: &Serve, server: &Server) -> Ready {
    let started = server.spawned.at;
    let deadline = started + serve.ready_timeout;
    loop {
        if server.is_gone() {
            return Ready::Exited;
        }
        if interrupt::is_interrupted() {
            return Ready::Interrupted;
        }
        if probe(addr, &serve.ready_path) == Some(200) {
            return Ready::Yes(started.elapsed());
        }
        if Instant::now() >= deadline {
            return Ready::TimedOut;
        }
        std::thread::sleep(if started.elapsed() < PROBE_FINE_FOR {
            PROBE_EVERY_FIRST
        } else {
            PROBE_EVERY_LATER
        });
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
    server: &Server,
) -> anyhow::Result<(LoadReport, TreeCpu)> {
    let pid = server.spawned.pid;
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
        stop: Some(Arc::clone(server.gone)),
        server_pid: Some(pid),
    };
    // A separate run, so the server's CPU counters bracket the measured phase alone.
    if !serve.warmup.is_zero() {
        load::run(&spec)?;
    }
    spec.duration = serve.duration;
    // The engine reads the server's CPU at the start and the end of the measured phase.
    let measured = load::run(&spec)?;
    let server_cpu = measured.server_cpu.unwrap_or_default();
    Ok((LoadReport::new(&spec, &measured), server_cpu))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
