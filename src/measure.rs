//! Measure one run of a program: spawn it directly (no shell) in its own process group, stream
//! its stdout into a hash, and record wall time, CPU time, peak RSS and the peak memory of its
//! whole process tree. Nothing here decides whether the output is right ([`crate::verify`]) or
//! what the numbers mean ([`crate::stats`]).

mod cgroup;
mod output;
mod process;
mod sampler;
pub mod scripted;
mod spawner;

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use output::{CapturedOutput, HEAD_BYTES};
pub use process::{ProcessExecutor, SpawnError};

/// What to run, once.
#[derive(Clone, Debug)]
pub struct RunSpec {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub cwd: Option<PathBuf>,
    /// Fed on stdin; `None` means /dev/null.
    pub stdin: Option<PathBuf>,
    /// The run is killed (its whole group and cgroup) after this long.
    pub timeout: Duration,
    /// Bytes of stdout to keep (the rest is only hashed).
    pub capture_limit: usize,
    /// Variables added to the inherited environment.
    pub env: Vec<(OsString, OsString)>,
    /// Send stdout to this file instead of hashing it (a generator writing an input).
    pub stdout_file: Option<PathBuf>,
    /// Told the child's pid as soon as it is spawned, for a caller that works with the
    /// running program (a server under load, see [`crate::backend`]).
    pub on_spawn: Option<std::sync::mpsc::Sender<Spawned>>,
}

/// A child just started: its pid (also its process group) and when.
#[derive(Clone, Debug)]
pub struct Spawned {
    pub pid: i32,
    pub at: std::time::Instant,
    /// Readable once the child has exited (its pidfd), opened before the child can be reaped:
    /// while it is not readable, `pid` is still this child and its process group the run's.
    pub exit_fd: Option<std::sync::Arc<std::os::fd::OwnedFd>>,
}

impl RunSpec {
    pub fn new(program: impl Into<PathBuf>, args: Vec<OsString>, timeout: Duration) -> RunSpec {
        RunSpec {
            program: program.into(),
            args,
            cwd: None,
            stdin: None,
            timeout,
            capture_limit: HEAD_BYTES,
            env: Vec::new(),
            stdout_file: None,
            on_spawn: None,
        }
    }
}

/// The environment variable naming the file where a program may write what it measured of
/// itself, one `name value` line each (`spawn_s 0.41`).
pub const METRICS_VAR: &str = "VERSUS_METRICS";

/// The longest per-run limit accepted: a week.
pub const MAX_TIMEOUT_S: f64 = 7.0 * 86_400.0;

/// The most timed runs per case accepted (`exec --runs`, a manifest's `runs`): more would
/// narrow no interval worth having and, for a slow program, run for days.
pub const MAX_RUNS: u64 = 10_000;

/// The most untimed warm-up runs per case accepted (`exec --warmup`, a manifest's `warmup`).
pub const MAX_WARMUP: u64 = 1_000;

/// A per-run limit from seconds given by a user: positive, finite, at most [`MAX_TIMEOUT_S`].
pub fn timeout_from_secs(seconds: f64) -> Option<Duration> {
    (seconds.is_finite() && seconds > 0.0 && seconds <= MAX_TIMEOUT_S)
        .then(|| Duration::from_secs_f64(seconds))
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "value")]
pub enum Exit {
    Code(i32),
    Signal(i32),
    TimedOut,
    Interrupted,
    /// Stopped at the memory limit of its whole process tree (`--memory-limit`): the kernel's
    /// OOM killer in the run's cgroup, or versus's sampler, killed it.
    MemoryLimit(u64),
}

impl Exit {
    pub fn success(self) -> bool {
        self == Exit::Code(0)
    }
}

/// A memory limit as the user reads it: `256 MiB`, `2 GiB`, `17.7 GiB` (the default share of
/// a machine's memory is rarely round).
pub fn memory_limit_text(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;
    match bytes {
        b if b % GIB == 0 => format!("{} GiB", b / GIB),
        b if b % MIB == 0 && b < GIB => format!("{} MiB", b / MIB),
        b if b >= GIB => format!("{:.1} GiB", b as f64 / GIB as f64),
        b => format!("{:.1} MiB", b as f64 / MIB as f64),
    }
}

/// As a person reads it (`exit status 1`, `killed by signal 9 (SIGKILL)`), for messages.
impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Exit::Code(code) => write!(f, "exit status {code}"),
            Exit::Signal(signal) => write!(
                f,
                "killed by signal {signal} ({})",
                crate::text::signal_name(signal)
            ),
            Exit::TimedOut => f.write_str("killed at its time limit"),
            Exit::Interrupted => f.write_str("interrupted"),
            Exit::MemoryLimit(bytes) => write!(
                f,
                "stopped at the memory limit of its process tree, {} (--memory-limit)",
                memory_limit_text(bytes)
            ),
        }
    }
}

/// How the peak memory of the process tree was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TreeMethod {
    /// cgroup v2 `memory.peak` of a cgroup made for the run: exact.
    CgroupV2,
    /// cgroup v1 `memory.max_usage_in_bytes` of a cgroup made for the run: exact.
    CgroupV1,
    /// The summed RSS of the process group, sampled from /proc: a lower bound.
    ProcSampling,
    /// Not measured (scripted runs in tests).
    None,
}

impl TreeMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            TreeMethod::CgroupV2 => "cgroup-v2",
            TreeMethod::CgroupV1 => "cgroup-v1",
            TreeMethod::ProcSampling => "proc-sampling",
            TreeMethod::None => "none",
        }
    }
}

/// Everything measured about one run.
#[derive(Clone, Debug)]
pub struct RunOutcome {
    pub wall: Duration,
    pub user: Duration,
    pub sys: Duration,
    /// `ru_maxrss` from wait4 on the child: the largest single process.
    pub peak_rss_bytes: u64,
    /// Peak memory of the whole tree, when it could be measured.
    pub tree_peak_bytes: Option<u64>,
    pub tree_method: TreeMethod,
    pub exit: Exit,
    pub stdout: CapturedOutput,
    pub stderr_tail: Vec<u8>,
}

/// The measurement seam: the real one spawns processes, a test one returns scripted outcomes.
pub trait Executor {
    fn execute(&mut self, spec: &RunSpec) -> anyhow::Result<RunOutcome>;

    /// The tree-memory method this executor uses, for the run's environment record.
    fn tree_method(&self) -> TreeMethod;
}

/// A helper command's result (a version probe, a build): not a measurement.
#[derive(Debug)]
pub struct HelperOutput {
    pub exit: Exit,
    pub wall: Duration,
    pub stdout: Vec<u8>,
    pub stderr_tail: Vec<u8>,
}

/// Runs a helper command with the same care as a measured run (own process group, timeout,
/// killed on Ctrl-C), keeping up to 1 MiB of its stdout.
pub fn run_helper(mut spec: RunSpec) -> anyhow::Result<HelperOutput> {
    spec.capture_limit = spec.capture_limit.max(1 << 20);
    let outcome = ProcessExecutor::untracked().execute(&spec)?;
    Ok(HelperOutput {
        exit: outcome.exit,
        wall: outcome.wall,
        stdout: outcome.stdout.head,
        stderr_tail: outcome.stderr_tail,
    })
}
