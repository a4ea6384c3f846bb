//! `csf ticket ...` (SPEC §7): the ticket handling SOP.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Result};
use rusqlite::Connection;
use serde_json::json;

use crate::cli::ticket::TicketCmd;
use crate::context::Ctx;
use crate::domain::settings::Settings;
use crate::domain::tickets::{self as dt, Status};
use crate::import::values::parse_int_in;
use crate::render::{self, Cell, Format, Rows, Tone, Value};
use crate::store::tickets::{self as st, NewTicket, Ticket};
use crate::store::{self, customers};
use crate::time;

pub fn run(ctx: &Ctx, cmd: TicketCmd) -> Result<()> {
    let mut conn = if matches!(cmd, TicketCmd::Open { .. }) { ctx.open_or_create()? } else { ctx.open()? };
    let now = ctx.now;
    match cmd {
        TicketCmd::Open { customer, subject, category, priority, channel } => {
            let subject = subject.trim();
            if subject.is_empty() {
                bail!("a ticket needs a subject, e.g. csf ticket open {customer} \"Export fails\"");
            }
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
                        channel: channel.map(|c| c.name()),
                    },
                    now,
                )?;
                Ok(id)
            })?;
            render::out(&format!("{id}\n"))
        }
        TicketCmd::Reply { id, template, set, message } => {
            let text = store::write(&mut conn, |tx| {
                let t = st::get(tx, &id, now)?;
                if status(&t, now) == Status::Closed {
                    bail!("ticket {} is closed; open a new ticket to continue the conversation", t.id);
                }
                let text = match (template, message) {
                    (Some(name), None) => fill_template(tx, &name, &set, &t)?,
                    (None, Some(m)) if !m.trim().is_empty() => m,
                    _ => bail!("say what to reply: --template NAME [--set KEY=VALUE]... or --message TEXT"),
                };
                st::reply(tx, t.tid, now, &text)?;
                Ok(text)
            })?;
            let end = if text.ends_with('\n') { "" } else { "\n" };
            render::out(&format!("{text}{end}"))
        }
        TicketCmd::Note { id, text } => change(ctx, &mut conn, &id, "Noted on", |tx, t| {
            if text.trim().is_empty() {
                bail!("the note is empty");
            }
            st::event(tx, t.tid, now, "note", Some(&text))
        }),
        TicketCmd::Escalate { id, note } => {
            change(ctx, &mut conn, &id, "Escalated", |tx, t| match status(t, now) {
                Status::Resolved | Status::Closed => {
                    bail!("ticket {} is already {}; nothing to escalate", t.id, status(t, now).name())
                }
                _ if t.escalated => bail!("ticket {} is already escalated", t.id),
                _ => st::escalate(tx, t.tid, now, note.as_deref()),
            })
        }
        TicketCmd::Resolve { id, note } => {
            change(ctx, &mut conn, &id, "Resolved", |tx, t| match status(t, now) {
                Status::Resolved | Status::Closed => {
                    bail!("ticket {} is already {}", t.id, status(t, now).name())
                }
                _ => st::resolve(tx, t.tid, now, note.as_deref()),
            })
        }
        TicketCmd::Close { id, csat } => {
            let csat = csat.map(|c| parse_csat(&c)).transpose()?;
            change(ctx, &mut conn, &id, "Closed", |tx, t| {
                if status(t, now) == Status::Closed {
                    bail!("ticket {} is already closed", t.id);
                }
                st::close(tx, t.tid, now)?;
                if let Some(c) = csat {
                    st::rate(tx, t.tid, now, c)?;
                }
                Ok(())
            })
        }
        TicketCmd::Rate { id, rating } => {
            let c = parse_csat(&rating)?;
            change(ctx, &mut conn, &id, "Rated", |tx, t| st::rate(tx, t.tid, now, c))
        }
        TicketCmd::List { open, customer, overdue } => {
            let cid = customer.map(|c| customers::get(&conn, &c).map(|c| c.cid)).transpose()?;
            let settings = ctx.settings(&conn)?;
            let mut all = st::list(&conn, now, cid)?;
            all.retain(|t| {
                let s = status(t, now);
                (!open || matches!(s, Status::Open | Status::Acknowledged))
                    && (!overdue
                        || dt::overdue(target_at(t, &settings), t.first_response_at, t.resolved_at, now))
            });
            ctx.print_rows(&list_rows(&all, &settings, now))
        }
        TicketCmd::Show { id } => show(ctx, &conn, &id),
        TicketCmd::Followups => followups(ctx, &conn),
        TicketCmd::Plan { category, text } => match (category, text) {
            (Some(c), Some(p)) if !p.trim().is_empty() => {
                let c = crate::import::category_key(&c);
                st::set_plan(&conn, &c, p.trim(), now)?;
                ctx.info(format!("Plan for {c} stored; it feeds the Top Issues of `csf report plan`"));
                Ok(())
            }
            (_, Some(_)) => bail!("the plan text is empty"),
            (c, None) => {
                let mut rows = Rows::new(&["category", "plan"]);
                for (cat, plan) in st::plans(&conn)? {
                    if c.as_deref().is_none_or(|c| c.eq_ignore_ascii_case(&cat)) {
                        rows.push(vec![cat.into(), plan.into()]);
                    }
                }
                ctx.print_rows(&rows)
            }
        },
        TicketCmd::Doc { category, url } => match (category, url) {
            (Some(c), Some(u)) if !u.trim().is_empty() => {
                let c = crate::import::category_key(&c);
                st::add_doc(&conn, &c, u.trim(), now)?;
                ctx.info(format!("Doc for {c} recorded"));
                Ok(())
            }
            (_, Some(_)) => bail!("the doc URL is empty"),
            (c, None) => {
                let mut rows = Rows::new(&["category", "url"]);
                for (cat, u) in st::docs(&conn)? {
                    if c.as_deref().is_none_or(|c| c.eq_ignore_ascii_case(&cat)) {
                        rows.push(vec![cat.into(), u.into()]);
                    }
                }
                ctx.print_rows(&rows)
            }
        },
    }
}

