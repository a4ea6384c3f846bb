//! The ticket and NPS counts of several periods in one pass over each table:
//! a range read per period made a table seek per ticket (and the CSAT count a
//! whole scan each). The means add up in the order, and with the summation,
//! SQLite's `AVG` over the period's index would have used, so they come out
//! the same to the last bit (`app::equal_paths` keeps the SQL as reference).

use std::collections::HashSet;

use anyhow::Result;
use rusqlite::Connection;

/// One period's ticket and NPS counts, as `Inputs` holds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpanCounts {
    pub first_response: (Option<f64>, i64),
    pub resolution: (Option<f64>, i64),
    pub csat: (i64, i64),
    pub nps: (i64, i64, i64),
    pub tickets: i64,
}

/// The counts of each span [`from`, `until`) of customers on `plan` (if
/// given); first responses stamped after `now` are not counted.
pub fn span_counts(
    conn: &Connection,
    spans: &[(i64, i64)],
    now: i64,
    plan: Option<&str>,
) -> Result<Vec<SpanCounts>> {
    let on_plan: Option<HashSet<i64>> = match plan {
        Some(p) => {
            let mut st = conn.prepare("SELECT cid FROM customers WHERE COALESCE(plan, '(none)') = ?1")?;
            let cids = st.query_map([p], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Some(cids)
        }
        None => None,
    };
    let counted = |cid: i64| on_plan.as_ref().is_none_or(|s| s.contains(&cid));
    let inside = |t: i64| spans.iter().map(move |&(from, until)| from <= t && t < until);
    let mut out = vec![SpanCounts::default(); spans.len()];
    // (time the period's index orders by, tid, hours): per span, to add up in that order.
    let mut first: Vec<Vec<(i64, i64, f64)>> = vec![Vec::new(); spans.len()];
    let mut resolved: Vec<Vec<(i64, i64, f64)>> = vec![Vec::new(); spans.len()];
    let mut st = conn
        .prepare("SELECT tid, cid, created_at, first_response_at, resolved_at, csat, csat_at FROM tickets")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        if !counted(r.get(1)?) {
            continue;
        }
        let (tid, created): (i64, i64) = (r.get(0)?, r.get(2)?);
        let (response, resolved_at): (Option<i64>, Option<i64>) = (r.get(3)?, r.get(4)?);
        let (csat, csat_at): (Option<i64>, Option<i64>) = (r.get(5)?, r.get(6)?);
        for (k, hit) in inside(created).enumerate() {
            if hit {
                out[k].tickets += 1;
                if let Some(at) = response.filter(|at| *at <= now) {
                    first[k].push((created, tid, (at - created) as f64 / 3600.0));
                }
            }
        }
        if let Some(at) = resolved_at {
            for (k, hit) in inside(at).enumerate() {
                if hit {
                    resolved[k].push((at, tid, (at - created) as f64 / 3600.0));
                }
            }
        }
        if let (Some(rating), Some(at)) = (csat, csat_at) {
            for (k, hit) in inside(at).enumerate() {
                if hit {
                    out[k].csat.0 += i64::from(rating >= 4);
                    out[k].csat.1 += 1;
                }
            }
        }
    }
    for (k, o) in out.iter_mut().enumerate() {
        o.first_response = mean(&mut first[k]);
        o.resolution = mean(&mut resolved[k]);
    }
    let mut st = conn.prepare("SELECT cid, responded_at, score FROM nps_responses")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        if !counted(r.get(0)?) {
            continue;
        }
        let score: i64 = r.get(2)?;
        for (k, hit) in inside(r.get(1)?).enumerate() {
            if hit {
                out[k].nps.0 += i64::from(score >= 9);
                out[k].nps.1 += i64::from(score <= 6);
                out[k].nps.2 += 1;
            }
        }
    }
    Ok(out)
}

/// `AVG` and `count(*)` as SQLite gives them over `values` in (time, tid)
/// order: a Kahan-Babuska-Neumaier sum, its error added at the end.
fn mean(values: &mut [(i64, i64, f64)]) -> (Option<f64>, i64) {
    values.sort_unstable_by_key(|&(t, tid, _)| (t, tid));
    let (mut sum, mut err) = (0.0_f64, 0.0_f64);
    for &(_, _, r) in values.iter() {
        let t = sum + r;
        err += if sum.abs() > r.abs() { (sum - t) + r } else { (r - t) + sum };
        sum = t;
    }
    let n = values.len() as i64;
    let total = if err.is_finite() { sum + err } else { sum };
    ((n > 0).then(|| total / n as f64), n)
}
