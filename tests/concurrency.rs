//! End-to-end: the concurrency suite at a small size, verified in both languages, stored as
//! series; its work is dealt evenly; a process pool cannot outlive a timeout or Ctrl-C; and a
//! Python without the GIL is detected and labelled.

mod util;

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{Sandbox, json, stderr, stdout};

fn cases_of<'a>(report: &'a Value, workload: &str) -> Vec<&'a Value> {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["workload"] == workload)
        .collect()
}

#[test]
fn the_suite_runs_verified_as_series_and_deals_work_evenly() {
    let sandbox = Sandbox::empty();
    // --workers replaces the manifest's points (small: 1, 2, 4) from the command line.
    let output = sandbox
        .versus(&[
            "run",
            "concurrency/cpu-scaling",
            "concurrency/idle-tasks",
            "concurrency/ping-pong",
            "--size",
            "small",
            "--lang",
            "python,go",
            "--workers",
            "1,2,4",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let workloads = [
        "concurrency/cpu-scaling",
        "concurrency/idle-tasks",
        "concurrency/ping-pong",
    ];
    for workload in workloads {
        let cases = cases_of(&report, workload);
        for language in ["go", "python"] {
            assert!(
                cases.iter().any(|c| c["language"] == language),
                "{workload} has no {language} case"
            );
        }
        for case in &cases {
            // CPython and Go must complete every small point; PyPy may lack a package.
            assert_eq!(
                case["verdict"], "ok",
                "{workload} {} {}: {}",
                case["toolchain"], case["label"], case["detail"]
            );
        }
    }

    // Every worker of cpu-scaling got an equal share of the primes, in every form, at every
    // point with more than one worker (a stride of W over the numbers would not).
    for case in cases_of(&report, "concurrency/cpu-scaling") {
        let workers = case["point"]["value"].as_u64().unwrap();
        assert_eq!(case["point"]["name"], "workers");
        for sample in case["samples"].as_array().unwrap() {
            let shares: Vec<f64> = (0..workers)
                .map(|i| {
                    sample["metrics"][format!("share.{i}")]
                        .as_f64()
                        .unwrap_or_else(|| panic!("no share.{i} in {sample}"))
                })
                .collect();
            let (min, max) = shares
                .iter()
                .fold((f64::MAX, 0.0_f64), |(lo, hi), &s| (lo.min(s), hi.max(s)));
            assert!(
                min > 0.0 && max / min <= 1.05,
                "{} shares {shares:?}",
                case["label"]
            );
        }
    }

    // Sweeps come back as series, one per program and toolchain, in order of the parameter.
    let series = report["series"].as_array().unwrap();
    let workers: Vec<&Value> = series
        .iter()
        .filter(|s| s["parameter"] == "workers")
        .collect();
    assert!(
        workers.len() >= 3,
        "goroutines, threads, processes: {workers:?}"
    );
    for s in &workers {
        let xs: Vec<u64> = s["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["x"].as_u64().unwrap())
            .collect();
        assert_eq!(xs, [1, 2, 4], "{}", s["form"]);
        let first = &s["points"][0]["speedup"];
        assert!((first["value"].as_f64().unwrap() - 1.0).abs() < 1e-9);
    }
    let forms: Vec<&str> = workers
        .iter()
        .map(|s| s["form"].as_str().unwrap())
        .collect();
    for form in ["goroutines", "threads", "processes"] {
        assert!(forms.contains(&form), "{forms:?}");
    }
    let tasks = series.iter().filter(|s| s["parameter"] == "tasks").count();
    assert!(tasks >= 3, "goroutines, asyncio, threads over tasks");

    // The finding: idle tasks per form, speedup at the cores, round trips per second.
    let concurrency = &report["findings"]["concurrency"];
    assert!(concurrency["idle_tasks"].as_array().unwrap().len() >= 3);
    assert!(concurrency["scaling"].as_array().unwrap().len() >= 3);
    let rates = concurrency["rates"].as_array().unwrap();
    assert!(
        rates
            .iter()
            .any(|r| r["metric"] == "round_trips_per_s" && r["form"] == "goroutines"),
        "{rates:?}"
    );
    assert!(rates.iter().all(|r| r["median"].as_f64().unwrap() > 0.0));
    let row = report["article"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "concurrency")
        .unwrap();
    assert_ne!(row["stance"], "not measured", "{row}");
    assert!(
        row["measured"].as_str().unwrap().contains("speedup"),
        "{row}"
    );

    // The terminal report has its concurrency section.
    let table = sandbox.versus(&["report", "latest"]).output().unwrap();
    assert!(
        stdout(&table).contains("speedup over 1 worker"),
        "{}",
        stdout(&table)
    );
}

#[test]
fn a_process_pool_is_taken_down_by_a_timeout() {
    let sandbox = Sandbox::with_fixture("pools");
    let output = sandbox
        .versus(&["run", "pool-hang", "--lang", "python", "--format", "json"])
        .output()
        .unwrap();
    // A timeout is the program's failure: exit status 3.
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    let pool = cases_of(&report, "pools/pool-hang");
    assert!(pool.iter().all(|c| c["verdict"] == "timeout"), "{pool:?}");
    assert_eq!(
        sandbox.survivors(),
        Vec::<String>::new(),
        "pool workers outlived the timeout"
    );
}

#[test]
fn a_process_pool_is_taken_down_by_ctrl_c() {
    let sandbox = Sandbox::with_fixture("pools");
    let mut child = sandbox
        .versus(&["run", "pool-hang", "--lang", "python"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the pool's workers are running (they are forked children of the program, so
    // their command lines name the sandbox).
    let deadline = Instant::now() + Duration::from_secs(120);
    while sandbox.survivors().len() < 3 {
        assert!(Instant::now() < deadline, "the pool never started");
        std::thread::sleep(Duration::from_millis(100));
    }
    // SAFETY: signalling our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(
        sandbox.survivors(),
        Vec::<String>::new(),
        "pool workers outlived Ctrl-C"
    );
}

/// A free-threaded CPython cannot be installed here, so the test makes one up: a venv whose
/// `sitecustomize` says the build is free-threaded and `sys._is_gil_enabled()` is false. versus
/// must believe the interpreter (it asks it, in isolated mode), label its rows with the `t` of a
/// free-threaded build, and record the GIL as disabled.
#[test]
fn a_python_without_the_gil_is_detected_and_labelled() {
    let sandbox = Sandbox::empty();
    let venv = sandbox.path().join("nogil");
    let made = std::process::Command::new("python3")
        .args(["-m", "venv", "--without-pip"])
        .arg(&venv)
        .status()
        .unwrap();
    assert!(made.success());
    let site = std::fs::read_dir(venv.join("lib"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path()
        .join("site-packages");
    std::fs::write(
        site.join("sitecustomize.py"),
        "import sys, sysconfig\n\
         sys._is_gil_enabled = lambda: False\n\
         _get = sysconfig.get_config_var\n\
         sysconfig.get_config_var = lambda name: 1 if name == 'Py_GIL_DISABLED' else _get(name)\n",
    )
    .unwrap();
    let python = venv.join("bin/python");
    let output = sandbox
        .versus(&[
            "--python",
            python.to_str().unwrap(),
            "run",
            "concurrency/cpu-scaling",
            "--size",
            "small",
            "--lang",
            "python",
            "--workers",
            "1,2",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let nogil = report["toolchains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["executable"]
                .as_str()
                .unwrap()
                .starts_with(venv.to_str().unwrap())
        })
        .expect("the venv's interpreter is a toolchain of the run");
    assert_eq!(nogil["details"]["gil"], "disabled", "{nogil}");
    assert_eq!(nogil["details"]["free_threaded_build"], "true");
    let id = nogil["id"].as_str().unwrap();
    assert!(id.ends_with('t'), "{id}");
    let threads: Vec<&Value> = cases_of(&report, "concurrency/cpu-scaling")
        .into_iter()
        .filter(|c| c["toolchain"] == id && c["label"] == "threads")
        .collect();
    assert_eq!(threads.len(), 2);
    for case in threads {
        let label = case["toolchain_label"].as_str().unwrap();
        assert!(
            label.ends_with('t'),
            "the row is labelled free-threaded: {label}"
        );
        assert_eq!(case["verdict"], "ok");
    }
}
