//! The rates of a backend workload's open-loop groups: shares of a reference maximum measured
//! by its maximum group, so every server is loaded at the same rate and latencies are compared
//! at equal load.
//!
//! The reference is the slowest server whose maximum can be trusted as a capacity: one without
//! a JIT (a PyPy server measured in a one-second phase is still compiling, and set rates at 2%
//! of Go's maximum in a first version) and without a failed answer. Only when no server
//! qualifies are the others used.

use std::borrow::Cow;

use super::metric::{ERRORS, THROUGHPUT};
use crate::case::{CaseSpec, CaseVerdict, Group, Rate, RunRecord, Unrunnable};
use crate::suite::{Point, SizeName};

/// The name of the point a rate case runs at (`rate=2250`).
pub const RATE_POINT: &str = "rate";

/// The reference maximum of each backend workload and size, recorded after its maximum group.
#[derive(Default)]
pub struct Maxima {
    reference: Vec<(WorkloadAtSize, Option<f64>)>,
}

/// A workload at one size: whose maximum sets whose rates.
type WorkloadAtSize = (String, Option<SizeName>);

fn key(case: &CaseSpec) -> WorkloadAtSize {
    (case.workload.clone(), case.size)
}

impl Maxima {
    /// After a group: if it measured maxima, the reference among its verified cases.
    pub fn record<'a>(
        &mut self,
        group: &Group,
        verified: impl Iterator<Item = (&'a CaseSpec, &'a [RunRecord])>,
    ) {
        let is_maximum = |c: &CaseSpec| c.serve.as_ref().is_some_and(|s| s.rate == Rate::Maximum);
        let Some(first) = group.cases.first().filter(|c| is_maximum(c)) else {
            return;
        };
        let candidates: Vec<Candidate> = verified.map(Candidate::of).collect();
        let trusted: Vec<&Candidate> = candidates.iter().filter(|c| c.trusted).collect();
        let pool = if trusted.is_empty() {
            candidates.iter().collect()
        } else {
            trusted
        };
        let reference = slowest_maximum(pool.iter().map(|c| c.throughputs.as_slice()));
        self.reference.push((key(first), reference));
    }

    /// `group` with its rates set, when they are shares of a maximum measured before; a rate
    /// whose maximum was never measured cannot run, and says why.
    pub fn resolve<'g>(&self, group: &'g Group) -> Cow<'g, Group> {
        let share = |c: &CaseSpec| match c.serve.as_ref().map(|s| s.rate) {
            Some(Rate::ShareOfSlowest { percent }) => Some(percent),
            _ => None,
        };
        let Some((first, percent)) = group.cases.first().and_then(|c| Some((c, share(c)?))) else {
            return Cow::Borrowed(group);
        };
        let maximum = self
            .reference
            .iter()
            .rev()
            .find(|(k, _)| *k == key(first))
            .and_then(|(_, reference)| *reference);
        let mut resolved = group.clone();
        let Some(maximum) = maximum else {
            // A case that cannot run for its own reason keeps it.
            for case in resolved.cases.iter_mut().filter(|c| c.run.is_ok()) {
                case.run = Err(Unrunnable::new(
                    CaseVerdict::MissingDependency,
                    format!(
                        "not run: no server of {} measured a maximum throughput, which sets this rate",
                        case.workload
                    ),
                ));
            }
            return Cow::Owned(resolved);
        };
        let per_s = rate_at(maximum, percent);
        for case in &mut resolved.cases {
            if let Some(serve) = &mut case.serve {
                serve.rate = Rate::Fixed { per_s, percent };
                case.point = Some(Point {
                    name: RATE_POINT.into(),
                    value: per_s,
                });
            }
        }
        resolved.label = format!(
            "{} ({}, rate={per_s}: {percent}% of the slowest maximum)",
            first.workload,
            first.size.map_or("default", SizeName::as_str)
        );
        Cow::Owned(resolved)
    }
}

/// The servers that failed to start (could not be spawned, exited or never answered before
/// they were ready) in a group of their workload: its later groups, the rates, do not start
/// them again, which would only fail the same way (and wait out the ready timeout again), and
/// give them the same verdict.
#[derive(Default)]
pub struct Unstarted {
    failed: Vec<Failed>,
}

