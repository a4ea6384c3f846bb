//! The six key metrics (SPEC §9.1): values from plain counts, targets, the
//! status rule, and their wording in tables and the plan.

use crate::domain::settings::Settings;
use crate::domain::targets::{self, Status};

/// Raw figures over the period, as the store counts them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    /// Mean hours created → first response over tickets created in the period that have one.
    pub first_response_hours: Option<f64>,
    /// Mean hours created → resolved over tickets resolved in the period.
    pub resolution_hours: Option<f64>,
    /// (ratings of 4–5, all ratings) given in the period.
    pub csat: (i64, i64),
    /// (promoters, detractors, responses) in the period.
    pub nps: (i64, i64, i64),
    /// (active at the period's start, of them churned in it).
    pub churn: (i64, i64),
    /// (tickets created in the period, customers with usage in the period).
    pub load: (i64, i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub id: &'static str,
    pub label: &'static str,
    pub value: Option<f64>,
    pub unit: &'static str,
    pub target: f64,
    pub higher_is_better: bool,
    pub status: Status,
}

impl Metric {
    /// "3.2 hours", "88%", "42", "n/a".
    pub fn value_text(&self) -> String {
        match self.value {
            None => "n/a".into(),
            Some(v) => self.format(v, false),
        }
    }

    /// "< 4 hours", "> 90%", "> 40".
    pub fn target_text(&self) -> String {
        format!("{} {}", if self.higher_is_better { ">" } else { "<" }, self.format(self.target, true))
    }

