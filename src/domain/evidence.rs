//! Evidence (docs/health.md#evidence): which predictors foretold churn in
//! this book — the bands, each warning sign (two split into parts), any sign
//! and the score's alert — measured over the backtest's samples. Pure
//! counting and the shrunk risk; nothing here reads a database or a clock.

use crate::domain::churn::{RiskFacts, Signal};
use crate::domain::health::Band;

/// Pulls a small group's churn rate toward the base rate.
pub const PSEUDO_COUNT: f64 = 10.0;
/// Below this many samples a row says "(few samples)" and a sign is never left out of a rescue.
pub const FEW_SAMPLES: u64 = 30;

/// A warning sign, with `negative-feedback` and `usage-drop` split into the
/// parts that behave differently (each part a subset of its sign).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// `usage-drop` with no activity in the last 14 days.
    WentQuiet,
    /// `usage-drop` with some activity left.
    UsageDrop,
    SupportSpike,
    /// An NPS answer of 0–5 in the last 30 days.
    Nps0To5,
    /// An NPS answer of 6 in the last 30 days and none of 0–5.
    Nps6,
    /// A CSAT of 1 or 2 in the last 30 days.
    LowCsat,
    PaymentFailure,
    FeatureRequests,
}

impl Part {
    pub const ALL: [Part; 8] = [
        Part::WentQuiet,
        Part::UsageDrop,
        Part::SupportSpike,
        Part::Nps0To5,
        Part::Nps6,
        Part::LowCsat,
        Part::PaymentFailure,
        Part::FeatureRequests,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Part::WentQuiet => "went-quiet",
            Part::UsageDrop => "usage-drop",
            Part::SupportSpike => "support-spike",
            Part::Nps0To5 => "nps-0-5",
            Part::Nps6 => "nps-6",
            Part::LowCsat => "low-csat",
            Part::PaymentFailure => "payment-failure",
            Part::FeatureRequests => "feature-requests",
        }
    }

    /// The warning sign the part belongs to.
    pub fn signal(self) -> Signal {
        match self {
            Part::WentQuiet | Part::UsageDrop => Signal::UsageDrop,
            Part::SupportSpike => Signal::SupportSpike,
            Part::Nps0To5 | Part::Nps6 | Part::LowCsat => Signal::NegativeFeedback,
            Part::PaymentFailure => Signal::PaymentFailure,
            Part::FeatureRequests => Signal::FeatureRequests,
        }
    }

    /// What a customer with the part is, in words ("customers with a failed payment").
    pub fn who(self) -> &'static str {
        match self {
            Part::WentQuiet => "customers who went quiet",
            Part::UsageDrop => "customers whose usage dropped",
            Part::SupportSpike => "customers with 3+ tickets in a week",
            Part::Nps0To5 => "customers who answered NPS 0–5",
            Part::Nps6 => "customers who answered NPS 6",
            Part::LowCsat => "customers who rated support 1 or 2",
            Part::PaymentFailure => "customers with a failed payment",
            Part::FeatureRequests => "customers with an open feature request",
        }
    }
}

/// A set of sign parts in one byte (a morning holds one per customer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartSet(u8);

impl PartSet {
    pub fn insert(&mut self, p: Part) {
        self.0 |= 1 << Part::ALL.iter().position(|x| *x == p).unwrap_or(0);
    }

    /// The parts, in [`Part::ALL`] order.
    pub fn to_vec(self) -> Vec<Part> {
        Part::ALL.iter().enumerate().filter(|(i, _)| self.0 & (1 << i) != 0).map(|(_, p)| *p).collect()
    }
}

impl Extend<Part> for PartSet {
    fn extend<I: IntoIterator<Item = Part>>(&mut self, iter: I) {
        iter.into_iter().for_each(|p| self.insert(p));
    }
}

/// The parts of the warning signs that `f` shows, in [`Part::ALL`] order.
/// Each part implies its sign: `risks(f)` has the sign exactly when one of
/// its parts is here.
pub fn parts(f: &RiskFacts) -> Vec<Part> {
    let mut out = Vec::new();
    // The same tests as `churn::risks`, kept apart by what they found.
    if f.recent == 0 && f.prior_28 >= 4 {
        out.push(Part::WentQuiet);
    } else if f.prior >= 4 && 2 * f.recent < f.prior {
        out.push(Part::UsageDrop);
    }
    if f.tickets_7d >= 3 {
        out.push(Part::SupportSpike);
    }
    match f.lowest_nps {
        Some(s) if s <= 5 => out.push(Part::Nps0To5),
        Some(_) => out.push(Part::Nps6),
        None => {}
    }
    if f.low_csat.is_some() {
        out.push(Part::LowCsat);
    }
    if f.failed_payment.is_some() {
        out.push(Part::PaymentFailure);
    }
    if !f.feature_requests.is_empty() {
        out.push(Part::FeatureRequests);
    }
    out
}

