//! Hand-computed cases of the mapping (docs/sync.md's worked example).

use super::*;
use crate::domain::churn::ChurnReason;
use crate::sources::stripe::objects::Subscription;

use crate::time::DAY;

fn sub(json: serde_json::Value) -> Subscription {
    serde_json::from_value(json).unwrap()
}

fn item(price: &str, amount: i64, interval: &str, qty: i64) -> serde_json::Value {
    serde_json::json!({
        "price": {"id": price, "currency": "usd", "unit_amount": amount,
                  "recurring": {"interval": interval, "interval_count": 1}, "product": "prod_x"},
        "quantity": qty, "discounts": []
    })
}

fn prices() -> HashMap<String, PriceFacts> {
    let mut m = HashMap::new();
    for (id, i, plan) in
        [("p_month", "month", "Pro"), ("p_year", "year", "Team"), ("p_small", "month", "Basic")]
    {
        m.insert(id.to_string(), PriceFacts { interval: i.into(), count: 1, plan: Some(plan.into()) });
    }
    m
}

#[test]
fn prices_are_normalised_to_a_month() {
    assert_eq!(monthly(4900, "month", 1), Some(Cents(4900)));
    assert_eq!(monthly(120_000, "year", 1), Some(Cents(10_000)));
    assert_eq!(monthly(1000, "week", 1), Some(Cents(4333))); // 1000 × 52 ÷ 12 = 4333.33
    assert_eq!(monthly(100, "day", 1), Some(Cents(3042))); // 100 × 365 ÷ 12 = 3041.67
    assert_eq!(monthly(14_700, "month", 3), Some(Cents(4900))); // quarterly
    assert_eq!(monthly(100, "fortnight", 1), None);
}

#[test]
fn quantity_and_a_forever_percent_coupon() {
    // $49 × 3 seats, 20% off forever: 147 × 0.8 = $117.60.
    let mut s = sub(serde_json::json!({
        "id": "sub_1", "customer": "cus_1", "status": "active",
        "discounts": [{"id": "di_1", "end": null, "source": {"type": "coupon",
            "coupon": {"id": "C20", "percent_off": 20.0, "amount_off": null}}}],
        "items": {"data": [item("p_month", 4900, "month", 3)], "has_more": false}
    }));
    assert_eq!(subscription_mrr(&s, &prices(), 0), (Cents(11_760), Some("Pro".into())));
    // An ended discount no longer counts.
    if let DiscountRef::Discount(d) = &mut s.discounts[0] {
        d.end = Some(100);
    }
    assert_eq!(subscription_mrr(&s, &prices(), 200).0, Cents(14_700));
}

#[test]
fn an_amount_coupon_is_per_period_and_trialing_is_zero() {
    // $1,200 a year less $120 off the year: 1080 ÷ 12 = $90.
    let mut s = sub(serde_json::json!({
        "id": "sub_2", "customer": "cus_2", "status": "active",
        "discounts": [{"id": "di_2", "source": {"coupon": {"id": "OFF", "amount_off": 12000}}}],
        "items": {"data": [item("p_year", 120_000, "year", 1)], "has_more": false}
    }));
    assert_eq!(subscription_mrr(&s, &prices(), 0), (Cents(9000), Some("Team".into())));
    s.status = "trialing".into();
    assert_eq!(subscription_mrr(&s, &prices(), 0), (Cents::ZERO, Some("Team".into())));
    s.status = "canceled".into();
    assert_eq!(subscription_mrr(&s, &prices(), 0).0, Cents::ZERO);
}

#[test]
fn the_plan_is_the_item_with_the_largest_amount() {
    let s = sub(serde_json::json!({
        "id": "sub_3", "customer": "cus_3", "status": "past_due", "discounts": [],
        "items": {"data": [item("p_small", 900, "month", 1), item("p_year", 120_000, "year", 1)], "has_more": false}
    }));
    assert_eq!(subscription_mrr(&s, &prices(), 0), (Cents(10_900), Some("Team".into())));
}

