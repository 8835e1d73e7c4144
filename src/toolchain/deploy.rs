//! What deploying a Python program needs of its interpreter's installation, and what of the
//! installation it leaves out, with the size of each.
//!
//! Counted: the interpreter's executable, its shared libraries (libpython when it is linked
//! dynamically, libpypy), and the standard library without the parts a program does not run:
//!
//! - the standard library's own tests (`test/`, and every `test`, `tests` and `idle_test`
//!   folder: CPython's suite is ~120 MB of a ~250 MB standard library);
//! - byte-compiled caches (`__pycache__`): the interpreter writes them again on the first import
//!   when it may; where it may not (a read-only image), it compiles each module at every start
//!   instead, so a deployment that wants the start-up times measured here ships them, at about
//!   the size of the `.py` files for one optimisation level (an install compiles three);
//! - the files that build C extensions or embed the interpreter (`config-3.X-<platform>/`: the
//!   static libpython and its Makefile);
//! - IDLE, tkinter and turtledemo (the editor and the Tk toolkit, which needs Tk installed);
//! - ensurepip (the wheels that bootstrap pip into a new environment);
//! - the base interpreter's own site-packages: a program's packages come from its venv.
//!
//! This is what the official `python:*-slim` images leave out (docker-library/python's
//! Dockerfile deletes every `test`, `tests` and `idle_test` folder, every `.pyc` and the static
//! `libpython*.a`), plus the GUI and ensurepip, which a server or a command-line tool never
//! imports.
//!
//! A venv's packages are counted the same way (see [`venv_packages_bytes`]): without caches,
//! and without the installers that `python -m venv` puts in every venv (pip, setuptools and
//! what setuptools brings); none of the workloads' pinned packages requires them but as an
//! extra.

use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// A part of an interpreter's installation that a deployment leaves out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeftOut {
    /// The standard library's tests (with their byte-compiled caches).
    Tests,
    /// `__pycache__` folders outside the tests.
    BytecodeCaches,
    /// `config-3.X-<platform>/`: the static libpython, its Makefile and build scripts.
    BuildFiles,
    /// idlelib, tkinter, turtledemo.
    Gui,
    /// ensurepip's bundled wheels.
    Ensurepip,
    /// The base interpreter's site-packages or dist-packages.
    SitePackages,
}

impl LeftOut {
    /// As the report names it after a size: "113 MiB of the standard library's tests".
    pub fn describe(self) -> &'static str {
        match self {
            LeftOut::Tests => "the standard library's tests",
            LeftOut::BytecodeCaches => "byte-compiled caches",
            LeftOut::BuildFiles => "files for building C extensions",
            LeftOut::Gui => "IDLE and tkinter",
            LeftOut::Ensurepip => "ensurepip",
            LeftOut::SitePackages => "the interpreter's own site-packages",
        }
    }
}

/// One part left out, and its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excluded {
    pub what: LeftOut,
    pub bytes: u64,
}

/// What a deployment needs of an interpreter's installation, part by part, and what it left out.
/// Stored with the toolchain (runs written before it have none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeBreakdown {
    /// The interpreter's executable.
    pub interpreter_bytes: u64,
    /// Its shared libraries (libpython, libpypy); zero for a statically linked interpreter.
    pub libraries_bytes: u64,
    /// The standard library, without what is left out.
    pub stdlib_bytes: u64,
    /// What was left out, in [`LeftOut`] order, only parts that were found.
    pub left_out: Vec<Excluded>,
}

impl RuntimeBreakdown {
    /// What must be deployed: interpreter, libraries and the counted standard library.
    pub fn total_bytes(&self) -> u64 {
        self.interpreter_bytes + self.libraries_bytes + self.stdlib_bytes
    }

