//! Backtest and tune (docs/health.md): how well the health score foretold churn —
//! AUC, the band table, lift, the weight grid and the tune choice. Pure
//! functions over plain samples; nothing here reads a database or a clock.

use crate::domain::health::{self, Band, Components};

/// One customer at one cutoff: its unrounded components and whether it
/// churned within the horizon after the cutoff.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub components: Components,
    pub churned: bool,
}

impl Sample {
    /// The score under `weights`, exactly as `health score` computes it.
    pub fn score(&self, weights: [u32; 4]) -> i64 {
        health::score(&self.components, weights)
    }
}

/// The AUC as an exact fraction: `twice` = 2 × (pairs where the churned
/// sample scored below the retained one) + (tied pairs), over 2 × `pairs`.
/// Kept as integers so that equal AUCs compare equal in the tune tie rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auc {
    pub twice: u128,
    pub pairs: u128,
}

impl Auc {
    pub fn value(self) -> f64 {
        self.twice as f64 / (2.0 * self.pairs as f64)
    }

    /// Compares two AUCs exactly (cross-multiplied fractions).
    pub fn cmp_exact(self, other: Auc) -> std::cmp::Ordering {
        (self.twice * other.pairs).cmp(&(other.twice * self.pairs))
    }
}

/// The chance that a churned sample scored below a retained one, ties
/// counting half; `None` without both kinds. Sorts the scores once
/// (O(n log n)) and walks groups of equal scores.
pub fn auc(scored: &[(i64, bool)]) -> Option<Auc> {
    let mut v = scored.to_vec();
    v.sort_unstable_by_key(|(s, _)| *s);
    let total_retained = v.iter().filter(|(_, c)| !*c).count() as u128;
    let total_churned = v.len() as u128 - total_retained;
    if total_churned == 0 || total_retained == 0 {
        return None;
    }
    // Walking up the scores: a churned sample beats every retained one with
    // a higher score and ties with those of its own score.
    let mut retained_below = 0u128;
    let mut twice = 0u128;
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        let (mut c, mut r) = (0u128, 0u128);
        while j < v.len() && v[j].0 == v[i].0 {
            if v[j].1 {
                c += 1
            } else {
                r += 1
            }
            j += 1;
        }
        let retained_above = total_retained - retained_below - r;
        twice += c * (2 * retained_above + r);
        retained_below += r;
        i = j;
    }
    Some(Auc { twice, pairs: total_churned * total_retained })
}

/// Counts of churned and retained samples per integer score 0–100: the AUC
/// of many weight vectors over the same samples without a sort each time
/// (a counting sort; same result as [`auc`]).
pub fn auc_of_histogram(churned: &[u64; 101], retained: &[u64; 101]) -> Option<Auc> {
    let nc: u128 = churned.iter().map(|&n| n as u128).sum();
    let nr: u128 = retained.iter().map(|&n| n as u128).sum();
    if nc == 0 || nr == 0 {
        return None;
    }
    let mut retained_below = 0u128;
    let mut twice = 0u128;
    for s in 0..=100 {
        let (c, r) = (churned[s] as u128, retained[s] as u128);
        twice += c * (2 * (nr - retained_below - r) + r);
        retained_below += r;
    }
    Some(Auc { twice, pairs: nc * nr })
}

/// One row of the band table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandRow {
    pub band: Band,
    pub samples: usize,
    pub churned: usize,
    /// 100 × churned / samples; `None` for an empty band.
    pub churn_rate: Option<f64>,
    /// 100 × churned / all churned samples; `None` when nothing churned.
    pub share_of_churn: Option<f64>,
}

/// Per band (healthy, neutral, at-risk, critical) from (score, churned) pairs.
pub fn band_table(scored: &[(i64, bool)]) -> Vec<BandRow> {
    let total_churned = scored.iter().filter(|(_, c)| *c).count();
    Band::ALL
        .iter()
        .map(|&band| {
            let inb = scored.iter().filter(|(s, _)| Band::of(*s) == band);
            let (samples, churned) = inb.fold((0, 0), |(n, c), (_, ch)| (n + 1, c + usize::from(*ch)));
            BandRow {
                band,
                samples,
                churned,
                churn_rate: (samples > 0).then(|| 100.0 * churned as f64 / samples as f64),
                share_of_churn: (total_churned > 0).then(|| 100.0 * churned as f64 / total_churned as f64),
            }
        })
        .collect()
}

/// The churn rate of at-risk + critical samples ÷ the overall churn rate;
/// `None` when either is undefined (no such samples, or nothing churned).
pub fn lift(scored: &[(i64, bool)]) -> Option<f64> {
    let n = scored.len();
    let churned = scored.iter().filter(|(_, c)| *c).count();
    let low: Vec<_> = scored.iter().filter(|(s, _)| Band::of(*s) <= Band::AtRisk).collect();
    let low_churned = low.iter().filter(|(_, c)| *c).count();
    if n == 0 || churned == 0 || low.is_empty() {
        return None;
    }
    let overall = churned as f64 / n as f64;
    Some((low_churned as f64 / low.len() as f64) / overall)
}

/// Every weight vector of non-negative multiples of `step` summing to 100, in
/// lexical order. `step` must divide 100 and be positive (else empty).
pub fn weight_grid(step: u32) -> Vec<[u32; 4]> {
    let mut out = Vec::new();
    if step == 0 || 100 % step != 0 {
        return out;
    }
    for u in (0..=100).step_by(step as usize) {
        for e in (0..=100 - u).step_by(step as usize) {
            for s in (0..=100 - u - e).step_by(step as usize) {
                out.push([u, e, s, 100 - u - e - s]);
            }
        }
    }
    out
}

