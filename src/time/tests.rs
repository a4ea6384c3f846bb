//! Unit tests of the timestamp parser and the day arithmetic.

use super::*;

fn ts(s: &str) -> i64 {
    DateTime::parse_from_rfc3339(s).unwrap().timestamp()
}

#[test]
fn accepts_every_documented_form() {
    let t = ts("2026-11-20T10:00:00Z");
    for s in [
        "2026-11-20T10:00:00Z",
        "2026-11-20T11:00:00+01:00",
        "2026-11-20T10:00:00.250Z",
        "2026-11-20T10:00",
        "2026-11-20 10:00",
        "2026-11-20 10:00:00",
        "2026-11-20T10:00:00.5",
        "2026-11-20 10:00:00 UTC",
        "2026-11-20 10:00:00 +0000",
        "2026-11-20 11:00:00 +0100",
        "2026-11-20T11:00:00+0100",
        "1795168800",
        "1795168800000",
    ] {
        assert_eq!(parse_timestamp(s), Ok(t), "{s}");
    }
    let d = ts("2026-11-20T00:00:00Z");
    assert_eq!(parse_timestamp("2026-11-20"), Ok(d));
    assert_eq!(parse_timestamp("20261120"), Ok(d));
}

/// The text Postgres and psql print (`\copy … to stdout csv`): a space,
/// fractions of 1 to 6 digits, and the short offsets.
#[test]
fn accepts_the_postgres_text_forms() {
    let t = ts("2026-06-01T00:01:15Z");
    for s in [
        "2026-06-01 00:01:15+00",
        "2026-06-01 00:01:15.5+00",
        "2026-06-01 00:01:15.25+00",
        "2026-06-01 00:01:15.123456+00",
        "2026-06-01 00:01:15+0000",
        "2026-06-01 00:01:15+00:00",
        "2026-05-31 20:31:15-03:30",
        "2026-05-31 20:31:15.7-03:30",
        "2026-05-31 20:31:15-0330",
        "2026-06-01 05:31:15+0530",
        "2026-06-01 05:31:15.05+05:30",
        "2026-06-01 02:01:15+02",
        "2026-05-31T21:01:15-03",
    ] {
        assert_eq!(parse_timestamp(s), Ok(t), "{s}");
    }
    for bad in [
        "2026-06-01 00:01:15+0",
        "2026-06-01 00:01:15+000",
        "2026-06-01 00:01:15.+00",
        "2026-06-01 00:01:15+24",
    ] {
        assert!(parse_timestamp(bad).is_err(), "{bad}");
    }
}

#[test]
fn now_date_means_end_of_day() {
    assert_eq!(parse_now("2026-10-01"), Ok(ts("2026-10-01T23:59:59Z")));
    assert_eq!(parse_now("2026-10-01T08:00:00Z"), Ok(ts("2026-10-01T08:00:00Z")));
}

#[test]
fn ambiguous_and_invalid_forms_are_refused() {
    assert!(parse_timestamp("11/05/2026").unwrap_err().contains("ISO"));
    assert!(parse_timestamp("05.11.2026").unwrap_err().contains("ISO"));
    assert!(parse_timestamp("2026-02-30").unwrap_err().contains("calendar"));
    assert!(parse_timestamp("yesterday").is_err());
    assert!(parse_timestamp("").is_err());
    assert!(parse_timestamp("123456").is_err());
}

#[test]
fn days_are_utc_calendar_days() {
    let t = ts("2026-11-20T23:59:59Z");
    assert_eq!(Day::of(t), Day::of(ts("2026-11-20T00:00:00Z")));
    assert_eq!(Day::of(t) + 1, Day::of(t + 1));
    assert_eq!(Day::of(t + 1) - Day::of(t), 1);
    assert_eq!(iso_date(t), "2026-11-20");
    assert_eq!(Day::of(t).iso(), "2026-11-20");
    assert_eq!(Day::of(t).to_string(), "2026-11-20");
    assert_eq!(Day::of(t).end(), t);
    assert_eq!(Day::of(t).start(), ts("2026-11-20T00:00:00Z"));
    assert_eq!(Day::of_date(Day::of(t).date()), Day::of(t));
    assert_eq!(Day::of(-1), Day::default() - 1, "the second before 1970 is on 1969-12-31");
    assert_eq!(Day::of(-1).iso(), "1969-12-31");
}

#[test]
fn relative_times_read_naturally() {
    assert_eq!(relative(0, 3 * DAY), "3 days ago");
    assert_eq!(relative(0, 3600), "1 hour ago");
    assert_eq!(relative(7200, 0), "in 2 hours");
    assert_eq!(relative(0, 30), "just now");
    assert_eq!(duration(3 * 3600 + 20 * 60), "3 h 20 min");
}

