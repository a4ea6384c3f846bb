//! `csf health evidence` (docs/health.md#evidence): what foretold churn,
//! counted by hand on a small book, stored by `health score` once a week,
//! and heard in the backtest's verdict and the plan.

use serde_json::Value;

use crate::common::Work;

/// 12 customers signed up 2026-01-01, two cutoffs (06-01, 07-01), a 30-day horizon:
/// - a1…a6 use the product daily (a1 churns 07-20: churned at the second cutoff);
///   a1, a4, a5, a6 answered NPS 10 in January (healthy);
///   a2 answered NPS 6 on 05-20, a3 answered 3 on 05-10 and 6 on 05-20 (a 0–5 answer
///   decides), both inside the first cutoff's 30 days only;
/// - b1…b3 never used it (critical at both cutoffs; b1 churns 07-10: churned at the second);
/// - c1…c3 use it daily but their latest invoice failed (05-15); c1 and c2 churn 06-15
///   (churned at the first cutoff, gone at the second).
///
/// Samples: 12 + 10 = 22, of them 4 churned (base 4/22).
fn small_book() -> Work {
    let w = Work::new();
    let mut customers = String::from("id,name,signed_up_at,churned_at\n");
    let mut usage = String::from("customer,timestamp,event\n");
    let mut billing = String::from("customer,date,amount,status\n");
    let churn = |id: &str| match id {
        "a1" => "2026-07-20",
        "b1" => "2026-07-10",
        "c1" | "c2" => "2026-06-15",
        _ => "",
    };
    for g in ["a", "b", "c"] {
        let n = if g == "a" { 6 } else { 3 };
        for i in 1..=n {
            let id = format!("{g}{i}");
            let until = match churn(&id) {
                "" => "2026-11-20",
                d => d,
            };
            customers.push_str(&format!("{id},{id},2026-01-01,{}\n", churn(&id)));
            billing.push_str(&format!("{id},2026-05-01,49,paid\n"));
            if g == "c" {
                billing.push_str(&format!("{id},2026-05-15,49,failed\n"));
            }
            if g != "b" {
                let mut d = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
                while d.format("%Y-%m-%d").to_string().as_str() < until {
                    usage.push_str(&format!("{id},{}T10:00:00Z,reports\n", d.format("%Y-%m-%d")));
                    d = d.succ_opt().unwrap();
                }
            }
        }
    }
    let nps = "customer,responded_at,score\na2,2026-05-20,6\na3,2026-05-10,3\na3,2026-05-20,6\n\
               a1,2026-01-15,10\na4,2026-01-15,10\na5,2026-01-15,10\na6,2026-01-15,10\n";
    for (kind, text) in
        [("customers", customers), ("usage", usage), ("billing", billing), ("nps", nps.to_string())]
    {
        w.file(&format!("{kind}.csv"), text);
        w.run(&["-q", "import", kind, &format!("{kind}.csv")]).ok();
    }
    w
}

const WINDOW: &[&str] = &["--from", "2026-06-01", "--to", "2026-07-01", "--every", "30", "--horizon", "30"];

fn rows_of(j: &Value) -> Vec<&Value> {
    j.as_array().expect("an array of predictors").iter().collect()
}

fn row<'a>(rows: &[&'a Value], name: &str) -> &'a Value {
    rows.iter().find(|r| r["predictor"] == name).unwrap_or_else(|| panic!("no row {name}"))
}

fn close(v: &Value, want: f64) -> bool {
    (v.as_f64().unwrap() - want).abs() < 1e-9
}

