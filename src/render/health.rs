//! Health as shown: band colours, the stored-score list, and one
//! customer's live breakdown as text, JSON or CSV rows.

use serde_json::json;

use crate::app::health::change_7d;
use crate::domain::health::{self, Band, Level, Live};
use crate::render::{self, Cell, Rows, Tone, Value};
use crate::store::health::Latest;

pub fn band_tone(b: Band) -> Tone {
    match b {
        Band::Healthy => Tone::Green,
        Band::Neutral => Tone::Plain,
        Band::AtRisk => Tone::Yellow,
        Band::Critical => Tone::Red,
    }
}

pub fn level_tone(l: Level) -> Tone {
    match l {
        Level::Healthy => Tone::Green,
        Level::Warning => Tone::Yellow,
        Level::Critical => Tone::Red,
        Level::Unknown => Tone::Dim,
    }
}

/// A component: full precision in JSON and CSV, rounded half up in tables.
fn component_cell(v: f64) -> Cell {
    Cell::from(Value::Num(v, 0)).shown(health::round(v).to_string())
}

/// `health list`: each customer's latest stored snapshot.
pub fn list_rows(all: &[Latest]) -> Rows {
    list_head().filled(all.iter().map(list_row))
}

/// The columns of [`list_rows`].
pub fn list_head() -> Rows {
    Rows::new(&[
        "customer_id",
        "name",
        "score",
        "status",
        "usage",
        "engagement",
        "satisfaction",
        "payment",
        "change_7d",
        "scored_on",
        "mrr",
        "new",
    ])
    .hide(&["new"])
    .drop_order(&["scored_on", "change_7d", "payment", "satisfaction", "engagement", "usage"])
}

/// One row of [`list_rows`].
pub fn list_row(l: &Latest) -> Vec<Cell> {
    let band = Band::parse(&l.snap.status).unwrap_or(Band::of(l.snap.score));
    let tone = band_tone(band);
    vec![
        l.id.clone().into(),
        l.name.clone().into(),
        Cell::from(Value::Int(l.snap.score)).tone(tone),
        // A new customer's band is shown but never alerts: marked `new`.
        match l.new {
            true => {
                Cell::from(l.snap.status.clone()).shown(format!("{} · new", l.snap.status)).tone(Tone::Dim)
            }
            false => Cell::from(l.snap.status.clone()).tone(tone),
        },
        component_cell(l.snap.usage),
        component_cell(l.snap.engagement),
        component_cell(l.snap.satisfaction),
        component_cell(l.snap.payment),
        match change_7d(l) {
            Some(d) => Cell::from(Value::Int(d))
                .shown(if d > 0 { format!("+{d}") } else { d.to_string() })
                .tone(if d < 0 {
                    Tone::Red
                } else if d > 0 {
                    Tone::Green
                } else {
                    Tone::Plain
                }),
            None => Value::Null.into(),
        },
        Value::Date(l.snap.day.clone()).into(),
        Value::opt_money(l.mrr_cents).into(),
        Value::Bool(l.new).into(),
    ]
}

/// `health alerts`: band, customer, score, MRR and what to do.
pub fn alert_rows(all: &[Latest]) -> Rows {
    alert_head().filled(all.iter().map(alert_row))
}

/// The columns of [`alert_rows`].
pub fn alert_head() -> Rows {
    Rows::new(&["status", "customer_id", "name", "score", "mrr", "action"]).drop_order(&["action"])
}

/// One row of [`alert_rows`].
pub fn alert_row(l: &Latest) -> Vec<Cell> {
    let band = Band::of(l.snap.score);
    let tone = band_tone(band);
    vec![
        Cell::from(band.name()).tone(tone),
        l.id.clone().into(),
        l.name.clone().into(),
        Cell::from(Value::Int(l.snap.score)).tone(tone),
        Value::opt_money(l.mrr_cents).into(),
        band.action().into(),
    ]
}

/// The live breakdown as JSON: score, status, action, components, signals, stage.
pub fn live_json(l: &Live) -> serde_json::Value {
    json!({
        "score": l.score,
        "status": l.band.name(),
        "action": l.band.action(),
        "components": l.component_rows().iter().map(|(n, v, w)| json!({
            "component": n, "value": v, "weight": w,
            "contribution": v * *w as f64 / 100.0,
        })).collect::<Vec<_>>(),
        "weights": l.weights,
        "signals": l.signals.iter().map(|s| json!({
            "signal": s.name, "status": s.level.name(), "label": s.label,
        })).collect::<Vec<_>>(),
        "stage": l.stage.name(),
        "goal": l.stage.goal(),
    })
}

/// The breakdown as text: components × weights, then signals.
pub fn live_text(l: &Live, color: bool) -> String {
    let mut t = render::new_table(color);
    t.set_header(["Component", "Value", "Weight", "Points"]);
    for (n, v, w) in l.component_rows() {
        t.add_row([
            render::header_label(n),
            health::round(v).to_string(),
            format!("{w}%"),
            format!("{:.1}", v * w as f64 / 100.0),
        ]);
    }
    let tone = band_tone(l.band);
    t.add_row([
        "Health".to_string(),
        tone.paint(&l.score.to_string(), color),
        String::new(),
        tone.paint(l.band.name(), color),
    ]);
    let mut s = render::new_table(color);
    s.set_header(["Signal", "Status", "Reading"]);
    for sig in &l.signals {
        s.add_row([
            if sig.name == "nps" { "NPS".to_string() } else { render::header_label(sig.name) },
            level_tone(sig.level).paint(sig.level.name(), color),
            sig.label.to_string(),
        ]);
    }
    format!("{t}\n{s}\n")
}

/// `health show -f csv`: one row per component, signal and the score itself.
pub fn live_rows(customer_id: &str, l: &Live) -> Rows {
    let mut rows = Rows::new(&["customer_id", "part", "name", "value", "weight", "status", "reading"]);
    for (n, v, w) in l.component_rows() {
        rows.push(vec![
            customer_id.into(),
            "component".into(),
            n.into(),
            Value::Num(v, 0).into(),
            Value::Int(w as i64).into(),
            Value::Null.into(),
            Value::Null.into(),
        ]);
    }
    for sig in &l.signals {
        rows.push(vec![
            customer_id.into(),
            "signal".into(),
            sig.name.into(),
            Value::Null.into(),
            Value::Null.into(),
            sig.level.name().into(),
            sig.label.into(),
        ]);
    }
    rows.push(vec![
        customer_id.into(),
        "health".into(),
        "score".into(),
        Value::Int(l.score).into(),
        Value::Null.into(),
        l.band.name().into(),
        l.band.action().into(),
    ]);
    rows
}
