//! Issue 20: no command may destroy, overwrite or leak what it does not own.
//! Every refusal leaves the database (and the input file) as it was.

use crate::common::Work;

/// A mistyped `--db` never creates a database: commands that only read, or
/// have nothing to work on, refuse a missing file.
#[test]
fn a_missing_database_is_refused_by_commands_that_do_not_create_one() {
    let w = Work::new();
    for args in [
        &["churn", "risks", "--fail-on", "any"][..],
        &["customer", "list"],
        &["customer", "show", "acme"],
        &["health", "score"],
        &["health", "list"],
        &["ticket", "list"],
        &["report", "plan"],
        &["config", "list"],
        &["config", "set", "targets.nps", "40"],
        &["onboarding", "funnel"],
        &["backup", "copy.db"],
        &["check"],
    ] {
        let r = w.run(args).fails(1);
        let want = format!("error: no database at {}; run `csf init` or check --db/CSF_DB", w.db.display());
        assert!(r.stderr.contains(&want), "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
        assert!(!w.db.exists(), "{args:?} created the database");
        assert!(!w.path("copy.db").exists());
    }
    // The five that create one.
    w.run(&["init"]).ok();
    assert!(w.db.exists());
    for (db, args) in [
        ("a.db", &["customer", "add", "acme"][..]),
        ("b.db", &["import", "customers", "c.csv"]),
        ("c.db", &["ticket", "open", "acme", "Help"]),
    ] {
        w.file("c.csv", "id\nacme\n");
        let p = w.path(db);
        let r = w.cmd().arg("--db").arg(&p).args(args).output().unwrap();
        // ticket open fails on an unknown customer, but only after creating the file.
        let _ = r;
        assert!(p.exists(), "{args:?} did not create {db}");
    }
    w.run(&["demo"]).ok();
}
