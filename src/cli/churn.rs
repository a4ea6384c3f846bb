//! `csf churn ...`

use clap::{Subcommand, ValueEnum};

#[derive(Subcommand, Debug)]
pub enum ChurnCmd {
    /// The five warning signs with the figures behind them and the response
    #[command(
        after_help = "Example:\n  csf churn risks\n  csf churn risks --signal usage-drop --signal payment-failure\n  csf -q churn risks --fail-on any   # exit 3 when any risk exists (cron)"
    )]
    Risks {
        /// Only these signals (repeatable)
        #[arg(long, value_name = "SIGNAL")]
        signal: Vec<RiskSignal>,
        /// Exit 3 (after printing) when a risk exists
        #[arg(long, value_name = "any")]
        fail_on: Option<FailOnRisk>,
    },
    /// Mark a customer churned and store the exit survey
    #[command(
        after_help = "Example:\n  csf churn record acme --reason too-expensive --better 'A cheaper plan for 2 seats' --return maybe"
    )]
    Record {
        /// Customer id or email
        customer: String,
        /// Churn time [default: now]
        #[arg(long, value_name = "TIME")]
        date: Option<String>,
        /// The main reason
        #[arg(long)]
        reason: Option<ReasonArg>,
        /// With --reason other: the reason in their words
        #[arg(long, value_name = "TEXT")]
        reason_other: Option<String>,
        /// What could we have done better?
        #[arg(long, value_name = "TEXT")]
        better: Option<String>,
        /// Would they consider coming back?
        #[arg(long = "return", value_name = "ANSWER", value_parser = ["yes", "maybe", "unlikely", "no"])]
        return_answer: Option<String>,
    },
    /// Reactivate a churned customer: the churn stays in the history and the return is recorded
    #[command(
        long_about = "Reactivate a churned customer. The churn and its exit answers stay in the \
                      history (past months keep it) and the return takes effect now, or at --date; \
                      the month of the return counts a reactivation. To remove a churn recorded by \
                      mistake, as if it never happened, use --erase.",
        after_help = "Examples:\n  csf churn undo acme\n  csf churn undo acme --date 2026-11-18\n  \
                      csf churn undo acme --erase    # the churn was a mistake"
    )]
    Undo {
        /// Customer id or email
        customer: String,
        /// When the customer came back (default: now)
        #[arg(long, value_name = "DATE", conflicts_with = "erase")]
        date: Option<String>,
        /// Remove the latest churn (and its return, if any) from the history, as if it never happened
        #[arg(long)]
        erase: bool,
    },
    /// Print the exit survey as markdown
    #[command(after_help = "Example:\n  csf churn survey > exit-survey.md")]
    Survey,
    /// Counts of churn reasons and return answers, with the share of MRR lost
    #[command(after_help = "Example:\n  csf churn reasons -f markdown")]
    Reasons,
    /// Win-back steps due today (churned or inactive 30 days)
    #[command(after_help = "Example:\n  csf churn winback\n  csf churn winback --mark-done --customer acme")]
    Winback {
        /// Record the listed due steps as done
        #[arg(long, conflicts_with = "missed")]
        mark_done: bool,
        /// List the missed steps instead: past their 7-day window, never done
        #[arg(long)]
        missed: bool,
        /// Only this customer (id or email)
        #[arg(long)]
        customer: Option<String>,
    },
    /// Churn rate per calendar month, against the target
    #[command(after_help = "Example:\n  csf churn rate --months 12")]
    Rate {
        /// How many months, ending with the current one
        #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=120))]
        months: u32,
        /// One row per plan per month (each customer's current plan)
        #[arg(long, value_name = "WHAT")]
        by: Option<crate::cli::report::SplitBy>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RiskSignal {
    UsageDrop,
    SupportSpike,
    NegativeFeedback,
    PaymentFailure,
    FeatureRequests,
}

impl From<RiskSignal> for crate::domain::churn::Signal {
    fn from(s: RiskSignal) -> Self {
        use crate::domain::churn::Signal;
        match s {
            RiskSignal::UsageDrop => Signal::UsageDrop,
            RiskSignal::SupportSpike => Signal::SupportSpike,
            RiskSignal::NegativeFeedback => Signal::NegativeFeedback,
            RiskSignal::PaymentFailure => Signal::PaymentFailure,
            RiskSignal::FeatureRequests => Signal::FeatureRequests,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnRisk {
    Any,
}

/// An exit reason as typed (`--reason too-expensive`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReasonArg {
    FoundAlternative,
    NoLongerNeed,
    TooExpensive,
    MissingFeatures,
    PoorExperience,
    Other,
}

impl From<ReasonArg> for crate::domain::churn::ChurnReason {
    fn from(r: ReasonArg) -> Self {
        use crate::domain::churn::ChurnReason;
        match r {
            ReasonArg::FoundAlternative => ChurnReason::FoundAlternative,
            ReasonArg::NoLongerNeed => ChurnReason::NoLongerNeed,
            ReasonArg::TooExpensive => ChurnReason::TooExpensive,
            ReasonArg::MissingFeatures => ChurnReason::MissingFeatures,
            ReasonArg::PoorExperience => ChurnReason::PoorExperience,
            ReasonArg::Other => ChurnReason::Other,
        }
    }
}
