//! The backend finding from stored cases: three endpoints, four servers, a server that crashed,
//! a rate one server lacks, and an endpoint measured once.

use std::collections::BTreeMap;

use super::*;
use crate::language::Language;
use crate::report::view::{CaseView, case_view};
use crate::store::{StoredCase, StoredRun, StoredSample};
use crate::testing::toolchain;

/// A server as the runner names it.
struct Who {
    language: Language,
    variant: &'static str,
    label: &'static str,
}

const GO: Who = Who {
    language: Language::Go,
    variant: "idiomatic",
    label: "net/http",
};
const FASTAPI: Who = Who {
    language: Language::Python,
    variant: "idiomatic",
    label: "FastAPI on uvicorn, 1 worker",
};
const PER_CORE: Who = Who {
    language: Language::Python,
    variant: "optimized",
    label: "FastAPI on uvicorn, a worker per core",
};
const STDLIB: Who = Who {
    language: Language::Python,
    variant: "idiomatic",
    label: "ThreadingHTTPServer",
};

/// How tables name the server: `cpython 3.11.7 (optimized: FastAPI on uvicorn, a worker per core)`.
fn name(who: &Who) -> String {
    crate::case::label(
        Some(toolchain(who.language).label()),
        Some(who.variant),
        Some(who.label),
        "",
    )
}

