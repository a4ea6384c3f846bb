//! `csf health evidence` as text, JSON and CSV, and the sentences the
//! backtest, the plan and `churn risks` borrow from it.

use anyhow::Result;
use serde_json::{json, Value as Json};

use crate::app::evidence::Missed;
use crate::domain::evidence::{Evidence, Predictor, Row};
use crate::render::figure::fixed;
use crate::render::{count, Cell, Format, Rows, Value};
use crate::store::evidence::Span;
use crate::time::{iso_date, Day};

fn pct(v: f64) -> String {
    format!("{}%", fixed(v, 1))
}

fn times(v: f64) -> String {
    format!("{}×", fixed(v, 1))
}

/// One sentence comparing the signs with the score: "warning signs caught
/// 35% of leavers at 3.1× the base rate; the score's alert bands caught 2%
/// at 1.2×".
pub fn summary(e: &Evidence) -> String {
    let (Some(s), Some(a)) = (e.row(Predictor::AnySign), e.row(Predictor::ScoreAlert)) else {
        return String::new();
    };
    format!(
        "warning signs caught {} of leavers at {} the base rate; the score's alert bands caught {} at {}",
        pct(s.catch),
        times(s.lift),
        pct(a.catch),
        times(a.lift)
    )
}

/// What `health score` says after measuring the evidence again.
pub fn measured_note(m: &crate::app::evidence::Measured) -> String {
    match m.evidence {
        Some(_) => format!(
            "Measured the evidence over {} (`csf health evidence` shows it).",
            count(m.window.cutoffs().len() as i64, "cutoff")
        ),
        None => "no evidence yet: no customer churned within 90 days of a cutoff (`csf today` ranks by MRR)"
            .into(),
    }
}

/// The advice the backtest's verdict adds when the signs beat the score.
pub const SIGNS_BETTER: &str =
    "do not rely on the at-risk list alone; the warning signs are the better guide here — csf health evidence";

/// "14 of 15 customers with a failed payment left within 90 days here".
pub fn in_words(r: &Row, who: &str, horizon: i64) -> String {
    format!("{} of {} {who} left within {} here", r.churned, r.samples, count(horizon, "day"))
}

fn row_json(r: &Row, on: Day) -> Json {
    json!({
        "predictor": r.predictor.name(), "samples": r.samples, "churned": r.churned,
        "churn_rate": r.churn_rate, "risk": r.risk, "lift": r.lift, "catch": r.catch,
        "words": r.words_text(), "measured_on": on.iso(),
    })
}

fn missed_json(m: &Missed) -> Json {
    json!({
        "cutoff": iso_date(m.cutoff), "customer_id": m.id, "score": m.score,
        "signs": m.parts.iter().map(|p| p.name()).collect::<Vec<_>>(),
    })
}

fn pct_cell(v: Option<f64>) -> Cell {
    match v {
        Some(v) => Cell::from(Value::Num(v, 1)).shown(pct(v)),
        None => Value::Null.into(),
    }
}

/// The predictor table, by lift.
fn rows(e: &Evidence, on: Day) -> Rows {
    let mut rows = Rows::new(&[
        "predictor",
        "samples",
        "churned",
        "churn_rate",
        "risk",
        "lift",
        "catch",
        "words",
        "measured_on",
    ])
    .hide(&["measured_on"])
    .drop_order(&["churn_rate", "churned", "catch"]);
    for r in e.by_lift() {
        rows.push(vec![
            Value::text(r.predictor.name()).into(),
            Value::Int(r.samples as i64).into(),
            Value::Int(r.churned as i64).into(),
            pct_cell(r.churn_rate),
            pct_cell(Some(r.risk)),
            Cell::from(Value::Num(r.lift, 2)).shown(times(r.lift)),
            pct_cell(Some(r.catch)),
            Value::text(r.words_text()).into(),
            Value::Date(on.iso()).into(),
        ]);
    }
    rows
}

/// `health evidence` in `format`; `missed` lists the leavers the score
/// called healthy (JSON: an object with `predictors` and `missed`).
pub fn report(
    e: &Evidence,
    on: Day,
    span: Span,
    missed: Option<&[Missed]>,
    format: Format,
    color: bool,
) -> Result<String> {
    match format {
        Format::Json => {
            let predictors: Vec<Json> = e.by_lift().iter().map(|r| row_json(r, on)).collect();
            let v = match missed {
                Some(m) => json!({
                    "predictors": predictors,
                    "missed": m.iter().map(missed_json).collect::<Vec<_>>(),
                }),
                None => json!(predictors),
            };
            return Ok(format!("{}\n", serde_json::to_string_pretty(&v)?));
        }
        Format::Csv => return rows(e, on).render(format, color),
        _ => {}
    }
    let mut out = format!(
        "Evidence {} → {}: {} every {}, churn within {}\n{}, {} churned (base rate {})\n\n",
        span.from.iso(),
        span.to.iso(),
        count((span.to - span.from) / span.every + 1, "cutoff"),
        count(span.every, "day"),
        count(span.horizon, "day"),
        count(e.total as i64, "sample"),
        e.total_churned,
        pct(e.base_rate()),
    );
    out.push_str(&rows(e, on).render(format, color)?);
    out.push('\n');
    let mut s = summary(e);
    if let Some(first) = s.get(..1) {
        s = format!("{}{}", first.to_uppercase(), &s[1..]);
    }
    out.push_str(&format!("{s}.\n"));
    out.push_str(
        "Risk is the churn rate pulled toward the base rate (a pseudo-count of 10), lift is risk ÷ the base rate, \
         catch the share of leavers flagged.\n",
    );
    if let Some(m) = missed {
        out.push('\n');
        let mut t = Rows::new(&["cutoff", "customer_id", "score", "signs"]);
        for x in m {
            let signs: Vec<&str> = x.parts.iter().map(|p| p.name()).collect();
            t.push(vec![
                Value::Date(iso_date(x.cutoff)).into(),
                Value::text(&x.id).into(),
                Value::Int(x.score).into(),
                Value::text(if signs.is_empty() { "none".to_string() } else { signs.join(", ") }).into(),
            ]);
        }
        if m.is_empty() {
            out.push_str("No leaver was scored healthy at a cutoff.\n");
        } else {
            out.push_str(&format!("Leavers the score called healthy ({}):\n", m.len()));
            out.push_str(&t.render(format, color)?);
        }
    }
    Ok(out)
}
