//! `health score --backfill` (docs/health.md): the snapshots each past day
//! would have had, from the history loaded once and swept day by day in
//! memory (as the backtest's replay does), never replacing a stored one.

use anyhow::{bail, Context as _, Result};
use rusqlite::Connection;

use crate::app::backtest::day;
use crate::domain::health::{self, Band};
use crate::domain::settings::Settings;
use crate::store::backtest::{facts_at, Core, History};
use crate::store::health::{self as hstore, Snapshot};
use crate::store::{self};
use crate::time::{iso_date, DAY};

/// How far back a backfill may start, in days before today.
pub const MAX_DAYS_BACK: i64 = 400;

/// What a backfill wrote: the days it filled (first, last), how many, the
/// snapshots, and the days in the range that already had snapshots (kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backfilled {
    pub range: Option<(i64, i64)>,
    pub days: usize,
    pub snapshots: usize,
    pub kept_days: usize,
}

/// The first day to fill: `from`, or the first signup day (else the first
/// usage day), at most [`MAX_DAYS_BACK`] days back. Refuses a `from` after
/// yesterday or further back than the limit.
pub fn first_day(conn: &Connection, today: i64, from: Option<i64>) -> Result<i64> {
    let limit = today - MAX_DAYS_BACK;
    match from {
        Some(d) if d >= today => bail!(
            "--from {} is not in the past: a backfill fills the days before today ({}); give a --from of {} or earlier",
            day(d),
            day(today),
            day(today - 1)
        ),
        Some(d) if d < limit => bail!(
            "--from {} is more than {MAX_DAYS_BACK} days back; give a --from of {} or later",
            day(d),
            day(limit)
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
    from: i64,
    tick: &dyn Fn(u64, u64),
) -> Result<Backfilled> {
    let today = now.div_euclid(DAY);
    let weights = settings.weights();
    let weights_text = weights.map(|w| w.to_string()).join(",");
    store::write(conn, |tx| {
        let scored = store::backfill::scored_days(tx, &day(from), &day(today - 1))?;
        let days: Vec<i64> = (from..today).filter(|d| !scored.contains(&day(*d))).collect();
        let mut done = Backfilled {
            range: days.first().zip(days.last()).map(|(a, b)| (*a, *b)),
            days: days.len(),
            snapshots: 0,
            kept_days: (today - from).max(0) as usize - days.len(),
        };
        let (Some(&first), Some(&last)) = (days.first(), days.last()) else { return Ok(done) };
        let end = |d: i64| d * DAY + DAY - 1;
        let history =
            History::load(tx, end(first), end(last)).context("could not read the history to backfill")?;
        // Per day once: its clock, label and core features. Then customer by
        // customer, day by day: rows arrive in the key's (cid, day) order.
        let per_day: Vec<(i64, i64, String, Core)> =
            days.iter().map(|&d| (d, end(d), iso_date(end(d)), history.core_at(settings, end(d)))).collect();
        let n = history.customers.len() as u64;
        let mut snaps = Vec::with_capacity(per_day.len());
        for (k, c) in history.customers.iter().enumerate() {
            snaps.clear();
            for (d, at, label, core) in &per_day {
                if !c.active_at(*at) {
                    continue;
                }
                let comp = health::components(&facts_at(c, core, *at), core.count, *d, *at);
                let score = health::score(&comp, weights);
                snaps.push((
                    *at,
                    Snapshot {
                        cid: c.cid,
                        day: label.clone(),
                        usage: comp.usage,
                        engagement: comp.engagement,
                        satisfaction: comp.satisfaction,
                        payment: comp.payment,
                        score,
                        status: Band::of(score).name().into(),
                        weights: weights_text.clone(),
                    },
                ));
            }
            for (at, s) in &snaps {
                done.snapshots += hstore::save_new(tx, std::slice::from_ref(s), *at)
                    .context("could not store the backfilled snapshots")?;
            }
            tick(k as u64 + 1, n);
        }
        Ok(done)
    })
}
