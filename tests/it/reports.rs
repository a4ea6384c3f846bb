//! `csf report metrics | plan` (docs/reports.md): snapshots on a fixed dataset,
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
pub fn assert_valid_tables(md: &str) {
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

/// The plan's backtest line with its figures masked: snapshots keep the
/// layout only; [`backtest_line_figures`] checks the figures.
fn mask_backtest(md: &str) -> String {
    md.lines()
        .map(|l| match l.strip_prefix("Backtest: the score foretold 90-day churn with AUC ") {
            Some(_) => "Backtest: the score foretold 90-day churn with AUC [auc] (lift [lift]×) over [n] samples — `csf health backtest`.".to_string(),
            None if l.starts_with("Verdict: ") => "Verdict: [verdict]".to_string(),
            None if l.starts_with("Evidence: ") => "Evidence: [evidence]".to_string(),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The backtest line of the plan: the AUC is `health backtest`'s, rounded;
/// the lift and the sample count are derived here from its band table
/// (lift = churn rate of at-risk + critical ÷ the overall churn rate).
#[test]
fn backtest_line_figures() {
    let w = example();
    let b = w.run(&["health", "backtest", "-f", "json"]).ok().json();
    let bands = b["bands"].as_array().unwrap();
    let sum = |f: &dyn Fn(&serde_json::Value) -> bool, k: &str| -> i64 {
        bands.iter().filter(|x| f(x)).map(|x| x[k].as_i64().unwrap()).sum()
    };
    let all = |_: &serde_json::Value| true;
    let risky = |x: &serde_json::Value| x["status"] == "at-risk" || x["status"] == "critical";
    let (n, churned) = (sum(&all, "samples"), sum(&all, "churned"));
    let lift = (sum(&risky, "churned") as f64 / sum(&risky, "samples") as f64) / (churned as f64 / n as f64);
    assert_eq!((n, churned), (b["samples"].as_i64().unwrap(), b["churned"].as_i64().unwrap()));
    let want = format!(
        "Backtest: the score foretold 90-day churn with AUC {:.2} (lift {lift:.1}×) over {n} samples — `csf health backtest`.",
        b["auc"].as_f64().unwrap()
    );
    for args in [
        &["report", "plan"][..],
        &["report", "plan", "--sections", "health,churn-risks", "--charts", "mermaid"],
    ] {
        let md = w.run(args).ok().stdout;
        assert_eq!(md.lines().filter(|l| **l == *want).count(), 1, "{args:?}: no line {want:?} in\n{md}");
    }
}

#[test]
fn plan_markdown_snapshot() {
    let w = example();
    let r = w.run(&["report", "plan"]).ok();
    assert_valid_tables(&r.stdout);
    insta::assert_snapshot!("plan_markdown", mask_backtest(&r.stdout));
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
            "### Trends",
            "### Customer Health",
            "### Revenue",
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
        "error: --sections: unknown section \"gossip\"; the sections are current-state, top-issues, improvements, documentation, trends, health, revenue, churn-risks, onboarding, support-scaling, cadence\n"
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
    import(&w, &files);
    let j = w.run(&["report", "metrics", "-f", "json"]).ok().json();
    assert_eq!(
        values(&j),
        want(&[
            ("first_response_time", 3.0, "green"),
            ("resolution_time", 14.0, "green"),
            ("csat", 50.0, "red"),
            ("churn_rate", 25.0, "red"),
            ("nps", 25.0, "red"),
            ("support_load", 200.0 / 3.0, "red"),
        ])
    );
    let keys: Vec<&String> = j[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["metric", "value", "unit", "target", "status"]);
}

#[test]
fn names_with_pipes_and_newlines_keep_the_markdown_valid() {
    let w = Work::new();
    w.file("customers.csv", "id,name,signed_up_at\nx,Pipe,2026-01-01\n");
    w.run(&["-q", "import", "customers", "customers.csv"]).ok();
    // A name with a line break is refused at entry now; an older file may hold one.
    w.conn()
        .execute("UPDATE customers SET name = 'Pipe | Corp\nLine two *bold*' WHERE id = 'x'", [])
        .unwrap();
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
    w.run(&["init"]).ok();
    let j = w.run(&["report", "metrics", "-f", "json"]).ok().json();
    for m in j.as_array().unwrap() {
        assert!(m["value"].is_null(), "{m}");
        assert!(m["status"] == "n/a" || m["target"].is_null(), "{m}");
    }
    let r = w.run(&["report", "plan"]).ok();
    assert_valid_tables(&r.stdout);
    assert!(r.stdout.contains("| CSAT | n/a | > 90% | ⚪ |"), "{}", r.stdout);
    assert!(r.stdout.contains("No tickets in the last 30 days."));
    assert!(r.stdout.contains("Health scores have never been computed"));
    insta::assert_snapshot!("plan_empty", r.stdout);
}

/// Imports `(kind, csv)` pairs in order.
fn import(w: &Work, files: &[(&str, &str)]) {
    for (kind, csv) in files {
        w.file(&format!("{kind}.csv"), csv);
        w.run(&["-q", "import", kind, &format!("{kind}.csv")]).ok();
    }
}

/// (metric, value, status) of each row of `report metrics -f json`.
/// The six framework metrics (the revenue figures follow them).
fn values(j: &serde_json::Value) -> Vec<(String, serde_json::Value, String)> {
    j.as_array()
        .unwrap()
        .iter()
        .take(6)
        .map(|m| {
            (m["metric"].as_str().unwrap().into(), m["value"].clone(), m["status"].as_str().unwrap().into())
        })
        .collect()
}

fn want(rows: &[(&str, f64, &str)]) -> Vec<(String, serde_json::Value, String)> {
    rows.iter().map(|(m, v, s)| (m.to_string(), serde_json::json!(v), s.to_string())).collect()
}

/// `--days 7` as of 2026-11-20T12:00:00Z is 2026-11-14T00:00:00Z .. now. On
/// each side of both edges, one row that counts and one that does not:
/// first response: ticket 1 only (2 h; ticket 2 was created a second early,
/// ticket 3 is answered after now) = 2.0. Resolution: tickets 1 (4 h) and 2
/// (24 h 1 s) = 14.0. CSAT: 5 and 2 = 50%. NPS: 10 and 8 of the period = 50.
/// Churn: active at the start a, b, c, d, f (e churned a second early, g
/// signed up later, f churns after now); d churned → 1 / 5 = 20%. Load:
/// tickets 1 and 3 / users a = 200%.
#[test]
fn the_period_is_the_last_n_days_today_included_and_the_future_is_ignored() {
    let w = Work::new();
    import(
        &w,
        &[
            (
                "customers",
                "id,signed_up_at,churned_at\na,2026-01-01,\nb,2026-01-01,\nc,2026-01-01,\n\
                 d,2026-01-01,2026-11-14T00:00:00Z\ne,2026-01-01,2026-11-13T23:59:59Z\n\
                 f,2026-01-01,2026-11-21T00:00:00Z\ng,2026-11-15,2026-11-16\n",
            ),
            (
                "usage",
                "customer,timestamp,event\na,2026-11-14T00:00:00Z,x\nb,2026-11-13T23:59:59Z,x\nc,2026-11-20T12:00:01Z,x\n",
            ),
            (
                "tickets",
                "id,customer,created_at,first_response_at,resolved_at,csat\n\
                 1,a,2026-11-14T00:00:00Z,2026-11-14T02:00:00Z,2026-11-14T04:00:00Z,5\n\
                 2,b,2026-11-13T23:59:59Z,2026-11-14T05:59:59Z,2026-11-15T00:00:00Z,2\n\
                 3,c,2026-11-20T10:00:00Z,2026-11-20T13:00:00Z,,\n\
                 4,a,2026-11-20T12:00:01Z,2026-11-20T12:00:02Z,2026-11-20T12:00:03Z,1\n",
            ),
            (
                "nps",
                "customer,responded_at,score\na,2026-11-14T00:00:00Z,10\nb,2026-11-13T23:59:59Z,0\n\
                 c,2026-11-21,0\nd,2026-11-20,8\n",
            ),
        ],
    );
    let j = w.run(&["report", "metrics", "--days", "7", "-f", "json"]).ok().json();
    assert_eq!(
        values(&j),
        want(&[
            ("first_response_time", 2.0, "green"),
            ("resolution_time", (4.0 + 24.0 + 1.0 / 3600.0) / 2.0, "green"),
            ("csat", 50.0, "red"),
            ("churn_rate", 20.0, "red"),
            ("nps", 50.0, "green"),
            ("support_load", 200.0, "red"),
        ])
    );
    // The same data a day earlier: ticket 3, tomorrow's churn and answers are all in the future.
    let j = w.run_at("2026-11-19T12:00:00Z", &["report", "metrics", "--days", "6", "-f", "json"]).ok().json();
    let got = values(&j);
    assert_eq!(
        vec![got[0].clone(), got[4].clone()],
        want(&[("first_response_time", 2.0, "green"), ("nps", 100.0, "green")])
    );
}

/// The eight figures of `report metrics` over the last 30 days as of NOW,
/// computed here from the raw rows (docs/reports.md and docs/revenue.md definitions), in Rust
/// rather than SQL: the period is 2026-10-22T00:00:00Z ..= NOW.
fn hand_metrics(w: &Work) -> Vec<(&'static str, f64)> {
    let now: i64 = 1_795_176_000; // 2026-11-20T12:00:00Z
    let from: i64 = 1_792_627_200; // 2026-10-22T00:00:00Z: 30 days, today included
    let inp = |t: i64| (from..=now).contains(&t);
    let c = w.conn();
    let rows = |sql: &str| -> Vec<Vec<Option<i64>>> {
        let mut st = c.prepare(sql).unwrap();
        let n = st.column_count();
        st.query_map([], |r| Ok((0..n).map(|i| r.get::<_, Option<i64>>(i).unwrap()).collect()))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let pct = |a: usize, b: usize| a as f64 * 100.0 / b as f64;
    let tickets = rows("SELECT created_at, first_response_at, resolved_at, csat, csat_at FROM tickets");
    let first: Vec<f64> = tickets
        .iter()
        .filter(|t| inp(t[0].unwrap()) && t[1].is_some_and(|f| f <= now))
        .map(|t| (t[1].unwrap() - t[0].unwrap()) as f64 / 3600.0)
        .collect();
    let resolved: Vec<f64> = tickets
        .iter()
        .filter(|t| t[2].is_some_and(inp))
        .map(|t| (t[2].unwrap() - t[0].unwrap()) as f64 / 3600.0)
        .collect();
    let rated: Vec<i64> =
        tickets.iter().filter(|t| t[3].is_some() && t[4].is_some_and(inp)).map(|t| t[3].unwrap()).collect();
    let nps: Vec<i64> = rows("SELECT responded_at, score FROM nps_responses")
        .iter()
        .filter(|r| inp(r[0].unwrap()))
        .map(|r| r[1].unwrap())
        .collect();
    // Active at the start: signed up before it (or unknown) and not churned
    // before it; churned in it: churned in the period, not after now.
    let customers = rows("SELECT signed_up_at, churned_at, COALESCE(mrr_cents, 0), cid FROM customers");
    let active: Vec<&Vec<Option<i64>>> = customers
        .iter()
        .filter(|r| r[0].is_none_or(|s| s < from) && r[1].is_none_or(|ch| ch >= from))
        .collect();
    let churned: Vec<&&Vec<Option<i64>>> = active.iter().filter(|r| r[1].is_some_and(inp)).collect();
    let mrr = |v: &mut dyn Iterator<Item = &Vec<Option<i64>>>| v.map(|r| r[2].unwrap()).sum::<i64>() as f64;
    let created = tickets.iter().filter(|t| inp(t[0].unwrap())).count();
    let users =
        rows("SELECT DISTINCT cid FROM usage_events WHERE ts BETWEEN 1792627200 AND 1795176000").len();
    // MRR at risk: active (not churned by now) customers whose latest
    // snapshot scores under 60 (at-risk or critical).
    let latest = rows(
        "SELECT h.cid, h.score FROM health_snapshots h \
         WHERE h.day = (SELECT MAX(day) FROM health_snapshots x WHERE x.cid = h.cid AND x.day <= '2026-11-20')",
    );
    let at_risk: f64 = customers
        .iter()
        .filter(|r| r[1].is_none_or(|ch| ch > now))
        .filter(|r| latest.iter().any(|l| l[0] == r[3] && l[1].unwrap() < 60))
        .map(|r| r[2].unwrap() as f64 / 100.0)
        .sum();
    vec![
        ("first_response_time", mean(&first)),
        ("resolution_time", mean(&resolved)),
        ("csat", pct(rated.iter().filter(|&&s| s >= 4).count(), rated.len())),
        ("churn_rate", pct(churned.len(), active.len())),
        (
            "nps",
            (nps.iter().filter(|&&s| s >= 9).count() as f64 - nps.iter().filter(|&&s| s <= 6).count() as f64)
                * 100.0
                / nps.len() as f64,
        ),
        ("support_load", pct(created, users)),
        ("mrr_at_risk", at_risk),
        ("revenue_churn", mrr(&mut churned.iter().map(|r| **r)) * 100.0 / mrr(&mut active.iter().copied())),
    ]
}

#[test]
fn metrics_as_csv_and_in_colour() {
    let w = example();
    let csv = w.run(&["report", "metrics", "-f", "csv"]).ok();
    // The layout is fixed; every figure is derived below from the rows the
    // example data put in the database, not copied from csf's output.
    let want = hand_metrics(&w);
    let mut lines = csv.stdout.lines();
    assert_eq!(lines.next(), Some("metric,value,unit,target,status"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let layout: Vec<(&str, &str, &str, &str)> = rows.iter().map(|r| (r[0], r[2], r[3], r[4])).collect();
    assert_eq!(
        layout,
        [
            ("first_response_time", "hours", "4", "red"),
            ("resolution_time", "hours", "24", "green"),
            ("csat", "percent", "90", "yellow"),
            ("churn_rate", "percent", "5", "red"),
            ("nps", "score", "40", "red"),
            ("support_load", "percent", "10", "red"),
            ("mrr_at_risk", "currency", "", ""),
            ("revenue_churn", "percent", "5", "red"),
        ]
    );
    for (r, (id, v)) in rows.iter().zip(&want) {
        assert_eq!(r[0], *id);
        let got: f64 = r[1].parse().unwrap();
        assert!((got - v).abs() <= 1e-9 * v.abs().max(1.0), "{id}: csf {got}, by hand {v}");
    }
    let empty = Work::new();
    empty.run(&["init"]).ok();
    let csv = empty.run(&["report", "metrics", "-f", "csv"]).ok();
    assert!(csv.stdout.contains("\ncsat,,percent,90,n/a\n"), "{}", csv.stdout);
    let table = w.run(&["--color", "always", "report", "metrics"]).ok();
    assert!(table.stdout.contains("\x1b[31mred\x1b[0m"), "{}", table.stdout);
    assert!(table.stdout.contains("\x1b[32mgreen\x1b[0m"), "{}", table.stdout);
    assert!(table.stdout.contains("\x1b[33myellow\x1b[0m"), "{}", table.stdout);
    insta::assert_snapshot!("metrics_stderr", table.stderr);
}

#[test]
fn targets_come_from_config() {
    let w = example();
    w.run(&["-q", "config", "set", "targets.first_response_hours", "8"]).ok();
    w.run(&["-q", "config", "set", "--", "targets.nps", "-10"]).ok();
    let r = w.run(&["report", "plan", "--sections", "current-state"]).ok();
    assert!(r.stdout.contains("| Avg first response | 6.7 hours | < 8 hours | 🟢 |\n"), "{}", r.stdout);
    assert!(r.stdout.contains("| NPS | 0 (n=4) | > -10 | 🟢 |\n"), "{}", r.stdout);
    let j = w.run(&["report", "metrics", "-f", "json"]).ok().json();
    assert_eq!(j[0]["target"], 8.0);
}

#[test]
fn plan_with_charts_snapshot() {
    let w = example();
    let r = w.run(&["report", "plan", "--sections", "health,churn-risks", "--charts", "mermaid"]).ok();
    assert_valid_tables(&r.stdout);
    insta::assert_snapshot!("plan_charts", mask_backtest(&r.stdout));
    insta::assert_snapshot!("plan_charts_stderr", r.stderr);
}

#[test]
fn data_that_looks_like_markdown_blocks_stays_text() {
    let w = Work::new();
    w.file(
        "customers.csv",
        "id,name,signed_up_at\nx,\"- 1. &copy; <b>bold</b>\",2026-01-01\ny,\"   indented\",2026-01-01\n",
    );
    w.run(&["-q", "import", "customers", "customers.csv"]).ok();
    w.file(
        "tickets.csv",
        "id,customer,category,created_at\n1,x,1) list,2026-11-19\n2,x,1) list,2026-11-19\n3,x,1) list,2026-11-19\n",
    );
    w.run(&["-q", "import", "tickets", "tickets.csv"]).ok();
    w.run(&["-q", "ticket", "plan", "1) list", "Reply & link [the guide](http://x) | *now*"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    let r = w.run(&["report", "plan"]).ok();
    assert_valid_tables(&r.stdout);
    let md = &r.stdout;
    assert!(
        md.contains(
            "1. 1\\)-list: 3 tickets (100%) - Reply \\& link \\[the guide\\](http://x) \\| \\*now\\*\n"
        ),
        "{md}"
    );
    assert!(md.contains("1. 1\\)-list guide: 3 tickets"), "{md}");
    assert!(md.contains("- \\- 1. \\&copy; \\<b\\>bold\\</b\\> (`x`): "), "{md}");
    assert!(md.contains("\n- indented (`y`): "), "{md}");
}

#[test]
fn plan_refuses_other_formats_and_unknown_charts() {
    let w = example();
    let before = w.dump();
    let r = w.run(&["report", "plan", "-f", "json"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: report plan has no json form; use -f markdown (the plan is markdown only; `csf report metrics -f json` has its figures)\n"
    );
    assert_eq!(r.stdout, "");
    let r = w.run(&["report", "plan", "--sections", ","]).fails(1);
    assert!(
        r.stderr.starts_with("error: --sections is empty; the sections are current-state, "),
        "{}",
        r.stderr
    );
    w.run(&["report", "plan", "--charts", "ascii"]).fails(2);
    assert_eq!(w.dump(), before);
}

/// `--charts` alone means mermaid, the only kind.
#[test]
fn charts_alone_means_mermaid() {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    let bare = w.run(&["report", "plan", "--sections", "health", "--charts"]).ok().stdout;
    let named = w.run(&["report", "plan", "--sections", "health", "--charts", "mermaid"]).ok().stdout;
    assert!(bare.contains("```mermaid"), "{bare}");
    assert_eq!(bare, named);
}
