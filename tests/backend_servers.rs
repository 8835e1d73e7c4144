//! Conformance of the backend suite's three servers (`workloads/backend/servers/`): Go's
//! net/http, FastAPI on uvicorn (one worker) and Python's ThreadingHTTPServer are started for
//! real on 127.0.0.1, sent the same requests, and must answer with the same status and the same
//! bytes, equal to the values the spec defines; keep-alive must work, and stopping a server's
//! process group must leave nothing running or listening.
//!
//! FastAPI's packages come from versus's own managed venv (`versus::venv::Venvs`), cached under
//! the target dir like the other tests' Go builds, so only the first run installs them.

mod util;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use versus::language::Language;
use versus::toolchain::{Discovery, Request as ToolchainRequest, Toolchain};
use versus::venv::Venvs;

const READY_TIMEOUT: Duration = Duration::from_secs(30);
const IO_TIMEOUT: Duration = Duration::from_secs(20);
const STOP_GRACE: Duration = Duration::from_secs(10);

const NOT_FOUND: &str = "not found";
const INVALID_N: &str = "n must be an integer from 1 to 100000";
const INVALID_ID: &str = "id must be an integer";
const NOT_OBJECT: &str = "body must be a JSON object";
const INVALID_JSON: &str = "invalid JSON";

fn servers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads/backend/servers")
}

