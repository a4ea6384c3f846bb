//! A read-only filesystem and a full disk, made in a mount namespace
//! (`unshare -rm`, through `common::can_mount`): reading commands keep
//! working, a write is named for what stops it, and nothing is changed.

use crate::common::Work;

/// On a read-only filesystem the reading commands work (the file is read as
/// immutable) and a write is named as such, changing nothing. Needs a mount
/// namespace (`unshare -rm`): skipped, and said, where there is none (failed in CI).
#[test]
fn a_read_only_filesystem_reads_and_names_the_refused_write() {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    if !crate::common::can_mount(
        "a_read_only_filesystem_reads_and_names_the_refused_write",
        "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\"",
    ) {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("b.db");
    // A file of the release before, which would need an upgrade to be read.
    std::fs::write(w.path("old.db"), include_bytes!("../fixtures/v0.2.0.db")).unwrap();
    let dir = w.dir.path().display().to_string();
    w.file("c.csv", "id,name\nzz,Zed\n");
    let before = w.dump();
    let script = format!(
        "mount --bind '{dir}' '{dir}' && mount -o remount,bind,ro '{dir}' && \
         \"$@\" today -f json > today.json && \"$@\" health list -f csv > list.csv && \
         \"$@\" backup '{}' && \"$@\" customer add zz; echo \"add=$?\"; \
         \"$@\" import customers '{dir}/c.csv'; echo \"import=$?\"; \
         \"$1\" --db '{dir}/old.db' --now 2026-11-20T12:00:00Z health list; echo \"old=$?\"",
        backup.display()
    );
    let cmd = format!(
        "cd '{}' && unshare -rm bash -c '{}' bash \"$@\"",
        out.path().display(),
        script.replace('\'', "'\\''")
    );
    let r = w.shell(&cmd, &[]);
    assert!(out.path().join("today.json").metadata().is_ok_and(|m| m.len() > 100), "today read the file");
    assert!(r.stdout.contains("add=1"), "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(
            "it is read-only (a read-only file or filesystem); nothing was changed — reading commands"
        ),
        "{}",
        r.stderr
    );
    // An import is refused in the same words as every other write.
    assert!(r.stdout.contains("import=1"), "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        r.stderr.matches("it is read-only (a read-only file or filesystem); nothing was changed").count(),
        2,
        "{}",
        r.stderr
    );
    assert!(backup.exists(), "the backup was written elsewhere");
    assert!(r.stdout.contains("old=1"), "{}", r.stdout);
    assert!(r.stderr.contains("to this csf's schema: it is read-only (a read-only file or filesystem); open it once where it can be written"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
}

/// A full disk is named as such (a tiny filesystem in a mount namespace),
/// and the database is as it was.
#[test]
fn a_full_disk_is_named_and_nothing_is_written() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme"]).ok();
    if !crate::common::can_mount(
        "a_full_disk_is_named_and_nothing_is_written",
        "mount -t tmpfs -o size=64k tmpfs \"$1\"",
    ) {
        return;
    }
    std::fs::create_dir_all(w.path("small")).unwrap();
    let script = r#"unshare -rm bash -c 'mount -t tmpfs -o size=256k tmpfs small && cp csf.db small/ &&
        big=$(head -c 120000 /dev/zero | tr "\0" G) &&
        "$1" --db small/csf.db --now 2026-11-20T12:00:00Z customer add big --name "$big"; echo "add=$?";
        "$1" --db small/csf.db --now 2026-11-20T12:00:00Z customer list -f csv' bash "$@""#;
    let r = w.shell(script, &[]);
    assert!(r.stdout.contains("add=1"), "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(": the disk is full; nothing was changed — free some space and run it again"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("acme") && !r.stdout.contains("big,"), "{}", r.stdout);
}

/// A full disk where SQLite cannot create the `-shm` (the database closed
/// cleanly: no `-wal`, no `-shm` beside it). A read answers as it would
/// anywhere; a write names the full disk and the file SQLite could not
/// create, never "not a usable SQLite database"; the file is byte-identical
/// and nothing is left beside it.
#[test]
fn a_full_disk_without_a_shm_reads_and_names_the_refused_write() {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    let list = w.run(&["health", "list", "-f", "csv"]).ok().stdout;
    assert!(list.contains("acme,"), "{list}");
    if !crate::common::can_mount(
        "a_full_disk_without_a_shm_reads_and_names_the_refused_write",
        "mount -t tmpfs -o size=64k tmpfs \"$1\"",
    ) {
        return;
    }
    for sfx in ["-wal", "-shm"] {
        assert!(!w.path(&format!("csf.db{sfx}")).exists(), "csf.db{sfx} before the test");
    }
    std::fs::create_dir_all(w.path("small")).unwrap();
    let script = r#"unshare -rm bash -c 'mount -t tmpfs -o size=1m tmpfs small && cp csf.db small/ &&
        { dd if=/dev/zero of=small/fill bs=4k 2>/dev/null; true; } &&
        "$1" --db small/csf.db --now 2026-11-20T12:00:00Z health list -f csv > list.csv 2> list.err; echo "list=$?";
        "$1" --db small/csf.db --now 2026-11-20T12:00:00Z customer add zz; echo "add=$?";
        ls -A small; cmp csf.db small/csf.db && echo same' bash "$@""#;
    let r = w.shell(script, &[]);
    assert!(r.stdout.contains("list=0") && r.stdout.contains("add=1"), "{}\n{}", r.stdout, r.stderr);
    assert_eq!(std::fs::read_to_string(w.path("list.csv")).unwrap(), list, "{}", r.stderr);
    let small = w.path("small/csf.db").display().to_string();
    assert_eq!(
        r.stderr,
        format!(
            "error: cannot write {small}: the disk is full (SQLite could not create csf.db-shm: No \
             space left on device); nothing was changed — free some space and run it again\n"
        )
    );
    assert!(r.stdout.ends_with("list=0\nadd=1\ncsf.db\nfill\nsame\n"), "{}", r.stdout);
}
