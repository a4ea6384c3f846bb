//! `health score --backfill`: the snapshots past days would have had.

use crate::backtest::payment_history;
use crate::common::Work;

/// Every column of the day's snapshots, by customer id.
fn rows(w: &Work, day: &str) -> Vec<String> {
    let c = w.conn();
    let mut st = c
        .prepare(
            "SELECT c.id, h.day, h.usage, h.engagement, h.satisfaction, h.payment, h.score, h.status,
                    h.computed_at, h.weights
             FROM health_snapshots h JOIN customers c USING (cid) WHERE h.day = ?1 ORDER BY c.id",
        )
        .unwrap();
    let n = st.column_count();
    st.query_map([day], |r| {
        Ok((0..n)
            .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
            .collect::<Vec<_>>()
            .join("|"))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn backfilled_days_equal_a_fresh_score_and_keep_what_is_stored() {
    let w = payment_history();
    // A day scored before, with other weights: the backfill keeps it.
    w.run(&["-q", "config", "set", "health.weights", "25,25,25,25"]).ok();
    w.run_at("2026-11-10", &["-q", "health", "score"]).ok();
    w.run(&["-q", "config", "unset", "health.weights"]).ok();
    let kept = rows(&w, "2026-11-10");
    assert!(!kept.is_empty() && kept[0].ends_with("|Text(\"25,25,25,25\")"), "{kept:?}");

    let r = w.run(&["health", "score", "--backfill", "--from", "2026-01-01"]).ok();
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.starts_with("Backfilled 322 days (2026-01-01 → 2026-11-19): ")
            && r.stderr.contains("1 day already had snapshots and were kept"),
        "{}",
        r.stderr
    );
    assert_eq!(rows(&w, "2026-11-10"), kept);
    assert_eq!(
        w.count("SELECT count(*) FROM health_snapshots WHERE day = '2026-11-20' OR day < '2026-01-01'"),
        0
    );

    // The same days scored one by one, the slow way, on a fresh copy.
    let fresh = payment_history();
    for day in ["2026-01-01", "2026-03-27", "2026-11-19"] {
        fresh.run_at(day, &["-q", "health", "score"]).ok();
        let want = rows(&fresh, day);
        assert!(!want.is_empty());
        assert_eq!(rows(&w, day), want, "{day}");
    }

    // The day index the backfill rebuilt (the table was nearly empty) is the
    // migration's, and queries by day use it.
    let day_index = "SELECT sql FROM sqlite_master WHERE name = 'health_day'";
    let sql: String = w.conn().query_row(day_index, [], |r| r.get(0)).unwrap();
    assert_eq!(sql, "CREATE INDEX health_day ON health_snapshots (day)");
    let plan: String = w
        .conn()
        .query_row(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM health_snapshots WHERE day = '2026-06-01'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("health_day"), "{plan}");

    // One day filled again into a full table (the index is kept): the same rows.
    let june = rows(&w, "2026-06-01");
    w.conn().execute("DELETE FROM health_snapshots WHERE day = '2026-06-01'", []).unwrap();
    let one = w.run(&["health", "score", "--backfill", "--from", "2026-06-01"]).ok();
    assert!(one.stderr.starts_with("Backfilled 1 day (2026-06-01 → 2026-06-01)"), "{}", one.stderr);
    assert_eq!(rows(&w, "2026-06-01"), june);
    let again: String = w.conn().query_row(day_index, [], |r| r.get(0)).unwrap();
    assert_eq!(again, sql);

    // A second backfill finds nothing to do and writes nothing.
    let before = w.dump();
    let again = w.run(&["health", "score", "--backfill", "--from", "2026-01-01"]).ok();
    assert!(again.stderr.starts_with("Nothing to backfill"), "{}", again.stderr);
    assert_eq!(w.dump(), before);
}

#[test]
fn backfill_refuses_a_from_in_the_future_or_too_far_back() {
    let w = payment_history();
    w.refuses(
        &["health", "score", "--backfill", "--from", "2026-11-20"],
        &["--from 2026-11-20 is not in the past: a backfill fills the days before today (2026-11-20); give a --from of 2026-11-19 or earlier"],
    );
    w.refuses(
        &["health", "score", "--backfill", "--from", "2025-10-15"],
        &["--from 2025-10-15 is more than 400 days back; give a --from of 2025-10-16 or later"],
    );
    w.refuses(&["health", "score", "--backfill", "--from", "soon"], &["--from \"soon\""]);
}
