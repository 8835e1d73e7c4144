use std::ffi::OsString;
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::*;

/// A request for `sh -c SCRIPT` with stdin from /dev/null and stdout/stderr to `out`.
fn shell(script: &str, out: &Path) -> Request {
    let out = File::create(out).unwrap();
    let env = environment(&[]);
    Request {
        program: resolve(Path::new("sh"), &env).unwrap(),
        args: vec!["-c".into(), script.into()],
        env,
        cwd: None,
        cgroup_procs: None,
        stdin: File::open("/dev/null").unwrap().into(),
        stdout: OwnedFd::from(out.try_clone().unwrap()),
        stderr: out.into(),
    }
}

fn wait_for_exit(child: &Child) {
    let mut poll = libc::pollfd {
        fd: child.exit_fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    assert_eq!(
        unsafe { libc::poll(&mut poll, 1, 20_000) },
        1,
        "the child exits"
    );
}

fn is_alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z'),
        Err(_) => false,
    }
}

fn read_pid(path: &Path) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if let Ok(pid) = text.trim().parse() {
                return pid;
            }
        }
        assert!(
            Instant::now() < deadline,
            "{} never written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn gone_within(pid: i32, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while is_alive(pid) {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

#[test]
fn runs_a_program_with_the_given_environment_and_reports_its_exit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut request = shell("echo \"$VERSUS_TEST_VALUE\"; exit 7", &out);
    request.env = environment(&[("VERSUS_TEST_VALUE".into(), "forty-two".into())]);
    let child = spawn(request).unwrap();
    assert_ne!(
        child.keeper,
        std::process::id() as i32,
        "started by a keeper"
    );
    assert!(child.started <= monotonic());
    wait_for_exit(&child);
    let reaped = child.reap().unwrap();
    assert!(libc::WIFEXITED(reaped.status));
    assert_eq!(libc::WEXITSTATUS(reaped.status), 7);
    assert!(reaped.max_rss_bytes > 0);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "forty-two\n");
}

#[test]
fn the_child_leads_its_own_process_group_in_its_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut request = shell("cut -d' ' -f5 /proc/$$/stat; pwd", &out);
    request.cwd = Some(dir.path().to_path_buf());
    let child = spawn(request).unwrap();
    let pid = child.pid;
    wait_for_exit(&child);
    child.reap().unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap().trim(), pid.to_string());
    let cwd = std::fs::canonicalize(dir.path()).unwrap();
    assert_eq!(Path::new(lines.next().unwrap()), cwd);
}

#[test]
fn what_cannot_start_says_which_step_failed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut request = shell("true", &out);
    request.cwd = Some(dir.path().join("missing"));
    assert!(matches!(spawn(request), Err(SpawnFailure::Cwd(_))));
    let mut request = shell("true", &out);
    request.program = PathBuf::from("/nonexistent/program");
    match spawn(request) {
        Err(SpawnFailure::Exec(err)) => assert_eq!(err.raw_os_error(), Some(libc::ENOENT)),
        other => panic!("{other:?}"),
    }
    let mut request = shell("true", &out);
    request.program = out.clone();
    match spawn(request) {
        Err(failure @ SpawnFailure::Exec(_)) => assert!(failure.is_the_programs()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn reaping_kills_what_the_run_left_behind_even_in_another_session() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    // The leader waits for the pid file, then exits: the grandchild is an orphan by then.
    let script = format!(
        "setsid -f sh -c 'trap \"\" TERM; echo $$ > {0}; exec sleep 300'; \
         while [ ! -s {0} ]; do sleep 0.01; done",
        pidfile.display()
    );
    let child = spawn(shell(&script, &dir.path().join("out"))).unwrap();
    wait_for_exit(&child);
    let grandchild = read_pid(&pidfile);
    assert!(is_alive(grandchild), "alive until its run is reaped");
    child.reap().unwrap();
    assert!(
        !is_alive(grandchild),
        "the setsid grandchild outlived its run"
    );
}

#[test]
fn a_child_given_up_is_killed_with_everything_it_started() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let script = format!(
        "setsid sh -c 'trap \"\" TERM; echo $$ > {}; exec sleep 300' & sleep 300",
        pidfile.display()
    );
    let child = spawn(shell(&script, &dir.path().join("out"))).unwrap();
    let (pid, keeper) = (child.pid, child.keeper);
    let grandchild = read_pid(&pidfile);
    drop(child);
    for process in [pid, grandchild, keeper] {
        assert!(
            gone_within(process, Duration::from_secs(5)),
            "{process} lives on"
        );
    }
}

#[test]
fn concurrent_spawns_each_get_their_own_child() {
    let dir = tempfile::tempdir().unwrap();
    std::thread::scope(|scope| {
        let runs: Vec<_> = (0..6)
            .map(|i| {
                let out = dir.path().join(format!("out{i}"));
                scope.spawn(move || {
                    let child = spawn(shell(&format!("echo {i}"), &out)).unwrap();
                    wait_for_exit(&child);
                    child.reap().unwrap();
                    std::fs::read_to_string(&out).unwrap()
                })
            })
            .collect();
        for (i, run) in runs.into_iter().enumerate() {
            assert_eq!(run.join().unwrap(), format!("{i}\n"));
        }
    });
}

#[test]
fn names_are_looked_up_in_the_path_of_the_child_environment() {
    let dir = tempfile::tempdir().unwrap();
    let tool = dir.path().join("versus-test-tool");
    std::fs::write(&tool, "#!/bin/sh\n").unwrap();
    let env = |path: &Path| vec![(OsString::from("PATH"), path.as_os_str().to_owned())];
    assert_eq!(
        resolve(Path::new("versus-test-tool"), &env(dir.path())),
        None,
        "not executable"
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        resolve(Path::new("versus-test-tool"), &env(dir.path())),
        Some(tool.clone())
    );
    assert_eq!(
        resolve(
            Path::new("versus-test-tool"),
            &env(Path::new("/nonexistent"))
        ),
        None
    );
    assert_eq!(
        resolve(Path::new("./x"), &[]),
        Some(PathBuf::from("./x")),
        "paths as they are"
    );
}

#[test]
fn overrides_replace_inherited_variables() {
    let env = environment(&[("PATH".into(), "/only/here".into())]);
    let paths: Vec<_> = env.iter().filter(|(k, _)| k == "PATH").collect();
    assert_eq!(
        paths,
        [&(OsString::from("PATH"), OsString::from("/only/here"))]
    );
}
