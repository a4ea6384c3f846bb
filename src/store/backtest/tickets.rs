//! The CSAT ratings and feature requests a backtest replays: one pass over
//! the tickets table each, sorted here. (Walking the (cid, created_at) index
//! looked every ticket up in the table and sorted each customer's run in SQL.)
//! Equal times keep the order that walk gave: by creation time, then ticket.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;

/// A rating: (csat_at, created_at, 25 × (rating − 1)).
pub(super) type Rating = (i64, i64, i64);

/// A feature request: (id, subject, created_at, resolved_at).
pub(super) type Request = (String, Option<String>, i64, Option<i64>);

/// The ratings given in [`from`, `last`], as (customer's place in `index`,
/// (csat_at, created_at, 25 × (rating − 1))), by customer then rating time.
pub(super) fn csat(
    conn: &Connection,
    index: &HashMap<i64, usize>,
    from: i64,
    last: i64,
) -> Result<Vec<(usize, Rating)>> {
    let mut st = conn.prepare(
        "SELECT tid, cid, csat_at, created_at, 25 * (csat - 1) FROM tickets NOT INDEXED
         WHERE csat IS NOT NULL AND csat_at >= ?1 AND csat_at <= ?2",
    )?;
    let mut rows = st.query([from, last])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        if let Some(&i) = index.get(&r.get::<_, i64>(1)?) {
            out.push((i, r.get::<_, i64>(0)?, (r.get(2)?, r.get(3)?, r.get(4)?)));
        }
    }
    out.sort_unstable_by_key(|&(i, tid, (at, created, _))| (i, at, created, tid));
    Ok(out.into_iter().map(|(i, _, row)| (i, row)).collect())
}

/// The feature requests created by `last`, as (customer's place in `index`,
/// request), by customer then creation time.
pub(super) fn feature_requests(
    conn: &Connection,
    index: &HashMap<i64, usize>,
    last: i64,
) -> Result<Vec<(usize, Request)>> {
    let mut st = conn.prepare(
        "SELECT tid, cid, id, subject, created_at, resolved_at FROM tickets NOT INDEXED
         WHERE category = 'feature-request' AND created_at <= ?1",
    )?;
    let mut rows = st.query([last])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        if let Some(&i) = index.get(&r.get::<_, i64>(1)?) {
            out.push((i, r.get::<_, i64>(0)?, (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)));
        }
    }
    out.sort_unstable_by_key(|&(i, tid, (_, _, created, _))| (i, created, tid));
    Ok(out.into_iter().map(|(i, _, row)| (i, row)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::DAY;

    /// The SQL these replaced, kept as the reference: same rows, same order,
    /// on a generated book with ratings and requests given at the same second.
    #[test]
    fn one_pass_gives_the_rows_and_the_order_of_the_sql() {
        let now = crate::time::parse_now("2026-11-20").unwrap();
        let conn = crate::app::evidence::tests::generated(now);
        let cid: i64 = conn.query_row("SELECT min(cid) FROM customers", [], |r| r.get(0)).unwrap();
        // Equal rating times whose creation order runs against the ticket order, and equal creations.
        conn.execute(
            "INSERT INTO tickets (id, cid, category, created_at, csat, csat_at) VALUES
               ('tie-1', ?1, 'feature-request', ?2 + 9, 1, ?3), ('tie-2', ?1, 'feature-request', ?2, 5, ?3),
               ('tie-3', ?1, 'feature-request', ?2, 2, ?3), ('tie-4', ?1, 'bug', ?2 + 9, 4, ?3)",
            rusqlite::params![cid, now - 20 * DAY, now - 3 * DAY],
        )
        .unwrap();
        let mut st = conn.prepare("SELECT cid FROM customers ORDER BY cid").unwrap();
        let cids: Vec<i64> = st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        let index: HashMap<i64, usize> = cids.iter().enumerate().map(|(i, c)| (*c, i)).collect();
        let (from, last) = (now - 400 * DAY, now);
        let mut st = conn
            .prepare(
                "SELECT cid, csat_at, created_at, 25 * (csat - 1) FROM tickets
                 WHERE csat IS NOT NULL AND csat_at >= ?1 AND csat_at <= ?2 ORDER BY cid, csat_at",
            )
            .unwrap();
        let old: Vec<(usize, Rating)> = st
            .query_map([from, last], |r| Ok((index[&r.get(0)?], (r.get(1)?, r.get(2)?, r.get(3)?))))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(old.len() > 30, "{} ratings", old.len());
        assert_eq!(csat(&conn, &index, from, last).unwrap(), old);
        let mut st = conn
            .prepare(
                "SELECT cid, id, subject, created_at, resolved_at FROM tickets
                 WHERE category = 'feature-request' AND created_at >= ?1 AND created_at <= ?2
                 ORDER BY cid, created_at",
            )
            .unwrap();
        let old: Vec<(usize, Request)> = st
            .query_map([i64::MIN, last], |r| {
                Ok((index[&r.get(0)?], (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(old.len() > 20, "{} requests", old.len());
        assert_eq!(feature_requests(&conn, &index, last).unwrap(), old);
    }
}
