//! Axes of the line charts (log or linear, with round ticks in readable units), the colours
//! and patterns of their curves, and guards that keep every coordinate a number a browser can
//! read.

use crate::units::{format_bytes, format_seconds, three_digits};

/// Colours of the curves: the Okabe–Ito palette, distinct for colour-blind readers too.
pub(super) const PALETTE: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#1d2329", "#8c6d31",
];
/// Line patterns, for curves of several workloads in one chart or more series than colours.
pub(super) const DASHES: [&str; 3] = ["", "7,4", "2,3"];

/// How an axis maps values to a fraction of its length, and where its ticks are.
pub(super) struct Axis {
    pub(super) log: bool,
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) ticks: Vec<(f64, String)>,
    pub(super) title: String,
}

impl Axis {
    /// A log axis around the positive finite `values`, padded so that no mark sits on an edge
    /// and at least a factor of 4 wide (one point, or equal values, still get an axis).
    /// `binary` ticks at powers of two (sizes), otherwise at powers of ten, or 1-2-5 steps
    /// when fewer than two powers of ten fall inside.
    pub(super) fn log(
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
    pub(super) fn linear(
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
    pub(super) fn fraction(&self, value: f64) -> f64 {
        let f = if self.log {
            (value.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
        } else {
            (value - self.lo) / (self.hi - self.lo)
        };
        if f.is_nan() { 0.0 } else { f.clamp(0.0, 1.0) }
    }
}

pub(super) fn positive(v: f64) -> bool {
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
pub(super) fn count_tick(value: f64) -> String {
    let n = value.round();
    for (scale, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] {
        if n >= scale {
            return format!("{}{suffix}", trim_zeros(&three_digits(n / scale)));
        }
    }
    trim_zeros(&three_digits(value))
}

pub(super) fn bytes_tick(value: f64) -> String {
    trim_zeros(&format_bytes(value.round() as u64))
}

pub(super) fn seconds_tick(value: f64) -> String {
    trim_zeros(&format_seconds(value))
}

pub(super) fn speedup_tick(value: f64) -> String {
    format!("{}×", trim_zeros(&format!("{value:.3}")))
}

pub(super) fn plain_tick(value: f64) -> String {
    trim_zeros(&format!("{value:.3}"))
}

/// A coordinate for the SVG: one decimal, and 0 rather than anything a browser cannot read.
pub(super) fn at(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "0".into()
    }
}
