//! Virtual environments for Python programs: one per (interpreter, requirements file), made once
//! with the interpreter's own `venv`, filled with wheels only (`pip install
//! --only-binary=:all:`, so nothing is compiled for minutes), and reused; and one clean venv per
//! interpreter, with no packages at all, for every program that needs none.
//!
//! Pure programs run from the clean one because an interpreter's own site-packages is the
//! host's: a `.pth` hook installed there runs at every start (here one added ~35 ms: base
//! CPython started in 48 ms, a venv's in 16 ms), and what else it holds is whatever was
//! installed. A venv made without `--system-site-packages` sees neither that nor the user's
//! site-packages, so every Python program, pure or not, starts the same way.

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
    /// Venvs that could not be made in this process, with the reason: the same requirements
    /// named by several workloads are tried once per run (a failed pip install can take
    /// seconds), but again in the next run, which may have the network back.
    failed: std::sync::Mutex<Vec<(PathBuf, String)>>,
}

impl Venvs {
    pub fn new(cache_dir: &Path) -> Venvs {
        Venvs {
            dir: cache_dir.join("venvs"),
            failed: std::sync::Mutex::new(Vec::new()),
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
        self.venv(toolchain, Some(requirements))
    }

    /// The interpreter of `toolchain`'s clean venv: no packages, no site-packages of the
    /// host's. Errors as for [`Venvs::interpreter`].
    pub fn clean(&self, toolchain: &Toolchain) -> anyhow::Result<Result<PathBuf, String>> {
        self.venv(toolchain, None)
    }

    fn venv(
        &self,
        toolchain: &Toolchain,
        requirements: Option<&Path>,
    ) -> anyhow::Result<Result<PathBuf, String>> {
        let mut key = Hasher::new();
        key.update_str("venv-v1")
            .update_str(&toolchain.real_executable.to_string_lossy())
            .update_str(&toolchain.version);
        let name = match requirements {
            Some(requirements) => {
                key.update_path(requirements)
                    .with_context(|| format!("cannot read {}", requirements.display()))?;
                format!("{}-{}", toolchain.id, &key.finish().hex()[..12])
            }
            None => format!("{}-clean-{}", toolchain.id, &key.finish().hex()[..12]),
        };
        let venv = self.dir.join(&name);
        let python = venv.join("bin").join("python");
        if venv.join(COMPLETE).is_file() && python.exists() {
            return Ok(Ok(python));
        }
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, reason)) = failed.iter().find(|(v, _)| *v == venv) {
            return Ok(Err(reason.clone()));
        }
        // Another versus (a second run, a parallel test) may be making the same venv: making
        // one removes what is there first, so it is made under a lock, and looked at again.
        let _lock = self.lock(&name)?;
        if venv.join(COMPLETE).is_file() && python.exists() {
            return Ok(Ok(python));
        }
        let made = self.make(&venv, &python, toolchain, requirements)?;
        if let Err(reason) = &made {
            failed.push((venv, reason.clone()));
        }
        Ok(made)
    }

    /// An exclusive lock on `<venvs>/<name>.lock`, held until the returned file is dropped.
    fn lock(&self, name: &str) -> anyhow::Result<std::fs::File> {
        use std::os::fd::AsRawFd;
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create {}", self.dir.display()))?;
        let path = self.dir.join(format!("{name}.lock"));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        loop {
            // SAFETY: flock on a descriptor this function owns; no memory is shared.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
                return Ok(file);
            }
            let err = std::io::Error::last_os_error();
            if err.kind() != std::io::ErrorKind::Interrupted {
                return Err(err).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
    }

    fn make(
        &self,
        venv: &Path,
        python: &Path,
        toolchain: &Toolchain,
        requirements: Option<&Path>,
    ) -> anyhow::Result<Result<PathBuf, String>> {
        let _ = std::fs::remove_dir_all(venv);
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create {}", self.dir.display()))?;
        let mut create: Vec<OsString> = vec!["-m".into(), "venv".into()];
        if requirements.is_none() {
            // Nothing is installed into it, so it needs no pip (and no ensurepip, which
            // some distributions' Pythons lack).
            create.push("--without-pip".into());
        }
        create.push(venv.into());
        if let Err(reason) = helper(&toolchain.executable, create, "python -m venv")? {
            let _ = std::fs::remove_dir_all(venv);
            return Ok(Err(reason));
        }
        if let Some(requirements) = requirements {
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
            if let Err(reason) = helper(python, install, "pip install")? {
                let _ = std::fs::remove_dir_all(venv);
                return Ok(Err(reason));
            }
        }
        std::fs::write(venv.join(COMPLETE), b"")?;
        Ok(Ok(python.to_path_buf()))
    }
}

