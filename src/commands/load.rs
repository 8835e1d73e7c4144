//! `versus load URL`: the load generator on its own, like wrk or oha. Checks the arguments into a
//! [`LoadSpec`], runs it, renders the report. Ctrl-C ends the run early and still prints the
//! report of what was measured (marked stopped early), then exits with code 130.

use std::sync::Arc;

use crate::backend::{describe_errors, load_metrics};
use crate::case::{CaseKind, CaseVerdict};
use crate::cli::LoadArgs;
use crate::error::{ExitCode, UserError};
use crate::interrupt;
use crate::load::{self, LoadReport, LoadSpec, Mode, OutputFormat};
use crate::machine::Environment;
use crate::proctable::listening_pid;
use crate::settings::Settings;
use crate::store::{RunStatus, StoredCase, StoredRun, StoredSample, utc_now};
use crate::suite::Metric;
use crate::text::{Printable, printable};
use crate::units::format_seconds;

pub fn run(settings: &Settings, args: &LoadArgs) -> anyhow::Result<ExitCode> {
    let spec = spec(args)?;
    // Opened before the load, so that a database that cannot be written fails at once.
    let store = (!settings.db_is_default)
        .then(|| settings.open_store())
        .transpose()?;
    let started_at = utc_now();
    // From here a first signal only sets the flag the engine watches: the run stops within
    // ~10 ms and its report is still printed. A second signal exits at once.
    interrupt::measuring();
    let starting = format!(
        "versus load: {} {}, {} after {} of warm-up …",
        spec.method,
        spec.target.url,
        format_seconds(spec.duration.as_secs_f64()),
        format_seconds(spec.warmup.as_secs_f64())
    );
    eprintln!("{}", printable(&starting));
    let measured = load::run(&spec)?;
    let report = LoadReport::new(&spec, &measured);
    super::output::write_to(args.output.as_deref(), |out| {
        match args.format {
            // The URL and what the server answered are in it: shown, never obeyed.
            OutputFormat::Table => load::write_table(&report, &mut Printable::new(out))?,
            OutputFormat::Json => load::write_json(&report, out)?,
        }
        Ok(())
    })?;
    if args.format == OutputFormat::Table {
        for warning in &report.warnings {
            eprintln!("warning: {}", printable(&warning.to_string()));
        }
    }
    if let Some(store) = store {
        let id = store.add_run(&stored_run(&spec, &report, started_at))?;
        let said = format!(
            "stored as run {id} in {} (`versus report {id}` shows it)",
            store.path().display()
        );
        eprintln!("versus load: {}", printable(&said));
    }
    if interrupt::is_interrupted() {
        eprintln!(
            "versus load: interrupted; the report covers the {} measured before the stop",
            format_seconds(report.duration_s)
        );
        return Ok(ExitCode::Interrupted);
    }
    Ok(if report.requests == 0 {
        ExitCode::CaseFailed
    } else {
        ExitCode::Ok
    })
}

/// Every argument checked, each failure a [`UserError`] naming the flag.
fn spec(args: &LoadArgs) -> Result<LoadSpec, UserError> {
    let target = load::Target::resolve(&args.url)?;
    let mode = match args.rate {
        Some(rate) => load::check_rate(rate)?,
        None => Mode::Closed,
    };
    let connections = load::check_connections(args.connections)?;
    let threads = load::threads(args.threads, connections, &target.addr)?;
    let body = match &args.body {
        Some(path) => load::read_body("--body", path)?,
        None => Vec::new(),
    };
    let method = load::check_method(&args.method)?;
    Ok(LoadSpec {
        target: target.clone(),
        expected_body: expected_body(args, &method)?,
        method,
        body,
        connections,
        threads,
        duration: load::positive_duration("--duration", &args.duration)?,
        warmup: load::parse_duration("--warmup", &args.warmup)?,
        timeout: load::positive_duration("--timeout", &args.timeout)?,
        mode,
        stop: None,
        // A server on this machine is found by its listening port, so its CPU time is reported
        // beside the generator's (the fairest figure when both share the cores).
        server_pid: target
            .addr
            .ip()
            .is_loopback()
            .then(|| listening_pid(target.addr.port()))
            .flatten(),
    })
}

/// `--expect-body FILE`; refused with HEAD, whose answers carry no body to compare.
fn expected_body(args: &LoadArgs, method: &str) -> Result<Option<Arc<[u8]>>, UserError> {
    let Some(path) = &args.expect_body else {
        return Ok(None);
    };
    if method == "HEAD" {
        return Err(UserError::usage(
            "--expect-body with --method HEAD: an answer to HEAD has no body to compare",
            "leave --expect-body out, or use --method GET to check the body",
        ));
    }
    Ok(Some(load::read_body("--expect-body", path)?.into()))
}

/// The load test as a stored run of one case: its figures are the metrics a backend case's
/// start stores, under the same names, so that a report reads them alike.
fn stored_run(spec: &LoadSpec, report: &LoadReport, started_at: String) -> StoredRun {
    let request = format!("{} {}", spec.method, spec.target.url);
    let label = match report.rate {
        Some(rate) => format!("open loop at {rate}/s, {} connections", report.connections),
        None => format!("closed loop, {} connections", report.connections),
    };
    let (verdict, detail) = if interrupt::is_interrupted() {
        (CaseVerdict::Interrupted, None)
    } else if report.requests == 0 {
        let errors = describe_errors(report);
        let detail = format!(
            "no request succeeded: {} errors ({errors})",
            report.errors_total
        );
        (CaseVerdict::Crashed, Some(detail))
    } else {
        (CaseVerdict::Ok, None)
    };
    let server = report.server.as_ref().map(|s| s.cost);
    let sample = StoredSample {
        round: 1,
        wall_s: report.duration_s,
        // The server's CPU time when it was found on this machine (as a backend case's), else
        // the generator's.
        user_s: server.map_or(report.generator.cpu_user_s, |c| c.cpu_user_s),
        sys_s: server.map_or(report.generator.cpu_system_s, |c| c.cpu_system_s),
        peak_rss_bytes: 0,
        tree_peak_bytes: None,
        tree_method: String::new(),
        metrics: load_metrics(report).into_iter().collect(),
    };
    StoredRun {
        id: 0,
        started_at,
        finished_at: Some(utc_now()),
        status: if interrupt::is_interrupted() {
            RunStatus::Interrupted
        } else {
            RunStatus::Complete
        }
        .as_str()
        .to_string(),
        command: "load".into(),
        profile: label.clone(),
        size: None,
        arguments: std::env::args().collect(),
        environment: Environment::capture(String::new(), "", None),
        toolchains: Vec::new(),
        cases: vec![StoredCase {
            id: 0,
            group_label: request.clone(),
            position: 0,
            is_baseline: true,
            kind: CaseKind::Load,
            workload: request,
            claim: None,
            language: None,
            toolchain_id: None,
            variant: None,
            label: Some(label),
            size: None,
            point: None,
            verdict,
            detail,
            command: None,
            stdin: None,
            code_lines: None,
            code_gzip_bytes: None,
            artifact_bytes: None,
            build_seconds: None,
            build_cached: None,
            warmup_runs: 0,
            load_avg: None,
            steal_percent: Some(report.machine.steal_percent),
            busy_percent: None,
            metric: Metric::Wall,
            stopped_by: None,
            precision_target: None,
            work: None,
            env: Vec::new(),
            packages: None,
            backed_by: None,
            samples: if report.requests > 0 {
                vec![sample]
            } else {
                Vec::new()
            },
            in_process_s: Vec::new(),
        }],
        typing: Vec::new(),
        imported_from: None,
    }
}
