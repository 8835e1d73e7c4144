//! The article's comparison table, regenerated: one row per factor, the article's words for
//! each language, what this run measured (with its interval), and whether the measurement
//! agrees, contradicts or adds nuance. Factors one machine cannot measure show cited, dated
//! figures (reference/cited.toml) and say so.

use serde::{Deserialize, Serialize};

pub use super::evidence::Inputs;
use super::evidence::{Evidence, evidence};
use crate::language::Language;
use crate::names::named_enum;

const ARTICLE: &str = include_str!("../../reference/article.toml");
const CITED: &str = include_str!("../../reference/cited.toml");

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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cited {
    pub factor: String,
    pub python: String,
    pub go: String,
    pub counts: String,
    pub source: String,
    pub url: String,
    pub year: u32,
    pub quote: String,
}

#[derive(Deserialize)]
struct CitedFile {
    figure: Vec<Cited>,
}

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
    // Both files are part of the build and checked by tests.
    let factors = toml::from_str::<ArticleFile>(ARTICLE).map_or_else(|_| Vec::new(), |f| f.factor);
    let cited = cited();
    factors
        .into_iter()
        .map(|factor| {
            let evidence = evidence(&factor.measure, inputs);
            let stance = stance(&factor, &evidence);
            let mut measured = evidence.text;
            if let Some(nuance) = evidence.nuance {
                measured.push_str(&format!("; {nuance}"));
            }
            ArticleRow {
                cited: cited
                    .iter()
                    .filter(|c| Some(&c.factor) == factor.cited.as_ref())
                    .cloned()
                    .collect(),
                key: factor.key,
                factor: factor.name,
                python_says: factor.python,
                go_says: factor.go,
                measured,
                stance,
            }
        })
        .collect()
}

/// Agrees when the measurement favours the side the article does (with no qualification),
/// contradicts when it favours the other side, adds nuance otherwise.
fn stance(factor: &Factor, evidence: &Evidence) -> Stance {
    if !evidence.measured {
        return if factor.measure == "cited" {
            Stance::Cited
        } else {
            Stance::NotMeasured
        };
    }
    match (evidence.favours, factor.favours) {
        (Some(measured), Some(article)) if measured == article && evidence.nuance.is_none() => {
            Stance::Agrees
        }
        (Some(measured), Some(article)) if measured != article => Stance::Contradicts,
        _ => Stance::Nuance,
    }
}

pub fn cited() -> Vec<Cited> {
    toml::from_str::<CitedFile>(CITED).map_or_else(|_| Vec::new(), |f| f.figure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_and_cited_files_parse() {
        let article: ArticleFile = toml::from_str(ARTICLE).expect("reference/article.toml parses");
        assert_eq!(article.factor.len(), 9);
        let cited: CitedFile = toml::from_str(CITED).expect("reference/cited.toml parses");
        for factor in &article.factor {
            if let Some(key) = &factor.cited {
                assert!(
                    cited.figure.iter().any(|f| &f.factor == key),
                    "no cited figure for {key}"
                );
            }
        }
        assert!(
            cited
                .figure
                .iter()
                .all(|f| !f.source.is_empty() && f.year > 2000)
        );
    }
}