/// What is judged per sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predictor {
    Band(Band),
    Part(Part),
    /// At least one warning sign.
    AnySign,
    /// At-risk or critical.
    ScoreAlert,
}

impl Predictor {
    /// Every predictor, in a fixed order (the storage and JSON key is the name).
    pub const ALL: [Predictor; 14] = [
        Predictor::Band(Band::Healthy),
        Predictor::Band(Band::Neutral),
        Predictor::Band(Band::AtRisk),
        Predictor::Band(Band::Critical),
        Predictor::Part(Part::WentQuiet),
        Predictor::Part(Part::UsageDrop),
        Predictor::Part(Part::SupportSpike),
        Predictor::Part(Part::Nps0To5),
        Predictor::Part(Part::Nps6),
        Predictor::Part(Part::LowCsat),
        Predictor::Part(Part::PaymentFailure),
        Predictor::Part(Part::FeatureRequests),
        Predictor::AnySign,
        Predictor::ScoreAlert,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Predictor::Band(b) => b.name(),
            Predictor::Part(p) => p.name(),
            Predictor::AnySign => "any-sign",
            Predictor::ScoreAlert => "score-alert",
        }
    }

    pub fn parse(s: &str) -> Option<Predictor> {
        Predictor::ALL.into_iter().find(|p| p.name() == s)
    }

    fn index(self) -> usize {
        Predictor::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// The predictors one sample shows: its band, its sign parts, any-sign and
/// score-alert.
pub fn flagged(band: Band, parts: &[Part]) -> Vec<Predictor> {
    let mut out = vec![Predictor::Band(band)];
    out.extend(parts.iter().map(|p| Predictor::Part(*p)));
    if !parts.is_empty() {
        out.push(Predictor::AnySign);
    }
    if band <= Band::AtRisk {
        out.push(Predictor::ScoreAlert);
    }
    out
}

/// Counts per predictor over the samples.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub samples: [u64; 14],
    pub churned: [u64; 14],
    pub total: u64,
    pub total_churned: u64,
}

impl Tally {
    /// Adds another tally's counts (a sweep split over threads).
    pub fn merge(&mut self, other: &Tally) {
        self.total += other.total;
        self.total_churned += other.total_churned;
        for i in 0..self.samples.len() {
            self.samples[i] += other.samples[i];
            self.churned[i] += other.churned[i];
        }
    }

    /// One sample with the predictors it shows and its outcome.
    pub fn add(&mut self, flagged: &[Predictor], churned: bool) {
        self.total += 1;
        self.total_churned += u64::from(churned);
        for p in flagged {
            let i = p.index();
            self.samples[i] += 1;
            self.churned[i] += u64::from(churned);
        }
    }
}

/// How strongly a predictor foretold churn here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    Strong,
    Useful,
    NotPredictive,
}

impl Words {
    /// lift ≥ 2 strong, ≥ 1.25 useful, else not predictive here.
    pub fn of(lift: f64) -> Words {
        if lift >= 2.0 {
            Words::Strong
        } else if lift >= 1.25 {
            Words::Useful
        } else {
            Words::NotPredictive
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Words::Strong => "strong",
            Words::Useful => "useful",
            Words::NotPredictive => "not predictive here",
        }
    }
}

/// One predictor's measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub predictor: Predictor,
    pub samples: u64,
    pub churned: u64,
    /// The raw churn rate, % (None without samples).
    pub churn_rate: Option<f64>,
    /// The churn rate shrunk toward the base rate, %.
    pub risk: f64,
    /// risk ÷ the base rate.
    pub lift: f64,
    /// The share of all churned samples it flagged, %.
    pub catch: f64,
}

