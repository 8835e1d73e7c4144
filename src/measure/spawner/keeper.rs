//! The keeper: one small process per run, forked from the spawner. It joins the run's cgroup
//! (a single-threaded process can move whole, before the clock starts), spawns the program in
//! a process group of its own, is the subreaper of everything the program leaves behind, and
//! reaps the program only when versus asks, so the program's pid and process group stay valid
//! for versus's signals until then. If the channel to versus closes first (versus exited,
//! crashed or was killed), it kills the whole run and exits.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

use super::wire::{self, REAP, Reaped, Spawned, Spec, Stage};

/// A spec larger than this is refused (arguments and environment of one program).
const MAX_SPEC_BYTES: usize = 64 << 20;

/// Runs one run's keeper in the process just forked from the spawner; never returns.
pub fn keep(channel: OwnedFd) -> ! {
    // SAFETY: prctl with a NUL-terminated name of at most 16 bytes.
    unsafe { libc::prctl(libc::PR_SET_NAME, c"versus-keeper".as_ptr()) };
    let code = i32::from(serve(&channel).is_err());
    // SAFETY: _exit ends this process without running anything of the spawner's.
    unsafe { libc::_exit(code) }
}

fn serve(channel: &OwnedFd) -> io::Result<()> {
    // SAFETY: prctl with integer arguments only.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let socket = channel.as_raw_fd();
    let (spec, stdio) = read_spec(socket)?;
    let child = match start(&spec, &stdio) {
        Ok(child) => child,
        Err((stage, err)) => return reply_failure(socket, stage, &err),
    };
    // The child has its own copies; ours must close, or versus never sees end of file.
    drop(stdio);
    let watch = match ExitWatch::open(child.pid) {
        Ok(watch) => watch,
        Err(err) => {
            abandon(child.pid, &spec);
            return reply_failure(socket, Stage::Keeper, &err);
        }
    };
    let spawned = Spawned {
        stage: Stage::Started,
        errno: 0,
        pid: child.pid,
        // SAFETY: getpid has no memory effects.
        keeper: unsafe { libc::getpid() },
        started_ns: child.started_ns,
    };
    let exited_ns = wire::send(socket, &spawned.encode(), &[watch.fd_for_versus()])
        .ok()
        .and_then(|()| watch.wait_for_reap(socket, child.pid));
    let Some(exited_ns) = exited_ns else {
        abandon(child.pid, &spec);
        return Ok(());
    };
    let mut reaped = wait(child.pid)?;
    reaped.exited_ns = exited_ns;
    kill_orphans();
    wire::send(socket, &reaped.encode(), &[])
}

fn read_spec(socket: RawFd) -> io::Result<(Spec, Vec<OwnedFd>)> {
    let mut len = [0u8; 4];
    let stdio = wire::recv_exact(socket, &mut len)?;
    let len = u32::from_le_bytes(len) as usize;
    if len > MAX_SPEC_BYTES || stdio.len() != 3 {
        return Err(io::ErrorKind::InvalidData.into());
    }
    let mut frame = vec![0; len];
    wire::recv_exact(socket, &mut frame)?;
    let spec = Spec::decode(&frame).ok_or(io::ErrorKind::InvalidData)?;
    Ok((spec, stdio))
}

fn reply_failure(socket: RawFd, stage: Stage, err: &io::Error) -> io::Result<()> {
    let failed = Spawned {
        stage,
        errno: err.raw_os_error().unwrap_or(libc::EINVAL),
        pid: 0,
        keeper: 0,
        started_ns: 0,
    };
    wire::send(socket, &failed.encode(), &[])
}

struct Started {
    pid: i32,
    started_ns: u64,
}

