//! A run stored by the real runner and store, with scripted timings, on Go and two CPythons.

use super::*;
use crate::language::Language;
use crate::measure::scripted::{Script, ScriptedExecutor};
use crate::plan::Plan;
use crate::report::Report;
use crate::runner::{Profile, Runner, Silent};
use crate::store::{RunStatus, Store, StoredRun};
use crate::testing::{case, group, toolchain};

const OUT: &[u8] = b"ok\n";

fn cpython_3_10() -> Toolchain {
    let mut t = toolchain(Language::Python);
    t.id = "cpython-3.10.13".into();
    t.version = "3.10.13".into();
    t
}

/// n-body and spectral-norm on Go, CPython 3.11.7 and 3.10.13 (listed newest first: the
/// report still takes 3.10 as the oldest), and a startup floor measured on Python only.
fn two_cpythons() -> StoredRun {
    let on_3_10 = |mut case: crate::case::CaseSpec| {
        case.toolchain = Some(cpython_3_10());
        case
    };
    let workload = |name: &str, prefix: &str| {
        group(
            &format!("{name} (default)"),
            vec![
                case(name, Language::Go, &format!("go-{prefix}"), OUT),
                case(name, Language::Python, &format!("py311-{prefix}"), OUT),
                on_3_10(case(
                    name,
                    Language::Python,
                    &format!("py310-{prefix}"),
                    OUT,
                )),
            ],
            Some(0),
        )
    };
    let plan = Plan {
        groups: vec![
            workload("cpu/nbody", "nbody"),
            workload("cpu/spectral-norm", "sn"),
        ],
    };
    let mut executor = ScriptedExecutor::new();
    for (program, wall) in [
        ("go-nbody", 0.010),
        ("py310-nbody", 0.800),
        ("py311-nbody", 0.600),
        ("go-sn", 0.020),
        ("py310-sn", 1.000),
        ("py311-sn", 0.900),
    ] {
        executor = executor.script(program, Script::ok(&[wall], OUT));
    }
    let store = Store::in_memory().unwrap();
    let toolchains = [
        toolchain(Language::Go),
        toolchain(Language::Python),
        cpython_3_10(),
    ];
    let mut writer = store
        .begin_run(&crate::testing::run_meta(), &toolchains)
        .unwrap();
    Runner {
        executor: &mut executor,
        profile: Profile::fixed(5, 0),
        sink: &mut writer,
        events: &mut Silent,
    }
    .run(&plan)
    .unwrap();
    writer.finish(RunStatus::Complete).unwrap();
    store.load_run(writer.run_id).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn each_cpython_is_compared_with_the_oldest_and_with_go() {
    let report = Report::from_run(&two_cpythons());
    let found = &report.findings.cpython_versions;
    assert_eq!(found.versions, ["cpython 3.10.13", "cpython 3.11.7"]);
    let row = |workload: &str, toolchain: &str| {
        found
            .rows
            .iter()
            .find(|r| r.workload == workload && r.toolchain == toolchain)
            .unwrap_or_else(|| panic!("no row of {workload} on {toolchain}: {found:?}"))
    };
    let oldest = row("cpu/nbody", "cpython 3.10.13");
    assert!(oldest.against_oldest.is_none(), "{oldest:?}");
    assert_eq!(oldest.oldest, "cpython 3.10.13");
    assert!(close(oldest.against_go.as_ref().unwrap().ratio, 80.0));
    let newer = row("cpu/nbody", "cpython 3.11.7");
    let against_oldest = newer.against_oldest.as_ref().unwrap();
    assert!(close(against_oldest.ratio, 0.75), "{against_oldest:?}");
    assert_eq!(against_oldest.verdict, Verdict::Faster);
    assert_eq!(against_oldest.pairs, 5);
    assert!(close(newer.against_go.as_ref().unwrap().ratio, 60.0));
    assert!(close(
        row("cpu/spectral-norm", "cpython 3.11.7")
            .against_oldest
            .as_ref()
            .unwrap()
            .ratio,
        0.9
    ));
    let [summary] = found.summaries.as_slice() else {
        panic!("one summary, of 3.11 against 3.10: {:?}", found.summaries);
    };
    assert_eq!(summary.toolchain, "cpython 3.11.7");
    assert_eq!(summary.workloads, 2);
    assert!(close(summary.geometric_mean.value, (0.75f64 * 0.9).sqrt()));
    let [claim] = found.claim_check.as_slice() else {
        panic!(
            "3.11 against 3.10 is the claim's pair: {:?}",
            found.claim_check
        );
    };
    assert_eq!(
        (claim.toolchain.as_str(), claim.oldest.as_str()),
        ("cpython 3.11.7", "cpython 3.10.13")
    );
}

#[test]
fn the_section_names_the_claim_in_the_terminal_markdown_and_json() {
    let run = two_cpythons();
    let render = |format| {
        let mut out = Vec::new();
        crate::report::render(&run, format, None, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let terminal = render(crate::report::Format::Table);
    assert!(terminal.contains("\ncpython versions:\n"), "{terminal}");
    assert!(terminal.contains("Faster CPython"), "{terminal}");
    assert!(
        terminal.contains(
            "cpython 3.11.7: against the oldest 0.750× [0.750, 0.750] wall; \
             against Go 60.0× [60.0, 60.0] wall"
        ),
        "{terminal}"
    );
    let markdown = render(crate::report::Format::Markdown);
    assert!(markdown.contains("### CPython versions"), "{markdown}");
    let json: serde_json::Value =
        serde_json::from_str(&render(crate::report::Format::Json)).unwrap();
    let rows = &json["findings"]["cpython_versions"]["rows"];
    assert_eq!(rows.as_array().unwrap().len(), 4, "{rows}");
    assert!(rows[0]["against_oldest"].is_null());
    assert!(rows[1]["against_oldest"]["ratio"].as_f64().is_some());
    assert_eq!(rows[1]["against_oldest"]["metric"], "wall");
}

#[test]
fn a_run_of_one_cpython_has_no_such_section() {
    let mut run = two_cpythons();
    run.toolchains.retain(|t| t.id != "cpython-3.10.13");
    run.cases
        .retain(|c| c.toolchain_id.as_deref() != Some("cpython-3.10.13"));
    let report = Report::from_run(&run);
    assert!(report.findings.cpython_versions.rows.is_empty());
    assert!(
        !crate::report::table::sections(&report)
            .iter()
            .any(|(title, _)| *title == "CPython versions")
    );
}
