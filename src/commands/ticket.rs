//! `csf ticket ...` (docs/tickets.md): the ticket handling SOP.

use anyhow::{anyhow, bail, Result};
use rusqlite::Connection;

use crate::app::tickets::{self as app, Change, Filter};
use crate::cli::ticket::TicketCmd;
use crate::context::Ctx;
use crate::import::values::parse_int_in;
use crate::render::{self, tickets as rt, Format};
use crate::store::tickets::{self as st, NewTicket};
use crate::store::{self, customers};

pub fn run(ctx: &Ctx, cmd: TicketCmd) -> Result<()> {
    let mut conn = if matches!(cmd, TicketCmd::Open { .. }) { ctx.open_or_create()? } else { ctx.open()? };
    let now = ctx.now();
    match cmd {
        TicketCmd::Open { customer, subject, category, priority, channel } => {
            let subject = subject.trim();
            if subject.is_empty() {
                bail!("a ticket needs a subject, e.g. csf ticket open {customer} \"Export fails\"");
            }
            crate::domain::contact::check_header_text("the subject", subject)
                .map_err(|e| anyhow::anyhow!("{e}; nothing was stored"))?;
            let category = category.map(|c| crate::import::category_key(&c)).filter(|c| !c.is_empty());
            let id = store::write(&mut conn, |tx| {
                let c = customers::get(tx, &customer)?;
                let id = st::next_id(tx)?;
                st::insert(
                    tx,
                    &NewTicket {
                        id: &id,
                        cid: c.cid,
                        subject,
                        category: category.as_deref(),
                        priority: priority.name(),
                        channel: channel.map(|c| crate::domain::tickets::Channel::from(c).name()),
                    },
                    now,
                )?;
                Ok(id)
            })?;
            render::out(&format!("{id}\n"))
        }
        TicketCmd::Reply { id, template, set, message } => {
            let text = store::write(&mut conn, |tx| {
                app::reply(tx, &id, now, template.as_deref(), &set, message.as_deref())
            })?;
            let end = if text.ends_with('\n') { "" } else { "\n" };
            // Raw into a pipe (`| pbcopy`), escaped on a terminal.
            render::out(&format!("{}{end}", ctx.raw_or_visible(&text)))
        }
        TicketCmd::Note { id, text } => change(ctx, &mut conn, &id, "Noted on", Change::Note(&text)),
        TicketCmd::Escalate { id, note } => {
            change(ctx, &mut conn, &id, "Escalated", Change::Escalate(note.as_deref()))
        }
        TicketCmd::Resolve { id, note } => {
            change(ctx, &mut conn, &id, "Resolved", Change::Resolve(note.as_deref()))
        }
        TicketCmd::Close { id, csat } => {
            let csat = csat.map(|c| parse_csat(&c)).transpose()?;
            change(ctx, &mut conn, &id, "Closed", Change::Close(csat))
        }
        TicketCmd::Rate { id, rating } => {
            let c = parse_csat(&rating)?;
            change(ctx, &mut conn, &id, "Rated", Change::Rate(c))
        }
        TicketCmd::List { open, customer, overdue } => {
            let cid = customer.map(|c| customers::get(&conn, &c).map(|c| c.cid)).transpose()?;
            let settings = ctx.settings(&conn)?;
            let all = app::list(&conn, &settings, now, Filter { customer: cid, open, overdue })?;
            let empty = match (overdue, open) {
                (true, _) => "No overdue tickets.",
                (false, true) => "No open tickets.",
                _ => "No tickets.",
            };
            ctx.print_each(
                rt::list_head().when_empty(empty),
                all.iter().map(|t| rt::list_row(t, &settings, now)),
            )
        }
        TicketCmd::Show { id } => show(ctx, &conn, &id),
        TicketCmd::Followups => {
            let all = app::followups(&conn, now)?;
            if all.is_empty() {
                ctx.info("No follow-ups: every resolved ticket is closed.");
            }
            ctx.print_rows(&rt::followup_rows(&all, now))
        }
        TicketCmd::Plan { category, text } => match (category, text) {
            (Some(c), Some(p)) if !p.trim().is_empty() => {
                let c = crate::import::category_key(&c);
                store::write(&mut conn, |tx| st::set_plan(tx, &c, p.trim(), now))?;
                ctx.info(format!("Plan for {c} stored; it feeds the Top Issues of `csf report plan`"));
                Ok(())
            }
            (_, Some(_)) => bail!("the plan text is empty"),
            (c, None) => ctx.print_rows(&rt::category_rows("plan", st::plans(&conn)?, c.as_deref())),
        },
        TicketCmd::Doc { category, url } => match (category, url) {
            (Some(c), Some(u)) if !u.trim().is_empty() => {
                let c = crate::import::category_key(&c);
                store::write(&mut conn, |tx| st::add_doc(tx, &c, u.trim(), now))?;
                ctx.info(format!("Doc for {c} recorded"));
                Ok(())
            }
            (_, Some(_)) => bail!("the doc URL is empty"),
            (c, None) => ctx.print_rows(&rt::category_rows("url", st::docs(&conn)?, c.as_deref())),
        },
    }
}

fn parse_csat(s: &str) -> Result<i64> {
    parse_int_in(s, 1, 5).map_err(|e| anyhow!("CSAT \"{s}\" {e}; nothing was recorded"))
}

/// One change to one ticket in one transaction, with a line on stderr.
fn change(ctx: &Ctx, conn: &mut Connection, id: &str, what: &str, c: Change) -> Result<()> {
    let now = ctx.now();
    let t = store::write(conn, |tx| {
        let t = st::get(tx, id, now)?;
        app::apply(tx, &t, now, c)?;
        Ok(t)
    })?;
    ctx.info(format!("{what} ticket {}", t.id));
    Ok(())
}

fn show(ctx: &Ctx, conn: &Connection, id: &str) -> Result<()> {
    ctx.only_formats(
        "ticket show",
        &[Format::Table, Format::Json],
        " (a timeline is nested; `csf ticket list -f csv` has one row per ticket)",
    )?;
    let now = ctx.now();
    let t = st::get(conn, id, now)?;
    let settings = ctx.settings(conn)?;
    let events = st::events(conn, t.tid, now)?;
    if ctx.format_or(Format::Table) == Format::Json {
        let j = rt::show_json(&t, &events, &settings, now);
        return render::out(&format!("{}\n", serde_json::to_string_pretty(&j)?));
    }
    render::out(&rt::show_text(&t, &events, &settings, now, ctx.color))
}
