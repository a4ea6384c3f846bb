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
use crate::domain::targets;
use crate::render::{Cell, Rows, Value};
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
                    for (metric, v) in figures(&f) {
                        let (target, higher, unit) = target_of(&settings, metric);
                        let st = targets::status(v, target, higher);
                        row.push(figure_cell(v, unit).tone(crate::render::Tone::of(st)));
                    }
                    rows.push(row);
                }
                ctx.print_rows(&rows)
            } else {
                ctx.print_rows(&funnel_rows(&onboarding::funnel(&members, today), &settings))
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

fn figures(f: &Funnel) -> [(&'static str, Option<f64>); 4] {
    [
        ("time_to_first_value", f.time_to_first_value),
        ("activation_rate", f.activation_rate),
        ("setup_completion", f.setup_completion),
        ("d1_retention", f.d1_retention),
    ]
}

/// (target, higher is better, unit)
fn target_of(s: &Settings, metric: &str) -> (f64, bool, &'static str) {
    match metric {
        "time_to_first_value" => (s.number("targets.time_to_first_value_minutes"), false, "minutes"),
        "activation_rate" => (s.number("targets.activation_rate_percent"), true, "percent"),
        "setup_completion" => (s.number("targets.setup_completion_percent"), true, "percent"),
        _ => (s.number("targets.d1_retention_percent"), true, "percent"),
    }
}

fn figure_cell(v: Option<f64>, unit: &str) -> Cell {
    match v {
        Some(v) => Cell::from(Value::Num(v, 1)).shown(if unit == "percent" {
            format!("{v:.1}%")
        } else {
            format!("{v:.1} min")
        }),
        None => Cell::from(Value::Null).shown("n/a"),
    }
}

/// The funnel for the plan: (label, value, goal, status) per metric.
pub fn funnel_figures(f: &Funnel, settings: &Settings) -> Vec<(String, String, String, targets::Status)> {
    figures(f)
        .iter()
        .map(|(metric, v)| {
            let (target, higher, unit) = target_of(settings, metric);
            let label = match *metric {
                "time_to_first_value" => "Time to first value",
                "activation_rate" => "Activation rate",
                "setup_completion" => "Setup completion",
                _ => "D1 retention",
            };
            let fmt = |x: f64| if unit == "percent" { format!("{x:.1}%") } else { format!("{x:.1} min") };
            let goal = format!("{} {}", if higher { ">" } else { "<" }, fmt(target).replace(".0", ""));
            (label.to_string(), v.map_or("n/a".into(), fmt), goal, targets::status(*v, target, higher))
        })
        .collect()
}

/// The funnel as rows of `metric, value, unit, target, status, cohort_size`.
pub fn funnel_rows(f: &Funnel, settings: &Settings) -> Rows {
    let mut rows = Rows::new(&["metric", "value", "unit", "target", "status", "cohort_size"]);
    for (metric, v) in figures(f) {
        let (target, higher, unit) = target_of(settings, metric);
        let st = targets::status(v, target, higher);
        let suffix = if unit == "percent" { "%" } else { " min" };
        let shown_target = if higher { format!("> {target}{suffix}") } else { format!("< {target}{suffix}") };
        rows.push(vec![
            metric.into(),
            figure_cell(v, unit).tone(crate::render::Tone::of(st)),
            unit.into(),
            Cell::from(Value::Num(target, 1)).shown(shown_target),
            Cell::from(st.name()).tone(crate::render::Tone::of(st)),
            Value::Int(f.cohort_size as i64).into(),
        ]);
    }
    rows
}