    /// What was left out, in words, sizes written by `bytes`: "113 MiB of the standard
    /// library's tests, …, and 370 MiB of the interpreter's own site-packages"; None when
    /// nothing was.
    pub fn describe_left_out(&self, bytes: impl Fn(u64) -> String) -> Option<String> {
        let parts: Vec<String> = self
            .left_out
            .iter()
            .map(|e| format!("{} of {}", bytes(e.bytes), e.what.describe()))
            .collect();
        match parts.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
        }
    }

    /// Measures the installation of `executable`, whose shared `libraries` and standard library
    /// folder `stdlib` the interpreter reported.
    pub fn measure(
        executable: &Path,
        libraries: &[impl AsRef<Path>],
        stdlib: &Path,
    ) -> io::Result<RuntimeBreakdown> {
        let interpreter_bytes = fs::metadata(executable)?.len();
        let libraries_bytes = libraries
            .iter()
            .filter_map(|lib| fs::metadata(lib).ok())
            .map(|m| m.len())
            .sum();
        let mut sizes = Sizes::default();
        walk(stdlib, &mut Vec::new(), &mut sizes)?;
        Ok(RuntimeBreakdown {
            interpreter_bytes,
            libraries_bytes,
            stdlib_bytes: sizes.counted,
            left_out: sizes.left_out(),
        })
    }
}

/// Bytes counted, and bytes left out by part (indexed by `LeftOut as usize`).
#[derive(Default)]
struct Sizes {
    counted: u64,
    left_out: [u64; 6],
}

impl Sizes {
    fn left_out(&self) -> Vec<Excluded> {
        const ALL: [LeftOut; 6] = [
            LeftOut::Tests,
            LeftOut::BytecodeCaches,
            LeftOut::BuildFiles,
            LeftOut::Gui,
            LeftOut::Ensurepip,
            LeftOut::SitePackages,
        ];
        ALL.into_iter()
            .map(|what| Excluded {
                what,
                bytes: self.left_out[what as usize],
            })
            .filter(|e| e.bytes > 0)
            .collect()
    }
}

/// What a folder of the standard library is, from its path below the standard library (`top`
/// first). A top-level part decides first (site-packages, with its packages' own tests and
/// caches; IDLE with its tests), then a test folder at any depth (so the tests' caches count as
/// tests), then a byte-compiled cache.
fn classify(folders: &[String]) -> Option<LeftOut> {
    let top = folders.first()?.as_str();
    let part = match top {
        "site-packages" | "dist-packages" => Some(LeftOut::SitePackages),
        "idlelib" | "tkinter" | "turtledemo" => Some(LeftOut::Gui),
        "ensurepip" => Some(LeftOut::Ensurepip),
        _ if top.starts_with("config-") => Some(LeftOut::BuildFiles),
        _ => None,
    };
    let any = |names: &[&str]| folders.iter().any(|f| names.contains(&f.as_str()));
    part.or_else(|| any(&["test", "tests", "idle_test"]).then_some(LeftOut::Tests))
        .or_else(|| any(&["__pycache__"]).then_some(LeftOut::BytecodeCaches))
}

/// Adds every regular file below `dir` (symbolic links are not followed, so nothing counts
/// twice) to the part its folders say.
fn walk(dir: &Path, folders: &mut Vec<String>, sizes: &mut Sizes) -> io::Result<()> {
    let part = classify(folders);
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            folders.push(entry.file_name().to_string_lossy().into_owned());
            walk(&entry.path(), folders, sizes)?;
            folders.pop();
        } else if file_type.is_file() {
            let bytes = entry.metadata()?.len();
            match part {
                Some(what) => sizes.left_out[what as usize] += bytes,
                None => sizes.counted += bytes,
            }
        }
    }
    Ok(())
}

/// The installers `python -m venv` puts into every venv (pip; setuptools with pkg_resources
/// and its distutils shim), by top-level name in site-packages.
fn is_installer(name: &str) -> bool {
    const INSTALLERS: [&str; 3] = ["pip", "setuptools", "wheel"];
    let distribution = name
        .strip_suffix(".dist-info")
        .and_then(|n| n.split_once('-'))
        .map(|(n, _)| n);
    INSTALLERS.contains(&name)
        || distribution.is_some_and(|n| INSTALLERS.contains(&n))
        || matches!(
            name,
            "pkg_resources" | "_distutils_hack" | "distutils-precedence.pth"
        )
}

