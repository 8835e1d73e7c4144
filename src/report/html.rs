//! A self-contained HTML report: one file, no scripts, fonts or stylesheets from anywhere, charts
//! as inline SVG (criterion.rs's approach: a view model of formatted strings, then markup).
//! Every text that comes from a manifest or a command line is escaped.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::article::Stance;
use super::claims;
use super::concurrency::{TASKS, WORKERS};
use super::model::{CaseView, ComparisonView, Report};
use super::series::{Series, SeriesPoint};
use super::units::{format_bytes, format_count, format_ratio, format_seconds, three_digits};
use crate::case::{CaseKind, CaseVerdict};
use crate::stats::Verdict;

const STYLE: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#1d2329}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccd;padding-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0;font-size:13px}th,td{border:1px solid #dde;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f2f4f7}td.num{text-align:right;white-space:nowrap}.muted{color:#667}
.agrees{color:#1a7f37}.contradicts{color:#c0392b;font-weight:600}.nuance{color:#9a6700}
svg text{font:12px system-ui,sans-serif;fill:#1d2329}ul{padding-left:1.2em}code{background:#f2f4f7;padding:0 .2em}
";

/// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut page = String::new();
    let title = format!("versus {} #{}", report.run.command, report.run_id);
    let _ = write!(
        page,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>",
        escape(&title)
    );
    let _ = write!(
        page,
        "<h1>{}</h1><p class=\"muted\">{} · profile {} · {} · {} · {} cores · {} · Linux {}</p>",
        escape(&title),
        escape(&report.run.started_at),
        escape(&report.run.profile),
        escape(&report.run.status),
        escape(&report.environment.cpu_model),
        report.environment.cores,
        escape(&format_bytes(report.environment.memory_bytes)),
        escape(&report.environment.kernel),
    );
    toolchains(report, &mut page);
    article(report, &mut page);
    ratio_chart(report, &mut page);
    memory_chart(report, &mut page);
    sweep_charts(&report.series, report.environment.cores, &mut page);
    cases_table(report, &mut page);
    typing(report, &mut page);
    notes(report, &mut page);
    page.push_str("</body></html>\n");
    out.write_all(page.as_bytes())
}

fn toolchains(report: &Report, page: &mut String) {
    page.push_str("<h2>Toolchains</h2><ul>");
    for t in &report.toolchains {
        let _ = write!(
            page,
            "<li><b>{}</b> — <code>{}</code> ({}){}</li>",
            escape(&t.label()),
            escape(&t.executable.display().to_string()),
            escape(&t.found_by),
            t.shim
                .as_ref()
                .map(|s| format!(", found as {}", escape(s)))
                .unwrap_or_default()
        );
    }
    page.push_str("</ul>");
}

fn article(report: &Report, page: &mut String) {
    if report.article.is_empty() {
        return;
    }
    page.push_str(
        "<h2>The article, measured on this machine</h2><table id=\"article\"><tr><th>Factor</th>\
         <th>Python (article)</th><th>Go (article)</th><th>On this machine</th><th>Verdict</th></tr>",
    );
    for row in &report.article {
        let class = match row.stance {
            Stance::Agrees => "agrees",
            Stance::Contradicts => "contradicts",
            Stance::Nuance => "nuance",
            Stance::NotMeasured | Stance::Cited => "muted",
        };
        let mut measured = escape(&row.measured);
        for cited in &row.cited {
            let _ = write!(
                measured,
                "<br><span class=\"muted\">cited: {} — {} ({}, <a href=\"{}\">{}</a>)</span>",
                escape(&cited.figures()),
                escape(&cited.counts),
                cited.year,
                escape(&cited.url),
                escape(&cited.source),
            );
        }
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{measured}</td><td class=\"{class}\">{}</td></tr>",
            escape(&row.factor),
            escape(&row.python_says),
            escape(&row.go_says),
            escape(row.stance.as_str()),
        );
    }
    page.push_str("</table>");
}

/// One bar in a log-scaled chart: a label, a value, and an optional interval.
struct Bar {
    label: String,
    value: f64,
    interval: Option<(f64, f64)>,
    color: &'static str,
}

