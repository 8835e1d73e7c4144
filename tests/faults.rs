//! End-to-end: every fault a workload can have becomes a verdict, through the real binary with
//! real Python and Go; versus exits 3 and nothing is left running.

mod util;

use util::{Sandbox, cases, json, stderr};

#[test]
fn a_good_workload_is_verified_compared_and_stored() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "good", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let go = cases(&report, "good", "go");
    let python = cases(&report, "good", "python");
    assert_eq!(go.len(), 1);
    assert!(!python.is_empty());
    for case in go.iter().chain(&python) {
        assert_eq!(case["verdict"], "ok");
        assert!(case["runs"].as_u64().unwrap() >= 3);
        assert!(case["wall_s"]["median"].as_f64().unwrap() > 0.0);
        assert!(case["peak_rss_bytes"].as_u64().unwrap() > 0);
    }
    let comparison = report["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["workload"] == "faults/good"
                && c["contender"].as_str().unwrap().starts_with("cpython")
        })
        .expect("python is compared with go");
    let ratio = comparison["ratio"].as_f64().unwrap();
    assert!(comparison["ci_low"].as_f64().unwrap() <= ratio);
    assert!(ratio <= comparison["ci_high"].as_f64().unwrap());
    // The startup floor of each toolchain is measured in the same run.
    let floors: Vec<_> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "floor")
        .collect();
    assert!(floors.len() >= 2, "{floors:?}");
    // The same run comes back from the store.
    let again = sandbox
        .versus(&["report", "latest", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(json(&again)["run_id"], report["run_id"]);
}

#[test]
fn a_wrong_answer_is_shown_and_excluded() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "wrong", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    for case in cases(&report, "wrong", "python") {
        assert_eq!(case["verdict"], "wrong-output");
        let detail = case["detail"].as_str().unwrap();
        assert!(detail.contains("first difference at byte 1"), "{detail}");
        assert!(detail.contains("41") && detail.contains("42"), "{detail}");
    }
    assert_eq!(cases(&report, "wrong", "go")[0]["verdict"], "ok");
    assert!(
        report["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["workload"] != "faults/wrong")
    );
    assert!(stderr(&output).contains("wrong-output"));
}

#[test]
fn a_hang_times_out_and_leaves_nothing_running() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "hang", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    for case in cases(&report, "hang", "python") {
        assert_eq!(case["verdict"], "timeout");
        assert!(case["detail"].as_str().unwrap().contains("1.0 s limit"));
    }
    assert_eq!(sandbox.survivors(), Vec::<String>::new());
}

#[test]
fn a_child_in_its_own_session_does_not_outlive_the_run() {
    // With a cgroup per run, and with the /proc fallback (descendants, and orphans adopted by
    // versus as their subreaper).
    for mode in ["auto", "sampling"] {
        let sandbox = Sandbox::with_fixture("faults");
        let output = sandbox
            .versus(&["run", "escape", "--format", "json"])
            .env("VERSUS_TREE_MEMORY", mode)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{mode}: {}", stderr(&output));
        assert_eq!(sandbox.survivors(), Vec::<String>::new(), "{mode}");
    }
}

#[test]
fn a_missing_toolchain_is_reported_and_the_others_run() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "good", "--go", "/nonexistent/go", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("warning: go not found"), "{err}");
    assert!(err.contains("hint: install Go"), "{err}");
    let report = json(&output);
    assert!(cases(&report, "good", "go").is_empty());
    assert!(!cases(&report, "good", "python").is_empty());
}

#[test]
fn a_crash_carries_its_exit_status_and_stderr() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&["run", "crash", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    for case in cases(&report, "crash", "python") {
        assert_eq!(case["verdict"], "crashed");
        let detail = case["detail"].as_str().unwrap();
        assert!(detail.contains("exit status 1"), "{detail}");
        assert!(detail.contains("ZeroDivisionError"), "{detail}");
    }
}

