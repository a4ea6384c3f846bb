//! `csf sync stripe` against a local server shaped like Stripe's
//! (stripe_server.rs): a hand-computed book month by month, linking,
//! incremental runs, keys, dry runs and failures. Never the network.

use chrono::{TimeZone, Utc};
use serde_json::Value;

use crate::common::Work;
use crate::stripe_server::{self as s, Fault, Item, Line, Server, KEY};

/// 00:00 UTC on the first of `month` (1-based, 13 = January 2027) of 2026.
fn m(month: u32) -> i64 {
    let (y, mo) = if month > 12 { (2027, month - 12) } else { (2026, month) };
    Utc.with_ymd_and_hms(y, mo, 1, 0, 0, 0).unwrap().timestamp()
}

const DAY: i64 = 86_400;

/// Monthly invoices for `sub` from month `from` to `to` (inclusive), paid.
fn monthly(
    st: &mut s::State,
    cus: &str,
    sub: &str,
    price: &Value,
    qty: i64,
    discount: i64,
    months: std::ops::RangeInclusive<u32>,
) {
    for k in months {
        let id = format!("in_{sub}_{k:02}");
        let line = Line { sub, price, quantity: qty, discount, period: (m(k), m(k + 1)) };
        st.invoices.push(s::invoice(&id, cus, m(k) + 3600, "paid", true, &[line]));
    }
}

fn it(p: &Value, q: i64, k: u32) -> Item<'_> {
    Item { price: p, quantity: q, period: (m(k), m(k + 1)) }
}

