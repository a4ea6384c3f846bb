//! Health (docs/health.md): components, the weighted score, bands,
//! signals and stage — pure functions of per-customer facts and `today`.

use crate::time::{self, Day};

/// What the score needs to know about one customer, as of `now`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The day of signup; `None`: unknown (all blocks eligible).
    pub signup_day: Option<Day>,
    /// Usage in the four 7-day blocks D-27..D-21, D-20..D-14, D-13..D-7, D-6..D.
    pub active_blocks: [bool; 4],
    /// Distinct core features used in the last 28 days.
    pub core_used: usize,
    /// Latest usage event (any name) at or before now.
    pub last_event: Option<i64>,
    /// Latest NPS response at or before now: (time, score).
    pub latest_nps: Option<(i64, i64)>,
    /// CSAT ratings given in the last 90 days: (sum of 25 × (rating − 1), count).
    pub csat: (i64, i64),
    /// Latest billing status among paid/late/failed dated at or before now.
    pub payment: Option<Payment>,
    /// Tickets created in the last 30 days.
    pub tickets_30d: i64,
    /// Tickets unresolved as of now, and the creation time of the oldest.
    pub unresolved: i64,
    pub oldest_unresolved: Option<i64>,
    /// A value event (docs/onboarding.md) at or before now.
    pub reached_value: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payment {
    Paid,
    Late,
    Failed,
}

impl Payment {
    pub fn parse(s: &str) -> Option<Payment> {
        match s {
            "paid" => Some(Payment::Paid),
            "late" => Some(Payment::Late),
            "failed" => Some(Payment::Failed),
            _ => None,
        }
    }
}

/// The four components, unrounded, 0–100.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Components {
    pub usage: f64,
    pub engagement: f64,
    pub satisfaction: f64,
    pub payment: f64,
}

/// The first day of the 28-day window ending with `today`.
pub fn window_start(today: Day) -> Day {
    today - 27
}

pub fn components(f: &Facts, core_features: usize, today: Day, now: i64) -> Components {
    // U: a block is eligible when its last day is on or after the signup day.
    let eligible: Vec<usize> = (0..4)
        .filter(|&k| {
            let last_day = window_start(today) + 7 * k as i64 + 6;
            f.signup_day.is_none_or(|s| last_day >= s)
        })
        .collect();
    let active = eligible.iter().filter(|&&k| f.active_blocks[k]).count();
    let usage = if eligible.is_empty() { 0.0 } else { 100.0 * active as f64 / eligible.len() as f64 };

    let engagement = if core_features == 0 {
        0.0
    } else {
        100.0 * f.core_used.min(core_features) as f64 / core_features as f64
    };

    let mut parts = Vec::with_capacity(2);
    if let Some((t, score)) = f.latest_nps {
        if Day::of(t) >= today - 179 && t <= now {
            parts.push(10.0 * score as f64);
        }
    }
    if f.csat.1 > 0 {
        parts.push(f.csat.0 as f64 / f.csat.1 as f64);
    }
    let satisfaction = if parts.is_empty() { 50.0 } else { parts.iter().sum::<f64>() / parts.len() as f64 };

    let payment = match f.payment {
        Some(Payment::Late | Payment::Failed) => 0.0,
        Some(Payment::Paid) | None => 100.0,
    };
    Components { usage, engagement, satisfaction, payment }
}

/// round-half-up of (wU·U + wE·E + wS·S + wP·P) / 100, from unrounded components.
/// The weights of the four components, `U,E,S,P`, summing to 100
/// (`health.weights`; docs/health.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Weights(pub [u32; 4]);

impl Weights {
    pub const DEFAULT: Weights = Weights([40, 30, 20, 10]);

    pub fn iter(&self) -> impl Iterator<Item = &u32> {
        self.0.iter()
    }
}

impl std::ops::Index<usize> for Weights {
    type Output = u32;
    fn index(&self, i: usize) -> &u32 {
        &self.0[i]
    }
}

