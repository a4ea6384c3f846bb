//! A local server shaped exactly like Stripe's API, for the sync tests and
//! the benchmark: list pages (`limit`, `starting_after`, `created[gt]`,
//! `status=all`, `types[]`, `expand[]`), the Events API, and faults on
//! demand (429 with Retry-After, 5xx, 401, a broken body, a connection
//! closed mid-page). Objects are the official fixtures of stripe/openapi
//! (tests/fixtures/stripe/fixtures3.json) with ids, amounts and dates varied.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Value};

pub const KEY: &str = "rk_test_51csfTESTkeyWXYZ";

/// A fault served instead of the next `times` answers on a path.
#[derive(Clone, Debug)]
pub enum Fault {
    TooMany {
        retry_after: u64,
    },
    ServerError,
    BrokenJson,
    /// A list body with a byte that is not UTF-8 inside a string.
    NotUtf8,
    CloseMidPage,
    /// Answers the `n`th page (0-based) of the path only.
    OnPage(usize, Box<Fault>),
}

#[derive(Default)]
pub struct State {
    pub customers: Vec<Value>,
    pub subscriptions: Vec<Value>,
    pub invoices: Vec<Value>,
    pub prices: Vec<Value>,
    pub events: Vec<Value>,
    pub products: HashMap<String, Value>,
    pub discounts: HashMap<String, Value>,
    pub coupons: HashMap<String, Value>,
    /// Every request: its path and query, as sent.
    pub log: Vec<String>,
    /// The `Stripe-Version` header of every request.
    pub versions: Vec<String>,
    pub faults: Vec<(String, Fault, u32)>,
    /// Lists served from objects rendered once (the benchmark's 22,000
    /// invoices): (created, id, JSON), newest first; only `created[gt]`,
    /// `starting_after` and `limit` apply.
    pub rendered: HashMap<String, Vec<(i64, String, String)>>,
    /// Members written after a list page's `data` (`, "key": value`): an
    /// odd but valid page, to mislead a pass that reads only its ends.
    pub after_data: String,
    /// Lists rendered indented, as Stripe's API answers (else compact).
    pub pretty: bool,
}

impl State {
    /// Renders the lists once, for a large book.
    pub fn render(&mut self) {
        for (name, list) in [
            ("customers", std::mem::take(&mut self.customers)),
            ("subscriptions", std::mem::take(&mut self.subscriptions)),
            ("invoices", std::mem::take(&mut self.invoices)),
        ] {
            let mut v: Vec<(i64, String, String)> = list
                .iter()
                .map(|o| {
                    let json =
                        if self.pretty { serde_json::to_string_pretty(o).unwrap() } else { o.to_string() };
                    (o["created"].as_i64().unwrap(), o["id"].as_str().unwrap().to_string(), json)
                })
                .collect();
            v.sort_by(|a, b| (b.0, &b.1).cmp(&(a.0, &a.1)));
            self.rendered.insert(name.to_string(), v);
        }
    }
}