/// One timed run reporting `metrics`.
fn run(round: usize, metrics: &[(&str, f64)]) -> StoredSample {
    StoredSample {
        round,
        wall_s: 10.0,
        user_s: 4.0,
        sys_s: 1.0,
        peak_rss_bytes: 20 << 20,
        tree_peak_bytes: None,
        tree_method: "cgroup-v2".into(),
        metrics: metrics
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// A server's case of `endpoint`: closed loop (`rate` none) or at a rate, one run per row of
/// `runs`.
fn case(endpoint: &str, who: &Who, rate: Option<u64>, runs: Vec<Vec<(&str, f64)>>) -> StoredCase {
    let tree = match who.language {
        Language::Go => 14 << 20,
        Language::Python => 60 << 20,
    };
    StoredCase {
        id: 0,
        group_label: match rate {
            Some(r) => format!("backend/{endpoint} (default, rate={r})"),
            None => format!("backend/{endpoint} (default)"),
        },
        position: 0,
        is_baseline: false,
        kind: crate::case::CaseKind::Workload,
        workload: format!("backend/{endpoint}"),
        claim: Some("backend".into()),
        language: Some(who.language.name().into()),
        toolchain_id: Some(toolchain(who.language).id),
        variant: Some(who.variant.into()),
        label: Some(who.label.into()),
        size: Some("default".into()),
        point: rate.map(|value| crate::suite::Point {
            name: RATE.into(),
            value,
        }),
        verdict: CaseVerdict::Ok,
        detail: None,
        command: None,
        stdin: None,
        code_lines: None,
        code_gzip_bytes: None,
        artifact_bytes: Some(match who.language {
            Language::Go => 7_700_000,
            Language::Python => 64_000_000,
        }),
        build_seconds: None,
        build_cached: None,
        warmup_runs: 1,
        load_avg: None,
        steal_percent: None,
        busy_percent: None,
        metric: crate::suite::Metric::Wall,
        stopped_by: None,
        precision_target: None,
        work: None,
        env: Vec::new(),
        packages: None,
        backed_by: None,
        samples: runs
            .iter()
            .enumerate()
            .map(|(i, metrics)| StoredSample {
                tree_peak_bytes: Some(tree + (i as u64) * (1 << 20)),
                ..run(i + 1, metrics)
            })
            .collect(),
        in_process_s: Vec::new(),
    }
}

/// From spawn to the first answer: a binary against an interpreter importing a framework.
fn cold_start(who: &Who) -> f64 {
    match who.language {
        Language::Go => 0.003,
        Language::Python => 0.6,
    }
}

/// Closed-loop runs: (throughput, requests per server CPU-second, errors) per run.
fn closed(endpoint: &str, who: &Who, runs: &[(f64, f64, f64)]) -> StoredCase {
    case(
        endpoint,
        who,
        None,
        runs.iter()
            .enumerate()
            .map(|(i, (throughput, per_cpu, errors))| {
                vec![
                    (metric::THROUGHPUT, *throughput),
                    (metric::PER_CPU, *per_cpu),
                    (metric::ERRORS, *errors),
                    (metric::CONNECTIONS, 64.0),
                    (metric::COLD_START, cold_start(who) + i as f64 * 0.0002),
                    (metric::P50, 1.5),
                    (metric::P99, 6.0),
                ]
            })
            .collect(),
    )
}

/// Open-loop runs at `rate` (`percent` of the slowest maximum): (p50, p99) per run.
fn open(endpoint: &str, who: &Who, rate: u64, percent: f64, runs: &[(f64, f64)]) -> StoredCase {
    case(
        endpoint,
        who,
        Some(rate),
        runs.iter()
            .map(|(p50, p99)| {
                vec![
                    (metric::THROUGHPUT, rate as f64 * 0.999),
                    (metric::P50, *p50),
                    (metric::P99, *p99),
                    (metric::RAW_P50, p50 * 0.9),
                    (metric::RAW_P99, p99 * 0.5),
                    (metric::ERRORS, 0.0),
                    (metric::OVERLOADED, 0.0),
                    ("rate_per_s", rate as f64),
                    (metric::RATE_PERCENT, percent),
                    (metric::COLD_START, cold_start(who)),
                ]
            })
            .collect(),
    )
}

/// /json: Go well ahead; FastAPI (1 worker) is the slowest server that answered, so the rates
/// are its; the server per core has no run at the highest rate; ThreadingHTTPServer crashed.
fn json() -> Vec<StoredCase> {
    let mut crashed = case("json", &STDLIB, None, Vec::new());
    crashed.verdict = CaseVerdict::Crashed;
    crashed.detail = Some("exit status 1; stderr:\nTraceback …\nMemoryError".into());
    let (r25, r50, r75) = (3525, 7050, 10575);
    vec![
        closed(
            "json",
            &GO,
            &[
                (41200.0, 20500.0, 0.0),
                (40800.0, 20100.0, 0.0),
                (41500.0, 20800.0, 0.0),
            ],
        ),
        closed(
            "json",
            &FASTAPI,
            &[
                (14100.0, 7200.0, 0.0),
                (13900.0, 7000.0, 2.0),
                (14300.0, 7300.0, 1.0),
            ],
        ),
        closed(
            "json",
            &PER_CORE,
            &[
                (21500.0, 5600.0, 0.0),
                (21000.0, 5500.0, 0.0),
                (22100.0, 5700.0, 0.0),
            ],
        ),
        crashed,
        open(
            "json",
            &GO,
            r25,
            25.0,
            &[(0.21, 0.9), (0.22, 1.0), (0.2, 0.95)],
        ),
        open(
            "json",
            &FASTAPI,
            r25,
            25.0,
            &[(1.1, 4.1), (1.2, 4.4), (1.0, 3.9)],
        ),
        open(
            "json",
            &PER_CORE,
            r25,
            25.0,
            &[(0.9, 3.0), (0.95, 3.2), (1.0, 3.1)],
        ),
        open(
            "json",
            &GO,
            r50,
            50.0,
            &[(0.25, 1.1), (0.24, 1.2), (0.26, 1.15)],
        ),
        open(
            "json",
            &FASTAPI,
            r50,
            50.0,
            &[(2.1, 9.5), (2.3, 10.2), (2.2, 9.8)],
        ),
        open(
            "json",
            &PER_CORE,
            r50,
            50.0,
            &[(1.2, 5.1), (1.3, 5.5), (1.25, 5.0)],
        ),
        open(
            "json",
            &GO,
            r75,
            75.0,
            &[(0.3, 1.4), (0.31, 1.5), (0.29, 1.45)],
        ),
        open(
            "json",
            &FASTAPI,
            r75,
            75.0,
            &[(9.0, 48.0), (9.5, 55.0), (8.8, 51.0)],
        ),
    ]
}

/// /db: the database is the bottleneck, and Python's best server keeps up with Go's.
fn db() -> Vec<StoredCase> {
    let mut cases = vec![
        closed(
            "db",
            &GO,
            &[
                (5200.0, 9000.0, 0.0),
                (5150.0, 9100.0, 0.0),
                (5250.0, 8900.0, 0.0),
            ],
        ),
        closed(
            "db",
            &PER_CORE,
            &[
                (5180.0, 3100.0, 0.0),
                (5230.0, 3000.0, 0.0),
                (5120.0, 3050.0, 0.0),
            ],
        ),
        closed(
            "db",
            &FASTAPI,
            &[
                (3000.0, 3500.0, 0.0),
                (3020.0, 3550.0, 0.0),
                (2980.0, 3450.0, 0.0),
            ],
        ),
    ];
    for (rate, percent) in [(750, 25.0), (1500, 50.0), (2250, 75.0)] {
        cases.push(open(
            "db",
            &GO,
            rate,
            percent,
            &[(0.8, 2.0), (0.82, 2.1), (0.81, 2.05)],
        ));
        cases.push(open(
            "db",
            &PER_CORE,
            rate,
            percent,
            &[(0.8, 2.02), (0.83, 2.08), (0.8, 2.1)],
        ));
        cases.push(open(
            "db",
            &FASTAPI,
            rate,
            percent,
            &[(0.9, 2.6), (0.95, 2.7), (0.9, 2.5)],
        ));
    }
    cases
}

/// /compute, measured once: a large difference that still decides nothing.
fn compute() -> Vec<StoredCase> {
    vec![
        closed("compute", &GO, &[(9000.0, 4600.0, 0.0)]),
        closed("compute", &FASTAPI, &[(700.0, 690.0, 0.0)]),
        open("compute", &GO, 525, 75.0, &[(0.4, 1.2)]),
        open("compute", &FASTAPI, 525, 75.0, &[(3.0, 30.0)]),
    ]
}

fn stored_run() -> StoredRun {
    let meta = crate::testing::run_meta();
    StoredRun {
        id: 7,
        started_at: "2026-11-27T17:00:00Z".into(),
        finished_at: Some("2026-11-27T17:20:00Z".into()),
        status: "complete".into(),
        command: meta.command,
        profile: meta.profile,
        size: meta.size,
        arguments: meta.arguments,
        environment: meta.environment,
        toolchains: vec![toolchain(Language::Go), toolchain(Language::Python)],
        cases: json().into_iter().chain(db()).chain(compute()).collect(),
        typing: Vec::new(),
        imported_from: None,
    }
}

fn views(cases: &[StoredCase]) -> Vec<CaseView> {
    let toolchains = [toolchain(Language::Go), toolchain(Language::Python)];
    cases.iter().map(|c| case_view(c, &toolchains, 2)).collect()
}

fn finding() -> BackendFinding {
    collect(&views(&stored_run().cases))
}

fn endpoint<'a>(found: &'a BackendFinding, name: &str) -> &'a Endpoint {
    found
        .endpoints
        .iter()
        .find(|e| e.endpoint == name)
        .unwrap_or_else(|| panic!("no endpoint {name}"))
}

