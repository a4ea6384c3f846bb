//! `csf sync postgres` against a real PostgreSQL server (tests/it/pg_cluster.rs):
//! usage and customers read by the founder's queries, incremental with an
//! overlap, read-only, all or nothing, the password never shown.

use std::time::{Duration, Instant};

use postgres::Client;

use crate::common::Work;
use crate::pg_cluster::cluster;

const EVENTS: &str = "
    CREATE TABLE accounts (id text PRIMARY KEY, company text, plan varchar(20), mrr numeric(10,2),
                           created_at timestamptz, canceled_at timestamptz, settings jsonb);
    INSERT INTO accounts SELECT 'acct-' || i, 'Company ' || i, CASE WHEN i % 3 = 0 THEN 'pro' ELSE 'starter' END,
                                i * 10 + 0.5, timestamptz '2026-01-01 00:00:00+00' + i * interval '1 day',
                                CASE WHEN i % 10 = 0 THEN timestamptz '2026-10-01 09:30:00+02' END, '{}'
                         FROM generate_series(1, 50) i;
    CREATE TABLE events (id bigserial PRIMARY KEY, account_id text, occurred_at timestamptz, name text, quantity int4);
    INSERT INTO events (account_id, occurred_at, name, quantity)
         SELECT 'acct-' || (1 + i % 50), timestamptz '2026-06-01 00:00:00+00' + i * interval '7 minutes',
                CASE WHEN i % 4 = 0 THEN 'export' ELSE 'report' END, 1 + i % 3
           FROM generate_series(1, 2000) i;";

const USAGE_QUERY: &str =
    "select account_id, occurred_at, name, quantity from events where occurred_at > $1 order by id";
const CUSTOMERS_QUERY: &str =
    "select id, company, plan, mrr, created_at::date as signed_up_at, canceled_at from accounts";

/// A csf database configured for the test's own PostgreSQL database (with
/// the example tables), the source connection, and the URL; None when skipped.
fn setup(name: &str, customers: bool) -> Option<(Work, Client, String)> {
    let c = cluster(name)?;
    let (mut pg, url) = c.database(name);
    pg.batch_execute(EVENTS).unwrap();
    let w = Work::new();
    w.run(&["init"]).ok();
    w.run(&["config", "set", "postgres.url_env", "PG_URL"]).ok();
    w.run(&["config", "set", "postgres.usage_query", USAGE_QUERY]).ok();
    if customers {
        w.run(&["config", "set", "postgres.customers_query", CUSTOMERS_QUERY]).ok();
    }
    Some((w, pg, url))
}

fn sync(w: &Work, url: &str, args: &[&str]) -> crate::common::Run {
    let mut all = vec!["sync", "postgres"];
    all.extend_from_slice(args);
    w.run_env(&[("PG_URL", url)], &all)
}

fn pg_i64(pg: &mut Client, sql: &str) -> i64 {
    pg.query_one(sql, &[]).unwrap().get(0)
}

#[test]
fn usage_and_customers_read_by_queries_equal_the_source() {
    let Some((w, mut pg, url)) = setup("pg_equal", true) else { return };
    let r = sync(&w, &url, &[]).ok();
    assert!(
        r.stderr.contains("customers: 50 inserted") && r.stderr.contains("usage: 2000 inserted"),
        "{}",
        r.stderr
    );
    assert_eq!(w.count("SELECT count(*) FROM customers"), pg_i64(&mut pg, "select count(*) from accounts"));
    assert_eq!(
        w.count("SELECT sum(mrr_cents) FROM customers"),
        pg_i64(&mut pg, "select (sum(mrr) * 100)::int8 from accounts")
    );
    assert_eq!(
        w.count("SELECT count(*) FROM customers WHERE churned_at = 1790839800"),
        5,
        "09:30+02 is 07:30Z"
    );
    assert_eq!(w.count("SELECT count(*) FROM customers WHERE plan = 'pro'"), 16);
    // A date column is 00:00 of that day (UTC).
    assert_eq!(w.count("SELECT signed_up_at FROM customers WHERE id = 'acct-1'"), 1767312000, "2026-01-02");
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), pg_i64(&mut pg, "select count(*) from events"));
    assert_eq!(
        w.count("SELECT sum(count) FROM usage_events"),
        pg_i64(&mut pg, "select sum(quantity) from events")
    );
    let first = pg_i64(&mut pg, "select extract(epoch from min(occurred_at))::int8 from events");
    assert_eq!(w.count("SELECT min(ts) FROM usage_events"), first);
    // The cursor is the newest usage timestamp, committed with the rows.
    let newest = pg_i64(&mut pg, "select extract(epoch from max(occurred_at))::int8 from events");
    let cursor: String = w
        .conn()
        .query_row("SELECT cursor FROM sync_state WHERE source = 'postgres'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(cursor, format!("{{\"usage_ts\":{newest}}}"));
    // Read whole again: every customer unchanged.
    let r = sync(&w, &url, &[]).ok();
    assert!(r.stderr.contains("customers: 0 inserted, 0 changed, 50 unchanged"), "{}", r.stderr);
    let status = w.run(&["sync", "status", "-f", "json"]).ok().json();
    let pg_row = status.as_array().unwrap().iter().find(|s| s["source"] == "postgres").unwrap().clone();
    assert_eq!(
        (pg_row["configured"].clone(), pg_row["last_sync"].clone()),
        (true.into(), "2026-11-20T12:00:00Z".into())
    );
}