/// Enters the working directory and the cgroup, forks the child and lets it prepare, and only
/// then reads the clock and tells the child to exec, as `perf stat` starts its workload
/// (tools/perf/util/evlist.c: `evlist__prepare_workload` forks a child that signals it is
/// ready and waits on a "go" pipe; `evlist__start_workload` writes to it). The timed window
/// holds the exec and the program, not the harness's fork; hyperfine's holds its vfork too.
///
/// fork, not posix_spawn: a vforked child shares the keeper's address space until exec, and
/// the kernel counts that address space's peak (every page of code the keeper ran) in the
/// child's `ru_maxrss`. A forked child starts with only the keeper's copied private pages and
/// what it touches itself before exec, as under `/usr/bin/time`, which forks too.
fn start(spec: &Spec, stdio: &[OwnedFd]) -> Result<Started, (Stage, io::Error)> {
    // Everything allocated before the cgroup is joined, so none of it is charged to the run.
    let invalid = |e| (Stage::Exec, e);
    let program = c_string(&spec.program).map_err(invalid)?;
    let args = c_strings(&spec.args).map_err(invalid)?;
    let env = c_strings(&spec.env).map_err(invalid)?;
    let argv = null_terminated(&args);
    let envp = null_terminated(&env);
    let stdio: Vec<RawFd> = stdio.iter().map(AsRawFd::as_raw_fd).collect();
    let keeper = |e| (Stage::Keeper, e);
    let (wait_go, go) = pipe().map_err(keeper)?;
    let (reports, report) = pipe().map_err(keeper)?;
    if !spec.cwd.is_empty() {
        let cwd = c_string(&spec.cwd).map_err(|e| (Stage::Cwd, e))?;
        // SAFETY: chdir on a NUL-terminated path; only this keeper's directory changes.
        if unsafe { libc::chdir(cwd.as_ptr()) } < 0 {
            return Err((Stage::Cwd, io::Error::last_os_error()));
        }
    }
    if !spec.cgroup_procs.is_empty() {
        join_cgroup(&spec.cgroup_procs).map_err(|e| (Stage::Cgroup, e))?;
    }
    let exec = Exec {
        program: &program,
        argv: &argv,
        envp: &envp,
        stdio: &stdio,
        go: wait_go.as_raw_fd(),
        report: report.as_raw_fd(),
    };
    // SAFETY: the keeper is single-threaded; the child only runs `exec.run`.
    let pid = match unsafe { libc::fork() } {
        0 => exec.run(),
        pid if pid > 0 => pid,
        _ => return Err(keeper(io::Error::last_os_error())),
    };
    drop((wait_go, report));
    let outcome = go_when_ready(&go, &reports);
    if outcome.is_err() {
        // SAFETY: reaping our own child, which has exited (or is about to).
        unsafe { libc::waitpid(pid, std::ptr::null_mut(), 0) };
    }
    outcome.map(|started_ns| Started { pid, started_ns })
}

/// Waits for the child's "ready", reads the clock, says "go" and waits for the exec: the start
/// time, or why the child never exec'd.
fn go_when_ready(go: &OwnedFd, reports: &OwnedFd) -> Result<u64, (Stage, io::Error)> {
    let died = || (Stage::Keeper, io::Error::from(io::ErrorKind::UnexpectedEof));
    if read_report(reports) != Report::Ready {
        return Err(died());
    }
    let started_ns = super::monotonic().as_nanos() as u64;
    // SAFETY: writes one byte from the stack to our end of the go pipe.
    if unsafe { libc::write(go.as_raw_fd(), [1u8].as_ptr().cast(), 1) } != 1 {
        return Err((Stage::Keeper, io::Error::last_os_error()));
    }
    match read_report(reports) {
        Report::Exec => Ok(started_ns),
        Report::Failed(errno) => Err((Stage::Exec, io::Error::from_raw_os_error(errno))),
        Report::Ready => Err(died()),
    }
}

/// What the forked child needs, prepared by the keeper so the child allocates nothing.
struct Exec<'a> {
    program: &'a CString,
    argv: &'a [*mut libc::c_char],
    envp: &'a [*mut libc::c_char],
    stdio: &'a [RawFd],
    /// Read end of the go pipe: one byte (or end of file: the keeper died) to exec.
    go: RawFd,
    /// Close-on-exec: a byte when ready, then closed by a successful exec, else the errno.
    report: RawFd,
}

