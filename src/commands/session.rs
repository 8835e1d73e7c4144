//! What `run` and `exec` share: measure a plan into a new stored run, then print its report
//! from the store and turn the verdicts into the exit code.

use std::io::Write;

use crate::cli::Format;
use crate::error::ExitCode;
use crate::interrupt;
use crate::measure::Executor;
use crate::plan::Plan;
use crate::progress::Progress;
use crate::report;
use crate::runner::{Completion, Profile, Runner};
use crate::store::RunWriter;
use crate::store::{RunMeta, RunStatus, Store};
use crate::text::printable;
use crate::toolchain::Toolchain;
use crate::typecheck::{Check, Checker};

pub struct Session<'a> {
    pub store: &'a Store,
    pub meta: RunMeta,
    pub toolchains: &'a [Toolchain],
    pub profile: Profile,
    pub format: Format,
    /// The typing suite's checks (not timed), run after the timed groups.
    pub checks: &'a [Check],
    pub checker: Option<&'a Checker<'a>>,
}

impl Session<'_> {
    /// Each typing check, stored as soon as it is done.
    fn run_checks(
        &self,
        writer: &RunWriter<'_>,
        progress: &mut Progress,
    ) -> anyhow::Result<Completion> {
        let Some(checker) = self.checker else {
            return Ok(Completion::Finished);
        };
        for check in self.checks {
            if interrupt::is_interrupted() {
                return Ok(Completion::Interrupted);
            }
            progress.checking(&format!(
                "{} on {}",
                check.workload.id(),
                check.toolchain.label()
            ));
            let finding = checker.check(check)?;
            writer.store_finding(check, &finding)?;
        }
        Ok(Completion::Finished)
    }

    pub fn measure(
        &self,
        plan: &Plan,
        executor: &mut dyn Executor,
        progress: &mut Progress,
    ) -> anyhow::Result<ExitCode> {
        if interrupt::is_interrupted() {
            return Ok(ExitCode::Interrupted);
        }
        interrupt::measuring();
        let mut writer = self.store.begin_run(&self.meta, self.toolchains)?;
        let run_id = writer.run_id;
        let outcome = Runner {
            executor,
            profile: self.profile,
            sink: &mut writer,
            events: progress,
        }
        .run(plan);
        let outcome = match outcome {
            Ok(Completion::Finished) => self.run_checks(&writer, progress),
            other => other,
        };
        progress.finish();
        let status = match &outcome {
            Ok(Completion::Finished) => RunStatus::Complete,
            Ok(Completion::Interrupted) => RunStatus::Interrupted,
            Err(_) => RunStatus::Failed,
        };
        writer.finish(status)?;
        let completion = outcome?;
        let run = self.store.load_run(run_id)?;
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        report::render(&run, self.format, &mut out)?;
        out.flush()?;
        let stored = format!(
            "stored as run {run_id} in {} (`versus report {run_id}` shows it again)",
            self.store.path().display()
        );
        eprintln!("{}", printable(&stored));
        if completion == Completion::Interrupted || interrupt::is_interrupted() {
            return Ok(ExitCode::Interrupted);
        }
        let failed = run.cases.iter().any(|c| c.verdict.is_failure());
        Ok(if failed {
            ExitCode::CaseFailed
        } else {
            ExitCode::Ok
        })
    }
}
