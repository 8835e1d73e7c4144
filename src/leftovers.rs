//! What a versus that was killed leaves behind, and how the next one clears it.
//!
//! The signal handler and the spawner's keepers clean up after versus in every case but one:
//! when versus, its spawner and its keepers die together (SIGKILL to versus's whole process
//! group, the OOM killer), nothing of versus is left to do it. So while a program runs, its
//! process group is recorded in the cache under the versus that started it, and a half-written
//! cache entry carries its owner in its name; the next versus kills the recorded groups and
//! removes the entries of owners that are gone. An owner is a pid with its start time, and
//! group records are kept per boot, so a pid that another process got since is never taken for
//! the dead one. (A program's child in a session of its own is not in its group: the run's
//! cgroup, where there is one, is reaped the same way, see `measure::cgroup`.)

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::measure::proctable;

/// A process, named so that a later process with the same pid is another: `PID.START_TICKS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Owner {
    pid: i32,
    start_ticks: u64,
}

impl Owner {
    fn me() -> Owner {
        static ME: OnceLock<Owner> = OnceLock::new();
        *ME.get_or_init(|| {
            let pid = std::process::id() as i32;
            Owner {
                pid,
                start_ticks: proctable::process(pid).map_or(0, |p| p.start_ticks),
            }
        })
    }

    fn tag(self) -> String {
        format!("{}.{}", self.pid, self.start_ticks)
    }

    fn parse(tag: &str) -> Option<Owner> {
        let (pid, start) = tag.split_once('.')?;
        Some(Owner {
            pid: pid.parse().ok()?,
            start_ticks: start.parse().ok()?,
        })
    }

    fn is_alive(self) -> bool {
        proctable::process(self.pid).is_some_and(|p| p.start_ticks == self.start_ticks && !p.zombie)
    }
}

/// What the name of a half-written cache entry starts with.
const STAGING: &str = ".staging-";

/// The name of a half-written cache entry of this versus: `.staging-{owner}-{key}`.
pub fn staging_name(key: &str) -> String {
    format!("{STAGING}{}-{key}", Owner::me().tag())
}

/// Removes, in every folder of the cache, the entries named by [`staging_name`] whose owner is
/// gone (interrupted builds and input generators: 11 MB for one input of the suite).
pub fn sweep_cache(cache_dir: &Path) {
    let Ok(folders) = fs::read_dir(cache_dir) else {
        return;
    };
    for folder in folders.flatten() {
        if folder.file_type().is_ok_and(|t| t.is_dir()) {
            sweep_staging(&folder.path());
        }
    }
}

fn sweep_staging(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if name
            .strip_prefix(STAGING)
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(owner, _)| Owner::parse(owner))
            .is_some_and(|owner| !owner.is_alive())
            || is_legacy_leftover(name)
        {
            remove(&entry.path());
        }
    }
}

/// An entry staged by a versus from before owners had start times (`.PID-HASH` inputs,
/// `.staging-PID-HASH` builds), whose pid runs nothing now.
fn is_legacy_leftover(name: &str) -> bool {
    let rest = name
        .strip_prefix(STAGING)
        .or_else(|| name.strip_prefix('.'));
    rest.and_then(|rest| rest.split_once('-'))
        .and_then(|(pid, _)| pid.parse::<u32>().ok())
        .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists())
}

static STAGED: Mutex<Vec<(u64, PathBuf)>> = Mutex::new(Vec::new());
static NEXT: AtomicU64 = AtomicU64::new(0);

/// A cache entry being written: removed when dropped (a no-op once it was moved into place),
/// and by [`remove_staged`] when a signal ends versus before that.
#[derive(Debug)]
pub struct Staged {
    token: u64,
    path: PathBuf,
}

