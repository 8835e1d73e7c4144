//! A case is one program measured on one toolchain at one size; these types carry a case from
//! the plan through the runner into the store.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::codesize::CodeSize;
use crate::language::Language;
use crate::machine::Busy;
use crate::measure::{RunSpec, TreeMethod};
use crate::names::named_enum;
use crate::suite::{Claim, Metric, Point, SizeName, Variant};
use crate::toolchain::Toolchain;
use crate::verify::Expected;

named_enum! {
    pub enum CaseKind {
        /// A workload of the suite.
        Workload => "workload",
        /// A toolchain's empty program: what a start costs before any work.
        Floor => "floor",
        /// A command given to `versus exec`.
        Command => "command",
        /// A URL loaded by `versus load` (stored with `--db`): one sample, the server's figures
        /// as a backend case's metrics.
        Load => "load",
    }
}

named_enum! {
    /// The verdict of a case. Anything but `Ok` is excluded from every ratio.
    pub enum CaseVerdict {
        Ok => "ok",
        WrongOutput => "wrong-output",
        Timeout => "timeout",
        Crashed => "crashed",
        /// A server that answered its readiness probe, then no request (each timed out or was
        /// still waiting at the end of the load).
        Hung => "hung",
        BuildFailed => "build-failed",
        MissingDependency => "missing-dependency",
        /// The program reached a limit of the machine (threads, memory) and said so by exiting
        /// with [`LIMIT_EXIT_CODE`]: a finding about the program's approach, not a bug.
        LimitReached => "limit-reached",
        /// The program's process tree passed `--memory-limit` and was stopped there. At a point
        /// of a sweep the verdict is `LimitReached` instead (how far an approach goes is a
        /// finding); for a plain case it is a failure: a program that leaks must not pass.
        OutOfMemory => "out-of-memory",
        Interrupted => "interrupted",
    }
}

named_enum! {
    /// Why the runner stopped measuring a group of cases.
    pub enum StopReason {
        /// Every ratio's interval reached the profile's precision target.
        Precise => "precise",
        /// The profile's time budget was spent first: the intervals may be wider than its target.
        Budget => "budget",
        /// The most rounds the profile (or the manifest's `runs`) allows.
        Rounds => "rounds",
    }
}

named_enum! {
    /// Which site-packages a Python program could import from.
    pub enum Packages {
        /// A venv versus made for the interpreter with nothing installed: the standard
        /// library only, none of the host's packages or `.pth` hooks.
        CleanVenv => "clean-venv",
        /// A venv versus made with the program's pinned requirements, and nothing else.
        RequirementsVenv => "requirements-venv",
        /// The interpreter's own site-packages (a clean venv could not be made).
        Interpreter => "interpreter",
    }
}

/// The exit status a program uses to say it reached a limit of the machine (75, EX_TEMPFAIL
/// in sysexits.h), with the reason on stderr.
pub const LIMIT_EXIT_CODE: i32 = 75;

impl CaseVerdict {
    /// A program that failed (exit code 3): wrong output, crash, timeout, a hung server, a
    /// failed build. A missing dependency is not the program's failure: the case is skipped
    /// and reported.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            CaseVerdict::WrongOutput
                | CaseVerdict::Timeout
                | CaseVerdict::Crashed
                | CaseVerdict::OutOfMemory
                | CaseVerdict::Hung
                | CaseVerdict::BuildFailed
        )
    }
}

/// Why a case cannot run at all: its verdict and the reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Unrunnable {
    pub verdict: CaseVerdict,
    pub detail: String,
}

impl Unrunnable {
    pub fn new(verdict: CaseVerdict, detail: impl Into<String>) -> Unrunnable {
        Unrunnable {
            verdict,
            detail: detail.into(),
        }
    }
}

/// Everything needed to run a case and to describe it afterwards.
#[derive(Clone, Debug)]
pub struct CaseSpec {
    pub kind: CaseKind,
    /// `suite/name` for workloads, the toolchain for floors, the command line for commands.
    pub workload: String,
    pub claim: Option<Claim>,
    pub language: Option<Language>,
    pub toolchain: Option<Toolchain>,
    pub variant: Option<Variant>,
    /// Names the library or flavour of the program (`numpy`, `multi-core`).
    pub label: Option<String>,
    /// What does the program's work when not its own language (`C (re module)`).
    pub backed_by: Option<String>,
    pub size: Option<SizeName>,
    /// What its ratio against the baseline is a ratio of (see [`Metric::common`]).
    pub metric: Metric,
    /// The value of the size's swept parameter this case runs at (`tasks=1000`).
    pub point: Option<Point>,
    /// At a ladder's point: the units of work it does (n³ for a matrix product of size n).
    pub work: Option<f64>,
    /// The command to run; `Err` when it cannot run (a failed build, a missing dependency).
    pub run: Result<RunSpec, Unrunnable>,
    pub expected: Expected,
    pub artifact_bytes: Option<u64>,
    pub build: Option<Build>,
    /// Python: which site-packages the program could see.
    pub packages: Option<Packages>,
    /// The program's source size, as the Benchmarks Game measures it.
    pub code_size: Option<CodeSize>,
    /// For a JIT (PyPy): run the program several times in one process once the case is
    /// measured, to see its warm-up apart from its steady state.
    pub steady_state: Option<SteadyState>,
    /// A backend case: `run` starts a server, which versus loads (see [`crate::backend`]).
    pub serve: Option<Serve>,
}

