//! `csf health score | list | show | alerts` (SPEC §5).

use anyhow::{Context as _, Result};
use rusqlite::Connection;
use serde_json::json;

use crate::cli::health::{FailOn, HealthCmd, SortBy};
use crate::context::{Alert, Ctx};
use crate::domain::health::{self, Band, Components, Level, Signal, Stage};
use crate::domain::settings::Settings;
use crate::render::{self, Cell, Format, Rows, Tone, Value};
use crate::store::health::{self as hstore, Features, Snapshot, Subject};
use crate::store::{self, customers};
use crate::time::{self, iso_date};

pub fn run(ctx: &Ctx, cmd: HealthCmd) -> Result<()> {
    let mut conn = ctx.open()?;
    match cmd {
        HealthCmd::Score { fail_on } => {
            let settings = ctx.settings(&conn)?;
            // A spinner on a terminal: scoring a large database takes seconds.
            let spinner = ctx.show_progress().then(|| {
                let pb = indicatif::ProgressBar::new_spinner();
                pb.set_message("scoring customers…");
                pb.enable_steady_tick(std::time::Duration::from_millis(120));
                pb
            });
            let summary = score_all(&mut conn, &settings, ctx.now);
            if let Some(pb) = spinner {
                pb.finish_and_clear();
            }
            let summary = summary?;
            let counts: Vec<String> =
                Band::ALL.iter().map(|b| format!("{} {}", summary.count(*b), b.name())).collect();
            ctx.info(format!(
                "Scored {} customers for {}: {}",
                summary.scores.len(),
                iso_date(ctx.now),
                counts.join(", ")
            ));
            if let Some(f) = fail_on {
                let worst = match f {
                    FailOn::Critical => Band::Critical,
                    FailOn::AtRisk => Band::AtRisk,
                };
                let n = summary.scores.iter().filter(|(_, b)| *b <= worst).count();
                if n > 0 {
                    return Err(Alert(format!(
                        "{n} customer{} {} or worse; `csf health alerts` lists them",
                        if n == 1 { " is" } else { "s are" },
                        worst.name()
                    ))
                    .into());
                }
            }
            Ok(())
        }
        HealthCmd::List { status, sort } => list(ctx, &conn, status.as_deref(), sort),
        HealthCmd::Show { customer } => show(ctx, &conn, &customer),
        HealthCmd::Alerts { status } => alerts(ctx, &conn, status.as_deref()),
        cmd @ (HealthCmd::Backtest { .. } | HealthCmd::Tune { .. }) => {
            super::backtest::run(ctx, &mut conn, cmd)
        }
    }
}

/// The outcome of `health score`: each scored customer's score and band.
pub struct ScoreSummary {
    pub scores: Vec<(i64, Band)>,
}

impl ScoreSummary {
    pub fn count(&self, band: Band) -> usize {
        self.scores.iter().filter(|(_, b)| *b == band).count()
    }
}

/// Scores every active customer as of `now` and stores today's snapshots in
/// one transaction (a rerun the same day replaces them).
pub fn score_all(conn: &mut Connection, settings: &Settings, now: i64) -> Result<ScoreSummary> {
    store::write(conn, |tx| {
        let snaps = compute_all(tx, settings, now)?;
        hstore::save(tx, &snaps, now).context("could not store the health snapshots")?;
        let scores = snaps.iter().map(|s| (s.score, Band::of(s.score))).collect();
        Ok(ScoreSummary { scores })
    })
}

/// Every active customer's health as of `now` — what `health score` stores
/// for today — computed without storing it (`csf today` reads it live).
pub fn compute_all(conn: &Connection, settings: &Settings, now: i64) -> Result<Vec<Snapshot>> {
    let weights = settings.weights();
    let today = now.div_euclid(time::DAY);
    let day = iso_date(now);
    let weights_text = weights.map(|w| w.to_string()).join(",");
    let feats = Features::load(conn, settings, now)?;
    let subjects = hstore::facts(conn, &feats, now, None, false)?;
    Ok(subjects
        .iter()
        .map(|s| {
            let c = health::components(&s.facts, feats.core_count(), today, now);
            let score = health::score(&c, weights);
            Snapshot {
                cid: s.cid,
                day: day.clone(),
                usage: c.usage,
                engagement: c.engagement,
                satisfaction: c.satisfaction,
                payment: c.payment,
                score,
                status: Band::of(score).name().into(),
                weights: weights_text.clone(),
            }
        })
        .collect())
}

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

/// The health table (`health list`), also printed by the demo.
pub fn print_list(ctx: &Ctx, conn: &Connection) -> Result<()> {
    list(ctx, conn, None, SortBy::Score)
}

