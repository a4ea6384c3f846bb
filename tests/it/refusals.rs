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
            &["error: customer \"acme\" still has 1 tickets; nothing was removed — pass --force to remove it with its data"][..],
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