fn parse_csat(s: &str) -> Result<i64> {
    parse_int_in(s, 1, 5).map_err(|e| anyhow!("CSAT \"{s}\" {e}; nothing was recorded"))
}

/// One change to one ticket in one transaction, with a line on stderr.
fn change(
    ctx: &Ctx,
    conn: &mut Connection,
    id: &str,
    what: &str,
    f: impl FnOnce(&rusqlite::Transaction, &Ticket) -> Result<()>,
) -> Result<()> {
    let now = ctx.now;
    let t = store::write(conn, |tx| {
        let t = st::get(tx, id, now)?;
        f(tx, &t)?;
        Ok(t)
    })?;
    ctx.info(format!("{what} ticket {}", t.id));
    Ok(())
}

fn status(t: &Ticket, now: i64) -> Status {
    dt::status_at(t.first_response_at, t.resolved_at, t.closed_at, now)
}

pub fn target_at(t: &Ticket, s: &Settings) -> Option<i64> {
    dt::target_secs(
        t.channel.as_deref(),
        s.number("targets.chat_response_hours"),
        s.number("targets.email_response_hours"),
    )
    .map(|secs| t.created_at + secs)
}

fn fill_template(conn: &Connection, name: &str, set: &[String], t: &Ticket) -> Result<String> {
    let (text, _) = crate::commands::template::text(conn, name)?;
    let used = dt::placeholders(&text);
    let mut values = BTreeMap::new();
    values.insert("customer".to_string(), t.customer_name.clone().unwrap_or_else(|| t.customer_id.clone()));
    values.insert("issue".to_string(), t.subject.clone().unwrap_or_else(|| format!("ticket {}", t.id)));
    for kv in set {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| anyhow!("--set \"{kv}\" is not KEY=VALUE, e.g. --set timeframe='2 hours'"))?;
        let k = k.trim();
        if !used.iter().any(|u| u == k) {
            bail!(
                "the {name} template has no placeholder {{{k}}}; its placeholders are {}; nothing was recorded",
                used.iter().map(|u| format!("{{{u}}}")).collect::<Vec<_>>().join(", ")
            );
        }
        values.insert(k.to_string(), v.to_string());
    }
    dt::render(&text, &values).map_err(|missing| {
        anyhow!(
            "the {name} template needs {}; nothing was recorded — add {}",
            missing.iter().map(|m| format!("{{{m}}}")).collect::<Vec<_>>().join(", "),
            missing.iter().map(|m| format!("--set {m}=...")).collect::<Vec<_>>().join(" ")
        )
    })
}

