//! End-to-end: the typing suite's planted mistakes are reported where each program says they
//! are, at the stage recorded below (measured with Go 1.26 and mypy 2.4.1, pinned in each
//! workload's checker.txt). A change of toolchain behaviour fails here, by name.

mod util;

use std::path::Path;

use util::{Sandbox, json, stderr};

/// workload, then the stage for Go, CPython alone, CPython with its type checker.
const EXPECTED: &[(&str, [&str; 3])] = &[
    ("integer-division", ["never", "never", "never"]),
    ("missing-enum-case", ["never", "never", "never"]),
    ("missing-field", ["before-run", "at-run", "before-run"]),
    ("nil-lookup", ["at-run", "at-run", "before-run"]),
    ("shadowed-variable", ["never", "never", "never"]),
    ("shared-list-aliasing", ["never", "never", "never"]),
    ("string-plus-int", ["before-run", "at-run", "before-run"]),
    (
        "typo-in-rare-branch",
        ["before-run", "at-run", "before-run"],
    ),
    ("unhandled-error", ["never", "at-run", "at-run"]),
    // The Python program fails inside the callee that slices with the string, not at the call.
    (
        "wrong-argument-type",
        ["before-run", "elsewhere", "before-run"],
    ),
    ("wrong-arity", ["before-run", "at-run", "before-run"]),
    // The Python program fails, but at its caller's comparison, not at the wrong return.
    (
        "wrong-return-type",
        ["before-run", "elsewhere", "before-run"],
    ),
];

#[test]
fn every_mistake_is_marked_on_the_line_before_its_mistake_line() {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads/typing");
    for (workload, _) in EXPECTED {
        let manifest = std::fs::read_to_string(suite.join(workload).join("workload.toml")).unwrap();
        let value: toml::Value = toml::from_str(&manifest).unwrap();
        for implementation in value["implementations"].as_array().unwrap() {
            let source = implementation["source"].as_str().unwrap();
            let line = implementation["mistake_line"].as_integer().unwrap() as usize;
            let text = std::fs::read_to_string(suite.join(workload).join(source)).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert!(
                lines[line - 2].contains("MISTAKE"),
                "{workload}/{source}: line {} should mark the mistake on line {line}",
                line - 1
            );
        }
    }
}

#[test]
fn each_planted_mistake_is_reported_at_its_recorded_stage() {
    let sandbox = Sandbox::empty();
    let output = sandbox
        .versus(&["--python", "python3", "run", "typing", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let typing = &report["typing"];
    let columns: Vec<&str> = typing["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let column = |prefix: &str, checker: bool| {
        columns
            .iter()
            .position(|c| c.starts_with(prefix) && c.ends_with("+ type checker") == checker)
            .unwrap_or_else(|| panic!("no column {prefix} (checker {checker}) in {columns:?}"))
    };
    let indexes = [
        column("go", false),
        column("cpython", false),
        column("cpython", true),
    ];
    let rows = typing["rows"].as_array().unwrap();
    assert_eq!(rows.len(), EXPECTED.len());
    for (workload, stages) in EXPECTED {
        let row = rows
            .iter()
            .find(|r| r["workload"] == format!("typing/{workload}"))
            .unwrap_or_else(|| panic!("no row for {workload}"));
        for (index, expected) in indexes.iter().zip(stages) {
            let cell = &row["cells"][*index];
            assert_eq!(
                cell["stage"], *expected,
                "{workload}, {}: {}",
                columns[*index], cell["detail"]
            );
            if *expected == "before-run" || *expected == "at-run" {
                // Credited only because the report named the program's own mistake line.
                let line = cell["line"].as_u64().unwrap();
                let detail = cell["detail"].as_str().unwrap();
                let names_line = [
                    format!(":{line}:"),
                    format!(":{line} "),
                    format!("line {line},"),
                ]
                .iter()
                .any(|form| detail.contains(form.as_str()))
                    || detail.ends_with(&format!(":{line}"));
                assert!(names_line, "{workload}: {cell} should name line {line}");
            }
        }
    }
}
