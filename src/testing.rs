//! Fixtures shared by unit tests: toolchains and plans that need no real interpreter.

use std::path::PathBuf;
use std::time::Duration;

use crate::case::Group;
use crate::case::{CaseKind, CaseSpec};
use crate::digest::Digest;
use crate::language::Language;
use crate::machine::Environment;
use crate::measure::RunSpec;
use crate::suite::{Claim, SizeName, Variant};
use crate::toolchain::Toolchain;
use crate::verify::Expected;

pub fn toolchain(language: Language) -> Toolchain {
    let (id, implementation, version, exe) = match language {
        Language::Go => ("go-1.26.8", "go", "1.26.8", "/usr/local/go/bin/go"),
        Language::Python => ("cpython-3.11.7", "cpython", "3.11.7", "/usr/bin/python3.11"),
    };
    Toolchain {
        id: id.into(),
        language,
        implementation: implementation.into(),
        version: version.into(),
        executable: PathBuf::from(exe),
        real_executable: PathBuf::from(exe),
        found_as: PathBuf::from(exe),
        found_by: format!("PATH: {}", language.name()),
        shim: None,
        selected: true,
        runtime_bytes: Some(0),
        runtime_breakdown: None,
        details: Default::default(),
    }
}

/// A workload case whose program is `program` (the scripted executor's key).
pub fn case(workload: &str, language: Language, program: &str, expected_stdout: &[u8]) -> CaseSpec {
    CaseSpec {
        kind: CaseKind::Workload,
        workload: workload.into(),
        claim: Some(Claim::RuntimeSpeed),
        language: Some(language),
        toolchain: Some(toolchain(language)),
        variant: Some(Variant::Idiomatic),
        label: None,
        backed_by: None,
        size: Some(SizeName::Default),
        metric: crate::suite::Metric::Wall,
        point: None,
        work: None,
        run: Ok(RunSpec::new(program, Vec::new(), Duration::from_secs(10))),
        expected: Expected::Exact {
            sha256: Digest::of(expected_stdout),
            bytes: None,
        },
        artifact_bytes: Some(1000),
        build: None,
        packages: None,
        code_size: None,
        steady_state: None,
        serve: None,
    }
}

pub fn group(label: &str, cases: Vec<CaseSpec>, baseline: Option<usize>) -> Group {
    Group {
        label: label.into(),
        cases,
        baselines: baseline.into_iter().collect(),
        runs: None,
        warmup: None,
    }
}

pub fn environment() -> Environment {
    Environment {
        cpu_model: "Test CPU".into(),
        cores: 2,
        memory_bytes: 24 << 30,
        kernel: "6.0.0".into(),
        os: "Test OS".into(),
        hostname: "test".into(),
        versus_version: "0.0.0".into(),
        workloads_hash: "0".repeat(64),
        tree_memory_method: "cgroup-v1".into(),
        removed_env: Some(Vec::new()),
        memory_limit_bytes: None,
    }
}

/// What `versus run` (quick, default size) stores about itself, on the test environment.
pub fn run_meta() -> crate::store::RunMeta {
    crate::store::RunMeta {
        command: "run".into(),
        profile: "quick".into(),
        size: Some("default".into()),
        arguments: vec!["versus".into(), "run".into()],
        environment: environment(),
    }
}

/// A case of `backend/json` serving on `toolchain`, loaded at `rate`.
pub fn backend_case(toolchain: Toolchain, rate: crate::case::Rate) -> CaseSpec {
    let mut case = self::case("backend/json", toolchain.language, "server", b"");
    case.claim = Some(Claim::Backend);
    case.expected = Expected::Anything;
    case.serve = Some(crate::case::Serve {
        method: "GET".into(),
        path: "/json".into(),
        body: Vec::new().into(),
        expected_body: b"{}".to_vec().into(),
        ready_path: "/json".into(),
        ready_timeout: Duration::from_secs(5),
        connections: 4,
        duration: Duration::from_secs(1),
        warmup: Duration::ZERO,
        rate,
    });
    case.toolchain = Some(toolchain);
    case
}

/// A toolchain by its implementation: `go`, `cpython` or `pypy` (a JIT).
pub fn toolchain_named(implementation: &str) -> Toolchain {
    match implementation {
        "go" => toolchain(Language::Go),
        "cpython" => toolchain(Language::Python),
        _ => {
            let mut pypy = toolchain(Language::Python);
            pypy.id = "pypy-3.9.16".into();
            pypy.implementation = "pypy".into();
            pypy
        }
    }
}