/// Horizontal bars on a log scale around 1×, with whiskers for intervals.
fn log_bar_chart(id: &str, caption: &str, bars: &[Bar], page: &mut String) {
    // A log scale has no room for zero, negative or infinite values: such bars are left out.
    let finite = |v: f64| v.is_finite() && v > 0.0;
    let bars: Vec<&Bar> = bars
        .iter()
        .filter(|b| finite(b.value) && b.interval.is_none_or(|(l, h)| finite(l) && finite(h)))
        .collect();
    if bars.is_empty() {
        return;
    }
    const LABEL_W: f64 = 420.0;
    const PLOT_W: f64 = 640.0;
    const ROW_H: f64 = 22.0;
    let low = bars
        .iter()
        .map(|b| b.interval.map_or(b.value, |(l, _)| l))
        .fold(1.0_f64, f64::min)
        .max(1e-4)
        * 0.8;
    let high = bars
        .iter()
        .map(|b| b.interval.map_or(b.value, |(_, h)| h))
        .fold(1.0_f64, f64::max)
        * 1.25;
    let x = |v: f64| {
        LABEL_W + (v.max(low).log10() - low.log10()) / (high.log10() - low.log10()) * PLOT_W
    };
    let height = ROW_H * bars.len() as f64 + 40.0;
    let _ = write!(
        page,
        "<figure><svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\"><title>{}</title>",
        LABEL_W + PLOT_W + 60.0,
        escape(caption)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 10.0 + i as f64 * ROW_H;
        let (from, to) = (x(1.0).min(x(bar.value)), x(1.0).max(x(bar.value)));
        let _ = write!(
            page,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect x=\"{from:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
            LABEL_W - 8.0,
            y + 14.0,
            escape(&bar.label),
            y + 4.0,
            (to - from).max(1.0),
            ROW_H - 8.0,
            bar.color
        );
        if let Some((lo, hi)) = bar.interval {
            let mid = y + ROW_H / 2.0;
            let _ = write!(
                page,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{mid:.1}\" y2=\"{mid:.1}\" stroke=\"#1d2329\"/>",
                x(lo),
                x(hi)
            );
        }
        // Values sit in a column of their own, right of the plot, so no bar hides one.
        let _ = write!(
            page,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}×</text>",
            LABEL_W + PLOT_W + 6.0,
            y + 14.0,
            three_digits(bar.value)
        );
    }
    let axis_y = 10.0 + ROW_H * bars.len() as f64 + 6.0;
    let _ = write!(
        page,
        "<line x1=\"{one:.1}\" x2=\"{one:.1}\" y1=\"4\" y2=\"{axis_y:.1}\" stroke=\"#667\" stroke-dasharray=\"3,3\"/><text x=\"{one:.1}\" y=\"{label_y:.1}\" text-anchor=\"middle\">1× (Go)</text></svg><figcaption class=\"muted\">{caption}</figcaption></figure>",
        one = x(1.0),
        label_y = axis_y + 14.0,
        caption = escape(caption)
    );
}

fn verdict_color(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Faster => "#2da44e",
        Verdict::Slower => "#d1242f",
        Verdict::WithinNoise => "#8c959f",
    }
}

fn contender_label(report: &Report, c: &ComparisonView) -> String {
    report.cases_of(c).1.label()
}

fn ratio_chart(report: &Report, page: &mut String) {
    let bars: Vec<Bar> = report
        .comparisons
        .iter()
        .map(|c| Bar {
            label: format!("{}: {}", c.group, contender_label(report, c)),
            value: c.ratio,
            interval: Some((c.ci_low, c.ci_high)),
            color: verdict_color(c.verdict),
        })
        .collect();
    if bars.is_empty() {
        return;
    }
    page.push_str("<h2>Time against Go</h2>");
    log_bar_chart(
        "ratio-chart",
        "median wall time ÷ the group's baseline (Go's idiomatic program), log scale, with the 95% bootstrap interval; green faster, red slower, grey within ±2% noise",
        &bars,
        page,
    );
}

fn memory_chart(report: &Report, page: &mut String) {
    let peak = |case: &CaseView| {
        case.tree_peak_bytes
            .or(case.peak_rss_bytes)
            .filter(|p| *p > 0)
    };
    let bars: Vec<Bar> = report
        .comparisons
        .iter()
        .filter(|c| c.kind == CaseKind::Workload)
        .filter_map(|c| {
            let (base, cont) = report.cases_of(c);
            let value = peak(cont)? as f64 / peak(base)? as f64;
            Some(Bar {
                label: format!("{}: {}", c.group, cont.label()),
                value,
                interval: None,
                color: "#6f42c1",
            })
        })
        .collect();
    if bars.is_empty() {
        return;
    }
    page.push_str("<h2>Memory against Go</h2>");
    log_bar_chart(
        "memory-chart",
        "peak memory of the whole process tree ÷ the baseline's (largest of all runs), log scale",
        &bars,
        page,
    );
}

// Sweeps as line charts: one curve per series (one program on one toolchain over the points of
// a parameter), hand-drawn like the bar charts above.

/// Colours of the curves: the Okabe–Ito palette, distinct for colour-blind readers too.
const PALETTE: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#1d2329", "#8c6d31",
];
/// Line patterns, for curves of several workloads in one chart or more series than colours.
const DASHES: [&str; 3] = ["", "7,4", "2,3"];

const CHART_W: f64 = 1000.0;
const LEFT: f64 = 90.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 12.0;
/// Height of a row of ✕ marks above the plot.
const STOP_ROW: f64 = 14.0;
const PLOT_H: f64 = 300.0;
const LEGEND_ROW: f64 = 18.0;

/// One verified point of a curve, in data units.
struct Mark {
    x: f64,
    y: f64,
    whisker: Option<(f64, f64)>,
    tip: String,
}

/// Where a series stopped: the first point that did not complete.
struct Stop {
    x: f64,
    tip: String,
    note: String,
}

struct Curve {
    label: String,
    color: &'static str,
    dash: &'static str,
    marks: Vec<Mark>,
    stop: Option<Stop>,
}

/// How an axis maps values to a fraction of its length, and where its ticks are.
struct Axis {
    log: bool,
    lo: f64,
    hi: f64,
    ticks: Vec<(f64, String)>,
    title: String,
}