/// The sum of absolute differences between two weight vectors.
pub fn distance(a: [u32; 4], b: [u32; 4]) -> u32 {
    a.iter().zip(b).map(|(x, y)| x.abs_diff(y)).sum()
}

/// Histograms of (churned, retained) counts per score for `samples`.
pub fn histogram(samples: &[Sample], weights: [u32; 4]) -> ([u64; 101], [u64; 101]) {
    histogram_of_groups(&grouped(samples), weights)
}

/// Samples with the same components, counted: (components, churned, retained).
/// Components take few distinct values (usage in quarters, engagement in
/// fractions of the core features, payment 0 or 100), so a grid of 1,771
/// weight vectors scores thousands of groups instead of a million samples.
pub fn grouped(samples: &[Sample]) -> Vec<(Components, u64, u64)> {
    let mut index: std::collections::HashMap<[u64; 4], usize> = std::collections::HashMap::new();
    let mut out: Vec<(Components, u64, u64)> = Vec::new();
    for s in samples {
        let c = s.components;
        let key = [c.usage.to_bits(), c.engagement.to_bits(), c.satisfaction.to_bits(), c.payment.to_bits()];
        let i = *index.entry(key).or_insert_with(|| {
            out.push((c, 0, 0));
            out.len() - 1
        });
        if s.churned {
            out[i].1 += 1;
        } else {
            out[i].2 += 1;
        }
    }
    out
}

/// Histograms of (churned, retained) counts per score for grouped samples.
fn histogram_of_groups(groups: &[(Components, u64, u64)], weights: [u32; 4]) -> ([u64; 101], [u64; 101]) {
    let mut h = ([0u64; 101], [0u64; 101]);
    for (c, churned, retained) in groups {
        let score = health::score(c, weights).clamp(0, 100) as usize;
        h.0[score] += churned;
        h.1[score] += retained;
    }
    h
}

/// The tune choice: the grid vector with the highest AUC on `fit`; ties go
/// to the one nearest `current` (sum of absolute differences), then the
/// first in the grid's lexical order. `None` when `fit` lacks either kind.
pub fn best_weights(fit: &[Sample], grid: &[[u32; 4]], current: [u32; 4]) -> Option<([u32; 4], Auc)> {
    let groups = grouped(fit);
    let mut best: Option<([u32; 4], Auc)> = None;
    for &w in grid {
        let (c, r) = histogram_of_groups(&groups, w);
        let a = auc_of_histogram(&c, &r)?;
        best = match best {
            None => Some((w, a)),
            Some((bw, ba)) => match a.cmp_exact(ba) {
                std::cmp::Ordering::Greater => Some((w, a)),
                std::cmp::Ordering::Equal if distance(w, current) < distance(bw, current) => Some((w, a)),
                _ => Some((bw, ba)),
            },
        };
    }
    best
}

/// How many of `n` cutoffs (oldest first) are fit cutoffs: ⌈2n/3⌉.
pub fn fit_count(n: usize) -> usize {
    (2 * n).div_ceil(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(u: f64, e: f64, s: f64, p: f64) -> Components {
        Components { usage: u, engagement: e, satisfaction: s, payment: p }
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
    }

    #[test]
    fn band_counts_of_a_small_history() {
        // healthy: 90 (retained), 85 (churned); neutral: 70; at-risk: 45, 50 (churned both);
        // critical: 10 (churned). 6 samples, 4 churned.
        let x = [(90, false), (85, true), (70, false), (45, true), (50, true), (10, true)];
        let t = band_table(&x);
        let got: Vec<(&str, usize, usize)> =
            t.iter().map(|r| (r.band.name(), r.samples, r.churned)).collect();
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
                [0, 0, 0, 100],
                [0, 0, 50, 50],
                [0, 0, 100, 0],
                [0, 50, 0, 50],
                [0, 50, 50, 0],
                [0, 100, 0, 0],
                [50, 0, 0, 50],
                [50, 0, 50, 0],
                [50, 50, 0, 0],
                [100, 0, 0, 0]
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
        let (w, a) = best_weights(&fit, &grid, [50, 50, 0, 0]).unwrap();
        assert_eq!(a.value(), 1.0);
        assert_eq!(w, [0, 0, 0, 100]);
        // Nearer the current weights wins over lexical order.
        assert_eq!(best_weights(&fit, &grid, [0, 0, 50, 50]).unwrap().0, [0, 0, 50, 50]);
        // All samples tied: every vector gives 0.5; the current one (distance 0) wins.
        let flat = [
            Sample { components: c(50.0, 50.0, 50.0, 50.0), churned: true },
            Sample { components: c(50.0, 50.0, 50.0, 50.0), churned: false },
        ];
        assert_eq!(best_weights(&flat, &grid, [50, 0, 50, 0]).unwrap().0, [50, 0, 50, 0]);
        // Not in the grid: the six vectors with two 50s are all 100 from
        // [25,25,25,25]; the first of them wins.
        assert_eq!(best_weights(&flat, &grid, [25, 25, 25, 25]).unwrap().0, [0, 0, 50, 50]);
        assert_eq!(best_weights(&flat[..1], &grid, [40, 30, 20, 10]), None);
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
        let (churned, retained) = histogram(&samples, [40, 30, 20, 10]);
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
}
