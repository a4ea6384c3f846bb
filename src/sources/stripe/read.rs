//! Reading Stripe: a full read, or what changed since the cursors (the
//! Events API and `created` filters). Each page is mapped to compact facts
//! as it arrives and dropped; only the facts are kept for the write.

use std::collections::{HashMap, HashSet};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use super::client::Client;
use super::invoices;
use super::map::{self, LinePoint, PriceFacts, Span};
use super::objects::{Customer, Event, Invoice, Price, Subscription};
use crate::money::Cents;

/// Where the next incremental run starts: the newest `created` seen per kind.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Cursor {
    pub customers: i64,
    pub subscriptions: i64,
    pub invoices: i64,
    pub events: i64,
}

/// A subscription as csf keeps it.
#[derive(Debug, Clone)]
pub struct SubFacts {
    pub customer: String,
    pub span: Span,
    /// Counts for the customer now (active, past_due or trialing).
    pub running: bool,
    pub mrr: Cents,
    pub plan: Option<String>,
    pub current_start: Option<i64>,
}

/// An invoice as a billing row. Its id, customer and currency share one
/// allocation: every row is made on the reading thread and dropped on the
/// writing one.
#[derive(Debug, Clone)]
pub struct Bill {
    /// The invoice id, the customer's Stripe id and the currency in upper case.
    text: Box<str>,
    ends: [usize; 2],
    pub date: i64,
    pub cents: i64,
    pub status: &'static str,
}

impl Bill {
    pub fn new(
        id: &str,
        customer: &str,
        currency: &str,
        date: i64,
        cents: i64,
        status: &'static str,
    ) -> Bill {
        let mut text = String::with_capacity(id.len() + customer.len() + currency.len());
        text.push_str(id);
        text.push_str(customer);
        text.extend(currency.chars().flat_map(char::to_uppercase));
        let ends = [id.len(), id.len() + customer.len()];
        Bill { text: text.into_boxed_str(), ends, date, cents, status }
    }

    pub fn id(&self) -> &str {
        &self.text[..self.ends[0]]
    }

    pub fn customer(&self) -> &str {
        &self.text[self.ends[0]..self.ends[1]]
    }

    /// In upper case.
    pub fn currency(&self) -> &str {
        &self.text[self.ends[1]..]
    }
}

#[derive(Debug, Default)]
pub struct Book {
    pub full: bool,
    pub customers: Vec<Customer>,
    pub deleted: Vec<String>,
    pub subs: Vec<SubFacts>,
    pub lines: HashMap<String, Vec<LinePoint>>,
    pub bills: Vec<Bill>,
    /// Customers whose history is rebuilt (every one on a full read).
    pub affected: HashSet<String>,
    /// MRR points are written from this time on (a full read: all of them).
    pub from: i64,
    pub cursor: Cursor,
    pub invoices_read: u64,
    pub invoices_skipped: u64,
}

const SUB_EXPAND: &str = "data.discounts.source.coupon";
const EVENT_TYPES: &[&str] = &[
    "customer.created",
    "customer.updated",
    "customer.deleted",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.created",
    "invoice.finalized",
    "invoice.paid",
    "invoice.payment_failed",
    "invoice.payment_succeeded",
    "invoice.voided",
    "invoice.marked_uncollectible",
    "invoice.updated",
];

/// What a read hands on as it goes, for the write beside it ([`super::write::Writer`]).
pub enum Got {
    /// A page of customers, in list order.
    Customers(Vec<Customer>),
    /// Every customer has been handed on.
    CustomersDone,
    /// A page of invoices' billing rows, in list order.
    Bills(Vec<Bill>),
}

/// Reads Stripe: everything (`since` None) or what changed since the
/// cursors. The customers and billing rows go to `got` (a full read hands
/// them on page by page while it reads, on the calling thread); the rest is
/// the book returned.
pub fn read(
    client: &Client,
    since: Option<Cursor>,
    now: i64,
    currency: &str,
    mut got: impl FnMut(Got) -> Result<()>,
) -> Result<Book> {
    let Some(c) = since else { return super::full::read_all(client, now, currency, got) };
    let mut book = read_changes(client, c, now, currency)?;
    got(Got::Customers(std::mem::take(&mut book.customers)))?;
    got(Got::CustomersDone)?;
    got(Got::Bills(std::mem::take(&mut book.bills)))?;
    Ok(book)
}

