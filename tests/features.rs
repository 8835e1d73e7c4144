//! End-to-end: generated inputs, Python packages in a managed venv (installed, or missing), and
//! Python calling a Go library built with -buildmode=c-shared.

mod util;

use util::{Sandbox, cases, json, stderr};

#[test]
fn inputs_packages_and_go_libraries() {
    let sandbox = Sandbox::with_fixture("features");
    let output = sandbox
        .versus(&["--python", "python3", "run", "all", "--format", "json"])
        .output()
        .unwrap();
    // missing-package cannot be installed: that case is skipped with its reason, everything
    // else runs, and a missing dependency is not a failed program (exit code 0).
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let verdict = |name: &str, language: &str| {
        let found = cases(&report, name, language);
        assert_eq!(found.len(), 1, "{name} {language}");
        found[0].clone()
    };
    for name in ["generated", "needs-package", "calls-go", "missing-package"] {
        assert_eq!(verdict(name, "go")["verdict"], "ok", "{name}");
    }
    for name in ["generated", "needs-package", "calls-go"] {
        let case = verdict(name, "python");
        assert_eq!(case["verdict"], "ok", "{name}: {}", case["detail"]);
    }
    let missing = verdict("missing-package", "python");
    assert_eq!(missing["verdict"], "missing-dependency");
    assert!(
        missing["detail"]
            .as_str()
            .unwrap()
            .contains("versus-no-such-package-anywhere"),
        "{}",
        missing["detail"]
    );
    assert_eq!(verdict("calls-go", "python")["label"], "ctypes+go");
    // The generated input is cached under the build cache, named by its digest.
    let inputs = util::shared_cache().join("versus/inputs");
    assert!(std::fs::read_dir(&inputs).unwrap().count() >= 1);
}
