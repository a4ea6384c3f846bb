//! Refusals, table-driven on one helper ([`Work::refuses`]): exit 1, the
//! message's words, nothing on stdout and the database unchanged. Each row
//! names a message of `src/` that no other test triggers
//! (`scripts/error-coverage` lists them).

use crate::common::Work;

/// acme with ticket 1 (escalated, then closed), beta with ticket 2 (escalated).
fn setup() -> Work {
    let w = Work::new();
    for args in [
        &["customer", "add", "acme"][..],
        &["customer", "add", "beta"],
        &["ticket", "open", "acme", "Help"],
        &["ticket", "escalate", "1"],
        &["ticket", "close", "1"],
        &["ticket", "open", "beta", "Other"],
        &["ticket", "escalate", "2"],
    ] {
        w.run(&[&["-q"][..], args].concat()).ok();
    }
    w
}

#[test]
fn customers_and_tickets() {
    let w = setup();
    for (args, words) in [
        (
            &["customer", "remove", "acme"][..],
            &["error: customer \"acme\" still has 1 ticket; nothing was removed — pass --force to remove it with its data"][..],
        ),
        (&["customer", "remove", "nobody", "--force"], &["error: no customer with id or email \"nobody\""]),
        (&["customer", "edit", "beta", "--id", "acme"], &["error: customer \"acme\" already exists; choose another id"]),
        (&["customer", "add", ""], &["error: a customer id cannot be empty"]),
        (&["ticket", "open", "acme", ""], &["error: a ticket needs a subject, e.g. csf ticket open acme \"Export fails\""]),
        (&["ticket", "escalate", "1"], &["error: ticket 1 is already closed; nothing to escalate"]),
        (&["ticket", "escalate", "2"], &["error: ticket 2 is already escalated"]),
        (&["ticket", "close", "1"], &["error: ticket 1 is already closed"]),
        (
            &["ticket", "reply", "1", "--message", "hi"],
            &["error: ticket 1 is closed; open a new ticket to continue the conversation"],
        ),
        (&["churn", "record", "acme", "--reason-other", "x"], &["error: --reason-other goes with --reason other"]),
    ] {
        w.refuses(args, words);
    }
}

#[test]
fn flag_values() {
    let w = setup();
    w.file("n.csv", "customer,responded_at,score\nacme,2026-11-01,9\n");
    for (args, words) in [
        (&["health", "backtest", "--every", "0"][..], &["error: --every must be at least 1 day, got 0"][..]),
        (&["health", "backtest", "--horizon", "0"], &["error: --horizon must be at least 1 day, got 0"]),
        (
            &["import", "nps", "n.csv", "--map", "foo"],
            &["error: --map \"foo\" is not FIELD=HEADER, e.g. --map score='How likely...'"],
        ),
    ] {
        w.refuses(args, words);
    }
}

/// A --db whose folder cannot be created (not by root either: /proc).
#[test]
fn an_uncreatable_folder() {
    let w = Work::new();
    w.refuses(
        &["--db", "/proc/csf-no-such/csf.db", "customer", "add", "acme"],
        &["error: could not create the folder /proc/csf-no-such"],
    );
    let dir = w.path("sub");
    std::fs::create_dir(&dir).unwrap();
    w.refuses(
        &["--db", dir.to_str().unwrap(), "customer", "list"],
        &["is a directory; pass --db with a file path"],
    );
}

/// Ticket replies, plans and docs; `touch`.
#[test]
fn replies_plans_docs_and_touches() {
    let w = setup();
    let say = &["error: say what to reply: --template NAME [--set KEY=VALUE]... or --message TEXT"][..];
    for (args, words) in [
        (&["ticket", "reply", "2"][..], say),
        (&["ticket", "reply", "2", "--message", "  "], say),
        (
            &["ticket", "reply", "2", "--template", "ack", "--set", "timeframe"],
            &["error: --set \"timeframe\" is not KEY=VALUE, e.g. --set timeframe='2 hours'"],
        ),
        (&["ticket", "plan", "billing", " "], &["error: the plan text is empty"]),
        (&["ticket", "doc", "billing", " "], &["error: the doc URL is empty"]),
        (
            &["touch", "acme", "--note", " "],
            &["error: the note is empty; say what happened, e.g. --note 'call: wants SSO'"],
        ),
    ] {
        w.refuses(args, words);
    }
}

