//! Log-scaled bar charts against the baseline: time (with bootstrap intervals) and memory.

use std::fmt::Write as _;

use super::escape;
use crate::case::CaseKind;
use crate::report::model::{CaseView, ComparisonView, Report};
use crate::report::units::three_digits;
use crate::stats::Verdict;
use crate::suite::Metric;

/// One bar in a log-scaled chart: a label, a value, and an optional interval.
pub(super) struct Bar {
    pub(super) label: String,
    pub(super) value: f64,
    pub(super) interval: Option<(f64, f64)>,
    pub(super) color: &'static str,
}

/// Horizontal bars on a log scale around 1×, with whiskers for intervals.
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
