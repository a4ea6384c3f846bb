//! The framework's figures over a window (docs/reports.md): the six
//! metrics, then MRR at risk and revenue churn.

use anyhow::Result;
use rusqlite::Connection;

use crate::domain::health;
use crate::domain::metrics::{self, Metric, MetricId};
use crate::domain::settings::Settings;
use crate::domain::targets::Status;
use crate::store::{health as hstore, reports};

/// The six framework metrics of the last `days` days, then MRR at risk and revenue churn.
pub fn report(conn: &Connection, settings: &Settings, now: i64, days: i64) -> Result<Vec<Metric>> {
    let inputs = reports::inputs(conn, now, days)?;
    let mut ms = metrics::metrics(&inputs, settings);
    let new_since = health::new_since(now, i64::from(settings.count("health.grace_days")));
    let (cents, customers, _without_mrr) = hstore::mrr_at_risk(conn, now, new_since)?;
    let scored = hstore::last_scored_day(conn, now)?.is_some();
    ms.push(Metric {
        which: MetricId::MrrAtRisk,
        value: scored.then_some(cents.units()),
        target: None,
        higher_is_better: false,
        status: Status::NoData,
        sample: Some(customers),
    });
    ms.push(metrics::revenue_churn(&inputs, settings));
    Ok(ms)
}

/// The six framework metrics and revenue churn of the last `days` days,
/// one set per plan (each customer's current plan; "(none)" without one).
/// MRR at risk is left out: it is a figure of the whole book.
pub fn report_by_plan(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    days: i64,
) -> Result<Vec<(String, Vec<Metric>)>> {
    let from = reports::period_start(now, days);
    crate::store::churn::plans(conn)?
        .into_iter()
        .map(|plan| {
            let inputs = reports::period_inputs_of(conn, from, now + 1, now, Some(&plan))?;
            let mut ms = metrics::metrics(&inputs, settings);
            ms.push(metrics::revenue_churn(&inputs, settings));
            Ok((plan, ms))
        })
        .collect()
}

/// The first moment of the window of the last `days` days.
pub fn period_start(now: i64, days: i64) -> i64 {
    reports::period_start(now, days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mrr_at_risk_is_unknown_until_scored_then_counted() {
        let (mut conn, settings, now) = crate::example::book("2026-11-20T12:00:00Z");
        let before = report(&conn, &settings, now, 30).unwrap();
        let at_risk = |ms: &[Metric]| ms.iter().find(|m| m.which == MetricId::MrrAtRisk).unwrap().value;
        assert_eq!(at_risk(&before), None);
        assert_eq!(before.len(), 8);
        crate::app::health::score_all(&mut conn, &settings, now).unwrap();
        let after = report(&conn, &settings, now, 30).unwrap();
        let since = health::new_since(now, 14);
        let (cents, _, _) = hstore::mrr_at_risk(&conn, now, since).unwrap();
        assert_eq!(at_risk(&after), Some(cents.units()));
    }
}
