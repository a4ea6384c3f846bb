//! The Customer Success Plan's data (docs/reports.md): each chosen section
//! read from the store and the other use cases; `render::plan` writes it.

use anyhow::Result;
use rusqlite::Connection;

use crate::app::{backtest, churn, onboarding, readers, tickets, trends};
use crate::domain::health::Band;
use crate::domain::metrics;
use crate::domain::onboarding as donb;
use crate::domain::plan::{
    CadenceSection, CategoryCount, CriticalCustomer, HealthSection, OnboardingSection, OverdueTicket,
    PlanData, RiskRow, Section,
};
use crate::domain::settings::Settings;
use crate::domain::tickets as dt;
use crate::store::{health as hstore, reports, tickets as st};
use crate::time::{self, Day};

/// The onboarding funnel's cohort in the plan: the default of `csf onboarding funnel`.
pub const ONBOARDING_DAYS: i64 = 30;

/// The plan's data for the chosen sections over the last `days` days.
///
/// The churn risks and the backtest are the costliest parts: on a file
/// database they are read on a connection of their own, in parallel with
/// the rest (WAL readers do not block each other).
pub fn gather(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    days: i64,
    sections: &[Section],
    charts: bool,
) -> Result<PlanData> {
    let on = |s: Section| sections.contains(&s);
    let path = readers::path_of(conn);
    let reader = |p: &std::path::Path| readers::open(p);
    // One side reader does the backtest, then the risks: each holds a
    // per-customer history, and one at a time keeps the plan's memory to
    // the larger of the two (docs/performance.md).
    let side = |c: &Connection| -> Result<(Vec<RiskRow>, Option<Summary>)> {
        let backtest = if on(Section::Health) { backtest::plan_summary(c, settings, now)? } else { None };
        let risks = if on(Section::ChurnRisks) { risk_rows(c, now)? } else { Vec::new() };
        Ok((risks, backtest))
    };
    std::thread::scope(|scope| -> Result<PlanData> {
        let job = match &path {
            Some(p) if on(Section::ChurnRisks) || on(Section::Health) => {
                Some(scope.spawn(move || side(&reader(p)?)))
            }
            _ => None,
        };
        let mut data = gather_rest(conn, settings, now, days, &on, charts)?;
        // unreachable from the CLI: a reader thread fails only by panicking (a bug,
        // reported by the panic hook); its errors come back through `??`
        let (risks, backtest) = match job {
            Some(job) => job.join().map_err(|_| anyhow::anyhow!("the plan's reader failed"))??,
            None => side(conn)?,
        };
        data.risks = risks;
        data.health.backtest = backtest;
        Ok(data)
    })
}

/// The backtest's figures in the plan: (AUC, lift, samples).
type Summary = (f64, Option<f64>, usize);

/// The warning signs, as `csf churn risks` finds them.
fn risk_rows(conn: &Connection, now: i64) -> Result<Vec<RiskRow>> {
    Ok(churn::risks(conn, now, &[])?
        .into_iter()
        .map(|r| RiskRow {
            customer_id: r.customer_id,
            name: r.name,
            signal: r.risk.signal.name().to_string(),
            detail: r.risk.detail,
            response: r.risk.response.to_string(),
        })
        .collect())
}

