//! `versus report [RUN_ID|latest]`: render a stored run.

use std::io::Write;

use anyhow::Context;

use crate::cli::ReportArgs;
use crate::error::ExitCode;
use crate::report;
use crate::settings::Settings;

pub fn run(settings: &Settings, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let store = settings.read_store()?;
    let id = store.resolve_run(&args.run)?;
    let run = store.load_run(id)?;
    match &args.output {
        Some(path) => {
            let mut file = std::io::BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("cannot write {}", path.display()))?,
            );
            report::render(&run, args.format, &mut file)?;
            file.flush()?;
            eprintln!("wrote {}", path.display());
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
