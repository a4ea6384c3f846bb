//! Tickets as shown: the list with targets, one ticket's timeline, and the
//! follow-ups of resolved tickets.

use serde_json::json;

use crate::app::tickets::{status, target_at};
use crate::domain::settings::Settings;
use crate::domain::tickets::{self as dt, Status};
use crate::render::{self, Cell, Rows, Tone, Value};
use crate::store::tickets::Ticket;
use crate::time;

/// `ticket list`: one row per ticket with its target, coloured by how close it is.
pub fn list_rows(all: &[Ticket], settings: &Settings, now: i64) -> Rows {
    list_head().filled(all.iter().map(|t| list_row(t, settings, now)))
}

/// The columns of [`list_rows`].
pub fn list_head() -> Rows {
    Rows::new(&[
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
    .hide(&["first_response_at", "resolved_at"])
    .drop_order(&["channel", "csat", "priority", "category", "created_at", "overdue"])
}

/// One row of [`list_rows`].
pub fn list_row(t: &Ticket, settings: &Settings, now: i64) -> Vec<Cell> {
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
    vec![
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
    ]
}

/// `ticket followups`: each resolved ticket with what to do next.
pub fn followup_rows(all: &[(Ticket, Vec<&'static str>)], now: i64) -> Rows {
    let mut rows = Rows::new(&["id", "customer_id", "subject", "category", "resolved_at", "actions"]);
    for (t, actions) in all {
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
    rows
}

/// `ticket show -f json`: the ticket, its target and its timeline.
pub fn show_json(
    t: &Ticket,
    events: &[(i64, String, Option<String>)],
    settings: &Settings,
    now: i64,
) -> serde_json::Value {
    let target = target_at(t, settings);
    let first = t.first_response_at.filter(|f| *f <= now);
    let resolved = t.resolved_at.filter(|r| *r <= now);
    json!({
        "id": t.id,
        "customer_id": t.customer_id,
        "subject": t.subject,
        "category": t.category,
        "priority": t.priority,
        "channel": t.channel,
        "status": status(t, now).name(),
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
    })
}

/// `ticket show`: the header, the response times and the timeline.
pub fn show_text(
    t: &Ticket,
    events: &[(i64, String, Option<String>)],
    settings: &Settings,
    now: i64,
    color: bool,
) -> String {
    let target = target_at(t, settings);
    let first = t.first_response_at.filter(|f| *f <= now);
    let resolved = t.resolved_at.filter(|r| *r <= now);
    let mut out = render::visible(&format!(
        "Ticket {} — {}\n  Customer   {} ({})\n  Status     {}{}\n  Category   {}   Priority {}   Channel {}\n",
        t.id,
        t.subject.as_deref().unwrap_or("(no subject)"),
        t.customer_name.as_deref().unwrap_or(&t.customer_id),
        t.customer_id,
        status(t, now).name(),
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
    let mut tb = render::new_table(color);
    tb.set_header(["When", "Event", "Detail"]);
    for (ts, kind, body) in events {
        let v = |s: &str| render::visible(s).into_owned();
        tb.add_row([time::short(*ts), v(kind), v(body.as_deref().unwrap_or_default())]);
    }
    out.push_str(&format!("{tb}\n"));
    out
}

/// The plans (`column` "plan") or docs ("url") of the ticket categories,
/// optionally of one category (any case).
pub fn category_rows(column: &'static str, pairs: Vec<(String, String)>, only: Option<&str>) -> Rows {
    let mut rows = Rows::new(&["category", column]);
    for (cat, v) in pairs {
        if only.is_none_or(|c| c.eq_ignore_ascii_case(&cat)) {
            rows.push(vec![cat.into(), v.into()]);
        }
    }
    rows
}
