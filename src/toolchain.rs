//! Toolchain discovery: which Pythons and which Go this machine has, with exact versions, the
//! real executable behind any shim, and how each was found (as uv's discovery reports it).

mod deploy;
mod go;
mod python;

use std::collections::BTreeMap;
use std::env;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::UserError;
use crate::language::Language;

pub use deploy::{Excluded, LeftOut, RuntimeBreakdown, venv_packages_bytes};

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
    pub pythons: Vec<PathBuf>,
    pub go: Option<PathBuf>,
}

impl Discovery {
    /// What this machine has. A toolchain found on PATH that does not work is left out (and
    /// listed as missing); one the user named with `--python` or `--go` that does not work is
    /// an error: leaving out what was asked for by name would measure something else.
    pub fn run(request: &Request) -> Result<Discovery, UserError> {
        let mut discovery = Discovery::default();
        match python::discover(&request.pythons) {
            Ok(found) if !found.is_empty() => discovery.toolchains.extend(found),
            Ok(_) => discovery.missing(Language::Python, "no python3 or pypy3 on PATH".into()),
            Err(err) if !request.pythons.is_empty() => {
                return Err(named_does_not_work(&err, "Python interpreter"));
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

/// `err` names the flag and the path (`--go /x: no such executable`).
fn named_does_not_work(err: &anyhow::Error, program: &str) -> UserError {
    UserError::usage(
        format!("{err:#}"),
        format!(
            "pass the path of a working {program}, or leave the flag out to use the one on PATH \
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
