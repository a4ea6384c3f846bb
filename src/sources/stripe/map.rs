//! Stripe objects → csf facts, pure (docs/sync.md): prices
//! normalised to a month, a subscription's MRR with its discounts, invoice
//! statuses, exit reasons, and the MRR, plan and status history of a
//! customer rebuilt from invoice lines.

use std::collections::HashMap;

use super::objects::{CouponRef, DiscountRef, Invoice, Line, Price, Subscription};
use crate::domain::churn::ChurnReason;
use crate::money::Cents;

/// Money kept in millionths of a cent until the end, so that a yearly price,
/// a quantity and a percent discount round once.
type Micro = i128;
const MICRO: Micro = 1_000_000;

fn div_round(n: Micro, d: Micro) -> Micro {
    if d == 0 {
        return 0;
    }
    let (q, r) = (n / d, n % d);
    if 2 * r.abs() >= d.abs() {
        q + n.signum() * d.signum()
    } else {
        q
    }
}

fn to_cents(m: Micro) -> Cents {
    Cents(div_round(m, MICRO) as i64)
}

/// An amount billed every `count` `interval`s, per month: year ÷ 12,
/// week × 52 ÷ 12, day × 365 ÷ 12, divided by the interval count.
fn per_month(amount: Micro, interval: &str, count: i64) -> Option<Micro> {
    let count = Micro::from(count.max(1));
    let (num, den) = match interval {
        "month" => (1, 1),
        "year" => (1, 12),
        "week" => (52, 12),
        "day" => (365, 12),
        _ => return None,
    };
    Some(div_round(amount * num, den * count))
}

/// [`per_month`] in cents, for the docs' examples and the tests.
#[cfg(test)]
pub fn monthly(cents: i64, interval: &str, count: i64) -> Option<Cents> {
    per_month(Micro::from(cents) * MICRO, interval, count).map(to_cents)
}

/// The billing interval of a line when its price is not known: the length of its period.
pub fn interval_of_period(start: i64, end: i64) -> (&'static str, i64) {
    let days = (end - start + crate::time::DAY / 2) / crate::time::DAY;
    match days {
        1 => ("day", 1),
        7 => ("week", 1),
        14 => ("week", 2),
        365 | 366 => ("year", 1),
        d if d > 366 => ("year", (d + 182) / 365),
        d => ("month", ((d as f64 / 30.44).round() as i64).max(1)),
    }
}

/// What csf needs of a price: its interval and the plan name it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceFacts {
    pub interval: String,
    pub count: i64,
    pub plan: Option<String>,
}

/// The plan a price stands for: the product's name, else the price's nickname or lookup key.
pub fn price_facts(p: &Price, products: &HashMap<String, String>) -> Option<PriceFacts> {
    let r = p.recurring.as_ref()?;
    let product = p.product.as_ref().and_then(|pr| match pr {
        super::objects::ProductRef::Product(x) => x.name.clone(),
        super::objects::ProductRef::Id(id) => products.get(id).cloned(),
    });
    let plan = product.or_else(|| p.nickname.clone()).or_else(|| p.lookup_key.clone());
    Some(PriceFacts { interval: r.interval.clone(), count: r.interval_count, plan })
}

/// A discount's effect, if it lasts at `now`: percent in basis points, or an amount per period.
fn discount_of(d: &DiscountRef, now: i64) -> Option<(i64, i64)> {
    let DiscountRef::Discount(d) = d else { return None };
    if d.end.is_some_and(|e| e <= now) {
        return None;
    }
    let CouponRef::Coupon(c) = d.source.as_ref()?.coupon.as_ref()? else { return None };
    let bp = c.percent_off.map(|p| (p * 100.0).round() as i64).unwrap_or(0).clamp(0, 10_000);
    Some((bp, c.amount_off.unwrap_or(0).max(0)))
}

fn apply(amount: Micro, discounts: &[DiscountRef], now: i64) -> Micro {
    let mut v = amount;
    for (bp, off) in discounts.iter().filter_map(|d| discount_of(d, now)) {
        v = div_round(v * Micro::from(10_000 - bp), 10_000) - Micro::from(off) * MICRO;
    }
    v.max(0)
}

