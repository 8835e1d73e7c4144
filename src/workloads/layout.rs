//! Where the manifests of a workloads folder are, how the folder is laid out, and what looked
//! like a manifest but could not be read as one: said, never skipped in silence.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::manifest::FILE_NAME;

/// How a workloads folder is laid out, as found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `root/<suite>/<name>/workload.toml`, as the built-in suite.
    Suites,
    /// `root/<name>/workload.toml`: the folder is one suite, named after it.
    OneSuite,
    /// `root/workload.toml`: the folder is one workload.
    OneWorkload,
    /// Both: workloads directly in the folder, and suites of workloads.
    Mixed,
}

/// A `workload.toml` that is not a file versus can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub why: &'static str,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "skipped {}: {}", self.path.display(), self.why)
    }
}

/// The manifests found, each with the suite it belongs to.
#[derive(Debug)]
pub struct Found {
    pub manifests: Vec<(PathBuf, String)>,
    pub layout: Layout,
    pub skipped: Vec<Skipped>,
}

pub fn find_manifests(root: &Path) -> anyhow::Result<Found> {
    let root_name = suite_name_of(root);
    let mut found = Found {
        manifests: Vec::new(),
        layout: Layout::OneWorkload,
        skipped: Vec::new(),
    };
    let own = root.join(FILE_NAME);
    if found.take(&own, &root_name) {
        return Ok(found);
    }
    let (mut direct, mut nested) = (false, false);
    for dir in sorted_subdirs(root)? {
        if found.take(&dir.join(FILE_NAME), &root_name) {
            direct = true;
            continue;
        }
        let suite = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for sub in sorted_subdirs(&dir)? {
            nested |= found.take(&sub.join(FILE_NAME), &suite);
        }
    }
    found.layout = match (direct, nested) {
        (true, true) => Layout::Mixed,
        (true, false) => Layout::OneSuite,
        _ => Layout::Suites,
    };
    Ok(found)
}

impl Found {
    /// Takes `path` when it is a manifest file; notes it when it is there but not a file.
    fn take(&mut self, path: &Path, suite: &str) -> bool {
        if path.is_file() {
            self.manifests.push((path.to_path_buf(), suite.to_string()));
            return true;
        }
        if let Some(why) = not_a_file(path) {
            self.skipped.push(Skipped {
                path: path.to_path_buf(),
                why,
            });
        }
        false
    }
}

/// Why a `workload.toml` that exists is not a file, or None when there is none.
fn not_a_file(path: &Path) -> Option<&'static str> {
    let link = std::fs::symlink_metadata(path).ok()?;
    Some(match std::fs::metadata(path) {
        Err(_) if link.file_type().is_symlink() => "a symlink to nothing (a dangling link)",
        Err(_) => "cannot be read",
        Ok(meta) if meta.is_dir() => "a folder, not a file",
        Ok(_) => "not a regular file",
    })
}

/// The name of the suite a folder is, when it is one (its own folder name).
pub fn suite_name_of(root: &Path) -> String {
    root.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "user".to_string())
}

fn sorted_subdirs(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("cannot read workloads folder {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        if entry.file_type()?.is_dir() && !name.to_string_lossy().starts_with('.') {
            dirs.push(entry.path());
        }
    }
    dirs.sort();
    Ok(dirs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }

    #[test]
    fn each_layout_is_recognised() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        assert_eq!(find_manifests(r).unwrap().layout, Layout::Suites);
        manifest(&r.join("cpu/nbody").join(FILE_NAME));
        assert_eq!(find_manifests(r).unwrap().layout, Layout::Suites);
        manifest(&r.join("echo").join(FILE_NAME));
        let found = find_manifests(r).unwrap();
        assert_eq!(found.layout, Layout::Mixed);
        assert_eq!(found.manifests.len(), 2);
        assert_eq!(
            find_manifests(&r.join("cpu")).unwrap().layout,
            Layout::OneSuite
        );
        let one = find_manifests(&r.join("echo")).unwrap();
        assert_eq!(one.layout, Layout::OneWorkload);
        assert_eq!(one.manifests[0].1, "echo");
    }

    #[test]
    fn a_manifest_that_is_a_folder_or_a_dangling_link_is_named_not_skipped_in_silence() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        std::fs::create_dir_all(r.join("s/folder").join(FILE_NAME)).unwrap();
        std::fs::create_dir_all(r.join("s/dangling")).unwrap();
        std::os::unix::fs::symlink(r.join("gone.toml"), r.join("s/dangling").join(FILE_NAME))
            .unwrap();
        manifest(&r.join("s/good").join(FILE_NAME));
        let found = find_manifests(r).unwrap();
        assert_eq!(found.manifests.len(), 1);
        let skipped: Vec<String> = found.skipped.iter().map(ToString::to_string).collect();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert!(skipped[0].contains("s/dangling/workload.toml: a symlink to nothing"));
        assert!(skipped[1].contains("s/folder/workload.toml: a folder, not a file"));
    }
}
