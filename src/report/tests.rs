//! Snapshot tests of every format, rendered from a run stored by the real runner and store with
//! scripted timings (so the numbers are deterministic) and a fixed environment.

use super::*;
use crate::case::CaseKind;
use crate::language::Language;
use crate::measure::Exit;
use crate::measure::scripted::{Script, ScriptedExecutor};
use crate::plan::Plan;
use crate::runner::{Profile, Runner, Silent};
use crate::store::{RunStatus, Store};
use crate::testing::{case, group, toolchain};

pub(crate) const OUT: &[u8] = b"-0.169075164\n-0.169087605\n";

pub(crate) fn stored_run() -> StoredRun {
    let store = Store::in_memory().unwrap();
    let toolchains = [toolchain(Language::Go), toolchain(Language::Python)];
    let meta = crate::testing::run_meta();
    let mut floor_go = case("startup floor", Language::Go, "go-empty", b"");
    let mut floor_py = case("startup floor", Language::Python, "py-empty", b"");
    for floor in [&mut floor_go, &mut floor_py] {
        floor.kind = CaseKind::Floor;
        floor.claim = None;
        floor.variant = None;
        floor.size = None;
    }
    let sized = |mut case: crate::case::CaseSpec, lines: u64, gzip_bytes: u64| {
        case.code_size = Some(crate::codesize::CodeSize { lines, gzip_bytes });
        case
    };
    let concurrent = |mut case: crate::case::CaseSpec, label: Option<&str>| {
        case.claim = Some(crate::suite::Claim::Concurrency);
        case.label = label.map(String::from);
        case
    };
    let swept = |case: crate::case::CaseSpec, label: Option<&str>, name: &str, value: u64| {
        let mut case = concurrent(case, label);
        case.point = Some(crate::suite::Point {
            name: name.into(),
            value,
        });
        case
    };
    let with = |walls: &[f64], out: &[u8], rss_mib: u64, metrics: &str| Script {
        rss_bytes: rss_mib << 20,
        metrics: metrics.into(),
        ..Script::ok(walls, out)
    };
    let plan = Plan {
        groups: vec![
            group("startup floor", vec![floor_go, floor_py], Some(0)),
            // Python first, as the manifests list it: the report still puts the baseline first.
            group(
                "cpu/nbody (default)",
                vec![
                    sized(
                        case("cpu/nbody", Language::Python, "py-nbody", OUT),
                        80,
                        1210,
                    ),
                    sized(case("cpu/nbody", Language::Go, "go-nbody", OUT), 101, 1530),
                ],
                Some(1),
            ),
            group(
                "concurrency/idle-tasks (default, tasks=1)",
                vec![
                    swept(
                        case(
                            "concurrency/idle-tasks",
                            Language::Go,
                            "go-idle-1",
                            b"1 tasks done\n",
                        ),
                        None,
                        "tasks",
                        1,
                    ),
                    swept(
                        case(
                            "concurrency/idle-tasks",
                            Language::Python,
                            "py-idle-1",
                            b"1 tasks done\n",
                        ),
                        Some("asyncio"),
                        "tasks",
                        1,
                    ),
                    swept(
                        case(
                            "concurrency/idle-tasks",
                            Language::Python,
                            "th-idle-1",
                            b"1 tasks done\n",
                        ),
                        Some("threads"),
                        "tasks",
                        1,
                    ),
                ],
                Some(0),
            ),
            group(
                "concurrency/idle-tasks (default, tasks=100000)",
                vec![
                    swept(
                        case(
                            "concurrency/idle-tasks",
                            Language::Go,
                            "go-idle-100k",
                            b"100000 tasks done\n",
                        ),
                        None,
                        "tasks",
                        100_000,
                    ),
                    swept(
                        case(
                            "concurrency/idle-tasks",
                            Language::Python,
                            "py-idle-100k",
                            b"100000 tasks done\n",
                        ),
                        Some("asyncio"),
                        "tasks",
                        100_000,
                    ),
                    swept(
                        case(
                            "concurrency/idle-tasks",
                            Language::Python,
                            "th-idle-100k",
                            b"100000 tasks done\n",
                        ),
                        Some("threads"),
                        "tasks",
                        100_000,
                    ),
                ],
                Some(0),
            ),
            group(
                "concurrency/cpu-scaling (default, workers=1)",
                vec![
                    swept(
                        case("concurrency/cpu-scaling", Language::Go, "go-w1", b"5\n"),
                        None,
                        "workers",
                        1,
                    ),
                    swept(
                        case("concurrency/cpu-scaling", Language::Python, "th-w1", b"5\n"),
                        Some("threads"),
                        "workers",
                        1,
                    ),
                ],
                Some(0),
            ),
            group(
                "concurrency/cpu-scaling (default, workers=2)",
                vec![
                    swept(
                        case("concurrency/cpu-scaling", Language::Go, "go-w2", b"5\n"),
                        None,
                        "workers",
                        2,
                    ),
                    swept(
                        case("concurrency/cpu-scaling", Language::Python, "th-w2", b"5\n"),
                        Some("threads"),
                        "workers",
                        2,
                    ),
                ],
                Some(0),
            ),
            group(
                "concurrency/ping-pong (default)",
                vec![
                    concurrent(
                        case(
                            "concurrency/ping-pong",
                            Language::Go,
                            "go-ping",
                            b"9 round trips\n",
                        ),
                        None,
                    ),
                    concurrent(
                        case(
                            "concurrency/ping-pong",
                            Language::Python,
                            "py-ping",
                            b"9 round trips\n",
                        ),
                        Some("asyncio"),
                    ),
                ],
                Some(0),
            ),
            group(
                "cpu/broken (default)",
                vec![
                    case("cpu/broken", Language::Go, "go-broken", OUT),
                    case("cpu/broken", Language::Python, "py-broken", OUT),
                ],
                Some(0),
            ),
        ],
    };
    let mut executor = ScriptedExecutor::new()
        .script(
            "go-empty",
            Script::ok(&[0.00091, 0.00093, 0.00090, 0.00095], b""),
        )
        .script(
            "py-empty",
            Script::ok(&[0.0151, 0.0149, 0.0153, 0.0150], b""),
        )
        .script(
            "go-nbody",
            Script::ok(&[0.0101, 0.0100, 0.0103, 0.0099, 0.0102], OUT),
        )
        .script(
            "py-nbody",
            Script::ok(&[0.611, 0.605, 0.618, 0.609, 0.640], OUT),
        )
        .script(
            "go-idle-1",
            with(
                &[1.001, 1.002, 1.001],
                b"1 tasks done\n",
                2,
                "spawn_s 0.00001\n",
            ),
        )
        .script(
            "py-idle-1",
            with(
                &[1.021, 1.020, 1.022],
                b"1 tasks done\n",
                10,
                "spawn_s 0.00002\n",
            ),
        )
        .script(
            "th-idle-1",
            with(
                &[1.011, 1.012, 1.010],
                b"1 tasks done\n",
                10,
                "spawn_s 0.00003\n",
            ),
        )
        .script(
            "go-idle-100k",
            with(
                &[1.21, 1.22, 1.20],
                b"100000 tasks done\n",
                262,
                "spawn_s 0.12\n",
            ),
        )
        .script(
            "py-idle-100k",
            with(
                &[1.61, 1.63, 1.60],
                b"100000 tasks done\n",
                110,
                "spawn_s 0.5\n",
            ),
        )
        .script(
            "th-idle-100k",
            Script {
                exit: Exit::Code(crate::case::LIMIT_EXIT_CODE),
                stderr: b"started 32001 of 100000 threads: can't start new thread\n".to_vec(),
                ..Script::ok(&[2.5], b"")
            },
        )
        .script("go-w1", with(&[0.200, 0.202, 0.201], b"5\n", 2, ""))
        .script("go-w2", with(&[0.104, 0.103, 0.105], b"5\n", 2, ""))
        .script("th-w1", with(&[3.00, 3.01, 3.02], b"5\n", 10, ""))
        .script("th-w2", with(&[3.05, 3.04, 3.06], b"5\n", 10, ""))
        .script(
            "go-ping",
            with(&[0.1], b"9 round trips\n", 2, "round_trips_per_s 4200000\n"),
        )
        .script(
            "py-ping",
            with(&[0.5], b"9 round trips\n", 10, "round_trips_per_s 95000\n"),
        )
        .script("go-broken", Script::ok(&[0.0200], OUT))
        .script(
            "py-broken",
            Script {
                exit: Exit::Signal(libc::SIGSEGV),
                stderr: b"Fatal Python error: Segmentation fault\n".to_vec(),
                ..Script::ok(&[0.3], OUT)
            },
        );
    let mut writer = store.begin_run(&meta, &toolchains).unwrap();
    Runner {
        executor: &mut executor,
        profile: Profile::fixed(5, 1),
        sink: &mut writer,
        events: &mut Silent,
    }
    .run(&plan)
    .unwrap();
    writer.finish(RunStatus::Complete).unwrap();
    let mut run = store.load_run(writer.run_id).unwrap();
    // How busy this machine was is real data; a snapshot wants none of it.
    for case in &mut run.cases {
        case.load_avg = None;
        case.steal_percent = None;
        case.busy_percent = None;
    }
    run.started_at = "2026-11-27T17:00:00Z".into();
    run.finished_at = Some("2026-11-27T17:01:30Z".into());
    run.typing = typing_findings();
    run
}

