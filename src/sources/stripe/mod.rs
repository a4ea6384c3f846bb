//! `csf sync stripe` (docs/sync.md): customers, subscriptions, invoices and
//! cancellations from Stripe's API. `client` is the only part that knows
//! HTTP, `map` the pure mapping, `read` what is read, `write` the writes.

mod client;
mod cursor;
mod full;
mod invoices;
mod key;
mod map;
mod objects;
mod past;
mod read;
mod resolve;
mod skim;
mod write;

use std::time::Instant;

use anyhow::{Context, Result};
use rusqlite::Connection;

use super::Summary;
use crate::domain::settings::Settings;
use crate::store;

/// Stripe keeps events for 30 days: an older cursor means a full read.
const EVENT_WINDOW: i64 = crate::time::days(30);

/// Options of one run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub full: bool,
    pub dry_run: bool,
    /// No progress spinner (`-q`).
    pub quiet: bool,
}

/// Whether the source is configured (a key in the environment or a key file).
pub fn configured(settings: &Settings) -> bool {
    key::configured(settings)
}

/// Runs one sync: everything it writes commits in one transaction with its
/// cursors; a failed run (or a dry run) writes nothing.
pub fn run(conn: &mut Connection, settings: &Settings, now: i64, opts: Options) -> Result<Summary> {
    let started = Instant::now();
    let key = key::load(settings)?;
    let base = key::api_base(settings)?;
    let currency = settings.get("currency").unwrap_or_else(|| "USD".into());
    let state = store::sync::get(conn, "stripe")?;
    let mut notes = Vec::new();
    let since = match &state {
        _ if opts.full => None,
        None => None,
        Some(s) if s.synced_at < now - EVENT_WINDOW => {
            notes.push(format!(
                "stripe: the last sync was {} ago, beyond Stripe's 30-day event window: reading everything",
                crate::time::duration(now - s.synced_at)
            ));
            None
        }
        Some(s) => match serde_json::from_str::<read::Cursor>(&s.cursor) {
            Ok(c) => Some(c),
            Err(_) => {
                notes.push("stripe: the stored cursor is unreadable: reading everything".into());
                None
            }
        },
    };
    let mut client = client::Client::new(&base, key);
    client.progress = if opts.quiet { None } else { progress() };
    // One transaction from the first page: the write goes on while the pages are read.
    let (deleted, kinds) = store::sync::transaction(conn, !opts.dry_run, |tx| {
        let mut w = write::Writer::new(tx, since.is_none())?;
        let mut book = read::read(&client, since, now, &currency, |got| w.take(tx, got, now))?;
        let kinds = w.finish(tx, &book, now)?;
        let state = store::sync::State {
            source: "stripe".into(),
            cursor: serde_json::to_string(&book.cursor).context("the cursor could not be written")?,
            synced_at: now,
            summary: serde_json::to_string(&kinds).context("the summary could not be written")?,
        };
        store::sync::put(tx, &state)?;
        let deleted = std::mem::take(&mut book.deleted);
        // The read's facts are tens of thousands of small allocations: they
        // are freed on a thread of their own, and the commit does not wait.
        std::thread::spawn(move || drop(book));
        Ok((deleted, kinds))
    })?;
    let requests = client.requests();
    if !deleted.is_empty() {
        let mut ids = deleted;
        ids.sort();
        notes.push(format!(
            "stripe: {} customer(s) deleted in Stripe, kept in csf: {}",
            ids.len(),
            ids.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    let mut summary =
        Summary { source: "stripe".into(), requests, notes, dry_run: opts.dry_run, ..Summary::default() };
    summary.kinds = kinds;
    summary.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(summary)
}

/// A spinner on a terminal (indicatif hides itself elsewhere): the list being read and the requests made.
fn progress() -> Option<client::Progress> {
    let bar = indicatif::ProgressBar::new_spinner().with_finish(indicatif::ProgressFinish::AndClear);
    if bar.is_hidden() {
        return None;
    }
    Some(std::sync::Arc::new(move |path: &str, n: u64| {
        bar.set_message(format!("stripe: reading {} ({n} requests)", path.trim_start_matches('/')));
        bar.tick();
    }))
}
