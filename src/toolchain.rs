//! Toolchain discovery: which Pythons and which Go this machine has, with exact versions, the
//! real executable behind any shim, and how each was found (as uv's discovery reports it).

mod deploy;
mod go;
mod python;
mod select;

use std::collections::BTreeMap;
use std::env;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::UserError;
use crate::language::Language;

pub use deploy::{Excluded, LeftOut, RuntimeBreakdown, venv_packages_bytes};
pub use python::Roots;
pub use select::{PythonRequest, VersionSelector, selector_for};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Toolchain {
    /// Unique within a run, e.g. `cpython-3.11.7`, `pypy-3.9.16`, `go-1.26.8`.
    pub id: String,
    pub language: Language,
    /// `cpython`, `pypy`, `go`.
    pub implementation: String,
    pub version: String,
    /// What versus runs (for Go: the `go` command that builds).
    pub executable: PathBuf,
    /// `executable` with every symlink resolved.
    pub real_executable: PathBuf,
    /// The path discovery found, e.g. a pyenv shim on PATH.
    pub found_as: PathBuf,
    /// How it was found: `PATH: python3`, `--python`, …
    pub found_by: String,
    /// Set when `found_as` is a script in front of the interpreter (a version manager's shim).
    pub shim: Option<String>,
    /// Whether `versus run` uses it without being asked.
    pub selected: bool,
    /// Size of what must be installed to run a program (Python: interpreter, its shared
    /// library and standard library without its tests and the rest `runtime_breakdown` lists;
    /// Go: nothing, binaries are self-contained). Runs stored before the breakdown counted the
    /// whole standard library but site-packages.
    pub runtime_bytes: Option<u64>,
    /// Python: the parts of `runtime_bytes`, and what was left out of it. None for Go, and in
    /// runs stored before it (hence the default: old rows still load).
    #[serde(default)]
    pub runtime_breakdown: Option<RuntimeBreakdown>,
    /// Implementation-specific facts: GOARCH, GOAMD64, GIL, PyPy version …
    pub details: BTreeMap<String, String>,
}

impl Toolchain {
    /// `cpython 3.11.7`, as shown in tables.
    pub fn label(&self) -> String {
        format!("{} {}", self.implementation, self.version)
    }

    /// `3.13.0t` → `[3, 13, 0]`: what orders versions (`3.9` before `3.10`).
    pub fn version_components(&self) -> Vec<u32> {
        select::version_components(&self.version)
    }
}

/// A language with no usable toolchain, and what to do about it.
#[derive(Clone, Debug)]
pub struct Missing {
    pub language: Language,
    pub reason: String,
}

#[derive(Clone, Debug, Default)]
pub struct Discovery {
    pub toolchains: Vec<Toolchain>,
    pub missing: Vec<Missing>,
}

/// What the user asked for on the command line.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// `--python` values; none: what is on PATH.
    pub pythons: Vec<PythonRequest>,
    pub go: Option<PathBuf>,
}

impl Discovery {
    /// What this machine has. A toolchain found on PATH that does not work is left out (and
    /// listed as missing); one the user named with `--python` or `--go` that does not work is
    /// an error: leaving out what was asked for by name would measure something else, and so
    /// is a `--python` version that matches none of the Pythons found.
    pub fn run(request: &Request) -> Result<Discovery, UserError> {
        Discovery::run_in(request, &Roots::from_env())
    }

