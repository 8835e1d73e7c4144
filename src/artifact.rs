//! Turning an implementation into something to run. Go programs (and Go libraries for Python to
//! call) are built once per (source, toolchain) into a cache, with the build time and the size
//! recorded; Python programs run from their source, and their artifact is the source itself.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use crate::case::{Build, CaseVerdict, Packages, Unrunnable};
use crate::digest::{self, Hasher};
use crate::language::Language;
use crate::leftovers::{self, Staged};
use crate::measure::{RunSpec, run_helper};
use crate::toolchain::Toolchain;

const BUILD_TIMEOUT: Duration = Duration::from_secs(600);

/// A program ready to run: `program leading_args… workload_args…`, with `env` added.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub program: PathBuf,
    pub leading_args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
    /// What must be shipped besides the runtime: the Go binary as a deployment ships it
    /// (stripped, [`GoOutput::Deployed`]), or the Python source.
    pub artifact_bytes: u64,
    pub build: Option<Build>,
    /// Python: which site-packages it can see (set where the venv is chosen, see
    /// [`crate::venv`]); `None` for Go.
    pub packages: Option<Packages>,
}

/// What `go build` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoOutput {
    Executable,
    /// `-buildmode=c-shared`: a library Python loads with ctypes.
    SharedLibrary,
    /// `-ldflags=-s -w`: the executable without its symbol table and DWARF, as a deployment
    /// ships it (25–30% smaller). Measured for its size only; the timed program and the timed
    /// build are the plain `go build`.
    Deployed,
}

impl GoOutput {
    fn file_name(self) -> &'static str {
        match self {
            GoOutput::Executable => "program",
            GoOutput::SharedLibrary => "library.so",
            GoOutput::Deployed => "deployed",
        }
    }
}

/// A built Go file: its path, its size and how long it took.
#[derive(Clone, Debug)]
pub struct Built {
    pub path: PathBuf,
    pub bytes: u64,
    pub build: Build,
}

pub struct Builder {
    cache_dir: PathBuf,
}

impl Builder {
    pub fn new(cache_dir: PathBuf) -> Builder {
        Builder { cache_dir }
    }

    pub fn cache_dir(&self) -> &Path {
        &self.cache_dir
    }

    /// Prepares `source` for `toolchain`. The outer error means versus cannot go on (an
    /// unwritable cache); the inner one is a failed build, recorded as the case's verdict.
    pub fn prepare(
        &self,
        source: &Path,
        toolchain: &Toolchain,
    ) -> anyhow::Result<Result<Prepared, Unrunnable>> {
        match toolchain.language {
            Language::Python => Ok(Ok(Prepared {
                program: toolchain.executable.clone(),
                leading_args: vec![source.as_os_str().to_owned()],
                env: Vec::new(),
                artifact_bytes: digest::size_of_path(source, digest::SKIP_CACHES)
                    .with_context(|| format!("cannot read {}", source.display()))?,
                build: None,
                packages: Some(Packages::Interpreter),
            })),
            Language::Go => {
                let built = match self.go_build(source, toolchain, GoOutput::Executable)? {
                    Ok(built) => built,
                    Err(failure) => return Ok(Err(failure)),
                };
                let deployed = match self.go_build(source, toolchain, GoOutput::Deployed)? {
                    Ok(deployed) => deployed,
                    Err(failure) => return Ok(Err(failure)),
                };
                Ok(Ok(Prepared {
                    program: built.path,
                    leading_args: Vec::new(),
                    env: Vec::new(),
                    artifact_bytes: deployed.bytes,
                    build: Some(built.build),
                    packages: None,
                }))
            }
        }
    }

    /// The empty program of a language, to measure its startup floor.
    pub fn prepare_empty(
        &self,
        toolchain: &Toolchain,
    ) -> anyhow::Result<Result<Prepared, Unrunnable>> {
        let (name, text) = match toolchain.language {
            Language::Python => ("empty.py", ""),
            Language::Go => ("empty.go", "package main\n\nfunc main() {}\n"),
        };
        let path = self.cached_file("floor", name, text)?;
        self.prepare(&path, toolchain)
    }

    /// A file of versus's own (an empty program, a harness) written into the cache, once.
    fn cached_file(&self, folder: &str, name: &str, text: &str) -> anyhow::Result<PathBuf> {
        let dir = self.cache_dir.join(folder);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create cache folder {}", dir.display()))?;
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(path)
    }

    /// The steady-state harness (`src/artifact/steady_state.py`), written into the cache.
    pub fn steady_state_harness(&self) -> anyhow::Result<PathBuf> {
        const HARNESS: &str = include_str!("artifact/steady_state.py");
        self.cached_file("harness", "steady_state.py", HARNESS)
    }

