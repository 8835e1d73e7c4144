//! The real executor: spawn (through the spawner), supervise, reap.
//!
//! The program is started by a keeper process of the spawner ([`super::spawner`]), so its
//! `ru_maxrss` is its own, not versus's. One thread of versus then polls the child's pidfd
//! (exit), its stdout and stderr pipes, a timeout and, without cgroups, the memory sampler
//! ([`supervise`]). The wall time runs from the keeper's clock reading just before the spawn to
//! the first moment the pidfd reports the exit, to the keeper or to versus, all CLOCK_MONOTONIC,
//! so no message between the processes is timed; CPU time and peak RSS come from wait4 on the child, never from
//! RUSAGE_CHILDREN (whose maximum sticks across runs).

mod supervise;

use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

use anyhow::Context;

use super::cgroup::{CgroupBase, Leaf};
use super::sampler::TreeSampler;
use super::spawner::{self, Child, Request, SpawnFailure};
use super::{Executor, Exit, RunOutcome, RunSpec, Spawned, TreeMethod};
use crate::interrupt;
use supervise::{Pipes, Run, Supervisor};

/// Spawns and measures, from any thread (the spawner serves concurrent runs).
pub struct ProcessExecutor {
    cgroup: Option<CgroupBase>,
    sample_tree: bool,
    /// `--memory-limit` for each run's whole tree: its cgroup's limit, else the sampler's.
    memory_limit_bytes: Option<u64>,
    /// Read buffer for the child's pipes, allocated once.
    buf: Vec<u8>,
}

impl ProcessExecutor {
    /// Uses a cgroup per run when one can be made, else samples /proc.
    /// `VERSUS_TREE_MEMORY=sampling` forces the fallback (to compare the two methods).
    pub fn new() -> ProcessExecutor {
        if std::env::var_os("VERSUS_TREE_MEMORY").is_some_and(|v| v == "sampling") {
            return ProcessExecutor::sampling_only();
        }
        ProcessExecutor::with(CgroupBase::detect(), true)
    }

    /// Never uses cgroups (the fallback, also for tests).
    pub fn sampling_only() -> ProcessExecutor {
        ProcessExecutor::with(None, true)
    }

    /// No tree memory at all: for helper commands (version probes, builds), not measurements.
    pub fn untracked() -> ProcessExecutor {
        ProcessExecutor::with(None, false)
    }

    fn with(cgroup: Option<CgroupBase>, sample_tree: bool) -> ProcessExecutor {
        ProcessExecutor {
            cgroup,
            sample_tree,
            memory_limit_bytes: None,
            buf: vec![0; 64 * 1024],
        }
    }

    /// Stops every run whose process tree passes `bytes` (`None`: no limit). Enforced by the
    /// run's cgroup where there is one, else by the tree sampler; never by RLIMIT_AS, which
    /// Go's and the JVM's address-space reservations would trip long before memory runs out.
    pub fn with_memory_limit(mut self, bytes: Option<u64>) -> ProcessExecutor {
        self.memory_limit_bytes = bytes;
        self
    }

    pub fn memory_limit_bytes(&self) -> Option<u64> {
        self.memory_limit_bytes
    }

    /// Whether the memory limit is enforced by each run's cgroup (exact), else by the sampler.
    pub fn limits_memory_by_cgroup(&self) -> bool {
        self.cgroup.as_ref().is_some_and(CgroupBase::limits_memory)
    }
}

impl Default for ProcessExecutor {
    fn default() -> Self {
        ProcessExecutor::new()
    }
}

impl Executor for ProcessExecutor {
    fn tree_method(&self) -> TreeMethod {
        match (&self.cgroup, self.sample_tree) {
            (Some(base), _) => base.method(),
            (None, true) => TreeMethod::ProcSampling,
            (None, false) => TreeMethod::None,
        }
    }

    fn execute(&mut self, spec: &RunSpec) -> anyhow::Result<RunOutcome> {
        let limit = self.memory_limit_bytes;
        // A cgroup that cannot hold the limit is not used: the sampler enforces it instead.
        let leaf = self
            .cgroup
            .as_ref()
            .and_then(|base| base.create_leaf().ok())
            .filter(|leaf| limit.is_none_or(|bytes| leaf.limit_memory(bytes).is_ok()));
        let stdin = open_stdin(spec)?;
        let (pipes, ends) =
            Pipes::make(stdin, spec.stdout_file.as_deref()).context("cannot make pipes")?;
        let env = spawner::environment(&spec.env);
        let Some(program) = spawner::resolve(&spec.program, &env) else {
            let missing = std::io::Error::from_raw_os_error(libc::ENOENT);
            return Err(not_started(spec, SpawnFailure::Exec(missing)));
        };
        let request = Request {
            program,
            args: spec.args.clone(),
            env,
            // The spawner's own directory is versus's when it started, not necessarily now.
            cwd: spec.cwd.clone().or_else(|| std::env::current_dir().ok()),
            cgroup_procs: leaf.as_ref().map(|l| l.procs_path().to_path_buf()),
            stdin: ends.stdin,
            stdout: ends.stdout,
            stderr: ends.stderr,
        };
        let child = spawner::spawn(request).map_err(|failure| not_started(spec, failure))?;
        self.supervise_and_reap(spec, child, pipes, leaf.as_ref())
    }
}

