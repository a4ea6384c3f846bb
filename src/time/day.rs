//! Days in the founder's zone: the only place instants become days and back.

use std::cell::RefCell;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, TimeZone};
use chrono_tz::Tz;

use super::{to_datetime, DAY, LAST_SECOND};

/// The founder's zone (config `timezone`, docs/time.md): days begin and end at
/// its midnights. Set once per process when the database is opened, like
/// the currency; UTC until then.
static ZONE: OnceLock<Tz> = OnceLock::new();

/// Sets the zone days follow; the first call wins.
pub fn set_zone(tz: Tz) {
    let _ = ZONE.set(tz);
}

/// The zone days follow (UTC unless configured).
pub fn zone() -> Tz {
    ZONE.get().copied().unwrap_or(Tz::UTC)
}

/// An IANA zone name (`Europe/Paris`, `Asia/Tokyo`, `UTC`), or a sentence
/// fragment naming the problem.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    Tz::from_str_insensitive(name.trim()).map_err(|_| {
        format!(
            "\"{name}\" is not an IANA time zone; use a name such as Europe/Paris, America/New_York or UTC"
        )
    })
}

/// How many day starts outside UTC each thread keeps: a replay asks for the
/// same few days millions of times, and the zone's rules are slow to read.
const STARTS_CACHED: usize = 256;

thread_local! {
    /// ((zone, day number), its first second), by day number modulo the size.
    static STARTS: RefCell<[((Tz, i64), i64); STARTS_CACHED]> =
        const { RefCell::new([((Tz::UTC, i64::MIN), 0); STARTS_CACHED]) };
}

/// Days from 1970-01-01 to `d`.
pub(super) fn number_of(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 719_163
}

/// A calendar day in the zone, counted from 1970-01-01 (day 0).
/// Day numbers are a type of their own so that they never mix with seconds
/// or with counts of days: a day plus a count of days is a day, a day minus
/// a day is a count. Only this type turns instants into days and back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

impl Day {
    /// 9999-12-31, the last day csf reads ([`LAST_SECOND`]).
    pub const LAST: Day = Day(LAST_SECOND.div_euclid(DAY));

    /// The day a timestamp falls on, in the zone.
    pub fn of(ts: i64) -> Day {
        Day::of_in(ts, zone())
    }

    /// The day a timestamp falls on in `tz`.
    pub fn of_in(ts: i64, tz: Tz) -> Day {
        if tz == Tz::UTC {
            return Day(ts.div_euclid(DAY));
        }
        // Offsets lie within ±24 h: the local day is the UTC day or a neighbour,
        // found from the (cached) starts of the days around it.
        let utc = Day(ts.div_euclid(DAY));
        if (utc + 1).start_in(tz) <= ts {
            utc + 1
        } else if ts < utc.start_in(tz) {
            utc - 1
        } else {
            utc
        }
    }

    /// The day a stored `YYYY-MM-DD` names.
    pub fn parse_iso(s: &str) -> Option<Day> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Day::of_date)
    }

    /// The day of a calendar date.
    pub fn of_date(d: NaiveDate) -> Day {
        Day(number_of(d))
    }

    /// Day `n` after 1970-01-01.
    pub const fn from_number(n: i64) -> Day {
        Day(n)
    }

    /// Its first second in the zone (local midnight, or the first instant
    /// after a gap that swallows midnight).
    pub fn start(self) -> i64 {
        self.start_in(zone())
    }

    /// Its first second in `tz`.
    pub fn start_in(self, tz: Tz) -> i64 {
        let midnight = self.0 * DAY;
        if tz == Tz::UTC {
            return midnight;
        }
        let slot = self.0.rem_euclid(STARTS_CACHED as i64) as usize;
        if let Some(start) = STARTS.with_borrow(|c| (c[slot].0 == (tz, self.0)).then_some(c[slot].1)) {
            return start;
        }
        let local = to_datetime(midnight).naive_utc();
        // A gap at midnight: the day starts at the first local time that exists.
        let start = (0..=96)
            .find_map(|quarter| {
                tz.from_local_datetime(&(local + chrono::Duration::minutes(15 * quarter))).earliest()
            })
            .map_or(midnight, |t| t.timestamp());
        STARTS.with_borrow_mut(|c| c[slot] = ((tz, self.0), start));
        start
    }

    /// Its last second: the next day's start − 1 (23:59:59 local, also on a
    /// day of 23 or 25 hours).
    pub fn end(self) -> i64 {
        (self + 1).start() - 1
    }

    /// Its last second in `tz`.
    pub fn end_in(self, tz: Tz) -> i64 {
        (self + 1).start_in(tz) - 1
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
        to_datetime(self.0.saturating_mul(DAY)).date_naive()
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        self.date().format("%Y-%m-%d").to_string()
    }

    /// The first day of its month.
    pub fn month_start(self) -> Day {
        let d = self.date();
        Day::of_date(d.with_day(1).unwrap_or(d))
    }

    /// The Monday of its ISO week.
    pub fn week_start(self) -> Day {
        self - i64::from(self.date().weekday().num_days_from_monday())
    }

    /// The same day of the month `months` later (or earlier when negative),
    /// clamped to the month's last day.
    pub fn add_months(self, months: i32) -> Day {
        let d = self.date();
        let m = chrono::Months::new(months.unsigned_abs());
        let moved = if months >= 0 { d.checked_add_months(m) } else { d.checked_sub_months(m) };
        Day::of_date(moved.unwrap_or(d))
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

/// The four 7-day blocks of a 28-day window that starts on a day: which one
/// an instant falls in, by the zone's midnights.
#[derive(Debug, Clone, Copy)]
pub struct WeekBlocks([i64; 3]);

impl WeekBlocks {
    pub fn from(first: Day) -> WeekBlocks {
        WeekBlocks([(first + 7).start(), (first + 14).start(), (first + 21).start()])
    }

    /// 0 to 3: the block of an instant in the window (before it: 0, after it: 3).
    pub fn of(&self, ts: i64) -> usize {
        self.0.iter().take_while(|&&b| ts >= b).count()
    }
}
