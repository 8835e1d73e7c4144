//! Progress on stderr: a bar with an ETA on a terminal, a line per finished group elsewhere
//! (CI logs). Colour-free, so it reads the same with NO_COLOR.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::case::Group;
use crate::case::{CaseSpec, CaseVerdict};
use crate::runner::Events;
use crate::text::printable;

/// Each group is worth this many steps of the bar.
const STEPS_PER_GROUP: u64 = 100;

pub struct Progress {
    bar: ProgressBar,
    groups: usize,
    budget: Duration,
    max_rounds: usize,
    group_index: usize,
}

impl Progress {
    pub fn new(groups: usize, budget: Duration, max_rounds: usize) -> Progress {
        let bar = ProgressBar::new(groups as u64 * STEPS_PER_GROUP);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {percent:>3}% · eta {eta} · {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("█▉ "),
        );
        Progress {
            bar,
            groups,
            budget,
            max_rounds,
            group_index: 0,
        }
    }

    /// Once the plan is known: how many groups the bar stands for.
    pub fn set_groups(&mut self, groups: usize) {
        self.groups = groups;
        self.bar.set_length(groups as u64 * STEPS_PER_GROUP);
    }

    /// A spinner line for the preparation (builds can take seconds).
    pub fn preparing(&self, what: &str) {
        self.set_message(format!("preparing {what}"));
        self.bar.tick();
    }

    /// A line for the typing checks, which run after the timed groups.
    pub fn checking(&self, what: &str) {
        self.set_message(format!("typing check: {what}"));
        self.bar.tick();
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// Workload names and programs' stderr are in every line: shown, never obeyed.
    fn say(&self, line: String) {
        let line = printable(&line).into_owned();
        if self.bar.is_hidden() {
            eprintln!("{line}");
        } else {
            self.bar.println(line);
        }
    }

    fn set_message(&self, message: String) {
        self.bar.set_message(printable(&message).into_owned());
    }
}

impl Events for Progress {
    fn group_started(&mut self, group: &Group, index: usize, _budget: Duration) {
        self.group_index = index;
        self.bar.set_position(index as u64 * STEPS_PER_GROUP);
        self.set_message(group.label.clone());
    }

    fn run_finished(&mut self, group: &Group, round: usize, elapsed: Duration) {
        let by_time = elapsed.as_secs_f64() / self.budget.as_secs_f64().max(1e-9);
        let by_rounds = round as f64 / self.max_rounds.max(1) as f64;
        let within = by_time.max(by_rounds).min(0.99);
        self.bar.set_position(
            self.group_index as u64 * STEPS_PER_GROUP + (within * STEPS_PER_GROUP as f64) as u64,
        );
        self.set_message(format!("{} · round {round}", group.label));
    }

    fn case_failed(&mut self, case: &CaseSpec, verdict: CaseVerdict, detail: &str) {
        // A reached limit is a finding about the program's approach, not a failure.
        let mark = if verdict.is_failure() { "✗" } else { "·" };
        self.say(format!(
            "{mark} {} on {}: {verdict} — {detail}",
            case.workload,
            case.label()
        ));
    }

    fn group_finished(&mut self, group: &Group) {
        self.say(format!(
            "[{}/{}] {} done",
            self.group_index + 1,
            self.groups,
            group.label
        ));
    }
}
