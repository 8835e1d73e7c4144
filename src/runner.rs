//! The runner: warm-up, then rounds in which every case of a group runs once in shuffled order,
//! so drift and noisy neighbours hit all of them alike; stop when the ratios are precise enough
//! or the profile's budget is spent. Every run's output is checked; a case that fails once gets
//! its verdict and leaves the rounds. Each finished case goes to the sink (the store) at once.

use std::time::{Duration, Instant};

use crate::backend::{self, Maxima, Unstarted};
use crate::case::{CaseResult, CaseSpec, CaseVerdict, Group, RunRecord, StopReason};
use crate::interrupt;
use crate::machine::{Busy, BusyMeter};
use crate::measure::{Executor, Exit, METRICS_VAR, RunOutcome, SpawnError};
use crate::plan::Plan;
use crate::stats;
use crate::suite::Metric;
use crate::text::last_lines;
use crate::verify;

mod metrics;

use metrics::{MetricsDir, metrics_file, read_metrics};

/// How long and how precisely to measure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Profile {
    pub warmup: usize,
    pub min_rounds: usize,
    pub max_rounds: usize,
    /// Stop when every ratio's 95% interval is within ± this fraction.
    pub target: f64,
    /// Stop a group after this long (once it has `min_rounds`).
    pub budget: Duration,
    /// Time for a JIT's steady-state harness, per case.
    pub steady_state_budget: Duration,
}

crate::names::named_enum! {
    /// A profile by its name, as `--profile` gives it and the store keeps it.
    pub enum ProfileName {
        Quick => "quick",
        Standard => "standard",
        Thorough => "thorough",
    }
}

impl Profile {
    pub fn of(profile: ProfileName) -> Profile {
        use ProfileName as P;
        match profile {
            P::Quick => Profile {
                warmup: 1,
                // A percentile interval of a median from 3 runs is just [min, max], which covers
                // the true median about 75% of the time; 5 runs are the fewest that can approach 95%.
                min_rounds: 5,
                max_rounds: 40,
                target: 0.05,
                budget: Duration::from_secs(12),
                steady_state_budget: Duration::from_secs(3),
            },
            P::Standard => Profile {
                warmup: 2,
                min_rounds: 5,
                max_rounds: 200,
                target: 0.02,
                budget: Duration::from_secs(40),
                steady_state_budget: Duration::from_secs(5),
            },
            P::Thorough => Profile {
                warmup: 3,
                min_rounds: 10,
                max_rounds: 1000,
                target: 0.01,
                budget: Duration::from_secs(300),
                steady_state_budget: Duration::from_secs(30),
            },
        }
    }

    /// This profile for a group whose manifest asks for fewer runs or another warm-up.
    pub fn for_group(&self, group: &Group) -> Profile {
        let mut profile = *self;
        if let Some(warmup) = group.warmup {
            profile.warmup = warmup;
        }
        if let Some(runs) = group.runs {
            profile.min_rounds = profile.min_rounds.min(runs);
            profile.max_rounds = profile.max_rounds.min(runs);
        }
        profile
    }

    /// Exactly `runs` timed runs per case (`versus exec --runs N`).
    pub fn fixed(runs: usize, warmup: usize) -> Profile {
        Profile {
            warmup,
            min_rounds: runs.max(1),
            max_rounds: runs.max(1),
            target: 0.0,
            budget: Duration::MAX,
            steady_state_budget: Duration::from_secs(3),
        }
    }
}

/// Receives each case as soon as it is finished (the store, in one transaction per case).
pub trait CaseSink {
    fn finished(&mut self, group: &Group, case: usize, result: &CaseResult) -> anyhow::Result<()>;
}

/// Progress events (the progress bar on stderr).
pub trait Events {
    fn group_started(&mut self, _group: &Group, _index: usize, _budget: Duration) {}
    fn run_finished(&mut self, _group: &Group, _round: usize, _elapsed: Duration) {}
    fn case_failed(&mut self, _case: &CaseSpec, _verdict: CaseVerdict, _detail: &str) {}
    fn group_finished(&mut self, _group: &Group) {}
}

/// Events nobody listens to.
pub struct Silent;
impl Events for Silent {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completion {
    Finished,
    Interrupted,
}

pub struct Runner<'a> {
    pub executor: &'a mut dyn Executor,
    pub profile: Profile,
    pub sink: &'a mut dyn CaseSink,
    pub events: &'a mut dyn Events,
}

