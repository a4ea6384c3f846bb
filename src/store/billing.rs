//! Billing rows: the one place they are written, for imports and the syncs
//! (each decides by its own key whether a row is new, changed or as stored).

use rusqlite::{params, Connection};

/// A billing row's values: customer, date, amount in minor units, the
/// currency written with the amount (if any) and csf's status word.
pub struct Billing<'a> {
    pub cid: i64,
    pub date: i64,
    pub amount_cents: i64,
    pub currency: Option<&'a str>,
    pub status: &'a str,
}

/// Inserts a row, keyed by `invoice_id` when it has one.
pub fn insert(conn: &Connection, b: &Billing, invoice_id: Option<&str>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO billing_records (cid, date, amount_cents, currency, status, invoice_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![b.cid, b.date, b.amount_cents, b.currency, b.status, invoice_id])?;
    Ok(())
}

/// Replaces the values of row `id` unless they are already `b`'s; true
/// when the row changed.
pub fn replace(conn: &Connection, id: i64, b: &Billing) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE billing_records SET cid = ?2, date = ?3, amount_cents = ?4, currency = ?5, status = ?6
             WHERE id = ?1 AND (cid, date, amount_cents, currency, status) IS NOT (?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![id, b.cid, b.date, b.amount_cents, b.currency, b.status])?;
    Ok(n == 1)
}

/// Rows inserted in one statement each (a statement's run costs more than a row's).
pub const BATCH: usize = 100;

/// Inserts rows as [`insert`] does, in order, [`BATCH`] rows per statement.
pub fn insert_many(conn: &Connection, rows: &[(Billing, Option<&str>)]) -> rusqlite::Result<()> {
    for chunk in rows.chunks(BATCH) {
        let mut sql = String::from(
            "INSERT INTO billing_records (cid, date, amount_cents, currency, status, invoice_id) VALUES ",
        );
        for i in 0..chunk.len() {
            sql.push_str(if i == 0 { "(?,?,?,?,?,?)" } else { ",(?,?,?,?,?,?)" });
        }
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut n = 0;
        for (b, invoice_id) in chunk {
            stmt.raw_bind_parameter(n + 1, b.cid)?;
            stmt.raw_bind_parameter(n + 2, b.date)?;
            stmt.raw_bind_parameter(n + 3, b.amount_cents)?;
            stmt.raw_bind_parameter(n + 4, b.currency)?;
            stmt.raw_bind_parameter(n + 5, b.status)?;
            stmt.raw_bind_parameter(n + 6, invoice_id)?;
            n += 6;
        }
        stmt.raw_execute()?;
        // Full batches share one cached statement; a last, shorter one is not kept.
        if chunk.len() < BATCH {
            stmt.discard();
        }
    }
    Ok(())
}