pub struct Server {
    pub base: String,
    pub state: Arc<Mutex<State>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}/v1", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let st = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let st = st.clone();
                std::thread::spawn(move || serve(conn, &st));
            }
        });
        Server { base, state }
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    pub fn requests(&self) -> usize {
        self.with(|s| s.log.len())
    }

    pub fn fault(&self, path: &str, fault: Fault, times: u32) {
        self.with(|s| s.faults.push((path.to_string(), fault, times)));
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn serve(mut conn: TcpStream, st: &Mutex<State>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (mut auth, mut version) = (String::new(), String::new());
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "authorization" => auth = v.trim().to_string(),
                "stripe-version" => version = v.trim().to_string(),
                _ => {}
            }
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let mut s = st.lock().unwrap();
    s.log.push(target.clone());
    s.versions.push(version);
    if auth != format!("Bearer {KEY}") {
        let shown: String = auth.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        let body = json!({"error": {"type": "invalid_request_error", "code": "api_key_invalid",
            "message": format!("Invalid API Key provided: rk_test_****{shown}")}});
        return respond(&mut conn, 401, &body.to_string(), None);
    }
    let resource = path.trim_start_matches("/v1/").to_string();
    let page_no = params.iter().any(|(k, _)| k == "starting_after") as usize;
    let fault = s.faults.iter_mut().find(|(p, f, n)| {
        *n > 0
            && *p == resource
            && match f {
                Fault::OnPage(k, _) => *k == page_no,
                _ => true,
            }
    });
    if let Some((_, f, n)) = fault {
        *n -= 1;
        let f = match f.clone() {
            Fault::OnPage(_, inner) => *inner,
            other => other,
        };
        drop(s);
        return match f {
            Fault::TooMany { retry_after } => respond(
                &mut conn,
                429,
                r#"{"error": {"type": "rate_limit_error", "message": "Too many requests"}}"#,
                Some(retry_after),
            ),
            Fault::ServerError => {
                respond(&mut conn, 500, r#"{"error": {"type": "api_error", "message": "Oops"}}"#, None)
            }
            Fault::BrokenJson => respond(&mut conn, 200, r#"{"object": "list", "data": [{"id": "cus_"#, None),
            Fault::NotUtf8 => {
                let body = b"{\"object\": \"list\", \"has_more\": false, \"data\": [{\"id\": \"in_\xff\"}]}";
                let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = conn.write_all(head.as_bytes());
                let _ = conn.write_all(body);
                let _ = conn.flush();
            }
            Fault::CloseMidPage => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n";
                let _ = conn.write_all(head.as_bytes());
                let _ = conn.write_all(br#"{"object": "list", "data": [{"id": "in_1", "#);
                let _ = conn.flush();
                let _ = conn.shutdown(std::net::Shutdown::Both);
            }
            Fault::OnPage(..) => unreachable!(),
        };
    }
    let body = list(&s, &resource, &params);
    drop(s);
    match body {
        Some(b) => respond(&mut conn, 200, &b, None),
        None => respond(
            &mut conn,
            404,
            r#"{"error": {"type": "invalid_request_error", "message": "Unrecognized request URL"}}"#,
            None,
        ),
    }
}

fn respond(conn: &mut TcpStream, status: u16, body: &str, retry_after: Option<u64>) {
    let reason = match status {
        200 => "OK",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Internal Server Error",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\nStripe-Version: 2025-03-31.basil\r\n",
        body.len()
    );
    if let Some(s) = retry_after {
        head.push_str(&format!("Retry-After: {s}\r\n"));
    }
    head.push_str("\r\n");
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(body.as_bytes());
    let _ = conn.flush();
}

fn get<'a>(params: &'a [(String, String)], k: &str) -> Option<&'a str> {
    params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

/// One page of a list, newest first as Stripe lists.
fn list(s: &State, resource: &str, params: &[(String, String)]) -> Option<String> {
    if let Some(all) = s.rendered.get(resource) {
        return Some(rendered(all, resource, params));
    }
    let all: &Vec<Value> = match resource {
        "customers" => &s.customers,
        "subscriptions" => &s.subscriptions,
        "invoices" => &s.invoices,
        "prices" => &s.prices,
        "events" => &s.events,
        _ => return None,
    };
    let num = |k: &str| get(params, k).and_then(|v| v.parse::<i64>().ok());
    let expand: Vec<&str> = params.iter().filter(|(k, _)| k == "expand[]").map(|(_, v)| v.as_str()).collect();
    let types: Vec<&str> = params.iter().filter(|(k, _)| k == "types[]").map(|(_, v)| v.as_str()).collect();
    let mut items: Vec<&Value> = all
        .iter()
        .filter(|o| {
            let c = o["created"].as_i64().unwrap_or(0);
            num("created[gt]").is_none_or(|g| c > g)
                && num("created[gte]").is_none_or(|g| c >= g)
                && num("created[lt]").is_none_or(|g| c < g)
                && get(params, "customer").is_none_or(|cu| o["customer"] == cu)
                && (resource != "subscriptions"
                    || get(params, "status") == Some("all")
                    || !matches!(o["status"].as_str(), Some("canceled" | "incomplete_expired")))
                && (types.is_empty() || types.iter().any(|t| o["type"] == *t))
        })
        .collect();
    items.sort_by(|a, b| {
        (b["created"].as_i64(), b["id"].as_str()).cmp(&(a["created"].as_i64(), a["id"].as_str()))
    });
    let start = match get(params, "starting_after") {
        Some(id) => items.iter().position(|o| o["id"] == id).map_or(items.len(), |i| i + 1),
        None => 0,
    };
    let limit = num("limit").unwrap_or(10).clamp(1, 100) as usize;
    let page: Vec<Value> =
        items[start..].iter().take(limit).map(|o| expanded(s, resource, o, &expand)).collect();
    let has_more = start + page.len() < items.len();
    let mut body =
        json!({"object": "list", "url": format!("/v1/{resource}"), "has_more": has_more, "data": page})
            .to_string();
    body.insert_str(body.len() - 1, &s.after_data);
    Some(body)
}

fn rendered(all: &[(i64, String, String)], resource: &str, params: &[(String, String)]) -> String {
    let gt = get(params, "created[gt]").and_then(|v| v.parse::<i64>().ok()).unwrap_or(i64::MIN);
    let limit = get(params, "limit").and_then(|v| v.parse::<usize>().ok()).unwrap_or(10).clamp(1, 100);
    let items: Vec<&(i64, String, String)> = all.iter().filter(|o| o.0 > gt).collect();
    let start = match get(params, "starting_after") {
        Some(id) => items.iter().position(|o| o.1 == id).map_or(items.len(), |i| i + 1),
        None => 0,
    };
    let page: Vec<&str> = items[start..].iter().take(limit).map(|o| o.2.as_str()).collect();
    let has_more = start + page.len() < items.len();
    format!(
        r#"{{"object": "list", "url": "/v1/{resource}", "has_more": {has_more}, "data": [{}]}}"#,
        page.join(",")
    )
}

fn expanded(s: &State, resource: &str, o: &Value, expand: &[&str]) -> Value {
    let mut o = o.clone();
    if resource == "prices" && expand.contains(&"data.product") {
        if let Some(p) = o["product"].as_str().and_then(|id| s.products.get(id)) {
            o["product"] = p.clone();
        }
    }
    if resource == "subscriptions" && expand.iter().any(|e| e.starts_with("data.discounts")) {
        let coupons = expand.contains(&"data.discounts.source.coupon");
        if let Some(ds) = o["discounts"].as_array_mut() {
            for d in ds.iter_mut() {
                if let Some(mut full) = d.as_str().and_then(|id| s.discounts.get(id)).cloned() {
                    if coupons {
                        if let Some(c) = full["source"]["coupon"].as_str().and_then(|id| s.coupons.get(id)) {
                            full["source"]["coupon"] = c.clone();
                        }
                    }
                    *d = full;
                }
            }
        }
    }
    o
}

// ---- Objects: the fixtures with ids, amounts and dates varied ----

fn fixtures() -> &'static Value {
    static F: OnceLock<Value> = OnceLock::new();
    F.get_or_init(|| {
        let p = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/stripe/fixtures3.json");
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    })
}

