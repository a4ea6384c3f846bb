//! Health facts and snapshots: facts as of `now` read in a few set-based
//! passes ([`facts`]); snapshots stored nightly and read by index seeks.

mod facts;

use crate::money::Cents;
use std::collections::HashMap;

use anyhow::Result;
use rusqlite::functions::FunctionFlags;
use rusqlite::{params, Connection, OptionalExtension};

pub use facts::{
    add_window, facts, latest_payment, subjects, usage_window, Features, Subject, Window, WindowFold,
    LATEST_PAYMENT,
};

use crate::domain::health::{Band, Components};
use crate::time::{iso_date, Day};

/// A stored day (`YYYY-MM-DD`, written by csf).
fn day_of(s: &str) -> Day {
    Day::parse_iso(s).unwrap_or_default()
}

/// A stored band, else the band of the stored score.
fn band_of(s: &str, score: i64) -> Band {
    Band::parse(s).unwrap_or(Band::of(score))
}

/// One stored score.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub cid: i64,
    pub day: Day,
    pub usage: f64,
    pub engagement: f64,
    pub satisfaction: f64,
    pub payment: f64,
    pub score: i64,
    /// Its band, as stored (bands are the score's at the time).
    pub status: Band,
    /// The weights it was computed with, `U,E,S,P` (docs/health.md).
    pub weights: String,
}

/// Stores snapshots for `day`, replacing that day's.
pub fn save(conn: &Connection, snaps: &[Snapshot], now: i64) -> Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT INTO health_snapshots (cid, day, usage, engagement, satisfaction, payment, score, status, computed_at, weights)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (cid, day) DO UPDATE SET usage = excluded.usage, engagement = excluded.engagement,
           satisfaction = excluded.satisfaction, payment = excluded.payment, score = excluded.score,
           status = excluded.status, computed_at = excluded.computed_at, weights = excluded.weights",
    )?;
    write(&mut st, snaps, now)?;
    Ok(())
}

/// Runs `st` (an INSERT of the ten snapshot columns) for each snapshot;
/// returns how many rows it wrote.
fn write(st: &mut rusqlite::CachedStatement, snaps: &[Snapshot], now: i64) -> Result<usize> {
    let mut n = 0;
    for s in snaps {
        n += st.execute(params![
            s.cid,
            s.day.iso(),
            s.usage,
            s.engagement,
            s.satisfaction,
            s.payment,
            s.score,
            s.status.name(),
            now,
            s.weights
        ])?;
    }
    Ok(n)
}

/// Writes snapshots that do not exist yet (a stored one is never replaced)
/// through one statement prepared once: a backfill writes hundreds of
/// thousands, and each field is borrowed, never copied per row.
pub struct NewSnapshots<'c> {
    st: rusqlite::CachedStatement<'c>,
}

/// One snapshot to write, borrowed.
pub struct NewSnapshot<'a> {
    pub cid: i64,
    pub day: &'a str,
    pub components: &'a Components,
    pub score: i64,
    /// The weights it was computed with, `U,E,S,P`.
    pub weights: &'a str,
}