/// The hand-computed book of docs/sync.md's tests: ten customers.
fn book(srv: &Server) {
    srv.with(|st| {
        let products = [("prod_basic", "Basic"), ("prod_pro", "Pro"), ("prod_team", "Team")];
        for (id, name) in products {
            st.products.insert(id.into(), s::product(id, name));
        }
        let basic = s::price("price_basic", "prod_basic", 1900, "month");
        let pro = s::price("price_pro", "prod_pro", 4900, "month");
        let team_year = s::price("price_team_year", "prod_team", 120_000, "year");
        st.prices = vec![basic.clone(), pro.clone(), team_year.clone()];
        st.coupons.insert("C20".into(), s::coupon("C20", Some(20.0), None));
        st.discounts.insert("di_c".into(), s::discount("di_c", "C20", "cus_c", "sub_c"));
        let cu =
            |id: &str, k: u32, name: &str, email: &str| s::customer(id, m(k) - 2 * DAY, name, Some(email));
        st.customers = vec![
            cu("cus_a", 1, "Acme", "a@acme.example"),
            cu("cus_b", 3, "Bolt", "b@bolt.example"),
            cu("cus_c", 2, "Cobalt", "c@cobalt.example"),
            cu("cus_d", 9, "Delta", "d@delta.example"),
            cu("cus_e", 1, "Echo", "e@echo.example"),
            cu("cus_f", 1, "Foxtrot", "f@fox.example"),
            cu("cus_g", 2, "Golf", "g@golf.example"),
            cu("cus_h", 4, "Hotel", "h@hotel.example"),
            cu("cus_i", 10, "India", "ops@india.example"),
            cu("cus_j", 11, "Juliet", "j@juliet.example"),
        ];
        // A: Pro monthly all year.
        st.subscriptions.push(s::subscription(
            "sub_a",
            "cus_a",
            "active",
            m(1),
            None,
            None,
            &[it(&pro, 1, 11)],
            &[],
        ));
        monthly(st, "cus_a", "sub_a", &pro, 1, 0, 1..=11);
        // B: Team yearly, $1,200 a year from March = $100 a month.
        let yb = Item { price: &team_year, quantity: 1, period: (m(3), m(15)) };
        st.subscriptions.push(s::subscription("sub_b", "cus_b", "active", m(3), None, None, &[yb], &[]));
        let line = Line { sub: "sub_b", price: &team_year, quantity: 1, discount: 0, period: (m(3), m(15)) };
        st.invoices.push(s::invoice("in_sub_b_03", "cus_b", m(3) + 3600, "paid", true, &[line]));
        // C: Pro × 3 seats with 20% off forever from February: 147 × 0.8 = $117.60.
        st.subscriptions.push(s::subscription(
            "sub_c",
            "cus_c",
            "active",
            m(2),
            None,
            None,
            &[it(&pro, 3, 11)],
            &["di_c"],
        ));
        monthly(st, "cus_c", "sub_c", &pro, 3, 2940, 2..=11);
        // D: a trial in September ($0 invoice), Pro from October.
        st.subscriptions.push(s::subscription(
            "sub_d",
            "cus_d",
            "active",
            m(9),
            None,
            None,
            &[it(&pro, 1, 11)],
            &[],
        ));
        let trial = Line { sub: "sub_d", price: &pro, quantity: 0, discount: 0, period: (m(9), m(10)) };
        st.invoices.push(s::invoice("in_sub_d_09", "cus_d", m(9) + 3600, "paid", true, &[trial]));
        monthly(st, "cus_d", "sub_d", &pro, 1, 0, 10..=11);
        // E: Basic, upgraded to Pro at the June period boundary.
        st.subscriptions.push(s::subscription(
            "sub_e",
            "cus_e",
            "active",
            m(1),
            None,
            None,
            &[it(&pro, 1, 11)],
            &[],
        ));
        monthly(st, "cus_e", "sub_e", &basic, 1, 0, 1..=5);
        monthly(st, "cus_e", "sub_e", &pro, 1, 0, 6..=11);
        // F: Pro, cancelled at the end of June: too expensive, with a comment.
        let fb = Some(("too_expensive", "Too pricey for us"));
        st.subscriptions.push(s::subscription(
            "sub_f",
            "cus_f",
            "canceled",
            m(1),
            Some(m(7)),
            fb,
            &[it(&pro, 1, 6)],
            &[],
        ));
        monthly(st, "cus_f", "sub_f", &pro, 1, 0, 1..=6);
        // G: Basic from February, ended May 1 (unused), back on Pro in August.
        let fb = Some(("unused", ""));
        st.subscriptions.push(s::subscription(
            "sub_g1",
            "cus_g",
            "canceled",
            m(2),
            Some(m(5)),
            fb,
            &[it(&basic, 1, 4)],
            &[],
        ));
        monthly(st, "cus_g", "sub_g1", &basic, 1, 0, 2..=4);
        st.subscriptions.push(s::subscription(
            "sub_g2",
            "cus_g",
            "active",
            m(8),
            None,
            None,
            &[it(&pro, 1, 11)],
            &[],
        ));
        monthly(st, "cus_g", "sub_g2", &pro, 1, 0, 8..=11);
        // H: Pro from April; November's payment failed (past_due still counts).
        st.subscriptions.push(s::subscription(
            "sub_h",
            "cus_h",
            "past_due",
            m(4),
            None,
            None,
            &[it(&pro, 1, 11)],
            &[],
        ));
        monthly(st, "cus_h", "sub_h", &pro, 1, 0, 4..=10);
        let line = Line { sub: "sub_h", price: &pro, quantity: 1, discount: 0, period: (m(11), m(12)) };
        st.invoices.push(s::invoice("in_sub_h_11", "cus_h", m(11) + 3600, "open", true, &[line]));
        // I: Basic from October (linked by email to a customer imported earlier).
        st.subscriptions.push(s::subscription(
            "sub_i",
            "cus_i",
            "active",
            m(10),
            None,
            None,
            &[it(&basic, 1, 11)],
            &[],
        ));
        monthly(st, "cus_i", "sub_i", &basic, 1, 0, 10..=11);
        // J: no subscription; a voided one-off invoice.
        let line = Line { sub: "sub_j", price: &basic, quantity: 1, discount: 0, period: (m(11), m(12)) };
        st.invoices.push(s::invoice("in_j_void", "cus_j", m(11) + 4 * DAY, "void", false, &[line]));
    });
}

/// A work folder whose config points at the server.
fn work(srv: &Server) -> Work {
    let w = Work::new();
    w.run(&["-q", "init"]).ok();
    w.run(&["-q", "config", "set", "stripe.api_base", &srv.base]).ok();
    w
}

fn sync(w: &Work, args: &[&str]) -> crate::common::Run {
    let mut all = vec!["sync", "stripe"];
    all.extend_from_slice(args);
    w.run_env(&[("STRIPE_API_KEY", KEY), ("CSF_STRIPE_RETRY_MS", "1")], &all)
}

fn cents(v: &Value) -> i64 {
    (v.as_f64().unwrap() * 100.0).round() as i64
}

