//! The backtest and tune reports as text, JSON and CSV.

use anyhow::Result;
use serde_json::{json, Value as Json};

use crate::app::backtest::{day, weights_text, Replay, Sampled, Side, Tune};
use crate::domain::backtest::{self as bt, Auc, BandRow};
use crate::domain::health::Band;
use crate::render::{count, Cell, Format, Rows, Value};
use crate::time::{self, iso_date};

fn band_json(rows: &[BandRow]) -> Json {
    json!(rows
        .iter()
        .map(|b| json!({
            "status": b.band.name(), "samples": b.samples, "churned": b.churned,
            "churn_rate": b.churn_rate, "share_of_churn": b.share_of_churn,
        }))
        .collect::<Vec<_>>())
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.1}%"))
}

/// A rate in percent: the number in JSON and CSV, with its `%` in tables.
fn percent(v: Option<f64>) -> Cell {
    match v {
        Some(v) => Cell::from(Value::Num(v, 1)).shown(pct(Some(v))),
        None => Value::Null.into(),
    }
}

/// `health backtest` in `format`; `missed` lists the churned-while-healthy
/// samples, `list` every sample (JSON).
pub fn report(
    r: &Replay,
    weights: [u32; 4],
    missed: bool,
    list: bool,
    format: Format,
    color: bool,
) -> Result<String> {
    let scored = r.scored(weights);
    let churned = scored.iter().filter(|(_, c)| *c).count();
    let auc = bt::auc(&scored).map(Auc::value);
    let lift = bt::lift(&scored);
    let bands = bt::band_table(&scored);
    let w = &r.window;
    let entry = |s: &Sampled, score: i64| {
        let c = &r.history.customers[s.customer];
        let k = &s.sample.components;
        json!({
            "customer_id": c.id, "cutoff": iso_date(r.cutoffs[s.cutoff]), "score": score,
            "status": Band::of(score).name(),
            "usage": k.usage, "engagement": k.engagement, "satisfaction": k.satisfaction, "payment": k.payment,
            "churned": s.sample.churned, "churned_at": c.churned_at.map(time::rfc3339),
        })
    };
    let missed_list: Vec<Json> = r
        .samples
        .iter()
        .zip(&scored)
        .filter(|(s, (score, _))| s.sample.churned && Band::of(*score) == Band::Healthy)
        .map(|(s, (score, _))| entry(s, *score))
        .collect();
    if format == Format::Json {
        let mut j = json!({
            "from": day(w.from), "to": day(w.to), "every_days": w.every, "horizon_days": w.horizon,
            "weights": weights, "cutoffs": r.cutoffs.iter().map(|&c| iso_date(c)).collect::<Vec<_>>(),
            "samples": scored.len(), "churned": churned, "auc": auc, "lift": lift, "bands": band_json(&bands),
        });
        if let Some(o) = j.as_object_mut() {
            if missed {
                o.insert("missed".into(), json!(missed_list));
            }
            if list {
                let all: Vec<Json> =
                    r.samples.iter().zip(&scored).map(|(s, (sc, _))| entry(s, *sc)).collect();
                o.insert("sample_list".into(), json!(all));
            }
        }
        return Ok(format!("{}\n", serde_json::to_string_pretty(&j)?));
    }
    let mut rows = Rows::new(&["status", "samples", "churned", "churn_rate", "share_of_churn"]);
    for b in &bands {
        rows.push(vec![
            b.band.name().into(),
            Value::Int(b.samples as i64).into(),
            Value::Int(b.churned as i64).into(),
            percent(b.churn_rate),
            percent(b.share_of_churn),
        ]);
    }
    if format == Format::Csv {
        return rows.render(format, color);
    }
    let overall = (!scored.is_empty()).then(|| 100.0 * churned as f64 / scored.len() as f64);
    let mut out = format!(
        "Backtest {} → {}: {} every {}, churn within {}, weights {}\n\
         {}, {} churned ({})\n\n",
        day(w.from),
        day(w.to),
        count(r.cutoffs.len() as i64, "cutoff"),
        count(w.every, "day"),
        count(w.horizon, "day"),
        weights_text(weights),
        count(scored.len() as i64, "sample"),
        churned,
        pct(overall)
    );
    out.push_str(&rows.render(format, color)?);
    out.push('\n');
    out.push_str(&match auc {
        Some(a) => format!(
            "AUC {a:.2}: a customer who churned scored below one who stayed {:.0}% of the time (0.50 is a coin toss)\n",
            100.0 * a
        ),
        None => "AUC -: needs both churned and retained samples in the window\n".into(),
    });
    out.push_str(&match lift {
        Some(l) => {
            format!("Lift {l:.1}: at-risk + critical customers churned {l:.1}× as often as all customers\n")
        }
        None => "Lift -: no at-risk or critical samples, or nothing churned\n".into(),
    });
    out.push_str(&format!("Missed (churned while healthy): {}\n", missed_list.len()));
    if missed {
        for m in &missed_list {
            out.push_str(&format!(
                "  {} at {}: score {}, churned {}\n",
                m["customer_id"].as_str().unwrap_or_default(),
                m["cutoff"].as_str().unwrap_or_default(),
                m["score"],
                m["churned_at"].as_str().unwrap_or_default()
            ));
        }
    }
    Ok(out)
}

fn side_json(s: &Side) -> Json {
    json!({
        "weights": s.weights, "auc_fit": s.fit, "auc_check": s.check.map(Auc::value),
        "bands": s.bands.iter().map(|b| json!({"status": b.band.name(), "churn_rate": b.churn_rate}))
            .collect::<Vec<_>>(),
    })
}

/// `health tune` in `format`.
pub fn tune(t: &Tune, r: &Replay, applied: bool, format: Format, color: bool) -> Result<String> {
    if format == Format::Json {
        let j = json!({ "current": side_json(&t.current), "best": side_json(&t.best), "applied": applied });
        return Ok(format!("{}\n", serde_json::to_string_pretty(&j)?));
    }
    let mut rows = Rows::new(&[
        "set",
        "weights",
        "auc_fit",
        "auc_check",
        "healthy_churn",
        "neutral_churn",
        "at_risk_churn",
        "critical_churn",
    ]);
    for (name, s) in [("current", &t.current), ("best", &t.best)] {
        let mut row = vec![
            name.into(),
            weights_text(s.weights).into(),
            s.fit.map_or(Value::Null, |v| Value::Num(v, 3)).into(),
            s.check.map_or(Value::Null, |v| Value::Num(v.value(), 3)).into(),
        ];
        row.extend(s.bands.iter().map(|b| percent(b.churn_rate)));
        rows.push(row);
    }
    if format == Format::Csv {
        return rows.render(format, color);
    }
    Ok(format!(
        "Tune over {} cutoffs: fit on the {} oldest ({} → {}), check on the {} newest; {} weight vectors at step {}\n\n{}",
        r.cutoffs.len(),
        t.fit_cutoffs,
        iso_date(r.cutoffs[0]),
        iso_date(r.cutoffs[t.fit_cutoffs - 1]),
        r.cutoffs.len() - t.fit_cutoffs,
        t.grid_size,
        t.step,
        rows.render(format, color)?
    ))
}
