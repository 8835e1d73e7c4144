//! Programs are started by a small spawner process, never forked from versus itself.
//!
//! On Linux a child's `ru_maxrss` includes the peak of the address space it had before exec;
//! forked (or vforked) from versus that is versus's own 7–11 MiB, so a Go hello-world read
//! 12.35 MB where `/usr/bin/time -v` reads 1.98 MB. The spawner ([`entry`]) is versus's own
//! executable re-executed in a minimal mode before `main`, started once per versus process; for
//! each run it forks a keeper ([`keeper`]) from its small address space, and the keeper spawns
//! the program, is its subreaper, and reports wait4's status and rusage back. Every process of a
//! run hangs below a keeper whose channel to versus closes when versus exits however it exits
//! (even SIGKILL), and a keeper whose channel closes kills its whole run.
//!
//! The clock stays out of the messages: the keeper reads CLOCK_MONOTONIC just before it spawns
//! and again when the child's pidfd becomes readable (it waits in poll, as hyperfine waits in
//! wait4), so neither versus's wake-ups nor the messages are timed. versus watches its own copy
//! of the pidfd only to know when to clean up.

mod entry;
mod keeper;
mod wire;

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wire::{REAP, RUN, Spawned, Spec, Stage};

/// One program to start.
#[derive(Debug)]
pub struct Request {
    /// Run as is: a path, or a name already looked up with [`resolve`].
    pub program: PathBuf,
    /// The arguments after argv[0] (which is `program`).
    pub args: Vec<OsString>,
    /// The whole environment.
    pub env: Vec<(OsString, OsString)>,
    pub cwd: Option<PathBuf>,
    /// The `cgroup.procs` of the run's cgroup, which the keeper joins before the clock starts.
    pub cgroup_procs: Option<PathBuf>,
    pub stdin: OwnedFd,
    pub stdout: OwnedFd,
    pub stderr: OwnedFd,
}