fn helper(program: &Path, args: Vec<OsString>, what: &str) -> anyhow::Result<Result<(), String>> {
    let out = run_helper(RunSpec::new(program, args, INSTALL_TIMEOUT))?;
    if out.exit.success() {
        return Ok(Ok(()));
    }
    let stderr = String::from_utf8_lossy(&out.stderr_tail);
    Ok(Err(format!(
        "{what} failed ({}): {}",
        out.exit,
        why(&stderr)
    )))
}

/// The reason in pip's stderr: its `ERROR:` lines without the list of every version it saw,
/// and, when no version fits this Python, which Python the pinned one requires. Else the last
/// lines.
fn why(stderr: &str) -> String {
    let errors: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("ERROR:"))
        .map(|l| l.split(" (from versions:").next().unwrap_or(l))
        .collect();
    if errors.is_empty() {
        return crate::text::last_lines(stderr, 4);
    }
    let mut reason = errors.join(" | ");
    let pinned = errors
        .iter()
        .find_map(|l| l.split("No matching distribution found for ").nth(1))
        .and_then(|req| req.split_once("=="));
    if let Some((name, version)) = pinned {
        let needle = format!("{version} Requires-Python ");
        let needs = stderr
            .rsplit(&needle)
            .next()
            .filter(|_| stderr.contains(&needle));
        if let Some(needs) = needs.and_then(|n| n.split([';', '\n']).next()) {
            reason.push_str(&format!(
                " ({name} {version} requires Python {}, not this one)",
                needs.trim()
            ));
        }
    }
    reason
}

#[cfg(test)]
mod tests {
    use super::{Venvs, why};
    use crate::language::Language;
    use crate::toolchain::{Discovery, Request};

    #[test]
    fn versus_processes_making_the_same_venv_at_once_all_get_it() {
        let python = Discovery::run(&Request::default())
            .expect("nothing was named")
            .toolchains
            .into_iter()
            .find(|t| t.language == Language::Python && t.selected)
            .expect("these tests need python3 on PATH (see README.md)");
        let cache = tempfile::tempdir().unwrap();
        // Each thread has its own `Venvs`, as each versus process has: only the lock on the
        // cache orders them (without it, one removed the venv another was making or using).
        let made: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| Venvs::new(cache.path()).clean(&python).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for interpreter in &made {
            let interpreter = interpreter.as_ref().expect("the clean venv was made");
            assert!(interpreter.exists(), "{}", interpreter.display());
            assert_eq!(Some(interpreter), made[0].as_ref().ok());
        }
    }

    #[test]
    fn a_pip_failure_is_told_in_one_short_line() {
        let stderr = "Ignored the following versions that require a different python version: \
            0.163.1 Requires-Python >=3.11; 0.163.2 Requires-Python >=3.11; 0.164.0 Requires-Python >=3.11\n\
            ERROR: Could not find a version that satisfies the requirement fastapi==0.163.2 (from versions: 0.1.0, 0.1.2)\n\
            ERROR: No matching distribution found for fastapi==0.163.2\n";
        assert_eq!(
            why(stderr),
            "ERROR: Could not find a version that satisfies the requirement fastapi==0.163.2 | \
             ERROR: No matching distribution found for fastapi==0.163.2 \
             (fastapi 0.163.2 requires Python >=3.11, not this one)"
        );
        assert_eq!(why("a\nb\nc\nd\ne\n"), "b | c | d | e");
    }
}
