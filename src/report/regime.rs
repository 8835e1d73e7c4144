//! Each claim read in the regime it speaks of. Data work and the runtime speed of long jobs are
//! about the cost per unit of work: where a workload was measured on a ladder, its figure is the
//! ratio of marginal costs; elsewhere it is the whole process at the size run, start-up
//! included, and every text that uses it says so.

use serde::Serialize;

use super::costs::CostLine;
use super::view::{CaseView, ComparisonView};
use crate::stats::{Estimate, RatioSample, Verdict};
use crate::suite::Metric;

/// Which figure of a workload a finding used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
    /// The ratio of the costs per unit of work, from a ladder's fitted lines.
    Marginal,
    /// The ratio of whole processes (start-up included) at the size run.
    WholeProcess,
}

impl Regime {
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Marginal => "marginal cost",
            Regime::WholeProcess => "whole process",
        }
    }
}

/// One workload's figure for a claim: a contender against its baseline, in its regime.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub workload: String,
    pub contender: String,
    pub contender_label: Option<String>,
    /// What does the contender's work when not its own language (`C (re module)`).
    pub backed_by: Option<String>,
    pub regime: Regime,
    pub metric: Metric,
    pub ratio: Estimate,
    /// For a whole-process figure: the point it was read at, on a ladder (`n=1024`).
    pub at: Option<String>,
}

/// A figure with what its interval was drawn from, for estimates across workloads.
#[derive(Clone, Debug)]
pub struct Judged<'a> {
    pub figure: Figure,
    pub sample: RatioSample<'a>,
}

impl Figure {
    /// faster / slower / within noise, from the interval against the noise band.
    pub fn verdict(&self) -> Verdict {
        crate::stats::verdict_beyond(
            self.ratio.ci_low,
            self.ratio.ci_high,
            self.metric.noise_floor(),
        )
    }

    /// `0.05× [0.04, 0.06] marginal cost` or `1.89× [1.73, 1.99] whole process at n=512`.
    pub fn describe(&self) -> String {
        let ratio =
            super::units::format_ratio(self.ratio.value, self.ratio.ci_low, self.ratio.ci_high);
        match &self.at {
            Some(at) => format!("{ratio} ({}, at {at})", self.regime.as_str()),
            None => format!("{ratio} ({})", self.regime.as_str()),
        }
    }
}

/// Per workload, the figure of each comparison `eligible` accepts: its ladder's marginal ratio
/// when one was fitted, else the whole process (on a ladder, at its largest point).
pub fn judge<'a>(
    cases: &[CaseView],
    comparisons: &'a [ComparisonView],
    costs: &'a [CostLine],
    eligible: impl Fn(&CaseView, &CaseView) -> bool,
) -> Vec<Judged<'a>> {
    let mut judged: Vec<Judged<'a>> = Vec::new();
    for c in comparisons {
        let (base, cont) = (&cases[c.baseline_index], &cases[c.contender_index]);
        if !eligible(base, cont) {
            continue;
        }
        let same =
            |j: &Judged| j.figure.workload == c.workload && j.figure.contender == cont.label();
        let line = costs.iter().find(|l| {
            l.group == c.group && l.contender == cont.label() && l.baseline == base.label()
        });
        let figure = |regime, metric, ratio, at| Figure {
            workload: c.workload.clone(),
            contender: cont.label(),
            contender_label: cont.label.clone(),
            backed_by: cont.backed_by.clone(),
            regime,
            metric,
            ratio,
            at,
        };
        let found = match line {
            Some(line) => Judged {
                figure: figure(
                    Regime::Marginal,
                    line.metric.clone(),
                    line.fit.marginal_ratio,
                    None,
                ),
                sample: RatioSample::Drawn {
                    value: line.fit.marginal_ratio.value,
                    draws: &line.fit.ratio_draws,
                },
            },
            None => Judged {
                figure: figure(
                    Regime::WholeProcess,
                    c.metric.clone(),
                    Estimate {
                        value: c.ratio,
                        ci_low: c.ci_low,
                        ci_high: c.ci_high,
                    },
                    cont.work.and(cont.point.as_ref()).map(ToString::to_string),
                ),
                sample: RatioSample::Paired(&c.paired),
            },
        };
        match judged.iter().position(same) {
            // A ladder has a comparison per point: its line, or its largest point, stands for it.
            Some(i) if judged[i].figure.regime == Regime::WholeProcess => {
                if larger_point(cont, &judged[i].figure) {
                    judged[i] = found;
                }
            }
            Some(_) => {}
            None => judged.push(found),
        }
    }
    judged
}

fn larger_point(case: &CaseView, than: &Figure) -> bool {
    let value = |text: &str| text.rsplit('=').next().and_then(|v| v.parse::<u64>().ok());
    match (case.point.as_ref(), than.at.as_deref().and_then(value)) {
        (Some(point), Some(previous)) => point.value > previous,
        _ => false,
    }
}
