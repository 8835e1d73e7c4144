//! The article's choices and warnings, weighed with the run: each quoted, its verdict, and the
//! evidence of each of its reasons, under the article's table.

use std::fmt::Write as _;

use super::escape;
use crate::report::article::Stance;
use crate::report::model::Report;
use crate::report::sentences::{Check, verdict};

fn class(stance: Stance) -> &'static str {
    match stance {
        Stance::Agrees => "agrees",
        Stance::Contradicts => "contradicts",
        Stance::Nuance => "nuance",
        Stance::NotMeasured | Stance::Cited => "muted",
    }
}

fn checks(checks: &[Check], run_id: i64, page: &mut String) {
    page.push_str("<ul>");
    for check in checks {
        let mut cited = String::new();
        for c in &check.cited {
            let _ = write!(
                cited,
                "<br><span class=\"muted\">cited: {} ({}, {})</span>",
                escape(&c.figures()),
                c.year,
                escape(&c.url)
            );
        }
        let _ = write!(
            page,
            "<li><span class=\"{}\">{}</span> — {}{cited}</li>",
            class(check.stance),
            verdict(check.stance),
            escape(&check.text(run_id))
        );
    }
    page.push_str("</ul>");
}

pub fn choices(report: &Report, page: &mut String) {
    let found = &report.choices;
    if found.choices.is_empty() {
        return;
    }
    let _ = write!(
        page,
        "<h2 id=\"choices\">{} (the article, weighed with this run)</h2>",
        escape(&found.heading)
    );
    for choice in &found.choices {
        let _ = write!(
            page,
            "<p>“{}”<br><strong class=\"{}\">{}</strong> — {}</p>",
            escape(&choice.quote),
            class(choice.stance),
            verdict(choice.stance),
            escape(&choice.summary())
        );
        checks(&choice.checks, report.run_id, page);
    }
    let _ = write!(
        page,
        "<h2 id=\"skips\">{} (the article, checked with this run)</h2>",
        escape(&found.skip.heading)
    );
    for claim in &found.skip.claims {
        let _ = write!(page, "<p>“{}”</p>", escape(&claim.quote));
        checks(&claim.checks, report.run_id, page);
    }
}
