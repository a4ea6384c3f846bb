//! The database file (docs/schema.md): creation, refusal of foreign files, backup, check.

use std::os::unix::fs::PermissionsExt;

use crate::common::Work;

#[test]
fn new_database_is_private_and_at_the_current_version() {
    let w = Work::new();
    let db = w.path("nested/dir/cs.db");
    let r = w.cmd().arg("--db").arg(&db).args(["init"]).output().unwrap();
    assert!(r.status.success());
    let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let c = rusqlite::Connection::open(&db).unwrap();
    let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, csf::store::SCHEMA_VERSION);
    let j: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(j, "wal");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_untouched() {
    let w = Work::new();
    let content = "id,name\n1,not a database\n".repeat(10);
    w.file("csf.db", &content);
    let r = w.run(&["customer", "list"]).fails(1);
    assert!(r.stderr.contains("is not a SQLite database; it was left untouched"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&w.db).unwrap(), content);
    assert!(!w.path("csf.db-wal").exists());
}

#[test]
fn a_newer_database_is_refused_and_untouched() {
    let w = Work::new();
    {
        let c = rusqlite::Connection::open(&w.db).unwrap();
        c.execute_batch("CREATE TABLE customers (x); PRAGMA user_version = 99;").unwrap();
    }
    let before = std::fs::read(&w.db).unwrap();
    let r = w.run(&["customer", "list"]).fails(1);
    let said = format!("schema version 99, newer than this csf understands ({})", csf::store::SCHEMA_VERSION);
    assert!(r.stderr.contains(&said), "{}", r.stderr);
    assert!(r.stderr.contains("left untouched"), "{}", r.stderr);
    assert_eq!(std::fs::read(&w.db).unwrap(), before);
}

#[test]
fn another_programs_sqlite_file_is_refused() {
    let w = Work::new();
    {
        let c = rusqlite::Connection::open(&w.db).unwrap();
        c.execute_batch("CREATE TABLE notes (x); INSERT INTO notes VALUES (1);").unwrap();
    }
    let r = w.run(&["customer", "list"]).fails(1);
    assert!(r.stderr.contains("not a csf one"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(*) FROM notes"), 1);
}

#[test]
fn backup_is_a_private_consistent_copy_and_check_passes() {
    let w = Work::new();
    w.run(&["customer", "add", "acme"]).ok();
    let dest = w.path("backup.db");
    w.run(&["backup", dest.to_str().unwrap()]).ok();
    let mode = std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let c = rusqlite::Connection::open(&dest).unwrap();
    let n: i64 = c.query_row("SELECT count(*) FROM customers", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
    let r = w.cmd().arg("--db").arg(&dest).arg("check").output().unwrap();
    assert!(r.status.success());
    assert!(String::from_utf8_lossy(&r.stdout).starts_with("ok:"));
    // an existing destination is never overwritten
    let r = w.run(&["backup", dest.to_str().unwrap()]).fails(1);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
}

#[test]
fn check_reports_a_damaged_file() {
    let w = Work::new();
    let mut csv = String::from("id,name\n");
    for i in 0..300 {
        csv.push_str(&format!("customer-{i},{}\n", "x".repeat(200)));
    }
    w.file("c.csv", csv);
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM customers"), 300);
    w.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    // Overwrite a page in the middle of the file with garbage.
    let mut bytes = std::fs::read(&w.db).unwrap();
    assert!(bytes.len() > 8 * 4096);
    for b in &mut bytes[4096 * 3..4096 * 3 + 4096] {
        *b = 0xA5;
    }
    std::fs::write(&w.db, &bytes).unwrap();
    let r = w.run(&["check"]).fails(1);
    assert!(r.stderr.contains("error:"), "{}", r.stderr);
    assert!(r.stderr.contains("restore a backup") || r.stderr.contains("malformed"), "{}", r.stderr);
}
