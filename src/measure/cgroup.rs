//! A cgroup per run, so the peak memory of the whole process tree is read from the kernel
//! (`memory.peak` in cgroup v2, `memory.max_usage_in_bytes` in v1) instead of sampled, and every
//! process of the run, even one that left its process group, can be found and killed.
//!
//! The child must be in its cgroup from its first instruction, and joining must cost the run
//! nothing: moving a process between cgroups waits for an RCU grace period (measured here: 2 to
//! 16 ms on a loaded 2-core VM, worst right after a Python run exits), which would be timed if the
//! child joined between fork and exec. So the run's keeper (a single-threaded process of the
//! spawner, see [`super::spawner`]) moves itself into the run's cgroup before the clock starts
//! and spawns from there: the child is born inside, with cgroup v1 and v2 alike. The keeper
//! stays in the cgroup until it exits, after the run, so every kill of a run's cgroup spares it.

use std::ffi::CString;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::TreeMethod;

const LEAF_PREFIX: &str = "versus-";
static NEXT_LEAF: AtomicU64 = AtomicU64::new(0);

/// A folder where versus may create per-run cgroups with the memory controller.
#[derive(Clone, Debug)]
pub struct CgroupBase {
    dir: PathBuf,
    version: Version,
    /// A run's cgroup here can be given a memory limit (`--memory-limit`).
    limits_memory: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

impl CgroupBase {
    /// Finds a usable base: cgroup v2 first, then the v1 memory hierarchy. `None` when neither
    /// can be written (not root and nothing delegated): the caller falls back to sampling.
    pub fn detect() -> Option<CgroupBase> {
        let mountinfo = fs::read_to_string("/proc/self/mountinfo").ok()?;
        let membership = fs::read_to_string("/proc/self/cgroup").ok()?;
        let candidates = v2_candidates(&mountinfo, &membership)
            .into_iter()
            .chain(v1_candidate(&mountinfo, &membership));
        candidates.into_iter().find_map(CgroupBase::probed)
    }

    /// Whether `--memory-limit` is enforced by the runs' cgroups (else by the sampler).
    pub fn limits_memory(&self) -> bool {
        self.limits_memory
    }

    pub fn method(&self) -> TreeMethod {
        match self.version {
            Version::V1 => TreeMethod::CgroupV1,
            Version::V2 => TreeMethod::CgroupV2,
        }
    }

    /// The files that cap a cgroup's memory: RAM, then RAM and swap together (absent when the
    /// kernel has no swap accounting), so a capped program cannot swap past its limit.
    fn limit_files(&self) -> [&'static str; 2] {
        match self.version {
            Version::V1 => ["memory.limit_in_bytes", "memory.memsw.limit_in_bytes"],
            Version::V2 => ["memory.max", "memory.swap.max"],
        }
    }

    /// Where the kernel counts the processes its OOM killer killed in the cgroup.
    fn oom_file(&self) -> &'static str {
        match self.version {
            Version::V1 => "memory.oom_control",
            Version::V2 => "memory.events",
        }
    }

    fn peak_file(&self) -> &'static str {
        match self.version {
            Version::V1 => "memory.max_usage_in_bytes",
            Version::V2 => "memory.peak",
        }
    }

    /// Makes a probe cgroup, checks that a run could really enter it and whether it takes a
    /// memory limit, and removes it again; also clears leaves left by a versus that was killed.
    fn probed(mut self) -> Option<CgroupBase> {
        self.remove_stale_leaves();
        let leaf = self.create_leaf().ok()?;
        if !leaf.dir.join(self.peak_file()).exists() {
            return None;
        }
        self.limits_memory = leaf.limit_memory(1 << 30).is_ok();
        // A process joins, as keepers will.
        let procs = leaf.procs_c.clone();
        let mut probe = std::process::Command::new("true");
        // SAFETY: join_self only calls async-signal-safe functions.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut probe, move || join_self(&procs));
        }
        probe.status().is_ok_and(|s| s.success()).then_some(self)
    }

    pub fn create_leaf(&self) -> io::Result<Leaf> {
        let name = format!(
            "{LEAF_PREFIX}{}-{}",
            crate::leftovers::owner_tag(),
            NEXT_LEAF.fetch_add(1, Ordering::Relaxed)
        );
        let dir = self.dir.join(name);
        fs::create_dir(&dir)?;
        let procs = dir.join("cgroup.procs");
        let procs_c = CString::new(procs.as_os_str().as_bytes())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        Ok(Leaf {
            peak: dir.join(self.peak_file()),
            limits: self.limit_files().map(|file| dir.join(file)),
            oom: dir.join(self.oom_file()),
            swap_is_separate: self.version == Version::V2,
            dir,
            procs,
            procs_c,
        })
    }

    fn remove_stale_leaves(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(owner) = name
                .strip_prefix(LEAF_PREFIX)
                .and_then(|rest| rest.split('-').next())
            else {
                continue;
            };
            if crate::leftovers::owner_is_gone(owner) {
                // Its versus was killed; whatever it was running goes too.
                crate::interrupt::kill_cgroup(&entry.path(), None);
                let _ = fs::remove_dir(entry.path());
            }
        }
    }
}