#[test]
fn evidence_is_counted_as_by_hand() {
    let w = small_book();
    let mut args = vec!["-f", "json", "health", "evidence"];
    args.extend_from_slice(WINDOW);
    let before = w.dump();
    let j = w.run(&args).ok().json();
    assert_eq!(w.dump(), before, "a window of its own is reported, not stored");
    let rows = rows_of(&j);
    assert_eq!(rows.len(), 14, "every predictor has a row");
    let base = 4.0 / 22.0;
    // risk = (churned + 10 × base) ÷ (samples + 10) × 100; lift = risk ÷ (base × 100).
    let risk = |churned: f64, samples: f64| (churned + 10.0 * base) / (samples + 10.0) * 100.0;
    for (name, samples, churned) in [
        ("payment-failure", 4, 2), // c1, c2, c3 at 06-01; c3 at 07-01
        ("any-sign", 6, 2),        // those, and a2, a3 at 06-01
        ("nps-6", 1, 0),           // a2 only: a3's 3 makes it a detractor
        ("nps-0-5", 1, 0),         // a3
        ("critical", 6, 1),        // b1…b3 at both cutoffs; b1 churned
        ("at-risk", 0, 0),
        ("score-alert", 6, 1), // the critical ones
        ("went-quiet", 0, 0),
    ] {
        let r = row(&rows, name);
        assert_eq!(
            (r["samples"].as_u64(), r["churned"].as_u64()),
            (Some(samples), Some(churned)),
            "{name}: {r}"
        );
        let want = risk(churned as f64, samples as f64);
        assert!(close(&r["risk"], want), "{name}: risk {} want {want}", r["risk"]);
        assert!(close(&r["lift"], want / (base * 100.0)), "{name}: lift {}", r["lift"]);
        assert!(close(&r["catch"], churned as f64 * 100.0 / 4.0), "{name}: catch {}", r["catch"]);
    }
    assert_eq!(row(&rows, "went-quiet")["churn_rate"], Value::Null);
    assert!(close(&row(&rows, "went-quiet")["lift"], 1.0));
    // payment-failure: risk 27.3%, lift 1.5 → useful, on 4 samples.
    assert_eq!(row(&rows, "payment-failure")["words"], "useful (few samples)");
    assert_eq!(row(&rows, "score-alert")["words"], "not predictive here (few samples)");
    assert_eq!(row(&rows, "payment-failure")["measured_on"], "2026-11-20");
    // Sorted by lift, highest first.
    let lifts: Vec<f64> = rows.iter().map(|r| r["lift"].as_f64().unwrap()).collect();
    assert!(lifts.windows(2).all(|p| p[0] >= p[1]), "{lifts:?}");

    // The table ends with the sentence comparing the signs with the score.
    let mut args = vec!["health", "evidence", "--missed-why"];
    args.extend_from_slice(WINDOW);
    let t = w.run(&args).ok().stdout;
    assert!(
        t.contains("Warning signs caught 50.0% of leavers at 1.3× the base rate; the score's alert bands caught 25.0% at 1.0×."),
        "{t}"
    );
    // The signs beat the score here (lift 1.31 > 0.97, catch 50% > 25%): the backtest says so.
    let mut args = vec!["health", "backtest"];
    args.extend_from_slice(WINDOW);
    let b = w.run(&args).ok().stdout;
    assert!(
        b.lines().next().unwrap().ends_with(
            "do not rely on the at-risk list alone; the warning signs are the better guide here — csf health evidence."
        ),
        "{b}"
    );
    // a1 left at the second cutoff while healthy, with no sign.
    assert!(t.contains("Leavers the score called healthy"), "{t}");
    assert!(t.lines().any(|l| l.contains("2026-07-01") && l.contains("a1") && l.contains("none")), "{t}");
}

