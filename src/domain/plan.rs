//! The Customer Success Plan (docs/reports.md) as data: plain structs per
//! section, the support-scaling rule and suggested plans. `render::plan`
//! writes it as markdown.

use crate::domain::metrics::Metric;
use crate::domain::trends::PeriodFigures;
use crate::money::Cents;

/// The plan's sections, in the order the plan writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    CurrentState,
    TopIssues,
    Improvements,
    Documentation,
    Trends,
    Health,
    Revenue,
    ChurnRisks,
    Onboarding,
    SupportScaling,
    Cadence,
}

impl Section {
    pub const ALL: [Section; 11] = [
        Section::CurrentState,
        Section::TopIssues,
        Section::Improvements,
        Section::Documentation,
        Section::Trends,
        Section::Health,
        Section::Revenue,
        Section::ChurnRisks,
        Section::Onboarding,
        Section::SupportScaling,
        Section::Cadence,
    ];

    /// The name `--sections` takes.
    pub fn name(self) -> &'static str {
        match self {
            Section::CurrentState => "current-state",
            Section::TopIssues => "top-issues",
            Section::Improvements => "improvements",
            Section::Documentation => "documentation",
            Section::Trends => "trends",
            Section::Revenue => "revenue",
            Section::Health => "health",
            Section::ChurnRisks => "churn-risks",
            Section::Onboarding => "onboarding",
            Section::SupportScaling => "support-scaling",
            Section::Cadence => "cadence",
        }
    }

    pub fn parse(name: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Every section's name, comma-separated (for help and errors).
    pub fn names() -> String {
        Section::ALL.map(Section::name).join(", ")
    }
}

/// Everything the plan says, gathered by `app::plan` from the store and
/// the other use cases; each section reads only its own part.
#[derive(Debug, Clone, Default)]
pub struct PlanData {
    /// The period of the metrics and the ticket counts: the last `days` days,
    /// from `period_from` to `period_to` (`YYYY-MM-DD`).
    pub days: i64,
    pub period_from: String,
    pub period_to: String,
    pub metrics: Vec<Metric>,
    /// Revenue churn over the same period (docs/reports.md), after the framework's table.
    pub revenue_churn: Option<Metric>,
    /// The last 6 calendar months (docs/reports.md), oldest first.
    pub trends: Vec<PeriodFigures>,
    /// This month's MRR movements (`YYYY-MM`, movements to date).
    pub revenue: Option<(String, crate::domain::revenue::Movements)>,
    /// Ticket categories in the period, most tickets first.
    pub categories: Vec<CategoryCount>,
    pub tickets_in_period: i64,
    /// Categories with a doc recorded (`csf ticket doc`).
    pub documented: Vec<String>,
    pub health: HealthSection,
    pub risks: Vec<RiskRow>,
    pub onboarding: OnboardingSection,
    /// Tickets created in the last 28 days (for tickets per week).
    pub tickets_4_weeks: i64,
    pub cadence: CadenceSection,
    /// (month `YYYY-MM`, churn rate) for the chart, oldest first.
    pub churn_by_month: Vec<(String, Option<f64>)>,
}

/// A ticket category with its count in the period and its stored plan (docs/tickets.md).
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryCount {
    pub category: String,
    pub tickets: i64,
    pub plan: Option<String>,
}

/// The latest health scores: customers per band and the critical ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HealthSection {
    /// Customers per band, in `Band::ALL` order: healthy, neutral, at-risk, critical.
    pub bands: [i64; 4],
    /// Lowest score first.
    pub critical: Vec<CriticalCustomer>,
    /// MRR at risk (docs/reports.md): (cents, customers in at-risk or critical,
    /// of them without MRR, counted as 0).
    pub mrr_at_risk: Option<(Cents, i64, i64)>,
    /// The default backtest (docs/health.md): (AUC, lift, samples).
    pub backtest: Option<(f64, Option<f64>, usize)>,
    /// The default backtest's figures, for its verdict sentence.
    pub measures: Option<crate::domain::backtest::Measures>,
    /// The evidence of the same window (docs/health.md#evidence).
    pub evidence: Option<crate::domain::evidence::Evidence>,
}