/// What a typing run stores, for two workloads: a mistake and a control.
fn typing_findings() -> Vec<crate::store::StoredFinding> {
    use crate::typecheck::Stage;
    let finding = |workload: &str,
                   language: &str,
                   toolchain: &str,
                   checker: bool,
                   stage: Stage,
                   tool: &str| {
        crate::store::StoredFinding {
            workload: format!("typing/{workload}"),
            mistake: if workload == "wrong-arity" {
                "wrong arity".into()
            } else {
                "aliased list".into()
            },
            expect_never: workload != "wrong-arity",
            language: language.into(),
            toolchain_id: toolchain.into(),
            with_checker: checker,
            source: format!(
                "/w/typing/{workload}/main.{}",
                if language == "go" { "go" } else { "py" }
            ),
            mistake_line: 12,
            stage,
            tool: tool.into(),
            detail: if stage == Stage::Never {
                "the program ran to its end".into()
            } else {
                "main:12: error".into()
            },
        }
    };
    vec![
        finding(
            "wrong-arity",
            "python",
            "cpython-3.11.7",
            true,
            Stage::BeforeRun,
            "mypy",
        ),
        finding(
            "wrong-arity",
            "python",
            "cpython-3.11.7",
            false,
            Stage::AtRun,
            "traceback",
        ),
        finding(
            "wrong-arity",
            "go",
            "go-1.26.8",
            false,
            Stage::BeforeRun,
            "go build",
        ),
        finding(
            "aliasing",
            "python",
            "cpython-3.11.7",
            true,
            Stage::Never,
            "",
        ),
        finding(
            "aliasing",
            "python",
            "cpython-3.11.7",
            false,
            Stage::Never,
            "",
        ),
        finding("aliasing", "go", "go-1.26.8", false, Stage::Never, ""),
    ]
}