struct Failed {
    case: CaseSpec,
    group: String,
    verdict: CaseVerdict,
    detail: String,
}

impl Unstarted {
    /// After `group`: its backend `case` failed to start, with this verdict.
    pub fn record(&mut self, group: &Group, case: &CaseSpec, verdict: CaseVerdict, detail: &str) {
        if case.serve.is_some() && verdict.is_failure() {
            self.failed.push(Failed {
                case: case.clone(),
                group: group.label.clone(),
                verdict,
                detail: detail.to_string(),
            });
        }
    }

    /// `group` with the cases whose server failed to start before not run, with its verdict.
    pub fn skip<'g>(&self, group: Cow<'g, Group>) -> Cow<'g, Group> {
        let earlier = |case: &CaseSpec| self.failed.iter().find(|f| same_server(&f.case, case));
        if !group
            .cases
            .iter()
            .any(|c| c.run.is_ok() && earlier(c).is_some())
        {
            return group;
        }
        let mut group = group.into_owned();
        for case in &mut group.cases {
            if let Some(failed) = earlier(case).filter(|_| case.run.is_ok()) {
                case.run = Err(Unrunnable::new(
                    failed.verdict,
                    format!(
                        "not run: the server failed to start in {}: {}",
                        failed.group, failed.detail
                    ),
                ));
            }
        }
        Cow::Owned(group)
    }
}

/// The same server of the same workload at the same size, at whatever rate.
fn same_server(a: &CaseSpec, b: &CaseSpec) -> bool {
    a.workload == b.workload
        && a.size == b.size
        && a.toolchain.as_ref().map(|t| &t.id) == b.toolchain.as_ref().map(|t| &t.id)
        && a.variant == b.variant
        && a.label == b.label
}

/// A verified maximum case: its throughputs, and whether they measure a capacity.
struct Candidate {
    throughputs: Vec<f64>,
    trusted: bool,
}

impl Candidate {
    fn of((case, runs): (&CaseSpec, &[RunRecord])) -> Candidate {
        let metric = |name: &str| -> Vec<f64> {
            runs.iter()
                .flat_map(|r| &r.metrics)
                .filter(|(n, _)| n == name)
                .map(|(_, v)| *v)
                .collect()
        };
        let jit = case
            .toolchain
            .as_ref()
            .is_some_and(|t| t.implementation == "pypy");
        let failed_answers = metric(ERRORS).iter().any(|e| *e > 0.0);
        Candidate {
            throughputs: metric(THROUGHPUT),
            trusted: !jit && !failed_answers,
        }
    }
}

/// The smallest median throughput among the cases that measured one.
pub fn slowest_maximum<'a>(cases: impl IntoIterator<Item = &'a [f64]>) -> Option<f64> {
    cases
        .into_iter()
        .filter(|throughputs| !throughputs.is_empty())
        .map(crate::stats::median)
        .filter(|m| m.is_finite() && *m > 0.0)
        .min_by(f64::total_cmp)
}

