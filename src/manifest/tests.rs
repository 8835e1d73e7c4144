use std::path::Path;

use super::*;
use crate::suite::{Point, Stdin, SweepValues};

pub(super) const VALID: &str = r#"
name = "echo"
claim = "runtime-speed"
description = "prints its argument"
tour = true

[sizes.small]
args = ["1"]
timeout_s = 5
expected = { sha256 = "853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020" }

[sizes.default]
expected = { file = "expected.txt", abs_tolerance = 1e-8 }

[[implementations]]
language = "python"
source = "echo.py"
variant = "idiomatic"

[[implementations]]
language = "go"
source = "echo.go"
variant = "optimized"
"#;

/// Writes `suite/echo/workload.toml` with `text` and the files it names; returns the manifest.
pub(super) fn fixture(root: &Path, text: &str) -> std::path::PathBuf {
    let dir = root.join("suite").join("echo");
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["echo.py", "echo.go", "expected.txt"] {
        std::fs::write(dir.join(file), "1.0\n").unwrap();
    }
    let path = dir.join(FILE_NAME);
    std::fs::write(&path, text).unwrap();
    path
}

fn error_of(text: &str) -> (String, String) {
    let root = tempfile::tempdir().unwrap();
    let path = fixture(root.path(), text);
    let err = load(&path, "suite").unwrap_err();
    (err.to_string(), err.hint().to_string())
}

#[test]
fn a_valid_manifest_loads_completely() {
    let root = tempfile::tempdir().unwrap();
    let path = fixture(root.path(), VALID);
    let workload = load(&path, "suite").unwrap();
    assert_eq!(workload.id(), "suite/echo");
    assert_eq!(workload.claim, Claim::RuntimeSpeed);
    assert!(workload.tour);
    let small = &workload.sizes[&SizeName::Small];
    assert_eq!(small.args, ["1"]);
    assert_eq!(small.timeout, Duration::from_secs(5));
    assert!(matches!(
        small.expected,
        ExpectedSpec::Fixed(Expected::Exact { bytes: None, .. })
    ));
    let default = &workload.sizes[&SizeName::Default];
    assert_eq!(default.timeout, Duration::from_secs(60));
    assert!(matches!(
        default.expected,
        ExpectedSpec::Fixed(Expected::Tolerant { .. })
    ));
    assert_eq!(workload.implementations.len(), 2);
    assert_eq!(workload.implementations[1].variant, Variant::Optimized);
    assert!(workload.implementations[0].source.is_absolute());
}

#[test]
fn an_unknown_field_names_the_file_line_and_fix() {
    let (message, hint) = error_of(&VALID.replace("timeout_s = 5", "timeout = 5"));
    assert!(message.contains("workload.toml:9:1"), "{message}");
    assert!(message.contains("unknown field `timeout`"), "{message}");
    assert!(hint.contains("remove or rename"), "{hint}");
}

#[test]
fn malformed_toml_is_located() {
    let (message, _) = error_of(&VALID.replace("tour = true", "tour = "));
    assert!(message.contains("workload.toml:5:"), "{message}");
}

#[test]
fn a_missing_source_file_is_named() {
    let (message, hint) = error_of(&VALID.replace("echo.go", "missing.go"));
    assert!(message.contains("missing.go does not exist"), "{message}");
    assert!(message.contains("workload.toml:22:"), "{message}");
    assert!(hint.contains("fix the path"), "{hint}");
}

#[test]
fn semantic_errors_have_hints() {
    let cases = [
        (VALID.replace("853ff937", "zz"), "is not 64 hex digits"),
        (
            VALID.replace("[sizes.default]", "[sizes.large]"),
            "no `default` size",
        ),
        (
            VALID.replace("name = \"echo\"", "name = \"other\""),
            "differs from the folder name",
        ),
        (
            VALID.replace("timeout_s = 5", "timeout_s = -1"),
            "positive number",
        ),
        (
            VALID.replace("claim = \"runtime-speed\"", "claim = \"speed\""),
            "unknown variant `speed`",
        ),
        (
            VALID.replace("language = \"go\"", "language = \"rust\""),
            "unknown variant `rust`",
        ),
        (
            VALID.replace(
                "{ file = \"expected.txt\", abs_tolerance = 1e-8 }",
                "{ abs_tolerance = 1e-8 }",
            ),
            "exactly one of `sha256`, `file` and `text`",
        ),
        (
            VALID.replace(
                "\" }\n\n[sizes.default]",
                "\", rel_tolerance = 0.1 }\n\n[sizes.default]",
            ),
            "needs the expected output itself",
        ),
    ];
    for (text, wanted) in cases {
        let (message, hint) = error_of(&text);
        assert!(message.contains(wanted), "{message} should say {wanted}");
        assert!(!hint.is_empty());
    }
}

