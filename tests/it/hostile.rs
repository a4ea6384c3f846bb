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
    let t = std::time::Instant::now();
    let r = w.run(&["import", "usage", "/dev/zero"]).fails(1);
    assert!(r.stderr.starts_with("error: /dev/zero:1: a field longer than 1 MiB"), "{}", r.stderr);
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("head -c 3000000 /dev/zero | \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("csf"))
        .args(["--db".as_ref(), w.db.as_os_str(), "--now".as_ref(), crate::common::NOW.as_ref()])
        .args(["import", "usage", "-"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: <stdin>:1: a line longer than 1 MiB"), "{stderr}");
    assert!(t.elapsed() < std::time::Duration::from_secs(20), "{:?}", t.elapsed());
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
