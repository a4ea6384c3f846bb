//! At the prompt (issue 27): units on figures, empty results as sentences,
//! counts in agreement, help headings, the man page, forgiving ids and
//! `--date-format`.

use crate::common::Work;

fn example() -> Work {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    w
}

#[test]
fn backtest_and_tune_rates_carry_their_percent_sign() {
    let w = example();
    let t = w.run(&["health", "backtest"]).ok().stdout;
    let critical = t.lines().find(|l| l.starts_with("│ critical")).unwrap_or_else(|| panic!("{t}"));
    let cells: Vec<&str> = critical.trim_matches('│').split('┆').map(str::trim).collect();
    assert!(cells[3].ends_with('%') && cells[4].ends_with('%'), "{critical}");
    assert!(t.contains(" cutoffs every 30 days, churn within 90 days"), "{t}");
    // JSON keeps the plain number.
    let j = w.run(&["health", "backtest", "-f", "json"]).ok().json();
    assert!(j["bands"][3]["churn_rate"].is_number(), "{j}");
    let t = w.run(&["health", "tune"]).ok().stdout;
    let current = t.lines().find(|l| l.contains("┆ 40,30,20,10")).unwrap_or_else(|| panic!("{t}"));
    assert_eq!(current.matches('%').count(), 4, "{current}");
}

#[test]
fn an_empty_result_is_a_sentence_not_a_bare_header() {
    let w = Work::new();
    w.run(&["-q", "init"]).ok();
    for (args, sentence) in [
        (&["ticket", "list", "--overdue"][..], "No overdue tickets.\n"),
        (&["ticket", "list"][..], "No tickets.\n"),
        (&["health", "alerts"][..], "No at-risk or critical customers.\n"),
        (&["health", "alerts", "--status", "critical"][..], "No critical customers.\n"),
        (&["churn", "risks"][..], "No warning signs as of now.\n"),
    ] {
        let r = w.run(args).ok();
        assert_eq!(r.stdout, "", "{args:?}");
        assert_eq!(r.stderr, sentence, "{args:?}");
        // Quiet (cron): nothing at all, so nothing is mailed.
        let mut quiet = vec!["-q"];
        quiet.extend(args);
        let r = w.run(&quiet).ok();
        assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""), "{args:?}");
        // Machines still get their empty forms.
        let mut json = args.to_vec();
        json.extend(["-f", "json"]);
        assert_eq!(w.run(&json).ok().stdout, "[]\n", "{args:?}");
    }
}

#[test]
fn counts_agree_in_number() {
    let w = Work::new();
    w.file("c.csv", "id,name\nacme,Acme\n");
    let r = w.run(&["import", "customers", "c.csv"]).ok();
    assert!(r.stderr.starts_with("customers: 1 row read, 1 inserted"), "{}", r.stderr);
    let r = w.run(&["health", "score"]).ok();
    assert!(r.stderr.starts_with("Scored 1 customer for 2026-11-20"), "{}", r.stderr);
    let r = w.run(&["report", "metrics", "--days", "1"]).ok();
    assert!(r.stdout.starts_with("Last 1 day: 2026-11-20 to 2026-11-20\n"), "{}", r.stdout);
}
