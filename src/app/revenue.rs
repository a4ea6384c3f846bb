//! Revenue with its history (docs/revenue.md): MRR movements per month
//! (overall or by plan), NRR and GRR, and signup cohorts.

use crate::money::Cents;
use anyhow::Result;
use rusqlite::Connection;

use crate::app::churn::month_windows;
use crate::domain::revenue::plans::movements_by_plan;
use crate::domain::revenue::{movements, Movements, MrrHistory};
use crate::store::revenue as store;

/// One month's movements, for every customer or for one plan.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthRevenue {
    /// `YYYY-MM`.
    pub month: String,
    /// The plan (with `--by plan`); "(none)" for customers without one.
    pub plan: Option<String>,
    pub movements: Movements,
}

/// The movements of the `months` calendar months ending with the current
/// one (up to now), oldest first; with `by_plan`, one row per plan per month,
/// each customer's MRR attributed to the plan it was on at the time.
pub fn by_month(conn: &Connection, now: i64, months: u32, by_plan: bool) -> Result<Vec<MonthRevenue>> {
    if !by_plan {
        return all_customers_by_month(conn, now, months);
    }
    let all = store::histories(conn)?;
    let plans: Vec<String> = crate::store::churn::plans(conn)?;
    let mut out = Vec::new();
    for (month, start, end) in month_windows(now, months) {
        let by = movements_by_plan(all.iter().map(|(_, p, h)| (h, p.as_deref())), start, end.min(now + 1));
        for plan in &plans {
            let movements = by.get(plan).copied().unwrap_or_default();
            out.push(MonthRevenue { month: month.clone(), plan: Some(plan.clone()), movements });
        }
    }
    Ok(out)
}

/// [`by_month`] of every customer: the histories read a few thousand at a
/// time and their movements added up, so 100,000 of them are never held.
fn all_customers_by_month(conn: &Connection, now: i64, months: u32) -> Result<Vec<MonthRevenue>> {
    const CHUNK: usize = 4096;
    let windows = month_windows(now, months);
    let mut totals = vec![Movements::default(); windows.len()];
    let mut chunk: Vec<MrrHistory> = Vec::with_capacity(CHUNK);
    let mut add_up = |chunk: &mut Vec<MrrHistory>| {
        for (t, (_, start, end)) in totals.iter_mut().zip(&windows) {
            *t = plus(*t, movements(chunk.iter(), *start, (*end).min(now + 1)));
        }
        chunk.clear();
    };
    let mut any = false;
    store::each_history(conn, |_, _, h| {
        any = true;
        chunk.push(h);
        if chunk.len() == CHUNK {
            add_up(&mut chunk);
        }
        Ok(())
    })?;
    add_up(&mut chunk);
    if !any {
        // No customer, no group: no rows (as by plan).
        return Ok(Vec::new());
    }
    Ok(windows
        .into_iter()
        .zip(totals)
        .map(|((month, _, _), movements)| MonthRevenue { month, plan: None, movements })
        .collect())
}

/// Two groups' movements together (every field named: a new one must be added here too).
fn plus(a: Movements, b: Movements) -> Movements {
    Movements {
        mrr_start: a.mrr_start + b.mrr_start,
        new: a.new + b.new,
        expansion: a.expansion + b.expansion,
        contraction: a.contraction + b.contraction,
        churned: a.churned + b.churned,
        reactivation: a.reactivation + b.reactivation,
        mrr_end: a.mrr_end + b.mrr_end,
        customers_start: a.customers_start + b.customers_start,
        customers_end: a.customers_end + b.customers_end,
        moved_in: a.moved_in + b.moved_in,
        moved_out: a.moved_out + b.moved_out,
    }
}

/// What a cohort cell counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CohortMetric {
    /// The share of the cohort still a customer at the end of the month.
    Logos,
    /// The share of the cohort's MRR at the end of its signup month still paid then.
    Revenue,
}

/// One cell of the cohort triangle.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortCell {
    /// The signup month, `YYYY-MM`.
    pub cohort: String,
    /// 0 for the signup month.
    pub month_index: usize,
    /// The cohort's size.
    pub customers: i64,
    /// Percent; `None` for a revenue cohort that paid nothing in its first month.
    pub value: Option<f64>,
}

/// The cohorts of the last `months` signup months, each from its signup
/// month to the current one.
pub fn cohorts(conn: &Connection, now: i64, months: u32, metric: CohortMetric) -> Result<Vec<CohortCell>> {
    let all = store::histories(conn)?;
    let windows = month_windows(now, months);
    let mut out = Vec::new();
    for (k, (cohort, start, end)) in windows.iter().enumerate() {
        let members: Vec<&MrrHistory> = all
            .iter()
            .map(|(_, _, h)| h)
            .filter(|h| h.signed_up_at.is_some_and(|s| s >= *start && s < *end))
            .collect();
        if members.is_empty() {
            continue;
        }
        let at_end = |end: i64| end.min(now + 1) - 1;
        let base: Cents = members.iter().map(|h| h.mrr_at(at_end(*end))).sum();
        for (index, (_, _, later_end)) in windows[k..].iter().enumerate() {
            let t = at_end(*later_end);
            let value = match metric {
                CohortMetric::Logos => {
                    let active = members.iter().filter(|h| !h.churned_at(t)).count();
                    Some(active as f64 * 100.0 / members.len() as f64)
                }
                CohortMetric::Revenue => {
                    let paid: Cents = members.iter().map(|h| h.mrr_at(t)).sum();
                    paid.percent_of(base)
                }
            };
            out.push(CohortCell {
                cohort: cohort.clone(),
                month_index: index,
                customers: members.len() as i64,
                value,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::{store as st, time};

    #[test]
    fn every_month_balances_and_plans_add_up_to_the_whole() {
        let now = time::parse_now("2026-11-20T12:00:00Z").unwrap();
        let mut conn = st::open_memory().unwrap();
        crate::example::load(&mut conn, now).unwrap();
        let whole = by_month(&conn, now, 12, false).unwrap();
        assert_eq!(whole.len(), 12);
        assert!(whole.iter().all(|m| m.movements.balances()), "start + movements = end");
        assert!(whole.windows(2).all(|w| w[0].movements.mrr_end == w[1].movements.mrr_start));
        let plans = by_month(&conn, now, 12, true).unwrap();
        for m in &whole {
            let sum: Cents = plans.iter().filter(|p| p.month == m.month).map(|p| p.movements.mrr_end).sum();
            assert_eq!(sum, m.movements.mrr_end, "{}", m.month);
        }
        let logos = cohorts(&conn, now, 12, CohortMetric::Logos).unwrap();
        assert!(!logos.is_empty());
        assert!(logos.iter().all(|c| c.value.is_some_and(|v| (0.0..=100.0).contains(&v))));
        // Each cohort runs from its signup month (index 0) to the current month, one size throughout.
        let mut by_cohort: BTreeMap<&str, Vec<&CohortCell>> = BTreeMap::new();
        for c in &logos {
            by_cohort.entry(c.cohort.as_str()).or_default().push(c);
        }
        for (cohort, cells) in &by_cohort {
            assert_eq!(
                cells.iter().map(|c| c.month_index).collect::<Vec<_>>(),
                (0..cells.len()).collect::<Vec<_>>()
            );
            assert!(cells.iter().all(|c| c.customers == cells[0].customers));
            let (y, m) = cohort.split_once('-').unwrap();
            let age = (2026 - y.parse::<usize>().unwrap()) * 12 + 11 - m.parse::<usize>().unwrap();
            assert_eq!(cells.len(), age + 1, "{cohort} runs to 2026-11");
        }
    }
}
