//! End-to-end: the conditions every program runs under. The variables of versus's own
//! environment that change how a runtime behaves never reach a program unless its manifest or
//! `--env` sets them, what a program ran with is stored with its case, and a pure Python
//! program runs from a clean venv that sees none of the interpreter's site-packages.

mod util;

use serde_json::Value;
use util::{Sandbox, cases, json, stderr};

fn run(sandbox: &Sandbox, extra_env: &[(&str, &str)], args: &[&str]) -> Value {
    let mut all = vec!["--python", "python3", "run", "all", "--format", "json"];
    all.extend(args);
    let mut command = sandbox.versus(&all);
    for name in ["PYTHONUNBUFFERED", "GOGC", "OMP_NUM_THREADS"] {
        command.env_remove(name);
    }
    command.envs(extra_env.iter().copied());
    let output = command.output().unwrap();
    let report = json(&output);
    assert!(
        output.status.code().is_some(),
        "versus was killed: {}",
        stderr(&output)
    );
    report
}

/// (verdict, env, packages) of the one case of `workload` in `language`.
fn case(report: &Value, workload: &str, language: &str) -> (String, Value, Value) {
    let found = cases(report, workload, language);
    assert_eq!(found.len(), 1, "{workload} on {language}");
    let case = found[0];
    (
        case["verdict"].as_str().unwrap().to_string(),
        case["env"].clone(),
        case["packages"].clone(),
    )
}

#[test]
fn a_shells_runtime_switches_do_not_reach_the_programs_and_what_they_ran_with_is_stored() {
    let sandbox = Sandbox::with_fixture("conditions");
    let clean = run(&sandbox, &[], &[]);
    let noisy = run(
        &sandbox,
        &[
            ("PYTHONUNBUFFERED", "1"),
            ("GOGC", "10"),
            ("OMP_NUM_THREADS", "1"),
        ],
        &[],
    );
    for language in ["python", "go"] {
        let a = case(&clean, "environment", language);
        let b = case(&noisy, "environment", language);
        // The program printed what it saw; the check passes only if PYTHONUNBUFFERED and
        // OMP_NUM_THREADS were removed and GOGC is the manifest's.
        assert_eq!(a.0, "ok", "{language} without the variables");
        assert_eq!(b.0, "ok", "{language} with them in versus's environment");
        assert_eq!(a.1, serde_json::json!([["GOGC", "200"]]), "{language}");
        assert_eq!(
            a.1, b.1,
            "{language}: the stored environment depends on the shell"
        );
    }
    // What was removed is recorded with the run (the machine's own shell may export others,
    // such as PYTHONDONTWRITEBYTECODE).
    let removed = |report: &Value| -> Vec<String> {
        report["environment"]["removed_env"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                format!(
                    "{}={}",
                    pair[0].as_str().unwrap(),
                    pair[1].as_str().unwrap()
                )
            })
            .collect()
    };
    for set in ["GOGC=10", "OMP_NUM_THREADS=1", "PYTHONUNBUFFERED=1"] {
        assert!(
            removed(&noisy).iter().any(|r| r == set),
            "{set} not in {:?}",
            removed(&noisy)
        );
        assert!(!removed(&clean).iter().any(|r| r == set), "{set}");
    }

    // --env wins over the manifest: the program sees it, so its check fails, and the case says
    // what it ran with.
    let given = run(&sandbox, &[], &["--env", "GOGC=300"]);
    let (verdict, env, _) = case(&given, "environment", "go");
    assert_eq!(verdict, "wrong-output");
    assert_eq!(env, serde_json::json!([["GOGC", "300"]]));
}

#[test]
fn a_pure_python_program_runs_from_a_clean_venv() {
    let sandbox = Sandbox::with_fixture("conditions");
    let report = run(&sandbox, &[], &[]);
    let (verdict, _, packages) = case(&report, "site-packages", "python");
    assert_eq!(
        verdict, "ok",
        "the program saw the interpreter's site-packages"
    );
    assert_eq!(packages, "clean-venv");
    // The start-up floor's empty program runs from the same clean venv.
    let floor: Vec<&Value> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "floor" && c["language"] == "python")
        .collect();
    assert!(!floor.is_empty());
    for case in floor {
        assert_eq!(case["packages"], "clean-venv");
        let program = case["command"][0].as_str().unwrap();
        assert!(program.contains("/venvs/"), "{program}");
    }
}
