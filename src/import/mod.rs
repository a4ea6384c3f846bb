//! CSV import (SPEC §3): streaming reading with header aliases, value
//! parsing, per-kind validation, and all-or-nothing writing in one
//! transaction with idempotent natural keys.

pub mod fields;
pub mod presets;
pub mod values;

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::cli::import::ImportKind;
use crate::time::parse_timestamp;
use fields::{fields, BILLING_STATUS};
use values::{parse_int_in, parse_money};

/// How to read and write one file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// `--map FIELD=HEADER`.
    pub map: Vec<(String, String)>,
    pub delimiter: u8,
    pub create_missing: bool,
    pub skip_invalid: bool,
    pub rejects: Option<PathBuf>,
    pub dry_run: bool,
    /// `--from PRESET`.
    pub preset: Option<&'static presets::Preset>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            map: Vec::new(),
            delimiter: b',',
            create_missing: false,
            skip_invalid: false,
            rejects: None,
            dry_run: false,
            preset: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
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
    pub fn render(&self, source: &str) -> String {
        match self.column {
            Some(c) => format!("{source}:{}: column \"{c}\": \"{}\" {}", self.line, self.value, self.message),
            None => format!("{source}:{}: {}", self.line, self.message),
        }
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
    let tx = Transaction::new(conn, rusqlite::TransactionBehavior::Immediate)
        .context("could not start a write transaction (is the database locked by a long job?)")?;
    let counter = Scanner::new(input, opts.delimiter);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(opts.delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(counter);
    let mut rec = csv::ByteRecord::new();
    let has_header = rdr.read_byte_record(&mut rec).map_err(|e| read_error(source, e))?;
    rdr.get_mut().starts.pop_front();
    if !has_header {
        bail!("{source} is empty: a CSV file needs a header row ({})", header_hint(kind));
    }
    let mut headers = Vec::with_capacity(rec.len());
    for (i, h) in rec.iter().enumerate() {
        let h = std::str::from_utf8(h).map_err(|_| {
            anyhow!("{source}:1: the header is not valid UTF-8 — save the file as UTF-8 and import it again")
        })?;
        headers.push(if i == 0 { h.trim_start_matches('\u{feff}').to_string() } else { h.to_string() });
    }
    let resolved = fields::resolve(kind, &headers, &opts.map, opts.preset, source).map_err(|e| anyhow!(e))?;
    let mut w = Writer::new(&tx, kind, resolved, opts.preset, opts.create_missing, now)?;
    let mut rejects = match &opts.rejects {
        Some(p) if !opts.dry_run => {
            let mut wr = csv::Writer::from_path(p)
                .with_context(|| format!("could not create the rejects file {}", p.display()))?;
            let mut head = headers.clone();
            head.push("reason".into());
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
            Err(e) => return Err(read_error(source, e)),
        }
        // The scanner saw this record start first (it reads ahead of the parser).
        let line = rdr.get_mut().starts.pop_front().unwrap_or(0);
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
            w.row(&rec, line)
        };
        match outcome {
            Ok(Written::Inserted) => summary.inserted += 1,
            Ok(Written::Updated) => summary.updated += 1,
            Err(p) => {
                total_problems += 1;
                summary.skipped += 1;
                if let Some(wr) = rejects.as_mut() {
                    let mut row: Vec<Vec<u8>> = rec.iter().map(<[u8]>::to_vec).collect();
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
    w.finish()?;
    drop(w);
    if let Some(mut wr) = rejects {
        wr.flush()?;
    }
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
    )?;
    tx.commit().context("could not commit the import")?;
    Ok(summary)
}

fn header_hint(kind: ImportKind) -> String {
    let names: Vec<&str> = fields(kind).iter().filter(|f| f.required).map(|f| f.name).collect();
    format!("{} needs at least: {}", kind.name(), names.join(", "))
}

fn read_error(source: &str, e: csv::Error) -> anyhow::Error {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    match e.kind() {
        csv::ErrorKind::Io(io) => anyhow!("could not read {source}: {io}"),
        _ => anyhow!("{source}:{line}: malformed CSV ({e}); nothing was imported"),
    }
}

/// Follows the CSV quoting as bytes stream past the parser (RFC 4180, as
/// the csv crate reads it): where each record starts (its physical line,
/// blank lines skipped), whether a quoted field is still open at the end and
/// on which line it opened, and how many bytes were read (for progress).
struct Scanner<R> {
    inner: R,
    delimiter: u8,
    bytes: u64,
    line: u64,
    /// Start lines of records seen but not yet taken by the importer.
    starts: std::collections::VecDeque<u64>,
    at_record_start: bool,
    at_field_start: bool,
    in_quotes: bool,
    /// A `"` inside quotes: either an escaped quote or the closing one.
    quote_pending: bool,
    opened_on: u64,
}

impl<R> Scanner<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        Scanner {
            inner,
            delimiter,
            bytes: 0,
            line: 1,
            starts: std::collections::VecDeque::new(),
            at_record_start: true,
            at_field_start: true,
            in_quotes: false,
            quote_pending: false,
            opened_on: 0,
        }
    }

    fn scan(&mut self, buf: &[u8]) {
        for &b in buf {
            if self.in_quotes {
                if self.quote_pending {
                    self.quote_pending = false;
                    if b == b'"' {
                        continue; // "" is an escaped quote
                    }
                    self.in_quotes = false; // the quote closed the field; b is outside
                } else {
                    if b == b'"' {
                        self.quote_pending = true;
                    } else if b == b'\n' {
                        self.line += 1;
                    }
                    continue;
                }
            }
            match b {
                b'\n' | b'\r' => {
                    if b == b'\n' {
                        self.line += 1;
                    }
                    self.at_record_start = true;
                    self.at_field_start = true;
                }
                _ => {
                    if self.at_record_start {
                        self.starts.push_back(self.line);
                        self.at_record_start = false;
                    }
                    if b == self.delimiter {
                        self.at_field_start = true;
                    } else {
                        if self.at_field_start && b == b'"' {
                            self.in_quotes = true;
                            self.opened_on = self.line;
                        }
                        self.at_field_start = false;
                    }
                }
            }
        }
    }

    /// The line where a quoted field opened that never closed, at the end.
    fn unclosed_quote(&self) -> Option<u64> {
        (self.in_quotes && !self.quote_pending).then_some(self.opened_on)
    }
}

impl<R: Read> Read for Scanner<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

enum Written {
    Inserted,
    Updated,
}

/// Validates and writes rows of one kind inside the import's transaction.
struct Writer<'t> {
    tx: &'t Transaction<'t>,
    kind: ImportKind,
    cols: Vec<Vec<usize>>,
    minutes_after: Option<(usize, usize, usize)>,
    preset: Option<&'static presets::Preset>,
    create_missing: bool,
    now: i64,
    ids: HashMap<String, i64>,
    emails: HashMap<String, i64>,
    /// Event name → (id, first_seen, changed).
    events: HashMap<String, (i64, i64, bool)>,
    unknown: BTreeSet<String>,
    created: u64,
    lower: String,
}

