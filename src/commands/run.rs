//! `versus run`: discover, load, plan (build), measure, store, report.

use std::sync::Arc;

use super::session::Session;
use crate::artifact::Builder;
use crate::cli::RunArgs;
use crate::digest::Hasher;
use crate::error::{ExitCode, UserError};
use crate::machine::{Environment, sample_busy};
use crate::measure::{Executor, ProcessExecutor};
use crate::plan::{self, Points, Preparer};
use crate::progress::Progress;
use crate::runner::{Profile, ProfileName};
use crate::server::Server;
use crate::settings::{self, Settings};
use crate::store::RunMeta;
use crate::suite::{SizeName, Workload};
use crate::text::printable;
use crate::toolchain::Discovery;
use crate::typecheck::{self, Checker};
use crate::venv::Venvs;
use crate::workloads::Suite;

pub fn run(settings: &Settings, args: &RunArgs) -> anyhow::Result<ExitCode> {
    let languages = settings::languages(&args.langs)?;
    let suite = Suite::load(&settings.workloads_dir()?)?;
    for note in suite.notes() {
        eprintln!("{}", printable(&note));
    }
    let workloads = suite.select(&args.names)?;
    let store = settings.open_store()?;
    crate::leftovers::clear(&settings.cache_dir);
    let discovery = Discovery::run(&settings.toolchains)?;
    for missing in discovery
        .missing
        .iter()
        .filter(|m| languages.contains(&m.language))
    {
        let warning = format!(
            "{} not found ({}); it is left out",
            missing.language, missing.reason
        );
        eprintln!("warning: {}", printable(&warning));
        eprintln!("hint: {}", missing.language.install_hint());
    }
    let toolchains = discovery.selected(&languages);
    if toolchains.is_empty() {
        return Err(UserError::usage(
            "no toolchain found for the languages asked for",
            "`versus doctor` shows what was found; install Python or Go, or pass --python/--go",
        )
        .into());
    }
    warn_if_busy();
    let profile = Profile::of(args.profile.into());
    let size = match args.size {
        Some(size) => size_name(size),
        None if args.ladder => SizeName::Ladder,
        // The tour keeps the whole default run short: workloads may name a cheaper size for it.
        None if args.names.is_empty() => SizeName::Tour,
        // A profile that measures longer also measures the cost per unit of work.
        None if args.profile != crate::cli::Profile::Quick => SizeName::Ladder,
        None => SizeName::Default,
    };
    let builder = Builder::new(settings.cache_dir.clone());
    let mut progress = Progress::new(workloads.len() + 1, profile.budget, profile.max_rounds);
    let venvs = Venvs::new(&settings.cache_dir);
    let points = Points {
        overrides: args.sweep_overrides(),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    // Started before the plan so the programs' environment can name it; stopped when the run
    // returns (it lives in this process, so nothing outlives the run).
    let server = if workloads.iter().any(|w| w.server) {
        Some(Server::start().map_err(|e| {
            anyhow::anyhow!("cannot start the local HTTP server the fan-out workloads call: {e}")
        })?)
    } else {
        None
    };
    let server_url = server.as_ref().map(Server::url);
    let preparer = Preparer {
        builder: &builder,
        venvs: &venvs,
        toolchains: &toolchains,
        points: &points,
        server_url: server_url.as_deref(),
        env: &settings.env,
    };
    let plan = plan::plan_suite(&workloads, size, &preparer, &mut |what| {
        progress.preparing(what)
    })?;
    progress.set_groups(plan.groups.len());
    let checks = typecheck::plan(&workloads, &toolchains);
    let checker = Checker {
        builder: &builder,
        venvs: &venvs,
    };
    let mut executor = ProcessExecutor::new().with_memory_limit(settings.memory_limit_bytes);
    let meta = RunMeta {
        command: "run".into(),
        profile: ProfileName::from(args.profile).to_string(),
        size: Some(size_that_ran(&workloads, size).to_string()),
        arguments: std::env::args().collect(),
        environment: Environment::capture(
            workloads_hash(&workloads)?,
            executor.tree_method().as_str(),
            executor.memory_limit_bytes(),
        ),
    };
    Session {
        store: &store,
        meta,
        toolchains: &toolchains,
        profile,
        format: args.format.into(),
        width: super::output::text_width(settings, None),
        checks: &checks,
        checker: Some(&checker),
        export_json: None,
    }
    .measure(&plan, &mut executor, &mut progress)
}

fn size_name(size: crate::cli::SizeArg) -> SizeName {
    match size {
        crate::cli::SizeArg::Small => SizeName::Small,
        crate::cli::SizeArg::Default => SizeName::Default,
        crate::cli::SizeArg::Large => SizeName::Large,
        crate::cli::SizeArg::Tour => SizeName::Tour,
        crate::cli::SizeArg::Ladder => SizeName::Ladder,
    }
}

/// What the run is stored (and titled) as: the size asked for, or `default` when no selected
/// workload has that size, so that each ran at its default (a folder of the user's own with no
/// `tour` sizes, run without names, is not a tour).
fn size_that_ran(workloads: &[Arc<Workload>], size: SizeName) -> SizeName {
    if workloads.iter().any(|w| w.size(size).0 == size) {
        size
    } else {
        SizeName::Default
    }
}

/// A quarter-second look at the machine before measuring: a busy or stolen-from machine makes
/// every figure noisier, and the user should know before waiting.
fn warn_if_busy() {
    let busy = sample_busy(std::time::Duration::from_millis(250));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for warning in busy.warnings(cores) {
        eprintln!("warning: {}", printable(&warning));
    }
}

/// SHA-256 over every manifest and program of the selected workloads.
fn workloads_hash(workloads: &[Arc<Workload>]) -> anyhow::Result<String> {
    let mut hasher = Hasher::new();
    for workload in workloads {
        hasher.update_str(&workload.id());
        hasher.update_path(&workload.manifest_path)?;
        for implementation in &workload.implementations {
            hasher.update_path(&implementation.source)?;
        }
    }
    Ok(hasher.finish().hex())
}