fn fixture(name: &str) -> Value {
    fixtures()["resources"][name].clone()
}

pub fn customer(id: &str, created: i64, name: &str, email: Option<&str>) -> Value {
    let mut c = fixture("customer");
    c["id"] = json!(id);
    c["created"] = json!(created);
    c["name"] = json!(name);
    c["email"] = json!(email);
    c["discount"] = Value::Null;
    c
}

pub fn product(id: &str, name: &str) -> Value {
    let mut p = fixture("product");
    p["id"] = json!(id);
    p["name"] = json!(name);
    p["default_price"] = Value::Null;
    p
}

pub fn price(id: &str, product: &str, amount: i64, interval: &str) -> Value {
    let mut p = fixture("price");
    p["id"] = json!(id);
    p["product"] = json!(product);
    p["unit_amount"] = json!(amount);
    p["unit_amount_decimal"] = json!(amount.to_string());
    p["recurring"]["interval"] = json!(interval);
    p["transform_quantity"] = Value::Null;
    p
}

pub fn coupon(id: &str, percent_off: Option<f64>, amount_off: Option<i64>) -> Value {
    let mut c = fixture("coupon");
    c["id"] = json!(id);
    c["percent_off"] = json!(percent_off);
    c["amount_off"] = json!(amount_off);
    c["name"] = json!(id);
    c
}

pub fn discount(id: &str, coupon: &str, customer: &str, sub: &str) -> Value {
    let mut d = fixture("discount");
    d["id"] = json!(id);
    d["end"] = Value::Null;
    d["customer"] = json!(customer);
    d["subscription"] = json!(sub);
    d["source"]["coupon"] = json!(coupon);
    d
}

/// A subscription item: the price object, a quantity, its current period.
pub struct Item<'a> {
    pub price: &'a Value,
    pub quantity: i64,
    pub period: (i64, i64),
}

