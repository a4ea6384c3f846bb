//! What csf knows of churn: the warning signs as of `now`, the win-back
//! steps due, churn per month and why customers left (docs/churn.md).

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use crate::domain::churn::{self, Risk, Signal, REASONS, RETURN_ANSWERS};
use crate::domain::metrics::{Metric, MetricId};
use crate::domain::sequence::{DueStep, Sequence, WINBACK};
use crate::domain::settings::Settings;
use crate::money::Cents;
use crate::store::churn::{self as cs, AtRisk, MonthCounts};
use crate::store::health::{Features, Window, WindowFold};
use crate::time::{self, Day};

/// One warning sign of one customer.
#[derive(Debug, Clone)]
pub struct CustomerRisk {
    pub customer_id: String,
    pub name: Option<String>,
    pub risk: Risk,
}

/// Every warning sign as of `now`, optionally only of the named signals.
pub fn risks(conn: &Connection, now: i64, only: &[Signal]) -> Result<Vec<CustomerRisk>> {
    Ok(risks_in(cs::risk_facts(conn, now)?, only))
}

/// The warning-sign facts of every active customer but its failed payment
/// (the caller fills it in from health's subjects), and every active
/// customer's usage window for health, from the same scan of the usage rows.
pub fn risk_facts_and_windows(
    conn: &Connection,
    now: i64,
    feats: &Features,
) -> Result<(Vec<AtRisk>, Vec<Window>)> {
    let mut fold = WindowFold::new(feats, now);
    let facts = cs::risk_facts_beside_health(conn, now, &mut fold)?;
    Ok((facts, fold.finish()))
}

/// The warning signs in `facts`, optionally only of the named signals.
pub fn risks_in(facts: Vec<AtRisk>, only: &[Signal]) -> Vec<CustomerRisk> {
    let mut out = Vec::new();
    for c in facts {
        for risk in churn::risks(&c.facts) {
            if only.is_empty() || only.contains(&risk.signal) {
                out.push(CustomerRisk { customer_id: c.id.clone(), name: c.name.clone(), risk });
            }
        }
    }
    out
}

/// The steps of a sequence as of today: those due, and those whose window
/// passed undone (missed, never due again).
#[derive(Debug, Default)]
pub struct Steps {
    pub due: Vec<DueStep>,
    pub missed: Vec<DueStep>,
}

impl Steps {
    /// Adds one customer's missed steps and due step in `seq`, which started
    /// on day `start_day`; `done` holds every step marked done, by (customer, start).
    pub fn add(
        &mut self,
        seq: &Sequence,
        (cid, id, name): (i64, String, Option<String>),
        start_day: Day,
        today: Day,
        done: &HashMap<(i64, String), Vec<i64>>,
    ) {
        let started_on = start_day.iso();
        let done = done.get(&(cid, started_on.clone())).map_or(&[][..], Vec::as_slice);
        let day = today - start_day;
        let step_of =
            |step| DueStep { cid, id: id.clone(), name: name.clone(), step, started_on: started_on.clone() };
        self.missed.extend(seq.missed(day, done).into_iter().map(step_of));
        if let Some(step) = seq.due(day, done) {
            self.due.push(step_of(step));
        }
    }
}

/// The win-back steps of every customer in the sequence (or of one customer).
pub fn winback_steps(conn: &Connection, now: i64, only: Option<i64>) -> Result<Steps> {
    steps_of(conn, now, only, false)
}

fn steps_of(conn: &Connection, now: i64, only: Option<i64>, churned_only: bool) -> Result<Steps> {
    let today = time::Day::of(now);
    let done = cs::done_steps(conn, WINBACK.name)?;
    let mut out = Steps::default();
    for s in
        cs::winback_starts(conn, now, churned_only)?.into_iter().filter(|s| only.is_none_or(|c| c == s.cid))
    {
        out.add(&WINBACK, (s.cid, s.id, s.name), s.start_day, today, &done);
    }
    Ok(out)
}

/// The win-back step due today for each customer in the sequence (or one customer).
#[cfg(test)]
pub fn due_winback(conn: &Connection, now: i64, only: Option<i64>) -> Result<Vec<DueStep>> {
    Ok(winback_steps(conn, now, only)?.due)
}

/// [`due_winback`] of the customers who churned (not those gone quiet):
/// the only ones `today` writes to win back.
pub fn due_winback_churned(conn: &Connection, now: i64) -> Result<Vec<DueStep>> {
    Ok(steps_of(conn, now, None, true)?.due)
}