impl<'c> NewSnapshots<'c> {
    pub fn new(conn: &'c Connection) -> Result<NewSnapshots<'c>> {
        let st = conn.prepare_cached(
            "INSERT INTO health_snapshots (cid, day, usage, engagement, satisfaction, payment, score, status, computed_at, weights)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (cid, day) DO NOTHING",
        )?;
        Ok(NewSnapshots { st })
    }

    /// Stores `s`, computed at `at`, unless its day has one; whether it was written.
    pub fn add(&mut self, s: &NewSnapshot, at: i64) -> Result<bool> {
        let c = s.components;
        Ok(self.st.execute(params![
            s.cid,
            s.day,
            c.usage,
            c.engagement,
            c.satisfaction,
            c.payment,
            s.score,
            Band::of(s.score).name(),
            at,
            s.weights
        ])? == 1)
    }
}

/// One customer's latest stored snapshot on or before today: (day, score, weights).
pub fn latest_of(conn: &Connection, cid: i64, now: i64) -> Result<Option<(String, i64, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT day, score, weights FROM health_snapshots WHERE cid = ?1 AND day <= ?2 ORDER BY day DESC LIMIT 1",
        )?
        .query_row(params![cid, iso_date(now)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// A customer's latest snapshot day on or before `?1`: an index seek on the
/// `(cid, day)` key per customer, so a year of nightly snapshots costs no more
/// than one night's (a `GROUP BY cid` over the table would read them all).
const LATEST_DAY: &str = "SELECT MAX(x.day) FROM health_snapshots x WHERE x.cid = c.cid AND x.day <= ?1";

/// MRR at risk (docs/reports.md): the MRR cents of active customers whose latest
/// score is at-risk or critical, how many they are, and how many of them have
/// no MRR recorded (counted as 0). Customers who signed up at or after
/// `new_since` are new and left out.
pub fn mrr_at_risk(conn: &Connection, now: i64, new_since: i64) -> Result<(Cents, i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT CAST(TOTAL(c.mrr_cents) AS INTEGER), count(*), COALESCE(SUM(c.mrr_cents IS NULL), 0)
         FROM customers c CROSS JOIN health_snapshots h ON h.cid = c.cid AND h.day = (LATEST_DAY)
         WHERE AT_RISK AND (c.churned_at IS NULL OR c.churned_at > ?2)
           AND (c.signed_up_at IS NULL OR c.signed_up_at < ?3)"
                .replace("LATEST_DAY", LATEST_DAY)
                .replace("AT_RISK", &Band::sql_at_risk_or_worse("h.score"))
                .as_str(),
        )?
        .query_row(params![iso_date(now), now, new_since], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
}

/// The latest snapshot (on or before `today`) of every active customer, with
/// the score of the latest snapshot at least 7 days older.
#[derive(Debug, Clone)]
pub struct Latest {
    pub id: String,
    pub name: Option<String>,
    pub snap: Snapshot,
    pub score_7d_before: Option<i64>,
    /// The customer's MRR in cents, if recorded.
    pub mrr_cents: Option<Cents>,
    pub signed_up_at: Option<i64>,
    /// A new customer (in the grace period): set by the use case.
    pub new: bool,
}

/// Gives `conn` the SQL function `days_before(day, n)`: the ISO day `n`
/// days before the ISO day `day` (NULL for anything else), as `Day` counts
/// them, so that SQL does no day arithmetic of its own.
fn days_before_function(conn: &Connection) -> Result<()> {
    conn.create_scalar_function(
        "days_before",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let day = ctx.get_raw(0).as_str_or_null().ok().flatten().and_then(Day::parse_iso);
            let n: i64 = ctx.get(1)?;
            Ok(day.map(|d| (d - n).iso()))
        },
    )?;
    Ok(())
}

pub fn latest(conn: &Connection, now: i64) -> Result<Vec<Latest>> {
    let today = iso_date(now);
    days_before_function(conn)?;
    let mut st = conn.prepare(
        &"SELECT c.id, c.name, h.cid, h.day, h.usage, h.engagement, h.satisfaction, h.payment, h.score, h.status,
           h.weights,
           (SELECT p.score FROM health_snapshots p
             WHERE p.cid = h.cid AND p.day <= days_before(h.day, 7) ORDER BY p.day DESC LIMIT 1),
           c.mrr_cents, c.signed_up_at
         FROM customers c CROSS JOIN health_snapshots h ON h.cid = c.cid AND h.day = (LATEST_DAY)
         WHERE (c.churned_at IS NULL OR c.churned_at > ?2)
         ORDER BY c.id"
            .replace("LATEST_DAY", LATEST_DAY),
    )?;
    let rows = st.query_map(params![today, now], |r| {
        Ok(Latest {
            id: r.get(0)?,
            name: r.get(1)?,
            snap: Snapshot {
                cid: r.get(2)?,
                day: day_of(r.get_ref(3)?.as_str()?),
                usage: r.get(4)?,
                engagement: r.get(5)?,
                satisfaction: r.get(6)?,
                payment: r.get(7)?,
                score: r.get(8)?,
                status: band_of(r.get_ref(9)?.as_str()?, r.get(8)?),
                weights: r.get(10)?,
            },
            score_7d_before: r.get(11)?,
            mrr_cents: r.get(12)?,
            signed_up_at: r.get(13)?,
            new: false,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A customer's latest score: (id, name, score, MRR cents, signed up at).
pub type LatestScore = (String, Option<String>, i64, Option<Cents>, Option<i64>);

/// The latest score (on or before today) of every customer not churned as of now.
pub fn latest_scores(conn: &Connection, now: i64) -> Result<Vec<LatestScore>> {
    let mut st = conn.prepare_cached(
        &"SELECT c.id, c.name, h.score, c.mrr_cents, c.signed_up_at
         FROM customers c CROSS JOIN health_snapshots h ON h.cid = c.cid AND h.day = (LATEST_DAY)
         WHERE c.churned_at IS NULL OR c.churned_at > ?2"
            .replace("LATEST_DAY", LATEST_DAY),
    )?;
    let rows = st.query_map(params![iso_date(now), now], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The last `n` snapshot scores of a customer (oldest first), up to `now`.
pub fn history(conn: &Connection, cid: i64, now: i64, n: i64) -> Result<Vec<(String, i64)>> {
    let mut st = conn.prepare_cached(
        "SELECT day, score FROM (SELECT day, score FROM health_snapshots WHERE cid = ?1 AND day <= ?2
           ORDER BY day DESC LIMIT ?3) ORDER BY day",
    )?;
    let rows = st.query_map(params![cid, iso_date(now), n], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The day of the latest snapshot up to now, if any (for the cadence check).
pub fn last_scored_day(conn: &Connection, now: i64) -> Result<Option<Day>> {
    let day: Option<String> =
        conn.query_row("SELECT MAX(day) FROM health_snapshots WHERE day <= ?1", [iso_date(now)], |r| {
            r.get(0)
        })?;
    Ok(day.as_deref().map(day_of))
}

/// Each customer's score on the latest snapshot day on or before `day` (one
/// day for every customer: a nightly job scores them all).
pub fn scores_on_latest_day_before(conn: &Connection, day: &str) -> Result<HashMap<i64, i64>> {
    let d: Option<String> = conn
        .prepare_cached("SELECT max(day) FROM health_snapshots WHERE day <= ?1")?
        .query_row([day], |r| r.get(0))?;
    let Some(d) = d else { return Ok(HashMap::new()) };
    let mut st = conn.prepare_cached("SELECT cid, score FROM health_snapshots WHERE day = ?1")?;
    let rows = st.query_map([d], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Customers with something unhappy between `from` and `now`: an NPS of 6
/// or less, a CSAT of 2 or less, a failed or late invoice, or a ticket
/// created then and still unanswered now (docs/today.md, the expand guard).
pub fn unhappy_since(conn: &Connection, from: i64, now: i64) -> Result<std::collections::HashSet<i64>> {
    // Four reads gathered here: SQLite's UNION deduplicated them in a
    // temporary b-tree, ~3x the reads themselves on a book of 100,000.
    let mut out = std::collections::HashSet::new();
    for sql in [
        "SELECT cid FROM nps_responses WHERE score <= 6 AND responded_at >= ?1 AND responded_at <= ?2",
        "SELECT cid FROM tickets WHERE csat <= 2 AND csat_at >= ?1 AND csat_at <= ?2",
        "SELECT cid FROM billing_records WHERE status IN ('failed', 'late') AND date >= ?1 AND date <= ?2",
        "SELECT cid FROM tickets INDEXED BY tickets_resolved WHERE created_at >= ?1 AND created_at <= ?2
           AND (first_response_at IS NULL OR first_response_at > ?2) AND (resolved_at IS NULL OR resolved_at > ?2)",
    ] {
        let mut st = conn.prepare_cached(sql)?;
        let mut rows = st.query(params![from, now])?;
        while let Some(r) = rows.next()? {
            out.insert(r.get(0)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_now;

    /// The score a week before is the latest on or before each customer's
    /// own latest day minus 7, across a month's end.
    #[test]
    fn the_score_a_week_before_counts_back_from_each_customers_latest_day() {
        let conn = crate::store::open_memory().unwrap();
        for (cid, id) in [(1, "a"), (2, "b")] {
            conn.execute(
                "INSERT INTO customers (cid, id, created_at, updated_at) VALUES (?1, ?2, 0, 0)",
                params![cid, id],
            )
            .unwrap();
        }
        let snap = |cid: i64, day: &str, score: i64| {
            conn.execute(
                "INSERT INTO health_snapshots (cid, day, usage, engagement, satisfaction, payment, score, status, computed_at, weights)
                 VALUES (?1, ?2, 0, 0, 0, 0, ?3, 'healthy', 0, '40,30,20,10')",
                params![cid, day, score],
            )
            .unwrap();
        };
        // a: latest 2026-03-05; 7 days before is 2026-02-26 (not 02-27).
        snap(1, "2026-02-20", 10);
        snap(1, "2026-02-26", 20);
        snap(1, "2026-02-27", 30);
        snap(1, "2026-03-05", 40);
        // b: latest 2026-03-02 (not scored since); 7 days before is 2026-02-23.
        snap(2, "2026-02-20", 50);
        snap(2, "2026-02-24", 60);
        snap(2, "2026-03-02", 70);
        let now = parse_now("2026-03-05").unwrap();
        let got: Vec<(String, Option<i64>)> =
            latest(&conn, now).unwrap().into_iter().map(|l| (l.id, l.score_7d_before)).collect();
        assert_eq!(got, [("a".to_string(), Some(20)), ("b".to_string(), Some(50))]);
    }
}