/// Every section's data but the churn risks and the backtest, read only for the sections shown.
fn gather_rest(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    days: i64,
    on: &dyn Fn(Section) -> bool,
    charts: bool,
) -> Result<PlanData> {
    let today = time::Day::of(now);
    let from = reports::period_start(now, days);
    let mut data = PlanData {
        days,
        period_from: time::iso_date(from),
        period_to: time::iso_date(now),
        ..PlanData::default()
    };
    if on(Section::CurrentState) || on(Section::Improvements) {
        let inputs = reports::inputs(conn, now, days)?;
        data.metrics = metrics::metrics(&inputs, settings);
        data.revenue_churn = Some(metrics::revenue_churn(&inputs, settings));
    }
    if on(Section::Trends) {
        data.trends = trends::figures(conn, settings, now, crate::domain::trends::By::Month, 6)?;
    }
    if on(Section::Revenue) {
        data.revenue =
            crate::app::revenue::by_month(conn, now, 1, false)?.pop().map(|m| (m.month, m.movements));
    }
    if on(Section::TopIssues) || on(Section::Documentation) {
        let plans = st::plans(conn)?;
        let counts = st::category_counts(conn, from, now)?;
        data.tickets_in_period = counts.iter().map(|(_, n)| n).sum();
        data.categories = counts
            .into_iter()
            .map(|(category, tickets)| {
                let plan = plans.iter().find(|(k, _)| *k == category).map(|(_, p)| p.clone());
                CategoryCount { category, tickets, plan }
            })
            .collect();
        data.documented = st::docs(conn)?.into_iter().map(|(c, _)| c).collect();
    }
    if on(Section::Health) {
        data.health = health_section(conn, now)?;
        data.health.mrr_at_risk = Some(hstore::mrr_at_risk(conn, now)?);
    }
    if on(Section::Onboarding) {
        let f = onboarding::funnel(conn, settings, now, ONBOARDING_DAYS)?;
        data.onboarding = OnboardingSection {
            cohort_days: ONBOARDING_DAYS,
            cohort_size: f.cohort_size,
            metrics: donb::funnel_metrics(&f, settings),
        };
    }
    if on(Section::SupportScaling) {
        data.tickets_4_weeks = reports::tickets_last_4_weeks(conn, now)?;
    }
    if on(Section::Cadence) {
        data.cadence = cadence_section(conn, settings, now, today)?;
    }
    if charts && on(Section::ChurnRisks) {
        data.churn_by_month = churn::by_month(conn, settings, now, 6)?
            .into_iter()
            .map(|m| (m.month, crate::domain::churn::rate(m.counts.churned, m.counts.active)))
            .collect();
    }
    Ok(data)
}

/// Customers per band of their latest score, and the critical ones.
fn health_section(conn: &Connection, now: i64) -> Result<HealthSection> {
    let mut h = HealthSection::default();
    for (customer_id, name, score) in hstore::latest_scores(conn, now)? {
        let band = Band::of(score);
        if let Some(k) = Band::ALL.iter().position(|b| *b == band) {
            h.bands[k] += 1;
        }
        if band == Band::Critical {
            h.critical.push(CriticalCustomer { customer_id, name, score });
        }
    }
    h.critical.sort_by(|a, b| (a.score, &a.customer_id).cmp(&(b.score, &b.customer_id)));
    Ok(h)
}

/// What is overdue by the tracking cadence.
fn cadence_section(conn: &Connection, settings: &Settings, now: i64, today: Day) -> Result<CadenceSection> {
    let last_scored = hstore::last_scored_day(conn, now)?.and_then(|day| {
        let d = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?;
        Some((day, today - Day::of_date(d)))
    });
    let mut overdue = Vec::new();
    for t in st::list_unanswered(conn, now)? {
        let target = tickets::target_at(&t, settings);
        if dt::overdue(target, t.first_response_at, t.resolved_at, now) {
            overdue.push(OverdueTicket {
                customer: t.customer_name.clone().unwrap_or(t.customer_id.clone()),
                past: time::duration(now - target.unwrap_or(now)),
                id: t.id,
            });
        }
    }
    let stale_usage = crate::app::today::stale_warning(conn, settings, now)?.map(|s| s.text());
    Ok(CadenceSection {
        last_scored,
        nps_90_days: reports::nps_last_90_days(conn, now)?,
        stale_usage,
        overdue,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store;

    /// Only the chosen sections are read, and the health section counts
    /// every stored score once.
    #[test]
    fn gathers_only_the_chosen_sections() {
        let now = time::parse_now("2026-11-20T12:00:00Z").unwrap();
        let mut conn = store::open_memory().unwrap();
        crate::example::load(&mut conn, now).unwrap();
        let settings = Settings::from_stored(store::config::all(&conn).unwrap());
        crate::app::health::score_all(&mut conn, &settings, now).unwrap();
        let only = gather(&conn, &settings, now, 30, &[Section::SupportScaling], false).unwrap();
        assert!(only.metrics.is_empty() && only.risks.is_empty() && only.trends.is_empty());
        assert_eq!(only.tickets_4_weeks, reports::tickets_last_4_weeks(&conn, now).unwrap());
        let all = gather(&conn, &settings, now, 30, &Section::ALL, true).unwrap();
        let scored = store::health::latest(&conn, now).unwrap().len() as i64;
        assert_eq!(all.health.bands.iter().sum::<i64>(), scored);
        assert_eq!(all.risks.len(), churn::risks(&conn, now, &[]).unwrap().len());
        assert_eq!(all.churn_by_month.len(), 6);
        assert_eq!(all.trends.len(), 6);
        assert_eq!(all.onboarding.cohort_days, ONBOARDING_DAYS);
    }
}
