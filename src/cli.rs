//! The command line, exactly as scripts call it. Parsing only: [`crate::settings`] turns it into
//! what a command needs.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0    every case ran and its output was verified
  1    internal error of versus
  2    usage error, malformed manifest, unknown workload, unusable --db
  3    at least one case failed (wrong output, crash, timeout, hung server, build
       failure, out of memory under --memory-limit);
       a missing dependency (a package that cannot be installed) is reported, not failed
  130  interrupted (SIGINT/SIGTERM); cases already finished are stored";

/// Python against Go, measured on your machine.
///
/// Runs equivalent Python and Go programs, checks every output, measures time, CPU and the peak
/// memory of the whole process tree, compares them with confidence intervals, and stores every
/// result in SQLite.
#[derive(Debug, Parser)]
#[command(name = "versus", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[command(flatten)]
    pub global: GlobalArgs,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// SQLite database of results [default: $XDG_DATA_HOME/versus/versus.db]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Python to use instead of PATH's python3 and pypy3 (repeat for several): a version among
    /// those discovered (`3.13`, `3.13.1`, `3.13t`, `pypy3.10`), `all` for every one `versus
    /// doctor` lists, or an interpreter's path (a value with a `/`)
    #[arg(long = "python", global = true, value_name = "VERSION|PATH")]
    pub pythons: Vec<OsString>,

    /// Go toolchain (`go` executable) to use instead of the one on PATH
    #[arg(long, global = true, value_name = "PATH")]
    pub go: Option<PathBuf>,

    /// A workloads folder to use instead of the built-in suite
    #[arg(long, global = true, value_name = "DIR")]
    pub workloads: Option<PathBuf>,

    /// Run every measured program with this variable set (repeat for several). Variables that
    /// change how a runtime behaves (PYTHON*, GOGC, GOMAXPROCS, GODEBUG, OMP_* …) are otherwise
    /// removed from the programs' environment
    #[arg(long = "env", global = true, value_name = "KEY=VALUE", value_parser = crate::childenv::parse_assignment)]
    pub env: Vec<(String, String)>,

    /// Stop a measured program whose whole process tree uses more memory than this: a size
    /// (`256M`, `2GiB`, `1.5G`; K, M, G, T are powers of 1024), a share of this machine's
    /// memory (`50%`), or `none`. Its verdict is `out-of-memory` (`limit-reached` at a point of
    /// a sweep)
    #[arg(long, global = true, value_name = "SIZE", default_value = "75%", value_parser = parse_memory_limit)]
    pub memory_limit: MemoryLimitArg,

    /// Width of tables and prose on a terminal, in columns: long cells wrap to fit
    /// [default: the terminal's; piped or written to a file: no limit, a cell on one line; 0: no limit]
    #[arg(long, global = true, value_name = "COLUMNS")]
    pub width: Option<usize>,
}

/// `--memory-limit`, as written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MemoryLimitArg {
    Bytes(u64),
    /// Percent of the machine's physical memory, in (0, 100].
    Share(f64),
    None,
}