    /// Builds a Go file or module folder, or finds it built already.
    pub fn go_build(
        &self,
        source: &Path,
        toolchain: &Toolchain,
        output: GoOutput,
    ) -> anyhow::Result<Result<Built, Unrunnable>> {
        let key = build_key(source, toolchain, output)?;
        let dir = self.cache_dir.join("go").join(&key.hex()[..20]);
        let target = dir.join(output.file_name());
        let meta_path = dir.join("build.json");
        if let Some(build) = read_meta(&meta_path).filter(|_| target.is_file()) {
            return Ok(Ok(built(
                target,
                Build {
                    cached: true,
                    ..build
                },
            )?));
        }
        let staged = Staged::new(
            self.cache_dir
                .join("go")
                .join(leftovers::staging_name(&key.hex()[..20])),
        );
        let staging = staged.path();
        std::fs::create_dir_all(staging)
            .with_context(|| format!("cannot create cache folder {}", staging.display()))?;
        let build =
            match run_go_build(source, toolchain, output, &staging.join(output.file_name()))? {
                Ok(seconds) => Build {
                    seconds,
                    cached: false,
                },
                Err(failure) => return Ok(Err(failure)),
            };
        std::fs::write(staging.join("build.json"), serde_json::to_vec(&build)?)?;
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(err) = std::fs::rename(staging, &dir) {
            // Another versus made the same build at the same time and moved it in first: the
            // key names the source and toolchain, so its build is this one.
            if read_meta(&meta_path).is_none() || !target.is_file() {
                return Err(err)
                    .with_context(|| format!("cannot move the build into {}", dir.display()));
            }
        }
        Ok(Ok(built(target, build)?))
    }
}

fn built(path: PathBuf, build: Build) -> anyhow::Result<Built> {
    let bytes = std::fs::metadata(&path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    Ok(Built { path, bytes, build })
}

fn read_meta(path: &Path) -> Option<Build> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Source contents, Go version, target, build settings (`go env`'s GOFLAGS, GOEXPERIMENT,
/// CGO_ENABLED, and the variables the build is given), output kind and the go executable: any
/// change rebuilds.
fn build_key(
    source: &Path,
    toolchain: &Toolchain,
    output: GoOutput,
) -> anyhow::Result<digest::Digest> {
    let mut hasher = Hasher::new();
    hasher
        .update_str("go-build-v2")
        .update_str(output.file_name())
        .update_str(&toolchain.version)
        .update_str(&toolchain.real_executable.to_string_lossy());
    for (key, value) in &toolchain.details {
        hasher.update_str(key).update_str(value);
    }
    for (key, value) in BUILD_ENV {
        hasher.update_str(key).update_str(value);
    }
    hasher
        .update_path(source)
        .with_context(|| format!("cannot read {}", source.display()))?;
    Ok(hasher.finish())
}

/// What every `go build` (and `go vet`) is given on top of [`crate::childenv`]'s environment. Never let a
/// go.mod's toolchain line download another Go in the middle of a benchmark.
const BUILD_ENV: &[(&str, &str)] = &[("GOTOOLCHAIN", "local")];

/// [`BUILD_ENV`] as a spawned `go` command's variables.
pub fn build_env() -> Vec<(OsString, OsString)> {
    BUILD_ENV
        .iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

/// `go build -o OUT file.go` beside the file; inside a folder, `go build -o OUT .` when it is a
/// module, else the folder's `.go` files.
fn run_go_build(
    source: &Path,
    toolchain: &Toolchain,
    output: GoOutput,
    target: &Path,
) -> anyhow::Result<Result<f64, Unrunnable>> {
    let (cwd, packages) = if source.join("go.mod").is_file() {
        (source.to_path_buf(), vec![OsString::from(".")])
    } else if source.is_dir() {
        (source.to_path_buf(), go_files(source)?)
    } else {
        let dir = source.parent().unwrap_or(Path::new(".")).to_path_buf();
        (dir, vec![source.file_name().unwrap_or_default().to_owned()])
    };
    let mut args: Vec<OsString> = vec!["build".into()];
    match output {
        GoOutput::Executable => {}
        GoOutput::SharedLibrary => args.push("-buildmode=c-shared".into()),
        GoOutput::Deployed => args.push("-ldflags=-s -w".into()),
    }
    args.extend(["-o".into(), target.as_os_str().to_owned()]);
    args.extend(packages);
    let mut spec = RunSpec::new(&toolchain.executable, args, BUILD_TIMEOUT);
    spec.cwd = Some(cwd);
    spec.env = build_env();
    let out = run_helper(spec)?;
    if out.exit.success() && target.is_file() {
        return Ok(Ok(out.wall.as_secs_f64()));
    }
    let stderr = String::from_utf8_lossy(&out.stderr_tail);
    Ok(Err(Unrunnable::new(
        CaseVerdict::BuildFailed,
        format!(
            "go build of {} failed ({}): {}",
            source.display(),
            out.exit,
            stderr.trim()
        ),
    )))
}

/// The `.go` files of a folder that is not a module (tests left out), in name order.
fn go_files(dir: &Path) -> anyhow::Result<Vec<OsString>> {
    let mut files: Vec<OsString> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name())
        .filter(|name| {
            let name = name.to_string_lossy();
            name.ends_with(".go") && !name.ends_with("_test.go")
        })
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests;
