//! `csf health backtest | tune` (docs/health.md) on histories built by CSV import.

use chrono::{Duration, NaiveDate};
use serde_json::Value;

use crate::common::Work;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn import(w: &Work, kind: &str, csv: &str) {
    w.file(&format!("{kind}.csv"), csv);
    w.run(&["-q", "import", kind, &format!("{kind}.csv")]).ok();
}

/// 30 customers signed up 2025-06-01. Every third (c00, c03, …, c27) churns,
/// the k-th of them on 2026-01-05 + 25k days, 20 days after a failed
/// invoice; the others pay monthly. Usage does not foretell churn: churners
/// use the product every 3 days until they leave, while half the retained
/// customers use it only every 14 days. `export` first appears 2026-03-01
/// (the derived core features change mid-history); some NPS and CSAT too.
pub(crate) fn payment_history() -> Work {
    let w = Work::new();
    let start = d("2025-06-01");
    let end = d("2026-11-19");
    let (mut cust, mut usage, mut billing) = (
        String::from("id,signed_up_at,churned_at\n"),
        String::from("customer,timestamp,event\n"),
        String::from("customer,date,amount,status,invoice_id\n"),
    );
    let mut nps = String::from("customer,responded_at,score\n");
    let mut tickets = String::from("id,customer,created_at,resolved_at,csat\n");
    for i in 0..30 {
        let id = format!("c{i:02}");
        let churn = (i % 3 == 0).then(|| d("2026-01-05") + Duration::days(25 * (i / 3)));
        cust.push_str(&format!("{id},2025-06-01,{}\n", churn.map(|c| c.to_string()).unwrap_or_default()));
        let last = churn.unwrap_or(end);
        let gap = if churn.is_none() && i % 2 == 0 { 14 } else { 3 };
        let mut t = start + Duration::days(i % 5);
        while t < last {
            let ev = if t >= d("2026-03-01") && i % 4 == 0 { "export" } else { "reports" };
            usage.push_str(&format!("{id},{t}T10:00:00Z,{ev}\n"));
            t += Duration::days(gap);
        }
        let mut m = d("2025-06-01");
        let mut n = 0;
        while m < last {
            match churn {
                Some(c) if m + Duration::days(31) > c - Duration::days(20) => break,
                _ => {}
            }
            billing.push_str(&format!("{id},{m},49,paid,{id}-{n}\n"));
            m = m.checked_add_months(chrono::Months::new(1)).unwrap();
            n += 1;
        }
        if let Some(c) = churn {
            billing.push_str(&format!("{id},{},49,failed,{id}-f\n", c - Duration::days(20)));
        }
        if i % 5 == 1 {
            nps.push_str(&format!("{id},2026-02-10,{}\n", i % 11));
            tickets.push_str(&format!("t{i},{id},2026-04-01,2026-04-03,{}\n", 1 + i % 5));
        }
    }
    import(&w, "customers", &cust);
    import(&w, "usage", &usage);
    import(&w, "billing", &billing);
    import(&w, "nps", &nps);
    import(&w, "tickets", &tickets);
    w
}

const WINDOW: [&str; 8] = ["--from", "2025-12-01", "--to", "2026-10-01", "--every", "10", "--horizon", "30"];

pub(crate) fn args<'a>(head: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    head.iter().chain(WINDOW.iter()).chain(tail).copied().collect()
}

