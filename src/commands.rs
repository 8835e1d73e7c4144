//! The command layer: a parsed command line dispatched to its command, one module per
//! subcommand; each wires the data-flow steps together and nothing more.

pub mod advise;
pub mod article;
pub mod compare;
pub mod doctor;
pub mod exchange;
pub mod exec;
pub mod list;
pub mod load;
pub mod manual;
pub mod report;
pub mod run;

mod output;
mod session;

use crate::cli::{Cli, Command};
use crate::error::ExitCode;
use crate::settings::Settings;

/// Runs a parsed command line: settings resolved once, then its command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = Settings::resolve(&cli.global);
    match cli.command {
        Command::Run(args) => run::run(&settings, &args),
        Command::Exec(args) => exec::run(&settings, &args),
        Command::List => list::run(&settings),
        Command::Doctor => doctor::run(&settings),
        Command::Report(args) => report::run(&settings, &args),
        Command::Compare(args) => compare::run(&settings, &args),
        Command::Export(args) => exchange::export(&settings, &args),
        Command::Import(args) => exchange::import(&settings, &args),
        Command::Advise(args) => advise::run(&settings, &args),
        Command::Article(args) => article::run(&settings, &args),
        Command::Load(args) => load::run(&settings, &args),
        Command::Completions(args) => manual::completions(args.shell),
        Command::Man(args) => manual::man(args.subcommand.as_deref()),
    }
}