/// `256M`, `256MiB`, `2G`, `1.5GiB`, `1048576`, `75%`, `none`. Hand-written rather than a
/// size crate's: those read `M` as 10^6 where memory limits (docker, cgroups, JVM -Xmx) mean
/// 2^20, and none takes a share of the machine.
pub fn parse_memory_limit(text: &str) -> Result<MemoryLimitArg, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("none") {
        return Ok(MemoryLimitArg::None);
    }
    let invalid = || format!("`{text}` is not a size: write e.g. 256M, 2GiB, 50% or none");
    if let Some(percent) = text.strip_suffix('%') {
        let share: f64 = percent.trim().parse().map_err(|_| invalid())?;
        return if share > 0.0 && share <= 100.0 {
            Ok(MemoryLimitArg::Share(share))
        } else {
            Err(format!(
                "`{text}` is not a share of memory: write 1% to 100%"
            ))
        };
    }
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| invalid())?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit.trim_end_matches("ib").trim_end_matches('b');
    let power = ["", "k", "m", "g", "t"]
        .iter()
        .position(|u| *u == unit)
        .ok_or_else(invalid)?;
    let bytes = number * 1024f64.powi(power as i32);
    // At least a mebibyte: less cannot even start an interpreter, and is surely a typo.
    if !(bytes.is_finite() && bytes >= (1u64 << 20) as f64 && bytes < u64::MAX as f64) {
        return Err(format!(
            "`{text}` is not a usable memory limit: give at least 1M"
        ));
    }
    Ok(MemoryLimitArg::Bytes(bytes as u64))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run workloads (the tour when none is named; `all` for every workload)
    #[command(after_help = EXIT_CODES)]
    Run(RunArgs),
    /// Measure arbitrary commands with the same engine, hyperfine-style, interleaved
    #[command(after_help = EXIT_CODES)]
    Exec(ExecArgs),
    /// List workloads: the claim each measures, sizes and languages
    List,
    /// Show toolchains found, the machine, and warnings before a run
    Doctor,
    /// Show a stored run
    Report(ReportArgs),
    /// Two stored runs side by side: per case, the change and whether it is outside the noise
    Compare(CompareArgs),
    /// Write a stored run as versioned JSON, with everything stored of it, to import elsewhere
    Export(ExportArgs),
    /// Store a run written by `versus export` in --db, as a new run (with an id of its own)
    Import(ImportArgs),
    /// Python, Go or both for your goals, by the article's rule and this machine's measurements
    Advise(AdviseArgs),
    /// The article, its sentences quoted and checked against a stored run's measurements
    Article(ArticleArgs),
    /// Drive an HTTP/1.1 server with load: closed loop (throughput) or --rate (latency at a rate)
    Load(LoadArgs),
    /// Print a shell completion script (e.g. `versus completions bash > ~/.local/share/bash-completion/completions/versus`)
    Completions(CompletionsArgs),
    /// Print the manual page, in roff (e.g. `versus man | man -l -`; `versus man run` for the
    /// page of one subcommand, versus-run(1))
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (the main page without one)
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(
    after_long_help = "Goals: learning, data, automation, backend, cloud, cli.\n\
Priorities: latency, throughput, memory, deployment, writing-speed, team-python, team-go.\n\
Without flags, in a terminal, versus asks."
)]
pub struct AdviseArgs {
    /// What you want to build (repeatable or comma-separated)
    #[arg(long = "goal", value_delimiter = ',', value_name = "GOAL")]
    pub goals: Vec<String>,

    /// What matters most (repeatable or comma-separated)
    #[arg(long = "priority", value_delimiter = ',', value_name = "PRIORITY")]
    pub priorities: Vec<String>,

    #[arg(long, value_enum, default_value_t = AdviseFormat::Table)]
    pub format: AdviseFormat,

    /// Write to this file instead of stdout
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct ArticleArgs {
    /// A run id, or `latest`
    #[arg(default_value = "latest", value_name = "RUN_ID|latest")]
    pub run: String,

    #[arg(long, value_enum, default_value_t = ArticleFormat::Markdown)]
    pub format: ArticleFormat,

    /// Write to this file instead of stdout (e.g. `--format html -o article.html`)
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A run id, or `latest`
    #[arg(default_value = "latest", value_name = "RUN_ID|latest")]
    pub run: String,

    /// Write to this file instead of stdout
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A file written by `versus export`
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The run compared against (a run id, or `latest`)
    #[arg(value_name = "RUN_A")]
    pub run_a: String,

    /// The run compared (a run id, or `latest`)
    #[arg(value_name = "RUN_B")]
    pub run_b: String,

    /// Read RUN_B from this database (another machine's) instead of --db
    #[arg(long, value_name = "PATH")]
    pub db_b: Option<std::path::PathBuf>,

    /// Call a change of a time only beyond this fraction (default 0.20, from A/A runs on a
    /// shared 2-core VM; scripts/bench-aa.sh measures your machine's)
    #[arg(long, value_name = "FRACTION")]
    pub noise_floor: Option<f64>,

    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,

    /// Write to this file instead of stdout
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Workloads or suites (`nbody`, `cpu`, `cpu/nbody`, `all`); none runs the tour
    #[arg(value_name = "WORKLOAD_OR_SUITE")]
    pub names: Vec<String>,

    /// How long to measure: quick (±5% target), standard (±2%), thorough (±1%)
    #[arg(long, value_enum, default_value_t = Profile::Quick)]
    pub profile: Profile,

    /// Input size of every workload (default: `default`; the tour uses a workload's `tour` size
    /// where it has one, the standard and thorough profiles its `ladder`)
    #[arg(long, value_enum, conflicts_with = "ladder")]
    pub size: Option<SizeArg>,

    /// Measure each workload's ladder of work sizes where it has one (`--size ladder`): fixed
    /// and marginal cost, and where the lines cross
    #[arg(long)]
    pub ladder: bool,

    /// Languages to run, comma-separated (default: every language found)
    #[arg(long = "lang", value_delimiter = ',', value_name = "LANG,...")]
    pub langs: Vec<String>,

    /// Worker counts of the sweeps over workers (default: 1, 2, 4 … up to twice the cores)
    #[arg(long, value_delimiter = ',', value_name = "N,...", value_parser = clap::value_parser!(u64).range(1..))]
    pub workers: Vec<u64>,

    /// Task counts of the sweeps over tasks (default: the manifest's, e.g. 1 to 1,000,000)
    #[arg(long, value_delimiter = ',', value_name = "N,...", value_parser = clap::value_parser!(u64).range(1..))]
    pub tasks: Vec<u64>,

    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

impl RunArgs {
    /// The sweep points given on the command line, by parameter name.
    pub fn sweep_overrides(&self) -> std::collections::BTreeMap<String, Vec<u64>> {
        [("workers", &self.workers), ("tasks", &self.tasks)]
            .into_iter()
            .filter(|(_, values)| !values.is_empty())
            .map(|(name, values)| (name.to_string(), values.clone()))
            .collect()
    }
}

#[derive(Debug, Args)]
#[command(
    override_usage = "versus exec [OPTIONS] -- CMD [ARGS...] [--vs CMD [ARGS...]]",
    after_long_help = "Each command is run directly (no shell). With --vs, the two commands are \
                       interleaved in shuffled order and their ratio (second / first) is reported with \
                       a 95% bootstrap confidence interval.\n\nExample:\n  \
                       versus exec --runs 50 -- python3 -c pass --vs go run hello.go"
)]
pub struct ExecArgs {
    /// Timed runs per command, 1 to 10000 (default: adaptive, as with --profile)
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=crate::measure::MAX_RUNS))]
    pub runs: Option<u64>,

    /// Untimed warm-up runs per command, 0 to 1000
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=crate::measure::MAX_WARMUP))]
    pub warmup: Option<u64>,

    /// How long to measure when --runs is not given
    #[arg(long, value_enum, default_value_t = Profile::Quick)]
    pub profile: Profile,

    /// Per-run time limit in seconds
    #[arg(long, default_value_t = 600.0, value_name = "SECONDS")]
    pub timeout: f64,

    /// What the ratio is a ratio of: elapsed time, or user + system CPU time (for
    /// single-threaded commands, it moves less with the neighbours)
    #[arg(long, value_enum, default_value_t = MetricArg::Wall)]
    pub metric: MetricArg,

    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Also write the results as hyperfine's JSON (`hyperfine --export-json`) to this file
    #[arg(long, value_name = "FILE")]
    pub export_json: Option<PathBuf>,

    /// The command, then optionally `--vs` and a second command
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<OsString>,
}