mod props {
    use chrono::{Datelike, Timelike};
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Any string: an Ok or a message, never a panic.
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_timestamp(&s);
            let _ = parse_now(&s);
        }

        /// Every printed form of a time parses back to the same second.
        #[test]
        fn printed_forms_round_trip(ts in 0i64..4_102_444_800) {
            let dt = to_datetime(ts);
            prop_assert_eq!(parse_timestamp(&rfc3339(ts)), Ok(ts));
            prop_assert_eq!(parse_timestamp(&dt.format("%Y-%m-%d %H:%M:%S").to_string()), Ok(ts));
            if ts >= 1_000_000_000 {
                // 10 digits: epoch seconds; 13 digits: milliseconds.
                prop_assert_eq!(parse_timestamp(&ts.to_string()), Ok(ts));
                prop_assert_eq!(parse_timestamp(&format!("{ts}123")), Ok(ts));
            }
            let day = dt.date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
            prop_assert_eq!(parse_timestamp(&format!("{:04}{:02}{:02}", dt.year(), dt.month(), dt.day())), Ok(day));
            prop_assert_eq!(parse_now(&iso_date(ts)), Ok(day + DAY - 1));
            prop_assert_eq!(dt.second() as i64, ts % 60);
        }

        /// Offsets are converted to UTC.
        #[test]
        fn offsets_convert_to_utc(ts in 0i64..4_102_444_800, mins in -720i32..840) {
            let off = chrono::FixedOffset::east_opt(mins * 60).unwrap();
            let s = to_datetime(ts).with_timezone(&off).to_rfc3339();
            prop_assert_eq!(parse_timestamp(&s), Ok(ts));
        }
    }
}

#[test]
fn nothing_after_9999_12_31_is_read() {
    assert_eq!(parse_timestamp("9999-12-31T23:59:59Z"), Ok(LAST_SECOND));
    assert_eq!(parse_now("9999-12-31"), Ok(LAST_SECOND));
    assert_eq!(parse_with_format("31.12.9999", "%d.%m.%Y"), Ok(LAST_SECOND - DAY + 1));
    for s in ["9999-12-31T23:59:59-00:01", "9999-12-31 22:00-05", "9999-12-31T23:00:00-02:00"] {
        let e = parse_timestamp(s).unwrap_err();
        assert!(e.starts_with("is after 9999-12-31 (it is +10000-01-01 "), "{s}: {e}");
        assert!(parse_now(s).is_err(), "{s}");
    }
    let e = parse_with_format("01.01.+10000", "%d.%m.%Y").unwrap_err();
    assert!(e.starts_with("is after 9999-12-31"), "{e}");
    assert!(parse_with_format("1.1.+10000 +0000", "%d.%m.%Y %z").is_err());
}

mod zones {
    use chrono_tz::Tz;

    use crate::time::{parse_timestamp, Day, DAY};

    fn day(s: &str) -> Day {
        Day::parse_iso(s).unwrap()
    }

    fn at(s: &str) -> i64 {
        parse_timestamp(s).unwrap()
    }

    #[test]
    fn tokyo_is_a_day_ahead_at_20_utc() {
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        assert_eq!(Day::of_in(at("2026-11-30T20:00:00Z"), tokyo), day("2026-12-01"));
        assert_eq!(Day::of_in(at("2026-11-30T14:59:59Z"), tokyo), day("2026-11-30"));
        assert_eq!(day("2026-12-01").start_in(tokyo), at("2026-11-30T15:00:00Z"));
        assert_eq!(day("2026-12-01").end_in(tokyo), at("2026-12-01T14:59:59Z"));
    }

    /// Paris: 23 hours on 2026-03-29, 25 hours on 2026-10-25; a day's end is
    /// the next day's start − 1 and every instant of the day maps back to it.
    #[test]
    fn paris_dst_days_last_23_and_25_hours() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        for (d, start, hours) in [
            ("2026-03-29", "2026-03-28T23:00:00Z", 23),
            ("2026-10-25", "2026-10-24T22:00:00Z", 25),
            ("2026-07-01", "2026-06-30T22:00:00Z", 24),
        ] {
            let d = day(d);
            assert_eq!(d.start_in(paris), at(start), "{d}");
            assert_eq!(d.end_in(paris) + 1 - d.start_in(paris), hours * 3600, "{d}");
            for t in [d.start_in(paris), d.start_in(paris) + 3600 * 12, d.end_in(paris)] {
                assert_eq!(Day::of_in(t, paris), d, "{d} {t}");
            }
            assert_eq!(Day::of_in(d.start_in(paris) - 1, paris), d - 1);
        }
    }

    /// Santiago springs forward at midnight: 2026-09-06 begins at 01:00 local.
    #[test]
    fn a_day_whose_midnight_does_not_exist_begins_after_the_gap() {
        let santiago: Tz = "America/Santiago".parse().unwrap();
        let d = day("2026-09-06");
        assert_eq!(d.start_in(santiago), at("2026-09-06T04:00:00Z"));
        assert_eq!((d - 1).end_in(santiago), at("2026-09-06T03:59:59Z"));
        assert_eq!(Day::of_in(d.start_in(santiago), santiago), d);
    }

    #[test]
    fn in_utc_days_are_86400_seconds() {
        let d = day("2026-11-20");
        assert_eq!(d.start_in(Tz::UTC), 20_777 * DAY);
        assert_eq!(d.end_in(Tz::UTC), 20_778 * DAY - 1);
        assert_eq!(d.month_start(), day("2026-11-01"));
        assert_eq!(d.week_start(), day("2026-11-16"));
        assert_eq!(day("2026-01-31").add_months(1), day("2026-02-28"));
        assert_eq!(day("2026-03-31").add_months(-1), day("2026-02-28"));
    }
}