struct CaseState {
    runs: Vec<RunRecord>,
    in_process: Vec<Duration>,
    warmups: usize,
    failure: Option<(CaseVerdict, String)>,
    /// A server that failed before it was ready (or could not be spawned).
    unstarted: bool,
    stored: bool,
}

impl CaseState {
    fn active(&self) -> bool {
        self.failure.is_none()
    }
}

enum Step {
    Continue,
    Interrupted,
}

/// How a group's cases are handed to the sink: the machine's load while they ran, and why the
/// group stopped.
#[derive(Clone, Copy)]
struct Closing {
    busy: Option<Busy>,
    stopped_by: Option<StopReason>,
    target: f64,
}

impl Runner<'_> {
    pub fn run(&mut self, plan: &Plan) -> anyhow::Result<Completion> {
        let metrics = MetricsDir::create()?;
        let mut carried = Carried::default();
        for (index, group) in plan.groups.iter().enumerate() {
            let group = carried.unstarted.skip(std::borrow::Cow::Borrowed(group));
            let group = carried.maxima.resolve(&group);
            let completion = self.run_group(&group, index, &mut carried, &metrics.0)?;
            if completion == Completion::Interrupted {
                return Ok(Completion::Interrupted);
            }
        }
        Ok(Completion::Finished)
    }

    fn run_group(
        &mut self,
        group: &Group,
        index: usize,
        carried: &mut Carried,
        metrics_dir: &std::path::Path,
    ) -> anyhow::Result<Completion> {
        let profile = self.profile.for_group(group);
        self.events.group_started(group, index, profile.budget);
        let meter = BusyMeter::start();
        let mut states: Vec<CaseState> = group
            .cases
            .iter()
            .map(|case| CaseState {
                runs: Vec::new(),
                in_process: Vec::new(),
                warmups: 0,
                failure: case
                    .run
                    .as_ref()
                    .err()
                    .map(|e| (e.verdict, e.detail.clone()))
                    .or_else(|| carried.limits.reached_before(case)),
                unstarted: false,
                stored: false,
            })
            .collect();
        let closing = |busy, stopped_by| Closing {
            busy,
            stopped_by,
            target: profile.target,
        };
        for (i, state) in states.iter_mut().enumerate() {
            if state.failure.is_some() {
                self.finish_case(group, i, state, closing(None, None))?;
            }
        }
        let (completion, stopped_by) =
            match self.rounds(group, &profile, &mut states, &meter, metrics_dir) {
                Ok(ended) => ended,
                Err(err) => {
                    // versus itself failed: keep what this group measured, marked as unfinished.
                    let detail = format!("versus stopped: {err:#}");
                    for (i, state) in states.iter_mut().enumerate() {
                        state
                            .failure
                            .get_or_insert((CaseVerdict::Interrupted, detail.clone()));
                        self.finish_case(group, i, state, closing(Some(meter.finish()), None))?;
                    }
                    return Err(err);
                }
            };
        if completion == Completion::Finished {
            self.steady_states(group, &profile, &mut states)?;
        }
        let busy = meter.finish();
        for (case, state) in group.cases.iter().zip(&states) {
            match &state.failure {
                Some((CaseVerdict::LimitReached, detail)) => carried.limits.record(case, detail),
                Some((verdict, detail)) if state.unstarted => {
                    carried.unstarted.record(group, case, *verdict, detail);
                }
                _ => {}
            }
        }
        carried.maxima.record(
            group,
            group
                .cases
                .iter()
                .zip(&states)
                .filter(|(_, state)| state.active())
                .map(|(case, state)| (case, state.runs.as_slice())),
        );
        for (i, state) in states.iter_mut().enumerate() {
            if completion == Completion::Interrupted {
                state
                    .failure
                    .get_or_insert((CaseVerdict::Interrupted, String::new()));
            }
            self.finish_case(group, i, state, closing(Some(busy), stopped_by))?;
        }
        self.events.group_finished(group);
        Ok(completion)
    }

    /// Warm-up rounds, then timed rounds (numbered from 1), every active case once per round in
    /// shuffled order, until the profile says stop (and why, when it did).
    fn rounds(
        &mut self,
        group: &Group,
        profile: &Profile,
        states: &mut [CaseState],
        meter: &BusyMeter,
        metrics_dir: &std::path::Path,
    ) -> anyhow::Result<(Completion, Option<StopReason>)> {
        let mut reference: Option<Vec<u8>> = None;
        let started = Instant::now();
        let mut order_rng = fastrand::Rng::new();
        let mut round = 0;
        loop {
            let timed_round = (round >= profile.warmup).then(|| round + 1 - profile.warmup);
            let mut order: Vec<usize> = (0..states.len()).filter(|&i| states[i].active()).collect();
            order_rng.shuffle(&mut order);
            for i in order {
                let step = self.one_run(
                    group,
                    i,
                    &mut states[i],
                    &mut reference,
                    timed_round,
                    metrics_dir,
                )?;
                if let Step::Interrupted = step {
                    return Ok((Completion::Interrupted, None));
                }
                if states[i].failure.is_some() {
                    // A failed case is finished: store it now, so Ctrl-C later loses nothing.
                    let closing = Closing {
                        busy: Some(meter.finish()),
                        stopped_by: None,
                        target: profile.target,
                    };
                    self.finish_case(group, i, &mut states[i], closing)?;
                }
                self.events.run_finished(group, round, started.elapsed());
            }
            round += 1;
            let timed_rounds = round.saturating_sub(profile.warmup);
            if !states.iter().any(CaseState::active) {
                return Ok((Completion::Finished, None));
            }
            if let Some(reason) = should_stop(profile, group, states, timed_rounds, started) {
                return Ok((Completion::Finished, Some(reason)));
            }
        }
    }

    /// Runs case `i` once; a failure becomes the case's verdict.
    fn one_run(
        &mut self,
        group: &Group,
        i: usize,
        state: &mut CaseState,
        reference: &mut Option<Vec<u8>>,
        timed_round: Option<usize>,
        metrics_dir: &std::path::Path,
    ) -> anyhow::Result<Step> {
        if interrupt::is_interrupted() {
            return Ok(Step::Interrupted);
        }
        let case = &group.cases[i];
        let mut spec = case
            .run
            .as_ref()
            .expect("only runnable cases are active")
            .clone();
        let metrics_file = metrics_file(metrics_dir);
        spec.env
            .push((METRICS_VAR.into(), metrics_file.clone().into_os_string()));
        let executed = match &case.serve {
            Some(serve) => backend::serve(&mut *self.executor, &spec, serve).map(|served| {
                state.unstarted = !served.ready;
                (served.outcome, served.metrics, Some(served.verdict))
            }),
            None => self.executor.execute(&spec).map(|o| (o, Vec::new(), None)),
        };
        let written = read_metrics(&metrics_file);
        let judged = match executed {
            Ok((outcome, ..))
                if outcome.exit == Exit::Interrupted || interrupt::is_interrupted() =>
            {
                return Ok(Step::Interrupted);
            }
            // A server under load: the backend step judged the run.
            Ok((outcome, metrics, Some(verdict))) => verdict.map(|()| (outcome, metrics)),
            Ok((outcome, _, None)) => judge(case, &outcome, reference.as_deref())
                .and_then(|()| reported_headline(case, &written))
                .map(|()| (outcome, written)),
            Err(err) => match err.downcast::<SpawnError>() {
                Ok(spawn) => {
                    state.unstarted = case.serve.is_some();
                    Err((CaseVerdict::Crashed, spawn.0))
                }
                Err(err) => return Err(err),
            },
        };
        match judged {
            Err((verdict, detail)) => {
                self.events.case_failed(case, verdict, &detail);
                state.failure = Some((verdict, detail));
            }
            Ok((outcome, metrics)) => {
                if reference.is_none() && !outcome.stdout.truncated {
                    *reference = Some(outcome.stdout.head.clone());
                }
                match timed_round {
                    Some(round) => state.runs.push(record(&outcome, round, metrics)),
                    None => state.warmups += 1,
                }
            }
        }
        Ok(Step::Continue)
    }

    /// For cases with a JIT: the program run several times in one process (once, after the
    /// timed rounds). Its first output is verified like any run's; a harness that fails only
    /// leaves the iterations out.
    fn steady_states(
        &mut self,
        group: &Group,
        profile: &Profile,
        states: &mut [CaseState],
    ) -> anyhow::Result<()> {
        for (case, state) in group.cases.iter().zip(states.iter_mut()) {
            let Some(steady) = case.steady_state.as_ref().filter(|_| state.active()) else {
                continue;
            };
            if interrupt::is_interrupted() {
                return Ok(());
            }
            let walls: Vec<f64> = state.runs.iter().map(|r| r.wall.as_secs_f64()).collect();
            let run_s = if walls.is_empty() {
                1.0
            } else {
                stats::median(&walls)
            };
            let spec = steady.spec_within(profile.steady_state_budget, run_s);
            let outcome = match self.executor.execute(&spec) {
                Ok(outcome) => outcome,
                Err(err) if err.downcast_ref::<SpawnError>().is_some() => continue,
                Err(err) => return Err(err),
            };
            let times = std::fs::read_to_string(&steady.times_file).unwrap_or_default();
            let _ = std::fs::remove_file(&steady.times_file);
            if judge(case, &outcome, None).is_ok() {
                state.in_process = times
                    .lines()
                    .filter_map(|l| l.trim().parse::<f64>().ok())
                    .filter(|t| t.is_finite() && *t >= 0.0)
                    .map(Duration::from_secs_f64)
                    .collect();
            }
        }
        Ok(())
    }

    /// Hands a finished case to the sink, once: `ok` unless it has a failure.
    fn finish_case(
        &mut self,
        group: &Group,
        i: usize,
        state: &mut CaseState,
        closing: Closing,
    ) -> anyhow::Result<()> {
        if state.stored {
            return Ok(());
        }
        let (verdict, detail) = match &state.failure {
            Some((verdict, detail)) => (*verdict, Some(detail.clone()).filter(|d| !d.is_empty())),
            None => (CaseVerdict::Ok, None),
        };
        let result = CaseResult {
            verdict,
            detail,
            runs: std::mem::take(&mut state.runs),
            warmup_runs: state.warmups,
            busy: closing.busy,
            in_process: std::mem::take(&mut state.in_process),
            // A failed case stopped for its own reason.
            stopped_by: closing.stopped_by.filter(|_| state.failure.is_none()),
            precision_target: Some(closing.target).filter(|t| *t > 0.0),
        };
        self.sink.finished(group, i, &result)?;
        state.stored = true;
        Ok(())
    }
}

