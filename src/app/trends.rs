//! Trend figures (docs/reports.md): the framework metrics per period with
//! the same formulas as `report metrics` (`store::reports::period_inputs`
//! and `domain::metrics`), revenue churn beside them, then the health bands
//! and MRR at risk as they stood at each period's end.

use anyhow::Result;
use rusqlite::Connection;

use crate::domain::metrics::{self, Inputs, Metric, MetricId};
use crate::domain::settings::Settings;
use crate::domain::trends::{self, By, PeriodFigures};
use crate::store::{reports, trends as st};

/// Every period's figures, oldest first: the six framework metrics, revenue
/// churn, the customers per band (`healthy`, `neutral`, `at_risk`,
/// `critical`) and `mrr_at_risk` at the period's end (or now).
pub fn figures(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    by: By,
    n: u32,
) -> Result<Vec<PeriodFigures>> {
    Ok(figures_and_window(conn, settings, now, by, n, None)?.0)
}

/// [`figures`], and the inputs of one more window [`from`, `end`) read in the
/// same passes (the plan's current state beside its trends).
pub fn figures_and_window(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    by: By,
    n: u32,
    window: Option<(i64, i64)>,
) -> Result<(Vec<PeriodFigures>, Option<Inputs>)> {
    let min_sample = i64::from(settings.count("targets.min_sample"));
    let periods = trends::periods(now, by, n);
    let mut spans: Vec<(i64, i64)> = periods.iter().map(|p| (p.start, p.end)).collect();
    spans.extend(window);
    let mut inputs = reports::periods_inputs(conn, &spans, now)?;
    let extra = window.and_then(|_| inputs.pop());
    let figures = periods
        .into_iter()
        .zip(inputs)
        .map(|(p, inputs)| {
            let mut ms = metrics::metrics(&inputs, settings);
            ms.push(metrics::revenue_churn(&inputs, settings));
            let at = (p.end - 1).min(now);
            let b = if p.start > now { None } else { st::bands_at(conn, p.start, at)? };
            let mut ms: Vec<_> = ms.into_iter().map(|m| trends::judge(m, by, min_sample)).collect();
            let count = |k: usize| b.map(|b| b.bands[k] as f64);
            let scored = |mut m: Metric| {
                m.sample = b.map(|b| b.scored);
                m
            };
            ms.push(scored(trends::untargeted(MetricId::Healthy, count(0))));
            ms.push(scored(trends::untargeted(MetricId::Neutral, count(1))));
            ms.push(scored(trends::untargeted(MetricId::AtRisk, count(2))));
            ms.push(scored(trends::untargeted(MetricId::Critical, count(3))));
            let mrr = b.map(|b| b.mrr_at_risk_cents.units());
            ms.push(scored(trends::untargeted(MetricId::MrrAtRisk, mrr)));
            Ok(PeriodFigures { period: p, metrics: ms })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((figures, extra))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store;

    /// The last period's framework metrics are those `report metrics` gives
    /// for the same window: one formula.
    #[test]
    fn each_period_has_every_metric_and_the_bands_of_its_end() {
        let (mut conn, settings, now) = crate::example::book("2026-11-20T12:00:00Z");
        crate::app::health::score_all(&mut conn, &settings, now).unwrap();
        let f = figures(&conn, &settings, now, By::Month, 3).unwrap();
        assert_eq!(f.len(), 3);
        let ids: Vec<MetricId> = f[2].metrics.iter().map(|m| m.which).collect();
        for id in [
            MetricId::ChurnRate,
            MetricId::RevenueChurn,
            MetricId::Healthy,
            MetricId::Critical,
            MetricId::MrrAtRisk,
        ] {
            assert!(ids.contains(&id), "{id:?} in {ids:?}");
        }
        let scored = store::health::latest(&conn, now).unwrap().len() as f64;
        let bands: f64 = f[2]
            .metrics
            .iter()
            .filter(|m| {
                [MetricId::Healthy, MetricId::Neutral, MetricId::AtRisk, MetricId::Critical]
                    .contains(&m.which)
            })
            .map(|m| m.value.unwrap_or(0.0))
            .sum();
        assert_eq!(bands, scored, "this period's bands count today's snapshots");
    }

    /// A period's bands count each customer at its latest score in the
    /// period: healthy on the 1st and critical on the 20th is critical.
    #[test]
    fn a_period_counts_each_customer_at_its_latest_score_in_it() {
        let (conn, settings, now) = crate::example::book("2026-11-20T12:00:00Z");
        let value = |f: &[PeriodFigures], k: usize, id: MetricId| {
            f[k].metrics.iter().find(|m| m.which == id).and_then(|m| m.value).unwrap_or(0.0)
        };
        let before = figures(&conn, &settings, now, By::Month, 3).unwrap();
        assert_eq!(before[0].period.label, "2026-09");
        let cid: i64 = conn
            .query_row("SELECT cid FROM customers WHERE churned_at IS NULL LIMIT 1", [], |r| r.get(0))
            .unwrap();
        let snap = |day: &str, score: i64| store::health::Snapshot {
            cid,
            day: crate::time::Day::parse_iso(day).unwrap(),
            usage: 0.0,
            engagement: 0.0,
            satisfaction: 0.0,
            payment: 0.0,
            score,
            status: crate::domain::health::Band::of(score),
            weights: "40,30,20,10".into(),
        };
        conn.execute("DELETE FROM health_snapshots WHERE cid = ?1 AND day LIKE '2026-09-%'", [cid]).unwrap();
        store::health::save(&conn, &[snap("2026-09-01", 95), snap("2026-09-20", 5)], now).unwrap();
        let after = figures(&conn, &settings, now, By::Month, 3).unwrap();
        assert_eq!(value(&after, 0, MetricId::Critical), value(&before, 0, MetricId::Critical) + 1.0);
        assert_eq!(value(&after, 0, MetricId::Healthy), value(&before, 0, MetricId::Healthy));
    }
}
