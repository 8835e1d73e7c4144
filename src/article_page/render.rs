//! The page as Markdown and as terminal text: one skeleton of blocks (headings, quotes, items,
//! the comparison table) built once from the page, then written in either syntax (hyperfine's
//! markup exporters share one skeleton the same way).

use std::io::{self, Write};

use super::Page;
use crate::report::claims::{article_grid, cited_line};
use crate::report::grid::Grid;
use crate::report::sentences::{Claim, verdict};

pub(super) enum Block {
    Heading(usize, String),
    Para(String),
    /// One of the article's sentences.
    Quote(String),
    /// A verdict or a figure: its lead (`agrees`, `wins`) and its text.
    Item(String, String),
    /// A line under an item: a cited figure with its source.
    Sub(String),
    Table(Grid),
}

fn claim_blocks(claim: &Claim, run_id: i64, blocks: &mut Vec<Block>) {
    blocks.push(Block::Quote(claim.quote.clone()));
    if claim.checks.is_empty() {
        blocks.push(Block::Item(
            "no evidence".into(),
            "advice of the article's own: nothing measured or cited bears on it".into(),
        ));
    }
    for check in &claim.checks {
        blocks.push(Block::Item(
            verdict(check.stance).into(),
            check.text(run_id),
        ));
        blocks.extend(
            check
                .cited
                .iter()
                .map(|c| Block::Sub(format!("cited: {}", cited_line(c)))),
        );
    }
}

pub(super) fn blocks(page: &Page, line_break: &str) -> Vec<Block> {
    let id = page.run_id;
    let mut b = vec![
        Block::Heading(1, format!("{}, measured on this machine", page.title)),
        Block::Para(format!(
            "Run #{id} · {}. Each sentence of the article that makes a measurable claim is \
             quoted, then what this run says of it: the numbers with their 95% intervals, the \
             regime they were judged in, the run they come from, and a verdict.",
            page.run
        )),
    ];
    for section in [&page.short_answer, &page.core_difference] {
        b.push(Block::Heading(2, section.heading.clone()));
        section
            .claims
            .iter()
            .for_each(|c| claim_blocks(c, id, &mut b));
    }
    b.push(Block::Heading(2, page.comparison.heading.clone()));
    if !page.comparison.rows.is_empty() {
        b.push(Block::Table(article_grid(
            &page.comparison.rows,
            line_break,
        )));
    }
    page.comparison
        .claims
        .iter()
        .for_each(|c| claim_blocks(c, id, &mut b));
    b.push(Block::Heading(2, page.choose.heading.clone()));
    for choice in &page.choose.choices {
        b.push(Block::Quote(choice.quote.clone()));
        b.push(Block::Item(verdict(choice.stance).into(), choice.summary()));
        for check in &choice.checks {
            b.push(Block::Sub(format!(
                "{} — {}",
                verdict(check.stance),
                check.text(id)
            )));
        }
    }
    b.push(Block::Heading(2, page.choose.skip.heading.clone()));
    page.choose
        .skip
        .claims
        .iter()
        .for_each(|c| claim_blocks(c, id, &mut b));
    b.push(Block::Heading(2, page.faq.heading.clone()));
    for q in &page.faq.questions {
        b.push(Block::Heading(3, q.question.clone()));
        q.answer.iter().for_each(|c| claim_blocks(c, id, &mut b));
        if !q.numbers.is_empty() {
            b.push(Block::Para("By the numbers:".into()));
        }
        for n in &q.numbers {
            b.push(Block::Item(n.what.clone(), n.text.clone()));
        }
        b.extend(q.judgement.iter().map(|j| Block::Para(j.clone())));
        b.extend(q.missing.iter().map(|m| Block::Para(m.clone())));
    }
    if !page.to_measure.is_empty() {
        b.push(Block::Heading(2, "Not measured here".into()));
        b.push(Block::Para(
            "What this run did not measure, and what would measure it:".into(),
        ));
        for command in &page.to_measure {
            b.push(Block::Item("run".into(), format!("`{command}`")));
        }
    }
    b
}

pub fn write_markdown(page: &Page, out: &mut dyn Write) -> io::Result<()> {
    let mut first = true;
    for block in blocks(page, "<br>") {
        if !first && !matches!(block, Block::Item(..) | Block::Sub(_)) {
            writeln!(out)?;
        }
        first = false;
        match block {
            Block::Heading(level, text) => writeln!(out, "{} {text}", "#".repeat(level))?,
            Block::Para(text) => writeln!(out, "{text}")?,
            Block::Quote(text) => writeln!(out, "> {text}\n")?,
            Block::Item(lead, text) => writeln!(out, "- **{lead}** — {text}")?,
            Block::Sub(text) => writeln!(out, "  - {text}")?,
            Block::Table(grid) => grid.write_markdown(out)?,
        }
    }
    Ok(())
}

/// Terminal text within `width` columns (`None`: a paragraph on one line).
pub fn write_text(page: &Page, out: &mut dyn Write, width: Option<usize>) -> io::Result<()> {
    let fill = |text: &str, first: &str, rest: &str| match width {
        Some(w) => textwrap::fill(
            text,
            textwrap::Options::new(w)
                .initial_indent(first)
                .subsequent_indent(rest),
        ),
        None => format!("{first}{text}"),
    };
    for block in blocks(page, "\n") {
        match block {
            Block::Heading(level, text) => {
                let rule = if level == 1 { '=' } else { '-' };
                let heading = fill(&text, "", "");
                let long = heading
                    .lines()
                    .map(textwrap::core::display_width)
                    .max()
                    .unwrap_or(0);
                if level < 3 {
                    writeln!(out, "\n{heading}\n{}", rule.to_string().repeat(long))?;
                } else {
                    writeln!(out, "\n{heading}")?;
                }
            }
            Block::Para(text) => writeln!(out, "\n{}", fill(&text, "", ""))?,
            Block::Quote(text) => writeln!(out, "\n{}", fill(&format!("“{text}”"), "  ", "   "))?,
            Block::Item(lead, text) => writeln!(
                out,
                "{}",
                fill(&format!("{lead} — {text}"), "    · ", "      ")
            )?,
            Block::Sub(text) => writeln!(out, "{}", fill(&text, "        ", "          "))?,
            Block::Table(grid) => {
                writeln!(out)?;
                grid.write_text(out, width)?
            }
        }
    }
    Ok(())
}
