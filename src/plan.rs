//! The plan: which cases run, grouped so that the cases compared with each other (the languages
//! of one workload at one size) are interleaved round by round.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::sync::Arc;
use std::time::Duration;

use crate::artifact::{Builder, GoOutput, Prepared};
use crate::case::{CaseKind, CaseSpec, CaseVerdict, Group, Packages, SteadyState, Unrunnable};
use crate::codesize;
use crate::digest::Digest;
use crate::error::UserError;
use crate::input::Inputs;
use crate::language::Language;
use crate::measure::RunSpec;
use crate::suite::{Implementation, Metric, Point, SizeName, Sweep, Variant, Workload};
use crate::toolchain::Toolchain;
use crate::venv::Venvs;
use crate::verify::Expected;

mod backend;

const FLOOR_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub groups: Vec<Group>,
}

impl Plan {
    pub fn case_count(&self) -> usize {
        self.groups.iter().map(|g| g.cases.len()).sum()
    }
}

/// What preparing cases needs: the build cache, the managed venvs, and every toolchain of the
/// run (a generator or a Go library may need another language than its case).
pub struct Preparer<'a> {
    pub builder: &'a Builder,
    pub venvs: &'a Venvs,
    pub toolchains: &'a [Toolchain],
    pub points: &'a Points,
    /// The base URL of versus's own server, for workloads with `server = true`.
    pub server_url: Option<&'a str>,
    /// `--env`: set for every measured program, over what its manifest sets.
    pub env: &'a [(String, String)],
}

/// Which points a sweep runs: the manifest's, unless the command line names others
/// (`--workers 1,2,4,8`); "up to twice the cores" counts this machine's cores.
#[derive(Clone, Debug, Default)]
pub struct Points {
    pub overrides: BTreeMap<String, Vec<u64>>,
    pub cores: usize,
}

impl Points {
    fn of(&self, sweep: Option<&Sweep>) -> Vec<Option<Point>> {
        let Some(sweep) = sweep else {
            return vec![None];
        };
        let mut values = match self.overrides.get(&sweep.name) {
            Some(values) => values.clone(),
            None => sweep.values.resolve(self.cores),
        };
        // In increasing order, so a program that reaches a limit is not tried beyond it.
        values.sort_unstable();
        values.dedup();
        values
            .into_iter()
            .map(|value| {
                Some(Point {
                    name: sweep.name.clone(),
                    value,
                })
            })
            .collect()
    }
}

/// The environment variable that holds versus's server's base URL.
pub const SERVER_URL_VAR: &str = "VERSUS_SERVER_URL";

/// A workload's program prepared for one toolchain: what every point (or load) of it runs.
type Program<'a> = (
    &'a Implementation,
    &'a Toolchain,
    Result<Prepared, Unrunnable>,
    Option<codesize::CodeSize>,
);

