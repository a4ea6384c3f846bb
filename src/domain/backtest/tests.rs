//! Hand-computed cases for the backtest and tune formulas.

use super::*;
use crate::domain::health::Weights;

fn c(u: f64, e: f64, s: f64, p: f64) -> Components {
    Components { usage: u, engagement: e, satisfaction: s, payment: p }
}

fn best_weights(fit: &[Sample], grid: &[Weights], current: Weights) -> Option<(Weights, Auc)> {
    search(fit, grid, current).and_then(|s| s.best).and_then(|b| Some((b.weights, b.fit.auc?)))
}

fn val(x: &[(i64, bool)]) -> Option<f64> {
    auc(x).map(Auc::value)
}

#[test]
fn all_ties_give_one_half() {
    let x = [(50, true), (50, false), (50, true), (50, false), (50, false)];
    assert_eq!(val(&x), Some(0.5));
}

#[test]
fn perfect_separation_gives_one() {
    let x = [(10, true), (20, true), (30, false), (90, false)];
    assert_eq!(val(&x), Some(1.0));
    // and the reverse order gives zero
    let y = [(10, false), (20, false), (30, true), (90, true)];
    assert_eq!(val(&y), Some(0.0));
}

#[test]
fn without_both_kinds_there_is_no_auc() {
    assert_eq!(val(&[(10, true), (20, true)]), None);
    assert_eq!(val(&[(10, false)]), None);
    assert_eq!(val(&[]), None);
}

#[test]
fn three_by_three_by_hand() {
    // churned scores 30, 50, 70; retained 50, 60, 80. Nine pairs (c, r):
    // 30: below 50, 60, 80        → 3 wins
    // 50: tie 50, below 60, 80    → 2 wins + 1 tie
    // 70: above 50, 60; below 80  → 1 win
    // (3 + 2 + 1 + 0.5) / 9 = 6.5 / 9 = 0.7222…
    let x = [(30, true), (50, true), (70, true), (50, false), (60, false), (80, false)];
    let a = auc(&x).unwrap();
    assert_eq!(a, Auc { twice: 13, pairs: 9 });
    assert!((a.value() - 6.5 / 9.0).abs() < 1e-12);
    let mut hc = [0u64; 101];
    let mut hr = [0u64; 101];
    for (s, ch) in x {
        if ch {
            hc[s as usize] += 1
        } else {
            hr[s as usize] += 1
        }
    }
    assert_eq!(auc_of_histogram(&hc, &hr), Some(a));
    assert_eq!(lift_of_histogram(&hc, &hr), lift(&x));
    assert!(lift(&x).is_some());
}

/// The histogram lift is the list lift, whichever samples (none, all
/// retained, all low, a mix at every band's edge).
#[test]
fn lift_from_counts_equals_lift_from_samples() {
    let cases: [&[(i64, bool)]; 5] = [
        &[],
        &[(90, false), (20, false)],
        &[(10, true), (59, false), (59, true)],
        &[(0, true), (39, false), (40, true), (59, false), (60, true), (79, false), (80, true), (100, false)],
        &[(85, true), (95, false), (70, false)],
    ];
    for x in cases {
        let (mut hc, mut hr) = ([0u64; 101], [0u64; 101]);
        for &(s, ch) in x {
            if ch {
                hc[s as usize] += 1
            } else {
                hr[s as usize] += 1
            }
        }
        assert_eq!(lift_of_histogram(&hc, &hr), lift(x), "{x:?}");
    }
}

#[test]
fn band_counts_of_a_small_history() {
    // healthy: 90 (retained), 85 (churned); neutral: 70; at-risk: 45, 50 (churned both);
    // critical: 10 (churned). 6 samples, 4 churned.
    let x = [(90, false), (85, true), (70, false), (45, true), (50, true), (10, true)];
    let t = band_table(&x);
    let got: Vec<(&str, usize, usize)> = t.iter().map(|r| (r.band.name(), r.samples, r.churned)).collect();
    assert_eq!(got, [("healthy", 2, 1), ("neutral", 1, 0), ("at-risk", 2, 2), ("critical", 1, 1)]);
    assert_eq!(t[0].churn_rate, Some(50.0));
    assert_eq!(t[0].share_of_churn, Some(25.0));
    assert_eq!(t[2].share_of_churn, Some(50.0));
    // at-risk + critical: 3 of 3 churned (rate 1) ÷ overall 4/6 → 1.5
    assert_eq!(lift(&x), Some(1.5));
    assert_eq!(lift(&[(90, true), (80, false)]), None);
    assert_eq!(lift(&[(10, false), (80, false)]), None);
    let empty = band_table(&[]);
    assert_eq!(empty[1].churn_rate, None);
    assert_eq!(empty[1].share_of_churn, None);
}

