//! The report: a view model computed from a stored run (never from live runner state), then
//! rendered as a terminal table, Markdown, CSV or JSON. A report of an old run and of the run
//! that just ended go through the same code.

pub(crate) mod article;
mod backend;
mod bencher;
pub(crate) mod claims;
pub mod compare;
mod concurrency;
mod costs;
mod csv;
pub(crate) mod evidence;
mod findings;
pub(crate) mod grid;
pub(crate) mod html;
mod hyperfine;
mod interop;
mod model;
mod published;
pub(crate) mod regime;
mod series;
mod table;
pub(crate) mod typing;
pub(crate) mod units;
mod versions;
mod warnings;

use std::io::Write;

use crate::cli::Format;
use crate::store::StoredRun;
use crate::text::Printable;

pub use backend::Endpoint;
pub use findings::{Findings, RuntimeSpeed};
pub use model::{CaseView, ComparisonView, Report, SCHEMA_VERSION};
pub use published::Published;
pub use units::{format_bytes, format_count, format_seconds};

/// Writes `run` in `format` to `out`, through [`Printable`]: manifest strings and programs'
/// stderr in it are shown, never obeyed by a terminal it is printed to.
/// `width` bounds the lines of the terminal table (`None`: every cell on one line).
pub fn render(
    run: &StoredRun,
    format: Format,
    width: Option<usize>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let report = Report::from_run(run);
    match format {
        Format::Table => table::write_terminal(&report, &mut Printable::new(out), width)?,
        Format::Markdown => table::write_markdown(&report, &mut Printable::new(out))?,
        Format::Csv => csv::write(&report, &mut Printable::new(out))?,
        Format::Html => html::write(&report, &mut Printable::html(out))?,
        Format::Hyperfine => hyperfine::write(&report, &mut Printable::json(out))?,
        Format::Bencher => bencher::write(&report, &mut Printable::json(out))?,
        Format::Json => {
            let mut out = Printable::json(out);
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod exchange_tests;
#[cfg(test)]
pub(crate) mod tests;
