//! `versus advise`: the article's decision rule applied to the user's goals and priorities, with
//! the evidence of this machine's stored runs for each reason. The rules are data
//! (reference/advice.toml); this module only weighs them. It is analysis of stored runs, as the
//! evidence it weighs is, so it sits in the report beside it (a report shows the article's choices
//! weighed the same way); `crate::advise` names it for the command.

use serde::{Deserialize, Serialize};

use super::evidence::Evidence;
use crate::error::UserError;
use crate::language::Language;

const ADVICE: &str = include_str!("../../reference/advice.toml");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub key: String,
    pub name: String,
    /// The language the article's rule picks (none: the measurement alone decides).
    pub language: Option<Language>,
    pub rule: String,
    pub reasons: Vec<ReasonSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonSpec {
    #[serde(flatten)]
    pub source: Source,
    pub weight: u32,
}

/// Where a reason's evidence comes from.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A measure of a stored run (`runtime-speed`, `data` …).
    Measure(String),
    /// Figures of reference/cited.toml under this factor key.
    Cited(String),
    /// The user's own situation: nothing to measure or cite.
    Stated(bool),
}

impl Source {
    /// The key evidence is looked up by (`cited:KEY` for cited figures).
    pub fn key(&self) -> String {
        match self {
            Source::Measure(measure) => measure.clone(),
            Source::Cited(key) => format!("cited:{key}"),
            Source::Stated(_) => "stated".into(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Skip {
    text: String,
    when: Vec<String>,
    measure: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub goal: Vec<Rule>,
    pub priority: Vec<Rule>,
    skip: Vec<Skip>,
}

impl Rules {
    pub fn load() -> Rules {
        toml::from_str(ADVICE).expect("reference/advice.toml is part of the build and tested")
    }

    /// The article's "What to skip" warnings, in its order.
    pub fn skip_texts(&self) -> Vec<&str> {
        self.skip.iter().map(|s| s.text.as_str()).collect()
    }
}

/// The version of `advise --format json`; bumped on any change that is not a pure addition.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct Advice {
    /// [`SCHEMA_VERSION`]: `advise --format json` is a document of its own.
    pub schema_version: u32,
    /// `Some` for one language; `None` for both (a split) or either (a tie).
    pub language: Option<Language>,
    pub recommendation: String,
    pub considerations: Vec<Consideration>,
    pub skips: Vec<SkipWarning>,
    /// Commands that would measure what no stored run has measured yet.
    pub to_measure: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Consideration {
    /// `goal` or `priority`.
    pub kind: &'static str,
    pub key: String,
    pub name: String,
    pub article_language: Option<Language>,
    pub rule: String,
    pub reasons: Vec<ReasonOutcome>,
    /// Where this consideration's reasons point, on balance.
    pub leans: Option<Language>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReasonOutcome {
    pub measure: String,
    pub evidence: String,
    pub measured: bool,
    pub counted_for: Option<Language>,
    pub weight: u32,
    /// The measurement favours the other language than the article's rule.
    pub differs_from_article: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct SkipWarning {
    pub text: String,
    pub evidence: Option<String>,
}

/// Weighs the selected goals and priorities. `evidence` gives the newest stored evidence for a
/// measure (or for a cited key, prefixed `cited:`).
pub fn advise(
    goals: &[String],
    priorities: &[String],
    evidence: &dyn Fn(&str) -> Evidence,
) -> Result<Advice, UserError> {
    let rules = Rules::load();
    let pick = |keys: &[String], from: &[Rule], what: &str| -> Result<Vec<Rule>, UserError> {
        keys.iter()
            .map(|key| {
                from.iter().find(|r| &r.key == key).cloned().ok_or_else(|| {
                    let known: Vec<&str> = from.iter().map(|r| r.key.as_str()).collect();
                    UserError::usage(
                        format!("unknown {what} `{key}`"),
                        format!("use one of: {}", known.join(", ")),
                    )
                })
            })
            .collect()
    };
    let dedup = |keys: &[String]| {
        let mut unique: Vec<String> = Vec::new();
        for key in keys {
            if !unique.contains(key) {
                unique.push(key.clone());
            }
        }
        unique
    };
    let goals = pick(&dedup(goals), &rules.goal, "goal")?;
    let priorities = pick(&dedup(priorities), &rules.priority, "priority")?;
    if goals.is_empty() && priorities.is_empty() {
        return Err(UserError::usage(
            "advise needs at least one --goal or --priority",
            "e.g. versus advise --goal backend --priority latency (run it in a terminal for questions)",
        ));
    }
    let considerations: Vec<Consideration> = goals
        .iter()
        .map(|r| consider("goal", r, evidence))
        .chain(priorities.iter().map(|r| consider("priority", r, evidence)))
        .collect();
    let (language, recommendation) = recommend(&considerations);
    let chosen: Vec<&str> = considerations.iter().map(|c| c.key.as_str()).collect();
    let skips = rules
        .skip
        .iter()
        .filter(|s| s.when.iter().any(|w| chosen.contains(&w.as_str())))
        .map(|s| SkipWarning {
            text: s.text.clone(),
            evidence: s.measure.as_ref().map(|m| evidence(m).text),
        })
        .collect();
    let mut to_measure: Vec<String> = Vec::new();
    for reason in considerations.iter().flat_map(|c| &c.reasons) {
        let measurable = !reason.measure.starts_with("cited:") && reason.measure != "stated";
        if measurable && !reason.measured && !to_measure.contains(&reason.evidence) {
            to_measure.push(reason.evidence.clone());
        }
    }
    Ok(Advice {
        schema_version: SCHEMA_VERSION,
        language,
        recommendation,
        considerations,
        skips,
        to_measure,
    })
}

fn consider(kind: &'static str, rule: &Rule, evidence: &dyn Fn(&str) -> Evidence) -> Consideration {
    let reasons: Vec<ReasonOutcome> = rule
        .reasons
        .iter()
        .map(|reason| {
            let found = match &reason.source {
                Source::Stated(_) => Evidence {
                    measured: false,
                    text: "your situation, as you stated it".into(),
                    favours: None,
                    nuance: None,
                },
                source => evidence(&source.key()),
            };
            let counted_for = if found.measured {
                found.favours
            } else {
                // Unmeasured, cited or stated: the rule's own language, unverified here.
                rule.language
            };
            ReasonOutcome {
                measure: reason.source.key(),
                differs_from_article: found.measured
                    && found.favours.is_some()
                    && rule.language.is_some()
                    && found.favours != rule.language,
                evidence: found.text,
                measured: found.measured,
                counted_for,
                weight: reason.weight,
            }
        })
        .collect();
    Consideration {
        kind,
        key: rule.key.clone(),
        name: rule.name.clone(),
        article_language: rule.language,
        rule: rule.rule.clone(),
        leans: leaning(&reasons.iter().collect::<Vec<_>>()),
        reasons,
    }
}

/// Where reasons lean. Measured reasons that favour a language decide; only when none does do
/// the others (cited, stated, not yet measured) count.
fn leaning(reasons: &[&ReasonOutcome]) -> Option<Language> {
    let decisive: Vec<&&ReasonOutcome> = reasons
        .iter()
        .filter(|r| r.measured && r.counted_for.is_some())
        .collect();
    let counted: Vec<&&ReasonOutcome> = if decisive.is_empty() {
        reasons.iter().filter(|r| !r.measured).collect()
    } else {
        decisive
    };
    let weight = |language| -> u32 {
        counted
            .iter()
            .filter(|r| r.counted_for == Some(language))
            .map(|r| r.weight)
            .sum()
    };
    match weight(Language::Python).cmp(&weight(Language::Go)) {
        std::cmp::Ordering::Greater => Some(Language::Python),
        std::cmp::Ordering::Less => Some(Language::Go),
        std::cmp::Ordering::Equal => None,
    }
}

/// One language when every goal (with the priorities) leans the same way; a split when goals
/// lean apart ("Python for the data pipeline, Go for the service"); either on a tie. Says so when
/// the measurements lead away from the article's rule.
fn recommend(considerations: &[Consideration]) -> (Option<Language>, String) {
    let priorities: Vec<&ReasonOutcome> = considerations
        .iter()
        .filter(|c| c.kind == "priority")
        .flat_map(|c| &c.reasons)
        .collect();
    let goals: Vec<&Consideration> = considerations.iter().filter(|c| c.kind == "goal").collect();
    let article: Vec<Language> = considerations
        .iter()
        .filter_map(|c| c.article_language)
        .collect();
    let against_article = |language: Language| {
        if !article.is_empty() && article.iter().all(|a| *a != language) {
            format!(
                " (the article's rule says {}; this machine's measurements say otherwise)",
                article[0].title()
            )
        } else {
            String::new()
        }
    };
    if goals.is_empty() {
        return match leaning(&priorities) {
            Some(language) => (
                Some(language),
                format!(
                    "{} for what matters most to you{}",
                    language.title(),
                    against_article(language)
                ),
            ),
            None => (
                None,
                "either: your priorities do not separate the two languages".into(),
            ),
        };
    }
    let per_goal: Vec<(&Consideration, Option<Language>)> = goals
        .iter()
        .map(|g| {
            let reasons: Vec<&ReasonOutcome> =
                g.reasons.iter().chain(priorities.iter().copied()).collect();
            (*g, leaning(&reasons))
        })
        .collect();
    let languages: Vec<Language> = per_goal.iter().filter_map(|(_, l)| *l).collect();
    let one_language = !languages.is_empty() && languages.iter().all(|l| *l == languages[0]);
    if one_language && languages.len() == per_goal.len() {
        let language = languages[0];
        return (
            Some(language),
            format!("{}{}", language.title(), against_article(language)),
        );
    }
    if languages.is_empty() {
        return (
            None,
            "either: the reasons weigh the same for both languages".into(),
        );
    }
    let split: Vec<String> = per_goal
        .iter()
        .map(|(g, l)| match l {
            Some(l) => format!("{} for {}", l.title(), g.name),
            None => format!("either for {}", g.name),
        })
        .collect();
    let prefix = if one_language { "mostly" } else { "both" };
    (None, format!("{prefix}: {}", split.join("; ")))
}

#[cfg(test)]
mod tests;