#[test]
fn each_server_is_summarized_at_its_maximum() {
    let found = finding();
    let names: Vec<&str> = found
        .endpoints
        .iter()
        .map(|e| e.endpoint.as_str())
        .collect();
    assert_eq!(names, ["json", "db", "compute"]);
    let json = endpoint(&found, "json");
    let servers: Vec<&str> = json.servers.iter().map(|s| s.server.as_str()).collect();
    assert_eq!(
        servers,
        [name(&GO), name(&FASTAPI), name(&PER_CORE), name(&STDLIB)]
    );
    let go = &json.servers[0];
    assert_eq!(go.language, Some(Language::Go));
    assert_eq!(go.runs, 3);
    let max = go.throughput_per_s.as_ref().unwrap();
    assert_eq!(max.median, 41200.0);
    let (low, high) = max.interval().expect("three runs give an interval");
    assert!(low <= 41200.0 && 41200.0 <= high && low < high, "{max:?}");
    assert_eq!(
        go.requests_per_server_cpu_s.as_ref().unwrap().median,
        20500.0
    );
    assert_eq!(go.connections, Some(64.0));
    assert_eq!(go.artifact_bytes, Some(7_700_000));
    // The largest tree peak of any of its cases, and a cold start pooled over all its runs.
    assert_eq!(go.tree_peak_bytes, Some((14 << 20) + (2 << 20)));
    assert_eq!(go.cold_start_s.as_ref().unwrap().runs, 3 + 3 * 3);
    assert_eq!(go.errors, 0);
    assert!(go.against_go.is_none(), "Go is not measured against itself");
    let fastapi = &json.servers[1];
    assert_eq!(fastapi.errors, 3, "errors are summed over the runs");
    let against = fastapi.against_go.as_ref().unwrap();
    assert!((against.value - 14100.0 / 41200.0).abs() < 1e-9);
    assert_eq!(against.outcome, Outcome::Worse);
}