#[test]
fn churn() {
    let w = setup();
    w.run(&["-q", "customer", "add", "gamma", "--signed-up", "2026-06-01"]).ok();
    w.refuses(
        &["churn", "record", "gamma", "--date", "2026-05-01", "--reason", "too-expensive"],
        &["error: --date is before the customer signed up (2026-06-01)"],
    );
}

/// `health backtest` and `health tune`: windows that cannot be measured.
#[test]
fn backtest_and_tune() {
    let w = setup();
    for (args, words) in [
        (
            &["health", "backtest", "--from", "2026-05-01", "--to", "2026-04-01"][..],
            &["error: --from 2026-05-01 is after --to 2026-04-01; give a --from on or before --to"][..],
        ),
        (
            &["health", "backtest", "--to", "2026-11-01"],
            &["error: the outcome of this window is not known yet: the last cutoff 2026-11-01 plus the \
               90-day horizon ends 2027-01-30, after today 2026-11-20; use --to 2026-08-22 or earlier, \
               or a shorter --horizon"],
        ),
        (
            &["health", "tune", "--step", "3"],
            &["error: --step must divide 100 (1, 2, 4, 5, 10, 20, 25, 50 or 100), got 3"],
        ),
        // Two customers, nobody churned: nothing to compare weights on.
        (
            &["health", "tune", "--apply"],
            &[
                "error: the fit cutoffs (",
                ") need both churned and retained samples to compare weights; widen the window with \
                 --from, --to or --horizon",
            ],
        ),
    ] {
        w.refuses(args, words);
    }
}

/// `template show` and `template set`: names, files, texts.
#[test]
fn templates() {
    let w = setup();
    w.file("empty.txt", "  \n");
    w.file("hole.txt", "Hi {name}, about {bogus}\n");
    w.file("latin1.txt", b"Gr\xfc\xdfe {name}\n");
    for (args, words) in [
        (&["template", "show", "a b"][..], &["error: template names are letters, digits, - and _; got \"a b\""][..]),
        (&["template", "set", "nosuch", "hole.txt"], &["error: no template \"nosuch\" to set; the templates are "]),
        (
            &["template", "set", "onboarding-0", "empty.txt"],
            &["error: empty.txt is empty; a template needs text (`csf template reset onboarding-0` goes back to the default)"],
        ),
        (
            &["template", "set", "onboarding-0", "hole.txt"],
            &["error: hole.txt: csf cannot fill {bogus} in the onboarding-0 template; use {name} {company} \
               {product} {founder} {first_step} {feature}"],
        ),
        (&["template", "set", "onboarding-0", "latin1.txt"], &["error: latin1.txt is not UTF-8 text; save it as UTF-8"]),
    ] {
        w.refuses(args, words);
    }
    // Standard input that cannot be read (a folder).
    let dir = w.path("folder");
    std::fs::create_dir(&dir).unwrap();
    w.refuses_with(
        |c| {
            c.stdin(std::fs::File::open(&dir).unwrap());
        },
        &["template", "set", "onboarding-0", "-"],
        &["error: could not read the template on stdin: Is a directory"],
    );
    // A template file that is a folder.
    let file = w.path("config/csf/templates/ack.txt");
    std::fs::create_dir_all(&file).unwrap();
    w.refuses(
        &["template", "show", "ack"],
        &[&format!(
            "error: {} is not a regular file; a template is a text file of at most 64 KiB",
            file.display()
        )],
    );
}

