//! CSV import (docs/import.md): streaming reading with header aliases, value
//! parsing, per-kind validation, and all-or-nothing writing in one
//! transaction with idempotent natural keys.

pub mod feed;
pub mod fields;
pub mod input;
mod keys;
mod kinds;
pub mod presets;
mod reader;
pub mod rejects;
mod rows;
mod usage_batch;
pub mod values;
mod writer;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use rusqlite::{params, Connection, Transaction};

use reader::{check_utf8, header_hint, read_error, Scanner};
pub use reader::{too_long_message, MAX_RECORD};
pub use writer::category_key;
use writer::{RowFatal, Writer, Written};

/// What a file holds (docs/import.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Customers,
    Usage,
    Nps,
    Billing,
    Tickets,
}

impl ImportKind {
    pub const ALL: [ImportKind; 5] =
        [ImportKind::Customers, ImportKind::Usage, ImportKind::Nps, ImportKind::Billing, ImportKind::Tickets];

    pub fn name(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::Usage => "usage",
            ImportKind::Nps => "nps",
            ImportKind::Billing => "billing",
            ImportKind::Tickets => "tickets",
        }
    }

    pub fn from_name(name: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// How to read and write one file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// `--map FIELD=HEADER`.
    pub map: Vec<(String, String)>,
    pub delimiter: u8,
    pub create_missing: bool,
    pub skip_invalid: bool,
    pub rejects: Option<PathBuf>,
    /// `--force`: the rejects file may replace an existing one.
    pub force_rejects: bool,
    pub dry_run: bool,
    /// `--from PRESET`.
    pub preset: Option<&'static presets::Preset>,
    /// `--date-format FMT` (strftime): how to read timestamps that are not ISO.
    pub date_format: Option<String>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            map: Vec::new(),
            delimiter: b',',
            create_missing: false,
            skip_invalid: false,
            rejects: None,
            force_rejects: false,
            dry_run: false,
            preset: None,
            date_format: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows_read: u64,
    pub inserted: u64,
    /// Rows that changed what was stored.
    pub updated: u64,
    /// Rows equal to what was stored (customers): nothing written.
    pub unchanged: u64,
    pub skipped: u64,
    pub customers_created: u64,
}

/// One bad row: where, which column, which value, what is wrong.
#[derive(Debug, Clone)]
pub struct Problem {
    pub line: u64,
    pub column: Option<&'static str>,
    pub value: String,
    pub message: String,
}

impl Problem {
    /// The problem as one line; control characters in the file's data
    /// are shown as escapes (`\x1b`), never sent to the terminal.
    pub fn render(&self, source: &str) -> String {
        let s = match self.column {
            Some(c) => format!("{source}:{}: column \"{c}\": \"{}\" {}", self.line, self.value, self.message),
            None => format!("{source}:{}: {}", self.line, self.message),
        };
        crate::escape::visible(&s).into_owned()
    }
}

/// Problems shown before "... and N more".
pub const SHOWN_PROBLEMS: usize = 20;

/// The outcome of a failed validation: the problems, for the caller to print.
#[derive(Debug)]
pub struct Invalid {
    pub source: String,
    pub problems: Vec<Problem>,
    pub total: u64,
    pub unknown_customers: BTreeSet<String>,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for p in &self.problems {
            writeln!(f, "{}", p.render(&self.source))?;
        }
        if self.total > self.problems.len() as u64 {
            writeln!(f, "... and {} more problems", self.total - self.problems.len() as u64)?;
        }
        if !self.unknown_customers.is_empty() {
            let list: Vec<&str> = self.unknown_customers.iter().take(20).map(String::as_str).collect();
            let more = self.unknown_customers.len().saturating_sub(20);
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            writeln!(
                f,
                "unknown customers: {}{more} — add them first (csf import customers), or pass \
                 --create-missing to create them",
                list.join(", ")
            )?;
        }
        write!(
            f,
            "error: {}: {} invalid row{}; nothing was imported — fix {}, or pass --skip-invalid to \
             import the good rows",
            self.source,
            self.total,
            if self.total == 1 { "" } else { "s" },
            if self.total == 1 { "it" } else { "them" }
        )
    }
}

