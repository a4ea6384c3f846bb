//! Churn as shown: warning signs, churn per month and the exit survey's
//! answers.

use crate::app::churn::record::Undone;
use crate::app::churn::{CustomerRisk, MonthChurn, Reasons};
use crate::money::Cents;
use crate::render::{figure, Cell, Format, Rows, Tone, Value};
use crate::time::iso_date;

/// `churn risks`: one row per warning sign.
pub fn risk_rows(risks: &[CustomerRisk]) -> Rows {
    risk_head().filled(risks.iter().map(risk_row))
}

/// The columns of [`risk_rows`].
pub fn risk_head() -> Rows {
    Rows::new(&["customer_id", "name", "signal", "detail", "response", "evidence"])
        .drop_order(&["response", "evidence"])
}

/// One row of [`risk_rows`]; `evidence` is what the stored evidence says of
/// the sign ("strong: 14 of 15 left", "not predictive here: 4 of 89 left").
pub fn risk_row(r: &CustomerRisk) -> Vec<Cell> {
    let evidence = r.evidence.map(|e| {
        let words = if e.not_predictive { "not predictive here".to_string() } else { e.row.words_text() };
        format!("{words}: {} of {} left", e.row.churned, e.row.samples)
    });
    let signal = Cell::from(r.risk.signal.name());
    let signal = if r.evidence.is_some_and(|e| e.not_predictive) {
        signal.tone(Tone::Dim)
    } else {
        signal.tone(Tone::Red)
    };
    vec![
        r.customer_id.clone().into(),
        r.name.clone().into(),
        signal,
        r.risk.detail.clone().into(),
        r.risk.response.into(),
        Value::opt_text(evidence).into(),
    ]
}

/// `churn rate`: logo churn and revenue churn per month, each against the target.
pub fn rate_rows(months: &[MonthChurn], by_plan: bool) -> Rows {
    let mut rows = Rows::new(&[
        "month",
        "plan",
        "active_at_start",
        "churned",
        "rate",
        "same_month_churns",
        "target",
        "status",
        "mrr_at_start",
        "mrr_churned",
        "revenue_churn",
        "revenue_status",
    ]);
    for m in months {
        let cells = |x: &crate::domain::metrics::Metric| {
            let c = figure::metric_cells(x, Format::Table);
            (c[1].clone(), c[4].clone())
        };
        let (rate, status) = cells(&m.logo);
        let (rev, rev_status) = cells(&m.revenue);
        rows.push(vec![
            m.month.clone().into(),
            Value::opt_text(m.plan.clone()).into(),
            Value::Int(m.counts.active).into(),
            Value::Int(m.counts.churned).into(),
            rate,
            Value::Int(m.counts.same_period).into(),
            Cell::from(Value::Num(m.target, 1)).shown(figure::target_text(&m.logo)),
            status,
            Value::Money(m.counts.mrr_active_cents).into(),
            Value::Money(m.counts.mrr_churned_cents).into(),
            rev,
            rev_status,
        ]);
    }
    let rows = if by_plan {
        rows
    } else {
        // Without --by plan the JSON/CSV fields stay what they were: no `plan`.
        let mut rows = rows;
        rows.columns.retain(|c| *c != "plan");
        for r in &mut rows.rows {
            r.remove(1);
        }
        rows
    };
    rows.hide(&["mrr_at_start", "mrr_churned"]).drop_order(&[
        "same_month_churns",
        "active_at_start",
        "target",
        "revenue_status",
    ])
}

fn share(part: f64, whole: f64) -> Cell {
    Cell::from(Value::Num(part * 100.0 / whole, 1)).shown(format!("{:.0}%", part * 100.0 / whole))
}

/// `churn reasons`: the reasons, most customers first, then whether they would return.
pub fn reason_rows(r: &Reasons) -> Rows {
    let mut rows = Rows::new(&["question", "answer", "customers", "share", "mrr_lost", "mrr_share"]);
    let n = r.churned as f64;
    for (reason, count, mrr) in &r.reasons {
        rows.push(vec![
            "reason".into(),
            reason.clone().into(),
            Value::Int(*count).into(),
            share(*count as f64, n),
            Value::Money(*mrr).into(),
            match r.total_mrr_cents {
                Cents::ZERO => Value::Null.into(),
                t => share(mrr.0 as f64, t.0 as f64),
            },
        ]);
    }
    for (answer, count) in &r.returns {
        rows.push(vec![
            "return".into(),
            answer.clone().into(),
            Value::Int(*count).into(),
            share(*count as f64, n),
            Value::Null.into(),
            Value::Null.into(),
        ]);
    }
    rows
}

/// What `churn undo` says it did.
pub fn undo_said(u: &Undone) -> String {
    match u {
        Undone::Erased { id, churned_at } => format!(
            "Erased the churn of {id} on {} from the history, as if it never happened",
            iso_date(*churned_at)
        ),
        Undone::Returned { id, at, churned_at } => format!(
            "{id} is active again from {}; the churn on {} stays in the history (--erase removes it)",
            iso_date(*at),
            iso_date(*churned_at)
        ),
    }
}