#[allow(clippy::too_many_arguments)]
pub fn subscription(
    id: &str,
    customer: &str,
    status: &str,
    start: i64,
    ended_at: Option<i64>,
    feedback: Option<(&str, &str)>,
    items: &[Item],
    discounts: &[&str],
) -> Value {
    let mut s = fixture("subscription");
    let tmpl = s["items"]["data"][0].clone();
    s["id"] = json!(id);
    s["customer"] = json!(customer);
    s["status"] = json!(status);
    s["created"] = json!(start);
    s["start_date"] = json!(start);
    s["billing_cycle_anchor"] = json!(start);
    s["ended_at"] = json!(ended_at);
    s["canceled_at"] = json!(ended_at);
    s["cancel_at"] = Value::Null;
    s["cancel_at_period_end"] = json!(false);
    s["trial_start"] = Value::Null;
    s["trial_end"] = Value::Null;
    s["next_pending_invoice_item_invoice"] = Value::Null;
    s["pending_update"] = Value::Null;
    s["discounts"] = json!(discounts);
    s["cancellation_details"]["feedback"] = json!(feedback.map(|f| f.0));
    s["cancellation_details"]["comment"] = json!(feedback.map(|f| f.1));
    s["cancellation_details"]["reason"] = json!(feedback.map(|_| "cancellation_requested"));
    let data: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(n, it)| {
            let mut i = tmpl.clone();
            i["id"] = json!(format!("si_{id}_{n}"));
            i["subscription"] = json!(id);
            i["created"] = json!(start);
            i["price"] = it.price.clone();
            i["quantity"] = json!(it.quantity);
            i["current_period_start"] = json!(it.period.0);
            i["current_period_end"] = json!(it.period.1);
            i["plan"]["id"] = it.price["id"].clone();
            i["plan"]["amount"] = it.price["unit_amount"].clone();
            i["plan"]["interval"] = it.price["recurring"]["interval"].clone();
            i["plan"]["interval_count"] = json!(1);
            i
        })
        .collect();
    s["items"]["data"] = json!(data);
    s["items"]["url"] = json!(format!("/v1/subscription_items?subscription={id}"));
    s
}

/// An invoice line of a subscription item.
pub struct Line<'a> {
    pub sub: &'a str,
    pub price: &'a Value,
    pub quantity: i64,
    pub discount: i64,
    pub period: (i64, i64),
}

/// An invoice: `status` paid, open (with `attempted`), uncollectible or void.
pub fn invoice(
    id: &str,
    customer: &str,
    created: i64,
    status: &str,
    attempted: bool,
    lines: &[Line],
) -> Value {
    let mut v = fixture("invoice");
    let tmpl = v["lines"]["data"][0].clone();
    let mut total = 0;
    let data: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let amount = l.price["unit_amount"].as_i64().unwrap() * l.quantity;
            total += amount - l.discount;
            let mut x = tmpl.clone();
            x["id"] = json!(format!("il_{id}_{n}"));
            x["invoice"] = json!(id);
            x["amount"] = json!(amount);
            x["subtotal"] = json!(amount);
            x["quantity"] = json!(l.quantity);
            x["description"] = json!(format!("{} × {}", l.quantity, l.price["id"].as_str().unwrap()));
            x["period"] = json!({"start": l.period.0, "end": l.period.1});
            x["discount_amounts"] =
                if l.discount > 0 { json!([{"amount": l.discount, "discount": "di_x"}]) } else { json!([]) };
            x["parent"]["type"] = json!("subscription_item_details");
            x["parent"]["invoice_item_details"] = Value::Null;
            let d = &mut x["parent"]["subscription_item_details"];
            d["subscription"] = json!(l.sub);
            d["subscription_item"] = json!(format!("si_{}_0", l.sub));
            d["proration"] = json!(false);
            d["proration_details"]["credited_items"] = Value::Null;
            // `pricing.price_details` is in Stripe's schema (absent from the fixture's example).
            x["pricing"]["price_details"] = json!({"price": l.price["id"], "product": l.price["product"]});
            x
        })
        .collect();
    v["id"] = json!(id);
    v["customer"] = json!(customer);
    v["created"] = json!(created);
    v["effective_at"] = json!(created);
    v["period_start"] = json!(created);
    v["period_end"] = json!(created);
    v["status"] = json!(status);
    v["due_date"] = Value::Null;
    v["billing_reason"] = json!("subscription_cycle");
    v["attempted"] = json!(attempted || status == "paid");
    v["attempt_count"] = json!(if attempted || status == "paid" { 1 } else { 0 });
    v["amount_due"] = json!(total);
    v["amount_paid"] = json!(if status == "paid" { total } else { 0 });
    v["amount_remaining"] = json!(if status == "paid" { 0 } else { total });
    v["subtotal"] = json!(total);
    v["total"] = json!(total);
    v["total_excluding_tax"] = json!(total);
    v["subtotal_excluding_tax"] = json!(total);
    v["amount_overpaid"] = json!(0);
    v["lines"]["data"] = json!(data);
    v["lines"]["url"] = json!(format!("/v1/invoices/{id}/lines"));
    v["parent"]["type"] = json!("subscription_details");
    v["parent"]["quote_details"] = Value::Null;
    v["parent"]["subscription_details"]["subscription"] = json!(lines.first().map(|l| l.sub));
    v
}

pub fn event(id: &str, created: i64, kind: &str, object: &Value) -> Value {
    let mut e = fixture("event");
    e["id"] = json!(id);
    e["created"] = json!(created);
    e["type"] = json!(kind);
    e["api_version"] = json!("2025-03-31.basil");
    e["data"]["object"] = object.clone();
    e
}