fn rendered(format: crate::report::Format) -> String {
    let mut out = Vec::new();
    render(&stored_run(), format, None, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The terminal report at 100 columns, checked to fit them.
pub(super) fn terminal_within_100(run: &StoredRun) -> String {
    let mut out = Vec::new();
    render(run, crate::report::Format::Table, Some(100), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    for line in text.lines() {
        assert!(
            textwrap::core::display_width(line) <= 100,
            "{} columns: {line}",
            textwrap::core::display_width(line)
        );
    }
    text
}

#[test]
fn terminal_table() {
    insta::assert_snapshot!(terminal_within_100(&stored_run()));
}

#[test]
fn piped_the_terminal_table_keeps_each_cell_on_one_line() {
    let piped = rendered(crate::report::Format::Table);
    let row = piped
        .lines()
        .find(|l| l.starts_with("Runtime speed "))
        .expect("the article's runtime speed row");
    assert!(
        row.contains("Slower (interpreted)") && row.ends_with("agrees"),
        "{row}"
    );
}

#[test]
fn markdown() {
    insta::assert_snapshot!(rendered(crate::report::Format::Markdown));
}

#[test]
fn csv() {
    insta::assert_snapshot!(rendered(crate::report::Format::Csv));
}

#[test]
fn the_csv_reads_back_with_every_row_under_its_header() {
    let mut run = stored_run();
    run.cases[0].label = Some("=HYPERLINK(\"http://x\")".into());
    let mut out = Vec::new();
    render(&run, crate::report::Format::Csv, None, &mut out).unwrap();
    let mut reader = ::csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), run.cases.len());
    let report = crate::report::model::Report::from_run(&run);
    for (row, case) in rows.iter().zip(&report.cases) {
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert_eq!(&row[column("verdict")], case.verdict.as_str(), "{row:?}");
        assert_eq!(&row[column("workload")], case.workload, "{row:?}");
        let ratio = &row[column("ratio")];
        assert!(ratio.is_empty() || ratio.parse::<f64>().is_ok(), "{row:?}");
        let peak = &row[column("peak_rss_bytes")];
        assert_eq!(peak.parse::<u64>().ok(), case.peak_rss_bytes, "{row:?}");
    }
    // A text a spreadsheet would run is shown as text.
    assert_eq!(&rows[0][column("label")], "'=HYPERLINK(\"http://x\")");
    // A run without cases is the header alone.
    run.cases.clear();
    let mut out = Vec::new();
    render(&run, crate::report::Format::Csv, None, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [header.join(",")],
        "{text:?}"
    );
}

#[test]
fn json() {
    insta::assert_snapshot!(rendered(crate::report::Format::Json));
}

#[test]
fn json_has_the_documented_fields() {
    let value: serde_json::Value =
        serde_json::from_str(&rendered(crate::report::Format::Json)).unwrap();
    assert_eq!(value["schema_version"], SCHEMA_VERSION);
    for key in [
        "run_id",
        "environment",
        "toolchains",
        "cases",
        "comparisons",
    ] {
        assert!(value.get(key).is_some(), "missing {key}");
    }
    let case = &value["cases"][2];
    for key in [
        "workload",
        "language",
        "toolchain",
        "variant",
        "size",
        "verdict",
        "runs",
        "wall_s",
        "user_s",
        "sys_s",
        "peak_rss_bytes",
        "tree_peak_bytes",
    ] {
        assert!(case.get(key).is_some(), "case misses {key}");
    }
    for key in ["median", "mad", "min", "ci_low", "ci_high"] {
        assert!(case["wall_s"].get(key).is_some(), "wall_s misses {key}");
    }
    let nbody = value["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["workload"] == "cpu/nbody")
        .unwrap();
    for key in [
        "workload",
        "size",
        "baseline",
        "contender",
        "ratio",
        "ci_low",
        "ci_high",
        "verdict",
    ] {
        assert!(nbody.get(key).is_some(), "comparison misses {key}");
    }
    assert_eq!(nbody["baseline"], "go-1.26.8");
    assert_eq!(nbody["contender"], "cpython-3.11.7");
    assert_eq!(nbody["verdict"], "slower");
    let ratio = nbody["ratio"].as_f64().unwrap();
    assert!(
        (ratio - 0.611 / 0.0101).abs() < 1e-6 || ratio > 55.0,
        "{ratio}"
    );
    // The crashed case is in the cases, out of the comparisons.
    assert!(
        value["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["workload"] != "cpu/broken")
    );
}

#[test]
fn compare_lines_up_cases_and_calls_changes_outside_the_noise() {
    let a = stored_run();
    let mut b = stored_run();
    b.id = 2;
    for case in &mut b.cases {
        if case.workload == "cpu/nbody" && case.language.as_deref() == Some("python") {
            for sample in &mut case.samples {
                sample.wall_s *= 2.0;
            }
        }
    }
    b.cases
        .retain(|c| !(c.workload == "startup floor" && c.language.as_deref() == Some("go")));
    let comparison = compare::compare_runs(&a, &b, compare::BETWEEN_RUNS_FLOOR);
    let row = |workload: &str, case: &str| {
        comparison
            .rows
            .iter()
            .find(|r| r.workload == workload && r.case == case)
            .unwrap_or_else(|| panic!("no row {workload} {case}"))
    };
    let slower = row("cpu/nbody", "cpython");
    assert!((slower.change - 2.0).abs() < 1e-9);
    assert_eq!(slower.verdict, compare::Change::Slower);
    assert_eq!(row("cpu/nbody", "go").verdict, compare::Change::WithinNoise);
    assert!(
        comparison
            .unmatched
            .iter()
            .any(|u| u.contains("startup floor") && u.contains("run 1 only"))
    );
    let mut out = Vec::new();
    compare::render(&comparison, crate::report::Format::Markdown, None, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("| cpu/nbody | default |  | cpython |"),
        "{text}"
    );
    // Sweep points pair with the same point only, and say which they are.
    let idle: Vec<_> = comparison
        .rows
        .iter()
        .filter(|r| r.workload == "concurrency/idle-tasks" && r.case == "go")
        .collect();
    assert_eq!(idle.len(), 2, "{idle:?}");
    assert!(
        idle.iter()
            .all(|r| r.verdict == compare::Change::WithinNoise)
    );
    assert_ne!(idle[0].point, idle[1].point);
}

/// A run of n-body whose `samples` Python and Go runs are drawn from lognormal distributions
/// around 0.6 s and 10 ms (2% spread, seeded), both declared CPU-bound, times `shift` for Python.
fn drawn_run(id: i64, seed: u64, shift: f64) -> StoredRun {
    let mut run = noisy_nbody(Profile::fixed(12, 0), crate::suite::Metric::Cpu);
    run.id = id;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut normal = move || {
        // Box–Muller: a standard normal from two uniforms.
        let (u, v) = (rng.f64().max(1e-12), rng.f64());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    };
    for case in &mut run.cases {
        let center = if case.language.as_deref() == Some("python") {
            0.6 * shift
        } else {
            0.010
        };
        for sample in &mut case.samples {
            sample.user_s = center * (0.02 * normal()).exp();
            sample.sys_s = 0.0;
            sample.wall_s = sample.user_s * 1.02;
        }
    }
    run
}

#[test]
fn two_runs_from_one_distribution_compare_as_no_change_and_a_real_shift_is_called() {
    // On a quiet machine whose A/A runs allow a 3% floor: no change from one distribution,
    // and a 10% shift called. (The default floor, for a shared VM, would call neither.)
    let floor = 0.03;
    let mut calls = 0;
    let mut rows = 0;
    for seed in 0..40 {
        let comparison = compare::compare_runs(
            &drawn_run(1, seed, 1.0),
            &drawn_run(2, seed + 1000, 1.0),
            floor,
        );
        for row in &comparison.rows {
            assert_eq!(
                row.measure,
                compare::Measure::Cpu,
                "compared on the declared metric"
            );
            rows += 1;
            calls += usize::from(row.verdict != compare::Change::WithinNoise);
        }
    }
    assert_eq!(rows, 80);
    assert!(calls <= 1, "{calls} of {rows} A/A rows called a change");
    for seed in 0..10 {
        let comparison = compare::compare_runs(
            &drawn_run(1, seed, 1.0),
            &drawn_run(2, seed + 1000, 1.1),
            floor,
        );
        let python = comparison
            .rows
            .iter()
            .find(|r| r.case == "cpython")
            .unwrap();
        assert_eq!(python.verdict, compare::Change::Slower, "{python:?}");
        let go = comparison.rows.iter().find(|r| r.case == "go").unwrap();
        assert_eq!(go.verdict, compare::Change::WithinNoise, "{go:?}");
    }
}

#[test]
fn compare_pairs_each_case_once_preferring_the_same_toolchain() {
    let a = stored_run();
    let mut b = stored_run();
    b.id = 2;
    // Run B also measured nbody on CPython 3.12, twice as slow.
    let mut newer = toolchain(Language::Python);
    newer.id = "cpython-3.12.1".into();
    newer.version = "3.12.1".into();
    let mut on_newer = b
        .cases
        .iter()
        .find(|c| c.workload == "cpu/nbody" && c.language.as_deref() == Some("python"))
        .unwrap()
        .clone();
    on_newer.toolchain_id = Some(newer.id.clone());
    for sample in &mut on_newer.samples {
        sample.wall_s *= 2.0;
    }
    // Listed first, so only the exact-toolchain pass keeps it from taking 3.11.7's place.
    b.cases.insert(0, on_newer);
    b.toolchains.push(newer);
    // One timed run of Go's nbody in B: present, but too few samples for an interval.
    for case in &mut b.cases {
        if case.workload == "cpu/nbody" && case.language.as_deref() == Some("go") {
            case.samples.truncate(1);
        }
    }
    let comparison = compare::compare_runs(&a, &b, compare::BETWEEN_RUNS_FLOOR);
    let nbody: Vec<_> = comparison
        .rows
        .iter()
        .filter(|r| r.workload == "cpu/nbody")
        .collect();
    assert_eq!(nbody.len(), 1, "{:?}", comparison.rows);
    assert_eq!(nbody[0].toolchain_b, nbody[0].toolchain_a);
    assert!((nbody[0].change - 1.0).abs() < 1e-9);
    assert!(
        comparison
            .unmatched
            .iter()
            .any(|u| u.contains("cpu/nbody") && u.contains("3.12.1") && u.contains("run 2 only")),
        "{:?}",
        comparison.unmatched
    );
    assert!(
        comparison
            .not_compared
            .iter()
            .any(|u| u.contains("cpu/nbody on go")),
        "{:?}",
        comparison.not_compared
    );
    let mut csv = Vec::new();
    compare::render(&comparison, crate::report::Format::Csv, None, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.lines().next().unwrap().contains("ci_low,ci_high"),
        "{csv}"
    );
}

/// n-body measured under `profile`, its programs declared single-threaded work (`metric`), with
/// wall times that move with the neighbours and CPU times that do not.
fn noisy_nbody(profile: Profile, metric: crate::suite::Metric) -> StoredRun {
    reporting_nbody(profile, metric, ["", ""])
}

/// [`noisy_nbody`] whose Go and Python programs write `reported` to `$VERSUS_METRICS`.
fn reporting_nbody(
    profile: Profile,
    metric: crate::suite::Metric,
    reported: [&str; 2],
) -> StoredRun {
    let mut cases = vec![
        case("cpu/nbody", Language::Go, "go-nbody", OUT),
        case("cpu/nbody", Language::Python, "py-nbody", OUT),
    ];
    for case in &mut cases {
        case.metric = metric.clone();
    }
    let plan = Plan {
        groups: vec![group("cpu/nbody (default)", cases, Some(0))],
    };
    let mut executor = ScriptedExecutor::new()
        .script(
            "go-nbody",
            Script {
                cpus: vec![0.0100, 0.0101, 0.0100, 0.0099, 0.0100],
                metrics: reported[0].into(),
                ..Script::ok(&[0.010, 0.015, 0.011, 0.014, 0.010], OUT)
            },
        )
        .script(
            "py-nbody",
            Script {
                cpus: vec![0.600, 0.601, 0.600, 0.602, 0.600],
                metrics: reported[1].into(),
                ..Script::ok(&[0.90, 0.61, 0.85, 0.60, 0.93], OUT)
            },
        );
    stored(&plan, &mut executor, profile)
}

/// `plan` run by `executor` under `profile` on Go and Python, stored, and read back.
pub(crate) fn stored(plan: &Plan, executor: &mut ScriptedExecutor, profile: Profile) -> StoredRun {
    let store = Store::in_memory().unwrap();
    let toolchains = [toolchain(Language::Go), toolchain(Language::Python)];
    let mut writer = store
        .begin_run(&crate::testing::run_meta(), &toolchains)
        .unwrap();
    Runner {
        executor,
        profile,
        sink: &mut writer,
        events: &mut Silent,
    }
    .run(plan)
    .unwrap();
    writer.finish(RunStatus::Complete).unwrap();
    store.load_run(writer.run_id).unwrap()
}

fn spent_profile() -> Profile {
    Profile {
        warmup: 0,
        min_rounds: 5,
        max_rounds: 40,
        target: 0.05,
        budget: std::time::Duration::ZERO,
        steady_state_budget: std::time::Duration::from_secs(1),
    }
}

#[test]
fn a_ratio_whose_budget_ran_out_says_so() {
    let report = Report::from_run(&noisy_nbody(spent_profile(), crate::suite::Metric::Wall));
    let comparison = &report.comparisons[0];
    assert_eq!(comparison.metric, crate::suite::Metric::Wall);
    assert!(
        comparison.precision.budget_spent,
        "{:?}",
        comparison.precision
    );
    assert!(comparison.precision.half_width > 0.05);
    let mut out = Vec::new();
    table::write_terminal(&report, &mut out, None).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(": budget spent"), "{text}");
    assert!(
        text.contains("wider than the quick profile's ±5% because its time budget ran out first"),
        "{text}"
    );
}

#[test]
fn single_threaded_work_is_compared_on_cpu_time_with_wall_time_beside_it() {
    let report = Report::from_run(&noisy_nbody(spent_profile(), crate::suite::Metric::Cpu));
    let c = &report.comparisons[0];
    assert_eq!(c.metric, crate::suite::Metric::Cpu);
    // 0.600 / 0.0100 in every round, give or take 2%.
    assert!((c.ratio - 60.0).abs() < 1.2, "{c:?}");
    assert!(
        c.precision.half_width < 0.05 && !c.precision.budget_spent,
        "{c:?}"
    );
    let other = c.other.as_ref().unwrap();
    assert_eq!(other.metric, crate::suite::Metric::Wall);
    assert!(
        other.ci_high / other.ci_low > 1.5,
        "the noisy wall times: {other:?}"
    );
    assert_eq!(c.pairs, 5);
}

#[test]
fn a_reported_headline_is_the_ratio_through_the_store_with_wall_time_beside_it() {
    let batch = crate::suite::Metric::parse("reported:batch_s").unwrap();
    let run = reporting_nbody(
        spent_profile(),
        batch.clone(),
        ["batch_s 0.050\n", "batch_s 0.060\n"],
    );
    assert_eq!(
        run.cases[0].metric, batch,
        "the store keeps what the value is"
    );
    let report = Report::from_run(&run);
    let c = &report.comparisons[0];
    assert_eq!(c.metric, batch);
    assert!((c.ratio - 1.2).abs() < 1e-9, "0.060 / 0.050: {c:?}");
    assert_eq!(c.verdict, crate::stats::Verdict::Slower);
    let other = c.other.as_ref().unwrap();
    assert_eq!(
        other.metric,
        crate::suite::Metric::Wall,
        "the whole process"
    );
    assert!(other.ratio > 40.0, "{other:?}");
    let mut out = Vec::new();
    table::write_terminal(&report, &mut out, None).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("1.20× [1.20, 1.20] batch_s"), "{text}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["comparisons"][0]["metric"], "reported:batch_s");
    assert_eq!(json["comparisons"][0]["other"]["metric"], "wall");
}

#[test]
fn programs_that_did_not_report_their_headline_are_not_compared_on_wall_time() {
    let batch = crate::suite::Metric::parse("reported:batch_s").unwrap();
    let report = Report::from_run(&reporting_nbody(
        spent_profile(),
        batch,
        ["batch_s 0.05\n", ""],
    ));
    assert!(report.comparisons.is_empty(), "{:?}", report.comparisons);
    let py = report.cases.iter().find(|c| !c.baseline).unwrap();
    assert_eq!(py.verdict, crate::case::CaseVerdict::WrongOutput);
    assert!(
        py.detail
            .as_deref()
            .unwrap()
            .contains("did not report `batch_s`")
    );
}

#[test]
fn a_program_declared_single_threaded_that_used_more_cores_is_named() {
    let report = Report::from_run(&noisy_nbody(spent_profile(), crate::suite::Metric::Cpu));
    assert!(
        !report
            .warnings
            .iter()
            .any(|w| w.contains("declared single-threaded")),
        "{:?}",
        report.warnings
    );
    // Go's CPU time of 10 ms in 10–15 ms of wall time is one core; a case whose CPU time is
    // 1.5× its wall time is not.
    let mut run = noisy_nbody(spent_profile(), crate::suite::Metric::Cpu);
    for sample in &mut run.cases[0].samples {
        sample.user_s = sample.wall_s * 1.5;
        sample.sys_s = 0.0;
    }
    let warnings = Report::from_run(&run).warnings;
    let warning = warnings
        .iter()
        .find(|w| w.contains("declared single-threaded"))
        .expect("a warning");
    assert!(
        warning.contains("cpu/nbody on go 1.26.8") && warning.contains("1.50 cores"),
        "{warning}"
    );
}

/// data/matmul on a ladder n = 256, 512, 1024: a naive Go loop (2 ms to start, 10 ns per
/// multiply-add) against NumPy (300 ms to start and import, 1 ns), 2% noise, six rounds.
fn matmul_ladder() -> StoredRun {
    matmul_ladder_with(false)
}

/// The same, with `one_thread` a second NumPy program (one BLAS thread, 1.5 ns a unit) that,
/// like the Go loop, declares itself single-threaded (`metric = "cpu"`).
fn matmul_ladder_with(one_thread: bool) -> StoredRun {
    let mut cases = Vec::new();
    let mut executor = ScriptedExecutor::new();
    let mut rng = fastrand::Rng::with_seed(11);
    for n in [256u64, 512, 1024] {
        let work = (n as f64).powi(3);
        let mut programs = vec![
            (Language::Go, "go", 0.002, 1e-8),
            (Language::Python, "numpy", 0.3, 1e-9),
        ];
        if one_thread {
            programs.push((Language::Python, "numpy, one BLAS thread", 0.25, 1.5e-9));
        }
        for (language, name, fixed, marginal) in programs {
            let program = format!("{name}-{n}");
            let mut case = case("data/matmul", language, &program, OUT);
            case.claim = Some(crate::suite::Claim::Data);
            if language == Language::Python {
                case.variant = Some(crate::suite::Variant::LibraryBacked);
                case.label = Some(name.into());
            }
            if one_thread && name != "numpy" {
                case.metric = crate::suite::Metric::Cpu;
            }
            case.point = Some(crate::suite::Point {
                name: "n".into(),
                value: n,
            });
            case.work = Some(work);
            let walls: Vec<f64> = (0..6)
                .map(|_| (fixed + marginal * work) * (1.0 + 0.02 * (rng.f64() - 0.5)))
                .collect();
            executor = executor.script(&program, Script::ok(&walls, OUT));
            cases.push(case);
        }
    }
    let plan = Plan {
        groups: vec![crate::case::Group {
            baselines: if one_thread {
                vec![0, 3, 6]
            } else {
                vec![0, 2, 4]
            },
            ..group("data/matmul (ladder, ladder of n)", cases, None)
        }],
    };
    stored(&plan, &mut executor, Profile::fixed(6, 0))
}

#[test]
fn a_ladder_is_read_as_fixed_and_marginal_cost_and_judges_the_data_claim() {
    let report = Report::from_run(&matmul_ladder());
    // One comparison per point, each against Go at the same n.
    assert_eq!(report.comparisons.len(), 3);
    let at = |n: u64| {
        report
            .comparisons
            .iter()
            .find(|c| {
                report.cases[c.contender_index]
                    .point
                    .as_ref()
                    .unwrap()
                    .value
                    == n
            })
            .unwrap()
    };
    assert!(
        at(256).ci_low > 1.5,
        "at n = 256 NumPy's start-up dominates: {:?}",
        at(256)
    );
    assert!(
        at(1024).ci_high < 0.5,
        "at n = 1024 the multiply does: {:?}",
        at(1024)
    );
    let [line] = report.findings.costs.as_slice() else {
        panic!("one cost line: {:?}", report.findings.costs);
    };
    assert_eq!(line.points, [256, 512, 1024]);
    assert!((line.work_power.unwrap() - 3.0).abs() < 1e-9);
    let r = line.fit.marginal_ratio;
    assert!(
        r.ci_low <= 0.1 && 0.1 <= r.ci_high && r.ci_high < 0.13,
        "{r:?}"
    );
    // 0.3 + 1e-9 n³ = 0.002 + 1e-8 n³ at n³ ≈ 3.3e7, n ≈ 322.
    let at = line.crossover_at.unwrap();
    assert!(at.ci_low <= 322.0 && 322.0 <= at.ci_high, "{at:?}");
    assert!(line.crossover_near && line.contender_cheaper_beyond);
    let whole = line.whole_process.as_ref().unwrap();
    assert_eq!(whole.at, 1024);
    let evidence = evidence::evidence("data", &report.inputs());
    assert_eq!(evidence.favours, Some(Language::Python), "{evidence:?}");
    assert!(
        evidence.text.contains("per unit of work"),
        "{}",
        evidence.text
    );
    assert!(
        evidence.text.contains("is faster beyond n ≈"),
        "{}",
        evidence.text
    );
    let mut out = Vec::new();
    table::write_terminal(&report, &mut out, None).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("cost per unit of work:"), "{text}");
    assert!(text.contains("work ∝ n^3, n = 256, 512, 1024"), "{text}");
    assert!(
        text.contains("the baseline's (whole process at n=1024:"),
        "{text}"
    );
    assert!(
        text.contains("data/matmul (default, n=512)"),
        "the point names its rows: {text}"
    );
}

#[test]
fn a_data_claim_judged_on_one_size_says_so() {
    // Only n = 256 of the ladder: no line, the whole process decides and the text says so.
    let mut run = matmul_ladder();
    run.cases
        .retain(|c| c.point.as_ref().is_some_and(|p| p.value == 256));
    for case in &mut run.cases {
        case.work = None;
    }
    let report = Report::from_run(&run);
    assert!(report.findings.costs.is_empty());
    let evidence = evidence::evidence("data", &report.inputs());
    assert_eq!(
        evidence.favours,
        Some(Language::Go),
        "start-up dominates at n = 256"
    );
    assert!(evidence.nuance.unwrap().contains("--ladder"));
}

#[test]
fn idle_tasks_compare_on_memory_past_both_floors() {
    let mib = 1024 * 1024;
    let peaks = |run: &mut StoredRun, tasks: u64, values: &[u64]| {
        for case in &mut run.cases {
            let at = case.point.as_ref().map(|p| p.value);
            if case.workload == "concurrency/idle-tasks" && at == Some(tasks) {
                for (i, sample) in case.samples.iter_mut().enumerate() {
                    sample.tree_peak_bytes = Some(values[i % values.len()]);
                }
            }
        }
    };
    let mut a = stored_run();
    let mut b = stored_run();
    b.id = 2;
    let points: Vec<u64> = a
        .cases
        .iter()
        .filter(|c| c.workload == "concurrency/idle-tasks")
        .filter_map(|c| c.point.as_ref().map(|p| p.value))
        .collect();
    let (small, large) = (points[0], *points.iter().max().unwrap());
    assert_ne!(small, large);
    // A 1.3 MiB process read at 2.4 MiB: twice as much, but a cgroup's page-cache artefact.
    peaks(&mut a, small, &[13 * mib / 10]);
    peaks(&mut b, small, &[24 * mib / 10]);
    // 200 MiB against 230 MiB: a real change.
    peaks(&mut a, large, &[200 * mib, 201 * mib]);
    peaks(&mut b, large, &[230 * mib, 231 * mib]);
    let comparison = compare::compare_runs(&a, &b, compare::BETWEEN_RUNS_FLOOR);
    let at = |tasks: u64| {
        comparison
            .rows
            .iter()
            .filter(|r| r.workload == "concurrency/idle-tasks")
            .filter(|r| r.point.as_ref().map(|p| p.value) == Some(tasks))
            .collect::<Vec<_>>()
    };
    assert!(!at(small).is_empty() && !at(large).is_empty());
    for row in at(small) {
        assert_eq!(row.measure, compare::Measure::Memory, "{row:?}");
        assert_eq!(row.verdict, compare::Change::WithinNoise, "{row:?}");
    }
    for row in at(large) {
        assert_eq!(row.measure, compare::Measure::Memory, "{row:?}");
        assert_eq!(row.verdict, compare::Change::Larger, "{row:?}");
    }
}

#[test]
fn a_workload_with_two_numpy_programs_counts_once_in_the_data_finding() {
    let report = Report::from_run(&matmul_ladder_with(true));
    assert_eq!(
        report.findings.costs.len(),
        2,
        "{:?}",
        report.findings.costs
    );
    let one = report
        .findings
        .costs
        .iter()
        .find(|l| l.contender_label.as_deref() == Some("numpy, one BLAS thread"))
        .expect("a line for the one-thread program");
    assert_eq!(
        one.metric,
        crate::suite::Metric::Cpu,
        "both declared single-threaded"
    );
    let evidence = evidence::evidence("data", &report.inputs());
    assert_eq!(evidence.favours, Some(Language::Python), "{evidence:?}");
    assert!(
        evidence
            .text
            .contains("judged on data/matmul (numpy, one BLAS thread), one figure a workload"),
        "{}",
        evidence.text
    );
    // Each block of ladder lines names the time it is of, with the baseline fitted on it.
    let mut out = Vec::new();
    table::write_terminal(&report, &mut out, None).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("wall time = fixed + marginal × work"),
        "{text}"
    );
    assert!(
        text.contains("cpu time = fixed + marginal × work"),
        "{text}"
    );
}

