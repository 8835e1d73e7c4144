//! `versus compare RUN_A RUN_B`: two stored runs side by side.

use crate::cli::CompareArgs;
use crate::error::{ExitCode, UserError};
use crate::report::{Format, compare};

use crate::settings::Settings;
use crate::store::Store;
use crate::text::Printable;

pub fn run(settings: &Settings, args: &CompareArgs) -> anyhow::Result<ExitCode> {
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
    let mut comparison = compare::compare_runs(&a, &b, floor);
    if let Some(other) = &args.db_b {
        comparison.databases = Some([
            store.path().display().to_string(),
            other.display().to_string(),
        ]);
    }
    let format = Format::from(args.format);
    let width = super::output::text_width(settings, args.output.as_deref());
    super::output::write_to(args.output.as_deref(), |out| {
        if format == Format::Json {
            compare::render(&comparison, format, width, out)
        } else {
            // Workload names and paths from the stored runs: shown, never obeyed.
            compare::render(&comparison, format, width, &mut Printable::new(out))
        }
    })?;
    Ok(ExitCode::Ok)
}
