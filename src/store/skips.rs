//! Skipped actions of `csf today` (docs/today.md).

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{params, Connection};

/// The skips in force at `now`: by (customer key, slot) — a skip follows
/// its customer through a change of id and never hides another customer
/// who takes the old id — and, for skips written before slots, by action id.
#[derive(Debug, Default)]
pub struct Hidden {
    /// By customer key, then slot.
    pub by_slot: HashMap<Option<i64>, HashMap<String, i64>>,
    /// Skips written before slots: by action id.
    pub by_id: HashMap<String, i64>,
}

impl Hidden {
    /// When the skip of an action ends, if one is in force. `slot` makes
    /// the action's slot, asked only of a customer with a skip (the morning
    /// of a large book looks up thousands of actions and has a few skips).
    pub fn get(&self, cid: Option<i64>, slot: impl FnOnce() -> String, id: &str) -> Option<i64> {
        self.by_slot.get(&cid).and_then(|slots| slots.get(&slot())).or_else(|| self.by_id.get(id)).copied()
    }
}

/// The skips in force at `now` (the latest end when several overlap).
pub fn active(conn: &Connection, now: i64) -> Result<Hidden> {
    let mut st = conn.prepare_cached(
        "SELECT action, cid, slot, MAX(until) FROM skips WHERE until > ?1 AND created_at <= ?1
         GROUP BY action, cid, slot",
    )?;
    let mut rows = st.query([now])?;
    let mut h = Hidden::default();
    while let Some(r) = rows.next()? {
        let (action, cid, slot, until): (String, Option<i64>, Option<String>, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        match slot {
            Some(slot) => {
                h.by_slot.entry(cid).or_default().insert(slot, until);
            }
            None => {
                h.by_id.insert(action, until);
            }
        }
    }
    Ok(h)
}

/// Skips `action` until `until`, replacing a skip of it still in force.
pub fn insert(
    conn: &Connection,
    action: &str,
    cid: Option<i64>,
    slot: &str,
    until: i64,
    note: Option<&str>,
    now: i64,
) -> Result<()> {
    undo(conn, cid, slot, action, now)?;
    conn.prepare_cached(
        "INSERT INTO skips (action, cid, slot, until, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![action, cid, slot, until, note, now])?;
    Ok(())
}

/// Ends every skip of an action still in force at `now` (by its customer and
/// slot, or by its id for skips written before slots); returns how many.
pub fn undo(conn: &Connection, cid: Option<i64>, slot: &str, action: &str, now: i64) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE skips SET until = ?3 WHERE until > ?3 AND created_at <= ?3
               AND ((slot = ?2 AND cid IS ?1) OR (slot IS NULL AND action = ?4))",
        )?
        .execute(params![cid, slot, now, action])?)
}
