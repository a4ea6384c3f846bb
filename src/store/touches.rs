//! Touches (docs/today.md) and the message templates changed by the user.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// One contact with a customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Touch {
    pub ts: i64,
    pub kind: String,
    /// The `csf today` action done, if any.
    pub action: Option<String>,
    pub note: Option<String>,
}

pub struct NewTouch<'a> {
    pub cid: i64,
    pub kind: &'a str,
    pub action: Option<&'a str>,
    pub action_kind: Option<&'a str>,
    pub note: Option<&'a str>,
    /// What a rescue was about (`Basis::text`), kept so it stays done until something new.
    pub basis: Option<&'a str>,
}

pub fn insert(conn: &Connection, t: &NewTouch, now: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO touches (cid, ts, kind, action, action_kind, note, basis) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![t.cid, now, t.kind, t.action, t.action_kind, t.note, t.basis])?;
    Ok(())
}

/// Each customer's latest touch at or before now.
pub fn last_touch(conn: &Connection, now: i64) -> Result<HashMap<i64, i64>> {
    let mut st = conn.prepare_cached("SELECT cid, MAX(ts) FROM touches WHERE ts <= ?1 GROUP BY cid")?;
    let rows = st.query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Each customer's latest done action of `kind` at or before now.
pub fn last_action(conn: &Connection, kind: &str, now: i64) -> Result<HashMap<i64, i64>> {
    let mut st = conn.prepare_cached(
        "SELECT cid, MAX(ts) FROM touches WHERE action_kind = ?1 AND ts <= ?2 GROUP BY cid",
    )?;
    let rows = st.query_map(params![kind, now], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Each customer's latest done rescue at or before now: (time, basis).
pub fn last_rescue(conn: &Connection, now: i64) -> Result<HashMap<i64, (i64, Option<String>)>> {
    let mut st = conn.prepare_cached(
        "SELECT cid, MAX(ts), basis FROM touches WHERE action_kind = 'rescue' AND ts <= ?1 GROUP BY cid",
    )?;
    let rows = st.query_map([now], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether something new reached the customer after `since`: an NPS answer,
/// a CSAT rating or a failed invoice (a done rescue comes back for it).
pub fn news_since(conn: &Connection, cid: i64, since: i64, now: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM nps_responses WHERE cid = ?1 AND responded_at > ?2 AND responded_at <= ?3
             UNION ALL SELECT 1 FROM tickets WHERE cid = ?1 AND csat_at > ?2 AND csat_at <= ?3
             UNION ALL SELECT 1 FROM billing_records WHERE cid = ?1 AND status = 'failed' AND date > ?2 AND date <= ?3
             LIMIT 1",
        )?
        .query_row(params![cid, since, now], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A customer's touches at or before now, newest first.
pub fn of_customer(conn: &Connection, cid: i64, now: i64) -> Result<Vec<Touch>> {
    let mut st = conn.prepare_cached(
        "SELECT ts, kind, action, note FROM touches WHERE cid = ?1 AND ts <= ?2 ORDER BY ts DESC, id DESC",
    )?;
    let rows = st.query_map(params![cid, now], |r| {
        Ok(Touch { ts: r.get(0)?, kind: r.get(1)?, action: r.get(2)?, note: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A template changed with `csf template set`, if any.
pub fn template(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT body FROM templates WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?)
}

/// The names of the templates changed with `csf template set`.
pub fn changed_templates(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached("SELECT name FROM templates ORDER BY name")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_template(conn: &Connection, name: &str, body: &str, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO templates (name, body, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        params![name, body, now],
    )?;
    Ok(())
}

/// Returns whether there was a change to reset.
pub fn reset_template(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM templates WHERE name = ?1", [name])? > 0)
}
