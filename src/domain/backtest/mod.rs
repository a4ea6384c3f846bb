//! Backtest and tune (docs/health.md): how well the health score foretold churn —
//! AUC, the band table, lift, the weight grid and the tune choice. Pure
//! functions over plain samples; nothing here reads a database or a clock.

use crate::domain::health::{self, Band, Components, Weights};

/// One customer at one cutoff: its unrounded components and whether it
/// churned within the horizon after the cutoff.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub components: Components,
    pub churned: bool,
}

impl Sample {
    /// The score under `weights`, exactly as `health score` computes it.
    pub fn score(&self, weights: Weights) -> i64 {
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

/// [`lift`] from counts per integer score 0–100 (as [`auc_of_histogram`]):
/// the same figure without a list of the samples.
pub fn lift_of_histogram(churned: &[u64; 101], retained: &[u64; 101]) -> Option<f64> {
    let sum = |h: &[u64; 101], only_low: bool| -> u64 {
        (0..=100usize).filter(|&s| !only_low || Band::of(s as i64) <= Band::AtRisk).map(|s| h[s]).sum()
    };
    let (c_all, r_all) = (sum(churned, false), sum(retained, false));
    let (c_low, r_low) = (sum(churned, true), sum(retained, true));
    let (n, low) = (c_all + r_all, c_low + r_low);
    if n == 0 || c_all == 0 || low == 0 {
        return None;
    }
    Some((c_low as f64 / low as f64) / (c_all as f64 / n as f64))
}

/// Every weight vector of non-negative multiples of `step` summing to 100, in
/// lexical order. `step` must divide 100 and be positive (else empty).
pub fn weight_grid(step: u32) -> Vec<Weights> {
    let mut out = Vec::new();
    if step == 0 || 100 % step != 0 {
        return out;
    }
    for u in (0..=100).step_by(step as usize) {
        for e in (0..=100 - u).step_by(step as usize) {
            for s in (0..=100 - u - e).step_by(step as usize) {
                out.push(Weights([u, e, s, 100 - u - e - s]));
            }
        }
    }
    out
}

/// The sum of absolute differences between two weight vectors.
pub fn distance(a: Weights, b: Weights) -> u32 {
    a.iter().zip(b.iter()).map(|(x, y)| x.abs_diff(*y)).sum()
}

/// Histograms of (churned, retained) counts per score for `samples`.
pub fn histogram(samples: &[Sample], weights: Weights) -> ([u64; 101], [u64; 101]) {
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
fn histogram_of_groups(groups: &[(Components, u64, u64)], weights: Weights) -> ([u64; 101], [u64; 101]) {
    let mut h = ([0u64; 101], [0u64; 101]);
    for (c, churned, retained) in groups {
        let score = health::score(c, weights).clamp(0, 100) as usize;
        h.0[score] += churned;
        h.1[score] += retained;
    }
    h
}

/// The figures of a set of samples under one weight vector: counts per
/// outcome and band, from which catch, missed and alert rate follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Measures {
    pub samples: u64,
    pub churned: u64,
    /// Churned samples scored at-risk or critical.
    pub caught: u64,
    /// Churned samples scored healthy.
    pub missed: u64,
    /// All samples scored at-risk or critical.
    pub alerted: u64,
    pub auc: Option<Auc>,
}

fn pct(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

impl Measures {
    /// From (churned, retained) counts per score 0–100.
    pub fn of_histogram(churned: &[u64; 101], retained: &[u64; 101]) -> Measures {
        let sum = |h: &[u64; 101], r: std::ops::RangeInclusive<usize>| h[r].iter().sum::<u64>();
        let nc = sum(churned, 0..=100);
        // At-risk or critical: below neutral.
        let at_risk_top = Band::NEUTRAL_FROM as usize - 1;
        Measures {
            samples: nc + sum(retained, 0..=100),
            churned: nc,
            caught: sum(churned, 0..=at_risk_top),
            missed: sum(churned, Band::HEALTHY_FROM as usize..=100),
            alerted: sum(churned, 0..=at_risk_top) + sum(retained, 0..=at_risk_top),
            auc: auc_of_histogram(churned, retained),
        }
    }

    /// From (score, churned) pairs.
    pub fn of(scored: &[(i64, bool)]) -> Measures {
        let mut h = ([0u64; 101], [0u64; 101]);
        for &(s, c) in scored {
            let k = s.clamp(0, 100) as usize;
            if c {
                h.0[k] += 1
            } else {
                h.1[k] += 1
            }
        }
        Measures::of_histogram(&h.0, &h.1)
    }

    /// The share of churned samples that were at-risk or critical, %.
    pub fn catch(&self) -> Option<f64> {
        pct(self.caught, self.churned)
    }

    /// The share of churned samples that were healthy, %.
    pub fn missed_share(&self) -> Option<f64> {
        pct(self.missed, self.churned)
    }

    /// The share of all samples that were at-risk or critical, %.
    pub fn alert_rate(&self) -> Option<f64> {
        pct(self.alerted, self.samples)
    }

    pub fn verdict(&self) -> Verdict {
        Verdict::of(self.auc)
    }
}

/// What the AUC says of the score, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Weak,
    Fair,
    Useful,
    Good,
    Unknown,
}

impl Verdict {
    /// < 0.6 weak, < 0.7 fair, < 0.8 useful, else good; unknown without an
    /// AUC. Compared on the exact fraction (an AUC of exactly 0.6 is fair).
    pub fn of(auc: Option<Auc>) -> Verdict {
        let Some(a) = auc else { return Verdict::Unknown };
        // value ≥ k/10 ⇔ twice / (2 pairs) ≥ k / 10 ⇔ 5 twice ≥ k pairs
        let at_least = |k: u128| 5 * a.twice >= k * a.pairs;
        if at_least(8) {
            Verdict::Good
        } else if at_least(7) {
            Verdict::Useful
        } else if at_least(6) {
            Verdict::Fair
        } else {
            Verdict::Weak
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Verdict::Weak => "weak",
            Verdict::Fair => "fair",
            Verdict::Useful => "useful",
            Verdict::Good => "good",
            Verdict::Unknown => "unknown",
        }
    }
}

/// One weight vector's figures on the fit samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub weights: Weights,
    pub fit: Measures,
}

impl Candidate {
    /// Eligible against the current weights' fit figures: catches at least
    /// as many churned samples and scores no more of them healthy (a better
    /// AUC that moves leavers into "healthy" is no better score).
    pub fn eligible(&self, current: &Measures) -> bool {
        self.fit.caught >= current.caught && self.fit.missed <= current.missed
    }
}

/// What the grid search found: the best eligible vector (`None` when none
/// is eligible) and the vector with the highest fit AUC of all, eligible or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Search {
    pub current: Candidate,
    pub best: Option<Candidate>,
    pub top: Candidate,
}

