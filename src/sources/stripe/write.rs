//! Writing what was read, inside the sync's one transaction: customers
//! linked or created, MRR, plan and status history, billing rows. Rows go
//! through the store's writers (the same as imports and edits use).

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use rusqlite::Connection;

use super::map;
use super::objects::Customer;
use super::past::{status, Past};
use super::read::{Bill, Book, Got};
use crate::money::Cents;
use crate::sources::Counts;
use crate::store::billing;
use crate::store::customers::{self, NewCustomer};
use crate::store::revenue;
use crate::store::sync::{self as ss, Billed, Link, Outcome};

fn tally(c: &mut Counts, o: Outcome) {
    c.read += 1;
    match o {
        Outcome::Inserted => c.inserted += 1,
        Outcome::Changed => c.changed += 1,
        Outcome::Unchanged => c.unchanged += 1,
    }
}

fn hash(id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(id)
}

fn counts(kind: &str) -> Counts {
    Counts { kind: kind.into(), ..Counts::default() }
}

/// csf's customers by Stripe id, id, and lower-case email.
struct Index {
    links: Vec<Link>,
    by_stripe: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
}

impl Index {
    fn load(conn: &Connection) -> Result<Index> {
        let mut ix = Index {
            links: Vec::new(),
            by_stripe: HashMap::new(),
            by_id: HashMap::new(),
            by_email: HashMap::new(),
        };
        for l in ss::links(conn)? {
            ix.add(l);
        }
        Ok(ix)
    }

    fn add(&mut self, l: Link) {
        let i = self.links.len();
        if let Some(s) = &l.stripe_id {
            self.by_stripe.insert(s.clone(), i);
        }
        self.by_id.entry(l.id.to_lowercase()).or_insert(i);
        if let Some(e) = &l.email {
            self.by_email.entry(e.trim().to_lowercase()).or_insert(i);
        }
        self.links.push(l);
    }

    /// Linked by Stripe id, csf id (the Stripe id or `metadata.csf_id`), else email.
    fn find(&self, stripe_id: &str, csf_id: Option<&str>, email: Option<&str>) -> Option<usize> {
        let free = |i: &usize| self.links[*i].stripe_id.as_deref().is_none_or(|s| s == stripe_id);
        self.by_stripe
            .get(stripe_id)
            .or_else(|| self.by_id.get(&stripe_id.to_lowercase()).filter(|i| free(i)))
            .or_else(|| csf_id.and_then(|c| self.by_id.get(&c.trim().to_lowercase())).filter(|i| free(i)))
            .or_else(|| email.and_then(|e| self.by_email.get(&e.trim().to_lowercase())).filter(|i| free(i)))
            .copied()
    }

    fn cid(&self, stripe_id: &str) -> Option<i64> {
        self.by_stripe.get(stripe_id).map(|&i| self.links[i].cid)
    }
}

/// The write of one sync, fed as the read goes: customers page by page,
/// then billing rows page by page (a page read before the last customer
/// waits for it), and the history once everything is read ([`Writer::finish`]).
pub struct Writer {
    ix: Index,
    /// Customers this run creates: their history holds only what it writes.
    created: HashSet<i64>,
    /// A full read has every invoice: what is stored is read in one scan, not looked up row by row.
    stored: Option<HashMap<String, Billed>>,
    /// Billing rows read before the last customer was written.
    waiting: Vec<Bill>,
    /// New billing rows (with their customer) not yet inserted: [`billing::BATCH`] go in one statement.
    batch: Vec<(i64, Bill)>,
    /// The hashes of the invoice ids this run inserted or changed (one found
    /// here is looked up in the database, which tells for sure).
    wrote: HashSet<u64>,
    customers_done: bool,
    cc: Counts,
    bc: Counts,
}