/// Whether to stop after `rounds` timed rounds, and why. Precision is checked first: a group
/// that reached its target as the budget ran out stopped because it was precise.
fn should_stop(
    p: &Profile,
    group: &Group,
    states: &[CaseState],
    rounds: usize,
    started: Instant,
) -> Option<StopReason> {
    if rounds < p.min_rounds {
        return None;
    }
    if p.target > 0.0 && precise_enough(group, states, p.target) {
        return Some(StopReason::Precise);
    }
    if rounds >= p.max_rounds {
        return Some(StopReason::Rounds);
    }
    (started.elapsed() >= p.budget).then_some(StopReason::Budget)
}

/// What the groups already run leave for the later ones.
#[derive(Default)]
struct Carried {
    limits: Limits,
    maxima: Maxima,
    unstarted: Unstarted,
}

/// Where each swept program reached a limit of the machine: a program that could not start
/// 100,000 threads will not start a million, so its larger points are not run (a run that
/// would only spend the timeout again) and say why.
#[derive(Default)]
struct Limits {
    reached: Vec<(CaseSpec, String)>,
}

impl Limits {
    fn same_program(a: &CaseSpec, b: &CaseSpec) -> bool {
        a.workload == b.workload
            && a.size == b.size
            && a.toolchain.as_ref().map(|t| &t.id) == b.toolchain.as_ref().map(|t| &t.id)
            && a.variant == b.variant
            && a.label == b.label
            && a.point.as_ref().map(|p| &p.name) == b.point.as_ref().map(|p| &p.name)
    }

