//! No command may destroy, overwrite or leak what it does not own.
//! Every refusal leaves the database (and the input file) as it was.

use crate::common::Work;

const NPS: &str = "customer,responded_at,score\nacme,2026-11-01,9\nacme,2026-11-02,-3\n";

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
    // ticket open fails on an unknown customer after creating the file, and
    // removes it again (tests/it/stray_file.rs).
    let no_acme = "error: no customer with id or email \"acme\"; `csf customer list` shows the customers\n";
    for (db, args, code, stderr) in [
        ("a.db", &["-q", "customer", "add", "acme"][..], 0, ""),
        ("b.db", &["-q", "import", "customers", "c.csv"], 0, ""),
        ("c.db", &["ticket", "open", "acme", "Help"], 1, no_acme),
    ] {
        w.file("c.csv", "id\nacme\n");
        let p = w.path(db);
        let r = w.run(&[&["--db", p.to_str().unwrap()][..], args].concat());
        assert_eq!((r.code, r.stderr.as_str()), (code, stderr), "{args:?}");
        if code != 0 {
            assert!(!p.exists(), "{args:?} failed and left {db} behind");
            continue;
        }
        assert!(p.exists(), "{args:?} did not create {db}");
        let tables = rusqlite::Connection::open(&p)
            .unwrap()
            .query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'customers'", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap();
        assert_eq!(tables, 1, "{args:?} left {db} without its schema");
    }
    w.run(&["demo"]).ok();
}

