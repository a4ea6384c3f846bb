//! Health (SPEC §5, §4 stage): components, the weighted score, bands,
//! signals and stage — pure functions of per-customer facts and `today`.

use crate::time::DAY;

/// What the score needs to know about one customer, as of `now`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Day number of signup; `None`: unknown (all blocks eligible).
    pub signup_day: Option<i64>,
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
    /// A value event (§8.2) at or before now.
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
pub fn window_start(today: i64) -> i64 {
    today - 27
}

pub fn components(f: &Facts, core_features: usize, today: i64, now: i64) -> Components {
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
        if t / DAY >= today - 179 && t <= now {
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
pub fn score(c: &Components, w: [u32; 4]) -> i64 {
    let sum = w[0] as f64 * c.usage
        + w[1] as f64 * c.engagement
        + w[2] as f64 * c.satisfaction
        + w[3] as f64 * c.payment;
    // The epsilon keeps an exact x.5 from rounding down through float error.
    let r = (sum / 100.0 + 0.5 + 1e-9).floor();
    r.clamp(0.0, 100.0) as i64
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

    pub fn of(score: i64) -> Band {
        match score {
            80.. => Band::Healthy,
            60..=79 => Band::Neutral,
            40..=59 => Band::AtRisk,
            _ => Band::Critical,
        }
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

pub fn signals(f: &Facts, core_features: usize, today: i64, now: i64) -> [Signal; 5] {
    let login = match f.last_event.map(|t| today - t.div_euclid(DAY)) {
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
    let stale = f.oldest_unresolved.is_some_and(|c| now - c > 7 * DAY);
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

/// SPEC §4: the first rule that applies.
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

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: i64 = 20_000;
    const NOW: i64 = TODAY * DAY + 12 * 3600;

    fn facts() -> Facts {
        Facts { signup_day: Some(TODAY - 100), ..Facts::default() }
    }

    #[test]
    fn signup_three_days_ago_has_one_eligible_block() {
        let f = Facts { signup_day: Some(TODAY - 3), active_blocks: [false, false, false, true], ..facts() };
        assert_eq!(components(&f, 4, TODAY, NOW).usage, 100.0);
        let f = Facts { active_blocks: [false; 4], ..f };
        assert_eq!(components(&f, 4, TODAY, NOW).usage, 0.0);
        // Signed up 10 days ago: blocks ending D-7 and D are eligible.
        let f = Facts { signup_day: Some(TODAY - 10), active_blocks: [false, false, false, true], ..facts() };
        assert_eq!(components(&f, 4, TODAY, NOW).usage, 50.0);
        // Block 2 ends on D-7: a signup on D-7 makes it eligible, D-6 does not.
        let f = Facts { signup_day: Some(TODAY - 7), active_blocks: [false, false, true, true], ..facts() };
        assert_eq!(components(&f, 4, TODAY, NOW).usage, 100.0);
    }

    #[test]
    fn unknown_signup_makes_every_block_eligible() {
        let f = Facts { signup_day: None, active_blocks: [true, false, true, false], ..facts() };
        assert_eq!(components(&f, 1, TODAY, NOW).usage, 50.0);
    }

    #[test]
    fn no_core_features_means_zero_engagement() {
        let f = Facts { core_used: 0, ..facts() };
        assert_eq!(components(&f, 0, TODAY, NOW).engagement, 0.0);
        let f = Facts { core_used: 2, ..facts() };
        assert!((components(&f, 3, TODAY, NOW).engagement - 66.666_666).abs() < 1e-3);
    }

    #[test]
    fn satisfaction_is_the_mean_of_available_parts() {
        let nps_only = Facts { latest_nps: Some((NOW - DAY, 7)), ..facts() };
        assert_eq!(components(&nps_only, 1, TODAY, NOW).satisfaction, 70.0);
        // CSAT ratings 5 and 2: (100 + 25) / 2 = 62.5
        let csat_only = Facts { csat: (125, 2), ..facts() };
        assert_eq!(components(&csat_only, 1, TODAY, NOW).satisfaction, 62.5);
        let both = Facts { latest_nps: Some((NOW - DAY, 7)), csat: (125, 2), ..facts() };
        assert_eq!(components(&both, 1, TODAY, NOW).satisfaction, 66.25);
        assert_eq!(components(&facts(), 1, TODAY, NOW).satisfaction, 50.0);
        // An NPS answer older than 180 days no longer counts.
        let old = Facts { latest_nps: Some(((TODAY - 180) * DAY, 10)), ..facts() };
        assert_eq!(components(&old, 1, TODAY, NOW).satisfaction, 50.0);
        let edge = Facts { latest_nps: Some(((TODAY - 179) * DAY, 10)), ..facts() };
        assert_eq!(components(&edge, 1, TODAY, NOW).satisfaction, 100.0);
    }

    #[test]
    fn payment_follows_the_latest_record() {
        // A late invoice after a paid one: the latest (late) counts.
        let f = Facts { payment: Some(Payment::Late), ..facts() };
        assert_eq!(components(&f, 1, TODAY, NOW).payment, 0.0);
        assert_eq!(components(&facts(), 1, TODAY, NOW).payment, 100.0);
        let f = Facts { payment: Some(Payment::Failed), ..facts() };
        assert_eq!(signals(&f, 1, TODAY, NOW)[4].label, "Failed");
    }

    #[test]
    fn bands_at_their_edges() {
        assert_eq!(Band::of(39), Band::Critical);
        assert_eq!(Band::of(40), Band::AtRisk);
        assert_eq!(Band::of(59), Band::AtRisk);
        assert_eq!(Band::of(60), Band::Neutral);
        assert_eq!(Band::of(79), Band::Neutral);
        assert_eq!(Band::of(80), Band::Healthy);
        assert_eq!(Band::of(100).action(), "Expansion opportunity");
    }

    #[test]
    fn an_exact_half_rounds_up() {
        // 40·50 + 30·(100/3·... ) — use parts that sum to exactly 62.5:
        // U=50, E=50, S=62.5, P=100 → (2000 + 1500 + 1250 + 1000) / 100 = 57.5 → 58
        let c = Components { usage: 50.0, engagement: 50.0, satisfaction: 62.5, payment: 100.0 };
        assert_eq!(score(&c, [40, 30, 20, 10]), 58);
        // 57.49 stays 57
        let c = Components { satisfaction: 62.45, ..c };
        assert_eq!(score(&c, [40, 30, 20, 10]), 57);
        // unrounded components: E = 200/3 → 30 · 66.67 = 2000.0
        let c = Components { usage: 100.0, engagement: 200.0 / 3.0, satisfaction: 50.0, payment: 100.0 };
        assert_eq!(score(&c, [40, 30, 20, 10]), 80);
    }

    #[test]
    fn signals_and_labels() {
        let f = Facts {
            last_event: Some(NOW - 7 * DAY),
            core_used: 2,
            tickets_30d: 1,
            latest_nps: Some((NOW, 9)),
            ..facts()
        };
        let s = signals(&f, 4, TODAY, NOW);
        let labels: Vec<&str> = s.iter().map(|s| s.label).collect();
        assert_eq!(labels, ["Weekly+", "Core features", "Low, resolved", "Promoter", "Current"]);
        let f = Facts {
            last_event: Some(NOW - 8 * DAY),
            core_used: 1,
            tickets_30d: 2,
            latest_nps: Some((NOW, 8)),
            ..f
        };
        let labels: Vec<&str> = signals(&f, 4, TODAY, NOW).iter().map(|s| s.label).collect();
        assert_eq!(labels, ["Monthly", "Some features", "Medium", "Passive", "Current"]);
        let f = Facts {
            last_event: Some(NOW - 31 * DAY),
            core_used: 0,
            tickets_30d: 1,
            unresolved: 1,
            oldest_unresolved: Some(NOW - 7 * DAY - 1),
            latest_nps: Some((NOW, 6)),
            ..f
        };
        let s = signals(&f, 4, TODAY, NOW);
        let labels: Vec<&str> = s.iter().map(|s| s.label).collect();
        assert_eq!(labels, ["None in 30d", "Setup only", "High, unresolved", "Detractor", "Current"]);
        // unresolved for exactly 7 days is Medium
        let f = Facts { oldest_unresolved: Some(NOW - 7 * DAY), ..f };
        assert_eq!(signals(&f, 4, TODAY, NOW)[2].label, "Medium");
        assert_eq!(signals(&Facts::default(), 4, TODAY, NOW)[3].level, Level::Unknown);
        let f = Facts { tickets_30d: 5, ..Facts::default() };
        assert_eq!(signals(&f, 4, TODAY, NOW)[2].level, Level::Critical);
    }

    #[test]
    fn stage_rules_in_order() {
        let mut f = facts();
        assert_eq!(stage(true, &f), Stage::Churned);
        assert_eq!(stage(false, &f), Stage::Onboarding);
        f.reached_value = true;
        f.active_blocks = [true, true, false, false];
        assert_eq!(stage(false, &f), Stage::Adoption);
        f.active_blocks = [true, true, true, false];
        assert_eq!(stage(false, &f), Stage::Expansion);
        f.latest_nps = Some((NOW, 9));
        assert_eq!(stage(false, &f), Stage::Advocacy);
        assert_eq!(Stage::Advocacy.goal(), "Referrals, testimonials");
    }
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever the facts and weights, components and the score stay in 0–100.
        #[test]
        fn scores_stay_within_0_and_100(
            signup in proptest::option::of(19_000i64..20_100),
            blocks in proptest::array::uniform4(any::<bool>()),
            core_used in 0usize..50,
            core in 0usize..50,
            nps in proptest::option::of((0i64..=20_000 * DAY, 0i64..=10)),
            csat_n in 0i64..20,
            csat_ratings in proptest::collection::vec(1i64..=5, 20),
            pay in 0u8..4,
            w0 in 0u32..=100, w1 in 0u32..=100, w2 in 0u32..=100,
        ) {
            let n = csat_n as usize;
            let csat = (csat_ratings[..n].iter().map(|r| 25 * (r - 1)).sum(), csat_n);
            let payment = [None, Some(Payment::Paid), Some(Payment::Late), Some(Payment::Failed)][pay as usize];
            let f = Facts { signup_day: signup, active_blocks: blocks, core_used, latest_nps: nps, csat, payment, ..Facts::default() };
            let today = 20_000;
            let c = components(&f, core, today, today * DAY + 43_200);
            for v in [c.usage, c.engagement, c.satisfaction, c.payment] {
                prop_assert!((0.0..=100.0).contains(&v), "{c:?}");
            }
            // any weights summing to 100
            let (a, b) = (w0.min(100), w1.min(100 - w0.min(100)));
            let cc = w2.min(100 - a - b);
            let w = [a, b, cc, 100 - a - b - cc];
            let s = score(&c, w);
            prop_assert!((0..=100).contains(&s));
            prop_assert_eq!(Band::of(s), Band::of(s.clamp(0, 100)));
        }
    }
}