#[test]
fn a_hand_computed_book_month_by_month() {
    let srv = Server::start();
    book(&srv);
    let w = work(&srv);
    w.file("india.csv", "id,name,email\nindia-co,India Co,Ops@India.example\n");
    w.run(&["-q", "import", "customers", "india.csv"]).ok();
    let r = sync(&w, &[]).ok();
    assert!(r.stderr.contains("customers: 9 inserted, 1 changed, 0 unchanged"), "{}", r.stderr);
    // Every request carries the pinned version and pages by 100.
    srv.with(|st| {
        assert!(st.versions.iter().all(|v| v == "2025-03-31.basil"));
        assert!(st.log.iter().all(|l| l.contains("limit=100")));
        assert!(st.log.iter().any(|l| l.contains("expand%5B%5D=data.discounts")));
    });
    // Month by month: (mrr_start, new, expansion, churned, reactivation, mrr_end) in cents.
    let j = w.run(&["report", "revenue", "--months", "11", "-f", "json"]).ok().json();
    let rows = j.as_array().unwrap();
    let want: [(&str, i64, i64, i64, i64, i64, i64); 11] = [
        ("2026-01", 0, 11_700, 0, 0, 0, 11_700),
        ("2026-02", 11_700, 13_660, 0, 0, 0, 25_360),
        ("2026-03", 25_360, 10_000, 0, 0, 0, 35_360),
        ("2026-04", 35_360, 4900, 0, 0, 0, 40_260),
        ("2026-05", 40_260, 0, 0, 1900, 0, 38_360),
        ("2026-06", 38_360, 0, 3000, 0, 0, 41_360),
        ("2026-07", 41_360, 0, 0, 4900, 0, 36_460),
        ("2026-08", 36_460, 0, 0, 0, 4900, 41_360),
        ("2026-09", 41_360, 0, 0, 0, 0, 41_360),
        ("2026-10", 41_360, 6800, 0, 0, 0, 48_160),
        ("2026-11", 48_160, 0, 0, 0, 0, 48_160),
    ];
    assert_eq!(rows.len(), 11, "{j:#}");
    for (row, w) in rows.iter().zip(want) {
        let got = (
            row["month"].as_str().unwrap(),
            cents(&row["mrr_start"]),
            cents(&row["new"]),
            cents(&row["expansion"]),
            cents(&row["churned"]),
            cents(&row["reactivation"]),
            cents(&row["mrr_end"]),
        );
        assert_eq!(got, w, "{row:#}");
    }
    // The tables: no duplicate for India, linked by email.
    assert_eq!(w.count("SELECT count(*) FROM customers"), 10);
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE id = 'india-co' AND stripe_id = 'cus_i'"), 1);
    assert_eq!(w.count("SELECT mrr_cents FROM customers WHERE id = 'cus_c'"), 11_760);
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE id = 'cus_e' AND plan = 'Pro'"), 1);
    assert_eq!(w.count("SELECT count(*) FROM plan_changes WHERE source = 'sync' AND cid = (SELECT cid FROM customers WHERE id = 'cus_e')"), 2);
    assert_eq!(
        w.count(&format!("SELECT count(*) FROM churn_records WHERE reason = 'too-expensive' AND better = 'Too pricey for us' AND churned_at = {}", m(7))),
        1
    );
    assert_eq!(w.count("SELECT count(*) FROM churn_records WHERE reason = 'no-longer-need'"), 1);
    assert_eq!(
        w.count("SELECT count(*) FROM customers WHERE churned_at IS NOT NULL"),
        1,
        "only Foxtrot is churned now"
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM billing_records WHERE invoice_id = 'in_sub_h_11' AND status = 'failed'"
        ),
        1
    );
    assert_eq!(
        w.count("SELECT count(*) FROM billing_records WHERE invoice_id = 'in_j_void' AND status = 'void'"),
        1
    );
    assert_eq!(w.count("SELECT count(*) FROM billing_records"), 60);
    // The failed payment is a warning sign.
    let risks = w.run(&["churn", "risks", "-f", "json"]).ok().json();
    assert!(risks
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["customer_id"] == "cus_h" && r["signal"] == "payment-failure"));
    // A second full read changes nothing.
    let r = sync(&w, &["--full"]).ok();
    assert!(r.stderr.contains("customers: 0 inserted, 0 changed, 10 unchanged"), "{}", r.stderr);
    assert!(r.stderr.contains("billing: 0 inserted, 0 changed, 60 unchanged"), "{}", r.stderr);
    assert!(r.stderr.contains("mrr changes: 0 inserted"), "{}", r.stderr);
}

