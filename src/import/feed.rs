//! Rows that arrive as values instead of a file (a source's query result):
//! validated and written by the import's own writer, inside the caller's
//! transaction, so that a sync and an import can never disagree about a row.

use anyhow::{anyhow, bail, Result};
use rusqlite::Transaction;

use super::writer::{RowFatal, Writer, Written};
use super::{fields, ImportKind, Problem, Summary, SHOWN_PROBLEMS};

/// One stream of rows of one kind, named `source` in messages
/// (`usage query row 12: …`).
pub struct Feed<'t> {
    w: Writer<'t>,
    source: String,
    summary: Summary,
    /// The first problems, rendered.
    problems: Vec<String>,
    total: u64,
}

impl<'t> Feed<'t> {
    /// `columns` are the names of the result's columns, resolved like a
    /// file's headers (aliases included); a missing required one is an error.
    pub fn new(
        tx: &'t Transaction<'t>,
        kind: ImportKind,
        columns: &[String],
        source: &str,
        create_missing: bool,
        now: i64,
    ) -> Result<Self> {
        let resolved = fields::resolve(kind, columns, &[], None, source).map_err(|e| anyhow!(e))?;
        let w = Writer::new(tx, kind, resolved, None, create_missing, now)?;
        Ok(Feed {
            w,
            source: source.to_string(),
            summary: Summary::default(),
            problems: Vec::new(),
            total: 0,
        })
    }

    /// The field a column carries when that field is required (`customer`,
    /// `timestamp`…): a NULL there is a bad row, elsewhere it is no value.
    pub fn required_field(&self, column: usize) -> Option<&'static str> {
        let fs = fields::fields(self.w.kind);
        fs.iter()
            .zip(&self.w.cols)
            .find(|(f, cols)| f.required && cols.contains(&column))
            .map(|(f, _)| f.name)
    }

    /// Validates and writes one row (cells as text, empty for no value);
    /// `position` counts from 1. True when the row was kept; a bad row is
    /// kept as a problem; `Err` stops the sync (storage, or a row that would
    /// replace csf's own data).
    pub fn row(&mut self, rec: &csv::ByteRecord, position: u64) -> Result<bool> {
        self.summary.rows_read += 1;
        match self.w.row(rec, position) {
            Ok(Ok(Written::Inserted)) => self.summary.inserted += 1,
            Ok(Ok(Written::Updated)) => self.summary.updated += 1,
            Ok(Ok(Written::Unchanged)) => self.summary.unchanged += 1,
            Ok(Ok(Written::Batched)) => {}
            Ok(Err(p)) => {
                self.problem(render(&self.source, &p));
                return Ok(false);
            }
            Err(RowFatal::Db(e)) => bail!("storage error at {} row {position}: {e}", self.source),
            Err(RowFatal::Conflict(m)) => bail!("{} row {position}: {m}", self.source),
        }
        Ok(true)
    }

    /// A bad row the caller found before the writer saw it (a NULL in a
    /// required column): counted and shown like the writer's problems.
    pub fn reject(&mut self, message: String) {
        self.summary.rows_read += 1;
        self.problem(message);
    }

    fn problem(&mut self, rendered: String) {
        self.total += 1;
        self.summary.skipped += 1;
        if self.problems.len() < SHOWN_PROBLEMS {
            self.problems.push(crate::escape::visible(&rendered).into_owned());
        }
    }

    /// Writes what the writer holds back (the last usage batch, event names'
    /// first times) and returns the counts, with the skipped rows' lines for
    /// stderr. With bad rows and `skip_invalid` false, an error listing them.
    pub fn finish(mut self, skip_invalid: bool) -> Result<(Summary, Vec<String>)> {
        if self.total > 0 && !skip_invalid {
            bail!("{}", self.refusal());
        }
        self.summary.customers_created = self.w.created;
        self.w.finish().map_err(|e| anyhow!("storage error while writing {}: {e}", self.source))?;
        self.summary.inserted += self.w.usage.inserted;
        self.summary.updated += self.w.usage.updated;
        self.summary.unchanged += self.w.usage.unchanged;
        let mut skipped: Vec<String> = self.problems.iter().map(|p| format!("skipped {p}")).collect();
        if self.total > self.problems.len() as u64 {
            skipped.push(format!("... and {} more skipped rows", self.total - self.problems.len() as u64));
        }
        Ok((self.summary, skipped))
    }

    fn refusal(&self) -> String {
        let mut out = self.problems.join("\n");
        let shown = self.problems.len() as u64;
        if self.total > shown {
            out.push_str(&format!("\n... and {} more problems", self.total - shown));
        }
        if !self.w.unknown.is_empty() {
            let list: Vec<&str> = self.w.unknown.iter().take(20).map(String::as_str).collect();
            let more = self.w.unknown.len().saturating_sub(20);
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            out.push_str(&format!(
                "\nunknown customers: {}{more} — add them first (csf import customers, or a \
                 customers query), or pass --create-missing to create them",
                list.join(", ")
            ));
        }
        let s = if self.total == 1 { "" } else { "s" };
        out.push_str(&format!(
            "\n{}: {} invalid row{s}; nothing was written — fix the query or the data, or pass \
             --skip-invalid to keep the good rows",
            self.source, self.total
        ));
        out
    }
}

/// `usage query row 12: column "count": "0" is not a whole number…`
fn render(source: &str, p: &Problem) -> String {
    match p.column {
        Some(c) => format!("{source} row {}: column \"{c}\": \"{}\" {}", p.line, p.value, p.message),
        None => format!("{source} row {}: {}", p.line, p.message),
    }
}
