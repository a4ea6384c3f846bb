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

/// Every customer active at `at` (signed up on or before it, not churned by
/// it) with a snapshot dated in the period (`from`'s day to `at`'s day),
/// counted by the band of their latest such snapshot (docs/reports.md: "from the
/// last snapshot in each period"). `None` when no one was scored in it: an
/// older snapshot is not carried into a period that has none.
pub fn bands_at(conn: &Connection, from: i64, at: i64) -> Result<Option<BandsAt>> {
    let row: (i64, i64, i64, i64, i64, Cents, i64) = conn
        .prepare_cached(&format!(
            // One seek per customer for its latest score in the period
            // (a join on the latest day would seek twice).
            "SELECT count(*),
                    COALESCE(SUM({healthy}), 0),
                    COALESCE(SUM({neutral}), 0),
                    COALESCE(SUM({at_risk}), 0),
                    COALESCE(SUM({critical}), 0),
                    COALESCE(SUM(CASE WHEN {risky} THEN COALESCE(mrr, 0) END), 0),
                    COALESCE(SUM({risky} AND mrr IS NULL), 0)
             FROM (SELECT c.mrr_cents AS mrr,
                     (SELECT x.score FROM health_snapshots x WHERE x.cid = c.cid AND x.day <= ?1 AND x.day >= ?3
                       ORDER BY x.day DESC LIMIT 1) AS s
                   FROM customers c
                   WHERE (c.signed_up_at IS NULL OR c.signed_up_at <= ?2)
                     AND (c.churned_at IS NULL OR c.churned_at > ?2))
             WHERE s IS NOT NULL",
            healthy = Band::Healthy.sql("s"),
            neutral = Band::Neutral.sql("s"),
            at_risk = Band::AtRisk.sql("s"),
            critical = Band::Critical.sql("s"),
            risky = Band::sql_at_risk_or_worse("s"),
        ))?
        .query_row(params![iso_date(at), at, iso_date(from)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })?;
    let (n, h, ne, ar, cr, mrr, without) = row;
    Ok((n > 0).then_some(BandsAt {
        bands: [h, ne, ar, cr],
        mrr_at_risk_cents: mrr,
        at_risk: ar + cr,
        without_mrr: without,
        scored: n,
    }))
}
