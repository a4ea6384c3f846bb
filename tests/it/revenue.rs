//! Revenue with its history (docs/revenue.md): movements, NRR and GRR by
//! hand, the identity on every month, edits that never rewrite the past,
//! imports that never undo a churn recorded in csf, and bad money refused.

use crate::common::Work;

/// November 2026, by hand. Every customer signed up in 2026-06 with its
/// first MRR; then, in November:
/// - steady: $100 throughout;
/// - grows: $50 → $80 on 2026-11-04 (expansion $30);
/// - shrinks: $200 → $150 on 2026-11-10 (contraction $50);
/// - leaves: $49, churned on 2026-11-13 (churned $49);
/// - fresh: signed up 2026-11-06 at $99 (new $99);
/// - returns: $29, churned 2026-09-15, back on 2026-11-18 (reactivation $29).
fn november() -> Work {
    let w = Work::new();
    w.file(
        "c.csv",
        "id,mrr,signed_up_at,churned_at\n\
         steady,100,2026-06-01,\n\
         grows,50,2026-06-01,\n\
         shrinks,200,2026-06-01,\n\
         leaves,49,2026-06-01,\n\
         returns,29,2026-06-01,2026-09-15\n",
    );
    w.run_at("2026-10-01T09:00:00Z", &["-q", "import", "customers", "c.csv"]).ok();
    w.run_at(
        "2026-11-20T09:00:00Z",
        &["-q", "customer", "edit", "grows", "--mrr", "80", "--effective", "2026-11-04"],
    )
    .ok();
    w.run_at(
        "2026-11-20T09:00:00Z",
        &["-q", "customer", "edit", "shrinks", "--mrr", "150", "--effective", "2026-11-10"],
    )
    .ok();
    w.run_at("2026-11-13T10:00:00Z", &["-q", "churn", "record", "leaves", "--reason", "too-expensive"]).ok();
    w.run_at(
        "2026-11-06T10:00:00Z",
        &["-q", "customer", "add", "fresh", "--mrr", "99", "--signed-up", "2026-11-06"],
    )
    .ok();
    w.run_at("2026-11-18T10:00:00Z", &["-q", "churn", "undo", "returns"]).ok();
    w
}

#[test]
fn a_hand_computed_month_has_each_movement_and_retention_exact() {
    let w = november();
    let j = w.run(&["report", "revenue", "--months", "2", "-f", "json"]).ok().json();
    let nov = &j[1];
    assert_eq!(nov["month"], "2026-11");
    assert!(nov["plan"].is_null());
    // Start: 100 + 50 + 200 + 49 (returns was churned) = 399.
    for (field, want) in [
        ("mrr_start", 399.0),
        ("new", 99.0),
        ("expansion", 30.0),
        ("contraction", 50.0),
        ("churned", 49.0),
        ("reactivation", 29.0),
        ("mrr_end", 100.0 + 80.0 + 150.0 + 99.0 + 29.0),
        ("customers_start", 4.0),
        ("customers_end", 5.0),
    ] {
        assert_eq!(nov[field].as_f64(), Some(want), "{field}: {nov}");
    }
    // NRR = (399 + 30 − 50 − 49) / 399; GRR = (399 − 50 − 49) / 399.
    assert!((nov["nrr"].as_f64().unwrap() - 330.0 * 100.0 / 399.0).abs() < 1e-9, "{nov}");
    assert!((nov["grr"].as_f64().unwrap() - 300.0 * 100.0 / 399.0).abs() < 1e-9, "{nov}");
    // October: the returning customer's churn is still in September, nothing moved.
    assert_eq!(j[0]["mrr_start"], j[0]["mrr_end"]);
    let plan = w.run(&["report", "plan", "--sections", "revenue"]).ok().stdout;
    assert!(plan.contains("2026-11 to date: MRR $399.00 at the start, $458.00 now — $99.00 new, $30.00 expansion, −$50.00 contraction, −$49.00 churned, $29.00 reactivation."), "{plan}");
}

