//! The six key metrics (docs/reports.md): values from plain counts, targets, the
//! status rule, and their wording in tables and the plan.

use crate::domain::settings::Settings;
use crate::domain::targets::{self, Status};
use crate::money::Cents;

/// Raw figures over the period, as the store counts them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    /// (mean hours created → first response, tickets counted) over tickets
    /// created in the period that have one.
    pub first_response: (Option<f64>, i64),
    /// (mean hours created → resolved, tickets counted) over tickets resolved in the period.
    pub resolution: (Option<f64>, i64),
    /// (ratings of 4–5, all ratings) given in the period.
    pub csat: (i64, i64),
    /// (promoters, detractors, responses) in the period.
    pub nps: (i64, i64, i64),
    /// (active at the period's start, of them churned in it).
    pub churn: (i64, i64),
    /// (tickets created in the period, customers with usage in the period).
    pub load: (i64, i64),
    /// (MRR cents of those active at the start, MRR cents of those who churned in it).
    pub revenue: (Cents, Cents),
}

/// The unit a figure is in; [`Unit::name`] is the `unit` field of JSON and CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Hours,
    Minutes,
    Percent,
    Score,
    Currency,
    /// A count of customers (the health bands of `report trends`).
    Customers,
}

impl Unit {
    pub const fn name(self) -> &'static str {
        match self {
            Unit::Hours => "hours",
            Unit::Minutes => "minutes",
            Unit::Percent => "percent",
            Unit::Score => "score",
            Unit::Currency => "currency",
            Unit::Customers => "customers",
        }
    }
}

/// Every figure csf reports: its id (the `metric` field of JSON and CSV,
/// documented in docs/json.md and docs/onboarding.md), label and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetricId {
    FirstResponseTime,
    ResolutionTime,
    Csat,
    ChurnRate,
    Nps,
    SupportLoad,
    RevenueChurn,
    MrrAtRisk,
    TimeToFirstValue,
    ActivationRate,
    SetupCompletion,
    D1Retention,
    Healthy,
    Neutral,
    AtRisk,
    Critical,
}

impl MetricId {
    /// Every metric, in the order of `report metrics`, the funnel, then the trends' band rows.
    pub const ALL: [MetricId; 16] = [
        MetricId::FirstResponseTime,
        MetricId::ResolutionTime,
        MetricId::Csat,
        MetricId::ChurnRate,
        MetricId::Nps,
        MetricId::SupportLoad,
        MetricId::RevenueChurn,
        MetricId::MrrAtRisk,
        MetricId::TimeToFirstValue,
        MetricId::ActivationRate,
        MetricId::SetupCompletion,
        MetricId::D1Retention,
        MetricId::Healthy,
        MetricId::Neutral,
        MetricId::AtRisk,
        MetricId::Critical,
    ];

    /// (id, label, unit).
    const fn spec(self) -> (&'static str, &'static str, Unit) {
        match self {
            MetricId::FirstResponseTime => ("first_response_time", "Avg first response", Unit::Hours),
            MetricId::ResolutionTime => ("resolution_time", "Resolution time", Unit::Hours),
            MetricId::Csat => ("csat", "CSAT", Unit::Percent),
            MetricId::ChurnRate => ("churn_rate", "Churn", Unit::Percent),
            MetricId::Nps => ("nps", "NPS", Unit::Score),
            MetricId::SupportLoad => ("support_load", "Support load", Unit::Percent),
            MetricId::RevenueChurn => ("revenue_churn", "Revenue churn", Unit::Percent),
            MetricId::MrrAtRisk => ("mrr_at_risk", "MRR at risk", Unit::Currency),
            MetricId::TimeToFirstValue => ("time_to_first_value", "Time to first value", Unit::Minutes),
            MetricId::ActivationRate => ("activation_rate", "Activation rate", Unit::Percent),
            MetricId::SetupCompletion => ("setup_completion", "Setup completion", Unit::Percent),
            MetricId::D1Retention => ("d1_retention", "D1 retention", Unit::Percent),
            MetricId::Healthy => ("healthy", "Healthy", Unit::Customers),
            MetricId::Neutral => ("neutral", "Neutral", Unit::Customers),
            MetricId::AtRisk => ("at_risk", "At-risk", Unit::Customers),
            MetricId::Critical => ("critical", "Critical", Unit::Customers),
        }
    }

    /// The `metric` field of JSON and CSV (a documented interface: never change one).
    pub const fn id(self) -> &'static str {
        self.spec().0
    }

    /// The name in tables, markdown and the plan.
    pub const fn label(self) -> &'static str {
        self.spec().1
    }

    pub const fn unit(self) -> Unit {
        self.spec().2
    }
}

/// A measured figure against its target: the value at full precision, the
/// verdict, and how many data points it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// Which figure: its id, label and unit.
    pub which: MetricId,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub higher_is_better: bool,
    pub status: Status,
    /// The count the figure rests on (tickets, ratings, answers, customers).
    pub sample: Option<i64>,
}

