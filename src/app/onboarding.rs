//! What csf knows of onboarding: the steps due today and the funnel of a
//! signup cohort (docs/onboarding.md).

use std::collections::BTreeMap;

use anyhow::Result;
use rusqlite::Connection;

use crate::domain::onboarding::{self, Funnel, Member};

use crate::domain::settings::Settings;
use crate::store::health::Features;
use crate::store::{onboarding as os, usage};
use crate::time;

/// The cohort of the last `days` days with their funnel facts.
pub fn members(conn: &Connection, settings: &Settings, now: i64, days: i64) -> Result<Vec<Member>> {
    let feats = Features::load(conn, settings, now)?;
    let setup = settings.get("onboarding.setup_event").unwrap_or_else(|| "setup_complete".into());
    let setup_ids = usage::event_ids(conn, &[setup])?;
    let from = (time::Day::of(now) - days + 1).start();
    os::cohort(conn, from, now, &feats.value_ids, &setup_ids)
}

/// The funnel of the signups of the last `days` days.
pub fn funnel(conn: &Connection, settings: &Settings, now: i64, days: i64) -> Result<Funnel> {
    Ok(onboarding::funnel(&members(conn, settings, now, days)?, time::Day::of(now)))
}

/// The same cohort split by signup month (YYYY-MM), oldest first.
pub fn funnel_by_month(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    days: i64,
) -> Result<Vec<(String, Funnel)>> {
    let mut by_month: BTreeMap<String, Vec<Member>> = BTreeMap::new();
    for m in members(conn, settings, now, days)? {
        by_month.entry(time::date_of(m.signed_up_at).format("%Y-%m").to_string()).or_default().push(m);
    }
    let today = time::Day::of(now);
    Ok(by_month.into_iter().map(|(month, ms)| (month, onboarding::funnel(&ms, today))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sequences::due_onboarding;
    use crate::domain::sequence::ONBOARDING;

    #[test]
    fn due_steps_follow_the_sequence_and_the_months_add_up_to_the_cohort() {
        let (conn, settings, now) = crate::example::book("2026-11-20T12:00:00Z");
        for d in due_onboarding(&conn, now).unwrap() {
            assert!(ONBOARDING.steps.contains(&d.step), "{d:?}");
        }
        let whole = funnel(&conn, &settings, now, 90).unwrap();
        let months = funnel_by_month(&conn, &settings, now, 90).unwrap();
        assert!(whole.cohort_size > 0, "the example data has recent signups");
        assert_eq!(months.iter().map(|(_, f)| f.cohort_size).sum::<usize>(), whole.cohort_size);
    }
}
