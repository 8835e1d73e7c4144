//! Watching one running program: its exit (the pidfd), its stdout and stderr pipes, its
//! deadline and, without a cgroup, its memory, all from one thread and one `ppoll`.

use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;
use std::time::{Duration, Instant};

use super::super::CapturedOutput;
use super::super::cgroup::Leaf;
use super::super::output::{StdoutSink, TailSink};
use super::super::sampler::TreeSampler;
use super::super::spawner;
use crate::interrupt;
use crate::proctable;

const STDERR_TAIL_BYTES: usize = 4096;
/// How long to keep reading pipes after the program exited (a grandchild may hold them open).
const DRAIN_LIMIT: Duration = Duration::from_secs(2);
/// How often a run's cgroup is asked whether its OOM killer struck (under `--memory-limit`).
const OOM_CHECK_INTERVAL: Duration = Duration::from_millis(50);
/// 16 reads of 64 KiB: 1 MiB per wake-up at most.
const READS_PER_WAKE_UP: usize = 16;

/// The child's stdin, stdout and stderr, made before the clock starts: the child's ends (for
/// the spawner) and versus's non-blocking read ends.
pub struct Pipes {
    /// `None` when stdout goes to a file (a generator writing an input).
    pub stdout: Option<OwnedFd>,
    pub stderr: OwnedFd,
}

pub struct ChildEnds {
    pub stdin: OwnedFd,
    pub stdout: OwnedFd,
    pub stderr: OwnedFd,
}

impl Pipes {
    /// Makes the pipes (or creates the stdout file) for a child whose stdin is `stdin`.
    pub fn make(stdin: OwnedFd, stdout_file: Option<&Path>) -> io::Result<(Pipes, ChildEnds)> {
        let (stdout, child_stdout) = match stdout_file {
            Some(path) => (None, OwnedFd::from(File::create(path)?)),
            None => {
                let (read, write) = pipe()?;
                // A larger pipe means fewer wake-ups for programs that print a lot (best effort).
                // SAFETY: fcntl on an fd we own.
                unsafe { libc::fcntl(read.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20) };
                (Some(read), write)
            }
        };
        let (stderr, child_stderr) = pipe()?;
        let ends = ChildEnds {
            stdin,
            stdout: child_stdout,
            stderr: child_stderr,
        };
        Ok((Pipes { stdout, stderr }, ends))
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

/// Everything that kills a run's processes, and what it must spare.
pub struct Run<'a> {
    pub pid: i32,
    /// The run's keeper: in the run's cgroup (v1 and v2 alike) and the subreaper of its
    /// orphans; it must live until it has reaped the child.
    pub keeper: i32,
    pub leaf: Option<&'a Leaf>,
    /// Tree memory is measured: every process of the run is looked for in /proc.
    pub tracked: bool,
}

impl Run<'_> {
    /// SIGKILL to the group and to whatever else of the run can be found now; the keeper kills
    /// the rest of its descendants when it reaps.
    pub fn kill_everything(&self) {
        interrupt::kill_group(self.pid);
        match self.leaf {
            Some(leaf) => leaf.kill_all_but(self.keeper),
            None if self.tracked => kill_members(self.pid, self.keeper),
            None => {}
        }
    }
}

/// SIGKILL to every process of the run that /proc shows (its group, the leader's descendants
/// even in another session, orphans adopted by its keeper).
fn kill_members(leader: i32, keeper: i32) {
    for process in proctable::run_members(&proctable::snapshot(), leader, Some(keeper)) {
        if !process.zombie {
            // SAFETY: kill(2) on one process.
            unsafe {
                libc::kill(process.pid, libc::SIGKILL);
            }
        }
    }
}

pub struct Supervisor<'a> {
    pub run: Run<'a>,
    pub exit_fd: RawFd,
    pub sampler: Option<TreeSampler>,
    /// When to ask the run's cgroup next whether its OOM killer killed a process of the run
    /// (it kills one, and a parent may wait on or restart it): `None` without a limit there.
    pub oom_check: Option<Instant>,
    pub deadline: Instant,
    pub stdout: StdoutSink,
    pub stderr: TailSink,
}

