//! The one fold of a customer's facts as of a moment (docs/health.md,
//! docs/churn.md): its rows, fed kind by kind in time order, become the
//! health facts the score reads ([`Facts`]) and the warning-sign facts
//! `churn risks` reads ([`RiskFacts`]). Live scoring, `churn risks`, `today`
//! and the replay (backtest, backfill, evidence) all feed these folds; the
//! SQL and the replay's history only choose which rows to feed. A row outside
//! the bounds is ignored, so feeding more rows than needed gives the same
//! facts.

use crate::domain::churn::RiskFacts;
use crate::domain::health::{window_start, Facts, Payment};
use crate::time::{Day, WeekBlocks};

/// The instants the facts as of `now` look back to, computed once per moment.
#[derive(Debug, Clone)]
pub struct Bounds {
    pub now: i64,
    pub today: Day,
    /// The health window's first instant (D-27) and its four 7-day blocks.
    pub window: i64,
    blocks: WeekBlocks,
    /// CSAT counts from D-89; tickets, low NPS and low CSAT from D-29.
    pub csat_from: i64,
    pub month_from: i64,
    /// The warning signs' usage from D-41, its last 14 days from D-13, a
    /// support spike from D-6.
    pub signs_from: i64,
    pub recent_from: i64,
    pub week_from: i64,
}

impl Bounds {
    pub fn at(now: i64) -> Bounds {
        let today = Day::of(now);
        let first = window_start(today);
        Bounds {
            now,
            today,
            window: first.start(),
            blocks: WeekBlocks::from(first),
            csat_from: (today - 89).start(),
            month_from: (today - 29).start(),
            signs_from: (today - 41).start(),
            recent_from: (today - 13).start(),
            week_from: (today - 6).start(),
        }
    }
}

/// One customer's usage rows, fed in time order, folded into the health
/// window's facts: the active blocks, the distinct core features used and
/// the latest event. Reusable: [`UsageFold::finish`] leaves it empty for the
/// next customer.
pub struct UsageFold<'a> {
    bounds: &'a Bounds,
    /// The core features' event ids, sorted.
    core: &'a [i64],
    blocks: [bool; 4],
    /// The core features used, by their place in `core` (a bit each; past
    /// 128 features, the rest are counted in a list).
    used: u128,
    more: Vec<usize>,
    last: Option<i64>,
}

impl<'a> UsageFold<'a> {
    /// `core`: the core features' event ids, sorted.
    pub fn new(bounds: &'a Bounds, core: &'a [i64]) -> UsageFold<'a> {
        debug_assert!(core.is_sorted());
        UsageFold { bounds, core, blocks: [false; 4], used: 0, more: Vec::new(), last: None }
    }

    pub fn add(&mut self, ts: i64, event: i64) {
        let b = self.bounds;
        if ts > b.now {
            return;
        }
        self.last = Some(self.last.map_or(ts, |l| l.max(ts)));
        if ts < b.window {
            return;
        }
        self.blocks[b.blocks.of(ts)] = true;
        match self.core.binary_search(&event) {
            Ok(i) if i < 128 => self.used |= 1 << i,
            Ok(i) if !self.more.contains(&i) => self.more.push(i),
            _ => {}
        }
    }

    /// What was fed, and the fold emptied for the next customer.
    pub fn finish(&mut self) -> Used {
        let used = Used {
            blocks: self.blocks,
            core_used: self.used.count_ones() as usize + self.more.len(),
            last_event: self.last,
        };
        self.blocks = [false; 4];
        self.used = 0;
        self.more.clear();
        self.last = None;
        used
    }
}

/// A customer's usage in the health window, as a [`UsageFold`] found it.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Used {
    pub blocks: [bool; 4],
    pub core_used: usize,
    /// The latest event fed (at or before now, in the window or not).
    pub last_event: Option<i64>,
}

/// The health facts' rows other than the window's usage: each kind fed in
/// time order (the later of two rows at one time wins where a latest is kept).
impl Facts {
    /// The window's usage, from a [`UsageFold`].
    pub fn add_used(&mut self, b: &Bounds, used: &Used) {
        self.active_blocks = used.blocks;
        self.core_used = used.core_used;
        if let Some(t) = used.last_event {
            self.add_event(b, t);
        }
    }

    /// A customer signed up at `signed_up_at` (unknown: `None`), no row yet.
    pub fn signed_up(signed_up_at: Option<i64>) -> Facts {
        Facts { signup_day: signed_up_at.map(Day::of), ..Facts::default() }
    }

