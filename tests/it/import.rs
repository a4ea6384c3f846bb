//! `csf import` (docs/import.md): every kind and every common rule, with the exact
//! message a user reads and the database unchanged after a failure.

use crate::common::Work;

const CUSTOMERS: &str = "id,name,email,plan,mrr,signed_up_at\n\
    acme,Acme,ops@acme.test,pro,$49.00,2026-01-05\n\
    globex,Globex,it@globex.test,team,99 USD,2026-02-01T10:00:00Z\n";

fn with_customers() -> Work {
    let w = Work::new();
    w.file("customers.csv", CUSTOMERS);
    w.run(&["import", "customers", "customers.csv"]).ok();
    w
}

/// Runs an import that must fail; checks exit 1, the exact stderr, and that
/// nothing changed.
#[track_caller]
fn refused(w: &Work, kind: &str, name: &str, content: &[u8], stderr: &str) {
    w.file(name, content);
    let before = w.dump();
    let r = w.run(&["import", kind, name]).fails(1);
    assert_eq!(r.stderr, stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(w.dump(), before, "a failed import changed the database");
}

#[test]
fn customers_are_imported_with_money_and_dates() {
    let w = with_customers();
    let j = w.run(&["customer", "show", "globex", "-f", "json"]).ok().json();
    assert_eq!(j["mrr"], 99.0);
    assert_eq!(j["signed_up_at"], "2026-02-01T10:00:00Z");
    assert_eq!(w.count("SELECT mrr_cents FROM customers WHERE id = 'acme'"), 4900);
    assert_eq!(w.count("SELECT signed_up_at FROM customers WHERE id = 'acme'"), 1_767_571_200);
}

#[test]
fn summary_goes_to_stderr_and_stdout_stays_empty() {
    let w = Work::new();
    w.file("c.csv", CUSTOMERS);
    let r = w.run(&["import", "customers", "c.csv"]).ok();
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.starts_with("customers: 2 rows read, 2 inserted, 0 changed, 0 unchanged, 0 skipped in "),
        "{}",
        r.stderr
    );
    assert!(r.stderr.trim_end().ends_with("(c.csv)"), "{}", r.stderr);
    let r = w.run(&["-q", "import", "customers", "c.csv"]).ok();
    assert_eq!(r.stderr, "");
    assert_eq!(w.count("SELECT count(*) FROM import_log"), 2);
}

