//! A case is one program measured on one toolchain at one size; these types carry a case from
//! the plan through the runner into the store.

use std::time::Duration;

use crate::artifact::Build;
use crate::language::Language;
use crate::machine::Busy;
use crate::measure::{RunSpec, TreeMethod};
use crate::names::named_enum;
use crate::suite::{Claim, SizeName, Variant};
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
    }
}

named_enum! {
    /// The verdict of a case. Anything but `Ok` is excluded from every ratio.
    pub enum CaseVerdict {
        Ok => "ok",
        WrongOutput => "wrong-output",
        Timeout => "timeout",
        Crashed => "crashed",
        BuildFailed => "build-failed",
        Interrupted => "interrupted",
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
    pub size: Option<SizeName>,
    /// The command to run; `Err` when the build failed (the case's verdict).
    pub run: Result<RunSpec, String>,
    pub expected: Expected,
    pub artifact_bytes: Option<u64>,
    pub build: Option<Build>,
}

impl CaseSpec {
    /// How the case is named in progress lines and errors.
    pub fn label(&self) -> String {
        label(
            self.toolchain.as_ref().map(Toolchain::label),
            self.variant.map(Variant::as_str),
            &self.workload,
        )
    }
}

/// `cpython 3.11.7`, `go 1.26.8 (optimized)`, or (no toolchain: a command) the workload.
pub fn label(toolchain: Option<String>, variant: Option<&str>, workload: &str) -> String {
    let base = toolchain.unwrap_or_else(|| workload.to_string());
    match variant {
        Some(variant) if variant != Variant::Idiomatic.as_str() => format!("{base} ({variant})"),
        _ => base,
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
}
