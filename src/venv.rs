//! Virtual environments for Python programs that need packages: one per (interpreter,
//! requirements file), made once with the interpreter's own `venv`, filled with wheels only
//! (`pip install --only-binary=:all:`, so nothing is compiled for minutes), and reused.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use crate::digest::Hasher;
use crate::measure::{RunSpec, run_helper};
use crate::toolchain::Toolchain;

const INSTALL_TIMEOUT: Duration = Duration::from_secs(900);
/// Written last: a venv without it was interrupted and is made again.
const COMPLETE: &str = ".versus-complete";

pub struct Venvs {
    dir: PathBuf,
}

impl Venvs {
    pub fn new(cache_dir: &Path) -> Venvs {
        Venvs {
            dir: cache_dir.join("venvs"),
        }
    }

    /// The interpreter of the venv for `toolchain` with `requirements` installed. The inner
    /// error is why the packages cannot be installed (the case's verdict); the outer one means
    /// versus cannot go on (an unwritable cache).
    pub fn interpreter(
        &self,
        toolchain: &Toolchain,
        requirements: &Path,
    ) -> anyhow::Result<Result<PathBuf, String>> {
        let mut key = Hasher::new();
        key.update_str("venv-v1")
            .update_str(&toolchain.real_executable.to_string_lossy())
            .update_str(&toolchain.version)
            .update_path(requirements)
            .with_context(|| format!("cannot read {}", requirements.display()))?;
        let venv = self
            .dir
            .join(format!("{}-{}", toolchain.id, &key.finish().hex()[..12]));
        let python = venv.join("bin").join("python");
        if venv.join(COMPLETE).is_file() && python.exists() {
            return Ok(Ok(python));
        }
        let _ = std::fs::remove_dir_all(&venv);
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create {}", self.dir.display()))?;
        let create: Vec<OsString> = vec!["-m".into(), "venv".into(), venv.clone().into()];
        if let Err(reason) = helper(&toolchain.executable, create, "python -m venv")? {
            return Ok(Err(reason));
        }
        let install: Vec<OsString> = [
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--only-binary=:all:",
            "-r",
        ]
        .iter()
        .map(OsString::from)
        .chain([requirements.as_os_str().to_owned()])
        .collect();
        if let Err(reason) = helper(&python, install, "pip install")? {
            let _ = std::fs::remove_dir_all(&venv);
            return Ok(Err(reason));
        }
        std::fs::write(venv.join(COMPLETE), b"")?;
        Ok(Ok(python))
    }
}

fn helper(program: &Path, args: Vec<OsString>, what: &str) -> anyhow::Result<Result<(), String>> {
    let out = run_helper(RunSpec::new(program, args, INSTALL_TIMEOUT))?;
    if out.exit.success() {
        return Ok(Ok(()));
    }
    let stderr = String::from_utf8_lossy(&out.stderr_tail);
    let last: Vec<&str> = stderr.lines().rev().take(4).collect();
    let last: Vec<&str> = last.into_iter().rev().collect();
    Ok(Err(format!(
        "{what} failed ({:?}): {}",
        out.exit,
        last.join(" | ")
    )))
}
