//! `versus doctor`: what versus found on this machine and what could spoil a measurement.

use std::io::Write;
use std::time::Duration;

use crate::error::ExitCode;
use crate::machine::{Environment, sample_busy};
use crate::measure::{Executor, ProcessExecutor, TreeMethod};
use crate::settings::Settings;
use crate::text::Printable;
use crate::toolchain::{Discovery, Toolchain};
use crate::units::format_bytes;

pub fn run(settings: &Settings) -> anyhow::Result<ExitCode> {
    let discovery = Discovery::run(&settings.toolchains)?;
    let executor = ProcessExecutor::new();
    let tree = executor.tree_method();
    let env = Environment::capture(String::new(), tree.as_str(), settings.memory_limit_bytes);
    let busy = sample_busy(Duration::from_millis(500));
    let stdout = std::io::stdout();
    // Paths, versions and shims of what was found: shown, never obeyed.
    let mut out = Printable::new(stdout.lock());
    writeln!(out, "machine")?;
    writeln!(
        out,
        "  cpu:          {} ({} cores)",
        env.cpu_model, env.cores
    )?;
    writeln!(out, "  memory:       {}", format_bytes(env.memory_bytes))?;
    writeln!(out, "  system:       {} · Linux {}", env.os, env.kernel)?;
    writeln!(out, "  tree memory:  {}", describe_tree(tree))?;
    writeln!(
        out,
        "  memory limit: {}",
        describe_limit(env.memory_limit_bytes, executor.limits_memory_by_cgroup())
    )?;
    writeln!(
        out,
        "  busy now:     load average {:.2} · CPU {:.0}% in use · steal {:.1}% (over 0.5 s)",
        busy.load_avg, busy.busy_percent, busy.steal_percent
    )?;
    writeln!(out, "  database:     {}", settings.db.display())?;
    writeln!(out, "  build cache:  {}", settings.cache_dir.display())?;
    writeln!(out, "  workloads:    {}", settings.describe_workloads())?;
    writeln!(out, "\nprograms' environment")?;
    writeln!(
        out,
        "  removed:      {} (versus's own variables that change a runtime's behaviour: \
         PYTHON*, PYPY*, GOGC, GOMAXPROCS, GODEBUG, GOFLAGS, CGO_*, OMP_*, OPENBLAS_*, MKL_*, MALLOC_*, LD_PRELOAD …)",
        crate::childenv::describe(env.removed_env.as_deref().unwrap_or_default())
    )?;
    writeln!(
        out,
        "  set (--env):  {}",
        crate::childenv::describe(&settings.env)
    )?;
    writeln!(
        out,
        "  python:       every program from a venv versus makes: a clean one (standard library \
         only) unless it pins requirements; the interpreter's own site-packages are not seen"
    )?;
    writeln!(out, "\ntoolchains")?;
    for toolchain in &discovery.toolchains {
        write_toolchain(&mut out, toolchain)?;
    }
    for missing in &discovery.missing {
        writeln!(
            out,
            "  {}: not found ({})",
            missing.language, missing.reason
        )?;
        writeln!(out, "    hint: {}", missing.language.install_hint())?;
    }
    let warnings = warnings(&discovery, &busy, env.cores, tree);
    if !warnings.is_empty() {
        writeln!(out, "\nwarnings")?;
        for warning in warnings {
            writeln!(out, "  {warning}")?;
        }
    }
    Ok(ExitCode::Ok)
}

fn describe_limit(limit: Option<u64>, by_cgroup: bool) -> String {
    let Some(bytes) = limit else {
        return "none (--memory-limit none): only the kernel's OOM killer stops a program".into();
    };
    let how = if by_cgroup {
        "enforced by the run's cgroup"
    } else {
        "enforced by the /proc sampler, which kills the tree past it (a fast allocation can \
         overshoot between two samples)"
    };
    format!(
        "{} per program's whole process tree, {how} (--memory-limit)",
        crate::measure::memory_limit_text(bytes)
    )
}

fn describe_tree(method: TreeMethod) -> &'static str {
    match method {
        TreeMethod::CgroupV2 => "cgroup-v2 (a cgroup per run, memory.peak: exact)",
        TreeMethod::CgroupV1 => "cgroup-v1 (a cgroup per run, memory.max_usage_in_bytes: exact)",
        TreeMethod::ProcSampling => {
            "proc-sampling (summed PSS of the process group, sampled: a lower bound)"
        }
        TreeMethod::None => "none",
    }
}

fn write_toolchain(out: &mut dyn Write, t: &Toolchain) -> std::io::Result<()> {
    let used = if t.selected {
        "used by `versus run`".to_string()
    } else {
        format!(
            "offered: `--python {}` or `--python all` measures it",
            crate::toolchain::selector_for(t)
        )
    };
    writeln!(out, "  {} ({}) — {used}", t.label(), t.language)?;
    writeln!(out, "    runs:       {}", t.executable.display())?;
    if t.real_executable != t.executable {
        writeln!(out, "    resolves:   {}", t.real_executable.display())?;
    }
    writeln!(
        out,
        "    found:      {} → {}",
        t.found_by,
        t.found_as.display()
    )?;
    if let Some(shim) = &t.shim {
        writeln!(out, "    shim:       {shim}")?;
    }
    let details: Vec<String> = t.details.iter().map(|(k, v)| format!("{k}={v}")).collect();
    writeln!(out, "    details:    {}", details.join(" "))?;
    if let Some(bytes) = t.runtime_bytes.filter(|b| *b > 0) {
        writeln!(
            out,
            "    runtime:    {} to install (interpreter + standard library)",
            format_bytes(bytes)
        )?;
        if let Some(left_out) = t
            .runtime_breakdown
            .as_ref()
            .and_then(|r| r.describe_left_out(format_bytes))
        {
            writeln!(out, "    left out:   {left_out}")?;
        }
    }
    Ok(())
}

fn warnings(
    discovery: &Discovery,
    busy: &crate::machine::Busy,
    cores: usize,
    tree: TreeMethod,
) -> Vec<String> {
    let mut warnings = busy.warnings(cores);
    for t in &discovery.toolchains {
        if t.shim.is_some() {
            warnings.push(format!(
                "{} is a shim in front of {}: running it costs extra at every start; versus runs the real interpreter",
                t.found_as.display(),
                t.label()
            ));
        }
    }
    if tree == TreeMethod::ProcSampling {
        warnings.push(
            "no cgroup can be made here: process-tree memory will be sampled (a lower bound); run as root or in a delegated cgroup".into(),
        );
    }
    warnings
}