/// `40,30,20,10`: as stored and typed.
impl std::fmt::Display for Weights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [u, e, s, p] = self.0;
        write!(f, "{u},{e},{s},{p}")
    }
}

pub fn score(c: &Components, w: Weights) -> i64 {
    let sum = w[0] as f64 * c.usage
        + w[1] as f64 * c.engagement
        + w[2] as f64 * c.satisfaction
        + w[3] as f64 * c.payment;
    // The epsilon keeps an exact x.5 from rounding down through float error.
    let r = (sum / 100.0 + 0.5 + 1e-9).floor();
    r.clamp(0.0, 100.0) as i64
}

/// A new customer: signed up less than `grace_days` days ago (docs/today.md).
/// Their band is computed and stored as anyone's, but never raises an alert
/// or a rescue: their onboarding is their action.
pub fn is_new(signed_up_at: Option<i64>, now: i64, grace_days: i64) -> bool {
    signed_up_at.is_some_and(|t| t <= now && Day::of(now) - Day::of(t) < grace_days)
}

/// The first moment a customer signed up at is no longer new, as of `now`.
pub fn new_since(now: i64, grace_days: i64) -> i64 {
    (Day::of(now) - (grace_days - 1)).start()
}

/// Rounds a component for display and JSON (half up).
pub fn round(v: f64) -> i64 {
    (v + 0.5 + 1e-9).floor() as i64
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Band {
    Critical,
    AtRisk,
    Neutral,
    Healthy,
}

impl Band {
    pub const ALL: [Band; 4] = [Band::Healthy, Band::Neutral, Band::AtRisk, Band::Critical];

    /// The lowest score of each band: the one place the thresholds live
    /// (SQL that needs them builds its clauses from these).
    pub const HEALTHY_FROM: i64 = 80;
    pub const NEUTRAL_FROM: i64 = 60;
    pub const AT_RISK_FROM: i64 = 40;

    pub fn of(score: i64) -> Band {
        match score {
            s if s >= Band::HEALTHY_FROM => Band::Healthy,
            s if s >= Band::NEUTRAL_FROM => Band::Neutral,
            s if s >= Band::AT_RISK_FROM => Band::AtRisk,
            _ => Band::Critical,
        }
    }

    /// The scores of the band, inclusive (0–100).
    pub fn range(self) -> std::ops::RangeInclusive<i64> {
        match self {
            Band::Healthy => Band::HEALTHY_FROM..=100,
            Band::Neutral => Band::NEUTRAL_FROM..=Band::HEALTHY_FROM - 1,
            Band::AtRisk => Band::AT_RISK_FROM..=Band::NEUTRAL_FROM - 1,
            Band::Critical => 0..=Band::AT_RISK_FROM - 1,
        }
    }

    /// A SQL condition that `column` (a score) is in the band.
    pub fn sql(self, column: &str) -> String {
        let r = self.range();
        format!("({column} >= {} AND {column} <= {})", r.start(), r.end())
    }

    /// A SQL condition that `column` is at-risk or critical (where MRR is at risk).
    pub fn sql_at_risk_or_worse(column: &str) -> String {
        format!("({column} < {})", Band::NEUTRAL_FROM)
    }

    pub fn name(self) -> &'static str {
        match self {
            Band::Healthy => "healthy",
            Band::Neutral => "neutral",
            Band::AtRisk => "at-risk",
            Band::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.name() == s)
    }

    pub fn action(self) -> &'static str {
        match self {
            Band::Healthy => "Expansion opportunity",
            Band::Neutral => "Monitor, engage",
            Band::AtRisk => "Proactive outreach",
            Band::Critical => "Intervention required",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Healthy,
    Warning,
    Critical,
    Unknown,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Healthy => "healthy",
            Level::Warning => "warning",
            Level::Critical => "critical",
            Level::Unknown => "unknown",
        }
    }
}

