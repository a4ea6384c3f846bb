//! `csf onboarding due | funnel` (SPEC §8).

use std::collections::BTreeMap;

use anyhow::Result;
use rusqlite::Connection;

use crate::cli::onboarding::OnboardingCmd;
use crate::commands::churn::{print_due, DueStep};
use crate::context::Ctx;
use crate::domain::onboarding::{self, Funnel, Member};
use crate::domain::sequence::ONBOARDING;
use crate::domain::settings::Settings;
use crate::render::{figure, Cell, Format, Rows, Value};
use crate::store::churn as cs;
use crate::store::health::Features;
use crate::store::{self, onboarding as os, usage};
use crate::time::{self, date_of_day, DAY};

pub fn run(ctx: &Ctx, cmd: OnboardingCmd) -> Result<()> {
    let mut conn = ctx.open()?;
    match cmd {
        OnboardingCmd::Due { mark_done } => {
            let due = due(&conn, ctx.now)?;
            print_due(ctx, ONBOARDING.name, &due)?;
            if mark_done && !due.is_empty() {
                store::write(&mut conn, |tx| {
                    for d in &due {
                        cs::mark_done(tx, d.cid, ONBOARDING.name, &d.started_on, d.step.day, ctx.now)?;
                    }
                    Ok(())
                })?;
                ctx.info(format!("Marked {} step(s) done", due.len()));
            }
            Ok(())
        }
        OnboardingCmd::Funnel { days, cohort } => {
            let settings = ctx.settings(&conn)?;
            let members = members(&conn, &settings, ctx.now, days)?;
            let today = ctx.today();
            if cohort.is_some() {
                let mut by_month: BTreeMap<String, Vec<Member>> = BTreeMap::new();
                for m in members {
                    by_month
                        .entry(time::date_of(m.signed_up_at).format("%Y-%m").to_string())
                        .or_default()
                        .push(m);
                }
                let mut rows = Rows::new(&[
                    "month",
                    "cohort_size",
                    "time_to_first_value",
                    "activation_rate",
                    "setup_completion",
                    "d1_retention",
                ]);
                for (month, ms) in by_month {
                    let f = onboarding::funnel(&ms, today);
                    let mut row: Vec<Cell> = vec![month.into(), Value::Int(f.cohort_size as i64).into()];
                    for m in onboarding::funnel_metrics(&f, &settings) {
                        row.push(figure::metric_cells(&m, ctx.format_or(Format::Table))[1].clone());
                    }
                    rows.push(row);
                }
                ctx.print_rows(&rows)
            } else {
                let f = onboarding::funnel(&members, today);
                let format = ctx.format_or(Format::Table);
                if matches!(format, Format::Table | Format::Markdown) {
                    // The window the figures depend on (the plan says the same).
                    crate::render::out(&format!(
                        "Signups in the last {days} days ({} to {}): {}\n\n",
                        time::iso_date(crate::store::reports::period_start(ctx.now, days)),
                        time::iso_date(ctx.now),
                        f.cohort_size
                    ))?;
                }
                ctx.print_rows(&funnel_rows(&f, &settings, format))
            }
        }
    }
}

/// Due onboarding steps of customers in their first 28 days.
pub fn due(conn: &Connection, now: i64) -> Result<Vec<DueStep>> {
    let today = now.div_euclid(DAY);
    let mut out = Vec::new();
    for n in os::in_onboarding(conn, now)? {
        let started_on = date_of_day(n.signup_day).to_string();
        let done = cs::done_steps(conn, n.cid, ONBOARDING.name, &started_on)?;
        if let Some(step) = ONBOARDING.due(today - n.signup_day, &done) {
            out.push(DueStep { cid: n.cid, id: n.id, name: n.name, step, started_on });
        }
    }
    Ok(out)
}

/// The cohort of the last `days` days with their funnel facts.
pub fn members(conn: &Connection, settings: &Settings, now: i64, days: i64) -> Result<Vec<Member>> {
    let feats = Features::load(conn, settings, now)?;
    let setup = settings.get("onboarding.setup_event").unwrap_or_else(|| "setup_complete".into());
    let setup_ids = usage::event_ids(conn, &[setup])?;
    let from = (now.div_euclid(DAY) - days + 1) * DAY;
    os::cohort(conn, from, now, &feats.value_ids, &setup_ids)
}

/// The funnel as rows of `metric, value, unit, target, status, cohort_size`.
pub fn funnel_rows(f: &Funnel, settings: &Settings, format: Format) -> Rows {
    let mut rows = Rows::new(&["metric", "value", "unit", "target", "status", "cohort_size"]);
    for m in onboarding::funnel_metrics(f, settings) {
        let mut cells = figure::metric_cells(&m, format);
        cells.push(Value::Int(f.cohort_size as i64).into());
        rows.push(cells);
    }
    rows
}
