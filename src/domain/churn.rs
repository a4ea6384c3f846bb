//! Churn (docs/churn.md): the five warning signs from per-customer facts, exit
//! survey vocabulary, and the monthly churn rate — pure functions.

use crate::time::iso_date;

/// What the warning signs need to know about one customer, as of now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RiskFacts {
    /// Sum of usage `count` in the last 14 days (D-13..D) and the 14 before.
    pub recent: i64,
    pub prior: i64,
    /// Sum of usage `count` in the 28 days before the last 14 (D-41..D-14).
    pub prior_28: i64,
    /// The latest usage event at or before now, if within the last 42 days.
    pub last_active: Option<i64>,
    /// Tickets created in the last 7 days.
    pub tickets_7d: i64,
    /// The latest NPS ≤ 6 in the last 30 days: (time, score).
    pub low_nps: Option<(i64, i64)>,
    /// The lowest NPS ≤ 6 in the last 30 days (tells a 0–5 from a 6).
    pub lowest_nps: Option<i64>,
    /// The latest CSAT ≤ 2 in the last 30 days: (time, rating).
    pub low_csat: Option<(i64, i64)>,
    /// The latest billing record (paid/late/failed) is failed: its date.
    pub failed_payment: Option<i64>,
    /// Unresolved feature-request tickets: (id, subject, created).
    pub feature_requests: Vec<(String, Option<String>, i64)>,
}

/// The five warning signs, in the order `churn risks` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    UsageDrop,
    SupportSpike,
    NegativeFeedback,
    PaymentFailure,
    FeatureRequests,
}

impl Signal {
    pub const ALL: [Signal; 5] = [
        Signal::UsageDrop,
        Signal::SupportSpike,
        Signal::NegativeFeedback,
        Signal::PaymentFailure,
        Signal::FeatureRequests,
    ];

    /// The name in output and on the command line (`--signal usage-drop`).
    pub fn name(self) -> &'static str {
        match self {
            Signal::UsageDrop => "usage-drop",
            Signal::SupportSpike => "support-spike",
            Signal::NegativeFeedback => "negative-feedback",
            Signal::PaymentFailure => "payment-failure",
            Signal::FeatureRequests => "feature-requests",
        }
    }

    /// The framework's response to the sign.
    pub fn response(self) -> &'static str {
        match self {
            Signal::UsageDrop => "Re-engagement email",
            Signal::SupportSpike => "Personal outreach",
            Signal::NegativeFeedback => "1:1 call",
            Signal::PaymentFailure => "Dunning sequence",
            Signal::FeatureRequests => "Roadmap communication",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Risk {
    pub signal: Signal,
    pub detail: String,
    pub response: &'static str,
}

pub fn risks(f: &RiskFacts) -> Vec<Risk> {
    let mut out = Vec::new();
    let mut add =
        |signal: Signal, detail: String| out.push(Risk { signal, detail, response: signal.response() });
    // Went quiet: nothing in the last 14 days after at least 4 in the 28
    // before them. Else a drop: under half of the prior 14 days, which had at least 4.
    if f.recent == 0 && f.prior_28 >= 4 {
        let last = f.last_active.map_or("unknown".to_string(), iso_date);
        add(
            Signal::UsageDrop,
            format!(
                "went quiet: no activity in 14 days after {} in the 28 before; last active {last}",
                f.prior_28
            ),
        );
    } else if f.prior >= 4 && 2 * f.recent < f.prior {
        let change = (f.recent - f.prior) as f64 * 100.0 / f.prior as f64;
        add(Signal::UsageDrop, format!("activity {} vs {}, {}%", f.recent, f.prior, format_pct(change)));
    }
    if f.tickets_7d >= 3 {
        add(Signal::SupportSpike, format!("{} tickets in 7 days", f.tickets_7d));
    }
    let mut neg = Vec::new();
    if let Some((t, s)) = f.low_nps {
        neg.push(format!("NPS {s} on {}", iso_date(t)));
    }
    if let Some((t, r)) = f.low_csat {
        neg.push(format!("CSAT {r} on {}", iso_date(t)));
    }
    if !neg.is_empty() {
        add(Signal::NegativeFeedback, neg.join(", "));
    }
    if let Some(t) = f.failed_payment {
        add(Signal::PaymentFailure, format!("payment failed on {}", iso_date(t)));
    }
    if !f.feature_requests.is_empty() {
        let items: Vec<String> = f
            .feature_requests
            .iter()
            .map(|(id, subject, created)| {
                format!("#{id} \"{}\" open since {}", subject.as_deref().unwrap_or(""), iso_date(*created))
            })
            .collect();
        add(Signal::FeatureRequests, items.join("; "));
    }
    out
}

/// −84 with a real minus sign.
fn format_pct(v: f64) -> String {
    let r = v.round() as i64;
    if r < 0 {
        format!("\u{2212}{}", -r)
    } else {
        format!("+{r}")
    }
}

/// Why a customer left: the exit survey's first question (docs/churn.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChurnReason {
    FoundAlternative,
    NoLongerNeed,
    TooExpensive,
    MissingFeatures,
    PoorExperience,
    Other,
}

