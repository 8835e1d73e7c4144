//! End-to-end: `exec`, `doctor`, `list`, `report` formats, and the built-in suite at small size.

mod util;

use util::{Sandbox, json, stderr, stdout};

#[test]
fn exec_compares_two_commands_interleaved() {
    let sandbox = Sandbox::empty();
    let output = sandbox
        .versus(&[
            "exec", "--runs", "12", "--format", "json", "--", "true", "--vs", "sh", "-c", "true",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let cases = report["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0]["workload"], "true");
    assert_eq!(cases[1]["workload"], "sh -c true");
    assert!(
        cases
            .iter()
            .all(|c| c["runs"] == 12 && c["kind"] == "command")
    );
    let comparison = &report["comparisons"][0];
    assert_eq!(comparison["baseline"], "true");
    assert_eq!(comparison["contender"], "sh -c true");
    assert!(comparison["ratio"].as_f64().unwrap() > 0.0);
}

#[test]
fn exec_of_a_failing_command_exits_3() {
    let sandbox = Sandbox::empty();
    let output = sandbox
        .versus(&["exec", "--runs", "3", "--", "false"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(stdout(&output).contains("crashed"));
}

#[test]
fn doctor_lists_toolchains_with_their_real_executables() {
    let sandbox = Sandbox::empty();
    let output = sandbox.versus(&["doctor"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("cpython 3."), "{text}");
    assert!(text.contains("go 1."), "{text}");
    assert!(text.contains("GOARCH="), "{text}");
    assert!(text.contains("tree memory:"), "{text}");
}

#[test]
fn list_shows_the_built_in_suite() {
    let sandbox = Sandbox::empty();
    let output = sandbox.versus(&["list"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for name in [
        "startup/hello",
        "cpu/nbody",
        "cpu/spectral-norm",
        "cpu/binary-trees",
    ] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
}

/// Every built-in workload, at small size, in both languages: each output verified on every
/// run against the manifest's expected hash.
#[test]
fn the_built_in_suite_runs_verified_at_small_size() {
    let sandbox = Sandbox::empty();
    let output = sandbox
        .versus(&["run", "all", "--size", "small", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let workloads: Vec<&serde_json::Value> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "workload")
        .collect();
    for case in &workloads {
        // NumPy and pandas publish no wheels for some interpreters (PyPy 3.9): that case is
        // skipped with its reason. CPython and Go must run everything.
        let skippable = case["verdict"] == "missing-dependency"
            && !case["toolchain"]
                .as_str()
                .unwrap_or("")
                .starts_with("cpython");
        assert!(
            case["verdict"] == "ok" || skippable,
            "{} on {}: {} {}",
            case["workload"],
            case["toolchain"],
            case["verdict"],
            case["detail"]
        );
    }
    // Every workload of the suite ran in both languages.
    let suite = sandbox.versus(&["list"]).output().unwrap();
    let listed = stdout(&suite)
        .lines()
        .filter(|l| l.contains('/') && !l.contains("workloads in"))
        // Typing workloads are checked, not timed: tests/typing.rs covers them.
        .filter(|l| !l.starts_with("typing/"))
        .count();
    for language in ["go", "python"] {
        let names: std::collections::BTreeSet<&str> = workloads
            .iter()
            .filter(|c| c["language"] == language && c["verdict"] == "ok")
            .map(|c| c["workload"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), listed, "{language} ran {names:?}");
    }
    for format in ["table", "markdown", "csv"] {
        let again = sandbox
            .versus(&["report", "latest", "--format", format])
            .output()
            .unwrap();
        assert_eq!(again.status.code(), Some(0));
        assert!(stdout(&again).contains("cpu/nbody"), "{format}");
    }
}

#[test]
fn advise_cites_the_measured_ratio_of_the_latest_run() {
    let sandbox = Sandbox::with_fixture("faults");
    let run = sandbox
        .versus(&["run", "good", "--lang", "python,go"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let output = sandbox
        .versus(&[
            "advise",
            "--goal",
            "backend",
            "--priority",
            "latency",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let advice = json(&output);
    assert_eq!(advice["language"], "go");
    let speed = advice["considerations"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["measure"] == "runtime-speed")
        .unwrap()
        .clone();
    assert_eq!(speed["measured"], true, "{speed}");
    assert!(
        speed["evidence"].as_str().unwrap().contains("Go's time"),
        "{speed}"
    );
    // Not in a terminal and no flags: a usage error, not a hang waiting for answers.
    let none = sandbox.versus(&["advise"]).output().unwrap();
    assert_eq!(none.status.code(), Some(2), "{}", stderr(&none));
}
