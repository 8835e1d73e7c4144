//! CSV: one row per case, with its comparison against the group's baseline.

use std::io::Write;

use super::model::Report;

const HEADER: &[&str] = &[
    "run_id",
    "group",
    "kind",
    "workload",
    "claim",
    "language",
    "toolchain",
    "variant",
    "size",
    "verdict",
    "runs",
    "wall_median_s",
    "wall_mad_s",
    "wall_min_s",
    "wall_ci_low_s",
    "wall_ci_high_s",
    "user_median_s",
    "sys_median_s",
    "peak_rss_bytes",
    "tree_peak_bytes",
    "artifact_bytes",
    "baseline",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
    "comparison",
    // Added after the first release of the columns, so readers by position keep working.
    "label",
    "sweep",
    "sweep_value",
];

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let rows = report.cases.iter().map(|case| {
        let comparison = report.comparison_of(case).filter(|_| !case.baseline);
        let num = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
        let int = |v: Option<u64>| v.map(|x| x.to_string()).unwrap_or_default();
        let wall = case.wall_s.as_ref();
        let fields = [
            report.run_id.to_string(),
            case.group.clone(),
            case.kind.to_string(),
            case.workload.clone(),
            case.claim.clone().unwrap_or_default(),
            case.language.clone().unwrap_or_default(),
            case.toolchain.clone().unwrap_or_default(),
            case.variant.clone().unwrap_or_default(),
            case.label.clone().unwrap_or_default(),
            case.size.clone().unwrap_or_default(),
            case.point
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            int(case.point.as_ref().map(|p| p.value)),
            case.verdict.to_string(),
            case.runs.to_string(),
            num(wall.map(|w| w.median)),
            num(wall.map(|w| w.mad)),
            num(wall.map(|w| w.min)),
            num(wall.map(|w| w.ci_low)),
            num(wall.map(|w| w.ci_high)),
            num(case.user_s.as_ref().map(|s| s.median)),
            num(case.sys_s.as_ref().map(|s| s.median)),
            int(case.peak_rss_bytes),
            int(case.tree_peak_bytes),
            int(case.artifact_bytes),
            case.baseline.to_string(),
            num(comparison.map(|c| c.ratio)),
            num(comparison.map(|c| c.ci_low)),
            num(comparison.map(|c| c.ci_high)),
            comparison
                .map(|c| c.verdict.as_str().to_string())
                .unwrap_or_default(),
            case.label.clone().unwrap_or_default(),
            case.point
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            int(case.point.as_ref().map(|p| p.value)),
        ];
        fields.to_vec()
    });
    write_rows(HEADER, rows, out)
}

/// A header line, then one line per row, every field escaped.
pub fn write_rows(
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(out, "{}", header.join(","))?;
    for row in rows {
        let escaped: Vec<String> = row.iter().map(|f| escape(f)).collect();
        writeln!(out, "{}", escaped.join(","))?;
    }
    Ok(())
}

/// RFC 4180: quote fields holding a comma, quote or line break; double inner quotes.
fn escape(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fields_are_quoted_when_needed() {
        assert_eq!(super::escape("plain"), "plain");
        assert_eq!(super::escape("a,b"), "\"a,b\"");
        assert_eq!(super::escape("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
