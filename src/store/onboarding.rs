//! Onboarding queries: cohort members with their funnel facts (index seeks
//! per member) and the customers in their first 28 days.

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::domain::onboarding::Member;
use crate::store::id_list;
use crate::time::{Day, DAY};

/// Customers who signed up in `[from, now]` with their funnel facts.
pub fn cohort(
    conn: &Connection,
    from: i64,
    now: i64,
    value_ids: &[i64],
    setup_ids: &[i64],
) -> Result<Vec<Member>> {
    let sql = format!(
        "SELECT c.signed_up_at,
           (SELECT MIN(u.ts) FROM usage_events u WHERE u.cid = c.cid AND u.ts <= ?2 AND u.event_id IN ({value})),
           EXISTS (SELECT 1 FROM usage_events u WHERE u.cid = c.cid AND u.ts <= ?2 AND u.event_id IN ({setup})),
           EXISTS (SELECT 1 FROM usage_events u WHERE u.cid = c.cid
                   AND u.ts >= (c.signed_up_at / {DAY} + 1) * {DAY} AND u.ts < (c.signed_up_at / {DAY} + 2) * {DAY}
                   AND u.ts <= ?2)
         FROM customers c WHERE c.signed_up_at >= ?1 AND c.signed_up_at <= ?2 ORDER BY c.signed_up_at",
        value = id_list(value_ids),
        setup = id_list(setup_ids),
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(params![from, now], |r| {
        Ok(Member {
            signed_up_at: r.get(0)?,
            first_value: r.get(1)?,
            setup_done: r.get(2)?,
            active_day_after: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A customer in its first 28 days.
pub struct Newcomer {
    pub cid: i64,
    pub id: String,
    pub name: Option<String>,
    pub signup_day: Day,
}

/// Customers not churned as of now who signed up in the last 28 days.
pub fn in_onboarding(conn: &Connection, now: i64) -> Result<Vec<Newcomer>> {
    let today = Day::of(now);
    let mut st = conn.prepare_cached(
        "SELECT cid, id, name, signed_up_at FROM customers
         WHERE signed_up_at IS NOT NULL AND signed_up_at <= ?1 AND signed_up_at >= ?2
           AND (churned_at IS NULL OR churned_at > ?1)
         ORDER BY signed_up_at, id",
    )?;
    let rows = st.query_map(params![now, (today - 27).start()], |r| {
        Ok(Newcomer { cid: r.get(0)?, id: r.get(1)?, name: r.get(2)?, signup_day: Day::of(r.get(3)?) })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