#[test]
fn usage_nps_billing_tickets_import_by_id_or_email() {
    let w = with_customers();
    w.file("u.csv", "customer,timestamp,event,count\nacme,2026-11-01T10:00:00Z,reports,3\nIT@GLOBEX.TEST,1793527200,export,\n");
    w.run(&["import", "usage", "u.csv"]).ok();
    assert_eq!(w.count("SELECT sum(count) FROM usage_events"), 4);
    assert_eq!(
        w.count("SELECT count(*) FROM usage_events u JOIN customers c USING (cid) WHERE c.id = 'globex'"),
        1
    );
    assert_eq!(w.count("SELECT first_seen FROM event_names WHERE name = 'export'"), 1_793_527_200);

    w.file("n.csv", "customer,responded_at,score,comment\nacme,2026-11-02,9,\"Great, fast\"\n");
    w.run(&["import", "nps", "n.csv"]).ok();
    let c: String = w.conn().query_row("SELECT comment FROM nps_responses", [], |r| r.get(0)).unwrap();
    assert_eq!(c, "Great, fast");

    w.file("b.csv", "customer,date,amount,status,invoice_id\nacme,2026-11-01,€49.00,Succeeded,in_1\nglobex,2026-11-01,-12.5,past_due,\n");
    w.run(&["import", "billing", "b.csv"]).ok();
    let rows: Vec<(String, i64)> = w
        .conn()
        .prepare("SELECT status, amount_cents FROM billing_records ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows, vec![("paid".into(), 4900), ("late".into(), -1250)]);

    w.file(
        "t.csv",
        "id,customer,subject,category,priority,channel,created_at,first_response_at,resolved_at,csat\n\
         T-1,acme,Export fails,Bug,High,Chat,2026-11-01T10:00:00Z,2026-11-01T10:30:00Z,2026-11-01T12:00:00Z,5\n\
         T-2,globex,Invoice,billing,,email,2026-11-02T10:00:00Z,,,\n",
    );
    w.run(&["import", "tickets", "t.csv"]).ok();
    let (status, category, csat_at): (String, String, i64) = w
        .conn()
        .query_row("SELECT status, category, csat_at FROM tickets WHERE id = 'T-1'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((status.as_str(), category.as_str()), ("resolved", "bug"));
    assert_eq!(csat_at, 1_793_534_400); // resolved_at, 2026-11-01T12:00:00Z
    assert_eq!(w.count("SELECT count(*) FROM ticket_events"), 5);
    assert_eq!(
        w.count("SELECT count(*) FROM tickets WHERE id = 'T-2' AND status = 'open' AND priority = 'normal'"),
        1
    );
}

/// Rows are written sorted by key a batch at a time (time-ordered exports
/// land in order); among rows with the same key the last in the file still
/// wins, and the counts are those of writing row by row.
#[test]
fn a_time_ordered_file_with_a_repeated_key_keeps_the_last_row() {
    let w = with_customers();
    w.file(
        "u.csv",
        "customer,timestamp,event,count
         globex,2026-11-01T09:00:00Z,reports,1
         acme,2026-11-01T10:00:00Z,reports,3
         globex,2026-11-01T11:00:00Z,export,2
         acme,2026-11-01T10:00:00Z,reports,7
         acme,2026-11-01T12:00:00Z,export,1
",
    );
    let r = w.run(&["import", "usage", "u.csv"]).ok();
    assert!(
        r.stderr.starts_with("usage: 5 rows read, 4 inserted, 1 changed, 0 unchanged, 0 skipped"),
        "{}",
        r.stderr
    );
    assert_eq!(
        w.count("SELECT count FROM usage_events u JOIN customers c ON c.cid = u.cid WHERE c.id = 'acme' AND u.ts = 1793527200"),
        7
    );
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 4);
    let r = w.run(&["import", "usage", "u.csv", "--dry-run"]).ok();
    // Identical rows are unchanged; the repeated key changes the count twice (7 → 3 → 7).
    assert!(r.stderr.contains("would insert 0, change 2, leave 3 unchanged"), "{}", r.stderr);
}

/// A file larger than one in-memory run (2^17 rows) is sorted through a
/// temporary file and merged: same result as row by row, the last of equal
/// keys wins, and nothing is left in the temporary folder.
#[test]
fn a_large_time_ordered_file_is_merged_with_the_same_result() {
    let w = with_customers();
    let mut csv = String::from("customer,timestamp,event,count\n");
    let n = 300_000u64;
    for i in 0..n {
        let who = if i % 2 == 0 { "acme" } else { "globex" };
        csv.push_str(&format!("{who},{},reports,{}\n", 1_700_000_000 + i, 1 + i % 5));
    }
    // The same key as the very first row, at the end: it replaces it.
    csv.push_str("acme,1700000000,reports,9\n");
    w.file("big.csv", &csv);
    let tmp = w.path("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let r = w.cmd().env("TMPDIR", &tmp).args(["import", "usage", "big.csv"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{stderr}");
    assert!(stderr.starts_with(&format!("usage: {} rows read, {n} inserted, 1 changed", n + 1)), "{stderr}");
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), n as i64);
    assert_eq!(w.count("SELECT count FROM usage_events WHERE ts = 1700000000"), 9);
    // Counts 1..=5 in turn: 60,000 of each is 900,000; the first row (1) became 9.
    assert_eq!(w.count("SELECT sum(count) FROM usage_events"), 900_000 - 1 + 9);
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "the sort file is gone");
}