/// `csf import`: the command line, the file, `--rejects`.
#[test]
fn import_arguments_and_files() {
    let w = setup();
    w.file("n.csv", "customer,responded_at,score\nacme,2026-11-01,9\n");
    w.file("old.csv", "kept\n");
    w.file("bad-header.csv", b"customer,r\xe9ponse,score\nacme,2026-11-01,9\n");
    std::fs::create_dir(w.path("sub")).unwrap();
    std::os::unix::fs::symlink("elsewhere.csv", w.path("link.csv")).unwrap();
    let nps = |tail: &[&'static str]| [&["import", "nps", "n.csv"][..], tail].concat();
    for (args, words) in [
        (nps(&["--from", "nosuch"]), &["error: no preset \"nosuch\"; the presets are ", " (csf import --list-presets)"][..]),
        (
            vec!["import", "nps", "missing.csv"],
            &["error: could not open missing.csv; check the path (use - to read standard input): No such file"],
        ),
        (vec!["import", "nps", "sub"], &["error: sub is a directory; pass a CSV file"]),
        (
            nps(&["--skip-invalid", "--rejects", "csf.db"]),
            &["error: --rejects csf.db is the database or one of SQLite's files beside it (", ", -wal, -shm, -journal); nothing was imported — choose another path for the rejects"],
        ),
        (
            nps(&["--skip-invalid", "--rejects", "n.csv"]),
            &["error: --rejects n.csv is the file being imported; nothing was imported — choose another path for the rejects"],
        ),
        (
            nps(&["--skip-invalid", "--rejects", "link.csv"]),
            &["error: --rejects link.csv is a symbolic link; nothing was imported — choose a new path"],
        ),
        (
            nps(&["--skip-invalid", "--rejects", "sub", "--force"]),
            &["error: --rejects sub is not a regular file; nothing was imported — choose a new path"],
        ),
        (
            nps(&["--skip-invalid", "--rejects", "old.csv"]),
            &["error: --rejects old.csv already exists; nothing was imported — choose a new path, or pass --force to replace it"],
        ),
        (
            nps(&["--skip-invalid", "--rejects", "nodir/r.csv"]),
            &["error: could not create the rejects file nodir/r.csv (pass --force to replace it): No such file"],
        ),
        (
            nps(&["--delimiter", "ab"]),
            &["error: --delimiter \"ab\" must be one ASCII character such as , or ; (or \\t / tab)"],
        ),
        (
            vec!["import", "nps", "bad-header.csv"],
            &["error: bad-header.csv:1 is not UTF-8 (field 2, byte 2 of the cell is 0xe9", "save it as UTF-8"],
        ),
        // A file that opens but cannot be read (Linux: offset 0 of a process's memory).
        (vec!["import", "nps", "/proc/self/mem"], &["error: could not read /proc/self/mem: Input/output error"]),
    ] {
        w.refuses(&args, words);
    }
    assert_eq!(std::fs::read_to_string(w.path("old.csv")).unwrap(), "kept\n");
    assert!(!w.path("nodir").exists());
}

/// `csf import KIND -`: standard input that cannot be read or spooled.
#[test]
fn import_from_standard_input() {
    let w = setup();
    let dir = w.path("folder");
    std::fs::create_dir(&dir).unwrap();
    w.refuses_with(
        |c| {
            c.stdin(std::fs::File::open(&dir).unwrap());
        },
        &["import", "nps", "-"],
        &["error: could not read standard input: Is a directory"],
    );
    let mut big = String::from("customer,responded_at,score\n");
    for _ in 0..2000 {
        big.push_str("acme,2026-11-01,9\n");
    }
    w.file("big.csv", &big);
    w.refuses_in_shell(
        "TMPDIR=/proc/csf-no-such exec \"$@\" < big.csv",
        &["import", "nps", "-"],
        &["error: could not create a temporary file /proc/csf-no-such/csf-stdin-"],
    );
    // Files capped at 1 block: the 36 kB spool fails as on a full disk.
    w.refuses_in_shell(
        "trap '' XFSZ; ulimit -f 1; exec \"$@\" < big.csv",
        &["import", "nps", "-"],
        &["error: could not spool standard input to a temporary file: File too large"],
    );
}

/// A write the database refuses mid-import, with an error that is not a
/// constraint (a trigger that overflows stands in for a full disk): a
/// storage problem, never bad rows.
#[test]
fn import_storage_error() {
    let w = setup();
    w.conn()
        .execute_batch(
            "CREATE TRIGGER full BEFORE INSERT ON nps_responses BEGIN SELECT abs(-9223372036854775807 - 1); END",
        )
        .unwrap();
    w.file("n.csv", "customer,responded_at,score\nacme,2026-11-01,9\n");
    w.refuses(
        &["import", "nps", "n.csv"],
        &["error: storage error while storing n.csv:2: integer overflow; nothing was imported (the transaction \
           was rolled back) — free disk space or check the database's folder, then import again"],
    );
}
