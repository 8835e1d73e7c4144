use super::*;

fn measured(favours: Option<Language>, text: &str) -> Evidence {
    Evidence {
        measured: true,
        text: text.into(),
        favours,
        nuance: None,
    }
}

fn unmeasured(measure: &str) -> Evidence {
    Evidence {
        measured: false,
        text: format!("`versus run {measure}` measures it"),
        favours: None,
        nuance: None,
    }
}

/// Runtime speed measured in favour of `speed`, data in favour of `data`, the rest unmeasured.
fn machine(speed: Language, data: Option<Language>) -> impl Fn(&str) -> Evidence {
    move |measure: &str| match measure {
        "runtime-speed" => measured(Some(speed), "cpython takes 7.5x Go's time"),
        "data" => measured(data, "numpy takes 0.3x Go's time"),
        other => unmeasured(other),
    }
}

fn keys(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_rules_file_loads_and_every_source_is_known() {
    let rules = Rules::load();
    let measures = [
        "runtime-speed",
        "startup",
        "typing",
        "code-size",
        "data",
        "memory",
        "concurrency",
        "backend",
    ];
    for rule in rules.goal.iter().chain(&rules.priority) {
        assert!(!rule.reasons.is_empty(), "{} has no reason", rule.key);
        for reason in &rule.reasons {
            match &reason.source {
                Source::Measure(m) => assert!(measures.contains(&m.as_str()), "{}: {m}", rule.key),
                Source::Cited(key) => assert!(
                    crate::report::cited::cited_for(key).next().is_some(),
                    "{}: no cited figure {key}",
                    rule.key
                ),
                Source::Stated(stated) => assert!(stated, "{}: stated = false", rule.key),
            }
        }
    }
    // A typo in a skip's `when` would silently switch its warning off.
    let keys: Vec<&str> = rules
        .goal
        .iter()
        .chain(&rules.priority)
        .map(|r| r.key.as_str())
        .collect();
    for skip in &rules.skip {
        for when in &skip.when {
            assert!(
                keys.contains(&when.as_str()),
                "skip names unknown key {when}"
            );
        }
    }
}

#[test]
fn backend_and_latency_go_to_go_and_cite_the_runtime_ratio() {
    let advice = advise(
        &keys(&["backend"]),
        &keys(&["latency"]),
        &machine(Language::Go, None),
    )
    .unwrap();
    assert_eq!(advice.language, Some(Language::Go));
    let cited = advice
        .considerations
        .iter()
        .flat_map(|c| &c.reasons)
        .find(|r| r.measure == "runtime-speed")
        .unwrap();
    assert!(cited.evidence.contains("7.5x"));
    assert!(!cited.differs_from_article);
    assert!(advice.to_measure.iter().any(|m| m.contains("backend")));
    assert!(
        advice
            .skips
            .iter()
            .any(|s| s.text.contains("ultra-high-throughput"))
    );
}

#[test]
fn data_goes_to_python_and_cites_the_numpy_result() {
    let advice = advise(
        &keys(&["data"]),
        &[],
        &machine(Language::Go, Some(Language::Python)),
    )
    .unwrap();
    assert_eq!(advice.language, Some(Language::Python));
    assert!(
        advice.considerations[0]
            .reasons
            .iter()
            .any(|r| r.evidence.contains("numpy"))
    );
}

#[test]
fn a_measurement_against_the_article_is_followed_and_said() {
    // A machine where Python measured faster: the backend advice follows it and says so.
    let advice = advise(
        &keys(&["backend"]),
        &keys(&["throughput"]),
        &|measure: &str| match measure {
            "runtime-speed" | "backend" => measured(Some(Language::Python), "python faster here"),
            other => unmeasured(other),
        },
    )
    .unwrap();
    assert_eq!(advice.language, Some(Language::Python));
    assert!(
        advice
            .considerations
            .iter()
            .flat_map(|c| &c.reasons)
            .any(|r| r.differs_from_article)
    );
}

#[test]
fn only_runtime_speed_measured_in_pythons_favour_flips_the_backend_advice() {
    // backend and concurrency are not measured (no suite yet); runtime speed favours Python.
    let advice = advise(
        &keys(&["backend"]),
        &keys(&["latency"]),
        &machine(Language::Python, None),
    )
    .unwrap();
    assert_eq!(advice.language, Some(Language::Python));
    assert!(
        advice.recommendation.contains("the article's rule says Go"),
        "{}",
        advice.recommendation
    );
}

#[test]
fn data_measured_in_gos_favour_flips_the_data_advice() {
    let advice = advise(
        &keys(&["data"]),
        &[],
        &machine(Language::Go, Some(Language::Go)),
    )
    .unwrap();
    assert_eq!(advice.language, Some(Language::Go));
    assert!(
        advice.considerations[0]
            .reasons
            .iter()
            .any(|r| r.differs_from_article)
    );
    // Within noise, the cited ecosystem decides: Python.
    let tie = advise(&keys(&["data"]), &[], &machine(Language::Go, None)).unwrap();
    assert_eq!(tie.language, Some(Language::Python));
}

#[test]
fn a_tied_goal_is_named_in_the_split() {
    let advice = advise(
        &keys(&["backend", "data"]),
        &[],
        &|measure: &str| match measure {
            "runtime-speed" => measured(Some(Language::Go), "go faster"),
            "data" => measured(None, "numpy within noise"),
            other if other.starts_with("cited:") => unmeasured(other),
            other => unmeasured(other),
        },
    )
    .unwrap();
    // data: nothing measured separates → the cited ecosystem (Python); backend: Go.
    assert!(
        advice.recommendation.starts_with("both:"),
        "{}",
        advice.recommendation
    );
}

#[test]
fn goals_that_lean_apart_give_a_split() {
    let advice = advise(
        &keys(&["data", "backend"]),
        &[],
        &machine(Language::Go, Some(Language::Python)),
    )
    .unwrap();
    assert_eq!(advice.language, None);
    assert!(
        advice.recommendation.starts_with("both:"),
        "{}",
        advice.recommendation
    );
    assert!(
        advice.recommendation.contains("Python for data science"),
        "{}",
        advice.recommendation
    );
    assert!(
        advice.recommendation.contains("Go for backend APIs"),
        "{}",
        advice.recommendation
    );
}

#[test]
fn unknown_keys_and_no_keys_are_usage_errors() {
    let evidence = machine(Language::Go, None);
    let err = advise(&keys(&["gamedev"]), &[], &evidence).unwrap_err();
    assert!(err.to_string().contains("unknown goal `gamedev`"));
    assert!(err.hint().to_string().contains("backend"));
    assert!(advise(&[], &[], &evidence).is_err());
}
