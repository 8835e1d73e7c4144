use proptest::prelude::*;

use super::*;

#[test]
fn median_and_mad_of_known_samples() {
    assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    let s = summarize(&[1.0, 1.0, 2.0, 2.0, 4.0, 6.0, 9.0], RESAMPLES_FINAL).unwrap();
    assert_eq!(s.median, 2.0);
    assert_eq!(s.mad, 1.0);
    assert_eq!(s.min, 1.0);
    assert_eq!(s.max, 9.0);
    assert!((s.mean - 25.0 / 7.0).abs() < 1e-12);
}

#[test]
fn empty_or_non_finite_samples_have_no_summary() {
    assert!(summarize(&[], 100).is_none());
    assert!(summarize(&[1.0, f64::NAN], 100).is_none());
    assert!(compare(&[], &[1.0], 100).is_none());
    assert!(compare(&[0.0, 1.0], &[1.0, 1.0], 100).is_none());
}

#[test]
fn one_run_on_a_side_calls_no_difference() {
    // A single value resamples to itself: its interval would be a point.
    assert!(compare(&[1.0], &[2.0, 2.1, 1.9], 100).is_none());
    assert!(compare(&[1.0, 1.1], &[2.0], 100).is_none());
    assert!(compare(&[1.0, 1.1], &[2.0, 2.1], 100).is_some());
}

#[test]
fn constant_samples_have_a_point_interval() {
    let s = summarize(&[0.5; 9], RESAMPLES_FINAL).unwrap();
    assert_eq!((s.ci_low, s.ci_high), (0.5, 0.5));
    let c = compare(&[0.01; 5], &[0.61; 5], RESAMPLES_FINAL).unwrap();
    assert!((c.ratio - 61.0).abs() < 1e-9);
    assert_eq!(c.verdict, Verdict::Slower);
}

#[test]
fn verdicts_follow_the_interval_and_the_noise_band() {
    let base = [1.00, 1.01, 0.99, 1.02, 0.98, 1.00, 1.01];
    let same = [1.01, 1.00, 0.99, 1.00, 1.02, 0.99, 1.00];
    let slow = [1.50, 1.52, 1.49, 1.51, 1.48, 1.50, 1.53];
    let fast = [0.50, 0.51, 0.49, 0.50, 0.52, 0.48, 0.50];
    assert_eq!(
        compare(&base, &same, RESAMPLES_FINAL).unwrap().verdict,
        Verdict::WithinNoise
    );
    assert_eq!(
        compare(&base, &slow, RESAMPLES_FINAL).unwrap().verdict,
        Verdict::Slower
    );
    assert_eq!(
        compare(&base, &fast, RESAMPLES_FINAL).unwrap().verdict,
        Verdict::Faster
    );
    // A 1% difference measured precisely is still within the 2% noise band.
    let one_percent: Vec<f64> = [1.0; 7].iter().map(|v| v * 1.01).collect();
    assert_eq!(
        compare(&[1.0; 7], &one_percent, RESAMPLES_FINAL)
            .unwrap()
            .verdict,
        Verdict::WithinNoise
    );
}

#[test]
fn outliers_are_flagged_not_dropped() {
    let values = [1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 9.0];
    let flags = outlier_flags(&values);
    assert_eq!(flags, [false, false, false, false, false, false, true]);
    assert_eq!(outlier_flags(&[1.0, 100.0]), [false, false]);
}

#[test]
fn the_same_data_gives_the_same_interval() {
    let a = [1.0, 1.2, 0.9, 1.1, 1.3, 0.95];
    assert_eq!(summarize(&a, 2000), summarize(&a, 2000));
}

