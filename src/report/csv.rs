//! CSV: one row per case, with its comparison against the group's baseline. Written by the
//! `csv` crate (RFC 4180 quoting) from one row struct, so the header and every row have the
//! same columns by construction; text cells a spreadsheet would run as a formula are defused.

use std::io::Write;

use serde::Serialize;

use super::model::Report;
use super::view::CaseView;

/// One case. The columns keep the order of the first release; later ones are appended, so
/// readers by position keep working.
#[derive(Default, Serialize)]
struct CaseRow {
    run_id: i64,
    group: Text,
    kind: Text,
    workload: Text,
    claim: Text,
    language: Text,
    toolchain: Text,
    variant: Text,
    size: Text,
    verdict: Text,
    runs: usize,
    wall_median_s: Option<f64>,
    wall_mad_s: Option<f64>,
    wall_min_s: Option<f64>,
    wall_ci_low_s: Option<f64>,
    wall_ci_high_s: Option<f64>,
    user_median_s: Option<f64>,
    sys_median_s: Option<f64>,
    peak_rss_bytes: Option<u64>,
    tree_peak_bytes: Option<u64>,
    artifact_bytes: Option<u64>,
    baseline: bool,
    ratio: Option<f64>,
    ratio_ci_low: Option<f64>,
    ratio_ci_high: Option<f64>,
    comparison: Text,
    label: Text,
    sweep: Text,
    sweep_value: Option<u64>,
    backed_by: Text,
    packages: Text,
    /// `NAME=VALUE` pairs set on purpose, space-separated.
    env: Text,
}

/// A text cell, written so that a spreadsheet shows it rather than runs it.
#[derive(Default)]
struct Text(String);

impl Text {
    fn of(text: impl Into<String>) -> Text {
        Text(text.into())
    }

    fn or_empty(text: Option<impl Into<String>>) -> Text {
        Text(text.map(Into::into).unwrap_or_default())
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&defused(&self.0))
    }
}

/// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
/// Excel, LibreOffice and Google Sheets (OWASP, "CSV Injection"): it is prefixed with `'`,
/// which they show as text. A number (`-0.5`) stays a number.
fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    if report.cases.is_empty() {
        // The header alone, so that an empty run still reads as a table of these columns: the
        // csv crate writes a struct's header with its first row, so a row is written aside.
        let mut aside = csv::Writer::from_writer(Vec::new());
        aside.serialize(CaseRow::default())?;
        let text = String::from_utf8(aside.into_inner()?)?;
        writeln!(out, "{}", text.lines().next().unwrap_or_default())?;
        return Ok(());
    }
    let mut csv = csv::Writer::from_writer(out);
    for case in &report.cases {
        csv.serialize(row(report, case))?;
    }
    csv.flush()?;
    Ok(())
}

fn row(report: &Report, case: &CaseView) -> CaseRow {
    let comparison = report.comparison_of(case).filter(|_| !case.baseline);
    let wall = case.wall_s.as_ref();
    CaseRow {
        run_id: report.run_id,
        group: Text::of(case.group.clone()),
        kind: Text::of(case.kind.to_string()),
        workload: Text::of(case.workload.clone()),
        claim: Text::or_empty(case.claim.clone()),
        language: Text::or_empty(case.language.clone()),
        toolchain: Text::or_empty(case.toolchain.clone()),
        variant: Text::or_empty(case.variant.clone()),
        size: Text::or_empty(case.size.clone()),
        verdict: Text::of(case.verdict.to_string()),
        runs: case.runs,
        wall_median_s: wall.map(|w| w.median),
        wall_mad_s: wall.map(|w| w.mad),
        wall_min_s: wall.map(|w| w.min),
        wall_ci_low_s: wall.map(|w| w.ci_low),
        wall_ci_high_s: wall.map(|w| w.ci_high),
        user_median_s: case.user_s.as_ref().map(|s| s.median),
        sys_median_s: case.sys_s.as_ref().map(|s| s.median),
        peak_rss_bytes: case.peak_rss_bytes,
        tree_peak_bytes: case.tree_peak_bytes,
        artifact_bytes: case.artifact_bytes,
        baseline: case.baseline,
        ratio: comparison.map(|c| c.ratio),
        ratio_ci_low: comparison.map(|c| c.ci_low),
        ratio_ci_high: comparison.map(|c| c.ci_high),
        comparison: Text::or_empty(comparison.map(|c| c.verdict.as_str())),
        label: Text::or_empty(case.label.clone()),
        sweep: Text::or_empty(case.point.as_ref().map(|p| p.name.clone())),
        sweep_value: case.point.as_ref().map(|p| p.value),
        backed_by: Text::or_empty(case.backed_by.clone()),
        packages: Text::or_empty(case.packages.map(|p| p.as_str())),
        env: Text::of(
            case.env
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}

/// A header, then one record per row, every cell quoted as RFC 4180 needs and defused.
pub fn write_rows(
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(header)?;
    for row in rows {
        csv.write_record(row.iter().map(|cell| defused(cell).into_owned()))?;
    }
    csv.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(defused("plain"), "plain");
        assert_eq!(defused("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defused("+1+cmd"), "'+1+cmd");
        assert_eq!(defused("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defused("-0.5"), "-0.5");
        assert_eq!(defused("-1e-3"), "-1e-3");
        assert_eq!(defused("-x"), "'-x");
    }

    #[test]
    fn rows_are_quoted_by_rfc_4180() {
        let mut out = Vec::new();
        let rows = [vec!["a,b".to_string(), "say \"hi\"".to_string()]];
        write_rows(&["x", "y"], rows.into_iter(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "x,y\n\"a,b\",\"say \"\"hi\"\"\"\n"
        );
    }
}
