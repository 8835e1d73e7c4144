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
fn the_rules_file_loads_and_every_measure_is_known() {
    let rules = Rules::load();
    let known = [
        "runtime-speed",
        "startup",
        "typing",
        "code-size",
        "data",
        "memory",
        "concurrency",
        "backend",
        "cited",
    ];
    for rule in rules.goal.iter().chain(&rules.priority) {
        for reason in &rule.reasons {
            assert!(
                known.contains(&reason.measure.as_str()),
                "{}: {}",
                rule.key,
                reason.measure
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
    assert!(advice.recommendation.contains("Python for data science"));
    assert!(advice.recommendation.contains("Go for backend APIs"));
}

#[test]
fn unknown_keys_and_no_keys_are_usage_errors() {
    let evidence = machine(Language::Go, None);
    let err = advise(&keys(&["gamedev"]), &[], &evidence).unwrap_err();
    assert!(err.to_string().contains("unknown goal `gamedev`"));
    assert!(err.hint().to_string().contains("backend"));
    assert!(advise(&[], &[], &evidence).is_err());
}