#[test]
fn reimport_does_not_double_count() {
    let w = with_customers();
    let usage =
        "customer,timestamp,event\nacme,2026-11-01T10:00:00Z,reports\nacme,2026-11-02T10:00:00Z,reports\n";
    w.file("u.csv", usage);
    w.run(&["import", "usage", "u.csv"]).ok();
    let r = w.run(&["import", "usage", "u.csv"]).ok();
    assert!(
        r.stderr.starts_with("usage: 2 rows read, 0 inserted, 0 changed, 2 unchanged, 0 skipped"),
        "{}",
        r.stderr
    );
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 2);
    // An overlapping export: one old row, one new one.
    w.file(
        "u2.csv",
        "customer,timestamp,event\nacme,2026-11-02T10:00:00Z,reports\nacme,2026-11-03T10:00:00Z,reports\n",
    );
    let r = w.run(&["import", "usage", "u2.csv"]).ok();
    assert!(r.stderr.starts_with("usage: 2 rows read, 1 inserted, 0 changed, 1 unchanged"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 3);

    for (kind, csv) in [
        ("nps", "customer,responded_at,score\nacme,2026-11-02,9\n"),
        ("billing", "customer,date,amount,status,invoice_id\nacme,2026-11-01,49,paid,in_1\nacme,2026-11-01,49,paid,\n"),
        ("tickets", "id,customer,created_at,first_response_at,csat\n7,acme,2026-11-01,2026-11-01T01:00:00Z,4\n"),
        ("customers", CUSTOMERS),
    ] {
        w.file("k.csv", csv);
        w.run(&["import", kind, "k.csv"]).ok();
        // Every table keeps its row count; only the import log gains the run.
        let counts = |w: &Work| {
            w.row_counts().into_iter().map(|(t, n)| if t == "import_log" { (t, n + 1) } else { (t, n) }).collect::<Vec<_>>()
        };
        let before = counts(&w);
        w.run(&["import", kind, "k.csv"]).ok();
        assert_eq!(w.row_counts(), before, "{kind} re-import changed row counts");
    }
    assert_eq!(w.count("SELECT count(*) FROM nps_responses"), 1);
    assert_eq!(w.count("SELECT count(*) FROM billing_records"), 2);
    assert_eq!(w.count("SELECT count(*) FROM ticket_events"), 3);
    assert_eq!(w.count("SELECT count(*) FROM customers"), 2);
}

#[test]
fn bom_crlf_and_quoted_newlines_are_read() {
    let w = with_customers();
    let content = "\u{feff}Customer,Responded At,Score,Comment\r\nacme,2026-11-02,3,\"line one\r\nline \"\"two\"\", with comma\"\r\nglobex,2026-11-03,10,\r\n";
    w.file("n.csv", content);
    w.run(&["import", "nps", "n.csv"]).ok();
    let c: String =
        w.conn().query_row("SELECT comment FROM nps_responses WHERE score = 3", [], |r| r.get(0)).unwrap();
    assert_eq!(c, "line one\r\nline \"two\", with comma");
    assert_eq!(w.count("SELECT count(*) FROM nps_responses"), 2);
}

#[test]
fn aliases_map_and_delimiters() {
    let w = with_customers();
    w.file("a.csv", "User_ID;Occurred-At;Event Name;Quantity\nacme;2026-11-01 10:00;reports;2\n");
    w.run(&["import", "usage", "a.csv", "--delimiter", ";"]).ok();
    w.file("b.tsv", "distinct_id\tdate\tfeature\nacme\t20261102\texport\n");
    w.run(&["import", "usage", "b.tsv", "--delimiter", "\\t"]).ok();
    w.file("c.csv", "who,How likely are you to recommend us?,when\nglobex,8,2026-11-05\n");
    w.run(&[
        "import",
        "nps",
        "c.csv",
        "--map",
        "customer=who",
        "--map",
        "score=How likely are you to recommend us?",
        "--map",
        "responded_at=When",
    ])
    .ok();
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 2);
    assert_eq!(w.count("SELECT score FROM nps_responses"), 8);
}

#[test]
fn missing_required_column_lists_headers_found() {
    let w = with_customers();
    refused(
        &w,
        "usage",
        "u.csv",
        b"customer,when,event\nacme,2026-11-01,reports\n",
        "error: u.csv: missing required column \"timestamp\" (or one of: time, occurred_at, date, created_at); \
         the headers found are: customer, when, event — rename the column or pass --map timestamp=HEADER\n",
    );
}

