//! End-to-end: the HTML report is one self-contained file that escapes what manifests say, and
//! it loads in headless Chromium with its tables and charts (a screenshot is kept in
//! target/tmp/report.png for a person to look at).

mod util;

use std::path::Path;

use std::process::Command;

use util::{Sandbox, stderr};

/// A workload whose folder and name are markup (the report shows both).
const HOSTILE: &str = "<script>";

/// The charts of sweeps: memory against tasks, speedup against workers, and wall time against
/// any other parameter.
const SWEEP_CHARTS: [&str; 3] = [
    "id=\"tasks-memory-chart\"",
    "id=\"workers-speedup-chart\"",
    "id=\"sweep-requests-chart\"",
];

/// A Python program that prints its argument, and stops at 1000 as a program that reached a
/// limit of the machine does (exit 75), giving a reason that is markup.
const SWEEP_PROGRAM: &str = "import sys
n = int(sys.argv[1])
if n >= 1000:
    sys.stderr.write('cannot start task <script>' + str(n) + '</script>\\n')
    sys.exit(75)
print(n, 'done')
";

/// A cheap sweep over `parameter` (three timed runs of a Python program at each point), so
/// the report has a chart of it.
fn add_sweep(sandbox: &Sandbox, parameter: &str, points: &str) -> String {
    let name = format!("{parameter}-sweep");
    let dir = sandbox.workloads().join(&name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("sweep.py"), SWEEP_PROGRAM).unwrap();
    let manifest = format!(
        r#"name = "{name}"
claim = "concurrency"
description = "prints its argument"

[sizes.default]
sweep = {{ {parameter} = {points} }}
args = ["{{{parameter}}}"]
runs = 3
warmup = 0
timeout_s = 30
expected = {{ text = "{{{parameter}}} done\n" }}

[[implementations]]
language = "python"
source = "sweep.py"
variant = "idiomatic"
label = "threads"
"#
    );
    std::fs::write(dir.join("workload.toml"), manifest).unwrap();
    name
}

/// The backend suite's charts: latency against the request rate, per endpoint, and the table of
/// every server at each rate.
const BACKEND_CHARTS: [&str; 2] = [
    "id=\"backend-latency-json-chart\"",
    "id=\"backend-latency\"",
];

/// A Go server for the backend endpoint: `GET /hello` answers `hello`.
const BACKEND_GO: &str = "package main

import (
\t\"net/http\"
\t\"os\"
)

