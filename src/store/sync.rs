//! `sync_state`: each source's cursors and its last successful run.

use rusqlite::{params, Connection, OptionalExtension};

/// One source's stored state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub source: String,
    /// JSON: where the next run starts (the source decides its shape).
    pub cursor: String,
    pub synced_at: i64,
    /// JSON counts of the last successful run.
    pub summary: String,
}

pub fn get(conn: &Connection, source: &str) -> rusqlite::Result<Option<State>> {
    conn.prepare_cached("SELECT source, cursor, synced_at, summary FROM sync_state WHERE source = ?1")?
        .query_row([source], |r| {
            Ok(State { source: r.get(0)?, cursor: r.get(1)?, synced_at: r.get(2)?, summary: r.get(3)? })
        })
        .optional()
}

pub fn all(conn: &Connection) -> rusqlite::Result<Vec<State>> {
    conn.prepare_cached("SELECT source, cursor, synced_at, summary FROM sync_state ORDER BY source")?
        .query_map([], |r| {
            Ok(State { source: r.get(0)?, cursor: r.get(1)?, synced_at: r.get(2)?, summary: r.get(3)? })
        })?
        .collect()
}

/// Stores a successful run: call it inside the sync's own transaction.
pub fn put(conn: &Connection, s: &State) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_state (source, cursor, synced_at, summary) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, synced_at = excluded.synced_at,
                                            summary = excluded.summary",
    )?
    .execute(params![s.source, s.cursor, s.synced_at, s.summary])?;
    Ok(())
}