#[test]
fn health_score_stores_the_evidence_and_measures_again_after_a_week() {
    let w = small_book();
    let measured =
        |now: &str| w.run_at(now, &["health", "score"]).ok().stderr.contains("Measured the evidence");
    assert!(measured("2026-11-20T08:00:00Z"), "a fresh database measures");
    let stored = w.count("SELECT count(*) FROM evidence WHERE measured_on = '2026-11-20'");
    assert_eq!(stored, 14, "one row per predictor");
    assert!(!measured("2026-11-21T08:00:00Z"), "not again the next day");
    assert!(!measured("2026-11-27T08:00:00Z"), "not 7 days later");
    assert!(measured("2026-11-28T08:00:00Z"), "8 days later");
    assert_eq!(
        w.count("SELECT count(DISTINCT measured_on) FROM evidence"),
        2,
        "earlier measurements are kept"
    );
    // --backfill never measures.
    let r = w.run_at("2026-12-20T08:00:00Z", &["health", "score", "--backfill", "--from", "2026-12-10"]).ok();
    assert!(!r.stderr.contains("Measured the evidence"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(DISTINCT measured_on) FROM evidence"), 2);
}

#[test]
fn without_a_churn_in_the_window_nothing_is_stored() {
    let w = Work::new();
    w.file("c.csv", "id,signed_up_at\nx,2026-11-01\n");
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    let r = w.run(&["health", "score"]).ok();
    assert!(r.stderr.contains("no evidence yet"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(*) FROM evidence"), 0);
    let before = w.dump();
    let r = w.run(&["health", "evidence"]).fails(1);
    assert!(r.stderr.contains("no evidence yet") && r.stderr.contains("widen the window"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
}

/// On a realistic book where churn is preceded by signs (a fade, failed
/// payments, detractors), the evidence says the signs are the better guide:
/// the backtest names `csf health evidence` and the plan recommends no band
/// alert, only `csf churn risks --fail-on any`.
#[test]
fn on_a_realistic_book_the_signs_are_the_better_guide_and_the_plan_says_so() {
    let w = Work::new();
    crate::book::book(&w);
    let e = w.run(&["health", "evidence"]).ok().stdout;
    assert!(e.contains("Warning signs caught"), "{e}");
    let b = w.run(&["health", "backtest"]).ok().stdout;
    assert!(b.lines().next().unwrap().contains("csf health evidence"), "{b}");
    w.run(&["-q", "health", "score"]).ok();
    let plan = w.run(&["report", "plan"]).ok().stdout;
    assert!(!plan.contains("--fail-on at-risk") && !plan.contains("--fail-on critical"), "{plan}");
    assert!(plan.contains("csf churn risks --fail-on any"), "{plan}");
    assert!(plan.contains("do not rely on the at-risk list alone"), "{plan}");
}

/// With stored evidence, `today` ranks rescues by expected loss (MRR × the
/// highest stored risk among the band and the signs), names the evidence in
/// each rescue's why, and carries `risk` and `expected_loss` in JSON.
#[test]
fn today_ranks_rescues_by_expected_loss_on_a_realistic_book() {
    let w = Work::new();
    crate::book::book(&w);
    let before = w.run(&["today", "--all", "-f", "json"]).ok().json();
    assert!(
        before.as_array().unwrap().iter().all(|a| a["risk"].is_null()),
        "no evidence yet: ranked as before"
    );
    w.run(&["-q", "health", "score"]).ok(); // measures and stores the evidence
    let all = w.run(&["today", "--all", "-f", "json"]).ok().json();
    let rescues: Vec<&Value> = all.as_array().unwrap().iter().filter(|a| a["kind"] == "rescue").collect();
    assert!(rescues.len() >= 10, "{}", rescues.len());
    for r in &rescues {
        let (mrr, risk, loss) = (
            r["mrr"].as_f64().unwrap_or(0.0),
            r["risk"].as_f64().unwrap(),
            r["expected_loss"].as_f64().unwrap(),
        );
        assert!((loss - (mrr * risk / 100.0 * 100.0).round() / 100.0).abs() < 0.006, "{r}");
        let why = r["why"].as_str().unwrap();
        if why.contains("payment failed") && !why.contains("(health") {
            assert!(why.contains("customers with a failed payment left within 90 days here"), "{why}");
        }
    }
    let named =
        rescues.iter().filter(|r| r["why"].as_str().unwrap().contains("left within 90 days here")).count();
    assert!(named * 2 >= rescues.len(), "most rescues name their evidence: {named} of {}", rescues.len());
    for p in rescues.windows(2) {
        let key = |a: &Value| {
            (
                -(a["expected_loss"].as_f64().unwrap() * 100.0).round() as i64,
                -(a["risk"].as_f64().unwrap() * 1e6).round() as i64,
            )
        };
        assert!(key(p[0]) <= key(p[1]), "{} before {}", p[0]["id"], p[1]["id"]);
        if key(p[0]) == key(p[1]) {
            assert!(p[0]["customer_id"].as_str() < p[1]["customer_id"].as_str());
        }
    }
    // A failed payment outranks a mere usage dip of the same MRR.
    let first_payment = rescues.iter().position(|r| r["why"].as_str().unwrap().contains("payment failed"));
    assert!(first_payment.is_some_and(|i| i < 10), "a failed payment is in the first ten rescues");
}

/// No upsell to an unhappy customer: on the realistic book, no `expand`
/// goes to a customer who, in the last 90 days, answered NPS ≤ 6, had a
/// failed or late invoice, or has a ticket still unanswered — checked
/// against the CSV files themselves.
#[test]
fn no_expand_to_a_customer_with_an_unhappy_fact_in_90_days() {
    let w = Work::new();
    crate::book::book(&w);
    let since = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap() - chrono::Days::new(89);
    let read = |f: &str| std::fs::read_to_string(w.path(f)).unwrap();
    let recent = |d: &str| chrono::NaiveDate::parse_from_str(&d[..10], "%Y-%m-%d").unwrap() >= since;
    let mut unhappy = std::collections::HashSet::new();
    for l in read("nps.csv").lines().skip(1) {
        let c: Vec<&str> = l.split(',').collect();
        if recent(c[1]) && c[2].parse::<i64>().unwrap() <= 6 {
            unhappy.insert(c[0].to_string());
        }
    }
    for l in read("billing.csv").lines().skip(1) {
        let c: Vec<&str> = l.split(',').collect();
        if recent(c[1]) && matches!(c[3], "failed" | "late") {
            unhappy.insert(c[0].to_string());
        }
    }
    for l in read("tickets.csv").lines().skip(1) {
        let c: Vec<&str> = l.split(',').collect();
        if recent(c[4]) {
            unhappy.insert(c[1].to_string()); // the book's tickets are never answered
        }
    }
    assert!(unhappy.len() > 20, "the book has unhappy customers: {}", unhappy.len());
    let all = w.run(&["today", "--all", "-f", "json"]).ok().json();
    let expands: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "expand")
        .map(|a| a["customer_id"].as_str().unwrap())
        .collect();
    assert!(!expands.is_empty(), "the book has customers to pitch");
    for id in &expands {
        assert!(!unhappy.contains(*id), "{id} is unhappy and pitched");
    }
}

/// A simulated week on the realistic book: every rescue of the first
/// morning is done; on each of the next eight mornings, a customer comes
/// back to rescue only with a reason it did not have (a new sign or a worse
/// band), never on the same evidence.
#[test]
fn a_week_of_done_leaves_no_customer_back_on_the_same_evidence() {
    let w = Work::new();
    crate::book::book(&w);
    let reasons = |why: &str| -> std::collections::BTreeSet<&'static str> {
        [
            "usage-drop:",
            "support-spike:",
            "negative-feedback:",
            "payment-failure:",
            "feature-requests:",
            "critical (",
            "at-risk (",
        ]
        .into_iter()
        .filter(|k| why.contains(k))
        .collect()
    };
    let day0 = "2026-11-20T09:00:00Z";
    let first = w.run_at(day0, &["today", "--all", "-f", "json"]).ok().json();
    let rescues: Vec<(String, String)> = first
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "rescue")
        .map(|a| (a["customer_id"].as_str().unwrap().to_string(), a["why"].as_str().unwrap().to_string()))
        .collect();
    assert!(rescues.len() >= 10);
    let mut args = vec!["-q", "done"];
    let ids: Vec<String> = rescues.iter().map(|(c, _)| format!("rescue-{c}")).collect();
    args.extend(ids.iter().map(String::as_str));
    w.run_at(day0, &args).ok();
    for day in 21..=28 {
        let now = format!("2026-11-{day}T09:00:00Z");
        let j = w.run_at(&now, &["today", "--all", "-f", "json"]).ok().json();
        for a in j.as_array().unwrap().iter().filter(|a| a["kind"] == "rescue") {
            let id = a["customer_id"].as_str().unwrap();
            if let Some((_, before)) = rescues.iter().find(|(c, _)| c == id) {
                let (then, now_r) = (reasons(before), reasons(a["why"].as_str().unwrap()));
                assert!(
                    !now_r.is_subset(&then),
                    "{id} is back on {now} on the same evidence: {} (was {before})",
                    a["why"]
                );
            }
        }
    }
}