pub fn list_rows(all: &[Ticket], settings: &Settings, now: i64) -> Rows {
    let mut rows = Rows::new(&[
        "id",
        "customer_id",
        "subject",
        "category",
        "priority",
        "channel",
        "status",
        "created_at",
        "first_response_at",
        "resolved_at",
        "csat",
        "target_at",
        "overdue",
    ])
    .hide(&["first_response_at", "resolved_at"]);
    for t in all {
        let target = target_at(t, settings);
        let late = dt::overdue(target, t.first_response_at, t.resolved_at, now);
        let s = status(t, now);
        let waiting = matches!(s, Status::Open);
        let tone = if late {
            Tone::Red
        } else if waiting && target.is_some_and(|x| x - now < (x - t.created_at) / 4) {
            Tone::Yellow
        } else if target.is_some() && waiting {
            Tone::Green
        } else {
            Tone::Plain
        };
        let visible = |v: Option<i64>| v.filter(|x| *x <= now);
        rows.push(vec![
            t.id.clone().into(),
            t.customer_id.clone().into(),
            t.subject.clone().into(),
            t.category.clone().into(),
            t.priority.clone().into(),
            t.channel.clone().into(),
            s.name().into(),
            Cell::from(Value::Time(t.created_at)).shown(time::relative(t.created_at, now)),
            Value::opt_time(visible(t.first_response_at)).into(),
            Value::opt_time(visible(t.resolved_at)).into(),
            Value::opt_int(t.csat.filter(|_| t.csat_at.is_some_and(|c| c <= now))).into(),
            Cell::from(Value::opt_time(target))
                .shown(dt::target_text(target, t.first_response_at, now))
                .tone(tone),
            Cell::from(Value::Bool(late)).shown(if late { "yes" } else { "" }).tone(if late {
                Tone::Red
            } else {
                Tone::Plain
            }),
        ]);
    }
    rows
}

/// Open tickets with their targets (for the demo).
pub fn print_open(ctx: &Ctx, conn: &Connection) -> Result<()> {
    let settings = ctx.settings(conn)?;
    let mut all = st::list(conn, ctx.now, None)?;
    all.retain(|t| matches!(status(t, ctx.now), Status::Open | Status::Acknowledged));
    ctx.print_rows(&list_rows(&all, &settings, ctx.now))
}

