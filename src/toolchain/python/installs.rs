//! Where Pythons live beside PATH: the folders pyenv, asdf and uv install interpreters into,
//! and the system's `python3.X` (a pyenv shim on PATH only reaches pyenv's global version).
//! The roots are data, so a test can point them at a fake tree.

use std::env;
use std::path::{Path, PathBuf};

use super::Candidate;
use crate::toolchain::is_executable;

/// The folders searched, each as the environment names it.
#[derive(Clone, Debug, Default)]
pub struct Roots {
    /// `$PATH`'s folders, in order.
    pub path: Vec<PathBuf>,
    /// `$PYENV_ROOT`, else `~/.pyenv`: `versions/*/bin/python3`.
    pub pyenv: Option<PathBuf>,
    /// `$ASDF_DATA_DIR`, else `~/.asdf`: `installs/python/*/bin/python3`.
    pub asdf: Option<PathBuf>,
    /// `$UV_PYTHON_INSTALL_DIR`, else `$XDG_DATA_HOME/uv/python`, else
    /// `~/.local/share/uv/python`: `*/bin/python3`.
    pub uv: Option<PathBuf>,
    /// Folders whose `python3.X` are the system's: `/usr/bin`, `/usr/local/bin`.
    pub system: Vec<PathBuf>,
    /// `$HOME`, to write `~` in `found_by`.
    pub home: Option<PathBuf>,
}

impl Roots {
    pub fn from_env() -> Roots {
        let var = |name: &str| {
            env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let home = var("HOME");
        let under_home = |rest: &str| home.as_ref().map(|h| h.join(rest));
        Roots {
            path: env::var_os("PATH")
                .map(|p| env::split_paths(&p).collect())
                .unwrap_or_default(),
            pyenv: var("PYENV_ROOT").or_else(|| under_home(".pyenv")),
            asdf: var("ASDF_DATA_DIR").or_else(|| under_home(".asdf")),
            uv: var("UV_PYTHON_INSTALL_DIR")
                .or_else(|| var("XDG_DATA_HOME").map(|d| d.join("uv/python")))
                .or_else(|| under_home(".local/share/uv/python")),
            system: vec![PathBuf::from("/usr/bin"), PathBuf::from("/usr/local/bin")],
            home,
        }
    }

    /// The first executable `name` in the PATH folders.
    pub fn on_path(&self, name: &str) -> Option<PathBuf> {
        self.path
            .iter()
            .map(|dir| dir.join(name))
            .find(|candidate| is_executable(candidate))
    }

    /// `path` with `$HOME` written `~`, as people read it.
    fn tilde(&self, path: &Path) -> String {
        match self.home.as_ref().and_then(|h| path.strip_prefix(h).ok()) {
            Some(rest) => format!("~/{}", rest.display()),
            None => path.display().to_string(),
        }
    }
}

/// Every interpreter the version managers and the system hold, none selected by default: a
/// plain `versus run` measures what is on PATH.
pub fn candidates(roots: &Roots) -> Vec<Candidate> {
    let managed = [
        ("pyenv", roots.pyenv.as_ref().map(|r| r.join("versions"))),
        (
            "asdf",
            roots.asdf.as_ref().map(|r| r.join("installs/python")),
        ),
        ("uv", roots.uv.clone()),
    ];
    let mut found = Vec::new();
    for (manager, folder) in managed {
        let Some(folder) = folder else { continue };
        for install in subfolders(&folder) {
            let path = install.join("bin/python3");
            if is_executable(&path) {
                found.push(beyond_path(
                    path,
                    format!("{manager}: {}", roots.tilde(&install)),
                ));
            }
        }
    }
    for dir in &roots.system {
        for name in versioned_names(dir) {
            let path = dir.join(&name);
            found.push(beyond_path(
                path.clone(),
                format!("system: {}", path.display()),
            ));
        }
    }
    found
}

fn beyond_path(path: PathBuf, found_by: String) -> Candidate {
    Candidate {
        path,
        found_by,
        selected: false,
        required: false,
    }
}

/// The folders in `folder`, in version order of their names (`3.9.18` before `3.10.13`).
fn subfolders(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort_by_cached_key(|p| {
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        (numbers_in(&name), name)
    });
    dirs
}

/// The runs of digits in `name`, as numbers: `cpython-3.10.13-linux` → `[3, 10, 13]`.
fn numbers_in(name: &str) -> Vec<u64> {
    name.split(|c: char| !c.is_ascii_digit())
        .filter_map(|run| run.parse().ok())
        .collect()
}

/// Names such as `python3.12` and `python3.13t` in `dir` that are executable, in name order.
pub fn versioned_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|entry| is_executable(&entry.path()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| is_versioned_name(name))
        .collect();
    names.sort();
    names
}

