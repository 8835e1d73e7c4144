//! `versus compare RUN_A RUN_B`: two stored runs side by side.

use std::io::Write;

use crate::cli::{CompareArgs, Format};
use crate::error::{ExitCode, UserError};
use crate::report::compare;
use clap::ValueEnum;

use crate::settings::Settings;
use crate::store::Store;
use crate::text::Printable;

pub fn run(settings: &Settings, args: &CompareArgs) -> anyhow::Result<ExitCode> {
    if matches!(args.format, Format::Html | Format::Hyperfine) {
        return Err(UserError::usage(
            format!(
                "compare has no {} form",
                args.format
                    .to_possible_value()
                    .map_or_else(String::new, |v| v.get_name().to_string())
            ),
            "use --format table (the default), markdown, json or csv",
        )
        .into());
    }
    let floor = args.noise_floor.unwrap_or(compare::BETWEEN_RUNS_FLOOR);
    if !(floor.is_finite() && (0.0..=1.0).contains(&floor)) {
        return Err(UserError::usage(
            format!("--noise-floor {floor} is not a fraction between 0 and 1"),
            "it is a fraction, not a percentage: write e.g. --noise-floor 0.05 for ±5%",
        )
        .into());
    }
    let store = settings.read_store()?;
    let a = store.load_run(store.resolve_run(&args.run_a)?)?;
    let b = match &args.db_b {
        Some(path) => {
            let other = Store::open_read_only(path)?;
            other.load_run(other.resolve_run(&args.run_b)?)?
        }
        None => store.load_run(store.resolve_run(&args.run_b)?)?,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let comparison = compare::compare_runs(&a, &b, floor);
    if args.format == Format::Json {
        compare::render(&comparison, args.format, &mut out)?;
    } else {
        // Workload names and paths from the stored runs: shown, never obeyed.
        compare::render(&comparison, args.format, &mut Printable::new(&mut out))?;
    }
    out.flush()?;
    Ok(ExitCode::Ok)
}
