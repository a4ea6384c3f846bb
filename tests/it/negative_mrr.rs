//! A file from an older csf with a negative MRR (issue 38 N12): the upgrade
//! keeps every customer, sets such an MRR to 0 and flags the customer (said
//! on stderr, named by `csf check` until an MRR is set); no report shows a
//! negative MRR, at risk or anywhere else.

use rusqlite::Connection;

use crate::common::Work;

const V030: &[u8] = include_bytes!("../fixtures/v0.3.0.db");

/// The v0.3.0 fixture with negative MRRs as csf 0.1 stored them: on the
/// customer only (schema 3 never took them into the MRR history), and on a
/// churn record.
fn with_negative_mrr() -> Work {
    let w = Work::new();
    std::fs::write(&w.db, V030).unwrap();
    let c = Connection::open(&w.db).unwrap();
    c.execute_batch(
        "UPDATE customers SET mrr_cents = -49900 WHERE id = 'umbrella';
         UPDATE customers SET mrr_cents = -1 WHERE id = 'cyberdyne';
         UPDATE customers SET mrr_cents = -9900 WHERE id = 'fixture-co';
         UPDATE churn_records SET mrr_cents = -9900;
         DELETE FROM mrr_changes WHERE cid IN (SELECT cid FROM customers WHERE mrr_cents < 0);",
    )
    .unwrap();
    drop(c);
    w
}

/// Every number in a JSON value under a key containing "mrr".
fn mrr_values(v: &serde_json::Value, out: &mut Vec<(String, f64)>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if let (true, Some(n)) = (k.contains("mrr"), x.as_f64()) {
                    out.push((k.clone(), n));
                }
                mrr_values(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| mrr_values(x, out)),
        _ => {}
    }
}

#[test]
fn an_upgrade_flags_a_negative_mrr_keeps_the_customer_and_no_report_shows_it() {
    let w = with_negative_mrr();
    let customers_before = w.count("SELECT count(*) FROM customers");
    let r = w.run(&["customer", "list", "-f", "json"]).ok();
    assert!(
        r.stderr.contains(&format!(
            "warning: upgrading {}: 3 customers had a negative MRR, which an older csf allowed: cyberdyne \
             (-$0.01), fixture-co (-$99.00), umbrella (-$499.00); it is now 0 in every report — set the right \
             one with `csf customer edit ID --mrr AMOUNT` (`csf check` names them until then)",
            w.db.display()
        )),
        "{}",
        r.stderr
    );
    assert_eq!(w.count("PRAGMA user_version"), csf::store::SCHEMA_VERSION);
    assert_eq!(w.count("SELECT count(*) FROM customers"), customers_before, "every customer kept");
    assert_eq!(
        w.count("SELECT count(*) FROM customers WHERE mrr_cents = 0 AND mrr_negative_cents IS NOT NULL"),
        3
    );
    assert_eq!(w.count("SELECT mrr_negative_cents FROM customers WHERE id = 'umbrella'"), -49900);
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE mrr_cents < 0"), 0);
    assert_eq!(w.count("SELECT count(*) FROM churn_records WHERE mrr_cents < 0"), 0);
    assert_eq!(w.count("SELECT count(*) FROM mrr_changes WHERE mrr_cents < 0"), 0);
    // Said once: the next command has nothing to say.
    assert!(!w.run(&["customer", "list"]).ok().stderr.contains("warning"));

    // No report shows a negative MRR.
    let mut seen = Vec::new();
    for args in [
        &["customer", "list", "-f", "json"][..],
        &["customer", "show", "umbrella", "-f", "json"],
        &["health", "list", "-f", "json"],
        &["churn", "risks", "-f", "json"],
        &["today", "--all", "-f", "json"],
        &["report", "revenue", "-f", "json"],
        &["report", "metrics", "-f", "json"],
    ] {
        let j = w.run(args).ok().json();
        let mut found = Vec::new();
        mrr_values(&j, &mut found);
        assert!(found.iter().all(|(_, n)| *n >= 0.0), "{args:?}: {found:?}");
        seen.extend(found);
    }
    assert!(!seen.is_empty());
    for args in [&["report", "plan"][..], &["health", "list"], &["today", "--all"], &["churn", "rate"]] {
        // A movement (a contraction) may be negative; an MRR, at risk or not, never.
        let out = w.run(args).ok().stdout;
        let at_risk: Vec<&str> = out.lines().filter(|l| l.to_lowercase().contains("risk")).collect();
        assert!(at_risk.iter().all(|l| !l.contains("-$") && !l.contains("−$")), "{args:?}:\n{out}");
    }

    // `csf check` names them and passes; an MRR set clears the flag.
    let r = w.run(&["check"]).ok();
    assert!(
        r.stderr.contains(
            "warning: 3 customers had a negative MRR from an older csf, now treated as 0: cyberdyne (-$0.01), \
             fixture-co (-$99.00), umbrella (-$499.00) — set the right MRR with `csf customer edit ID --mrr AMOUNT`"
        ),
        "{}",
        r.stderr
    );
    w.run(&["-q", "customer", "edit", "umbrella", "--mrr", "499"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE mrr_negative_cents IS NOT NULL"), 2);
    let r = w.run(&["check"]).ok();
    assert!(r.stderr.contains("warning: 2 customers had a negative MRR") && !r.stderr.contains("umbrella"));
}

#[test]
fn a_quiet_upgrade_is_quiet_and_check_still_names_them() {
    let w = with_negative_mrr();
    let r = w.run(&["-q", "customer", "list"]).ok();
    assert_eq!(r.stderr, "");
    assert!(w.run(&["check"]).ok().stderr.contains("warning: 3 customers had a negative MRR"));
}