/// The steady-state harness run: `spec` writes one iteration time per line to `times_file`.
#[derive(Clone, Debug)]
pub struct SteadyState {
    pub spec: RunSpec,
    pub times_file: std::path::PathBuf,
}

impl SteadyState {
    /// Enough for PyPy's JIT to settle on these programs.
    pub const MAX_ITERATIONS: usize = 10;
    pub const MIN_ITERATIONS: usize = 3;
    /// Where the harness takes its iteration count (after the harness and the times file).
    const ITERATIONS_ARG: usize = 2;

    /// The harness command with as many iterations as fit in `budget` at `run_s` seconds each
    /// (between [`Self::MIN_ITERATIONS`] and [`Self::MAX_ITERATIONS`]).
    pub fn spec_within(&self, budget: Duration, run_s: f64) -> RunSpec {
        let fit = (budget.as_secs_f64() / run_s.max(1e-6)).floor() as usize;
        let iterations = fit.clamp(Self::MIN_ITERATIONS, Self::MAX_ITERATIONS);
        let mut spec = self.spec.clone();
        spec.args[Self::ITERATIONS_ARG] = iterations.to_string().into();
        spec
    }
}

impl RunRecord {
    /// User + system CPU time of the run's process tree.
    pub fn cpu(&self) -> Duration {
        self.user + self.sys
    }

    /// The run's value of `metric`, in seconds (`None`: a reported time it did not report).
    pub fn seconds(&self, metric: &Metric) -> Option<f64> {
        metric.pick(self.wall.as_secs_f64(), self.cpu().as_secs_f64(), |name| {
            self.metrics
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, value)| *value)
        })
    }
}

impl CaseSpec {
    /// How the case is named in progress lines and errors.
    pub fn label(&self) -> String {
        label(
            self.toolchain.as_ref().map(Toolchain::label),
            self.variant.map(Variant::as_str),
            self.label.as_deref(),
            &self.workload,
        )
    }
}

/// `cpython 3.11.7`, `go 1.26.8 (optimized: multi-core)`, `cpython 3.11.7 (library-backed:
/// numpy)`, or (no toolchain: a command) the workload.
pub fn label(
    toolchain: Option<String>,
    variant: Option<&str>,
    label: Option<&str>,
    workload: &str,
) -> String {
    let base = toolchain.unwrap_or_else(|| workload.to_string());
    let variant = variant.filter(|v| *v != Variant::Idiomatic.as_str());
    match (variant, label) {
        (Some(variant), Some(label)) => format!("{base} ({variant}: {label})"),
        (Some(variant), None) => format!("{base} ({variant})"),
        (None, Some(label)) => format!("{base} ({label})"),
        (None, None) => base,
    }
}

/// One timed run that passed verification.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    pub round: usize,
    pub wall: Duration,
    pub user: Duration,
    pub sys: Duration,
    pub peak_rss_bytes: u64,
    pub tree_peak_bytes: Option<u64>,
    pub tree_method: TreeMethod,
    /// What the program reported of itself (`spawn_s`, `round_trips_per_s`), see
    /// [`crate::measure::METRICS_VAR`].
    pub metrics: Vec<(String, f64)>,
}

/// What the runner found for a case.
#[derive(Clone, Debug)]
pub struct CaseResult {
    pub verdict: CaseVerdict,
    /// Why it failed: first differing bytes, exit status and stderr tail, build output.
    pub detail: Option<String>,
    pub runs: Vec<RunRecord>,
    pub warmup_runs: usize,
    pub busy: Option<Busy>,
    /// Iteration times in one process (steady-state harness), when it ran.
    pub in_process: Vec<Duration>,
    /// Why its group stopped (a case that failed stopped for its own reason).
    pub stopped_by: Option<StopReason>,
    /// The precision the profile aimed at: the half-width of a ratio's 95% interval, relative.
    pub precision_target: Option<f64>,
}

/// Cases measured together, interleaved. `baselines` are the cases the others are compared
/// with: one, or for a ladder one per point (each case is compared with the baseline at its own
/// point).
#[derive(Clone, Debug)]
pub struct Group {
    pub label: String,
    pub cases: Vec<CaseSpec>,
    pub baselines: Vec<usize>,
    /// Timed runs and warm-ups when the manifest sets fewer than the profile would (slow sweep
    /// points).
    pub runs: Option<usize>,
    pub warmup: Option<usize>,
}

impl Group {
    /// The case that case `i` is compared with: the group's baseline at its point (none for a
    /// baseline itself).
    pub fn comparator(&self, i: usize) -> Option<usize> {
        self.baselines
            .iter()
            .copied()
            .find(|&b| b != i && self.cases[b].point == self.cases[i].point)
            .filter(|_| !self.baselines.contains(&i))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Build {
    /// How long the build took when it was made (a cached build keeps its original time).
    pub seconds: f64,
    pub cached: bool,
}

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
    /// the same workload have run (see [`Maxima`]).
    ShareOfSlowest { percent: u32 },
    /// Open loop at this many requests per second.
    Fixed { per_s: u64, percent: u32 },
}
