//! The database file under attack: a WAL reached through a symlink, a
//! foreign file with a pending WAL, a WAL SQLite cannot read, restore, and a
//! damaged file. Each test shows the refusal (or the right outcome) and the
//! files byte for byte as they were.

use std::path::{Path, PathBuf};

use crate::common::{can_mount, dump, Work, NOW};

fn bytes(p: &Path) -> Option<Vec<u8>> {
    std::fs::read(p).ok()
}

fn with(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The database, its `-wal` and its `-shm`, as bytes.
fn files(db: &Path) -> [Option<Vec<u8>>; 3] {
    [bytes(db), bytes(&with(db, "-wal")), bytes(&with(db, "-shm"))]
}

/// A connection that keeps the WAL on disk (it is open) and never folds it
/// into the file by itself.
fn holder(db: &Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(db).unwrap();
    c.execute_batch("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;").unwrap();
    c.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())).unwrap();
    c
}

fn customers_csv(n: usize, name: &str) -> String {
    let mut s = String::from("id,name,mrr\n");
    for i in 0..n {
        s.push_str(&format!("c{i:04},{name} {i} {},49\n", "x".repeat(150)));
    }
    s
}

/// `--db link.db` (a symlink) with `--rejects real/x.db-wal --force`: the
/// real WAL is the database's; refused, and the committed rows stay.
#[test]
fn rejects_onto_the_real_wal_behind_a_symlinked_db_is_refused() {
    let mut w = Work::new();
    std::fs::create_dir_all(w.path("real")).unwrap();
    w.db = w.path("real/x.db");
    w.run(&["-q", "customer", "add", "acme"]).ok();
    std::os::unix::fs::symlink(&w.db, w.path("link.db")).unwrap();
    let held = holder(&w.db);
    held.execute_batch("PRAGMA user_version = 4").unwrap(); // a committed frame in the WAL
    w.file("n.csv", "customer,responded_at,score\nacme,2026-11-01,9\nacme,2026-11-02,-3\n");
    let before = (w.dump(), bytes(&w.db), bytes(&with(&w.db, "-wal")));
    for target in
        ["real/x.db-wal", "real/x.db-shm", "real/x.db-journal", "real/x.db", "./real/../real/x.db-wal"]
    {
        let r = w
            .bare()
            .args(["--db", "link.db", "--now", NOW, "import", "nps", "n.csv", "--skip-invalid", "--force"])
            .args(["--rejects", target])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{target}: {err}");
        assert!(err.contains("is the database or one of SQLite's files beside it"), "{target}: {err}");
        assert_eq!((w.dump(), bytes(&w.db), bytes(&with(&w.db, "-wal"))), before, "{target}");
    }
    drop(held);
}

/// Another program's SQLite file, or a csf file from a newer schema, with a
/// pending WAL (its writer alive, or gone): refused, and the file, its
/// `-wal` and its `-shm` are byte-identical (no checkpoint, no reader's mark).
#[test]
fn a_foreign_or_newer_file_with_a_pending_wal_stays_byte_identical() {
    let w = Work::new();
    let cases: [(&str, &str, &str); 3] = [
        ("foreign", "CREATE TABLE notes (x); INSERT INTO notes VALUES (1);", "not a csf one"),
        ("newer", "CREATE TABLE customers (x); PRAGMA user_version = 99;", "newer than this csf understands"),
        ("negative", "CREATE TABLE customers (x); PRAGMA user_version = -5;", "which no csf writes"),
    ];
    for (name, sql, words) in cases {
        let db = w.path(&format!("{name}.db"));
        let live = holder(&db);
        live.execute_batch(sql).unwrap();
        // The same files left by a writer that died: copied while it ran.
        let dead = w.path(&format!("{name}-dead.db"));
        for sfx in ["", "-wal", "-shm"] {
            std::fs::copy(with(&db, sfx), with(&dead, sfx)).unwrap();
        }
        for (p, what) in [(&db, "live writer"), (&dead, "dead writer")] {
            let before = files(p);
            assert!(before[1].as_ref().is_some_and(|b| !b.is_empty()), "{name}: a pending WAL");
            for args in
                [&["customer", "list"][..], &["customer", "add", "zz"], &["check"], &["backup", "b.db"]]
            {
                let r = w.bare().arg("--db").arg(p).args(["--now", NOW]).args(args).output().unwrap();
                let err = String::from_utf8_lossy(&r.stderr);
                assert_eq!(r.status.code(), Some(1), "{name} ({what}) {args:?}: {err}");
                assert!(err.contains(words) && err.contains("left untouched"), "{name} {args:?}: {err}");
                assert_eq!(files(p), before, "{name} ({what}) {args:?} changed the file, -wal or -shm");
                assert!(!w.path("b.db").exists());
            }
        }
        drop(live);
    }
}