#[test]
fn a_second_sync_adds_nothing_and_late_rows_arrive_once() {
    let Some((w, mut pg, url)) = setup("pg_incremental", false) else { return };
    sync(&w, &url, &["--create-missing"]).ok();
    let before = w.dump();
    let r = sync(&w, &url, &[]).ok();
    assert!(r.stderr.contains("usage: 0 inserted"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 2000);
    let after = w.dump();
    let changed: Vec<&str> = after.lines().filter(|l| !before.lines().any(|b| b == *l)).collect();
    let state = bytes("postgres");
    assert!(
        changed.iter().all(|l| l.contains(&state)),
        "nothing new; only sync_state may change: {changed:?}"
    );
    // 1,000 new rows after the cursor, and one late row 30 minutes before it.
    pg.batch_execute(
        "INSERT INTO events (account_id, occurred_at, name, quantity)
              SELECT 'acct-' || (1 + i % 50), (select max(occurred_at) from events) + i * interval '1 minute', 'new', 1
                FROM generate_series(1, 1000) i;
         INSERT INTO events (account_id, occurred_at, name, quantity)
              SELECT 'acct-7', max(occurred_at) - interval '30 minutes' - interval '1000 minutes', 'late', 1 FROM events;",
    )
    .unwrap();
    sync(&w, &url, &[]).ok();
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 3001);
    assert_eq!(w.count("SELECT count(*) FROM usage_events u JOIN event_names e ON e.id = u.event_id WHERE e.name = 'late'"), 1);
    // --full reads everything again and still counts nothing twice.
    sync(&w, &url, &["--full"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 3001);
}

/// A text as the dump shows it (`Text([112, 111, …])`).
fn bytes(s: &str) -> String {
    format!("{:?}", s.as_bytes()).trim_matches(|c| c == '[' || c == ']').to_string()
}

#[test]
fn a_writing_query_fails_read_only_and_nothing_is_written_anywhere() {
    let Some((w, mut pg, url)) = setup("pg_readonly", false) else { return };
    w.run(&[
        "config",
        "set",
        "postgres.usage_query",
        "with gone as (delete from events returning *) select account_id, occurred_at, name from gone where occurred_at > $1",
    ])
    .ok();
    let bytes = std::fs::read(&w.db).unwrap();
    w.refuses_with(
        |c| {
            c.env("PG_URL", &url);
        },
        &["sync", "postgres", "--create-missing"],
        &["in a read-only transaction", "usage query"],
    );
    assert_eq!(pg_i64(&mut pg, "select count(*) from events"), 2000, "the source keeps every row");
    assert_eq!(std::fs::read(&w.db).unwrap(), bytes, "the csf file is byte-identical");
}

#[test]
fn a_null_customer_fails_the_sync_whole_and_skip_invalid_keeps_the_rest() {
    let Some((w, mut pg, url)) = setup("pg_null", false) else { return };
    pg.batch_execute("UPDATE events SET account_id = NULL WHERE id = 1234").unwrap();
    let r = w.refuses_with(
        |c| {
            c.env("PG_URL", &url);
        },
        &["sync", "postgres", "--create-missing"],
        &[
            "usage query row 1234: column \"account_id\" is NULL",
            "1 invalid row; nothing was written",
            "--skip-invalid",
        ],
    );
    assert!(!r.stderr.contains("row 1235"), "{}", r.stderr);
    let r = sync(&w, &url, &["--create-missing", "--skip-invalid"]).ok();
    assert!(r.stderr.contains("skipped usage query row 1234: column \"account_id\" is NULL"), "{}", r.stderr);
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 1999);
}

