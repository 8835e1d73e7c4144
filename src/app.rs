//! Dispatches a parsed command line to its command.

use crate::cli::{Cli, Command};
use crate::commands;
use crate::error::ExitCode;
use crate::settings::Settings;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = Settings::resolve(&cli.global);
    match cli.command {
        Command::Run(args) => commands::run::run(&settings, &args),
        Command::Exec(args) => commands::exec::run(&settings, &args),
        Command::List => commands::list::run(&settings),
        Command::Doctor => commands::doctor::run(&settings),
        Command::Report(args) => commands::report::run(&settings, &args),
        Command::Compare(args) => commands::compare::run(&settings, &args),
        Command::Export(args) => commands::exchange::export(&settings, &args),
        Command::Import(args) => commands::exchange::import(&settings, &args),
        Command::Advise(args) => commands::advise::run(&settings, &args),
        Command::Article(args) => commands::article::run(&settings, &args),
        Command::Load(args) => commands::load::run(&settings, &args),
        Command::Completions(args) => commands::manual::completions(args.shell),
        Command::Man(args) => commands::manual::man(args.subcommand.as_deref()),
    }
}
