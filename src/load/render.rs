//! `versus load` output: a terminal table, or the report as JSON. Warnings go to stderr in table
//! mode (stdout carries data) and into the JSON document otherwise.

use std::io::{self, Write};

use super::recorder::ErrorKind;
use super::report::{LoadReport, StillDueAtEnd, Summary};
use crate::units::format_count;

/// The formats `versus load` writes (a closed set, so an enum and a match).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

pub fn write_json(report: &LoadReport, out: &mut dyn Write) -> io::Result<()> {
    crate::text::write_json(out, report)
}

pub fn write_table(report: &LoadReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} {}", report.method, report.url)?;
    writeln!(out, "{}", describe_run(report))?;
    if report.stopped_early {
        writeln!(
            out,
            "{:<16}interrupted after {} s of measurement: the figures cover only that",
            "stopped early",
            trim(report.duration_s)
        )?;
    }
    writeln!(out)?;
    write_counts(report, out)?;
    writeln!(out)?;
    write_latencies(report, out)?;
    writeln!(out)?;
    write_checks(report, out)
}

fn describe_run(report: &LoadReport) -> String {
    let mode = match report.rate {
        Some(rate) => format!("open loop at {}/s", format_count(rate.round() as u64)),
        None => "closed loop".to_string(),
    };
    format!(
        "{mode}: {} connections on {} threads, {} s measured after {} s of warm-up",
        report.connections,
        report.threads,
        trim(report.duration_s),
        trim(report.warmup_s)
    )
}

fn write_counts(report: &LoadReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<16}{} ok, {}/s",
        "requests",
        format_count(report.requests),
        format_count(report.throughput_per_s.round() as u64)
    )?;
    if let Some(schedule) = &report.schedule {
        writeln!(
            out,
            "{:<16}{}/s sent; backlog max {}, at the end {}{}",
            "schedule",
            format_count(schedule.sent_per_s.round() as u64),
            format_count(schedule.backlog_max),
            format_count(schedule.backlog_end),
            if schedule.overloaded {
                " (OVERLOADED: still growing)"
            } else {
                ""
            }
        )?;
    }
    let errors = if report.errors_total == 0 {
        "none".to_string()
    } else {
        let kinds: Vec<String> = ErrorKind::ALL
            .iter()
            .filter(|&&k| report.errors.get(k) > 0)
            .map(|&k| format!("{} {}", k.as_str(), format_count(report.errors.get(k))))
            .collect();
        format!(
            "{} ({})",
            format_count(report.errors_total),
            kinds.join(", ")
        )
    };
    writeln!(out, "{:<16}{errors}", "errors")?;
    match &report.still_due_at_end {
        Some(still) if still.count > 0 => writeln!(out, "{:<16}{}", "still due", still_due(still))?,
        Some(_) => {}
        None if report.in_flight_at_end > 0 => writeln!(
            out,
            "{:<16}{} unanswered at the end (not in the service times)",
            "in flight",
            format_count(report.in_flight_at_end)
        )?,
        None => {}
    }
    Ok(())
}

/// The open loop's requests unanswered at the end: how many, and how they were counted.
fn still_due(still: &StillDueAtEnd) -> String {
    let requests = if still.count == 1 {
        "request"
    } else {
        "requests"
    };
    format!(
        "{} {requests} still due at the end ({} in flight, {} unsent), counted at the latency \
         they had reached (up to {} ms): the corrected figures are lower bounds",
        format_count(still.count),
        format_count(still.in_flight),
        format_count(still.unsent),
        milliseconds(still.longest_ms)
    )
}

fn write_latencies(report: &LoadReport, out: &mut dyn Write) -> io::Result<()> {
    let latency = &report.latency;
    let rows = [
        (
            "closed-loop service time",
            &latency.closed_loop_service_time,
        ),
        ("from intended time (corrected)", &latency.corrected),
        ("raw, from actual send", &latency.raw),
        ("send lag", &latency.send_lag),
    ];
    write!(out, "{:<32}", "latency (ms)")?;
    for name in ["p50", "p90", "p99", "p99.9", "max", "mean"] {
        write!(out, "{name:>9}")?;
    }
    writeln!(out)?;
    let mut any = false;
    for (label, summary) in rows {
        if let Some(summary) = summary {
            write_row(label, summary, out)?;
            any = true;
        }
    }
    if !any {
        let started = if report.rate.is_some() { "due" } else { "sent" };
        writeln!(
            out,
            "{:<32}none: no request {started} in the measured phase was answered with 2xx",
            ""
        )?;
    }
    Ok(())
}

fn write_row(label: &str, s: &Summary, out: &mut dyn Write) -> io::Result<()> {
    write!(out, "{label:<32}")?;
    for value in [
        s.p50_ms, s.p90_ms, s.p99_ms, s.p99_9_ms, s.max_ms, s.mean_ms,
    ] {
        write!(out, "{:>9}", milliseconds(value))?;
    }
    writeln!(out)
}

fn write_checks(report: &LoadReport, out: &mut dyn Write) -> io::Result<()> {
    if let Some(law) = &report.littles_law {
        writeln!(
            out,
            "{:<16}mean {} ms vs {} connections ÷ {}/s = {} ms ({:+.1}%)",
            "Little's law",
            milliseconds(law.mean_latency_ms),
            report.connections,
            format_count(report.throughput_per_s.round() as u64),
            milliseconds(law.predicted_ms),
            law.relative_difference * 100.0
        )?;
    }
    let generator = &report.generator;
    writeln!(
        out,
        "{:<16}{:.2} s CPU (user {:.2}, system {:.2}): {} requests per CPU-second",
        "generator",
        generator.cpu_s,
        generator.cpu_user_s,
        generator.cpu_system_s,
        format_count(generator.requests_per_cpu_s.round() as u64)
    )?;
    if let Some(server) = &report.server {
        writeln!(
            out,
            "{:<16}{:.2} s CPU (user {:.2}, system {:.2}) over its process tree (pid {}): {} requests per CPU-second",
            "server",
            server.cost.cpu_s,
            server.cost.cpu_user_s,
            server.cost.cpu_system_s,
            server.pid,
            format_count(server.cost.requests_per_cpu_s.round() as u64)
        )?;
    }
    writeln!(
        out,
        "{:<16}steal {:.1}%, busy {:.0}% of {} cores",
        "machine", report.machine.steal_percent, report.machine.busy_percent, report.machine.cores
    )
}

/// Three decimals below 10 ms, fewer above: always in milliseconds, so columns compare.
fn milliseconds(ms: f64) -> String {
    if !ms.is_finite() {
        "-".to_string()
    } else if ms < 10.0 {
        format!("{ms:.3}")
    } else if ms < 1000.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.0}")
    }
}

fn trim(seconds: f64) -> String {
    let text = format!("{seconds:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(1234567), "1,234,567");
        assert_eq!(milliseconds(0.0456), "0.046");
        assert_eq!(milliseconds(12.34), "12.3");
        assert_eq!(milliseconds(1234.4), "1234");
        assert_eq!(trim(10.0), "10");
        assert_eq!(trim(1.5), "1.5");
        assert_eq!(trim(0.0), "0");
    }
}
