//! The periods' ticket and NPS counts read in one pass per table give what
//! the range query per period gave (the SQL kept here as the reference).

use rusqlite::{Connection, ToSql};

use crate::store::reports::{span_counts, SpanCounts};
use crate::time::{Day, DAY};

/// The counts of [`from`, `until`) as `report metrics` and `report trends` read them before.
fn by_sql(conn: &Connection, from: i64, until: i64, now: i64, plan: Option<&str>) -> SpanCounts {
    let on_plan =
        "AND (:plan IS NULL OR cid IN (SELECT cid FROM customers WHERE COALESCE(plan, '(none)') = :plan))";
    let values: [(&str, &dyn ToSql); 4] =
        [(":from", &from), (":until", &until), (":now", &now), (":plan", &plan)];
    // Each query binds the parameters it names.
    let one = |sql: &str| {
        let mut st = conn.prepare(&format!("{sql} {on_plan}")).unwrap();
        for (name, v) in values {
            if let Some(i) = st.parameter_index(name).unwrap() {
                st.raw_bind_parameter(i, v).unwrap();
            }
        }
        st
    };
    let first_response = one(
        "SELECT AVG((first_response_at - created_at) / 3600.0), count(*) FROM tickets
         WHERE created_at >= :from AND created_at < :until AND first_response_at IS NOT NULL AND first_response_at <= :now",
    )
    .raw_query().next().unwrap().map(|r| (r.get(0).unwrap(), r.get(1).unwrap())).unwrap();
    let resolution = one("SELECT AVG((resolved_at - created_at) / 3600.0), count(*) FROM tickets
         WHERE resolved_at >= :from AND resolved_at < :until")
    .raw_query()
    .next()
    .unwrap()
    .map(|r| (r.get(0).unwrap(), r.get(1).unwrap()))
    .unwrap();
    let csat = one("SELECT COALESCE(SUM(csat >= 4), 0), count(*) FROM tickets
         WHERE csat IS NOT NULL AND csat_at >= :from AND csat_at < :until")
    .raw_query()
    .next()
    .unwrap()
    .map(|r| (r.get(0).unwrap(), r.get(1).unwrap()))
    .unwrap();
    let nps =
        one("SELECT COALESCE(SUM(score >= 9), 0), COALESCE(SUM(score <= 6), 0), count(*) FROM nps_responses
         WHERE responded_at >= :from AND responded_at < :until")
        .raw_query()
        .next()
        .unwrap()
        .map(|r| (r.get(0).unwrap(), r.get(1).unwrap(), r.get(2).unwrap()))
        .unwrap();
    let tickets = one("SELECT count(*) FROM tickets WHERE created_at >= :from AND created_at < :until")
        .raw_query()
        .next()
        .unwrap()
        .map(|r| r.get(0).unwrap())
        .unwrap();
    SpanCounts { first_response, resolution, csat, nps, tickets }
}

#[test]
fn span_counts_match_a_range_query_per_period() {
    let (conn, now) = super::book();
    // First responses (the generated book has none), some of them after `now`.
    conn.execute(
        "UPDATE tickets SET first_response_at = created_at + (tid * 7919) % 400000 WHERE tid % 5 > 0",
        [],
    )
    .unwrap();
    let plan: Option<String> = conn
        .query_row("SELECT plan FROM customers WHERE plan IS NOT NULL LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let today = Day::of(now);
    let months: Vec<(i64, i64)> =
        (0..7).map(|k| ((today - 30 * (k + 1)).start(), (today - 30 * k).start())).collect();
    let spans = [months, vec![((today - 29).start(), now + 1), (0, now + 1)]].concat();
    let mut means = 0;
    for at in [now, now - 40 * DAY] {
        for plan in [None, plan.as_deref(), Some("(none)")] {
            let new = span_counts(&conn, &spans, at, plan).unwrap();
            for (&(from, until), got) in spans.iter().zip(&new) {
                let want = by_sql(&conn, from, until, at, plan);
                assert_eq!(got, &want, "[{from}, {until}) at {at} on {plan:?}");
                means += usize::from(want.first_response.1 > 1 && want.resolution.1 > 1);
            }
        }
    }
    assert!(means > 20, "{means} spans with means compared");
}