#[derive(Debug, Args)]
#[command(after_long_help = "\
Without --rate the loop is closed (as wrk and oha): each connection sends its next request when \
the previous answer arrives. It measures capacity; its percentiles are closed-loop service times, \
checked against Little's law (mean latency = connections / throughput).

With --rate R the loop is open (as wrk2): request k is due at start + k/R. Latency is counted from \
that intended time (coordinated omission corrected), and also raw from the actual send; requests \
that find every connection busy are queued and sent late, never dropped, and a run whose backlog \
keeps growing is flagged overloaded.

With --expect-body FILE, a 2xx answer counts as a success only when its body is byte for byte the \
file; any other body is an error of kind `wrong-body` (compared as it arrives, never kept).

Ctrl-C (or SIGTERM) ends the run early: the report of what was measured until then is still \
printed, marked `stopped early` (`\"stopped_early\": true` in JSON, whose rates divide by the time \
actually measured). A second Ctrl-C exits at once.

Exit codes: 0 when the run completed (errors are counted in the report), 2 for bad input, 3 when \
no request succeeded, 130 when interrupted (after the report).

Examples:
  versus load http://127.0.0.1:8080/json -c 64 -d 10s
  versus load http://127.0.0.1:8080/json --rate 5000 --format json
  versus load http://127.0.0.1:8080/echo --method POST --body req.json
  versus load http://127.0.0.1:8080/json --expect-body hello.json")]
pub struct LoadArgs {
    /// The server's URL (plain http:// only)
    #[arg(value_name = "URL")]
    pub url: String,

    /// Requests per second for an open loop; without it the loop is closed
    #[arg(short, long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,

    /// Keep-alive connections kept open
    #[arg(short, long, default_value_t = 16, value_name = "N")]
    pub connections: u64,

    /// Measured phase, e.g. 10s, 500ms, 2m
    #[arg(short, long, default_value = "10s", value_name = "DURATION")]
    pub duration: String,

    /// Load before the measured phase, not counted
    #[arg(long, default_value = "1s", value_name = "DURATION")]
    pub warmup: String,

    /// HTTP method
    #[arg(short, long, default_value = "GET", value_name = "METHOD")]
    pub method: String,