#[test]
fn a_case_whose_metric_changed_between_runs_is_compared_on_one_quantity() {
    let a = stored_run();
    let mut b = stored_run();
    b.id = 2;
    let nbody = |run: &StoredRun| {
        run.cases
            .iter()
            .find(|c| c.workload == "cpu/nbody" && c.language.as_deref() == Some("go"))
            .map(|c| c.metric.clone())
            .unwrap()
    };
    assert_eq!(nbody(&a), crate::suite::Metric::Wall);
    for case in &mut b.cases {
        if case.workload == "cpu/nbody" {
            case.metric = crate::suite::Metric::Cpu;
            // CPU time a tenth of wall time: comparing B's CPU with A's wall would read 0.1×.
            for sample in &mut case.samples {
                sample.user_s = sample.wall_s * 0.1;
                sample.sys_s = 0.0;
            }
        }
    }
    let comparison = compare::compare_runs(&a, &b, compare::BETWEEN_RUNS_FLOOR);
    let row = comparison
        .rows
        .iter()
        .find(|r| r.workload == "cpu/nbody" && r.case == "go")
        .unwrap();
    assert_eq!(
        row.measure,
        compare::Measure::Wall,
        "run A's measure: {row:?}"
    );
    assert!((row.change - 1.0).abs() < 1e-9, "{row:?}");
    assert_eq!(row.verdict, compare::Change::WithinNoise);
}

