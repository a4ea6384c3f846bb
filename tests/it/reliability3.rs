//! Issue 28: no write through SQLite's own files, no hang, no lost setting,
//! no escape. Each test shows the refusal or the right outcome, and that
//! nothing else changed.

use crate::common::Work;

const NPS: &str = "customer,responded_at,score\nacme,2026-11-01,9\nacme,2026-11-02,-3\n";

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

/// One customer with one chat ticket unanswered past its target: `ticket-1` is due.
fn one_due_ticket() -> Work {
    let w = Work::new();
    w.file("customers.csv", "id,name,email,signed_up_at,mrr\ntix,Tix Ltd,jane@tix.io,2026-01-01,49\n");
    w.file(
        "tickets.csv",
        "id,customer,subject,channel,created_at\n1,tix,Export is slow,chat,2026-11-20T09:00:00Z\n",
    );
    w.run(&["-q", "import", "customers", "customers.csv"]).ok();
    w.run(&["-q", "import", "tickets", "tickets.csv"]).ok();
    for (k, v) in [("product.name", "Metricly"), ("founder.name", "Sam")] {
        w.run(&["-q", "config", "set", k, v]).ok();
    }
    w
}

/// Two `done ticket-1` started at the same moment: the second re-checks
/// inside its write transaction, so one reply and one touch are recorded and
/// the other exits 1 naming the id. Ten rounds.
#[test]
fn two_dones_at_once_record_one_reply() {
    use std::process::Stdio;
    for round in 0..10 {
        let w = one_due_ticket();
        let start = || {
            w.std_cmd()
                .args(["done", "ticket-1"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (start(), start());
        let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        let mut codes: Vec<i32> = outs.iter().map(|o| o.status.code().unwrap()).collect();
        codes.sort();
        let errs: Vec<String> =
            outs.iter().map(|o| String::from_utf8_lossy(&o.stderr).into_owned()).collect();
        assert_eq!(codes, [0, 1], "round {round}: {errs:?}");
        let loser = &errs[outs.iter().position(|o| o.status.code() == Some(1)).unwrap()];
        assert!(
            loser.starts_with("error: id \"ticket-1\" not due today") && loser.contains("nothing was stored"),
            "round {round}: {loser}"
        );
        assert_eq!(w.count("SELECT count(*) FROM ticket_events WHERE kind = 'replied'"), 1, "round {round}");
        assert_eq!(w.count("SELECT count(*) FROM touches"), 1, "round {round}");
    }
}

/// Waits, without a clock, until `child` sleeps in a system call (SQLite's
/// busy handler waiting for a write lock): nothing else in csf sleeps.
pub(crate) fn wait_until_sleeping(child: &mut std::process::Child) {
    let syscall = format!("/proc/{}/syscall", child.id());
    let sleeps: &[&str] = if cfg!(target_arch = "aarch64") { &["101 ", "115 "] } else { &["35 ", "230 "] };
    loop {
        assert!(child.try_wait().unwrap().is_none(), "csf exited before waiting for the write lock");
        if std::fs::read_to_string(&syscall).is_ok_and(|s| sleeps.iter().any(|n| s.starts_with(n))) {
            return;
        }
        std::thread::yield_now();
    }
}

/// `health tune --apply` writes only if `health.weights` is still what it
/// read: a change committed while tune ran (here while tune waits for the
/// write lock the test holds) is kept, and tune exits 1 saying so.
#[test]
fn tune_apply_never_overwrites_weights_set_meanwhile() {
    use crate::backtest::{args, payment_history};
    use std::process::Stdio;
    let w = payment_history();
    // From equal weights tune finds better weights that pass its check.
    w.run(&["-q", "config", "set", "health.weights", "25,25,25,25"]).ok();
    // The test takes the write lock and changes the weights, uncommitted:
    // tune reads the old (unset) value and, when done, waits for the lock.
    let c = w.conn();
    c.execute_batch(
        "BEGIN IMMEDIATE; INSERT INTO config (key, value) VALUES ('health.weights', '30,30,20,20')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
    )
    .unwrap();
    let mut tune = w
        .std_cmd()
        .args(args(&["health", "tune"], &["--apply"]))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_sleeping(&mut tune);
    c.execute_batch("COMMIT").unwrap();
    let before = w.dump();
    let o = tune.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with(
            "error: health.weights was changed to 30,30,20,20 while tune ran (tune started from 25,25,25,25); \
             nothing was applied and the new value is kept"
        ),
        "{err}"
    );
    assert!(err.contains("); nothing was applied and the new value is kept — run `csf health tune --apply` again to tune from it"), "{err}");
    assert_eq!(w.dump(), before);
    assert_eq!(w.run(&["config", "get", "health.weights"]).ok().stdout, "30,30,20,20\n");
    // Without a change meanwhile, --apply names the value it replaced.
    let r = w.run(&args(&["health", "tune"], &["--apply"])).ok();
    assert!(r.stderr.contains("(was 30,30,20,20)"), "{}", r.stderr);
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

fn mkfifo(path: &std::path::Path) {
    let ok = std::process::Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

/// A `--db` that is a FIFO, a socket or a device is refused before any open,
/// chmod or journal: no hang, and `/dev/null` stays as it is.
#[test]
fn a_db_that_is_not_a_regular_file_is_refused_untouched() {
    use std::os::unix::fs::MetadataExt;
    let w = Work::new();
    let fifo = w.path("pipe.db");
    mkfifo(&fifo);
    for path in [fifo.clone(), std::path::PathBuf::from("/dev/null")] {
        let before = std::fs::metadata(&path).unwrap();
        // A hang would be a timeout here; the refusal is immediate.
        let r = w
            .bare()
            .arg("--db")
            .arg(&path)
            .args(["--now", crate::common::NOW, "customer", "list"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(", not a database file; it was left untouched — pass --db with a file path"),
            "{stderr}"
        );
        let after = std::fs::metadata(&path).unwrap();
        assert_eq!((before.mode(), before.uid(), before.len()), (after.mode(), after.uid(), after.len()));
        let journal = format!("{}-wal", path.display());
        assert!(!std::path::Path::new(&journal).exists() || path.starts_with("/dev"), "no journal beside it");
    }
    let r = w.bare().arg("--db").arg(&fifo).args(["--now", crate::common::NOW, "init"]).output().unwrap();
    assert!(String::from_utf8_lossy(&r.stderr).contains("is a FIFO (named pipe), not a database file"));
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

/// Templates are bounded like imports: over 64 KiB or not a regular file is
/// refused without blocking; a template file that cannot be read never stops
/// the morning (the shipped text is used, with a warning).
#[test]
fn templates_are_bounded_and_never_stop_the_morning() {
    let w = crate::today::morning();
    let before = w.dump();
    w.file("big.txt", format!("Hi {{name}},\n{}\n", "x".repeat(70 * 1024)));
    w.refuses(
        &["template", "set", "rescue", "big.txt"],
        &["big.txt is over 64 KiB; a template is a message — shorten it"],
    );
    let fifo = w.path("fifo.txt");
    mkfifo(&fifo);
    w.refuses(
        &["template", "set", "rescue", "fifo.txt"],
        &["fifo.txt is not a regular file; a template is a text file of at most 64 KiB"],
    );
    let r = w.shell(r#"head -c 70000 /dev/zero | tr '\0' x | "$@" template set rescue -"#, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("the template on stdin is over 64 KiB"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
    // A FIFO where a template file would be: the morning goes on with the default.
    let dir = w.path("config/csf/templates");
    std::fs::create_dir_all(&dir).unwrap();
    // (A rescue's draft follows its reason: every rescue template is a FIFO.)
    for t in ["rescue", "rescue-payment", "rescue-feedback", "rescue-usage", "rescue-tickets"] {
        mkfifo(&dir.join(format!("{t}.txt")));
    }
    let r = w.run(&["today", "-f", "json"]).ok();
    assert!(r.stderr.contains(".txt is not a regular file"), "{}", r.stderr);
    assert!(r.stderr.contains("the shipped rescue"), "{}", r.stderr);
    let j = r.json();
    let rescue = j.as_array().unwrap().iter().find(|a| a["kind"] == "rescue").unwrap().clone();
    assert!(rescue["draft"]["body"].as_str().unwrap().starts_with("Hi "), "{rescue}");
}

/// `health backtest` refuses windows whose cutoffs fall outside the years
/// 1970–9999 instead of saturating them, and changes nothing.
#[test]
fn backtest_windows_stay_within_the_years_1970_to_9999() {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    for (args, words) in [
        (&["--every", "100000000"][..], "--every 100000000 puts the first cutoff before 1970; the window must fall within the years 1970–9999 — use a smaller --every, or give --from"),
        (&["--every", "9223372036854775807"], "--every 9223372036854775807 puts the first cutoff before 1970"),
        (&["--horizon", "100000000"], "--horizon 100000000 reaches before 1970; the window must fall within the years 1970–9999 — use a shorter --horizon"),
        (&["--from", "1960-01-01"], "--from is outside the years 1970–9999; give a date in them"),
        (&["--to", "1969-12-31", "--from", "1969-01-01"], "--to is outside the years 1970–9999; give a date in them"),
        (&["--to", "9999-12-30", "--horizon", "30"], "--horizon 30 ends after the year 9999; use a shorter --horizon"),
    ] {
        let mut full = vec!["health", "backtest"];
        full.extend_from_slice(args);
        w.refuses(&full, &[words]);
    }
}

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
    let before = w.dump();
    let script = format!(
        "mount --bind '{dir}' '{dir}' && mount -o remount,bind,ro '{dir}' && \
         \"$@\" today -f json > today.json && \"$@\" health list -f csv > list.csv && \
         \"$@\" backup '{}' && \"$@\" customer add zz; echo \"add=$?\"; \
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