#[test]
fn the_grid_is_complete_and_lexical() {
    let g = weight_grid(50);
    assert_eq!(
        g,
        [
            Weights([0, 0, 0, 100]),
            Weights([0, 0, 50, 50]),
            Weights([0, 0, 100, 0]),
            Weights([0, 50, 0, 50]),
            Weights([0, 50, 50, 0]),
            Weights([0, 100, 0, 0]),
            Weights([50, 0, 0, 50]),
            Weights([50, 0, 50, 0]),
            Weights([50, 50, 0, 0]),
            Weights([100, 0, 0, 0])
        ]
    );
    // C(23, 3) vectors at step 5
    assert_eq!(weight_grid(5).len(), 1771);
    assert!(weight_grid(0).is_empty());
    assert!(weight_grid(30).is_empty());
}

#[test]
fn tune_prefers_the_signal_and_breaks_ties_by_distance_then_order() {
    // Churn follows payment only: P separates perfectly.
    let fit = [
        Sample { components: c(100.0, 100.0, 50.0, 0.0), churned: true },
        Sample { components: c(100.0, 100.0, 50.0, 100.0), churned: false },
        Sample { components: c(0.0, 0.0, 50.0, 100.0), churned: false },
    ];
    let grid = weight_grid(50);
    // Scores reaching 1.0: [0,0,0,100] (churned 0, retained 100 and 100) and
    // [0,0,50,50] (25 against 75, 75); [0,50,0,50] ties the churned 50 with
    // the second retained 50 (0.75). Both best are 200 from [50,50,0,0]:
    // the first in lexical order wins.
    let (w, a) = best_weights(&fit, &grid, Weights([50, 50, 0, 0])).unwrap();
    assert_eq!(a.value(), 1.0);
    assert_eq!(w, Weights([0, 0, 0, 100]));
    // Nearer the current weights wins over lexical order.
    assert_eq!(best_weights(&fit, &grid, Weights([0, 0, 50, 50])).unwrap().0, Weights([0, 0, 50, 50]));
    // All samples tied: every vector gives 0.5; the current one (distance 0) wins.
    let flat = [
        Sample { components: c(50.0, 50.0, 50.0, 50.0), churned: true },
        Sample { components: c(50.0, 50.0, 50.0, 50.0), churned: false },
    ];
    assert_eq!(best_weights(&flat, &grid, Weights([50, 0, 50, 0])).unwrap().0, Weights([50, 0, 50, 0]));
    // Not in the grid: the six vectors with two 50s are all 100 from
    // [25,25,25,25]; the first of them wins.
    assert_eq!(best_weights(&flat, &grid, Weights([25, 25, 25, 25])).unwrap().0, Weights([0, 0, 50, 50]));
    assert_eq!(best_weights(&flat[..1], &grid, Weights([40, 30, 20, 10])), None);
}

#[test]
fn grouped_samples_give_the_histogram_of_the_samples() {
    let samples = [
        Sample { components: c(100.0, 50.0, 50.0, 0.0), churned: true },
        Sample { components: c(100.0, 50.0, 50.0, 0.0), churned: false },
        Sample { components: c(100.0, 50.0, 50.0, 0.0), churned: true },
        Sample { components: c(25.0, 0.0, 50.0, 100.0), churned: false },
    ];
    let g = grouped(&samples);
    assert_eq!(g.len(), 2);
    assert_eq!((g[0].1, g[0].2), (2, 1));
    let (churned, retained) = histogram(&samples, Weights([40, 30, 20, 10]));
    // 40 + 15 + 10 + 0 = 65; 10 + 0 + 10 + 10 = 30.
    assert_eq!((churned[65], retained[65], retained[30]), (2, 1, 1));
    assert_eq!(churned.iter().sum::<u64>() + retained.iter().sum::<u64>(), 4);
}

#[test]
fn fit_takes_the_older_two_thirds_rounded_up() {
    assert_eq!(fit_count(12), 8);
    assert_eq!(fit_count(4), 3);
    assert_eq!(fit_count(1), 1);
}

fn auc_of(value_times_10000: u128) -> Option<Auc> {
    Some(Auc { twice: 2 * value_times_10000, pairs: 10_000 })
}

