//! `csf report metrics | plan` (SPEC §9): snapshots on a fixed dataset,
//! hand-computed metrics, valid markdown whatever the data.

use crate::common::Work;

/// The example data (`csf init --example`) as of the fixed NOW, scored.
fn example() -> Work {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    w
}

/// Every table in the markdown is well formed: the same number of cells
/// (unescaped pipes) on each of its lines, and a separator line second.
fn assert_valid_tables(md: &str) {
    let cells = |l: &str| {
        let b = l.as_bytes();
        (0..b.len()).filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\')).count()
    };
    let mut block: Vec<&str> = Vec::new();
    for line in md.lines().chain(std::iter::once("")) {
        if line.starts_with('|') {
            block.push(line);
            continue;
        }
        if !block.is_empty() {
            let n = cells(block[0]);
            assert!(
                block.len() >= 2 && block[1].starts_with("|-"),
                "table without separator:\n{}",
                block.join("\n")
            );
            for l in &block {
                assert_eq!(cells(l), n, "ragged table row {l:?} in:\n{}", block.join("\n"));
            }
            block.clear();
        }
    }
}

#[test]
fn plan_markdown_snapshot() {
    let w = example();
    let r = w.run(&["report", "plan"]).ok();
    assert_valid_tables(&r.stdout);
    insta::assert_snapshot!("plan_markdown", r.stdout);
    insta::assert_snapshot!("plan_markdown_stderr", r.stderr);
}

#[test]
fn plan_begins_with_the_framework_format() {
    let w = example();
    let r = w.run(&["report", "plan"]).ok();
    let head: Vec<&str> = r.stdout.lines().take(5).collect();
    assert_eq!(
        head,
        [
            "## Customer Success Plan",
            "",
            "### Current State",
            "| Metric | Value | Target | Status |",
            "|--------|-------|--------|--------|"
        ]
    );
    let order: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("### ")).collect();
    assert_eq!(
        order,
        [
            "### Current State",
            "### Top Issues",
            "### Improvements",
            "### Documentation Needed",
            "### Customer Health",
            "### Churn Risks",
            "### Onboarding",
            "### Support Scaling",
            "### Tracking Cadence"
        ]
    );
}