/// One calendar month of churn: the counts, logo churn and revenue churn,
/// each judged against `targets.churn_rate_percent`.
pub struct MonthChurn {
    pub month: String,
    /// The plan, with `--by plan`.
    pub plan: Option<String>,
    pub counts: MonthCounts,
    pub target: f64,
    pub logo: Metric,
    pub revenue: Metric,
}

/// Churn per calendar month, `months` months ending with the current one.
pub fn by_month(conn: &Connection, settings: &Settings, now: i64, months: u32) -> Result<Vec<MonthChurn>> {
    by_month_of(conn, settings, now, months, false)
}

/// [`by_month`], with `by_plan` one row per plan per month (each customer's current plan).
pub fn by_month_of(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    months: u32,
    by_plan: bool,
) -> Result<Vec<MonthChurn>> {
    let target = settings.number("targets.churn_rate_percent");
    let plans: Vec<Option<String>> =
        if by_plan { cs::plans(conn)?.into_iter().map(Some).collect() } else { vec![None] };
    let windows = month_windows(now, months);
    let spans: Vec<(i64, i64)> = windows.iter().map(|(_, start, end)| (*start, *end)).collect();
    // Each plan's months in one pass: counts[plan][month].
    let counts = plans
        .iter()
        .map(|p| cs::month_counts_many(conn, &spans, now, p.as_deref()))
        .collect::<Result<Vec<_>>>()?;
    windows
        .into_iter()
        .enumerate()
        .flat_map(|(k, (month, ..))| {
            plans.iter().enumerate().map(move |(j, p)| (k, month.clone(), j, p.clone()))
        })
        .map(|(k, month, j, plan)| {
            let m = counts[j][k];
            let logo = Metric::judged(
                MetricId::ChurnRate,
                churn::rate(m.churned, m.active),
                target,
                false,
                Some(m.active),
            );
            let revenue = Metric::judged(
                MetricId::RevenueChurn,
                m.mrr_churned_cents.percent_of(m.mrr_active_cents),
                target,
                false,
                Some(m.active),
            );
            Ok(MonthChurn { month, plan, counts: m, target, logo, revenue })
        })
        .collect()
}

/// (YYYY-MM, start, end) of the `months` calendar months ending with now's.
pub fn month_windows(now: i64, months: u32) -> Vec<(String, i64, i64)> {
    let d = time::date_of(now);
    let mut first = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d);
    let mut out = Vec::new();
    for _ in 0..months {
        let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
        out.push((
            first.format("%Y-%m").to_string(),
            time::Day::of_date(first).start(),
            time::Day::of_date(next).start(),
        ));
        first = first.checked_sub_months(chrono::Months::new(1)).unwrap_or(first);
    }
    out.reverse();
    out
}

/// Why churned customers left and whether they would return (`churn reasons`).
pub struct Reasons {
    pub churned: usize,
    pub total_mrr_cents: Cents,
    /// (reason, customers, MRR lost), most customers first.
    pub reasons: Vec<(String, i64, Cents)>,
    /// (answer, customers) in the survey's order.
    pub returns: Vec<(String, i64)>,
}

