//! Planning a backend workload: one group of maximum-throughput cases (every server, closed
//! loop), then one group per fixed rate, set at run time from the slowest server's maximum
//! (see [`crate::runner`]), so latencies are compared at equal load.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::{Preparer, Program, group};
use crate::artifact::Prepared;
use crate::backend::DATABASE_VAR;
use crate::case::{CaseKind, CaseSpec, CaseVerdict, Group, Rate, Serve, Unrunnable};
use crate::digest::{self, Digest};
use crate::error::UserError;
use crate::language::Language;
use crate::measure::{RunSpec, run_helper};
use crate::suite::{Backend, Implementation, Size, SizeName, Workload};
use crate::toolchain::{Toolchain, venv_packages_bytes};
use crate::verify::Expected;

const DATABASE_TIMEOUT: Duration = Duration::from_secs(300);

/// The groups of `workload` at `size`: the maximum first, then each rate.
pub(super) fn groups(
    workload: &Workload,
    backend: &Backend,
    size_name: SizeName,
    size: &Size,
    programs: &[Program],
    preparer: &Preparer,
) -> anyhow::Result<Vec<Group>> {
    let load = size
        .load
        .as_ref()
        .expect("the manifest gives every size of a backend workload a load");
    let expected_body = expected_body(workload, size)?;
    let database = match &backend.database {
        Some(script) => Some(database(script, preparer)?),
        None => None,
    };
    let serve = Serve {
        method: backend.method.clone(),
        path: backend.path.clone(),
        body: backend.body.clone().into(),
        expected_body: Arc::clone(&expected_body),
        ready_path: backend.ready_path.clone(),
        ready_timeout: backend.ready_timeout,
        connections: load.connections,
        duration: load.duration,
        warmup: load.warmup,
        rate: Rate::Maximum,
    };
    let rates = std::iter::once((Rate::Maximum, "maximum throughput".to_string())).chain(
        load.rates_percent.iter().map(|&percent| {
            (
                Rate::ShareOfSlowest { percent },
                format!("{percent}% of the slowest maximum"),
            )
        }),
    );
    // Each program's case is made once (its command, and its deploy size, which walks a whole
    // venv), then given each group's rate.
    let cases: Vec<CaseSpec> = programs
        .iter()
        .map(|program| case(workload, size_name, size, program, &database, serve.clone()))
        .collect();
    let mut groups = Vec::new();
    for (rate, what) in rates {
        let cases = cases
            .iter()
            .cloned()
            .map(|mut case| {
                if let Some(serve) = &mut case.serve {
                    serve.rate = rate;
                }
                case
            })
            .collect::<Vec<_>>();
        let mut group = group(format!("{} ({size_name}, {what})", workload.id()), cases);
        // No wall-time baseline: a backend case's wall time is its fixed load phase.
        group.baselines.clear();
        group.runs = size.runs;
        // A warm-up start would only repeat the load's own warm-up phase.
        group.warmup = Some(size.warmup.unwrap_or(0));
        groups.push(group);
    }
    Ok(groups)
}

/// Every successful answer's body: the size's expected output, which must be the bytes
/// themselves (text or file), not only their hash.
fn expected_body(workload: &Workload, size: &Size) -> Result<Arc<[u8]>, UserError> {
    match size.expected.resolve(&workload.dir, None) {
        Ok(Expected::Exact {
            bytes: Some(bytes), ..
        }) => Ok(bytes.as_slice().into()),
        _ => Err(UserError::Manifest {
            location: workload.manifest_path.display().to_string(),
            message: "a backend workload's expected answer must be its exact body".into(),
            hint: "write expected = { text = \"…\" } or expected = { file = \"…\" } (no hash, no tolerance)"
                .into(),
        }),
    }
}

fn case(
    workload: &Workload,
    size_name: SizeName,
    size: &Size,
    (implementation, toolchain, prepared, code_size): &Program,
    database: &Option<Result<PathBuf, Unrunnable>>,
    serve: Serve,
) -> CaseSpec {
    let run = prepared
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|p| match database {
            Some(Err(unrunnable)) => Err(unrunnable.clone()),
            Some(Ok(db)) => Ok(command(implementation, size, p, Some(db), &serve)),
            None => Ok(command(implementation, size, p, None, &serve)),
        });
    let ok = prepared.as_ref().ok();
    CaseSpec {
        kind: CaseKind::Workload,
        workload: workload.id(),
        claim: Some(workload.claim),
        language: Some(toolchain.language),
        toolchain: Some((*toolchain).clone()),
        variant: Some(implementation.variant),
        label: implementation.label.clone(),
        backed_by: implementation.backed_by.clone(),
        size: Some(size_name),
        metric: crate::suite::Metric::Wall,
        point: None,
        work: None,
        run,
        expected: Expected::Anything,
        artifact_bytes: ok.map(|p| deploy_bytes(implementation, toolchain, p)),
        build: ok.and_then(|p| p.build),
        packages: ok.and_then(|p| p.packages),
        code_size: *code_size,
        steady_state: None,
        serve: Some(serve),
    }
}