#[test]
fn unknown_customers_are_refused_unless_create_missing() {
    let Some((w, _pg, url)) = setup("pg_unknown", false) else { return };
    w.refuses_with(
        |c| {
            c.env("PG_URL", &url);
        },
        &["sync", "postgres"],
        &["usage query row 1: column \"customer\": \"acct-2\" is not a known customer", "--create-missing"],
    );
    sync(&w, &url, &["--create-missing"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM customers"), 50);
}

#[test]
fn the_password_is_never_shown_nor_stored() {
    let Some((w, _pg, url)) = setup("pg_secret", true) else { return };
    let password = "Pw-pg_secret-Secret9";
    assert!(url.contains(password));
    let wrong = url.replace(password, "Wrong-Guess-77");
    let r = w.refuses_with(
        |c| {
            c.env("PG_URL", &wrong);
        },
        &["sync", "postgres"],
        &["password authentication failed", "127.0.0.1:", "postgres://r_pg_secret:***@127.0.0.1"],
    );
    assert!(!r.stderr.contains("Wrong-Guess-77"), "{}", r.stderr);
    let mut out = String::new();
    for args in [&["sync", "postgres"][..], &["sync"], &["sync", "status"], &["config", "list"]] {
        let r = w.run_env(&[("PG_URL", &url)], args).ok();
        out.push_str(&r.stdout);
        out.push_str(&r.stderr);
    }
    assert!(!out.contains(password), "{out}");
    let file = std::fs::read(&w.db).unwrap();
    assert!(
        !file.windows(password.len()).any(|win| win == password.as_bytes()),
        "the password is in the database file"
    );
}

#[test]
fn an_unsupported_column_type_is_named() {
    let Some((w, _pg, url)) = setup("pg_jsonb", true) else { return };
    w.run(&["config", "set", "postgres.customers_query", "select id, settings from accounts"]).ok();
    w.refuses_with(
        |c| {
            c.env("PG_URL", &url);
        },
        &["sync", "postgres"],
        &["customers query: column \"settings\" is of type jsonb", "settings::text"],
    );
}

#[test]
fn dry_run_reads_and_validates_and_leaves_the_file_byte_identical() {
    let Some((w, mut pg, url)) = setup("pg_dry", true) else { return };
    sync(&w, &url, &[]).ok();
    pg.batch_execute("INSERT INTO events (account_id, occurred_at, name) VALUES ('acct-1', now(), 'new')")
        .unwrap();
    let bytes = std::fs::read(&w.db).unwrap();
    let r = sync(&w, &url, &["--dry-run"]).ok();
    assert!(
        r.stderr.contains("dry run: nothing written") && r.stderr.contains("usage: 1 inserted"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read(&w.db).unwrap(), bytes);
}

#[test]
fn the_url_file_must_be_private_and_a_missing_variable_is_named() {
    let Some((w, _pg, url)) = setup("pg_file", false) else { return };
    let f = w.file("pg.url", &url);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    w.run(&["config", "unset", "postgres.url_env"]).ok();
    w.run(&["config", "set", "postgres.url_file", f.to_str().unwrap()]).ok();
    w.refuses(&["sync", "postgres", "--create-missing"], &["readable by others (mode 644)", "chmod 600"]);
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
    w.run(&["sync", "postgres", "--create-missing"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 2000);
    w.run(&["config", "set", "postgres.url_env", "NOT_SET_ANYWHERE"]).ok();
    w.refuses(&["sync", "postgres"], &["NOT_SET_ANYWHERE", "is not set"]);
}

/// Neither needs a server: nothing listens on a free port, and a listener
/// that accepts and never answers holds TLS negotiation forever.
#[test]
fn a_dead_port_and_a_silent_listener_fail_within_the_limit() {
    let w = Work::new();
    w.run(&["init"]).ok();
    w.run(&["config", "set", "postgres.url_env", "PG_URL"]).ok();
    w.run(&["config", "set", "postgres.usage_query", USAGE_QUERY]).ok();
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = dead.local_addr().unwrap().port();
    drop(dead);
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    for (port, fragment) in [(dead_port, "could not connect"), (silent_port, "did not answer within 10 s")] {
        let url = format!("postgres://csf:Hidden-Pw-1@127.0.0.1:{port}/app");
        let started = Instant::now();
        let r = w.refuses_with(
            |c| {
                c.env("PG_URL", &url);
            },
            &["sync", "postgres"],
            &[fragment, &format!("127.0.0.1:{port}"), "csf:***@"],
        );
        assert!(started.elapsed() < Duration::from_secs(14), "{:?}: {}", started.elapsed(), r.stderr);
        assert!(!r.stderr.contains("Hidden-Pw-1"), "{}", r.stderr);
    }
    drop(silent);
}

/// What psql prints (`\copy (…) to stdout csv header`): a space, fractions,
/// the short `+00` offset; `csf import usage -` reads it as it is.
#[test]
fn psql_copy_output_imports_with_csf_import_usage() {
    let w = Work::new();
    let csv = "account_id,occurred_at,name,quantity\n\
               acct-1,2026-06-01 00:01:15+00,report,1\n\
               acct-1,2026-06-01 00:01:15.5+00,export,2\n\
               acct-2,2026-05-31 20:31:15.25-03:30,report,3\n\
               acct-2,2026-06-01 05:31:15+0530,export,4\n";
    let r = w.run_stdin(&["import", "usage", "-", "--create-missing"], csv).ok();
    assert!(
        r.stderr.contains("4 inserted") || r.stderr.contains("inserted 4") || r.stderr.contains('4'),
        "{}",
        r.stderr
    );
    assert_eq!(w.count("SELECT count(*) FROM usage_events WHERE ts = 1780272075"), 4);
}

/// TLS through rustls: `require` encrypts without checking the certificate,
/// `verify-full` checks it against the system's roots (a self-signed one fails).
#[test]
fn sslmode_require_connects_over_tls_and_verify_full_checks_the_certificate() {
    let Some((w, _pg, url)) = setup("pg_tls", false) else { return };
    if !crate::pg_cluster::cluster("pg_tls").is_some_and(|c| c.tls) {
        eprintln!("skipped the TLS part of pg_tls: the openssl command is missing, so the server has no certificate");
        return;
    }
    let require = url.replace("sslmode=disable", "sslmode=require");
    sync(&w, &require, &["--create-missing"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM usage_events"), 2000);
    let verify = url.replace("sslmode=disable", "sslmode=verify-full").replace("127.0.0.1", "localhost");
    w.refuses_with(
        |c| {
            c.env("PG_URL", &verify);
        },
        &["sync", "postgres"],
        &["could not connect to PostgreSQL at localhost:", "certificate", "r_pg_tls:***@localhost"],
    );
}

#[test]
fn a_query_over_the_statement_timeout_is_cancelled_by_the_server() {
    let Some((w, _pg, url)) = setup("pg_timeout", false) else { return };
    w.run(&["config", "set", "postgres.statement_timeout_s", "1"]).ok();
    w.run(&[
        "config",
        "set",
        "postgres.usage_query",
        "select account_id, occurred_at, name from events, pg_sleep(3) where occurred_at > $1 limit 1",
    ])
    .ok();
    w.refuses_with(
        |c| {
            c.env("PG_URL", &url);
        },
        &["sync", "postgres", "--create-missing"],
        &["refused the usage query", "canceling statement due to statement timeout"],
    );
}

#[test]
fn an_unconfigured_source_says_what_to_set() {
    let w = Work::new();
    w.run(&["init"]).ok();
    w.refuses(&["sync", "postgres"], &["postgres.usage_query is not set"]);
    w.run(&["config", "set", "postgres.usage_query", USAGE_QUERY]).ok();
    w.refuses(&["sync", "postgres"], &["no PostgreSQL URL", "postgres.url_env"]);
    w.refuses(&["sync"], &["no source is configured"]);
    w.run(&["config", "set", "postgres.url_env", "PG_URL"]).ok();
    w.refuses_with(
        |c| {
            c.env("PG_URL", "postgres://u:Secret-Pw-5@127.0.0.1:1/app?sslmode=verify-ca");
        },
        &["sync", "postgres"],
        &["sslmode=verify-ca is not supported", "verify-full", "u:***@"],
    );
    let status = w.run(&["sync", "status", "-f", "json"]).ok().json();
    assert!(status.as_array().unwrap().iter().any(|s| s["source"] == "postgres" && s["configured"] == true));
}
