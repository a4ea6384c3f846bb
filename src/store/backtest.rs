//! The history a backtest replays (docs/health.md): every customer who could be
//! active at some cutoff, with the usage, NPS, CSAT and billing rows the
//! score can look at, loaded once (one pass per table) so that the cutoffs
//! are swept in memory. [`History::facts_at`] gives the same facts as
//! `store::health::facts` would as of that cutoff.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::domain::fold::{Bounds, UsageFold};
use crate::domain::health::{window_start, Facts, Payment};
use crate::domain::settings::Settings;
use crate::time::Day;

/// One customer's rows, each list sorted by time.
#[derive(Debug, Clone, Default)]
pub struct CustomerHistory {
    pub cid: i64,
    pub id: String,
    pub signed_up_at: Option<i64>,
    pub churned_at: Option<i64>,
    /// (seconds after `usage_base`, event id): 8 bytes an event, so a year
    /// of a 100,000-customer book's events fits in bounded memory.
    usage: Vec<(u32, u32)>,
    usage_base: i64,
    /// (responded_at, score)
    nps: Vec<(i64, i64)>,
    /// (csat_at, created_at, 25 × (rating − 1))
    csat: Vec<tickets::Rating>,
    /// (date, status) among paid/late/failed, in (date, billing id) order
    billing: Vec<(i64, Payment)>,
    /// Loaded for the warning signs only ([`History::load_with_signs`]):
    /// each usage row's `count`, beside `usage`; tickets' creation times;
    /// feature requests (id, subject, created, resolved).
    counts: Vec<u32>,
    tickets: Vec<i64>,
    feature_requests: Vec<tickets::Request>,
}

impl CustomerHistory {
    /// Frees the events once every cutoff was swept: what stays is who the
    /// customer is (id, signup, churn), for the report.
    pub fn forget_events(&mut self) {
        self.usage = Vec::new();
        self.nps = Vec::new();
        self.csat = Vec::new();
        self.billing = Vec::new();
        self.counts = Vec::new();
        self.tickets = Vec::new();
        self.feature_requests = Vec::new();
    }

    /// Drops spare capacity once its rows are loaded (a year of events for
    /// 100,000 customers would otherwise keep up to twice their size).
    fn shrink(&mut self) {
        self.usage.shrink_to_fit();
        self.nps.shrink_to_fit();
        self.csat.shrink_to_fit();
        self.billing.shrink_to_fit();
        self.counts.shrink_to_fit();
        self.tickets.shrink_to_fit();
    }

    /// Active as of `now`: signed up on or before it (or unknown), not churned.
    pub fn active_at(&self, now: i64) -> bool {
        self.signed_up_at.is_none_or(|t| t <= now) && self.churned_at.is_none_or(|t| t > now)
    }
}

pub struct History {
    pub customers: Vec<CustomerHistory>,
    /// (id, name, first_seen) of every event name.
    events: Vec<(i64, String, i64)>,
}

/// The core features in force at one cutoff: sorted ids and their count
/// (configured names never seen count without an id).
pub struct Core {
    ids: Vec<i64>,
    pub count: usize,
}

impl History {
    /// Loads what the cutoffs `first..=last` can see: customers who might be
    /// active at one of them, and their rows up to `last` (usage from the
    /// first 28-day window, NPS from 180 days, CSAT from 90 days before).
    pub fn load(conn: &Connection, first: i64, last: i64) -> Result<History> {
        Self::read(conn, None, first, last, false)
    }

    /// [`History::load`] with the billing rows read on `side` (a connection
    /// to the same file), beside the usage rows.
    pub fn load_beside(
        conn: &Connection,
        side: Option<Connection>,
        first: i64,
        last: i64,
    ) -> Result<History> {
        Self::read(conn, side, first, last, false)
    }

    /// [`History::load`] with what the warning signs need as well (usage
    /// counts from 42 days before the first cutoff, tickets): for
    /// [`risk_facts_at`]. With a `side` connection to the same file, the
    /// billing rows are read on it, beside the usage rows.
    pub fn load_with_signs(
        conn: &Connection,
        side: Option<Connection>,
        first: i64,
        last: i64,
    ) -> Result<History> {
        Self::read(conn, side, first, last, true)
    }

