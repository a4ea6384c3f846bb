//! What csf knows of each customer: the book with stages and latest scores,
//! and one customer's whole profile (docs/schema.md).

use std::collections::HashMap;

mod edit;
pub use edit::{add, edit, remove, Fields};

use anyhow::Result;
use rusqlite::Connection;

use crate::app::health;
use crate::domain::health::{self as dh, Band, Live, Stage};
use crate::domain::settings::Settings;
use crate::store::customers::{self, Customer};
use crate::store::health as hstore;
use crate::store::profile::{self, Profile};
use crate::store::touches::{self, Touch};

/// One customer of the book with its stage and latest stored score (none once churned).
pub struct Listed {
    pub customer: Customer,
    pub stage: Stage,
    /// (score, status) of the latest snapshot.
    pub score: Option<(i64, Band)>,
}

/// Every customer, optionally only those in the stage named `stage`.
pub fn list(conn: &Connection, settings: &Settings, now: i64, stage: Option<Stage>) -> Result<Vec<Listed>> {
    // Facts for the active customers in one set-based pass, kept only as
    // their stage; the others are churned, or not signed up yet (onboarding).
    let stages: HashMap<i64, Stage> = {
        let feats = hstore::Features::load(conn, settings, now)?;
        hstore::facts(conn, &feats, now, None, true)?
            .iter()
            .map(|s| (s.cid, dh::stage(false, &s.facts)))
            .collect()
    };
    let mut scores: HashMap<i64, (i64, Band)> =
        hstore::latest(conn, now)?.into_iter().map(|l| (l.snap.cid, (l.snap.score, l.snap.status))).collect();
    let mut out = Vec::new();
    for c in customers::list(conn)? {
        let st = if c.is_churned(now) {
            Stage::Churned
        } else {
            stages.get(&c.cid).copied().unwrap_or(Stage::Onboarding)
        };
        if stage.is_some_and(|f| f != st) {
            continue;
        }
        let score = scores.remove(&c.cid).filter(|_| st != Stage::Churned);
        out.push(Listed { customer: c, stage: st, score });
    }
    Ok(out)
}

/// One customer's profile: live health, open tickets, NPS, billing, activity, touches.
pub struct Shown {
    pub customer: Customer,
    pub live: Live,
    pub profile: Profile,
    pub touches: Vec<Touch>,
    /// For a customer churned as of now: (the MRR it paid just before, the churn).
    pub churned: Option<(crate::money::Cents, i64)>,
}

pub fn show(conn: &Connection, settings: &Settings, now: i64, key: &str) -> Result<Shown> {
    let customer = customers::lookup(conn, key)?;
    let live = health::live(conn, settings, now, &customer)?;
    let profile = profile::load(conn, customer.cid, now)?;
    let touches = touches::of_customer(conn, customer.cid, now)?;
    let churned = match customer.churned_at.filter(|t| *t <= now) {
        Some(t) => Some((crate::store::revenue::mrr_at(conn, customer.cid, t - 1)?.unwrap_or_default(), t)),
        None => None,
    };
    Ok(Shown { customer, live, profile, touches, churned })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_book_has_every_customer_once_and_a_profile_agrees_with_it() {
        let (mut conn, settings, now) = crate::example::book("2026-11-20T12:00:00Z");
        health::score_all(&mut conn, &settings, now).unwrap();
        let all = list(&conn, &settings, now, None).unwrap();
        assert_eq!(all.len(), customers::list(&conn).unwrap().len());
        for l in all.iter().filter(|l| l.stage == Stage::Churned) {
            assert!(l.score.is_none(), "{}: a churned customer shows no score", l.customer.id);
        }
        let churned = list(&conn, &settings, now, Some(Stage::Churned)).unwrap();
        assert_eq!(churned.len(), all.iter().filter(|l| l.stage == Stage::Churned).count());
        let first = all.iter().find(|l| l.score.is_some()).unwrap();
        let shown = show(&conn, &settings, now, &first.customer.id).unwrap();
        assert_eq!(shown.live.stage, first.stage);
        assert_eq!(Some(shown.live.score), first.score.as_ref().map(|s| s.0), "scored today, live = stored");
    }
}