#[test]
fn a_server_that_crashed_keeps_its_verdict_and_has_no_figures() {
    let found = finding();
    let stdlib = endpoint(&found, "json").server(&name(&STDLIB)).unwrap();
    assert_eq!(stdlib.verdict, Some(CaseVerdict::Crashed));
    assert!(stdlib.detail.as_deref().unwrap().contains("MemoryError"));
    assert_eq!(stdlib.runs, 0);
    assert!(stdlib.throughput_per_s.is_none());
    assert!(stdlib.against_go.is_none());
    // A crashed server is not the slowest: the rates are FastAPI's.
    assert_eq!(
        endpoint(&found, "json").rates_from.as_deref(),
        Some(name(&FASTAPI).as_str())
    );
}

#[test]
fn rates_are_read_in_order_with_the_servers_that_ran_at_each() {
    let found = finding();
    let json = endpoint(&found, "json");
    let rates: Vec<u64> = json.rates.iter().map(|r| r.rate_per_s).collect();
    assert_eq!(rates, [3525, 7050, 10575]);
    assert_eq!(json.rates[0].percent, Some(25.0));
    let at_75: Vec<&str> = json.rates[2]
        .servers
        .iter()
        .map(|l| l.server.as_str())
        .collect();
    assert_eq!(
        at_75,
        [name(&GO), name(&FASTAPI)],
        "the server per core lacks 75%"
    );
    let fastapi = &json.rates[2].servers[1];
    assert_eq!(fastapi.p99_ms.as_ref().unwrap().median, 51.0);
    assert_eq!(fastapi.p50_ms.as_ref().unwrap().median, 9.0);
    assert_eq!(fastapi.raw_p50_ms.as_ref().unwrap().median, 9.0 * 0.9);
    assert!(fastapi.p99_ms.as_ref().unwrap().interval().is_some());
}

#[test]
fn go_meets_the_fastest_python_server_at_the_highest_rate_both_held() {
    let found = finding();
    let m = endpoint(&found, "json").go_against_python.clone().unwrap();
    assert_eq!(m.go, name(&GO));
    assert_eq!(m.python, name(&PER_CORE), "the fastest Python server");
    let throughput = m.throughput.unwrap();
    assert!((throughput.value - 41200.0 / 21500.0).abs() < 1e-9);
    assert_eq!(throughput.outcome, Outcome::Better);
    // The server per core has no run at 75%: the comparison is at 50%.
    assert_eq!(m.rate_per_s, Some(7050));
    let p99 = m.p99.unwrap();
    assert!((p99.value - 5.1 / 1.15).abs() < 1e-9, "Python's p99 ÷ Go's");
    assert_eq!(p99.outcome, Outcome::Better);
    let db = endpoint(&found, "db").go_against_python.clone().unwrap();
    assert_eq!(db.throughput.unwrap().outcome, Outcome::WithinNoise);
    assert_eq!(db.per_cpu.unwrap().outcome, Outcome::Better);
}

#[test]
fn one_run_gives_figures_without_intervals_and_decides_nothing() {
    let found = finding();
    let compute = endpoint(&found, "compute");
    let max = compute.servers[0].throughput_per_s.as_ref().unwrap();
    assert_eq!(max.runs, 1);
    assert_eq!(max.interval(), None);
    let m = compute.go_against_python.as_ref().unwrap();
    let throughput = m.throughput.as_ref().unwrap();
    assert!((throughput.value - 9000.0 / 700.0).abs() < 1e-9);
    assert_eq!(throughput.outcome, Outcome::OneRun);
    assert_eq!(throughput.interval(), None);
    assert_eq!(m.p99.as_ref().unwrap().outcome, Outcome::OneRun);
}

