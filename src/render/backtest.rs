//! The backtest and tune reports as text, JSON and CSV.

use anyhow::Result;
use serde_json::{json, Value as Json};

use crate::app::backtest::{Contender, Replay, Sampled, Summary, Tune};
use crate::domain::backtest::{BandRow, Measures, Verdict};
use crate::domain::health::{Band, Weights};
use crate::render::figure::fixed;
use crate::render::{count, Cell, Format, Rows, Value};
use crate::time::{self, iso_date};

/// Weights with their names: "usage 40, engagement 30, satisfaction 20, payment 10".
pub fn labelled(w: Weights) -> String {
    format!("usage {}, engagement {}, satisfaction {}, payment {}", w[0], w[1], w[2], w[3])
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{}%", fixed(v, 1)))
}

/// A percentage cell: the value at full precision, shown with one decimal and `%`.
fn pct_cell(v: Option<f64>) -> Cell {
    match v {
        Some(v) => Cell::from(Value::Num(v, 1)).shown(pct(Some(v))),
        None => Value::Null.into(),
    }
}

fn auc_text(m: &Measures) -> String {
    m.auc.map_or("-".into(), |a| format!("{:.2}", a.value()))
}

/// The missed share in words: "7 in 10 leavers looked healthy".
pub fn missed_words(m: &Measures) -> String {
    let Some(share) = m.missed_share() else { return "no customer left in the window".into() };
    let tenths = (share / 10.0).round() as u64;
    match (m.missed, tenths) {
        (0, _) => "no leaver looked healthy".into(),
        (_, 0) => format!("fewer than 1 in 10 leavers looked healthy ({} of {})", m.missed, m.churned),
        (_, n) => format!("{n} in 10 leavers looked healthy ({} of {})", m.missed, m.churned),
    }
}

/// The verdict sentence: "Verdict: fair (AUC 0.60) — 7 in 10 leavers looked
/// healthy", with what to do when the warning signs beat the score's alert
/// bands in the evidence of the same window.
pub fn verdict_sentence(m: &Measures, signs_better: bool) -> String {
    let v = m.verdict();
    if v == Verdict::Unknown {
        return "Verdict: unknown — the window needs both leavers and stayers to judge the score".into();
    }
    let advice = if signs_better {
        format!("; {}: {}", v.name(), crate::render::evidence::SIGNS_BETTER)
    } else {
        String::new()
    };
    format!("Verdict: {} (AUC {}) — {}{advice}", v.name(), auc_text(m), missed_words(m))
}

/// The first lines of the report: the verdict in words and the next step.
pub fn verdict_lines(m: &Measures, signs_better: bool) -> String {
    let v = m.verdict();
    let head = verdict_sentence(m, signs_better);
    let next = match v {
        Verdict::Unknown => "Next: widen the window with --from, --to or --horizon.",
        Verdict::Weak | Verdict::Fair => {
            "Next: `csf health backtest --missed` lists the leavers it missed; `csf health tune` searches for weights that catch more."
        }
        _ if m.missed > 0 => {
            "Next: `csf health backtest --missed` lists the leavers it missed; `csf health tune` checks whether other weights do better."
        }
        _ => "Next: work the at-risk list (`csf health alerts`); `csf health tune` checks whether other weights do better.",
    };
    format!("{head}.\n{next}\n")
}

fn band_json(rows: &[BandRow]) -> Json {
    json!(rows
        .iter()
        .map(|b| json!({
            "status": b.band.name(), "samples": b.samples, "churned": b.churned,
            "churn_rate": b.churn_rate, "share_of_churn": b.share_of_churn,
        }))
        .collect::<Vec<_>>())
}

