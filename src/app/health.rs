//! What csf knows of each customer's health: scored live as of `now`,
//! stored nightly, listed from the latest snapshots (docs/health.md).

use anyhow::{Context as _, Result};
use rusqlite::Connection;

use crate::app::readers;
use crate::domain::fold::Bounds;
use crate::domain::health::{self, Band, Live};
use crate::domain::settings::Settings;
use crate::store::customers::Customer;
use crate::store::health::{self as hstore, Features, Latest, Snapshot, Subject, Window};
use crate::store::{self};
use crate::time;

/// The outcome of `health score`: each scored customer's score, band and
/// whether it is new (in the grace period), and the newest usage event.
pub struct ScoreSummary {
    pub scores: Vec<(i64, Band, bool)>,
    pub newest_event: Option<i64>,
}

impl ScoreSummary {
    pub fn count(&self, band: Band) -> usize {
        self.scores.iter().filter(|(_, b, _)| *b == band).count()
    }

    /// Customers in `worst` or a worse band, new customers left out (`--fail-on`).
    pub fn at_or_below(&self, worst: Band) -> usize {
        self.scores.iter().filter(|(_, b, new)| *b <= worst && !new).count()
    }
}

/// Scores every active customer as of `now` and stores today's snapshots in
/// one transaction (a rerun the same day replaces them).
pub fn score_all(conn: &mut Connection, settings: &Settings, now: i64) -> Result<ScoreSummary> {
    score_all_with(conn, settings, now, None)
}

/// [`score_all`], storing a fresh evidence measurement in the same transaction.
pub fn score_all_with(
    conn: &mut Connection,
    settings: &Settings,
    now: i64,
    evidence: Option<&crate::app::evidence::Measured>,
) -> Result<ScoreSummary> {
    store::write(conn, |tx| {
        if let Some(m) = evidence {
            crate::app::evidence::save(tx, now, m)?;
        }
        let mut newest_event = None;
        let grace = i64::from(settings.count("health.grace_days"));
        let mut new = std::collections::HashSet::new();
        let snaps = live_all_seeing(tx, settings, now, |r| {
            newest_event = newest_event.max(r.facts.last_event);
            if health::is_new(r.facts.signup_day.map(|d| d.start()), now, grace) {
                new.insert(r.cid);
            }
        })?;
        hstore::save(tx, &snaps, now).context("could not store the health snapshots")?;
        let scores = snaps.iter().map(|s| (s.score, Band::of(s.score), new.contains(&s.cid))).collect();
        Ok(ScoreSummary { scores, newest_event })
    })
}

/// One active customer's facts and live score.
pub struct Reading {
    pub cid: i64,
    pub facts: health::Facts,
    pub components: health::Components,
    pub score: i64,
}

/// Every active customer's facts and score as of `now`, handed over one by
/// one, so a caller that keeps only part of each never holds them all.
pub fn each_reading(conn: &Connection, settings: &Settings, now: i64, f: impl FnMut(Reading)) -> Result<()> {
    let feats = Features::load(conn, settings, now)?;
    // The last 28 days' usage (a range seek per customer) reads on a side
    // connection while this one reads the rest (two scans at once).
    let (subjects, windows) = std::thread::scope(|scope| {
        let feats = &feats;
        let side = readers::beside(scope, conn, move |c| hstore::usage_window(c, feats, now, None));
        let subjects = hstore::subjects(conn, feats, now, None, false)?;
        anyhow::Ok((subjects, side.join()?))
    })?;
    score_each(settings, now, &feats, subjects, &windows, f);
    Ok(())
}

/// Scores each subject with its usage window (both as read by the store, in
/// cid order), handing the readings over one by one.
pub fn score_each(
    settings: &Settings,
    now: i64,
    feats: &Features,
    mut subjects: Vec<Subject>,
    windows: &[Window],
    mut f: impl FnMut(Reading),
) {
    let weights = settings.weights();
    let today = time::Day::of(now);
    hstore::add_window(&mut subjects, windows, &Bounds::at(now));
    for s in subjects {
        let components = health::components(&s.facts, feats.core_count(), today, now);
        let score = health::score(&components, weights);
        f(Reading { cid: s.cid, facts: s.facts, components, score });
    }
}

/// Every active customer's health as of `now` — what `health score` stores
/// for today — computed without storing it.
#[cfg(test)]
pub fn live_all(conn: &Connection, settings: &Settings, now: i64) -> Result<Vec<Snapshot>> {
    live_all_seeing(conn, settings, now, |_| ())
}

/// [`live_all`], showing each reading to `see` on the way.
fn live_all_seeing(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    mut see: impl FnMut(&Reading),
) -> Result<Vec<Snapshot>> {
    let day = time::Day::of(now);
    let weights_text = settings.weights().to_string();
    let mut out = Vec::new();
    each_reading(conn, settings, now, |r| {
        see(&r);
        out.push(Snapshot {
            cid: r.cid,
            day,
            usage: r.components.usage,
            engagement: r.components.engagement,
            satisfaction: r.components.satisfaction,
            payment: r.components.payment,
            score: r.score,
            status: Band::of(r.score),
            weights: weights_text.clone(),
        })
    })?;
    Ok(out)
}

