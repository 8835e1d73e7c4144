//! The real executor: spawn, supervise, reap.
//!
//! One thread does everything: it polls the child's pidfd (exit), its stdout and stderr pipes, a
//! timeout and, without cgroups, the memory sampler. The wall time runs from just before spawn to
//! the moment the pidfd reports the exit, as hyperfine measures it; CPU time and peak RSS come
//! from wait4 on the child, never from RUSAGE_CHILDREN (whose maximum sticks across runs).

use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Context;

use super::cgroup::{self, CgroupBase, Leaf};
use super::output::{StdoutSink, TailSink};
use super::proctable;
use super::sampler::TreeSampler;
use super::{CapturedOutput, Executor, Exit, RunOutcome, RunSpec, TreeMethod};
use crate::interrupt;

const STDERR_TAIL_BYTES: usize = 4096;
/// How long to keep reading pipes after the program exited (a grandchild may hold them open).
const DRAIN_LIMIT: Duration = Duration::from_secs(2);
/// 16 reads of 64 KiB: 1 MiB per wake-up at most.
const READS_PER_WAKE_UP: usize = 16;

/// Spawns and measures. With cgroup v1 every run happens on one dedicated thread, which moves
/// into each run's cgroup before the clock starts (see [`super::cgroup`]); that thread is never
/// the main thread, whose cgroup decides where versus's own memory is charged.
pub struct ProcessExecutor {
    mode: Mode,
    method: TreeMethod,
}

enum Mode {
    /// Runs on the calling thread.
    Inline(Engine),
    /// Runs on the dedicated measuring thread (cgroup v1).
    Worker(Worker),
}

struct Engine {
    cgroup: Option<CgroupBase>,
    sample_tree: bool,
    /// Read buffer for the child's pipes, allocated once.
    buf: Vec<u8>,
}

impl Engine {
    fn new(cgroup: Option<CgroupBase>, sample_tree: bool) -> Engine {
        Engine {
            cgroup,
            sample_tree,
            buf: vec![0; 64 * 1024],
        }
    }
}

type Reply = mpsc::Sender<anyhow::Result<RunOutcome>>;

struct Worker {
    requests: Option<mpsc::Sender<(RunSpec, Reply)>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ProcessExecutor {
    /// Uses a cgroup per run when one can be made, else samples /proc.
    /// `VERSUS_TREE_MEMORY=sampling` forces the fallback (to compare the two methods).
    pub fn new() -> ProcessExecutor {
        if std::env::var_os("VERSUS_TREE_MEMORY").is_some_and(|v| v == "sampling") {
            return ProcessExecutor::sampling_only();
        }
        ProcessExecutor::with(Engine::new(CgroupBase::detect(), true))
    }

    /// Never uses cgroups (the fallback, also for tests).
    pub fn sampling_only() -> ProcessExecutor {
        ProcessExecutor::with(Engine::new(None, true))
    }

    /// No tree memory at all: for helper commands (version probes, builds), not measurements.
    pub fn untracked() -> ProcessExecutor {
        ProcessExecutor::with(Engine::new(None, false))
    }

    fn with(engine: Engine) -> ProcessExecutor {
        let method = engine.tree_method();
        if !engine
            .cgroup
            .as_ref()
            .is_some_and(CgroupBase::moves_threads)
        {
            return ProcessExecutor {
                mode: Mode::Inline(engine),
                method,
            };
        }
        let (requests, inbox) = mpsc::channel::<(RunSpec, Reply)>();
        let thread = std::thread::Builder::new()
            .name("versus-measure".into())
            .spawn(move || {
                let mut engine = engine;
                for (spec, reply) in inbox {
                    let _ = reply.send(engine.execute(&spec));
                }
            })
            .expect("cannot start the measuring thread");
        ProcessExecutor {
            mode: Mode::Worker(Worker {
                requests: Some(requests),
                thread: Some(thread),
            }),
            method,
        }
    }
}

impl Default for ProcessExecutor {
    fn default() -> Self {
        ProcessExecutor::new()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.requests.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Executor for ProcessExecutor {
    fn tree_method(&self) -> TreeMethod {
        self.method
    }

    fn execute(&mut self, spec: &RunSpec) -> anyhow::Result<RunOutcome> {
        let worker = match &mut self.mode {
            Mode::Inline(engine) => return engine.execute(spec),
            Mode::Worker(worker) => worker,
        };
        let (reply, answer) = mpsc::channel();
        worker
            .requests
            .as_ref()
            .expect("open until drop")
            .send((spec.clone(), reply))
            .map_err(|_| anyhow::anyhow!("the measuring thread has stopped"))?;
        answer
            .recv()
            .map_err(|_| anyhow::anyhow!("the measuring thread has stopped"))?
    }
}

/// Moves the measuring thread back home when the run is over (also on an early return).
struct ThreadInLeaf<'a>(&'a CgroupBase);

impl Drop for ThreadInLeaf<'_> {
    fn drop(&mut self) {
        let _ = self.0.take_back_current_thread();
    }
}

impl Engine {
    fn tree_method(&self) -> TreeMethod {
        match (&self.cgroup, self.sample_tree) {
            (Some(base), _) => base.method(),
            (None, true) => TreeMethod::ProcSampling,
            (None, false) => TreeMethod::None,
        }
    }

