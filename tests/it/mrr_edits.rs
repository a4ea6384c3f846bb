//! MRR edits are always recorded (docs/revenue.md): an empty `--mrr` is
//! refused, a backdated change lands in its month even when today's MRR is
//! already that value, an import row dated before the latest change is
//! recorded at its date, and each says what it did.

use crate::common::Work;

fn acme() -> Work {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme", "--mrr", "149", "--plan", "pro", "--signed-up", "2026-06-01"])
        .ok();
    w
}

/// (effective day, MRR in cents) of acme's history.
fn history(w: &Work) -> Vec<(String, i64)> {
    let conn = w.conn();
    let mut st = conn
        .prepare("SELECT date(effective_at, 'unixepoch'), mrr_cents FROM mrr_changes ORDER BY effective_at")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

fn month(w: &Work, m: &str) -> serde_json::Value {
    let j = w.run(&["report", "revenue", "--months", "6", "-f", "json"]).ok().json();
    j.as_array().unwrap().iter().find(|r| r["month"] == m).unwrap().clone()
}

#[test]
fn an_empty_mrr_is_refused_and_nothing_changes() {
    let w = acme();
    w.refuses(
        &["customer", "edit", "acme", "--mrr", ""],
        &["--mrr is empty; give the amount paid each month (0 for a free plan); nothing was changed"],
    );
    w.refuses(&["customer", "edit", "acme", "--mrr", "  ", "--name", "Acme"], &["--mrr is empty"]);
}

#[test]
fn a_backdated_change_is_recorded_in_its_month_even_when_today_has_that_value() {
    let w = acme();
    let r = w.run(&["customer", "edit", "acme", "--mrr", "300"]).ok();
    assert_eq!(r.stderr, "Updated customer acme: MRR $300.00 from 2026-11-20\n");
    let r = w.run(&["customer", "edit", "acme", "--mrr", "300", "--effective", "2026-10-01"]).ok();
    assert_eq!(r.stderr, "Updated customer acme: MRR $300.00 from 2026-10-01\n");
    assert_eq!(
        history(&w),
        [("2026-06-01".into(), 14_900), ("2026-10-01".into(), 30_000), ("2026-11-20".into(), 30_000)]
    );
    assert_eq!(month(&w, "2026-10")["expansion"], 151.0);
    assert_eq!(month(&w, "2026-11")["expansion"], 0.0);
    // Said again: already so on that day, nothing recorded.
    let r = w.run(&["customer", "edit", "acme", "--mrr", "300", "--effective", "2026-10-15"]).ok();
    assert_eq!(
        r.stderr,
        "Updated customer acme: the MRR was already $300.00 on 2026-10-15; no MRR change recorded\n"
    );
    assert_eq!(history(&w).len(), 3);
}

#[test]
fn an_import_row_older_than_the_latest_change_is_recorded_at_its_date() {
    let w = acme();
    w.run(&["-q", "customer", "edit", "acme", "--mrr", "300", "--effective", "2026-11-10"]).ok();
    w.file("c.csv", "id,mrr,mrr_changed_at\nacme,250,2026-09-01\n");
    let r = w.run(&["import", "customers", "c.csv"]).ok();
    assert!(
        r.stderr.contains("1 rows read, 0 inserted, 1 changed, 0 unchanged")
            || r.stderr.contains("1 row read, 0 inserted, 1 changed, 0 unchanged"),
        "{}",
        r.stderr
    );
    assert_eq!(
        history(&w),
        [("2026-06-01".into(), 14_900), ("2026-09-01".into(), 25_000), ("2026-11-10".into(), 30_000)]
    );
    assert_eq!(w.count("SELECT mrr_cents FROM customers"), 30_000, "today's MRR is still the latest change");
    assert_eq!(month(&w, "2026-09")["expansion"], 101.0);
    assert_eq!(month(&w, "2026-11")["expansion"], 50.0);
    // The same file again: the history has it.
    let r = w.run(&["import", "customers", "c.csv"]).ok();
    assert!(r.stderr.contains("0 changed, 1 unchanged"), "{}", r.stderr);
}

#[test]
fn an_edit_of_a_churned_customer_says_it_takes_effect_on_return() {
    let w = acme();
    w.run(&["-q", "churn", "record", "acme", "--date", "2026-09-28"]).ok();
    let r = w.run(&["customer", "edit", "acme", "--mrr", "199"]).ok();
    assert_eq!(
        r.stderr,
        "Updated customer acme: MRR $199.00 from 2026-11-20; acme churned on 2026-09-28: the new MRR takes effect only when it returns\n"
    );
    let r = w.run(&["customer", "edit", "acme", "--plan", "team"]).ok();
    assert_eq!(
        r.stderr,
        "Updated customer acme; acme churned on 2026-09-28: the new plan takes effect only when it returns\n"
    );
    assert_eq!(month(&w, "2026-11")["mrr_end"], 0.0, "still churned: nothing paid");
    w.run(&["-q", "churn", "undo", "acme"]).ok();
    assert_eq!(month(&w, "2026-11")["reactivation"], 199.0);
}

#[test]
fn a_churned_customer_shows_mrr_zero_with_what_it_paid_and_no_band() {
    let w = acme();
    w.run(&["-q", "churn", "record", "acme", "--date", "2026-09-28"]).ok();
    let out = w.run(&["customer", "show", "acme"]).ok().stdout;
    assert!(out.contains("MRR         $0.00 (was $149.00 until 2026-09-28)"), "{out}");
    assert!(out.contains("Health      - (churned customers are not scored)"), "{out}");
    for band in ["healthy", "at-risk", "critical", "Expansion", "Component"] {
        assert!(!out.contains(band), "{band}: {out}");
    }
    let j = w.run(&["customer", "show", "acme", "-f", "json"]).ok().json();
    assert_eq!((j["mrr"].as_f64(), j["mrr_before_churn"].as_f64()), (Some(0.0), Some(149.0)));
    assert!(j["health"]["status"].is_null() && j["health"]["action"].is_null(), "{j}");
    w.run(&["-q", "churn", "undo", "acme"]).ok();
    let j = w.run(&["customer", "show", "acme", "-f", "json"]).ok().json();
    assert_eq!((j["mrr"].as_f64(), j["mrr_before_churn"].is_null()), (Some(149.0), true));
}

/// A backdated value equal to what was recorded then changes nothing: the
/// stored MRR stays today's (it was once overwritten with the old value).
#[test]
fn a_backdated_mrr_already_recorded_leaves_todays_mrr() {
    let w = acme();
    w.run(&["customer", "edit", "acme", "--mrr", "199", "--effective", "2026-11-01"]).ok();
    let r = w.run(&["customer", "edit", "acme", "--mrr", "149", "--effective", "2026-10-01"]).ok();
    assert!(
        r.stderr.contains("the MRR was already $149.00 on 2026-10-01; no MRR change recorded"),
        "{}",
        r.stderr
    );
    assert_eq!(history(&w), [("2026-06-01".to_string(), 14900), ("2026-11-01".to_string(), 19900)]);
    assert_eq!(w.run(&["customer", "show", "acme", "-f", "json"]).ok().json()["mrr"], 199.0);
    assert_eq!(w.count("SELECT mrr_cents FROM customers WHERE id = 'acme'"), 19900);
}
