use super::*;
use crate::language::Language;
use crate::measure::scripted::{Script, ScriptedExecutor};
use crate::testing::{case, group};

#[derive(Default)]
struct Collect(Vec<(String, usize, CaseResult)>);

impl CaseSink for Collect {
    fn finished(&mut self, group: &Group, case: usize, result: &CaseResult) -> anyhow::Result<()> {
        self.0.push((group.label.clone(), case, result.clone()));
        Ok(())
    }
}

const OUT: &[u8] = b"-0.169075164\n";
const GO: &[f64] = &[0.0100, 0.0102, 0.0099, 0.0101, 0.0103, 0.0100];
const PY: &[f64] = &[0.610, 0.620, 0.605, 0.615, 0.618, 0.612];

fn quick() -> Profile {
    Profile {
        warmup: 1,
        min_rounds: 3,
        max_rounds: 20,
        target: 0.05,
        budget: Duration::from_secs(3600),
        steady_state_budget: Duration::from_secs(3),
    }
}

fn nbody_plan() -> Plan {
    Plan {
        groups: vec![group(
            "cpu/nbody (default)",
            vec![
                case("cpu/nbody", Language::Go, "go-prog", OUT),
                case("cpu/nbody", Language::Python, "py-prog", OUT),
            ],
            Some(0),
        )],
    }
}

fn run(plan: &Plan, executor: &mut ScriptedExecutor, profile: Profile) -> (Completion, Collect) {
    let mut sink = Collect::default();
    let completion = Runner {
        executor,
        profile,
        sink: &mut sink,
        events: &mut Silent,
    }
    .run(plan)
    .unwrap();
    (completion, sink)
}

#[test]
fn verified_cases_are_measured_until_precise() {
    let mut executor = ScriptedExecutor::new()
        .script("go-prog", Script::ok(GO, OUT))
        .script("py-prog", Script::ok(PY, OUT));
    let (completion, sink) = run(&nbody_plan(), &mut executor, quick());
    assert_eq!(completion, Completion::Finished);
    assert_eq!(sink.0.len(), 2);
    for (_, _, result) in &sink.0 {
        assert_eq!(result.verdict, CaseVerdict::Ok);
        assert_eq!(result.warmup_runs, 1);
        assert!(result.runs.len() >= 3, "at least min_rounds timed runs");
        assert!(result.runs.len() < 20, "precise data stops early");
        assert_eq!(result.runs[0].round, 1);
    }
    let go_walls: Vec<f64> = sink.0[0]
        .2
        .runs
        .iter()
        .map(|r| r.wall.as_secs_f64())
        .collect();
    // The warm-up used the first scripted time; timed runs start at the second.
    assert!((go_walls[0] - GO[1]).abs() < 1e-9);
}

/// Wall times that move by a third with the neighbours, CPU times that barely move.
const NOISY_WALL: &[f64] = &[0.60, 0.90, 0.65, 0.80, 0.62, 0.95, 0.70];
const STEADY_CPU: &[f64] = &[0.600, 0.601, 0.599, 0.600, 0.602, 0.600, 0.601];

fn noisy_plan(metric: crate::suite::Metric) -> Plan {
    let mut plan = nbody_plan();
    for case in &mut plan.groups[0].cases {
        case.metric = metric.clone();
    }
    plan
}

fn noisy_executor() -> ScriptedExecutor {
    let go = Script {
        cpus: GO.to_vec(),
        ..Script::ok(
            NOISY_WALL
                .iter()
                .map(|w| w / 60.0)
                .collect::<Vec<_>>()
                .as_slice(),
            OUT,
        )
    };
    let py = Script {
        cpus: STEADY_CPU.to_vec(),
        // Out of step with Go's walls, so that pairing cannot cancel the noise.
        ..Script::ok(&[0.90, 0.61, 0.85, 0.60, 0.93, 0.66, 0.75], OUT)
    };
    ScriptedExecutor::new()
        .script("go-prog", go)
        .script("py-prog", py)
}