/// The packages of a venv that a deployment needs: its files without byte-compiled caches and
/// without the installers of every venv (pip, setuptools), which the program does not import.
pub fn venv_packages_bytes(venv: &Path) -> io::Result<u64> {
    let mut total = 0;
    venv_walk(venv, false, &mut total)?;
    Ok(total)
}

fn venv_walk(dir: &Path, in_site_packages: bool, total: &mut u64) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if in_site_packages && is_installer(&name) {
            continue;
        }
        let file_type = entry.file_type()?;
        if file_type.is_dir() && name != "__pycache__" {
            venv_walk(&entry.path(), name == "site-packages", total)?;
        } else if file_type.is_file() {
            *total += entry.metadata()?.len();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(root: &Path, relative: &str, bytes: usize) {
        let path = root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, vec![b'x'; bytes]).unwrap();
    }

    /// A fake CPython prefix: bin/python3.11, lib/libpython3.11.so.1.0 and lib/python3.11 with
    /// one file of a distinct size in each part.
    fn prefix() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        file(root, "bin/python3.11", 1_000);
        file(root, "lib/libpython3.11.so.1.0", 20_000);
        let stdlib = root.join("lib/python3.11");
        for (path, bytes) in [
            // Counted: 300 + 400 + 50 + 7 = 757.
            ("os.py", 300),
            ("json/decoder.py", 400),
            ("lib-dynload/_json.cpython-311-x86_64-linux-gnu.so", 50),
            ("lib2to3/pytree.py", 7),
            // Tests: 100,000 + 30,000 + 2,000 + 500 + 9 = 132,509.
            ("test/test_os.py", 100_000),
            ("test/__pycache__/test_os.cpython-311.pyc", 30_000),
            ("unittest/test/test_case.py", 2_000),
            ("lib2to3/tests/data/README", 500),
            ("distutils/tests/test_y.py", 9),
            // Byte-compiled caches: 8,000 + 900.
            ("__pycache__/os.cpython-311.pyc", 8_000),
            ("json/__pycache__/decoder.cpython-311.opt-1.pyc", 900),
            // Build files.
            ("config-3.11-x86_64-linux-gnu/libpython3.11.a", 40_000),
            ("config-3.11-x86_64-linux-gnu/Makefile", 1_100),
            // GUI, IDLE's tests with it: 3,000 + 60 + 700 + 40.
            ("idlelib/editor.py", 3_000),
            ("idlelib/idle_test/test_x.py", 60),
            ("tkinter/__init__.py", 700),
            ("turtledemo/clock.py", 40),
            ("ensurepip/_bundled/pip-23.2.1-py3-none-any.whl", 2_500),
            ("site-packages/numpy/core.py", 50_000),
            ("site-packages/numpy/__pycache__/core.pyc", 6_000),
            ("site-packages/numpy/tests/test_core.py", 700),
        ] {
            file(&stdlib, path, bytes);
        }
        let executable = root.join("bin/python3.11");
        let library = root.join("lib/libpython3.11.so.1.0");
        (dir, executable, library, stdlib)
    }

    #[test]
    fn a_deployment_counts_interpreter_library_and_stdlib_and_says_what_it_left_out() {
        let (_dir, executable, library, stdlib) = prefix();
        // A link to a counted file is not counted twice.
        std::os::unix::fs::symlink(stdlib.join("os.py"), stdlib.join("os-link.py")).unwrap();
        let runtime = RuntimeBreakdown::measure(&executable, &[library], &stdlib).unwrap();
        assert_eq!(runtime.interpreter_bytes, 1_000);
        assert_eq!(runtime.libraries_bytes, 20_000);
        assert_eq!(runtime.stdlib_bytes, 757);
        assert_eq!(runtime.total_bytes(), 21_757);
        let left_out: Vec<(LeftOut, u64)> =
            runtime.left_out.iter().map(|e| (e.what, e.bytes)).collect();
        assert_eq!(
            left_out,
            [
                (LeftOut::Tests, 132_509),
                (LeftOut::BytecodeCaches, 8_900),
                (LeftOut::BuildFiles, 41_100),
                (LeftOut::Gui, 3_800),
                (LeftOut::Ensurepip, 2_500),
                (LeftOut::SitePackages, 56_700),
            ]
        );
    }

    #[test]
    fn parts_not_found_are_not_listed_and_a_missing_library_counts_nothing() {
        let dir = tempfile::tempdir().unwrap();
        file(dir.path(), "bin/pypy3.9", 10);
        file(dir.path(), "lib/pypy3.9/os.py", 5);
        file(dir.path(), "lib/pypy3.9/__pycache__/os.pyc", 3);
        let runtime = RuntimeBreakdown::measure(
            &dir.path().join("bin/pypy3.9"),
            &[dir.path().join("lib/libpypy3.9-c.so")],
            &dir.path().join("lib/pypy3.9"),
        )
        .unwrap();
        assert_eq!(runtime.total_bytes(), 15);
        assert_eq!(
            runtime.left_out,
            [Excluded {
                what: LeftOut::BytecodeCaches,
                bytes: 3
            }]
        );
        // Names are matched as whole folders, and GUI and site-packages only at the top.
        assert_eq!(classify(&[]), None);
        assert_eq!(classify(&["testing".into()]), None);
        assert_eq!(classify(&["email".into(), "tkinter".into()]), None);
        assert_eq!(
            classify(&["email".into(), "tests".into()]),
            Some(LeftOut::Tests)
        );
    }

    #[test]
    fn a_venv_counts_its_packages_without_caches_and_installers() {
        let dir = tempfile::tempdir().unwrap();
        let site = "lib/python3.11/site-packages";
        for (path, bytes) in [
            ("pyvenv.cfg", 70),
            ("bin/uvicorn", 200),
            ("lib/python3.11/site-packages/fastapi/routing.py", 5_000),
            (
                "lib/python3.11/site-packages/fastapi-0.116.1.dist-info/METADATA",
                300,
            ),
            (
                "lib/python3.11/site-packages/fastapi/__pycache__/routing.pyc",
                4_000,
            ),
            ("lib/python3.11/site-packages/pip/__init__.py", 9_000),
            (
                "lib/python3.11/site-packages/pip-23.2.1.dist-info/RECORD",
                800,
            ),
            ("lib/python3.11/site-packages/setuptools/dist.py", 7_000),
            (
                "lib/python3.11/site-packages/pkg_resources/__init__.py",
                3_000,
            ),
            (
                "lib/python3.11/site-packages/_distutils_hack/__init__.py",
                100,
            ),
            ("lib/python3.11/site-packages/distutils-precedence.pth", 150),
            ("lib/python3.11/site-packages/pipdeptree/x.py", 11),
        ] {
            file(dir.path(), path, bytes);
        }
        assert!(dir.path().join(site).is_dir());
        assert_eq!(
            venv_packages_bytes(dir.path()).unwrap(),
            70 + 200 + 5_000 + 300 + 11
        );
    }

    #[test]
    fn what_was_left_out_reads_as_a_list() {
        let (_dir, executable, library, stdlib) = prefix();
        let runtime = RuntimeBreakdown::measure(&executable, &[library], &stdlib).unwrap();
        let text = runtime.describe_left_out(|b| format!("{b} B")).unwrap();
        assert_eq!(
            text,
            "132509 B of the standard library's tests, 8900 B of byte-compiled caches, \
             41100 B of files for building C extensions, 3800 B of IDLE and tkinter, \
             2500 B of ensurepip and 56700 B of the interpreter's own site-packages"
        );
        assert_eq!(
            RuntimeBreakdown::default().describe_left_out(|b| b.to_string()),
            None
        );
    }

    #[test]
    fn stored_breakdowns_read_back() {
        let runtime = RuntimeBreakdown {
            interpreter_bytes: 1,
            libraries_bytes: 2,
            stdlib_bytes: 3,
            left_out: vec![Excluded {
                what: LeftOut::Tests,
                bytes: 4,
            }],
        };
        let json = serde_json::to_string(&runtime).unwrap();
        assert!(json.contains(r#""what":"tests""#), "{json}");
        assert_eq!(
            serde_json::from_str::<RuntimeBreakdown>(&json).unwrap(),
            runtime
        );
    }
}
