//! `csf customer ...` (docs/schema.md).

use crate::common::Work;

#[test]
fn add_show_edit_remove() {
    let w = Work::new();
    w.run(&[
        "customer",
        "add",
        "acme",
        "--name",
        "Acme",
        "--email",
        "Ops@Acme.test",
        "--mrr",
        "$49.90",
        "--signed-up",
        "2026-11-01",
    ])
    .ok();
    let j = w.run(&["customer", "show", "ops@acme.test", "-f", "json"]).ok().json();
    assert_eq!(j["customer_id"], "acme");
    assert_eq!(j["mrr"], 49.9);
    assert_eq!(j["signed_up_at"], "2026-11-01T00:00:00Z");
    w.run(&["customer", "edit", "acme", "--plan", "pro", "--mrr", "99", "--email", ""]).ok();
    let j = w.run(&["customer", "show", "acme", "-f", "json"]).ok().json();
    assert_eq!(j["plan"], "pro");
    assert_eq!(j["mrr"], 99.0);
    assert!(j["email"].is_null());
    assert_eq!(w.count("SELECT mrr_cents FROM customers"), 9900);
    w.run(&["customer", "remove", "acme"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM customers"), 0);
}

#[test]
fn duplicate_add_is_refused_and_nothing_changes() {
    let w = Work::new();
    w.run(&["customer", "add", "acme", "--name", "Acme"]).ok();
    let before = w.dump();
    let r = w.run(&["customer", "add", "acme", "--name", "Other"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: customer \"acme\" already exists; use `csf customer edit acme ...` to change it\n"
    );
    assert_eq!(w.dump(), before);
}

#[test]
fn bad_mrr_and_dates_name_the_flag() {
    let w = Work::new();
    let r = w.run(&["customer", "add", "acme", "--mrr", "lots"]).fails(1);
    assert!(r.stderr.starts_with("error: --mrr \"lots\" is not an amount of money"), "{}", r.stderr);
    let r = w.run(&["customer", "add", "acme", "--signed-up", "11/05/2026"]).fails(1);
    assert!(r.stderr.contains("--signed-up \"11/05/2026\" is an ambiguous date"), "{}", r.stderr);
    assert!(!w.db.exists(), "a failed first command leaves no database");
}

#[test]
fn unknown_customer_is_a_clear_error() {
    let w = Work::new();
    w.run(&["init"]).ok();
    let r = w.run(&["customer", "show", "ghost"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: no customer with id or email \"ghost\"; `csf customer list` shows the customers\n"
    );
}

#[test]
fn list_json_and_csv_fields() {
    let w = Work::new();
    w.run(&["customer", "add", "b", "--name", "=cmd()", "--signed-up", "2026-01-01T10:00:00Z"]).ok();
    w.run(&["customer", "add", "a", "--mrr", "10"]).ok();
    let j = w.run(&["customer", "list", "-f", "json"]).ok().json();
    assert_eq!(j[0]["customer_id"], "a");
    assert_eq!(j[1]["signed_up_at"], "2026-01-01T10:00:00Z");
    let csv = w.run(&["customer", "list", "-f", "csv"]).ok().stdout;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "customer_id,name,email,plan,mrr,stage,goal,health,status,signed_up_at,churned_at"
    );
    assert!(csv.contains("b,'=cmd(),"), "{csv}");
}

/// A table longer than one page (1,000 rows) prints a page at a time, each
/// sized on its own: every customer once, in order, memory bounded by a page.
#[test]
fn a_long_table_prints_in_pages_with_every_row_once() {
    let w = Work::new();
    let mut csv = String::from("id,name,signed_up_at\n");
    for i in 0..2500 {
        csv.push_str(&format!("c{i:05},Company {i},2026-01-01\n"));
    }
    w.file("c.csv", csv);
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    let out = w.run(&["customer", "list"]).ok().stdout;
    assert_eq!(out.lines().filter(|l| l.starts_with('┌')).count(), 3, "three pages");
    let ids: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("│ ").and_then(|r| r.split_whitespace().next()))
        .filter(|id| id.starts_with('c'))
        .collect();
    assert_eq!(ids.len(), 2500);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in order, each once");
    // CSV streams as one list.
    let csv = w.run(&["customer", "list", "-f", "csv"]).ok().stdout;
    assert_eq!(csv.lines().count(), 2501);
}

/// `customer show` computes a ticket's status as of `--now`, like `ticket
/// list`: on a past day, a ticket answered later is still open.
#[test]
fn customer_show_tells_a_tickets_status_as_of_now() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme", "--signed-up", "2026-01-01"]).ok();
    let id = w.run_at("2026-11-18T09:00:00Z", &["-q", "ticket", "open", "acme", "Export fails"]).ok().stdout;
    let id = id.trim();
    w.run_at("2026-11-19T09:00:00Z", &["-q", "ticket", "reply", id, "--message", "On it"]).ok();
    let status = |at: &str| {
        let show = w.run_at(at, &["customer", "show", "acme", "-f", "json"]).ok().json();
        let list = w.run_at(at, &["ticket", "list", "-f", "json"]).ok().json();
        (show["open_tickets"][0]["status"].clone(), list[0]["status"].clone())
    };
    let (show, list) = status("2026-11-18T12:00:00Z");
    assert_eq!((show.as_str(), list.as_str()), (Some("open"), Some("open")));
    let (show, list) = status("2026-11-20T12:00:00Z");
    assert_eq!((show.as_str(), list.as_str()), (Some("acknowledged"), Some("acknowledged")));
}
