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
    },
    /// The Customer Success Plan as markdown (for your docs or wiki)
    #[command(
        after_help = "Example:\n  csf report plan > docs/customer-success.md\n  csf report plan --sections current-state,improvements --charts mermaid\n\nSections: current-state, top-issues, improvements, documentation, trends,\nhealth, churn-risks, onboarding, support-scaling, cadence"
    )]
    Plan {
        /// The period: the last N days, today included
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=3650))]
        days: i64,
        /// Only these sections, comma separated [default: all]
        #[arg(long, value_name = "LIST")]
        sections: Option<String>,
        /// Add charts (mermaid blocks: health bands pie, churn rate by month, first response and churn trends)
        #[arg(long, value_name = "KIND")]
        charts: Option<Charts>,
    },
    /// Each key metric per month or week, with revenue churn, health bands and MRR at risk
    #[command(
        after_help = "Each period uses the formulas of `csf report metrics` over that period; the current\nperiod is partial (up to now). Bands and MRR at risk: each active customer's latest\nsnapshot on or before the period's last day.\n\nExample:\n  csf report trends\n  csf report trends --by week --periods 8\n  csf report trends -f json"
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
