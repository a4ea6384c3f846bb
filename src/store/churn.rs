//! Churn queries: warning-sign facts (set-based), churn records, win-back
//! starts, outreach steps done, and monthly churn counts.

use crate::money::Cents;

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::domain::churn::{ChurnReason, RiskFacts};
use crate::domain::fold::Bounds;
use crate::store::health::{latest_payment, WindowFold, LATEST_PAYMENT};

pub struct AtRisk {
    pub cid: i64,
    pub id: String,
    pub name: Option<String>,
    pub facts: RiskFacts,
}

/// Warning-sign facts as of `now` for every customer not churned as of now
/// (and signed up by then), in id order: one grouped pass per table.
pub fn risk_facts(conn: &Connection, now: i64) -> Result<Vec<AtRisk>> {
    risk_facts_where(conn, now, |_| true)
}

/// [`risk_facts`] of the customers whose facts `keep` (those with a sign:
/// `churn risks`), named once the others are dropped, so 100,000 ids and
/// names are never held at once.
pub fn risk_facts_where(
    conn: &Connection,
    now: i64,
    keep: impl Fn(&RiskFacts) -> bool,
) -> Result<Vec<AtRisk>> {
    let mut out = read_risk_facts(conn, now, None)?;
    out.retain(|a| keep(&a.facts));
    name(conn, &mut out)?;
    Ok(out)
}

/// [`risk_facts`] but the failed payment, which the caller has from health's
/// subjects (the same billing record, the same rule), while the usage rows
/// read here also feed `fold` (health's last 28 days lie within the 42 read
/// here): `today` reads each table once. In cid order and not yet named:
/// the caller keeps those it needs, then calls [`name`].
pub fn risk_facts_beside_health(conn: &Connection, now: i64, fold: &mut WindowFold) -> Result<Vec<AtRisk>> {
    read_risk_facts(conn, now, Some(fold))
}

/// Gives each of `facts` (in cid order) its id and name, from one pass over
/// the customers in cid order, and sorts them by id.
pub fn name(conn: &Connection, facts: &mut [AtRisk]) -> Result<()> {
    let mut st = conn.prepare_cached("SELECT cid, id, name FROM customers ORDER BY cid")?;
    let mut rows = st.query([])?;
    let mut next = facts.iter_mut().peekable();
    while let Some(r) = rows.next()? {
        let cid: i64 = r.get(0)?;
        while next.next_if(|a| a.cid < cid).is_some() {}
        let Some(a) = next.next_if(|a| a.cid == cid) else { continue };
        (a.id, a.name) = (r.get(1)?, r.get(2)?);
    }
    facts.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    Ok(())
}

/// Where customer `cid` is in `out` (in cid order).
fn at(out: &[AtRisk], cid: i64) -> Option<usize> {
    out.binary_search_by_key(&cid, |a| a.cid).ok()
}