/// What changed since the cursors.
fn read_changes(client: &Client, c: Cursor, now: i64, currency: &str) -> Result<Book> {
    let mut book = Book { full: false, from: i64::MIN, ..Book::default() };
    let mut foreign: Vec<String> = Vec::new();
    book.cursor = c;
    book.from = c.invoices.min(c.subscriptions).min(c.events);
    // What changed: the events since the last run, newest first (the newest state wins).
    let mut seen: HashSet<String> = HashSet::new();
    let mut invoices: Vec<Invoice<'static>> = Vec::new();
    let mut subs_changed = false;
    let mut customers: HashMap<String, Customer> = HashMap::new();
    let mut params: Vec<(&str, String)> = vec![("created[gt]", c.events.to_string())];
    params.extend(EVENT_TYPES.iter().map(|t| ("types[]", t.to_string())));
    client.list("/events", &params, |page: Vec<Event>| {
        for e in page {
            book.cursor.events = book.cursor.events.max(e.created);
            let id = e.data.object.get("id").and_then(|v| v.as_str()).unwrap_or_default().to_string();
            if !seen.insert(id.clone()) {
                continue;
            }
            let bad =
                |k: &str| format!("GET /v1/events: event {} has a {k} that is not one Stripe sends", e.id);
            if e.kind == "customer.deleted" {
                book.deleted.push(id);
            } else if e.kind.starts_with("customer.subscription.") {
                subs_changed = true;
                if let Some(cu) = e.data.object.get("customer").and_then(|v| v.as_str()) {
                    book.affected.insert(cu.to_string());
                }
            } else if e.kind.starts_with("customer.") {
                let cu: Customer = serde_json::from_value(e.data.object).with_context(|| bad("customer"))?;
                customers.insert(cu.id.clone(), cu);
            } else if e.kind.starts_with("invoice.") {
                invoices.push(Invoice::deserialize(e.data.object).with_context(|| bad("invoice"))?);
            }
        }
        Ok(())
    })?;
    client.list("/customers", &[("created[gt]", c.customers.to_string())], |page: Vec<Customer>| {
        for cu in page {
            book.cursor.customers = book.cursor.customers.max(cu.created);
            customers.insert(cu.id.clone(), cu);
        }
        Ok(())
    })?;
    let mut keep = |page: Vec<Invoice<'_>>| {
        invoices.extend(page.into_iter().map(Invoice::into_owned));
        Ok(())
    };
    let p = [("created[gt]", c.invoices.to_string())];
    client.pages("/invoices", &p, |body| client.page_read("/invoices", body, invoices::page, &mut keep))?;
    let mut new_subs: Vec<Subscription> = Vec::new();
    if !subs_changed && invoices.is_empty() {
        let p = [
            ("status", "all".to_string()),
            ("created[gt]", c.subscriptions.to_string()),
            ("expand[]", SUB_EXPAND.into()),
        ];
        client.list("/subscriptions", &p, |page: Vec<Subscription>| {
            new_subs.extend(page);
            Ok(())
        })?;
    }
    book.customers = customers.into_values().collect();
    book.customers.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
    if !subs_changed && invoices.is_empty() && new_subs.is_empty() {
        return Ok(book);
    }
    let prices = read_prices(client)?;
    if new_subs.is_empty() {
        // A subscription changed or renewed: re-read them all (pages, never one per object).
        read_subs(client, &mut book, &prices, &[("status", "all".into())], now, currency, &mut foreign)?;
    } else {
        for s in &new_subs {
            book.affected.insert(s.customer.clone());
            add_sub(&mut book, s, &prices, now, currency, &mut foreign);
        }
    }
    // The newest state of each invoice (a listed one is newer than its events).
    let mut by_id: HashMap<String, Invoice> = HashMap::new();
    for inv in invoices {
        by_id.insert(inv.id.to_string(), inv);
    }
    let mut invs: Vec<Invoice> = by_id.into_values().collect();
    invs.sort_by_key(|i| i.created);
    for inv in &invs {
        if let Some(cu) = &inv.customer {
            book.affected.insert(cu.to_string());
        }
        add_invoice(&mut book, inv, &prices, now, currency, &mut foreign);
    }
    if !book.full {
        book.subs.retain(|s| book.affected.contains(&s.customer));
    }
    refuse_foreign(&foreign, currency)?;
    Ok(book)
}

