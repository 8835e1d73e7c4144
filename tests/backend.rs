//! End-to-end: the backend suite's lifecycle through the real binary. Servers that never get
//! ready, find their port taken, crash under load or answer the wrong body each get their
//! verdict, and the suite goes on; Ctrl-C stops the load and the server; nothing is left
//! running. And the real `backend/json` workload, with its four servers, at the small size.

mod util;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{Sandbox, cases, json, stderr};

/// The pids every fixture server wrote at its start (`tests/fixtures/backend/*/serve.py`).
fn started_pids(dir: &Path) -> Vec<i32> {
    std::fs::read_dir(dir.join("pids"))
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

fn alive(pid: i32) -> bool {
    // A zombie is dead for our purpose: it runs nothing and holds no port.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| Some(stat.rsplit(')').next()?.trim_start().starts_with('Z')))
        .is_some_and(|zombie| !zombie)
}

fn assert_nothing_left(sandbox: &Sandbox, dir: &Path) {
    let pids = started_pids(dir);
    assert!(!pids.is_empty(), "no fixture server ever started");
    let running: Vec<i32> = pids.into_iter().filter(|p| alive(*p)).collect();
    assert!(running.is_empty(), "servers left running: {running:?}");
    assert_eq!(sandbox.survivors(), Vec::<String>::new());
}

fn case_labelled<'a>(report: &'a Value, group_part: &str, label: &str) -> &'a Value {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["label"] == label && c["group"].as_str().unwrap().contains(group_part))
        .unwrap_or_else(|| panic!("no case {label} in a group with {group_part}"))
}

