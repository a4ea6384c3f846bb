//! `csf skip`, `csf draft`, the cap and stale data (docs/today.md), on the
//! scripted morning of `today.rs` (NOW 2026-11-20T12:00:00Z).

use crate::common::Work;
use crate::today::morning;

fn due_ids(w: &Work, at: &str) -> Vec<String> {
    let j = w.run_at(at, &["today", "--all", "-f", "json"]).ok().json();
    j.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_skip_hides_without_a_touch_and_comes_back_after_until_or_undo() {
    let w = morning();
    let r = w.run(&["skip", "rescue-risky", "--until", "2026-11-23", "--note", "on holiday"]).ok();
    assert!(r.stderr.contains("Skipped rescue-risky until 2026-11-23"), "{}", r.stderr);
    assert!(r.stderr.contains("no touch logged"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(*) FROM touches"), 0);
    assert!(!due_ids(&w, crate::common::NOW).contains(&"rescue-risky".to_string()));
    let skipped = w.run(&["today", "--skipped", "-f", "json"]).ok().json();
    assert_eq!(skipped[0]["id"], "rescue-risky");
    assert_eq!(skipped[0]["until"], "2026-11-23");
    // The day before it ends: still hidden; on the day: back.
    assert!(!due_ids(&w, "2026-11-22T23:00:00Z").contains(&"rescue-risky".to_string()));
    assert!(due_ids(&w, "2026-11-23T08:00:00Z").contains(&"rescue-risky".to_string()));
    // --undo brings it back at once; a second undo is an error naming it.
    w.run(&["-q", "skip", "--undo", "RESCUE-RISKY"]).ok();
    assert!(due_ids(&w, crate::common::NOW).contains(&"rescue-risky".to_string()));
    let before = w.dump();
    let r = w.run(&["skip", "--undo", "rescue-risky"]).fails(1);
    assert!(r.stderr.contains("\"rescue-risky\" is not skipped; nothing was changed — `csf today --skipped` lists the skipped ids"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
}

#[test]
fn a_sequence_step_is_skipped_until_its_window_ends() {
    let w = morning();
    // Onboarding day 3 of a 2026-11-17 signup: the window ends on day 7 (2026-11-24).
    let r = w.run(&["skip", "onboarding-newbie-3"]).ok();
    assert!(r.stderr.contains("until 2026-11-24"), "{}", r.stderr);
    let r = w.run(&["skip", "expand-star"]).ok();
    assert!(r.stderr.contains("until 2026-11-27"), "a week: {}", r.stderr);
}

#[test]
fn bad_skips_are_refused_with_the_reason_and_store_nothing() {
    let w = morning();
    let before = w.dump();
    let r = w.run(&["skip", "rescue-risk"]).fails(1);
    assert!(r.stderr.contains("\"rescue-risk\" (did you mean rescue-risky?) not due today"), "{}", r.stderr);
    let r = w.run(&["skip", "rescue-risky", "--until", "2026-11-20"]).fails(1);
    assert!(
        r.stderr.contains("--until 2026-11-20 is not after today (2026-11-20); give a later date"),
        "{}",
        r.stderr
    );
    let r = w.run(&["skip", "rescue-risky", "--until", "next week"]).fails(1);
    assert!(r.stderr.contains("--until \"next week\""), "{}", r.stderr);
    assert!(r.stderr.contains("; use a date such as 2026-12-15"), "{}", r.stderr);
    let r = w.run(&["skip", "rescue-risky", "--days", "0"]).fails(2);
    assert!(r.stderr.contains("--days"), "{}", r.stderr);
    let r = w.run(&["today", "--limit", "0"]).fails(2);
    assert!(r.stderr.contains("--limit"), "{}", r.stderr);
    let r = w.run(&["today", "--limit=-3"]).fails(2);
    assert!(r.stderr.contains("--limit"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
}

/// `csf draft` prints a message `sendmail -t` takes; `--mailto` carries the same text.
#[test]
fn a_draft_is_a_message_and_its_mailto_decodes_back() {
    let w = morning();
    let text = w.run(&["draft", "winback-gone-7"]).ok().stdout;
    let (head, body) = text.split_once("\n\n").unwrap();
    let headers: Vec<&str> = head.lines().collect();
    assert_eq!(
        headers,
        [
            "To: bob@gone.io",
            "Subject: Here's what you're missing...",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit"
        ]
    );
    assert!(body.starts_with("Hi Bob,\n"), "{body}");
    assert!(body.trim_end().ends_with("Sam"), "{body}");
    let url = w.run(&["draft", "Winback-Gone-7", "--mailto"]).ok().stdout;
    let url = url.trim_end();
    let rest = url.strip_prefix("mailto:bob@gone.io?subject=").unwrap();
    let (subject, encoded) = rest.split_once("&body=").unwrap();
    let decode = |s: &str| {
        let mut out = Vec::new();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap(), 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    };
    assert_eq!(decode(subject), "Here's what you're missing...");
    assert_eq!(decode(encoded).replace("\r\n", "\n"), body);
    // The table view shows each draft's To: and Subject: too.
    let table = w.run(&["today"]).ok().stdout;
    assert!(table.contains("To: bob@gone.io\nSubject: Here's what you're missing..."), "{table}");
    let before = w.dump();
    let r = w.run(&["draft", "winback-gone-1"]).fails(1);
    assert!(
        r.stderr.contains("no action \"winback-gone-1\" is due today (did you mean winback-gone-7?); `csf today --all` lists the ids"),
        "{}",
        r.stderr
    );
    assert_eq!(w.dump(), before);
}

/// Usage data older than `data.stale_days` puts a `data` action first; it
/// cannot be done by hand, `health score` and the plan say the same.
#[test]
fn stale_data_comes_first_everywhere() {
    let w = morning();
    let later = "2026-11-25T12:00:00Z"; // the newest event is 2026-11-17: 8 days
    let ids = due_ids(&w, later);
    assert_eq!(ids[0], "data-usage-2026-11-17");
    let j = w.run_at(later, &["today", "-f", "json"]).ok().json();
    assert_eq!(
        j[0]["why"],
        "usage data ends 2026-11-17 (8 days ago): import fresh data before acting on health"
    );
    assert!(j[0]["draft"].is_null());
    let before = w.dump();
    let r = w.run_at(later, &["done", "data-usage-2026-11-17"]).fails(1);
    assert!(
        r.stderr.contains("data-usage-2026-11-17 clears itself: import fresh usage data (`csf import usage FILE`); nothing was stored"),
        "{}",
        r.stderr
    );
    let r = w.run_at(later, &["draft", "data-usage-2026-11-17"]).fails(1);
    assert!(
        r.stderr.contains("data-usage-2026-11-17 has no draft: Import the latest usage export"),
        "{}",
        r.stderr
    );
    assert_eq!(w.dump(), before);
    let r = w.run_at(later, &["-q", "health", "score"]).ok();
    assert!(r.stderr.contains("warning: usage data ends 2026-11-17 (8 days ago)"), "{}", r.stderr);
    let plan = w.run_at(later, &["report", "plan", "--sections", "cadence"]).ok().stdout;
    assert!(plan.contains("- Usage data is stale: usage data ends 2026-11-17 (8 days ago)"), "{plan}");
    // Within data.stale_days: no word of it; a fresh import clears it.
    w.run(&["-q", "config", "set", "data.stale_days", "10"]).ok();
    assert_ne!(due_ids(&w, later)[0], "data-usage-2026-11-17");
}

/// The skip rules of docs/today.md: a `data` action cannot be skipped; a
/// ticket comes back when its first-response target passes (and one past
/// it cannot be skipped); a later skip replaces an earlier one; dates past
/// 9999-12-31 are refused — each refusal changing nothing.
#[test]
fn skip_rules_data_tickets_replacement_and_the_calendar() {
    let w = morning();
    let later = "2026-11-24T12:00:00Z"; // usage ends 2026-11-17: stale
    let before = w.dump();
    let r = w.run_at(later, &["skip", "data-usage-2026-11-17"]).fails(1);
    assert!(
        r.stderr.contains("cannot be skipped: it ends by itself when fresh usage data arrives"),
        "{}",
        r.stderr
    );
    assert_eq!(w.dump(), before);

    // The chat ticket of 09:00 has a 1-hour target: skipped at 09:30, it is back at 10:00.
    let r = w.run_at("2026-11-20T09:30:00Z", &["skip", "ticket-1", "--days", "7"]).ok();
    assert!(r.stderr.contains("Skipped ticket-1 until 2026-11-20"), "{}", r.stderr);
    assert!(!due_ids(&w, "2026-11-20T09:45:00Z").contains(&"ticket-1".to_string()));
    assert!(due_ids(&w, "2026-11-20T10:00:01Z").contains(&"ticket-1".to_string()));
    // Past its target, it cannot be skipped.
    let before = w.dump();
    let r = w.run(&["skip", "ticket-1"]).fails(1);
    assert!(r.stderr.contains("past its first-response target"), "{}", r.stderr);
    assert_eq!(w.dump(), before);

    // A later, shorter skip replaces the earlier one, and says its real end.
    w.run(&["-q", "skip", "rescue-risky", "--days", "10"]).ok();
    let r = w.run(&["skip", "rescue-risky", "--days", "2"]).ok();
    assert!(r.stderr.contains("until 2026-11-22"), "{}", r.stderr);
    assert!(due_ids(&w, "2026-11-22T08:00:00Z").contains(&"rescue-risky".to_string()));

    // The calendar ends with 9999-12-31.
    let before = w.dump();
    w.run(&["skip", "rescue-risky", "--days", "3000000"]).fails(2); // --days is 1..=3650
    w.run(&["skip", "rescue-risky", "--until", "10000-01-01"]).fails(1);
    assert_eq!(w.dump(), before);
}

/// A skip follows its customer (by internal key) through a change of id,
/// and never hides a new customer who takes the old id.
#[test]
fn a_skip_follows_its_customer_through_an_id_change() {
    let w = morning();
    w.run(&["-q", "skip", "rescue-risky", "--days", "5"]).ok();
    w.conn().execute("UPDATE customers SET id = 'risky2' WHERE id = 'risky'", []).unwrap();
    let ids = due_ids(&w, crate::common::NOW);
    assert!(!ids.contains(&"rescue-risky2".to_string()), "the renamed customer stays skipped: {ids:?}");
    let skipped = w.run(&["today", "--skipped", "-f", "json"]).ok().json();
    assert_eq!(skipped[0]["id"], "rescue-risky2", "{skipped}");
    // A new customer under the old id, at risk too, is not hidden by the old skip.
    w.file("c.csv", "id,name,mrr,signed_up_at\nrisky,Risky Again,99,2026-01-01\n");
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    let ids = due_ids(&w, crate::common::NOW);
    assert!(ids.contains(&"rescue-risky".to_string()), "{ids:?}");
}