    fn execute(&mut self, spec: &RunSpec) -> anyhow::Result<RunOutcome> {
        let leaf = self
            .cgroup
            .as_ref()
            .and_then(|base| base.create_leaf().ok());
        let mut command = command_for(spec)?;
        let pipes = Pipes::attach(&mut command, spec.stdout_file.as_deref())
            .context("cannot make pipes")?;
        let mut thread_home = None;
        if let (Some(leaf), Some(base)) = (&leaf, &self.cgroup) {
            if leaf.adopt_current_thread().unwrap_or(false) {
                thread_home = Some(ThreadInLeaf(base));
            } else {
                let procs = leaf.procs_cstring();
                // SAFETY: join_self only calls open/write/close/getpid, which are async-signal-safe.
                unsafe {
                    command.pre_exec(move || cgroup::join_self(&procs));
                }
            }
        }
        let start = Instant::now();
        let child = command.spawn().map_err(|e| {
            anyhow::Error::new(SpawnError(format!(
                "cannot start {}: {e}",
                spec.program.display()
            )))
        })?;
        let pid = child.id() as i32;
        // From here on, whatever goes wrong, the child is killed and reaped.
        let mut guard = Unreaped(pid);
        let _registration = interrupt::register(pid, leaf.as_ref().map(|l| l.dir().to_path_buf()));
        if let Some(on_spawn) = &spec.on_spawn {
            let _ = on_spawn.send(super::Spawned {
                pid,
                at: start,
                exit_fd: exit_notifier(pid).ok().map(std::sync::Arc::new),
            });
        }
        // The child has its ends of the pipes; ours must close, or EOF never comes.
        drop(command);
        drop(child);
        let tracked = self.cgroup.is_some() || self.sample_tree;
        let sampler = (leaf.is_none() && self.sample_tree).then(|| TreeSampler::new(pid, start));
        let watched = Supervisor {
            pid,
            leaf: leaf.as_ref(),
            tracked,
            sampler,
            deadline: start
                .checked_add(spec.timeout)
                .unwrap_or(start + Duration::from_secs(365 * 86_400)),
            stdout: StdoutSink::new(spec.capture_limit),
            stderr: TailSink::new(STDERR_TAIL_BYTES),
        }
        .supervise(pipes, &mut self.buf)?;
        let reaped = reap(pid)?;
        guard.0 = 0;
        if tracked {
            reap_adopted();
        }
        let (tree_peak_bytes, tree_method) = match (&leaf, &watched.sampler_peak) {
            (Some(leaf), _) => (leaf.peak_bytes(), self.tree_method()),
            (None, Some(peak)) => (
                Some((*peak).max(reaped.max_rss_bytes)),
                TreeMethod::ProcSampling,
            ),
            (None, None) => (None, TreeMethod::None),
        };
        drop(thread_home);
        Ok(RunOutcome {
            wall: watched.exited_at - start,
            user: reaped.user,
            sys: reaped.sys,
            peak_rss_bytes: reaped.max_rss_bytes,
            tree_peak_bytes,
            tree_method,
            exit: exit_of(reaped.status, watched.timed_out),
            stdout: watched.stdout,
            stderr_tail: watched.stderr_tail,
        })
    }
}

/// SIGKILL to every process of the run that /proc shows (its group, the leader's descendants
/// even in another session, orphans adopted by versus).
fn kill_members(leader: i32) {
    let adopter = interrupt::is_subreaper().then(|| std::process::id() as i32);
    for process in proctable::run_members(&proctable::snapshot(), leader, adopter) {
        if !process.zombie {
            // SAFETY: kill(2) on one process.
            unsafe {
                libc::kill(process.pid, libc::SIGKILL);
            }
        }
    }
}

/// Kills and reaps the children versus adopted as subreaper during a run (daemonised
/// grandchildren whose parents died), so none outlives its run or lingers as a zombie.
fn reap_adopted() {
    if !interrupt::is_subreaper() || !has_children() {
        return;
    }
    let versus = std::process::id() as i32;
    for _ in 0..50 {
        let adopted: Vec<_> = proctable::snapshot()
            .into_iter()
            .filter(|p| p.ppid == versus)
            .collect();
        if adopted.is_empty() {
            return;
        }
        for process in adopted {
            // SAFETY: kill and a non-blocking waitpid on our own child.
            unsafe {
                if !process.zombie {
                    libc::kill(process.pid, libc::SIGKILL);
                }
                libc::waitpid(process.pid, std::ptr::null_mut(), libc::WNOHANG);
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Whether versus has any child process at all: one system call, where a look at /proc reads
/// every process on the machine.
fn has_children() -> bool {
    // SAFETY: waitid with WNOWAIT|WNOHANG only reports; siginfo is plain data.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let rc = libc::waitid(
            libc::P_ALL,
            0,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        );
        rc == 0
    }
}

/// The program could not be started (not found, not executable): the case's verdict, not a
/// failure of versus.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SpawnError(pub String);

/// A spawned child not reaped yet: dropped on an early return, it is killed and reaped.
struct Unreaped(i32);

impl Drop for Unreaped {
    fn drop(&mut self) {
        if self.0 > 0 {
            interrupt::kill_group(self.0);
            let _ = reap(self.0);
        }
    }
}

fn command_for(spec: &RunSpec) -> anyhow::Result<Command> {
    let mut command = Command::new(&spec.program);
    command
        .args(&spec.args)
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .process_group(0);
    if let Some(cwd) = &spec.cwd {
        command.current_dir(cwd);
    }
    match &spec.stdin {
        Some(path) => {
            let file = File::open(path)
                .with_context(|| format!("cannot open stdin file {}", path.display()))?;
            command.stdin(file);
        }
        None => {
            command.stdin(Stdio::null());
        }
    }
    Ok(command)
}

/// Our (read, non-blocking) ends of the child's stdout and stderr. Made before the clock
/// starts, unlike `Stdio::piped()`, whose pipes are made inside `spawn`.
struct Pipes {
    /// `None` when stdout goes to a file (a generator writing an input).
    stdout: Option<OwnedFd>,
    stderr: OwnedFd,
}

impl Pipes {
    /// Makes the pipes (or opens the stdout file) and hands the child's ends to `command`.
    fn attach(command: &mut Command, stdout_file: Option<&Path>) -> io::Result<Pipes> {
        let stdout = match stdout_file {
            Some(path) => {
                command.stdout(File::create(path)?);
                None
            }
            None => {
                let (stdout, child_stdout) = pipe()?;
                // A larger pipe means fewer wake-ups for programs that print a lot (best effort).
                // SAFETY: fcntl on an fd we own.
                unsafe { libc::fcntl(stdout.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20) };
                command.stdout(Stdio::from(child_stdout));
                Some(stdout)
            }
        };
        let (stderr, child_stderr) = pipe()?;
        command.stderr(Stdio::from(child_stderr));
        Ok(Pipes { stdout, stderr })
    }
}

/// A pipe whose read end (first) is non-blocking; the write end stays blocking for the child.
fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut ends = [0 as RawFd; 2];
    // SAFETY: pipe2 fills the two-element array.
    if unsafe { libc::pipe2(ends.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both fds were just created and are owned here.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1])) };
    set_nonblocking(read.as_raw_fd())?;
    Ok((read, write))
}