    fn record(&mut self, case: &CaseSpec, detail: &str) {
        if case.point.is_some() {
            self.reached.push((case.clone(), detail.to_string()));
        }
    }

    /// The limit-reached verdict of a point beyond one where the same program reached a limit.
    fn reached_before(&self, case: &CaseSpec) -> Option<(CaseVerdict, String)> {
        let value = case.point.as_ref()?.value;
        let (earlier, detail) = self.reached.iter().find(|(earlier, _)| {
            Self::same_program(earlier, case)
                && earlier.point.as_ref().is_some_and(|p| p.value < value)
        })?;
        let point = earlier.point.as_ref()?;
        Some((
            CaseVerdict::LimitReached,
            format!("not run: the same program reached a limit at {point} ({detail})"),
        ))
    }
}

/// Whether every comparison with a baseline (or, without one, every median) has a 95%
/// interval within ± `target`, on the metric the report will show: the paired ratio of the
/// runs of each round.
fn precise_enough(group: &Group, states: &[CaseState], target: f64) -> bool {
    let active = |i: usize| states[i].active();
    let by_round = |i: usize, metric: &Metric| -> Vec<(usize, f64)> {
        states[i]
            .runs
            .iter()
            .filter_map(|r| Some((r.round, r.seconds(metric)?)))
            .collect()
    };
    let compared =
        |i: usize| (0..states.len()).any(|j| active(j) && group.comparator(j) == Some(i));
    (0..states.len()).filter(|&i| active(i)).all(|i| {
        let case = &group.cases[i];
        match group.comparator(i).filter(|&b| active(b)) {
            Some(b) => {
                let metric = Metric::common(&group.cases[b].metric, &case.metric);
                let pairs = stats::pair_by_round(&by_round(b, &metric), &by_round(i, &metric));
                stats::compare_paired(&pairs, stats::RESAMPLES_QUICK)
                    .is_some_and(|c| c.relative_half_width() <= target)
            }
            // A baseline, or a case with nothing to compare with: its own median.
            None if compared(i) => true,
            None => {
                let values: Vec<f64> = by_round(i, &case.metric).iter().map(|r| r.1).collect();
                stats::summarize(&values, stats::RESAMPLES_QUICK)
                    .is_some_and(|s| (s.ci_high - s.ci_low) / 2.0 <= target * s.median)
            }
        }
    })
}

