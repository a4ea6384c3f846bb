//! The actions that are not a customer's judgement: stale data, and the
//! unanswered tickets of the last 30 days.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;

use super::TICKET_DAYS;
use crate::app::tickets;
use crate::domain::settings::Settings;
use crate::domain::tickets as dt;
use crate::domain::today::{self as td, Action, Effect, Kind};
use crate::store::customers::Customer;
use crate::store::{tickets as st, usage};
use crate::time::{self, Day};

/// The `data` action when the newest usage event is more than `data.stale_days` old.
pub(super) fn stale_data(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    seen: Option<i64>,
) -> Result<Option<Action>> {
    let Some(w) = stale_warning_after(conn, settings, now, seen)? else { return Ok(None) };
    let action = "Import the latest usage export (csf import usage FILE), then run csf today again";
    Ok(Some(data_action(td::data_id(w.newest_day), w.newest_day, (0, 0), w.text(), action.into())))
}

/// A `data` action: stale data to refresh before acting; no customer, no draft.
fn data_action(id: String, due_on: Day, rank: (i64, i64), why: String, action: String) -> Action {
    Action {
        id,
        kind: Kind::Data,
        cid: 0,
        customer_id: String::new(),
        name: None,
        email: None,
        mrr_cents: None,
        due_on,
        rank,
        why,
        action,
        template: None,
        draft: None,
        effect: Effect::None,
        skipped_until: None,
        last_active: None,
        topic: None,
        risk: None,
        expected_loss: None,
        basis: None,
        target_at: None,
    }
}

/// A `data` action per source (`csf sync`) whose last successful run is more
/// than `data.stale_days` old: its billing and usage are stale too.
pub(super) fn stale_sources(conn: &Connection, settings: &Settings, now: i64) -> Result<Vec<Action>> {
    let limit = i64::from(settings.count("data.stale_days"));
    let mut out = Vec::new();
    for s in crate::store::sync::all(conn)? {
        let days = time::Day::of(now) - time::Day::of(s.synced_at);
        if s.synced_at > now || days <= limit {
            continue;
        }
        let day = Day::of(s.synced_at);
        let why = format!(
            "{} data ends {day} ({days} days ago, the last csf sync {}): sync before acting on payments and usage",
            s.source, s.source
        );
        let action = format!("Run csf sync {} (or csf sync), then csf today again", s.source);
        out.push(data_action(format!("data-{}-{day}", s.source), day, (0, 1), why, action));
    }
    Ok(out)
}

/// Usage data older than `data.stale_days`: the newest event's day and its age.
pub struct Stale {
    pub newest_day: Day,
    pub days: i64,
}

impl Stale {
    pub fn text(&self) -> String {
        format!(
            "usage data ends {} ({} days ago): import fresh data before acting on health",
            self.newest_day, self.days
        )
    }
}

/// The stale-data warning of `today`, `health score` and the plan, if the data is stale.
pub fn stale_warning(conn: &Connection, settings: &Settings, now: i64) -> Result<Option<Stale>> {
    stale_warning_after(conn, settings, now, None)
}

/// [`stale_warning`], given an event already seen (the newest among active
/// customers, read while scoring): when that one is fresh, so is the data,
/// and the newest of all (a seek per customer) need not be read.
pub fn stale_warning_after(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    seen: Option<i64>,
) -> Result<Option<Stale>> {
    let stale = |newest: i64| {
        let days = time::Day::of(now) - time::Day::of(newest);
        (days > i64::from(settings.count("data.stale_days")))
            .then(|| Stale { newest_day: Day::of(newest), days })
    };
    if seen.is_some_and(|t| stale(t).is_none()) {
        return Ok(None);
    }
    // Fresh when any event is on or after the first day that is not stale.
    let fresh_from = (time::Day::of(now) - i64::from(settings.count("data.stale_days"))).start();
    if usage::any_usage_since(conn, fresh_from, now)? {
        return Ok(None);
    }
    Ok(usage::newest_usage(conn, now)?.and_then(stale))
}

/// Tickets created in the last 30 days and still unanswered: past their target first.
pub(super) fn ticket_actions(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    people: &[Customer],
    by_id: &HashMap<&str, usize>,
) -> Result<Vec<Action>> {
    let mut out = Vec::new();
    for t in st::list_unanswered(conn, now)? {
        if t.created_at <= now - time::days(TICKET_DAYS) {
            continue;
        }
        let Some(c) = by_id.get(t.customer_id.as_str()).map(|&i| &people[i]) else { continue };
        let target = tickets::target_at(&t, settings);
        let overdue = dt::overdue(target, t.first_response_at, t.resolved_at, now);
        let channel = t.channel.as_deref().unwrap_or("no channel");
        let subject = t.subject.clone().unwrap_or_else(|| format!("ticket {}", t.id));
        let waited = time::duration(now - t.created_at);
        let why = match target {
            Some(at) if overdue => format!(
                "{channel} ticket \"{subject}\" unanswered for {waited}, {} past its first-response target",
                time::duration(now - at)
            ),
            Some(at) => format!(
                "{channel} ticket \"{subject}\" unanswered for {waited}, {} left to its first-response target",
                time::duration(at - now)
            ),
            None => format!("{channel} ticket \"{subject}\" unanswered for {waited}"),
        };
        // Overdue first (most overdue first), then by target, then by age.
        let urgency = match target {
            Some(at) if overdue => (0, at),
            Some(at) => (1, at),
            None => (2, t.created_at),
        };
        out.push(Action {
            id: td::ticket_id(&t.id),
            kind: Kind::Ticket,
            cid: c.cid,
            customer_id: t.customer_id.clone(),
            name: t.customer_name.clone(),
            email: c.email.clone(),
            mrr_cents: c.mrr_cents,
            due_on: Day::of(target.filter(|_| overdue).unwrap_or(t.created_at)),
            rank: urgency,
            why,
            action: "Reply with the acknowledgment below; done records it as the ticket's first reply".into(),
            template: Some("ack".into()),
            draft: None,
            effect: Effect::Reply { tid: t.tid, ticket_id: t.id.clone() },
            skipped_until: None,
            last_active: None,
            topic: Some(subject),
            risk: None,
            expected_loss: None,
            basis: None,
            target_at: target,
        });
    }
    Ok(out)
}
