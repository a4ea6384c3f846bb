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
        after_help = "Example:\n  csf report plan > docs/customer-success.md\n  csf report plan --sections current-state,improvements --charts mermaid\n\nSections: current-state, top-issues, improvements, documentation, health,\nchurn-risks, onboarding, support-scaling, cadence"
    )]
    Plan {
        /// The period: the last N days, today included
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=3650))]
        days: i64,
        /// Only these sections, comma separated [default: all]
        #[arg(long, value_name = "LIST")]
        sections: Option<String>,
        /// Add charts (mermaid blocks: health bands pie, churn rate by month)
        #[arg(long, value_name = "KIND")]
        charts: Option<Charts>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Charts {
    Mermaid,
}