#[test]
fn rates_are_traced_to_the_server_they_came_from_not_assumed() {
    let mut cases = db();
    // The rates were 25/50/75% of the Go server's maximum, not of the slowest.
    for case in cases.iter_mut().filter(|c| c.point.is_some()) {
        let rate = case.point.as_ref().unwrap().value as f64;
        for sample in &mut case.samples {
            sample
                .metrics
                .insert(metric::RATE_PERCENT.into(), rate / 5200.0 * 100.0);
        }
    }
    let found = collect(&views(&cases));
    assert_eq!(
        found.endpoints[0].rates_from.as_deref(),
        Some(name(&GO).as_str())
    );
    // Without percentages, the slowest server is named.
    for case in &mut cases {
        for sample in &mut case.samples {
            sample.metrics.remove(metric::RATE_PERCENT);
        }
    }
    let found = collect(&views(&cases));
    assert_eq!(
        found.endpoints[0].rates_from.as_deref(),
        Some(name(&FASTAPI).as_str())
    );
}

#[test]
fn only_backend_cases_at_rates_are_read() {
    let mut cases = compute();
    cases[0].claim = Some("runtime-speed".into());
    cases[3].point = Some(crate::suite::Point {
        name: "connections".into(),
        value: 64,
    });
    let found = collect(&views(&cases));
    let compute = &found.endpoints[0];
    let servers: Vec<&str> = compute.servers.iter().map(|s| s.server.as_str()).collect();
    assert_eq!(servers, [name(&FASTAPI), name(&GO)]);
    assert_eq!(
        compute.servers[1].verdict, None,
        "Go's closed loop was not a backend case"
    );
    assert_eq!(
        compute.rates[0].servers.len(),
        1,
        "a point that is not a rate is left out"
    );
    assert!(collect(&[]).is_empty());
}

#[test]
fn finding_as_json() {
    let report = crate::report::Report::from_run(&stored_run());
    insta::assert_snapshot!(serde_json::to_string_pretty(&report.findings.backend).unwrap());
}

#[test]
fn the_evidence_says_who_leads_with_intervals_and_where_python_holds_its_own() {
    let found = evidence(&finding(), 7);
    assert!(found.measured);
    assert_eq!(found.favours, Some(Language::Go));
    let text = &found.text;
    // The pair is named once; /compute's differs, so it is named there.
    assert!(
        text.starts_with(&format!(
            "{} against {}, the fastest",
            name(&GO),
            name(&PER_CORE)
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "/compute, {} against {}:",
            name(&GO),
            name(&FASTAPI)
        )),
        "{text}"
    );
    for expected in [
        "/json: throughput at most 41.2k/s against 21.5k/s, Go ahead 1.92× [",
        "p99 at 7.05k/s 1.15 ms against 5.10 ms, Go ahead 4.43× [",
        "/db: throughput at most 5.20k/s against 5.18k/s, within noise (1.00× [",
        "Go ahead 12.9× in a single run, no interval: decides nothing",
        "(FastAPI on uvicorn, 1 worker) gave 3 wrong or failed answers on /json",
        "(ThreadingHTTPServer) crashed under load on /json",
        "(run #7)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    assert_eq!(
        found.nuance.as_deref(),
        Some("Python holds its own on /db throughput (within noise), /db p99 (within noise)")
    );
}

#[test]
fn single_runs_and_intervals_within_noise_decide_nothing() {
    let single = collect(&views(&compute()));
    let found = evidence(&single, 1);
    assert!(found.measured);
    assert_eq!(found.favours, None, "{}", found.text);
    assert!(
        found.text.contains("no measure separates"),
        "{}",
        found.text
    );
    assert_eq!(found.nuance, None);
    // /db alone: Go leads only on requests per CPU-second, which is still a lead.
    let close = evidence(&collect(&views(&db())), 1);
    assert_eq!(close.favours, Some(Language::Go));
    assert!(
        close
            .nuance
            .unwrap()
            .contains("/db throughput (within noise)")
    );
}

#[test]
fn a_python_lead_counts_for_python_and_the_nuance_turns_to_go() {
    // The same /db, with Python's best server 15% faster, lighter on CPU and quicker at p99.
    let mut cases = db();
    for case in cases
        .iter_mut()
        .filter(|c| c.label.as_deref() == Some(PER_CORE.label))
    {
        for sample in &mut case.samples {
            for (metric, factor) in [
                (metric::THROUGHPUT, 1.15),
                (metric::PER_CPU, 4.0),
                (metric::P99, 0.5),
            ] {
                if let Some(value) = sample.metrics.get_mut(metric) {
                    *value *= factor;
                }
            }
        }
    }
    let found = evidence(&collect(&views(&cases)), 1);
    assert_eq!(found.favours, Some(Language::Python), "{}", found.text);
    assert!(
        found.text.contains("Python ahead 1.15× ["),
        "{}",
        found.text
    );
    assert_eq!(found.nuance, None, "Go leads on nothing here");
}

