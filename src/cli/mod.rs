//! The whole command tree (clap), one file per command group, with help text.

pub mod churn;
pub mod customer;
pub mod health;
pub mod import;
pub mod man;
pub mod onboarding;
pub mod report;
pub mod sync;
pub mod ticket;
pub mod today;

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::render::Format;

#[derive(Parser, Debug)]
#[command(
    name = "csf",
    args_override_self = true,
    version,
    about = "Customer Success Framework in the terminal: health scores, churn warnings, \
             due outreach, support metrics and a Customer Success Plan, over one SQLite file.",
    after_help = "Start with `csf demo`, then `csf init` and `csf import customers FILE`.\n\
                  Exit codes: 0 success, 1 error, 2 usage error, 3 alert asked for with --fail-on.\n\n\
                  Examples:\n  csf demo\n  csf import customers customers.csv\n  csf today\n  \
                  csf health alerts --status critical -f json\n  csf man > csf.1"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// "0.3.0 (schema 3)": the release and the database schema it writes.
pub fn version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| format!("{} (schema {})", env!("CARGO_PKG_VERSION"), crate::store::SCHEMA_VERSION))
}

/// The clap tree with the version that names the schema: what is parsed,
/// completed and documented.
pub fn command() -> clap::Command {
    Cli::command().version(version())
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Database file; `init`, `import`, `customer add`, `ticket open` create it (mode 0600)
    /// if missing, every other command refuses a missing file [default: <data dir>/csf/csf.db]
    #[arg(long, env = "CSF_DB", global = true, value_name = "PATH", help_heading = "Global options")]
    pub db: Option<PathBuf>,
    /// The clock for every "as of" computation: any import timestamp form; a bare date
    /// means 23:59:59 that day in config `timezone` (default UTC). Data after it is
    /// ignored [default: the system clock]
    #[arg(long, env = "CSF_NOW", global = true, value_name = "TIME", help_heading = "Global options")]
    pub now: Option<String>,
    /// Output format [default: table; markdown for `report plan`]
    #[arg(long, short = 'f', global = true, value_name = "FMT", help_heading = "Global options")]
    pub format: Option<FormatArg>,
    /// When to colour tables: auto (a terminal without NO_COLOR), always, never
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto", help_heading = "Global options")]
    pub color: ColorWhen,
    /// Only errors and the requested output: no progress, hints or summaries
    #[arg(long, short = 'q', global = true, help_heading = "Global options")]
    pub quiet: bool,
}