pub(super) fn read_prices(client: &Client) -> Result<HashMap<String, PriceFacts>> {
    let mut prices = HashMap::new();
    let none = HashMap::new();
    client.list("/prices", &[("expand[]", "data.product".into())], |page: Vec<Price>| {
        for p in page {
            if let Some(f) = map::price_facts(&p, &none) {
                prices.insert(p.id, f);
            }
        }
        Ok(())
    })?;
    Ok(prices)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn read_subs(
    client: &Client,
    book: &mut Book,
    prices: &HashMap<String, PriceFacts>,
    extra: &[(&str, String)],
    now: i64,
    currency: &str,
    foreign: &mut Vec<String>,
) -> Result<()> {
    let mut params: Vec<(&str, String)> = extra.to_vec();
    params.push(("expand[]", SUB_EXPAND.into()));
    client.list("/subscriptions", &params, |page: Vec<Subscription>| {
        for s in &page {
            add_sub(book, s, prices, now, currency, foreign);
        }
        Ok(())
    })
}

fn add_sub(
    book: &mut Book,
    s: &Subscription,
    prices: &HashMap<String, PriceFacts>,
    now: i64,
    currency: &str,
    foreign: &mut Vec<String>,
) {
    book.cursor.subscriptions = book.cursor.subscriptions.max(s.created);
    // Never paid for: not a customer's subscription yet.
    if matches!(s.status.as_str(), "incomplete" | "incomplete_expired") {
        return;
    }
    if !s.currency.is_empty() && !s.currency.eq_ignore_ascii_case(currency) {
        foreign.push(format!("{} ({})", s.id, s.currency));
        return;
    }
    let (mrr, plan) = map::subscription_mrr(s, prices, now);
    let running = matches!(s.status.as_str(), "active" | "past_due" | "trialing");
    let details = s.cancellation_details.clone().unwrap_or_default();
    let span = Span {
        sub: s.id.clone(),
        start: s.start_date.unwrap_or(s.created),
        end: s.ended_at,
        feedback: details.feedback,
        comment: details.comment,
        now_mrr: (!book.full && running).then_some(mrr),
        now_plan: plan.clone(),
    };
    let current_start = s.items.data.iter().filter_map(|i| i.current_period_start).max();
    book.subs.push(SubFacts { customer: s.customer.clone(), span, running, mrr, plan, current_start });
}

pub(super) fn add_invoice(
    book: &mut Book,
    inv: &Invoice,
    prices: &HashMap<String, PriceFacts>,
    now: i64,
    currency: &str,
    foreign: &mut Vec<String>,
) {
    book.invoices_read += 1;
    book.cursor.invoices = book.cursor.invoices.max(inv.created);
    let Some(customer) = inv.customer.as_deref() else {
        book.invoices_skipped += 1;
        return;
    };
    if !inv.currency.is_empty() && !inv.currency.eq_ignore_ascii_case(currency) {
        foreign.push(format!("{} ({})", &*inv.id, &*inv.currency));
        return;
    }
    if map::counts_for_history(inv) {
        let pts = map::line_points(inv, prices);
        if !pts.is_empty() {
            match book.lines.get_mut(customer) {
                Some(known) => known.extend(pts),
                None => {
                    book.lines.insert(customer.to_string(), pts);
                }
            }
        }
    }
    match map::billing_status(inv, now) {
        Some(status) => {
            let cents = if status == "paid" { inv.amount_paid } else { inv.amount_due };
            book.bills.push(Bill::new(&inv.id, customer, &inv.currency, inv.created, cents, status));
        }
        None => book.invoices_skipped += 1,
    }
}

pub(super) fn refuse_foreign(foreign: &[String], currency: &str) -> Result<()> {
    if foreign.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
    let more = if foreign.len() > 5 { format!(" and {} more", foreign.len() - 5) } else { String::new() };
    bail!(
        "Stripe has {} object(s) in another currency than config currency {currency}: {}{more}; \
         csf keeps one currency, so nothing was written (set `csf config set currency …` if that one is yours)",
        foreign.len(),
        shown.join(", ")
    )
}
