//! `csf churn risks | record | undo | survey | reasons | winback | rate` (SPEC §6).

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use crate::cli::churn::{ChurnCmd, RiskSignal};
use crate::context::{Alert, Ctx};
use crate::domain::churn::{self, Risk, REASONS, RETURN_ANSWERS};
use crate::domain::metrics::Metric;
use crate::domain::sequence::{Step, WINBACK};
use crate::domain::settings::Settings;
use crate::render::{self, figure, Cell, Format, Rows, Value};
use crate::store::churn::{self as cs, ChurnRecord};
use crate::store::{self, customers};
use crate::time::{self, date_of_day, iso_date};

pub fn run(ctx: &Ctx, cmd: ChurnCmd) -> Result<()> {
    let mut conn = ctx.open()?;
    let now = ctx.now;
    match cmd {
        ChurnCmd::Risks { signal, fail_on } => {
            let risks = risks(&conn, now, &signal)?;
            let mut rows = Rows::new(&["customer_id", "name", "signal", "detail", "response"]);
            for (id, name, r) in &risks {
                rows.push(vec![
                    id.clone().into(),
                    name.clone().into(),
                    Cell::from(r.signal).tone(render::Tone::Red),
                    r.detail.clone().into(),
                    r.response.into(),
                ]);
            }
            if risks.is_empty() {
                ctx.info("No warning signs as of now.");
            }
            ctx.print_rows(&rows)?;
            if fail_on.is_some() && !risks.is_empty() {
                return Err(
                    Alert(format!("{} churn risk(s); `csf churn risks` lists them", risks.len())).into()
                );
            }
            Ok(())
        }
        ChurnCmd::Record { customer, date, reason, reason_other, better, return_answer } => {
            let churned_at = match date {
                Some(d) => time::parse_timestamp(&d).map_err(|e| anyhow!("--date \"{d}\" {e}"))?,
                None => now,
            };
            if reason.as_deref() == Some("other")
                && reason_other.as_deref().is_none_or(|s| s.trim().is_empty())
            {
                bail!("--reason other needs --reason-other TEXT (the reason in their words)");
            }
            if reason_other.is_some() && reason.as_deref() != Some("other") {
                bail!("--reason-other goes with --reason other");
            }
            let id = store::write(&mut conn, |tx| {
                let c = customers::get(tx, &customer)?;
                if c.is_churned(now) {
                    bail!(
                        "customer \"{}\" already churned on {}; `csf churn undo {}` first to record it again",
                        c.id,
                        iso_date(c.churned_at.unwrap_or(now)),
                        c.id
                    );
                }
                if c.signed_up_at.is_some_and(|s| churned_at < s) {
                    bail!(
                        "--date is before the customer signed up ({})",
                        iso_date(c.signed_up_at.unwrap_or(0))
                    );
                }
                let r = ChurnRecord { churned_at, reason, reason_other, better, return_answer };
                cs::record(tx, c.cid, &r, c.mrr_cents, now)?;
                Ok(c.id)
            })?;
            ctx.info(format!("Recorded the churn of {id} on {}", iso_date(churned_at)));
            Ok(())
        }
        ChurnCmd::Undo { customer } => {
            let id = store::write(&mut conn, |tx| {
                let c = customers::get(tx, &customer)?;
                if c.churned_at.is_none() {
                    bail!("customer \"{}\" is not churned; nothing to undo", c.id);
                }
                cs::undo(tx, c.cid, now)?;
                Ok(c.id)
            })?;
            ctx.info(format!("{id} is active again"));
            Ok(())
        }
        ChurnCmd::Survey => {
            ctx.only_formats(
                "churn survey",
                &[Format::Markdown, Format::Table],
                " (the survey is markdown)",
            )?;
            render::out(render::exit_survey())
        }
        ChurnCmd::Reasons => reasons(ctx, &conn),
        ChurnCmd::Winback { mark_done, customer } => winback(ctx, &mut conn, mark_done, customer.as_deref()),
        ChurnCmd::Rate { months } => {
            let settings = ctx.settings(&conn)?;
            ctx.print_rows(&rate_rows(&conn, &settings, now, months)?)
        }
    }
}