struct Supervisor<'a> {
    pid: i32,
    leaf: Option<&'a Leaf>,
    /// A measured run (runs are sequential): every process of the run can be found in /proc.
    tracked: bool,
    sampler: Option<TreeSampler>,
    deadline: Instant,
    stdout: StdoutSink,
    stderr: TailSink,
}

struct Supervised {
    exited_at: Instant,
    timed_out: bool,
    stdout: CapturedOutput,
    stderr_tail: Vec<u8>,
    sampler_peak: Option<u64>,
}

impl Supervisor<'_> {
    fn supervise(mut self, pipes: Pipes, buf: &mut [u8]) -> anyhow::Result<Supervised> {
        let exit_fd = exit_notifier(self.pid).context("cannot watch the child's exit")?;
        let mut fds = [
            poll_fd(exit_fd.as_raw_fd()),
            poll_fd(pipes.stdout.as_ref().map_or(-1, |fd| fd.as_raw_fd())),
            poll_fd(pipes.stderr.as_raw_fd()),
        ];
        let mut exited_at = None;
        let mut timed_out = false;
        loop {
            let now = Instant::now();
            if exited_at.is_none() {
                if now >= self.deadline && !timed_out {
                    self.kill_everything();
                    timed_out = true;
                }
                if let Some(sampler) = &mut self.sampler {
                    sampler.sample_if_due(now);
                }
            }
            let drained = fds[1].fd < 0 && fds[2].fd < 0;
            match exited_at {
                Some(at) if drained || now >= at + DRAIN_LIMIT => break,
                _ => {}
            }
            ppoll(
                &mut fds,
                self.wake_up(exited_at, timed_out)
                    .saturating_duration_since(now),
            )?;
            if fds[0].revents != 0 && exited_at.is_none() {
                exited_at = Some(Instant::now());
                fds[0].fd = -1;
                // The run ends with its leader: whatever it left behind goes too.
                self.kill_everything();
            }
            self.read_ready(&mut fds[1], buf, true)?;
            self.read_ready(&mut fds[2], buf, false)?;
        }
        Ok(Supervised {
            exited_at: exited_at.expect("the loop ends after the exit"),
            timed_out,
            stdout: self.stdout.finish(),
            stderr_tail: self.stderr.finish(),
            sampler_peak: self.sampler.as_ref().map(TreeSampler::peak_bytes),
        })
    }

    fn wake_up(&self, exited_at: Option<Instant>, timed_out: bool) -> Instant {
        match exited_at {
            Some(at) => at + DRAIN_LIMIT,
            None => {
                let mut wake = if timed_out {
                    Instant::now() + Duration::from_millis(100)
                } else {
                    self.deadline
                };
                if let Some(sampler) = &self.sampler {
                    wake = wake.min(sampler.next_due());
                }
                wake
            }
        }
    }

    fn kill_everything(&self) {
        interrupt::kill_group(self.pid);
        match self.leaf {
            Some(leaf) => leaf.kill_all(),
            None if self.tracked => kill_members(self.pid),
            None => {}
        }
    }

    /// Reads what a pipe holds; marks it closed (fd = -1) at end of file.
    fn read_ready(
        &mut self,
        pfd: &mut libc::pollfd,
        buf: &mut [u8],
        is_stdout: bool,
    ) -> io::Result<()> {
        if pfd.fd < 0 || pfd.revents == 0 {
            return Ok(());
        }
        // At most a few reads per wake-up: a program that writes faster than versus hashes must
        // not keep the loop from checking its deadline and its exit.
        for _ in 0..READS_PER_WAKE_UP {
            // SAFETY: reading into a buffer we own, of its length.
            let n = unsafe { libc::read(pfd.fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n > 0 {
                let chunk = &buf[..n as usize];
                if is_stdout {
                    self.stdout.push(chunk);
                } else {
                    self.stderr.push(chunk);
                }
                continue;
            }
            if n == 0 {
                pfd.fd = -1;
                return Ok(());
            }
            let err = io::Error::last_os_error();
            match err.kind() {
                io::ErrorKind::WouldBlock => return Ok(()),
                io::ErrorKind::Interrupted => continue,
                _ => return Err(err),
            }
        }
        Ok(())
    }
}

fn poll_fd(fd: RawFd) -> libc::pollfd {
    libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }
}

