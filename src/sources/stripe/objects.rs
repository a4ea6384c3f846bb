//! The Stripe objects csf reads, as serde structs of the fields it uses
//! (API version `2025-03-31.basil`); every other field is ignored.

use std::collections::HashMap;

use serde::Deserialize;

/// A list page: `{"object": "list", "data": [...], "has_more": bool}`.
#[derive(Debug, Clone, Deserialize)]
pub struct List<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub has_more: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Customer {
    pub id: String,
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub metadata: Option<HashMap<String, String>>,
}

impl Customer {
    /// `metadata.csf_id`: the founder's link to a csf customer.
    pub fn csf_id(&self) -> Option<&str> {
        self.metadata.as_ref()?.get("csf_id").map(String::as_str).filter(|s| !s.trim().is_empty())
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Recurring {
    pub interval: String,
    #[serde(default = "one")]
    pub interval_count: i64,
}

fn one() -> i64 {
    1
}

/// A product, or its id when not expanded.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ProductRef {
    Id(String),
    Product(Product),
}

#[derive(Debug, Clone, Deserialize)]
pub struct Product {
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Price {
    pub id: String,
    #[serde(default)]
    pub unit_amount: Option<i64>,
    #[serde(default)]
    pub unit_amount_decimal: Option<String>,
    #[serde(default)]
    pub recurring: Option<Recurring>,
    #[serde(default)]
    pub nickname: Option<String>,
    #[serde(default)]
    pub lookup_key: Option<String>,
    #[serde(default)]
    pub product: Option<ProductRef>,
}

impl Price {
    /// The amount of one unit per billing period, in cents (a fractional
    /// `unit_amount_decimal` rounded to the nearest cent).
    pub fn unit_cents(&self) -> Option<i64> {
        self.unit_amount.or_else(|| {
            let d: f64 = self.unit_amount_decimal.as_deref()?.parse().ok()?;
            d.is_finite().then(|| d.round() as i64)
        })
    }
}

/// A coupon, or its id when not expanded.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum CouponRef {
    /// Not expanded: csf then knows no discount (it always asks for the expansion).
    Id(#[allow(dead_code)] String),
    Coupon(Coupon),
}

#[derive(Debug, Clone, Deserialize)]
pub struct Coupon {
    #[serde(default)]
    pub percent_off: Option<f64>,
    #[serde(default)]
    pub amount_off: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DiscountSource {
    #[serde(default)]
    pub coupon: Option<CouponRef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Discount {
    #[serde(default)]
    pub end: Option<i64>,
    #[serde(default)]
    pub source: Option<DiscountSource>,
}

/// A discount, or its id when not expanded.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DiscountRef {
    /// Not expanded (an event's copy of a subscription).
    Id(#[allow(dead_code)] String),
    Discount(Discount),
}

#[derive(Debug, Clone, Deserialize)]
pub struct SubscriptionItem {
    pub price: Price,
    #[serde(default)]
    pub quantity: Option<i64>,
    #[serde(default)]
    pub current_period_start: Option<i64>,
    #[serde(default)]
    pub discounts: Vec<DiscountRef>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CancellationDetails {
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub feedback: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub customer: String,
    pub status: String,
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub start_date: Option<i64>,
    #[serde(default)]
    pub ended_at: Option<i64>,
    #[serde(default)]
    pub cancellation_details: Option<CancellationDetails>,
    #[serde(default)]
    pub currency: String,
    #[serde(default)]
    pub discounts: Vec<DiscountRef>,
    pub items: List<SubscriptionItem>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Period {
    pub start: i64,
    pub end: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DiscountAmount {
    pub amount: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SubscriptionItemDetails {
    #[serde(default)]
    pub subscription: Option<String>,
    #[serde(default)]
    pub proration: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LineParent {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub subscription_item_details: Option<SubscriptionItemDetails>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PriceDetails {
    #[serde(default)]
    pub price: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Pricing {
    #[serde(default)]
    pub price_details: Option<PriceDetails>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Line {
    pub amount: i64,
    #[serde(default)]
    pub discount_amounts: Option<Vec<DiscountAmount>>,
    pub period: Period,
    #[serde(default)]
    pub parent: Option<LineParent>,
    #[serde(default)]
    pub pricing: Option<Pricing>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Invoice {
    pub id: String,
    /// The customer's id (an object only when expanded, which csf never asks).
    pub customer: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    pub created: i64,
    #[serde(default)]
    pub due_date: Option<i64>,
    #[serde(default)]
    pub attempt_count: i64,
    #[serde(default)]
    pub attempted: bool,
    #[serde(default)]
    pub amount_due: i64,
    #[serde(default)]
    pub amount_paid: i64,
    #[serde(default)]
    pub currency: String,
    pub lines: List<Line>,
}

#[derive(Debug, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

#[derive(Debug, Deserialize)]
pub struct Event {
    pub id: String,
    pub created: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: EventData,
}

/// A listed object's id, for `starting_after`.
pub trait Listed {
    fn id(&self) -> &str;
}

macro_rules! listed {
    ($($t:ty),*) => {$(
        impl Listed for $t {
            fn id(&self) -> &str { &self.id }
        }
    )*};
}
listed!(Customer, Subscription, Invoice, Event, Price);