/// (customer id, name, risk) for every warning sign as of `now`.
pub fn risks(
    conn: &Connection,
    now: i64,
    only: &[RiskSignal],
) -> Result<Vec<(String, Option<String>, Risk)>> {
    let mut out = Vec::new();
    for c in cs::risk_facts(conn, now)? {
        for r in churn::risks(&c.facts) {
            if only.is_empty() || only.iter().any(|s| s.name() == r.signal) {
                out.push((c.id.clone(), c.name.clone(), r));
            }
        }
    }
    Ok(out)
}

fn reasons(ctx: &Ctx, conn: &Connection) -> Result<()> {
    let all = cs::churned_with_reasons(conn, ctx.now)?;
    // Saturating: money is bounded at import, but a crafted file must not wrap.
    let total_mrr: i64 = all.iter().fold(0i64, |a, (_, _, m)| a.saturating_add(*m));
    let mut by_reason: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut by_return: BTreeMap<String, i64> = BTreeMap::new();
    for (reason, ret, mrr) in &all {
        let e = by_reason.entry(reason.clone().unwrap_or_else(|| "unknown".into())).or_default();
        e.0 += 1;
        e.1 = e.1.saturating_add(*mrr);
        *by_return.entry(ret.clone().unwrap_or_else(|| "unknown".into())).or_default() += 1;
    }
    let mut rows = Rows::new(&["question", "answer", "customers", "share", "mrr_lost", "mrr_share"]);
    let n = all.len() as f64;
    let order = |list: &[&str], key: &str| list.iter().position(|r| *r == key).unwrap_or(list.len());
    let mut reasons: Vec<_> = by_reason.into_iter().collect();
    reasons.sort_by_key(|(k, (c, m))| (std::cmp::Reverse(*c), std::cmp::Reverse(*m), order(&REASONS, k)));
    for (reason, (count, mrr)) in reasons {
        rows.push(vec![
            "reason".into(),
            reason.into(),
            Value::Int(count).into(),
            Cell::from(Value::Num(count as f64 * 100.0 / n, 1))
                .shown(format!("{:.0}%", count as f64 * 100.0 / n)),
            Value::Money(mrr).into(),
            match total_mrr {
                0 => Value::Null.into(),
                t => Cell::from(Value::Num(mrr as f64 * 100.0 / t as f64, 1))
                    .shown(format!("{:.0}%", mrr as f64 * 100.0 / t as f64)),
            },
        ]);
    }
    let mut answers: Vec<_> = by_return.into_iter().collect();
    answers.sort_by_key(|(k, _)| order(&RETURN_ANSWERS, k));
    for (answer, count) in answers {
        rows.push(vec![
            "return".into(),
            answer.into(),
            Value::Int(count).into(),
            Cell::from(Value::Num(count as f64 * 100.0 / n, 1))
                .shown(format!("{:.0}%", count as f64 * 100.0 / n)),
            Value::Null.into(),
            Value::Null.into(),
        ]);
    }
    if all.is_empty() {
        ctx.info("No churned customers.");
    }
    ctx.print_rows(&rows)
}

/// One due outreach step (win-back or onboarding).
pub struct DueStep {
    pub cid: i64,
    pub id: String,
    pub name: Option<String>,
    pub step: Step,
    pub started_on: String,
}

pub fn due_winback(conn: &Connection, now: i64, only: Option<i64>) -> Result<Vec<DueStep>> {
    let today = now.div_euclid(time::DAY);
    let mut out = Vec::new();
    for s in cs::winback_starts(conn, now)? {
        if only.is_some_and(|c| c != s.cid) {
            continue;
        }
        let started_on = date_of_day(s.start_day).to_string();
        let done = cs::done_steps(conn, s.cid, WINBACK.name, &started_on)?;
        if let Some(step) = WINBACK.due(today - s.start_day, &done) {
            out.push(DueStep { cid: s.cid, id: s.id, name: s.name, step, started_on });
        }
    }
    Ok(out)
}