/// A cell's text, or a UTF-8 problem.
fn cell<'r>(
    rec: &'r csv::ByteRecord,
    col: Option<usize>,
    line: u64,
    name: &'static str,
) -> Result<&'r str, Problem> {
    let Some(i) = col else { return Ok("") };
    let raw = rec.get(i).unwrap_or(b"");
    std::str::from_utf8(raw).map(str::trim).map_err(|e| Problem {
        line,
        column: Some(name),
        value: String::from_utf8_lossy(raw).into_owned(),
        message: format!(
            "is not valid UTF-8 (byte {} of the cell) — save the file as UTF-8 and import it again",
            e.valid_up_to() + 1
        ),
    })
}

fn problem(line: u64, column: &'static str, value: &str, message: impl Into<String>) -> Problem {
    Problem { line, column: Some(column), value: value.to_string(), message: message.into() }
}

fn opt_ts(v: &str, line: u64, col: &'static str) -> Result<Option<i64>, Problem> {
    if v.is_empty() {
        return Ok(None);
    }
    parse_timestamp(v).map(Some).map_err(|m| problem(line, col, v, m))
}

fn req_ts(v: &str, line: u64, col: &'static str) -> Result<i64, Problem> {
    if v.is_empty() {
        return Err(problem(line, col, v, "is empty; this column is required"));
    }
    parse_timestamp(v).map_err(|m| problem(line, col, v, m))
}

fn opt_text(v: &str) -> Option<&str> {
    (!v.is_empty()).then_some(v)
}

