//! The activation funnel (docs/onboarding.md) from per-customer facts — pure.

use crate::domain::metrics::{Metric, MetricId};
use crate::domain::settings::Settings;
use crate::time::{self, Day};

/// One cohort member, as of now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub signed_up_at: i64,
    /// The first value event at or before now.
    pub first_value: Option<i64>,
    /// Any `onboarding.setup_event` at or before now.
    pub setup_done: bool,
    /// Any event on the calendar day after the signup day (at or before now).
    pub active_day_after: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Funnel {
    pub cohort_size: usize,
    /// Median minutes from signup to first value, over those who reached it.
    pub time_to_first_value: Option<f64>,
    pub activation_rate: Option<f64>,
    pub setup_completion: Option<f64>,
    /// Over members who signed up before today.
    pub d1_retention: Option<f64>,
    /// Members who reached the value event (the time-to-value sample).
    pub reached_value: usize,
    /// Members who signed up before today (the D1 sample).
    pub signed_up_before_today: usize,
}

pub fn funnel(members: &[Member], today: Day) -> Funnel {
    let n = members.len();
    let pct = |k: usize, of: usize| (of > 0).then(|| k as f64 * 100.0 / of as f64);
    let mut minutes: Vec<f64> = members
        .iter()
        .filter_map(|m| m.first_value.map(|v| ((v - m.signed_up_at).max(0)) as f64 / 60.0))
        .collect();
    minutes.sort_by(f64::total_cmp);
    let activated =
        members.iter().filter(|m| m.first_value.is_some_and(|v| v - m.signed_up_at <= time::days(7))).count();
    let before_today: Vec<&Member> = members.iter().filter(|m| Day::of(m.signed_up_at) < today).collect();
    Funnel {
        cohort_size: n,
        time_to_first_value: median(&minutes),
        activation_rate: pct(activated, n),
        setup_completion: pct(members.iter().filter(|m| m.setup_done).count(), n),
        d1_retention: pct(before_today.iter().filter(|m| m.active_day_after).count(), before_today.len()),
        reached_value: minutes.len(),
        signed_up_before_today: before_today.len(),
    }
}

/// The funnel's four figures against the onboarding goals (docs/onboarding.md),
/// judged by the same strict rule as the key metrics.
pub fn funnel_metrics(f: &Funnel, s: &Settings) -> Vec<Metric> {
    let n = f.cohort_size as i64;
    vec![
        Metric::judged(
            MetricId::TimeToFirstValue,
            f.time_to_first_value,
            s.number("targets.time_to_first_value_minutes"),
            false,
            Some(f.reached_value as i64),
        ),
        Metric::judged(
            MetricId::ActivationRate,
            f.activation_rate,
            s.number("targets.activation_rate_percent"),
            true,
            Some(n),
        ),
        Metric::judged(
            MetricId::SetupCompletion,
            f.setup_completion,
            s.number("targets.setup_completion_percent"),
            true,
            Some(n),
        ),
        Metric::judged(
            MetricId::D1Retention,
            f.d1_retention,
            s.number("targets.d1_retention_percent"),
            true,
            Some(f.signed_up_before_today as i64),
        ),
    ]
}

fn median(sorted: &[f64]) -> Option<f64> {
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2]),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::DAY;

    const TODAY: Day = Day::from_number(20_000);

    #[test]
    fn a_hand_computed_cohort() {
        let s = (TODAY - 10).start() + 3600;
        let members = [
            // never reaches value, but was back the next day
            Member { signed_up_at: s, first_value: None, setup_done: true, active_day_after: true },
            // value after 3 minutes
            Member { signed_up_at: s, first_value: Some(s + 180), setup_done: true, active_day_after: false },
            // value after 8 days: not activated
            Member {
                signed_up_at: s,
                first_value: Some(s + 8 * DAY),
                setup_done: false,
                active_day_after: false,
            },
            // signed up today: not in D1
            Member {
                signed_up_at: TODAY.start() + 60,
                first_value: Some(TODAY.start() + 660),
                setup_done: false,
                active_day_after: false,
            },
        ];
        let f = funnel(&members, TODAY);
        assert_eq!(f.cohort_size, 4);
        // minutes 3, 10, 11520 → median 10
        assert_eq!(f.time_to_first_value, Some(10.0));
        assert_eq!(f.activation_rate, Some(50.0));
        assert_eq!(f.setup_completion, Some(50.0));
        assert!((f.d1_retention.unwrap() - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(funnel(&[], TODAY).activation_rate, None);
    }

    /// Every goal exactly at its value misses it (strict, docs/reports.md):
    /// 5 min, 40%, 60%, 30%; just better meets it.
    #[test]
    fn every_onboarding_goal_exactly_at_its_value_is_not_green() {
        use crate::domain::targets::Status;
        let s = Settings::from_stored(vec![]);
        let at = |ttfv: f64, act: f64, setup: f64, d1: f64| {
            let f = Funnel {
                cohort_size: 10,
                time_to_first_value: Some(ttfv),
                activation_rate: Some(act),
                setup_completion: Some(setup),
                d1_retention: Some(d1),
                reached_value: 10,
                signed_up_before_today: 10,
            };
            funnel_metrics(&f, &s).iter().map(|m| m.status).collect::<Vec<_>>()
        };
        assert_eq!(at(5.0, 40.0, 60.0, 30.0), [Status::Yellow; 4]);
        assert_eq!(at(4.999, 40.001, 60.001, 30.001), [Status::Green; 4]);
    }
}