/// A write error part-way (here a file-size limit: the database's journal
/// cannot grow) stops the import at once, is named as a storage error, and
/// leaves nothing behind.
#[test]
fn a_storage_error_mid_import_stops_at_once_and_leaves_nothing() {
    let w = Work::new();
    w.run(&["init"]).ok();
    w.run(&["customer", "add", "acme"]).ok();
    let before = w.dump();
    // 38 MB of rows: more than the 32 MB page cache, so pages reach the WAL mid-import.
    let big = "x".repeat(128 * 1024);
    let mut csv = String::from("id,name\n");
    for i in 0..300 {
        csv.push_str(&format!("c{i},{big}\n"));
    }
    let input = w.file("big.csv", &csv);
    // 16384 blocks: 8 or 16 MB, whichever the shell's unit; SIGXFSZ ignored
    // so that the write fails with EFBIG, as on a full disk.
    let out = w.shell(
        "trap '' XFSZ; ulimit -f 16384; exec \"$@\"",
        &["import", "customers", input.to_str().unwrap()],
    );
    let stderr = out.stderr;
    assert_eq!(out.code, 1, "{stderr}");
    assert!(stderr.starts_with("error: storage error while storing"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(!stderr.contains("invalid row"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(w.dump(), before);
    w.run(&["check"]).ok();
    assert_eq!(std::fs::read_to_string(&input).unwrap(), csv);
}

/// `--rejects` never overwrites the database, the input or an existing file
/// (unless `--force`); it is private and its cells are formula-safe.
#[test]
fn rejects_never_overwrites_the_database_the_input_or_an_existing_file() {
    use std::os::unix::fs::PermissionsExt;
    let w = Work::new();
    w.run(&["customer", "add", "acme"]).ok();
    let text = "customer,responded_at,score\nacme,2026-11-01,9\n=HYPERLINK(\"http://x\"),2026-11-02,-3\n";
    let input = w.file("n.csv", text);
    let db = w.db.to_str().unwrap().to_string();
    let before = w.dump();
    let db_bytes = std::fs::read(&w.db).unwrap();
    for (target, want) in [
        (db.as_str(), "is the database or one of SQLite's files beside it"),
        ("n.csv", "is the file being imported; nothing was imported"),
        ("./n.csv", "is the file being imported"),
    ] {
        let r = w.run(&["import", "nps", "n.csv", "--skip-invalid", "--rejects", target, "--force"]).fails(1);
        assert!(
            r.stderr.starts_with("error: --rejects ") && r.stderr.contains(want),
            "{target}: {}",
            r.stderr
        );
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert_eq!(w.dump(), before);
        assert_eq!(std::fs::read(&w.db).unwrap(), db_bytes);
        assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    }
    let old = w.file("old.csv", "keep me\n");
    let r = w.run(&["import", "nps", "n.csv", "--skip-invalid", "--rejects", "old.csv"]).fails(1);
    assert!(r.stderr.contains("already exists; nothing was imported"), "{}", r.stderr);
    assert!(r.stderr.contains("pass --force to replace it"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "keep me\n");
    assert_eq!(w.dump(), before);
    // A new file: private, cells defused like -f csv.
    w.run(&["import", "nps", "n.csv", "--skip-invalid", "--rejects", "rej.csv"]).ok();
    let rej = w.path("rej.csv");
    assert_eq!(std::fs::metadata(&rej).unwrap().permissions().mode() & 0o777, 0o600);
    let got = std::fs::read_to_string(&rej).unwrap();
    assert!(got.contains("\n\"'=HYPERLINK(\"\"http://x\"\")\",2026-11-02,-3,"), "{got}");
    // --force replaces an existing rejects file.
    w.run(&["import", "nps", "n.csv", "--skip-invalid", "--rejects", "old.csv", "--force"]).ok();
    assert!(std::fs::read_to_string(&old).unwrap().starts_with("customer,responded_at,score,reason\n"));
}

/// An import never replaces a ticket opened in csf: the collision is an
/// error naming both, and nothing is imported (with --dry-run too).
#[test]
fn an_import_never_replaces_a_ticket_opened_in_csf() {
    let w = Work::new();
    w.run(&["customer", "add", "acme"]).ok();
    w.run(&["customer", "add", "globex"]).ok();
    assert_eq!(w.run(&["ticket", "open", "acme", "Export fails"]).ok().stdout, "1\n");
    let text = "id,customer,subject,created_at\nZD-7,globex,Other,2026-11-01\n1,globex,Hijack,2026-11-02\n";
    let input = w.file("t.csv", text);
    let before = w.dump();
    for extra in [&[][..], &["--dry-run"], &["--skip-invalid"]] {
        let mut args = vec!["import", "tickets", "t.csv"];
        args.extend_from_slice(extra);
        let r = w.run(&args).fails(1);
        assert_eq!(
            r.stderr,
            "error: t.csv:3: ticket id \"1\" is already the ticket opened in csf for customer \"acme\" \
             (\"Export fails\"); an import never replaces it, so nothing was imported — give the imported \
             tickets other ids (e.g. a prefix such as zd-1)\n",
            "{extra:?}"
        );
        assert_eq!(w.dump(), before);
        assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    }
    // csf's next number never takes an imported id.
    w.file("t2.csv", "id,customer,created_at\n7,globex,2026-11-01\n");
    w.run(&["-q", "import", "tickets", "t2.csv"]).ok();
    assert_eq!(w.run(&["ticket", "open", "acme", "Next"]).ok().stdout, "8\n");
    // Re-importing an imported id still updates it.
    w.file("t3.csv", "id,customer,subject,created_at\n7,globex,Renamed,2026-11-01\n");
    let r = w.run(&["import", "tickets", "t3.csv"]).ok();
    assert!(r.stderr.contains("0 inserted, 1 changed"), "{}", r.stderr);
}

/// A note a person wrote survives a re-import of its ticket, whatever it says.
#[test]
fn a_note_mentioning_imported_survives_a_reimport() {
    let w = Work::new();
    w.run(&["customer", "add", "acme"]).ok();
    w.file("t.csv", "id,customer,created_at,resolved_at\nZD-1,acme,2026-11-01,2026-11-02\n");
    w.run(&["-q", "import", "tickets", "t.csv"]).ok();
    w.run(&["ticket", "note", "ZD-1", "Imported data looks wrong"]).ok();
    w.run(&["ticket", "note", "ZD-1", "imported"]).ok();
    w.run(&["-q", "import", "tickets", "t.csv"]).ok();
    let r = w.run(&["ticket", "show", "ZD-1"]).ok();
    assert!(r.stdout.contains("Imported data looks wrong"), "{}", r.stdout);
    assert_eq!(w.count("SELECT count(*) FROM ticket_events WHERE imported = 0"), 2);
    assert_eq!(w.count("SELECT count(*) FROM ticket_events WHERE imported = 1"), 2);
}

/// Files csf does not own are refused before any pragma changes them; an
/// empty file becomes private; a backup never writes through a symlink or
/// over a file.
#[test]
fn foreign_files_are_untouched_and_backups_never_overwrite() {
    use std::os::unix::fs::PermissionsExt;
    // Each case on its own: only the setup shown, and its own reason.
    let not_csf = |why: &str| {
        format!(
            "is a SQLite database but not a csf one ({why}); it was left untouched — pass --db with a new path\n"
        )
    };
    for (setup, want) in [
        (
            "PRAGMA user_version = -5;",
            "has schema version -5, which no csf writes; it was left untouched — pass --db with the path of a \
             csf database\n"
                .to_string(),
        ),
        ("CREATE TABLE notes (x); INSERT INTO notes VALUES (1); PRAGMA user_version = 1;", not_csf("it has other tables")),
        ("CREATE TABLE notes (x); PRAGMA user_version = 0;", not_csf("it has other tables")),
        (
            "CREATE TABLE customers (x); PRAGMA user_version = 2;",
            not_csf("its customers table has the columns (x), not those of csf schema version 2"),
        ),
        ("PRAGMA user_version = 2;", not_csf("it has no billing_records table, which csf schema version 2 has")),
    ] {
        let w = Work::new();
        {
            let c = rusqlite::Connection::open(&w.db).unwrap();
            c.execute_batch(setup).unwrap();
        }
        let bytes = std::fs::read(&w.db).unwrap();
        assert!(!bytes.is_empty(), "{setup}: the setup wrote nothing");
        let r = w.run(&["customer", "list"]).fails(1);
        assert_eq!(r.stderr, format!("error: {} {want}", w.db.display()), "{setup}");
        assert!(std::fs::read(&w.db).unwrap() == bytes, "{setup}: the file was modified");
        assert!(!w.path("csf.db-wal").exists(), "{setup}");
        assert!(!w.path("csf.db-shm").exists(), "{setup}");
    }
    let w = Work::new();
    w.file("csf.db", "");
    std::fs::set_permissions(&w.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    w.run(&["init"]).ok();
    assert_eq!(std::fs::metadata(&w.db).unwrap().permissions().mode() & 0o777, 0o600);
    let before = w.dump();
    let target = w.file("target.txt", "mine\n");
    std::os::unix::fs::symlink(&target, w.path("link.db")).unwrap();
    std::os::unix::fs::symlink(w.path("nowhere"), w.path("dangling.db")).unwrap();
    for (dest, want) in [
        ("link.db", "is a symbolic link"),
        ("dangling.db", "is a symbolic link"),
        ("target.txt", "already exists"),
    ] {
        let r = w.run(&["backup", dest]).fails(1);
        assert!(r.stderr.contains(want) && r.stderr.contains("left untouched"), "{dest}: {}", r.stderr);
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine\n");
    assert!(!w.path("nowhere").exists());
    assert_eq!(w.dump(), before);
}

/// An import reading standard input holds no lock while it waits for input:
/// the nightly score runs meanwhile.
#[test]
fn an_import_waiting_on_stdin_does_not_hold_the_write_lock() {
    use std::io::Write;
    let w = Work::new();
    w.run(&["customer", "add", "acme", "--signed-up", "2026-01-01"]).ok();
    let mut child = w.spawn(&["import", "usage", "-"]);
    // Synchronise on the child, not the clock.
    crate::common::wait_until_reading_stdin(&mut child);
    // A held write lock would make this wait out the busy timeout and fail.
    let r = w.run(&["-q", "health", "score"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "the waiting import holds the lock");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"customer,timestamp,event\nacme,2026-11-19,login\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 1);
}

/// `--rejects` naming the database's `-wal`, `-shm` or `-journal` is refused,
/// whether the file exists yet or not, with or without `--force`: the CSV
/// never lands in SQLite's journal.
#[test]
fn rejects_into_the_databases_journal_files_is_refused() {
    let w = Work::new();
    w.run(&["customer", "add", "acme"]).ok();
    w.file("n.csv", NPS);
    let db = w.db.to_str().unwrap().to_string();
    for exists in [false, true] {
        // An open connection in WAL mode keeps -wal and -shm on disk.
        let held = exists.then(|| {
            let c = w.conn();
            c.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(())).unwrap();
            c.query_row("SELECT count(*) FROM customers", [], |_| Ok(())).unwrap();
            std::fs::write(w.path("csf.db-journal"), b"").unwrap();
            c
        });
        assert_eq!(w.path("csf.db-wal").exists(), exists);
        // (The -shm holds readers' marks, which any reader moves: not compared.)
        for suffix in ["-wal", "-shm", "-journal"] {
            let abs = format!("{db}{suffix}");
            let rel = format!("csf.db{suffix}");
            let dotted = format!("./tmp/../csf.db{suffix}");
            for target in [abs.as_str(), rel.as_str(), dotted.as_str()] {
                for force in [false, true] {
                    let before: Vec<Option<Vec<u8>>> = ["", "-wal", "-journal"]
                        .iter()
                        .map(|x| std::fs::read(format!("{db}{x}")).ok())
                        .collect();
                    let mut args = vec!["import", "nps", "n.csv", "--skip-invalid", "--rejects", target];
                    if force {
                        args.push("--force");
                    }
                    w.refuses(&args, &["--rejects ", "is the database or one of SQLite's files beside it"]);
                    let after: Vec<Option<Vec<u8>>> = ["", "-wal", "-journal"]
                        .iter()
                        .map(|x| std::fs::read(format!("{db}{x}")).ok())
                        .collect();
                    assert!(
                        before == after,
                        "{target} (force {force}, exists {exists}) touched a database file"
                    );
                }
            }
        }
        drop(held);
        let _ = std::fs::remove_file(w.path("csf.db-journal"));
    }
    assert_eq!(w.count("SELECT count(*) FROM nps_responses"), 0);
}

/// `--rejects old.csv --force` on an import that then fails leaves old.csv
/// byte-identical (the rejects go to a temporary file, renamed on success).
#[test]
fn a_failed_import_leaves_an_old_rejects_file_as_it_was() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme"]).ok();
    let opened = w.run(&["ticket", "open", "acme", "Mine"]).ok().stdout.trim().to_string();
    let old = w.file("old.csv", "precious,data\n1,2\n");
    // A bad row (skipped into the rejects) and a row that would replace the
    // ticket csf opened (which stops the whole import).
    w.file(
        "t.csv",
        format!("id,customer,subject,created_at\nT9,acme,Bad,not-a-date\n{opened},acme,Theirs,2026-11-01\n"),
    );
    let before = w.dump();
    let r =
        w.run(&["import", "tickets", "t.csv", "--skip-invalid", "--rejects", "old.csv", "--force"]).fails(1);
    assert!(r.stderr.contains("error: "), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "precious,data\n1,2\n");
    assert_eq!(w.dump(), before);
    let leftovers: Vec<String> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".csf-rejects-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // On success the rejects replace it.
    w.file("u.csv", "id,customer,subject,created_at\nT9,acme,Bad,not-a-date\nT10,acme,Good,2026-11-01\n");
    w.run(&["-q", "import", "tickets", "u.csv", "--skip-invalid", "--rejects", "old.csv", "--force"]).ok();
    assert!(std::fs::read_to_string(&old).unwrap().contains("not-a-date"));
}