/// Plans the startup floor of every toolchain, then each workload at `size` on every toolchain
/// of its implementations' languages. `building` is told what is being prepared (builds and
/// package installs can take a while).
pub fn plan_suite(
    workloads: &[Arc<Workload>],
    size: SizeName,
    preparer: &Preparer,
    building: &mut dyn FnMut(&str),
) -> anyhow::Result<Plan> {
    let mut plan = Plan::default();
    let floor_cases = preparer
        .toolchains
        .iter()
        .map(|toolchain| {
            building(&format!("empty program for {}", toolchain.label()));
            let prepared = match preparer.builder.prepare_empty(toolchain)? {
                Ok(p) => Ok(preparer.with_env(preparer.in_clean_venv(p, toolchain)?, &[])),
                Err(unrunnable) => Err(unrunnable),
            };
            Ok(floor_case(toolchain, prepared))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if !floor_cases.is_empty() {
        plan.groups.push(group("startup floor".into(), floor_cases));
    }
    // Typing workloads are checked, not timed (see `typecheck`).
    for workload in workloads.iter().filter(|w| w.typing.is_none()) {
        let (size_name, size) = workload.size(size);
        let stdin = match &size.stdin {
            Some(stdin) => {
                building(&format!("input of {} ({size_name})", workload.id()));
                let inputs = Inputs {
                    builder: preparer.builder,
                    toolchains: preparer.toolchains,
                };
                Some(inputs.resolve(stdin)?)
            }
            None => None,
        };
        // Built (or installed) once per program and toolchain, run at every point.
        let mut programs: Vec<Program> = Vec::new();
        for implementation in &workload.implementations {
            for toolchain in preparer
                .toolchains
                .iter()
                .filter(|t| t.language == implementation.language)
            {
                building(&format!("{} for {}", workload.id(), toolchain.label()));
                let prepared = match &stdin {
                    Some(Err(unrunnable)) => Err(unrunnable.clone()),
                    _ => preparer.implementation(implementation, toolchain, building)?,
                };
                let code_size =
                    codesize::measure(&implementation.source, implementation.language).ok();
                programs.push((implementation, toolchain, prepared, code_size));
            }
        }
        if let Some(backend) = &workload.backend {
            building(&format!("database of {}", workload.id()));
            plan.groups.extend(backend::groups(
                workload, backend, size_name, size, &programs, preparer,
            )?);
            continue;
        }
        let ladder = size.sweep.as_ref().filter(|s| s.work.is_some());
        // A ladder's points run interleaved in one group, so drift does not bend its line.
        let mut ladder_cases = Vec::new();
        for point in preparer.points.of(size.sweep.as_ref()) {
            let expected = size
                .expected
                .resolve(&workload.dir, point.as_ref())
                .map_err(|message| {
                    UserError::Manifest {
                location: workload.manifest_path.display().to_string(),
                message: format!(
                    "at {}: {message}",
                    point.as_ref().map_or(String::new(), ToString::to_string)
                ),
                hint:
                    "add the expected output for that point, or run the points the manifest names"
                        .into(),
            }
                })?;
            let mut cases = Vec::new();
            for (implementation, toolchain, prepared, code_size) in &programs {
                let run = prepared.as_ref().map_err(Clone::clone).map(|p| {
                    let mut args = p.leading_args.clone();
                    args.extend(
                        size.args
                            .iter()
                            .map(|a| OsString::from(Point::substitute(point.as_ref(), a))),
                    );
                    let mut spec = RunSpec::new(&p.program, args, size.timeout);
                    spec.cwd = Some(workload.dir.clone());
                    spec.stdin = stdin.as_ref().and_then(|s| s.as_ref().ok()).cloned();
                    spec.capture_limit = expected.capture_limit();
                    spec.env = p.env.clone();
                    if let (true, Some(url)) = (workload.server, preparer.server_url) {
                        spec.env.push((SERVER_URL_VAR.into(), url.into()));
                    }
                    spec
                });
                let steady_state = match &run {
                    Ok(spec) if has_jit(toolchain) && is_plain_idiomatic(implementation) => {
                        Some(preparer.steady_state(spec)?)
                    }
                    _ => None,
                };
                let ok = prepared.as_ref().ok();
                cases.push(CaseSpec {
                    kind: CaseKind::Workload,
                    workload: workload.id(),
                    claim: Some(workload.claim),
                    language: Some(toolchain.language),
                    toolchain: Some((*toolchain).clone()),
                    variant: Some(implementation.variant),
                    label: implementation.label.clone(),
                    backed_by: implementation.backed_by.clone(),
                    size: Some(size_name),
                    metric: implementation.metric.clone(),
                    work: ladder
                        .zip(point.as_ref())
                        .and_then(|(l, p)| l.work_at(p.value)),
                    point: point.clone(),
                    run,
                    expected: expected.clone(),
                    artifact_bytes: ok.map(|p| p.artifact_bytes),
                    build: ok.and_then(|p| p.build),
                    packages: ok.and_then(|p| p.packages),
                    code_size: *code_size,
                    steady_state,
                    serve: None,
                });
            }
            if ladder.is_some() {
                ladder_cases.extend(cases);
            } else if !cases.is_empty() {
                let label = match &point {
                    Some(point) => format!("{} ({size_name}, {point})", workload.id()),
                    None => format!("{} ({size_name})", workload.id()),
                };
                let mut group = group(label, cases);
                group.runs = size.runs;
                group.warmup = size.warmup;
                plan.groups.push(group);
            }
        }
        if let (Some(ladder), false) = (ladder, ladder_cases.is_empty()) {
            let label = format!("{} ({size_name}, ladder of {})", workload.id(), ladder.name);
            let mut group = group(label, ladder_cases);
            group.runs = size.runs;
            group.warmup = size.warmup;
            plan.groups.push(group);
        }
    }
    Ok(plan)
}

impl Preparer<'_> {
    /// The program, plus its packages (a managed venv) and its Go library, when it has them.
    fn implementation(
        &self,
        implementation: &Implementation,
        toolchain: &Toolchain,
        building: &mut dyn FnMut(&str),
    ) -> anyhow::Result<Result<Prepared, Unrunnable>> {
        let mut prepared = match self.builder.prepare(&implementation.source, toolchain)? {
            Ok(prepared) => prepared,
            Err(unrunnable) => return Ok(Err(unrunnable)),
        };
        if let Some(requirements) = &implementation.requirements {
            building(&format!(
                "packages of {} for {}",
                requirements.display(),
                toolchain.label()
            ));
            match self.venvs.interpreter(toolchain, requirements)? {
                Ok(python) => {
                    prepared.program = python;
                    prepared.packages = Some(Packages::RequirementsVenv);
                }
                Err(reason) => {
                    return Ok(Err(Unrunnable::new(CaseVerdict::MissingDependency, reason)));
                }
            }
        } else {
            prepared = self.in_clean_venv(prepared, toolchain)?;
        }
        if let Some(library) = &implementation.go_library {
            let Some(go) = self.toolchains.iter().find(|t| t.language == Language::Go) else {
                return Ok(Err(Unrunnable::new(
                    CaseVerdict::MissingDependency,
                    "this program calls a Go library, and Go is not installed here",
                )));
            };
            match self
                .builder
                .go_build(library, go, GoOutput::SharedLibrary)?
            {
                Ok(built) => prepared
                    .env
                    .push((GO_LIBRARY_VAR.into(), built.path.into_os_string())),
                Err(unrunnable) => return Ok(Err(unrunnable)),
            }
        }
        Ok(Ok(self.with_env(prepared, &implementation.env)))
    }

    /// A Python program that needs no packages, run by its interpreter's clean venv (see
    /// [`crate::venv`]); where that venv cannot be made, by the interpreter itself, and the
    /// case says so.
    fn in_clean_venv(
        &self,
        mut prepared: Prepared,
        toolchain: &Toolchain,
    ) -> anyhow::Result<Prepared> {
        if toolchain.language == Language::Python {
            if let Ok(python) = self.venvs.clean(toolchain)? {
                prepared.program = python;
                prepared.packages = Some(Packages::CleanVenv);
            }
        }
        Ok(prepared)
    }

    /// `prepared` given the variables its manifest sets, then the user's (`--env` wins).
    fn with_env(&self, mut prepared: Prepared, manifest: &[(String, String)]) -> Prepared {
        for (key, value) in manifest.iter().chain(self.env) {
            prepared.env.retain(|(k, _)| k != key.as_str());
            prepared.env.push((key.into(), value.into()));
        }
        prepared
    }
}

/// Whether a toolchain compiles as it runs, so one process's first iteration is not its
/// typical one.
fn has_jit(toolchain: &Toolchain) -> bool {
    toolchain.implementation == "pypy"
}

fn is_plain_idiomatic(implementation: &Implementation) -> bool {
    implementation.variant == Variant::Idiomatic && implementation.label.is_none()
}

impl Preparer<'_> {
    /// The harness run for `spec`: the same interpreter, input and environment, the program's
    /// main() called up to [`SteadyState::MAX_ITERATIONS`] times in one process.
    fn steady_state(&self, spec: &RunSpec) -> anyhow::Result<SteadyState> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let harness = self.builder.steady_state_harness()?;
        let times_file = harness.with_file_name(format!(
            "times-{}-{}.txt",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let mut harnessed = spec.clone();
        harnessed.args = [
            harness.into_os_string(),
            times_file.clone().into_os_string(),
            SteadyState::MAX_ITERATIONS.to_string().into(),
        ]
        .into_iter()
        .chain(spec.args.iter().cloned())
        .collect();
        harnessed.timeout = spec
            .timeout
            .saturating_mul(SteadyState::MAX_ITERATIONS as u32)
            .min(std::time::Duration::from_secs_f64(
                crate::measure::MAX_TIMEOUT_S,
            ));
        Ok(SteadyState {
            spec: harnessed,
            times_file,
        })
    }
}

/// The environment variable that tells a Python program where its Go library is.
pub const GO_LIBRARY_VAR: &str = "VERSUS_GO_LIBRARY";

fn floor_case(toolchain: &Toolchain, prepared: Result<Prepared, Unrunnable>) -> CaseSpec {
    let ok = prepared.as_ref().ok();
    CaseSpec {
        kind: CaseKind::Floor,
        workload: "startup floor".into(),
        claim: None,
        language: Some(toolchain.language),
        toolchain: Some(toolchain.clone()),
        variant: None,
        label: None,
        backed_by: None,
        size: None,
        // Start-up is what a user waits for: elapsed time.
        metric: Metric::Wall,
        point: None,
        work: None,
        run: prepared
            .as_ref()
            .map_err(Clone::clone)
            .map(|p| RunSpec::new(&p.program, p.leading_args.clone(), FLOOR_TIMEOUT)),
        expected: Expected::Exact {
            sha256: Digest::of(b""),
            bytes: Some(Arc::new(Vec::new())),
        },
        artifact_bytes: ok.map(|p| p.artifact_bytes),
        build: ok.and_then(|p| p.build),
        packages: ok.and_then(|p| p.packages),
        code_size: None,
        steady_state: None,
        serve: None,
    }
}

/// Plans `versus exec`: one group of one or two commands; the first is the baseline. `env` is
/// `--env`, set for both.
pub fn plan_commands(
    commands: &[Vec<OsString>],
    timeout: Duration,
    metric: Metric,
    env: &[(String, String)],
) -> Plan {
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
                label: None,
                backed_by: None,
                size: None,
                metric: metric.clone(),
                point: None,
                work: None,
                run: Ok(RunSpec {
                    env: env.iter().map(|(k, v)| (k.into(), v.into())).collect(),
                    ..RunSpec::new(&argv[0], argv[1..].to_vec(), timeout)
                }),
                expected: Expected::Anything,
                artifact_bytes: None,
                build: None,
                packages: None,
                code_size: None,
                steady_state: None,
                serve: None,
            }
        })
        .collect();
    let mut group = group("commands".into(), cases);
    group.baselines = vec![0];
    Plan {
        groups: vec![group],
    }
}

