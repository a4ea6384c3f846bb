//! `csf health` (docs/health.md) and the stage (docs/schema.md), on hand-computed data.

use crate::common::{Work, NOW};

/// Today is 2026-11-20 (NOW). The 28-day window starts 2026-10-24; blocks:
/// 10-24..10-30, 10-31..11-06, 11-07..11-13, 11-14..11-20.
/// Core features (derived): alerts, export, reports (login is ignored).
///
/// a: all four blocks eligible, active in two → U 50; reports + export of 3
///    → E 66.67; NPS 8 → 80 and CSAT 3 → 50 → S 65; late after paid → P 0.
///    (40·50 + 30·66.67 + 20·65 + 10·0) / 100 = 53 → at-risk.
/// b: signed up 2026-11-18: one eligible block, active → U 100; 1 of 3 → E 33.33;
///    S 50; P 100 → (4000 + 1000 + 1000 + 1000) / 100 = 70 → neutral.
/// c: churned 2026-11-01, d: signs up in December — neither is scored.
fn dataset() -> Work {
    let w = Work::new();
    let files = [
        ("customers", "id,name,signed_up_at,churned_at\na,Alpha,2026-10-01,\nb,Beta,2026-11-18T09:00:00Z,\nc,Gamma,2026-01-01,2026-11-01\nd,Delta,2026-12-01,\n"),
        ("usage", "customer,timestamp,event\na,2026-11-15T10:00:00Z,reports\na,2026-11-10T10:00:00Z,export\na,2026-11-19T08:00:00Z,login\nb,2026-11-19T10:00:00Z,alerts\nc,2026-10-20,reports\n"),
        ("nps", "customer,responded_at,score\na,2026-11-01,8\n"),
        ("tickets", "id,customer,created_at,first_response_at,resolved_at,csat\n1,a,2026-11-09,2026-11-09T01:00:00Z,2026-11-10,3\n"),
        ("billing", "customer,date,amount,status\na,2026-10-01,49,paid\na,2026-11-01,49,late\n"),
    ];
    for (kind, csv) in files {
        w.file(&format!("{kind}.csv"), csv);
        w.run(&["-q", "import", kind, &format!("{kind}.csv")]).ok();
    }
    w
}

#[test]
fn scores_match_the_hand_computed_ones() {
    let w = dataset();
    let r = w.run(&["health", "score"]).ok();
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "Scored 2 customers for 2026-11-20: 0 healthy, 1 neutral, 1 at-risk, 0 critical\n\
         Measured the evidence over 12 cutoffs (`csf health evidence` shows it).\n"
    );
    let j = w.run(&["health", "list", "-f", "json"]).ok().json();
    assert_eq!(
        j,
        serde_json::json!([
            {"customer_id": "a", "name": "Alpha", "score": 53, "status": "at-risk", "usage": 50.0,
             "engagement": 200.0 / 3.0, "satisfaction": 65.0, "payment": 0.0, "change_7d": null, "scored_on": "2026-11-20", "mrr": null, "new": false},
            {"customer_id": "b", "name": "Beta", "score": 70, "status": "neutral", "usage": 100.0,
             "engagement": 100.0 / 3.0, "satisfaction": 50.0, "payment": 100.0, "change_7d": null, "scored_on": "2026-11-20", "mrr": null, "new": true},
        ])
    );
    // the JSON field order is the documented interface
    let keys: Vec<&String> = j[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "customer_id",
            "name",
            "score",
            "status",
            "usage",
            "engagement",
            "satisfaction",
            "payment",
            "change_7d",
            "scored_on",
            "mrr",
            "new"
        ]
    );
}

