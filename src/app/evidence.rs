//! Evidence (docs/health.md#evidence): replay the backtest's cutoffs with the
//! warning signs beside the score, count what foretold churn, keep it, and
//! hand the latest measurement to `today`, the backtest and the plan.

use anyhow::{Context as _, Result};
use rusqlite::Connection;

use crate::app::backtest::{sweep, Window};
use crate::domain::evidence::{self as ev, Evidence, Part, Tally};
use crate::domain::fold::Bounds;
use crate::domain::health::Band;
use crate::domain::settings::Settings;
use crate::store::backtest::{risk_facts_at, History};
use crate::store::evidence::{self as stored, Span, Stored};
use crate::time::Day;

/// Measurements older than this many days are taken again by `health score`.
pub const REFRESH_AFTER_DAYS: i64 = 7;

/// A leaver the score called healthy, with the sign parts it had then.
pub struct Missed {
    pub cutoff: i64,
    pub id: String,
    pub score: i64,
    pub parts: Vec<Part>,
}

/// One measurement over a window (`evidence` is `None` when there was no
/// sample or no churned sample).
pub struct Measured {
    pub window: Window,
    pub evidence: Option<Evidence>,
    pub missed: Vec<Missed>,
}

impl Measured {
    pub fn span(&self) -> Span {
        span_of(&self.window)
    }
}

pub fn span_of(w: &Window) -> Span {
    Span { from: w.from, to: w.to, every: w.every, horizon: w.horizon }
}

/// Replays the window's cutoffs: each active customer's band (scored as the
/// backtest scores it) and sign parts (as `churn risks` would list them
/// then), judged against churn within the horizon. `tick` after each cutoff.
pub fn measure(
    conn: &Connection,
    settings: &Settings,
    window: Window,
    with_missed: bool,
    tick: &dyn Fn(),
) -> Result<Measured> {
    let cutoffs = window.cutoffs();
    // The billing rows read on a side connection (a file) beside the usage rows.
    let side = crate::app::readers::side_reader(conn)?;
    let history = History::load_with_signs(conn, side, cutoffs[0], cutoffs[cutoffs.len() - 1])
        .context("could not read the history to measure the evidence")?;
    let weights = settings.weights();
    // The cutoffs in two halves, one on each core: the history is only read.
    let part = |cuts: &[i64], tick: &dyn Fn()| {
        let mut tally = Tally::default();
        let mut missed = Vec::new();
        let bounds: Vec<Bounds> = cuts.iter().map(|&at| Bounds::at(at)).collect();
        sweep(&history, settings, &window, cuts, tick, |k, i, sample| {
            let c = &history.customers[i];
            let score = sample.score(weights);
            let band = Band::of(score);
            let parts = ev::parts(&risk_facts_at(c, &bounds[k]));
            tally.add(&ev::flagged(band, &parts), sample.churned);
            if with_missed && sample.churned && band == Band::Healthy {
                missed.push(Missed { cutoff: cuts[k], id: c.id.clone(), score, parts });
            }
        });
        (tally, missed)
    };
    let (early, late) = cutoffs.split_at(cutoffs.len().div_ceil(2));
    let ((mut tally, mut missed), (t2, m2)) = std::thread::scope(|s| {
        let other = s.spawn(|| part(late, &|| {}));
        let mine = part(early, tick);
        // unreachable from the CLI: the sweep panics only on a bug.
        let theirs = other.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (mine, theirs)
    });
    late.iter().for_each(|_| tick());
    tally.merge(&t2);
    missed.extend(m2);
    Ok(Measured { window, evidence: Evidence::of(&tally), missed })
}

/// The default window as of `now` (the backtest's), when it can be measured.
pub fn default_window(now: i64) -> Option<Window> {
    Window::new(Day::of(now), None, None, None, None).ok()
}

/// The latest stored measurement on or before `now`'s day.
pub fn latest(conn: &Connection, now: i64) -> Result<Option<Stored>> {
    stored::latest(conn, Day::of(now))
}

/// Whether `health score` should measure again: no measurement on or before
/// today, or the latest is more than [`REFRESH_AFTER_DAYS`] days old.
pub fn due(conn: &Connection, now: i64) -> Result<bool> {
    let today = Day::of(now);
    Ok(stored::latest_day(conn, today)?.is_none_or(|d| today - d > REFRESH_AFTER_DAYS))
}

/// A new measurement over the default window when the stored one is older
/// than a week or absent (`None`: not due, or no window to measure): what
/// `health score` stores beside its snapshots.
pub fn measure_if_due(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    tick: &dyn Fn(),
) -> Result<Option<Measured>> {
    match default_window(now) {
        Some(w) if due(conn, now)? => Ok(Some(measure(conn, settings, w, false, tick)?)),
        _ => Ok(None),
    }
}

/// The evidence of a window: the stored measurement when it covers the same
/// window, else measured now (not stored).
pub fn for_window(
    conn: &Connection,
    settings: &Settings,
    window: Window,
    now: i64,
) -> Result<Option<Evidence>> {
    if let Some(s) = latest(conn, now)? {
        if s.span == span_of(&window) {
            return Ok(Some(s.evidence));
        }
    }
    Ok(measure(conn, settings, window, false, &|| {})?.evidence)
}

/// Stores a measurement made today (inside the caller's transaction);
/// nothing when there was nothing to measure.
pub fn save(conn: &Connection, now: i64, m: &Measured) -> Result<bool> {
    match &m.evidence {
        Some(e) => {
            stored::save(conn, Day::of(now), m.span(), e).context("could not store the evidence")?;
            Ok(true)
        }
        None => Ok(false),
    }
}

#[cfg(test)]
pub(crate) mod tests;
