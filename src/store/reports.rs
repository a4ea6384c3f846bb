//! The counts behind the key metrics and the plan, over a period ending now.

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::domain::metrics::Inputs;
use crate::store::churn;
use crate::time::Day;

mod spans;
pub use spans::{span_counts, SpanCounts};

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
/// one pass ([`churn::month_counts_many`]), the ticket and NPS counts in one
/// pass over each table ([`span_counts`]), the customers with usage per period.
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
    let tickets = spans::span_counts(conn, &spans, now, plan)?;
    Ok(counts
        .into_iter()
        .zip(users)
        .zip(tickets)
        .map(|((m, users), t)| Inputs {
            first_response: t.first_response,
            resolution: t.resolution,
            csat: t.csat,
            nps: t.nps,
            churn: (m.active, m.churned),
            load: (t.tickets, users),
            revenue: (m.mrr_active_cents, m.mrr_churned_cents),
        })
        .collect())
}

/// Customers (on `plan`, if given) with usage in each span [`from`, `until`):
/// an index seek per customer and span, every span's seek of a customer one
/// after the other in one pass over the customers (the pages a customer's
/// seeks read stay in the cache: a pass per span read them again, ~27 % more
/// CPU for the plan's seven spans). (One range read per customer over all
/// the spans, each row checked against each, cost more CPU: not kept.)
fn users_in(conn: &Connection, spans: &[(i64, i64)], plan: Option<&str>) -> Result<Vec<i64>> {
    if spans.is_empty() {
        return Ok(Vec::new());
    }
    let sums: Vec<String> = (0..spans.len())
        .map(|k| {
            format!(
                "COALESCE(SUM(EXISTS (SELECT 1 FROM usage_events u WHERE u.cid = c.cid AND u.ts >= ?{} AND u.ts < ?{})), 0)",
                2 * k + 2,
                2 * k + 3
            )
        })
        .collect();
    let mut st = conn.prepare_cached(&format!(
        "SELECT {} FROM customers c WHERE (?1 IS NULL OR COALESCE(c.plan, '(none)') = ?1)",
        sums.join(", ")
    ))?;
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![&plan];
    for (from, until) in spans {
        values.push(from);
        values.push(until);
    }
    Ok(st.query_row(values.as_slice(), |r| (0..spans.len()).map(|k| r.get(k)).collect())?)
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
