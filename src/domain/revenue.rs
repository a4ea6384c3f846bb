//! Revenue with its history (docs/revenue.md): a customer's MRR at any time
//! from its changes and its churns and returns; each month's movements
//! (new, expansion, contraction, churned, reactivation) as a pure fold over
//! the customers, so that start + movements = end holds exactly, in cents.

use crate::money::Cents;

/// One customer's revenue history, each list sorted by time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MrrHistory {
    /// (effective at, MRR): the MRR from that moment on.
    pub changes: Vec<(i64, Cents)>,
    /// (at, churned): a churn (`true`) or a return (`false`) from that moment on.
    pub status: Vec<(i64, bool)>,
    /// Signup time, if known: no MRR is counted before it.
    pub signed_up_at: Option<i64>,
    /// (effective at, plan): the plan from that moment on (empty: the current plan throughout).
    pub plans: Vec<(i64, Option<String>)>,
}

impl MrrHistory {
    /// The MRR recorded at `t` (the latest change on or before it), churned or not.
    pub fn recorded_at(&self, t: i64) -> Cents {
        self.changes.iter().take_while(|(at, _)| *at <= t).last().map_or(Cents::ZERO, |(_, c)| *c)
    }

    /// Churned at `t`: the latest churn or return on or before it is a churn.
    pub fn churned_at(&self, t: i64) -> bool {
        self.status.iter().take_while(|(at, _)| *at <= t).last().is_some_and(|(_, c)| *c)
    }

    /// The MRR paid at `t`: the recorded MRR, 0 once churned or before signup.
    pub fn mrr_at(&self, t: i64) -> Cents {
        if self.churned_at(t) || self.signed_up_at.is_some_and(|s| s > t) {
            Cents::ZERO
        } else {
            self.recorded_at(t)
        }
    }

    /// Forgets what happened after `now` (data stamped later is ignored).
    pub fn forget_after(&mut self, now: i64) {
        self.changes.retain(|(at, _)| *at <= now);
        self.status.retain(|(at, _)| *at <= now);
    }

    /// The latest churn in `[from, to]` when the customer is still churned at
    /// `to`: the one rule for "churned in a period" (docs/revenue.md).
    pub fn churn_ending(&self, from: i64, to: i64) -> Option<i64> {
        if !self.churned_at(to) {
            return None;
        }
        self.status
            .iter()
            .take_while(|(at, _)| *at <= to)
            .filter(|(at, c)| *c && *at >= from)
            .last()
            .map(|(at, _)| *at)
    }

    /// The MRR lost with a churn at `t`: the MRR recorded just before it.
    pub fn lost_at(&self, t: i64) -> Cents {
        self.recorded_at(t - 1)
    }

    /// Paid anything before `t` (so MRR that starts again is a reactivation, not new).
    pub fn paid_before(&self, t: i64) -> bool {
        // MRR is paid between changes; a churn only ends it. Look at each
        // change and each return before `t`.
        let mut moments: Vec<i64> = self.changes.iter().map(|(at, _)| *at).collect();
        moments.extend(self.status.iter().filter(|(_, c)| !*c).map(|(at, _)| *at));
        moments.into_iter().filter(|m| *m < t).any(|m| self.mrr_at(m) > Cents::ZERO)
    }
}

/// One customer's part in a period's churn counts (`churn rate`, `report
/// metrics`, `report trends`, the plan), by the same rule as the movements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChurnPart {
    /// Signed up before the period and not churned just before it.
    pub active: bool,
    /// Active, and churned at the period's end by a churn within it.
    pub churned: bool,
    /// Signed up in the period and churned at its end by a churn within it.
    pub same_period: bool,
    /// The MRR recorded just before the period (active customers only).
    pub mrr_start: Cents,
    /// The MRR recorded just before the churn (churned customers only).
    pub mrr_lost: Cents,
}

impl MrrHistory {
    /// This customer's part in the churn counts of `[start, end)`; `end` no
    /// later than now + 1.
    pub fn churn_in(&self, start: i64, end: i64) -> ChurnPart {
        let churn = self.churn_ending(start, end - 1);
        let active = self.signed_up_at.is_none_or(|s| s < start) && !self.churned_at(start - 1);
        let signed_in = self.signed_up_at.is_some_and(|s| s >= start && s < end);
        let mrr_start = if active { self.recorded_at(start - 1) } else { Cents::ZERO };
        let churned = active && churn.is_some();
        let mrr_lost = match churn.filter(|_| churned).map(|t| self.lost_at(t)) {
            Some(c) if c > Cents::ZERO => c,
            Some(_) => mrr_start,
            None => Cents::ZERO,
        };
        ChurnPart { active, churned, same_period: signed_in && churn.is_some(), mrr_start, mrr_lost }
    }
}

/// One period's movements, in cents, and the paying customers at its ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Movements {
    pub mrr_start: Cents,
    pub new: Cents,
    pub expansion: Cents,
    pub contraction: Cents,
    pub churned: Cents,
    pub reactivation: Cents,
    pub mrr_end: Cents,
    pub customers_start: i64,
    pub customers_end: i64,
    /// By plan only: MRR that came from another plan (a change of plan) and went to one.
    pub moved_in: Cents,
    pub moved_out: Cents,
}

impl Movements {
    /// Adds one customer's movement between `start` (its MRR at the period's
    /// start) and `end`; `paid_before` says whether it paid before the period.
    pub fn add(&mut self, start: Cents, end: Cents, paid_before: bool) {
        self.mrr_start += start;
        self.mrr_end += end;
        let (paid_start, paid_end) = (start > Cents::ZERO, end > Cents::ZERO);
        self.customers_start += i64::from(paid_start);
        self.customers_end += i64::from(paid_end);
        match (paid_start, paid_end) {
            (false, true) if paid_before => self.reactivation += end,
            (false, true) => self.new += end,
            (true, false) => self.churned += start,
            (true, true) if end > start => self.expansion += end - start,
            (true, true) => self.contraction += start - end,
            (false, false) => {}
        }
    }

