//! `versus list`: the workloads, the claim each measures, their sizes and languages.

use std::io::Write;

use crate::error::ExitCode;
use crate::report::grid::Grid;
use crate::settings::Settings;
use crate::text::{Printable, printable};
use crate::workloads::Suite;

pub fn run(settings: &Settings) -> anyhow::Result<ExitCode> {
    let suite = Suite::load(&settings.workloads_dir()?)?;
    for note in suite.notes() {
        eprintln!("{}", printable(&note));
    }
    let rows = suite
        .workloads
        .iter()
        .map(|w| {
            let sizes: Vec<String> = w.sizes.keys().map(ToString::to_string).collect();
            let implementations: Vec<String> = w
                .implementations
                .iter()
                .map(|i| match &i.label {
                    Some(label) => format!("{} ({}: {label})", i.language, i.variant),
                    None => format!("{} ({})", i.language, i.variant),
                })
                .collect();
            vec![
                w.id(),
                w.claim.to_string(),
                if w.tour { "yes".into() } else { String::new() },
                sizes.join(", "),
                implementations.join(", "),
                w.description.clone(),
            ]
        })
        .collect();
    let grid = Grid::new(
        &[
            "workload",
            "claim",
            "tour",
            "sizes",
            "implementations",
            "description",
        ],
        rows,
    );
    let stdout = std::io::stdout();
    // Manifest strings: shown, never obeyed.
    let mut out = Printable::new(stdout.lock());
    grid.write_text(&mut out, super::output::text_width(settings, None))?;
    writeln!(
        out,
        "\n{} workloads in {}",
        suite.workloads.len(),
        suite.root.display()
    )?;
    Ok(ExitCode::Ok)
}
