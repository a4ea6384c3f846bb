//! Tests of the churn use cases on the example data with a fixed `now`.
use super::*;
use crate::app::sequences::{due_winback, due_winback_churned};
use crate::domain::sequence::WINBACK;

fn example() -> (Connection, Settings, i64) {
    crate::example::book("2026-11-20T12:00:00Z")
}

/// `today` scores from the windows the warning-sign scan folds (42 days
/// read, 28 kept): they must be health's own, day after day, and the
/// warning signs must not change for the folding.
#[test]
fn the_warning_sign_scan_folds_the_same_windows_as_health() {
    use crate::domain::health::Payment;
    let (conn, settings, now) = example();
    // A customer whose only sign is a failed payment two days ago.
    let quiet: Vec<String> = risks(&conn, now, &[]).unwrap().into_iter().map(|r| r.customer_id).collect();
    let calm = crate::store::customers::list(&conn)
        .unwrap()
        .into_iter()
        .find(|c| !c.is_churned(now) && !quiet.contains(&c.id))
        .expect("a customer without a sign");
    conn.execute(
        "INSERT INTO billing_records (cid, date, amount_cents, status) VALUES (?1, ?2, 4900, 'failed')",
        rusqlite::params![calm.cid, now - 2 * time::DAY],
    )
    .unwrap();
    let (mut seen_core, mut seen_failed, mut only_payment) = (false, false, false);
    for back in 0..60 {
        let at = now - back * time::DAY;
        let feats = Features::load(&conn, &settings, at).unwrap();
        let (with, windows, _) = risk_facts_and_windows(&conn, at, &feats).unwrap();
        let own = crate::store::health::usage_window(&conn, &feats, at, None).unwrap();
        assert!(!own.is_empty(), "{back} days back");
        assert_eq!(windows, own, "{back} days back");
        seen_core |= own.iter().any(|w| w.used.core_used > 1);
        // With the failed payments from health's subjects, the same signs.
        let subjects = crate::store::health::subjects(&conn, &feats, at, None, false).unwrap();
        let failed: HashMap<i64, i64> = subjects
            .iter()
            .filter(|s| s.facts.payment == Some(Payment::Failed))
            .filter_map(|s| Some((s.cid, s.payment_on?)))
            .collect();
        let people = crate::store::customers::list(&conn).unwrap();
        let who = |cid: i64| people.iter().find(|c| c.cid == cid).map(|c| (c.id.clone(), c.name.clone()));
        let plain = risks(&conn, at, &[]).unwrap();
        seen_failed |= plain.iter().any(|r| r.risk.signal == Signal::PaymentFailure);
        only_payment |= plain.iter().any(|r| {
            r.risk.signal == Signal::PaymentFailure
                && plain.iter().filter(|x| x.customer_id == r.customer_id).count() == 1
        });
        let got = risks_with_payments(with, &failed, who);
        assert_eq!(format!("{got:?}"), format!("{plain:?}"), "{back} days back");
    }
    assert!(seen_core, "some customer used more than one core feature");
    assert!(seen_failed, "some customer has a failed payment");
    assert!(only_payment, "some customer's only sign is a failed payment");
}

#[test]
fn risks_filter_by_signal_and_steps_are_due_in_the_sequence() {
    let (conn, settings, now) = example();
    let all = risks(&conn, now, &[]).unwrap();
    assert!(!all.is_empty(), "the example data has warning signs");
    let signal = all[0].risk.signal;
    let only = risks(&conn, now, &[signal]).unwrap();
    assert_eq!(only.len(), all.iter().filter(|r| r.risk.signal == signal).count());
    for d in due_winback(&conn, now, None).unwrap() {
        assert!(WINBACK.steps.contains(&d.step), "{d:?}");
    }
    let months = by_month(&conn, &settings, now, 3).unwrap();
    assert_eq!(months.len(), 3);
    assert_eq!(months[2].month, "2026-11");
    assert_eq!(months[0].target, settings.number("targets.churn_rate_percent"));
}

/// `today` reads only the churned customers' win-back steps: the same
/// steps as the whole sequence's, less those of customers gone quiet.
#[test]
fn the_churned_win_back_steps_are_the_sequence_s_for_churned_customers() {
    let (conn, _, now) = example();
    let people = crate::store::customers::list(&conn).unwrap();
    let (mut churned_seen, mut quiet_seen) = (0, 0);
    for back in 0..90 {
        let at = now - back * time::DAY;
        let churned = |cid: i64| people.iter().any(|c| c.cid == cid && c.is_churned(at));
        let all = due_winback(&conn, at, None).unwrap();
        let expected: Vec<String> = all.iter().filter(|d| churned(d.cid)).map(|d| format!("{d:?}")).collect();
        let got: Vec<String> =
            due_winback_churned(&conn, at).unwrap().iter().map(|d| format!("{d:?}")).collect();
        assert_eq!(got, expected, "{back} days back");
        churned_seen += got.len();
        quiet_seen += all.len() - got.len();
    }
    assert!(churned_seen > 0 && quiet_seen > 0, "{churned_seen} churned, {quiet_seen} quiet");
}