impl Axis {
    /// A log axis around the positive finite `values`, padded so that no mark sits on an edge
    /// and at least a factor of 4 wide (one point, or equal values, still get an axis).
    /// `binary` ticks at powers of two (sizes), otherwise at powers of ten, or 1-2-5 steps
    /// when fewer than two powers of ten fall inside.
    fn log(
        values: impl Iterator<Item = f64>,
        binary: bool,
        at_least_one: bool,
        label: fn(f64) -> String,
        title: String,
    ) -> Option<Axis> {
        let (min, max) = extent(values.filter(|v| positive(*v)))?;
        let (mut lo, mut hi) = (min / 1.25, max * 1.25);
        if hi / lo < 4.0 {
            let widen = (4.0 / (hi / lo)).sqrt();
            lo /= widen;
            hi *= widen;
        }
        if !(positive(lo) && positive(hi) && hi > lo) {
            return None;
        }
        let mut ticks: Vec<f64> = log_ticks(lo, hi, binary)
            .into_iter()
            .filter(|t| !at_least_one || *t >= 1.0 - 1e-9)
            .collect();
        if ticks.len() < 2 {
            ticks = vec![min, max];
            ticks.dedup();
        }
        Some(Axis {
            log: true,
            lo,
            hi,
            ticks: ticks.into_iter().map(|t| (t, label(t))).collect(),
            title,
        })
    }

    /// A linear axis from 0 to a little above the largest of the finite, non-negative
    /// `values`, with ticks at 1, 2 or 5 times a power of ten (whole numbers if `integer`).
    fn linear(
        values: impl Iterator<Item = f64>,
        integer: bool,
        label: fn(f64) -> String,
        title: String,
    ) -> Option<Axis> {
        let (_, max) = extent(values.filter(|v| v.is_finite() && *v >= 0.0))?;
        let hi = if max > 0.0 { max * 1.08 } else { 1.0 };
        if !hi.is_finite() {
            return None;
        }
        let raw = hi / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let mut step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(raw);
        if integer {
            step = step.max(1.0).round();
        }
        let ticks = (0..=12)
            .map(|i| i as f64 * step)
            .take_while(|t| *t <= hi)
            .map(|t| (t, label(t)))
            .collect();
        Some(Axis {
            log: false,
            lo: 0.0,
            hi,
            ticks,
            title,
        })
    }

    /// Where `value` falls along the axis, from 0 to 1 (clamped; never NaN).
    fn fraction(&self, value: f64) -> f64 {
        let f = if self.log {
            (value.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
        } else {
            (value - self.lo) / (self.hi - self.lo)
        };
        if f.is_nan() { 0.0 } else { f.clamp(0.0, 1.0) }
    }
}

fn positive(v: f64) -> bool {
    v.is_finite() && v > 0.0
}

fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
    })
}

fn log_ticks(lo: f64, hi: f64, binary: bool) -> Vec<f64> {
    if binary {
        let (from, to) = (lo.log2().ceil() as i32, hi.log2().floor() as i32);
        let step = [1, 2, 5, 10, 20]
            .into_iter()
            .find(|s| (to - from) / s <= 6)
            .unwrap_or(50);
        return (from..=to)
            .filter(|k| k.rem_euclid(step) == 0)
            .map(|k| 2f64.powi(k))
            .collect();
    }
    let inside = |v: &f64| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9);
    let (from, to) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    for multiples in [
        &[1.0][..],
        &[1.0, 2.0, 5.0],
        &[1.0, 2.0, 3.0, 4.0, 5.0, 7.0],
    ] {
        let ticks: Vec<f64> = (from..=to)
            .flat_map(|e| multiples.iter().map(move |m| m * 10f64.powi(e)))
            .filter(inside)
            .collect();
        if ticks.len() >= 2 {
            // At most about ten labels, however many decades the axis spans.
            let every = ticks.len().div_ceil(10);
            return ticks.into_iter().step_by(every).collect();
        }
    }
    Vec::new()
}

/// A tick label without the zeros `three_digits` keeps: `2.00 MiB` → `2 MiB`, `0.50` → `0.5`.
fn trim_zeros(text: &str) -> String {
    let (number, unit) = text.split_once(' ').unwrap_or((text, ""));
    let number = if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    };
    if unit.is_empty() {
        number.to_string()
    } else {
        format!("{number} {unit}")
    }
}

/// `1`, `100`, `10k`, `1M`: counts on an axis.
fn count_tick(value: f64) -> String {
    let n = value.round();
    for (scale, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] {
        if n >= scale {
            return format!("{}{suffix}", trim_zeros(&three_digits(n / scale)));
        }
    }
    trim_zeros(&three_digits(value))
}

fn bytes_tick(value: f64) -> String {
    trim_zeros(&format_bytes(value.round() as u64))
}

fn seconds_tick(value: f64) -> String {
    trim_zeros(&format_seconds(value))
}

fn speedup_tick(value: f64) -> String {
    format!("{}×", trim_zeros(&format!("{value:.3}")))
}

fn plain_tick(value: f64) -> String {
    trim_zeros(&format!("{value:.3}"))
}