#[test]
fn rerun_same_day_replaces_next_day_adds() {
    let w = dataset();
    w.run(&["health", "score"]).ok();
    w.run_at("2026-11-20T23:00:00Z", &["health", "score"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM health_snapshots"), 2);
    assert_eq!(w.count("SELECT count(DISTINCT computed_at) FROM health_snapshots"), 1);
    w.run_at("2026-11-21T06:00:00Z", &["health", "score"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM health_snapshots"), 4);
    // change_7d compares with the latest snapshot at least 7 days older
    w.run_at("2026-11-28T06:00:00Z", &["health", "score"]).ok();
    let j = w.run_at("2026-11-28T07:00:00Z", &["health", "list", "-f", "json", "--sort", "name"]).ok().json();
    let a = &j[0];
    assert_eq!(a["customer_id"], "a");
    assert_eq!(a["scored_on"], "2026-11-28");
    let before: i64 = w.count("SELECT score FROM health_snapshots h JOIN customers c USING (cid) WHERE c.id = 'a' AND day = '2026-11-21'");
    assert_eq!(a["change_7d"], a["score"].as_i64().unwrap() - before);
}

#[test]
fn the_past_is_reproduced_exactly() {
    let w = dataset();
    // As of 2026-11-12 (end of day): alerts is not seen yet, so the core
    // features are export and reports (c used it on 10-20). a: U 25 (block
    // 11-06..11-12), E 50 (export), S 65, P 0 → (1000 + 1500 + 1300) / 100 = 38.
    // b has not signed up yet.
    w.run_at("2026-11-12", &["health", "score"]).ok();
    let j = w.run_at("2026-11-12", &["health", "list", "-f", "json"]).ok().json();
    assert_eq!(j.as_array().unwrap().len(), 1);
    assert_eq!(j[0]["usage"], 25.0);
    assert_eq!(j[0]["engagement"], 50.0);
    assert_eq!(j[0]["score"], 38);
    assert_eq!(j[0]["status"], "critical");
    assert_eq!(j[0]["scored_on"], "2026-11-12");
}

#[test]
fn fail_on_exits_3_after_storing() {
    let w = dataset();
    let r = w.run(&["health", "score", "--fail-on", "at-risk"]).fails(3);
    assert_eq!(
        r.stderr.lines().last().unwrap(),
        "alert: 1 customer is at-risk or worse; `csf health alerts` lists them"
    );
    assert_eq!(w.count("SELECT count(*) FROM health_snapshots"), 2);
    let r = w.run(&["health", "score", "--fail-on", "critical"]).ok();
    assert!(r.stderr.starts_with("Scored 2 customers"));
    w.run(&["-q", "config", "set", "health.weights", "100,0,0,0"]).ok();
    // a: U 50 → at-risk; b: U 100 → healthy
    let r = w.run(&["-q", "health", "score", "--fail-on", "critical"]).ok();
    assert_eq!(r.stderr, "");
    w.run(&["-q", "config", "set", "health.weights", "0,0,0,100"]).ok();
    let r = w.run(&["-q", "health", "score", "--fail-on", "critical"]).fails(3);
    assert_eq!(r.stderr, "", "--quiet hides the alert line; the exit code says it");
}

#[test]
fn show_breaks_the_score_down() {
    let w = dataset();
    w.run(&["health", "score"]).ok();
    let j = w.run(&["health", "show", "a", "-f", "json"]).ok().json();
    assert_eq!(j["score"], 53);
    assert_eq!(j["action"], "Proactive outreach");
    // Full precision: the component unrounded, its contribution value × weight / 100.
    let e = &j["components"][1];
    assert_eq!((e["component"].as_str(), e["weight"].as_i64()), (Some("engagement"), Some(30)));
    assert!((e["value"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9, "{e}");
    assert!((e["contribution"].as_f64().unwrap() - 20.0).abs() < 1e-9, "{e}");
    assert_eq!(j["weights"], serde_json::json!([40, 30, 20, 10]));
    assert_eq!(j["computed"], "live");
    let signals: Vec<(&str, &str)> = j["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["signal"].as_str().unwrap(), s["label"].as_str().unwrap()))
        .collect();
    assert_eq!(
        signals,
        [
            ("login", "Weekly+"),
            ("features", "Core features"),
            ("tickets", "Low, resolved"),
            ("nps", "Passive"),
            ("payment", "Late")
        ]
    );
    assert_eq!(j["trend"][0]["score"], 53);
    let r = w.run(&["health", "show", "a"]).ok();
    assert!(r.stdout.starts_with("Alpha (a) — health 53 at-risk: Proactive outreach\n"), "{}", r.stdout);
    assert!(r.stdout.contains("Trend (1 snapshot, "), "{}", r.stdout);
    assert!(!r.stdout.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn unknown_customer_is_a_clear_error() {
    let w = dataset();
    let r = w.run(&["health", "show", "zzz"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: no customer with id or email \"zzz\"; `csf customer list` shows the customers\n"
    );
}

#[test]
fn alerts_group_by_band_with_the_action() {
    let w = dataset();
    // Beta signed up two days ago: new customers are in no alert (docs/today.md); a 1-day grace shows it.
    let j = w.run(&["health", "alerts", "-f", "json"]).ok().json();
    assert!(j.as_array().unwrap().iter().all(|a| a["customer_id"] != "b"), "{j}");
    w.run(&["-q", "config", "set", "health.grace_days", "1"]).ok();
    w.run(&["health", "score"]).ok();
    let j = w.run(&["health", "alerts", "-f", "json"]).ok().json();
    assert_eq!(j[0]["status"], "at-risk");
    assert_eq!(j[0]["action"], "Proactive outreach");
    assert_eq!(j[1]["status"], "neutral");
    let j = w.run(&["health", "alerts", "--status", "neutral", "-f", "json"]).ok().json();
    assert_eq!(j.as_array().unwrap().len(), 1);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let w = dataset();
    w.run(&["health", "score"]).ok();
    let r = w.run(&["--color", "always", "health", "list"]).ok();
    assert!(r.stdout.contains("\x1b[3"), "{}", r.stdout);
    let r = w.run(&["health", "list"]).ok();
    assert!(!r.stdout.contains('\x1b'));
}

#[test]
fn customer_stage_and_goal() {
    let w = dataset();
    w.run(&["health", "score"]).ok();
    let j = w.run(&["customer", "list", "-f", "json"]).ok().json();
    let stage: Vec<(&str, &str, &str)> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["customer_id"].as_str().unwrap(), c["stage"].as_str().unwrap(), c["goal"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        stage,
        [
            ("a", "adoption", "Regular usage established"),
            ("b", "adoption", "Regular usage established"),
            ("c", "churned", "Win back"),
            ("d", "onboarding", "First value achieved"),
        ]
    );
    let j = w.run(&["customer", "list", "--stage", "churned", "-f", "json"]).ok().json();
    assert_eq!(j.as_array().unwrap().len(), 1);
    let j = w.run(&["customer", "show", "a", "-f", "json"]).ok().json();
    assert_eq!(j["stage"], "adoption");
    assert_eq!(j["health"]["score"], 53);
    assert_eq!(j["latest_nps"]["score"], 8);
    assert_eq!(j["billing"]["status"], "late");
    assert_eq!(j["open_tickets"].as_array().unwrap().len(), 0);
    assert_eq!(j["recent_activity"][0]["event"], "login");
    assert_eq!(NOW, "2026-11-20T12:00:00Z");
}

/// Weights are labelled wherever shown.
#[test]
fn health_show_labels_the_weights() {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    let t = w.run(&["health", "show", "acme"]).ok().stdout;
    assert!(t.contains("with weights usage 40, engagement 30, satisfaction 20, payment 10;"), "{t}");
    assert!(t.contains("weights usage 40, engagement 30, satisfaction 20, payment 10\n"), "{t}");
}