/// The summary fields of the JSON object, in order (also each CSV row's head).
fn summary_fields(r: &Replay, weights: Weights, s: &Summary) -> Vec<(&'static str, Json)> {
    let w = &r.window;
    let m = &s.measures;
    vec![
        ("from", json!(w.from.iso())),
        ("to", json!(w.to.iso())),
        ("every_days", json!(w.every)),
        ("horizon_days", json!(w.horizon)),
        ("weights", json!(weights)),
        ("cutoffs", json!(r.cutoffs.iter().map(|&c| iso_date(c)).collect::<Vec<_>>())),
        ("samples", json!(m.samples)),
        ("churned", json!(m.churned)),
        ("auc", json!(m.auc.map(|a| a.value()))),
        ("verdict", json!(m.verdict().name())),
        ("lift", json!(s.lift)),
        ("catch", json!(m.catch())),
        ("missed", json!(m.missed_share())),
        ("alert_rate", json!(m.alert_rate())),
    ]
}

/// A JSON value as one CSV cell: arrays joined with spaces (weights with commas).
fn csv_cell(k: &str, v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Array(a) => {
            let sep = if k == "weights" { "," } else { " " };
            a.iter().map(|x| csv_cell(k, x)).collect::<Vec<_>>().join(sep)
        }
        other => other.to_string(),
    }
}

/// `health backtest` in `format`; `missed` lists the churned-while-healthy
/// samples, `list` every sample (JSON).
#[allow(clippy::too_many_arguments)]
pub fn report(
    r: &Replay,
    weights: Weights,
    missed: bool,
    list: bool,
    signs_better: bool,
    format: Format,
    color: bool,
) -> Result<String> {
    let scored = r.scored(weights);
    let s = Replay::summary_of(&scored);
    let m = &s.measures;
    let w = &r.window;
    let entry = |x: &Sampled, score: i64| {
        let c = &r.history.customers[x.customer()];
        let k = &x.sample.components;
        json!({
            "customer_id": c.id, "cutoff": iso_date(r.cutoffs[x.cutoff()]), "score": score,
            "status": Band::of(score).name(),
            "usage": k.usage, "engagement": k.engagement, "satisfaction": k.satisfaction, "payment": k.payment,
            "churned": x.sample.churned, "churned_at": c.churned_at.map(time::rfc3339),
        })
    };
    let missed_list: Vec<Json> = r
        .samples
        .iter()
        .zip(&scored)
        .filter(|(x, (score, _))| x.sample.churned && Band::of(*score) == Band::Healthy)
        .map(|(x, (score, _))| entry(x, *score))
        .collect();
    match format {
        Format::Json => {
            let mut o: serde_json::Map<String, Json> =
                summary_fields(r, weights, &s).into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            o.insert("bands".into(), band_json(&s.bands));
            o.insert("signs_better".into(), json!(signs_better));
            if missed {
                o.insert("missed_samples".into(), json!(missed_list));
            }
            if list {
                let all: Vec<Json> =
                    r.samples.iter().zip(&scored).map(|(x, (sc, _))| entry(x, *sc)).collect();
                o.insert("sample_list".into(), json!(all));
            }
            return Ok(format!("{}\n", serde_json::to_string_pretty(&Json::Object(o))?));
        }
        Format::Csv => {
            let head = summary_fields(r, weights, &s);
            let mut w = csv::Writer::from_writer(Vec::new());
            let band_cols = ["status", "band_samples", "band_churned", "churn_rate", "share_of_churn"];
            w.write_record(head.iter().map(|(k, _)| *k).chain(band_cols))?;
            for b in &s.bands {
                let opt = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
                let tail = [
                    b.band.name().to_string(),
                    b.samples.to_string(),
                    b.churned.to_string(),
                    opt(b.churn_rate),
                    opt(b.share_of_churn),
                ];
                w.write_record(head.iter().map(|(k, v)| csv_cell(k, v)).chain(tail))?;
            }
            return Ok(String::from_utf8(w.into_inner()?)?);
        }
        _ => {}
    }
    let mut rows = Rows::new(&["status", "samples", "churned", "churn_rate", "share_of_churn"]);
    for b in &s.bands {
        let status = Cell::from(Value::text(b.band.name()));
        // Fewer samples than this: its rates are anecdotes, and it says so.
        let status = if (b.samples as u64) < crate::domain::evidence::FEW_SAMPLES {
            status.shown(format!("{} (few samples)", b.band.name()))
        } else {
            status
        };
        rows.push(vec![
            status,
            Value::Int(b.samples as i64).into(),
            Value::Int(b.churned as i64).into(),
            pct_cell(b.churn_rate),
            pct_cell(b.share_of_churn),
        ]);
    }
    let overall = (m.samples > 0).then(|| 100.0 * m.churned as f64 / m.samples as f64);
    let mut out = verdict_lines(m, signs_better);
    out.push_str(&format!(
        "\nBacktest {} → {}: {} every {}, churn within {}, weights {}\n\
         {}, {} churned ({})\n\n",
        w.from.iso(),
        w.to.iso(),
        count(r.cutoffs.len() as i64, "cutoff"),
        count(w.every, "day"),
        count(w.horizon, "day"),
        labelled(weights),
        count(m.samples as i64, "sample"),
        m.churned,
        pct(overall)
    ));
    out.push_str(&rows.render(format, color)?);
    out.push('\n');
    out.push_str(&format!(
        "Catch {}: the share of leavers scored at-risk or critical before they left\n",
        pct(m.catch())
    ));
    out.push_str(&format!(
        "Missed {}: the share of leavers scored healthy before they left ({} samples)\n",
        pct(m.missed_share()),
        m.missed
    ));
    out.push_str(&format!(
        "Alert rate {}: the share of all samples on the at-risk list (at-risk or critical)\n",
        pct(m.alert_rate())
    ));
    out.push_str(&match m.auc {
        Some(a) => format!(
            "AUC {:.2}: a customer who churned scored below one who stayed {}% of the time (0.50 is a coin toss)\n",
            a.value(),
            fixed(100.0 * a.value(), 0)
        ),
        None => "AUC -: needs both churned and retained samples in the window\n".into(),
    });
    out.push_str(&match s.lift {
        Some(l) => {
            format!("Lift {l:.1}: at-risk + critical customers churned {l:.1}× as often as all customers\n")
        }
        None => "Lift -: no at-risk or critical samples, or nothing churned\n".into(),
    });
    if missed {
        out.push_str(&format!("\nMissed samples (churned while healthy): {}\n", missed_list.len()));
        for x in &missed_list {
            out.push_str(&format!(
                "  {} at {}: score {}, churned {}\n",
                x["customer_id"].as_str().unwrap_or_default(),
                x["cutoff"].as_str().unwrap_or_default(),
                x["score"],
                x["churned_at"].as_str().unwrap_or_default()
            ));
        }
    }
    Ok(if format == Format::Table { crate::render::fit_text(&out) } else { out })
}

