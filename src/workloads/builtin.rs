//! The suite built into the binary: `workloads/` as it was when versus was compiled, unpacked
//! into the cache on first use, in a folder named by a hash of its content. An installed versus
//! so runs without the tree it was built from, and two builds whose workloads differ never share
//! a folder (every development build is 0.1.0, so the version could not tell them apart).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use include_dir::{Dir, DirEntry, File, include_dir};

use crate::digest::{Digest, Hasher, SKIP_CACHES};
use crate::leftovers::{self, Staged};

static WORKLOADS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/workloads");

/// The built-in suite: its files and the hash that names its folder in the cache.
pub struct BuiltIn {
    files: Vec<&'static File<'static>>,
    digest: Digest,
}

impl BuiltIn {
    pub fn get() -> BuiltIn {
        BuiltIn::of(&WORKLOADS)
    }

    fn of(root: &'static Dir<'static>) -> BuiltIn {
        let mut files = Vec::new();
        collect(root, &mut files);
        files.sort_by(|a, b| a.path().cmp(b.path()));
        // Each file's path and length go in before its bytes, so moving bytes from one file
        // to the next changes the hash.
        let mut hasher = Hasher::new();
        for file in &files {
            let path = file.path().to_string_lossy();
            hasher.update(&(path.len() as u64).to_le_bytes());
            hasher.update(path.as_bytes());
            hasher.update(&(file.contents().len() as u64).to_le_bytes());
            hasher.update(file.contents());
        }
        BuiltIn {
            files,
            digest: hasher.finish(),
        }
    }

    pub fn files(&self) -> usize {
        self.files.len()
    }

    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.contents().len() as u64).sum()
    }

    /// Where it is (or will be) unpacked: `CACHE/workloads/HASH`.
    pub fn location(&self, cache_dir: &Path) -> PathBuf {
        cache_dir.join("workloads").join(self.digest.short())
    }

    /// The unpacked suite, written first if it is not there yet. It is written to a staging
    /// folder and renamed into place, so the folder exists only once it is whole; another
    /// versus that unpacked it first wins and its copy is used.
    pub fn unpack(&self, cache_dir: &Path) -> anyhow::Result<PathBuf> {
        let target = self.location(cache_dir);
        if target.is_dir() {
            return Ok(target);
        }
        let parent = target.parent().expect("a location has a parent");
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let staged = Staged::new(parent.join(leftovers::staging_name(&self.digest.short())));
        for file in &self.files {
            let path = staged.path().join(file.path());
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            fs::write(&path, file.contents())
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        if let Err(err) = fs::rename(staged.path(), &target) {
            if !target.is_dir() {
                return Err(err).with_context(|| {
                    format!(
                        "cannot move the built-in workloads into {}",
                        target.display()
                    )
                });
            }
        }
        Ok(target)
    }
}

fn collect(dir: &'static Dir<'static>, files: &mut Vec<&'static File<'static>>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(dir) => {
                let name = dir.path().file_name().unwrap_or_default();
                if !SKIP_CACHES.iter().any(|skip| name == *skip) {
                    collect(dir, files);
                }
            }
            DirEntry::File(file) => files.push(file),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_suite_unpacks_whole_once_and_loads() {
        let built_in = BuiltIn::get();
        assert!(built_in.files() > 50, "{} files", built_in.files());
        let cache = tempfile::tempdir().unwrap();
        let dir = built_in.unpack(cache.path()).unwrap();
        assert_eq!(dir, built_in.location(cache.path()));
        // Every file as it is in the source tree.
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads");
        for file in &built_in.files {
            assert_eq!(
                fs::read(dir.join(file.path())).unwrap(),
                fs::read(source.join(file.path())).unwrap(),
                "{}",
                file.path().display()
            );
        }
        let suite = crate::workloads::Suite::load(&dir).unwrap();
        assert!(!suite.workloads.is_empty());
        // A second unpack finds it and writes nothing; no staging folder is left.
        let marker = dir.join("marker");
        fs::write(&marker, "kept").unwrap();
        assert_eq!(built_in.unpack(cache.path()).unwrap(), dir);
        assert!(marker.is_file());
        let names: Vec<_> = fs::read_dir(dir.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![dir.file_name().unwrap().to_owned()]);
    }

    #[test]
    fn the_hash_changes_with_any_byte_and_with_a_file_boundary() {
        static A: Dir<'static> = Dir::new(
            "",
            &[
                DirEntry::File(File::new("a", b"xy")),
                DirEntry::File(File::new("b", b"z")),
            ],
        );
        static B: Dir<'static> = Dir::new(
            "",
            &[
                DirEntry::File(File::new("a", b"x")),
                DirEntry::File(File::new("b", b"yz")),
            ],
        );
        static C: Dir<'static> = Dir::new(
            "",
            &[
                DirEntry::File(File::new("b", b"z")),
                DirEntry::File(File::new("a", b"xy")),
            ],
        );
        let (a, b, c) = (BuiltIn::of(&A), BuiltIn::of(&B), BuiltIn::of(&C));
        assert_ne!(a.digest, b.digest);
        assert_eq!(
            a.digest, c.digest,
            "the order of the entries does not count"
        );
        assert_eq!(a.bytes(), 3);
    }
}