/// Changes made in Stripe after the first sync: a signup, a cancellation, a failed payment.
fn later(srv: &Server) {
    srv.with(|st| {
        let pro = st.prices[1].clone();
        let t = m(11) + 10 * DAY;
        let k = s::customer("cus_k", t, "Kilo", Some("k@kilo.example"));
        let it = Item { price: &pro, quantity: 1, period: (t, t + 30 * DAY) };
        let sub = s::subscription("sub_k", "cus_k", "active", t, None, None, &[it], &[]);
        let line = Line { sub: "sub_k", price: &pro, quantity: 1, discount: 0, period: (t, t + 30 * DAY) };
        let inv = s::invoice("in_k_1", "cus_k", t + 60, "paid", true, &[line]);
        st.events.push(s::event("evt_k1", t, "customer.created", &k));
        st.events.push(s::event("evt_k2", t, "customer.subscription.created", &sub));
        st.events.push(s::event("evt_k3", t + 60, "invoice.paid", &inv));
        st.customers.push(k);
        st.subscriptions.push(sub);
        st.invoices.push(inv);
        // Acme cancels: switched service, ended on November 12.
        let end = m(11) + 11 * DAY;
        let a = st.subscriptions.iter_mut().find(|x| x["id"] == "sub_a").unwrap();
        a["status"] = "canceled".into();
        a["ended_at"] = end.into();
        a["canceled_at"] = end.into();
        a["cancellation_details"]["feedback"] = "switched_service".into();
        let a = a.clone();
        st.events.push(s::event("evt_a", end, "customer.subscription.deleted", &a));
        // Echo's November invoice fails on a retry.
        let e = st.invoices.iter_mut().find(|x| x["id"] == "in_sub_e_11").unwrap();
        e["status"] = "open".into();
        e["amount_paid"] = 0.into();
        e["attempt_count"] = 2.into();
        let e = e.clone();
        st.events.push(s::event("evt_e", m(11) + 13 * DAY, "invoice.payment_failed", &e));
        // Juliet is deleted in Stripe.
        let mut j = st.customers.iter().find(|x| x["id"] == "cus_j").unwrap().clone();
        j["deleted"] = true.into();
        st.events.push(s::event("evt_j", m(11) + 14 * DAY, "customer.deleted", &j));
    });
}

