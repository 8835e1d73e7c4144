//! Unit tests of the HTML report: escaping, each sweep chart drawn exactly when its data is,
//! no NaN or infinity in any chart, round ticks, and a page from a stored run.

use super::axis::{Axis, bytes_tick, count_tick, seconds_tick, speedup_tick};
use super::sweeps::{sweep_charts, workers_speedup_chart};
use super::*;
use crate::case::CaseVerdict;
use crate::language::Language;
use crate::measure::Exit;
use crate::measure::scripted::{Script, ScriptedExecutor};
use crate::plan::Plan;
use crate::report::series::Ratio;
use crate::report::series::{Series, SeriesPoint};
use crate::runner::{Profile, Runner, Silent};
use crate::stats::Summary;
use crate::store::{RunStatus, Store};
use crate::testing::{case, group, toolchain};

const CHART_IDS: [&str; 3] = [
    "id=\"tasks-memory-chart\"",
    "id=\"workers-speedup-chart\"",
    "id=\"sweep-requests-chart\"",
];

fn wall(median: f64, ci_low: f64, ci_high: f64) -> Summary {
    Summary {
        n: 3,
        median,
        mad: 0.0,
        min: ci_low,
        max: ci_high,
        mean: median,
        ci_low,
        ci_high,
    }
}

fn point(x: u64, wall_s: f64, bytes: u64, speedup: f64) -> SeriesPoint {
    SeriesPoint {
        x,
        verdict: CaseVerdict::Ok,
        detail: None,
        wall_s: Some(wall(wall_s, wall_s * 0.95, wall_s * 1.05)),
        tree_peak_bytes: Some(bytes),
        metrics: Default::default(),
        speedup: Some(Ratio {
            value: speedup,
            ci_low: speedup * 0.9,
            ci_high: speedup * 1.1,
        }),
        case_index: 0,
    }
}

fn stopped(x: u64, verdict: CaseVerdict, detail: &str) -> SeriesPoint {
    SeriesPoint {
        verdict,
        detail: Some(detail.into()),
        wall_s: None,
        tree_peak_bytes: None,
        speedup: None,
        ..point(x, 1.0, 1, 1.0)
    }
}

fn series(
    parameter: &str,
    toolchain: &str,
    label: Option<&str>,
    points: Vec<SeriesPoint>,
) -> Series {
    Series {
        workload: format!("concurrency/{parameter}-sweep"),
        size: Some("small".into()),
        parameter: parameter.into(),
        language: None,
        toolchain: Some(toolchain.replace(' ', "-")),
        toolchain_label: Some(toolchain.into()),
        variant: None,
        label: label.map(String::from),
        form: label.unwrap_or("goroutines").into(),
        points,
    }
}

/// A sweep of every kind: tasks (threads stop with a hostile reason), workers, requests.
fn every_sweep() -> Vec<Series> {
    vec![
        series(
            "tasks",
            "go 1.26.8",
            None,
            vec![
                point(1, 1.0, 2 << 20, 1.0),
                point(1000, 1.01, 5 << 20, 1.0),
                point(100_000, 1.2, 262 << 20, 1.0),
            ],
        ),
        series(
            "tasks",
            "cpython 3.11.7",
            Some("<script>threads</script>"),
            vec![
                point(1, 1.0, 10 << 20, 1.0),
                point(1000, 1.1, 40 << 20, 1.0),
                stopped(
                    100_000,
                    CaseVerdict::LimitReached,
                    "can't start thread <script>alert(1)</script>",
                ),
            ],
        ),
        series(
            "workers",
            "go 1.26.8",
            None,
            vec![
                point(1, 0.2, 2 << 20, 1.0),
                point(2, 0.1, 2 << 20, 1.96),
                point(4, 0.1, 2 << 20, 1.98),
            ],
        ),
        series(
            "workers",
            "cpython 3.11.7",
            Some("threads"),
            vec![point(1, 3.0, 10 << 20, 1.0), point(2, 3.05, 10 << 20, 0.98)],
        ),
        series(
            "requests",
            "cpython 3.11.7",
            Some("asyncio"),
            vec![
                point(1, 0.052, 20 << 20, 1.0),
                point(100, 0.061, 30 << 20, 1.0),
                stopped(1000, CaseVerdict::Timeout, "10 s"),
            ],
        ),
    ]
}