#[test]
fn line_and_column_are_one_based() {
    assert_eq!(line_column("ab\ncd", 0), (1, 1));
    assert_eq!(line_column("ab\ncd", 4), (2, 2));
}

#[test]
fn generated_stdin_packages_and_labels() {
    let root = tempfile::tempdir().unwrap();
    let text = VALID
        .replace(
            "[sizes.default]\n",
            "[sizes.default]\nstdin = { generator = \"echo.py\", args = [\"5\"], sha256 = \"853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020\" }\n",
        )
        .replace(
            "source = \"echo.py\"\nvariant = \"idiomatic\"",
            "source = \"echo.py\"\nvariant = \"idiomatic\"\nlabel = \"plain\"\nrequirements = \"expected.txt\"\ngo_library = \"echo.go\"",
        );
    let path = fixture(root.path(), &text);
    let workload = load(&path, "suite").unwrap();
    match &workload.sizes[&SizeName::Default].stdin {
        Some(Stdin::Generated {
            generator, args, ..
        }) => {
            assert!(generator.ends_with("echo.py"));
            assert_eq!(args, &["5"]);
        }
        other => panic!("{other:?}"),
    }
    let python = &workload.implementations[0];
    assert_eq!(python.label.as_deref(), Some("plain"));
    assert!(
        python
            .requirements
            .as_ref()
            .unwrap()
            .ends_with("expected.txt")
    );
    assert!(python.go_library.as_ref().unwrap().ends_with("echo.go"));
}

#[test]
fn new_fields_are_checked() {
    let go_requirements = VALID.replace(
        "source = \"echo.go\"\nvariant = \"optimized\"",
        "source = \"echo.go\"\nvariant = \"optimized\"\nrequirements = \"expected.txt\"",
    );
    let (message, _) = error_of(&go_requirements);
    assert!(
        message.contains("`requirements` is for Python"),
        "{message}"
    );
    let bad_stdin = VALID.replace(
        "[sizes.default]\n",
        "[sizes.default]\nstdin = { generator = \"echo.py\" }\n",
    );
    let (message, hint) = error_of(&bad_stdin);
    assert!(message.contains("missing field `sha256`"), "{message}");
    assert!(hint.contains("generator"), "{hint}");
    let long_label = VALID.replace(
        "variant = \"optimized\"",
        "variant = \"optimized\"\nlabel = \"a label far too long to be a word or two\"",
    );
    let (message, _) = error_of(&long_label);
    assert!(message.contains("a word or two"), "{message}");
}

#[test]
fn a_sweep_expands_its_parameter_in_args_and_expected_output() {
    let root = tempfile::tempdir().unwrap();
    let text = VALID.replace(
        "[sizes.default]\nexpected = { file = \"expected.txt\", abs_tolerance = 1e-8 }",
        "[sizes.default]\nargs = [\"{tasks}\", \"0.5\"]\nsweep = { tasks = [1, 1000] }\nruns = 3\nwarmup = 0\nexpected = { text = \"{tasks} tasks done\\n\" }\n\n[sizes.large]\nsweep = { workers = \"up-to-twice-the-cores\" }\nargs = [\"{workers}\"]\nexpected = { file = \"out-{workers}.txt\" }",
    );
    let path = fixture(root.path(), &text);
    // Every point the manifest names needs its expected file: out-1.txt is missing.
    let err = load(&path, "suite").unwrap_err().to_string();
    assert!(err.contains("out-"), "{err}");
    std::fs::write(path.with_file_name("out-1.txt"), "one\n").unwrap();
    let workload = load(&path, "suite").unwrap();
    let default = &workload.sizes[&SizeName::Default];
    let sweep = default.sweep.as_ref().unwrap();
    assert_eq!(sweep.name, "tasks");
    assert_eq!(sweep.values, SweepValues::List(vec![1, 1000]));
    assert_eq!((default.runs, default.warmup), (Some(3), Some(0)));
    let point = Point {
        name: "tasks".into(),
        value: 1000,
    };
    assert_eq!(Point::substitute(Some(&point), &default.args[0]), "1000");
    match default
        .expected
        .resolve(&workload.dir, Some(&point))
        .unwrap()
    {
        Expected::Exact { bytes, .. } => {
            assert_eq!(bytes.unwrap().as_slice(), b"1000 tasks done\n")
        }
        other => panic!("{other:?}"),
    }
    // Without a `tour` size, the tour runs `default`.
    assert_eq!(workload.size(SizeName::Tour).0, SizeName::Default);
    let large = &workload.sizes[&SizeName::Large];
    let values = large.sweep.as_ref().unwrap().values.resolve(3);
    assert_eq!(values, [1, 2, 3, 4, 6]);
    assert_eq!(SweepValues::UpToTwiceTheCores.resolve(2), [1, 2, 4]);
    assert_eq!(SweepValues::UpToTwiceTheCores.resolve(1), [1, 2]);
    // A point the manifest does not name, given on the command line, is read when planned.
    let seven = Point {
        name: "workers".into(),
        value: 7,
    };
    let err = large
        .expected
        .resolve(&workload.dir, Some(&seven))
        .unwrap_err();
    assert!(err.contains("out-7.txt"), "{err}");
}

