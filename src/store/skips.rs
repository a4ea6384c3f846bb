//! Skipped actions of `csf today` (docs/today.md) and how fresh the usage data is.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{params, Connection};

/// Each skipped action id still hidden at `now`, with the latest end of its skips.
pub fn active(conn: &Connection, now: i64) -> Result<HashMap<String, i64>> {
    let mut st = conn.prepare_cached(
        "SELECT action, MAX(until) FROM skips WHERE until > ?1 AND created_at <= ?1 GROUP BY action",
    )?;
    let rows = st.query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert(
    conn: &Connection,
    action: &str,
    cid: Option<i64>,
    until: i64,
    note: Option<&str>,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO skips (action, cid, until, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![action, cid, until, note, now])?;
    Ok(())
}

/// Ends every skip of `action` still in force at `now`; returns how many.
pub fn undo(conn: &Connection, action: &str, now: i64) -> Result<usize> {
    Ok(conn
        .prepare_cached("UPDATE skips SET until = ?2 WHERE action = ?1 AND until > ?2 AND created_at <= ?2")?
        .execute(params![action, now])?)
}

/// The newest usage event at or before `now`: one index seek per customer
/// (the events are clustered by customer and time).
pub fn newest_usage(conn: &Connection, now: i64) -> Result<Option<i64>> {
    Ok(conn.prepare_cached(
        "SELECT MAX((SELECT MAX(u.ts) FROM usage_events u WHERE u.cid = c.cid AND u.ts <= ?1)) FROM customers c",
    )?
    .query_row([now], |r| r.get(0))?)
}

/// Steps marked done in `sequence`, by (customer, start date).
pub fn done_steps(conn: &Connection, sequence: &str) -> Result<HashMap<(i64, String), Vec<i64>>> {
    let mut st =
        conn.prepare_cached("SELECT cid, started_on, step_day FROM outreach_done WHERE sequence = ?1")?;
    let mut out: HashMap<(i64, String), Vec<i64>> = HashMap::new();
    let mut rows = st.query([sequence])?;
    while let Some(r) = rows.next()? {
        out.entry((r.get(0)?, r.get(1)?)).or_default().push(r.get(2)?);
    }
    Ok(out)
}
