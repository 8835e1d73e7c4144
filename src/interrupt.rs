//! Ctrl-C, SIGTERM and SIGHUP, and the one way versus kills what it started.
//!
//! Children run in process groups of their own, so the terminal's SIGINT never reaches them;
//! versus must kill them itself. Registration and the handler share one lock, so a child spawned
//! just as the signal arrives is killed too. While a command measures (it called
//! [`measuring`]), a signal only kills the children and sets a flag: the runner then stores what
//! has finished and exits with code 130. At any other time (discovery, builds, reports), and at
//! a second signal, the handler kills the children and exits at once, once it has marked the
//! stored run interrupted (see [`before_exit`]). Whatever is left then, or after a SIGKILL of
//! versus that no handler sees, dies with versus's end of the spawner's sockets (see
//! `measure::spawner`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static GRACEFUL: AtomicBool = AtomicBool::new(false);
static LIVE: Mutex<Vec<Live>> = Mutex::new(Vec::new());
static NEXT_TOKEN: AtomicU64 = AtomicU64::new(0);
/// What must be done before a signal ends versus at once: mark the stored run interrupted.
static BEFORE_EXIT: Mutex<Option<Last>> = Mutex::new(None);

struct Last {
    token: u64,
    run: Box<dyn FnOnce() + Send>,
}

struct Live {
    token: u64,
    pgid: i32,
    /// The run's keeper (see [`crate::measure`]): in the run's cgroup, and spared.
    keeper: i32,
    cgroup: Option<PathBuf>,
}

/// Installs the signal handler and a panic hook that kill every live child. Call it first.
pub fn install() -> anyhow::Result<()> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        kill_live();
        previous(info);
    }));
    ctrlc::set_handler(|| {
        let again = INTERRUPTED.swap(true, Ordering::SeqCst);
        kill_live();
        // A second signal exits at once: SQLite's journal keeps the database consistent, and
        // the run that the first one was letting finish is marked interrupted first.
        if again || !GRACEFUL.load(Ordering::SeqCst) {
            crate::leftovers::remove_staged();
            let last = BEFORE_EXIT.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(last) = last {
                (last.run)();
            }
            std::process::exit(130);
        }
    })?;
    Ok(())
}

/// From now on a signal lets the caller finish: it must check [`is_interrupted`].
pub fn measuring() {
    GRACEFUL.store(true, Ordering::SeqCst);
}

pub fn is_interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Runs `last` (on the handler's thread) if a signal ends versus at once while the returned
/// guard lives. It must end soon whatever the interrupted thread is doing (a bounded wait).
/// The newest call wins.
pub fn before_exit(last: impl FnOnce() + Send + 'static) -> BeforeExit {
    let token = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
    *BEFORE_EXIT.lock().unwrap_or_else(|e| e.into_inner()) = Some(Last {
        token,
        run: Box::new(last),
    });
    BeforeExit(token)
}

/// Clears what its [`before_exit`] set (if no newer call replaced it), when dropped.
pub struct BeforeExit(u64);

impl Drop for BeforeExit {
    fn drop(&mut self) {
        let mut slot = BEFORE_EXIT.lock().unwrap_or_else(|e| e.into_inner());
        if slot.as_ref().is_some_and(|last| last.token == self.0) {
            slot.take();
        }
    }
}

fn kill_live() {
    let live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    for entry in live.iter() {
        kill_run(entry.pgid, entry.keeper, entry.cgroup.as_deref());
    }
}

/// A running process group (and its cgroup), killed if a signal arrives while this lives.
pub struct Registration(u64);

pub fn register(pgid: i32, keeper: i32, cgroup: Option<PathBuf>) -> Registration {
    let token = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    if is_interrupted() {
        kill_run(pgid, keeper, cgroup.as_deref());
    }
    live.push(Live {
        token,
        pgid,
        keeper,
        cgroup,
    });
    Registration(token)
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        live.retain(|entry| entry.token != self.0);
    }
}

/// Kills everything a run started: its process group and, when it has one, its cgroup (which
/// also catches children that left the group with `setsid`), sparing the run's keeper.
pub fn kill_run(pgid: i32, keeper: i32, cgroup: Option<&Path>) {
    kill_group(pgid);
    if let Some(dir) = cgroup {
        kill_cgroup(dir, Some(keeper));
    }
}

pub fn kill_group(pgid: i32) {
    // SAFETY: kill(2) with a negative pid signals a process group; no memory is involved.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}

/// SIGKILL to every process of a cgroup but `spare` (a run's keeper, which sits in its run's
/// cgroup while the run lasts). With nothing to spare, cgroup v2's `cgroup.kill` where the
/// kernel has it (5.14+), which no fork can race; else SIGKILL to every pid in `cgroup.procs`
/// (a fork racing it is still killed by the keeper, whose descendant it is).
pub fn kill_cgroup(dir: &Path, spare: Option<i32>) {
    if spare.is_none() && std::fs::write(dir.join("cgroup.kill"), "1").is_ok() {
        return;
    }
    let Ok(text) = std::fs::read_to_string(dir.join("cgroup.procs")) else {
        return;
    };
    for pid in text
        .lines()
        .filter_map(|l| l.trim().parse::<i32>().ok())
        .filter(|pid| Some(*pid) != spare)
    {
        // SAFETY: kill(2) on one process.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
}
