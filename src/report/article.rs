//! The article's comparison table, regenerated: one row per factor, the article's words for
//! each language, what this run measured (with its interval), and whether the measurement
//! agrees, contradicts or adds nuance. Factors one machine cannot measure show cited, dated
//! figures (reference/cited.toml) and say so.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::cited::{Cited, cited_for};
pub use super::evidence::Inputs;
use super::evidence::{Evidence, evidence};
use crate::language::Language;
use crate::names::named_enum;

const ARTICLE: &str = include_str!("../../reference/article.toml");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Factor {
    key: String,
    name: String,
    python: String,
    go: String,
    measure: String,
    /// The language the article's words favour on this factor.
    favours: Option<Language>,
    cited: Option<String>,
}

#[derive(Deserialize)]
struct ArticleFile {
    factor: Vec<Factor>,
}

// The file is part of the build and parsed by a test, so a parse error cannot reach users.
static FACTORS: LazyLock<Vec<Factor>> = LazyLock::new(|| {
    toml::from_str::<ArticleFile>(ARTICLE).map_or_else(|_| Vec::new(), |f| f.factor)
});

named_enum! {
    /// How a measurement stands to the article's words.
    pub enum Stance {
        Agrees => "agrees",
        Contradicts => "contradicts",
        Nuance => "adds nuance",
        NotMeasured => "not measured",
        Cited => "cited, not measured",
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ArticleRow {
    pub key: String,
    pub factor: String,
    pub python_says: String,
    pub go_says: String,
    /// What this run measured, in words and numbers; or what to run to measure it.
    pub measured: String,
    pub stance: Stance,
    pub cited: Vec<Cited>,
}

pub fn rows(inputs: &Inputs) -> Vec<ArticleRow> {
    FACTORS
        .iter()
        .map(|factor| {
            let evidence = evidence(&factor.measure, inputs);
            let stance = stance_of(&factor.measure, factor.favours, &evidence);
            let mut measured = evidence.text;
            if let Some(nuance) = evidence.nuance {
                measured.push_str(&format!("; {nuance}"));
            }
            ArticleRow {
                cited: cited_for(factor.cited.as_deref().unwrap_or_default())
                    .cloned()
                    .collect(),
                key: factor.key.clone(),
                factor: factor.name.clone(),
                python_says: factor.python.clone(),
                go_says: factor.go.clone(),
                measured,
                stance,
            }
        })
        .collect()
}

/// How `evidence` for `measure` stands to words that favour `article` (none: favour neither).
/// Agrees when the measurement favours the side the article does (with no qualification),
/// contradicts when it favours the other side, adds nuance otherwise.
pub fn stance_of(measure: &str, article: Option<Language>, evidence: &Evidence) -> Stance {
    if !evidence.measured {
        return if measure == "cited" || measure.starts_with("cited:") {
            Stance::Cited
        } else {
            Stance::NotMeasured
        };
    }
    match (evidence.favours, article) {
        (Some(measured), Some(article)) if measured == article && evidence.nuance.is_none() => {
            Stance::Agrees
        }
        (Some(measured), Some(article)) if measured != article => Stance::Contradicts,
        _ => Stance::Nuance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_file_parses_and_each_cited_factor_has_figures() {
        let article: ArticleFile = toml::from_str(ARTICLE).expect("reference/article.toml parses");
        assert_eq!(article.factor.len(), 9);
        for factor in &article.factor {
            if let Some(key) = &factor.cited {
                assert!(cited_for(key).next().is_some(), "no cited figure for {key}");
            }
        }
    }
}
