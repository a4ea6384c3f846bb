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

/// The snapshots' day index, as migration 001 created it.
const DAY_INDEX: &str = "CREATE INDEX health_day ON health_snapshots (day)";

/// Before writing `planned` snapshots in (customer, day) order: when the
/// table holds fewer than that, drops the day index (each insert would land
/// at a random place in it) and returns true — [`end_bulk_write`] builds it
/// again in one sorted pass, in the same transaction. A large table keeps
/// its index: rebuilding would cost more than the inserts.
pub fn begin_bulk_write(tx: &Connection, planned: usize) -> Result<bool> {
    let planned = i64::try_from(planned).unwrap_or(i64::MAX);
    let existing: i64 =
        tx.query_row("SELECT count(*) FROM (SELECT 1 FROM health_snapshots LIMIT ?1)", [planned], |r| {
            r.get(0)
        })?;
    if existing >= planned {
        return Ok(false);
    }
    tx.execute_batch("DROP INDEX IF EXISTS health_day")?;
    Ok(true)
}

/// Builds the day index again after [`begin_bulk_write`] dropped it.
pub fn end_bulk_write(tx: &Connection, dropped: bool) -> Result<()> {
    if dropped {
        tx.execute_batch(DAY_INDEX)?;
    }
    Ok(())
}
