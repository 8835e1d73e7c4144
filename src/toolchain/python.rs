//! Python discovery: `python3`, `pypy3` and every `python3.X` on PATH, the interpreters pyenv,
//! asdf and uv installed and the system's `python3.X` (or the `--python` paths), each probed in
//! isolated mode (`-I`), in parallel, for what it really is.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;

mod installs;

pub use installs::Roots;

use super::{RuntimeBreakdown, Toolchain, is_executable, shim_description};
use crate::language::Language;
use crate::measure::{RunSpec, run_helper};

const PROBE: &str = r#"
import json, platform, sys, sysconfig
gil = getattr(sys, "_is_gil_enabled", None)
print(json.dumps({
    "implementation": sys.implementation.name,
    "version": platform.python_version(),
    "implementation_version": "%d.%d.%d" % tuple(sys.implementation.version[:3]),
    "executable": sys.executable,
    "prefix": sys.prefix,
    "base_prefix": getattr(sys, "base_prefix", sys.prefix),
    "stdlib": sysconfig.get_paths().get("stdlib"),
    "free_threaded_build": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "gil_enabled": gil() if gil else True,
    "config_args": sysconfig.get_config_var("CONFIG_ARGS") or "",
    "compiler": platform.python_compiler(),
    "libraries": sorted({line.split()[-1] for line in open("/proc/self/maps")
                         if "/libpython" in line or "/libpypy" in line}),
}))
"#;

#[derive(Debug, Deserialize)]
struct Probe {
    implementation: String,
    version: String,
    implementation_version: String,
    executable: String,
    prefix: String,
    base_prefix: String,
    stdlib: Option<String>,
    free_threaded_build: bool,
    gil_enabled: bool,
    config_args: String,
    compiler: String,
    /// The interpreter's own shared libraries (libpython, libpypy), from /proc/self/maps.
    libraries: Vec<String>,
}

struct Candidate {
    path: PathBuf,
    found_by: String,
    selected: bool,
    /// A failure of this candidate is reported (it was asked for, or it is `python3`).
    required: bool,
}

/// How a toolchain the user named is found, and the flag its errors name.
pub(super) const REQUESTED: &str = "--python";

/// Where to look.
pub struct Search<'a> {
    /// `--python PATH` values: probed first, selected, and an error when they do not work.
    pub programs: &'a [PathBuf],
    /// Look on PATH, in the version managers' folders and the system's (no `--python`, or a
    /// version or `all` among them).
    pub everywhere: bool,
    /// PATH's `python3` must work (no `--python` at all): it is what a run measures.
    pub python3_required: bool,
    pub roots: &'a Roots,
}

pub fn discover(search: &Search) -> anyhow::Result<Vec<Toolchain>> {
    let mut candidates = requested_candidates(search.programs, search.roots)?;
    if search.everywhere {
        candidates.extend(path_candidates(search.roots, search.python3_required));
        candidates.extend(installs::candidates(search.roots));
    }
    let probed: Vec<anyhow::Result<Toolchain>> = std::thread::scope(|scope| {
        let handles: Vec<_> = candidates
            .iter()
            .map(|c| scope.spawn(move || probe(c)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| bail!("probe thread panicked")))
            .collect()
    });
    let mut toolchains: Vec<Toolchain> = Vec::new();
    for (candidate, result) in candidates.iter().zip(probed) {
        match result {
            Ok(found) => {
                // python3 and python3.11 are often the same interpreter, and pyenv's global
                // version is the one its shim runs: keep the first found (PATH's wins).
                if !toolchains
                    .iter()
                    .any(|t| t.real_executable == found.real_executable)
                {
                    toolchains.push(found);
                }
            }
            Err(err) if candidate.found_by == REQUESTED => {
                return Err(err.context(format!("{REQUESTED} {}", candidate.path.display())));
            }
            Err(err) if candidate.required => return Err(err),
            Err(_) => {}
        }
    }
    Ok(toolchains)
}

fn requested_candidates(requested: &[PathBuf], roots: &Roots) -> anyhow::Result<Vec<Candidate>> {
    requested
        .iter()
        .map(|path| {
            let resolved = if path.components().count() > 1 {
                is_executable(path).then(|| path.clone())
            } else {
                roots.on_path(&path.to_string_lossy())
            };
            let resolved = resolved.with_context(|| {
                format!(
                    "--python {}: no such executable (a version such as `--python 3.12` picks \
                     among the Pythons `versus doctor` lists)",
                    path.display()
                )
            })?;
            Ok(Candidate {
                path: resolved,
                found_by: REQUESTED.to_string(),
                selected: true,
                required: true,
            })
        })
        .collect()
}

