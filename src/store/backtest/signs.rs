//! The warning-sign facts replayed from a customer's history: the rows
//! [`super::History`] loaded, fed to the fold `churn risks` feeds.

use super::CustomerHistory;
use crate::domain::churn::RiskFacts;
use crate::domain::fold::Bounds;

/// The warning-sign facts of one customer as of `b.now`, from a history
/// loaded with [`History::load_with_signs`]: the rows that can matter, found
/// by binary search, fed to the one fold `churn risks` feeds from the tables
/// (a test keeps them equal at every cutoff).
pub fn risk_facts_at(c: &CustomerHistory, b: &Bounds) -> RiskFacts {
    let mut f = RiskFacts::default();
    let at = |offset: u32| c.usage_base + i64::from(offset);
    let lo = c.usage.partition_point(|(ts, _)| at(*ts) < b.signs_from);
    let hi = c.usage.partition_point(|(ts, _)| at(*ts) <= b.now);
    for k in lo..hi {
        f.add_usage(b, at(c.usage[k].0), i64::from(c.counts.get(k).copied().unwrap_or(1)));
    }
    let lo = c.tickets.partition_point(|t| *t < b.week_from);
    let hi = c.tickets.partition_point(|t| *t <= b.now);
    for &t in &c.tickets[lo..hi] {
        f.add_ticket(b, t);
    }
    let lo = c.nps.partition_point(|(t, _)| *t < b.month_from);
    let hi = c.nps.partition_point(|(t, _)| *t <= b.now);
    for &(t, score) in &c.nps[lo..hi] {
        f.add_nps(b, t, score);
    }
    // CSAT parts are 25 × (rating − 1).
    let lo = c.csat.partition_point(|(t, _, _)| *t < b.month_from);
    let hi = c.csat.partition_point(|(t, _, _)| *t <= b.now);
    for &(t, _, part) in &c.csat[lo..hi] {
        f.add_csat(b, t, part / 25 + 1);
    }
    let n = c.billing.partition_point(|(d, _)| *d <= b.now);
    for &(date, p) in &c.billing[n.saturating_sub(1)..n] {
        f.add_payment(b, date, p);
    }
    for (id, subject, created, resolved) in &c.feature_requests {
        f.add_feature_request(b, id, subject.as_deref(), *created, *resolved);
    }
    f
}
