//! `csf health ...`

use clap::{Subcommand, ValueEnum};

#[derive(Subcommand, Debug)]
pub enum HealthCmd {
    /// Score every active customer as of now and store today's snapshot (nightly)
    #[command(
        after_help = "Example:\n  csf health score\n  csf health score --fail-on critical   # exit 3 when anyone is critical (cron)"
    )]
    Score {
        /// Exit 3 (after storing the scores) when any customer is in this band or worse
        #[arg(long, value_name = "BAND")]
        fail_on: Option<FailOn>,
    },
    /// Latest scores, colour-coded by band, with the change over 7 days
    #[command(
        after_help = "Example:\n  csf health list --status at-risk --sort change\n  csf health list -f json"
    )]
    List {
        /// Only customers in this band
        #[arg(long, value_name = "BAND", value_parser = ["healthy", "neutral", "at-risk", "critical"])]
        status: Option<String>,
        /// Order: score (lowest first), name, or change (biggest drop first)
        #[arg(long, default_value = "score")]
        sort: SortBy,
    },
    /// One customer's components × weights, signals, 30-snapshot trend and action
    #[command(after_help = "Example:\n  csf health show acme")]
    Show {
        /// Customer id or email
        customer: String,
    },
    /// Customers grouped by band with the action for each
    #[command(after_help = "Example:\n  csf health alerts\n  csf health alerts --status critical")]
    Alerts {
        /// Only this band
        #[arg(long, value_name = "BAND", value_parser = ["healthy", "neutral", "at-risk", "critical"])]
        status: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    AtRisk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortBy {
    Score,
    Name,
    Change,
}
