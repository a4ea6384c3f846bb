//! `sync_state`: each source's cursors and its last successful run.

use std::collections::HashMap;

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

/// What writing one row did, for a source's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Inserted,
    Changed,
    Unchanged,
}

/// Runs `f` in one IMMEDIATE transaction and commits it, or (a dry run)
/// rolls it back: a dry run counts exactly what a real run would write.
pub fn transaction<T>(
    conn: &mut Connection,
    commit: bool,
    f: impl FnOnce(&rusqlite::Transaction) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    if commit {
        return crate::store::write(conn, f);
    }
    let tx = rusqlite::Transaction::new(conn, rusqlite::TransactionBehavior::Deferred)?;
    let v = f(&tx)?;
    tx.rollback()?;
    Ok(v)
}

/// A billing row as stored under its invoice id: row id, cid, date, amount, currency, status.
pub type Billed = (i64, i64, i64, i64, Option<String>, String);

/// The billing row stored under an invoice id, if any.
pub fn billed(conn: &Connection, invoice_id: &str) -> rusqlite::Result<Option<Billed>> {
    conn.prepare_cached(
        "SELECT id, cid, date, amount_cents, currency, status FROM billing_records WHERE invoice_id = ?1",
    )?
    .query_row([invoice_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
    .optional()
}

/// Every billing row stored under an invoice id, in one scan: for a source
/// that reads all its invoices (a lookup per row costs more).
pub fn all_billed(conn: &Connection) -> rusqlite::Result<HashMap<String, Billed>> {
    conn.prepare_cached(
        "SELECT invoice_id, id, cid, date, amount_cents, currency, status FROM billing_records
         WHERE invoice_id IS NOT NULL",
    )?
    .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))))?
    .collect()
}

/// A billing row keyed by its invoice id, given what is stored under it
/// (`old`, from [`billed`] or [`all_billed`]): inserted, changed or as stored.
#[allow(clippy::too_many_arguments)]
pub fn upsert_invoice(
    conn: &Connection,
    invoice_id: &str,
    old: Option<&Billed>,
    cid: i64,
    date: i64,
    amount_cents: i64,
    currency: &str,
    status: &str,
) -> rusqlite::Result<Outcome> {
    let row = crate::store::billing::Billing { cid, date, amount_cents, currency: Some(currency), status };
    match old {
        Some((_, c, d, a, cur, s))
            if *c == cid
                && *d == date
                && *a == amount_cents
                && cur.as_deref() == Some(currency)
                && s == status =>
        {
            Ok(Outcome::Unchanged)
        }
        Some((id, ..)) => {
            crate::store::billing::replace(conn, *id, &row)?;
            Ok(Outcome::Changed)
        }
        None => {
            crate::store::billing::insert(conn, &row, Some(invoice_id))?;
            Ok(Outcome::Inserted)
        }
    }
}

/// What a source needs to link its customers: every customer's keys.
#[derive(Debug, Clone)]
pub struct Link {
    pub cid: i64,
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub signed_up_at: Option<i64>,
    pub stripe_id: Option<String>,
}

pub fn links(conn: &Connection) -> rusqlite::Result<Vec<Link>> {
    conn.prepare_cached("SELECT cid, id, email, name, signed_up_at, stripe_id FROM customers ORDER BY cid")?
        .query_map([], |r| {
            Ok(Link {
                cid: r.get(0)?,
                id: r.get(1)?,
                email: r.get(2)?,
                name: r.get(3)?,
                signed_up_at: r.get(4)?,
                stripe_id: r.get(5)?,
            })
        })?
        .collect()
}

/// Stores what Stripe says of a linked customer (the link, name, email, signup).
pub fn update_linked(conn: &Connection, l: &Link, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE customers SET stripe_id = ?2, name = ?3, email = ?4, signed_up_at = ?5, updated_at = ?6
         WHERE cid = ?1",
    )?
    .execute(params![l.cid, l.stripe_id, l.name, l.email, l.signed_up_at, now])?;
    Ok(())
}
