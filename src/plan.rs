//! The plan: which cases run, grouped so that the cases compared with each other (the languages
//! of one workload at one size) are interleaved round by round.

use std::ffi::OsString;
use std::sync::Arc;
use std::time::Duration;

use crate::artifact::{Builder, Prepared};
use crate::case::{CaseKind, CaseSpec};
use crate::digest::Digest;
use crate::measure::RunSpec;
use crate::suite::{SizeName, Variant, Workload};
use crate::toolchain::Toolchain;
use crate::verify::Expected;

const FLOOR_TIMEOUT: Duration = Duration::from_secs(30);

/// Cases measured together, interleaved. `baseline` is the case the others are compared with.
#[derive(Clone, Debug)]
pub struct Group {
    pub label: String,
    pub cases: Vec<CaseSpec>,
    pub baseline: Option<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub groups: Vec<Group>,
}

impl Plan {
    pub fn case_count(&self) -> usize {
        self.groups.iter().map(|g| g.cases.len()).sum()
    }
}

/// Plans the startup floor of every toolchain, then each workload at `size` on every toolchain
/// of its implementations' languages. `building` is told what is being built (it can be slow).
pub fn plan_suite(
    workloads: &[Arc<Workload>],
    size: SizeName,
    toolchains: &[Toolchain],
    builder: &Builder,
    building: &mut dyn FnMut(&str),
) -> anyhow::Result<Plan> {
    let mut plan = Plan::default();
    let floor_cases = toolchains
        .iter()
        .map(|toolchain| {
            building(&format!("empty program for {}", toolchain.label()));
            let prepared = builder.prepare_empty(toolchain)?;
            Ok(floor_case(toolchain, prepared))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if !floor_cases.is_empty() {
        plan.groups.push(group("startup floor".into(), floor_cases));
    }
    for workload in workloads {
        let (size_name, size) = workload.size(size);
        let mut cases = Vec::new();
        for implementation in &workload.implementations {
            for toolchain in toolchains
                .iter()
                .filter(|t| t.language == implementation.language)
            {
                building(&format!("{} for {}", workload.id(), toolchain.label()));
                let prepared = builder.prepare(&implementation.source, toolchain)?;
                let run = prepared.as_ref().map_err(|f| f.0.clone()).map(|p| {
                    let mut args = p.leading_args.clone();
                    args.extend(size.args.iter().map(OsString::from));
                    let mut spec = RunSpec::new(&p.program, args, size.timeout);
                    spec.cwd = Some(workload.dir.clone());
                    spec.stdin = size.stdin.clone();
                    spec.capture_limit = size.expected.capture_limit();
                    spec
                });
                let ok = prepared.as_ref().ok();
                cases.push(CaseSpec {
                    kind: CaseKind::Workload,
                    workload: workload.id(),
                    claim: Some(workload.claim),
                    language: Some(toolchain.language),
                    toolchain: Some(toolchain.clone()),
                    variant: Some(implementation.variant),
                    size: Some(size_name),
                    run,
                    expected: size.expected.clone(),
                    artifact_bytes: ok.map(|p| p.artifact_bytes),
                    build: ok.and_then(|p| p.build),
                });
            }
        }
        if !cases.is_empty() {
            plan.groups
                .push(group(format!("{} ({size_name})", workload.id()), cases));
        }
    }
    Ok(plan)
}

fn floor_case(
    toolchain: &Toolchain,
    prepared: Result<Prepared, crate::artifact::BuildFailure>,
) -> CaseSpec {
    let ok = prepared.as_ref().ok();
    CaseSpec {
        kind: CaseKind::Floor,
        workload: "startup floor".into(),
        claim: None,
        language: Some(toolchain.language),
        toolchain: Some(toolchain.clone()),
        variant: None,
        size: None,
        run: prepared
            .as_ref()
            .map_err(|f| f.0.clone())
            .map(|p| RunSpec::new(&p.program, p.leading_args.clone(), FLOOR_TIMEOUT)),
        expected: Expected::Exact {
            sha256: Digest::of(b""),
            bytes: Some(Arc::new(Vec::new())),
        },
        artifact_bytes: ok.map(|p| p.artifact_bytes),
        build: ok.and_then(|p| p.build),
    }
}

/// Plans `versus exec`: one group of one or two commands; the first is the baseline.
pub fn plan_commands(commands: &[Vec<OsString>], timeout: Duration) -> Plan {
    let cases = commands
        .iter()
        .map(|argv| {
            let text = argv
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" ");
            CaseSpec {
                kind: CaseKind::Command,
                workload: text,
                claim: None,
                language: None,
                toolchain: None,
                variant: None,
                size: None,
                run: Ok(RunSpec::new(&argv[0], argv[1..].to_vec(), timeout)),
                expected: Expected::Anything,
                artifact_bytes: None,
                build: None,
            }
        })
        .collect();
    let mut group = group("commands".into(), cases);
    group.baseline = Some(0);
    Plan {
        groups: vec![group],
    }
}

/// The baseline is the idiomatic program of the baseline language (Go): ratios then read as
/// "Python takes N× Go's time". Without one, the group's first case.
fn group(label: String, cases: Vec<CaseSpec>) -> Group {
    let baseline = cases
        .iter()
        .position(|c| {
            c.language.is_some_and(|l| l.is_baseline())
                && c.variant.is_none_or(|v| v == Variant::Idiomatic)
        })
        .or(if cases.len() > 1 { Some(0) } else { None });
    Group {
        label,
        cases,
        baseline,
    }
}
