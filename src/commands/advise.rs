//! `versus advise`: asks (in a terminal, without flags) or reads the goals and priorities, then
//! weighs the article's rules with the evidence of this machine's newest stored runs.

use std::cell::RefCell;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use crate::advise::{self, Advice, Rules};
use crate::cli::{AdviseArgs, AdviseFormat};
use crate::codesize;
use crate::error::ExitCode;
use crate::language::Language;
use crate::report::Report;
use crate::report::evidence::{self, Evidence};
use crate::settings::Settings;
use crate::store::Store;
use crate::suite::Variant;
use crate::text::Printable;
use crate::workloads::Suite;

/// How many recent runs are searched for each measure.
const RECENT_RUNS: usize = 8;

pub fn run(settings: &Settings, args: &AdviseArgs) -> anyhow::Result<ExitCode> {
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
        settings,
    };
    let advice = advise::advise(&goals, &priorities, &|measure| runs.evidence(measure))?;
    super::output::write_to(args.output.as_deref(), |out| match args.format {
        AdviseFormat::Json => Ok(crate::text::write_json(out, &advice)?),
        AdviseFormat::Table => Ok(write_text(
            &advice,
            &goals,
            &priorities,
            &mut Printable::new(out),
        )?),
    })?;
    Ok(ExitCode::Ok)
}

/// The stored runs, newest first, turned into reports only as far as a measure needs.
struct Runs<'a> {
    store: &'a Store,
    ids: Vec<i64>,
    loaded: RefCell<Vec<Report>>,
    settings: &'a Settings,
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
            let sources = self.settings.workloads_dir().ok();
            if let Some(found) = sources.as_deref().and_then(code_size_of_sources) {
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
    ask_from(&rules, &mut stdin.lock(), &mut std::io::stderr())
}

/// Asks for the goals, then the priorities, on `prompt`, reading the answers from `input`. An
/// answer with something that is neither a number offered nor an option's key is asked again,
/// saying what was wrong; the end of the input answers "none".
fn ask_from(
    rules: &Rules,
    input: &mut dyn BufRead,
    prompt: &mut dyn Write,
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let mut choose = |question: &str, rules: &[advise::Rule]| -> anyhow::Result<Vec<String>> {
        writeln!(
            prompt,
            "{question} (numbers separated by spaces, Enter for none)"
        )?;
        for (i, rule) in rules.iter().enumerate() {
            writeln!(prompt, "  {}. {}", i + 1, rule.name)?;
        }
        loop {
            write!(prompt, "> ")?;
            prompt.flush()?;
            let mut answer = String::new();
            if input.read_line(&mut answer)? == 0 {
                return Ok(Vec::new());
            }
            match parse_choice(&answer, rules) {
                Ok(keys) => return Ok(keys),
                Err(wrong) => writeln!(
                    prompt,
                    "`{}` is not one of the numbers offered (1 to {}); answer again, e.g. 1 3",
                    crate::text::printable(&wrong),
                    rules.len()
                )?,
            }
        }
    };
    let goals = choose("What do you want to build?", &rules.goal)?;
    let priorities = choose("What matters most?", &rules.priority)?;
    Ok((goals, priorities))
}

/// The keys of the options an answer names, by number or by key; else the first word that
/// names none.
fn parse_choice(answer: &str, rules: &[advise::Rule]) -> Result<Vec<String>, String> {
    let mut keys = Vec::new();
    for word in answer
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        let rule = match word.parse::<usize>() {
            Ok(n) => rules.get(n.wrapping_sub(1)),
            Err(_) => rules.iter().find(|r| r.key.eq_ignore_ascii_case(word)),
        };
        match rule {
            Some(rule) if !keys.contains(&rule.key) => keys.push(rule.key.clone()),
            Some(_) => {}
            None => return Err(word.to_string()),
        }
    }
    Ok(keys)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(input: &str) -> (Vec<String>, Vec<String>, String) {
        let rules = Rules::load();
        let mut prompt = Vec::new();
        let (goals, priorities) =
            ask_from(&rules, &mut input.as_bytes(), &mut prompt).expect("asked");
        (goals, priorities, String::from_utf8(prompt).unwrap())
    }

    #[test]
    fn a_typo_is_asked_again_and_the_next_answer_counts() {
        let rules = Rules::load();
        let (goals, priorities, prompt) = answers("4 x\n4, 1\n99\nlatency\n");
        assert_eq!(
            goals,
            [rules.goal[3].key.clone(), rules.goal[0].key.clone()]
        );
        assert_eq!(priorities, ["latency"]);
        assert!(
            prompt.contains("`x` is not one of the numbers offered"),
            "{prompt}"
        );
        assert!(
            prompt.contains("`99` is not one of the numbers offered"),
            "{prompt}"
        );
        assert_eq!(prompt.matches("> ").count(), 4, "{prompt}");
    }

    #[test]
    fn the_end_of_the_input_answers_none() {
        let (goals, priorities, _) = answers("nonsense\n");
        assert!(goals.is_empty() && priorities.is_empty());
        let (goals, _, _) = answers("");
        assert!(goals.is_empty());
    }

    #[test]
    fn an_option_is_named_by_its_key_once() {
        let (goals, _, _) = answers("backend 4 BACKEND\n\n");
        assert_eq!(goals, ["backend"]);
    }
}
