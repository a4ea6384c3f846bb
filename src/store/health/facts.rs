//! Health facts as of `now`: a handful of set-based passes over indexed
//! tables (usage by customer and time), never a query per customer. The
//! passes only load rows; each row is fed to the one fold of facts
//! (`domain::fold`), which the replay feeds too.

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::domain::fold::{Bounds, UsageFold, Used};
use crate::domain::health::{Facts, Payment};
use crate::domain::settings::Settings;
use crate::store::{id_list, usage};

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
    /// The core features seen, sorted (what the fold looks events up in).
    pub core_ids: Vec<i64>,
    /// How many core features there are: configured names not yet seen count too.
    count: usize,
    pub value_ids: Vec<i64>,
}

impl Features {
    pub fn load(conn: &Connection, settings: &Settings, now: i64) -> Result<Features> {
        let core = usage::core_features(conn, settings, now)?;
        let mut core_ids = usage::event_ids(conn, &core)?;
        let value_ids = match settings.get("onboarding.value_event") {
            Some(v) => usage::event_ids(conn, &[v])?,
            None => core_ids.clone(),
        };
        core_ids.sort_unstable();
        core_ids.dedup();
        Ok(Features { count: core.len().max(core_ids.len()), core_ids, value_ids })
    }

    /// How many core features there are (configured names not yet seen count too).
    pub fn core_count(&self) -> usize {
        self.count
    }
}

/// The latest billing record among paid/late/failed at or before `?1` of
/// customer `c`, as one value (a second scalar subquery would seek again):
/// its date × 4 + its status's code; [`latest_payment`] reads it.
pub const LATEST_PAYMENT: &str =
    "(SELECT b.date * 4 + CASE b.status WHEN 'paid' THEN 1 WHEN 'late' THEN 2 ELSE 3 END
     FROM billing_records b
     WHERE b.cid = c.cid AND b.date <= ?1 AND b.status IN ('paid', 'late', 'failed')
     ORDER BY b.date DESC, b.id DESC LIMIT 1)";

/// The (date, payment) of a [`LATEST_PAYMENT`] value.
pub fn latest_payment(v: i64) -> (i64, Payment) {
    let payment = match v.rem_euclid(4) {
        1 => Payment::Paid,
        2 => Payment::Late,
        _ => Payment::Failed,
    };
    (v.div_euclid(4), payment)
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
    add_window(&mut subjects, &usage_window(conn, feats, now, only)?, &Bounds::at(now));
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
    let b = Bounds::at(now);
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
               {LATEST_PAYMENT},
               CASE WHEN ?3 THEN (SELECT MIN(u.ts) FROM usage_events u WHERE u.cid = c.cid AND u.ts <= ?1
                       AND u.event_id IN ({})) END
             FROM customers c WHERE {filter} ORDER BY c.cid",
            id_list(&feats.value_ids)
        );
        let mut st = conn.prepare(&sql)?;
        let mut rows = st.query(params![now, only, with_value])?;
        while let Some(r) = rows.next()? {
            let cid: i64 = r.get(0)?;
            let billing = r.get::<_, Option<i64>>(3)?.map(latest_payment);
            let payment_on = billing.map(|(date, _)| date);
            let mut facts = Facts::signed_up(r.get(1)?);
            if let Some(t) = r.get(2)? {
                facts.add_event(&b, t);
            }
            if let Some((date, payment)) = billing {
                facts.add_payment(&b, date, payment);
            }
            if let Some(t) = r.get(4)? {
                facts.add_value_event(&b, t);
            }
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
                subjects[i].facts.add_nps(&b, r.get(1)?, r.get(2)?);
            }
        }
    }
    tickets(conn, &mut subjects, &b, only)?;
    Ok(subjects)
}

/// Where customer `cid` is among `subjects` (in cid order): a binary search,
/// where a map of 100,000 keys would hold ~2 MB.
fn at(subjects: &[Subject], cid: i64) -> Option<usize> {
    subjects.binary_search_by_key(&cid, |s| s.cid).ok()
}

