//! The fold by hand: which rows count where, the latest kept, and that rows
//! outside the bounds change nothing (so a reader may feed more than needed).

use super::*;
use crate::time::DAY;

const TODAY: Day = Day::from_number(20_000);
const NOW: i64 = 20_000 * DAY + 12 * 3600;

/// Noon of `back` days before today.
fn noon(back: i64) -> i64 {
    NOW - back * DAY
}

#[test]
fn usage_fills_the_blocks_counts_core_features_once_and_keeps_the_latest_event() {
    let b = Bounds::at(NOW);
    assert_eq!(b.today, TODAY);
    let core = [3, 7];
    let mut fold = UsageFold::new(&b, &core);
    fold.add(noon(40), 3); // before the window: only the latest event
    fold.add(noon(27), 3); // block 0 (D-27..D-21)
    fold.add(noon(21), 9);
    fold.add(noon(6), 3); // block 3 (D-6..D), core 3 again
    fold.add(noon(2), 7);
    fold.add(NOW + 1, 7); // after now: nothing
    let used = fold.finish();
    assert_eq!(used, Used { blocks: [true, false, false, true], core_used: 2, last_event: Some(noon(2)) });
    // Emptied for the next customer.
    assert_eq!(fold.finish(), Used::default());
    // Only a row before the window: its time is the latest event, no block.
    fold.add(noon(40), 7);
    let mut f = Facts::signed_up(Some(noon(300)));
    f.add_used(&b, &fold.finish());
    assert_eq!((f.active_blocks, f.core_used, f.last_event), ([false; 4], 0, Some(noon(40))));
    assert_eq!(f.signup_day, Some(TODAY - 300));
}

#[test]
fn the_latest_answer_and_payment_win_and_a_later_row_at_the_same_time_wins() {
    let b = Bounds::at(NOW);
    let mut f = Facts::default();
    f.add_nps(&b, noon(200), 9);
    f.add_nps(&b, noon(3), 4);
    f.add_nps(&b, noon(3), 6);
    f.add_nps(&b, NOW + 60, 0);
    assert_eq!(f.latest_nps, Some((noon(3), 6)));
    f.add_payment(&b, noon(40), Payment::Failed);
    f.add_payment(&b, noon(10), Payment::Paid);
    f.add_payment(&b, NOW + 60, Payment::Failed);
    assert_eq!(f.payment, Some(Payment::Paid));
    f.add_value_event(&b, NOW + 60);
    assert!(!f.reached_value);
    f.add_value_event(&b, noon(1));
    assert!(f.reached_value);
}

#[test]
fn csat_counts_90_days_and_tickets_30_days_and_the_unresolved_as_of_now() {
    let b = Bounds::at(NOW);
    let mut f = Facts::default();
    f.add_csat(&b, b.csat_from, noon(95), 100); // the first instant of D-89 counts
    f.add_csat(&b, b.csat_from - 1, noon(95), 0); // the last of D-90 does not
    f.add_csat(&b, noon(1), NOW + 5, 0); // a ticket created after now: not yet
    assert_eq!(f.csat, (100, 1));
    f.add_ticket(&b, b.month_from, Some(noon(1))); // resolved: counts in 30 days only
    f.add_ticket(&b, b.month_from - 1, None); // unresolved, before the 30 days
    f.add_ticket(&b, noon(2), Some(NOW + 10)); // resolved after now: unresolved now
    f.add_ticket(&b, NOW + 10, None); // after now: nothing
    assert_eq!((f.tickets_30d, f.unresolved, f.oldest_unresolved), (2, 2, Some(b.month_from - 1)));
}

