//! `versus load` end to end, against small servers started inside each test (a std thread per
//! connection, keep-alive, a fixed JSON answer). Assertions are about counts and about bounds the
//! servers themselves guarantee (a stall is a sleep, so latencies cannot be shorter than it);
//! wall-clock figures are only checked with generous margins.

mod util;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{assert_usage_error, json, stderr, stdout};
use versus::load::{self, LoadReport, LoadSpec, Measurement, Mode, Target};
use versus::report::format_count;

const BODY: &str = r#"{"message":"Hello, World!","id":1}"#;

/// How the test server answers.
#[derive(Clone, Copy)]
enum Behaviour {
    /// 200 with the JSON body.
    Ok,
    /// 500 with the JSON body.
    Status500,
    /// 200 with a body of the right length and one byte changed.
    WrongBody,
    /// Requests that arrive in [from, until) are answered at `until`: the server is frozen.
    Stall { from: Instant, until: Instant },
    /// 200 with a Content-Length that cannot be read: cannot be framed.
    Unframed,
    /// Reads requests and never answers.
    Silent,
    /// Closes the connection instead of answering.
    Hangup,
}

/// Starts a server on 127.0.0.1; returns its `http://…/json` URL. Its threads end when the
/// test process does.
fn serve(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || connection(stream, behaviour));
        }
    });
    format!("http://{addr}/json")
}

fn connection(stream: TcpStream, behaviour: Behaviour) {
    stream.set_nodelay(true).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    while read_request(&mut reader) {
        let answer = match behaviour {
            Behaviour::Ok => answer("200 OK"),
            Behaviour::Status500 => answer("500 Internal Server Error"),
            Behaviour::WrongBody => answer("200 OK").replace("World!", "World?"),
            Behaviour::Stall { from, until } => {
                let now = Instant::now();
                if now >= from && now < until {
                    std::thread::sleep(until - now);
                }
                answer("200 OK")
            }
            Behaviour::Unframed => format!("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n{BODY}"),
            Behaviour::Silent => continue,
            Behaviour::Hangup => return,
        };
        if writer.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

fn answer(status: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{BODY}",
        BODY.len()
    )
}

/// Reads one request head (and its body, if announced); false at the end of the connection.
fn read_request(reader: &mut BufReader<TcpStream>) -> bool {
    let mut length = 0usize;
    let mut first = true;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) => {}
        }
        if line == "\r\n" && !first {
            break;
        }
        first = false;
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).is_ok()
}

fn versus_load(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_versus"))
        .arg("load")
        .args(args)
        .output()
        .unwrap()
}

/// Runs `versus load --format json ARGS` and returns the report.
fn load_json(args: &[&str]) -> (Output, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let output = versus_load(&all);
    let report = json(&output);
    (output, report)
}

fn f(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

fn u(value: &Value) -> u64 {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("not a count: {value}"))
}

