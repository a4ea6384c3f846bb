//! Periods for `csf report trends` (docs/reports.md): calendar months or ISO
//! weeks (Monday to Sunday), oldest first, the last one partial (up to now);
//! the figures of one period as metrics, judged for trends (monthly targets
//! scaled to weeks, `n/a` below the minimum sample), and whether a metric
//! got better, worse or stayed steady.

use chrono::Datelike;

use crate::domain::metrics::{Metric, MetricId};
use crate::domain::targets::{self, Status};
use crate::time::Day;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Week,
    Month,
}

/// One period: [`start`, `end`) in Unix seconds, its label (`2026-11`,
/// `2026-W47`) and its first day; `partial` when it holds `now` (its figures
/// are to date).
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    pub label: String,
    pub first_day: Day,
    pub start: i64,
    pub end: i64,
    pub partial: bool,
}

/// The `n` periods ending with the one that holds `now`, oldest first; their
/// bounds are the zone's midnights.
pub fn periods(now: i64, by: By, n: u32) -> Vec<Period> {
    let today = Day::of(now);
    let mut first = match by {
        By::Month => today.month_start(),
        By::Week => today.week_start(),
    };
    let mut out = Vec::new();
    for _ in 0..n {
        let next = match by {
            By::Month => first.add_months(1),
            By::Week => first + 7,
        };
        let label = match by {
            By::Month => first.date().format("%Y-%m").to_string(),
            By::Week => {
                let w = first.date().iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
        };
        let (start, end) = (first.start(), next.start());
        out.push(Period { label, first_day: first, start, end, partial: start <= now && now < end });
        first = match by {
            By::Month => first.add_months(-1),
            By::Week => first - 7,
        };
    }
    out.reverse();
    out
}

/// A figure without a target (a count of customers, MRR at risk): no verdict.
pub fn untargeted(which: MetricId, value: Option<f64>) -> Metric {
    Metric { which, value, target: None, higher_is_better: false, status: Status::NoData, sample: None }
}

/// The metrics whose target is a monthly one (a rate over a month's
/// customers or tickets): by week they are judged against target × 7 / 30.
pub const MONTHLY_TARGETS: &[MetricId] =
    &[MetricId::ChurnRate, MetricId::RevenueChurn, MetricId::SupportLoad];

/// The target a period is judged against: a monthly target × 7 / 30 for a
/// week (churn < 5% a month → < 1.1667% a week); every other target as set.
pub fn period_target(which: MetricId, target: f64, by: By) -> f64 {
    match by {
        By::Week if MONTHLY_TARGETS.contains(&which) => target * 7.0 / 30.0,
        _ => target,
    }
}

/// A metric as trends judge it: against the period's target, and `n/a`
/// when it rests on fewer than `min_sample` observations (its value kept).
/// A figure without a target is left as it is.
pub fn judge(mut m: Metric, by: By, min_sample: i64) -> Metric {
    let Some(t) = m.target else { return m };
    let t = period_target(m.which, t, by);
    m.target = Some(t);
    m.status = if m.sample.is_some_and(|n| n < min_sample) {
        Status::NoData
    } else {
        targets::status(m.value, t, m.higher_is_better)
    };
    m
}

/// Where a metric went from one complete period to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Better,
    Worse,
    /// Moved by at most [`STEADY_SHARE`] of the target's magnitude.
    Steady,
    /// Either period has no value or too small a sample (status `n/a`).
    TooFew,
}

/// A change of at most this share of the target's magnitude is steady
/// (churn against < 5%: ±0.25 points; first response against < 4 h: ±0.2 h).
pub const STEADY_SHARE: f64 = 0.05;

/// `before` → `last` (the same metric in two periods, judged by [`judge`]).
pub fn compare(before: &Metric, last: &Metric) -> Direction {
    let (Some(b), Some(l), Some(t)) = (before.value, last.value, last.target) else {
        return Direction::TooFew;
    };
    if before.status == Status::NoData || last.status == Status::NoData {
        return Direction::TooFew;
    }
    let delta = l - b;
    if delta.abs() <= STEADY_SHARE * t.abs() + 1e-9 {
        Direction::Steady
    } else if (delta > 0.0) == last.higher_is_better {
        Direction::Better
    } else {
        Direction::Worse
    }
}

/// The indices of the last complete period and the one before it, if both are shown.
pub fn last_two_complete(figs: &[PeriodFigures]) -> Option<(usize, usize)> {
    let done: Vec<usize> = (0..figs.len()).filter(|&i| !figs[i].period.partial).collect();
    match done[..] {
        [.., b, l] => Some((b, l)),
        _ => None,
    }
}

/// The rows that come from health snapshots (band counts and MRR at risk).
pub const SNAPSHOT_ROWS: &[MetricId] =
    &[MetricId::Healthy, MetricId::Neutral, MetricId::AtRisk, MetricId::Critical, MetricId::MrrAtRisk];

/// Whether any shown period has a snapshot (else the band rows say so once).
pub fn any_snapshots(figs: &[PeriodFigures]) -> bool {
    figs.iter().flat_map(|f| &f.metrics).any(|m| SNAPSHOT_ROWS.contains(&m.which) && m.value.is_some())
}