#[test]
fn the_three_servers_answer_alike() {
    if let Some(reason) = missing_tools() {
        eprintln!("skipping the backend server conformance test: {reason}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("items.db");
    let toolchain = cpython();
    let python = toolchain.executable.clone();
    run(Command::new(&python)
        .arg(servers_dir().join("make_db.py"))
        .arg(&db));
    let go_server = dir.path().join("server-go");
    run(Command::new("go")
        .args(["build", "-o"])
        .arg(&go_server)
        .arg(".")
        .current_dir(servers_dir().join("go")));
    let venv_python = fastapi_interpreter(&toolchain);

    let uvicorn = "-m uvicorn app:app --host 127.0.0.1 --workers 1 --port";
    // The optimized variant, with /db as `async def`, must answer alike too.
    let uvicorn_async_db = "-m uvicorn app_async_db:app --host 127.0.0.1 --workers 1 --port";
    let launches = [
        Launch::new("go", &go_server, "", "go"),
        Launch::new("fastapi", &venv_python, uvicorn, "fastapi"),
        Launch::new(
            "fastapi-async-db",
            &venv_python,
            uvicorn_async_db,
            "fastapi",
        ),
        Launch::new("stdlib", &python, "server.py", "stdlib"),
    ];
    // Started together, so their start-ups overlap.
    let mut servers: Vec<Server> = launches
        .into_iter()
        .map(|launch| Server::start(launch, &db, dir.path()))
        .collect();
    for server in &mut servers {
        server.wait_until_ready();
    }

    for case in cases() {
        check_case(&servers, &case);
    }
    for server in &servers {
        check_keep_alive(server);
    }
    for server in &mut servers {
        server.stop();
        server.assert_gone();
    }
}

/// Why the test cannot run here, if it cannot.
fn missing_tools() -> Option<String> {
    for (program, arg) in [("go", "version"), ("python3", "--version")] {
        let ok = Command::new(program)
            .arg(arg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Some(format!("`{program} {arg}` does not run"));
        }
    }
    None
}

/// The CPython versus itself would pick.
fn cpython() -> Toolchain {
    let discovery = Discovery::run(&ToolchainRequest::default()).expect("nothing was named");
    discovery
        .toolchains
        .into_iter()
        .find(|t| t.language == Language::Python && t.implementation == "cpython" && t.selected)
        .unwrap_or_else(|| panic!("no CPython found"))
}

/// The interpreter of versus's managed venv for FastAPI's pinned requirements.
fn fastapi_interpreter(toolchain: &Toolchain) -> PathBuf {
    // The same place `versus` itself uses when tests point XDG_CACHE_HOME at the shared cache.
    let venvs = Venvs::new(&util::shared_cache().join("versus"));
    let requirements = servers_dir().join("fastapi/requirements.txt");
    match venvs.interpreter(toolchain, &requirements) {
        Ok(Ok(python)) => python,
        Ok(Err(reason)) => panic!("cannot install FastAPI's requirements: {reason}"),
        Err(err) => panic!("cannot make the venv: {err:#}"),
    }
}

fn run(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        util::stderr(&output)
    );
}

/// How to start one server: `program ARGS… PORT` in `dir`.
struct Launch {
    name: &'static str,
    program: PathBuf,
    args: Vec<String>,
    dir: PathBuf,
}

impl Launch {
    /// `dir` is the server's folder under `workloads/backend/servers`.
    fn new(name: &'static str, program: &Path, args: &str, dir: &str) -> Launch {
        Launch {
            name,
            program: program.to_path_buf(),
            args: args.split_whitespace().map(str::to_string).collect(),
            dir: servers_dir().join(dir),
        }
    }
}

/// A server started in its own process group, stopped (whole group) when dropped.
struct Server {
    launch: Launch,
    db: PathBuf,
    port: u16,
    child: Child,
    stderr_path: PathBuf,
    stopped: bool,
}

impl Server {
    /// Starts the server on a free port, with the database in `VERSUS_BACKEND_DB`.
    fn start(launch: Launch, db: &Path, dir: &Path) -> Server {
        let stderr_path = dir.join(format!("{}.stderr", launch.name));
        let (port, child) = spawn(&launch, db, &stderr_path);
        Server {
            launch,
            db: db.to_path_buf(),
            port,
            child,
            stderr_path,
            stopped: false,
        }
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Polls `GET /json` until it answers 200; fails if the server exits or takes too long.
    /// The port was free when picked but another process may take it before the server binds
    /// it: then the server is started again on another port (twice at most).
    fn wait_until_ready(&mut self) {
        for _ in 0..2 {
            match self.poll_until_ready() {
                Ok(()) => return,
                Err(stderr) if stderr.to_lowercase().contains("address already in use") => {
                    (self.port, self.child) = spawn(&self.launch, &self.db, &self.stderr_path);
                }
                Err(stderr) => panic!(
                    "the {} server exited before answering:\n{stderr}",
                    self.launch.name
                ),
            }
        }
        self.poll_until_ready()
            .unwrap_or_else(|stderr| panic!("the {} server exited:\n{stderr}", self.launch.name));
    }

    /// Ok once it answers, Err(its stderr) if it exits first.
    fn poll_until_ready(&mut self) -> Result<(), String> {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("{status}\n{}", self.stderr()));
            }
            if let Ok(response) = self.try_send(&Request::new("GET /json", None)) {
                if response.status == 200 {
                    return Ok(());
                }
            }
            assert!(
                start.elapsed() < READY_TIMEOUT,
                "the {} server did not answer within {READY_TIMEOUT:?}:\n{}",
                self.launch.name,
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn connect(&self) -> std::io::Result<Connection> {
        Connection::open(self.port)
    }

    fn try_send(&self, request: &Request) -> std::io::Result<Response> {
        let mut connection = self.connect()?;
        connection.stream.write_all(&request.bytes(self.port))?;
        connection.read()
    }

    fn send(&self, request: &Request) -> Response {
        self.try_send(request).unwrap_or_else(|e| {
            panic!(
                "{} to the {} server: {e}\n{}",
                request.line,
                self.launch.name,
                self.stderr()
            )
        })
    }

    /// SIGTERM to the whole process group, then SIGKILL if it has not gone after a grace period.
    fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let group = self.child.id() as libc::pid_t;
        // SAFETY: plain system calls on a process group this test created.
        unsafe { libc::killpg(group, libc::SIGTERM) };
        let deadline = Instant::now() + STOP_GRACE;
        while group_alive(group) && Instant::now() < deadline {
            let _ = self.child.try_wait();
            std::thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: as above; a group that has already gone makes this fail harmlessly.
        unsafe { libc::killpg(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }

    fn assert_gone(&self) {
        let group = self.child.id() as libc::pid_t;
        let deadline = Instant::now() + STOP_GRACE;
        while group_alive(group) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(
            !group_alive(group),
            "the {} server's process group survived",
            self.launch.name
        );
        assert!(
            TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_err(),
            "something still listens on the {} server's port {}",
            self.launch.name,
            self.port
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Spawns `launch` on a free port in a process group of its own; its stderr goes to a file.
fn spawn(launch: &Launch, db: &Path, stderr_path: &Path) -> (u16, Child) {
    let port = free_port();
    let child = Command::new(&launch.program)
        .args(&launch.args)
        .arg(port.to_string())
        .current_dir(&launch.dir)
        .env("VERSUS_BACKEND_DB", db)
        // Nothing written into the source tree (uvicorn imports app.py).
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(stderr_path).unwrap())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start the {} server: {e}", launch.name));
    (port, child)
}

/// A port nothing listens on now (the kernel's pick of an ephemeral port, released).
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.local_addr().unwrap().port()
}

/// Whether a process that is not a zombie is still in process group `group`.
fn group_alive(group: libc::pid_t) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|entry| {
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // After the command's closing parenthesis: state, ppid, pgrp, …
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or("", |(_, rest)| rest)
            .split_whitespace()
            .collect();
        fields.len() > 2 && fields[0] != "Z" && fields[2] == group.to_string()
    })
}

struct Request {
    /// `GET /json`: the method and the target.
    line: String,
    body: Option<String>,
}

impl Request {
    fn new(line: &str, body: Option<&str>) -> Request {
        let (line, body) = (line.to_string(), body.map(str::to_string));
        Request { line, body }
    }

    fn bytes(&self, port: u16) -> Vec<u8> {
        let body = self.body.as_deref().unwrap_or("");
        let mut head = format!("{} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n", self.line);
        if self.body.is_some() {
            head.push_str("Content-Type: application/json\r\n");
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        format!("{head}\r\n{body}").into_bytes()
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    /// Header names in lowercase.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// One keep-alive HTTP/1.1 client connection: responses are framed by Content-Length, which
/// every server must send.
struct Connection {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Connection {
    fn open(port: u16) -> std::io::Result<Connection> {
        let stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))?;
        stream.set_read_timeout(Some(IO_TIMEOUT))?;
        stream.set_write_timeout(Some(IO_TIMEOUT))?;
        stream.set_nodelay(true)?;
        let reader = BufReader::new(stream.try_clone()?);
        Ok(Connection { stream, reader })
    }

    fn read(&mut self) -> std::io::Result<Response> {
        let invalid = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid(format!("bad status line {line:?}")))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            let (name, value) = trimmed
                .split_once(':')
                .ok_or_else(|| invalid(format!("bad header {trimmed:?}")))?;
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
        };
        let length: usize = response
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| invalid("no Content-Length".into()))?;
        response.body = vec![0; length];
        self.reader.read_exact(&mut response.body)?;
        Ok(response)
    }
}

struct Case {
    request: Request,
    status: u16,
    body: Value,
}

/// The spec's arithmetic, written independently of the servers.
fn compute(n: u64) -> Value {
    let sum: u64 = (0..n).map(|i| i * i % 7).sum();
    json!({ "n": n, "sum": sum })
}

fn item(id: u64) -> Value {
    json!({ "id": id, "name": format!("item-{id}"), "value": (id * 7919) % 10007 })
}

fn echoed(name: &str, count: u64) -> Value {
    json!({ "name": name, "count": count, "total": count * 2, "greeting": format!("hello {name}") })
}

fn cases() -> Vec<Case> {
    let hello = json!({ "message": "Hello, World!", "id": 1 });
    let mut cases = Vec::new();
    let mut add = |line: &str, body: Option<&str>, status: u16, expected: Value| {
        let request = Request::new(line, body);
        cases.push(Case {
            request,
            status,
            body: expected,
        });
    };
    add("GET /json", None, 200, hello);
    add("GET /compute?n=1", None, 200, compute(1));
    add("GET /compute?n=10", None, 200, compute(10));
    add("GET /compute?n=100000", None, 200, compute(100000));
    add("GET /compute?n=3&n=7", None, 200, compute(7)); // a repeated parameter's last value
    add("GET /db?id=1", None, 200, item(1));
    add("GET /db?id=500", None, 200, item(500));
    add("GET /db?id=1000", None, 200, item(1000));
    add(
        "POST /echo",
        Some(r#"{"name":"Ada","count":21}"#),
        200,
        echoed("Ada", 21),
    );
    let name = "Zoë <&> \"q\"\n";
    let body = json!({ "count": 0, "name": name }).to_string();
    add("POST /echo", Some(&body), 200, echoed(name, 0));
    let body = r#"{"name":"x","count":1000000000,"extra":[1,{"a":null}]}"#;
    add("POST /echo", Some(body), 200, echoed("x", 1000000000));
    let mut error = |line: &str, body: Option<&str>, status: u16, text: &str| {
        add(line, body, status, json!({ "error": text }));
    };
    for n in [
        "0",
        "100001",
        "-5",
        "+5",
        "5.0",
        "1e3",
        "abc",
        "",
        "1234567890",
    ] {
        error(&format!("GET /compute?n={n}"), None, 400, INVALID_N);
    }
    error("GET /compute", None, 400, INVALID_N);
    for id in ["x", "1.5", "+1", "%201", "12345678901"] {
        error(&format!("GET /db?id={id}"), None, 400, INVALID_ID);
    }
    error("GET /db", None, 400, INVALID_ID);
    for id in ["0", "1001", "-1"] {
        error(&format!("GET /db?id={id}"), None, 404, NOT_FOUND);
    }
    for body in ["", "null", "[1,2]", "\"text\""] {
        error("POST /echo", Some(body), 400, NOT_OBJECT);
    }
    for body in ["{not json", r#"{"name":"x","count":1"#, " "] {
        error("POST /echo", Some(body), 400, INVALID_JSON);
    }
    for count in ["-1", "1000000001", "1.5", "1.0", "\"3\"", "true", "null"] {
        let body = format!(r#"{{"name":"x","count":{count}}}"#);
        error("POST /echo", Some(&body), 400, "invalid field: count");
    }
    error(
        "POST /echo",
        Some(r#"{"name":"x"}"#),
        400,
        "invalid field: count",
    );
    // The first invalid field is named; keys are case-sensitive.
    for name in [
        r#""name":5"#,
        r#""name":null"#,
        r#""name":["x"]"#,
        r#""NAME":"x""#,
    ] {
        for count in ["1", "-1"] {
            let body = format!(r#"{{{name},"count":{count}}}"#);
            error("POST /echo", Some(&body), 400, "invalid field: name");
        }
    }
    error(
        "POST /echo",
        Some(r#"{"count":1}"#),
        400,
        "invalid field: name",
    );
    for line in [
        "GET /",
        "GET /nope",
        "GET /json/",
        "GET /echo",
        "GET /docs",
        "GET /openapi.json",
        "DELETE /json",
    ] {
        error(line, None, 404, NOT_FOUND);
    }
    for line in ["POST /json", "POST /db?id=1"] {
        error(line, Some("{}"), 404, NOT_FOUND);
    }
    cases
}

/// Every server answers `case` with its status and JSON body, as compact JSON, and all three
/// with the same bytes.
fn check_case(servers: &[Server], case: &Case) {
    let what = &case.request.line;
    let mut first: Option<(&str, Vec<u8>)> = None;
    for server in servers {
        let response = server.send(&case.request);
        let shown = String::from_utf8_lossy(&response.body).into_owned();
        assert_eq!(
            (response.status, response.json()),
            (case.status, case.body.clone()),
            "{what} to the {} server answered {shown}",
            server.launch.name
        );
        assert_eq!(
            response.header("content-type"),
            Some("application/json"),
            "{what} to the {} server",
            server.launch.name
        );
        match &first {
            None => first = Some((server.launch.name, response.body)),
            Some((name, bytes)) => assert_eq!(
                String::from_utf8_lossy(bytes),
                shown,
                "{what}: the {name} and {} servers' bytes differ",
                server.launch.name
            ),
        }
    }
}

/// Requests one after another, and then two pipelined, all on one connection.
fn check_keep_alive(server: &Server) {
    let requests = [
        (
            "GET /json",
            None,
            json!({ "message": "Hello, World!", "id": 1 }),
        ),
        (
            "POST /echo",
            Some(r#"{"name":"k","count":2}"#),
            echoed("k", 2),
        ),
        ("GET /db?id=2", None, item(2)),
        ("GET /compute?n=5", None, compute(5)),
    ];
    let bytes: Vec<Vec<u8>> = requests
        .iter()
        .map(|(line, body, _)| Request::new(line, *body).bytes(server.port))
        .collect();
    let writes = [
        (bytes[0].clone(), 1),
        (bytes[1].clone(), 1),
        ([&bytes[2][..], &bytes[3]].concat(), 2),
    ];
    let mut connection = server.connect().expect("connect");
    let mut responses = Vec::new();
    for (write, answers) in writes {
        let result = connection.stream.write_all(&write).and_then(|()| {
            (0..answers)
                .map(|_| connection.read())
                .collect::<std::io::Result<Vec<_>>>()
        });
        responses
            .extend(result.unwrap_or_else(|e| {
                panic!("keep-alive to the {} server: {e}", server.launch.name)
            }));
    }
    for (response, (line, _, expected)) in responses.iter().zip(&requests) {
        let what = format!(
            "{line} on one connection to the {} server",
            server.launch.name
        );
        assert_eq!(
            (response.status, response.json()),
            (200, expected.clone()),
            "{what}"
        );
        assert_ne!(response.header("connection"), Some("close"), "{what}");
    }
}
