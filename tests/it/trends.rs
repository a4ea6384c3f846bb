//! `csf report trends` (SPEC §14.1) and revenue (§14.2): three months of
//! tickets, NPS, churn and health snapshots with values computed by hand.

use serde_json::{json, Value};

use crate::common::Work;

/// NOW is 2026-11-20T12:00:00Z; `--periods 4` shows 2026-08 (no data),
/// 2026-09, 2026-10 and 2026-11 (partial, up to now).
///
/// Customers (MRR): a 100, b 200, c none (churned 2026-10-15), d 300
/// (churned 2026-09-10), e 400, all signed up 2026-01-01; f none, signed up
/// 2026-11-05.
fn scenario() -> Work {
    let w = Work::new();
    let files = [
        (
            "customers",
            "id,name,mrr,signed_up_at,churned_at\n\
             a,Alpha,100,2026-01-01,\n\
             b,Beta,200,2026-01-01,\n\
             c,Gamma,,2026-01-01,2026-10-15T10:00:00Z\n\
             d,Delta,300,2026-01-01,2026-09-10T10:00:00Z\n\
             e,Epsilon,400,2026-01-01,\n\
             f,Phi,,2026-11-05,\n",
        ),
        (
            "usage",
            "customer,timestamp,event\n\
             a,2026-09-03,x\nb,2026-09-04,x\n\
             a,2026-10-03,x\nb,2026-10-04,x\ne,2026-10-05,x\n\
             a,2026-11-03,x\nb,2026-11-04,x\ne,2026-11-05,x\n",
        ),
        (
            "tickets",
            "id,customer,created_at,first_response_at,resolved_at,csat\n\
             1,a,2026-09-05T10:00:00Z,2026-09-05T12:00:00Z,2026-09-06T10:00:00Z,5\n\
             2,b,2026-09-10T00:00:00Z,2026-09-10T06:00:00Z,2026-09-10T12:00:00Z,3\n\
             3,a,2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,2026-10-01T03:00:00Z,4\n\
             4,e,2026-11-02T00:00:00Z,2026-11-02T09:00:00Z,,\n\
             5,b,2026-11-03T00:00:00Z,2026-11-03T03:00:00Z,,\n",
        ),
        (
            "nps",
            "customer,responded_at,score\n\
             a,2026-09-12,10\nb,2026-09-13,9\ne,2026-09-14,3\n\
             a,2026-10-12,10\n\
             e,2026-11-12,5\nb,2026-11-13,6\n",
        ),
    ];
    for (kind, csv) in files {
        w.file(&format!("{kind}.csv"), csv);
        w.run(&["-q", "import", kind, &format!("{kind}.csv")]).ok();
    }
    // Snapshots by hand (score → band): the band counts and MRR at risk
    // per period then follow from the rule alone.
    let c = w.conn();
    for (id, day, score) in [
        ("a", "2026-09-15", 85),
        ("a", "2026-10-20", 45),
        ("a", "2026-11-20", 30),
        ("b", "2026-09-15", 50),
        ("b", "2026-11-10", 70),
        ("c", "2026-09-20", 35),
        ("d", "2026-09-01", 10),
        ("e", "2026-10-05", 20),
        ("f", "2026-11-19", 40),
    ] {
        c.execute(
            "INSERT INTO health_snapshots (cid, day, usage, engagement, satisfaction, payment, score, status, computed_at, weights)
             SELECT cid, ?2, 0, 0, 0, 0, ?3, '', 0, '40,30,20,10' FROM customers WHERE id = ?1",
            rusqlite::params![id, day, score],
        )
        .unwrap();
    }
    w
}

/// (value, status) of `metric` per period, oldest first.
fn series(j: &Value, metric: &str) -> Vec<(Value, Value)> {
    j.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["metric"] == metric)
        .map(|r| (r["value"].clone(), r["status"].clone()))
        .collect()
}

fn na() -> (Value, Value) {
    (Value::Null, json!("n/a"))
}

fn v(x: f64, s: &str) -> (Value, Value) {
    (json!(x), json!(s))
}

fn count(n: i64) -> (Value, Value) {
    (json!(n), Value::Null)
}

