//! Where a command's output goes: stdout, or the file of `-o/--output`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::error::UserError;
use crate::settings::Settings;
use crate::text::printable;

/// How wide text output may be: `--width` (0: no limit), else the terminal's when it goes to
/// stdout and stdout is one; piped or written to `output`, no limit.
pub fn text_width(settings: &Settings, output: Option<&Path>) -> Option<usize> {
    match settings.width {
        Some(0) => None,
        Some(columns) => Some(columns),
        None if output.is_some() => None,
        None => terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0)),
    }
}

/// Runs `write` on stdout, or on a new file at `output` (then says on stderr where it went).
/// A file that cannot be created is a usage error naming it; a failed write names it too.
pub fn write_to(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| {
                UserError::usage(
                    format!("--output {}: cannot create the file: {e}", path.display()),
                    "give a path in a folder that exists and that you can write to",
                )
            })?;
            let mut file = std::io::BufWriter::new(file);
            write(&mut file)
                .and_then(|()| Ok(file.flush()?))
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {}", printable(&path.display().to_string()));
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            write(&mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}