#[test]
fn every_server_fault_becomes_a_verdict_and_nothing_is_left_running() {
    let sandbox = Sandbox::with_fixture("backend");
    let output = sandbox
        .versus(&[
            "run", "faults", "--lang", "python", "--python", "python3", "--format", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    let dir = sandbox.workloads().join("faults");
    let maximum = |label| case_labelled(&report, "maximum throughput", label);

    let ok = maximum("ok");
    assert_eq!(ok["verdict"], "ok", "{ok}");
    assert!(
        ok["metrics"]["throughput_per_s"]["median"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert!(ok["metrics"]["cold_start_s"]["median"].as_f64().unwrap() > 0.0);
    assert_eq!(ok["metrics"]["errors"]["median"].as_f64(), Some(0.0));

    let never = maximum("never ready");
    assert_eq!(never["verdict"], "timeout", "{never}");
    assert!(
        never["detail"]
            .as_str()
            .unwrap()
            .contains("did not answer GET /hello")
    );

    // The first start failed with "address already in use"; versus started it again on
    // another port.
    let taken = maximum("port taken");
    assert_eq!(taken["verdict"], "ok", "{taken}");
    assert!(dir.join("port_taken.marker").is_file());

    let crash = maximum("crash");
    assert_eq!(crash["verdict"], "crashed", "{crash}");
    let detail = crash["detail"].as_str().unwrap();
    assert!(
        detail.contains("under load") && detail.contains("exit status 3"),
        "{detail}"
    );

    // Every second answer had another body: one is enough for the verdict.
    let wrong = maximum("wrong body");
    assert_eq!(wrong["verdict"], "wrong-output", "{wrong}");
    let detail = wrong["detail"].as_str().unwrap();
    assert!(
        detail.contains("had another body than expected (wrong-body)"),
        "{detail}"
    );

    // A server that stops answering is no maximum and no latency: it is hung, and the detail
    // says how many requests it left waiting (in either loop).
    for hang in [
        maximum("hang"),
        case_labelled(&report, "slowest maximum", "hang"),
    ] {
        assert_eq!(hang["verdict"], "hung", "{hang}");
        let detail = hang["detail"].as_str().unwrap();
        assert!(
            detail.contains("answered GET /hello when it started, then no request")
                && detail.contains("still unanswered when the 0.5 s measured phase ended"),
            "{detail}"
        );
    }

    // The rate comes from the slowest maximum among the servers that measured one without a
    // failed answer, and the servers run at it.
    let at_rate = case_labelled(&report, "slowest maximum", "ok");
    assert_eq!(at_rate["verdict"], "ok", "{at_rate}");
    assert_eq!(at_rate["point"]["name"], "rate");
    let rate = at_rate["point"]["value"].as_f64().unwrap();
    let slowest = ["ok", "port taken"]
        .iter()
        .map(|l| {
            maximum(l)["metrics"]["throughput_per_s"]["median"]
                .as_f64()
                .unwrap()
        })
        .fold(f64::INFINITY, f64::min);
    assert!(
        (rate - (slowest / 2.0).round()).abs() <= 1.0,
        "{rate} vs {slowest}"
    );
    let metric = |name: &str| at_rate["metrics"][name]["median"].as_f64();
    assert_eq!(metric("rate_per_s"), Some(rate));
    assert_eq!(metric("rate_percent"), Some(50.0));

    assert_nothing_left(&sandbox, &dir);
}

#[test]
fn ctrl_c_during_the_load_stops_the_server_and_the_run() {
    let sandbox = Sandbox::with_fixture("backend");
    // The slow workload's server is the faults fixture's `ok.py`, which writes its pid there.
    let dir = sandbox.workloads().join("faults");
    let child = sandbox
        .versus(&["run", "slow", "--lang", "python", "--python", "python3"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Loading starts once the server has written its pid and answered.
    let deadline = Instant::now() + Duration::from_secs(120);
    while started_pids(&dir).is_empty() {
        assert!(Instant::now() < deadline, "the server never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let interrupted = Instant::now();
    // SAFETY: signalling our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    // The load was 20 s: versus did not wait it out (a generous bound, not a timing test).
    assert!(
        interrupted.elapsed() < Duration::from_secs(15),
        "versus took {:?} to stop",
        interrupted.elapsed()
    );
    assert_nothing_left(&sandbox, &dir);
    let report = sandbox
        .versus(&["report", "latest", "--format", "json"])
        .output()
        .unwrap();
    let report = json(&report);
    assert_eq!(report["run"]["status"], "interrupted");
    let slow = cases(&report, "slow", "python");
    assert!(
        slow.iter().all(|c| c["verdict"] == "interrupted"),
        "{slow:?}"
    );
}

/// The real suite's `/json` workload: Go's net/http, FastAPI with one worker and with one per
/// core, and ThreadingHTTPServer, each started, loaded at its maximum and at the same rate.
#[test]
fn the_json_workload_runs_every_server_at_its_maximum_and_at_one_rate() {
    let sandbox = Sandbox::empty();
    let output = sandbox
        .versus(&[
            "run",
            "backend/json",
            "--size",
            "small",
            "--python",
            "python3",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let servers = [
        "net/http",
        "FastAPI on uvicorn, 1 worker",
        "FastAPI, a worker per core",
        "ThreadingHTTPServer",
    ];
    let mut rates = Vec::new();
    for server in servers {
        let maximum = case_labelled(&report, "maximum throughput", server);
        assert_eq!(maximum["verdict"], "ok", "{maximum}");
        let metrics = &maximum["metrics"];
        for metric in [
            "throughput_per_s",
            "requests_per_server_cpu_s",
            "cold_start_s",
            "latency_p99_ms",
        ] {
            assert!(
                metrics[metric]["median"].as_f64().unwrap() > 0.0,
                "{server}: {metric}"
            );
        }
        assert_eq!(metrics["errors"]["median"].as_f64(), Some(0.0), "{server}");
        assert!(
            maximum["tree_peak_bytes"].as_u64().unwrap() > 1 << 20,
            "{server}"
        );
        assert!(
            maximum["artifact_bytes"].as_u64().unwrap() > 1 << 20,
            "{server}"
        );
        let at_rate = case_labelled(&report, "slowest maximum", server);
        assert_eq!(at_rate["verdict"], "ok", "{at_rate}");
        assert!(
            at_rate["metrics"]["raw_p50_ms"]["median"]
                .as_f64()
                .is_some()
        );
        rates.push(at_rate["point"]["value"].as_u64().unwrap());
    }
    // Compared at equal load.
    assert!(rates.windows(2).all(|w| w[0] == w[1]), "{rates:?}");
    // What must be deployed: a Go binary against an interpreter with its packages.
    let go = case_labelled(&report, "maximum throughput", "net/http");
    let fastapi = case_labelled(
        &report,
        "maximum throughput",
        "FastAPI on uvicorn, 1 worker",
    );
    assert!(go["artifact_bytes"].as_u64() < fastapi["artifact_bytes"].as_u64());
    assert_eq!(sandbox.survivors(), Vec::<String>::new());
}