#[test]
fn backtest_components_equal_what_health_score_stores() {
    let w = payment_history();
    let cutoffs = ["2026-02-15", "2026-03-27", "2026-04-16"];
    let j = w
        .run(&[
            "-f",
            "json",
            "health",
            "backtest",
            "--from",
            cutoffs[0],
            "--to",
            "2026-04-16",
            "--every",
            "20",
            "--samples",
        ])
        .ok()
        .json();
    assert_eq!(j["cutoffs"], serde_json::json!(["2026-02-15", "2026-03-07", "2026-03-27", "2026-04-16"]));
    let list = j["sample_list"].as_array().unwrap();
    assert_eq!(list.len() as u64, j["samples"].as_u64().unwrap());
    for cutoff in cutoffs {
        w.run_at(cutoff, &["-q", "health", "score"]).ok();
        let conn = w.conn();
        let mut st = conn
            .prepare(
                "SELECT c.id, h.usage, h.engagement, h.satisfaction, h.payment, h.score FROM health_snapshots h
                 JOIN customers c USING (cid) WHERE h.day = ?1 ORDER BY c.id",
            )
            .unwrap();
        let stored: Vec<(String, f64, f64, f64, f64, i64)> = st
            .query_map([cutoff], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut replayed: Vec<(String, f64, f64, f64, f64, i64)> = list
            .iter()
            .filter(|s| s["cutoff"] == cutoff)
            .map(|s| {
                let f = |k: &str| s[k].as_f64().unwrap();
                let id = s["customer_id"].as_str().unwrap().to_string();
                (
                    id,
                    f("usage"),
                    f("engagement"),
                    f("satisfaction"),
                    f("payment"),
                    s["score"].as_i64().unwrap(),
                )
            })
            .collect();
        replayed.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(!stored.is_empty());
        assert_eq!(replayed, stored, "cutoff {cutoff}");
    }
    // A spread of components was exercised: partial usage, engagement and satisfaction.
    let distinct = |k: &str| {
        let mut v: Vec<String> = list.iter().map(|s| s[k].to_string()).collect();
        v.sort();
        v.dedup();
        v.len()
    };
    assert!(distinct("usage") > 1 && distinct("engagement") > 1 && distinct("satisfaction") > 1);
}

#[test]
fn backtest_counts_outcomes_and_writes_nothing() {
    let w = payment_history();
    let before = w.dump();
    let j = w.run(&args(&["-f", "json", "health", "backtest"], &["--missed"])).ok().json();
    assert_eq!(w.dump(), before);
    let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "from",
            "to",
            "every_days",
            "horizon_days",
            "weights",
            "cutoffs",
            "samples",
            "churned",
            "auc",
            "verdict",
            "lift",
            "catch",
            "missed",
            "alert_rate",
            "bands",
            "signs_better",
            "missed_samples"
        ]
    );
    assert_eq!(j["weights"], serde_json::json!([40, 30, 20, 10]));
    assert_eq!(j["cutoffs"].as_array().unwrap().len(), 31);
    // Each churner is a churned sample at the cutoffs in the 30 days before
    // its churn: 3 cutoffs each (every 10 days) for the 10 churners.
    assert_eq!(j["churned"], 30);
    let bands = j["bands"].as_array().unwrap();
    let sum = |k: &str| bands.iter().map(|b| b[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum("samples"), j["samples"].as_u64().unwrap());
    assert_eq!(sum("churned"), 30);
    let auc = j["auc"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&auc));
    // every missed entry churned and was healthy
    for m in j["missed_samples"].as_array().unwrap() {
        assert_eq!(m["status"], "healthy");
        assert_eq!(m["churned"], true);
    }
    let t = w.run(&args(&["health", "backtest"], &[])).ok();
    assert!(t.stdout.contains("31 cutoffs every 10 days"), "{}", t.stdout);
    assert!(t.stdout.contains("AUC "), "{}", t.stdout);
}

/// The trap: from the default weights the payment-only vector has
/// the best fit AUC and is eligible there, but on the check cutoffs it
/// scores everyone 0 or 100 — the neutral band empty — and a third of the
/// leavers healthy, where the current weights scored none healthy. Not applied.
#[test]
fn tune_will_not_apply_weights_that_score_leavers_healthy() {
    let w = payment_history();
    let j = w.run(&args(&["-f", "json", "health", "tune"], &[])).ok().json();
    let (cur, best) = (&j["current"], &j["best"]);
    assert_eq!(cur["weights"], serde_json::json!([40, 30, 20, 10]));
    assert_eq!(best["weights"], serde_json::json!([0, 0, 0, 100]), "{j}");
    assert!(best["auc_check"].as_f64().unwrap() > cur["auc_check"].as_f64().unwrap(), "{j}");
    let neutral = &best["bands_check"][1];
    assert_eq!((neutral["status"].as_str(), neutral["samples"].as_u64()), (Some("neutral"), Some(0)));
    assert!(best["missed_check"].as_f64().unwrap() > cur["missed_check"].as_f64().unwrap(), "{j}");
    assert_eq!(j["applied"], false);
    assert!(j["reason"].as_str().unwrap().contains("of the leavers healthy (missed)"), "{j}");

    let before = w.dump();
    let r = w.run(&args(&["health", "tune"], &["--apply"])).ok();
    assert!(r.stdout.contains("Keep the current weights: on the check cutoffs the best weights score 33.3% of the leavers healthy"), "{}", r.stdout);
    for label in ["usage weight", "engagement weight", "satisfaction weight", "payment weight"] {
        assert!(r.stdout.contains(label), "{label}: {}", r.stdout);
    }
    assert!(
        r.stderr.contains("Not applied: ") && r.stderr.contains("health.weights stays 40,30,20,10"),
        "{}",
        r.stderr
    );
    assert_eq!(w.dump(), before);
}

