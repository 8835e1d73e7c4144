//! `versus report [RUN_ID|latest]`: render a stored run.

use std::io::Write;

use anyhow::Context;

use crate::cli::ReportArgs;
use crate::error::{ExitCode, UserError};
use crate::report;
use crate::settings::Settings;
use crate::text::printable;

pub fn run(settings: &Settings, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let store = settings.read_store()?;
    let id = store.resolve_run(&args.run)?;
    let run = store.load_run(id)?;
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| {
                UserError::usage(
                    format!("--output {}: cannot create the file: {e}", path.display()),
                    "give a path in a folder that exists and that you can write to",
                )
            })?;
            let mut file = std::io::BufWriter::new(file);
            report::render(&run, args.format, &mut file)
                .and_then(|()| Ok(file.flush()?))
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {}", printable(&path.display().to_string()));
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            report::render(&run, args.format, &mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::Ok)
}
