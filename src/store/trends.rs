//! Health bands and MRR at risk as they stood at the end of a past period
//! (docs/reports.md): per customer, their latest snapshot on or before that day.

use crate::money::Cents;
use anyhow::Result;
use rusqlite::{params, Connection};

use crate::domain::health::Band;
use crate::time::iso_date;

/// The health picture at `at` (a timestamp, the period's last second or now).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BandsAt {
    /// Customers per band: healthy, neutral, at-risk, critical.
    pub bands: [i64; 4],
    /// MRR cents of those in at-risk or critical (no MRR counts as 0).
    pub mrr_at_risk_cents: Cents,
    /// How many customers are in at-risk or critical, and how many of them have no MRR.
    pub at_risk: i64,
    pub without_mrr: i64,
    /// How many customers were counted (the sample of the band rows).
    pub scored: i64,
}

/// Every customer active at `at` (signed up on or before it, not churned
/// then by the status history) with a snapshot dated in the period (`from`'s day to `at`'s day),
/// counted by the band of their latest such snapshot (docs/reports.md: "from the
/// last snapshot in each period"). `None` when no one was scored in it: an
/// older snapshot is not carried into a period that has none.
pub fn bands_at(conn: &Connection, from: i64, at: i64) -> Result<Option<BandsAt>> {
    // One seek per customer for its latest score in the period (a join on
    // the latest day would seek twice); the bands are counted here, since
    // each mention of the score in SQL would run its subquery again.
    // No snapshot dated in the period: no one to count (and no seek per customer to learn it).
    let (from_day, at_day) = (iso_date(from), iso_date(at));
    let any: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM health_snapshots WHERE day >= ?1 AND day <= ?2)")?
        .query_row(params![from_day, at_day], |r| r.get(0))?;
    if !any {
        return Ok(None);
    }
    let mut st = conn.prepare_cached(
        "SELECT c.mrr_cents,
           (SELECT x.score FROM health_snapshots x WHERE x.cid = c.cid AND x.day <= ?1 AND x.day >= ?3
             ORDER BY x.day DESC LIMIT 1)
         FROM customers c
         WHERE (c.signed_up_at IS NULL OR c.signed_up_at <= ?2)
           AND COALESCE((SELECT s.churned FROM status_changes s WHERE s.cid = c.cid AND s.at <= ?2
                         ORDER BY s.at DESC, s.seq DESC LIMIT 1), 0) = 0",
    )?;
    let mut rows = st.query(params![at_day, at, from_day])?;
    let mut b = BandsAt::default();
    while let Some(r) = rows.next()? {
        let Some(score) = r.get::<_, Option<i64>>(1)? else { continue };
        let band = Band::of(score);
        b.scored += 1;
        if let Some(k) = Band::ALL.iter().position(|x| *x == band) {
            b.bands[k] += 1;
        }
        if band <= Band::AtRisk {
            let mrr: Option<Cents> = r.get(0)?;
            b.at_risk += 1;
            b.mrr_at_risk_cents = b.mrr_at_risk_cents.saturating_add(mrr.unwrap_or_default());
            b.without_mrr += i64::from(mrr.is_none());
        }
    }
    Ok((b.scored > 0).then_some(b))
}
