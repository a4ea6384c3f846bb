//! Upgrades keep every row (docs/schema.md): a database written by the 0.1.0 release
//! (`tests/fixtures/v0.1.0.db`, made by `tests/fixtures/make-v0.1.0.sh`)
//! opens in this csf with every row of every table.

use crate::common::{rows_in_old_columns, Work};

const V010: &[u8] = include_bytes!("../fixtures/v0.1.0.db");

/// A workspace whose database is the fixture `bytes`, and an untouched copy of it.
fn with_fixture(bytes: &[u8], name: &str) -> (Work, std::path::PathBuf) {
    let w = Work::new();
    std::fs::write(&w.db, bytes).unwrap();
    let old = w.path(&format!("{name}-untouched.db"));
    std::fs::write(&old, bytes).unwrap();
    (w, old)
}

fn with_v010() -> (Work, std::path::PathBuf) {
    with_fixture(V010, "v0.1.0")
}

#[test]
fn a_v010_database_upgrades_with_every_row_kept_and_check_clean() {
    let (w, old) = with_v010();
    let before = rows_in_old_columns(&old, &old);
    assert!(before.iter().all(|(_, rows)| !rows.is_empty()), "the fixture has rows in every table");
    w.run(&["health", "list", "-f", "json"]).ok();
    assert_eq!(w.count("PRAGMA user_version"), csf::store::SCHEMA_VERSION);
    let after = rows_in_old_columns(&old, &w.db);
    assert_eq!(after, before);
    let r = w.run(&["check"]).ok();
    assert!(r.stdout.contains("ok") || r.stderr.contains("ok"), "{}{}", r.stdout, r.stderr);
}

#[test]
fn upgraded_snapshots_carry_the_weights_in_force_and_new_ones_their_own() {
    let (w, _) = with_v010();
    w.run(&["check"]).ok();
    // The fixture's config sets 50,20,20,10 after scoring; the upgrade records what was configured.
    assert_eq!(w.count("SELECT count(*) FROM health_snapshots WHERE weights <> '50,20,20,10'"), 0);
    w.run(&["config", "set", "health.weights", "40,30,20,10"]).ok();
    w.run_at("2026-11-21T09:00:00Z", &["health", "score"]).ok();
    assert!(
        w.count("SELECT count(*) FROM health_snapshots WHERE day = '2026-11-21' AND weights = '40,30,20,10'")
            > 0
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM health_snapshots WHERE day < '2026-11-21' AND weights <> '50,20,20,10'"
        ),
        0
    );
}

