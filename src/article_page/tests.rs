//! The page from the report's fixed stored run (scripted timings, fixed environment): a
//! snapshot of the Markdown, and what every format must hold.

use super::*;
use crate::advise;
use crate::language::Language;
use crate::measure::scripted::{Script, ScriptedExecutor};
use crate::plan::Plan;
use crate::report::article::Stance;
use crate::report::cited::cited_for;
use crate::report::evidence::{self, Evidence};
use crate::report::sentences::{ArticleText, TEXT};
use crate::report::tests::{OUT, stored, stored_run};
use crate::runner::Profile;
use crate::suite::{Claim as SuiteClaim, Variant};
use crate::testing::{case, group};

fn rendered(format: Format, width: Option<usize>) -> String {
    let mut out = Vec::new();
    render(&stored_run(), format, width, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_article_text_parses_and_names_known_measures() {
    let text: ArticleText = toml::from_str(TEXT).expect("reference/article-text.toml parses");
    assert_eq!(text.choose.choice.len(), 6, "the article's six choices");
    assert_eq!(text.skip.claim.len(), 4, "the article's four warnings");
    assert_eq!(text.faq.question.len(), 4, "the article's four questions");
}

#[test]
fn markdown() {
    insta::assert_snapshot!(rendered(Format::Markdown, None));
}

#[test]
fn text_fits_80_columns() {
    let text = rendered(Format::Text, Some(80));
    for line in text.lines() {
        assert!(
            textwrap::core::display_width(line) <= 80,
            "{} columns: {line}",
            textwrap::core::display_width(line)
        );
    }
    assert!(text.contains("Which should you choose?"), "{text}");
}

#[test]
fn every_measure_named_is_known_and_its_command_is_the_evidences_own() {
    let text: ArticleText = toml::from_str(TEXT).unwrap();
    let typing = Default::default();
    let concurrency = Default::default();
    let backend = Default::default();
    let empty = crate::report::evidence::Inputs {
        run_id: 1,
        cases: &[],
        comparisons: &[],
        runtime_speed: &[],
        typing: &typing,
        toolchains: &[],
        concurrency: &concurrency,
        backend: &backend,
        costs: &[],
    };
    for (measure, spec) in &text.measure {
        let found = evidence::evidence(measure, &empty);
        assert!(!found.measured, "{measure}");
        assert!(
            found.text.contains(&format!("`{}`", spec.command)),
            "{measure}: the page's command `{}` is not the evidence's: {}",
            spec.command,
            found.text
        );
    }
    let sections = [
        &text.short_answer,
        &text.core_difference,
        &text.comparison,
        &text.skip,
    ];
    let checks = sections
        .iter()
        .flat_map(|s| &s.claim)
        .chain(text.faq.question.iter().flat_map(|q| &q.answer))
        .flat_map(|c| &c.checks)
        .chain(text.choose.choice.iter().flat_map(|c| &c.checks));
    for check in checks {
        match check.measure.strip_prefix("cited:") {
            Some(key) => assert!(cited_for(key).next().is_some(), "no cited figure for {key}"),
            None => assert!(
                text.measure.contains_key(&check.measure),
                "unknown measure {}",
                check.measure
            ),
        }
    }
}

#[test]
fn the_warnings_are_advices_and_every_choice_names_a_rule_or_checks() {
    let text: ArticleText = toml::from_str(TEXT).unwrap();
    let rules = advise::Rules::load();
    let quoted: Vec<&str> = text.skip.claim.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(quoted, rules.skip_texts());
    for choice in &text.choose.choice {
        let keys = |key: &Option<String>| key.iter().cloned().collect::<Vec<_>>();
        let weighed = advise::advise(&keys(&choice.goal), &keys(&choice.priority), &|_| {
            Evidence {
                measured: false,
                text: String::new(),
                favours: None,
                nuance: None,
            }
        });
        assert!(
            weighed.is_ok() || !choice.checks.is_empty(),
            "{}: names no rule of reference/advice.toml and checks nothing",
            choice.text
        );
    }
}

#[test]
fn json_is_versioned_and_every_check_says_where_it_comes_from() {
    let json: serde_json::Value =
        serde_json::from_str(&rendered(Format::Json, None)).expect("the JSON parses");
    assert_eq!(json["schema_version"], SCHEMA_VERSION);
    assert_eq!(json["run_id"], 1);
    let page = Page::of(&stored_run());
    let mut measured = 0;
    for check in page.checks() {
        if check.measured {
            measured += 1;
            assert_eq!(check.run_id, Some(1), "{check:?}");
            assert!(check.command.is_none(), "{check:?}");
        } else if check.cited.is_empty() {
            assert_eq!(check.stance, Stance::NotMeasured, "{check:?}");
            assert!(check.command.is_some(), "{check:?}");
        } else {
            assert_eq!(check.stance, Stance::Cited, "{check:?}");
        }
    }
    assert!(measured > 0);
    // The fixed run has no backend, data or interop workload: each is named once, to run.
    assert_eq!(
        page.to_measure,
        [
            "versus run data",
            "versus run backend",
            "versus run interop/nbody-go-kernel"
        ]
    );
}

/// nbody, a regex workload whose Python work is C and faster than Go's, and the interop
/// workload: pure Python, pure Go, and Python calling Go once or once per step.
fn interop_run() -> StoredRun {
    let mut py_re = case("cpu/regex-redux", Language::Python, "py-re", OUT);
    py_re.backed_by = Some("C (re module)".into());
    let interop = |language, program: &str, label: Option<&str>| {
        let mut c = case("interop/nbody-go-kernel", language, program, OUT);
        c.claim = Some(SuiteClaim::Interop);
        c.label = label.map(String::from);
        if label.is_some() {
            c.variant = Some(Variant::LibraryBacked);
        }
        c
    };
    let plan = Plan {
        groups: vec![
            group(
                "cpu/nbody (default)",
                vec![
                    case("cpu/nbody", Language::Go, "go-nbody", OUT),
                    case("cpu/nbody", Language::Python, "py-nbody", OUT),
                ],
                Some(0),
            ),
            group(
                "cpu/regex-redux (default)",
                vec![case("cpu/regex-redux", Language::Go, "go-re", OUT), py_re],
                Some(0),
            ),
            group(
                "interop/nbody-go-kernel (default)",
                vec![
                    interop(Language::Go, "go-k", None),
                    interop(Language::Python, "py-k", None),
                    interop(Language::Python, "once", Some("ctypes+go, one call")),
                    interop(Language::Python, "each", Some("ctypes+go, a call per step")),
                ],
                Some(0),
            ),
        ],
    };
    let mut executor = ScriptedExecutor::new()
        .script("go-nbody", Script::ok(&[0.010, 0.011, 0.010], OUT))
        .script("py-nbody", Script::ok(&[0.600, 0.610, 0.605], OUT))
        .script("go-re", Script::ok(&[0.100, 0.101, 0.102], OUT))
        .script("py-re", Script::ok(&[0.050, 0.051, 0.052], OUT))
        .script("go-k", Script::ok(&[0.010, 0.011, 0.010], OUT))
        .script("py-k", Script::ok(&[0.550, 0.560, 0.555], OUT))
        .script("once", Script::ok(&[0.037, 0.038, 0.037], OUT))
        .script("each", Script::ok(&[0.150, 0.152, 0.151], OUT));
    stored(&plan, &mut executor, Profile::fixed(5, 0))
}

#[test]
fn the_faq_counts_go_s_wins_says_why_python_keeps_up_and_prices_the_boundary() {
    let page = Page::of(&interop_run());
    let faster = &page.faq.questions[0];
    let numbers: Vec<&str> = faster.numbers.iter().map(|n| n.text.as_str()).collect();
    assert!(
        numbers.contains(&"Go is faster than cpython 3.11.7 on 1 of 2 runtime-speed workloads"),
        "{numbers:?}"
    );
    let keeps_up = faster
        .numbers
        .iter()
        .find(|n| n.what == "as fast or faster")
        .expect("where Python is as fast");
    assert!(
        keeps_up.text.contains("cpu/regex-redux")
            && keeps_up.text.contains("done by C (re module)")
            && keeps_up.text.contains("whole process"),
        "{}",
        keeps_up.text
    );
    let together = &page.faq.questions[3].answer[0].checks[0];
    assert_eq!(together.measure, "interop");
    assert!(together.measured, "{together:?}");
    assert_eq!(
        together.stance,
        Stance::Nuance,
        "the article favours neither"
    );
    for wanted in [
        "(whole process at the default size, start-up included)",
        "pure Python takes",
        "ctypes+go, one call takes",
        "ctypes+go, a call per step takes",
        "what its extra calls across the boundary into Go cost",
    ] {
        assert!(
            together.evidence.contains(wanted),
            "{wanted}: {}",
            together.evidence
        );
    }
    // No backend suite ran: the backend answer says so and names the command.
    let backend = &page.faq.questions[2].numbers[0];
    assert!(!backend.measured);
    assert_eq!(backend.command.as_deref(), Some("versus run backend"));
}