#[test]
fn empty_file_is_an_error_and_header_only_imports_nothing() {
    let w = with_customers();
    refused(&w, "nps", "e.csv", b"", "error: e.csv is empty: a CSV file needs a header row (nps needs at least: customer, responded_at, score)\n");
    w.file("h.csv", "customer,responded_at,score\n");
    let r = w.run(&["import", "nps", "h.csv"]).ok();
    assert!(r.stderr.starts_with("nps: 0 rows read, 0 inserted"), "{}", r.stderr);
}

#[test]
fn bad_values_are_reported_with_file_line_column_and_value() {
    let w = with_customers();
    refused(
        &w,
        "nps",
        "n.csv",
        b"customer,responded_at,score\nacme,2026-11-01,9\nacme,2026-11-02,11\nglobex,11/05/2026,5\nglobex,2026-11-03,seven\n",
        "n.csv:3: column \"score\": \"11\" is not an integer from 0 to 10\n\
         n.csv:4: column \"responded_at\": \"11/05/2026\" is an ambiguous date; use an ISO date such as 2026-11-05 (YYYY-MM-DD), or say how to read it: --date-format %m/%d/%Y\n\
         n.csv:5: column \"score\": \"seven\" is not an integer from 0 to 10\n\
         error: n.csv: 3 invalid rows; nothing was imported — fix them, or pass --skip-invalid to import the good rows\n",
    );
    refused(
        &w,
        "billing",
        "b.csv",
        b"customer,date,amount,status\nacme,2026-11-01,lots,paid\nacme,2026-11-02,10,maybe\n",
        "b.csv:2: column \"amount\": \"lots\" is not an amount of money; use a number such as 49.00, optionally with $, €, £ or a trailing currency code (49.00 USD)\n\
         b.csv:3: column \"status\": \"maybe\" is not a billing status; use paid, late, failed, refunded or void (or succeeded, open, past_due, unpaid, overdue, uncollectible, declined, canceled, draft)\n\
         error: b.csv: 2 invalid rows; nothing was imported — fix them, or pass --skip-invalid to import the good rows\n",
    );
    refused(
        &w,
        "usage",
        "u.csv",
        b"customer,timestamp,event,count\nacme,yesterday,reports,1\nacme,2026-11-01,reports,0\n",
        "u.csv:2: column \"timestamp\": \"yesterday\" is not a timestamp; use RFC 3339 (2026-11-20T10:00:00Z), YYYY-MM-DD[ HH:MM[:SS]], YYYYMMDD or Unix epoch seconds (10 digits) / milliseconds (13 digits)\n\
         u.csv:3: column \"count\": \"0\" is not a whole number from 1 to 1,000,000,000 (the limit per row)\n\
         error: u.csv: 2 invalid rows; nothing was imported — fix them, or pass --skip-invalid to import the good rows\n",
    );
    refused(
        &w,
        "tickets",
        "t.csv",
        b"id,customer,created_at,csat\n1,acme,2026-11-01,6\n",
        "t.csv:2: column \"csat\": \"6\" is not an integer from 1 to 5\n\
         error: t.csv: 1 invalid row; nothing was imported — fix it, or pass --skip-invalid to import the good rows\n",
    );
}

#[test]
fn malformed_csv_names_the_line() {
    let w = with_customers();
    refused(
        &w,
        "nps",
        "latin1.csv",
        b"customer,responded_at,score,comment\nacme,2026-11-01,9,caf\xe9\n",
        "error: latin1.csv:2 is not UTF-8 (column \"comment\", byte 4 of the cell is 0xe9: the file looks like Latin-1 or Windows-1252); save it as UTF-8 (a spreadsheet's \"CSV UTF-8\", or `iconv -f WINDOWS-1252 -t UTF-8`) and import it again; nothing was imported\n",
    );
    refused(
        &w,
        "nps",
        "trunc.csv",
        b"customer,responded_at,score,comment\nacme,2026-11-01,9,ok\nacme,2026-11-02,9,\"never closed\nmore text\n",
        "error: trunc.csv:3: a quoted field that opens on this line is never closed (is the file truncated?); nothing was imported — close the quote or re-export the file\n",
    );
    refused(
        &w,
        "nps",
        "wide.csv",
        b"customer,responded_at,score\nacme,2026-11-01,9,extra\n",
        "wide.csv:2: has 4 fields but the header has 3 — quote fields that contain the delimiter\n\
         error: wide.csv: 1 invalid row; nothing was imported — fix it, or pass --skip-invalid to import the good rows\n",
    );
}