fn side_json(s: &Contender) -> Json {
    json!({
        "weights": s.weights,
        "auc_fit": s.fit.auc.map(|a| a.value()),
        "auc_check": s.check.auc.map(|a| a.value()),
        "catch_check": s.check.catch(),
        "missed_check": s.check.missed_share(),
        "alert_rate_check": s.check.alert_rate(),
        "catch_fit": s.fit.catch(),
        "missed_fit": s.fit.missed_share(),
        "bands_check": s.check_bands.iter()
            .map(|b| json!({"status": b.band.name(), "samples": b.samples, "churned": b.churned}))
            .collect::<Vec<_>>(),
    })
}

/// The sentence tune ends with, in words.
fn tune_sentence(t: &Tune, applied: bool) -> String {
    match (&t.best, &t.reason) {
        (Some(b), None) => format!(
            "The best eligible weights ({}) do better on the check cutoffs: AUC {} → {}, catch {} → {}, missed {} → {}; {}.",
            labelled(b.weights),
            auc_text(&t.current.check),
            auc_text(&b.check),
            pct(t.current.check.catch()),
            pct(b.check.catch()),
            pct(t.current.check.missed_share()),
            pct(b.check.missed_share()),
            if applied { "applied" } else { "`csf health tune --apply` sets them" }
        ),
        (_, Some(why)) => format!("Keep the current weights: {why}."),
        (None, None) => "Keep the current weights.".into(),
    }
}

