//! Thin entry point: parse the command line, run, map the outcome to a documented exit code.

use std::io::Write;

use clap::Parser;
use versus::cli::Cli;
use versus::error::{ExitCode, UserError, is_broken_pipe};
use versus::text::printable;

fn main() {
    let cli = Cli::parse();
    if let Err(err) = versus::interrupt::install() {
        eprintln!("error: cannot install the Ctrl-C handler: {err:#}");
        std::process::exit(ExitCode::Internal.as_i32());
    }
    let code = match versus::commands::run(cli) {
        Ok(code) => code,
        Err(err) => report_error(&err),
    };
    std::process::exit(code.as_i32());
}

fn report_error(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        // `versus report | head` is not a failure.
        return ExitCode::Ok;
    }
    let mut stderr = std::io::stderr().lock();
    if let Some(user) = err.downcast_ref::<UserError>() {
        // Messages quote manifests, paths and programs' output: shown, never obeyed.
        let _ = writeln!(stderr, "error: {}", printable(&user.to_string()));
        let _ = writeln!(stderr, "hint: {}", printable(&user.hint().to_string()));
        return ExitCode::Usage;
    }
    let _ = writeln!(stderr, "error: {}", printable(&format!("{err:#}")));
    ExitCode::Internal
}
