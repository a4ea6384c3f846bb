//! `csf report metrics | plan` (SPEC §9).

use anyhow::{bail, Result};
use rusqlite::Connection;

use crate::cli::report::ReportCmd;
use crate::commands::{churn as churn_cmd, onboarding as onb_cmd, ticket as ticket_cmd};
use crate::context::Ctx;
use crate::domain::health::Band;
use crate::domain::metrics;
use crate::domain::onboarding;
use crate::domain::plan::{self, PlanData, SECTIONS};
use crate::domain::settings::Settings;
use crate::domain::tickets as dt;
use crate::render::{self, Cell, Format, Rows, Value};
use crate::store::{health as hstore, reports, tickets as st};
use crate::time::{self, DAY};

pub fn run(ctx: &Ctx, cmd: ReportCmd) -> Result<()> {
    let conn = ctx.open()?;
    let settings = ctx.settings(&conn)?;
    match cmd {
        ReportCmd::Metrics { days } => {
            let inputs = reports::inputs(&conn, ctx.now, days)?;
            let ms = metrics::metrics(&inputs, &settings);
            let format = ctx.format_or(Format::Table);
            let mut rows = Rows::new(&["metric", "value", "unit", "target", "status"]);
            for m in &ms {
                let status = match format {
                    Format::Markdown => Cell::from(m.status.name()).shown(m.status.emoji()),
                    _ => Cell::from(m.status.name()).tone(m.status.tone()),
                };
                rows.push(vec![
                    Cell::from(m.id).shown(m.label),
                    Cell::from(m.value.map_or(Value::Null, |v| Value::Num(v, 1)))
                        .shown(m.value_text())
                        .tone(m.status.tone()),
                    m.unit.into(),
                    Cell::from(Value::Num(m.target, 1)).shown(m.target_text()),
                    status,
                ]);
            }
            ctx.print_rows(&rows)
        }
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
            if !matches!(ctx.format_or(Format::Markdown), Format::Markdown) {
                bail!("report plan is markdown only (-f markdown); use report metrics for JSON or CSV");
            }
            let md = plan_markdown(&conn, &settings, ctx.now, days, &chosen, charts.is_some())?;
            render::out(&md)
        }
    }
}

/// The plan as markdown: gathers every section's data and renders it.
pub fn plan_markdown(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    days: i64,
    sections: &[&str],
    charts: bool,
) -> Result<String> {
    let today = now.div_euclid(DAY);
    let from = reports::period_start(now, days);
    let on = |s: &str| sections.contains(&s);
    // The churn risks are the costliest part: on a file database they are
    // read on a second connection, in parallel with the rest (WAL readers
    // do not block each other).
    let path = conn.path().filter(|p| !p.is_empty()).map(std::path::PathBuf::from);
    std::thread::scope(|scope| -> Result<String> {
        let risks_job = on("churn-risks").then(|| {
            let path = path.clone();
            scope.spawn(move || -> Result<Vec<(String, String, String, String)>> {
                let own;
                let c = match &path {
                    Some(p) => {
                        own = rusqlite::Connection::open_with_flags(
                            p,
                            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                        )?;
                        own.busy_timeout(std::time::Duration::from_millis(crate::store::BUSY_TIMEOUT_MS))?;
                        &own
                    }
                    None => return Ok(Vec::new()),
                };
                risk_rows(c, now)
            })
        });
        let mut data = gather(conn, settings, now, days, today, from, &on, charts)?;
        data.risks = match risks_job {
            Some(job) if path.is_some() => {
                job.join().map_err(|_| anyhow::anyhow!("the churn risk reader failed"))??
            }
            _ if on("churn-risks") => risk_rows(conn, now)?,
            _ => Vec::new(),
        };
        Ok(plan::render(&data, sections, charts))
    })
}

fn risk_rows(conn: &Connection, now: i64) -> Result<Vec<(String, String, String, String)>> {
    Ok(churn_cmd::risks(conn, now, &[])?
        .into_iter()
        .map(|(id, name, r)| (name.unwrap_or(id), r.signal.to_string(), r.detail, r.response.to_string()))
        .collect())
}

#[allow(clippy::too_many_arguments)]
fn gather(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    days: i64,
    today: i64,
    from: i64,
    on: &dyn Fn(&str) -> bool,
    charts: bool,
) -> Result<PlanData> {
    let mut data = PlanData { days, ..PlanData::default() };
    if on("current-state") || on("improvements") {
        data.metrics = metrics::metrics(&reports::inputs(conn, now, days)?, settings);
    }
    if on("top-issues") || on("documentation") {
        let plans = st::plans(conn)?;
        let counts = st::category_counts(conn, from, now)?;
        data.tickets_in_period = counts.iter().map(|(_, n)| n).sum();
        data.categories = counts
            .into_iter()
            .map(|(c, n)| {
                let p = plans.iter().find(|(k, _)| *k == c).map(|(_, p)| p.clone());
                (c, n, p)
            })
            .collect();
        data.documented = st::docs(conn)?.into_iter().map(|(c, _)| c).collect();
    }
    if on("health") {
        for (id, name, score) in hstore::latest_scores(conn, now)? {
            let b = Band::of(score);
            data.bands[Band::ALL.iter().position(|x| *x == b).unwrap_or(3)] += 1;
            if b == Band::Critical {
                data.critical.push((id.clone(), name.unwrap_or(id), score));
            }
        }
        data.critical.sort_by_key(|c| c.2);
    }
    if on("onboarding") {
        let f = onboarding::funnel(&onb_cmd::members(conn, settings, now, 30)?, today);
        data.cohort_size = f.cohort_size;
        data.funnel = onb_cmd::funnel_figures(&f, settings);
    }
    if on("support-scaling") {
        data.tickets_4_weeks = reports::tickets_last_4_weeks(conn, now)?;
    }
    if on("cadence") {
        data.last_scored_day = hstore::last_scored_day(conn, now)?;
        data.days_since_scored = data
            .last_scored_day
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(|d| today - time::day_of_date(d));
        data.nps_90_days = reports::nps_last_90_days(conn, now)?;
        for t in st::list_unanswered(conn, now)? {
            let target = ticket_cmd::target_at(&t, settings);
            if dt::overdue(target, t.first_response_at, t.resolved_at, now) {
                let who = t.customer_name.clone().unwrap_or(t.customer_id.clone());
                data.overdue.push((t.id.clone(), who, time::duration(now - target.unwrap_or(now))));
            }
        }
    }
    if charts && on("churn-risks") {
        data.churn_by_month = churn_cmd::month_windows(now, 6)
            .into_iter()
            .map(|(m, s, e)| {
                let (a, c, _) = crate::store::churn::month_counts(conn, s, e, now)?;
                Ok((m, crate::domain::churn::rate(c, a)))
            })
            .collect::<Result<Vec<_>>>()?;
    }
    Ok(data)
}