#[test]
fn the_conditions_say_what_was_removed_set_and_which_site_packages_python_saw() {
    let mut run = stored_run();
    run.environment.removed_env = Some(vec![("PYTHONUNBUFFERED".into(), "1".into())]);
    let python = run
        .cases
        .iter()
        .position(|c| c.language.as_deref() == Some("python"))
        .unwrap();
    run.cases[python].packages = Some(crate::case::Packages::CleanVenv);
    run.cases[python].env = vec![("GOGC".into(), "off".into())];
    let mut out = Vec::new();
    render(&run, crate::report::Format::Table, None, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("environment: versus's own without PYTHONUNBUFFERED=1"),
        "{text}"
    );
    assert!(text.contains("set on purpose: GOGC=off for "), "{text}");
    assert!(
        text.contains("python site-packages: a clean venv (standard library only) for 1"),
        "{text}"
    );
    // A run stored before the environment was recorded says so instead of claiming a clean one.
    run.environment.removed_env = None;
    let mut out = Vec::new();
    render(&run, crate::report::Format::Markdown, None, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("environment: not recorded"), "{text}");
    assert!(!text.contains("memory limit"), "none was recorded: {text}");
    run.environment.memory_limit_bytes = Some(256 << 20);
    let mut out = Vec::new();
    render(&run, crate::report::Format::Markdown, None, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("memory limit: 256 MiB for each program's whole process tree"),
        "{text}"
    );
}

