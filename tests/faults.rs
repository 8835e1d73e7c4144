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

// --- the memory limit (issue 15) ---

#[test]
fn a_leak_stops_at_the_memory_limit_and_fails() {
    // With a cgroup per run (its memory limit), and with the /proc sampler enforcing it.
    for mode in ["auto", "sampling"] {
        let sandbox = Sandbox::with_fixture("faults");
        let output = sandbox
            .versus(&[
                "run",
                "leak",
                "--lang",
                "python",
                "--python",
                "python3",
                "--memory-limit",
                "256M",
                "--format",
                "json",
            ])
            .env("VERSUS_TREE_MEMORY", mode)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(3), "{mode}: {}", stderr(&output));
        let report = json(&output);
        let case = cases(&report, "leak", "python")[0];
        assert_eq!(case["verdict"], "out-of-memory", "{mode}: {case}");
        let detail = case["detail"].as_str().unwrap();
        assert!(
            detail.contains("256 MiB (--memory-limit)"),
            "{mode}: {detail}"
        );
        assert_eq!(report["environment"]["memory_limit_bytes"], 256 << 20);
        assert_eq!(sandbox.survivors(), Vec::<String>::new(), "{mode}");
    }
}

#[test]
fn a_sweep_point_past_the_memory_limit_is_a_finding() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&[
            "run",
            "grow",
            "--python",
            "python3",
            "--memory-limit",
            "256M",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    // A limit reached at a point is not a failure: the run exits 0.
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let verdict_at = |mib: u64| {
        cases(&report, "grow", "python")
            .iter()
            .find(|c| c["point"]["value"] == mib)
            .map(|c| c["verdict"].as_str().unwrap().to_string())
    };
    assert_eq!(verdict_at(16).as_deref(), Some("ok"));
    assert_eq!(verdict_at(1024).as_deref(), Some("limit-reached"));
}

#[test]
fn a_memory_limit_that_is_not_a_size_is_a_usage_error() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "good", "--memory-limit", "lots"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--memory-limit"),
        "{}",
        stderr(&output)
    );
}

// --- what an interrupted versus leaves in the cache (issue 15) ---

/// Entries of `cache` (one level of folders down) being written: `.staging-…`.
fn staged_in(cache: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for folder in std::fs::read_dir(cache).into_iter().flatten().flatten() {
        for entry in std::fs::read_dir(folder.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if entry.file_name().to_string_lossy().starts_with(".staging-") {
                found.push(entry.path());
            }
        }
    }
    found
}

#[test]
fn an_input_being_generated_is_removed_when_versus_is_interrupted() {
    let sandbox = Sandbox::with_fixture("faults");
    let cache = sandbox.path().join("cache");
    let mut versus = sandbox
        .versus(&["run", "slowgen", "--lang", "python", "--python", "python3"])
        .env("XDG_CACHE_HOME", &cache)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while staged_in(&cache.join("versus")).is_empty() {
        assert!(versus.try_wait().unwrap().is_none(), "versus ended early");
        assert!(std::time::Instant::now() < deadline, "no input was staged");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: kill(2) on the child we started.
    unsafe { libc::kill(versus.id() as i32, libc::SIGINT) };
    assert_eq!(versus.wait().unwrap().code(), Some(130));
    assert_eq!(
        staged_in(&cache.join("versus")),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn what_a_killed_versus_left_half_written_is_swept_by_the_next() {
    let sandbox = Sandbox::empty();
    let cache = sandbox.path().join("cache");
    let versus_cache = cache.join("versus");
    // Owned by pid 4194304 (above any pid_max, so never running), in today's form and in the
    // form of versus before owners had start times; and one of a live owner (this test).
    let me = std::process::id();
    let start: String = std::fs::read_to_string("/proc/self/stat")
        .unwrap()
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .nth(19)
        .unwrap()
        .to_string();
    let gone = [
        versus_cache.join("inputs/.staging-4194304.99-0123abcd"),
        versus_cache.join("inputs/.4194304-0123abcd"),
        versus_cache.join("go/.staging-4194304-0123abcd"),
    ];
    let live = versus_cache.join(format!("go/.staging-{me}.{start}-0123abcd"));
    for path in gone.iter().chain([&live]) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "half written").unwrap();
    }
    let output = sandbox
        .versus(&["exec", "--runs", "1", "--", "true"])
        .env("XDG_CACHE_HOME", &cache)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for path in &gone {
        assert!(!path.exists(), "{} is left", path.display());
    }
    assert!(live.exists(), "a running owner's entry is kept");
}

// --- hostile servers (issue 15) ---

/// The case of a hostile workload with this label in the group whose label has `group_part`.
fn served<'a>(
    report: &'a serde_json::Value,
    group_part: &str,
    label: &str,
) -> &'a serde_json::Value {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["label"] == label && c["group"].as_str().unwrap().contains(group_part))
        .unwrap_or_else(|| panic!("no case {label} in a group with {group_part}: {report}"))
}