/// An id made only of letters, digits, `-` and `_`, whatever a manifest named its parameter.
fn id_part(text: &str) -> String {
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

struct LineChart {
    id: String,
    caption: String,
    x: Axis,
    y: Axis,
    curves: Vec<Curve>,
    /// The line y = x (perfect scaling).
    ideal: bool,
    /// A vertical rule: its x and its label.
    rule: Option<(f64, String)>,
}

/// Every sweep's chart: memory against tasks, speedup against workers, and wall time against
/// any other swept parameter. Each is drawn only when some point has a value to draw.
fn sweep_charts(series: &[Series], cores: usize, page: &mut String) {
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

fn workers_speedup_chart(chosen: &[&Series], cores: usize, page: &mut String) {
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
    let xs = curves.iter().flat_map(|c| {
        c.marks
            .iter()
            .map(|m| m.x)
            .chain(c.stop.as_ref().map(|s| s.x))
    });
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
    let xs = curves.iter().flat_map(|c| {
        c.marks
            .iter()
            .map(|m| m.x)
            .chain(c.stop.as_ref().map(|s| s.x))
    });
    let ys = curves.iter().flat_map(|c| {
        c.marks.iter().flat_map(|m| {
            [Some(m.y), m.whisker.map(|w| w.0), m.whisker.map(|w| w.1)]
                .into_iter()
                .flatten()
        })
    });
    Some((
        Axis::log(xs, false, true, count_tick, x_title.into())?,
        Axis::log(ys, binary, binary, y_label, y_title.into())?,
    ))
}

/// A coordinate for the SVG: one decimal, and 0 rather than anything a browser cannot read.
fn at(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "0".into()
    }
}

fn draw_line_chart(chart: &LineChart, page: &mut String) {
    let plot_w = CHART_W - LEFT - RIGHT;
    let px = |v: f64| at(LEFT + chart.x.fraction(v) * plot_w);
    // Stops are marked in a strip above the plot, so no ✕ hides a point; several stops at one
    // x are stacked upwards.
    let mut stops: Vec<(&Curve, &Stop, String, usize)> = Vec::new();
    for curve in &chart.curves {
        let Some(stop) = &curve.stop else { continue };
        let x = px(stop.x);
        let level = stops.iter().filter(|(_, _, at_x, _)| *at_x == x).count();
        stops.push((curve, stop, x, level));
    }
    let levels = stops.iter().map(|s| s.3 + 1).max().unwrap_or(0);
    let caption = if stops.is_empty() {
        chart.caption.clone()
    } else {
        format!(
            "{}; ✕ marks where a program stopped (hover for the reason)",
            chart.caption
        )
    };
    let top = TOP + STOP_ROW * levels as f64;
    let bottom = top + PLOT_H;
    let py = |v: f64| at(top + (1.0 - chart.y.fraction(v)) * PLOT_H);
    let labels: Vec<String> = chart
        .curves
        .iter()
        .map(|c| match &c.stop {
            Some(stop) => format!("{} — {}", c.label, stop.note),
            None => c.label.clone(),
        })
        .collect();
    let columns = if labels.len() > 1 && labels.iter().all(|l| l.chars().count() <= 60) {
        2
    } else {
        1
    };
    let rows = labels.len().div_ceil(columns);
    let legend_top = bottom + 52.0;
    let height = legend_top + rows as f64 * LEGEND_ROW + 6.0;
    let _ = write!(
        page,
        "<figure><svg id=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{CHART_W}\" height=\"{}\" role=\"img\"><title>{}</title>",
        escape(&chart.id),
        at(height),
        escape(&caption)
    );
    let _ = write!(
        page,
        "<rect x=\"{LEFT}\" y=\"{top}\" width=\"{plot_w}\" height=\"{PLOT_H}\" fill=\"none\" stroke=\"#ccd\"/>"
    );
    for (v, label) in &chart.x.ticks {
        let x = px(*v);
        let _ = write!(
            page,
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{top}\" y2=\"{bottom}\" stroke=\"#eef0f4\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            at(bottom + 16.0),
            escape(label)
        );
    }
    for (v, label) in &chart.y.ticks {
        let y = py(*v);
        let _ = write!(
            page,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#eef0f4\"/><text x=\"{}\" y=\"{y}\" dy=\"4\" text-anchor=\"end\">{}</text>",
            at(LEFT + plot_w),
            at(LEFT - 6.0),
            escape(label)
        );
    }
    let _ = write!(
        page,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text><text transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
        at(LEFT + plot_w / 2.0),
        at(bottom + 36.0),
        escape(&chart.x.title),
        at(top + PLOT_H / 2.0),
        escape(&chart.y.title)
    );
    if chart.ideal {
        let end = chart.x.hi.min(chart.y.hi);
        // The label sits beside the line's end, on the side away from the line.
        let beside = if chart.x.hi < chart.y.hi {
            "dx=\"-6\" dy=\"-6\" text-anchor=\"end\""
        } else {
            "dx=\"6\" dy=\"14\""
        };
        let _ = write!(
            page,
            "<g><title>ideal: speedup = workers</title><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#8c959f\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/><text x=\"{}\" y=\"{}\" {beside} fill=\"#667\">ideal</text></g>",
            px(0.0),
            py(0.0),
            px(end),
            py(end),
            px(end),
            py(end)
        );
    }
    if let Some((x, label)) = &chart.rule {
        let _ = write!(
            page,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{top}\" y2=\"{bottom}\" stroke=\"#8c959f\" stroke-dasharray=\"2,3\"/><text x=\"{0}\" y=\"{1}\" dx=\"4\" fill=\"#667\">{2}</text>",
            px(*x),
            at(bottom - 6.0),
            escape(label)
        );
    }
    // Curves with intervals are spread a few pixels apart at each x, so that whiskers at one
    // point do not hide each other.
    let whiskers = chart
        .curves
        .iter()
        .any(|c| c.marks.iter().any(|m| m.whisker.is_some()));
    let spread = if whiskers && chart.curves.len() > 1 {
        (24.0 / (chart.curves.len() - 1) as f64).min(4.0)
    } else {
        0.0
    };
    let middle = chart.curves.len().saturating_sub(1) as f64 / 2.0;
    for (i, curve) in chart.curves.iter().enumerate() {
        let shift = (i as f64 - middle) * spread;
        let cx = |v: f64| LEFT + chart.x.fraction(v) * plot_w + shift;
        let _ = write!(page, "<g><title>{}</title>", escape(&curve.label));
        if curve.marks.len() > 1 {
            let points: Vec<String> = curve
                .marks
                .iter()
                .map(|m| format!("{},{}", at(cx(m.x)), py(m.y)))
                .collect();
            let _ = write!(
                page,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>",
                points.join(" "),
                curve.color,
                dash_attribute(curve.dash)
            );
        }
        for mark in &curve.marks {
            let (x, y) = (at(cx(mark.x)), py(mark.y));
            if let Some((low, high)) = mark.whisker {
                let (x0, x1) = (at(cx(mark.x) - 4.0), at(cx(mark.x) + 4.0));
                let (y_low, y_high) = (py(low), py(high));
                let _ = write!(
                    page,
                    "<path d=\"M{x} {y_low}V{y_high}M{x0} {y_low}H{x1}M{x0} {y_high}H{x1}\" stroke=\"{}\" fill=\"none\"/>",
                    curve.color
                );
            }
            let _ = write!(
                page,
                "<circle cx=\"{x}\" cy=\"{y}\" r=\"4\" fill=\"{}\" stroke=\"#fff\"><title>{}</title></circle>",
                curve.color,
                escape(&mark.tip)
            );
        }
        page.push_str("</g>");
    }
    for (curve, stop, x, level) in &stops {
        let _ = write!(
            page,
            "<g transform=\"translate({x} {})\"><title>{}</title><rect x=\"-7\" y=\"-7\" width=\"14\" height=\"14\" fill=\"transparent\"/>{}</g>",
            at(top - STOP_ROW / 2.0 - *level as f64 * STOP_ROW),
            escape(&stop.tip),
            cross(curve.color)
        );
    }
    let column_w = plot_w / columns as f64;
    for (i, (curve, label)) in chart.curves.iter().zip(&labels).enumerate() {
        let x = LEFT + (i % columns) as f64 * column_w;
        let y = legend_top + (i / columns) as f64 * LEGEND_ROW;
        let _ = write!(
            page,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"{}/><circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            at(x),
            at(x + 28.0),
            at(y),
            at(y),
            curve.color,
            dash_attribute(curve.dash),
            at(x + 14.0),
            at(y),
            curve.color,
            at(x + 36.0),
            at(y + 4.0),
            escape(label)
        );
    }
    let _ = write!(
        page,
        "</svg><figcaption class=\"muted\">{}</figcaption></figure>",
        escape(&caption)
    );
}

fn dash_attribute(dash: &str) -> String {
    if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    }
}