/// A subscription's MRR and plan at `now`: Σ items' unit amount × quantity
/// less their discounts, less the subscription's discounts (percent, or an
/// amount per billing period), normalised to a month; 0 while trialing and
/// for any status but `active` and `past_due`. The plan is the item with the
/// largest amount (`trialing` keeps its plan).
pub fn subscription_mrr(
    s: &Subscription,
    prices: &HashMap<String, PriceFacts>,
    now: i64,
) -> (Cents, Option<String>) {
    let mut period_total: Micro = 0;
    let mut first_interval: Option<(String, i64)> = None;
    let mut best: Option<(Micro, Option<String>)> = None;
    for it in &s.items.data {
        let Some(r) = it.price.recurring.as_ref() else { continue };
        let Some(unit) = it.price.unit_cents() else { continue };
        let q = it.quantity.unwrap_or(1).max(0);
        let amount = apply(Micro::from(unit) * Micro::from(q) * MICRO, &it.discounts, now);
        let Some(m) = per_month(amount, &r.interval, r.interval_count) else { continue };
        // Subscription-level discounts apply to the whole, per billing period.
        first_interval.get_or_insert((r.interval.clone(), r.interval_count));
        period_total += m;
        let plan = prices
            .get(&it.price.id)
            .and_then(|p| p.plan.clone())
            .or_else(|| it.price.nickname.clone())
            .or_else(|| it.price.lookup_key.clone());
        if best.as_ref().is_none_or(|(b, _)| m > *b) {
            best = Some((m, plan));
        }
    }
    let plan = best.and_then(|b| b.1);
    if !matches!(s.status.as_str(), "active" | "past_due") {
        return (Cents::ZERO, plan);
    }
    // The subscription's own discounts: a percent off the month, an amount off each period.
    let mut total = period_total;
    for (bp, off) in s.discounts.iter().filter_map(|d| discount_of(d, now)) {
        total = div_round(total * Micro::from(10_000 - bp), 10_000);
        if let Some((i, c)) = &first_interval {
            total -= per_month(Micro::from(off) * MICRO, i, *c).unwrap_or(0);
        }
    }
    (to_cents(total.max(0)), plan)
}

/// An invoice's billing status (`None`: a draft, or open and not yet due).
pub fn billing_status(inv: &Invoice, now: i64) -> Option<&'static str> {
    match inv.status.as_deref()? {
        "paid" => Some("paid"),
        "void" => Some("void"),
        "uncollectible" => Some("failed"),
        "open" if inv.attempted && inv.attempt_count > 0 => Some("failed"),
        "open" if inv.due_date.is_some_and(|d| d < now) => Some("late"),
        _ => None,
    }
}

/// Whether an invoice's subscription lines count for the MRR history.
pub fn counts_for_history(inv: &Invoice) -> bool {
    matches!(inv.status.as_deref(), Some("paid" | "open" | "uncollectible"))
}

/// `cancellation_details.feedback` → csf's exit reason.
pub fn exit_reason(feedback: &str) -> Option<ChurnReason> {
    Some(match feedback {
        "too_expensive" => ChurnReason::TooExpensive,
        "missing_features" => ChurnReason::MissingFeatures,
        "switched_service" => ChurnReason::FoundAlternative,
        "unused" => ChurnReason::NoLongerNeed,
        "customer_service" | "low_quality" | "too_complex" => ChurnReason::PoorExperience,
        "other" => ChurnReason::Other,
        _ => return None,
    })
}

/// One subscription line of an invoice: its subscription, period start, MRR and plan.
#[derive(Debug, Clone, PartialEq)]
pub struct LinePoint {
    pub sub: String,
    pub start: i64,
    pub mrr: Cents,
    pub plan: Option<String>,
}

/// The subscription lines of an invoice (prorations left out: they are
/// the difference, not the price).
pub fn line_points(inv: &Invoice, prices: &HashMap<String, PriceFacts>) -> Vec<LinePoint> {
    inv.lines.data.iter().filter_map(|l| line_point(l, prices)).collect()
}

fn line_point(l: &Line, prices: &HashMap<String, PriceFacts>) -> Option<LinePoint> {
    let p = l.parent.as_ref()?;
    if &*p.kind != "subscription_item_details" {
        return None;
    }
    let d = p.subscription_item_details.as_ref()?;
    if d.proration {
        return None;
    }
    let sub = d.subscription.as_deref()?.to_string();
    let price = l.pricing.as_ref().and_then(|p| p.price_details.as_ref()).and_then(|d| d.price.as_deref());
    let facts = price.and_then(|id| prices.get(id));
    let (interval, count) = match facts {
        Some(f) => (f.interval.as_str(), f.count),
        None => interval_of_period(l.period.start, l.period.end),
    };
    let off: i64 = l.discount_amounts.iter().flatten().map(|d| d.amount).sum();
    let amount = Micro::from((l.amount - off).max(0)) * MICRO;
    let mrr = to_cents(per_month(amount, interval, count)?);
    Some(LinePoint { sub, start: l.period.start, mrr, plan: facts.and_then(|f| f.plan.clone()) })
}

