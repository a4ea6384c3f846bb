//! Writing what was read, inside the sync's one transaction: customers
//! linked or created, MRR, plan and status history, billing rows. Rows go
//! through the store's writers (the same as imports and edits use).

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Result;
use rusqlite::Connection;

use super::map::{self, StatusPoint};
use super::read::Book;
use crate::domain::churn::ChurnReason;
use crate::money::Cents;
use crate::sources::Counts;
use crate::store::churn::ChurnRecord;
use crate::store::customers::{self, NewCustomer};
use crate::store::revenue::{self, Source};
use crate::store::sync::{self as ss, Link, Outcome};

/// A churn csf recorded itself this close to Stripe's is the same churn: csf's stands.
const SAME_CHURN: i64 = 31 * 86_400;

fn tally(c: &mut Counts, o: Outcome) {
    c.read += 1;
    match o {
        Outcome::Inserted => c.inserted += 1,
        Outcome::Changed => c.changed += 1,
        Outcome::Unchanged => c.unchanged += 1,
    }
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

/// Writes the book; returns the counts per kind.
pub fn write(conn: &Connection, book: &Book, now: i64) -> Result<Vec<Counts>> {
    // More statements take turns here than rusqlite's default cache of 16 holds.
    conn.set_prepared_statement_cache_capacity(64);
    let mut ix = Index::load(conn)?;
    // Customers this run creates: their history holds only what it writes.
    let mut created: HashSet<i64> = HashSet::new();
    let mut cc = counts("customers");
    for cu in &book.customers {
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
                created.insert(cid);
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
        tally(&mut cc, o);
    }
    let (mut mc, mut pc, mut sc) =
        (counts("mrr changes"), counts("plan changes"), counts("churns and returns"));
    let mut subs_of: HashMap<&str, Vec<&super::read::SubFacts>> = HashMap::new();
    for s in &book.subs {
        subs_of.entry(s.customer.as_str()).or_default().push(s);
    }
    let mut affected: Vec<&String> = book.affected.iter().collect();
    affected.sort();
    let no_lines = Vec::new();
    for stripe_id in affected {
        let Some(cid) = ix.cid(stripe_id) else { continue };
        let mut past = Past::of(cid, created.contains(&cid));
        let subs = subs_of.get(stripe_id.as_str()).cloned().unwrap_or_default();
        let spans: Vec<map::Span> = subs.iter().map(|s| s.span.clone()).collect();
        let lines = book.lines.get(stripe_id).unwrap_or(&no_lines);
        let mut h = map::history(lines, &spans, now);
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
        past.settle(conn)?;
        // A customer created by this run without a churn or return has no churn date to refresh.
        if !(past.fresh && h.status.is_empty()) {
            revenue::refresh_churned_at(conn, cid, now)?;
        }
    }
    let mut bc = counts("billing");
    // A full read has every invoice: what is stored is read in one scan, not looked up row by row.
    let mut stored = if book.full { Some(ss::all_billed(conn)?) } else { None };
    for b in &book.bills {
        let Some(cid) = ix.cid(&b.customer) else {
            bc.skipped += 1;
            continue;
        };
        let old = match &stored {
            Some(all) => all.get(&b.id).cloned(),
            None => ss::billed(conn, &b.id)?,
        };
        let o = ss::upsert_invoice(conn, &b.id, old.as_ref(), cid, b.date, b.cents, &b.currency, b.status)?;
        if let (Some(all), Outcome::Inserted | Outcome::Changed) = (&mut stored, o) {
            // The same invoice twice in one read (a list that moved while paged): the second finds the first.
            let id = old.map_or_else(|| conn.last_insert_rowid(), |o| o.0);
            all.insert(
                b.id.clone(),
                (id, cid, b.date, b.cents, Some(b.currency.clone()), b.status.to_string()),
            );
        }
        tally(&mut bc, o);
    }
    bc.skipped += book.invoices_skipped;
    Ok(vec![cc, mc, pc, sc, bc])
}

/// A churn or a return from Stripe, unless the history has it, or csf
/// recorded that churn itself (its reason stands).
fn status(conn: &Connection, past: &mut Past, st: &StatusPoint, now: i64) -> Result<Outcome> {
    let cid = past.cid;
    if past.has_status(conn, st.at, st.churned)? {
        return Ok(Outcome::Unchanged);
    }
    past.status.push((st.at, st.churned));
    if !st.churned {
        revenue::record_status(conn, cid, st.at, false, "sync")?;
        return Ok(Outcome::Inserted);
    }
    // csf's own churns (`churn record`) belong to customers it already had.
    if !past.fresh && revenue::recorded_in_csf_near(conn, cid, st.at, SAME_CHURN)? {
        return Ok(Outcome::Unchanged);
    }
    let other = st.reason == Some(ChurnReason::Other);
    let r = ChurnRecord {
        churned_at: st.at,
        reason: st.reason,
        reason_other: st.comment.clone().filter(|_| other),
        better: st.comment.clone().filter(|_| !other),
        return_answer: None,
    };
    let mrr = past.mrr_at(conn, st.at - 1)?;
    revenue::record_synced(conn, cid, &r, mrr, now)?;
    Ok(Outcome::Inserted)
}

/// A customer's MRR, plan and status history as the writes consult it. A
/// customer this run created has none but what the run writes, kept here
/// (no lookups); any other's is asked of the database.
struct Past {
    cid: i64,
    fresh: bool,
    mrr: BTreeMap<i64, Cents>,
    plan: BTreeMap<i64, String>,
    status: Vec<(i64, bool)>,
}

impl Past {
    fn of(cid: i64, fresh: bool) -> Past {
        Past { cid, fresh, mrr: BTreeMap::new(), plan: BTreeMap::new(), status: Vec::new() }
    }

    fn mrr_at(&self, conn: &Connection, at: i64) -> Result<Option<Cents>> {
        if self.fresh {
            return Ok(self.mrr.range(..=at).next_back().map(|(_, c)| *c));
        }
        Ok(revenue::mrr_at(conn, self.cid, at)?)
    }

    fn plan_at(&self, conn: &Connection, at: i64) -> Result<Option<String>> {
        if self.fresh {
            return Ok(self.plan.range(..=at).next_back().map(|(_, p)| p.clone()));
        }
        Ok(revenue::plan_at(conn, self.cid, at)?)
    }

    fn latest_change_at(&self, conn: &Connection) -> Result<Option<i64>> {
        if self.fresh {
            return Ok(self.mrr.keys().next_back().copied());
        }
        Ok(revenue::latest_change_at(conn, self.cid)?)
    }

    fn has_status(&self, conn: &Connection, at: i64, churned: bool) -> Result<bool> {
        if self.fresh {
            return Ok(self.status.contains(&(at, churned)));
        }
        Ok(revenue::has_status(conn, self.cid, at, churned)?)
    }

    /// A customer this run created has its latest MRR and plan set once, by [`Past::settle`].
    fn record_mrr(&mut self, conn: &Connection, at: i64, cents: Cents) -> Result<()> {
        if self.fresh {
            revenue::note_mrr(conn, self.cid, at, cents, Source::Sync)?;
        } else {
            revenue::record_mrr(conn, self.cid, at, cents, Source::Sync)?;
        }
        self.mrr.insert(at, cents);
        Ok(())
    }

    fn record_plan(&mut self, conn: &Connection, at: i64, plan: &str) -> Result<()> {
        if self.fresh {
            revenue::note_plan(conn, self.cid, at, Some(plan), Source::Sync)?;
        } else {
            revenue::record_plan(conn, self.cid, at, plan, Source::Sync)?;
        }
        self.plan.insert(at, plan.to_string());
        Ok(())
    }

    /// A fresh customer's `mrr_cents` and `plan`: the latest of what the run wrote.
    fn settle(&self, conn: &Connection) -> Result<()> {
        let mrr = self.mrr.values().next_back().copied();
        let plan = self.plan.values().next_back().map(String::as_str);
        if self.fresh && (mrr.is_some() || plan.is_some()) {
            revenue::set_latest(conn, self.cid, mrr, plan)?;
        }
        Ok(())
    }
}
