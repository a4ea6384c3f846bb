//! Whether a SQLite file is a csf database of a given schema version: its
//! tables and their columns, compared with what the schema steps create.

use anyhow::Result;
use rusqlite::Connection;

use super::{MIGRATIONS, SCHEMA_VERSION};

/// The tables, with their column names in order, that the first `version`
/// schema steps create (built in memory, so it follows every step exactly).
fn expected_tables(version: i64) -> Result<Vec<(String, Vec<String>)>> {
    let mem = Connection::open_in_memory()?;
    for step in MIGRATIONS.iter().take(version.clamp(0, SCHEMA_VERSION) as usize) {
        mem.execute_batch(step)?;
    }
    tables_of(&mem)
}

/// Every table that is not SQLite's own, with its column names in order.
fn tables_of(conn: &Connection) -> Result<Vec<(String, Vec<String>)>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut cols = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    names
        .into_iter()
        .map(|n| {
            let c = cols.query_map([&n], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok((n, c))
        })
        .collect()
}

/// Why the file at `version` is not a csf database, if it is not: a table
/// no schema step up to `version` creates (any table at version 0), or one
/// of csf's tables missing or of another shape. Reads only.
pub(super) fn foreign_shape(conn: &Connection, version: i64) -> Result<Option<String>> {
    let want = expected_tables(version)?;
    let have = tables_of(conn)?;
    if have.iter().any(|(n, _)| !want.iter().any(|(w, _)| w == n)) {
        return Ok(Some("it has other tables".into()));
    }
    for (name, got) in &have {
        if want.iter().any(|(w, cols)| w == name && cols != got) {
            return Ok(Some(format!(
                "its {name} table has the columns ({}), not those of csf schema version {version}",
                got.join(", ")
            )));
        }
    }
    if let Some((name, _)) = want.iter().find(|(w, _)| !have.iter().any(|(n, _)| n == w)) {
        return Ok(Some(format!("it has no {name} table, which csf schema version {version} has")));
    }
    Ok(None)
}
