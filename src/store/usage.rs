//! Usage events: event names and the core feature list (docs/health.md).

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

use crate::domain::settings::Settings;

/// The core features in force as of `now`: `health.core_features` when set;
/// else every event name seen in usage data up to `now` except
/// `health.ignore_events`. Sorted by name.
pub fn core_features(conn: &Connection, settings: &Settings, now: i64) -> Result<Vec<String>> {
    if let Some(list) = settings.core_features() {
        let mut v = list;
        v.sort();
        v.dedup();
        return Ok(v);
    }
    let ignore = settings.ignore_events();
    // Only names first seen at or before `now`: `--now` in the past must not
    // see features first used later.
    let mut st = conn.prepare_cached("SELECT name FROM event_names WHERE first_seen <= ?1 ORDER BY name")?;
    let names = st.query_map([now], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for n in names {
        let n = n?;
        if !ignore.iter().any(|i| i == &n) {
            out.push(n);
        }
    }
    Ok(out)
}

/// The ids of the named events (names never seen have none).
pub fn event_ids(conn: &Connection, names: &[String]) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached("SELECT id FROM event_names WHERE name = ?1")?;
    let mut out = Vec::new();
    for n in names {
        if let Some(id) = st.query_row([n], |r| r.get(0)).optional()? {
            out.push(id);
        }
    }
    Ok(out)
}

/// Whether any customer has a usage event in [`from`, `now`]: stops at the
/// first one found (a fresh book answers after a few index seeks).
pub fn any_usage_since(conn: &Connection, from: i64, now: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM customers c
               WHERE EXISTS (SELECT 1 FROM usage_events u WHERE u.cid = c.cid AND u.ts >= ?1 AND u.ts <= ?2))",
        )?
        .query_row([from, now], |r| r.get(0))?)
}

/// The newest usage event at or before `now`: one index seek per customer
/// (the events are clustered by customer and time).
pub fn newest_usage(conn: &Connection, now: i64) -> Result<Option<i64>> {
    Ok(conn.prepare_cached(
        "SELECT MAX((SELECT MAX(u.ts) FROM usage_events u WHERE u.cid = c.cid AND u.ts <= ?1)) FROM customers c",
    )?
    .query_row([now], |r| r.get(0))?)
}
