//! The reads rewritten for speed give what the SQL they replaced gave, on a
//! generated book at several cutoffs (the old SQL is kept here as the reference).

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection};

use crate::domain::settings::Settings;
use crate::store::{churn, customers, health, tickets};
use crate::time::{Day, DAY};

fn book() -> (Connection, i64) {
    let now = crate::time::parse_now("2026-11-20").unwrap();
    let conn = crate::app::evidence::tests::generated(now);
    // An id that sorts before every other, added last: storage order is not id order.
    let late = customers::NewCustomer {
        id: "a-late".into(),
        signed_up_at: Some(now - 90 * DAY),
        ..Default::default()
    };
    let cid = customers::insert(&conn, &late, now, crate::store::revenue::Source::Import).unwrap();
    conn.execute(
        "INSERT INTO tickets (id, cid, subject, category, created_at, csat, csat_at, resolved_at)
         VALUES ('late-1', ?1, 'Wish', 'feature-request', ?2, NULL, NULL, NULL),
                ('late-2', ?1, 'Wish', 'feature-request', ?2, 2, ?2, ?3)",
        params![cid, now - 5 * DAY, now - 2 * DAY],
    )
    .unwrap();
    (conn, now)
}

fn cutoffs(now: i64) -> Vec<i64> {
    (0..8).map(|k| (Day::of(now) - 45 * k).start() + 43_200).collect()
}

#[test]
fn customers_come_in_id_order() {
    let (conn, _) = book();
    let mut st = conn.prepare(&format!("SELECT {} FROM customers ORDER BY id", customers::COLUMNS)).unwrap();
    let old: Vec<_> = st.query_map([], customers::from_row).unwrap().map(Result::unwrap).collect();
    assert_eq!(old[0].id, "a-late");
    assert_eq!(customers::list(&conn).unwrap(), old);
}

#[test]
fn ticket_sums_of_health_match_the_grouped_sql() {
    let (conn, now) = book();
    let feats = health::Features::load(&conn, &Settings::from_stored(Vec::new()), now).unwrap();
    let mut compared = 0;
    for at in cutoffs(now) {
        let today = Day::of(at);
        let mut st = conn
            .prepare(
                "SELECT cid,
                   SUM(CASE WHEN csat IS NOT NULL AND csat_at >= ?2 AND csat_at <= ?1 THEN 25 * (csat - 1) ELSE 0 END),
                   SUM(csat IS NOT NULL AND csat_at >= ?2 AND csat_at <= ?1),
                   SUM(created_at >= ?3),
                   SUM(resolved_at IS NULL OR resolved_at > ?1),
                   MIN(CASE WHEN resolved_at IS NULL OR resolved_at > ?1 THEN created_at END)
                 FROM tickets WHERE created_at <= ?1 GROUP BY cid",
            )
            .unwrap();
        type Sums = ((i64, i64), i64, i64, Option<i64>);
        let old: HashMap<i64, Sums> = st
            .query_map(params![at, (today - 89).start(), (today - 29).start()], |r| {
                Ok((r.get(0)?, ((r.get(1)?, r.get(2)?), r.get(3)?, r.get(4)?, r.get(5)?)))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for s in health::subjects(&conn, &feats, at, None, false).unwrap() {
            let f = &s.facts;
            let want = old.get(&s.cid).copied().unwrap_or(((0, 0), 0, 0, None));
            assert_eq!((f.csat, f.tickets_30d, f.unresolved, f.oldest_unresolved), want, "{} at {at}", s.cid);
            // One customer's facts read the same.
            let one = health::subjects(&conn, &feats, at, Some(s.cid), false).unwrap();
            assert_eq!(one[0].facts.csat, f.csat);
            assert_eq!(
                (one[0].facts.unresolved, one[0].facts.oldest_unresolved),
                (f.unresolved, f.oldest_unresolved)
            );
            compared += usize::from(want.2 > 0);
        }
    }
    assert!(compared > 50, "{compared} with unresolved tickets");
}

#[test]
fn unresolved_ticket_reads_match_the_walk_in_creation_order() {
    let (conn, now) = book();
    let mut requests = 0;
    for at in cutoffs(now) {
        let mut st = conn
            .prepare(
                "SELECT t.tid FROM tickets t JOIN customers c ON c.cid = t.cid WHERE t.created_at <= ?1
                   AND (t.first_response_at IS NULL OR t.first_response_at > ?1)
                   AND (t.resolved_at IS NULL OR t.resolved_at > ?1) ORDER BY t.created_at, t.tid",
            )
            .unwrap();
        let old: Vec<i64> = st.query_map([at], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        let new: Vec<i64> = tickets::list_unanswered(&conn, at).unwrap().iter().map(|t| t.tid).collect();
        assert_eq!(new, old, "unanswered at {at}");

        let mut st = conn
            .prepare(
                "SELECT cid, id, subject, created_at FROM tickets
                 WHERE category = 'feature-request' AND created_at <= ?1 AND (resolved_at IS NULL OR resolved_at > ?1)
                 ORDER BY created_at",
            )
            .unwrap();
        let mut old: HashMap<i64, Vec<(String, Option<String>, i64)>> = HashMap::new();
        for r in st.query_map([at], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))).unwrap() {
            let (cid, t): (i64, _) = r.unwrap();
            old.entry(cid).or_default().push(t);
        }
        for a in churn::risk_facts(&conn, at).unwrap() {
            assert_eq!(a.facts.feature_requests, old.remove(&a.cid).unwrap_or_default(), "{} at {at}", a.id);
            requests += a.facts.feature_requests.len();
        }

        let from = (Day::of(at) - 89).start();
        let mut st = conn
            .prepare(
                "SELECT cid FROM nps_responses WHERE score <= 6 AND responded_at >= ?1 AND responded_at <= ?2
                 UNION SELECT cid FROM tickets WHERE csat <= 2 AND csat_at >= ?1 AND csat_at <= ?2
                 UNION SELECT cid FROM billing_records WHERE status IN ('failed', 'late') AND date >= ?1 AND date <= ?2
                 UNION SELECT cid FROM tickets WHERE created_at >= ?1 AND created_at <= ?2
                   AND (first_response_at IS NULL OR first_response_at > ?2) AND (resolved_at IS NULL OR resolved_at > ?2)",
            )
            .unwrap();
        let old: HashSet<i64> = st.query_map([from, at], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        assert_eq!(health::unhappy_since(&conn, from, at).unwrap(), old, "unhappy at {at}");
    }
    assert!(requests > 20, "{requests} feature requests compared");
}

mod reports;