/// One period's figures, in the order of the trends table.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodFigures {
    pub period: Period,
    pub metrics: Vec<Metric>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time;

    #[test]
    fn months_and_iso_weeks_end_with_the_current_one() {
        // 2026-11-20 is a Friday of ISO week 47.
        let now = time::parse_now("2026-11-20T12:00:00Z").unwrap();
        let m = periods(now, By::Month, 3);
        let labels: Vec<&str> = m.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2026-09", "2026-10", "2026-11"]);
        assert_eq!(m[2].first_day.iso(), "2026-11-01");
        assert_eq!(m[0].end, m[1].start);
        let w = periods(now, By::Week, 2);
        assert_eq!(w[1].label, "2026-W47");
        assert_eq!(w[1].first_day.iso(), "2026-11-16");
        assert_eq!(w[1].end - w[1].start, 7 * time::DAY);
        assert_eq!(w[0].first_day.iso(), "2026-11-09");
        // ISO week years: 2027-01-01 is in 2026-W53.
        let jan = time::parse_now("2027-01-01").unwrap();
        assert_eq!(periods(jan, By::Week, 1)[0].label, "2026-W53");
        // Only the period holding now is partial, even at its first second.
        assert_eq!(m.iter().map(|p| p.partial).collect::<Vec<_>>(), [false, false, true]);
        let first = time::parse_now("2026-11-01T00:00:00Z").unwrap();
        assert_eq!(periods(first, By::Month, 2).iter().map(|p| p.partial).collect::<Vec<_>>(), [false, true]);
    }

    fn metric(which: MetricId, value: f64, target: f64, higher: bool, n: i64) -> Metric {
        Metric::judged(which, Some(value), target, higher, Some(n))
    }

    /// 5% a month is 5 × 7 / 30 = 1.1667% a week; support load 10 → 2.3333;
    /// first response and CSAT are not rates over a month and stay.
    #[test]
    fn monthly_targets_scale_to_weeks() {
        assert!((period_target(MetricId::ChurnRate, 5.0, By::Week) - 7.0 / 6.0).abs() < 1e-12);
        assert!((period_target(MetricId::RevenueChurn, 5.0, By::Week) - 7.0 / 6.0).abs() < 1e-12);
        assert!((period_target(MetricId::SupportLoad, 10.0, By::Week) - 7.0 / 3.0).abs() < 1e-12);
        assert_eq!(period_target(MetricId::ChurnRate, 5.0, By::Month), 5.0);
        assert_eq!(period_target(MetricId::FirstResponseTime, 4.0, By::Week), 4.0);
        assert_eq!(period_target(MetricId::Csat, 90.0, By::Week), 90.0);
        // 3% churn in a week: green against the monthly 5%, but 1.83 points
        // over 1.1667 (more than 25% of it, 0.29) is red.
        let three = metric(MetricId::ChurnRate, 3.0, 5.0, false, 40);
        assert_eq!(judge(three.clone(), By::Month, 5).status, Status::Green);
        let week = judge(three, By::Week, 5);
        assert_eq!((week.status, week.target), (Status::Red, Some(5.0 * 7.0 / 30.0)));
        // 1.1% a week is under 1.1667: green.
        assert_eq!(
            judge(metric(MetricId::ChurnRate, 1.1, 5.0, false, 40), By::Week, 5).status,
            Status::Green
        );
    }

    /// Below min_sample the status is n/a and the value stays; at it, judged.
    #[test]
    fn too_few_observations_are_not_judged() {
        let csat = |n| judge(metric(MetricId::Csat, 50.0, 90.0, true, n), By::Month, 5);
        assert_eq!((csat(4).status, csat(4).value), (Status::NoData, Some(50.0)));
        assert_eq!(csat(5).status, Status::Red);
        assert_eq!(judge(metric(MetricId::Csat, 95.0, 90.0, true, 1), By::Month, 1).status, Status::Green);
        let count = untargeted(MetricId::Healthy, Some(3.0));
        assert_eq!(judge(count.clone(), By::Week, 5), count);
    }

    /// Churn against < 5%: steady within 0.05 × 5 = 0.25 points.
    #[test]
    fn better_worse_or_steady_by_hand() {
        let churn = |v| judge(metric(MetricId::ChurnRate, v, 5.0, false, 20), By::Month, 5);
        assert_eq!(compare(&churn(4.0), &churn(6.1)), Direction::Worse);
        assert_eq!(compare(&churn(6.1), &churn(4.0)), Direction::Better);
        assert_eq!(compare(&churn(4.0), &churn(4.25)), Direction::Steady);
        assert_eq!(compare(&churn(4.0), &churn(3.75)), Direction::Steady);
        assert_eq!(compare(&churn(4.0), &churn(4.3)), Direction::Worse);
        // Higher is better for CSAT: 80 → 85 is better (steady within 4.5).
        let csat = |v| judge(metric(MetricId::Csat, v, 90.0, true, 20), By::Month, 5);
        assert_eq!(compare(&csat(80.0), &csat(85.0)), Direction::Better);
        assert_eq!(compare(&csat(85.0), &csat(80.0)), Direction::Worse);
        assert_eq!(compare(&csat(80.0), &csat(84.5)), Direction::Steady);
        // A side with too few observations or no value is not compared.
        let few = judge(metric(MetricId::Csat, 50.0, 90.0, true, 2), By::Month, 5);
        assert_eq!(compare(&few, &csat(85.0)), Direction::TooFew);
        let mut none = csat(80.0);
        none.value = None;
        assert_eq!(compare(&csat(80.0), &none), Direction::TooFew);
    }

    #[test]
    fn the_last_two_complete_periods() {
        let now = time::parse_now("2026-11-20T12:00:00Z").unwrap();
        let figs = |n| -> Vec<PeriodFigures> {
            periods(now, By::Month, n)
                .into_iter()
                .map(|p| PeriodFigures { period: p, metrics: vec![] })
                .collect()
        };
        assert_eq!(last_two_complete(&figs(4)), Some((1, 2)));
        assert_eq!(last_two_complete(&figs(2)), None);
        // Periods wholly in the past (none partial): the last two.
        let mut f = figs(3);
        f[2].period.partial = false;
        assert_eq!(last_two_complete(&f), Some((1, 2)));
    }
}