#[test]
fn unknown_customers_are_refused_unless_created() {
    let w = with_customers();
    let csv = b"customer,timestamp,event\nghost,2026-11-01,reports\nnew@x.test,2026-11-01,reports\nacme,2026-11-01,reports\n";
    refused(
        &w,
        "usage",
        "u.csv",
        csv,
        "u.csv:2: column \"customer\": \"ghost\" is not a known customer id or email\n\
         u.csv:3: column \"customer\": \"new@x.test\" is not a known customer id or email\n\
         unknown customers: ghost, new@x.test — add them first (csf import customers), or pass --create-missing to create them\n\
         error: u.csv: 2 invalid rows; nothing was imported — fix them, or pass --skip-invalid to import the good rows\n",
    );
    let r = w.run(&["import", "usage", "u.csv", "--create-missing"]).ok();
    assert!(
        r.stderr.contains("3 inserted, 0 changed, 0 unchanged, 0 skipped, 2 customers created"),
        "{}",
        r.stderr
    );
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE id = 'new@x.test' AND email = 'new@x.test'"), 1);
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE id = 'ghost' AND signed_up_at IS NULL"), 1);
}

#[test]
fn more_than_twenty_problems_are_counted() {
    let w = with_customers();
    let mut csv = String::from("customer,responded_at,score\n");
    for _ in 0..25 {
        csv.push_str("acme,2026-11-01,99\n");
    }
    w.file("n.csv", &csv);
    let r = w.run(&["import", "nps", "n.csv"]).fails(1);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 22);
    assert_eq!(lines[19], "n.csv:21: column \"score\": \"99\" is not an integer from 0 to 10");
    assert_eq!(lines[20], "... and 5 more problems");
    assert!(lines[21].starts_with("error: n.csv: 25 invalid rows"));
}

