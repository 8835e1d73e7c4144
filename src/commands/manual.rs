//! `versus completions SHELL` and `versus man`: written from the command line's own definition
//! ([`crate::cli::Cli`]), so every flag they name is one the parser takes.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{ExitCode, UserError};

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut command, "versus", &mut out);
    out.flush()?;
    Ok(ExitCode::Ok)
}

/// The main page, or versus-SUBCOMMAND(1), which the main page refers to.
pub fn man(subcommand: Option<&str>) -> anyhow::Result<ExitCode> {
    let command = Cli::command();
    let man = match subcommand {
        None => clap_mangen::Man::new(command),
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                return Err(UserError::usage(
                    format!("versus has no subcommand `{name}`"),
                    format!("`versus man` takes one of: {}", names.join(", ")),
                )
                .into());
            };
            // Titled as the main page's SUBCOMMANDS section names it.
            let sub = sub
                .clone()
                .bin_name(format!("versus {name}"))
                .display_name(format!("versus-{name}"));
            clap_mangen::Man::new(sub).title(format!("versus-{name}"))
        }
    };
    let mut out = std::io::stdout().lock();
    man.render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::Ok)
}