#[test]
fn the_reason_a_group_stopped_is_kept() {
    let mut executor = ScriptedExecutor::new()
        .script("go-prog", Script::ok(GO, OUT))
        .script("py-prog", Script::ok(PY, OUT));
    let (_, sink) = run(&nbody_plan(), &mut executor, quick());
    assert!(
        sink.0
            .iter()
            .all(|(.., r)| r.stopped_by == Some(StopReason::Precise))
    );
    assert!(
        sink.0
            .iter()
            .all(|(.., r)| r.precision_target == Some(0.05))
    );
    // Wall times this noisy never reach ±5% in five rounds: the budget (none) ends the group.
    let mut spent = quick();
    spent.budget = Duration::ZERO;
    let (_, sink) = run(
        &noisy_plan(crate::suite::Metric::Wall),
        &mut noisy_executor(),
        spent,
    );
    assert!(
        sink.0
            .iter()
            .all(|(.., r)| r.stopped_by == Some(StopReason::Budget)),
        "{:?}",
        sink.0
    );
    let (_, sink) = run(&nbody_plan(), &mut executor, Profile::fixed(3, 0));
    assert!(
        sink.0
            .iter()
            .all(|(.., r)| r.stopped_by == Some(StopReason::Rounds))
    );
    assert!(sink.0.iter().all(|(.., r)| r.precision_target.is_none()));
}

#[test]
fn single_threaded_work_is_judged_on_its_cpu_time() {
    // The same noisy runs: on wall time the group runs to its last round, on CPU time it is
    // precise after the fewest rounds.
    let (_, on_wall) = run(
        &noisy_plan(crate::suite::Metric::Wall),
        &mut noisy_executor(),
        quick(),
    );
    let (_, on_cpu) = run(
        &noisy_plan(crate::suite::Metric::Cpu),
        &mut noisy_executor(),
        quick(),
    );
    assert_eq!(on_wall.0[0].2.runs.len(), 20);
    assert_eq!(on_wall.0[0].2.stopped_by, Some(StopReason::Rounds));
    assert_eq!(on_cpu.0[0].2.runs.len(), 3);
    assert_eq!(on_cpu.0[0].2.stopped_by, Some(StopReason::Precise));
}

#[test]
fn runs_are_interleaved_round_by_round() {
    let mut executor = ScriptedExecutor::new()
        .script("go-prog", Script::ok(GO, OUT))
        .script("py-prog", Script::ok(PY, OUT));
    run(&nbody_plan(), &mut executor, Profile::fixed(8, 1));
    assert_eq!(executor.log.len(), 18);
    for pair in executor.log.chunks(2) {
        assert_ne!(
            pair[0], pair[1],
            "each round runs every case once: {:?}",
            executor.log
        );
    }
}

#[test]
fn a_wrong_answer_is_a_verdict_and_the_others_go_on() {
    let mut plan = nbody_plan();
    plan.groups[0].cases[1].expected = crate::verify::Expected::Exact {
        sha256: crate::digest::Digest::of(OUT),
        bytes: Some(std::sync::Arc::new(OUT.to_vec())),
    };
    let mut executor = ScriptedExecutor::new()
        .script("go-prog", Script::ok(GO, OUT))
        .script("py-prog", Script::ok(PY, b"-0.169075165\n"));
    let (completion, sink) = run(&plan, &mut executor, Profile::fixed(5, 1));
    assert_eq!(completion, Completion::Finished);
    let (_, index, wrong) = &sink.0[0];
    assert_eq!(
        *index, 1,
        "the failed case is stored first, as soon as it fails"
    );
    assert_eq!(wrong.verdict, CaseVerdict::WrongOutput);
    let detail = wrong.detail.as_deref().unwrap();
    assert!(detail.contains("first difference at byte 11"), "{detail}");
    assert_eq!(sink.0[1].2.verdict, CaseVerdict::Ok);
    assert_eq!(sink.0[1].2.runs.len(), 5);
    assert_eq!(
        executor.log.iter().filter(|p| *p == "py-prog").count(),
        1,
        "no run after a failure"
    );
}