#[test]
fn plan_with_mermaid_charts_and_sections() {
    let w = example();
    let r = w.run(&["report", "plan", "--sections", "health,churn-risks", "--charts", "mermaid"]).ok();
    assert!(r.stdout.contains("```mermaid\npie title Customer health\n"), "{}", r.stdout);
    assert!(r.stdout.contains("```mermaid\nxychart-beta\n"), "{}", r.stdout);
    assert!(!r.stdout.contains("### Current State"));
    let before = w.dump();
    let r = w.run(&["report", "plan", "--sections", "health,gossip"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: --sections: unknown section \"gossip\"; the sections are current-state, top-issues, improvements, documentation, health, churn-risks, onboarding, support-scaling, cadence\n"
    );
    assert_eq!(w.dump(), before);
}

#[test]
fn metrics_snapshots_in_every_format() {
    let w = example();
    let table = w.run(&["report", "metrics"]).ok();
    assert!(!table.stdout.contains('\x1b'));
    insta::assert_snapshot!("metrics_table", table.stdout);
    let md = w.run(&["report", "metrics", "-f", "markdown"]).ok();
    assert_valid_tables(&md.stdout);
    insta::assert_snapshot!("metrics_markdown", md.stdout);
    let json = w.run(&["report", "metrics", "-f", "json"]).ok();
    insta::assert_snapshot!("metrics_json", json.stdout);
}

/// Tickets on 2026-11-18 (chat, answered after 30 min, resolved after 2 h,
/// CSAT 5) and 2026-11-19 (email, answered after 5.5 h, resolved after 26 h,
/// CSAT 3): first response (0.5 + 5.5) / 2 = 3.0 h, resolution (2 + 26) / 2 =
/// 14.0 h, CSAT 1 of 2 = 50%. NPS 10, 9, 7, 3 → 50% − 25% = 25. Churn: 4
/// active at the start, 1 churned → 25%. Load: 2 tickets / 3 users = 66.7%.
#[test]
fn metrics_match_hand_computed_values() {
    let w = Work::new();
    let files = [
        ("customers", "id,signed_up_at,churned_at\na,2026-01-01,\nb,2026-01-01,\nc,2026-01-01,\nd,2026-01-01,2026-11-05\n"),
        ("usage", "customer,timestamp,event\na,2026-11-10,x\nb,2026-11-11,x\nc,2026-11-12,x\n"),
        ("tickets", "id,customer,channel,created_at,first_response_at,resolved_at,csat\n\
            1,a,chat,2026-11-18T10:00:00Z,2026-11-18T10:30:00Z,2026-11-18T12:00:00Z,5\n\
            2,b,email,2026-11-19T08:00:00Z,2026-11-19T13:30:00Z,2026-11-20T10:00:00Z,3\n"),
        ("nps", "customer,responded_at,score\na,2026-11-01,10\nb,2026-11-02,9\nc,2026-11-03,7\nd,2026-11-04,3\n"),
    ];
    for (kind, csv) in files {
        w.file(&format!("{kind}.csv"), csv);
        w.run(&["-q", "import", kind, &format!("{kind}.csv")]).ok();
    }
    let j = w.run(&["report", "metrics", "-f", "json"]).ok().json();
    let got: Vec<(String, serde_json::Value, String)> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (m["metric"].as_str().unwrap().into(), m["value"].clone(), m["status"].as_str().unwrap().into())
        })
        .collect();
    let v = |x: f64| serde_json::json!(x);
    assert_eq!(
        got,
        [
            ("first_response_time".into(), v(3.0), "green".into()),
            ("resolution_time".into(), v(14.0), "green".into()),
            ("csat".into(), v(50.0), "red".into()),
            ("churn_rate".into(), v(25.0), "red".into()),
            ("nps".into(), v(25.0), "red".into()),
            ("support_load".into(), v(66.7), "red".into()),
        ]
    );
    let keys: Vec<&String> = j[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["metric", "value", "unit", "target", "status"]);
}

#[test]
fn names_with_pipes_and_newlines_keep_the_markdown_valid() {
    let w = Work::new();
    w.file("customers.csv", "id,name,signed_up_at\nx,\"Pipe | Corp\nLine two *bold*\",2026-01-01\n");
    w.run(&["-q", "import", "customers", "customers.csv"]).ok();
    w.file(
        "tickets.csv",
        "id,customer,category,created_at\n1,x,a|b_#cat,2026-11-19\n2,x,a|b_#cat,2026-11-19\n3,x,a|b_#cat,2026-11-19\n",
    );
    w.run(&["-q", "import", "tickets", "tickets.csv"]).ok();
    w.file("nps.csv", "customer,responded_at,score\nx,2026-11-19,2\n");
    w.run(&["-q", "import", "nps", "nps.csv"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    let r = w.run(&["report", "plan"]).ok();
    assert_valid_tables(&r.stdout);
    assert!(r.stdout.contains("Pipe \\| Corp<br>Line two \\*bold\\*"), "{}", r.stdout);
    assert!(r.stdout.contains("1. a\\|b\\_\\#cat: 3 tickets (100%)"), "{}", r.stdout);
}

#[test]
fn an_empty_database_gives_a_valid_plan_with_every_metric_na() {
    let w = Work::new();
    let j = w.run(&["report", "metrics", "-f", "json"]).ok().json();
    for m in j.as_array().unwrap() {
        assert!(m["value"].is_null(), "{m}");
        assert_eq!(m["status"], "n/a");
    }
    let r = w.run(&["report", "plan"]).ok();
    assert_valid_tables(&r.stdout);
    assert!(r.stdout.contains("| CSAT | n/a | > 90% | ⚪ |"), "{}", r.stdout);
    assert!(r.stdout.contains("No tickets in the last 30 days."));
    assert!(r.stdout.contains("Health scores have never been computed"));
    insta::assert_snapshot!("plan_empty", r.stdout);
}