impl Metric {
    /// A figure judged against `target` by the strict rule (docs/reports.md).
    pub fn judged(
        which: MetricId,
        value: Option<f64>,
        target: f64,
        higher_is_better: bool,
        sample: Option<i64>,
    ) -> Metric {
        let status = targets::status(value, target, higher_is_better);
        Metric { which, value, target: Some(target), higher_is_better, status, sample }
    }

    pub fn id(&self) -> &'static str {
        self.which.id()
    }

    pub fn label(&self) -> &'static str {
        self.which.label()
    }

    pub fn unit(&self) -> Unit {
        self.which.unit()
    }
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// The six framework metrics (docs/reports.md), in the plan's order.
pub fn metrics(i: &Inputs, s: &Settings) -> Vec<Metric> {
    let m = |which, value: Option<f64>, key: &str, higher, n: i64| {
        Metric::judged(which, value, s.number(key), higher, Some(n))
    };
    vec![
        m(
            MetricId::FirstResponseTime,
            i.first_response.0,
            "targets.first_response_hours",
            false,
            i.first_response.1,
        ),
        m(MetricId::ResolutionTime, i.resolution.0, "targets.resolution_hours", false, i.resolution.1),
        m(MetricId::Csat, ratio(i.csat.0, i.csat.1), "targets.csat_percent", true, i.csat.1),
        m(MetricId::ChurnRate, ratio(i.churn.1, i.churn.0), "targets.churn_rate_percent", false, i.churn.0),
        m(
            MetricId::Nps,
            (i.nps.2 > 0).then(|| (i.nps.0 - i.nps.1) as f64 * 100.0 / i.nps.2 as f64),
            "targets.nps",
            true,
            i.nps.2,
        ),
        m(MetricId::SupportLoad, ratio(i.load.0, i.load.1), "targets.support_load_percent", false, i.load.1),
    ]
}

/// Revenue churn (docs/reports.md): MRR of the customers who churned in the
/// period ÷ MRR of those active at its start × 100, against the churn target.
pub fn revenue_churn(i: &Inputs, s: &Settings) -> Metric {
    Metric::judged(
        MetricId::RevenueChurn,
        i.revenue.1.percent_of(i.revenue.0),
        s.number("targets.churn_rate_percent"),
        false,
        Some(i.churn.0),
    )
}

/// The churn step when the evidence shows the warning signs foretell churn
/// better than the score's bands (docs/health.md#evidence).
pub const CHURN_STEP_BY_SIGNS: &str = "Act on the warning signs (`csf churn risks --fail-on any` nightly; here they foretold churn better than the score's alert bands), run the win-back sequence and reach out proactively to customers showing them";