fn charts(series: &[Series]) -> String {
    let mut page = String::new();
    sweep_charts(series, 2, &mut page);
    page
}

fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

/// No chart holds a number a browser cannot draw (the prose around them may say
/// "inflated").
fn assert_only_numbers(page: &str) {
    for svg in page.split("<svg").skip(1) {
        let svg = &svg[..svg.find("</svg>").unwrap()];
        for bad in ["NaN", "inf"] {
            assert!(!svg.contains(bad), "{bad} in {svg}");
        }
    }
}

#[test]
fn markup_is_escaped() {
    assert_eq!(
        escape("<script>alert(\"x\" & 'y')</script>"),
        "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
    );
}

#[test]
fn each_sweep_chart_is_drawn_exactly_when_its_data_is() {
    assert_eq!(charts(&[]), "");
    let all = charts(&every_sweep());
    for id in CHART_IDS {
        assert_eq!(count(&all, id), 1, "{id} in {all}");
    }
    assert_only_numbers(&all);
    // Memory first, then speedup, then the other parameters.
    let at = |id: &str| all.find(id).unwrap();
    assert!(at(CHART_IDS[0]) < at(CHART_IDS[1]) && at(CHART_IDS[1]) < at(CHART_IDS[2]));
    // Only a chart with a stop explains the ✕.
    let (tasks, rest) = all.split_at(at(CHART_IDS[1]));
    let (workers, requests) = rest.split_at(rest.find(CHART_IDS[2]).unwrap());
    assert!(tasks.contains("✕ marks") && requests.contains("✕ marks"));
    assert!(!workers.contains("✕ marks"));
    // The speedup chart has its ideal line and this machine's cores.
    assert!(all.contains("ideal: speedup = workers"));
    assert!(all.contains(">2 cores</text>"));

    for (parameter, id) in ["tasks", "workers", "requests"].into_iter().zip(CHART_IDS) {
        let only: Vec<Series> = every_sweep()
            .into_iter()
            .filter(|s| s.parameter == parameter)
            .collect();
        let page = charts(&only);
        for other in CHART_IDS {
            assert_eq!(
                count(&page, other),
                usize::from(other == id),
                "{other} with only {parameter}"
            );
        }
    }

    // Series without the chart's measure draw nothing: no memory, no speedup, no wall time.
    let mut bare = every_sweep();
    for point in bare.iter_mut().flat_map(|s| s.points.iter_mut()) {
        point.tree_peak_bytes = None;
        point.speedup = None;
        point.wall_s = None;
    }
    assert_eq!(charts(&bare), "");
    // Nor does a series whose every point failed.
    let failed = series(
        "tasks",
        "go 1.26.8",
        None,
        vec![stopped(1, CaseVerdict::Crashed, "boom")],
    );
    assert_eq!(charts(&[failed]), "");
}