func main() {
\thttp.HandleFunc(\"/hello\", func(w http.ResponseWriter, _ *http.Request) {
\t\t_, _ = w.Write([]byte(\"hello\"))
\t})
\tpanic(http.ListenAndServe(\"127.0.0.1:\"+os.Args[len(os.Args)-1], nil))
}
";

/// A backend endpoint `json` (claim `backend`): a Python server whose label is markup (the
/// backend faults fixture's working server) and a Go one, each at its maximum and three rates.
fn add_backend(sandbox: &Sandbox) -> String {
    let dir = sandbox.workloads().join("json");
    std::fs::create_dir_all(&dir).unwrap();
    let servers = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/backend/faults");
    for file in ["serve.py", "ok.py"] {
        std::fs::copy(servers.join(file), dir.join(file)).unwrap();
    }
    std::fs::write(dir.join("server.go"), BACKEND_GO).unwrap();
    let manifest = r#"name = "json"
claim = "backend"
description = "answers hello"

[backend]
path = "/hello"

[sizes.default]
runs = 2
args = ["{port}"]
expected = { text = "hello" }
load = { connections = 4, duration_s = 0.3, warmup_s = 0, rates = [25, 50, 75] }

[[implementations]]
language = "python"
source = "ok.py"
variant = "idiomatic"
label = "<script>FastAPI</script>"

[[implementations]]
language = "go"
source = "server.go"
variant = "idiomatic"
label = "net/http"
"#;
    std::fs::write(dir.join("workload.toml"), manifest).unwrap();
    "json".into()
}

fn run_with_hostile_workload() -> (Sandbox, std::path::PathBuf) {
    let sandbox = Sandbox::with_fixture("faults");
    let hostile = sandbox.workloads().join(HOSTILE);
    util::copy_dir(&sandbox.workloads().join("good"), &hostile);
    let manifest = std::fs::read_to_string(hostile.join("workload.toml")).unwrap();
    let manifest = manifest.replace("name = \"good\"", &format!("name = \"{HOSTILE}\""));
    std::fs::write(hostile.join("workload.toml"), manifest).unwrap();
    let sweeps = [
        add_sweep(&sandbox, "tasks", "[1, 10, 1000]"),
        add_sweep(&sandbox, "workers", "[1, 2]"),
        add_sweep(&sandbox, "requests", "[1, 10]"),
        add_backend(&sandbox),
    ];
    let mut args = vec!["run", "good", HOSTILE];
    args.extend(sweeps.iter().map(String::as_str));
    args.extend(["--lang", "python,go"]);
    let run = sandbox.versus(&args).output().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let html = sandbox.path().join("report.html");
    let report = sandbox
        .versus(&[
            "report",
            "latest",
            "--format",
            "html",
            "-o",
            html.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    (sandbox, html)
}

#[test]
fn the_html_report_is_self_contained_and_escapes_manifest_text() {
    let (_sandbox, html) = run_with_hostile_workload();
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(
        !text.contains("<script"),
        "a manifest's markup reached the page"
    );
    assert!(
        text.contains("&lt;script&gt;"),
        "the hostile workload is shown, escaped"
    );
    // The sweep over tasks stopped at 1000 (limit reached): its ✕ says why, escaped.
    assert!(
        text.contains("stopped at 1,000 tasks: limit-reached — cannot start task &lt;script&gt;1000&lt;/script&gt;</title>"),
        "the reason a sweep stopped is shown, escaped"
    );
    for external in ["src=\"http", "href=\"http://", "<link", "@import", "url("] {
        assert!(!text.contains(external), "external resource: {external}");
    }
    for id in [
        "id=\"article\"",
        "id=\"cases\"",
        "id=\"ratio-chart\"",
        "<svg",
    ]
    .into_iter()
    .chain(SWEEP_CHARTS)
    .chain(BACKEND_CHARTS)
    {
        assert!(text.contains(id), "missing {id}");
    }
    // A backend rate is charted as latency, not as a sweep's wall time (a fixed load phase).
    assert!(!text.contains("id=\"sweep-rate-chart\""));
    assert!(
        text.contains("(&lt;script&gt;FastAPI&lt;/script&gt;) p99 at "),
        "the Python server's p99 at a rate, escaped"
    );
}

#[test]
fn the_html_report_loads_in_headless_chromium() {
    let Some(chromium) = util::optional_tool(
        "the_html_report_loads_in_headless_chromium",
        &["chromium", "chromium-browser", "google-chrome"],
        "apt-get install chromium",
    ) else {
        return;
    };
    let (sandbox, html) = run_with_hostile_workload();
    let profile = sandbox.path().join("chromium-profile");
    let screenshot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("report.png");
    let url = format!("file://{}", html.display());
    let dom = chromium_dom(chromium, &profile, &url);
    let rendered = String::from_utf8_lossy(&dom.stdout);
    for id in [
        "id=\"article\"",
        "id=\"choices\"",
        "id=\"skips\"",
        "id=\"cases\"",
        "id=\"ratio-chart\"",
        "id=\"memory-chart\"",
    ]
    .into_iter()
    .chain(SWEEP_CHARTS)
    .chain(BACKEND_CHARTS)
    {
        assert!(rendered.contains(id), "Chromium's DOM lacks {id}");
    }
    let log = String::from_utf8_lossy(&dom.stderr);
    assert!(!log.contains("CONSOLE"), "console messages: {log}");
    let shot = Command::new(chromium)
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--window-size=1280,4000")
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    assert!(
        std::fs::metadata(&screenshot).unwrap().len() > 10_000,
        "an empty screenshot"
    );
}

/// Headless Chromium, kept from reaching the network or updating itself.
const CHROMIUM_FLAGS: [&str; 10] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
];

/// The DOM Chromium built of `url`, checked to have loaded.
fn chromium_dom(chromium: &str, profile: &Path, url: &str) -> std::process::Output {
    let dom = Command::new(chromium)
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    dom
}

#[test]
fn the_html_article_is_self_contained_and_loads_in_headless_chromium() {
    let sandbox = Sandbox::with_fixture("faults");
    let run = sandbox
        .versus(&["run", "good", "--lang", "python,go"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let html = sandbox.path().join("article.html");
    let article = sandbox
        .versus(&["article", "--format", "html", "-o", html.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(article.status.code(), Some(0), "{}", stderr(&article));
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(!text.contains("<script"), "no scripts");
    for external in ["src=\"http", "<link", "@import", "url("] {
        assert!(!text.contains(external), "external resource: {external}");
    }
    let Some(chromium) = util::optional_tool(
        "the_html_article_is_self_contained_and_loads_in_headless_chromium",
        &["chromium", "chromium-browser", "google-chrome"],
        "apt-get install chromium",
    ) else {
        return;
    };
    let url = format!("file://{}", html.display());
    let dom = chromium_dom(chromium, &sandbox.path().join("chromium-profile"), &url);
    let rendered = String::from_utf8_lossy(&dom.stdout);
    for id in [
        "id=\"article-page\"",
        "id=\"the-short-answer\"",
        "id=\"comparison\"",
        "id=\"which-should-you-choose\"",
        "id=\"what-to-skip\"",
        "id=\"is-go-faster-than-python\"",
        "<blockquote>",
    ] {
        assert!(rendered.contains(id), "Chromium's DOM lacks {id}");
    }
    let log = String::from_utf8_lossy(&dom.stderr);
    assert!(!log.contains("CONSOLE"), "console messages: {log}");
}
