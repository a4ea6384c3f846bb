//! One status history for every report (docs/revenue.md): `churn rate` and
//! `report revenue` agree on every month of a generated book with churns,
//! returns, re-churns, a churn and its undo in one second, corrected churn
//! dates and imported churns; `churn undo --erase` removes a churn from
//! every report.

use crate::common::Work;

/// The day `n` days after 2025-05-01, as `YYYY-MM-DD`.
fn day(n: u32) -> String {
    const LEN: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut y, mut m, mut d) = (2025, 5usize, 1 + n);
    while d > LEN[m - 1] {
        d -= LEN[m - 1];
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    format!("{y}-{m:02}-{d:02}")
}

/// 2026-11-20 is day 568; the book's months run 2025-06 to 2026-11.
const LAST: u32 = 567;

/// A small deterministic generator (no dependency, same book every run).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u32) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % u64::from(n)) as u32
    }
}

/// 60 customers over 18 months, every active one paying: churns, returns
/// and re-churns on generated days, MRR changes (some in the month of a
/// churn), imported churns, a churn and its undo in the same second, and
/// churn dates corrected later (one into the future).
fn book() -> Work {
    let w = Work::new();
    let mut g = Lcg(37);
    let mut csv = String::from("id,mrr,signed_up_at,churned_at\n");
    let mut plan: Vec<(String, u32, u32)> = Vec::new();
    for i in 0..60 {
        let signup = g.below(480);
        let imported_churn = (i % 9 == 4).then(|| signup + 20 + g.below(LAST - signup - 20));
        csv.push_str(&format!(
            "c{i:02},{},{},{}\n",
            20 + g.below(300),
            day(signup),
            imported_churn.map(day).unwrap_or_default()
        ));
        plan.push((format!("c{i:02}"), signup, imported_churn.unwrap_or(0)));
    }
    w.file("c.csv", &csv);
    w.run_at("2025-05-01T00:00:00Z", &["-q", "import", "customers", "c.csv"]).ok();
    let at = |d: &str| format!("{d}T12:00:00Z");
    for (i, (id, signup, imported)) in plan.iter().enumerate() {
        let id = id.as_str();
        if *imported > 0 {
            if i % 2 == 0 && imported + 10 < LAST {
                // An imported churn, then the customer comes back.
                w.run_at(&at(&day(LAST)), &["-q", "churn", "undo", id, "--date", &day(imported + 5)]).ok();
            }
            continue;
        }
        let span = LAST - signup;
        match i % 6 {
            // A churn, a return, a churn again.
            0 | 1 if span > 60 => {
                let c1 = signup + 5 + g.below(span / 3);
                let r1 = c1 + 1 + g.below(40);
                let c2 = r1 + 1 + g.below(LAST - r1);
                w.run_at(&at(&day(LAST)), &["-q", "churn", "record", id, "--date", &day(c1)]).ok();
                w.run_at(&at(&day(LAST)), &["-q", "churn", "undo", id, "--date", &day(r1)]).ok();
                w.run_at(&at(&day(LAST)), &["-q", "churn", "record", id, "--date", &day(c2)]).ok();
            }
            // An MRR change in the month of a churn, before it.
            2 if span > 40 => {
                let c = signup + 20 + g.below(span - 20);
                let change = day(c - 1 - g.below(3));
                let mrr = (30 + g.below(400)).to_string();
                w.run_at(
                    &at(&day(LAST)),
                    &["-q", "customer", "edit", id, "--mrr", &mrr, "--effective", &change],
                )
                .ok();
                w.run_at(&at(&day(LAST)), &["-q", "churn", "record", id, "--date", &day(c)]).ok();
            }
            // A churn and its undo in the same second, then a churn re-recorded in it.
            3 if span > 10 => {
                let t = at(&day(signup + 3 + g.below(span - 3)));
                w.run_at(&t, &["-q", "churn", "record", id]).ok();
                w.run_at(&t, &["-q", "churn", "undo", id]).ok();
                if i % 12 == 3 {
                    w.run_at(&t, &["-q", "churn", "record", id]).ok();
                }
            }
            // A churn whose date is corrected later (into the future for some).
            4 if span > 30 => {
                let c = signup + 5 + g.below(span / 2);
                w.run_at(&at(&day(LAST)), &["-q", "churn", "record", id, "--date", &day(c)]).ok();
                let later =
                    if i % 12 == 4 { "2026-12-15".to_string() } else { day(c + 1 + g.below(LAST - c)) };
                w.run_at(&at(&day(LAST)), &["-q", "customer", "edit", id, "--churned", &later]).ok();
            }
            _ => {}
        }
    }
    w
}

/// The three figures both commands give, per month: customers (paying,
/// since every active customer pays) and MRR at the start, MRR churned.
/// (month, customers at start, MRR at start, MRR churned).
type Month = (String, f64, f64, f64);

fn figures(w: &Work) -> (Vec<Month>, Vec<Month>) {
    let rate = w.run(&["churn", "rate", "--months", "18", "-f", "json"]).ok().json();
    let revenue = w.run(&["report", "revenue", "--months", "18", "-f", "json"]).ok().json();
    let f = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap_or_else(|| panic!("{k}: {v}"));
    let rate = rate
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].to_string(), f(m, "active_at_start"), f(m, "mrr_at_start"), f(m, "mrr_churned")))
        .collect();
    let revenue = revenue
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].to_string(), f(m, "customers_start"), f(m, "mrr_start"), f(m, "churned")))
        .collect();
    (rate, revenue)
}