/// One run's cgroup. Dropping it kills whatever is left in it and removes it.
#[derive(Debug)]
pub struct Leaf {
    dir: PathBuf,
    procs: PathBuf,
    procs_c: CString,
    peak: PathBuf,
    /// RAM, then RAM and swap (v1) or swap alone (v2).
    limits: [PathBuf; 2],
    oom: PathBuf,
    /// cgroup v2 caps swap on its own (`memory.swap.max`: 0 means none); v1 caps RAM + swap.
    swap_is_separate: bool,
}

impl Leaf {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Its `cgroup.procs`, which a run's keeper joins.
    pub fn procs_path(&self) -> &Path {
        &self.procs
    }

    /// Caps the memory of every process in it at `bytes` (swap included): past it the kernel
    /// reclaims, then its OOM killer kills within the cgroup, not elsewhere on the machine.
    /// Called before any process joins.
    pub fn limit_memory(&self, bytes: u64) -> io::Result<()> {
        fs::write(&self.limits[0], bytes.to_string())?;
        let swap = if self.swap_is_separate { 0 } else { bytes };
        match fs::write(&self.limits[1], swap.to_string()) {
            // No swap accounting in this kernel: there is nothing to cap.
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    /// How many processes the kernel's OOM killer has killed in it (`oom_kill` of
    /// memory.events in v2, of memory.oom_control in v1); `None` when unreadable.
    pub fn oom_kills(&self) -> Option<u64> {
        let text = fs::read_to_string(&self.oom).ok()?;
        oom_kill_count(&text)
    }

    pub fn peak_bytes(&self) -> Option<u64> {
        fs::read_to_string(&self.peak).ok()?.trim().parse().ok()
    }

    /// SIGKILL to every process in it but `keeper`, which must live to reap the run.
    pub fn kill_all_but(&self, keeper: i32) {
        crate::interrupt::kill_cgroup(&self.dir, Some(keeper));
    }

    fn is_empty(&self) -> bool {
        fs::read_to_string(&self.procs).map_or(true, |t| t.trim().is_empty())
    }
}

impl Drop for Leaf {
    fn drop(&mut self) {
        // Killed processes take a moment to leave; rmdir fails with EBUSY until they have.
        let deadline = Instant::now() + Duration::from_millis(500);
        loop {
            if !self.is_empty() {
                // The run is over (its keeper has answered), so nothing is spared.
                crate::interrupt::kill_cgroup(&self.dir, None);
            }
            if fs::remove_dir(&self.dir).is_ok() || Instant::now() > deadline {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// Runs in the forked probe before exec: moves the calling process into the cgroup whose
/// `cgroup.procs` path is given. Only async-signal-safe calls; no allocation.
fn join_self(procs: &CString) -> io::Result<()> {
    // SAFETY: open/write/close on a NUL-terminated path and a stack buffer.
    unsafe {
        let fd = libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut digits = [0u8; 20];
        let text = format_pid(libc::getpid() as u32, &mut digits);
        let written = libc::write(fd, text.as_ptr().cast(), text.len());
        let err = io::Error::last_os_error();
        libc::close(fd);
        if written < 0 {
            return Err(err);
        }
    }
    Ok(())
}

/// The `oom_kill N` line of memory.events (v2) or memory.oom_control (v1).
fn oom_kill_count(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|line| line.strip_prefix("oom_kill "))
        .and_then(|n| n.trim().parse().ok())
}

fn format_pid(mut pid: u32, buf: &mut [u8; 20]) -> &[u8] {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (pid % 10) as u8;
        pid /= 10;
        if pid == 0 {
            return &buf[start..];
        }
    }
}

/// cgroup v2: our own cgroup if it may have children with the memory controller (only the root
/// may hold processes then), else its parent, where a sibling of ours can be made.
fn v2_candidates(mountinfo: &str, membership: &str) -> Vec<CgroupBase> {
    let Some(mount) = mount_point(mountinfo, |fstype, _| fstype == "cgroup2") else {
        return Vec::new();
    };
    let Some(own) = membership.lines().find_map(|l| l.strip_prefix("0::")) else {
        return Vec::new();
    };
    let own_dir = mount.join(own.trim_start_matches('/'));
    let mut dirs = vec![own_dir.clone()];
    if let Some(parent) = own_dir.parent().filter(|p| p.starts_with(&mount)) {
        dirs.push(parent.to_path_buf());
    }
    dirs.into_iter()
        .filter(|dir| {
            fs::read_to_string(dir.join("cgroup.subtree_control"))
                .is_ok_and(|c| c.split_whitespace().any(|c| c == "memory"))
        })
        .map(|dir| CgroupBase {
            dir,
            version: Version::V2,
            limits_memory: false,
        })
        .collect()
}

/// cgroup v1: our cgroup in the memory hierarchy (v1 allows processes beside child cgroups).
fn v1_candidate(mountinfo: &str, membership: &str) -> Option<CgroupBase> {
    let mount = mount_point(mountinfo, |fstype, options| {
        fstype == "cgroup" && options.split(',').any(|o| o == "memory")
    })?;
    let own = membership.lines().find_map(|line| {
        let mut fields = line.splitn(3, ':');
        let (_, controllers, path) = (fields.next()?, fields.next()?, fields.next()?);
        controllers
            .split(',')
            .any(|c| c == "memory")
            .then_some(path)
    })?;
    Some(CgroupBase {
        dir: mount.join(own.trim_start_matches('/')),
        version: Version::V1,
        limits_memory: false,
    })
}

/// The mount point of the first mountinfo line whose filesystem type and super options match.
fn mount_point(mountinfo: &str, matches: impl Fn(&str, &str) -> bool) -> Option<PathBuf> {
    mountinfo.lines().find_map(|line| {
        // Fields: id parent major:minor root mount-point options [optional…] - fstype source super-options
        let (left, right) = line.split_once(" - ")?;
        let mut right = right.split_whitespace();
        let fstype = right.next()?;
        let _source = right.next();
        let super_options = right.next().unwrap_or("");
        if !matches(fstype, super_options) {
            return None;
        }
        Some(PathBuf::from(left.split_whitespace().nth(4)?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
30 25 0:26 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
31 25 0:27 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
40 25 0:35 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
";

    #[test]
    fn finds_the_v1_memory_cgroup_of_this_process() {
        let membership = "4:memory:/process_api/abc\n1:cpu:/\n0::/\n";
        let base = v1_candidate(MOUNTINFO, membership).unwrap();
        assert_eq!(base.dir, Path::new("/sys/fs/cgroup/memory/process_api/abc"));
        assert_eq!(base.method(), TreeMethod::CgroupV1);
    }

    #[test]
    fn mount_points_are_read_from_the_fifth_field() {
        let mount = mount_point(MOUNTINFO, |fstype, _| fstype == "cgroup2").unwrap();
        assert_eq!(mount, Path::new("/sys/fs/cgroup/unified"));
    }

    #[test]
    fn oom_kills_are_read_from_v1_and_v2_files() {
        let v1 = "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n";
        let v2 = "low 0\nhigh 0\nmax 14\noom 1\noom_kill 1\noom_group_kill 0\n";
        assert_eq!(oom_kill_count(v1), Some(2));
        assert_eq!(oom_kill_count(v2), Some(1));
        assert_eq!(oom_kill_count("oom_kill_disable 0\n"), None);
    }

    #[test]
    fn pids_are_formatted_without_allocation() {
        let mut buf = [0u8; 20];
        assert_eq!(format_pid(0, &mut buf), b"0");
        assert_eq!(format_pid(4_194_304, &mut buf), b"4194304");
    }
}