/// A subscription's life: from its start to its end (None: still running).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Span {
    pub sub: String,
    pub start: i64,
    pub end: Option<i64>,
    pub feedback: Option<String>,
    pub comment: Option<String>,
    /// Its MRR and plan now: used when no invoice line of it is known before a time.
    pub now_mrr: Option<Cents>,
    pub now_plan: Option<String>,
}

/// A churn (with its Stripe feedback and comment) or a return.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusPoint {
    pub at: i64,
    pub churned: bool,
    pub reason: Option<ChurnReason>,
    pub comment: Option<String>,
}

/// A customer's history as Stripe tells it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MappedHistory {
    pub mrr: Vec<(i64, Cents)>,
    pub plan: Vec<(i64, String)>,
    pub status: Vec<StatusPoint>,
}

/// Rebuilds a customer's history: the MRR at each line's period start is
/// the sum over the subscriptions running then of their latest line; a gap
/// with no subscription running is a churn at the end of the last one, and
/// the next start a return. No MRR point is written inside a churn (the
/// churn makes it 0).
pub fn history(lines: &[LinePoint], spans: &[Span], now: i64) -> MappedHistory {
    let mut spans: Vec<&Span> = spans.iter().collect();
    spans.sort_by_key(|s| (s.start, s.end.unwrap_or(i64::MAX)));
    let ended = |s: &Span| s.end.filter(|&e| e <= now);
    let mut out = MappedHistory::default();
    // Status: the union of the spans, interval by interval.
    let mut reach: Option<i64> = None; // end of the current union; i64::MAX: running
    let mut last_end: Option<&Span> = None;
    for s in &spans {
        let end = ended(s).unwrap_or(i64::MAX);
        match reach {
            Some(r) if s.start <= r => {
                if end >= r {
                    reach = Some(end);
                    last_end = Some(s);
                }
            }
            Some(r) => {
                push_churn(&mut out, r, last_end);
                out.status.push(StatusPoint { at: s.start, churned: false, reason: None, comment: None });
                reach = Some(end);
                last_end = Some(s);
            }
            None => {
                reach = Some(end);
                last_end = Some(s);
            }
        }
    }
    if let Some(r) = reach.filter(|&r| r != i64::MAX) {
        push_churn(&mut out, r, last_end);
    }
    // MRR and plan at every moment something starts or ends.
    let mut times: Vec<i64> = lines.iter().map(|l| l.start).filter(|&t| t <= now).collect();
    times.extend(spans.iter().flat_map(|s| [Some(s.start), ended(s)]).flatten());
    times.sort_unstable();
    times.dedup();
    let mut by_sub: HashMap<&str, Vec<&LinePoint>> = HashMap::new();
    for l in lines {
        by_sub.entry(l.sub.as_str()).or_default().push(l);
    }
    for v in by_sub.values_mut() {
        v.sort_by_key(|l| l.start);
    }
    let (mut prev_mrr, mut prev_plan): (Option<Cents>, Option<String>) = (None, None);
    for t in times {
        let running: Vec<&&Span> =
            spans.iter().filter(|s| s.start <= t && ended(s).is_none_or(|e| t < e)).collect();
        if running.is_empty() {
            continue;
        }
        let mut total = Cents::ZERO;
        let mut best: Option<(Cents, Option<String>)> = None;
        let mut known = false;
        for s in &running {
            let latest = by_sub.get(s.sub.as_str()).and_then(|v| v.iter().rev().find(|l| l.start <= t));
            let (m, plan) = match latest {
                Some(l) => (l.mrr, l.plan.clone()),
                None => match s.now_mrr {
                    Some(m) => (m, s.now_plan.clone()),
                    None => continue,
                },
            };
            known = true;
            total += m;
            if best.as_ref().is_none_or(|(b, _)| m > *b) {
                best = Some((m, plan));
            }
        }
        if !known {
            continue;
        }
        if prev_mrr != Some(total) {
            out.mrr.push((t, total));
            prev_mrr = Some(total);
        }
        if let Some(p) = best.and_then(|b| b.1) {
            if prev_plan.as_ref() != Some(&p) {
                out.plan.push((t, p.clone()));
                prev_plan = Some(p);
            }
        }
    }
    out
}

fn push_churn(out: &mut MappedHistory, at: i64, by: Option<&Span>) {
    let reason = by.and_then(|s| s.feedback.as_deref()).and_then(exit_reason);
    let comment = by.and_then(|s| s.comment.clone()).filter(|c| !c.trim().is_empty());
    out.status.push(StatusPoint { at, churned: true, reason, comment });
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
