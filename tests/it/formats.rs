//! Every list and show command under every `-f`: honoured, or refused with a
//! clear error (README.md); JSON and CSV carry the same full-precision figures;
//! tables fit the terminal.

use crate::common::Work;

fn example() -> Work {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    w
}

/// Every list and show command with the forms it has — `None`: all four —
/// and, for the others, the hint its refusal ends with.
/// The forms a command has (`-f` names) and the hint its refusal ends with.
type Forms = (&'static [&'static str], &'static str);

const COMMANDS: &[(&[&str], Option<Forms>)] = &[
    (&["customer", "list"], None),
    (
        &["customer", "show", "acme"],
        Some((
            &["table", "json"],
            " (a profile is nested; `csf customer list -f csv` has one row per customer)",
        )),
    ),
    (&["health", "list"], None),
    (&["health", "show", "acme"], Some((&["table", "json", "csv"], ""))),
    (&["health", "alerts"], None),
    (&["churn", "risks"], None),
    (&["churn", "winback"], None),
    (&["churn", "reasons"], None),
    (&["churn", "rate"], None),
    (&["churn", "survey"], Some((&["markdown", "table"], " (the survey is markdown)"))),
    (&["onboarding", "due"], None),
    (&["onboarding", "funnel"], None),
    (&["onboarding", "funnel", "--cohort", "month"], None),
    (&["ticket", "list"], None),
    (
        &["ticket", "show", "1"],
        Some((
            &["table", "json"],
            " (a timeline is nested; `csf ticket list -f csv` has one row per ticket)",
        )),
    ),
    (&["ticket", "followups"], None),
    (&["report", "metrics"], None),
    (
        &["report", "plan"],
        Some((&["markdown"], " (the plan is markdown only; `csf report metrics -f json` has its figures)")),
    ),
    (&["config", "list"], None),
    (&["import", "--list-presets"], None),
];

#[test]
fn every_list_and_show_command_honours_or_refuses_each_format() {
    let w = example();
    for (cmd, forms) in COMMANDS {
        for f in ["table", "markdown", "json", "csv"] {
            let mut args: Vec<&str> = cmd.to_vec();
            args.extend(["-f", f]);
            let before = w.dump();
            let r = w.run(&args);
            let what = format!("csf {}", args.join(" "));
            match forms {
                Some((has, hint)) if !has.contains(&f) => {
                    let want = format!(
                        "error: {} has no {f} form; use -f {}{hint}\n",
                        cmd[..2].join(" "),
                        has.join(" or -f ")
                    );
                    assert_eq!(
                        (r.code, r.stderr.as_str(), r.stdout.as_str()),
                        (1, want.as_str(), ""),
                        "{what}"
                    );
                }
                _ => {
                    assert_eq!(r.code, 0, "{what}: {}", r.stderr);
                    match f {
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
                            r.stdout.contains("| ")
                                || r.stdout.starts_with('#')
                                || r.stdout.starts_with("Last "),
                            "{what}: not markdown:\n{}",
                            r.stdout
                        ),
                        _ => assert!(!r.stdout.is_empty(), "{what}: empty"),
                    }
                }
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
    // acme's MRR in the example data is 199.00 (src/example.rs).
    let acme = |t: &str| {
        t.lines().find(|l| l.contains("┆ Acme Analytics ")).unwrap_or_else(|| panic!("{t}")).to_string()
    };
    let t = w.run(&["customer", "list"]).ok().stdout;
    assert!(acme(&t).contains("┆ $199.00 ┆"), "{t}");
    w.run(&["-q", "config", "set", "currency", "eur", "--force"]).ok();
    assert_eq!(w.run(&["config", "get", "currency"]).ok().stdout, "EUR\n");
    let t = w.run(&["customer", "list"]).ok().stdout;
    assert!(acme(&t).contains("┆ €199.00 ┆"), "{t}");
    assert!(!t.contains('$'), "{t}");
    // Machine formats carry plain numbers.
    let j = w.run(&["customer", "list", "-f", "json"]).ok().json();
    let a = j.as_array().unwrap().iter().find(|c| c["customer_id"] == "acme").unwrap();
    assert_eq!(a["mrr"], 199.0, "{a}");
    let r = w.run(&["config", "set", "currency", "dollars"]).fails(1);
    assert!(r.stderr.contains("three-letter ISO 4217 code"), "{}", r.stderr);
}

/// Money knows its currency's minor unit (ISO 4217): yen have no decimals,
/// dinars three; tables group thousands; JSON carries whole units.
#[test]
fn yen_have_no_decimals_and_dinars_three() {
    let w = Work::new();
    w.run(&["-q", "init"]).ok();
    w.run(&["-q", "config", "set", "currency", "JPY"]).ok();
    w.file("c.csv", "id,name,mrr\nkyoto,Kyoto KK,4900\nosaka,Osaka KK,1250000\n");
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    let t = w.run(&["customer", "list"]).ok().stdout;
    assert!(t.contains("¥4,900 ") && t.contains("¥1,250,000 "), "{t}");
    assert!(!t.contains("¥4900.00"), "{t}");
    let j = w.run(&["customer", "list", "-f", "json"]).ok().json();
    assert_eq!(j[0]["mrr"], 4900.0, "{j}");
    let before = w.dump();
    w.file("bad.csv", "id,mrr\nnara,49.50\n");
    let r = w.run(&["import", "customers", "bad.csv"]).fails(1);
    assert!(r.stderr.contains("bad.csv:2") && r.stderr.contains("\"49.50\""), "{}", r.stderr);
    assert_eq!(w.dump(), before);

    let w = Work::new();
    w.run(&["-q", "init"]).ok();
    w.run(&["-q", "config", "set", "currency", "BHD"]).ok();
    w.file("c.csv", "id,mrr\nmanama,12.345\n");
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    let t = w.run(&["customer", "list"]).ok().stdout;
    assert!(t.contains("12.345 BHD"), "{t}");
    assert_eq!(w.count("SELECT mrr_cents FROM customers"), 12_345);
}
