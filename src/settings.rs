//! Resolves the command line into what the commands need: where the database, the cache and the
//! workloads are, which languages and toolchains to use.

use std::env;
use std::path::{Path, PathBuf};

use crate::cli::{GlobalArgs, MemoryLimitArg};
use crate::error::UserError;
use crate::language::Language;
use crate::toolchain;

pub struct Settings {
    pub db: PathBuf,
    pub db_is_default: bool,
    pub cache_dir: PathBuf,
    pub workloads: PathBuf,
    pub toolchains: toolchain::Request,
    /// `--env`: what every measured program is given on top of [`crate::childenv`]'s
    /// environment, in name order (the last value given for a name wins).
    pub env: Vec<(String, String)>,
    /// `--memory-limit` in bytes for each measured program's whole process tree; `None`: no
    /// limit (asked for, or a share of a memory this machine does not report).
    pub memory_limit_bytes: Option<u64>,
}

impl Settings {
    pub fn resolve(global: &GlobalArgs) -> Settings {
        let (db, db_is_default) = match &global.db {
            Some(path) => (path.clone(), false),
            None => (
                xdg_dir("XDG_DATA_HOME", ".local/share").join("versus.db"),
                true,
            ),
        };
        Settings {
            db,
            db_is_default,
            cache_dir: xdg_dir("XDG_CACHE_HOME", ".cache"),
            workloads: workloads_dir(global.workloads.as_deref()),
            toolchains: toolchain::Request {
                pythons: global
                    .pythons
                    .iter()
                    .map(|value| toolchain::PythonRequest::parse(value))
                    .collect(),
                go: global.go.clone(),
            },
            env: global
                .env
                .iter()
                .cloned()
                .collect::<std::collections::BTreeMap<_, _>>()
                .into_iter()
                .collect(),
            memory_limit_bytes: memory_limit_bytes(global.memory_limit),
        }
    }

    /// Opens the store; the default location's folder is created, a given `--db`'s is not.
    pub fn open_store(&self) -> Result<crate::store::Store, UserError> {
        if self.db_is_default {
            if let Some(parent) = self.db.parent() {
                std::fs::create_dir_all(parent).map_err(|e| UserError::Database {
                    path: self.db.clone(),
                    message: format!("cannot create {}: {e}", parent.display()),
                })?;
            }
        }
        crate::store::Store::open(&self.db)
    }

    /// Opens the store for a command that only reads it: nothing is created or written, and
    /// the default location holds no runs until a run has made it.
    pub fn read_store(&self) -> Result<crate::store::Store, UserError> {
        if self.db_is_default && !self.db.exists() {
            return crate::store::Store::empty_at(&self.db);
        }
        crate::store::Store::open_read_only(&self.db)
    }
}

fn memory_limit_bytes(limit: MemoryLimitArg) -> Option<u64> {
    match limit {
        MemoryLimitArg::Bytes(bytes) => Some(bytes),
        MemoryLimitArg::Share(percent) => crate::machine::meminfo_total_bytes()
            .map(|total| (total as f64 * percent / 100.0) as u64),
        MemoryLimitArg::None => None,
    }
}

/// `$VAR/versus`, else `$HOME/<fallback>/versus`.
fn xdg_dir(var: &str, fallback: &str) -> PathBuf {
    let base = env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(fallback)))
        .unwrap_or_else(|| env::temp_dir().join(fallback));
    base.join("versus")
}

/// `--workloads`, else `$VERSUS_WORKLOADS`, else `./workloads`, else the suite beside the
/// source this binary was built from (so `cargo run` works from any folder).
fn workloads_dir(given: Option<&Path>) -> PathBuf {
    if let Some(dir) = given {
        return dir.to_path_buf();
    }
    if let Some(dir) = env::var_os("VERSUS_WORKLOADS") {
        return PathBuf::from(dir);
    }
    let local = PathBuf::from("workloads");
    if local.join("startup").is_dir() || local.join("cpu").is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads")
}

/// `--lang python,go`; empty means every language.
pub fn languages(names: &[String]) -> Result<Vec<Language>, UserError> {
    if names.is_empty() {
        return Ok(Language::ALL.to_vec());
    }
    let mut languages = Vec::new();
    for name in names.iter().filter(|n| !n.trim().is_empty()) {
        let language = Language::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Language::ALL.iter().map(|l| l.name()).collect();
            UserError::usage(
                format!("unknown language `{name}` in --lang"),
                format!("use one or more of: {}", known.join(", ")),
            )
        })?;
        if !languages.contains(&language) {
            languages.push(language);
        }
    }
    Ok(languages)
}