#[test]
fn a_malformed_sweep_is_explained() {
    let with = |sweep: &str| {
        VALID.replace(
            "[sizes.default]\n",
            &format!("[sizes.default]\nsweep = {sweep}\nargs = [\"{{tasks}}\"]\nruns = 2\n"),
        )
    };
    for (sweep, wanted) in [
        ("{ tasks = [] }", "non-empty list of positive integers"),
        ("{ tasks = [0, 5] }", "non-empty list of positive integers"),
        ("{ tasks = [1], workers = [2] }", "exactly one parameter"),
        (
            "{ tasks = \"many\" }",
            "must be a list of positive integers",
        ),
        ("{ Tasks = [1] }", "lowercase"),
    ] {
        let (message, hint) = error_of(&with(sweep));
        assert!(message.contains(wanted), "{sweep}: {message}");
        assert!(hint.contains("sweep ="), "{hint}");
    }
    let unused = VALID.replace(
        "[sizes.default]\n",
        "[sizes.default]\nsweep = { tasks = [1, 2] }\nargs = [\"{workers}\"]\n",
    );
    let (message, hint) = error_of(&unused);
    assert!(
        message.contains("`{tasks}` appears in no argument"),
        "{message}"
    );
    assert!(hint.contains("args = [\"{tasks}\"]"), "{hint}");
    let (message, _) = error_of(&VALID.replace("timeout_s = 5", "timeout_s = 5\nruns = 0"));
    assert!(message.contains("runs must be 1 to 10000"), "{message}");
    let (message, _) = error_of(&VALID.replace(
        "{ file = \"expected.txt\", abs_tolerance = 1e-8 }",
        "{ text = \"1.0\\n\", abs_tolerance = 1e-8 }",
    ));
    assert!(message.contains("not with text"), "{message}");
}

const BACKEND: &str = r#"
name = "echo"
claim = "backend"
description = "a server"

[backend]
method = "POST"
path = "/echo"
body = "expected.txt"
ready = "/health"

[sizes.default]
args = ["{port}"]
expected = { text = "ok" }
load = { connections = 8, duration_s = 2, rates = [75, 25] }

[[implementations]]
language = "python"
source = "echo.py"
variant = "idiomatic"
args = ["-m", "server", "--port", "{port}"]

[[implementations]]
language = "go"
source = "echo.go"
variant = "idiomatic"
"#;

#[test]
fn a_backend_manifest_loads_its_request_and_load() {
    let root = tempfile::tempdir().unwrap();
    let path = fixture(root.path(), BACKEND);
    let workload = load(&path, "suite").unwrap();
    let backend = workload.backend.as_ref().unwrap();
    assert_eq!(backend.method, "POST");
    assert_eq!(backend.path, "/echo");
    assert_eq!(backend.body, b"1.0\n");
    assert_eq!(backend.ready_path, "/health");
    assert_eq!(backend.ready_timeout, Duration::from_secs(30));
    let load = workload.sizes[&SizeName::Default].load.as_ref().unwrap();
    assert_eq!(load.connections, 8);
    assert_eq!(load.duration, Duration::from_secs(2));
    assert_eq!(load.warmup, Duration::from_millis(500));
    assert_eq!(load.rates_percent, [25, 75]);
    assert_eq!(
        workload.implementations[0].args.as_deref(),
        Some(&["-m", "server", "--port", "{port}"].map(String::from)[..])
    );
}