#[test]
fn the_identity_holds_for_every_month_of_a_long_history() {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    let j = w.run(&["report", "revenue", "--months", "18", "-f", "json"]).ok().json();
    let months = j.as_array().unwrap();
    assert_eq!(months.len(), 18);
    let cents = |v: &serde_json::Value| (v.as_f64().unwrap() * 100.0).round() as i64;
    for (i, m) in months.iter().enumerate() {
        let sum = cents(&m["mrr_start"]) + cents(&m["new"]) + cents(&m["expansion"])
            - cents(&m["contraction"])
            - cents(&m["churned"])
            + cents(&m["reactivation"]);
        assert_eq!(sum, cents(&m["mrr_end"]), "{m}");
        if i > 0 {
            assert_eq!(m["mrr_start"], months[i - 1]["mrr_end"], "months chain");
        }
    }
    let by_plan = w.run(&["report", "revenue", "--months", "3", "--by", "plan", "-f", "json"]).ok().json();
    let last: f64 = by_plan
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["month"] == "2026-11")
        .map(|r| r["mrr_end"].as_f64().unwrap())
        .sum();
    assert_eq!(last, months[17]["mrr_end"].as_f64().unwrap());
}

#[test]
fn editing_todays_mrr_never_changes_a_past_month() {
    let w = november();
    let before = w.run(&["churn", "rate", "--months", "2", "-f", "json"]).ok().json();
    let revenue_before = w.run(&["report", "revenue", "--months", "2", "-f", "json"]).ok().json();
    w.run(&["-q", "customer", "edit", "leaves", "--mrr", "4900"]).ok();
    w.run(&["-q", "customer", "edit", "steady", "--mrr", "1"]).ok();
    let after = w.run(&["churn", "rate", "--months", "2", "-f", "json"]).ok().json();
    assert_eq!(before[1]["revenue_churn"], after[1]["revenue_churn"], "{before} vs {after}");
    assert_eq!(before[0], after[0]);
    let revenue_after = w.run(&["report", "revenue", "--months", "2", "-f", "json"]).ok().json();
    assert_eq!(revenue_before[0], revenue_after[0], "October is what it was");
    assert_eq!(revenue_before[1]["mrr_start"], revenue_after[1]["mrr_start"]);
    assert_eq!(w.count("SELECT count(*) FROM mrr_changes WHERE source = 'edit'"), 4);
}

