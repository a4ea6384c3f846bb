//! Invoice pages read with the quick reader ([`super::skim`]): the fields
//! of [`Invoice`] and nothing else, strings borrowed from the page. `None`
//! whenever the reader is unsure; the page is then parsed by serde_json,
//! which gives the same invoices or the error (tests below compare both).

use std::borrow::Cow;

use super::objects::{
    DiscountAmount, Invoice, Line, LineParent, List, Period, PriceDetails, Pricing, SubscriptionItemDetails,
    Text,
};
use super::skim::{once, Skim};

/// A page of invoices, if the quick reader is sure of all of it.
pub fn page(text: &str) -> Option<List<Invoice<'_>>> {
    let mut s = Skim::new(text);
    let page = list(&mut s, invoice)?;
    s.end()?;
    Some(page)
}

fn text(s: &str) -> Text<'_> {
    Text(Cow::Borrowed(s))
}

/// Reads an object's members: each named key once, by its statement (a
/// key given twice leaves the page to serde_json, which refuses it); any
/// other key is skipped.
macro_rules! members {
    ($s:ident { $($key:literal => $read:expr;)+ }) => {{
        let mut seen = 0u32;
        $s.object(|$s, key| {
            let mut bit = 1u32;
            $(
                if key == $key {
                    once(&mut seen, bit)?;
                    $read;
                    return Some(());
                }
                bit <<= 1;
            )+
            let _ = bit;
            $s.skip()
        })
    }};
}

/// `{"data": [...], "has_more": bool}`, each element read by `item`.
fn list<'a, T>(s: &mut Skim<'a>, mut item: impl FnMut(&mut Skim<'a>) -> Option<T>) -> Option<List<T>> {
    let (mut data, mut has_more) = (None, false);
    members!(s {
        "data" => {
            let mut v = Vec::new();
            s.array(|s| item(s).map(|x| v.push(x)))?;
            data = Some(v)
        };
        "has_more" => has_more = s.bool()?;
    })?;
    Some(List { data: data?, has_more })
}

fn invoice<'a>(s: &mut Skim<'a>) -> Option<Invoice<'a>> {
    let (mut id, mut customer, mut status, mut created, mut due_date) = (None, None, None, None, None);
    let (mut attempt_count, mut attempted, mut amount_due, mut amount_paid) = (0, false, 0, 0);
    let (mut currency, mut lines) = ("", None);
    members!(s {
        "id" => id = Some(s.str()?);
        "customer" => customer = s.opt_str()?;
        "status" => status = s.opt_str()?;
        "created" => created = Some(s.int()?);
        "due_date" => due_date = s.opt(Skim::int)?;
        "attempt_count" => attempt_count = s.int()?;
        "attempted" => attempted = s.bool()?;
        "amount_due" => amount_due = s.int()?;
        "amount_paid" => amount_paid = s.int()?;
        "currency" => currency = s.str()?;
        "lines" => lines = Some(list(s, line)?);
    })?;
    Some(Invoice {
        id: text(id?),
        customer: customer.map(text),
        status: status.map(text),
        created: created?,
        due_date,
        attempt_count,
        attempted,
        amount_due,
        amount_paid,
        currency: text(currency),
        lines: lines?,
    })
}

fn line<'a>(s: &mut Skim<'a>) -> Option<Line<'a>> {
    let (mut amount, mut discount_amounts, mut period, mut parent, mut pricing) =
        (None, None, None, None, None);
    members!(s {
        "amount" => amount = Some(s.int()?);
        "discount_amounts" => discount_amounts = s.opt(|s| {
            let mut v = Vec::new();
            s.array(|s| only_amount(s).map(|amount| v.push(DiscountAmount { amount })))?;
            Some(v)
        })?;
        "period" => period = Some(self::period(s)?);
        "parent" => parent = s.opt(line_parent)?;
        "pricing" => pricing = s.opt(self::pricing)?;
    })?;
    Some(Line { amount: amount?, discount_amounts, period: period?, parent, pricing })
}

/// A discount amount's `amount`.
fn only_amount(s: &mut Skim<'_>) -> Option<i64> {
    let mut amount = None;
    members!(s { "amount" => amount = Some(s.int()?); })?;
    amount
}

fn period(s: &mut Skim<'_>) -> Option<Period> {
    let (mut start, mut end) = (None, None);
    members!(s {
        "start" => start = Some(s.int()?);
        "end" => end = Some(s.int()?);
    })?;
    Some(Period { start: start?, end: end? })
}

fn line_parent<'a>(s: &mut Skim<'a>) -> Option<LineParent<'a>> {
    let (mut kind, mut details) = (None, None);
    members!(s {
        "type" => kind = Some(s.str()?);
        "subscription_item_details" => details = s.opt(item_details)?;
    })?;
    Some(LineParent { kind: text(kind?), subscription_item_details: details })
}

fn item_details<'a>(s: &mut Skim<'a>) -> Option<SubscriptionItemDetails<'a>> {
    let (mut subscription, mut proration) = (None, false);
    members!(s {
        "subscription" => subscription = s.opt_str()?;
        "proration" => proration = s.bool()?;
    })?;
    Some(SubscriptionItemDetails { subscription: subscription.map(text), proration })
}

fn pricing<'a>(s: &mut Skim<'a>) -> Option<Pricing<'a>> {
    let mut price_details = None;
    members!(s {
        "price_details" => price_details = s.opt(|s| {
            let mut price = None;
            members!(s { "price" => price = s.opt_str()?; })?;
            Some(PriceDetails { price: price.map(text) })
        })?;
    })?;
    Some(Pricing { price_details })
}

#[cfg(test)]
#[path = "invoices_tests.rs"]
mod tests;
