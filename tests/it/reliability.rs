//! Guarantees that hold for every command: old databases keep their rows,
//! garbage arguments never panic.

use crate::common::{dump, Work};

/// Every table of a v1 database, with its rows, survives opening with this csf.
#[test]
fn a_schema_v1_database_opens_with_every_row() {
    let w = Work::new();
    {
        let c = rusqlite::Connection::open(&w.db).unwrap();
        c.execute_batch(include_str!("../fixtures/schema-v1.sql")).unwrap();
    }
    let before = dump(&w.db);
    let r = w.run(&["customer", "list", "-f", "json"]).ok();
    let ids: Vec<String> =
        r.json().as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().into()).collect();
    assert_eq!(ids, ["acme", "globex"]);
    w.run(&["check"]).ok();
    assert_eq!(w.run(&["config", "get", "health.weights"]).ok().stdout, "50,20,20,10\n");
    // Opening may migrate the schema, but never loses a row.
    for table in [
        "customers",
        "event_names",
        "usage_events",
        "nps_responses",
        "billing_records",
        "tickets",
        "ticket_events",
        "category_plans",
        "category_docs",
        "health_snapshots",
        "churn_records",
        "outreach_done",
        "config",
        "import_log",
    ] {
        let section = |d: &str| {
            d.split(&format!("## {table}\n")).nth(1).map(|s| s.split("\n## ").next().unwrap().to_string())
        };
        assert_eq!(section(&dump(&w.db)), section(&before), "rows of {table}");
    }
}

/// No argument list reachable from a shell makes csf panic: it answers with
/// a usage error (2) or a clear error (1), never the panic message.
#[test]
fn garbage_arguments_never_panic() {
    let w = Work::new();
    w.run(&["customer", "add", "acme"]).ok();
    let garbage: &[&str] = &[
        "",
        "-",
        "--",
        "\u{0}",
        "ＡＣＭＥ",
        "-1",
        "99999999999999999999",
        "'; DROP TABLE customers; --",
        "a|b\nc",
        "%s%n",
    ];
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["customer", "show"],
        vec!["customer", "add"],
        vec!["customer", "edit"],
        vec!["customer", "remove"],
        vec!["customer", "list", "--stage"],
        vec!["config", "get"],
        vec!["config", "set", "health.weights"],
        vec!["config", "set", "targets.nps"],
        vec!["config", "unset"],
        vec!["backup"],
        vec!["completions"],
        vec!["--now"],
        vec!["--format"],
        vec!["customer", "add", "x", "--mrr"],
        vec!["customer", "add", "y", "--signed-up"],
    ];
    commands.push(vec!["check"]);
    let mut tried = 0;
    for cmd in &commands {
        for g in garbage {
            if g.contains('\u{0}') {
                continue; // a NUL cannot be passed in argv
            }
            let mut args = cmd.clone();
            args.push(g);
            let r = w.run(&args);
            tried += 1;
            assert!(matches!(r.code, 0..=2), "{args:?} exited {}: {}", r.code, r.stderr);
            assert!(
                !r.stderr.contains("internal bug") && !r.stderr.contains("panicked"),
                "{args:?}: {}",
                r.stderr
            );
        }
    }
    assert!(tried > 100);
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE id = 'acme'"), 1);
}
