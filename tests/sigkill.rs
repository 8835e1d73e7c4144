//! End-to-end: `kill -9` of versus in the middle of a run leaves nothing running. No signal
//! handler sees a SIGKILL; what ends every process versus started is the spawner's keeper of
//! each run, whose channel to versus closes with versus.

mod util;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use util::Sandbox;

/// How long everything gets to be gone after the SIGKILL (issue 15).
const GONE_WITHIN: Duration = Duration::from_secs(2);

/// The run: a direct child, a grandchild in a session of its own that ignores SIGTERM, and a
/// leader that sleeps. Each writes its pid into DIR.
const TREE: &str = r#"
sleep 300 & echo $! > "$1/child"
setsid sh -c 'trap "" TERM; echo $$ > "$1/grandchild"; exec sleep 300' sh "$1" &
echo $$ > "$1/leader"
sleep 300
"#;

fn is_alive(pid: i32) -> bool {
    // A zombie runs nothing: dead for our purpose.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| Some(stat.rsplit(')').next()?.trim_start().starts_with('Z')))
        .is_some_and(|zombie| !zombie)
}

/// Live processes whose environment mentions the sandbox: versus passes its own environment
/// (with the sandbox's XDG folders) to the spawner, its keepers and every program they start.
fn descendants(sandbox: &Sandbox) -> Vec<(i32, String)> {
    let needle = sandbox.path().to_string_lossy().into_owned().into_bytes();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
        if is_alive(pid) && environ.windows(needle.len()).any(|w| w == needle) {
            let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            found.push((pid, String::from_utf8_lossy(&cmdline).replace('\0', " ")));
        }
    }
    found
}

fn wait_for_files(dir: &Path, names: &[&str], child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !names.iter().all(|n| dir.join(n).is_file()) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "versus ended before its program started"
        );
        assert!(Instant::now() < deadline, "the program never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The pid files are written with a shell's echo: give it a moment to finish.
    std::thread::sleep(Duration::from_millis(200));
}

/// The pids the shell fixture wrote, one per file.
fn pids_in(dir: &Path) -> Vec<i32> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter_map(|entry| {
            std::fs::read_to_string(entry.path())
                .ok()?
                .trim()
                .parse()
                .ok()
        })
        .collect()
}

/// SIGKILL to versus, then waits until nothing of its run lives (or the time is up).
fn kill_and_watch(sandbox: &Sandbox, mut versus: Child, pids: impl Fn() -> Vec<i32>) {
    let before = descendants(sandbox);
    assert!(
        before
            .iter()
            .any(|(_, cmdline)| cmdline.starts_with("versus-spawner")),
        "the run is started by a spawner: {before:?}"
    );
    versus.kill().unwrap();
    versus.wait().unwrap();
    let killed = Instant::now();
    loop {
        let alive: Vec<i32> = pids().into_iter().filter(|p| is_alive(*p)).collect();
        let left = descendants(sandbox);
        if alive.is_empty() && left.is_empty() {
            return;
        }
        assert!(
            killed.elapsed() < GONE_WITHIN,
            "alive {:?} after versus was killed: {alive:?} {left:?}",
            killed.elapsed()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `versus exec` of [`TREE`] with the tree-memory method `mode`, once all three have started;
/// their pid files are in the folder returned.
fn start_tree(mode: &str) -> (Sandbox, std::path::PathBuf, Child) {
    let sandbox = Sandbox::empty();
    let dir = sandbox.path().join("pids");
    std::fs::create_dir(&dir).unwrap();
    let mut versus = sandbox
        .versus(&["exec", "--runs", "1", "--", "sh", "-c", TREE, "sh"])
        .arg(&dir)
        .env("VERSUS_TREE_MEMORY", mode)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_files(&dir, &["child", "grandchild", "leader"], &mut versus);
    (sandbox, dir, versus)
}

#[test]
fn a_program_its_child_and_a_setsid_grandchild_die_with_versus() {
    // With a cgroup per run, and without (the default for a user who is not root).
    for mode in ["auto", "sampling"] {
        let (sandbox, dir, versus) = start_tree(mode);
        let pids = pids_in(&dir);
        assert_eq!(pids.len(), 3, "{mode}: {pids:?}");
        assert!(pids.iter().all(|p| is_alive(*p)), "{mode}: all running");
        kill_and_watch(&sandbox, versus, || pids.clone());
    }
}

#[test]
fn a_server_and_its_workers_die_with_versus() {
    let sandbox = Sandbox::with_fixture("backend");
    let dir = sandbox.workloads().join("workers").join("pids");
    let mut versus = sandbox
        .versus(&["run", "workers", "--lang", "python", "--python", "python3"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The parent writes its pid after forking both workers.
    let deadline = Instant::now() + Duration::from_secs(120);
    while pids_in_or_none(&dir).len() < 3 {
        assert!(versus.try_wait().unwrap().is_none(), "versus ended early");
        assert!(Instant::now() < deadline, "the server never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Loaded for a moment (the load lasts 30 s).
    std::thread::sleep(Duration::from_millis(1000));
    let pids = pids_in_or_none(&dir);
    assert!(pids.iter().all(|p| is_alive(*p)), "{pids:?}");
    kill_and_watch(&sandbox, versus, || pids.clone());
}

/// The server fixture names its pid files by pid.
fn pids_in_or_none(dir: &Path) -> Vec<i32> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// versus, its spawner and every keeper die at once (as when the OOM killer or a SIGKILL to
/// each of them ends them), so nothing of versus is left to end the run. The next versus finds
/// every process whose environment names the dead versus as its owner, in the program's
/// group or in a session of its own, and kills it.
#[test]
fn what_a_versus_killed_with_its_keepers_left_running_is_reaped_by_the_next() {
    for mode in ["auto", "sampling"] {
        let (sandbox, dir, mut versus) = start_tree(mode);
        let read = |name: &str| -> i32 {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            text.trim().parse().unwrap()
        };
        let (leader, child) = (read("leader"), read("child"));
        // Stopped first, so that none sees another die and ends the run; then killed.
        let mut pids = vec![versus.id() as i32];
        pids.extend(
            descendants(&sandbox)
                .into_iter()
                .filter(|(_, cmdline)| cmdline.starts_with("versus-spawner"))
                .map(|(pid, _)| pid),
        );
        assert!(
            pids.len() >= 3,
            "{mode}: versus, its spawner, a keeper: {pids:?}"
        );
        for signal in [libc::SIGSTOP, libc::SIGKILL] {
            for pid in &pids {
                // SAFETY: kill(2) on one process.
                unsafe { libc::kill(*pid, signal) };
            }
        }
        versus.wait().unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            is_alive(leader) && is_alive(child),
            "{mode}: nothing of versus was left to end the run"
        );
        let next = sandbox
            .versus(&["exec", "--runs", "1", "--", "true"])
            .env("VERSUS_TREE_MEMORY", mode)
            .output()
            .unwrap();
        assert_eq!(next.status.code(), Some(0), "{mode}");
        let gone = [leader, child, read("grandchild")];
        let reaped = Instant::now();
        while gone.iter().any(|p| is_alive(*p)) {
            assert!(
                reaped.elapsed() < GONE_WITHIN,
                "{mode}: still alive {:?}",
                gone.iter().filter(|p| is_alive(**p)).collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
