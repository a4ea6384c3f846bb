//! `csf onboarding` (docs/onboarding.md): due steps and a hand-computed funnel.

use crate::common::Work;

fn import(w: &Work, kind: &str, csv: &str) {
    w.file(&format!("{kind}.csv"), csv);
    w.run(&["-q", "import", kind, &format!("{kind}.csv")]).ok();
}

/// Today is 2026-11-20 (NOW = 12:00). Core features (derived): reports.
/// never: signed up 11-10 09:00, setup done, back on 11-11, never reaches value.
/// fast:  signed up 11-10 09:00, reports 3 minutes later → activated.
/// slow:  signed up 11-10 09:00, reports 8 days later → not activated.
/// today: signed up 11-20 08:00, reports 10 minutes later; not in D1.
/// TTFV median of 3, 10, 11520 minutes = 10; activation 2/4 = 50%;
/// setup 1/4 = 25%; D1 1/3 = 33.3%.
fn cohort() -> Work {
    let w = Work::new();
    import(
        &w,
        "customers",
        "id,signed_up_at\nnever,2026-11-10T09:00:00Z\nfast,2026-11-10T09:00:00Z\nslow,2026-11-10T09:00:00Z\ntoday,2026-11-20T08:00:00Z\nold,2025-01-01\n",
    );
    import(
        &w,
        "usage",
        "customer,timestamp,event\n\
         never,2026-11-10T09:01:00Z,setup_complete\nnever,2026-11-11T10:00:00Z,login\n\
         fast,2026-11-10T09:03:00Z,reports\n\
         slow,2026-11-18T09:00:00Z,reports\n\
         today,2026-11-20T08:10:00Z,reports\n",
    );
    w
}

#[test]
fn funnel_figures_are_the_hand_computed_ones() {
    let w = cohort();
    let j = w.run(&["onboarding", "funnel", "-f", "json"]).ok().json();
    assert_eq!(
        j,
        serde_json::json!([
            {"metric": "time_to_first_value", "value": 10.0, "unit": "minutes", "target": 5.0, "status": "red", "cohort_size": 4},
            {"metric": "activation_rate", "value": 50.0, "unit": "percent", "target": 40.0, "status": "green", "cohort_size": 4},
            {"metric": "setup_completion", "value": 25.0, "unit": "percent", "target": 60.0, "status": "red", "cohort_size": 4},
            {"metric": "d1_retention", "value": 100.0 / 3.0, "unit": "percent", "target": 30.0, "status": "green", "cohort_size": 4},
        ])
    );
    // a configured value event changes who reached value
    w.run(&["-q", "config", "set", "onboarding.value_event", "login"]).ok();
    let j = w.run(&["onboarding", "funnel", "-f", "json"]).ok().json();
    assert_eq!(j[0]["value"], 1500.0); // never: login a day and an hour later
                                       // an empty cohort is n/a, not an error
    let j = w.run(&["onboarding", "funnel", "--days", "1", "--now", "2026-12-31", "-f", "json"]).ok().json();
    assert!(j[1]["value"].is_null());
    assert_eq!(j[1]["status"], "n/a");
}

#[test]
fn funnel_by_signup_month() {
    let w = cohort();
    let j = w.run(&["onboarding", "funnel", "--days", "365", "--cohort", "month", "-f", "json"]).ok().json();
    let months: Vec<&str> = j.as_array().unwrap().iter().map(|r| r["month"].as_str().unwrap()).collect();
    assert_eq!(months, ["2026-11"], "old (2025-01) is outside the last 365 days");
    assert_eq!(j[0]["cohort_size"], 4);
    assert_eq!(j[0]["activation_rate"], 50.0);
}

#[test]
fn due_steps_over_the_first_four_weeks() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "new", "--signed-up", "2026-11-01T09:00:00Z"]).ok();
    let due = |day: i64| -> Option<String> {
        let at = format!("2026-11-{:02}T12:00:00Z", 1 + day);
        let at = if day >= 30 { "2026-12-01T12:00:00Z".to_string() } else { at };
        let j = w.run_at(&at, &["onboarding", "due", "-f", "json"]).ok().json();
        j.as_array().unwrap().first().map(|s| s["step"].as_str().unwrap().to_string())
    };
    let got: Vec<Option<String>> = [0, 2, 3, 21, 27, 28].iter().map(|d| due(*d)).collect();
    let want: Vec<Option<String>> = [
        Some("Welcome"),
        Some("Quick win"),
        Some("Tips"),
        Some("Upgrade/expand"),
        Some("Upgrade/expand"),
        None,
    ]
    .iter()
    .map(|s| s.map(String::from))
    .collect();
    assert_eq!(got, want);
    let j = w.run_at("2026-11-04T12:00:00Z", &["onboarding", "due", "-f", "json"]).ok().json();
    assert_eq!(
        j[0],
        serde_json::json!({"customer_id": "new", "name": null, "sequence": "onboarding", "day": 3, "step": "Tips",
            "message": "Help them go deeper", "started_on": "2026-11-01"})
    );
    w.run_at("2026-11-04T12:00:00Z", &["-q", "onboarding", "due", "--mark-done"]).ok();
    let j = w.run_at("2026-11-05T12:00:00Z", &["onboarding", "due", "-f", "json"]).ok().json();
    assert_eq!(j.as_array().unwrap().len(), 0);
}

#[test]
fn churned_customers_get_no_onboarding() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "gone", "--signed-up", "2026-11-15"]).ok();
    w.run(&["-q", "customer", "add", "stays", "--signed-up", "2026-11-15"]).ok();
    w.run(&["-q", "churn", "record", "gone", "--date", "2026-11-18"]).ok();
    let j = w.run(&["onboarding", "due", "-f", "json"]).ok().json();
    let ids: Vec<&str> = j.as_array().unwrap().iter().map(|r| r["customer_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["stays"]);
}
