//! Integration-test helpers (after ripgrep's `tests/util.rs`): a private copy of the fixtures in
//! a temp dir, and a command builder for the real binary with its own database and cache.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Sandbox {
    pub dir: tempfile::TempDir,
    /// The fixture's folder name, which is also the suite name of its workloads.
    fixture: String,
}

impl Sandbox {
    /// A temp dir holding a copy of `tests/fixtures/<fixture>`, used as `--workloads`.
    pub fn with_fixture(fixture: &str) -> Sandbox {
        let mut sandbox = Sandbox::empty();
        sandbox.fixture = fixture.to_string();
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        copy_dir(&source, &sandbox.workloads());
        sandbox
    }

    pub fn empty() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
            fixture: String::new(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn workloads(&self) -> PathBuf {
        self.path().join(&self.fixture)
    }

    pub fn db(&self) -> PathBuf {
        self.path().join("versus.db")
    }

    /// `versus --db … [--workloads …] ARGS…` with this sandbox's database, cache and workloads.
    pub fn versus(&self, args: &[&str]) -> Command {
        self.versus_with_db(&self.db(), args)
    }

    pub fn versus_with_db(&self, db: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_versus"));
        command
            .arg("--db")
            .arg(db)
            .env("XDG_CACHE_HOME", shared_cache())
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env_remove("VERSUS_WORKLOADS")
            .env_remove("NO_COLOR");
        if !self.fixture.is_empty() {
            command.arg("--workloads").arg(self.workloads());
        }
        command.args(args);
        command
    }

    /// Processes whose command line mentions this sandbox (a fixture's leftovers).
    pub fn survivors(&self) -> Vec<String> {
        let needle = self.path().to_string_lossy().into_owned();
        let mut found = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            let zombie = stat
                .rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z');
            let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
            if cmdline.contains(&needle) && !zombie && comm.trim() != "versus" {
                found.push(cmdline);
            }
        }
        found
    }
}

/// Go builds are cached by content, so tests share one cache (it also keeps them fast).
pub fn shared_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("versus-cache")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs and parses stdout as JSON, with a readable failure.
pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            stdout(output),
            stderr(output)
        )
    })
}

/// The cases of a JSON report whose workload ends with `name` and whose language is `language`.
pub fn cases<'a>(
    report: &'a serde_json::Value,
    name: &str,
    language: &str,
) -> Vec<&'a serde_json::Value> {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["workload"].as_str().unwrap_or("").ends_with(name) && c["language"] == language
        })
        .collect()
}

/// A usage error: exit status 2, an `error:` line naming `wanted`, a `hint:` line right after it,
/// and no panic.
pub fn assert_usage_error(output: &Output, wanted: &str) {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let error = lines
        .iter()
        .position(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error line: {text}"));
    assert!(lines[error].contains(wanted), "{text}");
    assert!(
        lines
            .get(error + 1)
            .is_some_and(|l| l.starts_with("hint: ")),
        "{text}"
    );
}

/// The first of `names` that runs with `--version`, or `None` after saying on stderr which test
/// skips and how to install the tool. With `VERSUS_TEST_STRICT=1` (set by `.ci/run`) a missing
/// tool fails the test instead, so CI never skips.
#[allow(dead_code)]
pub fn optional_tool(test: &str, names: &[&'static str], install: &str) -> Option<&'static str> {
    let found = names.iter().copied().find(|name| {
        std::process::Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        let missing = format!("none of {} is installed ({install})", names.join(", "));
        if std::env::var_os("VERSUS_TEST_STRICT").is_some_and(|v| v == "1") {
            panic!("{test}: {missing}, and VERSUS_TEST_STRICT=1 forbids skipping");
        }
        eprintln!("{test}: skipped, {missing}; VERSUS_TEST_STRICT=1 makes this a failure");
    }
    found
}
