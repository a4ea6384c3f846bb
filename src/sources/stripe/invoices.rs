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

/// `{"data": [...], "has_more": bool}`, each element read by `item`.
fn list<'a, T>(s: &mut Skim<'a>, mut item: impl FnMut(&mut Skim<'a>) -> Option<T>) -> Option<List<T>> {
    let (mut data, mut has_more, mut seen) = (None, false, 0);
    s.object(|s, key| {
        match key {
            "data" => {
                once(&mut seen, 1)?;
                let mut v = Vec::new();
                s.array(|s| item(s).map(|x| v.push(x)))?;
                data = Some(v);
            }
            "has_more" => {
                once(&mut seen, 2)?;
                has_more = s.bool()?;
            }
            _ => s.skip()?,
        }
        Some(())
    })?;
    Some(List { data: data?, has_more })
}

fn invoice<'a>(s: &mut Skim<'a>) -> Option<Invoice<'a>> {
    let mut seen = 0;
    let (mut id, mut customer, mut status, mut created, mut due_date) = (None, None, None, None, None);
    let (mut attempt_count, mut attempted, mut amount_due, mut amount_paid) = (0, false, 0, 0);
    let (mut currency, mut lines) = ("", None);
    s.object(|s, key| {
        match key {
            "id" => {
                once(&mut seen, 1)?;
                id = Some(s.str()?);
            }
            "customer" => {
                once(&mut seen, 2)?;
                customer = s.opt_str()?;
            }
            "status" => {
                once(&mut seen, 4)?;
                status = s.opt_str()?;
            }
            "created" => {
                once(&mut seen, 8)?;
                created = Some(s.int()?);
            }
            "due_date" => {
                once(&mut seen, 16)?;
                due_date = s.opt(Skim::int)?;
            }
            "attempt_count" => {
                once(&mut seen, 32)?;
                attempt_count = s.int()?;
            }
            "attempted" => {
                once(&mut seen, 64)?;
                attempted = s.bool()?;
            }
            "amount_due" => {
                once(&mut seen, 128)?;
                amount_due = s.int()?;
            }
            "amount_paid" => {
                once(&mut seen, 256)?;
                amount_paid = s.int()?;
            }
            "currency" => {
                once(&mut seen, 512)?;
                currency = s.str()?;
            }
            "lines" => {
                once(&mut seen, 1024)?;
                lines = Some(list(s, line)?);
            }
            _ => s.skip()?,
        }
        Some(())
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
    let mut seen = 0;
    let (mut amount, mut discount_amounts, mut period, mut parent, mut pricing) =
        (None, None, None, None, None);
    s.object(|s, key| {
        match key {
            "amount" => {
                once(&mut seen, 1)?;
                amount = Some(s.int()?);
            }
            "discount_amounts" => {
                once(&mut seen, 2)?;
                discount_amounts = s.opt(|s| {
                    let mut v = Vec::new();
                    s.array(|s| only_amount(s).map(|amount| v.push(DiscountAmount { amount })))?;
                    Some(v)
                })?;
            }
            "period" => {
                once(&mut seen, 4)?;
                period = Some(self::period(s)?);
            }
            "parent" => {
                once(&mut seen, 8)?;
                parent = s.opt(line_parent)?;
            }
            "pricing" => {
                once(&mut seen, 16)?;
                pricing = s.opt(self::pricing)?;
            }
            _ => s.skip()?,
        }
        Some(())
    })?;
    Some(Line { amount: amount?, discount_amounts, period: period?, parent, pricing })
}

/// A discount amount's `amount`.
fn only_amount(s: &mut Skim<'_>) -> Option<i64> {
    let (mut amount, mut seen) = (None, 0);
    s.object(|s, key| match key {
        "amount" => {
            once(&mut seen, 1)?;
            amount = Some(s.int()?);
            Some(())
        }
        _ => s.skip(),
    })?;
    amount
}

fn period(s: &mut Skim<'_>) -> Option<Period> {
    let (mut start, mut end, mut seen) = (None, None, 0);
    s.object(|s, key| {
        match key {
            "start" => {
                once(&mut seen, 1)?;
                start = Some(s.int()?);
            }
            "end" => {
                once(&mut seen, 2)?;
                end = Some(s.int()?);
            }
            _ => s.skip()?,
        }
        Some(())
    })?;
    Some(Period { start: start?, end: end? })
}

fn line_parent<'a>(s: &mut Skim<'a>) -> Option<LineParent<'a>> {
    let (mut kind, mut details, mut seen) = (None, None, 0);
    s.object(|s, key| {
        match key {
            "type" => {
                once(&mut seen, 1)?;
                kind = Some(s.str()?);
            }
            "subscription_item_details" => {
                once(&mut seen, 2)?;
                details = s.opt(item_details)?;
            }
            _ => s.skip()?,
        }
        Some(())
    })?;
    Some(LineParent { kind: text(kind?), subscription_item_details: details })
}

fn item_details<'a>(s: &mut Skim<'a>) -> Option<SubscriptionItemDetails<'a>> {
    let (mut subscription, mut proration, mut seen) = (None, false, 0);
    s.object(|s, key| {
        match key {
            "subscription" => {
                once(&mut seen, 1)?;
                subscription = s.opt_str()?;
            }
            "proration" => {
                once(&mut seen, 2)?;
                proration = s.bool()?;
            }
            _ => s.skip()?,
        }
        Some(())
    })?;
    Some(SubscriptionItemDetails { subscription: subscription.map(text), proration })
}

fn pricing<'a>(s: &mut Skim<'a>) -> Option<Pricing<'a>> {
    let (mut price_details, mut seen) = (None, 0);
    s.object(|s, key| match key {
        "price_details" => {
            once(&mut seen, 1)?;
            price_details = s.opt(|s| {
                let (mut price, mut seen) = (None, 0);
                s.object(|s, key| match key {
                    "price" => {
                        once(&mut seen, 1)?;
                        price = s.opt_str()?;
                        Some(())
                    }
                    _ => s.skip(),
                })?;
                Some(PriceDetails { price: price.map(text) })
            })?;
            Some(())
        }
        _ => s.skip(),
    })?;
    Some(Pricing { price_details })
}

#[cfg(test)]
#[path = "invoices_tests.rs"]
mod tests;
