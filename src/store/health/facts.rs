//! Health facts as of `now`: a handful of set-based passes over indexed
//! tables (usage by customer and time), never a query per customer.

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::domain::health::{window_start, Facts, Payment};
use crate::domain::settings::Settings;
use crate::store::{id_list, usage};
use crate::time::{Day, WeekBlocks};

/// A customer to score, with its facts.
#[derive(Debug, Clone)]
pub struct Subject {
    pub cid: i64,
    pub facts: Facts,
    /// The date of the billing record `facts.payment` comes from.
    pub payment_on: Option<i64>,
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

/// Which customers a pass reads: every active one as of `now` (signed up at
/// or before now or unknown, not churned as of now), or one (churned or not).
/// `?1` is now, `?2` the customer's cid or NULL.
fn filter(only: Option<i64>) -> &'static str {
    match only {
        Some(_) => "c.cid = ?2",
        None => "(c.signed_up_at IS NULL OR c.signed_up_at <= ?1) AND (c.churned_at IS NULL OR c.churned_at > ?1) AND ?2 IS NULL",
    }
}

/// Facts as of `now` for every active customer, or for one customer
/// (`only`, churned or not): [`subjects`] with their [`usage_window`].
/// `with_value`: also find whether each reached a value event (for the stage;
/// scoring does not need it).
pub fn facts(
    conn: &Connection,
    feats: &Features,
    now: i64,
    only: Option<i64>,
    with_value: bool,
) -> Result<Vec<Subject>> {
    let mut subjects = subjects(conn, feats, now, only, with_value)?;
    add_window(&mut subjects, &usage_window(conn, feats, now, only)?);
    Ok(subjects)
}

/// The facts of [`facts`] but the last 28 days' usage (`active_blocks`,
/// `core_used`), in cid order: the customers, their latest event (an index
/// seek each), payment, NPS and tickets.
pub fn subjects(
    conn: &Connection,
    feats: &Features,
    now: i64,
    only: Option<i64>,
    with_value: bool,
) -> Result<Vec<Subject>> {
    let today = Day::of(now);
    let filter = filter(only);
    let mut subjects = match only {
        Some(_) => Vec::new(),
        None => Vec::with_capacity(crate::store::customers::count(conn)?),
    };
    {
        // Customers, their latest event (an index seek each) and payment.
        let sql = format!(
            "SELECT c.cid, c.signed_up_at,
               (SELECT MAX(u.ts) FROM usage_events u WHERE u.cid = c.cid AND u.ts <= ?1),
               (SELECT b.date * 4 + CASE b.status WHEN 'paid' THEN 1 WHEN 'late' THEN 2 ELSE 3 END
                 FROM billing_records b
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
            let signup: Option<i64> = r.get(1)?;
            // The latest billing record as one value (a second scalar
            // subquery would seek again): its date × 4 + its status's code.
            let billing: Option<i64> = r.get(3)?;
            let payment_on = billing.map(|v| v.div_euclid(4));
            let payment = billing.map(|v| match v.rem_euclid(4) {
                1 => Payment::Paid,
                2 => Payment::Late,
                _ => Payment::Failed,
            });
            let facts = Facts {
                signup_day: signup.map(Day::of),
                last_event: r.get(2)?,
                payment,
                reached_value: r.get::<_, Option<bool>>(4)?.unwrap_or(false),
                ..Facts::default()
            };
            subjects.push(Subject { cid, facts, payment_on });
        }
    }
    if subjects.is_empty() {
        return Ok(subjects);
    }
    {
        // The latest NPS answer per customer.
        // One customer: an index seek on its key; all: one grouped pass.
        let who = if only.is_some() { "cid = ?2" } else { "?2 IS NULL" };
        let mut st = conn.prepare_cached(&format!(
            "SELECT cid, MAX(responded_at), score FROM nps_responses
             WHERE responded_at <= ?1 AND {who} GROUP BY cid"
        ))?;
        let mut rows = st.query(params![now, only])?;
        while let Some(r) = rows.next()? {
            if let Some(i) = at(&subjects, r.get(0)?) {
                subjects[i].facts.latest_nps = Some((r.get(1)?, r.get(2)?));
            }
        }
    }
    let (start90, start30) = ((today - 89).start(), (today - 29).start());
    match only {
        Some(cid) => tickets_of(conn, &mut subjects, cid, (now, start90, start30))?,
        None => tickets_folded(conn, &mut subjects, (now, start90, start30))?,
    }
    Ok(subjects)
}

/// Where customer `cid` is among `subjects` (in cid order): a binary search,
/// where a map of 100,000 keys would hold ~2 MB.
fn at(subjects: &[Subject], cid: i64) -> Option<usize> {
    subjects.binary_search_by_key(&cid, |s| s.cid).ok()
}

/// Tickets — CSAT in 90 days, created in 30 days, unresolved — of one
/// customer: an index seek on its key, summed by SQLite.
fn tickets_of(
    conn: &Connection,
    subjects: &mut [Subject],
    cid: i64,
    (now, start90, start30): (i64, i64, i64),
) -> Result<()> {
    let mut st = conn.prepare_cached(
        "SELECT cid,
           SUM(CASE WHEN csat IS NOT NULL AND csat_at >= ?2 AND csat_at <= ?1 THEN 25 * (csat - 1) ELSE 0 END),
           SUM(csat IS NOT NULL AND csat_at >= ?2 AND csat_at <= ?1),
           SUM(created_at >= ?3),
           SUM(resolved_at IS NULL OR resolved_at > ?1),
           MIN(CASE WHEN resolved_at IS NULL OR resolved_at > ?1 THEN created_at END)
         FROM tickets WHERE created_at <= ?1 AND cid = ?4 GROUP BY cid",
    )?;
    let mut rows = st.query(params![now, start90, start30, cid])?;
    while let Some(r) = rows.next()? {
        if let Some(i) = at(subjects, r.get(0)?) {
            let f = &mut subjects[i].facts;
            f.csat = (r.get(1)?, r.get(2)?);
            f.tickets_30d = r.get(3)?;
            f.unresolved = r.get(4)?;
            f.oldest_unresolved = r.get(5)?;
        }
    }
    Ok(())
}

/// The same sums for every subject, from one scan of the table in storage
/// order, summed here: SQLite's grouped walk of (cid, created_at) made a
/// table seek per ticket, ~3x the scan on a book of 100,000 tickets. A
/// customer whose tickets add nothing keeps the defaults (zeros, none),
/// which are what the sums of its tickets would be.
fn tickets_folded(
    conn: &Connection,
    subjects: &mut [Subject],
    (now, start90, start30): (i64, i64, i64),
) -> Result<()> {
    let mut st = conn.prepare_cached(
        "SELECT cid, created_at, resolved_at, csat, csat_at FROM tickets NOT INDEXED WHERE created_at <= ?1",
    )?;
    let mut rows = st.query([now])?;
    while let Some(r) = rows.next()? {
        let Some(i) = at(subjects, r.get(0)?) else { continue };
        let (created, resolved, csat, csat_at): (i64, Option<i64>, Option<i64>, Option<i64>) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let f = &mut subjects[i].facts;
        if let (Some(c), Some(at)) = (csat, csat_at) {
            if at >= start90 && at <= now {
                f.csat.0 += 25 * (c - 1);
                f.csat.1 += 1;
            }
        }
        f.tickets_30d += i64::from(created >= start30);
        if resolved.is_none_or(|t| t > now) {
            f.unresolved += 1;
            f.oldest_unresolved = Some(f.oldest_unresolved.map_or(created, |o| o.min(created)));
        }
    }
    Ok(())
}

/// One customer's last 28 days of usage (docs/health.md): which of the four
/// 7-day blocks saw an event, and how many core features it used.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Window {
    pub cid: i64,
    pub blocks: [bool; 4],
    pub core_used: usize,
}