    /// Net revenue retention, percent: (start + expansion − contraction − churned) ÷ start.
    pub fn nrr(&self) -> Option<f64> {
        (self.mrr_start + self.expansion - self.contraction - self.churned).percent_of(self.mrr_start)
    }

    /// Gross revenue retention, percent: (start − contraction − churned) ÷ start.
    pub fn grr(&self) -> Option<f64> {
        (self.mrr_start - self.contraction - self.churned).percent_of(self.mrr_start)
    }

    /// start + new + expansion − contraction − churned + reactivation = end.
    pub fn balances(&self) -> bool {
        self.mrr_start + self.new + self.expansion - self.contraction - self.churned + self.reactivation
            == self.mrr_end
    }
}

/// The movements of the period `[start, end)` over every history: each
/// customer's MRR just before `start` against its MRR at `end - 1`.
pub fn movements<'a>(histories: impl IntoIterator<Item = &'a MrrHistory>, start: i64, end: i64) -> Movements {
    let mut m = Movements::default();
    for h in histories {
        let (a, b) = (h.mrr_at(start - 1), h.mrr_at(end - 1));
        let paid_before = a == Cents::ZERO && b > Cents::ZERO && h.paid_before(start);
        m.add(a, b, paid_before);
        // A churn loses the MRR recorded just before it (as `churn rate`
        // counts it); a change in the month before the churn is expansion
        // or contraction, so the month still balances.
        let lost = h.churn_ending(start, end - 1).map(|t| h.lost_at(t));
        if let Some(c) = lost.filter(|c| a > Cents::ZERO && b == Cents::ZERO && *c > Cents::ZERO && *c != a) {
            m.churned += c - a;
            if c > a {
                m.expansion += c - a;
            } else {
                m.contraction += a - c;
            }
        }
    }
    m
}

pub mod plans;

#[cfg(test)]
mod tests {
    use super::*;

    use crate::time::DAY;
    // November 2026: [NOV, DEC).
    const NOV: i64 = 20_758 * DAY;
    const DEC: i64 = 20_788 * DAY;

    fn h(changes: &[(i64, i64)], status: &[(i64, bool)]) -> MrrHistory {
        MrrHistory {
            changes: changes.iter().map(|&(t, c)| (t, Cents(c))).collect(),
            status: status.to_vec(),
            signed_up_at: None,
            ..MrrHistory::default()
        }
    }

    /// One month by hand: an expansion, a contraction, a churn, a new
    /// customer and a reactivation, besides a steady one.
    #[test]
    fn a_hand_computed_month() {
        let before = NOV - 40 * DAY;
        let books = [
            h(&[(before, 10_000)], &[]),                          // steady $100
            h(&[(before, 5_000), (NOV + 3 * DAY, 8_000)], &[]),   // +$30 expansion
            h(&[(before, 20_000), (NOV + 9 * DAY, 15_000)], &[]), // −$50 contraction
            h(&[(before, 4_900)], &[(NOV + 12 * DAY, true)]),     // −$49 churned
            h(&[(NOV + 5 * DAY, 9_900)], &[]),                    // +$99 new
            h(&[(before - 90 * DAY, 2_900)], &[(before - 30 * DAY, true), (NOV + 20 * DAY, false)]), // +$29 back
            h(&[(NOV + 2 * DAY, 0)], &[]), // a free plan: nothing
        ];
        let m = movements(&books, NOV, DEC);
        assert_eq!(
            m,
            Movements {
                mrr_start: Cents(10_000 + 5_000 + 20_000 + 4_900),
                new: Cents(9_900),
                expansion: Cents(3_000),
                contraction: Cents(5_000),
                churned: Cents(4_900),
                reactivation: Cents(2_900),
                mrr_end: Cents(10_000 + 8_000 + 15_000 + 9_900 + 2_900),
                customers_start: 4,
                customers_end: 5,
                ..Movements::default()
            }
        );
        assert!(m.balances());
        // NRR = (39,900 + 3,000 − 5,000 − 4,900) / 39,900; GRR = (39,900 − 5,000 − 4,900) / 39,900.
        assert!((m.nrr().unwrap() - 33_000.0 * 100.0 / 39_900.0).abs() < 1e-9);
        assert!((m.grr().unwrap() - 30_000.0 * 100.0 / 39_900.0).abs() < 1e-9);
    }

    #[test]
    fn mrr_at_a_time_is_the_latest_change_and_zero_once_churned() {
        let x = MrrHistory {
            changes: vec![(100, Cents(1_000)), (200, Cents(3_000))],
            status: vec![(300, true), (400, false)],
            signed_up_at: Some(100),
            ..MrrHistory::default()
        };
        assert_eq!(
            [99, 100, 199, 200, 299, 300, 399, 400].map(|t| x.mrr_at(t)),
            [0, 1_000, 1_000, 3_000, 3_000, 0, 0, 3_000].map(Cents)
        );
        assert_eq!(x.recorded_at(350), Cents(3_000), "the MRR before a churn is kept");
        assert!(!x.paid_before(100) && x.paid_before(101));
    }

    #[test]
    fn an_empty_start_has_no_retention() {
        let m = movements(&[h(&[(NOV + DAY, 100)], &[])], NOV, DEC);
        assert_eq!((m.new, m.nrr(), m.grr()), (Cents(100), None, None));
    }
}