impl<'t> Writer<'t> {
    fn new(
        tx: &'t Transaction<'t>,
        kind: ImportKind,
        resolved: fields::Resolved,
        preset: Option<&'static presets::Preset>,
        create_missing: bool,
        now: i64,
    ) -> Result<Self> {
        let mut ids = HashMap::new();
        let mut emails = HashMap::new();
        {
            let mut st = tx.prepare("SELECT cid, id, email FROM customers ORDER BY cid")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let cid: i64 = r.get(0)?;
                ids.insert(r.get::<_, String>(1)?, cid);
                if let Some(e) = r.get::<_, Option<String>>(2)? {
                    emails.entry(e.to_lowercase()).or_insert(cid);
                }
            }
        }
        let mut events = HashMap::new();
        if kind == ImportKind::Usage {
            let mut st = tx.prepare("SELECT id, name, first_seen FROM event_names")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                events.insert(r.get::<_, String>(1)?, (r.get(0)?, r.get(2)?, false));
            }
        }
        Ok(Writer {
            tx,
            kind,
            cols: resolved.cols,
            minutes_after: resolved.minutes_after,
            preset,
            create_missing,
            now,
            ids,
            emails,
            events,
            unknown: BTreeSet::new(),
            created: 0,
            lower: String::new(),
        })
    }

    fn row(&mut self, rec: &csv::ByteRecord, line: u64) -> Result<Written, Problem> {
        let r = match self.kind {
            ImportKind::Customers => self.customer(rec, line),
            ImportKind::Usage => self.usage(rec, line),
            ImportKind::Nps => self.nps(rec, line),
            ImportKind::Billing => self.billing(rec, line),
            ImportKind::Tickets => self.ticket(rec, line),
        };
        r.map_err(|e| match e {
            RowError::Problem(p) => p,
            RowError::Db(e) => Problem {
                line,
                column: None,
                value: String::new(),
                message: format!("could not be stored: {e}"),
            },
        })
    }

    /// A field's value in a row: the first non-empty of its columns, mapped
    /// by the preset if there is one.
    fn get<'r>(&self, rec: &'r csv::ByteRecord, field: usize, line: u64) -> Result<&'r str, Problem> {
        let name = fields(self.kind)[field].name;
        let mut v = "";
        for &c in &self.cols[field] {
            v = cell(rec, Some(c), line, name)?;
            if !v.is_empty() {
                break;
            }
        }
        Ok(match self.preset {
            Some(p) => p.map_value(name, v).trim(),
            None => v,
        })
    }

    /// The customer a row refers to, by id, else by email.
    fn customer_key(&mut self, key: &str, line: u64) -> Result<i64, RowError> {
        if key.is_empty() {
            return Err(problem(line, "customer", key, "is empty; this column is required").into());
        }
        if let Some(&cid) = self.ids.get(key) {
            return Ok(cid);
        }
        self.lower.clear();
        self.lower.extend(key.chars().flat_map(char::to_lowercase));
        if let Some(&cid) = self.emails.get(&self.lower) {
            return Ok(cid);
        }
        if !self.create_missing {
            self.unknown.insert(key.to_string());
            return Err(problem(line, "customer", key, "is not a known customer id or email").into());
        }
        let email = key.contains('@').then_some(key);
        self.tx
            .prepare_cached(
                "INSERT INTO customers (id, email, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            )?
            .execute(params![key, email, self.now])?;
        let cid = self.tx.last_insert_rowid();
        self.ids.insert(key.to_string(), cid);
        if let Some(e) = email {
            self.emails.insert(e.to_lowercase(), cid);
        }
        self.created += 1;
        Ok(cid)
    }

    /// Inserts a row by its natural key, or replaces the stored one.
    fn upsert(&self, insert: &str, update: &str, p: &[&dyn rusqlite::ToSql]) -> Result<Written, RowError> {
        if self.tx.prepare_cached(insert)?.execute(p)? == 1 {
            return Ok(Written::Inserted);
        }
        self.tx.prepare_cached(update)?.execute(p)?;
        Ok(Written::Updated)
    }

    fn customer(&mut self, rec: &csv::ByteRecord, line: u64) -> Result<Written, RowError> {
        let id = self.get(rec, 0, line)?;
        if id.is_empty() {
            return Err(problem(line, "id", id, "is empty; this column is required").into());
        }
        let name = self.get(rec, 1, line)?;
        let email = self.get(rec, 2, line)?;
        let plan = self.get(rec, 3, line)?;
        let mrr_s = self.get(rec, 4, line)?;
        let mrr = if mrr_s.is_empty() {
            None
        } else {
            Some(parse_money(mrr_s).map_err(|m| problem(line, "mrr", mrr_s, m))?)
        };
        let signed = opt_ts(self.get(rec, 5, line)?, line, "signed_up_at")?;
        let churned = opt_ts(self.get(rec, 6, line)?, line, "churned_at")?;
        let has = |i: usize| !self.cols[i].is_empty();
        let existing = self.ids.get(id).copied();
        match existing {
            Some(cid) => {
                // Columns the file has replace the stored values; others are kept.
                self.tx
                    .prepare_cached(
                        "UPDATE customers SET
                           name = CASE WHEN ?2 THEN ?3 ELSE name END,
                           email = CASE WHEN ?4 THEN ?5 ELSE email END,
                           plan = CASE WHEN ?6 THEN ?7 ELSE plan END,
                           mrr_cents = CASE WHEN ?8 THEN ?9 ELSE mrr_cents END,
                           signed_up_at = CASE WHEN ?10 THEN ?11 ELSE signed_up_at END,
                           churned_at = CASE WHEN ?12 THEN ?13 ELSE churned_at END,
                           updated_at = ?14
                         WHERE cid = ?1",
                    )?
                    .execute(params![
                        cid,
                        has(1),
                        opt_text(name),
                        has(2),
                        opt_text(email),
                        has(3),
                        opt_text(plan),
                        has(4),
                        mrr,
                        has(5),
                        signed,
                        has(6),
                        churned,
                        self.now
                    ])?;
                if has(2) && !email.is_empty() {
                    self.emails.insert(email.to_lowercase(), cid);
                }
                Ok(Written::Updated)
            }
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO customers (id, name, email, plan, mrr_cents, signed_up_at, churned_at, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                    )?
                    .execute(params![
                        id,
                        opt_text(name),
                        opt_text(email),
                        opt_text(plan),
                        mrr,
                        signed,
                        churned,
                        self.now
                    ])?;
                let cid = self.tx.last_insert_rowid();
                self.ids.insert(id.to_string(), cid);
                if !email.is_empty() {
                    self.emails.entry(email.to_lowercase()).or_insert(cid);
                }
                Ok(Written::Inserted)
            }
        }
    }

    fn event_id(&mut self, name: &str, ts: i64) -> Result<i64, RowError> {
        if let Some(e) = self.events.get_mut(name) {
            if ts < e.1 {
                e.1 = ts;
                e.2 = true;
            }
            return Ok(e.0);
        }
        self.tx
            .prepare_cached("INSERT INTO event_names (name, first_seen) VALUES (?1, ?2)")?
            .execute(params![name, ts])?;
        let id = self.tx.last_insert_rowid();
        self.events.insert(name.to_string(), (id, ts, false));
        Ok(id)
    }

    fn usage(&mut self, rec: &csv::ByteRecord, line: u64) -> Result<Written, RowError> {
        let key = self.get(rec, 0, line)?;
        let ts = req_ts(self.get(rec, 1, line)?, line, "timestamp")?;
        let event = self.get(rec, 2, line)?;
        if event.is_empty() {
            return Err(problem(line, "event", event, "is empty; this column is required").into());
        }
        let count_s = self.get(rec, 3, line)?;
        let count = if count_s.is_empty() {
            1
        } else {
            parse_int_in(count_s, 1, i64::MAX)
                .map_err(|_| problem(line, "count", count_s, "is not a whole number of at least 1"))?
        };
        let cid = self.customer_key(key, line)?;
        let event_id = self.event_id(event, ts)?;
        self.upsert(
            "INSERT OR IGNORE INTO usage_events (cid, ts, event_id, count) VALUES (?1, ?2, ?3, ?4)",
            "UPDATE usage_events SET count = ?4 WHERE cid = ?1 AND ts = ?2 AND event_id = ?3",
            params![cid, ts, event_id, count],
        )
    }

    fn nps(&mut self, rec: &csv::ByteRecord, line: u64) -> Result<Written, RowError> {
        let key = self.get(rec, 0, line)?;
        let ts = req_ts(self.get(rec, 1, line)?, line, "responded_at")?;
        let score_s = self.get(rec, 2, line)?;
        let score = parse_int_in(score_s, 0, 10).map_err(|m| problem(line, "score", score_s, m))?;
        let comment = opt_text(self.get(rec, 3, line)?);
        let cid = self.customer_key(key, line)?;
        self.upsert(
            "INSERT OR IGNORE INTO nps_responses (cid, responded_at, score, comment) VALUES (?1, ?2, ?3, ?4)",
            "UPDATE nps_responses SET score = ?3, comment = ?4 WHERE cid = ?1 AND responded_at = ?2",
            params![cid, ts, score, comment],
        )
    }

    fn billing(&mut self, rec: &csv::ByteRecord, line: u64) -> Result<Written, RowError> {
        let key = self.get(rec, 0, line)?;
        let date = req_ts(self.get(rec, 1, line)?, line, "date")?;
        let amount_s = self.get(rec, 2, line)?;
        let amount = parse_money(amount_s).map_err(|m| problem(line, "amount", amount_s, m))?;
        let currency = amount_s
            .rsplit_once(' ')
            .map(|(_, c)| c)
            .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(str::to_uppercase);
        let status_s = self.get(rec, 3, line)?;
        let status = BILLING_STATUS
            .iter()
            .find(|(k, _)| {
                k.eq_ignore_ascii_case(status_s) || k.replace('_', " ").eq_ignore_ascii_case(status_s)
            })
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                problem(
                    line,
                    "status",
                    status_s,
                    "is not a billing status; use paid, late, failed, refunded or void (or \
                     succeeded, open, past_due, unpaid, overdue, uncollectible, declined, canceled, draft)",
                )
            })?;
        let invoice = opt_text(self.get(rec, 4, line)?);
        let cid = self.customer_key(key, line)?;
        let existing: Option<i64> = match invoice {
            Some(inv) => self
                .tx
                .prepare_cached("SELECT id FROM billing_records WHERE invoice_id = ?1")?
                .query_row([inv], |r| r.get(0))
                .optional()?,
            None => self
                .tx
                .prepare_cached(
                    "SELECT id FROM billing_records WHERE cid = ?1 AND date = ?2 AND invoice_id IS NULL",
                )?
                .query_row(params![cid, date], |r| r.get(0))
                .optional()?,
        };
        match existing {
            Some(id) => {
                self.tx
                    .prepare_cached(
                        "UPDATE billing_records SET cid = ?2, date = ?3, amount_cents = ?4, currency = ?5, status = ?6
                         WHERE id = ?1",
                    )?
                    .execute(params![id, cid, date, amount, currency, status])?;
                Ok(Written::Updated)
            }
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO billing_records (cid, date, amount_cents, currency, status, invoice_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )?
                    .execute(params![cid, date, amount, currency, status, invoice])?;
                Ok(Written::Inserted)
            }
        }
    }

    fn ticket(&mut self, rec: &csv::ByteRecord, line: u64) -> Result<Written, RowError> {
        let id = self.get(rec, 0, line)?;
        if id.is_empty() {
            return Err(problem(line, "id", id, "is empty; this column is required").into());
        }
        let key = self.get(rec, 1, line)?;
        let subject = opt_text(self.get(rec, 2, line)?);
        let lower = |s: &str| opt_text(s).map(str::to_lowercase);
        let category = opt_text(self.get(rec, 3, line)?).map(category_key);
        let priority = lower(self.get(rec, 4, line)?).unwrap_or_else(|| "normal".into());
        let channel = lower(self.get(rec, 5, line)?);
        let created = req_ts(self.get(rec, 6, line)?, line, "created_at")?;
        let mut first = opt_ts(self.get(rec, 7, line)?, line, "first_response_at")?;
        if let Some((7, 6, col)) = self.minutes_after {
            // A preset's "first reply time in minutes" after created_at.
            let m = cell(rec, Some(col), line, "first_response_at")?;
            if first.is_none() && !m.is_empty() {
                let mins: f64 =
                    m.parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0).ok_or_else(|| {
                        problem(line, "first_response_at", m, "is not a number of minutes (first reply time)")
                    })?;
                first = Some(created + (mins * 60.0).round() as i64);
            }
        }
        let resolved = opt_ts(self.get(rec, 8, line)?, line, "resolved_at")?;
        let csat_s = self.get(rec, 9, line)?;
        let csat = if csat_s.is_empty() {
            None
        } else {
            Some(parse_int_in(csat_s, 1, 5).map_err(|m| problem(line, "csat", csat_s, m))?)
        };
        let cid = self.customer_key(key, line)?;
        let status = if resolved.is_some() {
            "resolved"
        } else if first.is_some() {
            "acknowledged"
        } else {
            "open"
        };
        let csat_at = csat.map(|_| resolved.unwrap_or(created));
        let existing: Option<i64> = self
            .tx
            .prepare_cached("SELECT tid FROM tickets WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let (tid, written) = match existing {
            Some(tid) => {
                self.tx
                    .prepare_cached(
                        "UPDATE tickets SET cid = ?2, subject = ?3, category = ?4, priority = ?5, channel = ?6,
                           status = CASE WHEN status = 'closed' AND ?8 IS NOT NULL THEN 'closed' ELSE ?7 END,
                           created_at = ?9, first_response_at = ?10, resolved_at = ?8, csat = ?11, csat_at = ?12
                         WHERE tid = ?1",
                    )?
                    .execute(params![tid, cid, subject, category, priority, channel, status, resolved, created, first, csat, csat_at])?;
                self.tx
                    .prepare_cached("DELETE FROM ticket_events WHERE tid = ?1 AND imported = 1")?
                    .execute([tid])?;
                (tid, Written::Updated)
            }
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO tickets (id, cid, subject, category, priority, channel, status, created_at,
                           first_response_at, resolved_at, csat, csat_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    )?
                    .execute(params![id, cid, subject, category, priority, channel, status, created, first, resolved, csat, csat_at])?;
                (self.tx.last_insert_rowid(), Written::Inserted)
            }
        };
        let mut ev = self.tx.prepare_cached(
            "INSERT INTO ticket_events (tid, ts, kind, body, imported) VALUES (?1, ?2, ?3, ?4, 1)",
        )?;
        ev.execute(params![tid, created, "opened", "imported"])?;
        if let Some(t) = first {
            ev.execute(params![tid, t, "replied", "imported"])?;
        }
        if let Some(t) = resolved {
            ev.execute(params![tid, t, "resolved", "imported"])?;
        }
        if let (Some(c), Some(t)) = (csat, csat_at) {
            ev.execute(params![tid, t, "rated", format!("imported: {c}")])?;
        }
        Ok(written)
    }

    /// Writes what was kept in memory: event names' earliest times.
    fn finish(&mut self) -> Result<()> {
        let mut st = self.tx.prepare_cached("UPDATE event_names SET first_seen = ?2 WHERE id = ?1")?;
        for (id, first, changed) in self.events.values() {
            if *changed {
                st.execute(params![id, first])?;
            }
        }
        Ok(())
    }
}

