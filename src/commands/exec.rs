//! `versus exec -- CMD … [--vs CMD …]`: arbitrary commands through the same engine, interleaved,
//! with their ratio and its interval.

use std::ffi::OsString;
use std::path::Path;

use super::session::Session;
use crate::cli::{ExecArgs, MetricArg};
use crate::error::{ExitCode, UserError};
use crate::machine::Environment;
use crate::measure::{Executor, MAX_TIMEOUT_S, ProcessExecutor, timeout_from_secs};
use crate::plan;
use crate::progress::Progress;
use crate::runner::{Profile, ProfileName};
use crate::settings::Settings;
use crate::store::RunMeta;
use crate::suite::Metric;

const SEPARATOR: &str = "--vs";

pub fn run(settings: &Settings, args: &ExecArgs) -> anyhow::Result<ExitCode> {
    let commands = split_commands(&args.command)?;
    for command in &commands {
        check_program(Path::new(&command[0]))?;
    }
    let timeout = timeout_from_secs(args.timeout).ok_or_else(|| {
        UserError::usage(
            format!(
                "--timeout {} is not a positive number of seconds up to {MAX_TIMEOUT_S}",
                args.timeout
            ),
            "write e.g. --timeout 30",
        )
    })?;
    if let Some(path) = &args.export_json {
        super::session::export_target(path)?;
    }
    let store = settings.open_store()?;
    crate::leftovers::clear(&settings.cache_dir);
    let profile = match args.runs {
        // Both bounded by clap (at most MAX_RUNS and MAX_WARMUP): they fit a usize.
        Some(runs) => Profile::fixed(runs as usize, args.warmup.unwrap_or(0) as usize),
        None => {
            let mut profile = Profile::of(args.profile.into());
            profile.warmup = args.warmup.map_or(profile.warmup, |w| w as usize);
            profile
        }
    };
    let metric = match args.metric {
        MetricArg::Wall => Metric::Wall,
        MetricArg::Cpu => Metric::Cpu,
    };
    let plan = plan::plan_commands(&commands, timeout, metric, &settings.env);
    let mut executor = ProcessExecutor::new().with_memory_limit(settings.memory_limit_bytes);
    let meta = RunMeta {
        command: "exec".into(),
        profile: match args.runs {
            Some(runs) => format!("{runs} runs"),
            None => ProfileName::from(args.profile).to_string(),
        },
        size: None,
        arguments: std::env::args().collect(),
        environment: Environment::capture(
            String::new(),
            executor.tree_method().as_str(),
            executor.memory_limit_bytes(),
        ),
    };
    let mut progress = Progress::new(1, profile.budget, profile.max_rounds);
    Session {
        store: &store,
        meta,
        toolchains: &[],
        profile,
        format: args.format.into(),
        width: super::output::text_width(settings, None),
        checks: &[],
        checker: None,
        export_json: args.export_json.as_deref(),
    }
    .measure(&plan, &mut executor, &mut progress)
}

/// `a b --vs c d` → [[a, b], [c, d]].
fn split_commands(argv: &[OsString]) -> Result<Vec<Vec<OsString>>, UserError> {
    let mut commands: Vec<Vec<OsString>> = vec![Vec::new()];
    for arg in argv {
        if arg == SEPARATOR {
            commands.push(Vec::new());
        } else {
            commands.last_mut().expect("never empty").push(arg.clone());
        }
    }
    if commands.len() > 2 || commands.iter().any(Vec::is_empty) {
        return Err(UserError::usage(
            "exec takes one command, or two separated by --vs",
            "write: versus exec -- python3 prog.py --vs ./prog",
        ));
    }
    Ok(commands)
}

fn check_program(program: &Path) -> Result<(), UserError> {
    let executable = |path: &Path| {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    let found = if program.components().count() > 1 {
        executable(program)
    } else {
        std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path).any(|dir| executable(&dir.join(program)))
        })
    };
    if found {
        Ok(())
    } else {
        Err(UserError::usage(
            format!(
                "command `{}` not found, or not executable",
                program.display()
            ),
            "give a path to an executable, or check PATH (commands run without a shell)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn splits_on_vs() {
        let split = split_commands(&os(&["python3", "-c", "pass", "--vs", "true"])).unwrap();
        assert_eq!(split, vec![os(&["python3", "-c", "pass"]), os(&["true"])]);
        assert_eq!(split_commands(&os(&["true"])).unwrap().len(), 1);
    }

    #[test]
    fn rejects_empty_sides_and_three_commands() {
        assert!(split_commands(&os(&["--vs", "true"])).is_err());
        assert!(split_commands(&os(&["true", "--vs"])).is_err());
        assert!(split_commands(&os(&["a", "--vs", "b", "--vs", "c"])).is_err());
    }
}
