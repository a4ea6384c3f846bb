//! Every list and show command under every `-f`: honoured, or refused with a
//! clear error (SPEC §1); JSON and CSV carry the same full-precision figures;
//! tables fit the terminal.

use crate::common::Work;

fn example() -> Work {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    w
}

const COMMANDS: &[&[&str]] = &[
    &["customer", "list"],
    &["customer", "show", "acme"],
    &["health", "list"],
    &["health", "show", "acme"],
    &["health", "alerts"],
    &["churn", "risks"],
    &["churn", "winback"],
    &["churn", "reasons"],
    &["churn", "rate"],
    &["churn", "survey"],
    &["onboarding", "due"],
    &["onboarding", "funnel"],
    &["onboarding", "funnel", "--cohort", "month"],
    &["ticket", "list"],
    &["ticket", "show", "1"],
    &["ticket", "followups"],
    &["report", "metrics"],
    &["report", "plan"],
    &["config", "list"],
    &["import", "--list-presets"],
];

#[test]
fn every_list_and_show_command_honours_or_refuses_each_format() {
    let w = example();
    for cmd in COMMANDS {
        for f in ["table", "markdown", "json", "csv"] {
            let mut args: Vec<&str> = cmd.to_vec();
            args.extend(["-f", f]);
            let before = w.dump();
            let r = w.run(&args);
            let what = format!("csf {}", args.join(" "));
            match r.code {
                0 => match f {
                    "json" => {
                        serde_json::from_str::<serde_json::Value>(&r.stdout)
                            .unwrap_or_else(|e| panic!("{what}: not JSON ({e}):\n{}", r.stdout));
                    }
                    "csv" => {
                        let mut rd = csv::ReaderBuilder::new().from_reader(r.stdout.as_bytes());
                        let n = rd.headers().unwrap_or_else(|e| panic!("{what}: {e}")).len();
                        assert!(n >= 2, "{what}: a CSV has a header row:\n{}", r.stdout);
                        for rec in rd.records() {
                            assert_eq!(rec.unwrap_or_else(|e| panic!("{what}: {e}")).len(), n, "{what}");
                        }
                    }
                    "markdown" => assert!(
                        r.stdout.contains("| ") || r.stdout.starts_with('#') || r.stdout.starts_with("Last "),
                        "{what}: not markdown:\n{}",
                        r.stdout
                    ),
                    _ => assert!(!r.stdout.is_empty(), "{what}: empty"),
                },
                1 => {
                    assert!(r.stderr.starts_with("error: "), "{what}: {}", r.stderr);
                    assert!(r.stderr.contains(&format!("has no {f} form; use -f ")), "{what}: {}", r.stderr);
                    assert_eq!(r.stdout, "", "{what}: a refusal prints no answer");
                }
                c => panic!("{what}: exit {c}\n{}", r.stderr),
            }
            assert_eq!(w.dump(), before, "{what} changed the database");
        }
    }
}

#[test]
fn refusals_name_the_forms_a_command_has() {
    let w = example();
    let r = w.run(&["customer", "show", "acme", "-f", "csv"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: customer show has no csv form; use -f table or -f json (a profile is nested; \
         `csf customer list -f csv` has one row per customer)\n"
    );
    let r = w.run(&["report", "plan", "-f", "json"]).fails(1);
    assert!(r.stderr.contains("report plan has no json form; use -f markdown"), "{}", r.stderr);
}

/// First response 4.75 h (4.5 and 5.0), support load 2 tickets / 3 users:
/// the CSV cell and the JSON number are the same value, unrounded.
#[test]
fn json_and_csv_carry_the_same_full_precision_values() {
    let w = Work::new();
    for (kind, csv) in [
        ("customers", "id,signed_up_at\na,2026-01-01\nb,2026-01-01\nc,2026-01-01\n"),
        ("usage", "customer,timestamp,event\na,2026-11-10,x\nb,2026-11-11,x\nc,2026-11-12,x\n"),
        (
            "tickets",
            "id,customer,created_at,first_response_at\n1,a,2026-11-18T10:00:00Z,2026-11-18T14:30:00Z\n\
             2,b,2026-11-18T10:00:00Z,2026-11-18T15:00:00Z\n",
        ),
    ] {
        w.file(&format!("{kind}.csv"), csv);
        w.run(&["-q", "import", kind, &format!("{kind}.csv")]).ok();
    }
    let j = w.run(&["report", "metrics", "-f", "json"]).ok().json();
    let csv = w.run(&["report", "metrics", "-f", "csv"]).ok().stdout;
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), j.as_array().unwrap().len());
    for (rec, obj) in rows.iter().zip(j.as_array().unwrap()) {
        assert_eq!(rec[0], *obj["metric"].as_str().unwrap());
        match obj["value"].as_f64() {
            Some(v) => assert_eq!(rec[1].parse::<f64>().unwrap(), v, "{}", &rec[0]),
            None => assert_eq!(&rec[1], "", "{}", &rec[0]),
        }
    }
    assert_eq!(j[0]["value"], 4.75);
    assert_eq!(j[5]["value"], 200.0 / 3.0);
    // Tables round for the eye, with the sample when it is small.
    let t = w.run(&["report", "metrics"]).ok().stdout;
    assert!(t.contains("4.8 hours (n=2)"), "{t}");
    assert!(t.contains("66.7% (n=3)"), "{t}");
    assert!(t.starts_with("Last 30 days: 2026-10-22 to 2026-11-20\n"), "{t}");
}

#[test]
fn wide_tables_fit_the_terminal_width() {
    let w = Work::new();
    let r = w.cmd().env("COLUMNS", "100").args(["import", "--list-presets"]).output().unwrap();
    let out = String::from_utf8(r.stdout).unwrap();
    assert!(out.lines().count() > 10);
    for l in out.lines() {
        assert!(l.chars().count() <= 100, "{} columns: {l}", l.chars().count());
    }
    // Piped with no COLUMNS: whole rows, never wrapped (scripts read lines).
    let r = w.run(&["import", "--list-presets"]).ok();
    assert!(r.stdout.lines().any(|l| l.chars().count() > 100));
}

#[test]
fn money_is_shown_with_its_currency() {
    let w = example();
    let t = w.run(&["customer", "list"]).ok().stdout;
    assert!(t.contains("$49.00") || t.contains("$"), "{t}");
    w.run(&["-q", "config", "set", "currency", "eur"]).ok();
    assert_eq!(w.run(&["config", "get", "currency"]).ok().stdout, "EUR\n");
    let t = w.run(&["customer", "list"]).ok().stdout;
    assert!(t.contains('€'), "{t}");
    // Machine formats carry plain numbers.
    let j = w.run(&["customer", "list", "-f", "json"]).ok().json();
    assert!(j[0]["mrr"].is_number() || j[0]["mrr"].is_null(), "{}", j[0]);
    let r = w.run(&["config", "set", "currency", "dollars"]).fails(1);
    assert!(r.stderr.contains("three-letter ISO 4217 code"), "{}", r.stderr);
}
