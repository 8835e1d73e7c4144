use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use super::*;
use crate::digest::Digest;

fn spec(program: &str, args: &[&str]) -> RunSpec {
    RunSpec::new(
        PathBuf::from(program),
        args.iter().map(OsString::from).collect(),
        Duration::from_secs(20),
    )
}

fn executors() -> Vec<ProcessExecutor> {
    vec![ProcessExecutor::new(), ProcessExecutor::sampling_only()]
}

#[test]
fn captures_stdout_hash_stderr_tail_and_exit_code() {
    for mut executor in executors() {
        let outcome = executor
            .execute(&spec(
                "sh",
                &["-c", "printf 'hello, world\\n'; echo oops >&2; exit 3"],
            ))
            .unwrap();
        assert_eq!(outcome.exit, Exit::Code(3));
        assert_eq!(outcome.stdout.sha256, Digest::of(b"hello, world\n"));
        assert_eq!(outcome.stderr_tail, b"oops\n");
        assert!(outcome.wall > Duration::ZERO);
        assert!(outcome.peak_rss_bytes > 0);
    }
}

#[test]
fn large_output_is_hashed_completely() {
    let mut executor = ProcessExecutor::new();
    let outcome = executor
        .execute(&spec("sh", &["-c", "head -c 3000000 /dev/zero"]))
        .unwrap();
    assert_eq!(outcome.stdout.len, 3_000_000);
    assert_eq!(outcome.stdout.sha256, Digest::of(&vec![0u8; 3_000_000]));
    assert_eq!(outcome.stdout.head.len(), 4096);
}

#[test]
fn stdin_comes_from_the_given_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "abc\n").unwrap();
    let mut run = spec("cat", &[]);
    run.stdin = Some(input);
    let outcome = ProcessExecutor::new().execute(&run).unwrap();
    assert_eq!(outcome.stdout.head, b"abc\n");
}

#[test]
fn a_signal_death_is_reported_as_such() {
    let outcome = ProcessExecutor::new()
        .execute(&spec("sh", &["-c", "kill -SEGV $$"]))
        .unwrap();
    assert_eq!(outcome.exit, Exit::Signal(libc::SIGSEGV));
}

#[test]
fn timeout_kills_the_whole_group_including_grandchildren() {
    for mut executor in executors() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("pid");
        let script = format!("sleep 300 & echo $! > {}; wait", pidfile.display());
        let mut run = spec("sh", &["-c", &script]);
        // Long enough for sh to start and write the pid file even on a loaded machine.
        run.timeout = Duration::from_millis(1500);
        let outcome = executor.execute(&run).unwrap();
        assert_eq!(outcome.exit, Exit::TimedOut);
        assert!(outcome.wall >= Duration::from_millis(1500));
        assert!(outcome.wall < Duration::from_secs(10), "{:?}", outcome.wall);
        let grandchild: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(
            !is_alive(grandchild),
            "the background sleep outlived its run"
        );
    }
}

#[test]
fn leftovers_of_a_finished_run_are_killed() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    // The leader exits at once, leaving a child that holds stdout open.
    let script = format!("sleep 300 & echo $! > {}", pidfile.display());
    let outcome = ProcessExecutor::new()
        .execute(&spec("sh", &["-c", &script]))
        .unwrap();
    assert_eq!(outcome.exit, Exit::Code(0));
    assert!(outcome.wall < Duration::from_secs(5), "{:?}", outcome.wall);
    let leftover: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(!is_alive(leftover));
}

#[test]
fn tree_memory_covers_children_that_wait4_does_not_see() {
    // Four children each touch 50 MiB at the same time; wait4 on the parent sees one process.
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/faults/memory/memory.py"
    );
    for mut executor in executors() {
        let outcome = executor.execute(&spec(&python(), &[script])).unwrap();
        assert_eq!(
            outcome.exit,
            Exit::Code(0),
            "{}",
            String::from_utf8_lossy(&outcome.stderr_tail)
        );
        let tree = outcome.tree_peak_bytes.unwrap();
        assert!(
            tree >= 200 << 20,
            "{:?}: tree peak {tree}",
            outcome.tree_method
        );
        assert!(
            outcome.peak_rss_bytes < 120 << 20,
            "wait4 sees one process at a time"
        );
    }
}

#[test]
fn the_peak_rss_of_a_small_program_is_its_own_not_versuss() {
    // A child forked (or vforked) from this process would count this process's address space
    // in its ru_maxrss; started by the spawner it counts only its own.
    let own_rss_bytes = vm_rss_bytes();
    for mut executor in executors() {
        let outcome = executor.execute(&spec("/bin/true", &[])).unwrap();
        assert_eq!(outcome.exit, Exit::Code(0));
        assert!(
            outcome.peak_rss_bytes < own_rss_bytes,
            "/bin/true peaked at {} bytes, this test process holds {own_rss_bytes}",
            outcome.peak_rss_bytes
        );
    }
}

/// `VmRSS` of this process, in bytes.
fn vm_rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

fn python() -> String {
    std::env::var("VERSUS_TEST_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

fn is_alive(pid: i32) -> bool {
    // A zombie has been killed already; only a live process counts.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z'),
        Err(_) => false,
    }
}

/// Allocates (and touches) 1 MiB at a time, up to 4 GiB, in a child of a shell: the tree's
/// memory, not the leader's.
const HOG: &str =
    "python3 -c 'b = []\nfor _ in range(4096): b.append(b\"x\" * (1 << 20))'; exit $?";

#[test]
fn a_tree_past_the_memory_limit_is_stopped_there() {
    for executor in executors() {
        let mut executor = executor.with_memory_limit(Some(256 << 20));
        let method = executor.tree_method();
        let outcome = executor.execute(&spec("sh", &["-c", HOG])).unwrap();
        assert_eq!(outcome.exit, Exit::MemoryLimit(256 << 20), "{method:?}");
        // A cgroup's limit is exact; the sampler's overshoot depends on how fast the program
        // allocates between two samples, so only its verdict is asserted.
        if executor.limits_memory_by_cgroup() {
            let peak = outcome.tree_peak_bytes.unwrap();
            assert!(peak <= 256 << 20, "{method:?}: {peak}");
        }
    }
}

#[test]
fn a_tree_under_the_memory_limit_runs_as_without_one() {
    for executor in executors() {
        let mut executor = executor.with_memory_limit(Some(256 << 20));
        let outcome = executor
            .execute(&spec("python3", &["-c", "b = b'x' * (32 << 20)"]))
            .unwrap();
        assert_eq!(outcome.exit, Exit::Code(0), "{:?}", executor.tree_method());
    }
}
