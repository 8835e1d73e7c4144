//! The suite: workloads loaded from their manifests, and the selection a command asks for.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::language::Language;
use crate::names::named_enum;
use crate::verify::Expected;

named_enum! {
    /// What the article claims a workload measures.
    pub enum Claim {
        RuntimeSpeed => "runtime-speed",
        Startup => "startup",
        Concurrency => "concurrency",
        Backend => "backend",
        Data => "data",
        Interop => "interop",
        Typing => "typing",
        CodeSize => "code-size",
        Memory => "memory",
    }
}

named_enum! {
    pub enum Variant {
        Idiomatic => "idiomatic",
        Optimized => "optimized",
        LibraryBacked => "library-backed",
    }
}

/// What a comparison's headline ratio is a ratio of. Written `wall`, `cpu` or
/// `reported:NAME` in manifests, the store and JSON, so the kind of a value survives the store.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub enum Metric {
    /// Elapsed time: for anything parallel, I/O-bound, or a server.
    Wall,
    /// User + system CPU time of the process tree: for single-threaded work, whose CPU
    /// time moves far less with the neighbours than its wall time.
    Cpu,
    /// A time the program measured of itself and wrote to `$VERSUS_METRICS`: the phase a claim
    /// is about (a batch of requests) without the start-up and imports around it.
    Reported(ReportedTime),
}

/// The name of a time a program reports of itself, in seconds: `[a-z0-9_.]`, ending in `_s`
/// (not `_per_s`, a rate, which reads the other way round: higher is better).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReportedTime(String);

impl ReportedTime {
    pub fn new(name: &str) -> Result<ReportedTime, String> {
        let valid_chars = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
        if name.is_empty() || name.len() > 64 || !valid_chars {
            return Err(format!(
                "`{name}` is not a metric name (1 to 64 of a-z, 0-9, `_` and `.`)"
            ));
        }
        if !name.ends_with("_s") || name.ends_with("_per_s") {
            return Err(format!(
                "`{name}` is not a time: a reported headline is a time in seconds, its name \
                 ending in `_s` (e.g. `batch_s`)"
            ));
        }
        Ok(ReportedTime(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Metric {
    const REPORTED_PREFIX: &'static str = "reported:";

    /// `wall`, `cpu` or `reported:NAME`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Metric> {
        Metric::try_from(text.to_string()).ok()
    }

    /// How a table names it beside a ratio: `wall`, `cpu`, or the reported name (`batch_s`).
    pub fn label(&self) -> &str {
        match self {
            Metric::Wall => "wall",
            Metric::Cpu => "cpu",
            Metric::Reported(name) => name.as_str(),
        }
    }

    /// The metric two cases can be compared on: CPU time only when both are single-threaded
    /// work, a reported time only when both report the same one; else wall time. A parallel
    /// program's CPU time is not its speed.
    pub fn common(a: &Metric, b: &Metric) -> Metric {
        match (a, b) {
            (Metric::Cpu, Metric::Cpu) => Metric::Cpu,
            (Metric::Reported(x), Metric::Reported(y)) if x == y => a.clone(),
            _ => Metric::Wall,
        }
    }

    /// This metric's value of one run, in seconds: `None` when it is a reported time the run
    /// did not report.
    pub fn pick(
        &self,
        wall_s: f64,
        cpu_s: f64,
        reported: impl Fn(&str) -> Option<f64>,
    ) -> Option<f64> {
        match self {
            Metric::Wall => Some(wall_s),
            Metric::Cpu => Some(cpu_s),
            Metric::Reported(name) => reported(name.as_str()),
        }
    }

    /// How far a paired ratio of this metric must lie from 1 before a difference is called, on
    /// top of its interval. Checked by A/A runs inside one run on a shared 2-core VM (a command
    /// against itself, interleaved: 1 false call in 60, BENCHMARKS.md "A/A inside one run").
    /// Between two runs the drift is larger: `versus compare` has its own floor. A reported
    /// time is elapsed time too (a phase's clock inside the program), and shorter than the
    /// whole process, so it gets no less than wall time's floor.
    pub fn noise_floor(&self) -> f64 {
        match self {
            Metric::Wall | Metric::Reported(_) => 0.05,
            Metric::Cpu => 0.03,
        }
    }

    /// The other one, shown beside the headline: for a reported time, the whole process's
    /// wall time, which holds it.
    pub fn other(&self) -> Metric {
        match self {
            Metric::Wall => Metric::Cpu,
            Metric::Cpu | Metric::Reported(_) => Metric::Wall,
        }
    }
}

impl TryFrom<String> for Metric {
    type Error = String;

    fn try_from(text: String) -> Result<Metric, String> {
        match text.as_str() {
            "wall" => Ok(Metric::Wall),
            "cpu" => Ok(Metric::Cpu),
            other => match other.strip_prefix(Metric::REPORTED_PREFIX) {
                Some(name) => ReportedTime::new(name).map(Metric::Reported),
                None => Err(format!(
                    "unknown metric `{other}`: expected `wall`, `cpu` or `reported:NAME` (a \
                     time the program writes to $VERSUS_METRICS, e.g. `reported:batch_s`)"
                )),
            },
        }
    }
}

impl From<Metric> for String {
    fn from(metric: Metric) -> String {
        metric.to_string()
    }
}

impl std::fmt::Display for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Metric::Reported(name) => write!(f, "{}{}", Metric::REPORTED_PREFIX, name.as_str()),
            _ => f.write_str(self.label()),
        }
    }
}

