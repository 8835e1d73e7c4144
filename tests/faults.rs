//! End-to-end: every fault a workload can have becomes a verdict, through the real binary with
//! real Python and Go; versus exits 3 and nothing is left running.

mod util;

use util::{Sandbox, assert_usage_error, cases, json, stderr, stdout};

#[test]
fn a_good_workload_is_verified_compared_and_stored() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "good", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let go = cases(&report, "good", "go");
    let python = cases(&report, "good", "python");
    assert_eq!(go.len(), 1);
    assert!(!python.is_empty());
    for case in go.iter().chain(&python) {
        assert_eq!(case["verdict"], "ok");
        assert!(case["runs"].as_u64().unwrap() >= 3);
        assert!(case["wall_s"]["median"].as_f64().unwrap() > 0.0);
        assert!(case["peak_rss_bytes"].as_u64().unwrap() > 0);
    }
    let comparison = report["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["workload"] == "faults/good"
                && c["contender"].as_str().unwrap().starts_with("cpython")
        })
        .expect("python is compared with go");
    let ratio = comparison["ratio"].as_f64().unwrap();
    assert!(comparison["ci_low"].as_f64().unwrap() <= ratio);
    assert!(ratio <= comparison["ci_high"].as_f64().unwrap());
    // The startup floor of each toolchain is measured in the same run.
    let floors: Vec<_> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "floor")
        .collect();
    assert!(floors.len() >= 2, "{floors:?}");
    // The same run comes back from the store.
    let again = sandbox
        .versus(&["report", "latest", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(json(&again)["run_id"], report["run_id"]);
}

#[test]
fn a_wrong_answer_is_shown_and_excluded() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "wrong", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    for case in cases(&report, "wrong", "python") {
        assert_eq!(case["verdict"], "wrong-output");
        let detail = case["detail"].as_str().unwrap();
        assert!(detail.contains("first difference at byte 1"), "{detail}");
        assert!(detail.contains("41") && detail.contains("42"), "{detail}");
    }
    assert_eq!(cases(&report, "wrong", "go")[0]["verdict"], "ok");
    assert!(
        report["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["workload"] != "faults/wrong")
    );
    assert!(stderr(&output).contains("wrong-output"));
}

#[test]
fn a_hang_times_out_and_leaves_nothing_running() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "hang", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    for case in cases(&report, "hang", "python") {
        assert_eq!(case["verdict"], "timeout");
        assert!(case["detail"].as_str().unwrap().contains("1.0 s limit"));
    }
    assert_eq!(sandbox.survivors(), Vec::<String>::new());
}

#[test]
fn a_child_in_its_own_session_does_not_outlive_the_run() {
    // With a cgroup per run, and with the /proc fallback (descendants, and orphans adopted by
    // versus as their subreaper).
    for mode in ["auto", "sampling"] {
        let sandbox = Sandbox::with_fixture("faults");
        let output = sandbox
            .versus(&["run", "escape", "--format", "json"])
            .env("VERSUS_TREE_MEMORY", mode)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{mode}: {}", stderr(&output));
        assert_eq!(sandbox.survivors(), Vec::<String>::new(), "{mode}");
    }
}

#[test]
fn a_missing_toolchain_is_reported_and_the_others_run() {
    // Go is not on PATH (a `--go` that does not work is a usage error instead).
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "good", "--format", "json"])
        .env("PATH", path_with_only_python3(&sandbox))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("warning: go not found"), "{err}");
    assert!(err.contains("hint: install Go"), "{err}");
    let report = json(&output);
    assert!(cases(&report, "good", "go").is_empty());
    assert!(!cases(&report, "good", "python").is_empty());
}

#[test]
fn a_crash_carries_its_exit_status_and_stderr() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "crash", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    for case in cases(&report, "crash", "python") {
        assert_eq!(case["verdict"], "crashed");
        let detail = case["detail"].as_str().unwrap();
        assert!(detail.contains("exit status 1"), "{detail}");
        assert!(detail.contains("ZeroDivisionError"), "{detail}");
    }
}

#[test]
fn tree_memory_counts_every_child() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&[
            "run", "memory", "--lang", "python", "--python", "python3", "--format", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let case = cases(&report, "memory", "python")[0];
    let tree = case["tree_peak_bytes"].as_u64().unwrap();
    let single = case["peak_rss_bytes"].as_u64().unwrap();
    assert!(
        tree >= 200 << 20,
        "tree peak {tree} ({})",
        case["tree_method"]
    );
    assert!(single < 120 << 20, "wait4 sees one process: {single}");
}

