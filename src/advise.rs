//! `versus advise`: the article's decision rule applied to the user's goals and priorities, with
//! the evidence of this machine's stored runs for each reason. The rules are data
//! (reference/advice.toml); this module only weighs them.

use serde::{Deserialize, Serialize};

use crate::error::UserError;
use crate::language::Language;
use crate::report::evidence::Evidence;

const ADVICE: &str = include_str!("../reference/advice.toml");

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
    pub measure: String,
    pub cited: Option<String>,
    pub weight: u32,
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
}

#[derive(Clone, Debug, Serialize)]
pub struct Advice {
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
    let goals = pick(goals, &rules.goal, "goal")?;
    let priorities = pick(priorities, &rules.priority, "priority")?;
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
        if !reason.measured && reason.measure != "cited" && !to_measure.contains(&reason.evidence) {
            to_measure.push(reason.evidence.clone());
        }
    }
    Ok(Advice {
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
            let found = match &reason.cited {
                Some(key) => evidence(&format!("cited:{key}")),
                None => evidence(&reason.measure),
            };
            let counted_for = if found.measured {
                found.favours
            } else {
                // Unmeasured or cited: the article's word stands, unverified here.
                rule.language
            };
            ReasonOutcome {
                measure: reason.measure.clone(),
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
        leans: leaning(reasons.iter()),
        reasons,
    }
}

/// The language with more weight behind it, if one has more.
fn leaning<'a>(reasons: impl Iterator<Item = &'a ReasonOutcome>) -> Option<Language> {
    let (mut python, mut go) = (0, 0);
    for reason in reasons {
        match reason.counted_for {
            Some(Language::Python) => python += reason.weight,
            Some(Language::Go) => go += reason.weight,
            None => {}
        }
    }
    match python.cmp(&go) {
        std::cmp::Ordering::Greater => Some(Language::Python),
        std::cmp::Ordering::Less => Some(Language::Go),
        std::cmp::Ordering::Equal => None,
    }
}

/// One language when every goal (with the priorities) leans the same way; a split when goals
/// lean apart ("Python for the data pipeline, Go for the service"); either on a tie.
fn recommend(considerations: &[Consideration]) -> (Option<Language>, String) {
    let priorities: Vec<&ReasonOutcome> = considerations
        .iter()
        .filter(|c| c.kind == "priority")
        .flat_map(|c| &c.reasons)
        .collect();
    let goals: Vec<&Consideration> = considerations.iter().filter(|c| c.kind == "goal").collect();
    if goals.is_empty() {
        return match leaning(priorities.into_iter()) {
            Some(language) => (
                Some(language),
                format!("{} for what matters most to you", name(language)),
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
            (
                *g,
                leaning(g.reasons.iter().chain(priorities.iter().copied())),
            )
        })
        .collect();
    let languages: Vec<Language> = per_goal.iter().filter_map(|(_, l)| *l).collect();
    let all_same = languages.windows(2).all(|w| w[0] == w[1]);
    match languages.first() {
        Some(first) if all_same && languages.len() == per_goal.len() => {
            (Some(*first), name(*first).to_string())
        }
        Some(_) if !all_same => {
            let split: Vec<String> = per_goal
                .iter()
                .filter_map(|(g, l)| l.map(|l| format!("{} for {}", name(l), g.name)))
                .collect();
            (None, format!("both: {}", split.join(", ")))
        }
        _ => (
            None,
            "either: the reasons weigh the same for both languages".into(),
        ),
    }
}

fn name(language: Language) -> &'static str {
    language.title()
}

#[cfg(test)]
mod tests;
