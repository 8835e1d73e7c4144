//! `versus article [RUN_ID|latest]`: the article checked against a stored run.

use crate::article_page::{self, Format};
use crate::cli::{ArticleArgs, ArticleFormat};
use crate::error::ExitCode;
use crate::settings::Settings;

pub fn run(settings: &Settings, args: &ArticleArgs) -> anyhow::Result<ExitCode> {
    let store = settings.read_store()?;
    let id = store.resolve_run(&args.run)?;
    let run = store.load_run(id)?;
    let width = super::output::text_width(settings, args.output.as_deref());
    let format = match args.format {
        ArticleFormat::Markdown => Format::Markdown,
        ArticleFormat::Text => Format::Text,
        ArticleFormat::Json => Format::Json,
        ArticleFormat::Html => Format::Html,
    };
    super::output::write_to(args.output.as_deref(), |out| {
        article_page::render(&run, format, width, out)
    })?;
    Ok(ExitCode::Ok)
}
