//! `csf report metrics | plan` (SPEC §9).

use anyhow::{bail, Result};
use rusqlite::Connection;

use crate::cli::report::ReportCmd;
use crate::commands::{churn as churn_cmd, onboarding as onb_cmd, ticket as ticket_cmd};
use crate::context::Ctx;
use crate::domain::health::Band;
use crate::domain::metrics;
use crate::domain::onboarding;
use crate::domain::plan::{
    CadenceSection, CategoryCount, CriticalCustomer, HealthSection, OnboardingSection, OverdueTicket,
    PlanData, RiskRow, SECTIONS,
};
use crate::domain::settings::Settings;
use crate::domain::tickets as dt;
use crate::render::{self, figure, Format};
use crate::store::{health as hstore, reports, tickets as st};
use crate::time::{self, DAY};

pub fn run(ctx: &Ctx, cmd: ReportCmd) -> Result<()> {
    let conn = ctx.open()?;
    let settings = ctx.settings(&conn)?;
    match cmd {
        ReportCmd::Metrics { days } => {
            let inputs = reports::inputs(&conn, ctx.now, days)?;
            let mut ms = metrics::metrics(&inputs, &settings);
            ms.extend(revenue_metrics(&conn, &settings, &inputs, ctx.now)?);
            let format = ctx.format_or(Format::Table);
            if matches!(format, Format::Table | Format::Markdown) {
                render::out(&format!("{}\n\n", period_caption(ctx.now, days)))?;
            }
            ctx.print_rows(&figure::metric_rows(&ms, format))
        }
        ReportCmd::Trends { by, periods } => super::trends::run(ctx, &conn, &settings, by.into(), periods),
        ReportCmd::Plan { days, sections, charts } => {
            let chosen: Vec<&str> = match &sections {
                None => SECTIONS.to_vec(),
                Some(list) => {
                    let mut v = Vec::new();
                    for s in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        match SECTIONS.iter().find(|k| **k == s) {
                            Some(k) => v.push(*k),
                            None => bail!(
                                "--sections: unknown section \"{s}\"; the sections are {}",
                                SECTIONS.join(", ")
                            ),
                        }
                    }
                    if v.is_empty() {
                        bail!("--sections is empty; the sections are {}", SECTIONS.join(", "));
                    }
                    v
                }
            };
            ctx.only_formats(
                "report plan",
                &[Format::Markdown],
                " (the plan is markdown only; `csf report metrics -f json` has its figures)",
            )?;
            let md = plan_sections_markdown(&conn, &settings, ctx.now, days, &chosen, charts.is_some())?;
            render::out(&md)
        }
    }
}

/// "Last 30 days: 2026-10-22 to 2026-11-20" — the window a figure depends on.
pub fn period_caption(now: i64, days: i64) -> String {
    format!(
        "Last {days} days: {} to {}",
        time::iso_date(reports::period_start(now, days)),
        time::iso_date(now)
    )
}

/// MRR at risk and revenue churn (SPEC §14.2): after the six framework
/// metrics, never inside the framework's table.
pub fn revenue_metrics(
    conn: &Connection,
    settings: &Settings,
    inputs: &metrics::Inputs,
    now: i64,
) -> Result<Vec<metrics::Metric>> {
    let (cents, customers, _without_mrr) = hstore::mrr_at_risk(conn, now)?;
    let scored = hstore::last_scored_day(conn, now)?.is_some();
    let at_risk = metrics::Metric {
        id: "mrr_at_risk",
        label: "MRR at risk",
        value: scored.then_some(cents as f64 / 100.0),
        unit: "currency",
        target: None,
        higher_is_better: false,
        status: crate::domain::targets::Status::NoData,
        sample: Some(customers),
    };
    Ok(vec![at_risk, metrics::revenue_churn(inputs, settings)])
}

/// The whole plan as markdown (every section, no charts), for `csf demo`
/// and anything else that wants the weekly plan.
pub fn plan_markdown(conn: &Connection, settings: &Settings, now: i64, days: i64) -> Result<String> {
    plan_sections_markdown(conn, settings, now, days, &SECTIONS, false)
}