fn list(ctx: &Ctx, conn: &Connection, status: Option<&str>, sort: SortBy) -> Result<()> {
    let mut all = hstore::latest(conn, ctx.now)?;
    all.retain(|l| status.is_none_or(|s| l.snap.status == s));
    let change = |l: &hstore::Latest| l.score_7d_before.map(|p| l.snap.score - p);
    match sort {
        SortBy::Score => all.sort_by(|a, b| a.snap.score.cmp(&b.snap.score).then(a.id.cmp(&b.id))),
        SortBy::Name => all.sort_by(|a, b| {
            let n = |l: &hstore::Latest| l.name.clone().unwrap_or_else(|| l.id.clone()).to_lowercase();
            n(a).cmp(&n(b)).then(a.id.cmp(&b.id))
        }),
        SortBy::Change => all.sort_by_key(|l| (change(l).unwrap_or(i64::MAX), l.id.clone())),
        // Highest MRR first; customers without MRR last.
        SortBy::Mrr => all.sort_by(|a, b| b.mrr_cents.cmp(&a.mrr_cents).then(a.id.cmp(&b.id))),
    }
    let mut rows = Rows::new(&[
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
    ]);
    for l in &all {
        let band = Band::parse(&l.snap.status).unwrap_or(Band::of(l.snap.score));
        let tone = band_tone(band);
        let ch = change(l);
        rows.push(vec![
            l.id.clone().into(),
            l.name.clone().into(),
            Cell::from(Value::Int(l.snap.score)).tone(tone),
            Cell::from(l.snap.status.clone()).tone(tone),
            component_cell(l.snap.usage),
            component_cell(l.snap.engagement),
            component_cell(l.snap.satisfaction),
            component_cell(l.snap.payment),
            match ch {
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
        ]);
    }
    if all.is_empty() && status.is_none() {
        ctx.info("No health scores yet: run `csf health score` (nightly, from cron).");
    } else if let Some(day) = all.iter().map(|l| l.snap.day.as_str()).max() {
        // Stored, not live: say so (`health show` computes as of now).
        ctx.info(format!(
            "Stored scores: each customer's latest snapshot (newest {day}); `csf health show ID` computes one live."
        ));
    }
    ctx.print_rows(&rows)
}

/// A component: full precision in JSON and CSV, rounded half up in tables.
fn component_cell(v: f64) -> Cell {
    Cell::from(Value::Num(v, 0)).shown(health::round(v).to_string())
}

/// A customer's health computed live as of now.
pub struct Live {
    pub subject: Subject,
    pub components: Components,
    pub weights: [u32; 4],
    pub score: i64,
    pub band: Band,
    pub signals: [Signal; 5],
    pub stage: Stage,
    pub scored: bool,
}

pub fn live(conn: &Connection, settings: &Settings, now: i64, c: &customers::Customer) -> Result<Live> {
    let feats = Features::load(conn, settings, now)?;
    let subject = hstore::facts(conn, &feats, now, Some(c.cid), true)?
        .pop()
        .context("the customer disappeared while being read")?;
    let today = now.div_euclid(time::DAY);
    let components = health::components(&subject.facts, feats.core_count(), today, now);
    let weights = settings.weights();
    let score = health::score(&components, weights);
    let signals = health::signals(&subject.facts, feats.core_count(), today, now);
    let churned = c.is_churned(now);
    let stage = health::stage(churned, &subject.facts);
    let scored = !churned && c.signed_up_at.is_none_or(|t| t <= now);
    Ok(Live { subject, components, weights, score, band: Band::of(score), signals, stage, scored })
}

impl Live {
    pub fn component_rows(&self) -> [(&'static str, f64, u32); 4] {
        let c = &self.components;
        let w = self.weights;
        [
            ("usage", c.usage, w[0]),
            ("engagement", c.engagement, w[1]),
            ("satisfaction", c.satisfaction, w[2]),
            ("payment", c.payment, w[3]),
        ]
    }

    pub fn json(&self) -> serde_json::Value {
        json!({
            "score": self.score,
            "status": self.band.name(),
            "action": self.band.action(),
            "components": self.component_rows().iter().map(|(n, v, w)| json!({
                "component": n, "value": v, "weight": w,
                "contribution": v * *w as f64 / 100.0,
            })).collect::<Vec<_>>(),
            "weights": self.weights,
            "signals": self.signals.iter().map(|s| json!({
                "signal": s.name, "status": s.level.name(), "label": s.label,
            })).collect::<Vec<_>>(),
            "stage": self.stage.name(),
            "goal": self.stage.goal(),
        })
    }

    /// The breakdown as text: components × weights, then signals.
    pub fn text(&self, color: bool) -> String {
        let mut t = render::new_table(color);
        t.set_header(["Component", "Value", "Weight", "Points"]);
        for (n, v, w) in self.component_rows() {
            t.add_row([
                render::header_label(n),
                health::round(v).to_string(),
                format!("{w}%"),
                format!("{:.1}", v * w as f64 / 100.0),
            ]);
        }
        let tone = band_tone(self.band);
        t.add_row([
            "Health".to_string(),
            tone.paint(&self.score.to_string(), color),
            String::new(),
            tone.paint(self.band.name(), color),
        ]);
        let mut s = render::new_table(color);
        s.set_header(["Signal", "Status", "Reading"]);
        for sig in &self.signals {
            s.add_row([
                if sig.name == "nps" { "NPS".to_string() } else { render::header_label(sig.name) },
                level_tone(sig.level).paint(sig.level.name(), color),
                sig.label.to_string(),
            ]);
        }
        format!("{t}\n{s}\n")
    }
}

fn show(ctx: &Ctx, conn: &Connection, key: &str) -> Result<()> {
    ctx.only_formats("health show", &[Format::Table, Format::Json, Format::Csv], "")?;
    let c = customers::get(conn, key)?;
    let settings = ctx.settings(conn)?;
    let l = live(conn, &settings, ctx.now, &c)?;
    let hist = hstore::history(conn, c.cid, ctx.now, 30)?;
    let scores: Vec<i64> = hist.iter().map(|(_, s)| *s).collect();
    let stored = hstore::latest_of(conn, c.cid, ctx.now)?;
    match ctx.format_or(Format::Table) {
        Format::Json => {
            let mut j = json!({ "customer_id": c.id, "name": c.name });
            if let (Some(o), serde_json::Value::Object(m)) = (j.as_object_mut(), l.json()) {
                o.extend(m);
                o.insert(
                    "trend".into(),
                    json!(hist.iter().map(|(d, s)| json!({"day": d, "score": s})).collect::<Vec<_>>()),
                );
                o.insert("sparkline".into(), json!(crate::render::trends::score_sparkline(&scores)));
                o.insert("computed".into(), json!("live"));
                o.insert("as_of".into(), json!(time::rfc3339(ctx.now)));
                o.insert(
                    "stored".into(),
                    stored.as_ref().map_or(
                        serde_json::Value::Null,
                        |(day, score, w)| json!({"day": day, "score": score, "weights": w}),
                    ),
                );
            }
            render::out(&format!("{}\n", serde_json::to_string_pretty(&j)?))
        }
        Format::Csv => {
            // Flat: one row per component, signal and the score itself.
            let mut rows =
                Rows::new(&["customer_id", "part", "name", "value", "weight", "status", "reading"]);
            for (n, v, w) in l.component_rows() {
                rows.push(vec![
                    c.id.clone().into(),
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
                    c.id.clone().into(),
                    "signal".into(),
                    sig.name.into(),
                    Value::Null.into(),
                    Value::Null.into(),
                    sig.level.name().into(),
                    sig.label.into(),
                ]);
            }
            rows.push(vec![
                c.id.clone().into(),
                "health".into(),
                "score".into(),
                Value::Int(l.score).into(),
                Value::Null.into(),
                l.band.name().into(),
                l.band.action().into(),
            ]);
            ctx.print_rows(&rows)
        }
        _ => {
            let mut out = format!(
                "{} ({}) — health {} {}: {}\nComputed live as of {} with weights {}; `csf health list` shows the stored nightly scores.\n",
                c.label(),
                c.id,
                l.score,
                l.band.name(),
                l.band.action(),
                time::short(ctx.now),
                l.weights.map(|w| w.to_string()).join(",")
            );
            if !l.scored {
                out.push_str("(not scored by `health score`: churned or not yet signed up)\n");
            }
            out.push('\n');
            out.push_str(&l.text(ctx.color));
            if let Some((day, score, w)) = &stored {
                out.push_str(&format!("\nLatest stored snapshot: {score} on {day}, weights {w}\n"));
            }
            if scores.is_empty() {
                out.push_str("\nTrend: no snapshots yet (`csf health score` stores one a day)\n");
            } else {
                out.push_str(&format!(
                    "\nTrend ({} snapshots, {} → {}): {}\n",
                    scores.len(),
                    hist[0].0,
                    hist[hist.len() - 1].0,
                    crate::render::trends::score_sparkline(&scores)
                ));
            }
            render::out(&out)
        }
    }
}

fn alerts(ctx: &Ctx, conn: &Connection, status: Option<&str>) -> Result<()> {
    let mut all = hstore::latest(conn, ctx.now)?;
    all.retain(|l| status.is_none_or(|s| l.snap.status == s));
    all.sort_by(|a, b| {
        let band = |l: &hstore::Latest| Band::of(l.snap.score);
        band(a).cmp(&band(b)).then(a.snap.score.cmp(&b.snap.score)).then(a.id.cmp(&b.id))
    });
    let mut rows = Rows::new(&["status", "customer_id", "name", "score", "mrr", "action"]);
    for l in &all {
        let band = Band::of(l.snap.score);
        let tone = band_tone(band);
        rows.push(vec![
            Cell::from(band.name()).tone(tone),
            l.id.clone().into(),
            l.name.clone().into(),
            Cell::from(Value::Int(l.snap.score)).tone(tone),
            Value::opt_money(l.mrr_cents).into(),
            band.action().into(),
        ]);
    }
    ctx.print_rows(&rows)
}