/// `a` beats `b` for tune: higher AUC; ties to the nearer to `current`;
/// then the earlier in the grid (the caller walks it in order).
fn beats(a: &Candidate, b: &Candidate, current: Weights) -> bool {
    match (a.fit.auc, b.fit.auc) {
        (Some(x), Some(y)) => match x.cmp_exact(y) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal => distance(a.weights, current) < distance(b.weights, current),
            std::cmp::Ordering::Less => false,
        },
        _ => false,
    }
}

/// The tune search: every grid vector scored on `fit`; the best is the
/// eligible one with the highest AUC (ties: nearest `current`, sum of
/// absolute differences, then the first in the grid's lexical order).
/// `None` when `fit` lacks churned or retained samples.
pub fn search(fit: &[Sample], grid: &[Weights], current: Weights) -> Option<Search> {
    let groups = grouped(fit);
    let measure = |w: Weights| {
        let (c, r) = histogram_of_groups(&groups, w);
        Candidate { weights: w, fit: Measures::of_histogram(&c, &r) }
    };
    let cur = measure(current);
    cur.fit.auc?;
    let (mut best, mut top): (Option<Candidate>, Option<Candidate>) = (None, None);
    for &w in grid {
        let cand = measure(w);
        if top.as_ref().is_none_or(|t| beats(&cand, t, current)) {
            top = Some(cand);
        }
        if cand.eligible(&cur.fit) && best.as_ref().is_none_or(|b| beats(&cand, b, current)) {
            best = Some(cand);
        }
    }
    Some(Search { current: cur, best, top: top? })
}

/// How many of `n` cutoffs (oldest first) are fit cutoffs: ⌈2n/3⌉.
pub fn fit_count(n: usize) -> usize {
    (2 * n).div_ceil(3)
}

#[cfg(test)]
mod tests;