/// A copy with a WAL but no `-shm`, in a read-only folder: SQLite cannot
/// read the WAL there. csf reads it through a private snapshot: the row
/// committed in the WAL is found, and the backup holds it.
#[test]
fn a_wal_sqlite_cannot_read_is_read_through_a_snapshot_and_backed_up() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme"]).ok();
    let held = holder(&w.db);
    w.run(&["-q", "customer", "add", "late", "--name", "In the WAL only"]).ok();
    std::fs::create_dir_all(w.path("ro")).unwrap();
    std::fs::copy(&w.db, w.path("ro/csf.db")).unwrap();
    std::fs::copy(with(&w.db, "-wal"), w.path("ro/csf.db-wal")).unwrap();
    drop(held);
    let copy = w.path("ro/csf.db");
    assert!(std::fs::metadata(with(&copy, "-wal")).unwrap().len() > 0);
    if !can_mount(
        "a_wal_sqlite_cannot_read_is_read_through_a_snapshot_and_backed_up",
        "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\"",
    ) {
        return;
    }
    let before = files(&copy);
    let ro = w.path("ro").display().to_string();
    let script = format!(
        "unshare -rm bash -c 'mount --bind {ro} {ro} && mount -o remount,bind,ro {ro} && \
         \"$1\" --db {ro}/csf.db --now {NOW} customer show late -f json && \
         \"$1\" --db {ro}/csf.db --now {NOW} backup {out}' bash \"$1\"",
        out = w.path("b.db").display()
    );
    let r = w.shell(&script, &[]);
    assert!(r.stdout.contains("In the WAL only"), "{}\n{}", r.stdout, r.stderr);
    let b = rusqlite::Connection::open(w.path("b.db")).unwrap();
    let n: i64 = b.query_row("SELECT count(*) FROM customers WHERE id = 'late'", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1, "the backup holds the row committed in the WAL");
    assert_eq!(files(&copy), before);
    assert!(!with(&copy, "-shm").exists());
}

/// A hand copy over a live WAL replays that WAL; `csf restore` does not:
/// the database is the backup, row for row, and the old file (with its
/// WAL) is kept as NAME.before-restore.
#[test]
fn restore_puts_the_backup_in_place_and_never_replays_a_stale_wal() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme"]).ok();
    w.run(&["-q", "customer", "add", "bravo"]).ok();
    let b = w.path("b.db");
    w.run(&["-q", "backup", b.to_str().unwrap()]).ok();
    let backup_rows = dump(&b);
    let backup_bytes = bytes(&b);
    let held = holder(&w.db);
    w.run(&["-q", "customer", "remove", "bravo", "--force"]).ok();
    w.run(&["-q", "customer", "add", "late"]).ok();
    assert!(std::fs::metadata(with(&w.db, "-wal")).unwrap().len() > 0, "a live WAL");
    let old_rows = w.dump();
    let r = w.run(&["restore", b.to_str().unwrap()]).ok();
    assert!(r.stderr.contains("the old file is kept as"), "{}", r.stderr);
    drop(held);
    assert_eq!(w.dump(), backup_rows, "the database is the backup: no row of the stale WAL");
    assert_eq!(bytes(&b), backup_bytes, "the backup itself is untouched");
    assert_eq!(dump(&w.path("csf.db.before-restore")), old_rows, "the old file is kept, WAL included");
    w.run(&["check"]).ok();
    // A second restore never overwrites the kept file.
    let kept = bytes(&w.path("csf.db.before-restore"));
    w.refuses(&["restore", b.to_str().unwrap()], &["before-restore already exists", "nothing was restored"]);
    assert_eq!(bytes(&w.path("csf.db.before-restore")), kept);
}