impl Writer {
    pub fn new(conn: &Connection, full: bool) -> Result<Writer> {
        // More statements take turns here than rusqlite's default cache of 16 holds.
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Writer {
            ix: Index::load(conn)?,
            created: HashSet::new(),
            stored: if full { Some(ss::all_billed(conn)?) } else { None },
            waiting: Vec::new(),
            batch: Vec::new(),
            wrote: HashSet::new(),
            customers_done: false,
            cc: counts("customers"),
            bc: counts("billing"),
        })
    }

    /// Writes what the read handed on.
    pub fn take(&mut self, conn: &Connection, got: Got, now: i64) -> Result<()> {
        match got {
            Got::Customers(page) => self.customers(conn, &page, now),
            Got::CustomersDone => {
                self.customers_done = true;
                let waiting = std::mem::take(&mut self.waiting);
                self.bills(conn, waiting)
            }
            Got::Bills(page) if self.customers_done => self.bills(conn, page),
            Got::Bills(page) => {
                self.waiting.extend(page);
                Ok(())
            }
        }
    }

    fn customers(&mut self, conn: &Connection, page: &[Customer], now: i64) -> Result<()> {
        let ix = &mut self.ix;
        for cu in page {
            let found = ix.find(&cu.id, cu.csf_id(), cu.email.as_deref());
            let o = match found {
                Some(i) => {
                    let old = ix.links[i].clone();
                    let new = Link {
                        stripe_id: Some(cu.id.clone()),
                        name: cu.name.clone().filter(|n| !n.trim().is_empty()).or(old.name.clone()),
                        email: cu.email.clone().filter(|e| !e.trim().is_empty()).or(old.email.clone()),
                        signed_up_at: old.signed_up_at.or(Some(cu.created)),
                        ..old.clone()
                    };
                    let same = new.stripe_id == old.stripe_id
                        && new.name == old.name
                        && new.email == old.email
                        && new.signed_up_at == old.signed_up_at;
                    if same {
                        Outcome::Unchanged
                    } else {
                        ss::update_linked(conn, &new, now)?;
                        ix.by_stripe.insert(cu.id.clone(), i);
                        ix.links[i] = new;
                        Outcome::Changed
                    }
                }
                None => {
                    let nc = NewCustomer {
                        id: cu.id.clone(),
                        name: cu.name.clone(),
                        email: cu.email.clone(),
                        signed_up_at: Some(cu.created),
                        stripe_id: Some(cu.id.clone()),
                        ..NewCustomer::default()
                    };
                    let cid = customers::insert(conn, &nc, now, revenue::Source::Sync)?;
                    self.created.insert(cid);
                    let l = Link {
                        cid,
                        id: cu.id.clone(),
                        email: cu.email.clone(),
                        name: cu.name.clone(),
                        signed_up_at: Some(cu.created),
                        stripe_id: Some(cu.id.clone()),
                    };
                    ix.add(l);
                    Outcome::Inserted
                }
            };
            tally(&mut self.cc, o);
        }
        Ok(())
    }

    fn bills(&mut self, conn: &Connection, page: Vec<Bill>) -> Result<()> {
        for b in page {
            let Some(cid) = self.ix.cid(b.customer()) else {
                self.bc.skipped += 1;
                continue;
            };
            // The same invoice twice in one read (a list that moved while paged): the second finds the first.
            let again = self.wrote.contains(&hash(b.id()));
            if again {
                self.flush(conn)?;
            }
            let old = match &self.stored {
                Some(all) if !again => all.get(b.id()).cloned(),
                _ => ss::billed(conn, b.id())?,
            };
            let o = match old {
                None => {
                    self.wrote.insert(hash(b.id()));
                    self.batch.push((cid, b));
                    if self.batch.len() == billing::BATCH {
                        self.flush(conn)?;
                    }
                    Outcome::Inserted
                }
                Some(old) => {
                    self.flush(conn)?;
                    let o = ss::upsert_invoice(
                        conn,
                        b.id(),
                        Some(&old),
                        cid,
                        b.date,
                        b.cents,
                        b.currency(),
                        b.status,
                    )?;
                    if matches!(o, Outcome::Changed) {
                        self.wrote.insert(hash(b.id()));
                    }
                    o
                }
            };
            tally(&mut self.bc, o);
        }
        Ok(())
    }

    /// Inserts the new billing rows not yet written, in the order read.
    fn flush(&mut self, conn: &Connection) -> Result<()> {
        let rows: Vec<(billing::Billing, Option<&str>)> = self
            .batch
            .iter()
            .map(|(cid, b)| {
                let row = billing::Billing {
                    cid: *cid,
                    date: b.date,
                    amount_cents: b.cents,
                    currency: Some(b.currency()),
                    status: b.status,
                };
                (row, Some(b.id()))
            })
            .collect();
        billing::insert_many(conn, &rows)?;
        self.batch.clear();
        Ok(())
    }

    /// Everything read: the MRR, plan and status history of the customers
    /// affected; returns the counts per kind.
    pub fn finish(mut self, conn: &Connection, book: &Book, now: i64) -> Result<Vec<Counts>> {
        if !self.customers_done {
            // A read that handed on no end of its customers (none to hand on).
            self.take(conn, Got::CustomersDone, now)?;
        }
        self.flush(conn)?;
        let (mc, pc, sc) = self.history(conn, book, now)?;
        self.bc.skipped += book.invoices_skipped;
        Ok(vec![self.cc, mc, pc, sc, self.bc])
    }

    fn history(&self, conn: &Connection, book: &Book, now: i64) -> Result<(Counts, Counts, Counts)> {
        let ix = &self.ix;
        let mut subs_of: HashMap<&str, Vec<&super::read::SubFacts>> = HashMap::new();
        for s in &book.subs {
            subs_of.entry(s.customer.as_str()).or_default().push(s);
        }
        // In csf's key order: the rows keyed by customer go to the end of their tables' B-trees.
        let mut affected: Vec<(&str, i64)> =
            book.affected.iter().filter_map(|s| Some((s.as_str(), ix.cid(s)?))).collect();
        affected.sort_unstable_by_key(|&(_, cid)| cid);
        // Each customer's history is mapped on a second thread while this one writes the last.
        let (to, mapped) = std::sync::mpsc::sync_channel::<map::MappedHistory>(256);
        let (work, subs) = (&affected, &subs_of);
        std::thread::scope(|sc| {
            // It owns the sender: if it panics, the write below stops waiting and the panic goes on.
            sc.spawn(move || {
                let no_lines = Vec::new();
                for (stripe_id, _) in work {
                    let spans: Vec<map::Span> =
                        subs.get(stripe_id).into_iter().flatten().map(|s| s.span.clone()).collect();
                    let lines = book.lines.get(*stripe_id).unwrap_or(&no_lines);
                    if to.send(map::history(lines, &spans, now)).is_err() {
                        break; // the write failed
                    }
                }
            });
            self.write_history(conn, book, &affected, &subs_of, mapped, now)
        })
    }

    /// Writes the mapped histories of `affected`, received in that order.
    fn write_history(
        &self,
        conn: &Connection,
        book: &Book,
        affected: &[(&str, i64)],
        subs_of: &HashMap<&str, Vec<&super::read::SubFacts>>,
        mapped: std::sync::mpsc::Receiver<map::MappedHistory>,
        now: i64,
    ) -> Result<(Counts, Counts, Counts)> {
        let (mut mc, mut pc, mut sc) =
            (counts("mrr changes"), counts("plan changes"), counts("churns and returns"));
        // New customers' MRR and plan changes, written many at once (keyed by customer and time: order-free).
        let mut mrr_rows: Vec<(i64, i64, Cents)> = Vec::new();
        let mut plan_rows: Vec<(i64, i64, String)> = Vec::new();
        let mut latest: Vec<super::past::Latest> = Vec::new();
        for (&(stripe_id, cid), mut h) in affected.iter().zip(mapped) {
            let mut past = Past::of(cid, self.created.contains(&cid));
            let subs = subs_of.get(stripe_id).cloned().unwrap_or_default();
            h.mrr.retain(|(t, _)| *t >= book.from);
            h.plan.retain(|(t, _)| *t >= book.from);
            for (t, cents) in &h.mrr {
                let o = if past.mrr_at(conn, *t)? == Some(*cents) {
                    Outcome::Unchanged
                } else {
                    past.record_mrr(conn, *t, *cents)?;
                    Outcome::Inserted
                };
                tally(&mut mc, o);
            }
            for (t, plan) in &h.plan {
                let o = if past.plan_at(conn, *t)?.as_deref() == Some(plan.as_str()) {
                    Outcome::Unchanged
                } else {
                    past.record_plan(conn, *t, plan)?;
                    Outcome::Inserted
                };
                tally(&mut pc, o);
            }
            // The subscriptions' MRR now, where no invoice shows it yet (an upgrade mid-period).
            let running: Vec<_> = subs.iter().filter(|s| s.running).collect();
            if !running.is_empty() {
                let total: Cents = running.iter().map(|s| s.mrr).sum();
                if past.mrr_at(conn, now)? != Some(total) {
                    let last: Option<i64> = past.latest_change_at(conn)?;
                    let start = running.iter().filter_map(|s| s.current_start).max().unwrap_or(now).min(now);
                    let at = if last.is_some_and(|l| l >= start) { now } else { start };
                    past.record_mrr(conn, at, total)?;
                    tally(&mut mc, Outcome::Inserted);
                }
                let best = running.iter().max_by_key(|s| s.mrr).and_then(|s| s.plan.clone());
                if let Some(p) = best {
                    if past.plan_at(conn, now)?.as_deref() != Some(p.as_str()) {
                        past.record_plan(conn, now, &p)?;
                        tally(&mut pc, Outcome::Inserted);
                    }
                }
            }
            for st in &h.status {
                tally(&mut sc, status(conn, &mut past, st, now)?);
            }
            latest.extend(past.latest());
            if latest.len() >= billing::BATCH {
                revenue::set_latest_many(conn, &std::mem::take(&mut latest))?;
            }
            let (m, p) = past.take_notes();
            mrr_rows.extend(m.into_iter().map(|(t, c)| (cid, t, c)));
            plan_rows.extend(p.into_iter().map(|(t, p)| (cid, t, p)));
            if mrr_rows.len() >= billing::BATCH {
                let rest = mrr_rows.split_off(billing::BATCH);
                revenue::note_mrr_many(conn, &std::mem::replace(&mut mrr_rows, rest), revenue::Source::Sync)?;
            }
            if plan_rows.len() >= billing::BATCH {
                let rest = plan_rows.split_off(billing::BATCH);
                revenue::note_plan_many(
                    conn,
                    &std::mem::replace(&mut plan_rows, rest),
                    revenue::Source::Sync,
                )?;
            }
            // A customer created by this run without a churn or return has no churn date to refresh.
            if !(past.fresh && h.status.is_empty()) {
                revenue::refresh_churned_at(conn, cid, now)?;
            }
        }
        revenue::note_mrr_many(conn, &mrr_rows, revenue::Source::Sync)?;
        revenue::note_plan_many(conn, &plan_rows, revenue::Source::Sync)?;
        revenue::set_latest_many(conn, &latest)?;
        Ok((mc, pc, sc))
    }
}
