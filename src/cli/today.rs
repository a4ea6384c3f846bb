//! `csf today`, `done`, `skip`, `draft`, `touch`, `template ...` (docs/today.md).

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  csf today                      # the first 10 actions (today.limit), most at stake first
  csf today --all -f json        # every action due, for a script
  csf today -f markdown | mail -s 'csf today' me@example.com
  csf today --fail-on due        # exit 3 when anything is due (cron)
  csf draft rescue-acme | sendmail -t
  csf done ticket-15 winback-initech-7
  csf skip expand-globex --days 14

One action per customer, the first that applies: rescue (at-risk or critical, a warning
sign, or 30 days without usage), onboarding (the step due), winback (a churned customer's
step due), expand (healthy, steady, 28+ days a customer, untouched for 30 days).
Unanswered tickets of the last 30 days come first; stale usage data before everything.
Ranked by what is at stake: MRR, then score. Ids stay the same until done or skipped.")]
pub struct TodayArgs {
    /// Show the first N actions [default: config today.limit, 10]
    #[arg(long, value_name = "N", conflicts_with = "all", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
    /// Show every action due
    #[arg(long)]
    pub all: bool,
    /// List the skipped actions instead (with the day each comes back)
    #[arg(long)]
    pub skipped: bool,
    /// Exit 3 when any action is due, shown or not (after printing the list)
    #[arg(long, value_name = "WHEN")]
    pub fail_on: Option<FailOnDue>,
    /// Only actions of these kinds (repeatable)
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<ActionKind>,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  csf skip expand-globex                    # 7 days (a sequence step: until its window ends)
  csf skip rescue-acme --until 2026-12-15 --note 'on holiday'
  csf skip --undo rescue-acme

A skip hides an action without logging a touch (nothing happened). An id that is not
due is an error naming it, and nothing is stored.")]
pub struct SkipArgs {
    /// Action ids from `csf today`
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// Hide until this date (YYYY-MM-DD; shown again that day)
    #[arg(long, value_name = "DATE", conflicts_with = "days")]
    pub until: Option<String>,
    /// Hide for N days
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=3650))]
    pub days: Option<i64>,
    /// Why (kept with the skip)
    #[arg(long)]
    pub note: Option<String>,
    /// Bring skipped actions back
    #[arg(long, conflicts_with_all = ["until", "days", "note"])]
    pub undo: bool,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  csf draft rescue-acme                 # To:, Subject:, a blank line and the body
  csf draft rescue-acme | sendmail -t
  xdg-open \"$(csf draft rescue-acme --mailto)\"")]
pub struct DraftArgs {
    /// An action id from `csf today`
    pub id: String,
    /// Print a mailto: URL instead of the message
    #[arg(long)]
    pub mailto: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnDue {
    Due,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionKind {
    Data,
    Ticket,
    Rescue,
    Onboarding,
    Winback,
    Expand,
}

#[derive(Args, Debug)]
#[command(after_help = "Example:
  csf done ticket-15 rescue-acme --note 'called Jane, export fixed'

A ticket action records its draft as the reply (like `csf ticket reply`); onboarding and
win-back steps are marked done; every action logs a touch. An unknown or stale id is an
error naming it, and nothing is stored.")]
pub struct DoneArgs {
    /// Action ids from `csf today`
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// A note kept with the touch
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Args, Debug)]
#[command(after_help = "Example:
  csf touch acme --kind call --note 'QBR: wants SSO next quarter'

A touch keeps a customer out of `csf today`'s rescue list for 7 days and its expand
list for 30.")]
pub struct TouchArgs {
    /// Customer id or email
    pub customer: String,
    /// What happened
    #[arg(long)]
    pub note: String,
    /// How you were in touch
    #[arg(long, default_value = "note")]
    pub kind: TouchKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TouchKind {
    Call,
    Email,
    Meeting,
    Note,
}

impl TouchKind {
    pub fn name(self) -> &'static str {
        match self {
            TouchKind::Call => "call",
            TouchKind::Email => "email",
            TouchKind::Meeting => "meeting",
            TouchKind::Note => "note",
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum TemplateCmd {
    /// List the templates: shipped defaults and the ones you changed
    #[command(after_help = "Example:\n  csf template list")]
    List,
    /// Print a template's text in force
    #[command(after_help = "Example:\n  csf template show onboarding-0 > welcome.txt")]
    Show {
        /// A template name from `csf template list`
        name: String,
    },
    /// Replace a template's text with FILE (`-` reads stdin)
    #[command(after_help = "Example:\n  csf template set onboarding-0 welcome.txt\n\n\
        Placeholders: {name} {company} {product} {founder} {first_step} {feature} {reasons}\n\
        {last_active} {plan} {mrr}; the reply templates also {customer} {issue} {timeframe} {team}\n\
        {workaround} {explanation} {tip}")]
    Set {
        /// A template name from `csf template list`
        name: String,
        /// A UTF-8 text file with the new text, or `-` for standard input
        file: PathBuf,
    },
    /// Go back to the shipped text
    #[command(after_help = "Example:\n  csf template reset onboarding-0")]
    Reset {
        /// A template name from `csf template list`
        name: String,
    },
}

impl From<ActionKind> for crate::domain::today::Kind {
    fn from(k: ActionKind) -> Self {
        use crate::domain::today::Kind;
        match k {
            ActionKind::Data => Kind::Data,
            ActionKind::Ticket => Kind::Ticket,
            ActionKind::Rescue => Kind::Rescue,
            ActionKind::Onboarding => Kind::Onboarding,
            ActionKind::Winback => Kind::Winback,
            ActionKind::Expand => Kind::Expand,
        }
    }
}