#[test]
fn three_months_by_hand_and_a_month_without_data_is_null() {
    let w = scenario();
    let j = w.run(&["report", "trends", "--periods", "4", "-f", "json"]).ok().json();
    let keys: Vec<&String> = j[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["metric", "period_start", "value", "unit", "target", "status"]);
    let starts: Vec<&str> =
        j.as_array().unwrap().iter().take(4).map(|r| r["period_start"].as_str().unwrap()).collect();
    assert_eq!(starts, ["2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"]);

    // First response. Sep: tickets 1 (2 h) and 2 (6 h) → 4.0, exactly on
    // "< 4 hours": yellow. Oct: ticket 3, 1 h. Nov: tickets 4 (9 h) and 5
    // (3 h) → 6.0, 50% over: red. Aug: no tickets → null, not 0.
    assert_eq!(series(&j, "first_response_time"), [na(), v(4.0, "yellow"), v(1.0, "green"), v(6.0, "red")]);
    // Resolution. Sep: 1 (24 h) and 2 (12 h) → 18. Oct: 3 h. Nov: none resolved.
    assert_eq!(series(&j, "resolution_time"), [na(), v(18.0, "green"), v(3.0, "green"), na()]);
    // CSAT. Sep: 5 and 3 → 1 of 2 = 50% (red). Oct: 4 → 100%. Nov: no ratings.
    assert_eq!(series(&j, "csat"), [na(), v(50.0, "red"), v(100.0, "green"), na()]);
    // Churn. Aug: a..e active, none churned → 0% (a measured 0). Sep: 5
    // active, d churned → 20%. Oct: a, b, c, e active, c churned → 25%.
    // Nov: a, b, e (f signed up in it) → 0%.
    assert_eq!(series(&j, "churn_rate"), [v(0.0, "green"), v(20.0, "red"), v(25.0, "red"), v(0.0, "green")]);
    // NPS. Sep: 10, 9, 3 → (2 − 1) / 3 = 33.3 (within 25% of 40: yellow).
    // Oct: 10 → 100. Nov: 5, 6 → −100. Aug: none.
    assert_eq!(series(&j, "nps"), [na(), v(100.0 / 3.0, "yellow"), v(100.0, "green"), v(-100.0, "red")]);
    // Support load. Sep: 2 tickets / 2 users (a, b) = 100%. Oct: 1 / 3 (a,
    // b, e). Nov: 2 / 3. Aug: no users → null.
    assert_eq!(
        series(&j, "support_load"),
        [na(), v(100.0, "red"), v(100.0 / 3.0, "red"), v(200.0 / 3.0, "red")]
    );
    // Revenue churn. Sep: active MRR 100 + 200 + 0 + 300 + 400 = 1000, d's
    // 300 lost → 30%. Oct: 700 active, c churned without MRR (counted as 0)
    // → 0% while logo churn is 25%. Nov: 0 / 700.
    assert_eq!(
        series(&j, "revenue_churn"),
        [v(0.0, "green"), v(30.0, "red"), v(0.0, "green"), v(0.0, "green")]
    );
    // Bands from each customer's last snapshot in the period, active at its
    // end; an older snapshot is not carried over. Aug: none → null. Sep:
    // a 85, b 50, c 35 (d churned 09-10). Oct: a 45, e 20 (b has none in
    // October; c churned). Nov: a 30, b 70, f 40 (e has none in November).
    assert_eq!(series(&j, "healthy"), [na().0, json!(1), json!(0), json!(0)].map(|x| (x, Value::Null)));
    assert_eq!(series(&j, "neutral"), [(Value::Null, Value::Null), count(0), count(0), count(1)]);
    assert_eq!(series(&j, "at_risk"), [(Value::Null, Value::Null), count(1), count(1), count(1)]);
    assert_eq!(series(&j, "critical"), [(Value::Null, Value::Null), count(1), count(1), count(1)]);
    // MRR at risk. Sep: b 200 + c 0 = 200. Oct: a 100 + e 400 = 500.
    // Nov: a 100 + f 0 = 100.
    assert_eq!(
        series(&j, "mrr_at_risk"),
        [
            (Value::Null, Value::Null),
            (json!(200.0), Value::Null),
            (json!(500.0), Value::Null),
            (json!(100.0), Value::Null)
        ]
    );
    let units: Vec<&str> =
        j.as_array().unwrap().iter().step_by(4).map(|r| r["unit"].as_str().unwrap()).collect();
    assert_eq!(
        units,
        [
            "hours",
            "hours",
            "percent",
            "percent",
            "score",
            "percent",
            "percent",
            "customers",
            "customers",
            "customers",
            "customers",
            "currency"
        ]
    );

    // Table and markdown: a row per metric, a column per period, a sparkline.
    let md = w.run(&["report", "trends", "--periods", "4", "-f", "markdown"]).ok().stdout;
    assert!(
        md.starts_with(
            "| Metric | 2026-08 | 2026-09 | 2026-10 | 2026-11 | Trend |\n|---|---|---|---|---|---|\n"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "| Avg first response | n/a ⚪ | 4.0 hours (n=2) 🟡 | 1.0 hours (n=1) 🟢 | 6.0 hours (n=2) 🔴 | "
        ),
        "{md}"
    );
    assert!(md.contains("| MRR at risk | n/a | $200.00 | $500.00 | $100.00 |  ▃█▁ |"), "{md}");
    let table = w.run(&["report", "trends", "--periods", "4"]).ok().stdout;
    assert!(table.contains("Revenue churn"), "{table}");
    let csv = w.run(&["report", "trends", "--periods", "4", "-f", "csv"]).ok().stdout;
    assert!(
        csv.starts_with(
            "metric,period_start,value,unit,target,status\nfirst_response_time,2026-08-01,,hours,4,n/a\n"
        ),
        "{csv}"
    );
}

