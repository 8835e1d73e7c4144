//! End-to-end: the Pythons a version manager installed are found beside PATH's, and
//! `--python VERSION` picks among them (issue 14 part 6).

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

use util::{Sandbox, stderr, stdout};

/// This machine's python3 with every shim and symlink resolved.
fn real_python3() -> PathBuf {
    let output = Command::new("python3")
        .args([
            "-I",
            "-c",
            "import os, sys; print(os.path.realpath(sys.executable))",
        ])
        .output()
        .expect("python3 on PATH (the tests drive a real one)");
    assert!(output.status.success(), "{}", stderr(&output));
    PathBuf::from(stdout(&output).trim())
}

/// A pyenv root in `dir` whose one version, `3.99.0`, is a symlink to the real python3.
fn fake_pyenv(dir: &Path) -> PathBuf {
    let root = dir.join("pyenv");
    let bin = root.join("versions/3.99.0/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(real_python3(), bin.join("python3")).unwrap();
    root
}

/// `versus ARGS…` that sees the fake pyenv and no Python on PATH (so PATH's python3, the same
/// interpreter, does not take its place), nor asdf's or uv's.
fn versus_with_fake_pyenv(sandbox: &Sandbox, args: &[&str]) -> Command {
    let mut command = sandbox.versus(args);
    command
        .env("PYENV_ROOT", fake_pyenv(sandbox.path()))
        .env("ASDF_DATA_DIR", sandbox.path().join("no-asdf"))
        .env("UV_PYTHON_INSTALL_DIR", sandbox.path().join("no-uv"))
        .env("PATH", sandbox.path().join("empty-bin"));
    command
}

#[test]
fn doctor_lists_a_fake_pyenv_s_interpreter_with_how_it_was_found() {
    let sandbox = Sandbox::empty();
    let output = versus_with_fake_pyenv(&sandbox, &["doctor"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let install = sandbox.path().join("pyenv/versions/3.99.0");
    // `found_by` writes $HOME as `~`: the temp dir may be under it.
    assert!(
        text.lines()
            .any(|line| line.starts_with("    found:      pyenv: ")
                && line.contains("/pyenv/versions/3.99.0 → ")),
        "{text}"
    );
    assert!(
        text.contains(&format!("runs:       {}/bin/python3", install.display())),
        "{text}"
    );
    // Found beyond PATH: offered, not used by a plain `versus run`.
    let heading = text
        .lines()
        .take_while(|line| !line.contains(&install.display().to_string()))
        .filter(|line| line.starts_with("  cpython "))
        .last()
        .unwrap_or_else(|| panic!("no heading before the fake pyenv's lines:\n{text}"));
    assert!(heading.contains("offered: `--python 3."), "{heading}");
}

#[test]
fn a_version_picks_the_fake_pyenv_s_interpreter() {
    let sandbox = Sandbox::empty();
    let version = {
        let output = Command::new(real_python3())
            .args([
                "-I",
                "-c",
                "import platform; print(platform.python_version())",
            ])
            .output()
            .unwrap();
        stdout(&output).trim().to_string()
    };
    let output = versus_with_fake_pyenv(&sandbox, &["doctor", "--python", &version])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains(&format!(
            "cpython {version} (python) — used by `versus run`"
        )),
        "{text}"
    );
}

#[test]
fn a_version_that_matches_nothing_exits_2_naming_what_was_found() {
    let sandbox = Sandbox::empty();
    let output = versus_with_fake_pyenv(&sandbox, &["doctor", "--python", "9.99"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("--python 9.99 matches no Python"), "{text}");
    assert!(text.contains("pyenv: "), "what was found is named: {text}");
    assert!(text.contains("hint: `versus doctor` lists"), "{text}");
}
