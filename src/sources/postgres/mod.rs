//! `csf sync postgres` (docs/sync.md): usage and customers from the founder's
//! own PostgreSQL database, read-only, with their queries. Rows stream from a
//! `READ ONLY` transaction through the import's writer (`import::feed`) into
//! one SQLite transaction with the cursor.

mod cells;
mod connect;

use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::{Counts, Summary};
use crate::domain::settings::Settings;
use crate::import::feed::Feed;
use crate::import::ImportKind;
use crate::store;
use cells::{Kind, Raw, Since};

pub const SOURCE: &str = "postgres";

/// Options of one run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub full: bool,
    pub dry_run: bool,
    pub skip_invalid: bool,
    pub create_missing: bool,
}

/// Where the next run starts: the newest usage timestamp committed.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Cursor {
    usage_ts: Option<i64>,
}

/// Whether the source is configured (`postgres.url_env` or `postgres.url_file`, and a usage query).
pub fn configured(settings: &Settings) -> bool {
    connect::configured(settings) && settings.get("postgres.usage_query").is_some()
}

/// Runs one sync: everything it writes commits in one transaction with its cursor.
pub fn run(conn: &mut Connection, settings: &Settings, now: i64, opts: Options) -> Result<Summary> {
    let started = Instant::now();
    let usage_query = settings.get("postgres.usage_query").ok_or_else(|| {
        anyhow!(
            "config postgres.usage_query is not set: csf config set postgres.usage_query \"select account_id as \
             customer, created_at as timestamp, name as event from events where created_at > \\$1\" (docs/sync.md)"
        )
    })?;
    let url = connect::url(settings)?;
    let state = store::sync::get(conn, SOURCE)?;
    let before: Cursor = match &state {
        Some(s) => serde_json::from_str(&s.cursor).unwrap_or_default(),
        None => Cursor::default(),
    };
    let overlap = (settings.number("postgres.overlap_minutes") * 60.0).round() as i64;
    let since = match before.usage_ts {
        Some(ts) if !opts.full => ts - overlap,
        _ => 0,
    };
    let mut client = url.connect()?;
    let timeout_ms = u64::from(settings.count("postgres.statement_timeout_s")) * 1000;
    let mut pg = client
        .build_transaction()
        .read_only(true)
        .start()
        .map_err(|e| pg_error(&url, "BEGIN READ ONLY", e))?;
    pg.batch_execute(&format!("SET LOCAL statement_timeout = {timeout_ms}"))
        .map_err(|e| pg_error(&url, "SET statement_timeout", e))?;
    let mut summary = Summary { source: SOURCE.into(), dry_run: opts.dry_run, ..Summary::default() };
    // As the import does: rows refer to customers looked up in the same
    // transaction, so the per-row foreign key checks are off for the sync.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let written = write(conn, &mut pg, &url, settings, &usage_query, since, before, now, opts, &mut summary);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    written?;
    // Read-only: there is nothing to commit on the server.
    pg.rollback().map_err(|e| pg_error(&url, "ROLLBACK", e))?;
    summary.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(summary)
}

/// The SQLite side: one IMMEDIATE transaction with every row and the cursor;
/// rolled back on `--dry-run` or any error.
#[allow(clippy::too_many_arguments)]
fn write(
    conn: &mut Connection,
    pg: &mut postgres::Transaction<'_>,
    url: &connect::Url,
    settings: &Settings,
    usage_query: &str,
    since: i64,
    before: Cursor,
    now: i64,
    opts: Options,
    summary: &mut Summary,
) -> Result<()> {
    let path = conn.path().unwrap_or_default().to_string();
    let tx = Transaction::new(conn, TransactionBehavior::Immediate)
        .context("could not start a write transaction (is the database locked by a long job?)")?;
    if let Some(q) = settings.get("postgres.customers_query") {
        let (counts, _) = read(pg, url, &tx, ImportKind::Customers, &q, None, now, opts, summary)?;
        summary.kinds.push(counts);
    }
    let (counts, newest) =
        read(pg, url, &tx, ImportKind::Usage, usage_query, Some(since), now, opts, summary)?;
    summary.kinds.push(counts);
    if opts.dry_run {
        return Ok(());
    }
    let cursor = Cursor { usage_ts: newest.max(before.usage_ts) };
    let state = store::sync::State {
        source: SOURCE.into(),
        cursor: serde_json::to_string(&cursor)?,
        synced_at: now,
        summary: serde_json::to_string(&summary.kinds)?,
    };
    store::sync::put(&tx, &state)?;
    tx.commit().map_err(|e| store::storage_error(e.into(), &path))
}