fn positive_sample() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.001f64..100.0, MIN_SAMPLES..40)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn interval_contains_the_median(values in positive_sample()) {
        let s = summarize(&values, RESAMPLES_QUICK).unwrap();
        prop_assert!(s.min <= s.ci_low && s.ci_low <= s.median, "{s:?}");
        prop_assert!(s.median <= s.ci_high && s.ci_high <= s.max, "{s:?}");
        prop_assert!(s.mad >= 0.0);
    }

    #[test]
    fn ratios_invert(a in positive_sample(), b in positive_sample()) {
        let ab = compare(&a, &b, RESAMPLES_QUICK).unwrap();
        let ba = compare(&b, &a, RESAMPLES_QUICK).unwrap();
        prop_assert!((ab.ratio * ba.ratio - 1.0).abs() < 1e-9);
        prop_assert!((ab.ci_low * ba.ci_high - 1.0).abs() < 1e-9, "{ab:?} {ba:?}");
        prop_assert!((ab.ci_high * ba.ci_low - 1.0).abs() < 1e-9, "{ab:?} {ba:?}");
        let mirrored = match ab.verdict {
            Verdict::Faster => Verdict::Slower,
            Verdict::Slower => Verdict::Faster,
            Verdict::WithinNoise => Verdict::WithinNoise,
        };
        prop_assert_eq!(ba.verdict, mirrored);
    }

    #[test]
    fn ratio_interval_contains_the_ratio(a in positive_sample(), b in positive_sample()) {
        let c = compare(&a, &b, RESAMPLES_QUICK).unwrap();
        prop_assert!(c.ci_low <= c.ratio * (1.0 + 1e-12) && c.ratio <= c.ci_high * (1.0 + 1e-12), "{c:?}");
    }
}

fn pairs(baseline: &[f64], contender: &[f64]) -> Vec<Pair> {
    baseline
        .iter()
        .zip(contender)
        .map(|(&baseline, &contender)| Pair {
            baseline,
            contender,
        })
        .collect()
}

#[test]
fn geometric_mean_of_ratios() {
    let a = pairs(&[1.0, 1.0, 1.0], &[4.0, 4.0, 4.0]);
    let b = pairs(&[2.0, 2.0, 2.0], &[2.0, 2.0, 2.0]);
    let g = geometric_mean_ratio(
        &[RatioSample::Paired(&a), RatioSample::Paired(&b)],
        RESAMPLES_QUICK,
    )
    .unwrap();
    // sqrt(4 × 1) = 2, and constant samples have a point interval.
    assert!((g.value - 2.0).abs() < 1e-12);
    assert!((g.ci_low - 2.0).abs() < 1e-12 && (g.ci_high - 2.0).abs() < 1e-12);
    assert!(geometric_mean_ratio(&[], 100).is_none());
    assert!(
        geometric_mean_ratio(&[RatioSample::Paired(&a[..1])], 100).is_none(),
        "one pair is no interval"
    );
}

#[test]
fn rounds_pair_with_the_same_round_only() {
    let base = [(1, 1.0), (2, 2.0), (3, 3.0)];
    let cont = [(3, 30.0), (1, 10.0)];
    assert_eq!(
        pair_by_round(&base, &cont),
        [
            Pair {
                baseline: 1.0,
                contender: 10.0
            },
            Pair {
                baseline: 3.0,
                contender: 30.0
            }
        ]
    );
}

#[test]
fn pairing_cancels_drift_that_hits_both_sides() {
    // The machine slows down over the run: every round is slower than the one before, for
    // both programs alike, with 1% noise of their own. The contender takes 3x the baseline.
    let mut rng = fastrand::Rng::with_seed(7);
    let drift: Vec<f64> = (0..12).map(|i| 1.0 + 0.08 * i as f64).collect();
    let base: Vec<f64> = drift.iter().map(|d| d * (1.0 + 0.01 * rng.f64())).collect();
    let cont: Vec<f64> = drift
        .iter()
        .map(|d| 3.0 * d * (1.0 + 0.01 * rng.f64()))
        .collect();
    let paired = compare_paired(&pairs(&base, &cont), RESAMPLES_FINAL).unwrap();
    let unpaired = compare(&base, &cont, RESAMPLES_FINAL).unwrap();
    assert!(
        paired.ci_low <= 3.0 * 1.01 && 3.0 / 1.01 <= paired.ci_high,
        "{paired:?}"
    );
    assert!(paired.relative_half_width() < 0.01, "{paired:?}");
    assert!(
        unpaired.relative_half_width() > 5.0 * paired.relative_half_width(),
        "{unpaired:?} against {paired:?}"
    );
}