#[test]
fn tree_memory_counts_every_child() {
    let sandbox = Sandbox::with_fixture("faults");
    let output = sandbox
        .versus(&[
            "run", "memory", "--lang", "python", "--python", "python3", "--format", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    let case = cases(&report, "memory", "python")[0];
    let tree = case["tree_peak_bytes"].as_u64().unwrap();
    let single = case["peak_rss_bytes"].as_u64().unwrap();
    assert!(
        tree >= 200 << 20,
        "tree peak {tree} ({})",
        case["tree_method"]
    );
    assert!(single < 120 << 20, "wait4 sees one process: {single}");
}

// --- the database under faults (issue 15) ---

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use util::assert_usage_error;

/// One run of `versus exec` stored in `db`.
fn store_a_run(sandbox: &Sandbox, db: &Path) {
    let output = sandbox
        .versus_with_db(db, &["exec", "--runs", "2", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

const NOBODY: u32 = 65534;

fn is_root() -> bool {
    // SAFETY: geteuid(2) reads the caller's effective user id.
    unsafe { libc::geteuid() == 0 }
}

/// Hands `paths` to the user [`as_their_owner`] runs versus as (as root: `nobody`).
fn give_away(paths: &[&Path]) {
    if !is_root() {
        return;
    }
    for path in paths {
        let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: chown(2) of a path we made; the string outlives the call.
        assert_eq!(unsafe { libc::chown(name.as_ptr(), NOBODY, NOBODY) }, 0);
    }
}

/// `versus --db DB ARGS…` run as a user that file permissions hold for. Root may write any
/// file whatever its mode, so as root versus runs as `nobody`, owning the files
/// [`give_away`] gave it (from a copy in the sandbox: the build's own may sit under a folder
/// `nobody` cannot enter); as any other user, as that user. Either way a chmod 444 file or a
/// 555 folder is one versus cannot write, which is what these tests need (and all they prove).
fn as_their_owner(sandbox: &Sandbox, db: &Path, args: &[&str]) -> Command {
    let cache = sandbox.path().join("cache");
    let copy = sandbox.path().join("bin/versus");
    if !cache.exists() {
        std::fs::create_dir_all(&cache).unwrap();
        give_away(&[&cache]);
        if is_root() {
            std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
            std::fs::copy(env!("CARGO_BIN_EXE_versus"), &copy).unwrap();
            chmod(&copy, 0o755);
        }
    }
    let mut command = Command::new(if is_root() {
        copy.as_path()
    } else {
        Path::new(env!("CARGO_BIN_EXE_versus"))
    });
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env("XDG_CACHE_HOME", &cache)
        .env("XDG_DATA_HOME", sandbox.path().join("data"))
        .env_remove("VERSUS_WORKLOADS")
        .env_remove("NO_COLOR");
    if is_root() {
        command.uid(NOBODY).gid(NOBODY);
    }
    command
}

fn digest(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_database_versus_cannot_write_is_read_and_left_as_it_was() {
    let sandbox = Sandbox::empty();
    chmod(sandbox.path(), 0o755);
    // A chmod 444 file in a folder it may write; a writable file in a chmod 555 folder.
    let (file_dir, folder) = (
        sandbox.path().join("ro-file"),
        sandbox.path().join("ro-dir"),
    );
    let (ro_file, in_ro_folder) = (file_dir.join("versus.db"), folder.join("versus.db"));
    for (dir, db) in [(&file_dir, &ro_file), (&folder, &in_ro_folder)] {
        std::fs::create_dir(dir).unwrap();
        store_a_run(&sandbox, db);
        give_away(&[dir, db]);
    }
    chmod(&ro_file, 0o444);
    chmod(&folder, 0o555);
    let before = (digest(&ro_file), digest(&in_ro_folder));
    for db in [&ro_file, &in_ro_folder] {
        let output = as_their_owner(&sandbox, db, &["report", "latest", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(json(&output)["run"]["status"], "complete");
        let output = as_their_owner(&sandbox, db, &["advise", "--goal", "cli"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let other = in_ro_folder.to_str().unwrap();
    let output = as_their_owner(&sandbox, &ro_file, &["compare", "1", "1", "--db-b", other])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // A run cannot be stored there: said at once, with what to do.
    let output = as_their_owner(&sandbox, &ro_file, &["exec", "--runs", "2", "--", "true"])
        .output()
        .unwrap();
    assert_usage_error(&output, "it cannot be written");
    assert!(stderr(&output).contains(ro_file.to_str().unwrap()));
    assert!(
        before == (digest(&ro_file), digest(&in_ro_folder)),
        "a file changed"
    );
    // Nothing was made beside them: no WAL or index that could stop a later writer.
    for dir in [&file_dir, &folder] {
        let made: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        assert_eq!(made.len(), 1, "{made:?}");
    }
    chmod(&folder, 0o755);
}

#[test]
fn an_older_schema_versus_cannot_upgrade_is_named_with_what_to_run() {
    let sandbox = Sandbox::empty();
    chmod(sandbox.path(), 0o755);
    let dir = sandbox.path().join("old");
    let db = dir.join("versus.db");
    std::fs::create_dir(&dir).unwrap();
    store_a_run(&sandbox, &db);
    // The file as the versus before the newest migration left it.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    conn.execute_batch("ALTER TABLE cases DROP COLUMN backed_by")
        .unwrap();
    conn.pragma_update(None, "user_version", version - 1)
        .unwrap();
    drop(conn);
    give_away(&[&dir, &db]);
    chmod(&db, 0o444);
    let output = as_their_owner(&sandbox, &db, &["report", "latest"])
        .output()
        .unwrap();
    assert_usage_error(&output, "older than this versus");
    let err = stderr(&output);
    assert!(err.contains(&format!("version {}", version - 1)), "{err}");
    assert!(err.contains("writable and run this again"), "{err}");
    // Where it can be written, reading upgrades it as before.
    chmod(&db, 0o644);
    let output = as_their_owner(&sandbox, &db, &["report", "latest"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Whether `db` holds a run that has begun (the test reads it as versus writes it).
fn a_run_has_begun(db: &Path) -> bool {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let Ok(conn) = rusqlite::Connection::open_with_flags(db, flags) else {
        return false;
    };
    conn.query_row("SELECT count(*) FROM runs", [], |row| row.get::<_, i64>(0))
        .is_ok_and(|n| n > 0)
}

#[test]
fn the_run_ends_interrupted_whatever_the_signals_and_however_close() {
    let trials = [
        (libc::SIGINT, 0),
        (libc::SIGINT, 1),
        (libc::SIGINT, 2),
        (libc::SIGINT, 5),
        (libc::SIGINT, 10),
        (libc::SIGINT, 20),
        (libc::SIGTERM, 0),
        (libc::SIGTERM, 3),
        (libc::SIGHUP, 1),
    ];
    for (trial, (first, gap_ms)) in trials.into_iter().enumerate() {
        let sandbox = Sandbox::empty();
        let mut child = sandbox
            .versus(&["exec", "--runs", "100000", "--", "sleep", "0.01"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while !a_run_has_begun(&sandbox.db()) {
            assert!(
                std::time::Instant::now() < deadline,
                "trial {trial}: no run began"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let pid = child.id() as i32;
        // SAFETY: signalling our own child process.
        unsafe { libc::kill(pid, first) };
        std::thread::sleep(std::time::Duration::from_millis(gap_ms));
        // SAFETY: as above.
        unsafe { libc::kill(pid, libc::SIGINT) };
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("trial {trial}: versus did not end after the signals");
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        assert_eq!(status.code(), Some(130), "trial {trial}");
        let report = sandbox
            .versus(&["report", "latest", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
        assert_eq!(
            json(&report)["run"]["status"],
            "interrupted",
            "trial {trial}: signal {first}, then SIGINT {gap_ms} ms later"
        );
    }
    // Two signals at any moment of the start, as the run is begun or before: a run that was
    // stored at all ends interrupted.
    for start_ms in [5, 10, 15, 20, 25, 30, 40, 50, 70, 100] {
        let sandbox = Sandbox::empty();
        let mut child = sandbox
            .versus(&["exec", "--runs", "100000", "--", "sleep", "0.01"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(start_ms));
        for _ in 0..2 {
            // SAFETY: signalling our own child process.
            unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while child.try_wait().unwrap().is_none() {
            assert!(
                std::time::Instant::now() < deadline,
                "{start_ms} ms: no end"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        if a_run_has_begun(&sandbox.db()) {
            let report = sandbox
                .versus(&["report", "latest", "--format", "json"])
                .output()
                .unwrap();
            assert_eq!(
                json(&report)["run"]["status"],
                "interrupted",
                "{start_ms} ms"
            );
        }
    }
}

#[test]
fn a_damaged_database_is_named_with_what_to_do() {
    let sandbox = Sandbox::empty();
    store_a_run(&sandbox, &sandbox.db());
    // A good header over damaged pages: it opens, and fails as it is read or written.
    let mut bytes = std::fs::read(sandbox.db()).unwrap();
    bytes[4096..].fill(0xff);
    std::fs::write(sandbox.db(), bytes).unwrap();
    let db = sandbox.db().to_string_lossy().into_owned();
    for args in [
        &["report", "latest"][..],
        &["exec", "--runs", "2", "--", "true"][..],
    ] {
        let output = sandbox.versus(args).output().unwrap();
        assert_usage_error(&output, "the file is damaged");
        let err = stderr(&output);
        assert!(
            err.contains(&db) && err.contains(&format!("mv {db}")),
            "{err}"
        );
    }
}

/// A full disk, for real: a 512 KiB tmpfs in a mount namespace of its own, which needs root
/// (or a user namespace); where it cannot be had, the test says so and passes, and the unit
/// tests' `max_page_count` (`src/store/write.rs`, `src/commands/session.rs`) stand in.
#[test]
fn a_disk_that_fills_mid_run_fails_the_run_and_says_so() {
    let sandbox = Sandbox::empty();
    store_a_run(&sandbox, &sandbox.db());
    let versus = env!("CARGO_BIN_EXE_versus");
    let mount = sandbox.path().join("full");
    std::fs::create_dir(&mount).unwrap();
    // Leave 56 KiB: room for the run's record and SQLite's index, not for 1000 timed runs.
    let script = r#"
        set -e
        mount -t tmpfs -o size=512k tmpfs "$1"
        echo mounted >&2
        cp "$2" "$1/versus.db"
        free=$(( $(stat -f -c %a "$1") * 4096 - 56 * 1024 ))
        head -c "$free" /dev/zero > "$1/filler" || true
        set +e
        "$3" --db "$1/versus.db" exec --runs 1000 -- true > /dev/null
        echo "exit $?" >&2
        rm "$1/filler"
        "$3" --db "$1/versus.db" report latest --format json
    "#;
    let output = Command::new("unshare")
        .args(["--mount", "sh", "-c", script, "sh"])
        .arg(&mount)
        .arg(sandbox.db())
        .arg(versus)
        .env("XDG_CACHE_HOME", util::shared_cache())
        .output();
    let output = match output {
        Ok(output) if stderr(&output).starts_with("mounted") => output,
        _ => {
            eprintln!("skipped: no tmpfs can be mounted here (needs root)");
            return;
        }
    };
    let err = stderr(&output);
    assert!(err.contains("exit 2"), "{err}");
    assert!(err.contains("the disk is full"), "{err}");
    assert!(err.contains("hint: free space on the disk"), "{err}");
    assert!(err.contains("is marked failed"), "{err}");
    assert_eq!(json(&output)["run"]["status"], "failed", "{err}");
}