#[test]
fn a_reimport_keeps_a_churn_recorded_in_csf_and_counts_nothing_changed() {
    let w = Work::new();
    let file =
        "id,name,mrr,signed_up_at,churned_at\nacme,Acme,49,2026-01-01,\nglobex,Globex,99.00,2026-02-01,\n";
    w.file("c.csv", file);
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    w.run(&["-q", "churn", "record", "acme", "--date", "2026-11-01", "--reason", "too-expensive"]).ok();
    let r = w.run(&["import", "customers", "c.csv"]).ok();
    assert!(
        r.stderr.starts_with("customers: 2 rows read, 0 inserted, 0 changed, 2 unchanged, 0 skipped"),
        "{}",
        r.stderr
    );
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE id = 'acme' AND churned_at IS NOT NULL"), 1);
    // An imported churn is cleared by an empty cell: the return is history too.
    w.file("d.csv", "id,churned_at\nglobex,2026-10-01\n");
    w.run(&["-q", "import", "customers", "d.csv"]).ok();
    w.file("e.csv", "id,churned_at\nglobex,\n");
    let r = w.run(&["import", "customers", "e.csv"]).ok();
    assert!(r.stderr.contains("0 inserted, 1 changed, 0 unchanged"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE id = 'globex' AND churned_at IS NULL"), 1);
    assert_eq!(
        w.count("SELECT count(*) FROM status_changes s JOIN customers c USING (cid) WHERE c.id = 'globex'"),
        2
    );
    // Globex churned in October and came back today at a new MRR, effective
    // at the row's mrr_changed_at: October keeps the churn, November counts
    // the return as a reactivation at the new MRR.
    w.file("f.csv", "id,mrr,updated_at\nglobex,149,2026-11-05\n");
    w.run(&["-q", "import", "customers", "f.csv"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM mrr_changes_v WHERE customer_id = 'globex' AND effective_at = '2026-11-05T00:00:00Z' AND mrr = 149"), 1);
    let j = w.run(&["report", "revenue", "--months", "2", "-f", "json"]).ok().json();
    assert_eq!((j[0]["churned"].as_f64(), j[1]["reactivation"].as_f64()), (Some(99.0), Some(149.0)), "{j}");
}

#[test]
fn bad_money_and_dates_are_refused_and_nothing_is_stored() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme", "--mrr", "49", "--signed-up", "2026-06-01"]).ok();
    let before = w.dump();
    w.file("neg.csv", "id,mrr\nacme,-3000\nbeta,€49\n");
    let r = w.run(&["import", "customers", "neg.csv"]).fails(1);
    assert!(r.stderr.contains("neg.csv:2: column \"mrr\": \"-3000\" is negative"), "{}", r.stderr);
    assert!(
        r.stderr.contains("neg.csv:3: column \"mrr\": \"€49\" is in EUR, but this database counts money in USD (config currency)"),
        "{}",
        r.stderr
    );
    let r = w.run(&["customer", "edit", "acme", "--mrr=-5"]).fails(1);
    assert!(r.stderr.contains("--mrr \"-5\" is negative"), "{}", r.stderr);
    let r = w.run(&["customer", "edit", "acme", "--mrr", "49 GBP"]).fails(1);
    assert!(r.stderr.contains("is in GBP, but this database counts money in USD"), "{}", r.stderr);
    let r = w.run(&["customer", "edit", "acme", "--mrr", "59", "--effective", "2026-05-01"]).fails(1);
    assert!(
        r.stderr.contains("--effective 2026-05-01 is before acme signed up (2026-06-01); give a later date"),
        "{}",
        r.stderr
    );
    let r = w.run(&["customer", "edit", "acme", "--mrr", "59", "--effective", "2026-12-01"]).fails(1);
    assert!(
        r.stderr.contains(
            "--effective 2026-12-01 is after now (2026-11-20); an MRR change takes effect today or earlier"
        ),
        "{}",
        r.stderr
    );
    let r = w.run(&["customer", "edit", "acme", "--mrr", "59", "--effective", "someday"]).fails(1);
    assert!(r.stderr.contains("--effective \"someday\""), "{}", r.stderr);
    assert!(r.stderr.contains("; use a date such as 2026-10-01"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
    let r = w.run(&["report", "revenue", "--months", "0"]).fails(2);
    assert!(r.stderr.contains("--months"), "{}", r.stderr);
    // A database in euros takes euros (relabelling the stored amounts needs --force).
    w.run(&["-q", "config", "set", "currency", "EUR", "--force"]).ok();
    w.run(&["-q", "customer", "edit", "acme", "--mrr", "€59"]).ok();
}

#[test]
fn cohorts_count_who_stays_and_what_they_pay() {
    let w = november();
    let j = w.run(&["report", "cohorts", "--months", "6", "-f", "json"]).ok().json();
    let june: Vec<&serde_json::Value> =
        j.as_array().unwrap().iter().filter(|c| c["cohort"] == "2026-06").collect();
    assert_eq!(june.len(), 6, "2026-06 to 2026-11");
    assert!(june.iter().all(|c| c["customers"] == 5));
    // Month 3 (September's end): `returns` churned → 4 of 5; month 5 (now): `leaves` gone, `returns` back.
    assert_eq!(june[3]["value"], 80.0);
    assert_eq!(june[5]["value"], 80.0);
    let r = w.run(&["report", "cohorts", "--months", "6", "--metric", "revenue", "-f", "json"]).ok().json();
    let june: Vec<&serde_json::Value> =
        r.as_array().unwrap().iter().filter(|c| c["cohort"] == "2026-06").collect();
    // Base: 100 + 50 + 200 + 49 + 29 = 428; now: 100 + 80 + 150 + 29 = 359.
    assert!((june[5]["value"].as_f64().unwrap() - 359.0 * 100.0 / 428.0).abs() < 1e-9, "{}", june[5]);
    let md = w.run(&["report", "cohorts", "--months", "6", "-f", "markdown"]).ok().stdout;
    assert!(md.starts_with("| Cohort | Customers | M0 | M1 | M2 | M3 | M4 | M5 |\n"), "{md}");
}

#[test]
fn churn_rate_by_plan_splits_the_months_and_adds_up() {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    let whole = w.run(&["churn", "rate", "--months", "6", "-f", "json"]).ok().json();
    assert!(whole[0].get("plan").is_none(), "no plan field without --by plan");
    let split = w.run(&["churn", "rate", "--months", "6", "--by", "plan", "-f", "json"]).ok().json();
    for m in whole.as_array().unwrap() {
        let parts: Vec<&serde_json::Value> =
            split.as_array().unwrap().iter().filter(|r| r["month"] == m["month"]).collect();
        assert!(parts.len() > 1, "several plans");
        for field in ["active_at_start", "churned", "mrr_churned"] {
            let sum: f64 = parts.iter().map(|r| r[field].as_f64().unwrap()).sum();
            assert_eq!(sum, m[field].as_f64().unwrap(), "{field} in {}", m["month"]);
        }
        assert!(parts.iter().all(|r| r["plan"].is_string()));
    }
}

#[test]
fn report_metrics_by_plan_gives_each_plan_its_metrics() {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    let whole = w.run(&["report", "metrics", "-f", "json"]).ok().json();
    let split = w.run(&["report", "metrics", "--by", "plan", "-f", "json"]).ok().json();
    let rows = split.as_array().unwrap();
    let plans: std::collections::BTreeSet<&str> = rows.iter().map(|r| r["plan"].as_str().unwrap()).collect();
    assert!(plans.len() > 1, "{plans:?}");
    for plan in &plans {
        let ids: Vec<&str> =
            rows.iter().filter(|r| r["plan"] == *plan).map(|r| r["metric"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 7, "{plan}: {ids:?}");
        assert!(ids.contains(&"churn_rate") && ids.contains(&"revenue_churn"));
    }
    assert!(whole.as_array().unwrap().iter().all(|r| r.get("plan").is_none()));
}

/// Plan is history too: an upgrade from pro to team on 2026-10-15 moves the
/// MRR it had out of pro and into team that month (the same-day raise is
/// expansion on team), and the plans add up to the whole in every month.
#[test]
fn an_upgrade_moves_mrr_from_pro_to_team_and_the_plans_add_up() {
    let w = Work::new();
    w.file(
        "c.csv",
        "id,plan,mrr,signed_up_at\nup,pro,49,2026-06-01\nstay,pro,49,2026-06-01\nsmall,starter,19,2026-06-01\n",
    );
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    let r =
        w.run(&["customer", "edit", "up", "--plan", "team", "--mrr", "99", "--effective", "2026-10-15"]).ok();
    assert!(r.stderr.contains("2026-10-15"), "{}", r.stderr);
    let j = w.run(&["report", "revenue", "--by", "plan", "--months", "6", "-f", "json"]).ok().json();
    let row = |month: &str, plan: &str| {
        j.as_array().unwrap().iter().find(|r| r["month"] == month && r["plan"] == plan).cloned().unwrap()
    };
    let (pro, team) = (row("2026-10", "pro"), row("2026-10", "team"));
    assert_eq!(
        (pro["mrr_start"].as_f64(), pro["moved_out"].as_f64(), pro["mrr_end"].as_f64()),
        (Some(98.0), Some(49.0), Some(49.0))
    );
    assert_eq!((team["mrr_start"].as_f64(), team["moved_in"].as_f64()), (Some(0.0), Some(49.0)));
    assert_eq!((team["expansion"].as_f64(), team["mrr_end"].as_f64()), (Some(50.0), Some(99.0)));
    // September: everything still on pro; November: team holds the customer from the start.
    assert_eq!(row("2026-09", "team")["mrr_end"].as_f64(), Some(0.0));
    assert_eq!(row("2026-11", "team")["mrr_start"].as_f64(), Some(99.0));
    // Every plan balances, and the plans add up to the whole, month by month.
    let whole = w.run(&["report", "revenue", "--months", "6", "-f", "json"]).ok().json();
    for m in whole.as_array().unwrap() {
        let month = m["month"].as_str().unwrap();
        let plans: Vec<&serde_json::Value> =
            j.as_array().unwrap().iter().filter(|r| r["month"] == month).collect();
        for key in ["mrr_start", "new", "expansion", "contraction", "churned", "reactivation", "mrr_end"] {
            let sum: f64 = plans.iter().map(|r| r[key].as_f64().unwrap()).sum();
            assert!((sum - m[key].as_f64().unwrap()).abs() < 1e-9, "{month} {key}");
        }
        for r in &plans {
            let f = |k: &str| r[k].as_f64().unwrap();
            let end = f("mrr_start") + f("new") + f("expansion") - f("contraction") - f("churned")
                + f("reactivation")
                + f("moved_in")
                - f("moved_out");
            assert!((end - f("mrr_end")).abs() < 1e-9, "{month} {}: {r}", r["plan"]);
        }
    }
}