#[test]
fn no_backend_case_says_what_to_run_and_advise_keeps_working() {
    let found = evidence(&BackendFinding::default(), 1);
    assert!(!found.measured);
    assert!(found.text.contains("versus run backend"), "{}", found.text);
    // The article's row and advise read the same evidence through `evidence("backend", …)`.
    let report = crate::report::Report::from_run(&stored_run());
    let row = report.article.iter().find(|r| r.key == "backend").unwrap();
    assert_eq!(row.stance, crate::report::article::Stance::Nuance);
    assert!(
        row.measured.contains("Python holds its own on /db"),
        "{}",
        row.measured
    );
    let through_advise = crate::report::evidence::evidence("backend", &report.inputs());
    assert_eq!(through_advise.favours, Some(Language::Go));
    let advice = crate::advise::advise(&["backend".into()], &["latency".into()], &|m| {
        crate::report::evidence::evidence(m, &report.inputs())
    })
    .unwrap();
    assert_eq!(advice.language, Some(Language::Go));
    assert!(
        advice.to_measure.iter().all(|m| !m.contains("backend")),
        "{:?}",
        advice.to_measure
    );
}

fn rendered(format: crate::report::Format) -> String {
    let mut out = Vec::new();
    crate::report::render(&stored_run(), format, None, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn terminal_table() {
    insta::assert_snapshot!(crate::report::tests::terminal_within_100(&stored_run()));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(rendered(crate::report::Format::Markdown));
}

/// No chart on the page holds a number a browser cannot draw.
fn assert_only_numbers(page: &str) {
    for svg in page.split("<svg").skip(1) {
        let svg = &svg[..svg.find("</svg>").unwrap()];
        for bad in ["NaN", "inf"] {
            assert!(!svg.contains(bad), "{bad} in {svg}");
        }
    }
}

#[test]
fn the_page_charts_latency_against_rate_per_endpoint_and_throughput_against_go() {
    let page = rendered(crate::report::Format::Html);
    for id in [
        "id=\"backend-maxima\"",
        "id=\"backend-latency\"",
        "id=\"backend-throughput-chart\"",
        "id=\"backend-latency-json-chart\"",
        "id=\"backend-latency-db-chart\"",
        "id=\"backend-latency-compute-chart\"",
    ] {
        assert_eq!(page.matches(id).count(), 1, "{id}");
    }
    // A rate is not charted as a sweep: its wall time is the fixed length of the load phase.
    assert!(!page.contains("id=\"sweep-rate-chart\""), "{page}");
    // Each server's p99 with its interval and its p50, in one colour.
    let json = &page[page.find("id=\"backend-latency-json-chart\"").unwrap()..];
    let json = &json[..json.find("</svg>").unwrap()];
    assert!(
        json.contains(
            "<title>go 1.26.8 (net/http) p99 at 7.05k/s: 1.15 ms [1.10 ms, 1.20 ms]</title>"
        ),
        "{json}"
    );
    assert!(
        json.contains(
            "<title>go 1.26.8 (net/http) p50 at 7.05k/s: 250 µs [240 µs, 260 µs]</title>"
        )
    );
    assert_eq!(
        json.matches("stroke-dasharray=\"7,4\"").count(),
        3 * 2,
        "a dashed p50 per server, and its legend"
    );
    // The bars: every server but the fastest Go one, against it.
    let bars = &page[page.find("id=\"backend-throughput-chart\"").unwrap()..];
    let bars = &bars[..bars.find("</svg>").unwrap()];
    assert!(
        bars.contains(">/json: cpython 3.11.7 FastAPI on uvicorn, 1 worker</tspan>"),
        "{bars}"
    );
    assert!(bars.contains(">0.342×</text>"));
    assert!(!bars.contains(">/json: go 1.26.8 (net/http)</tspan>"));
    assert_only_numbers(&page);
}

#[test]
fn a_server_that_failed_at_a_rate_is_marked_there_and_names_are_escaped() {
    let mut run = stored_run();
    for case in &mut run.cases {
        if case.label.as_deref() == Some(FASTAPI.label)
            && case.point.as_ref().is_some_and(|p| p.value == 10575)
        {
            case.verdict = CaseVerdict::Crashed;
            case.detail = Some("exit status 1 <script>".into());
            case.samples.clear();
        }
        if case.label.as_deref() == Some(STDLIB.label) {
            case.label = Some("<b>stdlib</b>".into());
        }
    }
    let mut out = Vec::new();
    crate::report::render(&run, crate::report::Format::Html, None, &mut out).unwrap();
    let page = String::from_utf8(out).unwrap();
    assert!(
        !page.contains("<script") && !page.contains("<b>stdlib"),
        "markup reached the page"
    );
    assert!(
        page.contains("<title>cpython 3.11.7 (FastAPI on uvicorn, 1 worker) at 10.6k/s: crashed — exit status 1 &lt;script&gt;</title>"),
        "{page}"
    );
    assert!(page.contains("(FastAPI on uvicorn, 1 worker) p99 — crashed at 10.6k/s</text>"));
    assert!(page.contains("cpython 3.11.7 (&lt;b&gt;stdlib&lt;/b&gt;)"));
    assert_only_numbers(&page);
}

#[test]
fn without_a_maximum_the_servers_still_meet_at_equal_rates() {
    let cases: Vec<StoredCase> = db().into_iter().filter(|c| c.point.is_some()).collect();
    let found = collect(&views(&cases));
    let m = found.endpoints[0].go_against_python.as_ref().unwrap();
    assert_eq!(
        (m.go.as_str(), m.python.as_str()),
        (name(&GO).as_str(), name(&PER_CORE).as_str())
    );
    assert!(m.throughput.is_none() && m.per_cpu.is_none());
    assert_eq!(m.rate_per_s, Some(2250));
    let text = evidence(&found, 1).text;
    assert!(
        text.starts_with(&format!(
            "{} against {}. /db: p99 at 2.25k/s",
            name(&GO),
            name(&PER_CORE)
        )),
        "{text}"
    );
    assert!(
        found.endpoints[0].rates_from.is_none(),
        "no maximum to take rates from"
    );
}

#[test]
fn backend_groups_are_not_compared_on_wall_time() {
    // The runner may name a baseline for a backend group, as it does for every group.
    let mut run = stored_run();
    for case in run
        .cases
        .iter_mut()
        .filter(|c| c.label.as_deref() == Some(GO.label))
    {
        case.is_baseline = true;
        // Go's load phases ran a little shorter: a wall-time ratio would call Python slower.
        for sample in &mut case.samples {
            sample.wall_s = 9.0;
        }
    }
    let report = crate::report::Report::from_run(&run);
    assert!(report.comparisons.is_empty(), "{:?}", report.comparisons);
    assert!(report.cases.iter().all(|c| !c.baseline));
    assert!(!report.findings.backend.is_empty());
}

#[test]
fn latency_is_compared_at_the_highest_rate_both_carried() {
    let mut cases = json();
    // FastAPI per core fell behind at 50% in two of its runs: its p99 there is the queue's.
    for case in cases.iter_mut().filter(|c| {
        c.label.as_deref() == Some(PER_CORE.label)
            && c.point.as_ref().is_some_and(|p| p.value == 7050)
    }) {
        for sample in case.samples.iter_mut().take(2) {
            sample.metrics.insert(metric::OVERLOADED.into(), 1.0);
        }
    }
    let found = collect(&views(&cases));
    let json = &found.endpoints[0];
    let m = json.go_against_python.as_ref().unwrap();
    assert_eq!(m.rate_per_s, Some(3525), "the rate both carried");
    assert!(!m.fell_behind);
    let at_50 = &json.rates[1].servers[2];
    assert_eq!(
        (at_50.server.as_str(), at_50.overloaded_runs),
        (name(&PER_CORE).as_str(), 2)
    );
    let grid = table::grids(&found).remove(1).grid;
    assert!(
        grid.rows
            .iter()
            .any(|r| r.last().unwrap() == "ok (fell behind in 2 of 3 runs)")
    );
    // Behind at every shared rate: the highest is still compared, and the text says why.
    for case in cases
        .iter_mut()
        .filter(|c| c.label.as_deref() == Some(PER_CORE.label))
    {
        for sample in &mut case.samples {
            sample.metrics.insert(metric::OVERLOADED.into(), 1.0);
        }
    }
    let found = collect(&views(&cases));
    let m = found.endpoints[0].go_against_python.as_ref().unwrap();
    assert_eq!(m.rate_per_s, Some(7050));
    assert!(m.fell_behind);
    assert!(
        evidence(&found, 1)
            .text
            .contains("5.10 ms (a server fell behind this rate: its latency measures the queue)")
    );
}

#[test]
fn a_server_failing_alike_on_several_endpoints_is_named_once() {
    let mut cases: Vec<StoredCase> = json().into_iter().chain(db()).chain(compute()).collect();
    for endpoint in ["db", "compute"] {
        let mut missing = case(endpoint, &PER_CORE, None, Vec::new());
        missing.workload = format!("backend/{endpoint}");
        missing.verdict = CaseVerdict::MissingDependency;
        cases.retain(|c| !(c.workload == missing.workload && c.label == missing.label));
        cases.push(missing);
    }
    let text = evidence(&collect(&views(&cases)), 7).text;
    let per_core = name(&PER_CORE);
    assert_eq!(text.matches("missing-dependency").count(), 1, "{text}");
    assert!(
        text.contains(&format!("{per_core} missing-dependency on /db, /compute"))
            || text.contains(&format!("{per_core} missing-dependency on /compute, /db")),
        "{text}"
    );
}

#[test]
fn cases_skipped_for_one_reason_share_a_line() {
    let mut cases = json();
    for rate in [None, Some(3525)] {
        let mut missing = case("json", &PER_CORE, rate, Vec::new());
        missing.verdict = CaseVerdict::MissingDependency;
        missing.detail = Some("pip install failed".into());
        cases.retain(|c| !(c.label == missing.label && c.point == missing.point));
        cases.push(missing);
    }
    let mut run = stored_run();
    run.cases = cases;
    let report = crate::report::Report::from_run(&run);
    let sections = crate::report::table::sections(&report);
    let (_, skipped) = sections
        .iter()
        .find(|(title, _)| *title == "Skipped")
        .expect("a Skipped section");
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0].starts_with("backend/json, backend/json (rate=3525) on "),
        "{skipped:?}"
    );
}

