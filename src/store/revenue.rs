//! MRR changes and churns as history (docs/revenue.md): what every writer of
//! a customer's MRR or churn records, and the histories the revenue reports fold.

use crate::money::Cents;

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::revenue::MrrHistory;

/// Where a change comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Signup,
    Import,
    Edit,
    /// `csf sync` (a source's history).
    Sync,
}

impl Source {
    /// How the histories name it.
    pub fn name(self) -> &'static str {
        match self {
            Source::Signup => "signup",
            Source::Import => "import",
            Source::Edit => "edit",
            Source::Sync => "sync",
        }
    }
}

/// Records that the customer's MRR is `cents` from `at` on (a change at the
/// same moment replaces it), and keeps `customers.mrr_cents` the latest value.
pub fn record_mrr(
    conn: &Connection,
    cid: i64,
    at: i64,
    cents: Cents,
    source: Source,
) -> rusqlite::Result<()> {
    note_mrr(conn, cid, at, cents, source)?;
    conn.prepare_cached(
        "UPDATE customers SET mrr_cents =
           (SELECT mrr_cents FROM mrr_changes WHERE cid = ?1 ORDER BY effective_at DESC LIMIT 1)
         WHERE cid = ?1",
    )?
    .execute([cid])?;
    Ok(())
}

/// [`record_mrr`] without keeping `customers.mrr_cents`: for a writer that
/// knows the latest values and sets them once ([`set_latest_many`]).
pub fn note_mrr(conn: &Connection, cid: i64, at: i64, cents: Cents, source: Source) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO mrr_changes (cid, effective_at, mrr_cents, source) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (cid, effective_at) DO UPDATE SET mrr_cents = excluded.mrr_cents, source = excluded.source",
    )?
    .execute(params![cid, at, cents, source.name()])?;
    Ok(())
}

/// Rows per statement of [`note_mrr_many`] and [`note_plan_many`].
const NOTES: usize = 100;

/// `n` rows of `k` parameters: `(?,?),(?,?)`.
fn values(n: usize, k: usize) -> String {
    let row = format!("({})", vec!["?"; k].join(","));
    vec![row; n].join(",")
}

/// [`note_mrr`] for many rows (customer, time, cents), in order, many to a statement.
pub fn note_mrr_many(conn: &Connection, rows: &[(i64, i64, Cents)], source: Source) -> rusqlite::Result<()> {
    note_many(conn, "mrr_changes", "mrr_cents", rows, source)
}

/// [`note_plan`] for many rows (customer, time, plan), in order, many to a statement.
pub fn note_plan_many(
    conn: &Connection,
    rows: &[(i64, i64, String)],
    source: Source,
) -> rusqlite::Result<()> {
    note_many(conn, "plan_changes", "plan", rows, source)
}

fn note_many<V: rusqlite::ToSql>(
    conn: &Connection,
    table: &str,
    column: &str,
    rows: &[(i64, i64, V)],
    source: Source,
) -> rusqlite::Result<()> {
    for chunk in rows.chunks(NOTES) {
        let sql = format!(
            "INSERT INTO {table} (cid, effective_at, {column}, source) VALUES {}
             ON CONFLICT (cid, effective_at) DO UPDATE SET {column} = excluded.{column}, source = excluded.source",
            values(chunk.len(), 4)
        );
        let mut st = conn.prepare_cached(&sql)?;
        for (i, (cid, at, v)) in chunk.iter().enumerate() {
            st.raw_bind_parameter(4 * i + 1, cid)?;
            st.raw_bind_parameter(4 * i + 2, at)?;
            st.raw_bind_parameter(4 * i + 3, v)?;
            st.raw_bind_parameter(4 * i + 4, source.name())?;
        }
        st.raw_execute()?;
        if chunk.len() < NOTES {
            st.discard();
        }
    }
    Ok(())
}

/// Sets `customers.mrr_cents` and `plan` to the latest of the history, as
/// the writer of [`note_mrr`] and [`note_plan`] knows them (None: kept),
/// for many customers (customer, MRR, plan), many to a statement.
pub fn set_latest_many(
    conn: &Connection,
    rows: &[(i64, Option<Cents>, Option<String>)],
) -> rusqlite::Result<()> {
    for chunk in rows.chunks(NOTES) {
        let sql = format!(
            "UPDATE customers SET mrr_cents = coalesce(v.column2, mrr_cents), plan = coalesce(v.column3, plan)
             FROM (VALUES {}) AS v WHERE customers.cid = v.column1",
            values(chunk.len(), 3)
        );
        let mut st = conn.prepare_cached(&sql)?;
        for (i, (cid, mrr, plan)) in chunk.iter().enumerate() {
            st.raw_bind_parameter(3 * i + 1, cid)?;
            st.raw_bind_parameter(3 * i + 2, mrr)?;
            st.raw_bind_parameter(3 * i + 3, plan)?;
        }
        st.raw_execute()?;
        if chunk.len() < NOTES {
            st.discard();
        }
    }
    Ok(())
}