/// One customer's health computed live as of `now`.
pub fn live(conn: &Connection, settings: &Settings, now: i64, c: &Customer) -> Result<Live> {
    let feats = Features::load(conn, settings, now)?;
    let subject = hstore::facts(conn, &feats, now, Some(c.cid), true)?
        .pop()
        // unreachable from the CLI: `c` was just read from this database; only a
        // concurrent `customer remove` between the two reads could empty this
        .context("the customer disappeared while being read")?;
    let today = time::Day::of(now);
    let components = health::components(&subject.facts, feats.core_count(), today, now);
    let weights = settings.weights();
    let score = health::score(&components, weights);
    let signals = health::signals(&subject.facts, feats.core_count(), today, now);
    let churned = c.is_churned(now);
    let stage = health::stage(churned, &subject.facts);
    let scored = !churned && c.signed_up_at.is_none_or(|t| t <= now);
    Ok(Live {
        facts: subject.facts,
        components,
        weights,
        score,
        band: Band::of(score),
        signals,
        stage,
        scored,
    })
}

/// How `health list` orders the stored scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Lowest score first.
    Score,
    Name,
    /// Biggest drop over 7 days first.
    Change,
    /// Highest MRR first; customers without MRR last.
    Mrr,
}

/// The change of a stored score over the 7 days before it.
pub fn change_7d(l: &Latest) -> Option<i64> {
    l.score_7d_before.map(|p| l.snap.score - p)
}

/// Every active customer's latest stored snapshot, new customers (in the
/// `grace_days` after signup) marked.
fn latest_marked(conn: &Connection, now: i64, grace_days: i64) -> Result<Vec<Latest>> {
    let mut all = hstore::latest(conn, now)?;
    for l in &mut all {
        l.new = health::is_new(l.signed_up_at, now, grace_days);
    }
    Ok(all)
}

/// Each customer's latest stored snapshot, optionally of one band, in `sort`
/// order; new customers are marked.
pub fn latest(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    status: Option<Band>,
    sort: Sort,
) -> Result<Vec<Latest>> {
    let mut all = latest_marked(conn, now, i64::from(settings.count("health.grace_days")))?;
    all.retain(|l| status.is_none_or(|s| l.snap.status == s));
    match sort {
        Sort::Score => all.sort_by(|a, b| a.snap.score.cmp(&b.snap.score).then(a.id.cmp(&b.id))),
        Sort::Name => all.sort_by(|a, b| {
            let n = |l: &Latest| l.name.clone().unwrap_or_else(|| l.id.clone()).to_lowercase();
            n(a).cmp(&n(b)).then(a.id.cmp(&b.id))
        }),
        Sort::Change => all.sort_by_key(|l| (change_7d(l).unwrap_or(i64::MAX), l.id.clone())),
        Sort::Mrr => all.sort_by(|a, b| b.mrr_cents.cmp(&a.mrr_cents).then(a.id.cmp(&b.id))),
    }
    Ok(all)
}

/// The latest stored snapshots worst band first (`health alerts`); new
/// customers are left out (their onboarding is their action).
pub fn alerts(conn: &Connection, settings: &Settings, now: i64, status: Option<Band>) -> Result<Vec<Latest>> {
    let mut all = latest_marked(conn, now, i64::from(settings.count("health.grace_days")))?;
    all.retain(|l| !l.new);
    all.retain(|l| status.is_none_or(|s| l.snap.status == s));
    all.sort_by(|a, b| {
        let band = |l: &Latest| Band::of(l.snap.score);
        band(a).cmp(&band(b)).then(a.snap.score.cmp(&b.snap.score)).then(a.id.cmp(&b.id))
    });
    Ok(all)
}

/// A customer's stored score history: (day, score) of the last `days` days,
/// and the latest stored snapshot (day, score, weights).
pub struct ScoreHistory {
    pub scores: Vec<(String, i64)>,
    pub stored: Option<(String, i64, String)>,
}

pub fn history(conn: &Connection, cid: i64, now: i64, days: i64) -> Result<ScoreHistory> {
    Ok(ScoreHistory {
        scores: hstore::history(conn, cid, now, days)?,
        stored: hstore::latest_of(conn, cid, now)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::customers;

    const NOW: &str = "2026-11-20T12:00:00Z";

    fn example() -> (Connection, Settings, i64) {
        crate::example::book(NOW)
    }

    /// The live scores are those `health score` stores, and one customer's
    /// live reading agrees with the whole book's.
    #[test]
    fn live_scores_equal_the_stored_ones_and_one_customer_agrees() {
        let (mut conn, settings, now) = example();
        let live = live_all(&conn, &settings, now).unwrap();
        assert!(live.len() >= 10);
        let summary = score_all(&mut conn, &settings, now).unwrap();
        assert_eq!(summary.scores.len(), live.len());
        let stored = latest(&conn, &settings, now, None, Sort::Score).unwrap();
        for s in &live {
            let l = stored.iter().find(|l| l.snap.cid == s.cid).unwrap();
            assert_eq!(l.snap.score, s.score, "{}", l.id);
            let c = customers::get(&conn, &l.id).unwrap();
            let one = super::live(&conn, &settings, now, &c).unwrap();
            assert_eq!(one.score, s.score, "{}", l.id);
            assert_eq!(one.band, Band::of(s.score));
        }
        let counted: usize = Band::ALL.iter().map(|b| summary.count(*b)).sum();
        assert_eq!(counted, live.len());
        // Sorted lowest first; alerts worst band first.
        assert!(stored.windows(2).all(|w| w[0].snap.score <= w[1].snap.score));
        let alerts = alerts(&conn, &settings, now, Some(Band::Critical)).unwrap();
        assert!(alerts.iter().all(|l| l.snap.status == Band::Critical));
        assert_eq!(alerts.len(), summary.count(Band::Critical));
    }
}