#[derive(Debug, thiserror::Error)]
pub enum SpawnFailure {
    /// posix_spawn failed: the program does not exist, cannot be executed, …
    #[error("{0}")]
    Exec(#[source] io::Error),
    #[error("cannot enter its working directory: {0}")]
    Cwd(#[source] io::Error),
    #[error("cannot join its cgroup: {0}")]
    Cgroup(#[source] io::Error),
    /// The spawner or a keeper failed: versus cannot measure anything.
    #[error("the spawner process failed: {0}")]
    Spawner(#[source] io::Error),
}

impl SpawnFailure {
    /// Whether the program itself is to blame (a verdict of its run, not a failure of versus).
    pub fn is_the_programs(&self) -> bool {
        !matches!(self, SpawnFailure::Spawner(_))
    }
}

/// A started program, not reaped yet: while this lives, its pid and process group are the
/// run's. Dropped without [`Child::reap`], it is killed (its keeper kills the rest).
#[derive(Debug)]
pub struct Child {
    pub pid: i32,
    /// The run's keeper, its parent and the subreaper of everything it leaves behind.
    pub keeper: i32,
    /// CLOCK_MONOTONIC just before the spawn (see [`monotonic`]).
    pub started: Duration,
    /// Readable once the child has exited (its pidfd).
    pub exit_fd: OwnedFd,
    channel: Option<OwnedFd>,
}

/// When a child exited, and wait4's account of it.
#[derive(Clone, Copy, Debug)]
pub struct Reaped {
    pub status: i32,
    /// CLOCK_MONOTONIC when the keeper saw the exit (see [`monotonic`]).
    pub exited: Duration,
    pub user: Duration,
    pub sys: Duration,
    pub max_rss_bytes: u64,
}

impl Child {
    /// Once the child has exited: its status and rusage. The keeper kills whatever the run
    /// left behind before it answers, and exits.
    pub fn reap(mut self) -> Result<Reaped, SpawnFailure> {
        let channel = self.channel.take().expect("reaped once");
        let lost = SpawnFailure::Spawner;
        wire::send(channel.as_raw_fd(), &[REAP], &[]).map_err(lost)?;
        let mut answer = [0u8; wire::Reaped::LEN];
        wire::recv_exact(channel.as_raw_fd(), &mut answer).map_err(lost)?;
        let reaped = wire::Reaped::decode(&answer);
        // The keeper exits right after its answer, which closes the channel: once it has, the
        // run's cgroup (where the keeper was) can be removed without waiting.
        let _ = wire::recv(channel.as_raw_fd(), &mut [0u8; 1]);
        Ok(Reaped {
            status: reaped.status,
            exited: Duration::from_nanos(reaped.exited_ns),
            user: Duration::from_micros(reaped.user_us),
            sys: Duration::from_micros(reaped.sys_us),
            max_rss_bytes: reaped.max_rss_kib * 1024,
        })
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        if self.channel.is_some() {
            // SAFETY: kill(2) on a process group whose leader is not reaped (the keeper waits
            // for `reap` or for the channel, which closes only after this), so it is the run's.
            unsafe { libc::kill(-self.pid, libc::SIGKILL) };
        }
    }
}

/// Starts `request`'s program; returns once it has been exec'd.
pub fn spawn(request: Request) -> Result<Child, SpawnFailure> {
    let lost = SpawnFailure::Spawner;
    let channel = open_channel().map_err(lost)?;
    let frame = spec_of(&request).encode();
    let stdio = [&request.stdin, &request.stdout, &request.stderr].map(AsRawFd::as_raw_fd);
    wire::send(channel.as_raw_fd(), &frame, &stdio).map_err(lost)?;
    drop(request);
    let mut answer = [0u8; Spawned::LEN];
    let mut fds = wire::recv_exact(channel.as_raw_fd(), &mut answer).map_err(lost)?;
    let spawned = Spawned::decode(&answer);
    let err = || io::Error::from_raw_os_error(spawned.errno);
    match spawned.stage {
        Stage::Started if fds.len() == 1 => Ok(Child {
            pid: spawned.pid,
            keeper: spawned.keeper,
            started: Duration::from_nanos(spawned.started_ns),
            exit_fd: fds.pop().expect("one fd"),
            channel: Some(channel),
        }),
        Stage::Started => Err(lost(io::ErrorKind::InvalidData.into())),
        Stage::Cwd => Err(SpawnFailure::Cwd(err())),
        Stage::Cgroup => Err(SpawnFailure::Cgroup(err())),
        Stage::Exec => Err(SpawnFailure::Exec(err())),
        Stage::Keeper => Err(lost(err())),
    }
}

fn spec_of(request: &Request) -> Spec {
    let bytes = |s: &std::ffi::OsStr| s.as_bytes().to_vec();
    let program = bytes(request.program.as_os_str());
    let mut args = vec![program.clone()];
    args.extend(request.args.iter().map(|a| bytes(a)));
    let env = request
        .env
        .iter()
        .map(|(key, value)| [key.as_bytes(), b"=", value.as_bytes()].concat())
        .collect();
    let path_bytes =
        |p: &Option<PathBuf>| p.as_deref().map_or(Vec::new(), |p| bytes(p.as_os_str()));
    Spec {
        program,
        args,
        env,
        cwd: path_bytes(&request.cwd),
        cgroup_procs: path_bytes(&request.cgroup_procs),
    }
}

/// versus's environment without the variables that change how a runtime behaves
/// ([`crate::childenv`]), with `overrides` applied (a later value for a key wins), and the
/// program's owner ([`crate::leftovers`]), by which a later versus finds what this one left
/// running if it is killed with its spawner.
pub fn environment(overrides: &[(OsString, OsString)]) -> Vec<(OsString, OsString)> {
    let mut env = crate::childenv::without_behaviour(std::env::vars_os());
    let owner = (
        OsString::from(crate::leftovers::OWNER_VAR),
        OsString::from(crate::leftovers::owner_tag()),
    );
    for (key, value) in overrides.iter().chain([&owner]) {
        env.retain(|(k, _)| k != key);
        env.push((key.clone(), value.clone()));
    }
    env
}

/// What `execvp` would run for `program` with the `PATH` of `env`: a name without a slash is
/// looked up in each directory of `PATH` (default `/bin:/usr/bin`, as glibc's); `None` when no
/// directory holds an executable file of that name.
pub fn resolve(program: &Path, env: &[(OsString, OsString)]) -> Option<PathBuf> {
    if program.as_os_str().as_bytes().contains(&b'/') {
        return Some(program.to_path_buf());
    }
    let path = env
        .iter()
        .rev()
        .find(|(key, _)| key == "PATH")
        .map_or_else(|| OsString::from("/bin:/usr/bin"), |(_, v)| v.clone());
    path.as_bytes()
        .split(|b| *b == b':')
        .map(|dir| {
            let dir = if dir.is_empty() { b"." as &[u8] } else { dir };
            Path::new(std::ffi::OsStr::from_bytes(dir)).join(program)
        })
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// CLOCK_MONOTONIC, the clock of `Instant` on Linux, as a duration since boot: comparable
/// between versus and the spawner.
pub fn monotonic() -> Duration {
    // SAFETY: clock_gettime fills a timespec on the stack.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The spawner of this versus process: started on first use, started again if it died.
static CONTROL: Mutex<Option<Arc<OwnedFd>>> = Mutex::new(None);

fn control() -> io::Result<Arc<OwnedFd>> {
    let mut slot = CONTROL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(control) = &*slot {
        return Ok(Arc::clone(control));
    }
    let control = Arc::new(start_spawner()?);
    *slot = Some(Arc::clone(&control));
    Ok(control)
}

/// A new channel to a keeper: the spawner's end goes over the control socket.
fn open_channel() -> io::Result<OwnedFd> {
    let (ours, theirs) = wire::socket_pair(libc::SOCK_STREAM)?;
    let first = control()?;
    if wire::send(first.as_raw_fd(), &[RUN], &[theirs.as_raw_fd()]).is_ok() {
        return Ok(ours);
    }
    // The spawner is gone (killed by someone): forget it and start another, once.
    {
        let mut slot = CONTROL.lock().unwrap_or_else(|e| e.into_inner());
        if slot.as_ref().is_some_and(|c| Arc::ptr_eq(c, &first)) {
            *slot = None;
        }
    }
    wire::send(control()?.as_raw_fd(), &[RUN], &[theirs.as_raw_fd()])?;
    Ok(ours)
}

/// Re-executes this executable as the spawner (see [`entry`]) with the control socket at
/// [`entry::FD`]. Its first process forks the spawner and exits, so this returns at once.
fn start_spawner() -> io::Result<OwnedFd> {
    // The constructor must be linked into every binary that can start a spawner.
    std::hint::black_box(&entry::ENTRY);
    let (ours, theirs) = wire::socket_pair(libc::SOCK_SEQPACKET)?;
    let fd = theirs.as_raw_fd();
    let mut command = Command::new("/proc/self/exe");
    command
        .arg0(entry::ARG0)
        .env(entry::FD_VAR, entry::FD.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: dup2 and fcntl are async-signal-safe; `fd` stays open in versus across the fork.
    unsafe {
        command.pre_exec(move || {
            let rc = if fd == entry::FD {
                libc::fcntl(fd, libc::F_SETFD, 0)
            } else {
                libc::dup2(fd, entry::FD)
            };
            if rc < 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let status = command.status()?;
    if !status.success() {
        return Err(io::Error::other(format!("the spawner's start {status}")));
    }
    Ok(ours)
}

#[cfg(test)]
mod tests;