/// The baseline is the idiomatic program of the baseline language (Go): ratios then read as
/// "Python takes N× Go's time". Without one, the group's first case. A ladder's group has one
/// baseline per point, the same program at each.
fn group(label: String, cases: Vec<CaseSpec>) -> Group {
    let is_baseline = |c: &CaseSpec| {
        c.language.is_some_and(|l| l.is_baseline())
            && c.variant.is_none_or(|v| v == Variant::Idiomatic)
    };
    let first = cases
        .iter()
        .position(is_baseline)
        .or(if cases.len() > 1 { Some(0) } else { None });
    let baselines = match first {
        Some(first) => {
            let program = |c: &CaseSpec| {
                (
                    c.toolchain.as_ref().map(|t| t.id.clone()),
                    c.variant,
                    c.label.clone(),
                )
            };
            let of_first = program(&cases[first]);
            (0..cases.len())
                .filter(|&i| program(&cases[i]) == of_first)
                .collect()
        }
        None => Vec::new(),
    };
    Group {
        label,
        cases,
        baselines,
        runs: None,
        warmup: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::case;

    fn at(mut case: CaseSpec, n: u64) -> CaseSpec {
        case.point = Some(Point {
            name: "n".into(),
            value: n,
        });
        case.work = Some((n as f64).powi(3));
        case
    }

    #[test]
    fn a_ladder_compares_each_case_with_the_baseline_at_its_own_point() {
        let cases = vec![
            at(case("w", Language::Python, "py-1", b""), 1),
            at(case("w", Language::Go, "go-1", b""), 1),
            at(case("w", Language::Python, "py-2", b""), 2),
            at(case("w", Language::Go, "go-2", b""), 2),
        ];
        let ladder = group("w (ladder)".into(), cases);
        assert_eq!(ladder.baselines, [1, 3], "Go's program at every point");
        assert_eq!(ladder.comparator(0), Some(1));
        assert_eq!(ladder.comparator(2), Some(3));
        assert_eq!(
            ladder.comparator(1),
            None,
            "a baseline is compared with nothing"
        );
        // Outside a ladder: one baseline, the idiomatic Go program.
        let plain = group(
            "w".into(),
            vec![
                case("w", Language::Python, "py", b""),
                case("w", Language::Go, "go", b""),
            ],
        );
        assert_eq!(plain.baselines, [1]);
        assert_eq!(plain.comparator(0), Some(1));
    }
}