named_enum! {
    pub enum SizeName {
        Small => "small",
        Default => "default",
        Large => "large",
        /// What the tour (`versus run` with no names) runs, when cheaper than `default`.
        Tour => "tour",
        /// Several work sizes in one interleaved group, fitted as fixed + marginal cost: what
        /// `--ladder` and the standard and thorough profiles run where a workload has one.
        Ladder => "ladder",
    }
}

#[derive(Debug)]
pub struct Workload {
    pub suite: String,
    pub name: String,
    pub dir: PathBuf,
    pub manifest_path: PathBuf,
    pub claim: Claim,
    pub description: String,
    pub tour: bool,
    /// What its programs' ratios are a ratio of, unless an implementation says otherwise.
    pub metric: Metric,
    /// The programs talk to versus's own HTTP server (`VERSUS_SERVER_URL`).
    pub server: bool,
    /// The programs are servers, started and loaded by versus (`[backend]`, see
    /// [`crate::backend`]).
    pub backend: Option<Backend>,
    pub sizes: BTreeMap<SizeName, Size>,
    /// Set for `claim = "typing"`: the planted mistake, checked rather than timed.
    pub typing: Option<Typing>,
    pub implementations: Vec<Implementation>,
}

#[derive(Clone, Debug)]
pub struct Typing {
    /// The kind of mistake, as the report names it.
    pub mistake: String,
    /// Pinned requirements of the Python type checker.
    pub checker: Option<PathBuf>,
    /// A control: no tool should find it.
    pub expect_never: bool,
}

impl Workload {
    /// `suite/name`, the workload's full name.
    pub fn id(&self) -> String {
        format!("{}/{}", self.suite, self.name)
    }

    /// The requested size, or `default` when the workload has no such size.
    pub fn size(&self, wanted: SizeName) -> (SizeName, &Size) {
        match self.sizes.get(&wanted) {
            Some(size) => (wanted, size),
            None => (SizeName::Default, &self.sizes[&SizeName::Default]),
        }
    }
}

#[derive(Debug)]
pub struct Size {
    /// May hold `{name}` of the sweep's parameter, replaced by each point's value.
    pub args: Vec<String>,
    pub stdin: Option<Stdin>,
    pub timeout: Duration,
    pub expected: ExpectedSpec,
    /// One case per point of a parameter (tasks, workers), instead of one case.
    pub sweep: Option<Sweep>,
    /// Timed runs per case, when fewer than the profile would choose (slow sweep points).
    pub runs: Option<usize>,
    /// Untimed warm-up runs per case, instead of the profile's.
    pub warmup: Option<usize>,
    /// How a backend workload loads its servers at this size.
    pub load: Option<LoadSettings>,
}

