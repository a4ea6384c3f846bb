//! `health score --backfill` (docs/health.md): the snapshots each past day
//! would have had, from the history loaded once and swept day by day in
//! memory (as the backtest's replay does), never replacing a stored one.

use anyhow::{bail, Context as _, Result};
use rusqlite::Connection;

use crate::domain::fold::Bounds;
use crate::domain::health;
use crate::domain::settings::Settings;
use crate::store::backtest::{facts_at, Core, History};
use crate::store::health as hstore;
use crate::store::{self};
use crate::time::Day;

/// How far back a backfill may start, in days before today.
pub const MAX_DAYS_BACK: i64 = 400;

/// What a backfill wrote: the days it filled (first, last), how many, the
/// snapshots, and the days in the range that already had snapshots (kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backfilled {
    pub range: Option<(Day, Day)>,
    pub days: usize,
    pub snapshots: usize,
    pub kept_days: usize,
}

/// The first day to fill: `from`, or the first signup day (else the first
/// usage day), at most [`MAX_DAYS_BACK`] days back. Refuses a `from` after
/// yesterday or further back than the limit.
pub fn first_day(conn: &Connection, today: Day, from: Option<Day>) -> Result<Day> {
    let limit = today - MAX_DAYS_BACK;
    match from {
        Some(d) if d >= today => bail!(
            "--from {} is not in the past: a backfill fills the days before today ({}); give a --from of {} or earlier",
            d.iso(),
            today.iso(),
            (today - 1).iso()
        ),
        Some(d) if d < limit => bail!(
            "--from {} is more than {MAX_DAYS_BACK} days back; give a --from of {} or later",
            d.iso(),
            limit.iso()
        ),
        Some(d) => Ok(d),
        None => Ok(store::backfill::first_activity_day(conn)?.unwrap_or(today).max(limit)),
    }
}

/// Stores, in one transaction, for each day from `from` to yesterday that
/// has no snapshot yet, the snapshots `csf --now DAY health score` would
/// have stored (each day at 23:59:59 UTC, the weights in force now).
/// `tick(done, total)` after each customer.
pub fn backfill(
    conn: &mut Connection,
    settings: &Settings,
    now: i64,
    from: Day,
    tick: &dyn Fn(u64, u64),
) -> Result<Backfilled> {
    let today = Day::of(now);
    let weights = settings.weights();
    let weights_text = weights.to_string();
    store::write(conn, |tx| {
        let scored = store::backfill::scored_days(tx, &from.iso(), &(today - 1).iso())?;
        let days: Vec<Day> =
            (0..today - from).map(|k| from + k).filter(|d| !scored.contains(&d.iso())).collect();
        let mut done = Backfilled {
            range: days.first().zip(days.last()).map(|(a, b)| (*a, *b)),
            days: days.len(),
            snapshots: 0,
            kept_days: (today - from).max(0) as usize - days.len(),
        };
        let (Some(&first), Some(&last)) = (days.first(), days.last()) else { return Ok(done) };
        let history =
            History::load(tx, first.end(), last.end()).context("could not read the history to backfill")?;
        // Per day once: its clock, label and core features. Then customer by
        // customer, day by day: rows arrive in the key's (cid, day) order.
        let per_day: Vec<(Day, Bounds, String, Core)> = days
            .iter()
            .map(|&d| (d, Bounds::at(d.end()), d.iso(), history.core_at(settings, d.end())))
            .collect();
        let n = history.customers.len() as u64;
        let bulk = store::backfill::begin_bulk_write(tx, history.customers.len() * per_day.len())?;
        let mut out = hstore::NewSnapshots::new(tx)?;
        for (k, c) in history.customers.iter().enumerate() {
            for (d, bounds, label, core) in &per_day {
                let at = bounds.now;
                if !c.active_at(at) {
                    continue;
                }
                let components = health::components(&facts_at(c, core, bounds), core.count, *d, at);
                let score = health::score(&components, weights);
                let snap = hstore::NewSnapshot {
                    cid: c.cid,
                    day: label,
                    components: &components,
                    score,
                    weights: &weights_text,
                };
                done.snapshots +=
                    usize::from(out.add(&snap, at).context("could not store the backfilled snapshots")?);
            }
            tick(k as u64 + 1, n);
        }
        drop(out);
        store::backfill::end_bulk_write(tx, bulk)?;
        Ok(done)
    })
}