pub struct Supervised {
    /// CLOCK_MONOTONIC when the exit was seen (see [`spawner::monotonic`]).
    pub exited: Duration,
    pub timed_out: bool,
    /// The sampler, or the run's cgroup, found the tree past `--memory-limit`, and the run was
    /// killed.
    pub memory_limited: bool,
    pub stdout: CapturedOutput,
    pub stderr_tail: Vec<u8>,
    /// `None` without a sampler, or when the run ended before its first sample.
    pub sampler_peak: Option<u64>,
}

impl<'a> Supervisor<'a> {
    pub fn new(run: Run<'a>, exit_fd: RawFd, deadline: Instant, capture_limit: usize) -> Self {
        Supervisor {
            run,
            exit_fd,
            sampler: None,
            oom_check: None,
            deadline,
            stdout: StdoutSink::new(capture_limit),
            stderr: TailSink::new(STDERR_TAIL_BYTES),
        }
    }

    pub fn supervise(mut self, pipes: Pipes, buf: &mut [u8]) -> io::Result<Supervised> {
        let mut fds = [
            poll_fd(self.exit_fd),
            poll_fd(pipes.stdout.as_ref().map_or(-1, |fd| fd.as_raw_fd())),
            poll_fd(pipes.stderr.as_raw_fd()),
        ];
        let mut exited: Option<(Duration, Instant)> = None;
        let mut timed_out = false;
        let mut memory_limited = false;
        loop {
            let now = Instant::now();
            if exited.is_none() {
                if now >= self.deadline && !timed_out {
                    self.run.kill_everything();
                    timed_out = true;
                }
                if self.past_memory_limit(now) && !memory_limited {
                    self.run.kill_everything();
                    memory_limited = true;
                }
            }
            let drained = fds[1].fd < 0 && fds[2].fd < 0;
            match exited {
                Some((_, at)) if drained || now >= at + DRAIN_LIMIT => break,
                _ => {}
            }
            let wake = self.wake_up(exited.map(|(_, at)| at), timed_out);
            ppoll(&mut fds, wake.saturating_duration_since(now))?;
            if fds[0].revents != 0 && exited.is_none() {
                exited = Some((spawner::monotonic(), Instant::now()));
                fds[0].fd = -1;
                // The run ends with its leader: whatever it left behind goes too.
                self.run.kill_everything();
            }
            self.read_ready(&mut fds[1], buf, true)?;
            self.read_ready(&mut fds[2], buf, false)?;
        }
        Ok(Supervised {
            exited: exited.expect("the loop ends after the exit").0,
            timed_out,
            memory_limited,
            stdout: self.stdout.finish(),
            stderr_tail: self.stderr.finish(),
            sampler_peak: self.sampler.as_ref().and_then(TreeSampler::peak_bytes),
        })
    }

    /// From now on, asks the run's cgroup every [`OOM_CHECK_INTERVAL`] whether its OOM killer
    /// struck, and ends the run if it did.
    pub fn watch_oom(&mut self, started: Instant) {
        self.oom_check = Some(started + OOM_CHECK_INTERVAL);
    }

    /// Whether the sampler (without a cgroup) or the run's cgroup (with one) says the run
    /// passed its memory limit; samples or asks when due.
    fn past_memory_limit(&mut self, now: Instant) -> bool {
        if let Some(sampler) = &mut self.sampler {
            sampler.sample_if_due(now);
            return sampler.over_limit();
        }
        match (self.oom_check, self.run.leaf) {
            (Some(due), Some(leaf)) if now >= due => {
                self.oom_check = Some(now + OOM_CHECK_INTERVAL);
                leaf.oom_kills().is_some_and(|n| n > 0)
            }
            _ => false,
        }
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
                if let Some(due) = self.oom_check {
                    wake = wake.min(due);
                }
                wake
            }
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
