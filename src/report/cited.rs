//! Figures one machine cannot measure (job demand, ecosystem size, what surveys found), each
//! with its source, year and the words it was quoted from: reference/cited.toml.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

const CITED: &str = include_str!("../../reference/cited.toml");

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

impl Cited {
    /// The figures for each language it gives: `Python 57.9%, Go 16.4%`.
    pub fn figures(&self) -> String {
        [("Python", &self.python), ("Go", &self.go)]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(l, v)| format!("{l} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The first clause of what the figure counts; the full provenance is in `counts`.
    pub fn counts_briefly(&self) -> &str {
        self.counts.split(';').next().unwrap_or(&self.counts).trim()
    }
}

// The file is part of the build and parsed by a test, so a parse error cannot reach users.
static CITED_FIGURES: LazyLock<Vec<Cited>> =
    LazyLock::new(|| toml::from_str::<CitedFile>(CITED).map_or_else(|_| Vec::new(), |f| f.figure));

/// The cited figures of one factor (`cited = "…"` in reference/article.toml).
pub fn cited_for(key: &str) -> impl Iterator<Item = &'static Cited> + use<'_> {
    CITED_FIGURES
        .iter()
        .filter(move |c| !key.is_empty() && c.factor == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cited_file_parses_and_every_figure_has_a_source_and_a_year() {
        let cited: CitedFile = toml::from_str(CITED).expect("reference/cited.toml parses");
        assert!(!cited.figure.is_empty());
        assert!(
            cited
                .figure
                .iter()
                .all(|f| !f.source.is_empty() && f.year > 2000)
        );
    }
}