/// The framework's step for a metric off target, and what it should move;
/// `None` for a figure the framework gives no step for (revenue churn, the
/// onboarding goals, the health bands and MRR at risk).
/// Returns (step, expected impact); `render` names the figure between them.
pub fn improvement(m: &Metric) -> Option<(&'static str, &'static str)> {
    match m.which {
        MetricId::FirstResponseTime => Some((
            "Turn on auto-responder acknowledgments and offer in-app chat",
            "every customer hears back within minutes, bringing the average first response under target",
        )),
        MetricId::ResolutionTime => Some((
            "Write FAQ and knowledge-base answers for the top categories, use canned responses, and set a clear escalation path",
            "repeat questions resolve in one reply, pulling resolution time under target",
        )),
        MetricId::Csat => Some((
            "Follow up personally on every rating of 3 or less and answer with the reply templates",
            "fewer unhappy tickets and a CSAT back above target",
        )),
        MetricId::Nps => Some((
            "Close the loop with every detractor in a 1:1 call and ask promoters for referrals and testimonials",
            "detractors turn passive or promoter, raising NPS",
        )),
        MetricId::ChurnRate => Some((
            "Act on health score alerts (`csf health score --fail-on at-risk` nightly), run the win-back sequence and reach out proactively to at-risk customers",
            "at-risk customers are saved before they cancel, lowering monthly churn",
        )),
        MetricId::SupportLoad => Some((
            "Grow self-serve: docs for the top categories, in-app guides and the onboarding emails",
            "fewer tickets per active customer",
        )),
        MetricId::RevenueChurn
        | MetricId::MrrAtRisk
        | MetricId::TimeToFirstValue
        | MetricId::ActivationRate
        | MetricId::SetupCompletion
        | MetricId::D1Retention
        | MetricId::Healthy
        | MetricId::Neutral
        | MetricId::AtRisk
        | MetricId::Critical => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_from_counts_at_full_precision() {
        let s = Settings::from_stored(vec![]);
        let i = Inputs {
            first_response: (Some(4.75), 4),
            resolution: (Some(30.06), 3),
            csat: (22, 25),
            nps: (5, 2, 10),
            churn: (49, 2),
            load: (2, 3),
            revenue: (Cents(10_000), Cents(2_500)),
        };
        let m = metrics(&i, &s);
        let got: Vec<(&str, Option<f64>, &str, Option<i64>)> =
            m.iter().map(|m| (m.id(), m.value, m.status.name(), m.sample)).collect();
        assert_eq!(
            got,
            [
                ("first_response_time", Some(4.75), "yellow", Some(4)),
                ("resolution_time", Some(30.06), "red", Some(3)),
                ("csat", Some(88.0), "yellow", Some(25)),
                ("churn_rate", Some(200.0 / 49.0), "green", Some(49)),
                ("nps", Some(30.0), "yellow", Some(10)),
                ("support_load", Some(200.0 / 3.0), "red", Some(3)),
            ]
        );
        assert_eq!(revenue_churn(&i, &s).value, Some(25.0));
        let none = metrics(&Inputs::default(), &s);
        assert!(none.iter().all(|m| m.value.is_none() && m.status == Status::NoData));
    }

    /// The ids are a documented interface: distinct, each with a label, and
    /// exactly the `metric` values of docs/json.md (`report metrics`, `report
    /// trends`) and docs/onboarding.md (the funnel).
    #[test]
    fn metric_ids_are_distinct_labelled_and_the_documented_set() {
        let ids: Vec<&str> = MetricId::ALL.iter().map(|m| m.id()).collect();
        let distinct: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(distinct.len(), ids.len(), "an id is used twice: {ids:?}");
        let variants: std::collections::HashSet<MetricId> = MetricId::ALL.into_iter().collect();
        assert_eq!(variants.len(), MetricId::ALL.len(), "ALL names a variant twice");
        assert!(MetricId::ALL.iter().all(|m| !m.label().is_empty()), "a label is empty");
        let json = include_str!("../../docs/json.md");
        let row = |cmd: &str| json.lines().find(|l| l.starts_with(&format!("| `{cmd}` |"))).unwrap();
        let (report, trends) = (row("report metrics"), row("report trends"));
        let funnel = include_str!("../../docs/onboarding.md");
        let documented = [
            (report, "first_response_time resolution_time csat churn_rate nps support_load mrr_at_risk revenue_churn"),
            (trends, "revenue_churn healthy neutral at_risk critical mrr_at_risk"),
            (funnel, "time_to_first_value activation_rate setup_completion d1_retention"),
        ];
        let mut want = std::collections::BTreeSet::new();
        for (doc, names) in documented {
            for id in names.split(' ') {
                assert!(doc.contains(&format!("`{id}`")), "{id} is not documented where expected");
                want.insert(id);
            }
        }
        assert_eq!(distinct, want);
    }

    /// Every metric at its default target: exactly on it misses (strict);
    /// up to 25% of the target's magnitude off is yellow; past that is red.
    #[test]
    fn every_metric_changes_colour_at_its_boundaries() {
        let s = Settings::from_stored(vec![]);
        let cases = [
            // (metric, just better, on target, 25% off, just past 25%)
            ("first_response_time", 3.999, 4.0, 5.0, 5.001),
            ("resolution_time", 23.999, 24.0, 30.0, 30.001),
            ("csat", 90.001, 90.0, 67.5, 67.499),
            ("churn_rate", 4.999, 5.0, 6.25, 6.251),
            ("nps", 40.001, 40.0, 30.0, 29.999),
            ("support_load", 9.999, 10.0, 12.5, 12.501),
        ];
        let ms = metrics(&Inputs::default(), &s);
        assert_eq!(ms.iter().map(|m| m.id()).collect::<Vec<_>>(), cases.map(|c| c.0));
        for (m, (id, better, on, off25, beyond)) in ms.iter().zip(cases) {
            let at = |v: f64| targets::status(Some(v), m.target.unwrap(), m.higher_is_better);
            assert_eq!(
                [at(better), at(on), at(off25), at(beyond)],
                [Status::Green, Status::Yellow, Status::Yellow, Status::Red],
                "{id}"
            );
        }
    }

    /// From counts, each framework target hit exactly: 4.00 h, 24.00 h,
    /// 90%, 40, 5%, 10% — none is green.
    #[test]
    fn every_target_exactly_at_its_value_from_counts_is_not_green() {
        let s = Settings::from_stored(vec![]);
        let i = Inputs {
            first_response: (Some(4.0), 5),
            resolution: (Some(24.0), 5),
            csat: (9, 10),
            nps: (5, 1, 10),
            churn: (20, 1),
            load: (1, 10),
            revenue: (Cents(1000), Cents(50)),
        };
        let m = metrics(&i, &s);
        let values: Vec<Option<f64>> = m.iter().map(|m| m.value).collect();
        assert_eq!(values, [Some(4.0), Some(24.0), Some(90.0), Some(5.0), Some(40.0), Some(10.0)]);
        assert!(m.iter().all(|m| m.status == Status::Yellow), "{m:?}");
        assert_eq!(revenue_churn(&i, &s).status, Status::Yellow);
    }
}