impl Exec<'_> {
    /// In the forked child: its own process group, stdin/stdout/stderr, an empty signal mask
    /// and SIGPIPE at its default (versus ignores it), as `std::process::Command` does; then
    /// ready, and exec on "go". Every page touched here counts in the child's peak RSS: only
    /// system calls.
    fn run(&self) -> ! {
        // SAFETY: async-signal-safe calls on prepared, NUL-terminated data; no allocation.
        unsafe {
            libc::setpgid(0, 0);
            for (target, fd) in self.stdio.iter().enumerate() {
                libc::dup2(*fd, target as libc::c_int);
            }
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            let mut empty: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut empty);
            libc::sigprocmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
            let mut byte = 0u8;
            libc::write(self.report, (&raw const byte).cast(), 1);
            while libc::read(self.go, (&raw mut byte).cast(), 1) < 0 {}
            if byte == 1 {
                libc::execve(
                    self.program.as_ptr(),
                    self.argv.as_ptr().cast(),
                    self.envp.as_ptr().cast(),
                );
                let errno = *libc::__errno_location();
                libc::write(self.report, (&raw const errno).cast(), 4);
            }
            libc::_exit(127)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Report {
    /// One byte: prepared, waiting for "go".
    Ready,
    /// End of file: exec'd (or died).
    Exec,
    /// Four bytes: exec failed with this errno.
    Failed(i32),
}

fn read_report(pipe: &OwnedFd) -> Report {
    let mut bytes = [0u8; 4];
    loop {
        // SAFETY: reads into a 4-byte buffer we own.
        let n = unsafe { libc::read(pipe.as_raw_fd(), bytes.as_mut_ptr().cast(), 4) };
        match n {
            1 => return Report::Ready,
            4 => return Report::Failed(i32::from_ne_bytes(bytes)),
            n if n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted => {}
            _ => return Report::Exec,
        }
    }
}

fn c_string(bytes: &[u8]) -> io::Result<CString> {
    CString::new(bytes).map_err(|_| io::ErrorKind::InvalidInput.into())
}

fn c_strings(items: &[Vec<u8>]) -> io::Result<Vec<CString>> {
    items.iter().map(|item| c_string(item)).collect()
}

fn null_terminated(items: &[CString]) -> Vec<*mut libc::c_char> {
    items
        .iter()
        .map(|s| s.as_ptr().cast_mut())
        .chain(std::iter::once(std::ptr::null_mut()))
        .collect()
}

/// Moves this (single-threaded) keeper into the run's cgroup, so the child is born inside.
fn join_cgroup(procs: &[u8]) -> io::Result<()> {
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(procs));
    // SAFETY: getpid has no memory effects.
    std::fs::write(path, unsafe { libc::getpid() }.to_string())
}

/// How the child's exit is seen: by the keeper, which reads the clock then (it is blocked in
/// poll while the program runs, as hyperfine is in wait4), and by versus, through its copy of
/// the same fd (it kills what the run left and stops reading its pipes). Its pidfd (Linux
/// 5.3+), readable at the exit; on older kernels a signalfd for SIGCHLD for the keeper, and for
/// versus the read end of a pipe whose write end the keeper closes at the exit.
struct ExitWatch {
    /// What the keeper polls: the pidfd, or the signalfd.
    wake: OwnedFd,
    /// The fallback's pipe: (read end for versus, write end closed at the exit).
    pipe: Option<(OwnedFd, OwnedFd)>,
}

impl ExitWatch {
    fn open(pid: i32) -> io::Result<ExitWatch> {
        // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1. The child cannot
        // have been reaped: only this single-threaded keeper reaps, and only later.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
        if fd >= 0 {
            // SAFETY: the kernel just gave us this fd.
            let wake = unsafe { OwnedFd::from_raw_fd(fd as RawFd) };
            return Ok(ExitWatch { wake, pipe: None });
        }
        Ok(ExitWatch {
            wake: sigchld_fd()?,
            pipe: Some(pipe()?),
        })
    }

    fn fd_for_versus(&self) -> RawFd {
        match &self.pipe {
            Some((read, _)) => read.as_raw_fd(),
            None => self.wake.as_raw_fd(),
        }
    }

    /// Waits for versus's request to reap and returns when (CLOCK_MONOTONIC, ns) the child
    /// exited; `None` when the channel closed (or said anything else) first.
    fn wait_for_reap(mut self, socket: RawFd, pid: i32) -> Option<u64> {
        let mut exited_ns = None;
        loop {
            let watching = if exited_ns.is_none() {
                self.wake.as_raw_fd()
            } else {
                -1
            };
            let mut fds = [poll_in(watching), poll_in(socket)];
            // SAFETY: two valid pollfds (a negative fd is ignored).
            if unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) } < 0 {
                continue;
            }
            if fds[0].revents != 0 {
                let now = super::monotonic().as_nanos() as u64;
                if self.pipe.is_none() {
                    exited_ns = Some(now);
                } else {
                    drain(self.wake.as_raw_fd());
                    if has_exited(pid) {
                        exited_ns = Some(now);
                        self.pipe = None;
                    }
                }
            }
            if fds[1].revents != 0 {
                let now = || super::monotonic().as_nanos() as u64;
                return read_reap(socket).then(|| exited_ns.unwrap_or_else(now));
            }
        }
    }
}

fn read_reap(socket: RawFd) -> bool {
    let mut byte = [0u8; 1];
    matches!(wire::recv(socket, &mut byte), Ok((1, _)) if byte[0] == REAP)
}