    fn read(
        conn: &Connection,
        side: Option<Connection>,
        first: i64,
        last: i64,
        signs: bool,
    ) -> Result<History> {
        let first_day = Day::of(first);
        let mut customers = Vec::new();
        let mut index = HashMap::new();
        {
            let mut st = conn.prepare(
                "SELECT cid, id, signed_up_at, churned_at FROM customers
                 WHERE (signed_up_at IS NULL OR signed_up_at <= ?2) AND (churned_at IS NULL OR churned_at > ?1)
                 ORDER BY cid",
            )?;
            let mut rows = st.query(params![first, last])?;
            while let Some(r) = rows.next()? {
                let cid: i64 = r.get(0)?;
                index.insert(cid, customers.len());
                customers.push(CustomerHistory {
                    cid,
                    id: r.get(1)?,
                    signed_up_at: r.get(2)?,
                    churned_at: r.get(3)?,
                    ..CustomerHistory::default()
                });
            }
        }
        let n = customers.len();
        std::thread::scope(|scope| -> Result<()> {
            let index = &index;
            let billing = side.map(|c| scope.spawn(move || billing_lists(&c, index, n, first, last)));
            // Rows come in cid order: the customer is looked up once per run of rows.
            let mut each =
                |sql: &str,
                 from: i64,
                 f: &mut dyn FnMut(&mut CustomerHistory, &rusqlite::Row) -> Result<()>| {
                    let mut st = conn.prepare(sql)?;
                    let mut rows = st.query(params![from, last])?;
                    let mut current: Option<(i64, Option<usize>)> = None;
                    while let Some(r) = rows.next()? {
                        let cid: i64 = r.get(0)?;
                        let at = match current {
                            Some((c, at)) if c == cid => at,
                            previous => {
                                // The previous customer's rows are all in: no spare capacity kept.
                                if let Some((_, Some(p))) = previous {
                                    customers[p].shrink();
                                }
                                index.get(&cid).copied()
                            }
                        };
                        current = Some((cid, at));
                        if let Some(i) = at {
                            f(&mut customers[i], r)?;
                        }
                    }
                    if let Some((_, Some(p))) = current {
                        customers[p].shrink();
                    }
                    anyhow::Ok(())
                };
            // The signs look 42 days back, the score 28.
            let base = if signs { (first_day - 41).start() } else { window_start(first_day).start() };
            if last - base >= i64::from(u32::MAX) {
                // unreachable from the CLI: until 2106 a window starts in 1970 or later and ends by today,
                // and 32-bit offsets cover 136 years.
                anyhow::bail!("a backtest window spans at most 136 years; give a later --from");
            }
            each(
                // A range seek per customer who might be active: only the window's rows are read.
                "SELECT c.cid, u.ts, u.event_id, u.count
                 FROM customers c CROSS JOIN usage_events u ON u.cid = c.cid AND u.ts >= ?1 AND u.ts <= ?2
                 WHERE (c.signed_up_at IS NULL OR c.signed_up_at <= ?2)
                 ORDER BY c.cid, u.ts",
                base,
                &mut |c, r| {
                    // Within the window (at most a few years after its start) both fit 32 bits.
                    let offset = u32::try_from(r.get::<_, i64>(1)? - base).unwrap_or(u32::MAX);
                    let event = u32::try_from(r.get::<_, i64>(2)?).unwrap_or(u32::MAX);
                    c.usage_base = base;
                    c.usage.push((offset, event));
                    if signs {
                        c.counts.push(u32::try_from(r.get::<_, i64>(3)?.max(0)).unwrap_or(u32::MAX));
                    }
                    Ok(())
                },
            )?;

            // The latest answer before the window still decides "latest" (and
            // is then too old to count), so NPS is loaded from the beginning.
            each(
                "SELECT cid, responded_at, score FROM nps_responses WHERE responded_at >= ?1 AND responded_at <= ?2
                 ORDER BY cid, responded_at",
                i64::MIN,
                &mut |c, r| {
                    c.nps.push((r.get(1)?, r.get(2)?));
                    Ok(())
                },
            )?;
            if signs {
                each(
                    // On (cid, created_at), which covers it and is in its order: the
                    // planner's range on created_at made a table seek per ticket and a sort.
                    "SELECT cid, created_at FROM tickets INDEXED BY tickets_cid_created
                     WHERE created_at >= ?1 AND created_at <= ?2 ORDER BY cid, created_at",
                    (first_day - 6).start(),
                    &mut |c, r| {
                        c.tickets.push(r.get(1)?);
                        Ok(())
                    },
                )?;
            }
            for (i, row) in tickets::csat(conn, index, (first_day - 89).start(), last)? {
                customers[i].csat.push(row);
            }
            if signs {
                for (i, request) in tickets::feature_requests(conn, index, last)? {
                    customers[i].feature_requests.push(request);
                }
            }
            for c in &mut customers {
                c.csat.shrink_to_fit();
            }
            let lists = match billing {
                // unreachable from the CLI: a reader thread fails this way only by panicking (a bug).
                Some(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))?,
                None => billing_lists(conn, index, n, first, last)?,
            };
            for (c, l) in customers.iter_mut().zip(lists) {
                c.billing = l;
            }
            Ok(())
        })?;
        let mut events = Vec::new();
        {
            let mut st = conn.prepare("SELECT id, name, first_seen FROM event_names ORDER BY name")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                events.push((r.get(0)?, r.get(1)?, r.get(2)?));
            }
        }
        Ok(History { customers, events })
    }

    /// The core features as of `now`, as `store::usage::core_features` and
    /// `Features::load` find them.
    pub fn core_at(&self, settings: &Settings, now: i64) -> Core {
        let (mut ids, count): (Vec<i64>, usize) = match settings.core_features() {
            Some(mut list) => {
                list.sort();
                list.dedup();
                let ids = list
                    .iter()
                    .filter_map(|n| self.events.iter().find(|(_, name, _)| name == n).map(|e| e.0))
                    .collect();
                (ids, list.len())
            }
            None => {
                let ignore = settings.ignore_events();
                let ids: Vec<i64> = self
                    .events
                    .iter()
                    .filter(|(_, name, first)| *first <= now && !ignore.iter().any(|i| i == name))
                    .map(|e| e.0)
                    .collect();
                let n = ids.len();
                (ids, n)
            }
        };
        ids.sort_unstable();
        Core { ids, count }
    }
}

