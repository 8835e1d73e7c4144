//! The spawner process itself. versus re-executes its own executable (`/proc/self/exe`) with
//! argv[0] [`ARG0`] and [`FD_VAR`] naming the control socket; a constructor in `.init_array`
//! sees both before Rust's `main` runs and turns the process into the spawner, so it never
//! grows beyond what the dynamic loader mapped. Any binary linking this library can become the
//! spawner that way: versus itself, the library's unit-test binary, an installed copy.
//!
//! The first process forks the spawner and exits at once, so the spawner is not versus's child
//! (versus never has a zombie to reap) and, with a session of its own, the terminal's Ctrl-C
//! never reaches it. The spawner forks one keeper per run request, reaps keepers, kills what a
//! keeper that died left behind, and when versus's end of the control socket closes it waits
//! for the keepers (their channels closed at the same moment, so they are killing their runs),
//! kills whatever is left and exits.

use std::ffi::{CStr, c_char, c_int};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use super::keeper;
use super::wire::{self, RUN};

/// argv[0] of the spawner: what `ps` shows, and half of what marks the spawner's start.
pub const ARG0: &str = "versus-spawner";
/// The environment variable that carries the control socket's descriptor number.
pub const FD_VAR: &str = "VERSUS_SPAWNER_FD";
/// The control socket's descriptor in the spawner.
pub const FD: RawFd = 3;
/// How long keepers get to clean up their runs after versus went away.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(1500);

/// Run by the C runtime before `main`, with the process's argc, argv and envp (glibc passes
/// them to `.init_array` functions).
type Constructor = extern "C" fn(c_int, *const *const c_char, *const *const c_char);

#[used]
#[unsafe(link_section = ".init_array")]
pub static ENTRY: Constructor = entry;

extern "C" fn entry(argc: c_int, argv: *const *const c_char, envp: *const *const c_char) {
    // SAFETY: the C runtime passes valid, NUL-terminated argv and envp arrays.
    if unsafe { is_spawner_start(argc, argv, envp) } {
        launch();
    }
}

/// Both marks: argv[0] is [`ARG0`] and the environment names the descriptor, so neither a
/// stray variable nor a program called `versus-spawner` starts a spawner by accident.
unsafe fn is_spawner_start(
    argc: c_int,
    argv: *const *const c_char,
    envp: *const *const c_char,
) -> bool {
    if argc < 1 || argv.is_null() || envp.is_null() {
        return false;
    }
    // SAFETY: the caller guarantees the arrays; both end with a null pointer.
    unsafe {
        if CStr::from_ptr(*argv).to_bytes() != ARG0.as_bytes() {
            return false;
        }
        let wanted = format!("{FD_VAR}={FD}");
        let mut entry = envp;
        while !(*entry).is_null() {
            if CStr::from_ptr(*entry).to_bytes() == wanted.as_bytes() {
                return true;
            }
            entry = entry.add(1);
        }
    }
    false
}

fn launch() -> ! {
    // SAFETY: fork in a process that has no other thread yet (before main); the parent only
    // exits, the child goes on as the spawner.
    unsafe {
        match libc::fork() {
            0 => {}
            pid => libc::_exit(i32::from(pid < 0)),
        }
        libc::setsid();
        libc::prctl(libc::PR_SET_NAME, c"versus-spawner".as_ptr());
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        libc::fcntl(FD, libc::F_SETFD, libc::FD_CLOEXEC);
        serve(OwnedFd::from_raw_fd(FD));
    }
}

fn serve(control: OwnedFd) -> ! {
    // SIGCHLD blocked and queued for a signalfd, so the loop below wakes when a keeper exits.
    let Ok(sigchld) = keeper::sigchld_fd() else {
        // SAFETY: ends this process; versus sees its control socket close.
        unsafe { libc::_exit(1) }
    };
    let mut keepers = Vec::new();
    loop {
        let mut fds = [poll_in(control.as_raw_fd()), poll_in(sigchld.as_raw_fd())];
        // SAFETY: two valid pollfds.
        if unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) } < 0 {
            continue;
        }
        if fds[1].revents != 0 {
            keeper::drain(sigchld.as_raw_fd());
            reap(&mut keepers);
        }
        if fds[0].revents != 0 {
            let mut byte = [0u8; 1];
            match wire::recv(control.as_raw_fd(), &mut byte) {
                Ok((1, mut fds)) if byte[0] == RUN && fds.len() == 1 => {
                    let channel = fds.pop().expect("one fd");
                    if let Some(pid) = fork_keeper(channel, &[&control, &sigchld]) {
                        keepers.push(pid);
                    }
                }
                // A stray message: its descriptors close as they drop.
                Ok((n, _)) if n > 0 => {}
                _ => break,
            }
        }
    }
    shut_down(keepers, &sigchld)
}

fn poll_in(fd: RawFd) -> libc::pollfd {
    libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }
}

/// Forks the keeper of one run; the spawner's own descriptors are closed in it.
fn fork_keeper(channel: OwnedFd, own: &[&OwnedFd]) -> Option<i32> {
    // SAFETY: the spawner is single-threaded, so the child may run any code.
    match unsafe { libc::fork() } {
        0 => {
            for fd in own {
                // SAFETY: closing the spawner's descriptors in the keeper, which never uses
                // them (and exits without dropping their owners).
                unsafe { libc::close(fd.as_raw_fd()) };
            }
            keeper::keep(channel)
        }
        pid if pid > 0 => Some(pid),
        // No keeper: the channel closes here, and versus reads that as a failed start.
        _ => None,
    }
}

/// Reaps every child that has exited. A keeper that did not exit cleanly (killed, crashed)
/// may have left orphans, which are now the spawner's: they are killed.
fn reap(keepers: &mut Vec<i32>) {
    let mut orphans = false;
    loop {
        let mut status = 0;
        // SAFETY: non-blocking waitpid on our own children.
        let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if pid <= 0 {
            break;
        }
        if let Some(i) = keepers.iter().position(|k| *k == pid) {
            keepers.swap_remove(i);
            orphans |= !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
        }
    }
    if orphans {
        kill_all_but(keepers);
    }
}

fn kill_all_but(keepers: &[i32]) {
    for pid in keeper::children() {
        if !keepers.contains(&pid) {
            // SAFETY: kill(2) on our own child, not reaped yet.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
}

/// versus is gone: keepers kill their runs on their own; after [`SHUTDOWN_GRACE`] the ones
/// still there are killed too, and then whatever they left.
fn shut_down(mut keepers: Vec<i32>, sigchld: &OwnedFd) -> ! {
    let deadline = Instant::now() + SHUTDOWN_GRACE;
    while !keepers.is_empty() && Instant::now() < deadline {
        reap(&mut keepers);
        kill_all_but(&keepers);
        let mut fds = [poll_in(sigchld.as_raw_fd())];
        // SAFETY: one valid pollfd.
        unsafe { libc::poll(fds.as_mut_ptr(), 1, 10) };
        keeper::drain(sigchld.as_raw_fd());
    }
    keeper::kill_orphans();
    // SAFETY: ends the spawner.
    unsafe { libc::_exit(0) }
}