fn winback(ctx: &Ctx, conn: &mut Connection, mark_done: bool, customer: Option<&str>) -> Result<()> {
    let only = customer.map(|c| customers::get(conn, c).map(|c| c.cid)).transpose()?;
    let due = due_winback(conn, ctx.now, only)?;
    print_due(ctx, "winback", &due)?;
    if mark_done && !due.is_empty() {
        store::write(conn, |tx| {
            for d in &due {
                cs::mark_done(tx, d.cid, WINBACK.name, &d.started_on, d.step.day, ctx.now)?;
            }
            Ok(())
        })?;
        ctx.info(format!("Marked {} step(s) done", due.len()));
    }
    Ok(())
}

/// Prints due steps with the JSON fields of SPEC §6.3.
pub fn print_due(ctx: &Ctx, sequence: &str, due: &[DueStep]) -> Result<()> {
    let mut rows = Rows::new(&["customer_id", "name", "sequence", "day", "step", "message", "started_on"]);
    for d in due {
        rows.push(vec![
            d.id.clone().into(),
            d.name.clone().into(),
            sequence.into(),
            Value::Int(d.step.day).into(),
            d.step.name.into(),
            d.step.message.into(),
            Value::Date(d.started_on.clone()).into(),
        ]);
    }
    if due.is_empty() {
        ctx.info(format!("Nothing due in the {sequence} sequence today."));
    }
    ctx.print_rows(&rows)
}

/// Churn per calendar month, `months` months ending with the current one:
/// logo churn (§6.4) and revenue churn (§14.2) beside it, each against the
/// churn target.
pub fn rate_rows(conn: &Connection, settings: &Settings, now: i64, months: u32) -> Result<Rows> {
    let target = settings.number("targets.churn_rate_percent");
    let mut rows = Rows::new(&[
        "month",
        "active_at_start",
        "churned",
        "rate",
        "same_month_churns",
        "target",
        "status",
        "mrr_at_start",
        "mrr_churned",
        "revenue_churn",
        "revenue_status",
    ]);
    for (label, start, end) in month_windows(now, months) {
        let m = cs::month_counts(conn, start, end, now)?;
        let logo = Metric::judged(
            "churn_rate",
            "Churn",
            churn::rate(m.churned, m.active),
            "percent",
            target,
            false,
            Some(m.active),
        );
        let revenue = Metric::judged(
            "revenue_churn",
            "Revenue churn",
            (m.mrr_active_cents > 0).then(|| m.mrr_churned_cents as f64 * 100.0 / m.mrr_active_cents as f64),
            "percent",
            target,
            false,
            Some(m.active),
        );
        let cells = |x: &Metric| {
            let c = figure::metric_cells(x, Format::Table);
            (c[1].clone(), c[4].clone())
        };
        let (rate, status) = cells(&logo);
        let (rev, rev_status) = cells(&revenue);
        rows.push(vec![
            label.into(),
            Value::Int(m.active).into(),
            Value::Int(m.churned).into(),
            rate,
            Value::Int(m.same_period).into(),
            Cell::from(Value::Num(target, 1)).shown(figure::target_text(&logo)),
            status,
            Value::Money(m.mrr_active_cents).into(),
            Value::Money(m.mrr_churned_cents).into(),
            rev,
            rev_status,
        ]);
    }
    Ok(rows.hide(&["mrr_at_start", "mrr_churned"]))
}

/// (YYYY-MM, start, end) of the `months` calendar months ending with now's.
pub fn month_windows(now: i64, months: u32) -> Vec<(String, i64, i64)> {
    let d = time::date_of(now);
    let mut first = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d);
    let mut out = Vec::new();
    for _ in 0..months {
        let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
        out.push((
            first.format("%Y-%m").to_string(),
            time::day_of_date(first) * time::DAY,
            time::day_of_date(next) * time::DAY,
        ));
        first = first.checked_sub_months(chrono::Months::new(1)).unwrap_or(first);
    }
    out.reverse();
    out
}
