//! The founder's timezone: days, weeks and months begin at its midnights, a
//! bare `--now` date is 23:59:59 there, and a change of zone changes no row.

use crate::common::Work;

fn zoned(zone: &str) -> Work {
    let w = Work::new();
    w.run(&["-q", "init"]).ok();
    w.run(&["config", "set", "timezone", zone]).ok();
    w
}

#[test]
fn tokyo_at_20_utc_on_november_30_scores_as_december_1() {
    let w = zoned("Asia/Tokyo");
    w.file("c.csv", "customer_id,name,signed_up_at,mrr\nc1,Acme,2026-06-01T00:00:00Z,49\n");
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    let r = w.run_at("2026-11-30T20:00:00Z", &["health", "score"]).ok();
    assert!(r.stderr.contains("for 2026-12-01"), "{}", r.stderr);
    assert_eq!(w.count("SELECT COUNT(*) FROM health_snapshots WHERE day = '2026-12-01'"), 1);
    // The same instant is still November 30 in UTC.
    let u = zoned("UTC");
    u.file("c.csv", "customer_id,name,signed_up_at,mrr\nc1,Acme,2026-06-01T00:00:00Z,49\n");
    u.run(&["-q", "import", "customers", "c.csv"]).ok();
    let r = u.run_at("2026-11-30T20:00:00Z", &["health", "score"]).ok();
    assert!(r.stderr.contains("for 2026-11-30"), "{}", r.stderr);
}

/// Europe/Paris springs forward on 2026-03-29 (a 23-hour day) and falls back
/// on 2026-10-25 (25 hours): a bare `--now` is 23:59:59 local on both, so an
/// event at 23:30 local counts and one at 00:30 the next day does not.
#[test]
fn a_bare_now_on_a_paris_dst_day_ends_at_local_midnight() {
    for (day, inside, after) in [
        ("2026-03-29", "2026-03-29T21:30:00Z", "2026-03-29T22:30:00Z"),
        ("2026-10-25", "2026-10-25T22:30:00Z", "2026-10-25T23:30:00Z"),
    ] {
        let w = zoned("Europe/Paris");
        w.file("c.csv", "customer_id,name,signed_up_at,mrr\nc1,Acme,2026-01-10,49\n");
        w.file("u.csv", format!("customer_id,timestamp,event\nc1,{inside},login\nc1,{after},login\n"));
        w.run(&["-q", "import", "customers", "c.csv"]).ok();
        w.run(&["-q", "import", "usage", "u.csv"]).ok();
        let j = w.run_at(day, &["customer", "show", "c1", "-f", "json"]).ok().json();
        assert_eq!(j["last_event_at"], inside, "{day}");
        assert_eq!(j["events_30d"], 1, "{day}");
        // A bare date in a file is local midnight too.
        assert_eq!(j["signed_up_at"], "2026-01-09T23:00:00Z");
    }
}

/// A churn at 00:30 on November 1 in Paris (23:30 UTC on October 31) is a
/// November churn in every report.
#[test]
fn months_begin_at_the_zones_midnight_in_every_report() {
    let w = zoned("Europe/Paris");
    w.file(
        "c.csv",
        "customer_id,name,signed_up_at,mrr,churned_at\nc1,A,2026-01-10,49,2026-10-31T23:30:00Z\nc2,B,2026-01-10,99,\n",
    );
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    let rate = w.run(&["churn", "rate", "--months", "2", "-f", "json"]).ok().json();
    let revenue = w.run(&["report", "revenue", "--months", "2", "-f", "json"]).ok().json();
    for k in 0..2 {
        assert_eq!(rate[k]["month"], revenue[k]["month"]);
    }
    assert_eq!((rate[0]["churned"].as_i64(), rate[1]["churned"].as_i64()), (Some(0), Some(1)));
    assert_eq!((revenue[0]["churned"].as_f64(), revenue[1]["churned"].as_f64()), (Some(0.0), Some(49.0)));
    assert_eq!(rate[1]["mrr_churned"], revenue[1]["churned"]);
}

/// Sunday 20:00 UTC is Monday 05:00 in Tokyo: a new ISO week there.
#[test]
fn weeks_begin_on_the_zones_monday() {
    let start = |zone: &str| {
        let w = zoned(zone);
        let j = w.run_at(
            "2026-11-22T20:00:00Z",
            &["report", "trends", "--by", "week", "--periods", "1", "-f", "json"],
        );
        j.ok().json()[0]["period_start"].as_str().unwrap().to_string()
    };
    assert_eq!(start("Asia/Tokyo"), "2026-11-23");
    assert_eq!(start("UTC"), "2026-11-16");
}

#[test]
fn a_change_of_zone_changes_no_stored_row() {
    let w = Work::new();
    w.file(
        "c.csv",
        "customer_id,name,signed_up_at,mrr\nc1,Acme,2026-06-01T00:00:00Z,49\nc2,Beta,2026-07-01,99\n",
    );
    w.file(
        "u.csv",
        "customer_id,timestamp,event\nc1,2026-11-19T23:30:00Z,login\nc2,2026-11-20T01:00:00Z,login\n",
    );
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    w.run(&["-q", "import", "usage", "u.csv"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    // Every table but config, where the zone itself is the one row that changes.
    let without_settings = |d: String| {
        let mut in_config = false;
        d.lines()
            .filter(|l| {
                if l.starts_with("## ") {
                    in_config = *l == "## config";
                }
                !in_config
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let before = without_settings(w.dump());
    for zone in ["Asia/Tokyo", "America/Los_Angeles", "UTC"] {
        w.run(&["config", "set", "timezone", zone]).ok();
        assert_eq!(without_settings(w.dump()), before, "{zone}");
    }
}

#[test]
fn an_unknown_zone_is_refused_and_nothing_changes() {
    let w = zoned("Europe/Paris");
    let before = w.dump();
    w.refuses(
        &["config", "set", "timezone", "Mars/Olympus"],
        &["\"Mars/Olympus\" is not an IANA time zone", "Europe/Paris"],
    );
    w.refuses(&["config", "set", "timezone", "+09:00"], &["not an IANA time zone"]);
    assert_eq!(w.dump(), before);
    // Names are matched without regard to case and stored as IANA spells them.
    w.run(&["config", "set", "timezone", "asia/tokyo"]).ok();
    assert_eq!(w.run(&["config", "get", "timezone"]).ok().stdout, "Asia/Tokyo\n");
}