#[test]
fn a_server_that_could_not_be_installed_has_no_latency_curve() {
    let mut run = stored_run();
    for case in &mut run.cases {
        if case.label.as_deref() == Some(FASTAPI.label) && case.point.is_some() {
            case.verdict = CaseVerdict::MissingDependency;
            case.detail = Some("pip install failed".into());
            case.samples.clear();
        }
    }
    let mut out = Vec::new();
    crate::report::render(&run, crate::report::Format::Html, None, &mut out).unwrap();
    let page = String::from_utf8(out).unwrap();
    assert!(
        !page.contains("missing-dependency at"),
        "a ✕ for a server that never ran"
    );
    assert!(!page.contains("(FastAPI on uvicorn, 1 worker) p99</text>"));
    // The others still have their curves.
    assert!(page.contains("(net/http) p99</text>"), "{page}");
}

#[test]
fn servers_are_compared_by_throughput_and_latency_not_by_their_load_phase() {
    let a = stored_run();
    let mut b = stored_run();
    b.id = 2;
    for case in &mut b.cases {
        for sample in &mut case.samples {
            // The load phase's length says nothing: doubling it changes no row.
            sample.wall_s *= 2.0;
            if case.point.is_none() && case.language.as_deref() == Some("go") {
                // Go's server answers 30% more requests at its maximum.
                if let Some(t) = sample.metrics.get_mut(metric::THROUGHPUT) {
                    *t *= 1.3;
                }
            }
        }
    }
    let comparison =
        crate::report::compare::compare_runs(&a, &b, crate::report::compare::BETWEEN_RUNS_FLOOR);
    assert!(!comparison.rows.is_empty());
    for row in &comparison.rows {
        let at_rate = row.point.as_ref().is_some_and(|p| p.name == RATE);
        let expected = if at_rate {
            crate::report::compare::Measure::P99Latency
        } else {
            crate::report::compare::Measure::Throughput
        };
        assert_eq!(row.measure, expected, "{row:?}");
        let faster = !at_rate && row.case.starts_with("go");
        let verdict = if faster {
            crate::report::compare::Change::Faster
        } else {
            crate::report::compare::Change::WithinNoise
        };
        assert_eq!(
            row.verdict, verdict,
            "a higher throughput is faster: {row:?}"
        );
    }
}
