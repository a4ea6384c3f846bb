//! `csf customer ...`

use clap::{Args, Subcommand, ValueEnum};

#[derive(Subcommand, Debug)]
pub enum CustomerCmd {
    /// Add a customer
    #[command(
        after_help = "Example:\n  csf customer add acme --name 'Acme Inc' --email ops@acme.test --plan pro --mrr 49 --signed-up 2026-11-01"
    )]
    Add {
        /// The customer id (your own key, e.g. from Stripe or your app)
        id: String,
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// List customers with their stage, health and MRR
    #[command(after_help = "Example:\n  csf customer list --stage onboarding\n  csf customer list -f json")]
    List {
        /// Only customers in this stage
        #[arg(long)]
        stage: Option<StageArg>,
    },
    /// A customer's profile: health, signals, stage, tickets, NPS, billing, activity
    #[command(after_help = "Example:\n  csf customer show acme\n  csf customer show ops@acme.test -f json")]
    Show {
        /// Customer id or email
        customer: String,
    },
    /// Change a customer's fields (an empty value clears an optional field)
    #[command(
        after_help = "Example:\n  csf customer edit acme --plan enterprise --mrr 499\n  csf customer edit acme --mrr 199 --effective 2026-10-01   # an upgrade last month\n  csf customer edit acme --churned ''\n\nA new MRR is added to the customer's history (csf report revenue); past months keep theirs."
    )]
    Edit {
        /// Customer id or email
        customer: String,
        /// A new id
        #[arg(long)]
        id: Option<String>,
        /// The day a new --mrr took effect (YYYY-MM-DD, between signup and now) [default: now]
        #[arg(long, value_name = "DATE", requires = "mrr")]
        effective: Option<String>,
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// Remove a customer (refused while data refers to it, unless --force)
    #[command(after_help = "Example:\n  csf customer remove acme --force")]
    Remove {
        /// Customer id or email
        customer: String,
        /// Also remove its usage, NPS, billing, tickets and history
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args, Debug, Default)]
pub struct CustomerFields {
    /// Company or person name
    #[arg(long)]
    pub name: Option<String>,
    /// Contact email
    #[arg(long)]
    pub email: Option<String>,
    /// The person to greet in drafts ("Jane Doe": drafts say "Hi Jane")
    #[arg(long, value_name = "NAME")]
    pub contact: Option<String>,
    /// How drafts greet them, verbatim ("Dr. Watson", "team"): wins over --contact
    #[arg(long, value_name = "TEXT")]
    pub salutation: Option<String>,
    /// Plan name
    #[arg(long)]
    pub plan: Option<String>,
    /// Monthly recurring revenue, e.g. 49 or 49.00 USD
    #[arg(long)]
    pub mrr: Option<String>,
    /// Signup time [add: default now]
    #[arg(long, value_name = "TIME")]
    pub signed_up: Option<String>,
    /// Churn time (an empty value: not churned); `csf churn record` also stores the exit survey
    #[arg(long, value_name = "TIME")]
    pub churned: Option<String>,
}

/// A lifecycle stage as typed (`--stage onboarding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StageArg {
    Onboarding,
    Adoption,
    Advocacy,
    Expansion,
    Churned,
}

impl From<StageArg> for crate::domain::health::Stage {
    fn from(s: StageArg) -> Self {
        use crate::domain::health::Stage;
        match s {
            StageArg::Onboarding => Stage::Onboarding,
            StageArg::Adoption => Stage::Adoption,
            StageArg::Advocacy => Stage::Advocacy,
            StageArg::Expansion => Stage::Expansion,
            StageArg::Churned => Stage::Churned,
        }
    }
}
