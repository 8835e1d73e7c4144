//! Go discovery: `go` on PATH (or `--go`), with `go env` for the exact version and target.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;

use super::{Toolchain, resolve_program, shim_description};
use crate::language::Language;
use crate::measure::{RunSpec, run_helper};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
struct GoEnv {
    goversion: String,
    goarch: String,
    goos: String,
    #[serde(default)]
    goamd64: String,
    goroot: String,
    /// What a build makes, as `go env` reads it (the environment, else the `go env -w` file).
    #[serde(default)]
    goflags: String,
    #[serde(default)]
    goexperiment: String,
    #[serde(default, rename = "CGO_ENABLED")]
    cgo_enabled: String,
}

pub fn discover(requested: Option<&Path>) -> anyhow::Result<Option<Toolchain>> {
    let (path, found_by) = match requested {
        Some(path) => {
            let resolved = resolve_program(path)
                .with_context(|| format!("--go {}: no such executable", path.display()))?;
            (resolved, "--go".to_string())
        }
        None => match resolve_program(Path::new("go")) {
            Some(path) => (path, "PATH: go".to_string()),
            None => return Ok(None),
        },
    };
    let found = probe(path.clone(), found_by);
    match requested {
        Some(_) => found.with_context(|| format!("--go {}", path.display())),
        None => found,
    }
    .map(Some)
}

/// `go env` of the `go` at `path`: the exact version and target.
fn probe(path: std::path::PathBuf, found_by: String) -> anyhow::Result<Toolchain> {
    let args: Vec<OsString> = [
        "env",
        "-json",
        "GOVERSION",
        "GOARCH",
        "GOOS",
        "GOAMD64",
        "GOROOT",
        "GOFLAGS",
        "GOEXPERIMENT",
        "CGO_ENABLED",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    let out = run_helper(RunSpec::new(&path, args, Duration::from_secs(60)))
        .with_context(|| format!("cannot run {}", path.display()))?;
    if !out.exit.success() {
        bail!(
            "`{} env` failed ({}): {}",
            path.display(),
            out.exit,
            String::from_utf8_lossy(&out.stderr_tail).trim()
        );
    }
    let env: GoEnv = serde_json::from_slice(&out.stdout)
        .with_context(|| format!("`{} env -json` printed no report", path.display()))?;
    let version = env.goversion.trim_start_matches("go").to_string();
    let mut details = BTreeMap::new();
    details.insert("GOARCH".into(), env.goarch.clone());
    details.insert("GOOS".into(), env.goos.clone());
    if !env.goamd64.is_empty() {
        details.insert("GOAMD64".into(), env.goamd64.clone());
    }
    details.insert("GOROOT".into(), env.goroot.clone());
    // Builds are cached by these too (see `artifact::build_key`): a `go env -w GOFLAGS=…` or
    // another cgo setting makes another binary.
    for (key, value) in [
        ("GOFLAGS", &env.goflags),
        ("GOEXPERIMENT", &env.goexperiment),
        ("CGO_ENABLED", &env.cgo_enabled),
    ] {
        if !value.is_empty() {
            details.insert(key.into(), value.clone());
        }
    }
    Ok(Toolchain {
        id: format!("go-{version}"),
        language: Language::Go,
        implementation: "go".to_string(),
        version,
        real_executable: path.canonicalize().unwrap_or_else(|_| path.clone()),
        executable: path.clone(),
        shim: shim_description(&path),
        found_as: path,
        found_by,
        selected: true,
        // A Go binary is self-contained: nothing beyond it must be installed.
        runtime_bytes: Some(0),
        runtime_breakdown: None,
        details,
    })
}