fn poll_in(fd: RawFd) -> libc::pollfd {
    libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }
}

fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut ends = [0 as RawFd; 2];
    // SAFETY: pipe2 fills the two-element array.
    if unsafe { libc::pipe2(ends.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both fds were just created and are owned here.
    Ok(unsafe { (OwnedFd::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1])) })
}

/// A signalfd for SIGCHLD (which the spawner keeps blocked, so it is queued for the fd).
pub(super) fn sigchld_fd() -> io::Result<OwnedFd> {
    // SAFETY: a sigset on the stack, filled before use; signalfd returns a new fd or -1.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGCHLD);
        libc::sigprocmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        let fd = libc::signalfd(-1, &set, libc::SFD_CLOEXEC | libc::SFD_NONBLOCK);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(OwnedFd::from_raw_fd(fd))
    }
}

/// Reads whatever a non-blocking fd holds (queued signals), to re-arm it.
pub(super) fn drain(fd: RawFd) {
    let mut buf = [0u8; 128 * 4];
    // SAFETY: reads into a buffer we own, of its length.
    while unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
}

/// Whether the child has exited, leaving it to be reaped (WNOWAIT).
fn has_exited(pid: i32) -> bool {
    // SAFETY: waitid only reports into plain data.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let rc = libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        );
        rc == 0 && info.si_pid() == pid
    }
}

fn wait(pid: i32) -> io::Result<Reaped> {
    let mut status = 0;
    // SAFETY: rusage is plain data, filled by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: wait4 on our own child, with valid out-pointers.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == pid {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let micros = |tv: libc::timeval| (tv.tv_sec as u64) * 1_000_000 + tv.tv_usec as u64;
    Ok(Reaped {
        status,
        exited_ns: 0,
        user_us: micros(usage.ru_utime),
        sys_us: micros(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
    })
}

/// versus is gone (or gave up on the run): everything of the run dies, then the keeper.
fn abandon(pid: i32, spec: &Spec) {
    // SAFETY: kill(2) on the child's group and the child, neither reaped yet (only this keeper
    // reaps), so both ids are still the run's.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
        libc::kill(pid, libc::SIGKILL);
    }
    if !spec.cgroup_procs.is_empty() {
        let procs = std::ffi::OsStr::from_bytes(&spec.cgroup_procs);
        kill_listed(std::path::Path::new(procs));
    }
    kill_orphans();
}

/// SIGKILL to every process of a cgroup but this keeper (which is in it, and must live to reap).
fn kill_listed(procs: &std::path::Path) {
    // SAFETY: getpid has no memory effects.
    let own = unsafe { libc::getpid() };
    let Ok(text) = std::fs::read_to_string(procs) else {
        return;
    };
    for pid in text.lines().filter_map(|l| l.trim().parse::<i32>().ok()) {
        if pid != own {
            // SAFETY: kill(2) on one process.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
}

/// Kills and reaps every child the keeper has left: orphans of the run adopted as subreaper
/// (and, when versus is gone, the program itself). Each one that dies hands its own children
/// to the keeper, so the loop goes on until there are none.
pub(super) fn kill_orphans() {
    while has_children() {
        for pid in children() {
            // SAFETY: kill(2) on our own child, not reaped yet (listed as a child).
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        let mut reaped_any = false;
        // SAFETY: non-blocking waitpid on our own children.
        while unsafe { libc::waitpid(-1, std::ptr::null_mut(), libc::WNOHANG) } > 0 {
            reaped_any = true;
        }
        if !reaped_any {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// Whether this process has any child at all: one system call.
fn has_children() -> bool {
    // SAFETY: waitid with WNOWAIT|WNOHANG only reports; siginfo is plain data.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        libc::waitid(
            libc::P_ALL,
            0,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        ) == 0
    }
}

/// This process's children: from `/proc/self/task/<pid>/children` (one small file), or a scan
/// of /proc where the kernel has no such file.
pub(super) fn children() -> Vec<i32> {
    // SAFETY: getpid has no memory effects.
    let own = unsafe { libc::getpid() };
    match std::fs::read_to_string(format!("/proc/self/task/{own}/children")) {
        Ok(text) => text
            .split_whitespace()
            .filter_map(|pid| pid.parse().ok())
            .collect(),
        Err(_) => crate::proctable::snapshot()
            .into_iter()
            .filter(|p| p.ppid == own)
            .map(|p| p.pid)
            .collect(),
    }
}