impl Row {
    /// Computes a row from its counts and the whole measurement's.
    pub fn of(predictor: Predictor, samples: u64, churned: u64, total: u64, total_churned: u64) -> Row {
        let base = total_churned as f64 / total as f64;
        let risk = (churned as f64 + PSEUDO_COUNT * base) / (samples as f64 + PSEUDO_COUNT) * 100.0;
        Row {
            predictor,
            samples,
            churned,
            churn_rate: (samples > 0).then(|| churned as f64 * 100.0 / samples as f64),
            risk,
            lift: risk / (base * 100.0),
            catch: churned as f64 * 100.0 / total_churned as f64,
        }
    }

    pub fn words(&self) -> Words {
        Words::of(self.lift)
    }

    pub fn few_samples(&self) -> bool {
        self.samples < FEW_SAMPLES
    }

    /// "strong", "useful (few samples)", "not predictive here".
    pub fn words_text(&self) -> String {
        let w = self.words().name();
        if self.few_samples() {
            format!("{w} (few samples)")
        } else {
            w.to_string()
        }
    }

    /// Called not predictive on enough samples to act on it.
    pub fn not_predictive(&self) -> bool {
        self.words() == Words::NotPredictive && !self.few_samples()
    }
}

/// A whole measurement: every predictor's row (in [`Predictor::ALL`] order)
/// and the totals. `None` when there is nothing to measure: no sample, or no
/// churned sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub rows: Vec<Row>,
    pub total: u64,
    pub total_churned: u64,
}

impl Evidence {
    pub fn of(t: &Tally) -> Option<Evidence> {
        if t.total == 0 || t.total_churned == 0 {
            return None;
        }
        let rows = Predictor::ALL
            .iter()
            .enumerate()
            .map(|(i, p)| Row::of(*p, t.samples[i], t.churned[i], t.total, t.total_churned))
            .collect();
        Some(Evidence { rows, total: t.total, total_churned: t.total_churned })
    }

    /// The base churn rate, %.
    pub fn base_rate(&self) -> f64 {
        self.total_churned as f64 * 100.0 / self.total as f64
    }

    pub fn row(&self, p: Predictor) -> Option<&Row> {
        self.rows.iter().find(|r| r.predictor == p)
    }

    /// The rows by lift, highest first (ties: more samples, the fixed order).
    pub fn by_lift(&self) -> Vec<Row> {
        let mut v = self.rows.clone();
        v.sort_by(|a, b| {
            b.lift
                .total_cmp(&a.lift)
                .then(b.samples.cmp(&a.samples))
                .then(a.predictor.index().cmp(&b.predictor.index()))
        });
        v
    }

    /// The warning signs are the better guide: `any-sign` beats
    /// `score-alert` on both (shrunk) lift and catch.
    pub fn signs_beat_score(&self) -> bool {
        match (self.row(Predictor::AnySign), self.row(Predictor::ScoreAlert)) {
            (Some(s), Some(a)) => s.lift > a.lift && s.catch > a.catch,
            _ => false,
        }
    }

    /// No band alert should be recommended: the signs beat the score, or the
    /// evidence calls the score's alert not predictive.
    pub fn advise_against_band_alerts(&self) -> bool {
        self.signs_beat_score()
            || self.row(Predictor::ScoreAlert).is_some_and(|r| r.words() == Words::NotPredictive)
    }

    /// "14 of 15 customers with a failed payment left within 90 days here":
    /// a predictor's row in words, for the why of an action.
    pub fn in_words(&self, p: Predictor, horizon: i64) -> Option<String> {
        let r = self.row(p).filter(|r| r.samples > 0)?;
        let who = match p {
            Predictor::Part(part) => part.who().to_string(),
            Predictor::Band(b) => format!("{} customers", b.name()),
            Predictor::AnySign => "customers with a warning sign".to_string(),
            Predictor::ScoreAlert => "at-risk or critical customers".to_string(),
        };
        Some(format!("{} of {} {who} left within {horizon} days here", r.churned, r.samples))
    }

    /// The highest risk among the band and the parts that apply (None: no
    /// row among them), with the predictor it comes from.
    pub fn risk_of(&self, band: Option<Band>, parts: &[Part]) -> Option<(f64, Predictor)> {
        band.map(Predictor::Band)
            .into_iter()
            .chain(parts.iter().map(|p| Predictor::Part(*p)))
            .filter_map(|p| self.row(p).map(|r| (r.risk, p)))
            .max_by(|a, b| a.0.total_cmp(&b.0))
    }
}

#[cfg(test)]
mod tests;
