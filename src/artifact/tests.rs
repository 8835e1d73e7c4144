use std::path::PathBuf;

use super::*;
use crate::toolchain::{Discovery, Request};

fn go() -> Option<Toolchain> {
    Discovery::run(&Request::default())
        .expect("nothing was named")
        .toolchains
        .into_iter()
        .find(|t| t.language == Language::Go)
}

/// Go, a hello-world `main.go` and a builder with an empty cache (the folders live as long as
/// the returned guard).
fn hello() -> (Toolchain, [tempfile::TempDir; 2], PathBuf, Builder) {
    let Some(go) = go() else {
        panic!("these tests need Go on PATH (see README.md)");
    };
    let cache = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let source = src.path().join("main.go");
    std::fs::write(&source, "package main\n\nfunc main() { println(\"hi\") }\n").unwrap();
    let builder = Builder::new(cache.path().to_path_buf());
    (go, [cache, src], source, builder)
}

#[test]
fn go_programs_are_built_once_and_cached() {
    let (go, _dirs, source, builder) = hello();
    let first = builder.prepare(&source, &go).unwrap().unwrap();
    let build = first.build.unwrap();
    assert!(!build.cached);
    assert!(build.seconds > 0.0);
    assert!(first.artifact_bytes > 100_000, "a Go binary is not tiny");
    let second = builder.prepare(&source, &go).unwrap().unwrap();
    assert_eq!(second.program, first.program);
    assert_eq!(
        second.build.unwrap(),
        Build {
            cached: true,
            ..build
        }
    );
    // A changed source is a new build.
    std::fs::write(&source, "package main\n\nfunc main() { println(\"ho\") }\n").unwrap();
    let third = builder.prepare(&source, &go).unwrap().unwrap();
    assert_ne!(third.program, first.program);
    assert!(!third.build.unwrap().cached);
}

#[test]
fn a_build_failure_is_a_verdict_not_an_error() {
    let go = go().expect("these tests need Go on PATH");
    let cache = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let source = src.path().join("broken.go");
    std::fs::write(&source, "package main\n\nfunc main() { undefined() }\n").unwrap();
    let failure = Builder::new(cache.path().to_path_buf())
        .prepare(&source, &go)
        .unwrap()
        .unwrap_err();
    assert_eq!(failure.verdict, crate::case::CaseVerdict::BuildFailed);
    assert!(failure.detail.contains("undefined"), "{}", failure.detail);
}

#[test]
fn python_sources_run_as_they_are() {
    let python = Toolchain {
        id: "cpython-3.0.0".into(),
        language: Language::Python,
        implementation: "cpython".into(),
        version: "3.0.0".into(),
        executable: PathBuf::from("/usr/bin/python3"),
        real_executable: PathBuf::from("/usr/bin/python3"),
        found_as: PathBuf::from("/usr/bin/python3"),
        found_by: "test".into(),
        shim: None,
        selected: true,
        runtime_bytes: None,
        runtime_breakdown: None,
        details: Default::default(),
    };
    let src = tempfile::tempdir().unwrap();
    let source = src.path().join("prog.py");
    std::fs::write(&source, "print('hi')\n").unwrap();
    let prepared = Builder::new(src.path().join("cache"))
        .prepare(&source, &python)
        .unwrap()
        .unwrap();
    assert_eq!(prepared.program, python.executable);
    assert_eq!(prepared.leading_args, vec![source.as_os_str().to_owned()]);
    assert_eq!(prepared.artifact_bytes, 12);
    assert!(prepared.build.is_none());
}

#[test]
fn a_go_program_ships_stripped_and_runs_as_built() {
    let (go, _dirs, source, builder) = hello();
    let prepared = builder.prepare(&source, &go).unwrap().unwrap();
    // The timed program is the plain build; what a deployment ships is the stripped one.
    let program_bytes = std::fs::metadata(&prepared.program).unwrap().len();
    assert!(
        prepared.artifact_bytes < program_bytes,
        "deployed {} bytes, program {program_bytes}",
        prepared.artifact_bytes
    );
    let deployed = builder
        .go_build(&source, &go, GoOutput::Deployed)
        .unwrap()
        .unwrap();
    assert_eq!(deployed.bytes, prepared.artifact_bytes);
    assert_ne!(deployed.path, prepared.program);
}

#[test]
fn another_go_build_setting_is_another_build() {
    let Some(go) = go() else {
        panic!("these tests need Go on PATH (see README.md)");
    };
    let src = tempfile::tempdir().unwrap();
    let source = src.path().join("main.go");
    std::fs::write(&source, "package main\n\nfunc main() {}\n").unwrap();
    let plain = build_key(&source, &go, GoOutput::Executable).unwrap();
    let mut flagged = go.clone();
    flagged
        .details
        .insert("GOFLAGS".into(), "-tags=netgo".into());
    assert_ne!(
        build_key(&source, &flagged, GoOutput::Executable).unwrap(),
        plain
    );
    assert_ne!(build_key(&source, &go, GoOutput::Deployed).unwrap(), plain);
}
