//! End-to-end: Ctrl-C (SIGINT) or SIGTERM in the middle of a run kills the children, keeps the
//! cases already finished, and leaves a database that opens cleanly.

mod util;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use util::{Sandbox, cases, json, stderr};

fn interrupt_after_first_workload(signal: i32) {
    let sandbox = Sandbox::with_fixture("faults");
    let mut child = sandbox
        .versus(&["run", "good", "slow", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr_pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stderr_pipe).lines().map_while(Result::ok) {
            let _ = tx.send(line.clone());
            lines.push(line);
        }
        lines
    });
    // Wait until `good` is stored and `slow` has started.
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the good workload finishes");
        if line.contains("faults/good (default) done") {
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(800));
    // SAFETY: signalling our own child process.
    unsafe {
        libc::kill(child.id() as i32, signal);
    }
    let output = child.wait_with_output().unwrap();
    let err = reader.join().unwrap().join("\n");
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert_eq!(
        sandbox.survivors(),
        Vec::<String>::new(),
        "children outlived the interrupt"
    );
    // The database opens and holds the finished cases, and the rest marked interrupted.
    let report = sandbox
        .versus(&["report", "latest", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    let report = json(&report);
    assert_eq!(report["run"]["status"], "interrupted");
    for case in cases(&report, "good", "go")
        .into_iter()
        .chain(cases(&report, "good", "python"))
    {
        assert_eq!(case["verdict"], "ok");
        assert!(case["runs"].as_u64().unwrap() >= 1);
    }
    let slow = cases(&report, "slow", "python");
    assert!(!slow.is_empty());
    assert!(
        slow.iter().all(|c| c["verdict"] == "interrupted"),
        "{slow:?}"
    );
}

#[test]
fn sigint_keeps_finished_cases_and_kills_children() {
    interrupt_after_first_workload(libc::SIGINT);
}

#[test]
fn sigterm_too() {
    interrupt_after_first_workload(libc::SIGTERM);
}
