//! What evidence is computed from (one report's parts) and what a piece of it says. Every
//! measure's evidence (`evidence`, `backend::evidence`, `interop`) builds on these.

use serde::Serialize;

use super::backend::BackendFinding;
use super::concurrency::Concurrency;
use super::costs::CostLine;
use super::findings::RuntimeSpeed;
use super::typing::TypingView;
use super::view::{CaseView, ComparisonView};
use crate::language::Language;
use crate::toolchain::Toolchain;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    /// False when the run has no data for it (the text then says what to run).
    pub measured: bool,
    pub text: String,
    pub favours: Option<Language>,
    /// A qualification of the favoured side (e.g. where Python is as fast anyway).
    pub nuance: Option<String>,
}

/// What the evidence is computed from: one report's parts.
pub struct Inputs<'a> {
    pub run_id: i64,
    pub cases: &'a [CaseView],
    pub comparisons: &'a [ComparisonView],
    pub runtime_speed: &'a [RuntimeSpeed],
    pub typing: &'a TypingView,
    pub toolchains: &'a [Toolchain],
    pub concurrency: &'a Concurrency,
    pub backend: &'a BackendFinding,
    pub costs: &'a [CostLine],
}

/// What a measure says when the run has nothing for it: the command that would measure it.
pub(crate) fn not_measured(what: &str, command: &str) -> Evidence {
    Evidence {
        measured: false,
        text: format!("this run has no {what}: `{command}` measures it"),
        favours: None,
        nuance: None,
    }
}
