//! What csf knows of support tickets: which are open or overdue, the reply
//! a template makes, and the follow-ups of resolved tickets (docs/tickets.md).

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Result};
use rusqlite::Connection;

use crate::app::templates;
use crate::domain::settings::Settings;
use crate::domain::templates::greeting_name;
use crate::domain::tickets::{self as dt, Status};
use crate::store::customers;
use crate::store::tickets::{self as st, Ticket};

/// A ticket's status as of `now`.
pub fn status(t: &Ticket, now: i64) -> Status {
    dt::status_at(t.first_response_at, t.resolved_at, t.closed_at, now)
}

/// When the ticket is due its first response, if its channel has a target.
pub fn target_at(t: &Ticket, s: &Settings) -> Option<i64> {
    dt::target_at(t.created_at, t.channel.as_deref().and_then(dt::Channel::parse), s)
}

/// Which tickets `ticket list` shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub customer: Option<i64>,
    /// Open or acknowledged only.
    pub open: bool,
    /// Past their first-response target only.
    pub overdue: bool,
}

pub fn list(conn: &Connection, settings: &Settings, now: i64, f: Filter) -> Result<Vec<Ticket>> {
    let mut all = st::list(conn, now, f.customer)?;
    all.retain(|t| {
        let s = status(t, now);
        (!f.open || matches!(s, Status::Open | Status::Acknowledged))
            && (!f.overdue || dt::overdue(target_at(t, settings), t.first_response_at, t.resolved_at, now))
    });
    Ok(all)
}

/// The reply text of template `name` for ticket `t`, with `--set KEY=VALUE` values.
pub fn reply_text(conn: &Connection, name: &str, set: &[String], t: &Ticket) -> Result<String> {
    let (text, _) = templates::text(conn, name)?;
    let used = dt::placeholders(&text);
    let mut values = BTreeMap::new();
    values.insert("customer".to_string(), t.customer_name.clone().unwrap_or_else(|| t.customer_id.clone()));
    // The greeting and the sign-off, as in every draft.
    let settings = Settings::from_stored(crate::store::config::all(conn)?);
    let c = customers::find(conn, &t.customer_id)?;
    values.insert(
        "name".to_string(),
        greeting_name(
            c.as_ref().and_then(|c| c.salutation.as_deref()),
            c.as_ref().and_then(|c| c.contact_name.as_deref()),
            c.as_ref().and_then(|c| c.email.as_deref()),
            &format!("{} {}", t.customer_name.as_deref().unwrap_or_default(), t.customer_id),
        ),
    );
    values.insert(
        "founder".to_string(),
        settings.get("founder.name").unwrap_or_else(|| crate::app::drafts::DEFAULT_FOUNDER.into()),
    );
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

/// Each resolved (not closed) ticket with what to do next.
pub fn followups(conn: &Connection, now: i64) -> Result<Vec<(Ticket, Vec<&'static str>)>> {
    let counts: BTreeMap<String, i64> =
        st::category_counts(conn, dt::common_window_start(now), now)?.into_iter().collect();
    let docs: Vec<String> = st::docs(conn)?.into_iter().map(|(c, _)| c).collect();
    let mut out = Vec::new();
    for t in st::list(conn, now, None)?.into_iter().filter(|t| status(t, now) == Status::Resolved) {
        let mut actions = vec!["Confirm the resolution"];
        if t.csat.is_none() {
            actions.push("ask for feedback (csf ticket rate)");
        }
        if let Some(c) = &t.category {
            if counts.get(c).copied().unwrap_or(0) >= dt::COMMON_AT && !docs.contains(c) {
                actions.push("update the docs: a common category with no doc (csf ticket doc)");
            }
        }
        out.push((t, actions));
    }
    Ok(out)
}

/// A change to a ticket, checked against its status as of now (docs/tickets.md).
pub enum Change<'a> {
    Note(&'a str),
    Escalate(Option<&'a str>),
    Resolve(Option<&'a str>),
    /// Close, with an optional CSAT rating (1–5).
    Close(Option<i64>),
    Rate(i64),
}

/// The ticket state rules: what each change may do from each status.
pub fn apply(tx: &Connection, t: &Ticket, now: i64, c: Change) -> Result<()> {
    let s = status(t, now);
    match c {
        Change::Note(text) if text.trim().is_empty() => bail!("the note is empty"),
        Change::Note(text) => st::event(tx, t.tid, now, "note", Some(text)),
        Change::Escalate(_) if matches!(s, Status::Resolved | Status::Closed) => {
            bail!("ticket {} is already {}; nothing to escalate", t.id, s.name())
        }
        Change::Escalate(_) if t.escalated => bail!("ticket {} is already escalated", t.id),
        Change::Escalate(note) => st::escalate(tx, t.tid, now, note),
        Change::Resolve(_) if matches!(s, Status::Resolved | Status::Closed) => {
            bail!("ticket {} is already {}", t.id, s.name())
        }
        Change::Resolve(note) => st::resolve(tx, t.tid, now, note),
        Change::Close(_) if s == Status::Closed => bail!("ticket {} is already closed", t.id),
        Change::Close(csat) => {
            st::close(tx, t.tid, now)?;
            match csat {
                Some(c) => st::rate(tx, t.tid, now, c),
                None => Ok(()),
            }
        }
        Change::Rate(c) => st::rate(tx, t.tid, now, c),
    }
}

/// Replies to ticket `id` with a template (and its `--set` values) or a
/// message, as its next reply; a closed ticket takes none. Returns the text.
pub fn reply(
    tx: &Connection,
    id: &str,
    now: i64,
    template: Option<&str>,
    set: &[String],
    message: Option<&str>,
) -> Result<String> {
    let t = st::get(tx, id, now)?;
    if status(&t, now) == Status::Closed {
        bail!("ticket {} is closed; open a new ticket to continue the conversation", t.id);
    }
    let text = match (template, message) {
        (Some(name), None) => reply_text(tx, name, set, &t)?,
        (None, Some(m)) if !m.trim().is_empty() => m.to_string(),
        _ => bail!("say what to reply: --template NAME [--set KEY=VALUE]... or --message TEXT"),
    };
    st::reply(tx, t.tid, now, &text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_and_overdue_filters_and_a_filled_reply() {
        let (conn, settings, now) = crate::example::book("2026-11-20T12:00:00Z");
        let all = list(&conn, &settings, now, Filter::default()).unwrap();
        let open = list(&conn, &settings, now, Filter { open: true, ..Filter::default() }).unwrap();
        let overdue = list(&conn, &settings, now, Filter { overdue: true, ..Filter::default() }).unwrap();
        assert!(open.len() < all.len() && !open.is_empty());
        assert!(open.iter().all(|t| matches!(status(t, now), Status::Open | Status::Acknowledged)));
        for t in &overdue {
            assert!(target_at(t, &settings).is_some_and(|at| at < now), "{}", t.id);
        }
        let t = &open[0];
        let text = reply_text(&conn, "ack", &["timeframe=2 hours".into()], t).unwrap();
        assert!(text.contains("2 hours"), "{text}");
        let e = reply_text(&conn, "ack", &["colour=red".into()], t).unwrap_err().to_string();
        assert!(e.contains("no placeholder {colour}"), "{e}");
        for (t, actions) in followups(&conn, now).unwrap() {
            assert_eq!(status(&t, now), Status::Resolved);
            assert_eq!(actions[0], "Confirm the resolution");
        }
    }
}