/// Runs one query and feeds its rows to the writer; returns the counts and,
/// for usage, the newest timestamp of the rows kept.
#[allow(clippy::too_many_arguments)]
fn read(
    pg: &mut postgres::Transaction<'_>,
    url: &connect::Url,
    tx: &Transaction<'_>,
    kind: ImportKind,
    query: &str,
    since: Option<i64>,
    now: i64,
    opts: Options,
    summary: &mut Summary,
) -> Result<(Counts, Option<i64>)> {
    let what = format!("{} query", kind.name());
    let types: &[postgres::types::Type] =
        if since.is_some() { &[postgres::types::Type::TIMESTAMPTZ] } else { &[] };
    let stmt = pg.prepare_typed(query, types).map_err(|e| pg_error(url, &what, e))?;
    if stmt.params().len() != types.len() {
        bail!(
            "the {what} has {} parameters; it takes {} (config postgres.{}_query)",
            stmt.params().len(),
            if since.is_some() { "at most one, $1: the cursor as timestamptz" } else { "none" },
            kind.name()
        );
    }
    let columns: Vec<String> = stmt.columns().iter().map(|c| c.name().to_string()).collect();
    let mut kinds = Vec::with_capacity(columns.len());
    for c in stmt.columns() {
        kinds.push(Kind::of(c.type_()).ok_or_else(|| {
            anyhow!(
                "{what}: column \"{}\" is of type {}, which csf does not read — cast it in the query \
                 ({}::text) or leave it out; csf reads text, varchar, integer, bigint, numeric, timestamptz, \
                 timestamp and date",
                c.name(),
                c.type_().name(),
                c.name()
            )
        })?);
    }
    let mut feed = Feed::new(tx, kind, &columns, &what, opts.create_missing, now)?;
    let required: Vec<Option<&str>> = (0..columns.len()).map(|i| feed.required_field(i)).collect();
    let ts_field = crate::import::fields::resolve(kind, &columns, &[], None, &what)
        .ok()
        .and_then(|r| r.cols.get(1).and_then(|c| c.first().copied()))
        .filter(|_| kind == ImportKind::Usage);
    let params: Vec<Since> = since.map(Since).into_iter().collect();
    let mut rows = pg.query_raw(&stmt, params.iter()).map_err(|e| pg_error(url, &what, e))?;
    summary.requests += 1;
    let mut rec = csv::ByteRecord::new();
    let mut cell = Vec::new();
    let mut newest: Option<i64> = None;
    let mut position = 0u64;
    while let Some(row) =
        postgres::fallible_iterator::FallibleIterator::next(&mut rows).map_err(|e| pg_error(url, &what, e))?
    {
        position += 1;
        rec.clear();
        let mut bad = None;
        let mut ts = None;
        for (i, &k) in kinds.iter().enumerate() {
            cell.clear();
            let Raw(raw) = row.try_get::<_, Raw>(i).map_err(|e| pg_error(url, &what, e))?;
            match raw {
                None if required[i].is_some() => {
                    bad.get_or_insert_with(|| {
                        format!("{what} row {position}: column \"{}\" is NULL", columns[i])
                    });
                }
                None => {}
                Some(raw) => match cells::text(k, raw, &mut cell) {
                    Ok(secs) if Some(i) == ts_field => ts = secs,
                    Ok(_) => {}
                    Err(m) => {
                        bad.get_or_insert_with(|| {
                            format!("{what} row {position}: column \"{}\" {m}", columns[i])
                        });
                    }
                },
            }
            rec.push_field(&cell);
        }
        if let Some(message) = bad {
            feed.reject(message);
            continue;
        }
        if feed.row(&rec, position)? && kind == ImportKind::Usage {
            let ts = match ts {
                Some(t) => Some(t),
                None => ts_field
                    .and_then(|i| std::str::from_utf8(&rec[i]).ok())
                    .and_then(|s| crate::time::parse_timestamp(s).ok()),
            };
            newest = newest.max(ts);
        }
    }
    let (s, skipped) = feed.finish(opts.skip_invalid)?;
    summary.notes.extend(skipped);
    let counts = Counts {
        kind: kind.name().into(),
        read: s.rows_read,
        inserted: s.inserted,
        changed: s.updated,
        unchanged: s.unchanged,
        skipped: s.skipped,
    };
    Ok((counts, newest))
}

/// A PostgreSQL error in a sentence: the server's own message (a write in a
/// read-only transaction, a timeout, a syntax error) and where.
fn pg_error(url: &connect::Url, what: &str, e: postgres::Error) -> anyhow::Error {
    anyhow!("PostgreSQL at {} refused the {what}: {}", url.address(), url.hide(&connect::describe(&e)))
}