    /// File whose bytes are the body of every request (at most 16 MiB)
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,

    /// File whose bytes every 2xx answer's body must be (at most 16 MiB); any other body is an
    /// error of kind `wrong-body`, not a success
    #[arg(long, value_name = "FILE")]
    pub expect_body: Option<PathBuf>,

    /// Per request (and per connect); slower is an error of kind `timeout`
    #[arg(long, default_value = "10s", value_name = "DURATION")]
    pub timeout: String,

    /// Generator threads [default: half the cores against this machine, one per core against another]
    #[arg(long, value_name = "N")]
    pub threads: Option<u64>,

    /// A table, or JSON (schema 1) with every histogram's full percentile spectrum
    #[arg(long, value_enum, default_value_t = crate::load::OutputFormat::Table)]
    pub format: crate::load::OutputFormat,

    /// Write the report to this file instead of stdout
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A run id, or `latest` [default: latest]
    #[arg(value_name = "RUN_ID|latest", conflicts_with = "from")]
    pub run: Option<String>,

    /// One report over runs of several databases (machines), side by side, each named by its
    /// machine's fingerprint: give it twice or more, the first is the one the others are set
    /// against. `FILE@RUN` picks a run (default: the latest); --db is not read.
    #[arg(long, value_name = "FILE[@RUN]")]
    pub from: Vec<String>,

    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Write to this file instead of stdout (e.g. `--format html -o report.html`)
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    Quick,
    Standard,
    Thorough,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MetricArg {
    Wall,
    Cpu,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SizeArg {
    Small,
    Default,
    Large,
    Tour,
    Ladder,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Markdown,
    Json,
    Csv,
    /// One self-contained HTML file with inline SVG charts
    Html,
    /// hyperfine's JSON (`--export-json`): results[] of command, mean, stddev, median, user,
    /// system, min, max, times, exit_codes, read by the tools made for hyperfine
    Hyperfine,
    /// Bencher Metric Format (`bencher run --adapter json`): one benchmark per case, with
    /// latency, throughput, cpu-time and peak-memory and the 95% intervals
    Bencher,
}

/// What `versus advise` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AdviseFormat {
    Table,
    Json,
}

/// What `versus article` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ArticleFormat {
    Markdown,
    /// Terminal text, within --width
    Text,
    Json,
    /// One self-contained HTML file, in the report's style
    Html,
}

/// What `versus compare` writes: its table, or the same rows as JSON or CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    Table,
    Markdown,
    Json,
    Csv,
}

impl From<Profile> for crate::runner::ProfileName {
    fn from(profile: Profile) -> crate::runner::ProfileName {
        use crate::runner::ProfileName as P;
        match profile {
            Profile::Quick => P::Quick,
            Profile::Standard => P::Standard,
            Profile::Thorough => P::Thorough,
        }
    }
}

impl From<Format> for crate::report::Format {
    fn from(format: Format) -> crate::report::Format {
        use crate::report::Format as F;
        match format {
            Format::Table => F::Table,
            Format::Markdown => F::Markdown,
            Format::Json => F::Json,
            Format::Csv => F::Csv,
            Format::Html => F::Html,
            Format::Hyperfine => F::Hyperfine,
            Format::Bencher => F::Bencher,
        }
    }
}

impl From<CompareFormat> for crate::report::Format {
    fn from(format: CompareFormat) -> crate::report::Format {
        use crate::report::Format as F;
        match format {
            CompareFormat::Table => F::Table,
            CompareFormat::Markdown => F::Markdown,
            CompareFormat::Json => F::Json,
            CompareFormat::Csv => F::Csv,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_limits_are_sizes_in_powers_of_1024_or_a_share() {
        let bytes = |text| parse_memory_limit(text).unwrap();
        assert_eq!(bytes("256M"), MemoryLimitArg::Bytes(256 << 20));
        assert_eq!(bytes("256MiB"), MemoryLimitArg::Bytes(256 << 20));
        assert_eq!(bytes("256 mb"), MemoryLimitArg::Bytes(256 << 20));
        assert_eq!(bytes("1.5G"), MemoryLimitArg::Bytes(3 << 29));
        assert_eq!(bytes("1048576"), MemoryLimitArg::Bytes(1 << 20));
        assert_eq!(bytes("75%"), MemoryLimitArg::Share(75.0));
        assert_eq!(bytes("None"), MemoryLimitArg::None);
        for bad in [
            "", "M", "12Q", "0", "1K", "0%", "150%", "-5M", "1e400", "x%",
        ] {
            let err = parse_memory_limit(bad).unwrap_err();
            assert!(err.contains(&format!("`{bad}`")), "{bad}: {err}");
        }
    }
}
