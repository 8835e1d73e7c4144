//! End-to-end: bad input is a one-line error naming the thing, a `hint:` line, and exit code 2.

mod util;

use util::{Sandbox, assert_usage_error, stderr};

fn sandbox_with_manifest(text: &str) -> Sandbox {
    let sandbox = Sandbox::with_fixture("faults");
    std::fs::write(sandbox.workloads().join("good/workload.toml"), text).unwrap();
    sandbox
}

const GOOD: &str = include_str!("fixtures/faults/good/workload.toml");

#[test]
fn unknown_field_in_a_manifest() {
    let sandbox = sandbox_with_manifest(&GOOD.replace("timeout_s", "timeout"));
    let output = sandbox.versus(&["run", "good"]).output().unwrap();
    assert_usage_error(&output, "good/workload.toml:6:1: unknown field `timeout`");
}

#[test]
fn malformed_manifest() {
    let sandbox = sandbox_with_manifest(&GOOD.replace("[sizes.default]", "[sizes.default"));
    let output = sandbox.versus(&["list"]).output().unwrap();
    assert_usage_error(&output, "good/workload.toml:5:");
}

#[test]
fn missing_source_file() {
    let sandbox = sandbox_with_manifest(&GOOD.replace("good.py", "gone.py"));
    let output = sandbox.versus(&["run", "good"]).output().unwrap();
    assert_usage_error(&output, "gone.py does not exist");
}

#[test]
fn unknown_workload_name() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox.versus(&["run", "nosuch"]).output().unwrap();
    assert_usage_error(&output, "unknown workload or suite `nosuch`");
    assert!(
        stderr(&output).contains("good"),
        "the hint lists known names"
    );
}

#[test]
fn unusable_database_paths() {
    let sandbox = Sandbox::with_fixture("faults");
    for db in [
        sandbox.path().to_path_buf(),
        sandbox.path().join("no/such/dir/v.db"),
    ] {
        let output = sandbox
            .versus_with_db(&db, &["report", "latest"])
            .output()
            .unwrap();
        assert_usage_error(&output, "cannot use database");
    }
    let garbage = sandbox.path().join("garbage.db");
    std::fs::write(&garbage, vec![b'x'; 4096]).unwrap();
    let output = sandbox
        .versus_with_db(&garbage, &["report"])
        .output()
        .unwrap();
    assert_usage_error(&output, "cannot use database");
}

#[test]
fn unknown_language_and_bad_exec_usage() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "good", "--lang", "cobol"])
        .output()
        .unwrap();
    assert_usage_error(&output, "unknown language `cobol`");
    let output = sandbox
        .versus(&["exec", "--", "no-such-command-here"])
        .output()
        .unwrap();
    assert_usage_error(&output, "command `no-such-command-here` not found");
    let output = sandbox
        .versus(&["exec", "--", "true", "--vs"])
        .output()
        .unwrap();
    assert_usage_error(&output, "one command, or two separated by --vs");
}

#[test]
fn report_of_an_empty_database() {
    let sandbox = Sandbox::empty();
    let output = sandbox.versus(&["report"]).output().unwrap();
    assert_usage_error(&output, "no run `latest`");
}
