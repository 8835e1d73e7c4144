//! The report's view model: the run's case views and comparisons (`view`), and the findings,
//! series, article and choices computed from them. This is also the JSON schema (documented in
//! docs/json-schema.md); bump SCHEMA_VERSION on any change that is not a pure addition.

use serde::Serialize;

use super::article::ArticleRow;
use super::findings::Findings;
use super::series::Series;
use super::typing::TypingView;
use super::view::{CaseView, ComparisonView, RunInfo, case_view, comparisons};
use crate::machine::Environment;
use crate::store::StoredRun;
use crate::toolchain::Toolchain;

pub const SCHEMA_VERSION: u32 = 2;

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub run_id: i64,
    pub run: RunInfo,
    pub environment: Environment,
    pub toolchains: Vec<Toolchain>,
    pub cases: Vec<CaseView>,
    pub comparisons: Vec<ComparisonView>,
    /// Every sweep as a curve: one program on one toolchain at each point of a parameter.
    pub series: Vec<Series>,
    /// Summaries across cases: runtime speed, published figures beside measured ratios.
    pub findings: Findings,
    /// The typing suite: when each planted mistake was reported.
    pub typing: TypingView,
    /// The article's comparison table, regenerated from this run.
    pub article: Vec<ArticleRow>,
    /// The article's six choices and four warnings, weighed with this run.
    pub choices: super::choices::Choices,
    pub warnings: Vec<String>,
}

impl Report {
    /// What the evidence of each measure is computed from.
    pub fn inputs(&self) -> super::evidence::Inputs<'_> {
        super::evidence::Inputs {
            run_id: self.run_id,
            cases: &self.cases,
            comparisons: &self.comparisons,
            runtime_speed: &self.findings.runtime_speed,
            typing: &self.typing,
            toolchains: &self.toolchains,
            concurrency: &self.findings.concurrency,
            backend: &self.findings.backend,
            costs: &self.findings.costs,
        }
    }

    /// The baseline and contender cases a comparison is made of.
    pub fn cases_of(&self, comparison: &ComparisonView) -> (&CaseView, &CaseView) {
        (
            &self.cases[comparison.baseline_index],
            &self.cases[comparison.contender_index],
        )
    }

    pub fn from_run(run: &StoredRun) -> Report {
        let cases: Vec<CaseView> = run
            .cases
            .iter()
            .map(|c| case_view(c, &run.toolchains, run.environment.cores))
            .collect();
        let comparisons = comparisons(&run.cases, &cases);
        let mut report = Report {
            schema_version: SCHEMA_VERSION,
            run_id: run.id,
            run: RunInfo {
                started_at: run.started_at.clone(),
                finished_at: run.finished_at.clone(),
                status: run.status.clone(),
                command: run.command.clone(),
                profile: run.profile.clone(),
                size: run.size.clone(),
                arguments: run.arguments.clone(),
                imported_from: run.imported_from.clone(),
            },
            environment: run.environment.clone(),
            toolchains: run.toolchains.clone(),
            series: super::series::collect(&cases),
            cases,
            findings: Findings::default(),
            typing: super::typing::view(run),
            article: Vec::new(),
            choices: Default::default(),
            comparisons,
            warnings: Vec::new(),
        };
        report.findings =
            super::findings::collect(&report.cases, &report.comparisons, &report.toolchains);
        report.findings.concurrency =
            super::concurrency::collect(&report.series, &report.cases, report.environment.cores);
        report.findings.cpython_versions = super::versions::collect(
            &run.cases,
            &report.cases,
            &report.comparisons,
            &report.toolchains,
        );
        // A run of `versus load` ran no language's program: the article has nothing from it.
        if !super::load_tests::load_only(&report) {
            report.article = super::article::rows(&report.inputs());
            report.choices = super::choices::Choices::of(report.inputs());
        }
        report.warnings = super::warnings::collect(&super::warnings::Measured {
            run: &report.run,
            environment: &report.environment,
            cases: &report.cases,
            comparisons: &report.comparisons,
            toolchains: &report.toolchains,
        });
        report
    }

    /// The comparison of a case against its group's baseline, if any.
    pub fn comparison_of(&self, case: &CaseView) -> Option<&ComparisonView> {
        self.comparisons
            .iter()
            .find(|c| std::ptr::eq(&self.cases[c.contender_index], case))
    }
}
