//! A customer's MRR, plan and status history as the Stripe write consults
//! and extends it (write.rs): kept in memory for a customer the run created,
//! asked of the database for any other.

use std::collections::BTreeMap;

use anyhow::Result;
use rusqlite::Connection;

use super::map::StatusPoint;
use crate::domain::churn::ChurnReason;
use crate::money::Cents;
use crate::store::churn::ChurnRecord;
use crate::store::revenue::{self, Source};
use crate::store::sync::Outcome;

/// A churn csf recorded itself this close to Stripe's is the same churn: csf's stands.
const SAME_CHURN: i64 = crate::time::days(31);

/// A churn or a return from Stripe, unless the history has it, or csf
/// recorded that churn itself (its reason stands).
pub fn status(conn: &Connection, past: &mut Past, st: &StatusPoint, now: i64) -> Result<Outcome> {
    let cid = past.cid;
    if past.has_status(conn, st.at, st.churned)? {
        return Ok(Outcome::Unchanged);
    }
    past.status.push((st.at, st.churned));
    if !st.churned {
        revenue::record_status(conn, cid, st.at, false, "sync")?;
        return Ok(Outcome::Inserted);
    }
    // csf's own churns (`churn record`) belong to customers it already had.
    if !past.fresh && revenue::recorded_in_csf_near(conn, cid, st.at, SAME_CHURN)? {
        return Ok(Outcome::Unchanged);
    }
    let other = st.reason == Some(ChurnReason::Other);
    let r = ChurnRecord {
        churned_at: st.at,
        reason: st.reason,
        reason_other: st.comment.clone().filter(|_| other),
        better: st.comment.clone().filter(|_| !other),
        return_answer: None,
    };
    let mrr = past.mrr_at(conn, st.at - 1)?;
    revenue::record_synced(conn, cid, &r, mrr, now)?;
    Ok(Outcome::Inserted)
}

/// A fresh customer's MRR changes and plan changes (time, value), in the order recorded.
pub type Notes = (Vec<(i64, Cents)>, Vec<(i64, String)>);

/// A customer, its latest MRR and its latest plan.
pub type Latest = (i64, Option<Cents>, Option<String>);

/// A customer's MRR, plan and status history as the writes consult it. A
/// customer this run created has none but what the run writes, kept here
/// (no lookups); any other's is asked of the database. A fresh customer's
/// MRR and plan changes are written by the caller, many customers' at once
/// ([`Past::take_notes`]).
pub struct Past {
    pub cid: i64,
    pub fresh: bool,
    mrr: BTreeMap<i64, Cents>,
    plan: BTreeMap<i64, String>,
    status: Vec<(i64, bool)>,
    noted_mrr: Vec<(i64, Cents)>,
    noted_plan: Vec<(i64, String)>,
}

impl Past {
    pub fn of(cid: i64, fresh: bool) -> Past {
        Past {
            cid,
            fresh,
            mrr: BTreeMap::new(),
            plan: BTreeMap::new(),
            status: Vec::new(),
            noted_mrr: Vec::new(),
            noted_plan: Vec::new(),
        }
    }

    pub fn mrr_at(&self, conn: &Connection, at: i64) -> Result<Option<Cents>> {
        if self.fresh {
            return Ok(self.mrr.range(..=at).next_back().map(|(_, c)| *c));
        }
        Ok(revenue::mrr_at(conn, self.cid, at)?)
    }

    pub fn plan_at(&self, conn: &Connection, at: i64) -> Result<Option<String>> {
        if self.fresh {
            return Ok(self.plan.range(..=at).next_back().map(|(_, p)| p.clone()));
        }
        Ok(revenue::plan_at(conn, self.cid, at)?)
    }

    pub fn latest_change_at(&self, conn: &Connection) -> Result<Option<i64>> {
        if self.fresh {
            return Ok(self.mrr.keys().next_back().copied());
        }
        Ok(revenue::latest_change_at(conn, self.cid)?)
    }

    pub fn has_status(&self, conn: &Connection, at: i64, churned: bool) -> Result<bool> {
        if self.fresh {
            return Ok(self.status.contains(&(at, churned)));
        }
        Ok(revenue::has_status(conn, self.cid, at, churned)?)
    }

    /// A customer this run created has its latest MRR and plan set once
    /// ([`Past::latest`]), and its changes written by the caller ([`Past::take_notes`]).
    pub fn record_mrr(&mut self, conn: &Connection, at: i64, cents: Cents) -> Result<()> {
        if self.fresh {
            self.noted_mrr.push((at, cents));
        } else {
            revenue::record_mrr(conn, self.cid, at, cents, Source::Sync)?;
        }
        self.mrr.insert(at, cents);
        Ok(())
    }

    pub fn record_plan(&mut self, conn: &Connection, at: i64, plan: &str) -> Result<()> {
        if self.fresh {
            self.noted_plan.push((at, plan.to_string()));
        } else {
            revenue::record_plan(conn, self.cid, at, plan, Source::Sync)?;
        }
        self.plan.insert(at, plan.to_string());
        Ok(())
    }

    /// A fresh customer's MRR and plan changes, in the order recorded, for
    /// the caller to write ([`revenue::note_mrr_many`], [`revenue::note_plan_many`]).
    pub fn take_notes(&mut self) -> Notes {
        (std::mem::take(&mut self.noted_mrr), std::mem::take(&mut self.noted_plan))
    }

    /// A fresh customer's `mrr_cents` and `plan` to set: the latest of what
    /// the run wrote (for [`revenue::set_latest_many`]).
    pub fn latest(&self) -> Option<Latest> {
        let mrr = self.mrr.values().next_back().copied();
        let plan = self.plan.values().next_back().cloned();
        (self.fresh && (mrr.is_some() || plan.is_some())).then_some((self.cid, mrr, plan))
    }
}
