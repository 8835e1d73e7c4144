//! `versus load URL`: the load generator on its own, like wrk or oha. Checks the arguments into a
//! [`LoadSpec`], runs it, renders the report. Ctrl-C ends the run early and still prints the
//! report of what was measured (marked stopped early), then exits with code 130.

use std::io::Write;
use std::sync::Arc;

use crate::cli::LoadArgs;
use crate::error::{ExitCode, UserError};
use crate::interrupt;
use crate::load::{self, LoadReport, LoadSpec, Mode, OutputFormat};
use crate::measure::proctable::listening_pid;
use crate::report::format_seconds;
use crate::text::{Printable, printable};

pub fn run(args: &LoadArgs) -> anyhow::Result<ExitCode> {
    let spec = spec(args)?;
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
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        OutputFormat::Table => {
            // The URL and what the server answered are in it: shown, never obeyed.
            load::write_table(&report, &mut Printable::new(&mut out))?;
            for warning in &report.warnings {
                eprintln!("warning: {}", printable(&warning.to_string()));
            }
        }
        OutputFormat::Json => load::write_json(&report, &mut out)?,
    }
    out.flush()?;
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
