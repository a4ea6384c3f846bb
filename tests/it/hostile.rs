//! Issue 20, hostile input: endless lines, old line ends, terminal escapes
//! and huge numbers. Every refusal leaves the database and the input as
//! they were.

use crate::common::Work;

/// A line or field longer than 1 MiB stops the import at once with its
/// file:line; memory stays bounded whatever the input (even `/dev/zero`).
#[test]
fn an_endless_line_or_field_stops_the_import_at_its_line() {
    let w = Work::new();
    w.run(&["customer", "add", "acme"]).ok();
    let before = w.dump();
    let mut unbroken = b"customer,timestamp,event\nacme,2026-11-01,login\n".to_vec();
    unbroken.resize(unbroken.len() + (2 << 20), b'x');
    let mut quoted = b"customer,timestamp,event\nacme,2026-11-01,login\nacme,2026-11-02,\"".to_vec();
    quoted.extend(std::iter::repeat_n(b"ab\n".as_slice(), 700_000).flatten());
    quoted.extend_from_slice(b"\"\n");
    for (name, bytes, want) in [
        ("long.csv", &unbroken, "long.csv:3: a field longer than 1 MiB"),
        ("quoted.csv", &quoted, "quoted.csv:3: a field longer than 1 MiB"),
    ] {
        let input = w.file(name, bytes);
        let r = w.run(&["import", "usage", name]).fails(1);
        assert!(r.stderr.starts_with(&format!("error: {want}")), "{}", r.stderr);
        assert!(r.stderr.contains("nothing was imported — is this a CSV file?"), "{}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert_eq!(w.dump(), before);
        assert_eq!(&std::fs::read(&input).unwrap(), bytes);
    }
    // No line end ever: the file and standard input both end quickly.
    let r = w.run(&["import", "usage", "/dev/zero"]).fails(1);
    // Its first bytes are NUL: refused before any line is read (issue 38 N18).
    assert!(
        r.stderr.starts_with(
            "error: /dev/zero is not UTF-8 text (it starts with NUL bytes: UTF-32 or a binary file); nothing \
             was imported — is this a CSV file?"
        ),
        "{}",
        r.stderr
    );
    let r = w.shell("head -c 3000000 /dev/zero | \"$@\" import usage -", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("error: <stdin>:1: a line longer than 1 MiB"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
}

/// Problems name the physical line in files with old Mac line ends (a lone
/// CR) and after a BOM before a quoted header that spans two lines.
#[test]
fn line_numbers_are_right_for_cr_only_files_and_a_bom_before_a_quoted_header() {
    let w = Work::new();
    w.run(&["customer", "add", "acme"]).ok();
    let before = w.dump();
    for (name, text, want) in [
        (
            "mac.csv",
            "customer,timestamp,event\racme,2026-11-01,login\racme,11/05/2026,login\r",
            "mac.csv:3: ",
        ),
        (
            "bom.csv",
            "\u{feff}\"notes\n(free text)\",customer,timestamp,event\nx,acme,2026-11-01,login\n\
             \"two\r\nlines\",acme,2026-11-02,login\ny,acme,11/05/2026,login\n",
            "bom.csv:6: ",
        ),
    ] {
        let input = w.file(name, text);
        let r = w.run(&["import", "usage", name]).fails(1);
        assert!(r.stderr.starts_with(&format!("{want}column \"timestamp\": \"11/05/2026\"")), "{}", r.stderr);
        assert!(r.stderr.contains("1 invalid row; nothing was imported"), "{}", r.stderr);
        assert_eq!(w.dump(), before);
        assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    }
    // Both import once fixed; the quoted header's BOM is not part of its name.
    w.file("mac.csv", "customer,timestamp,event\racme,2026-11-01,login\racme,2026-11-05,login\r");
    w.run(&["-q", "import", "usage", "mac.csv"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 2);
}

/// Control characters and bidi overrides in data never reach the terminal:
/// tables, markdown, drafts and error messages show them escaped (`\x1b`,
/// `\u{202e}`); JSON and CSV keep the data as it is.
#[test]
fn terminal_escapes_in_data_are_shown_escaped() {
    let w = Work::new();
    let evil = "\x1b]0;pwned\x07Evil\x1b[2J";
    // Refused at entry (they could break a draft's header) ...
    w.run(&["customer", "add", "evil", "--name", evil, "--mrr", "10", "--signed-up", "2026-11-18"]).fails(1);
    // ... but a file written by an older csf may hold them: shown escaped.
    w.run(&["customer", "add", "evil", "--name", "Evil", "--mrr", "10", "--signed-up", "2026-11-18"]).ok();
    w.conn().execute("UPDATE customers SET name = ?1 WHERE id = 'evil'", [evil]).unwrap();
    w.run(&["ticket", "open", "evil", "Sub\u{202e}ject\r\x08\x7f\u{9b}"]).fails(1);
    w.run(&["ticket", "open", "evil", "Subject"]).ok();
    w.conn().execute("UPDATE tickets SET subject = ?1", ["Sub\u{202e}ject\r\x08\x7f\u{9b}"]).unwrap();
    // An id with controls too: critical (no usage), so the plan lists it in a code span.
    w.run(&["customer", "add", "id\x1b[2J\u{202e}", "--signed-up", "2026-01-01"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    let clean = |what: &str, s: &str| {
        for bad in ['\x1b', '\x07', '\u{202e}', '\r', '\x08', '\0', '\x7f', '\u{9b}'] {
            assert!(!s.contains(bad), "{what}: {bad:?} in {s:?}");
        }
    };
    for args in [
        &["customer", "list"][..],
        &["customer", "list", "-f", "markdown"],
        &["customer", "show", "evil"],
        &["health", "show", "evil"],
        &["health", "list"],
        &["ticket", "list"],
        &["ticket", "list", "-f", "markdown"],
        &["ticket", "show", "1"],
        &["today"],
        &["today", "-f", "markdown"],
        &["report", "plan"],
    ] {
        let r = w.run(args).ok();
        clean(&format!("{args:?} stdout"), &r.stdout);
        clean(&format!("{args:?} stderr"), &r.stderr);
    }
    let r = w.run(&["customer", "show", "evil"]).ok();
    assert!(r.stdout.starts_with("\\x1b]0;pwned\\x07Evil\\x1b[2J (evil)\n"), "{}", r.stdout);
    let r = w.run(&["health", "show", "evil"]).ok();
    assert!(r.stdout.starts_with("\\x1b]0;pwned\\x07Evil\\x1b[2J (evil) — health"), "{}", r.stdout);
    let r = w.run(&["ticket", "list"]).ok();
    assert!(r.stdout.contains("Sub\\u{202e}ject\\x0d\\x08\\x7f\\u{9b}"), "{}", r.stdout);
    // JSON and CSV are data: kept as they are (JSON escapes controls itself).
    let r = w.run(&["customer", "list", "-f", "json"]).ok();
    assert_eq!(r.json()[0]["name"], evil);
    assert!(w.run(&["customer", "list", "-f", "csv"]).ok().stdout.contains(evil));
    // An import problem quoting a cell.
    let before = w.dump();
    let text = "customer,timestamp,event\nevil,\x1b[2J2026\u{202e}\0,login\n";
    let input = w.file("u.csv", text);
    let r = w.run(&["import", "usage", "u.csv"]).fails(1);
    clean("import stderr", &r.stderr);
    assert!(
        r.stderr.starts_with("u.csv:2: column \"timestamp\": \"\\x1b[2J2026\\u{202e}\\x00\""),
        "{}",
        r.stderr
    );
    assert_eq!(w.dump(), before);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    let r = w.run(&["import", "usage", "u.csv", "--skip-invalid"]).ok();
    clean("skip-invalid stderr", &r.stderr);
}

/// Counts and money are bounded at import; sums on a database crafted past
/// the bounds neither fail with an overflow nor print a wrapped number.
#[test]
fn huge_counts_and_amounts_are_refused_and_sums_never_overflow() {
    let w = Work::new();
    w.run(&["customer", "add", "acme", "--mrr", "10", "--signed-up", "2026-01-01"]).ok();
    w.run(&["customer", "add", "globex", "--mrr", "10", "--signed-up", "2026-01-01"]).ok();
    let before = w.dump();
    let max = i64::MAX.to_string();
    let text =
        format!("customer,timestamp,event,count\nacme,2026-11-18,login,{max}\nacme,2026-11-19,login,{max}\n");
    let input = w.file("u.csv", &text);
    let r = w.run(&["import", "usage", "u.csv"]).fails(1);
    let want = format!(
        "u.csv:2: column \"count\": \"{max}\" is not a whole number from 1 to 1,000,000,000 (the limit per row)\n"
    );
    assert!(r.stderr.starts_with(&want), "{}", r.stderr);
    assert!(r.stderr.contains("2 invalid rows; nothing was imported"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    let text = "customer_id,mrr\nacme,92233720368547758.07\nglobex,-1000000000.01\n";
    w.file("c.csv", text);
    let r = w.run(&["import", "customers", "c.csv"]).fails(1);
    assert!(
        r.stderr.starts_with(
            "c.csv:2: column \"mrr\": \"92233720368547758.07\" is above the limit of 1,000,000,000.00 (either way)"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("c.csv:3: column \"mrr\": \"-1000000000.01\" is above the limit"),
        "{}",
        r.stderr
    );
    assert_eq!(w.dump(), before);
    let r = w.run(&["customer", "edit", "acme", "--mrr", "1000000000.01"]).fails(1);
    assert!(r.stderr.contains("limit of 1,000,000,000.00"), "{}", r.stderr);
    // The bounds themselves are accepted.
    w.file("ok.csv", "customer,timestamp,event,count\nacme,2026-11-10,login,1000000000\n");
    w.run(&["-q", "import", "usage", "ok.csv"]).ok();
    // A database written past the bounds by another program.
    {
        let c = w.conn();
        c.execute_batch(&format!(
            "INSERT INTO usage_events (cid, ts, event_id, count)
               SELECT cid, ts + 60, event_id, {max} FROM usage_events;
             INSERT INTO usage_events (cid, ts, event_id, count)
               SELECT cid, ts + 120, event_id, {max} FROM usage_events WHERE count = {max};
             UPDATE customers SET mrr_cents = {max}, churned_at = 1790000000;"
        ))
        .unwrap();
    }
    w.run(&["-q", "health", "score"]).ok();
    for args in [
        &["customer", "show", "acme"][..],
        &["customer", "list"],
        &["report", "plan"],
        &["report", "metrics"],
        &["churn", "risks"],
        &["churn", "rate"],
        &["churn", "reasons"],
        &["today"],
    ] {
        let r = w.run(args);
        assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("bug") && !r.stderr.contains("overflow"), "{args:?}: {}", r.stderr);
        assert!(
            !r.stdout.contains("$-") && !r.stdout.contains("-$") && !r.stdout.contains("-9"),
            "{args:?}: {}",
            r.stdout
        );
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
}
