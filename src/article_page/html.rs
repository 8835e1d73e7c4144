//! The page as one self-contained HTML file in the report's style (its stylesheet, no scripts,
//! nothing fetched): the same blocks as the Markdown, every text escaped.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Page;
use super::render::{Block, blocks};
use crate::report::html::{STYLE, escape};

/// Where a verdict's colour comes from: the report's classes.
fn class_of(lead: &str) -> &'static str {
    match lead {
        "agrees" => "agrees",
        "contradicts" => "contradicts",
        "adds nuance" => "nuance",
        _ => "",
    }
}

/// Text with `code` spans, escaped.
fn inline(text: &str) -> String {
    escape(text)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_string()
            }
        })
        .collect()
}

pub fn write(page: &Page, out: &mut dyn Write) -> io::Result<()> {
    let mut html = String::new();
    let title = format!("{} — versus article #{}", page.title, page.run_id);
    let _ = write!(
        html,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>{STYLE}blockquote{{margin:1em 0 .3em;padding-left:.8em;border-left:3px solid #ccd}}\
         li.sub{{margin-left:1.5em;list-style:circle}}</style></head><body><main id=\"article-page\">",
        escape(&title)
    );
    let mut in_list = false;
    for block in blocks(page, "\n") {
        let item = matches!(block, Block::Item(..) | Block::Sub(_));
        if in_list && !item {
            html.push_str("</ul>");
        }
        if item && !in_list {
            html.push_str("<ul>");
        }
        in_list = item;
        match block {
            Block::Heading(level, text) => {
                let id = text
                    .to_ascii_lowercase()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect::<String>();
                let _ = write!(
                    html,
                    "<h{level} id=\"{}\">{}</h{level}>",
                    escape(id.trim_matches('-')),
                    escape(&text)
                );
            }
            Block::Para(text) => {
                let _ = write!(html, "<p>{}</p>", inline(&text));
            }
            Block::Quote(text) => {
                let _ = write!(html, "<blockquote>{}</blockquote>", escape(&text));
            }
            Block::Item(lead, text) => {
                let _ = write!(
                    html,
                    "<li><strong class=\"{}\">{}</strong> — {}</li>",
                    class_of(&lead),
                    escape(&lead),
                    inline(&text)
                );
            }
            Block::Sub(text) => {
                let _ = write!(html, "<li class=\"sub\">{}</li>", inline(&text));
            }
            Block::Table(grid) => {
                html.push_str("<table id=\"comparison\"><tr>");
                for header in &grid.headers {
                    let _ = write!(html, "<th>{}</th>", escape(header));
                }
                html.push_str("</tr>");
                for row in &grid.rows {
                    html.push_str("<tr>");
                    for cell in row {
                        let _ = write!(
                            html,
                            "<td class=\"{}\">{}</td>",
                            class_of(cell),
                            inline(cell).replace('\n', "<br>")
                        );
                    }
                    html.push_str("</tr>");
                }
                html.push_str("</table>");
            }
        }
    }
    if in_list {
        html.push_str("</ul>");
    }
    html.push_str("</main></body></html>\n");
    out.write_all(html.as_bytes())
}
