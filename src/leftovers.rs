//! What a versus that was killed leaves behind, and how the next one clears it.
//!
//! The signal handler and the spawner's keepers clean up after versus in every case but one:
//! when versus, its spawner and its keepers die together (the OOM killer, a SIGKILL to each),
//! nothing of versus is left to do it. So every program versus starts carries its owner in its
//! environment (`VERSUS_OWNER=PID.START`, inherited by whatever it starts, in its own session
//! or not), and a half-written cache entry carries its owner in its name; the next `run` or
//! `exec` kills the processes and removes the entries of owners that are gone. An owner is a
//! pid with its start time, and a process is killed through a pidfd opened before its start
//! time is checked, so a pid that another process got since is never taken for the dead one.
//! (A program that empties its own environment escapes this; its run's cgroup, where there is
//! one, is reaped too, see `measure::cgroup`.)

use std::fs;
use std::os::fd::{AsRawFd, FromRawFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::proctable;

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
        // `.staging-OWNER-KEY`; before owners had start times, `.PID-HASH` (inputs) too.
        let owner = name.to_str().and_then(|name| {
            let rest = name
                .strip_prefix(STAGING)
                .or_else(|| name.strip_prefix('.'))?;
            Some(rest.split_once('-')?.0)
        });
        if owner.is_some_and(owner_is_gone) {
            remove(&entry.path());
        }
    }
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

/// The variable that names a program's owner in its environment.
pub const OWNER_VAR: &str = "VERSUS_OWNER";

/// This versus as an owner: `PID.START_TICKS`.
pub fn owner_tag() -> String {
    Owner::me().tag()
}

/// Whether the versus an owner tag names has ended: a `PID.START` tag whose process is gone
/// (or is another now), or a bare pid (written before owners had start times) that runs
/// nothing. A tag that is neither names no versus, and is not gone.
pub fn owner_is_gone(tag: &str) -> bool {
    match (Owner::parse(tag), tag.parse::<u32>()) {
        (Some(owner), _) => !owner.is_alive(),
        (None, Ok(pid)) => !Path::new(&format!("/proc/{pid}")).exists(),
        (None, Err(_)) => false,
    }
}

/// Removes what versus processes that are gone left half written in the cache, and kills what
/// they left running. Best effort: what cannot be read or killed is left as it was.
pub fn clear(cache_dir: &Path) {
    sweep_cache(cache_dir);
    for process in proctable::snapshot() {
        if process.zombie {
            continue;
        }
        let owner = owner_in_environment(process.pid).and_then(|tag| Owner::parse(&tag));
        if owner.is_some_and(|o| !o.is_alive() && process.start_ticks >= o.start_ticks) {
            kill_exactly(process.pid, process.start_ticks);
        }
    }
}

/// The owner tag in a process's environment, if it has one (and may be read).
fn owner_in_environment(pid: i32) -> Option<String> {
    let environ = fs::read(format!("/proc/{pid}/environ")).ok()?;
    let prefix = format!("{OWNER_VAR}=");
    environ.split(|b| *b == 0).find_map(|entry| {
        let tag = entry.strip_prefix(prefix.as_bytes())?;
        String::from_utf8(tag.to_vec()).ok()
    })
}

/// SIGKILL to the process `pid` names if it is still the one that started at `start_ticks`:
/// the pidfd holds that process, so the check and the signal are of one and the same.
fn kill_exactly(pid: i32, start_ticks: u64) {
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    let Ok(fd) = i32::try_from(fd) else {
        return;
    };
    if fd < 0 {
        return;
    }
    // SAFETY: the descriptor was just opened and is owned here.
    let fd = unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) };
    if proctable::process(pid).is_some_and(|p| p.start_ticks == start_ticks) {
        // SAFETY: pidfd_send_signal on a pidfd we own, with no siginfo.
        unsafe {
            libc::syscall(
                libc::SYS_pidfd_send_signal,
                fd.as_raw_fd(),
                libc::SIGKILL,
                std::ptr::null::<libc::siginfo_t>(),
                0,
            );
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
        // Pid 4194304 is above any pid_max: never running.
        assert!(!owner_is_gone(&owner_tag()));
        assert!(owner_is_gone("4194304.0") && owner_is_gone("4194304"));
        assert!(!owner_is_gone("staging"), "names no versus");
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

    #[test]
    fn a_process_whose_owner_is_gone_is_killed_and_a_live_owners_kept() {
        let spawn = |owner: &str| {
            std::process::Command::new("sleep")
                .arg("300")
                .env(OWNER_VAR, owner)
                .spawn()
                .unwrap()
        };
        // Pid 4194304 is above any pid_max: that owner never runs.
        let mut orphan = spawn("4194304.0");
        let mut kept = spawn(&owner_tag());
        let cache = tempfile::tempdir().unwrap();
        // The environment of a process just spawned is its own once it has exec'd.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while owner_in_environment(orphan.id() as i32).as_deref() != Some("4194304.0") {
            assert!(std::time::Instant::now() < deadline, "sleep never started");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        clear(cache.path());
        let status = orphan.wait().unwrap();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(libc::SIGKILL)
        );
        assert!(kept.try_wait().unwrap().is_none(), "its owner runs");
        kept.kill().unwrap();
        kept.wait().unwrap();
    }
}
