//! `csf onboarding ...`

use clap::{Subcommand, ValueEnum};

#[derive(Subcommand, Debug)]
pub enum OnboardingCmd {
    /// Onboarding emails due today for customers in their first 28 days
    #[command(
        after_help = "Example:\n  csf onboarding due\n  csf onboarding due --mark-done\n  csf onboarding due --missed\n\nA step is due from its day for 7 days, or until the next step's day if sooner;\nafter that it is missed and never comes back."
    )]
    Due {
        /// Record the listed due steps as done
        #[arg(long, conflicts_with = "missed")]
        mark_done: bool,
        /// List the missed steps instead: past their window, never done
        #[arg(long)]
        missed: bool,
    },
    /// The activation funnel of recent signups against its targets
    #[command(
        after_help = "Example:\n  csf onboarding funnel --days 30\n  csf onboarding funnel --days 180 --cohort month -f json"
    )]
    Funnel {
        /// The cohort: customers who signed up in the last N days
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=3650))]
        days: i64,
        /// One row per signup month instead of one per metric
        #[arg(long)]
        cohort: Option<CohortBy>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CohortBy {
    Month,
}