/// Records a new customer's first MRR (`customers.mrr_cents` already holds it).
pub fn record_first_mrr(conn: &Connection, cid: i64, at: i64, cents: Cents) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO mrr_changes (cid, effective_at, mrr_cents, source) VALUES (?1, ?2, ?3, 'signup')")?
        .execute(params![cid, at, cents])?;
    Ok(())
}

/// When the customer's latest MRR change took effect.
pub fn latest_change_at(conn: &Connection, cid: i64) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT max(effective_at) FROM mrr_changes WHERE cid = ?1")?
        .query_row([cid], |r| r.get(0))
}

/// The MRR in effect at `at`: the latest change on or before it.
pub fn mrr_at(conn: &Connection, cid: i64, at: i64) -> rusqlite::Result<Option<Cents>> {
    conn.prepare_cached(
        "SELECT mrr_cents FROM mrr_changes WHERE cid = ?1 AND effective_at <= ?2
         ORDER BY effective_at DESC LIMIT 1",
    )?
    .query_row(params![cid, at], |r| r.get(0))
    .optional()
}

/// The plan in effect at `at` (None: no plan recorded by then).
pub fn plan_at(conn: &Connection, cid: i64, at: i64) -> rusqlite::Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT plan FROM plan_changes WHERE cid = ?1 AND effective_at <= ?2
             ORDER BY effective_at DESC LIMIT 1",
        )?
        .query_row(params![cid, at], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// Keeps a plan in the history from `at` on (a change at the same moment
/// replaces it); `customers.plan` is the caller's (imports and edits set it).
pub fn note_plan(
    conn: &Connection,
    cid: i64,
    at: i64,
    plan: Option<&str>,
    source: Source,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO plan_changes (cid, effective_at, plan, source) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (cid, effective_at) DO UPDATE SET plan = excluded.plan, source = excluded.source",
    )?
    .execute(params![cid, at, plan, source.name()])?;
    Ok(())
}

/// A change of plan from `old` (the plan, and since when it held) to `new`
/// at `at`, kept in the history; a plan from before plan history is kept
/// first, from `old.1`. Nothing when the plan is the same.
pub fn change_plan(
    conn: &Connection,
    cid: i64,
    old: (Option<&str>, i64),
    new: Option<&str>,
    at: i64,
    source: Source,
) -> rusqlite::Result<()> {
    if old.0 == new {
        return Ok(());
    }
    if old.0.is_some() && plan_at(conn, cid, i64::MAX)?.is_none() {
        note_plan(conn, cid, old.1, old.0, Source::Signup)?;
    }
    note_plan(conn, cid, at, new, source)
}

/// Records that the customer is on `plan` from `at` on (a change at the
/// same moment replaces it), and keeps `customers.plan` the latest plan.
pub fn record_plan(conn: &Connection, cid: i64, at: i64, plan: &str, source: Source) -> rusqlite::Result<()> {
    note_plan(conn, cid, at, Some(plan), source)?;
    conn.prepare_cached(
        "UPDATE customers SET plan =
           (SELECT plan FROM plan_changes WHERE cid = ?1 ORDER BY effective_at DESC LIMIT 1)
         WHERE cid = ?1",
    )?
    .execute([cid])?;
    Ok(())
}

/// Records a churn (`churned`) or a return at `at`; `source` is one of
/// `import`, `record`, `undo`, `edit`, `sync`. The same change recorded again
/// (a churn re-recorded in the second of its undo) moves to the end of the
/// order, so the latest recorded wins at equal times (docs/revenue.md).
pub fn record_status(
    conn: &Connection,
    cid: i64,
    at: i64,
    churned: bool,
    source: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM status_changes WHERE cid = ?1 AND at = ?2 AND churned = ?3")?
        .execute(params![cid, at, churned])?;
    conn.prepare_cached("INSERT INTO status_changes (cid, at, churned, source) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![cid, at, churned, source])?;
    Ok(())
}

/// The customer's latest return (by time, then recording order), if any.
pub fn latest_return(conn: &Connection, cid: i64) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT max(at) FROM status_changes WHERE cid = ?1 AND churned = 0")?
        .query_row([cid], |r| r.get(0))
}

