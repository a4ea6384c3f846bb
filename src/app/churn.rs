//! What csf knows of churn: the warning signs as of `now`, the win-back
//! steps due, churn per month and why customers left (docs/churn.md).

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use rusqlite::Connection;

use crate::domain::churn::{self, ChurnReason, Risk, Signal, RETURN_ANSWERS};
use crate::domain::evidence::{self, Evidence, Part, Predictor, Row};
use crate::domain::metrics::{Metric, MetricId};

use crate::domain::fold::Bounds;
use crate::domain::settings::Settings;
use crate::money::Cents;
use crate::store::churn::{self as cs, AtRisk, MonthCounts};
use crate::store::health::{Features, Window, WindowFold};
use crate::time;

pub mod record;

/// One warning sign of one customer.
#[derive(Debug, Clone)]
pub struct CustomerRisk {
    pub customer_id: String,
    pub name: Option<String>,
    pub risk: Risk,
    /// The parts of the sign the customer shows (docs/health.md#evidence).
    pub parts: Vec<Part>,
    /// What the stored evidence says of the sign (see [`judge`]); `None` without evidence.
    pub evidence: Option<SignEvidence>,
}

/// What the stored evidence says of one customer's sign: the row of its
/// strongest part, and whether every part is called not predictive here
/// (on at least 30 samples each).
#[derive(Debug, Clone, Copy)]
pub struct SignEvidence {
    pub row: Row,
    pub not_predictive: bool,
}

/// Marks each risk with what the evidence says of its sign.
pub fn judge(risks: &mut [CustomerRisk], e: &Evidence) {
    for r in risks {
        let rows: Vec<Row> = r.parts.iter().filter_map(|p| e.row(Predictor::Part(*p)).copied()).collect();
        let Some(best) = rows.iter().copied().max_by(|a, b| a.risk.total_cmp(&b.risk)) else { continue };
        r.evidence =
            Some(SignEvidence { row: best, not_predictive: rows.iter().all(|x| x.not_predictive()) });
    }
}

/// Every warning sign as of `now`, optionally only of the named signals.
pub fn risks(conn: &Connection, now: i64, only: &[Signal]) -> Result<Vec<CustomerRisk>> {
    Ok(risks_in(cs::risk_facts_where(conn, now, |f| !churn::risks(f).is_empty())?, only))
}

/// The warning-sign facts of the active customers with a sign other than a
/// failed payment (which the caller has from health's subjects: see
/// [`risks_with_payments`]), and every active customer's usage window for
/// health, from the same scan of the usage rows. Customers without a sign
/// are dropped here, so 100,000 of them are never held at once.
pub fn risk_facts_and_windows(
    conn: &Connection,
    now: i64,
    feats: &Features,
) -> Result<(Vec<AtRisk>, Vec<Window>, Vec<i64>)> {
    let bounds = Bounds::at(now);
    let mut fold = WindowFold::new(feats, &bounds);
    let mut facts = cs::risk_facts_beside_health(conn, now, &mut fold)?;
    // Activity of the last 14 days below the 14 before (an expand guard).
    let mut declining: Vec<i64> =
        facts.iter().filter(|a| a.facts.recent < a.facts.prior).map(|a| a.cid).collect();
    declining.sort_unstable();
    facts.retain(|a| !churn::risks(&a.facts).is_empty());
    cs::name(conn, &mut facts)?;
    Ok((facts, fold.finish(), declining))
}

/// The warning signs of [`risk_facts_and_windows`]' customers with the failed
/// payments added: `failed` maps a customer (cid) to its failed payment's
/// date; `who` names a customer who had no other sign. In `churn risks`' order.
pub fn risks_with_payments(
    mut at_risk: Vec<AtRisk>,
    failed: &HashMap<i64, i64>,
    who: impl Fn(i64) -> Option<(String, Option<String>)>,
) -> Vec<CustomerRisk> {
    let mut seen = std::collections::HashSet::new();
    for a in &mut at_risk {
        a.facts.failed_payment = failed.get(&a.cid).copied();
        seen.insert(a.cid);
    }
    for (&cid, &date) in failed {
        if let Some((id, name)) = who(cid).filter(|_| !seen.contains(&cid)) {
            let facts = churn::RiskFacts { failed_payment: Some(date), ..churn::RiskFacts::default() };
            at_risk.push(AtRisk { cid, id, name, facts });
        }
    }
    at_risk.sort_by(|a, b| a.id.cmp(&b.id));
    risks_in(at_risk, &[])
}

/// The warning signs in `facts`, optionally only of the named signals.
pub fn risks_in(facts: Vec<AtRisk>, only: &[Signal]) -> Vec<CustomerRisk> {
    let mut out = Vec::new();
    for c in facts {
        for risk in churn::risks(&c.facts) {
            if only.is_empty() || only.contains(&risk.signal) {
                let parts =
                    evidence::parts(&c.facts).into_iter().filter(|p| p.signal() == risk.signal).collect();
                out.push(CustomerRisk {
                    customer_id: c.id.clone(),
                    name: c.name.clone(),
                    risk,
                    parts,
                    evidence: None,
                });
            }
        }
    }
    out
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

/// (YYYY-MM, start, end) of the `months` calendar months ending with now's,
/// bounded by the zone's midnights.
pub fn month_windows(now: i64, months: u32) -> Vec<(String, i64, i64)> {
    let first = time::Day::of(now).month_start();
    let mut out: Vec<_> = (0..months as i32)
        .map(|back| {
            let month = first.add_months(-back);
            (month.date().format("%Y-%m").to_string(), month.start(), month.add_months(1).start())
        })
        .collect();
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
    // Reasons in the survey's order; one stored by an earlier release or by hand after them.
    let survey = |k: &str| ChurnReason::parse(k).map_or(ChurnReason::ALL.len(), |r| r as usize);
    let mut reasons: Vec<(String, i64, Cents)> = by_reason.into_iter().map(|(k, (c, m))| (k, c, m)).collect();
    reasons.sort_by_key(|(k, c, m)| (std::cmp::Reverse(*c), std::cmp::Reverse(*m), survey(k)));
    let mut returns: Vec<(String, i64)> = by_return.into_iter().collect();
    returns.sort_by_key(|(k, _)| order(&RETURN_ANSWERS, k));
    Ok(Reasons { churned: all.len(), total_mrr_cents, reasons, returns })
}

#[cfg(test)]
mod tests;