#[test]
fn a_signup_a_cancellation_and_a_failed_payment_arrive_with_the_next_sync() {
    let srv = Server::start();
    book(&srv);
    let w = work(&srv);
    sync(&w, &[]).ok();
    later(&srv);
    let r = sync(&w, &[]).ok();
    assert!(r.stderr.contains("customers: 1 inserted"), "{}", r.stderr);
    assert!(r.stderr.contains("1 customer(s) deleted in Stripe, kept in csf: cus_j"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE id = 'cus_j'"), 1);
    assert_eq!(w.count("SELECT mrr_cents FROM customers WHERE id = 'cus_k'"), 4900);
    assert_eq!(
        w.count(&format!(
            "SELECT count(*) FROM customers WHERE id = 'cus_a' AND churned_at = {}",
            m(11) + 11 * DAY
        )),
        1
    );
    assert_eq!(w.count("SELECT count(*) FROM churn_records WHERE reason = 'found-alternative'"), 1);
    assert_eq!(
        w.count(
            "SELECT count(*) FROM billing_records WHERE invoice_id = 'in_sub_e_11' AND status = 'failed'"
        ),
        1
    );
    // Nothing new: at most 4 requests, and nothing changes.
    let before = srv.requests();
    let dump = w.dump();
    let r = sync(&w, &[]).ok();
    let made = srv.requests() - before;
    assert!(made <= 4, "{made} requests: {:#?}", srv.with(|s| s.log[before..].to_vec()));
    assert!(r.stderr.contains(&format!("{made} requests")), "{}", r.stderr);
    // Only the sync's own row (its summary) differs.
    let strip = |d: &str| {
        let mut skip = false;
        let kept = d.lines().filter(|l| {
            if l.starts_with("## ") {
                skip = *l == "## sync_state";
            }
            !skip
        });
        kept.collect::<Vec<_>>().join("\n")
    };
    assert_eq!(strip(&w.dump()), strip(&dump));
}

#[test]
fn a_churn_recorded_in_csf_keeps_its_reason_and_date() {
    let srv = Server::start();
    book(&srv);
    let w = work(&srv);
    w.run(&["-q", "customer", "add", "fox", "--email", "F@fox.example", "--signed-up", "2026-01-01"]).ok();
    w.run(&["-q", "churn", "record", "fox", "--date", "2026-07-03", "--reason", "missing-features"]).ok();
    w.run(&["-q", "touch", "fox", "--note", "called"]).ok();
    let touches = w.count("SELECT count(*) FROM touches");
    sync(&w, &[]).ok();
    let fox = "(SELECT cid FROM customers WHERE id = 'fox' AND stripe_id = 'cus_f')";
    assert_eq!(w.count(&format!("SELECT count(*) FROM churn_records WHERE cid = {fox}")), 1);
    assert_eq!(
        w.count(&format!(
            "SELECT count(*) FROM churn_records WHERE cid = {fox} AND reason = 'missing-features'"
        )),
        1
    );
    assert_eq!(w.count(&format!("SELECT count(*) FROM status_changes WHERE cid = {fox} AND churned = 1")), 1);
    assert_eq!(w.count("SELECT count(*) FROM touches"), touches);
}

#[test]
fn a_wrong_key_is_refused_unechoed_and_nothing_is_written() {
    let srv = Server::start();
    book(&srv);
    let w = work(&srv);
    w.run(&["-q", "customer", "add", "x1"]).ok();
    let bad = "rk_test_wrongKEYsecret9876";
    let r = w.refuses_with(
        |c| {
            c.env("STRIPE_API_KEY", bad).env("CSF_STRIPE_RETRY_MS", "1");
        },
        &["sync", "stripe"],
        &["401", "…9876", "STRIPE_API_KEY"],
    );
    assert!(!r.stderr.contains(bad) && !r.stderr.contains("wrongKEY"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(*) FROM sync_state"), 0);
}

#[cfg(unix)]
#[test]
fn a_key_file_readable_by_others_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let srv = Server::start();
    book(&srv);
    let w = work(&srv);
    let f = w.file("stripe.key", format!("{KEY}\n"));
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    w.run(&["-q", "config", "set", "stripe.key_file", f.to_str().unwrap()]).ok();
    let r = w.refuses_with(
        |c| {
            c.env("CSF_STRIPE_RETRY_MS", "1");
        },
        &["sync", "stripe"],
        &["chmod 600", "0644"],
    );
    assert!(!r.stderr.contains(KEY));
    assert_eq!(srv.requests(), 0);
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
    w.run_env(&[("CSF_STRIPE_RETRY_MS", "1")], &["sync", "stripe"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM customers"), 10);
}

#[test]
fn a_dry_run_leaves_the_file_byte_identical() {
    let srv = Server::start();
    book(&srv);
    let w = work(&srv);
    w.run(&["-q", "customer", "add", "x1"]).ok();
    let before = std::fs::read(&w.db).unwrap();
    let r = sync(&w, &["--dry-run"]).ok();
    assert!(r.stderr.contains("dry run: nothing written"), "{}", r.stderr);
    assert!(r.stderr.contains("customers: 10 inserted"), "{}", r.stderr);
    assert_eq!(std::fs::read(&w.db).unwrap(), before);
    assert_eq!(w.count("SELECT count(*) FROM customers"), 1);
}

#[test]
fn a_failure_mid_sync_leaves_the_database_and_cursors_as_they_were() {
    let srv = Server::start();
    book(&srv);
    let w = work(&srv);
    sync(&w, &[]).ok();
    later(&srv);
    let before = w.dump();
    // The connection closes mid-page on every try of the subscriptions list.
    srv.fault("subscriptions", Fault::CloseMidPage, 5);
    let r = w.refuses_with(
        |c| {
            c.env("STRIPE_API_KEY", KEY).env("CSF_STRIPE_RETRY_MS", "1");
        },
        &["sync", "stripe"],
        &["GET /v1/subscriptions", "5 times"],
    );
    assert!(!r.stderr.contains(KEY));
    assert_eq!(w.dump(), before);
    // A broken body is named with its endpoint.
    srv.fault("invoices", Fault::BrokenJson, 1);
    w.refuses_with(
        |c| {
            c.env("STRIPE_API_KEY", KEY).env("CSF_STRIPE_RETRY_MS", "1");
        },
        &["sync", "stripe"],
        &["GET /v1/invoices", "not a Stripe list"],
    );
    // So is a body that is not UTF-8.
    srv.fault("invoices", Fault::NotUtf8, 1);
    w.refuses_with(
        |c| {
            c.env("STRIPE_API_KEY", KEY).env("CSF_STRIPE_RETRY_MS", "1");
        },
        &["sync", "stripe"],
        &["GET /v1/invoices", "not a Stripe list", "invalid utf-8"],
    );
    // Then the same sync succeeds.
    sync(&w, &[]).ok();
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE id = 'cus_k'"), 1);
}

#[test]
fn a_first_sync_reads_its_lists_at_once_and_one_failing_writes_nothing() {
    let srv = Server::start();
    book(&srv);
    let w = work(&srv);
    let before = w.dump();
    // The invoices fail on every try while customers and subscriptions are read beside them.
    srv.fault("invoices", Fault::ServerError, 5);
    let r = w.refuses_with(
        |c| {
            c.env("STRIPE_API_KEY", KEY).env("CSF_STRIPE_RETRY_MS", "1");
        },
        &["sync", "stripe"],
        &["GET /v1/invoices", "5 times", "500"],
    );
    assert!(!r.stderr.contains("stopped"), "the failing list is named: {}", r.stderr);
    assert_eq!(w.dump(), before);
    // Then the same first sync writes all three lists, with its cursors.
    sync(&w, &[]).ok();
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE stripe_id IS NOT NULL"), 10);
    assert!(w.count("SELECT count(*) FROM billing_records WHERE invoice_id IS NOT NULL") > 0);
    assert_eq!(w.count("SELECT count(*) FROM sync_state WHERE source = 'stripe'"), 1);
}

#[test]
fn an_invoice_listed_twice_in_a_first_sync_is_one_billing_row() {
    let srv = Server::start();
    book(&srv);
    // A list that moved while it was paged can show an invoice twice.
    srv.with(|st| {
        let again = st.invoices.iter().find(|i| i["id"] == "in_j_void").unwrap().clone();
        st.invoices.push(again);
    });
    let w = work(&srv);
    sync(&w, &[]).ok();
    assert_eq!(w.count("SELECT count(*) FROM billing_records WHERE invoice_id = 'in_j_void'"), 1);
}

#[test]
fn rate_limits_and_server_errors_are_retried_and_pages_follow() {
    let srv = Server::start();
    book(&srv);
    srv.with(|st| {
        for n in 0..150 {
            st.customers.push(s::customer(&format!("cus_z{n:03}"), m(1) + n, "Zed", None));
        }
    });
    srv.fault("customers", Fault::TooMany { retry_after: 1 }, 1);
    srv.fault("invoices", Fault::ServerError, 1);
    let w = work(&srv);
    let started = std::time::Instant::now();
    let r = sync(&w, &[]).ok();
    assert!(started.elapsed() >= std::time::Duration::from_secs(1), "Retry-After honoured");
    assert_eq!(w.count("SELECT count(*) FROM customers"), 160);
    // prices 1, customers 2 pages + 1 retry, subscriptions 1, invoices 1 + 1 retry.
    assert!(r.stderr.contains("7 requests"), "{}", r.stderr);
    let log = srv.with(|s| s.log.clone());
    assert!(log.iter().any(|l| l.contains("starting_after=cus_")), "{log:#?}");
}

#[test]
fn a_page_whose_ends_mislead_the_quick_pass_is_followed_from_its_parse() {
    let srv = Server::start();
    book(&srv);
    srv.with(|st| {
        for n in 0..250 {
            st.customers.push(s::customer(&format!("cus_z{n:03}"), m(1) + n, "Zed", None));
        }
        // Valid JSON, but the last object before the page's end is not the last of `data`.
        st.after_data = r#", "x": [{"id": "cus_z000"}, {"id": "cus_z001"}]"#.into();
    });
    let w = work(&srv);
    sync(&w, &[]).ok();
    assert_eq!(w.count("SELECT count(*) FROM customers"), 260);
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE stripe_id LIKE 'cus_z%'"), 250);
    // The pager did ask from the misread id; that page was let go.
    let log = srv.with(|s| s.log.clone());
    assert!(log.iter().any(|l| l.contains("starting_after=cus_z001")), "{log:#?}");
}

#[test]
fn plain_http_is_refused_beyond_loopback() {
    let w = Work::new();
    w.run(&["-q", "init"]).ok();
    w.refuses(&["config", "set", "stripe.api_base", "http://api.example.com/v1"], &["loopback"]);
}
