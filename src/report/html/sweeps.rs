//! Sweeps as line charts: one curve per series (one program on one toolchain over the points
//! of a parameter), hand-drawn like the bar charts.

use std::fmt::Write as _;

use super::axis::{
    Axis, DASHES, PALETTE, bytes_tick, count_tick, plain_tick, positive, seconds_tick, speedup_tick,
};
use super::escape;
use super::line_chart::{Curve, LineChart, Mark, Stop, draw_line_chart, xs_of, ys_of};
use crate::case::CaseVerdict;
use crate::report::concurrency::TASKS;
use crate::report::series::WORKERS;
use crate::report::series::{Series, SeriesPoint};
use crate::units::{format_bytes, format_count, format_ratio, format_seconds, three_digits};

/// An id made only of letters, digits, `-` and `_`, whatever a manifest named its parameter.
pub(super) fn id_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// What a chart shows of a verified point: its value and the value's interval, if any.
type Measure = fn(&SeriesPoint) -> Option<(f64, Option<(f64, f64)>)>;
/// How a tooltip says a value and its interval (one the chart accepts, or none).
type Say = fn(f64, Option<(f64, f64)>) -> String;

/// The curves of `chosen` (which share a parameter): their verified points with a value that
/// `valid` accepts, and the first point that did not complete. Each curve of a chart has a
/// colour of its own (and, past the palette, a line pattern too); curves of different
/// workloads in one chart differ in pattern as well.
fn curves(chosen: &[&Series], measure: Measure, valid: fn(f64) -> bool, say: Say) -> Vec<Curve> {
    let scope = |s: &Series| (s.workload.clone(), s.size.clone());
    let mut scopes: Vec<(String, Option<String>)> = Vec::new();
    for s in chosen {
        if !scopes.contains(&scope(s)) {
            scopes.push(scope(s));
        }
    }
    let x_valid = |x: u64| x > 0;
    chosen
        .iter()
        .map(|s| {
            let name = s.name();
            let label = if scopes.len() > 1 {
                format!("{}{}: {name}", s.workload, size_suffix(s))
            } else {
                name.clone()
            };
            let scope_index = scopes.iter().position(|c| *c == scope(s)).unwrap_or(0);
            let marks = s
                .ok_points()
                .filter(|p| x_valid(p.x))
                .filter_map(|p| {
                    let (y, interval) = measure(p)?;
                    if !valid(y) {
                        return None;
                    }
                    let whisker =
                        interval.filter(|(low, high)| valid(*low) && valid(*high) && low <= high);
                    Some(Mark {
                        x: p.x as f64,
                        y,
                        whisker,
                        tip: format!(
                            "{label}, {} = {}: {}",
                            s.parameter,
                            format_count(p.x),
                            say(y, whisker)
                        ),
                    })
                })
                .collect();
            // A series that never completed a point did not stop: it did not run.
            let started = s.ok_points().next().is_some();
            let stopped = if started {
                "stopped"
            } else {
                "did not complete"
            };
            let stop = s
                .points
                .iter()
                .find(|p| p.verdict != CaseVerdict::Ok)
                .filter(|p| x_valid(p.x))
                .map(|p| Stop {
                    x: p.x as f64,
                    tip: format!(
                        "{label} {stopped} at {} {}: {}{}",
                        format_count(p.x),
                        s.parameter,
                        p.verdict,
                        p.detail
                            .as_deref()
                            .map(|d| format!(" — {}", d.trim()))
                            .unwrap_or_default()
                    ),
                    note: format!("{stopped} at {}: {}", format_count(p.x), p.verdict),
                });
            (
                scope_index,
                Curve {
                    label,
                    color: PALETTE[0],
                    dash: DASHES[0],
                    marks,
                    stop,
                },
            )
        })
        .filter(|(_, c)| !c.marks.is_empty() || c.stop.is_some())
        .enumerate()
        .map(|(i, (scope_index, curve))| Curve {
            color: PALETTE[i % PALETTE.len()],
            dash: DASHES[(i / PALETTE.len() + scope_index) % DASHES.len()],
            ..curve
        })
        .collect()
}

fn size_suffix(s: &Series) -> String {
    s.size
        .as_ref()
        .map(|z| format!(" ({z})"))
        .unwrap_or_default()
}

/// `concurrency/idle-tasks (small): ` when every curve is of one workload, else nothing (the
/// legend names the workloads).
fn scope_prefix(chosen: &[&Series]) -> String {
    match chosen.first() {
        Some(first)
            if chosen
                .iter()
                .all(|s| s.workload == first.workload && s.size == first.size) =>
        {
            format!("{}{}: ", first.workload, size_suffix(first))
        }
        _ => String::new(),
    }
}

