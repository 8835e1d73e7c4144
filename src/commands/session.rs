//! What `run` and `exec` share: measure a plan into a new stored run, then print its report
//! from the store and turn the verdicts into the exit code.

use std::io::Write;

use crate::error::{ExitCode, UserError, is_broken_pipe};
use crate::interrupt;
use crate::measure::Executor;
use crate::plan::Plan;
use crate::progress::Progress;
use crate::report;
use crate::report::Format;
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
    /// The terminal table's width (see [`super::output::text_width`]).
    pub width: Option<usize>,
    /// The typing suite's checks (not timed), run after the timed groups.
    pub checks: &'a [Check],
    pub checker: Option<&'a Checker<'a>>,
    /// `exec --export-json FILE`: the stored run, also as hyperfine's JSON.
    pub export_json: Option<&'a std::path::Path>,
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
        let completion = close(&writer, outcome)?;
        let run = self.store.load_run(run_id)?;
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let rendered = report::render_extent(
            &run,
            self.format,
            self.width,
            report::Extent::EndOfRun,
            &mut out,
        )
        .and_then(|()| out.flush().map_err(anyhow::Error::from));
        match rendered {
            // A reader that stopped reading (`| head`) ends the output, not the verdict: a
            // failed case still exits 3.
            Err(err) if is_broken_pipe(&err) => {}
            other => other?,
        }
        if let Some(path) = self.export_json {
            export_hyperfine(&run, path)?;
        }
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

/// Marks the run with how it ended. When it ended in an error (the disk filled, the file was
/// damaged), that error is what the user sees, with a word on whether the run could still be
/// marked `failed`: an error marking it must not hide the error that stopped it.
fn close(
    writer: &RunWriter<'_>,
    outcome: anyhow::Result<Completion>,
) -> anyhow::Result<Completion> {
    let status = match &outcome {
        Ok(Completion::Finished) => RunStatus::Complete,
        Ok(Completion::Interrupted) => RunStatus::Interrupted,
        Err(_) => RunStatus::Failed,
    };
    let marked = writer.finish(status);
    let Err(err) = outcome else {
        return marked.and(outcome);
    };
    match marked {
        Ok(()) => eprintln!(
            "run {} is marked failed; the cases stored before this error are kept",
            writer.run_id
        ),
        Err(why) => eprintln!(
            "run {} could not be marked failed, and shows as running: {why:#}",
            writer.run_id
        ),
    }
    Err(err)
}

/// Writes `run` as hyperfine's JSON to `path` (made writable before the run: see
/// [`export_target`]).
fn export_hyperfine(run: &crate::store::StoredRun, path: &std::path::Path) -> anyhow::Result<()> {
    let mut file = std::io::BufWriter::new(export_target(path)?);
    report::render(run, Format::Hyperfine, None, &mut file)?;
    file.flush()?;
    Ok(())
}

/// Creates (or truncates) the file `--export-json` names: a usage error naming it when it
/// cannot be, checked before anything is measured.
pub fn export_target(path: &std::path::Path) -> Result<std::fs::File, UserError> {
    std::fs::File::create(path).map_err(|err| {
        UserError::usage(
            format!("--export-json {}: cannot write it ({err})", path.display()),
            "give a file in a folder that exists and can be written",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{StorageFault, UserError};
    use crate::language::Language;
    use crate::measure::scripted::{Script, ScriptedExecutor};
    use crate::testing::{case, group, run_meta};

    #[test]
    fn a_disk_that_fills_mid_run_ends_it_failed_with_the_fault_named() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("versus.db")).unwrap();
        store.disk_fills_after(4);
        let plan = Plan {
            groups: vec![group(
                "g",
                vec![case("w", Language::Go, "go", b"")],
                Some(0),
            )],
        };
        let mut executor = ScriptedExecutor::new().script("go", Script::ok(&[0.01], b""));
        let mut progress = Progress::new(1, std::time::Duration::MAX, 5000);
        let session = Session {
            store: &store,
            meta: run_meta(),
            toolchains: &[],
            // 5000 timed runs need far more than the 4 pages left.
            profile: Profile::fixed(5000, 0),
            format: Format::Json,
            width: None,
            checks: &[],
            checker: None,
            export_json: None,
        };
        let err = session
            .measure(&plan, &mut executor, &mut progress)
            .unwrap_err();
        assert!(
            matches!(
                err.downcast_ref::<UserError>(),
                Some(UserError::Storage {
                    fault: StorageFault::Full,
                    ..
                })
            ),
            "{err:#}"
        );
        let run = store
            .load_run(store.resolve_run("latest").unwrap())
            .unwrap();
        assert_eq!(run.status, "failed");
    }
}