/// An ✕ drawn as two strokes (no font needs the glyph), centred on the origin.
fn cross(color: &str) -> String {
    format!(
        "<path d=\"M-5 -5L5 5M-5 5L5 -5\" stroke=\"{color}\" stroke-width=\"2.5\" stroke-linecap=\"round\"/>"
    )
}

fn cases_table(report: &Report, page: &mut String) {
    page.push_str(
        "<h2>Every case</h2><table id=\"cases\"><tr><th>Group</th><th>Toolchain</th><th>Runs</th>\
         <th>Median</th><th>±MAD</th><th>Peak memory</th><th>Ratio (95% CI)</th><th>Result</th><th>Command</th></tr>",
    );
    for case in &report.cases {
        let wall = case.wall_s.as_ref();
        let comparison = report.comparison_of(case).filter(|_| !case.baseline);
        let result = if case.verdict != CaseVerdict::Ok {
            case.verdict.to_string()
        } else {
            comparison.map_or(
                if case.baseline { "baseline" } else { "ok" }.to_string(),
                |c| c.verdict.as_str().to_string(),
            )
        };
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td><code>{}</code></td></tr>",
            escape(&case.group),
            escape(&case.label()),
            case.runs,
            wall.map(|w| format_seconds(w.median)).unwrap_or_default(),
            wall.map(|w| format_seconds(w.mad)).unwrap_or_default(),
            case.tree_peak_bytes
                .or(case.peak_rss_bytes)
                .map(format_bytes)
                .unwrap_or_default(),
            comparison
                .map(|c| format_ratio(c.ratio, c.ci_low, c.ci_high))
                .unwrap_or_default(),
            escape(&result),
            escape(
                &case
                    .command
                    .as_ref()
                    .map(|c| c.join(" "))
                    .unwrap_or_default()
            ),
        );
    }
    page.push_str("</table>");
}

fn typing(report: &Report, page: &mut String) {
    let Some(grid) = claims::typing_grid(report) else {
        return;
    };
    page.push_str("<h2>Typing: when is a planted mistake reported?</h2><table id=\"typing\"><tr>");
    for header in &grid.headers {
        let _ = write!(page, "<th>{}</th>", escape(header));
    }
    page.push_str("</tr>");
    for row in &grid.rows {
        page.push_str("<tr>");
        for cell in row {
            let _ = write!(page, "<td>{}</td>", escape(cell));
        }
        page.push_str("</tr>");
    }
    page.push_str("</table>");
    if let Some(summary) = claims::typing_summary(report) {
        let _ = write!(page, "<p class=\"muted\">{}</p>", escape(&summary));
    }
}