    /// Values keep one decimal of hours ("3.0 hours"); whole percents, scores
    /// and targets print without decimals ("88%", "< 4 hours").
    fn format(&self, v: f64, is_target: bool) -> String {
        let v = (v * 10.0).round() / 10.0;
        let whole = (v - v.round()).abs() < 1e-9;
        let n =
            if whole && (is_target || self.unit != "hours") { format!("{v:.0}") } else { format!("{v:.1}") };
        match self.unit {
            "hours" => format!("{n} hours"),
            "percent" => format!("{n}%"),
            _ => n,
        }
    }
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

pub fn metrics(i: &Inputs, s: &Settings) -> Vec<Metric> {
    let m = |id, label, value: Option<f64>, unit, key: &str, higher| {
        let target = s.number(key);
        Metric {
            id,
            label,
            value,
            unit,
            target,
            higher_is_better: higher,
            status: targets::status(value, target, higher),
        }
    };
    vec![
        m(
            "first_response_time",
            "Avg first response",
            i.first_response_hours,
            "hours",
            "targets.first_response_hours",
            false,
        ),
        m(
            "resolution_time",
            "Resolution time",
            i.resolution_hours,
            "hours",
            "targets.resolution_hours",
            false,
        ),
        m("csat", "CSAT", ratio(i.csat.0, i.csat.1), "percent", "targets.csat_percent", true),
        m("churn_rate", "Churn", ratio(i.churn.1, i.churn.0), "percent", "targets.churn_rate_percent", false),
        m(
            "nps",
            "NPS",
            (i.nps.2 > 0).then(|| (i.nps.0 - i.nps.1) as f64 * 100.0 / i.nps.2 as f64),
            "score",
            "targets.nps",
            true,
        ),
        m(
            "support_load",
            "Support load",
            ratio(i.load.0, i.load.1),
            "percent",
            "targets.support_load_percent",
            false,
        ),
    ]
}

/// The framework's step for a metric off target, and what it should move.
pub fn improvement(m: &Metric) -> String {
    let now = format!("{} is {} against a target of {}", m.label, m.value_text(), m.target_text());
    let (step, impact) = match m.id {
        "first_response_time" => (
            "Turn on auto-responder acknowledgments and offer in-app chat",
            "every customer hears back within minutes, bringing the average first response under target",
        ),
        "resolution_time" => (
            "Write FAQ and knowledge-base answers for the top categories, use canned responses, and set a clear escalation path",
            "repeat questions resolve in one reply, pulling resolution time under target",
        ),
        "csat" => (
            "Follow up personally on every rating of 3 or less and answer with the reply templates",
            "fewer unhappy tickets and a CSAT back above target",
        ),
        "nps" => (
            "Close the loop with every detractor in a 1:1 call and ask promoters for referrals and testimonials",
            "detractors turn passive or promoter, raising NPS",
        ),
        "churn_rate" => (
            "Act on health score alerts (`csf health score --fail-on at-risk` nightly), run the win-back sequence and reach out proactively to at-risk customers",
            "at-risk customers are saved before they cancel, lowering monthly churn",
        ),
        _ => (
            "Grow self-serve: docs for the top categories, in-app guides and the onboarding emails",
            "fewer tickets per active customer",
        ),
    };
    format!("{step} ({now}): {impact}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_from_counts() {
        let s = Settings::from_stored(vec![]);
        let i = Inputs {
            first_response_hours: Some(3.2),
            resolution_hours: Some(30.06),
            csat: (22, 25),
            nps: (5, 2, 10),
            churn: (49, 2),
            load: (8, 100),
        };
        let m = metrics(&i, &s);
        let shown: Vec<(String, String, &str)> =
            m.iter().map(|m| (m.value_text(), m.target_text(), m.status.name())).collect();
        assert_eq!(
            shown,
            [
                ("3.2 hours".into(), "< 4 hours".into(), "green"),
                ("30.1 hours".into(), "< 24 hours".into(), "red"),
                ("88%".into(), "> 90%".into(), "yellow"),
                ("4.1%".into(), "< 5%".into(), "green"),
                ("30".into(), "> 40".into(), "yellow"),
                ("8%".into(), "< 10%".into(), "green"),
            ]
        );
        let none = metrics(&Inputs::default(), &s);
        assert!(none.iter().all(|m| m.value.is_none() && m.status == Status::NoData));
    }

    #[test]
    fn improvements_name_the_figure_and_the_step() {
        let s = Settings::from_stored(vec![]);
        let i = Inputs { first_response_hours: Some(6.2), ..Default::default() };
        let t = improvement(&metrics(&i, &s)[0]);
        assert!(t.starts_with("Turn on auto-responder acknowledgments and offer in-app chat (Avg first response is 6.2 hours against a target of < 4 hours)"), "{t}");
    }

    /// Every metric at its default target: exactly on it meets it (green);
    /// just past it, up to 25% of the target's magnitude off, is yellow; just
    /// past that is red. Judged at the shown precision: a churn of 6.25%
    /// shows as 6.3%, more than 25% off 5%, so red.
    #[test]
    fn every_metric_changes_colour_at_its_boundaries() {
        let s = Settings::from_stored(vec![]);
        let cases = [
            // (metric, better, on target, just past, 25% off, just past 25%)
            ("first_response_time", 3.9, 4.0, 4.1, 5.0, 5.1),
            ("resolution_time", 23.9, 24.0, 24.1, 30.0, 30.1),
            ("csat", 90.1, 90.0, 89.9, 67.5, 67.4),
            ("churn_rate", 4.9, 5.0, 5.1, 6.2, 6.25),
            ("nps", 40.1, 40.0, 39.9, 30.0, 29.9),
            ("support_load", 9.9, 10.0, 10.1, 12.5, 12.6),
        ];
        let ms = metrics(&Inputs::default(), &s);
        assert_eq!(ms.iter().map(|m| m.id).collect::<Vec<_>>(), cases.map(|c| c.0));
        for (m, (id, better, on, past, off25, beyond)) in ms.iter().zip(cases) {
            let at = |v: f64| targets::status(Some(v), m.target, m.higher_is_better);
            assert_eq!(
                [at(better), at(on), at(past), at(off25), at(beyond)],
                [Status::Green, Status::Green, Status::Yellow, Status::Yellow, Status::Red],
                "{id}"
            );
        }
    }

    #[test]
    fn values_show_one_decimal_and_whole_numbers_plainly() {
        let s = Settings::from_stored(vec![]);
        let i =
            Inputs { first_response_hours: Some(3.04), csat: (2, 3), nps: (1, 3, 3), ..Default::default() };
        let m = metrics(&i, &s);
        assert_eq!((m[0].value_text(), m[0].status), ("3.0 hours".into(), Status::Green));
        assert_eq!(m[2].value_text(), "66.7%");
        assert_eq!(m[4].value_text(), "-66.7");
    }
}
