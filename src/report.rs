//! The report: a view model computed from a stored run (never from live runner state), then
//! rendered as a terminal table, Markdown, CSV or JSON. A report of an old run and of the run
//! that just ended go through the same code.

pub mod advice;
pub(crate) mod article;
mod backend;
mod bencher;
pub(crate) mod choices;
pub(crate) mod cited;
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
mod inputs;
mod interop;
mod load_tests;
pub mod machines;
mod model;
mod published;
pub(crate) mod regime;
pub(crate) mod sentences;
mod series;
mod table;
pub(crate) mod typing;
mod versions;
mod view;
mod warnings;

use std::io::Write;

// The report's children name it `super::units`.
use crate::store::StoredRun;
use crate::text::Printable;
use crate::units;

pub use backend::Endpoint;
pub use findings::{Findings, RuntimeSpeed};
pub use model::{Report, SCHEMA_VERSION};
pub use published::Published;
pub use units::{format_bytes, format_count, format_seconds};
pub use view::{CaseView, ComparisonView};

/// How much of a report a person reads: all of it (`versus report`), or, at the end of
/// `versus run`, the measurements and the article's table without the article's choices and
/// warnings, so the end of a run stays as short as it was. Files and data (HTML, JSON) have it
/// all either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extent {
    Full,
    EndOfRun,
}

/// What a report is written as. The command line offers these (with their help) and converts;
/// the report knows no command-line type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Markdown,
    Json,
    Csv,
    /// One self-contained HTML file with inline SVG charts.
    Html,
    /// hyperfine's JSON (`--export-json`).
    Hyperfine,
    /// Bencher Metric Format (`bencher run --adapter json`).
    Bencher,
}

/// Writes `run` in `format` to `out`, through [`Printable`]: manifest strings and programs'
/// stderr in it are shown, never obeyed by a terminal it is printed to.
/// `width` bounds the lines of the terminal table (`None`: every cell on one line).
pub fn render(
    run: &StoredRun,
    format: Format,
    width: Option<usize>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    render_extent(run, format, width, Extent::Full, out)
}

/// [`render`], showing as much as `extent` says.
pub fn render_extent(
    run: &StoredRun,
    format: Format,
    width: Option<usize>,
    extent: Extent,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let report = Report::from_run(run);
    let full = extent == Extent::Full;
    match format {
        Format::Table => {
            let mut out = Printable::new(out);
            table::write_terminal(&report, &mut out, width)?;
            if full {
                claims::write_choices_text(&report, &mut out, width)?;
            }
        }
        Format::Markdown => {
            let mut out = Printable::new(out);
            table::write_markdown(&report, &mut out)?;
            if full {
                claims::write_choices_markdown(&report, &mut out)?;
            }
        }
        Format::Csv => csv::write(&report, &mut Printable::new(out))?,
        Format::Html => html::write(&report, &mut Printable::html(out))?,
        Format::Hyperfine => hyperfine::write(&report, &mut Printable::json(out))?,
        Format::Bencher => bencher::write(&report, &mut Printable::json(out))?,
        Format::Json => crate::text::write_json(out, &report)?,
    }
    Ok(())
}

#[cfg(test)]
mod exchange_tests;
#[cfg(test)]
pub(crate) mod tests;
