//! Ctrl-C, SIGTERM and SIGHUP: kill every running child's process group (and cgroup), then let
//! the runner store what has finished and exit with code 130.
//!
//! Children run in process groups of their own, so the terminal's SIGINT never reaches them;
//! versus must kill them itself. Registration and the handler share one lock, so a child spawned
//! just as the signal arrives is killed too.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static LIVE: Mutex<Vec<Live>> = Mutex::new(Vec::new());
static NEXT_TOKEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

struct Live {
    token: u64,
    pgid: i32,
    cgroup_procs: Option<PathBuf>,
}

/// Installs the handler. A second signal while the first is handled exits at once: SQLite's
/// journal keeps the database consistent even then.
pub fn install() -> anyhow::Result<()> {
    kill_children_on_panic();
    ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        let live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        for entry in live.iter() {
            kill_all(entry.pgid, entry.cgroup_procs.as_ref());
        }
    })?;
    Ok(())
}

/// Also kills every live child if versus itself panics, then lets the panic go on.
pub fn kill_children_on_panic() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        for entry in live.iter() {
            kill_all(entry.pgid, entry.cgroup_procs.as_ref());
        }
        drop(live);
        previous(info);
    }));
}

pub fn is_interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// A running process group, killed if a signal arrives while this guard lives.
pub struct Registration(u64);

pub fn register(pgid: i32, cgroup_procs: Option<PathBuf>) -> Registration {
    let token = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    if is_interrupted() {
        kill_all(pgid, cgroup_procs.as_ref());
    }
    live.push(Live {
        token,
        pgid,
        cgroup_procs,
    });
    Registration(token)
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        live.retain(|entry| entry.token != self.0);
    }
}

/// SIGKILL to a process group and to every process listed in a cgroup's `cgroup.procs`
/// (which also catches children that left the group with `setsid`).
pub fn kill_all(pgid: i32, cgroup_procs: Option<&PathBuf>) {
    kill_group(pgid);
    if let Some(procs) = cgroup_procs {
        kill_listed(procs);
    }
}

pub fn kill_group(pgid: i32) {
    // SAFETY: kill(2) with a negative pid signals a process group; no memory is involved.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}

/// SIGKILL to every pid listed in a file such as a cgroup's `cgroup.procs`, except versus
/// itself (with cgroup v1 its measuring thread sits in the run's cgroup while the run lasts).
pub fn kill_listed(procs: &std::path::Path) {
    let own = std::process::id() as i32;
    if let Ok(text) = std::fs::read_to_string(procs) {
        for pid in text
            .lines()
            .filter_map(|l| l.trim().parse::<i32>().ok())
            .filter(|pid| *pid != own)
        {
            // SAFETY: kill(2) on one process.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
}
