//! The quick reader against serde_json on Stripe's own invoice fixture,
//! written in every way JSON allows: it gives serde_json's invoices or
//! nothing, and it is sure of every page written plainly.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::page;
use crate::sources::stripe::objects::{Invoice, List};

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/stripe/fixtures3.json");
    let all: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all["resources"]["invoice"].clone()
}

/// A page of `n` invoices from the fixture, each with its own ids and
/// amounts, a subscription line with its price and a discount amount.
fn invoices(n: usize) -> Value {
    let f = fixture();
    let mut line = f["lines"]["data"][0].clone();
    line["parent"] = json!({"type": "subscription_item_details", "invoice_item_details": null,
        "subscription_item_details": {"subscription": "sub_1", "proration": false, "invoice_item": null}});
    line["pricing"] =
        json!({"type": "price_details", "price_details": {"price": "price_1", "product": "prod_1"}});
    line["discount_amounts"] = json!([{"amount": 980, "discount": "di_1"}]);
    let data: Vec<Value> = (0..n)
        .map(|k| {
            let mut v = f.clone();
            v["id"] = json!(format!("in_{k}"));
            v["customer"] = json!(format!("cus_{k}"));
            v["created"] = json!(1_767_225_600 + k as i64);
            v["amount_due"] = json!(4900 + k as i64);
            v["due_date"] = if k % 2 == 0 { Value::Null } else { json!(1_767_312_000) };
            let mut l = line.clone();
            l["amount"] = json!(4900 + k as i64);
            v["lines"]["data"] = json!([l]);
            v
        })
        .collect();
    json!({"object": "list", "url": "/v1/invoices", "has_more": n % 2 == 1, "data": data})
}

fn serde(text: &str) -> serde_json::Result<List<Invoice<'_>>> {
    serde_json::from_str(text)
}

#[test]
fn a_page_of_stripes_invoice_fixture_reads_as_serde_json_reads_it() {
    for n in [0, 1, 3, 100] {
        let text = invoices(n).to_string();
        let quick = page(&text).expect("sure of a plain page");
        assert_eq!(quick, serde(&text).unwrap());
        assert_eq!(quick.data.len(), n);
    }
    let pretty = serde_json::to_string_pretty(&invoices(3)).unwrap();
    assert_eq!(page(&pretty).expect("sure of a pretty page"), serde(&pretty).unwrap());
}

#[test]
fn a_page_it_is_unsure_of_is_left_to_serde_json() {
    let base = invoices(2);
    let unsure = |edit: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        edit(&mut v);
        page(&v.to_string()).is_none()
    };
    // An escape in a kept string; a fraction where an integer is kept; a null where none is allowed.
    assert!(unsure(&|v| v["data"][0]["id"] = json!("in_\"1")));
    assert!(unsure(&|v| v["data"][1]["lines"]["data"][0]["amount"] = json!(49.5)));
    assert!(unsure(&|v| v["data"][0]["attempt_count"] = Value::Null));
    assert!(unsure(&|v| v["data"][0]["customer"] = json!({"id": "cus_1"})));
    assert!(unsure(&|v| {
        v["data"][0].as_object_mut().unwrap().remove("lines");
    }));
    // A key given twice; a body cut short; text after the page.
    let text = base.to_string();
    let twice = text.replacen(r#""created":"#, r#""created":1,"created":"#, 1);
    assert!(page(&twice).is_none());
    assert!(serde(&twice).is_err());
    assert!(page(&text[..text.len() - 2]).is_none());
    assert!(page(&format!("{text} x")).is_none());
    // An escape in a string it skips is read.
    let escaped = text.replacen(r#""account_name":"#, r#""account_name":"A\u00e9\n\"B\"","x":"#, 1);
    assert_eq!(page(&escaped).expect("sure"), serde(&escaped).unwrap());
}

/// A tiny generator of choices (the property test's seed drives it).
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// `v` written as JSON with its keys in a shuffled order and whitespace anywhere JSON allows it.
fn write(v: &Value, d: &mut Dice, out: &mut String) {
    let ws = |d: &mut Dice, out: &mut String| out.push_str([" ", "", "\n  ", "\t", "", "\r\n"][d.roll(6)]);
    ws(d, out);
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            for i in (1..keys.len()).rev() {
                keys.swap(i, d.roll(i + 1));
            }
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ws(d, out);
                out.push_str(&Value::String((*k).clone()).to_string());
                ws(d, out);
                out.push(':');
                write(&m[k.as_str()], d, out);
            }
            ws(d, out);
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, d, out);
            }
            ws(d, out);
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
    ws(d, out);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any order of keys and any whitespace: the same invoices as serde_json.
    #[test]
    fn any_key_order_and_whitespace_reads_as_serde_json(seed in 1u64.., n in 0usize..4) {
        let mut d = Dice(seed);
        let mut text = String::new();
        write(&invoices(n), &mut d, &mut text);
        let quick = page(&text);
        prop_assert!(quick.is_some());
        prop_assert_eq!(quick.unwrap(), serde(&text).unwrap());
    }

    /// Any one byte changed or dropped: the quick reader gives serde_json's
    /// invoices or nothing, never a page serde_json refuses or reads otherwise.
    #[test]
    fn a_changed_byte_never_makes_it_disagree(seed in 1u64.., at in 0usize..100_000, by in any::<u8>(), drop in any::<bool>()) {
        let mut d = Dice(seed);
        let mut text = String::new();
        write(&invoices(2), &mut d, &mut text);
        let mut bytes = text.into_bytes();
        let at = at % bytes.len();
        if drop { bytes.remove(at); } else { bytes[at] = by; }
        if let Ok(text) = String::from_utf8(bytes) {
            if let Some(quick) = page(&text) {
                let slow = serde(&text);
                prop_assert!(slow.is_ok(), "serde_json refuses what the quick reader read: {:?}", slow.err());
                prop_assert_eq!(quick, slow.unwrap());
            }
        }
    }
}
