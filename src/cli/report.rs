//! `csf report ...`

use clap::{Subcommand, ValueEnum};

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// The six key metrics against their targets
    #[command(after_help = "Example:\n  csf report metrics --days 30\n  csf report metrics -f json")]
    Metrics {
        /// The period: the last N days, today included
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=3650))]
        days: i64,
        /// The six metrics per plan (each customer's current plan)
        #[arg(long, value_name = "WHAT")]
        by: Option<SplitBy>,
    },
    /// The Customer Success Plan as markdown (for your docs or wiki)
    #[command(
        after_help = "Example:\n  csf report plan > docs/customer-success.md\n  csf report plan --sections current-state,improvements --charts mermaid\n\nSections: current-state, top-issues, improvements, documentation, trends,\nhealth, revenue, churn-risks, onboarding, support-scaling, cadence"
    )]
    Plan {
        /// The period: the last N days, today included
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=3650))]
        days: i64,
        /// Only these sections, comma separated [default: all]
        #[arg(long, value_name = "LIST")]
        sections: Option<String>,
        /// Add charts (mermaid blocks: health bands pie, churn rate by month, first response and churn trends); `--charts` alone means mermaid
        #[arg(long, value_name = "KIND", num_args = 0..=1, default_missing_value = "mermaid")]
        charts: Option<Charts>,
    },
    /// MRR movements per month: new, expansion, contraction, churned, reactivation; NRR and GRR
    #[command(
        after_help = "Each month: MRR at start + new + expansion − contraction − churned + reactivation = MRR at\nend, exactly, from each customer's MRR history (csf customer edit --mrr --effective).\n\nExample:\n  csf report revenue\n  csf report revenue --months 6 --by plan -f json"
    )]
    Revenue {
        /// How many months, the current one included
        #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=120))]
        months: u32,
        /// One row per plan per month (by each customer's current plan)
        #[arg(long, value_name = "WHAT")]
        by: Option<SplitBy>,
    },
    /// Signup cohorts: how many customers (or how much MRR) each month's signups keep
    #[command(
        after_help = "Rows are signup months; column N is N months after signup. Logos: % of the cohort still a\ncustomer at the end of that month. Revenue: % of the cohort's MRR at the end of its signup\nmonth still paid then (above 100% when expansion beats churn).\n\nExample:\n  csf report cohorts\n  csf report cohorts --metric revenue --months 6 -f markdown"
    )]
    Cohorts {
        /// How many signup months, the current one included
        #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=120))]
        months: u32,
        /// What a cell counts
        #[arg(long, default_value = "logos")]
        metric: CohortMetricArg,
    },
    /// Each key metric per month or week, with revenue churn, health bands and MRR at risk
    #[command(
        after_help = "Each period uses the formulas of `csf report metrics` over that period; the current\nperiod is partial (\"to date\", left out of the sparkline and the comparison). By week,\nchurn, revenue churn and support load are judged against their monthly target x 7/30.\nA figure from fewer than `targets.min_sample` (5) observations shows its n and is n/a.\nBands and MRR at risk: each active customer's last snapshot in the period (past days:\n`csf health score --backfill`).\n\nExample:\n  csf report trends\n  csf report trends --by week --periods 8\n  csf report trends -f json"
    )]
    Trends {
        /// Calendar months or ISO weeks (Monday to Sunday)
        #[arg(long, default_value = "month")]
        by: ByArg,
        /// How many periods, the current one included
        #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=120))]
        periods: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitBy {
    Plan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CohortMetricArg {
    /// The share of the cohort still a customer
    Logos,
    /// The share of the cohort's first-month MRR still paid
    Revenue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Week,
    Month,
}

impl From<ByArg> for crate::domain::trends::By {
    fn from(b: ByArg) -> Self {
        match b {
            ByArg::Week => crate::domain::trends::By::Week,
            ByArg::Month => crate::domain::trends::By::Month,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Charts {
    Mermaid,
}