/// Tickets — CSAT in 90 days, created in 30 days, unresolved — fed to the
/// fold. Of one customer: an index seek on its key. Of all: one scan of the
/// table in storage order, where SQLite's grouped walk of (cid, created_at)
/// made a table seek per ticket (~3x the scan on a book of 100,000 tickets).
fn tickets(conn: &Connection, subjects: &mut [Subject], b: &Bounds, only: Option<i64>) -> Result<()> {
    let sql = match only {
        Some(_) => "SELECT cid, created_at, resolved_at, csat, csat_at FROM tickets WHERE created_at <= ?1 AND cid = ?2",
        None => "SELECT cid, created_at, resolved_at, csat, csat_at FROM tickets NOT INDEXED WHERE created_at <= ?1 AND ?2 IS NULL",
    };
    let mut st = conn.prepare_cached(sql)?;
    let mut rows = st.query(params![b.now, only])?;
    while let Some(r) = rows.next()? {
        let Some(i) = at(subjects, r.get(0)?) else { continue };
        let (created, resolved, csat, csat_at): (i64, Option<i64>, Option<i64>, Option<i64>) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let f = &mut subjects[i].facts;
        if let (Some(c), Some(t)) = (csat, csat_at) {
            f.add_csat(b, t, created, 25 * (c - 1));
        }
        f.add_ticket(b, created, resolved);
    }
    Ok(())
}

/// One customer's last 28 days of usage (docs/health.md): which of the four
/// 7-day blocks saw an event, and how many core features it used.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Window {
    pub cid: i64,
    pub used: Used,
}

/// The last 28 days of every active customer with usage in them (or of one),
/// in cid order: a range seek per customer on (cid, ts), the rows folded by a
/// [`WindowFold`]. Reads only usage, so it can run on a connection of its own
/// beside [`subjects`].
pub fn usage_window(conn: &Connection, feats: &Features, now: i64, only: Option<i64>) -> Result<Vec<Window>> {
    let bounds = Bounds::at(now);
    let mut fold = WindowFold::new(feats, &bounds);
    let sql = format!(
        "SELECT c.cid, u.ts, u.event_id
         FROM customers c CROSS JOIN usage_events u ON u.cid = c.cid AND u.ts >= ?3 AND u.ts <= ?1
         WHERE {}
         ORDER BY c.cid, u.ts",
        filter(only)
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(params![now, only, bounds.window])?;
    while let Some(r) = rows.next()? {
        fold.add(r.get(0)?, r.get(1)?, r.get(2)?);
    }
    Ok(fold.finish())
}

/// Feeds usage rows, read in (cid, ts) order, to one [`UsageFold`] per
/// customer, giving a [`Window`] per customer with rows in the window.
/// Rows before the window are skipped, so a scan of a longer span (the
/// warning signs' 42 days) can feed it too.
pub struct WindowFold<'f> {
    fold: UsageFold<'f>,
    window: i64,
    current: Option<i64>,
    out: Vec<Window>,
}

impl<'f> WindowFold<'f> {
    pub fn new(feats: &'f Features, bounds: &'f Bounds) -> WindowFold<'f> {
        WindowFold {
            fold: UsageFold::new(bounds, &feats.core_ids),
            window: bounds.window,
            current: None,
            out: Vec::new(),
        }
    }

    pub fn add(&mut self, cid: i64, ts: i64, event_id: i64) {
        if ts < self.window {
            return;
        }
        if self.current != Some(cid) {
            self.close();
            self.current = Some(cid);
        }
        self.fold.add(ts, event_id);
    }

    fn close(&mut self) {
        if let Some(cid) = self.current.take() {
            self.out.push(Window { cid, used: self.fold.finish() });
        }
    }

    pub fn finish(mut self) -> Vec<Window> {
        self.close();
        self.out
    }
}

/// Gives each subject its window (both in cid order; a subject without one
/// had no usage in the last 28 days).
pub fn add_window(subjects: &mut [Subject], windows: &[Window], bounds: &Bounds) {
    let mut ws = windows.iter().peekable();
    for s in subjects {
        while ws.next_if(|w| w.cid < s.cid).is_some() {}
        if let Some(w) = ws.next_if(|w| w.cid == s.cid) {
            s.facts.add_used(bounds, &w.used);
        }
    }
}
