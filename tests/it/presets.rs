//! `csf import --from PRESET`: real export headers and values, as they are.

use crate::common::Work;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/presets/{name}.csv", env!("CARGO_MANIFEST_DIR"))
}

fn with_stripe_customers() -> Work {
    let w = Work::new();
    w.run(&["-q", "import", "customers", &fixture("stripe-customers"), "--from", "stripe-customers"]).ok();
    w
}

fn rows(w: &Work, sql: &str) -> Vec<String> {
    let c = w.conn();
    let mut st = c.prepare(sql).unwrap();
    let n = st.column_count();
    st.query_map([], |r| {
        Ok((0..n)
            .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
            .collect::<Vec<_>>()
            .join(" "))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn stripe_customers() {
    let w = with_stripe_customers();
    let j = w.run(&["customer", "show", "cus_B", "-f", "json"]).ok().json();
    assert_eq!(j["name"], "Globex");
    assert_eq!(j["email"], "billing@globex.test");
    assert_eq!(j["plan"], "team");
    assert_eq!(j["signed_up_at"], "2026-02-01T09:30:00Z");
}

#[test]
fn stripe_payments_both_header_versions() {
    let w = with_stripe_customers();
    w.run(&["import", "billing", &fixture("stripe-payments"), "--from", "stripe-payments"]).ok();
    w.run(&["-q", "import", "billing", &fixture("stripe-payments-2024"), "--from", "stripe-payments"]).ok();
    assert_eq!(
        rows(&w, "SELECT invoice_id, c.id, amount_cents, status FROM billing_records JOIN customers c USING (cid) ORDER BY invoice_id"),
        [
            "Text(\"ch_1\") Text(\"cus_A\") Integer(4900) Text(\"paid\")",
            // no Customer ID: matched by the Customer Email column
            "Text(\"ch_2\") Text(\"cus_B\") Integer(9900) Text(\"failed\")",
            "Text(\"ch_3\") Text(\"cus_A\") Integer(104900) Text(\"refunded\")",
            "Text(\"py_9\") Text(\"cus_B\") Integer(1900) Text(\"paid\")",
        ]
    );
}

#[test]
fn stripe_invoices_statuses() {
    let w = with_stripe_customers();
    w.run(&["import", "billing", &fixture("stripe-invoices"), "--from", "stripe-invoices"]).ok();
    assert_eq!(
        rows(&w, "SELECT invoice_id, status FROM billing_records ORDER BY invoice_id"),
        [
            "Text(\"in_1\") Text(\"paid\")",
            "Text(\"in_2\") Text(\"late\")",
            "Text(\"in_3\") Text(\"failed\")",
            "Text(\"in_4\") Text(\"void\")",
        ]
    );
}

#[test]
fn posthog_and_amplitude_events() {
    let w = with_stripe_customers();
    w.run(&["import", "usage", &fixture("posthog"), "--from", "posthog"]).ok();
    w.run(&["import", "usage", &fixture("amplitude"), "--from", "amplitude"]).ok();
    assert_eq!(
        rows(&w, "SELECT customer_id, timestamp, event FROM usage_v ORDER BY timestamp"),
        [
            "Text(\"cus_A\") Text(\"2026-11-01T10:00:00Z\") Text(\"$pageview\")",
            "Text(\"cus_A\") Text(\"2026-11-02T10:00:00Z\") Text(\"report_created\")",
            "Text(\"cus_B\") Text(\"2026-11-03T09:15:00Z\") Text(\"export_csv\")",
            "Text(\"cus_B\") Text(\"2026-11-04T09:15:00Z\") Text(\"export_csv\")",
        ]
    );
}

#[test]
fn zendesk_tickets() {
    let w = with_stripe_customers();
    w.run(&["import", "tickets", &fixture("zendesk"), "--from", "zendesk"]).ok();
    let j = w.run(&["ticket", "show", "101", "-f", "json"]).ok().json();
    assert_eq!(j["customer_id"], "cus_A");
    assert_eq!(j["category"], "bug", "the first tag");
    assert_eq!(j["channel"], "email");
    assert_eq!(j["priority"], "high");
    assert_eq!(j["first_response_at"], "2026-11-01T10:45:00Z", "created + first reply time in minutes");
    assert_eq!(j["resolved_at"], "2026-11-01T15:00:00Z");
    assert_eq!(j["csat"], 5, "Good");
    let j = w.run(&["ticket", "show", "102", "-f", "json"]).ok().json();
    assert_eq!(j["channel"], "chat");
    assert_eq!(j["priority"], "normal");
    assert!(j["csat"].is_null(), "Offered is no rating");
    assert_eq!(j["status"], "open");
}

#[test]
fn freshdesk_tickets() {
    let w = with_stripe_customers();
    w.run(&["import", "tickets", &fixture("freshdesk"), "--from", "freshdesk"]).ok();
    let j = w.run(&["ticket", "show", "7", "-f", "json"]).ok().json();
    assert_eq!(j["customer_id"], "cus_A");
    assert_eq!(j["csat"], 5);
    assert_eq!(j["priority"], "normal", "Medium");
    assert_eq!(j["first_response_at"], "2026-11-04T08:30:00Z");
    let j = w.run(&["ticket", "show", "8", "-f", "json"]).ok().json();
    assert_eq!(j["category"], "feature-request");
    assert_eq!(j["channel"], "email");
    // and the churn warning sign sees the open feature request
    let r = w.run(&["churn", "risks", "--signal", "feature-requests", "-f", "json"]).ok().json();
    assert_eq!(r[0]["customer_id"], "cus_B");
}

#[test]
fn list_presets_and_preset_errors() {
    let w = Work::new();
    let j = w.run(&["import", "--list-presets", "-f", "json"]).ok().json();
    let names: Vec<&str> = j.as_array().unwrap().iter().map(|p| p["preset"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "stripe-payments",
            "stripe-invoices",
            "stripe-customers",
            "posthog",
            "amplitude",
            "zendesk",
            "freshdesk"
        ]
    );
    let r = w.run(&["import", "usage", &fixture("zendesk"), "--from", "zendesk"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: the zendesk preset imports tickets, not usage: csf import tickets FILE --from zendesk\n"
    );
    let r = w.run(&["import", "usage", &fixture("posthog"), "--from", "mixpanel"]).fails(1);
    assert!(
        r.stderr.starts_with("error: no preset \"mixpanel\"; the presets are stripe-payments,"),
        "{}",
        r.stderr
    );
    w.file("bad.csv", "event,when\nx,2026-11-01\n");
    w.run(&["-q", "init"]).ok();
    let before = w.dump();
    let r = w.run(&["import", "usage", "bad.csv", "--from", "posthog"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: bad.csv: missing required column \"customer\" (or one of: distinct_id, person.properties.email, person_id) for the posthog preset; the headers found are: event, when — rename the column or pass --map customer=HEADER\n"
    );
    assert_eq!(w.dump(), before);
    w.run(&["import", "usage"]).fails(2);
}
