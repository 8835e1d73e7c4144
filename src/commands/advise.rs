//! `versus advise`: asks (in a terminal, without flags) or reads the goals and priorities, then
//! weighs the article's rules with the evidence of this machine's newest stored runs.

use std::io::{BufRead, IsTerminal, Write};

use crate::advise::{self, Advice, Rules};
use crate::cli::{AdviseArgs, Format};
use crate::error::{ExitCode, UserError};
use crate::report::Report;
use crate::report::evidence::{self, Evidence, Inputs};
use crate::settings::Settings;

/// How many recent runs are searched for each measure.
const RECENT_RUNS: usize = 8;

pub fn run(settings: &Settings, args: &AdviseArgs) -> anyhow::Result<ExitCode> {
    let (goals, priorities) =
        if args.goals.is_empty() && args.priorities.is_empty() && std::io::stdin().is_terminal() {
            ask()?
        } else {
            (args.goals.clone(), args.priorities.clone())
        };
    let store = settings.open_store()?;
    let reports: Vec<Report> = store
        .recent_run_ids("run", RECENT_RUNS)?
        .into_iter()
        .map(|id| store.load_run(id).map(|run| Report::from_run(&run)))
        .collect::<anyhow::Result<_>>()?;
    let find = |measure: &str| newest_evidence(&reports, measure);
    let advice = advise::advise(&goals, &priorities, &find)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &advice)?;
            writeln!(out)?;
        }
        _ => write_text(&advice, &goals, &priorities, &mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::Ok)
}

/// The evidence of the newest run that measured `measure`; without one, what the newest says.
fn newest_evidence(reports: &[Report], measure: &str) -> Evidence {
    let evidence_of = |report: &Report| {
        evidence::evidence(
            measure,
            &Inputs {
                run_id: report.run_id,
                cases: &report.cases,
                comparisons: &report.comparisons,
                runtime_speed: &report.findings.runtime_speed,
                typing: &report.typing,
                toolchains: &report.toolchains,
            },
        )
    };
    let mut first = None;
    for report in reports {
        let found = evidence_of(report);
        if found.measured {
            return found;
        }
        first.get_or_insert(found);
    }
    first.unwrap_or_else(|| Evidence {
        measured: false,
        text: format!("no stored run yet: `versus run` measures {measure}"),
        favours: None,
        nuance: None,
    })
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