#[test]
fn crashes_and_timeouts_carry_their_reason() {
    let crash = Script {
        exit: Exit::Code(1),
        stderr: b"Traceback (most recent call last):\nZeroDivisionError: division by zero\n"
            .to_vec(),
        ..Script::ok(PY, OUT)
    };
    let hang = Script {
        exit: Exit::TimedOut,
        ..Script::ok(GO, OUT)
    };
    let mut executor = ScriptedExecutor::new()
        .script("go-prog", hang)
        .script("py-prog", crash);
    let (_, sink) = run(&nbody_plan(), &mut executor, quick());
    let by_index = |i: usize| {
        sink.0
            .iter()
            .find(|(_, idx, _)| *idx == i)
            .unwrap()
            .2
            .clone()
    };
    let timeout = by_index(0);
    assert_eq!(timeout.verdict, CaseVerdict::Timeout);
    assert!(timeout.detail.unwrap().contains("10.0 s limit"));
    let crashed = by_index(1);
    assert_eq!(crashed.verdict, CaseVerdict::Crashed);
    let detail = crashed.detail.unwrap();
    assert!(
        detail.contains("exit status 1") && detail.contains("ZeroDivisionError"),
        "{detail}"
    );
}

#[test]
fn an_interrupt_stores_what_finished_and_marks_the_rest() {
    let mut plan = nbody_plan();
    let mut second = plan.groups[0].clone();
    second.label = "cpu/spectral-norm (default)".into();
    for case in &mut second.cases {
        case.run.as_mut().unwrap().program =
            format!("{}-2", case.run.as_ref().unwrap().program.display()).into();
    }
    plan.groups.push(second);
    let interrupted = Script {
        interrupt_at_call: Some(2),
        ..Script::ok(PY, OUT)
    };
    let mut executor = ScriptedExecutor::new()
        .script("go-prog", Script::ok(GO, OUT))
        .script("py-prog", Script::ok(PY, OUT))
        .script("go-prog-2", Script::ok(GO, OUT))
        .script("py-prog-2", interrupted);
    let (completion, sink) = run(&plan, &mut executor, Profile::fixed(4, 0));
    assert_eq!(completion, Completion::Interrupted);
    let verdicts: Vec<(&str, CaseVerdict)> = sink
        .0
        .iter()
        .map(|(g, _, r)| (g.as_str(), r.verdict))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("cpu/nbody (default)", CaseVerdict::Ok),
            ("cpu/nbody (default)", CaseVerdict::Ok),
            ("cpu/spectral-norm (default)", CaseVerdict::Interrupted),
            ("cpu/spectral-norm (default)", CaseVerdict::Interrupted),
        ]
    );
    assert_eq!(sink.0[0].2.runs.len(), 4);
}

#[test]
fn a_build_failure_is_stored_without_runs() {
    let mut plan = nbody_plan();
    plan.groups[0].cases[0].run = Err(crate::case::Unrunnable::new(
        CaseVerdict::BuildFailed,
        "go build failed: undefined: x",
    ));
    let mut executor = ScriptedExecutor::new().script("py-prog", Script::ok(PY, OUT));
    let (_, sink) = run(&plan, &mut executor, Profile::fixed(3, 0));
    assert_eq!(sink.0[0].2.verdict, CaseVerdict::BuildFailed);
    assert!(sink.0[0].2.runs.is_empty());
    assert_eq!(sink.0[1].2.verdict, CaseVerdict::Ok);
    assert!(executor.log.iter().all(|p| p == "py-prog"));
}

/// An executor that cannot start one program, and fails outright once that has been tried.
struct Failing {
    py_tried: bool,
    inner: ScriptedExecutor,
}

impl Executor for Failing {
    fn execute(&mut self, spec: &crate::measure::RunSpec) -> anyhow::Result<RunOutcome> {
        match spec.program.to_str() {
            Some("py-prog") => {
                self.py_tried = true;
                Err(SpawnError("cannot start py-prog: Permission denied".into()).into())
            }
            _ if self.py_tried => anyhow::bail!("the pidfd could not be polled"),
            _ => self.inner.execute(spec),
        }
    }

