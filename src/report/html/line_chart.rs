//! A line chart drawn as inline SVG: curves of marks with whiskers, where each series stopped,
//! an optional ideal line and vertical rule, and a legend.

use std::fmt::Write as _;

use super::axis::{Axis, at};
use super::escape;

const CHART_W: f64 = 1000.0;
const LEFT: f64 = 90.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 12.0;
/// Height of a row of ✕ marks above the plot.
const STOP_ROW: f64 = 14.0;
const PLOT_H: f64 = 300.0;
const LEGEND_ROW: f64 = 18.0;

/// One verified point of a curve, in data units.
pub(super) struct Mark {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) whisker: Option<(f64, f64)>,
    pub(super) tip: String,
}

/// Where a series stopped: the first point that did not complete.
pub(super) struct Stop {
    pub(super) x: f64,
    pub(super) tip: String,
    pub(super) note: String,
}

pub(super) struct Curve {
    pub(super) label: String,
    pub(super) color: &'static str,
    pub(super) dash: &'static str,
    pub(super) marks: Vec<Mark>,
    pub(super) stop: Option<Stop>,
}

/// Every x an axis for `curves` must reach: their points, and where any of them stopped.
pub(super) fn xs_of(curves: &[Curve]) -> impl Iterator<Item = f64> + '_ {
    curves.iter().flat_map(|c| {
        c.marks
            .iter()
            .map(|m| m.x)
            .chain(c.stop.as_ref().map(|s| s.x))
    })
}

/// Every y an axis for `curves` must reach: their points and both ends of their whiskers.
pub(super) fn ys_of(curves: &[Curve]) -> impl Iterator<Item = f64> + '_ {
    curves.iter().flat_map(|c| {
        c.marks.iter().flat_map(|m| {
            [Some(m.y), m.whisker.map(|w| w.0), m.whisker.map(|w| w.1)]
                .into_iter()
                .flatten()
        })
    })
}

pub(super) struct LineChart {
    pub(super) id: String,
    pub(super) caption: String,
    pub(super) x: Axis,
    pub(super) y: Axis,
    pub(super) curves: Vec<Curve>,
    /// The line y = x (perfect scaling).
    pub(super) ideal: bool,
    /// A vertical rule: its x and its label.
    pub(super) rule: Option<(f64, String)>,
}

pub(super) fn draw_line_chart(chart: &LineChart, page: &mut String) {
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