#[test]
fn churn_rate_and_revenue_agree_on_every_month_of_a_generated_book() {
    let w = book();
    // The book has what it should: every active customer pays, churns came
    // back, a churn was re-recorded in the second of its undo, one churn is
    // in the future.
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE COALESCE(mrr_cents, 0) = 0"), 0);
    assert!(w.count("SELECT count(*) FROM status_changes WHERE churned = 0") >= 8);
    assert!(w.count("SELECT count(*) FROM (SELECT cid FROM status_changes WHERE churned = 1 GROUP BY cid HAVING count(*) > 1)") >= 3);
    assert!(
        w.count(
            "SELECT count(*) FROM (SELECT cid, at FROM status_changes GROUP BY cid, at HAVING count(*) > 1)"
        ) >= 2
    );
    assert!(w.count("SELECT count(*) FROM customers WHERE churned_at > strftime('%s', '2026-11-20')") >= 1);
    let (rate, revenue) = figures(&w);
    assert_eq!(rate.len(), 18);
    assert_eq!(rate, revenue, "churn rate against report revenue, month by month");
    assert!(rate.iter().filter(|m| m.3 > 0.0).count() >= 8, "churns in most months: {rate:?}");
    // The same second: a churn and its undo end active; re-recorded, churned.
    let same: Vec<(String, i64)> = {
        let conn = w.conn();
        let mut st = conn
            .prepare(
                "SELECT c.id, c.churned_at IS NOT NULL FROM customers c WHERE c.cid IN
                   (SELECT cid FROM status_changes GROUP BY cid, at HAVING count(*) > 1)",
            )
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    for (id, churned) in same {
        let n: usize = id[1..].parse().unwrap();
        assert_eq!(churned, i64::from(n % 12 == 3), "{id}");
    }
}

/// Every report that counts churn, as JSON (the plan as markdown).
fn reports(w: &Work) -> Vec<String> {
    [
        &["churn", "rate", "--months", "6", "-f", "json"][..],
        &["churn", "reasons", "-f", "json"],
        &["report", "revenue", "--months", "6", "-f", "json"],
        &["report", "cohorts", "--months", "6", "-f", "json"],
        &["report", "metrics", "--days", "120", "-f", "json"],
        &["report", "trends", "-f", "json"],
        &["report", "plan"],
    ]
    .iter()
    .map(|args| w.run(args).ok().stdout)
    .collect()
}

#[test]
fn undo_erase_removes_a_churn_from_every_report() {
    let w = Work::new();
    w.file(
        "c.csv",
        "id,plan,mrr,signed_up_at\nacme,pro,149,2026-03-01\nbeta,team,49,2026-04-01\ngamma,pro,99,2026-05-01\n",
    );
    w.run_at("2026-06-01T00:00:00Z", &["-q", "import", "customers", "c.csv"]).ok();
    let before = reports(&w);
    // A churn, erased while it stands.
    w.run(&["-q", "churn", "record", "acme", "--date", "2026-09-28", "--reason", "too-expensive"]).ok();
    assert_ne!(reports(&w), before, "the churn shows");
    let r = w.run(&["churn", "undo", "acme", "--erase"]).ok();
    assert_eq!(
        r.stderr,
        "Erased the churn of acme on 2026-09-28 from the history, as if it never happened\n"
    );
    assert_eq!(reports(&w), before);
    // A churn and its return, erased together.
    w.run(&["-q", "churn", "record", "beta", "--date", "2026-08-10"]).ok();
    w.run(&["-q", "churn", "undo", "beta", "--date", "2026-10-02"]).ok();
    assert_ne!(reports(&w), before, "the churn and the return show");
    w.run(&["-q", "churn", "undo", "beta", "--erase"]).ok();
    assert_eq!(reports(&w), before);
    assert_eq!(
        w.count("SELECT count(*) FROM status_changes") + w.count("SELECT count(*) FROM churn_records"),
        0,
        "{}",
        w.dump()
    );
}

#[test]
fn undo_refusals_say_why_and_change_nothing() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme", "--mrr", "149", "--signed-up", "2026-03-01"]).ok();
    w.refuses(
        &["churn", "undo", "acme", "--erase"],
        &["customer \"acme\" has no churn in its history; nothing to erase"],
    );
    w.run(&["-q", "churn", "record", "acme", "--date", "2026-09-28"]).ok();
    w.refuses(
        &["churn", "undo", "acme", "--date", "2026-09-01"],
        &["--date 2026-09-01 is before the churn on 2026-09-28; give a later date, or --erase to remove the churn"],
    );
    w.run(&["-q", "churn", "undo", "acme", "--date", "2026-10-15"]).ok();
    w.refuses(
        &["churn", "record", "acme", "--date", "2026-10-01"],
        &["the churn date 2026-10-01 is before the customer's return on 2026-10-15; `csf churn undo ID --erase` corrects the history instead"],
    );
}