    /// A usage event at `ts` (any name): the latest at or before now is kept.
    /// [`UsageFold`] feeds its rows here; a reader that knows only the latest
    /// event's time feeds that.
    pub fn add_event(&mut self, b: &Bounds, ts: i64) {
        if ts <= b.now {
            self.last_event = Some(self.last_event.map_or(ts, |l| l.max(ts)));
        }
    }

    /// An NPS answer: the latest at or before now is kept.
    pub fn add_nps(&mut self, b: &Bounds, at: i64, score: i64) {
        if at <= b.now && self.latest_nps.is_none_or(|(t, _)| at >= t) {
            self.latest_nps = Some((at, score));
        }
    }

    /// A CSAT rating (`part` = 25 × (rating − 1)) given at `at` on a ticket
    /// created at `created`: counted when given in the last 90 days.
    pub fn add_csat(&mut self, b: &Bounds, at: i64, created: i64, part: i64) {
        if at >= b.csat_from && at <= b.now && created <= b.now {
            self.csat.0 += part;
            self.csat.1 += 1;
        }
    }

    /// A billing record among paid/late/failed, fed in (date, record) order:
    /// the latest dated at or before now decides.
    pub fn add_payment(&mut self, b: &Bounds, date: i64, payment: Payment) {
        if date <= b.now {
            self.payment = Some(payment);
        }
    }

    /// A ticket: created in the last 30 days, unresolved as of now.
    pub fn add_ticket(&mut self, b: &Bounds, created: i64, resolved: Option<i64>) {
        if created > b.now {
            return;
        }
        self.tickets_30d += i64::from(created >= b.month_from);
        if resolved.is_none_or(|t| t > b.now) {
            self.unresolved += 1;
            self.oldest_unresolved = Some(self.oldest_unresolved.map_or(created, |o| o.min(created)));
        }
    }

    /// A value event (docs/onboarding.md) at `ts`.
    pub fn add_value_event(&mut self, b: &Bounds, ts: i64) {
        self.reached_value |= ts <= b.now;
    }
}

/// The warning signs' rows, each kind fed in time order (the later of two
/// rows at one time wins where a latest is kept).
impl RiskFacts {
    /// A usage row of `count` events: summed into the last 14 days, the 14
    /// before and the 28 before those; the latest within 42 days kept.
    pub fn add_usage(&mut self, b: &Bounds, ts: i64, count: i64) {
        if ts < b.signs_from || ts > b.now {
            return;
        }
        if ts >= b.recent_from {
            self.recent += count;
        } else {
            self.prior_28 += count;
            if ts >= b.window {
                self.prior += count;
            }
        }
        self.last_active = Some(self.last_active.map_or(ts, |l| l.max(ts)));
    }

    /// A ticket created at `created`: counted in the last 7 days.
    pub fn add_ticket(&mut self, b: &Bounds, created: i64) {
        self.tickets_7d += i64::from(created >= b.week_from && created <= b.now);
    }

    /// An NPS answer: a 0–6 in the last 30 days is kept (the latest, and the lowest).
    pub fn add_nps(&mut self, b: &Bounds, at: i64, score: i64) {
        if score > 6 || at < b.month_from || at > b.now {
            return;
        }
        if self.low_nps.is_none_or(|(t, _)| at >= t) {
            self.low_nps = Some((at, score));
        }
        self.lowest_nps = Some(self.lowest_nps.map_or(score, |l| l.min(score)));
    }

    /// A CSAT rating (1–5): a 1 or 2 in the last 30 days is kept (the latest).
    pub fn add_csat(&mut self, b: &Bounds, at: i64, rating: i64) {
        if rating <= 2 && at >= b.month_from && at <= b.now && self.low_csat.is_none_or(|(t, _)| at >= t) {
            self.low_csat = Some((at, rating));
        }
    }

    /// A billing record among paid/late/failed, fed in (date, record) order:
    /// the latest dated at or before now is a failed payment or not.
    pub fn add_payment(&mut self, b: &Bounds, date: i64, payment: Payment) {
        if date <= b.now {
            self.failed_payment = (payment == Payment::Failed).then_some(date);
        }
    }

    /// A feature-request ticket: kept while unresolved as of now.
    pub fn add_feature_request(
        &mut self,
        b: &Bounds,
        id: &str,
        subject: Option<&str>,
        created: i64,
        resolved: Option<i64>,
    ) {
        if created <= b.now && resolved.is_none_or(|r| r > b.now) {
            self.feature_requests.push((id.to_string(), subject.map(str::to_string), created));
        }
    }
}

#[cfg(test)]
mod tests;