/// Restore takes the write lock: while another writer holds it, it waits,
/// then refuses and changes nothing.
#[test]
fn restore_waits_for_the_write_lock_and_refuses_without_it() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme"]).ok();
    let b = w.path("b.db");
    w.run(&["-q", "backup", b.to_str().unwrap()]).ok();
    w.run(&["-q", "customer", "add", "bravo"]).ok();
    let before = w.dump();
    let lock = rusqlite::Connection::open(&w.db).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let r = w.run_env(&[("CSF_BUSY_TIMEOUT_MS", "200")], &["restore", b.to_str().unwrap()]).fails(1);
    assert!(r.stderr.contains("could not take the write lock"), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was restored"), "{}", r.stderr);
    lock.execute_batch("ROLLBACK").unwrap();
    drop(lock);
    assert_eq!(w.dump(), before);
    assert!(!w.path("csf.db.before-restore").exists());
}

/// A backup that is damaged, not csf's, from a newer csf, not SQLite, or
/// missing is refused and the database is byte for byte as it was; a
/// missing database is created from a good backup (mode 0600).
#[test]
fn restore_refuses_a_bad_backup_and_creates_a_missing_database() {
    use std::os::unix::fs::PermissionsExt;
    let w = Work::new();
    w.file("c.csv", customers_csv(300, "customer"));
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    let good = w.path("good.db");
    w.run(&["-q", "backup", good.to_str().unwrap()]).ok();
    let damaged = w.path("damaged.db");
    let mut b = std::fs::read(&good).unwrap();
    for x in &mut b[4096 * 3..4096 * 4] {
        *x = 0xA5;
    }
    std::fs::write(&damaged, b).unwrap();
    let foreign = w.path("foreign.db");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE notes (x);").unwrap();
    let newer = w.path("newer.db");
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("CREATE TABLE customers (x); PRAGMA user_version = 99;")
        .unwrap();
    w.file("text.db", "id,name\n1,a\n");
    let before = bytes(&w.db);
    for (p, words) in [
        (damaged.to_str().unwrap(), "fails the integrity check"),
        (foreign.to_str().unwrap(), "not a csf one"),
        (newer.to_str().unwrap(), "newer than this csf understands"),
        ("text.db", "is not a SQLite database"),
        ("missing.db", "could not read the backup missing.db"),
        (w.db.to_str().unwrap(), "is the database itself"),
    ] {
        w.refuses(&["restore", p], &[words, "nothing was restored"]);
        assert_eq!(bytes(&w.db), before, "{p}");
        assert!(!w.path("csf.db.before-restore").exists(), "{p}");
    }
    let fresh = w.path("new/dir/fresh.db");
    let r = w.bare().arg("--db").arg(&fresh).args(["restore", good.to_str().unwrap()]).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert_eq!(dump(&fresh), dump(&good));
    assert_eq!(std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777, 0o600);
}

/// A database that fails `integrity_check`: `backup` refuses and names the
/// damage (no copy left), `--force` copies it; a write that meets the
/// damaged page says so and points to `csf check` and `csf restore`, never
/// to disk space.
#[test]
fn a_damaged_database_is_named_by_backup_and_by_a_write() {
    let w = Work::new();
    w.file("c.csv", customers_csv(300, "customer"));
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    w.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    let mut b = std::fs::read(&w.db).unwrap();
    for x in &mut b[4096 * 3..4096 * 4] {
        *x = 0xA5;
    }
    std::fs::write(&w.db, b).unwrap();
    let before = bytes(&w.db);
    let dest = w.path("b.db");
    let r = w.run(&["backup", dest.to_str().unwrap()]).fails(1);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert!(r.stderr.contains("fails the integrity check ("), "{}", r.stderr);
    assert!(r.stderr.contains("or pass --force"), "{}", r.stderr);
    assert!(!dest.exists());
    assert_eq!(bytes(&w.db), before);
    w.file("c2.csv", customers_csv(300, "renamed"));
    let r = w.run(&["import", "customers", "c2.csv"]).fails(1);
    assert!(r.stderr.contains("the database is damaged"), "{}", r.stderr);
    assert!(r.stderr.contains("`csf check`") && r.stderr.contains("`csf restore BACKUP`"), "{}", r.stderr);
    assert!(!r.stderr.contains("disk"), "{}", r.stderr);
    assert_eq!(bytes(&w.db), before);
    w.run(&["backup", dest.to_str().unwrap(), "--force"]).ok();
    assert!(dest.exists());
}