// --- command line and printed text (issue 15) ---

/// A PATH folder holding only `python3` (a link to the interpreter behind the one on PATH,
/// which may be a version manager's shim that needs the rest of PATH).
fn path_with_only_python3(sandbox: &Sandbox) -> std::path::PathBuf {
    let bin = sandbox.path().join("only-python-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .expect("these tests need python3 on PATH");
    let python = String::from_utf8(out.stdout).unwrap();
    std::os::unix::fs::symlink(python.trim(), bin.join("python3")).unwrap();
    bin
}

#[test]
fn a_named_toolchain_that_does_not_work_is_a_usage_error() {
    let sandbox = Sandbox::with_fixture("faults");
    let broken = sandbox.path().join("broken-toolchain");
    std::fs::write(&broken, "#!/bin/sh\necho nope >&2\nexit 1\n").unwrap();
    std::fs::set_permissions(&broken, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let broken = broken.to_str().unwrap();
    for (flag, path) in [
        ("--go", "/nonexistent/go"),
        ("--python", "/nonexistent/python3"),
        ("--go", broken),
        ("--python", broken),
    ] {
        for command in ["run", "doctor"] {
            let mut args = vec![flag, path, command];
            if command == "run" {
                args.push("good");
            }
            let output = sandbox.versus(&args).output().unwrap();
            assert_usage_error(&output, &format!("{flag} {path}"));
            let err = stderr(&output);
            assert!(!err.contains("Code("), "human text, not debug text: {err}");
            if path == broken {
                assert!(err.contains("exit status 1"), "{err}");
            }
        }
    }
}

/// A workload in the sandbox whose Python program writes `stderr` (escape sequences) and fails.
fn hostile_workload(sandbox: &Sandbox, description: &str) {
    let dir = sandbox.workloads().join("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("hostile.py"),
        "import sys\nsys.stderr.write('\\033]0;PWNED\\007\\033[2J\\r\\n')\nsys.exit(1)\n",
    )
    .unwrap();
    let manifest = format!(
        "name = \"hostile\"\nclaim = \"runtime-speed\"\ndescription = \"{description}\"\n\n\
         [sizes.default]\ntimeout_s = 30\nexpected = {{ file = \"../answer.txt\" }}\n\n\
         [[implementations]]\nlanguage = \"python\"\nsource = \"hostile.py\"\nvariant = \"idiomatic\"\n"
    );
    std::fs::write(dir.join("workload.toml"), manifest).unwrap();
}

fn assert_no_control_characters(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let raw: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect();
    assert!(raw.is_empty(), "{what} carries raw {raw:?}: {text}");
}

#[test]
fn escape_sequences_from_a_program_or_a_manifest_are_shown_not_obeyed() {
    let sandbox = Sandbox::with_fixture("faults");
    hostile_workload(&sandbox, "\\u001b]0;MANIFEST\\u0007 title");
    let output = sandbox
        .versus(&["run", "hostile", "--lang", "python"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    for (what, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        assert_no_control_characters(what, bytes);
    }
    assert!(
        stderr(&output).contains("\\x1b]0;PWNED\\x07\\x1b[2J"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("\\x1b]0;PWNED"),
        "{}",
        stdout(&output)
    );
    for format in ["table", "markdown", "csv"] {
        let again = sandbox
            .versus(&["report", "latest", "--format", format])
            .output()
            .unwrap();
        assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
        assert_no_control_characters(format, &again.stdout);
    }
    let list = sandbox.versus(&["list"]).output().unwrap();
    assert_no_control_characters("list", &list.stdout);
    assert!(
        stdout(&list).contains("\\x1b]0;MANIFEST\\x07"),
        "{}",
        stdout(&list)
    );
}

#[test]
fn run_and_warmup_counts_are_bounded_with_the_flag_or_the_manifest_key_named() {
    let sandbox = Sandbox::with_fixture("faults");
    for (flag, value) in [
        ("--runs", "0"),
        ("--runs", "10001"),
        ("--runs", "18446744073709551615"),
        ("--warmup", "1001"),
        ("--warmup", "18446744073709551615"),
    ] {
        let output = sandbox
            .versus(&["exec", flag, value, "--", "true"])
            .output()
            .unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{flag} {value}: {err}");
        assert!(err.contains(flag) && err.contains("1000"), "{err}");
    }
    let manifest = sandbox.workloads().join("good/workload.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace(
            "timeout_s = 30",
            "timeout_s = 30\nwarmup = 9223372036854775807",
        ),
    )
    .unwrap();
    let output = sandbox.versus(&["run", "good"]).output().unwrap();
    assert_usage_error(&output, "good/workload.toml:7:10: warmup must be 0 to 1000");
}

/// A copy of the faults fixture with only the `good` workload left.
fn sandbox_with_only_good() -> Sandbox {
    let sandbox = Sandbox::with_fixture("faults");
    for entry in std::fs::read_dir(sandbox.workloads()).unwrap().flatten() {
        if entry.file_type().unwrap().is_dir() && entry.file_name() != "good" {
            std::fs::remove_dir_all(entry.path()).unwrap();
        }
    }
    sandbox
}

#[test]
fn a_manifest_that_is_a_folder_or_a_dangling_link_is_named() {
    let sandbox = sandbox_with_only_good();
    let folder = sandbox.workloads().join("folder");
    std::fs::create_dir_all(folder.join("workload.toml")).unwrap();
    let dangling = sandbox.workloads().join("dangling");
    std::fs::create_dir_all(&dangling).unwrap();
    std::os::unix::fs::symlink("/nonexistent/workload.toml", dangling.join("workload.toml"))
        .unwrap();
    let output = sandbox.versus(&["list"]).output().unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: skipped ") && err.contains("folder/workload.toml: a folder"),
        "{err}"
    );
    assert!(
        err.contains("dangling/workload.toml: a symlink to nothing"),
        "{err}"
    );
}

#[test]
fn a_workloads_path_that_is_a_file_is_called_a_file() {
    let sandbox = Sandbox::empty();
    let output = sandbox
        .versus(&["--workloads", "/etc/passwd", "list"])
        .output()
        .unwrap();
    assert_usage_error(&output, "workloads folder /etc/passwd is not a folder");
}

#[test]
fn what_a_workloads_folder_was_taken_as_is_said() {
    let sandbox = sandbox_with_only_good();
    let suite = sandbox.workloads();
    let output = sandbox.versus(&["list"]).output().unwrap();
    assert!(
        stderr(&output).contains("note: took ")
            && stderr(&output).contains("as one suite, `faults`"),
        "{}",
        stderr(&output)
    );
    let one = suite.join("good");
    let output = Sandbox::empty()
        .versus(&["--workloads", one.to_str().unwrap(), "list"])
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("as one workload of the suite `good`"),
        "{}",
        stderr(&output)
    );
    let output = Sandbox::empty()
        .versus(&[
            "--workloads",
            suite.parent().unwrap().to_str().unwrap(),
            "list",
        ])
        .output()
        .unwrap();
    assert!(
        !stderr(&output).contains("note: took"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_report_written_where_no_file_can_be_made_is_a_usage_error() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "good", "--lang", "python"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = sandbox
        .versus(&["report", "-o", "/nonexistent/dir/report.html"])
        .output()
        .unwrap();
    assert_usage_error(
        &output,
        "--output /nonexistent/dir/report.html: cannot create",
    );
}

#[test]
fn two_identical_implementations_are_refused_naming_the_manifest() {
    let sandbox = sandbox_with_only_good();
    let manifest = sandbox.workloads().join("good/workload.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let twice = format!(
        "{text}\n[[implementations]]\nlanguage = \"python\"\nsource = \"good.py\"\nvariant = \"idiomatic\"\n"
    );
    std::fs::write(&manifest, twice).unwrap();
    let output = sandbox.versus(&["run", "good"]).output().unwrap();
    assert_usage_error(
        &output,
        "a second python idiomatic implementation without a label",
    );
    assert!(
        stderr(&output).contains("good/workload.toml:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_folder_without_a_tour_run_without_names_is_stored_as_the_size_that_ran() {
    let sandbox = sandbox_with_only_good();
    let output = sandbox
        .versus(&["run", "--lang", "python", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    assert_eq!(report["run"]["size"], "default", "{}", report["run"]);
    let table = sandbox.versus(&["report"]).output().unwrap();
    assert!(
        stdout(&table).contains("size default"),
        "{}",
        stdout(&table)
    );
}
