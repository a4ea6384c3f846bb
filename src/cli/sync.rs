//! `csf sync`: data that arrives by itself (docs/sync.md).

use clap::{Args, Subcommand};

#[derive(Args, Debug)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Without a subcommand, every configured source runs in turn (the cron line).\n\n\
                  Examples:\n  csf sync -q && csf health score -q\n  STRIPE_API_KEY=rk_live_… csf sync stripe\n  \
                  csf sync postgres --dry-run\n  csf sync status"
)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub source: Option<SyncCmd>,
}

#[derive(Subcommand, Debug)]
pub enum SyncCmd {
    /// Read customers, subscriptions (MRR, plan, their history), cancellations and invoices from Stripe
    #[command(
        after_help = "The key comes from STRIPE_API_KEY or the 0600 file named by config stripe.key_file.\n\n\
                      Examples:\n  STRIPE_API_KEY=rk_test_… csf sync stripe --dry-run\n  csf sync stripe --full"
    )]
    Stripe {
        /// Read everything again, not only what changed since the last sync
        #[arg(long)]
        full: bool,
        /// Read and report; write nothing (cursors included)
        #[arg(long)]
        dry_run: bool,
    },
    /// Read usage (and customers) from your own PostgreSQL database with your queries, read-only
    #[command(
        after_help = "The URL comes from the environment variable named by config postgres.url_env,\n\
                      or the 0600 file named by postgres.url_file.\n\n\
                      Examples:\n  csf sync postgres --dry-run\n  csf sync postgres --full --create-missing"
    )]
    Postgres {
        /// Read from the beginning, not from the last cursor
        #[arg(long)]
        full: bool,
        /// Run the queries, validate every row and report; write nothing (cursors included)
        #[arg(long)]
        dry_run: bool,
        /// Leave out invalid rows (named on stderr) instead of refusing the whole sync
        #[arg(long)]
        skip_invalid: bool,
        /// Create customers the usage names that csf does not know (else an error)
        #[arg(long)]
        create_missing: bool,
    },
    /// Each source's last successful run and how old its data is
    #[command(after_help = "Example:\n  csf sync status\n  csf sync status -f json")]
    Status,
}
