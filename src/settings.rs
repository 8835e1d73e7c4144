//! Resolves the command line into what the commands need: where the database, the cache and the
//! workloads are, which languages and toolchains to use.

use std::env;
use std::path::{Path, PathBuf};

use crate::cli::{GlobalArgs, MemoryLimitArg};
use crate::error::UserError;
use crate::language::Language;
use crate::toolchain;
use crate::workloads::BuiltIn;

pub struct Settings {
    pub db: PathBuf,
    pub db_is_default: bool,
    pub cache_dir: PathBuf,
    pub workloads: WorkloadsSource,
    pub toolchains: toolchain::Request,
    /// `--env`: what every measured program is given on top of [`crate::childenv`]'s
    /// environment, in name order (the last value given for a name wins).
    pub env: Vec<(String, String)>,
    /// `--memory-limit` in bytes for each measured program's whole process tree; `None`: no
    /// limit (asked for, or a share of a memory this machine does not report).
    pub memory_limit_bytes: Option<u64>,
    /// `--width`: the columns text output may take (0: no limit); `None`: the terminal's.
    pub width: Option<usize>,
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
            workloads: WorkloadsSource::resolve(global.workloads.as_deref()),
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
            width: global.width,
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

/// Where the workloads come from: `--workloads`, else `$VERSUS_WORKLOADS`, else `./workloads`
/// (a clone's own, edited or not), else the suite built into this binary.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkloadsSource {
    Flag(PathBuf),
    Env(PathBuf),
    Local(PathBuf),
    BuiltIn,
}

impl WorkloadsSource {
    fn resolve(given: Option<&Path>) -> WorkloadsSource {
        if let Some(dir) = given {
            return WorkloadsSource::Flag(dir.to_path_buf());
        }
        if let Some(dir) = env::var_os("VERSUS_WORKLOADS").filter(|d| !d.is_empty()) {
            return WorkloadsSource::Env(PathBuf::from(dir));
        }
        let local = PathBuf::from("workloads");
        if local.join("startup").is_dir() || local.join("cpu").is_dir() {
            return WorkloadsSource::Local(local);
        }
        WorkloadsSource::BuiltIn
    }
}

impl Settings {
    /// The workloads folder; the built-in suite is unpacked into the cache the first time.
    pub fn workloads_dir(&self) -> anyhow::Result<PathBuf> {
        match &self.workloads {
            WorkloadsSource::Flag(dir)
            | WorkloadsSource::Env(dir)
            | WorkloadsSource::Local(dir) => Ok(dir.clone()),
            WorkloadsSource::BuiltIn => BuiltIn::get().unpack(&self.cache_dir),
        }
    }

    /// Where the workloads come from, for `versus doctor`.
    pub fn describe_workloads(&self) -> String {
        match &self.workloads {
            WorkloadsSource::Flag(dir) => format!("{} (--workloads)", dir.display()),
            WorkloadsSource::Env(dir) => format!("{} ($VERSUS_WORKLOADS)", dir.display()),
            WorkloadsSource::Local(dir) => {
                format!("{} (./workloads of the current folder)", dir.display())
            }
            WorkloadsSource::BuiltIn => {
                let built_in = BuiltIn::get();
                let at = built_in.location(&self.cache_dir);
                format!(
                    "built in ({} files, {} bytes), {} {}",
                    built_in.files(),
                    built_in.bytes(),
                    if at.is_dir() {
                        "unpacked in"
                    } else {
                        "to be unpacked into"
                    },
                    at.display()
                )
            }
        }
    }
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
