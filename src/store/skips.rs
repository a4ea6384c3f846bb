//! Skipped actions of `csf today` (docs/today.md).

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