/// What a backend workload asks of each server: one request, sent again and again.
#[derive(Clone, Debug)]
pub struct Backend {
    pub method: String,
    /// Path and query, e.g. `/compute?n=1000`.
    pub path: String,
    pub body: Vec<u8>,
    /// Polled with GET until it answers 200: the server is then ready.
    pub ready_path: String,
    pub ready_timeout: Duration,
    /// A Python script run once per run with a file path; servers find the file in
    /// `VERSUS_BACKEND_DB`.
    pub database: Option<PathBuf>,
}

/// How hard and how long a size loads each server.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadSettings {
    pub connections: usize,
    pub duration: Duration,
    /// Load before each measured phase, not counted.
    pub warmup: Duration,
    /// The fixed rates after the maximum, in percent of the slowest server's maximum.
    pub rates_percent: Vec<u32>,
}

/// The expected output of a size: fixed, or (for a sweep) a template of the point's value.
#[derive(Clone, Debug)]
pub enum ExpectedSpec {
    Fixed(Expected),
    /// Exact text with `{name}` replaced.
    Text(String),
    /// A file whose path holds `{name}`, relative to the workload's folder.
    File {
        path: String,
        tolerance: Option<crate::verify::Tolerance>,
    },
}

impl ExpectedSpec {
    /// The expected output at one point of a sweep (or of a size without one). The error says
    /// what is missing, for a [`UserError::Manifest`].
    pub fn resolve(&self, dir: &Path, point: Option<&Point>) -> Result<Expected, String> {
        match self {
            ExpectedSpec::Fixed(expected) => Ok(expected.clone()),
            ExpectedSpec::Text(template) => {
                let bytes = Point::substitute(point, template).into_bytes();
                Ok(Expected::Exact {
                    sha256: crate::digest::Digest::of(&bytes),
                    bytes: Some(Arc::new(bytes)),
                })
            }
            ExpectedSpec::File { path, tolerance } => {
                let path = dir.join(Point::substitute(point, path));
                let bytes = std::fs::read(&path)
                    .map_err(|e| format!("cannot read expected output {}: {e}", path.display()))?;
                Ok(match tolerance {
                    Some(tolerance) => Expected::Tolerant {
                        bytes: Arc::new(bytes),
                        tolerance: *tolerance,
                    },
                    None => Expected::Exact {
                        sha256: crate::digest::Digest::of(&bytes),
                        bytes: Some(Arc::new(bytes)),
                    },
                })
            }
        }
    }
}

/// A parameter swept over values: `sweep = { tasks = [1, 1000] }`, each point its own group;
/// or a ladder of work sizes, `ladder = { n = [256, 512, 1024], work = "n^3" }`, whose points
/// run interleaved in one group so that a line `time = fixed + marginal × work` can be fitted.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    pub name: String,
    pub values: SweepValues,
    /// Set for a ladder: the units of work at each point.
    pub work: Option<Work>,
}

impl Sweep {
    /// The units of work at `value`, for a ladder.
    pub fn work_at(&self, value: u64) -> Option<f64> {
        match self.work.as_ref()? {
            Work::Power(k) => Some((value as f64).powf(*k)),
            Work::Listed(listed) => {
                let SweepValues::List(values) = &self.values else {
                    return None;
                };
                let i = values.iter().position(|v| *v == value)?;
                listed.get(i).copied()
            }
        }
    }
}

/// How much work a ladder's point is: the parameter to a power (`"n^3"`, `"n"`), or a number
/// per point.
#[derive(Clone, Debug, PartialEq)]
pub enum Work {
    Power(f64),
    Listed(Vec<f64>),
}

