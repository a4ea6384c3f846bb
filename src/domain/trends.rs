//! Periods for `csf report trends` (docs/reports.md): calendar months or ISO
//! weeks (Monday to Sunday), oldest first, the last one partial (up to now);
//! and the figures of one period as metrics.

use chrono::{Datelike, Months, NaiveDate};

use crate::domain::metrics::Metric;
use crate::domain::targets::Status;
use crate::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Week,
    Month,
}

/// One period: [`start`, `end`) in Unix seconds, its label (`2026-11`,
/// `2026-W47`) and its first day (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    pub label: String,
    pub start_date: String,
    pub start: i64,
    pub end: i64,
}

/// The `n` periods ending with the one that holds `now`, oldest first.
pub fn periods(now: i64, by: By, n: u32) -> Vec<Period> {
    let today = time::date_of(now);
    let mut first = match by {
        By::Month => NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today),
        By::Week => today - chrono::Duration::days(today.weekday().num_days_from_monday() as i64),
    };
    let mut out = Vec::new();
    for _ in 0..n {
        let next = match by {
            By::Month => first.checked_add_months(Months::new(1)).unwrap_or(first),
            By::Week => first + chrono::Duration::days(7),
        };
        let label = match by {
            By::Month => first.format("%Y-%m").to_string(),
            By::Week => {
                let w = first.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
        };
        out.push(Period {
            label,
            start_date: first.format("%Y-%m-%d").to_string(),
            start: time::day_of_date(first) * time::DAY,
            end: time::day_of_date(next) * time::DAY,
        });
        first = match by {
            By::Month => first.checked_sub_months(Months::new(1)).unwrap_or(first),
            By::Week => first - chrono::Duration::days(7),
        };
    }
    out.reverse();
    out
}

/// A figure without a target (a count of customers, MRR at risk): no verdict.
pub fn untargeted(id: &'static str, label: &'static str, value: Option<f64>, unit: &'static str) -> Metric {
    Metric {
        id,
        label,
        value,
        unit,
        target: None,
        higher_is_better: false,
        status: Status::NoData,
        sample: None,
    }
}

/// One period's figures, in the order of the trends table.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodFigures {
    pub period: Period,
    pub metrics: Vec<Metric>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_iso_weeks_end_with_the_current_one() {
        // 2026-11-20 is a Friday of ISO week 47.
        let now = time::parse_now("2026-11-20T12:00:00Z").unwrap();
        let m = periods(now, By::Month, 3);
        let labels: Vec<&str> = m.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2026-09", "2026-10", "2026-11"]);
        assert_eq!(m[2].start_date, "2026-11-01");
        assert_eq!(m[0].end, m[1].start);
        let w = periods(now, By::Week, 2);
        assert_eq!(w[1].label, "2026-W47");
        assert_eq!(w[1].start_date, "2026-11-16");
        assert_eq!(w[1].end - w[1].start, 7 * time::DAY);
        assert_eq!(w[0].start_date, "2026-11-09");
        // ISO week years: 2027-01-01 is in 2026-W53.
        let jan = time::parse_now("2027-01-01").unwrap();
        assert_eq!(periods(jan, By::Week, 1)[0].label, "2026-W53");
    }
}