#[test]
fn iso_weeks_run_monday_to_sunday() {
    let w = scenario();
    let j = w.run(&["report", "trends", "--by", "week", "--periods", "3", "-f", "json"]).ok().json();
    let starts: Vec<&str> =
        j.as_array().unwrap().iter().take(3).map(|r| r["period_start"].as_str().unwrap()).collect();
    assert_eq!(starts, ["2026-11-02", "2026-11-09", "2026-11-16"]);
    // Week of 2026-11-02: tickets 4 (9 h) and 5 (3 h) → 6.0; later weeks none.
    assert_eq!(series(&j, "first_response_time"), [v(6.0, "red"), na(), na()]);
    // NPS of 2026-11-12 and 11-13 fall in the week of 11-09.
    assert_eq!(series(&j, "nps"), [na(), v(-100.0, "red"), na()]);
}

#[test]
fn mrr_in_health_views_and_at_risk_counts_a_customer_without_mrr_as_zero() {
    let w = scenario();
    let j = w.run(&["health", "list", "--sort", "mrr", "-f", "json"]).ok().json();
    let got: Vec<(&str, Value)> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["customer_id"].as_str().unwrap(), r["mrr"].clone()))
        .collect();
    assert_eq!(got, [("e", json!(400.0)), ("b", json!(200.0)), ("a", json!(100.0)), ("f", Value::Null)]);
    let alerts = w.run(&["health", "alerts", "-f", "json"]).ok().json();
    let at_risk_mrr: f64 = alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "at-risk" || r["status"] == "critical")
        .map(|r| r["mrr"].as_f64().unwrap_or(0.0))
        .sum();
    assert_eq!(at_risk_mrr, 500.0);
    let m = w.run(&["report", "metrics", "-f", "json"]).ok().json();
    let row = m.as_array().unwrap().iter().find(|r| r["metric"] == "mrr_at_risk").unwrap().clone();
    assert_eq!(row["value"], json!(500.0));
    let table = w.run(&["health", "list", "--sort", "mrr"]).ok().stdout;
    assert!(table.contains("$400.00"), "{table}");

    let plan = w.run(&["report", "plan", "--sections", "current-state,health"]).ok().stdout;
    assert!(
        plan.contains(
            "\nMRR at risk: $500.00 from 3 at-risk or critical customers (1 without MRR, counted as 0).\n"
        ),
        "{plan}"
    );
    // The last 30 days (from 2026-10-22): a, b, e active (700), none churned.
    assert!(plan.contains("\nRevenue churn: 0% (n=3) against a target of < 5% 🟢"), "{plan}");
}

#[test]
fn the_plan_keeps_the_framework_format_and_gains_trends() {
    let w = scenario();
    let r = w.run(&["report", "plan", "--charts", "mermaid"]).ok();
    let md = &r.stdout;
    assert!(
        md.starts_with("## Customer Success Plan\n\n### Current State\n| Metric | Value | Target | Status |\n|--------|-------|--------|--------|"),
        "{md}"
    );
    crate::reports::assert_valid_tables(md);
    let heads: Vec<&str> = md.lines().filter(|l| l.starts_with("### ")).collect();
    assert_eq!(
        heads[..6],
        [
            "### Current State",
            "### Top Issues",
            "### Improvements",
            "### Documentation Needed",
            "### Trends",
            "### Customer Health"
        ]
    );
    assert!(md.contains("| Metric | 2026-06 | 2026-07 | 2026-08 | 2026-09 | 2026-10 | 2026-11 |\n"), "{md}");
    assert!(md.contains("| Churn | 0% (n=5) 🟢 | 0% (n=5) 🟢 | 0% (n=5) 🟢 | 20% (n=5) 🔴 | 25% (n=4) 🔴 | 0% (n=3) 🟢 |\n"), "{md}");
    assert!(
        md.contains("| CSAT | n/a ⚪ | n/a ⚪ | n/a ⚪ | 50% (n=2) 🔴 | 100% (n=1) 🟢 | n/a ⚪ |\n"),
        "{md}"
    );
    assert!(
        md.contains(
            "```mermaid\nxychart-beta\n    title \"First response (hours) and churn (%) by month\"\n"
        ),
        "{md}"
    );
    assert!(
        md.contains("    line [0.0, 0.0, 0.0, 4.0, 1.0, 6.0]\n    line [0.0, 0.0, 0.0, 20.0, 25.0, 0.0]\n"),
        "{md}"
    );
    let only = w.run(&["report", "plan", "--sections", "trends"]).ok().stdout;
    let heads: Vec<&str> = only.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(heads, ["## Customer Success Plan", "### Trends"]);
    assert!(!only.contains("mermaid"));
}
