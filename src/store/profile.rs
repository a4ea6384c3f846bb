//! What `customer show` reads about one customer: open tickets, latest NPS,
//! billing, recent activity — index seeks only.

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};

use crate::money::Cents;
use crate::time::Day;

pub struct OpenTicket {
    pub id: String,
    pub subject: Option<String>,
    pub status: String,
    pub created_at: i64,
}

pub struct Profile {
    pub open_tickets: Vec<OpenTicket>,
    /// (time, score, comment)
    pub latest_nps: Option<(i64, i64, Option<String>)>,
    /// (date, status, amount cents)
    pub latest_billing: Option<(i64, String, Cents)>,
    pub events_30d: i64,
    /// The last few events: (time, event, count)
    pub recent: Vec<(i64, String, i64)>,
}

pub fn load(conn: &Connection, cid: i64, now: i64) -> Result<Profile> {
    let mut st = conn.prepare_cached(
        "SELECT id, subject, created_at, first_response_at, resolved_at, closed_at FROM tickets
         WHERE cid = ?1 AND created_at <= ?2 AND (resolved_at IS NULL OR resolved_at > ?2)
         ORDER BY created_at",
    )?;
    // The status as of `now`, as `ticket list` computes it (the stored one is today's).
    let open_tickets = st
        .query_map(params![cid, now], |r| {
            let status = crate::domain::tickets::status_at(r.get(3)?, r.get(4)?, r.get(5)?, now);
            Ok(OpenTicket {
                id: r.get(0)?,
                subject: r.get(1)?,
                status: status.name().to_string(),
                created_at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let latest_nps = conn
        .prepare_cached(
            "SELECT responded_at, score, comment FROM nps_responses WHERE cid = ?1 AND responded_at <= ?2
             ORDER BY responded_at DESC LIMIT 1",
        )?
        .query_row(params![cid, now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let latest_billing = conn
        .prepare_cached(
            "SELECT date, status, amount_cents FROM billing_records WHERE cid = ?1 AND date <= ?2
             ORDER BY date DESC, id DESC LIMIT 1",
        )?
        .query_row(params![cid, now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let today = Day::of(now);
    let events_30d = conn
        .prepare_cached(
            "SELECT CAST(TOTAL(count) AS INTEGER) FROM usage_events WHERE cid = ?1 AND ts >= ?2 AND ts <= ?3",
        )?
        .query_row(params![cid, (today - 29).start(), now], |r| r.get(0))?;
    let recent = conn
        .prepare_cached(
            "SELECT u.ts, e.name, u.count FROM usage_events u JOIN event_names e ON e.id = u.event_id
             WHERE u.cid = ?1 AND u.ts <= ?2 ORDER BY u.ts DESC LIMIT 5",
        )?
        .query_map(params![cid, now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Profile { open_tickets, latest_nps, latest_billing, events_30d, recent })
}
