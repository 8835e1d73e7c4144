//! A case is one program measured on one toolchain at one size; these types carry a case from
//! the plan through the runner into the store.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::artifact::Build;
use crate::language::Language;
use crate::machine::Busy;
use crate::measure::{RunSpec, TreeMethod};
use crate::suite::{Claim, SizeName, Variant};
use crate::toolchain::Toolchain;
use crate::verify::Expected;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseKind {
    /// A workload of the suite.
    Workload,
    /// A toolchain's empty program: what a start costs before any work.
    Floor,
    /// A command given to `versus exec`.
    Command,
}

/// The verdict of a case. Anything but `Ok` is excluded from every ratio.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseVerdict {
    Ok,
    WrongOutput,
    Timeout,
    Crashed,
    BuildFailed,
    Interrupted,
}

impl CaseVerdict {
    pub const ALL: [CaseVerdict; 6] = [
        CaseVerdict::Ok,
        CaseVerdict::WrongOutput,
        CaseVerdict::Timeout,
        CaseVerdict::Crashed,
        CaseVerdict::BuildFailed,
        CaseVerdict::Interrupted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseVerdict::Ok => "ok",
            CaseVerdict::WrongOutput => "wrong-output",
            CaseVerdict::Timeout => "timeout",
            CaseVerdict::Crashed => "crashed",
            CaseVerdict::BuildFailed => "build-failed",
            CaseVerdict::Interrupted => "interrupted",
        }
    }

    pub fn parse(text: &str) -> Option<CaseVerdict> {
        CaseVerdict::ALL.into_iter().find(|v| v.as_str() == text)
    }
}

impl fmt::Display for CaseVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
        match (&self.toolchain, self.variant) {
            (Some(t), Some(v)) if v != Variant::Idiomatic => format!("{} ({v})", t.label()),
            (Some(t), _) => t.label(),
            (None, _) => self.workload.clone(),
        }
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
