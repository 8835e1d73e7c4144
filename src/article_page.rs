//! `versus article`: the article (../shared/article-python-vs-go.txt) rewritten with one stored
//! run's numbers, in its own order and under its headings. The article's sentences and the
//! evidence each maps to are data (reference/article-text.toml); the evidence is the report's
//! (src/report/evidence.rs), the choices are weighed as `versus advise` weighs them, and the
//! comparison table is the report's own. Nothing here measures or estimates anything.

mod faq;
mod html;
mod render;
#[cfg(test)]
mod tests;

use std::io::Write;

use serde::Serialize;

use crate::report::Report;
use crate::report::article::ArticleRow;
use crate::report::choices::Choices;
use crate::report::sentences::{ARTICLE_TEXT, Check, Claim, Evidences, Section};
use crate::store::StoredRun;
use crate::text::Printable;

pub use faq::{Number, Question};

/// The version of `versus article --format json`; bumped on any change that is not a pure
/// addition.
pub const SCHEMA_VERSION: u32 = 1;

/// What `versus article` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Text,
    Json,
    Html,
}

#[derive(Clone, Debug, Serialize)]
pub struct Page {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    pub title: String,
    pub run_id: i64,
    /// `2026-11-27T17:00:00Z · profile quick · Test CPU · 2 cores`.
    pub run: String,
    pub short_answer: Section,
    pub core_difference: Section,
    pub comparison: Comparison,
    /// "Which should you choose?" and "What to skip", as the report weighs them.
    pub choose: Choices,
    pub faq: Faq,
    /// What would measure what this run did not, once each.
    pub to_measure: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub heading: String,
    /// The report's regenerated comparison table.
    pub rows: Vec<ArticleRow>,
    pub claims: Vec<Claim>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Faq {
    pub heading: String,
    pub questions: Vec<Question>,
}

impl Page {
    pub fn of(run: &StoredRun) -> Page {
        let report = Report::from_run(run);
        let evidences = Evidences::new(report.inputs());
        let text = &*ARTICLE_TEXT;
        let mut page = Page {
            schema_version: SCHEMA_VERSION,
            title: text.title.clone(),
            run_id: report.run_id,
            run: format!(
                "{} · profile {} · {} · {} cores",
                report.run.started_at,
                report.run.profile,
                report.environment.cpu_model,
                report.environment.cores
            ),
            short_answer: evidences.section(&text.short_answer),
            core_difference: evidences.section(&text.core_difference),
            comparison: Comparison {
                heading: text.comparison.heading.clone(),
                rows: report.article.clone(),
                claims: evidences.claims(&text.comparison.claim),
            },
            choose: report.choices.clone(),
            faq: Faq {
                heading: text.faq.heading.clone(),
                questions: text
                    .faq
                    .question
                    .iter()
                    .map(|q| faq::answer(q, &evidences, &report))
                    .collect(),
            },
            to_measure: Vec::new(),
        };
        page.to_measure = page.commands();
        page
    }

    /// Every check on the page, in its order.
    pub fn checks(&self) -> impl Iterator<Item = &Check> {
        let claims = [
            &self.short_answer.claims,
            &self.core_difference.claims,
            &self.comparison.claims,
            &self.choose.skip.claims,
        ]
        .into_iter()
        .flatten()
        .chain(self.faq.questions.iter().flat_map(|q| &q.answer));
        claims
            .flat_map(|c| &c.checks)
            .chain(self.choose.choices.iter().flat_map(|c| &c.checks))
    }

    fn commands(&self) -> Vec<String> {
        let mut commands: Vec<String> = Vec::new();
        let numbers = self
            .faq
            .questions
            .iter()
            .flat_map(|q| &q.numbers)
            .filter_map(|n| n.command.as_ref());
        for command in self
            .checks()
            .filter_map(|c| c.command.as_ref())
            .chain(numbers)
        {
            if !commands.contains(command) {
                commands.push(command.clone());
            }
        }
        commands
    }
}

/// Writes the page of `run` in `format`, through [`Printable`] as the report does. `width`
/// bounds the lines of the text format.
pub fn render(
    run: &StoredRun,
    format: Format,
    width: Option<usize>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let page = Page::of(run);
    match format {
        Format::Markdown => render::write_markdown(&page, &mut Printable::new(out))?,
        Format::Text => render::write_text(&page, &mut Printable::new(out), width)?,
        Format::Html => html::write(&page, &mut Printable::html(out))?,
        Format::Json => crate::text::write_json(out, &page)?,
    }
    Ok(())
}
