//! Health facts and snapshots: a handful of set-based passes over indexed
//! tables (usage by customer and time), never a query per customer.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::health::{window_start, Band, Facts, Payment};
use crate::domain::settings::Settings;
use crate::store::{id_list, usage};
use crate::time::{iso_date, DAY};

/// A customer to score, with its facts.
#[derive(Debug, Clone)]
pub struct Subject {
    pub cid: i64,
    pub facts: Facts,
}

/// The core feature and value event ids in force as of `now`.
pub struct Features {
    pub core_ids: Vec<i64>,
    pub value_ids: Vec<i64>,
}

impl Features {
    pub fn load(conn: &Connection, settings: &Settings, now: i64) -> Result<Features> {
        let core = usage::core_features(conn, settings, now)?;
        let core_ids = usage::event_ids(conn, &core)?;
        let value_ids = match settings.get("onboarding.value_event") {
            Some(v) => usage::event_ids(conn, &[v])?,
            None => core_ids.clone(),
        };
        Ok(Features { core_ids: pad(core_ids, core.len()), value_ids })
    }

    /// How many core features there are (configured names not yet seen count too).
    pub fn core_count(&self) -> usize {
        self.core_ids.len()
    }
}

/// Core features configured but never seen keep their place in the count
/// (as id -1, which matches no event).
fn pad(mut ids: Vec<i64>, n: usize) -> Vec<i64> {
    while ids.len() < n {
        ids.push(-1);
    }
    ids
}

/// Facts as of `now` for every active customer (signed up at or before now or
/// unknown, not churned as of now), or for one customer (`only`, churned or not).
/// `with_value`: also find whether each reached a value event (for the stage;
/// scoring does not need it).
pub fn facts(
    conn: &Connection,
    feats: &Features,
    now: i64,
    only: Option<i64>,
    with_value: bool,
) -> Result<Vec<Subject>> {
    let today = now.div_euclid(DAY);
    let start28 = window_start(today) * DAY;
    let filter = match only {
        Some(_) => "c.cid = ?2",
        None => "(c.signed_up_at IS NULL OR c.signed_up_at <= ?1) AND (c.churned_at IS NULL OR c.churned_at > ?1) AND ?2 IS NULL",
    };
    let mut subjects = Vec::new();
    let mut index = HashMap::new();
    {
        // Pass 1: customers, their latest event (an index seek each) and payment.
        let sql = format!(
            "SELECT c.cid, c.id, c.name, c.signed_up_at,
               (SELECT MAX(u.ts) FROM usage_events u WHERE u.cid = c.cid AND u.ts <= ?1),
               (SELECT b.status FROM billing_records b
                 WHERE b.cid = c.cid AND b.date <= ?1 AND b.status IN ('paid', 'late', 'failed')
                 ORDER BY b.date DESC, b.id DESC LIMIT 1),
               CASE WHEN ?3 THEN EXISTS (SELECT 1 FROM usage_events u WHERE u.cid = c.cid AND u.ts <= ?1
                       AND u.event_id IN ({})) END
             FROM customers c WHERE {filter} ORDER BY c.cid",
            id_list(&feats.value_ids)
        );
        let mut st = conn.prepare(&sql)?;
        let mut rows = st.query(params![now, only, with_value])?;
        while let Some(r) = rows.next()? {
            let cid: i64 = r.get(0)?;
            let signup: Option<i64> = r.get(3)?;
            let facts = Facts {
                signup_day: signup.map(|t| t.div_euclid(DAY)),
                last_event: r.get(4)?,
                payment: r.get::<_, Option<String>>(5)?.as_deref().and_then(Payment::parse),
                reached_value: r.get::<_, Option<bool>>(6)?.unwrap_or(false),
                ..Facts::default()
            };
            index.insert(cid, subjects.len());
            subjects.push(Subject { cid, facts });
        }
    }
    if subjects.is_empty() {
        return Ok(subjects);
    }
    let one = |cid: i64| index.get(&cid).copied();
    {
        // Pass 2: the last 28 days, a range seek per customer on (cid, ts).
        let sql = format!(
            "SELECT c.cid,
               MAX(u.ts < ?2 + 7 * 86400),
               MAX(u.ts >= ?2 + 7 * 86400 AND u.ts < ?2 + 14 * 86400),
               MAX(u.ts >= ?2 + 14 * 86400 AND u.ts < ?2 + 21 * 86400),
               MAX(u.ts >= ?2 + 21 * 86400),
               COUNT(DISTINCT CASE WHEN u.event_id IN ({}) THEN u.event_id END)
             FROM customers c CROSS JOIN usage_events u ON u.cid = c.cid AND u.ts >= ?2 AND u.ts <= ?1
             WHERE {filter_u}
             GROUP BY c.cid",
            id_list(&feats.core_ids),
            filter_u = filter.replace("?2", "?3")
        );
        let mut st = conn.prepare(&sql)?;
        let mut rows = st.query(params![now, start28, only])?;
        while let Some(r) = rows.next()? {
            if let Some(i) = one(r.get(0)?) {
                let f = &mut subjects[i].facts;
                for k in 0..4 {
                    f.active_blocks[k] = r.get::<_, i64>(1 + k)? == 1;
                }
                f.core_used = r.get::<_, i64>(5)? as usize;
            }
        }
    }
    {
        // Pass 3: the latest NPS answer per customer.
        // One customer: an index seek on its key; all: one grouped pass.
        let who = if only.is_some() { "cid = ?2" } else { "?2 IS NULL" };
        let mut st = conn.prepare_cached(&format!(
            "SELECT cid, MAX(responded_at), score FROM nps_responses
             WHERE responded_at <= ?1 AND {who} GROUP BY cid"
        ))?;
        let mut rows = st.query(params![now, only])?;
        while let Some(r) = rows.next()? {
            if let Some(i) = one(r.get(0)?) {
                subjects[i].facts.latest_nps = Some((r.get(1)?, r.get(2)?));
            }
        }
    }
    {
        // Pass 4: tickets — CSAT in 90 days, created in 30 days, unresolved.
        let who = if only.is_some() { "cid = ?4" } else { "?4 IS NULL" };
        let mut st = conn.prepare_cached(&format!(
            "SELECT cid,
               SUM(CASE WHEN csat IS NOT NULL AND csat_at >= ?2 AND csat_at <= ?1 THEN 25 * (csat - 1) ELSE 0 END),
               SUM(csat IS NOT NULL AND csat_at >= ?2 AND csat_at <= ?1),
               SUM(created_at >= ?3),
               SUM(resolved_at IS NULL OR resolved_at > ?1),
               MIN(CASE WHEN resolved_at IS NULL OR resolved_at > ?1 THEN created_at END)
             FROM tickets WHERE created_at <= ?1 AND {who} GROUP BY cid"
        ))?;
        let start90 = (today - 89) * DAY;
        let start30 = (today - 29) * DAY;
        let mut rows = st.query(params![now, start90, start30, only])?;
        while let Some(r) = rows.next()? {
            if let Some(i) = one(r.get(0)?) {
                let f = &mut subjects[i].facts;
                f.csat = (r.get(1)?, r.get(2)?);
                f.tickets_30d = r.get(3)?;
                f.unresolved = r.get(4)?;
                f.oldest_unresolved = r.get(5)?;
            }
        }
    }
    Ok(subjects)
}