impl Staged {
    pub fn new(path: PathBuf) -> Staged {
        let token = NEXT.fetch_add(1, Ordering::Relaxed);
        lock(&STAGED).push((token, path.clone()));
        Staged { token, path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        lock(&STAGED).retain(|(token, _)| *token != self.token);
        remove(&self.path);
    }
}

/// Removes every entry being written now: for the signal handler, just before versus exits.
pub fn remove_staged() {
    for (_, path) in lock(&STAGED).iter() {
        remove(path);
    }
}

fn remove(path: &Path) {
    if fs::remove_dir_all(path).is_err() {
        let _ = fs::remove_file(path);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Where this versus records its running groups: `running/{boot id}/{owner}/`.
static RECORDS: OnceLock<PathBuf> = OnceLock::new();

/// Removes what versus processes that are gone left half written in the cache, kills what they
/// left running (as recorded under `cache_dir`), then records this versus's own runs there from now on. Best effort: a cache that cannot be
/// written only loses this second line of defence.
pub fn clear_and_record(cache_dir: &Path) {
    sweep_cache(cache_dir);
    let running = cache_dir.join("running");
    let boot = boot_id();
    reap(&running, &boot);
    let mine = running.join(&boot).join(Owner::me().tag());
    if fs::create_dir_all(&mine).is_ok() {
        let _ = RECORDS.set(mine);
    }
}

/// Removes this versus's records (the records of a versus that exits normally are empty).
pub fn forget_records() {
    if let Some(dir) = RECORDS.get() {
        let _ = fs::remove_dir(dir);
    }
}

fn reap(running: &Path, boot: &str) {
    let Ok(boots) = fs::read_dir(running) else {
        return;
    };
    for entry in boots.flatten() {
        // Every process of another boot is gone.
        if entry.file_name().to_str() != Some(boot) {
            remove(&entry.path());
            continue;
        }
        let Ok(owners) = fs::read_dir(entry.path()) else {
            continue;
        };
        for owner_dir in owners.flatten() {
            let owner = owner_dir.file_name().to_str().and_then(Owner::parse);
            if owner.is_some_and(|o| o.is_alive()) {
                continue;
            }
            for record in fs::read_dir(owner_dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if let Some(group) = record.file_name().to_str().and_then(Owner::parse) {
                    kill_group_of(group);
                }
            }
            remove(&owner_dir.path());
        }
    }
}

/// SIGKILL to the recorded group: every process in it, its leader if it is still the recorded
/// process. A group outlives its leader, and its id is not given to a new process while it
/// exists; so if the leader's pid now names a later process, the group is gone and that pid's
/// group, if any, is another.
fn kill_group_of(leader: Owner) {
    let table = proctable::snapshot();
    if table
        .iter()
        .any(|p| p.pid == leader.pid && p.start_ticks != leader.start_ticks)
    {
        return;
    }
    for process in table.iter().filter(|p| p.pgrp == leader.pid && !p.zombie) {
        // SAFETY: kill(2) on one process.
        unsafe {
            libc::kill(process.pid, libc::SIGKILL);
        }
    }
}

fn boot_id() -> String {
    fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|id| id.trim().to_string())
        .unwrap_or_else(|_| "unknown-boot".into())
}

/// A running program's group, recorded while this lives.
#[derive(Debug)]
pub struct GroupRecord(Option<PathBuf>);

/// Records the group led by `leader` (just spawned), when [`clear_and_record`] was called.
pub fn record_group(leader: i32) -> GroupRecord {
    let path = RECORDS.get().and_then(|dir| {
        let start = proctable::process(leader)?.start_ticks;
        let path = dir.join(format!("{leader}.{start}"));
        fs::write(&path, "").ok()?;
        Some(path)
    });
    GroupRecord(path)
}

impl Drop for GroupRecord {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            let _ = fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_is_a_pid_and_its_start_time() {
        let me = Owner::me();
        assert!(me.is_alive());
        assert_eq!(Owner::parse(&me.tag()), Some(me));
        let later = Owner {
            start_ticks: me.start_ticks + 1,
            ..me
        };
        assert!(!later.is_alive(), "the same pid, another process");
        assert_eq!(Owner::parse("12"), None);
        assert_eq!(Owner::parse("x.1"), None);
    }

    #[test]
    fn staging_of_a_gone_owner_is_swept_and_a_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let gone = Owner {
            pid: Owner::me().pid,
            start_ticks: Owner::me().start_ticks + 1,
        };
        let go = dir.path().join("go");
        let inputs = dir.path().join("inputs");
        fs::create_dir_all(&go).unwrap();
        fs::create_dir_all(&inputs).unwrap();
        let stale = go.join(format!(".staging-{}-abc", gone.tag()));
        let live = inputs.join(staging_name("abc"));
        let cached = inputs.join("0123abc");
        // Written by an earlier versus, pid 4194304 (above any pid_max: never running).
        let legacy_input = inputs.join(".4194304-0123abc");
        let legacy_build = go.join(".staging-4194304-0123abc");
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("go-binary"), "x").unwrap();
        for file in [&live, &cached, &legacy_input] {
            fs::write(file, "x").unwrap();
        }
        fs::create_dir(&legacy_build).unwrap();
        sweep_cache(dir.path());
        assert!(!stale.exists());
        assert!(!legacy_input.exists() && !legacy_build.exists());
        assert!(live.exists());
        assert!(cached.exists());
    }

    #[test]
    fn a_staged_entry_goes_when_dropped_or_on_a_signal() {
        let dir = tempfile::tempdir().unwrap();
        let dropped = Staged::new(dir.path().join("a"));
        fs::write(dropped.path(), "x").unwrap();
        let path = dropped.path().to_path_buf();
        drop(dropped);
        assert!(!path.exists());
        let held = Staged::new(dir.path().join("b"));
        fs::create_dir(held.path()).unwrap();
        remove_staged();
        assert!(!held.path().exists());
    }
}