fn show(ctx: &Ctx, conn: &Connection, id: &str) -> Result<()> {
    ctx.only_formats(
        "ticket show",
        &[Format::Table, Format::Json],
        " (a timeline is nested; `csf ticket list -f csv` has one row per ticket)",
    )?;
    let now = ctx.now;
    let t = st::get(conn, id, now)?;
    let settings = ctx.settings(conn)?;
    let events = st::events(conn, t.tid, now)?;
    let target = target_at(&t, &settings);
    let first = t.first_response_at.filter(|f| *f <= now);
    let resolved = t.resolved_at.filter(|r| *r <= now);
    let s = status(&t, now);
    if ctx.format_or(Format::Table) == Format::Json {
        let j = json!({
            "id": t.id,
            "customer_id": t.customer_id,
            "subject": t.subject,
            "category": t.category,
            "priority": t.priority,
            "channel": t.channel,
            "status": s.name(),
            "escalated": t.escalated,
            "created_at": time::rfc3339(t.created_at),
            "first_response_at": first.map(time::rfc3339),
            "resolved_at": resolved.map(time::rfc3339),
            "closed_at": t.closed_at.filter(|c| *c <= now).map(time::rfc3339),
            "csat": t.csat.filter(|_| t.csat_at.is_some_and(|c| c <= now)),
            "target_at": target.map(time::rfc3339),
            "overdue": dt::overdue(target, t.first_response_at, t.resolved_at, now),
            "first_response_hours": first.map(|f| dt::hours(t.created_at, f)),
            "resolution_hours": resolved.map(|r| dt::hours(t.created_at, r)),
            "events": events.iter().map(|(ts, k, b)| json!({"at": time::rfc3339(*ts), "kind": k, "body": b})).collect::<Vec<_>>(),
        });
        return render::out(&format!("{}\n", serde_json::to_string_pretty(&j)?));
    }
    let mut out = render::visible(&format!(
        "Ticket {} — {}\n  Customer   {} ({})\n  Status     {}{}\n  Category   {}   Priority {}   Channel {}\n",
        t.id,
        t.subject.as_deref().unwrap_or("(no subject)"),
        t.customer_name.as_deref().unwrap_or(&t.customer_id),
        t.customer_id,
        s.name(),
        if t.escalated { " (escalated)" } else { "" },
        t.category.as_deref().unwrap_or("-"),
        t.priority,
        t.channel.as_deref().unwrap_or("-"),
    ))
    .into_owned();
    out.push_str(&format!(
        "  First response  {}   (target: {})\n  Resolution      {}\n\n",
        first.map_or("none yet".into(), |f| time::duration(f - t.created_at)),
        dt::target_text(target, t.first_response_at, now),
        resolved.map_or("not resolved".into(), |r| time::duration(r - t.created_at)),
    ));
    let mut tb = render::new_table(ctx.color);
    tb.set_header(["When", "Event", "Detail"]);
    for (ts, kind, body) in &events {
        let v = |s: &str| render::visible(s).into_owned();
        tb.add_row([time::short(*ts), v(kind), v(body.as_deref().unwrap_or_default())]);
    }
    out.push_str(&format!("{tb}\n"));
    render::out(&out)
}

fn followups(ctx: &Ctx, conn: &Connection) -> Result<()> {
    let now = ctx.now;
    let all = st::list(conn, now, None)?;
    let counts: BTreeMap<String, i64> =
        st::category_counts(conn, dt::common_window_start(now), now)?.into_iter().collect();
    let docs: Vec<String> = st::docs(conn)?.into_iter().map(|(c, _)| c).collect();
    let mut rows = Rows::new(&["id", "customer_id", "subject", "category", "resolved_at", "actions"]);
    for t in all.iter().filter(|t| status(t, now) == Status::Resolved) {
        let mut actions = vec!["Confirm the resolution"];
        if t.csat.is_none() {
            actions.push("ask for feedback (csf ticket rate)");
        }
        if let Some(c) = &t.category {
            if counts.get(c).copied().unwrap_or(0) >= dt::COMMON_AT && !docs.contains(c) {
                actions.push("update the docs: a common category with no doc (csf ticket doc)");
            }
        }
        rows.push(vec![
            t.id.clone().into(),
            t.customer_id.clone().into(),
            t.subject.clone().into(),
            t.category.clone().into(),
            Cell::from(Value::opt_time(t.resolved_at))
                .shown(t.resolved_at.map_or(String::new(), |r| time::relative(r, now))),
            actions.join("; ").into(),
        ]);
    }
    if rows.is_empty() {
        ctx.info("No follow-ups: every resolved ticket is closed.");
    }
    ctx.print_rows(&rows)
}
