//! The workloads folder: where it is (built into the binary, or `--workloads DIR`), how it is
//! laid out, and its manifests loaded into a [`Suite`] of workloads to select from. Above the
//! manifest parser and the workload types it fills (`crate::suite`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::UserError;
use crate::manifest;
use crate::suite::Workload;

mod builtin;
mod layout;

pub use builtin::BuiltIn;
pub use layout::{Layout, Skipped};

/// Every workload found in a workloads folder.
#[derive(Debug)]
pub struct Suite {
    pub root: PathBuf,
    pub workloads: Vec<Arc<Workload>>,
    pub layout: Layout,
    /// Each `workload.toml` found that is not a file (a dangling link, a folder).
    pub skipped: Vec<Skipped>,
}

impl Suite {
    /// Loads `root/<suite>/<name>/workload.toml` (also `root/<name>/workload.toml`, where the
    /// suite is the folder's own name, and `root/workload.toml`).
    pub fn load(root: &Path) -> anyhow::Result<Suite> {
        if !root.is_dir() {
            let what = if root.exists() {
                "is not a folder"
            } else {
                "does not exist"
            };
            return Err(UserError::usage(
                format!("workloads folder {} {what}", root.display()),
                "pass --workloads DIR with a folder holding <suite>/<name>/workload.toml",
            )
            .into());
        }
        let found = layout::find_manifests(root)?;
        let mut workloads = Vec::new();
        for (manifest_path, suite) in &found.manifests {
            workloads.push(Arc::new(manifest::load(manifest_path, suite)?));
        }
        workloads.sort_by_key(|w| (w.suite.clone(), w.name.clone()));
        Ok(Suite {
            root: root.to_path_buf(),
            workloads,
            layout: found.layout,
            skipped: found.skipped,
        })
    }

    /// What to say on stderr about the folder before using it: each `workload.toml` skipped,
    /// and how the folder was taken when it is not a folder of suites.
    pub fn notes(&self) -> Vec<String> {
        let mut notes: Vec<String> = self
            .skipped
            .iter()
            .map(|s| format!("warning: {s}"))
            .collect();
        let root = self.root.display();
        let name = layout::suite_name_of(&self.root);
        match self.layout {
            Layout::Suites => {}
            Layout::OneSuite => notes.push(format!(
                "note: took {root} as one suite, `{name}`: its folders hold {}",
                manifest::FILE_NAME
            )),
            Layout::OneWorkload => notes.push(format!(
                "note: took {root} as one workload of the suite `{name}`: it holds {}",
                manifest::FILE_NAME
            )),
            Layout::Mixed => notes.push(format!(
                "note: took {root} as a folder of suites; the workloads directly in it form the \
                 suite `{name}`"
            )),
        }
        notes
    }

    /// Resolves names given on the command line. No name: the tour (or everything, when the
    /// folder marks nothing as tour). `all`: everything.
    pub fn select(&self, names: &[String]) -> Result<Vec<Arc<Workload>>, UserError> {
        if names.is_empty() {
            let tour: Vec<_> = self.workloads.iter().filter(|w| w.tour).cloned().collect();
            return Ok(if tour.is_empty() {
                self.workloads.clone()
            } else {
                tour
            });
        }
        let mut chosen: Vec<Arc<Workload>> = Vec::new();
        for name in names {
            let matches: Vec<_> = self
                .workloads
                .iter()
                .filter(|w| name == "all" || w.suite == *name || w.name == *name || w.id() == *name)
                .cloned()
                .collect();
            if matches.is_empty() {
                return Err(UserError::UnknownWorkload {
                    name: name.clone(),
                    known: self.known_names(),
                });
            }
            for workload in matches {
                if !chosen.iter().any(|c| Arc::ptr_eq(c, &workload)) {
                    chosen.push(workload);
                }
            }
        }
        Ok(chosen)
    }

    fn known_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.workloads.iter().map(|w| w.suite.clone()).collect();
        names.dedup();
        names.extend(self.workloads.iter().map(|w| w.name.clone()));
        names
    }
}