/// The starts of `mode` that the hostile fixture's `serve.py` recorded.
fn starts(sandbox: &Sandbox, mode: &str) -> usize {
    std::fs::read_dir(sandbox.workloads().join("hung/starts"))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(&format!("{mode}-"))
                })
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn a_server_that_answers_its_probe_then_hangs_is_hung_with_its_timeouts_counted() {
    let sandbox = Sandbox::with_fixture("hostile");
    let output = sandbox
        .versus(&["run", "hung", "--python", "python3", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    let hang = served(&report, "maximum throughput", "hang");
    assert_eq!(hang["verdict"], "hung", "{hang}");
    let detail = hang["detail"].as_str().unwrap();
    // Both connections' first requests outlived the 5 s request timeout in the 5.5 s phase.
    let timed_out: u64 = detail
        .split(" timed out")
        .next()
        .and_then(|head| head.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of timed-out requests: {detail}"));
    assert!(timed_out >= 1, "{detail}");
    assert!(
        detail.contains("answered GET /ready when it started, then no request of GET /hello"),
        "{detail}"
    );
    assert!(
        detail.contains("still unanswered when the 5.5 s measured phase ended"),
        "{detail}"
    );
    assert_eq!(sandbox.survivors(), Vec::<String>::new());
}

#[test]
fn a_server_that_failed_to_start_is_started_once_and_an_http_1_0_one_is_loaded() {
    let sandbox = Sandbox::with_fixture("hostile");
    let output = sandbox
        .versus(&[
            "run",
            "unstarted",
            "--python",
            "python3",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    let exits = served(&report, "maximum throughput", "exits");
    assert_eq!(exits["verdict"], "crashed", "{exits}");
    // Started once, for the maximum: each rate says why it did not start it again.
    assert_eq!(starts(&sandbox, "exits"), 1);
    for rate in ["25% of the slowest", "50% of the slowest"] {
        let skipped = served(&report, rate, "exits");
        assert_eq!(skipped["verdict"], "crashed", "{skipped}");
        let detail = skipped["detail"].as_str().unwrap();
        assert!(
            detail.starts_with("not run: the server failed to start in hostile/unstarted"),
            "{detail}"
        );
        assert!(
            detail.contains("cannot start: no configuration"),
            "{detail}"
        );
    }
    // Answers whose body ends at the close are answers, on a new connection each time, as
    // those framed by their length.
    for group in [
        "maximum throughput",
        "25% of the slowest",
        "50% of the slowest",
    ] {
        for label in ["http/1.0", "ok"] {
            let case = served(&report, group, label);
            assert_eq!(case["verdict"], "ok", "{case}");
            let errors = case["metrics"]["errors"]["median"].as_f64();
            assert_eq!(errors, Some(0.0), "{case}");
        }
    }
    assert_eq!(sandbox.survivors(), Vec::<String>::new());
}

/// `versus load ARGS…`, killed if it has not exited by a generous deadline.
fn load_within(args: &[&str], deadline: std::time::Duration) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_versus"))
        .arg("load")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > deadline {
            let _ = child.kill();
            panic!("versus load {args:?} still running after {deadline:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn versus_load_reads_an_http_1_0_body_to_the_close() {
    let sandbox = Sandbox::with_fixture("hostile");
    let mut server = std::process::Command::new("python3")
        .arg(sandbox.workloads().join("hung/serve.py"))
        .args(["http10", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let port = line.trim().strip_prefix("listening ").unwrap().to_string();
    let expected = sandbox.path().join("hello.txt");
    std::fs::write(&expected, "hello").unwrap();
    let url = format!("http://127.0.0.1:{port}/hello");
    let output = load_within(
        &[
            &url,
            "-c",
            "2",
            "-d",
            "500ms",
            "--warmup",
            "0",
            "--expect-body",
            expected.to_str().unwrap(),
            "--format",
            "json",
        ],
        std::time::Duration::from_secs(60),
    );
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    assert!(report["requests"].as_u64().unwrap() > 0, "{report}");
    assert_eq!(report["errors_total"].as_u64(), Some(0), "{report}");
}

#[test]
fn versus_load_refuses_an_endless_body_without_reading_it() {
    for flag in ["--body", "--expect-body"] {
        let output = load_within(
            &["http://127.0.0.1:9/", flag, "/dev/zero", "-d", "200ms"],
            std::time::Duration::from_secs(60),
        );
        util::assert_usage_error(&output, &format!("{flag} /dev/zero: larger than 16 MiB"));
    }
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
    for (flag, value, range) in [
        ("--runs", "0", "1..=10000"),
        ("--runs", "10001", "1..=10000"),
        ("--runs", "18446744073709551615", "1..=10000"),
        ("--warmup", "1001", "0..=1000"),
        ("--warmup", "18446744073709551615", "0..=1000"),
    ] {
        let output = sandbox
            .versus(&["exec", flag, value, "--", "true"])
            .output()
            .unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{flag} {value}: {err}");
        assert!(err.contains(flag) && err.contains(range), "{err}");
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

// --- the database under faults (issue 15) ---

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

/// One run of `versus exec` stored in `db`.
fn store_a_run(sandbox: &Sandbox, db: &Path) {
    let output = sandbox
        .versus_with_db(db, &["exec", "--runs", "2", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

const NOBODY: u32 = 65534;

fn is_root() -> bool {
    // SAFETY: geteuid(2) reads the caller's effective user id.
    unsafe { libc::geteuid() == 0 }
}

/// Hands `paths` to the user [`as_their_owner`] runs versus as (as root: `nobody`).
fn give_away(paths: &[&Path]) {
    if !is_root() {
        return;
    }
    for path in paths {
        let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: chown(2) of a path we made; the string outlives the call.
        assert_eq!(unsafe { libc::chown(name.as_ptr(), NOBODY, NOBODY) }, 0);
    }
}

/// `versus --db DB ARGS…` run as a user that file permissions hold for. Root may write any
/// file whatever its mode, so as root versus runs as `nobody`, owning the files
/// [`give_away`] gave it (from a copy in the sandbox: the build's own may sit under a folder
/// `nobody` cannot enter); as any other user, as that user. Either way a chmod 444 file or a
/// 555 folder is one versus cannot write, which is what these tests need (and all they prove).
fn as_their_owner(sandbox: &Sandbox, db: &Path, args: &[&str]) -> Command {
    let cache = sandbox.path().join("cache");
    let copy = sandbox.path().join("bin/versus");
    if !cache.exists() {
        std::fs::create_dir_all(&cache).unwrap();
        give_away(&[&cache]);
        if is_root() {
            std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
            std::fs::copy(env!("CARGO_BIN_EXE_versus"), &copy).unwrap();
            chmod(&copy, 0o755);
        }
    }
    let mut command = Command::new(if is_root() {
        copy.as_path()
    } else {
        Path::new(env!("CARGO_BIN_EXE_versus"))
    });
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env("XDG_CACHE_HOME", &cache)
        .env("XDG_DATA_HOME", sandbox.path().join("data"))
        .env_remove("VERSUS_WORKLOADS")
        .env_remove("NO_COLOR");
    if is_root() {
        command.uid(NOBODY).gid(NOBODY);
    }
    command
}

fn digest(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_database_versus_cannot_write_is_read_and_left_as_it_was() {
    let sandbox = Sandbox::empty();
    chmod(sandbox.path(), 0o755);
    // A chmod 444 file in a folder it may write; a writable file in a chmod 555 folder.
    let (file_dir, folder) = (
        sandbox.path().join("ro-file"),
        sandbox.path().join("ro-dir"),
    );
    let (ro_file, in_ro_folder) = (file_dir.join("versus.db"), folder.join("versus.db"));
    for (dir, db) in [(&file_dir, &ro_file), (&folder, &in_ro_folder)] {
        std::fs::create_dir(dir).unwrap();
        store_a_run(&sandbox, db);
        give_away(&[dir, db]);
    }
    chmod(&ro_file, 0o444);
    chmod(&folder, 0o555);
    let before = (digest(&ro_file), digest(&in_ro_folder));
    for db in [&ro_file, &in_ro_folder] {
        let output = as_their_owner(&sandbox, db, &["report", "latest", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(json(&output)["run"]["status"], "complete");
        let output = as_their_owner(&sandbox, db, &["advise", "--goal", "cli"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let other = in_ro_folder.to_str().unwrap();
    let output = as_their_owner(&sandbox, &ro_file, &["compare", "1", "1", "--db-b", other])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // A run cannot be stored there: said at once, with what to do.
    let output = as_their_owner(&sandbox, &ro_file, &["exec", "--runs", "2", "--", "true"])
        .output()
        .unwrap();
    assert_usage_error(&output, "it cannot be written");
    assert!(stderr(&output).contains(ro_file.to_str().unwrap()));
    assert!(
        before == (digest(&ro_file), digest(&in_ro_folder)),
        "a file changed"
    );
    // Nothing was made beside them: no WAL or index that could stop a later writer.
    for dir in [&file_dir, &folder] {
        let made: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        assert_eq!(made.len(), 1, "{made:?}");
    }
    chmod(&folder, 0o755);
}

#[test]
fn an_older_schema_versus_cannot_upgrade_is_named_with_what_to_run() {
    let sandbox = Sandbox::empty();
    chmod(sandbox.path(), 0o755);
    let dir = sandbox.path().join("old");
    let db = dir.join("versus.db");
    std::fs::create_dir(&dir).unwrap();
    store_a_run(&sandbox, &db);
    // The file as the versus before the newest migration left it.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    versus::store::undo_newest_migration(&conn).unwrap();
    drop(conn);
    give_away(&[&dir, &db]);
    chmod(&db, 0o444);
    let output = as_their_owner(&sandbox, &db, &["report", "latest"])
        .output()
        .unwrap();
    assert_usage_error(&output, "older than this versus");
    let err = stderr(&output);
    assert!(err.contains(&format!("version {}", version - 1)), "{err}");
    assert!(err.contains("writable and run this again"), "{err}");
    // Where it can be written, reading upgrades it as before.
    chmod(&db, 0o644);
    let output = as_their_owner(&sandbox, &db, &["report", "latest"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Whether `db` holds a run that has begun (the test reads it as versus writes it).
fn a_run_has_begun(db: &Path) -> bool {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let Ok(conn) = rusqlite::Connection::open_with_flags(db, flags) else {
        return false;
    };
    conn.query_row("SELECT count(*) FROM runs", [], |row| row.get::<_, i64>(0))
        .is_ok_and(|n| n > 0)
}

#[test]
fn the_run_ends_interrupted_whatever_the_signals_and_however_close() {
    let trials = [
        (libc::SIGINT, 0),
        (libc::SIGINT, 1),
        (libc::SIGINT, 2),
        (libc::SIGINT, 5),
        (libc::SIGINT, 10),
        (libc::SIGINT, 20),
        (libc::SIGTERM, 0),
        (libc::SIGTERM, 3),
        (libc::SIGHUP, 1),
    ];
    for (trial, (first, gap_ms)) in trials.into_iter().enumerate() {
        let sandbox = Sandbox::empty();
        let mut child = sandbox
            .versus(&["exec", "--runs", "10000", "--", "sleep", "0.01"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while !a_run_has_begun(&sandbox.db()) {
            assert!(
                std::time::Instant::now() < deadline,
                "trial {trial}: no run began"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let pid = child.id() as i32;
        // SAFETY: signalling our own child process.
        unsafe { libc::kill(pid, first) };
        std::thread::sleep(std::time::Duration::from_millis(gap_ms));
        // SAFETY: as above.
        unsafe { libc::kill(pid, libc::SIGINT) };
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("trial {trial}: versus did not end after the signals");
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        assert_eq!(status.code(), Some(130), "trial {trial}");
        let report = sandbox
            .versus(&["report", "latest", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
        assert_eq!(
            json(&report)["run"]["status"],
            "interrupted",
            "trial {trial}: signal {first}, then SIGINT {gap_ms} ms later"
        );
    }
    // Two signals at any moment of the start, as the run is begun or before: a run that was
    // stored at all ends interrupted.
    for start_ms in [5, 10, 15, 20, 25, 30, 40, 50, 70, 100] {
        let sandbox = Sandbox::empty();
        let mut child = sandbox
            .versus(&["exec", "--runs", "10000", "--", "sleep", "0.01"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(start_ms));
        for _ in 0..2 {
            // SAFETY: signalling our own child process.
            unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while child.try_wait().unwrap().is_none() {
            assert!(
                std::time::Instant::now() < deadline,
                "{start_ms} ms: no end"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        if a_run_has_begun(&sandbox.db()) {
            let report = sandbox
                .versus(&["report", "latest", "--format", "json"])
                .output()
                .unwrap();
            assert_eq!(
                json(&report)["run"]["status"],
                "interrupted",
                "{start_ms} ms"
            );
        }
    }
}

#[test]
fn a_damaged_database_is_named_with_what_to_do() {
    let sandbox = Sandbox::empty();
    store_a_run(&sandbox, &sandbox.db());
    // A good header over damaged pages: it opens, and fails as it is read or written.
    let mut bytes = std::fs::read(sandbox.db()).unwrap();
    bytes[4096..].fill(0xff);
    std::fs::write(sandbox.db(), bytes).unwrap();
    let db = sandbox.db().to_string_lossy().into_owned();
    for args in [
        &["report", "latest"][..],
        &["exec", "--runs", "2", "--", "true"][..],
    ] {
        let output = sandbox.versus(args).output().unwrap();
        assert_usage_error(&output, "the file is damaged");
        let err = stderr(&output);
        assert!(
            err.contains(&db) && err.contains(&format!("mv {db}")),
            "{err}"
        );
    }
}

/// A full disk, for real: a 512 KiB tmpfs in a mount namespace of its own, which needs root
/// (or a user namespace); where it cannot be had, the test says so and passes, and the unit
/// tests' `max_page_count` (`src/store/write.rs`, `src/commands/session.rs`) stand in.
#[test]
fn a_disk_that_fills_mid_run_fails_the_run_and_says_so() {
    let sandbox = Sandbox::empty();
    store_a_run(&sandbox, &sandbox.db());
    let versus = env!("CARGO_BIN_EXE_versus");
    let mount = sandbox.path().join("full");
    std::fs::create_dir(&mount).unwrap();
    // Leave 56 KiB: room for the run's record and SQLite's index, not for 1000 timed runs.
    let script = r#"
        set -e
        mount -t tmpfs -o size=512k tmpfs "$1"
        echo mounted >&2
        cp "$2" "$1/versus.db"
        free=$(( $(stat -f -c %a "$1") * 4096 - 56 * 1024 ))
        head -c "$free" /dev/zero > "$1/filler" || true
        set +e
        "$3" --db "$1/versus.db" exec --runs 1000 -- true > /dev/null
        echo "exit $?" >&2
        rm "$1/filler"
        "$3" --db "$1/versus.db" report latest --format json
    "#;
    let output = Command::new("unshare")
        .args(["--mount", "sh", "-c", script, "sh"])
        .arg(&mount)
        .arg(sandbox.db())
        .arg(versus)
        .env("XDG_CACHE_HOME", util::shared_cache())
        .output();
    let output = match output {
        Ok(output) if stderr(&output).starts_with("mounted") => output,
        _ => {
            eprintln!("skipped: no tmpfs can be mounted here (needs root)");
            return;
        }
    };
    let err = stderr(&output);
    assert!(err.contains("exit 2"), "{err}");
    assert!(err.contains("the disk is full"), "{err}");
    assert!(err.contains("hint: free space on the disk"), "{err}");
    assert!(err.contains("is marked failed"), "{err}");
    assert_eq!(json(&output)["run"]["status"], "failed", "{err}");
}