impl HealthSection {
    /// Whether the plan may recommend an alert on the score's bands: not when
    /// the evidence shows the warning signs are the better guide, or calls
    /// the score's alert not predictive.
    pub fn band_alerts_advised(&self) -> bool {
        !self.evidence.as_ref().is_some_and(|e| e.advise_against_band_alerts())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CriticalCustomer {
    pub customer_id: String,
    pub name: Option<String>,
    pub score: i64,
}

/// One warning sign of one customer (docs/churn.md), as `csf churn risks` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskRow {
    pub customer_id: String,
    pub name: Option<String>,
    pub signal: String,
    pub detail: String,
    pub response: String,
}

/// The onboarding funnel (docs/onboarding.md) of the recent signups against its goals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OnboardingSection {
    /// The cohort: signups in the last `cohort_days` days.
    pub cohort_days: i64,
    pub cohort_size: usize,
    /// Time to first value, activation, setup completion, D1 retention.
    pub metrics: Vec<Metric>,
}

/// What the tracking cadence (docs/reports.md) needs to say what is overdue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CadenceSection {
    /// The latest snapshot day and how many days before today it is.
    pub last_scored: Option<(crate::time::Day, i64)>,
    pub nps_90_days: i64,
    /// The stale-data warning of `csf today`, when the newest usage event is
    /// older than `data.stale_days`.
    pub stale_usage: Option<String>,
    /// Open tickets past their first-response target, oldest first.
    pub overdue: Vec<OverdueTicket>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OverdueTicket {
    pub id: String,
    pub customer: String,
    /// How far past the target, as text ("1 h 24 min").
    pub past: String,
}

/// Support scaling (docs/reports.md).
pub fn scaling(per_week: f64) -> &'static str {
    if per_week < 10.0 {
        "the founder handles all support"
    } else if per_week < 30.0 {
        "a VA for tier 1, the founder for tier 2"
    } else if per_week < 100.0 {
        "time for a part-time support hire"
    } else {
        "a dedicated support team"
    }
}

/// A starting plan for a category that has none.
pub fn suggested_plan(category: &str) -> &'static str {
    match category {
        "billing" => "a self-serve billing page and a billing FAQ; answer with a canned reply",
        "bug" | "bugs" => "triage weekly, publish known issues with workarounds, reply with the fix version",
        "onboarding" | "setup" | "getting-started" => {
            "improve the setup guide and the welcome email; offer a short call"
        }
        "feature-request" => "log requests on a public roadmap and reply with its link",
        "performance" => "measure the slow paths, fix the worst, and tell affected customers",
        "integrations" | "integration" => "a step-by-step guide per integration and a test connection button",
        "account" | "login" | "access" => "a self-serve account page and a password reset guide",
        _ => "write a help article with the standard answer and reply with a template",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_names_parse_back() {
        for s in Section::ALL {
            assert_eq!(Section::parse(s.name()), Some(s));
        }
        assert_eq!(Section::parse("cadense"), None);
        assert!(Section::names().starts_with("current-state, top-issues"));
        assert_eq!(Section::parse("revenue"), Some(Section::Revenue));
    }

    #[test]
    fn scaling_thresholds() {
        assert_eq!(scaling(9.9), "the founder handles all support");
        assert_eq!(scaling(10.0), "a VA for tier 1, the founder for tier 2");
        assert_eq!(scaling(29.9), "a VA for tier 1, the founder for tier 2");
        assert_eq!(scaling(30.0), "time for a part-time support hire");
        assert_eq!(scaling(99.9), "time for a part-time support hire");
        assert_eq!(scaling(100.0), "a dedicated support team");
    }
}
