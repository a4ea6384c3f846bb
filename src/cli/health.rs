//! `csf health ...`

use clap::{Args, Subcommand, ValueEnum};

#[derive(Subcommand, Debug)]
pub enum HealthCmd {
    /// Score every active customer as of now and store today's snapshot (nightly)
    #[command(
        after_help = "Example:\n  csf health score\n  csf health score --fail-on critical   # exit 3 when anyone is critical (cron)\n  csf health score --backfill           # fill in the snapshots of past days (once, after an import)"
    )]
    Score {
        /// Exit 3 (after storing the scores) when any customer is in this band or worse
        #[arg(long, value_name = "BAND", conflicts_with = "backfill")]
        fail_on: Option<FailOn>,
        /// Store the snapshots each past day (up to yesterday) would have had; existing ones are kept
        #[arg(long)]
        backfill: bool,
        /// First day to backfill [default: the first signup day, at most 400 days back]
        #[arg(long, value_name = "DATE", requires = "backfill")]
        from: Option<String>,
    },
    /// Latest scores, colour-coded by band, with the change over 7 days
    #[command(
        after_help = "Example:\n  csf health list --status at-risk --sort change\n  csf health list -f json"
    )]
    List {
        /// Only customers in this band
        #[arg(long, value_name = "BAND")]
        status: Option<BandArg>,
        /// Order: score (lowest first), name, change (biggest drop first) or mrr (highest first)
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
        #[arg(long, value_name = "BAND")]
        status: Option<BandArg>,
    },
    /// Replay past cutoffs and measure how well the score foretold churn (AUC, lift, bands)
    #[command(
        after_help = "Cutoffs are --from, --from + every, ... up to --to, each at 23:59:59 in the configured timezone; a sample\nis a customer active at a cutoff, scored as `csf --now CUTOFF health score` would; it churned\nwhen churned within --horizon days after. Nothing is written.\n\nExample:\n  csf health backtest\n  csf health backtest --from 2025-01-31 --to 2025-12-31 --every 30 --weights 25,25,25,25 --missed"
    )]
    Backtest {
        #[command(flatten)]
        window: WindowArgs,
        /// Score with these weights (U,E,S,P) instead of the configured ones
        #[arg(long, value_name = "U,E,S,P")]
        weights: Option<String>,
        /// List the churned samples that were scored healthy
        #[arg(long)]
        missed: bool,
        /// Also list every sample with its components (JSON `sample_list`; for checking)
        #[arg(long, hide = true)]
        samples: bool,
    },
    /// Measure which signs foretold churn here: bands, each warning sign, any sign, the score's alert
    #[command(
        after_help = "The same cutoffs, samples and outcome as `csf health backtest`. Risk is a predictor's churn\n\
                      rate pulled toward the base rate (a pseudo-count of 10); lift is risk ÷ the base rate;\n\
                      catch is the share of leavers it flagged. With the default window the measurement is\n\
                      stored, and `csf today` ranks rescues by it (`csf health score` refreshes it weekly).\n\n\
                      Example:\n  csf health evidence\n  csf health evidence --missed-why\n  csf health evidence -f json"
    )]
    Evidence {
        #[command(flatten)]
        window: WindowArgs,
        /// Also list the leavers the score called healthy, with the signs each had at the cutoff
        #[arg(long)]
        missed_why: bool,
    },
    /// Search the weight grid for the weights that best foretold churn (fit on older cutoffs, check on newer)
    #[command(
        after_help = "Example:\n  csf health tune\n  csf health tune --step 10 --apply   # set health.weights only if the check AUC improves"
    )]
    Tune {
        #[command(flatten)]
        window: WindowArgs,
        /// Grid step: weights are multiples of it summing to 100 (must divide 100)
        #[arg(long, default_value_t = 5, value_name = "N")]
        step: u32,
        /// Set health.weights to the best weights when their check AUC beats the current ones'
        #[arg(long)]
        apply: bool,
    },
}

/// The backtest window (docs/health.md).
#[derive(Args, Debug, Clone)]
pub struct WindowArgs {
    /// First cutoff date [default: --to minus 11 × --every]
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last cutoff date [default: today minus --horizon]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Days between cutoffs [default: 30]
    #[arg(long, value_name = "DAYS")]
    pub every: Option<i64>,
    /// Days after a cutoff in which a churn counts [default: 90]
    #[arg(long, value_name = "DAYS")]
    pub horizon: Option<i64>,
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
    Mrr,
}

/// A band as typed (`--status at-risk`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BandArg {
    Healthy,
    Neutral,
    AtRisk,
    Critical,
}

impl From<BandArg> for crate::domain::health::Band {
    fn from(b: BandArg) -> Self {
        use crate::domain::health::Band;
        match b {
            BandArg::Healthy => Band::Healthy,
            BandArg::Neutral => Band::Neutral,
            BandArg::AtRisk => Band::AtRisk,
            BandArg::Critical => Band::Critical,
        }
    }
}
