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

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::advise;
use crate::language::Language;
use crate::report::Report;
use crate::report::article::{ArticleRow, Cited, Stance, cited_for, stance_of};
use crate::report::evidence::{self, Evidence};
use crate::store::StoredRun;
use crate::text::Printable;

pub use faq::{Number, Question};

/// The version of `versus article --format json`; bumped on any change that is not a pure
/// addition.
pub const SCHEMA_VERSION: u32 = 1;

const TEXT: &str = include_str!("../reference/article-text.toml");

/// What `versus article` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Text,
    Json,
    Html,
}

// --- reference/article-text.toml --------------------------------------------------------------

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleText {
    title: String,
    measure: BTreeMap<String, MeasureSpec>,
    short_answer: SectionSpec,
    core_difference: SectionSpec,
    comparison: SectionSpec,
    choose: ChooseSpec,
    skip: SectionSpec,
    faq: FaqSpec,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureSpec {
    command: String,
    regime: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionSpec {
    heading: String,
    claim: Vec<ClaimSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimSpec {
    text: String,
    checks: Vec<CheckSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckSpec {
    measure: String,
    favours: Option<Language>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChooseSpec {
    heading: String,
    choice: Vec<ChoiceSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoiceSpec {
    text: String,
    goal: Option<String>,
    priority: Option<String>,
    #[serde(default)]
    checks: Vec<CheckSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaqSpec {
    heading: String,
    question: Vec<faq::QuestionSpec>,
}

// The file is part of the build and parsed by a test, so a parse error cannot reach users.
static ARTICLE_TEXT: LazyLock<ArticleText> = LazyLock::new(|| {
    toml::from_str(TEXT).expect("reference/article-text.toml is part of the build and tested")
});

// --- the page ---------------------------------------------------------------------------------

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
    pub choose: Choices,
    pub skip: Section,
    pub faq: Faq,
    /// What would measure what this run did not, once each.
    pub to_measure: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
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

#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub heading: String,
    /// The report's regenerated comparison table.
    pub rows: Vec<ArticleRow>,
    pub claims: Vec<Claim>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Choices {
    pub heading: String,
    pub choices: Vec<Choice>,
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

#[derive(Clone, Debug, Serialize)]
pub struct Faq {
    pub heading: String,
    pub questions: Vec<Question>,
}

/// The evidence of one run, each measure computed once.
pub(crate) struct Evidences<'a> {
    report: &'a Report,
    found: RefCell<BTreeMap<String, Evidence>>,
}

impl<'a> Evidences<'a> {
    fn new(report: &'a Report) -> Evidences<'a> {
        Evidences {
            report,
            found: RefCell::new(BTreeMap::new()),
        }
    }

    fn of(&self, measure: &str) -> Evidence {
        if let Some(found) = self.found.borrow().get(measure) {
            return found.clone();
        }
        let found = evidence::evidence(measure, &self.report.inputs());
        self.found
            .borrow_mut()
            .insert(measure.to_string(), found.clone());
        found
    }

    fn check(&self, measure: &str, article_favours: Option<Language>) -> Check {
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
            run_id: found.measured.then_some(self.report.run_id),
            command: spec
                .map(|s| s.command.clone())
                .filter(|_| !found.measured && cited.is_empty()),
            cited,
        }
    }

    fn claims(&self, specs: &[ClaimSpec]) -> Vec<Claim> {
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

    fn section(&self, spec: &SectionSpec) -> Section {
        Section {
            heading: spec.heading.clone(),
            claims: self.claims(&spec.claim),
        }
    }
}

impl Page {
    pub fn of(run: &StoredRun) -> Page {
        let report = Report::from_run(run);
        let evidences = Evidences::new(&report);
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
            choose: Choices {
                heading: text.choose.heading.clone(),
                choices: text
                    .choose
                    .choice
                    .iter()
                    .map(|c| choice(c, &evidences))
                    .collect(),
            },
            skip: evidences.section(&text.skip),
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
            &self.skip.claims,
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

/// A choice weighed by the rule of reference/advice.toml it names, or checked sentence by
/// sentence when it names none.
fn choice(spec: &ChoiceSpec, evidences: &Evidences) -> Choice {
    let keys = |key: &Option<String>| key.iter().cloned().collect::<Vec<_>>();
    let (goals, priorities) = (keys(&spec.goal), keys(&spec.priority));
    let weighed = advise::advise(&goals, &priorities, &|m| evidences.of(m))
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
        Format::Json => {
            let mut out = Printable::json(out);
            serde_json::to_writer_pretty(&mut out, &page)?;
            writeln!(out)?;
        }
    }
    Ok(())
}