/// The one-pass month counts equal the set-based formula of the status
/// history (the rule of docs/revenue.md, kept here in SQL as the
/// reference), for every month of two years, a window that straddles
/// `now`, and each plan.
#[test]
fn month_counts_in_one_pass_equal_the_sql_formula() {
    let (conn, _, now) = example();
    let reference = |start: i64, end: i64, now: i64, plan: Option<&str>| -> cs::MonthCounts {
        let churned_at = |t: &str| {
            format!(
                "COALESCE((SELECT s.churned FROM status_changes s WHERE s.cid = c.cid AND s.at <= {t} AND s.at <= ?3
                           ORDER BY s.at DESC, s.seq DESC LIMIT 1), 0)"
            )
        };
        let before = |t: &str| {
            format!(
                "COALESCE((SELECT m.mrr_cents FROM mrr_changes m WHERE m.cid = c.cid AND m.effective_at < {t} AND m.effective_at <= ?3
                           ORDER BY m.effective_at DESC LIMIT 1), 0)"
            )
        };
        let last_churn = "(SELECT max(s.at) FROM status_changes s WHERE s.cid = c.cid AND s.churned = 1
                             AND s.at >= ?1 AND s.at < min(?2, ?3 + 1))";
        conn.query_row(
            &format!(
                "WITH f AS (
               SELECT (signed_up_at IS NULL OR signed_up_at < ?1) AND NOT {start_churned} AS active,
                      {end_churned} AND {last_churn} IS NOT NULL AS churned_in,
                      signed_up_at >= ?1 AND signed_up_at < ?2 AS signed_in,
                      {mrr} AS mrr,
                      {lost} AS mrr_lost
               FROM customers c WHERE (signed_up_at IS NULL OR signed_up_at <= ?3)
                 AND (?4 IS NULL OR COALESCE(c.plan, '(none)') = ?4))
             SELECT COALESCE(SUM(active), 0), COALESCE(SUM(active AND churned_in), 0),
                    COALESCE(SUM(signed_in AND churned_in), 0),
                    CAST(TOTAL(CASE WHEN active THEN mrr END) AS INTEGER),
                    CAST(TOTAL(CASE WHEN active AND churned_in THEN
                      CASE WHEN mrr_lost > 0 THEN mrr_lost ELSE mrr END END) AS INTEGER)
             FROM f",
                start_churned = churned_at("?1 - 1"),
                end_churned = churned_at("min(?2, ?3 + 1) - 1"),
                mrr = before("?1"),
                lost = before(last_churn),
            ),
            rusqlite::params![start, end, now, plan],
            |r| {
                Ok(cs::MonthCounts {
                    active: r.get(0)?,
                    churned: r.get(1)?,
                    same_period: r.get(2)?,
                    mrr_active_cents: r.get(3)?,
                    mrr_churned_cents: r.get(4)?,
                })
            },
        )
        .unwrap()
    };
    let mut periods: Vec<(i64, i64)> = month_windows(now, 24).into_iter().map(|(_, s, e)| (s, e)).collect();
    // Changes exactly at a month's start and exactly at a churn: each
    // belongs after that instant, never before it.
    let at_start = periods[20].0;
    conn.execute_batch(&format!(
        "INSERT OR REPLACE INTO mrr_changes (cid, effective_at, mrr_cents, source)
           SELECT cid, {at_start}, 777700, 'edit' FROM customers WHERE churned_at IS NULL;
         INSERT OR REPLACE INTO mrr_changes (cid, effective_at, mrr_cents, source)
           SELECT cid, churned_at, 555500, 'edit' FROM customers WHERE churned_at IS NOT NULL;"
    ))
    .unwrap();
    periods.push((now - 10 * time::DAY, now + 10 * time::DAY));
    let mut plans: Vec<Option<String>> = cs::plans(&conn).unwrap().into_iter().map(Some).collect();
    plans.push(None);
    let mut churned = 0;
    // As of now, and as of 60 days back (later churns and signups are then in the future).
    for at in [now, now - 60 * time::DAY] {
        for plan in &plans {
            let many = cs::month_counts_many(&conn, &periods, at, plan.as_deref()).unwrap();
            for (&(start, end), got) in periods.iter().zip(&many) {
                let want = reference(start, end, at, plan.as_deref());
                assert_eq!(
                    *got,
                    want,
                    "{plan:?} from {} as of {}",
                    time::iso_date(start),
                    time::iso_date(at)
                );
                churned += got.churned;
            }
        }
    }
    assert!(churned > 0, "some months have churn");
}

#[test]
fn month_windows_end_with_the_current_month() {
    let now = time::parse_now("2026-03-15T00:00:00Z").unwrap();
    let w = month_windows(now, 3);
    let names: Vec<&str> = w.iter().map(|(m, _, _)| m.as_str()).collect();
    assert_eq!(names, ["2026-01", "2026-02", "2026-03"]);
    assert_eq!(w[1].2, w[2].1, "months are contiguous");
    assert_eq!(w[2].2 - w[2].1, 31 * time::DAY);
}

#[test]
fn reasons_count_every_churned_customer_once() {
    let (conn, _, now) = example();
    let r = reasons(&conn, now).unwrap();
    assert_eq!(r.reasons.iter().map(|(_, c, _)| c).sum::<i64>(), r.churned as i64);
    assert_eq!(r.returns.iter().map(|(_, c)| c).sum::<i64>(), r.churned as i64);
    assert!(r.reasons.windows(2).all(|w| w[0].1 >= w[1].1));
}