#[test]
fn upgraded_tickets_know_who_opened_them_and_which_events_were_imported() {
    let (w, _) = with_v010();
    w.run(&["check"]).ok();
    let csf_ticket: String = w
        .conn()
        .query_row(
            "SELECT t.id FROM tickets t JOIN customers c ON c.cid = t.cid WHERE c.id = 'fixture-co'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let origin: String =
        w.conn().query_row("SELECT origin FROM tickets WHERE id = ?1", [&csf_ticket], |r| r.get(0)).unwrap();
    assert_eq!(origin, "csf");
    assert_eq!(w.count("SELECT count(*) FROM tickets WHERE origin = 'csf'"), 1);
    // A note a person wrote is not marked imported, whatever its words.
    assert_eq!(w.count("SELECT imported FROM ticket_events WHERE body = 'Imported data looks wrong'"), 0);
    assert_eq!(w.count("SELECT count(*) FROM ticket_events WHERE imported = 1"), 40);
}

#[test]
fn a_newer_database_is_still_refused_untouched() {
    let (w, _) = with_v010();
    let (ours, newer) = (csf::store::SCHEMA_VERSION, csf::store::SCHEMA_VERSION + 1);
    w.conn().execute_batch(&format!("PRAGMA user_version = {newer}")).unwrap();
    let before = std::fs::read(&w.db).unwrap();
    let r = w.run(&["health", "list"]).fails(1);
    let said = format!("schema version {newer}, newer than this csf understands ({ours})");
    assert!(r.stderr.contains(&said), "{}", r.stderr);
    assert_eq!(std::fs::read(&w.db).unwrap(), before);
}

/// A database written at schema v2 (`tests/fixtures/v0.2.0.db`, made by
/// `tests/fixtures/make-v0.2.0.sh`): every row of every table kept, touches
/// and a changed template among them, and the new columns empty.
const V020: &[u8] = include_bytes!("../fixtures/v0.2.0.db");

#[test]
fn a_v020_database_upgrades_with_every_row_kept_and_the_morning_works() {
    let (w, old) = with_fixture(V020, "v0.2.0");
    let before = rows_in_old_columns(&old, &old);
    assert!(
        before.iter().all(|(_, rows)| !rows.is_empty()),
        "the fixture has rows in every table: {before:?}"
    );
    assert_eq!(before.len(), 16, "every v2 table");
    w.run(&["today", "-f", "json"]).ok();
    assert_eq!(w.count("PRAGMA user_version"), csf::store::SCHEMA_VERSION);
    assert_eq!(rows_in_old_columns(&old, &w.db), before);
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE contact_name IS NOT NULL"), 0);
    assert_eq!(w.count("SELECT count(*) FROM skips"), 0);
    w.run(&["check"]).ok();
    // The new column and table work on the upgraded file.
    w.run(&["-q", "customer", "edit", "acme", "--contact", "Jane Roe"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM customers_v WHERE contact_name = 'Jane Roe'"), 1);
}

/// A database written by csf 0.3.0 at schema v3 (`tests/fixtures/v0.3.0.db`,
/// made by `tests/fixtures/make-v0.3.0.sh`): every row of every table kept,
/// MRR and status histories in their new tables, plan history started at
/// signup, and the evidence table empty until measured.
const V030: &[u8] = include_bytes!("../fixtures/v0.3.0.db");

#[test]
fn a_v030_database_upgrades_with_every_row_kept_and_the_new_tables_empty() {
    let (w, old) = with_fixture(V030, "v0.3.0");
    let before = rows_in_old_columns(&old, &old);
    assert!(
        before.iter().all(|(_, rows)| !rows.is_empty()),
        "the fixture has rows in every table: {before:?}"
    );
    assert_eq!(before.len(), 19, "every v3 table");
    w.run(&["health", "list", "-f", "json"]).ok();
    assert_eq!(w.count("PRAGMA user_version"), csf::store::SCHEMA_VERSION);
    assert_eq!(rows_in_old_columns(&old, &w.db), before);
    assert_eq!(w.count("SELECT count(*) FROM evidence"), 0);
    assert_eq!(w.count("SELECT count(*) FROM sync_state"), 0);
    assert_eq!(
        w.count("SELECT count(*) FROM customers WHERE salutation IS NOT NULL OR stripe_id IS NOT NULL"),
        0
    );
    // Every customer with a plan starts its plan history with it at signup.
    assert_eq!(
        w.count("SELECT count(*) FROM plan_changes p JOIN customers c USING (cid) WHERE p.plan = c.plan AND p.source = 'upgrade'"),
        w.count("SELECT count(*) FROM customers WHERE plan IS NOT NULL")
    );
    w.run(&["check"]).ok();
}

/// A database written by csf 0.4.0 at schema v4 (`tests/fixtures/v0.4.0.db`,
/// made by `tests/fixtures/make-v0.4.0.sh`): every row of every table kept
/// through the rebuild of the tables written in bulk, whose CHECK lists
/// become comparisons that allow and refuse the same values.
const V040: &[u8] = include_bytes!("../fixtures/v0.4.0.db");

#[test]
fn a_v040_database_upgrades_with_every_row_kept_and_the_same_values_allowed() {
    let (w, old) = with_fixture(V040, "v0.4.0");
    let before = rows_in_old_columns(&old, &old);
    let empty: Vec<&str> =
        before.iter().filter(|(_, rows)| rows.is_empty()).map(|(t, _)| t.as_str()).collect();
    assert_eq!(empty, ["sync_state"], "the fixture has rows in every other table");
    assert_eq!(before.len(), 22, "every v4 table");
    w.run(&["health", "list", "-f", "json"]).ok();
    assert_eq!(w.count("PRAGMA user_version"), csf::store::SCHEMA_VERSION);
    assert_eq!(rows_in_old_columns(&old, &w.db), before);
    let r = w.run(&["check"]).ok();
    assert!(r.stdout.contains("ok") || r.stderr.contains("ok"), "{}{}", r.stdout, r.stderr);
    // The rebuilt tables check their words by comparison, not by a list built for every row.
    for table in ["billing_records", "mrr_changes", "plan_changes", "status_changes"] {
        let sql: String = w
            .conn()
            .query_row("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1", [table], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(!sql.contains("IN ('"), "{table}: {sql}");
    }
    // The same values are allowed and refused as by the 0.4.0 schema (the untouched copy).
    let (new, old) = (w.conn(), rusqlite::Connection::open(&old).unwrap());
    let words = [
        "paid", "late", "failed", "refunded", "void", "signup", "import", "edit", "sync", "upgrade",
        "record", "undo", "Paid", "pending", "csv", "", " paid",
    ];
    let inserts = [
        "INSERT INTO billing_records (cid, date, amount_cents, status) VALUES (?1, ?2, 100, ?3)",
        "INSERT INTO mrr_changes (cid, effective_at, mrr_cents, source) VALUES (?1, ?2, 100, ?3)",
        "INSERT INTO plan_changes (cid, effective_at, plan, source) VALUES (?1, ?2, 'x', ?3)",
        "INSERT INTO status_changes (cid, at, churned, source) VALUES (?1, ?2, 1, ?3)",
    ];
    let cid: i64 = new.query_row("SELECT cid FROM customers WHERE id = 'acme'", [], |r| r.get(0)).unwrap();
    let mut allowed = 0;
    for sql in inserts {
        for (at, word) in words.iter().enumerate() {
            let p = rusqlite::params![cid, at as i64 + 1, word];
            let (now, then) = (new.execute(sql, p).is_ok(), old.execute(sql, p).is_ok());
            assert_eq!(now, then, "{sql} with {word:?}");
            allowed += usize::from(now);
        }
    }
    assert_eq!(allowed, 5 + 5 + 5 + 6, "each list's words, and only those");
}
