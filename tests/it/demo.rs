//! `csf demo` and `csf init --example` (README.md).

use crate::common::Work;

#[test]
fn demo_needs_no_setup_and_never_touches_the_users_database() {
    let w = Work::new();
    let r = w.run(&["demo"]).ok();
    assert!(r.stdout.starts_with("# csf demo — example customers as of 2026-11-20\n"), "{}", r.stdout);
    assert!(r.stdout.contains("Acme Analytics"), "{}", r.stdout);
    assert!(r.stdout.contains("critical"), "{}", r.stdout);
    assert!(r.stderr.contains("csf init --example"), "{}", r.stderr);
    assert!(!w.db.exists(), "the demo created the user's database");
}

#[test]
fn init_example_loads_the_demo_data() {
    let w = Work::new();
    let r = w.run(&["init", "--example"]).ok();
    assert!(r.stderr.starts_with("Created the database"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(*) FROM customers"), 16);
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE churned_at IS NOT NULL"), 6);
    assert!(w.count("SELECT count(*) FROM usage_events") > 1000);
    assert_eq!(w.count("SELECT count(*) FROM tickets"), 14);
    w.run(&["health", "score"]).ok();
    w.run(&["check"]).ok();
    // A year of history with churn in it: a backtest has both kinds, and the
    // drafts of `csf today` are filled (product, founder, first step set).
    let b = w.run(&["health", "backtest", "-f", "json"]).ok().json();
    assert!(b["churned"].as_i64().unwrap() > 0 && b["auc"].as_f64().unwrap() > 0.5, "{b}");
    let t = w.run(&["today", "-f", "json"]).ok().json();
    for a in t.as_array().unwrap() {
        assert!(!a["draft"].as_str().unwrap_or("").contains("NOT READY"), "{a}");
    }
}

#[test]
fn the_demo_shows_the_backtest_and_the_morning() {
    let w = Work::new();
    let r = w.run(&["demo"]).ok();
    assert!(r.stdout.contains("Backtest (`csf health backtest`): over "), "{}", r.stdout);
    assert!(r.stdout.contains("## This morning (`csf today`)"), "{}", r.stdout);
    assert!(r.stdout.contains("rescue-initech"), "{}", r.stdout);
}

/// The sample files in examples/data import without a problem.
#[test]
fn example_files_import_cleanly() {
    let w = Work::new();
    let dir = format!("{}/examples/data", env!("CARGO_MANIFEST_DIR"));
    for kind in ["customers", "usage", "nps", "billing", "tickets"] {
        w.run(&["-q", "import", kind, &format!("{dir}/{kind}.csv")]).ok();
    }
    for (kind, preset) in [
        ("customers", "stripe-customers"),
        ("billing", "stripe-payments"),
        ("billing", "stripe-invoices"),
        ("usage", "posthog"),
        ("usage", "amplitude"),
        ("tickets", "zendesk"),
        ("tickets", "freshdesk"),
    ] {
        w.run(&[
            "-q",
            "import",
            kind,
            &format!("{dir}/presets/{preset}.csv"),
            "--from",
            preset,
            "--create-missing",
        ])
        .ok();
    }
    assert_eq!(
        w.count("SELECT count(*) FROM customers WHERE id IN ('acme', 'globex', 'initech', 'stark')"),
        4
    );
    w.run(&["health", "score"]).ok();
    w.run(&["report", "plan"]).ok();
}

/// `csf demo` cannot be redirected into the user's database: folders planted
/// under every name the old demo would have used (`csf-demo-PID-NOW`) with a
/// `demo.db` symlink to the user's file are never followed.
#[test]
fn the_demo_never_follows_a_planted_folder() {
    let w = Work::new();
    w.run(&["customer", "add", "acme"]).ok();
    let before = w.dump();
    let bytes = std::fs::read(&w.db).unwrap();
    let evil = w.path("evil");
    std::fs::create_dir(&evil).unwrap();
    std::os::unix::fs::symlink(&w.db, evil.join("demo.db")).unwrap();
    let now = 1_795_176_000; // NOW as Unix seconds
    let me = std::process::id();
    for pid in me..me + 3000 {
        std::os::unix::fs::symlink(&evil, w.path("tmp").join(format!("csf-demo-{pid}-{now}"))).unwrap();
    }
    let r = w.run(&["demo"]).ok();
    assert!(r.stdout.contains("Acme Analytics"), "{}", r.stdout);
    assert_eq!(w.dump(), before, "the demo wrote into the user's database");
    assert_eq!(std::fs::read(&w.db).unwrap(), bytes);
    assert_eq!(w.count("SELECT count(*) FROM customers"), 1);
}

/// `csf demo | head` exits 0 and leaves no temporary folder behind: a closed
/// pipe unwinds like an error, so the folder is removed.
#[test]
fn a_demo_cut_short_by_a_closed_pipe_leaves_no_temporary_folder() {
    let w = Work::new();
    let r = w.shell("set -o pipefail; \"$@\" demo | head -c 100 >/dev/null", &[]);
    assert_eq!(r.code, 0, "stderr:\n{}", r.stderr);
    assert!(!r.stderr.contains("error"), "a closed pipe is not an error: {}", r.stderr);
    let left: Vec<_> = std::fs::read_dir(w.path("tmp")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "left behind in TMPDIR: {left:?}");
    let r = w.run(&["demo"]).ok();
    assert!(r.stdout.contains("Acme Analytics"));
    assert!(std::fs::read_dir(w.path("tmp")).unwrap().next().is_none());
}

/// The demo's private folder cannot be made: said, and nothing else happens.
#[test]
fn a_demo_without_a_usable_temporary_folder_says_so() {
    let w = Work::new();
    let r = w
        .bare()
        .env("TMPDIR", w.path("missing/deeper"))
        .args(["--now", crate::common::NOW, "demo"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("could not create a temporary folder in"), "{stderr}");
    assert!(r.stdout.is_empty());
}
