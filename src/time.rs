//! Timestamps: parsing every form docs/import.md lists, days and windows relative to `now`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

pub const DAY: i64 = 86_400;

/// Parses a timestamp in any accepted form into Unix seconds (UTC).
/// The error is a sentence fragment for `column "x": "value" <error>`.
pub fn parse_timestamp(s: &str) -> Result<i64, String> {
    parse_inner(s.trim(), false)
}

/// Parses a timestamp as `--date-format FMT` (strftime) says, in UTC: a
/// format with `%z` reads the offset, one without a time means 00:00:00.
/// Anything else accepted by [`parse_timestamp`] is read as usual.
pub fn parse_with_format(s: &str, fmt: &str) -> Result<i64, String> {
    let v = s.trim();
    if let Ok(t) = DateTime::parse_from_str(v, fmt) {
        return Ok(t.timestamp());
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(v, fmt) {
        return Ok(t.and_utc().timestamp());
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, fmt) {
        return Ok(d.and_time(NaiveTime::MIN).and_utc().timestamp());
    }
    parse_timestamp(v).map_err(|_| format!("does not match --date-format \"{fmt}\""))
}

/// Checks a `--date-format` before any row is read: a strftime format with a date in it.
pub fn check_date_format(fmt: &str) -> Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    if StrftimeItems::new(fmt).any(|i| matches!(i, Item::Error)) {
        return Err(format!(
            "--date-format \"{fmt}\" is not a strftime format; e.g. %m/%d/%Y or \"%d.%m.%Y %H:%M\""
        ));
    }
    Ok(())
}

/// Parses `--now`: like [`parse_timestamp`] but a bare date means 23:59:59 UTC.
pub fn parse_now(s: &str) -> Result<i64, String> {
    parse_inner(s.trim(), true)
}

/// The common export form `YYYY-MM-DDTHH:MM:SSZ` (or with a space), parsed
/// without allocation; None for anything else (the general path decides).
fn fast_utc(b: &[u8]) -> Option<i64> {
    if !(b.len() == 20 && b[19] == b'Z' || b.len() == 19)
        || b[4] != b'-'
        || b[7] != b'-'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    if b[10] != b'T' && b[10] != b' ' {
        return None;
    }
    let n = |i: usize, len: usize| -> Option<i64> {
        b[i..i + len].iter().try_fold(0i64, |a, &c| c.is_ascii_digit().then(|| a * 10 + i64::from(c - b'0')))
    };
    let (y, mo, d, h, mi, sec) = (n(0, 4)?, n(5, 2)?, n(8, 2)?, n(11, 2)?, n(14, 2)?, n(17, 2)?);
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y as i32, mo as u32, d as u32)?;
    Some(Day::of_date(date).start() + h * 3600 + mi * 60 + sec)
}

fn parse_inner(s: &str, date_is_end_of_day: bool) -> Result<i64, String> {
    if let Some(t) = fast_utc(s.as_bytes()) {
        return Ok(t);
    }
    if s.is_empty() {
        return Err("is empty; expected a timestamp such as 2026-11-20T10:00:00Z".into());
    }
    let b = s.as_bytes();
    if b.iter().all(u8::is_ascii_digit) {
        return match b.len() {
            8 => parse_date(&format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..]), date_is_end_of_day),
            10 => s.parse::<i64>().map_err(|_| invalid()),
            13 => s.parse::<i64>().map(|ms| ms.div_euclid(1000)).map_err(|_| invalid()),
            _ => Err(invalid()),
        };
    }
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        return parse_date(s, date_is_end_of_day);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt.timestamp());
    }
    // RFC 3339 with a space instead of `T`, or offsets without seconds.
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M%:z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Ok(dt.timestamp());
        }
    }
    let naive = s.strip_suffix('Z').or_else(|| s.strip_suffix(" UTC")).unwrap_or(s);
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(naive, fmt) {
            return Ok(dt.and_utc().timestamp());
        }
    }
    if s.contains('/') || s.contains('.') && !s.contains(':') {
        return Err("is an ambiguous date; use an ISO date such as 2026-11-05 (YYYY-MM-DD)".into());
    }
    Err(invalid())
}

fn invalid() -> String {
    "is not a timestamp; use RFC 3339 (2026-11-20T10:00:00Z), YYYY-MM-DD[ HH:MM[:SS]], \
     YYYYMMDD or Unix epoch seconds (10 digits) / milliseconds (13 digits)"
        .into()
}