impl ChurnReason {
    /// In the survey's order.
    pub const ALL: [ChurnReason; 6] = [
        ChurnReason::FoundAlternative,
        ChurnReason::NoLongerNeed,
        ChurnReason::TooExpensive,
        ChurnReason::MissingFeatures,
        ChurnReason::PoorExperience,
        ChurnReason::Other,
    ];

    /// As stored and typed: `too-expensive`.
    pub fn name(self) -> &'static str {
        match self {
            ChurnReason::FoundAlternative => "found-alternative",
            ChurnReason::NoLongerNeed => "no-longer-need",
            ChurnReason::TooExpensive => "too-expensive",
            ChurnReason::MissingFeatures => "missing-features",
            ChurnReason::PoorExperience => "poor-experience",
            ChurnReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ChurnReason> {
        ChurnReason::ALL.into_iter().find(|r| r.name() == s)
    }
}
pub const RETURN_ANSWERS: [&str; 4] = ["yes", "maybe", "unlikely", "no"];

/// Churn rate in percent; None when nobody was active at the start.
pub fn rate(churned: i64, active_at_start: i64) -> Option<f64> {
    (active_at_start > 0).then(|| churned as f64 * 100.0 / active_at_start as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(f: &RiskFacts) -> Vec<&'static str> {
        risks(f).iter().map(|r| r.signal.name()).collect()
    }

    #[test]
    fn each_sign_has_its_name_and_the_frameworks_response() {
        let names: Vec<&str> = Signal::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(
            names,
            ["usage-drop", "support-spike", "negative-feedback", "payment-failure", "feature-requests"]
        );
        assert_eq!(Signal::PaymentFailure.response(), "Dunning sequence");
    }

    #[test]
    fn usage_drop_at_and_past_the_threshold() {
        assert!(
            signals(&RiskFacts { recent: 2, prior: 4, ..Default::default() }).is_empty(),
            "exactly 50% is not a drop"
        );
        assert_eq!(signals(&RiskFacts { recent: 1, prior: 4, ..Default::default() }), ["usage-drop"]);
        assert!(
            signals(&RiskFacts { recent: 0, prior: 3, ..Default::default() }).is_empty(),
            "3 prior events are too few"
        );
        let r = risks(&RiskFacts { recent: 3, prior: 19, ..Default::default() });
        assert_eq!(r[0].detail, "activity 3 vs 19, \u{2212}84%");
        assert_eq!(r[0].response, "Re-engagement email");
    }

    #[test]
    fn a_customer_who_went_quiet_is_a_usage_drop_naming_the_last_active_day() {
        // Nothing in 14 days, 4 in the 28 before: went quiet.
        let f = RiskFacts {
            recent: 0,
            prior: 0,
            prior_28: 4,
            last_active: Some(crate::time::days(3)),
            ..Default::default()
        };
        let r = risks(&f);
        assert_eq!(r[0].signal, Signal::UsageDrop);
        assert_eq!(
            r[0].detail,
            "went quiet: no activity in 14 days after 4 in the 28 before; last active 1970-01-04"
        );
        // 3 in the 28 days before is too little to call it quiet.
        assert!(risks(&RiskFacts { prior_28: 3, last_active: Some(0), ..Default::default() }).is_empty());
        // Any activity in the last 14 days: judged as a drop instead.
        assert!(risks(&RiskFacts { recent: 1, prior: 0, prior_28: 40, ..Default::default() }).is_empty());
    }

    #[test]
    fn other_signs_at_their_thresholds() {
        assert!(signals(&RiskFacts { tickets_7d: 2, ..Default::default() }).is_empty());
        assert_eq!(signals(&RiskFacts { tickets_7d: 3, ..Default::default() }), ["support-spike"]);
        let f =
            RiskFacts { low_nps: Some((0, 6)), low_csat: Some((crate::time::DAY, 2)), ..Default::default() };
        assert_eq!(risks(&f)[0].detail, "NPS 6 on 1970-01-01, CSAT 2 on 1970-01-02");
        let f = RiskFacts {
            failed_payment: Some(0),
            feature_requests: vec![("12".into(), Some("SSO".into()), 0)],
            ..Default::default()
        };
        assert_eq!(signals(&f), ["payment-failure", "feature-requests"]);
        assert_eq!(risks(&f)[1].detail, "#12 \"SSO\" open since 1970-01-01");
    }

    #[test]
    fn rate_is_none_without_active_customers() {
        assert_eq!(rate(1, 20), Some(5.0));
        assert_eq!(rate(0, 0), None);
    }
}