    fn tree_method(&self) -> crate::measure::TreeMethod {
        crate::measure::TreeMethod::None
    }
}

#[test]
fn a_program_that_cannot_start_is_a_verdict_and_an_internal_error_keeps_the_group() {
    let mut sink = Collect::default();
    let mut executor = Failing {
        py_tried: false,
        inner: ScriptedExecutor::new().script("go-prog", Script::ok(GO, OUT)),
    };
    let result = Runner {
        executor: &mut executor,
        profile: quick(),
        sink: &mut sink,
        events: &mut Silent,
    }
    .run(&nbody_plan());
    assert!(result.unwrap_err().to_string().contains("pidfd"));
    let verdict = |i: usize| {
        sink.0
            .iter()
            .find(|(_, idx, _)| *idx == i)
            .unwrap()
            .2
            .clone()
    };
    let py = verdict(1);
    assert_eq!(py.verdict, CaseVerdict::Crashed);
    assert!(py.detail.unwrap().contains("Permission denied"));
    let go = verdict(0);
    assert_eq!(go.verdict, CaseVerdict::Interrupted);
    assert!(go.detail.unwrap().contains("versus stopped"));
    assert_eq!(sink.0.len(), 2, "each case stored once");
}

#[test]
fn a_program_reports_metrics_and_a_reached_limit_is_its_own_verdict() {
    let mut go = Script::ok(GO, OUT);
    go.metrics = "spawn_s 0.25\nround_trips_per_s 1.5e6\nBad-Name 3\nnot_a_number x\n".into();
    let mut threads = Script::ok(PY, b"");
    threads.exit = Exit::Code(crate::case::LIMIT_EXIT_CODE);
    threads.stderr = b"started 32001 of 100000 threads: can't start new thread\n".to_vec();
    let mut executor = ScriptedExecutor::new()
        .script("go-prog", go)
        .script("py-prog", threads);
    let (_, sink) = run(&nbody_plan(), &mut executor, quick());
    let go = &sink.0.iter().find(|(_, i, _)| *i == 0).unwrap().2;
    assert_eq!(go.verdict, CaseVerdict::Ok);
    for run in &go.runs {
        assert_eq!(
            run.metrics,
            vec![
                ("spawn_s".to_string(), 0.25),
                ("round_trips_per_s".to_string(), 1.5e6)
            ]
        );
    }
    let threads = &sink.0.iter().find(|(_, i, _)| *i == 1).unwrap().2;
    assert_eq!(threads.verdict, CaseVerdict::LimitReached);
    assert!(!threads.verdict.is_failure());
    assert_eq!(
        threads.detail.as_deref(),
        Some("started 32001 of 100000 threads: can't start new thread")
    );
}

#[test]
fn a_run_without_its_reported_headline_fails_and_says_what_is_missing() {
    let mut plan = nbody_plan();
    let batch = crate::suite::Metric::parse("reported:batch_s").unwrap();
    for case in &mut plan.groups[0].cases {
        case.metric = batch.clone();
    }
    let mut go = Script::ok(GO, OUT);
    go.metrics = "batch_s 0.05\n".into();
    let mut py = Script::ok(PY, OUT);
    py.metrics = "spawn_s 0.05\n".into();
    let mut executor = ScriptedExecutor::new()
        .script("go-prog", go)
        .script("py-prog", py);
    let (_, sink) = run(&plan, &mut executor, quick());
    let go = &sink.0.iter().find(|(_, i, _)| *i == 0).unwrap().2;
    assert_eq!(go.verdict, CaseVerdict::Ok);
    assert!(go.runs.iter().all(|r| r.seconds(&batch) == Some(0.05)));
    let py = &sink.0.iter().find(|(_, i, _)| *i == 1).unwrap().2;
    assert_eq!(
        py.verdict,
        CaseVerdict::WrongOutput,
        "not a silent wall time"
    );
    let detail = py.detail.as_deref().unwrap();
    assert!(detail.contains("did not report `batch_s`"), "{detail}");
    assert!(detail.contains("VERSUS_METRICS"), "{detail}");
    assert!(py.runs.is_empty());
}

