//! Nothing after 9999-12-31 is read where a date or time is typed (issue 38
//! N20): `--now`, `skip --until`, the backtest's window, a customer's dates,
//! a churn date and import timestamps. Each is refused with the date it
//! would have been, and the database is as it was.

use crate::common::Work;

/// The last hour of 9999-12-31 at UTC−2: 10000-01-01 01:00 UTC.
const PAST: &str = "9999-12-31T23:00:00-02:00";
const SAID: &str =
    "is after 9999-12-31 (it is +10000-01-01 01:00:00 UTC), the last day csf reads; give an earlier date";

fn with_acme() -> Work {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme", "--name", "Acme", "--mrr", "100", "--signed-up", "2026-01-01"])
        .ok();
    w.file("nps.csv", format!("customer,responded_at,score\nacme,2026-11-01,9\nacme,{PAST},8\n"));
    w.file("eu.csv", "customer,responded_at,score\nacme,01.11.2026,9\nacme,01.01.+10000,8\n");
    w
}

#[test]
fn every_typed_date_after_9999_12_31_is_refused_and_nothing_changes() {
    let w = with_acme();
    let said = |flag: &str| format!("{flag} \"{PAST}\" {SAID}");
    for (args, words) in [
        (vec!["--now", PAST, "customer", "list"], format!("--now / CSF_NOW: \"{PAST}\" {SAID}")),
        (vec!["--now", PAST, "customer", "add", "x"], format!("--now / CSF_NOW: \"{PAST}\" {SAID}")),
        (vec!["skip", "rescue-acme", "--until", PAST], said("--until")),
        (vec!["health", "backtest", "--to", PAST], said("--to")),
        (vec!["health", "backtest", "--from", PAST], said("--from")),
        (vec!["health", "tune", "--to", PAST, "--apply"], said("--to")),
        (vec!["health", "evidence", "--from", PAST], said("--from")),
        (vec!["health", "score", "--backfill", "--from", PAST], said("--from")),
        (vec!["customer", "add", "beta", "--signed-up", PAST], said("--signed-up")),
        (vec!["customer", "edit", "acme", "--churned", PAST], said("--churned")),
        (vec!["customer", "edit", "acme", "--mrr", "200", "--effective", PAST], said("--effective")),
        (vec!["churn", "record", "acme", "--date", PAST], said("--date")),
    ] {
        w.refuses(&args, &[&words]);
    }
    // An import names the row, then the count of invalid rows.
    for (args, words) in [
        (
            vec!["import", "nps", "nps.csv"],
            format!("nps.csv:3: column \"responded_at\": \"{PAST}\" {SAID}"),
        ),
        (
            vec!["import", "nps", "eu.csv", "--date-format", "%d.%m.%Y"],
            "eu.csv:3: column \"responded_at\": \"01.01.+10000\" is after 9999-12-31 (it is +10000-01-01 00:00:00 UTC)"
                .to_string(),
        ),
    ] {
        let before = w.dump();
        let r = w.run(&args).fails(1);
        assert!(r.stderr.starts_with(&words), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("error: ") && r.stderr.contains("nothing was imported"), "{}", r.stderr);
        assert_eq!(w.dump(), before, "{args:?} changed the database");
    }
    // The import's problem is a row problem: --skip-invalid keeps the good row only.
    w.run(&["-q", "import", "nps", "nps.csv", "--skip-invalid"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM nps_responses"), 1);
}

#[test]
fn the_last_day_itself_is_read() {
    let w = with_acme();
    w.run(&["-q", "customer", "edit", "acme", "--churned", "9999-12-31T23:59:59Z"]).ok();
    let churned: String =
        w.conn().query_row("SELECT churned_at FROM customers_v WHERE id = 'acme'", [], |r| r.get(0)).unwrap();
    assert_eq!(churned, "9999-12-31T23:59:59Z");
    w.run(&["--now", "9999-12-31", "-q", "customer", "list"]).ok();
}
