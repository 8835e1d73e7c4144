//! The article's sentences (reference/article-text.toml) and what a run says of each: every
//! sentence that makes a measurable claim, with the evidence of src/report/evidence.rs for each
//! measure it names, judged as the comparison table judges its rows. `versus article` shows them
//! all; the report shows the choices and warnings (src/report/choices.rs).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::article::{Stance, stance_of};
use super::cited::{Cited, cited_for};
use super::evidence::{Evidence, Inputs, evidence};
use crate::language::Language;

pub(crate) const TEXT: &str = include_str!("../../reference/article-text.toml");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ArticleText {
    pub(crate) title: String,
    pub(crate) measure: BTreeMap<String, MeasureSpec>,
    pub(crate) short_answer: SectionSpec,
    pub(crate) core_difference: SectionSpec,
    pub(crate) comparison: SectionSpec,
    pub(crate) choose: ChooseSpec,
    pub(crate) skip: SectionSpec,
    pub(crate) faq: FaqSpec,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MeasureSpec {
    pub(crate) command: String,
    pub(crate) regime: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectionSpec {
    pub(crate) heading: String,
    pub(crate) claim: Vec<ClaimSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClaimSpec {
    pub(crate) text: String,
    pub(crate) checks: Vec<CheckSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckSpec {
    pub(crate) measure: String,
    pub(crate) favours: Option<Language>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChooseSpec {
    pub(crate) heading: String,
    pub(crate) choice: Vec<ChoiceSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChoiceSpec {
    pub(crate) text: String,
    pub(crate) goal: Option<String>,
    pub(crate) priority: Option<String>,
    #[serde(default)]
    pub(crate) checks: Vec<CheckSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaqSpec {
    pub(crate) heading: String,
    pub(crate) question: Vec<QuestionSpec>,
}

/// A question of the FAQ: the article's answer, and what the page adds to its checks.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionSpec {
    pub(crate) key: String,
    pub(crate) question: String,
    pub(crate) answer: Vec<ClaimSpec>,
    pub(crate) judgement: Option<String>,
    pub(crate) missing: Option<String>,
}

// The file is part of the build and parsed by a test, so a parse error cannot reach users.
pub(crate) static ARTICLE_TEXT: LazyLock<ArticleText> = LazyLock::new(|| {
    toml::from_str(TEXT).expect("reference/article-text.toml is part of the build and tested")
});

#[derive(Clone, Debug, Default, Serialize)]
pub struct Section {
    pub heading: String,
    pub claims: Vec<Claim>,
}

/// One of the article's sentences, quoted, and what the run says of it.
#[derive(Clone, Debug, Serialize)]
pub struct Claim {
    pub quote: String,
    pub checks: Vec<Check>,
}

/// What the run says on one measure a sentence makes a claim about.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub measure: String,
    /// The language the sentence's words favour on this measure.
    pub article_favours: Option<Language>,
    pub stance: Stance,
    pub measured: bool,
    /// The numbers with their intervals, in words; or what to run to measure it.
    pub evidence: String,
    /// The regime the figures were judged in, where the measure fixes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judged_in: Option<String>,
    /// The run the numbers come from (none when not measured or only cited).
    pub run_id: Option<i64>,
    /// The command that would measure it, when this run did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Cited figures with their sources and dates (`cited:KEY` measures).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cited: Vec<Cited>,
}

/// How a verdict is written: `agrees`, `not measured here` …
pub fn verdict(stance: Stance) -> &'static str {
    match stance {
        Stance::NotMeasured => "not measured here",
        other => other.as_str(),
    }
}

impl Check {
    /// `runtime-speed: cpython takes … (run #1); judged in: …`.
    pub fn text(&self, run_id: i64) -> String {
        let mut text = match self.measure.strip_prefix("cited:") {
            Some(key) => format!("{key}: {}", self.evidence),
            None => format!("{}: {}", self.measure, self.evidence),
        };
        if let Some(regime) = &self.judged_in {
            text.push_str(&format!("; judged in: {regime}"));
        }
        if self.run_id.is_some() && !text.contains(&format!("run #{run_id}")) {
            text.push_str(&format!(" (run #{run_id})"));
        }
        text
    }
}

/// The evidence of one run, each measure computed once.
pub(crate) struct Evidences<'a> {
    inputs: Inputs<'a>,
    found: RefCell<BTreeMap<String, Evidence>>,
}

impl<'a> Evidences<'a> {
    pub(crate) fn new(inputs: Inputs<'a>) -> Evidences<'a> {
        Evidences {
            inputs,
            found: RefCell::new(BTreeMap::new()),
        }
    }

    pub(crate) fn of(&self, measure: &str) -> Evidence {
        if let Some(found) = self.found.borrow().get(measure) {
            return found.clone();
        }
        let found = evidence(measure, &self.inputs);
        self.found
            .borrow_mut()
            .insert(measure.to_string(), found.clone());
        found
    }

    pub(crate) fn check(&self, measure: &str, article_favours: Option<Language>) -> Check {
        let found = self.of(measure);
        let spec = ARTICLE_TEXT.measure.get(measure);
        let cited: Vec<Cited> = measure
            .strip_prefix("cited:")
            .map(|key| cited_for(key).cloned().collect())
            .unwrap_or_default();
        let mut text = found.text.clone();
        if let Some(nuance) = &found.nuance {
            text.push_str(&format!("; {nuance}"));
        }
        Check {
            measure: measure.to_string(),
            article_favours,
            stance: stance_of(measure, article_favours, &found),
            measured: found.measured,
            evidence: if cited.is_empty() {
                text
            } else {
                "one machine cannot measure this; cited figures:".into()
            },
            judged_in: spec
                .and_then(|s| s.regime.clone())
                .filter(|_| found.measured),
            run_id: found.measured.then_some(self.inputs.run_id),
            command: spec
                .map(|s| s.command.clone())
                .filter(|_| !found.measured && cited.is_empty()),
            cited,
        }
    }

    pub(crate) fn claims(&self, specs: &[ClaimSpec]) -> Vec<Claim> {
        specs
            .iter()
            .map(|c| Claim {
                quote: c.text.clone(),
                checks: c
                    .checks
                    .iter()
                    .map(|k| self.check(&k.measure, k.favours))
                    .collect(),
            })
            .collect()
    }

    pub(crate) fn section(&self, spec: &SectionSpec) -> Section {
        Section {
            heading: spec.heading.clone(),
            claims: self.claims(&spec.claim),
        }
    }
}
