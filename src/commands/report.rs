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
use crate::domain::targets::Status;
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
    let inputs = reports::inputs(conn, now, days)?;
    let plans = st::plans(conn)?;
    let counts = st::category_counts(conn, from, now)?;
    let tickets_in_period = counts.iter().map(|(_, n)| n).sum();
    let categories = counts
        .into_iter()
        .map(|(c, n)| {
            let p = plans.iter().find(|(k, _)| *k == c).map(|(_, p)| p.clone());
            (c, n, p)
        })
        .collect();
    let mut bands = [0i64; 4];
    let mut critical = Vec::new();
    for l in hstore::latest(conn, now)? {
        let b = Band::of(l.snap.score);
        bands[match b {
            Band::Healthy => 0,
            Band::Neutral => 1,
            Band::AtRisk => 2,
            Band::Critical => 3,
        }] += 1;
        if b == Band::Critical {
            critical.push((l.id.clone(), l.name.clone().unwrap_or(l.id), l.snap.score));
        }
    }
    critical.sort_by_key(|c| c.2);
    let risks = churn_cmd::risks(conn, now, &[])?
        .into_iter()
        .map(|(id, name, r)| (name.unwrap_or(id), r.signal.to_string(), r.detail, r.response.to_string()))
        .collect();
    let cohort = onb_cmd::members(conn, settings, now, 30)?;
    let f = onboarding::funnel(&cohort, today);
    let funnel = onb_cmd::funnel_rows(&f, settings)
        .rows
        .iter()
        .map(|r| {
            let label = r[0].value.plain().replace('_', " ");
            let label = match label.as_str() {
                "time to first value" => "Time to first value".to_string(),
                "activation rate" => "Activation rate".into(),
                "setup completion" => "Setup completion".into(),
                _ => "D1 retention".into(),
            };
            let status = match r[4].value.plain().as_str() {
                "green" => Status::Green,
                "yellow" => Status::Yellow,
                "red" => Status::Red,
                _ => Status::NoData,
            };
            (
                label,
                r[1].display.clone().unwrap_or_default(),
                r[3].display.clone().unwrap_or_default(),
                status,
            )
        })
        .collect();
    let last_scored_day = hstore::last_scored_day(conn, now)?;
    let days_since_scored = last_scored_day
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| today - time::day_of_date(d));
    let mut overdue = Vec::new();
    for t in st::list(conn, now, None)? {
        let target = ticket_cmd::target_at(&t, settings);
        if dt::overdue(target, t.first_response_at, now) && t.resolved_at.is_none_or(|r| r > now) {
            overdue.push((
                t.id.clone(),
                t.customer_name.clone().unwrap_or(t.customer_id.clone()),
                time::duration(now - target.unwrap_or(now)),
            ));
        }
    }
    let churn_by_month = churn_cmd::month_windows(now, 6)
        .into_iter()
        .map(|(m, s, e)| {
            let (a, c, _) = crate::store::churn::month_counts(conn, s, e, now)?;
            Ok((m, crate::domain::churn::rate(c, a)))
        })
        .collect::<Result<Vec<_>>>()?;
    let data = PlanData {
        days,
        metrics: metrics::metrics(&inputs, settings),
        categories,
        tickets_in_period,
        documented: st::docs(conn)?.into_iter().map(|(c, _)| c).collect(),
        bands,
        critical,
        risks,
        funnel,
        cohort_size: f.cohort_size,
        tickets_4_weeks: reports::tickets_last_4_weeks(conn, now)?,
        last_scored_day,
        days_since_scored,
        nps_90_days: reports::nps_last_90_days(conn, now)?,
        overdue,
        churn_by_month,
    };
    Ok(plan::render(&data, sections, charts))
}
