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
    assert_eq!(advice["schema_version"], 1, "advise's JSON is versioned");
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

#[test]
fn article_quotes_the_article_with_the_stored_runs_numbers_in_every_format() {
    let sandbox = Sandbox::with_fixture("faults");
    let run = sandbox
        .versus(&["run", "good", "--lang", "python,go"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let article = |args: &[&str]| {
        let mut all = vec!["article"];
        all.extend(args);
        let output = sandbox.versus(&all).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        stdout(&output)
    };
    let markdown = article(&[]);
    let headings = [
        "## The short answer",
        "## The core difference",
        "## The comparison",
        "## Which should you choose?",
        "## What to skip",
        "## FAQ",
        "### Is Go faster than Python?",
        "### Can I use Python and Go together?",
    ];
    let mut from = 0;
    for heading in headings {
        let at = markdown[from..]
            .find(heading)
            .unwrap_or_else(|| panic!("{heading} missing or out of the article's order"));
        from += at;
    }
    assert!(
        markdown.contains("> Yes, Go is generally much faster at runtime"),
        "the article's answer is quoted"
    );
    assert!(
        markdown.contains("Go's time"),
        "the run's runtime-speed figure"
    );
    let page: serde_json::Value =
        serde_json::from_str(&article(&["latest", "--format", "json"])).expect("the JSON parses");
    assert_eq!(page["schema_version"], 1, "the article's JSON is versioned");
    assert_eq!(page["run_id"], 1);
    let text = article(&["1", "--format", "text", "--width", "80"]);
    assert!(text.contains("Which should you choose?"));
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    for (run, wanted) in [("7", "no run `7`"), ("newest", "`newest` is not a run id")] {
        let bad = sandbox.versus(&["article", run]).output().unwrap();
        util::assert_usage_error(&bad, wanted);
    }
}

#[test]
fn bash_completes_subcommands_and_flags_from_the_script_versus_prints() {
    let sandbox = Sandbox::empty();
    let output = sandbox.versus(&["completions", "bash"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let script = sandbox.path().join("versus.bash");
    std::fs::write(&script, &output.stdout).unwrap();
    // Loaded into bash and asked, as bash asks when Tab is pressed.
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let probe = format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={}; _versus versus '{}' '{}'; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let out = std::process::Command::new("bash")
            .args(["--norc", "-c", &probe])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let subcommands = complete("versus rep");
    assert_eq!(
        subcommands.lines().collect::<Vec<_>>(),
        ["report"],
        "{subcommands}"
    );
    let flags = complete("versus run --memory");
    assert!(flags.lines().any(|f| f == "--memory-limit"), "{flags}");
}

#[test]
fn every_shell_gets_a_completion_script_and_the_manual_names_every_subcommand() {
    let sandbox = Sandbox::empty();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = sandbox.versus(&["completions", shell]).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shell}: {}",
            stderr(&output)
        );
        let script = stdout(&output);
        assert!(
            script.contains("memory-limit") && script.contains("report"),
            "{shell}"
        );
    }
    let bad = sandbox.versus(&["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let output = sandbox.versus(&["man"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = stdout(&output);
    assert!(page.contains(".TH versus 1"), "{page}");
    assert!(page.contains("memory\\-limit"), "{page}");
    for name in [
        "run",
        "exec",
        "report",
        "compare",
        "advise",
        "article",
        "load",
        "completions",
    ] {
        assert!(
            page.contains(&format!("versus\\-{name}(1)")),
            "{name}: {page}"
        );
        let sub = sandbox.versus(&["man", name]).output().unwrap();
        assert_eq!(sub.status.code(), Some(0), "{name}: {}", stderr(&sub));
        assert!(
            stdout(&sub).contains(&format!(".TH versus-{name} 1")),
            "{name}"
        );
    }
    let run = stdout(&sandbox.versus(&["man", "run"]).output().unwrap());
    assert!(run.contains("\\-\\-profile"), "{run}");
    let unknown = sandbox.versus(&["man", "rnu"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("no subcommand `rnu`"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_with_the_exit_code_of_the_run() {
    let sandbox = Sandbox::empty();
    for (command, code) in [("true", 0), ("false", 3)] {
        let mut child = sandbox
            .versus(&["exec", "--runs", "2", "--", command])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader is gone before versus writes its table (`versus exec … | head -0`).
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(code), "{command}: {err}");
        assert!(!err.to_lowercase().contains("broken pipe"), "{err}");
    }
}

/// Reads a hyperfine export as hyperfine's own scripts do (`scripts/advanced_statistics.py`,
/// `plot_whisker.py`: `results[]`, each with `command`, `times` and the summary fields).
const READ_AS_HYPERFINE: &str = r#"
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
for b in results:
    t = b["times"]
    assert abs(statistics.mean(t) - b["mean"]) < 1e-9, b
    assert abs(statistics.median(t) - b["median"]) < 1e-9, b
    assert abs(statistics.stdev(t) - b["stddev"]) < 1e-9, b
    assert min(t) == b["min"] and max(t) == b["max"], b
    assert len(b["exit_codes"]) == len(t) and b["user"] >= 0 and b["system"] >= 0, b
    print(b["command"], len(t))
"#;

#[test]
fn exec_exports_hyperfines_json_and_report_writes_the_same() {
    let sandbox = Sandbox::empty();
    let file = sandbox.path().join("hyperfine.json");
    let output = sandbox
        .versus(&["exec", "--runs", "4", "--export-json"])
        .arg(&file)
        .args(["--", "true", "--vs", "sh", "-c", "true"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let read = std::process::Command::new("python3")
        .args(["-c", READ_AS_HYPERFINE])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&read.stdout),
        "true 4\nsh -c true 4\n"
    );
    let report = sandbox
        .versus(&["report", "latest", "--format", "hyperfine"])
        .output()
        .unwrap();
    assert_eq!(report.stdout, std::fs::read(&file).unwrap());
    // A file that cannot be written is a usage error before anything runs.
    let bad = sandbox
        .versus(&[
            "exec",
            "--runs",
            "1",
            "--export-json",
            "/nonexistent/h.json",
            "--",
            "true",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("--export-json /nonexistent/h.json"),
        "{}",
        stderr(&bad)
    );
}

// --- Bencher Metric Format, formats per subcommand, -o ---

#[test]
fn report_writes_bencher_metric_format_with_the_medians_and_their_intervals() {
    let sandbox = Sandbox::empty();
    let output = sandbox
        .versus(&[
            "exec", "--runs", "5", "--", "true", "--vs", "sh", "-c", "true",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let bmf = json(
        &sandbox
            .versus(&["report", "latest", "--format", "bencher"])
            .output()
            .unwrap(),
    );
    let report = json(
        &sandbox
            .versus(&["report", "latest", "--format", "json"])
            .output()
            .unwrap(),
    );
    let benchmarks = bmf.as_object().expect("BMF is an object of benchmarks");
    assert_eq!(
        benchmarks.keys().collect::<Vec<_>>(),
        ["sh -c true", "true"],
        "one benchmark per command"
    );
    for case in report["cases"].as_array().unwrap() {
        let name = case["workload"].as_str().unwrap();
        let measures = &bmf[name];
        for (measure, summary) in [("latency", "wall_s"), ("cpu-time", "cpu_s")] {
            let metric = &measures[measure];
            let ns = |field: &str| case[summary][field].as_f64().unwrap() * 1e9;
            let value = metric["value"].as_f64().expect("a value");
            assert!((value - ns("median")).abs() < 1e-3, "{name} {measure}");
            assert!((metric["lower_value"].as_f64().unwrap() - ns("ci_low")).abs() < 1e-3);
            assert!((metric["upper_value"].as_f64().unwrap() - ns("ci_high")).abs() < 1e-3);
        }
        assert_eq!(
            measures["peak-memory"]["value"].as_f64(),
            case["tree_peak_bytes"].as_f64(),
            "{name}"
        );
        assert!(measures["peak-memory"].get("lower_value").is_none());
    }
}

#[test]
fn each_subcommand_offers_only_the_formats_it_writes() {
    let sandbox = Sandbox::empty();
    let help = |sub: &str| stdout(&sandbox.versus(&[sub, "--help"]).output().unwrap());
    let advise = help("advise");
    assert!(
        advise.contains("[possible values: table, json]"),
        "{advise}"
    );
    let compare = help("compare");
    assert!(
        compare.contains("[possible values: table, markdown, json, csv]"),
        "{compare}"
    );
    assert!(compare.contains("-o, --output"), "{compare}");
    let report = help("report");
    assert!(
        report.contains("bencher") && report.contains("html"),
        "{report}"
    );
    for (sub, format) in [
        ("advise", "html"),
        ("compare", "html"),
        ("compare", "hyperfine"),
    ] {
        let mut args = vec![sub, "--format", format];
        if sub == "compare" {
            args.extend(["1", "2"]);
        }
        let refused = sandbox.versus(&args).output().unwrap();
        assert_eq!(refused.status.code(), Some(2), "{sub} --format {format}");
        assert!(
            stderr(&refused).contains(&format!("invalid value '{format}'")),
            "{}",
            stderr(&refused)
        );
    }
}

#[test]
fn compare_and_advise_write_to_the_file_of_output() {
    let sandbox = Sandbox::empty();
    for _ in 0..2 {
        let run = sandbox
            .versus(&["exec", "--runs", "3", "--", "true"])
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    }
    let file = sandbox.path().join("compare.json");
    let compare = sandbox
        .versus(&["compare", "1", "2", "--format", "json", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(compare.status.code(), Some(0), "{}", stderr(&compare));
    assert!(compare.stdout.is_empty());
    assert!(stderr(&compare).contains("wrote"), "{}", stderr(&compare));
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(written["run_a"], 1);
    let file = sandbox.path().join("advice.json");
    let advise = sandbox
        .versus(&["advise", "--goal", "backend", "--format", "json", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(advise.status.code(), Some(0), "{}", stderr(&advise));
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(written["schema_version"], 1);
    let bad = sandbox
        .versus(&["compare", "1", "2", "-o", "/nonexistent/c.txt"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("--output /nonexistent/c.txt"),
        "{}",
        stderr(&bad)
    );
}

// --- The built-in suite, terminal width ---

/// A copy of the binary, run from a folder with no `workloads/` and an empty cache, as an
/// installed versus away from its clone is: it unpacks the suite built into it and runs it.
#[test]
fn a_binary_away_from_its_source_tree_runs_its_built_in_suite() {
    let sandbox = Sandbox::empty();
    let binary = sandbox.path().join("versus");
    std::fs::copy(env!("CARGO_BIN_EXE_versus"), &binary).unwrap();
    let cache = sandbox.path().join("cache");
    let versus = |args: &[&str]| {
        std::process::Command::new(&binary)
            .current_dir(sandbox.path())
            .env("XDG_CACHE_HOME", &cache)
            .env("XDG_DATA_HOME", sandbox.path().join("data"))
            .env_remove("VERSUS_WORKLOADS")
            .args(args)
            .output()
            .unwrap()
    };
    let doctor = versus(&["doctor"]);
    let text = stdout(&doctor);
    assert!(
        text.contains("workloads:    built in (") && text.contains("to be unpacked into"),
        "{text}{}",
        stderr(&doctor)
    );
    let list = versus(&["list", "--width", "0"]);
    assert!(list.status.success(), "{}", stderr(&list));
    let text = stdout(&list);
    assert!(text.contains("cpu/nbody"), "{text}");
    let unpacked = cache.join("versus").join("workloads");
    let folders: Vec<_> = std::fs::read_dir(&unpacked).unwrap().flatten().collect();
    assert_eq!(folders.len(), 1, "one folder, named by the suite's hash");
    let dir = folders[0].path();
    assert!(dir.join("cpu/nbody/workload.toml").is_file());
    assert!(text.contains(&dir.display().to_string()), "{text}");
    assert!(stdout(&versus(&["doctor"])).contains("unpacked in"));
    // The real run of one workload, from what was unpacked.
    let run = versus(&[
        "run",
        "startup/hello",
        "--profile",
        "quick",
        "--format",
        "json",
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stdout(&run).contains("\"verdict\": \"ok\""),
        "{}",
        stdout(&run)
    );
}

#[test]
fn width_bounds_the_terminal_report_and_zero_lifts_the_bound() {
    let sandbox = Sandbox::with_fixture("faults");
    let run = sandbox
        .versus(&["run", "good", "--lang", "python,go"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let report = |width: &str| {
        let out = sandbox
            .versus(&["report", "--width", width])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let widest = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let unbounded = report("0");
    assert!(widest(&unbounded) > 60, "{unbounded}");
    let narrow = report("60");
    assert!(widest(&narrow) <= 60, "{narrow}");
    // Nothing is cut: every word of the unbounded report is in the narrow one (a word too long
    // for its column, a URL, is broken where the line ends: its start is there).
    let words = |text: &str| {
        let mut words: Vec<String> = text
            .split_whitespace()
            .filter(|w| !w.chars().all(|c| c == '─'))
            .map(String::from)
            .collect();
        words.sort();
        words
    };
    let (wide_words, narrow_words) = (words(&unbounded), words(&narrow));
    for word in &wide_words {
        let start: String = word.chars().take(16).collect();
        assert!(
            narrow_words.contains(word) || narrow.contains(start.as_str()),
            "`{word}` is missing at 60 columns:\n{narrow}"
        );
    }
}

// --- Results from many machines: export, import, load --db, report --from ---

#[test]
fn an_exported_run_imported_elsewhere_reports_the_same_with_its_origin() {
    let sandbox = Sandbox::empty();
    let run = sandbox
        .versus(&[
            "exec", "--runs", "3", "--", "true", "--vs", "sh", "-c", "true",
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let file = sandbox.path().join("run.json");
    let export = sandbox
        .versus(&["export", "latest", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    let exported: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(exported["schema_version"], 1);

    // Into another database that already holds a run, so that the imported one is renumbered.
    let there = sandbox.path().join("there.db");
    let first = sandbox
        .versus_with_db(&there, &["exec", "--runs", "2", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let import = sandbox
        .versus_with_db(&there, &["import"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(import.status.code(), Some(0), "{}", stderr(&import));
    assert!(stderr(&import).contains("as run 2"), "{}", stderr(&import));

    let report = |db: &std::path::Path, run: &str| {
        let out = sandbox
            .versus_with_db(db, &["report", run, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        json(&out)
    };
    let original = report(&sandbox.db(), "1");
    let mut imported = report(&there, "2");
    assert_eq!(imported["run"]["imported_from"]["run_id"], 1);
    imported["run_id"] = original["run_id"].clone();
    imported["run"]
        .as_object_mut()
        .unwrap()
        .remove("imported_from");
    assert_eq!(imported, original);

    // A file that is not an export is refused, naming it.
    let broken = sandbox.path().join("broken.json");
    std::fs::write(&broken, "{\"schema_version\": 99, \"run\": {}}").unwrap();
    let refused = sandbox
        .versus_with_db(&there, &["import"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("broken.json"),
        "{}",
        stderr(&refused)
    );
    assert!(
        stderr(&refused).contains("newer versus"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn runs_of_several_databases_are_reported_side_by_side_each_with_its_machine() {
    let sandbox = Sandbox::empty();
    let other = sandbox.path().join("other.db");
    for db in [sandbox.db(), other.clone()] {
        let run = sandbox
            .versus_with_db(
                &db,
                &[
                    "exec", "--runs", "3", "--", "true", "--vs", "sh", "-c", "true",
                ],
            )
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    }
    let a = sandbox.db().display().to_string();
    let b = format!("{}@1", other.display());
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let shown = sandbox
        .versus(&["report", "--from", &a, "--from", &b, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));
    let report = json(&shown);
    assert!(report["schema_version"].is_number());
    let machines = report["machines"].as_array().unwrap();
    assert_eq!(machines.len(), 2);
    assert_eq!(machines[0]["name"], "A");
    assert_eq!(machines[1]["database"], other.display().to_string());
    assert_eq!(machines[1]["run_id"], 1);
    let fingerprint = machines[0]["fingerprint"].as_str().unwrap();
    assert!(fingerprint.starts_with(hostname.trim()), "{fingerprint}");
    assert!(fingerprint.contains(" cores · "), "{fingerprint}");
    // Each run's own ratio, once per machine.
    let ratios = report["ratios"].as_array().unwrap();
    assert_eq!(ratios.len(), 1, "{report}");
    assert_eq!(ratios[0]["contender"], "sh -c true");
    for cell in ratios[0]["cells"].as_array().unwrap() {
        assert!(cell["ratio"].as_f64().unwrap() > 0.0, "{cell}");
    }
    // Each program on both machines, the second against the first.
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{report}");
    for row in rows {
        let cells = row["cells"].as_array().unwrap();
        assert!(cells[0]["against_first"].is_null(), "{row}");
        let against = &cells[1]["against_first"];
        let (median_a, median_b) = (
            cells[0]["median"].as_f64().unwrap(),
            cells[1]["median"].as_f64().unwrap(),
        );
        let ratio = against["ratio"].as_f64().unwrap();
        assert!((ratio - median_b / median_a).abs() < 1e-9 * ratio, "{row}");
        assert!(against["ci_low"].as_f64().unwrap() <= ratio, "{row}");
    }

    // The terminal report heads each column with its machine.
    let table = sandbox
        .versus(&["report", "--from", &a, "--from", &b, "--width", "100"])
        .output()
        .unwrap();
    let text = stdout(&table);
    assert!(
        text.contains(&format!("A: run 1 of {a} — {}", hostname.trim())),
        "{text}"
    );
    assert!(text.contains("B ÷ A"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");

    // `compare` across the two databases names both machines too.
    let compared = sandbox
        .versus(&["compare", "1", "1", "--db-b"])
        .arg(&other)
        .output()
        .unwrap();
    let text = stdout(&compared);
    assert!(
        text.contains(&format!(
            "B: run 1 of {} on {}",
            other.display(),
            hostname.trim()
        )),
        "{text}"
    );

    // What it cannot do is a usage error that says what to do instead.
    for (args, wanted) in [
        (vec!["report", "--from", &a], "two runs or more"),
        (
            vec!["report", "--from", &a, "--from", &b, "--format", "html"],
            "not --format html",
        ),
        (
            vec!["report", "--from", &a, "--from", "/nonexistent/x.db"],
            "/nonexistent/x.db",
        ),
        (
            vec!["report", "--from", &a, "--from", &a, "1"],
            "cannot be used with",
        ),
    ] {
        let refused = sandbox.versus(&args).output().unwrap();
        assert_eq!(
            refused.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&refused)
        );
        assert!(
            stderr(&refused).contains(wanted),
            "{args:?}: {}",
            stderr(&refused)
        );
    }
}