/// The output formats as clap values; `render::Format` is what the program uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Markdown,
    Json,
    Csv,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// What to do this morning: one action per customer, most at stake first, with drafts
    Today(today::TodayArgs),
    /// Mark actions of `csf today` done (records replies and steps, logs touches)
    Done(today::DoneArgs),
    /// Hide actions of `csf today` for a while without logging a touch
    Skip(today::SkipArgs),
    /// Print one action's draft as an email (To, Subject, body) or a mailto: URL
    Draft(today::DraftArgs),
    /// Log a touch with a customer by hand (a call, a meeting, an email)
    Touch(today::TouchArgs),
    /// Message templates: list, show, set, reset
    #[command(
        subcommand,
        after_help = "Examples:\n  csf template list\n  csf template show onboarding-0 > welcome.txt\n  csf template set onboarding-0 welcome.txt"
    )]
    Template(today::TemplateCmd),
    /// Build an example database in a temporary folder and show what csf does
    #[command(after_help = "Example:\n  csf demo\n  csf demo --now 2026-11-20")]
    Demo,
    /// Create the database and say what to do next
    #[command(after_help = "Example:\n  csf init\n  csf --db ./cs.db init --example")]
    Init {
        /// Also load the example data (the same as `csf demo`)
        #[arg(long)]
        example: bool,
    },
    /// Import a CSV file of customers, usage, nps, billing or tickets
    Import(import::ImportArgs),
    /// Add, list, show, edit and remove customers
    #[command(
        subcommand,
        after_help = "Examples:\n  csf customer list\n  csf customer show acme\n  csf customer add acme --name 'Acme Inc' --mrr 49"
    )]
    Customer(customer::CustomerCmd),
    /// Score customers' health, list scores, show one, list alerts
    #[command(
        subcommand,
        after_help = "Examples:\n  csf health score\n  csf health alerts --status critical\n  csf health show acme"
    )]
    Health(health::HealthCmd),
    /// Churn: warning signs, exit interviews, win-back steps, churn rate
    #[command(
        subcommand,
        after_help = "Examples:\n  csf churn risks\n  csf churn winback\n  csf churn rate --months 12"
    )]
    Churn(churn::ChurnCmd),
    /// Onboarding: emails due today and the activation funnel
    #[command(subcommand, after_help = "Examples:\n  csf onboarding due\n  csf onboarding funnel --days 90")]
    Onboarding(onboarding::OnboardingCmd),
    /// Reports: the key metrics and the Customer Success Plan
    #[command(
        subcommand,
        after_help = "Examples:\n  csf report metrics\n  csf report trends\n  csf report plan > plan.md"
    )]
    Report(report::ReportCmd),
    /// Support tickets: open, reply with templates, resolve, close, list, show
    #[command(
        subcommand,
        after_help = "Examples:\n  csf ticket list --overdue\n  csf ticket show T1\n  csf ticket reply T1 --template ack"
    )]
    Ticket(ticket::TicketCmd),
    /// Read data from Stripe and your own PostgreSQL: `csf sync` runs every configured source
    Sync(sync::SyncArgs),
    /// Show and change settings stored in the database
    #[command(
        subcommand,
        after_help = "Examples:\n  csf config list\n  csf config set health.weights 50,20,20,10"
    )]
    Config(ConfigCmd),
    /// Write a consistent copy of the database to PATH (safe while other commands run)
    #[command(after_help = "Example:\n  csf backup ~/backups/csf-$(date +%F).db")]
    Backup {
        /// Where to write the copy (must not exist)
        path: PathBuf,
        /// Copy a database that fails the integrity check as it is
        #[arg(long)]
        force: bool,
    },
    /// Put a backup in place: checked, under the write lock, atomically; the old file is kept
    /// as NAME.before-restore (never copy a backup by hand over a database with a -wal beside it)
    #[command(after_help = "Example:\n  csf restore ~/backups/csf-2026-11-20.db")]
    Restore {
        /// A backup made by `csf backup`
        backup: PathBuf,
    },
    /// Check the database: integrity and foreign keys
    #[command(after_help = "Example:\n  csf check && echo ok")]
    Check,
    /// Print shell completions
    #[command(
        after_help = "Example:\n  csf completions bash > ~/.local/share/bash-completion/completions/csf"
    )]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    #[command(after_help = "Example:\n  csf man > csf.1 && man ./csf.1")]
    Man,
}

#[derive(Subcommand, Debug)]
pub enum ConfigCmd {
    /// List every key with its value in force, default and description
    #[command(after_help = "Example:\n  csf config list")]
    List,
    /// Print one key's value in force
    #[command(after_help = "Example:\n  csf config get health.weights")]
    Get {
        /// A key from `csf config list`
        key: String,
    },
    /// Set a key (refused with the reason when invalid)
    #[command(
        after_help = "Example:\n  csf config set health.weights 50,20,20,10\n  csf config set health.core_features reports,export,alerts"
    )]
    Set {
        /// A key from `csf config list`
        key: String,
        /// Its new value (checked; refused with the reason when invalid)
        value: String,
        /// Change `currency` although amounts are stored (it relabels every amount)
        #[arg(long)]
        force: bool,
    },
    /// Return a key to its default
    #[command(after_help = "Example:\n  csf config unset health.core_features")]
    Unset {
        /// A key from `csf config list`
        key: String,
    },
}
