//! Log-scaled bar charts against the baseline: time (with bootstrap intervals) and memory.

use std::fmt::Write as _;

use super::escape;
use crate::case::CaseKind;
use crate::report::model::Report;
use crate::report::view::{CaseView, ComparisonView};
use crate::stats::Verdict;
use crate::suite::Metric;
use crate::units::three_digits;

/// One bar in a log-scaled chart: a label, a value, and an optional interval.
pub(super) struct Bar {
    pub(super) label: String,
    pub(super) value: f64,
    pub(super) interval: Option<(f64, f64)>,
    pub(super) color: &'static str,
}

/// The widest a label's line gets before it wraps, in characters.
const LABEL_LINE_CHARS: usize = 60;
/// A generous width of one character of the charts' 12 px sans-serif text (most glyphs are
/// 5–7 px; digits and capitals 7), so an estimated width is never short of the drawn one.
pub(super) const CHAR_W: f64 = 7.2;
const LINE_H: f64 = 14.0;

/// Horizontal bars on a log scale around 1×, with whiskers for intervals, ticks at 1-2-5 steps
/// and the baseline's 1× dashed. A label wraps at word boundaries into lines of at most
/// [`LABEL_LINE_CHARS`] characters, and the gutter is as wide as the longest line, so no label
/// is cut off however long it is.
pub(super) fn log_bar_chart(id: &str, caption: &str, bars: &[Bar], page: &mut String) {
    // A log scale has no room for zero, negative or infinite values: such bars are left out.
    let finite = |v: f64| v.is_finite() && v > 0.0;
    let bars: Vec<&Bar> = bars
        .iter()
        .filter(|b| finite(b.value) && b.interval.is_none_or(|(l, h)| finite(l) && finite(h)))
        .collect();
    if bars.is_empty() {
        return;
    }
    const PLOT_W: f64 = 640.0;
    const ROW_H: f64 = 22.0;
    const TOP: f64 = 10.0;
    let labels: Vec<Vec<String>> = bars
        .iter()
        .map(|b| wrap(&b.label, LABEL_LINE_CHARS))
        .collect();
    let longest = labels
        .iter()
        .flatten()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0);
    let label_w = (longest as f64 * CHAR_W + 16.0).max(80.0);
    let row_h = |lines: usize| ROW_H.max(lines as f64 * LINE_H + 8.0);
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
        label_w + (v.max(low).log10() - low.log10()) / (high.log10() - low.log10()) * PLOT_W
    };
    let rows_h: f64 = labels.iter().map(|l| row_h(l.len())).sum();
    let axis_y = TOP + rows_h + 6.0;
    let height = axis_y + 34.0;
    let width = label_w + PLOT_W + 60.0;
    let _ = write!(
        page,
        "<figure><svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" style=\"max-width:100%;height:auto\" role=\"img\"><title>{}</title>",
        escape(caption)
    );
    // Ticks first, under the bars: a faint line across the rows and a label under the axis.
    for tick in ratio_ticks(low, high) {
        let tx = x(tick);
        let _ = write!(
            page,
            "<line x1=\"{tx:.1}\" x2=\"{tx:.1}\" y1=\"4\" y2=\"{axis_y:.1}\" stroke=\"#e1e4e8\"/><text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"tick\">{}×</text>",
            axis_y + 14.0,
            tick_label(tick)
        );
    }
    let mut y = TOP;
    for (bar, lines) in bars.iter().zip(&labels) {
        let h = row_h(lines.len());
        let (from, to) = (x(1.0).min(x(bar.value)), x(1.0).max(x(bar.value)));
        let mid = y + h / 2.0;
        let first_line = mid - (lines.len() as f64 - 1.0) * LINE_H / 2.0 + 4.0;
        let _ = write!(page, "<text text-anchor=\"end\">");
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(
                page,
                "<tspan x=\"{:.1}\" y=\"{:.1}\">{}</tspan>",
                label_w - 8.0,
                first_line + i as f64 * LINE_H,
                escape(line)
            );
        }
        let _ = write!(
            page,
            "</text><rect x=\"{from:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
            mid - (ROW_H - 8.0) / 2.0,
            (to - from).max(1.0),
            ROW_H - 8.0,
            bar.color
        );
        if let Some((lo, hi)) = bar.interval {
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
            label_w + PLOT_W + 6.0,
            mid + 4.0,
            three_digits(bar.value)
        );
        y += h;
    }
    let _ = write!(
        page,
        "<line x1=\"{one:.1}\" x2=\"{one:.1}\" y1=\"4\" y2=\"{axis_y:.1}\" stroke=\"#667\" stroke-dasharray=\"3,3\"/><text x=\"{one:.1}\" y=\"{label_y:.1}\" text-anchor=\"middle\">1× (Go)</text></svg><figcaption class=\"muted\">{caption}</figcaption></figure>",
        one = x(1.0),
        label_y = axis_y + 28.0,
        caption = escape(caption)
    );
}

/// `text` in lines of at most `width` characters, broken at spaces; a word longer than that is
/// cut into pieces of `width`.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        while !word.is_empty() {
            let used = line.chars().count();
            let room = if used == 0 {
                width
            } else {
                width.saturating_sub(used + 1)
            };
            if word.len() <= room {
                if used > 0 {
                    line.push(' ');
                }
                line.extend(word.drain(..));
            } else if used > 0 {
                lines.push(std::mem::take(&mut line));
            } else {
                line.extend(word.drain(..width));
                lines.push(std::mem::take(&mut line));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Ticks at 1, 2 and 5 times the powers of ten between `low` and `high`, except 1 itself (the
/// baseline has its own mark); only the powers of ten when 1-2-5 would crowd the axis.
pub(super) fn ratio_ticks(low: f64, high: f64) -> Vec<f64> {
    let (from, to) = (low.log10().floor() as i32, high.log10().ceil() as i32);
    let within = |t: &f64| *t >= low && *t <= high && (t - 1.0).abs() > 1e-9;
    let steps = |multiples: &'static [f64]| -> Vec<f64> {
        (from..=to)
            .flat_map(|e| multiples.iter().map(move |m| m * 10f64.powi(e)))
            .filter(within)
            .collect()
    };
    let ticks = steps(&[1.0, 2.0, 5.0]);
    if ticks.len() <= 12 {
        ticks
    } else {
        steps(&[1.0])
    }
}

/// `0.05`, `0.2`, `20`, `500`: a tick's ratio without trailing zeros.
fn tick_label(value: f64) -> String {
    if value >= 1.0 {
        format!("{value:.0}")
    } else {
        let decimals = (-value.log10()).ceil().max(0.0) as usize;
        format!("{value:.decimals$}")
    }
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

pub(super) fn ratio_chart(report: &Report, page: &mut String) {
    let bars: Vec<Bar> = report
        .comparisons
        .iter()
        .map(|c| Bar {
            label: match &c.metric {
                Metric::Reported(name) => format!(
                    "{}: {} (on {})",
                    c.group,
                    contender_label(report, c),
                    name.as_str()
                ),
                _ => format!("{}: {}", c.group, contender_label(report, c)),
            },
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
        "time ÷ the group's baseline (Go's idiomatic program) in the same round, median over the rounds, of CPU time for single-threaded work, of the time a program reports of the phase its workload is about where the bar names it, and wall time otherwise; log scale, with the 95% bootstrap interval; green faster, red slower, grey within the noise floor (±3% CPU, ±5% wall)",
        &bars,
        page,
    );
}

pub(super) fn memory_chart(report: &Report, page: &mut String) {
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