fn ppoll(fds: &mut [libc::pollfd], timeout: Duration) -> io::Result<()> {
    let ts = libc::timespec {
        tv_sec: timeout.as_secs() as libc::time_t,
        tv_nsec: timeout.subsec_nanos() as libc::c_long,
    };
    for fd in fds.iter_mut() {
        fd.revents = 0;
    }
    // SAFETY: fds is a valid slice of pollfd; ts lives across the call.
    let rc = unsafe {
        libc::ppoll(
            fds.as_mut_ptr(),
            fds.len() as libc::nfds_t,
            &ts,
            std::ptr::null(),
        )
    };
    if rc < 0 {
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    Ok(())
}

fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: fcntl on an fd we own.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// An fd that becomes readable when the child exits: its pidfd (Linux 5.3+), or else the read
/// end of a pipe whose write end a thread closes when `waitid(WNOWAIT)` returns.
fn exit_notifier(pid: i32) -> io::Result<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd >= 0 {
        // SAFETY: the kernel just gave us this fd.
        return Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) });
    }
    let mut ends = [0 as RawFd; 2];
    // SAFETY: pipe2 fills the two-element array.
    if unsafe { libc::pipe2(ends.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both fds were just created and are owned here.
    let (read_end, write_end) =
        unsafe { (OwnedFd::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1])) };
    std::thread::spawn(move || {
        // SAFETY: waitid with WNOWAIT leaves the child to be reaped by wait4.
        unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            );
        }
        drop(write_end);
    });
    Ok(read_end)
}

struct Reaped {
    status: i32,
    user: Duration,
    sys: Duration,
    max_rss_bytes: u64,
}

fn reap(pid: i32) -> io::Result<Reaped> {
    let mut status = 0;
    // SAFETY: rusage is plain data, filled by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: wait4 on our own child, with valid out-pointers.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == pid {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    Ok(Reaped {
        status,
        user: timeval(usage.ru_utime),
        sys: timeval(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        max_rss_bytes: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
    })
}

fn timeval(tv: libc::timeval) -> Duration {
    Duration::from_secs(tv.tv_sec as u64) + Duration::from_micros(tv.tv_usec as u64)
}

fn exit_of(status: i32, timed_out: bool) -> Exit {
    if timed_out {
        return Exit::TimedOut;
    }
    if libc::WIFEXITED(status) {
        return Exit::Code(libc::WEXITSTATUS(status));
    }
    let signal = libc::WTERMSIG(status);
    if signal == libc::SIGKILL && interrupt::is_interrupted() {
        Exit::Interrupted
    } else {
        Exit::Signal(signal)
    }
}

#[cfg(test)]
mod tests;
