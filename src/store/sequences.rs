//! The outreach sequences' rows (onboarding and win-back, docs/onboarding.md,
//! docs/churn.md): who is in a sequence since when, and the steps marked done.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::time::Day;

/// A customer in a sequence and the day its sequence started.
pub struct Start {
    pub cid: i64,
    pub id: String,
    pub name: Option<String>,
    pub start_day: Day,
}

/// The win-back starts: the churn day, or for a customer not churned the
/// 30th day without usage (last event day + 30; signup day + 30 when it
/// never used the product). Only customers whose start is on or before today.
pub fn winback_starts(conn: &Connection, now: i64, churned_only: bool) -> Result<Vec<Start>> {
    let today = Day::of(now);
    // Only a quiet customer's start needs the latest event (a seek each).
    let mut st = conn.prepare_cached(if churned_only {
        "SELECT c.cid, c.id, c.name, c.churned_at, c.signed_up_at, NULL
         FROM customers c WHERE (c.signed_up_at IS NULL OR c.signed_up_at <= ?1) AND c.churned_at <= ?1
         ORDER BY c.id"
    } else {
        "SELECT c.cid, c.id, c.name, c.churned_at, c.signed_up_at,
           (SELECT MAX(u.ts) FROM usage_events u WHERE u.cid = c.cid AND u.ts <= ?1)
         FROM customers c WHERE c.signed_up_at IS NULL OR c.signed_up_at <= ?1 ORDER BY c.id"
    })?;
    let mut rows = st.query([now])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let churned: Option<i64> = r.get::<_, Option<i64>>(3)?.filter(|t| *t <= now);
        let signup: Option<i64> = r.get(4)?;
        let last: Option<i64> = r.get(5)?;
        let start_day = match churned {
            Some(t) => Some(Day::of(t)),
            None => last.or(signup).map(|t| Day::of(t) + 30),
        };
        if let Some(s) = start_day.filter(|s| *s <= today) {
            out.push(Start { cid: r.get(0)?, id: r.get(1)?, name: r.get(2)?, start_day: s });
        }
    }
    Ok(out)
}

/// The onboarding starts: customers not churned as of now who signed up in
/// the last 28 days, from their signup day.
pub fn onboarding_starts(conn: &Connection, now: i64) -> Result<Vec<Start>> {
    let today = Day::of(now);
    let mut st = conn.prepare_cached(
        "SELECT cid, id, name, signed_up_at FROM customers
         WHERE signed_up_at IS NOT NULL AND signed_up_at <= ?1 AND signed_up_at >= ?2
           AND (churned_at IS NULL OR churned_at > ?1)
         ORDER BY signed_up_at, id",
    )?;
    let rows = st.query_map(params![now, (today - 27).start()], |r| {
        Ok(Start { cid: r.get(0)?, id: r.get(1)?, name: r.get(2)?, start_day: Day::of(r.get(3)?) })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
/// Steps marked done in `sequence`, by (customer, start date).
pub fn done_steps(conn: &Connection, sequence: &str) -> Result<HashMap<(i64, Day), Vec<i64>>> {
    let mut st =
        conn.prepare_cached("SELECT cid, started_on, step_day FROM outreach_done WHERE sequence = ?1")?;
    let mut out: HashMap<(i64, Day), Vec<i64>> = HashMap::new();
    let mut rows = st.query([sequence])?;
    while let Some(r) = rows.next()? {
        let Some(day) = Day::parse_iso(r.get_ref(1)?.as_str()?) else { continue };
        out.entry((r.get(0)?, day)).or_default().push(r.get(2)?);
    }
    Ok(out)
}

pub fn mark_done(
    conn: &Connection,
    cid: i64,
    sequence: &str,
    started_on: Day,
    step_day: i64,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO outreach_done (cid, sequence, started_on, step_day, done_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![cid, sequence, started_on.iso(), step_day, now])?;
    Ok(())
}