impl ProcessExecutor {
    fn supervise_and_reap(
        &mut self,
        spec: &RunSpec,
        child: Child,
        pipes: Pipes,
        leaf: Option<&Leaf>,
    ) -> anyhow::Result<RunOutcome> {
        let started = instant_of(child.started);
        let registration =
            interrupt::register(child.pid, child.keeper, leaf.map(|l| l.dir().to_path_buf()));
        if let Some(on_spawn) = &spec.on_spawn {
            let _ = on_spawn.send(Spawned {
                pid: child.pid,
                at: started,
                exit_fd: child.exit_fd.try_clone().ok().map(std::sync::Arc::new),
            });
        }
        let run = Run {
            pid: child.pid,
            keeper: child.keeper,
            leaf,
            tracked: self.cgroup.is_some() || self.sample_tree,
        };
        let deadline = started
            .checked_add(spec.timeout)
            .unwrap_or(started + Duration::from_secs(365 * 86_400));
        let mut supervisor =
            Supervisor::new(run, child.exit_fd.as_raw_fd(), deadline, spec.capture_limit);
        if leaf.is_some() && self.memory_limit_bytes.is_some() {
            supervisor.watch_oom(started);
        }
        if leaf.is_none() && self.sample_tree {
            supervisor.sampler = Some(TreeSampler::new(
                child.pid,
                child.keeper,
                started,
                self.memory_limit_bytes,
            ));
        }
        let watched = supervisor.supervise(pipes, &mut self.buf)?;
        // Unregistered before the keeper reaps: from then on the pid may be another process's.
        drop(registration);
        let started_at = child.started;
        let reaped = child.reap().context("cannot reap the program")?;
        // Two clocks read after the exit, each an upper bound of it: the keeper's (which waits
        // from the spawn on, so it is never late because a message was) and versus's (often
        // tens of microseconds earlier: the keeper, the child's parent, tends to be woken on
        // the exiting child's own CPU). The earlier one is the tighter bound.
        let wall = reaped.exited.min(watched.exited).saturating_sub(started_at);
        let (tree_peak_bytes, tree_method) = match (leaf, watched.sampler_peak) {
            (Some(leaf), _) => (leaf.peak_bytes(), self.tree_method()),
            // Only what was sampled: wait4's figure is one process's RSS, another quantity.
            (None, peak) if self.sample_tree => (peak, TreeMethod::ProcSampling),
            (None, _) => (None, TreeMethod::None),
        };
        let oom_killed = leaf.and_then(Leaf::oom_kills).is_some_and(|n| n > 0);
        let memory_limit = self
            .memory_limit_bytes
            .filter(|_| watched.memory_limited || oom_killed);
        Ok(RunOutcome {
            wall,
            user: reaped.user,
            sys: reaped.sys,
            peak_rss_bytes: reaped.max_rss_bytes,
            tree_peak_bytes,
            tree_method,
            exit: exit_of(reaped.status, watched.timed_out, memory_limit),
            stdout: watched.stdout,
            stderr_tail: watched.stderr_tail,
        })
    }
}

fn open_stdin(spec: &RunSpec) -> anyhow::Result<OwnedFd> {
    let path = spec.stdin.as_deref();
    let file = File::open(path.unwrap_or("/dev/null".as_ref())).with_context(|| match path {
        Some(path) => format!("cannot open stdin file {}", path.display()),
        None => "cannot open /dev/null".to_string(),
    })?;
    Ok(file.into())
}

/// The program could not be started: its verdict when the program is to blame, else an error
/// of versus.
fn not_started(spec: &RunSpec, failure: SpawnFailure) -> anyhow::Error {
    let text = format!("cannot start {}: {failure}", spec.program.display());
    if failure.is_the_programs() {
        anyhow::Error::new(SpawnError(text))
    } else {
        anyhow::Error::new(failure).context(text)
    }
}

/// The `Instant` of a CLOCK_MONOTONIC reading (the clock `Instant` reads on Linux).
fn instant_of(monotonic: Duration) -> Instant {
    let now = Instant::now();
    let ago = spawner::monotonic().saturating_sub(monotonic);
    now.checked_sub(ago).unwrap_or(now)
}

/// The program could not be started (not found, not executable): the case's verdict, not a
/// failure of versus.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SpawnError(pub String);

fn exit_of(status: i32, timed_out: bool, memory_limit: Option<u64>) -> Exit {
    // A process of the tree was killed at the limit: whatever the leader did next is a
    // consequence of that.
    if let Some(bytes) = memory_limit {
        return Exit::MemoryLimit(bytes);
    }
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
