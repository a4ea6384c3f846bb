//! The `config` table: key/value settings stored in the database.

use anyhow::Result;
use rusqlite::{params, Connection};

pub fn all(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare_cached("SELECT key, value FROM config ORDER BY key")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO config (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// Returns whether the key was set.
pub fn unset(conn: &Connection, key: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM config WHERE key = ?", [key])? > 0)
}

/// One stored value, if set.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT value FROM config WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// How many amounts the database holds in the configured currency: MRR
/// values and billing records (a change of currency would relabel them).
pub fn amounts_stored(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM customers WHERE mrr_cents IS NOT NULL)
              + (SELECT count(*) FROM billing_records)",
        [],
        |r| r.get(0),
    )?)
}