#[test]
fn verdict_thresholds_at_their_edges() {
    let v = |x| Verdict::of(auc_of(x)).name();
    assert_eq!(v(0), "weak");
    assert_eq!(v(5_999), "weak");
    assert_eq!(v(6_000), "fair");
    assert_eq!(v(6_999), "fair");
    assert_eq!(v(7_000), "useful");
    assert_eq!(v(7_999), "useful");
    assert_eq!(v(8_000), "good");
    assert_eq!(v(10_000), "good");
    assert_eq!(Verdict::of(None), Verdict::Unknown);
    // 3 of 5 pairs right is exactly 0.6: fair, not weak through float error.
    assert_eq!(Verdict::of(Some(Auc { twice: 6, pairs: 5 })), Verdict::Fair);
}

#[test]
fn catch_missed_and_alert_rate_of_hand_counted_bands() {
    // 10 samples, 5 churned:
    //   healthy  95 (churned), 85 (churned), 90, 80        → 2 of the 5 churned missed
    //   neutral  79 (churned), 60                          → neither caught nor missed
    //   at-risk  59 (churned), 40                          → caught, and an alert
    //   critical 39 (churned), 0                           → caught, and an alert
    // catch 2/5 = 40%, missed 2/5 = 40%, alert rate 4/10 = 40%.
    let x = [
        (95, true),
        (85, true),
        (90, false),
        (80, false),
        (79, true),
        (60, false),
        (59, true),
        (40, false),
        (39, true),
        (0, false),
    ];
    let m = Measures::of(&x);
    assert_eq!((m.samples, m.churned, m.caught, m.missed, m.alerted), (10, 5, 2, 2, 4));
    assert_eq!(m.catch(), Some(40.0));
    assert_eq!(m.missed_share(), Some(40.0));
    assert_eq!(m.alert_rate(), Some(40.0));
    // The band table agrees: catch = at-risk + critical share of churn.
    let t = band_table(&x);
    assert_eq!(t[2].share_of_churn.unwrap() + t[3].share_of_churn.unwrap(), 40.0);
    assert_eq!(t[0].share_of_churn, Some(40.0));
    // Nothing churned: no catch and no missed share, but an alert rate.
    let calm = Measures::of(&[(10, false), (90, false), (70, false)]);
    assert_eq!((calm.catch(), calm.missed_share()), (None, None));
    assert!((calm.alert_rate().unwrap() - 100.0 / 3.0).abs() < 1e-12);
    assert_eq!(Measures::of(&[]).alert_rate(), None);
}

#[test]
fn a_higher_auc_that_scores_leavers_healthy_is_not_eligible() {
    // Two leavers: one with a failed payment and no usage, one paying with no
    // usage; two stayers: one paying and busy, one paying and idle.
    let fit = [
        Sample { components: c(0.0, 0.0, 50.0, 0.0), churned: true },
        Sample { components: c(0.0, 0.0, 50.0, 100.0), churned: true },
        Sample { components: c(100.0, 100.0, 50.0, 100.0), churned: false },
        Sample { components: c(0.0, 0.0, 50.0, 100.0), churned: false },
    ];
    // Current 50,50,0,0: leavers 0 and 0 (both caught, none missed);
    // stayers 100 and 0. AUC: (2 wins + 2 ties) / 4 = 0.75.
    // 0,0,0,100: leavers 0 and 100 (one missed), stayers 100, 100.
    // AUC: (2 wins + 2 ties) / 4 = 0.75 too. 0,50,0,50: leavers 0, 50;
    // stayers 100, 50: (2 + 1 + 0.5) / 4 = 0.875 — the top, but its paying
    // leaver (50) is still at-risk: eligible. 0,0,50,50: 25, 75 against
    // 75, 75: (2 + 1) / 4 = 0.75, its paying leaver neutral: not caught.
    let grid = weight_grid(50);
    let s = search(&fit, &grid, Weights([50, 50, 0, 0])).unwrap();
    assert_eq!((s.current.fit.caught, s.current.fit.missed), (2, 0));
    assert_eq!(s.top.weights, Weights([0, 50, 0, 50]));
    assert_eq!(s.best.unwrap().weights, Weights([0, 50, 0, 50]));
    let only = [Weights([0, 0, 0, 100]), Weights([0, 0, 50, 50])];
    let s = search(&fit, &only, Weights([50, 50, 0, 0])).unwrap();
    // Both score 0.75 and the first is 200 from the current, like the
    // second: the first is the top, and neither is eligible.
    assert_eq!(s.top.weights, Weights([0, 0, 0, 100]));
    assert_eq!((s.top.fit.caught, s.top.fit.missed), (1, 1));
    assert!(!s.top.eligible(&s.current.fit));
    assert_eq!(s.best, None);
}
