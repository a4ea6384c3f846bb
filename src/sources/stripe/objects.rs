//! The Stripe objects csf reads, as serde structs of the fields it uses
//! (API version `2025-03-31.basil`); every other field is ignored.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;

/// A list page: `{"object": "list", "data": [...], "has_more": bool}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
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

/// A string of a page, borrowed from its body when it has no escapes (most
/// do not): an invoice page is read without a copy of each string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text<'a>(pub Cow<'a, str>);

impl Text<'_> {
    pub fn into_owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Period {
    pub start: i64,
    pub end: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DiscountAmount {
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SubscriptionItemDetails<'a> {
    #[serde(default, borrow)]
    pub subscription: Option<Text<'a>>,
    #[serde(default)]
    pub proration: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LineParent<'a> {
    #[serde(rename = "type", borrow)]
    pub kind: Text<'a>,
    #[serde(default, borrow)]
    pub subscription_item_details: Option<SubscriptionItemDetails<'a>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PriceDetails<'a> {
    #[serde(default, borrow)]
    pub price: Option<Text<'a>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Pricing<'a> {
    #[serde(default, borrow)]
    pub price_details: Option<PriceDetails<'a>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Line<'a> {
    pub amount: i64,
    #[serde(default)]
    pub discount_amounts: Option<Vec<DiscountAmount>>,
    pub period: Period,
    #[serde(default, borrow)]
    pub parent: Option<LineParent<'a>>,
    #[serde(default, borrow)]
    pub pricing: Option<Pricing<'a>>,
}

/// An invoice, its strings borrowed from the page it was read from
/// ([`Invoice::into_owned`] for one kept longer).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Invoice<'a> {
    #[serde(borrow)]
    pub id: Text<'a>,
    /// The customer's id (an object only when expanded, which csf never asks).
    #[serde(borrow)]
    pub customer: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub status: Option<Text<'a>>,
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
    #[serde(default, borrow)]
    pub currency: Text<'a>,
    #[serde(borrow)]
    pub lines: List<Line<'a>>,
}

impl Invoice<'_> {
    /// The same invoice, owning its strings.
    pub fn into_owned(self) -> Invoice<'static> {
        let text = |t: Option<Text>| t.map(Text::into_owned);
        let lines = self.lines.data.into_iter().map(|l| Line {
            amount: l.amount,
            discount_amounts: l.discount_amounts,
            period: l.period,
            parent: l.parent.map(|p| LineParent {
                kind: p.kind.into_owned(),
                subscription_item_details: p.subscription_item_details.map(|d| SubscriptionItemDetails {
                    subscription: text(d.subscription),
                    proration: d.proration,
                }),
            }),
            pricing: l.pricing.map(|p| Pricing {
                price_details: p.price_details.map(|d| PriceDetails { price: text(d.price) }),
            }),
        });
        Invoice {
            id: self.id.into_owned(),
            customer: text(self.customer),
            status: text(self.status),
            created: self.created,
            due_date: self.due_date,
            attempt_count: self.attempt_count,
            attempted: self.attempted,
            amount_due: self.amount_due,
            amount_paid: self.amount_paid,
            currency: self.currency.into_owned(),
            lines: List { data: lines.collect(), has_more: self.lines.has_more },
        }
    }
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
listed!(Customer, Subscription, Invoice<'_>, Event, Price);