    /// [`Discovery::run`] with Pythons looked for under `roots` (a test's fake tree).
    pub fn run_in(request: &Request, roots: &Roots) -> Result<Discovery, UserError> {
        let mut discovery = Discovery::default();
        let programs: Vec<PathBuf> = request
            .pythons
            .iter()
            .filter_map(|r| match r {
                PythonRequest::Program(path) => Some(path.clone()),
                _ => None,
            })
            .collect();
        let search = python::Search {
            programs: &programs,
            everywhere: programs.len() < request.pythons.len() || request.pythons.is_empty(),
            python3_required: request.pythons.is_empty(),
            roots,
        };
        match python::discover(&search) {
            Ok(found) if !found.is_empty() => discovery.toolchains.extend(found),
            Ok(_) => discovery.missing(
                Language::Python,
                "no python3 or pypy3 on PATH, and none in pyenv's, asdf's, uv's or the \
                 system's folders"
                    .into(),
            ),
            Err(err) if !request.pythons.is_empty() => {
                return Err(named_does_not_work(
                    &err,
                    "Python interpreter, a version among those found (`--python 3.12`)",
                ));
            }
            Err(err) => discovery.missing(Language::Python, format!("{err:#}")),
        }
        match go::discover(request.go.as_deref()) {
            Ok(Some(found)) => discovery.toolchains.push(found),
            Ok(None) => discovery.missing(Language::Go, "no go on PATH".into()),
            Err(err) if request.go.is_some() => {
                return Err(named_does_not_work(&err, "`go` command"));
            }
            Err(err) => discovery.missing(Language::Go, format!("{err:#}")),
        }
        make_ids_unique(&mut discovery.toolchains);
        select::apply(&request.pythons, &mut discovery.toolchains)?;
        Ok(discovery)
    }

    fn missing(&mut self, language: Language, reason: String) {
        self.missing.push(Missing { language, reason });
    }

    /// The toolchains a run uses: the selected ones of the wanted languages.
    pub fn selected(&self, languages: &[Language]) -> Vec<Toolchain> {
        self.toolchains
            .iter()
            .filter(|t| t.selected && languages.contains(&t.language))
            .cloned()
            .collect()
    }
}

/// `err` names the flag and the path (`--go /x: no such executable`); `what` is what else to
/// pass.
fn named_does_not_work(err: &anyhow::Error, what: &str) -> UserError {
    UserError::usage(
        format!("{err:#}"),
        format!(
            "pass the path of a working {what}, or leave the flag out to use the one on PATH \
             (`versus doctor` shows what is found)"
        ),
    )
}

fn make_ids_unique(toolchains: &mut [Toolchain]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for toolchain in toolchains.iter_mut() {
        let count = seen.entry(toolchain.id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            toolchain.id = format!("{}-{}", toolchain.id, count);
        }
    }
}

/// Every file named `name` on PATH, in PATH order.
fn on_path(name: &str) -> Vec<PathBuf> {
    let Some(path) = env::var_os("PATH") else {
        return Vec::new();
    };
    env::split_paths(&path)
        .map(|dir| dir.join(name))
        .filter(|candidate| is_executable(candidate))
        .collect()
}

