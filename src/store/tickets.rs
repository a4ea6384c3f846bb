//! Tickets, their timeline events, category plans and docs.

use anyhow::{bail, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};

#[derive(Debug, Clone)]
pub struct Ticket {
    pub tid: i64,
    pub id: String,
    pub customer_id: String,
    pub customer_name: Option<String>,
    pub subject: Option<String>,
    pub category: Option<String>,
    pub priority: String,
    pub channel: Option<String>,
    pub escalated: bool,
    pub created_at: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub csat: Option<i64>,
    pub csat_at: Option<i64>,
}

const SELECT: &str = "SELECT t.tid, t.id, c.id, c.name, t.subject, t.category, t.priority, t.channel,
    t.escalated, t.created_at, t.first_response_at, t.resolved_at, t.closed_at, t.csat, t.csat_at
    FROM tickets t JOIN customers c ON c.cid = t.cid";

fn from_row(r: &Row) -> rusqlite::Result<Ticket> {
    Ok(Ticket {
        tid: r.get(0)?,
        id: r.get(1)?,
        customer_id: r.get(2)?,
        customer_name: r.get(3)?,
        subject: r.get(4)?,
        category: r.get(5)?,
        priority: r.get(6)?,
        channel: r.get(7)?,
        escalated: r.get(8)?,
        created_at: r.get(9)?,
        first_response_at: r.get(10)?,
        resolved_at: r.get(11)?,
        closed_at: r.get(12)?,
        csat: r.get(13)?,
        csat_at: r.get(14)?,
    })
}