#[test]
fn series_names_and_reasons_for_stopping_are_escaped() {
    let page = charts(&every_sweep());
    assert!(!page.contains("<script"), "{page}");
    assert!(page.contains("cpython 3.11.7 (&lt;script&gt;threads&lt;/script&gt;)"));
    // The stop: an ✕ with its verdict and reason as a tooltip, and the verdict in the legend.
    assert!(
        page.contains(
            "<title>cpython 3.11.7 (&lt;script&gt;threads&lt;/script&gt;) stopped at 100,000 tasks: limit-reached — can&#39;t start thread &lt;script&gt;alert(1)&lt;/script&gt;</title>"
        ),
        "{page}"
    );
    assert!(page.contains("stopped at 100,000: limit-reached</text>"));
    assert!(page.contains("stopped at 1,000 requests: timeout — 10 s</title>"));
    assert!(page.contains("<title>go 1.26.8, tasks = 100,000: 262 MiB</title>"));
    assert!(page.contains("<title>go 1.26.8, workers = 2: speedup 1.96× [1.76, 2.16]</title>"));
    // A parameter named by a manifest is escaped in the heading and kept out of the id.
    let mut hostile = every_sweep();
    for s in &mut hostile {
        if s.parameter == "requests" {
            s.parameter = "<b>\"x\"".into();
        }
    }
    let page = charts(&hostile);
    assert!(page.contains("id=\"sweep-_b__x_-chart\""), "{page}");
    assert!(page.contains("<h2>Wall time against &lt;b&gt;&quot;x&quot;</h2>"));
    assert!(!page.contains("<b>"));
}

#[test]
fn degenerate_series_draw_no_nan_or_infinity() {
    let one = |parameter: &str| {
        series(
            parameter,
            "go 1.26.8",
            None,
            vec![point(1, 0.5, 1 << 20, 1.0)],
        )
    };
    // One point per chart: each is drawn, with finite coordinates.
    let page = charts(&[one("tasks"), one("workers"), one("requests")]);
    for id in CHART_IDS {
        assert_eq!(count(&page, id), 1, "{id}");
    }
    assert_only_numbers(&page);

    // Equal values at every point, and a point far beyond the others.
    let flat = |parameter: &str| {
        series(
            parameter,
            "go 1.26.8",
            None,
            (0..4)
                .map(|i| point(10u64.pow(i), 0.5, 1 << 20, 1.0))
                .collect(),
        )
    };
    let page = charts(&[flat("tasks"), flat("workers"), flat("requests")]);
    for id in CHART_IDS {
        assert_eq!(count(&page, id), 1, "{id}");
    }
    assert_only_numbers(&page);

    // Zeros, NaN and infinities are left out, and so is x = 0 on a log axis.
    let broken = |parameter: &str| {
        let mut points = vec![
            point(0, 0.5, 1 << 20, 1.0),
            point(1, 0.0, 0, 0.0),
            point(2, f64::NAN, 1, f64::NAN),
            point(3, f64::INFINITY, 2, f64::INFINITY),
            point(4, 0.5, 4 << 20, 1.5),
        ];
        points[4].wall_s = Some(wall(0.5, f64::NAN, f64::INFINITY));
        points[4].speedup = Some(Ratio {
            value: 1.5,
            ci_low: f64::NEG_INFINITY,
            ci_high: f64::NAN,
        });
        series(parameter, "go 1.26.8", None, points)
    };
    let page = charts(&[broken("tasks"), broken("workers"), broken("requests")]);
    for id in CHART_IDS {
        assert_eq!(count(&page, id), 1, "{id}");
    }
    assert_only_numbers(&page);

    // Only unusable values: no chart at all.
    let hopeless = |parameter: &str| {
        let mut points = vec![
            point(1, f64::NAN, 0, f64::NAN),
            point(2, 0.0, 0, f64::INFINITY),
        ];
        for p in &mut points {
            p.speedup = p.speedup.map(|r| Ratio {
                value: r.value,
                ci_low: r.value,
                ci_high: r.value,
            });
        }
        series(parameter, "go 1.26.8", None, points)
    };
    assert_eq!(charts(&[hopeless("tasks"), hopeless("requests")]), "");
    let mut page = String::new();
    workers_speedup_chart(&[&hopeless("workers")], 2, &mut page);
    assert_eq!(page, "");
}

