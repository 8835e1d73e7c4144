//! End-to-end: that some built-in workloads time only the work they claim and that their checks
//! catch what they claim to (issue 17). sort reads its input from stdin instead of generating it
//! in the timed run; idle-tasks prints the count its tasks made, so a task that never ran fails
//! the check; the n-body kernel is called once for all steps and once per step, both verified.

mod util;

use std::path::{Path, PathBuf};

use serde_json::Value;
use util::{Sandbox, copy_dir, json, stderr};

/// A copy of the built-in workload `suite/name` under `root`, so it can be changed.
fn copy_builtin(root: &Path, id: &str) -> PathBuf {
    let target = root.join(id);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("workloads")
            .join(id),
        &target,
    );
    target
}

/// Runs the workloads under `root` at small size with CPython and Go; the JSON report's cases.
fn run_small(sandbox: &Sandbox, root: &Path, name: &str) -> Vec<Value> {
    let root = root.to_str().unwrap();
    let output = sandbox
        .versus(&[
            "--python",
            "python3",
            "--workloads",
            root,
            "run",
            name,
            "--size",
            "small",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report = json(&output);
    let cases: Vec<Value> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "workload")
        .cloned()
        .collect();
    assert!(!cases.is_empty(), "no cases: {}", stderr(&output));
    cases
}

/// Replaces `from`, which must occur exactly once in the file, with `to`.
fn patch(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} in {}",
        file.display()
    );
    std::fs::write(file, text.replace(from, to)).unwrap();
}

fn describe(case: &Value) -> String {
    format!(
        "{} {} {} {}: {} {}",
        case["workload"],
        case["toolchain"],
        case["label"],
        case["point"],
        case["verdict"],
        case["detail"]
    )
}

#[test]
fn sort_reads_its_input_from_stdin_and_generates_none_of_it() {
    let sandbox = Sandbox::empty();
    let root = sandbox.path().join("suite");
    let sort = copy_builtin(&root, "cpu/sort");
    let manifest = sort.join("workload.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    for size in ["small", "default", "large"] {
        let table = text.split(&format!("[sizes.{size}]")).nth(1).unwrap();
        let table = table.split("\n[").next().unwrap();
        assert!(
            table.contains("stdin = { generator = \"gen_input.go\""),
            "{size}: {table}"
        );
    }

    // From the generated input, both programs print the expected bytes.
    let cases = run_small(&sandbox, &root, "cpu/sort");
    assert_eq!(cases.len(), 2, "{cases:?}");
    for case in &cases {
        assert_eq!(case["verdict"], "ok", "{}", describe(case));
    }

    // From an empty stdin, neither can: the data is not made inside the timed run.
    std::fs::write(sort.join("empty.txt"), "").unwrap();
    let small = text
        .lines()
        .find(|l| l.starts_with("stdin = { generator") && l.contains("\"50000\""))
        .unwrap();
    patch(&manifest, small, "stdin = \"empty.txt\"");
    for case in &run_small(&sandbox, &root, "cpu/sort") {
        assert_ne!(case["verdict"], "ok", "{}", describe(case));
        assert_ne!(case["verdict"], "timeout", "{}", describe(case));
    }
}

#[test]
fn idle_tasks_fails_its_check_when_a_task_never_runs() {
    let sandbox = Sandbox::empty();
    let root = sandbox.path().join("suite");
    let dir = copy_builtin(&root, "concurrency/idle-tasks");
    let cases = run_small(&sandbox, &root, "concurrency/idle-tasks");
    // asyncio and threads on CPython, goroutines on Go, at 1 and 100 tasks.
    assert_eq!(cases.len(), 6, "{cases:?}");
    for case in &cases {
        assert_eq!(case["verdict"], "ok", "{}", describe(case));
    }

    // Each program started one task fewer than it was asked to, and still exits normally: the
    // printed count must be the tasks' own, so the check sees the missing one.
    patch(
        &dir.join("idle_tasks.go"),
        "for i := 0; i < n; i++ {",
        "for i := 1; i < n; i++ {",
    );
    patch(
        &dir.join("idle_tasks_asyncio.py"),
        "for i in range(n):",
        "for i in range(1, n):",
    );
    patch(
        &dir.join("idle_tasks_threads.py"),
        "for _ in range(n):",
        "for _ in range(1, n):",
    );
    let skipped = run_small(&sandbox, &root, "concurrency/idle-tasks");
    assert_eq!(skipped.len(), 6, "{skipped:?}");
    for case in &skipped {
        assert_eq!(case["verdict"], "wrong-output", "{}", describe(case));
    }
}

#[test]
fn the_go_kernel_is_called_once_and_once_per_step_both_verified() {
    let sandbox = Sandbox::empty();
    let output = sandbox
        .versus(&[
            "--python",
            "python3",
            "run",
            "interop/nbody-go-kernel",
            "--size",
            "small",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let mut labels: Vec<&str> = util::cases(&report, "nbody-go-kernel", "python")
        .into_iter()
        .filter(|c| c["variant"] == "library-backed")
        .inspect(|c| assert_eq!(c["verdict"], "ok", "{}", describe(c)))
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    labels.sort_unstable();
    assert_eq!(
        labels,
        ["ctypes+go, a call per step", "ctypes+go, one call"]
    );
}
