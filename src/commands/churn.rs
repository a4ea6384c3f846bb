//! `csf churn risks | record | undo | survey | reasons | winback | rate` (docs/churn.md).

use anyhow::{anyhow, bail, Result};
use rusqlite::Connection;

use crate::app::{churn as app, sequences};
use crate::cli::churn::ChurnCmd;
use crate::context::{Alert, Ctx};
use crate::domain::churn::Signal;
use crate::domain::sequence::WINBACK;
use crate::render::{self, churn as rc, Format};
use crate::store::churn::{self as cs, ChurnRecord};
use crate::store::{self, customers};
use crate::time::{self, iso_date};

pub fn run(ctx: &Ctx, cmd: ChurnCmd) -> Result<()> {
    let mut conn = ctx.open()?;
    let now = ctx.now();
    match cmd {
        ChurnCmd::Risks { signal, fail_on } => {
            let only: Vec<Signal> = signal.iter().map(|s| Signal::from(*s)).collect();
            let mut risks = app::risks(&conn, now, &only)?;
            if let Some(stored) = crate::app::evidence::latest(&conn, now)? {
                app::judge(&mut risks, &stored.evidence);
            }
            if risks.is_empty() {
                ctx.info("No warning signs as of now.");
            }
            ctx.print_each(rc::risk_head(), risks.iter().map(rc::risk_row))?;
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
        ChurnCmd::Undo { customer, date, erase } => {
            let at = match date {
                Some(d) => time::parse_timestamp(&d).map_err(|e| anyhow!("--date \"{d}\" {e}"))?.min(now),
                None => now,
            };
            let said = store::write(&mut conn, |tx| {
                let c = customers::get(tx, &customer)?;
                if erase {
                    let Some(t) = store::revenue::erase_latest_churn(tx, c.cid, now)? else {
                        bail!("customer \"{}\" has no churn in its history; nothing to erase", c.id);
                    };
                    return Ok(format!(
                        "Erased the churn of {} on {} from the history, as if it never happened",
                        c.id,
                        iso_date(t)
                    ));
                }
                let Some(churned) = c.churned_at else {
                    bail!("customer \"{}\" is not churned; nothing to undo", c.id);
                };
                if at < churned {
                    bail!(
                        "--date {} is before the churn on {}; give a later date, or --erase to remove the churn",
                        iso_date(at),
                        iso_date(churned)
                    );
                }
                cs::undo(tx, c.cid, at, now)?;
                Ok(format!(
                    "{} is active again from {}; the churn on {} stays in the history (--erase removes it)",
                    c.id,
                    iso_date(at),
                    iso_date(churned)
                ))
            })?;
            ctx.info(said);
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
        ChurnCmd::Reasons => {
            let r = app::reasons(&conn, now)?;
            if r.churned == 0 {
                ctx.info("No churned customers.");
            }
            ctx.print_rows(&rc::reason_rows(&r))
        }
        ChurnCmd::Winback { mark_done, missed, customer } => {
            winback(ctx, &mut conn, (mark_done, missed), customer.as_deref())
        }
        ChurnCmd::Rate { months, by } => {
            let settings = ctx.settings(&conn)?;
            let by_plan = by.is_some();
            ctx.print_rows(&rc::rate_rows(
                &app::by_month_of(&conn, &settings, now, months, by_plan)?,
                by_plan,
            ))
        }
    }
}

fn winback(ctx: &Ctx, conn: &mut Connection, flags: (bool, bool), customer: Option<&str>) -> Result<()> {
    let only = customer.map(|c| customers::get(conn, c).map(|c| c.cid)).transpose()?;
    let steps = sequences::steps(conn, &WINBACK, ctx.now(), only)?;
    ctx.sequence_due(conn, &WINBACK, steps, flags, "csf churn winback")
}
