//! `csf ticket ...`

use clap::{Subcommand, ValueEnum};

#[derive(Subcommand, Debug)]
pub enum TicketCmd {
    /// Open a ticket; prints only its new id on stdout
    #[command(
        after_help = "Example:\n  id=$(csf ticket open acme \"Export fails\" --channel chat --category bug)"
    )]
    Open {
        /// Customer id or email
        customer: String,
        /// What the ticket is about
        subject: String,
        /// Category (e.g. billing, bug, onboarding, feature-request)
        #[arg(long)]
        category: Option<String>,
        #[arg(long, default_value = "normal")]
        priority: Priority,
        /// Where it came in: email (24 h target), chat (1 h), call, docs (no target)
        #[arg(long)]
        channel: Option<Channel>,
    },
    /// Reply: prints the reply text on stdout; the first reply sets the first response time
    #[command(
        after_help = "Examples:\n  csf ticket reply 12 --template ack --set timeframe='2 hours' | pbcopy\n  csf ticket reply 12 --message 'Fixed in 2.3.1, please update.'\n\nTemplates: ack, resolution, escalation, or your own in <config dir>/csf/templates/NAME.txt"
    )]
    Reply {
        /// Ticket id
        id: String,
        /// A reply template: ack, resolution, escalation or your own
        #[arg(long, conflicts_with = "message")]
        template: Option<String>,
        /// Fill a placeholder: KEY=VALUE (repeatable)
        #[arg(long = "set", value_name = "KEY=VALUE", requires = "template")]
        set: Vec<String>,
        /// A free reply instead of a template
        #[arg(long)]
        message: Option<String>,
    },
    /// Add a diagnosis note to the timeline
    #[command(after_help = "Example:\n  csf ticket note 12 'Reproduced on Safari 17; CSV export > 10 MB'")]
    Note {
        /// Ticket id
        id: String,
        /// The note (quote it)
        text: String,
    },
    /// Escalate (to a teammate or tier 2); send the customer `reply --template escalation`
    #[command(after_help = "Example:\n  csf ticket escalate 12 --note 'Needs a DB fix'")]
    Escalate {
        /// Ticket id
        id: String,
        /// Why, kept on the timeline
        #[arg(long)]
        note: Option<String>,
    },
    /// Mark resolved (a reply is not required first)
    #[command(after_help = "Example:\n  csf ticket resolve 12 --note 'Fixed in 2.3.1'")]
    Resolve {
        /// Ticket id
        id: String,
        /// How it was resolved, kept on the timeline
        #[arg(long)]
        note: Option<String>,
    },
    /// Close after the follow-up (resolves it too if needed), optionally with the CSAT rating
    #[command(after_help = "Example:\n  csf ticket close 12 --csat 5")]
    Close {
        /// Ticket id
        id: String,
        /// Customer satisfaction 1-5
        #[arg(long, value_name = "1-5")]
        csat: Option<String>,
    },
    /// Record the customer's CSAT rating (1-5)
    #[command(after_help = "Example:\n  csf ticket rate 12 4")]
    Rate {
        /// Ticket id
        id: String,
        /// The rating, 1 (very unhappy) to 5 (very happy)
        rating: String,
    },
    /// Tickets with their first-response target: time left, or how far past it
    #[command(after_help = "Example:\n  csf ticket list --open\n  csf ticket list --overdue -f json")]
    List {
        /// Only tickets not yet resolved
        #[arg(long)]
        open: bool,
        /// Only this customer's (id or email)
        #[arg(long)]
        customer: Option<String>,
        /// Only tickets past their first-response target
        #[arg(long)]
        overdue: bool,
    },
    /// A ticket's timeline, first response and resolution times
    #[command(after_help = "Example:\n  csf ticket show 12")]
    Show {
        /// Ticket id
        id: String,
    },
    /// Resolved tickets not yet closed: confirm, ask for feedback, update docs
    #[command(after_help = "Example:\n  csf ticket followups")]
    Followups,
    /// Store (or show) the resolution plan for a category; it feeds the plan's Top Issues
    #[command(
        after_help = "Example:\n  csf ticket plan billing 'Self-serve invoice page; FAQ on VAT'\n  csf ticket plan"
    )]
    Plan { category: Option<String>, text: Option<String> },
    /// Record (or list) a doc that covers a category
    #[command(
        after_help = "Example:\n  csf ticket doc billing https://docs.example.com/billing\n  csf ticket doc"
    )]
    Doc { category: Option<String>, url: Option<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Channel {
    Email,
    Chat,
    Call,
    Docs,
}

impl Priority {
    pub fn name(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
}

impl From<Channel> for crate::domain::tickets::Channel {
    fn from(c: Channel) -> Self {
        use crate::domain::tickets::Channel as C;
        match c {
            Channel::Email => C::Email,
            Channel::Chat => C::Chat,
            Channel::Call => C::Call,
            Channel::Docs => C::Docs,
        }
    }
}