/// Every sweep's chart: memory against tasks, speedup against workers, and wall time against
/// any other swept parameter. Each is drawn only when some point has a value to draw.
pub(super) fn sweep_charts(series: &[Series], cores: usize, page: &mut String) {
    let of = |parameter: &str| -> Vec<&Series> {
        series.iter().filter(|s| s.parameter == parameter).collect()
    };
    tasks_memory_chart(&of(TASKS), page);
    workers_speedup_chart(&of(WORKERS), cores, page);
    let mut others: Vec<&str> = Vec::new();
    for s in series {
        if s.parameter != TASKS && s.parameter != WORKERS && !others.contains(&s.parameter.as_str())
        {
            others.push(&s.parameter);
        }
    }
    for parameter in others {
        wall_chart(parameter, &of(parameter), page);
    }
}

fn tasks_memory_chart(chosen: &[&Series], page: &mut String) {
    let curves = curves(
        chosen,
        |p| Some((p.tree_peak_bytes.filter(|b| *b > 0)? as f64, None)),
        positive,
        |bytes, _| format_bytes(bytes as u64),
    );
    let Some((x, y)) = log_axes(
        &curves,
        "tasks (log scale)",
        bytes_tick,
        true,
        "peak memory of the process tree (log scale)",
    ) else {
        return;
    };
    page.push_str("<h2>Memory against number of tasks</h2>");
    draw_line_chart(
        &LineChart {
            id: "tasks-memory-chart".into(),
            caption: format!(
                "{}peak memory of the whole process tree (largest of all runs) against the number of tasks, both on log scales",
                scope_prefix(chosen)
            ),
            x,
            y,
            curves,
            ideal: false,
            rule: None,
        },
        page,
    );
}

pub(super) fn workers_speedup_chart(chosen: &[&Series], cores: usize, page: &mut String) {
    let curves = curves(
        chosen,
        |p| p.speedup.map(|r| (r.value, Some((r.ci_low, r.ci_high)))),
        |v| v.is_finite() && v >= 0.0,
        |value, interval| match interval {
            Some((low, high)) => format!("speedup {}", format_ratio(value, low, high)),
            None => format!("speedup {}×", three_digits(value)),
        },
    );
    if curves.iter().all(|c| c.marks.is_empty()) {
        return;
    }
    let xs = xs_of(&curves);
    let ys = curves.iter().flat_map(|c| {
        c.marks
            .iter()
            .flat_map(|m| [Some(m.y), m.whisker.map(|w| w.1)])
            .flatten()
    });
    let (Some(x), Some(y)) = (
        Axis::linear(xs, true, plain_tick, "workers".into()),
        Axis::linear(
            ys.chain([1.0]),
            false,
            speedup_tick,
            "speedup over the fewest workers".into(),
        ),
    ) else {
        return;
    };
    let cores = cores as f64;
    let rule = (cores >= 1.0 && cores <= x.hi).then(|| (cores, format!("{cores} cores")));
    page.push_str("<h2>Speedup against workers</h2>");
    draw_line_chart(
        &LineChart {
            id: "workers-speedup-chart".into(),
            caption: format!(
                "{}median wall time at the fewest workers ÷ median wall time at each number of workers, with the 95% bootstrap interval; dashed: ideal scaling (speedup = workers); dotted: this machine's cores",
                scope_prefix(chosen)
            ),
            x,
            y,
            curves,
            ideal: true,
            rule,
        },
        page,
    );
}

fn wall_chart(parameter: &str, chosen: &[&Series], page: &mut String) {
    let curves = curves(
        chosen,
        |p| {
            p.wall_s
                .as_ref()
                .map(|w| (w.median, Some((w.ci_low, w.ci_high))))
        },
        positive,
        |median, interval| match interval {
            Some((low, high)) => format!(
                "{} [{}, {}]",
                format_seconds(median),
                format_seconds(low),
                format_seconds(high)
            ),
            None => format_seconds(median),
        },
    );
    let Some((x, y)) = log_axes(
        &curves,
        &format!("{parameter} (log scale)"),
        seconds_tick,
        false,
        "median wall time (log scale)",
    ) else {
        return;
    };
    let _ = write!(page, "<h2>Wall time against {}</h2>", escape(parameter));
    draw_line_chart(
        &LineChart {
            id: format!("sweep-{}-chart", id_part(parameter)),
            caption: format!(
                "{}median wall time against {parameter}, both on log scales, with the 95% bootstrap interval of the median",
                scope_prefix(chosen)
            ),
            x,
            y,
            curves,
            ideal: false,
            rule: None,
        },
        page,
    );
}

/// Log axes for counts against a measure, or none when no curve has a point to draw.
fn log_axes(
    curves: &[Curve],
    x_title: &str,
    y_label: fn(f64) -> String,
    binary: bool,
    y_title: &str,
) -> Option<(Axis, Axis)> {
    if curves.iter().all(|c| c.marks.is_empty()) {
        return None;
    }
    let xs = xs_of(curves);
    let ys = ys_of(curves);
    Some((
        Axis::log(xs, false, true, count_tick, x_title.into())?,
        Axis::log(ys, binary, binary, y_label, y_title.into())?,
    ))
}
