//! `csf churn` (docs/churn.md): warning signs at their thresholds, the exit
//! interview, win-back steps and the monthly churn rate.

use crate::common::Work;

fn import(w: &Work, kind: &str, csv: &str) {
    w.file(&format!("{kind}.csv"), csv);
    w.run(&["-q", "import", kind, &format!("{kind}.csv"), "--create-missing"]).ok();
}

fn risk_pairs(w: &Work) -> Vec<(String, String)> {
    let j = w.run(&["churn", "risks", "-f", "json"]).ok().json();
    j.as_array()
        .unwrap()
        .iter()
        .map(|r| (r["customer_id"].as_str().unwrap().to_string(), r["signal"].as_str().unwrap().to_string()))
        .collect()
}

/// Today is 2026-11-20: the last 14 days are 11-07..11-20, the 14 before 10-24..11-06.
#[test]
fn usage_drop_at_and_just_past_the_threshold() {
    let w = Work::new();
    import(&w, "customers", "id,signed_up_at\nhalf,2026-01-01\nunder,2026-01-01\nfew,2026-01-01\n");
    import(
        &w,
        "usage",
        "customer,timestamp,event,count\n\
         half,2026-10-25,reports,4\nhalf,2026-11-10,reports,2\n\
         under,2026-11-06T23:59:59Z,reports,5\nunder,2026-11-07,reports,2\n\
         few,2026-10-30,reports,3\n",
    );
    // half: 2 vs 4 is exactly 50% — not a drop; under: 2 vs 5 is; few: 3 prior is under the minimum of 4
    assert_eq!(risk_pairs(&w), [("under".into(), "usage-drop".into())]);
    let j = w.run(&["churn", "risks", "-f", "json"]).ok().json();
    assert_eq!(
        j[0],
        serde_json::json!({"customer_id": "under", "name": null, "signal": "usage-drop",
            "detail": "activity 2 vs 5, \u{2212}60%", "response": "Re-engagement email", "evidence": null})
    );
    import(&w, "usage", "customer,timestamp,event,count\nfew,2026-10-31,export,1\n");
    assert!(risk_pairs(&w).contains(&("few".into(), "usage-drop".into())), "4 prior events is the minimum");
}

/// A critical customer silent for 35 days (last event 2026-10-16) with a
/// late invoice: no activity in the last 14 days after 5 in the 28 before
/// (10-09..11-06) — "went quiet". Silent 45 days (all before 10-09): too
/// long ago to be read as a drop.
#[test]
fn a_customer_silent_for_35_days_is_in_churn_risks_with_the_last_active_day() {
    let w = Work::new();
    import(
        &w,
        "customers",
        "id,name,signed_up_at
quiet,Quiet Co,2026-01-01
long,Long Gone,2026-01-01
",
    );
    import(
        &w,
        "usage",
        "customer,timestamp,event,count
         quiet,2026-10-12,reports,2
quiet,2026-10-16T15:00:00Z,export,3
         long,2026-10-06,reports,9
",
    );
    import(
        &w,
        "billing",
        "customer,date,amount,status
quiet,2026-11-01,49,late
",
    );
    w.run(&["-q", "health", "score"]).ok();
    let h = w.run(&["health", "list", "-f", "json"]).ok().json();
    assert_eq!(h[0]["customer_id"], "quiet");
    assert_eq!(h[0]["status"], "critical");
    let j = w.run(&["churn", "risks", "-f", "json"]).ok().json();
    assert_eq!(
        j,
        serde_json::json!([{"customer_id": "quiet", "name": "Quiet Co", "signal": "usage-drop",
            "detail": "went quiet: no activity in 14 days after 5 in the 28 before; last active 2026-10-16",
            "response": "Re-engagement email", "evidence": null}])
    );
    w.run(&["churn", "risks", "--fail-on", "any"]).fails(3);
}

#[test]
fn support_feedback_payment_and_feature_request_signs() {
    let w = Work::new();
    import(&w, "customers", "id,signed_up_at\na,2026-01-01\nb,2026-01-01\n");
    import(
        &w,
        "tickets",
        "id,customer,created_at,resolved_at,csat,category\n\
         1,a,2026-11-14T00:00:00Z,2026-11-15,,bug\n2,a,2026-11-16,2026-11-17,3,bug\n3,a,2026-11-20,,,feature-request\n\
         4,b,2026-11-13T23:59:59Z,2026-11-14,2,bug\n5,b,2026-11-15,,,feature-request\n",
    );
    import(&w, "nps", "customer,responded_at,score\na,2026-10-21,6\nb,2026-10-22,6\n");
    import(&w, "billing", "customer,date,amount,status\na,2026-11-01,10,paid\nb,2026-11-01,10,failed\n");
    let got = risk_pairs(&w);
    let want: Vec<(String, String)> = [
        ("a", "support-spike"),     // 3 tickets created 11-14..11-20
        ("a", "feature-requests"),  // #3 unresolved
        ("b", "negative-feedback"), // NPS 6 on 10-22 (day D-29) and CSAT 2 on 11-14
        ("b", "payment-failure"),
        ("b", "feature-requests"),
    ]
    .iter()
    .map(|(c, s)| (c.to_string(), s.to_string()))
    .collect();
    assert_eq!(got, want, "a's NPS on 10-21 is 31 days old, its CSAT is 3; b had 1 ticket in 7 days");
    // --signal filters, --fail-on any exits 3 after printing
    let r = w.run(&["churn", "risks", "--signal", "payment-failure", "--fail-on", "any"]).fails(3);
    assert!(r.stdout.contains("payment failed on 2026-11-01"), "{}", r.stdout);
    assert!(r.stderr.contains("alert: 1 churn risk(s)"), "{}", r.stderr);
    // a payment after the failure clears it
    import(&w, "billing", "customer,date,amount,status\nb,2026-11-10,10,paid\n");
    w.run(&["churn", "risks", "--signal", "payment-failure", "--fail-on", "any"]).ok();
}

