//! `versus report [RUN_ID|latest]`: render a stored run; `versus report --from A.db --from
//! B.db`: one report over runs of several databases (machines), side by side.

use std::path::PathBuf;

use crate::cli::{Format, ReportArgs};
use crate::error::{ExitCode, UserError};
use crate::report::{self, compare, machines};
use crate::settings::Settings;
use crate::store::Store;
use crate::text::Printable;

pub fn run(settings: &Settings, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let width = super::output::text_width(settings, args.output.as_deref());
    if !args.from.is_empty() {
        return over_machines(args, width);
    }
    let store = settings.read_store()?;
    let id = store.resolve_run(args.run.as_deref().unwrap_or("latest"))?;
    let run = store.load_run(id)?;
    super::output::write_to(args.output.as_deref(), |out| {
        report::render(&run, args.format.into(), width, out)
    })?;
    Ok(ExitCode::Ok)
}

fn over_machines(args: &ReportArgs, width: Option<usize>) -> anyhow::Result<ExitCode> {
    if !matches!(args.format, Format::Table | Format::Markdown | Format::Json) {
        return Err(UserError::usage(
            format!(
                "--from writes a table, Markdown or JSON, not --format {:?}",
                args.format
            )
            .to_lowercase(),
            "report each run on its own for the other formats: `versus --db FILE report RUN --format …`",
        )
        .into());
    }
    if args.from.len() < 2 {
        return Err(UserError::usage(
            "--from takes two runs or more: it sets runs of several machines side by side",
            format!(
                "add another: `versus report --from {} --from OTHER.db`; one run alone is `versus --db FILE report`",
                args.from[0]
            ),
        )
        .into());
    }
    let mut sources = Vec::new();
    for value in &args.from {
        let (database, which) = split_source(value);
        let store = Store::open_read_only(&database)?;
        let run = store.load_run(store.resolve_run(which)?)?;
        sources.push(machines::Source { database, run });
    }
    let report = machines::collect(&sources, compare::BETWEEN_RUNS_FLOOR);
    super::output::write_to(args.output.as_deref(), |out| {
        // Workload names and paths from the stored runs: shown, never obeyed.
        match args.format {
            Format::Json => machines::write_json(&report, out)?,
            Format::Markdown => machines::write_markdown(&report, &mut Printable::new(out))?,
            _ => machines::write_terminal(&report, &mut Printable::new(out), width)?,
        }
        Ok(())
    })?;
    Ok(ExitCode::Ok)
}

/// `FILE@RUN` → (FILE, RUN); a value whose part after the last `@` is not a run id or `latest`
/// is a file name (which may hold an `@`), its latest run.
fn split_source(value: &str) -> (PathBuf, &str) {
    match value.rsplit_once('@') {
        Some((file, run))
            if !file.is_empty()
                && (run == "latest"
                    || (!run.is_empty() && run.bytes().all(|b| b.is_ascii_digit()))) =>
        {
            (PathBuf::from(file), run)
        }
        _ => (PathBuf::from(value), "latest"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_names_a_file_and_optionally_its_run() {
        assert_eq!(split_source("a.db@3"), (PathBuf::from("a.db"), "3"));
        assert_eq!(
            split_source("a.db@latest"),
            (PathBuf::from("a.db"), "latest")
        );
        assert_eq!(split_source("a.db"), (PathBuf::from("a.db"), "latest"));
        // An `@` that does not end in a run belongs to the file's name.
        assert_eq!(
            split_source("runs@home/a.db"),
            (PathBuf::from("runs@home/a.db"), "latest")
        );
        assert_eq!(split_source("a.db@"), (PathBuf::from("a.db@"), "latest"));
    }
}