#[test]
fn feedback_maps_to_the_exit_reasons() {
    assert_eq!(exit_reason("too_expensive").map(ChurnReason::name), Some("too-expensive"));
    assert_eq!(exit_reason("switched_service").map(ChurnReason::name), Some("found-alternative"));
    assert_eq!(exit_reason("unused").map(ChurnReason::name), Some("no-longer-need"));
    assert_eq!(exit_reason("too_complex").map(ChurnReason::name), Some("poor-experience"));
    assert_eq!(exit_reason("low_quality").map(ChurnReason::name), Some("poor-experience"));
    assert_eq!(exit_reason("nonsense").map(ChurnReason::name), None);
}

#[test]
fn periods_give_the_interval_when_the_price_is_unknown() {
    assert_eq!(interval_of_period(0, 31 * DAY), ("month", 1));
    assert_eq!(interval_of_period(0, 28 * DAY), ("month", 1));
    assert_eq!(interval_of_period(0, 365 * DAY), ("year", 1));
    assert_eq!(interval_of_period(0, 7 * DAY), ("week", 1));
    assert_eq!(interval_of_period(0, 92 * DAY), ("month", 3));
}

fn lp(sub: &str, start: i64, mrr: i64, plan: &str) -> LinePoint {
    LinePoint { sub: sub.into(), start, mrr: Cents(mrr), plan: Some(plan.into()) }
}

#[test]
fn history_with_trial_upgrade_cancellation_and_return() {
    let m = 30 * DAY;
    // Trial (0) for a month, Basic $9, upgrade to Pro $49 in month 3,
    // cancelled at the end of month 4 (too expensive), back on Basic in month 6.
    let lines = vec![
        lp("s1", 0, 0, "Basic"),
        lp("s1", m, 900, "Basic"),
        lp("s1", 2 * m, 4900, "Pro"),
        lp("s1", 3 * m, 4900, "Pro"),
        lp("s2", 5 * m, 900, "Basic"),
    ];
    let spans = vec![
        Span {
            sub: "s1".into(),
            start: 0,
            end: Some(4 * m),
            feedback: Some("too_expensive".into()),
            comment: Some("pricey".into()),
            ..Span::default()
        },
        Span { sub: "s2".into(), start: 5 * m, ..Span::default() },
    ];
    let h = history(&lines, &spans, 10 * m);
    assert_eq!(h.mrr, vec![(0, Cents(0)), (m, Cents(900)), (2 * m, Cents(4900)), (5 * m, Cents(900))]);
    assert_eq!(h.plan, vec![(0, "Basic".into()), (2 * m, "Pro".into()), (5 * m, "Basic".into())]);
    assert_eq!(
        h.status,
        vec![
            StatusPoint {
                at: 4 * m,
                churned: true,
                reason: Some(ChurnReason::TooExpensive),
                comment: Some("pricey".into())
            },
            StatusPoint { at: 5 * m, churned: false, reason: None, comment: None },
        ]
    );
    // Before its end, a cancellation is not yet a churn.
    assert!(history(&lines, &spans, 4 * m - 1).status.is_empty());
}

#[test]
fn two_subscriptions_add_up_and_one_ending_is_a_contraction() {
    let m = 30 * DAY;
    let lines = vec![lp("a", 0, 4900, "Pro"), lp("b", m, 900, "Basic"), lp("a", m, 4900, "Pro")];
    let spans = vec![
        Span { sub: "a".into(), start: 0, ..Span::default() },
        Span { sub: "b".into(), start: m, end: Some(2 * m), ..Span::default() },
    ];
    let h = history(&lines, &spans, 3 * m);
    assert_eq!(h.mrr, vec![(0, Cents(4900)), (m, Cents(5800)), (2 * m, Cents(4900))]);
    assert!(h.status.is_empty());
}
