//! `versus report [RUN_ID|latest]`: render a stored run.

use crate::cli::ReportArgs;
use crate::error::ExitCode;
use crate::report;
use crate::settings::Settings;

pub fn run(settings: &Settings, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let store = settings.read_store()?;
    let id = store.resolve_run(&args.run)?;
    let run = store.load_run(id)?;
    let width = super::output::text_width(settings, args.output.as_deref());
    super::output::write_to(args.output.as_deref(), |out| {
        report::render(&run, args.format, width, out)
    })?;
    Ok(ExitCode::Ok)
}