/// The facts in cid order, without ids and names (see [`name`]): each pass
/// loads rows and feeds them to the one fold of facts (`domain::fold`).
fn read_risk_facts(conn: &Connection, now: i64, mut fold: Option<&mut WindowFold>) -> Result<Vec<AtRisk>> {
    let b = Bounds::at(now);
    let mut out = Vec::with_capacity(crate::store::customers::count(conn)?);
    {
        // With the latest billing record among paid/late/failed (as for the
        // health score's P), an index seek per customer.
        let latest = if fold.is_some() { "NULL" } else { LATEST_PAYMENT };
        let mut st = conn.prepare_cached(&format!(
            "SELECT c.cid, {latest} FROM customers c
             WHERE (c.churned_at IS NULL OR c.churned_at > ?1) AND (c.signed_up_at IS NULL OR c.signed_up_at <= ?1)
             ORDER BY c.cid"
        ))?;
        let mut rows = st.query([now])?;
        while let Some(r) = rows.next()? {
            let mut facts = RiskFacts::default();
            if let Some((date, payment)) = r.get::<_, Option<i64>>(1)?.map(latest_payment) {
                facts.add_payment(&b, date, payment);
            }
            out.push(AtRisk { cid: r.get(0)?, id: String::new(), name: None, facts });
        }
    }
    // Usage from D-41: a range seek per customer on (cid, ts), the rows (in
    // key order) fed here, where SQLite's per-row CASE expressions would cost
    // more than the seeks.
    let mut st = conn.prepare_cached(
        "SELECT c.cid, u.ts, u.count, u.event_id
         FROM customers c CROSS JOIN usage_events u ON u.cid = c.cid AND u.ts >= ?2 AND u.ts <= ?1
         WHERE (c.churned_at IS NULL OR c.churned_at > ?1) AND (c.signed_up_at IS NULL OR c.signed_up_at <= ?1)
         ORDER BY c.cid, u.ts",
    )?;
    let mut rows = st.query(params![now, b.signs_from])?;
    let mut current: Option<usize> = None;
    let mut last_cid = None;
    while let Some(r) = rows.next()? {
        let (cid, ts, count): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if let Some(fold) = fold.as_deref_mut() {
            fold.add(cid, ts, r.get(3)?);
        }
        if last_cid != Some(cid) {
            last_cid = Some(cid);
            current = at(&out, cid);
        }
        if let Some(i) = current {
            out[i].facts.add_usage(&b, ts, count);
        }
    }
    let mut each = |sql: &str, from: i64, f: &mut dyn FnMut(&mut RiskFacts, &rusqlite::Row) -> Result<()>| {
        let mut st = conn.prepare_cached(sql)?;
        let mut rows = st.query(params![now, from])?;
        while let Some(r) = rows.next()? {
            if let Some(i) = at(&out, r.get(0)?) {
                f(&mut out[i].facts, r)?;
            }
        }
        anyhow::Ok(())
    };
    each(
        "SELECT cid, created_at FROM tickets WHERE created_at >= ?2 AND created_at <= ?1",
        b.week_from,
        &mut |f, r| {
            f.add_ticket(&b, r.get(1)?);
            Ok(())
        },
    )?;
    // In (cid, time) order, as the fold takes them.
    each(
        "SELECT cid, responded_at, score FROM nps_responses
         WHERE score <= 6 AND responded_at >= ?2 AND responded_at <= ?1 ORDER BY cid, responded_at",
        b.month_from,
        &mut |f, r| {
            f.add_nps(&b, r.get(1)?, r.get(2)?);
            Ok(())
        },
    )?;
    each(
        "SELECT cid, csat_at, csat FROM tickets
         WHERE csat <= 2 AND csat_at >= ?2 AND csat_at <= ?1 ORDER BY cid, csat_at",
        b.month_from,
        &mut |f, r| {
            f.add_csat(&b, r.get(1)?, r.get(2)?);
            Ok(())
        },
    )?;
    // The few unresolved tickets (on `resolved_at`), sorted after, not a walk
    // of every ticket in creation order with a table seek each.
    each(
        "SELECT cid, id, subject, created_at, resolved_at FROM tickets INDEXED BY tickets_resolved
         WHERE category = 'feature-request' AND created_at <= ?1 AND created_at >= ?2 AND (resolved_at IS NULL OR resolved_at > ?1)
         ORDER BY created_at, tid",
        i64::MIN,
        &mut |f, r| {
            f.add_feature_request(&b, r.get_ref(1)?.as_str()?, r.get_ref(2)?.as_str_or_null()?, r.get(3)?, r.get(4)?);
            Ok(())
        },
    )?;
    Ok(out)
}

pub struct ChurnRecord {
    pub churned_at: i64,
    pub reason: Option<ChurnReason>,
    pub reason_other: Option<String>,
    pub better: Option<String>,
    pub return_answer: Option<String>,
}

pub fn record(
    conn: &Connection,
    cid: i64,
    r: &ChurnRecord,
    mrr_cents: Option<Cents>,
    now: i64,
) -> Result<()> {
    conn.execute(
        "UPDATE customers SET churned_at = ?2, updated_at = ?3 WHERE cid = ?1",
        params![cid, r.churned_at, now],
    )?;
    answers(conn, cid, r, mrr_cents, now)?;
    crate::store::revenue::set_churn(conn, cid, None, Some(r.churned_at), now, "record")?;
    Ok(())
}