#[test]
fn skip_invalid_imports_good_rows_and_writes_rejects() {
    let w = with_customers();
    w.file("n.csv", "customer,responded_at,score\nacme,2026-11-01,9\nacme,2026-11-02,11\nghost,2026-11-03,5\nglobex,2026-11-04,7\n");
    let r = w.run(&["import", "nps", "n.csv", "--skip-invalid", "--rejects", "rej.csv"]).ok();
    assert!(
        r.stderr.contains("skipped n.csv:3: column \"score\": \"11\" is not an integer from 0 to 10"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("nps: 4 rows read, 2 inserted, 0 changed, 0 unchanged, 2 skipped"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("skipped rows written to rej.csv"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(*) FROM nps_responses"), 2);
    let rejects = std::fs::read_to_string(w.path("rej.csv")).unwrap();
    assert_eq!(
        rejects,
        "customer,responded_at,score,reason\n\
         acme,2026-11-02,11,\"n.csv:3: column \"\"score\"\": \"\"11\"\" is not an integer from 0 to 10\"\n\
         ghost,2026-11-03,5,\"n.csv:4: column \"\"customer\"\": \"\"ghost\"\" is not a known customer id or email\"\n"
    );
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let w = with_customers();
    w.file("u.csv", "customer,timestamp,event\nacme,2026-11-01,reports\nnobody,2026-11-01,reports\n");
    let before = w.dump();
    let r = w.run(&["import", "usage", "u.csv", "--dry-run", "--create-missing"]).ok();
    assert!(
        r.stderr.starts_with("usage (dry run, nothing written): 2 rows read, would insert 2, change 0, leave 0 unchanged, skip 0, 1 customer created"),
        "{}",
        r.stderr
    );
    assert_eq!(w.dump(), before);
    // and a dry run still finds the problems
    w.file("bad.csv", "customer,timestamp,event\nacme,someday,reports\n");
    w.run(&["import", "usage", "bad.csv", "--dry-run"]).fails(1);
}

#[test]
fn stdin_is_read_with_dash() {
    let w = with_customers();
    let r = w
        .run_stdin(
            &["import", "nps", "-"],
            "customer,responded_at,score\nacme,2026-11-01,10\nacme,2026-11-02,x\n",
        )
        .fails(1);
    assert!(r.stderr.starts_with("<stdin>:3: column \"score\": \"x\""), "{}", r.stderr);
    w.run_stdin(&["import", "nps", "-"], "customer,responded_at,score\nacme,2026-11-01,10\n").ok();
    assert_eq!(w.count("SELECT count(*) FROM nps_responses"), 1);
}

#[test]
fn bad_flags_are_clear_errors() {
    let w = with_customers();
    let r = w.run(&["import", "nps", "nope.csv"]).fails(1);
    assert!(r.stderr.starts_with("error: could not open nope.csv; check the path"), "{}", r.stderr);
    w.file("n.csv", "customer,responded_at,score\n");
    let r = w.run(&["import", "nps", "n.csv", "--map", "mood=x"]).fails(1);
    assert!(
        r.stderr.contains("nps has no field \"mood\"; its fields are customer, responded_at, score, comment"),
        "{}",
        r.stderr
    );
    let r = w.run(&["import", "nps", "n.csv", "--map", "score"]).fails(1);
    assert!(r.stderr.contains("is not FIELD=HEADER"), "{}", r.stderr);
    let r = w.run(&["import", "nps", "n.csv", "--delimiter", ";;"]).fails(1);
    assert!(r.stderr.contains("must be one ASCII character"), "{}", r.stderr);
    w.run(&["import", "nps", "n.csv", "--rejects", "r.csv"]).fails(2); // needs --skip-invalid
}

#[test]
fn two_imports_at_once_both_succeed() {
    let w = with_customers();
    let mut a = String::from("customer,timestamp,event\n");
    let mut b = String::from("customer,timestamp,event\n");
    for i in 0..20_000 {
        a.push_str(&format!("acme,{},reports\n", 1_790_000_000 + i));
        b.push_str(&format!("globex,{},export\n", 1_790_000_000 + i));
    }
    w.file("a.csv", a);
    w.file("b.csv", b);
    let (p1, p2) = (w.spawn(&["import", "usage", "a.csv"]), w.spawn(&["import", "usage", "b.csv"]));
    for p in [p1, p2] {
        let o = p.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 40_000);
}

#[test]
fn lines_are_physical_lines_with_crlf_quoted_newlines_and_blank_lines() {
    let w = Work::new();
    w.file("crlf.csv", "id,plan\r\nacme,Acme\r\nbeta,\"Beta\r\nCo\"\r\n,missing id\r\n");
    let r = w.run(&["import", "customers", "crlf.csv"]).fails(1);
    assert!(r.stderr.starts_with("crlf.csv:5: column \"id\": \"\" is empty"), "{}", r.stderr);
    let w = with_customers();
    w.file("blank.csv", "customer,timestamp,event\nacme,2026-11-01,login\n\n\nacme,11/05/2026,login\n");
    let r = w.run(&["import", "usage", "blank.csv"]).fails(1);
    assert!(r.stderr.starts_with("blank.csv:5: column \"timestamp\""), "{}", r.stderr);
}

#[test]
fn a_quote_inside_an_unquoted_field_is_text() {
    let w = Work::new();
    w.file("stray.csv", "id,name\nacme,Acme 27\" monitor\n");
    w.run(&["import", "customers", "stray.csv"]).ok();
    let name: String = w.conn().query_row("SELECT name FROM customers", [], |r| r.get(0)).unwrap();
    assert_eq!(name, "Acme 27\" monitor");
    // a truncated file names the line where the quote opened
    w.file("cut.csv", "id,name\nb,\"Beta\nstill open\nc,Gamma\n");
    let r = w.run(&["import", "customers", "cut.csv"]).fails(1);
    assert!(
        r.stderr.starts_with("error: cut.csv:2: a quoted field that opens on this line is never closed"),
        "{}",
        r.stderr
    );
}
