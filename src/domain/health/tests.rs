//! Hand-computed cases for the components, the score, bands, signals and stage.

use super::*;
use crate::domain::health::Weights;
use crate::time::DAY;

const TODAY: Day = Day::from_number(20_000);
const NOW: i64 = 20_000 * DAY + 12 * 3600;

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
    let old = Facts { latest_nps: Some(((TODAY - 180).start(), 10)), ..facts() };
    assert_eq!(components(&old, 1, TODAY, NOW).satisfaction, 50.0);
    let edge = Facts { latest_nps: Some(((TODAY - 179).start(), 10)), ..facts() };
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
    assert_eq!(score(&c, Weights([40, 30, 20, 10])), 58);
    // 57.49 stays 57
    let c = Components { satisfaction: 62.45, ..c };
    assert_eq!(score(&c, Weights([40, 30, 20, 10])), 57);
    // unrounded components: E = 200/3 → 30 · 66.67 = 2000.0
    let c = Components { usage: 100.0, engagement: 200.0 / 3.0, satisfaction: 50.0, payment: 100.0 };
    assert_eq!(score(&c, Weights([40, 30, 20, 10])), 80);
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

#[test]
fn the_bands_own_their_thresholds() {
    for s in 0..=100 {
        let b = Band::of(s);
        assert!(b.range().contains(&s), "{s} in {b:?}");
        assert_eq!(Band::ALL.iter().filter(|x| x.range().contains(&s)).count(), 1);
    }
    assert_eq!(Band::Neutral.sql("h.score"), "(h.score >= 60 AND h.score <= 79)");
    assert_eq!(Band::sql_at_risk_or_worse("s"), "(s < 60)");
}