#[test]
fn a_backend_manifest_is_checked() {
    let cases = [
        (
            BACKEND.replace("claim = \"backend\"", "claim = \"runtime-speed\""),
            "[backend] is for workloads",
        ),
        (BACKEND.replace("[backend]", "[elsewhere]"), "unknown field"),
        (
            BACKEND.replace(
                "load = { connections = 8, duration_s = 2, rates = [75, 25] }\n",
                "",
            ),
            "has no `load`",
        ),
        (
            BACKEND.replace("args = [\"{port}\"]", "args = []"),
            "must be told its port",
        ),
        (
            BACKEND.replace("rates = [75, 25]", "rates = [0]"),
            "from 1 to 100",
        ),
        (
            BACKEND.replace("duration_s = 2", "duration_s = -1"),
            "duration_s must be",
        ),
        (
            BACKEND.replace("path = \"/echo\"", "path = \"echo\""),
            "is not a request path",
        ),
        (
            BACKEND.replace("body = \"expected.txt\"", "body = \"missing.json\""),
            "does not exist",
        ),
        (
            BACKEND.replace("body = \"expected.txt\"", "body = \"/dev/zero\""),
            "body /dev/zero is larger than 16 MiB",
        ),
        (
            VALID.replace(
                "expected = { file = \"expected.txt\", abs_tolerance = 1e-8 }",
                "expected = { text = \"x\" }\nload = { duration_s = 1 }",
            ),
            "`load` is for backend workloads",
        ),
    ];
    for (text, wanted) in cases {
        let (message, hint) = error_of(&text);
        assert!(message.contains(wanted), "{wanted}: {message}");
        assert!(!hint.is_empty(), "{wanted}");
    }
}

#[test]
fn a_backend_workload_has_no_sweep() {
    // Its points are its rates: a sweep's `{tasks}` would reach the servers as written.
    let sweep = |values: &str| {
        BACKEND.replace(
            "args = [\"{port}\"]",
            &format!("args = [\"{{port}}\", \"{{tasks}}\"]\nsweep = {{ tasks = {values} }}"),
        )
    };
    let (message, hint) = error_of(&sweep("[1, 2]"));
    assert!(message.contains("workload.toml:14:"), "{message}");
    assert!(
        message.contains("size `default` of a backend workload has a sweep"),
        "{message}"
    );
    assert!(message.contains("`{tasks}`"), "{message}");
    assert!(hint.contains("remove the sweep"), "{hint}");
    assert!(hint.contains("load.rates"), "{hint}");
    // Told to remove it, not to repair it.
    let (message, _) = error_of(&sweep("[]"));
    assert!(message.contains("has a sweep"), "{message}");
}

#[test]
fn only_a_server_has_its_own_args() {
    let text = VALID.replace(
        "variant = \"optimized\"",
        "variant = \"optimized\"\nargs = [\"1\"]",
    );
    let (message, hint) = error_of(&text);
    assert!(message.contains("workload.toml:24:"), "{message}");
    assert!(
        message.contains("an implementation's `args` is for backend workloads"),
        "{message}"
    );
    assert!(hint.contains("the size's `args`"), "{hint}");
}

#[test]
fn a_method_other_than_get_needs_a_ready_path() {
    let without_ready = BACKEND.replace("ready = \"/health\"\n", "");
    let (message, hint) = error_of(&without_ready);
    assert!(message.contains("workload.toml:6:"), "{message}");
    assert!(
        message.contains("method = \"POST\" needs `ready`"),
        "{message}"
    );
    assert!(hint.contains("ready = \"/"), "{hint}");
    // GET polls the request path itself.
    let root = tempfile::tempdir().unwrap();
    let get = without_ready.replace("method = \"POST\"\n", "");
    let workload = load(&fixture(root.path(), &get), "suite").unwrap();
    let backend = workload.backend.unwrap();
    assert_eq!(
        (backend.method.as_str(), backend.ready_path.as_str()),
        ("GET", "/echo")
    );
}

