//! The `evidence` table: each measurement of what foretold churn, one row
//! per predictor and measurement day (docs/health.md#evidence).

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::evidence::{Evidence, Predictor, Row};
use crate::time::Day;

/// A measurement's window, as stored beside its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: Day,
    pub to: Day,
    pub every: i64,
    pub horizon: i64,
}

/// One stored measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub measured_on: Day,
    pub span: Span,
    pub evidence: Evidence,
}

/// Stores a measurement made on `on` (a second one the same day replaces it).
pub fn save(conn: &Connection, on: Day, span: Span, e: &Evidence) -> Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT OR REPLACE INTO evidence (measured_on, predictor, samples, churned, total_samples,
             total_churned, risk, lift, catch, from_day, to_day, every_days, horizon_days)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for r in &e.rows {
        st.execute(params![
            on.iso(),
            r.predictor.name(),
            r.samples as i64,
            r.churned as i64,
            e.total as i64,
            e.total_churned as i64,
            r.risk,
            r.lift,
            r.catch,
            span.from.iso(),
            span.to.iso(),
            span.every,
            span.horizon
        ])?;
    }
    Ok(())
}

/// The day of the latest measurement on or before `day`.
pub fn latest_day(conn: &Connection, day: Day) -> Result<Option<Day>> {
    let d: Option<String> = conn
        .prepare_cached("SELECT max(measured_on) FROM evidence WHERE measured_on <= ?1")?
        .query_row([day.iso()], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(d.as_deref().and_then(Day::parse_iso))
}

/// The latest measurement on or before `day`, its figures recomputed from
/// the stored counts (so every reader agrees with the formula); predictors
/// this csf does not know are left out, missing ones count 0.
pub fn latest(conn: &Connection, day: Day) -> Result<Option<Stored>> {
    let Some(on) = latest_day(conn, day)? else { return Ok(None) };
    let mut st = conn.prepare_cached(
        "SELECT predictor, samples, churned, total_samples, total_churned, from_day, to_day, every_days,
                horizon_days
         FROM evidence WHERE measured_on = ?1",
    )?;
    let mut rows = st.query([on.iso()])?;
    let mut counts: Vec<(Predictor, u64, u64)> = Vec::new();
    let (mut total, mut total_churned) = (0u64, 0u64);
    let mut span = None;
    while let Some(r) = rows.next()? {
        let name: String = r.get(0)?;
        total = r.get::<_, i64>(3)?.max(0) as u64;
        total_churned = r.get::<_, i64>(4)?.max(0) as u64;
        let day = |s: String| Day::parse_iso(&s);
        if let (Some(from), Some(to)) = (day(r.get(5)?), day(r.get(6)?)) {
            span = Some(Span { from, to, every: r.get(7)?, horizon: r.get(8)? });
        }
        if let Some(p) = Predictor::parse(&name) {
            counts.push((p, r.get::<_, i64>(1)?.max(0) as u64, r.get::<_, i64>(2)?.max(0) as u64));
        }
    }
    let Some(span) = span else { return Ok(None) };
    if total == 0 || total_churned == 0 {
        return Ok(None);
    }
    let rows = Predictor::ALL
        .iter()
        .map(|p| {
            let (s, c) = counts.iter().find(|(q, _, _)| q == p).map_or((0, 0), |(_, s, c)| (*s, *c));
            Row::of(*p, s, c.min(s), total, total_churned)
        })
        .collect();
    Ok(Some(Stored { measured_on: on, span, evidence: Evidence { rows, total, total_churned } }))
}