#[test]
fn ticks_are_round_numbers_in_readable_units() {
    let axis = Axis::log(
        [1.0, 100_000.0].into_iter(),
        false,
        true,
        count_tick,
        String::new(),
    )
    .unwrap();
    let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(labels, ["1", "10", "100", "1k", "10k", "100k"]);
    let axis = Axis::log(
        [3.0 * 1048576.0, 262.0 * 1048576.0].into_iter(),
        true,
        true,
        bytes_tick,
        String::new(),
    )
    .unwrap();
    let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "4 MiB", "8 MiB", "16 MiB", "32 MiB", "64 MiB", "128 MiB", "256 MiB"
        ]
    );
    let axis = Axis::log(
        [1048576.0, 8.0 * 1073741824.0].into_iter(),
        true,
        true,
        bytes_tick,
        String::new(),
    )
    .unwrap();
    let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "1 MiB", "4 MiB", "16 MiB", "64 MiB", "256 MiB", "1 GiB", "4 GiB"
        ]
    );
    // Less than a decade: 1-2-5 steps.
    let axis = Axis::log(
        [0.052, 0.061].into_iter(),
        false,
        false,
        seconds_tick,
        String::new(),
    )
    .unwrap();
    let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(labels, ["50 ms", "100 ms"]);
    let axis = Axis::linear(
        [0.98, 1.96, 2.1].into_iter(),
        false,
        speedup_tick,
        String::new(),
    )
    .unwrap();
    let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(labels, ["0×", "0.5×", "1×", "1.5×", "2×"]);
}