/// The verdict of one run: exit status first, then the output.
fn judge(
    case: &CaseSpec,
    outcome: &RunOutcome,
    reference: Option<&[u8]>,
) -> Result<(), (CaseVerdict, String)> {
    let stderr = String::from_utf8_lossy(&outcome.stderr_tail);
    let stderr = stderr.trim();
    let with_stderr = |what: String| {
        if stderr.is_empty() {
            what
        } else {
            format!("{what}; stderr ends: {}", last_lines(stderr, 5))
        }
    };
    match outcome.exit {
        Exit::TimedOut => {
            let limit = case.run.as_ref().map(|r| r.timeout).unwrap_or_default();
            Err((
                CaseVerdict::Timeout,
                format!("killed after the {:.1} s limit", limit.as_secs_f64()),
            ))
        }
        Exit::Signal(_) => Err((CaseVerdict::Crashed, with_stderr(outcome.exit.to_string()))),
        Exit::Code(crate::case::LIMIT_EXIT_CODE) => Err((
            CaseVerdict::LimitReached,
            if stderr.is_empty() {
                "the program reached a limit of the machine and did not say which".to_string()
            } else {
                last_lines(stderr, 2)
            },
        )),
        Exit::Code(code) if code != 0 => {
            Err((CaseVerdict::Crashed, with_stderr(outcome.exit.to_string())))
        }
        Exit::Interrupted => Err((CaseVerdict::Interrupted, String::new())),
        Exit::MemoryLimit(_) => {
            let what = outcome.exit.to_string();
            match case.point {
                Some(_) => Err((CaseVerdict::LimitReached, what)),
                None => Err((CaseVerdict::OutOfMemory, with_stderr(what))),
            }
        }
        Exit::Code(_) => verify::check(&case.expected, &outcome.stdout, reference)
            .map_err(|m| (CaseVerdict::WrongOutput, m.0)),
    }
}

/// A case whose headline is a time its program reports (`metric = "reported:batch_s"`) needs
/// that time from every run: a run without it has nothing to be compared on, and falling back
/// to its wall time would compare another quantity under the same name.
fn reported_headline(
    case: &CaseSpec,
    written: &[(String, f64)],
) -> Result<(), (CaseVerdict, String)> {
    let Metric::Reported(name) = &case.metric else {
        return Ok(());
    };
    if written.iter().any(|(n, _)| n == name.as_str()) {
        return Ok(());
    }
    Err((
        CaseVerdict::WrongOutput,
        format!(
            "the program did not report `{name}` to the file in ${METRICS_VAR} (the workload's \
             headline, metric = \"{metric}\"): write a line `{name} SECONDS` to it",
            name = name.as_str(),
            metric = case.metric,
        ),
    ))
}

fn record(outcome: &RunOutcome, round: usize, metrics: Vec<(String, f64)>) -> RunRecord {
    RunRecord {
        metrics,
        round,
        wall: outcome.wall,
        user: outcome.user,
        sys: outcome.sys,
        peak_rss_bytes: outcome.peak_rss_bytes,
        tree_peak_bytes: outcome.tree_peak_bytes,
        tree_method: outcome.tree_method,
    }
}

#[cfg(test)]
mod tests;