#[test]
fn closed_loop_counts_requests_without_errors_and_obeys_littles_law() {
    let url = serve(Behaviour::Ok);
    let (output, report) = load_json(&[&url, "-c", "4", "-d", "1s", "--warmup", "200ms"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["mode"], "closed-loop");
    assert_eq!(report["connections"], 4);
    let requests = u(&report["requests"]);
    assert!(requests > 100, "{report}");
    assert_eq!(u(&report["errors_total"]), 0, "{report}");
    let throughput = f(&report["throughput_per_s"]);
    assert!((throughput * f(&report["duration_s"]) - requests as f64).abs() < 1.0);
    let service = &report["latency"]["closed_loop_service_time"];
    // Requests sent in the phase and answered in it: all but the few in flight at either edge.
    assert!(u(&service["count"]).abs_diff(requests) <= 8, "{report}");
    assert!(report["latency"].get("corrected").is_none());
    // Little's law: mean latency = connections / throughput (generous: the edges of the phase).
    let law = &report["littles_law"];
    assert!(f(&law["relative_difference"]).abs() < 0.3, "{law}");
    let predicted_ms = 4.0 / throughput * 1e3;
    assert!((f(&law["predicted_ms"]) - predicted_ms).abs() < 1e-6 * predicted_ms.max(1.0));
    assert!(f(&report["generator"]["cpu_s"]) > 0.0);
    assert!(report["machine"]["steal_percent"].is_number());
    // The server, on this machine, is found by its port: this test process. Its CPU time is
    // its whole tree's (the test harness's other threads included), so only its shape is checked.
    let server = &report["server"];
    assert_eq!(
        server["pid"].as_u64(),
        Some(u64::from(std::process::id())),
        "{report}"
    );
    assert!(f(&server["cpu_s"]) > 0.0, "{server}");
    let per_cpu = f(&server["requests_per_cpu_s"]);
    assert!(
        (per_cpu * f(&server["cpu_s"]) - requests as f64).abs() < 1.0,
        "{server}"
    );
}

#[test]
fn json_carries_the_full_percentile_spectrum() {
    let url = serve(Behaviour::Ok);
    let (_, report) = load_json(&[&url, "-c", "2", "-d", "500ms", "--warmup", "0"]);
    let service = &report["latency"]["closed_loop_service_time"];
    let listed: Vec<f64> = service["percentiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| f(&p["percentile"]))
        .collect();
    assert_eq!(
        listed,
        [0.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0]
    );
    let spectrum = service["spectrum"].as_array().unwrap();
    assert!(spectrum.len() > 10);
    assert_eq!(f(&spectrum.last().unwrap()["percentile"]), 100.0);
    let counted: u64 = spectrum.iter().map(|p| u(&p["count"])).sum();
    assert_eq!(counted, u(&service["count"]));
    for key in [
        "p50_ms", "p90_ms", "p99_ms", "p99_9_ms", "max_ms", "mean_ms",
    ] {
        assert!(f(&service[key]) > 0.0, "{key}");
    }
}

#[test]
fn table_labels_closed_loop_service_time() {
    let url = serve(Behaviour::Ok);
    let output = versus_load(&[&url, "-c", "2", "-d", "300ms", "--warmup", "0"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for wanted in [
        "closed loop",
        "closed-loop service time",
        "Little's law",
        "steal",
    ] {
        assert!(text.contains(wanted), "{wanted}: {text}");
    }
}

#[test]
fn open_loop_sends_about_rate_times_duration() {
    let url = serve(Behaviour::Ok);
    let (output, report) = load_json(&[
        &url, "--rate", "200", "-c", "4", "-d", "2s", "--warmup", "200ms",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(report["mode"], "open-loop");
    assert_eq!(f(&report["rate"]), 200.0);
    let requests = u(&report["requests"]);
    assert!((360..=420).contains(&requests), "{requests}: {report}");
    let sent_per_s = f(&report["schedule"]["sent_per_s"]);
    assert!((180.0..=220.0).contains(&sent_per_s), "{sent_per_s}");
    assert_eq!(report["schedule"]["overloaded"], false);
    let latency = &report["latency"];
    for name in ["corrected", "raw", "send_lag"] {
        assert!(
            u(&latency[name]["count"]).abs_diff(requests) <= 4,
            "{name}: {report}"
        );
    }
    assert!(latency.get("closed_loop_service_time").is_none());
    assert!(report["littles_law"].is_null());
}

/// The issue's stall test, shortened: 1000 req/s for 2 s, and the server frozen for 300 ms in
/// the middle. Requests due during the freeze wait for it, so latency from the intended time has
/// a heavy tail (10% of requests are due in its first 200 ms and so wait ≥ 100 ms: p99 ≥ 100 ms,
/// by construction). Raw latency, from the actual send, is what the socket saw: only the few
/// requests already sent when the server froze (one per connection) waited; the ~300 queued
/// meanwhile were sent after it and answered at once, so the raw p99 stays small. That is
/// exactly the coordinated omission the corrected histogram removes.
#[test]
fn a_stall_shows_in_corrected_latency_and_not_in_raw() {
    let from = Instant::now() + Duration::from_millis(1000);
    let until = from + Duration::from_millis(300);
    let url = serve(Behaviour::Stall { from, until });
    let (output, report) = load_json(&[
        &url, "--rate", "1000", "-c", "8", "-d", "2s", "--warmup", "0",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let latency = &report["latency"];
    let corrected_p99 = f(&latency["corrected"]["p99_ms"]);
    let corrected_max = f(&latency["corrected"]["max_ms"]);
    let raw_p99 = f(&latency["raw"]["p99_ms"]);
    assert!(
        corrected_p99 >= 100.0,
        "corrected p99 {corrected_p99} ms: {report}"
    );
    // The request due just after the freeze began waited for all of it.
    assert!(corrected_max >= 250.0, "corrected max {corrected_max} ms");
    assert!(raw_p99 < 50.0, "raw p99 {raw_p99} ms: {report}");
    // The held-back requests were queued, not dropped, and the queue drained: not overloaded.
    let schedule = &report["schedule"];
    assert!(u(&schedule["backlog_max"]) >= 100, "{schedule}");
    assert_eq!(schedule["overloaded"], false, "{schedule}");
    assert!(u(&report["requests"]) >= 1900, "{report}");
    assert_eq!(u(&report["errors_total"]), 0);
}

/// The issue's "every request counts": the server freezes 1 s into a 1.5 s run at 1,000 req/s and
/// never answers again. The requests due from then on (about 500: a few sent and waiting, the
/// rest queued for a connection) are unanswered when the run ends. Each must still count in the
/// corrected histogram, at the latency it had reached by then, and the report must say how many.
/// No timing is asserted: only counts, which the schedule fixes exactly (request k is due k ms
/// after the start, so 1,500 are due in the run whatever the server does).
#[test]
fn requests_still_due_when_the_run_ends_are_counted_and_reported() {
    let from = Instant::now() + Duration::from_millis(1000);
    let until = from + Duration::from_secs(3600);
    let url = serve(Behaviour::Stall { from, until });
    let spec = LoadSpec {
        target: Target::resolve(&url).unwrap(),
        method: "GET".into(),
        body: Vec::new(),
        connections: 8,
        threads: 2,
        duration: Duration::from_millis(1500),
        warmup: Duration::ZERO,
        timeout: Duration::from_secs(10),
        mode: Mode::Open { rate_per_s: 1000.0 },
        expected_body: None,
        stop: None,
        server_pid: None,
    };
    let measured = load::run(&spec).unwrap();
    let report = LoadReport::new(&spec, &measured);
    let json = serde_json::to_value(&report).unwrap();
    let still = &json["still_due_at_end"];
    let count = u(&still["count"]);
    assert!(count > 0, "{json}");
    assert_eq!(
        u(&still["in_flight"]) + u(&still["unsent"]),
        count,
        "{still}"
    );
    // At most one request waits on each connection; the rest never left the queue.
    assert!(u(&still["in_flight"]) <= 8, "{still}");
    assert_eq!(u(&json["errors_total"]), 0, "{json}");
    // Every request due in the run is in the corrected histogram: answered, or still due.
    let corrected = u(&json["latency"]["corrected"]["count"]);
    assert_eq!(corrected, 1500, "{json}");
    assert_eq!(corrected, u(&json["requests"]) + count, "{json}");
    // The raw histogram holds answers only.
    assert_eq!(u(&json["latency"]["raw"]["count"]), u(&json["requests"]));
    // No request can have waited longer than the run, and the oldest still due is the slowest.
    let longest = f(&still["longest_ms"]);
    assert!(longest <= 1500.0 * 1.001, "{still}");
    assert!(
        f(&json["latency"]["corrected"]["max_ms"]) <= longest * 1.001,
        "{json}"
    );
    let mut table = Vec::new();
    load::write_table(&report, &mut table).unwrap();
    let table = String::from_utf8(table).unwrap();
    let line = format!("{} requests still due at the end", format_count(count));
    assert!(table.contains(&line), "{line}: {table}");
    assert!(
        table.contains("counted at the latency they had reached"),
        "{table}"
    );
}

/// A stop is an end too: every request due before it and unanswered counts, at the latency it
/// had reached at the stop, in flight or not (against a server that never answers).
#[test]
fn requests_still_due_at_a_stop_are_counted_at_the_stop() {
    let url = serve(Behaviour::Silent);
    let mode = Mode::Open { rate_per_s: 200.0 };
    let (spec, measured, took) =
        stopped_run(&url, mode, Duration::ZERO, Duration::from_millis(300));
    assert!(took < HANG, "took {took:?}");
    assert!(measured.stopped_early);
    let recorder = &measured.recorder;
    assert_eq!(recorder.ok, 0);
    assert_eq!(recorder.errors, load::ErrorCounts::default());
    // One request waits on each of the two connections; the others queued behind them.
    assert_eq!(recorder.in_flight_at_end, 2);
    let still = recorder.still_due;
    assert_eq!(still.in_flight, 2);
    assert!(still.unsent > 0, "{still:?}");
    assert_eq!(recorder.latency.len(), still.in_flight + still.unsent);
    assert!(still.longest <= measured.measured, "{still:?}");
    let report = LoadReport::new(&spec, &measured);
    assert_eq!(
        report.still_due_at_end.map(|s| s.count),
        Some(still.in_flight + still.unsent)
    );
}

#[test]
fn non_2xx_answers_are_status_errors() {
    let url = serve(Behaviour::Status500);
    let (output, report) = load_json(&[&url, "-c", "2", "-d", "300ms", "--warmup", "0"]);
    assert_eq!(u(&report["requests"]), 0);
    assert!(u(&report["errors"]["status"]) > 10, "{report}");
    assert_eq!(u(&report["errors"]["connect"]), 0);
    // Nothing succeeded: exit code 3, like a failed case; the report is still written.
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(report["warnings"][0]["kind"], "nothing-succeeded");
}

#[test]
fn a_closed_port_gives_connect_errors() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    let (output, report) = load_json(&[&url, "-c", "2", "-d", "300ms", "--warmup", "0"]);
    assert_eq!(output.status.code(), Some(3));
    assert!(u(&report["errors"]["connect"]) > 0, "{report}");
    assert_eq!(u(&report["requests"]), 0);
}

#[test]
fn unframed_silent_and_hung_up_answers_are_errors_of_their_kind() {
    let cases = [
        (Behaviour::Unframed, "bad_response"),
        (Behaviour::Silent, "timeout"),
        (Behaviour::Hangup, "io"),
    ];
    for (behaviour, kind) in cases {
        let url = serve(behaviour);
        let (output, report) = load_json(&[
            &url,
            "-c",
            "2",
            "-d",
            "600ms",
            "--warmup",
            "0",
            "--timeout",
            "100ms",
        ]);
        assert_eq!(output.status.code(), Some(3), "{kind}");
        assert!(u(&report["errors"][kind]) > 0, "{kind}: {report}");
        assert_eq!(u(&report["requests"]), 0, "{kind}");
    }
}

#[test]
fn post_with_a_body_file() {
    let url = serve(Behaviour::Ok);
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("req.json");
    std::fs::write(&body, r#"{"name":"x","n":3}"#).unwrap();
    let body = body.to_str().unwrap();
    let (output, report) = load_json(&[
        &url, "-m", "POST", "--body", body, "-c", "2", "-d", "300ms", "--warmup", "0",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(report["method"], "POST");
    assert!(u(&report["requests"]) > 0);
    assert_eq!(u(&report["errors_total"]), 0);
}

#[test]
fn answers_with_another_body_than_expected_are_wrong_body_errors() {
    let dir = tempfile::tempdir().unwrap();
    let expected = dir.path().join("expected.json");
    std::fs::write(&expected, BODY).unwrap();
    let expected = expected.to_str().unwrap();
    let run = |behaviour| {
        let url = serve(behaviour);
        load_json(&[
            &url,
            "--expect-body",
            expected,
            "-c",
            "2",
            "-d",
            "300ms",
            "--warmup",
            "0",
        ])
    };
    let (output, report) = run(Behaviour::WrongBody);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(u(&report["requests"]), 0, "{report}");
    let wrong = u(&report["errors"]["wrong_body"]);
    assert!(wrong > 10, "{report}");
    assert_eq!(u(&report["errors_total"]), wrong, "{report}");
    assert!(report["latency"]["closed_loop_service_time"].is_null());
    // The same file against a server that answers it: every answer a success.
    let (output, report) = run(Behaviour::Ok);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(u(&report["requests"]) > 10, "{report}");
    assert_eq!(u(&report["errors_total"]), 0, "{report}");
}

#[test]
fn wrong_bodies_are_named_in_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let expected = dir.path().join("expected.json");
    std::fs::write(&expected, BODY).unwrap();
    let url = serve(Behaviour::WrongBody);
    let expected = expected.to_str().unwrap();
    let output = versus_load(&[
        &url,
        "--expect-body",
        expected,
        "-d",
        "200ms",
        "--warmup",
        "0",
    ]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("(wrong-body "), "{text}");
}

#[test]
fn bad_input_is_a_usage_error_with_a_hint() {
    let output = versus_load(&["https://127.0.0.1:8443/json"]);
    assert_usage_error(&output, "https is not supported");
    assert!(stderr(&output).contains("http://"));
    assert_usage_error(
        &versus_load(&["http://127.0.0.1:1/", "--rate", "0"]),
        "--rate 0",
    );
    assert_usage_error(
        &versus_load(&["http://127.0.0.1:1/", "--rate=-5"]),
        "--rate",
    );
    assert_usage_error(
        &versus_load(&["http://127.0.0.1:1/", "--body", "/no/such/file.json"]),
        "cannot read --body /no/such/file.json",
    );
    assert_usage_error(
        &versus_load(&[
            "http://127.0.0.1:1/",
            "--expect-body",
            "/no/such/answer.json",
        ]),
        "cannot read --expect-body /no/such/answer.json",
    );
    assert_usage_error(
        &versus_load(&["http://127.0.0.1:1/", "-m", "HEAD", "--expect-body", "/"]),
        "--expect-body with --method HEAD",
    );
    assert_usage_error(
        &versus_load(&["http://127.0.0.1:1/", "-d", "ten"]),
        "--duration ten",
    );
    assert_usage_error(
        &versus_load(&["http://127.0.0.1:1/", "-c", "0"]),
        "--connections 0",
    );
    assert_usage_error(&versus_load(&["127.0.0.1:8080"]), "not an http:// URL");
    assert_usage_error(
        &versus_load(&["http://no-such-host.invalid/"]),
        "cannot resolve host",
    );
}

/// A 30 s run (after `warmup`) against `url`, on two connections, stopped by its flag after
/// `after`. Returns what it measured and how long `run` took.
fn stopped_run(
    url: &str,
    mode: Mode,
    warmup: Duration,
    after: Duration,
) -> (LoadSpec, Measurement, Duration) {
    let stop = Arc::new(AtomicBool::new(false));
    let spec = LoadSpec {
        target: Target::resolve(url).unwrap(),
        method: "GET".into(),
        body: Vec::new(),
        connections: 2,
        threads: 1,
        duration: Duration::from_secs(30),
        warmup,
        timeout: Duration::from_secs(10),
        mode,
        expected_body: None,
        stop: Some(Arc::clone(&stop)),
        server_pid: None,
    };
    let raiser = std::thread::spawn(move || {
        std::thread::sleep(after);
        stop.store(true, Ordering::SeqCst);
    });
    let started = Instant::now();
    let measured = load::run(&spec).unwrap();
    let took = started.elapsed();
    raiser.join().unwrap();
    (spec, measured, took)
}

/// The hang check is all that is timed, and generously: the engine looks at the flag every 10 ms.
const HANG: Duration = Duration::from_secs(5);

#[test]
fn a_raised_stop_flag_ends_a_30_s_run_early_in_either_loop() {
    let url = serve(Behaviour::Ok);
    for mode in [Mode::Closed, Mode::Open { rate_per_s: 200.0 }] {
        let after = Duration::from_millis(300);
        let (spec, measured, took) = stopped_run(&url, mode, Duration::ZERO, after);
        assert!(took < HANG, "{mode:?}: took {took:?}");
        assert!(measured.stopped_early, "{mode:?}");
        assert!(measured.measured > Duration::ZERO && measured.measured < took);
        assert!(measured.recorder.ok > 0, "{mode:?}");
        let errors = measured.recorder.errors;
        assert_eq!(errors, load::ErrorCounts::default(), "{mode:?}");
        // Throughput divides by the measured phase's actual length, not the planned 30 s.
        let report = LoadReport::new(&spec, &measured);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["stopped_early"], true);
        let seconds = measured.measured.as_secs_f64();
        assert_eq!(f(&json["duration_s"]), seconds);
        let ok = measured.recorder.ok as f64;
        assert!((f(&json["throughput_per_s"]) * seconds - ok).abs() < 1e-6 * ok);
    }
}

#[test]
fn requests_in_flight_at_a_stop_are_in_flight_not_errors() {
    let url = serve(Behaviour::Silent);
    let after = Duration::from_millis(300);
    let (_, measured, took) = stopped_run(&url, Mode::Closed, Duration::ZERO, after);
    assert!(took < HANG, "took {took:?}");
    assert!(measured.stopped_early);
    let recorder = &measured.recorder;
    assert_eq!(recorder.errors, load::ErrorCounts::default());
    assert_eq!(recorder.ok, 0);
    // One request on each connection, sent and never answered.
    assert_eq!(recorder.in_flight_at_end, 2);
}

#[test]
fn a_stop_during_the_warm_up_ends_the_run_with_nothing_measured() {
    let url = serve(Behaviour::Ok);
    let warmup = Duration::from_secs(30);
    let after = Duration::from_millis(100);
    let (spec, measured, took) = stopped_run(&url, Mode::Closed, warmup, after);
    assert!(took < HANG, "took {took:?}");
    assert!(measured.stopped_early);
    assert_eq!(measured.measured, Duration::ZERO);
    assert_eq!(measured.recorder.ok, 0);
    assert_eq!(measured.recorder.errors.total(), 0);
    let report = LoadReport::new(&spec, &measured);
    // Nothing was measured: zero per second (not NaN), and no blame on the server.
    assert_eq!(report.throughput_per_s, 0.0);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let mut table = Vec::new();
    load::write_table(&report, &mut table).unwrap();
    let table = String::from_utf8(table).unwrap();
    assert!(table.contains("stopped early"), "{table}");
}

/// Ctrl-C during `versus load`: the run stops, the report of what was measured is printed
/// (marked stopped early), and the exit code is 130.
#[test]
fn ctrl_c_prints_the_partial_report_and_exits_130() {
    let url = serve(Behaviour::Ok);
    let mut child = Command::new(env!("CARGO_BIN_EXE_versus"))
        .args(["load", &url, "--format", "json", "-c", "2"])
        .args(["--duration", "30s", "--warmup", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stdout = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap());
    // The first stderr line is printed once Ctrl-C no longer exits at once.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut started = String::new();
    stderr.read_line(&mut started).unwrap();
    assert!(started.starts_with("versus load:"), "{started}");
    std::thread::sleep(Duration::from_secs(1));
    // SAFETY: signalling our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    // The hang check is generous: the engine looks for the signal every 10 ms.
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("versus load did not stop within 20 s of SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let rest = std::io::read_to_string(stderr).unwrap();
    assert_eq!(status.code(), Some(130), "{started}{rest}");
    assert!(rest.contains("interrupted"), "{rest}");
    let report: Value = serde_json::from_str(&stdout.join().unwrap()).unwrap();
    assert_eq!(report["stopped_early"], true, "{report}");
    assert!(u(&report["requests"]) > 0, "{report}");
    let measured = f(&report["duration_s"]);
    assert!(measured > 0.0 && measured < 30.0, "{measured}");
    assert_eq!(u(&report["errors_total"]), 0, "{report}");
}

#[test]
fn given_a_database_a_load_test_is_stored_and_reported_with_what_it_measured() {
    let url = serve(Behaviour::Ok);
    let sandbox = util::Sandbox::empty();
    let written = sandbox.path().join("load.json");
    let output = sandbox
        .versus(&[
            "load",
            &url,
            "-c",
            "2",
            "-d",
            "500ms",
            "--warmup",
            "0s",
            "--format",
            "json",
            "-o",
            written.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // -o takes the report off stdout, into the file.
    assert_eq!(stdout(&output), "");
    let measured: Value = serde_json::from_slice(&std::fs::read(&written).unwrap()).unwrap();
    assert!(
        stderr(&output).contains("stored as run 1 in"),
        "{}",
        stderr(&output)
    );

    let shown = sandbox
        .versus(&["report", "latest", "--format", "json"])
        .output()
        .unwrap();
    let stored = json(&shown);
    assert_eq!(stored["run"]["command"], "load");
    let cases = stored["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1, "{stored}");
    let case = &cases[0];
    assert_eq!(case["kind"], "load");
    assert_eq!(case["verdict"], "ok");
    assert_eq!(case["workload"], format!("GET {url}"));
    // The stored figures are the ones the load test printed, not measured again.
    let stored_figure = |name: &str| f(&case["metrics"][name]["median"]);
    assert_eq!(
        stored_figure("throughput_per_s"),
        f(&measured["throughput_per_s"])
    );
    assert_eq!(stored_figure("errors"), 0.0);
    assert_eq!(
        stored_figure("latency_p99_ms"),
        f(&measured["latency"]["closed_loop_service_time"]["p99_ms"])
    );
    assert_eq!(stored_figure("connections"), 2.0);

    // The terminal report shows it in a grid of its own, not in the main table.
    let table = sandbox.versus(&["report", "latest"]).output().unwrap();
    let text = stdout(&table);
    assert!(text.contains("load tests:"), "{text}");
    assert!(text.contains("closed loop, 2 connections"), "{text}");
}

#[test]
fn a_load_test_where_nothing_answered_is_stored_as_crashed() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    let sandbox = util::Sandbox::empty();
    let output = sandbox
        .versus(&["load", &url, "-c", "1", "-d", "200ms", "--warmup", "0s"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let stored = json(
        &sandbox
            .versus(&["report", "latest", "--format", "json"])
            .output()
            .unwrap(),
    );
    let case = &stored["cases"][0];
    assert_eq!(case["verdict"], "crashed", "{stored}");
    assert!(
        case["detail"].as_str().unwrap().contains("connect"),
        "{stored}"
    );
}
