//! `csf churn risks | record | undo | survey | reasons | winback | rate` (docs/churn.md).

use anyhow::{anyhow, Result};
use rusqlite::Connection;

use crate::app::churn::{self as app, record};
use crate::app::sequences;
use crate::cli::churn::ChurnCmd;
use crate::context::{Alert, Ctx};
use crate::domain::churn::{ChurnReason, Signal};
use crate::domain::sequence::WINBACK;
use crate::render::{self, churn as rc, Format};
use crate::store::churn::ChurnRecord;
use crate::store::customers;
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
            let reason = reason.map(ChurnReason::from);
            let r = ChurnRecord { churned_at, reason, reason_other, better, return_answer };
            let id = record::record(&mut conn, &customer, r, now)?;
            ctx.info(format!("Recorded the churn of {id} on {}", iso_date(churned_at)));
            Ok(())
        }
        ChurnCmd::Undo { customer, date, erase } => {
            let at = match date {
                Some(d) => time::parse_timestamp(&d).map_err(|e| anyhow!("--date \"{d}\" {e}"))?.min(now),
                None => now,
            };
            let undone = record::undo(&mut conn, &customer, at, erase, now)?;
            ctx.info(rc::undo_said(&undone));
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
