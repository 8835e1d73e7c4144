//! Inputs fed on stdin: a committed file, or the output of a generator program, made once,
//! checked against its expected SHA-256 and cached, so large inputs are never committed.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use crate::artifact::{Builder, GoOutput};
use crate::case::{CaseVerdict, Unrunnable};
use crate::digest::{self, Digest};
use crate::language::Language;
use crate::leftovers::{self, Staged};
use crate::measure::{RunSpec, run_helper};
use crate::suite::Stdin;
use crate::toolchain::Toolchain;

const GENERATE_TIMEOUT: Duration = Duration::from_secs(1800);

pub struct Inputs<'a> {
    pub builder: &'a Builder,
    pub toolchains: &'a [Toolchain],
}

impl Inputs<'_> {
    /// The file to feed on stdin. The inner error (no toolchain to run the generator, a failed
    /// generator, an output with the wrong digest) is the verdict of every case that needs it.
    pub fn resolve(&self, stdin: &Stdin) -> anyhow::Result<Result<PathBuf, Unrunnable>> {
        match stdin {
            Stdin::File(path) => Ok(Ok(path.clone())),
            Stdin::Generated {
                generator,
                args,
                sha256,
            } => self.generated(generator, args, sha256),
        }
    }

    fn generated(
        &self,
        generator: &Path,
        args: &[String],
        sha256: &Digest,
    ) -> anyhow::Result<Result<PathBuf, Unrunnable>> {
        let dir = self.builder.cache_dir().join("inputs");
        let target = dir.join(sha256.hex());
        if target.is_file() && file_digest(&target)? == *sha256 {
            return Ok(Ok(target));
        }
        let program = match self.program(generator)? {
            Ok(program) => program,
            Err(unrunnable) => return Ok(Err(unrunnable)),
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let staged = Staged::new(dir.join(leftovers::staging_name(&sha256.short())));
        let staging = staged.path().to_path_buf();
        let mut all_args = program.1;
        all_args.extend(args.iter().map(OsString::from));
        let mut spec = RunSpec::new(&program.0, all_args, GENERATE_TIMEOUT);
        spec.cwd = generator.parent().map(Path::to_path_buf);
        spec.stdout_file = Some(staging.clone());
        let out = run_helper(spec)?;
        let failed = |detail: String| Ok(Err(Unrunnable::new(CaseVerdict::BuildFailed, detail)));
        if !out.exit.success() {
            let stderr = String::from_utf8_lossy(&out.stderr_tail);
            return failed(format!(
                "input generator {} failed ({}): {}",
                generator.display(),
                out.exit,
                stderr.trim()
            ));
        }
        let got = file_digest(&staging)?;
        if got != *sha256 {
            return failed(format!(
                "input generator {} wrote output with sha256 {}, the manifest expects {}",
                generator.display(),
                got.short(),
                sha256.short()
            ));
        }
        std::fs::rename(&staging, &target)
            .with_context(|| format!("cannot move the input into {}", target.display()))?;
        Ok(Ok(target))
    }

    /// How to run a generator: a Go program is built with the first Go toolchain, a Python one
    /// runs with the first Python.
    fn program(
        &self,
        generator: &Path,
    ) -> anyhow::Result<Result<(PathBuf, Vec<OsString>), Unrunnable>> {
        let is_go = generator.is_dir() || generator.extension().is_some_and(|e| e == "go");
        let language = if is_go {
            Language::Go
        } else {
            Language::Python
        };
        let Some(toolchain) = self.toolchains.iter().find(|t| t.language == language) else {
            return Ok(Err(Unrunnable::new(
                CaseVerdict::MissingDependency,
                format!(
                    "the input generator {} needs {language}, which is not installed here",
                    generator.display()
                ),
            )));
        };
        if is_go {
            return Ok(self
                .builder
                .go_build(generator, toolchain, GoOutput::Executable)?
                .map(|built| (built.path, Vec::new())));
        }
        Ok(Ok((
            toolchain.executable.clone(),
            vec![generator.as_os_str().to_owned()],
        )))
    }
}

fn file_digest(path: &Path) -> anyhow::Result<Digest> {
    digest::of_file(path).with_context(|| format!("cannot read {}", path.display()))
}