fn parse_date(s: &str, end_of_day: bool) -> Result<i64, String> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| "is not a valid calendar date (YYYY-MM-DD)".to_string())?;
    let t = if end_of_day { NaiveTime::from_hms_opt(23, 59, 59) } else { NaiveTime::from_hms_opt(0, 0, 0) }
        .expect("constant time of day is valid");
    Ok(d.and_time(t).and_utc().timestamp())
}

/// A UTC calendar day, counted from 1970-01-01 (day 0). Day numbers are a
/// type of their own so that they never mix with seconds or with counts of
/// days: a day plus a count of days is a day, a day minus a day is a count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

impl Day {
    /// The day a timestamp falls on.
    pub const fn of(ts: i64) -> Day {
        Day(ts.div_euclid(DAY))
    }

    /// The day of a calendar date.
    pub fn of_date(d: NaiveDate) -> Day {
        Day::of(d.and_time(NaiveTime::MIN).and_utc().timestamp())
    }

    /// Day `n` after 1970-01-01.
    pub const fn from_number(n: i64) -> Day {
        Day(n)
    }

    /// Its first second.
    pub const fn start(self) -> i64 {
        self.0 * DAY
    }

    /// Its last second (23:59:59).
    pub const fn end(self) -> i64 {
        self.0 * DAY + DAY - 1
    }

    /// `days` later, unless that overflows.
    pub fn checked_add(self, days: i64) -> Option<Day> {
        self.0.checked_add(days).map(Day)
    }

    /// `days` earlier, unless that overflows.
    pub fn checked_sub(self, days: i64) -> Option<Day> {
        self.0.checked_sub(days).map(Day)
    }

    pub fn date(self) -> NaiveDate {
        date_of(self.start())
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        iso_date(self.start())
    }
}

impl std::ops::Add<i64> for Day {
    type Output = Day;
    fn add(self, days: i64) -> Day {
        Day(self.0 + days)
    }
}

impl std::ops::Sub<i64> for Day {
    type Output = Day;
    fn sub(self, days: i64) -> Day {
        Day(self.0 - days)
    }
}

/// How many days from `earlier` to `self`.
impl std::ops::Sub for Day {
    type Output = i64;
    fn sub(self, earlier: Day) -> i64 {
        self.0 - earlier.0
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.date().fmt(f)
    }
}

pub fn date_of(ts: i64) -> NaiveDate {
    to_datetime(ts).date_naive()
}

pub fn to_datetime(ts: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(ts, 0).single().unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// RFC 3339 UTC with a `Z`: `2026-11-20T10:00:00Z`.
pub fn rfc3339(ts: i64) -> String {
    to_datetime(ts).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `YYYY-MM-DD`.
pub fn iso_date(ts: i64) -> String {
    date_of(ts).format("%Y-%m-%d").to_string()
}

/// A compact human form for tables: `2026-11-20 10:00`.
pub fn short(ts: i64) -> String {
    to_datetime(ts).format("%Y-%m-%d %H:%M").to_string()
}

/// "3 days ago", "in 2 hours", "just now".
pub fn relative(ts: i64, now: i64) -> String {
    let d = now - ts;
    let (n, unit) = match d.abs() {
        a if a < 60 => return "just now".into(),
        a if a < 3600 => (a / 60, "minute"),
        a if a < DAY => (a / 3600, "hour"),
        a if a < 60 * DAY => (a / DAY, "day"),
        a if a < 730 * DAY => (a / (30 * DAY), "month"),
        a => (a / (365 * DAY), "year"),
    };
    let s = if n == 1 { "" } else { "s" };
    if d >= 0 {
        format!("{n} {unit}{s} ago")
    } else {
        format!("in {n} {unit}{s}")
    }
}

/// A duration in seconds as "3 h 20 min", "45 min", "2 d 4 h".
pub fn duration(secs: i64) -> String {
    let a = secs.abs();
    if a < 3600 {
        format!("{} min", a / 60)
    } else if a < DAY {
        let m = (a % 3600) / 60;
        if m == 0 {
            format!("{} h", a / 3600)
        } else {
            format!("{} h {} min", a / 3600, m)
        }
    } else {
        let h = (a % DAY) / 3600;
        if h == 0 {
            format!("{} d", a / DAY)
        } else {
            format!("{} d {} h", a / DAY, h)
        }
    }
}

#[cfg(test)]
mod tests {
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
}

#[cfg(test)]
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