/// One row of the Customer Health Metrics table.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    pub name: &'static str,
    pub level: Level,
    pub label: &'static str,
}

pub fn signals(f: &Facts, core_features: usize, today: Day, now: i64) -> [Signal; 5] {
    let login = match f.last_event.map(|t| today - Day::of(t)) {
        Some(d) if d <= 7 => (Level::Healthy, "Weekly+"),
        Some(d) if d <= 30 => (Level::Warning, "Monthly"),
        _ => (Level::Critical, "None in 30d"),
    };
    // Literally "≥ half (rounded up) of the core features": with no core
    // features at all, 0 ≥ 0 holds (documented in docs/health.md).
    let features = if f.core_used >= core_features.div_ceil(2) {
        (Level::Healthy, "Core features")
    } else if f.core_used >= 1 {
        (Level::Warning, "Some features")
    } else {
        (Level::Critical, "Setup only")
    };
    let stale = f.oldest_unresolved.is_some_and(|c| now - c > time::days(7));
    let tickets = if f.tickets_30d >= 5 || stale {
        (Level::Critical, "High, unresolved")
    } else if f.tickets_30d >= 2 || f.unresolved > 0 {
        (Level::Warning, "Medium")
    } else {
        (Level::Healthy, "Low, resolved")
    };
    let nps = match f.latest_nps.map(|(_, s)| s) {
        Some(9..=10) => (Level::Healthy, "Promoter"),
        Some(7..=8) => (Level::Warning, "Passive"),
        Some(_) => (Level::Critical, "Detractor"),
        None => (Level::Unknown, "No response"),
    };
    let payment = match f.payment {
        Some(Payment::Late) => (Level::Warning, "Late"),
        Some(Payment::Failed) => (Level::Critical, "Failed"),
        _ => (Level::Healthy, "Current"),
    };
    let s = |name, (level, label)| Signal { name, level, label };
    [s("login", login), s("features", features), s("tickets", tickets), s("nps", nps), s("payment", payment)]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Churned,
    Onboarding,
    Adoption,
    Advocacy,
    Expansion,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Churned => "churned",
            Stage::Onboarding => "onboarding",
            Stage::Adoption => "adoption",
            Stage::Advocacy => "advocacy",
            Stage::Expansion => "expansion",
        }
    }

    pub fn goal(self) -> &'static str {
        match self {
            Stage::Churned => "Win back",
            Stage::Onboarding => "First value achieved",
            Stage::Adoption => "Regular usage established",
            Stage::Advocacy => "Referrals, testimonials",
            Stage::Expansion => "Deeper usage, upgrades",
        }
    }
}

/// The stage (docs/health.md): the first rule that applies.
pub fn stage(churned: bool, f: &Facts) -> Stage {
    let active = f.active_blocks.iter().filter(|b| **b).count();
    if churned {
        Stage::Churned
    } else if !f.reached_value {
        Stage::Onboarding
    } else if active < 3 {
        Stage::Adoption
    } else if matches!(f.latest_nps, Some((_, 9..=10))) {
        Stage::Advocacy
    } else {
        Stage::Expansion
    }
}

/// One customer's health computed live as of `now`: what `health show` and
/// `customer show` explain.
#[derive(Debug, Clone)]
pub struct Live {
    pub facts: Facts,
    pub components: Components,
    pub weights: Weights,
    pub score: i64,
    pub band: Band,
    pub signals: [Signal; 5],
    pub stage: Stage,
    /// Counted by `health score` (not churned, signed up by now).
    pub scored: bool,
}

impl Live {
    /// The four components with their values and weights, in the score's order.
    pub fn component_rows(&self) -> [(&'static str, f64, u32); 4] {
        let c = &self.components;
        let w = self.weights;
        [
            ("usage", c.usage, w[0]),
            ("engagement", c.engagement, w[1]),
            ("satisfaction", c.satisfaction, w[2]),
            ("payment", c.payment, w[3]),
        ]
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