/// `python3.12`, `python3.13t`; not `python3.12-config`.
fn is_versioned_name(name: &str) -> bool {
    let Some(minor) = name.strip_prefix("python3.") else {
        return false;
    };
    let digits = minor.strip_suffix('t').unwrap_or(minor);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn executable(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn fake_roots(dir: &Path) -> Roots {
        Roots {
            path: vec![dir.join("path")],
            pyenv: Some(dir.join("pyenv")),
            asdf: Some(dir.join("asdf")),
            uv: Some(dir.join("uv")),
            system: vec![dir.join("usr/bin")],
            home: Some(dir.to_path_buf()),
        }
    }

    #[test]
    fn each_manager_s_interpreters_are_found_with_how() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        executable(&root.join("pyenv/versions/3.13.0/bin/python3"));
        executable(&root.join("pyenv/versions/3.10.13/bin/python3"));
        executable(&root.join("pyenv/versions/3.9.18/bin/python3"));
        // Python 2 has no python3: not a candidate.
        std::fs::create_dir_all(root.join("pyenv/versions/2.7.18/bin")).unwrap();
        executable(&root.join("asdf/installs/python/3.12.7/bin/python3"));
        executable(&root.join("uv/cpython-3.14.0-linux-x86_64-gnu/bin/python3"));
        executable(&root.join("usr/bin/python3.11"));
        executable(&root.join("usr/bin/python3.13t"));
        executable(&root.join("usr/bin/python3.11-config"));
        // Not executable: not an interpreter.
        std::fs::write(root.join("usr/bin/python3.9"), "").unwrap();
        let found: Vec<(String, PathBuf)> = candidates(&fake_roots(root))
            .into_iter()
            .map(|c| {
                assert!(!c.selected && !c.required, "{}", c.found_by);
                (c.found_by, c.path)
            })
            .collect();
        let expected = [
            (
                "pyenv: ~/pyenv/versions/3.9.18",
                "pyenv/versions/3.9.18/bin/python3",
            ),
            (
                "pyenv: ~/pyenv/versions/3.10.13",
                "pyenv/versions/3.10.13/bin/python3",
            ),
            (
                "pyenv: ~/pyenv/versions/3.13.0",
                "pyenv/versions/3.13.0/bin/python3",
            ),
            (
                "asdf: ~/asdf/installs/python/3.12.7",
                "asdf/installs/python/3.12.7/bin/python3",
            ),
            (
                "uv: ~/uv/cpython-3.14.0-linux-x86_64-gnu",
                "uv/cpython-3.14.0-linux-x86_64-gnu/bin/python3",
            ),
        ];
        let mut expected: Vec<(String, PathBuf)> = expected
            .iter()
            .map(|(by, path)| (by.to_string(), root.join(path)))
            .collect();
        for name in ["python3.11", "python3.13t"] {
            let path = root.join("usr/bin").join(name);
            expected.push((format!("system: {}", path.display()), path));
        }
        assert_eq!(found, expected);
    }

    #[test]
    fn missing_roots_find_nothing() {
        let dir = tempfile::tempdir().unwrap();
        assert!(candidates(&fake_roots(dir.path())).is_empty());
        assert!(candidates(&Roots::default()).is_empty());
    }

    #[test]
    fn on_path_takes_the_first_executable() {
        let dir = tempfile::tempdir().unwrap();
        let mut roots = fake_roots(dir.path());
        roots.path = vec![dir.path().join("a"), dir.path().join("b")];
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/python3"), "").unwrap();
        executable(&dir.path().join("b/python3"));
        assert_eq!(roots.on_path("python3"), Some(dir.path().join("b/python3")));
        assert_eq!(roots.on_path("pypy3"), None);
    }
}
