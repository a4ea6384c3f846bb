//! Two writers at once: a command that decides from what it read re-checks
//! inside its write transaction, so the second one changes nothing and says why.

use crate::common::Work;

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
