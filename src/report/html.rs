//! A self-contained HTML report: one file, no scripts, fonts or stylesheets from anywhere, charts
//! as inline SVG (criterion.rs's approach: a view model of formatted strings, then markup).
//! Every text that comes from a manifest or a command line is escaped.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::article::Stance;
use super::claims;
use super::model::{CaseView, ComparisonView, Report};
use super::units::{format_bytes, format_ratio, format_seconds, three_digits};
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
    use super::escape;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }
}
