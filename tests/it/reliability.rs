//! Guarantees that hold for every command: old databases keep their rows,
//! garbage arguments never panic.

use crate::common::{rows_in_old_columns, Work};

/// Every table of a v1 database, with its rows, survives opening with this csf.
#[test]
fn a_schema_v1_database_opens_with_every_row() {
    let w = Work::new();
    {
        let c = rusqlite::Connection::open(&w.db).unwrap();
        c.execute_batch(include_str!("../fixtures/schema-v1.sql")).unwrap();
    }
    let r = w.run(&["customer", "list", "-f", "json"]).ok();
    let ids: Vec<String> =
        r.json().as_array().unwrap().iter().map(|o| o["customer_id"].as_str().unwrap().into()).collect();
    assert_eq!(ids, ["acme", "globex"]);
    w.run(&["check"]).ok();
    assert_eq!(w.run(&["config", "get", "health.weights"]).ok().stdout, "50,20,20,10\n");
    // Opening may migrate the schema (new columns), but never loses a row.
    let old = w.path("v1.db");
    {
        let c = rusqlite::Connection::open(&old).unwrap();
        c.execute_batch(include_str!("../fixtures/schema-v1.sql")).unwrap();
    }
    assert_eq!(rows_in_old_columns(&old, &w.db), rows_in_old_columns(&old, &old));
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
        vec!["restore"],
        vec!["completions"],
        vec!["--now"],
        vec!["--format"],
        vec!["customer", "add", "x", "--mrr"],
        vec!["customer", "add", "y", "--signed-up"],
    ];
    commands.extend([
        vec!["check"],
        vec!["health", "show"],
        vec!["health", "list", "--status"],
        vec!["health", "score", "--fail-on"],
        vec!["ticket", "show"],
        vec!["ticket", "close"],
        vec!["ticket", "rate", "1"],
        vec!["ticket", "open", "acme"],
        vec!["ticket", "reply", "1", "--template"],
        vec!["ticket", "plan", "billing"],
        vec!["churn", "record"],
        vec!["churn", "undo"],
        vec!["churn", "risks", "--signal"],
        vec!["churn", "rate", "--months"],
        vec!["onboarding", "funnel", "--days"],
        vec!["report", "plan", "--sections"],
        vec!["report", "metrics", "--days"],
        vec!["import", "usage"],
        vec!["import", "nps", "-", "--map"],
    ]);
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
    assert!(tried > 300);
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE id = 'acme'"), 1);
}

fn big_usage(w: &Work, name: &str, customer: &str, rows: usize) -> std::path::PathBuf {
    let mut s = String::with_capacity(rows * 40);
    s.push_str("customer,timestamp,event\n");
    for i in 0..rows {
        s.push_str(&format!("{customer},{},ev{}\n", 1_700_000_000 + i as i64, i % 7));
    }
    w.file(name, s)
}

fn spawn(w: &Work, args: &[&str]) -> std::process::Child {
    w.spawn(&[&["-q"][..], args].concat())
}

/// SIGKILL in the middle of an import: none of the file's rows are in the
/// database, which opens normally and passes `csf check`.
#[test]
fn an_import_killed_part_way_leaves_nothing_behind() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme"]).ok();
    let input = big_usage(&w, "big.csv", "acme", 400_000);
    let size = std::fs::metadata(&input).unwrap().len();
    // Killed once it has read half its input: the import commits only after
    // the last row, so this is part-way whatever the machine's speed.
    let mut child = spawn(&w, &["import", "usage", "big.csv"]);
    crate::common::wait_until_read(&mut child, size / 2);
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    let killed_mid_way = status.code().is_none();
    assert!(killed_mid_way, "the import finished before it could be killed");
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 0);
    assert_eq!(w.count("SELECT count(*) FROM import_log"), 0);
    w.run(&["check"]).ok();
    // and the same import then succeeds
    w.run(&["-q", "import", "usage", "big.csv"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 400_000);
}

/// Two imports and a health score at once on one database: all succeed
/// within the busy timeout, with exact counts.
#[test]
fn two_imports_and_a_score_at_once_all_succeed() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "a", "--signed-up", "2026-01-01"]).ok();
    w.run(&["-q", "customer", "add", "b", "--signed-up", "2026-01-01"]).ok();
    big_usage(&w, "a.csv", "a", 60_000);
    big_usage(&w, "b.csv", "b", 60_000);
    let children = vec![
        spawn(&w, &["import", "usage", "a.csv"]),
        spawn(&w, &["health", "score"]),
        spawn(&w, &["import", "usage", "b.csv"]),
    ];
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 120_000);
    assert_eq!(w.count("SELECT count(*) FROM health_snapshots"), 2);
    w.run(&["check"]).ok();
}

/// A backup taken while another process writes is consistent; copying it
/// back restores a database that passes `csf check`.
#[test]
fn backup_while_writing_then_restore() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "a"]).ok();
    let input = big_usage(&w, "a.csv", "a", 150_000);
    let mut writer = spawn(&w, &["import", "usage", "a.csv"]);
    crate::common::wait_until_read(&mut writer, std::fs::metadata(&input).unwrap().len() / 2);
    let dest = w.path("snap.db");
    w.run(&["backup", dest.to_str().unwrap()]).ok();
    assert!(writer.wait_with_output().unwrap().status.success());
    let n: i64 = rusqlite::Connection::open(&dest)
        .unwrap()
        .query_row("SELECT count(*) FROM usage_events", [], |r| r.get(0))
        .unwrap();
    assert!(n == 0 || n == 150_000, "a backup holds a whole import or none of it, not {n} rows");
    // restore: copy the backup over the database
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", w.db.display()));
    }
    std::fs::copy(&dest, &w.db).unwrap();
    w.run(&["check"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM customers"), 1);
}