/// The facts of one customer as of `b.now` (the fields the score needs):
/// the rows that can matter, found by binary search, fed to the one fold.
pub fn facts_at(c: &CustomerHistory, core: &Core, b: &Bounds) -> Facts {
    let mut f = Facts::signed_up(c.signed_up_at);
    let at = |offset: u32| c.usage_base + i64::from(offset);
    // The window's events, and the latest before it (the latest event).
    let lo = c.usage.partition_point(|(ts, _)| at(*ts) < b.window);
    let hi = c.usage.partition_point(|(ts, _)| at(*ts) <= b.now);
    let mut usage = UsageFold::new(b, &core.ids);
    for &(ts, ev) in &c.usage[lo.saturating_sub(1).min(hi)..hi] {
        usage.add(at(ts), i64::from(ev));
    }
    f.add_used(b, &usage.finish());
    let n = c.nps.partition_point(|(t, _)| *t <= b.now);
    for &(t, score) in &c.nps[n.saturating_sub(1)..n] {
        f.add_nps(b, t, score);
    }
    let lo = c.csat.partition_point(|(t, _, _)| *t < b.csat_from);
    let hi = c.csat.partition_point(|(t, _, _)| *t <= b.now);
    for &(t, created, part) in &c.csat[lo..hi] {
        f.add_csat(b, t, created, part);
    }
    let n = c.billing.partition_point(|(d, _)| *d <= b.now);
    for &(date, p) in &c.billing[n.saturating_sub(1)..n] {
        f.add_payment(b, date, p);
    }
    f
}

/// Every customer's billing records (paid, late, failed) up to `last`, by
/// their place in `index`, each list by date. In the table's order (by id):
/// walking the (cid, date) index would look every row up in the table; each
/// list is then sorted by date, stably, so equal dates keep the id order.
/// Of the records before `first` (the first cutoff) only the latest is kept,
/// the last by id among equal dates: no cutoff looks further back, and a
/// year of records for 100,000 customers is not held.
fn billing_lists(
    conn: &Connection,
    index: &HashMap<i64, usize>,
    n: usize,
    first: i64,
    last: i64,
) -> Result<Vec<Vec<(i64, Payment)>>> {
    let mut lists: Vec<Vec<(i64, Payment)>> = vec![Vec::new(); n];
    let mut before: Vec<Option<(i64, Payment)>> = vec![None; n];
    let mut st = conn.prepare(
        "SELECT cid, date, status FROM billing_records
         WHERE status IN ('paid', 'late', 'failed') AND date <= ?1 ORDER BY id",
    )?;
    let mut rows = st.query([last])?;
    while let Some(r) = rows.next()? {
        if let (Some(&i), Some(p)) =
            (index.get(&r.get::<_, i64>(0)?), Payment::parse(r.get_ref(2)?.as_str()?))
        {
            let date: i64 = r.get(1)?;
            if date >= first {
                lists[i].push((date, p));
            } else if before[i].is_none_or(|(d, _)| date >= d) {
                before[i] = Some((date, p));
            }
        }
    }
    for (l, b) in lists.iter_mut().zip(before) {
        l.sort_by_key(|(date, _)| *date);
        if let Some(b) = b {
            l.insert(0, b);
        }
        l.shrink_to_fit();
    }
    Ok(lists)
}

mod signs;
mod tickets;
pub use signs::risk_facts_at;
