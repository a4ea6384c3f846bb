//! The counts behind the key metrics and the plan, over a period ending now.

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::domain::metrics::Inputs;
use crate::store::churn;
use crate::time::Day;

/// The first second of the last `days` days (today included).
pub fn period_start(now: i64, days: i64) -> i64 {
    (Day::of(now) - days + 1).start()
}

pub fn inputs(conn: &Connection, now: i64, days: i64) -> Result<Inputs> {
    period_inputs(conn, period_start(now, days), now + 1, now)
}

/// The counts of the six metrics (docs/reports.md) over the period [`from`, `end`), data stamped after
/// `now` ignored: the same formulas for `report metrics` and every period of
/// `report trends`.
pub fn period_inputs(conn: &Connection, from: i64, end: i64, now: i64) -> Result<Inputs> {
    period_inputs_of(conn, from, end, now, None)
}

/// [`period_inputs`] of the customers on `plan` ("(none)": without a plan).
pub fn period_inputs_of(
    conn: &Connection,
    from: i64,
    end: i64,
    now: i64,
    plan: Option<&str>,
) -> Result<Inputs> {
    Ok(periods_inputs_of(conn, &[(from, end)], now, plan)?.remove(0))
}

/// [`period_inputs`] of several periods: the churn counts of all of them in
/// one pass ([`churn::month_counts_many`]), the rest per period.
pub fn periods_inputs(conn: &Connection, periods: &[(i64, i64)], now: i64) -> Result<Vec<Inputs>> {
    periods_inputs_of(conn, periods, now, None)
}

fn periods_inputs_of(
    conn: &Connection,
    periods: &[(i64, i64)],
    now: i64,
    plan: Option<&str>,
) -> Result<Vec<Inputs>> {
    let until = |end: i64| end.min(now + 1);
    let spans: Vec<(i64, i64)> = periods.iter().map(|&(from, end)| (from, until(end))).collect();
    let counts = churn::month_counts_many(conn, &spans, now, plan)?;
    let users = users_in(conn, &spans, plan)?;
    spans
        .iter()
        .zip(counts)
        .zip(users)
        .map(|((&(from, until), m), users)| rest_of_inputs(conn, from, until, now, plan, m, users))
        .collect()
}

/// Customers (on `plan`, if given) with usage in each span [`from`, `until`):
/// an index seek per customer and span. (One range read per customer over all
/// the spans, each row checked against each, cost more CPU for the plan's
/// seven spans and only 10 % less for eighteen: not kept.)
fn users_in(conn: &Connection, spans: &[(i64, i64)], plan: Option<&str>) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached(
        "SELECT count(*) FROM customers c
         WHERE EXISTS (SELECT 1 FROM usage_events u WHERE u.cid = c.cid AND u.ts >= ?1 AND u.ts < ?2)
           AND (?3 IS NULL OR COALESCE(c.plan, '(none)') = ?3)",
    )?;
    spans.iter().map(|&(from, until)| Ok(st.query_row(params![from, until, plan], |r| r.get(0))?)).collect()
}

/// One period's inputs around its churn counts `m`.
fn rest_of_inputs(
    conn: &Connection,
    from: i64,
    until: i64,
    now: i64,
    plan: Option<&str>,
    m: churn::MonthCounts,
    users: i64,
) -> Result<Inputs> {
    let first_response = conn.prepare_cached(
        "SELECT AVG((first_response_at - created_at) / 3600.0), count(*) FROM tickets
         WHERE created_at >= ?1 AND created_at < ?2 AND first_response_at IS NOT NULL AND first_response_at <= ?3
           AND (?9 IS NULL OR cid IN (SELECT cid FROM customers WHERE COALESCE(plan, '(none)') = ?9))",
    )?
    .query_row(named(&[&from, &until, &now], &plan).as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?;
    let resolution = conn.prepare_cached(
        "SELECT AVG((resolved_at - created_at) / 3600.0), count(*) FROM tickets WHERE resolved_at >= ?1 AND resolved_at < ?2
           AND (?9 IS NULL OR cid IN (SELECT cid FROM customers WHERE COALESCE(plan, '(none)') = ?9))",
    )?
    .query_row(named(&[&from, &until], &plan).as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?;
    let csat = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(csat >= 4), 0), count(*) FROM tickets
         WHERE csat IS NOT NULL AND csat_at >= ?1 AND csat_at < ?2 AND (?9 IS NULL OR cid IN (SELECT cid FROM customers WHERE COALESCE(plan, '(none)') = ?9))",
        )?
        .query_row(named(&[&from, &until], &plan).as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?;
    let nps = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(score >= 9), 0), COALESCE(SUM(score <= 6), 0), count(*) FROM nps_responses
         WHERE responded_at >= ?1 AND responded_at < ?2 AND (?9 IS NULL OR cid IN (SELECT cid FROM customers WHERE COALESCE(plan, '(none)') = ?9))",
        )?
        .query_row(named(&[&from, &until], &plan).as_slice(), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let tickets: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM tickets WHERE created_at >= ?1 AND created_at < ?2 {}",
            "AND (?9 IS NULL OR cid IN (SELECT cid FROM customers WHERE COALESCE(plan, '(none)') = ?9))"
        ))?
        .query_row(named(&[&from, &until], &plan).as_slice(), |r| r.get(0))?;
    Ok(Inputs {
        first_response,
        resolution,
        csat,
        nps,
        churn: (m.active, m.churned),
        load: (tickets, users),
        revenue: (m.mrr_active_cents, m.mrr_churned_cents),
    })
}

/// Positional parameters ?1.. and the plan as ?9 (unused positions are NULL).
fn named<'a>(
    values: &[&'a dyn rusqlite::ToSql],
    plan: &'a Option<&'a str>,
) -> Vec<(&'static str, &'a dyn rusqlite::ToSql)> {
    const NAMES: [&str; 8] = ["?1", "?2", "?3", "?4", "?5", "?6", "?7", "?8"];
    let mut out: Vec<(&'static str, &'a dyn rusqlite::ToSql)> =
        NAMES.iter().zip(values).map(|(n, v)| (*n, *v)).collect();
    out.push(("?9", plan));
    out
}

/// Tickets created in the last 28 days (for tickets per week).
pub fn tickets_last_4_weeks(conn: &Connection, now: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM tickets WHERE created_at >= ?1 AND created_at <= ?2",
        params![period_start(now, 28), now],
        |r| r.get(0),
    )?)
}

/// NPS responses in the last 90 days.
pub fn nps_last_90_days(conn: &Connection, now: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM nps_responses WHERE responded_at >= ?1 AND responded_at <= ?2",
        params![period_start(now, 90), now],
        |r| r.get(0),
    )?)
}