#[test]
fn servers_of_a_backend_workload_are_told_apart() {
    let two_pythons = BACKEND.replace("language = \"go\"", "language = \"python\"");
    let (message, hint) = error_of(&two_pythons);
    assert!(message.contains("workload.toml:25:"), "{message}");
    assert!(
        message.contains("a second python idiomatic server without a label"),
        "{message}"
    );
    assert!(hint.contains("distinct `label`"), "{hint}");
    let labelled = |first: &str, second: &str| {
        two_pythons
            .replacen(
                "variant = \"idiomatic\"",
                &format!("variant = \"idiomatic\"\nlabel = \"{first}\""),
                1,
            )
            .replace(
                "source = \"echo.go\"\nvariant = \"idiomatic\"",
                &format!("source = \"echo.go\"\nvariant = \"idiomatic\"\nlabel = \"{second}\""),
            )
    };
    let (message, _) = error_of(&labelled("FastAPI", " FastAPI "));
    assert!(message.contains("labelled `FastAPI`"), "{message}");
    let root = tempfile::tempdir().unwrap();
    let path = fixture(root.path(), &labelled("FastAPI", "Flask"));
    assert_eq!(load(&path, "suite").unwrap().implementations.len(), 2);
}

#[test]
fn the_metric_is_the_workloads_unless_a_program_says_otherwise() {
    let root = tempfile::tempdir().unwrap();
    let wall = load(&fixture(root.path(), VALID), "suite").unwrap();
    assert_eq!(
        wall.metric,
        Metric::Wall,
        "wall time unless the manifest says cpu"
    );
    assert!(
        wall.implementations
            .iter()
            .all(|i| i.metric == Metric::Wall)
    );
    let text = VALID
        .replace("tour = true", "tour = true\nmetric = \"cpu\"")
        .replace(
            "variant = \"optimized\"",
            "variant = \"optimized\"\nlabel = \"multi-core\"\nmetric = \"wall\"",
        );
    let cpu = load(&fixture(root.path(), &text), "suite").unwrap();
    assert_eq!(cpu.metric, Metric::Cpu);
    let metrics: Vec<Metric> = cpu
        .implementations
        .iter()
        .map(|i| i.metric.clone())
        .collect();
    assert_eq!(metrics, [Metric::Cpu, Metric::Wall]);
    let (message, hint) = error_of(&VALID.replace("tour = true", "metric = \"instructions\""));
    assert!(message.contains("workload.toml:5"), "{message}");
    assert!(message.contains("instructions"), "{message}");
    assert!(!hint.is_empty());
    let (message, hint) = error_of(&BACKEND.replace(
        "claim = \"backend\"",
        "claim = \"backend\"\nmetric = \"cpu\"",
    ));
    assert!(message.contains("throughput and latency"), "{message}");
    assert_eq!(hint, "remove `metric`");
}

#[test]
fn a_headline_can_be_a_time_the_program_reports_and_must_be_a_time() {
    let root = tempfile::tempdir().unwrap();
    let text = VALID.replace("tour = true", "tour = true\nmetric = \"reported:batch_s\"");
    let workload = load(&fixture(root.path(), &text), "suite").unwrap();
    let batch = Metric::Reported(crate::suite::ReportedTime::new("batch_s").unwrap());
    assert_eq!(workload.metric, batch);
    assert!(workload.implementations.iter().all(|i| i.metric == batch));
    assert_eq!(
        batch.to_string(),
        "reported:batch_s",
        "as the store writes it"
    );
    assert_eq!(Metric::parse("reported:batch_s"), Some(batch.clone()));
    assert_eq!(batch.label(), "batch_s");
    assert_eq!(batch.other(), Metric::Wall);
    assert_eq!(Metric::common(&batch, &batch), batch);
    assert_eq!(Metric::common(&batch, &Metric::Cpu), Metric::Wall);
    for (bad, says) in [
        ("reported:messages_per_s", "not a time"),
        ("reported:spawn", "not a time"),
        ("reported:", "not a metric name"),
        ("reported:Batch_s", "not a metric name"),
    ] {
        let (message, _) = error_of(&VALID.replace("tour = true", &format!("metric = \"{bad}\"")));
        assert!(message.contains(says), "{bad}: {message}");
        assert!(message.contains("workload.toml:5"), "{message}");
    }
}