impl std::error::Error for Invalid {}

/// Imports CSV text (the demo's example data): all or nothing, unknown
/// customers created.
pub fn import_text(conn: &mut Connection, kind: ImportKind, text: &str, now: i64) -> Result<Summary> {
    let opts = ImportOptions { create_missing: true, ..ImportOptions::default() };
    import(conn, kind, text.as_bytes(), "example", &opts, now, None)
}

/// Imports one CSV stream. Validation is all or nothing unless
/// `opts.skip_invalid`; on failure the returned error is an [`Invalid`] and
/// nothing is written.
pub fn import(
    conn: &mut Connection,
    kind: ImportKind,
    input: impl Read,
    source: &str,
    opts: &ImportOptions,
    now: i64,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<Summary> {
    let started = now;
    // Rows refer to customers and event names this import has just looked up
    // or created in the same transaction, so the per-row foreign key lookups
    // are redundant; they are switched off for the import (a pragma that only
    // takes effect outside a transaction) and back on afterwards.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = import_in_tx(conn, kind, input, source, opts, now, progress, started);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    result
}

#[allow(clippy::too_many_arguments)]
fn import_in_tx(
    conn: &mut Connection,
    kind: ImportKind,
    input: impl Read,
    source: &str,
    opts: &ImportOptions,
    now: i64,
    progress: Option<&indicatif::ProgressBar>,
    started: i64,
) -> Result<Summary> {
    let db = conn.path().unwrap_or_default().to_string();
    let tx = Transaction::new(conn, rusqlite::TransactionBehavior::Immediate).map_err(|e| {
        let e = anyhow::Error::from(e)
            .context("could not start a write transaction (is the database locked by a long job?)");
        crate::store::storage_error(e, &db)
    })?;
    let counter = Scanner::new(input, opts.delimiter);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(opts.delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(counter);
    let mut rec = csv::ByteRecord::new();
    let has_header = rdr.read_byte_record(&mut rec).map_err(|e| read_error(source, e, rdr.get_ref()))?;
    let header_line = rdr.get_mut().starts.pop_front().unwrap_or(1);
    if !has_header {
        bail!("{source} is empty: a CSV file needs a header row ({})", header_hint(kind));
    }
    check_utf8(source, header_line, &rec, &[])?;
    let mut headers = Vec::with_capacity(rec.len());
    for (i, h) in rec.iter().map(String::from_utf8_lossy).enumerate() {
        headers.push(if i == 0 { h.trim_start_matches('\u{feff}').to_string() } else { h.into_owned() });
    }
    let resolved = fields::resolve(kind, &headers, &opts.map, opts.preset, source).map_err(|e| anyhow!(e))?;
    let mut w = Writer::new(&tx, kind, resolved, opts.preset, opts.create_missing, now)?;
    w.date_format = opts.date_format.clone();
    let mut rejects = match &opts.rejects {
        Some(p) if !opts.dry_run => {
            // Written beside the target and renamed into place only after the
            // import commits: a failed import leaves an old file as it was.
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let f =
                tempfile::Builder::new().prefix(".csf-rejects-").tempfile_in(&dir).with_context(|| {
                    format!("could not create the rejects file {} (pass --force to replace it)", p.display())
                })?;
            let mut wr = csv::Writer::from_writer(f);
            // The header is the file's data too: defused like the cells.
            let mut head: Vec<Vec<u8>> = headers.iter().map(|h| rejects::defuse(h.as_bytes())).collect();
            head.push(b"reason".to_vec());
            wr.write_record(&head)?;
            Some(wr)
        }
        _ => None,
    };
    let mut summary = Summary::default();
    let mut problems: Vec<Problem> = Vec::new();
    let mut total_problems = 0u64;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(read_error(source, e, rdr.get_ref())),
        }
        // The scanner saw this record start first (it reads ahead of the parser).
        let line = rdr.get_mut().starts.pop_front().unwrap_or(0);
        check_utf8(source, line, &rec, &headers)?;
        summary.rows_read += 1;
        if let Some(pb) = progress {
            if summary.rows_read % 4096 == 0 {
                pb.set_position(rdr.get_ref().bytes);
            }
        }
        let outcome = if rec.len() > headers.len() {
            Err(Problem {
                line,
                column: None,
                value: String::new(),
                message: format!(
                    "has {} fields but the header has {} — quote fields that contain the delimiter",
                    rec.len(),
                    headers.len()
                ),
            })
        } else {
            match w.row(&rec, line) {
                Ok(outcome) => outcome,
                Err(RowFatal::Db(e)) => return Err(input::storage_error(&db, source, line, e)),
                Err(RowFatal::Conflict(m)) => bail!("{source}:{line}: {m}"),
            }
        };
        match outcome {
            Ok(Written::Inserted) => summary.inserted += 1,
            Ok(Written::Updated) => summary.updated += 1,
            Ok(Written::Unchanged) => summary.unchanged += 1,
            Ok(Written::Batched) => {}
            Err(p) => {
                total_problems += 1;
                summary.skipped += 1;
                if let Some(wr) = rejects.as_mut() {
                    let mut row: Vec<Vec<u8>> = rec.iter().map(rejects::defuse).collect();
                    row.resize(headers.len(), Vec::new());
                    row.push(p.render(source).into_bytes());
                    wr.write_record(&row)?;
                }
                if problems.len() < SHOWN_PROBLEMS {
                    problems.push(p);
                }
            }
        }
    }
    // The csv parser accepts end of input inside quotes; the scanner knows
    // whether a quoted field was left open (a truncated file), and where.
    if let Some(open) = rdr.get_ref().unclosed_quote() {
        bail!(
            "{source}:{open}: a quoted field that opens on this line is never closed (is the \
             file truncated?); nothing was imported — close the quote or re-export the file"
        );
    }
    if total_problems > 0 && !opts.skip_invalid {
        return Err(Invalid {
            source: source.to_string(),
            problems,
            total: total_problems,
            unknown_customers: std::mem::take(&mut w.unknown),
        }
        .into());
    }
    summary.customers_created = w.created;
    w.finish().map_err(|e| input::storage_error(&db, source, 0, e))?;
    summary.inserted += w.usage.inserted;
    summary.updated += w.usage.updated;
    summary.unchanged += w.usage.unchanged;
    drop(w);
    let rejects = match rejects {
        Some(wr) => {
            Some(wr.into_inner().map_err(|e| anyhow!("could not write the rejects file: {}", e.error()))?)
        }
        None => None,
    };
    if opts.skip_invalid && total_problems > 0 {
        for p in &problems {
            eprintln!("skipped {}", p.render(source));
        }
        if total_problems > problems.len() as u64 {
            eprintln!("... and {} more skipped rows", total_problems - problems.len() as u64);
        }
    }
    if opts.dry_run {
        tx.rollback()?;
        return Ok(summary);
    }
    tx.execute(
        "INSERT INTO import_log (kind, file, started_at, finished_at, rows_read, inserted, updated, skipped)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            kind.name(),
            source,
            started,
            now,
            summary.rows_read as i64,
            summary.inserted as i64,
            summary.updated as i64,
            summary.skipped as i64
        ],
    )
    .map_err(|e| input::storage_error(&db, source, 0, e))?;
    tx.commit().map_err(|e| input::storage_error(&db, source, 0, e))?;
    if let (Some(f), Some(p)) = (rejects, &opts.rejects) {
        let done =
            if opts.force_rejects { f.persist(p).map(|_| ()) } else { f.persist_noclobber(p).map(|_| ()) };
        done.map_err(|e| {
            anyhow!(
                "the import was stored, but the rejects could not be written to {}: {} — run it again with \
                 another --rejects path to get them",
                p.display(),
                e.error
            )
        })?;
    }
    Ok(summary)
}