pub fn reasons(conn: &Connection, now: i64) -> Result<Reasons> {
    let all = cs::churned_with_reasons(conn, now)?;
    // Saturating: money is bounded at import, but a crafted file must not wrap.
    let total_mrr_cents = all.iter().fold(Cents::ZERO, |a, (_, _, m)| a.saturating_add(*m));
    let mut by_reason: BTreeMap<String, (i64, Cents)> = BTreeMap::new();
    let mut by_return: BTreeMap<String, i64> = BTreeMap::new();
    for (reason, ret, mrr) in &all {
        let e = by_reason.entry(reason.clone().unwrap_or_else(|| "unknown".into())).or_default();
        e.0 += 1;
        e.1 = e.1.saturating_add(*mrr);
        *by_return.entry(ret.clone().unwrap_or_else(|| "unknown".into())).or_default() += 1;
    }
    let order = |list: &[&str], key: &str| list.iter().position(|r| *r == key).unwrap_or(list.len());
    let mut reasons: Vec<(String, i64, Cents)> = by_reason.into_iter().map(|(k, (c, m))| (k, c, m)).collect();
    reasons.sort_by_key(|(k, c, m)| (std::cmp::Reverse(*c), std::cmp::Reverse(*m), order(&REASONS, k)));
    let mut returns: Vec<(String, i64)> = by_return.into_iter().collect();
    returns.sort_by_key(|(k, _)| order(&RETURN_ANSWERS, k));
    Ok(Reasons { churned: all.len(), total_mrr_cents, reasons, returns })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store;

    fn example() -> (Connection, Settings, i64) {
        let now = time::parse_now("2026-11-20T12:00:00Z").unwrap();
        let mut conn = store::open_memory().unwrap();
        crate::example::load(&mut conn, now).unwrap();
        let settings = Settings::from_stored(store::config::all(&conn).unwrap());
        (conn, settings, now)
    }

    /// `today` scores from the windows the warning-sign scan folds (42 days
    /// read, 28 kept): they must be health's own, day after day, and the
    /// warning signs must not change for the folding.
    #[test]
    fn the_warning_sign_scan_folds_the_same_windows_as_health() {
        use crate::domain::health::Payment;
        let (conn, settings, now) = example();
        let (mut seen_core, mut seen_failed) = (false, false);
        for back in 0..60 {
            let at = now - back * time::DAY;
            let feats = Features::load(&conn, &settings, at).unwrap();
            let (mut with, windows) = risk_facts_and_windows(&conn, at, &feats).unwrap();
            let own = crate::store::health::usage_window(&conn, &feats, at, None).unwrap();
            assert!(!own.is_empty(), "{back} days back");
            assert_eq!(windows, own, "{back} days back");
            seen_core |= own.iter().any(|w| w.core_used > 1);
            // With the failed payments from health's subjects, the same signs.
            let subjects = crate::store::health::subjects(&conn, &feats, at, None, false).unwrap();
            for a in &mut with {
                let s = subjects.iter().find(|s| s.cid == a.cid).unwrap();
                a.facts.failed_payment = s.payment_on.filter(|_| s.facts.payment == Some(Payment::Failed));
            }
            let plain = risks(&conn, at, &[]).unwrap();
            seen_failed |= plain.iter().any(|r| r.risk.signal == Signal::PaymentFailure);
            assert_eq!(format!("{:?}", risks_in(with, &[])), format!("{plain:?}"), "{back} days back");
        }
        assert!(seen_core, "some customer used more than one core feature");
        assert!(seen_failed, "some customer has a failed payment");
    }

    #[test]
    fn risks_filter_by_signal_and_steps_are_due_in_the_sequence() {
        let (conn, settings, now) = example();
        let all = risks(&conn, now, &[]).unwrap();
        assert!(!all.is_empty(), "the example data has warning signs");
        let signal = all[0].risk.signal;
        let only = risks(&conn, now, &[signal]).unwrap();
        assert_eq!(only.len(), all.iter().filter(|r| r.risk.signal == signal).count());
        for d in due_winback(&conn, now, None).unwrap() {
            assert!(WINBACK.steps.contains(&d.step), "{d:?}");
        }
        let months = by_month(&conn, &settings, now, 3).unwrap();
        assert_eq!(months.len(), 3);
        assert_eq!(months[2].month, "2026-11");
        assert_eq!(months[0].target, settings.number("targets.churn_rate_percent"));
    }

    /// `today` reads only the churned customers' win-back steps: the same
    /// steps as the whole sequence's, less those of customers gone quiet.
    #[test]
    fn the_churned_win_back_steps_are_the_sequence_s_for_churned_customers() {
        let (conn, _, now) = example();
        let people = crate::store::customers::list(&conn).unwrap();
        let (mut churned_seen, mut quiet_seen) = (0, 0);
        for back in 0..90 {
            let at = now - back * time::DAY;
            let churned = |cid: i64| people.iter().any(|c| c.cid == cid && c.is_churned(at));
            let all = due_winback(&conn, at, None).unwrap();
            let expected: Vec<String> =
                all.iter().filter(|d| churned(d.cid)).map(|d| format!("{d:?}")).collect();
            let got: Vec<String> =
                due_winback_churned(&conn, at).unwrap().iter().map(|d| format!("{d:?}")).collect();
            assert_eq!(got, expected, "{back} days back");
            churned_seen += got.len();
            quiet_seen += all.len() - got.len();
        }
        assert!(churned_seen > 0 && quiet_seen > 0, "{churned_seen} churned, {quiet_seen} quiet");
    }

    /// The one-pass month counts equal the set-based formula they replaced
    /// (kept here as the reference), for every month of two years, a window
    /// that straddles `now`, and each plan.
    #[test]
    fn month_counts_in_one_pass_equal_the_sql_formula() {
        let (conn, _, now) = example();
        let reference = |start: i64, end: i64, now: i64, plan: Option<&str>| -> cs::MonthCounts {
            conn.query_row(
                "WITH f AS (
                   SELECT (signed_up_at IS NULL OR signed_up_at < ?1) AND (churned_at IS NULL OR churned_at >= ?1 OR churned_at > ?3) AS active,
                          churned_at >= ?1 AND churned_at < ?2 AND churned_at <= ?3 AS churned_in,
                          signed_up_at >= ?1 AND signed_up_at < ?2 AS signed_in,
                          COALESCE((SELECT m.mrr_cents FROM mrr_changes m WHERE m.cid = c.cid AND m.effective_at < ?1
                                    ORDER BY m.effective_at DESC LIMIT 1), 0) AS mrr,
                          COALESCE((SELECT m.mrr_cents FROM mrr_changes m WHERE m.cid = c.cid AND m.effective_at < c.churned_at
                                    ORDER BY m.effective_at DESC LIMIT 1), 0) AS mrr_lost
                   FROM customers c WHERE (signed_up_at IS NULL OR signed_up_at <= ?3)
                     AND (?4 IS NULL OR COALESCE(c.plan, '(none)') = ?4))
                 SELECT COALESCE(SUM(active), 0), COALESCE(SUM(active AND churned_in), 0),
                        COALESCE(SUM(signed_in AND churned_in), 0),
                        CAST(TOTAL(CASE WHEN active THEN mrr END) AS INTEGER),
                        CAST(TOTAL(CASE WHEN active AND churned_in THEN mrr_lost END) AS INTEGER)
                 FROM f",
                rusqlite::params![start, end, now, plan],
                |r| {
                    Ok(cs::MonthCounts {
                        active: r.get(0)?,
                        churned: r.get(1)?,
                        same_period: r.get(2)?,
                        mrr_active_cents: r.get(3)?,
                        mrr_churned_cents: r.get(4)?,
                    })
                },
            )
            .unwrap()
        };
        let mut periods: Vec<(i64, i64)> =
            month_windows(now, 24).into_iter().map(|(_, s, e)| (s, e)).collect();
        // Changes exactly at a month's start and exactly at a churn: each
        // belongs after that instant, never before it.
        let at_start = periods[20].0;
        conn.execute_batch(&format!(
            "INSERT OR REPLACE INTO mrr_changes (cid, effective_at, mrr_cents, source)
               SELECT cid, {at_start}, 777700, 'edit' FROM customers WHERE churned_at IS NULL;
             INSERT OR REPLACE INTO mrr_changes (cid, effective_at, mrr_cents, source)
               SELECT cid, churned_at, 555500, 'edit' FROM customers WHERE churned_at IS NOT NULL;"
        ))
        .unwrap();
        periods.push((now - 10 * time::DAY, now + 10 * time::DAY));
        let mut plans: Vec<Option<String>> = cs::plans(&conn).unwrap().into_iter().map(Some).collect();
        plans.push(None);
        let mut churned = 0;
        // As of now, and as of 60 days back (later churns and signups are then in the future).
        for at in [now, now - 60 * time::DAY] {
            for plan in &plans {
                let many = cs::month_counts_many(&conn, &periods, at, plan.as_deref()).unwrap();
                for (&(start, end), got) in periods.iter().zip(&many) {
                    let want = reference(start, end, at, plan.as_deref());
                    assert_eq!(
                        *got,
                        want,
                        "{plan:?} from {} as of {}",
                        time::iso_date(start),
                        time::iso_date(at)
                    );
                    churned += got.churned;
                }
            }
        }
        assert!(churned > 0, "some months have churn");
    }

    #[test]
    fn month_windows_end_with_the_current_month() {
        let now = time::parse_now("2026-03-15T00:00:00Z").unwrap();
        let w = month_windows(now, 3);
        let names: Vec<&str> = w.iter().map(|(m, _, _)| m.as_str()).collect();
        assert_eq!(names, ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(w[1].2, w[2].1, "months are contiguous");
        assert_eq!(w[2].2 - w[2].1, 31 * time::DAY);
    }

    #[test]
    fn reasons_count_every_churned_customer_once() {
        let (conn, _, now) = example();
        let r = reasons(&conn, now).unwrap();
        assert_eq!(r.reasons.iter().map(|(_, c, _)| c).sum::<i64>(), r.churned as i64);
        assert_eq!(r.returns.iter().map(|(_, c)| c).sum::<i64>(), r.churned as i64);
        assert!(r.reasons.windows(2).all(|w| w[0].1 >= w[1].1));
    }
}
