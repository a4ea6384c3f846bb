//! Validating and writing rows inside the import's transaction: the
//! customer lookup shared by every kind, natural-key upserts, and the cell
//! helpers. The per-kind rows are in `kinds.rs`.

use std::collections::BTreeSet;

use anyhow::Result;
use rusqlite::{params, OptionalExtension, Transaction};

use super::fields::{self, fields};
use super::keys::{Key, KeyMap};
use super::{presets, ImportKind, Problem};
use crate::store::{customers, revenue};
use crate::time::{parse_timestamp, parse_with_format};

pub(super) enum Written {
    Inserted,
    Updated,
    /// The row equals what is stored: nothing written.
    Unchanged,
    /// Held in a batch; counted when the batch is written (`UsageBatch`).
    Batched,
}

/// Validates and writes rows of one kind inside the import's transaction.
pub(super) struct Writer<'t> {
    pub(super) tx: &'t Transaction<'t>,
    pub(super) kind: ImportKind,
    /// Config `currency`: an MRR in another currency is refused.
    pub(super) currency: String,
    pub(super) cols: Vec<Vec<usize>>,
    pub(super) minutes_after: Option<(usize, usize, usize)>,
    pub(super) preset: Option<&'static presets::Preset>,
    pub(super) create_missing: bool,
    pub(super) now: i64,
    pub(super) ids: KeyMap<i64>,
    pub(super) emails: KeyMap<i64>,
    /// Event name → (id, first_seen, changed).
    pub(super) events: KeyMap<(i64, i64, bool)>,
    pub(super) unknown: BTreeSet<String>,
    pub(super) created: u64,
    pub(super) lower: String,
    pub(super) usage: super::usage_batch::UsageBatch,
    /// `--date-format FMT`: how to read timestamps that are not ISO.
    pub(super) date_format: Option<String>,
}

/// A cell's text, or a UTF-8 problem.
pub(super) fn cell<'r>(
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

pub(super) fn problem(line: u64, column: &'static str, value: &str, message: impl Into<String>) -> Problem {
    Problem { line, column: Some(column), value: value.to_string(), message: message.into() }
}

pub(super) fn opt_text(v: &str) -> Option<&str> {
    (!v.is_empty()).then_some(v)
}

impl Writer<'_> {
    /// A timestamp cell, read as `--date-format` says when given.
    fn ts(&self, v: &str) -> Result<i64, String> {
        match &self.date_format {
            Some(f) => parse_with_format(v, f),
            None => parse_timestamp(v).map_err(|m| {
                if m.starts_with("is an ambiguous date") {
                    format!("{m}, or say how to read it: --date-format %m/%d/%Y")
                } else {
                    m
                }
            }),
        }
    }

    pub(super) fn opt_ts(&self, v: &str, line: u64, col: &'static str) -> Result<Option<i64>, Problem> {
        if v.is_empty() {
            return Ok(None);
        }
        self.ts(v).map(Some).map_err(|m| problem(line, col, v, m))
    }

    pub(super) fn req_ts(&self, v: &str, line: u64, col: &'static str) -> Result<i64, Problem> {
        if v.is_empty() {
            return Err(problem(line, col, v, "is empty; this column is required"));
        }
        self.ts(v).map_err(|m| problem(line, col, v, m))
    }
}