/// `health tune` in `format`.
pub fn tune(t: &Tune, r: &Replay, applied: bool, format: Format, color: bool) -> Result<String> {
    if format == Format::Json {
        let j = json!({
            "current": side_json(&t.current),
            "best": t.best.as_ref().map(side_json),
            "top_ineligible": t.top_ineligible.as_ref().map(|(s, why)| {
                let mut j = side_json(s);
                j["why"] = json!(why);
                j
            }),
            "applied": applied,
            "reason": t.reason,
        });
        return Ok(format!("{}\n", serde_json::to_string_pretty(&j)?));
    }
    let sides: Vec<(&str, &Contender)> = [("current", Some(&t.current)), ("best", t.best.as_ref())]
        .into_iter()
        .filter_map(|(n, s)| Some((n, s?)))
        .collect();
    if format == Format::Csv {
        let mut rows = Rows::new(&[
            "set",
            "usage",
            "engagement",
            "satisfaction",
            "payment",
            "auc_fit",
            "auc_check",
            "catch_check",
            "missed_check",
            "alert_rate_check",
            "healthy_check",
            "neutral_check",
            "at_risk_check",
            "critical_check",
            "applied",
            "reason",
        ]);
        for (name, s) in &sides {
            let mut row: Vec<Cell> = vec![(*name).into()];
            row.extend(s.weights.iter().map(|&w| Cell::from(Value::Int(w as i64))));
            let num = |v: Option<f64>| Cell::from(v.map_or(Value::Null, |v| Value::Num(v, 3)));
            row.push(num(s.fit.auc.map(|a| a.value())));
            row.push(num(s.check.auc.map(|a| a.value())));
            row.push(num(s.check.catch()));
            row.push(num(s.check.missed_share()));
            row.push(num(s.check.alert_rate()));
            row.extend(s.check_bands.iter().map(|b| Cell::from(Value::Int(b.samples as i64))));
            row.push(Value::Bool(applied).into());
            row.push(Value::opt_text(t.reason.clone()).into());
            rows.push(row);
        }
        return rows.render(format, color);
    }
    let mut head: Vec<&'static str> = vec!["measure", "current"];
    if t.best.is_some() {
        head.push("best");
    }
    let mut rows = Rows::new(&head);
    let mut line = |label: String, f: &dyn Fn(&Contender) -> String| {
        let mut row: Vec<Cell> = vec![Value::Text(label).into()];
        row.extend(sides.iter().map(|(_, s)| Cell::from(Value::Text(f(s)))));
        rows.push(row);
    };
    for (k, name) in ["usage", "engagement", "satisfaction", "payment"].iter().enumerate() {
        line(format!("{name} weight"), &|s| s.weights[k].to_string());
    }
    line("AUC fit".into(), &|s| auc_text(&s.fit));
    line("AUC check".into(), &|s| auc_text(&s.check));
    line("catch (check)".into(), &|s| pct(s.check.catch()));
    line("missed (check)".into(), &|s| pct(s.check.missed_share()));
    line("alert rate (check)".into(), &|s| pct(s.check.alert_rate()));
    for (k, b) in Band::ALL.iter().enumerate() {
        line(format!("{} (check samples)", b.name()), &|s| s.check_bands[k].samples.to_string());
    }
    let mut out = format!(
        "Tune over {} cutoffs: fit on the {} oldest ({} → {}), check on the {} newest; {} weight vectors at step {}\n\n{}\n{}\n",
        r.cutoffs.len(),
        t.fit_cutoffs,
        iso_date(r.cutoffs[0]),
        iso_date(r.cutoffs[t.fit_cutoffs - 1]),
        r.cutoffs.len() - t.fit_cutoffs,
        t.grid_size,
        t.step,
        rows.render(format, color)?,
        tune_sentence(t, applied)
    );
    if let Some((s, why)) = &t.top_ineligible {
        out.push_str(&format!(
            "Not eligible: the highest fit AUC ({}, with {}) — {}; a better AUC that moves leavers into healthy is no better score.\n",
            auc_text(&s.fit),
            labelled(s.weights),
            why
        ));
    }
    Ok(out)
}