/// The plan as markdown: gathers the chosen sections' data and renders it.
pub fn plan_sections_markdown(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    days: i64,
    sections: &[&str],
    charts: bool,
) -> Result<String> {
    let on = |s: &str| sections.contains(&s);
    // The churn risks and the backtest are the costliest parts: on a file
    // database each is read on a connection of its own, in parallel with the
    // rest (WAL readers do not block each other).
    let path = conn.path().filter(|p| !p.is_empty()).map(std::path::PathBuf::from);
    let reader = |p: &std::path::Path| -> Result<Connection> {
        let c = Connection::open_with_flags(p, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        c.busy_timeout(std::time::Duration::from_millis(crate::store::BUSY_TIMEOUT_MS))?;
        c.pragma_update(None, "cache_size", -32_768)?;
        Ok(c)
    };
    std::thread::scope(|scope| -> Result<String> {
        let risks_job = match (&path, on("churn-risks")) {
            (Some(p), true) => Some(scope.spawn(move || risk_rows(&reader(p)?, now))),
            _ => None,
        };
        let backtest_job = match (&path, on("health")) {
            (Some(p), true) => {
                Some(scope.spawn(move || super::backtest::plan_summary(&reader(p)?, settings, now)))
            }
            _ => None,
        };
        let mut data = gather(conn, settings, now, days, &on, charts)?;
        let failed = |what: &str| anyhow::anyhow!("the {what} reader failed");
        data.risks = match risks_job {
            Some(job) => job.join().map_err(|_| failed("churn risk"))??,
            None if on("churn-risks") => risk_rows(conn, now)?,
            None => Vec::new(),
        };
        data.health.backtest = match backtest_job {
            Some(job) => job.join().map_err(|_| failed("backtest"))??,
            None if on("health") => super::backtest::plan_summary(conn, settings, now)?,
            None => None,
        };
        Ok(crate::render::plan::render(&data, sections, charts))
    })
}

/// The warning signs of §6.1, as `csf churn risks` finds them.
fn risk_rows(conn: &Connection, now: i64) -> Result<Vec<RiskRow>> {
    Ok(churn_cmd::risks(conn, now, &[])?
        .into_iter()
        .map(|(customer_id, name, r)| RiskRow {
            customer_id,
            name,
            signal: r.signal.to_string(),
            detail: r.detail,
            response: r.response.to_string(),
        })
        .collect())
}

/// Every section's data but the churn risks, read only for the sections shown.
fn gather(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    days: i64,
    on: &dyn Fn(&str) -> bool,
    charts: bool,
) -> Result<PlanData> {
    let today = now.div_euclid(DAY);
    let from = reports::period_start(now, days);
    let mut data = PlanData {
        days,
        period_from: time::iso_date(from),
        period_to: time::iso_date(now),
        ..PlanData::default()
    };
    if on("current-state") || on("improvements") {
        let inputs = reports::inputs(conn, now, days)?;
        data.metrics = metrics::metrics(&inputs, settings);
        data.revenue_churn = Some(metrics::revenue_churn(&inputs, settings));
    }
    if on("trends") {
        data.trends = super::trends::figures(conn, settings, now, crate::domain::trends::By::Month, 6)?;
    }
    if on("top-issues") || on("documentation") {
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
    if on("health") {
        data.health = health_section(conn, now)?;
        data.health.mrr_at_risk = Some(hstore::mrr_at_risk(conn, now)?);
    }
    if on("onboarding") {
        let f = onboarding::funnel(&onb_cmd::members(conn, settings, now, ONBOARDING_DAYS)?, today);
        data.onboarding = OnboardingSection {
            cohort_days: ONBOARDING_DAYS,
            cohort_size: f.cohort_size,
            metrics: onboarding::funnel_metrics(&f, settings),
        };
    }
    if on("support-scaling") {
        data.tickets_4_weeks = reports::tickets_last_4_weeks(conn, now)?;
    }
    if on("cadence") {
        data.cadence = cadence_section(conn, settings, now, today)?;
    }
    if charts && on("churn-risks") {
        data.churn_by_month = churn_cmd::month_windows(now, 6)
            .into_iter()
            .map(|(m, s, e)| {
                let c = crate::store::churn::month_counts(conn, s, e, now)?;
                Ok((m, crate::domain::churn::rate(c.churned, c.active)))
            })
            .collect::<Result<Vec<_>>>()?;
    }
    Ok(data)
}

/// The onboarding funnel's cohort in the plan: the default of `csf onboarding funnel`.
const ONBOARDING_DAYS: i64 = 30;

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

/// What is overdue by the tracking cadence (§9.4).
fn cadence_section(conn: &Connection, settings: &Settings, now: i64, today: i64) -> Result<CadenceSection> {
    let last_scored = hstore::last_scored_day(conn, now)?.and_then(|day| {
        let d = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?;
        Some((day, today - time::day_of_date(d)))
    });
    let mut overdue = Vec::new();
    for t in st::list_unanswered(conn, now)? {
        let target = ticket_cmd::target_at(&t, settings);
        if dt::overdue(target, t.first_response_at, t.resolved_at, now) {
            overdue.push(OverdueTicket {
                customer: t.customer_name.clone().unwrap_or(t.customer_id.clone()),
                past: time::duration(now - target.unwrap_or(now)),
                id: t.id,
            });
        }
    }
    Ok(CadenceSection { last_scored, nps_90_days: reports::nps_last_90_days(conn, now)?, overdue })
}
