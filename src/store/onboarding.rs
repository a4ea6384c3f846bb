//! Onboarding queries: cohort members with their funnel facts (index seeks
//! per member) and the customers in their first 28 days.

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::domain::onboarding::Member;
use crate::store::id_list;
use crate::time::Day;

/// Customers who signed up in `[from, now]` with their funnel facts; "the
/// day after signup" is the zone's calendar day after it.
pub fn cohort(
    conn: &Connection,
    from: i64,
    now: i64,
    value_ids: &[i64],
    setup_ids: &[i64],
) -> Result<Vec<Member>> {
    let sql = format!(
        "SELECT c.cid, c.signed_up_at,
           (SELECT MIN(u.ts) FROM usage_events u WHERE u.cid = c.cid AND u.ts <= ?2 AND u.event_id IN ({value})),
           EXISTS (SELECT 1 FROM usage_events u WHERE u.cid = c.cid AND u.ts <= ?2 AND u.event_id IN ({setup}))
         FROM customers c WHERE c.signed_up_at >= ?1 AND c.signed_up_at <= ?2 ORDER BY c.signed_up_at",
        value = id_list(value_ids),
        setup = id_list(setup_ids),
    );
    let mut day_after = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM usage_events WHERE cid = ?1 AND ts >= ?2 AND ts <= ?3 AND ts <= ?4)",
    )?;
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(params![from, now])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let signed_up_at: i64 = r.get(1)?;
        let after = Day::of(signed_up_at) + 1;
        out.push(Member {
            signed_up_at,
            first_value: r.get(2)?,
            setup_done: r.get(3)?,
            active_day_after: day_after
                .query_row(params![r.get::<_, i64>(0)?, after.start(), after.end(), now], |x| x.get(0))?,
        });
    }
    Ok(out)
}