#[test]
fn paired_comparisons_need_two_valid_pairs() {
    assert!(compare_paired(&pairs(&[1.0], &[2.0]), 100).is_none());
    assert!(compare_paired(&pairs(&[1.0, 0.0], &[2.0, 2.0]), 100).is_none());
    assert!(compare_paired(&pairs(&[1.0, 1.0], &[2.0, f64::NAN]), 100).is_none());
    let c = compare_paired(&pairs(&[1.0, 1.0], &[2.0, 2.0]), 100).unwrap();
    assert_eq!((c.ratio, c.ci_low, c.ci_high), (2.0, 2.0, 2.0));
    assert_eq!(c.verdict, Verdict::Slower);
}

fn paired_sample() -> impl Strategy<Value = Vec<Pair>> {
    prop::collection::vec((0.001f64..100.0, 0.001f64..100.0), MIN_SAMPLES..40).prop_map(|v| {
        v.into_iter()
            .map(|(baseline, contender)| Pair {
                baseline,
                contender,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn geometric_mean_interval_contains_it(a in paired_sample(), b in paired_sample()) {
        let g = geometric_mean_ratio(&[RatioSample::Paired(&a), RatioSample::Paired(&b)], RESAMPLES_QUICK).unwrap();
        prop_assert!(g.ci_low <= g.value * (1.0 + 1e-9) && g.value <= g.ci_high * (1.0 + 1e-9), "{g:?}");
    }

    #[test]
    fn paired_ratios_invert(sample in paired_sample()) {
        let mirrored: Vec<Pair> = sample
            .iter()
            .map(|p| Pair { baseline: p.contender, contender: p.baseline })
            .collect();
        let ab = compare_paired(&sample, RESAMPLES_QUICK).unwrap();
        let ba = compare_paired(&mirrored, RESAMPLES_QUICK).unwrap();
        prop_assert!((ab.ratio * ba.ratio - 1.0).abs() < 1e-9);
        prop_assert!((ab.ci_low * ba.ci_high - 1.0).abs() < 1e-9, "{ab:?} {ba:?}");
        prop_assert!((ab.ci_high * ba.ci_low - 1.0).abs() < 1e-9, "{ab:?} {ba:?}");
    }

    #[test]
    fn paired_interval_contains_the_ratio(sample in paired_sample()) {
        let c = compare_paired(&sample, RESAMPLES_QUICK).unwrap();
        prop_assert!(c.ci_low <= c.ratio * (1.0 + 1e-12) && c.ratio <= c.ci_high * (1.0 + 1e-12), "{c:?}");
    }
}

fn ladder(
    rounds: usize,
    works: &[f64],
    mut cost: impl FnMut(usize, f64) -> f64,
) -> Vec<Observation> {
    let mut observations = Vec::new();
    for round in 1..=rounds {
        for &work in works {
            let value = cost(round, work);
            observations.push(Observation { round, work, value });
        }
    }
    observations
}

#[test]
fn theil_sen_recovers_a_line_and_shrugs_off_a_wild_run() {
    let points = [(1.0, 0.11), (2.0, 0.12), (4.0, 0.14), (8.0, 0.18)];
    let line = theil_sen(&points).unwrap();
    assert!((line.fixed - 0.10).abs() < 1e-12 && (line.marginal - 0.01).abs() < 1e-12);
    let mut wild = points.to_vec();
    wild.extend([(1.0, 0.11), (2.0, 0.12), (4.0, 9.0), (8.0, 0.18)]);
    let robust = theil_sen(&wild).unwrap();
    assert!((robust.marginal - 0.01).abs() < 0.002, "{robust:?}");
    assert!(
        theil_sen(&[(1.0, 1.0), (1.0, 2.0)]).is_none(),
        "one work size is no line"
    );
}

#[test]
fn a_library_with_a_large_start_up_and_a_small_marginal_cost_is_seen_as_both() {
    // NumPy-like: 300 ms to start and import, 1 ns per unit; a naive loop: 2 ms, 10 ns per unit.
    // Both with 2% noise that differs between rounds.
    let mut rng = fastrand::Rng::with_seed(3);
    let mut noise: Vec<f64> = (0..200).map(|_| 1.0 + 0.02 * (rng.f64() - 0.5)).collect();
    let mut next = move || noise.pop().unwrap();
    let works = [256f64.powi(3), 512f64.powi(3), 1024f64.powi(3)];
    let go = ladder(6, &works, |_, w| (0.002 + 1e-8 * w) * next());
    let mut rng = fastrand::Rng::with_seed(4);
    let numpy = ladder(6, &works, |_, w| {
        (0.3 + 1e-9 * w) * (1.0 + 0.02 * (rng.f64() - 0.5))
    });
    let fit = compare_lines(&go, &numpy, RESAMPLES_QUICK).unwrap();
    let ratio = fit.marginal_ratio;
    assert!(ratio.ci_low <= 0.1 && 0.1 <= ratio.ci_high, "{ratio:?}");
    assert!(
        ratio.ci_high < 0.12,
        "ten times cheaper per unit, precisely: {ratio:?}"
    );
    assert!(
        (fit.contender.fixed.value - 0.3).abs() < 0.03,
        "{:?}",
        fit.contender.fixed
    );
    assert!(
        fit.baseline.fixed.value.abs() < 0.02,
        "{:?}",
        fit.baseline.fixed
    );
    // The lines cross where 0.3 + 1e-9 w = 0.002 + 1e-8 w: w ≈ 3.3e7 (n ≈ 322).
    let crossover = fit.crossover.clone().unwrap();
    let expected = 0.298 / 9e-9;
    assert!(
        crossover.work.ci_low <= expected && expected <= crossover.work.ci_high,
        "{crossover:?}"
    );
    assert!(crossover.share > 0.95);
    assert_eq!(fit.baseline.points, 3);
    assert!(fit.baseline.worst_residual < 0.05);
    assert_eq!(
        compare_lines(&go, &numpy, RESAMPLES_QUICK),
        Some(fit),
        "seeded"
    );
}

#[test]
fn lines_that_do_not_cross_have_no_crossover() {
    let works = [1.0, 2.0, 3.0];
    let base = ladder(4, &works, |r, w| 1.0 + w + 0.001 * r as f64);
    let cont = ladder(4, &works, |r, w| 2.0 + 2.0 * w + 0.001 * r as f64);
    let fit = compare_lines(&base, &cont, RESAMPLES_QUICK).unwrap();
    assert!(fit.crossover.is_none(), "{:?}", fit.crossover);
    assert!((fit.marginal_ratio.value - 2.0).abs() < 1e-9);
    // A baseline whose cost falls with the work gives no ratio of slopes.
    let falling = ladder(4, &works, |_, w| 10.0 - w);
    assert!(compare_lines(&falling, &cont, RESAMPLES_QUICK).is_none());
}

#[test]
fn a_cost_that_is_not_linear_shows_in_its_residual() {
    let works = [1.0, 2.0, 4.0, 8.0];
    let curved = ladder(3, &works, |_, w| w * w);
    let fit = compare_lines(&curved, &curved, RESAMPLES_QUICK).unwrap();
    assert!(fit.baseline.worst_residual > 0.3, "{:?}", fit.baseline);
}

#[test]
fn a_sweep_fitted_point_by_point_has_an_interval_only_from_repeated_runs() {
    let once: Vec<Observation> = [(1.0, 2.0e6), (1000.0, 4.7e6), (10000.0, 29.0e6)]
        .iter()
        .map(|&(work, value)| Observation {
            round: 1,
            work,
            value,
        })
        .collect();
    let fit = fit_by_point(&once, RESAMPLES_QUICK).unwrap();
    assert_eq!(
        fit.marginal.ci_low, fit.marginal.ci_high,
        "one run a point: no spread"
    );
    let twice: Vec<Observation> = once
        .iter()
        .flat_map(|o| {
            [
                *o,
                Observation {
                    value: o.value * 1.05,
                    ..*o
                },
            ]
        })
        .collect();
    let fit = fit_by_point(&twice, RESAMPLES_QUICK).unwrap();
    assert!(fit.marginal.ci_low < fit.marginal.ci_high);
    assert!(
        fit.marginal.ci_low <= fit.marginal.value && fit.marginal.value <= fit.marginal.ci_high
    );
}