impl Work {
    /// `"n^3"` for a parameter `n` → 3; `"n"` → 1.
    pub fn parse_power(text: &str, parameter: &str) -> Option<Work> {
        let text = text.replace(' ', "");
        let rest = text.strip_prefix(parameter)?;
        let power = match rest.strip_prefix('^') {
            Some(power) => power.parse::<f64>().ok()?,
            None if rest.is_empty() => 1.0,
            None => return None,
        };
        (power.is_finite() && power > 0.0).then_some(Work::Power(power))
    }

    /// The parameter's value that makes `work` units, when there is a formula for it.
    pub fn value_for(&self, work: f64) -> Option<f64> {
        match self {
            Work::Power(k) if work > 0.0 => Some(work.powf(1.0 / k)),
            _ => None,
        }
    }

    /// As the manifest writes it: `n^3`, or `listed`.
    pub fn describe(&self, parameter: &str) -> String {
        match self {
            Work::Power(k) if *k == 1.0 => parameter.to_string(),
            Work::Power(k) => format!("{parameter}^{k}"),
            Work::Listed(_) => "as listed".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SweepValues {
    List(Vec<u64>),
    /// 1, 2, 4, … up to twice the cores, with the cores and twice the cores included.
    UpToTwiceTheCores,
}

impl SweepValues {
    pub const UP_TO_TWICE_THE_CORES: &'static str = "up-to-twice-the-cores";

    pub fn resolve(&self, cores: usize) -> Vec<u64> {
        match self {
            SweepValues::List(values) => values.clone(),
            SweepValues::UpToTwiceTheCores => {
                let cores = cores.max(1) as u64;
                let mut values: Vec<u64> = std::iter::successors(Some(1u64), |v| Some(v * 2))
                    .take_while(|v| *v <= 2 * cores)
                    .chain([cores, 2 * cores])
                    .collect();
                values.sort_unstable();
                values.dedup();
                values
            }
        }
    }
}

/// One value of a swept parameter.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Point {
    pub name: String,
    pub value: u64,
}

impl Point {
    /// `text` with `{name}` replaced by the value.
    pub fn substitute(point: Option<&Point>, text: &str) -> String {
        match point {
            Some(p) => text.replace(&format!("{{{}}}", p.name), &p.value.to_string()),
            None => text.to_string(),
        }
    }
}

impl std::fmt::Display for Point {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.name, self.value)
    }
}

/// Where a size's stdin comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Stdin {
    File(PathBuf),
    /// The output of a program, made once and cached; it must have this digest.
    Generated {
        generator: PathBuf,
        args: Vec<String>,
        sha256: crate::digest::Digest,
    },
}

#[derive(Clone, Debug)]
pub struct Implementation {
    pub language: Language,
    /// Absolute path of the program's file or folder.
    pub source: PathBuf,
    pub variant: Variant,
    /// Names the library or the flavour, e.g. `numpy`, `multi-core`.
    pub label: Option<String>,
    /// What does the work when it is not the program's own language: a standard library
    /// written in C (`C (re module)`). Shown in reports; the runtime-speed mean is also given
    /// without such programs.
    pub backed_by: Option<String>,
    /// The workload's metric, or this program's own (a multi-core variant of single-threaded
    /// work is compared on wall time).
    pub metric: Metric,
    /// Python: a pinned requirements file installed into a managed venv.
    pub requirements: Option<PathBuf>,
    /// Python: a Go package built as a C shared library, passed in `VERSUS_GO_LIBRARY`.
    pub go_library: Option<PathBuf>,
    /// Typing workloads: the line of the planted mistake.
    pub mistake_line: Option<u32>,
    /// Arguments given instead of the source and the size's arguments, run in the source's
    /// folder (a server started as `python -m uvicorn app:app …`).
    pub args: Option<Vec<String>>,
    /// Variables this program runs with (`env = { GOGC = "off" }`), on top of the environment
    /// of [`crate::childenv`], in name order.
    pub env: Vec<(String, String)>,
}