#[test]
fn warning_sign_usage_sums_the_last_14_days_the_14_before_and_the_28_before() {
    let b = Bounds::at(NOW);
    let mut r = RiskFacts::default();
    r.add_usage(&b, b.signs_from - 1, 100); // D-42: outside
    r.add_usage(&b, b.signs_from, 1); // D-41: prior_28 only
    r.add_usage(&b, b.window, 2); // D-27: prior_28 and prior
    r.add_usage(&b, b.recent_from - 1, 4); // D-14: prior_28 and prior
    r.add_usage(&b, b.recent_from, 8); // D-13: recent
    r.add_usage(&b, NOW, 16);
    r.add_usage(&b, NOW + 1, 32); // after now
    assert_eq!((r.recent, r.prior, r.prior_28, r.last_active), (24, 6, 7, Some(NOW)));
}

#[test]
fn warning_sign_answers_tickets_and_payments() {
    let b = Bounds::at(NOW);
    let mut r = RiskFacts::default();
    r.add_ticket(&b, b.week_from - 1);
    r.add_ticket(&b, b.week_from);
    r.add_ticket(&b, NOW);
    assert_eq!(r.tickets_7d, 2);
    r.add_nps(&b, b.month_from - 1, 0); // 31 days ago: outside
    r.add_nps(&b, noon(20), 3);
    r.add_nps(&b, noon(10), 7); // not low
    r.add_nps(&b, noon(5), 6);
    assert_eq!((r.low_nps, r.lowest_nps), (Some((noon(5), 6)), Some(3)));
    r.add_csat(&b, noon(9), 1);
    r.add_csat(&b, noon(8), 3);
    r.add_csat(&b, noon(9), 2); // same time, later row: wins
    assert_eq!(r.low_csat, Some((noon(9), 2)));
    r.add_payment(&b, noon(40), Payment::Failed);
    assert_eq!(r.failed_payment, Some(noon(40)));
    r.add_payment(&b, noon(9), Payment::Late);
    assert_eq!(r.failed_payment, None);
    r.add_feature_request(&b, "t1", Some("export"), noon(50), None);
    r.add_feature_request(&b, "t2", None, noon(50), Some(noon(1)));
    r.add_feature_request(&b, "t3", None, noon(50), Some(NOW + 1));
    let ids: Vec<&str> = r.feature_requests.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids, ["t1", "t3"]);
}

proptest::proptest! {
    /// Rows outside the bounds change no fact: a reader may feed more rows
    /// than the facts need (the replay feeds a customer's whole history).
    #[test]
    fn rows_outside_the_bounds_change_nothing(
        inside in proptest::collection::vec((0i64..41 * DAY, 1i64..6, 1i64..6), 0..20),
        outside in proptest::collection::vec((1i64..400 * DAY, 1i64..6, 0i64..11), 0..20),
    ) {
        let b = Bounds::at(NOW);
        let core = [1, 2, 3];
        let feed = |rows: &[(i64, i64, i64)]| {
            let mut sorted = rows.to_vec();
            sorted.sort_by_key(|r| r.0);
            let (mut f, mut r, mut u) = (Facts::default(), RiskFacts::default(), UsageFold::new(&b, &core));
            for &(t, ev, v) in &sorted {
                u.add(t, ev);
                f.add_csat(&b, t, t, 25 * (v % 5));
                f.add_ticket(&b, t, Some(t + 1));
                r.add_usage(&b, t, v);
                r.add_ticket(&b, t);
                r.add_nps(&b, t, v);
                r.add_csat(&b, t, v % 5 + 1);
            }
            f.add_used(&b, &u.finish());
            (f, r)
        };
        let inside: Vec<_> = inside.into_iter().map(|(t, ev, v)| (NOW - t, ev, v)).collect();
        // After now, or more than 90 days back (older than every bound but
        // the latest event, which an inside row outdates).
        let mut all = inside.clone();
        all.extend(outside.into_iter().map(|(t, ev, v)| if t % 2 == 0 { (NOW + t, ev, v) } else { (NOW - 90 * DAY - t, ev, v) }));
        let want = feed(&inside);
        let got = feed(&all);
        if !inside.is_empty() {
            proptest::prop_assert_eq!(got, want);
        }
    }
}
