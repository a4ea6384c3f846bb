//! The rules of `churn record` and `churn undo` (docs/churn.md): one
//! transaction each, the churn and its return kept in the status history.

use anyhow::{bail, Result};
use rusqlite::Connection;

use crate::domain::churn::ChurnReason;
use crate::store::churn::{self as cs, ChurnRecord};
use crate::store::{self, customers};
use crate::time::iso_date;

/// Records the churn of `key`; refused when it already churned, when the
/// date is before its signup, or when `--reason other` has no words.
pub fn record(conn: &mut Connection, key: &str, r: ChurnRecord, now: i64) -> Result<String> {
    if r.reason == Some(ChurnReason::Other) && r.reason_other.as_deref().is_none_or(|s| s.trim().is_empty()) {
        bail!("--reason other needs --reason-other TEXT (the reason in their words)");
    }
    if r.reason_other.is_some() && r.reason != Some(ChurnReason::Other) {
        bail!("--reason-other goes with --reason other");
    }
    store::write(conn, |tx| {
        let c = customers::get(tx, key)?;
        if c.is_churned(now) {
            bail!(
                "customer \"{}\" already churned on {}; `csf churn undo {}` first to record it again",
                c.id,
                iso_date(c.churned_at.unwrap_or(now)),
                c.id
            );
        }
        if c.signed_up_at.is_some_and(|s| r.churned_at < s) {
            bail!("--date is before the customer signed up ({})", iso_date(c.signed_up_at.unwrap_or(0)));
        }
        cs::record(tx, c.cid, &r, c.mrr_cents, now)?;
        Ok(c.id)
    })
}

/// What `churn undo` did.
pub enum Undone {
    /// The latest churn (on the day given) removed as if it never happened.
    Erased { id: String, churned_at: i64 },
    /// Active again from `at`; the churn stays in the history.
    Returned { id: String, at: i64, churned_at: i64 },
}

/// Undoes the churn of `key`: a return from `at` (the churn stays), or with
/// `erase` the latest churn removed from the history.
pub fn undo(conn: &mut Connection, key: &str, at: i64, erase: bool, now: i64) -> Result<Undone> {
    store::write(conn, |tx| {
        let c = customers::get(tx, key)?;
        if erase {
            let Some(t) = store::revenue::erase_latest_churn(tx, c.cid, now)? else {
                bail!("customer \"{}\" has no churn in its history; nothing to erase", c.id);
            };
            return Ok(Undone::Erased { id: c.id, churned_at: t });
        }
        let Some(churned) = c.churned_at else {
            bail!("customer \"{}\" is not churned; nothing to undo", c.id);
        };
        if at < churned {
            bail!(
                "--date {} is before the churn on {}; give a later date, or --erase to remove the churn",
                iso_date(at),
                iso_date(churned)
            );
        }
        cs::undo(tx, c.cid, at, now)?;
        Ok(Undone::Returned { id: c.id, at, churned_at: churned })
    })
}