#[test]
fn winback_due_steps_over_the_sequence() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "gone", "--signed-up", "2026-01-01"]).ok();
    w.run_at("2026-11-01T10:00:00Z", &["-q", "churn", "record", "gone", "--reason", "too-expensive"]).ok();
    let due = |day: u32| -> Option<i64> {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-01T12:00:00Z").unwrap()
            + chrono::Duration::days(day as i64);
        let j = w.run_at(&at.to_rfc3339(), &["churn", "winback", "-f", "json"]).ok().json();
        j.as_array().unwrap().first().map(|s| s["day"].as_i64().unwrap())
    };
    // Each step is due for 7 days (or until the next step); after that it is missed.
    let got: Vec<Option<i64>> =
        [0, 1, 6, 7, 13, 14, 20, 21, 30, 36, 37, 60, 66, 67, 90].iter().map(|d| due(*d)).collect();
    assert_eq!(
        got,
        [
            None,
            Some(1),
            Some(1),
            Some(7),
            Some(7),
            Some(14),
            Some(14),
            None,
            Some(30),
            Some(30),
            None,
            Some(60),
            Some(60),
            None,
            None
        ]
    );
    let j = w.run_at("2026-11-08T12:00:00Z", &["churn", "winback", "-f", "json"]).ok().json();
    assert_eq!(
        j[0],
        serde_json::json!({"customer_id": "gone", "name": null, "sequence": "winback", "day": 7, "step": "Email",
            "message": "Here's what you're missing...", "started_on": "2026-11-01"})
    );
    w.run_at("2026-11-08T12:00:00Z", &["-q", "churn", "winback", "--mark-done"]).ok();
    let j = w.run_at("2026-11-09T12:00:00Z", &["churn", "winback", "-f", "json"]).ok().json();
    assert_eq!(j.as_array().unwrap().len(), 0, "marked done: nothing due");
    let j = w.run_at("2026-11-15T12:00:00Z", &["churn", "winback", "-f", "json"]).ok().json();
    assert_eq!(j[0]["step"], "Personal");
}

#[test]
fn an_inactive_customer_who_comes_back_leaves_the_sequence() {
    let w = Work::new();
    import(&w, "customers", "id,signed_up_at\nquiet,2026-06-01\n");
    import(&w, "usage", "customer,timestamp,event\nquiet,2026-10-01T10:00:00Z,reports\n");
    // last event on 10-01: the 30th day without usage is 10-31, the start.
    let j = w.run(&["churn", "winback", "-f", "json"]).ok().json();
    assert_eq!(j[0]["started_on"], "2026-10-31");
    assert_eq!(j[0]["day"], 14);
    import(&w, "usage", "customer,timestamp,event\nquiet,2026-11-19T10:00:00Z,reports\n");
    let j = w.run(&["churn", "winback", "-f", "json"]).ok().json();
    assert_eq!(j.as_array().unwrap().len(), 0);
}

#[test]
fn churn_rate_with_mid_month_signups() {
    let w = Work::new();
    import(
        &w,
        "customers",
        "id,signed_up_at,churned_at\n\
         a,2026-09-15,\nb,2026-09-20,2026-10-10\nc,2026-10-05,2026-10-25\nd,2026-10-10,\ne,2026-09-01,2026-09-30\n\
         f,2026-08-01,\ng,2026-08-01,\nh,2026-08-01,\ni,2026-08-01,\nj,2026-08-01,\n",
    );
    let j = w.run(&["churn", "rate", "--months", "3", "-f", "json"]).ok().json();
    // October: active at 10-01 = a, b, f..j (7; e churned in September); b churned → 1/7 = 100.0 / 7.0 %.
    // c signed up and churned in October: a separate count. d joined mid-month: not in the base.
    let oct = &j[1];
    assert_eq!(oct["month"], "2026-10");
    assert_eq!(oct["active_at_start"], 7);
    assert_eq!(oct["churned"], 1);
    assert_eq!(oct["rate"], 100.0 / 7.0);
    assert_eq!(oct["same_month_churns"], 1);
    assert_eq!(oct["status"], "red");
    // September: active at 09-01 = f..j (5) and e? e signed up 09-01, not before it → 5; none of them churned.
    assert_eq!(j[0]["active_at_start"], 5);
    assert_eq!(j[0]["churned"], 0);
    assert_eq!(j[0]["status"], "green");
    let keys: Vec<&String> = j[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "month",
            "active_at_start",
            "churned",
            "rate",
            "same_month_churns",
            "target",
            "status",
            "mrr_at_start",
            "mrr_churned",
            "revenue_churn",
            "revenue_status"
        ]
    );
    // no active customers → n/a
    let j = w.run(&["churn", "rate", "--months", "6", "-f", "json"]).ok().json();
    assert!(j[0]["rate"].is_null());
    assert_eq!(j[0]["status"], "n/a");
}

