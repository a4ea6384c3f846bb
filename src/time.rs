//! Timestamps: parsing every form docs/import.md lists, days and windows relative to `now`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

pub const DAY: i64 = 86_400;

/// The last second csf reads: 9999-12-31T23:59:59Z. Dates and times print
/// with four-digit years (RFC 3339, ISO dates), so a later one (an offset
/// past midnight of 9999-12-31, a `--date-format` year of five digits) is
/// refused where it is typed.
pub const LAST_SECOND: i64 = 253_402_300_799;

/// A length of `n` days as seconds (24 h each): elapsed time such as "open
/// for more than 7 days". Day boundaries come from [`Day`], never from this.
pub const fn days(n: i64) -> i64 {
    n * DAY
}

/// A parsed time, unless it is after [`LAST_SECOND`].
fn within_calendar(t: i64) -> Result<i64, String> {
    if t > LAST_SECOND {
        return Err(format!(
            "is after 9999-12-31 (it is {} UTC), the last day csf reads; give an earlier date",
            to_datetime(t).format("%Y-%m-%d %H:%M:%S")
        ));
    }
    Ok(t)
}

/// Parses a timestamp in any accepted form into Unix seconds (UTC).
/// The error is a sentence fragment for `column "x": "value" <error>`.
pub fn parse_timestamp(s: &str) -> Result<i64, String> {
    parse_inner(s.trim(), false).and_then(within_calendar)
}

/// Parses a timestamp as `--date-format FMT` (strftime) says, in UTC: a
/// format with `%z` reads the offset, one without a time means 00:00:00.
/// Anything else accepted by [`parse_timestamp`] is read as usual.
pub fn parse_with_format(s: &str, fmt: &str) -> Result<i64, String> {
    let v = s.trim();
    if let Ok(t) = DateTime::parse_from_str(v, fmt) {
        return within_calendar(t.timestamp());
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(v, fmt) {
        return within_calendar(t.and_utc().timestamp());
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, fmt) {
        return within_calendar(Day::of_date(d).start());
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

/// Parses `--now`: like [`parse_timestamp`] but a bare date means 23:59:59
/// of that day in the zone.
pub fn parse_now(s: &str) -> Result<i64, String> {
    parse_inner(s.trim(), true).and_then(within_calendar)
}

/// The ISO forms, parsed by hand without allocation: `YYYY-MM-DD`, `T` or a
/// space, `HH:MM[:SS][.f]`, then nothing (UTC), `Z`, ` UTC` or an offset
/// `±HH`, `±HHMM`, `±HH:MM` (with or without a space before it: psql prints
/// `2026-06-01 00:01:15+00`). Fractions are dropped (the second is kept).
/// None for anything else: the caller names the problem.
fn iso(b: &[u8]) -> Option<i64> {
    let n = |i: usize, len: usize| -> Option<i64> {
        let digits = b.get(i..i + len)?;
        digits.iter().try_fold(0i64, |a, &c| c.is_ascii_digit().then(|| a * 10 + i64::from(c - b'0')))
    };
    if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') || b[13] != b':' {
        return None;
    }
    let (y, mo, d, h, mi) = (n(0, 4)?, n(5, 2)?, n(8, 2)?, n(11, 2)?, n(14, 2)?);
    let mut i = 16;
    let mut sec = 0;
    if b.get(i) == Some(&b':') {
        sec = n(i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            i += digits;
        }
    }
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let zone = &b[i..];
    let zone = zone.strip_prefix(b" ").unwrap_or(zone);
    let offset = match zone {
        b"" | b"Z" | b"UTC" => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (oh, om) = match rest {
                [_, _] => (n(b.len() - 2, 2)?, 0),
                [_, _, _, _] => (n(b.len() - 4, 2)?, n(b.len() - 2, 2)?),
                [_, _, b':', _, _] => (n(b.len() - 5, 2)?, n(b.len() - 2, 2)?),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let secs = oh * 3600 + om * 60;
            if *sign == b'-' {
                -secs
            } else {
                secs
            }
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(y as i32, mo as u32, d as u32)?;
    Some(Day::of_date(date).start_in(chrono_tz::Tz::UTC) + h * 3600 + mi * 60 + sec - offset)
}

fn parse_inner(s: &str, date_is_end_of_day: bool) -> Result<i64, String> {
    if let Some(t) = iso(s.as_bytes()) {
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
    let day = Day::of_date(d);
    Ok(if end_of_day { day.end() } else { day.start() })
}

/// Whether `s` is a bare date (`YYYY-MM-DD` or `YYYYMMDD`): its instant
/// depends on the zone.
pub fn is_bare_date(s: &str) -> bool {
    let b = s.trim().as_bytes();
    match b.len() {
        8 => b.iter().all(u8::is_ascii_digit),
        10 => b[4] == b'-' && b[7] == b'-',
        _ => false,
    }
}

/// The local calendar date of an instant (in the zone).
pub fn date_of(ts: i64) -> NaiveDate {
    Day::of(ts).date()
}

pub fn to_datetime(ts: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(ts, 0).single().unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// RFC 3339 UTC with a `Z`: `2026-11-20T10:00:00Z`.
pub fn rfc3339(ts: i64) -> String {
    to_datetime(ts).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The local date of an instant, `YYYY-MM-DD`.
pub fn iso_date(ts: i64) -> String {
    Day::of(ts).iso()
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

mod day;
pub use day::{parse_zone, set_zone, zone, Day, WeekBlocks};

#[cfg(test)]
mod tests;