/// One stored score.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub cid: i64,
    pub day: String,
    pub usage: f64,
    pub engagement: f64,
    pub satisfaction: f64,
    pub payment: f64,
    pub score: i64,
    pub status: String,
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
            s.day,
            s.usage,
            s.engagement,
            s.satisfaction,
            s.payment,
            s.score,
            s.status,
            now,
            s.weights
        ])?;
    }
    Ok(n)
}

/// Stores snapshots that do not exist yet (a stored one is never
/// replaced); returns how many were written.
pub fn save_new(conn: &Connection, snaps: &[Snapshot], now: i64) -> Result<usize> {
    let mut st = conn.prepare_cached(
        "INSERT INTO health_snapshots (cid, day, usage, engagement, satisfaction, payment, score, status, computed_at, weights)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (cid, day) DO NOTHING",
    )?;
    write(&mut st, snaps, now)
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
/// no MRR recorded (counted as 0).
pub fn mrr_at_risk(conn: &Connection, now: i64) -> Result<(i64, i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT CAST(TOTAL(c.mrr_cents) AS INTEGER), count(*), COALESCE(SUM(c.mrr_cents IS NULL), 0)
         FROM customers c CROSS JOIN health_snapshots h ON h.cid = c.cid AND h.day = (LATEST_DAY)
         WHERE AT_RISK AND (c.churned_at IS NULL OR c.churned_at > ?2)"
                .replace("LATEST_DAY", LATEST_DAY)
                .replace("AT_RISK", &Band::sql_at_risk_or_worse("h.score"))
                .as_str(),
        )?
        .query_row(params![iso_date(now), now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
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
    pub mrr_cents: Option<i64>,
}

pub fn latest(conn: &Connection, now: i64) -> Result<Vec<Latest>> {
    let today = iso_date(now);
    let mut st = conn.prepare_cached(
        &"SELECT c.id, c.name, h.cid, h.day, h.usage, h.engagement, h.satisfaction, h.payment, h.score, h.status,
           h.weights,
           (SELECT p.score FROM health_snapshots p
             WHERE p.cid = h.cid AND p.day <= date(h.day, '-7 days') ORDER BY p.day DESC LIMIT 1),
           c.mrr_cents
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
                day: r.get(3)?,
                usage: r.get(4)?,
                engagement: r.get(5)?,
                satisfaction: r.get(6)?,
                payment: r.get(7)?,
                score: r.get(8)?,
                status: r.get(9)?,
                weights: r.get(10)?,
            },
            score_7d_before: r.get(11)?,
            mrr_cents: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The latest score (on or before today) of every customer not churned as of
/// now: (id, name, score).
pub fn latest_scores(conn: &Connection, now: i64) -> Result<Vec<(String, Option<String>, i64)>> {
    let mut st = conn.prepare_cached(
        &"SELECT c.id, c.name, h.score
         FROM customers c CROSS JOIN health_snapshots h ON h.cid = c.cid AND h.day = (LATEST_DAY)
         WHERE c.churned_at IS NULL OR c.churned_at > ?2"
            .replace("LATEST_DAY", LATEST_DAY),
    )?;
    let rows = st.query_map(params![iso_date(now), now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
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
pub fn last_scored_day(conn: &Connection, now: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT MAX(day) FROM health_snapshots WHERE day <= ?1", [iso_date(now)], |r| r.get(0))?)
}