/// Stores a churn's exit answers: the one writer of `churn_records`, for
/// `churn record` and the syncs.
pub fn answers(
    conn: &Connection,
    cid: i64,
    r: &ChurnRecord,
    mrr_cents: Option<Cents>,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO churn_records (cid, churned_at, reason, reason_other, better, return_answer, mrr_cents, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        cid,
        r.churned_at,
        r.reason.map(ChurnReason::name),
        r.reason_other,
        r.better,
        r.return_answer,
        mrr_cents,
        now
    ])?;
    Ok(())
}

/// Reactivates at `at`: the churn and its record stay in the history, the
/// return is added (docs/revenue.md).
pub fn undo(conn: &Connection, cid: i64, at: i64, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE customers SET churned_at = NULL, updated_at = ?2 WHERE cid = ?1",
        params![cid, now],
    )?;
    crate::store::revenue::record_status(conn, cid, at, false, "undo")?;
    Ok(())
}

/// A churned customer's survey answers (None: no survey) and the MRR lost.
pub type ChurnAnswers = (Option<String>, Option<String>, Cents);

/// Customers churned as of `now`: (reason, return answer, mrr cents).
pub fn churned_with_reasons(conn: &Connection, now: i64) -> Result<Vec<ChurnAnswers>> {
    let mut st = conn.prepare_cached(
        "SELECT r.reason, r.return_answer, COALESCE(r.mrr_cents, c.mrr_cents, 0)
         FROM customers c LEFT JOIN churn_records r
           ON r.id = (SELECT id FROM churn_records WHERE cid = c.cid ORDER BY churned_at DESC, id DESC LIMIT 1)
         WHERE c.churned_at IS NOT NULL AND c.churned_at <= ?1",
    )?;
    let rows = st.query_map([now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every plan customers are on ("(none)" for those without one), sorted.
pub fn plans(conn: &Connection) -> Result<Vec<String>> {
    // Today's plans and those of the plan history (a plan customers left still has past months).
    let mut st = conn.prepare_cached(
        "SELECT COALESCE(plan, '(none)') FROM customers
         UNION SELECT COALESCE(plan, '(none)') FROM plan_changes ORDER BY 1",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Churn counts of a period [`start`, `end`) as of `now` (docs/churn.md, docs/reports.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthCounts {
    /// Signed up before the start and not churned before it.
    pub active: i64,
    /// Of those, churned in the period.
    pub churned: i64,
    /// Signed up and churned within the period (not in the rate).
    pub same_period: i64,
    /// MRR cents of the active ones, and of those who churned (no MRR counts as 0).
    pub mrr_active_cents: Cents,
    pub mrr_churned_cents: Cents,
}

/// [`MonthCounts`] of each period [`start`, `end`) as of `now`, from each
/// customer's status and MRR history (docs/revenue.md: the one rule shared
/// with `report revenue`). The MRR of a customer is the one recorded just
/// before the period starts, and just before its churn; a later edit never
/// changes a past period. `plan`: only the customers on it.
pub fn month_counts_many(
    conn: &Connection,
    periods: &[(i64, i64)],
    now: i64,
    plan: Option<&str>,
) -> Result<Vec<MonthCounts>> {
    let mut out = vec![MonthCounts::default(); periods.len()];
    // One customer at a time: 100,000 histories are never held at once.
    crate::store::revenue::each_history(conn, |_, p, mut h| {
        h.forget_after(now);
        if h.signed_up_at.is_some_and(|s| s > now) {
            return Ok(());
        }
        for (m, &(start, end)) in out.iter_mut().zip(periods) {
            // With a plan: the customer counts in the plan it was on at the period's start.
            if plan.is_some_and(|want| h.plan_at(start - 1, p.as_deref()).unwrap_or("(none)") != want) {
                continue;
            }
            let part = h.churn_in(start, end.min(now + 1));
            if part.active {
                m.active += 1;
                m.mrr_active_cents = m.mrr_active_cents.saturating_add(part.mrr_start);
            }
            if part.churned {
                m.churned += 1;
                m.mrr_churned_cents = m.mrr_churned_cents.saturating_add(part.mrr_lost);
            }
            m.same_period += i64::from(part.same_period);
        }
        Ok(())
    })?;
    Ok(out)
}