/// The first file named `name` on PATH, or `name` itself when it is a path.
fn resolve_program(name: &Path) -> Option<PathBuf> {
    if name.components().count() > 1 {
        return is_executable(name).then(|| name.to_path_buf());
    }
    on_path(&name.to_string_lossy()).into_iter().next()
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Describes `path` when it is a script standing in front of an interpreter.
fn shim_description(path: &Path) -> Option<String> {
    let mut head = [0u8; 2];
    let mut file = std::fs::File::open(path).ok()?;
    std::io::Read::read_exact(&mut file, &mut head).ok()?;
    if &head != b"#!" {
        return None;
    }
    let text = path.to_string_lossy();
    Some(if text.contains("/.pyenv/shims/") {
        "pyenv shim: a shell script that runs `pyenv exec` on every start".to_string()
    } else if text.contains("/.asdf/shims/") || text.contains("/mise/shims/") {
        "version-manager shim: a script that picks the interpreter on every start".to_string()
    } else {
        "a script that starts the interpreter".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A shell script standing in for a Python at `path`: it prints the probe's report of
    /// CPython `version` whose `sys.executable` is `executable`.
    fn fake_python(path: &Path, version: &str, executable: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let report = serde_json::json!({
            "implementation": "cpython", "version": version,
            "implementation_version": version, "executable": executable,
            "prefix": "/x", "base_prefix": "/x", "stdlib": null,
            "free_threaded_build": false, "gil_enabled": true, "config_args": "",
            "compiler": "GCC", "libraries": [],
        });
        std::fs::write(path, format!("#!/bin/sh\necho '{report}'\n")).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn fake_machine(root: &Path) -> Roots {
        let pyenv = |v: &str| root.join(format!("pyenv/versions/{v}/bin/python3"));
        for v in ["3.10.13", "3.11.7", "3.13.0"] {
            fake_python(&pyenv(v), v, &pyenv(v));
        }
        // PATH's python3 runs pyenv's 3.11.7 (as a pyenv shim does).
        fake_python(&root.join("bin/python3"), "3.11.7", &pyenv("3.11.7"));
        Roots {
            path: vec![root.join("bin")],
            pyenv: Some(root.join("pyenv")),
            home: Some(root.to_path_buf()),
            ..Roots::default()
        }
    }

    fn python_request(values: &[&str]) -> Request {
        Request {
            pythons: values
                .iter()
                .map(|v| PythonRequest::parse(std::ffi::OsStr::new(v)))
                .collect(),
            go: None,
        }
    }

    fn pythons(discovery: &Discovery) -> Vec<(String, String, bool)> {
        discovery
            .toolchains
            .iter()
            .filter(|t| t.language == Language::Python)
            .map(|t| (t.version.clone(), t.found_by.clone(), t.selected))
            .collect()
    }

    #[test]
    fn a_fake_pyenv_s_versions_are_offered_beside_path_s_python3_which_wins_a_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let roots = fake_machine(dir.path());
        let found = Discovery::run_in(&Request::default(), &roots).unwrap();
        let triple = |v: &str, by: &str, selected| (v.to_string(), by.to_string(), selected);
        assert_eq!(
            pythons(&found),
            [
                triple("3.11.7", "PATH: python3", true),
                triple("3.10.13", "pyenv: ~/pyenv/versions/3.10.13", false),
                triple("3.13.0", "pyenv: ~/pyenv/versions/3.13.0", false),
            ]
        );
        let picked = Discovery::run_in(&python_request(&["3.13", "3.10"]), &roots).unwrap();
        let selected: Vec<String> = pythons(&picked)
            .into_iter()
            .filter(|(.., selected)| *selected)
            .map(|(version, ..)| version)
            .collect();
        assert_eq!(selected, ["3.10.13", "3.13.0"]);
        let every = Discovery::run_in(&python_request(&["all"]), &roots).unwrap();
        assert!(pythons(&every).iter().all(|(.., selected)| *selected));
    }

    #[test]
    fn a_version_found_nowhere_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        let roots = fake_machine(dir.path());
        let err = Discovery::run_in(&python_request(&["9.99"]), &roots).unwrap_err();
        assert!(matches!(err, UserError::Usage { .. }), "{err:?}");
        assert!(err.to_string().contains("cpython 3.13.0"), "{err}");
    }

    #[test]
    fn a_toolchain_stored_before_the_runtime_breakdown_still_loads() {
        // A row of the toolchains table as versus wrote it before the breakdown.
        let old = r#"{"id":"cpython-3.11.7","language":"python","implementation":"cpython",
            "version":"3.11.7","executable":"/usr/bin/python3","real_executable":"/usr/bin/python3.11",
            "found_as":"/usr/bin/python3","found_by":"PATH: python3","shim":null,"selected":true,
            "runtime_bytes":272629760,"details":{"gil":"enabled"}}"#;
        let toolchain: Toolchain = serde_json::from_str(old).unwrap();
        assert_eq!(toolchain.runtime_bytes, Some(272_629_760));
        assert_eq!(toolchain.runtime_breakdown, None);
        let again = serde_json::to_string(&toolchain).unwrap();
        assert_eq!(
            serde_json::from_str::<Toolchain>(&again).unwrap(),
            toolchain
        );
    }
}