impl<'t> Writer<'t> {
    pub(super) fn new(
        tx: &'t Transaction<'t>,
        kind: ImportKind,
        resolved: fields::Resolved,
        preset: Option<&'static presets::Preset>,
        create_missing: bool,
        now: i64,
    ) -> Result<Self> {
        let mut ids = KeyMap::default();
        let mut emails = KeyMap::default();
        {
            let mut st = tx.prepare("SELECT cid, id, email FROM customers ORDER BY cid")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let cid: i64 = r.get(0)?;
                ids.insert(Key::from(r.get_ref(1)?.as_str()?), cid);
                if let Some(e) = r.get::<_, Option<String>>(2)? {
                    emails.entry(Key::from(e.to_lowercase().as_str())).or_insert(cid);
                }
            }
        }
        let mut events = KeyMap::default();
        if kind == ImportKind::Usage {
            let mut st = tx.prepare("SELECT id, name, first_seen FROM event_names")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                events.insert(Key::from(r.get_ref(1)?.as_str()?), (r.get(0)?, r.get(2)?, false));
            }
        }
        let currency: String = tx
            .query_row("SELECT value FROM config WHERE key = 'currency'", [], |r| r.get(0))
            .optional()?
            .unwrap_or_else(|| "USD".into());
        Ok(Writer {
            tx,
            kind,
            currency,
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
            usage: Default::default(),
            date_format: None,
        })
    }

    /// Validates and writes one row. `Ok(Err(problem))` is a bad row; `Err`
    /// is a storage error (disk full, I/O, lock): the import must stop at
    /// once, since SQLite may already have rolled the transaction back.
    pub(super) fn row(
        &mut self,
        rec: &csv::ByteRecord,
        line: u64,
    ) -> Result<Result<Written, Problem>, RowFatal> {
        let r = match self.kind {
            ImportKind::Customers => self.customer_row(rec, line).and_then(|r| self.customer(r, line)),
            ImportKind::Usage => self.usage_row(rec, line).and_then(|r| self.usage(r, line)),
            ImportKind::Nps => self.nps_row(rec, line).and_then(|r| self.nps(r, line)),
            ImportKind::Billing => self.billing_row(rec, line).and_then(|r| self.billing(r, line)),
            ImportKind::Tickets => self.ticket_row(rec, line).and_then(|r| self.ticket(r, line)),
        };
        match r {
            Ok(w) => Ok(Ok(w)),
            Err(RowError::Problem(p)) => Ok(Err(p)),
            // A constraint is about the row's values; anything else is storage.
            Err(RowError::Db(e))
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
            {
                Ok(Err(Problem {
                    line,
                    column: None,
                    value: String::new(),
                    message: format!("could not be stored: {e}"),
                }))
            }
            Err(RowError::Db(e)) => Err(RowFatal::Db(e)),
            Err(RowError::Conflict(m)) => Err(RowFatal::Conflict(m)),
        }
    }

    /// A field's value in a row: the first non-empty of its columns, mapped
    /// by the preset if there is one.
    pub(super) fn get<'r>(
        &self,
        rec: &'r csv::ByteRecord,
        field: usize,
        line: u64,
    ) -> Result<&'r str, Problem> {
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
    pub(super) fn customer_key(&mut self, key: &str, line: u64) -> Result<i64, RowError> {
        if key.is_empty() {
            return Err(problem(line, "customer", key, "is empty; this column is required").into());
        }
        if let Some(&cid) = self.ids.get(key) {
            return Ok(cid);
        }
        self.lower.clear();
        self.lower.extend(key.chars().flat_map(char::to_lowercase));
        if let Some(&cid) = self.emails.get(self.lower.as_str()) {
            return Ok(cid);
        }
        if !self.create_missing {
            self.unknown.insert(key.to_string());
            return Err(problem(line, "customer", key, "is not a known customer id or email").into());
        }
        let email = key.contains('@').then_some(key);
        let new = customers::NewCustomer {
            id: key.to_string(),
            email: email.map(String::from),
            ..customers::NewCustomer::default()
        };
        let cid = customers::insert(self.tx, &new, self.now, revenue::Source::Import)?;
        self.ids.insert(Key::from(key), cid);
        if let Some(e) = email {
            self.emails.insert(Key::from(e.to_lowercase().as_str()), cid);
        }
        self.created += 1;
        Ok(cid)
    }

    /// Inserts a row by its natural key, or replaces the stored one.
    pub(super) fn upsert(
        &self,
        insert: &str,
        update: &str,
        p: &[&dyn rusqlite::ToSql],
    ) -> Result<Written, RowError> {
        if self.tx.prepare_cached(insert)?.execute(p)? == 1 {
            return Ok(Written::Inserted);
        }
        // The update changes only a row that differs (its WHERE says so).
        Ok(if self.tx.prepare_cached(update)?.execute(p)? == 1 {
            Written::Updated
        } else {
            Written::Unchanged
        })
    }

    /// Writes what was kept in memory: the last usage batch, event names'
    /// earliest times.
    pub(super) fn finish(&mut self) -> Result<()> {
        self.usage.flush(self.tx)?;
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

pub(super) enum RowError {
    Problem(Problem),
    Db(rusqlite::Error),
    /// The row would replace data csf owns (a ticket opened in csf): the
    /// whole import stops, whatever `--skip-invalid` says.
    Conflict(String),
}

/// What stops an import at once.
pub(super) enum RowFatal {
    Db(rusqlite::Error),
    Conflict(String),
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