/// A ticket category as stored: lower case, words joined by `-`
/// ("Feature Request" → "feature-request").
pub fn category_key(s: &str) -> String {
    s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join("-")
}

enum RowError {
    Problem(Problem),
    Db(rusqlite::Error),
}

impl From<Problem> for RowError {
    fn from(p: Problem) -> Self {
        RowError::Problem(p)
    }
}

impl From<rusqlite::Error> for RowError {
    fn from(e: rusqlite::Error) -> Self {
        RowError::Db(e)
    }
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The scanner sees the same records as the csv parser, at the right
        /// physical lines, whatever the quoting, CRLF and blank lines.
        #[test]
        fn the_scanner_agrees_with_the_csv_parser(
            rows in proptest::collection::vec(proptest::collection::vec("[a-z ,\"\n]{0,8}", 1..4), 1..6),
            crlf in any::<bool>(),
            blank_after in 0usize..6,
        ) {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("h{nl}");
            let mut want_lines = vec![1u64];
            let mut line = 2u64;
            for (i, r) in rows.iter().enumerate() {
                want_lines.push(line);
                let fields: Vec<String> = r.iter().map(|f| format!("\"{}\"", f.replace('"', "\"\""))).collect();
                let rec = fields.join(",");
                line += rec.matches('\n').count() as u64 + 1;
                text.push_str(&rec);
                text.push_str(nl);
                if i == blank_after {
                    text.push_str(nl);
                    line += 1;
                }
            }
            let mut sc = Scanner::new(text.as_bytes(), b',');
            let mut sink = Vec::new();
            sc.read_to_end(&mut sink).unwrap();
            prop_assert_eq!(sc.unclosed_quote(), None);
            prop_assert_eq!(sc.starts.iter().copied().collect::<Vec<_>>(), want_lines);
            let parsed = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes()).records().count();
            prop_assert_eq!(parsed, rows.len() + 1);
        }
    }
}
