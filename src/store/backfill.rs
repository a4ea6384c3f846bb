//! What a backfill needs to know before it replays: where the history
//! starts and which days already have snapshots.

use std::collections::HashSet;

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::time::Day;

/// The first signup day, else the first usage day; `None` with neither.
pub fn first_activity_day(conn: &Connection) -> Result<Option<Day>> {
    let t: Option<i64> = conn.query_row(
        "SELECT COALESCE((SELECT MIN(signed_up_at) FROM customers), (SELECT MIN(ts) FROM usage_events))",
        [],
        |r| r.get(0),
    )?;
    Ok(t.map(Day::of))
}

/// The days (`YYYY-MM-DD`) between `from` and `to` that have any snapshot.
pub fn scored_days(conn: &Connection, from: &str, to: &str) -> Result<HashSet<String>> {
    let mut st =
        conn.prepare_cached("SELECT DISTINCT day FROM health_snapshots WHERE day >= ?1 AND day <= ?2")?;
    let rows = st.query_map(params![from, to], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