#[test]
fn record_reasons_and_undo() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme", "--mrr", "100", "--signed-up", "2026-01-01"]).ok();
    w.run(&["-q", "customer", "add", "beta", "--mrr", "300", "--signed-up", "2026-01-01"]).ok();
    w.run(&[
        "churn",
        "record",
        "acme",
        "--reason",
        "too-expensive",
        "--better",
        "Cheaper seats",
        "--return",
        "maybe",
    ])
    .ok();
    w.run(&[
        "churn",
        "record",
        "beta",
        "--reason",
        "other",
        "--reason-other",
        "Company closed",
        "--date",
        "2026-11-10",
    ])
    .ok();
    let j = w.run(&["customer", "show", "acme", "-f", "json"]).ok().json();
    assert_eq!(j["stage"], "churned");
    let j = w.run(&["churn", "reasons", "-f", "json"]).ok().json();
    assert_eq!(j[0]["answer"], "other");
    assert_eq!(j[0]["mrr_share"], 75.0);
    assert_eq!(j[1]["answer"], "too-expensive");
    assert_eq!(j[1]["mrr_lost"], 100.0);
    // errors: already churned, other without text, unknown customer — nothing written
    let before = w.dump();
    let r = w.run(&["churn", "record", "acme"]).fails(1);
    assert_eq!(r.stderr, "error: customer \"acme\" already churned on 2026-11-20; `csf churn undo acme` first to record it again\n");
    w.run(&["-q", "customer", "add", "gamma"]).ok();
    let before2 = w.dump();
    let r = w.run(&["churn", "record", "gamma", "--reason", "other"]).fails(1);
    assert_eq!(r.stderr, "error: --reason other needs --reason-other TEXT (the reason in their words)\n");
    w.run(&["churn", "record", "gamma", "--reason", "bored"]).fails(2);
    assert_eq!(w.dump(), before2);
    assert_ne!(before, before2);
    // undo reactivates and keeps the churn (with its survey) in the history
    let r = w.run(&["churn", "undo", "acme"]).ok();
    assert_eq!(
        r.stderr,
        "acme is active again from 2026-11-20; the churn on 2026-11-20 stays in the history (--erase removes it)\n"
    );
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE id = 'acme' AND churned_at IS NULL"), 1);
    assert_eq!(w.count("SELECT count(*) FROM churn_records"), 2);
    let r = w.run(&["churn", "undo", "acme"]).fails(1);
    assert_eq!(r.stderr, "error: customer \"acme\" is not churned; nothing to undo\n");
    // churned customers are not scored
    w.run(&["-q", "health", "score"]).ok();
    assert_eq!(
        w.count("SELECT count(*) FROM health_snapshots h JOIN customers c USING (cid) WHERE c.id = 'beta'"),
        0
    );
}

/// The MRR share is the exact ratio of the cents (49.99 of 78.99 dollars),
/// not of amounts first divided into dollars (which rounds differently).
#[test]
fn the_mrr_share_of_a_reason_is_the_ratio_of_cents() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "a", "--mrr", "49.99", "--signed-up", "2026-01-01"]).ok();
    w.run(&["-q", "customer", "add", "b", "--mrr", "29.00", "--signed-up", "2026-01-01"]).ok();
    w.run(&["-q", "churn", "record", "a", "--reason", "too-expensive"]).ok();
    w.run(&["-q", "churn", "record", "b", "--reason", "no-longer-need"]).ok();
    let j = w.run(&["churn", "reasons", "-f", "json"]).ok().json();
    let share = |answer: &str| {
        j.as_array().unwrap().iter().find(|r| r["answer"] == answer).unwrap()["mrr_share"].as_f64().unwrap()
    };
    assert_eq!(share("too-expensive"), 4999.0 * 100.0 / 7899.0);
    assert_eq!(share("no-longer-need"), 2900.0 * 100.0 / 7899.0);
}

#[test]
fn survey_is_markdown() {
    let w = Work::new();
    w.run(&["init"]).ok();
    let r = w.run(&["churn", "survey"]).ok();
    assert!(r.stdout.starts_with("## Exit survey\n"));
    assert!(r.stdout.contains("- [ ] Too expensive (`too-expensive`)"));
    assert!(r.stdout.contains("Would you consider coming back?"));
}
