//! The warning-sign facts replayed from a customer's history: the fold
//! `churn risks` does in SQL, over the rows [`super::History`] loaded.

use super::CustomerHistory;
use crate::domain::churn::RiskFacts;
use crate::domain::health::Payment;
use crate::time::Day;

/// The warning-sign facts of one customer as of `now`, from a history loaded
/// with [`History::load_with_signs`]: the same facts `store::churn::risk_facts`
/// reads from the tables (a test keeps them equal at every cutoff).
pub fn risk_facts_at(c: &CustomerHistory, now: i64) -> RiskFacts {
    let today = Day::of(now);
    let (d41, d27, d13) = ((today - 41).start(), (today - 27).start(), (today - 13).start());
    let mut f = RiskFacts::default();

    let at = |offset: u32| c.usage_base + i64::from(offset);
    let lo = c.usage.partition_point(|(ts, _)| at(*ts) < d41);
    let hi = c.usage.partition_point(|(ts, _)| at(*ts) <= now);
    for k in lo..hi {
        let ts = at(c.usage[k].0);
        let count = i64::from(c.counts.get(k).copied().unwrap_or(1));
        if ts >= d13 {
            f.recent += count;
        } else {
            f.prior_28 += count;
            if ts >= d27 {
                f.prior += count;
            }
        }
    }
    f.last_active = (hi > lo).then(|| at(c.usage[hi - 1].0));

    let d7 = (today - 6).start();
    f.tickets_7d = (c.tickets.partition_point(|t| *t <= now) - c.tickets.partition_point(|t| *t < d7)) as i64;

    let d30 = (today - 29).start();
    let lo = c.nps.partition_point(|(t, _)| *t < d30);
    let hi = c.nps.partition_point(|(t, _)| *t <= now);
    for &(t, score) in c.nps[lo..hi].iter().filter(|(_, s)| *s <= 6) {
        f.low_nps = Some((t, score));
        f.lowest_nps = Some(f.lowest_nps.map_or(score, |l| l.min(score)));
    }
    // CSAT parts are 25 × (rating − 1): a rating of 1 or 2 is a part ≤ 25.
    let lo = c.csat.partition_point(|(t, _, _)| *t < d30);
    let hi = c.csat.partition_point(|(t, _, _)| *t <= now);
    if let Some(&(t, _, part)) = c.csat[lo..hi].iter().rev().find(|(_, _, part)| *part <= 25) {
        f.low_csat = Some((t, part / 25 + 1));
    }

    let b = c.billing.partition_point(|(d, _)| *d <= now);
    f.failed_payment =
        b.checked_sub(1).and_then(|i| (c.billing[i].1 == Payment::Failed).then_some(c.billing[i].0));

    f.feature_requests = c
        .feature_requests
        .iter()
        .filter(|(_, _, created, resolved)| *created <= now && resolved.is_none_or(|r| r > now))
        .map(|(id, subject, created, _)| (id.clone(), subject.clone(), *created))
        .collect();
    f
}