#[test]
fn two_runs_of_a_reported_headline_are_compared_on_it() {
    let batch = crate::suite::Metric::parse("reported:batch_s").unwrap();
    let a = reporting_nbody(spent_profile(), batch.clone(), ["batch_s 0.05\n"; 2]);
    let mut b = reporting_nbody(spent_profile(), batch, ["batch_s 0.10\n"; 2]);
    b.id = 2;
    let comparison = compare::compare_runs(&a, &b, compare::BETWEEN_RUNS_FLOOR);
    let row = &comparison.rows[0];
    let compare::Measure::Reported(name) = &row.measure else {
        panic!("{row:?}");
    };
    assert_eq!(name.as_str(), "batch_s");
    // The wall times are the same scripted ones in both runs: only the batch doubled.
    assert!((row.change - 2.0).abs() < 1e-9, "{row:?}");
    assert_eq!(row.verdict, compare::Change::Slower);
    let json = serde_json::to_value(row).unwrap();
    assert_eq!(json["measure"], "reported:batch_s");
}

/// n-body (the interpreter's own work) and regex-redux, whose Python program's work is done by
/// the C of the `re` module: Python 60× Go's time on the first, 2× on the second.
fn nbody_and_regex() -> StoredRun {
    let mut py_re = case("cpu/regex-redux", Language::Python, "py-re", OUT);
    py_re.backed_by = Some("C (re module)".into());
    let plan = Plan {
        groups: vec![
            group(
                "cpu/nbody (default)",
                vec![
                    case("cpu/nbody", Language::Go, "go-nbody", OUT),
                    case("cpu/nbody", Language::Python, "py-nbody", OUT),
                ],
                Some(0),
            ),
            group(
                "cpu/regex-redux (default)",
                vec![case("cpu/regex-redux", Language::Go, "go-re", OUT), py_re],
                Some(0),
            ),
        ],
    };
    let mut executor = ScriptedExecutor::new()
        .script("go-nbody", Script::ok(&[0.010], OUT))
        .script("py-nbody", Script::ok(&[0.600], OUT))
        .script("go-re", Script::ok(&[0.100], OUT))
        .script("py-re", Script::ok(&[0.200], OUT));
    stored(&plan, &mut executor, Profile::fixed(5, 0))
}