#[test]
fn a_group_may_ask_for_fewer_runs_and_no_warmup() {
    let mut plan = nbody_plan();
    plan.groups[0].runs = Some(2);
    plan.groups[0].warmup = Some(0);
    let mut executor = ScriptedExecutor::new()
        .script("go-prog", Script::ok(&[0.01, 0.5, 0.02], OUT))
        .script("py-prog", Script::ok(&[0.6, 0.1, 0.9], OUT));
    let (_, sink) = run(&plan, &mut executor, quick());
    for (_, _, result) in &sink.0 {
        assert_eq!(result.warmup_runs, 0);
        assert_eq!(result.runs.len(), 2, "noisy runs would have asked for more");
    }
    // More runs than the profile allows are not granted.
    let mut profile = quick();
    profile.max_rounds = 1;
    plan.groups[0].runs = Some(5);
    assert_eq!(profile.for_group(&plan.groups[0]).max_rounds, 1);
}

#[test]
fn a_program_that_reached_a_limit_is_not_run_at_larger_points() {
    let point = |case: &mut crate::case::CaseSpec, value: u64| {
        case.point = Some(crate::suite::Point {
            name: "tasks".into(),
            value,
        });
    };
    let mut groups = Vec::new();
    for (value, threads) in [
        (10, "threads-small"),
        (100, "threads-big"),
        (1000, "threads-huge"),
    ] {
        let mut go = case("concurrency/idle", Language::Go, "go-prog", OUT);
        let mut py = case("concurrency/idle", Language::Python, threads, OUT);
        point(&mut go, value);
        point(&mut py, value);
        groups.push(group(&format!("idle {value}"), vec![go, py], Some(0)));
    }
    let mut limit = Script::ok(PY, b"");
    limit.exit = Exit::Code(crate::case::LIMIT_EXIT_CODE);
    limit.stderr = b"started 13562 of 100 threads: gave up\n".to_vec();
    let mut executor = ScriptedExecutor::new()
        .script("go-prog", Script::ok(GO, OUT))
        .script("threads-small", Script::ok(PY, OUT))
        .script("threads-big", limit)
        .script("threads-huge", Script::ok(PY, OUT));
    let (_, sink) = run(&Plan { groups }, &mut executor, quick());
    let verdict = |label: &str| {
        let (_, _, result) = sink
            .0
            .iter()
            .find(|(g, i, _)| g == label && *i == 1)
            .unwrap();
        (result.verdict, result.detail.clone().unwrap_or_default())
    };
    assert_eq!(verdict("idle 10").0, CaseVerdict::Ok);
    assert_eq!(verdict("idle 100").0, CaseVerdict::LimitReached);
    let (huge, detail) = verdict("idle 1000");
    assert_eq!(huge, CaseVerdict::LimitReached);
    assert!(
        detail.contains("not run") && detail.contains("tasks=100"),
        "{detail}"
    );
    assert!(
        !executor.log.iter().any(|p| p == "threads-huge"),
        "the larger point was not run"
    );
    // Go, which reached no limit, ran at every point.
    assert!(
        sink.0
            .iter()
            .filter(|(_, i, r)| *i == 0 && r.verdict == CaseVerdict::Ok)
            .count()
            == 3
    );
}

#[test]
fn the_metrics_folder_is_private_and_removed_with_its_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = MetricsDir::create().unwrap();
    let path = dir.0.clone();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
    let file = metrics_file(&path);
    std::fs::write(&file, "spawn_s 1.5\nx 2\n").unwrap();
    assert_eq!(
        read_metrics(&file),
        vec![("spawn_s".to_string(), 1.5), ("x".to_string(), 2.0)]
    );
    assert!(!file.exists(), "read and removed");
    std::fs::write(metrics_file(&path), "left 1\n").unwrap();
    drop(dir);
    assert!(!path.exists());
}
