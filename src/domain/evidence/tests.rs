use super::*;

fn facts() -> RiskFacts {
    RiskFacts::default()
}

#[test]
fn the_parts_split_their_signs_and_imply_them() {
    let quiet = RiskFacts { recent: 0, prior_28: 5, prior: 2, ..facts() };
    assert_eq!(parts(&quiet), vec![Part::WentQuiet]);
    let drop = RiskFacts { recent: 1, prior: 6, prior_28: 8, ..facts() };
    assert_eq!(parts(&drop), vec![Part::UsageDrop]);
    let six = RiskFacts { low_nps: Some((10, 6)), lowest_nps: Some(6), ..facts() };
    assert_eq!(parts(&six), vec![Part::Nps6]);
    // A 6 answered after a 3 in the window: the 3 decides.
    let three_then_six = RiskFacts { low_nps: Some((10, 6)), lowest_nps: Some(3), ..facts() };
    assert_eq!(parts(&three_then_six), vec![Part::Nps0To5]);
    let csat = RiskFacts { low_csat: Some((10, 2)), failed_payment: Some(9), ..facts() };
    assert_eq!(parts(&csat), vec![Part::LowCsat, Part::PaymentFailure]);
    // Every part implies its sign in `risks`, and every sign has a part.
    for f in [quiet, drop, six, three_then_six, csat] {
        let mut from_parts: Vec<Signal> = parts(&f).iter().map(|p| p.signal()).collect();
        from_parts.dedup();
        let signs: Vec<Signal> = crate::domain::churn::risks(&f).iter().map(|r| r.signal).collect();
        assert_eq!(from_parts, signs, "{f:?}");
    }
}

#[test]
fn a_row_is_shrunk_toward_the_base_rate() {
    // 100 samples, 10 churned: base 10%. A predictor with 4 of 5 churned:
    // risk = (4 + 10 × 0.1) / (5 + 10) = 33.3%, lift 3.33, catch 40%.
    let r = Row::of(Predictor::Part(Part::PaymentFailure), 5, 4, 100, 10);
    assert!((r.risk - 100.0 / 3.0).abs() < 1e-9, "{r:?}");
    assert!((r.lift - 10.0 / 3.0).abs() < 1e-9);
    assert_eq!(r.churn_rate, Some(80.0));
    assert_eq!(r.catch, 40.0);
    assert_eq!(r.words_text(), "strong (few samples)");
    // No samples: the base rate, lift 1, no churn rate.
    let empty = Row::of(Predictor::AnySign, 0, 0, 100, 10);
    assert_eq!((empty.churn_rate, empty.risk, empty.lift), (None, 10.0, 1.0));
    assert_eq!(empty.words(), Words::NotPredictive);
    assert!(!empty.not_predictive(), "too few samples to act on");
}

#[test]
fn words_follow_the_lift() {
    assert_eq!(Words::of(2.0), Words::Strong);
    assert_eq!(Words::of(1.99), Words::Useful);
    assert_eq!(Words::of(1.25), Words::Useful);
    assert_eq!(Words::of(1.2499), Words::NotPredictive);
}

#[test]
fn flags_and_the_tally() {
    let mut t = Tally::default();
    t.add(&flagged(Band::Healthy, &[]), false);
    t.add(&flagged(Band::Critical, &[Part::PaymentFailure]), true);
    t.add(&flagged(Band::AtRisk, &[]), false);
    t.add(&flagged(Band::Healthy, &[Part::Nps6]), true);
    let e = Evidence::of(&t).unwrap();
    let get = |p| *e.row(p).unwrap();
    assert_eq!((get(Predictor::ScoreAlert).samples, get(Predictor::ScoreAlert).churned), (2, 1));
    assert_eq!((get(Predictor::AnySign).samples, get(Predictor::AnySign).churned), (2, 2));
    assert_eq!(get(Predictor::Band(Band::Healthy)).samples, 2);
    assert_eq!(get(Predictor::Part(Part::WentQuiet)).samples, 0);
    assert_eq!(e.rows.len(), 14);
    assert!(e.signs_beat_score());
    assert_eq!(
        e.risk_of(Some(Band::Healthy), &[Part::Nps6, Part::PaymentFailure]).map(|r| r.1),
        Some(Predictor::Part(Part::PaymentFailure))
    );
    // Nothing churned: nothing to measure.
    let mut none = Tally::default();
    none.add(&flagged(Band::Healthy, &[]), false);
    assert_eq!(Evidence::of(&none), None);
}
