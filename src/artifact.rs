//! Turning an implementation into something to run. Go programs are built once per (source,
//! toolchain) into a cache, with the build time and the binary's size recorded; Python programs
//! run from their source, and their artifact is the source itself.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::digest::{self, Hasher};
use crate::language::Language;
use crate::measure::{RunSpec, run_helper};
use crate::toolchain::Toolchain;

const BUILD_TIMEOUT: Duration = Duration::from_secs(600);

/// A program ready to run: `program leading_args… workload_args…`.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub program: PathBuf,
    pub leading_args: Vec<OsString>,
    /// What must be shipped besides the runtime: the Go binary, or the Python source.
    pub artifact_bytes: u64,
    pub build: Option<Build>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Build {
    /// How long the build took when it was made (a cached build keeps its original time).
    pub seconds: f64,
    pub cached: bool,
}

/// A build that failed: the case's verdict, not an error of versus.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildFailure(pub String);

pub struct Builder {
    cache_dir: PathBuf,
}

impl Builder {
    pub fn new(cache_dir: PathBuf) -> Builder {
        Builder { cache_dir }
    }

    /// Prepares `source` for `toolchain`. The outer error means versus cannot go on (an
    /// unwritable cache); the inner one is a build failure, recorded as the case's verdict.
    pub fn prepare(
        &self,
        source: &Path,
        toolchain: &Toolchain,
    ) -> anyhow::Result<Result<Prepared, BuildFailure>> {
        match toolchain.language {
            Language::Python => Ok(Ok(Prepared {
                program: toolchain.executable.clone(),
                leading_args: vec![source.as_os_str().to_owned()],
                artifact_bytes: digest::size_of_path(source, digest::SKIP_CACHES)
                    .with_context(|| format!("cannot read {}", source.display()))?,
                build: None,
            })),
            Language::Go => self.go_build(source, toolchain),
        }
    }

    /// The empty program of a language, to measure its startup floor.
    pub fn prepare_empty(
        &self,
        toolchain: &Toolchain,
    ) -> anyhow::Result<Result<Prepared, BuildFailure>> {
        let (name, text) = match toolchain.language {
            Language::Python => ("empty.py", ""),
            Language::Go => ("empty.go", "package main\n\nfunc main() {}\n"),
        };
        let dir = self.cache_dir.join("floor");
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create cache folder {}", dir.display()))?;
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        self.prepare(&path, toolchain)
    }

    fn go_build(
        &self,
        source: &Path,
        toolchain: &Toolchain,
    ) -> anyhow::Result<Result<Prepared, BuildFailure>> {
        let key = build_key(source, toolchain)?;
        let dir = self.cache_dir.join("go").join(&key.hex()[..20]);
        let binary = dir.join("program");
        let meta_path = dir.join("build.json");
        if let Some(build) = read_meta(&meta_path).filter(|_| binary.is_file()) {
            return Ok(Ok(prepared_binary(
                binary,
                Build {
                    cached: true,
                    ..build
                },
            )?));
        }
        let staging = self.cache_dir.join("go").join(format!(
            ".staging-{}-{}",
            std::process::id(),
            &key.hex()[..20]
        ));
        std::fs::create_dir_all(&staging)
            .with_context(|| format!("cannot create cache folder {}", staging.display()))?;
        let result = run_go_build(source, toolchain, &staging.join("program"))?;
        let build = match result {
            Ok(seconds) => Build {
                seconds,
                cached: false,
            },
            Err(failure) => {
                let _ = std::fs::remove_dir_all(&staging);
                return Ok(Err(failure));
            }
        };
        std::fs::write(staging.join("build.json"), serde_json::to_vec(&build)?)?;
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::rename(&staging, &dir)
            .with_context(|| format!("cannot move the build into {}", dir.display()))?;
        Ok(Ok(prepared_binary(binary, build)?))
    }
}

fn prepared_binary(binary: PathBuf, build: Build) -> anyhow::Result<Prepared> {
    let artifact_bytes = std::fs::metadata(&binary)
        .with_context(|| format!("cannot read {}", binary.display()))?
        .len();
    Ok(Prepared {
        program: binary,
        leading_args: Vec::new(),
        artifact_bytes,
        build: Some(build),
    })
}

fn read_meta(path: &Path) -> Option<Build> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Source contents, Go version, target and the go executable: any change rebuilds.
fn build_key(source: &Path, toolchain: &Toolchain) -> anyhow::Result<digest::Digest> {
    let mut hasher = Hasher::new();
    hasher
        .update_str("go-build-v1")
        .update_str(&toolchain.version)
        .update_str(&toolchain.real_executable.to_string_lossy());
    for (key, value) in &toolchain.details {
        hasher.update_str(key).update_str(value);
    }
    hasher
        .update_path(source)
        .with_context(|| format!("cannot read {}", source.display()))?;
    Ok(hasher.finish())
}

/// `go build -o OUT file.go` beside the file, or `go build -o OUT .` inside a module folder.
fn run_go_build(
    source: &Path,
    toolchain: &Toolchain,
    output: &Path,
) -> anyhow::Result<Result<f64, BuildFailure>> {
    let (cwd, target) = if source.is_dir() {
        (source.to_path_buf(), OsString::from("."))
    } else {
        let dir = source.parent().unwrap_or(Path::new(".")).to_path_buf();
        (dir, source.file_name().unwrap_or_default().to_owned())
    };
    let args = vec![
        "build".into(),
        "-o".into(),
        output.as_os_str().to_owned(),
        target,
    ];
    let mut spec = RunSpec::new(&toolchain.executable, args, BUILD_TIMEOUT);
    spec.cwd = Some(cwd);
    // Never let a go.mod's toolchain line download another Go in the middle of a benchmark.
    spec.env.push(("GOTOOLCHAIN".into(), "local".into()));
    let out = run_helper(spec)?;
    if out.exit.success() && output.is_file() {
        return Ok(Ok(out.wall.as_secs_f64()));
    }
    let stderr = String::from_utf8_lossy(&out.stderr_tail);
    Ok(Err(BuildFailure(format!(
        "go build of {} failed ({:?}): {}",
        source.display(),
        out.exit,
        stderr.trim()
    ))))
}

#[cfg(test)]
mod tests;