#[test]
fn a_program_can_say_what_does_its_work_in_a_few_words() {
    let root = tempfile::tempdir().unwrap();
    let text = VALID.replacen(
        "variant = \"idiomatic\"",
        "variant = \"idiomatic\"\nbacked_by = \" C (re module) \"",
        1,
    );
    let workload = load(&fixture(root.path(), &text), "suite").unwrap();
    let backed: Vec<_> = workload
        .implementations
        .iter()
        .map(|i| i.backed_by.as_deref())
        .collect();
    assert_eq!(backed[0], Some("C (re module)"));
    assert!(backed[1..].iter().all(Option::is_none), "{backed:?}");
    let (message, hint) = error_of(&VALID.replacen(
        "variant = \"idiomatic\"",
        "variant = \"idiomatic\"\nbacked_by = \"\"",
        1,
    ));
    assert!(message.contains("`backed_by`"), "{message}");
    assert!(hint.contains("C (re module)"), "{hint}");
}

#[test]
fn a_ladder_names_its_points_and_the_work_at_each() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("suite").join("echo");
    std::fs::create_dir_all(dir.join("expected")).unwrap();
    for n in [100, 200, 400] {
        std::fs::write(dir.join(format!("expected/{n}.txt")), "1.0\n").unwrap();
    }
    let ladder = VALID.replace(
        "[sizes.default]\nexpected = { file = \"expected.txt\", abs_tolerance = 1e-8 }",
        "[sizes.default]\nexpected = { file = \"expected.txt\", abs_tolerance = 1e-8 }\n\n\
         [sizes.ladder]\nladder = { n = [100, 200, 400], work = \"n^2\" }\nargs = [\"{n}\"]\n\
         expected = { file = \"expected/{n}.txt\" }",
    );
    let workload = load(&fixture(root.path(), &ladder), "suite").unwrap();
    let sweep = workload.sizes[&SizeName::Ladder].sweep.as_ref().unwrap();
    assert_eq!(sweep.name, "n");
    assert_eq!(sweep.work_at(200), Some(40_000.0));
    assert_eq!(
        sweep.work_at(300),
        Some(90_000.0),
        "a power of the parameter: any value"
    );
    let listed = ladder.replace("work = \"n^2\"", "work = [1, 2.5, 9]");
    let workload = load(&fixture(root.path(), &listed), "suite").unwrap();
    let sweep = workload.sizes[&SizeName::Ladder].sweep.as_ref().unwrap();
    assert_eq!(sweep.work_at(200), Some(2.5));
    assert_eq!(sweep.work_at(300), None, "listed: only the points named");
    for (text, wanted) in [
        (
            ladder.replace(", work = \"n^2\"", ""),
            "a ladder needs `work`",
        ),
        (
            ladder.replace("[100, 200, 400]", "[100, 100]"),
            "at least two different points",
        ),
        (
            ladder.replace("\"n^2\"", "\"m^2\""),
            "work `m^2` is not `n` or `n^K`",
        ),
        (
            ladder.replace("\"n^2\"", "[1, 2]"),
            "one positive number per point (3)",
        ),
        (
            ladder.replace("ladder = {", "sweep = { tasks = [1] }\nladder = {"),
            "a sweep or a ladder, not both",
        ),
    ] {
        let err = load(&fixture(root.path(), &text), "suite").unwrap_err();
        assert!(err.to_string().contains(wanted), "{err} (wanted {wanted})");
        assert!(err.to_string().contains("workload.toml:"), "{err}");
    }
}

#[test]
fn an_implementation_env_is_loaded_in_name_order_and_bad_names_are_refused() {
    let with_env = |env: &str| {
        VALID.replace(
            "source = \"echo.go\"",
            &format!("source = \"echo.go\"\nenv = {env}"),
        )
    };
    let root = tempfile::tempdir().unwrap();
    let path = fixture(
        root.path(),
        &with_env(r#"{ GOMAXPROCS = "1", GOGC = "off" }"#),
    );
    let workload = load(&path, "suite").unwrap();
    assert!(workload.implementations[0].env.is_empty());
    assert_eq!(
        workload.implementations[1].env,
        [
            ("GOGC".to_string(), "off".to_string()),
            ("GOMAXPROCS".to_string(), "1".to_string())
        ]
    );
    for (env, message) in [
        (r#"{ "1X" = "a" }"#, "not a variable name"),
        (r#"{ "A B" = "a" }"#, "not a variable name"),
        (r#"{ VERSUS_METRICS = "a" }"#, "versus's own variable"),
        (r#"{ A = 1 }"#, "invalid type"),
    ] {
        let (err, _) = error_of(&with_env(env));
        assert!(err.contains(message), "{env}: {err}");
        assert!(err.contains("workload.toml:"), "{env}: {err}");
    }
}
