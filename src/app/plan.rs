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
use crate::money::Cents;
use crate::store::{health as hstore, reports, tickets as st};
use crate::time::{self, Day};

/// The onboarding funnel's cohort in the plan: the default of `csf onboarding funnel`.
pub const ONBOARDING_DAYS: i64 = 30;

/// The plan's data for the chosen sections over the last `days` days.
///
/// The churn risks and the backtest are the costliest parts: on a file
/// database they are read on a connection of their own, one after the
/// other, in parallel with the rest (WAL readers do not block each other).
pub fn gather(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    days: i64,
    sections: &[Section],
    charts: bool,
) -> Result<PlanData> {
    let on = |s: Section| sections.contains(&s);
    // The backtest and the churn risks are the costliest reads: they run on
    // a connection of their own beside the rest (WAL readers do not block
    // each other); docs/performance.md has the memory this keeps.
    std::thread::scope(|scope| -> Result<PlanData> {
        // One after the other on their thread, the warning signs first: their
        // memory is freed before the backtest's history is read, and the
        // trends' peak (early on this thread) meets the smaller of the two.
        // The backtest's billing rows on a reader of their own, beside its
        // usage rows: the side thread is the plan's longest path.
        let billing = readers::path_of(conn);
        let side = readers::beside(scope, conn, move |c| {
            let risks = if on(Section::ChurnRisks) { risk_rows(c, now)? } else { Vec::new() };
            if !on(Section::Health) {
                return Ok((risks, None, None));
            }
            let billing = billing.map(|p| readers::open(&p)).transpose()?;
            let measures = backtest::plan_measures(c, billing, settings, now)?;
            let evidence = match crate::app::evidence::default_window(now) {
                Some(w) if measures.is_some() => crate::app::evidence::for_window(c, settings, w, now)?,
                _ => None,
            };
            anyhow::Ok((risks, measures, evidence))
        });
        let mut data = gather_rest(conn, settings, now, days, &on, charts)?;
        let (risks, measures, evidence) = side.join()?;
        data.risks = risks;
        data.health.backtest =
            measures.and_then(|(m, lift)| m.auc.map(|a| (a.value(), lift, m.samples as usize)));
        data.health.measures = measures.map(|(m, _)| m);
        data.health.evidence = evidence;
        Ok(data)
    })
}

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
    // The current state's window is read in the same passes as the trends'.
    let current = on(Section::CurrentState) || on(Section::Improvements);
    let window = current.then_some((from, now + 1));
    let inputs = if on(Section::Trends) {
        let (figures, inputs) =
            trends::figures_and_window(conn, settings, now, crate::domain::trends::By::Month, 6, window)?;
        data.trends = figures;
        inputs
    } else if current {
        Some(reports::inputs(conn, now, days)?)
    } else {
        None
    };
    if let Some(inputs) = inputs {
        data.metrics = metrics::metrics(&inputs, settings);
        data.revenue_churn = Some(metrics::revenue_churn(&inputs, settings));
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
        data.health = health_section(conn, now, i64::from(settings.count("health.grace_days")))?;
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

/// Customers per band of their latest score, the critical ones, and the MRR
/// at risk (docs/reports.md) — one read of the latest snapshots. New
/// customers count in their band but not among the critical ones nor in
/// the MRR at risk (their onboarding is their action).
fn health_section(conn: &Connection, now: i64, grace_days: i64) -> Result<HealthSection> {
    let mut h = HealthSection::default();
    let mut at_risk = (Cents::ZERO, 0, 0);
    for (customer_id, name, score, mrr_cents, signed_up_at) in hstore::latest_scores(conn, now)? {
        let band = Band::of(score);
        if let Some(k) = Band::ALL.iter().position(|b| *b == band) {
            h.bands[k] += 1;
        }
        if crate::domain::health::is_new(signed_up_at, now, grace_days) {
            continue;
        }
        if band <= Band::AtRisk {
            at_risk = (
                at_risk.0.saturating_add(mrr_cents.unwrap_or_default()),
                at_risk.1 + 1,
                at_risk.2 + i64::from(mrr_cents.is_none()),
            );
        }
        if band == Band::Critical {
            h.critical.push(CriticalCustomer { customer_id, name, score });
        }
    }
    h.critical.sort_by(|a, b| (a.score, &a.customer_id).cmp(&(b.score, &b.customer_id)));
    h.mrr_at_risk = Some(at_risk);
    Ok(h)
}

/// What is overdue by the tracking cadence.
fn cadence_section(conn: &Connection, settings: &Settings, now: i64, today: Day) -> Result<CadenceSection> {
    let last_scored = hstore::last_scored_day(conn, now)?.map(|day| (day, today - day));
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
        let (mut conn, settings, now) = crate::example::book("2026-11-20T12:00:00Z");
        crate::app::health::score_all(&mut conn, &settings, now).unwrap();
        let only = gather(&conn, &settings, now, 30, &[Section::SupportScaling], false).unwrap();
        assert!(only.metrics.is_empty() && only.risks.is_empty() && only.trends.is_empty());
        assert_eq!(only.tickets_4_weeks, reports::tickets_last_4_weeks(&conn, now).unwrap());
        let all = gather(&conn, &settings, now, 30, &Section::ALL, true).unwrap();
        let scored = store::health::latest(&conn, now).unwrap().len() as i64;
        assert_eq!(all.health.bands.iter().sum::<i64>(), scored);
        let at_risk = hstore::mrr_at_risk(&conn, now, crate::domain::health::new_since(now, 14)).unwrap();
        assert!(at_risk.1 > 0, "the example has customers at risk");
        assert_eq!(all.health.mrr_at_risk, Some(at_risk), "the plan's MRR at risk is report metrics'");
        assert_eq!(all.risks.len(), churn::risks(&conn, now, &[]).unwrap().len());
        assert_eq!(all.churn_by_month.len(), 6);
        assert_eq!(all.trends.len(), 6);
        // Read beside the trends, the current state is still report metrics' window.
        let inputs = reports::inputs(&conn, now, 30).unwrap();
        assert_eq!(all.metrics, metrics::metrics(&inputs, &settings));
        assert_eq!(all.revenue_churn, Some(metrics::revenue_churn(&inputs, &settings)));
        let alone = gather(&conn, &settings, now, 30, &[Section::CurrentState], false).unwrap();
        assert_eq!(alone.metrics, all.metrics);
        assert_eq!(all.onboarding.cohort_days, ONBOARDING_DAYS);
    }
}