/// From equal weights the payment-only vector still has the highest fit
/// AUC, but there it scores more leavers healthy than the current weights:
/// not eligible, named with the reason; the best eligible vector passes the
/// check and is applied.
#[test]
fn tune_skips_an_ineligible_top_and_applies_a_checked_improvement() {
    let w = payment_history();
    w.run(&["-q", "config", "set", "health.weights", "25,25,25,25"]).ok();
    let j = w.run(&args(&["-f", "json", "health", "tune"], &[])).ok().json();
    let (cur, best, top) = (&j["current"], &j["best"], &j["top_ineligible"]);
    assert_eq!(top["weights"], serde_json::json!([0, 0, 0, 100]), "{j}");
    assert!(top["auc_fit"].as_f64().unwrap() > best["auc_fit"].as_f64().unwrap(), "{j}");
    assert!(top["missed_fit"].as_f64().unwrap() > cur["missed_fit"].as_f64().unwrap(), "{j}");
    assert_ne!(best["weights"], top["weights"]);
    assert!(best["catch_fit"].as_f64().unwrap() >= cur["catch_fit"].as_f64().unwrap(), "{j}");
    assert!(best["missed_fit"].as_f64().unwrap() <= cur["missed_fit"].as_f64().unwrap(), "{j}");
    assert_eq!(j["reason"], Value::Null);
    let t = w.run(&args(&["health", "tune"], &[])).ok();
    assert!(
        t.stdout.contains("Not eligible: the highest fit AUC")
            && t.stdout.contains("usage 0, engagement 0, satisfaction 0, payment 100"),
        "{}",
        t.stdout
    );

    let r = w.run(&args(&["-f", "json", "health", "tune"], &["--apply"])).ok();
    assert_eq!(r.json()["applied"], true);
    assert!(r.stderr.contains("Applied: health.weights"), "{}", r.stderr);
    let want: Vec<String> = best["weights"].as_array().unwrap().iter().map(Value::to_string).collect();
    assert_eq!(w.run(&["config", "get", "health.weights"]).ok().stdout.trim(), want.join(","));
}

#[test]
fn a_tune_that_does_not_improve_changes_nothing_and_says_why() {
    // Nobody has any data: every score ties, every weight vector gives 0.5.
    let w = Work::new();
    import(
        &w,
        "customers",
        "id,signed_up_at,churned_at\na,2025-01-01,2026-03-10\nb,2025-01-01,\nc,2025-01-01,2026-07-10\nd,2025-01-01,\n",
    );
    let before = w.dump();
    let r = w
        .run(&[
            "-f",
            "json",
            "health",
            "tune",
            "--from",
            "2026-01-01",
            "--to",
            "2026-07-01",
            "--every",
            "30",
            "--apply",
        ])
        .ok();
    let j = r.json();
    assert_eq!(j["best"]["weights"], serde_json::json!([40, 30, 20, 10]));
    assert_eq!(j["current"]["auc_fit"], 0.5);
    assert_eq!(j["applied"], false);
    assert!(
        r.stderr.contains("Not applied: the current weights are already the best eligible ones"),
        "{}",
        r.stderr
    );
    assert_eq!(w.dump(), before);
}

#[test]
fn window_errors_exit_1_and_change_nothing() {
    let w = payment_history();
    let before = w.dump();
    let cases: [(&[&str], &str); 5] = [
        (&["health", "backtest", "--to", "2026-10-01"], "not known yet"),
        (&["health", "backtest", "--every", "0"], "--every must be at least 1 day"),
        (&["health", "backtest", "--from", "2026-05-01", "--to", "2026-04-01"], "is after --to"),
        (&["health", "tune", "--step", "7"], "--step must divide 100"),
        (&["health", "tune", "--step", "0", "--apply"], "--step must divide 100"),
    ];
    for (a, msg) in cases {
        let r = w.run(a).fails(1);
        assert!(r.stderr.starts_with("error: ") && r.stderr.contains(msg), "{a:?}: {}", r.stderr);
        assert_eq!(r.stdout, "");
    }
    assert_eq!(w.dump(), before);
}

/// `health backtest` refuses windows whose cutoffs fall outside the years
/// 1970–9999 instead of saturating them, and changes nothing.
#[test]
fn backtest_windows_stay_within_the_years_1970_to_9999() {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    for (args, words) in [
        (&["--every", "100000000"][..], "--every 100000000 puts the first cutoff before 1970; the window must fall within the years 1970–9999 — use a smaller --every, or give --from"),
        (&["--every", "9223372036854775807"], "--every 9223372036854775807 puts the first cutoff before 1970"),
        (&["--horizon", "100000000"], "--horizon 100000000 reaches before 1970; the window must fall within the years 1970–9999 — use a shorter --horizon"),
        (&["--from", "1960-01-01"], "--from is outside the years 1970–9999; give a date in them"),
        (&["--to", "1969-12-31", "--from", "1969-01-01"], "--to is outside the years 1970–9999; give a date in them"),
        (&["--to", "9999-12-30", "--horizon", "30"], "--horizon 30 ends after the year 9999; use a shorter --horizon"),
    ] {
        let mut full = vec!["health", "backtest"];
        full.extend_from_slice(args);
        w.refuses(&full, &[words]);
    }
}