fn notes(report: &Report, page: &mut String) {
    for (title, lines) in super::table::sections(report) {
        let _ = write!(page, "<h2>{}</h2><ul>", escape(title));
        for line in lines {
            let _ = write!(page, "<li>{}</li>", escape(&line));
        }
        page.push_str("</ul>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;
    use crate::measure::Exit;
    use crate::measure::scripted::{Script, ScriptedExecutor};
    use crate::plan::Plan;
    use crate::report::series::Ratio;
    use crate::runner::{Profile, Runner, Silent};
    use crate::stats::Summary;
    use crate::store::{RunStatus, Store};
    use crate::testing::{case, group, toolchain};

    const CHART_IDS: [&str; 3] = [
        "id=\"tasks-memory-chart\"",
        "id=\"workers-speedup-chart\"",
        "id=\"sweep-requests-chart\"",
    ];

    fn wall(median: f64, ci_low: f64, ci_high: f64) -> Summary {
        Summary {
            n: 3,
            median,
            mad: 0.0,
            min: ci_low,
            max: ci_high,
            mean: median,
            ci_low,
            ci_high,
        }
    }

    fn point(x: u64, wall_s: f64, bytes: u64, speedup: f64) -> SeriesPoint {
        SeriesPoint {
            x,
            verdict: CaseVerdict::Ok,
            detail: None,
            wall_s: Some(wall(wall_s, wall_s * 0.95, wall_s * 1.05)),
            tree_peak_bytes: Some(bytes),
            metrics: Default::default(),
            speedup: Some(Ratio {
                value: speedup,
                ci_low: speedup * 0.9,
                ci_high: speedup * 1.1,
            }),
            case_index: 0,
        }
    }

    fn stopped(x: u64, verdict: CaseVerdict, detail: &str) -> SeriesPoint {
        SeriesPoint {
            verdict,
            detail: Some(detail.into()),
            wall_s: None,
            tree_peak_bytes: None,
            speedup: None,
            ..point(x, 1.0, 1, 1.0)
        }
    }

    fn series(
        parameter: &str,
        toolchain: &str,
        label: Option<&str>,
        points: Vec<SeriesPoint>,
    ) -> Series {
        Series {
            workload: format!("concurrency/{parameter}-sweep"),
            size: Some("small".into()),
            parameter: parameter.into(),
            language: None,
            toolchain: Some(toolchain.replace(' ', "-")),
            toolchain_label: Some(toolchain.into()),
            variant: None,
            label: label.map(String::from),
            form: label.unwrap_or("goroutines").into(),
            points,
        }
    }

    /// A sweep of every kind: tasks (threads stop with a hostile reason), workers, requests.
    fn every_sweep() -> Vec<Series> {
        vec![
            series(
                "tasks",
                "go 1.26.8",
                None,
                vec![
                    point(1, 1.0, 2 << 20, 1.0),
                    point(1000, 1.01, 5 << 20, 1.0),
                    point(100_000, 1.2, 262 << 20, 1.0),
                ],
            ),
            series(
                "tasks",
                "cpython 3.11.7",
                Some("<script>threads</script>"),
                vec![
                    point(1, 1.0, 10 << 20, 1.0),
                    point(1000, 1.1, 40 << 20, 1.0),
                    stopped(
                        100_000,
                        CaseVerdict::LimitReached,
                        "can't start thread <script>alert(1)</script>",
                    ),
                ],
            ),
            series(
                "workers",
                "go 1.26.8",
                None,
                vec![
                    point(1, 0.2, 2 << 20, 1.0),
                    point(2, 0.1, 2 << 20, 1.96),
                    point(4, 0.1, 2 << 20, 1.98),
                ],
            ),
            series(
                "workers",
                "cpython 3.11.7",
                Some("threads"),
                vec![point(1, 3.0, 10 << 20, 1.0), point(2, 3.05, 10 << 20, 0.98)],
            ),
            series(
                "requests",
                "cpython 3.11.7",
                Some("asyncio"),
                vec![
                    point(1, 0.052, 20 << 20, 1.0),
                    point(100, 0.061, 30 << 20, 1.0),
                    stopped(1000, CaseVerdict::Timeout, "10 s"),
                ],
            ),
        ]
    }

    fn charts(series: &[Series]) -> String {
        let mut page = String::new();
        sweep_charts(series, 2, &mut page);
        page
    }

    fn count(text: &str, needle: &str) -> usize {
        text.matches(needle).count()
    }

    /// No chart holds a number a browser cannot draw (the prose around them may say
    /// "inflated").
    fn assert_only_numbers(page: &str) {
        for svg in page.split("<svg").skip(1) {
            let svg = &svg[..svg.find("</svg>").unwrap()];
            for bad in ["NaN", "inf"] {
                assert!(!svg.contains(bad), "{bad} in {svg}");
            }
        }
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn each_sweep_chart_is_drawn_exactly_when_its_data_is() {
        assert_eq!(charts(&[]), "");
        let all = charts(&every_sweep());
        for id in CHART_IDS {
            assert_eq!(count(&all, id), 1, "{id} in {all}");
        }
        assert_only_numbers(&all);
        // Memory first, then speedup, then the other parameters.
        let at = |id: &str| all.find(id).unwrap();
        assert!(at(CHART_IDS[0]) < at(CHART_IDS[1]) && at(CHART_IDS[1]) < at(CHART_IDS[2]));
        // Only a chart with a stop explains the ✕.
        let (tasks, rest) = all.split_at(at(CHART_IDS[1]));
        let (workers, requests) = rest.split_at(rest.find(CHART_IDS[2]).unwrap());
        assert!(tasks.contains("✕ marks") && requests.contains("✕ marks"));
        assert!(!workers.contains("✕ marks"));
        // The speedup chart has its ideal line and this machine's cores.
        assert!(all.contains("ideal: speedup = workers"));
        assert!(all.contains(">2 cores</text>"));

        for (parameter, id) in ["tasks", "workers", "requests"].into_iter().zip(CHART_IDS) {
            let only: Vec<Series> = every_sweep()
                .into_iter()
                .filter(|s| s.parameter == parameter)
                .collect();
            let page = charts(&only);
            for other in CHART_IDS {
                assert_eq!(
                    count(&page, other),
                    usize::from(other == id),
                    "{other} with only {parameter}"
                );
            }
        }

        // Series without the chart's measure draw nothing: no memory, no speedup, no wall time.
        let mut bare = every_sweep();
        for point in bare.iter_mut().flat_map(|s| s.points.iter_mut()) {
            point.tree_peak_bytes = None;
            point.speedup = None;
            point.wall_s = None;
        }
        assert_eq!(charts(&bare), "");
        // Nor does a series whose every point failed.
        let failed = series(
            "tasks",
            "go 1.26.8",
            None,
            vec![stopped(1, CaseVerdict::Crashed, "boom")],
        );
        assert_eq!(charts(&[failed]), "");
    }

    #[test]
    fn series_names_and_reasons_for_stopping_are_escaped() {
        let page = charts(&every_sweep());
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("cpython 3.11.7 (&lt;script&gt;threads&lt;/script&gt;)"));
        // The stop: an ✕ with its verdict and reason as a tooltip, and the verdict in the legend.
        assert!(
            page.contains(
                "<title>cpython 3.11.7 (&lt;script&gt;threads&lt;/script&gt;) stopped at 100,000 tasks: limit-reached — can&#39;t start thread &lt;script&gt;alert(1)&lt;/script&gt;</title>"
            ),
            "{page}"
        );
        assert!(page.contains("stopped at 100,000: limit-reached</text>"));
        assert!(page.contains("stopped at 1,000 requests: timeout — 10 s</title>"));
        assert!(page.contains("<title>go 1.26.8, tasks = 100,000: 262 MiB</title>"));
        assert!(page.contains("<title>go 1.26.8, workers = 2: speedup 1.96× [1.76, 2.16]</title>"));
        // A parameter named by a manifest is escaped in the heading and kept out of the id.
        let mut hostile = every_sweep();
        for s in &mut hostile {
            if s.parameter == "requests" {
                s.parameter = "<b>\"x\"".into();
            }
        }
        let page = charts(&hostile);
        assert!(page.contains("id=\"sweep-_b__x_-chart\""), "{page}");
        assert!(page.contains("<h2>Wall time against &lt;b&gt;&quot;x&quot;</h2>"));
        assert!(!page.contains("<b>"));
    }

    #[test]
    fn degenerate_series_draw_no_nan_or_infinity() {
        let one = |parameter: &str| {
            series(
                parameter,
                "go 1.26.8",
                None,
                vec![point(1, 0.5, 1 << 20, 1.0)],
            )
        };
        // One point per chart: each is drawn, with finite coordinates.
        let page = charts(&[one("tasks"), one("workers"), one("requests")]);
        for id in CHART_IDS {
            assert_eq!(count(&page, id), 1, "{id}");
        }
        assert_only_numbers(&page);

        // Equal values at every point, and a point far beyond the others.
        let flat = |parameter: &str| {
            series(
                parameter,
                "go 1.26.8",
                None,
                (0..4)
                    .map(|i| point(10u64.pow(i), 0.5, 1 << 20, 1.0))
                    .collect(),
            )
        };
        let page = charts(&[flat("tasks"), flat("workers"), flat("requests")]);
        for id in CHART_IDS {
            assert_eq!(count(&page, id), 1, "{id}");
        }
        assert_only_numbers(&page);

        // Zeros, NaN and infinities are left out, and so is x = 0 on a log axis.
        let broken = |parameter: &str| {
            let mut points = vec![
                point(0, 0.5, 1 << 20, 1.0),
                point(1, 0.0, 0, 0.0),
                point(2, f64::NAN, 1, f64::NAN),
                point(3, f64::INFINITY, 2, f64::INFINITY),
                point(4, 0.5, 4 << 20, 1.5),
            ];
            points[4].wall_s = Some(wall(0.5, f64::NAN, f64::INFINITY));
            points[4].speedup = Some(Ratio {
                value: 1.5,
                ci_low: f64::NEG_INFINITY,
                ci_high: f64::NAN,
            });
            series(parameter, "go 1.26.8", None, points)
        };
        let page = charts(&[broken("tasks"), broken("workers"), broken("requests")]);
        for id in CHART_IDS {
            assert_eq!(count(&page, id), 1, "{id}");
        }
        assert_only_numbers(&page);

        // Only unusable values: no chart at all.
        let hopeless = |parameter: &str| {
            let mut points = vec![
                point(1, f64::NAN, 0, f64::NAN),
                point(2, 0.0, 0, f64::INFINITY),
            ];
            for p in &mut points {
                p.speedup = p.speedup.map(|r| Ratio {
                    value: r.value,
                    ci_low: r.value,
                    ci_high: r.value,
                });
            }
            series(parameter, "go 1.26.8", None, points)
        };
        assert_eq!(charts(&[hopeless("tasks"), hopeless("requests")]), "");
        let mut page = String::new();
        workers_speedup_chart(&[&hopeless("workers")], 2, &mut page);
        assert_eq!(page, "");
    }

    #[test]
    fn ticks_are_round_numbers_in_readable_units() {
        let axis = Axis::log(
            [1.0, 100_000.0].into_iter(),
            false,
            true,
            count_tick,
            String::new(),
        )
        .unwrap();
        let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["1", "10", "100", "1k", "10k", "100k"]);
        let axis = Axis::log(
            [3.0 * 1048576.0, 262.0 * 1048576.0].into_iter(),
            true,
            true,
            bytes_tick,
            String::new(),
        )
        .unwrap();
        let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "4 MiB", "8 MiB", "16 MiB", "32 MiB", "64 MiB", "128 MiB", "256 MiB"
            ]
        );
        let axis = Axis::log(
            [1048576.0, 8.0 * 1073741824.0].into_iter(),
            true,
            true,
            bytes_tick,
            String::new(),
        )
        .unwrap();
        let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "1 MiB", "4 MiB", "16 MiB", "64 MiB", "256 MiB", "1 GiB", "4 GiB"
            ]
        );
        // Less than a decade: 1-2-5 steps.
        let axis = Axis::log(
            [0.052, 0.061].into_iter(),
            false,
            false,
            seconds_tick,
            String::new(),
        )
        .unwrap();
        let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["50 ms", "100 ms"]);
        let axis = Axis::linear(
            [0.98, 1.96, 2.1].into_iter(),
            false,
            speedup_tick,
            String::new(),
        )
        .unwrap();
        let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["0×", "0.5×", "1×", "1.5×", "2×"]);
    }

    /// A run stored by the real runner and store, with scripted timings: the page has each
    /// sweep's chart after the memory chart, and none of them without sweeps.
    #[test]
    fn a_stored_run_with_sweeps_has_their_charts() {
        let swept =
            |language, program: &str, label: Option<&str>, name: &str, value: u64, out: &[u8]| {
                let mut case = case(&format!("concurrency/{name}"), language, program, out);
                case.claim = Some(crate::suite::Claim::Concurrency);
                case.label = label.map(String::from);
                case.point = Some(crate::suite::Point {
                    name: name.into(),
                    value,
                });
                case
            };
        let mut groups = vec![group(
            "cpu/nbody (default)",
            vec![
                case("cpu/nbody", Language::Go, "go-nbody", b"ok\n"),
                case("cpu/nbody", Language::Python, "py-nbody", b"ok\n"),
            ],
            Some(0),
        )];
        for (name, values) in [
            ("tasks", [1u64, 100_000]),
            ("workers", [1, 2]),
            ("requests", [1, 100]),
        ] {
            for value in values {
                groups.push(group(
                    &format!("concurrency/{name} ({name}={value})"),
                    vec![
                        swept(
                            Language::Go,
                            &format!("go-{name}-{value}"),
                            None,
                            name,
                            value,
                            b"ok\n",
                        ),
                        swept(
                            Language::Python,
                            &format!("py-{name}-{value}"),
                            Some("threads"),
                            name,
                            value,
                            b"ok\n",
                        ),
                    ],
                    Some(0),
                ));
            }
        }
        let ok = |wall: f64, mib: u64| Script {
            rss_bytes: mib << 20,
            ..Script::ok(&[wall, wall * 1.01, wall * 0.99], b"ok\n")
        };
        let mut executor = ScriptedExecutor::new()
            .script("go-nbody", ok(0.01, 2))
            .script("py-nbody", ok(0.6, 10))
            .script("go-tasks-1", ok(1.0, 2))
            .script("go-tasks-100000", ok(1.2, 262))
            .script("py-tasks-1", ok(1.0, 10))
            .script(
                "py-tasks-100000",
                Script {
                    exit: Exit::Code(crate::case::LIMIT_EXIT_CODE),
                    stderr: b"started 32001 threads <script>\n".to_vec(),
                    ..Script::ok(&[2.5], b"")
                },
            )
            .script("go-workers-1", ok(0.2, 2))
            .script("go-workers-2", ok(0.1, 2))
            .script("py-workers-1", ok(3.0, 10))
            .script("py-workers-2", ok(3.05, 10))
            .script("go-requests-1", ok(0.05, 5))
            .script("go-requests-100", ok(0.06, 6))
            .script("py-requests-1", ok(0.055, 12))
            .script("py-requests-100", ok(0.3, 14));
        let store = Store::in_memory().unwrap();
        let toolchains = [toolchain(Language::Go), toolchain(Language::Python)];
        let meta = crate::testing::run_meta();
        let mut writer = store.begin_run(&meta, &toolchains).unwrap();
        Runner {
            executor: &mut executor,
            profile: Profile::fixed(3, 0),
            sink: &mut writer,
            events: &mut Silent,
        }
        .run(&Plan { groups })
        .unwrap();
        writer.finish(RunStatus::Complete).unwrap();
        let mut run = store.load_run(writer.run_id).unwrap();
        let html = |run: &crate::store::StoredRun| {
            let mut out = Vec::new();
            write(&Report::from_run(run), &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let page = html(&run);
        let memory = page.find("id=\"memory-chart\"").expect("the memory chart");
        for id in CHART_IDS {
            assert_eq!(count(&page, id), 1, "{id}");
            assert!(
                page.find(id).unwrap() > memory,
                "{id} before the memory chart"
            );
        }
        assert!(!page.contains("<script"));
        assert!(
            page.contains("limit-reached — started 32001 threads &lt;script&gt;</title>"),
            "{page}"
        );
        assert!(page.contains("cpython 3.11.7 (threads) — stopped at 100,000: limit-reached"));
        assert_only_numbers(&page[memory..]);

        run.cases.retain(|c| c.point.is_none());
        let page = html(&run);
        assert!(page.contains("id=\"memory-chart\""));
        for id in CHART_IDS {
            assert!(!page.contains(id), "{id} without sweeps");
        }
    }
}