fn path_candidates(roots: &Roots, python3_required: bool) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    for name in ["python3", "pypy3"] {
        if let Some(path) = roots.on_path(name) {
            candidates.push(Candidate {
                path,
                found_by: format!("PATH: {name}"),
                selected: true,
                required: python3_required && name == "python3",
            });
        }
    }
    for name in versioned_names(roots) {
        if let Some(path) = roots.on_path(&name) {
            candidates.push(Candidate {
                path,
                found_by: format!("PATH: {name}"),
                selected: false,
                required: false,
            });
        }
    }
    candidates
}

/// Names such as `python3.12` and `python3.13t` found in the PATH folders.
fn versioned_names(roots: &Roots) -> Vec<String> {
    let mut names: Vec<String> = roots
        .path
        .iter()
        .flat_map(|dir| installs::versioned_names(dir))
        .collect();
    names.sort();
    names.dedup();
    names
}

fn probe(candidate: &Candidate) -> anyhow::Result<Toolchain> {
    let args: Vec<OsString> = vec!["-I".into(), "-c".into(), PROBE.into()];
    let out = run_helper(RunSpec::new(&candidate.path, args, Duration::from_secs(30)))
        .with_context(|| format!("cannot run {}", candidate.path.display()))?;
    if !out.exit.success() {
        bail!(
            "{} failed to report its version ({}): {}",
            candidate.path.display(),
            out.exit,
            String::from_utf8_lossy(&out.stderr_tail).trim()
        );
    }
    let probe: Probe = serde_json::from_slice(&out.stdout)
        .with_context(|| format!("{} printed no version report", candidate.path.display()))?;
    Ok(toolchain_from(candidate, probe))
}

fn toolchain_from(candidate: &Candidate, probe: Probe) -> Toolchain {
    let executable = if probe.executable.is_empty() {
        candidate.path.clone()
    } else {
        // Run sys.executable itself, not its resolved target: a venv's python is a symlink,
        // and running the target would leave the venv.
        PathBuf::from(&probe.executable)
    };
    let real_executable = executable
        .canonicalize()
        .unwrap_or_else(|_| executable.clone());
    let suffix = if probe.free_threaded_build { "t" } else { "" };
    let mut details = BTreeMap::new();
    details.insert(
        "gil".into(),
        if probe.gil_enabled {
            "enabled"
        } else {
            "disabled"
        }
        .into(),
    );
    details.insert(
        "free_threaded_build".into(),
        probe.free_threaded_build.to_string(),
    );
    details.insert(
        "implementation_version".into(),
        probe.implementation_version.clone(),
    );
    details.insert("compiler".into(), probe.compiler.clone());
    details.insert("prefix".into(), probe.prefix.clone());
    if probe.prefix != probe.base_prefix {
        details.insert("venv_of".into(), probe.base_prefix.clone());
    }
    if probe.implementation == "cpython" {
        let pgo = probe.config_args.contains("--enable-optimizations");
        details.insert("pgo".into(), if pgo { "yes" } else { "no" }.into());
    }
    let runtime = runtime(&real_executable, &probe);
    Toolchain {
        id: format!("{}-{}{suffix}", probe.implementation, probe.version),
        language: Language::Python,
        implementation: probe.implementation.clone(),
        version: format!("{}{suffix}", probe.version),
        runtime_bytes: runtime.as_ref().map(RuntimeBreakdown::total_bytes),
        runtime_breakdown: runtime,
        executable,
        real_executable,
        found_as: candidate.path.clone(),
        found_by: candidate.found_by.clone(),
        shim: shim_description(&candidate.path),
        selected: candidate.selected,
        details,
    }
}

/// What a Python program needs installed beside its source, part by part (see [`RuntimeBreakdown`]).
fn runtime(executable: &Path, probe: &Probe) -> Option<RuntimeBreakdown> {
    let stdlib = Path::new(probe.stdlib.as_deref()?);
    RuntimeBreakdown::measure(executable, &probe.libraries, stdlib).ok()
}