/// The ticket with this id, created at or before `now`.
pub fn get(conn: &Connection, id: &str, now: i64) -> Result<Ticket> {
    // The id as typed first (an index seek), then in any case (`t1` finds
    // `T1`: a scan, only for a miss).
    let exact = conn
        .prepare_cached(&format!("{SELECT} WHERE t.id = ?1 AND t.created_at <= ?2"))?
        .query_row(params![id.trim(), now], from_row)
        .optional()?;
    if let Some(t) = exact {
        return Ok(t);
    }
    // Used only when unique: `t1` never picks one of `T1` and `t1 `.
    let mut any_case: Vec<Ticket> = conn
        .prepare_cached(&format!(
            "{SELECT} WHERE t.id = ?1 COLLATE NOCASE AND t.created_at <= ?2 ORDER BY t.id"
        ))?
        .query_map(params![id.trim(), now], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    if any_case.len() > 1 {
        let ids: Vec<String> = any_case.iter().map(|t| t.id.clone()).collect();
        bail!(
            "ticket id \"{id}\" matches {} in different case: {}; nothing was changed — type the id exactly",
            ids.len(),
            ids.join(", ")
        );
    }
    if let Some(t) = any_case.pop() {
        return Ok(t);
    }
    let mut st = conn.prepare_cached("SELECT id FROM tickets WHERE created_at <= ?1 ORDER BY id")?;
    let ids: Vec<String> = st.query_map([now], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let near = crate::domain::today::suggest(id, ids.iter().map(String::as_str));
    if near.is_empty() {
        bail!("no ticket \"{id}\"; `csf ticket list` shows the tickets")
    }
    bail!("no ticket \"{id}\"; did you mean {}?", near.join(", "))
}

/// Tickets created at or before `now`, oldest first; optionally one customer's.
pub fn list(conn: &Connection, now: i64, cid: Option<i64>) -> Result<Vec<Ticket>> {
    let mut st = conn.prepare_cached(&format!(
        "{SELECT} WHERE t.created_at <= ?1 AND (?2 IS NULL OR t.cid = ?2) ORDER BY t.created_at, t.tid"
    ))?;
    let rows = st.query_map(params![now, cid], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Tickets created at or before `now` with no first response by then.
pub fn list_unanswered(conn: &Connection, now: i64) -> Result<Vec<Ticket>> {
    // From the few unresolved tickets (on `resolved_at`), sorted after: the
    // planner's walk of every ticket in creation order, a table seek each,
    // cost ~20x more on a book of 100,000 tickets.
    let select = SELECT.replace("FROM tickets t", "FROM tickets t INDEXED BY tickets_resolved");
    let mut st = conn.prepare_cached(&format!(
        "{select} WHERE t.created_at <= ?1 AND (t.first_response_at IS NULL OR t.first_response_at > ?1)
           AND (t.resolved_at IS NULL OR t.resolved_at > ?1) ORDER BY t.created_at, t.tid"
    ))?;
    let rows = st.query_map(params![now], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The next free ticket number: one more than the largest numeric id.
pub fn next_id(conn: &Connection) -> Result<String> {
    let max: Option<i64> = conn.query_row(
        "SELECT MAX(CAST(id AS INTEGER)) FROM tickets WHERE id NOT GLOB '*[^0-9]*' AND id <> ''",
        [],
        |r| r.get(0),
    )?;
    Ok((max.unwrap_or(0) + 1).to_string())
}

pub struct NewTicket<'a> {
    pub id: &'a str,
    pub cid: i64,
    pub subject: &'a str,
    pub category: Option<&'a str>,
    pub priority: &'a str,
    pub channel: Option<&'a str>,
}

pub fn insert(conn: &Connection, t: &NewTicket, now: i64) -> Result<i64> {
    conn.execute(
        "INSERT INTO tickets (id, cid, subject, category, priority, channel, status, created_at, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, 'csf')",
        params![t.id, t.cid, t.subject, t.category, t.priority, t.channel, now],
    )?;
    let tid = conn.last_insert_rowid();
    event(conn, tid, now, "opened", Some(t.subject))?;
    Ok(tid)
}

/// Records a timeline event.
pub fn event(conn: &Connection, tid: i64, ts: i64, kind: &str, body: Option<&str>) -> Result<()> {
    conn.prepare_cached("INSERT INTO ticket_events (tid, ts, kind, body) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![tid, ts, kind, body])?;
    Ok(())
}

/// The first reply sets first_response_at; later ones do not move it.
pub fn reply(conn: &Connection, tid: i64, now: i64, text: &str) -> Result<()> {
    conn.execute(
        "UPDATE tickets SET first_response_at = COALESCE(first_response_at, ?2),
           status = CASE WHEN status = 'open' THEN 'acknowledged' ELSE status END WHERE tid = ?1",
        params![tid, now],
    )?;
    event(conn, tid, now, "replied", Some(text))
}

pub fn escalate(conn: &Connection, tid: i64, now: i64, note: Option<&str>) -> Result<()> {
    conn.execute("UPDATE tickets SET escalated = 1 WHERE tid = ?1", [tid])?;
    event(conn, tid, now, "escalated", note)
}

pub fn resolve(conn: &Connection, tid: i64, now: i64, note: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE tickets SET resolved_at = ?2, status = 'resolved' WHERE tid = ?1",
        params![tid, now],
    )?;
    event(conn, tid, now, "resolved", note)
}

pub fn close(conn: &Connection, tid: i64, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE tickets SET closed_at = ?2, resolved_at = COALESCE(resolved_at, ?2), status = 'closed' WHERE tid = ?1",
        params![tid, now],
    )?;
    event(conn, tid, now, "closed", None)
}

pub fn rate(conn: &Connection, tid: i64, now: i64, csat: i64) -> Result<()> {
    conn.execute("UPDATE tickets SET csat = ?2, csat_at = ?3 WHERE tid = ?1", params![tid, csat, now])?;
    event(conn, tid, now, "rated", Some(&csat.to_string()))
}

/// (time, kind, body) of a ticket's events up to `now`, in order.
pub fn events(conn: &Connection, tid: i64, now: i64) -> Result<Vec<(i64, String, Option<String>)>> {
    let mut st = conn.prepare_cached(
        "SELECT ts, kind, body FROM ticket_events WHERE tid = ?1 AND ts <= ?2 ORDER BY ts, id",
    )?;
    let rows = st.query_map(params![tid, now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_plan(conn: &Connection, category: &str, plan: &str, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO category_plans (category, plan, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (category) DO UPDATE SET plan = excluded.plan, updated_at = excluded.updated_at",
        params![category, plan, now],
    )?;
    Ok(())
}

pub fn plans(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare_cached("SELECT category, plan FROM category_plans ORDER BY category")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn add_doc(conn: &Connection, category: &str, url: &str, now: i64) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO category_docs (category, url, created_at) VALUES (?1, ?2, ?3)",
        params![category, url, now],
    )?;
    Ok(())
}

pub fn docs(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare_cached("SELECT category, url FROM category_docs ORDER BY category, url")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Tickets per category created in `[from, now]`, most first.
pub fn category_counts(conn: &Connection, from: i64, now: i64) -> Result<Vec<(String, i64)>> {
    let mut st = conn.prepare_cached(
        "SELECT COALESCE(category, 'uncategorised'), count(*) AS n FROM tickets
         WHERE created_at >= ?1 AND created_at <= ?2 GROUP BY 1 ORDER BY n DESC, 1",
    )?;
    let rows = st.query_map(params![from, now], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
