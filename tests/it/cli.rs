//! Global flags, usage errors and exit codes (README.md).

use crate::common::Work;

#[test]
fn usage_errors_exit_2() {
    let w = Work::new();
    let r = w.run(&["customer", "frobnicate"]).fails(2);
    assert!(r.stderr.contains("frobnicate"), "{}", r.stderr);
    w.run(&["--format", "xml", "customer", "list"]).fails(2);
}

#[test]
fn bad_now_is_a_clear_error() {
    let w = Work::new();
    let r = w.run_at("11/05/2026", &["customer", "list"]).fails(1);
    assert!(r.stderr.starts_with("error: --now / CSF_NOW: \"11/05/2026\""), "{}", r.stderr);
    assert!(r.stderr.contains("ISO"), "{}", r.stderr);
}

#[test]
fn now_comes_from_the_environment_too() {
    let w = Work::new();
    let o = w
        .bare()
        .env("CSF_DB", &w.db)
        .env("CSF_NOW", "2026-01-02")
        .args(["customer", "add", "b", "-q"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t: i64 = w.count("SELECT signed_up_at FROM customers WHERE id = 'b'");
    assert_eq!(t, 1_767_398_399); // 2026-01-02T23:59:59Z: a bare date is the end of that day
}

#[test]
fn help_has_an_example_on_commands() {
    let w = Work::new();
    let r = w.run(&["customer", "add", "--help"]).ok();
    assert!(r.stdout.contains("Example:"), "{}", r.stdout);
    let r = w.run(&["--help"]).ok();
    assert!(r.stdout.contains("--db"));
    assert!(r.stdout.contains("CSF_NOW"));
}

#[test]
fn completions_and_man_page_are_printed() {
    let w = Work::new();
    let r = w.run(&["completions", "bash"]).ok();
    assert!(r.stdout.contains("_csf()"), "{}", &r.stdout[..200.min(r.stdout.len())]);
    let r = w.run(&["man"]).ok();
    assert!(r.stdout.contains(".TH csf"), "{}", &r.stdout[..200.min(r.stdout.len())]);
}

/// A reader that stops early (`| head`) is not an error: csf stops quietly
/// with exit 0. The output is well over the 64 KiB a pipe buffers, so csf
/// really writes into a closed pipe.
#[test]
fn closed_pipe_is_not_an_error() {
    let w = Work::new();
    let name = "A long enough name ".repeat(10);
    let mut csv = String::from("id,name\n");
    for i in 0..2000 {
        csv.push_str(&format!("c{i:04},{name}\n"));
    }
    w.file("c.csv", &csv);
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    let full = w.run(&["customer", "list", "-f", "csv"]).ok();
    assert!(full.stdout.len() > 4 * 65_536, "{} bytes only", full.stdout.len());
    let r = w.shell("set -o pipefail; \"$@\" customer list -f csv | head -c 10 >/dev/null", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
}
