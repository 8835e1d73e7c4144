//! The article's "Which should you choose?" and "What to skip", weighed with one run: each
//! choice by the rule of reference/advice.toml it names, as `versus advise` weighs it, and each
//! warning checked as every sentence is. The report shows them in every format; `versus article`
//! in its own order.

use serde::Serialize;

use super::article::Stance;
use super::evidence::Inputs;
use super::sentences::{ARTICLE_TEXT, Check, ChoiceSpec, Evidences, Section};
use crate::language::Language;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Choices {
    pub heading: String,
    pub choices: Vec<Choice>,
    /// "What to skip": the four warnings, checked.
    pub skip: Section,
}

impl Choices {
    pub fn of(inputs: Inputs) -> Choices {
        let evidences = Evidences::new(inputs);
        Choices::weighed(&evidences)
    }

    /// With the evidence a page already computed.
    pub(crate) fn weighed(evidences: &Evidences) -> Choices {
        let text = &*ARTICLE_TEXT;
        Choices {
            heading: text.choose.heading.clone(),
            choices: text
                .choose
                .choice
                .iter()
                .map(|c| choice(c, evidences))
                .collect(),
            skip: evidences.section(&text.skip),
        }
    }
}

/// One of "Which should you choose?", weighed as `versus advise` weighs its rule.
#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub quote: String,
    /// `versus advise --goal learning`: the rule it is weighed by, when one is.
    pub weighed_as: Option<String>,
    pub article_language: Option<Language>,
    /// Where this run's evidence leans, weighed by the rule (none: either).
    pub leans: Option<Language>,
    pub stance: Stance,
    pub checks: Vec<Check>,
}

impl Choice {
    /// How the choice was weighed and where the reasons lean.
    pub fn summary(&self) -> String {
        let leans = self.leans.map_or("either language", |l| l.title());
        match (&self.weighed_as, self.article_language) {
            (Some(rule), Some(article)) if self.stance == Stance::NotMeasured => format!(
                "weighed as `{rule}`: nothing this run measured bears on it, so it counts for {} \
                 on the article's word",
                article.title()
            ),
            (Some(rule), Some(article)) => format!(
                "weighed as `{rule}`: on this run the reasons lean {leans} (the article: {})",
                article.title()
            ),
            (Some(rule), None) => format!("weighed as `{rule}`: the reasons lean {leans}"),
            (None, _) => "no rule of `versus advise` is this one: each half checked".into(),
        }
    }
}

/// A choice weighed by the rule of reference/advice.toml it names, or checked sentence by
/// sentence when it names none.
fn choice(spec: &ChoiceSpec, evidences: &Evidences) -> Choice {
    let keys = |key: &Option<String>| key.iter().cloned().collect::<Vec<_>>();
    let (goals, priorities) = (keys(&spec.goal), keys(&spec.priority));
    let weighed = super::advice::advise(&goals, &priorities, &|m| evidences.of(m))
        .ok()
        .and_then(|a| a.considerations.into_iter().next());
    let Some(rule) = weighed else {
        let checks: Vec<Check> = spec
            .checks
            .iter()
            .map(|k| evidences.check(&k.measure, k.favours))
            .collect();
        return Choice {
            quote: spec.text.clone(),
            weighed_as: None,
            article_language: None,
            leans: None,
            stance: overall(&checks),
            checks,
        };
    };
    let checks: Vec<Check> = rule
        .reasons
        .iter()
        .map(|r| evidences.check(&r.measure, rule.article_language))
        .collect();
    let decisive: Vec<_> = rule
        .reasons
        .iter()
        .filter(|r| r.measured && r.counted_for.is_some())
        .collect();
    let stance = if !rule.reasons.iter().any(|r| r.measured) {
        Stance::NotMeasured
    } else if decisive.is_empty() {
        Stance::Nuance
    } else if rule.leans == rule.article_language
        && !decisive.iter().any(|r| r.differs_from_article)
    {
        Stance::Agrees
    } else if rule.leans.is_some() && rule.leans != rule.article_language {
        Stance::Contradicts
    } else {
        Stance::Nuance
    };
    Choice {
        quote: spec.text.clone(),
        weighed_as: Some(format!("versus advise --{} {}", rule.kind, rule.key)),
        article_language: rule.article_language,
        leans: rule.leans,
        stance,
        checks,
    }
}

/// One verdict for several checks: agrees or contradicts when every measured one does, not
/// measured when none was, else adds nuance.
fn overall(checks: &[Check]) -> Stance {
    let measured: Vec<Stance> = checks
        .iter()
        .filter(|c| c.measured)
        .map(|c| c.stance)
        .collect();
    match measured.first() {
        None => Stance::NotMeasured,
        Some(first) if measured.iter().all(|s| s == first) => *first,
        Some(_) => Stance::Nuance,
    }
}
