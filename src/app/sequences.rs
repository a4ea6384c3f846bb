//! The outreach sequences, onboarding and win-back (docs/onboarding.md,
//! docs/churn.md): one rule for which step is due or missed, one way to mark
//! steps done.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;

use crate::domain::sequence::{DueStep, Sequence, ONBOARDING, WINBACK};
use crate::store::{self, sequences as ss};
use crate::time::{self, Day};

/// The steps of a sequence as of today: those due, and those whose window
/// passed undone (missed, never due again).
#[derive(Debug, Default)]
pub struct Steps {
    pub due: Vec<DueStep>,
    pub missed: Vec<DueStep>,
}

impl Steps {
    /// Adds one customer's missed steps and due step in `seq`, which started
    /// on day `start_day`; `done` holds every step marked done, by (customer, start).
    pub fn add(
        &mut self,
        seq: &Sequence,
        (cid, id, name): (i64, String, Option<String>),
        start_day: Day,
        today: Day,
        done: &HashMap<(i64, Day), Vec<i64>>,
    ) {
        let done = done.get(&(cid, start_day)).map_or(&[][..], Vec::as_slice);
        let day = today - start_day;
        let step_of = |step| DueStep { cid, id: id.clone(), name: name.clone(), step, started_on: start_day };
        self.missed.extend(seq.missed(day, done).into_iter().map(step_of));
        if let Some(step) = seq.due(day, done) {
            self.due.push(step_of(step));
        }
    }
}

/// The win-back steps of every customer in the sequence (or of one customer).
pub fn winback_steps(conn: &Connection, now: i64, only: Option<i64>) -> Result<Steps> {
    steps_of(conn, now, only, false)
}

fn steps_of(conn: &Connection, now: i64, only: Option<i64>, churned_only: bool) -> Result<Steps> {
    let today = time::Day::of(now);
    let done = ss::done_steps(conn, WINBACK.name)?;
    let mut out = Steps::default();
    for s in
        ss::winback_starts(conn, now, churned_only)?.into_iter().filter(|s| only.is_none_or(|c| c == s.cid))
    {
        out.add(&WINBACK, (s.cid, s.id, s.name), s.start_day, today, &done);
    }
    Ok(out)
}

/// The win-back step due today for each customer in the sequence (or one customer).
#[cfg(test)]
pub fn due_winback(conn: &Connection, now: i64, only: Option<i64>) -> Result<Vec<DueStep>> {
    Ok(winback_steps(conn, now, only)?.due)
}

/// [`due_winback`] of the customers who churned (not those gone quiet):
/// the only ones `today` writes to win back.
pub fn due_winback_churned(conn: &Connection, now: i64) -> Result<Vec<DueStep>> {
    Ok(steps_of(conn, now, None, true)?.due)
}

/// The steps of `seq` as of now (of one customer when `only`).
pub fn steps(conn: &Connection, seq: &Sequence, now: i64, only: Option<i64>) -> Result<Steps> {
    if seq.name == WINBACK.name {
        return winback_steps(conn, now, only);
    }
    let today = time::Day::of(now);
    let done = ss::done_steps(conn, ONBOARDING.name)?;
    let mut out = Steps::default();
    for n in ss::onboarding_starts(conn, now)?.into_iter().filter(|s| only.is_none_or(|c| c == s.cid)) {
        out.add(&ONBOARDING, (n.cid, n.id, n.name), n.start_day, today, &done);
    }
    Ok(out)
}

/// Due onboarding steps of customers in their first 28 days.
pub fn due_onboarding(conn: &Connection, now: i64) -> Result<Vec<DueStep>> {
    Ok(steps(conn, &ONBOARDING, now, None)?.due)
}

/// Marks the steps `due` of `seq` done, in one transaction.
pub fn mark_done(conn: &mut Connection, seq: &Sequence, due: &[DueStep], now: i64) -> Result<()> {
    store::write(conn, |tx| {
        for d in due {
            ss::mark_done(tx, d.cid, seq.name, d.started_on, d.step.day, now)?;
        }
        Ok(())
    })
}
