//! Health as shown: band colours, the stored-score list, and one
//! customer's live breakdown as text, JSON or CSV rows.

use serde_json::json;

use crate::app::health::{change_7d, ScoreHistory};
use crate::domain::health::{self, Band, Level, Live};
use crate::render::{self, Cell, Rows, Tone, Value};
use crate::store::customers::Customer;
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
    let band = l.snap.status;
    let tone = band_tone(band);
    vec![
        l.id.clone().into(),
        l.name.clone().into(),
        Cell::from(Value::Int(l.snap.score)).tone(tone),
        // A new customer's band is shown but never alerts: marked `new`.
        match l.new {
            true => Cell::from(band.name()).shown(format!("{} · new", band.name())).tone(Tone::Dim),
            false => Cell::from(band.name()).tone(tone),
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
        Value::Date(l.snap.day.iso()).into(),
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

/// The summary of a backfill: "Backfilled 30 days (… → …): 900 snapshots; 2 days already had snapshots and were kept".
pub fn backfilled(done: &crate::app::backfill::Backfilled, from: crate::time::Day) -> String {
    let days = |n: usize| render::count(n as i64, "day");
    let kept = match done.kept_days {
        0 => String::new(),
        n => format!("; {} already had snapshots and were kept", days(n)),
    };
    match done.range {
        Some((a, b)) => format!(
            "Backfilled {} ({a} → {b}): {}{kept}",
            days(done.days),
            render::count(done.snapshots as i64, "snapshot")
        ),
        None => format!("Nothing to backfill: every day from {from} to yesterday has snapshots"),
    }
}

/// The alert of `health score --fail-on`: "3 customers are critical or worse; …" (None when nobody is).
pub fn fail_on_alert(n: usize, worst: Band) -> Option<String> {
    (n > 0).then(|| {
        format!(
            "{n} customer{} {} or worse; `csf health alerts` lists them",
            if n == 1 { " is" } else { "s are" },
            worst.name()
        )
    })
}

/// `health show` as JSON: the customer, the live breakdown, the 30-snapshot
/// trend with its sparkline, and the latest stored snapshot.
pub fn show_json(c: &Customer, l: &Live, hist: &ScoreHistory, now: i64) -> anyhow::Result<String> {
    let scores: Vec<i64> = hist.scores.iter().map(|(_, s)| *s).collect();
    let mut j = json!({ "customer_id": c.id, "name": c.name });
    if let (Some(o), serde_json::Value::Object(m)) = (j.as_object_mut(), live_json(l)) {
        o.extend(m);
        o.insert(
            "trend".into(),
            json!(hist.scores.iter().map(|(d, s)| json!({"day": d, "score": s})).collect::<Vec<_>>()),
        );
        o.insert("sparkline".into(), json!(crate::render::trends::score_sparkline(&scores)));
        o.insert("computed".into(), json!("live"));
        o.insert("as_of".into(), json!(crate::time::rfc3339(now)));
        o.insert(
            "stored".into(),
            hist.stored.as_ref().map_or(
                serde_json::Value::Null,
                |(day, score, w)| json!({"day": day, "score": score, "weights": w}),
            ),
        );
    }
    Ok(format!("{}\n", serde_json::to_string_pretty(&j)?))
}

/// `health show` for the eye: the headline, the breakdown, the latest
/// stored snapshot and the trend.
pub fn show_text(c: &Customer, l: &Live, hist: &ScoreHistory, now: i64, color: bool) -> String {
    use crate::render::{backtest::labelled, count, trends::score_sparkline, visible};
    let scores: Vec<i64> = hist.scores.iter().map(|(_, s)| *s).collect();
    let mut out = format!(
        "{} ({}) — health {} {}: {}\nComputed live as of {} with weights {}; `csf health list` shows the stored nightly scores.\n",
        visible(c.label()),
        visible(&c.id),
        l.score,
        l.band.name(),
        l.band.action(),
        crate::time::short(now),
        labelled(l.weights)
    );
    if !l.scored {
        out.push_str("(not scored by `health score`: churned or not yet signed up)\n");
    }
    out.push('\n');
    out.push_str(&live_text(l, color));
    if let Some((day, score, w)) = &hist.stored {
        let w = crate::domain::settings::parse_weights(w).map_or(w.clone(), labelled);
        out.push_str(&format!("\nLatest stored snapshot: {score} on {day}, weights {w}\n"));
    }
    if scores.is_empty() {
        out.push_str("\nTrend: no snapshots yet (`csf health score` stores one a day)\n");
    } else {
        out.push_str(&format!(
            "\nTrend ({}, {} → {}): {}\n",
            count(scores.len() as i64, "snapshot"),
            hist.scores[0].0,
            hist.scores[hist.scores.len() - 1].0,
            score_sparkline(&scores)
        ));
    }
    out
}