#[test]
fn the_runtime_speed_mean_is_also_given_without_the_programs_whose_work_is_c() {
    let run = nbody_and_regex();
    let backed: Vec<_> = run
        .cases
        .iter()
        .filter_map(|c| c.backed_by.clone())
        .collect();
    assert_eq!(backed, ["C (re module)"], "the store keeps it");
    let report = Report::from_run(&run);
    let speed = &report.findings.runtime_speed[0];
    assert_eq!(speed.workloads, 2);
    // Every idiomatic program: √(60 × 2).
    assert!(
        (speed.geometric_mean.value - 120f64.sqrt()).abs() < 1e-6,
        "{speed:?}"
    );
    let own = speed
        .without_backed
        .as_ref()
        .expect("a backed row was left out");
    assert_eq!(own.workloads, 1);
    assert!((own.geometric_mean.value - 60.0).abs() < 1e-6, "{own:?}");
    assert_eq!(own.left_out[0].workload, "cpu/regex-redux");
    let says = "without the 1 whose work is done by code in another language (cpu/regex-redux, \
                backed by C (re module)): geometric mean 60.0×";
    for format in [
        crate::report::Format::Table,
        crate::report::Format::Markdown,
        crate::report::Format::Html,
    ] {
        let mut out = Vec::new();
        render(&run, format, None, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(says), "{format:?}: {text}");
        assert!(
            text.contains("cpython 3.11.7, backed by C (re module)"),
            "{format:?}"
        );
    }
    let json = serde_json::to_value(&report).unwrap();
    let speed = &json["findings"]["runtime_speed"][0];
    assert_eq!(speed["without_backed"]["workloads"], 1);
    assert_eq!(
        speed["without_backed"]["left_out"][0]["backed_by"],
        "C (re module)"
    );
    assert!(
        json["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["backed_by"] == "C (re module)")
    );
    // Without a backed program there is one mean only.
    let report = Report::from_run(&stored_run());
    assert!(
        report
            .findings
            .runtime_speed
            .iter()
            .all(|s| s.without_backed.is_none())
    );
}

/// The floors and n-body, Go's n-body taking `go_nbody_s` against a 2 ms empty program.
fn nbody_beside_floors(go_nbody_s: f64) -> StoredRun {
    let mut floor_go = case("startup floor", Language::Go, "go-empty", b"");
    let mut floor_py = case("startup floor", Language::Python, "py-empty", b"");
    for floor in [&mut floor_go, &mut floor_py] {
        floor.kind = CaseKind::Floor;
        floor.claim = None;
    }
    let plan = Plan {
        groups: vec![
            group("startup floor", vec![floor_go, floor_py], Some(0)),
            group(
                "cpu/nbody (default)",
                vec![
                    case("cpu/nbody", Language::Go, "go-nbody", OUT),
                    case("cpu/nbody", Language::Python, "py-nbody", OUT),
                ],
                Some(0),
            ),
        ],
    };
    let mut executor = ScriptedExecutor::new()
        .script("go-empty", Script::ok(&[0.002], b""))
        .script("py-empty", Script::ok(&[0.045], b""))
        .script("go-nbody", Script::ok(&[go_nbody_s], OUT))
        .script("py-nbody", Script::ok(&[0.900], OUT));
    stored(&plan, &mut executor, Profile::fixed(5, 0))
}

#[test]
fn a_ratio_whose_shorter_side_is_much_start_up_is_named_with_the_share() {
    // 2 ms of a 13 ms run is 15%: more than a tenth of Go's side is start-up.
    let report = Report::from_run(&nbody_beside_floors(0.013));
    let named: Vec<&String> = report
        .warnings
        .iter()
        .filter(|w| w.contains("start-up floor"))
        .collect();
    assert_eq!(named.len(), 1, "{:?}", report.warnings);
    let warning = named[0];
    assert!(warning.starts_with("cpu/nbody on go 1.26.8:"), "{warning}");
    assert!(
        warning.contains("2.00 ms wall) is 15% of its median 13.00 ms wall"),
        "{warning}"
    );
    assert!(warning.contains("more than the 10%"), "{warning}");
    assert!(warning.contains("--ladder"), "{warning}");
    // Below 5 ms with a floor in the run: the share is named, not the floorless rule's words.
    let report = Report::from_run(&nbody_beside_floors(0.004));
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("is 50% of its median")),
        "{:?}",
        report.warnings
    );
    assert!(
        !report
            .warnings
            .iter()
            .any(|w| w.contains("mostly process start-up"))
    );
    // 2 ms of 50 ms is 4%: the ratio is the work's.
    let report = Report::from_run(&nbody_beside_floors(0.050));
    assert!(
        !report.warnings.iter().any(|w| w.contains("start-up")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn the_report_weighs_the_articles_choices_and_the_end_of_a_run_does_not() {
    let run = stored_run();
    let text = |format, extent| {
        let mut out = Vec::new();
        render_extent(&run, format, Some(100), extent, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    use crate::report::Format::{Markdown, Table};
    for (format, heading) in [
        (Table, "which should you choose (the article"),
        (Markdown, "### Which should you choose? (the article"),
    ] {
        let full = text(format, Extent::Full);
        let end_of_run = text(format, Extent::EndOfRun);
        assert!(full.contains(heading), "{full}");
        assert!(full.contains("Skip learning both at once"), "{full}");
        assert!(!end_of_run.contains(heading), "{end_of_run}");
        assert!(full.starts_with(&end_of_run), "the rest is the same");
    }
    let report = Report::from_run(&run);
    assert_eq!(report.choices.choices.len(), 6);
    assert_eq!(report.choices.skip.claims.len(), 4);
    let learning = &report.choices.choices[0];
    assert_eq!(
        learning.weighed_as.as_deref(),
        Some("versus advise --goal learning")
    );
    assert_eq!(learning.leans, Some(Language::Python), "{learning:?}");
    let mut html = Vec::new();
    render(&run, crate::report::Format::Html, None, &mut html).unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("id=\"choices\"") && html.contains("id=\"skips\""));
}
