//! Every customer's MRR history one at a time: the customers and their three
//! change tables walked side by side in customer order, so that a pass over
//! 100,000 customers holds one customer's rows, not all of them.

use anyhow::Result;
use rusqlite::{Connection, Row, Rows};

use crate::domain::revenue::MrrHistory;
use crate::money::Cents;

/// Calls `f` with each customer's (cid, plan, history), in cid order: what
/// [`super::histories`] gives, without holding it.
pub fn each_history(
    conn: &Connection,
    mut f: impl FnMut(i64, Option<String>, MrrHistory) -> Result<()>,
) -> Result<()> {
    let mut mrr = conn
        .prepare_cached("SELECT cid, effective_at, mrr_cents FROM mrr_changes ORDER BY cid, effective_at")?;
    let mut plans =
        conn.prepare_cached("SELECT cid, effective_at, plan FROM plan_changes ORDER BY cid, effective_at")?;
    let mut status =
        conn.prepare_cached("SELECT cid, at, churned FROM status_changes ORDER BY cid, at, seq")?;
    let mut mrr = Walk::new(mrr.query([])?, |r| Ok((r.get(0)?, (r.get(1)?, r.get::<_, Cents>(2)?))))?;
    let mut plans = Walk::new(plans.query([])?, |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    let mut status = Walk::new(status.query([])?, |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    let mut st = conn.prepare_cached("SELECT cid, plan, signed_up_at FROM customers ORDER BY cid")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let cid: i64 = r.get(0)?;
        let mut h = MrrHistory { signed_up_at: r.get(2)?, ..MrrHistory::default() };
        mrr.take(cid, &mut h.changes)?;
        plans.take(cid, &mut h.plans)?;
        status.take(cid, &mut h.status)?;
        f(cid, r.get(1)?, h)?;
    }
    Ok(())
}

type Map<T> = fn(&Row) -> rusqlite::Result<(i64, T)>;

/// One change table's rows in cid order, the next one read ahead.
struct Walk<'s, T> {
    rows: Rows<'s>,
    map: Map<T>,
    head: Option<(i64, T)>,
}

impl<'s, T> Walk<'s, T> {
    fn new(mut rows: Rows<'s>, map: Map<T>) -> Result<Self> {
        let head = rows.next()?.map(map).transpose()?;
        Ok(Walk { rows, map, head })
    }

    /// Appends the rows of `cid` to `out`, passing those of smaller cids (no such customer).
    fn take(&mut self, cid: i64, out: &mut Vec<T>) -> Result<()> {
        while self.head.as_ref().is_some_and(|(c, _)| *c <= cid) {
            if let Some((c, v)) = self.head.take() {
                if c == cid {
                    out.push(v);
                }
            }
            self.head = self.rows.next()?.map(self.map).transpose()?;
        }
        Ok(())
    }
}
