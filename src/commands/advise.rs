//! `versus advise`: asks (in a terminal, without flags) or reads the goals and priorities, then
//! weighs the article's rules with the evidence of this machine's newest stored runs.

use std::cell::RefCell;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::advise::{self, Advice, Rules};
use crate::cli::{AdviseArgs, Format};
use crate::codesize;
use crate::error::{ExitCode, UserError};
use crate::language::Language;
use crate::report::Report;
use crate::report::evidence::{self, Evidence};
use crate::settings::Settings;
use crate::store::Store;
use crate::suite::{Suite, Variant};
use crate::text::Printable;

/// How many recent runs are searched for each measure.
const RECENT_RUNS: usize = 8;

pub fn run(settings: &Settings, args: &AdviseArgs) -> anyhow::Result<ExitCode> {
    if !matches!(args.format, Format::Table | Format::Json) {
        return Err(UserError::usage(
            "advise writes text or JSON",
            "use --format table (the default) or --format json",
        )
        .into());
    }
    let (goals, priorities) =
        if args.goals.is_empty() && args.priorities.is_empty() && std::io::stdin().is_terminal() {
            ask()?
        } else {
            (args.goals.clone(), args.priorities.clone())
        };
    let store = settings.read_store()?;
    let runs = Runs {
        store: &store,
        ids: store.recent_run_ids("run", RECENT_RUNS)?,
        loaded: RefCell::new(Vec::new()),
        workloads: settings.workloads.clone(),
    };
    let advice = advise::advise(&goals, &priorities, &|measure| runs.evidence(measure))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            let mut out = Printable::json(&mut out);
            serde_json::to_writer_pretty(&mut out, &advice)?;
            writeln!(out)?;
        }
        _ => write_text(&advice, &goals, &priorities, &mut Printable::new(&mut out))?,
    }
    out.flush()?;
    Ok(ExitCode::Ok)
}

/// The stored runs, newest first, turned into reports only as far as a measure needs.
struct Runs<'a> {
    store: &'a Store,
    ids: Vec<i64>,
    loaded: RefCell<Vec<Report>>,
    workloads: PathBuf,
}

impl Runs<'_> {
    /// The evidence of the newest run that measured `measure` (cited figures need no run, and
    /// code size falls back to the workloads' sources, which need none either).
    fn evidence(&self, measure: &str) -> Evidence {
        if let Some(key) = measure.strip_prefix("cited:") {
            return evidence::cited(key);
        }
        let mut newest = None;
        for index in 0..self.ids.len() {
            let Some(found) = self.evidence_of(index, measure) else {
                break;
            };
            if found.measured {
                return found;
            }
            newest.get_or_insert(found);
        }
        if measure == "code-size" {
            if let Some(found) = code_size_of_sources(&self.workloads) {
                return found;
            }
        }
        newest.unwrap_or_else(|| Evidence {
            measured: false,
            text: format!("no stored run yet: `versus run` measures {measure}"),
            favours: None,
            nuance: None,
        })
    }

    fn evidence_of(&self, index: usize, measure: &str) -> Option<Evidence> {
        let mut loaded = self.loaded.borrow_mut();
        while loaded.len() <= index {
            let id = *self.ids.get(loaded.len())?;
            let run = self.store.load_run(id).ok()?;
            loaded.push(Report::from_run(&run));
        }
        Some(evidence::evidence(measure, &loaded[index].inputs()))
    }
}

/// Code size needs no run: the idiomatic programs of every workload with both languages.
fn code_size_of_sources(workloads: &Path) -> Option<Evidence> {
    let suite = Suite::load(workloads).ok()?;
    let plain = |i: &&crate::suite::Implementation, language| {
        i.language == language && i.variant == Variant::Idiomatic && i.label.is_none()
    };
    let ratios: Vec<f64> = suite
        .workloads
        .iter()
        .filter_map(|w| {
            let py = w
                .implementations
                .iter()
                .find(|i| plain(i, Language::Python))?;
            let go = w.implementations.iter().find(|i| plain(i, Language::Go))?;
            let py = codesize::measure(&py.source, Language::Python).ok()?;
            let go = codesize::measure(&go.source, Language::Go).ok()?;
            Some(py.gzip_bytes as f64 / go.gzip_bytes.max(1) as f64)
        })
        .collect();
    (!ratios.is_empty()).then(|| evidence::code_size_evidence(&ratios, "the workloads' sources"))
}

/// The short questionnaire: numbered goals and priorities, answered with numbers.
fn ask() -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let rules = Rules::load();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut choose =
        |question: &str, options: &[(String, String)]| -> anyhow::Result<Vec<String>> {
            eprintln!("{question} (numbers separated by spaces, Enter for none)");
            for (i, (_, name)) in options.iter().enumerate() {
                eprintln!("  {}. {name}", i + 1);
            }
            eprint!("> ");
            let answer = lines.next().transpose()?.unwrap_or_default();
            answer
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .map(|w| {
                    w.parse::<usize>()
                        .ok()
                        .and_then(|n| options.get(n.wrapping_sub(1)))
                        .map(|(key, _)| key.clone())
                        .ok_or_else(|| {
                            UserError::usage(
                                format!("`{w}` is not one of the numbers offered"),
                                "answer with the numbers shown, e.g. 1 3",
                            )
                            .into()
                        })
                })
                .collect()
        };
    let options = |rules: &[advise::Rule]| -> Vec<(String, String)> {
        rules
            .iter()
            .map(|r| (r.key.clone(), r.name.clone()))
            .collect()
    };
    let goals = choose("What do you want to build?", &options(&rules.goal))?;
    let priorities = choose("What matters most?", &options(&rules.priority))?;
    Ok((goals, priorities))
}

fn write_text(
    advice: &Advice,
    goals: &[String],
    priorities: &[String],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "versus advise — goals: {}; priorities: {}\n",
        if goals.is_empty() {
            "none".into()
        } else {
            goals.join(", ")
        },
        if priorities.is_empty() {
            "none".into()
        } else {
            priorities.join(", ")
        }
    )?;
    writeln!(out, "recommendation: {}\n", advice.recommendation)?;
    writeln!(out, "why:")?;
    for c in &advice.considerations {
        writeln!(out, "  {} {} — the article: \"{}\"", c.kind, c.name, c.rule)?;
        for r in &c.reasons {
            let counted = match (
                r.counted_for.map(|l| l.title()),
                r.measured,
                r.differs_from_article,
            ) {
                (Some(l), true, true) => format!("favours {l} here, unlike the article"),
                (Some(l), true, false) => format!("favours {l}"),
                (None, true, _) => "within noise: counts for neither".to_string(),
                (Some(l), false, _) => format!("counted for {l} on the article's word"),
                (None, false, _) => "counts for neither".to_string(),
            };
            writeln!(
                out,
                "    · {} (weight {}): {} → {counted}",
                r.measure, r.weight, r.evidence
            )?;
        }
    }
    if !advice.skips.is_empty() {
        writeln!(out, "\nwhat to skip (the article):")?;
        for s in &advice.skips {
            writeln!(out, "  · \"{}\"", s.text)?;
            if let Some(evidence) = &s.evidence {
                writeln!(out, "    evidence: {evidence}")?;
            }
        }
    }
    if !advice.to_measure.is_empty() {
        writeln!(out, "\nnot measured yet:")?;
        for line in &advice.to_measure {
            writeln!(out, "  · {line}")?;
        }
    }
    Ok(())
}