/// Sets the customer's churn from `was` to `to` (docs/revenue.md): a new
/// churn is added; a churn date changed moves the latest churn (a
/// correction, not a second churn); none clears it with a return at `now`.
/// A churn dated before the latest return is refused: the history would
/// have it end before it began.
pub fn set_churn(
    conn: &Connection,
    cid: i64,
    was: Option<i64>,
    to: Option<i64>,
    now: i64,
    source: &str,
) -> Result<()> {
    match (was, to) {
        (was, Some(t)) if was != Some(t) => {
            if let Some(r) = latest_return(conn, cid)?.filter(|r| t < *r) {
                anyhow::bail!(
                    "the churn date {} is before the customer's return on {}; \
                     `csf churn undo ID --erase` corrects the history instead",
                    crate::time::iso_date(t),
                    crate::time::iso_date(r)
                );
            }
            if let Some(a) = was {
                conn.prepare_cached("DELETE FROM status_changes WHERE cid = ?1 AND at = ?2 AND churned = 1")?
                    .execute(params![cid, a])?;
                conn.prepare_cached(
                    "UPDATE churn_records SET churned_at = ?3 WHERE cid = ?1 AND churned_at = ?2",
                )?
                .execute(params![cid, a, t])?;
            }
            record_status(conn, cid, t, true, source)?;
        }
        (Some(_), None) => record_status(conn, cid, now, false, source)?,
        _ => {}
    }
    Ok(())
}

/// Erases the customer's latest churn as if it never happened: its status
/// change, any return after it, and its churn record. Returns the churn's
/// time (None: no churn in the history).
pub fn erase_latest_churn(conn: &Connection, cid: i64, now: i64) -> Result<Option<i64>> {
    let latest: Option<(i64, i64)> = conn
        .prepare_cached(
            "SELECT seq, at FROM status_changes WHERE cid = ?1 AND churned = 1 ORDER BY at DESC, seq DESC LIMIT 1",
        )?
        .query_row([cid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((seq, at)) = latest else { return Ok(None) };
    conn.prepare_cached(
        "DELETE FROM status_changes WHERE cid = ?1 AND (seq = ?2 OR (churned = 0 AND (at > ?3 OR (at = ?3 AND seq > ?2))))",
    )?
    .execute(params![cid, seq, at])?;
    conn.prepare_cached(
        "DELETE FROM churn_records WHERE id = (SELECT id FROM churn_records WHERE cid = ?1
           ORDER BY churned_at DESC, id DESC LIMIT 1) AND churned_at = ?2",
    )?
    .execute(params![cid, at])?;
    refresh_churned_at(conn, cid, now)?;
    Ok(Some(at))
}

/// Whether the customer's current churn was recorded with `csf churn record`
/// (an import must never undo it).
pub fn churn_recorded_in_csf(conn: &Connection, cid: i64, churned_at: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM churn_records WHERE cid = ?1 AND churned_at = ?2 LIMIT 1")?
        .query_row(params![cid, churned_at], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Whether csf itself (`churn record`) recorded a churn of the customer
/// within `window` seconds of `at`: a source then leaves that churn alone.
pub fn recorded_in_csf_near(conn: &Connection, cid: i64, at: i64, window: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM status_changes WHERE cid = ?1 AND churned = 1 AND source = 'record'
               AND at BETWEEN ?2 - ?3 AND ?2 + ?3 LIMIT 1",
        )?
        .query_row(params![cid, at, window], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Whether the status history already has this churn or return.
pub fn has_status(conn: &Connection, cid: i64, at: i64, churned: bool) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM status_changes WHERE cid = ?1 AND at = ?2 AND churned = ?3")?
        .query_row(params![cid, at, churned], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A churn a source read (`sync`): the status change and the exit answers it carries.
pub fn record_synced(
    conn: &Connection,
    cid: i64,
    r: &crate::store::churn::ChurnRecord,
    mrr_cents: Option<Cents>,
    now: i64,
) -> Result<()> {
    crate::store::churn::answers(conn, cid, r, mrr_cents, now)?;
    record_status(conn, cid, r.churned_at, true, "sync")?;
    Ok(())
}

/// Sets `customers.churned_at` from the status history: the latest churn
/// when the latest change is a churn, else none.
pub fn refresh_churned_at(conn: &Connection, cid: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE customers SET churned_at =
           (SELECT CASE WHEN churned = 1 THEN at END FROM status_changes WHERE cid = ?1
            ORDER BY at DESC, seq DESC LIMIT 1), updated_at = ?2
         WHERE cid = ?1 AND churned_at IS NOT
           (SELECT CASE WHEN churned = 1 THEN at END FROM status_changes WHERE cid = ?1
            ORDER BY at DESC, seq DESC LIMIT 1)",
    )?
    .execute(params![cid, now])?;
    Ok(())
}

/// Every customer's history with its plan, in cid order (see [`each_history`]).
pub fn histories(conn: &Connection) -> Result<Vec<(i64, Option<String>, MrrHistory)>> {
    let mut out = Vec::new();
    each_history(conn, |cid, plan, h| {
        out.push((cid, plan, h));
        Ok(())
    })?;
    Ok(out)
}

mod each;
pub use each::each_history;