/// The last 28 days of every active customer with usage in them (or of one),
/// in cid order: a range seek per customer on (cid, ts), the rows folded by a
/// [`WindowFold`]. Reads only usage, so it can run on a connection of its own
/// beside [`subjects`].
pub fn usage_window(conn: &Connection, feats: &Features, now: i64, only: Option<i64>) -> Result<Vec<Window>> {
    let mut fold = WindowFold::new(feats, now);
    let sql = format!(
        "SELECT c.cid, u.ts, u.event_id
         FROM customers c CROSS JOIN usage_events u ON u.cid = c.cid AND u.ts >= ?3 AND u.ts <= ?1
         WHERE {}
         ORDER BY c.cid, u.ts",
        filter(only)
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(params![now, only, fold.start])?;
    while let Some(r) = rows.next()? {
        fold.add(r.get(0)?, r.get(1)?, r.get(2)?);
    }
    Ok(fold.finish())
}

/// Folds usage rows, read in (cid, ts) order, into [`Window`]s — here, since
/// SQLite's per-row expressions and a COUNT(DISTINCT) tree per customer cost
/// more than the seeks that read the rows. Rows before the window are ignored,
/// so a scan of a longer span (the warning signs' 42 days) can feed it too.
pub struct WindowFold<'f> {
    start: i64,
    blocks: WeekBlocks,
    core_ids: &'f [i64],
    seen: Vec<i64>,
    out: Vec<Window>,
}

impl<'f> WindowFold<'f> {
    pub fn new(feats: &'f Features, now: i64) -> WindowFold<'f> {
        let first = window_start(Day::of(now));
        WindowFold {
            start: first.start(),
            blocks: WeekBlocks::from(first),
            core_ids: &feats.core_ids,
            seen: Vec::new(),
            out: Vec::new(),
        }
    }

    pub fn add(&mut self, cid: i64, ts: i64, event_id: i64) {
        if ts < self.start {
            return;
        }
        if self.out.last().is_none_or(|w| w.cid != cid) {
            self.seen.clear();
            self.out.push(Window { cid, ..Window::default() });
        }
        let w = self.out.last_mut().expect("pushed above");
        w.blocks[self.blocks.of(ts)] = true;
        if self.core_ids.contains(&event_id) && !self.seen.contains(&event_id) {
            self.seen.push(event_id);
            w.core_used += 1;
        }
    }

    pub fn finish(self) -> Vec<Window> {
        self.out
    }
}

/// Gives each subject its window (both in cid order; a subject without one
/// had no usage in the last 28 days).
pub fn add_window(subjects: &mut [Subject], windows: &[Window]) {
    let mut ws = windows.iter().peekable();
    for s in subjects {
        while ws.next_if(|w| w.cid < s.cid).is_some() {}
        if let Some(w) = ws.next_if(|w| w.cid == s.cid) {
            s.facts.active_blocks = w.blocks;
            s.facts.core_used = w.core_used;
        }
    }
}