/// A run stored by the real runner and store, with scripted timings: the page has each
/// sweep's chart after the memory chart, and none of them without sweeps.
#[test]
fn a_stored_run_with_sweeps_has_their_charts() {
    let swept =
        |language, program: &str, label: Option<&str>, name: &str, value: u64, out: &[u8]| {
            let mut case = case(&format!("concurrency/{name}"), language, program, out);
            case.claim = Some(crate::suite::Claim::Concurrency);
            case.label = label.map(String::from);
            case.point = Some(crate::suite::Point {
                name: name.into(),
                value,
            });
            case
        };
    let mut groups = vec![group(
        "cpu/nbody (default)",
        vec![
            case("cpu/nbody", Language::Go, "go-nbody", b"ok\n"),
            case("cpu/nbody", Language::Python, "py-nbody", b"ok\n"),
        ],
        Some(0),
    )];
    for (name, values) in [
        ("tasks", [1u64, 100_000]),
        ("workers", [1, 2]),
        ("requests", [1, 100]),
    ] {
        for value in values {
            groups.push(group(
                &format!("concurrency/{name} ({name}={value})"),
                vec![
                    swept(
                        Language::Go,
                        &format!("go-{name}-{value}"),
                        None,
                        name,
                        value,
                        b"ok\n",
                    ),
                    swept(
                        Language::Python,
                        &format!("py-{name}-{value}"),
                        Some("threads"),
                        name,
                        value,
                        b"ok\n",
                    ),
                ],
                Some(0),
            ));
        }
    }
    let ok = |wall: f64, mib: u64| Script {
        rss_bytes: mib << 20,
        ..Script::ok(&[wall, wall * 1.01, wall * 0.99], b"ok\n")
    };
    let mut executor = ScriptedExecutor::new()
        .script("go-nbody", ok(0.01, 2))
        .script("py-nbody", ok(0.6, 10))
        .script("go-tasks-1", ok(1.0, 2))
        .script("go-tasks-100000", ok(1.2, 262))
        .script("py-tasks-1", ok(1.0, 10))
        .script(
            "py-tasks-100000",
            Script {
                exit: Exit::Code(crate::case::LIMIT_EXIT_CODE),
                stderr: b"started 32001 threads <script>\n".to_vec(),
                ..Script::ok(&[2.5], b"")
            },
        )
        .script("go-workers-1", ok(0.2, 2))
        .script("go-workers-2", ok(0.1, 2))
        .script("py-workers-1", ok(3.0, 10))
        .script("py-workers-2", ok(3.05, 10))
        .script("go-requests-1", ok(0.05, 5))
        .script("go-requests-100", ok(0.06, 6))
        .script("py-requests-1", ok(0.055, 12))
        .script("py-requests-100", ok(0.3, 14));
    let store = Store::in_memory().unwrap();
    let toolchains = [toolchain(Language::Go), toolchain(Language::Python)];
    let meta = crate::testing::run_meta();
    let mut writer = store.begin_run(&meta, &toolchains).unwrap();
    Runner {
        executor: &mut executor,
        profile: Profile::fixed(3, 0),
        sink: &mut writer,
        events: &mut Silent,
    }
    .run(&Plan { groups })
    .unwrap();
    writer.finish(RunStatus::Complete).unwrap();
    let mut run = store.load_run(writer.run_id).unwrap();
    let html = |run: &crate::store::StoredRun| {
        let mut out = Vec::new();
        write(&Report::from_run(run), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let page = html(&run);
    let memory = page.find("id=\"memory-chart\"").expect("the memory chart");
    for id in CHART_IDS {
        assert_eq!(count(&page, id), 1, "{id}");
        assert!(
            page.find(id).unwrap() > memory,
            "{id} before the memory chart"
        );
    }
    assert!(!page.contains("<script"));
    assert!(
        page.contains("limit-reached — started 32001 threads &lt;script&gt;</title>"),
        "{page}"
    );
    assert!(page.contains("cpython 3.11.7 (threads) — stopped at 100,000: limit-reached"));
    assert_only_numbers(&page[memory..]);

    run.cases.retain(|c| c.point.is_none());
    let page = html(&run);
    assert!(page.contains("id=\"memory-chart\""));
    for id in CHART_IDS {
        assert!(!page.contains(id), "{id} without sweeps");
    }
}

#[test]
fn a_bar_label_of_any_length_fits_its_gutter_and_keeps_every_word() {
    use super::bars::{Bar, CHAR_W, log_bar_chart, wrap};
    let long = format!(
        "cpu/regex-redux (default): cpython 3.11.7 variant optimized, backed by C (re module) {} end",
        "q".repeat(90)
    );
    let bars = [
        Bar {
            label: long.clone(),
            value: 0.03,
            interval: Some((0.025, 0.035)),
            color: "#000",
        },
        Bar {
            label: "short".into(),
            value: 40.0,
            interval: None,
            color: "#000",
        },
    ];
    let mut page = String::new();
    log_bar_chart("c", "caption", &bars, &mut page);
    // Every line of a label is right-aligned at x; it starts at x − its estimated width,
    // which must not be left of the chart's edge.
    let mut words = Vec::new();
    for piece in page.split("<tspan x=\"").skip(1) {
        let x: f64 = piece[..piece.find('"').unwrap()].parse().unwrap();
        let text = &piece[piece.find('>').unwrap() + 1..piece.find("</tspan>").unwrap()];
        assert!(
            text.chars().count() as f64 * CHAR_W <= x,
            "`{text}` is wider than its gutter ({x})"
        );
        words.extend(text.split(' ').map(String::from));
    }
    let joined = words.join(" ");
    assert!(joined.contains("backed by C (re module)"), "{joined}");
    assert_eq!(
        joined.matches('q').count(),
        90,
        "the long word is cut, not dropped"
    );
    assert!(joined.ends_with("end short"), "{joined}");
    // Ticks at 1-2-5 steps across the range, besides the baseline's 1×.
    for tick in ["0.05×", "0.1×", "0.2×", "0.5×", "2×", "5×", "10×", "20×"] {
        assert!(
            page.contains(&format!("class=\"tick\">{tick}</text>")),
            "no tick {tick}"
        );
    }
    assert!(page.contains("1× (Go)"));
    assert_eq!(wrap("", 10), [""]);
    assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
    assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
}
