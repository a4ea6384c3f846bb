//! `csf import KIND FILE ...`

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::import::ImportKind;

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  csf import customers customers.csv
  csf import usage events.csv --create-missing
  csf import nps survey.csv --map score='How likely are you to recommend us?'
  csf import billing invoices.csv --skip-invalid --rejects rejected.csv
  cat tickets.csv | csf import tickets - --dry-run
  csf import billing unified_payments.csv --from stripe-payments --create-missing
  csf import billing export.csv --date-format %m/%d/%Y
  csf import --list-presets

Validation is all or nothing: any bad row and nothing is written, unless --skip-invalid.
Re-importing the same rows replaces them (natural keys), so overlapping exports never double count.")]
pub struct ImportArgs {
    /// What the file holds
    #[arg(required_unless_present = "list_presets")]
    pub kind: Option<KindArg>,
    /// The CSV file; `-` reads standard input
    #[arg(required_unless_present = "list_presets")]
    pub file: Option<PathBuf>,
    /// Read a known export as it is: stripe-payments, stripe-invoices,
    /// stripe-customers, posthog, amplitude, zendesk, freshdesk
    #[arg(long = "from", value_name = "PRESET")]
    pub from: Option<String>,
    /// List the presets with the kind and headers each expects, and exit
    #[arg(long)]
    pub list_presets: bool,
    /// Map a field to a header of your file: FIELD=HEADER (repeatable)
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    pub map: Vec<String>,
    /// Field delimiter: `,` (default), `;`, `\t` or `tab`, or any single character
    #[arg(long, default_value = ",")]
    pub delimiter: String,
    /// Create minimal customers for unknown customer ids or emails
    #[arg(long)]
    pub create_missing: bool,
    /// Import the good rows and skip the bad ones (reported on stderr)
    #[arg(long)]
    pub skip_invalid: bool,
    /// With --skip-invalid: write the skipped rows, with a `reason` column, to this CSV file
    #[arg(long, value_name = "OUT.csv", requires = "skip_invalid")]
    pub rejects: Option<PathBuf>,
    /// With --rejects: replace an existing rejects file (never the database or the input)
    #[arg(long, requires = "rejects")]
    pub force: bool,
    /// Validate and report what would change, writing nothing
    #[arg(long)]
    pub dry_run: bool,
    /// How to read dates that are not ISO (strftime), e.g. %m/%d/%Y or "%d.%m.%Y %H:%M";
    /// ISO dates are still read as usual
    #[arg(long, value_name = "FMT")]
    pub date_format: Option<String>,
}

/// The kinds as clap values; `import::ImportKind` is what the program uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Customers,
    Usage,
    Nps,
    Billing,
    Tickets,
}

impl From<KindArg> for ImportKind {
    fn from(k: KindArg) -> ImportKind {
        match k {
            KindArg::Customers => ImportKind::Customers,
            KindArg::Usage => ImportKind::Usage,
            KindArg::Nps => ImportKind::Nps,
            KindArg::Billing => ImportKind::Billing,
            KindArg::Tickets => ImportKind::Tickets,
        }
    }
}
