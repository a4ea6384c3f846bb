//! `csf today`, `csf done`, `csf touch`, `csf template ...` (SPEC §13).

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  csf today                      # the morning's actions, most urgent first, with drafts
  csf today -f markdown | mail -s 'csf today' me@example.com
  csf today --fail-on due        # exit 3 when anything is due (cron)
  csf done ticket-15 winback-initech-7

Kinds, in order: ticket (unanswered, past target first), rescue (at-risk or critical,
no touch in 7 days), winback and onboarding (steps due), expand (healthy, no touch in
30 days, no expand in 90). Ids stay the same every morning until the action is done.")]
pub struct TodayArgs {
    /// Exit 3 when any action is due (after printing the list)
    #[arg(long, value_name = "WHEN")]
    pub fail_on: Option<FailOnDue>,
    /// Only actions of these kinds (repeatable): ticket, rescue, winback, onboarding, expand
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<ActionKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnDue {
    Due,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionKind {
    Ticket,
    Rescue,
    Winback,
    Onboarding,
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
        Placeholders: {name} {company} {product} {founder} {first_step} {feature};\n\
        the reply templates: {customer} {issue} {timeframe} {team} {workaround} {explanation} {tip}")]
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
