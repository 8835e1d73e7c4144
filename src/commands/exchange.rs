//! `versus export RUN` and `versus import FILE`: a stored run moved between machines' databases
//! as a file ([`crate::store::write_export`]).

use crate::cli::{ExportArgs, ImportArgs};
use crate::error::{ExitCode, UserError};
use crate::settings::Settings;
use crate::store;
use crate::text::printable;

pub fn export(settings: &Settings, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = settings.read_store()?;
    let run = store.load_run(store.resolve_run(&args.run)?)?;
    super::output::write_to(args.output.as_deref(), |out| store::write_export(&run, out))?;
    Ok(ExitCode::Ok)
}

pub fn import(settings: &Settings, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let path = &args.file;
    let text = std::fs::read_to_string(path).map_err(|e| {
        UserError::usage(
            format!("{}: cannot read it: {e}", path.display()),
            "give a file written by `versus export`",
        )
    })?;
    let mut run = store::read_export(path, &text)?;
    run.imported_from = Some(store::origin(&run, path));
    let target = settings.open_store()?;
    let id = target.add_run(&run)?;
    let said = format!(
        "imported run {} of {} (measured on {}) as run {id} in {} (`versus report {id}` shows it)",
        run.id,
        path.display(),
        run.environment.hostname,
        target.path().display()
    );
    eprintln!("{}", printable(&said));
    Ok(ExitCode::Ok)
}