/// The server's command line: the program with the implementation's own arguments (run in
/// its source's folder), or with the source and the size's arguments. `{port}` stays in it
/// until each start picks one; `{cores}` is this machine's.
fn command(
    implementation: &Implementation,
    size: &Size,
    prepared: &Prepared,
    database: Option<&Path>,
    serve: &Serve,
) -> RunSpec {
    let cores = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .to_string();
    let args: Vec<OsString> = match &implementation.args {
        Some(args) => args
            .iter()
            .map(|a| a.replace("{cores}", &cores).into())
            .collect(),
        None => {
            let mut args = prepared.leading_args.clone();
            args.extend(
                size.args
                    .iter()
                    .map(|a| a.replace("{cores}", &cores).into()),
            );
            args
        }
    };
    let mut spec = RunSpec::new(&prepared.program, args, serve.run_limit());
    spec.cwd = Some(source_dir(&implementation.source));
    spec.env = prepared.env.clone();
    if let Some(db) = database {
        spec.env.push((DATABASE_VAR.into(), db.into()));
    }
    spec
}

fn source_dir(source: &Path) -> PathBuf {
    if source.is_dir() {
        source.to_path_buf()
    } else {
        source.parent().unwrap_or(Path::new(".")).to_path_buf()
    }
}

/// What must be deployed to run the server: a Go binary alone; for Python the server's folder,
/// the packages of its venv and the interpreter's installation.
fn deploy_bytes(
    implementation: &Implementation,
    toolchain: &Toolchain,
    prepared: &Prepared,
) -> u64 {
    match toolchain.language {
        Language::Go => prepared.artifact_bytes,
        Language::Python => {
            let source =
                digest::size_of_path(&source_dir(&implementation.source), digest::SKIP_CACHES)
                    .unwrap_or(prepared.artifact_bytes);
            // A managed venv's interpreter is `<venv>/bin/python`. Its packages count without
            // their byte-compiled caches and without pip and setuptools, as the runtime does.
            let venv = implementation
                .requirements
                .as_ref()
                .and_then(|_| prepared.program.parent()?.parent())
                .and_then(|venv| venv_packages_bytes(venv).ok())
                .unwrap_or(0);
            source + venv + toolchain.runtime_bytes.unwrap_or(0)
        }
    }
}

/// The database file the servers read, made once by `script` (a Python program given the
/// path to write) and kept in the cache under the script's digest.
fn database(script: &Path, preparer: &Preparer) -> anyhow::Result<Result<PathBuf, Unrunnable>> {
    let Some(python) = preparer
        .toolchains
        .iter()
        .find(|t| t.language == Language::Python && t.implementation == "cpython")
        .or_else(|| {
            preparer
                .toolchains
                .iter()
                .find(|t| t.language == Language::Python)
        })
    else {
        return Ok(Err(Unrunnable::new(
            CaseVerdict::MissingDependency,
            format!(
                "the database of this workload is made by {}, a Python script, and no Python is installed here",
                script.display()
            ),
        )));
    };
    let text = std::fs::read(script)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", script.display()))?;
    let dir = preparer.builder.cache_dir().join("backend");
    let path = dir.join(format!("{}.db", Digest::of(&text).short()));
    if path.is_file() {
        return Ok(Ok(path));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    // Made under a temporary name and renamed only once the script succeeded, so a script
    // killed half-way never leaves a file that later runs would take for the database.
    let staged = crate::leftovers::Staged::new(dir.join(crate::leftovers::staging_name(&format!(
        "{}.db",
        Digest::of(&text).short()
    ))));
    let staging = staged.path();
    let spec = RunSpec::new(
        &python.executable,
        vec![
            script.as_os_str().to_owned(),
            staging.as_os_str().to_owned(),
        ],
        DATABASE_TIMEOUT,
    );
    let out = run_helper(spec)?;
    if !out.exit.success() || !staging.is_file() {
        return Ok(Err(Unrunnable::new(
            CaseVerdict::BuildFailed,
            format!(
                "{} did not make the database ({}): {}",
                script.display(),
                out.exit,
                String::from_utf8_lossy(&out.stderr_tail).trim()
            ),
        )));
    }
    std::fs::rename(staging, &path)
        .map_err(|e| anyhow::anyhow!("cannot move the database to {}: {e}", path.display()))?;
    Ok(Ok(path))
}