/// The rate at `percent` of `maximum`, in whole requests per second (at least 1).
pub fn rate_at(maximum: f64, percent: u32) -> u64 {
    ((maximum * f64::from(percent) / 100.0).round() as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slowest_maximum_is_the_smallest_median() {
        let go = [30_000.0, 29_000.0, 31_000.0];
        let fastapi = [9_000.0, 8_800.0, 9_100.0];
        let failed: [f64; 0] = [];
        let cases: [&[f64]; 3] = [&go, &fastapi, &failed];
        assert_eq!(slowest_maximum(cases), Some(9_000.0));
        let none: [&[f64]; 1] = [&failed];
        assert_eq!(slowest_maximum(none), None);
    }

    #[test]
    fn rates_are_whole_and_positive() {
        assert_eq!(rate_at(9_000.0, 25), 2_250);
        assert_eq!(rate_at(9_001.0, 50), 4_501);
        assert_eq!(rate_at(1.0, 1), 1);
    }

    fn run(throughput: f64, errors: f64) -> RunRecord {
        RunRecord {
            round: 1,
            wall: std::time::Duration::from_secs(1),
            user: std::time::Duration::ZERO,
            sys: std::time::Duration::ZERO,
            peak_rss_bytes: 0,
            tree_peak_bytes: None,
            tree_method: crate::measure::TreeMethod::None,
            metrics: vec![(THROUGHPUT.into(), throughput), (ERRORS.into(), errors)],
        }
    }

    #[test]
    fn a_jit_or_a_server_with_failed_answers_does_not_set_the_rates() {
        use crate::testing::{backend_case, toolchain_named as toolchain};
        let go = backend_case(toolchain("go"), Rate::Maximum);
        let pypy = backend_case(toolchain("pypy"), Rate::Maximum);
        let flaky = backend_case(toolchain("cpython"), Rate::Maximum);
        let cpython = backend_case(toolchain("cpython"), Rate::Maximum);
        let group = Group {
            label: "maximum".into(),
            cases: vec![go.clone(), pypy.clone(), flaky.clone(), cpython.clone()],
            baselines: Vec::new(),
            runs: None,
            warmup: None,
        };
        let runs = [
            vec![run(30_000.0, 0.0)],
            vec![run(2_000.0, 0.0)],
            vec![run(1_000.0, 5.0)],
            vec![run(8_000.0, 0.0)],
        ];
        let mut maxima = Maxima::default();
        maxima.record(
            &group,
            group.cases.iter().zip(runs.iter().map(Vec::as_slice)),
        );
        let mut at_half = group.clone();
        for case in &mut at_half.cases {
            case.serve.as_mut().unwrap().rate = Rate::ShareOfSlowest { percent: 50 };
        }
        let resolved = maxima.resolve(&at_half);
        for case in &resolved.cases {
            assert_eq!(case.point.as_ref().unwrap().value, 4_000);
        }
        // With only untrusted servers, they still set a rate.
        let mut only_jit = Maxima::default();
        only_jit.record(&group, [(&pypy, runs[1].as_slice())].into_iter());
        let resolved = only_jit.resolve(&at_half);
        assert_eq!(resolved.cases[0].point.as_ref().unwrap().value, 1_000);
    }

    #[test]
    fn a_server_that_failed_to_start_is_not_started_again_at_a_rate() {
        use crate::testing::{backend_case, toolchain_named as toolchain};
        let group = |rate, cases: &[&CaseSpec]| Group {
            label: format!("json ({rate:?})"),
            cases: cases
                .iter()
                .map(|&c| {
                    let mut case = c.clone();
                    case.serve.as_mut().unwrap().rate = rate;
                    case
                })
                .collect(),
            baselines: Vec::new(),
            runs: None,
            warmup: None,
        };
        let go = backend_case(toolchain("go"), Rate::Maximum);
        let mut fails = backend_case(toolchain("cpython"), Rate::Maximum);
        fails.label = Some("exits".into());
        let mut other = fails.clone();
        other.label = Some("another server".into());
        let maximum = group(Rate::Maximum, &[&go, &fails, &other]);
        let mut unstarted = Unstarted::default();
        unstarted.record(&maximum, &fails, CaseVerdict::Crashed, "exit status 1");
        let at_rate = group(Rate::ShareOfSlowest { percent: 25 }, &[&go, &fails, &other]);
        let skipped = unstarted.skip(Cow::Borrowed(&at_rate));
        let unrunnable = skipped.cases[1].run.as_ref().unwrap_err();
        assert_eq!(unrunnable.verdict, CaseVerdict::Crashed);
        assert_eq!(
            unrunnable.detail,
            "not run: the server failed to start in json (Maximum): exit status 1"
        );
        assert!(skipped.cases[0].run.is_ok() && skipped.cases[2].run.is_ok());
        // Nothing to skip: the group as it was.
        let others = group(Rate::ShareOfSlowest { percent: 25 }, &[&go, &other]);
        assert!(matches!(
            unstarted.skip(Cow::Borrowed(&others)),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn without_a_maximum_the_rate_cases_say_why_they_did_not_run() {
        use crate::testing::{backend_case, toolchain_named as toolchain};
        let mut case = backend_case(toolchain("go"), Rate::ShareOfSlowest { percent: 25 });
        case.workload = "backend/json".into();
        let group = Group {
            label: "rates".into(),
            cases: vec![case],
            baselines: Vec::new(),
            runs: None,
            warmup: None,
        };
        let resolved = Maxima::default().resolve(&group);
        let unrunnable = resolved.cases[0].run.as_ref().unwrap_err();
        assert!(unrunnable.detail.contains("no server of backend/json"));
    }
}
